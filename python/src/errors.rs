//! The crate's errors as Python exceptions, one class per kind, all
//! subclasses of `chachong.ChachongError`, carrying the crate's message.

use chachong::{Error, ErrorKind};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pyo3::create_exception!(
    _chachong,
    ChachongError,
    PyException,
    "Base of every error chachong raises; its message is the crate's."
);
pyo3::create_exception!(
    _chachong,
    InvalidConfigError,
    ChachongError,
    "A config value out of range or unknown."
);
pyo3::create_exception!(
    _chachong,
    InputError,
    ChachongError,
    "Input that cannot be used: no documents, a repeated or unknown id, a text too large, a column of the wrong type."
);
pyo3::create_exception!(
    _chachong,
    IndexFileError,
    ChachongError,
    "A persistent index that is damaged, foreign, locked, or does not hold what was asked."
);

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ChachongError", py.get_type::<ChachongError>())?;
    m.add("InvalidConfigError", py.get_type::<InvalidConfigError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("IndexFileError", py.get_type::<IndexFileError>())?;
    Ok(())
}

/// `error` as the Python exception of its kind.
pub fn to_py(error: Error) -> PyErr {
    let message = error.to_string();
    match error.kind() {
        ErrorKind::InvalidConfig { .. } => InvalidConfigError::new_err(message),
        ErrorKind::Index { .. } => IndexFileError::new_err(message),
        ErrorKind::Io { .. } => ChachongError::new_err(message),
        _ => InputError::new_err(message),
    }
}

/// An input error with `message` (a column missing or of the wrong type).
pub fn input(message: impl Into<String>) -> PyErr {
    InputError::new_err(message.into())
}

/// A config that is not a chachong config.
pub fn config(message: impl Into<String>) -> PyErr {
    InvalidConfigError::new_err(message.into())
}
