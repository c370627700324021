//! Reading a command's inputs into one corpus, and the checks that keep a
//! report from landing on an input.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chachong::source::{InvalidUtf8, Reader, Record};
use chachong::{Corpus, Document, ErrorKind, Skipped};

use crate::args::InputArgs;
use crate::failure::{Failure, Result};
use crate::progress::StderrProgress;
use arrow_schema::SchemaRef;
use tempfile::NamedTempFile;

/// Every input, read.
pub struct Inputs {
    pub documents: Vec<Document>,
    pub corpus: Corpus,
    /// Where each input's documents start in `documents`.
    starts: Vec<usize>,
    paths: Vec<PathBuf>,
    /// Milliseconds spent reading.
    pub read_ms: f64,
    reader: Reader,
    /// Standard input, kept for a second read.
    stdin_copy: Option<NamedTempFile>,
}

/// Whether the inputs are read again after the run (for outputs that copy
/// whole rows), so that standard input must be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reread {
    No,
    Yes,
}

impl Inputs {
    /// Reads every input of `args`, in order.
    pub fn read(args: &InputArgs, progress: &StderrProgress, reread: Reread) -> Result<Inputs> {
        let clock = Instant::now();
        let reader = reader(args)?;
        let stdin = Path::new("-");
        let stdin_copy = match reread {
            Reread::Yes if args.inputs.iter().any(|p| p == stdin) => Some(copy_stdin()?),
            _ => None,
        };
        let mut corpus = Corpus::default();
        let mut starts = Vec::new();
        for input in &args.inputs {
            progress.note(&format!("reading {}", input.display()));
            starts.push(corpus.documents.len());
            let read = match &stdin_copy {
                Some(copy) if input == stdin => {
                    let file = copy.reopen().map_err(|e| Failure::io(stdin, &e))?;
                    non_empty(reader.read_from(file, stdin)?, stdin)?
                }
                _ => reader.read_path(input)?,
            };
            corpus.extend(read);
        }
        let mut documents = std::mem::take(&mut corpus.documents);
        // Growth by doubling leaves up to half the vector unused.
        documents.shrink_to_fit();
        if documents.is_empty() {
            return Err(all_skipped(&corpus.skipped));
        }
        Ok(Inputs {
            documents,
            corpus,
            starts,
            paths: args.inputs.clone(),
            read_ms: clock.elapsed().as_secs_f64() * 1000.0,
            reader,
            stdin_copy,
        })
    }

    /// The inputs to read again, with the documents read the first time.
    pub fn rows(&self) -> Rows<'_> {
        Rows {
            reader: &self.reader,
            paths: &self.paths,
            stdin_copy: self.stdin_copy.as_ref(),
            ids: Box::new(|at| self.documents.get(at).map(Document::id)),
            count: self.documents.len(),
        }
    }

    /// The error `err` of a run over these documents, with the files of a
    /// repeated id named.
    pub fn name_error(&self, err: chachong::Error) -> Failure {
        match err.kind() {
            ErrorKind::DuplicateId { id, positions } => Failure::new(format!(
                "duplicate document id {id:?} (in {} and in {})",
                self.file_of(positions.0),
                self.file_of(positions.1)
            )),
            _ => Failure::from(err),
        }
    }

    /// The input the document at `position` came from.
    fn file_of(&self, position: usize) -> String {
        let input = self.starts.partition_point(|&start| start <= position) - 1;
        self.paths[input].display().to_string()
    }
}

/// The Arrow schema every input's rows share, where all are Parquet of one
/// schema: what a Parquet output keeps.
pub fn arrow_schema(args: &InputArgs) -> Result<Option<SchemaRef>> {
    let reader = Reader::new().fields(&args.id_field, &args.text_field);
    let mut shared: Option<SchemaRef> = None;
    for input in &args.inputs {
        let Some(schema) = reader.arrow_schema(input)? else {
            return Ok(None);
        };
        if shared.as_ref().is_some_and(|s| *s != schema) {
            return Ok(None);
        }
        shared = Some(schema);
    }
    Ok(shared)
}

/// The inputs of a run read again row by row, for outputs that copy whole
/// rows, and the ids the run read in them (to check they did not change).
pub struct Rows<'a> {
    pub reader: &'a Reader,
    pub paths: &'a [PathBuf],
    pub stdin_copy: Option<&'a NamedTempFile>,
    /// The id of the document at each place of the first read.
    pub ids: Box<dyn Fn(usize) -> Option<&'a str> + 'a>,
    pub count: usize,
}

impl<'a> Rows<'a> {
    /// Reads every input again, handing `visit` each document's row with
    /// all its fields and the document's place in the first read.
    pub fn for_each_record(
        &self,
        mut visit: impl FnMut(usize, Record) -> Result<()>,
    ) -> Result<()> {
        let mut at = 0;
        let stdin = Path::new("-");
        for path in self.paths {
            let mut each = |record: Record| {
                let expected = (self.ids)(at);
                if expected != Some(record.id.as_str()) {
                    return Err(Failure::new(format!(
                        "{} changed while it was read: row {} is {:?}, was {:?}",
                        path.display(),
                        at + 1,
                        record.id,
                        expected.unwrap_or("nothing")
                    )));
                }
                at += 1;
                visit(at - 1, record)
            };
            match self.stdin_copy {
                Some(copy) if path == stdin => {
                    let file = copy.reopen().map_err(|e| Failure::io(stdin, &e))?;
                    self.reader.for_each_record(file, stdin, &mut each)?
                }
                _ => self.reader.for_each_record_in(path, &mut each)?,
            }
        }
        if at != self.count {
            return Err(Failure::new(format!(
                "the inputs changed while they were read: {at} rows, {} documents",
                self.count
            )));
        }
        Ok(())
    }

    /// Every id of the first read, in order.
    pub fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.count).filter_map(|at| (self.ids)(at))
    }
}

/// The reader `args` ask for.
pub fn reader(args: &InputArgs) -> Result<Reader> {
    let policy = if args.skip_invalid_utf8 {
        InvalidUtf8::Skip
    } else {
        InvalidUtf8::Fail
    };
    let mut reader = Reader::new()
        .invalid_utf8(policy)
        .fields(&args.id_field, &args.text_field);
    if let Some(heading) = &args.split {
        reader = reader.split(heading)?;
    }
    if let Some(label) = &args.encoding {
        reader = reader.encoding(label)?;
    }
    Ok(reader)
}

/// Standard input, copied to a temporary file so that it can be read twice.
fn copy_stdin() -> Result<NamedTempFile> {
    let stdin = Path::new("-");
    let mut copy = NamedTempFile::new().map_err(|e| Failure::io(stdin, &e))?;
    std::io::copy(&mut std::io::stdin().lock(), copy.as_file_mut())
        .map_err(|e| Failure::io(stdin, &e))?;
    Ok(copy)
}

/// `corpus`, unless it holds no documents (as [`Reader::read_path`] says).
fn non_empty(corpus: Corpus, path: &Path) -> Result<Corpus> {
    if corpus.is_empty() {
        return Err(Failure::new(format!(
            "{}: no documents in it",
            path.display()
        )));
    }
    Ok(corpus)
}

fn all_skipped(skipped: &[Skipped]) -> Failure {
    let first = skipped.first().map(|s| format!(" (first: {s})"));
    Failure::new(format!(
        "no documents left: all {} skipped{}",
        skipped.len(),
        first.unwrap_or_default()
    ))
}

/// Refuses an `output` that would destroy an input or be read as one: the
/// same file as an input, or a file an input folder would read.
pub fn check_output(
    (flag, what): (&str, &str),
    output: Option<&Path>,
    inputs: &[PathBuf],
) -> Result<()> {
    let Some(output) = output.filter(|o| *o != Path::new("-")) else {
        return Ok(());
    };
    for input in inputs {
        // `-` reads standard input, which may be a file redirected in.
        let input: &Path = if input == Path::new("-") {
            Path::new("/dev/stdin")
        } else {
            input
        };
        if same_file(output, input) {
            return Err(Failure::new(format!(
                "{flag} {} is the input {}: writing {what} there would destroy it",
                output.display(),
                input.display()
            )));
        }
        if input.is_dir() && Reader::reads_in_folder(output) && lies_in(output, input) {
            return Err(Failure::new(format!(
                "{flag} {} is in the input folder {}, which would read {what} as a document",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Whether `a` and `b` are one file (through links, too).
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

/// Whether the file `file` (which may not exist yet) is directly in
/// `folder`.
fn lies_in(file: &Path, folder: &Path) -> bool {
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    matches!((fs::canonicalize(parent), fs::canonicalize(folder)), (Ok(p), Ok(f)) if p == f)
}
