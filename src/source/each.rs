//! Reading an input document by document: the one reader of every layout,
//! which either collects the documents into the corpus it returns (the
//! `read_*` methods) or hands each one on as soon as it is read, holding
//! none ([`Reader::for_each_document_in`], what a run over a corpus bigger
//! than memory reads, twice).

use std::fs;
use std::io::{self, BufRead, Read};
use std::path::Path;

use super::detect::open_input;
use super::folder::{self, Entry};
use super::{
    check_unique, encoding_name, is_parquet, jsonl, Numbering, ParquetSource, Parsed, Reader,
    TextFiles,
};
use crate::corpus::{Compression, Corpus, Document, DocumentEncoding, InputFormat, InputSummary};
use crate::error::{Error, Result};

/// Where a read puts each document it keeps.
pub(super) enum Sink<'v> {
    /// Into the corpus read; each input's ids are checked against each
    /// other, naming both lines (or rows).
    Collect,
    /// To this function, at once; the corpus read holds none, and ids are
    /// left to whoever keeps them.
    Visit(&'v mut dyn FnMut(Document) -> Result<()>),
}

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
        self.path_into(path, &mut Sink::Visit(&mut visit))
    }

    /// Reads `path` (`-`, a folder or a file) into `sink`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NoDocuments`](crate::ErrorKind::NoDocuments) if it
    /// holds none, and the layout's errors.
    pub(super) fn path_into(&self, path: &Path, sink: &mut Sink) -> Result<Corpus> {
        let corpus = if path == Path::new("-") {
            self.stream_into(io::stdin().lock(), path, sink)?
        } else if fs::metadata(path).map_err(|e| Error::io(path, e))?.is_dir() {
            self.dir_into(path, sink)?
        } else {
            self.file_into(path, sink)?
        };
        let documents: usize = corpus.inputs.iter().map(|input| input.documents).sum();
        if documents == 0 && corpus.skipped.is_empty() {
            return Err(Error::no_documents(Some(path)));
        }
        Ok(corpus)
    }

    /// Reads one file (not a folder, not `-`): Parquet in place, anything
    /// else as a stream.
    pub(super) fn file_into(&self, path: &Path, sink: &mut Sink) -> Result<Corpus> {
        let mut file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
        if is_parquet(path, &mut file)? {
            return self.parquet_into(ParquetSource::File(file), path, sink);
        }
        self.stream_into(file, path, sink)
    }

    /// Reads one input from a stream, decompressed, its layout decided.
    pub(super) fn stream_into(
        &self,
        reader: impl Read,
        name: &Path,
        sink: &mut Sink,
    ) -> Result<Corpus> {
        let input = open_input(reader, name)?;
        let compression = input.compression;
        let mut corpus = match input.format {
            InputFormat::Jsonl => self.jsonl_into(input.stream, name, sink)?,
            InputFormat::Parquet => {
                let bytes = input.into_bytes(name)?;
                self.parquet_into(ParquetSource::Bytes(bytes), name, sink)?
            }
            format => {
                // A text file is split whole (a heading can be anywhere).
                let inner = input.inner.clone();
                let bytes = input.into_bytes(name)?;
                let mut corpus = if format == InputFormat::Docx {
                    self.docx(&bytes, name, &inner)?
                } else {
                    self.text(&bytes, name, &inner)?
                };
                if let Sink::Visit(visit) = sink {
                    for doc in std::mem::take(&mut corpus.documents) {
                        visit(doc)?;
                    }
                }
                corpus
            }
        };
        if let Some(summary) = corpus.inputs.last_mut() {
            summary.compression = compression;
        }
        Ok(corpus)
    }

    /// Reads JSON Lines a chunk at a time.
    pub(super) fn jsonl_into(
        &self,
        reader: impl BufRead,
        name: &Path,
        sink: &mut Sink,
    ) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        let fields = self.field_names();
        let lines = jsonl::read(reader, name, fields, |parsed| {
            self.take(&mut corpus, name, parsed, sink)
        })?;
        if let Sink::Collect = sink {
            check_unique(&corpus.documents, &lines, name, Numbering::Lines)?;
        }
        corpus
            .inputs
            .push(summary(name, InputFormat::Jsonl, lines.len(), &corpus));
        Ok(corpus)
    }

    /// Reads Parquet a batch of rows at a time.
    #[cfg(feature = "parquet")]
    pub(super) fn parquet_into(
        &self,
        source: ParquetSource,
        name: &Path,
        sink: &mut Sink,
    ) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        let fields = self.field_names();
        let take = |parsed| self.take(&mut corpus, name, parsed, sink);
        let rows = match source {
            ParquetSource::File(file) => super::parquet::read(file, name, fields, take)?,
            ParquetSource::Bytes(bytes) => {
                super::parquet::read(bytes::Bytes::from(bytes), name, fields, take)?
            }
        };
        if let Sink::Collect = sink {
            check_unique(&corpus.documents, &rows, name, Numbering::Rows)?;
        }
        corpus
            .inputs
            .push(summary(name, InputFormat::Parquet, rows.len(), &corpus));
        Ok(corpus)
    }

    #[cfg(not(feature = "parquet"))]
    pub(super) fn parquet_into(
        &self,
        _: ParquetSource,
        name: &Path,
        _: &mut Sink,
    ) -> Result<Corpus> {
        Err(super::no_parquet(name))
    }

    /// Reads a folder: its `.txt` files and its shards, in order of name.
    pub(super) fn dir_into(&self, path: &Path, sink: &mut Sink) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        let mut texts = TextFiles::default();
        for entry in folder::entries(path)? {
            match entry {
                Entry::Text(file) => {
                    let (parsed, encoding) = self.folder_text(&file)?;
                    texts.file(encoding);
                    let id = match &parsed {
                        Parsed::Document(doc) => doc.id().to_string(),
                        Parsed::Bad(id, _) => id.clone(),
                    };
                    if self.take(&mut corpus, &file, parsed, sink)? {
                        texts.document();
                        if let Some(encoding) = encoding_name(encoding) {
                            corpus.encodings.push(DocumentEncoding {
                                document: id,
                                encoding,
                            });
                        }
                    }
                }
                Entry::Shard(file) => corpus.extend(self.file_into(&file, sink)?),
            }
        }
        if let Some(summary) = texts.summary(path, &corpus) {
            corpus.inputs.push(summary);
        }
        Ok(corpus)
    }

    /// Keeps (or fails or skips) a document, and hands it on at once to a
    /// visiting sink; returns whether it was kept.
    fn take(
        &self,
        corpus: &mut Corpus,
        name: &Path,
        parsed: Parsed,
        sink: &mut Sink,
    ) -> Result<bool> {
        if !self.keep(corpus, name, parsed)? {
            return Ok(false);
        }
        if let Sink::Visit(visit) = sink {
            if let Some(doc) = corpus.documents.pop() {
                visit(doc)?;
            }
        }
        Ok(true)
    }
}

/// The summary of one input: `documents` kept, and the skipped ones
/// `corpus` lists from `name`.
pub(super) fn summary(
    name: &Path,
    format: InputFormat,
    documents: usize,
    corpus: &Corpus,
) -> InputSummary {
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
