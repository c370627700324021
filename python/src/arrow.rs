//! Arrow in and out: documents read from a table's id and text columns in
//! place (no Python object per row), and the annotated table back.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, RecordBatchReader, StringArray,
};
use arrow_pyarrow::{FromPyArrow, IntoPyArrow, Table};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chachong::source::columns::{id_at, is_string, string_at};
use chachong::{Annotation, Document, Report};
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::errors;
use crate::run::parse_config;

/// A table read from Python: its batches and schema.
pub struct Batches {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
}

impl Batches {
    /// Reads any object with Arrow's stream interface (a `pyarrow.Table`,
    /// a `RecordBatchReader`).
    pub fn read(data: &Bound<'_, PyAny>) -> PyResult<Batches> {
        let reader = arrow_array::ffi_stream::RecordBatchStreamReader::from_pyarrow_bound(data)?;
        let schema = reader.schema();
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| errors::input(e.to_string()))?;
        Ok(Batches { schema, batches })
    }

    /// The index of column `name`, or an error naming the columns there are.
    pub fn column(&self, name: &str) -> PyResult<usize> {
        self.schema.index_of(name).map_err(|_| {
            let names: Vec<&str> = self
                .schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect();
            errors::input(format!("no column {name:?} (the columns: {names:?})"))
        })
    }

    /// The documents of columns `id` and `text`, in row order.
    pub fn documents(&self, (id, text): (&str, &str)) -> PyResult<Vec<Document>> {
        let (id_column, text_column) = (self.column(id)?, self.column(text)?);
        let id_type = self.schema.field(id_column).data_type();
        if !(is_string(id_type) || id_type.is_integer()) {
            return Err(errors::input(format!(
                "column {id:?} is {id_type}, not strings or integers"
            )));
        }
        let text_type = self.schema.field(text_column).data_type();
        if !is_string(text_type) {
            return Err(errors::input(format!(
                "column {text:?} is {text_type}, not strings"
            )));
        }
        let mut rows: Vec<(String, &str)> = Vec::new();
        for batch in &self.batches {
            let (ids, texts) = (batch.column(id_column), batch.column(text_column));
            for k in 0..batch.num_rows() {
                let row = rows.len();
                let doc_id = id_at(ids.as_ref(), k)
                    .ok_or_else(|| errors::input(format!("row {row}: {id:?} is null")))?;
                let body = string_at(texts.as_ref(), k).ok_or_else(|| {
                    errors::input(format!("row {row}: document {doc_id:?}: {text:?} is null"))
                })?;
                rows.push((doc_id, body));
            }
        }
        // Copying a text and finding its paragraphs is the command's
        // reading: done on every core, as it does.
        Ok(rows
            .into_par_iter()
            .map(|(doc_id, body)| Document::new(doc_id, body))
            .collect())
    }
}

/// `annotate(data, id_field, text_field, config_json, with_report)`:
/// every row of `data` (a `pyarrow.Table` or `RecordBatchReader`) with the
/// annotation columns added (replacing columns of the same names), and the
/// report as JSON if asked for (at 100,000 documents, writing and parsing
/// it costs a fifth of the run). The GIL is released while the run works.
#[pyfunction]
pub fn annotate<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    id_field: &str,
    text_field: &str,
    config_json: &str,
    with_report: bool,
) -> PyResult<(Bound<'py, PyAny>, Option<String>)> {
    let config = parse_config(config_json)?;
    let input = Batches::read(data)?;
    let docs = input.documents((id_field, text_field))?;
    let (table, report) = py.detach(|| -> PyResult<(Table, Option<String>)> {
        let dedup = chachong::Deduplicator::new(config).map_err(errors::to_py)?;
        let report = dedup.run(&docs).map_err(errors::to_py)?;
        let notes = report
            .annotations(docs.iter().map(Document::id))
            .map_err(errors::to_py)?;
        let table = annotated(&input, &notes)?;
        let json = with_report.then(|| report_json(&report)).transpose()?;
        Ok((table, json))
    })?;
    Ok((table.into_pyarrow(py)?, report))
}

/// `report` as JSON.
pub fn report_json(report: &Report) -> PyResult<String> {
    serde_json::to_string(report).map_err(|e| errors::input(e.to_string()))
}

/// `input` with the annotation columns of `notes` (one per row, in order).
pub fn annotated(input: &Batches, notes: &[Annotation]) -> PyResult<Table> {
    let kept: Vec<usize> = (0..input.schema.fields().len())
        .filter(|&i| !Annotation::COLUMNS.contains(&input.schema.field(i).name().as_str()))
        .collect();
    let mut fields: Vec<Arc<Field>> = kept
        .iter()
        .map(|&i| input.schema.fields()[i].clone())
        .collect();
    fields.extend(annotation_fields());
    let schema = Arc::new(Schema::new_with_metadata(
        fields,
        input.schema.metadata().clone(),
    ));
    let mut at = 0;
    let mut batches = Vec::with_capacity(input.batches.len());
    for batch in &input.batches {
        let rows = &notes[at..at + batch.num_rows()];
        at += batch.num_rows();
        let mut columns: Vec<ArrayRef> = kept.iter().map(|&i| batch.column(i).clone()).collect();
        columns.extend(annotation_columns(rows));
        let out = RecordBatch::try_new(schema.clone(), columns)
            .map_err(|e| errors::input(e.to_string()))?;
        batches.push(out);
    }
    Table::try_new(batches, schema).map_err(|e| errors::input(e.to_string()))
}

fn annotation_fields() -> Vec<Arc<Field>> {
    vec![
        Arc::new(Field::new("cluster_id", DataType::Int64, true)),
        Arc::new(Field::new("cluster_size", DataType::Int64, false)),
        Arc::new(Field::new("canonical_id", DataType::Utf8, false)),
        Arc::new(Field::new("keep", DataType::Boolean, false)),
        Arc::new(Field::new("jaccard", DataType::Float64, true)),
        Arc::new(Field::new("copy_kind", DataType::Utf8, true)),
    ]
}

fn annotation_columns(notes: &[Annotation]) -> Vec<ArrayRef> {
    let kind = |n: &Annotation| {
        n.copy_kind.map(|k| {
            serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        })
    };
    vec![
        Arc::new(Int64Array::from_iter(
            notes.iter().map(|n| n.cluster_id.map(|k| k as i64)),
        )),
        Arc::new(Int64Array::from_iter_values(
            notes.iter().map(|n| n.cluster_size as i64),
        )),
        Arc::new(StringArray::from_iter_values(
            notes.iter().map(|n| n.canonical_id.as_str()),
        )),
        Arc::new(BooleanArray::from_iter(notes.iter().map(|n| Some(n.keep)))),
        Arc::new(Float64Array::from_iter(notes.iter().map(|n| n.jaccard))),
        Arc::new(StringArray::from_iter(notes.iter().map(kind))),
    ]
}
