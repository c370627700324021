//! A tokenizer of your own: shingles of words split at spaces, for text
//! that is not Chinese.
//!
//! ```text
//! cargo run --example custom_tokenizer
//! ```
//!
//! Anything that implements [`chachong::tokenize::Tokenizer`] can replace
//! the character (or jieba) tokens. Here word 3-grams of English text, with
//! whitespace collapsed to one space instead of removed, so that words stay
//! apart; the reprint adds a sentence, so its Jaccard is 0.8, and the
//! threshold is 0.7.

use std::error::Error;

use chachong::normalize::{NormalizeConfig, Whitespace};
use chachong::tokenize::Tokenizer;
use chachong::{Config, Deduplicator, Document, Level};

/// Words: what lies between spaces.
#[derive(Debug)]
struct Words;

impl Tokenizer for Words {
    fn tokenize<'t>(&self, text: &'t str, out: &mut Vec<&'t str>) {
        out.extend(text.split(' ').filter(|word| !word.is_empty()));
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let docs = [
        Document::new("wire", "The city's economy grew by 6.5 percent in the first half of the year, officials said on Monday."),
        Document::new("reprint", "The city's economy grew by 6.5 percent in the first half of the year, officials said on Monday. Read more at our site."),
        Document::new("other", "Heavy rain is expected across the province this weekend, the weather bureau warned."),
    ];
    let config = Config::default()
        .with_level(Level::Document)
        .with_shingle_len(3)
        .with_jaccard_threshold(0.7)
        .with_normalize(NormalizeConfig {
            whitespace: Whitespace::Collapse,
            ..NormalizeConfig::default()
        });
    let report = Deduplicator::with_tokenizer(config, Box::new(Words))?.run(&docs)?;
    for pair in &report.pairs {
        println!(
            "{} ~ {}: word 3-gram Jaccard {:.3}",
            pair.a, pair.b, pair.jaccard
        );
    }
    println!("alone: {}", report.singletons().join(", "));
    Ok(())
}
