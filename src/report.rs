//! The report: plain serde data, in an order that depends on nothing but the
//! input's content.
//!
//! Documents are named by their string ids, never by position, and every list
//! is sorted by id (then paragraph index), so the same documents in another
//! order, or on another number of threads, give the same report apart from
//! [`Stats`]. Within a pair, `a` is the smaller id.

use serde::{Deserialize, Serialize};

mod annotations;
mod coverage;
mod html;
mod text;

pub use self::annotations::Annotation;
pub use self::coverage::{CopiedSpan, Coverage, Evidence};

use crate::analysis::CopyAnalysis;
use crate::boilerplate::Boilerplate;
use crate::cluster::ChainSplit;
use crate::config::Config;
use crate::corpus::{InputSummary, Skipped};
use crate::lsh::LshParams;
use crate::paragraph::MatchKind;

/// Everything a run found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The configuration of the run.
    pub config: Config,
    /// Every input document, sorted by id.
    pub documents: Vec<DocumentSummary>,
    /// Documents the reader left out, with why, in the order met. The
    /// pipeline never sees them, so the caller that read the input fills
    /// this in (the `chachong` command does, from
    /// [`Corpus::skipped`](crate::Corpus::skipped)).
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    /// Groups of two or more near-duplicate documents.
    pub clusters: Vec<Cluster>,
    /// Verified near-duplicate document pairs.
    pub pairs: Vec<DuplicatePair>,
    /// Paragraph matches, across documents and inside one.
    pub paragraph_matches: Vec<ParagraphMatch>,
    /// Passages two documents share, wherever they sit, longest first; not
    /// between members of one cluster (see [`passage`](crate::passage)).
    #[serde(default)]
    pub passages: Vec<Passage>,
    /// Documents mostly contained in another, whatever their Jaccard, by
    /// the passages they share.
    #[serde(default)]
    pub contained: Vec<ContainedPair>,
    /// Documents that are revisions of one another, in no cluster together
    /// (amended versions of a regulation), by id.
    #[serde(default)]
    pub revisions: Vec<Revision>,
    /// Boilerplate found in the corpus (empty when not looked for).
    pub boilerplate: Boilerplate,
    /// Members the chaining guard took out of clusters, by id.
    pub chain_splits: Vec<ChainSplit>,
    /// Counts and timings (the only part that varies between equal runs).
    pub stats: Stats,
}

/// One input document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    /// The document's id.
    pub id: String,
    /// Length in characters.
    pub chars: usize,
    /// Number of paragraphs.
    pub paragraphs: usize,
    /// Number of distinct shingles; 0 for an empty document, which is never
    /// reported as a duplicate of anything.
    pub shingles: usize,
    /// Masked places: runs of redaction masks (`****`, `x`, `**`, `某`),
    /// each counted once.
    #[serde(default)]
    pub masks: usize,
    /// The encoding its text was decoded from, when not UTF-8 (`GBK`,
    /// `Big5`, `UTF-16LE`). The pipeline sees text only: the caller that
    /// read the files fills this in ([`Report::set_encodings`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// A group of near-duplicate documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Member ids, sorted.
    pub members: Vec<String>,
    /// The member most similar to the others: the largest sum of Jaccard
    /// similarity over its verified pairs (ties to the smaller id).
    pub representative: String,
    /// More members than
    /// [`ClusterConfig::large_cluster_size`](crate::cluster::ClusterConfig::large_cluster_size):
    /// usually a template, or a chain the guard could not break.
    pub large: bool,
    /// How the copies differ (when [`AnalysisConfig::enabled`](crate::analysis::AnalysisConfig::enabled)):
    /// keys `canonical`, `kind`, `copies`, `redactions`, `reconstructed`,
    /// `alignments` in JSON.
    #[serde(flatten)]
    pub analysis: Option<CopyAnalysis>,
}

/// Two documents found to be near-duplicates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicatePair {
    /// The smaller id.
    pub a: String,
    /// The larger id.
    pub b: String,
    /// Exact Jaccard similarity of the shingle sets.
    pub jaccard: f64,
    /// The fingerprint's estimate (`None` for [`Method::Exact`](crate::Method::Exact)).
    pub estimated_jaccard: Option<f64>,
    /// Share of `a`'s shingles found in `b`.
    pub containment_a_in_b: f64,
    /// Share of `b`'s shingles found in `a`.
    pub containment_b_in_a: f64,
}

/// Two paragraphs found to be copies of each other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParagraphMatch {
    /// Id of the first document (the smaller id, or the same document).
    pub a: String,
    /// Paragraph index in `a`, counting non-empty lines from 0.
    pub a_paragraph: usize,
    /// Character range of the paragraph in `a`'s text.
    pub a_range: [usize; 2],
    /// Id of the second document.
    pub b: String,
    /// Paragraph index in `b`.
    pub b_paragraph: usize,
    /// Character range of the paragraph in `b`'s text.
    pub b_range: [usize; 2],
    /// Exact Jaccard similarity.
    pub jaccard: f64,
    /// Containment of the shorter paragraph (fewer shingles) in the longer.
    pub containment: f64,
    /// Share of `a`'s paragraph found in `b`'s.
    pub containment_a_in_b: f64,
    /// Share of `b`'s paragraph found in `a`'s.
    pub containment_b_in_a: f64,
    /// Which rule matched.
    pub kind: MatchKind,
}

/// A stretch of text two documents share (see [`passage`](crate::passage)).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Id of the first document (the smaller id).
    pub a: String,
    /// Character range of the passage in `a`'s text.
    pub a_range: [usize; 2],
    /// Id of the second document.
    pub b: String,
    /// Character range of the passage in `b`'s text.
    pub b_range: [usize; 2],
    /// Words on the shorter side: an ideograph, a run of letters or digits,
    /// a mask are one each.
    pub words: usize,
    /// Exact Jaccard similarity of the two ranges' shingles.
    pub jaccard: f64,
    /// Containment of the smaller range's shingles in the other's.
    pub containment: f64,
}

/// A document mostly made of passages found in another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContainedPair {
    /// Id of the contained document (of the two, the more covered one).
    pub inner: String,
    /// Id of the document holding it.
    pub outer: String,
    /// Share of `inner`'s letters, digits and ideographs that the passages
    /// cover.
    pub inner_coverage: f64,
    /// Share of `outer`'s that they cover.
    pub outer_coverage: f64,
    /// Passages the pair shares.
    pub passages: usize,
}

/// Two documents of which one is a revision of the other: in no cluster
/// together, they share much of their text in the same order, and what
/// they share is mostly their own text, not boilerplate (see
/// [`revision`](crate::revision)).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// Id of the first document (the smaller id).
    pub a: String,
    /// Id of the second document.
    pub b: String,
    /// Share of `a`'s letters, digits and ideographs in the passages the
    /// two share in order.
    pub a_coverage: f64,
    /// Share of `b`'s.
    pub b_coverage: f64,
    /// Paragraphs of `a` those passages cover at least half of, and
    /// paragraphs of `a`.
    pub a_paragraphs: [usize; 2],
    /// Likewise for `b`.
    pub b_paragraphs: [usize; 2],
    /// Share of all the text the two share that lies in one order in both.
    pub order: f64,
    /// Share of the text shared in order that is boilerplate.
    pub boilerplate: f64,
    /// How alike the two titles (first paragraphs) are
    /// ([`title_similarity`](crate::revision::title_similarity)).
    pub title_similarity: f64,
    /// Passages in order.
    pub passages: usize,
}

/// Counts and timings of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Rayon threads used.
    pub threads: usize,
    /// Documents in.
    pub documents: usize,
    /// Documents with no shingles (empty or whitespace only).
    pub empty_documents: usize,
    /// Clusters flagged as large.
    pub large_clusters: usize,
    /// Paragraphs in.
    pub paragraphs: usize,
    /// Document candidate pairs checked (all pairs for the exact method).
    pub candidate_pairs: usize,
    /// Document pairs that passed verification (between originals: a copy
    /// is compared through its original).
    pub verified_pairs: usize,
    /// Documents whose folded text is another's, compared through the first
    /// of them by id (see `pairs` for how they are listed).
    #[serde(default)]
    pub copies: usize,
    /// Paragraphs likewise.
    #[serde(default)]
    pub paragraph_copies: usize,
    /// Paragraph candidate pairs checked.
    pub paragraph_candidate_pairs: usize,
    /// Document pairs aligned in search of passages.
    #[serde(default)]
    pub passage_candidate_pairs: usize,
    /// LSH bands and rows at document level (MinHash only).
    pub lsh: Option<LshParams>,
    /// LSH bands and rows at paragraph level (MinHash only).
    pub paragraph_lsh: Option<LshParams>,
    /// SimHash candidate distance at document level (SimHash only).
    pub max_hamming_distance: Option<u32>,
    /// Peak resident memory of the process, in bytes, if the caller
    /// measured it (the `chachong` command reads it from `/proc` on Linux).
    pub peak_rss_bytes: Option<u64>,
    /// How each input was read (format, compression, documents), if the
    /// caller read files ([`Corpus::inputs`](crate::Corpus::inputs)).
    #[serde(default)]
    pub inputs: Vec<InputSummary>,
    /// Wall time per stage.
    pub timings_ms: Timings,
}

/// Wall time per stage, in milliseconds; each stage covers both levels.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Reading the input (set by the caller that read it; 0 otherwise).
    pub read: f64,
    /// Normalising, shingling and fingerprinting.
    pub fingerprint: f64,
    /// Of `fingerprint`: normalising and mask folding, summed over threads
    /// (so it can exceed the wall time).
    pub normalize_cpu: f64,
    /// Of `fingerprint`: shingle hashes and sorting them into sets, summed
    /// over threads (word tokens: segmentation included).
    pub shingle_cpu: f64,
    /// Of `shingle_cpu`: word segmentation (jieba or the caller's
    /// tokenizer), summed over threads; 0 for character tokens.
    #[serde(default)]
    pub tokenize_cpu: f64,
    /// Of `fingerprint`: MinHash or SimHash sketches, summed over threads.
    pub sketch_cpu: f64,
    /// Finding candidate pairs.
    pub candidates: f64,
    /// Verifying candidates.
    pub verify: f64,
    /// Clustering and assembling the report.
    pub cluster: f64,
    /// Finding passages: seeds, candidates and alignment.
    #[serde(default)]
    pub passages: f64,
    /// Finding boilerplate and re-verifying document pairs without it.
    pub boilerplate: f64,
    /// Analysing clusters: alignment, redaction map, reconstruction.
    pub analysis: f64,
    /// All of the above.
    pub total: f64,
}

impl Report {
    /// The cluster holding document `id`, if it has near-duplicates.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Deduplicator, Document};
    ///
    /// let text = "推进县域经济高质量发展，是新时代赋予我们的重大任务。";
    /// let docs = [Document::new("a", text), Document::new("b", text), Document::new("c", "今天天气很好。")];
    /// let report = Deduplicator::new(Config::default())?.run(&docs)?;
    /// assert_eq!(report.cluster_of("b").unwrap().members, ["a", "b"]);
    /// assert!(report.cluster_of("c").is_none());
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn cluster_of(&self, id: &str) -> Option<&Cluster> {
        self.clusters
            .iter()
            .find(|c| c.members.iter().any(|m| m == id))
    }

    /// Notes on each document the encoding it was decoded from
    /// ([`Corpus::encodings`](crate::Corpus::encodings)); documents not
    /// listed keep `None` (UTF-8).
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Deduplicator, Document, DocumentEncoding};
    ///
    /// let docs = [Document::new("a", "甲乙丙丁戊"), Document::new("b", "己庚辛壬癸")];
    /// let mut report = Deduplicator::new(Config::default())?.run(&docs)?;
    /// report.set_encodings(&[DocumentEncoding { document: "b".into(), encoding: "GBK".into() }]);
    /// assert_eq!(report.documents[0].encoding, None);
    /// assert_eq!(report.documents[1].encoding.as_deref(), Some("GBK"));
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn set_encodings(&mut self, encodings: &[crate::corpus::DocumentEncoding]) {
        let by_id: std::collections::HashMap<&str, &str> = encodings
            .iter()
            .map(|e| (e.document.as_str(), e.encoding.as_str()))
            .collect();
        for d in &mut self.documents {
            d.encoding = by_id.get(d.id.as_str()).map(|e| e.to_string());
        }
    }

    /// Ids of the documents in no cluster, sorted.
    pub fn singletons(&self) -> Vec<&str> {
        let clustered: std::collections::HashSet<&str> = self
            .clusters
            .iter()
            .flat_map(|c| c.members.iter().map(String::as_str))
            .collect();
        self.documents
            .iter()
            .map(|d| d.id.as_str())
            .filter(|id| !clustered.contains(id))
            .collect()
    }
}
