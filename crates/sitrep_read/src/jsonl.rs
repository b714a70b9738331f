//! JSON lines: one object per line with `text` or `html` and optional `id`, `url`, `title`,
//! `published`, `source` (DESIGN.md §4). Read line by line, each line bounded by the document
//! limit, so a file of any size streams.

use std::io::BufRead;

use serde_json::{Map, Value};
use sitrep_doc::Meta;

use crate::text::{fail_error, io_error, Fail, UTF8_HINT};
use crate::{Body, Origin, RawDoc, ReadError};

const LINE_HINT: &str =
    "each line must be one JSON object such as {\"text\": \"…\", \"published\": \"2017-12-11\"}";

/// Reads JSON lines from `r`, yielding one document or error per non-blank line.
pub(crate) struct JsonLines {
    r: Box<dyn BufRead + Send>,
    path: String,
    limit: usize,
    line: usize,
    done: bool,
}

impl JsonLines {
    pub(crate) fn new(r: Box<dyn BufRead + Send>, path: String, limit: usize) -> JsonLines {
        JsonLines {
            r,
            path,
            limit,
            line: 0,
            done: false,
        }
    }

    fn origin(&self) -> Origin {
        Origin::record(self.path.clone(), format!("line {}", self.line))
    }

    /// Skips the rest of an over-long line; returns how many bytes it skipped.
    fn skip_line(&mut self) -> std::io::Result<u64> {
        let mut skipped = 0u64;
        loop {
            let buf = self.r.fill_buf()?;
            if buf.is_empty() {
                return Ok(skipped);
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    self.r.consume(i + 1);
                    return Ok(skipped + i as u64);
                }
                None => {
                    let n = buf.len();
                    self.r.consume(n);
                    skipped += n as u64;
                }
            }
        }
    }
}

impl Iterator for JsonLines {
    type Item = Result<RawDoc, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = Vec::new();
        while !self.done {
            buf.clear();
            self.line += 1;
            let read =
                std::io::Read::take(&mut self.r, self.limit as u64 + 1).read_until(b'\n', &mut buf);
            match read {
                Err(e) => {
                    self.done = true;
                    return Some(Err(io_error(self.origin(), &e)));
                }
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
            }
            if buf.last() != Some(&b'\n') && buf.len() > self.limit {
                let size = match self.skip_line() {
                    Ok(rest) => buf.len() as u64 + rest,
                    Err(e) => {
                        self.done = true;
                        return Some(Err(io_error(self.origin(), &e)));
                    }
                };
                return Some(Err(fail_error(
                    self.origin(),
                    Fail::TooLarge(size),
                    self.limit,
                )));
            }
            let mut line = &buf[..];
            if self.line == 1 {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(parse_line(self.origin(), line));
        }
        None
    }
}

/// One line: a JSON object → a document.
fn parse_line(origin: Origin, line: &[u8]) -> Result<RawDoc, ReadError> {
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => {
            return Err(ReadError::new(
                origin,
                format!("not valid UTF-8 at byte {} of the line", e.valid_up_to()),
                Some(UTF8_HINT),
            ))
        }
    };
    match serde_json::from_str::<Value>(text) {
        Ok(value) => object_to_doc(origin, value),
        Err(e) => Err(ReadError::new(
            origin,
            format!("not valid JSON: {e}"),
            Some(LINE_HINT),
        )),
    }
}

/// A JSON object → a document, or an error naming the field that is wrong.
pub(crate) fn object_to_doc(origin: Origin, value: Value) -> Result<RawDoc, ReadError> {
    let Value::Object(mut object) = value else {
        return Err(ReadError::new(
            origin,
            format!("expected a JSON object, found {}", kind(&value)),
            Some(LINE_HINT),
        ));
    };
    let body = match (object.remove("text"), object.remove("html")) {
        (Some(Value::String(text)), _) => Body::Text(text),
        (_, Some(Value::String(html))) => Body::Html(html),
        (None | Some(Value::Null), None | Some(Value::Null)) => {
            return Err(ReadError::new(
                origin,
                "object has neither \"text\" nor \"html\"",
                Some("give the article as \"text\" (plain text) or \"html\" (a page)"),
            ))
        }
        (Some(other), _) | (None, Some(other)) => {
            return Err(ReadError::new(
                origin,
                format!("\"text\"/\"html\" must be a string, found {}", kind(&other)),
                Some(LINE_HINT),
            ))
        }
    };
    // A date the reader cannot parse ("7:58 AM ET", "Wed Nov 23") is dropped, not the article:
    // the document then takes --published, or its page's date, like one that gave none.
    let published = match object.get("published") {
        Some(Value::String(s)) => crate::date::parse_date(s),
        _ => None,
    };
    let meta = Meta {
        id: match object.get("id") {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        },
        url: string(&object, "url"),
        title: string(&object, "title"),
        source: string(&object, "source"),
        published,
    };
    Ok(RawDoc {
        origin,
        meta,
        body,
        published_fallback: None,
    })
}

fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A `.json` file read whole: one object, an array of objects, or (when neither parses) JSON
/// lines.
pub(crate) fn json_file(path: &str, bytes: Vec<u8>) -> Vec<Result<RawDoc, ReadError>> {
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| object_to_doc(Origin::record(path, format!("item {}", i + 1)), item))
            .collect(),
        Ok(value @ Value::Object(_)) => vec![object_to_doc(Origin::file(path), value)],
        _ => {
            let limit = bytes.len().max(1);
            JsonLines::new(
                Box::new(std::io::Cursor::new(bytes)),
                path.to_owned(),
                limit,
            )
            .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn read(input: &str, limit: usize) -> Vec<Result<RawDoc, ReadError>> {
        JsonLines::new(
            Box::new(std::io::Cursor::new(input.as_bytes().to_vec())),
            "a.jsonl".into(),
            limit,
        )
        .collect()
    }

    #[test]
    fn reads_objects_and_metadata() {
        let docs = read(
            "{\"id\": 7, \"text\": \"Putin spoke.\", \"url\": \"https://x.test/a\", \"title\": \"T\", \"published\": \"2017-12-11T23:00:00-05:00\", \"source\": \"S\"}\n\n{\"html\": \"<p>Hi</p>\"}",
            1000,
        );
        assert_eq!(docs.len(), 2);
        let a = docs[0].as_ref().unwrap();
        assert_eq!(a.body, Body::Text("Putin spoke.".into()));
        assert_eq!(a.meta.id.as_deref(), Some("7"));
        assert_eq!(a.meta.published, Some(date(2017, 12, 11)));
        assert_eq!(a.meta.source.as_deref(), Some("S"));
        assert_eq!(a.origin.to_string(), "a.jsonl, line 1");
        let b = docs[1].as_ref().unwrap();
        assert_eq!(b.body, Body::Html("<p>Hi</p>".into()));
        assert_eq!(b.origin.record.as_deref(), Some("line 3"));
    }

    #[test]
    fn bad_lines_are_errors_and_reading_goes_on() {
        let docs = read(
            "{\"text\": \"a\"}\n{not json\n{\"title\": \"no body\"}\n[1]\n{\"text\": \"b\", \"published\": \"7:58 AM ET\"}\n{\"text\": \"c\"}\n",
            1000,
        );
        let errors: Vec<String> = docs
            .iter()
            .filter_map(|d| d.as_ref().err().map(ToString::to_string))
            .collect();
        assert_eq!(docs.iter().filter(|d| d.is_ok()).count(), 3);
        assert_eq!(docs[4].as_ref().unwrap().meta.published, None);
        assert!(
            errors[0].starts_with("a.jsonl, line 2: not valid JSON"),
            "{errors:?}"
        );
        assert_eq!(
            errors[1],
            "a.jsonl, line 3: object has neither \"text\" nor \"html\""
        );
        assert_eq!(
            errors[2],
            "a.jsonl, line 4: expected a JSON object, found an array"
        );
        assert_eq!(errors.len(), 3);
    }

    #[test]
    fn long_line_is_refused_and_skipped() {
        let long = format!(
            "{{\"text\": \"{}\"}}\n{{\"text\": \"ok\"}}\n",
            "x".repeat(3000)
        );
        let docs = read(&long, 100);
        assert_eq!(docs.len(), 2);
        let e = docs[0].as_ref().unwrap_err();
        assert!(e.message.contains("over the 100 bytes limit"), "{e}");
        assert_eq!(docs[1].as_ref().unwrap().body, Body::Text("ok".into()));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut bytes = b"{\"text\": \"ok\"}\n{\"text\": \"caf".to_vec();
        bytes.extend(b"\xE9\"}\n");
        let docs: Vec<_> =
            JsonLines::new(Box::new(std::io::Cursor::new(bytes)), "a.jsonl".into(), 100).collect();
        let e = docs[1].as_ref().unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.jsonl, line 2: not valid UTF-8 at byte 13 of the line"
        );
        assert!(e.hint.as_deref().unwrap().contains("UTF-8"));
    }

    #[test]
    fn json_file_array_object_or_lines() {
        let docs = json_file("a.json", b"[{\"text\": \"a\"}, {\"html\": \"b\"}]".to_vec());
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[1].as_ref().unwrap().origin.record.as_deref(),
            Some("item 2")
        );
        let docs = json_file("a.json", b"{\n  \"text\": \"a\"\n}\n".to_vec());
        assert_eq!(docs.len(), 1);
        assert!(docs[0].is_ok());
        let docs = json_file("a.json", b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n".to_vec());
        assert_eq!(docs.len(), 2);
    }
}
