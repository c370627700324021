//! The pipeline: documents in, [`Report`] out.
//!
//! ```text
//! fingerprint ─ candidates ─ components ─ verification ─┬──────────────────────────── clusters ─ views ─ Report
//!   (documents                                          └─ boilerplate ─ verification ─┘   (analysis,
//!    and paragraphs)                                                                         boilerplate report)
//! paragraph items ─ candidates (+ anchors) ─ verification ─ match rule ─ paragraph matches
//! seeds ─ star edges ─ alignment (pairs in no cluster) ─ passages, contained pairs
//! ```
//!
//! The stages live in the files under `pipeline/`, each taking and
//! returning the plain data of `pipeline/data.rs`; this file runs them in
//! order and assembles the report. Every stage that works item by item
//! runs on rayon (reading JSONL, in `source`, is the only other user);
//! results are sorted before they are used, so the thread count never
//! changes the report.

use std::time::{Duration, Instant};

use rayon::prelude::*;

mod boilerplate;
mod candidates;
mod clusters;
mod components;
mod copies;
mod data;
mod documents;
mod early;
mod explain;
mod fingerprint;
mod keys;
mod pairs;
mod paragraphs;
mod passages;
mod verification;
mod views;

use self::data::Verified;
use self::documents::DocumentResults;
pub(crate) use self::fingerprint::Fingerprints;
use self::fingerprint::{EarlySets, Fingerprinter, Keep, Paragraphs, Shapes, Sketcher};
pub(crate) use self::keys::DocumentKeys;
pub use self::keys::StageKeys;
use self::verification::{Estimate, Verifier};
use crate::config::{Config, Method, ShingleSets, Sketch};
use crate::corpus::{check, Document};
use crate::error::Result;
use crate::fingerprint::{MinHasher, OnePermutationHasher};
use crate::lsh::LshParams;
use crate::prepare::Preparer;
use crate::progress::{Progress, Stage};
use crate::report::{DocumentSummary, ParagraphMatch, Report, Stats};
use crate::shingle::Shingler;
use crate::tokenize::{TokenKind, Tokenizer};

/// Finds near-duplicate documents and copied paragraphs.
///
/// Built once from a validated [`Config`]; [`run`](Self::run) can then be
/// called on any number of corpora.
///
/// # Examples
///
/// ```
/// use chachong::{Config, Deduplicator, Document};
///
/// let body = "推进县域经济高质量发展，是新时代赋予我们的重大任务。我们要坚持稳中求进工作总基调，\
///             全面深化改革开放，加快建设现代化经济体系，不断增强县域经济综合实力。";
/// let docs = [
///     Document::new("原文", body),
///     Document::new("转载", format!("{body}\n推荐访问：范文网")),
///     Document::new("无关", "今年以来，全市上下认真贯彻落实各项决策部署，经济运行稳中有进。"),
/// ];
/// let report = Deduplicator::new(Config::default())?.run(&docs)?;
/// assert_eq!(report.clusters.len(), 1);
/// assert_eq!(report.clusters[0].members, ["原文", "转载"]);
/// assert!(report.pairs[0].jaccard > 0.8);
/// # Ok::<(), chachong::Error>(())
/// ```
#[derive(Debug)]
pub struct Deduplicator {
    config: Config,
    preparer: Preparer,
    sketcher: Option<Sketcher>,
    /// LSH bands and rows at the document threshold, chosen once (the
    /// choice integrates the S-curve for every split of `num_perm`).
    document_lsh: LshParams,
    /// Whether early candidates keep their sets (`early.rs`): not in a
    /// streamed run's partitions, whose memory is bounded by their text.
    early_sets: EarlySets,
}

impl Deduplicator {
    /// Validates `config` and prepares every stage (loading the jieba
    /// dictionary for word tokens).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) naming
    /// the first bad field.
    pub fn new(config: Config) -> Result<Deduplicator> {
        let tokenizer: Option<Box<dyn Tokenizer>> = match config.tokens() {
            TokenKind::Char => None,
            #[cfg(feature = "jieba")]
            TokenKind::Word => Some(Box::new(crate::tokenize::JiebaTokenizer::new())),
            #[cfg(not(feature = "jieba"))]
            TokenKind::Word => None,
        };
        Deduplicator::build(config, tokenizer)
    }

    /// Like [`new`](Self::new), but shingles the tokens of `tokenizer`
    /// whatever [`Config::tokens`] says.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::normalize::{NormalizeConfig, Whitespace};
    /// use chachong::tokenize::Tokenizer;
    /// use chachong::{Config, Deduplicator, Document};
    ///
    /// /// Space-separated words.
    /// #[derive(Debug)]
    /// struct Words;
    /// impl Tokenizer for Words {
    ///     fn tokenize<'t>(&self, text: &'t str, out: &mut Vec<&'t str>) {
    ///         out.extend(text.split(' ').filter(|w| !w.is_empty()));
    ///     }
    /// }
    ///
    /// let config = Config::default()
    ///     .with_shingle_len(2)
    ///     .with_normalize(NormalizeConfig { whitespace: Whitespace::Collapse, ..Default::default() });
    /// let dedup = Deduplicator::with_tokenizer(config, Box::new(Words))?;
    /// let docs = [Document::new("x", "the quick brown fox jumps over the lazy dog"), Document::new("y", "the quick brown fox jumps over the lazy dog")];
    /// assert_eq!(dedup.run(&docs)?.clusters.len(), 1);
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn with_tokenizer(config: Config, tokenizer: Box<dyn Tokenizer>) -> Result<Deduplicator> {
        Deduplicator::build(config, Some(tokenizer))
    }

    fn build(config: Config, tokenizer: Option<Box<dyn Tokenizer>>) -> Result<Deduplicator> {
        config.validate()?;
        let (num_perm, seed) = (config.num_perm(), config.seed());
        let sketcher = (config.method() == Method::MinHash).then(|| match config.sketch() {
            Sketch::OnePermutation => {
                Sketcher::OnePermutation(OnePermutationHasher::new(num_perm, seed))
            }
            Sketch::Classic => Sketcher::Classic(MinHasher::new(num_perm, seed)),
        });
        let shingler = Shingler::new(config.shingle_len(), seed);
        Ok(Deduplicator {
            preparer: Preparer::new(*config.normalize(), *config.masks(), shingler, tokenizer),
            document_lsh: config.lsh_for(config.jaccard_threshold()),
            sketcher,
            config,
            early_sets: EarlySets::Keep,
        })
    }

    /// This deduplicator, its runs making every candidate's set again
    /// rather than keeping early candidates' (`--stream`'s partitions:
    /// nearly every document there is a candidate, and the memory bound is
    /// the point).
    pub(crate) fn without_early_sets(mut self) -> Deduplicator {
        self.early_sets = EarlySets::Drop;
        self
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Runs every stage over `docs`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NoDocuments`](crate::ErrorKind::NoDocuments) for an
    /// empty slice;
    /// [`ErrorKind::DuplicateId`](crate::ErrorKind::DuplicateId) if two
    /// documents share an id;
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) for a text of
    /// 4 GiB or more, or more than `u32::MAX` documents or paragraphs.
    pub fn run(&self, docs: &[Document]) -> Result<Report> {
        self.run_with_progress(docs, &())
    }

    /// Like [`run`](Self::run), telling `progress` which stage is running
    /// and how far it is (see [`Progress`]).
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run).
    pub fn run_with_progress(&self, docs: &[Document], progress: &dyn Progress) -> Result<Report> {
        self.run_focused(docs, Focus::Everything, progress)
    }

    /// Like [`run_with_progress`](Self::run_with_progress), with the
    /// paragraph matches `focus` asks for.
    pub(crate) fn run_focused(
        &self,
        docs: &[Document],
        focus: Focus,
        progress: &dyn Progress,
    ) -> Result<Report> {
        let started = Instant::now();
        check(docs)?;
        let level = self.config.level();
        let mut stats = Stats {
            threads: rayon::current_num_threads(),
            documents: docs.len(),
            paragraphs: docs.iter().map(|d| d.paragraphs().len()).sum(),
            ..Stats::default()
        };
        let clock = Instant::now();
        progress.start(Stage::Fingerprint, Some(docs.len() as u64));
        let (mut prints, steps) = self.fingerprinter().run(docs, self.shapes(), progress);
        let timings = &mut stats.timings_ms;
        timings.fingerprint = millis(clock.elapsed());
        timings.normalize_cpu = millis(steps.normalize);
        timings.tokenize_cpu = millis(steps.tokenize);
        timings.shingle_cpu = millis(steps.shingle);
        timings.sketch_cpu = millis(steps.sketch);
        stats.empty_documents = prints.documents.counts.iter().filter(|&&n| n == 0).count();

        let document = if level.documents() {
            self.document_level(docs, &mut prints, &mut stats, progress)
        } else {
            DocumentResults::default()
        };
        let mut paragraph_matches = Vec::new();
        if level.paragraphs() {
            progress.start(Stage::Paragraphs, None);
            paragraph_matches = self.paragraph_level(docs, (&prints, &document), focus, &mut stats);
        }
        let found = if level.paragraphs() && self.config.passages().enabled {
            passages::find_passages(
                &self.config,
                &self.preparer,
                (docs, focus),
                &document.cluster_of,
                &document.boilerplate_shingles,
            )
        } else {
            passages::PassageResults::default()
        };
        stats.passage_candidate_pairs = found.candidate_pairs;
        stats.timings_ms.passages = millis(found.time);
        let documents = summaries(docs, &prints);
        stats.timings_ms.total = millis(started.elapsed());
        Ok(Report {
            config: self.config.clone(),
            documents,
            skipped: Vec::new(),
            clusters: document.clusters,
            pairs: document.pairs,
            paragraph_matches,
            passages: found.passages,
            contained: found.contained,
            revisions: found.revisions,
            boilerplate: document.boilerplate,
            chain_splits: document.chain_splits,
            stats,
        })
    }

    /// The LSH bands at the document threshold.
    pub(crate) fn document_lsh(&self) -> LshParams {
        self.document_lsh
    }

    /// The document-level fingerprints of `docs` with band keys only (no
    /// sets, no paragraphs): what a streamed run keeps of a chunk.
    pub(crate) fn band_keys(&self, docs: &[Document]) -> Fingerprints {
        let shapes = Shapes {
            document: Keep::BandKeys,
            paragraphs: Paragraphs::Skip,
            early_sets: EarlySets::Drop,
        };
        self.fingerprinter().run(docs, shapes, &()).0
    }

    fn fingerprinter(&self) -> Fingerprinter<'_> {
        Fingerprinter {
            config: &self.config,
            preparer: &self.preparer,
            sketcher: self.sketcher.as_ref(),
            document_lsh: self.document_lsh,
        }
    }

    /// What the fingerprint stage keeps, by level.
    fn shapes(&self) -> Shapes {
        let level = self.config.level();
        let document = if !level.documents() {
            Keep::Count
        } else if self.recomputes_sets() {
            Keep::BandKeys
        } else {
            Keep::Set
        };
        let paragraphs = if level.paragraphs() {
            Paragraphs::Fingerprint
        } else {
            Paragraphs::Skip
        };
        // Only a run that makes sets again gains by keeping some early.
        let early_sets = if document == Keep::BandKeys {
            self.early_sets
        } else {
            EarlySets::Drop
        };
        Shapes {
            document,
            paragraphs,
            early_sets,
        }
    }

    /// Whether document sets are dropped after fingerprinting and made
    /// again for verification ([`ShingleSets::Recompute`], which needs
    /// MinHash candidates).
    fn recomputes_sets(&self) -> bool {
        self.config.shingle_sets() == ShingleSets::Recompute
            && self.config.method() == Method::MinHash
            && self.config.level().documents()
    }

    fn verifier(&self, estimate: Estimate) -> Verifier {
        Verifier {
            method: self.config.method(),
            verification: self.config.verification(),
            num_perm: self.config.num_perm(),
            estimate,
        }
    }

    fn paragraph_level(
        &self,
        docs: &[Document],
        (prints, document): (&Fingerprints, &DocumentResults),
        focus: Focus,
        stats: &mut Stats,
    ) -> Vec<ParagraphMatch> {
        let estimate = Estimate::WhenDeciding;
        let (matches, p) = paragraphs::paragraph_matches(
            &self.config,
            &self.verifier(estimate),
            docs,
            &prints.paragraphs,
            (&document.boilerplate_paragraphs, focus),
        );
        stats.paragraph_candidate_pairs = p.candidates.pairs;
        stats.paragraph_copies = p.copies;
        stats.paragraph_lsh = p.candidates.lsh;
        stats.timings_ms.candidates += millis(p.candidates_time);
        stats.timings_ms.verify += millis(p.verify_time);
        matches
    }
}

/// Which paragraph matches a run looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Focus {
    /// Every one.
    Everything,
    /// Those with a paragraph of one of the first `n` documents on a side
    /// (a batch checked against documents read back from an index): the
    /// others are never verified. The document level is run whole.
    FirstDocuments(usize),
}

/// Verified pairs of every component, in pair order.
fn sorted(parts: Vec<Vec<Verified>>) -> Vec<Verified> {
    let mut all: Vec<Verified> = parts.into_iter().flatten().collect();
    all.sort_unstable_by_key(|v| (v.a, v.b));
    all
}

fn millis(elapsed: Duration) -> f64 {
    elapsed.as_secs_f64() * 1000.0
}

/// Each document's line of the report, sorted by id (ids are unique). In
/// parallel: a hundred thousand ids copied and sorted were a serial
/// hundredth of a corpus run on two threads.
fn summaries(docs: &[Document], prints: &Fingerprints) -> Vec<DocumentSummary> {
    let mut documents: Vec<DocumentSummary> = docs
        .par_iter()
        .zip(&prints.documents.counts)
        .zip(&prints.masks)
        .map(|((d, &count), &masks)| DocumentSummary {
            id: d.id().to_string(),
            chars: d.char_len(),
            paragraphs: d.paragraphs().len(),
            shingles: count,
            masks,
            encoding: None,
        })
        .collect();
    documents.par_sort_unstable_by(|x, y| x.id.cmp(&y.id));
    documents
}
