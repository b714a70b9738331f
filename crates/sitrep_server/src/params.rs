//! Query strings → checked parameters. Every endpoint names the parameters it reads; anything else,
//! a parameter given twice or a value out of range is a 400 that says which and what would do.

use sitrep_store::{EventFilter, Period};

use crate::error::ApiError;

/// The filter parameters every event endpoint reads.
pub(crate) const FILTERS: &[&str] = &[
    "actor", "target", "either", "code", "quad", "from", "to", "place", "country", "q", "mentions",
];

/// Largest page an endpoint returns.
pub(crate) const MAX_LIMIT: usize = 1000;
/// Deepest page: offsets beyond this make the database scan for nothing.
const MAX_OFFSET: usize = 10_000_000;

/// The parameters of one request, each at most once, all of them allowed.
#[derive(Debug)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `query` (without the `?`), refusing names outside `allowed` and repeated names.
    pub(crate) fn parse(query: Option<&str>, allowed: &[&[&str]]) -> Result<Params, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            if name.is_empty() && value.is_empty() {
                continue;
            }
            if !allowed.iter().any(|set| set.contains(&name.as_ref())) {
                let names: Vec<&str> = allowed.iter().flat_map(|set| set.iter().copied()).collect();
                return Err(ApiError::bad(
                    format!("unknown parameter {:?}", name.as_ref()),
                    if names.is_empty() {
                        "this endpoint takes no parameters".to_owned()
                    } else {
                        format!("this endpoint takes {}", names.join(", "))
                    },
                ));
            }
            if pairs.iter().any(|(n, _)| *n == name) {
                return Err(ApiError::bad(
                    format!("parameter {name:?} is given more than once"),
                    "give each parameter once",
                ));
            }
            pairs.push((name.into_owned(), value.into_owned()));
        }
        Ok(Params { pairs })
    }

    /// The value of `name`, trimmed; `None` when absent or empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A page size: `default` when absent, else 1..=`MAX_LIMIT`.
    pub(crate) fn limit(&self, default: usize) -> Result<usize, ApiError> {
        let Some(value) = self.get("limit") else {
            return Ok(default);
        };
        match value.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(ApiError::bad(
                format!("limit {value:?} is out of range"),
                format!("give a whole number from 1 to {MAX_LIMIT}"),
            )),
        }
    }

    /// Rows to skip: 0 when absent.
    pub(crate) fn offset(&self) -> Result<usize, ApiError> {
        let Some(value) = self.get("offset") else {
            return Ok(0);
        };
        match value.parse::<usize>() {
            Ok(n) if n <= MAX_OFFSET => Ok(n),
            _ => Err(ApiError::bad(
                format!("offset {value:?} is out of range"),
                format!("give a whole number from 0 to {MAX_OFFSET}"),
            )),
        }
    }

    /// The timeline's period (`by`), month when absent.
    pub(crate) fn period(&self) -> Result<Period, ApiError> {
        match self.get("by") {
            None | Some("month") => Ok(Period::Month),
            Some("day") => Ok(Period::Day),
            Some("week") => Ok(Period::Week),
            Some("year") => Ok(Period::Year),
            Some(other) => Err(ApiError::bad(
                format!("unknown period {other:?} for by"),
                "give by=day, week, month or year",
            )),
        }
    }

    /// The event filter the parameters in [`FILTERS`] describe (limit and offset left at 0).
    pub(crate) fn filter(&self) -> Result<EventFilter, ApiError> {
        let filter = EventFilter {
            actor: self.get("actor").map(|v| actor("actor", v)).transpose()?,
            target: self.get("target").map(|v| actor("target", v)).transpose()?,
            either: self.get("either").map(|v| actor("either", v)).transpose()?,
            code: self.get("code").map(code).transpose()?,
            quad: self.get("quad").map(quad).transpose()?,
            from: self.get("from").map(|v| date("from", v)).transpose()?,
            to: self.get("to").map(|v| date("to", v)).transpose()?,
            place: self.get("place").map(|v| text("place", v)).transpose()?,
            country: self.get("country").map(country).transpose()?,
            text: self.get("q").map(|v| text("q", v)).transpose()?,
            mentions: self
                .get("mentions")
                .map(mentions)
                .transpose()?
                .unwrap_or(false),
            limit: 0,
            offset: 0,
            after: None,
            skip_total: false,
        };
        if let (Some(from), Some(to)) = (&filter.from, &filter.to) {
            // Compare first days: "2017" to "2017-03" is fine, "2017-04" to "2017-03" is not.
            // "2017-03" to "2017" is fine too: March lies within 2017.
            if period_start(from) > period_start(to) && !from.starts_with(to.as_str()) {
                return Err(ApiError::bad(
                    format!("from {from} is after to {to}"),
                    "swap them, or leave one out",
                ));
            }
        }
        if filter
            .text
            .as_deref()
            .is_some_and(|q| !q.chars().any(char::is_alphanumeric))
        {
            return Err(ApiError::bad(
                "the search text q has no words",
                "search for words, e.g. q=troops withdrew",
            ));
        }
        Ok(filter)
    }
}

/// A CAMEO actor code prefix, upper-cased: letters and digits only ("RUS", "rusmil").
fn actor(name: &str, value: &str) -> Result<String, ApiError> {
    if value.len() <= 32 && value.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(ApiError::bad(
            format!("{name} {value:?} is not an actor code"),
            format!("give a CAMEO actor code or its prefix, e.g. {name}=RUS or {name}=RUSMIL"),
        ))
    }
}

/// A CAMEO event code or family: 2 to 4 digits ("19", "190", "0874").
fn code(value: &str) -> Result<String, ApiError> {
    if (1..=4).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err(ApiError::bad(
            format!("code {value:?} is not a CAMEO event code"),
            "give a CAMEO code or its family, e.g. code=19 or code=0874",
        ))
    }
}

fn quad(value: &str) -> Result<u8, ApiError> {
    match value {
        "1" => Ok(1),
        "2" => Ok(2),
        "3" => Ok(3),
        "4" => Ok(4),
        _ => Err(ApiError::bad(
            format!("unknown quad class {value:?}"),
            "give quad=1 (verbal cooperation), 2 (material cooperation), 3 (verbal conflict) \
             or 4 (material conflict)",
        )),
    }
}

/// YYYY, YYYY-MM or YYYY-MM-DD naming a real period.
fn date(name: &str, value: &str) -> Result<String, ApiError> {
    let bad = || {
        ApiError::bad(
            format!("{name} {value:?} is not a date"),
            format!("give YYYY, YYYY-MM or YYYY-MM-DD, e.g. {name}=2017-12"),
        )
    };
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && matches!(m.parse::<u8>(), Ok(1..=12)),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && value.parse::<jiff::civil::Date>().is_ok()
        }
        _ => false,
    };
    if ok {
        Ok(value.to_owned())
    } else {
        Err(bad())
    }
}

/// The first day of a YYYY, YYYY-MM or YYYY-MM-DD period, as a comparable string.
fn period_start(value: &str) -> String {
    match value.len() {
        4 => format!("{value}-01-01"),
        7 => format!("{value}-01"),
        _ => value.to_owned(),
    }
}

fn country(value: &str) -> Result<String, ApiError> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(ApiError::bad(
            format!("country {value:?} is not an ISO 3166-1 alpha-2 code"),
            "give two letters, e.g. country=SY",
        ))
    }
}

fn text(name: &str, value: &str) -> Result<String, ApiError> {
    if value.len() <= 500 {
        Ok(value.to_owned())
    } else {
        Err(ApiError::bad(
            format!("{name} is longer than 500 bytes"),
            format!("give a shorter {name}"),
        ))
    }
}

fn mentions(value: &str) -> Result<bool, ApiError> {
    match value {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ApiError::bad(
            format!("mentions {value:?} is not true or false"),
            "give mentions=true for one row per mention, mentions=false for merged events",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(query: &str) -> Result<EventFilter, ApiError> {
        Params::parse(Some(query), &[FILTERS])?.filter()
    }

    #[test]
    fn filters_are_read_and_normalized() {
        let f = filter("actor=rus&target=SYR&code=19&quad=4&from=2016-01&to=2017-12-31&country=sy&q=troops+withdrew&mentions=true").unwrap();
        assert_eq!(f.actor.as_deref(), Some("RUS"));
        assert_eq!(f.target.as_deref(), Some("SYR"));
        assert_eq!(f.code.as_deref(), Some("19"));
        assert_eq!(f.quad, Some(4));
        assert_eq!(f.from.as_deref(), Some("2016-01"));
        assert_eq!(f.country.as_deref(), Some("SY"));
        assert_eq!(f.text.as_deref(), Some("troops withdrew"));
        assert!(f.mentions);
        assert_eq!(filter("").unwrap(), EventFilter::default());
        assert_eq!(filter("actor=&place=").unwrap(), EventFilter::default());
    }

    #[test]
    fn bad_parameters_are_refused() {
        for query in [
            "colour=red",
            "actor=RUS&actor=SYR",
            "actor=R%20S",
            "code=abc",
            "code=19001",
            "quad=5",
            "quad=conflict",
            "from=2017-13",
            "from=2017-02-30",
            "to=yesterday",
            "from=2018&to=2017",
            "country=SYR",
            "mentions=maybe",
            "q=...",
        ] {
            assert!(filter(query).is_err(), "{query}");
        }
        assert!(filter("from=2017&to=2017-03").is_ok());
        assert!(filter("from=2017-03&to=2017").is_ok());
    }

    #[test]
    fn limits_and_offsets_are_bounded() {
        let p = Params::parse(Some("limit=1000&offset=20"), &[&["limit", "offset"]]).unwrap();
        assert_eq!(p.limit(50).unwrap(), 1000);
        assert_eq!(p.offset().unwrap(), 20);
        for query in ["limit=0", "limit=1001", "limit=-1", "limit=ten"] {
            let p = Params::parse(Some(query), &[&["limit"]]).unwrap();
            assert!(p.limit(50).is_err(), "{query}");
        }
        let p = Params::parse(None, &[&["limit"]]).unwrap();
        assert_eq!(p.limit(50).unwrap(), 50);
    }
}
