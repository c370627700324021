//! Paragraph matches: when two paragraphs are copies, and of which kind.
//!
//! Input: the exact [`Overlap`] of two paragraphs' shingle sets, the
//! similarity the threshold is applied to, and each paragraph's length and
//! hidden shingles. Output: a [`MatchKind`], or none.
//!
//! Two rules. A *contained* paragraph lies mostly inside a longer one that
//! has substantial text of its own: a teaser cut from a paragraph plus an
//! advertisement, or a paragraph grown by a sentence; Jaccard cannot see it
//! (a 40-character teaser inside a 300-character paragraph has Jaccard about
//! 0.15), so candidates come from [anchors](crate::anchor) as well as LSH.
//! Otherwise two paragraphs are *similar* when both are long enough to be
//! evidence and their Jaccard similarity reaches the paragraph threshold.
//! The length guards keep a 20-character heading that shares a phrase with
//! a long paragraph from being called a copy.

use serde::{Deserialize, Serialize};

use crate::anchor::AnchorConfig;
use crate::check::{closed_unit_interval, unit_interval};
use crate::error::Result;
use crate::verify::Overlap;

/// Paragraph-level settings.
///
/// A paragraph pair is reported as *contained* when the shorter one has at
/// least `containment_min_chars` characters, at least
/// `containment_threshold` of its shingles lie in the longer one, and at
/// least `containment_extra` of the longer one's shingles lie outside it: a
/// teaser cut from a paragraph plus an ad, or a paragraph grown by a
/// sentence. Otherwise it is reported as *similar* when both have at least
/// `min_chars` characters after normalisation and their Jaccard similarity
/// is at least `jaccard_threshold`.
///
/// # Examples
///
/// ```
/// use chachong::Config;
/// use chachong::paragraph::ParagraphConfig;
///
/// let config = Config::default().with_paragraph(ParagraphConfig {
///     min_chars: 20,
///     ..ParagraphConfig::default()
/// });
/// assert_eq!(config.paragraph().min_chars, 20);
/// assert_eq!(config.paragraph().jaccard_threshold, 0.5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParagraphConfig {
    /// Paragraphs shorter than this (in normalised characters) are not
    /// evidence of copying (default 10; 「同志们：」 has 4).
    pub min_chars: usize,
    /// Jaccard threshold for paragraph pairs (default 0.5).
    pub jaccard_threshold: f64,
    /// Share of the shorter paragraph's shingles that must lie in the longer
    /// one for a containment match (default 0.6).
    pub containment_threshold: f64,
    /// The shorter paragraph of a containment match has at least this many
    /// characters (default 40).
    pub containment_min_chars: usize,
    /// Share of the longer paragraph's shingles that must lie outside the
    /// shorter for a containment match (default 0.2); two paragraphs that
    /// hold each other are similar, not contained.
    pub containment_extra: f64,
    /// The anchor index that finds containment candidates.
    pub anchors: AnchorConfig,
}

impl Default for ParagraphConfig {
    fn default() -> ParagraphConfig {
        ParagraphConfig {
            min_chars: 10,
            jaccard_threshold: 0.5,
            containment_threshold: 0.6,
            containment_min_chars: 40,
            containment_extra: 0.2,
            anchors: AnchorConfig::default(),
        }
    }
}

impl ParagraphConfig {
    /// Checks every value; the error names the first bad field.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// threshold outside (0, 1], a share outside [0, 1] or an anchor rate
    /// of 0.
    pub fn validate(&self) -> Result<()> {
        unit_interval("paragraph.jaccard_threshold", self.jaccard_threshold)?;
        unit_interval(
            "paragraph.containment_threshold",
            self.containment_threshold,
        )?;
        closed_unit_interval("paragraph.containment_extra", self.containment_extra)?;
        self.anchors.validate()
    }
}

/// Why two paragraphs were matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// Jaccard similarity at or above the paragraph threshold.
    Similar,
    /// The shorter paragraph lies mostly in the longer one, which has
    /// substantial text of its own (a teaser cut from a paragraph plus an
    /// ad); see [`ParagraphConfig`].
    Contained,
}

/// What the rule needs to know of one paragraph beyond its shingles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    /// Length in normalised characters.
    pub chars: usize,
    /// Shingles a mask kept out of its set (what a redacted copy hid).
    pub hidden: usize,
}

/// The kind of match two paragraphs make, if any.
///
/// `overlap` is their exact overlap (side a, side b), `similarity` the
/// figure the Jaccard threshold is applied to (the exact Jaccard, or the
/// fingerprint's estimate when the config verifies by estimate). The
/// shorter side is the one with fewer shingles; ties go by length, then by
/// hidden shingles, never by position, so swapping the sides changes
/// nothing. The longer paragraph's shingles that the shorter one hid behind
/// masks are not counted as text the longer one has of its own.
///
/// # Examples
///
/// ```
/// use chachong::paragraph::{match_kind, Extent, MatchKind, ParagraphConfig};
/// use chachong::verify::Overlap;
///
/// let config = ParagraphConfig::default();
/// // A 60-character teaser whose 56 shingles all lie in a 200-character paragraph.
/// let teaser = Overlap { a_len: 56, b_len: 196, intersection: 56 };
/// let (short, long) = (Extent { chars: 60, hidden: 0 }, Extent { chars: 200, hidden: 0 });
/// assert_eq!(match_kind(&config, &teaser, teaser.jaccard(), short, long), Some(MatchKind::Contained));
/// // A heading of 8 characters is too short to be evidence either way.
/// let heading = Overlap { a_len: 4, b_len: 4, intersection: 4 };
/// let tiny = Extent { chars: 8, hidden: 0 };
/// assert_eq!(match_kind(&config, &heading, 1.0, tiny, tiny), None);
/// ```
pub fn match_kind(
    config: &ParagraphConfig,
    overlap: &Overlap,
    similarity: f64,
    a: Extent,
    b: Extent,
) -> Option<MatchKind> {
    let o = overlap;
    let similar =
        a.chars.min(b.chars) >= config.min_chars && similarity >= config.jaccard_threshold;
    let shorter = if (o.a_len, a.chars, a.hidden) <= (o.b_len, b.chars, b.hidden) {
        a
    } else {
        b
    };
    let visible = (o.a_len.max(o.b_len).saturating_sub(shorter.hidden)).max(o.intersection);
    let extra = 1.0 - o.intersection as f64 / visible.max(1) as f64;
    let contained = shorter.chars >= config.containment_min_chars
        && o.containment_of_smaller() >= config.containment_threshold
        && extra >= config.containment_extra;
    if contained {
        Some(MatchKind::Contained)
    } else if similar {
        Some(MatchKind::Similar)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Extent = Extent {
        chars: 100,
        hidden: 0,
    };

    macro_rules! t {
        ($name:ident, $overlap:expr, $similarity:expr, $a:expr, $b:expr, $want:expr) => {
            #[test]
            fn $name() {
                let config = ParagraphConfig::default();
                let o: Overlap = $overlap;
                assert_eq!(match_kind(&config, &o, $similarity, $a, $b), $want);
                // The sides can be swapped.
                let swapped = Overlap {
                    a_len: o.b_len,
                    b_len: o.a_len,
                    intersection: o.intersection,
                };
                assert_eq!(match_kind(&config, &swapped, $similarity, $b, $a), $want);
            }
        };
    }

    const fn overlap(a_len: usize, b_len: usize, intersection: usize) -> Overlap {
        Overlap {
            a_len,
            b_len,
            intersection,
        }
    }

    t!(
        equal_paragraphs_are_similar,
        overlap(96, 96, 96),
        1.0,
        PLAIN,
        PLAIN,
        Some(MatchKind::Similar)
    );
    t!(
        below_the_threshold_is_nothing,
        overlap(96, 96, 40),
        0.26,
        PLAIN,
        PLAIN,
        None
    );
    t!(
        holding_each_other_is_similar_not_contained,
        overlap(90, 96, 90),
        0.94,
        PLAIN,
        PLAIN,
        Some(MatchKind::Similar)
    );
    t!(
        a_short_teaser_is_not_contained,
        overlap(20, 200, 20),
        0.1,
        Extent {
            chars: 24,
            hidden: 0
        },
        Extent {
            chars: 204,
            hidden: 0
        },
        None
    );
    t!(
        what_the_shorter_hid_is_not_extra_text,
        // The shorter side hid 30 shingles behind masks that the longer shows.
        overlap(66, 100, 66),
        0.66,
        Extent {
            chars: 100,
            hidden: 30
        },
        PLAIN,
        Some(MatchKind::Similar)
    );
}
