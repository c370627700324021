//! Bugs that fuzzing or a property test found, one test each, kept so they
//! stay fixed. The first comment of each says what broke.
//!
//! The `cargo fuzz` targets in `fuzz/` (see docs/reliability.md) have found
//! no crash so far; a crash they find gets its input and a test here.

#[path = "support/generate.rs"]
mod generate;

use chachong::{Config, Deduplicator, Document, Report};

fn run_on_two_threads(config: &Config, docs: &[Document]) -> Report {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let dedup = Deduplicator::new(config.clone()).unwrap();
    let mut report = pool.install(|| dedup.run(docs)).unwrap();
    report.stats = Default::default();
    report
}

#[test]
fn paragraphs_with_equal_set_sizes_match_in_any_order() {
    // Broke: two paragraphs with shingle sets of equal size were told apart
    // by position (which one is "the shorter" decided their containment), so
    // shuffling the input changed whether they matched. Found by the proptest
    // `input_order_does_not_change_the_report`; these are its seeds.
    let (docs, _) = generate::corpus(5_104_559_551_655_585_392, 80, 30);
    let mut shuffled = docs.clone();
    let mut rng = generate::Rng(1_247_716_333_315_546_633);
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.below(i + 1));
    }
    let config = Config::default().with_jaccard_threshold(0.6);
    assert_eq!(
        run_on_two_threads(&config, &docs),
        run_on_two_threads(&config, &shuffled)
    );
}
