//! The word lists the segmenter consults, compiled in from `data/segment/`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const ABBREVIATIONS: &str = include_str!("../../../../data/segment/abbreviations.txt");
const SENTENCE_STARTERS: &str = include_str!("../../../../data/segment/sentence_starters.txt");
const TLDS: &str = include_str!("../../../../data/segment/tlds.txt");

/// How an abbreviation's period relates to sentence ends (see `data/segment/abbreviations.txt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AbbrevClass {
    /// Always inside a sentence: titles before a name, "e.g.", "vs.".
    Inner,
    /// May end a sentence: it does when a sentence starter follows.
    Any,
    /// An abbreviation only before a number ("No. 10"); otherwise the period is a full stop.
    Number,
}

/// Abbreviations, sentence starters and top-level domains.
#[derive(Debug)]
pub(crate) struct Lexicon {
    abbreviations: HashMap<&'static str, AbbrevClass>,
    starters: HashSet<&'static str>,
    tlds: HashSet<&'static str>,
}

/// The lexicon built from the bundled data, shared by every segmenter.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::bundled)
}

impl Lexicon {
    fn bundled() -> Lexicon {
        Lexicon {
            abbreviations: abbreviation_entries(ABBREVIATIONS)
                .filter_map(Result::ok)
                .collect(),
            starters: entries(SENTENCE_STARTERS).map(|(_, e)| e).collect(),
            tlds: entries(TLDS).map(|(_, e)| e).collect(),
        }
    }

    /// The class of `word` (without its final period) when it is a listed abbreviation.
    pub(crate) fn abbreviation(&self, word: &str) -> Option<AbbrevClass> {
        self.abbreviations.get(word).copied()
    }

    /// Whether `word` commonly starts a sentence ("The", "But", "Mr.").
    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    /// Whether `label` is a top-level domain that marks a bare domain name.
    pub(crate) fn is_tld(&self, label: &str) -> bool {
        self.tlds.contains(label)
    }
}

/// Non-empty, non-comment lines with their 1-based line numbers.
fn entries(data: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    data.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

fn abbreviation_entries(
    data: &'static str,
) -> impl Iterator<Item = Result<(&'static str, AbbrevClass), String>> {
    entries(data).map(|(n, line)| {
        let mut fields = line.split_whitespace();
        let (Some(word), Some(class), None) = (fields.next(), fields.next(), fields.next()) else {
            return Err(format!(
                "data/segment/abbreviations.txt line {n}: expected `word class`, found {line:?}"
            ));
        };
        let class = match class {
            "inner" => AbbrevClass::Inner,
            "any" => AbbrevClass::Any,
            "number" => AbbrevClass::Number,
            other => {
                return Err(format!(
                    "data/segment/abbreviations.txt line {n}: unknown class {other:?}: use inner, any or number"
                ))
            }
        };
        Ok((word.trim_end_matches('.'), class))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_abbreviations_parse() {
        let errors: Vec<String> = abbreviation_entries(ABBREVIATIONS)
            .filter_map(Result::err)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn bundled_lists_have_no_duplicates() {
        for (name, data) in [
            ("abbreviations", ABBREVIATIONS),
            ("sentence_starters", SENTENCE_STARTERS),
            ("tlds", TLDS),
        ] {
            let mut seen = HashSet::new();
            for (n, line) in entries(data) {
                let key = line.split_whitespace().next().unwrap_or(line);
                assert!(
                    seen.insert(key),
                    "data/segment/{name}.txt line {n}: {key:?} is listed twice"
                );
            }
        }
    }

    #[test]
    fn looks_up() {
        let lex = lexicon();
        assert_eq!(lex.abbreviation("Gen"), Some(AbbrevClass::Inner));
        assert_eq!(lex.abbreviation("etc"), Some(AbbrevClass::Any));
        assert_eq!(lex.abbreviation("No"), Some(AbbrevClass::Number));
        assert_eq!(lex.abbreviation("Putin"), None);
        assert!(lex.is_starter("The"));
        assert!(!lex.is_starter("Army"));
        assert!(lex.is_tld("com"));
    }
}
