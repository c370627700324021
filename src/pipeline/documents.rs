//! The document level, driven: candidates into components, verification
//! (once, or twice around the boilerplate stage, on the same sets), the
//! chaining guard, the report's clusters and pairs, and the views.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::analysis::{Analyzer, LARGEST_ANALYSED, SUMMARY_CLUSTERS};
use crate::boilerplate::{
    Boilerplate, BoilerplateListing, SAMPLE_DOCUMENTS, SUMMARY_DOCUMENTS, SUMMARY_PHRASES,
};
use crate::cluster::ChainSplit;
use crate::corpus::Document;
use crate::extent::Extent;
use crate::pipeline::boilerplate;
use crate::pipeline::candidates::{candidates, CandidateStats};
use crate::pipeline::clusters::{
    guard_component, report_clusters, report_pairs, with_copies, Guarded,
};
use crate::pipeline::components::components;
use crate::pipeline::copies::Copies;
use crate::pipeline::data::{Component, Components, Item, ParagraphPrints, Verified};
use crate::pipeline::fingerprint::{Fingerprints, Scratch};
use crate::pipeline::pairs::Lister;
use crate::pipeline::verification::{
    made_sets, Common, ComponentSets, Estimate, COMPONENTS_PER_JOB,
};
use crate::pipeline::views;
use crate::pipeline::{millis, sorted, Deduplicator};
use crate::prehashed::HashedSet;
use crate::progress::{Progress, Stage};
use crate::report::{Cluster, DuplicatePair, Stats};

/// What the document level found.
#[derive(Default)]
pub(super) struct DocumentResults {
    pub(super) clusters: Vec<Cluster>,
    pub(super) pairs: Vec<DuplicatePair>,
    pub(super) chain_splits: Vec<ChainSplit>,
    pub(super) boilerplate: Boilerplate,
    /// For each document, which of its paragraphs are boilerplate.
    pub(super) boilerplate_paragraphs: Vec<Vec<bool>>,
    /// For each document, the index of its cluster (empty when documents
    /// were not compared).
    pub(super) cluster_of: Vec<Option<u32>>,
    /// The boilerplate shingles (empty when not looked for).
    pub(super) boilerplate_shingles: HashedSet,
}

/// The boilerplate the first verification revealed.
struct KnownBoilerplate {
    /// Each document's group of related documents.
    group_of: Vec<usize>,
    shingles: HashedSet,
    /// How many documents the shingles were learned from (`None`: all).
    learned_from: Option<usize>,
}

/// What one component's verification found: the pairs the report lists
/// ([`pairs`](super::pairs)), how many pairs passed, and the guarded groups.
struct Verdict {
    listed: Vec<Verified>,
    verified: usize,
    guarded: Guarded,
}

/// What document verification found: the listed pairs, how many passed,
/// each component's guarded groups, the boilerplate if it was looked for,
/// and the time of each step.
struct Checked {
    listed: Vec<Verified>,
    verified: usize,
    guarded: Vec<Guarded>,
    boilerplate: Option<KnownBoilerplate>,
    verify_time: Duration,
    boilerplate_time: Duration,
}

impl Checked {
    /// Every component's listed pairs (sorted into one list) and groups.
    fn new(
        components: Vec<Verdict>,
        boilerplate: Option<KnownBoilerplate>,
        verify_time: Duration,
        boilerplate_time: Duration,
    ) -> Checked {
        let verified = components.iter().map(|c| c.verified).sum();
        let (listed, guarded): (Vec<_>, Vec<_>) = components
            .into_iter()
            .map(|c| (c.listed, c.guarded))
            .unzip();
        Checked {
            listed: sorted(listed),
            verified,
            guarded,
            boilerplate,
            verify_time,
            boilerplate_time,
        }
    }
}

impl Deduplicator {
    /// The document level: candidates, verification (twice, with
    /// boilerplate left out the second time), clusters, views.
    pub(super) fn document_level(
        &self,
        docs: &[Document],
        prints: &mut Fingerprints,
        stats: &mut Stats,
        progress: &dyn Progress,
    ) -> DocumentResults {
        let (all, candidate_stats, took) = self.document_components(docs, prints, progress);
        let documents = &prints.documents;
        let copies = Copies::of(documents, |i| documents.counts[i] > 0);
        stats.copies = copies.len();
        stats.candidate_pairs = candidate_stats.pairs;
        stats.lsh = candidate_stats.lsh;
        stats.max_hamming_distance = candidate_stats.max_hamming_distance;
        stats.timings_ms.candidates += millis(took);
        let lister = Lister {
            config: self.config.cluster(),
            copies: &copies,
            counts: &prints.documents.counts,
            identical_estimate: self.verifier(Estimate::Compute).identical_estimate(),
        };
        let checked = if self.config.boilerplate().enabled {
            self.verify_with_boilerplate(docs, prints, (&all, &lister), progress)
        } else {
            self.verify_streaming(docs, prints, (&all, &lister), progress)
        };
        stats.verified_pairs = checked.verified;
        stats.timings_ms.verify += millis(checked.verify_time);
        stats.timings_ms.boilerplate += millis(checked.boilerplate_time);

        let clock = Instant::now();
        progress.start(Stage::Cluster, None);
        let guarded = with_copies(checked.guarded, &copies, docs.len());
        let (mut clusters, chain_splits) = report_clusters(self.config.cluster(), docs, guarded);
        stats.large_clusters = clusters.iter().filter(|(c, _)| c.large).count();
        let mut listed = checked.listed;
        let mut compared = vec![false; docs.len()];
        for &m in &all.members {
            compared[m.index()] = true;
        }
        for original in copies.originals().filter(|o| !compared[o.index()]) {
            lister.alone(original, &mut listed);
        }
        let pairs = report_pairs(docs, &listed);
        stats.timings_ms.cluster += millis(clock.elapsed());

        let clock = Instant::now();
        let known = checked.boilerplate.as_ref();
        let (boilerplate, boilerplate_paragraphs) =
            self.views(docs, prints, &mut clusters, known, progress);
        stats.timings_ms.analysis += millis(clock.elapsed());
        let mut cluster_of = vec![None; docs.len()];
        for (at, (_, members)) in clusters.iter().enumerate() {
            for m in members {
                cluster_of[m.index()] = Some(at as u32);
            }
        }
        DocumentResults {
            cluster_of,
            boilerplate_shingles: checked.boilerplate.map(|k| k.shingles).unwrap_or_default(),
            clusters: clusters.into_iter().map(|(c, _)| c).collect(),
            pairs,
            chain_splits,
            boilerplate,
            boilerplate_paragraphs,
        }
    }

    /// Document candidates, grouped into the components verification
    /// works through, with what candidate search found and its time.
    fn document_components(
        &self,
        docs: &[Document],
        prints: &mut Fingerprints,
        progress: &dyn Progress,
    ) -> (Components, CandidateStats, Duration) {
        let clock = Instant::now();
        progress.start(Stage::Candidates, None);
        let documents = &prints.documents;
        // A copy is compared through its original.
        let active: Vec<Item> = (0..docs.len())
            .filter(|&i| documents.counts[i] > 0 && documents.is_original(i))
            .map(Item::new)
            .collect();
        let threshold = self.config.jaccard_threshold();
        let by_id = |x: Item, y: Item| docs[x.index()].id().cmp(docs[y.index()].id());
        let (candidate_pairs, candidate_stats) =
            candidates(&self.config, documents, (active, &by_id), threshold, None);
        let all = components(docs.len(), &candidate_pairs);
        (all, candidate_stats, clock.elapsed())
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
            let kept = (docs, &prints.documents);
            made_sets(&self.fingerprinter(), kept, members, scratch)
        } else {
            ComponentSets::Kept(&prints.documents)
        }
    }

    /// A component's sets, made or borrowed, and its pairs at the
    /// threshold with every shingle as evidence.
    fn first_verification<'a>(
        &self,
        docs: &[Document],
        prints: &'a Fingerprints,
        component: Component,
        scratch: &mut Scratch,
    ) -> (ComponentSets<'a>, Vec<Verified>) {
        let sets = self.component_sets(docs, prints, component.members, scratch);
        let threshold = self.config.jaccard_threshold();
        let verifier = self.verifier(Estimate::Compute);
        let verified = verifier.verify_component(component, &sets, None, threshold);
        (sets, verified)
    }

    /// Verification without boilerplate: each component's sets are made
    /// (or borrowed), its pairs verified and its groups guarded, then the
    /// sets are dropped.
    fn verify_streaming(
        &self,
        docs: &[Document],
        prints: &Fingerprints,
        (all, lister): (&Components, &Lister),
        progress: &dyn Progress,
    ) -> Checked {
        let clock = Instant::now();
        progress.start(Stage::Verify, None);
        let results: Vec<Verdict> = (0..all.len())
            .into_par_iter()
            .with_max_len(COMPONENTS_PER_JOB)
            .map_init(Scratch::default, |scratch, k| {
                let component = all.get(k);
                let (sets, verified) = self.first_verification(docs, prints, component, scratch);
                self.verdict(docs, (component, &sets), verified, (lister, None))
            })
            .collect();
        Checked::new(results, None, clock.elapsed(), Duration::ZERO)
    }

    /// Verification with boilerplate: every component's sets are held from
    /// the first verification (which tells related documents apart)
    /// through the second (without the boilerplate it revealed) to the
    /// guard, so that no document is prepared twice for verification.
    fn verify_with_boilerplate(
        &self,
        docs: &[Document],
        prints: &Fingerprints,
        (all, lister): (&Components, &Lister),
        progress: &dyn Progress,
    ) -> Checked {
        let clock = Instant::now();
        progress.start(Stage::Verify, None);
        let held: Vec<(ComponentSets, Vec<Verified>)> = (0..all.len())
            .into_par_iter()
            .with_max_len(COMPONENTS_PER_JOB)
            .map_init(Scratch::default, |scratch, k| {
                self.first_verification(docs, prints, all.get(k), scratch)
            })
            .collect();
        let verify_time = clock.elapsed();

        let clock = Instant::now();
        progress.start(Stage::Boilerplate, None);
        let first = held
            .iter()
            .flat_map(|(_, verified)| verified.iter().map(|v| (v.a, v.b)));
        // A copy is related to its original.
        let related = first.chain(lister.copies.star().iter().copied());
        let known = self.find_boilerplate(docs, prints, related);
        // Boilerplate is no evidence of copying: verify again without it.
        // Word shingles hash differently, so only character shingles can
        // leave it out.
        let common = Common {
            shingles: &known.shingles,
            pair_share: self.config.boilerplate().min_pair_share
                ..=self.config.boilerplate().max_pair_share,
        };
        let leave_out = !known.shingles.is_empty() && self.preparer.char_shingles();
        let common = leave_out.then_some(&common);
        let verifier = self.verifier(Estimate::Compute);
        let threshold = self.config.jaccard_threshold();
        let results: Vec<Verdict> = held
            .into_par_iter()
            .enumerate()
            .map(|(k, (sets, first))| {
                let component = all.get(k);
                let verified = match common {
                    Some(_) => verifier.verify_component(component, &sets, common, threshold),
                    None => first,
                };
                self.verdict(docs, (component, &sets), verified, (lister, common))
            })
            .collect();
        Checked::new(results, Some(known), verify_time, clock.elapsed())
    }

    /// A component's groups after the chaining guard and the pairs the
    /// report lists, measured on `sets` (without `common`, if given).
    fn verdict(
        &self,
        docs: &[Document],
        (component, sets): (Component, &ComponentSets),
        verified: Vec<Verified>,
        (lister, common): (&Lister, Option<&Common>),
    ) -> Verdict {
        let guarded = guard_component(self.config.cluster(), docs, component, sets, &verified);
        let verifier = self.verifier(Estimate::Compute);
        let threshold = self.config.jaccard_threshold();
        let listed = lister.component_pairs(component, &verified, &guarded, |wanted| {
            verifier.verify_component(wanted, sets, common, threshold)
        });
        Verdict {
            listed,
            verified: verified.len(),
            guarded,
        }
    }

    /// Groups of related documents from the first verification's pairs,
    /// and the shingles found in enough of them.
    fn find_boilerplate(
        &self,
        docs: &[Document],
        prints: &Fingerprints,
        related: impl Iterator<Item = (Item, Item)>,
    ) -> KnownBoilerplate {
        let group_of = boilerplate::related_groups(docs.len(), related);
        // The fingerprint stage already shingled each paragraph alone, as
        // boilerplate counts them (character shingles only).
        let paragraphs = self.paragraph_sets(prints);
        let sample = self.boilerplate_sample(docs, prints);
        let shingles = boilerplate::boilerplate_set(
            self.config.boilerplate(),
            &self.preparer,
            (docs, sample.as_deref()),
            &group_of,
            paragraphs,
            &prints.documents.original,
        );
        let learned_from = sample.map(|s| s.iter().filter(|&&s| s).count());
        KnownBoilerplate {
            group_of,
            shingles,
            learned_from,
        }
    }

    /// The documents the boilerplate is learned from (`None`: every one),
    /// drawn among the originals (a copy holds nothing its original does
    /// not).
    fn boilerplate_sample(&self, docs: &[Document], prints: &Fingerprints) -> Option<Vec<bool>> {
        let auto = (!self.config.level().paragraphs())
            .then(|| Extent::corpus_bound(docs.len(), SAMPLE_DOCUMENTS));
        let n = self.config.boilerplate().sample.bound(auto)?;
        let documents = &prints.documents;
        let eligible = |i: usize| documents.counts[i] > 0 && documents.is_original(i);
        boilerplate::sample_by_id(docs, eligible, n, self.config.seed())
    }

    /// The fingerprint stage's paragraph sets, if they are the character
    /// shingles of each paragraph alone.
    fn paragraph_sets<'a>(&self, prints: &'a Fingerprints) -> Option<&'a ParagraphPrints> {
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
        known: Option<&KnownBoilerplate>,
        progress: &dyn Progress,
    ) -> (Boilerplate, Vec<Vec<bool>>) {
        let none = HashedSet::default();
        let shingles = known.map_or(&none, |k| &k.shingles);
        let analyzer = Analyzer {
            shingler: self.preparer.shingler(),
            config: self.config.analysis(),
            boilerplate: shingles,
            boilerplate_coverage: self.config.boilerplate().min_coverage,
        };
        let analysis = self.config.analysis().enabled.then_some(&analyzer);
        if analysis.is_none() && known.is_none() {
            return (Boilerplate::default(), Vec::new());
        }
        if analysis.is_some() {
            progress.start(Stage::Analysis, Some(clusters.len() as u64));
        }
        let listing = self.boilerplate_listing();
        // At the document level alone a summary needs only its sample read;
        // paragraph matching needs every document's boilerplate paragraphs.
        let sample = (known.is_some()
            && listing == BoilerplateListing::Summary
            && !self.config.level().paragraphs())
        .then(|| first_by_id(docs, Extent::corpus_bound(docs.len(), SUMMARY_DOCUMENTS)));
        let auto = (!self.config.level().paragraphs())
            .then(|| Extent::corpus_bound(clusters.len(), SUMMARY_CLUSTERS));
        let analysed = self.config.analysis().clusters.bound(auto);
        let uses = views::ViewUses {
            analysis,
            boilerplate: known.map(|_| self.config.boilerplate()),
            only: sample.as_deref(),
            analysed,
            // A bounded analysis leaves out what costs as much as a run.
            largest: analysed.map(|_| LARGEST_ANALYSED),
            listing,
        };
        let paragraphs = self.paragraph_sets(prints);
        let findings = views::views(
            &self.preparer,
            docs,
            clusters,
            shingles,
            paragraphs,
            uses,
            progress,
        );
        let Some(known) = known else {
            return (Boilerplate::default(), Vec::new());
        };
        let (mut found, flags) =
            boilerplate::assemble(findings, &known.group_of, known.shingles.len());
        found.learned_from = known.learned_from;
        if listing == BoilerplateListing::Summary {
            found.phrases.truncate(SUMMARY_PHRASES);
            found.sentences = Vec::new();
            let read = sample.map_or(docs.len(), |s| s.iter().filter(|&&s| s).count());
            found.summary_of = Some(read);
        }
        (found, flags)
    }

    /// What the report lists of the boilerplate, `Auto` decided: a summary
    /// when only documents are compared.
    fn boilerplate_listing(&self) -> BoilerplateListing {
        match self.config.boilerplate().listing {
            BoilerplateListing::Auto if self.config.level().paragraphs() => {
                BoilerplateListing::Full
            }
            BoilerplateListing::Auto => BoilerplateListing::Summary,
            chosen => chosen,
        }
    }
}

/// The first `n` of `docs` by id, as a mask over them.
fn first_by_id(docs: &[Document], n: usize) -> Vec<bool> {
    let mut by_id: Vec<usize> = (0..docs.len()).collect();
    // Ids are distinct, so the first `n` are one set whatever the order;
    // they need not be sorted among themselves.
    if n < by_id.len() {
        by_id.select_nth_unstable_by(n, |&x, &y| docs[x].id().cmp(docs[y].id()));
    }
    let mut chosen = vec![false; docs.len()];
    for &d in by_id.iter().take(n) {
        chosen[d] = true;
    }
    chosen
}
