//! The pipeline: documents in, [`Report`] out.
//!
//! ```text
//! Document ─ normalise ─ shingle ─┬─ MinHash ─ LSH bands ─────┐
//!   (and each paragraph)          ├─ SimHash ─ Hamming blocks ─┼─ verify ─ cluster ─ Report
//!                                 └─ (exact: every pair) ──────┘
//! ```
//!
//! This is the only module that drives rayon: documents are fingerprinted in
//! parallel (each rayon job with its own scratch buffers), LSH bands and
//! Hamming blocks are built in parallel, and candidates are verified in
//! parallel. Results are sorted before they are used, so the thread count
//! never changes the report.

use std::collections::HashMap;
use std::time::Instant;

use rayon::prelude::*;

use crate::anchor::anchor_pairs;
use crate::cluster::connected_groups;
use crate::config::{Config, Method, Verification};
use crate::corpus::{DocId, Document};
use crate::error::{Error, Result};
use crate::fingerprint::minhash::MinHasher;
use crate::fingerprint::simhash::{jaccard_from_hamming, SimHasher};
use crate::hamming_index::HammingIndex;
use crate::lsh::{BandTable, LshIndex, LshParams};
use crate::normalize::{Normalized, Normalizer};
use crate::report::{
    Cluster, DocumentSummary, DuplicatePair, MatchKind, ParagraphMatch, Report, Stats,
};
use crate::shingle::Shingler;
use crate::tokenize::{TokenKind, Tokenizer};
use crate::verify::{estimated_jaccard, hamming_distance, Overlap};

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
    shingler: Shingler,
    minhasher: Option<MinHasher>,
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
            shingler: Shingler::new(config.shingle_len(), config.seed()),
            minhasher: (config.method() == Method::MinHash)
                .then(|| MinHasher::new(config.num_perm(), config.seed())),
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
    /// [`ErrorKind::DuplicateId`](crate::ErrorKind::DuplicateId) if two
    /// documents share an id;
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) for a text of
    /// 4 GiB or more, or more than `u32::MAX` documents or paragraphs.
    pub fn run(&self, docs: &[Document]) -> Result<Report> {
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
        let prints: Vec<DocumentPrints> = docs
            .par_iter()
            .map_init(Scratch::default, |scratch, doc| {
                self.fingerprint(doc, scratch)
            })
            .collect();
        let (doc_items, para_items, para_owner) = split_levels(prints);
        stats.empty_documents = doc_items.sets.iter().filter(|s| s.is_empty()).count();
        stats.timings_ms.fingerprint = millis(clock);

        let mut clusters = Vec::new();
        let mut pairs = Vec::new();
        if level.documents() {
            let threshold = self.config.jaccard_threshold();
            let clock = Instant::now();
            let active: Vec<DocId> = ids(&doc_items.sets, |_, set| !set.is_empty());
            let candidates = self.candidates(&doc_items, &active, threshold, &mut stats, false);
            stats.candidate_pairs = candidates.len(active.len());
            stats.timings_ms.candidates += millis(clock);

            let clock = Instant::now();
            // Document pairs report the estimate beside exact Jaccard.
            let verified: Vec<Verified> =
                self.verify(&doc_items, &active, &candidates, true, |v| {
                    (self.decisive(&v) >= threshold).then_some(v)
                });
            stats.verified_pairs = verified.len();
            stats.timings_ms.verify += millis(clock);

            let clock = Instant::now();
            clusters = document_clusters(docs, &verified);
            pairs = verified.iter().map(|v| duplicate_pair(docs, v)).collect();
            pairs.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
            stats.timings_ms.cluster += millis(clock);
        }

        let mut paragraph_matches = Vec::new();
        if level.paragraphs() {
            paragraph_matches = self.paragraph_matches(docs, &para_items, &para_owner, &mut stats);
        }

        let mut documents: Vec<DocumentSummary> = docs
            .iter()
            .zip(&doc_items.sets)
            .map(|(d, set)| DocumentSummary {
                id: d.id().to_string(),
                chars: d.char_len(),
                paragraphs: d.paragraphs().len(),
                shingles: set.len(),
            })
            .collect();
        documents.sort_by(|x, y| x.id.cmp(&y.id));
        stats.timings_ms.total = millis(started);
        Ok(Report {
            config: self.config.clone(),
            documents,
            clusters,
            pairs,
            paragraph_matches,
            stats,
        })
    }

    /// Normalises `doc` once (paragraph by paragraph, so each paragraph's
    /// share of the normalised text is known), then shingles and
    /// fingerprints the whole and each paragraph, as far as the configured
    /// levels need: the document's shingle set is always made (the report
    /// counts it, and it tells empty documents apart), its sketches only for
    /// document level, paragraphs only for paragraph level.
    fn fingerprint(&self, doc: &Document, scratch: &mut Scratch) -> DocumentPrints {
        let text = doc.text();
        scratch.normalized.clear();
        let ranges: Vec<_> = doc
            .paragraphs()
            .iter()
            .map(|p| {
                let bytes = p.bytes();
                self.normalizer
                    .append(&text[bytes.clone()], bytes.start, &mut scratch.normalized)
            })
            .collect();
        let normalized = scratch.normalized.text();
        let level = self.config.level();
        let document = self.prints(normalized, &mut scratch.sequence, level.documents());
        let paragraphs = if level.paragraphs() {
            ranges
                .into_iter()
                .map(|range| {
                    let part = &normalized[range];
                    (
                        self.prints(part, &mut scratch.sequence, true),
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

    /// Shingles `text` into a set and, if `sketch`, computes the sketches the
    /// method needs.
    fn prints(&self, text: &str, sequence: &mut Vec<u64>, sketch: bool) -> Prints {
        sequence.clear();
        match &self.tokenizer {
            None => self.shingler.char_sequence_into(text, sequence),
            Some(tokenizer) => {
                let mut tokens = Vec::new();
                tokenizer.tokenize(text, &mut tokens);
                self.shingler.token_sequence_into(&tokens, sequence);
            }
        }
        sequence.sort_unstable();
        let method = if sketch {
            self.config.method()
        } else {
            Method::Exact
        };
        let simhash = (method == Method::SimHash && self.config.weighted_simhash())
            .then(|| SimHasher.simhash(sequence).0);
        sequence.dedup();
        let set = sequence.clone();
        let simhash = match (method, simhash) {
            (_, Some(weighted)) => weighted,
            (Method::SimHash, None) => SimHasher.simhash(&set).0,
            _ => 0,
        };
        let signature = match &self.minhasher {
            Some(minhasher) if sketch => {
                let mut values = vec![0; minhasher.num_perm()];
                minhasher.signature_into(&set, &mut values);
                values
            }
            _ => Vec::new(),
        };
        Prints {
            set,
            signature,
            simhash,
        }
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
        with_estimate: bool,
        keep: impl Fn(Verified) -> Option<T> + Sync,
    ) -> Vec<T> {
        match candidates {
            Candidates::Pairs(pairs) => pairs
                .par_iter()
                .filter_map(|&(a, b)| keep(self.measure(items, a, b, with_estimate)))
                .collect(),
            Candidates::AllPairs => {
                let keep = &keep;
                active
                    .par_iter()
                    .enumerate()
                    .flat_map_iter(|(i, &a)| {
                        active[i + 1..]
                            .iter()
                            .filter_map(move |&b| keep(self.measure(items, a, b, with_estimate)))
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
            .map(|band| BandTable::build(params, band, self.config.seed(), signatures()))
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
    fn measure(&self, items: &Items, a: DocId, b: DocId, with_estimate: bool) -> Verified {
        let overlap = Overlap::of(&items.sets[a.index()], &items.sets[b.index()]);
        let method = if with_estimate {
            self.config.method()
        } else {
            Method::Exact
        };
        let estimate = match method {
            Method::MinHash => {
                let k = self.config.num_perm();
                Some(estimated_jaccard(
                    &items.signatures[a.index() * k..(a.index() + 1) * k],
                    &items.signatures[b.index() * k..(b.index() + 1) * k],
                ))
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

    fn paragraph_matches(
        &self,
        docs: &[Document],
        items: &Items,
        owner: &[(DocId, usize, usize)],
        stats: &mut Stats,
    ) -> Vec<ParagraphMatch> {
        let rules = *self.config.paragraph();
        let clock = Instant::now();
        let active = ids(&items.sets, |i, set| {
            !set.is_empty() && owner[i].2 >= rules.min_chars
        });
        let mut candidates = self.candidates(items, &active, rules.jaccard_threshold, stats, true);
        if let Candidates::Pairs(pairs) = &mut candidates {
            // Every pair is compared already for the exact method.
            let long = ids(&items.sets, |i, set| {
                !set.is_empty() && owner[i].2 >= rules.containment_min_chars
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
            self.verify(items, &active, &candidates, with_estimate, |v| {
                let (cx, cy) = (owner[v.a.index()].2, owner[v.b.index()].2);
                let similar =
                    cx.min(cy) >= rules.min_chars && self.decisive(&v) >= rules.jaccard_threshold;
                let o = v.overlap;
                // The smaller set is the one that can be contained.
                let shorter_chars = if o.a_len <= o.b_len { cx } else { cy };
                let contained = shorter_chars >= rules.containment_min_chars
                    && o.containment_of_smaller() >= rules.containment_threshold;
                let kind = if similar {
                    MatchKind::Similar
                } else if contained {
                    MatchKind::Contained
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

#[derive(Default)]
struct Scratch {
    normalized: Normalized,
    sequence: Vec<u64>,
}

struct Prints {
    set: Vec<u64>,
    signature: Vec<u32>,
    simhash: u64,
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
    sets: Vec<Vec<u64>>,
    signatures: Vec<u32>,
    simhashes: Vec<u64>,
}

impl Items {
    fn push(&mut self, prints: Prints) {
        self.sets.push(prints.set);
        self.signatures.extend_from_slice(&prints.signature);
        self.simhashes.push(prints.simhash);
    }
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
    let mut docs = Items::default();
    let mut paras = Items::default();
    let mut owner = Vec::new();
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

fn check_corpus(docs: &[Document]) -> Result<()> {
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

/// Clusters with members sorted by id and clusters sorted by first member;
/// the representative has the largest sum of Jaccard over its pairs.
fn document_clusters(docs: &[Document], verified: &[Verified]) -> Vec<Cluster> {
    let edges: Vec<(DocId, DocId)> = verified.iter().map(|v| (v.a, v.b)).collect();
    let mut weight = vec![0.0f64; docs.len()];
    for v in verified {
        weight[v.a.index()] += v.overlap.jaccard();
        weight[v.b.index()] += v.overlap.jaccard();
    }
    let mut clusters: Vec<Cluster> = connected_groups(docs.len(), &edges)
        .into_iter()
        .map(|group| {
            let representative = group
                .iter()
                .copied()
                .max_by(|&x, &y| {
                    weight[x.index()]
                        .total_cmp(&weight[y.index()])
                        .then_with(|| docs[y.index()].id().cmp(docs[x.index()].id()))
                })
                .map(|id| docs[id.index()].id().to_string())
                .unwrap_or_default();
            let mut members: Vec<String> = group
                .iter()
                .map(|id| docs[id.index()].id().to_string())
                .collect();
            members.sort();
            Cluster {
                members,
                representative,
            }
        })
        .collect();
    clusters.sort_by(|x, y| x.members[0].cmp(&y.members[0]));
    clusters
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
