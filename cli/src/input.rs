//! Reading a command's inputs into one corpus, and the checks that keep a
//! report from landing on an input.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chachong::source::{InvalidUtf8, Reader};
use chachong::{Corpus, Document, ErrorKind, Skipped};

use crate::args::InputArgs;
use crate::failure::{Failure, Result};
use crate::progress::StderrProgress;

/// Every input, read.
pub struct Inputs {
    pub documents: Vec<Document>,
    pub corpus: Corpus,
    /// Where each input's documents start in `documents`.
    starts: Vec<usize>,
    paths: Vec<PathBuf>,
    /// Milliseconds spent reading.
    pub read_ms: f64,
}

impl Inputs {
    /// Reads every input of `args`, in order.
    pub fn read(args: &InputArgs, progress: &StderrProgress) -> Result<Inputs> {
        let clock = Instant::now();
        let policy = if args.skip_invalid_utf8 {
            InvalidUtf8::Skip
        } else {
            InvalidUtf8::Fail
        };
        let mut reader = Reader::new().invalid_utf8(policy);
        if let Some(heading) = &args.split {
            reader = reader.split(heading)?;
        }
        let mut corpus = Corpus::default();
        let mut starts = Vec::new();
        for input in &args.inputs {
            progress.note(&format!("reading {}", input.display()));
            starts.push(corpus.documents.len());
            corpus.extend(reader.read_path(input)?);
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
        })
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
pub fn check_output(output: Option<&Path>, inputs: &[PathBuf]) -> Result<()> {
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
                "--output {} is the input {}: writing the report there would destroy it",
                output.display(),
                input.display()
            )));
        }
        if input.is_dir() && Reader::reads_in_folder(output) && lies_in(output, input) {
            return Err(Failure::new(format!(
                "--output {} is in the input folder {}, which would read the report as a document",
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
