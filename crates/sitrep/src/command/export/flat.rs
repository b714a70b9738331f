//! An event as one flat row: one column per [`EventRecord`] field, nested ones (place, evidence)
//! spelled out. CSV and Parquet share these columns.

use std::io::{self, Write};

use sitrep_store::EventRecord;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Float,
    Text,
}

/// Column names and kinds, in file order.
pub(crate) const COLUMNS: [(&str, Kind); 29] = [
    ("id", Kind::Int),
    ("code", Kind::Text),
    ("root", Kind::Text),
    ("plover", Kind::Text),
    ("goldstein", Kind::Float),
    ("quad", Kind::Int),
    ("source", Kind::Text),
    ("source_text", Kind::Text),
    ("target", Kind::Text),
    ("target_text", Kind::Text),
    ("date", Kind::Text),
    ("date_precision", Kind::Text),
    ("date_from", Kind::Text),
    ("place", Kind::Text),
    ("place_country", Kind::Text),
    ("place_lat", Kind::Float),
    ("place_lon", Kind::Float),
    ("mentions", Kind::Int),
    ("documents", Kind::Int),
    ("confidence", Kind::Float),
    ("doc", Kind::Text),
    ("title", Kind::Text),
    ("url", Kind::Text),
    ("published", Kind::Text),
    ("sentence", Kind::Int),
    ("trigger", Kind::Text),
    ("trigger_start", Kind::Int),
    ("trigger_end", Kind::Int),
    ("evidence", Kind::Text),
];

/// One cell; `Null` where the event has no value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

impl Cell {
    fn text(value: &Option<String>) -> Cell {
        value.clone().map_or(Cell::Null, Cell::Text)
    }

    /// The cell as CSV writes it: empty for `Null`.
    pub(crate) fn to_csv(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(x) if x.is_finite() => x.to_string(),
            Cell::Float(_) => String::new(),
            Cell::Text(s) => s.clone(),
        }
    }
}

/// The row for one event, in [`COLUMNS`] order.
pub(crate) fn row(e: &EventRecord) -> Vec<Cell> {
    let place = e.place.as_ref();
    let ev = &e.evidence;
    let [start, end] = ev.trigger;
    vec![
        Cell::Int(e.id),
        Cell::Text(e.code.clone()),
        Cell::Text(e.root.clone()),
        Cell::text(&e.plover),
        Cell::Float(e.goldstein),
        Cell::Int(i64::from(e.quad)),
        Cell::text(&e.source),
        Cell::text(&e.source_text),
        Cell::text(&e.target),
        Cell::text(&e.target_text),
        Cell::text(&e.date),
        Cell::text(&e.date_precision),
        Cell::Text(e.date_from.clone()),
        place.map_or(Cell::Null, |p| Cell::Text(p.name.clone())),
        place.map_or(Cell::Null, |p| Cell::text(&p.country)),
        place.map_or(Cell::Null, |p| Cell::Float(p.lat)),
        place.map_or(Cell::Null, |p| Cell::Float(p.lon)),
        Cell::Int(i64::from(e.mentions)),
        Cell::Int(i64::from(e.documents)),
        Cell::Float(e.confidence),
        Cell::Text(ev.doc.clone()),
        Cell::text(&ev.title),
        Cell::text(&ev.url),
        Cell::text(&ev.published),
        Cell::Int(i64::from(ev.sentence)),
        ev.text
            .get(start..end)
            .map_or(Cell::Null, |t| Cell::Text(t.to_owned())),
        Cell::Int(i64::try_from(start).unwrap_or(i64::MAX)),
        Cell::Int(i64::try_from(end).unwrap_or(i64::MAX)),
        Cell::Text(ev.text.clone()),
    ]
}

/// Writes events as CSV with a header row (RFC 4180 quoting, `\n` line ends).
pub(crate) struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub(crate) fn new(out: W) -> io::Result<Self> {
        let mut out = csv::Writer::from_writer(out);
        out.write_record(COLUMNS.iter().map(|(name, _)| name))?;
        Ok(CsvWriter { out })
    }

    pub(crate) fn write(&mut self, events: &[EventRecord]) -> io::Result<()> {
        for event in events {
            self.out.write_record(row(event).iter().map(Cell::to_csv))?;
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| {
            let kind = e.error().kind();
            io::Error::new(kind, e.error().to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::export::tests::event;

    #[test]
    fn every_column_has_a_cell_of_its_kind() {
        let row = row(&event());
        assert_eq!(row.len(), COLUMNS.len());
        for (cell, (name, kind)) in row.iter().zip(COLUMNS) {
            let ok = match cell {
                Cell::Null => true,
                Cell::Int(_) => kind == Kind::Int,
                Cell::Float(_) => kind == Kind::Float,
                Cell::Text(_) => kind == Kind::Text,
            };
            assert!(ok, "{name}: {cell:?}");
        }
    }

    #[test]
    fn the_trigger_column_is_the_text_the_offsets_cover() {
        let e = event();
        let row = row(&e);
        let at = |name: &str| &row[COLUMNS.iter().position(|(n, _)| *n == name).unwrap()];
        assert_eq!(at("trigger"), &Cell::Text("ordered".into()));
        let (Cell::Int(s), Cell::Int(t)) = (at("trigger_start"), at("trigger_end")) else {
            panic!("offsets are integers");
        };
        assert_eq!(&e.evidence.text[*s as usize..*t as usize], "ordered");

        let mut bad = event();
        bad.evidence.trigger = [3, 999];
        assert_eq!(super::row(&bad)[25], Cell::Null);
    }

    #[test]
    fn csv_quotes_the_evidence_and_leaves_missing_values_empty() {
        let mut e = event();
        e.evidence.text = "He said: \"we leave, now\".\nThen left.".into();
        e.evidence.trigger = [3, 7];
        e.place = None;
        e.plover = None;
        let mut w = CsvWriter::new(Vec::new()).unwrap();
        w.write(&[e]).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(header.len(), COLUMNS.len());
        assert_eq!(&header[0], "id");
        let record = reader.records().next().unwrap().unwrap();
        let at = |name: &str| record[header.iter().position(|h| h == name).unwrap()].to_owned();
        assert_eq!(at("evidence"), "He said: \"we leave, now\".\nThen left.");
        assert_eq!(at("trigger"), "said");
        assert_eq!(at("place"), "");
        assert_eq!(at("plover"), "");
        assert_eq!(at("goldstein"), "9");
        assert_eq!(at("date"), "2017-12-11");
        assert!(out.contains("\"He said: \"\"we leave, now\"\".\nThen left.\""));
    }
}
