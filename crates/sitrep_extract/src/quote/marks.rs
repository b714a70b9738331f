//! Quotation marks and the direct-quote spans they enclose.
//!
//! Marks are straight (`"`) or typographic (“ ” „ « »); whether a mark opens or closes is read from
//! its neighbours (space before and a word after opens), with the glyph as the tie-breaker. Marks
//! pair within a paragraph (a line); a quote still open at the end of a paragraph continues when the
//! next paragraph starts with an opening mark (news style reopens a quote at each paragraph of a
//! long quotation). Otherwise the quote is unbalanced and is cut at the end of its paragraph, or of
//! its sentence when the paragraph is long, so that one stray mark never swallows the article.
//! Single quotes (‘ ’ ') are left alone: they are apostrophes or nested quotes inside a double quote.

use sitrep_doc::Span;

/// An unclosed quote longer than this (bytes) ends with its sentence instead of its paragraph.
const MAX_UNCLOSED: usize = 600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Open,
    Close,
    Either,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    start: usize,
    end: usize,
    kind: Kind,
}

/// The double quotation marks in `text`, classified.
fn marks(text: &str) -> Vec<Mark> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (len, glyph) = match b {
            b'"' => (1, Kind::Either),
            0xE2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
                Some(0x9C) | Some(0x9E) => (3, Kind::Open),
                Some(0x9D) => (3, Kind::Close),
                _ => (0, Kind::Either),
            },
            0xC2 => match bytes.get(i + 1) {
                Some(0xAB) => (2, Kind::Open),
                Some(0xBB) => (2, Kind::Close),
                _ => (0, Kind::Either),
            },
            _ => (0, Kind::Either),
        };
        if len == 0 {
            i += 1;
            continue;
        }
        let before = text[..i].chars().next_back();
        let after = text[i + len..].chars().next();
        let left_open = before.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c));
        let right_open = after.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}—–".contains(c));
        let kind = match (left_open, right_open) {
            (true, false) => Kind::Open,
            (false, true) => Kind::Close,
            _ => glyph,
        };
        out.push(Mark {
            start: i,
            end: i + len,
            kind,
        });
        i += len;
    }
    out
}

/// The paragraphs of `text`: its non-blank lines, as byte ranges without the line break.
pub(crate) fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            if !text[start..i].trim().is_empty() {
                out.push(Span::new(start, i));
            }
            start = i + 1;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// A direct-quote segment: the span with its marks and the paragraph it ends in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Segment {
    pub span: Span,
    /// Index into the paragraphs of the paragraph the quote starts in.
    pub first_para: usize,
    /// Index of the paragraph the quote ends in.
    pub para: usize,
    /// Whether a closing mark ends it (false: recovered from an unbalanced mark).
    pub closed: bool,
}

/// The quoted segments of `text`, in order, non-overlapping. `sentence_end(pos)` gives the end of
/// the sentence holding byte `pos` (used to cut an unbalanced quote).
pub(crate) fn segments(
    text: &str,
    paras: &[Span],
    sentence_end: impl Fn(usize) -> usize,
) -> Vec<Segment> {
    let all = marks(text);
    let mut out = Vec::new();
    let mut m = 0;
    // (start byte, paragraph) of a quote still open at the end of the previous paragraph.
    let mut carry: Option<(usize, usize)> = None;
    let cut = |start: usize, para: Span| -> usize {
        // The opening mark itself is the shortest quote.
        let min = start + text[start..].chars().next().map_or(0, char::len_utf8);
        let mut end = if para.end().saturating_sub(start) > MAX_UNCLOSED {
            sentence_end(start).clamp(min, para.end().max(min))
        } else {
            para.end().max(min)
        };
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        text[..end].trim_end().len().max(min)
    };
    for (pi, para) in paras.iter().enumerate() {
        while m < all.len() && all[m].start < para.start() {
            m += 1;
        }
        let mut open: Option<(usize, usize)> = None;
        if let Some((start, from)) = carry.take() {
            let first = all.get(m).filter(|k| k.start < para.end());
            let reopens = first.is_some_and(|k| {
                k.kind != Kind::Close && text[para.start()..k.start].trim().is_empty()
            });
            if reopens {
                open = Some((start, from));
                m += 1;
            } else {
                let end = cut(start, paras[pi - 1]);
                out.push(Segment {
                    span: Span::new(start, end),
                    first_para: from,
                    para: pi - 1,
                    closed: false,
                });
            }
        }
        while m < all.len() && all[m].end <= para.end() {
            let k = all[m];
            m += 1;
            match (k.kind, open) {
                (Kind::Open | Kind::Either, None) => open = Some((k.start, pi)),
                (Kind::Close | Kind::Either, Some((start, from))) => {
                    out.push(Segment {
                        span: Span::new(start, k.end),
                        first_para: from,
                        para: pi,
                        closed: true,
                    });
                    open = None;
                }
                // An opening mark while a quote is open: the earlier mark was stray (a quote
                // carried over from the previous paragraph keeps its start).
                (Kind::Open, Some((_, from))) => {
                    if from == pi {
                        open = Some((k.start, pi));
                    }
                }
                // A closing mark with nothing open: stray.
                (Kind::Close, None) => {}
            }
        }
        carry = open;
    }
    if let (Some((start, from)), Some(last)) = (carry, paras.last()) {
        out.push(Segment {
            span: Span::new(start, cut(start, *last)),
            first_para: from,
            para: paras.len() - 1,
            closed: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<&str> {
        let paras = paragraphs(text);
        segments(text, &paras, |_| text.len())
            .into_iter()
            .map(|s| &text[s.span])
            .collect()
    }

    #[test]
    fn straight_and_curly() {
        let text = "He said \"yes, sir,\" and “no.” Then ”odd”.";
        assert_eq!(quotes(text), ["\"yes, sir,\"", "“no.”", "”odd”"]);
    }

    #[test]
    fn reopened_paragraphs_make_one_quote() {
        let text = "“First part.\n\n“Second part,” he said.";
        assert_eq!(quotes(text), ["“First part.\n\n“Second part,”"]);
    }

    #[test]
    fn unbalanced_mark_stops_at_its_paragraph() {
        let text = "He said \"no way.\nThe rest of the article.";
        assert_eq!(quotes(text), ["\"no way."]);
    }

    #[test]
    fn stray_closer_is_ignored() {
        assert_eq!(quotes("a” b “c” d"), ["“c”"]);
    }

    #[test]
    fn empty_and_odd_text() {
        assert!(quotes("").is_empty());
        assert_eq!(quotes("\""), ["\""]);
        assert!(quotes("\n\n”").is_empty());
    }
}
