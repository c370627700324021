//! Text files: one document, or documents split at heading lines.

use std::path::Path;

use regex::Regex;

use super::{BadText, Parsed, Text};
use crate::corpus::Skipped;
use crate::error::{Error, Result};

/// `bytes` without a UTF-8 byte order mark at the start.
pub(super) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// Why text that starts with a UTF-16 byte order mark is not read, if it
/// does (UTF-16 text is not UTF-8, and decoding it is not this reader's
/// job).
pub(super) fn utf16_mark(bytes: &[u8]) -> Option<String> {
    let mark = match bytes.get(..2)? {
        [0xff, 0xfe] => "FF FE",
        [0xfe, 0xff] => "FE FF",
        _ => return None,
    };
    Some(format!(
        "not UTF-8: it starts with the UTF-16 byte order mark {mark}; save it as UTF-8"
    ))
}

/// The text of a whole file, or where it stops being UTF-8.
pub(super) fn text_of(bytes: &[u8]) -> Text {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let reason = utf16_mark(bytes).unwrap_or_else(|| format!("invalid UTF-8 at byte {at}"));
            Err(BadText {
                line: Some(line),
                reason,
            })
        }
    }
}

/// Whether the line `bytes`, read as far as it is text, is a heading.
fn is_heading(heading: &Regex, bytes: &[u8]) -> bool {
    let lossy = String::from_utf8_lossy(bytes);
    heading.is_match(lossy.trim_end_matches(['\n', '\r']))
}

/// One document cut out of a split file.
pub(super) struct Piece {
    pub(super) parsed: Parsed,
    pub(super) heading_line: usize,
}

/// A split file: its documents, and the text before the first heading.
pub(super) struct Split {
    pub(super) pieces: Vec<Piece>,
    /// The lines before the first heading, if any holds text.
    pub(super) preamble: Option<Skipped>,
}

/// Cuts `bytes` into documents at heading lines. Works on bytes so that
/// one bad line spoils only the document it is in.
pub(super) fn split(bytes: &[u8], heading: &Regex, name: &Path) -> Result<Split> {
    let mut pieces: Vec<(String, usize, Text)> = Vec::new();
    let mut preamble_lines = 0;
    let mut preamble_text = false;
    for (number, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let number = number + 1;
        // Files joined with `cat` keep each one's byte order mark, which
        // would hide the heading it precedes.
        let line = without_bom(line);
        match std::str::from_utf8(line) {
            Ok(line) if heading.is_match(line.trim_end_matches(['\n', '\r'])) => {
                pieces.push((line.trim().to_string(), number, Ok(String::new())));
            }
            Ok(line) => match pieces.last_mut() {
                Some((_, _, Ok(text))) => text.push_str(line),
                Some(_) => {}
                None => {
                    preamble_lines = number;
                    preamble_text |= !line.trim().is_empty();
                }
            },
            Err(e) if is_heading(heading, line) => {
                // A heading that is not text starts a document that is not
                // either: failed or skipped under its own name.
                let id = String::from_utf8_lossy(line).trim().to_string();
                let reason = format!("invalid UTF-8 at byte {} of the line", e.valid_up_to());
                let bad = BadText {
                    line: Some(number),
                    reason,
                };
                pieces.push((id, number, Err(bad)));
            }
            Err(e) => match pieces.last_mut() {
                Some((_, _, text)) if text.is_ok() => {
                    let reason = format!("invalid UTF-8 at byte {} of the line", e.valid_up_to());
                    *text = Err(BadText {
                        line: Some(number),
                        reason,
                    });
                }
                Some(_) => {}
                None => {
                    preamble_lines = number;
                    preamble_text = true;
                }
            },
        }
    }
    if pieces.is_empty() {
        let reason = utf16_mark(bytes).unwrap_or_else(|| {
            format!("no line matches the heading pattern {:?}", heading.as_str())
        });
        return Err(Error::parse(name, None, reason));
    }
    let preamble = preamble_text.then(|| Skipped {
        source: name.display().to_string(),
        line: Some(1),
        id: None,
        reason: match preamble_lines {
            1 => "1 line of text before the first heading, not a document".to_string(),
            n => format!("{n} lines of text before the first heading, not a document"),
        },
    });
    let pieces = pieces
        .into_iter()
        .map(|(id, heading_line, text)| Piece {
            parsed: Parsed::new(id, text),
            heading_line,
        })
        .collect();
    Ok(Split { pieces, preamble })
}
