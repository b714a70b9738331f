//! Sentences: boundaries between tokens, decided from the token kinds, the words around a period
//! and the line structure.
//!
//! A sentence ends:
//! - at a paragraph break (a blank line), always;
//! - after ".", "?" or "!" (with any closing quotes and brackets attached to it), unless the next
//!   token starts with a lower-case letter or is ",", ";", ":", "%" or a closing bracket
//!   ("'Why?' he asked." is one sentence);
//! - after an abbreviation that may end a sentence ("U.S.", "etc.", "Inc.", "p.m.", an initial)
//!   or an ellipsis, only when the next word is a sentence starter ("The", "But", "He"):
//!   "sanctions on the U.S. The move" splits, "the U.S. Army" does not;
//! - at a single line break when a bullet line starts or ends there, or when the line before has
//!   no final punctuation and the next starts with a capital (a headline). In hard-wrapped text
//!   (many lines start in lower case) only a line much shorter than the others ends a sentence.

use super::lexicon::{AbbrevClass, Lexicon};
use super::token::{Kind, Tok};

/// How strongly a token suggests that a sentence ends after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// ".", "?", "!": ends unless what follows continues the sentence.
    Strong,
    /// "U.S.", "etc.", an initial, an ellipsis: ends only before a sentence starter.
    Weak,
}

/// Sentence boundaries over `toks`: inclusive token index ranges, in order, covering every token.
pub(crate) fn split(text: &str, toks: &[Tok], lex: &Lexicon) -> Vec<(usize, usize)> {
    let mut sentences = Vec::with_capacity(toks.len() / 16 + 1);
    if toks.is_empty() {
        return sentences;
    }
    let ctx = Context::new(text, toks, lex);
    let n = toks.len();
    let mut start = 0;
    let mut line_start = 0;
    let mut i = 0;
    while i < n {
        if i > 0 && toks[i].newlines > 0 {
            if i > start && ctx.line_break_ends(i, line_start) {
                sentences.push((start, i - 1));
                start = i;
            }
            line_start = i;
        }
        let Some(strength) = ctx.end_strength(i) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < n && ctx.attaches(j) {
            j += 1;
        }
        if j < n && toks[j].newlines < 2 && ctx.ends_before(strength, j) {
            sentences.push((start, j - 1));
            start = j;
        }
        i = j;
    }
    if start < n {
        sentences.push((start, n - 1));
    }
    sentences
}

struct Context<'a> {
    text: &'a str,
    toks: &'a [Tok],
    lex: &'a Lexicon,
    /// Whether the text is hard-wrapped: single line breaks fall inside sentences.
    wrapped: bool,
    /// The longest line, in bytes from its first token to its last.
    max_line: usize,
}

impl<'a> Context<'a> {
    fn new(text: &'a str, toks: &'a [Tok], lex: &'a Lexicon) -> Context<'a> {
        let mut ctx = Context {
            text,
            toks,
            lex,
            wrapped: false,
            max_line: 0,
        };
        let mut line_start = toks[0].start;
        let (mut single, mut lower) = (0usize, 0usize);
        for k in 1..toks.len() {
            if toks[k].newlines > 0 {
                ctx.max_line = ctx.max_line.max((toks[k - 1].end - line_start) as usize);
                line_start = toks[k].start;
                if toks[k].newlines == 1 {
                    single += 1;
                    if ctx.first_char(k).is_lowercase() {
                        lower += 1;
                    }
                }
            }
        }
        if let Some(last) = toks.last() {
            ctx.max_line = ctx.max_line.max((last.end - line_start) as usize);
        }
        ctx.wrapped = lower >= 2 && lower * 4 >= single;
        ctx
    }

    fn text(&self, k: usize) -> &'a str {
        self.toks[k].text(self.text)
    }

    fn first_char(&self, k: usize) -> char {
        self.text(k).chars().next().unwrap_or(' ')
    }

    /// Whether a sentence may end after token `i`, and how surely.
    fn end_strength(&self, i: usize) -> Option<End> {
        match self.toks[i].kind {
            Kind::Period => {
                // "1." opening a numbered list line
                let list_marker = i > 0
                    && !self.toks[i].spaced
                    && (i == 1 || self.toks[i - 1].newlines > 0)
                    && self.is_bullet_line(i - 1);
                (!list_marker).then_some(End::Strong)
            }
            Kind::Terminal => Some(End::Strong),
            Kind::Ellipsis | Kind::Abbrev(AbbrevClass::Any) => Some(End::Weak),
            _ => None,
        }
    }

    /// Closing quotes and brackets that stay with the sentence they close.
    fn is_closer(&self, k: usize) -> bool {
        match self.toks[k].kind {
            Kind::Close => true,
            Kind::Quote => !matches!(
                self.first_char(k),
                '\u{201C}' | '\u{2018}' | '\u{201E}' | '\u{201A}' | '\u{00AB}' | '`'
            ),
            _ => false,
        }
    }

    /// Whether token `j` stays with a sentence end before it: closing quotes and brackets and
    /// further stops written against it ('?".'), and a straight or closing quote standing alone
    /// before whitespace ('leave. " Then').
    fn attaches(&self, j: usize) -> bool {
        let t = &self.toks[j];
        if !t.spaced {
            return self.is_closer(j)
                || matches!(t.kind, Kind::Period | Kind::Terminal | Kind::Ellipsis);
        }
        t.kind == Kind::Quote
            && t.newlines < 2
            && self.is_closer(j)
            && self.toks.get(j + 1).is_none_or(|next| next.spaced)
    }

    /// Whether the sentence ends before token `j`, given the kind of end before it.
    fn ends_before(&self, strength: End, j: usize) -> bool {
        match strength {
            End::Strong => !self.continues_sentence(j),
            End::Weak => self.starts_with_starter(j),
        }
    }

    /// Whether token `j`, right after a full stop, shows that the sentence goes on.
    fn continues_sentence(&self, j: usize) -> bool {
        match self.toks[j].kind {
            Kind::Close | Kind::Period | Kind::Terminal | Kind::Ellipsis => true,
            Kind::Punct => matches!(self.text(j), "," | ";" | ":" | "%"),
            Kind::Quote | Kind::Open => {
                j + 1 < self.toks.len()
                    && self.toks[j + 1].newlines == 0
                    && self.first_char(j + 1).is_lowercase()
            }
            _ => self.first_char(j).is_lowercase(),
        }
    }

    /// Whether the word at `j`, after up to two opening quotes or brackets, starts sentences.
    fn starts_with_starter(&self, j: usize) -> bool {
        let mut k = j;
        while k < self.toks.len()
            && k < j + 2
            && matches!(self.toks[k].kind, Kind::Quote | Kind::Open)
        {
            k += 1;
        }
        k < self.toks.len() && self.lex.is_starter(self.text(k))
    }

    /// Whether the single or double line break before token `i` ends the sentence; `prev` is
    /// the first token of the line before.
    fn line_break_ends(&self, i: usize, prev: usize) -> bool {
        if self.toks[i].newlines >= 2 {
            return true;
        }
        if self.is_bullet_line(i) || self.is_bullet_line(prev) {
            return true;
        }
        let before = i - 1;
        let open_end = match self.toks[before].kind {
            Kind::Open | Kind::Abbrev(AbbrevClass::Inner) => true,
            Kind::Punct => matches!(
                self.text(before),
                "," | ";" | ":" | "-" | "\u{2013}" | "\u{2014}" | "&" | "/" | "+"
            ),
            _ => false,
        };
        if open_end || self.first_char(i).is_lowercase() {
            return false;
        }
        if !self.wrapped {
            return true;
        }
        let prev_len = (self.toks[before].end - self.toks[prev].start) as usize;
        prev_len * 10 < self.max_line * 6
    }

    /// Whether the line starting at token `k` is a list item: "• ...", "- ...", "1. ...", "a) ...".
    fn is_bullet_line(&self, k: usize) -> bool {
        let toks = self.toks;
        let Some(next) = toks.get(k + 1) else {
            return false;
        };
        if next.newlines > 0 {
            return false;
        }
        match toks[k].kind {
            Kind::Punct => {
                next.spaced
                    && matches!(
                        self.text(k),
                        "\u{2022}"
                            | "\u{00B7}"
                            | "\u{25AA}"
                            | "\u{25E6}"
                            | "\u{2023}"
                            | "\u{25BA}"
                            | "\u{25B6}"
                            | "\u{25A0}"
                            | "\u{25CF}"
                            | "\u{25CB}"
                            | "\u{25C6}"
                            | "\u{2043}"
                            | "*"
                            | "-"
                            | "\u{2013}"
                            | "\u{2014}"
                    )
            }
            Kind::Number | Kind::Word | Kind::Abbrev(_) => {
                let marker = match toks[k].kind {
                    Kind::Number => toks[k].len() <= 3,
                    Kind::Word => self.text(k).chars().count() == 1,
                    _ => false,
                };
                marker
                    && matches!(next.kind, Kind::Period | Kind::Close)
                    && !next.spaced
                    && toks.get(k + 2).is_some_and(|t| t.spaced && t.newlines == 0)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::super::token::tokenize;
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let mut toks = Vec::new();
        tokenize(text, lexicon(), &mut toks);
        split(text, &toks, lexicon())
            .into_iter()
            .map(|(a, b)| &text[toks[a].start as usize..toks[b].end as usize])
            .collect()
    }

    #[test]
    fn splits_after_full_stops() {
        assert_eq!(
            sentences("Russian troops left Syria. Gen. Smith said so."),
            ["Russian troops left Syria.", "Gen. Smith said so."]
        );
    }

    #[test]
    fn abbreviations_end_sentences_before_starters() {
        assert_eq!(
            sentences("It imposed sanctions on the U.S. The move angered the U.S. Army."),
            [
                "It imposed sanctions on the U.S.",
                "The move angered the U.S. Army."
            ]
        );
    }

    #[test]
    fn paragraphs_always_end_sentences() {
        assert_eq!(
            sentences("Troops withdraw\n\nThe army said"),
            ["Troops withdraw", "The army said"]
        );
    }

    #[test]
    fn windows_line_endings() {
        assert_eq!(
            sentences("Troops withdraw from Aleppo\r\nThe army left.\r\n\r\nIt said so"),
            [
                "Troops withdraw from Aleppo",
                "The army left.",
                "It said so"
            ]
        );
    }

    #[test]
    fn empty_text_has_no_sentences() {
        assert!(sentences(" \n ").is_empty());
    }
}
