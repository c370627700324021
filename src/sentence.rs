//! Sentences: where a text's sentences end.
//!
//! Input: characters (normalised or not). Output: character ranges, one per
//! sentence, covering the text. A sentence ends after `。！？；!?;` (and a
//! run of them); the last runs to the end of the text. Boilerplate is
//! reported sentence by sentence, and a long diff goes sentence by sentence.

use std::ops::Range;

/// Whether `c` ends a sentence wherever it stands: `。！？；!?;` (an ASCII
/// full stop needs a look at what follows, which callers that see the
/// original text give it).
pub(crate) fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// Splits `chars` into sentences after `。！？；!?;` (and their runs), as
/// character ranges; the last sentence runs to the end.
///
/// # Examples
///
/// ```
/// use chachong::sentence::split_sentences;
///
/// let text: Vec<char> = "同志们：今天开会。下面是小编推荐！！谢谢".chars().collect();
/// assert_eq!(split_sentences(&text), [0..9, 9..18, 18..20]);
/// ```
pub fn split_sentences(chars: &[char]) -> Vec<Range<usize>> {
    let is_end = is_sentence_end;
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if is_end(chars[i]) {
            while i + 1 < chars.len() && is_end(chars[i + 1]) {
                i += 1;
            }
            out.push(start..i + 1);
            start = i + 1;
        }
        i += 1;
    }
    if start < chars.len() {
        out.push(start..chars.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_sentence_in_empty_text() {
        assert!(split_sentences(&[]).is_empty());
    }

    #[test]
    fn sentences_cover_the_text() {
        let text: Vec<char> = "一。二；；三".chars().collect();
        let ranges = split_sentences(&text);
        assert_eq!(ranges, [0..2, 2..5, 5..6]);
    }
}
