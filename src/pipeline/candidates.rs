//! The candidate stage: which pairs of items are worth verifying.
//!
//! Input: one level's [`Prints`] and the items that take part (non-empty,
//! long enough). Output: [`Candidates`], sorted and distinct: pairs sharing
//! an LSH band key (MinHash), pairs within the Hamming distance (SimHash),
//! or every pair (the exact method), plus, for paragraphs, pairs sharing an
//! anchor ([`crate::anchor`]). Bands and blocks are built and searched in
//! parallel without locks; the pairs are sorted afterwards, so the thread
//! count never changes what is verified.

use rayon::prelude::*;

use crate::anchor::{anchor_pairs, AnchorConfig};
use crate::config::{Config, Method};
use crate::hamming_index::HammingIndex;
use crate::lsh::{BandTable, LshIndex, LshParams};
use crate::pipeline::data::{Candidates, Item, Prints};

/// What the candidate stage chose and found.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct CandidateStats {
    /// Pairs handed to verification.
    pub(crate) pairs: usize,
    /// LSH bands and rows (MinHash).
    pub(crate) lsh: Option<LshParams>,
    /// Hamming distance (SimHash).
    pub(crate) max_hamming_distance: Option<u32>,
}

/// Candidate pairs among `active` items (sorted) for `threshold`, by the
/// configured method, and, if `anchors` is given, pairs of `anchored` items
/// (a subset of `active`) sharing an anchor.
pub(crate) fn candidates(
    config: &Config,
    prints: &Prints,
    active: Vec<Item>,
    threshold: f64,
    anchors: Option<(AnchorConfig, &[Item])>,
) -> (Candidates, CandidateStats) {
    let mut stats = CandidateStats::default();
    let mut pairs: Vec<(Item, Item)> = match config.method() {
        Method::MinHash => {
            let params = config.lsh_for(threshold);
            stats.lsh = Some(params);
            lsh_pairs(config, prints, &active, params)
        }
        Method::SimHash => {
            let distance = config.hamming_for(threshold);
            stats.max_hamming_distance = Some(distance);
            hamming_pairs(prints, &active, distance)
        }
        // Every pair is compared already: anchors add nothing.
        Method::Exact => {
            let all = Candidates::AllPairs(active);
            stats.pairs = all.len();
            return (all, stats);
        }
    };
    if let Some((params, anchored)) = anchors {
        pairs.extend(anchor_pairs(
            params,
            anchored
                .iter()
                .map(|&id| (id, prints.sets[id.index()].as_slice())),
        ));
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    stats.pairs = pairs.len();
    (Candidates::Edges(pairs), stats)
}

fn lsh_pairs(
    config: &Config,
    prints: &Prints,
    active: &[Item],
    params: LshParams,
) -> Vec<(Item, Item)> {
    let num_perm = config.num_perm();
    let signatures = || {
        active.iter().map(|&id| {
            (
                id,
                &prints.signatures[id.index() * num_perm..(id.index() + 1) * num_perm],
            )
        })
    };
    let tables: Vec<BandTable<Item>> = (0..params.bands)
        .into_par_iter()
        .map(|band| {
            if prints.band_keys.is_empty() {
                BandTable::build(params, band, config.seed(), signatures())
            } else {
                BandTable::from_keys(
                    active
                        .iter()
                        .map(|&id| (prints.band_keys[id.index() * params.bands + band], id))
                        .collect(),
                )
            }
        })
        .collect();
    let index = LshIndex::from_tables(params, config.seed(), tables);
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

fn hamming_pairs(prints: &Prints, active: &[Item], distance: u32) -> Vec<(Item, Item)> {
    let index = HammingIndex::build(
        distance,
        active.iter().map(|&id| (id, prints.simhashes[id.index()])),
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

/// Sorts the sets of the items in `pairs` (left unsorted by the
/// fingerprint stage), in parallel; the others are never compared. Sets
/// that are not kept are empty and stay so.
pub(crate) fn sort_candidate_sets(prints: &mut Prints, pairs: &[(Item, Item)]) {
    let mut candidate = vec![false; prints.sets.len()];
    for &(a, b) in pairs {
        candidate[a.index()] = true;
        candidate[b.index()] = true;
    }
    prints
        .sets
        .par_iter_mut()
        .zip(candidate)
        .filter(|(_, candidate)| *candidate)
        .for_each(|(set, _)| set.sort_unstable());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prints(sets: &[&[u64]]) -> Prints {
        Prints::of_sets(sets)
    }

    #[test]
    fn exact_method_pairs_everything_without_listing_it() {
        let config = Config::default().with_method(Method::Exact);
        let p = prints(&[&[1], &[2], &[3], &[4]]);
        let active = (0..4).map(Item::new).collect();
        let (candidates, stats) = candidates(&config, &p, active, 0.8, None);
        assert!(matches!(candidates, Candidates::AllPairs(ref items) if items.len() == 4));
        assert_eq!(stats.pairs, 6);
    }

    #[test]
    fn anchors_add_containment_candidates() {
        // Two sets sharing their smallest hash (an anchor at rate 1), far
        // apart by Jaccard: no SimHash pair, an anchor pair.
        let config = Config::default()
            .with_method(Method::SimHash)
            .with_max_hamming_distance(Some(0));
        let mut p = prints(&[&[1, 100, 200, 300], &[1, 400]]);
        p.simhashes = vec![0, u64::MAX];
        let active: Vec<Item> = (0..2).map(Item::new).collect();
        let anchors = AnchorConfig {
            rate: 1,
            max_postings: 10,
        };
        let (without, _) = candidates(&config, &p, active.clone(), 0.5, None);
        assert!(matches!(without, Candidates::Edges(ref e) if e.is_empty()));
        let (with, stats) = candidates(&config, &p, active.clone(), 0.5, Some((anchors, &active)));
        match with {
            Candidates::Edges(edges) => assert_eq!(edges, [(Item::new(0), Item::new(1))]),
            other => panic!("{other:?}"),
        }
        assert_eq!(stats.max_hamming_distance, Some(0));
    }

    #[test]
    fn only_candidates_sets_are_sorted() {
        let mut p = prints(&[&[3, 1, 2], &[9, 8], &[5, 4]]);
        sort_candidate_sets(&mut p, &[(Item::new(0), Item::new(2))]);
        assert_eq!(p.sets, [vec![1, 2, 3], vec![9, 8], vec![4, 5]]);
    }
}
