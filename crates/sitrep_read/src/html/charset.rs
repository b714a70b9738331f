//! Bytes to text: BOM, HTTP charset hint, `<meta charset>`, detection.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into the page `<meta charset>` is looked for.
const PRESCAN_BYTES: usize = 2048;

/// Which rule chose the encoding (for tests and diagnostics).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Bom,
    Hint,
    Meta,
    Utf8,
    Detected,
}

pub(crate) fn decode(bytes: &[u8], charset_hint: Option<&str>) -> (String, Source) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (lossy(encoding, &bytes[bom_len..]), Source::Bom);
    }
    if let Some(encoding) = charset_hint.and_then(label_in_hint).and_then(for_label) {
        return (lossy(encoding, bytes), Source::Hint);
    }
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    if let Some(encoding) = meta_charset(head) {
        return (lossy(encoding, bytes), Source::Meta);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), Source::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    (lossy(encoding, bytes), Source::Detected)
}

fn lossy(encoding: &'static Encoding, bytes: &[u8]) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// An encoding label as HTML uses it: UTF-16 labels in a page mean UTF-8 (the bytes were
/// ASCII-compatible enough to read the label), `x-user-defined` means windows-1252.
fn for_label(label: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes())?;
    Some(
        if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
            UTF_8
        } else if encoding == encoding_rs::X_USER_DEFINED {
            WINDOWS_1252
        } else {
            encoding
        },
    )
}

/// The charset of a hint: a bare label (`utf-8`) or a Content-Type value (`text/html; charset=utf-8`).
fn label_in_hint(hint: &str) -> Option<&str> {
    let lower = hint.to_ascii_lowercase();
    match lower.find("charset=") {
        Some(i) => {
            let rest = &hint[i + "charset=".len()..];
            let end = rest.find([';', ' ', ',']).unwrap_or(rest.len());
            Some(&rest[..end])
        }
        None if !hint.contains(['/', ';']) && !hint.trim().is_empty() => Some(hint),
        None => None,
    }
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` in `head` names.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |j| start + j);
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let mut p = c + "charset".len();
            while p < tag.len() && matches!(tag[p], b' ' | b'=' | b'"' | b'\'') {
                p += 1;
            }
            let q = tag[p..]
                .iter()
                .position(|b| {
                    !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                })
                .map_or(tag.len(), |k| p + k);
            if let Some(encoding) = std::str::from_utf8(&tag[p..q]).ok().and_then(for_label) {
                return Some(encoding);
            }
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=windows-1252>café".as_bytes());
        assert_eq!(
            decode(&bytes, Some("iso-8859-2")),
            ("<meta charset=windows-1252>café".to_owned(), Source::Bom)
        );
        let utf16 = [0xFF, 0xFE, b'h', 0, b'i', 0];
        assert_eq!(decode(&utf16, None).0, "hi");
    }

    #[test]
    fn hint_then_meta() {
        let bytes = b"<meta charset=\"utf-8\"><p>caf\xe9</p>";
        let (text, source) = decode(bytes, Some("text/html; charset=ISO-8859-1"));
        assert_eq!(
            (text.as_str(), source),
            ("<meta charset=\"utf-8\"><p>café</p>", Source::Hint)
        );
        let bytes = b"<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>\x93quoted\x94</p>";
        let (text, source) = decode(bytes, None);
        assert_eq!(source, Source::Meta);
        assert!(text.contains("\u{201c}quoted\u{201d}"));
        let (_, source) = decode(b"<meta charset='koi8-r'>", Some("no-such-charset"));
        assert_eq!(source, Source::Meta);
    }

    #[test]
    fn utf8_and_detection() {
        assert_eq!(
            decode("<p>naïve</p>".as_bytes(), None),
            ("<p>naïve</p>".to_owned(), Source::Utf8)
        );
        let bytes = b"<html><body><p>The caf\xe9 on the corner served cr\xe8me br\xfbl\xe9e and \x93real\x94 coffee \x96 a d\xe9j\xe0 vu for every na\xefve visitor.</p></body></html>";
        let (text, source) = decode(bytes, None);
        assert_eq!(source, Source::Detected);
        assert!(
            text.contains("café")
                && text.contains("crème brûlée")
                && text.contains("\u{201c}real\u{201d}"),
            "{text}"
        );
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [
            &b""[..],
            b"\xff\xfe\xfd",
            b"<meta charset=",
            b"<meta charset=\"\xff\">\xc3",
        ] {
            let _ = decode(bytes, Some("\u{0}"));
        }
    }
}
