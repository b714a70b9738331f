//! The event dictionaries (data/events/): verb and noun patterns, code facts, the PLOVER map and
//! complement kinds.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// One verb pattern: every `Some` field must match.
#[derive(Clone, Debug)]
pub(super) struct VerbRule {
    pub particle: Option<&'static str>,
    pub preposition: Option<&'static str>,
    pub object: Option<&'static str>,
    pub code: &'static str,
}

impl VerbRule {
    /// How specific the rule is: particle, then preposition, then object.
    pub(super) fn specificity(&self) -> u8 {
        4 * u8::from(self.particle.is_some())
            + 2 * u8::from(self.preposition.is_some())
            + u8::from(self.object.is_some())
    }
}

/// One noun pattern: the noun followed by `preposition` and its target; an empty preposition
/// matches the noun alone ("staged demonstrations"), with no target.
#[derive(Clone, Debug)]
pub(super) struct NounRule {
    pub preposition: &'static str,
    pub code: &'static str,
}

/// A code's Goldstein score and quad class.
#[derive(Clone, Copy, Debug)]
pub(super) struct CodeFacts {
    pub goldstein: f64,
    pub quad: u8,
}

/// How a verb governs the verb after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Complement {
    Threat,
    Deny,
    Realis,
    Report,
    /// "was ready to", "is willing to": after "be", the complement is an intention.
    Intent,
    /// "tried to assassinate": the complement did not happen, but the attempt may be an act.
    Attempt,
}

pub(super) struct Dict {
    pub verbs: FxHashMap<&'static str, Vec<VerbRule>>,
    pub nouns: FxHashMap<&'static str, Vec<NounRule>>,
    pub codes: FxHashMap<&'static str, CodeFacts>,
    pub plover: FxHashMap<&'static str, &'static str>,
    pub complements: FxHashMap<&'static str, Complement>,
}

fn data_lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn opt(s: Option<&&'static str>) -> Option<&'static str> {
    s.copied().filter(|s| !s.is_empty())
}

const VERBS_TSV: &str = include_str!("../../../../data/events/verbs.tsv");
const NOUNS_TSV: &str = include_str!("../../../../data/events/nouns.tsv");
const CODES_TSV: &str = include_str!("../../../../data/events/codes.tsv");
const PLOVER_TSV: &str = include_str!("../../../../data/events/plover.tsv");
const COMPLEMENTS_TSV: &str = include_str!("../../../../data/events/complements.tsv");

/// The compiled-in event dictionaries as (path, text), for the knowledge version.
pub(crate) const SOURCES: [(&str, &str); 5] = [
    ("data/events/verbs.tsv", VERBS_TSV),
    ("data/events/nouns.tsv", NOUNS_TSV),
    ("data/events/codes.tsv", CODES_TSV),
    ("data/events/plover.tsv", PLOVER_TSV),
    ("data/events/complements.tsv", COMPLEMENTS_TSV),
];

pub(super) static DICT: LazyLock<Dict> = LazyLock::new(|| {
    let mut verbs: FxHashMap<&str, Vec<VerbRule>> = FxHashMap::default();
    for f in data_lines(VERBS_TSV) {
        let (Some(&lemma), Some(code)) = (f.first(), opt(f.get(4))) else {
            continue;
        };
        verbs.entry(lemma).or_default().push(VerbRule {
            particle: opt(f.get(1)),
            preposition: opt(f.get(2)),
            object: opt(f.get(3)),
            code,
        });
    }
    let mut nouns: FxHashMap<&str, Vec<NounRule>> = FxHashMap::default();
    for f in data_lines(NOUNS_TSV) {
        let (Some(&noun), Some(code)) = (f.first(), opt(f.get(2))) else {
            continue;
        };
        // An empty preposition: the noun alone, without a target phrase.
        let preposition = f.get(1).copied().unwrap_or("");
        nouns
            .entry(noun)
            .or_default()
            .push(NounRule { preposition, code });
    }
    let codes = data_lines(CODES_TSV)
        .filter_map(|f| {
            let goldstein = f.get(2)?.parse().ok()?;
            let quad = f.get(3)?.parse().ok()?;
            Some((*f.first()?, CodeFacts { goldstein, quad }))
        })
        .collect();
    let plover = data_lines(PLOVER_TSV)
        .filter_map(|f| Some((*f.first()?, f.get(1).copied().unwrap_or(""))))
        .collect();
    let complements = data_lines(COMPLEMENTS_TSV)
        .filter_map(|f| {
            let kind = match *f.get(1)? {
                "threat" => Complement::Threat,
                "deny" => Complement::Deny,
                "realis" => Complement::Realis,
                "report" => Complement::Report,
                "intent" => Complement::Intent,
                "attempt" => Complement::Attempt,
                _ => return None,
            };
            Some((*f.first()?, kind))
        })
        .collect();
    Dict {
        verbs,
        nouns,
        codes,
        plover,
        complements,
    }
});

impl Dict {
    /// The PLOVER type of a CAMEO code: the longest matching prefix; `None` when it has none.
    pub(super) fn plover(&self, code: &str) -> Option<&'static str> {
        (2..=code.len())
            .rev()
            .find_map(|n| code.get(..n).and_then(|p| self.plover.get(p)))
            .copied()
            .filter(|p| !p.is_empty())
    }

    /// The Goldstein score and quad class of a code, falling back to its 3-digit parent and root.
    pub(super) fn facts(&self, code: &str) -> Option<CodeFacts> {
        (2..=code.len()).rev().find_map(|n| {
            let p = code.get(..n)?;
            self.codes
                .get(p)
                .or_else(|| (n == 2).then(|| self.codes.get(format!("{p}0").as_str()))?)
                .copied()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionaries_load() {
        let d = &*DICT;
        assert!(d.verbs.len() > 150, "{} verbs", d.verbs.len());
        assert!(d.nouns.contains_key("strike"));
        assert_eq!(d.plover("0874"), Some("RETREAT"));
        assert_eq!(d.plover("195"), Some("FIGHT"));
        assert_eq!(d.plover("010"), None);
        let f = d.facts("0874").unwrap();
        assert_eq!((f.goldstein, f.quad), (10.0, 2));
        assert_eq!(d.facts("1384").unwrap().quad, 3);
    }

    #[test]
    fn every_code_has_facts() {
        let d = &*DICT;
        for rules in d.verbs.values() {
            for r in rules {
                assert!(
                    d.codes.contains_key(r.code),
                    "verbs.tsv code {} not in codes.tsv",
                    r.code
                );
            }
        }
        for rules in d.nouns.values() {
            for r in rules {
                assert!(
                    d.codes.contains_key(r.code),
                    "nouns.tsv code {} not in codes.tsv",
                    r.code
                );
            }
        }
    }
}
