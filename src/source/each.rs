//! Reading an input document by document, without holding the corpus: what
//! a run over a corpus bigger than memory reads, twice.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use super::detect::open_input;
use super::folder::{self, Entry};
use super::{is_parquet, jsonl, ParquetSource, Parsed, Reader, TextFiles};
use crate::corpus::{Compression, Corpus, Document, InputFormat, InputSummary};
use crate::error::{Error, Result};

/// What is done with each document read.
type Visit<'v> = &'v mut dyn FnMut(Document) -> Result<()>;

impl Reader {
    /// Reads `path` as [`read_path`](Self::read_path) does, but hands each
    /// document to `visit` as soon as it is read instead of holding them
    /// all: JSON Lines a chunk at a time, Parquet a batch of rows at a
    /// time, a text file whole. Returns what the read said besides the
    /// documents ([`Corpus::skipped`], [`Corpus::inputs`]; no documents).
    /// Ids are not checked against each other here: whoever keeps them
    /// does.
    ///
    /// # Errors
    ///
    /// As [`read_path`](Self::read_path) (but for repeated ids), and
    /// whatever `visit` returns.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use chachong::source::Reader;
    ///
    /// let mut chars = 0;
    /// let read = Reader::new()
    ///     .split(r"^在全市高质量发展工作会议上的讲话篇\d+$")?
    ///     .for_each_document_in(Path::new("tests/data/speeches.txt"), |doc| {
    ///         chars += doc.char_len();
    ///         Ok(())
    ///     })?;
    /// assert_eq!(read.inputs[0].documents, 9);
    /// assert!(read.documents.is_empty() && chars > 9_000);
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn for_each_document_in(
        &self,
        path: &Path,
        mut visit: impl FnMut(Document) -> Result<()>,
    ) -> Result<Corpus> {
        let visit: Visit = &mut visit;
        let corpus = if path == Path::new("-") {
            self.stream_from(io::stdin().lock(), path, visit)?
        } else if fs::metadata(path).map_err(|e| Error::io(path, e))?.is_dir() {
            self.stream_dir(path, visit)?
        } else {
            self.stream_file(path, visit)?
        };
        if corpus.inputs.iter().all(|input| input.documents == 0) && corpus.skipped.is_empty() {
            return Err(Error::no_documents(Some(path)));
        }
        Ok(corpus)
    }

    fn stream_file(&self, path: &Path, visit: Visit) -> Result<Corpus> {
        let mut file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
        if is_parquet(path, &mut file)? {
            return self.stream_parquet(ParquetSource::File(file), path, visit);
        }
        self.stream_from(file, path, visit)
    }

    fn stream_from(&self, reader: impl Read, name: &Path, visit: Visit) -> Result<Corpus> {
        let input = open_input(reader, name)?;
        let compression = input.compression;
        let mut corpus = match input.format {
            InputFormat::Jsonl => {
                let mut corpus = Corpus::default();
                let fields = self.field_names();
                let kept = jsonl::read(input.stream, name, fields, |parsed| {
                    self.pass_on(&mut corpus, name, parsed, visit)
                })?;
                corpus
                    .inputs
                    .push(summary(name, InputFormat::Jsonl, kept.len(), &corpus));
                corpus
            }
            InputFormat::Parquet => {
                let bytes = input.into_bytes(name)?;
                self.stream_parquet(ParquetSource::Bytes(bytes), name, visit)?
            }
            _ => {
                // A text file is split whole (a heading can be anywhere).
                let inner = input.inner.clone();
                let mut corpus = self.text(&input.into_bytes(name)?, name, &inner)?;
                for doc in std::mem::take(&mut corpus.documents) {
                    visit(doc)?;
                }
                corpus
            }
        };
        if let Some(summary) = corpus.inputs.last_mut() {
            summary.compression = compression;
        }
        Ok(corpus)
    }

    #[cfg(feature = "parquet")]
    fn stream_parquet(&self, source: ParquetSource, name: &Path, visit: Visit) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        let fields = self.field_names();
        let keep = |parsed| self.pass_on(&mut corpus, name, parsed, visit);
        let kept = match source {
            ParquetSource::File(file) => super::parquet::read(file, name, fields, keep)?,
            ParquetSource::Bytes(bytes) => {
                super::parquet::read(bytes::Bytes::from(bytes), name, fields, keep)?
            }
        };
        corpus
            .inputs
            .push(summary(name, InputFormat::Parquet, kept.len(), &corpus));
        Ok(corpus)
    }

    #[cfg(not(feature = "parquet"))]
    fn stream_parquet(&self, _: ParquetSource, name: &Path, _: Visit) -> Result<Corpus> {
        Err(super::no_parquet(name))
    }

    fn stream_dir(&self, path: &Path, visit: Visit) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        let mut texts = TextFiles::default();
        for entry in folder::entries(path)? {
            match entry {
                Entry::Text(file) => {
                    let (parsed, encoding) = self.folder_text(&file)?;
                    texts.file(encoding);
                    if self.pass_on(&mut corpus, &file, parsed, visit)? {
                        texts.document();
                    }
                }
                Entry::Shard(file) => corpus.extend(self.stream_file(&file, visit)?),
            }
        }
        if let Some(summary) = texts.summary(path, &corpus) {
            corpus.inputs.push(summary);
        }
        Ok(corpus)
    }

    /// Keeps (or fails or skips) a document as a read does, and hands it
    /// on at once; returns whether it was kept.
    fn pass_on(
        &self,
        corpus: &mut Corpus,
        name: &Path,
        parsed: Parsed,
        visit: Visit,
    ) -> Result<bool> {
        if !self.keep(corpus, name, parsed)? {
            return Ok(false);
        }
        match corpus.documents.pop() {
            Some(doc) => visit(doc).map(|()| true),
            None => Ok(false),
        }
    }
}

/// The summary of one input read document by document: `documents` kept,
/// and the skipped ones `corpus` lists from `name`.
fn summary(name: &Path, format: InputFormat, documents: usize, corpus: &Corpus) -> InputSummary {
    let source = name.display().to_string();
    InputSummary {
        skipped: corpus.skipped.iter().filter(|s| s.source == source).count(),
        source,
        format,
        compression: Compression::None,
        encoding: None,
        documents,
    }
}
