//! Named entities: people, organizations, places, nationalities and groups, with canonical names.
//!
//! The [`EntityRecognizer`] makes one left-to-right pass over a document's tokens:
//!
//! 1. **dictionary** ([`gazetteer`]): the longest knowledge-base name at each token, on token
//!    boundaries and within a sentence. Countries and their aliases are GPE, demonyms NORP
//!    ("Russian"), metonyms GPE ("Moscow", "the Kremlin": the actor coder decides whether they
//!    act), organizations ORG or GROUP, people PERSON. A lower-case dictionary form matches any
//!    case; a form with capitals needs them, except for the first letter at a sentence start. A
//!    leading lower-case "the" of the form ("the Kremlin") is left out of the span.
//! 2. **patterns** ([`rules`]): runs of capitalized words the dictionaries do not cover, typed by
//!    cue words. A run that ends in an organization, facility or place word swallows the country
//!    names inside it ("Russian Defence Ministry" is one ORG).
//! 3. **coreference**: a later single word that is the surname of a person named in full
//!    earlier ("Gerasimov" after "Gen. Valery Gerasimov") is that person, with the full name as
//!    canonical; a knowledge-base alias ("IS") carries its entry's canonical name ("Islamic
//!    State").
//!
//! ```
//! use std::sync::Arc;
//! use sitrep_extract::entity::EntityRecognizer;
//! use sitrep_extract::kb::{Entries, KnowledgeBase};
//! let kb = Arc::new(KnowledgeBase::new(Entries::default()));
//! let recognizer = EntityRecognizer::new(kb);
//! # let _ = recognizer;
//! ```

mod gazetteer;
mod lexicon;
mod rules;

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use sitrep_doc::{Doc, Entity, EntityLabel, Layer, Pos, Span, Token};

use crate::kb::entry::OrgKind;
use crate::kb::index::{CountryForm, Target};
use crate::kb::KnowledgeBase;
use crate::Stage;
use gazetteer::DictMatch;

/// Finds named entities with the knowledge base and name patterns.
#[derive(Clone, Debug)]
pub struct EntityRecognizer {
    kb: Arc<KnowledgeBase>,
}

/// What the recognizer needs of one token, computed once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok<'a> {
    text: &'a str,
    pos: Pos,
    /// Cue-word flags (lexicon).
    flags: u16,
    /// The first token of a sentence.
    first: bool,
    /// White space before the token.
    gap: bool,
    /// Starts with a letter or digit.
    starts_word: bool,
    /// Starts with a capital ("Putin", "al-Assad").
    cap: bool,
    /// Two or more letters, all capitals ("SDF").
    caps: bool,
}

impl EntityRecognizer {
    pub fn new(kb: Arc<KnowledgeBase>) -> EntityRecognizer {
        EntityRecognizer { kb }
    }

    pub fn knowledge_base(&self) -> &Arc<KnowledgeBase> {
        &self.kb
    }

    /// The entities of a document with tokens (parts of speech help, lemmas are not needed).
    pub fn recognize(&self, doc: &Doc) -> Vec<Entity> {
        let text = doc.text();
        let toks = toks(text, doc.tokens(), doc.sentences());
        let mut buffers = gazetteer::Buffers::default();
        let mut dict = Vec::new();
        gazetteer::matches(&self.kb, &toks, doc.published(), &mut buffers, &mut dict);
        let mut runs = Vec::new();
        rules::runs(&toks, &mut runs);
        let found = merge(&toks, &dict, &runs);
        // Tokens where a country, capital or listed place starts ("Tulsa, Oklahoma").
        let mut place_at = vec![false; toks.len()];
        for m in &dict {
            if matches!(m.candidate.target, Target::Country(_, f) if f != CountryForm::Demonym) {
                place_at[m.start] = true;
            }
        }
        let mut key = String::new();
        for (k, t) in toks.iter().enumerate() {
            if t.cap && t.pos == Pos::Propn && !place_at[k] {
                key.clear();
                gazetteer::push_lower(&mut key, t.text);
                place_at[k] = lexicon::lexicon().is_place(&key);
            }
        }
        self.resolve(doc.tokens(), &toks, &found, text, &place_at)
    }

    /// Turns the found items into entities, in order, resolving surnames against the people
    /// named before.
    fn resolve(
        &self,
        tokens: &[Token],
        toks: &[Tok<'_>],
        found: &[Found<'_>],
        text: &str,
        place_at: &[bool],
    ) -> Vec<Entity> {
        let kb = &*self.kb;
        let mut out = Vec::with_capacity(found.len());
        // Surname → canonical name of a person named in full earlier.
        let mut surnames: FxHashMap<&str, String> = FxHashMap::default();
        // Acronym → label and canonical name of the name it follows in parentheses.
        let mut acronyms: FxHashMap<&str, (EntityLabel, Option<String>)> = FxHashMap::default();
        let span = |r: &Range<usize>| {
            Span::new(tokens[r.start].span.start(), tokens[r.end - 1].span.end())
        };
        for f in found {
            match f {
                Found::Dict(m) => {
                    let c = m.candidate;
                    let mut r = m.start..m.end;
                    if c.form.starts_with("the ") && r.len() > 1 {
                        r.start += 1;
                    }
                    // A capitalized name never starts with a lower-case word ("paramilitary
                    // Rapid Support Forces").
                    while r.len() > 1
                        && !toks[r.start].cap
                        && toks[r.start + 1..r.end].iter().any(|t| t.cap)
                    {
                        r.start += 1;
                    }
                    let label = match c.target {
                        Target::Country(_, CountryForm::Demonym) => EntityLabel::Norp,
                        Target::Country(..) => EntityLabel::Gpe,
                        Target::Organization(i) => match kb.org_kind(i) {
                            OrgKind::Org => EntityLabel::Org,
                            OrgKind::Group => EntityLabel::Group,
                        },
                        Target::Person(_) => EntityLabel::Person,
                    };
                    let canonical = kb.canonical_name(c.target, &c.form).to_owned();
                    if label == EntityLabel::Person && r.len() > 1 {
                        surnames.insert(toks[r.end - 1].text, canonical.clone());
                    }
                    if let Some(a) = acronym_after(toks, r.clone()) {
                        acronyms.insert(a, (label, Some(canonical.clone())));
                    }
                    out.push(Entity {
                        span: span(&r),
                        label,
                        canonical: Some(canonical),
                        actor: None,
                    });
                }
                Found::Run(r) => {
                    // An acronym defined earlier: "Syrian Democratic Forces (SDF)" … "SDF".
                    if r.len() == 1 {
                        if let Some((label, canonical)) = acronyms.get(toks[r.start].text) {
                            out.push(Entity {
                                span: span(r),
                                label: *label,
                                canonical: canonical.clone(),
                                actor: None,
                            });
                            continue;
                        }
                    }
                    let piece = rules::classify(
                        toks,
                        r.clone(),
                        |w| surnames.contains_key(w),
                        |k| place_at.get(k).copied().unwrap_or(false),
                    );
                    let Some(piece) = piece else { continue };
                    let r = piece.tokens;
                    let s = span(&r);
                    let canonical = match piece.label {
                        EntityLabel::Person if r.len() == 1 => {
                            surnames.get(toks[r.start].text).cloned()
                        }
                        EntityLabel::Person => {
                            let name = text[s].split_whitespace().collect::<Vec<_>>().join(" ");
                            surnames.insert(toks[r.end - 1].text, name.clone());
                            Some(name)
                        }
                        _ => None,
                    };
                    if piece.label != EntityLabel::Person {
                        if let Some(a) = acronym_after(toks, r.clone()) {
                            let name = text[s].split_whitespace().collect::<Vec<_>>().join(" ");
                            acronyms.insert(a, (piece.label, canonical.clone().or(Some(name))));
                        }
                    }
                    out.push(Entity {
                        span: s,
                        label: piece.label,
                        canonical,
                        actor: None,
                    });
                }
            }
        }
        out
    }
}

impl Stage for EntityRecognizer {
    fn name(&self) -> &'static str {
        "entity"
    }

    fn requires(&self) -> &'static [Layer] {
        &[
            Layer::Tokens,
            Layer::PartsOfSpeech,
            Layer::Lemmas,
            Layer::Chunks,
        ]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Entities]
    }

    fn process(&self, doc: &mut Doc) {
        let entities = self.recognize(doc);
        doc.set_entities(entities);
    }
}

/// A dictionary match or a run of name tokens (or part of one) to type.
#[derive(Debug)]
enum Found<'kb> {
    Dict(DictMatch<'kb>),
    Run(Range<usize>),
}

/// Combines dictionary matches and runs, in token order: a run ending in an organization,
/// facility or place word that contains only country names wins over them; otherwise the
/// dictionary wins and the run's other parts are typed on their own.
fn merge<'kb>(toks: &[Tok<'_>], dict: &[DictMatch<'kb>], runs: &[Range<usize>]) -> Vec<Found<'kb>> {
    let mut out = Vec::with_capacity(dict.len() + runs.len());
    let mut d = 0;
    for run in runs {
        // Dictionary matches before this run.
        while d < dict.len() && dict[d].end <= run.start {
            out.push(Found::Dict(dict[d].clone()));
            d += 1;
        }
        let inside_end = dict[d..]
            .iter()
            .position(|m| m.start >= run.end)
            .map_or(dict.len(), |k| d + k);
        let inside = &dict[d..inside_end];
        let team = inside.len() == 1
            && inside[0].start == run.start
            && matches!(inside[0].candidate.target, Target::Country(_, f) if f != CountryForm::Demonym)
            && rules::team_tail(toks, inside[0].end..run.end);
        let swallow = !inside.is_empty()
            && (team || rules::suffix_label(toks, run.clone()).is_some())
            && inside.iter().all(|m| {
                m.start >= run.start
                    && m.end <= run.end
                    && matches!(m.candidate.target, Target::Country(..))
            })
            && (inside[0].start > run.start || inside.last().is_some_and(|m| m.end < run.end));
        if inside.is_empty() || swallow {
            out.push(Found::Run(run.clone()));
        } else {
            let mut at = run.start;
            for m in inside {
                if m.start > at {
                    out.push(Found::Run(at..m.start));
                }
                out.push(Found::Dict(m.clone()));
                at = at.max(m.end);
            }
            if at < run.end {
                out.push(Found::Run(at..run.end));
            }
        }
        d = inside_end;
    }
    out.extend(dict[d..].iter().cloned().map(Found::Dict));
    // A dictionary match may reach into a later run: clip runs to what is left.
    let mut until = 0;
    out.retain_mut(|f| match f {
        Found::Dict(m) => {
            until = until.max(m.end);
            true
        }
        Found::Run(r) => {
            r.start = r.start.max(until);
            until = until.max(r.end);
            r.start < r.end
        }
    });
    out
}

/// The acronym in parentheses right after the name `start..end`, beginning with the name's
/// first letter: "Syrian Democratic Forces ( SDF )" → "SDF".
fn acronym_after<'a>(toks: &[Tok<'a>], r: Range<usize>) -> Option<&'a str> {
    let [open, acronym, close] = toks.get(r.end..r.end + 3)? else {
        return None;
    };
    let initial = |t: &str| t.chars().find(|c| c.is_uppercase());
    let name = toks[r].iter().find(|t| t.cap && !t.caps)?;
    (open.text == "(" && close.text == ")" && acronym.caps && !acronym.first)
        .then_some(acronym.text)
        .filter(|a| initial(a) == initial(name.text))
}

/// One [`Tok`] per token.
fn toks<'a>(text: &'a str, tokens: &[Token], sentences: &[sitrep_doc::Sentence]) -> Vec<Tok<'a>> {
    let lex = lexicon::lexicon();
    let mut buf = String::new();
    let mut out = Vec::with_capacity(tokens.len());
    let mut s = 0;
    let mut last = (usize::MAX, false);
    let mut prev_end = usize::MAX;
    for t in tokens {
        let start = t.span.start();
        while s < sentences.len() && sentences[s].span.end() <= start {
            s += 1;
        }
        let inside = s < sentences.len() && sentences[s].span.start() <= start;
        let first = (s, inside) != last;
        last = (s, inside);
        let word = text.get(t.span.range()).unwrap_or("");
        let c0 = word.chars().next().unwrap_or(' ');
        let cap = c0.is_uppercase() || {
            let rest = [
                "al-", "el-", "ad-", "as-", "ash-", "ar-", "an-", "at-", "az-",
            ]
            .iter()
            .find_map(|p| word.strip_prefix(p));
            rest.and_then(|r| r.chars().next())
                .is_some_and(char::is_uppercase)
        };
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let caps = letters >= 2 && word.chars().all(|c| !c.is_lowercase());
        out.push(Tok {
            text: word,
            pos: t.pos.unwrap_or(Pos::X),
            flags: lex.flags(word, &mut buf),
            first,
            gap: prev_end != start,
            starts_word: c0.is_alphanumeric(),
            cap,
            caps,
        });
        prev_end = t.span.end();
    }
    out
}
