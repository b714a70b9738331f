//! Apache Parquet files with the CSV columns ([`flat::COLUMNS`]), written with the `parquet`
//! crate's column writers (no Arrow: a flat schema needs none, and Arrow doubles the build).
//! Every column is optional; a row group holds up to [`ROW_GROUP`] events.

use std::io::{self, Write};
use std::sync::Arc;

use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use sitrep_store::EventRecord;

use super::flat::{self, Cell, Kind};

/// Events per row group.
const ROW_GROUP: usize = 50_000;

pub(crate) struct ParquetWriter<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    /// Rows not yet written, one `Vec` per column.
    columns: Vec<Vec<Cell>>,
    rows: usize,
}

fn err(e: parquet::errors::ParquetError) -> io::Error {
    match e {
        parquet::errors::ParquetError::External(inner) => match inner.downcast::<io::Error>() {
            Ok(io) => *io,
            Err(other) => io::Error::other(other),
        },
        other => io::Error::other(other),
    }
}

fn schema() -> Result<Type, parquet::errors::ParquetError> {
    let fields = flat::COLUMNS
        .iter()
        .map(|&(name, kind)| {
            let builder = match kind {
                Kind::Int => Type::primitive_type_builder(name, PhysicalType::INT64),
                Kind::Float => Type::primitive_type_builder(name, PhysicalType::DOUBLE),
                Kind::Text => Type::primitive_type_builder(name, PhysicalType::BYTE_ARRAY)
                    .with_logical_type(Some(LogicalType::String))
                    .with_converted_type(ConvertedType::UTF8),
            };
            builder
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Type::group_type_builder("event")
        .with_fields(fields)
        .build()
}

impl<W: Write + Send> ParquetWriter<W> {
    pub(crate) fn new(out: W) -> io::Result<Self> {
        let props = WriterProperties::builder()
            .set_created_by(format!("sitrep {}", env!("CARGO_PKG_VERSION")))
            .build();
        let schema = Arc::new(schema().map_err(err)?);
        let writer = SerializedFileWriter::new(out, schema, Arc::new(props)).map_err(err)?;
        Ok(ParquetWriter {
            writer,
            columns: vec![Vec::new(); flat::COLUMNS.len()],
            rows: 0,
        })
    }

    pub(crate) fn write(&mut self, events: &[EventRecord]) -> io::Result<()> {
        for event in events {
            for (column, cell) in self.columns.iter_mut().zip(flat::row(event)) {
                column.push(cell);
            }
            self.rows += 1;
            if self.rows >= ROW_GROUP {
                self.flush_group()?;
            }
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(err)?;
        for (i, cells) in self.columns.iter_mut().enumerate() {
            let mut column = group
                .next_column()
                .map_err(err)?
                .ok_or_else(|| io::Error::other("parquet schema has fewer columns than sitrep"))?;
            let levels: Vec<i16> = cells
                .iter()
                .map(|c| i16::from(!matches!(c, Cell::Null)))
                .collect();
            match flat::COLUMNS[i].1 {
                Kind::Int => {
                    let values: Vec<i64> = cells
                        .iter()
                        .filter_map(|c| match c {
                            Cell::Int(n) => Some(*n),
                            _ => None,
                        })
                        .collect();
                    column
                        .typed::<Int64Type>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(err)?;
                }
                Kind::Float => {
                    let values: Vec<f64> = cells
                        .iter()
                        .filter_map(|c| match c {
                            Cell::Float(x) => Some(*x),
                            _ => None,
                        })
                        .collect();
                    column
                        .typed::<DoubleType>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(err)?;
                }
                Kind::Text => {
                    let values: Vec<ByteArray> = cells
                        .iter()
                        .filter_map(|c| match c {
                            Cell::Text(s) => Some(ByteArray::from(s.as_bytes().to_vec())),
                            _ => None,
                        })
                        .collect();
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(&values, Some(&levels), None)
                        .map_err(err)?;
                }
            }
            column.close().map_err(err)?;
            cells.clear();
        }
        group.close().map_err(err)?;
        self.rows = 0;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.flush_group()?;
        let mut out = self.writer.into_inner().map_err(err)?;
        out.flush()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::export::tests::event;

    #[test]
    fn a_file_has_the_magic_and_the_rows() {
        let path =
            std::env::temp_dir().join(format!("sitrep-parquet-{}.parquet", std::process::id()));
        let mut w = ParquetWriter::new(std::fs::File::create(&path).unwrap()).unwrap();
        let mut no_place = event();
        no_place.place = None;
        w.write(&[event(), no_place]).unwrap();
        w.finish().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));

        use parquet::file::reader::{FileReader, SerializedFileReader};
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let meta = reader.metadata();
        assert_eq!(meta.file_metadata().num_rows(), 2);
        assert_eq!(
            meta.file_metadata().schema_descr().num_columns(),
            flat::COLUMNS.len()
        );
        let _ = std::fs::remove_file(&path);
    }
}
