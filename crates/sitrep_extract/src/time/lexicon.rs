//! The temporal vocabulary of data/time/words.tsv, compiled once into a hash map from the lower-case
//! word to everything the grammar knows about it.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

const WORDS: &str = include_str!("../../../../data/time/words.tsv");

/// A unit of time, as in TIMEX3 durations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl Unit {
    fn parse(code: &str) -> Option<Unit> {
        Some(match code {
            "S" => Unit::Second,
            "MIN" => Unit::Minute,
            "H" => Unit::Hour,
            "D" => Unit::Day,
            "W" => Unit::Week,
            "WE" => Unit::Weekend,
            "2W" => Unit::Fortnight,
            "M" => Unit::Month,
            "Q" => Unit::Quarter,
            "Y" => Unit::Year,
            "DE" => Unit::Decade,
            "CE" => Unit::Century,
            _ => return None,
        })
    }

    /// The TIMEX3 duration of `n` units ("P3Y", "PT5H", "PXY" when `n` is unknown).
    pub(crate) fn duration(self, n: Option<u32>) -> String {
        let count = |k: u32| n.map_or_else(|| "X".to_owned(), |n| (n * k).to_string());
        match self {
            Unit::Second => format!("PT{}S", count(1)),
            Unit::Minute => format!("PT{}M", count(1)),
            Unit::Hour => format!("PT{}H", count(1)),
            Unit::Day => format!("P{}D", count(1)),
            Unit::Week => format!("P{}W", count(1)),
            Unit::Weekend => format!("P{}WE", count(1)),
            Unit::Fortnight => format!("P{}W", count(2)),
            Unit::Month => format!("P{}M", count(1)),
            Unit::Quarter => format!("P{}Q", count(1)),
            Unit::Year => format!("P{}Y", count(1)),
            Unit::Decade => format!("P{}DE", count(1)),
            Unit::Century => format!("P{}CE", count(1)),
        }
    }
}

/// A tense cue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cue {
    Past,
    Future,
}

/// Everything the vocabulary says about one word. Zero / `None` means "not that class".
#[derive(Clone, Debug, Default)]
pub(crate) struct Word {
    pub(crate) month: u8,
    pub(crate) weekday: u8,
    pub(crate) season: Option<&'static str>,
    pub(crate) number: Option<u32>,
    pub(crate) ordinal: Option<u32>,
    pub(crate) unit: Option<Unit>,
    /// Whether the unit word is plural ("years").
    pub(crate) plural: bool,
    pub(crate) part: Option<&'static str>,
    pub(crate) modifier: Option<&'static str>,
    pub(crate) relative: Option<i32>,
    pub(crate) day: Option<i32>,
    pub(crate) reference: Option<&'static str>,
    pub(crate) set: Option<&'static str>,
    pub(crate) approx: Option<&'static str>,
    pub(crate) vague: bool,
    pub(crate) cue: Option<Cue>,
    /// Holidays whose name starts with this word.
    pub(crate) holidays: Vec<HolidayName>,
}

/// When a holiday falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holiday {
    /// Month and day.
    Fixed(u8, u8),
    /// The `nth` (-1: last) `weekday` (Monday = 1) of `month`, plus `offset` days.
    Nth {
        month: u8,
        weekday: u8,
        nth: i8,
        offset: i8,
    },
}

/// A holiday name: the words after the first one (lower case, without "'s") and its day.
#[derive(Clone, Debug)]
pub(crate) struct HolidayName {
    pub(crate) rest: Vec<&'static str>,
    pub(crate) day: Holiday,
}

impl Holiday {
    /// "12-25" → 25 December; "11-4-4" → the fourth Thursday of November; "11-1-1+1" → the day
    /// after the first Monday of November; "05-1-L" → the last Monday of May.
    fn parse(v: &str) -> Option<Holiday> {
        let (v, offset) = match v.split_once('+') {
            Some((a, b)) => (a, b.parse().ok()?),
            None => (v, 0),
        };
        let parts: Vec<&str> = v.split('-').collect();
        match parts.as_slice() {
            [m, d] => Some(Holiday::Fixed(m.parse().ok()?, d.parse().ok()?)),
            [m, w, n] => Some(Holiday::Nth {
                month: m.parse().ok()?,
                weekday: w.parse().ok()?,
                nth: if *n == "L" { -1 } else { n.parse().ok()? },
                offset,
            }),
            _ => None,
        }
    }
}

/// The compiled vocabulary.
pub(crate) struct Lexicon {
    words: FxHashMap<&'static str, (&'static str, Word)>,
}

impl Lexicon {
    /// The canonical (lower-case, static) form of `lower` and its entry.
    pub(crate) fn get(&self, lower: &str) -> Option<(&'static str, &Word)> {
        self.words.get(lower).map(|(k, w)| (*k, w))
    }
}

/// The vocabulary, parsed on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| parse(WORDS).expect("data/time/words.tsv is valid"))
}

fn parse(text: &'static str) -> Result<Lexicon, String> {
    let mut words: FxHashMap<&'static str, (&'static str, Word)> = FxHashMap::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(word), Some(class), Some(value)) = (cols.next(), cols.next(), cols.next()) else {
            return Err(format!(
                "data/time/words.tsv line {}: expected word<TAB>class<TAB>value",
                n + 1
            ));
        };
        let bad = || {
            format!(
                "data/time/words.tsv line {}: bad value {value:?} for class {class}",
                n + 1
            )
        };
        if class == "holiday" {
            let day = Holiday::parse(value).ok_or_else(bad)?;
            let mut names = word.split(' ').map(|w| w.strip_suffix("'s").unwrap_or(w));
            let first = names.next().unwrap_or_default();
            let rest: Vec<&'static str> = names.collect();
            for r in &rest {
                words.entry(r).or_insert((r, Word::default()));
            }
            let entry = &mut words.entry(first).or_insert((first, Word::default())).1;
            entry.holidays.push(HolidayName { rest, day });
            // longest names first
            entry
                .holidays
                .sort_by_key(|h| std::cmp::Reverse(h.rest.len()));
            continue;
        }
        let entry = &mut words.entry(word).or_insert((word, Word::default())).1;
        match class {
            "month" => entry.month = value.parse().map_err(|_| bad())?,
            "weekday" => entry.weekday = value.parse().map_err(|_| bad())?,
            "season" => entry.season = Some(value),
            "number" => entry.number = Some(value.parse().map_err(|_| bad())?),
            "ordinal" => entry.ordinal = Some(value.parse().map_err(|_| bad())?),
            "unit" => {
                entry.unit = Some(Unit::parse(value).ok_or_else(bad)?);
                entry.plural = word.ends_with('s') && !matches!(word, "hrs" | "yrs")
                    || matches!(word, "centuries" | "hrs" | "yrs" | "mins" | "secs");
                if word.ends_with("ss") {
                    entry.plural = false;
                }
            }
            "part" => entry.part = Some(value),
            "modifier" => entry.modifier = Some(value),
            "relative" => entry.relative = Some(value.parse().map_err(|_| bad())?),
            "day" => entry.day = Some(value.parse().map_err(|_| bad())?),
            "ref" => entry.reference = Some(value),
            "set" => entry.set = Some(value),
            "approx" => entry.approx = Some(value),
            "vague" => entry.vague = true,
            "cue" => {
                entry.cue = Some(match value {
                    "past" => Cue::Past,
                    "future" => Cue::Future,
                    _ => return Err(bad()),
                })
            }
            "word" => {}
            _ => {
                return Err(format!(
                    "data/time/words.tsv line {}: unknown class {class:?}; see the header for the classes",
                    n + 1
                ))
            }
        }
    }
    Ok(Lexicon { words })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_loads() {
        let lex = lexicon();
        assert_eq!(lex.get("dec").unwrap().1.month, 12);
        assert_eq!(lex.get("second").unwrap().1.ordinal, Some(2));
        assert_eq!(lex.get("second").unwrap().1.unit, Some(Unit::Second));
        assert!(lex.get("years").unwrap().1.plural);
        assert!(!lex.get("year").unwrap().1.plural);
        assert_eq!(Unit::Year.duration(Some(3)), "P3Y");
        assert_eq!(Unit::Hour.duration(None), "PTXH");
    }
}
