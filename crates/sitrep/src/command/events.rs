//! `sitrep events`: stored events with filters and paging, as a table or in the export formats.
//!
//! Also home to what `events`, `timeline` and `export` share: opening the store and turning the
//! filter flags into a checked [`EventFilter`].

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use sitrep_store::{Backend, EventFilter, EventRecord, Store};

use super::export::{Countries, EventWriter};
use super::ingest::store_error;
use crate::cli::{EventFilterArgs, EventsArgs, EventsFormat, ExportFormat};
use crate::report::{self, Hinted, Status};

/// The evidence column is cut to this many characters, around the trigger.
const EVIDENCE_WIDTH: usize = 80;
/// Place names longer than this are cut in the table.
const PLACE_WIDTH: usize = 24;
/// The largest page the store serves.
const MAX_PAGE: usize = 10_000;

/// Opens the store `db` names; a SQLite file that does not exist is an error (reading commands
/// never create one) with a hint to ingest first.
pub(crate) fn open(db: &str) -> anyhow::Result<Store> {
    if Backend::of(db) == Backend::Sqlite && !Path::new(db).exists() {
        return Err(Hinted::error(
            format!("database {db}: no such file"),
            format!("store some articles first: sitrep ingest ARTICLES --db {db}, or pass --db"),
        ));
    }
    Store::open(db).map_err(store_error)
}

/// The store filter the flags describe, checked: codes upper-cased, dates valid, countries known.
/// Paging is left at zero for the caller to set.
pub(crate) fn filter(args: &EventFilterArgs) -> anyhow::Result<EventFilter> {
    let code = |flag: &str, value: &Option<String>| -> anyhow::Result<Option<String>> {
        let Some(value) = value.as_deref().map(str::trim) else {
            return Ok(None);
        };
        if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Hinted::error(
                format!("--{flag} {value:?} is not a CAMEO actor code"),
                format!("actor codes are letters and digits, e.g. --{flag} RUS or --{flag} RUSGOV"),
            ));
        }
        Ok(Some(value.to_ascii_uppercase()))
    };
    let event_code = match args.code.as_deref().map(str::trim) {
        None => None,
        Some(c) if !c.is_empty() && c.len() <= 4 && c.chars().all(|c| c.is_ascii_digit()) => {
            Some(c.to_owned())
        }
        Some(c) => {
            return Err(Hinted::error(
                format!("--code {c:?} is not a CAMEO event code"),
                "event codes are 2 to 4 digits: --code 19 (fight), --code 190, --code 0874",
            ))
        }
    };
    let from = args.from.as_deref().map(|d| date("from", d)).transpose()?;
    let to = args.to.as_deref().map(|d| date("to", d)).transpose()?;
    if let (Some(from), Some(to)) = (&from, &to) {
        if period_start(from) > period_end(to) {
            return Err(Hinted::error(
                format!("--from {from} is after --to {to}"),
                "swap them, or leave one out",
            ));
        }
    }
    let country = match args.country.as_deref().map(str::trim) {
        None => None,
        Some(c) => {
            let countries = Countries::get();
            let found = match c.len() {
                2 => countries.by_iso2(c),
                3 => countries.by_iso3(c),
                _ => None,
            };
            match found {
                Some(country) => Some(country.iso2.to_owned()),
                None => {
                    return Err(Hinted::error(
                        format!("--country {c:?} is not an ISO 3166-1 country code"),
                        "use a two- or three-letter code: --country SY or --country SYR",
                    ))
                }
            }
        }
    };
    let nonempty = |flag: &str, value: &Option<String>| -> anyhow::Result<Option<String>> {
        match value.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Err(Hinted::error(
                format!("--{flag} is empty"),
                format!("give it a value, or leave --{flag} out"),
            )),
            Some(v) => Ok(Some(v.to_owned())),
        }
    };
    Ok(EventFilter {
        actor: code("actor", &args.actor)?,
        target: code("target", &args.target)?,
        either: code("either", &args.either)?,
        code: event_code,
        quad: args.quad.map(|q| q.number()),
        from,
        to,
        place: nonempty("place", &args.place)?,
        country,
        text: nonempty("text", &args.text)?,
        mentions: args.mentions,
        limit: 0,
        offset: 0,
        after: None,
        skip_total: false,
    })
}

/// `value` checked as YYYY, YYYY-MM or YYYY-MM-DD.
fn date(flag: &str, value: &str) -> anyhow::Result<String> {
    let value = value.trim();
    let bad = || {
        Hinted::error(
            format!("--{flag} {value:?} is not a date"),
            format!("write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. --{flag} 2017-12"),
        )
    };
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    let ok = match parts[..] {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u8>().unwrap_or(0)),
        [_, _, _] => value.parse::<jiff::civil::Date>().is_ok() && digits(parts[0], 4),
        _ => false,
    };
    if ok {
        Ok(value.to_owned())
    } else {
        Err(bad())
    }
}

/// The first day of a checked date's period, as YYYY-MM-DD (sorts as text).
fn period_start(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-01-01"),
        7 => format!("{date}-01"),
        _ => date.to_owned(),
    }
}

/// The last day of a checked date's period, as YYYY-MM-DD (31 for any month: enough to compare).
fn period_end(date: &str) -> String {
    match date.len() {
        4 => format!("{date}-12-31"),
        7 => format!("{date}-31"),
        _ => date.to_owned(),
    }
}

/// Whether to colour stdout: a terminal, and `NO_COLOR` unset or empty.
pub(crate) fn colour() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The exit status for a finished write to stdout: a closed pipe (`| head`) is success.
pub(crate) fn written(result: io::Result<()>) -> anyhow::Result<Status> {
    match result {
        Ok(()) => Ok(Status::Success),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(Status::Success),
        Err(err) => {
            let err = anyhow::Error::new(err).context("could not write to stdout");
            if report::is_broken_pipe(&err) {
                return Ok(Status::Success);
            }
            Err(err)
        }
    }
}

pub(crate) fn run(args: EventsArgs) -> anyhow::Result<Status> {
    let mut filter = filter(&args.filter)?;
    if args.header && args.format != EventsFormat::Gdelt {
        return Err(Hinted::error(
            "--header only applies to --format gdelt",
            "csv output always starts with a header row; leave --header out",
        ));
    }
    if args.limit == 0 || args.limit > MAX_PAGE {
        return Err(Hinted::error(
            format!("--limit {} is out of range", args.limit),
            format!(
                "show 1 to {MAX_PAGE} events at a time, or write them all with `sitrep export`"
            ),
        ));
    }
    let mut store = open(&args.db)?;
    let mentions_mode = args.filter.mentions || args.mentions_of.is_some();
    let noun = if mentions_mode { "mention" } else { "event" };

    let (events, footer) = if let Some(id) = args.mentions_of {
        let mentions = store.mentions(id).map_err(store_error)?;
        if mentions.is_empty() {
            return Err(Hinted::error(
                format!("database {}: no merged event {id}", store.name()),
                "take an ID from the first column of `sitrep events` (not of `--mentions`)",
            ));
        }
        let n = mentions.len() as u64;
        let footer = format!(
            "sitrep: {n} {} of event {id}",
            super::progress::plural(n, "mention", "mentions")
        );
        (mentions, Some(footer))
    } else {
        filter.limit = args.limit;
        filter.offset = match (args.offset, args.page) {
            (Some(offset), _) => offset,
            (None, Some(page)) => usize::try_from(page - 1)
                .unwrap_or(usize::MAX)
                .saturating_mul(args.limit),
            (None, None) => 0,
        };
        let page = store.events(&filter).map_err(store_error)?;
        if page.events.is_empty() {
            if page.total == 0 {
                eprintln!("sitrep: no {noun} in {} matches the filters", store.name());
            } else {
                eprintln!(
                    "sitrep: {} {noun}s match, none from number {} on; try a smaller --page or --offset",
                    page.total,
                    filter.offset + 1
                );
            }
            return Ok(Status::Success);
        }
        let first = filter.offset + 1;
        let last = filter.offset + page.events.len();
        let mut footer = format!(
            "sitrep: {noun}s {first}-{last} of {} in {}",
            page.total,
            store.name()
        );
        if (last as u64) < page.total {
            footer.push_str(&format!(
                "; next: --page {} (or --offset {last}); all of them: sitrep export",
                last / args.limit + 1
            ));
        }
        (page.events, Some(footer))
    };

    let mut out = BufWriter::new(io::stdout());
    let result = match args.format {
        EventsFormat::Table => {
            write_table(&mut out, &events, mentions_mode, colour()).and_then(|()| out.flush())
        }
        format => {
            let format = match format {
                EventsFormat::Csv => ExportFormat::Csv,
                EventsFormat::Jsonl => ExportFormat::Jsonl,
                _ => ExportFormat::Gdelt,
            };
            let mut writer = EventWriter::new(format, &mut out, args.header)?;
            writer
                .write(&events)
                .and_then(|()| writer.finish())
                .map(drop)
        }
    };
    let status = written(result)?;
    if let Some(footer) = footer {
        if args.format == EventsFormat::Table && events.iter().any(|e| e.date_from == "published") {
            eprintln!("sitrep: * dated by the article's publication date (the text gives none)");
        }
        eprintln!("{footer}");
    }
    Ok(status)
}

/// Aligned columns: ID, DATE, CODE, SOURCE → TARGET, PLACE, MENTIONS (or DOC), EVIDENCE.
fn write_table(
    out: &mut impl Write,
    events: &[EventRecord],
    mentions: bool,
    colour: bool,
) -> io::Result<()> {
    let rows: Vec<[String; 6]> = events
        .iter()
        .map(|e| {
            let mut date = e.date.clone().unwrap_or_else(|| "-".to_owned());
            if e.date_from == "published" {
                date.push('*');
            }
            let actors = format!(
                "{} → {}",
                e.source.as_deref().unwrap_or("-"),
                e.target.as_deref().unwrap_or("-")
            );
            let place = match &e.place {
                Some(p) => match &p.country {
                    Some(c) => format!("{}, {c}", p.name),
                    None => p.name.clone(),
                },
                None => "-".to_owned(),
            };
            let count = if mentions {
                cut(&e.evidence.doc, 12)
            } else {
                e.mentions.to_string()
            };
            [
                e.id.to_string(),
                date,
                e.code.clone(),
                actors,
                cut(&place, PLACE_WIDTH),
                count,
            ]
        })
        .collect();
    let header = [
        "ID",
        "DATE",
        "CODE",
        "SOURCE → TARGET",
        "PLACE",
        if mentions { "DOC" } else { "MENTIONS" },
    ];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let (bold, plain) = if colour {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    let cells = |out: &mut dyn Write, cells: [&str; 6]| -> io::Result<()> {
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            // Numbers align right.
            if i == 0 || i == 5 && !mentions {
                write!(out, "{:pad$}{cell}  ", "")?;
            } else {
                write!(out, "{cell}{:pad$}  ", "")?;
            }
        }
        Ok(())
    };
    cells(out, header)?;
    writeln!(out, "EVIDENCE")?;
    for (row, event) in rows.iter().zip(events) {
        cells(out, [&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]])?;
        let (before, trigger, after) =
            excerpt(&event.evidence.text, event.evidence.trigger, EVIDENCE_WIDTH);
        writeln!(out, "{before}{bold}{trigger}{plain}{after}")?;
    }
    Ok(())
}

/// Whitespace runs as single spaces.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sentence cut to about `width` characters around the trigger, as (before, trigger, after).
fn excerpt(sentence: &str, [start, end]: [usize; 2], width: usize) -> (String, String, String) {
    let (Some(before), Some(trigger), Some(after)) = (
        sentence.get(..start),
        sentence.get(start..end),
        sentence.get(end..),
    ) else {
        return (cut(&squeeze(sentence), width), String::new(), String::new());
    };
    let lead = if before.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let trail = if after.starts_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let before = format!("{}{lead}", squeeze(before));
    let before = before.trim_start().to_owned();
    let trigger = squeeze(trigger);
    let after = format!("{trail}{}", squeeze(after));
    let count = |s: &str| s.chars().count();
    if count(&before) + count(&trigger) + count(&after) <= width {
        return (before, trigger, after);
    }
    let room = width.saturating_sub(count(&trigger));
    // A third of the room before the trigger, the rest after (more if the sentence ends soon).
    let after_room = (room - room / 3).min(count(&after));
    let before_room = room - after_room;
    let before = if count(&before) > before_room {
        let skip = count(&before) - before_room.saturating_sub(1);
        let kept: String = before.chars().skip(skip).collect();
        // Start at a word when there is one to start at.
        let kept = match kept.find(' ') {
            Some(i) if i + 1 < kept.len() => &kept[i + 1..],
            _ => &kept,
        };
        format!("…{kept}")
    } else {
        before
    };
    let after = if count(&after) > after_room {
        let kept: String = after.chars().take(after_room.saturating_sub(1)).collect();
        // End after a word when there is one to end after.
        let kept = match kept.trim_end().rfind(' ') {
            Some(i) if i > 0 => &kept[..i],
            _ => &kept,
        };
        format!("{kept}…")
    } else {
        after
    };
    (before, trigger, after)
}

/// `text` cut to `width` characters, with "…" when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Quad;
    use crate::command::export::tests::event;

    #[test]
    fn filters_are_checked_and_normalised() {
        let args = EventFilterArgs {
            actor: Some("rus".into()),
            either: Some(" SyrReb ".into()),
            code: Some("19".into()),
            quad: Some(Quad::MaterialConflict),
            from: Some("2015".into()),
            to: Some("2017-12".into()),
            country: Some("syr".into()),
            place: Some("Aleppo".into()),
            ..Default::default()
        };
        let f = filter(&args).unwrap();
        assert_eq!(f.actor.as_deref(), Some("RUS"));
        assert_eq!(f.either.as_deref(), Some("SYRREB"));
        assert_eq!(f.code.as_deref(), Some("19"));
        assert_eq!(f.quad, Some(4));
        assert_eq!(f.from.as_deref(), Some("2015"));
        assert_eq!(f.to.as_deref(), Some("2017-12"));
        assert_eq!(f.country.as_deref(), Some("SY"));
        assert!(!f.mentions);
    }

    #[test]
    fn bad_filters_say_what_is_wrong_and_how_to_fix_it() {
        let bad = [
            EventFilterArgs {
                from: Some("2017-13".into()),
                ..Default::default()
            },
            EventFilterArgs {
                to: Some("2017-02-30".into()),
                ..Default::default()
            },
            EventFilterArgs {
                from: Some("yesterday".into()),
                ..Default::default()
            },
            EventFilterArgs {
                from: Some("2018".into()),
                to: Some("2017-12".into()),
                ..Default::default()
            },
            EventFilterArgs {
                code: Some("fight".into()),
                ..Default::default()
            },
            EventFilterArgs {
                actor: Some("RUS GOV".into()),
                ..Default::default()
            },
            EventFilterArgs {
                country: Some("Syria".into()),
                ..Default::default()
            },
            EventFilterArgs {
                text: Some(" ".into()),
                ..Default::default()
            },
        ];
        for args in bad {
            let err = filter(&args).expect_err(&format!("{args:?}"));
            let hinted = err.downcast_ref::<Hinted>().expect("a hint");
            assert!(hinted.message.starts_with("--"), "{}", hinted.message);
            assert!(!hinted.hint.is_empty());
        }
        let same_month = EventFilterArgs {
            from: Some("2017-12-05".into()),
            to: Some("2017-12".into()),
            ..Default::default()
        };
        assert!(filter(&same_month).is_ok());
    }

    #[test]
    fn the_table_aligns_columns_and_marks_publication_dates() {
        let mut second = event();
        second.id = 12;
        second.source = None;
        second.place = None;
        second.date_from = "published".into();
        second.mentions = 11;
        let mut out = Vec::new();
        write_table(&mut out, &[event(), second], false, false).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "ID  DATE         CODE  SOURCE → TARGET  PLACE       MENTIONS  EVIDENCE\n \
             7  2017-12-11   0874  RUSGOV → SYR     Aleppo, SY         3  \
             Putin ordered a partial withdrawal of Russian forces from Syria.\n\
             12  2017-12-11*  0874  - → SYR          -                 11  \
             Putin ordered a partial withdrawal of Russian forces from Syria.\n"
        );
    }

    #[test]
    fn mentions_show_their_document() {
        let mut out = Vec::new();
        write_table(&mut out, &[event()], true, false).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with("ID  DATE        CODE  SOURCE → TARGET  PLACE       DOC    EVIDENCE\n")
        );
        assert!(out.contains("  doc-1  Putin"));
    }

    #[test]
    fn colour_makes_the_trigger_bold() {
        let mut out = Vec::new();
        write_table(&mut out, &[event()], false, true).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("Putin \x1b[1mordered\x1b[0m a partial"));
    }

    #[test]
    fn long_evidence_is_cut_around_the_trigger() {
        let sentence = format!("{} struck {}", "word ".repeat(40), "more ".repeat(40));
        let start = sentence.find("struck").unwrap();
        let (before, trigger, after) = excerpt(&sentence, [start, start + 6], 40);
        assert_eq!(trigger, "struck");
        assert!(
            before.starts_with('…') && before.ends_with(' '),
            "{before:?}"
        );
        assert!(after.ends_with('…'), "{after:?}");
        let total = before.chars().count() + trigger.chars().count() + after.chars().count();
        assert!(total <= 40, "{total}");

        // A trigger off the sentence's char boundaries: the sentence, cut.
        let (before, trigger, _) = excerpt("Ééé", [1, 2], 40);
        assert_eq!((before.as_str(), trigger.as_str()), ("Ééé", ""));
        let (before, _, after) = excerpt("  Putin\n ordered  troops out ", [9, 16], 40);
        assert_eq!((before.as_str(), after.as_str()), ("Putin ", " troops out"));
    }
}
