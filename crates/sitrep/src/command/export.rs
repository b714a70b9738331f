//! `sitrep export`: stored events as JSONL, CSV, GDELT 2.0 or Parquet, read from the store page by
//! page and written as they come, so an export of millions of events needs little memory.
//!
//! The formats live in submodules, shared with `sitrep events --format`:
//! - [`flat`]: one column per event field (CSV, Parquet);
//! - [`gdelt`]: GDELT 2.0's 61 tab-separated columns, with the ISO → FIPS 10-4 country table;
//! - `parquet_file`: Parquet, built with the `parquet` cargo feature only.

mod flat;
mod gdelt;
#[cfg(feature = "parquet")]
mod parquet_file;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use sitrep_store::EventRecord;

use super::events;
use super::ingest::store_error;
use super::progress::plural;
use crate::cli::{ExportArgs, ExportFormat};
use crate::report::{self, Hinted, Status};

pub(crate) use gdelt::Countries;

/// Events asked of the store at once.
const PAGE: usize = 1000;

/// Writes pages of events in one format.
pub(crate) enum EventWriter<W: Write + Send> {
    Jsonl(W),
    Csv(Box<flat::CsvWriter<W>>),
    Gdelt(gdelt::GdeltWriter<W>),
    #[cfg(feature = "parquet")]
    Parquet(Box<parquet_file::ParquetWriter<W>>),
}

impl<W: Write + Send> EventWriter<W> {
    /// A writer of `format` over `out`; `header` adds a header row to GDELT files. Fails for
    /// Parquet in a binary built without the `parquet` feature.
    pub(crate) fn new(format: ExportFormat, out: W, header: bool) -> anyhow::Result<Self> {
        Ok(match format {
            ExportFormat::Jsonl => EventWriter::Jsonl(out),
            ExportFormat::Csv => EventWriter::Csv(Box::new(flat::CsvWriter::new(out)?)),
            ExportFormat::Gdelt => EventWriter::Gdelt(gdelt::GdeltWriter::new(out, header)?),
            #[cfg(feature = "parquet")]
            ExportFormat::Parquet => {
                EventWriter::Parquet(Box::new(parquet_file::ParquetWriter::new(out)?))
            }
            #[cfg(not(feature = "parquet"))]
            ExportFormat::Parquet => {
                drop(out);
                return Err(Hinted::error(
                    "this sitrep was built without Parquet support (the `parquet` cargo feature)",
                    "build it with: cargo install --path crates/sitrep --features parquet \
                     (or cargo build --release --features parquet); or export --format csv",
                ));
            }
        })
    }

    pub(crate) fn write(&mut self, events: &[EventRecord]) -> io::Result<()> {
        match self {
            EventWriter::Jsonl(out) => {
                for event in events {
                    serde_json::to_writer(&mut *out, event)?;
                    out.write_all(b"\n")?;
                }
                Ok(())
            }
            EventWriter::Csv(w) => w.write(events),
            EventWriter::Gdelt(w) => w.write(events),
            #[cfg(feature = "parquet")]
            EventWriter::Parquet(w) => w.write(events),
        }
    }

    /// Flushes everything (Parquet writes its footer) and hands the output back.
    pub(crate) fn finish(self) -> io::Result<W> {
        let mut out = match self {
            EventWriter::Jsonl(out) => out,
            EventWriter::Csv(w) => w.finish()?,
            EventWriter::Gdelt(w) => w.finish()?,
            #[cfg(feature = "parquet")]
            EventWriter::Parquet(w) => w.finish()?,
        };
        out.flush()?;
        Ok(out)
    }
}

/// What went wrong while writing, as the command reports it.
enum Failure {
    Store(anyhow::Error),
    Write(io::Error),
}

impl From<io::Error> for Failure {
    fn from(err: io::Error) -> Failure {
        Failure::Write(err)
    }
}

pub(crate) fn run(args: ExportArgs) -> anyhow::Result<Status> {
    let filter = events::filter(&args.filter)?;
    if args.header && args.format != ExportFormat::Gdelt {
        return Err(Hinted::error(
            "--header only applies to --format gdelt",
            "csv files always start with a header row; leave --header out",
        ));
    }
    if args.format == ExportFormat::Parquet && args.out.is_none() && io::stdout().is_terminal() {
        return Err(Hinted::error(
            "refusing to write a Parquet file to the terminal",
            "write it to a file: --out events.parquet (or redirect stdout)",
        ));
    }
    if cfg!(not(feature = "parquet")) && args.format == ExportFormat::Parquet {
        // Fail before opening anything.
        EventWriter::new(args.format, io::sink(), false)?;
    }
    let mut store = events::open(&args.db)?;
    let limit = args.limit.unwrap_or(u64::MAX);

    let (written, total) = match &args.out {
        None => {
            let out = BufWriter::new(io::stdout());
            let writer = EventWriter::new(args.format, out, args.header)?;
            match export(&mut store, filter, limit, writer) {
                Ok(counts) => counts,
                Err(Failure::Store(err)) => return Err(err),
                Err(Failure::Write(err)) if err.kind() == io::ErrorKind::BrokenPipe => {
                    return Ok(Status::Success)
                }
                Err(Failure::Write(err)) => {
                    let err = anyhow::Error::new(err).context("could not write to stdout");
                    if report::is_broken_pipe(&err) {
                        return Ok(Status::Success);
                    }
                    return Err(err);
                }
            }
        }
        Some(path) => {
            let partial = partial_path(path);
            let file = File::create(&partial).map_err(|e| {
                Hinted::error(
                    format!("could not create {}: {e}", partial.display()),
                    "check that the folder exists and is writable, or choose another --out",
                )
            })?;
            let writer = EventWriter::new(args.format, BufWriter::new(file), args.header)?;
            let result = export(&mut store, filter, limit, writer);
            let counts = match result {
                Ok(counts) => counts,
                Err(failure) => {
                    let _ = std::fs::remove_file(&partial);
                    return Err(match failure {
                        Failure::Store(err) => err,
                        Failure::Write(err) => anyhow::Error::new(err)
                            .context(format!("could not write {}", path.display())),
                    });
                }
            };
            std::fs::rename(&partial, path).with_context(|| {
                format!("could not move {} to {}", partial.display(), path.display())
            })?;
            counts
        }
    };
    if !args.quiet {
        let what = if args.filter.mentions {
            plural(written, "mention", "mentions")
        } else {
            plural(written, "event", "events")
        };
        let to = match &args.out {
            Some(path) => path.display().to_string(),
            None => "stdout".to_owned(),
        };
        if total == 0 {
            eprintln!(
                "sitrep: no {} in {} matches the filters; {to} holds no rows",
                if args.filter.mentions {
                    "mention"
                } else {
                    "event"
                },
                store.name()
            );
        } else {
            eprintln!("sitrep: {written} {what} written to {to}");
        }
    }
    Ok(Status::Success)
}

/// `FILE.partial` next to `path`: written first, renamed to `path` once complete.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Writes every event `filter` selects (at most `limit`), page by page; returns how many were
/// written and how many matched. Pages follow each other by keyset (each starts after the last
/// row of the one before), and only the first counts the matches, so an export of millions of
/// events reads each row once.
fn export<W: Write + Send>(
    store: &mut sitrep_store::Store,
    mut filter: sitrep_store::EventFilter,
    limit: u64,
    mut writer: EventWriter<W>,
) -> Result<(u64, u64), Failure> {
    let mut written = 0u64;
    let mut total = None;
    filter.offset = 0;
    filter.after = None;
    while written < limit {
        filter.limit = PAGE.min(usize::try_from(limit - written).unwrap_or(PAGE));
        filter.skip_total = total.is_some();
        let page = store
            .events(&filter)
            .map_err(|e| Failure::Store(store_error(e)))?;
        let total = *total.get_or_insert(page.total);
        let Some(last) = page.events.last() else {
            break;
        };
        filter.after = Some(sitrep_store::EventCursor::after(last));
        let take = page
            .events
            .len()
            .min(usize::try_from(limit - written).unwrap_or(usize::MAX));
        writer.write(&page.events[..take])?;
        written += take as u64;
        if page.events.len() < filter.limit || written >= total {
            break;
        }
    }
    writer.finish()?;
    Ok((written, total.unwrap_or(0)))
}

#[cfg(test)]
pub(crate) mod tests {
    use sitrep_store::{EventPlaceRecord, Evidence};

    use super::*;

    /// A merged event as the store returns it.
    pub(crate) fn event() -> EventRecord {
        EventRecord {
            id: 7,
            code: "0874".into(),
            root: "08".into(),
            plover: Some("RETREAT".into()),
            goldstein: 9.0,
            quad: 2,
            source: Some("RUSGOV".into()),
            source_text: Some("Russian President Vladimir Putin".into()),
            target: Some("SYR".into()),
            target_text: Some("Syria".into()),
            date: Some("2017-12-11".into()),
            date_precision: Some("day".into()),
            date_from: "text".into(),
            place: Some(EventPlaceRecord {
                name: "Aleppo".into(),
                country: Some("SY".into()),
                lat: 36.20124,
                lon: 37.16117,
            }),
            mentions: 3,
            documents: 2,
            confidence: 0.82,
            evidence: Evidence {
                doc: "doc-1".into(),
                title: Some("Putin orders withdrawal".into()),
                url: Some("https://example.org/a b".into()),
                published: Some("2017-12-12".into()),
                sentence: 4,
                text: "Putin ordered a partial withdrawal of Russian forces from Syria.".into(),
                trigger: [6, 13],
            },
        }
    }

    #[test]
    fn jsonl_is_one_event_record_per_line() {
        let mut w = EventWriter::new(ExportFormat::Jsonl, Vec::new(), false).unwrap();
        w.write(&[event(), event()]).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["code"], "0874");
        assert_eq!(lines[0]["evidence"]["trigger"], serde_json::json!([6, 13]));
        assert_eq!(lines[0]["place"]["country"], "SY");
    }

    #[test]
    fn the_partial_file_sits_next_to_the_output() {
        assert_eq!(
            partial_path(Path::new("out/events.csv")),
            Path::new("out/events.csv.partial")
        );
    }

    #[cfg(not(feature = "parquet"))]
    #[test]
    fn parquet_without_the_feature_names_the_feature() {
        let Err(err) = EventWriter::new(ExportFormat::Parquet, Vec::new(), false) else {
            panic!("parquet needs the feature");
        };
        let hinted = err.downcast_ref::<Hinted>().unwrap();
        assert!(hinted.message.contains("`parquet` cargo feature"));
        assert!(hinted.hint.contains("--features parquet"));
    }
}
