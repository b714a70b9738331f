//! Class/id patterns of page chrome, loaded from `data/html/boilerplate.txt`.

use std::collections::HashSet;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

const SOURCE: &str = include_str!("../../../../data/html/boilerplate.txt");

/// What a class or id value says about its element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Neutral,
    Boilerplate,
    MainText,
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

    /// Judges a class or id value (any case); `strict: false` applies only the strong patterns.
    pub(crate) fn judge(&self, value: &str, strict: bool, buf: &mut String) -> Verdict {
        buf.clear();
        buf.extend(value.chars().map(|c| c.to_ascii_lowercase()));
        if !strict {
            return if self.strong.is_match(buf.as_str()) {
                Verdict::Boilerplate
            } else {
                Verdict::Neutral
            };
        }
        if self.main.is_match(buf.as_str()) {
            return Verdict::MainText;
        }
        if self.contains.is_match(buf.as_str())
            || buf
                .split(|c: char| c.is_ascii_whitespace() || matches!(c, '-' | '_' | ':'))
                .any(|w| self.words.contains(w))
        {
            return Verdict::Boilerplate;
        }
        Verdict::Neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_values() {
        let p = Patterns::get();
        let mut buf = String::new();
        assert_eq!(
            p.judge("site-Nav main", true, &mut buf),
            Verdict::Boilerplate
        );
        assert_eq!(
            p.judge("post-comments", true, &mut buf),
            Verdict::Boilerplate
        );
        assert_eq!(p.judge("canvas", true, &mut buf), Verdict::Neutral);
        assert_eq!(p.judge("shadow", true, &mut buf), Verdict::Neutral);
        assert_eq!(
            p.judge("story-body share", true, &mut buf),
            Verdict::MainText
        );
        assert_eq!(p.judge("site-nav", false, &mut buf), Verdict::Neutral);
        assert_eq!(p.judge("comments", false, &mut buf), Verdict::Boilerplate);
    }
}
