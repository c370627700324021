//! Clusters: connected components of the verified-pair graph.
//!
//! Input: the number of documents and the verified pairs. Output: groups of
//! two or more documents, members sorted, groups sorted by first member.
//! A small union-find (union by size, path halving) does the work in
//! near-linear time.

use crate::corpus::DocId;

/// Disjoint sets over `0..n`.
///
/// # Examples
///
/// ```
/// use chachong::UnionFind;
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

/// Groups of two or more documents connected by `pairs`, each sorted, in
/// order of their first member.
///
/// # Examples
///
/// ```
/// use chachong::{cluster::connected_groups, DocId};
///
/// let d = DocId::new;
/// let groups = connected_groups(5, &[(d(3), d(4)), (d(0), d(2)), (d(2), d(4))]);
/// assert_eq!(groups, [vec![d(0), d(2), d(3), d(4)]]);
/// ```
pub fn connected_groups(n: usize, pairs: &[(DocId, DocId)]) -> Vec<Vec<DocId>> {
    let mut uf = UnionFind::new(n);
    for &(a, b) in pairs {
        uf.union(a.index(), b.index());
    }
    let mut by_root: Vec<Vec<DocId>> = vec![Vec::new(); n];
    for i in 0..n {
        let root = uf.find(i);
        by_root[root].push(DocId::new(i));
    }
    let mut groups: Vec<Vec<DocId>> = by_root.into_iter().filter(|g| g.len() >= 2).collect();
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_pairs_no_groups() {
        assert!(connected_groups(3, &[]).is_empty());
    }

    #[test]
    fn chains_join() {
        let d = DocId::new;
        let groups = connected_groups(6, &[(d(4), d(5)), (d(0), d(1)), (d(1), d(2))]);
        assert_eq!(groups, [vec![d(0), d(1), d(2)], vec![d(4), d(5)]]);
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
