//! Anchors: candidates for containment, which Jaccard-based indexes miss.
//!
//! A teaser cut from a paragraph plus an advertisement may share only 20% of
//! the union of their shingles (Jaccard 0.2) while 70% of the teaser lies in
//! the paragraph. MinHash LSH tuned for Jaccard does not find such a pair.
//!
//! Input: shingle sets. Output: pairs of sets that share at least one
//! *anchor*, a shingle whose hash falls in the lowest `1 / rate` of the hash
//! range (Broder's "mod-m" sampling: the same shingle is an anchor in every
//! set it occurs in). A pair sharing `s` shingles shares no anchor with
//! probability `(1 - 1/rate)^s`; with the default rate 4 and the default
//! containment rule (at least 60% of a 40-character paragraph, about 22
//! shingles) that is under 0.2%.
//!
//! An anchor found in more than `max_postings` sets is a phrase everybody
//! uses; pairing all its sets would be quadratic and say nothing, so it is
//! skipped. Pairs that share real text share rarer anchors too (see
//! DESIGN.md for the measurement). Below that, the sets sharing an anchor
//! are joined by every pair when they are few and by a star and a chain
//! otherwise ([`crate::bucket`]), so the candidates stay linear in the
//! postings.

use crate::bucket::bucket_edges_into;
use crate::check::at_least;
use crate::error::Result;

/// Settings of the anchor index.
///
/// # Examples
///
/// ```
/// use chachong::anchor::{anchor_pairs, AnchorConfig};
/// use chachong::shingle::Shingler;
/// use chachong::DocId;
///
/// let shingler = Shingler::new(5, 1);
/// let body = shingler.char_set("我们要自觉扛牢推进县域经济高质量发展的时代重任，坚持稳中求进工作总基调，全面深化改革开放。");
/// let teaser = shingler.char_set("自觉扛牢推进县域经济高质量发展的时代重任。下面是小编为您推荐的范文。");
/// let sets = [body.as_slice(), teaser.as_slice()];
/// let pairs = anchor_pairs(AnchorConfig::default(), sets.iter().enumerate().map(|(i, s)| (DocId::new(i), *s)));
/// assert_eq!(pairs, [(DocId::new(0), DocId::new(1))]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnchorConfig {
    /// One shingle in `rate` (by hash value) is an anchor (default 4).
    pub rate: u64,
    /// Anchors shared by more sets than this are skipped (default 100).
    pub max_postings: usize,
}

impl AnchorConfig {
    /// Checks every value.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// rate of 0.
    pub fn validate(&self) -> Result<()> {
        at_least("paragraph.anchors.rate", self.rate, 1)
    }
}

impl Default for AnchorConfig {
    fn default() -> AnchorConfig {
        AnchorConfig {
            rate: 4,
            max_postings: 100,
        }
    }
}

/// Pairs of sets sharing an anchor, as `(lower, higher)`, sorted, each
/// once: every pair of the sets sharing one anchor when they are at most
/// [`ALL_PAIRS_UP_TO`](crate::bucket::ALL_PAIRS_UP_TO), a star and a chain
/// in `Id` order beyond ([`bucket_edges_into`]), none beyond
/// `max_postings`. `Id` is the caller's name for a set (a
/// [`DocId`](crate::DocId), a paragraph number).
///
/// # Panics
///
/// If `params.rate` is 0.
pub fn anchor_pairs<'s, Id: Copy + Ord>(
    params: AnchorConfig,
    sets: impl IntoIterator<Item = (Id, &'s [u64])>,
) -> Vec<(Id, Id)> {
    assert!(params.rate > 0, "anchor rate must be at least 1");
    let limit = u64::MAX / params.rate;
    let mut postings: Vec<(u64, Id)> = Vec::new();
    for (id, set) in sets {
        // Sets are sorted, so the anchors are a prefix.
        postings.extend(set.iter().take_while(|&&h| h <= limit).map(|&h| (h, id)));
    }
    postings.sort_unstable();
    let mut out = Vec::new();
    let mut bucket = Vec::new();
    for run in postings.chunk_by(|x, y| x.0 == y.0) {
        if run.len() > params.max_postings {
            continue;
        }
        bucket.clear();
        bucket.extend(run.iter().map(|e| e.1));
        // A set holds an anchor once: `bucket` has no repeats.
        bucket_edges_into(&bucket, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::DocId;

    #[test]
    fn frequent_anchor_is_skipped() {
        let shared = [0u64, 1];
        let sets = [&shared[..]; 3];
        let params = AnchorConfig {
            rate: 1,
            max_postings: 2,
        };
        let pairs = anchor_pairs(
            params,
            sets.iter().enumerate().map(|(i, s)| (DocId::new(i), *s)),
        );
        assert!(pairs.is_empty());
    }

    #[test]
    fn rate_one_pairs_any_shared_shingle() {
        let (a, b, c) = ([5u64, 9], [9u64, 11], [12u64]);
        let sets = [&a[..], &b[..], &c[..]];
        let pairs = anchor_pairs(
            AnchorConfig {
                rate: 1,
                max_postings: 10,
            },
            sets.iter().enumerate().map(|(i, s)| (DocId::new(i), *s)),
        );
        assert_eq!(pairs, [(DocId::new(0), DocId::new(1))]);
    }
}
