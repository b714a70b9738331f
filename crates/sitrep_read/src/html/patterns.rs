//! Class/id patterns of page chrome, loaded from `data/html/boilerplate.txt`.

use std::collections::HashSet;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

const SOURCE: &str = include_str!("../../../../data/html/boilerplate.txt");
const RELATED: &str = include_str!("../../../../data/html/related-prefixes.txt");

/// What a class or id value says about its element.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// A main-text pattern matches (the strict reading then ignores `chrome`).
    pub(crate) main: bool,
    /// Some chrome pattern matches.
    pub(crate) chrome: bool,
    /// A strong chrome pattern matches (one that also holds in the lenient reading).
    pub(crate) strong: bool,
}

pub(crate) struct Patterns {
    contains: AhoCorasick,
    /// The patterns that also hold in the lenient pass.
    strong: AhoCorasick,
    words: HashSet<String>,
    main: AhoCorasick,
}

impl Patterns {
    fn parse(source: &str) -> Patterns {
        let mut contains = Vec::new();
        let mut strong = Vec::new();
        let mut words = HashSet::new();
        let mut main = Vec::new();
        for line in source.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(w) = line.strip_prefix('=') {
                words.insert(w.to_ascii_lowercase());
            } else if let Some(w) = line.strip_prefix('!') {
                strong.push(w.to_ascii_lowercase());
                contains.push(w.to_ascii_lowercase());
            } else if let Some(w) = line.strip_prefix('+') {
                main.push(w.to_ascii_lowercase());
            } else {
                contains.push(line.to_ascii_lowercase());
            }
        }
        // Building from plain strings cannot fail below the automaton size limits.
        let build = |p: &[String]| {
            AhoCorasick::new(p).unwrap_or_else(|_| AhoCorasick::new([""; 0]).expect("empty"))
        };
        Patterns {
            contains: build(&contains),
            strong: build(&strong),
            words,
            main: build(&main),
        }
    }

    /// The patterns compiled into the binary.
    pub(crate) fn get() -> &'static Patterns {
        static PATTERNS: OnceLock<Patterns> = OnceLock::new();
        PATTERNS.get_or_init(|| Patterns::parse(SOURCE))
    }

    /// Judges a class or id value (any case).
    pub(crate) fn judge(&self, value: &str, buf: &mut String) -> Verdict {
        buf.clear();
        buf.extend(value.chars().map(|c| c.to_ascii_lowercase()));
        let strong = self.strong.is_match(buf.as_str());
        Verdict {
            main: self.main.is_match(buf.as_str()),
            chrome: strong
                || self.contains.is_match(buf.as_str())
                || buf
                    .split(|c: char| c.is_ascii_whitespace() || matches!(c, '-' | '_' | ':'))
                    .any(|w| self.words.contains(w)),
            strong,
        }
    }
}

/// Whether a line opens like a pointer to another story ("Read more: …", "RELATED - …"), from
/// `data/html/related-prefixes.txt`: a listed opening, then a character that is not a letter.
pub(crate) fn is_related_line(text: &str) -> bool {
    static PREFIXES: OnceLock<Vec<String>> = OnceLock::new();
    let prefixes = PREFIXES.get_or_init(|| {
        RELATED
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    });
    let head: String = text
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .take(40)
        .flat_map(char::to_lowercase)
        .collect();
    prefixes.iter().any(|p| {
        head.strip_prefix(p.as_str())
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_values() {
        let p = Patterns::get();
        let mut buf = String::new();
        let mut judge = |v: &str| p.judge(v, &mut buf);
        assert!(judge("site-Nav main").chrome);
        assert!(!judge("site-Nav main").strong);
        assert!(judge("post-comments").chrome);
        assert_eq!(judge("canvas"), Verdict::default());
        assert_eq!(judge("shadow"), Verdict::default());
        let v = judge("story-body share");
        assert!(v.main && v.chrome && !v.strong);
        assert!(judge("comments").strong);
    }

    #[test]
    fn related_lines() {
        assert!(is_related_line("Read more: Council delays vote"));
        assert!(is_related_line("» RELATED - Storm hits coast"));
        assert!(is_related_line("More:"));
        assert!(is_related_line("Don’t miss"));
        assert!(!is_related_line("Moreover, the council said"));
        assert!(!is_related_line("Get it on Amazon for $49"));
        assert!(!is_related_line(""));
    }
}
