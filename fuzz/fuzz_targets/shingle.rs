//! Tokenising and shingling any text: characters and jieba words, plain
//! and masked, every shingle length from 1 to 8. Sets are sorted and
//! deduplicated, and a text shorter than the shingle length still has one.
#![no_main]

use chachong::shingle::Shingler;
use chachong::tokenize::{JiebaTokenizer, Tokenizer};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static JIEBA: LazyLock<JiebaTokenizer> = LazyLock::new(JiebaTokenizer::new);

fuzz_target!(|input: (&str, u8)| {
    let (text, n) = input;
    let shingler = Shingler::new(usize::from(n % 8) + 1, 42);

    let set = shingler.char_set(text);
    assert!(
        set.windows(2).all(|w| w[0] < w[1]),
        "set not sorted and distinct"
    );
    assert_eq!(set.is_empty(), text.is_empty());
    let mut sequence = Vec::new();
    shingler.masked_char_sequence_into(text, &mut sequence);
    let mut windows = 0;
    shingler.char_windows(text, |_, _| windows += 1);

    let mut tokens = Vec::new();
    JIEBA.tokenize(text, &mut tokens);
    let joined: String = tokens.concat();
    assert!(joined.chars().count() <= text.chars().count());
    let words = shingler.token_set(&tokens);
    assert!(words.windows(2).all(|w| w[0] < w[1]));
    shingler.masked_token_sequence_into(&tokens, &mut sequence);
});
