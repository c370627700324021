//! `read`: documents from files as the `chachong` command reads them.

use std::path::PathBuf;

use chachong::source::Reader;
use pyo3::prelude::*;

use crate::errors;

/// `read(path, split, id_field, text_field, encoding)`: the documents of a
/// file or folder (text in any encoding the command detects, `.docx`,
/// JSON Lines plain or compressed, Parquet), split at headings matching
/// `split` if given, as `(id, text)` pairs in the order read.
#[pyfunction]
#[pyo3(signature = (path, split=None, id_field="id", text_field="text", encoding=None))]
pub fn read(
    py: Python<'_>,
    path: PathBuf,
    split: Option<&str>,
    id_field: &str,
    text_field: &str,
    encoding: Option<&str>,
) -> PyResult<Vec<(String, String)>> {
    let mut reader = Reader::new().fields(id_field, text_field);
    if let Some(heading) = split {
        reader = reader.split(heading).map_err(errors::to_py)?;
    }
    if let Some(label) = encoding {
        reader = reader.encoding(label).map_err(errors::to_py)?;
    }
    let corpus = py.detach(|| reader.read_path(&path).map_err(errors::to_py))?;
    Ok(corpus
        .documents
        .into_iter()
        .map(|d| (d.id().to_string(), d.text().to_string()))
        .collect())
}
