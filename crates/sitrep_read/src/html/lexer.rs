//! A forgiving HTML tokenizer: text, start tags (attributes parsed lazily), end tags. Comments,
//! doctypes and processing instructions are skipped; the content of raw-text elements (`script`,
//! `style`, `title`, `textarea`, …) comes out as one [`Token::Raw`].
//!
//! It never fails: every byte of the input ends up in a token or in skipped markup, and it only
//! cuts the input at ASCII bytes, so every slice is valid UTF-8.

/// One token of the page, borrowing from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// Character data, entities not decoded yet.
    Text(&'a str),
    /// The content of a raw-text element (`script`, `style`, `title`, …).
    Raw(&'a str),
    Start(StartTag<'a>),
    /// An end tag's name, as written.
    End(&'a str),
}

/// A start tag: its name as written and the raw source of its attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StartTag<'a> {
    pub(crate) name: &'a str,
    attrs: &'a str,
    pub(crate) self_closing: bool,
}

impl<'a> StartTag<'a> {
    /// The attributes as (name, raw value) pairs; values keep their entities.
    pub(crate) fn attrs(&self) -> Attrs<'a> {
        Attrs {
            src: self.attrs,
            pos: 0,
        }
    }

    /// The raw value of the first attribute called `name` (ASCII case-insensitive).
    pub(crate) fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}

/// Iterator over a tag's attributes.
pub(crate) struct Attrs<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let (attr, pos) = next_attr(self.src, self.pos)?;
        self.pos = pos;
        Some(attr)
    }
}

/// Parses one attribute of `src` from `pos`; `None` at the end of the tag or the input.
/// Returns the attribute and the position after it.
fn next_attr(src: &str, mut pos: usize) -> Option<((&str, &str), usize)> {
    let b = src.as_bytes();
    while pos < b.len() && (b[pos].is_ascii_whitespace() || b[pos] == b'/') {
        pos += 1;
    }
    if pos >= b.len() || b[pos] == b'>' {
        return None;
    }
    let start = pos;
    pos += 1; // the first character may be anything, even '='
    while pos < b.len() && !matches!(b[pos], b'=' | b'>' | b'/') && !b[pos].is_ascii_whitespace() {
        pos += 1;
    }
    let name = &src[start..pos];
    let mut p = pos;
    while p < b.len() && b[p].is_ascii_whitespace() {
        p += 1;
    }
    if p >= b.len() || b[p] != b'=' {
        return Some(((name, ""), pos));
    }
    p += 1;
    while p < b.len() && b[p].is_ascii_whitespace() {
        p += 1;
    }
    if p < b.len() && (b[p] == b'"' || b[p] == b'\'') {
        let quote = b[p];
        let vstart = p + 1;
        let vend = memchr::memchr(quote, &b[vstart.min(b.len())..]).map_or(b.len(), |i| vstart + i);
        let after = (vend + 1).min(b.len());
        return Some(((name, &src[vstart.min(vend)..vend]), after));
    }
    let vstart = p;
    while p < b.len() && b[p] != b'>' && !b[p].is_ascii_whitespace() {
        p += 1;
    }
    Some(((name, &src[vstart..p]), p))
}

/// Elements whose content is not markup.
const RAW_TEXT: [&str; 10] = [
    "script",
    "style",
    "title",
    "textarea",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// After the start tag of a raw-text element: its name.
    raw_until: Option<&'static str>,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            raw_until: None,
        }
    }

    /// Finds `</name` (case-insensitive) followed by a delimiter, from `self.pos`.
    fn find_raw_end(&self, name: &str) -> usize {
        let b = self.src.as_bytes();
        let mut from = self.pos;
        if name == "plaintext" {
            return b.len();
        }
        while let Some(i) = memchr::memmem::find(&b[from..], b"</") {
            let at = from + i;
            let name_end = at + 2 + name.len();
            if name_end <= b.len()
                && b[at + 2..name_end].eq_ignore_ascii_case(name.as_bytes())
                && (name_end == b.len()
                    || matches!(
                        b[name_end],
                        b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
                    ))
            {
                return at;
            }
            from = at + 2;
        }
        b.len()
    }

    fn skip_to(&mut self, byte: u8) {
        let b = self.src.as_bytes();
        self.pos = memchr::memchr(byte, &b[self.pos..]).map_or(b.len(), |i| self.pos + i + 1);
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let src = self.src;
        let b = src.as_bytes();
        loop {
            if self.pos >= b.len() {
                return None;
            }
            if let Some(name) = self.raw_until.take() {
                let end = self.find_raw_end(name);
                let start = self.pos;
                self.pos = end;
                if end > start {
                    return Some(Token::Raw(&src[start..end]));
                }
                continue;
            }
            let start = self.pos;
            if b[start] != b'<' {
                let end = memchr::memchr(b'<', &b[start..]).map_or(b.len(), |i| start + i);
                self.pos = end;
                return Some(Token::Text(&src[start..end]));
            }
            let next = b.get(start + 1).copied().unwrap_or(b' ');
            match next {
                b'!' => {
                    if b[start..].starts_with(b"<!--") {
                        self.pos = memchr::memmem::find(&b[start + 4..], b"-->")
                            .map_or(b.len(), |i| start + 4 + i + 3);
                    } else {
                        self.skip_to(b'>');
                    }
                }
                b'?' => self.skip_to(b'>'),
                b'/' => {
                    let name_start = start + 2;
                    if b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                        let name_end = tag_name_end(b, name_start);
                        self.pos = name_end;
                        self.skip_to(b'>');
                        return Some(Token::End(&src[name_start..name_end]));
                    }
                    self.skip_to(b'>');
                }
                c if c.is_ascii_alphabetic() => {
                    let name_start = start + 1;
                    let name_end = tag_name_end(b, name_start);
                    let attrs_start = name_end;
                    let mut p = name_end;
                    while let Some((_, after)) = next_attr(src, p) {
                        p = after;
                    }
                    // `p` is at '>' (or past spaces and slashes before it) or at the end.
                    while p < b.len() && b[p] != b'>' {
                        p += 1;
                    }
                    let attrs_end = p;
                    self.pos = (p + 1).min(b.len());
                    let self_closing = attrs_end > attrs_start && b[attrs_end - 1] == b'/';
                    let name = &src[name_start..name_end];
                    if let Some(raw) = RAW_TEXT.iter().find(|r| r.eq_ignore_ascii_case(name)) {
                        if !self_closing || *raw != "script" {
                            self.raw_until = Some(raw);
                        }
                    }
                    return Some(Token::Start(StartTag {
                        name,
                        attrs: &src[attrs_start..attrs_end],
                        self_closing,
                    }));
                }
                _ => {
                    // A '<' that starts no tag is text.
                    let end =
                        memchr::memchr(b'<', &b[start + 1..]).map_or(b.len(), |i| start + 1 + i);
                    self.pos = end;
                    return Some(Token::Text(&src[start..end]));
                }
            }
        }
    }
}

fn tag_name_end(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && !matches!(b[p], b'>' | b'/') && !b[p].is_ascii_whitespace() {
        p += 1;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<Token<'_>> {
        Lexer::new(s).collect()
    }

    #[test]
    fn splits_tags_text_and_skips_comments() {
        let t = tokens("<!DOCTYPE html><P class=a>Hi <!-- x --><b>there</b></p>");
        assert_eq!(t.len(), 6);
        assert!(matches!(t[0], Token::Start(s) if s.name == "P" && s.attr("CLASS") == Some("a")));
        assert_eq!(t[1], Token::Text("Hi "));
        assert_eq!(t[3], Token::Text("there"));
        assert_eq!(t[5], Token::End("p"));
    }

    #[test]
    fn attributes_quoted_unquoted_and_with_gt() {
        let t = tokens(r#"<a href="x>y" title='t' data-x=1 checked>z"#);
        let Token::Start(tag) = t[0] else {
            panic!("expected a start tag")
        };
        let attrs: Vec<_> = tag.attrs().collect();
        assert_eq!(
            attrs,
            vec![
                ("href", "x>y"),
                ("title", "t"),
                ("data-x", "1"),
                ("checked", "")
            ]
        );
        assert_eq!(t[1], Token::Text("z"));
    }

    #[test]
    fn raw_text_elements() {
        let t = tokens("<script>if (a<b) x='</p>';</script ><p>ok");
        assert_eq!(t[1], Token::Raw("if (a<b) x='</p>';"));
        assert_eq!(t[2], Token::End("script"));
        assert_eq!(t[4], Token::Text("ok"));
    }

    #[test]
    fn truncated_input() {
        for s in [
            "<a href=\"x",
            "<!-- open",
            "<",
            "</",
            "<p",
            "a < b",
            "<script>x",
            "é<é",
        ] {
            let _ = tokens(s);
        }
        assert_eq!(tokens("a < b"), vec![Token::Text("a "), Token::Text("< b")]);
    }
}
