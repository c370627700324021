//! Documents and their paragraphs.
//!
//! A [`Document`] is an id and a text. Its paragraphs are its non-empty lines,
//! trimmed of whitespace (including the full-width space U+3000 that Chinese
//! text indents with), each with its range in the original text both in bytes
//! (to slice) and in characters (to report, since a person counts characters).
//! In hard-wrapped text (a PDF extraction, an e-mail, where lines break inside
//! sentences) the lines of one paragraph are joined back into one, line
//! breaks included in its range; `wrap` has the rule.
//!
//! A [`Corpus`] is what a [`Reader`](crate::source::Reader) read: documents,
//! and the ones it had to leave out ([`Skipped`]), so none goes missing
//! unsaid.

use std::fmt;
use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::{Error, Result};

mod wrap;

/// The position of a document in the slice handed to the pipeline.
///
/// `DocId` is what the internal stages pass around; reports name documents by
/// their string id instead, so that a report does not depend on input order.
///
/// # Examples
///
/// ```
/// use chachong::DocId;
///
/// assert_eq!(DocId::new(3).index(), 3);
/// ```
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DocId(u32);

impl DocId {
    /// The id of the document at position `index`.
    ///
    /// # Panics
    ///
    /// If `index` does not fit in a `u32`; the pipeline checks corpus size
    /// before it makes ids.
    pub fn new(index: usize) -> DocId {
        DocId(u32::try_from(index).expect("document index fits in u32"))
    }

    /// The position this id stands for.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One paragraph of a [`Document`]: a non-empty line with surrounding
/// whitespace trimmed.
///
/// # Examples
///
/// ```
/// use chachong::Document;
///
/// let doc = Document::new("a", "　　同志们：\n\n　　今天的会议很重要。");
/// let p = &doc.paragraphs()[1];
/// assert_eq!(doc.paragraph_text(1), "今天的会议很重要。");
/// assert_eq!(p.chars(), 10..19);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    // `u32` offsets: a million documents hold ten million paragraphs, and
    // half the width saves 160 bytes a document. A text of 4 GiB or more
    // has no paragraphs (see `Document::new`).
    bytes: [u32; 2],
    chars: [u32; 2],
}

impl Paragraph {
    /// Byte range of the paragraph in the document text.
    pub fn bytes(&self) -> Range<usize> {
        self.bytes[0] as usize..self.bytes[1] as usize
    }

    /// Character range of the paragraph in the document text.
    pub fn chars(&self) -> Range<usize> {
        self.chars[0] as usize..self.chars[1] as usize
    }

    /// Length in characters.
    pub fn char_len(&self) -> usize {
        (self.chars[1] - self.chars[0]) as usize
    }
}

/// A document: an id and a text, with its paragraphs found once.
///
/// # Examples
///
/// ```
/// use chachong::Document;
///
/// let doc = Document::new("篇1", "第一段\n  \n第二段\n");
/// assert_eq!(doc.id(), "篇1");
/// assert_eq!(doc.paragraphs().len(), 2);
/// assert_eq!(doc.char_len(), 11);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    id: String,
    text: String,
    char_len: usize,
    paragraphs: Vec<Paragraph>,
}

impl Document {
    /// Makes a document and splits it into paragraphs.
    ///
    /// A text of 4 GiB or more is kept whole with no paragraphs (offsets
    /// are 32-bit); [`Deduplicator::run`](crate::Deduplicator::run) rejects
    /// it as [`TooLarge`](crate::ErrorKind::TooLarge).
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        let text = text.into();
        let (paragraphs, char_len) = split_paragraphs(&text);
        Document {
            id: id.into(),
            text,
            char_len,
            paragraphs,
        }
    }

    /// The document's id, as given.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The document's text, as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the text in characters.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// The text of the character range `chars` (as report ranges give
    /// them), cut to the text's end.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::Document;
    ///
    /// let doc = Document::new("d", "推进县域经济高质量发展");
    /// assert_eq!(doc.char_slice(2..6), "县域经济");
    /// assert_eq!(doc.char_slice(9..20), "发展");
    /// ```
    pub fn char_slice(&self, chars: std::ops::Range<usize>) -> &str {
        let byte = |n: usize| {
            self.text
                .char_indices()
                .nth(n)
                .map_or(self.text.len(), |(at, _)| at)
        };
        let start = byte(chars.start);
        &self.text[start..byte(chars.end).max(start)]
    }

    /// The paragraphs, in order.
    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.paragraphs
    }

    /// The text of paragraph `index`.
    ///
    /// # Panics
    ///
    /// If `index` is not less than `self.paragraphs().len()`.
    pub fn paragraph_text(&self, index: usize) -> &str {
        &self.text[self.paragraphs[index].bytes()]
    }
}

impl AsRef<str> for Document {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// Documents read from one or more sources, and those left out.
///
/// # Examples
///
/// ```
/// use chachong::{Corpus, Document};
///
/// let mut corpus = Corpus::default();
/// corpus.extend(Corpus { documents: vec![Document::new("a", "甲")], ..Corpus::default() });
/// assert_eq!(corpus.documents.len(), 1);
/// assert!(!corpus.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Corpus {
    /// The documents, in the order read.
    pub documents: Vec<Document>,
    /// Documents left out, in the order met.
    pub skipped: Vec<Skipped>,
    /// How each input was read, in the order read.
    pub inputs: Vec<InputSummary>,
    /// Documents decoded from an encoding other than UTF-8 (GBK, Big5,
    /// UTF-16…), in the order read; a document not listed was UTF-8.
    pub encodings: Vec<DocumentEncoding>,
}

/// The encoding a document's text was decoded from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEncoding {
    /// The document's id.
    pub document: String,
    /// The encoding's name (`GBK`, `Big5`, `UTF-16LE`, …).
    pub encoding: String,
}

/// How one input was read: what the reader took it for, and what came of
/// it.
///
/// # Examples
///
/// ```
/// use chachong::{Compression, InputFormat, InputSummary};
///
/// let summary = InputSummary {
///     source: "corpus.jsonl.gz".into(),
///     format: InputFormat::Jsonl,
///     compression: Compression::Gzip,
///     encoding: None,
///     documents: 2,
///     skipped: 0,
/// };
/// assert_eq!(summary.to_string(), "corpus.jsonl.gz: jsonl (gzip), 2 documents");
/// let gbk = InputSummary { source: "讲话.txt".into(), format: InputFormat::Text, compression: Compression::None, encoding: Some("GBK".into()), documents: 1, skipped: 0 };
/// assert_eq!(gbk.to_string(), "讲话.txt: text in GBK, 1 documents");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSummary {
    /// The path as given (`-` for standard input).
    pub source: String,
    /// The layout it was read as.
    pub format: InputFormat,
    /// How it was compressed.
    pub compression: Compression,
    /// The text's encoding where it is not UTF-8 (a text file's, decoded
    /// to UTF-8 before anything else; for a folder, each encoding other
    /// than UTF-8 with its number of files, such as `GBK: 3 files`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Documents read from it.
    pub documents: usize,
    /// Documents (or text) left out of it, listed in [`Corpus::skipped`].
    pub skipped: usize,
}

/// The layout of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// JSON Lines: one `{"id": …, "text": …}` object per line.
    Jsonl,
    /// A folder of `.txt` files, one document each.
    TextFolder,
    /// A text file split into documents at heading lines.
    SplitText,
    /// A text file that is one document.
    Text,
    /// A Parquet file: one row a document, from its id and text columns.
    Parquet,
    /// A Word file (`.docx`): its paragraphs, as a text file's lines.
    Docx,
}

/// How an input was compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (`.gz`).
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl InputFormat {
    /// The format as one word, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Jsonl => "jsonl",
            InputFormat::TextFolder => "text_folder",
            InputFormat::SplitText => "split_text",
            InputFormat::Text => "text",
            InputFormat::Parquet => "parquet",
            InputFormat::Docx => "docx",
        }
    }
}

impl fmt::Display for InputSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.format.as_str())?;
        match self.compression {
            Compression::None => {}
            Compression::Gzip => write!(f, " (gzip)")?,
            Compression::Zstd => write!(f, " (zstd)")?,
        }
        if let Some(encoding) = &self.encoding {
            write!(f, " in {encoding}")?;
        }
        write!(f, ", {} documents", self.documents)?;
        if self.skipped > 0 {
            write!(f, ", {} skipped", self.skipped)?;
        }
        Ok(())
    }
}

impl Corpus {
    /// Whether nothing at all was read: no documents and none skipped.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.skipped.is_empty()
    }

    /// Appends another corpus (read from another source).
    pub fn extend(&mut self, other: Corpus) {
        self.documents.extend(other.documents);
        self.skipped.extend(other.skipped);
        self.inputs.extend(other.inputs);
        self.encodings.extend(other.encodings);
    }
}

/// A document a reader left out, and why.
///
/// # Examples
///
/// ```
/// use chachong::Skipped;
///
/// let skipped = Skipped {
///     source: "corpus.jsonl".into(),
///     line: Some(7),
///     id: Some("a".into()),
///     reason: "invalid UTF-8 at byte 21 of the line".into(),
/// };
/// assert_eq!(skipped.to_string(), "corpus.jsonl:7: document \"a\": invalid UTF-8 at byte 21 of the line");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The file it was read from.
    pub source: String,
    /// The 1-based line of the problem, where one applies.
    pub line: Option<usize>,
    /// The document's id, where it could be read.
    pub id: Option<String>,
    /// What is wrong with it.
    pub reason: String,
}

impl Skipped {
    /// The reason, preceded by the document's id if known.
    pub(crate) fn problem(&self) -> String {
        match &self.id {
            Some(id) => format!("document {id:?}: {}", self.reason),
            None => self.reason.clone(),
        }
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.source, self.problem()),
            None => write!(f, "{}: {}", self.source, self.problem()),
        }
    }
}

/// The first id given twice among `len` ids (`id(k)` is the `k`-th), as
/// the places of its first and second occurrence: of all repeated ids, the
/// one whose second occurrence comes first.
///
/// Sorts places by a hash of their id, in parallel: two machine words a
/// place for a moment, not a hash map of every id, and the ids' bytes are
/// compared only where hashes tie. It runs before anything else of a run,
/// on one thread it took about a hundredth of the 100,000-document run.
pub(crate) fn first_repeated_id<'a>(
    len: usize,
    id: impl Fn(usize) -> &'a str + Sync,
) -> Option<(usize, usize)> {
    let mut order: Vec<(u64, usize)> = (0..len)
        .into_par_iter()
        .map(|k| (xxh3_64(id(k).as_bytes()), k))
        .collect();
    order.par_sort_unstable_by(|&(hx, x), &(hy, y)| {
        hx.cmp(&hy).then_with(|| id(x).cmp(id(y))).then(x.cmp(&y))
    });
    order
        .par_windows(2)
        .filter(|w| w[0].0 == w[1].0 && id(w[0].1) == id(w[1].1))
        .map(|w| (w[0].1, w[1].1))
        .min_by_key(|&(_, again)| again)
}

/// Checks what the pipeline needs of a corpus: at least one document, ids
/// that tell documents apart, and sizes its 32-bit offsets can index.
pub(crate) fn check(docs: &[Document]) -> Result<()> {
    if docs.is_empty() {
        return Err(Error::no_documents(None));
    }
    if docs.len() > u32::MAX as usize {
        return Err(Error::too_large(
            None,
            format!("{} documents, more than u32::MAX", docs.len()),
        ));
    }
    let paragraphs: usize = docs.iter().map(|d| d.paragraphs().len()).sum();
    if paragraphs > u32::MAX as usize {
        return Err(Error::too_large(
            None,
            format!("{paragraphs} paragraphs, more than u32::MAX"),
        ));
    }
    if let Some(doc) = docs.iter().find(|d| d.text().len() > u32::MAX as usize) {
        return Err(Error::too_large(
            Some(doc.id()),
            format!("{} bytes, 4 GiB or more", doc.text().len()),
        ));
    }
    match first_repeated_id(docs.len(), |k| docs[k].id()) {
        Some((first, again)) => Err(Error::duplicate_id(docs[again].id(), first, again)),
        None => Ok(()),
    }
}

/// Splits on `\n` (a trailing `\r` is whitespace and is trimmed) into
/// non-empty trimmed lines, joins the lines of a hard-wrapped text back into
/// paragraphs (see [`wrap`]), and keeps each paragraph's byte and character
/// ranges. Also returns the text's length in characters, which the walk
/// computes anyway.
fn split_paragraphs(text: &str) -> (Vec<Paragraph>, usize) {
    let (lines, shapes, chars_seen) = trimmed_lines(text);
    let mut paragraphs = Vec::with_capacity(lines.len());
    // The paragraph whose lines are being joined, if the last line went on.
    let mut open: Option<Paragraph> = None;
    for (line, continues) in lines.into_iter().zip(wrap::continues(&shapes)) {
        let (paragraph, rebuilt) = match open.take() {
            Some(mut p) => {
                p.bytes[1] = line.bytes[1];
                p.chars[1] = line.chars[1];
                (p, true)
            }
            None => (line, false),
        };
        if continues {
            open = Some(paragraph);
        } else if rebuilt {
            // A rebuilt paragraph may be the whole text (nothing marks
            // paragraphs but the wrap): long ones are cut at sentence ends.
            wrap::cut_at_sentences(text, paragraph, &mut paragraphs);
        } else {
            paragraphs.push(paragraph);
        }
    }
    (paragraphs, chars_seen)
}

/// The non-empty lines of `text`, trimmed, as paragraphs, with their shapes
/// and the text's length in characters. None for a text of 4 GiB or more.
fn trimmed_lines(text: &str) -> (Vec<Paragraph>, Vec<wrap::LineShape>, usize) {
    let (mut lines, mut shapes) = (Vec::new(), Vec::new());
    if u32::try_from(text.len()).is_err() {
        return (lines, shapes, text.chars().count());
    }
    // Below 4 GiB every byte and character offset fits in a u32.
    let offset = |x: usize| x as u32;
    let mut line_start_byte = 0;
    let mut line_start_char = 0;
    let mut after_blank = false;
    for line in text.split_inclusive('\n') {
        let line_chars = line.chars().count();
        if line.trim().is_empty() {
            after_blank = true;
        } else {
            let shape = wrap::LineShape::of(line, after_blank);
            let start_byte = line_start_byte + (line.len() - line.trim_start().len());
            let start_char = line_start_char + shape.indent;
            lines.push(Paragraph {
                bytes: [offset(start_byte), offset(start_byte + line.trim().len())],
                chars: [offset(start_char), offset(start_char + shape.chars)],
            });
            shapes.push(shape);
            after_blank = false;
        }
        line_start_byte += line.len();
        line_start_char += line_chars;
    }
    (lines, shapes, line_start_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! t {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                let doc = Document::new("d", $text);
                let got: Vec<(&str, Range<usize>)> = (0..doc.paragraphs().len())
                    .map(|i| (doc.paragraph_text(i), doc.paragraphs()[i].chars()))
                    .collect();
                let want: Vec<(&str, Range<usize>)> = $want;
                assert_eq!(got, want);
            }
        };
    }

    t!(empty, "", vec![]);
    t!(blank_lines_only, " \n\u{3000}\n\r\n", vec![]);
    t!(one_line, "甲乙丙", vec![("甲乙丙", 0..3)]);
    t!(
        full_width_indent,
        "\u{3000}\u{3000}同志们：\n\u{3000}\u{3000}会议",
        vec![("同志们：", 2..6), ("会议", 9..11)]
    );
    t!(crlf, "一\r\n二\r\n", vec![("一", 0..1), ("二", 3..4)]);
    t!(inner_spaces_kept, "  a b  \n", vec![("a b", 2..5)]);

    t!(
        hard_wrapped_lines_are_one_paragraph,
        "the committee met on monday to discuss the\nbudget for the coming year and the plans\nfor the new building.\n\nNext year we will meet again in spring\nand agree.",
        vec![
            (
                "the committee met on monday to discuss the\nbudget for the coming year and the plans\nfor the new building.",
                0..105
            ),
            ("Next year we will meet again in spring\nand agree.", 107..156)
        ]
    );

    #[test]
    fn char_len_counts_chars_not_bytes() {
        assert_eq!(Document::new("d", "中文\nab").char_len(), 5);
    }

    #[test]
    fn char_ranges_index_the_original_text() {
        let doc = Document::new("d", "　标题\n\n　　正文，第二段。\n");
        let chars: Vec<char> = doc.text().chars().collect();
        for (i, p) in doc.paragraphs().iter().enumerate() {
            let by_chars: String = chars[p.chars()].iter().collect();
            assert_eq!(by_chars, doc.paragraph_text(i));
        }
    }

    /// The first repeat the plain way: a map of ids seen, in order.
    fn first_repeat_in_order(ids: &[&str]) -> Option<(usize, usize)> {
        let mut seen = std::collections::HashMap::new();
        ids.iter()
            .enumerate()
            .find_map(|(k, id)| seen.insert(*id, k).map(|first| (first, k)))
    }

    #[test]
    fn the_first_repeated_id_is_the_one_repeated_soonest() {
        let ids = ["c", "a", "b", "b", "a", "c", "a"];
        assert_eq!(first_repeated_id(ids.len(), |k| ids[k]), Some((2, 3)));
        let unique = ["x", "y", "z"];
        assert_eq!(first_repeated_id(unique.len(), |k| unique[k]), None);
        // Many ids, a few repeated far apart, the same answer as a map.
        let mut many: Vec<String> = (0..5000).map(|k| format!("doc-{k}")).collect();
        many[4000] = "doc-17".to_string();
        many[3000] = "doc-4321".to_string();
        many[4999] = "doc-3".to_string();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let want = first_repeat_in_order(&many);
        assert_eq!(want, Some((17, 4000)));
        assert_eq!(first_repeated_id(many.len(), |k| many[k]), want);
    }

    #[test]
    fn check_names_the_second_occurrence_of_a_repeated_id() {
        let docs: Vec<Document> = ["a", "b", "a"]
            .iter()
            .map(|id| Document::new(*id, "正文"))
            .collect();
        let err = check(&docs).unwrap_err().to_string();
        assert!(err.contains("\"a\""), "{err}");
        assert!(err.contains('0') && err.contains('2'), "{err}");
    }
}
