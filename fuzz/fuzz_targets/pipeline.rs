//! The whole pipeline on up to eight fuzzed documents (split at 0xFF
//! bytes, so the fuzzer controls how many), at both levels with every
//! method: an error or a report that accounts for every document, and
//! `explain` on the first two.
#![no_main]

use chachong::{Config, Deduplicator, Document, Level, Method};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&[u8], u8)| {
    let (bytes, flags) = input;
    let docs: Vec<Document> = bytes
        .split(|&b| b == 0xFF)
        .take(8)
        .enumerate()
        .map(|(i, part)| Document::new(i.to_string(), String::from_utf8_lossy(part)))
        .collect();
    let method = match flags % 3 {
        0 => Method::MinHash,
        1 => Method::SimHash,
        _ => Method::Exact,
    };
    let config = Config::default()
        .with_method(method)
        .with_level(Level::Both)
        .with_shingle_len(usize::from(flags >> 4) % 5 + 1)
        .with_jaccard_threshold(0.5);
    let dedup = Deduplicator::new(config).unwrap();
    let report = dedup.run(&docs).unwrap();
    assert_eq!(report.documents.len(), docs.len());
    for pair in &report.pairs {
        assert!((0.0..=1.0).contains(&pair.jaccard));
        assert!(pair.a < pair.b);
    }
    if docs.len() >= 2 {
        let explanation = dedup.explain(&docs[0], &docs[1]).unwrap();
        let _ = explanation.to_text();
    }
});
