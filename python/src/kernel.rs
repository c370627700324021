//! The stage kernels a distributed job maps over partitions: documents to
//! band keys (`sketch`), and candidate pairs to their exact similarity
//! (`verify`), both as Arrow tables.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_pyarrow::{IntoPyArrow, Table};
use arrow_schema::{DataType, Field, Schema};
use chachong::verify::Overlap;
use chachong::{Document, StageKeys};
use pyo3::prelude::*;
use rayon::prelude::*;

use chachong::source::columns::id_at;

use crate::arrow::Batches;
use crate::errors;
use crate::run::parse_config;

/// `sketch(data, id_field, text_field, config_json)`: a table of `(id,
/// band, key)`, one row per document and band, and a table of `(id,
/// shingles)`, one row per document (0 shingles: no keys). Two documents
/// sharing a key in a band are candidates.
#[pyfunction]
pub fn sketch<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    id_field: &str,
    text_field: &str,
    config_json: &str,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let config = parse_config(config_json)?;
    let input = Batches::read(data)?;
    let docs = input.documents((id_field, text_field))?;
    let (keys, counts) = py.detach(|| -> PyResult<(Table, Table)> {
        let dedup = chachong::Deduplicator::new(config).map_err(errors::to_py)?;
        let keys = dedup.stage_keys(&docs).map_err(errors::to_py)?;
        Ok((keys_table(&docs, &keys)?, counts_table(&docs, &keys)?))
    })?;
    Ok((keys.into_pyarrow(py)?, counts.into_pyarrow(py)?))
}

fn keys_table(docs: &[Document], keys: &[StageKeys]) -> PyResult<Table> {
    let rows = keys.iter().map(|k| k.band_keys.len()).sum();
    let (mut ids, mut bands, mut values) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    for (doc, k) in docs.iter().zip(keys) {
        for (band, &key) in k.band_keys.iter().enumerate() {
            ids.push(doc.id());
            bands.push(band as u32);
            values.push(key);
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(ids)),
        Arc::new(UInt32Array::from(bands)),
        Arc::new(UInt64Array::from(values)),
    ];
    table(
        vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("band", DataType::UInt32, false),
            Field::new("key", DataType::UInt64, false),
        ],
        columns,
    )
}

fn counts_table(docs: &[Document], keys: &[StageKeys]) -> PyResult<Table> {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(docs.iter().map(Document::id))),
        Arc::new(UInt64Array::from_iter_values(
            keys.iter().map(|k| k.shingles as u64),
        )),
    ];
    table(
        vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("shingles", DataType::UInt64, false),
        ],
        columns,
    )
}

/// One batch of `columns` as a table.
fn table(fields: Vec<Field>, columns: Vec<ArrayRef>) -> PyResult<Table> {
    let schema = Arc::new(Schema::new(fields));
    let batch =
        RecordBatch::try_new(schema.clone(), columns).map_err(|e| errors::input(e.to_string()))?;
    Table::try_new(vec![batch], schema).map_err(|e| errors::input(e.to_string()))
}

/// `verify(pairs, a_field, b_field, texts, id_field, text_field,
/// config_json)`: each pair of ids with its exact Jaccard similarity and
/// the containment of the smaller set in the larger, the shingle sets made
/// as the crate's runs make them. Each document is shingled once, in
/// parallel; an id of a pair missing from `texts` is an error.
#[pyfunction]
#[allow(clippy::too_many_arguments)] // Python's keywords name each one
pub fn verify<'py>(
    py: Python<'py>,
    pairs: &Bound<'py, PyAny>,
    a_field: String,
    b_field: String,
    texts: &Bound<'py, PyAny>,
    id_field: String,
    text_field: String,
    config_json: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let config = parse_config(config_json)?;
    let pairs = Batches::read(pairs)?;
    let (a_at, b_at) = (pairs.column(&a_field)?, pairs.column(&b_field)?);
    let mut wanted: Vec<(String, String)> = Vec::new();
    for batch in &pairs.batches {
        for k in 0..batch.num_rows() {
            let side = |at: usize, name: &str| {
                id_at(batch.column(at).as_ref(), k).ok_or_else(|| {
                    errors::input(format!("pair {}: {name:?} is null", wanted.len()))
                })
            };
            wanted.push((side(a_at, &a_field)?, side(b_at, &b_field)?));
        }
    }
    let docs = Batches::read(texts)?.documents((&id_field, &text_field))?;
    let out = py.detach(|| -> PyResult<Table> {
        let dedup = chachong::Deduplicator::new(config).map_err(errors::to_py)?;
        let sets: Vec<Vec<u64>> = docs.par_iter().map(|d| dedup.shingle_set(d)).collect();
        let by_id: HashMap<&str, usize> =
            docs.iter().enumerate().map(|(i, d)| (d.id(), i)).collect();
        let find = |id: &str| {
            by_id
                .get(id)
                .copied()
                .ok_or_else(|| errors::input(format!("no text for document {id:?}")))
        };
        let places = wanted
            .iter()
            .map(|(a, b)| Ok((find(a)?, find(b)?)))
            .collect::<PyResult<Vec<_>>>()?;
        let overlaps: Vec<Overlap> = places
            .par_iter()
            .map(|&(a, b)| Overlap::of(&sets[a], &sets[b]))
            .collect();
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(wanted.iter().map(|p| &p.0))),
            Arc::new(StringArray::from_iter_values(wanted.iter().map(|p| &p.1))),
            Arc::new(Float64Array::from_iter_values(
                overlaps.iter().map(Overlap::jaccard),
            )),
            Arc::new(Float64Array::from_iter_values(
                overlaps.iter().map(Overlap::containment_of_smaller),
            )),
        ];
        table(
            vec![
                Field::new(&a_field, DataType::Utf8, false),
                Field::new(&b_field, DataType::Utf8, false),
                Field::new("jaccard", DataType::Float64, false),
                Field::new("containment", DataType::Float64, false),
            ],
            columns,
        )
    })?;
    out.into_pyarrow(py)
}
