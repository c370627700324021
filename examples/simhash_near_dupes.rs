//! SimHash near-duplicates with the lower-level API: one 64-bit SimHash per
//! text, and a Hamming index that finds every pair within a few bits.
//!
//! ```text
//! cargo run --example simhash_near_dupes
//! ```
//!
//! This is what `--method simhash` does inside the pipeline, without the
//! pipeline: shingle each text, hash the shingles into a SimHash, index the
//! SimHashes, and list the pairs within the distance expected at a Jaccard
//! similarity of 0.8.

use std::error::Error;

use chachong::fingerprint::{expected_hamming_distance, SimHasher};
use chachong::hamming_index::HammingIndex;
use chachong::normalize::Normalizer;
use chachong::shingle::Shingler;
use chachong::verify::{hamming_distance, jaccard};

fn main() -> Result<(), Box<dyn Error>> {
    let text = std::fs::read_to_string("examples/data/lines.txt")?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();

    let normalizer = Normalizer::default();
    let shingler = Shingler::new(3, 42);
    let sets: Vec<Vec<u64>> = lines
        .iter()
        .map(|line| shingler.char_set(normalizer.normalize(line).text()))
        .collect();
    let hashes: Vec<u64> = sets.iter().map(|set| SimHasher.simhash(set).0).collect();

    let distance = expected_hamming_distance(0.8).ceil() as u32;
    let index = HammingIndex::build(distance, hashes.iter().copied().enumerate());
    println!("pairs within {distance} bits:");
    for (a, b) in index.pairs() {
        println!(
            "  {} ~ {}: {} bits apart, Jaccard {:.2}\n    {}\n    {}",
            a + 1,
            b + 1,
            hamming_distance(hashes[a], hashes[b]),
            jaccard(&sets[a], &sets[b]),
            lines[a],
            lines[b]
        );
    }
    Ok(())
}
