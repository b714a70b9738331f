//! The cue words of the name patterns, compiled in from `data/entity/`.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

const CUES: &str = include_str!("../../../../data/entity/cues.tsv");
const FIRST_NAMES: &str = include_str!("../../../../data/entity/first_names.txt");
const PLACES: &str = include_str!("../../../../data/entity/places.txt");
const ORGANIZATIONS: &str = include_str!("../../../../data/entity/organizations.txt");

/// A last word that makes a capitalized name an organization.
pub(super) const ORG: u16 = 1;
/// A first word that makes "X of Y" an organization.
pub(super) const ORG_HEAD: u16 = 1 << 1;
/// A last word that makes a name a location.
pub(super) const LOC: u16 = 1 << 2;
/// A first word that makes a name a location.
pub(super) const LOC_HEAD: u16 = 1 << 3;
/// A last word that makes a name a facility.
pub(super) const FAC: u16 = 1 << 4;
/// A title before a person's name.
pub(super) const TITLE: u16 = 1 << 5;
/// A preposition after which a name is a place.
pub(super) const PLACE: u16 = 1 << 6;
/// A speech verb after which a name is a person.
pub(super) const SPEECH: u16 = 1 << 7;
/// A capitalized word that is no name.
pub(super) const NON_NAME: u16 = 1 << 8;
/// A common given name.
pub(super) const FIRST_NAME: u16 = 1 << 9;
/// A last word that makes a name an event, holiday, law, award or work ("World Cup").
pub(super) const MISC: u16 = 1 << 10;

/// Lower-cased word → flags.
#[derive(Debug, Default)]
pub(super) struct Lexicon {
    words: FxHashMap<Box<str>, u16>,
    /// Lower-cased place names (one space between words).
    places: FxHashSet<Box<str>>,
    /// Lower-cased organization names.
    organizations: FxHashSet<Box<str>>,
}

impl Lexicon {
    fn parse(cues: &str, first_names: &str, places: &str, organizations: &str) -> Lexicon {
        let mut words: FxHashMap<Box<str>, u16> = FxHashMap::default();
        for line in cues.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((word, kind)) = line.split_once('\t') else {
                continue;
            };
            let flag = match kind.trim() {
                "org" => ORG,
                "orghead" => ORG_HEAD,
                "loc" => LOC,
                "lochead" => LOC_HEAD,
                "fac" => FAC,
                "title" => TITLE,
                "place" => PLACE,
                "speech" => SPEECH,
                "nonname" => NON_NAME,
                "misc" => MISC,
                _ => continue,
            };
            *words.entry(word.to_lowercase().into()).or_default() |= flag;
        }
        for line in first_names.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            *words.entry(line.to_lowercase().into()).or_default() |= FIRST_NAME;
        }
        let set = |text: &str| -> FxHashSet<Box<str>> {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| l.to_lowercase().into())
                .collect()
        };
        Lexicon {
            words,
            places: set(places),
            organizations: set(organizations),
        }
    }

    /// Whether a lower-cased name (one space between words) is a listed organization.
    pub(super) fn is_organization(&self, name: &str) -> bool {
        self.organizations.contains(name)
    }

    /// Whether a lower-cased name (one space between words) is a listed place.
    pub(super) fn is_place(&self, name: &str) -> bool {
        self.places.contains(name)
    }

    /// The flags of a word (any case); `buf` is scratch space.
    pub(super) fn flags(&self, word: &str, buf: &mut String) -> u16 {
        if word.len() > 24 {
            return 0;
        }
        buf.clear();
        for c in word.chars() {
            buf.extend(c.to_lowercase());
        }
        self.words.get(buf.as_str()).copied().unwrap_or(0)
    }
}

pub(super) fn lexicon() -> &'static Lexicon {
    static LEXICON: LazyLock<Lexicon> =
        LazyLock::new(|| Lexicon::parse(CUES, FIRST_NAMES, PLACES, ORGANIZATIONS));
    &LEXICON
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_cues() {
        let lex = lexicon();
        let mut buf = String::new();
        assert!(lex.flags("Ministry", &mut buf) & ORG != 0);
        assert!(lex.flags("ministry", &mut buf) & ORG_HEAD != 0);
        assert!(lex.flags("Gen.", &mut buf) & TITLE != 0);
        assert!(lex.flags("River", &mut buf) & LOC != 0);
        assert!(lex.flags("Valery", &mut buf) & FIRST_NAME != 0);
        assert!(lex.flags("said", &mut buf) & SPEECH != 0);
        assert_eq!(lex.flags("zzz", &mut buf), 0);
        assert!(lex.is_place("new york") && lex.is_place("aleppo"));
    }
}
