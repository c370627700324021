//! The report's pairs: which pairs of near-duplicates are listed, so that
//! the list grows linearly with a cluster's size.
//!
//! Input: one component's verified pairs (between originals: a copy of a
//! text is compared through its first occurrence, see
//! [`copies`](super::copies)), its guarded groups and its sets. Output: the
//! [`Verified`] pairs the report lists, by this rule, over the connected
//! groups of verified pairs (before the chaining guard), copies counted:
//!
//! - a group of at most [`ClusterConfig::list_all_pairs_up_to`] documents
//!   lists every pair of its documents whose similarity reaches the
//!   threshold, measured exactly, whether or not the pair was a candidate;
//! - a larger group lists each original against the representative of its
//!   cluster, where the pair reaches the threshold, and each copy against
//!   its original (Jaccard 1).
//!
//! Ten thousand copies of one page therefore list 9,999 pairs, not 50
//! million; a small cluster lists exactly what comparing every pair would;
//! and every member of a cluster of copies has a listed pair of Jaccard 1.

use crate::cluster::{connected_groups, ClusterConfig};
use crate::pipeline::clusters::Guarded;
use crate::pipeline::copies::Copies;
use crate::pipeline::data::{Component, Item, LocalPairs, Verified};
use crate::verify::Overlap;

/// What lists a component's pairs.
pub(crate) struct Lister<'a> {
    pub(crate) config: &'a ClusterConfig,
    pub(crate) copies: &'a Copies,
    /// Each item's distinct shingles (a copy's are its original's).
    pub(crate) counts: &'a [usize],
    /// The fingerprint's estimate for two copies of one text.
    pub(crate) identical_estimate: Option<f64>,
}

/// How a group's pairs are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Listing {
    /// Every pair: a group of at most `list_all_pairs_up_to` documents.
    Whole,
    /// Each original against its cluster's representative, each copy
    /// against its original: a larger group.
    AgainstRepresentative,
}

impl Lister<'_> {
    /// The listed pairs of `component` (occurrences included), from its
    /// `verified` pairs and guarded groups; `measure` verifies local pairs
    /// of the component at the threshold (those that pass, in order).
    pub(crate) fn component_pairs(
        &self,
        component: Component,
        verified: &[Verified],
        guarded: &Guarded,
        measure: impl FnOnce(Component) -> Vec<Verified>,
    ) -> Vec<Verified> {
        let members = component.members;
        let edges = verified
            .iter()
            .map(|v| (component.local(v.a) as usize, component.local(v.b) as usize));
        let groups = connected_groups(members.len(), edges);
        // Each member's representative (itself when the guard left it
        // alone or it is in no group).
        let mut representative: Vec<u32> = (0..members.len() as u32).collect();
        for (group, rep) in &guarded.groups {
            let rep = component.local(*rep);
            for &m in group {
                representative[component.local(m) as usize] = rep;
            }
        }
        // Which pairs of originals to measure, group by group.
        let mut wanted: Vec<(u32, u32)> = Vec::new();
        let mut listing: Vec<Option<Listing>> = vec![None; members.len()];
        for group in &groups {
            let size: usize = group.iter().map(|&l| self.occurrences(members[l])).sum();
            let how = self.listing(size);
            match how {
                Listing::Whole => {
                    for (i, &a) in group.iter().enumerate() {
                        wanted.extend(group[i + 1..].iter().map(|&b| (a as u32, b as u32)));
                    }
                }
                Listing::AgainstRepresentative => {
                    wanted.extend(group.iter().filter_map(|&l| {
                        let (l, rep) = (l as u32, representative[l]);
                        (rep != l).then(|| (rep.min(l), rep.max(l)))
                    }));
                }
            }
            for &l in group {
                listing[l] = Some(how);
            }
        }
        wanted.sort_unstable();
        let measured = measure(Component {
            members,
            pairs: LocalPairs::Listed(&wanted),
        });
        let mut out = Vec::with_capacity(measured.len());
        for v in &measured {
            match listing[component.local(v.a) as usize] {
                Some(Listing::Whole) => self.occurrence_pairs(v, &mut out),
                // Against the representative: the originals' pair only.
                _ => out.push(*v),
            }
        }
        for (l, &m) in members.iter().enumerate() {
            match listing[l] {
                None => self.alone(m, &mut out),
                Some(how) => self.copy_pairs(m, how, &mut out),
            }
        }
        out
    }

    /// The listed pairs of an original whose text has copies, in no
    /// verified pair: a cluster of its occurrences, itself the
    /// representative.
    pub(crate) fn alone(&self, original: Item, out: &mut Vec<Verified>) {
        let how = self.listing(self.occurrences(original));
        self.copy_pairs(original, how, out);
    }

    /// How a group of `size` documents is listed.
    fn listing(&self, size: usize) -> Listing {
        if size <= self.config.list_all_pairs_up_to {
            Listing::Whole
        } else {
            Listing::AgainstRepresentative
        }
    }

    fn occurrences(&self, original: Item) -> usize {
        1 + self.copies.copies_of(original).count()
    }

    /// Every pair of an occurrence of `v.a`'s text and one of `v.b`'s.
    fn occurrence_pairs(&self, v: &Verified, out: &mut Vec<Verified>) {
        let ys = self.copies.occurrences(v.b);
        for a in self.copies.occurrences(v.a) {
            out.extend(ys.iter().map(|&b| Verified { a, b, ..*v }));
        }
    }

    /// The pairs among the occurrences of one text: every pair, or each
    /// copy against the original.
    fn copy_pairs(&self, original: Item, how: Listing, out: &mut Vec<Verified>) {
        let all = self.copies.occurrences(original);
        let n = self.counts[original.index()];
        let identical = |a: Item, b: Item| Verified {
            a,
            b,
            overlap: Overlap {
                intersection: n,
                a_len: n,
                b_len: n,
            },
            estimate: self.identical_estimate,
        };
        for (i, &a) in all.iter().enumerate() {
            let with = if how == Listing::Whole || i == 0 {
                &all[i + 1..]
            } else {
                &[]
            };
            out.extend(with.iter().map(|&b| identical(a, b)));
        }
    }
}
