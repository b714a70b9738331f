//! Direct quotations with their speaker, cue verb and the speaker's actor code.
//!
//! The [`QuoteAttributor`] finds quoted segments from the quotation marks ([`marks`]: straight and
//! curly, reopened at each paragraph, unbalanced marks cut at their paragraph), joins the pieces of
//! one quotation interrupted by its attribution ("“X,” he said, “Y.”" is one quote), and looks for
//! the attribution next to each quote:
//!
//! - after it: "“…,” Putin said", "“…,” said the minister", "“…,” he told reporters";
//! - before it: "Putin said: “…”", "Putin told reporters that “…”", "According to Putin, “…”".
//!
//! A cue is a verb whose lemma is listed in data/quote/cues.txt (or the phrase "according to").
//! The speaker is the entity at the head of the subject noun phrase (its canonical name and actor
//! code), else the noun phrase ("a spokesman"), else a pronoun; "he"/"she"/"I" resolve to the last
//! person who spoke, else the last person named. A quote with no attribution of its own continues
//! the previous quote's speaker when that quote ended in the paragraph before or the same one.
//!
//! [`reported_speech`] finds reported (indirect) speech, marked `indirect`: "Putin said (that) the
//! task had been solved", "Putin told reporters the task had been solved", "The task had been
//! solved, Putin said": the reported clause with its speaker and cue.
//!

mod marks;

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use sitrep_doc::layer::NounPhrase;
use sitrep_doc::{Doc, EntityLabel, Layer, Pos, Quote, Span, Token};

use crate::Stage;

/// How far (in tokens) a cue may stand from the quote it introduces.
const CUE_BEFORE: usize = 8;
/// How far (in tokens) the cue may stand from the start of the text after the quote.
const CUE_AFTER: usize = 25;

struct Lexicon {
    cues: FxHashSet<&'static str>,
    /// Two-word cue phrases ("according to").
    phrases: Vec<(&'static str, &'static str)>,
    /// Pronoun → whether it stands for a person.
    pronouns: FxHashMap<&'static str, bool>,
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut cues = FxHashSet::default();
    let mut phrases = Vec::new();
    for line in data_lines(include_str!("../../../../data/quote/cues.txt")) {
        match line.split_once(' ') {
            Some((a, b)) => phrases.push((a, b.trim())),
            None => {
                cues.insert(line);
            }
        }
    }
    let pronouns = data_lines(include_str!("../../../../data/quote/pronouns.txt"))
        .filter_map(|l| l.split_once(' '))
        .map(|(p, kind)| (p, kind.trim() == "person"))
        .collect();
    Lexicon {
        cues,
        phrases,
        pronouns,
    }
});

/// Finds direct quotations and attributes them to speakers.
#[derive(Clone, Debug, Default)]
pub struct QuoteAttributor;

impl QuoteAttributor {
    pub fn new() -> QuoteAttributor {
        QuoteAttributor
    }
}

impl Stage for QuoteAttributor {
    fn name(&self) -> &'static str {
        "quote"
    }

    fn requires(&self) -> &'static [Layer] {
        &[
            Layer::Sentences,
            Layer::Tokens,
            Layer::PartsOfSpeech,
            Layer::Lemmas,
            Layer::Chunks,
            Layer::Entities,
            Layer::Actors,
        ]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Quotes]
    }

    fn process(&self, doc: &mut Doc) {
        let mut quotes = direct_quotes(doc);
        let reported = reported_speech(doc, &quotes);
        if !reported.is_empty() {
            quotes.extend(reported);
            quotes.sort_by_key(|q| q.span.start());
        }
        doc.set_quotes(quotes);
    }
}

/// Who said it, as found next to a quote.
#[derive(Clone, Debug, PartialEq)]
struct Attribution {
    speaker: Option<String>,
    speaker_span: Span,
    actor: Option<String>,
    cue: Option<Span>,
    /// The speaker is a person (an entity labelled PERSON or a resolved personal pronoun).
    person: bool,
}

/// The direct quotations of `doc`, in text order.
pub fn direct_quotes(doc: &Doc) -> Vec<Quote> {
    let text = doc.text();
    let paras = marks::paragraphs(text);
    let sentences = doc.sentences();
    let sentence_end = |pos: usize| {
        let i = sentences.partition_point(|s| s.span.end() <= pos);
        sentences.get(i).map_or(text.len(), |s| s.span.end())
    };
    let segments = marks::segments(text, &paras, sentence_end);
    let ctx = Ctx { doc, paras: &paras };

    // Join the pieces of one quotation: "“X,” he said. “Y.”" or "“X,” “Y.”" in one paragraph.
    let mut groups: Vec<(usize, usize)> = Vec::new(); // segment index ranges [a, b]
    for i in 0..segments.len() {
        if let Some(last) = groups.last_mut() {
            let prev = segments[last.1];
            let cur = segments[i];
            if prev.closed && cur.first_para == prev.para && ctx.joins(prev, cur, &segments, i) {
                last.1 = i;
                continue;
            }
        }
        groups.push((i, i));
    }

    let mut out = Vec::with_capacity(groups.len());
    let mut last_person: Option<(String, Option<String>)> = None;
    let mut previous: Option<(Attribution, usize)> = None; // with the paragraph its quote ended in
    for (a, b) in groups {
        let first = segments[a];
        let last = segments[b];
        let span = Span::new(first.span.start(), last.span.end());
        let gap = if a < b {
            ctx.after(first, segments.get(a + 1).map(|s| s.span.start()))
        } else {
            None
        };
        let inner_end = text[..first.span.end()].trim_end_matches(['"', '”', '»', ' ']);
        let ends_sentence = inner_end.ends_with(['.', '!', '?']);
        let next_start = segments.get(b + 1).map(|s| s.span.start());
        let after = gap.or_else(|| ctx.after(last, next_start));
        let before = ctx.before(first);
        let standalone = ctx.starts_clause(first.span.start());
        // A quote inside a sentence ("calls it “a disgrace” and leaves") is part of the sentence's
        // own (reported) content, not a direct quotation, unless an attribution follows it ("“…,”
        // he said").
        let trailing = after.is_some() && inner_end.ends_with([',', '?', '!', '—']);
        if !standalone && !trailing {
            continue;
        }
        let words = text[span].split_whitespace().count();
        let found = if ends_sentence && a == b {
            before.or(after)
        } else {
            after.or(before)
        };
        if found.is_none() && words < 3 {
            continue;
        }
        let found = match found {
            Some(mut f) => {
                ctx.resolve(&mut f, &last_person);
                Some(f)
            }
            None => previous
                .as_ref()
                .filter(|(_, para)| first.first_para <= para + 1)
                .map(|(f, _)| f.clone()),
        };
        if let Some(f) = &found {
            if f.person {
                if let Some(name) = &f.speaker {
                    last_person = Some((name.clone(), f.actor.clone()));
                }
            }
            previous = Some((f.clone(), last.para));
        }
        out.push(match found {
            Some(f) => Quote {
                span,
                speaker: f.speaker,
                speaker_span: Some(f.speaker_span),
                speaker_actor: f.actor,
                cue: f.cue,
                indirect: false,
            },
            None => Quote {
                span,
                speaker: None,
                speaker_span: None,
                speaker_actor: None,
                cue: None,
                indirect: false,
            },
        });
    }
    out
}

/// Reported speech in the sentences of `doc` that hold none of `direct`: one per sentence, the
/// clause a cue verb reports, with the cue's subject as speaker.
pub fn reported_speech(doc: &Doc, direct: &[Quote]) -> Vec<Quote> {
    let text = doc.text();
    let paras = marks::paragraphs(text);
    let ctx = Ctx { doc, paras: &paras };
    let mut out = Vec::new();
    let mut last_person: Option<(String, Option<String>)> = None;
    let mut d = 0;
    for sentence in doc.sentences() {
        let span = sentence.span;
        while d < direct.len() && direct[d].span.end() <= span.start() {
            if let (Some(name), true) = (&direct[d].speaker, direct[d].speaker_span.is_some()) {
                last_person = Some((name.clone(), direct[d].speaker_actor.clone()));
            }
            d += 1;
        }
        if direct.get(d).is_some_and(|q| q.span.start() < span.end()) {
            continue;
        }
        let range = doc.tokens_in(span);
        if range.is_empty() {
            continue;
        }
        let first = ctx.token_at(range[0].span.start());
        let end = first + range.len();
        if let Some(mut q) = ctx.reported_in(first, end, span) {
            if let Some(a) = q.1.as_mut() {
                ctx.resolve(a, &last_person);
                if a.person {
                    if let Some(name) = &a.speaker {
                        last_person = Some((name.clone(), a.actor.clone()));
                    }
                }
            }
            let (content, a) = q;
            if let Some(a) = a {
                out.push(Quote {
                    span: content,
                    speaker: a.speaker,
                    speaker_span: Some(a.speaker_span),
                    speaker_actor: a.actor,
                    cue: a.cue,
                    indirect: true,
                });
            }
        }
    }
    out
}

struct Ctx<'a> {
    doc: &'a Doc,
    paras: &'a [Span],
}

fn lemma<'t>(doc: &'t Doc, t: &'t Token) -> &'t str {
    t.lemma.as_deref().unwrap_or(&doc.text()[t.span])
}

fn is_punct(doc: &Doc, t: &Token) -> bool {
    t.pos == Some(Pos::Punct) || !doc.text()[t.span].chars().any(char::is_alphanumeric)
}

fn ends_clause(doc: &Doc, t: &Token) -> bool {
    matches!(
        &doc.text()[t.span],
        "." | "!" | "?" | ";" | "\"" | "“" | "”"
    )
}

impl Ctx<'_> {
    fn tokens(&self) -> &[Token] {
        self.doc.tokens()
    }

    /// Index of the first token ending after byte `pos`.
    fn token_at(&self, pos: usize) -> usize {
        self.tokens().partition_point(|t| t.span.end() <= pos)
    }

    fn is_cue(&self, i: usize) -> bool {
        let t = &self.tokens()[i];
        if matches!(t.pos, Some(Pos::Noun | Pos::Propn | Pos::Adj | Pos::Det)) {
            return false;
        }
        let lemma = lemma(self.doc, t);
        LEXICON.cues.contains(lemma)
            || (lemma.bytes().any(|b| b.is_ascii_uppercase())
                && LEXICON.cues.contains(lemma.to_ascii_lowercase().as_str()))
    }

    /// A cue phrase starting at token `i`: the index of its last token.
    fn cue_phrase(&self, i: usize) -> Option<usize> {
        let toks = self.tokens();
        let text = self.doc.text();
        let (a, b) = (toks.get(i)?, toks.get(i + 1)?);
        LEXICON
            .phrases
            .iter()
            .any(|(x, y)| {
                text[a.span].eq_ignore_ascii_case(x) && text[b.span].eq_ignore_ascii_case(y)
            })
            .then_some(i + 1)
    }

    /// Whether a quote opening at byte `pos` starts a clause of its own: at the start of a
    /// paragraph or sentence, after a colon or comma ("Putin said, “…”"), or after another quote.
    fn starts_clause(&self, pos: usize) -> bool {
        let text = self.doc.text();
        let before = text[..pos].trim_end_matches([' ', '\t', '\u{a0}']);
        match before.chars().next_back() {
            None | Some('\n' | '.' | '!' | '?' | ':' | '"' | '”' | '»' | '—' | '(') => true,
            Some(',') => {
                let word = before[..before.len() - 1].trim_end();
                !(word.ends_with(" that") || word.ends_with(" and"))
            }
            _ => false,
        }
    }

    fn paragraph_of(&self, pos: usize) -> Span {
        let i = self.paras.partition_point(|p| p.end() < pos);
        self.paras
            .get(i)
            .copied()
            .unwrap_or(Span::new(0, self.doc.text().len()))
    }

    /// Whether segment `cur` (index `i`) continues the quotation of `prev`.
    fn joins(
        &self,
        prev: marks::Segment,
        cur: marks::Segment,
        segs: &[marks::Segment],
        i: usize,
    ) -> bool {
        let text = self.doc.text();
        let gap = &text[prev.span.end()..cur.span.start()];
        let trimmed = gap.trim_matches(|c: char| c.is_whitespace() || ",;:—–-".contains(c));
        if trimmed.is_empty() || matches!(trimmed, "and" | "but" | "or" | "and that") {
            return true;
        }
        if gap.len() > 200
            || gap.contains(['.', '!', '?'])
                && !gap
                    .trim_start()
                    .starts_with(|c: char| c.is_lowercase() || c == ',')
        {
            // "“X.” He said. “Y.”" still joins when the gap is only the attribution.
            if gap.len() > 60 {
                return false;
            }
        }
        let Some(mine) = self.after(prev, Some(cur.span.start())) else {
            return false;
        };
        // The gap must be the attribution and nothing more, and the next piece must not have its own.
        let own = self.after(cur, segs.get(i + 1).map(|s| s.span.start()));
        let _ = mine;
        own.is_none()
    }

    /// The attribution in the text right after `seg` (up to `limit` or the paragraph's end).
    fn after(&self, seg: marks::Segment, limit: Option<usize>) -> Option<Attribution> {
        let toks = self.tokens();
        let text = self.doc.text();
        let para = self.paragraph_of(seg.span.end());
        let end = limit.unwrap_or(usize::MAX).min(para.end());
        let mut i = self.token_at(seg.span.end());
        let mut dash = false;
        while i < toks.len() && toks[i].span.end() <= end && is_punct(self.doc, &toks[i]) {
            if ends_clause(self.doc, &toks[i]) {
                return None;
            }
            dash |= matches!(&text[toks[i].span], "―" | "—" | "–" | "--" | "-");
            i += 1;
        }
        if i >= toks.len() || toks[i].span.end() > end {
            return None;
        }
        // Inverted: "said Putin", "according to Putin".
        if let Some(j) = self.cue_phrase(i) {
            return self.subject_at(j + 1, end).map(|s| self.with_cue(s, i, j));
        }
        if self.is_cue(i) {
            let mut j = i + 1;
            while j < toks.len() && is_punct(self.doc, &toks[j]) && !ends_clause(self.doc, &toks[j])
            {
                j += 1;
            }
            return self.subject_at(j, end).map(|s| self.with_cue(s, i, i));
        }
        // A byline after a dash: "“…” ― Jane Doe".
        if dash && toks[i].pos == Some(Pos::Propn) {
            return self.subject_at(i, end).map(|(m, span)| Attribution {
                speaker: m.name.or_else(|| Some(text[span].to_string())),
                speaker_span: span,
                actor: m.actor,
                cue: None,
                person: m.person,
            });
        }
        // "Putin said", "the minister told reporters", "Smith, a spokesman, said".
        let subject = self.subject_at(i, end)?;
        let from = self.token_at(subject.1.end());
        let stop = toks.len().min(i + CUE_AFTER).max(from);
        for (k, t) in toks[from..stop]
            .iter()
            .enumerate()
            .map(|(n, t)| (from + n, t))
        {
            if t.span.end() > end {
                return None;
            }
            if ends_clause(self.doc, t) && !self.abbreviation_dot(k) {
                return None;
            }
            if self.is_cue(k) {
                return Some(self.with_cue(subject, k, k));
            }
            if k > from + 2 && matches!(t.pos, Some(Pos::Verb)) && !self.inside_apposition(from, k)
            {
                return None;
            }
        }
        None
    }

    /// Whether token `k` is a full stop inside a name or parenthesis ("(D-Wis.)", "R-Ky.,").
    fn abbreviation_dot(&self, k: usize) -> bool {
        let toks = self.tokens();
        let text = self.doc.text();
        &text[toks[k].span] == "."
            && toks
                .get(k + 1)
                .is_some_and(|n| matches!(&text[n.span], ")" | ","))
    }

    /// Reported speech among tokens `first..end` (one sentence, `span`): the content and who said it.
    fn reported_in(
        &self,
        first: usize,
        end: usize,
        span: Span,
    ) -> Option<(Span, Option<Attribution>)> {
        let toks = self.tokens();
        let text = self.doc.text();
        let content_end = |from: usize| {
            let mut e = end;
            // Trailing punctuation goes; a closing quotation mark stays with its partial quote.
            while e > from
                && is_punct(self.doc, &toks[e - 1])
                && !matches!(&text[toks[e - 1].span], "”" | "\"" | "»")
            {
                e -= 1;
            }
            e
        };
        for k in first..end {
            if toks[k].pos != Some(Pos::Verb) || !self.is_cue(k) {
                continue;
            }
            // "The task had been solved, Putin said."
            if k > first + 3 {
                let after_cue = content_end(k + 1);
                let subject_before = self.subject_before(k, span.start());
                if let Some(subject) =
                    subject_before.filter(|s| s.1.start() > toks[first].span.start())
                {
                    let comma = self.token_at(subject.1.start()).checked_sub(1)?;
                    if &text[toks[comma].span] == "," && after_cue <= k + 4 && comma > first + 2 {
                        let content =
                            Span::new(toks[first].span.start(), toks[comma - 1].span.end());
                        return Some((content, Some(self.with_cue(subject, k, k))));
                    }
                }
            }
            let subject = self.subject_before(k, span.start())?;
            let lemma = lemma(self.doc, &toks[k]);
            let mut c = k + 1;
            // "told reporters (that)", "warned them that".
            if matches!(lemma, "tell" | "warn" | "assure" | "inform" | "remind") {
                let np = self.noun_phrase(c).map(|n| n.tokens.end as usize);
                c = match np {
                    Some(e) => e,
                    None if toks.get(c).is_some_and(|t| t.pos == Some(Pos::Pron)) => c + 1,
                    None => return None,
                };
            }
            let that = toks
                .get(c)
                .is_some_and(|t| text[t.span].eq_ignore_ascii_case("that"));
            if that {
                c += 1;
            }
            let stop = content_end(c);
            if c >= stop || stop - c < 3 {
                return None;
            }
            // A clause: "that", or a subject followed by a verb.
            let clause = that
                || (matches!(
                    toks[c].pos,
                    Some(Pos::Det | Pos::Pron | Pos::Propn | Pos::Noun | Pos::Adj | Pos::Num)
                ) && toks[c + 1..stop]
                    .iter()
                    .take(8)
                    .any(|t| matches!(t.pos, Some(Pos::Verb | Pos::Aux))));
            if !clause {
                return None;
            }
            let content = Span::new(toks[c].span.start(), toks[stop - 1].span.end());
            return Some((content, Some(self.with_cue(subject, k, k))));
        }
        None
    }

    /// Whether tokens `from..k` sit inside a comma-delimited apposition ("Smith, who …, said").
    fn inside_apposition(&self, from: usize, k: usize) -> bool {
        self.tokens()[from..k]
            .iter()
            .any(|t| &self.doc.text()[t.span] == ",")
    }

    /// The attribution in the text right before `seg`.
    fn before(&self, seg: marks::Segment) -> Option<Attribution> {
        let toks = self.tokens();
        let text = self.doc.text();
        let mut para = self.paragraph_of(seg.span.start());
        // "The Times reports:\n\n“…”": a quote opening a paragraph after one ending in a colon.
        if text[para.start()..seg.span.start()].trim().is_empty() {
            let k = self.paras.partition_point(|p| p.end() <= para.start());
            if k > 0 && text[self.paras[k - 1]].trim_end().ends_with(':') {
                para = Span::new(self.paras[k - 1].start(), para.end());
            }
        }
        let open = self.token_at(seg.span.start());
        let mut k = open;
        let mut steps = 0;
        while k > 0 && steps < CUE_BEFORE {
            k -= 1;
            steps += 1;
            let t = &toks[k];
            if t.span.start() < para.start() {
                break;
            }
            let s = &text[t.span];
            if matches!(s, "." | "!" | "?" | "”" | "\"") && steps > 1 {
                break;
            }
            if k > 0 {
                if let Some(j) = self.cue_phrase(k - 1) {
                    return self
                        .subject_at(j + 1, seg.span.start())
                        .map(|s| self.with_cue(s, k - 1, j));
                }
            }
            if self.is_cue(k) {
                let subject = self.subject_before(k, para.start());
                return match subject {
                    Some(s) => Some(self.with_cue(s, k, k)),
                    None => {
                        // "said Putin: “…”"
                        self.subject_at(k + 1, seg.span.start())
                            .map(|s| self.with_cue(s, k, k))
                    }
                };
            }
        }
        // "Senator X scolded him: “…”": the subject of the clause the colon ends.
        if text[..seg.span.start()].trim_end().ends_with(':') && open > 0 {
            let floor = self.clause_start(open - 1, para.start());
            return self
                .first_mention(floor, open)
                .map(|(m, span)| Attribution {
                    speaker: m.name,
                    speaker_span: span,
                    actor: m.actor,
                    cue: None,
                    person: m.person,
                });
        }
        None
    }

    /// The first token of the sentence holding token `k`, not before byte `floor`.
    fn clause_start(&self, k: usize, floor: usize) -> usize {
        let toks = self.tokens();
        let pos = toks[k].span.start();
        let sentences = self.doc.sentences();
        let si = sentences.partition_point(|s| s.span.end() <= pos);
        let start = sentences.get(si).map_or(0, |s| s.span.start()).max(floor);
        self.token_at(start)
    }

    /// The first mention (subject) among tokens `from..to`.
    fn first_mention(&self, from: usize, to: usize) -> Option<(Mention, Span)> {
        let toks = self.tokens();
        (from..to.min(toks.len()))
            .take(12)
            .find(|&i| matches!(toks[i].pos, Some(Pos::Propn | Pos::Noun | Pos::Pron)))
            .and_then(|i| self.mention(i))
    }

    fn with_cue(&self, (mention, span): (Mention, Span), a: usize, b: usize) -> Attribution {
        let toks = self.tokens();
        let cue = Some(Span::new(toks[a].span.start(), toks[b].span.end()));
        Attribution {
            speaker: mention.name,
            speaker_span: span,
            actor: mention.actor,
            cue,
            person: mention.person,
        }
    }

    /// The subject ending right before the cue at token `cue`: skips adverbs and auxiliaries
    /// ("Putin later said", "he has said") and a parenthetical between commas ("Smith, a
    /// spokesman, said"); after a lone comma ("He defended it, saying, …") the subject of the
    /// sentence.
    fn subject_before(&self, cue: usize, floor: usize) -> Option<(Mention, Span)> {
        let toks = self.tokens();
        let text = self.doc.text();
        let mut k = cue;
        while k > 0 {
            k -= 1;
            if toks[k].span.start() < floor {
                return None;
            }
            match toks[k].pos {
                Some(Pos::Adv | Pos::Aux | Pos::Part) => continue,
                _ => break,
            }
        }
        if k == cue || toks[k].span.start() < floor {
            return None;
        }
        if &text[toks[k].span] == "," {
            let comma = k;
            let mut j = comma;
            while j > 0 && comma - j < 20 {
                j -= 1;
                if toks[j].span.start() < floor || ends_clause(self.doc, &toks[j]) {
                    break;
                }
                if &text[toks[j].span] == "," && j > 0 {
                    return self
                        .mention(j - 1)
                        .filter(|(m, _)| m.name.is_some() || !m.pronoun);
                }
            }
            let start = self.clause_start(comma, floor);
            return self.first_mention(start, comma);
        }
        if is_punct(self.doc, &toks[k]) {
            return None;
        }
        self.mention(k)
    }

    /// The subject starting at token `i` (before `end`).
    fn subject_at(&self, i: usize, end: usize) -> Option<(Mention, Span)> {
        let t = self.tokens().get(i)?;
        if t.span.end() > end {
            return None;
        }
        self.mention(i)
    }

    /// The mention holding token `i`: an entity at the head of its noun phrase, the noun phrase,
    /// or a pronoun.
    fn mention(&self, i: usize) -> Option<(Mention, Span)> {
        let doc = self.doc;
        let t = &doc.tokens()[i];
        let word = &doc.text()[t.span];
        let lower = word.to_ascii_lowercase();
        if let Some(&person) = LEXICON.pronouns.get(lower.as_str()) {
            return Some((
                Mention {
                    name: None,
                    actor: None,
                    person,
                    pronoun: person,
                },
                t.span,
            ));
        }
        let np = self.noun_phrase(i);
        let head = np.map_or(i, |n| n.head.index());
        let head_span = doc.tokens().get(head).map_or(t.span, |h| h.span);
        if let Some(e) = self.entity_at(head_span).or_else(|| self.entity_at(t.span)) {
            let name = e
                .canonical
                .clone()
                .unwrap_or_else(|| doc.text()[e.span].to_string());
            let person = e.label == EntityLabel::Person;
            return Some((
                Mention {
                    name: Some(name),
                    actor: e.actor.clone(),
                    person,
                    pronoun: false,
                },
                e.span,
            ));
        }
        let np = np?;
        Some((
            Mention {
                name: None,
                actor: None,
                person: false,
                pronoun: false,
            },
            np.span,
        ))
    }

    fn noun_phrase(&self, i: usize) -> Option<&NounPhrase> {
        let nps = self.doc.noun_phrases();
        let k = nps.partition_point(|n| n.tokens.end <= i as u32);
        nps.get(k).filter(|n| n.tokens.start <= i as u32)
    }

    fn entity_at(&self, span: Span) -> Option<&sitrep_doc::Entity> {
        let es = self.doc.entities();
        let k = es.partition_point(|e| e.span.end() <= span.start());
        es.get(k)
            .filter(|e| e.span.start() <= span.start())
            .filter(|e| {
                matches!(
                    e.label,
                    EntityLabel::Person | EntityLabel::Org | EntityLabel::Gpe | EntityLabel::Group
                )
            })
    }

    /// Resolves a pronoun speaker to the last person who spoke, else the last person named.
    fn resolve(&self, f: &mut Attribution, last_person: &Option<(String, Option<String>)>) {
        if f.speaker.is_some() || !f.person {
            return;
        }
        if let Some((name, actor)) = last_person {
            f.speaker = Some(name.clone());
            f.actor = actor.clone();
            return;
        }
        let es = self.doc.entities();
        let k = es.partition_point(|e| e.span.start() < f.speaker_span.start());
        if let Some(e) = es[..k]
            .iter()
            .rev()
            .find(|e| e.label == EntityLabel::Person)
        {
            f.speaker = Some(
                e.canonical
                    .clone()
                    .unwrap_or_else(|| self.doc.text()[e.span].to_string()),
            );
            f.actor = e.actor.clone();
        }
    }
}

/// A speaker mention.
#[derive(Clone, Debug)]
struct Mention {
    name: Option<String>,
    actor: Option<String>,
    person: bool,
    pronoun: bool,
}

#[cfg(test)]
mod tests;
