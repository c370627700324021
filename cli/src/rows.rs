//! Corpora `dedup` writes for data pipelines: rows as JSON Lines, plain,
//! gzip or Zstandard, as Parquet, or (for the drop list) a CSV or TSV
//! table, the format taken from the file's name. Like a report, a file is written beside its
//! target and renamed over it only once whole ([`Output`]).

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use serde_json::{Map, Value};

use crate::failure::{Failure, Result};
use crate::output::Output;
pub use crate::parquet_rows::Columns;
use crate::parquet_rows::ParquetRows;

/// How rows are laid out in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowFormat {
    /// One JSON object a line.
    JsonLines(Compression),
    /// A header, then one row a line, by `csv` (`b','` or `b'\t'`).
    Table(u8),
    /// Parquet (zstd-compressed).
    Parquet,
}

/// How JSON Lines are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Whether a file may hold a table, or only whole rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tables {
    Allowed,
    Refused,
}

impl RowFormat {
    /// The format `path`'s name asks for (`-`: JSON Lines on stdout).
    pub fn of(flag: &str, path: &Path, tables: Tables) -> Result<RowFormat> {
        if path == Path::new("-") {
            return Ok(RowFormat::JsonLines(Compression::None));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let (inner, compression) = if let Some(inner) = name.strip_suffix(".gz") {
            (inner, Compression::Gzip)
        } else if let Some(inner) = name.strip_suffix(".zst") {
            (inner, Compression::Zstd)
        } else {
            (name.as_str(), Compression::None)
        };
        let extension = inner.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match (extension, compression, tables) {
            ("jsonl" | "ndjson" | "jsonlines" | "json", _, _) => {
                Ok(RowFormat::JsonLines(compression))
            }
            ("parquet" | "pq", Compression::None, _) => Ok(RowFormat::Parquet),
            ("csv", Compression::None, Tables::Allowed) => Ok(RowFormat::Table(b',')),
            ("tsv", Compression::None, Tables::Allowed) => Ok(RowFormat::Table(b'\t')),
            _ => {
                let formats = match tables {
                    Tables::Allowed => ".jsonl (.gz, .zst), .parquet, .csv or .tsv",
                    Tables::Refused => ".jsonl (.gz, .zst) or .parquet",
                };
                Err(Failure::new(format!(
                    "{flag} {}: the name says no format chachong writes ({formats}, or - for stdout)",
                    path.display()
                )))
            }
        }
    }
}

/// An open corpus output.
pub struct RowWriter {
    name: String,
    sink: Sink,
}

enum Sink {
    Plain(Output),
    Gzip(GzEncoder<Output>),
    Zstd(zstd::Encoder<'static, Output>),
    Table(Box<csv::Writer<Output>>, Vec<String>),
    Parquet(Box<ParquetRows>),
}

impl RowWriter {
    /// Opens `path` for rows of `format`; a table gets the names of
    /// `columns` (which must be fixed) as its header and columns.
    pub fn create(path: &Path, format: RowFormat, columns: Columns) -> Result<RowWriter> {
        let out = Output::open(Some(path))?;
        let name = if path == Path::new("-") {
            "stdout".to_string()
        } else {
            path.display().to_string()
        };
        let opening = |e: std::io::Error| Failure::writing(&name, &e);
        let sink = match format {
            RowFormat::JsonLines(Compression::None) => Sink::Plain(out),
            RowFormat::JsonLines(Compression::Gzip) => {
                Sink::Gzip(GzEncoder::new(out, flate2::Compression::default()))
            }
            RowFormat::JsonLines(Compression::Zstd) => {
                Sink::Zstd(zstd::Encoder::new(out, 3).map_err(opening)?)
            }
            RowFormat::Parquet => Sink::Parquet(Box::new(ParquetRows::new(&name, out, columns))),
            RowFormat::Table(delimiter) => {
                let Columns::Fixed(schema) = columns else {
                    return Err(Failure::new(format!("{name}: a table needs fixed columns")));
                };
                let columns: Vec<String> =
                    schema.fields().iter().map(|f| f.name().clone()).collect();
                let mut table = csv::WriterBuilder::new()
                    .delimiter(delimiter)
                    .from_writer(out);
                table
                    .write_record(&columns)
                    .map_err(|e| Failure::new(format!("{name}: {e}")))?;
                Sink::Table(Box::new(table), columns)
            }
        };
        Ok(RowWriter { name, sink })
    }

    /// Writes one row.
    pub fn write(&mut self, row: &Map<String, Value>) -> Result<()> {
        let name = &self.name;
        let writer: &mut dyn Write = match &mut self.sink {
            Sink::Plain(w) => w,
            Sink::Gzip(w) => w,
            Sink::Zstd(w) => w,
            Sink::Parquet(rows) => return rows.write(row),
            Sink::Table(table, columns) => {
                let cells = columns.iter().map(|c| match row.get(c) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                });
                return table
                    .write_record(cells)
                    .map_err(|e| Failure::new(format!("{name}: {e}")));
            }
        };
        let mut line = serde_json::to_vec(row).map_err(|e| Failure::new(format!("{name}: {e}")))?;
        line.push(b'\n');
        writer
            .write_all(&line)
            .map_err(|e| Failure::writing(name, &e))
    }

    /// Ends the compression and puts the file in place of its target.
    pub fn finish(self) -> Result<()> {
        let name = self.name;
        let writing = |e: std::io::Error| Failure::writing(&name, &e);
        let out = match self.sink {
            Sink::Plain(out) => out,
            Sink::Gzip(w) => w.finish().map_err(writing)?,
            Sink::Zstd(w) => w.finish().map_err(writing)?,
            Sink::Parquet(rows) => rows.finish()?,
            Sink::Table(table, _) => table
                .into_inner()
                .map_err(|e| writing(std::io::Error::other(e.error().to_string())))?,
        };
        out.finish()
    }
}
