//! Reading corpora from files.
//!
//! Five layouts, each turned into [`Document`]s in a fixed order:
//!
//! - **JSON Lines**: one `{"id": …, "text": …}` object per line (other
//!   fields ignored; a numeric id is taken as its decimal string; blank
//!   lines skipped).
//! - **Parquet** (with the `parquet` feature, on by default): one row a
//!   document, from its `id` (strings or integers) and `text` (strings)
//!   columns; other columns are not read. A null id or text is an error
//!   naming the row.
//! - **A folder**: its `.txt` and `.docx` files one document each (id =
//!   file stem), and its shards (`.jsonl`, `.ndjson`, `.jsonlines`, each
//!   maybe `.gz` or `.zst`, and `.parquet`) read as above, all in order of
//!   file name; names starting with `.` or `_` (Spark's `_SUCCESS`, checksum
//!   files) and subfolders are passed over.
//! - **A text file**: split into documents at heading lines if a pattern is
//!   set (each line matching it starts a document whose id is that line,
//!   trimmed), else one document whose id is the file stem. Text before the
//!   first heading is no document: it is listed in [`Corpus::skipped`].
//!   Text that is not UTF-8 is decoded (a byte order mark's encoding, else
//!   the Chinese, Japanese or Korean encoding its bytes look like).
//! - **A Word file** (`.docx`): the paragraphs of its body, one line each,
//!   then read as a text file is (see `docx.rs` for what counts as text).
//!
//! A [`Reader`] reads any of them into a [`Corpus`], and decides which one
//! a file is: a folder is a folder; a file is decompressed first if its
//! first bytes are gzip's or Zstandard's (whatever its name); then its name
//! decides, case-insensitively and without a `.gz` or `.zst` ending
//! (`.jsonl`, `.ndjson`, `.jsonlines` and `.json` are JSON Lines,
//! `.parquet`, `.pq` and `.parq` Parquet, `.docx` Word, `.txt`, `.text` and
//! `.md` text),
//! and where the name does not (no extension, another one, standard input,
//! `/dev/fd/63`), its content does: Parquet if it starts with `PAR1`, JSON
//! Lines if its first character is `{`, else text. `-` is standard input. A
//! UTF-8 byte order mark is dropped wherever a file or a JSON line starts
//! with one. [`Corpus::inputs`] says what each input was read as.
//!
//! By default a document whose bytes are not valid UTF-8 stops the read
//! with an error naming the file and line; with [`InvalidUtf8::Skip`] it is
//! listed in [`Corpus::skipped`] instead, so that no document goes missing
//! unsaid. Errors name the file and, where there is one, the line.

use std::fs;
use std::io::{self, BufRead, Read};
use std::path::Path;

use encoding_rs::Encoding;
use regex::Regex;

#[cfg(feature = "parquet")]
pub mod columns;
mod decode;
mod detect;
mod docx;
mod each;
mod folder;
mod jsonl;
#[cfg(feature = "parquet")]
mod parquet;
mod text;

use self::detect::open_input;
use self::each::{summary, Sink};
use self::folder::Entry;
use crate::corpus::{
    first_repeated_id, Compression, Corpus, Document, DocumentEncoding, InputFormat, InputSummary,
    Skipped,
};
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
    /// The encoding of text files, where given (else found).
    encoding: Option<&'static Encoding>,
    id_field: String,
    text_field: String,
}

impl Default for Reader {
    fn default() -> Reader {
        Reader {
            split: None,
            invalid_utf8: InvalidUtf8::Fail,
            encoding: None,
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

    /// Reads text files (not JSON Lines, which is UTF-8, nor Parquet) in
    /// the encoding `label` names (`gbk`, `gb18030`, `big5`, `utf-16le`,
    /// `utf-8`, … as WHATWG names them) instead of finding it: a byte order
    /// mark, else UTF-8, else the encoding chardetng guesses.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// label no encoding has.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use chachong::source::Reader;
    ///
    /// // 「第一篇」 in GBK.
    /// let gbk = [0xb5, 0xda, 0xd2, 0xbb, 0xc6, 0xaa];
    /// let corpus = Reader::new().encoding("gbk")?.read_text_from(&gbk, Path::new("a.txt"))?;
    /// assert_eq!(corpus.documents[0].text(), "第一篇");
    /// assert_eq!(corpus.inputs[0].encoding.as_deref(), Some("GBK"));
    /// assert!(Reader::new().encoding("klingon").is_err());
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn encoding(mut self, label: &str) -> Result<Reader> {
        let encoding = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
            Error::invalid_config(
                "encoding",
                format!("no encoding is called {label:?} (gbk, gb18030, big5, utf-16le, utf-8, …)"),
            )
        })?;
        self.encoding = Some(encoding);
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
        self.path_into(path, &mut Sink::Collect)
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
        self.stream_into(reader, name, &mut Sink::Collect)
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
        match input.format {
            InputFormat::Jsonl => {
                return jsonl::read_records(input.stream, name, self.field_names(), visit)
            }
            InputFormat::Parquet => {
                let bytes = input.into_bytes(name)?;
                return self.parquet_records(ParquetSource::Bytes(bytes), name, visit);
            }
            _ => {}
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
                for entry in folder::entries(path)? {
                    match entry {
                        // Documents that are not text were failed or
                        // skipped by the first read: passed over here.
                        Entry::Text(file) => match self.folder_text(&file)? {
                            (Parsed::Document(doc), _) => each(self.record(doc))?,
                            (Parsed::Bad(..), _) => {}
                        },
                        Entry::Shard(file) => self.file_records(&file, &mut *each)?,
                    }
                }
                Ok(())
            } else {
                self.file_records(path, each)
            }
        })
    }

    /// The records of one file: a Parquet file read in place, anything else
    /// as a stream.
    fn file_records(&self, path: &Path, visit: impl FnMut(Record) -> Result<()>) -> Result<()> {
        let mut file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
        if is_parquet(path, &mut file)? {
            return self.parquet_records(ParquetSource::File(file), path, visit);
        }
        self.records(file, path, visit)
    }

    /// Reads a Parquet input's rows with every column.
    #[cfg(feature = "parquet")]
    fn parquet_records(
        &self,
        source: ParquetSource,
        name: &Path,
        visit: impl FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        let fields = self.field_names();
        match source {
            ParquetSource::File(file) => parquet::read_records(file, name, fields, visit),
            ParquetSource::Bytes(bytes) => {
                parquet::read_records(bytes::Bytes::from(bytes), name, fields, visit)
            }
        }
    }

    #[cfg(not(feature = "parquet"))]
    fn parquet_records(
        &self,
        _: ParquetSource,
        name: &Path,
        _: impl FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        Err(no_parquet(name))
    }

    /// The Arrow schema of the rows at `path`, where it is Parquet: a
    /// Parquet file's, or a folder's whose files are all Parquet of one
    /// schema. `None` for anything else (JSON Lines has no schema).
    ///
    /// # Errors
    ///
    /// As [`read_path`](Self::read_path), for a file that cannot be opened
    /// or is not Parquet that can be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use chachong::source::Reader;
    ///
    /// assert!(Reader::new().arrow_schema(Path::new("tests/data/speeches.txt"))?.is_none());
    /// # Ok::<(), chachong::Error>(())
    /// ```
    #[cfg(feature = "parquet")]
    pub fn arrow_schema(&self, path: &Path) -> Result<Option<arrow_schema::SchemaRef>> {
        let files = if path == Path::new("-") {
            return Ok(None);
        } else if fs::metadata(path).map_err(|e| Error::io(path, e))?.is_dir() {
            let mut files = Vec::new();
            for entry in folder::entries(path)? {
                match entry {
                    Entry::Shard(file) => files.push(file),
                    Entry::Text(_) => return Ok(None),
                }
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut schema: Option<arrow_schema::SchemaRef> = None;
        for file in &files {
            let mut opened = fs::File::open(file).map_err(|e| Error::io(file, e))?;
            if !is_parquet(file, &mut opened)? {
                return Ok(None);
            }
            let this = parquet::schema(opened, file)?;
            if schema.as_ref().is_some_and(|s| s != &this) {
                return Ok(None);
            }
            schema = Some(this);
        }
        Ok(schema)
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
        self.jsonl_into(reader, name, &mut Sink::Collect)
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
        let mut corpus = Corpus::default();
        let decoded = match decode::decode(bytes, self.encoding) {
            Ok(decoded) => decoded,
            // A split needs the text to find its headings.
            Err(reason) if self.split.is_some() => return Err(Error::parse(name, None, reason)),
            Err(reason) => {
                let bad = Parsed::Bad(stem(inner), BadText { line: None, reason });
                self.keep(&mut corpus, name, bad)?;
                corpus.inputs.push(summary(
                    name,
                    InputFormat::Text,
                    corpus.documents.len(),
                    &corpus,
                ));
                return Ok(corpus);
            }
        };
        let bytes = text::without_bom(&decoded.bytes);
        let mut corpus = self.utf8_text(bytes, name, inner, corpus)?;
        if let Some(read) = corpus.inputs.last_mut() {
            read.encoding = encoding_name(decoded.encoding);
        }
        if let Some(encoding) = encoding_name(decoded.encoding) {
            corpus.encodings = corpus
                .documents
                .iter()
                .map(|d| DocumentEncoding {
                    document: d.id().to_string(),
                    encoding: encoding.clone(),
                })
                .collect();
        }
        Ok(corpus)
    }

    /// The documents of a Word file (`.docx`): its paragraphs read as a
    /// text file's lines.
    fn docx(&self, bytes: &[u8], name: &Path, inner: &Path) -> Result<Corpus> {
        let text = docx::text_of(bytes).map_err(|reason| Error::parse(name, None, reason))?;
        let mut corpus = self.utf8_text(text.as_bytes(), name, inner, Corpus::default())?;
        if let Some(read) = corpus.inputs.last_mut() {
            read.format = InputFormat::Docx;
        }
        Ok(corpus)
    }

    /// The documents of a text already in UTF-8: split at headings, or one
    /// document named after `inner`; added to `corpus` with the input's
    /// summary.
    fn utf8_text(
        &self,
        bytes: &[u8],
        name: &Path,
        inner: &Path,
        mut corpus: Corpus,
    ) -> Result<Corpus> {
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
                check_unique(&corpus.documents, &lines, name, Numbering::Lines)?;
                InputFormat::SplitText
            }
            None if bytes.is_empty() => InputFormat::Text,
            None => {
                let parsed = Parsed::new(stem(inner), text::text_of(bytes));
                self.keep(&mut corpus, name, parsed)?;
                InputFormat::Text
            }
        };
        let read = summary(name, format, corpus.documents.len(), &corpus);
        corpus.inputs.push(read);
        Ok(corpus)
    }

    /// Reads folder `path` as the module docs say: every `.txt` file
    /// directly in it (the extension in any case) as one document whose id
    /// is its file stem, every shard as a corpus, in order of file name.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) if the folder or a file
    /// cannot be read; [`ErrorKind::Parse`](crate::ErrorKind::Parse) for a
    /// `.txt` file that is not valid UTF-8, unless skipped, and as
    /// [`read_path`](Self::read_path) for a shard.
    pub fn read_dir(&self, path: &Path) -> Result<Corpus> {
        self.dir_into(path, &mut Sink::Collect)
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
        Entry::of(file.to_path_buf()).is_some()
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

/// How an input's documents are numbered in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Numbering {
    /// By line of a text or JSON Lines file.
    Lines,
    /// By row of a table.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Rows,
}

/// Fails on the first id that appears twice, naming both lines (or rows).
fn check_unique(
    docs: &[Document],
    numbers: &[usize],
    name: &Path,
    numbering: Numbering,
) -> Result<()> {
    // Numbers grow with the documents' order: the first clash by place is
    // the first by line (or row).
    let Some((x, y)) = first_repeated_id(docs.len(), |k| docs[k].id()) else {
        return Ok(());
    };
    let (id, first, again) = (docs[y].id(), numbers[x], numbers[y]);
    Err(match numbering {
        Numbering::Lines => Error::parse(
            name,
            Some(again),
            format!("duplicate id {id:?} (first on line {first})"),
        ),
        Numbering::Rows => Error::parse(
            name,
            None,
            format!("row {again}: duplicate id {id:?} (first in row {first})"),
        ),
    })
}

impl Reader {
    /// A folder's `.txt` file as a document (or why it is none), and the
    /// encoding it was read in.
    fn folder_text(&self, file: &Path) -> Result<(Parsed, &'static Encoding)> {
        let bytes = fs::read(file).map_err(|e| Error::io(file, e))?;
        if detect::format_by_name(file) == Some(InputFormat::Docx) {
            let text = docx::text_of(&bytes).map_err(|reason| Error::parse(file, None, reason))?;
            return Ok((
                Parsed::new(stem(file), text::text_of(text.as_bytes())),
                encoding_rs::UTF_8,
            ));
        }
        Ok(match decode::decode(&bytes, self.encoding) {
            Ok(decoded) => {
                let text = text::text_of(text::without_bom(&decoded.bytes));
                (Parsed::new(stem(file), text), decoded.encoding)
            }
            Err(reason) => {
                let bad = BadText { line: None, reason };
                (Parsed::Bad(stem(file), bad), encoding_rs::UTF_8)
            }
        })
    }
}

/// A folder's `.txt` files as they are read: how many, how many became
/// documents, and their encodings other than UTF-8.
#[derive(Default)]
struct TextFiles {
    files: usize,
    documents: usize,
    encodings: std::collections::BTreeMap<&'static str, usize>,
}

impl TextFiles {
    /// Counts a file read in `encoding`.
    fn file(&mut self, encoding: &'static Encoding) {
        self.files += 1;
        if encoding != encoding_rs::UTF_8 {
            *self.encodings.entry(encoding.name()).or_default() += 1;
        }
    }

    /// Counts a file that became a document.
    fn document(&mut self) {
        self.documents += 1;
    }

    /// The folder's summary of its `.txt` files: each shard says what it
    /// was, the text files are summed up as one input (an empty folder,
    /// too).
    fn summary(self, path: &Path, corpus: &Corpus) -> Option<InputSummary> {
        if self.files == 0 && !corpus.inputs.is_empty() {
            return None;
        }
        let encodings: Vec<String> = self
            .encodings
            .iter()
            .map(|(name, files)| format!("{name}: {files} files"))
            .collect();
        Some(InputSummary {
            source: path.display().to_string(),
            format: InputFormat::TextFolder,
            compression: Compression::None,
            encoding: (!encodings.is_empty()).then(|| encodings.join(", ")),
            documents: self.documents,
            skipped: self.files - self.documents,
        })
    }
}

/// How a report names `encoding`: nothing for UTF-8.
fn encoding_name(encoding: &'static Encoding) -> Option<String> {
    (encoding != encoding_rs::UTF_8).then(|| encoding.name().to_string())
}

/// Where a Parquet input's bytes are.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
enum ParquetSource {
    /// A file, read in place (Parquet's index is at its end).
    File(fs::File),
    /// Standard input or a compressed file, read whole.
    Bytes(Vec<u8>),
}

/// Whether `file` (named `path`) is Parquet to read in place: by its name,
/// or, for a regular file, by its first bytes. The file is left at its
/// start.
fn is_parquet(path: &Path, file: &mut fs::File) -> Result<bool> {
    use std::io::Seek;
    if detect::format_by_name(path) == Some(InputFormat::Parquet) {
        return Ok(true);
    }
    // A pipe (`/dev/stdin`) cannot go back to its start: it is read as a
    // stream, which knows Parquet by the same bytes.
    let regular = file.metadata().is_ok_and(|m| m.is_file());
    if !regular {
        return Ok(false);
    }
    let mut head = [0; 4];
    let read = file.read(&mut head).map_err(|e| Error::io(path, e))?;
    file.rewind().map_err(|e| Error::io(path, e))?;
    Ok(head[..read] == *detect::PARQUET_MAGIC)
}

#[cfg(not(feature = "parquet"))]
fn no_parquet(name: &Path) -> Error {
    Error::parse(
        name,
        None,
        "a Parquet file, and this chachong was built without its `parquet` feature",
    )
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
