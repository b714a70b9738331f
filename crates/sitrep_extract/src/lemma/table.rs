//! The lemma tables, compiled in from `data/lemma/` and parsed once into hash maps whose keys and
//! values borrow from the bundled text, so a table hit allocates nothing.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use sitrep_doc::Pos;

const LEMMAS: &str = include_str!("../../../../data/lemma/lemmas.tsv");
const CLOSED: &str = include_str!("../../../../data/lemma/closed.tsv");
const OVERRIDES: &str = include_str!("../../../../data/lemma/overrides.tsv");

/// The open classes of `lemmas.tsv`, in column order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    Noun = 0,
    Verb = 1,
    Adj = 2,
    Adv = 3,
}

/// The lemmas of one form in each open class (`None`: the form is not known in that class).
type Entry = [Option<&'static str>; 4];

/// Every table, parsed.
#[derive(Debug)]
pub(crate) struct Tables {
    /// Lower-case form → lemma per open class (`lemmas.tsv`).
    open: FxHashMap<&'static str, Entry>,
    /// Per UPOS tag (indexed by [`pos_index`]): lower-case form → lemma (`closed.tsv`, then
    /// `overrides.tsv`, which wins).
    by_pos: Vec<FxHashMap<&'static str, &'static str>>,
}

/// The tables built from the bundled data, shared by every lemmatizer.
pub(crate) fn tables() -> &'static Tables {
    static TABLES: LazyLock<Tables> = LazyLock::new(Tables::bundled);
    &TABLES
}

/// A problem in a bundled table (a bug in the data, caught by the unit tests).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TableError(pub(crate) String);

impl Tables {
    fn bundled() -> Tables {
        // The bundled files are checked by the unit tests; a malformed line is skipped at run time.
        let (tables, _errors) = Tables::parse(LEMMAS, &[CLOSED, OVERRIDES]);
        tables
    }

    /// Parses `lemmas.tsv` and the per-POS files (later files win), returning the problems found.
    pub(crate) fn parse(open: &'static str, per_pos: &[&'static str]) -> (Tables, Vec<TableError>) {
        let mut errors = Vec::new();
        let mut map = FxHashMap::default();
        map.reserve(open.len() / 20);
        for (n, line) in lines(open) {
            let mut fields = line.split('\t');
            let Some(form) = fields.next().filter(|f| !f.is_empty()) else {
                errors.push(TableError(format!(
                    "data/lemma/lemmas.tsv line {n}: empty form; regenerate with scripts/build_lemmas.py"
                )));
                continue;
            };
            let mut entry: Entry = [None; 4];
            let mut count = 0;
            for (slot, field) in entry.iter_mut().zip(fields.by_ref()) {
                count += 1;
                *slot = match field {
                    "" => None,
                    "=" => Some(form),
                    lemma => Some(lemma),
                };
            }
            if count != 4 || fields.next().is_some() {
                errors.push(TableError(format!(
                    "data/lemma/lemmas.tsv line {n}: expected 5 tab-separated columns; \
                     regenerate with scripts/build_lemmas.py"
                )));
                continue;
            }
            map.insert(form, entry);
        }

        let mut by_pos: Vec<FxHashMap<&'static str, &'static str>> =
            (0..Pos::ALL.len()).map(|_| FxHashMap::default()).collect();
        for data in per_pos {
            for (n, line) in lines(data) {
                let mut fields = line.split('\t');
                let (Some(tag), Some(form), Some(lemma), None) =
                    (fields.next(), fields.next(), fields.next(), fields.next())
                else {
                    errors.push(TableError(format!(
                        "data/lemma line {n} {line:?}: expected `POS<TAB>form<TAB>lemma`"
                    )));
                    continue;
                };
                let Some(pos) = Pos::from_ud(tag) else {
                    errors.push(TableError(format!(
                        "data/lemma line {n}: unknown POS tag {tag:?}; use a Universal POS tag such as NOUN"
                    )));
                    continue;
                };
                if form.is_empty() || lemma.is_empty() {
                    errors.push(TableError(format!(
                        "data/lemma line {n}: empty form or lemma; write `=` for the form itself"
                    )));
                    continue;
                }
                let lemma = if lemma == "=" { form } else { lemma };
                by_pos[pos_index(pos)].insert(form, lemma);
            }
        }
        (Tables { open: map, by_pos }, errors)
    }

    /// The lemma of lower-case `form` in an open class, from `lemmas.tsv`.
    #[inline]
    pub(crate) fn open(&self, form: &str, class: Class) -> Option<&'static str> {
        self.open.get(form).and_then(|e| e[class as usize])
    }

    /// Whether lower-case `form` is known in any open class.
    #[inline]
    pub(crate) fn is_known(&self, form: &str) -> bool {
        self.open.contains_key(form)
    }

    /// The hand-written lemma of lower-case `form` as `pos` (`closed.tsv`, `overrides.tsv`).
    #[inline]
    pub(crate) fn by_pos(&self, form: &str, pos: Pos) -> Option<&'static str> {
        self.by_pos[pos_index(pos)].get(form).copied()
    }
}

/// The position of `pos` in [`Pos::ALL`].
#[inline]
pub(crate) fn pos_index(pos: Pos) -> usize {
    match pos {
        Pos::Adj => 0,
        Pos::Adp => 1,
        Pos::Adv => 2,
        Pos::Aux => 3,
        Pos::Cconj => 4,
        Pos::Det => 5,
        Pos::Intj => 6,
        Pos::Noun => 7,
        Pos::Num => 8,
        Pos::Part => 9,
        Pos::Pron => 10,
        Pos::Propn => 11,
        Pos::Punct => 12,
        Pos::Sconj => 13,
        Pos::Sym => 14,
        Pos::Verb => 15,
        Pos::X => 16,
    }
}

/// Non-empty, non-comment lines with their 1-based line numbers (tabs are significant).
fn lines(data: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    data.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_tables_parse_without_errors() {
        let (tables, errors) = Tables::parse(LEMMAS, &[CLOSED, OVERRIDES]);
        assert_eq!(errors, Vec::new());
        assert!(tables.open.len() > 50_000);
    }

    #[test]
    fn pos_index_follows_pos_all() {
        for (i, pos) in Pos::ALL.into_iter().enumerate() {
            assert_eq!(pos_index(pos), i);
        }
    }

    #[test]
    fn open_table_lookups() {
        let t = tables();
        assert_eq!(t.open("struck", Class::Verb), Some("strike"));
        assert_eq!(t.open("forces", Class::Noun), Some("force"));
        assert_eq!(t.open("largest", Class::Adj), Some("large"));
        assert_eq!(t.open("struck", Class::Adv), None);
        assert!(t.is_known("withdraw"));
    }

    #[test]
    fn overrides_win_over_closed_and_identity_is_the_form() {
        let (t, errors) = Tables::parse(
            "x\t\t\t\t\n",
            &["NOUN\tfoo\tbar\nDET\tthe\t=\n", "NOUN\tfoo\tbaz\n"],
        );
        assert!(errors.is_empty());
        assert_eq!(t.by_pos("foo", Pos::Noun), Some("baz"));
        assert_eq!(t.by_pos("the", Pos::Det), Some("the"));
        assert_eq!(t.by_pos("the", Pos::Noun), None);
    }

    #[test]
    fn malformed_lines_are_reported() {
        let (_, errors) = Tables::parse("a\tb\n", &["NOPE\tx\ty\n", "NOUN\tx\n"]);
        assert_eq!(errors.len(), 3);
        assert!(errors[1].0.contains("unknown POS tag"));
    }
}
