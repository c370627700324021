//! The component stage: candidate edges grouped into the connected
//! components of the candidate graph.
//!
//! Input: [`Candidates`] over `n` items. Output: [`Components`], each with
//! its members (sorted) and its edges in local indices, components in order
//! of their smallest member. Verification works one component at a time:
//! a component's sets are all it reads, so they can be made when it starts
//! and dropped when it ends. A union-find over the edges does the grouping
//! in near-linear time; nothing is quadratic in a component's size.

use crate::cluster::UnionFind;
use crate::pipeline::data::{Candidates, Components, Item, Pairing};

/// The connected components of `candidates` among `n` items. Every pair
/// of the exact method is one component of all its items.
pub(crate) fn components(n: usize, candidates: &Candidates) -> Components {
    match candidates {
        Candidates::AllPairs(items) => Components {
            members: items.clone(),
            member_starts: vec![0, items.len()],
            edges: Vec::new(),
            edge_starts: vec![0, 0],
            pairing: Pairing::Every,
        },
        Candidates::Edges(edges) => from_edges(n, edges),
    }
}

fn from_edges(n: usize, edges: &[(Item, Item)]) -> Components {
    const NONE: u32 = u32::MAX;
    let mut uf = UnionFind::new(n);
    let mut touched = vec![false; n];
    for &(a, b) in edges {
        uf.union(a.index(), b.index());
        touched[a.index()] = true;
        touched[b.index()] = true;
    }
    // Components are numbered by their smallest member, and each member
    // gets its place among its component's members.
    let mut component_of_root = vec![NONE; n];
    let mut component = vec![NONE; n];
    let mut local = vec![0u32; n];
    let mut sizes: Vec<u32> = Vec::new();
    for i in (0..n).filter(|&i| touched[i]) {
        let root = uf.find(i);
        if component_of_root[root] == NONE {
            component_of_root[root] = sizes.len() as u32;
            sizes.push(0);
        }
        let k = component_of_root[root];
        component[i] = k;
        local[i] = sizes[k as usize];
        sizes[k as usize] += 1;
    }
    let member_starts = prefix_sums(&sizes);
    let mut members = vec![Item::default(); member_starts[sizes.len()]];
    for i in (0..n).filter(|&i| touched[i]) {
        let k = component[i] as usize;
        members[member_starts[k] + local[i] as usize] = Item::new(i);
    }
    let mut edge_counts = vec![0u32; sizes.len()];
    for &(a, _) in edges {
        edge_counts[component[a.index()] as usize] += 1;
    }
    let edge_starts = prefix_sums(&edge_counts);
    let mut filled = edge_starts.clone();
    let mut local_edges = vec![(0, 0); edges.len()];
    // Edges arrive sorted, so each component's edges stay sorted.
    for &(a, b) in edges {
        let k = component[a.index()] as usize;
        local_edges[filled[k]] = (local[a.index()], local[b.index()]);
        filled[k] += 1;
    }
    Components {
        members,
        member_starts,
        edges: local_edges,
        edge_starts,
        pairing: Pairing::Listed,
    }
}

fn prefix_sums(counts: &[u32]) -> Vec<usize> {
    let mut out = Vec::with_capacity(counts.len() + 1);
    out.push(0);
    for &c in counts {
        out.push(out[out.len() - 1] + c as usize);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::data::LocalPairs;

    fn edges(pairs: &[(usize, usize)]) -> Candidates {
        Candidates::Edges(
            pairs
                .iter()
                .map(|&(a, b)| (Item::new(a), Item::new(b)))
                .collect(),
        )
    }

    #[test]
    fn components_hold_their_members_and_local_edges() {
        let c = components(7, &edges(&[(0, 5), (1, 2), (2, 6), (5, 6)]));
        assert_eq!(c.len(), 1);
        let only = c.get(0);
        let members: Vec<usize> = only.members.iter().map(|m| m.index()).collect();
        assert_eq!(members, [0, 1, 2, 5, 6]);
        match only.pairs {
            LocalPairs::Listed(pairs) => assert_eq!(pairs, [(0, 3), (1, 2), (2, 4), (3, 4)]),
            LocalPairs::All => panic!("listed pairs expected"),
        }
    }

    #[test]
    fn separate_groups_are_separate_components_in_member_order() {
        let c = components(6, &edges(&[(3, 4), (0, 1)]));
        assert_eq!(c.len(), 2);
        assert_eq!(c.get(0).members, [Item::new(0), Item::new(1)]);
        assert_eq!(c.get(1).members, [Item::new(3), Item::new(4)]);
    }

    #[test]
    fn no_edges_no_components() {
        assert_eq!(components(3, &edges(&[])).len(), 0);
    }

    #[test]
    fn all_pairs_are_one_component() {
        let items = vec![Item::new(1), Item::new(4)];
        let c = components(5, &Candidates::AllPairs(items.clone()));
        assert_eq!(c.len(), 1);
        assert_eq!(c.get(0).members, items.as_slice());
        assert!(matches!(c.get(0).pairs, LocalPairs::All));
    }

    #[test]
    fn thousands_of_identical_items_are_one_component_in_linear_edges() {
        // A star of edges, as identical documents make.
        let n = 5_000;
        let star: Vec<(usize, usize)> = (1..n).map(|i| (0, i)).collect();
        let c = components(n, &edges(&star));
        assert_eq!(c.len(), 1);
        assert_eq!(c.get(0).members.len(), n);
        assert_eq!(c.edges.len(), n - 1);
    }
}
