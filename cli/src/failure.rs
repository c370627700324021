//! How a command fails: one line for stderr, or quietly when the reader of
//! the report went away (a broken pipe: `chachong dedup … | head`).

use std::fmt;
use std::io;
use std::path::Path;

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    /// Whoever read the output closed it: stop without a word.
    BrokenPipe,
    /// What to tell the user, on one line.
    Message(String),
}

pub type Result<T> = std::result::Result<T, Failure>;

impl Failure {
    /// A message.
    pub fn new(message: impl Into<String>) -> Failure {
        Failure::Message(message.into())
    }

    /// An I/O error while writing to `name` (a file, or `stdout`): a
    /// broken pipe is quiet, anything else names where it happened.
    pub fn writing(name: &str, e: &io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::new(format!("{name}: {e}"))
        }
    }

    /// An I/O error on the file at `path`.
    pub fn io(path: &Path, e: &io::Error) -> Failure {
        Failure::new(format!("{}: {e}", path.display()))
    }
}

impl From<chachong::Error> for Failure {
    fn from(e: chachong::Error) -> Failure {
        Failure::new(e.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::BrokenPipe => write!(f, "broken pipe"),
            Failure::Message(message) => write!(f, "{message}"),
        }
    }
}
