//! The verification stage: how similar each candidate pair really is.
//!
//! Input: a component's members and pairs, and their sets: either kept from
//! the fingerprint stage, or made again for the component
//! ([`ShingleSets::Recompute`](crate::ShingleSets::Recompute)) and dropped
//! when it is done, but for early candidates' ([`early`](super::early)).
//! Output: the [`Verified`] pairs, with their exact overlap and the
//! fingerprint's estimate, that pass the threshold.
//!
//! Components run in parallel, and so do the pairs inside one, so a single
//! large component (thousands of copies of one page) is not one thread's
//! work. Boilerplate shingles can be left out of a pair's evidence
//! ([`Common`]).

use std::ops::RangeInclusive;

use rayon::prelude::*;

use crate::config::{Method, Verification};
use crate::corpus::Document;
use crate::fingerprint::jaccard_from_hamming;
use crate::pipeline::data::{Candidates, Component, Item, LocalPairs, Prints, Verified};
use crate::pipeline::fingerprint::{Fingerprinter, Scratch};
use crate::prehashed::HashedSet;
use crate::verify::{estimated_jaccard, hamming_distance, Overlap};

/// Whether a level's pairs get the fingerprint's estimate beside the exact
/// overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Estimate {
    /// Always: document pairs report it.
    Compute,
    /// Only when it decides ([`Verification::Estimate`]); paragraph
    /// matches do not report it.
    WhenDeciding,
}

/// How one level's pairs are measured and kept.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Verifier {
    pub(crate) method: Method,
    pub(crate) verification: Verification,
    pub(crate) num_perm: usize,
    pub(crate) estimate: Estimate,
}

/// Shingles that are no evidence of copying, and when a pair is compared
/// without them.
#[derive(Debug)]
pub(crate) struct Common<'a> {
    pub(crate) shingles: &'a HashedSet,
    /// Boilerplate leaves a pair's evidence only when its share of the
    /// shingles the two hold between them is in this range: where it is
    /// what holds them together, and not all there is.
    pub(crate) pair_share: RangeInclusive<f64>,
}

/// A component's sets: borrowed from the kept prints, or made for it.
#[derive(Debug)]
pub(crate) enum ComponentSets<'a> {
    /// The level's prints hold every set: slot = the member's item.
    Kept(&'a Prints),
    /// Made for this component: slot = the member's local index. An early
    /// candidate's set is not made again but read from `kept` ([`made_sets`]
    /// leaves it empty in `made`).
    Made { made: Prints, kept: &'a Prints },
}

impl ComponentSets<'_> {
    fn prints(&self) -> &Prints {
        match self {
            ComponentSets::Kept(prints) => prints,
            ComponentSets::Made { made, .. } => made,
        }
    }

    /// Where member `local` of `members` is in [`prints`](Self::prints).
    fn slot(&self, members: &[Item], local: u32) -> usize {
        match self {
            ComponentSets::Kept(_) => members[local as usize].index(),
            ComponentSets::Made { .. } => local as usize,
        }
    }

    /// The set of member `local`.
    pub(crate) fn set(&self, members: &[Item], local: u32) -> &[u64] {
        match self {
            ComponentSets::Kept(prints) => &prints.sets[members[local as usize].index()],
            ComponentSets::Made { made, kept } => match &made.sets[local as usize] {
                made if made.is_empty() => &kept.sets[members[local as usize].index()],
                made => made,
            },
        }
    }
}

/// A component with fewer members than this is fingerprinted again by one
/// rayon job, with that job's scratch: splitting it would cost more in
/// scratch buffers than it saves. Larger ones (thousands of copies of one
/// page) are split.
const PARALLEL_MEMBERS: usize = 64;
/// Likewise for the pairs of a component.
const PARALLEL_PAIRS: usize = 1024;

/// Components one rayon job verifies at most. Left to itself, rayon cuts a
/// corpus run's few thousand components on two threads into a few jobs it
/// cannot split once begun, and the stage's end waited on one thread's
/// last job while the other had nothing to take. A component is tens of
/// microseconds of work: jobs of 32 end close together and still make a
/// job's fresh scratch worth it.
pub(crate) const COMPONENTS_PER_JOB: usize = 32;

/// The sets of a component's members: an early candidate's read from
/// `kept` ([`early`](super::early)), with its sketch made from it; the
/// others' made by preparing the documents' text a second time, for this
/// purpose only.
pub(crate) fn made_sets<'a>(
    fingerprinter: &Fingerprinter,
    (docs, kept): (&[Document], &'a Prints),
    members: &[Item],
    scratch: &mut Scratch,
) -> ComponentSets<'a> {
    let make = |scratch: &mut Scratch, m: Item| {
        let i = m.index();
        if kept.sets[i].is_empty() {
            fingerprinter.sorted_prints(&docs[i], scratch)
        } else {
            fingerprinter.sketch_of_set(&kept.sets[i], kept.hidden[i])
        }
    };
    let made: Vec<_> = if members.len() < PARALLEL_MEMBERS {
        members.iter().map(|&m| make(scratch, m)).collect()
    } else {
        members
            .par_iter()
            .map_init(Scratch::default, |scratch, &m| make(scratch, m))
            .collect()
    };
    let mut prints = Prints::with_capacity(made.len(), made.iter());
    for p in made {
        prints.push(p);
    }
    ComponentSets::Made { made: prints, kept }
}

/// What `measure` keeps of every pair `(a, b)` of `0..n`, `a < b`, in
/// order, in parallel over `a`.
fn all_pairs<T: Send>(n: usize, measure: impl Fn(u32, u32) -> Option<T> + Sync) -> Vec<T> {
    let n = n as u32;
    let measure = &measure;
    (0..n)
        .into_par_iter()
        .flat_map_iter(|a| (a + 1..n).filter_map(move |b| measure(a, b)))
        .collect()
}

impl Verifier {
    /// The pairs of `component` whose similarity reaches `threshold`, in
    /// pair order, measured on `sets` (without `common`, if given).
    pub(crate) fn verify_component(
        &self,
        component: Component,
        sets: &ComponentSets,
        common: Option<&Common>,
        threshold: f64,
    ) -> Vec<Verified> {
        self.judge_component(component, sets, common, |v| {
            (self.decisive(&v) >= threshold).then_some(v)
        })
    }

    /// Measures every pair of `component` on `sets` (without `common`, if
    /// given) and keeps what `judge` makes of it, in pair order. Only what
    /// is kept is held: the exact method's every pair is never a list.
    pub(crate) fn judge_component<T: Send>(
        &self,
        component: Component,
        sets: &ComponentSets,
        common: Option<&Common>,
        judge: impl Fn(Verified) -> Option<T> + Sync,
    ) -> Vec<T> {
        let members = component.members;
        let prints = sets.prints();
        let measure = |a: u32, b: u32| {
            let side = |local: u32| {
                let slot = sets.slot(members, local);
                (members[local as usize], slot, sets.set(members, local))
            };
            self.judge(prints, side(a), side(b), common, &judge)
        };
        match component.pairs {
            LocalPairs::Listed(pairs) if pairs.len() < PARALLEL_PAIRS => {
                pairs.iter().filter_map(|&(a, b)| measure(a, b)).collect()
            }
            LocalPairs::Listed(pairs) => pairs
                .par_iter()
                .filter_map(|&(a, b)| measure(a, b))
                .collect(),
            LocalPairs::All => all_pairs(members.len(), measure),
        }
    }

    /// Measures the candidates of a level whose prints hold every set
    /// (paragraphs), by item, and keeps what `judge` makes of each, in pair
    /// order: no components, since nothing is made again or guarded.
    pub(crate) fn judge_candidates<T: Send>(
        &self,
        candidates: &Candidates,
        prints: &Prints,
        judge: impl Fn(Verified) -> Option<T> + Sync,
    ) -> Vec<T> {
        let side = |x: Item| (x, x.index(), &prints.sets[x.index()][..]);
        let measure = |a: Item, b: Item| self.judge(prints, side(a), side(b), None, &judge);
        match candidates {
            Candidates::Edges(pairs) => pairs
                .par_iter()
                .filter_map(|&(a, b)| measure(a, b))
                .collect(),
            Candidates::AllPairs(items) => all_pairs(items.len(), |a, b| {
                measure(items[a as usize], items[b as usize])
            }),
        }
    }

    /// The judgement of the pair of `a` and `b`, each an item, its slot in
    /// `prints` and its set.
    fn judge<T>(
        &self,
        prints: &Prints,
        (a, sa, set_a): (Item, usize, &[u64]),
        (b, sb, set_b): (Item, usize, &[u64]),
        common: Option<&Common>,
        judge: &impl Fn(Verified) -> Option<T>,
    ) -> Option<T> {
        let (overlap, estimate) = self.measure(prints, (sa, set_a), (sb, set_b), common);
        judge(Verified {
            a,
            b,
            overlap,
            estimate,
        })
    }

    /// Exact overlap of two items, each its slot in `prints` and its set
    /// (without `common`, where it is not most of what they share) and, as
    /// the verifier asks, the fingerprint's estimate.
    pub(crate) fn measure(
        &self,
        prints: &Prints,
        (a, sa): (usize, &[u64]),
        (b, sb): (usize, &[u64]),
        common: Option<&Common>,
    ) -> (Overlap, Option<f64>) {
        let overlap = match common {
            None => Overlap::of(sa, sb),
            Some(common) => {
                let (whole, rest) = Overlap::of_without(sa, sb, |h| common.shingles.contains(&h));
                let union = |o: &Overlap| (o.a_len + o.b_len - o.intersection) as f64;
                let share = 1.0 - union(&rest) / union(&whole).max(1.0);
                if common.pair_share.contains(&share) {
                    rest
                } else {
                    whole
                }
            }
        };
        let wanted =
            self.estimate == Estimate::Compute || self.verification == Verification::Estimate;
        let estimate = match self.method {
            _ if !wanted => None,
            Method::MinHash => match (
                prints.signature(a, self.num_perm),
                prints.signature(b, self.num_perm),
            ) {
                (Some(sa), Some(sb)) => Some(estimated_jaccard(sa, sb)),
                _ => None,
            },
            Method::SimHash => Some(jaccard_from_hamming(f64::from(hamming_distance(
                prints.simhashes[a],
                prints.simhashes[b],
            )))),
            Method::Exact => None,
        };
        (overlap, estimate)
    }

    /// The estimate [`measure`](Self::measure) gives two items of the same
    /// text.
    pub(crate) fn identical_estimate(&self) -> Option<f64> {
        let wanted =
            self.estimate == Estimate::Compute || self.verification == Verification::Estimate;
        (wanted && self.method != Method::Exact).then_some(1.0)
    }

    /// The similarity the threshold is applied to.
    pub(crate) fn decisive(&self, v: &Verified) -> f64 {
        match (self.verification, v.estimate) {
            (Verification::Estimate, Some(estimate)) => estimate,
            _ => v.overlap.jaccard(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prints(sets: &[&[u64]]) -> Prints {
        Prints::of_sets(sets)
    }

    const EXACT: Verifier = Verifier {
        method: Method::Exact,
        verification: Verification::Exact,
        num_perm: 0,
        estimate: Estimate::Compute,
    };

    #[test]
    fn pairs_below_the_threshold_are_dropped() {
        let p = prints(&[&[1, 2, 3, 4], &[1, 2, 3, 5], &[7, 8]]);
        let members = [Item::new(0), Item::new(1), Item::new(2)];
        let pairs = [(0, 1), (0, 2), (1, 2)];
        let component = Component {
            members: &members,
            pairs: LocalPairs::Listed(&pairs),
        };
        let verified = EXACT.verify_component(component, &ComponentSets::Kept(&p), None, 0.6);
        assert_eq!(verified.len(), 1);
        assert_eq!((verified[0].a, verified[0].b), (Item::new(0), Item::new(1)));
        assert_eq!(verified[0].overlap.jaccard(), 0.6);
    }

    #[test]
    fn all_pairs_of_made_sets_use_local_slots() {
        // The component's members are items 5 and 9; their sets were made
        // for the component, in member order.
        let made = prints(&[&[1, 2], &[1, 2]]);
        let members = [Item::new(5), Item::new(9)];
        let component = Component {
            members: &members,
            pairs: LocalPairs::All,
        };
        let none = Prints::default();
        let sets = ComponentSets::Made { made, kept: &none };
        let verified = EXACT.verify_component(component, &sets, None, 1.0);
        assert_eq!((verified[0].a, verified[0].b), (Item::new(5), Item::new(9)));
    }

    #[test]
    fn boilerplate_leaves_the_evidence_only_where_it_holds_the_pair() {
        // Boilerplate is 3 of the 7 shingles the two hold between them.
        let p = prints(&[&[1, 2, 3, 10, 11], &[1, 2, 3, 20, 21]]);
        let shingles: HashedSet = [1, 2, 3].into_iter().collect();
        let measured = |pair_share: RangeInclusive<f64>| {
            let common = Common {
                shingles: &shingles,
                pair_share,
            };
            EXACT
                .measure(&p, (0, p.set(0)), (1, p.set(1)), Some(&common))
                .0
                .intersection
        };
        // 3/7 is in the range: compared without it.
        assert_eq!(measured(0.4..=0.9), 0);
        // Below the range the pair has text of its own in common, above it
        // the boilerplate is all there is: compared whole either way.
        assert_eq!(measured(0.5..=0.9), 3);
        assert_eq!(measured(0.0..=0.4), 3);
    }

    #[test]
    fn the_estimate_decides_only_when_asked() {
        let mut p = prints(&[&[1, 2], &[3, 4]]);
        p.simhashes = vec![0, 0];
        let simhash = Verifier {
            method: Method::SimHash,
            estimate: Estimate::WhenDeciding,
            ..EXACT
        };
        assert_eq!(
            simhash.measure(&p, (0, p.set(0)), (1, p.set(1)), None).1,
            None
        );
        let by_estimate = Verifier {
            verification: Verification::Estimate,
            ..simhash
        };
        let (overlap, estimate) = by_estimate.measure(&p, (0, p.set(0)), (1, p.set(1)), None);
        let v = Verified {
            a: Item::new(0),
            b: Item::new(1),
            overlap,
            estimate,
        };
        assert_eq!(overlap.jaccard(), 0.0);
        assert_eq!(by_estimate.decisive(&v), 1.0);
    }
}
