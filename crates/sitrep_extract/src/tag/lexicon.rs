//! The word-class lexicon (data/model/pos-lexicon.tsv): the classes a word form can have, as a
//! bit set used as the tagger's "ambiguity class" feature.

use super::features::exact_key;
use super::table::KeyTable;

/// The classes of the lexicon file, in bit order.
const CLASSES: [&str; 14] = [
    "NN", "NNS", "VB", "VBD", "VBN", "VBG", "VBZ", "JJ", "JJR", "JJS", "RB", "RBR", "RBS", "AUX",
];

/// Word form → class bit set.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    table: KeyTable,
}

impl Lexicon {
    #[cfg(test)]
    pub(crate) fn empty() -> Lexicon {
        Lexicon::default()
    }

    /// Parses `word<TAB>classes separated by spaces` lines; `#` lines are comments. Unknown class
    /// names and malformed lines are skipped (the file is checked by a test).
    pub(crate) fn parse(text: &str) -> Lexicon {
        let mut table = KeyTable::with_capacity(text.len() / 14);
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((word, classes)) = line.split_once('\t') else {
                continue;
            };
            let bits = classes
                .split(' ')
                .filter_map(|c| CLASSES.iter().position(|k| *k == c))
                .fold(0u32, |b, i| b | 1 << i);
            if bits != 0 {
                table.insert(exact_key(word), bits);
            }
        }
        Lexicon { table }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// The class bits of a word hashed with [`exact_key`] (or its lower-case form).
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<u16> {
        self.table.get(key).map(|b| b as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_skips_comments() {
        let lex = Lexicon::parse("# header\nstruck\tVBD VBN\nwidget\tNN\nbad line\n");
        assert_eq!(lex.len(), 2);
        assert_eq!(lex.get(exact_key("struck")), Some(0b11000));
        assert_eq!(lex.get(exact_key("widget")), Some(1));
        assert_eq!(lex.get(exact_key("Widget")), None);
    }
}
