//! `Index`: the crate's persistent index, opened from Python.

use chachong::index::Index as Inner;
use chachong::Document;
use pyo3::prelude::*;

use crate::arrow::report_json;
use crate::errors;
use crate::run::parse_config;

/// A persistent index of documents on disk (the crate's `index::Index`).
#[pyclass(module = "chachong._chachong")]
pub struct Index {
    inner: Inner,
}

fn documents(docs: Vec<(String, String)>) -> Vec<Document> {
    docs.into_iter()
        .map(|(id, text)| Document::new(id, text))
        .collect()
}

#[pymethods]
impl Index {
    /// Creates an empty index in the folder `path` for the config.
    #[staticmethod]
    fn create(py: Python<'_>, path: std::path::PathBuf, config_json: &str) -> PyResult<Index> {
        let config = parse_config(config_json)?;
        let inner = py.detach(|| Inner::create(path, config).map_err(errors::to_py))?;
        Ok(Index { inner })
    }

    /// Opens the index in the folder `path`.
    #[staticmethod]
    fn open(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Index> {
        let inner = py.detach(|| Inner::open(path).map_err(errors::to_py))?;
        Ok(Index { inner })
    }

    /// Adds the documents `(id, text)` as one add; returns how many.
    fn add(&mut self, py: Python<'_>, docs: Vec<(String, String)>) -> PyResult<u64> {
        let inner = &mut self.inner;
        py.detach(|| inner.add(&documents(docs)).map_err(errors::to_py))
    }

    /// Checks the documents `(id, text)` against the index and each other;
    /// returns the report as JSON.
    fn query_json(&self, py: Python<'_>, docs: Vec<(String, String)>) -> PyResult<String> {
        let inner = &self.inner;
        py.detach(|| {
            let report = inner.query(&documents(docs)).map_err(errors::to_py)?;
            report_json(&report)
        })
    }

    /// The annotations of the query's documents as JSON rows, removing
    /// only the new side.
    fn annotations_json(&self, report_json_text: &str, ids: Vec<String>) -> PyResult<String> {
        let report: chachong::Report = serde_json::from_str(report_json_text)
            .map_err(|e| errors::input(format!("report: {e}")))?;
        let notes = chachong::index::new_side_annotations(&report, ids.iter().map(String::as_str))
            .map_err(errors::to_py)?;
        serde_json::to_string(&notes).map_err(|e| errors::input(e.to_string()))
    }

    /// What the index holds, as JSON.
    fn stats_json(&self) -> String {
        serde_json::to_string(&self.inner.stats()).unwrap_or_default()
    }

    /// The config stored in the index, as JSON.
    fn config_json(&self) -> String {
        serde_json::to_string(self.inner.config()).unwrap_or_default()
    }

    /// Merges the segments into one.
    fn merge(&mut self, py: Python<'_>) -> PyResult<()> {
        let inner = &mut self.inner;
        py.detach(|| inner.merge().map_err(errors::to_py))
    }
}
