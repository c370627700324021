//! Revisions: documents that share much of their text in the same order,
//! through text of their own.
//!
//! Input: the passages two documents share (ranges on both sides, in
//! folded characters, with their content and their boilerplate). Output:
//! whether one is a revision of the other, and the figures that say so.
//!
//! An amended regulation keeps most of its articles, in order, with edits
//! inside some of them, articles inserted and articles dropped; its
//! Jaccard with the version before is 0.5–0.8, lower after a heavy rewrite,
//! so it is no near-duplicate. What says *revision* is the order: of the
//! passages the two share, the heaviest chain that runs forward in both
//! ([`in_order`]) covers much of each, and nearly all the shared text lies
//! on it. Two regulations filled from one template share as much in the
//! same order, and as little of it is their own: on the law corpus the
//! text 嘉兴's and 丽水's 制定地方性法规条例 share is 90% boilerplate, and so
//! is that of 立法法's versions, whose articles other laws quote. What
//! tells them apart is the name: a revision keeps its title (the first
//! paragraph, 「中华人民共和国立法法」), or nearly (「最高人民法院关于…」 became
//! 「关于…」), and a document filled from a template has its own
//! (「嘉兴市…」, 「丽水市…」). 516 of the corpus's 519 pairs of versions
//! have the same first line, and no two regulations do
//! ([`RevisionConfig::min_title_similarity`]).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::check::{closed_unit_interval, unit_interval};
use crate::error::Result;
use crate::redact::is_content;

/// When two documents are revisions of one another.
///
/// # Examples
///
/// ```
/// use chachong::revision::RevisionConfig;
///
/// let config = RevisionConfig::default();
/// assert!(config.enabled);
/// assert_eq!(config.min_coverage, 0.5);
/// assert!(config.validate().is_ok());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RevisionConfig {
    /// Look for revisions (default `true`). They come from the passages,
    /// so they need [`PassageConfig::enabled`](crate::passage::PassageConfig::enabled)
    /// and a level with paragraphs.
    pub enabled: bool,
    /// The shared text in order covers at least this share of the letters,
    /// digits and ideographs of the more covered document (default 0.5).
    pub min_coverage: f64,
    /// ... and at least this share of the other's (default 0.2: a version
    /// that grew to three times its length is still a revision).
    pub min_other_coverage: f64,
    /// At least this share of the shared text lies on the chain that runs
    /// forward in both (default 0.8).
    pub min_order: f64,
    /// The two titles (first paragraphs) have at least this Jaccard
    /// similarity of their character pairs (default 0.9; 0 turns the test
    /// off, for texts without titles). 「嘉兴市制定地方性法规条例」 and
    /// 「绍兴市制定地方性法规条例」 have 0.83 (10 of 12 pairs), 嘉兴's and
    /// 丽水's 0.69; punctuation does not count, so 「最高人民法院、最高人民检察院关于…」
    /// and 「最高人民法院最高人民检察院关于…」 are one title.
    pub min_title_similarity: f64,
}

impl Default for RevisionConfig {
    fn default() -> RevisionConfig {
        RevisionConfig {
            enabled: true,
            min_coverage: 0.5,
            min_other_coverage: 0.2,
            min_order: 0.8,
            min_title_similarity: 0.9,
        }
    }
}

impl RevisionConfig {
    /// Checks every value; the error names the first bad field.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// coverage or an order outside (0, 1], or a title similarity outside
    /// [0, 1].
    pub fn validate(&self) -> Result<()> {
        unit_interval("revisions.min_coverage", self.min_coverage)?;
        unit_interval("revisions.min_other_coverage", self.min_other_coverage)?;
        unit_interval("revisions.min_order", self.min_order)?;
        closed_unit_interval("revisions.min_title_similarity", self.min_title_similarity)
    }

    /// Whether `shared` makes a revision.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::revision::{RevisionConfig, Shared};
    ///
    /// let amended = Shared {
    ///     a_coverage: 0.7,
    ///     b_coverage: 0.6,
    ///     order: 0.95,
    ///     boilerplate: 0.9,
    ///     title_similarity: 1.0,
    /// };
    /// assert!(RevisionConfig::default().judge(&amended));
    /// let template = Shared { title_similarity: 0.6, ..amended };
    /// assert!(!RevisionConfig::default().judge(&template));
    /// ```
    pub fn judge(&self, shared: &Shared) -> bool {
        let (more, less) = if shared.a_coverage >= shared.b_coverage {
            (shared.a_coverage, shared.b_coverage)
        } else {
            (shared.b_coverage, shared.a_coverage)
        };
        more >= self.min_coverage
            && less >= self.min_other_coverage
            && shared.order >= self.min_order
            && shared.title_similarity >= self.min_title_similarity
    }
}

/// What two documents share, measured on the chain of their passages that
/// runs forward in both.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shared {
    /// Share of the first document's content on the chain.
    pub a_coverage: f64,
    /// Share of the second document's content on the chain.
    pub b_coverage: f64,
    /// Share of all the shared content that lies on the chain.
    pub order: f64,
    /// Share of the chain's content that boilerplate covers (reported,
    /// not judged: see the [module docs](self)).
    pub boilerplate: f64,
    /// [`title_similarity`] of the two documents' titles.
    pub title_similarity: f64,
}

/// Characters of a first paragraph that make its title: a document whose
/// first paragraph is body text is compared on its opening.
pub const TITLE_CHARS: usize = 200;

/// Jaccard similarity of the sets of adjacent character pairs of two
/// titles, content only (a title of one character is its own pair).
///
/// # Examples
///
/// ```
/// use chachong::revision::title_similarity;
///
/// let chars = |s: &str| s.chars().collect::<Vec<char>>();
/// let (jiaxing, lishui) = (chars("嘉兴市制定地方性法规条例"), chars("丽水市制定地方性法规条例"));
/// assert_eq!(title_similarity(&jiaxing, &jiaxing), 1.0);
/// assert!((title_similarity(&jiaxing, &lishui) - 9.0 / 13.0).abs() < 1e-9);
/// ```
pub fn title_similarity(a: &[char], b: &[char]) -> f64 {
    let pairs = |title: &[char]| {
        let content: Vec<char> = title.iter().copied().filter(|&c| is_content(c)).collect();
        let mut pairs: Vec<(char, char)> = match content.as_slice() {
            [only] => vec![(*only, *only)],
            _ => content.windows(2).map(|w| (w[0], w[1])).collect(),
        };
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    };
    let (pa, pb) = (pairs(a), pairs(b));
    if pa.is_empty() && pb.is_empty() {
        return 1.0;
    }
    let shared = pa.iter().filter(|p| pb.binary_search(p).is_ok()).count();
    shared as f64 / (pa.len() + pb.len() - shared) as f64
}

/// The heaviest chain of `spans` (each a range on side a, a range on side
/// b and a weight) that runs forward on both sides, as indices into
/// `spans` in order; ranges on one side do not overlap. `O(n log n)`: a
/// document's hundreds of shared articles are one sort and one sweep.
///
/// # Examples
///
/// ```
/// use chachong::revision::in_order;
///
/// // The second span moved backwards on side b: the chain skips it.
/// let spans = [(0..10, 0..10, 10), (20..30, 50..60, 10), (40..70, 20..50, 30)];
/// assert_eq!(in_order(&spans), [0, 2]);
/// ```
pub fn in_order(spans: &[(Range<usize>, Range<usize>, usize)]) -> Vec<usize> {
    let mut by_a: Vec<usize> = (0..spans.len()).collect();
    by_a.sort_by_key(|&i| (spans[i].0.start, spans[i].1.start));
    // Ends on side b, sorted: a span may follow one whose b range ends at
    // or before its own b start.
    let mut ends: Vec<usize> = spans.iter().map(|s| s.1.end).collect();
    ends.sort_unstable();
    ends.dedup();
    // A Fenwick tree over `ends` of (best chain weight, its last span).
    let mut tree: Vec<(usize, usize)> = vec![(0, usize::MAX); ends.len() + 1];
    let mut before = vec![usize::MAX; spans.len()];
    let mut best = (0, usize::MAX);
    for &i in &by_a {
        let (_, b, weight) = &spans[i];
        // Best chain among spans whose b range ends by this one's start.
        let mut at = ends.partition_point(|&e| e <= b.start);
        let mut prior = (0, usize::MAX);
        while at > 0 {
            prior = prior.max(tree[at]);
            at &= at - 1;
        }
        before[i] = prior.1;
        let chain = (prior.0 + weight, i);
        best = best.max(chain);
        let mut at = ends.partition_point(|&e| e < b.end) + 1;
        while at < tree.len() {
            tree[at] = tree[at].max(chain);
            at += at & at.wrapping_neg();
        }
    }
    let mut chain = Vec::new();
    let mut at = best.1;
    while at != usize::MAX {
        chain.push(at);
        at = before[at];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_runs_forward_on_both_sides() {
        // Articles 1..5 kept in order, one moved to the front on side b.
        let spans = [
            (0..10, 10..20, 10),
            (10..20, 20..30, 10),
            (20..30, 0..10, 5),
            (30..40, 30..40, 10),
        ];
        assert_eq!(in_order(&spans), [0, 1, 3]);
        assert!(in_order(&[]).is_empty());
        // The heavier of two crossing spans wins.
        let crossing = [(0..10, 20..30, 8), (20..30, 0..10, 9)];
        assert_eq!(in_order(&crossing), [1]);
    }

    #[test]
    fn the_chain_is_the_heaviest_one() {
        // Brute force over every subset of a few spans.
        let spans = [
            (0..4, 9..12, 3),
            (5..9, 0..3, 4),
            (10..12, 4..6, 2),
            (13..20, 13..20, 7),
            (21..22, 6..8, 1),
        ];
        let forward = |set: &[usize]| {
            set.windows(2).all(|w| {
                spans[w[0]].0.end <= spans[w[1]].0.start && spans[w[0]].1.end <= spans[w[1]].1.start
            })
        };
        let mut heaviest = 0;
        for mask in 0u32..32 {
            let set: Vec<usize> = (0..5).filter(|i| mask & (1 << i) != 0).collect();
            if forward(&set) {
                heaviest = heaviest.max(set.iter().map(|&i| spans[i].2).sum::<usize>());
            }
        }
        let chain = in_order(&spans);
        assert!(forward(&chain));
        assert_eq!(chain.iter().map(|&i| spans[i].2).sum::<usize>(), heaviest);
    }

    #[test]
    fn bad_revision_settings_name_their_field() {
        let bad = |config: RevisionConfig| config.validate().unwrap_err().to_string();
        let default = RevisionConfig::default();
        let order = RevisionConfig {
            min_order: 0.0,
            ..default
        };
        assert!(bad(order).contains("revisions.min_order"));
        let title = RevisionConfig {
            min_title_similarity: -0.1,
            ..default
        };
        assert!(bad(title).contains("revisions.min_title_similarity"));
    }
}
