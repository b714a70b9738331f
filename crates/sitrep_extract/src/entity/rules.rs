//! Patterns for names the dictionaries do not know: runs of capitalized words (proper nouns from
//! the tagger, and capitalized nouns and adjectives inside a sentence), typed by their cue words
//! (data/entity/cues.tsv): an organization suffix ("Defence Ministry") or head ("Ministry of
//! Defence"), a place suffix ("Euphrates River") or head ("Mount Sinjar"), a facility suffix
//! ("Hmeimim Air Base"), a title before the name ("Gen. Valery Gerasimov"), a speech verb after
//! it ("Smith said"), a given name ("Valery"), a place preposition before it ("in Deir ez-Zor"),
//! an acronym ("SDF").

use std::ops::Range;

use sitrep_doc::{EntityLabel, Pos};

use super::lexicon::lexicon;
use super::lexicon::{
    FAC, FIRST_NAME, LOC, LOC_HEAD, MISC, NON_NAME, ORG, ORG_HEAD, PLACE, SPEECH, TITLE,
};
use super::Tok;

/// Whether a token can be part of a name.
pub(super) fn is_name(t: &Tok<'_>) -> bool {
    t.cap
        && t.flags & NON_NAME == 0
        && (t.pos == Pos::Propn
            || (!t.first && matches!(t.pos, Pos::Noun | Pos::Adj | Pos::Num | Pos::Verb | Pos::X)))
}

/// A lower-case particle inside a personal name ("de", "van", "bin").
fn is_name_particle(text: &str) -> bool {
    matches!(
        text,
        "de" | "del"
            | "della"
            | "da"
            | "di"
            | "du"
            | "van"
            | "von"
            | "der"
            | "den"
            | "bin"
            | "ibn"
            | "al"
            | "el"
            | "la"
            | "le"
            | "dos"
            | "das"
            | "y"
    )
}

/// The maximal runs of name tokens, within sentences, with connectors inside: "&" anywhere,
/// "of"/"for"/"on" (and "of the") after an organization or place head or a title ("Ministry of
/// Defence", "Gulf of Aden", "Secretary of State"), name particles between names ("Charles de
/// Gaulle").
pub(super) fn runs(toks: &[Tok<'_>], out: &mut Vec<Range<usize>>) {
    let n = toks.len();
    let mut i = 0;
    while i < n {
        if !is_name(&toks[i]) {
            // A capitalized sentence start the tagger did not call a proper noun may still be a
            // surname named before ("Mansour left."): a run of its own, typed by that rule only.
            let t = &toks[i];
            if t.first
                && t.cap
                && t.flags & NON_NAME == 0
                && matches!(t.pos, Pos::Pron | Pos::Noun | Pos::Adj | Pos::Verb | Pos::X)
            {
                out.push(i..i + 1);
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut heads = toks[i].flags & (ORG_HEAD | LOC_HEAD | TITLE);
        let mut end = i + 1;
        loop {
            if end >= n || toks[end].first {
                break;
            }
            let t = &toks[end];
            if is_name(t) {
                heads |= t.flags & (ORG_HEAD | LOC_HEAD | TITLE);
                end += 1;
                continue;
            }
            // A connector needs a name token after it (possibly after "the").
            let next_name = |k: usize| k < n && !toks[k].first && is_name(&toks[k]);
            let skip = match t.text {
                "&" => next_name(end + 1).then_some(1),
                "of" | "for" | "on" if heads != 0 => {
                    if next_name(end + 1) {
                        Some(1)
                    } else if end + 2 < n
                        && matches!(toks[end + 1].text, "the")
                        && next_name(end + 2)
                    {
                        Some(2)
                    } else {
                        None
                    }
                }
                p if is_name_particle(p) => next_name(end + 1).then_some(1),
                _ => None,
            };
            match skip {
                Some(k) => end += k + 1,
                None => break,
            }
        }
        out.push(start..end);
        i = end;
    }
}

/// What a run's last and first words say about its type, without context: `Some` for an
/// organization, place or facility suffix, or an organization or place head with "of".
pub(super) fn suffix_label(toks: &[Tok<'_>], r: Range<usize>) -> Option<EntityLabel> {
    let last = toks[r.end - 1].flags;
    let first = toks[r.start].flags;
    let has_of = toks[r.clone()]
        .iter()
        .any(|t| matches!(t.text, "of" | "for" | "on"));
    let long = r.len() > 1;
    if long && last & ORG != 0 {
        Some(EntityLabel::Org)
    } else if long && last & FAC != 0 {
        Some(EntityLabel::Fac)
    } else if long && last & LOC != 0 {
        Some(EntityLabel::Loc)
    } else if long && first & ORG_HEAD != 0 && has_of {
        Some(EntityLabel::Org)
    } else if long && first & LOC_HEAD != 0 {
        Some(EntityLabel::Loc)
    } else {
        None
    }
}

/// Whether the name tokens `r` stand alone in parentheses after the opening words of a sentence
/// that starts with a capitalized dateline ("KHARTOUM, June 1 (Sitrep Wire)", "PARIS (AFP)").
fn credit(toks: &[Tok<'_>], r: Range<usize>) -> bool {
    if r.start == 0
        || toks[r.start - 1].text != "("
        || toks.get(r.end).is_none_or(|t| t.text != ")")
    {
        return false;
    }
    let mut k = r.start - 1;
    while k > 0 && !toks[k].first {
        k -= 1;
    }
    r.start - k <= 8 && toks[k].caps && toks[k].starts_word
}

/// Whether the words after a place name make a sports team: one or two capitalized words, the
/// last a plural that no cue types ("Boston Red Sox", "Chicago Bulls").
pub(super) fn team_tail(toks: &[Tok<'_>], r: Range<usize>) -> bool {
    let Some(last) = r.end.checked_sub(1).and_then(|k| toks.get(k)) else {
        return false;
    };
    (1..=2).contains(&r.len())
        && toks[r].iter().all(|t| t.cap && !t.caps)
        && last.text.ends_with('s')
        && !last.text.ends_with("ss")
        && last.flags & (LOC | FAC | MISC | NON_NAME | ORG | TITLE) == 0
}

/// A typed piece of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Piece {
    pub(super) tokens: Range<usize>,
    pub(super) label: EntityLabel,
    /// A title stood before the name.
    pub(super) titled: bool,
}

/// Types the name tokens `r` (a run, or a run's part outside dictionary matches), or `None`
/// when nothing says what it is. `surname` tells whether a single word is the surname of a
/// person named earlier in the document.
pub(super) fn classify(
    toks: &[Tok<'_>],
    mut r: Range<usize>,
    surname: impl Fn(&str) -> bool,
    place_at: impl Fn(usize) -> bool,
) -> Option<Piece> {
    if r.is_empty() {
        return None;
    }
    if !is_name(&toks[r.start]) {
        return (r.len() == 1 && surname(toks[r.start].text)).then_some(Piece {
            tokens: r,
            label: EntityLabel::Person,
            titled: false,
        });
    }
    // A name never starts or ends with a connector.
    while r.start < r.end && !toks[r.start].cap {
        r.start += 1;
    }
    while r.start < r.end && !toks[r.end - 1].cap {
        r.end -= 1;
    }
    if r.is_empty() {
        return None;
    }
    // An event, holiday, law or award ("New Year", "World Cup", "Patriot Act").
    if toks[r.end - 1].flags & MISC != 0 && (r.len() > 1 || !surname(toks[r.start].text)) {
        return None;
    }
    // A news agency's credit in a dateline: "KHARTOUM, June 1 (Sitrep Wire) —".
    if credit(toks, r.clone()) {
        return Some(Piece {
            tokens: r,
            label: EntityLabel::Org,
            titled: false,
        });
    }
    // "the Senate", "the Army": an organization word alone, capitalized inside a sentence.
    if r.len() == 1
        && r.start > 0
        && matches!(toks[r.start - 1].text, "the" | "The")
        && !toks[r.start].first
        && toks[r.start].flags & ORG != 0
    {
        return Some(Piece {
            tokens: r,
            label: EntityLabel::Org,
            titled: false,
        });
    }
    if let Some(label) = suffix_label(toks, r.clone()) {
        return Some(Piece {
            tokens: r,
            label,
            titled: false,
        });
    }
    if r.len() <= 4 {
        let mut key = String::new();
        for (k, t) in toks[r.clone()].iter().enumerate() {
            if k > 0 && t.gap {
                key.push(' ');
            }
            super::gazetteer::push_lower(&mut key, t.text);
        }
        if lexicon().is_organization(&key) {
            return Some(Piece {
                tokens: r,
                label: EntityLabel::Org,
                titled: false,
            });
        }
        if lexicon().is_place(&key) {
            return Some(Piece {
                tokens: r,
                label: EntityLabel::Gpe,
                titled: false,
            });
        }
    }
    // Titles alone are nobody: "Defence Minister", "President".
    if toks[r.clone()].iter().all(|t| t.flags & TITLE != 0) {
        return None;
    }
    // Titles before the name: "President", "Gen.", "Foreign Minister", "Secretary of State".
    let mut titled = false;
    while r.start < r.end {
        let t = &toks[r.start];
        if t.flags & TITLE != 0 && r.len() > 1 {
            titled = true;
            r.start += 1;
        } else if titled && matches!(t.text, "of" | "for") && r.len() > 2 {
            r.start += 2;
        } else {
            break;
        }
    }
    // A name never starts or ends with a connector.
    while r.start < r.end && !toks[r.start].cap {
        r.start += 1;
    }
    while r.start < r.end && !toks[r.end - 1].cap {
        r.end -= 1;
    }
    if r.is_empty() {
        return None;
    }
    // A name never ends in a title ("NASA Administrator").
    if toks[r.end - 1].flags & TITLE != 0 && toks[r.end - 1].flags & FIRST_NAME == 0 {
        return None;
    }
    let piece = |label| {
        Some(Piece {
            tokens: r.clone(),
            label,
            titled,
        })
    };
    let first = &toks[r.start];
    let single = r.len() == 1;
    if !titled && place_at(r.start) && team_tail(toks, r.start + 1..r.end) {
        return piece(EntityLabel::Org);
    }
    if titled {
        return piece(EntityLabel::Person);
    }
    if single && first.caps && (3..=6).contains(&first.text.len()) {
        return piece(EntityLabel::Org);
    }
    if single && surname(first.text) {
        return piece(EntityLabel::Person);
    }
    let before = r.start.checked_sub(1).map(|k| &toks[k]);
    if before.is_some_and(|b| b.flags & PLACE != 0 && !b.cap) && r.len() <= 3 {
        return piece(EntityLabel::Gpe);
    }
    if first.flags & FIRST_NAME != 0 && r.len() <= 4 && !single {
        return piece(EntityLabel::Person);
    }
    // "Tulsa, Oklahoma", "Mérida, Mexico": a name before a comma and a known place.
    if r.len() <= 3
        && toks.get(r.end).is_some_and(|t| t.text == ",")
        && place_at(r.end + 1)
        && !place_at(r.start)
    {
        return piece(EntityLabel::Gpe);
    }
    let after = toks.get(r.end);
    if after.is_some_and(|a| a.flags & SPEECH != 0 && !a.first) && r.len() <= 3 {
        return piece(EntityLabel::Person);
    }
    if (2..=3).contains(&r.len()) && toks[r.clone()].iter().all(|t| t.pos == Pos::Propn) {
        return piece(EntityLabel::Person);
    }
    if single && first.flags & FIRST_NAME != 0 {
        return piece(EntityLabel::Person);
    }
    None
}
