//! Base noun phrases and verb groups.
//!
//! The [`Chunker`] reads each token's part of speech and lemma and fills two layers in one
//! left-to-right pass per sentence (chunks never cross a sentence boundary):
//!
//! - **noun phrases** ([`NounPhrase`]): maximal non-recursive phrases, "Russian President
//!   Vladimir Putin", "the Islamic State group", "more than 1,000 towns", and pronouns on their
//!   own ("he"). The head is the rightmost noun or proper noun, else the rightmost number, else
//!   (in "the wounded") the adjective. A possessive stays inside one phrase: "Syria's army" is
//!   one phrase with head "army", and [`possessor`] gives its possessor ("Syria"; "his" in "his
//!   forces"). Coordinated phrases are separate ("Russian and Syrian forces" → "Syrian forces").
//! - **verb groups** ([`VerbGroup`]): auxiliaries, modal, negators and adverbs in between, the main
//!   verb and an adjacent particle: "did not attack", "has been liberated", "would quickly deal",
//!   "called off", "to withdraw", "is going to strike". The head is the main verb, or the last
//!   auxiliary when there is none (the copula "is"). Rules, in the order a reader needs them:
//!   - *tense*: a modal decides it from its form (will/shall/'ll/"going to" → future;
//!     would/could/might/should/'d → past; can/may/must → present: data/chunk/modals.txt), else
//!     the first verb of the group: "did"/"attacked" → past, "is"/"attacks" → present, "to",
//!     "being", "having", "attacking" first → nonfinite. A lone "-ed" verb right after a noun or
//!     punctuation and before "by" is a reduced passive ("the convoy attacked by militants"):
//!     passive, nonfinite.
//!   - *aspect and voice*: be + "-ing" → progressive; be/get + participle → passive;
//!     have + participle → perfect ("was being held": progressive, passive, past).
//!   - *negation*: not, n't, never, "no longer" before or inside the group, or right after a
//!     copula ("is not").
//!   - *particles*: a word of data/chunk/particles.txt right after the verb is its particle when
//!     verb and word form a listed phrasal verb, or when the word is a `free` particle (out, off,
//!     up, …, not by, into, about, …) and no noun phrase or quantity follows ("pulled out of");
//!     a listed phrasal verb also takes its particle after a short object ("called the talks
//!     off"): the group's tokens are then just "called" and `particle` points past them.
//!   - *questions*: in "Did rebels attack the town?" the fronted auxiliary is no group of its own:
//!     its tense, modal and negation pass to the group "attack" after the subject.
//!   - *coordination*: in "were arrested and charged", "charged" is a group of its own that shares
//!     the auxiliaries of the first ("charged": passive, past); so does a shared modal or "to".
//!   - "is expected to withdraw" is two groups: "is expected" (passive) and "to withdraw".
//!
//! Without Penn tags the form of a main verb comes from comparing it with its lemma ("attacked"
//! vs "attack" → past or participle; equal → base, which also covers "was hit"); without a
//! lemma, from its suffix. Closed-class words (auxiliaries, modals, negators, particles) are
//! matched on the lower-cased token text (’ as '), so they work without lemmas.

mod lexicon;
mod noun;
mod verb;

use std::ops::Range;

use sitrep_doc::layer::{NounPhrase, TokenIdx, VerbGroup};
use sitrep_doc::{Doc, Layer, Pos, Sentence, Span, Token};

use crate::Stage;
use lexicon::{lexicon, Lexicon, Word};

/// Finds base noun phrases and verb groups (auxiliaries, modals, negation, particles).
#[derive(Debug, Default)]
pub struct Chunker {}

impl Chunker {
    pub fn new() -> Chunker {
        Chunker {}
    }

    /// The noun phrases and verb groups of `tokens` (sorted, with parts of speech and lemmas),
    /// chunked within each sentence (`sentences` may be empty: then the whole text is one).
    pub fn chunk(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
    ) -> (Vec<NounPhrase>, Vec<VerbGroup>) {
        let toks = classify(text, tokens, sentences);
        let scan = Scan {
            lex: lexicon(),
            text,
            tokens,
            toks: &toks,
        };
        let mut out = Chunks {
            noun_phrases: Vec::with_capacity(tokens.len() / 4),
            verb_groups: Vec::with_capacity(tokens.len() / 8),
        };
        let mut start = 0;
        for i in 1..=toks.len() {
            if i == toks.len() || toks[i].first {
                scan.segment(start, i, &mut out);
                start = i;
            }
        }
        (out.noun_phrases, out.verb_groups)
    }
}

impl Stage for Chunker {
    fn name(&self) -> &'static str {
        "chunk"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Tokens, Layer::PartsOfSpeech, Layer::Lemmas]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Chunks]
    }

    fn process(&self, doc: &mut Doc) {
        let (noun_phrases, verb_groups) = self.chunk(doc.text(), doc.tokens(), doc.sentences());
        doc.set_chunks(noun_phrases, verb_groups);
    }
}

/// The possessor inside a noun phrase: the tokens before its last possessive marker ("Syria" in
/// "Syria's army", "the president" in "the president's son"), or a leading possessive pronoun
/// ("his" in "his forces"). None when the phrase has no possessor.
pub fn possessor(doc: &Doc, np: &NounPhrase) -> Option<Range<u32>> {
    let lex = lexicon();
    let tokens = doc.tokens();
    let range = np.tokens.start as usize..(np.tokens.end as usize).min(tokens.len());
    let word = |i: usize| lex.word(&doc.text()[tokens[i].span]);
    let marker = range
        .clone()
        .rev()
        .skip(1)
        .find(|&i| tokens[i].pos == Some(Pos::Part) && word(i).has(lexicon::POSS_MARKER));
    if let Some(m) = marker.filter(|&m| m > range.start) {
        return Some(range.start as u32..m as u32);
    }
    let first = range.start;
    (range.len() > 1
        && tokens[first].pos == Some(Pos::Pron)
        && word(first).has(lexicon::POSS_PRONOUN))
    .then(|| first as u32..first as u32 + 1)
}

/// The form of a verb, from its text and lemma.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VForm {
    /// Not a verb.
    None,
    /// "attack", and irregular participles equal to their base ("hit", "put").
    Base,
    /// "attacks".
    S,
    /// "attacking".
    Ing,
    /// "attacked", "fled", "taken": past or participle.
    Ed,
}

/// What the chunker needs of one token, computed once.
#[derive(Clone, Copy, Debug)]
struct Tok {
    pos: Pos,
    word: Word,
    form: VForm,
    /// The first token of a sentence (or of a stretch between sentences).
    first: bool,
}

/// One look-up per token: part of speech, closed-class word, verb form, sentence starts.
fn classify(text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<Tok> {
    let lex = lexicon();
    let mut toks = Vec::with_capacity(tokens.len());
    let mut s = 0;
    let mut last = (usize::MAX, false);
    for t in tokens {
        let start = t.span.start();
        while s < sentences.len() && sentences[s].span.end() <= start {
            s += 1;
        }
        let inside = s < sentences.len() && sentences[s].span.start() <= start;
        let first = (s, inside) != last;
        last = (s, inside);
        let pos = t.pos.unwrap_or(Pos::X);
        let word_text = text.get(t.span.range()).unwrap_or("");
        let word = match pos {
            Pos::Noun | Pos::Propn | Pos::Num | Pos::Punct | Pos::Sym => Word::default(),
            _ => lex.word(word_text),
        };
        let form = match pos {
            Pos::Verb | Pos::Aux => verb_form(word_text, t.lemma.as_deref()),
            _ => VForm::None,
        };
        toks.push(Tok {
            pos,
            word,
            form,
            first,
        });
    }
    toks
}

/// The form of a verb: compared with its lemma when there is one, else from its suffix.
fn verb_form(text: &str, lemma: Option<&str>) -> VForm {
    let ends = |suffix: &str| {
        text.len() > suffix.len() + 1
            && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    match lemma {
        Some(lemma) if text.eq_ignore_ascii_case(lemma) => VForm::Base,
        Some(lemma) => {
            let extra = text.len().saturating_sub(lemma.len());
            if ends("ing") {
                VForm::Ing
            } else if ends("s")
                && (1..=2).contains(&extra)
                && text.as_bytes()[..lemma.len()].eq_ignore_ascii_case(lemma.as_bytes())
            {
                VForm::S
            } else {
                VForm::Ed
            }
        }
        None if ends("ing") => VForm::Ing,
        None if ends("ed") => VForm::Ed,
        None if ends("s") && !ends("ss") => VForm::S,
        None => VForm::Base,
    }
}

/// The output being built.
struct Chunks {
    noun_phrases: Vec<NounPhrase>,
    verb_groups: Vec<VerbGroup>,
}

/// The chunker's view of one document.
struct Scan<'a> {
    lex: &'static Lexicon,
    text: &'a str,
    tokens: &'a [Token],
    toks: &'a [Tok],
}

impl Scan<'_> {
    fn text(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span]
    }

    /// The span from token `start` to token `end - 1`.
    fn span(&self, tokens: Range<usize>) -> Span {
        let start = self.tokens[tokens.start].span.start();
        let end = self.tokens[tokens.end - 1].span.end().max(start);
        Span::new(start, end)
    }

    /// Chunks tokens `a..b`, one sentence.
    fn segment(&self, a: usize, b: usize, out: &mut Chunks) {
        let mut pending: Option<(usize, verb::State)> = None;
        let mut i = a;
        while i < b {
            let init = match pending {
                Some((at, st)) if at == i => Some(st),
                Some((at, _)) if at < i => {
                    pending = None;
                    None
                }
                _ => None,
            };
            match self.verb_group(i, a, b, init) {
                verb::Outcome::Group { group, end, next } => {
                    out.verb_groups.push(group);
                    pending = next;
                    i = end;
                    continue;
                }
                verb::Outcome::Fronted { end, at, state } => {
                    pending = Some((at, state));
                    i = end;
                    continue;
                }
                verb::Outcome::None => {}
            }
            if let Some((end, head)) = self.noun_phrase(i, b) {
                out.noun_phrases.push(NounPhrase {
                    span: self.span(i..end),
                    tokens: i as u32..end as u32,
                    head: TokenIdx(head as u32),
                });
                i = end;
                continue;
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use sitrep_doc::layer::Tense;
    use sitrep_doc::Meta;

    use super::*;

    /// A document from `word/TAG` or `word/TAG/lemma` items joined by spaces (no lemma: None).
    fn doc(tagged: &str) -> Doc {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for item in tagged.split(' ') {
            let mut parts = item.split('/');
            let (word, tag) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(word);
            let mut token = Token::new(Span::new(start, text.len()));
            token.pos = Pos::from_ud(tag);
            token.lemma = parts.next().map(|l| l.to_owned().into());
            tokens.push(token);
        }
        let mut doc = Doc::new(text, Meta::default());
        doc.set_tokens(tokens);
        Chunker::new().process(&mut doc);
        doc
    }

    #[test]
    fn without_lemmas_forms_come_from_suffixes() {
        let d = doc("Rebels/NOUN were/AUX NOT/PART attacked/VERB and/CCONJ troops/NOUN are/AUX shelling/VERB Homs/PROPN");
        let vgs = d.verb_groups();
        assert_eq!(vgs.len(), 2);
        assert_eq!(&d.text()[vgs[0].span], "were NOT attacked");
        assert!(vgs[0].passive && vgs[0].negated);
        assert_eq!(vgs[0].tense, Tense::Past);
        assert_eq!(&d.text()[vgs[1].span], "are shelling");
        assert!(vgs[1].progressive && !vgs[1].passive);
        assert_eq!(vgs[1].tense, Tense::Present);
        let nps: Vec<&str> = d.noun_phrases().iter().map(|n| &d.text()[n.span]).collect();
        assert_eq!(nps, ["Rebels", "troops", "Homs"]);
    }

    #[test]
    fn spans_heads_and_references() {
        let d = doc("Russia/PROPN 's/PART top/ADJ general/NOUN called/VERB/call the/DET strikes/NOUN off/ADP");
        let np = &d.noun_phrases()[0];
        assert_eq!(&d.text()[np.span], "Russia 's top general");
        assert_eq!(&d.text()[d.tokens()[np.head.index()].span], "general");
        let poss = possessor(&d, np).expect("a possessor");
        assert_eq!(&d.text()[d.tokens()[poss.start as usize].span], "Russia");
        assert_eq!(poss.len(), 1);
        let vg = &d.verb_groups()[0];
        assert_eq!(&d.text()[vg.span], "called");
        let particle = vg.particle.expect("a particle");
        assert_eq!(&d.text()[d.tokens()[particle.index()].span], "off");
        assert_eq!(vg.tense, Tense::Past);
    }

    #[test]
    fn untagged_tokens_give_nothing() {
        let mut d = Doc::new("did not attack", Meta::default());
        d.set_tokens(vec![
            Token::new(Span::new(0, 3)),
            Token::new(Span::new(4, 7)),
            Token::new(Span::new(8, 14)),
        ]);
        Chunker::new().process(&mut d);
        assert!(d.noun_phrases().is_empty() && d.verb_groups().is_empty());
    }

    #[test]
    fn verb_forms() {
        assert_eq!(verb_form("attacked", Some("attack")), VForm::Ed);
        assert_eq!(verb_form("fled", Some("flee")), VForm::Ed);
        assert_eq!(verb_form("Attacks", Some("attack")), VForm::S);
        assert_eq!(verb_form("goes", Some("go")), VForm::S);
        assert_eq!(verb_form("hit", Some("hit")), VForm::Base);
        assert_eq!(verb_form("fighting", Some("fight")), VForm::Ing);
        assert_eq!(verb_form("bring", Some("bring")), VForm::Base);
        assert_eq!(verb_form("shelled", None), VForm::Ed);
        assert_eq!(verb_form("says", None), VForm::S);
        assert_eq!(verb_form("access", None), VForm::Base);
        assert_eq!(verb_form("é", Some("ée")), VForm::Ed);
    }
}
