//! Recognition and normalization in one left-to-right pass over the document's words.
//!
//! Each token is looked up once in the vocabulary ([`super::lexicon`]) and its digits parsed once;
//! the grammar then tries, at each word, a fixed set of hand-written patterns (longest first) over
//! these classes, computes the TIMEX3 value on the spot against the publication date and the
//! document's reference time, and jumps past the match. No regular expression runs per token.

use jiff::civil::Date;
use sitrep_doc::layer::Tense;
use sitrep_doc::TimeType;

use super::lexicon::{lexicon, Cue, Holiday, Lexicon, Unit, Word};

/// A parsed digit token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Num {
    None,
    /// An integer; `plain` when written as bare digits (no comma), `digits` its length.
    Int {
        v: u32,
        digits: u8,
        plain: bool,
    },
    /// "1990s" → 1990.
    Decade(i32),
    /// "11th" → 11.
    Ordinal(u32),
    /// "2017-12-11".
    Iso(i32, u8, u8),
    /// "12/11/2017": the three numbers as written.
    Slash(u32, u32, u32),
    /// "10:30", "3pm" (24-hour).
    Clock(u8, u8),
}

/// One word as the grammar sees it: a token, or a piece of a hyphenated token ("mid", "2016").
#[derive(Clone, Copy, Debug)]
pub(crate) struct W {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) key: &'static str,
    pub(crate) word: Option<&'static Word>,
    pub(crate) num: Num,
    /// Starts with an upper-case letter.
    pub(crate) cap: bool,
    /// Joined by a hyphen to the word before.
    pub(crate) hyphen: bool,
    pub(crate) sent: u32,
    /// The first character (for punctuation checks).
    pub(crate) first: char,
    /// An unknown lower-case word ending in "-ed" (a past-tense cue).
    pub(crate) ed: bool,
}

/// A recognized expression over words `start..end`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Found {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: TimeType,
    pub(crate) value: Option<String>,
    /// The TIMEX3 `mod`: START, MID, END, APPROX, LESS_THAN, MORE_THAN, EQUAL_OR_LESS, ….
    pub(crate) modifier: Option<&'static str>,
}

/// Splits the tokens into words and classifies them.
pub(crate) fn words(
    text: &str,
    tokens: impl Iterator<Item = (u32, u32, u32)>,
    lex: &'static Lexicon,
) -> Vec<W> {
    let mut out = Vec::new();
    let mut lower = String::new();
    for (start, end, sent) in tokens {
        let t = text.get(start as usize..end as usize).unwrap_or_default();
        let num = parse_num(t);
        if num != Num::None || !t.contains('-') || t.starts_with('-') {
            out.push(word(t, start, end, sent, false, num, lex, &mut lower));
            continue;
        }
        let mut at = start;
        for (k, piece) in t.split('-').enumerate() {
            let s = at;
            let e = at + piece.len() as u32;
            at = e + 1;
            if piece.is_empty() {
                continue;
            }
            out.push(word(
                piece,
                s,
                e,
                sent,
                k > 0,
                parse_num(piece),
                lex,
                &mut lower,
            ));
        }
    }
    merge_word_years(out)
}

/// Joins years written in words ("nineteen ninety-four", "twenty ten", "two thousand and
/// eight", "nineteen hundred") into one word carrying the number, as if written in digits.
fn merge_word_years(ws: Vec<W>) -> Vec<W> {
    let n = |w: Option<&W>| w.and_then(|w| w.word).and_then(|x| x.number);
    if !ws
        .iter()
        .any(|w| matches!(w.key, "nineteen" | "twenty" | "thousand" | "eighteen"))
    {
        return ws;
    }
    let mut out = Vec::with_capacity(ws.len());
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i];
        let same = |k: usize| ws.get(k).is_some_and(|x| x.sent == w.sent);
        // a two-digit tail: "ninety-four", "ninety four", "ten", "oh five"
        let tail = |k: usize| -> Option<(usize, u32)> {
            if !same(k) {
                return None;
            }
            let t = n(ws.get(k))?;
            if (10..=19).contains(&t) {
                return Some((k + 1, t));
            }
            if (20..100).contains(&t) && t.is_multiple_of(10) {
                return match n(ws.get(k + 1)).filter(|u| (1..10).contains(u) && same(k + 1)) {
                    Some(u) => Some((k + 2, t + u)),
                    None => Some((k + 1, t)),
                };
            }
            None
        };
        let mut merged: Option<(usize, u32)> = None;
        if let Some(a) = n(Some(&w)).filter(|a| (11..=20).contains(a)) {
            if ws.get(i + 1).is_some_and(|x| x.key == "hundred") && same(i + 1) {
                merged = Some((i + 2, a * 100));
            } else if let Some((e, b)) = tail(i + 1) {
                merged = Some((e, a * 100 + b));
            }
        } else if w.key == "two"
            && ws.get(i + 1).is_some_and(|x| x.key == "thousand")
            && same(i + 1)
        {
            let mut k = i + 2;
            if ws.get(k).is_some_and(|x| x.key == "and") {
                k += 1;
            }
            let unit = n(ws.get(k)).filter(|u| (1..10).contains(u) && same(k));
            let prev_year = i > 0 && ws[i - 1].key == "year";
            merged = match (tail(k), unit) {
                (Some((e, b)), _) => Some((e, 2000 + b)),
                (None, Some(u)) => Some((k + 1, 2000 + u)),
                _ if prev_year => Some((i + 2, 2000)),
                _ => None,
            };
        }
        match merged {
            Some((e, y)) if (1100..=2099).contains(&y) && e > i + 1 => {
                out.push(W {
                    end: ws[e - 1].end,
                    key: "",
                    word: None,
                    num: Num::Int {
                        v: y,
                        digits: 4,
                        plain: true,
                    },
                    ..w
                });
                i = e;
            }
            _ => {
                out.push(w);
                i += 1;
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn word(
    t: &str,
    start: u32,
    end: u32,
    sent: u32,
    hyphen: bool,
    num: Num,
    lex: &'static Lexicon,
    lower: &mut String,
) -> W {
    let first = t.chars().next().unwrap_or(' ');
    let bare = if t.len() > 1 {
        t.strip_suffix('.').unwrap_or(t)
    } else {
        t
    };
    let bare = bare.strip_suffix("'s").unwrap_or(bare);
    let (key, entry) = if first.is_alphabetic() || first == '\'' {
        lower.clear();
        lower.extend(bare.chars().map(|c| c.to_ascii_lowercase()));
        match lex.get(lower) {
            Some((k, w)) => (k, Some(w)),
            None => ("", None),
        }
    } else if t == "," || t == "." {
        (if t == "," { "," } else { "." }, None)
    } else {
        ("", None)
    };
    let ed = entry.is_none()
        && first.is_ascii_lowercase()
        && t.len() >= 5
        && t.ends_with("ed")
        && !t.ends_with("eed");
    W {
        start,
        end,
        key,
        word: entry,
        num,
        cap: first.is_uppercase(),
        hyphen,
        sent,
        first,
        ed,
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a digit token (no regex: a few shape checks on bytes).
pub(crate) fn parse_num(t: &str) -> Num {
    let b = t.as_bytes();
    if b.is_empty() {
        return Num::None;
    }
    if (t.starts_with('\'') || t.starts_with('’')) && t.ends_with('s') {
        let inner = t.trim_start_matches(['\'', '’']).trim_end_matches('s');
        if inner.len() == 2 && all_digits(inner) {
            let v: i32 = inner.parse().unwrap_or(0);
            return Num::Decade(if v >= 30 { 1900 + v } else { 2000 + v });
        }
        return Num::None;
    }
    if !b[0].is_ascii_digit() {
        return Num::None;
    }
    if all_digits(t) {
        return match t.parse() {
            Ok(v) => Num::Int {
                v,
                digits: t.len().min(255) as u8,
                plain: true,
            },
            Err(_) => Num::None,
        };
    }
    if let Some(d) = t.strip_suffix('s') {
        if d.len() == 4 && all_digits(d) && d.ends_with('0') {
            return Num::Decade(d.parse().unwrap_or(0));
        }
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(d) = t.strip_suffix(suffix) {
            if all_digits(d) && d.len() <= 3 {
                return Num::Ordinal(d.parse().unwrap_or(0));
            }
        }
    }
    let dash: Vec<&str> = t.split('-').collect();
    if dash.len() == 3 && dash[0].len() == 4 && dash.iter().all(|p| all_digits(p)) {
        let (y, m, d) = (
            dash[0].parse().unwrap_or(0),
            dash[1].parse().unwrap_or(0),
            dash[2].parse().unwrap_or(0),
        );
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            return Num::Iso(y, m, d);
        }
    }
    let slash: Vec<&str> = t.split('/').collect();
    if slash.len() == 3 && slash.iter().all(|p| all_digits(p) && p.len() <= 4) {
        return Num::Slash(
            slash[0].parse().unwrap_or(0),
            slash[1].parse().unwrap_or(0),
            slash[2].parse().unwrap_or(0),
        );
    }
    if let Some((h, m)) = t.split_once(':') {
        if all_digits(h) && m.len() == 2 && all_digits(m) {
            let (h, m): (u8, u8) = (h.parse().unwrap_or(99), m.parse().unwrap_or(99));
            if h < 24 && m < 60 {
                return Num::Clock(h, m);
            }
        }
    }
    let lower = t.to_ascii_lowercase();
    for (suffix, add) in [("am", 0), ("pm", 12), ("a.m.", 0), ("p.m.", 12)] {
        if let Some(h) = lower.strip_suffix(suffix) {
            if all_digits(h) && h.len() <= 2 {
                let h: u8 = h.parse().unwrap_or(99);
                if (1..=12).contains(&h) {
                    return Num::Clock(h % 12 + add, 0);
                }
            }
        }
    }
    if all_digits(&t.replace(',', "")) {
        if let Ok(v) = t.replace(',', "").parse() {
            return Num::Int {
                v,
                digits: 0,
                plain: false,
            };
        }
    }
    Num::None
}

// ---------------------------------------------------------------------------------------------
// Values

fn day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn month(y: i32, m: i32) -> String {
    format!("{y:04}-{m:02}")
}

fn year(y: i32) -> String {
    format!("{y:04}")
}

fn week(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().days(n)).ok()
}

fn add_months(y: i32, m: i32, n: i32) -> (i32, i32) {
    let total = y * 12 + (m - 1) + n;
    (total.div_euclid(12), total.rem_euclid(12) + 1)
}

fn make_date(y: i32, m: u32, d: u32) -> Option<Date> {
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// The date of `unit` shifted by `n` from `base`, at the unit's own precision.
fn shift(base: Date, unit: Unit, n: i32) -> Option<String> {
    let (y, m) = (base.year() as i32, base.month() as i32);
    Some(match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => day(add_days(base, n as i64)?),
        Unit::Week | Unit::Fortnight => week(add_days(
            base,
            7 * n as i64 * if unit == Unit::Fortnight { 2 } else { 1 },
        )?),
        Unit::Weekend => format!("{}-WE", week(add_days(base, 7 * n as i64)?)),
        Unit::Month => {
            let (y, m) = add_months(y, m, n);
            month(y, m)
        }
        Unit::Quarter => {
            let q = (m - 1) / 3 + n + (y * 4);
            format!("{:04}-Q{}", q.div_euclid(4), q.rem_euclid(4) + 1)
        }
        Unit::Year => year(y + n),
        Unit::Decade => format!("{:03}", (y + 10 * n).div_euclid(10)),
        Unit::Century => format!("{:02}", (y + 100 * n).div_euclid(100)),
    })
}

/// A point the document has mentioned: year, month, day.
#[derive(Clone, Copy, Debug)]
struct Anchor {
    y: i32,
    m: Option<i32>,
    d: Option<i32>,
}

fn anchor_of(value: &str) -> Option<Anchor> {
    let y: i32 = value.get(0..4).filter(|s| all_digits(s))?.parse().ok()?;
    let m = value
        .get(5..7)
        .filter(|s| value.as_bytes().get(4) == Some(&b'-') && all_digits(s))
        .and_then(|s| s.parse().ok());
    let d = value
        .get(8..10)
        .filter(|s| m.is_some() && all_digits(s))
        .and_then(|s| s.parse().ok());
    Some(Anchor { y, m, d })
}

// ---------------------------------------------------------------------------------------------
// The grammar

/// Tense lookups: verb groups when the chunker has run, else cue words.
pub(crate) struct TenseSource<'a> {
    /// (start byte, end byte, tense) of each verb group, sorted.
    pub(crate) groups: &'a [(u32, Tense)],
}

pub(crate) struct Tagger<'a> {
    ws: &'a [W],
    dct: Option<Date>,
    tense: TenseSource<'a>,
    /// The last date mentioned (for "the following day", "that year").
    anchor: Option<Anchor>,
    /// The last explicit year and the sentence it was in.
    explicit_year: Option<(i32, u32, usize)>,
    /// Whether "12/11/2017" reads day first (the document writes "11 December" more than "December 11").
    day_first: bool,
}

const SEASON_START: [(&str, i32); 4] = [("SP", 3), ("SU", 6), ("FA", 9), ("WI", 12)];

fn season_start(s: &str) -> i32 {
    SEASON_START
        .iter()
        .find(|(k, _)| *k == s)
        .map_or(1, |(_, m)| *m)
}

impl<'a> Tagger<'a> {
    pub(crate) fn new(ws: &'a [W], dct: Option<Date>, tense: TenseSource<'a>) -> Tagger<'a> {
        // Locale cue: count "11 December" against "December 11".
        let (mut dm, mut md) = (0, 0);
        for i in 0..ws.len().saturating_sub(1) {
            let (a, b) = (&ws[i], &ws[i + 1]);
            if is_dom(a.num) && b.word.is_some_and(|w| w.month > 0) && b.cap {
                dm += 1;
            }
            if a.word.is_some_and(|w| w.month > 0) && a.cap && is_dom(b.num) {
                md += 1;
            }
        }
        Tagger {
            ws,
            dct,
            tense,
            anchor: None,
            explicit_year: None,
            day_first: dm > md,
        }
    }

    /// Every expression, left to right, without overlaps.
    pub(crate) fn run(mut self) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.ws.len() {
            match self.at(i) {
                Some(f) if f.end > i => {
                    if matches!(f.kind, TimeType::Date | TimeType::Time) {
                        if let Some(a) = f.value.as_deref().and_then(anchor_of) {
                            self.anchor = Some(a);
                        }
                    }
                    i = f.end;
                    out.push(f);
                }
                _ => i += 1,
            }
        }
        out
    }

    // -- word accessors ------------------------------------------------------------------------

    fn key(&self, i: usize) -> &'static str {
        self.ws.get(i).map_or("", |w| w.key)
    }

    fn w(&self, i: usize) -> Option<&'static Word> {
        self.ws.get(i).and_then(|w| w.word)
    }

    fn num(&self, i: usize) -> Num {
        self.ws.get(i).map_or(Num::None, |w| w.num)
    }

    fn same_sentence(&self, i: usize, j: usize) -> bool {
        match (self.ws.get(i), self.ws.get(j)) {
            (Some(a), Some(b)) => a.sent == b.sent,
            _ => false,
        }
    }

    /// The word at `i` if it is in the same sentence as `from`.
    fn next_key(&self, from: usize, i: usize) -> &'static str {
        if self.same_sentence(from, i) {
            self.key(i)
        } else {
            ""
        }
    }

    /// A "." glued to the word before it ("Aug" ".").
    fn glued_period(&self, i: usize) -> bool {
        i > 0
            && self.key(i) == "."
            && self
                .ws
                .get(i)
                .zip(self.ws.get(i - 1))
                .is_some_and(|(a, b)| a.start == b.end)
    }

    fn month_at(&self, i: usize) -> u8 {
        match self.ws.get(i) {
            Some(w) if w.cap => w.word.map_or(0, |x| x.month),
            _ => 0,
        }
    }

    fn year_at(&self, i: usize) -> Option<i32> {
        match self.num(i) {
            Num::Int {
                v,
                digits: 4,
                plain: true,
            } if (1000..=2199).contains(&v) => Some(v as i32),
            _ => None,
        }
    }

    fn dom_at(&self, i: usize) -> Option<u32> {
        match self.num(i) {
            Num::Int {
                v, digits: 1..=2, ..
            }
            | Num::Ordinal(v)
                if (1..=31).contains(&v) =>
            {
                Some(v)
            }
            _ => None,
        }
    }

    // -- tense -----------------------------------------------------------------------------------

    /// The tense governing word `i`: the nearest verb group of its sentence when the chunker has
    /// run, else the nearest tense cue word ("said", "-ed" verbs, "will", "next", …).
    fn tense(&self, i: usize) -> Option<Cue> {
        let me = self.ws.get(i)?;
        if !self.tense.groups.is_empty() {
            let pos = self.tense.groups.partition_point(|(s, _)| *s < me.start);
            let cand = [pos.checked_sub(1), Some(pos)];
            let mut best: Option<(u32, Tense)> = None;
            for k in cand.into_iter().flatten() {
                if let Some(&(s, t)) = self.tense.groups.get(k) {
                    let d = s.abs_diff(me.start);
                    if best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, t));
                    }
                }
            }
            return match best.map(|b| b.1) {
                Some(Tense::Past) => Some(Cue::Past),
                Some(Tense::Future) => Some(Cue::Future),
                _ => None,
            };
        }
        let mut best: Option<(usize, Cue)> = None;
        let lo = i.saturating_sub(25);
        let hi = (i + 25).min(self.ws.len());
        for k in lo..hi {
            let w = &self.ws[k];
            if w.sent != me.sent || k == i {
                continue;
            }
            let cue = w
                .word
                .and_then(|x| x.cue)
                .or(if w.ed { Some(Cue::Past) } else { None });
            if let Some(c) = cue {
                let d = k.abs_diff(i);
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, c));
                }
            }
        }
        best.map(|b| b.1)
    }

    /// The year for a month or a day without one: a year written shortly before in the same
    /// sentence ("in 2015, … in September") when the tense agrees with it, else the year that
    /// puts the date nearest the publication date, moved by tense only when the date would
    /// otherwise fall far on the wrong side of it (a past event 20 days after the publication
    /// date is more likely a deadline read in reported speech than last year's).
    fn infer_year(&self, i: usize, m: i32, d: Option<i32>) -> Option<i32> {
        let sent = self.ws.get(i).map_or(0, |w| w.sent);
        let tense = self.local_cue(i).or_else(|| self.tense(i));
        if let Some((y, s, at)) = self.explicit_year {
            let dy = self.dct.map(|d| d.year() as i32);
            let agrees = match (tense, dy) {
                (Some(Cue::Future), Some(dy)) => y >= dy,
                (Some(Cue::Past), Some(dy)) => y <= dy,
                _ => true,
            };
            if sent == s && i.saturating_sub(at) <= 15 && agrees {
                return Some(y);
            }
        }
        let dct = self.dct?;
        let dy = dct.year() as i32;
        let Some(d) = d else {
            // a month: the publication year unless the tense puts it clearly on the other side
            let dm = dct.month() as i32;
            return Some(match tense {
                Some(Cue::Past) if m > dm + 2 => dy - 1,
                Some(Cue::Future) if m < dm - 2 => dy + 1,
                None if m - dm > 7 => dy - 1,
                None if dm - m > 7 => dy + 1,
                _ => dy,
            });
        };
        // candidates in the years around the publication date, as signed distances in days
        let dist = |y: i32| -> Option<i64> {
            let date = make_date(y, m as u32, d as u32).or_else(|| make_date(y, m as u32, 28))?;
            Some((date - dct).get_days() as i64)
        };
        let cands: Vec<(i32, i64)> = (dy - 1..=dy + 1)
            .filter_map(|y| dist(y).map(|x| (y, x)))
            .collect();
        const NEAR: i64 = 90;
        let nearest = cands.iter().min_by_key(|c| c.1.abs()).map(|c| c.0);
        let pick = match tense {
            Some(Cue::Past) => cands
                .iter()
                .filter(|c| c.1 <= 0 || c.1 <= NEAR)
                .max_by_key(|c| c.1)
                .map(|c| c.0),
            Some(Cue::Future) => cands
                .iter()
                .filter(|c| c.1 >= 0 || -c.1 <= NEAR)
                .min_by_key(|c| c.1)
                .map(|c| c.0),
            None => nearest,
        };
        pick.or(nearest)
    }

    /// A tense cue right before word `i` (skipping "on", "early", "late", a clock time): "until",
    /// "by", "as soon as", "as early as" → future; "since" → past.
    fn local_cue(&self, i: usize) -> Option<Cue> {
        let mut k = i;
        for _ in 0..4 {
            k = k.checked_sub(1)?;
            if !self.same_sentence(k, i) {
                return None;
            }
            match self.key(k) {
                "on" | "early" | "late" | "mid" | "the" | "of" | "," | "est" | "edt" | "gmt"
                | "utc" => continue,
                "until" | "till" | "by" | "due" | "scheduled" | "next" => return Some(Cue::Future),
                "as" if matches!(self.key(k.wrapping_sub(1)), "soon" | "early" | "late") => {
                    return Some(Cue::Future)
                }
                "since" | "ago" | "last" => return Some(Cue::Past),
                _ => {
                    if matches!(self.num(k), Num::Clock(..) | Num::Int { .. })
                        || matches!(self.key(k), "a.m" | "p.m" | "am" | "pm" | "noon")
                    {
                        continue;
                    }
                    return None;
                }
            }
        }
        None
    }

    fn weekday_date(&self, i: usize, wd: u8, rel: Option<i32>) -> Option<String> {
        let dct = self.dct?;
        let today = dct.weekday().to_monday_one_offset() as i64;
        let back = (today - wd as i64).rem_euclid(7); // days back to the same weekday (0 = today)
        let fwd = (wd as i64 - today).rem_euclid(7);
        let offset = match rel {
            Some(-1) => -(if back == 0 { 7 } else { back }),
            Some(1) => {
                if fwd == 0 {
                    7
                } else {
                    fwd
                }
            }
            _ => match self.local_cue(i).or_else(|| self.tense(i)) {
                Some(Cue::Future) => {
                    if fwd == 0 {
                        0
                    } else {
                        fwd
                    }
                }
                _ => -back,
            },
        };
        add_days(dct, offset).map(day)
    }

    fn note_year(&mut self, i: usize, y: i32) {
        let sent = self.ws.get(i).map_or(0, |w| w.sent);
        self.explicit_year = Some((y, sent, i));
    }

    fn found(
        &self,
        start: usize,
        end: usize,
        kind: TimeType,
        value: Option<String>,
    ) -> Option<Found> {
        Some(Found {
            start,
            end,
            kind,
            value,
            modifier: None,
        })
    }

    // -- patterns --------------------------------------------------------------------------------

    /// The expression starting at word `i`, if any: modifiers and approximations around a core.
    fn at(&mut self, i: usize) -> Option<Found> {
        let w = self.ws.get(i)?;
        if w.key.is_empty() && w.num == Num::None {
            return None;
        }
        if let Some(j) = self.modifier_prefix(i) {
            if let Some(f) = self.core(j) {
                if matches!(f.kind, TimeType::Date | TimeType::Time) {
                    let m = self
                        .w(j.saturating_sub(1))
                        .and_then(|w| w.modifier)
                        .or_else(|| {
                            self.w(j.saturating_sub(2))
                                .and_then(|w| w.modifier)
                                .filter(|_| self.key(j - 1) == "of")
                        });
                    return Some(Found {
                        start: i,
                        modifier: m.or(f.modifier),
                        ..f
                    });
                }
            }
        }
        if let Some((j, m)) = self
            .approx_prefix(i)
            .filter(|&(j, _)| self.key(j) != "the" && self.key(i.wrapping_sub(1)) != "no")
        {
            if let Some(f) = self.core(j) {
                let point = matches!(f.kind, TimeType::Date | TimeType::Time)
                    && m == "APPROX"
                    && self.key(i) != "about";
                if f.kind == TimeType::Duration || self.key(f.end - 1) == "ago" || point {
                    return Some(Found {
                        start: if self.key(i) == "about" { j } else { i },
                        modifier: Some(m),
                        ..f
                    });
                }
            }
        }
        let f = self.core(i)?;
        Some(self.clock_day(f))
    }

    /// "10 p.m. Wednesday", "noon Thursday", "5 p.m. EST Nov. 9": a clock time followed by its
    /// day (a time zone and a comma may come between).
    fn clock_day(&mut self, f: Found) -> Found {
        let clock = f
            .value
            .as_deref()
            .and_then(|v| v.split_once('T'))
            .map(|(_, c)| c.to_owned());
        let Some(c) = clock.filter(|c| f.kind == TimeType::Time && c.contains(':')) else {
            return f;
        };
        let mut j = f.end;
        if matches!(self.key(j), "est" | "edt" | "gmt" | "utc") && self.same_sentence(f.start, j) {
            j += 1;
        }
        if self.key(j) == "," {
            j += 1;
        }
        if !self.same_sentence(f.start, j) {
            return f;
        }
        let wd = match self.ws.get(j) {
            Some(w) if w.cap => w.word.map_or(0, |x| x.weekday),
            _ => 0,
        };
        if wd > 0 {
            return Found {
                end: j + 1,
                value: self.weekday_date(j, wd, None).map(|d| format!("{d}T{c}")),
                ..f
            };
        }
        if self.month_at(j) > 0 || matches!(self.key(j), "today" | "yesterday" | "tomorrow") {
            if let Some(g) = self.core(j) {
                if let Some(d) = g.value.as_deref().filter(|v| v.len() == 10) {
                    return Found {
                        end: g.end,
                        value: Some(format!("{d}T{c}")),
                        ..f
                    };
                }
            }
        }
        f
    }

    /// "early", "late", "mid", "the end of", "the beginning of", "earlier" …: where the core starts.
    fn modifier_prefix(&self, i: usize) -> Option<usize> {
        let k = self.key(i);
        // "earlier this month", "later Thursday", "earlier that day", "later yesterday": the
        // adverb is part of the expression (TimeBank practice)
        if matches!(k, "earlier" | "later")
            && (matches!(
                self.key(i + 1),
                "this" | "last" | "next" | "yesterday" | "today" | "tomorrow"
            ) || self.key(i + 1) == "that" && self.w(i + 2).is_some_and(|w| w.unit.is_some())
                || self
                    .ws
                    .get(i + 1)
                    .is_some_and(|w| w.cap && w.word.is_some_and(|x| x.weekday > 0)))
        {
            return Some(i + 1);
        }
        let mut j = i;
        if k == "the" {
            j += 1;
        }
        let m = self.w(j).and_then(|w| w.modifier)?;
        if self.key(j + 1) == "of" {
            if !matches!(
                self.key(j),
                "end" | "beginning" | "start" | "middle" | "close"
            ) {
                return None;
            }
            j += 2;
        } else {
            if !matches!(self.key(j), "early" | "late" | "mid" | "middle") {
                return None;
            }
            j += 1;
        }
        let _ = m;
        if self.same_sentence(i, j) {
            Some(j)
        } else {
            None
        }
    }

    /// "more than", "at least", "about", "nearly", …: where the core starts and the TIMEX3 mod.
    /// "about" stays outside the span (TimeML practice); the others are inside.
    fn approx_prefix(&self, i: usize) -> Option<(usize, &'static str)> {
        let (a, b) = (self.key(i), self.key(i + 1));
        Some(match (a, b) {
            ("no", "more") if self.key(i + 2) == "than" => (i + 3, "EQUAL_OR_LESS"),
            ("no", "less") if self.key(i + 2) == "than" => (i + 3, "EQUAL_OR_MORE"),
            ("more", "than") => (i + 2, "MORE_THAN"),
            ("less" | "fewer", "than") => (i + 2, "LESS_THAN"),
            ("at", "least") => (i + 2, "EQUAL_OR_MORE"),
            ("at", "most") | ("up", "to") => (i + 2, "EQUAL_OR_LESS"),
            ("over", _) => (i + 1, "MORE_THAN"),
            ("under", _) => (i + 1, "LESS_THAN"),
            ("about", _) => (i + 1, "APPROX"),
            _ => (i + 1, self.w(i).and_then(|w| w.approx)?),
        })
    }

    fn core(&mut self, i: usize) -> Option<Found> {
        let w = *self.ws.get(i)?;
        let entry = w.word;
        // Digit tokens.
        if let Some(f) = self.numeric(i) {
            return Some(f);
        }
        if w.cap && entry.is_some_and(|e| e.month > 0) {
            if let Some(f) = self.month_led(i) {
                return Some(f);
            }
        }
        if w.cap && entry.is_some_and(|e| e.weekday > 0) {
            if let Some(f) = self.weekday_led(i) {
                return Some(f);
            }
        }
        let e = entry?;
        if w.key == "the" {
            if let Some(f) = self.the(i) {
                return Some(f);
            }
        }
        if let Some(r) = e.relative {
            if let Some(f) = self.relative(i, r, i) {
                return Some(f);
            }
        }
        if let Some(d) = e.day {
            return self.day_word(i, d);
        }
        if let Some(f) = self.quantity_led(i) {
            return Some(f);
        }
        // "for weeks", "within months", "for centuries": an unspecified duration
        if let Some(u) = e.unit.filter(|_| e.plural && !w.cap && !w.hyphen) {
            if i > 0
                && matches!(self.ws[i - 1].key, "for" | "within")
                && self.same_sentence(i - 1, i)
                && !matches!(
                    self.next_key(i, i + 1),
                    "of" | "ago" | "later" | "earlier" | "old"
                )
                && !self.ws.get(i + 1).is_some_and(|x| x.hyphen)
            {
                return self.found(i, i + 1, TimeType::Duration, Some(u.duration(None)));
            }
        }
        if let Some(f) = self.ordinal_led(i, i) {
            return Some(f);
        }
        if let Some(s) = e.season {
            if w.key != "fall"
                || matches!(
                    self.key(i.wrapping_sub(1)),
                    "in" | "the"
                        | "this"
                        | "last"
                        | "next"
                        | "early"
                        | "late"
                        | "mid"
                        | "during"
                        | "since"
                        | "by"
                        | "until"
                )
            {
                return self.season(i, s, None, i);
            }
        }
        if let Some(r) = e.reference {
            return self.reference(i, r);
        }
        if let Some(s) = e.set {
            if !w.cap || i == 0 || self.ws[i - 1].sent != w.sent {
                return self.found(i, i + 1, TimeType::Set, Some(s.to_owned()));
            }
        }
        if matches!(w.key, "every" | "each" | "per") {
            return self.set(i);
        }
        if w.cap && !e.holidays.is_empty() {
            if let Some(f) = self.holiday(i) {
                return Some(f);
            }
        }
        match w.key {
            "overnight" => self.found(
                i,
                i + 1,
                TimeType::Time,
                self.dct
                    .and_then(|d| add_days(d, -1))
                    .map(|d| format!("{}TNI", day(d))),
            ),
            "noon" | "midday" => self.found(
                i,
                i + 1,
                TimeType::Time,
                self.dct.map(|d| format!("{}T12:00", day(d))),
            ),
            "midnight" => self.found(
                i,
                i + 1,
                TimeType::Time,
                self.dct.map(|d| format!("{}T24:00", day(d))),
            ),
            "fiscal" => {
                let y = self.year_at(i + 1)?;
                self.note_year(i, y);
                self.found(i, i + 2, TimeType::Date, Some(year(y)))
            }
            "that" => {
                let u = self
                    .w(i + 1)
                    .and_then(|w| w.unit)
                    .filter(|_| !self.w(i + 1).is_some_and(|w| w.plural))?;
                let a = self.anchor?;
                let v = match u {
                    Unit::Year => year(a.y),
                    Unit::Month => month(a.y, a.m?),
                    Unit::Day => day(make_date(a.y, a.m? as u32, a.d? as u32)?),
                    _ => return None,
                };
                self.found(i, i + 2, TimeType::Date, Some(v))
            }
            "recent" if self.w(i + 1).is_some_and(|w| w.unit.is_some() && w.plural) => {
                self.found(i, i + 2, TimeType::Date, Some("PAST_REF".into()))
            }
            "these" if self.key(i + 1) == "days" => {
                self.found(i, i + 2, TimeType::Date, Some("PRESENT_REF".into()))
            }
            _ => None,
        }
    }

    /// "Christmas", "Thanksgiving Day", "New Year's Day", "Election Day" [, year]: the year
    /// written after it, else inferred like a month and day.
    fn holiday(&mut self, i: usize) -> Option<Found> {
        let e = self.w(i)?;
        // the words after the first, skipping a possessive token ("Year" "'s" "Day")
        let mut after = Vec::with_capacity(4);
        let mut k = i + 1;
        while after.len() < 4 && self.same_sentence(i, k) {
            let w = &self.ws[k];
            if (w.first == '\'' || w.first == '’') && w.end - w.start <= 4 {
                k += 1;
                continue;
            }
            after.push(k);
            k += 1;
        }
        let name = e.holidays.iter().find(|h| {
            h.rest.len() <= after.len()
                && h.rest
                    .iter()
                    .zip(&after)
                    .all(|(r, &k)| self.key(k) == *r && (self.ws[k].cap || *r == "eve"))
        })?;
        let mut end = match name.rest.len() {
            0 => i + 1,
            n => after[n - 1] + 1,
        };
        // "Thanksgiving Day" when only "Thanksgiving" is listed
        if name.rest.is_empty() && self.key(end) == "day" && self.ws[end].cap {
            end += 1;
        }
        let date_in = |y: i32| -> Option<Date> {
            match name.day {
                Holiday::Fixed(m, d) => make_date(y, m as u32, d as u32),
                Holiday::Nth {
                    month,
                    weekday,
                    nth,
                    offset,
                } => {
                    let first = make_date(y, month as u32, 1)?;
                    let wd0 = first.weekday().to_monday_one_offset() as i64;
                    let to_first = (weekday as i64 - wd0).rem_euclid(7);
                    let d = if nth > 0 {
                        add_days(first, to_first + 7 * (nth as i64 - 1))?
                    } else {
                        let mut d = add_days(first, to_first + 28)?;
                        if d.month() as u8 != month {
                            d = add_days(d, -7)?;
                        }
                        d
                    };
                    add_days(d, offset as i64)
                }
            }
        };
        let mut k = end;
        if self.key(k) == "," {
            k += 1;
        }
        if let Some(y) = self.year_at(k).filter(|_| self.same_sentence(i, k)) {
            self.note_year(i, y);
            return self.found(i, k + 1, TimeType::Date, date_in(y).map(day));
        }
        let (m, d) = match name.day {
            Holiday::Fixed(m, d) => (m as i32, d as i32),
            Holiday::Nth { month, nth, .. } => {
                (month as i32, if nth > 0 { nth as i32 * 7 - 3 } else { 27 })
            }
        };
        let y = self.infer_year(i, m, Some(d));
        self.found(i, end, TimeType::Date, y.and_then(date_in).map(day))
    }

    fn numeric(&mut self, i: usize) -> Option<Found> {
        let w = self.ws[i];
        match w.num {
            Num::Iso(y, m, d) => {
                let v = make_date(y, m as u32, d as u32).map(day)?;
                self.note_year(i, y);
                self.found(i, i + 1, TimeType::Date, Some(v))
            }
            Num::Slash(a, b, c) => {
                if !(1000..=2199).contains(&c) && c >= 100 {
                    return None;
                }
                let y = if c < 100 {
                    if c < 50 {
                        2000 + c
                    } else {
                        1900 + c
                    }
                } else {
                    c
                } as i32;
                let (m, d) = if a > 12 {
                    (b, a)
                } else if b > 12 || !self.day_first {
                    (a, b)
                } else {
                    (b, a)
                };
                let v = make_date(y, m, d).map(day)?;
                self.note_year(i, y);
                self.found(i, i + 1, TimeType::Date, Some(v))
            }
            Num::Clock(h, m) => {
                let mut end = i + 1;
                let mut h = h;
                if matches!(self.key(end), "a.m" | "am" | "p.m" | "pm") {
                    if self.key(end).starts_with('p') && h < 12 {
                        h += 12;
                    } else if self.key(end).starts_with('a') && h == 12 {
                        h = 0;
                    }
                    end += 1;
                }
                let v = self.dct.map(|d| format!("{}T{:02}:{:02}", day(d), h, m));
                self.found(i, end, TimeType::Time, v)
            }
            Num::Int { v, digits, .. }
                if digits <= 2
                    && (1..=12).contains(&v)
                    && matches!(self.key(i + 1), "a.m" | "am" | "p.m" | "pm") =>
            {
                let h = (v % 12)
                    + if self.key(i + 1).starts_with('p') {
                        12
                    } else {
                        0
                    };
                let val = self.dct.map(|d| format!("{}T{:02}:00", day(d), h));
                self.found(i, i + 2, TimeType::Time, val)
            }
            Num::Decade(y) => {
                let mut end = i + 1;
                let _ = &mut end;
                self.found(i, end, TimeType::Date, Some(format!("{:03}", y / 10)))
            }
            Num::Ordinal(n) if self.key(i + 1) == "century" => self.found(
                i,
                i + 2,
                TimeType::Date,
                Some(format!("{:02}", n as i32 - 1)),
            ),
            _ => {
                // "11 December 2017", "11 Dec"
                if let Some(d) = self.dom_at(i) {
                    let mut j = i + 1;
                    if self.key(j) == "of" {
                        j += 1;
                    }
                    let m = self.month_at(j);
                    if m > 0 && self.same_sentence(i, j) {
                        let mut end = j + 1;
                        if self.glued_period(end) {
                            end += 1;
                        }
                        let mut k = end;
                        if self.key(k) == "," {
                            k += 1;
                        }
                        if let Some(y) = self.year_at(k) {
                            self.note_year(i, y);
                            return self.found(
                                i,
                                k + 1,
                                TimeType::Date,
                                make_date(y, m as u32, d).map(day),
                            );
                        }
                        let y = self.infer_year(i, m as i32, Some(d as i32));
                        return self.found(
                            i,
                            end,
                            TimeType::Date,
                            y.and_then(|y| make_date(y, m as u32, d)).map(day),
                        );
                    }
                }
                if let Some(y) = self.year_at(i) {
                    if self.plausible_year(i, y) {
                        self.note_year(i, y);
                        return self.found(i, i + 1, TimeType::Date, Some(year(y)));
                    }
                }
                self.quantity_led(i)
            }
        }
    }

    /// A bare four-digit number is a year unless it counts something.
    fn plausible_year(&self, i: usize, y: i32) -> bool {
        let prev = if i > 0 { self.ws[i - 1].first } else { ' ' };
        if matches!(prev, '$' | '€' | '£' | '#') {
            return false;
        }
        let next = self.ws.get(i + 1);
        if next.is_some_and(|n| n.start == self.ws[i].end && matches!(n.first, '%' | '-')) {
            return false;
        }
        if self.w(i + 1).is_some_and(|w| w.unit.is_some()) {
            return false;
        }
        if next.is_some_and(|n| {
            n.key.is_empty() && n.first.is_ascii_lowercase() && n.word.is_none() && !n.ed
        }) {
            // "1500 people": a count before a noun; years rarely precede a lower-case word
            let prev_key = if i > 0 { self.ws[i - 1].key } else { "" };
            return matches!(
                prev_key,
                "in" | "since"
                    | "of"
                    | "by"
                    | "from"
                    | "until"
                    | "to"
                    | "during"
                    | "early"
                    | "late"
                    | "mid"
                    | "before"
                    | "after"
                    | "fiscal"
                    | ","
            ) || (1900..=2100).contains(&y)
                && next.is_some_and(|n| n.sent != self.ws[i].sent);
        }
        (1900..=2100).contains(&y)
            || i > 0
                && matches!(
                    self.ws[i - 1].key,
                    "in" | "since" | "of" | "from" | "until" | "by"
                )
    }

    fn month_led(&mut self, i: usize) -> Option<Found> {
        let w = self.ws[i];
        let m = w.word?.month as i32;
        let mut j = i + 1;
        if self.glued_period(j) {
            j += 1;
        }
        let abbreviated = w.key.len() <= 4 && !matches!(w.key, "may" | "june" | "july");
        // Month Day [, Year]
        if let Some(d) = self.dom_at(j).filter(|_| self.same_sentence(i, j)) {
            let mut k = j + 1;
            if self.key(k) == "," {
                k += 1;
            }
            if let Some(y) = self.year_at(k).filter(|_| self.same_sentence(i, k)) {
                self.note_year(i, y);
                return self.found(i, k + 1, TimeType::Date, make_date(y, m as u32, d).map(day));
            }
            // "Sept. 30 that year", "Oct. 2 last year", "March 12 of this year"
            if let Some((end, y)) = self.year_phrase(j + 1) {
                return self.found(i, end, TimeType::Date, make_date(y, m as u32, d).map(day));
            }
            let y = self.infer_year(i, m, Some(d as i32));
            return self.found(
                i,
                j + 1,
                TimeType::Date,
                y.and_then(|y| make_date(y, m as u32, d)).map(day),
            );
        }
        // Month [,|of] Year
        let mut k = j;
        if matches!(self.key(k), "," | "of") {
            k += 1;
        }
        if let Some(y) = self.year_at(k).filter(|_| self.same_sentence(i, k)) {
            self.note_year(i, y);
            return self.found(i, k + 1, TimeType::Date, Some(month(y, m)));
        }
        // Month [of] this/last/next/that year
        if let Some((end, y)) = self.year_phrase(j) {
            return self.found(i, end, TimeType::Date, Some(month(y, m)));
        }
        if abbreviated {
            return None;
        }
        if matches!(w.key, "may" | "march") {
            let prev = if i > 0 { self.ws[i - 1].key } else { "" };
            if !matches!(
                prev,
                "in" | "of"
                    | "since"
                    | "until"
                    | "by"
                    | "early"
                    | "late"
                    | "mid"
                    | "last"
                    | "next"
                    | "this"
                    | "from"
                    | "to"
                    | "during"
                    | "through"
                    | "before"
                    | "after"
                    | "and"
            ) {
                return None;
            }
        }
        let y = self.infer_year(i, m, None);
        self.found(i, i + 1, TimeType::Date, y.map(|y| month(y, m)))
    }

    /// "[of] this/last/next year" or "[of] that/the same year" at word `i`: where it ends and the
    /// year it names (the publication year moved, or the year of the last date mentioned).
    fn year_phrase(&self, i: usize) -> Option<(usize, i32)> {
        let mut k = i;
        if self.key(k) == "of" {
            k += 1;
        }
        if !self.same_sentence(i, k + 1) {
            return None;
        }
        let (rel, unit) = if self.key(k) == "the" && self.key(k + 1) == "same" {
            k += 1;
            ("that", self.key(k + 1))
        } else {
            (self.key(k), self.key(k + 1))
        };
        if unit != "year" || self.ws.get(k + 1).is_some_and(|w| w.hyphen) {
            return None;
        }
        let dy = self.dct.map(|d| d.year() as i32);
        let y = match rel {
            "this" | "current" => dy?,
            "last" | "past" => dy? - 1,
            "next" | "coming" => dy? + 1,
            "that" => self.anchor.map(|a| a.y).or(dy)?,
            _ => return None,
        };
        Some((k + 2, y))
    }

    fn weekday_led(&mut self, i: usize) -> Option<Found> {
        let w = self.ws[i];
        let wd = w.word?.weekday;
        let mut j = i + 1;
        if self.glued_period(j) {
            j += 1;
        }
        if self.key(j) == "," {
            j += 1;
        }
        // Monday, Dec. 11, 2017 / Monday 11 December
        if self.month_at(j) > 0 || self.dom_at(j).is_some() && self.month_at(j + 1) > 0 {
            if let Some(f) = self.core(j) {
                if f.kind == TimeType::Date && f.value.as_ref().is_none_or(|v| v.len() == 10) {
                    return Some(Found { start: i, ..f });
                }
            }
        }
        // abbreviated weekdays ("Wed", "Sun") only before a date
        if w.key.len() <= 4 {
            return None;
        }
        let v = self.weekday_date(i, wd, None);
        if let Some(p) = self
            .w(i + 1)
            .and_then(|x| x.part)
            .filter(|_| !self.ws[i + 1].cap)
        {
            return self.found(i, i + 2, TimeType::Time, v.map(|v| format!("{v}T{p}")));
        }
        self.found(i, i + 1, TimeType::Date, v)
    }

    /// last/this/next/past/previous/coming/current/following + weekday, month, unit, season, part of day.
    fn relative(&mut self, i: usize, r: i32, start: usize) -> Option<Found> {
        let k = self.key(i);
        let j = i + 1;
        if !self.same_sentence(i, j) {
            return None;
        }
        let nw = self.w(j)?;
        let anaphoric = matches!(k, "following" | "previous");
        if nw.weekday > 0 && self.ws[j].cap && !anaphoric {
            let v = self.weekday_date(j, nw.weekday, if k == "this" { None } else { Some(r) });
            return self.found(start, j + 1, TimeType::Date, v);
        }
        if nw.month > 0 && self.ws[j].cap && !anaphoric {
            let m = nw.month as i32;
            // "last Oct. 23", "next March 12": the nearest such day before or after
            let mut dj = j + 1;
            if self.glued_period(dj) {
                dj += 1;
            }
            if let (Some(d), Some(dct), true) = (
                self.dom_at(dj),
                self.dct,
                matches!(k, "last" | "next" | "this"),
            ) {
                let dy = dct.year() as i32;
                let here = (m, d as i32);
                let now = (dct.month() as i32, dct.day() as i32);
                let y = match r {
                    -1 if here < now => dy,
                    -1 => dy - 1,
                    1 if here > now => dy,
                    1 => dy + 1,
                    _ => dy,
                };
                return self.found(
                    start,
                    dj + 1,
                    TimeType::Date,
                    make_date(y, m as u32, d).map(day),
                );
            }
            let v = self.dct.map(|d| {
                let (dy, dm) = (d.year() as i32, d.month() as i32);
                let y = match r {
                    -1 => {
                        if m < dm {
                            dy
                        } else {
                            dy - 1
                        }
                    }
                    1 => {
                        if m > dm {
                            dy
                        } else {
                            dy + 1
                        }
                    }
                    _ => dy,
                };
                month(y, m)
            });
            return self.found(start, j + 1, TimeType::Date, v);
        }
        if let Some(s) = nw.season {
            return self.season(j, s, Some(r), start);
        }
        if !nw.holidays.is_empty() && self.ws[j].cap && !anaphoric {
            // "last Thanksgiving": the year comes from the local cue
            if let Some(f) = self.holiday(j) {
                return Some(Found { start, ..f });
            }
        }
        if let Some(p) = nw.part {
            if k == "this" || k == "last" && p == "NI" {
                let v = self
                    .dct
                    .and_then(|d| add_days(d, if k == "last" { -1 } else { 0 }))
                    .map(|d| format!("{}T{p}", day(d)));
                return self.found(start, j + 1, TimeType::Time, v);
            }
            return None;
        }
        // last/next/past N units: a duration
        if matches!(
            k,
            "last" | "past" | "next" | "coming" | "previous" | "following" | "first"
        ) {
            if let Some((after, n)) = self.quantity(j) {
                if let Some(u) = self.w(after).and_then(|w| w.unit) {
                    if self.same_sentence(i, after)
                        && (n != Some(1) || !self.w(after).is_some_and(|w| w.plural))
                    {
                        return self.found(
                            start,
                            after + 1,
                            TimeType::Duration,
                            Some(u.duration(n)),
                        );
                    }
                }
            }
        }
        let u = nw.unit?;
        if nw.plural {
            if matches!(k, "coming" | "next") {
                return self.found(start, j + 1, TimeType::Date, Some("FUTURE_REF".into()));
            }
            if matches!(k, "past" | "last") {
                return self.found(start, j + 1, TimeType::Duration, Some(u.duration(None)));
            }
            return None;
        }
        if k == "past" && start != i && self.key(start) == "the" {
            return self.found(start, j + 1, TimeType::Duration, Some(u.duration(Some(1))));
        }
        let base = if anaphoric {
            match self.anchor {
                Some(a) => make_date(a.y, a.m.unwrap_or(7) as u32, a.d.unwrap_or(1) as u32)?,
                None => self.dct?,
            }
        } else {
            match self.dct {
                Some(d) => d,
                None => return self.found(start, j + 1, TimeType::Date, None),
            }
        };
        let r = if anaphoric && k == "previous" { -1 } else { r };
        self.found(start, j + 1, TimeType::Date, shift(base, u, r))
    }

    fn day_word(&mut self, i: usize, d: i32) -> Option<Found> {
        let date = self.dct.and_then(|dct| add_days(dct, d as i64));
        if self.key(i) == "tonight" {
            return self.found(
                i,
                i + 1,
                TimeType::Time,
                date.map(|d| format!("{}TNI", day(d))),
            );
        }
        if let Some(p) = self
            .w(i + 1)
            .and_then(|w| w.part)
            .filter(|_| self.same_sentence(i, i + 1))
        {
            return self.found(
                i,
                i + 2,
                TimeType::Time,
                date.map(|d| format!("{}T{p}", day(d))),
            );
        }
        self.found(i, i + 1, TimeType::Date, date.map(day))
    }

    /// A count: digits, number words ("twenty-four", "twenty four"), "a", "a few", "several".
    /// Returns the word after it and the number (None for a vague count).
    fn quantity(&self, i: usize) -> Option<(usize, Option<u32>)> {
        let w = self.ws.get(i)?;
        if let Num::Int { v, .. } = w.num {
            if w.end == self.ws.get(i + 1).map_or(0, |n| n.start) && !self.ws[i + 1].hyphen {
                return None;
            }
            return Some((i + 1, Some(v)));
        }
        let e = w.word?;
        if w.key == "a" || w.key == "an" {
            if self.w(i + 1).is_some_and(|x| x.vague) {
                return Some((i + 2, None));
            }
            if self.key(i + 1) == "half" {
                return None;
            }
            // "$5 a year", "twice a week": a rate, not a duration
            if i > 0
                && (matches!(self.ws[i - 1].num, Num::Int { .. })
                    || matches!(self.ws[i - 1].key, "times" | "once" | "twice" | "percent")
                    || self.ws[i - 1].first == '%')
            {
                return None;
            }
            return Some((i + 1, Some(1)));
        }
        if e.vague {
            return Some((i + 1, None));
        }
        let mut n = e.number?;
        let mut j = i + 1;
        if n >= 20 && n % 10 == 0 && n < 100 {
            if let Some(u) = self
                .w(j)
                .and_then(|x| x.number)
                .filter(|u| (1..10).contains(u))
            {
                n += u;
                j += 1;
            }
        }
        Some((j, Some(n)))
    }

    /// A quantity and a unit: "three years", "two-year", "seven years ago", "a year earlier".
    fn quantity_led(&mut self, i: usize) -> Option<Found> {
        let (j, n) = self.quantity(i)?;
        let uw = self.w(j)?;
        let u = uw.unit?;
        if !self.same_sentence(i, j) || self.ws[j].cap && !self.ws[i].cap {
            return None;
        }
        // "a two day rally", "a five year low": a singular unit before a noun
        let compound = || {
            i > 0
                && matches!(self.ws[i - 1].key, "a" | "an" | "the")
                && self.ws.get(j + 1).is_some_and(|w| {
                    w.key.is_empty() && w.first.is_lowercase() && self.same_sentence(j, j + 1)
                })
        };
        let plural_ok = match n {
            Some(1) => !uw.plural || self.key(i) != "a" && self.key(i) != "an",
            Some(_) => uw.plural || self.ws[j].hyphen || compound(),
            None => uw.plural,
        };
        // "52 years old": an age
        if self.next_key(j, j + 1) == "old" && !self.ws[j + 1].hyphen {
            return None;
        }
        if !plural_ok {
            return None;
        }
        // "10-year-old": an age, not a time
        if self.ws[j].hyphen
            && self.key(j + 1) == "old"
            && self.ws.get(j + 1).is_some_and(|w| w.hyphen)
        {
            return None;
        }
        let next = self.next_key(j, j + 1);
        match next {
            "ago" => {
                let v = self.dct.and_then(|d| shift(d, u, -(n.unwrap_or(1) as i32)));
                let v = if n.is_none() {
                    Some("PAST_REF".to_owned())
                } else {
                    v
                };
                self.found(i, j + 2, TimeType::Date, v)
            }
            "later" | "earlier" => {
                let base = match self.anchor {
                    Some(a) => make_date(a.y, a.m.unwrap_or(7) as u32, a.d.unwrap_or(1) as u32),
                    None => self.dct,
                };
                let sign = if next == "later" { 1 } else { -1 };
                let v = base.and_then(|b| shift(b, u, sign * n.unwrap_or(1) as i32));
                let v = if n.is_none() { None } else { v };
                self.found(i, j + 2, TimeType::Date, v)
            }
            _ => {
                // "a year or so"
                let end = if next == "or" && self.key(j + 2) == "so" {
                    j + 3
                } else {
                    j + 1
                };
                self.found(i, end, TimeType::Duration, Some(u.duration(n)))
            }
        }
    }

    /// "third-quarter", "the fourth quarter of 2016", "the 20th century".
    fn ordinal_led(&mut self, i: usize, start: usize) -> Option<Found> {
        let mut j = i;
        if self.key(j) == "fiscal" {
            j += 1;
        }
        let n = self.w(j).and_then(|w| w.ordinal).or(match self.num(j) {
            Num::Ordinal(n) => Some(n),
            _ => None,
        })?;
        let u = self.w(j + 1).and_then(|w| w.unit)?;
        if self.w(j + 1).is_some_and(|w| w.plural) {
            return None;
        }
        match u {
            Unit::Quarter if (1..=4).contains(&n) => {
                let mut end = j + 2;
                let mut k = end;
                if self.key(k) == "of" {
                    k += 1;
                }
                let y = if let Some(y) = self.year_at(k) {
                    end = k + 1;
                    Some(y)
                } else if let Some((y, s)) = self
                    .explicit_year
                    .map(|(y, s, _)| (y, s))
                    .filter(|(_, s)| self.ws[i].sent <= s + 1)
                {
                    let _ = s;
                    Some(y)
                } else {
                    self.dct.map(|d| {
                        let dq = (d.month() as u32 - 1) / 3 + 1;
                        d.year() as i32
                            - if n > dq && self.tense(i) != Some(Cue::Future) {
                                1
                            } else {
                                0
                            }
                    })
                };
                self.found(
                    start,
                    end,
                    TimeType::Date,
                    y.map(|y| format!("{y:04}-Q{n}")),
                )
            }
            Unit::Century => self.found(
                start,
                j + 2,
                TimeType::Date,
                Some(format!("{:02}", n as i32 - 1)),
            ),
            _ => None,
        }
    }

    fn season(&mut self, i: usize, s: &str, rel: Option<i32>, start: usize) -> Option<Found> {
        let mut end = i + 1;
        let mut k = end;
        if self.key(k) == "of" {
            k += 1;
        }
        if let Some(y) = self.year_at(k) {
            end = k + 1;
            self.note_year(i, y);
            return self.found(start, end, TimeType::Date, Some(format!("{y:04}-{s}")));
        }
        let st = season_start(s);
        let y = self.dct.map(|d| {
            let (dy, dm) = (d.year() as i32, d.month() as i32);
            let over = dm > st + 2 || s == "WI" && dm > 2 && dm < 12;
            let started = dm >= st || s == "WI" && dm <= 2;
            match rel {
                Some(-1) => {
                    if over && s != "WI" {
                        dy
                    } else {
                        dy - 1
                    }
                }
                Some(1) => {
                    if started {
                        dy + 1
                    } else {
                        dy
                    }
                }
                Some(_) => dy,
                None => match self.tense(i) {
                    Some(Cue::Past) if !started => dy - 1,
                    Some(Cue::Future) if over => dy + 1,
                    _ => dy,
                },
            }
        });
        self.found(start, end, TimeType::Date, y.map(|y| format!("{y:04}-{s}")))
    }

    fn reference(&mut self, i: usize, r: &str) -> Option<Found> {
        let k = self.key(i);
        if matches!(k, "past" | "future") {
            return None;
        }
        if k == "recent" {
            // "recent years", "recent weeks"
            if self.w(i + 1).is_some_and(|w| w.unit.is_some() && w.plural) {
                return self.found(i, i + 2, TimeType::Date, Some("PAST_REF".into()));
            }
        }
        if k == "current" && self.w(i + 1).is_some_and(|w| w.unit.is_some()) {
            return None;
        }
        self.found(i, i + 1, TimeType::Date, Some(r.to_owned()))
    }

    fn set(&mut self, i: usize) -> Option<Found> {
        let mut j = i + 1;
        let mut n = Some(1);
        if self.key(j) == "other" {
            n = Some(2);
            j += 1;
        } else if let Some((after, q)) = self.quantity(j).filter(|(_, q)| q.is_some_and(|q| q > 1))
        {
            n = q;
            j = after;
        }
        let w = self.w(j)?;
        if !self.same_sentence(i, j) {
            return None;
        }
        if let Some(u) = w.unit {
            return self.found(i, j + 1, TimeType::Set, Some(u.duration(n)));
        }
        if w.weekday > 0 && self.ws[j].cap {
            return self.found(
                i,
                j + 1,
                TimeType::Set,
                Some(format!("XXXX-WXX-{}", w.weekday)),
            );
        }
        if w.month > 0 && self.ws[j].cap && w.month as usize <= 12 {
            return self.found(
                i,
                j + 1,
                TimeType::Set,
                Some(format!("XXXX-{:02}", w.month)),
            );
        }
        if let Some(p) = w.part {
            return self.found(i, j + 1, TimeType::Set, Some(format!("XXXX-XX-XXT{p}")));
        }
        None
    }

    /// Expressions that start with "the".
    fn the(&mut self, i: usize) -> Option<Found> {
        let j = i + 1;
        if !self.same_sentence(i, j) {
            return None;
        }
        let k = self.key(j);
        if self.ws.get(j + 1).is_some_and(|w| w.hyphen)
            || self
                .ws
                .get(j + 2)
                .is_some_and(|w| w.hyphen && w.word.is_some_and(|x| x.unit.is_some()))
        {
            return None;
        }
        if let Num::Ordinal(_) = self.num(j) {
            if let Some(f) = self.ordinal_led(j, i) {
                return Some(f);
            }
        }
        let w = self.w(j)?;
        match k {
            "year" => {
                if let Some(y) = self.year_at(j + 1).filter(|_| self.same_sentence(i, j + 1)) {
                    self.note_year(j + 1, y);
                    return self.found(i, j + 2, TimeType::Date, Some(year(y)));
                }
            }
            "future" => return self.found(i, j + 1, TimeType::Date, Some("FUTURE_REF".into())),
            "past"
                if self
                    .w(j + 1)
                    .is_none_or(|x| x.unit.is_none() && x.number.is_none() && !x.vague)
                    && self.num(j + 1) == Num::None =>
            {
                return self.found(i, j + 1, TimeType::Date, Some("PAST_REF".into()))
            }
            "near" if self.key(j + 1) == "future" => {
                return self.found(i, j + 2, TimeType::Date, Some("FUTURE_REF".into()))
            }
            "same" => {
                let u = self.w(j + 1).and_then(|x| x.unit)?;
                let a = self.anchor?;
                let v = match u {
                    Unit::Day => day(make_date(a.y, a.m? as u32, a.d? as u32)?),
                    Unit::Month => month(a.y, a.m?),
                    Unit::Year => year(a.y),
                    _ => return None,
                };
                return self.found(i, j + 2, TimeType::Date, Some(v));
            }
            "weekend" => {
                // Monday to Thursday, "the weekend" is the one just past unless the tense is future
                let v = self.dct.and_then(|d| {
                    let wd = d.weekday().to_monday_one_offset();
                    let back = wd <= 4 && self.tense(j) != Some(Cue::Future);
                    add_days(d, if back { -7 } else { 0 }).map(|d| format!("{}-WE", week(d)))
                });
                return self.found(i, j + 1, TimeType::Date, v);
            }
            "first" | "last" | "past" | "next" | "coming" | "previous" | "following" => {
                if let Some((after, n)) = self.quantity(j + 1) {
                    if let Some(u) = self.w(after).and_then(|w| w.unit) {
                        if self.same_sentence(i, after) && (n != Some(1) || self.key(j + 1) != "a")
                        {
                            return self.found(
                                i,
                                after + 1,
                                TimeType::Duration,
                                Some(u.duration(n)),
                            );
                        }
                    }
                }
                if k == "first" {
                    if let Some(f) = self.ordinal_led(j, i) {
                        return Some(f);
                    }
                }
            }
            "fiscal" | "second" | "third" | "fourth" => {
                if let Some(f) = self.ordinal_led(j, i) {
                    return Some(f);
                }
            }
            _ => {}
        }
        if let Some(r) = w.relative {
            if let Some(f) = self.relative(j, r, i) {
                return Some(f);
            }
        }
        // "the day before", "the year after"
        if let Some(u) = w.unit.filter(|_| !w.plural) {
            let next = self.next_key(j, j + 1);
            if matches!(next, "before" | "after")
                && matches!(u, Unit::Day | Unit::Week | Unit::Month | Unit::Year)
            {
                let base = match self.anchor {
                    Some(a) => make_date(a.y, a.m.unwrap_or(7) as u32, a.d.unwrap_or(1) as u32)?,
                    None => self.dct?,
                };
                return self.found(
                    i,
                    j + 2,
                    TimeType::Date,
                    shift(base, u, if next == "before" { -1 } else { 1 }),
                );
            }
            return None;
        }
        if let Some(s) = w.season {
            return self.season(j, s, None, i);
        }
        // "the nine months", "the two years"
        if w.number.is_some() && k != "a" {
            if let Some(f) = self.quantity_led(j) {
                if f.kind == TimeType::Duration {
                    return Some(Found { start: i, ..f });
                }
            }
        }
        None
    }
}

fn is_dom(n: Num) -> bool {
    matches!(
        n,
        Num::Int {
            v: 1..=31,
            digits: 1..=2,
            ..
        } | Num::Ordinal(1..=31)
    )
}

/// Convenience for tests and the stage: tags `text` whose tokens are given as
/// (start, end, sentence) triples.
pub(crate) fn tag(
    text: &str,
    tokens: impl Iterator<Item = (u32, u32, u32)>,
    dct: Option<Date>,
    groups: &[(u32, Tense)],
) -> (Vec<W>, Vec<Found>) {
    let ws = words(text, tokens, lexicon());
    let found = Tagger::new(&ws, dct, TenseSource { groups }).run();
    (ws, found)
}
