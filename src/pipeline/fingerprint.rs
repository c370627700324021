//! The fingerprint stage: every document and, at paragraph level, every
//! paragraph, from text to [`Prints`].
//!
//! Each document is normalised and folded once, paragraph by paragraph,
//! without origins ([`Preparer::fold_text`]); the document's shingles are
//! taken from the whole folded text and each paragraph's from its share of
//! it. Documents run in parallel, each rayon job with its own scratch
//! buffers; the per-document results are flattened in input order.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, Method};
use crate::corpus::Document;
use crate::distinct::Distinct;
use crate::fingerprint::{MinHasher, OnePermutationHasher, SimHasher};
use crate::lsh::LshParams;
use crate::pipeline::copies::{resolve, text_key, SeenTexts};
use crate::pipeline::data::{Item, ItemPrints, Owner, ParagraphPrints, Prints};
use crate::pipeline::early::EarlyCandidates;
use crate::prepare::{Folded, Preparer, TextScratch};
use crate::progress::Progress;

/// The MinHash signature maker the config chose.
#[derive(Debug)]
pub(crate) enum Sketcher {
    OnePermutation(OnePermutationHasher),
    Classic(MinHasher),
}

impl Sketcher {
    fn signature_into(&self, set: &[u64], out: &mut [u32]) {
        match self {
            Sketcher::OnePermutation(h) => h.signature_into(set, out),
            Sketcher::Classic(h) => h.signature_into(set, out),
        }
    }
}

/// What the fingerprint of one text keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keep {
    /// The number of distinct shingles only.
    Count,
    /// The count and the LSH band keys at the document threshold; the set
    /// and the signature are dropped
    /// ([`ShingleSets::Recompute`](crate::ShingleSets::Recompute)).
    BandKeys,
    /// The set, sorted, and the method's sketch.
    Set,
}

/// Makes [`ItemPrints`] from text: the preparer, the sketcher and the LSH
/// bands at the document threshold.
#[derive(Debug)]
pub(crate) struct Fingerprinter<'p> {
    pub(crate) config: &'p Config,
    pub(crate) preparer: &'p Preparer,
    pub(crate) sketcher: Option<&'p Sketcher>,
    pub(crate) document_lsh: LshParams,
}

/// Scratch buffers of one rayon job, and the time its steps took.
#[derive(Default)]
pub(crate) struct Scratch {
    text: TextScratch,
    hashing: Hashing,
    steps: FingerprintStats,
}

/// The buffers shingling fills: apart from the text's, so that a folded
/// text can be shingled while it is borrowed.
#[derive(Default)]
struct Hashing {
    /// The shingle hashes in text order, repeats and all.
    sequence: Vec<u64>,
    /// The distinct ones, sorted, when the set is wanted.
    set: Vec<u64>,
    distinct: Distinct,
    /// A one-permutation signature made from the sequence as soon as it
    /// is hashed.
    signature: Vec<u32>,
}

/// The fingerprints of a corpus, both levels.
#[derive(Debug, Default)]
pub(crate) struct Fingerprints {
    pub(crate) documents: Prints,
    /// Empty unless paragraphs are compared.
    pub(crate) paragraphs: ParagraphPrints,
    /// Each document's masked places (runs of mask characters, folded).
    pub(crate) masks: Vec<usize>,
}

/// Time spent in each step, summed over threads.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FingerprintStats {
    pub(crate) normalize: Duration,
    pub(crate) tokenize: Duration,
    pub(crate) shingle: Duration,
    pub(crate) sketch: Duration,
}

/// [`FingerprintStats`] as atomics, added to from every thread.
#[derive(Default)]
struct StepClock {
    normalize: AtomicU64,
    tokenize: AtomicU64,
    shingle: AtomicU64,
    sketch: AtomicU64,
}

impl StepClock {
    fn add(step: &AtomicU64, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        step.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Adds one job's step times.
    fn add_job(&self, job: &FingerprintStats) {
        StepClock::add(&self.normalize, job.normalize);
        StepClock::add(&self.tokenize, job.tokenize);
        StepClock::add(&self.shingle, job.shingle);
        StepClock::add(&self.sketch, job.sketch);
    }

    fn stats(&self) -> FingerprintStats {
        let read = |step: &AtomicU64| Duration::from_nanos(step.load(Ordering::Relaxed));
        FingerprintStats {
            normalize: read(&self.normalize),
            tokenize: read(&self.tokenize),
            shingle: read(&self.shingle),
            sketch: read(&self.sketch),
        }
    }
}

/// Documents a job reports done to [`Progress`] at a time.
const PROGRESS_EVERY: u64 = 64;

/// Documents one rayon job fingerprints at most. Left to itself, rayon
/// cuts 100,000 documents on two threads into a few jobs of 25,000, which
/// it cannot split once begun: the stage's end waited on one thread's last
/// job for up to 50 ms while the other had nothing to take. Jobs of 256
/// end within a few milliseconds of each other, and each job's fresh
/// scratch costs a few microseconds.
pub(crate) const DOCUMENTS_PER_JOB: usize = 256;

/// A rayon job's scratch in [`Fingerprinter::run`], whose step times go
/// to the run's clock when the job ends (one atomic add per job and step)
/// and whose documents go to the progress in batches. Adding per document
/// put a cache line shared by the threads in every document's path.
struct JobScratch<'r> {
    scratch: Scratch,
    clock: &'r StepClock,
    progress: &'r dyn Progress,
    /// Documents done and not yet reported.
    done: u64,
}

impl JobScratch<'_> {
    fn document_done(&mut self) {
        self.done += 1;
        if self.done == PROGRESS_EVERY {
            self.progress.advance(self.done);
            self.done = 0;
        }
    }
}

impl Drop for JobScratch<'_> {
    fn drop(&mut self) {
        self.clock.add_job(&self.scratch.steps);
        if self.done > 0 {
            self.progress.advance(self.done);
        }
    }
}

/// One document's prints: its own and, if asked, each paragraph's with its
/// length in normalised characters.
struct DocumentPrints {
    document: Fresh,
    paragraphs: Vec<(Fresh, usize)>,
    masks: usize,
}

/// The prints of one text, if it was the first time the text was seen, and
/// the text's content hash.
struct Fresh {
    prints: Option<ItemPrints>,
    key: u128,
}

/// The texts seen by the fingerprint stage, by level, and the band keys.
#[derive(Default)]
struct Seen {
    /// Band keys recorded, when early candidates keep their sets.
    early: Option<EarlyCandidates>,
    documents: SeenTexts,
    paragraphs: SeenTexts,
}

/// The two levels' choices for one run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shapes {
    /// What each document keeps.
    pub(crate) document: Keep,
    /// Whether paragraphs are fingerprinted (each keeps a sorted set and
    /// its sketch).
    pub(crate) paragraphs: Paragraphs,
    /// Whether documents that keep band keys keep their sets when they are
    /// early candidates ([`early`](super::early)).
    pub(crate) early_sets: EarlySets,
}

/// Whether the fingerprint stage keeps early candidates' sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EarlySets {
    /// Kept: verification will compare them.
    Keep,
    /// Dropped: the band keys are all that is wanted (a streamed chunk,
    /// the stage keys).
    Drop,
}

/// Whether the fingerprint stage makes paragraph items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paragraphs {
    Fingerprint,
    Skip,
}

impl Fingerprinter<'_> {
    /// Fingerprints every document of `docs` in parallel, each text once
    /// ([`copies`](super::copies)).
    pub(crate) fn run(
        &self,
        docs: &[Document],
        shapes: Shapes,
        progress: &dyn Progress,
    ) -> (Fingerprints, FingerprintStats) {
        let steps = StepClock::default();
        let seen = Seen {
            early: (shapes.early_sets == EarlySets::Keep)
                .then(|| EarlyCandidates::new(docs.len() * self.document_lsh.bands)),
            ..Seen::default()
        };
        let prints: Vec<DocumentPrints> = docs
            .par_iter()
            .with_max_len(DOCUMENTS_PER_JOB)
            .map_init(
                || JobScratch {
                    scratch: Scratch::default(),
                    clock: &steps,
                    progress,
                    done: 0,
                },
                |job, doc| {
                    let prints = self.document(doc, &mut job.scratch, shapes, &seen);
                    job.document_done();
                    prints
                },
            )
            .collect();
        (flatten(prints, docs), steps.stats())
    }

    fn document(
        &self,
        doc: &Document,
        scratch: &mut Scratch,
        shapes: Shapes,
        seen: &Seen,
    ) -> DocumentPrints {
        let clock = Instant::now();
        let Scratch {
            text,
            hashing,
            steps,
        } = scratch;
        let folded = self.preparer.fold_text(doc, text);
        steps.normalize += clock.elapsed();
        let whole = folded.whole();
        let key = text_key(whole.text);
        let document = seen.documents.first(key).then(|| {
            let early = seen.early.as_ref();
            self.prints(whole, hashing, shapes.document, (steps, early))
        });
        let paragraphs = match shapes.paragraphs {
            Paragraphs::Skip => Vec::new(),
            Paragraphs::Fingerprint => folded
                .parts()
                .map(|part| {
                    let key = text_key(part.text);
                    let keep = Keep::Set;
                    let prints = seen
                        .paragraphs
                        .first(key)
                        .then(|| self.prints(part, hashing, keep, (steps, None)));
                    (Fresh { prints, key }, part.codes.len())
                })
                .collect(),
        };
        let masks = folded.masks;
        DocumentPrints {
            document: Fresh {
                prints: document,
                key,
            },
            paragraphs,
            masks,
        }
    }

    /// The document-level prints of `doc` alone, set sorted, with its
    /// sketch: what verification compares when sets were not kept, and
    /// what `explain` compares.
    pub(crate) fn sorted_prints(&self, doc: &Document, scratch: &mut Scratch) -> ItemPrints {
        let Scratch {
            text,
            hashing,
            steps,
        } = scratch;
        let folded = self.preparer.fold_text(doc, text);
        let keep = Keep::Set;
        self.prints(folded.whole(), hashing, keep, (steps, None))
    }

    /// The document-level prints of a kept `set` (sorted, distinct) of a
    /// text with `hidden` masked shingles, but the set itself: its count
    /// and its sketch, as [`sorted_prints`](Self::sorted_prints) makes them
    /// from the text (a minimum over the distinct shingles is the minimum
    /// over them all).
    pub(crate) fn sketch_of_set(&self, set: &[u64], hidden: usize) -> ItemPrints {
        let mut signature = Vec::new();
        if let Some(sketcher) = self.sketcher {
            signature.resize(self.config.num_perm(), 0);
            sketcher.signature_into(set, &mut signature);
        }
        ItemPrints {
            count: set.len(),
            signature,
            hidden,
            ..ItemPrints::default()
        }
    }

    /// The MinHash signature of `doc` into `out` (`num_perm` values): the
    /// pass from bytes to sketch alone, the shingle sequence sketched as it
    /// is (repeats do not change a minimum), without the distinct count
    /// and set the run's prints also make. `out` is left as it is without
    /// a MinHash sketcher.
    pub(crate) fn signature_into(&self, doc: &Document, scratch: &mut Scratch, out: &mut [u32]) {
        let Some(sketcher) = self.sketcher else {
            return;
        };
        let Scratch { text, hashing, .. } = scratch;
        let folded = self.preparer.fold_text(doc, text).whole();
        hashing.sequence.clear();
        self.preparer.shingles_into(folded, &mut hashing.sequence);
        sketcher.signature_into(&hashing.sequence, out);
    }

    /// Shingles `text`, counts its distinct shingles and computes what
    /// `keep` asks for; at document level with `early`, also keeps the set
    /// of an early candidate ([`early`](super::early)).
    fn prints(
        &self,
        text: Folded<'_>,
        hashing: &mut Hashing,
        keep: Keep,
        (steps, early): (&mut FingerprintStats, Option<&EarlyCandidates>),
    ) -> ItemPrints {
        let clock = Instant::now();
        let method = match keep {
            Keep::Count => Method::Exact,
            Keep::BandKeys | Keep::Set => self.config.method(),
        };
        // A one-permutation sketch is made from the sequence, repeats and
        // all, before the set is.
        let one_permutation = match self.sketcher {
            Some(Sketcher::OnePermutation(h)) if keep != Keep::Count => Some(h),
            _ => None,
        };
        let hidden = self.shingle(text, hashing, one_permutation, steps);
        let Hashing {
            sequence,
            set,
            distinct,
            signature,
        } = hashing;
        // Repeats are the weights: count them before they go.
        let weighted = (method == Method::SimHash && self.config.weighted_simhash())
            .then(|| SimHasher.simhash(sequence).0);
        // The set is made first when it is kept or sketched from.
        let mut set_made = keep == Keep::Set
            || (method == Method::SimHash && weighted.is_none())
            || (one_permutation.is_none() && self.sketcher.is_some() && keep != Keep::Count);
        if set_made {
            distinct.sorted_into(sequence, set);
        }
        steps.shingle += clock.elapsed();
        let clock = Instant::now();
        let mut prints = ItemPrints {
            hidden,
            simhash: match (method, weighted) {
                (_, Some(weighted)) => weighted,
                (Method::SimHash, None) => SimHasher.simhash(set).0,
                _ => 0,
            },
            ..ItemPrints::default()
        };
        self.sketch_into(set, signature, (one_permutation, keep), &mut prints);
        steps.sketch += clock.elapsed();
        let clock = Instant::now();
        // An empty text's band keys are everyone's: it is no candidate.
        let early = early.filter(|_| keep == Keep::BandKeys && !sequence.is_empty());
        let early_candidate = early.is_some_and(|e| e.seen_before(&prints.band_keys));
        if early_candidate && !set_made {
            distinct.sorted_into(sequence, set);
            set_made = true;
        }
        prints.count = if set_made {
            set.len()
        } else {
            distinct.count(sequence)
        };
        let kept_early = early_candidate && early.is_some_and(|e| e.room_for(set.len()));
        if keep == Keep::Set || kept_early {
            // A copy, of its own size: the scratch set is as long as the
            // table it was read from.
            prints.set = set.clone();
        }
        steps.shingle += clock.elapsed();
        prints
    }

    /// The MinHash signature of a text, finished from the one-permutation
    /// sketch made from its sequence or made from its `set`, into
    /// `prints` as `keep` says.
    fn sketch_into(
        &self,
        set: &[u64],
        signature: &mut Vec<u32>,
        (one_permutation, keep): (Option<&OnePermutationHasher>, Keep),
        prints: &mut ItemPrints,
    ) {
        match (one_permutation, self.sketcher) {
            (Some(h), _) => h.finish(signature),
            (None, Some(sketcher)) if keep != Keep::Count => {
                signature.resize(self.config.num_perm(), 0);
                sketcher.signature_into(set, signature);
            }
            _ => signature.clear(),
        };
        if !signature.is_empty() {
            self.keep_signature(signature, keep, prints);
        }
    }

    /// Hashes the shingles of `text` into `hashing.sequence`, then adds
    /// them to the one-permutation sketch if given (started here); returns
    /// the shingles a mask hid.
    fn shingle(
        &self,
        text: Folded<'_>,
        hashing: &mut Hashing,
        one_permutation: Option<&OnePermutationHasher>,
        steps: &mut FingerprintStats,
    ) -> usize {
        let Hashing {
            sequence,
            signature,
            ..
        } = hashing;
        if let Some(h) = one_permutation {
            signature.resize(self.config.num_perm(), 0);
            h.start(signature);
        }
        sequence.clear();
        // The hashes first, then the sketch from them: two tight loops
        // beat one that does both per window.
        let shingled = self.preparer.shingles_into(text, sequence);
        if let Some(h) = one_permutation {
            h.add_all(signature, sequence);
        }
        steps.tokenize += shingled.segmenting;
        shingled.hidden
    }

    /// The MinHash signature, kept whole or as band keys as `keep` says.
    fn keep_signature(&self, signature: &[u32], keep: Keep, prints: &mut ItemPrints) {
        if keep == Keep::BandKeys {
            self.document_lsh
                .band_keys_into(self.config.seed(), signature, &mut prints.band_keys);
        } else {
            prints.signature = signature.to_vec();
        }
    }
}

/// Per-document prints into the document items and the paragraph items
/// (none when paragraphs were not fingerprinted), with each paragraph's
/// owner, each copy pointing to its original.
fn flatten(prints: Vec<DocumentPrints>, docs: &[Document]) -> Fingerprints {
    let masks = prints.par_iter().map(|p| p.masks).collect();
    let (documents, by_document): (Vec<Fresh>, Vec<Vec<(Fresh, usize)>>) = prints
        .into_par_iter()
        .map(|p| (p.document, p.paragraphs))
        .unzip();
    let paragraphs: usize = by_document.iter().map(Vec::len).sum();
    let mut paras = Vec::with_capacity(paragraphs);
    let mut owners = Vec::with_capacity(paragraphs);
    let mut starts = Vec::with_capacity(by_document.len() + 1);
    starts.push(0);
    for (i, list) in by_document.into_iter().enumerate() {
        for (j, (para, chars)) in list.into_iter().enumerate() {
            paras.push(para);
            owners.push(Owner {
                document: crate::corpus::DocId::new(i),
                paragraph: j,
                chars,
            });
        }
        starts.push(owners.len());
    }
    let id = |i: usize| docs[i].id();
    let documents = Level::of(documents).resolve(|x, y| id(x).cmp(id(y)));
    let by_place = |o: &Owner| (id(o.document.index()), o.paragraph);
    let paragraphs =
        Level::of(paras).resolve(|x, y| by_place(&owners[x]).cmp(&by_place(&owners[y])));
    Fingerprints {
        documents,
        paragraphs: ParagraphPrints {
            prints: paragraphs,
            owners,
            starts,
        },
        masks,
    }
}

/// One level's prints as they are flattened: each item's, a copy's
/// zeroed, and the content hashes.
struct Level {
    prints: Prints,
    keys: Vec<u128>,
    fresh: Vec<bool>,
    lens: (usize, usize),
}

impl Level {
    /// The level of `items`, copies included, each column filled in
    /// parallel. Done one item at a time, this was a serial 30 to 60 ms of
    /// the 100,000-document run: each item's small vectors freed, and the
    /// columns' fresh pages faulted in, by one thread.
    fn of(items: Vec<Fresh>) -> Level {
        let fresh_prints = items.iter().filter_map(|f| f.prints.as_ref());
        let lens = fresh_prints
            .map(|p| (p.signature.len(), p.band_keys.len()))
            .next()
            .unwrap_or((0, 0));
        let column = |value: fn(&ItemPrints) -> usize| -> Vec<usize> {
            let of = |f: &Fresh| f.prints.as_ref().map_or(0, value);
            items.par_iter().map(of).collect()
        };
        let counts = column(|p| p.count);
        let hidden = column(|p| p.hidden);
        let simhashes = items
            .par_iter()
            .map(|f| f.prints.as_ref().map_or(0, |p| p.simhash))
            .collect();
        let signatures = laid_end_to_end(&items, lens.0, |p| &p.signature);
        let band_keys = laid_end_to_end(&items, lens.1, |p| &p.band_keys);
        let keys = items.par_iter().map(|f| f.key).collect();
        let fresh = items.par_iter().map(|f| f.prints.is_some()).collect();
        let original = (0..items.len()).into_par_iter().map(Item::new).collect();
        let sets = items
            .into_par_iter()
            .map(|f| f.prints.map(|p| p.set).unwrap_or_default())
            .collect();
        let prints = Prints {
            counts,
            hidden,
            sets,
            band_keys,
            signatures,
            simhashes,
            original,
        };
        Level {
            prints,
            keys,
            fresh,
            lens,
        }
    }

    fn resolve(mut self, before: impl Fn(usize, usize) -> std::cmp::Ordering + Sync) -> Prints {
        resolve(&mut self.prints, &self.keys, &self.fresh, self.lens, before);
        self.prints
    }
}

/// Every item's `values`, `len` of them (all a level's items have as many),
/// one item after another; zeros for a copy, whose prints are its
/// original's.
fn laid_end_to_end<T: Copy + Default + Send + Sync>(
    items: &[Fresh],
    len: usize,
    values: impl Fn(&ItemPrints) -> &[T] + Sync,
) -> Vec<T> {
    let mut out = vec![T::default(); items.len() * len];
    if len > 0 {
        out.par_chunks_mut(len)
            .zip(items)
            .for_each(|(chunk, item)| {
                if let Some(p) = &item.prints {
                    chunk.copy_from_slice(values(p));
                }
            });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Deduplicator;
    use crate::redact::MASK;

    fn docs() -> Vec<Document> {
        vec![
            Document::new(
                "a",
                "推进县域经济高质量发展。\n　　2014年以来，全市经济运行稳中有进。",
            ),
            Document::new("b", "今年以来，**市上下认真贯彻落实各项决策部署。"),
            Document::new("c", ""),
        ]
    }

    fn fingerprints(config: Config, shapes: Shapes) -> Fingerprints {
        let dedup = Deduplicator::new(config).unwrap();
        dedup.fingerprinter().run(&docs(), shapes, &()).0
    }

    #[test]
    fn every_document_is_reported_done_and_timed() {
        #[derive(Default)]
        struct Count(AtomicU64);
        impl Progress for Count {
            fn advance(&self, done: u64) {
                self.0.fetch_add(done, Ordering::Relaxed);
            }
        }
        // More documents than a batch of progress, in many rayon jobs.
        let docs: Vec<Document> = (0..1000)
            .map(|i| {
                Document::new(
                    i.to_string(),
                    format!("第{i}号文件，推进县域经济高质量发展。"),
                )
            })
            .collect();
        let dedup = Deduplicator::new(Config::clusters_only()).unwrap();
        let count = Count::default();
        let shapes = Shapes {
            document: Keep::BandKeys,
            paragraphs: Paragraphs::Skip,
            early_sets: EarlySets::Keep,
        };
        let (prints, stats) = dedup.fingerprinter().run(&docs, shapes, &count);
        assert_eq!(count.0.into_inner(), 1000);
        assert_eq!(prints.documents.len(), 1000);
        assert!(stats.normalize > Duration::ZERO && stats.shingle > Duration::ZERO);
    }

    #[test]
    fn band_keys_replace_the_set_and_the_signature() {
        let config = Config::default();
        let bands = config.lsh_for(config.jaccard_threshold()).bands;
        let shapes = Shapes {
            document: Keep::BandKeys,
            paragraphs: Paragraphs::Skip,
            early_sets: EarlySets::Drop,
        };
        let f = fingerprints(config, shapes);
        let d = &f.documents;
        assert_eq!(d.len(), 3);
        assert!(d.sets.iter().all(Vec::is_empty));
        assert!(d.signatures.is_empty());
        assert_eq!(d.band_keys.len(), 3 * bands);
        assert!(d.counts[0] > 0 && d.counts[1] > 0);
        assert_eq!(d.counts[2], 0, "an empty document has no shingles");
        assert_eq!(f.paragraphs.prints.len(), 0);
    }

    #[test]
    fn an_early_candidate_keeps_the_set_verification_would_make() {
        // Two near copies (not the same text) and a third text: one
        // thread, so the second near copy is the one that comes later.
        let text = "推进县域经济高质量发展，全市经济运行稳中有进，各项决策部署落实有力。";
        let docs = vec![
            Document::new("a", text),
            Document::new("b", format!("{text}今年")),
            Document::new("c", "今年以来，市上下认真贯彻落实各项决策部署。"),
        ];
        let dedup = Deduplicator::new(Config::default()).unwrap();
        let shapes = Shapes {
            document: Keep::BandKeys,
            paragraphs: Paragraphs::Skip,
            early_sets: EarlySets::Keep,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let f = pool.install(|| dedup.fingerprinter().run(&docs, shapes, &()).0);
        let d = &f.documents;
        assert!(d.sets[0].is_empty() && d.sets[2].is_empty());
        let made = dedup
            .fingerprinter()
            .sorted_prints(&docs[1], &mut Scratch::default());
        assert_eq!(d.sets[1], made.set);
        assert_eq!(d.counts[1], made.count);
        let sketched = dedup.fingerprinter().sketch_of_set(&d.sets[1], 0);
        assert_eq!(sketched.signature, made.signature);
        // A streamed chunk keeps band keys alone.
        let shapes = Shapes {
            early_sets: EarlySets::Drop,
            ..shapes
        };
        let f = dedup.fingerprinter().run(&docs, shapes, &()).0;
        assert!(f.documents.sets.iter().all(Vec::is_empty));
    }

    #[test]
    fn kept_sets_are_the_shingles_of_the_folded_text() {
        let config = Config::default().with_method(Method::Exact);
        let shapes = Shapes {
            document: Keep::Set,
            paragraphs: Paragraphs::Fingerprint,
            early_sets: EarlySets::Drop,
        };
        let f = fingerprints(config, shapes);
        let shingler = crate::shingle::Shingler::new(5, 42);
        let mut expected = Vec::new();
        let hidden = shingler.masked_char_sequence_into(
            &format!("今年以来,{MASK}市上下认真贯彻落实各项决策部署。"),
            &mut expected,
        );
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(f.documents.sets[1], expected);
        assert_eq!(f.documents.hidden[1], hidden);
        assert!(hidden > 0, "the mask hid shingles");
        // Each paragraph is an item with its owner and length.
        let owners: Vec<(usize, usize, usize)> = f
            .paragraphs
            .owners
            .iter()
            .map(|o| (o.document.index(), o.paragraph, o.chars))
            .collect();
        assert_eq!(owners, [(0, 0, 12), (0, 1, 19), (1, 0, 22)]);
        assert_eq!(f.paragraphs.of(crate::corpus::DocId::new(0)), 0..2);
        assert!(f
            .paragraphs
            .prints
            .sets
            .iter()
            .all(|s| s.windows(2).all(|w| w[0] < w[1])));
    }

    #[test]
    fn counts_alone_keep_nothing_else() {
        let shapes = Shapes {
            document: Keep::Count,
            paragraphs: Paragraphs::Skip,
            early_sets: EarlySets::Drop,
        };
        let f = fingerprints(Config::default(), shapes);
        assert!(f.documents.sets.iter().all(Vec::is_empty));
        assert!(f.documents.band_keys.is_empty() && f.documents.signatures.is_empty());
        assert!(f.documents.counts[0] > 0);
    }

    #[test]
    fn the_pass_to_the_sketch_gives_the_prints_signature() {
        for config in [Config::default(), Config::clusters_only()] {
            let dedup = Deduplicator::new(config).unwrap();
            let signatures = dedup.signatures(&docs()).unwrap();
            for (doc, signature) in docs().iter().zip(&signatures) {
                let prints = dedup
                    .fingerprinter()
                    .sorted_prints(doc, &mut Scratch::default());
                assert_eq!(&prints.signature, signature, "{}", doc.id());
            }
        }
    }

    #[test]
    fn sorted_prints_carry_the_signature() {
        let dedup = Deduplicator::new(Config::default()).unwrap();
        let p = dedup
            .fingerprinter()
            .sorted_prints(&docs()[0], &mut Scratch::default());
        assert_eq!(p.signature.len(), 128);
        assert!(p.set.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(p.count, p.set.len());
    }
}
