//! The pipeline: documents in, [`Report`] out.
//!
//! ```text
//! Document ─ normalise ─ shingle ─┬─ MinHash ─ LSH bands ─────┐
//!   (and each paragraph)          ├─ SimHash ─ Hamming blocks ─┼─ verify ─ cluster ─ Report
//!                                 └─ (exact: every pair) ──────┘
//! ```
//!
//! This is the only stage that drives rayon (reading JSONL, in `source`, is
//! the other user): documents are fingerprinted in
//! parallel (each rayon job with its own scratch buffers), LSH bands and
//! Hamming blocks are built in parallel, and candidates are verified in
//! parallel. Results are sorted before they are used, so the thread count
//! never changes the report.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::analysis::{boilerplate_phrases, covered_share, Analyzer};
use crate::anchor::anchor_pairs;
use crate::boilerplate::{sentences, shingles_in_groups};
use crate::cluster::{connected_groups, guard_chains, GuardedGroup, SplitMember, UnionFind};
use crate::config::{Config, Method, ShingleSets, Sketch, Verification};
use crate::corpus::{DocId, Document};
use crate::distinct::Distinct;
use crate::error::{Error, Result};
use crate::fingerprint::minhash::MinHasher;
use crate::fingerprint::oph::OnePermutationHasher;
use crate::fingerprint::simhash::{jaccard_from_hamming, SimHasher};
use crate::hamming_index::HammingIndex;
use crate::lsh::{BandTable, LshIndex, LshParams};
use crate::normalize::Normalizer;
use crate::prehashed::HashedSet;
use crate::progress::{Progress, Stage};
use crate::redact::MaskFolder;
use crate::report::{
    Boilerplate, BoilerplatePhrase, BoilerplateSentence, ChainSplit, Cluster, DocumentSummary,
    DuplicatePair, Explanation, MatchKind, ParagraphMatch, Report, Stats,
};
use crate::shingle::Shingler;
use crate::tokenize::{TokenKind, Tokenizer};
use crate::verify::{estimated_jaccard, hamming_distance, jaccard, Overlap};

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
    normalizer: Normalizer,
    folder: MaskFolder,
    shingler: Shingler,
    sketcher: Option<Sketcher>,
    /// LSH bands and rows at the document threshold, chosen once (the
    /// choice integrates the S-curve for every split of `num_perm`).
    document_lsh: LshParams,
    tokenizer: Option<Box<dyn Tokenizer>>,
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
    /// use chachong::{Config, Deduplicator, Document, Tokenizer};
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
    ///     .with_normalize(chachong::NormalizeConfig { whitespace: chachong::Whitespace::Collapse, ..Default::default() });
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
        Ok(Deduplicator {
            normalizer: Normalizer::new(*config.normalize()),
            folder: MaskFolder::new(*config.masks()),
            shingler: Shingler::new(config.shingle_len(), config.seed()),
            document_lsh: config.lsh_for(config.jaccard_threshold()),
            sketcher: (config.method() == Method::MinHash).then(|| match config.sketch() {
                Sketch::OnePermutation => Sketcher::OnePermutation(OnePermutationHasher::new(
                    config.num_perm(),
                    config.seed(),
                )),
                Sketch::Classic => {
                    Sketcher::Classic(MinHasher::new(config.num_perm(), config.seed()))
                }
            }),
            tokenizer,
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
        check_corpus(docs)?;
        let level = self.config.level();
        let mut stats = Stats {
            threads: rayon::current_num_threads(),
            documents: docs.len(),
            paragraphs: docs.iter().map(|d| d.paragraphs().len()).sum(),
            ..Stats::default()
        };

        let clock = Instant::now();
        let steps = StepClock::default();
        progress.start(Stage::Fingerprint, Some(docs.len() as u64));
        let prints: Vec<DocumentPrints> = docs
            .par_iter()
            .map_init(Scratch::default, |scratch, doc| {
                let prints = self.fingerprint(doc, scratch, &steps);
                progress.advance(1);
                prints
            })
            .collect();
        let (mut doc_items, para_items, para_owner) = split_levels(prints);
        stats.empty_documents = doc_items.counts.iter().filter(|&&n| n == 0).count();
        stats.timings_ms.fingerprint = millis(clock);
        stats.timings_ms.normalize_cpu = steps.millis(&steps.normalize);
        stats.timings_ms.tokenize_cpu = steps.millis(&steps.tokenize);
        stats.timings_ms.shingle_cpu = steps.millis(&steps.shingle);
        stats.timings_ms.sketch_cpu = steps.millis(&steps.sketch);

        let mut clusters = Vec::new();
        let mut pairs = Vec::new();
        let mut chain_splits = Vec::new();
        let mut boilerplate = Boilerplate::default();
        let mut boilerplate_set = HashedSet::default();
        let mut boilerplate_paragraphs: Vec<Vec<bool>> = Vec::new();
        if level.documents() {
            let threshold = self.config.jaccard_threshold();
            let clock = Instant::now();
            progress.start(Stage::Candidates, None);
            let active: Vec<DocId> = (0..docs.len())
                .filter(|&i| doc_items.counts[i] > 0)
                .map(DocId::new)
                .collect();
            let candidates = self.candidates(&doc_items, &active, threshold, &mut stats, false);
            if let Candidates::Pairs(pairs) = &candidates {
                sort_candidate_sets(&mut doc_items.sets, pairs);
            }
            stats.candidate_pairs = candidates.len(active.len());
            stats.timings_ms.candidates += millis(clock);
            let lean = match &candidates {
                Candidates::Pairs(pairs) if self.lean_documents() => Some(pairs.as_slice()),
                _ => None,
            };

            let clock = Instant::now();
            progress.start(Stage::Verify, None);
            let keep = |v: Verified| (self.decisive(&v) >= threshold).then_some(v);
            let cluster_now = !self.config.boilerplate().enabled;
            // Document pairs report the estimate beside exact Jaccard.
            let (mut verified, mut guarded) = match lean {
                Some(pairs) => self.verify_by_component(docs, pairs, None, &keep, cluster_now),
                None => (
                    self.verify(&doc_items, &active, &candidates, None, true, keep),
                    Vec::new(),
                ),
            };
            stats.timings_ms.verify += millis(clock);

            if self.config.boilerplate().enabled {
                let clock = Instant::now();
                progress.start(Stage::Boilerplate, None);
                let edges: Vec<(DocId, DocId)> = verified.iter().map(|v| (v.a, v.b)).collect();
                // The fingerprint pass already shingled each paragraph alone,
                // as boilerplate counts them (character shingles only).
                let paragraph_sets = (level.paragraphs() && self.tokenizer.is_none())
                    .then(|| ParagraphSets::new(docs, &para_items.sets));
                boilerplate_set = self.boilerplate_shingles(docs, &edges, paragraph_sets.as_ref());
                (boilerplate, boilerplate_paragraphs) = self.boilerplate_report(
                    docs,
                    &edges,
                    &boilerplate_set,
                    paragraph_sets.as_ref(),
                );
                // Boilerplate is no evidence of copying: verify again without
                // it. Word shingles hash differently, so only character
                // shingles can leave it out.
                let common = Common {
                    shingles: &boilerplate_set,
                    max_pair_share: self.config.boilerplate().max_pair_share,
                };
                let common =
                    (!boilerplate_set.is_empty() && self.tokenizer.is_none()).then_some(&common);
                match lean {
                    Some(pairs) => {
                        (verified, guarded) =
                            self.verify_by_component(docs, pairs, common, &keep, true);
                    }
                    None if common.is_some() => {
                        verified =
                            self.verify(&doc_items, &active, &candidates, common, true, keep);
                    }
                    None => {}
                }
                stats.timings_ms.boilerplate += millis(clock);
            }
            stats.verified_pairs = verified.len();

            let clock = Instant::now();
            progress.start(Stage::Cluster, None);
            (clusters, chain_splits) = match lean {
                Some(_) => self.clusters_from(docs, guarded),
                None => self.document_clusters(docs, &doc_items.sets, &verified),
            };
            stats.large_clusters = clusters.iter().filter(|c| c.large).count();
            pairs = verified.iter().map(|v| duplicate_pair(docs, v)).collect();
            pairs.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
            stats.timings_ms.cluster += millis(clock);

            if self.config.analysis().enabled {
                let clock = Instant::now();
                progress.start(Stage::Analysis, Some(clusters.len() as u64));
                self.analyse_clusters(docs, &mut clusters, &boilerplate_set, progress);
                stats.timings_ms.analysis += millis(clock);
            }
        }

        let mut paragraph_matches = Vec::new();
        if level.paragraphs() {
            progress.start(Stage::Paragraphs, None);
            paragraph_matches = self.paragraph_matches(
                docs,
                &para_items,
                &para_owner,
                &boilerplate_paragraphs,
                &mut stats,
            );
        }

        let mut documents: Vec<DocumentSummary> = docs
            .iter()
            .zip(&doc_items.counts)
            .map(|(d, &count)| DocumentSummary {
                id: d.id().to_string(),
                chars: d.char_len(),
                paragraphs: d.paragraphs().len(),
                shingles: count,
            })
            .collect();
        documents.sort_by(|x, y| x.id.cmp(&y.id));
        stats.timings_ms.total = millis(started);
        Ok(Report {
            config: self.config.clone(),
            documents,
            skipped: Vec::new(),
            clusters,
            pairs,
            paragraph_matches,
            boilerplate,
            chain_splits,
            stats,
        })
    }

    /// Normalises `doc` once (paragraph by paragraph, so each paragraph's
    /// share of the normalised text is known), then shingles and
    /// fingerprints the whole and each paragraph, as far as the configured
    /// levels need: the document's shingle set is always made (the report
    /// counts it, and it tells empty documents apart), its sketches only for
    /// document level, paragraphs only for paragraph level.
    fn fingerprint(
        &self,
        doc: &Document,
        scratch: &mut Scratch,
        steps: &StepClock,
    ) -> DocumentPrints {
        let clock = Instant::now();
        let ranges = self.fold_document(doc, scratch);
        steps.add(&steps.normalize, clock);
        let normalized = scratch.folded.as_str();
        let level = self.config.level();
        // Sets found through an index are sorted once they are candidates
        // (`sort_candidate_sets`); only the exact method compares them all.
        let sorted = level.documents() && self.config.method() == Method::Exact;
        let document = self.prints(
            normalized,
            &mut scratch.sequence,
            &mut scratch.distinct,
            Shape {
                sketch: level.documents(),
                lean: self.lean_documents(),
                sorted,
            },
            steps,
        );
        let paragraphs = if level.paragraphs() {
            ranges
                .into_iter()
                .map(|range| {
                    let part = &normalized[range];
                    (
                        self.prints(
                            part,
                            &mut scratch.sequence,
                            &mut scratch.distinct,
                            Shape::SORTED,
                            steps,
                        ),
                        part.chars().count(),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        DocumentPrints {
            document,
            paragraphs,
        }
    }

    /// Normalises and mask-folds `doc` paragraph by paragraph into
    /// `scratch.folded`; returns each paragraph's byte range in it.
    /// Fingerprints need no origins: the text-only forms skip them.
    fn fold_document(&self, doc: &Document, scratch: &mut Scratch) -> Vec<std::ops::Range<usize>> {
        let text = doc.text();
        scratch.normalized.clear();
        scratch.folded.clear();
        doc.paragraphs()
            .iter()
            .map(|p| {
                let range = self
                    .normalizer
                    .append_text(&text[p.bytes()], &mut scratch.normalized);
                self.folder
                    .fold_text_into(&scratch.normalized[range], &mut scratch.folded)
            })
            .collect()
    }

    /// The document-level prints of `doc` alone.
    fn prints_of(&self, doc: &Document, scratch: &mut Scratch, sketch: bool) -> Prints {
        self.fold_document(doc, scratch);
        self.prints(
            &scratch.folded,
            &mut scratch.sequence,
            &mut scratch.distinct,
            Shape {
                sketch,
                ..Shape::SORTED
            },
            &StepClock::default(),
        )
    }

    /// Shingles `text` into a set and computes what `shape` asks for.
    fn prints(
        &self,
        text: &str,
        sequence: &mut Vec<u64>,
        distinct: &mut Distinct,
        shape: Shape,
        steps: &StepClock,
    ) -> Prints {
        let Shape {
            sketch,
            lean,
            sorted,
        } = shape;
        let clock = Instant::now();
        sequence.clear();
        // Shingles a mask kept out: what a redacted copy cannot show
        // (counted for character shingles only).
        let hidden = match &self.tokenizer {
            None => self.shingler.masked_char_sequence_into(text, sequence),
            Some(tokenizer) => {
                let mut tokens = Vec::new();
                let segmenting = Instant::now();
                tokenizer.tokenize(text, &mut tokens);
                steps.add(&steps.tokenize, segmenting);
                self.shingler.masked_token_sequence_into(&tokens, sequence);
                0
            }
        };
        let method = if sketch {
            self.config.method()
        } else {
            Method::Exact
        };
        // Repeats are the weights: count them before they go.
        let simhash = (method == Method::SimHash && self.config.weighted_simhash())
            .then(|| SimHasher.simhash(sequence).0);
        let is_sorted = distinct.dedup(sequence);
        if sorted && !is_sorted {
            sequence.sort_unstable();
        }
        let count = sequence.len();
        let set = if lean { Vec::new() } else { sequence.clone() };
        steps.add(&steps.shingle, clock);
        let clock = Instant::now();
        let simhash = match (method, simhash) {
            (_, Some(weighted)) => weighted,
            (Method::SimHash, None) => SimHasher.simhash(sequence).0,
            _ => 0,
        };
        let signature = match &self.sketcher {
            Some(sketcher) if sketch => {
                let mut values = vec![0; self.config.num_perm()];
                match sketcher {
                    Sketcher::OnePermutation(h) => h.signature_into(sequence, &mut values),
                    Sketcher::Classic(h) => h.signature_into(sequence, &mut values),
                }
                values
            }
            _ => Vec::new(),
        };
        let mut band_keys = Vec::new();
        let signature = if lean && !signature.is_empty() {
            self.document_lsh
                .band_keys_into(self.config.seed(), &signature, &mut band_keys);
            Vec::new()
        } else {
            signature
        };
        steps.add(&steps.sketch, clock);
        Prints {
            set,
            count,
            signature,
            band_keys,
            simhash,
            hidden,
        }
    }

    /// Whether document-level sets and signatures are left out of memory
    /// ([`ShingleSets::Recompute`], which needs MinHash candidates).
    fn lean_documents(&self) -> bool {
        self.config.shingle_sets() == ShingleSets::Recompute
            && self.config.method() == Method::MinHash
            && self.config.level().documents()
    }

    /// Candidate pairs among `active` items for `threshold`, by the
    /// configured method; for [`Method::Exact`], every pair, which is never
    /// materialised (a million items have 5 · 10^11 pairs).
    fn candidates(
        &self,
        items: &Items,
        active: &[DocId],
        threshold: f64,
        stats: &mut Stats,
        paragraphs: bool,
    ) -> Candidates {
        let mut pairs: Vec<(DocId, DocId)> = match self.config.method() {
            Method::MinHash => {
                let params = self.config.lsh_for(threshold);
                if paragraphs {
                    stats.paragraph_lsh = Some(params);
                } else {
                    stats.lsh = Some(params);
                }
                self.lsh_pairs(items, active, params)
            }
            Method::SimHash => {
                let distance = self.config.hamming_for(threshold);
                if !paragraphs {
                    stats.max_hamming_distance = Some(distance);
                }
                let index = HammingIndex::build(
                    distance,
                    active.iter().map(|&id| (id, items.simhashes[id.index()])),
                );
                (0..index.num_blocks())
                    .into_par_iter()
                    .flat_map_iter(|block| {
                        let mut out = Vec::new();
                        index.block_pairs_into(block, &mut out);
                        out
                    })
                    .collect()
            }
            Method::Exact => return Candidates::AllPairs,
        };
        pairs.par_sort_unstable();
        pairs.dedup();
        Candidates::Pairs(pairs)
    }

    /// Measures every candidate in parallel (with the fingerprint's estimate
    /// if `with_estimate`) and keeps what `keep` returns, in candidate order.
    fn verify<T: Send>(
        &self,
        items: &Items,
        active: &[DocId],
        candidates: &Candidates,
        common: Option<&Common>,
        with_estimate: bool,
        keep: impl Fn(Verified) -> Option<T> + Sync,
    ) -> Vec<T> {
        match candidates {
            Candidates::Pairs(pairs) => pairs
                .par_iter()
                .filter_map(|&(a, b)| keep(self.measure(items, a, b, common, with_estimate)))
                .collect(),
            Candidates::AllPairs => {
                let keep = &keep;
                active
                    .par_iter()
                    .enumerate()
                    .flat_map_iter(|(i, &a)| {
                        active[i + 1..].iter().filter_map(move |&b| {
                            keep(self.measure(items, a, b, common, with_estimate))
                        })
                    })
                    .collect()
            }
        }
    }

    fn lsh_pairs(&self, items: &Items, active: &[DocId], params: LshParams) -> Vec<(DocId, DocId)> {
        let num_perm = self.config.num_perm();
        let signatures = || {
            active.iter().map(|&id| {
                (
                    id,
                    &items.signatures[id.index() * num_perm..(id.index() + 1) * num_perm],
                )
            })
        };
        let tables: Vec<BandTable> = (0..params.bands)
            .into_par_iter()
            .map(|band| {
                if items.band_keys.is_empty() {
                    BandTable::build(params, band, self.config.seed(), signatures())
                } else {
                    BandTable::from_keys(
                        active
                            .iter()
                            .map(|&id| (items.band_keys[id.index() * params.bands + band], id))
                            .collect(),
                    )
                }
            })
            .collect();
        let index = LshIndex::from_tables(params, self.config.seed(), tables);
        index
            .tables()
            .par_iter()
            .flat_map_iter(|table| {
                let mut out = Vec::new();
                table.pairs_into(&mut out);
                out
            })
            .collect()
    }

    /// Exact overlap for one pair and, if `with_estimate`, the
    /// fingerprint's estimate.
    fn measure(
        &self,
        items: &Items,
        a: DocId,
        b: DocId,
        common: Option<&Common>,
        with_estimate: bool,
    ) -> Verified {
        let (sa, sb) = (&items.sets[a.index()], &items.sets[b.index()]);
        let overlap = match common {
            None => Overlap::of(sa, sb),
            Some(common) => {
                let (whole, rest) = Overlap::of_without(sa, sb, |h| common.shingles.contains(&h));
                let union = |o: &Overlap| (o.a_len + o.b_len - o.intersection) as f64;
                let shared = union(&whole) - union(&rest);
                if shared <= common.max_pair_share * union(&whole) {
                    rest
                } else {
                    whole
                }
            }
        };
        let method = if with_estimate {
            self.config.method()
        } else {
            Method::Exact
        };
        let estimate = match method {
            Method::MinHash => {
                let k = self.config.num_perm();
                match (items.signature(a, k), items.signature(b, k)) {
                    (Some(sa), Some(sb)) => Some(estimated_jaccard(sa, sb)),
                    _ => None,
                }
            }
            Method::SimHash => Some(jaccard_from_hamming(f64::from(hamming_distance(
                items.simhashes[a.index()],
                items.simhashes[b.index()],
            )))),
            Method::Exact => None,
        };
        Verified {
            a,
            b,
            overlap,
            estimate,
        }
    }

    /// The similarity the threshold is applied to.
    fn decisive(&self, v: &Verified) -> f64 {
        match (self.config.verification(), v.estimate) {
            (Verification::Estimate, Some(estimate)) => estimate,
            _ => v.overlap.jaccard(),
        }
    }

    /// Clusters: connected components of the verified pairs, split by the
    /// chaining guard; members sorted by id, clusters by first member.
    fn document_clusters(
        &self,
        docs: &[Document],
        sets: &[Vec<u64>],
        verified: &[Verified],
    ) -> (Vec<Cluster>, Vec<ChainSplit>) {
        let all: Vec<DocId> = (0..docs.len()).map(DocId::new).collect();
        let guarded = self.guard_groups(docs, &all, verified, |x, y| {
            jaccard(&sets[x.index()], &sets[y.index()])
        });
        self.clusters_from(docs, guarded)
    }

    /// The connected groups of `verified`, whose documents are among
    /// `members` (sorted), each split by the chaining guard with
    /// `similarity`.
    fn guard_groups(
        &self,
        docs: &[Document],
        members: &[DocId],
        verified: &[Verified],
        similarity: impl Fn(DocId, DocId) -> f64 + Sync,
    ) -> Vec<Guarded> {
        let rules = *self.config.cluster();
        let local = |id: DocId| members.binary_search(&id).unwrap_or(0);
        let edges: Vec<(DocId, DocId)> = verified
            .iter()
            .map(|v| (DocId::new(local(v.a)), DocId::new(local(v.b))))
            .collect();
        let groups = connected_groups(members.len(), &edges);
        let mut group_of = vec![usize::MAX; members.len()];
        for (g, group) in groups.iter().enumerate() {
            for &l in group {
                group_of[l.index()] = g;
            }
        }
        let mut group_edges: Vec<Vec<(DocId, DocId, f64)>> = vec![Vec::new(); groups.len()];
        for v in verified {
            group_edges[group_of[local(v.a)]].push((v.a, v.b, v.overlap.jaccard()));
        }
        let id = |x: DocId| docs[x.index()].id();
        groups
            .par_iter()
            .zip(&group_edges)
            .map(|(group, edges)| {
                let group: Vec<DocId> = group.iter().map(|l| members[l.index()]).collect();
                guard_chains(
                    &group,
                    edges,
                    &similarity,
                    rules.min_similarity_to_representative,
                    |x, y| id(x).cmp(id(y)),
                )
            })
            .collect()
    }

    /// Report clusters and splits from guarded groups, sorted.
    fn clusters_from(
        &self,
        docs: &[Document],
        guarded: Vec<Guarded>,
    ) -> (Vec<Cluster>, Vec<ChainSplit>) {
        let rules = *self.config.cluster();
        let id = |x: DocId| docs[x.index()].id();
        let mut clusters = Vec::new();
        let mut splits = Vec::new();
        for (groups, split) in guarded {
            for g in groups {
                let mut members: Vec<String> =
                    g.members.iter().map(|&m| id(m).to_string()).collect();
                members.sort();
                clusters.push(Cluster {
                    large: members.len() > rules.large_cluster_size,
                    members,
                    representative: id(g.representative).to_string(),
                    analysis: None,
                });
            }
            splits.extend(split.into_iter().map(|s| ChainSplit {
                document: id(s.member).to_string(),
                representative: id(s.representative).to_string(),
                jaccard: s.similarity,
            }));
        }
        clusters.sort_by(|x, y| x.members[0].cmp(&y.members[0]));
        splits.sort_by(|x, y| x.document.cmp(&y.document));
        (clusters, splits)
    }

    /// Lean mode: verifies `pairs` one connected component of candidates at
    /// a time (components in parallel), normalising and shingling each
    /// component's documents again and dropping their sets when the
    /// component is done, so memory holds the sets of the components being
    /// worked on, not of every candidate. Returns the verified pairs and,
    /// if `cluster`, each component's guarded groups.
    fn verify_by_component(
        &self,
        docs: &[Document],
        pairs: &[(DocId, DocId)],
        common: Option<&Common>,
        keep: &(impl Fn(Verified) -> Option<Verified> + Sync),
        cluster: bool,
    ) -> (Vec<Verified>, Vec<Guarded>) {
        let mut uf = UnionFind::new(docs.len());
        for &(a, b) in pairs {
            uf.union(a.index(), b.index());
        }
        let mut by_root: HashMap<usize, Vec<(DocId, DocId)>> = HashMap::new();
        for &(a, b) in pairs {
            by_root.entry(uf.find(a.index())).or_default().push((a, b));
        }
        let mut components: Vec<Vec<(DocId, DocId)>> = by_root.into_values().collect();
        components.sort_unstable_by_key(|c| c[0]);
        let results: Vec<(Vec<Verified>, Vec<Guarded>)> = components
            .par_iter()
            .map_init(Scratch::default, |scratch, pairs| {
                let mut members: Vec<DocId> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
                members.sort_unstable();
                members.dedup();
                let local = |id: DocId| DocId::new(members.binary_search(&id).unwrap_or(0));
                let mut items = Items::default();
                for &m in &members {
                    items.push(self.prints_of(&docs[m.index()], scratch, true));
                }
                let verified: Vec<Verified> = pairs
                    .iter()
                    .filter_map(|&(a, b)| {
                        let mut v = self.measure(&items, local(a), local(b), common, true);
                        (v.a, v.b) = (a, b);
                        keep(v)
                    })
                    .collect();
                let guarded = if cluster && !verified.is_empty() {
                    let set = |x: DocId| &items.sets[local(x).index()];
                    self.guard_groups(docs, &members, &verified, |x, y| jaccard(set(x), set(y)))
                } else {
                    Vec::new()
                };
                (verified, guarded)
            })
            .collect();
        let mut verified = Vec::new();
        let mut guarded = Vec::new();
        for (v, g) in results {
            verified.extend(v);
            guarded.extend(g);
        }
        verified.sort_unstable_by_key(|v| (v.a, v.b));
        (verified, guarded)
    }

    fn analyzer<'p>(&'p self, boilerplate: &'p HashedSet) -> Analyzer<'p> {
        Analyzer {
            normalizer: &self.normalizer,
            folder: &self.folder,
            shingler: &self.shingler,
            rules: self.config.analysis(),
            repeat_containment: self.config.paragraph().containment_threshold,
            boilerplate,
            boilerplate_coverage: self.config.boilerplate().min_coverage,
        }
    }

    /// Groups of related documents for boilerplate: the connected
    /// components of `edges`, and every other document alone. Returns each
    /// document's group.
    fn related_groups(docs: &[Document], edges: &[(DocId, DocId)]) -> Vec<usize> {
        let mut group_of: Vec<usize> = (0..docs.len()).collect();
        for group in connected_groups(docs.len(), edges) {
            for &id in &group {
                group_of[id.index()] = group[0].index();
            }
        }
        group_of
    }

    /// The character shingles found in at least `min_groups` groups of
    /// related documents, counted on each paragraph alone (so a short
    /// paragraph such as 「同志们：」 is one shingle of its own).
    fn boilerplate_shingles(
        &self,
        docs: &[Document],
        edges: &[(DocId, DocId)],
        paragraph_sets: Option<&ParagraphSets>,
    ) -> HashedSet {
        let group_of = Self::related_groups(docs, edges);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); docs.len()];
        for (i, &g) in group_of.iter().enumerate() {
            members[g].push(i);
        }
        let none = HashedSet::default();
        let analyzer = self.analyzer(&none);
        let mut all: Vec<u64> = members
            .par_iter()
            .filter(|m| !m.is_empty())
            .flat_map_iter(|m| {
                let mut union = Vec::new();
                for &i in m {
                    match paragraph_sets {
                        Some(sets) => sets.of(i).iter().for_each(|s| union.extend(s)),
                        None => analyzer.paragraph_shingles_into(&docs[i], &mut union),
                    }
                }
                union.sort_unstable();
                union.dedup();
                union
            })
            .collect();
        all.par_sort_unstable();
        shingles_in_groups(&all, self.config.boilerplate().min_groups)
            .into_iter()
            .collect()
    }

    /// The boilerplate phrases and sentences of every document, and for
    /// each document which of its paragraphs are boilerplate.
    fn boilerplate_report(
        &self,
        docs: &[Document],
        edges: &[(DocId, DocId)],
        boilerplate: &HashedSet,
        paragraph_sets: Option<&ParagraphSets>,
    ) -> (Boilerplate, Vec<Vec<bool>>) {
        let rules = *self.config.boilerplate();
        let group_of = Self::related_groups(docs, edges);
        let analyzer = self.analyzer(boilerplate);
        let per_doc: Vec<(Vec<BoilerplateSentence>, Vec<String>, Vec<bool>)> = docs
            .par_iter()
            .enumerate()
            .map(|(i, doc)| {
                // A document without one boilerplate shingle has nothing to
                // report: skip building its view.
                let untouched = paragraph_sets.is_some_and(|sets| {
                    sets.of(i)
                        .iter()
                        .all(|set| !set.iter().any(|h| boilerplate.contains(h)))
                });
                if untouched {
                    return (Vec::new(), Vec::new(), vec![false; doc.paragraphs().len()]);
                }
                let view = analyzer.coverage_view(doc);
                let mut found = Vec::new();
                let mut phrases = Vec::new();
                let mut flags = Vec::new();
                for (j, p) in view.paragraphs.iter().enumerate() {
                    let covered = analyzer.covered(p);
                    let whole = covered_share(p.chars(), &covered, 0..p.chars().len());
                    flags.push(whole >= rules.min_paragraph_coverage);
                    phrases.extend(boilerplate_phrases(
                        p.chars(),
                        &covered,
                        rules.min_phrase_chars,
                    ));
                    for sentence in sentences(p.chars()) {
                        let share = covered_share(p.chars(), &covered, sentence.clone());
                        if share >= rules.min_coverage {
                            let (range, text) = view.span(j, &sentence);
                            found.push(BoilerplateSentence {
                                document: doc.id().to_string(),
                                paragraph: j,
                                range,
                                text,
                                coverage: share,
                            });
                        }
                    }
                }
                phrases.sort();
                phrases.dedup();
                (found, phrases, flags)
            })
            .collect();
        let mut counts: HashMap<&str, (usize, Vec<usize>)> = HashMap::new();
        for (i, (_, phrases, _)) in per_doc.iter().enumerate() {
            for phrase in phrases {
                let entry = counts.entry(phrase.as_str()).or_default();
                entry.0 += 1;
                entry.1.push(group_of[i]);
            }
        }
        let mut phrases: Vec<BoilerplatePhrase> = counts
            .into_iter()
            .map(|(text, (documents, mut groups))| {
                groups.sort_unstable();
                groups.dedup();
                BoilerplatePhrase {
                    text: text.to_string(),
                    documents,
                    groups: groups.len(),
                }
            })
            .collect();
        phrases.sort_by(|x, y| {
            (y.groups, y.documents, &x.text).cmp(&(x.groups, x.documents, &y.text))
        });
        let mut sentences = Vec::new();
        let mut flags = Vec::with_capacity(docs.len());
        for (found, _, doc_flags) in per_doc {
            sentences.extend(found);
            flags.push(doc_flags);
        }
        sentences.sort_by(|x, y| (&x.document, x.range).cmp(&(&y.document, y.range)));
        (
            Boilerplate {
                phrases,
                sentences,
                shingles: boilerplate.len(),
            },
            flags,
        )
    }

    /// Fills in each cluster's analysis, clusters in parallel.
    fn analyse_clusters(
        &self,
        docs: &[Document],
        clusters: &mut [Cluster],
        boilerplate: &HashedSet,
        progress: &dyn Progress,
    ) {
        let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id(), d)).collect();
        let analyzer = self.analyzer(boilerplate);
        clusters.par_iter_mut().for_each(|cluster| {
            let views: Vec<_> = cluster
                .members
                .iter()
                .map(|m| analyzer.view(by_id[m.as_str()]))
                .collect();
            cluster.analysis = Some(analyzer.analyse(&views));
            progress.advance(1);
        });
    }

    /// Explains how `b` compares with `a`: the figures the pipeline decides
    /// on (Jaccard, the fingerprint's estimate, containment both ways) and
    /// the paragraph alignment with its character diff, with the kind of
    /// copy `b` is of `a` and the redaction-aware Jaccard.
    ///
    /// Boilerplate is a property of a corpus, so a pair explained alone has
    /// none: paragraphs only one side has count as edits or repeats.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) for a text of
    /// 4 GiB or more.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, CopyKind, Deduplicator, Document};
    ///
    /// let original = "2014年，福州市经济总量达到5000亿元，同比增长8.5%，位居全省前列。";
    /// let redacted = "****年，**市经济总量达到****亿元，同比增长x.x%，位居全省前列。";
    /// let dedup = Deduplicator::new(Config::default().with_shingle_len(3))?;
    /// let e = dedup.explain(&Document::new("a", original), &Document::new("b", redacted))?;
    /// assert_eq!(e.figures.kind, Some(CopyKind::Redacted));
    /// assert!(e.figures.redaction_aware_jaccard > e.jaccard);
    /// assert_eq!(e.paragraphs[0].hunks[0].a_text, "2014");
    /// assert_eq!(e.paragraphs[0].hunks[0].b_text, "****");
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn explain(&self, a: &Document, b: &Document) -> Result<Explanation> {
        check_corpus(std::slice::from_ref(a))?;
        check_corpus(std::slice::from_ref(b))?;
        let mut scratch = Scratch::default();
        let mut items = Items::default();
        for doc in [a, b] {
            let prints = self.prints_of(doc, &mut scratch, true);
            items.push(prints);
        }
        let v = self.measure(&items, DocId::new(0), DocId::new(1), None, true);
        let none = HashedSet::default();
        let analyzer = self.analyzer(&none);
        let (va, vb) = (analyzer.view(a), analyzer.view(b));
        let (figures, paragraphs, only_a, only_b) = analyzer.explain(&va, &vb);
        Ok(Explanation {
            a: a.id().to_string(),
            b: b.id().to_string(),
            jaccard: v.overlap.jaccard(),
            estimated_jaccard: v.estimate,
            containment_a_in_b: v.overlap.containment_a_in_b(),
            containment_b_in_a: v.overlap.containment_b_in_a(),
            figures,
            paragraphs,
            only_a,
            only_b,
        })
    }

    fn paragraph_matches(
        &self,
        docs: &[Document],
        items: &Items,
        owner: &[(DocId, usize, usize)],
        boilerplate: &[Vec<bool>],
        stats: &mut Stats,
    ) -> Vec<ParagraphMatch> {
        let rules = *self.config.paragraph();
        let clock = Instant::now();
        // Boilerplate paragraphs are reported as such, not as copies.
        let is_boilerplate = |i: usize| {
            let (doc, paragraph, _) = owner[i];
            boilerplate
                .get(doc.index())
                .is_some_and(|flags| flags[paragraph])
        };
        let active = ids(&items.sets, |i, set| {
            !set.is_empty() && owner[i].2 >= rules.min_chars && !is_boilerplate(i)
        });
        let mut candidates = self.candidates(items, &active, rules.jaccard_threshold, stats, true);
        if let Candidates::Pairs(pairs) = &mut candidates {
            // Every pair is compared already for the exact method.
            let long = ids(&items.sets, |i, set| {
                !set.is_empty() && owner[i].2 >= rules.containment_min_chars && !is_boilerplate(i)
            });
            pairs.extend(anchor_pairs(
                rules.anchors,
                long.iter()
                    .map(|&id| (id, items.sets[id.index()].as_slice())),
            ));
            pairs.par_sort_unstable();
            pairs.dedup();
        }
        stats.paragraph_candidate_pairs = candidates.len(active.len());
        stats.timings_ms.candidates += millis(clock);

        let clock = Instant::now();
        // Paragraph matches report no estimate: compute it only to decide.
        let with_estimate = self.config.verification() == Verification::Estimate;
        let mut matches: Vec<ParagraphMatch> =
            self.verify(items, &active, &candidates, None, with_estimate, |v| {
                let (cx, cy) = (owner[v.a.index()].2, owner[v.b.index()].2);
                let similar =
                    cx.min(cy) >= rules.min_chars && self.decisive(&v) >= rules.jaccard_threshold;
                let o = v.overlap;
                // The smaller set is the one that can be contained. Ties go
                // by length, then hidden shingles, never by position, so
                // the input order cannot change the answer.
                let (ha, hb) = (items.hidden[v.a.index()], items.hidden[v.b.index()]);
                let (shorter_chars, hidden) = if (o.a_len, cx, ha) <= (o.b_len, cy, hb) {
                    (cx, ha)
                } else {
                    (cy, hb)
                };
                // The longer paragraph's shingles that the shorter one hid
                // behind masks are not text the longer one has extra.
                let visible = (o.a_len.max(o.b_len).saturating_sub(hidden)).max(o.intersection);
                let extra = 1.0 - o.intersection as f64 / visible.max(1) as f64;
                let contained = shorter_chars >= rules.containment_min_chars
                    && o.containment_of_smaller() >= rules.containment_threshold
                    && extra >= rules.containment_extra;
                let kind = if contained {
                    MatchKind::Contained
                } else if similar {
                    MatchKind::Similar
                } else {
                    return None;
                };
                Some(paragraph_match(docs, owner, &v, kind))
            });
        matches.sort_by(|p, q| {
            (&p.a, p.a_paragraph, &p.b, p.b_paragraph).cmp(&(
                &q.a,
                q.a_paragraph,
                &q.b,
                q.b_paragraph,
            ))
        });
        stats.timings_ms.verify += millis(clock);
        matches
    }
}

/// Time spent in each step of fingerprinting, summed over threads.
#[derive(Default)]
struct StepClock {
    normalize: AtomicU64,
    tokenize: AtomicU64,
    shingle: AtomicU64,
    sketch: AtomicU64,
}

impl StepClock {
    fn add(&self, step: &AtomicU64, since: Instant) {
        let nanos = u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX);
        step.fetch_add(nanos, Ordering::Relaxed);
    }

    fn millis(&self, step: &AtomicU64) -> f64 {
        step.load(Ordering::Relaxed) as f64 / 1e6
    }
}

/// The MinHash signature maker the config chose.
#[derive(Debug)]
enum Sketcher {
    OnePermutation(OnePermutationHasher),
    Classic(MinHasher),
}

#[derive(Default)]
struct Scratch {
    normalized: String,
    folded: String,
    sequence: Vec<u64>,
    distinct: Distinct,
}

/// What [`Deduplicator::prints`] makes of a text.
#[derive(Clone, Copy)]
struct Shape {
    /// Compute the method's sketches.
    sketch: bool,
    /// Drop the set once counted, and of the signature keep only the
    /// document-level LSH band keys.
    lean: bool,
    /// Sort the set (else it is distinct but in no order).
    sorted: bool,
}

impl Shape {
    /// Sketches and a sorted set, kept.
    const SORTED: Shape = Shape {
        sketch: true,
        lean: false,
        sorted: true,
    };
}

struct Prints {
    set: Vec<u64>,
    /// Distinct shingles (`set.len()` when the set is kept).
    count: usize,
    signature: Vec<u32>,
    /// LSH band keys instead of the signature, in lean mode.
    band_keys: Vec<u64>,
    simhash: u64,
    hidden: usize,
}

struct DocumentPrints {
    document: Prints,
    /// Each paragraph's prints and its length in normalised characters.
    paragraphs: Vec<(Prints, usize)>,
}

/// Fingerprints of one level, indexed by [`DocId`] (a document or a
/// paragraph position). Signatures are one flat array, `num_perm` per item.
#[derive(Default)]
struct Items {
    /// Shingle sets; with [`ShingleSets::Recompute`], empty (sets are made
    /// again per candidate component).
    sets: Vec<Vec<u64>>,
    /// Distinct shingles of each item (known even when its set is not kept).
    counts: Vec<usize>,
    /// Signatures, `num_perm` per item (none in lean mode).
    signatures: Vec<u32>,
    /// LSH band keys, `bands` per item, when signatures are not kept.
    band_keys: Vec<u64>,
    simhashes: Vec<u64>,
    /// Shingles of each item that touched a mask (character shingles only).
    hidden: Vec<usize>,
}

impl Items {
    /// Room for `n` items like `sample`'s.
    fn with_capacity<'p>(n: usize, sample: impl Iterator<Item = &'p Prints>) -> Items {
        let (mut signatures, mut band_keys) = (0, 0);
        for p in sample {
            signatures += p.signature.len();
            band_keys += p.band_keys.len();
        }
        Items {
            sets: Vec::with_capacity(n),
            counts: Vec::with_capacity(n),
            signatures: Vec::with_capacity(signatures),
            band_keys: Vec::with_capacity(band_keys),
            simhashes: Vec::with_capacity(n),
            hidden: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, prints: Prints) {
        self.hidden.push(prints.hidden);
        self.counts.push(prints.count);
        self.sets.push(prints.set);
        self.signatures.extend_from_slice(&prints.signature);
        self.band_keys.extend_from_slice(&prints.band_keys);
        self.simhashes.push(prints.simhash);
    }

    /// The signature of item `id`, if one is kept.
    fn signature(&self, id: DocId, num_perm: usize) -> Option<&[u32]> {
        self.signatures
            .get(id.index() * num_perm..(id.index() + 1) * num_perm)
    }
}

/// Each document's paragraph shingle sets, from the fingerprint pass.
struct ParagraphSets<'a> {
    sets: &'a [Vec<u64>],
    /// Document `i`'s paragraphs are `sets[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
}

impl<'a> ParagraphSets<'a> {
    /// `sets` holds every paragraph of `docs`, in document order.
    fn new(docs: &[Document], sets: &'a [Vec<u64>]) -> ParagraphSets<'a> {
        let mut starts = Vec::with_capacity(docs.len() + 1);
        starts.push(0);
        for doc in docs {
            starts.push(starts[starts.len() - 1] + doc.paragraphs().len());
        }
        ParagraphSets { sets, starts }
    }

    fn of(&self, doc: usize) -> &'a [Vec<u64>] {
        &self.sets[self.starts[doc]..self.starts[doc + 1]]
    }
}

/// One connected group after the chaining guard: the groups it became and
/// the members it lost.
type Guarded = (Vec<GuardedGroup>, Vec<SplitMember>);

/// Shingles that are no evidence of copying, and when a pair is compared
/// without them.
struct Common<'a> {
    shingles: &'a HashedSet,
    max_pair_share: f64,
}

/// What candidate search hands to verification.
enum Candidates {
    /// These pairs, sorted, each once.
    Pairs(Vec<(DocId, DocId)>),
    /// Every pair of active items.
    AllPairs,
}

impl Candidates {
    fn len(&self, active: usize) -> usize {
        match self {
            Candidates::Pairs(pairs) => pairs.len(),
            Candidates::AllPairs => active * active.saturating_sub(1) / 2,
        }
    }
}

struct Verified {
    a: DocId,
    b: DocId,
    overlap: Overlap,
    estimate: Option<f64>,
}

/// Flattens per-document prints into the document items and the paragraph
/// items (none when paragraphs were not fingerprinted), with each
/// paragraph's owner, index and length in normalised characters.
fn split_levels(prints: Vec<DocumentPrints>) -> (Items, Items, Vec<(DocId, usize, usize)>) {
    // Reserve exactly: at a million documents, the slack of vectors grown
    // by doubling is a sizeable share of the memory a run needs.
    let paragraphs: usize = prints.iter().map(|p| p.paragraphs.len()).sum();
    let mut docs = Items::with_capacity(prints.len(), prints.iter().map(|p| &p.document));
    let mut paras = Items::with_capacity(
        paragraphs,
        prints
            .iter()
            .flat_map(|p| p.paragraphs.iter().map(|(para, _)| para)),
    );
    let mut owner = Vec::with_capacity(paragraphs);
    for (i, p) in prints.into_iter().enumerate() {
        docs.push(p.document);
        for (j, (para, chars)) in p.paragraphs.into_iter().enumerate() {
            paras.push(para);
            owner.push((DocId::new(i), j, chars));
        }
    }
    (docs, paras, owner)
}

fn ids(sets: &[Vec<u64>], keep: impl Fn(usize, &[u64]) -> bool) -> Vec<DocId> {
    (0..sets.len())
        .filter(|&i| keep(i, &sets[i]))
        .map(DocId::new)
        .collect()
}

/// Sorts the sets of the documents in `pairs` (made unsorted by
/// [`Distinct`]), in parallel; the others are never compared. Sets that are
/// not kept (lean mode) are empty and stay so.
fn sort_candidate_sets(sets: &mut [Vec<u64>], pairs: &[(DocId, DocId)]) {
    let mut candidate = vec![false; sets.len()];
    for &(a, b) in pairs {
        candidate[a.index()] = true;
        candidate[b.index()] = true;
    }
    sets.par_iter_mut()
        .zip(candidate)
        .filter(|(_, candidate)| *candidate)
        .for_each(|(set, _)| set.sort_unstable());
}

fn check_corpus(docs: &[Document]) -> Result<()> {
    if docs.is_empty() {
        return Err(Error::no_documents(None));
    }
    if docs.len() > u32::MAX as usize {
        return Err(Error::too_large(
            None,
            format!("{} documents, more than u32::MAX", docs.len()),
        ));
    }
    let paragraphs: usize = docs.iter().map(|d| d.paragraphs().len()).sum();
    if paragraphs > u32::MAX as usize {
        return Err(Error::too_large(
            None,
            format!("{paragraphs} paragraphs, more than u32::MAX"),
        ));
    }
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        if doc.text().len() > u32::MAX as usize {
            return Err(Error::too_large(
                Some(doc.id()),
                format!("{} bytes, 4 GiB or more", doc.text().len()),
            ));
        }
        if let Some(first) = seen.insert(doc.id(), i) {
            return Err(Error::duplicate_id(doc.id(), first, i));
        }
    }
    Ok(())
}

fn duplicate_pair(docs: &[Document], v: &Verified) -> DuplicatePair {
    let (ida, idb) = (docs[v.a.index()].id(), docs[v.b.index()].id());
    let (a, b, a_in_b, b_in_a) = if ida <= idb {
        (
            ida,
            idb,
            v.overlap.containment_a_in_b(),
            v.overlap.containment_b_in_a(),
        )
    } else {
        (
            idb,
            ida,
            v.overlap.containment_b_in_a(),
            v.overlap.containment_a_in_b(),
        )
    };
    DuplicatePair {
        a: a.to_string(),
        b: b.to_string(),
        jaccard: v.overlap.jaccard(),
        estimated_jaccard: v.estimate,
        containment_a_in_b: a_in_b,
        containment_b_in_a: b_in_a,
    }
}

fn paragraph_match(
    docs: &[Document],
    owner: &[(DocId, usize, usize)],
    v: &Verified,
    kind: MatchKind,
) -> ParagraphMatch {
    let side = |id: DocId| {
        let (doc, paragraph, _) = owner[id.index()];
        let doc = &docs[doc.index()];
        let range = doc.paragraphs()[paragraph].chars();
        (doc.id(), paragraph, [range.start, range.end])
    };
    let (x, y) = (side(v.a), side(v.b));
    let o = v.overlap;
    let (x, y, x_in_y, y_in_x) = if (x.0, x.1) <= (y.0, y.1) {
        (x, y, o.containment_a_in_b(), o.containment_b_in_a())
    } else {
        (y, x, o.containment_b_in_a(), o.containment_a_in_b())
    };
    ParagraphMatch {
        a: x.0.to_string(),
        a_paragraph: x.1,
        a_range: x.2,
        b: y.0.to_string(),
        b_paragraph: y.1,
        b_range: y.2,
        jaccard: o.jaccard(),
        containment: o.containment_of_smaller(),
        containment_a_in_b: x_in_y,
        containment_b_in_a: y_in_x,
        kind,
    }
}

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
