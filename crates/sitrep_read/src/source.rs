//! Walking inputs: files, directories, stdin, compression, format detection.
//!
//! Each input is opened only when the reader reaches it, so a directory of a million files or an
//! endless stdin stream is read with bounded memory: whole-file formats (text, HTML, feeds) are
//! read up to the document limit, JSONL line by line and WARC record by record.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::compress::{read_head, strip_extension, Compression};
use crate::jsonl::{json_file, JsonLines};
use crate::sniff::{by_extension, extension, looks_binary, skipped_in_directories, sniff, Format};
use crate::text::{fail_error, io_error, lower_first, read_bounded};
use crate::warc::WarcReader;
use crate::{Body, Origin, RawDoc, ReadError, ReadOptions};

type Docs = Box<dyn Iterator<Item = Result<RawDoc, ReadError>> + Send>;

/// How much of a file is looked at to recognise it.
const RAW_HEAD: usize = 64 << 10;
const HEAD: usize = 8 << 10;

const BINARY_HINT: &str =
    "sitrep reads plain text, HTML, JSONL, WARC and RSS/Atom (optionally .gz or .zst); leave other files out";

pub(crate) struct Reader {
    queue: VecDeque<Entry>,
    current: Option<Docs>,
    options: ReadOptions,
    /// Bytes read from input files so far (for progress), when the caller asked.
    counter: Option<Arc<AtomicU64>>,
}

enum Entry {
    /// A path (or `-`) as the user gave it.
    Arg(String),
    /// A file or directory found inside a directory.
    Walked(PathBuf),
}

impl Reader {
    pub(crate) fn new(
        inputs: Vec<String>,
        options: ReadOptions,
        counter: Option<Arc<AtomicU64>>,
    ) -> Reader {
        Reader {
            queue: inputs.into_iter().map(Entry::Arg).collect(),
            current: None,
            options,
            counter,
        }
    }

    /// Opens one entry: sets `current`, queues a directory's entries, or returns an error.
    fn open(&mut self, entry: Entry) -> Option<ReadError> {
        let (path, name, top) = match entry {
            Entry::Arg(arg) if arg == "-" => {
                self.current = Some(open_stream(
                    "-".into(),
                    Box::new(io::stdin()),
                    &self.options,
                ));
                return None;
            }
            Entry::Arg(arg) => (PathBuf::from(&arg), arg, true),
            Entry::Walked(path) => {
                let name = path.display().to_string();
                (path, name, false)
            }
        };
        let meta = if top {
            std::fs::metadata(&path)
        } else {
            match std::fs::symlink_metadata(&path) {
                // A link inside a directory: followed to a file, not to a directory (no loops).
                Ok(m) if m.file_type().is_symlink() => match std::fs::metadata(&path) {
                    Ok(m) if m.is_dir() => return None,
                    other => other,
                },
                other => other,
            }
        };
        let meta = match meta {
            Ok(meta) => meta,
            Err(e) => return Some(open_error(name, &e)),
        };
        if meta.is_dir() {
            match list_dir(&path) {
                Ok(children) => {
                    for child in children.into_iter().rev() {
                        self.queue.push_front(Entry::Walked(child));
                    }
                    None
                }
                Err(e) => Some(open_error(name, &e)),
            }
        } else {
            match File::open(&path) {
                Ok(file) => {
                    let file: Box<dyn Read + Send> = match &self.counter {
                        Some(counter) => Box::new(Counting {
                            inner: file,
                            counter: Arc::clone(counter),
                        }),
                        None => Box::new(file),
                    };
                    self.current = Some(open_stream(name, file, &self.options));
                    None
                }
                Err(e) => Some(open_error(name, &e)),
            }
        }
    }

    /// Applies the options every document gets.
    fn finish(&self, item: Result<RawDoc, ReadError>) -> Result<RawDoc, ReadError> {
        item.map(|mut doc| {
            let published = self.options.published;
            if doc.meta.published.is_none() && matches!(doc.body, Body::Text(_)) {
                doc.meta.published = published;
            }
            doc.published_fallback = doc.published_fallback.or(published);
            doc
        })
    }
}

impl Iterator for Reader {
    type Item = Result<RawDoc, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.next() {
                    return Some(self.finish(item));
                }
                self.current = None;
            }
            let entry = self.queue.pop_front()?;
            if let Some(e) = self.open(entry) {
                return Some(Err(e));
            }
        }
    }
}

/// A directory's entries, sorted, without hidden files and files that are clearly not inputs.
/// A file that adds the bytes read from it to a shared counter.
struct Counting {
    inner: File,
    counter: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The total size of the files `inputs` names (directories walked as [`Reader`] walks them), or
/// `None` when one of them is stdin or cannot be looked at.
pub(crate) fn total_bytes(inputs: &[String]) -> Option<u64> {
    let mut total = 0u64;
    let mut queue: Vec<PathBuf> = inputs.iter().rev().map(PathBuf::from).collect();
    while let Some(path) = queue.pop() {
        if path.as_os_str() == "-" {
            return None;
        }
        let meta = std::fs::metadata(&path).ok()?;
        if meta.is_dir() {
            queue.extend(list_dir(&path).ok()?.into_iter().rev());
        } else {
            total += meta.len();
        }
    }
    Some(total)
}

fn list_dir(path: &std::path::Path) -> io::Result<Vec<PathBuf>> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with('.') {
            continue;
        }
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if !is_dir && skipped_in_directories(&file_name) {
            continue;
        }
        children.push(entry.path());
    }
    children.sort();
    Ok(children)
}

fn open_error(name: String, e: &io::Error) -> ReadError {
    let origin = Origin::file(name);
    match e.kind() {
        io::ErrorKind::NotFound => ReadError::new(
            origin,
            "no such file or directory",
            Some("check the path (use - to read standard input)"),
        ),
        io::ErrorKind::PermissionDenied => ReadError::new(
            origin,
            "permission denied",
            Some("check the file's permissions, or run as a user who may read it"),
        ),
        _ => ReadError::new(
            origin,
            format!("cannot open: {}", lower_first(&e.to_string())),
            Some("check that the path names a readable file or directory"),
        ),
    }
}

fn single(item: Result<RawDoc, ReadError>) -> Docs {
    Box::new(std::iter::once(item))
}

fn error(name: &str, message: &str, hint: &str) -> Docs {
    single(Err(ReadError::new(Origin::file(name), message, Some(hint))))
}

/// Recognises one input's compression and format and returns its documents.
fn open_stream(name: String, raw: Box<dyn Read + Send>, options: &ReadOptions) -> Docs {
    let limit = options.max_doc_bytes;
    let mut raw = raw;
    let raw_head = match read_head(&mut raw, RAW_HEAD) {
        Ok(head) => head,
        Err(e) => return single(Err(io_error(Origin::file(name), &e))),
    };
    let compression = Compression::sniff(&raw_head);
    let inner_name = match compression {
        Some(_) => strip_extension(&name).to_owned(),
        None => name.clone(),
    };
    let ext_format = format_by_name(&inner_name);
    let raw_head_len = raw_head.len();
    let warc_inside = compression == Some(Compression::Gzip)
        && ext_format.is_none()
        && gzip_starts_with_warc(&raw_head);
    let raw: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
        RAW_HEAD,
        Cursor::new(raw_head).chain(raw),
    ));

    if compression == Some(Compression::Gzip) && raw_head_len > 0 {
        let warc = match ext_format {
            Some(Format::Warc) => true,
            None => warc_inside,
            Some(_) => false,
        };
        if warc {
            return Box::new(WarcReader::gzip_members(raw, name, limit));
        }
    }

    let mut stream: Box<dyn Read + Send> = match compression {
        Some(c) => c.decoder(raw),
        None => raw,
    };
    let head = match read_head(&mut stream, HEAD) {
        Ok(head) => head,
        Err(e) => return single(Err(io_error(Origin::file(name), &e))),
    };
    if head.is_empty() {
        return error(
            &name,
            "empty file",
            "the file has no content; leave it out or check how it was made",
        );
    }
    if head.len() < HEAD && head.iter().all(u8::is_ascii_whitespace) {
        return error(
            &name,
            "empty file (only blank lines)",
            "the file has no content; leave it out or check how it was made",
        );
    }
    let format = ext_format.unwrap_or_else(|| sniff(&head));
    if format != Format::Warc && looks_binary(&head) {
        return error(
            &name,
            "binary file, not text/HTML/JSONL/WARC/RSS",
            BINARY_HINT,
        );
    }
    let mut stream: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
        HEAD,
        Cursor::new(head).chain(stream),
    ));
    let origin = Origin::file(name.clone());
    let whole = |stream: &mut dyn Read| read_bounded(stream, limit);
    match format {
        Format::Jsonl => Box::new(JsonLines::new(stream, name, limit)),
        Format::Warc => Box::new(WarcReader::stream(stream, name, limit)),
        Format::Text => single(
            whole(&mut stream)
                .map_err(|f| fail_error(origin.clone(), f, limit))
                .and_then(|bytes| crate::text::plain_text(origin, bytes)),
        ),
        Format::Html => single(
            whole(&mut stream)
                .map_err(|f| fail_error(origin.clone(), f, limit))
                .map(|bytes| crate::text::html(origin, &bytes)),
        ),
        Format::Json => match whole(&mut stream) {
            Ok(bytes) => Box::new(json_file(&name, bytes).into_iter()),
            Err(f) => single(Err(fail_error(origin, f, limit))),
        },
        Format::Feed => match whole(&mut stream) {
            Ok(bytes) => {
                let encoding = crate::feed::declared_encoding(&bytes);
                let xml = crate::html::decode(&bytes, encoding.as_deref());
                Box::new(crate::feed::read_feed(&name, &xml).into_iter())
            }
            Err(f) => single(Err(fail_error(origin, f, limit))),
        },
    }
}

/// The format a file name says for sure; `.xml` means a feed and `.json` JSON.
fn format_by_name(name: &str) -> Option<Format> {
    if name == "-" {
        return None;
    }
    by_extension(name).or_else(|| match extension(name).as_deref() {
        Some("xml") => Some(Format::Feed),
        Some("json") => Some(Format::Json),
        _ => None,
    })
}

/// True when the gzip data starting with `raw_head` decompresses to a WARC record.
fn gzip_starts_with_warc(raw_head: &[u8]) -> bool {
    let mut decoder = flate2::read::GzDecoder::new(raw_head);
    let mut head = [0u8; 7];
    decoder.read_exact(&mut head).is_ok() && &head == b"WARC/1."
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_bytes(name: &str, bytes: &[u8]) -> Vec<Result<RawDoc, ReadError>> {
        open_stream(
            name.into(),
            Box::new(Cursor::new(bytes.to_vec())),
            &ReadOptions::default(),
        )
        .collect()
    }

    #[test]
    fn dispatches_by_extension_and_content() {
        let docs = read_bytes("a.txt", b"Putin spoke.\n");
        assert_eq!(
            docs[0].as_ref().unwrap().body,
            Body::Text("Putin spoke.\n".into())
        );
        let docs = read_bytes("-", b"<!doctype html><p>x</p>");
        assert!(matches!(docs[0].as_ref().unwrap().body, Body::Html(_)));
        let docs = read_bytes("-", b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n");
        assert_eq!(docs.len(), 2);
        let docs = read_bytes(
            "noext",
            b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n",
        );
        assert!(docs.is_empty(), "{docs:?}");
    }

    #[test]
    fn empty_and_binary() {
        let docs = read_bytes("a.txt", b"");
        assert_eq!(docs[0].as_ref().unwrap_err().message, "empty file");
        let docs = read_bytes("a.txt", b"\n \n");
        assert!(docs[0]
            .as_ref()
            .unwrap_err()
            .message
            .starts_with("empty file"));
        let docs = read_bytes("a.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01");
        assert_eq!(
            docs[0].as_ref().unwrap_err().message,
            "binary file, not text/HTML/JSONL/WARC/RSS"
        );
    }

    #[test]
    fn reader_can_move_to_another_thread() {
        fn assert_send<T: Send>(_: &T) {}
        assert_send(&crate::read(&["-".into()], &ReadOptions::default()));
    }

    #[test]
    fn format_names() {
        assert_eq!(format_by_name("a.xml"), Some(Format::Feed));
        assert_eq!(format_by_name("a.json"), Some(Format::Json));
        assert_eq!(format_by_name("a.warc"), Some(Format::Warc));
        assert_eq!(format_by_name("-"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_under_any_name_never_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000),
            name in proptest::sample::select(vec![
                "-", "a.txt", "a.html", "a.jsonl", "a.json", "a.warc", "a.xml", "a.gz", "a.warc.gz", "a.zst",
            ]),
        ) {
            let options = ReadOptions { max_doc_bytes: 1000, published: None };
            for doc in open_stream(name.into(), Box::new(Cursor::new(bytes)), &options).flatten() {
                let _ = doc.into_doc();
            }
        }

        #[test]
        fn damaged_warc_gz_never_panics(cut in 0usize..4000, flip in 0usize..4000, xor in 1u8..=255) {
            use std::io::Write;
            let records = [
                crate::warc::tests::response("https://a.test/1", "Content-Type: text/html\r\n", b"<p>one</p>"),
                crate::warc::tests::response("https://a.test/2", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n", b"3\r\nabc\r\n0\r\n\r\n"),
                crate::warc::tests::response("https://a.test/3", "Content-Type: text/html\r\n", b"<p>three</p>"),
            ];
            let mut bytes = Vec::new();
            for r in &records {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(r).unwrap();
                bytes.extend(e.finish().unwrap());
            }
            let plain: Vec<u8> = records.concat();
            for mut data in [bytes, plain] {
                if flip < data.len() {
                    data[flip] ^= xor;
                }
                data.truncate(cut.max(1));
                let docs: Vec<_> = open_stream("x.warc.gz".into(), Box::new(Cursor::new(data.clone())), &ReadOptions::default()).collect();
                let _ = docs;
                let docs: Vec<_> = open_stream("x.warc".into(), Box::new(Cursor::new(data)), &ReadOptions::default()).collect();
                let _ = docs;
            }
        }
    }
}
