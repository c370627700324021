//! Clusters: connected components of the verified-pair graph, with a
//! guard against chaining.
//!
//! Input: the number of documents and the verified pairs. Output: groups of
//! two or more documents, members sorted, groups sorted by first member.
//! A small union-find (union by size, path halving) does the work in
//! near-linear time.
//!
//! Connected components chain: A~B and B~C put A and C together however
//! little they share, and on a large corpus a chain of small edits joins
//! unrelated documents into one giant cluster. [`guard_chains`] keeps a
//! member only if it is similar enough to its cluster's representative, and
//! reports the members it took out.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

use crate::check::closed_unit_interval;
use crate::error::Result;

/// How clusters are formed and flagged.
///
/// # Examples
///
/// ```
/// use chachong::cluster::ClusterConfig;
///
/// let rules = ClusterConfig::default();
/// assert_eq!(rules.min_similarity_to_representative, 0.5);
/// assert_eq!(rules.large_cluster_size, 100);
/// assert_eq!(rules.list_all_pairs_up_to, 16);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// A member stays in a cluster only if its Jaccard similarity with the
    /// representative is at least this (default 0.5; 0 turns the guard off).
    /// Lower than the pair threshold, so that copies of copies stay
    /// together, but high enough that a chain cannot join documents that
    /// share less than half their shingles.
    pub min_similarity_to_representative: f64,
    /// Clusters with more members than this are flagged as large (default
    /// 100): usually a template many documents were filled from.
    pub large_cluster_size: usize,
    /// The report lists every pair reaching the threshold within a cluster
    /// of at most this many members (default 16), and in a larger one each
    /// original against the representative and each copy of a text
    /// against its first occurrence, so that the list grows
    /// linearly with the cluster (ten thousand copies of a page list
    /// 9,999 pairs, not 50 million). Copied paragraphs are listed by the
    /// same rule.
    pub list_all_pairs_up_to: usize,
}

impl ClusterConfig {
    /// Checks every value.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// similarity outside [0, 1].
    pub fn validate(&self) -> Result<()> {
        closed_unit_interval(
            "cluster.min_similarity_to_representative",
            self.min_similarity_to_representative,
        )
    }
}

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig {
            min_similarity_to_representative: 0.5,
            large_cluster_size: 100,
            list_all_pairs_up_to: 16,
        }
    }
}

/// A cluster after the chaining guard; `Id` names a document (a
/// [`DocId`](crate::DocId), or whatever the caller numbers them by).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardedGroup<Id> {
    /// Members, sorted.
    pub members: Vec<Id>,
    /// The member with the largest sum of pair similarity to the others.
    pub representative: Id,
}

/// A member [`guard_chains`] took out of a group.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitMember<Id> {
    /// The member.
    pub member: Id,
    /// The representative it was too far from.
    pub representative: Id,
    /// Their similarity.
    pub similarity: f64,
}

/// A member the chaining guard took out of a cluster, as the report names
/// it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainSplit {
    /// The member taken out.
    pub document: String,
    /// The representative of the cluster it was linked into.
    pub representative: String,
    /// Its Jaccard similarity with that representative, below
    /// [`ClusterConfig::min_similarity_to_representative`].
    pub jaccard: f64,
}

/// Splits one connected `group` so that every member of every resulting
/// group has `similarity(member, representative) >= min_similarity`.
///
/// `edges` are the group's verified pairs with their similarity; the
/// representative of a set is the member with the largest sum of edge
/// similarity within the set, ties broken by `prefer` (the smaller wins).
/// The members too far from it are taken out and reported; what they are
/// still connected by forms new groups, guarded the same way. Groups of one
/// are dropped (the member is a singleton).
///
/// # Examples
///
/// ```
/// use chachong::cluster::guard_chains;
/// use chachong::DocId;
///
/// let d = DocId::new;
/// // A chain 0~1~2~3; 2 has the most similarity to the others and becomes
/// // the representative, and 0, two links away, shares little with it.
/// let edges = [(d(0), d(1), 0.8), (d(1), d(2), 0.8), (d(2), d(3), 0.9)];
/// let sim = |x: DocId, y: DocId| if x.index().abs_diff(y.index()) == 1 { 0.8 } else { 0.3 };
/// let (groups, splits) = guard_chains(&[d(0), d(1), d(2), d(3)], &edges, sim, 0.5, |x, y| x.cmp(&y));
/// assert_eq!(groups.len(), 1);
/// assert_eq!(groups[0].members, [d(1), d(2), d(3)]);
/// assert_eq!(groups[0].representative, d(2));
/// assert_eq!(splits.len(), 1);
/// assert_eq!(splits[0].member, d(0));
/// ```
pub fn guard_chains<Id: Copy + Ord + Hash>(
    group: &[Id],
    edges: &[(Id, Id, f64)],
    similarity: impl Fn(Id, Id) -> f64,
    min_similarity: f64,
    prefer: impl Fn(Id, Id) -> Ordering,
) -> (Vec<GuardedGroup<Id>>, Vec<SplitMember<Id>>) {
    let mut out = Vec::new();
    let mut splits = Vec::new();
    let mut pending = vec![group.to_vec()];
    while let Some(mut set) = pending.pop() {
        if set.len() < 2 {
            continue;
        }
        set.sort_unstable();
        let inside = |x: Id| set.binary_search(&x).is_ok();
        let mut weight: HashMap<Id, f64> = HashMap::new();
        for &(a, b, s) in edges {
            if inside(a) && inside(b) {
                *weight.entry(a).or_default() += s;
                *weight.entry(b).or_default() += s;
            }
        }
        let weight_of = |x: &Id| weight.get(x).copied().unwrap_or(0.0);
        let representative = set
            .iter()
            .copied()
            .max_by(|x, y| {
                weight_of(x)
                    .total_cmp(&weight_of(y))
                    .then_with(|| prefer(*y, *x))
            })
            .expect("set has at least two members");
        let (mut kept, mut rest) = (Vec::new(), Vec::new());
        for &member in &set {
            let s = if member == representative {
                1.0
            } else {
                similarity(member, representative)
            };
            if s >= min_similarity {
                kept.push(member);
            } else {
                rest.push(member);
                splits.push(SplitMember {
                    member,
                    representative,
                    similarity: s,
                });
            }
        }
        if kept.len() >= 2 {
            out.push(GuardedGroup {
                members: kept,
                representative,
            });
        }
        if rest.len() >= 2 {
            let local: HashMap<Id, usize> = rest.iter().enumerate().map(|(i, &x)| (x, i)).collect();
            let mut uf = UnionFind::new(rest.len());
            for &(a, b, _) in edges {
                if let (Some(&i), Some(&j)) = (local.get(&a), local.get(&b)) {
                    uf.union(i, j);
                }
            }
            let mut parts: Vec<Vec<Id>> = vec![Vec::new(); rest.len()];
            for (i, &x) in rest.iter().enumerate() {
                let root = uf.find(i);
                parts[root].push(x);
            }
            pending.extend(parts.into_iter().filter(|p| p.len() >= 2));
        }
    }
    out.sort_unstable_by_key(|g| g.members[0]);
    splits.sort_by_key(|s| s.member);
    (out, splits)
}

/// Disjoint sets over `0..n`.
///
/// # Examples
///
/// ```
/// use chachong::cluster::UnionFind;
///
/// let mut uf = UnionFind::new(4);
/// assert!(uf.union(0, 1));
/// assert!(!uf.union(1, 0));
/// assert!(uf.union(2, 1));
/// assert_eq!(uf.find(2), uf.find(0));
/// assert_ne!(uf.find(3), uf.find(0));
/// ```
#[derive(Clone, Debug)]
pub struct UnionFind {
    parent: Vec<u32>,
    // Kept apart from `parent` so `find`'s walk touches only one array.
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singleton sets.
    ///
    /// # Panics
    ///
    /// If `n` does not fit in a `u32`.
    pub fn new(n: usize) -> UnionFind {
        let n32 = u32::try_from(n).expect("union-find size fits in u32");
        UnionFind {
            parent: (0..n32).collect(),
            size: vec![1; n],
        }
    }

    /// The representative of `x`'s set.
    ///
    /// # Panics
    ///
    /// If `x` is out of range.
    pub fn find(&mut self, x: usize) -> usize {
        let mut x = x as u32;
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x as usize
    }

    /// Merges the sets of `a` and `b`; returns whether they were apart.
    pub fn union(&mut self, a: usize, b: usize) -> bool {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a as u32;
        self.size[a] += self.size[b];
        true
    }
}

/// Groups of two or more of the items `0..n` connected by `pairs`, each
/// sorted, in order of their first member.
///
/// # Examples
///
/// ```
/// use chachong::cluster::connected_groups;
///
/// let groups = connected_groups(5, [(3, 4), (0, 2), (2, 4)]);
/// assert_eq!(groups, [vec![0, 2, 3, 4]]);
/// ```
///
/// # Panics
///
/// If a pair names an item not below `n`.
pub fn connected_groups(
    n: usize,
    pairs: impl IntoIterator<Item = (usize, usize)>,
) -> Vec<Vec<usize>> {
    let mut uf = UnionFind::new(n);
    for (a, b) in pairs {
        uf.union(a, b);
    }
    let mut by_root: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let root = uf.find(i);
        by_root[root].push(i);
    }
    let mut groups: Vec<Vec<usize>> = by_root.into_iter().filter(|g| g.len() >= 2).collect();
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::DocId;

    #[test]
    fn no_pairs_no_groups() {
        assert!(connected_groups(3, []).is_empty());
    }

    #[test]
    fn chains_join() {
        let groups = connected_groups(6, [(4, 5), (0, 1), (1, 2)]);
        assert_eq!(groups, [vec![0, 1, 2], vec![4, 5]]);
    }

    #[test]
    fn guard_keeps_a_tight_group_whole() {
        let d = DocId::new;
        let edges = [(d(0), d(1), 0.9), (d(1), d(2), 0.9), (d(0), d(2), 0.9)];
        let (groups, splits) = guard_chains(
            &[d(0), d(1), d(2)],
            &edges,
            |_, _| 0.9,
            0.5,
            |x, y| x.cmp(&y),
        );
        assert_eq!(groups[0].members, [d(0), d(1), d(2)]);
        assert!(splits.is_empty());
    }

    #[test]
    fn guard_regroups_what_it_split() {
        let d = DocId::new;
        // 0~1~2 tight; 2~3 links to 3~4; 3 and 4 are far from 1.
        let edges = [
            (d(0), d(1), 0.9),
            (d(1), d(2), 0.9),
            (d(0), d(2), 0.9),
            (d(2), d(3), 0.8),
            (d(3), d(4), 0.9),
        ];
        let close = |x: DocId, y: DocId| {
            let tight = |z: DocId| z.index() <= 2;
            if tight(x) == tight(y) {
                0.9
            } else {
                0.1
            }
        };
        let all: Vec<DocId> = (0..5).map(d).collect();
        let (groups, splits) = guard_chains(&all, &edges, close, 0.5, |x, y| x.cmp(&y));
        let members: Vec<_> = groups.iter().map(|g| g.members.clone()).collect();
        assert_eq!(members, [vec![d(0), d(1), d(2)], vec![d(3), d(4)]]);
        assert_eq!(
            splits.iter().map(|s| s.member).collect::<Vec<_>>(),
            [d(3), d(4)]
        );
    }

    #[test]
    fn large_chain_is_one_set() {
        let mut uf = UnionFind::new(10_000);
        for i in 1..10_000 {
            uf.union(i - 1, i);
        }
        let root = uf.find(0);
        assert!((0..10_000).all(|i| uf.find(i) == root));
    }
}
