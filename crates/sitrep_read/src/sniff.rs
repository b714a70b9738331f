//! Which format a file is in: by its extension, and by its first bytes when the extension does not
//! say.

/// An input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Html,
    /// One JSON object per line.
    Jsonl,
    /// A `.json` file: one object, an array of objects, or JSON lines.
    Json,
    Warc,
    /// RSS 2.0, RSS 1.0 (RDF) or Atom.
    Feed,
}

/// The format an extension names, when it names one for sure (`name` has no compression
/// extension left). `.xml`, `.json`, unknown extensions and none are decided by [`sniff`].
pub(crate) fn by_extension(name: &str) -> Option<Format> {
    let ext = extension(name)?;
    Some(match ext.as_str() {
        "txt" | "text" => Format::Text,
        "html" | "htm" | "xhtml" | "shtml" => Format::Html,
        "jsonl" | "ndjson" => Format::Jsonl,
        "warc" => Format::Warc,
        "rss" | "atom" | "rdf" => Format::Feed,
        _ => return None,
    })
}

/// The lower-case extension of the last path component, if any.
pub(crate) fn extension(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = base.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() || ext.len() > 8 {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// The format of content that starts with `head`.
pub(crate) fn sniff(head: &[u8]) -> Format {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let body = &head[start..];
    if body.starts_with(b"WARC/1.") {
        return Format::Warc;
    }
    match body.first() {
        Some(b'<') => {
            let window = &body[..body.len().min(4096)];
            let lower = window.to_ascii_lowercase();
            let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
            let is_feed = has(b"<rss") || has(b"<feed") || has(b"<rdf:rdf");
            if is_feed && !has(b"<html") {
                Format::Feed
            } else {
                Format::Html
            }
        }
        Some(b'{') => Format::Jsonl,
        Some(b'[') => Format::Json,
        _ => Format::Text,
    }
}

/// True when `head` looks like a binary file: a NUL byte, or more than one byte in ten a control
/// character other than tab, line feed, carriage return, form feed and escape. UTF-16 text (with a
/// byte-order mark) is not binary.
pub(crate) fn looks_binary(head: &[u8]) -> bool {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return false;
    }
    let window = &head[..head.len().min(8192)];
    if window.contains(&0) {
        return true;
    }
    let control = window
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    control * 10 > window.len()
}

/// Extensions of files that are clearly not articles; a directory walk skips them.
pub(crate) fn skipped_in_directories(name: &str) -> bool {
    const NOT_INPUT: &[&str] = &[
        // images
        "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "heic",
        // audio and video
        "mp3", "mp4", "m4a", "wav", "ogg", "webm", "avi", "mov", "mkv", "flac",
        // fonts, styles, scripts
        "woff", "woff2", "ttf", "otf", "eot", "css", "js", "map", "wasm",
        // documents and archives sitrep cannot read
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "zip", "tar", "7z", "rar", "bz2",
        "xz", "exe", "dll", "so", "o", "bin", "db", "sqlite", "parquet", "pyc", "class", "jar",
        "lock", "cdx", "idx",
    ];
    let stripped = crate::compress::strip_extension(name);
    match extension(stripped) {
        Some(ext) => NOT_INPUT.contains(&ext.as_str()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(by_extension("a/b.TXT"), Some(Format::Text));
        assert_eq!(by_extension("page.htm"), Some(Format::Html));
        assert_eq!(by_extension("x.ndjson"), Some(Format::Jsonl));
        assert_eq!(by_extension("crawl.warc"), Some(Format::Warc));
        assert_eq!(by_extension("feed.atom"), Some(Format::Feed));
        assert_eq!(by_extension("feed.xml"), None);
        assert_eq!(by_extension("README"), None);
        assert_eq!(by_extension(".hidden"), None);
        assert_eq!(by_extension("dir.d/file"), None);
    }

    #[test]
    fn sniffs_first_bytes() {
        assert_eq!(sniff(b"WARC/1.0\r\nWARC-Type: warcinfo"), Format::Warc);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"),
            Format::Feed
        );
        assert_eq!(
            sniff(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Format::Feed
        );
        assert_eq!(sniff(b"\xEF\xBB\xBF<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff(b"  {\"text\": \"a\"}\n"), Format::Jsonl);
        assert_eq!(sniff(b"[{\"text\": \"a\"}]"), Format::Json);
        assert_eq!(sniff(b"Putin orders withdrawal"), Format::Text);
        assert_eq!(sniff(b""), Format::Text);
    }

    #[test]
    fn binary() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(looks_binary(&[1, 2, 3, 4, 5, 6, 7, 8, b'a', b'b']));
        assert!(!looks_binary(b"plain text\twith tabs\r\n"));
        assert!(!looks_binary(b"\xFF\xFEa\0b\0"));
        assert!(!looks_binary("caf\u{e9} \u{2014} ok".as_bytes()));
    }

    #[test]
    fn skipped() {
        assert!(skipped_in_directories("img/photo.JPG"));
        assert!(skipped_in_directories("a.pdf.gz"));
        assert!(!skipped_in_directories("a.txt"));
        assert!(!skipped_in_directories("a.warc.gz"));
        assert!(!skipped_in_directories("NOTES"));
    }
}
