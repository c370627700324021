//! How far a step that can be bounded goes: over everything, or over at
//! most so many items.
//!
//! A run over a corpus wants a report whose cost and size stay bounded
//! whatever the corpus; an analyst wants everything. The steps that serve
//! the report more than the clusters (learning the boilerplate, analysing
//! each cluster) take an [`Extent`], whose [`Auto`](Extent::Auto) the
//! pipeline resolves by what the run compares.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

/// A corpus run bounds a step to one item in this many
/// ([`Extent::corpus_bound`]).
pub const CORPUS_SHARE: usize = 100;

/// How many items a bounded step covers.
///
/// In JSON: `"auto"`, `"all"`, or `{"at_most": 5000}`.
///
/// # Examples
///
/// ```
/// use chachong::Extent;
///
/// // `Auto` takes the step's own default, here "at most 1,000".
/// assert_eq!(Extent::Auto.bound(Some(1_000)), Some(1_000));
/// assert_eq!(Extent::All.bound(Some(1_000)), None);
/// assert_eq!(Extent::AtMost(10).bound(None), Some(10));
/// let e: Extent = serde_json::from_str(r#"{"at_most": 5000}"#).unwrap();
/// assert_eq!(e, Extent::AtMost(5000));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Extent {
    /// The step's own default: bounded at the document level alone (a run
    /// over a corpus), everything when paragraphs are compared (an
    /// analyst's run).
    #[default]
    Auto,
    /// Every item.
    All,
    /// At most this many items.
    AtMost(usize),
}

impl Extent {
    /// The largest number of items covered, `None` for all of them;
    /// `auto` is what [`Auto`](Extent::Auto) stands for in this run.
    pub fn bound(self, auto: Option<usize>) -> Option<usize> {
        match self {
            Extent::Auto => auto,
            Extent::All => None,
            Extent::AtMost(n) => Some(n),
        }
    }

    /// What [`Auto`](Extent::Auto) stands for in a corpus run over `n`
    /// items: one in [`CORPUS_SHARE`], within `range`, so the bounded
    /// steps cost a small share of the run at any size and a fixed amount
    /// past the range's end.
    ///
    /// ```
    /// use chachong::Extent;
    ///
    /// assert_eq!(Extent::corpus_bound(1_500, 200..=2_000), 200);
    /// assert_eq!(Extent::corpus_bound(50_000, 200..=2_000), 500);
    /// assert_eq!(Extent::corpus_bound(10_000_000, 200..=2_000), 2_000);
    /// ```
    pub fn corpus_bound(n: usize, range: RangeInclusive<usize>) -> usize {
        (n / CORPUS_SHARE).clamp(*range.start(), *range.end())
    }
}
