//! Publication dates as inputs write them.

use jiff::civil::Date;

/// Parses a publication date: `2017-12-11`, an RFC 3339 time (`2017-12-11T09:30:00+03:00`), an RFC
/// 2822 time (`Mon, 11 Dec 2017 09:30:00 GMT`, as feeds write them), `2017/12/11`, or `20171211`.
/// A time keeps its own calendar date (the date where it was published), not the UTC one.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(zoned) = s.parse::<jiff::Timestamp>() {
        // An RFC 3339 time with an offset: take the date at that offset.
        if let Some(offset) = rfc3339_offset(s) {
            return Some(zoned.to_zoned(jiff::tz::TimeZone::fixed(offset)).date());
        }
        return Some(zoned.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return Some(dt.date());
    }
    if let Ok(date) = s.parse::<Date>() {
        return Some(date);
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(s) {
        return Some(zoned.date());
    }
    let digits: String = s.chars().take(10).filter(char::is_ascii_digit).collect();
    let head: String = s.chars().take(10).collect();
    if digits.len() == 8
        && (head.contains('/') || head.contains('.') || head.len() == 8 || s.len() == 8)
    {
        let (y, m, d) = (
            digits[..4].parse().ok()?,
            digits[4..6].parse().ok()?,
            digits[6..8].parse().ok()?,
        );
        return Date::new(y, m, d).ok().filter(|d| d.year() > 1800);
    }
    None
}

fn rfc3339_offset(s: &str) -> Option<jiff::tz::Offset> {
    let t = s.rfind('T').or_else(|| s.rfind(' '))?;
    let tail = &s[t..];
    if tail.ends_with('Z') || tail.ends_with('z') {
        return Some(jiff::tz::Offset::UTC);
    }
    let i = tail.rfind(['+', '-'])?;
    let sign: i32 = if tail[i..].starts_with('-') { -1 } else { 1 };
    let hm = &tail[i + 1..];
    let (h, m) = hm
        .split_once(':')
        .unwrap_or((hm.get(..2)?, hm.get(2..).unwrap_or("0")));
    let secs = sign * (h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().unwrap_or(0) * 60);
    jiff::tz::Offset::from_seconds(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn parses_the_forms_inputs_use() {
        assert_eq!(parse_date("2017-12-11"), Some(date(2017, 12, 11)));
        assert_eq!(
            parse_date("2017-12-11T23:30:00-05:00"),
            Some(date(2017, 12, 11))
        );
        assert_eq!(parse_date("2017-12-11T09:30:00Z"), Some(date(2017, 12, 11)));
        assert_eq!(parse_date("2017-12-11T09:30:00"), Some(date(2017, 12, 11)));
        assert_eq!(
            parse_date("Mon, 11 Dec 2017 09:30:00 GMT"),
            Some(date(2017, 12, 11))
        );
        assert_eq!(
            parse_date("Mon, 11 Dec 2017 09:30:00 +0300"),
            Some(date(2017, 12, 11))
        );
        assert_eq!(parse_date("2017/12/11"), Some(date(2017, 12, 11)));
        assert_eq!(parse_date("20171211"), Some(date(2017, 12, 11)));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }
}
