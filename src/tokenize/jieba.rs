//! The only file that calls jieba-rs, so that a change in its API (0.10 turned
//! `cut`'s `Vec<&str>` into `Vec<Token>`) stays here.

use std::fmt;
use std::sync::OnceLock;

use jieba_rs::Jieba;

use super::Tokenizer;

/// Chinese word tokens from jieba-rs (feature `jieba`), with its bundled
/// dictionary and HMM for unknown words.
///
/// Loading the dictionary takes a few hundred milliseconds, so it is loaded
/// once per process and shared by every `JiebaTokenizer`.
///
/// # Examples
///
/// ```
/// use chachong::tokenize::{JiebaTokenizer, Tokenizer};
///
/// let mut out = Vec::new();
/// JiebaTokenizer::new().tokenize("推进县域经济高质量发展", &mut out);
/// assert_eq!(out.concat(), "推进县域经济高质量发展");
/// assert!(out.len() < 11, "words, not characters: {out:?}");
/// ```
#[derive(Clone, Copy)]
pub struct JiebaTokenizer {
    jieba: &'static Jieba,
}

impl JiebaTokenizer {
    /// A tokenizer over the shared default dictionary.
    pub fn new() -> JiebaTokenizer {
        static JIEBA: OnceLock<Jieba> = OnceLock::new();
        JiebaTokenizer {
            jieba: JIEBA.get_or_init(Jieba::new),
        }
    }
}

impl Default for JiebaTokenizer {
    fn default() -> JiebaTokenizer {
        JiebaTokenizer::new()
    }
}

impl fmt::Debug for JiebaTokenizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JiebaTokenizer").finish_non_exhaustive()
    }
}

impl Tokenizer for JiebaTokenizer {
    fn tokenize<'t>(&self, text: &'t str, out: &mut Vec<&'t str>) {
        out.extend(
            self.jieba
                .cut(text, true)
                .into_iter()
                .map(|token| token.word)
                .filter(|word| !word.trim().is_empty()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_cover_the_text_without_whitespace() {
        let mut out = Vec::new();
        JiebaTokenizer::new().tokenize("我们 要推进 县域经济", &mut out);
        assert_eq!(out.concat(), "我们要推进县域经济");
        assert!(out.contains(&"我们"), "{out:?}");
    }
}
