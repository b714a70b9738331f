//! CAMEO event coding: who did what to whom, when and where.
//!
//! The [`EventCoder`] reads the chunks, actors, times and places of a document and, for each
//! sentence, codes:
//!
//! - **verb triggers**: a verb group's head lemma, particle, the prepositions after it and the heads
//!   of the phrases after it, matched against data/events/verbs.tsv (the most specific line wins).
//!   The source is the subject (the nearest noun phrase before the verb not inside a prepositional
//!   phrase, with coordinated phrases "X, Y and Z"; in the passive the "by" phrase); the target is
//!   the phrase after the pattern's preposition, else the object.
//! - **noun triggers**: "the first Russian strike against IS", "the capture of Aleppo by …" from
//!   data/events/nouns.tsv; the source is the phrase's own country or possessor, else the "by"
//!   phrase, else the subject of the verb that governs it.
//! - **complements**: "threatened to attack" is a threat (13x), "denied attacking" and "did not
//!   attack" are negated, "agreed to withdraw" is hypothetical, as are verbs with would, could,
//!   might, may or should and verbs in an "if" or "unless" clause. Negated and hypothetical events
//!   are not emitted.
//!
//! One event is emitted per trigger and source–target pair, and only when both sides have an
//! actor code. Date from [`event_date`], place from [`PlaceLinker::governing`], PLOVER type,
//! Goldstein score and quad class from data/events/.

pub(crate) mod dict;

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use sitrep_doc::layer::{Argument, Event, EventPlace, NounPhrase, Tense, VerbGroup};
use sitrep_doc::{Doc, EntityLabel, Layer, Pos, Span};

use crate::actor::ActorCoder;
use crate::kb::KnowledgeBase;
use crate::place::PlaceLinker;
use crate::time::event_date;
use crate::Stage;

use dict::{Complement, DICT};

/// Modals that make an act hypothetical.
const HYPOTHETICAL_MODALS: &[&str] = &["would", "could", "might", "may", "should"];
/// Conjunctions that open a conditional clause.
const CONDITIONALS: &[&str] = &["if", "unless"];

/// Codes CAMEO events from a document's chunks, actors, times and places.
#[derive(Clone, Debug)]
pub struct EventCoder {
    actors: ActorCoder,
    /// ISO 3166-1 alpha-2 → CAMEO country code, for targets that are only places ("Aleppo").
    countries: FxHashMap<String, String>,
    /// Every CAMEO country code, to tell a bare agent ("GOV") from a country ("SYR").
    country_codes: FxHashSet<String>,
}

impl Stage for EventCoder {
    fn name(&self) -> &'static str {
        "event"
    }

    fn requires(&self) -> &'static [Layer] {
        &[
            Layer::Chunks,
            Layer::Entities,
            Layer::Actors,
            Layer::Times,
            Layer::Places,
        ]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Events]
    }

    fn process(&self, doc: &mut Doc) {
        let events = self.code(doc);
        doc.set_events(events);
    }
}

/// A candidate event before dates and places are attached.
#[derive(Clone, Debug)]
struct Candidate {
    sentence: usize,
    trigger: Span,
    code: &'static str,
    /// Noun phrase indices.
    sources: Vec<usize>,
    targets: Vec<usize>,
    /// Phrases to take as targets when `targets` have no actor ("sent arms to Pakistan").
    fallback: Vec<usize>,
    /// Token range of the clause, for the date and place.
    clause: Range<u32>,
    negated: bool,
    hypothetical: bool,
    nominal: bool,
}

/// What the coder knows about one verb group of a sentence.
#[derive(Clone, Debug, Default)]
struct VerbInfo {
    subject: Vec<usize>,
    /// The rule's code and the target phrases.
    coded: Option<(&'static str, Vec<usize>)>,
    negated: bool,
    hypothetical: bool,
}

impl EventCoder {
    pub fn new(kb: Arc<KnowledgeBase>) -> EventCoder {
        let countries = kb
            .countries()
            .iter()
            .map(|c| (c.iso2.clone(), c.code.clone()))
            .collect();
        let country_codes = kb.countries().iter().map(|c| c.code.clone()).collect();
        EventCoder {
            actors: ActorCoder::new(kb),
            countries,
            country_codes,
        }
    }

    /// The events of `doc`, sorted by trigger start.
    pub fn code(&self, doc: &Doc) -> Vec<Event> {
        let mut events = Vec::new();
        let mut actor_memo: FxHashMap<usize, Option<String>> = FxHashMap::default();
        for (si, sent) in doc.sentences().iter().enumerate() {
            let toks = doc.tokens();
            let t0 = toks.partition_point(|t| t.span.start() < sent.span.start()) as u32;
            let t1 = toks.partition_point(|t| t.span.start() < sent.span.end()) as u32;
            if t0 >= t1 {
                continue;
            }
            let ctx = Sentence::new(doc, si, t0..t1);
            let mut candidates = ctx.verb_candidates();
            candidates.extend(ctx.noun_candidates());
            for c in candidates {
                if c.negated || c.hypothetical {
                    continue;
                }
                let mut actor = |np: usize| -> Option<String> {
                    actor_memo
                        .entry(np)
                        .or_insert_with(|| self.phrase_actor(doc, np))
                        .clone()
                };
                let nps = doc.noun_phrases();
                let mut sources: Vec<(Span, String)> = c
                    .sources
                    .iter()
                    .filter_map(|&n| Some((nps.get(n)?.span, actor(n)?)))
                    .collect();
                if c.nominal {
                    // The phrase's own actor, else the governing verb's subject.
                    sources.truncate(1);
                }
                let mut targets: Vec<(Span, String)> = c
                    .targets
                    .iter()
                    .filter_map(|&n| Some((nps.get(n)?.span, actor(n)?)))
                    .collect();
                // A bare agent ("police", "the army") takes the country where it acts.
                let here = PlaceLinker::governing(doc, c.sentence, c.clause.clone())
                    .and_then(|p| self.countries.get(p.country.as_deref()?));
                if let Some(country) = here {
                    for (_, a) in sources.iter_mut().chain(targets.iter_mut()) {
                        if a.len() == 3 && !self.country_codes.contains(a.as_str()) {
                            *a = format!("{country}{a}");
                        }
                    }
                }
                // Targets of the source's own country ("offered its troops to Lebanon"):
                // prefer a fallback phrase of another country.
                let own = |t: &[(Span, String)]| {
                    !t.is_empty()
                        && t.iter()
                            .all(|(_, a)| sources.iter().any(|(_, s)| s.get(..3) == a.get(..3)))
                };
                if own(&targets) {
                    let other: Vec<(Span, String)> = c
                        .fallback
                        .iter()
                        .filter(|n| !c.sources.contains(n) && !c.targets.contains(n))
                        .filter_map(|&n| Some((nps.get(n)?.span, actor(n)?)))
                        .filter(|(_, a)| !sources.iter().any(|(_, s)| s.get(..3) == a.get(..3)))
                        .take(1)
                        .collect();
                    if !other.is_empty() {
                        targets = other;
                    }
                }
                if targets.is_empty() {
                    targets = c
                        .fallback
                        .iter()
                        .filter(|n| !c.sources.contains(n))
                        .filter_map(|&n| Some((nps.get(n)?.span, actor(n)?)))
                        .take(1)
                        .collect();
                }
                if targets.is_empty() && !sources.is_empty() {
                    // No target named: the country where it happened ("demonstrated in Serbia").
                    if let Some((span, code)) =
                        PlaceLinker::governing(doc, c.sentence, c.clause.clone()).and_then(|p| {
                            Some((p.span, self.countries.get(p.country.as_deref()?)?.clone()))
                        })
                    {
                        if !sources.iter().any(|(s, _)| s.overlaps(span)) {
                            targets.push((span, code));
                        }
                    }
                }
                let sides = pairs(&sources, &targets);
                for (src, tgt) in sides {
                    if let Some(e) = self.event(doc, &c, src, tgt) {
                        events.push(e);
                    }
                }
            }
        }
        events.sort_by_key(|e| (e.trigger.start(), e.trigger.end()));
        events.dedup_by(|a, b| {
            a.trigger == b.trigger
                && a.code == b.code
                && a.source.as_ref().map(|s| &s.actor) == b.source.as_ref().map(|s| &s.actor)
                && a.target.as_ref().map(|s| &s.actor) == b.target.as_ref().map(|s| &s.actor)
        });
        events
    }

    /// The actor code of noun phrase `np`: the actor coder's, else the country of a place the
    /// phrase names ("Aleppo" → SYR).
    fn phrase_actor(&self, doc: &Doc, np: usize) -> Option<String> {
        if let Some(code) = self.actors.code_phrase(doc, np) {
            return Some(code);
        }
        let phrase = doc.noun_phrases().get(np)?;
        let span = phrase.span;
        if phrase.tokens.len() == 1
            && matches!(doc.text()[span].to_lowercase().as_str(), "he" | "she")
        {
            // A personal pronoun: the last person named before it with an actor code.
            let before = doc
                .entities()
                .partition_point(|e| e.span.end() <= span.start());
            return doc.entities()[..before]
                .iter()
                .rev()
                .filter(|e| e.label == EntityLabel::Person)
                .find_map(|e| e.actor.clone());
        }
        // An entity inside the phrase whose head the actor coder could not use ("The Security
        // Council today", "a top U.S. official"): its actor.
        let inside = doc
            .entities()
            .iter()
            .filter(|e| span.contains(e.span))
            .filter(|e| !matches!(e.label, EntityLabel::Loc | EntityLabel::Fac))
            .find_map(|e| e.actor.clone());
        if inside.is_some() {
            return inside;
        }
        let place = doc
            .places()
            .iter()
            .filter(|p| span.contains(p.span))
            .find_map(|p| self.countries.get(p.country.as_deref()?))
            .cloned();
        if place.is_some() {
            return place;
        }
        // A quantity or group "of" actors: "thousands of Iraqi Kurds", "a group of Yoruba leaders".
        let end = phrase.tokens.end as usize;
        let of = doc.tokens().get(end)?;
        if !doc.text()[of.span].eq_ignore_ascii_case("of") {
            return None;
        }
        let next = np + 1;
        let n = doc.noun_phrases().get(next)?;
        (n.tokens.start as usize == end + 1)
            .then(|| self.actors.code_phrase(doc, next))
            .flatten()
    }

    fn event(
        &self,
        doc: &Doc,
        c: &Candidate,
        source: Option<(Span, &str)>,
        target: Option<(Span, &str)>,
    ) -> Option<Event> {
        let facts = DICT.facts(c.code)?;
        let (date, date_precision, date_from) = match event_date(doc, c.sentence, c.clause.clone())
        {
            Some((d, p, f)) => (Some(d), Some(p), f),
            None => (None, None, sitrep_doc::layer::DateFrom::Published),
        };
        let place = PlaceLinker::governing(doc, c.sentence, c.clause.clone()).map(|p| EventPlace {
            span: p.span,
            name: p.name.clone(),
            country: p.country.clone(),
            lat: p.lat,
            lon: p.lon,
        });
        let confidence = match (c.nominal, source.is_some() && target.is_some()) {
            (false, true) => 0.9,
            (true, true) => 0.7,
            (false, false) => 0.6,
            (true, false) => 0.5,
        };
        let arg = |side: Option<(Span, &str)>| -> Option<Argument> {
            let (span, actor) = side?;
            Some(Argument {
                span,
                actor: Some(actor.to_owned()),
            })
        };
        Some(Event {
            sentence: c.sentence as u32,
            trigger: c.trigger,
            code: c.code.to_owned(),
            root: c.code.get(..2).unwrap_or(c.code).to_owned(),
            plover: DICT.plover(c.code).map(str::to_owned),
            goldstein: facts.goldstein,
            quad: facts.quad,
            source: arg(source),
            target: arg(target),
            date,
            date_precision,
            date_from,
            place,
            negated: c.negated,
            hypothetical: c.hypothetical,
            confidence,
        })
    }
}

/// One sentence's chunks.
struct Sentence<'a> {
    doc: &'a Doc,
    index: usize,
    tokens: Range<u32>,
    /// Indices into the document's verb groups and noun phrases.
    verbs: Range<usize>,
    nps: Range<usize>,
}

impl<'a> Sentence<'a> {
    fn new(doc: &'a Doc, index: usize, tokens: Range<u32>) -> Sentence<'a> {
        let vg = doc.verb_groups();
        let v0 = vg.partition_point(|v| v.tokens.start < tokens.start);
        let v1 = vg.partition_point(|v| v.tokens.start < tokens.end);
        let np = doc.noun_phrases();
        let n0 = np.partition_point(|n| n.tokens.start < tokens.start);
        let n1 = np.partition_point(|n| n.tokens.start < tokens.end);
        Sentence {
            doc,
            index,
            tokens,
            verbs: v0..v1.max(v0),
            nps: n0..n1.max(n0),
        }
    }

    fn vg(&self, i: usize) -> &'a VerbGroup {
        &self.doc.verb_groups()[i]
    }

    fn np(&self, i: usize) -> &'a NounPhrase {
        &self.doc.noun_phrases()[i]
    }

    /// The lower-case text of token `i`.
    fn word(&self, i: u32) -> String {
        self.doc
            .tokens()
            .get(i as usize)
            .map(|t| self.doc.text()[t.span].to_lowercase())
            .unwrap_or_default()
    }

    /// The lemma of token `i` (its lower-case text when it has none).
    fn lemma(&self, i: u32) -> String {
        match self.doc.tokens().get(i as usize) {
            Some(t) => match &t.lemma {
                Some(l) => l.to_lowercase(),
                None => self.doc.text()[t.span].to_lowercase(),
            },
            None => String::new(),
        }
    }

    fn is_adp(&self, i: u32) -> bool {
        self.doc
            .tokens()
            .get(i as usize)
            .is_some_and(|t| t.pos == Some(Pos::Adp))
    }

    /// The noun phrase starting at token `i` (or one token later, after a determiner the chunker
    /// left out).
    fn np_at(&self, i: u32) -> Option<usize> {
        self.nps
            .clone()
            .find(|&n| self.np(n).tokens.start == i || self.np(n).tokens.start == i + 1)
    }

    /// `np` and the phrases coordinated after it ("Iran and Turkey", "Iran, Turkey and Iraq").
    fn with_coordinated(&self, np: usize, limit: u32) -> Vec<usize> {
        let mut out = vec![np];
        let mut cur = np;
        loop {
            let end = self.np(cur).tokens.end;
            let mut i = end;
            let mut saw = false;
            while i < limit && matches!(self.word(i).as_str(), "," | "and" | "or") {
                saw = true;
                i += 1;
            }
            if !saw || i >= limit {
                break;
            }
            match self.nps.clone().find(|&n| self.np(n).tokens.start == i) {
                Some(n) if n > cur => {
                    out.push(n);
                    cur = n;
                }
                _ => break,
            }
        }
        out
    }

    /// `np` and the phrases coordinated before it ("Russia and Iran" backwards from "Iran").
    fn with_coordinated_before(&self, np: usize, floor: u32) -> Vec<usize> {
        let mut out = vec![np];
        let mut cur = np;
        loop {
            let start = self.np(cur).tokens.start;
            let mut i = start;
            let mut saw = false;
            while i > floor && matches!(self.word(i - 1).as_str(), "," | "and") {
                saw = true;
                i -= 1;
            }
            if !saw || i <= floor {
                break;
            }
            match self.nps.clone().rev().find(|&n| self.np(n).tokens.end == i) {
                Some(n) if n < cur && !self.after_adp(n) => {
                    out.push(n);
                    cur = n;
                }
                _ => break,
            }
        }
        out.reverse();
        out
    }

    /// Whether noun phrase `n` is a time expression ("today", "last week").
    fn is_time(&self, n: usize) -> bool {
        let span = self.np(n).span;
        self.doc.times().iter().any(|t| t.span.contains(span))
    }

    /// Whether noun phrase `n` is a lone personal pronoun.
    fn is_pronoun(&self, n: usize) -> bool {
        let np = self.np(n);
        np.tokens.len() == 1
            && matches!(
                self.word(np.tokens.start).as_str(),
                "he" | "she" | "it" | "they" | "we" | "i"
            )
    }

    /// Whether noun phrase `n` stands right after a preposition.
    fn after_adp(&self, n: usize) -> bool {
        let s = self.np(n).tokens.start;
        s > self.tokens.start && self.is_adp(s - 1)
    }

    /// The subject of verb group `v`: the nearest noun phrase before it, not after a preposition,
    /// with no finite verb group in between; with its coordinated phrases.
    fn subject(&self, v: usize) -> Vec<usize> {
        let start = self.vg(v).tokens.start;
        // The nearest finite verb group before: the clause boundary.
        let floor = self
            .verbs
            .clone()
            .take_while(|&w| w < v)
            .filter(|&w| self.vg(w).tense != Tense::Nonfinite)
            .map(|w| self.vg(w).tokens.end)
            .max()
            .unwrap_or(self.tokens.start);
        let found = self
            .nps
            .clone()
            .rev()
            .filter(|&n| self.np(n).tokens.end <= start && self.np(n).tokens.start >= floor)
            .filter(|&n| {
                // Not inside a reduced clause ("backed by Russia") nor a relative pronoun.
                !self.after_adp(n) && !self.inside_nonfinite_clause(n, v) && !self.is_time(n)
            })
            .find(|&n| {
                !matches!(
                    self.word(self.np(n).head.0).as_str(),
                    "which" | "that" | "who"
                )
            });
        match found {
            Some(n) => self.with_coordinated_before(n, floor),
            None => Vec::new(),
        }
    }

    /// Whether noun phrase `n` sits between a non-finite verb group and verb group `v`
    /// ("Syrian forces, backed by Russian air power, captured").
    fn inside_nonfinite_clause(&self, n: usize, v: usize) -> bool {
        let s = self.np(n).tokens.start;
        self.verbs.clone().take_while(|&w| w < v).any(|w| {
            let g = self.vg(w);
            g.tense == Tense::Nonfinite
                && g.tokens.end <= s
                && g.tokens.start > self.tokens.start
                && self.word(g.tokens.start - 1) == ","
        })
    }

    /// The end (token) of the clause of verb group `v`: the next verb group's start, else the
    /// sentence end.
    fn clause_end(&self, v: usize) -> u32 {
        self.verbs
            .clone()
            .find(|&w| w > v)
            .map_or(self.tokens.end, |w| self.vg(w).tokens.start)
    }

    /// The verb group that follows `v` as its complement ("threatened to attack", "denied
    /// attacking", "called on Iran to help"): the next group, non-finite, with at most an object
    /// phrase and "to" in between.
    fn complement_of(&self, v: usize) -> Option<usize> {
        let w = v + 1;
        if w >= self.verbs.end {
            return None;
        }
        let g = self.vg(w);
        if g.tense != Tense::Nonfinite {
            return None;
        }
        let gap = self.vg(v).tokens.end..g.tokens.start;
        let words_between = (gap.start..gap.end)
            .filter(|&i| !self.nps.clone().any(|n| self.np(n).tokens.contains(&i)))
            .map(|i| self.word(i))
            .filter(|w| !matches!(w.as_str(), "to" | "and" | ","))
            .count();
        let particle = self.vg(v).particle.is_some() as usize;
        (words_between <= 1 + particle && gap.end.saturating_sub(gap.start) <= 10).then_some(w)
    }

    /// Whether verb group `v` stands in a conditional clause ("if they attack").
    fn conditional(&self, v: usize) -> bool {
        let start = self.vg(v).tokens.start;
        let floor = self
            .verbs
            .clone()
            .take_while(|&w| w < v)
            .map(|w| self.vg(w).tokens.end)
            .max()
            .unwrap_or(self.tokens.start);
        (floor..start).any(|i| CONDITIONALS.contains(&self.word(i).as_str()))
    }

    /// Whether a conditional clause ("unless", "if") follows verb group `v` in the sentence.
    fn condition_after(&self, v: usize) -> bool {
        (self.vg(v).tokens.end..self.tokens.end)
            .any(|i| CONDITIONALS.contains(&self.word(i).as_str()))
    }

    /// Matches verb group `v` against the verb patterns: the code and the target phrases.
    fn match_verb(&self, v: usize) -> Option<(&'static str, Vec<usize>)> {
        let g = self.vg(v);
        let lemma = self.lemma(g.head.0);
        let rules = DICT.verbs.get(lemma.as_str())?;
        let particle = g.particle.map(|p| self.word(p.0));
        let end = self.clause_end(v);
        let after = g.tokens.end..end;
        let object_heads: Vec<String> = self
            .nps
            .clone()
            .filter(|&n| after.contains(&self.np(n).tokens.start))
            .map(|n| self.lemma(self.np(n).head.0))
            .collect();
        let preps: Vec<(u32, String)> = after
            .clone()
            .filter(|&i| self.is_adp(i) || Some(i) == g.particle.map(|p| p.0))
            .map(|i| (i, self.word(i)))
            .collect();
        let rule = rules
            .iter()
            .filter(|r| r.particle.is_none_or(|p| particle.as_deref() == Some(p)))
            .filter(|r| {
                r.preposition
                    .is_none_or(|p| preps.iter().any(|(_, w)| w == p))
            })
            .filter(|r| r.object.is_none_or(|o| object_heads.iter().any(|h| h == o)))
            .max_by_key(|r| r.specificity())?;
        let targets = if let Some(p) = rule.preposition {
            preps
                .iter()
                .find(|(_, w)| w == p)
                .and_then(|(i, _)| self.np_at(i + 1))
                .map_or_else(Vec::new, |n| self.with_coordinated(n, end))
        } else if g.passive {
            Vec::new()
        } else {
            self.object(v)
        };
        Some((rule.code, targets))
    }

    /// The object of verb group `v`: the first phrase after it in its clause not inside a
    /// prepositional phrase (the particle aside: "called on Iran"), with coordinated phrases;
    /// else the first phrase after a preposition ("cut off electricity to Azerbaijan").
    fn object(&self, v: usize) -> Vec<usize> {
        let g = self.vg(v);
        let end = self.clause_end(v);
        let after = g.tokens.end..end;
        let direct = self.nps.clone().find(|&n| {
            let s = self.np(n).tokens.start;
            after.contains(&s) && (!self.is_adp(s - 1) || Some(s - 1) == g.particle.map(|p| p.0))
        });
        match direct {
            Some(n) => self.with_coordinated(n, end),
            None => Vec::new(),
        }
    }

    /// The phrases after verb group `v` in its clause that have no preposition before them or
    /// follow "to", "against", "with" or "on": candidate targets when the pattern names none.
    fn any_phrase_after(&self, v: usize) -> Vec<usize> {
        // Up to the next finite verb group: a participle ("suspected of") does not end it.
        let end = self
            .verbs
            .clone()
            .filter(|&w| w > v && self.vg(w).tense != Tense::Nonfinite)
            .map(|w| self.vg(w).tokens.start)
            .next()
            .unwrap_or(self.tokens.end);
        let after = self.vg(v).tokens.end..end;
        self.nps
            .clone()
            .filter(|&n| {
                let s = self.np(n).tokens.start;
                after.contains(&s)
                    && (!self.is_adp(s - 1)
                        || matches!(self.word(s - 1).as_str(), "to" | "against" | "with" | "on"))
            })
            .collect()
    }

    /// The "by" phrase after verb group or noun phrase ending at `from`, before `end`.
    fn by_phrase(&self, from: u32, end: u32) -> Option<Vec<usize>> {
        let i = (from..end).find(|&i| self.word(i) == "by" && self.is_adp(i))?;
        let n = self.np_at(i + 1)?;
        Some(self.with_coordinated(n, end))
    }

    fn verb_candidates(&self) -> Vec<Candidate> {
        let mut info: Vec<VerbInfo> = vec![VerbInfo::default(); self.verbs.len()];
        let mut out = Vec::new();
        for v in self.verbs.clone() {
            let k = v - self.verbs.start;
            let g = self.vg(v);
            let modal = g.modal.map(|m| self.word(m.0));
            if info[k].subject.is_empty() {
                info[k].subject = self.subject(v);
                let earlier = || {
                    (self.verbs.start..v)
                        .rev()
                        .filter(|&w| self.vg(w).tense != Tense::Nonfinite)
                        .map(|w| &info[w - self.verbs.start].subject)
                        .find(|s| !s.is_empty() && !s.iter().all(|&n| self.is_pronoun(n)))
                        .cloned()
                };
                let participle = g.tense == Tense::Nonfinite
                    && g.tokens.start > self.tokens.start
                    && matches!(self.word(g.tokens.start - 1).as_str(), "," | "and")
                    && !self.word(g.tokens.start).eq("to");
                let pronoun = info[k].subject.len() == 1
                    && self.is_pronoun(info[k].subject[0])
                    && !matches!(
                        self.word(self.np(info[k].subject[0]).tokens.start).as_str(),
                        "he" | "she"
                    );
                if participle || pronoun {
                    if let Some(s) = earlier() {
                        info[k].subject = s;
                    }
                }
            }
            info[k].negated |= g.negated;
            let reported = (self.verbs.start..v).any(|w| {
                DICT.complements.get(self.lemma(self.vg(w).head.0).as_str())
                    == Some(&Complement::Report)
            });
            // "will withdraw", "said it would withdraw": a stated intention.
            let future = match modal.as_deref() {
                Some("will" | "shall" | "'ll") => true,
                Some("would") => reported,
                _ => false,
            };
            info[k].hypothetical |= (!future
                && modal
                    .as_deref()
                    .is_some_and(|m| HYPOTHETICAL_MODALS.contains(&m)))
                || self.conditional(v);
            info[k].coded = self.match_verb(v);
            if future {
                if let Some((code, targets)) = info[k].coded.take() {
                    let coop =
                        matches!(code.get(..2), Some("03" | "04" | "05" | "06" | "07" | "08"));
                    if info[k].negated && coop {
                        // "will not accept", "would not meet": a refusal.
                        info[k].negated = false;
                        info[k].coded = Some(("120", targets));
                    } else {
                        let code = intention_code(code, self.condition_after(v));
                        info[k].coded = Some((code, targets));
                    }
                }
            }
            // Pass subject, negation and hypotheticality to a complement.
            if let Some(w) = self.complement_of(v) {
                let kw = w - self.verbs.start;
                let lemma = self.lemma(g.head.0);
                let kind = DICT.complements.get(lemma.as_str()).copied();
                // Object control ("called on Iran to help"): the object is the complement's
                // subject; else the verb's own subject.
                let gap = g.tokens.end..self.vg(w).tokens.start;
                let object = self
                    .nps
                    .clone()
                    .filter(|&n| gap.contains(&self.np(n).tokens.start))
                    .collect::<Vec<_>>();
                info[kw].subject = match object.first() {
                    Some(&n) if kind != Some(Complement::Threat) => {
                        self.with_coordinated(n, gap.end)
                    }
                    _ => info[k].subject.clone(),
                };
                info[kw].negated |= info[k].negated;
                info[kw].hypothetical |= info[k].hypothetical;
                match kind {
                    Some(Complement::Realis) => {}
                    Some(Complement::Deny) => info[kw].negated = true,
                    Some(Complement::Threat) => {
                        let comp = self.match_verb(w);
                        match comp {
                            Some((code, targets)) if code.get(..2) >= Some("14") => {
                                let threat = threat_code(code);
                                info[k].coded = Some((threat, targets));
                            }
                            _ => {
                                // The threat's own code, against the complement's target
                                // ("threatened to cut off electricity to Azerbaijan").
                                if let Some((code, own)) = info[k].coded.take() {
                                    let mut targets = own;
                                    if targets.is_empty() {
                                        targets = comp.map(|(_, t)| t).unwrap_or_default();
                                    }
                                    if targets.is_empty() {
                                        targets = self.any_phrase_after(w);
                                    }
                                    info[k].coded = Some((code, targets));
                                }
                            }
                        }
                        info[kw].hypothetical = true;
                    }
                    Some(Complement::Report) | None => info[kw].hypothetical = true,
                }
            }
            // "X said Y must withdraw": X demands of Y.
            if modal.as_deref() == Some("must") && !info[k].negated {
                let reporter = (self.verbs.start..v).rev().find(|&w| {
                    DICT.complements.get(self.lemma(self.vg(w).head.0).as_str())
                        == Some(&Complement::Report)
                });
                if let Some(r) = reporter {
                    let kr = r - self.verbs.start;
                    out.push(Candidate {
                        sentence: self.index,
                        trigger: self.doc.tokens()[g.head.index()].span,
                        code: "100",
                        sources: info[kr].subject.clone(),
                        targets: info[k].subject.clone(),
                        fallback: Vec::new(),
                        clause: self.vg(r).tokens.start..self.clause_end(v),
                        negated: false,
                        hypothetical: false,
                        nominal: false,
                    });
                    info[k].hypothetical = true;
                }
            }
            let Some((code, targets)) = info[k].coded.clone() else {
                continue;
            };
            let (sources, targets) = if g.passive {
                let end = self.clause_end(v);
                let by = self.by_phrase(g.tokens.end, end).unwrap_or_default();
                (by, info[k].subject.clone())
            } else {
                (info[k].subject.clone(), targets)
            };
            let first = sources
                .iter()
                .map(|&n| self.np(n).tokens.start)
                .min()
                .unwrap_or(g.tokens.start);
            out.push(Candidate {
                sentence: self.index,
                trigger: self.doc.tokens()[g.head.index()].span,
                code,
                sources,
                targets,
                fallback: if g.passive {
                    Vec::new()
                } else {
                    self.any_phrase_after(v)
                },
                clause: first.min(g.tokens.start)..self.clause_end(v),
                negated: info[k].negated,
                hypothetical: info[k].hypothetical,
                nominal: false,
            });
        }
        out
    }

    fn noun_candidates(&self) -> Vec<Candidate> {
        let mut out = Vec::new();
        for n in self.nps.clone() {
            let np = self.np(n);
            // A head inside a time expression is a date, not an act ("in March 2016").
            let head_span = self.doc.tokens()[np.head.index()].span;
            if self.doc.times().iter().any(|t| t.span.contains(head_span)) {
                continue;
            }
            let lemma = self.lemma(np.head.0);
            // A two-word noun first ("hunger strike", "air strike"), then the head alone.
            let compound = (np.head.0 > np.tokens.start)
                .then(|| format!("{} {lemma}", self.lemma(np.head.0 - 1)));
            let Some(rules) = compound
                .and_then(|c| DICT.nouns.get(c.as_str()))
                .or_else(|| DICT.nouns.get(lemma.as_str()))
            else {
                continue;
            };
            let end = self.tokens.end;
            // "the withdrawal of Russian troops from Syria": "of" names the agent when the
            // pattern's preposition is another one.
            let mut i = np.tokens.end;
            let mut of_agent = None;
            if self.word(i) == "of" && !rules.iter().any(|r| r.preposition == "of") {
                if let Some(a) = self.np_at(i + 1) {
                    of_agent = Some(a);
                    i = self.np(a).tokens.end;
                }
            }
            let word = self.word(i);
            let with_target = rules
                .iter()
                .find(|r| !r.preposition.is_empty() && r.preposition == word)
                .and_then(|r| Some((r, self.np_at(i + 1)?)));
            let (rule, targets) = match with_target {
                Some((r, t)) => (r, self.with_coordinated(t, end)),
                None => match rules.iter().find(|r| r.preposition.is_empty()) {
                    Some(r) => (r, Vec::new()),
                    None => continue,
                },
            };
            let last = targets.last().map_or(i, |&t| self.np(t).tokens.end);
            let governing = self
                .verbs
                .clone()
                .rev()
                .find(|&v| self.vg(v).tokens.end <= np.tokens.start)
                .filter(|&v| self.clause_end(v) >= np.tokens.end);
            let (negated, hypothetical) = governing.map_or((false, false), |v| {
                let g = self.vg(v);
                let modal = g.modal.map(|m| self.word(m.0));
                (
                    g.negated,
                    modal
                        .as_deref()
                        .is_some_and(|m| HYPOTHETICAL_MODALS.contains(&m))
                        || self.conditional(v),
                )
            });
            let sources = if let Some(a) = of_agent {
                vec![a]
            } else if let Some(by) = self.by_phrase(last, (last + 2).min(end)) {
                by
            } else {
                let mut s = vec![n];
                // The subject of the verb the phrase is the object of ("Russia launched …").
                if let Some(v) = self
                    .verbs
                    .clone()
                    .rev()
                    .find(|&v| self.vg(v).tokens.end <= np.tokens.start)
                {
                    if self.clause_end(v) >= np.tokens.end && !self.vg(v).passive {
                        s.extend(self.subject(v));
                    }
                }
                s
            };
            out.push(Candidate {
                sentence: self.index,
                trigger: self.doc.tokens()[np.head.index()].span,
                code: rule.code,
                sources,
                targets,
                fallback: Vec::new(),
                clause: np.tokens.start..last,
                negated,
                hypothetical,
                nominal: true,
            });
        }
        out
    }
}

/// The source–target pairs of an event: every pair of different actors when both sides have
/// one, else each actor of the side that has one.
#[allow(clippy::type_complexity)]
fn pairs<'a>(
    sources: &'a [(Span, String)],
    targets: &'a [(Span, String)],
) -> Vec<(Option<(Span, &'a str)>, Option<(Span, &'a str)>)> {
    let side = |v: &'a [(Span, String)]| -> Vec<(Span, &'a str)> {
        v.iter().map(|(n, a)| (*n, a.as_str())).collect()
    };
    let (s, t) = (side(sources), side(targets));
    match (s.is_empty(), t.is_empty()) {
        (true, true) => Vec::new(),
        (false, true) => s.into_iter().map(|x| (Some(x), None)).collect(),
        (true, false) => t.into_iter().map(|x| (None, Some(x))).collect(),
        (false, false) => {
            let mut out = Vec::new();
            for &(sn, sa) in &s {
                for &(tn, ta) in &t {
                    if sn != tn && sa != ta {
                        out.push((Some((sn, sa)), Some((tn, ta))));
                    }
                }
            }
            if out.is_empty() {
                // Only self-pairs ("Egyptian police arrested Egyptians"): keep the source.
                out.extend(s.into_iter().take(1).map(|x| (Some(x), None)));
            }
            out
        }
    }
}

/// The code of a stated future act: a conditional conflict act is a threat ("will withdraw …
/// unless", "will attack if"); a cooperative act is an intention (03x); others keep their code.
fn intention_code(code: &'static str, conditional: bool) -> &'static str {
    match code.get(..2) {
        Some("14" | "15" | "16" | "17" | "18" | "19" | "20") if conditional => threat_code(code),
        Some("08") if conditional => "130",
        Some("04") => "036",
        Some("05") => "032",
        Some("06") => "031",
        Some("07") => "033",
        Some("08") => "035",
        _ => code,
    }
}

/// The threat code for a threatened act: force → 138, sanctions → 132, repression → 137,
/// protest → 133, else 130.
fn threat_code(code: &str) -> &'static str {
    match code.get(..2) {
        Some("18" | "19" | "20") => "138",
        Some("16") => "132",
        Some("17") => "137",
        Some("14") => "133",
        _ => "130",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threat_codes() {
        assert_eq!(threat_code("190"), "138");
        assert_eq!(threat_code("163"), "132");
        assert_eq!(threat_code("040"), "130");
    }
}
