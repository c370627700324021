//! Paragraphs and their character ranges: which paragraphs were copied
//! where, found in the text as written.
//!
//! ```text
//! cargo run --example paragraph_ranges
//! ```
//!
//! A document's paragraphs are its non-empty lines, trimmed (the full-width
//! indent `　　` of Chinese text included). Each has a byte range, to slice
//! the text, and a character range, as the report gives positions; a
//! paragraph match names both documents' paragraphs by index and range.

use std::error::Error;
use std::path::Path;

use chachong::source::Reader;
use chachong::{Config, Deduplicator, Document};

/// The characters `range` of `doc`'s text.
fn chars(doc: &Document, range: [usize; 2]) -> String {
    doc.text()
        .chars()
        .skip(range[0])
        .take(range[1] - range[0])
        .collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let corpus = Reader::new().read_path(Path::new("examples/data/speeches"))?;
    let docs = &corpus.documents;
    let first = &docs[0];
    println!(
        "{} has {} paragraphs:",
        first.id(),
        first.paragraphs().len()
    );
    for (i, p) in first.paragraphs().iter().enumerate().take(3) {
        let head: String = first.paragraph_text(i).chars().take(20).collect();
        println!(
            "  ¶{i}: bytes {:?}, characters {:?}: {head}…",
            p.bytes(),
            p.chars()
        );
    }

    let report = Deduplicator::new(Config::default())?.run(docs)?;
    let by_id = |id: &str| docs.iter().find(|d| d.id() == id);
    for m in report.paragraph_matches.iter().take(3) {
        let (Some(a), Some(b)) = (by_id(&m.a), by_id(&m.b)) else {
            continue;
        };
        let head = |doc, range| chars(doc, range).chars().take(24).collect::<String>();
        println!(
            "{} ¶{} {:?} ~ {} ¶{} {:?}: {:?}, Jaccard {:.3}",
            m.a, m.a_paragraph, m.a_range, m.b, m.b_paragraph, m.b_range, m.kind, m.jaccard
        );
        println!("  {}…\n  {}…", head(a, m.a_range), head(b, m.b_range));
    }
    println!(
        "{} paragraph matches in all",
        report.paragraph_matches.len()
    );
    Ok(())
}
