//! Stage 7, `time`: temporal expressions with TIMEX3 values resolved against the publication date
//! and the document's own reference time.
//!
//! [`TimeResolver`] makes one pass over the words of the document. Each word is classified once
//! by a hash lookup in the vocabulary (data/time/words.tsv: months, weekdays, seasons, number
//! words, units, parts of day, modifiers, references, tense cues) and a byte-level parse of digit
//! tokens; a hand-written grammar over these classes then recognizes, at each word, the longest
//! expression of every family news uses (absolute dates in all common formats, months and years,
//! weekdays, relative days and periods, anaphoric references, modified points, parts of day,
//! seasons, quarters, decades, durations, sets, and the PRESENT_REF/PAST_REF/FUTURE_REF
//! references) and normalizes it in place:
//!
//! - relative expressions ("yesterday", "on Monday", "seven years ago") resolve against
//!   [`Doc::published`]; without a publication date they get `value: None` (unresolvable),
//!   while absolute ones ("Dec. 11, 2017", "the 1990s") still get their value;
//! - weekdays, months and seasons without a year resolve by tense: the nearest verb group's
//!   tense when the chunker has run, else cue words of the sentence ("said", "-ed" verbs, "was",
//!   "last" → past; "will", "next", "due", "plans" → future), all in one function;
//! - anaphoric expressions ("September that year", "the following day", "two days later") resolve
//!   against the reference time: the last date the document mentioned;
//! - "12/11/2017" is read month first unless the first number is over 12 or the document writes
//!   day-first dates ("11 December") more often than month-first ones.
//!
//! For the event stage, [`TimeResolver::governing`] gives the time expression that governs a
//! clause and [`event_date`] its calendar date and precision, falling back to the publication date.
//!
//! ```
//! use sitrep_doc::{Doc, Meta};
//! use sitrep_extract::{segment::Segmenter, time::TimeResolver, Stage};
//! let meta = Meta { published: Some("2017-12-12".parse().unwrap()), ..Meta::default() };
//! let mut doc = Doc::new("Putin ordered the withdrawal on Monday.", meta);
//! Segmenter::new().process(&mut doc);
//! TimeResolver::new().process(&mut doc);
//! let t = &doc.times()[0];
//! assert_eq!(doc.slice(t.span), "Monday");
//! assert_eq!(t.value.as_deref(), Some("2017-12-11"));
//! ```

mod grammar;
mod lexicon;

use std::ops::Range;

use sitrep_doc::layer::Tense;
use sitrep_doc::{DateFrom, DatePrecision, Doc, Layer, Span, Time, TimeType};

use crate::Stage;

/// Finds and normalizes temporal expressions (the `time` stage).
#[derive(Clone, Copy, Debug)]
pub struct TimeResolver {
    _private: (),
}

impl Default for TimeResolver {
    fn default() -> Self {
        TimeResolver::new()
    }
}

impl TimeResolver {
    /// The resolver with the built-in vocabulary (parsed once per process).
    pub fn new() -> TimeResolver {
        let _ = lexicon::lexicon();
        TimeResolver { _private: () }
    }

    /// The time expressions of `doc`, sorted by start: reads its sentences, tokens and (when the
    /// chunker has run) verb groups.
    pub fn resolve(&self, doc: &Doc) -> Vec<Time> {
        let text = doc.text();
        let sentences = doc.sentences();
        let mut s = 0usize;
        let tokens = doc.tokens().iter().map(|t| {
            let start = t.span.start();
            while s + 1 < sentences.len() && sentences[s].span.end() <= start {
                s += 1;
            }
            (start as u32, t.span.end() as u32, s as u32)
        });
        let groups: Vec<(u32, Tense)> = doc
            .verb_groups()
            .iter()
            .map(|g| (g.span.start() as u32, g.tense))
            .collect();
        let (ws, found) = grammar::tag(text, tokens, doc.published(), &groups);
        found
            .into_iter()
            .filter_map(|f| {
                let start = ws.get(f.start)?.start as usize;
                let end = ws.get(f.end.checked_sub(1)?)?.end as usize;
                (start < end && text.is_char_boundary(start) && text.is_char_boundary(end)).then(
                    || Time {
                        span: Span::new(start, end),
                        kind: f.kind,
                        value: f.value,
                        modifier: f.modifier.map(str::to_owned),
                    },
                )
            })
            .collect()
    }

    /// The time expression that governs the clause made of `tokens` (token indices) in sentence
    /// `sentence`: the nearest DATE or TIME expression of the sentence that starts before the
    /// clause ends (so one before the clause or inside it); else, when the sentence has exactly
    /// one, that one; else none. Durations and sets never govern.
    pub fn governing(doc: &Doc, sentence: usize, tokens: Range<u32>) -> Option<&Time> {
        let sent = doc.sentences().get(sentence)?.span;
        let clause_end = tokens
            .end
            .checked_sub(1)
            .and_then(|last| doc.tokens().get(last as usize))
            .map_or(sent.end(), |t| t.span.end());
        let mut in_sentence = doc
            .times()
            .iter()
            .filter(|t| sent.contains(t.span) && matches!(t.kind, TimeType::Date | TimeType::Time));
        let all: Vec<&Time> = in_sentence.by_ref().collect();
        all.iter()
            .rev()
            .find(|t| t.span.start() < clause_end)
            .or(if all.len() == 1 { all.first() } else { None })
            .copied()
    }
}

/// The calendar date a time expression names and its precision: "2017-12-11" (and
/// "2017-12-11TNI") → day; "2017-12" and weeks ("2017-W50" → the month of its Thursday) → month;
/// "2017", seasons ("2017-SU") and quarters ("2017-Q3") → year. References, durations, sets,
/// decades and unresolved values give `None`.
pub fn date_of(time: &Time) -> Option<(String, DatePrecision)> {
    if !matches!(time.kind, TimeType::Date | TimeType::Time) {
        return None;
    }
    let v = time.value.as_deref()?;
    let b = v.as_bytes();
    let digits = |r: Range<usize>| {
        v.get(r)
            .is_some_and(|s| s.bytes().all(|c| c.is_ascii_digit()))
    };
    if !digits(0..4) {
        return None;
    }
    if b.get(4) != Some(&b'-') {
        return (v.len() == 4).then(|| (v.to_owned(), DatePrecision::Year));
    }
    if digits(5..7) {
        if b.get(7) == Some(&b'-') && digits(8..10) {
            return Some((v[..10].to_owned(), DatePrecision::Day));
        }
        return Some((v[..7].to_owned(), DatePrecision::Month));
    }
    if b.get(5) == Some(&b'W') && digits(6..8) {
        let y: i16 = v[..4].parse().ok()?;
        let w: i8 = v[6..8].parse().ok()?;
        let thursday = jiff::civil::ISOWeekDate::new(y, w, jiff::civil::Weekday::Thursday)
            .ok()?
            .date();
        return Some((
            format!("{:04}-{:02}", thursday.year(), thursday.month()),
            DatePrecision::Month,
        ));
    }
    Some((v[..4].to_owned(), DatePrecision::Year))
}

/// The date of an event in the clause `tokens` of sentence `sentence`: the governing time
/// expression's date ([`TimeResolver::governing`], [`date_of`]), else the publication date (day
/// precision, [`DateFrom::Published`]), else `None`.
pub fn event_date(
    doc: &Doc,
    sentence: usize,
    tokens: Range<u32>,
) -> Option<(String, DatePrecision, DateFrom)> {
    if let Some((v, p)) = TimeResolver::governing(doc, sentence, tokens).and_then(date_of) {
        return Some((v, p, DateFrom::Text));
    }
    let d = doc.published()?;
    Some((
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        DatePrecision::Day,
        DateFrom::Published,
    ))
}

impl Stage for TimeResolver {
    fn name(&self) -> &'static str {
        "time"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Times]
    }

    fn process(&self, doc: &mut Doc) {
        let times = self.resolve(doc);
        doc.set_times(times);
    }
}

#[cfg(test)]
mod tests;
