//! The normaliser and mask folding on any text, with every rule on: no
//! panic, and every folded mask run is a range of the original text.
#![no_main]

use chachong::normalize::{NormalizeConfig, Normalizer, Punctuation, Whitespace};
use chachong::redact::{MaskConfig, MaskFolder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u8)| {
    let (text, flags) = input;
    let normalizer = Normalizer::new(NormalizeConfig {
        nfkc: flags & 1 == 0,
        lowercase: flags & 2 == 0,
        punctuation: if flags & 4 == 0 {
            Punctuation::Keep
        } else {
            Punctuation::Remove
        },
        whitespace: match flags >> 6 {
            0 => Whitespace::Remove,
            1 => Whitespace::Collapse,
            _ => Whitespace::Keep,
        },
    });
    let normalized = normalizer.normalize(text);
    let chars = normalized.text().chars().count();
    assert_eq!(chars, normalized.char_len());
    for i in 0..chars {
        assert!(normalized.origin(i) <= text.len());
    }
    let folder = MaskFolder::new(MaskConfig {
        fold_digits: flags & 8 != 0,
        latin_x: flags & 16 != 0,
        mou: flags & 32 != 0,
        ..MaskConfig::default()
    });
    let mut folded = chachong::normalize::Normalized::default();
    let mut runs = Vec::new();
    let range = folder.fold_into(
        &normalized,
        0..normalized.text().len(),
        &mut folded,
        Some((text, &mut runs)),
    );
    assert_eq!(range, 0..folded.text().len());
    for run in &runs {
        assert!(
            text.get(run.clone()).is_some(),
            "{run:?} is not a range of the text"
        );
    }
});
