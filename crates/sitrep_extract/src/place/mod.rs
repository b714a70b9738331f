//! Stage 8, `place`: toponyms linked to gazetteer entries with coordinates.
//!
//! Recognition takes the GPE, LOC and FAC entities of the entity stage and, for capitalised proper
//! nouns the entity stage missed (outside person and organization names), the longest gazetteer
//! name of up to four tokens, accepted when it is a country, first-level division or hand-kept
//! feature, a city of at least 50,000 people, or a smaller place right after a locative
//! preposition ("in Pandi").
//!
//! Resolution scores every gazetteer sense of a name by a population prior (log population), a
//! feature prior (countries and hand-kept features first), the document's context (countries and
//! first-level divisions other names of the document resolve to, and nationality words such as
//! "Syrian"), and "X, Y" patterns ("Ras al-Ain, Syria", "Paris, Texas"); a final pass makes every
//! mention of one name in a document agree.
//!
//! ```
//! use sitrep_doc::{Doc, Meta};
//! use sitrep_extract::{place::PlaceLinker, Pipeline, Stage};
//! let mut doc = Doc::new("Shelling hit Aleppo, Syria on Monday.", Meta::default());
//! Pipeline::standard().run(&mut doc);
//! PlaceLinker::new().process(&mut doc);
//! let aleppo = &doc.places()[0];
//! assert_eq!(doc.slice(aleppo.span), "Aleppo");
//! assert_eq!(aleppo.country.as_deref(), Some("SY"));
//! ```

pub mod gazetteer;

use std::ops::Range;

use sitrep_doc::layer::{EntityLabel, Pos};
use sitrep_doc::{Doc, Layer, Place, PlaceFeature, Span};

use crate::Stage;
use gazetteer::{gazetteer, name_hash, strip_the, Entry, NameKind};

/// Links toponyms to the gazetteer (the `place` stage).
#[derive(Clone, Copy, Debug)]
pub struct PlaceLinker {
    _private: (),
}

impl Default for PlaceLinker {
    fn default() -> Self {
        PlaceLinker::new()
    }
}

/// A toponym found in the text, before resolution.
struct Mention {
    start: usize,
    end: usize,
    key: u64,
    cands: Vec<(u32, NameKind)>,
    pick: Option<u32>,
}

/// Context evidence: a country (admin1 "") or first-level division, and the name that gave it.
struct Cue {
    country: [u8; 2],
    admin1: &'static str,
    key: u64,
}

const MAX_TOKENS: usize = 4;

fn is_locative(word: &str) -> bool {
    matches!(
        word,
        "in" | "at" | "near" | "from" | "outside" | "around" | "to" | "of" | "across" | "into"
    )
}

/// Whether nationality words ("Turkish") are emitted as places of their country: the convention of
/// gold sets that count adjectival toponyms (TR-News does, GeoVirus does not).
const DEMONYMS: bool = false;

/// A nationality word as a mention of its country ("Turkish" → Turkey).
fn demonym_mention(word: &str, start: usize, end: usize) -> Option<Mention> {
    if !DEMONYMS {
        return None;
    }
    let g = gazetteer();
    let c = g.country(g.demonym(word)?)?;
    Some(Mention {
        start,
        end,
        key: name_hash(word),
        cands: vec![(c, NameKind::Primary)],
        pick: None,
    })
}

/// "Metcalfe County", "Jefferson Parish", "Quebec City": the cities and first-level divisions
/// named by the name without its administrative suffix.
fn by_division(name: &str) -> Vec<(u32, NameKind)> {
    let g = gazetteer();
    let Some(base) = gazetteer::DIVISION_SUFFIXES
        .iter()
        .find_map(|suf| name.strip_suffix(suf))
        .map(str::trim_end)
        .filter(|b| !b.is_empty())
    else {
        return Vec::new();
    };
    g.lookup(base)
        .filter(|&(i, k)| {
            k == NameKind::Primary
                && matches!(
                    g.entry(i).feature,
                    PlaceFeature::City | PlaceFeature::Admin1
                )
        })
        .collect()
}

/// A country or first-level division named inside an organization's
/// name, at its start ("Texas A&M", "Queensland Police") or after "of" ("University of Manitoba"),
/// or the whole of a one-word name ("NSW").
fn inside_org(surface: &str, start: usize) -> Option<Mention> {
    let g = gazetteer();
    let strong = |name: &str| -> Vec<(u32, NameKind)> {
        let cands: Vec<_> = g
            .lookup(name)
            .filter(|&(_, k)| k == NameKind::Primary)
            .collect();
        let ok = cands.iter().any(|&(i, _)| {
            let e = g.entry(i);
            matches!(e.feature, PlaceFeature::Country | PlaceFeature::Admin1)
        });
        if ok {
            cands
        } else {
            Vec::new()
        }
    };
    let mention = |s: usize, e: usize, cands: Vec<(u32, NameKind)>| Mention {
        start: start + s,
        end: start + e,
        key: name_hash(&surface[s..e]),
        cands,
        pick: None,
    };
    // a one-word "organization" that is a division or country ("NSW", "B.C." read as acronyms)
    if !surface.contains(' ') {
        let c = strong(surface);
        if !c.is_empty() {
            return Some(mention(0, surface.len(), c));
        }
    }
    if let Some(p) = surface.rfind(" of ") {
        let s = p + 4;
        let rest = &surface[s..];
        let name = strip_the(rest);
        let s = s + (rest.len() - name.len());
        let c = strong(name);
        if !c.is_empty() {
            return Some(mention(s, surface.len(), c));
        }
    }
    let bounds: Vec<usize> = surface
        .char_indices()
        .filter(|&(_, c)| c == ' ' || c == '-')
        .map(|(i, _)| i)
        .take(3)
        .collect();
    for &b in bounds.iter().rev() {
        let name = &surface[..b];
        if !name.chars().next().is_some_and(char::is_uppercase) || name == "The" {
            continue;
        }
        let c = strong(name);
        if !c.is_empty() {
            return Some(mention(0, b, c));
        }
    }
    None
}

fn prior(e: &Entry, kind: NameKind) -> f64 {
    let mut s = (f64::from(e.population) + 1.0).ln();
    s += match e.feature {
        PlaceFeature::Country => 4.0,
        PlaceFeature::Feature => 6.0,
        PlaceFeature::Admin1 | PlaceFeature::City => 0.0,
    };
    if kind == NameKind::Alternate {
        s -= 2.0;
    }
    s
}

fn score(e: &Entry, kind: NameKind, key: u64, cues: &[Cue]) -> f64 {
    let mut s = prior(e, kind);
    let country = cues.iter().any(|c| c.key != key && c.country == e.country);
    let admin1 = !e.admin1.is_empty()
        && cues
            .iter()
            .any(|c| c.key != key && c.country == e.country && c.admin1 == e.admin1);
    if country {
        s += 3.0;
    }
    if admin1 {
        s += 5.0;
    }
    s
}

fn best(m: &Mention, cues: &[Cue], constraint: Option<(&[u8; 2], &str)>) -> Option<u32> {
    let g = gazetteer();
    let mut top: Option<(f64, u32)> = None;
    for &(i, kind) in &m.cands {
        let e = g.entry(i);
        let mut s = score(e, kind, m.key, cues);
        if let Some((cc, a1)) = constraint {
            if e.country == *cc && (a1.is_empty() || e.admin1 == a1) {
                s += 20.0;
            }
        }
        if top.is_none_or(|(t, _)| s > t) {
            top = Some((s, i));
        }
    }
    top.map(|(_, i)| i)
}

fn cue_of(e: &Entry, key: u64) -> Option<Cue> {
    let strong = matches!(
        e.feature,
        PlaceFeature::Country | PlaceFeature::Admin1 | PlaceFeature::Feature
    ) || e.population >= 100_000;
    if !strong || e.country == *b"  " {
        return None;
    }
    let admin1 = if e.feature == PlaceFeature::Country {
        ""
    } else {
        e.admin1
    };
    Some(Cue {
        country: e.country,
        admin1,
        key,
    })
}

impl PlaceLinker {
    /// The linker with the built-in gazetteer (parsed once per process).
    pub fn new() -> PlaceLinker {
        let _ = gazetteer();
        PlaceLinker { _private: () }
    }

    /// The places of `doc`, sorted by start: reads its tokens and entities.
    pub fn link(&self, doc: &Doc) -> Vec<Place> {
        let g = gazetteer();
        let text = doc.text();
        let tokens = doc.tokens();
        let mut mentions: Vec<Mention> = Vec::new();
        // token ranges that are not places (people, organizations, nationalities)
        let mut blocked: Vec<Range<usize>> = Vec::new();
        for ent in doc.entities() {
            let sp = ent.span;
            let Some(surface) = text.get(sp.range()) else {
                continue;
            };
            match ent.label {
                EntityLabel::Gpe | EntityLabel::Loc | EntityLabel::Fac
                    if !g.is_metonym(surface) =>
                {
                    let name = strip_the(surface);
                    let start = sp.end() - name.len();
                    let mut cands: Vec<_> = g.lookup(name).collect();
                    if cands.is_empty() {
                        if let Some(c) = &ent.canonical {
                            cands = g.lookup(c).collect();
                        }
                    }
                    if cands.is_empty() {
                        cands = by_division(name);
                    }
                    if !cands.is_empty() {
                        mentions.push(Mention {
                            start,
                            end: sp.end(),
                            key: name_hash(name),
                            cands,
                            pick: None,
                        });
                    }
                    // an unknown multi-word place is left to the token scan
                }
                EntityLabel::Org => {
                    mentions.extend(inside_org(surface, sp.start()));
                    blocked.push(sp.range());
                }
                _ => match demonym_mention(surface, sp.start(), sp.end()) {
                    Some(m) => mentions.push(m),
                    None => blocked.push(sp.range()),
                },
            }
        }
        // time expressions ("in March 2016") are not places either
        blocked.extend(doc.times().iter().map(|t| t.span.range()));
        let covered = |s: usize, e: usize, mentions: &[Mention], blocked: &[Range<usize>]| {
            mentions.iter().any(|m| m.start < e && s < m.end)
                || blocked.iter().any(|b| b.start < e && s < b.end)
        };
        let mut cues: Vec<Cue> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            let word = &text[t.span.range()];
            let upper = word.chars().next().is_some_and(char::is_uppercase);
            if !upper {
                i += 1;
                continue;
            }
            if let Some(cc) = g.demonym(word) {
                cues.push(Cue {
                    country: cc,
                    admin1: "",
                    key: name_hash(word),
                });
                let (s, e) = (t.span.start(), t.span.end());
                if !covered(s, e, &mentions, &blocked) {
                    if let Some(m) = demonym_mention(word, s, e) {
                        mentions.push(m);
                        i += 1;
                        continue;
                    }
                }
            }
            let mut found = None;
            for n in (1..=MAX_TOKENS.min(tokens.len() - i)).rev() {
                let last = &tokens[i + n - 1];
                if !tokens[i..i + n].iter().all(|t| {
                    t.pos.is_none_or(|p| p == Pos::Propn)
                        || text[t.span.range()] == *"-"
                        || text[t.span.range()]
                            .chars()
                            .all(|c| c.is_lowercase() || c == '-')
                            && n > 1
                }) {
                    continue;
                }
                let (s, e) = (t.span.start(), last.span.end());
                let Some(name) = text.get(s..e) else {
                    continue;
                };
                if name.contains('\n')
                    || !last.span.is_empty()
                        && !text[last.span.range()]
                            .chars()
                            .next()
                            .is_some_and(char::is_uppercase)
                {
                    continue;
                }
                if covered(s, e, &mentions, &blocked) || g.is_metonym(name) {
                    continue;
                }
                let mut cands: Vec<_> = g.lookup(name).collect();
                let mut division = false;
                if cands.is_empty() && n > 1 {
                    cands = by_division(name);
                    division = !cands.is_empty();
                } else if n > 1 {
                    // a county the gazetteer knows by its full name ("Boone County")
                    division = gazetteer::DIVISION_SUFFIXES
                        .iter()
                        .any(|suf| name.ends_with(suf));
                }
                if cands.is_empty() {
                    continue;
                }
                let prev = i
                    .checked_sub(1)
                    .map(|p| &text[tokens[p].span.range()])
                    .unwrap_or("");
                let sentence_initial = prev.is_empty()
                    || matches!(prev, "." | "!" | "?" | "\"" | "“" | "(")
                    || text[tokens[i - 1].span.end()..s].contains('\n');
                let strong = cands.iter().any(|&(c, k)| {
                    let e = g.entry(c);
                    k == NameKind::Primary
                        && (matches!(
                            e.feature,
                            PlaceFeature::Country | PlaceFeature::Admin1 | PlaceFeature::Feature
                        ) || (!sentence_initial && e.population >= 50_000))
                });
                let local = !sentence_initial
                    && is_locative(prev)
                    && cands.iter().any(|&(_, k)| k == NameKind::Primary);
                if strong || local || division {
                    found = Some((n, s, e, cands));
                    break;
                }
            }
            if let Some((n, s, e, cands)) = found {
                let name = &text[s..e];
                mentions.push(Mention {
                    start: s,
                    end: e,
                    key: name_hash(name),
                    cands: cands
                        .into_iter()
                        .filter(|&(_, k)| k == NameKind::Primary)
                        .collect(),
                    pick: None,
                });
                i += n;
            } else {
                i += 1;
            }
        }
        mentions.sort_by_key(|m| (m.start, m.end));
        mentions.dedup_by(|b, a| b.start < a.end);

        // pass 1: priors only; the confident picks become context
        for m in &mut mentions {
            m.pick = best(m, &[], None);
            if let Some(p) = m.pick {
                cues.extend(cue_of(g.entry(p), m.key));
            }
        }
        // pass 2: context and "X, Y" patterns
        let n = mentions.len();
        let mut fixed: Vec<(u64, u32)> = Vec::new();
        for k in 0..n {
            let next = mentions.get(k + 1).and_then(|y| {
                let gap = text.get(mentions[k].end..y.start)?;
                let p = y.pick?;
                let e = g.entry(p);
                (matches!(gap, ", " | ",")
                    && matches!(e.feature, PlaceFeature::Country | PlaceFeature::Admin1))
                .then_some(e)
            });
            let m = &mentions[k];
            let constraint = next.map(|e| {
                let a1 = if e.feature == PlaceFeature::Admin1 {
                    e.admin1
                } else {
                    ""
                };
                (&e.country, a1)
            });
            let pick = best(m, &cues, constraint);
            if constraint.is_some() {
                if let Some(p) = pick {
                    fixed.push((m.key, p));
                }
            }
            mentions[k].pick = pick;
        }
        // a first-level division named after its capital city of a million people or more
        // ("Istanbul", "Khartoum") is read as the city
        for m in &mut mentions {
            let Some(p) = m.pick else { continue };
            let e = g.entry(p);
            if e.feature != PlaceFeature::Admin1 {
                continue;
            }
            if let Some(&(c, _)) = m.cands.iter().find(|&&(c, k)| {
                let x = g.entry(c);
                k == NameKind::Primary
                    && x.feature == PlaceFeature::City
                    && x.country == e.country
                    && x.admin1 == e.admin1
                    && x.population >= 1_000_000
            }) {
                m.pick = Some(c);
            }
        }
        // one sense per document
        for m in &mut mentions {
            if let Some(&(_, p)) = fixed.iter().find(|(key, _)| *key == m.key) {
                if m.cands.iter().any(|&(c, _)| c == p) {
                    m.pick = Some(p);
                }
            }
        }
        mentions
            .iter()
            .filter_map(|m| {
                let e = g.entry(m.pick?);
                Some(Place {
                    span: Span::new(m.start, m.end),
                    name: e.name.to_string(),
                    country: e.country_str().map(str::to_string),
                    admin1: (!e.admin1.is_empty()).then(|| e.admin1.to_string()),
                    lat: coordinate(e.lat),
                    lon: coordinate(e.lon),
                    geonameid: (e.geonameid != 0).then_some(u64::from(e.geonameid)),
                    feature: e.feature,
                })
            })
            .collect()
    }

    /// The place that governs the clause `tokens` of sentence `sentence`: the most specific place
    /// inside the clause, else the nearest place before it in the sentence, else the first place
    /// of the sentence.
    pub fn governing(doc: &Doc, sentence: usize, tokens: Range<u32>) -> Option<&Place> {
        let sent = doc.sentences().get(sentence)?.span;
        let toks = doc.tokens();
        let cs = toks
            .get(tokens.start as usize)
            .map_or(sent.start(), |t| t.span.start());
        let ce = tokens
            .end
            .checked_sub(1)
            .and_then(|l| toks.get(l as usize))
            .map_or(sent.end(), |t| t.span.end());
        let in_sentence: Vec<&Place> = doc
            .places()
            .iter()
            .filter(|p| sent.contains(p.span))
            .collect();
        let rank = |p: &Place| match p.feature {
            PlaceFeature::City | PlaceFeature::Feature => 0,
            PlaceFeature::Admin1 => 1,
            PlaceFeature::Country => 2,
        };
        in_sentence
            .iter()
            .filter(|p| p.span.start() >= cs && p.span.end() <= ce)
            .min_by_key(|p| rank(p))
            .or_else(|| in_sentence.iter().rev().find(|p| p.span.end() <= cs))
            .or_else(|| in_sentence.first())
            .copied()
    }
}

impl Stage for PlaceLinker {
    fn name(&self) -> &'static str {
        "place"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Tokens, Layer::Entities]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Places]
    }

    fn process(&self, doc: &mut Doc) {
        let places = self.link(doc);
        doc.set_places(places);
    }
}
/// A gazetteer coordinate (stored as f32) as the decimal degrees it was written with: five decimals
/// (about 1 m), so 35.401 is written 35.401 and not 35.4010009765625.
fn coordinate(x: f32) -> f64 {
    (f64::from(x) * 1e5).round() / 1e5
}
