//! Reading corpora from files.
//!
//! Three layouts, each turned into [`Document`]s in a fixed order:
//!
//! - **JSONL**: one `{"id": …, "text": …}` object per line (other fields
//!   ignored; a numeric id is taken as its decimal string; blank lines
//!   skipped). See [`read_jsonl`].
//! - **A folder of `.txt` files**: one document per file, id = file stem,
//!   sorted by file name. See [`read_dir`].
//! - **One text file split by heading lines**: each line matching the
//!   pattern starts a document whose id is that line (trimmed) and whose
//!   text is the lines up to the next heading; text before the first
//!   heading is not a document. See [`read_split`].
//!
//! Errors name the file and, where there is one, the line.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::corpus::Document;
use crate::error::{Error, Result};

/// Reads a corpus from `path`, choosing the layout: a folder is read with
/// [`read_dir`], a file ending in `.jsonl` with [`read_jsonl`], any other
/// file with [`read_split`] if `split` is given, else as one document whose
/// id is the file stem.
///
/// # Errors
///
/// As the reader chosen.
pub fn read_path(path: &Path, split: Option<&str>) -> Result<Vec<Document>> {
    let metadata = fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if metadata.is_dir() {
        read_dir(path)
    } else if path.extension().is_some_and(|e| e == "jsonl") {
        read_jsonl(path)
    } else if let Some(pattern) = split {
        read_split(path, pattern)
    } else {
        let text = read_utf8(path)?;
        Ok(vec![Document::new(stem(path), text)])
    }
}

/// Reads a JSONL file.
///
/// # Errors
///
/// [`ErrorKind::Io`](crate::ErrorKind::Io) if the file cannot be read;
/// [`ErrorKind::Parse`](crate::ErrorKind::Parse) with the line number for a
/// line that is not valid UTF-8, not a JSON object, or lacks a string or
/// integer `id` or a string `text`.
pub fn read_jsonl(path: &Path) -> Result<Vec<Document>> {
    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_jsonl_from(BufReader::new(file), path)
}

/// Reads JSONL from any reader (a decompressor, say); `name` is used in
/// errors.
///
/// # Errors
///
/// As [`read_jsonl`].
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
/// assert_eq!(err.to_string(), "mem.jsonl:1: missing string field \"text\"");
/// # Ok::<(), chachong::Error>(())
/// ```
pub fn read_jsonl_from(mut reader: impl BufRead, name: &Path) -> Result<Vec<Document>> {
    let mut docs = Vec::new();
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(name, e))?;
        if read == 0 {
            break;
        }
        number += 1;
        let text = std::str::from_utf8(&line).map_err(|e| {
            Error::parse(
                name,
                Some(number),
                format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
            )
        })?;
        if text.trim().is_empty() {
            continue;
        }
        docs.push(parse_jsonl_line(text, name, number)?);
    }
    Ok(docs)
}

fn parse_jsonl_line(line: &str, name: &Path, number: usize) -> Result<Document> {
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| Error::parse(name, Some(number), format!("not JSON: {e}")))?;
    let object = value
        .as_object()
        .ok_or_else(|| Error::parse(name, Some(number), "not a JSON object"))?;
    let id = match object.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        _ => {
            return Err(Error::parse(
                name,
                Some(number),
                "missing string or integer field \"id\"",
            ))
        }
    };
    let text = match object.get("text") {
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => {
            return Err(Error::parse(
                name,
                Some(number),
                "missing string field \"text\"",
            ))
        }
    };
    Ok(Document::new(id, text))
}

/// Reads every `.txt` file directly in folder `path` (not in subfolders),
/// sorted by file name; the id of each is its file stem.
///
/// # Errors
///
/// [`ErrorKind::Io`](crate::ErrorKind::Io) if the folder or a file cannot be
/// read; [`ErrorKind::Parse`](crate::ErrorKind::Parse) for a file that is not
/// valid UTF-8.
pub fn read_dir(path: &Path) -> Result<Vec<Document>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        let file = entry.path();
        if file.extension().is_some_and(|e| e == "txt") && file.is_file() {
            files.push(file);
        }
    }
    files.sort();
    files
        .iter()
        .map(|file| Ok(Document::new(stem(file), read_utf8(file)?)))
        .collect()
}

/// Reads one text file and splits it into documents at lines matching
/// `heading` (a regex, tested against each line without its line ending).
///
/// # Errors
///
/// [`ErrorKind::Pattern`](crate::ErrorKind::Pattern) if `heading` does not
/// compile; [`ErrorKind::Io`](crate::ErrorKind::Io) or
/// [`ErrorKind::Parse`](crate::ErrorKind::Parse) as for [`read_dir`]; and
/// `Parse` if no line matches, since a split that finds nothing is a wrong
/// pattern, not an empty corpus.
pub fn read_split(path: &Path, heading: &str) -> Result<Vec<Document>> {
    let pattern = Regex::new(heading).map_err(|e| Error::pattern(heading, e.to_string()))?;
    let text = read_utf8(path)?;
    let docs = split_text(&text, &pattern);
    if docs.is_empty() {
        return Err(Error::parse(
            path,
            None,
            format!("no line matches the heading pattern {heading:?}"),
        ));
    }
    Ok(docs)
}

/// Splits `text` at lines matching `heading`; see [`read_split`].
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
    let mut docs = Vec::new();
    let mut current: Option<(&str, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if heading.is_match(bare) {
            if let Some((id, start)) = current {
                docs.push(Document::new(id, &text[start..offset]));
            }
            current = Some((bare.trim(), offset + line.len()));
        }
        offset += line.len();
    }
    if let Some((id, start)) = current {
        docs.push(Document::new(id, &text[start..]));
    }
    docs
}

fn read_utf8(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::parse(path, Some(line), format!("invalid UTF-8 at byte {at}"))
    })
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
        "t.jsonl:1: missing string field \"text\""
    );

    #[test]
    fn invalid_utf8_names_the_line() {
        let input = b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"\xff\"}\n";
        let err = read_jsonl_from(&input[..], Path::new("t.jsonl")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.jsonl:2: invalid UTF-8 at byte 18 of the line"
        );
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
    fn bad_pattern_is_reported() {
        let err = read_split(Path::new("Cargo.toml"), "(").unwrap_err();
        assert!(
            matches!(err.kind(), crate::ErrorKind::Pattern { .. }),
            "{err}"
        );
    }

    #[test]
    fn pattern_matching_nothing_is_an_error() {
        let err = read_split(Path::new("Cargo.toml"), "^no such heading$").unwrap_err();
        assert!(err.to_string().contains("no line matches"), "{err}");
    }
}
