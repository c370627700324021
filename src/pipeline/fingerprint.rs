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
use crate::pipeline::data::{ItemPrints, Owner, ParagraphPrints, Prints};
use crate::prepare::{Preparer, TextScratch};
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

/// The order a kept set is left in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Sorted: the set will be compared.
    Sorted,
    /// As deduplicated; sorted later if the item becomes a candidate.
    Any,
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
    /// The set, in this order, and the method's sketch.
    Set(Order),
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

/// Scratch buffers of one rayon job.
#[derive(Default)]
pub(crate) struct Scratch {
    text: TextScratch,
    sequence: Vec<u64>,
    distinct: Distinct,
}

/// The fingerprints of a corpus, both levels.
#[derive(Debug, Default)]
pub(crate) struct Fingerprints {
    pub(crate) documents: Prints,
    /// Empty unless paragraphs are compared.
    pub(crate) paragraphs: ParagraphPrints,
}

/// Time spent in each step, summed over threads.
#[derive(Debug, Default)]
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

/// One document's prints: its own and, if asked, each paragraph's with its
/// length in normalised characters.
struct DocumentPrints {
    document: ItemPrints,
    paragraphs: Vec<(ItemPrints, usize)>,
}

/// The two levels' choices for one run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shapes {
    /// What each document keeps.
    pub(crate) document: Keep,
    /// Whether paragraphs are fingerprinted (each keeps a sorted set and
    /// its sketch).
    pub(crate) paragraphs: Paragraphs,
}

/// Whether the fingerprint stage makes paragraph items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Paragraphs {
    Fingerprint,
    Skip,
}

impl Fingerprinter<'_> {
    /// Fingerprints every document of `docs` in parallel.
    pub(crate) fn run(
        &self,
        docs: &[Document],
        shapes: Shapes,
        progress: &dyn Progress,
    ) -> (Fingerprints, FingerprintStats) {
        let steps = StepClock::default();
        let prints: Vec<DocumentPrints> = docs
            .par_iter()
            .map_init(Scratch::default, |scratch, doc| {
                let prints = self.document(doc, scratch, shapes, &steps);
                progress.advance(1);
                prints
            })
            .collect();
        (flatten(prints), steps.stats())
    }

    fn document(
        &self,
        doc: &Document,
        scratch: &mut Scratch,
        shapes: Shapes,
        steps: &StepClock,
    ) -> DocumentPrints {
        let clock = Instant::now();
        let Scratch {
            text,
            sequence,
            distinct,
        } = scratch;
        let (folded, ranges) = self.preparer.fold_text(doc, text);
        StepClock::add(&steps.normalize, clock.elapsed());
        let document = self.prints(folded, sequence, distinct, shapes.document, steps);
        let paragraphs = match shapes.paragraphs {
            Paragraphs::Skip => Vec::new(),
            Paragraphs::Fingerprint => ranges
                .into_iter()
                .map(|range| {
                    let part = &folded[range];
                    let keep = Keep::Set(Order::Sorted);
                    let prints = self.prints(part, sequence, distinct, keep, steps);
                    (prints, part.chars().count())
                })
                .collect(),
        };
        DocumentPrints {
            document,
            paragraphs,
        }
    }

    /// The document-level prints of `doc` alone, set sorted, with its
    /// sketch: what verification compares when sets were not kept, and
    /// what `explain` compares.
    pub(crate) fn sorted_prints(&self, doc: &Document, scratch: &mut Scratch) -> ItemPrints {
        let Scratch {
            text,
            sequence,
            distinct,
        } = scratch;
        let (folded, _) = self.preparer.fold_text(doc, text);
        let keep = Keep::Set(Order::Sorted);
        self.prints(folded, sequence, distinct, keep, &StepClock::default())
    }

    /// Shingles `text` into a set and computes what `keep` asks for.
    fn prints(
        &self,
        text: &str,
        sequence: &mut Vec<u64>,
        distinct: &mut Distinct,
        keep: Keep,
        steps: &StepClock,
    ) -> ItemPrints {
        let clock = Instant::now();
        sequence.clear();
        let shingled = self.preparer.shingles_into(text, sequence);
        StepClock::add(&steps.tokenize, shingled.segmenting);
        let method = match keep {
            Keep::Count => Method::Exact,
            Keep::BandKeys | Keep::Set(_) => self.config.method(),
        };
        // Repeats are the weights: count them before they go.
        let weighted = (method == Method::SimHash && self.config.weighted_simhash())
            .then(|| SimHasher.simhash(sequence).0);
        let is_sorted = distinct.dedup(sequence);
        if keep == Keep::Set(Order::Sorted) && !is_sorted {
            sequence.sort_unstable();
        }
        let mut prints = ItemPrints {
            count: sequence.len(),
            hidden: shingled.hidden,
            ..ItemPrints::default()
        };
        if let Keep::Set(_) = keep {
            prints.set = sequence.clone();
        }
        StepClock::add(&steps.shingle, clock.elapsed());
        let clock = Instant::now();
        prints.simhash = match (method, weighted) {
            (_, Some(weighted)) => weighted,
            (Method::SimHash, None) => SimHasher.simhash(sequence).0,
            _ => 0,
        };
        self.sketch(sequence, keep, &mut prints);
        StepClock::add(&steps.sketch, clock.elapsed());
        prints
    }

    /// The MinHash signature of `set`, kept whole or as band keys as `keep`
    /// says.
    fn sketch(&self, set: &[u64], keep: Keep, prints: &mut ItemPrints) {
        let Some(sketcher) = self.sketcher.filter(|_| keep != Keep::Count) else {
            return;
        };
        let mut signature = vec![0; self.config.num_perm()];
        sketcher.signature_into(set, &mut signature);
        if keep == Keep::BandKeys {
            self.document_lsh
                .band_keys_into(self.config.seed(), &signature, &mut prints.band_keys);
        } else {
            prints.signature = signature;
        }
    }
}

/// Per-document prints into the document items and the paragraph items
/// (none when paragraphs were not fingerprinted), with each paragraph's
/// owner.
fn flatten(prints: Vec<DocumentPrints>) -> Fingerprints {
    let paragraphs: usize = prints.iter().map(|p| p.paragraphs.len()).sum();
    let mut documents = Prints::with_capacity(prints.len(), prints.iter().map(|p| &p.document));
    let mut paras = ParagraphPrints {
        prints: Prints::with_capacity(
            paragraphs,
            prints
                .iter()
                .flat_map(|p| p.paragraphs.iter().map(|(para, _)| para)),
        ),
        owners: Vec::with_capacity(paragraphs),
        starts: Vec::with_capacity(prints.len() + 1),
    };
    paras.starts.push(0);
    for (i, p) in prints.into_iter().enumerate() {
        documents.push(p.document);
        for (j, (para, chars)) in p.paragraphs.into_iter().enumerate() {
            paras.prints.push(para);
            paras.owners.push(Owner {
                document: crate::corpus::DocId::new(i),
                paragraph: j,
                chars,
            });
        }
        paras.starts.push(paras.owners.len());
    }
    Fingerprints {
        documents,
        paragraphs: paras,
    }
}
