//! `sitrep search`: full-text search over the stored sentences (FTS5 on SQLite, tsvector on
//! PostgreSQL).

use std::io::{self, BufWriter, Write};
use std::path::Path;

use sitrep_store::{Backend, Hit, Store};

use super::ingest::store_error;
use crate::cli::{SearchArgs, SearchFormat};
use crate::report::{self, Hinted, Status};

/// Titles longer than this are cut in the table.
const TITLE_WIDTH: usize = 40;

pub(crate) fn run(args: SearchArgs) -> anyhow::Result<Status> {
    if Backend::of(&args.db) == Backend::Sqlite && !Path::new(&args.db).exists() {
        return Err(Hinted::error(
            format!("database {}: no such file", args.db),
            format!(
                "store some articles first: sitrep ingest ARTICLES --db {}, or pass --db",
                args.db
            ),
        ));
    }
    let mut store = Store::open(&args.db).map_err(store_error)?;
    let hits = store.search(&args.text, args.limit).map_err(store_error)?;
    if hits.is_empty() {
        eprintln!(
            "sitrep: no sentence in {} matches {:?}",
            store.name(),
            args.text
        );
        return Ok(Status::Success);
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let written = match args.format {
        SearchFormat::Jsonl => write_jsonl(&mut out, &hits),
        SearchFormat::Table => write_table(&mut out, &hits),
    }
    .and_then(|()| out.flush());
    match written {
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

fn write_jsonl(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, hit)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `ID  PUBLISHED  TITLE  SENTENCE`, columns padded to their widest cell.
fn write_table(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    let rows: Vec<[String; 4]> = hits
        .iter()
        .map(|hit| {
            [
                hit.id.clone(),
                hit.published.clone().unwrap_or_else(|| "-".to_owned()),
                cut(hit.title.as_deref().unwrap_or("-"), TITLE_WIDTH),
                hit.sentence
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    let header = ["ID", "PUBLISHED", "TITLE", "SENTENCE"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: [&str; 4]| -> io::Result<()> {
        for (i, cell) in cells[..3].iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            write!(out, "{cell}{:pad$}  ", "")?;
        }
        writeln!(out, "{}", cells[3])
    };
    line(out, header)?;
    for row in &rows {
        line(out, [&row[0], &row[1], &row[2], &row[3]])?;
    }
    Ok(())
}

/// `text` cut to `width` characters, with "…" when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, title: Option<&str>, sentence: &str) -> Hit {
        Hit {
            id: id.to_owned(),
            title: title.map(str::to_owned),
            published: Some("2017-12-12".to_owned()),
            index: 0,
            sentence: sentence.to_owned(),
        }
    }

    #[test]
    fn the_table_aligns_columns() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            &[
                hit(
                    "a1",
                    Some("Putin orders withdrawal"),
                    "Troops left\nAleppo.",
                ),
                hit("long-id", None, "Convoys withdrew."),
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "ID       PUBLISHED   TITLE                    SENTENCE\n\
             a1       2017-12-12  Putin orders withdrawal  Troops left Aleppo.\n\
             long-id  2017-12-12  -                        Convoys withdrew.\n"
        );
    }

    #[test]
    fn long_titles_are_cut() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("ééééé", 3), "éé…");
    }
}
