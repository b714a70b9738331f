//! The closed-class word lists the chunker consults, compiled in from `data/chunk/`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use sitrep_doc::layer::Tense;

const AUXILIARIES: &str = include_str!("../../../../data/chunk/auxiliaries.txt");
const MODALS: &str = include_str!("../../../../data/chunk/modals.txt");
const NEGATORS: &str = include_str!("../../../../data/chunk/negators.txt");
const PARTICLES: &str = include_str!("../../../../data/chunk/particles.txt");
const PHRASAL_VERBS: &str = include_str!("../../../../data/chunk/phrasal_verbs.txt");
const POSSESSIVES: &str = include_str!("../../../../data/chunk/possessives.txt");
const QUANTIFIERS: &str = include_str!("../../../../data/chunk/quantifiers.txt");
const QUESTION_WORDS: &str = include_str!("../../../../data/chunk/question_words.txt");

/// The longest key the lexicon looks up (lower-cased word, or "lemma particle").
const KEY_LEN: usize = 40;

/// The auxiliary verbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AuxVerb {
    Be,
    Have,
    Do,
    Get,
}

/// The form of an auxiliary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AuxForm {
    Base,
    Present,
    Past,
    Participle,
    Gerund,
}

/// What a multi-word entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MultiKind {
    Negator,
    Modal(Tense),
    Quantifier,
}

/// Word flags.
pub(super) const NEGATOR: u16 = 1;
pub(super) const PARTICLE: u16 = 1 << 1;
pub(super) const POSS_PRONOUN: u16 = 1 << 2;
pub(super) const POSS_MARKER: u16 = 1 << 3;
pub(super) const QUESTION: u16 = 1 << 4;
pub(super) const QUANTIFIER: u16 = 1 << 5;
/// The first word of a multi-word entry.
pub(super) const MULTI: u16 = 1 << 6;
/// The infinitive marker "to".
pub(super) const TO: u16 = 1 << 7;
/// A particle that needs no phrasal-verb listing when no noun phrase follows it.
pub(super) const FREE_PARTICLE: u16 = 1 << 8;

/// What the lexicon knows about one lower-cased word form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Word {
    pub(super) aux: Option<(AuxVerb, AuxForm)>,
    /// A second auxiliary reading ('s = is/has; 'd = had, next to the modal reading).
    pub(super) aux_have: bool,
    pub(super) modal: Option<Tense>,
    pub(super) flags: u16,
}

impl Word {
    pub(super) fn has(self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

/// A multi-word entry ("no longer", "going to", "more than").
#[derive(Clone, Debug)]
pub(super) struct Multi {
    pub(super) words: Vec<&'static str>,
    pub(super) kind: MultiKind,
}

/// The chunker's word lists.
#[derive(Debug)]
pub(super) struct Lexicon {
    words: HashMap<&'static str, Word, Fx>,
    multis: Vec<Multi>,
    phrasal: HashSet<&'static str, Fx>,
    /// The longest single word in `words`, in bytes: longer tokens are not looked up.
    max_word: usize,
}

/// The lexicon built from the bundled data, shared by every chunker.
pub(super) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::parse().unwrap_or_else(|e| panic!("{e}")))
}

impl Lexicon {
    /// Parses the bundled files; an error names the file and line (a unit test keeps them valid).
    fn parse() -> Result<Lexicon, String> {
        let mut lex = Lexicon {
            words: HashMap::default(),
            multis: Vec::new(),
            phrasal: HashSet::default(),
            max_word: 0,
        };
        for (n, line) in entries(AUXILIARIES) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let [form, verb, class] = f[..] else {
                return Err(bad(
                    "auxiliaries",
                    n,
                    line,
                    "expected `form verb form-class`",
                ));
            };
            let verb = match verb {
                "be" => AuxVerb::Be,
                "have" => AuxVerb::Have,
                "do" => AuxVerb::Do,
                "get" => AuxVerb::Get,
                _ => {
                    return Err(bad(
                        "auxiliaries",
                        n,
                        line,
                        "verb must be be, have, do or get",
                    ))
                }
            };
            let class = match class {
                "base" => AuxForm::Base,
                "present" => AuxForm::Present,
                "past" => AuxForm::Past,
                "participle" => AuxForm::Participle,
                "gerund" => AuxForm::Gerund,
                _ => {
                    return Err(bad(
                        "auxiliaries",
                        n,
                        line,
                        "form-class must be base, present, past, participle or gerund",
                    ))
                }
            };
            let word = lex.words.entry(form).or_default();
            if word.aux.is_some() && verb == AuxVerb::Have {
                word.aux_have = true;
            } else if word.aux.is_some() {
                return Err(bad(
                    "auxiliaries",
                    n,
                    line,
                    "a second reading must be `have`",
                ));
            } else {
                word.aux = Some((verb, class));
            }
        }
        for (n, line) in entries(MODALS) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (Some((tense, words)), true) = (f.split_last(), (2..=3).contains(&f.len())) else {
                return Err(bad(
                    "modals",
                    n,
                    line,
                    "expected one or two words and a tense",
                ));
            };
            let tense = match *tense {
                "future" => Tense::Future,
                "past" => Tense::Past,
                "present" => Tense::Present,
                _ => {
                    return Err(bad(
                        "modals",
                        n,
                        line,
                        "tense must be future, past or present",
                    ))
                }
            };
            if let [word] = words {
                let word = lex.words.entry(word).or_default();
                word.modal = Some(tense);
                if word.aux.is_some() {
                    word.aux_have = true;
                }
            } else {
                lex.add_multi(words, MultiKind::Modal(tense));
            }
        }
        for (file, data, kind, flag) in [
            ("negators", NEGATORS, MultiKind::Negator, NEGATOR),
            (
                "quantifiers",
                QUANTIFIERS,
                MultiKind::Quantifier,
                QUANTIFIER,
            ),
        ] {
            for (n, line) in entries(data) {
                let words: Vec<&'static str> = line.split_whitespace().collect();
                match words[..] {
                    [word] => lex.words.entry(word).or_default().flags |= flag,
                    [_, _] | [_, _, _] => lex.add_multi(&words, kind),
                    _ => return Err(bad(file, n, line, "expected one to three words")),
                }
            }
        }
        for (n, line) in entries(QUESTION_WORDS) {
            if line.split_whitespace().count() != 1 {
                return Err(bad("question_words", n, line, "expected one word"));
            }
            lex.words.entry(line).or_default().flags |= QUESTION;
        }
        for (n, line) in entries(PARTICLES) {
            let flags = match line.split_whitespace().collect::<Vec<_>>()[..] {
                [word, "free"] => (word, PARTICLE | FREE_PARTICLE),
                [word, "listed"] => (word, PARTICLE),
                _ => return Err(bad("particles", n, line, "expected `word free|listed`")),
            };
            lex.words.entry(flags.0).or_default().flags |= flags.1;
        }
        for (n, line) in entries(POSSESSIVES) {
            let flag = match line.split_whitespace().collect::<Vec<_>>()[..] {
                [word, "pronoun"] => (word, POSS_PRONOUN),
                [word, "marker"] => (word, POSS_MARKER),
                _ => {
                    return Err(bad(
                        "possessives",
                        n,
                        line,
                        "expected `word pronoun|marker`",
                    ))
                }
            };
            lex.words.entry(flag.0).or_default().flags |= flag.1;
        }
        for (n, line) in entries(PHRASAL_VERBS) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let [_, particle] = words[..] else {
                return Err(bad("phrasal_verbs", n, line, "expected `verb particle`"));
            };
            if !lex.lookup(particle).has(PARTICLE) {
                return Err(bad(
                    "phrasal_verbs",
                    n,
                    line,
                    "the particle is not in data/chunk/particles.txt: add it there",
                ));
            }
            if line.len() > KEY_LEN || words.join(" ") != line {
                return Err(bad(
                    "phrasal_verbs",
                    n,
                    line,
                    "use one space, at most 40 bytes",
                ));
            }
            lex.phrasal.insert(line);
        }
        lex.words.entry("to").or_default().flags |= TO;
        lex.max_word = lex.words.keys().map(|w| w.len()).max().unwrap_or(0);
        Ok(lex)
    }

    fn add_multi(&mut self, words: &[&'static str], kind: MultiKind) {
        self.words.entry(words[0]).or_default().flags |= MULTI;
        self.multis.push(Multi {
            words: words.to_vec(),
            kind,
        });
    }

    /// What the lexicon knows about a lower-cased word.
    pub(super) fn lookup(&self, key: &str) -> Word {
        self.words.get(key).copied().unwrap_or_default()
    }

    /// What the lexicon knows about a token's text (lower-cased, curly apostrophes straightened).
    pub(super) fn word(&self, text: &str) -> Word {
        if text.len() > self.max_word + 2 {
            return Word::default();
        }
        let mut key = Key::new();
        match key.push_folded(text) {
            true => self.lookup(key.as_str()),
            false => Word::default(),
        }
    }

    /// The multi-word entries.
    pub(super) fn multis(&self) -> &[Multi] {
        &self.multis
    }

    /// Whether `verb particle` (the verb's lemma and the particle's text) is a phrasal verb.
    pub(super) fn is_phrasal(&self, verb: &str, particle: &str) -> bool {
        let mut key = Key::new();
        key.push_folded(verb) && key.push(b' ') && key.push_folded(particle) && {
            self.phrasal.contains(key.as_str())
        }
    }
}

/// Whether `text` equals the lower-case lexicon word `word`, ignoring case and apostrophe shape.
pub(super) fn same_word(text: &str, word: &str) -> bool {
    let mut key = Key::new();
    key.push_folded(text) && key.as_str() == word
}

/// A lower-cased word on the stack: no allocation per token.
struct Key {
    buf: [u8; KEY_LEN],
    len: usize,
}

impl Key {
    fn new() -> Key {
        Key {
            buf: [0; KEY_LEN],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) -> bool {
        if self.len == KEY_LEN {
            return false;
        }
        self.buf[self.len] = b;
        self.len += 1;
        true
    }

    /// Appends `text` in ASCII lower case with ’ and ‘ as '; false when the text has another
    /// non-ASCII character or does not fit (no lexicon word does).
    fn push_folded(&mut self, text: &str) -> bool {
        for c in text.chars() {
            let b = match c {
                '’' | '‘' => b'\'',
                c if c.is_ascii() => (c as u8).to_ascii_lowercase(),
                _ => return false,
            };
            if !self.push(b) {
                return false;
            }
        }
        true
    }

    fn as_str(&self) -> &str {
        // Only ASCII bytes are ever pushed.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// A small fast hash for short keys (the Fx hash of rustc), enough for a fixed word list.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

type Fx = BuildHasherDefault<FxHasher>;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Non-empty, non-comment lines with their 1-based line numbers.
fn entries(data: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    data.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

fn bad(file: &str, n: usize, line: &str, what: &str) -> String {
    format!("data/chunk/{file}.txt line {n}: {what}, found {line:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lists_parse() {
        if let Err(e) = Lexicon::parse() {
            panic!("{e}");
        }
    }

    #[test]
    fn bundled_lists_have_no_duplicates() {
        for (name, data) in [
            ("auxiliaries", AUXILIARIES),
            ("modals", MODALS),
            ("negators", NEGATORS),
            ("particles", PARTICLES),
            ("phrasal_verbs", PHRASAL_VERBS),
            ("possessives", POSSESSIVES),
            ("quantifiers", QUANTIFIERS),
            ("question_words", QUESTION_WORDS),
        ] {
            let mut seen = HashSet::new();
            for (n, line) in entries(data) {
                assert!(
                    seen.insert(line),
                    "data/chunk/{name}.txt line {n}: {line:?} is listed twice"
                );
            }
        }
    }

    #[test]
    fn looks_up() {
        let lex = lexicon();
        assert_eq!(lex.word("Was").aux, Some((AuxVerb::Be, AuxForm::Past)));
        assert_eq!(lex.word("’s").aux, Some((AuxVerb::Be, AuxForm::Present)));
        assert!(lex.word("'s").aux_have);
        assert!(lex.word("'d").aux_have);
        assert_eq!(lex.word("'d").modal, Some(Tense::Past));
        assert_eq!(lex.word("will").modal, Some(Tense::Future));
        assert!(lex.word("n’t").has(NEGATOR));
        assert!(lex.word("No").has(MULTI));
        assert!(lex.word("their").has(POSS_PRONOUN));
        assert!(lex.word("off").has(PARTICLE | FREE_PARTICLE));
        assert!(lex.word("by").has(PARTICLE) && !lex.word("by").has(FREE_PARTICLE));
        assert_eq!(lex.word("Putin"), Word::default());
        assert_eq!(lex.word("Côte"), Word::default());
        assert!(lex.is_phrasal("call", "Off"));
        assert!(!lex.is_phrasal("call", "in the"));
        assert!(!lex.is_phrasal(&"x".repeat(100), "off"));
        assert!(same_word("Going", "going"));
    }
}
