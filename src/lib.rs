//! chachong (查重, "duplicate check") finds near-duplicate texts, Chinese
//! first: which documents are copies of each other, and which paragraphs
//! were copied where, even when the copy hides digits, places or names.
//!
//! # Overview
//!
//! - [`Deduplicator`] runs the whole pipeline from a validated [`Config`]
//!   and returns a [`Report`].
//! - [`Document`] is an id and a text, split into [`Paragraph`]s (non-empty
//!   trimmed lines) with character ranges.
//! - [`source::Reader`] reads JSON Lines, a folder of `.txt` files, or one
//!   file split at heading lines, compressed or not, into a [`Corpus`].
//! - [`Report`] is plain serde data: [`Cluster`]s (each with its
//!   [`CopyAnalysis`](analysis::CopyAnalysis): canonical copy,
//!   [`CopyKind`](analysis::CopyKind), redaction map,
//!   reconstruction, paragraph alignment), [`DuplicatePair`]s,
//!   [`ParagraphMatch`]es, boilerplate and [`Stats`], in an order that
//!   depends only on the input's content.
//! - [`Deduplicator::explain`] tells how any two documents compare, down to
//!   a character diff ([`Explanation`](analysis::Explanation)).
//!
//! # Example
//!
//! ```
//! use chachong::{Config, Deduplicator, Document};
//!
//! let speech = "同志们：\n\
//!     推进县域经济高质量发展，是新时代赋予我们的重大任务。2014年以来，我们坚持稳中求进工作总基调，\
//!     加快建设现代化经济体系，全市地区生产总值年均增长百分之七点五，县域经济综合实力不断增强。\n";
//! let redacted = speech.replace("2014", "****");
//! let docs = vec![
//!     Document::new("篇3", speech),
//!     Document::new("篇5", redacted),
//!     Document::new("篇6", "今年以来，全市上下认真贯彻落实各项决策部署，经济运行稳中有进、稳中向好。"),
//! ];
//! let report = Deduplicator::new(Config::default())?.run(&docs)?;
//! assert_eq!(report.clusters.len(), 1);
//! assert_eq!(report.clusters[0].members, ["篇3", "篇5"]);
//! assert_eq!(report.singletons(), ["篇6"]);
//! // The body paragraphs match; 「同志们：」 is too short to count.
//! assert_eq!(report.paragraph_matches.len(), 1);
//! assert_eq!(report.paragraph_matches[0].a_paragraph, 1);
//! # Ok::<(), chachong::Error>(())
//! ```
//!
//! # Pipeline
//!
//! 1. [`normalize`]: NFKC, whitespace removed, punctuation kept, lower case;
//!    offsets back to the original kept.
//! 2. [`redact`]: runs of redaction masks (`****`, `x`, `**`, `某`, `……`)
//!    folded to one symbol.
//! 3. [`tokenize`] and [`shingle`]: character (default) or jieba word k-grams,
//!    each hashed once with seeded xxh3 into a sorted set of `u64`; shingles
//!    touching a mask are left out.
//! 4. [`fingerprint`]: MinHash [`Signature`](fingerprint::Signature)s and
//!    64-bit [`SimHash`](fingerprint::SimHash)es.
//! 5. Candidates: [`LshIndex`](lsh::LshIndex) over MinHash bands,
//!    [`HammingIndex`](hamming_index::HammingIndex) over
//!    SimHash blocks, or every pair; for paragraphs, also [`anchor`]s, which
//!    find a paragraph contained in a longer one.
//! 6. [`verify`]: exact Jaccard (default) or the fingerprint's estimate;
//!    containment both ways for every reported pair.
//! 7. [`boilerplate`]: shingles shared by unrelated groups, reported and
//!    taken out of the evidence; pairs verified again without them.
//! 8. [`cluster`]: union-find over verified pairs, with a guard against
//!    chaining.
//! 9. [`analysis`]: per cluster, [`align`]ment of every member to the
//!    canonical copy, the kind of copy, the redaction map and the
//!    reconstruction.
//!
//! Documents and paragraphs go through the same stages in one run.
//!
//! # Choosing parameters
//!
//! The Jaccard threshold (default 0.8) decides what a duplicate is. With
//! MinHash, the LSH bands × rows follow from it
//! ([`LshParams::for_threshold_weighted`](lsh::LshParams::for_threshold_weighted), weighing a missed pair 0.8 and
//! an extra candidate 0.2, since candidates are verified); a pair of
//! similarity `s` becomes a candidate with probability `1 - (1 - s^r)^b`.
//! With datasketch's even weights and 128 permutations:
//!
//! | threshold | bands × rows | P(candidate) at threshold − 0.1 | at threshold | at threshold + 0.1 |
//! |---|---|---|---|---|
//! | 0.5 | 25 × 5 | 0.23 | 0.55 | 0.87 |
//! | 0.7 | 14 × 9 | 0.13 | 0.44 | 0.87 |
//! | 0.8 | 9 × 13 | 0.08 | 0.40 | 0.93 |
//! | 0.9 | 5 × 25 | 0.02 | 0.31 | 1.00 |
//!
//! With the default weight 0.8, threshold 0.8 gives 12 × 10 instead of
//! 9 × 13: P(candidate) 0.29 at 0.7, 0.74 at 0.8, 0.93 at 0.85 and 0.99 at 0.9.
//!
//! Exact verification then drops every candidate below the threshold, so
//! LSH costs recall only, never precision. Character 5-grams suit Chinese
//! (about two words per window); with jieba words use 2 or 3. More
//! permutations sharpen the S-curve; with the default one-permutation
//! sketch ([`Sketch::OnePermutation`]) they cost memory and LSH time, not
//! hashing (classic MinHash costs one hash per shingle per permutation).
//!
//! # Lower level APIs
//!
//! Every stage is a public module, usable alone, with one path per type:
//!
//! - [`normalize::Normalizer`], [`redact::MaskFolder`],
//!   [`tokenize::Tokenizer`] (`CharTokenizer`, `JiebaTokenizer`),
//!   [`shingle::Shingler`]: text to shingle hashes;
//! - [`fingerprint::MinHasher`], [`fingerprint::OnePermutationHasher`],
//!   [`fingerprint::SimHasher`]: sketches;
//! - [`lsh::LshIndex`] and [`lsh::BandTable`], [`hamming_index::HammingIndex`],
//!   [`anchor::anchor_pairs`]: candidates; [`bucket::bucket_edges_into`]:
//!   the items of one bucket joined by edges linear in their number;
//! - [`verify::jaccard`], [`verify::containment`], [`verify::Overlap`],
//!   [`verify::estimated_jaccard`], [`verify::hamming_distance`]: verification;
//! - [`cluster::UnionFind`], [`cluster::guard_chains`]: clusters;
//! - [`boilerplate::boilerplate_shingles`], [`paragraph::match_kind`],
//!   [`align::align_paragraphs`], [`align::diff_chars`],
//!   [`sentence::split_sentences`]: the analysis's parts;
//! - [`source::Reader`]: reading corpora.
//!
//! The pipeline, the config, the report and the error type are re-exported
//! here at the root and nowhere else.
//!
//! # Crate features
//!
//! - `jieba` (default): word tokens through jieba-rs
//!   ([`TokenKind::Word`](tokenize::TokenKind::Word)).
//!   Without it only character tokens are available and a config asking for
//!   words is rejected.

#![deny(unsafe_code)]
#![deny(
    missing_docs,
    missing_debug_implementations,
    rustdoc::broken_intra_doc_links
)]

pub mod align;
pub mod analysis;
pub mod anchor;
pub mod boilerplate;
pub mod bucket;
mod check;
pub mod cluster;
mod config;
mod corpus;
mod distinct;
mod error;
pub mod extent;
pub mod fingerprint;
pub mod hamming_index;
pub mod index;
pub mod lsh;
pub mod normalize;
pub mod paragraph;
pub mod passage;
mod pipeline;
mod prehashed;
mod prepare;
mod progress;
pub mod redact;
mod report;
pub mod revision;
pub mod sentence;
pub mod shingle;
pub mod source;
pub mod stream;
pub mod tokenize;
mod utf8;
pub mod verify;

pub use crate::config::{Config, Level, Method, ShingleSets, Sketch, Verification, MAX_NUM_PERM};
pub use crate::corpus::{
    Compression, Corpus, DocId, Document, DocumentEncoding, InputFormat, InputSummary, Paragraph,
    Skipped,
};
pub use crate::error::{Error, ErrorKind, Result};
pub use crate::extent::Extent;
pub use crate::pipeline::{Deduplicator, StageKeys};
pub use crate::progress::{Progress, Stage};
pub use crate::report::{
    Annotation, Cluster, ContainedPair, CopiedSpan, Coverage, DocumentSummary, DuplicatePair,
    Evidence, ParagraphMatch, Passage, Report, Stats, Timings,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        assert_send_sync::<Config>();
        assert_send_sync::<Deduplicator>();
        assert_send_sync::<Document>();
        assert_send_sync::<Error>();
        assert_send_sync::<hamming_index::HammingIndex>();
        assert_send_sync::<lsh::LshIndex>();
        assert_send_sync::<fingerprint::MinHasher>();
        assert_send_sync::<fingerprint::OnePermutationHasher>();
        assert_send_sync::<normalize::Normalizer>();
        assert_send_sync::<redact::MaskFolder>();
        assert_send_sync::<Report>();
        assert_send_sync::<Annotation>();
        assert_send_sync::<shingle::Shingler>();
        assert_send_sync::<fingerprint::SimHasher>();
        assert_send_sync::<cluster::UnionFind>();
        assert_send_sync::<source::Reader>();
        assert_send_sync::<source::Record>();
        assert_send_sync::<Corpus>();
    }
}
