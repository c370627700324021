//! Reading corpora from files.
//!
//! Three layouts, each turned into [`Document`]s in a fixed order:
//!
//! - **JSON Lines**: one `{"id": …, "text": …}` object per line (other
//!   fields ignored; a numeric id is taken as its decimal string; blank
//!   lines skipped).
//! - **A folder of `.txt` files**: one document per file, id = file stem,
//!   sorted by file name.
//! - **A text file**: split into documents at heading lines if a pattern is
//!   set (each line matching it starts a document whose id is that line,
//!   trimmed), else one document whose id is the file stem. Text before the
//!   first heading is no document: it is listed in [`Corpus::skipped`].
//!
//! A [`Reader`] reads any of them into a [`Corpus`], and decides which one
//! a file is: a folder is a folder; a file is decompressed first if its
//! first bytes are gzip's or Zstandard's (whatever its name); then its name
//! decides, case-insensitively and without a `.gz` or `.zst` ending
//! (`.jsonl`, `.ndjson`, `.jsonlines` and `.json` are JSON Lines, `.txt`,
//! `.text` and `.md` are text), and where the name does not (no extension,
//! another one, standard input, `/dev/fd/63`), its content does: JSON Lines
//! if its first character is `{`, else text. `-` is standard input. A
//! UTF-8 byte order mark is dropped wherever a file or a JSON line starts
//! with one. [`Corpus::inputs`] says what each input was read as.
//!
//! By default a document whose bytes are not valid UTF-8 stops the read
//! with an error naming the file and line; with [`InvalidUtf8::Skip`] it is
//! listed in [`Corpus::skipped`] instead, so that no document goes missing
//! unsaid. Errors name the file and, where there is one, the line.

use std::fs;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use regex::Regex;

mod detect;
mod jsonl;
mod text;

use self::detect::open_input;
use crate::corpus::{Compression, Corpus, Document, InputFormat, InputSummary, Skipped};
use crate::error::{Error, Result};

/// What a [`Reader`] does with a document whose bytes are not valid UTF-8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InvalidUtf8 {
    /// Stop with [`ErrorKind::Parse`](crate::ErrorKind::Parse), naming the
    /// file, line and byte.
    #[default]
    Fail,
    /// Leave the document out and list it in [`Corpus::skipped`] with the
    /// same details.
    Skip,
}

/// Reads corpora: the heading pattern for splitting text files and what to
/// do with invalid UTF-8.
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use chachong::source::{InvalidUtf8, Reader};
///
/// let input = b"{\"id\": \"a\", \"text\": \"\xe7\xac\xac\xe4\xb8\x80\"}\n{\"id\": \"b\", \"text\": \"\xff\"}\n";
/// let reader = Reader::new().invalid_utf8(InvalidUtf8::Skip);
/// let corpus = reader.read_jsonl_from(&input[..], Path::new("mem.jsonl"))?;
/// assert_eq!(corpus.documents[0].text(), "第一");
/// assert_eq!(corpus.skipped[0].id.as_deref(), Some("b"));
/// assert_eq!(corpus.skipped[0].to_string(), "mem.jsonl:2: document \"b\": invalid UTF-8 at byte 21 of the line");
///
/// // By default the same input is an error.
/// let err = Reader::new().read_jsonl_from(&input[..], Path::new("mem.jsonl")).unwrap_err();
/// assert_eq!(err.to_string(), "mem.jsonl:2: document \"b\": invalid UTF-8 at byte 21 of the line");
///
/// // A text file split at its headings; the title before the first is listed, not lost.
/// let reader = Reader::new().split(r"^讲话篇\d+$")?;
/// let corpus = reader.read_text_from("合集标题\n讲话篇1\n正文一\n讲话篇2\n正文二\n".as_bytes(), Path::new("s.txt"))?;
/// assert_eq!((corpus.documents[0].id(), corpus.documents[0].text()), ("讲话篇1", "正文一\n"));
/// assert_eq!(corpus.skipped[0].to_string(), "s.txt:1: 1 line of text before the first heading, not a document");
/// # Ok::<(), chachong::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Reader {
    split: Option<Regex>,
    invalid_utf8: InvalidUtf8,
    id_field: String,
    text_field: String,
}

impl Default for Reader {
    fn default() -> Reader {
        Reader {
            split: None,
            invalid_utf8: InvalidUtf8::Fail,
            id_field: "id".to_string(),
            text_field: "text".to_string(),
        }
    }
}

/// One row of a JSON Lines input with every field, as [`Reader::for_each_record`]
/// reads it again for outputs that copy rows (an annotated corpus, a
/// deduplicated one). A text input's rows have just the id and text fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The document's id, as [`Reader::read_path`] gave it.
    pub id: String,
    /// Every field of the row, in the row's order.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl Reader {
    /// A reader that splits nothing and fails on invalid UTF-8.
    pub fn new() -> Reader {
        Reader::default()
    }

    /// Reads a JSON Lines document's id and text from these fields
    /// (default `id` and `text`), for corpora that name them otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use chachong::source::Reader;
    ///
    /// let input = "{\"url\": \"https://a\", \"content\": \"第一篇\", \"lang\": \"zh\"}\n";
    /// let reader = Reader::new().fields("url", "content");
    /// let corpus = reader.read_jsonl_from(input.as_bytes(), Path::new("crawl.jsonl"))?;
    /// assert_eq!((corpus.documents[0].id(), corpus.documents[0].text()), ("https://a", "第一篇"));
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn fields(mut self, id: &str, text: &str) -> Reader {
        self.id_field = id.to_string();
        self.text_field = text.to_string();
        self
    }

    fn field_names(&self) -> jsonl::Fields<'_> {
        jsonl::Fields {
            id: &self.id_field,
            text: &self.text_field,
        }
    }

    /// Splits text files (not JSON Lines, not folders) at lines matching
    /// `heading`, a regex tested against each line without its line ending.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Pattern`](crate::ErrorKind::Pattern) if `heading` does
    /// not compile.
    pub fn split(mut self, heading: &str) -> Result<Reader> {
        let pattern = Regex::new(heading).map_err(|e| {
            // The regex crate draws a caret under the fault over several
            // lines; an error is one line, so keep its last: the reason.
            let message = e.to_string();
            let reason = message.lines().last().unwrap_or_default();
            Error::pattern(heading, reason.trim_start_matches("error: "))
        })?;
        self.split = Some(pattern);
        Ok(self)
    }

    /// Sets what to do with invalid UTF-8 (default [`InvalidUtf8::Fail`]).
    pub fn invalid_utf8(mut self, policy: InvalidUtf8) -> Reader {
        self.invalid_utf8 = policy;
        self
    }

    /// Reads `path` (`-` for standard input), deciding its layout as the
    /// module docs say.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) if it cannot be read or
    /// decompressed; [`ErrorKind::NoDocuments`](crate::ErrorKind::NoDocuments)
    /// if it holds none (an empty file or folder, a JSON Lines file of blank
    /// lines); otherwise as the layout's reader.
    pub fn read_path(&self, path: &Path) -> Result<Corpus> {
        let corpus = if path == Path::new("-") {
            self.read_from(io::stdin().lock(), path)?
        } else if fs::metadata(path).map_err(|e| Error::io(path, e))?.is_dir() {
            self.read_dir(path)?
        } else {
            let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
            self.read_from(file, path)?
        };
        if corpus.is_empty() {
            return Err(Error::no_documents(Some(path)));
        }
        Ok(corpus)
    }

    /// Reads one input from `reader`, decompressing and deciding its layout
    /// as the module docs say; `name` is the name it is known by (used for
    /// its layout, in errors and in [`Skipped::source`]).
    ///
    /// # Errors
    ///
    /// As [`read_path`](Self::read_path), but an input without documents
    /// is an empty corpus.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use chachong::source::Reader;
    /// use chachong::InputFormat;
    ///
    /// // No extension: the content says JSON Lines.
    /// let input = "\u{feff}{\"id\": \"a\", \"text\": \"第一篇\"}\n";
    /// let corpus = Reader::new().read_from(input.as_bytes(), Path::new("/dev/stdin"))?;
    /// assert_eq!(corpus.documents[0].id(), "a");
    /// assert_eq!(corpus.inputs[0].format, InputFormat::Jsonl);
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn read_from(&self, reader: impl Read, name: &Path) -> Result<Corpus> {
        let input = open_input(reader, name)?;
        let compression = input.compression;
        let mut corpus = match input.format {
            InputFormat::Jsonl => self.read_jsonl_from(input.stream, name)?,
            _ => {
                let inner = input.inner.clone();
                self.text(&input.into_bytes(name)?, name, &inner)?
            }
        };
        if let Some(summary) = corpus.inputs.last_mut() {
            summary.compression = compression;
        }
        Ok(corpus)
    }

    /// Reads one input again, row by row with every field, handing `visit`
    /// the [`Record`] of each document that
    /// [`read_from`](Self::read_from) gives, in the same order (rows it
    /// skips are passed over). What outputs that copy whole rows read.
    ///
    /// # Errors
    ///
    /// As [`read_from`](Self::read_from), and whatever `visit` returns.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use chachong::source::Reader;
    ///
    /// let input = "{\"id\": 7, \"text\": \"第一篇\", \"source\": {\"site\": \"gov\"}}\n\n";
    /// let mut rows = Vec::new();
    /// Reader::new().for_each_record(input.as_bytes(), Path::new("a.jsonl"), |r| {
    ///     rows.push(r);
    ///     Ok(())
    /// })?;
    /// assert_eq!(rows.len(), 1);
    /// assert_eq!(rows[0].id, "7");
    /// assert_eq!(rows[0].fields["source"]["site"], "gov");
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn for_each_record<E: From<Error>>(
        &self,
        reader: impl Read,
        name: &Path,
        visit: impl FnMut(Record) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        stoppable(name, visit, |each| self.records(reader, name, each))
    }

    fn records(
        &self,
        reader: impl Read,
        name: &Path,
        mut visit: impl FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        let input = open_input(reader, name)?;
        if input.format == InputFormat::Jsonl {
            return jsonl::read_records(input.stream, name, self.field_names(), visit);
        }
        let inner = input.inner.clone();
        let bytes = input.into_bytes(name)?;
        // Documents that are not text were failed or skipped by the first
        // read: passed over here.
        let skipping = self.clone().invalid_utf8(InvalidUtf8::Skip);
        let corpus = skipping.text(&bytes, name, &inner)?;
        for doc in corpus.documents {
            visit(self.record(doc))?;
        }
        Ok(())
    }

    /// [`for_each_record`](Self::for_each_record) for a path as
    /// [`read_path`](Self::read_path) takes it: a file, a folder, or `-`.
    ///
    /// # Errors
    ///
    /// As [`read_path`](Self::read_path), and whatever `visit` returns.
    pub fn for_each_record_in<E: From<Error>>(
        &self,
        path: &Path,
        visit: impl FnMut(Record) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        stoppable(path, visit, |each| {
            if path == Path::new("-") {
                self.records(io::stdin().lock(), path, each)
            } else if fs::metadata(path).map_err(|e| Error::io(path, e))?.is_dir() {
                let skipping = self.clone().invalid_utf8(InvalidUtf8::Skip);
                for doc in skipping.read_dir(path)?.documents {
                    each(self.record(doc))?;
                }
                Ok(())
            } else {
                let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
                self.records(file, path, each)
            }
        })
    }

    /// The record of a document read from text: its id and text fields.
    fn record(&self, doc: Document) -> Record {
        let mut fields = serde_json::Map::new();
        fields.insert(self.id_field.clone(), doc.id().into());
        fields.insert(self.text_field.clone(), doc.text().into());
        Record {
            id: doc.id().to_string(),
            fields,
        }
    }

    /// Reads JSON Lines from any reader (a file, a decompressor); `name` is
    /// used in errors and in [`Skipped::source`]. Blank lines are not
    /// documents; a byte order mark at the start of a line is dropped.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) if reading fails;
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) with the line number
    /// for a line that is not a JSON object, lacks a string or integer `id`
    /// or a string `text`, has an empty `id` or one seen on an earlier line,
    /// or (unless skipped) is not valid UTF-8 or holds a lone UTF-16
    /// surrogate escape such as `"\ud800"`, which is not text either.
    pub fn read_jsonl_from(&self, reader: impl BufRead, name: &Path) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        let fields = self.field_names();
        let numbers = jsonl::read(reader, name, fields, |parsed| {
            self.keep(&mut corpus, name, parsed)
        })?;
        check_unique(&corpus.documents, &numbers, name)?;
        corpus
            .inputs
            .push(summary(name, InputFormat::Jsonl, &corpus));
        Ok(corpus)
    }

    /// Reads the bytes of a text file: split at headings if a pattern is
    /// set, else one document whose id is the stem of `name`. A byte order
    /// mark at the start is dropped.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) if the split finds no
    /// heading (a wrong pattern, not an empty corpus), if two headings are
    /// the same line (the ids would clash), or for invalid UTF-8 unless
    /// skipped; a document with invalid UTF-8 in any of its lines is failed
    /// or skipped as a whole.
    pub fn read_text_from(&self, bytes: &[u8], name: &Path) -> Result<Corpus> {
        self.text(bytes, name, name)
    }

    /// [`read_text_from`](Self::read_text_from), with the document's id
    /// taken from `inner` (the name without a compression ending).
    fn text(&self, bytes: &[u8], name: &Path, inner: &Path) -> Result<Corpus> {
        let bytes = text::without_bom(bytes);
        let mut corpus = Corpus::default();
        let format = match &self.split {
            Some(heading) => {
                let split = text::split(bytes, heading, name)?;
                if let Some(preamble) = split.preamble {
                    corpus.skipped.push(preamble);
                }
                let mut lines = Vec::new();
                for piece in split.pieces {
                    if self.keep(&mut corpus, name, piece.parsed)? {
                        lines.push(piece.heading_line);
                    }
                }
                check_unique(&corpus.documents, &lines, name)?;
                InputFormat::SplitText
            }
            None if bytes.is_empty() => InputFormat::Text,
            None => {
                let parsed = Parsed::new(stem(inner), text::text_of(bytes));
                self.keep(&mut corpus, name, parsed)?;
                InputFormat::Text
            }
        };
        corpus.inputs.push(summary(name, format, &corpus));
        Ok(corpus)
    }

    /// Reads every `.txt` file directly in folder `path` (not in
    /// subfolders; the extension in any case), sorted by file name; the id
    /// of each is its file stem.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) if the folder or a file
    /// cannot be read; [`ErrorKind::Parse`](crate::ErrorKind::Parse) for a
    /// file that is not valid UTF-8, unless skipped.
    pub fn read_dir(&self, path: &Path) -> Result<Corpus> {
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in fs::read_dir(path).map_err(|e| Error::io(path, e))? {
            let entry = entry.map_err(|e| Error::io(path, e))?;
            let file = entry.path();
            if Reader::reads_in_folder(&file) && file.is_file() {
                files.push(file);
            }
        }
        files.sort();
        let mut corpus = Corpus::default();
        for file in &files {
            let bytes = fs::read(file).map_err(|e| Error::io(file, e))?;
            let text = text::text_of(text::without_bom(&bytes));
            self.keep(&mut corpus, file, Parsed::new(stem(file), text))?;
        }
        corpus
            .inputs
            .push(summary(path, InputFormat::TextFolder, &corpus));
        Ok(corpus)
    }

    /// Whether [`read_dir`](Self::read_dir) reads a file of this name: a
    /// `.txt` file, the extension in any case.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use chachong::source::Reader;
    ///
    /// assert!(Reader::reads_in_folder(Path::new("corpus/篇1.TXT")));
    /// assert!(!Reader::reads_in_folder(Path::new("corpus/report.json")));
    /// ```
    pub fn reads_in_folder(file: &Path) -> bool {
        file.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
    }

    /// Adds a document, or fails or skips it by the UTF-8 policy; returns
    /// whether it was added.
    fn keep(&self, corpus: &mut Corpus, source: &Path, parsed: Parsed) -> Result<bool> {
        match parsed {
            Parsed::Document(document) => {
                corpus.documents.push(document);
                Ok(true)
            }
            Parsed::Bad(id, BadText { line, reason }) => {
                let skipped = Skipped {
                    source: source.display().to_string(),
                    line,
                    id: (!id.is_empty()).then_some(id),
                    reason,
                };
                match self.invalid_utf8 {
                    InvalidUtf8::Fail => Err(Error::parse(source, line, skipped.problem())),
                    InvalidUtf8::Skip => {
                        corpus.skipped.push(skipped);
                        Ok(false)
                    }
                }
            }
        }
    }
}

/// Runs `read` with a visitor that stops at the first error of `visit`,
/// and returns that error as it was.
fn stoppable<E: From<Error>>(
    name: &Path,
    mut visit: impl FnMut(Record) -> std::result::Result<(), E>,
    read: impl FnOnce(&mut dyn FnMut(Record) -> Result<()>) -> Result<()>,
) -> std::result::Result<(), E> {
    let mut stopped: Option<E> = None;
    let read = read(&mut |record| {
        visit(record).map_err(|e| {
            stopped = Some(e);
            // Never seen: the caller's own error is returned instead.
            Error::io(name, io::Error::other("stopped by the caller"))
        })
    });
    match stopped {
        Some(e) => Err(e),
        None => read.map_err(E::from),
    }
}

/// A document's text, or why it is not text.
type Text = std::result::Result<String, BadText>;

/// A document read, or its id (empty if unknown) and why its bytes are not
/// text.
enum Parsed {
    Document(Document),
    Bad(String, BadText),
}

impl Parsed {
    fn new(id: String, text: Text) -> Parsed {
        match text {
            Ok(text) => Parsed::Document(Document::new(id, text)),
            Err(bad) => Parsed::Bad(id, bad),
        }
    }
}

/// Where and how a document's bytes stop being text.
struct BadText {
    /// 1-based line, where one applies.
    line: Option<usize>,
    reason: String,
}

fn summary(name: &Path, format: InputFormat, corpus: &Corpus) -> InputSummary {
    InputSummary {
        source: name.display().to_string(),
        format,
        compression: Compression::None,
        documents: corpus.documents.len(),
        skipped: corpus.skipped.len(),
    }
}

/// Fails on the first id that appears twice, naming both lines. Sorting
/// borrowed ids costs 24 bytes a document for a moment, not a hash map.
fn check_unique(docs: &[Document], lines: &[usize], name: &Path) -> Result<()> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&x, &y| docs[x].id().cmp(docs[y].id()).then(x.cmp(&y)));
    let first_clash = order
        .windows(2)
        .filter(|w| docs[w[0]].id() == docs[w[1]].id())
        .min_by_key(|w| lines[w[1]]);
    match first_clash {
        Some(w) => Err(Error::parse(
            name,
            Some(lines[w[1]]),
            format!(
                "duplicate id {:?} (first on line {})",
                docs[w[1]].id(),
                lines[w[0]]
            ),
        )),
        None => Ok(()),
    }
}

fn stem(path: &Path) -> String {
    if path == Path::new("-") {
        return "stdin".to_string();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
