//! Dictionary matches: the longest knowledge-base name starting at each token, on token
//! boundaries, with the case rules of docs/knowledge-base.md.

use jiff::civil::Date;

use super::Tok;
use crate::kb::index::{Candidate, Target};
use crate::kb::KnowledgeBase;

/// A knowledge-base name found in the text: tokens `start..end`.
#[derive(Clone, Debug)]
pub(super) struct DictMatch<'kb> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) candidate: &'kb Candidate,
}

/// Scratch buffers reused between documents.
#[derive(Default)]
pub(super) struct Buffers {
    key: String,
    raw: String,
}

/// Finds the longest dictionary name at each token, left to right, never across a sentence end.
pub(super) fn matches<'kb>(
    kb: &'kb KnowledgeBase,
    toks: &[Tok<'_>],
    date: Option<Date>,
    buf: &mut Buffers,
    out: &mut Vec<DictMatch<'kb>>,
) {
    let n = toks.len();
    let mut i = 0;
    while i < n {
        let first = &toks[i];
        if !first.starts_word {
            i += 1;
            continue;
        }
        buf.key.clear();
        buf.raw.clear();
        let mut best: Option<(usize, &'kb Candidate)> = None;
        let mut j = i;
        while j < n && (j == i || !toks[j].first) {
            if j > i && toks[j].gap {
                buf.key.push(' ');
                buf.raw.push(' ');
            }
            push_lower(&mut buf.key, toks[j].text);
            buf.raw.push_str(toks[j].text);
            let Some(node) = kb.names(&buf.key) else {
                break;
            };
            if let Some(c) = choose(kb, &node.candidates, &buf.raw, first.first, date) {
                best = Some((j + 1, c));
            }
            if !node.prefix {
                break;
            }
            j += 1;
        }
        match best {
            Some((end, candidate)) => {
                out.push(DictMatch {
                    start: i,
                    end,
                    candidate,
                });
                i = end;
            }
            None => i += 1,
        }
    }
}

/// The candidate a text form stands for: among those whose case fits, a person who holds a role
/// on the date, else the latest entry.
fn choose<'kb>(
    kb: &'kb KnowledgeBase,
    candidates: &'kb [Candidate],
    raw: &str,
    sentence_start: bool,
    date: Option<Date>,
) -> Option<&'kb Candidate> {
    let mut fitting = candidates
        .iter()
        .filter(|c| !c.cased || case_fits(raw, &c.form, sentence_start));
    let first = fitting.next()?;
    let mut last = first;
    let active = |c: &Candidate| match c.target {
        Target::Person(p) => kb.people()[p as usize].active_on(date),
        _ => false,
    };
    let mut chosen = active(first).then_some(first);
    for c in fitting {
        last = c;
        if active(c) {
            chosen = Some(c);
        }
    }
    Some(chosen.unwrap_or(last))
}

/// Whether the text has the dictionary form's capitals (the first letter may differ at a
/// sentence start; ’ and ' are the same).
fn case_fits(raw: &str, form: &str, sentence_start: bool) -> bool {
    let norm = |c: char| if c == '’' || c == '‘' { '\'' } else { c };
    // A name in capitals ("MOSCOW" in a dateline, "UNITED NATIONS" in a headline) fits a form
    // with lower-case letters; short forms need their own case ("IT" is no "It").
    if raw.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && !raw.chars().any(char::is_lowercase)
        && form.chars().any(char::is_lowercase)
    {
        return raw
            .chars()
            .map(norm)
            .flat_map(char::to_lowercase)
            .eq(form.chars().map(norm).flat_map(char::to_lowercase));
    }
    let mut a = raw.chars().map(norm);
    let mut b = form.chars().map(norm);
    let mut first = true;
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => {
                let same =
                    x == y || (first && sentence_start && x.to_lowercase().eq(y.to_lowercase()));
                if !same {
                    return false;
                }
            }
            _ => return false,
        }
        first = false;
    }
}

/// Appends `word` lower-cased (ASCII fast path; ’ as ').
pub(super) fn push_lower(out: &mut String, word: &str) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        for c in word.chars() {
            match c {
                '’' | '‘' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_rules() {
        assert!(case_fits("IS", "IS", false));
        assert!(!case_fits("is", "IS", false));
        assert!(!case_fits("Is", "IS", true));
        assert!(case_fits("The Kremlin", "the Kremlin", true));
        assert!(!case_fits("The Kremlin", "the Kremlin", false));
        assert!(case_fits("Kremlin’s", "Kremlin's", false));
        assert!(case_fits("MOSCOW", "Moscow", false));
        assert!(!case_fits("AL", "Al", false));
    }
}
