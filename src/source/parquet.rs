//! Parquet: a table with an id column and a text column, read a batch of
//! rows at a time through Arrow, only the two columns for documents and
//! every column when rows are copied into an output.

use std::path::Path;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use parquet::file::reader::ChunkReader;

use super::columns::{id_at, is_string, string_at};
use super::jsonl::Fields;
use super::{Parsed, Record};
use crate::error::{Error, Result};

/// Rows decoded at a time: Arrow's usual batch, a few megabytes of text.
const BATCH_ROWS: usize = 8192;

/// Where a Parquet input's bytes are: a file, or (standard input) memory.
pub(super) trait Input: ChunkReader + 'static {}
impl<T: ChunkReader + 'static> Input for T {}

/// Reads the id and text of every row of `input`, handing each document to
/// `keep` in order; returns the (1-based) row number of each one it took.
pub(super) fn read(
    input: impl Input,
    name: &Path,
    fields: Fields,
    mut keep: impl FnMut(Parsed) -> Result<bool>,
) -> Result<Vec<usize>> {
    let builder = builder(input, name)?;
    let schema = builder.schema().clone();
    let id = column(&schema, fields.id, name)?;
    let text = column(&schema, fields.text, name)?;
    check_types(&schema, (id, text), name)?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), [id, text]);
    let batches = finish(builder.with_projection(mask), name)?;
    // The projection keeps the file's column order (and one column once).
    let (id, text) = match id.cmp(&text) {
        std::cmp::Ordering::Less => (0, 1),
        std::cmp::Ordering::Equal => (0, 0),
        std::cmp::Ordering::Greater => (1, 0),
    };
    let mut numbers = Vec::new();
    let mut row = 0;
    for batch in batches {
        let batch = batch.map_err(|e| Error::parse(name, None, e.to_string()))?;
        for k in 0..batch.num_rows() {
            row += 1;
            let parsed = document(&batch, (id, text), k, fields)
                .map_err(|reason| Error::parse(name, None, format!("row {row}: {reason}")))?;
            if keep(parsed)? {
                numbers.push(row);
            }
        }
    }
    Ok(numbers)
}

/// Reads every row of `input` again with all its columns, handing `visit`
/// each one as a [`Record`] (the row as Arrow's JSON writer gives it, nulls
/// included), in order.
pub(super) fn read_records(
    input: impl Input,
    name: &Path,
    fields: Fields,
    mut visit: impl FnMut(Record) -> Result<()>,
) -> Result<()> {
    let builder = builder(input, name)?;
    let id = column(builder.schema(), fields.id, name)?;
    let batches = finish(builder, name)?;
    let failed = |e: &dyn std::fmt::Display| Error::parse(name, None, e.to_string());
    for batch in batches {
        let batch = batch.map_err(|e| failed(&e))?;
        let mut json = arrow_json::WriterBuilder::new()
            .with_explicit_nulls(true)
            .build::<_, arrow_json::writer::LineDelimited>(Vec::new());
        json.write(&batch).map_err(|e| failed(&e))?;
        json.finish().map_err(|e| failed(&e))?;
        let json = json.into_inner();
        let ids = batch.column(id);
        for (k, line) in json
            .split(|&b| b == b'\n')
            .take(batch.num_rows())
            .enumerate()
        {
            let fields: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(line).map_err(|e| failed(&e))?;
            let id = id_at(ids.as_ref(), k).unwrap_or_default();
            visit(Record { id, fields })?;
        }
    }
    Ok(())
}

/// The Arrow schema of `input`'s rows.
pub(super) fn schema(input: impl Input, name: &Path) -> Result<SchemaRef> {
    Ok(builder(input, name)?.schema().clone())
}

fn builder<R: Input>(input: R, name: &Path) -> Result<ParquetRecordBatchReaderBuilder<R>> {
    ParquetRecordBatchReaderBuilder::try_new(input)
        .map_err(|e| Error::parse(name, None, format!("not a Parquet file we can read: {e}")))
}

fn finish<R: Input>(
    builder: ParquetRecordBatchReaderBuilder<R>,
    name: &Path,
) -> Result<ParquetRecordBatchReader> {
    builder
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| Error::parse(name, None, e.to_string()))
}

/// The index of the column `field`, or an error listing the columns there
/// are.
fn column(schema: &SchemaRef, field: &str, name: &Path) -> Result<usize> {
    schema.index_of(field).map_err(|_| {
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        Error::parse(
            name,
            None,
            format!(
                "no column {field:?} (the columns are {}; name others with --id-field and --text-field)",
                names.join(", ")
            ),
        )
    })
}

/// Fails unless the id column holds strings or integers and the text
/// column strings.
fn check_types(schema: &SchemaRef, (id, text): (usize, usize), name: &Path) -> Result<()> {
    let id = schema.field(id);
    if !(is_string(id.data_type()) || id.data_type().is_integer()) {
        return Err(Error::parse(
            name,
            None,
            format!(
                "column {:?} is {}, not strings or integers",
                id.name(),
                id.data_type()
            ),
        ));
    }
    let text = schema.field(text);
    if !is_string(text.data_type()) {
        return Err(Error::parse(
            name,
            None,
            format!(
                "column {:?} is {}, not strings",
                text.name(),
                text.data_type()
            ),
        ));
    }
    Ok(())
}

/// Row `k`'s document, or why it is none.
fn document(
    batch: &RecordBatch,
    (id, text): (usize, usize),
    k: usize,
    fields: Fields,
) -> std::result::Result<Parsed, String> {
    let id = match id_at(batch.column(id).as_ref(), k) {
        None => return Err(format!("{:?} is null", fields.id)),
        Some(id) if id.is_empty() => return Err(format!("empty {:?}", fields.id)),
        Some(id) => id,
    };
    match string_at(batch.column(text).as_ref(), k) {
        Some(text) => Ok(Parsed::new(id, Ok(text.to_string()))),
        None => Err(format!("document {id:?}: {:?} is null", fields.text)),
    }
}
