//! Tokens: the units shingles are made of.
//!
//! Input: normalised text. Output: `&str` slices of it, in order. Character
//! tokens need no dictionary and suit Chinese near-duplicate detection well
//! (a 5-character window spans about two words); word tokens from jieba make
//! fewer, more meaningful shingles (see DESIGN.md for when to pick which).

use std::fmt;

use serde::{Deserialize, Serialize};

#[cfg(feature = "jieba")]
mod jieba;

#[cfg(feature = "jieba")]
pub use self::jieba::JiebaTokenizer;

/// Which tokens shingles are built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// One token per character (default).
    #[default]
    Char,
    /// Words from jieba (feature `jieba`).
    Word,
}

/// Splits text into tokens. Implement it to plug in another segmenter.
///
/// Implementations append to `out` (they must not clear it) and should not
/// emit whitespace-only tokens.
///
/// # Examples
///
/// ```
/// use chachong::tokenize::{CharTokenizer, Tokenizer};
///
/// let mut out = Vec::new();
/// CharTokenizer.tokenize("查重", &mut out);
/// assert_eq!(out, ["查", "重"]);
/// ```
pub trait Tokenizer: Send + Sync + fmt::Debug {
    /// Appends the tokens of `text` to `out`.
    fn tokenize<'t>(&self, text: &'t str, out: &mut Vec<&'t str>);
}

/// One token per Unicode scalar value, whitespace skipped.
///
/// The shingler has a faster path for character shingles that does not go
/// through this type; it exists for callers that want character tokens
/// through the [`Tokenizer`] interface.
///
/// # Examples
///
/// ```
/// use chachong::tokenize::{CharTokenizer, Tokenizer};
///
/// let mut out = Vec::new();
/// CharTokenizer.tokenize("a 中", &mut out);
/// assert_eq!(out, ["a", "中"]);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct CharTokenizer;

impl Tokenizer for CharTokenizer {
    fn tokenize<'t>(&self, text: &'t str, out: &mut Vec<&'t str>) {
        out.extend(
            text.char_indices()
                .filter(|(_, c)| !c.is_whitespace())
                .map(|(at, c)| &text[at..at + c.len_utf8()]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_tokenizer_appends() {
        let mut out = vec!["x"];
        CharTokenizer.tokenize("县域 经济", &mut out);
        assert_eq!(out, ["x", "县", "域", "经", "济"]);
    }
}
