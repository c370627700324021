//! The one error type of the crate.
//!
//! Errors happen only at the edges: validating a [`Config`](crate::Config),
//! reading a corpus, and checking the documents handed to
//! [`Deduplicator::run`](crate::Deduplicator::run). Once those pass, every
//! stage is infallible.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A specialised `Result` whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// An error from chachong: what went wrong and where.
///
/// The kind is boxed so that `Result<T, Error>` stays one pointer wide on the
/// happy path.
///
/// # Examples
///
/// ```
/// use chachong::{Config, Deduplicator, ErrorKind};
///
/// let err = Deduplicator::new(Config::default().with_jaccard_threshold(1.5))
///     .unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::InvalidConfig { field: "jaccard_threshold", .. }));
/// assert_eq!(err.to_string(), "invalid config: jaccard_threshold 1.5 is outside (0, 1]");
/// ```
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
#[non_exhaustive]
#[derive(Debug)]
pub enum ErrorKind {
    /// A configuration value is out of range or inconsistent with another.
    InvalidConfig {
        /// The `Config` field at fault.
        field: &'static str,
        /// Why it was rejected, including the bad value.
        reason: String,
    },
    /// A file or folder could not be read.
    Io {
        /// The path being read.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A source file holds something that is not a valid corpus.
    Parse {
        /// The file being read.
        path: PathBuf,
        /// 1-based line number, where one applies.
        line: Option<usize>,
        /// What is wrong with it.
        reason: String,
    },
    /// An input holds no documents: an empty file or folder, a JSONL file
    /// of blank lines, or an empty slice handed to the pipeline.
    NoDocuments {
        /// The input at fault, or `None` for a slice of documents.
        path: Option<PathBuf>,
    },
    /// A heading pattern for splitting a file does not compile.
    Pattern {
        /// The pattern as given.
        pattern: String,
        /// The regex compiler's message.
        reason: String,
    },
    /// Two documents carry the same id, so a report could not tell them apart.
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Positions of the first two documents that carry it.
        positions: (usize, usize),
    },
    /// No document carries the id asked for (by
    /// [`Deduplicator::explain_ids`](crate::Deduplicator::explain_ids)).
    UnknownId {
        /// The id asked for.
        id: String,
    },
    /// A persistent index cannot be used: a file of it is damaged or not
    /// chachong's, its format is newer than this build reads, another
    /// writer holds it, or what is asked of it does not fit it.
    Index {
        /// The index folder or the file at fault.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A document or corpus is beyond what the pipeline indexes: a text of
    /// 4 GiB or more, or more than `u32::MAX` documents or paragraphs.
    TooLarge {
        /// The document at fault, or `None` for the corpus as a whole.
        id: Option<String>,
        /// What overflowed.
        reason: String,
    },
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Consumes the error and returns its kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    pub(crate) fn invalid_config(field: &'static str, reason: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::InvalidConfig {
            field,
            reason: reason.into(),
        }))
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error(Box::new(ErrorKind::Io {
            path: path.into(),
            source,
        }))
    }

    pub(crate) fn parse(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        reason: impl Into<String>,
    ) -> Error {
        Error(Box::new(ErrorKind::Parse {
            path: path.into(),
            line,
            reason: reason.into(),
        }))
    }

    pub(crate) fn no_documents(path: Option<&std::path::Path>) -> Error {
        Error(Box::new(ErrorKind::NoDocuments {
            path: path.map(|p| p.to_path_buf()),
        }))
    }

    pub(crate) fn pattern(pattern: &str, reason: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::Pattern {
            pattern: pattern.to_string(),
            reason: reason.into(),
        }))
    }

    pub(crate) fn too_large(id: Option<&str>, reason: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::TooLarge {
            id: id.map(str::to_string),
            reason: reason.into(),
        }))
    }

    pub(crate) fn index(path: impl Into<PathBuf>, reason: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::Index {
            path: path.into(),
            reason: reason.into(),
        }))
    }

    pub(crate) fn unknown_id(id: &str) -> Error {
        Error(Box::new(ErrorKind::UnknownId { id: id.to_string() }))
    }

    pub(crate) fn duplicate_id(id: &str, first: usize, second: usize) -> Error {
        Error(Box::new(ErrorKind::DuplicateId {
            id: id.to_string(),
            positions: (first, second),
        }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::InvalidConfig { reason, .. } => write!(f, "invalid config: {reason}"),
            ErrorKind::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ErrorKind::Parse {
                path,
                line: Some(line),
                reason,
            } => write!(f, "{}:{line}: {reason}", path.display()),
            ErrorKind::Parse {
                path,
                line: None,
                reason,
            } => write!(f, "{}: {reason}", path.display()),
            ErrorKind::NoDocuments { path: Some(path) } => {
                write!(f, "{}: no documents in it", path.display())
            }
            ErrorKind::NoDocuments { path: None } => write!(f, "no documents to compare"),
            ErrorKind::Pattern { pattern, reason } => {
                write!(f, "heading pattern {pattern:?} does not compile: {reason}")
            }
            ErrorKind::DuplicateId { id, positions } => write!(
                f,
                "duplicate document id {id:?} (documents {} and {})",
                positions.0, positions.1
            ),
            ErrorKind::UnknownId { id } => write!(f, "no document with id {id:?}"),
            ErrorKind::Index { path, reason } => write!(f, "{}: {reason}", path.display()),
            ErrorKind::TooLarge {
                id: Some(id),
                reason,
            } => {
                write!(f, "document {id:?} is too large: {reason}")
            }
            ErrorKind::TooLarge { id: None, reason } => write!(f, "corpus is too large: {reason}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
