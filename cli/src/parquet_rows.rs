//! Rows written as Parquet: each row (a JSON object, as every output
//! makes them) decoded by Arrow into the columns of a schema, a batch at a
//! time, into zstd-compressed row groups of bounded size.
//!
//! The schema is the input's own where every input is Parquet of one
//! schema, so a Parquet corpus comes back with its types; otherwise it is
//! taken from the first rows (JSON Lines has none), with fields that are
//! null in all of them as strings. Either way the columns an output adds
//! have fixed types. A later row that does not fit fails with its number.

use std::sync::Arc;

use arrow_json::reader::{infer_json_schema_from_iterator, Decoder};
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

use crate::failure::{Failure, Result};
use crate::output::Output;

/// Rows decoded into one Arrow batch, and the rows a schema is taken from.
const BATCH_ROWS: usize = 8192;
/// Rows and bytes in a row group at most: Parquet holds a group's pages in
/// memory until it is whole, so a group of long texts must not be
/// Parquet's default million rows.
const ROW_GROUP_ROWS: usize = 32 * 1024;
const ROW_GROUP_BYTES: usize = 128 << 20;

/// The columns of a Parquet output.
#[derive(Clone, Debug)]
pub enum Columns {
    /// Exactly these.
    Fixed(SchemaRef),
    /// The rows' own fields, as `input` has them or else as the first rows
    /// say, with `added` put in place of a field of the same name or after
    /// the rest.
    Rows {
        input: Option<SchemaRef>,
        added: Vec<FieldRef>,
    },
}

/// An open Parquet output.
pub struct ParquetRows {
    name: String,
    state: State,
    rows: usize,
}

enum State {
    /// No schema yet: the first rows are held until there are enough.
    Waiting {
        out: Output,
        columns: Columns,
        held: Vec<Map<String, Value>>,
    },
    Writing {
        writer: Box<ArrowWriter<Output>>,
        decoder: Decoder,
        pending: usize,
        schema: SchemaRef,
    },
    /// After a failure.
    Broken,
}

impl ParquetRows {
    pub fn new(name: &str, out: Output, columns: Columns) -> ParquetRows {
        ParquetRows {
            name: name.to_string(),
            state: State::Waiting {
                out,
                columns,
                held: Vec::new(),
            },
            rows: 0,
        }
    }

    /// Writes one row.
    pub fn write(&mut self, row: &Map<String, Value>) -> Result<()> {
        self.rows += 1;
        match &mut self.state {
            State::Waiting { held, columns, .. } => {
                let known = matches!(
                    columns,
                    Columns::Fixed(_) | Columns::Rows { input: Some(_), .. }
                );
                held.push(row.clone());
                if known || held.len() >= BATCH_ROWS {
                    self.start()?;
                }
                Ok(())
            }
            State::Writing { .. } => self.decode(row),
            State::Broken => Err(Failure::new(format!("{}: already failed", self.name))),
        }
    }

    /// Decides the schema from what is held, opens the writer and writes
    /// the rows held.
    fn start(&mut self) -> Result<()> {
        let (out, columns, held) = match std::mem::replace(&mut self.state, State::Broken) {
            State::Waiting { out, columns, held } => (out, columns, held),
            started => {
                self.state = started;
                return Ok(());
            }
        };
        let schema = schema_of(&columns, &held).map_err(|e| self.failed(&e))?;
        let schema_for_checks = schema.clone();
        // Strict: a field the schema lacks is an error, not dropped.
        let decoder = arrow_json::ReaderBuilder::new(schema.clone())
            .with_coerce_primitive(true)
            .with_strict_mode(true)
            .build_decoder()
            .map_err(|e| self.failed(&e))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .build();
        let writer =
            ArrowWriter::try_new(out, schema, Some(properties)).map_err(|e| self.failed(&e))?;
        self.state = State::Writing {
            writer: Box::new(writer),
            decoder,
            pending: 0,
            schema: schema_for_checks,
        };
        let rows = self.rows;
        self.rows -= held.len();
        for row in &held {
            self.rows += 1;
            self.decode(row)?;
        }
        debug_assert_eq!(self.rows, rows);
        self.flush()
    }

    /// Decodes row number `self.rows` into the batch being made, and
    /// writes the batch when it is full.
    fn decode(&mut self, row: &Map<String, Value>) -> Result<()> {
        let State::Writing {
            decoder,
            pending,
            schema,
            ..
        } = &mut self.state
        else {
            return Err(Failure::new(format!("{}: already failed", self.name)));
        };
        // Arrow's decoder would truncate 1.5 or "007" into an integer
        // column, and "1e3" into a float one: such a row does not fit.
        for (name, value) in row {
            let Ok(field) = schema.field_with_name(name) else {
                continue;
            };
            if !fits(field.data_type(), value) {
                let e = ArrowError::JsonError(format!(
                    "field {name:?} is {}, not {value}",
                    field.data_type()
                ));
                return Err(unfit(&self.name, (self.rows, self.rows), &e));
            }
        }
        if let Err(e) = decoder.serialize(std::slice::from_ref(row)) {
            return Err(unfit(&self.name, (self.rows, self.rows), &e));
        }
        *pending += 1;
        if *pending >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the rows decoded so far.
    fn flush(&mut self) -> Result<()> {
        let State::Writing {
            writer,
            decoder,
            pending,
            ..
        } = &mut self.state
        else {
            return Ok(());
        };
        // Arrow checks the types of a batch's rows when it makes the
        // batch: a row that does not fit is known to be among these.
        let rows = (self.rows + 1 - *pending, self.rows);
        *pending = 0;
        let batch = decoder.flush().map_err(|e| unfit(&self.name, rows, &e))?;
        match batch {
            Some(batch) => writer.write(&batch).map_err(|e| self.failed(&e)),
            None => Ok(()),
        }
    }

    /// Writes what is left and the file's footer; returns the output to
    /// put in place.
    pub fn finish(mut self) -> Result<Output> {
        self.start()?;
        self.flush()?;
        match std::mem::replace(&mut self.state, State::Broken) {
            State::Writing { writer, .. } => writer.into_inner().map_err(|e| self.failed(&e)),
            _ => Err(Failure::new(format!("{}: already failed", self.name))),
        }
    }

    fn failed(&self, e: &dyn std::fmt::Display) -> Failure {
        Failure::new(format!("{}: {e}", self.name))
    }
}

/// The error of a row of `name` among `rows` (first and last, numbered
/// from 1) that does not fit the schema.
fn unfit(name: &str, rows: (usize, usize), e: &ArrowError) -> Failure {
    let which = match rows {
        (first, last) if first == last => format!("row {first}"),
        (first, last) => format!("a row of rows {first} to {last}"),
    };
    Failure::new(format!(
        "{name}: {which} does not fit the columns (the input's schema, or else as its first {BATCH_ROWS} rows have them): {e}; write JSON Lines instead"
    ))
}

/// Whether `value` goes into a column of `data_type` without loss, as far
/// as Arrow's decoder does not check it itself.
fn fits(data_type: &DataType, value: &Value) -> bool {
    match value {
        Value::Number(n) if data_type.is_integer() => n.is_i64() || n.is_u64(),
        Value::String(_) => !data_type.is_numeric(),
        _ => true,
    }
}

/// The schema `columns` says, taking the rows' fields from `held` where
/// the input has no schema.
fn schema_of(
    columns: &Columns,
    held: &[Map<String, Value>],
) -> std::result::Result<SchemaRef, ArrowError> {
    let (input, added) = match columns {
        Columns::Fixed(schema) => return Ok(schema.clone()),
        Columns::Rows { input, added } => (input, added),
    };
    let base = match input {
        Some(schema) => schema.clone(),
        None => {
            let values = held.iter().map(|row| Ok(Value::Object(row.clone())));
            Arc::new(infer_json_schema_from_iterator(values)?)
        }
    };
    // An added column takes the place of a field of the same name, as it
    // does in a JSON row; the others follow.
    let added_by_name = |name: &str| added.iter().find(|a| a.name() == name);
    let mut fields: Vec<FieldRef> = base
        .fields()
        .iter()
        .map(|f| match (added_by_name(f.name()), f.data_type()) {
            (Some(add), _) => add.clone(),
            // Null in every row looked at: strings take whatever comes.
            (None, DataType::Null) => Arc::new(Field::new(f.name(), DataType::Utf8, true)),
            (None, _) => f.clone(),
        })
        .collect();
    for add in added {
        if base.index_of(add.name()).is_err() {
            fields.push(add.clone());
        }
    }
    Ok(Arc::new(Schema::new(fields)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn added_columns_replace_in_place_or_follow() {
        let columns = Columns::Rows {
            input: None,
            added: vec![
                Arc::new(Field::new("keep", DataType::Boolean, false)),
                Arc::new(Field::new("jaccard", DataType::Float64, true)),
            ],
        };
        let held = [row(
            r#"{"id": 1, "keep": "x", "text": "甲", "extra": null}"#,
        )];
        let schema = schema_of(&columns, &held).unwrap();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["id", "keep", "text", "extra", "jaccard"]);
        assert_eq!(schema.field(0).data_type(), &DataType::Int64);
        assert_eq!(schema.field(1).data_type(), &DataType::Boolean);
        assert_eq!(schema.field(3).data_type(), &DataType::Utf8);
    }
}
