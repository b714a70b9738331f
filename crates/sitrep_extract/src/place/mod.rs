//! Stage 8, `place`: toponyms linked to gazetteer entries with coordinates.
//!
//! Recognition takes the GPE, LOC and FAC entities of the entity stage and, for capitalised proper
//! nouns the entity stage missed (outside person and organization names), the longest gazetteer
//! name of up to four tokens, accepted when it is a country, first-level division or hand-kept
//! feature, a city of at least 50,000 people, or a smaller place right after a locative
//! preposition ("in Pandi"). It also finds names inside hyphenated words ("Russia-Turkey",
//! "London-based"), abbreviations with their period ("Ont."), "persons" of the entity stage whose
//! whole name is a place ("in Malakal"), places at the edge of organization names ("London
//! Police", "CTV Winnipeg"), and places the gazetteer lacks when the entity stage finds a street
//! or a place after a locative preposition, or a settlement word marks them ("the village of
//! Ranya", "Karak district"): these carry the coordinates of the place they are in and no
//! GeoNames id. Division names that are ordinary words ("West", "Lakes") need their country
//! elsewhere in the document. The word lists are in data/gazetteer/divisions.tsv.
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
    let Some(base) = g.strip_division(name) else {
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

/// A place named inside the name of an organization (or of what the entity stage read as a
/// person): a country or first-level division, or a city of at least 100,000 people, at its start
/// ("Texas A&M", "Queensland Police", "The Edmonton Community Partnership") or its end ("CTV
/// Winnipeg", "Team Alberta"), a country or division after "of" ("University of Manitoba"), or
/// the whole of a one-word name ("NSW"). A person's name that starts with a given name has none.
fn inside_name(surface: &str, start: usize, person: bool) -> Option<Mention> {
    let g = gazetteer();
    let strong = |name: &str, cities: bool| -> Vec<(u32, NameKind)> {
        let cands: Vec<_> = g
            .lookup(name)
            .filter(|&(_, k)| k == NameKind::Primary)
            .collect();
        let ok = cands.iter().any(|&(i, _)| {
            let e = g.entry(i);
            matches!(e.feature, PlaceFeature::Country | PlaceFeature::Admin1)
                || cities && e.feature == PlaceFeature::City && e.population >= 100_000
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
    let first = surface.split([' ', '-']).next().unwrap_or(surface);
    // "CTV Winnipeg", "CBC Toronto": an acronym and a place
    let acronym = first.len() >= 2 && first.chars().all(|c| c.is_ascii_uppercase());
    if person && (!surface.contains(' ') || g.is_given_name(first)) {
        return None;
    }
    // a one-word "organization" that is a division or country ("NSW", "B.C." read as acronyms)
    if !surface.contains(' ') {
        let c = strong(surface, false);
        if !c.is_empty() {
            return Some(mention(0, surface.len(), c));
        }
    }
    if let Some(p) = surface.rfind(" of ").filter(|_| !person) {
        let s = p + 4;
        let rest = &surface[s..];
        let name = strip_the(rest);
        let s = s + (rest.len() - name.len());
        let c = strong(name, false);
        if !c.is_empty() {
            return Some(mention(s, surface.len(), c));
        }
    }
    let body = strip_the(surface);
    let lead = surface.len() - body.len();
    let bounds: Vec<usize> = body
        .char_indices()
        .filter(|&(_, c)| c == ' ' || c == '-')
        .map(|(i, _)| i)
        .collect();
    for &b in bounds.iter().take(3).rev() {
        let name = &body[..b];
        if !name.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        // a city before a local office ("London Police", "Seattle-based")
        let next = body[b + 1..].split([' ', '-']).next().unwrap_or("");
        let office = g.is_office(next) || body[b..].starts_with("-based");
        let c = strong(name, office);
        if !c.is_empty() {
            return Some(mention(lead, lead + b, c));
        }
    }
    // the last one or two words after an acronym
    for &b in bounds.iter().rev().take(2).rev().filter(|_| acronym) {
        let name = &body[b + 1..];
        if !name.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let c = strong(name, true);
        if !c.is_empty() {
            return Some(mention(lead + b + 1, surface.len(), c));
        }
    }
    None
}

/// A "person" of the entity stage that is a place: its whole name is a gazetteer name and it is
/// not a given name or an alias of a longer person's name, and it is a country, first-level
/// division or hand-kept feature, a city of at least 100,000 people, or any place right after a
/// locative preposition ("in Malakal", "of Lubbock").
fn person_place(doc: &Doc, canonical: Option<&str>, sp: Span) -> Option<Mention> {
    let g = gazetteer();
    let text = doc.text();
    let name = text.get(sp.range())?;
    if canonical.is_some_and(|c| name_hash(c) != name_hash(name)) {
        return None;
    }
    let first = name.split([' ', '-']).next().unwrap_or(name);
    let given = g.is_given_name(first);
    let tokens = doc.tokens();
    let k = tokens.partition_point(|t| t.span.end() <= sp.start());
    let word = |back: usize| {
        k.checked_sub(back)
            .and_then(|j| tokens.get(j))
            .map_or("", |t| &text[t.span.range()])
    };
    let prev = word(1);
    // "the birth of Jack", "a letter from Victoria": a given name needs a stronger preposition
    // or "the state of"
    let local = if given {
        matches!(
            prev,
            "in" | "near" | "outside" | "around" | "across" | "into"
        ) || prev == "of" && g.is_division_before(word(2))
    } else {
        is_locative(prev)
    };
    if given && !local {
        return None;
    }
    let cands: Vec<_> = g
        .lookup(name)
        .filter(|&(_, k)| k == NameKind::Primary)
        .collect();
    let strong = cands.iter().any(|&(c, _)| {
        let e = g.entry(c);
        e.feature != PlaceFeature::City || e.population >= 100_000
    });
    if cands.is_empty() || !(strong || local) {
        return None;
    }
    Some(Mention {
        start: sp.start(),
        end: sp.end(),
        key: name_hash(name),
        cands,
        pick: None,
    })
}

/// Whether a place of the entity stage that the gazetteer lacks (`text[s..e]`) is kept: a
/// street, square or airport ("Fore Street"), a name of several words that does not start with a
/// given name ("Eastern Creek"), or one word after a locative preposition ("in Kampungu").
fn unknown_place(doc: &Doc, s: usize, e: usize, label: EntityLabel) -> bool {
    let g = gazetteer();
    let text = doc.text();
    let Some(name) = text.get(s..e) else {
        return false;
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    if !is_capitalised(name)
        || name.chars().filter(|c| c.is_alphabetic()).count() < 3
        || name.contains('\n')
        || words.contains(&"of")
        || g.is_given_name(first)
    {
        return false;
    }
    if label == EntityLabel::Fac {
        return words.len() > 1 && g.is_street(last);
    }
    if words.len() > 1 {
        return !name.ends_with('.');
    }
    let tokens = doc.tokens();
    let k = tokens.partition_point(|t| t.span.end() <= s);
    let prev = k
        .checked_sub(1)
        .and_then(|j| tokens.get(j))
        .map_or("", |t| &text[t.span.range()]);
    is_locative(prev)
}

/// A capitalised name the gazetteer lacks that a settlement word marks as a place, starting at
/// token `i`: "the village of Ranya", "Karak district", "the Mbomo districts".
fn settlement(
    doc: &Doc,
    i: usize,
    mentions: &[Mention],
    blocked: &[Range<usize>],
) -> Option<(usize, usize, PlaceFeature)> {
    let g = gazetteer();
    let text = doc.text();
    let tokens = doc.tokens();
    let word = |j: usize| tokens.get(j).map_or("", |t| &text[t.span.range()]);
    // the name: up to three capitalised proper nouns
    let mut n = 0;
    while n < 3
        && tokens
            .get(i + n)
            .is_some_and(|t| is_capitalised(word(i + n)) && t.pos.is_none_or(|p| p == Pos::Propn))
    {
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let (s, e) = (tokens[i].span.start(), tokens[i + n - 1].span.end());
    if text[s..e].contains('\n') || covered(s, e, mentions, blocked) {
        return None;
    }
    let before = i >= 2 && word(i - 1) == "of" && g.is_division_before(word(i - 2));
    let after = g.is_division_after(word(i + n));
    (before || after).then_some((s, e, PlaceFeature::City))
}

/// The place that a place the gazetteer lacks (`s..e`) lies in: the place right after it ("Fore
/// Street, Edmonton", "Kampungu in Kasai"), else the nearest place of its sentence, else the
/// nearest place before it in the document, else the first after it.
fn anchor<'a>(doc: &Doc, places: &'a [Place], s: usize, e: usize) -> Option<&'a Place> {
    let text = doc.text();
    let next = places.iter().find(|p| p.span.start() >= e);
    if let Some(p) = next {
        let gap = text.get(e..p.span.start()).unwrap_or("");
        if matches!(gap, ", " | " in " | ", in " | " in the " | ", in the ") {
            return Some(p);
        }
    }
    let sentence = doc
        .sentences()
        .iter()
        .find(|x| x.span.start() <= s && e <= x.span.end())
        .map(|x| x.span);
    let dist = |p: &Place| {
        if p.span.start() >= e {
            p.span.start() - e
        } else {
            s.saturating_sub(p.span.end())
        }
    };
    if let Some(sent) = sentence {
        if let Some(p) = places
            .iter()
            .filter(|p| sent.contains(p.span))
            .min_by_key(|p| dist(p))
        {
            return Some(p);
        }
    }
    places.iter().rev().find(|p| p.span.end() <= s).or(next)
}

fn covered(s: usize, e: usize, mentions: &[Mention], blocked: &[Range<usize>]) -> bool {
    mentions.iter().any(|m| m.start < e && s < m.end)
        || blocked.iter().any(|b| b.start < e && s < b.end)
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The byte offset of the first hyphen or slash inside `word` ("Russia-Turkey", "Zaire/Congo"),
/// not at either end.
fn inner_break(word: &str) -> Option<usize> {
    let k = word.find(['-', '/'])?;
    (k > 0 && k + 1 < word.len()).then_some(k)
}

/// The names inside `text[s..e]` between hyphens and slashes ("Russia-Turkey", "London-based",
/// "mid-Ohio") that are countries, first-level divisions, hand-kept features or cities of at
/// least 100,000 people.
fn parts(
    text: &str,
    s: usize,
    e: usize,
    mentions: &[Mention],
    blocked: &[Range<usize>],
) -> Vec<Mention> {
    let g = gazetteer();
    // virus strains ("A/Victoria/361/2011") and codes are not places
    let Some(span) = text
        .get(s..e)
        .filter(|x| !x.bytes().any(|b| b.is_ascii_digit()))
    else {
        return Vec::new();
    };
    let mut out: Vec<Mention> = Vec::new();
    let mut at = 0;
    for piece in span.split(['-', '/']) {
        let (ps, pe) = (s + at, s + at + piece.len());
        at += piece.len() + 1;
        if !is_capitalised(piece) || covered(ps, pe, mentions, blocked) {
            continue;
        }
        let cands: Vec<_> = g
            .lookup(piece)
            .filter(|&(_, k)| k == NameKind::Primary)
            .collect();
        let strong = cands.iter().any(|&(c, _)| {
            let x = g.entry(c);
            x.feature != PlaceFeature::City || x.population >= 100_000
        });
        if strong {
            out.push(Mention {
                start: ps,
                end: pe,
                key: name_hash(piece),
                cands,
                pick: None,
            });
        }
    }
    out
}

/// The gazetteer senses of the name `text[s..e]` (tokens `i..i + n`) when the token scan
/// accepts it as a place: a country, first-level division or hand-kept feature, a city of at
/// least 50,000 people not at the start of a sentence, a division ("Boone County"), or any
/// place right after a locative preposition ("in Pandi").
#[allow(clippy::too_many_arguments)]
fn accept(
    doc: &Doc,
    i: usize,
    s: usize,
    e: usize,
    n: usize,
    mentions: &[Mention],
    blocked: &[Range<usize>],
) -> Option<Vec<(u32, NameKind)>> {
    let g = gazetteer();
    let text = doc.text();
    let tokens = doc.tokens();
    let name = text.get(s..e)?;
    let last = &tokens[i + n - 1];
    if name.contains('\n') || !last.span.is_empty() && !is_capitalised(&text[last.span.range()]) {
        return None;
    }
    if covered(s, e, mentions, blocked) || g.is_metonym(name) {
        return None;
    }
    let mut cands: Vec<_> = g.lookup(name).collect();
    let mut division = false;
    if cands.is_empty() && n > 1 {
        cands = by_division(name);
        division = !cands.is_empty();
    } else if n > 1 {
        // a county the gazetteer knows by its full name ("Boone County")
        division = g.strip_division(name).is_some();
    }
    if cands.is_empty() {
        return None;
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
    (strong || local || division).then_some(cands)
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
    let (_, top) = top?;
    // A province named after its city ("Latakia", "Vilnius County" as "Vilnius"): the city's
    // own name means the city, which lies in it ("Latakia Province" keeps the province).
    let e = g.entry(top);
    if e.feature == PlaceFeature::Admin1 {
        let city = m.cands.iter().find(|&&(c, kind)| {
            let c = g.entry(c);
            kind == NameKind::Primary
                && c.feature == PlaceFeature::City
                && c.country == e.country
                && c.admin1 == e.admin1
                && c.population >= 50_000
                && name_hash(c.name) == m.key
        });
        if let Some(&(city, _)) = city {
            return Some(city);
        }
    }
    Some(top)
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
        // places the gazetteer lacks: (start, end, feature)
        let mut unknown: Vec<(usize, usize, PlaceFeature)> = Vec::new();
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
                    } else if unknown_place(doc, start, sp.end(), ent.label) {
                        // an unknown place is left to the token scan, then placed by its context
                        let feature = if ent.label == EntityLabel::Gpe {
                            PlaceFeature::City
                        } else {
                            PlaceFeature::Feature
                        };
                        unknown.push((start, sp.end(), feature));
                    }
                }
                EntityLabel::Org => {
                    mentions.extend(inside_name(surface, sp.start(), false));
                    blocked.push(sp.range());
                }
                EntityLabel::Person => match person_place(doc, ent.canonical.as_deref(), sp) {
                    Some(m) => mentions.push(m),
                    None => {
                        mentions.extend(inside_name(surface, sp.start(), true));
                        blocked.push(sp.range());
                    }
                },
                _ => match demonym_mention(surface, sp.start(), sp.end()) {
                    Some(m) => mentions.push(m),
                    None => blocked.push(sp.range()),
                },
            }
        }
        // time expressions ("in March 2016") are not places either
        blocked.extend(doc.times().iter().map(|t| t.span.range()));
        let mut cues: Vec<Cue> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            let word = &text[t.span.range()];
            let upper = word.chars().next().is_some_and(char::is_uppercase);
            if !upper {
                // "mid-Ohio", "trans-Pacific", "made-in-China"
                if inner_break(word).is_some() {
                    let (s, e) = (t.span.start(), t.span.end());
                    mentions.extend(parts(text, s, e, &mentions, &blocked));
                }
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
                let after = tokens.get(i + n);
                let next_word = after.map_or("", |t| &text[t.span.range()]);
                // a name before "province" or with a hyphen inside is a name whatever its tag
                // ("Henan province", "London-based")
                let before_division = g.is_division_after(next_word);
                if !tokens[i..i + n].iter().all(|t| {
                    let w = &text[t.span.range()];
                    t.pos.is_none_or(|p| p == Pos::Propn)
                        || w == "-"
                        || w.chars().all(|c| c.is_lowercase() || c == '-') && n > 1
                        || (before_division || inner_break(w).is_some()) && is_capitalised(w)
                }) {
                    continue;
                }
                let s = t.span.start();
                // the ends to try, longest first: an abbreviation with its period ("Ont."), the
                // whole window, the window up to a hyphen in its last token ("New York-based")
                let mut ends: [Option<usize>; 3] = [None, Some(last.span.end()), None];
                if n == 1
                    && next_word == "."
                    && after.is_some_and(|a| a.span.start() == t.span.end())
                {
                    ends[0] = Some(t.span.end() + 1);
                }
                if let Some(k) = inner_break(&text[last.span.range()]).filter(|_| n > 1) {
                    ends[2] = Some(last.span.start() + k);
                }
                for e in ends.into_iter().flatten() {
                    if let Some(cands) = accept(doc, i, s, e, n, &mentions, &blocked) {
                        found = Some((n, s, e, cands));
                        break;
                    }
                }
                if found.is_some() {
                    break;
                }
            }
            if found.is_none() {
                if let Some(u) = settlement(doc, i, &mentions, &blocked) {
                    unknown.push(u);
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
                // the rest of a token cut at a hyphen may hold another name ("Russia-Turkey")
                let last_end = tokens[i + n - 1].span.end();
                if e < last_end {
                    mentions.extend(parts(text, e, last_end, &mentions, &blocked));
                }
                i += n;
            } else {
                if inner_break(word).is_some() {
                    let (s, e) = (t.span.start(), t.span.end());
                    mentions.extend(parts(text, s, e, &mentions, &blocked));
                }
                i += 1;
            }
        }
        // an unknown name with known parts ("Pakistan-administered Kashmir") gives those
        unknown.retain(|&(s, e, _)| {
            if covered(s, e, &mentions, &[]) {
                return false;
            }
            let known = parts(text, s, e, &mentions, &blocked);
            if known.is_empty() {
                true
            } else {
                mentions.extend(known);
                false
            }
        });
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
        // a place named by an ordinary word ("West", "Lakes") needs its country in the document
        for m in &mut mentions {
            let Some(p) = m.pick else { continue };
            let e = g.entry(p);
            let surface = text.get(m.start..m.end).unwrap_or("");
            if (g.is_common(surface) || g.is_common(e.name))
                && !cues
                    .iter()
                    .any(|c| c.key != m.key && c.country == e.country)
            {
                m.pick = None;
            }
        }
        let mut places: Vec<Place> = mentions
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
            .collect();
        let unknown: Vec<Place> = unknown
            .iter()
            .filter(|&&(s, e, _)| {
                !places
                    .iter()
                    .any(|p| p.span.start() < e && s < p.span.end())
            })
            .filter_map(|&(s, e, feature)| {
                let anchor = anchor(doc, &places, s, e)?;
                Some(Place {
                    span: Span::new(s, e),
                    name: text.get(s..e)?.to_string(),
                    geonameid: None,
                    feature,
                    ..anchor.clone()
                })
            })
            .collect();
        places.extend(unknown);
        places.sort_by_key(|p| (p.span.start(), p.span.end()));
        places
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pipeline;
    use sitrep_doc::Meta;

    fn places(text: &str) -> Vec<(String, Place)> {
        let mut doc = Doc::new(text, Meta::default());
        Pipeline::standard().run(&mut doc);
        PlaceLinker::new().process(&mut doc);
        doc.places()
            .iter()
            .map(|p| (doc.slice(p.span).to_string(), p.clone()))
            .collect()
    }

    fn surfaces(text: &str) -> Vec<String> {
        places(text).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn finds_names_inside_hyphenated_words() {
        let found =
            surfaces("Officials said the Russia-Turkey talks and a Canada-wide ban went ahead.");
        assert!(found.contains(&"Russia".to_string()), "{found:?}");
        assert!(found.contains(&"Turkey".to_string()), "{found:?}");
        assert!(found.contains(&"Canada".to_string()), "{found:?}");
    }

    #[test]
    fn a_city_named_like_its_province_is_the_city() {
        let found = places("Protesters gathered in Vilnius and in Latakia on Friday.");
        for name in ["Vilnius", "Latakia"] {
            let (_, p) = found.iter().find(|(s, _)| s == name).expect(name);
            assert_eq!(p.feature, PlaceFeature::City, "{name}: {p:?}");
        }
    }

    #[test]
    fn strain_names_are_not_places() {
        let found = surfaces("The vaccine holds an A/Victoria/361/2011 virus.");
        assert!(!found.iter().any(|s| s == "Victoria"), "{found:?}");
    }

    #[test]
    fn division_names_by_their_short_form() {
        let found =
            surfaces("Cases were reported in the provinces of Anhui and Hunan, in central China.");
        assert!(found.contains(&"Anhui".to_string()), "{found:?}");
        assert!(found.contains(&"Hunan".to_string()), "{found:?}");
    }

    #[test]
    fn abbreviation_with_its_period() {
        let found = places("She sold her home in Barrie, Ont., last year.");
        let ont = found.iter().find(|(s, _)| s == "Ont.");
        assert_eq!(
            ont.and_then(|(_, p)| p.admin1.as_deref()),
            Some("08"),
            "{found:?}"
        );
    }

    #[test]
    fn settlement_words_mark_unknown_places() {
        let found =
            places("The girl came from the northern Kurdish village of Qarawlanda in Iraq.");
        let q = found.iter().find(|(s, _)| s == "Qarawlanda");
        let q = q.map(|(_, p)| p);
        assert!(q.is_some(), "{found:?}");
        assert_eq!(q.and_then(|p| p.geonameid), None);
        assert_eq!(q.and_then(|p| p.country.as_deref()), Some("IQ"));
    }

    #[test]
    fn compass_divisions_need_their_country() {
        let found = surfaces("Mosquitoes carrying West Nile virus were found last week.");
        assert!(!found.iter().any(|s| s == "West"), "{found:?}");
    }

    #[test]
    fn helpers() {
        assert_eq!(inner_break("Russia-Turkey"), Some(6));
        assert_eq!(inner_break("Zaire/Congo"), Some(5));
        assert_eq!(inner_break("-based"), None);
        assert_eq!(inner_break("Paris"), None);
        assert!(is_capitalised("Édouard"));
        assert!(!is_capitalised("paris"));
    }
}
