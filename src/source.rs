//! Reading corpora from files.
//!
//! Three layouts, each turned into [`Document`]s in a fixed order:
//!
//! - **JSONL**: one `{"id": …, "text": …}` object per line (other fields
//!   ignored; a numeric id is taken as its decimal string; blank lines
//!   skipped).
//! - **A folder of `.txt` files**: one document per file, id = file stem,
//!   sorted by file name.
//! - **One text file split by heading lines**: each line matching the
//!   pattern starts a document whose id is that line (trimmed) and whose
//!   text is the lines up to the next heading; text before the first
//!   heading is not a document.
//!
//! A [`Reader`] reads any of them into a [`Corpus`]. By default a document
//! whose bytes are not valid UTF-8 stops the read with an error naming the
//! file and line; with [`InvalidUtf8::Skip`] it is listed in
//! [`Corpus::skipped`] instead, so that no document goes missing unsaid.
//! Errors name the file and, where there is one, the line.
//!
//! The free functions ([`read_path`], [`read_jsonl`], …) are a default
//! [`Reader`] returning only the documents.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use regex::Regex;

use crate::corpus::{Corpus, Document, Skipped};
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
/// # Ok::<(), chachong::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Reader {
    split: Option<Regex>,
    invalid_utf8: InvalidUtf8,
}

impl Reader {
    /// A reader that splits nothing and fails on invalid UTF-8.
    pub fn new() -> Reader {
        Reader::default()
    }

    /// Splits text files (not JSONL, not folders) at lines matching
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

    /// Reads `path`, choosing the layout: a folder is read with
    /// [`read_dir`](Self::read_dir), a file ending in `.jsonl` with
    /// [`read_jsonl_from`](Self::read_jsonl_from), any other file split at
    /// headings if a pattern is set, else as one document whose id is the
    /// file stem.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) if it cannot be read;
    /// [`ErrorKind::NoDocuments`](crate::ErrorKind::NoDocuments) if it holds
    /// none (an empty file or folder, a JSONL file of blank lines);
    /// otherwise as the layout's reader.
    pub fn read_path(&self, path: &Path) -> Result<Corpus> {
        let metadata = fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let corpus = if metadata.is_dir() {
            self.read_dir(path)?
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
            self.read_jsonl_from(BufReader::new(file), path)?
        } else {
            let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
            if bytes.is_empty() {
                return Err(Error::no_documents(Some(path)));
            }
            match &self.split {
                Some(heading) => self.read_split_from(&bytes, heading, path)?,
                None => {
                    let mut corpus = Corpus::default();
                    self.keep(&mut corpus, path, Parsed::new(stem(path), text_of(&bytes)))?;
                    corpus
                }
            }
        };
        if corpus.is_empty() {
            return Err(Error::no_documents(Some(path)));
        }
        Ok(corpus)
    }

    /// Reads JSONL from any reader (a file, a decompressor); `name` is used
    /// in errors and in [`Skipped::source`]. Blank lines are not documents.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) if reading fails;
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) with the line number
    /// for a line that is not a JSON object, lacks a string or integer `id`
    /// or a string `text`, has an empty `id` or one seen on an earlier line,
    /// or (unless skipped) is not valid UTF-8 or holds a lone UTF-16
    /// surrogate escape such as `"\ud800"`, which is not text either.
    pub fn read_jsonl_from(&self, mut reader: impl BufRead, name: &Path) -> Result<Corpus> {
        let mut corpus = Corpus::default();
        let mut numbers: Vec<usize> = Vec::new();
        let mut chunk: Vec<u8> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        let mut first_number = 1;
        loop {
            // A chunk of whole lines, parsed in parallel, kept in order.
            chunk.clear();
            starts.clear();
            while chunk.len() < JSONL_CHUNK_BYTES {
                let start = chunk.len();
                let read = reader
                    .read_until(b'\n', &mut chunk)
                    .map_err(|e| Error::io(name, e))?;
                if read == 0 {
                    break;
                }
                starts.push(start);
            }
            if starts.is_empty() {
                break;
            }
            let parsed: Vec<Option<Result<Parsed>>> = (0..starts.len())
                .into_par_iter()
                .map(|k| {
                    let end = starts.get(k + 1).copied().unwrap_or(chunk.len());
                    parse_jsonl_bytes(&chunk[starts[k]..end], name, first_number + k)
                })
                .collect();
            for (k, parsed) in parsed.into_iter().enumerate() {
                if let Some(parsed) = parsed {
                    if self.keep(&mut corpus, name, parsed?)? {
                        numbers.push(first_number + k);
                    }
                }
            }
            first_number += starts.len();
        }
        check_unique(&corpus.documents, &numbers, name)?;
        Ok(corpus)
    }

    /// Reads every `.txt` file directly in folder `path` (not in
    /// subfolders), sorted by file name; the id of each is its file stem.
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
            if file.extension().is_some_and(|e| e == "txt") && file.is_file() {
                files.push(file);
            }
        }
        files.sort();
        let mut corpus = Corpus::default();
        for file in &files {
            let bytes = fs::read(file).map_err(|e| Error::io(file, e))?;
            self.keep(&mut corpus, file, Parsed::new(stem(file), text_of(&bytes)))?;
        }
        Ok(corpus)
    }

    /// Splits `bytes` (the contents of `name`) at lines matching `heading`;
    /// see [`split`](Self::split). A document with invalid UTF-8 in any of
    /// its lines is failed or skipped as a whole; bytes before the first
    /// heading belong to no document and are not checked.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`](crate::ErrorKind::Parse) if no line matches
    /// (a split that finds nothing is a wrong pattern, not an empty corpus),
    /// if two headings are the same line (the ids would clash), or for
    /// invalid UTF-8 unless skipped.
    pub fn read_split_from(&self, bytes: &[u8], heading: &Regex, name: &Path) -> Result<Corpus> {
        let pieces = split_lines(bytes, heading);
        if pieces.is_empty() {
            return Err(Error::parse(
                name,
                None,
                format!("no line matches the heading pattern {:?}", heading.as_str()),
            ));
        }
        let mut corpus = Corpus::default();
        let mut lines = Vec::new();
        for piece in pieces {
            if self.keep(&mut corpus, name, Parsed::new(piece.id, piece.text))? {
                lines.push(piece.heading_line);
            }
        }
        check_unique(&corpus.documents, &lines, name)?;
        Ok(corpus)
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

/// Reads a corpus from `path` with a default [`Reader`] (splitting text
/// files at `split` if given) and returns its documents.
///
/// # Errors
///
/// As [`Reader::split`] and [`Reader::read_path`].
pub fn read_path(path: &Path, split: Option<&str>) -> Result<Vec<Document>> {
    let reader = match split {
        Some(heading) => Reader::new().split(heading)?,
        None => Reader::new(),
    };
    Ok(reader.read_path(path)?.documents)
}

/// Reads a JSONL file with a default [`Reader`].
///
/// # Errors
///
/// As [`Reader::read_path`].
pub fn read_jsonl(path: &Path) -> Result<Vec<Document>> {
    Ok(Reader::new().read_path(path)?.documents)
}

/// Reads JSONL from any reader with a default [`Reader`]; `name` is used in
/// errors.
///
/// # Errors
///
/// As [`Reader::read_jsonl_from`].
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let input = "{\"id\": \"a\", \"text\": \"第一篇\", \"url\": \"…\"}\n\n{\"id\": 7, \"text\": \"第二篇\"}\n";
/// let docs = chachong::source::read_jsonl_from(input.as_bytes(), Path::new("mem.jsonl"))?;
/// assert_eq!(docs[1].id(), "7");
///
/// let err = chachong::source::read_jsonl_from("{\"id\": \"a\"}".as_bytes(), Path::new("mem.jsonl")).unwrap_err();
/// assert_eq!(err.to_string(), "mem.jsonl:1: document \"a\": missing string field \"text\"");
/// # Ok::<(), chachong::Error>(())
/// ```
pub fn read_jsonl_from(reader: impl BufRead, name: &Path) -> Result<Vec<Document>> {
    Ok(Reader::new().read_jsonl_from(reader, name)?.documents)
}

/// Reads a folder of `.txt` files with a default [`Reader`].
///
/// # Errors
///
/// As [`Reader::read_path`].
pub fn read_dir(path: &Path) -> Result<Vec<Document>> {
    Ok(Reader::new().read_path(path)?.documents)
}

/// Reads one text file and splits it into documents at lines matching
/// `heading`, with a default [`Reader`].
///
/// # Errors
///
/// As [`Reader::split`] and [`Reader::read_split_from`];
/// [`ErrorKind::Io`](crate::ErrorKind::Io) if the file cannot be read.
pub fn read_split(path: &Path, heading: &str) -> Result<Vec<Document>> {
    Ok(Reader::new().split(heading)?.read_path(path)?.documents)
}

/// Splits `text` at lines matching `heading`; see [`Reader::split`].
///
/// # Examples
///
/// ```
/// use regex::Regex;
///
/// let text = "合集标题\n讲话篇1\n正文一\n讲话篇2\n正文二\n";
/// let docs = chachong::source::split_text(text, &Regex::new(r"^讲话篇\d+$").unwrap());
/// assert_eq!(docs.len(), 2);
/// assert_eq!((docs[0].id(), docs[0].text()), ("讲话篇1", "正文一\n"));
/// ```
pub fn split_text(text: &str, heading: &Regex) -> Vec<Document> {
    split_lines(text.as_bytes(), heading)
        .into_iter()
        // A `&str` is valid UTF-8 throughout, so every piece is text.
        .filter_map(|piece| Some(Document::new(piece.id, piece.text.ok()?)))
        .collect()
}

/// A document's text, or why it is not text.
type Text = std::result::Result<String, BadText>;

/// Lines of JSONL parsed together: big enough to keep every thread busy,
/// small enough that the raw bytes held at once stay a small share of the
/// documents made from them.
const JSONL_CHUNK_BYTES: usize = 16 << 20;

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

/// One JSONL line: `None` if blank, else the document or an error.
fn parse_jsonl_bytes(line: &[u8], name: &Path, number: usize) -> Option<Result<Parsed>> {
    // simdutf8 checks valid text several times faster than std; std says
    // where invalid text goes wrong.
    let text = simdutf8::basic::from_utf8(line).or_else(|_| std::str::from_utf8(line));
    let parsed = match text {
        Ok(line) if line.trim().is_empty() => return None,
        Ok(line) => parse_jsonl_line(line, name, number).map(|(id, text)| Parsed::new(id, text)),
        Err(e) => {
            // The id, if the rest of the line still parses.
            let lossy = String::from_utf8_lossy(line);
            let id = parse_jsonl_line(&lossy, name, number)
                .ok()
                .map(|(id, _)| id);
            let reason = format!("invalid UTF-8 at byte {} of the line", e.valid_up_to());
            Ok(Parsed::Bad(
                id.unwrap_or_default(),
                BadText {
                    line: Some(number),
                    reason,
                },
            ))
        }
    };
    Some(parsed)
}

/// A JSONL line of the usual shape, parsed without building a map of its
/// fields or copying its text twice. Anything else goes the slow way,
/// which says what is wrong.
#[derive(serde::Deserialize)]
struct UsualLine {
    /// A string or an integer, checked by [`id_of`].
    id: serde_json::Value,
    text: String,
}

/// Where and how a document's bytes stop being text.
struct BadText {
    /// 1-based line, where one applies.
    line: Option<usize>,
    reason: String,
}

/// One document cut out of a split file: its text, or the line and reason
/// it is not valid UTF-8.
struct Piece {
    id: String,
    heading_line: usize,
    text: Text,
}

/// Cuts `bytes` into pieces at heading lines. Works on bytes so that one
/// bad line spoils only the document it is in.
fn split_lines(bytes: &[u8], heading: &Regex) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    for (number, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let number = number + 1;
        match std::str::from_utf8(line) {
            Ok(line) if heading.is_match(line.trim_end_matches(['\n', '\r'])) => {
                pieces.push(Piece {
                    id: line.trim().to_string(),
                    heading_line: number,
                    text: Ok(String::new()),
                })
            }
            Ok(line) => {
                if let Some(Piece { text: Ok(text), .. }) = pieces.last_mut() {
                    text.push_str(line);
                }
            }
            Err(e) => {
                if let Some(piece) = pieces.last_mut().filter(|p| p.text.is_ok()) {
                    let reason = format!("invalid UTF-8 at byte {} of the line", e.valid_up_to());
                    piece.text = Err(BadText {
                        line: Some(number),
                        reason,
                    });
                }
            }
        }
    }
    pieces
}

/// The text of a whole file, or where it stops being UTF-8.
fn text_of(bytes: &[u8]) -> Text {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(BadText {
                line: Some(line),
                reason: format!("invalid UTF-8 at byte {at}"),
            })
        }
    }
}

fn parse_jsonl_line(line: &str, name: &Path, number: usize) -> Result<(String, Text)> {
    if let Ok(UsualLine { id, text }) = serde_json::from_str::<UsualLine>(line) {
        if let Some(id) = id_of(&id).filter(|id| !id.is_empty()) {
            return Ok((id, Ok(text)));
        }
    }
    let value: serde_json::Value = match serde_json::from_str(line) {
        Ok(value) => value,
        // serde_json rejects a lone surrogate escape, which Python's
        // json.dumps writes for text cut mid-character: bad text, not bad
        // JSON, so it falls under the UTF-8 policy.
        Err(e) => match lone_surrogate(line) {
            Some(unit) => {
                let id = serde_json::from_str::<IdOnly>(line).ok();
                let reason =
                    format!("not valid Unicode: a lone UTF-16 surrogate escape \\u{unit:04x}");
                return Ok((
                    id.and_then(|x| id_of(&x.id)).unwrap_or_default(),
                    Err(BadText {
                        line: Some(number),
                        reason,
                    }),
                ));
            }
            None => return Err(Error::parse(name, Some(number), format!("not JSON: {e}"))),
        },
    };
    let object = value
        .as_object()
        .ok_or_else(|| Error::parse(name, Some(number), "not a JSON object"))?;
    let id = object.get("id").and_then(id_of).ok_or_else(|| {
        Error::parse(name, Some(number), "missing string or integer field \"id\"")
    })?;
    if id.is_empty() {
        return Err(Error::parse(name, Some(number), "empty \"id\""));
    }
    let text = match object.get("text") {
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => {
            return Err(Error::parse(
                name,
                Some(number),
                format!("document {id:?}: missing string field \"text\""),
            ))
        }
    };
    Ok((id, Ok(text)))
}

/// The first `\\uXXXX` escape in `line` that is half of a surrogate pair
/// without its other half.
fn lone_surrogate(line: &str) -> Option<u16> {
    let bytes = line.as_bytes();
    let escape_at = |i: usize| -> Option<u16> {
        let hex = bytes.get(i + 2..i + 6)?;
        (bytes[i] == b'\\' && bytes[i + 1] == b'u')
            .then(|| u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok())
            .flatten()
    };
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape_at(i) else {
            // Some other escape, `\\\\` among them: skip both bytes.
            i += 2;
            continue;
        };
        match unit {
            0xD800..=0xDBFF => match escape_at(i + 6) {
                Some(0xDC00..=0xDFFF) => i += 12,
                _ => return Some(unit),
            },
            0xDC00..=0xDFFF => return Some(unit),
            _ => i += 6,
        }
    }
    None
}

/// Just the id of a JSONL line whose text field does not parse.
#[derive(serde::Deserialize)]
struct IdOnly {
    id: serde_json::Value,
}

fn id_of(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
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
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonl(input: &str) -> Result<Vec<Document>> {
        read_jsonl_from(input.as_bytes(), Path::new("t.jsonl"))
    }

    macro_rules! bad_jsonl {
        ($name:ident, $input:expr, $message:expr) => {
            #[test]
            fn $name() {
                assert_eq!(jsonl($input).unwrap_err().to_string(), $message);
            }
        };
    }

    bad_jsonl!(
        not_json,
        "{\"id\":\"a\",\"text\":\"x\"}\nnope\n",
        "t.jsonl:2: not JSON: expected ident at line 1 column 2"
    );
    bad_jsonl!(not_object, "[1]\n", "t.jsonl:1: not a JSON object");
    bad_jsonl!(
        no_id,
        "{\"text\":\"x\"}",
        "t.jsonl:1: missing string or integer field \"id\""
    );
    bad_jsonl!(
        text_not_string,
        "{\"id\":\"a\",\"text\":3}",
        "t.jsonl:1: document \"a\": missing string field \"text\""
    );
    bad_jsonl!(
        empty_id,
        "{\"id\":\"\",\"text\":\"x\"}",
        "t.jsonl:1: empty \"id\""
    );
    bad_jsonl!(
        float_id,
        "{\"id\":1.5,\"text\":\"x\"}",
        "t.jsonl:1: missing string or integer field \"id\""
    );
    bad_jsonl!(
        duplicate_id_names_both_lines,
        "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"x\"}\n\n{\"id\":\"a\",\"text\":\"y\"}",
        "t.jsonl:4: duplicate id \"a\" (first on line 1)"
    );
    bad_jsonl!(
        lone_surrogate_is_not_text,
        "{\"id\":\"a\",\"text\":\"\\ud800\"}",
        "t.jsonl:1: document \"a\": not valid Unicode: a lone UTF-16 surrogate escape \\ud800"
    );
    bad_jsonl!(
        escaped_backslash_is_not_a_surrogate,
        "{\"id\":\"a\",\"text\":\"\\\\ud800\" x}",
        "t.jsonl:1: not JSON: expected `,` or `}` at line 1 column 28"
    );

    #[test]
    fn surrogate_pairs_are_text() {
        let docs = jsonl("{\"id\":\"a\",\"text\":\"\\ud83d\\ude00\"}").unwrap();
        assert_eq!(docs[0].text(), "😀");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let input = b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"\xff\"}\n";
        let err = read_jsonl_from(&input[..], Path::new("t.jsonl")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.jsonl:2: document \"b\": invalid UTF-8 at byte 18 of the line"
        );
    }

    #[test]
    fn skipping_invalid_utf8_keeps_the_rest_and_says_what_it_left() {
        let input = b"{\"id\":\"a\",\"text\":\"x\"}\n\xff\xfe\n{\"id\":\"b\",\"text\":\"\xff\"}\n{\"id\":\"c\",\"text\":\"\\udc00\"}\n{\"id\":\"d\",\"text\":\"y\"}\n";
        let corpus = Reader::new()
            .invalid_utf8(InvalidUtf8::Skip)
            .read_jsonl_from(&input[..], Path::new("t.jsonl"))
            .unwrap();
        let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id()).collect();
        assert_eq!(ids, ["a", "d"]);
        let skipped: Vec<String> = corpus.skipped.iter().map(|s| s.to_string()).collect();
        assert_eq!(skipped.len(), 3);
        assert_eq!(skipped[0], "t.jsonl:2: invalid UTF-8 at byte 0 of the line");
        assert_eq!(
            skipped[1],
            "t.jsonl:3: document \"b\": invalid UTF-8 at byte 18 of the line"
        );
        assert_eq!(
            skipped[2],
            "t.jsonl:4: document \"c\": not valid Unicode: a lone UTF-16 surrogate escape \\udc00"
        );
    }

    #[test]
    fn split_fails_or_skips_only_the_document_with_bad_bytes() {
        let input = b"\xffpreamble\n\xe7\xaf\x871\n\xe4\xb8\x80\n\xe7\xaf\x872\nbad \xff\n\xe7\xaf\x873\n\xe4\xb8\x89\n";
        let heading = Regex::new(r"^篇\d$").unwrap();
        let err = Reader::new()
            .read_split_from(input, &heading, Path::new("s.txt"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.txt:5: document \"篇2\": invalid UTF-8 at byte 4 of the line"
        );
        let corpus = Reader::new()
            .invalid_utf8(InvalidUtf8::Skip)
            .read_split_from(input, &heading, Path::new("s.txt"))
            .unwrap();
        let docs: Vec<(&str, &str)> = corpus
            .documents
            .iter()
            .map(|d| (d.id(), d.text()))
            .collect();
        assert_eq!(docs, [("篇1", "一\n"), ("篇3", "三\n")]);
        assert_eq!(corpus.skipped[0].id.as_deref(), Some("篇2"));
    }

    #[test]
    fn split_with_a_repeated_heading_is_an_error() {
        let heading = Regex::new(r"^篇\d$").unwrap();
        let err = Reader::new()
            .read_split_from(
                "篇1\n一\n篇1\n二\n".as_bytes(),
                &heading,
                Path::new("s.txt"),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "s.txt:3: duplicate id \"篇1\" (first on line 1)"
        );
    }

    #[test]
    fn folders_skip_files_that_are_not_text() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "甲").unwrap();
        fs::write(dir.path().join("b.txt"), b"line\n\xc3(").unwrap();
        fs::write(dir.path().join("c.md"), "not read").unwrap();
        let err = read_path(dir.path(), None).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("b.txt:2: document \"b\": invalid UTF-8 at byte 5"),
            "{err}"
        );
        let corpus = Reader::new()
            .invalid_utf8(InvalidUtf8::Skip)
            .read_path(dir.path())
            .unwrap();
        assert_eq!(corpus.documents.len(), 1);
        assert_eq!(corpus.skipped[0].id.as_deref(), Some("b"));
    }

    #[test]
    fn inputs_without_documents_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let no_documents = |path: &Path| {
            let err = read_path(path, None).unwrap_err();
            assert!(
                matches!(err.kind(), crate::ErrorKind::NoDocuments { .. }),
                "{err}"
            );
            assert!(err.to_string().ends_with(": no documents in it"), "{err}");
        };
        no_documents(dir.path());
        for (name, contents) in [("empty.jsonl", "\n \n"), ("empty.txt", "")] {
            let path = dir.path().join(name);
            fs::write(&path, contents).unwrap();
            no_documents(&path);
        }
    }

    #[test]
    fn crlf_and_blank_lines() {
        let docs =
            jsonl("{\"id\":\"a\",\"text\":\"甲\"}\r\n\r\n{\"id\":\"b\",\"text\":\"乙\"}").unwrap();
        assert_eq!(docs.iter().map(|d| d.id()).collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn split_drops_preamble_and_keeps_last() {
        let re = Regex::new(r"^篇\d$").unwrap();
        let docs = split_text("标题\r\n篇1\r\n一\r\n篇2\r\n二", &re);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id(), "篇1");
        assert_eq!(docs[0].text(), "一\r\n");
        assert_eq!(docs[1].text(), "二");
    }

    #[test]
    fn missing_file_is_io_error() {
        let err = read_path(Path::new("/no/such/corpus.jsonl"), None).unwrap_err();
        assert!(matches!(err.kind(), crate::ErrorKind::Io { .. }), "{err}");
        assert!(
            err.to_string().starts_with("/no/such/corpus.jsonl: "),
            "{err}"
        );
    }

    #[test]
    fn bad_pattern_is_reported_on_one_line() {
        let err = read_split(Path::new("Cargo.toml"), "(").unwrap_err();
        assert!(
            matches!(err.kind(), crate::ErrorKind::Pattern { .. }),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "heading pattern \"(\" does not compile: unclosed group"
        );
    }

    #[test]
    fn pattern_matching_nothing_is_an_error() {
        let err = read_split(Path::new("Cargo.toml"), "^no such heading$").unwrap_err();
        assert!(err.to_string().contains("no line matches"), "{err}");
    }
}
