//! Tokens: one forward pass over the bytes, ASCII fast path, no allocation per token.
//!
//! Each token records its kind and the whitespace before it (whether there was any, and how many
//! line breaks), which is all the sentence splitter needs.

use super::lexicon::{AbbrevClass, Lexicon};

/// What a token is, as far as sentence splitting cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters (maybe with digits, hyphens, internal apostrophes) or a clitic ("n't", "'s").
    Word,
    /// Starts with a digit: "2,839", "3.5", "1990s", "4.5bn", "10:30".
    Number,
    /// A word with its period: "Gen.", "U.S.", "a.m.", an initial "W.".
    Abbrev(AbbrevClass),
    /// A single full stop.
    Period,
    /// A run of "?" and "!".
    Terminal,
    /// "...", "…", "….." and other runs of dots.
    Ellipsis,
    /// A quotation mark, straight or curly, or a run of the same one ("''").
    Quote,
    /// "(", "[", "{".
    Open,
    /// ")", "]", "}".
    Close,
    /// A URL, bare domain, e-mail address, @handle or #hashtag.
    Link,
    /// Any other symbol or punctuation: ",", ";", ":", "—", "--", "$", "%", "•", an emoji.
    Punct,
}

/// A token as the segmenter sees it. Offsets are byte offsets into the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tok {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) kind: Kind,
    /// Line breaks in the whitespace before the token, capped at 2 (2 = a paragraph break).
    pub(crate) newlines: u8,
    /// Whether any whitespace precedes the token (always true for the first token).
    pub(crate) spaced: bool,
}

impl Tok {
    pub(crate) fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    pub(crate) fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
}

/// Whether the segmenter treats `c` as whitespace: Unicode White_Space plus the invisible
/// zero-width space, word joiner and byte-order mark, which never belong to a token.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Letters, digits, "_", combining marks and zero-width (non-)joiners.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{200C}'
            | '\u{200D}')
}

/// The character at byte `i` (a char boundary), or None at the end.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        text.get(i..)?.chars().next()
    }
}

#[inline]
fn digit_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_digit)
}

fn word_at(text: &str, i: usize) -> bool {
    char_at(text, i).is_some_and(is_word_char)
}

fn letter_at(text: &str, i: usize) -> bool {
    char_at(text, i).is_some_and(char::is_alphabetic)
}

/// Splits `text` into tokens, appending them to `out`.
pub(crate) fn tokenize(text: &str, lex: &Lexicon, out: &mut Vec<Tok>) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut newlines: u8 = 0;
    let mut spaced = true;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            match c {
                b'\n' => {
                    newlines = newlines.saturating_add(1);
                    spaced = true;
                    i += 1;
                    continue;
                }
                b'\r' => {
                    if b.get(i + 1) != Some(&b'\n') {
                        newlines = newlines.saturating_add(1);
                    }
                    spaced = true;
                    i += 1;
                    continue;
                }
                b' ' | b'\t' | 0x0B | 0x0C => {
                    spaced = true;
                    i += 1;
                    continue;
                }
                _ => {}
            }
        } else {
            let Some(ch) = char_at(text, i) else { break };
            if is_space(ch) {
                match ch {
                    '\u{85}' | '\u{2028}' => newlines = newlines.saturating_add(1),
                    '\u{2029}' => newlines = newlines.saturating_add(2),
                    _ => {}
                }
                spaced = true;
                i += ch.len_utf8();
                continue;
            }
        }
        let first = out.len();
        let next = scan(text, i, lex, out);
        debug_assert!(next > i);
        if let Some(tok) = out.get_mut(first) {
            tok.newlines = newlines.min(2);
            tok.spaced = spaced;
        }
        newlines = 0;
        spaced = false;
        i = next.max(i + 1);
    }
}

fn push(out: &mut Vec<Tok>, start: usize, end: usize, kind: Kind) {
    out.push(Tok {
        start: start as u32,
        end: end as u32,
        kind,
        newlines: 0,
        spaced: false,
    });
}

/// The end of the run of `ch` starting at `i`.
fn run_of(text: &str, i: usize, same: impl Fn(char) -> bool) -> usize {
    let mut j = i;
    while let Some(c) = char_at(text, j) {
        if !same(c) {
            break;
        }
        j += c.len_utf8();
    }
    j
}

/// Scans the token(s) starting at `i` (not whitespace), pushes them, returns where they end.
fn scan(text: &str, i: usize, lex: &Lexicon, out: &mut Vec<Tok>) -> usize {
    let b = text.as_bytes();
    let Some(ch) = char_at(text, i) else {
        return text.len();
    };
    if is_word_char(ch) {
        return scan_wordlike(text, i, lex, out);
    }
    let clen = ch.len_utf8();
    let (end, kind) = match ch {
        '\'' | '\u{2019}' if digit_at(b, i + clen) && digit_at(b, i + clen + 1) => {
            // '90s
            let (end, _) = scan_word(text, i + clen);
            (end, Kind::Number)
        }
        '"' | '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{201C}'
        | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2039}'
        | '\u{203A}' => (run_of(text, i, |c| c == ch), Kind::Quote),
        '.' if digit_at(b, i + 1)
            && (i == 0 || matches!(b[i - 1], b' ' | b'\n' | b'\t' | b'(')) =>
        {
            // .45 calibre
            let (end, _) = scan_word(text, i + 1);
            (end, Kind::Number)
        }
        '.' | '\u{2026}' => {
            let end = run_of(text, i, |c| c == '.' || c == '\u{2026}');
            let kind = if end == i + 1 {
                Kind::Period
            } else {
                Kind::Ellipsis
            };
            (end, kind)
        }
        '?' | '!' | '\u{203D}' => (
            run_of(text, i, |c| matches!(c, '?' | '!' | '\u{203D}')),
            Kind::Terminal,
        ),
        '(' | '[' | '{' => (i + 1, Kind::Open),
        ')' | ']' | '}' => (i + 1, Kind::Close),
        '@' if b
            .get(i + 1)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_') =>
        {
            (
                run_of(text, i + 1, |c| c.is_ascii_alphanumeric() || c == '_'),
                Kind::Link,
            )
        }
        '#' if letter_at(text, i + 1) => (run_of(text, i + 1, is_word_char), Kind::Link),
        _ => (run_of(text, i, |c| c == ch), Kind::Punct),
    };
    push(out, i, end, kind);
    end
}

/// A word, number, abbreviation or link starting with a word character at `i`.
fn scan_wordlike(text: &str, i: usize, lex: &Lexicon, out: &mut Vec<Tok>) -> usize {
    let b = text.as_bytes();
    let (end, apostrophe) = scan_word(text, i);
    match b.get(end) {
        Some(b':') if b[end..].starts_with(b"://") && is_scheme(&text[i..end]) => {
            let e = scan_url(text, i);
            push(out, i, e, Kind::Link);
            return e;
        }
        Some(b'@') => {
            if let Some(e) = scan_email(b, i) {
                push(out, i, e, Kind::Link);
                return e;
            }
        }
        Some(b'.') if letter_at(text, end + 1) => {
            if text[i..end].eq_ignore_ascii_case("www") {
                let e = scan_url(text, i);
                push(out, i, e, Kind::Link);
                return e;
            }
            if let Some(e) = scan_email(b, i) {
                push(out, i, e, Kind::Link);
                return e;
            }
            // "U.S." or, after a hyphen, "Philippines-U.S."
            let from = text[i..end].rfind('-').map_or(i, |h| i + h + 1);
            if let Some(e) = scan_dotted(b, from) {
                if b.get(e) == Some(&b'-') && word_at(text, e + 1) {
                    // "U.S.-led"
                    let (e2, _) = scan_word(text, e + 1);
                    push(out, i, e2, Kind::Word);
                    return e2;
                }
                let class = lex
                    .abbreviation(&text[i..e - 1])
                    .unwrap_or(AbbrevClass::Any);
                push(out, i, e, Kind::Abbrev(class));
                return e;
            }
            if let Some(e) = scan_domain(text, i, lex) {
                push(out, i, e, Kind::Link);
                return e;
            }
        }
        _ => {}
    }
    let kind = if b[i].is_ascii_digit() || char_at(text, i).is_some_and(char::is_numeric) {
        Kind::Number
    } else {
        Kind::Word
    };
    if apostrophe {
        if let Some(p) = clitic_split(&text[i..end]) {
            push(out, i, i + p, kind);
            push(out, i + p, end, Kind::Word);
            return end;
        }
    }
    if kind == Kind::Word && b.get(end) == Some(&b'.') && b.get(end + 1) != Some(&b'.') {
        if let Some(class) = abbreviation_class(text, i, end, lex) {
            push(out, i, end + 1, Kind::Abbrev(class));
            return end + 1;
        }
    }
    push(out, i, end, kind);
    end
}

/// Whether the word `text[i..end]`, followed by a period, is an abbreviation, and its class.
fn abbreviation_class(text: &str, i: usize, end: usize, lex: &Lexicon) -> Option<AbbrevClass> {
    let word = &text[i..end];
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            // an initial: "George W. Bush"
            return Some(AbbrevClass::Any);
        }
    }
    match lex.abbreviation(word)? {
        AbbrevClass::Number => {
            let b = text.as_bytes();
            let mut j = end + 1;
            while matches!(b.get(j), Some(b' ' | b'\t')) || text[j..].starts_with('\u{a0}') {
                j += if b[j] == 0xC2 { 2 } else { 1 };
            }
            digit_at(b, j).then_some(AbbrevClass::Inner)
        }
        class => Some(class),
    }
}

/// The end of the word starting at `i`, and whether it holds an internal apostrophe.
///
/// Word characters join with: a hyphen between word characters ("pro-Russian", "10-year-old");
/// "." between digits ("3.5"); "," before exactly three digits ("2,839"); ":" before exactly two
/// digits ("10:30"); "/" between word characters ("24/7", "and/or"); "&" between capitals
/// ("AT&T"); an apostrophe between a letter or digit and a letter ("don't", "O'Brien").
fn scan_word(text: &str, i: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let n = b.len();
    let mut j = i;
    let mut last = '\0';
    let mut apostrophe = false;
    loop {
        while j < n {
            let c = b[j];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() || c == b'_' {
                    last = c as char;
                    j += 1;
                    continue;
                }
                break;
            }
            match char_at(text, j) {
                Some(ch) if is_word_char(ch) => {
                    last = ch;
                    j += ch.len_utf8();
                }
                _ => break,
            }
        }
        if j >= n {
            break;
        }
        let digit = last.is_ascii_digit();
        let step = match b[j] {
            b'-' if word_at(text, j + 1) => 1,
            b'.' if digit && digit_at(b, j + 1) => 1,
            b',' if digit
                && digit_at(b, j + 1)
                && digit_at(b, j + 2)
                && digit_at(b, j + 3)
                && !digit_at(b, j + 4) =>
            {
                1
            }
            b':' if digit && digit_at(b, j + 1) && digit_at(b, j + 2) && !digit_at(b, j + 3) => 1,
            b'/' if word_at(text, j + 1) => 1,
            b'&' if last.is_ascii_uppercase()
                && b.get(j + 1).is_some_and(u8::is_ascii_uppercase) =>
            {
                1
            }
            b'\'' if last.is_alphanumeric() && letter_at(text, j + 1) => {
                apostrophe = true;
                1
            }
            0xE2 => match (b.get(j + 1), b.get(j + 2)) {
                // ’ as an apostrophe
                (Some(0x80), Some(0x99)) if last.is_alphanumeric() && letter_at(text, j + 3) => {
                    apostrophe = true;
                    3
                }
                // ‐ hyphen, ‑ non-breaking hyphen
                (Some(0x80), Some(0x90 | 0x91)) if word_at(text, j + 3) => 3,
                _ => 0,
            },
            _ => 0,
        };
        if step == 0 {
            break;
        }
        j += step;
    }
    (j, apostrophe)
}

/// Where a word splits off its clitic, the way Penn Treebank and Universal Dependencies do:
/// "Russia's" → "Russia" + "'s", "don't" → "do" + "n't", "we'll" → "we" + "'ll". The clitics
/// are English grammar, a closed set, so they live here rather than in a data file.
fn clitic_split(word: &str) -> Option<usize> {
    let (p, len) = match (word.rfind('\''), word.rfind('\u{2019}')) {
        (Some(a), Some(c)) if c > a => (c, 3),
        (Some(a), _) => (a, 1),
        (None, Some(c)) => (c, 3),
        (None, None) => return None,
    };
    if p == 0 {
        return None;
    }
    let suffix = &word[p + len..];
    if ["s", "m", "d", "ll", "re", "ve"]
        .iter()
        .any(|c| suffix.eq_ignore_ascii_case(c))
    {
        return Some(p);
    }
    let b = word.as_bytes();
    if suffix.eq_ignore_ascii_case("t") && p >= 2 && matches!(b[p - 1], b'n' | b'N') {
        return Some(p - 1);
    }
    None
}

/// Single or double letters each followed by a period, at least twice: "U.S.", "e.g.", "a.m.",
/// "J.R.R.", "Ph.D.". Returns the end (after the last period).
fn scan_dotted(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    let mut segments = 0;
    let mut end = i;
    loop {
        let s = j;
        while b.get(j).is_some_and(u8::is_ascii_alphabetic) && j - s <= 2 {
            j += 1;
        }
        let len = j - s;
        if len == 0 || len > 2 || b.get(j) != Some(&b'.') {
            break;
        }
        j += 1;
        segments += 1;
        end = j;
    }
    (segments >= 2).then_some(end)
}

fn is_scheme(word: &str) -> bool {
    (2..=10).contains(&word.len()) && word.bytes().all(|c| c.is_ascii_alphabetic())
}

/// A URL from `i` to the next whitespace, less trailing punctuation (a ")" stays when the URL
/// opened one).
fn scan_url(text: &str, i: usize) -> usize {
    let mut j = i;
    while let Some(c) = char_at(text, j) {
        if is_space(c) || matches!(c, '"' | '<' | '>' | '\u{201C}' | '\u{201D}') {
            break;
        }
        j += c.len_utf8();
    }
    trim_link_end(text, i, j)
}

fn trim_link_end(text: &str, i: usize, mut j: usize) -> usize {
    loop {
        let Some(c) = text[i..j].chars().next_back() else {
            return j;
        };
        let trim = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | ']' | '}' | '\u{2019}' | '\u{2026}' => true,
            ')' => !text[i..j].contains('('),
            _ => false,
        };
        if !trim || j - c.len_utf8() <= i + 1 {
            return j;
        }
        j -= c.len_utf8();
    }
}

/// An e-mail address starting at `i`: local@domain.tld.
fn scan_email(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while b.get(j).is_some_and(|&c| {
        c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
    }) {
        j += 1;
    }
    if j == i || b.get(j) != Some(&b'@') {
        return None;
    }
    let end = scan_labels(b, j + 1)?;
    let tld = &b[b[..end].iter().rposition(|&c| c == b'.')? + 1..end];
    (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)).then_some(end)
}

/// Two or more dot-separated labels of ASCII letters, digits and hyphens; returns their end.
fn scan_labels(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    let mut labels = 0;
    let mut end = i;
    loop {
        let s = j;
        while b
            .get(j)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'-')
        {
            j += 1;
        }
        if j == s {
            break;
        }
        labels += 1;
        end = j;
        if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric) {
            j += 1;
        } else {
            break;
        }
    }
    (labels >= 2).then_some(end)
}

/// A bare domain with a known top-level domain, with its path: "reuters.com", "bbc.co.uk/news".
fn scan_domain(text: &str, i: usize, lex: &Lexicon) -> Option<usize> {
    let b = text.as_bytes();
    let end = scan_labels(b, i)?;
    let tld = &text[b[..end].iter().rposition(|&c| c == b'.')? + 1..end];
    if !lex.is_tld(tld) || word_at(text, end) {
        return None;
    }
    if b.get(end) == Some(&b'/') {
        return Some(scan_url(text, i));
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::lexicon;
    use super::*;

    fn tokens(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(text, lexicon(), &mut out);
        out.iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn splits_words_and_punctuation() {
        assert_eq!(
            tokens("Russia's troops don't leave, Gen. Smith said."),
            ["Russia", "'s", "troops", "do", "n't", "leave", ",", "Gen.", "Smith", "said", "."]
        );
    }

    #[test]
    fn keeps_numbers_whole() {
        assert_eq!(
            tokens("$4.5bn 2,839 1990s 10:30 5.30pm 3.5%"),
            ["$", "4.5bn", "2,839", "1990s", "10:30", "5.30pm", "3.5", "%"]
        );
    }

    #[test]
    fn links() {
        assert_eq!(
            tokens(
                "See https://example.org/a(b) or www.bbc.co.uk. Mail a.b@example.com @UN #Syria"
            ),
            [
                "See",
                "https://example.org/a(b)",
                "or",
                "www.bbc.co.uk",
                ".",
                "Mail",
                "a.b@example.com",
                "@UN",
                "#Syria"
            ]
        );
    }

    #[test]
    fn records_whitespace() {
        let text = "A\n\nB C\nD";
        let mut out = Vec::new();
        tokenize(text, lexicon(), &mut out);
        let gaps: Vec<(u8, bool)> = out.iter().map(|t| (t.newlines, t.spaced)).collect();
        assert_eq!(gaps, [(0, true), (2, true), (0, true), (1, true)]);
    }

    #[test]
    fn clitics() {
        assert_eq!(clitic_split("can't"), Some(2));
        assert_eq!(clitic_split("Russia\u{2019}s"), Some(6));
        assert_eq!(clitic_split("O'Brien"), None);
        assert_eq!(clitic_split("n't"), None);
    }
}
