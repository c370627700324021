//! Copied passages wherever they sit: the Chinese wrapped corpus of
//! `tests/support/passages.rs` (passages of 50–1,000 characters copied into
//! other documents, every text hard-wrapped at 30–40 characters a line), with
//! and without masks in the copies, and a short text copied whole into a
//! long one.

#[path = "support/passages.rs"]
mod passages;

use std::collections::BTreeSet;

use chachong::{Config, Deduplicator, Document, Report};
use passages::{passage_corpus, PassageCorpus};

fn run(docs: &[Document]) -> Report {
    Deduplicator::new(Config::default())
        .unwrap()
        .run(docs)
        .unwrap()
}

/// Whether `reported` overlaps at least half of `truth`.
fn half(reported: [usize; 2], truth: [usize; 2]) -> bool {
    let overlap = reported[1]
        .min(truth[1])
        .saturating_sub(reported[0].max(truth[0]));
    2 * overlap >= truth[1] - truth[0]
}

/// (pair recall, passage recall, links between a copy and a source that
/// share no planted passage).
fn scores(corpus: &PassageCorpus, report: &Report) -> (f64, f64, usize) {
    let truth: BTreeSet<(&str, &str)> = corpus
        .planted
        .iter()
        .map(|p| (p.copy.as_str(), p.source.as_str()))
        .collect();
    // Copies' ids sort before sources': side a is the copy.
    let linked: BTreeSet<(&str, &str)> = report
        .passages
        .iter()
        .filter(|p| p.a.starts_with("copy") && p.b.starts_with("source"))
        .map(|p| (p.a.as_str(), p.b.as_str()))
        .collect();
    let found = corpus
        .planted
        .iter()
        .filter(|t| {
            report.passages.iter().any(|p| {
                (p.a.as_str(), p.b.as_str()) == (t.copy.as_str(), t.source.as_str())
                    && half(p.a_range, t.copy_range)
                    && half(p.b_range, t.source_range)
            })
        })
        .count();
    let pairs = truth.iter().filter(|p| linked.contains(*p)).count();
    let false_links = linked.iter().filter(|p| !truth.contains(*p)).count();
    (
        pairs as f64 / truth.len() as f64,
        found as f64 / corpus.planted.len() as f64,
        false_links,
    )
}

/// The bar: pair recall ≥ 0.95, passage recall ≥ 0.9, no false link.
fn assert_found(corpus: &PassageCorpus) {
    let report = run(&corpus.docs);
    let (pairs, passages, false_links) = scores(corpus, &report);
    assert!(pairs >= 0.95, "pair recall {pairs}");
    assert!(passages >= 0.9, "passage recall {passages}");
    assert_eq!(false_links, 0);
}

#[test]
fn passages_copied_into_wrapped_documents_are_found() {
    let corpus = passage_corpus(18, false);
    assert!(corpus.planted.len() > 100, "{}", corpus.planted.len());
    assert_found(&corpus);
}

#[test]
fn masked_copies_are_found_too() {
    let corpus = passage_corpus(18, true);
    assert!(corpus.docs.iter().any(|d| d.text().contains("**")));
    assert_found(&corpus);
}

#[test]
fn a_short_text_copied_into_a_long_one_is_contained() {
    let corpus = passage_corpus(18, false);
    // The first planted passage, alone, as a short answer.
    let planted = &corpus.planted[0];
    let source = corpus
        .docs
        .iter()
        .find(|d| d.id() == planted.source)
        .unwrap();
    let answer = source.char_slice(planted.source_range[0]..planted.source_range[1]);
    let docs = vec![
        Document::new("answer", answer),
        Document::new("source", source.text()),
        corpus
            .docs
            .iter()
            .find(|d| d.id().starts_with("source") && d.id() != planted.source)
            .unwrap()
            .clone(),
    ];
    let report = run(&docs);
    assert!(report.clusters.is_empty(), "{:?}", report.clusters);
    assert_eq!(report.contained.len(), 1, "{:?}", report.contained);
    let contained = &report.contained[0];
    assert_eq!(
        (contained.inner.as_str(), contained.outer.as_str()),
        ("answer", "source")
    );
    assert!(contained.inner_coverage > 0.9, "{contained:?}");
    assert!(contained.outer_coverage < 0.5, "{contained:?}");
    let passage = &report.passages[0];
    assert_eq!(
        (passage.a.as_str(), passage.b.as_str()),
        ("answer", "source")
    );
    assert!(half(passage.b_range, planted.source_range), "{passage:?}");
    assert!(passage.jaccard > 0.9, "{passage:?}");
}

#[test]
fn the_corpus_is_the_same_for_the_same_seed() {
    let (x, y) = (passage_corpus(7, true), passage_corpus(7, true));
    assert_eq!(x.truth_tsv(), y.truth_tsv());
    assert_eq!(x.docs, y.docs);
}

#[cfg(feature = "jieba")]
#[test]
fn passages_are_character_stretches_with_word_tokens_too() {
    use chachong::tokenize::TokenKind;
    let corpus = passage_corpus(18, false);
    let planted = &corpus.planted[0];
    let docs: Vec<Document> = corpus
        .docs
        .iter()
        .filter(|d| d.id() == planted.copy || d.id() == planted.source)
        .cloned()
        .collect();
    let config = Config::default()
        .with_tokens(TokenKind::Word)
        .with_shingle_len(3);
    let report = Deduplicator::new(config).unwrap().run(&docs).unwrap();
    assert!(
        report
            .passages
            .iter()
            .any(|p| half(p.a_range, planted.copy_range) && half(p.b_range, planted.source_range)),
        "{:?}",
        report.passages
    );
}
