//! The pipeline: documents in, [`Report`] out.
//!
//! ```text
//! fingerprint ─ candidates ─ components ─ verification ─┬──────────────────────────── clusters ─ views ─ Report
//!   (documents                                          └─ boilerplate ─ verification ─┘   (analysis,
//!    and paragraphs)                                                                         boilerplate report)
//! paragraph items ─ candidates (+ anchors) ─ verification ─ match rule ─ paragraph matches
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
mod data;
mod explain;
mod fingerprint;
mod paragraphs;
mod verification;
mod views;

use self::candidates::{candidates, sort_candidate_sets};
use self::clusters::{guard_component, report_clusters, report_pairs, Guarded};
use self::components::components;
use self::data::{Candidates, Components, Item, Verified};
use self::fingerprint::{
    Fingerprinter, Fingerprints, Keep, Order, Paragraphs, Scratch, Shapes, Sketcher,
};
use self::verification::{made_sets, Common, ComponentSets, Estimate, Verifier};
use crate::analysis::Analyzer;
use crate::boilerplate::Boilerplate;
use crate::cluster::ChainSplit;
use crate::config::{Config, Method, ShingleSets, Sketch};
use crate::corpus::{check, Document};
use crate::error::Result;
use crate::fingerprint::{MinHasher, OnePermutationHasher};
use crate::lsh::LshParams;
use crate::prehashed::HashedSet;
use crate::prepare::Preparer;
use crate::progress::{Progress, Stage};
use crate::report::{Cluster, DocumentSummary, DuplicatePair, ParagraphMatch, Report, Stats};
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
}

/// What the document level found.
#[derive(Default)]
struct DocumentResults {
    clusters: Vec<Cluster>,
    pairs: Vec<DuplicatePair>,
    chain_splits: Vec<ChainSplit>,
    boilerplate: Boilerplate,
    /// For each document, which of its paragraphs are boilerplate.
    boilerplate_paragraphs: Vec<Vec<bool>>,
}

/// The boilerplate the first verification revealed.
struct Found {
    /// Each document's group of related documents.
    group_of: Vec<usize>,
    shingles: HashedSet,
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
        })
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
        let t = &mut stats.timings_ms;
        t.fingerprint = millis(clock.elapsed());
        t.normalize_cpu = millis(steps.normalize);
        t.tokenize_cpu = millis(steps.tokenize);
        t.shingle_cpu = millis(steps.shingle);
        t.sketch_cpu = millis(steps.sketch);
        stats.empty_documents = prints.documents.counts.iter().filter(|&&n| n == 0).count();

        let found = if level.documents() {
            self.document_level(docs, &mut prints, &mut stats, progress)
        } else {
            DocumentResults::default()
        };
        let mut paragraph_matches = Vec::new();
        if level.paragraphs() {
            progress.start(Stage::Paragraphs, None);
            paragraph_matches = self.paragraph_level(docs, &prints, &found, &mut stats);
        }
        let mut documents: Vec<DocumentSummary> = docs
            .iter()
            .zip(&prints.documents.counts)
            .map(|(d, &count)| DocumentSummary {
                id: d.id().to_string(),
                chars: d.char_len(),
                paragraphs: d.paragraphs().len(),
                shingles: count,
            })
            .collect();
        documents.sort_by(|x, y| x.id.cmp(&y.id));
        stats.timings_ms.total = millis(started.elapsed());
        Ok(Report {
            config: self.config.clone(),
            documents,
            skipped: Vec::new(),
            clusters: found.clusters,
            pairs: found.pairs,
            paragraph_matches,
            boilerplate: found.boilerplate,
            chain_splits: found.chain_splits,
            stats,
        })
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
        } else if self.config.method() == Method::Exact {
            // Only the exact method compares every set.
            Keep::Set(Order::Sorted)
        } else {
            Keep::Set(Order::Any)
        };
        let paragraphs = if level.paragraphs() {
            Paragraphs::Fingerprint
        } else {
            Paragraphs::Skip
        };
        Shapes {
            document,
            paragraphs,
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

    /// The document level: candidates, verification (twice, with
    /// boilerplate left out the second time), clusters, views.
    fn document_level(
        &self,
        docs: &[Document],
        prints: &mut Fingerprints,
        stats: &mut Stats,
        progress: &dyn Progress,
    ) -> DocumentResults {
        let all = self.document_components(docs, prints, stats, progress);
        let (verified, guarded, found) = if self.config.boilerplate().enabled {
            let (verified, guarded, found) =
                self.verify_with_boilerplate(docs, prints, &all, stats, progress);
            (verified, guarded, Some(found))
        } else {
            let (verified, guarded) = self.verify_streaming(docs, prints, &all, stats, progress);
            (verified, guarded, None)
        };
        stats.verified_pairs = verified.len();

        let clock = Instant::now();
        progress.start(Stage::Cluster, None);
        let (mut clusters, chain_splits) = report_clusters(self.config.cluster(), docs, guarded);
        stats.large_clusters = clusters.iter().filter(|(c, _)| c.large).count();
        let pairs = report_pairs(docs, &verified);
        stats.timings_ms.cluster += millis(clock.elapsed());

        let clock = Instant::now();
        let (boilerplate, boilerplate_paragraphs) =
            self.views(docs, prints, &mut clusters, found.as_ref(), progress);
        stats.timings_ms.analysis += millis(clock.elapsed());
        DocumentResults {
            clusters: clusters.into_iter().map(|(c, _)| c).collect(),
            pairs,
            chain_splits,
            boilerplate,
            boilerplate_paragraphs,
        }
    }

    /// Document candidates, grouped into the components verification
    /// works through.
    fn document_components(
        &self,
        docs: &[Document],
        prints: &mut Fingerprints,
        stats: &mut Stats,
        progress: &dyn Progress,
    ) -> Components {
        let clock = Instant::now();
        progress.start(Stage::Candidates, None);
        let documents = &mut prints.documents;
        let active: Vec<Item> = (0..docs.len())
            .filter(|&i| documents.counts[i] > 0)
            .map(Item::new)
            .collect();
        let threshold = self.config.jaccard_threshold();
        let (found, found_stats) = candidates(&self.config, documents, active, threshold, None);
        if let Candidates::Edges(pairs) = &found {
            sort_candidate_sets(documents, pairs);
        }
        stats.candidate_pairs = found_stats.pairs;
        stats.lsh = found_stats.lsh;
        stats.max_hamming_distance = found_stats.max_hamming_distance;
        let all = components(docs.len(), &found);
        stats.timings_ms.candidates += millis(clock.elapsed());
        all
    }

    /// The sets of `members`: borrowed from the fingerprint stage, or made
    /// again when it did not keep them.
    fn component_sets<'a>(
        &self,
        docs: &[Document],
        prints: &'a Fingerprints,
        members: &[Item],
        scratch: &mut Scratch,
    ) -> ComponentSets<'a> {
        if self.recomputes_sets() {
            ComponentSets::Made(made_sets(&self.fingerprinter(), docs, members, scratch))
        } else {
            ComponentSets::Kept(&prints.documents)
        }
    }

    /// Verification without boilerplate: each component's sets are made
    /// (or borrowed), its pairs verified and its groups guarded, then the
    /// sets are dropped.
    fn verify_streaming(
        &self,
        docs: &[Document],
        prints: &Fingerprints,
        all: &Components,
        stats: &mut Stats,
        progress: &dyn Progress,
    ) -> (Vec<Verified>, Vec<Guarded>) {
        let clock = Instant::now();
        progress.start(Stage::Verify, None);
        let verifier = self.verifier(Estimate::Compute);
        let threshold = self.config.jaccard_threshold();
        let results: Vec<(Vec<Verified>, Guarded)> = (0..all.len())
            .into_par_iter()
            .map_init(Scratch::default, |scratch, k| {
                let component = all.get(k);
                let sets = self.component_sets(docs, prints, component.members, scratch);
                let verified = verifier.verify_component(component, &sets, None, threshold);
                let guarded =
                    guard_component(self.config.cluster(), docs, component, &sets, &verified);
                (verified, guarded)
            })
            .collect();
        stats.timings_ms.verify += millis(clock.elapsed());
        let (verified, guarded): (Vec<_>, Vec<_>) = results.into_iter().unzip();
        (sorted(verified), guarded)
    }

    /// Verification with boilerplate: every component's sets are held from
    /// the first verification (which tells related documents apart)
    /// through the second (without the boilerplate it revealed) to the
    /// guard, so that no document is prepared twice for verification.
    fn verify_with_boilerplate(
        &self,
        docs: &[Document],
        prints: &Fingerprints,
        all: &Components,
        stats: &mut Stats,
        progress: &dyn Progress,
    ) -> (Vec<Verified>, Vec<Guarded>, Found) {
        let clock = Instant::now();
        progress.start(Stage::Verify, None);
        let verifier = self.verifier(Estimate::Compute);
        let threshold = self.config.jaccard_threshold();
        let held: Vec<(ComponentSets, Vec<Verified>)> = (0..all.len())
            .into_par_iter()
            .map_init(Scratch::default, |scratch, k| {
                let component = all.get(k);
                let sets = self.component_sets(docs, prints, component.members, scratch);
                let verified = verifier.verify_component(component, &sets, None, threshold);
                (sets, verified)
            })
            .collect();
        stats.timings_ms.verify += millis(clock.elapsed());

        let clock = Instant::now();
        progress.start(Stage::Boilerplate, None);
        let first: Vec<Verified> = sorted(held.iter().map(|(_, v)| v.clone()).collect());
        let found = self.find_boilerplate(docs, prints, &first);
        drop(first);
        // Boilerplate is no evidence of copying: verify again without it.
        // Word shingles hash differently, so only character shingles can
        // leave it out.
        let common = Common {
            shingles: &found.shingles,
            max_pair_share: self.config.boilerplate().max_pair_share,
        };
        let leave_out = !found.shingles.is_empty() && self.preparer.char_shingles();
        let common = leave_out.then_some(&common);
        let results: Vec<(Vec<Verified>, Guarded)> = held
            .into_par_iter()
            .enumerate()
            .map(|(k, (sets, first))| {
                let component = all.get(k);
                let verified = match common {
                    Some(_) => verifier.verify_component(component, &sets, common, threshold),
                    None => first,
                };
                let guarded =
                    guard_component(self.config.cluster(), docs, component, &sets, &verified);
                (verified, guarded)
            })
            .collect();
        stats.timings_ms.boilerplate += millis(clock.elapsed());
        let (verified, guarded): (Vec<_>, Vec<_>) = results.into_iter().unzip();
        (sorted(verified), guarded, found)
    }

    /// Groups of related documents from the first verification, and the
    /// shingles found in enough of them.
    fn find_boilerplate(
        &self,
        docs: &[Document],
        prints: &Fingerprints,
        first: &[Verified],
    ) -> Found {
        let group_of = boilerplate::related_groups(docs.len(), first);
        // The fingerprint stage already shingled each paragraph alone, as
        // boilerplate counts them (character shingles only).
        let paragraphs = self.paragraph_sets(prints);
        let shingles = boilerplate::boilerplate_set(
            self.config.boilerplate(),
            &self.preparer,
            docs,
            &group_of,
            paragraphs,
        );
        Found { group_of, shingles }
    }

    /// The fingerprint stage's paragraph sets, if they are the character
    /// shingles of each paragraph alone.
    fn paragraph_sets<'a>(&self, prints: &'a Fingerprints) -> Option<&'a data::ParagraphPrints> {
        (self.config.level().paragraphs() && self.preparer.char_shingles())
            .then_some(&prints.paragraphs)
    }

    /// Views of clustered documents and of those that may hold boilerplate:
    /// the clusters' analyses, and the boilerplate report with each
    /// document's boilerplate paragraphs.
    fn views(
        &self,
        docs: &[Document],
        prints: &Fingerprints,
        clusters: &mut [(Cluster, Vec<Item>)],
        found: Option<&Found>,
        progress: &dyn Progress,
    ) -> (Boilerplate, Vec<Vec<bool>>) {
        let none = HashedSet::default();
        let shingles = found.map_or(&none, |f| &f.shingles);
        let analyzer = Analyzer {
            shingler: self.preparer.shingler(),
            config: self.config.analysis(),
            boilerplate: shingles,
            boilerplate_coverage: self.config.boilerplate().min_coverage,
        };
        let analysis = self.config.analysis().enabled.then_some(&analyzer);
        if analysis.is_none() && found.is_none() {
            return (Boilerplate::default(), Vec::new());
        }
        if analysis.is_some() {
            progress.start(Stage::Analysis, Some(clusters.len() as u64));
        }
        let asked = views::Asked {
            analysis,
            boilerplate: found.map(|_| self.config.boilerplate()),
        };
        let paragraphs = self.paragraph_sets(prints);
        let findings = views::views(
            &self.preparer,
            docs,
            clusters,
            shingles,
            paragraphs,
            asked,
            progress,
        );
        match found {
            Some(found) => boilerplate::assemble(findings, &found.group_of, found.shingles.len()),
            None => (Boilerplate::default(), Vec::new()),
        }
    }

    fn paragraph_level(
        &self,
        docs: &[Document],
        prints: &Fingerprints,
        found: &DocumentResults,
        stats: &mut Stats,
    ) -> Vec<ParagraphMatch> {
        let estimate = Estimate::WhenDeciding;
        let (matches, p) = paragraphs::paragraph_matches(
            &self.config,
            &self.verifier(estimate),
            docs,
            &prints.paragraphs,
            &found.boilerplate_paragraphs,
        );
        stats.paragraph_candidate_pairs = p.candidates.pairs;
        stats.paragraph_lsh = p.candidates.lsh;
        stats.timings_ms.candidates += millis(p.candidates_time);
        stats.timings_ms.verify += millis(p.verify_time);
        matches
    }
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
