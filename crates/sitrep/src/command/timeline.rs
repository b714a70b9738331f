//! `sitrep timeline`: event counts per period by quad class, as a table with a bar chart, CSV or
//! JSONL.

use std::io::{self, BufWriter, Write};

use jiff::civil::Date;
use jiff::ToSpan;
use sitrep_store::{Period, TimelineBucket};

use super::events;
use super::ingest::store_error;
use crate::cli::{By, TimelineArgs, TimelineFormat};
use crate::report::Status;

/// The longest bar, in characters.
const BAR_WIDTH: u64 = 40;
/// Up to this many periods without events in a row show as empty rows; more as one gap line.
const MAX_EMPTY_ROWS: usize = 3;
/// One glyph per quad class (1-4), told apart without colour.
const GLYPHS: [char; 4] = ['░', '▒', '▓', '█'];
/// ANSI colours per quad class when colour is on: cyan, green, yellow, red.
const COLOURS: [&str; 4] = ["\x1b[36m", "\x1b[32m", "\x1b[33m", "\x1b[31m"];
const QUAD_NAMES: [&str; 4] = [
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
];

pub(crate) fn run(args: TimelineArgs) -> anyhow::Result<Status> {
    let filter = events::filter(&args.filter)?;
    let mut store = events::open(&args.db)?;
    let by = match args.by {
        By::Day => Period::Day,
        By::Week => Period::Week,
        By::Month => Period::Month,
        By::Year => Period::Year,
    };
    let buckets = store.timeline(&filter, by).map_err(store_error)?;
    if buckets.is_empty() {
        eprintln!(
            "sitrep: no dated {} in {} matches the filters",
            if args.filter.mentions {
                "mention"
            } else {
                "event"
            },
            store.name()
        );
        return Ok(Status::Success);
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let result = match args.format {
        TimelineFormat::Table => print_chart(&mut out, &buckets, by),
        TimelineFormat::Csv => write_csv(&mut out, &buckets),
        TimelineFormat::Jsonl => buckets.iter().try_for_each(|b| {
            serde_json::to_writer(&mut out, b)?;
            out.write_all(b"\n")
        }),
    }
    .and_then(|()| out.flush());
    events::written(result)
}

/// The table and bar chart of `buckets` (as [`Store::timeline`](sitrep_store::Store::timeline)
/// returns them) with empty periods filled in, coloured when stdout is a terminal and `NO_COLOR`
/// is unset. `sitrep demo` prints its timeline with this too.
pub(crate) fn print_chart(
    out: &mut impl Write,
    buckets: &[TimelineBucket],
    by: Period,
) -> io::Result<()> {
    write_chart(out, &fill(buckets, by), by, events::colour())
}

/// The next period's first day after `start`.
fn next(start: Date, by: Period) -> Option<Date> {
    let step = match by {
        Period::Day => 1.day(),
        Period::Week => 1.week(),
        Period::Month => 1.month(),
        Period::Year => 1.year(),
    };
    start.checked_add(step).ok()
}

/// A row of the chart.
#[derive(Clone, Debug, PartialEq)]
enum Row {
    Bucket(TimelineBucket),
    /// This many periods without events, too many to show one by one.
    Gap(u64),
}

/// `buckets` with the periods between them that have no events added: as zero rows when there are
/// at most [`MAX_EMPTY_ROWS`] in a row (so the chart shows short gaps to scale), else as one
/// [`Row::Gap`]. Periods that do not parse are taken as they are.
fn fill(buckets: &[TimelineBucket], by: Period) -> Vec<Row> {
    let parse = |b: &TimelineBucket| b.period.parse::<Date>().ok();
    let mut rows: Vec<Row> = Vec::with_capacity(buckets.len());
    let mut prev: Option<Date> = None;
    for bucket in buckets {
        let this = parse(bucket);
        if let (Some(prev), Some(this)) = (prev, this) {
            let mut empty = Vec::new();
            let mut skipped = 0u64;
            let mut day = next(prev, by);
            while let Some(d) = day.filter(|d| *d < this) {
                if empty.len() < MAX_EMPTY_ROWS {
                    empty.push(d);
                }
                skipped += 1;
                day = next(d, by);
            }
            if skipped > MAX_EMPTY_ROWS as u64 {
                rows.push(Row::Gap(skipped));
            } else {
                rows.extend(empty.into_iter().map(|d| {
                    Row::Bucket(TimelineBucket {
                        period: d.to_string(),
                        quad: [0; 4],
                        total: 0,
                    })
                }));
            }
        }
        prev = this;
        rows.push(Row::Bucket(bucket.clone()));
    }
    rows
}

/// How a period is shown: 2017-12-11, 2017-W50, 2017-12 or 2017.
fn label(period: &str, by: Period) -> String {
    match by {
        Period::Day => period.to_owned(),
        Period::Week => match period.parse::<Date>() {
            Ok(d) => {
                let week = d.iso_week_date();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
            Err(_) => period.to_owned(),
        },
        Period::Month => period.get(..7).unwrap_or(period).to_owned(),
        Period::Year => period.get(..4).unwrap_or(period).to_owned(),
    }
}

/// Bar segment lengths per quad class for `quad` counts, the longest bar ([`BAR_WIDTH`]) standing
/// for `max` events. A period with events gets at least one character.
fn segments(quad: [u64; 4], max: u64) -> [usize; 4] {
    let scale = |n: u64| -> u64 {
        if max <= BAR_WIDTH {
            n
        } else {
            (n * BAR_WIDTH + max / 2) / max
        }
    };
    let mut lengths = [0usize; 4];
    let mut sum = 0u64;
    let mut drawn = 0u64;
    for (i, n) in quad.iter().enumerate() {
        sum += n;
        let upto = scale(sum);
        lengths[i] = usize::try_from(upto - drawn).unwrap_or(0);
        drawn = upto;
    }
    if drawn == 0 && sum > 0 {
        let biggest = (0..4).max_by_key(|&i| quad[i]).unwrap_or(0);
        lengths[biggest] = 1;
    }
    lengths
}

/// The table: period, the four counts, the total and a stacked bar; a legend below.
fn write_chart(out: &mut impl Write, chart: &[Row], by: Period, colour: bool) -> io::Result<()> {
    let header = ["PERIOD", "V.COOP", "M.COOP", "V.CONF", "M.CONF", "TOTAL"];
    let buckets: Vec<&TimelineBucket> = chart
        .iter()
        .filter_map(|row| match row {
            Row::Bucket(b) => Some(b),
            Row::Gap(_) => None,
        })
        .collect();
    let rows: Vec<[String; 6]> = buckets
        .iter()
        .map(|b| {
            [
                label(&b.period, by),
                b.quad[0].to_string(),
                b.quad[1].to_string(),
                b.quad[2].to_string(),
                b.quad[3].to_string(),
                b.total.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let max = buckets.iter().map(|b| b.total).max().unwrap_or(0);
    let line = |out: &mut dyn Write, cells: [&str; 6]| -> io::Result<()> {
        write!(out, "{:<w$}", cells[0], w = widths[0])?;
        for (cell, w) in cells[1..].iter().zip(&widths[1..]) {
            write!(out, "  {cell:>w$}")?;
        }
        Ok(())
    };
    line(out, header)?;
    writeln!(out)?;
    let mut rows = rows.iter().zip(&buckets);
    for item in chart {
        let Row::Bucket(_) = item else {
            if let Row::Gap(n) = item {
                let unit = match by {
                    Period::Day => ("day", "days"),
                    Period::Week => ("week", "weeks"),
                    Period::Month => ("month", "months"),
                    Period::Year => ("year", "years"),
                };
                let unit = super::progress::plural(*n, unit.0, unit.1);
                writeln!(
                    out,
                    "{:<w$}  ({n} {unit} without events)",
                    "⋮",
                    w = widths[0]
                )?;
            }
            continue;
        };
        let Some((row, bucket)) = rows.next() else {
            break;
        };
        line(out, [&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]])?;
        let lengths = segments(bucket.quad, max);
        if lengths.iter().any(|&n| n > 0) {
            write!(out, "  ")?;
        }
        for (i, n) in lengths.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let bar: String = std::iter::repeat_n(GLYPHS[i], *n).collect();
            if colour {
                write!(out, "{}{bar}\x1b[0m", COLOURS[i])?;
            } else {
                write!(out, "{bar}")?;
            }
        }
        writeln!(out)?;
    }
    let legend: Vec<String> = (0..4)
        .map(|i| format!("{} {}", GLYPHS[i], QUAD_NAMES[i]))
        .collect();
    let scale = if max <= BAR_WIDTH {
        "one block per event".to_owned()
    } else {
        format!("{max} events = {BAR_WIDTH} blocks")
    };
    writeln!(out, "\n{}; {scale}", legend.join("  "))
}

fn write_csv(out: &mut impl Write, buckets: &[TimelineBucket]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "period",
        "verbal_cooperation",
        "material_cooperation",
        "verbal_conflict",
        "material_conflict",
        "total",
    ])?;
    for b in buckets {
        w.write_record([
            b.period.clone(),
            b.quad[0].to_string(),
            b.quad[1].to_string(),
            b.quad[2].to_string(),
            b.quad[3].to_string(),
            b.total.to_string(),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(period: &str, quad: [u64; 4]) -> TimelineBucket {
        TimelineBucket {
            period: period.to_owned(),
            quad,
            total: quad.iter().sum(),
        }
    }

    #[test]
    fn periods_are_labelled_by_their_width() {
        assert_eq!(label("2017-12-11", Period::Day), "2017-12-11");
        assert_eq!(label("2017-12-11", Period::Week), "2017-W50");
        assert_eq!(label("2018-12-31", Period::Week), "2019-W01");
        assert_eq!(label("2017-12-01", Period::Month), "2017-12");
        assert_eq!(label("2017-01-01", Period::Year), "2017");
        assert_eq!(label("junk", Period::Week), "junk");
    }

    #[test]
    fn short_gaps_become_empty_rows_and_long_ones_one_line() {
        let filled = fill(
            &[
                bucket("2017-10-01", [1, 0, 0, 0]),
                bucket("2018-01-01", [0, 0, 0, 2]),
            ],
            Period::Month,
        );
        let periods: Vec<String> = filled
            .iter()
            .map(|r| match r {
                Row::Bucket(b) => b.period.clone(),
                Row::Gap(n) => format!("gap {n}"),
            })
            .collect();
        assert_eq!(
            periods,
            ["2017-10-01", "2017-11-01", "2017-12-01", "2018-01-01"]
        );
        let weeks = fill(
            &[
                bucket("2017-12-04", [1, 0, 0, 0]),
                bucket("2017-12-18", [1, 0, 0, 0]),
            ],
            Period::Week,
        );
        assert_eq!(weeks[1], Row::Bucket(bucket("2017-12-11", [0; 4])));
        let days = fill(
            &[
                bucket("1990-01-01", [1, 0, 0, 0]),
                bucket("1990-02-01", [1, 0, 0, 0]),
            ],
            Period::Day,
        );
        assert_eq!(days.len(), 3);
        assert_eq!(days[1], Row::Gap(30));
    }

    #[test]
    fn bars_scale_to_the_longest_and_keep_small_periods_visible() {
        assert_eq!(segments([1, 2, 0, 3], 6), [1, 2, 0, 3]);
        assert_eq!(segments([40, 0, 0, 40], 80), [20, 0, 0, 20]);
        assert_eq!(segments([0, 0, 1, 0], 1000), [0, 0, 1, 0]);
        assert_eq!(segments([0, 0, 0, 0], 10), [0, 0, 0, 0]);
        let full: usize = segments([100, 200, 300, 400], 1000).iter().sum();
        assert_eq!(full, 40);
    }

    #[test]
    fn the_chart_tells_quad_classes_apart_without_colour() {
        let mut out = Vec::new();
        write_chart(
            &mut out,
            &[
                Row::Bucket(bucket("2015-09-01", [1, 0, 2, 3])),
                Row::Bucket(bucket("2015-10-01", [0; 4])),
                Row::Gap(14),
            ],
            Period::Month,
            false,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "PERIOD   V.COOP  M.COOP  V.CONF  M.CONF  TOTAL\n\
             2015-09       1       0       2       3      6  ░▓▓███\n\
             2015-10       0       0       0       0      0\n\
             ⋮        (14 months without events)\n\
             \n\
             ░ verbal cooperation  ▒ material cooperation  ▓ verbal conflict  █ material conflict; \
             one block per event\n"
        );
    }

    #[test]
    fn csv_has_a_header_and_one_row_per_period() {
        let mut out = Vec::new();
        write_csv(&mut out, &[bucket("2015-09-01", [1, 0, 2, 3])]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "period,verbal_cooperation,material_cooperation,verbal_conflict,material_conflict,total\n\
             2015-09-01,1,0,2,3,6\n"
        );
    }
}
