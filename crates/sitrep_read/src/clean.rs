//! Plain-text cleaning: whole page-chrome lines removed, the body never rewritten.
//!
//! The patterns live in `data/clean/chrome_lines.txt`: one regular expression per line that must
//! match a whole (trimmed) line; `tail:` patterns start a comment section ("Leave a Reply"), which
//! is removed with everything after it. Kept lines are byte-identical to the input, in the same
//! order; where chrome was removed, the blank lines around it collapse to one so paragraphs stay
//! separated by one blank line.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::bytes::RegexSet;

const CHROME_LINES: &str = include_str!("../../../data/clean/chrome_lines.txt");

/// Lines longer than this are body text, never chrome.
const MAX_CHROME_LINE: usize = 400;

struct Patterns {
    line: RegexSet,
    tail: RegexSet,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| match compile(CHROME_LINES) {
    Ok(patterns) => patterns,
    // The file is compiled into the binary and checked by a unit test: a bad pattern is a bug.
    Err(e) => panic!("data/clean/chrome_lines.txt: {e}"),
});

fn compile(data: &str) -> Result<Patterns, String> {
    let mut line = Vec::new();
    let mut tail = Vec::new();
    for (n, entry) in data.lines().enumerate() {
        let entry = entry.trim();
        if entry.is_empty() || entry.starts_with('#') {
            continue;
        }
        let (list, pattern) = match entry.strip_prefix("tail:") {
            Some(rest) => (&mut tail, rest.trim()),
            None => (&mut line, entry),
        };
        // ASCII-only matching: the patterns are English and ASCII, and Unicode-aware `.{0,300}`
        // makes automata hundreds of times larger (and cleaning ~100x slower).
        let whole = format!("(?i-u)^(?:{pattern})$");
        regex::bytes::Regex::new(&whole).map_err(|e| format!("line {}: {e}", n + 1))?;
        list.push(whole);
    }
    Ok(Patterns {
        line: set(&line)?,
        tail: set(&tail)?,
    })
}

fn set(patterns: &[String]) -> Result<RegexSet, String> {
    regex::bytes::RegexSetBuilder::new(patterns)
        .dfa_size_limit(32 << 20)
        .build()
        .map_err(|e| e.to_string())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Chrome,
    Body,
}

/// The lines of `text` with their line breaks: byte ranges that cover the text exactly.
fn line_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
            Some(i) => start + i + 1,
            None => text.len(),
        };
        let range = (start, end);
        start = end;
        Some(range)
    })
}

fn is_chrome(line: &str) -> bool {
    line.len() <= MAX_CHROME_LINE && PATTERNS.line.is_match(line.as_bytes())
}

fn starts_comments(line: &str) -> bool {
    line.len() <= MAX_CHROME_LINE && PATTERNS.tail.is_match(line.as_bytes())
}

/// Removes page-chrome lines (captions with photo credits, "Leave a Reply" and the comments after
/// it, "Share this:", cookie notices, …). Text without chrome comes back unchanged (borrowed).
pub fn clean_text(text: &str) -> Cow<'_, str> {
    let mut lines: Vec<(usize, usize, Kind)> = Vec::new();
    let mut seen_body = false;
    let mut cut = false;
    for (start, end) in line_ranges(text) {
        let line = text[start..end].trim();
        let kind = if line.is_empty() {
            Kind::Blank
        } else if seen_body && starts_comments(line) {
            cut = true;
            break;
        } else if is_chrome(line) {
            Kind::Chrome
        } else {
            seen_body = true;
            Kind::Body
        };
        lines.push((start, end, kind));
    }
    if !cut && lines.iter().all(|&(_, _, kind)| kind != Kind::Chrome) {
        return Cow::Borrowed(text);
    }

    let mut out = String::with_capacity(text.len());
    // The blank lines since the last body line, and whether chrome was removed among them.
    let mut gap: Vec<(usize, usize)> = Vec::new();
    let mut gap_had_chrome = false;
    let mut emitted = false;
    for &(start, end, kind) in &lines {
        match kind {
            Kind::Blank => gap.push((start, end)),
            Kind::Chrome => gap_had_chrome = true,
            Kind::Body => {
                if !gap_had_chrome {
                    for &(s, e) in &gap {
                        out.push_str(&text[s..e]);
                    }
                } else if emitted {
                    if let Some(&(s, e)) = gap.first() {
                        out.push_str(&text[s..e]);
                    }
                }
                out.push_str(&text[start..end]);
                gap.clear();
                gap_had_chrome = false;
                emitted = true;
            }
        }
    }
    if !gap_had_chrome && !cut {
        for &(s, e) in &gap {
            out.push_str(&text[s..e]);
        }
    }
    Cow::Owned(out)
}

/// The headline of a plain-text article: its first line (after blank and chrome lines) when that
/// reads as a title — short, no final period, and followed by more text.
pub fn headline(text: &str) -> Option<&str> {
    let mut lines = line_ranges(text)
        .map(|(s, e)| text[s..e].trim())
        .filter(|l| !l.is_empty());
    let first = lines.by_ref().find(|l| !is_chrome(l))?;
    // A headline is followed by body text.
    lines.next()?;
    let words = first.split_whitespace().count();
    let reads_as_title = first.chars().count() <= 200
        && words <= 30
        && !first.ends_with(['.', ',', ';', ':', '…'])
        && first.chars().any(char::is_alphabetic)
        && first
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric() || "\"'“‘".contains(c));
    reads_as_title.then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_compiles() {
        let p = compile(CHROME_LINES).unwrap();
        assert!(p.line.len() > 30);
        assert!(p.tail.len() >= 3);
    }

    #[test]
    fn text_without_chrome_is_borrowed_and_identical() {
        let text = "Putin ordered a withdrawal.\n\nAssad asked for help in 2015.\n";
        let cleaned = clean_text(text);
        assert!(matches!(cleaned, Cow::Borrowed(_)));
        assert_eq!(cleaned, text);
        assert!(matches!(clean_text(""), Cow::Borrowed("")));
        assert!(matches!(
            clean_text("no newline"),
            Cow::Borrowed("no newline")
        ));
    }

    #[test]
    fn caption_and_credit_lines() {
        for line in [
            "Photograph: Mikhail Klimentyev/AP",
            "Vladimir Putin at the Hmeimim airbase. Photograph: Mikhail Klimentyev/AP",
            "Photo: Reuters",
            "Russian jets over Syria (AP Photo/Hussein Malla)",
            "(AP Photo/Hussein Malla)",
            "Image copyright Getty Images",
            "Image caption Russian troops in Aleppo",
            "Getty Images",
            "Mikhail Klimentyev/AFP via Getty Images",
            "Reuters",
        ] {
            assert!(is_chrome(line), "{line}");
        }
    }

    #[test]
    fn widget_and_notice_lines() {
        for line in [
            "Share this:",
            "Like this:",
            "Like Loading...",
            "%d bloggers like this:",
            "Related",
            "Click to share on Twitter (Opens in new window)",
            "Click to email a link to a friend (Opens in new window)",
            "Advertisement",
            "Subscribe to our newsletter",
            "Sign up for our daily briefing email",
            "We use cookies to improve your experience on our site.",
            "Posted in World News",
            "Tags: Putin, Syria",
        ] {
            assert!(is_chrome(line), "{line}");
        }
        for line in [
            "Leave a Reply",
            "Leave a Reply Cancel reply",
            "3 thoughts on “Putin in Syria”",
            "12 Comments",
        ] {
            assert!(starts_comments(line), "{line}");
        }
    }

    #[test]
    fn body_lines_are_kept() {
        for line in [
            "Russian President Vladimir Putin ordered partial withdrawal of his forces from Syria.",
            "The photo agency said the image was taken on Monday.",
            "Related talks will take place in Geneva next week.",
            "Share prices fell 3% on Monday.",
            "Reuters reported that the talks had failed.",
            "He said: \"We will respond.\"",
            "Subscribers to the service complained about the outage on Monday.",
        ] {
            assert!(!is_chrome(line), "{line}");
            assert!(!starts_comments(line), "{line}");
        }
    }

    #[test]
    fn kept_lines_are_byte_identical_and_gaps_collapse() {
        let text = "Title\r\n\r\nPhoto: Reuters\r\n\r\nFirst  paragraph .\r\nAdvertisement\r\nSecond line.\r\n\r\n\r\nThird.\r\n";
        assert_eq!(
            clean_text(text),
            "Title\r\n\r\nFirst  paragraph .\r\nSecond line.\r\n\r\n\r\nThird.\r\n"
        );
    }

    #[test]
    fn leading_and_trailing_chrome() {
        assert_eq!(
            clean_text("Advertisement\n\nBody.\n\nShare this:\n\n"),
            "Body.\n"
        );
        assert_eq!(clean_text("Body.\n\nLike this:"), "Body.\n");
    }

    #[test]
    fn comment_section_is_cut_only_after_body() {
        let text = "Body.\n\nLeave a Reply\n\nGreat post!\n\nReply\n";
        assert_eq!(clean_text(text), "Body.\n");
        // A text that starts with such a line keeps its body.
        let text = "12 Comments\n\nBody.\n";
        assert_eq!(clean_text(text), "12 Comments\n\nBody.\n");
    }

    #[test]
    fn headlines() {
        let text =
            "Putin orders withdrawal from Syria\n\nRussian President Vladimir Putin ordered.\n";
        assert_eq!(headline(text), Some("Putin orders withdrawal from Syria"));
        assert_eq!(
            headline("Advertisement\n\nPutin in Syria\nBody.\n"),
            Some("Putin in Syria")
        );
        assert_eq!(
            headline("Putin ordered a partial withdrawal.\n\nMore.\n"),
            None
        );
        assert_eq!(headline("Only one line"), None);
        assert_eq!(headline(""), None);
        let long = format!("{}\n\nBody.\n", "word ".repeat(40));
        assert_eq!(headline(&long), None);
    }

    proptest::proptest! {
        #[test]
        fn kept_lines_are_a_subsequence_of_the_input(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "", "Body text.", "Photo: Reuters", "Share this:", "Leave a Reply",
                    "Putin in Syria", "  ", "Advertisement", "Good post!", "Reply",
                ]),
                0..20,
            ),
            crlf in proptest::prelude::any::<bool>(),
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let text: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
            let cleaned = clean_text(&text);
            let mut input = line_ranges(&text).map(|(s, e)| &text[s..e]);
            for kept in line_ranges(&cleaned).map(|(s, e)| &cleaned[s..e]) {
                proptest::prop_assert!(input.any(|l| l == kept), "{kept:?} not in order in {text:?}");
            }
            if !lines.iter().any(|l| is_chrome(l.trim()) || starts_comments(l.trim())) {
                proptest::prop_assert_eq!(&*cleaned, &*text);
            }
        }

        #[test]
        fn any_text_never_panics(text in "\\PC*") {
            let _ = clean_text(&text);
            let _ = headline(&text);
        }
    }
}
