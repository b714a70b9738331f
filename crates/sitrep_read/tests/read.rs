//! Integration tests of `sitrep_read::read`: every input form, and every kind of bad input
//! reported with its location while the rest is still read. Fixtures are generated in a temporary
//! directory by each test (the golden article is committed under tests/fixtures/).

use std::io::Write;
use std::path::Path;

use jiff::civil::date;
use sitrep_read::{read, Body, RawDoc, ReadError, ReadOptions, DEFAULT_MAX_DOC_BYTES};

fn read_all(inputs: &[&Path], options: &ReadOptions) -> Vec<Result<RawDoc, ReadError>> {
    let inputs: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    read(&inputs, options).collect()
}

fn read_one(path: &Path) -> Vec<Result<RawDoc, ReadError>> {
    read_all(&[path], &ReadOptions::default())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn text_of(doc: &Result<RawDoc, ReadError>) -> &str {
    match &doc.as_ref().unwrap().body {
        Body::Text(t) | Body::Html(t) => t,
    }
}

fn errors(docs: &[Result<RawDoc, ReadError>]) -> Vec<&ReadError> {
    docs.iter().filter_map(|d| d.as_ref().err()).collect()
}

fn oks(docs: &[Result<RawDoc, ReadError>]) -> usize {
    docs.iter().filter(|d| d.is_ok()).count()
}

// ---------------------------------------------------------------- golden article

#[test]
fn golden_blog_article_keeps_headline_and_body_only() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let input = std::fs::read_to_string(fixtures.join("blog_article.txt")).unwrap();
    let expected = std::fs::read_to_string(fixtures.join("blog_article.expected.txt")).unwrap();
    assert_eq!(sitrep_read::clean::clean_text(&input), expected);

    let docs = read_one(&fixtures.join("blog_article.txt"));
    assert_eq!(docs.len(), 1);
    let doc = docs.into_iter().next().unwrap().unwrap().into_doc();
    assert_eq!(doc.text(), expected);
    assert_eq!(
        doc.meta().title.as_deref(),
        Some("Moscow pulls part of its air group out of Latakia")
    );
}

#[test]
fn text_without_chrome_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Putin orders withdrawal\n\nRussian President Vladimir Putin ordered a partial withdrawal.\n";
    let path = write(dir.path(), "a.txt", text.as_bytes());
    let doc = read_one(&path).remove(0).unwrap().into_doc();
    assert_eq!(doc.text(), text);
}

// ---------------------------------------------------------------- forms of input

#[test]
fn directory_is_walked_sorted_skipping_hidden_and_images() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b.txt", b"Second.\n");
    write(dir.path(), "a.txt", b"First.\n");
    write(
        dir.path(),
        "sub/c.html",
        b"<html><body><p>Third.</p></body></html>",
    );
    write(dir.path(), ".hidden.txt", b"Hidden.\n");
    write(dir.path(), ".git/config", b"[core]\n");
    write(dir.path(), "photo.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF");
    let docs = read_one(dir.path());
    let origins: Vec<String> = docs
        .iter()
        .map(|d| d.as_ref().unwrap().origin.path.clone())
        .collect();
    let base = dir.path().display().to_string();
    assert_eq!(
        origins,
        [
            format!("{base}/a.txt"),
            format!("{base}/b.txt"),
            format!("{base}/sub/c.html")
        ]
    );
    assert!(matches!(docs[2].as_ref().unwrap().body, Body::Html(_)));
}

#[test]
fn compression_by_extension_or_magic() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = b"{\"text\": \"one\"}\n{\"text\": \"two\"}\n";
    let gz = write(dir.path(), "a.jsonl.gz", &gzip(jsonl));
    let zst = write(
        dir.path(),
        "b.jsonl.zst",
        &ruzstd::encoding::compress_to_vec(&jsonl[..], ruzstd::encoding::CompressionLevel::Fastest),
    );
    // No extension at all: gzip by magic, JSONL by sniffing.
    let bare = write(dir.path(), "download", &gzip(jsonl));
    // Multi-member gzip.
    let mut members = gzip(b"{\"text\": \"one\"}\n");
    members.extend(gzip(b"{\"text\": \"two\"}\n"));
    let multi = write(dir.path(), "m.jsonl.gz", &members);
    for path in [gz, zst, bare, multi] {
        let docs = read_one(&path);
        assert_eq!(docs.len(), 2, "{path:?}: {docs:?}");
        assert_eq!(text_of(&docs[1]), "two");
        assert_eq!(
            docs[1].as_ref().unwrap().origin.record.as_deref(),
            Some("line 2")
        );
    }
}

#[test]
fn formats_are_sniffed_without_extension() {
    let dir = tempfile::tempdir().unwrap();
    let html = write(dir.path(), "page", b"<!DOCTYPE html><html><p>Hi</p></html>");
    let feed = write(
        dir.path(),
        "feed",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>W</title><item><title>T</title><description>Body.</description></item></channel></rss>",
    );
    let text = write(dir.path(), "notes", b"Plain words.\n");
    assert!(matches!(
        read_one(&html)[0].as_ref().unwrap().body,
        Body::Html(_)
    ));
    let docs = read_one(&feed);
    assert_eq!(docs[0].as_ref().unwrap().meta.source.as_deref(), Some("W"));
    assert_eq!(
        read_one(&text)[0].as_ref().unwrap().body,
        Body::Text("Plain words.\n".into())
    );
}

#[test]
fn rss_and_atom_files() {
    let dir = tempfile::tempdir().unwrap();
    let rss = write(
        dir.path(),
        "feed.xml",
        br#"<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title>
<item><title>One</title><link>https://w.test/1</link><pubDate>Mon, 11 Dec 2017 09:30:00 GMT</pubDate>
<description>Short.</description><content:encoded><![CDATA[<p>Full one.</p>]]></content:encoded></item>
<item><title>Two</title><link>https://w.test/2</link><description>Short two.</description></item>
</channel></rss>"#,
    );
    let docs = read_one(&rss);
    assert_eq!(docs.len(), 2);
    let one = docs[0].as_ref().unwrap();
    assert_eq!(one.body, Body::Html("<p>Full one.</p>".into()));
    assert_eq!(one.meta.published, Some(date(2017, 12, 11)));
    assert_eq!(one.origin.to_string(), format!("{}, item 1", rss.display()));

    let atom = write(
        dir.path(),
        "f.atom",
        br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
<entry><title>A</title><link href="https://d.test/a"/><published>2017-12-11T10:00:00Z</published>
<content type="html">&lt;p&gt;Alpha.&lt;/p&gt;</content></entry></feed>"#,
    );
    let docs = read_one(&atom);
    let a = docs[0].as_ref().unwrap();
    assert_eq!(a.body, Body::Html("<p>Alpha.</p>".into()));
    assert_eq!(a.meta.url.as_deref(), Some("https://d.test/a"));
    assert_eq!(a.meta.source.as_deref(), Some("Desk"));
}

fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn warc_response(uri: &str, body: &str) -> Vec<u8> {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
    warc_record(
        "response",
        uri,
        "application/http; msgtype=response",
        block.as_bytes(),
    )
}

#[test]
fn warc_gz_reads_html_responses_and_reports_a_corrupt_record() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        warc_record("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
        warc_response("https://n.test/1", "<html><p>One.</p></html>"),
        // Record 3: Content-Length is not a number.
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://n.test/2\r\nContent-Length: lots\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>Two</p>\r\n\r\n".to_vec(),
        warc_record("request", "https://n.test/3", "application/http; msgtype=request", b"GET / HTTP/1.1\r\n\r\n"),
        warc_response("https://n.test/3", "<html><p>Three.</p></html>"),
    ];
    let bytes: Vec<u8> = records.iter().flat_map(|r| gzip(r)).collect();
    let path = write(dir.path(), "crawl.warc.gz", &bytes);
    let docs = read_one(&path);
    assert_eq!(oks(&docs), 2, "{docs:?}");
    let errs = errors(&docs);
    assert_eq!(errs.len(), 1);
    assert_eq!(
        errs[0].to_string(),
        format!(
            "{}, record 3 (https://n.test/2): record has no valid Content-Length",
            path.display()
        )
    );
    let three = docs[2].as_ref().unwrap();
    assert_eq!(
        three.origin.record.as_deref(),
        Some("record 5 (https://n.test/3)")
    );
    assert_eq!(three.meta.url.as_deref(), Some("https://n.test/3"));

    // The same records uncompressed, one of them cut in the middle of its gzip member.
    let mut bytes = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let member = gzip(r);
        if i == 1 {
            bytes.extend_from_slice(&member[..member.len() / 2]);
        } else {
            bytes.extend(member);
        }
    }
    let path = write(dir.path(), "cut.warc.gz", &bytes);
    let docs = read_one(&path);
    let errs = errors(&docs);
    // The decoder of the cut member runs into the next member's bytes: the damage shows as one
    // error at record 2 (what it says depends on where the cut falls), and reading goes on.
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0]
            .origin
            .record
            .as_deref()
            .unwrap()
            .starts_with("record 2"),
        "{errs:?}"
    );
    assert!(text_of(docs.iter().rfind(|d| d.is_ok()).unwrap()).contains("Three."));
}

// ---------------------------------------------------------------- bad input

#[test]
fn binary_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bin = write(
        dir.path(),
        "data.txt",
        &[0u8, 1, 2, 3, 0xff, 0xfe, 0, 7, 8, 9],
    );
    let good = write(dir.path(), "ok.txt", b"Fine.\n");
    let docs = read_all(&[&bin, &good], &ReadOptions::default());
    let e = docs[0].as_ref().unwrap_err();
    assert_eq!(e.message, "binary file, not text/HTML/JSONL/WARC/RSS");
    assert!(e.hint.is_some());
    assert!(docs[1].is_ok());
}

#[test]
fn invalid_utf8_names_byte_offset_or_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(dir.path(), "latin1.txt", b"Caf\xe9 society\n");
    let e = read_one(&text).remove(0).unwrap_err();
    assert_eq!(e.message, "not valid UTF-8 at byte 3 (line 1)");
    assert!(e.hint.as_deref().unwrap().contains("UTF-8"));

    let jsonl = write(
        dir.path(),
        "a.jsonl",
        b"{\"text\": \"ok\"}\n{\"text\": \"caf\xe9\"}\n{\"text\": \"also ok\"}\n",
    );
    let docs = read_one(&jsonl);
    assert_eq!(oks(&docs), 2);
    let e = docs[1].as_ref().unwrap_err();
    assert_eq!(e.origin.record.as_deref(), Some("line 2"));
    assert!(e.message.starts_with("not valid UTF-8 at byte 13"), "{e}");
}

#[test]
fn utf16_with_bom_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("Київ — Kyiv\n".encode_utf16().flat_map(u16::to_le_bytes));
    let path = write(dir.path(), "u16.txt", &bytes);
    assert_eq!(text_of(&read_one(&path)[0]), "Київ — Kyiv\n");
}

#[test]
fn empty_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.txt", b"");
    let e = read_one(&path).remove(0).unwrap_err();
    assert_eq!(e.message, "empty file");
    let path = write(dir.path(), "empty.jsonl.gz", &gzip(b""));
    let e = read_one(&path).remove(0).unwrap_err();
    assert_eq!(e.message, "empty file");
}

#[test]
fn truncated_gz_keeps_documents_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    for i in 0..2000 {
        jsonl.push_str(&format!(
            "{{\"id\": \"{i}\", \"text\": \"Article number {i} about {}.\"}}\n",
            i * 7919 % 104729
        ));
    }
    let mut bytes = gzip(jsonl.as_bytes());
    bytes.truncate(bytes.len() * 2 / 3);
    let path = write(dir.path(), "cut.jsonl.gz", &bytes);
    let docs = read_one(&path);
    assert!(oks(&docs) > 100, "{}", oks(&docs));
    let errs = errors(&docs);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, "gzip archive is truncated");
    assert!(errs[0]
        .origin
        .record
        .as_deref()
        .unwrap()
        .starts_with("line "));
    assert!(docs.last().unwrap().is_err());

    let path = write(dir.path(), "cut.txt.gz", &bytes);
    let e = read_one(&path).remove(0).unwrap_err();
    assert_eq!(e.message, "gzip archive is truncated");
}

#[test]
fn malformed_jsonl_lines_are_reported_and_others_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "a.jsonl",
        b"{\"text\": \"one\"}\n{\"text\": \"two\"\n{\"title\": \"no body\", \"url\": \"https://x.test\"}\n{\"html\": \"<p>four</p>\"}\n",
    );
    let docs = read_one(&path);
    assert_eq!(oks(&docs), 2);
    let errs = errors(&docs);
    assert_eq!(errs[0].origin.record.as_deref(), Some("line 2"));
    assert!(errs[0].message.starts_with("not valid JSON"), "{}", errs[0]);
    assert_eq!(errs[1].origin.record.as_deref(), Some("line 3"));
    assert_eq!(errs[1].message, "object has neither \"text\" nor \"html\"");
}

#[test]
fn broken_html_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "broken.html",
        b"<html><body><p>Unclosed <b>tags <div>and <p>more",
    );
    let docs = read_one(&path);
    assert_eq!(docs.len(), 1);
    let raw = docs.into_iter().next().unwrap().unwrap();
    assert!(matches!(&raw.body, Body::Html(h) if h.contains("Unclosed")));
    // Extraction does its best and never fails (what it keeps is the HTML extractor's business).
    let _ = raw.into_doc();
}

#[test]
fn missing_and_unreadable_paths_are_reported_and_the_rest_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "ok.txt", b"Fine.\n");
    let missing = dir.path().join("nope.txt");
    let docs = read_all(&[&missing, &good], &ReadOptions::default());
    let e = docs[0].as_ref().unwrap_err();
    assert_eq!(e.message, "no such file or directory");
    assert!(e.hint.as_deref().unwrap().contains("check the path"));
    assert!(e.to_string().contains("nope.txt"));
    assert!(docs[1].is_ok());
}

#[test]
fn document_over_the_limit_is_refused_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let line = "Putin ordered a partial withdrawal of his forces from Syria. ".repeat(16);
    let mut big = String::with_capacity(50 << 20);
    while big.len() + line.len() < 50 << 20 {
        big.push_str(&line);
        big.push('\n');
    }
    while big.len() < 50 << 20 {
        big.push('x');
    }
    assert_eq!(big.len(), 50 << 20);
    let expected = "document is 50.0 MB, over the 16.0 MB limit (raise it with --max-doc-bytes)";

    let path = write(dir.path(), "big.txt", big.as_bytes());
    let options = ReadOptions::default();
    assert_eq!(options.max_doc_bytes, DEFAULT_MAX_DOC_BYTES);
    let e = read_all(&[&path], &options).remove(0).unwrap_err();
    assert_eq!(e.message, expected);

    // Compressed, the file is small; decompressed, it is refused all the same.
    let path = write(dir.path(), "big.txt.gz", &gzip(big.as_bytes()));
    let e = read_all(&[&path], &options).remove(0).unwrap_err();
    assert_eq!(e.message, expected);

    // One JSONL line over the limit: that line is refused, the next one read.
    let mut jsonl = format!("{{\"text\": \"{}\"}}\n", big.replace('\n', " "));
    jsonl.push_str("{\"text\": \"small\"}\n");
    let path = write(dir.path(), "big.jsonl", jsonl.as_bytes());
    let docs = read_all(&[&path], &options);
    assert_eq!(docs.len(), 2);
    assert!(docs[0]
        .as_ref()
        .unwrap_err()
        .message
        .contains("over the 16.0 MB limit"));
    assert_eq!(text_of(&docs[1]), "small");

    // A raised limit reads it.
    let options = ReadOptions {
        max_doc_bytes: 64 << 20,
        ..ReadOptions::default()
    };
    let path = dir.path().join("big.txt");
    assert!(read_all(&[&path], &options)[0].is_ok());
}

// ---------------------------------------------------------------- --published

#[test]
fn published_option_fills_documents_without_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "a.jsonl",
        b"{\"text\": \"dated\", \"published\": \"2015-09-30\"}\n{\"text\": \"undated\"}\n{\"html\": \"<p>page</p>\"}\n",
    );
    let options = ReadOptions {
        published: Some(date(2017, 12, 11)),
        ..ReadOptions::default()
    };
    let docs: Vec<RawDoc> = read_all(&[&path], &options)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(docs[0].meta.published, Some(date(2015, 9, 30)));
    assert_eq!(docs[1].meta.published, Some(date(2017, 12, 11)));
    let page = docs[2].clone().into_doc();
    assert_eq!(page.meta().published, Some(date(2017, 12, 11)));
    assert_eq!(
        docs[0].clone().into_doc().meta().published,
        Some(date(2015, 9, 30))
    );
}
