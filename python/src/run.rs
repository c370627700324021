//! `Deduplicator`: a validated config, run on lists of documents.

use chachong::{Config, Document};
use pyo3::prelude::*;

use crate::errors;

/// The config in `json` (a `chachong::Config`; missing fields default),
/// or an `InvalidConfigError` naming what is wrong.
pub fn parse_config(json: &str) -> PyResult<Config> {
    let config: Config =
        serde_json::from_str(json).map_err(|e| errors::config(format!("config: {e}")))?;
    config.validate().map_err(errors::to_py)?;
    Ok(config)
}

/// `checked_config(json)`: the config in `json`, validated, with every
/// field, as JSON (no run is prepared: a word-token config would load
/// jieba's dictionary).
#[pyfunction]
pub fn checked_config(json: &str) -> PyResult<String> {
    let config = parse_config(json)?;
    serde_json::to_string(&config).map_err(|e| errors::config(e.to_string()))
}

/// A validated config, ready to run (the crate's `Deduplicator`).
#[pyclass(module = "chachong._chachong", frozen)]
pub struct Deduplicator {
    inner: chachong::Deduplicator,
}

#[pymethods]
impl Deduplicator {
    #[new]
    fn new(config_json: &str) -> PyResult<Deduplicator> {
        let config = parse_config(config_json)?;
        let inner = chachong::Deduplicator::new(config).map_err(errors::to_py)?;
        Ok(Deduplicator { inner })
    }

    /// The config in use, as JSON (every field).
    fn config_json(&self) -> String {
        serde_json::to_string(self.inner.config()).unwrap_or_default()
    }

    /// Runs over the documents `(id, text)` and returns the report as
    /// JSON; the GIL is released while it runs.
    fn run_json(&self, py: Python<'_>, docs: Vec<(String, String)>) -> PyResult<String> {
        py.detach(|| {
            let docs: Vec<Document> = docs
                .into_iter()
                .map(|(id, text)| Document::new(id, text))
                .collect();
            let report = self.inner.run(&docs).map_err(errors::to_py)?;
            serde_json::to_string(&report).map_err(|e| errors::input(e.to_string()))
        })
    }
}
