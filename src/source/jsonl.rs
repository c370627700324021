//! JSON Lines: one `{"id": …, "text": …}` object per line, read in chunks
//! whose lines are parsed in parallel.

use std::io::BufRead;
use std::path::Path;

use rayon::prelude::*;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::text::utf16_mark;
use super::{BadText, Parsed, Record, Text};
use crate::error::{Error, Result};

/// Lines of JSON Lines parsed together: big enough to keep every thread
/// busy, small enough that the raw bytes held at once stay a small share of
/// the documents made from them.
const CHUNK_BYTES: usize = 16 << 20;

/// The names of the two fields a document is made of.
#[derive(Clone, Copy, Debug)]
pub(super) struct Fields<'a> {
    pub(super) id: &'a str,
    pub(super) text: &'a str,
}

/// Reads every line of `reader`, handing each parsed document (or bad text)
/// to `keep` in order; returns the line number of each document `keep`
/// took.
pub(super) fn read(
    reader: impl BufRead,
    name: &Path,
    fields: Fields,
    keep: impl FnMut(Parsed) -> Result<bool>,
) -> Result<Vec<usize>> {
    read_lines(
        reader,
        name,
        |line, number| parse_jsonl_bytes(line, name, number, fields),
        keep,
    )
}

/// Reads every line of `reader` again with all its fields, handing `visit`
/// the record of each line [`read`] makes a document of, in order: blank
/// lines and lines that are not text are passed over.
pub(super) fn read_records(
    reader: impl BufRead,
    name: &Path,
    fields: Fields,
    mut visit: impl FnMut(Record) -> Result<()>,
) -> Result<()> {
    let parse = |line: &[u8], number: usize| {
        let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
        let line = simdutf8::basic::from_utf8(line).ok()?;
        if line.trim().is_empty() {
            return None;
        }
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(value) => value,
            // A lone surrogate is bad text, passed over as the first read
            // did; anything else is what the first read would have failed on.
            Err(_) if lone_surrogate(line).is_some() => return None,
            Err(e) => {
                return Some(Err(Error::parse(
                    name,
                    Some(number),
                    format!("not JSON: {e}"),
                )))
            }
        };
        let serde_json::Value::Object(map) = value else {
            return Some(Err(Error::parse(name, Some(number), "not a JSON object")));
        };
        let id = map.get(fields.id).and_then(id_of).unwrap_or_default();
        Some(Ok(Record { id, fields: map }))
    };
    read_lines(reader, name, parse, |record| visit(record).map(|()| true))?;
    Ok(())
}

/// Reads every line of `reader` in chunks parsed in parallel by `parse`
/// (`None`: no document on that line), handing each result to `keep` in
/// order; returns the line number of each one `keep` took.
fn read_lines<T: Send>(
    mut reader: impl BufRead,
    name: &Path,
    parse: impl Fn(&[u8], usize) -> Option<Result<T>> + Sync,
    mut keep: impl FnMut(T) -> Result<bool>,
) -> Result<Vec<usize>> {
    let mut numbers: Vec<usize> = Vec::new();
    let mut chunk: Vec<u8> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut first_number = 1;
    loop {
        // A chunk of whole lines, parsed in parallel, kept in order.
        chunk.clear();
        starts.clear();
        while chunk.len() < CHUNK_BYTES {
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
        let parsed: Vec<Option<Result<T>>> = (0..starts.len())
            .into_par_iter()
            .map(|k| {
                let end = starts.get(k + 1).copied().unwrap_or(chunk.len());
                parse(&chunk[starts[k]..end], first_number + k)
            })
            .collect();
        for (k, parsed) in parsed.into_iter().enumerate() {
            if let Some(parsed) = parsed {
                if keep(parsed?)? {
                    numbers.push(first_number + k);
                }
            }
        }
        first_number += starts.len();
    }
    Ok(numbers)
}

/// One JSONL line: `None` if blank, else the document or an error.
fn parse_jsonl_bytes(
    line: &[u8],
    name: &Path,
    number: usize,
    fields: Fields,
) -> Option<Result<Parsed>> {
    // A byte order mark starts a file (and each file of several catenated).
    let (line, bom) = match line.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (rest, 3),
        None => (line, 0),
    };
    // simdutf8 checks valid text several times faster than std; std says
    // where invalid text goes wrong.
    let text = simdutf8::basic::from_utf8(line).or_else(|_| std::str::from_utf8(line));
    let parsed = match text {
        Ok(line) if line.trim().is_empty() => return None,
        Ok(line) => {
            parse_jsonl_line(line, name, number, fields).map(|(id, text)| Parsed::new(id, text))
        }
        Err(e) => {
            // The id, if the rest of the line still parses.
            let lossy = String::from_utf8_lossy(line);
            let id = parse_jsonl_line(&lossy, name, number, fields)
                .ok()
                .map(|(id, _)| id);
            let reason = match utf16_mark(line).filter(|_| number == 1) {
                Some(mark) => mark,
                None => format!(
                    "invalid UTF-8 at byte {} of the line",
                    bom + e.valid_up_to()
                ),
            };
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

/// The id and, if named, the text of a JSONL object, read without building
/// a map of its fields or copying its text twice: every other field is
/// skipped unread (a bad text too, when only the id is asked for).
struct Picked<'a> {
    id: &'a str,
    text: Option<&'a str>,
}

/// What [`Picked`] found: the id's value and the text, where they were
/// there (a text that is `null` counts as missing).
type PickedFields = (Option<serde_json::Value>, Option<String>);

impl<'de> DeserializeSeed<'de> for Picked<'_> {
    type Value = PickedFields;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Picked<'_> {
    type Value = PickedFields;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(
        self,
        mut map: M,
    ) -> std::result::Result<Self::Value, M::Error> {
        let (mut id, mut text) = (None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.id && id.is_none() {
                id = Some(map.next_value::<serde_json::Value>()?);
            } else if Some(key.as_ref()) == self.text && text.is_none() {
                text = map.next_value::<Option<String>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok((id, text))
    }
}

fn parse_jsonl_line(
    line: &str,
    name: &Path,
    number: usize,
    fields: Fields,
) -> Result<(String, Text)> {
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let both = Picked {
        id: fields.id,
        text: Some(fields.text),
    };
    if let Ok((Some(id), Some(text))) = both.deserialize(&mut deserializer) {
        if deserializer.end().is_ok() {
            if let Some(id) = id_of(&id).filter(|id| !id.is_empty()) {
                return Ok((id, Ok(text)));
            }
        }
    }
    if number == 1 && line.trim_start().starts_with('[') {
        return Err(Error::parse(
            name,
            Some(number),
            format!(
                "a JSON array, not JSON Lines: put one {{\"{}\": …, \"{}\": …}} object on each line",
                fields.id, fields.text
            ),
        ));
    }
    let value: serde_json::Value = match serde_json::from_str(line) {
        Ok(value) => value,
        // serde_json rejects a lone surrogate escape, which Python's
        // json.dumps writes for text cut mid-character: bad text, not bad
        // JSON, so it falls under the UTF-8 policy.
        Err(e) => match lone_surrogate(line) {
            Some(unit) => return Ok(not_unicode(line, number, fields, unit)),
            None => return Err(Error::parse(name, Some(number), format!("not JSON: {e}"))),
        },
    };
    let object = value
        .as_object()
        .ok_or_else(|| Error::parse(name, Some(number), "not a JSON object"))?;
    let id = object.get(fields.id).and_then(id_of).ok_or_else(|| {
        Error::parse(
            name,
            Some(number),
            format!("missing string or integer field {:?}", fields.id),
        )
    })?;
    if id.is_empty() {
        return Err(Error::parse(
            name,
            Some(number),
            format!("empty {:?}", fields.id),
        ));
    }
    let text = match object.get(fields.text) {
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => {
            return Err(Error::parse(
                name,
                Some(number),
                format!("document {id:?}: missing string field {:?}", fields.text),
            ))
        }
    };
    Ok((id, Ok(text)))
}

/// A line whose text holds the lone surrogate `unit`: its id, if it has
/// one, and why its text is no text.
fn not_unicode(line: &str, number: usize, fields: Fields, unit: u16) -> (String, Text) {
    // The other fields are skipped unread, the bad text among them.
    let mut deserializer = serde_json::Deserializer::from_str(line);
    let id_only = Picked {
        id: fields.id,
        text: None,
    };
    let id = id_only
        .deserialize(&mut deserializer)
        .ok()
        .and_then(|(id, _)| id_of(&id?));
    let reason = format!("not valid Unicode: a lone UTF-16 surrogate escape \\u{unit:04x}");
    (
        id.unwrap_or_default(),
        Err(BadText {
            line: Some(number),
            reason,
        }),
    )
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

fn id_of(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}
