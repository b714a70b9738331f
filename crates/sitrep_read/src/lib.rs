//! sitrep inputs: bytes in the forms analysts have them, turned into [`Doc`]s.
//!
//! 1. [`read`] walks the inputs (files, directories, `-` for stdin), undoes gzip/zstd, recognises
//!    the format (plain text, HTML, JSONL, WARC, RSS/Atom) and yields one [`RawDoc`] per article,
//!    or a [`ReadError`] naming the file and the line or record that could not be read;
//! 2. [`RawDoc::into_doc`] cleans it: main-text extraction for HTML ([`html`]), chrome-line removal
//!    for plain text ([`clean`]). This is the expensive half and runs on any thread.
//!
//! ```no_run
//! let options = sitrep_read::ReadOptions::default();
//! for item in sitrep_read::read(&["examples/".into()], &options) {
//!     match item {
//!         Ok(raw) => println!("{}", raw.into_doc().text()),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! ```

pub mod clean;
mod compress;
pub mod date;
mod feed;
pub mod html;
mod jsonl;
mod sniff;
mod text;
mod warc;

use std::fmt;

use jiff::civil::Date;
use sitrep_doc::{Doc, Meta};

/// How to read inputs.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Largest document (after decompression) that is read; larger ones are refused with an error.
    pub max_doc_bytes: usize,
    /// Publication date for documents that do not carry one.
    pub published: Option<Date>,
}

/// The default for [`ReadOptions::max_doc_bytes`]: 16 MiB.
pub const DEFAULT_MAX_DOC_BYTES: usize = 16 << 20;

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            published: None,
        }
    }
}

/// Where a document or an error came from: a path (`-` for stdin) and, inside a file holding many
/// documents, which one ("line 3", "record 12", "item 2").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub path: String,
    pub record: Option<String>,
}

impl Origin {
    pub fn file(path: impl Into<String>) -> Origin {
        Origin {
            path: path.into(),
            record: None,
        }
    }

    pub fn record(path: impl Into<String>, record: impl Into<String>) -> Origin {
        Origin {
            path: path.into(),
            record: Some(record.into()),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.record {
            Some(record) => write!(f, "{}, {record}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// A document's content before cleaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Text(String),
    Html(String),
}

/// One article as read, before cleaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDoc {
    pub origin: Origin,
    /// Metadata the input gave (JSONL fields, feed item fields, WARC target URI, …).
    pub meta: Meta,
    pub body: Body,
    /// The publication date to use when neither the input nor the page gives one
    /// ([`ReadOptions::published`]). For plain text it is already in `meta.published`; for HTML it
    /// applies after the page's own date, which [`RawDoc::into_doc`] finds.
    pub published_fallback: Option<Date>,
}

impl RawDoc {
    /// Cleans the body into a [`Doc`]: main text and metadata from HTML, chrome lines dropped from
    /// plain text. Metadata the input gave wins over metadata found in the page.
    pub fn into_doc(self) -> Doc {
        let mut meta = self.meta;
        let text = match self.body {
            Body::Text(text) => {
                if meta.title.is_none() {
                    meta.title = clean::headline(&text).map(str::to_owned);
                }
                clean::clean_text(&text).into_owned()
            }
            Body::Html(html) => {
                let article = html::extract(&html);
                meta.title = meta.title.or(article.title);
                meta.url = meta.url.or(article.url);
                meta.source = meta.source.or(article.site_name);
                meta.published = meta.published.or(article.published);
                clean::clean_text(&article.text).into_owned()
            }
        };
        meta.published = meta.published.or(self.published_fallback);
        Doc::new(text, meta)
    }
}

/// An input, or one record of it, that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub origin: Origin,
    /// What is wrong, lower case ("not valid UTF-8 at byte 12").
    pub message: String,
    /// How to fix it, when there is something to suggest.
    pub hint: Option<String>,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    pub(crate) fn new(origin: Origin, message: impl Into<String>, hint: Option<&str>) -> ReadError {
        ReadError {
            origin,
            message: message.into(),
            hint: hint.map(str::to_owned),
        }
    }
}

/// The message for a document over [`ReadOptions::max_doc_bytes`].
pub(crate) fn too_large(size: u64, limit: usize) -> String {
    format!(
        "document is {}, over the {} limit (raise it with --max-doc-bytes)",
        human_size(size),
        human_size(limit as u64)
    )
}

/// `16.0 MB` (binary megabytes, as `--max-doc-bytes` counts them), `2.5 KB`, `12 bytes`.
pub(crate) fn human_size(n: u64) -> String {
    const KB: f64 = 1024.0;
    let f = n as f64;
    if f >= KB * KB {
        format!("{:.1} MB", f / (KB * KB))
    } else if f >= KB {
        format!("{:.1} KB", f / KB)
    } else {
        format!("{n} bytes")
    }
}

/// Reads `inputs` (paths, directories read recursively, `-` for stdin) lazily, in order.
pub fn read(
    inputs: &[String],
    options: &ReadOptions,
) -> impl Iterator<Item = Result<RawDoc, ReadError>> {
    source::Reader::new(inputs.to_vec(), options.clone(), None)
}

/// [`read`], adding the bytes read from input files to `bytes_read` as it goes (stdin is not
/// counted): with [`input_bytes`] this gives a progress fraction and an ETA.
pub fn read_counting(
    inputs: &[String],
    options: &ReadOptions,
    bytes_read: std::sync::Arc<std::sync::atomic::AtomicU64>,
) -> impl Iterator<Item = Result<RawDoc, ReadError>> {
    source::Reader::new(inputs.to_vec(), options.clone(), Some(bytes_read))
}

/// The total size in bytes of the files `inputs` names, directories walked as [`read`] walks
/// them; `None` when an input is stdin (`-`) or cannot be looked at.
pub fn input_bytes(inputs: &[String]) -> Option<u64> {
    source::total_bytes(inputs)
}

mod source;
