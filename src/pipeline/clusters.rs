//! The cluster stage: verified pairs into the report's clusters.
//!
//! Input: one component's verified pairs and its sets. Output: its guarded
//! groups ([`guard_chains`]): the connected groups of its verified pairs,
//! each split so that every member is close enough to the group's
//! representative, and the members the guard took out. Then, for the whole
//! corpus, the report's [`Cluster`]s and [`ChainSplit`]s, sorted by id.

use rayon::prelude::*;

use crate::cluster::{connected_groups, guard_chains, ChainSplit, ClusterConfig};
use crate::corpus::Document;
use crate::pipeline::copies::Copies;
use crate::pipeline::data::{Component, Item, Verified};
use crate::pipeline::verification::ComponentSets;
use crate::report::{Cluster, DuplicatePair};
use crate::verify::jaccard;

/// The groups of one component after the chaining guard, and the members
/// it took out (with the representative and their similarity), by item.
#[derive(Debug, Default)]
pub(crate) struct Guarded {
    pub(crate) groups: Vec<(Vec<Item>, Item)>,
    pub(crate) splits: Vec<(Item, Item, f64)>,
}

/// Guards the connected groups of `verified` (pairs of `component`), with
/// the Jaccard similarity of `sets` as the distance to a representative.
pub(crate) fn guard_component(
    config: &ClusterConfig,
    docs: &[Document],
    component: Component,
    sets: &ComponentSets,
    verified: &[Verified],
) -> Guarded {
    let members = component.members;
    let local: Vec<(u32, u32, f64)> = verified
        .iter()
        .map(|v| {
            (
                component.local(v.a),
                component.local(v.b),
                v.overlap.jaccard(),
            )
        })
        .collect();
    let groups = connected_groups(
        members.len(),
        local.iter().map(|&(a, b, _)| (a as usize, b as usize)),
    );
    let mut group_of = vec![usize::MAX; members.len()];
    for (g, group) in groups.iter().enumerate() {
        for &l in group {
            group_of[l] = g;
        }
    }
    let mut group_edges: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); groups.len()];
    for &edge in &local {
        group_edges[group_of[edge.0 as usize]].push(edge);
    }
    let id = |l: u32| docs[members[l as usize].index()].id();
    let similarity = |x: u32, y: u32| jaccard(sets.set(members, x), sets.set(members, y));
    let guarded: Vec<_> = groups
        .par_iter()
        .zip(&group_edges)
        .map(|(group, edges)| {
            let group: Vec<u32> = group.iter().map(|&l| l as u32).collect();
            let min = config.min_similarity_to_representative;
            guard_chains(&group, edges, similarity, min, |x, y| id(x).cmp(id(y)))
        })
        .collect();
    let item = |l: u32| members[l as usize];
    let mut out = Guarded::default();
    for (groups, splits) in guarded {
        for g in groups {
            let group = g.members.into_iter().map(item).collect();
            out.groups.push((group, item(g.representative)));
        }
        out.splits.extend(
            splits
                .into_iter()
                .map(|s| (item(s.member), item(s.representative), s.similarity)),
        );
    }
    out
}

/// `guarded` with the copies put back: a copy joins its original's group;
/// an original in no group (or taken out by the guard) is a group with its
/// copies, itself the representative.
pub(crate) fn with_copies(mut guarded: Vec<Guarded>, copies: &Copies, n: usize) -> Vec<Guarded> {
    if copies.is_empty() {
        return guarded;
    }
    let mut grouped = vec![false; n];
    for component in &mut guarded {
        for (group, _) in &mut component.groups {
            let originals = std::mem::take(group);
            for original in originals {
                grouped[original.index()] = true;
                group.extend(copies.occurrences(original));
            }
        }
    }
    let alone = Guarded {
        groups: copies
            .originals()
            .filter(|o| !grouped[o.index()])
            .map(|o| (copies.occurrences(o), o))
            .collect(),
        splits: Vec::new(),
    };
    guarded.push(alone);
    guarded
}

/// The report's clusters, each with its members' items in the order of
/// their ids, and the chain splits, from every component's guarded groups:
/// members sorted by id, clusters by first member, splits by document.
pub(crate) fn report_clusters(
    config: &ClusterConfig,
    docs: &[Document],
    guarded: Vec<Guarded>,
) -> (Vec<(Cluster, Vec<Item>)>, Vec<ChainSplit>) {
    let id = |x: Item| docs[x.index()].id();
    let cluster = |(mut group, representative): (Vec<Item>, Item)| {
        group.sort_by(|&x, &y| id(x).cmp(id(y)));
        let members: Vec<String> = group.iter().map(|&m| id(m).to_string()).collect();
        let cluster = Cluster {
            large: members.len() > config.large_cluster_size,
            members,
            representative: id(representative).to_string(),
            analysis: None,
        };
        (cluster, group)
    };
    let split = |(member, representative, jaccard): (Item, Item, f64)| ChainSplit {
        document: id(member).to_string(),
        representative: id(representative).to_string(),
        jaccard,
    };
    // In parallel: thousands of clusters' ids copied and sorted on one
    // thread were 30 ms of a corpus run's 1.7 s on two. Stable sorts, so
    // the order never depends on the threads.
    let (groups, component_splits): (Vec<_>, Vec<_>) =
        guarded.into_iter().map(|c| (c.groups, c.splits)).unzip();
    let mut clusters: Vec<_> = groups.into_par_iter().flatten_iter().map(cluster).collect();
    let mut splits: Vec<_> = component_splits
        .into_par_iter()
        .flatten_iter()
        .map(split)
        .collect();
    clusters.par_sort_by(|(x, _), (y, _)| x.members[0].cmp(&y.members[0]));
    splits.par_sort_by(|x, y| x.document.cmp(&y.document));
    (clusters, splits)
}

/// The report's pairs for `verified`, sorted by id.
pub(crate) fn report_pairs(docs: &[Document], verified: &[Verified]) -> Vec<DuplicatePair> {
    // In parallel: on one thread, copying and sorting the ids of a corpus
    // run's pairs left the other thread idle for 25 ms of 1.7 s. A stable
    // sort, as before, so the order never depends on the threads.
    let mut pairs: Vec<DuplicatePair> = verified
        .par_iter()
        .map(|v| duplicate_pair(docs, v))
        .collect();
    pairs.par_sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    pairs
}

/// The report's pair for `v`: the smaller id is side a.
fn duplicate_pair(docs: &[Document], v: &Verified) -> DuplicatePair {
    let (ida, idb) = (docs[v.a.index()].id(), docs[v.b.index()].id());
    let o = v.overlap;
    let (a, b, a_in_b, b_in_a) = if ida <= idb {
        (ida, idb, o.containment_a_in_b(), o.containment_b_in_a())
    } else {
        (idb, ida, o.containment_b_in_a(), o.containment_a_in_b())
    };
    DuplicatePair {
        a: a.to_string(),
        b: b.to_string(),
        jaccard: o.jaccard(),
        estimated_jaccard: v.estimate,
        containment_a_in_b: a_in_b,
        containment_b_in_a: b_in_a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::data::{LocalPairs, Prints};
    use crate::verify::Overlap;

    fn prints(sets: &[&[u64]]) -> Prints {
        Prints::of_sets(sets)
    }

    /// A verified pair of Jaccard 0.5.
    fn verified(a: usize, b: usize) -> Verified {
        Verified {
            a: Item::new(a),
            b: Item::new(b),
            overlap: Overlap {
                intersection: 1,
                a_len: 2,
                b_len: 1,
            },
            estimate: None,
        }
    }

    #[test]
    fn a_chain_is_cut_where_it_strays_from_the_representative() {
        // a ~ b ~ c ~ d, each pair of weight 0.5: b and c tie as
        // representatives, the smaller id wins, and d shares 1 of 5
        // shingles with b.
        let docs: Vec<Document> = ["a", "b", "c", "d"]
            .iter()
            .map(|id| Document::new(*id, "x"))
            .collect();
        let p = prints(&[&[1, 2, 3], &[2, 3, 4], &[3, 4, 5], &[4, 5, 6]]);
        let members: Vec<Item> = (0..4).map(Item::new).collect();
        let pairs = [(0, 1), (1, 2), (2, 3)];
        let component = Component {
            members: &members,
            pairs: LocalPairs::Listed(&pairs),
        };
        let edges = [verified(0, 1), verified(1, 2), verified(2, 3)];
        let config = ClusterConfig::default();
        let g = guard_component(&config, &docs, component, &ComponentSets::Kept(&p), &edges);
        let (clusters, splits) = report_clusters(&config, &docs, vec![g]);
        assert_eq!(clusters.len(), 1);
        let (cluster, items) = &clusters[0];
        assert_eq!(cluster.members, ["a", "b", "c"]);
        assert_eq!(cluster.representative, "b");
        assert_eq!(items, &[Item::new(0), Item::new(1), Item::new(2)]);
        assert_eq!(splits.len(), 1);
        assert_eq!((splits[0].document.as_str(), splits[0].jaccard), ("d", 0.2));
    }
}
