//! Byte spans into a document's text.

use std::fmt;
use std::ops::{Index, Range};

use serde::{Deserialize, Serialize};

/// A half-open range of UTF-8 byte offsets into a document's text.
///
/// `&text[span]` gives the covered text. A span is only meaningful against the text it was made
/// for; [`Span::check`] tells whether it lies on character boundaries of a given text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// Makes a span from byte offsets.
    ///
    /// # Panics
    /// When `start > end` or an offset does not fit in `u32` (texts are limited to 4 GiB): both
    /// are bugs in the caller, not bad input.
    #[track_caller]
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} is after its end {end}");
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) else {
            panic!("span {start}..{end} does not fit in u32 offsets");
        };
        Span { start, end }
    }

    /// The span covering `range`.
    #[track_caller]
    pub fn from_range(range: Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> Range<usize> {
        self.start()..self.end()
    }

    /// Whether `other` lies inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Checks that the span lies within `text` and on character boundaries.
    pub fn check(self, text: &str) -> Result<(), SpanError> {
        if self.end() > text.len() {
            return Err(SpanError::OutOfBounds {
                span: self,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(self.start()) || !text.is_char_boundary(self.end()) {
            return Err(SpanError::NotCharBoundary { span: self });
        }
        Ok(())
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for Range<usize> {
    fn from(span: Span) -> Range<usize> {
        span.range()
    }
}

impl Index<Span> for str {
    type Output = str;

    #[track_caller]
    fn index(&self, span: Span) -> &str {
        &self[span.range()]
    }
}

impl Index<Span> for String {
    type Output = str;

    #[track_caller]
    fn index(&self, span: Span) -> &str {
        &self.as_str()[span.range()]
    }
}

/// Why a span does not fit a text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("span {span} ends past the end of the text ({len} bytes)")]
    OutOfBounds { span: Span, len: usize },
    #[error("span {span} does not start and end on character boundaries")]
    NotCharBoundary { span: Span },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_text() {
        let text = "Vladimir Putin ordered";
        let span = Span::new(0, 14);
        assert_eq!(&text[span], "Vladimir Putin");
        assert_eq!(span.len(), 14);
        assert!(span.check(text).is_ok());
    }

    #[test]
    fn check_rejects_bad_spans() {
        let text = "Zürich";
        assert_eq!(
            Span::new(0, 2).check(text),
            Err(SpanError::NotCharBoundary {
                span: Span::new(0, 2)
            })
        );
        assert!(matches!(
            Span::new(0, 99).check(text),
            Err(SpanError::OutOfBounds { .. })
        ));
    }

    #[test]
    #[should_panic(expected = "after its end")]
    fn reversed_span_is_a_bug() {
        let _ = Span::new(3, 1);
    }
}
