//! The native half of the `chachong` Python package (`chachong._chachong`):
//! the crate's runs, its Arrow kernels and its persistent index, each
//! releasing the GIL while it works. The Python half (`chachong/`) gives
//! them Python's idioms: keyword configs, report objects, exceptions by
//! kind.
//!
//! Configs cross as JSON (a `chachong::Config`, every field optional) and
//! reports as JSON text, parsed once on the Python side; documents cross
//! as Python strings or as Arrow columns, which are read in place.

use pyo3::prelude::*;

mod arrow;
mod errors;
mod index;
mod kernel;
mod read;
mod run;

/// The module `chachong._chachong`.
#[pymodule]
fn _chachong(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<run::Deduplicator>()?;
    m.add_class::<index::Index>()?;
    m.add_function(wrap_pyfunction!(arrow::annotate, m)?)?;
    m.add_function(wrap_pyfunction!(kernel::sketch, m)?)?;
    m.add_function(wrap_pyfunction!(kernel::verify, m)?)?;
    m.add_function(wrap_pyfunction!(read::read, m)?)?;
    m.add_function(wrap_pyfunction!(run::checked_config, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
