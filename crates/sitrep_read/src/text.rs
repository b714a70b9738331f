//! Whole-file inputs (plain text, HTML) and the pieces every reader shares: bounded reads, text
//! decoding, I/O error messages.

use std::io::{self, Read};

use sitrep_doc::Meta;

use crate::{too_large, Body, Origin, RawDoc, ReadError};

/// Why a bounded read gave no bytes.
#[derive(Debug)]
pub(crate) enum Fail {
    /// The input is larger than the limit; the size it has (or at least has).
    TooLarge(u64),
    Io(io::Error),
}

/// Reads all of `r`, refusing more than `limit` bytes; memory stays below `limit + 1` bytes. When
/// the input is too large, the rest is counted (not kept) to name its size.
pub(crate) fn read_bounded(r: &mut dyn Read, limit: usize) -> Result<Vec<u8>, Fail> {
    let mut buf = Vec::new();
    r.take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(Fail::Io)?;
    if buf.len() > limit {
        let rest = io::copy(r, &mut io::sink()).unwrap_or(0);
        return Err(Fail::TooLarge(buf.len() as u64 + rest));
    }
    Ok(buf)
}

/// The error for a failed bounded read of `origin`.
pub(crate) fn fail_error(origin: Origin, fail: Fail, limit: usize) -> ReadError {
    match fail {
        Fail::TooLarge(size) => ReadError::new(
            origin,
            too_large(size, limit),
            Some("split the input, or pass --max-doc-bytes with a larger limit"),
        ),
        Fail::Io(e) => io_error(origin, &e),
    }
}

/// The error for an I/O failure while reading `origin`.
pub(crate) fn io_error(origin: Origin, e: &io::Error) -> ReadError {
    let text = e.to_string();
    if text.contains("archive is truncated") {
        ReadError::new(
            origin,
            text,
            Some("the file was cut short (an interrupted download or copy?); fetch it again"),
        )
    } else if text.contains("archive is corrupt") {
        ReadError::new(
            origin,
            text,
            Some("the compressed data is damaged; fetch the file again"),
        )
    } else {
        ReadError::new(
            origin,
            format!("could not read: {}", lower_first(&text)),
            Some("check that the file is readable"),
        )
    }
}

/// An I/O error's message as sitrep writes messages: lower case first letter.
pub(crate) fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) const UTF8_HINT: &str =
    "convert the file to UTF-8 (for example: iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8)";

/// Decodes text bytes: UTF-8 (a byte-order mark is dropped) or UTF-16 with a byte-order mark.
/// The error says where the first bad byte is.
pub(crate) fn decode_text(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    let skip = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut bytes = bytes;
    bytes.drain(..skip);
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        format!("not valid UTF-8 at byte {} (line {line})", at + skip)
    })
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    let units = bytes.chunks(2).map(|c| match c {
        [a, b] => Ok(unit([*a, *b])),
        _ => Err(()),
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut offset = 2;
    for c in char::decode_utf16(units.map_while(Result::ok)) {
        match c {
            Ok(c) => {
                offset += 2 * c.len_utf16();
                out.push(c);
            }
            Err(_) => return Err(format!("not valid UTF-16 at byte {offset}")),
        }
    }
    if bytes.len() % 2 == 1 {
        return Err(format!(
            "not valid UTF-16: odd number of bytes (byte {})",
            bytes.len() + 1
        ));
    }
    Ok(out)
}

/// One plain-text file, one document.
pub(crate) fn plain_text(origin: Origin, bytes: Vec<u8>) -> Result<RawDoc, ReadError> {
    match decode_text(bytes) {
        Ok(text) => Ok(RawDoc {
            origin,
            meta: Meta::default(),
            body: Body::Text(text),
            published_fallback: None,
        }),
        Err(message) => Err(ReadError::new(origin, message, Some(UTF8_HINT))),
    }
}

/// One HTML file, one document (decoded by its byte-order mark, `<meta charset>`, or detection).
pub(crate) fn html(origin: Origin, bytes: &[u8]) -> RawDoc {
    RawDoc {
        origin,
        meta: Meta::default(),
        body: Body::Html(crate::html::decode(bytes, None)),
        published_fallback: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_read_refuses_and_counts() {
        let data = vec![b'a'; 1000];
        match read_bounded(&mut &data[..], 100) {
            Err(Fail::TooLarge(n)) => assert_eq!(n, 1000),
            other => panic!("{other:?}"),
        }
        assert_eq!(read_bounded(&mut &data[..], 1000).unwrap().len(), 1000);
    }

    #[test]
    fn decodes_utf8_and_utf16() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc".to_vec()).unwrap(), "abc");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Kyiv – Київ".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text(le).unwrap(), "Kyiv – Київ");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("abc".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode_text(be).unwrap(), "abc");
    }

    #[test]
    fn invalid_utf8_names_byte_and_line() {
        let e = decode_text(b"ok\nbad \xE9t\xE9\n".to_vec()).unwrap_err();
        assert_eq!(e, "not valid UTF-8 at byte 7 (line 2)");
        let e = decode_text(b"\xEF\xBB\xBFa\xFF".to_vec()).unwrap_err();
        assert_eq!(e, "not valid UTF-8 at byte 4 (line 1)");
    }

    #[test]
    fn lower_case_messages() {
        assert_eq!(lower_first("No such file"), "no such file");
    }
}
