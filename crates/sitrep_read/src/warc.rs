//! WARC (1.0 and 1.1), plain or gzip-compressed record by record.
//!
//! Written by hand rather than with the `warc` crate: sitrep needs to go on after a corrupt record
//! (resynchronise on the next `WARC/1.` line, or on the next gzip member of a `.warc.gz`), to bound
//! every record by the document limit, and to undo chunked transfer-encoding and gzip
//! content-encoding in the HTTP payload; the crate stops at the first bad record and leaves the
//! HTTP payload to the caller. The format is small: a header block, `Content-Length` bytes, two
//! line breaks.
//!
//! Every HTML `response` (or `resource`) record becomes one document; `request`, `metadata`,
//! `warcinfo`, `revisit` records and non-HTML or non-2xx responses are skipped silently.

use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::GzDecoder;
use sitrep_doc::Meta;

use crate::text::{io_error, lower_first};
use crate::{too_large, Body, Origin, RawDoc, ReadError};

/// The longest header line accepted, and the largest header block.
const MAX_LINE: usize = 64 << 10;
const MAX_HEADER: usize = 1 << 20;

/// Reads the HTML documents of a WARC file.
pub(crate) struct WarcReader {
    path: String,
    limit: usize,
    source: Source,
    /// Number of the last record started (1-based).
    record: usize,
    /// A `WARC/1.` line found while resynchronising: the next record's first line.
    pending: Option<Vec<u8>>,
    /// An error was reported for the current gzip member: its decoder failing later is the same
    /// damage, not news.
    member_reported: bool,
}

enum Source {
    /// An uncompressed (or whole-stream decompressed) WARC.
    Stream(Box<dyn BufRead + Send>),
    /// A `.warc.gz` read member by member, so that a corrupt member loses only its own records.
    Between(Counting),
    Member(Box<BufReader<GzDecoder<Counting>>>, u64),
    Done,
}

/// What one attempt to read a record gave.
enum Step {
    Eof,
    Skip,
    Doc(RawDoc),
    /// A bad record; `resync` says whether to scan for the next `WARC/1.` line, `fatal` that the
    /// stream cannot go on.
    Bad(ReadError, Resync),
    /// A read error of the underlying stream (a truncated or corrupt archive).
    Io(io::Error),
}

#[derive(PartialEq, Eq)]
enum Resync {
    Scan,
    No,
    Stop,
}

impl WarcReader {
    /// A WARC read from a stream (uncompressed, or decompressed as a whole).
    pub(crate) fn stream(r: Box<dyn BufRead + Send>, path: String, limit: usize) -> WarcReader {
        WarcReader {
            path,
            limit,
            source: Source::Stream(r),
            record: 0,
            pending: None,
            member_reported: false,
        }
    }

    /// A gzip-compressed WARC read from its raw (compressed) bytes, member by member.
    pub(crate) fn gzip_members(
        raw: Box<dyn BufRead + Send>,
        path: String,
        limit: usize,
    ) -> WarcReader {
        WarcReader {
            path,
            limit,
            source: Source::Between(Counting { inner: raw, pos: 0 }),
            record: 0,
            pending: None,
            member_reported: false,
        }
    }

    fn origin(&self, uri: Option<&str>) -> Origin {
        match uri {
            Some(uri) => {
                Origin::record(self.path.clone(), format!("record {} ({uri})", self.record))
            }
            None => Origin::record(self.path.clone(), format!("record {}", self.record)),
        }
    }

    fn step(&mut self) -> Step {
        let limit = self.limit;
        let pending = self.pending.take();
        let r: &mut dyn BufRead = match &mut self.source {
            Source::Stream(r) => r,
            Source::Member(r, _) => r.as_mut(),
            Source::Done | Source::Between(_) => return Step::Eof,
        };
        read_record(r, pending, limit, &mut self.record, &self.path)
    }

    /// After a bad gzip member: drop it and find the next member's magic bytes.
    fn resync_member(&mut self) {
        let Source::Member(member, start) = std::mem::replace(&mut self.source, Source::Done)
        else {
            return;
        };
        let mut raw = member.into_inner().into_inner();
        if raw.pos == start {
            raw.consume(1);
        }
        match next_gzip_member(&mut raw) {
            Ok(true) => self.source = Source::Between(raw),
            _ => self.source = Source::Done,
        }
    }

    /// Skips lines up to the next `WARC/1.` line, which becomes the next record's first line.
    fn resync_line(&mut self) {
        let r: &mut dyn BufRead = match &mut self.source {
            Source::Stream(r) => r,
            Source::Member(r, _) => r.as_mut(),
            Source::Done | Source::Between(_) => return,
        };
        loop {
            match read_line(r) {
                Ok(Some(line)) if line.starts_with(b"WARC/1.") => {
                    self.pending = Some(line);
                    return;
                }
                Ok(Some(_)) => {}
                // The end of the stream (or member); a read error shows at the next step.
                Ok(None) | Err(_) => return,
            }
        }
    }
}

impl Iterator for WarcReader {
    type Item = Result<RawDoc, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Source::Between(raw) = &mut self.source {
                match raw.fill_buf() {
                    Ok([]) => self.source = Source::Done,
                    Ok(buf) if !buf.starts_with(&[0x1f, 0x8b]) => {
                        // Not a member where one should start: skip to the next one. After a
                        // reported error this is the same damage; otherwise it is news.
                        let found = next_gzip_member(raw).unwrap_or(false);
                        if !found {
                            self.source = Source::Done;
                        }
                        if !self.member_reported {
                            self.member_reported = true;
                            self.record += 1;
                            return Some(Err(ReadError::new(
                                self.origin(None),
                                "bytes that are not a gzip member; skipped to the next member",
                                Some("the archive is damaged; fetch it again for the records it lost"),
                            )));
                        }
                        continue;
                    }
                    Ok(_) => {
                        let Source::Between(raw) =
                            std::mem::replace(&mut self.source, Source::Done)
                        else {
                            unreachable!()
                        };
                        let start = raw.pos;
                        self.member_reported = false;
                        self.source =
                            Source::Member(Box::new(BufReader::new(GzDecoder::new(raw))), start);
                    }
                    Err(e) => {
                        self.source = Source::Done;
                        return Some(Err(io_error(Origin::file(self.path.clone()), &e)));
                    }
                }
            }
            if matches!(self.source, Source::Done) {
                return None;
            }
            match self.step() {
                Step::Eof => match std::mem::replace(&mut self.source, Source::Done) {
                    Source::Member(member, _) => {
                        self.source = Source::Between(member.into_inner().into_inner());
                    }
                    _ => return None,
                },
                Step::Skip => {}
                Step::Doc(doc) => return Some(Ok(doc)),
                Step::Bad(e, resync) => {
                    match resync {
                        Resync::Scan => self.resync_line(),
                        Resync::No => {}
                        Resync::Stop => {
                            if matches!(self.source, Source::Member(..)) {
                                self.resync_member();
                            } else {
                                self.source = Source::Done;
                            }
                        }
                    }
                    self.member_reported = true;
                    return Some(Err(e));
                }
                Step::Io(e) => {
                    let members = matches!(self.source, Source::Member(..));
                    if members && self.member_reported {
                        self.resync_member();
                        continue;
                    }
                    let origin = self.origin(None);
                    let error = if members {
                        let what = if e.kind() == io::ErrorKind::UnexpectedEof {
                            "truncated"
                        } else {
                            "corrupt"
                        };
                        self.resync_member();
                        let more = if matches!(self.source, Source::Done) {
                            ""
                        } else {
                            "; reading goes on with the next member"
                        };
                        ReadError::new(
                            origin,
                            format!("gzip member is {what}{more}"),
                            Some("the archive is damaged (an interrupted download?); fetch it again for the records it lost"),
                        )
                    } else {
                        self.source = Source::Done;
                        io_error(origin, &e)
                    };
                    return Some(Err(error));
                }
            }
        }
    }
}

/// Reads one record from `r`; `first` is its first line when resynchronisation found it.
fn read_record(
    r: &mut dyn BufRead,
    first: Option<Vec<u8>>,
    limit: usize,
    counter: &mut usize,
    path: &str,
) -> Step {
    // The version line, after the blank lines that end the previous record.
    let first = match first {
        Some(line) => line,
        None => loop {
            match read_line(r) {
                Ok(None) => return Step::Eof,
                Ok(Some(line)) if trim_eol(&line).is_empty() => {}
                Ok(Some(line)) => break line,
                Err(e) => {
                    *counter += 1;
                    return Step::Io(e);
                }
            }
        },
    };
    *counter += 1;
    let origin = |uri: Option<&str>| match uri {
        Some(uri) => Origin::record(path, format!("record {counter} ({uri})")),
        None => Origin::record(path, format!("record {counter}")),
    };
    if !first.starts_with(b"WARC/1.") {
        let shown: String = String::from_utf8_lossy(trim_eol(&first))
            .chars()
            .take(40)
            .collect();
        return Step::Bad(
            ReadError::new(
                origin(None),
                format!("expected a record header (WARC/1.0 or WARC/1.1), found {shown:?}"),
                Some("the archive is damaged; the records after it are still read"),
            ),
            Resync::Scan,
        );
    }

    // The header block.
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut size = first.len();
    loop {
        let line = match read_line(r) {
            Ok(Some(line)) => line,
            Ok(None) => {
                return Step::Bad(
                    ReadError::new(
                        origin(None),
                        "record header is truncated (the file ends inside it)",
                        Some("the archive was cut short; fetch it again"),
                    ),
                    Resync::Stop,
                )
            }
            Err(e) => return Step::Io(e),
        };
        size += line.len();
        let line = trim_eol(&line);
        if line.is_empty() {
            break;
        }
        if size > MAX_HEADER {
            return Step::Bad(
                ReadError::new(origin(None), "record header is over 1 MB", None),
                Resync::Scan,
            );
        }
        let line = String::from_utf8_lossy(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
        }
        match line.split_once(':') {
            Some((name, value)) => {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            }
            None => {
                return Step::Bad(
                    ReadError::new(
                        origin(None),
                        format!(
                            "malformed header line {:?}",
                            line.chars().take(60).collect::<String>()
                        ),
                        Some("the archive is damaged; the records after it are still read"),
                    ),
                    Resync::Scan,
                )
            }
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let uri = header("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_owned());
    let uri = uri.as_deref();
    let Some(length) = header("content-length").and_then(|v| v.parse::<u64>().ok()) else {
        return Step::Bad(
            ReadError::new(
                origin(uri),
                "record has no valid Content-Length",
                Some("the archive is damaged; the records after it are still read"),
            ),
            Resync::Scan,
        );
    };
    let kind = header("warc-type").unwrap_or("").to_ascii_lowercase();
    let wanted = kind == "response" || kind == "resource";

    // The content block, bounded: a record over the limit is skipped, not read.
    let cap = limit as u64 + MAX_HEADER as u64;
    let keep = if wanted { length.min(cap) } else { 0 };
    let mut content = Vec::new();
    if let Err(e) = r.take(keep).read_to_end(&mut content) {
        return Step::Io(e);
    }
    let skipped = match io::copy(&mut r.take(length - content.len() as u64), &mut io::sink()) {
        Ok(n) => n,
        Err(e) => return Step::Io(e),
    };
    let got = content.len() as u64 + skipped;
    if got < length {
        return Step::Bad(
            ReadError::new(
                origin(uri),
                format!("record is truncated: Content-Length is {length} bytes, the file ends after {got}"),
                Some("the archive was cut short; fetch it again"),
            ),
            Resync::Stop,
        );
    }
    if !wanted {
        return Step::Skip;
    }
    let block_type = header("content-type").unwrap_or("").to_ascii_lowercase();
    let payload = if block_type.starts_with("application/http") {
        match http_payload(&content, length > cap, limit) {
            Payload::Skip => return Step::Skip,
            Payload::Bad(message) => {
                return Step::Bad(
                    ReadError::new(
                        origin(uri),
                        message,
                        Some("the record's HTTP response is damaged; it is skipped"),
                    ),
                    Resync::No,
                )
            }
            Payload::TooLarge(size) => {
                let size = if length > cap { length } else { size };
                return Step::Bad(too_large_error(origin(uri), size, limit), Resync::No);
            }
            Payload::Html(body, charset) => (body, charset),
        }
    } else if is_html_type(&block_type) || (block_type.is_empty() && looks_html(&content)) {
        if length > limit as u64 {
            return Step::Bad(too_large_error(origin(uri), length, limit), Resync::No);
        }
        (content, charset_of(&block_type))
    } else {
        return Step::Skip;
    };
    let (body, charset) = payload;
    Step::Doc(RawDoc {
        origin: origin(uri),
        meta: Meta {
            url: uri.map(str::to_owned),
            ..Meta::default()
        },
        body: Body::Html(crate::html::decode(&body, charset.as_deref())),
        published_fallback: None,
    })
}

fn too_large_error(origin: Origin, size: u64, limit: usize) -> ReadError {
    ReadError::new(
        origin,
        too_large(size, limit),
        Some("the page is skipped; pass --max-doc-bytes with a larger limit to read it"),
    )
}

enum Payload {
    Skip,
    Bad(String),
    TooLarge(u64),
    /// The page's bytes and the charset its Content-Type names.
    Html(Vec<u8>, Option<String>),
}

/// The HTML body of an HTTP response message, decoded from its transfer- and content-encoding.
/// `clipped`: the message was longer than was read.
fn http_payload(message: &[u8], clipped: bool, limit: usize) -> Payload {
    let (head, body) = match find(message, b"\r\n\r\n") {
        Some(i) => (&message[..i], &message[i + 4..]),
        None => match find(message, b"\n\n") {
            Some(i) => (&message[..i], &message[i + 2..]),
            None => return Payload::Bad("HTTP response has no end of header".into()),
        },
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    if !status.starts_with("HTTP/") {
        return Payload::Bad(format!(
            "expected an HTTP status line, found {:?}",
            status.chars().take(40).collect::<String>()
        ));
    }
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if !code.starts_with('2') {
        return Payload::Skip;
    }
    let mut content_type = String::new();
    let mut transfer = String::new();
    let mut encoding = String::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim().to_ascii_lowercase();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = value,
                "transfer-encoding" => transfer = value,
                "content-encoding" => encoding = value,
                _ => {}
            }
        }
    }
    let html = if content_type.is_empty() {
        looks_html(body)
    } else {
        is_html_type(&content_type)
    };
    if !html {
        return Payload::Skip;
    }
    if clipped {
        return Payload::TooLarge(message.len() as u64);
    }
    let mut body = body.to_vec();
    if transfer.contains("chunked") {
        // Some crawlers store the body already de-chunked but keep the header: keep it as is then.
        if let Some(joined) = dechunk(&body) {
            body = joined;
        }
    }
    let decoded = match encoding.as_str() {
        "" | "identity" | "none" => Ok(body),
        "gzip" | "x-gzip" => bounded(flate2::bufread::MultiGzDecoder::new(&body[..]), limit),
        "deflate" => bounded(flate2::bufread::ZlibDecoder::new(&body[..]), limit)
            .or_else(|_| bounded(flate2::bufread::DeflateDecoder::new(&body[..]), limit)),
        "zstd" => match ruzstd::decoding::StreamingDecoder::new(&body[..]) {
            Ok(d) => bounded(d, limit),
            Err(e) => Err(Fail::Bad(e.to_string())),
        },
        other => {
            return Payload::Bad(format!(
                "HTTP body has content-encoding {other:?}, which sitrep cannot decode"
            ))
        }
    };
    match decoded {
        Ok(body) if body.len() > limit => Payload::TooLarge(body.len() as u64),
        Ok(body) => Payload::Html(body, charset_of(&content_type)),
        Err(Fail::TooLarge(n)) => Payload::TooLarge(n),
        Err(Fail::Bad(e)) => Payload::Bad(format!(
            "HTTP body is not valid {encoding}: {}",
            lower_first(&e)
        )),
    }
}

enum Fail {
    TooLarge(u64),
    Bad(String),
}

/// Decompresses a payload, refusing one over `limit`.
fn bounded(mut r: impl Read, limit: usize) -> Result<Vec<u8>, Fail> {
    let mut out = Vec::new();
    (&mut r)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| Fail::Bad(e.to_string()))?;
    if out.len() > limit {
        let rest = io::copy(&mut r, &mut io::sink()).unwrap_or(0);
        return Err(Fail::TooLarge(out.len() as u64 + rest));
    }
    Ok(out)
}

/// Joins the chunks of a chunked transfer-encoded body; `None` when it is not one.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let eol = find(body, b"\n")?;
        let line = std::str::from_utf8(&body[..eol]).ok()?.trim();
        let size = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        body = &body[eol + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
        if body.is_empty() {
            // A body cut after a chunk: keep what came.
            return Some(out);
        }
    }
}

fn is_html_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim();
    media == "text/html" || media == "application/xhtml+xml"
}

/// The `charset` parameter of a Content-Type value.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        (name.trim().eq_ignore_ascii_case("charset"))
            .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|v| !v.is_empty())
    })
}

fn looks_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    let lower = head.to_ascii_lowercase();
    find(&lower, b"<html").is_some() || find(&lower, b"<!doctype html").is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// One line (with its line break), at most [`MAX_LINE`] bytes kept; `None` at the end.
fn read_line(r: &mut dyn BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let n = r.take(MAX_LINE as u64).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') && line.len() == MAX_LINE {
        // Drop the rest of an over-long line.
        loop {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    r.consume(i + 1);
                    break;
                }
                None => {
                    let n = buf.len();
                    r.consume(n);
                }
            }
        }
    }
    Ok(Some(line))
}

/// Moves `r` to the next gzip member header (magic, deflate, no reserved flags); false at the end.
fn next_gzip_member(r: &mut Counting) -> io::Result<bool> {
    loop {
        let buf = r.fill_buf()?;
        if buf.len() < 4 {
            // Too short for a member: there is none left.
            let n = buf.len();
            r.consume(n);
            return Ok(false);
        }
        match memchr::memchr(0x1f, buf) {
            None => {
                let n = buf.len();
                r.consume(n);
            }
            Some(i) if i + 4 > buf.len() => {
                // The magic may straddle the buffer's end: keep the tail for the next fill.
                if i == 0 {
                    // fill_buf will not grow a BufReader's buffer; accept the rare miss.
                    r.consume(1);
                } else {
                    r.consume(i);
                }
            }
            Some(i) => {
                if buf[i + 1] == 0x8b && buf[i + 2] == 8 && buf[i + 3] & 0xe0 == 0 {
                    r.consume(i);
                    return Ok(true);
                }
                r.consume(i + 1);
            }
        }
    }
}

/// A reader that counts the bytes consumed from it.
struct Counting {
    inner: Box<dyn BufRead + Send>,
    pos: u64,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl BufRead for Counting {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A WARC record with `block` as its content.
    pub(crate) fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2017-12-11T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{kind}>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// An HTTP response record.
    pub(crate) fn response(uri: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut block = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        block.extend_from_slice(body);
        record(
            "response",
            uri,
            "application/http; msgtype=response",
            &block,
        )
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read(bytes: Vec<u8>, gz: bool) -> Vec<Result<RawDoc, ReadError>> {
        let r: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(bytes));
        if gz {
            WarcReader::gzip_members(r, "a.warc.gz".into(), 1 << 20).collect()
        } else {
            WarcReader::stream(r, "a.warc".into(), 1 << 20).collect()
        }
    }

    fn html(doc: &Result<RawDoc, ReadError>) -> &str {
        match &doc.as_ref().unwrap().body {
            Body::Html(h) => h,
            Body::Text(t) => t,
        }
    }

    fn sample() -> Vec<Vec<u8>> {
        vec![
            record(
                "warcinfo",
                "",
                "application/warc-fields",
                b"software: test\r\n",
            ),
            record(
                "request",
                "https://a.test/1",
                "application/http; msgtype=request",
                b"GET /1 HTTP/1.1\r\nHost: a.test\r\n\r\n",
            ),
            response(
                "https://a.test/1",
                "Content-Type: text/html; charset=utf-8\r\n",
                b"<html><p>one</p></html>",
            ),
            response(
                "https://a.test/logo.png",
                "Content-Type: image/png\r\n",
                b"\x89PNG\0\0",
            ),
            response(
                "https://a.test/2",
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
                b"5\r\n<p>tw\r\n6\r\no</p>!\r\n0\r\n\r\n",
            ),
            response(
                "https://a.test/3",
                "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                &gzip(b"<p>three</p>"),
            ),
            record(
                "metadata",
                "https://a.test/3",
                "application/warc-fields",
                b"via: x\r\n",
            ),
        ]
    }

    #[test]
    fn reads_html_responses_only() {
        let docs = read(sample().concat(), false);
        assert_eq!(docs.len(), 3, "{docs:?}");
        assert_eq!(html(&docs[0]), "<html><p>one</p></html>");
        assert_eq!(html(&docs[1]), "<p>two</p>!");
        assert_eq!(html(&docs[2]), "<p>three</p>");
        let first = docs[0].as_ref().unwrap();
        assert_eq!(
            first.origin.to_string(),
            "a.warc, record 3 (https://a.test/1)"
        );
        assert_eq!(first.meta.url.as_deref(), Some("https://a.test/1"));
    }

    #[test]
    fn reads_gzip_members() {
        let bytes: Vec<u8> = sample().iter().flat_map(|r| gzip(r)).collect();
        let docs = read(bytes, true);
        assert_eq!(docs.len(), 3, "{docs:?}");
        assert_eq!(html(&docs[2]), "<p>three</p>");
    }

    #[test]
    fn corrupt_record_is_reported_and_reading_goes_on() {
        let mut records = sample();
        // Record 3: a header with no Content-Length.
        records[2] = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.test/1\r\n\r\ngarbage\r\n\r\n".to_vec();
        let docs = read(records.concat(), false);
        let errors: Vec<String> = docs
            .iter()
            .filter_map(|d| d.as_ref().err().map(ToString::to_string))
            .collect();
        assert_eq!(
            errors,
            ["a.warc, record 3 (https://a.test/1): record has no valid Content-Length"]
        );
        assert_eq!(docs.iter().filter(|d| d.is_ok()).count(), 2);

        let mut records = sample();
        records[2] = b"WARX/9.9 nonsense\r\n\r\n".to_vec();
        let docs = read(records.concat(), false);
        assert!(docs[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("a.warc, record 3: expected a record header"));
        assert_eq!(docs.iter().filter(|d| d.is_ok()).count(), 2);
    }

    #[test]
    fn length_past_end_is_reported() {
        let mut bytes = sample().concat();
        bytes.extend(response(
            "https://a.test/4",
            "Content-Type: text/html\r\n",
            b"<p>four</p>",
        ));
        bytes.truncate(bytes.len() - 8);
        let docs = read(bytes, false);
        assert_eq!(docs.len(), 4);
        let e = docs[3].as_ref().unwrap_err();
        assert_eq!(
            e.origin.record.as_deref(),
            Some("record 8 (https://a.test/4)")
        );
        assert!(e.message.starts_with("record is truncated"), "{e}");
    }

    #[test]
    fn corrupt_gzip_member_loses_only_its_records() {
        let members: Vec<Vec<u8>> = sample().iter().map(|r| gzip(r)).collect();
        let mut bytes = Vec::new();
        for (i, m) in members.iter().enumerate() {
            if i == 2 {
                let mut bad = m.clone();
                let mid = bad.len() / 2;
                for b in &mut bad[12..mid] {
                    *b ^= 0x5a;
                }
                bytes.extend(bad);
            } else {
                bytes.extend(m);
            }
        }
        let docs = read(bytes, true);
        let errors: Vec<&ReadError> = docs.iter().filter_map(|d| d.as_ref().err()).collect();
        assert_eq!(errors.len(), 1, "{docs:?}");
        assert_eq!(errors[0].origin.record.as_deref(), Some("record 3"));
        assert_eq!(docs.iter().filter(|d| d.is_ok()).count(), 2);
    }

    #[test]
    fn truncated_gzip_keeps_what_came_before() {
        let mut bytes: Vec<u8> = sample().iter().flat_map(|r| gzip(r)).collect();
        bytes.truncate(bytes.len() - 10);
        let docs = read(bytes, true);
        assert_eq!(docs.iter().filter(|d| d.is_ok()).count(), 3);
        let e = docs.last().unwrap().as_ref().unwrap_err();
        assert!(e.message.starts_with("gzip member is truncated"), "{e}");
    }

    #[test]
    fn helpers() {
        assert_eq!(
            charset_of("text/html; charset=\"ISO-8859-1\""),
            Some("ISO-8859-1".into())
        );
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(dechunk(b"3\r\nabc\r\n0\r\n\r\n"), Some(b"abc".to_vec()));
        assert_eq!(dechunk(b"<html>"), None);
        assert!(is_html_type("application/xhtml+xml; charset=utf-8"));
        assert!(!is_html_type("text/plain"));
    }
}
