//! The candidate stage: which pairs of items are worth verifying.
//!
//! Input: one level's [`Prints`] and the items that take part (non-empty,
//! long enough). Output: [`Candidates`], sorted and distinct: items sharing
//! an LSH band key (MinHash), pairs within the Hamming distance (SimHash),
//! or every pair (the exact method), plus, for paragraphs, items sharing an
//! anchor ([`crate::anchor`]). The items of one band key or anchor are
//! joined by every pair when they are few and by a star and a chain in id
//! order when they are many ([`crate::bucket`]), so a page copied with
//! small changes ten thousand times makes edges linear in its copies, and
//! input order never changes them. Bands and blocks are built and
//! searched in parallel without locks; the pairs are sorted afterwards, so
//! the thread count never changes what is verified.

use std::cmp::Ordering;

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

/// The order of items by their documents' ids (then paragraph), which
/// decides how a large bucket is joined.
pub(crate) type ItemOrder<'a> = &'a (dyn Fn(Item, Item) -> Ordering + Sync);

/// Candidate pairs among `active` items (sorted) for `threshold`, by the
/// configured method, and, if `anchors` is given, pairs of `anchored` items
/// (a subset of `active`) sharing an anchor; `order` ranks items for
/// large buckets.
pub(crate) fn candidates(
    config: &Config,
    prints: &Prints,
    (active, order): (Vec<Item>, ItemOrder),
    threshold: f64,
    anchors: Option<(AnchorConfig, &[Item])>,
) -> (Candidates, CandidateStats) {
    let mut stats = CandidateStats::default();
    if config.method() == Method::Exact {
        // Every pair is compared already: anchors add nothing.
        let all = Candidates::AllPairs(active);
        stats.pairs = all.len();
        return (all, stats);
    }
    let ranks = Ranks::new(prints.len(), &active, order);
    let mut pairs: Vec<(Item, Item)> = match config.method() {
        Method::MinHash => {
            let params = config.lsh_for(threshold);
            stats.lsh = Some(params);
            lsh_pairs(config, prints, &ranks, params)
        }
        Method::SimHash => {
            let distance = config.hamming_for(threshold);
            stats.max_hamming_distance = Some(distance);
            hamming_pairs(prints, &active, distance)
        }
        Method::Exact => unreachable!("the exact method returned above"),
    };
    if let Some((params, anchored)) = anchors {
        let sets = anchored
            .iter()
            .map(|&id| (ranks.rank(id), prints.sets[id.index()].as_slice()));
        pairs.extend(ranks.items(anchor_pairs(params, sets)));
    }
    pairs.par_sort_unstable();
    pairs.dedup();
    stats.pairs = pairs.len();
    (Candidates::Edges(pairs), stats)
}

/// The active items in id order, so that buckets are joined the same way
/// whatever the input order; index structures name items by rank.
struct Ranks {
    by_rank: Vec<Item>,
    rank_of: Vec<u32>,
}

impl Ranks {
    fn new(n: usize, active: &[Item], order: ItemOrder) -> Ranks {
        let mut by_rank = active.to_vec();
        by_rank.par_sort_unstable_by(|&x, &y| order(x, y));
        let mut rank_of = vec![u32::MAX; n];
        for (rank, item) in by_rank.iter().enumerate() {
            rank_of[item.index()] = rank as u32;
        }
        Ranks { by_rank, rank_of }
    }

    fn rank(&self, item: Item) -> u32 {
        self.rank_of[item.index()]
    }

    /// Edges between ranks as edges between items, `(lower, higher)`.
    fn items(&self, edges: Vec<(u32, u32)>) -> impl Iterator<Item = (Item, Item)> + '_ {
        edges.into_iter().map(|(x, y)| {
            let (a, b) = (self.by_rank[x as usize], self.by_rank[y as usize]);
            (a.min(b), a.max(b))
        })
    }
}

fn lsh_pairs(
    config: &Config,
    prints: &Prints,
    ranks: &Ranks,
    params: LshParams,
) -> Vec<(Item, Item)> {
    let num_perm = config.num_perm();
    let signatures = || {
        ranks.by_rank.iter().enumerate().map(|(rank, &id)| {
            (
                rank as u32,
                &prints.signatures[id.index() * num_perm..(id.index() + 1) * num_perm],
            )
        })
    };
    let tables: Vec<BandTable<u32>> = (0..params.bands)
        .into_par_iter()
        .map(|band| {
            if prints.band_keys.is_empty() {
                BandTable::build(params, band, config.seed(), signatures())
            } else {
                BandTable::from_keys(
                    ranks
                        .by_rank
                        .iter()
                        .enumerate()
                        .map(|(rank, &id)| {
                            (
                                prints.band_keys[id.index() * params.bands + band],
                                rank as u32,
                            )
                        })
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
            table.edges_into(&mut out);
            ranks.items(out).collect::<Vec<_>>()
        })
        .collect()
}

fn hamming_pairs(prints: &Prints, active: &[Item], distance: u32) -> Vec<(Item, Item)> {
    // Every pair within the distance: the Hamming index's contract, which
    // a star would break (a block's items are seldom all close).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn prints(sets: &[&[u64]]) -> Prints {
        Prints::of_sets(sets)
    }

    fn by_item(x: Item, y: Item) -> Ordering {
        x.cmp(&y)
    }

    #[test]
    fn exact_method_pairs_everything_without_listing_it() {
        let config = Config::default().with_method(Method::Exact);
        let p = prints(&[&[1], &[2], &[3], &[4]]);
        let active = (0..4).map(Item::new).collect();
        let (candidates, stats) = candidates(&config, &p, (active, &by_item), 0.8, None);
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
        let (without, _) = candidates(&config, &p, (active.clone(), &by_item), 0.5, None);
        assert!(matches!(without, Candidates::Edges(ref e) if e.is_empty()));
        let with_anchors = Some((anchors, active.as_slice()));
        let (with, stats) = candidates(&config, &p, (active.clone(), &by_item), 0.5, with_anchors);
        match with {
            Candidates::Edges(edges) => assert_eq!(edges, [(Item::new(0), Item::new(1))]),
            other => panic!("{other:?}"),
        }
        assert_eq!(stats.max_hamming_distance, Some(0));
    }
}
