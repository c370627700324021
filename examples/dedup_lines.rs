//! Deduplicate the lines of a file: each line is a document, and each
//! group of near-duplicate lines is printed once, with its copies.
//!
//! ```text
//! cargo run --example dedup_lines [FILE]    # default: examples/data/lines.txt
//! ```
//!
//! Lines that differ only in punctuation, or that hide a figure behind a
//! mask (`6.5%` against `x.x%`), are near-duplicates of each other: on
//! lines this short, character 3-grams at a Jaccard threshold of 0.7 find
//! them. Only document level is needed, and no boilerplate or cluster
//! analysis: the fastest configuration.

use std::error::Error;

use chachong::{Config, Deduplicator, Document};

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or("examples/data/lines.txt".into());
    let text = std::fs::read_to_string(&path)?;
    // Line numbers (from 1) are the ids; blank lines are no documents.
    let docs: Vec<Document> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| Document::new((i + 1).to_string(), line))
        .collect();

    let config = Config::clusters_only()
        .with_shingle_len(3)
        .with_jaccard_threshold(0.7);
    let report = Deduplicator::new(config)?.run(&docs)?;

    let text_of = |id: &str| docs.iter().find(|d| d.id() == id).map_or("", |d| d.text());
    for cluster in &report.clusters {
        let keep = &cluster.representative;
        println!("line {keep}: {}", text_of(keep));
        for copy in cluster.members.iter().filter(|m| *m != keep) {
            println!("  copy, line {copy}: {}", text_of(copy));
        }
    }
    for id in report.singletons() {
        println!("line {id}: {}", text_of(id));
    }
    println!(
        "{} lines, {} distinct",
        docs.len(),
        report.clusters.len() + report.singletons().len()
    );
    Ok(())
}
