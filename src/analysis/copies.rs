//! What the analysis says of copies: how the members of a cluster differ
//! (canonical copy, kind of copy, redaction map, reconstruction, paragraph
//! alignment), and how any two documents compare ([`Explanation`]).
//!
//! Every position is a character range `[start, end)` in the document's
//! text as written (not the normalised text), so a reader can find it.

use serde::{Deserialize, Serialize};

use crate::align::HunkKind;

/// What kind of copies a cluster holds, from least to most changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// Only whitespace, punctuation, boilerplate, repeated paragraphs or
    /// edits within the tolerance differ.
    Verbatim,
    /// The differences are masks: a copy hid names, places or figures.
    Redacted,
    /// The same skeleton filled with different names, places or figures.
    Template,
    /// Real text was inserted, deleted or rewritten beyond the tolerance.
    Edited,
}

/// How one copy differs from the cluster's canonical copy, with the figures
/// its [`CopyKind`] was decided on. Character counts are in normalised
/// characters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CopyFigures {
    /// The copy's id.
    pub document: String,
    /// What kind of copy it is, and why.
    pub kind: Option<CopyKind>,
    /// One line giving the figures that decided `kind`.
    pub reason: String,
    /// Normalised characters of the canonical copy.
    pub canonical_chars: usize,
    /// Characters in aligned paragraphs that are equal.
    pub equal_chars: usize,
    /// Characters that differ only in punctuation or spacing.
    pub cosmetic_chars: usize,
    /// Characters the copy hides behind masks (counted on the side showing
    /// the value), and the number of such places.
    pub masked_chars: usize,
    /// Number of masked places.
    pub masked: usize,
    /// Characters in short substitutions (names, places, figures), and the
    /// number of them.
    pub substituted_chars: usize,
    /// Number of substitutions.
    pub substituted: usize,
    /// Characters inserted, deleted or rewritten, including paragraphs only
    /// one side has that are neither boilerplate nor repeats.
    pub edited_chars: usize,
    /// Characters of paragraphs only one side has that are boilerplate.
    pub boilerplate_chars: usize,
    /// Characters of paragraphs only one side has that repeat text found
    /// elsewhere in the same document (a teaser cut from the body).
    pub repeated_chars: usize,
    /// Paragraphs that moved relative to the canonical copy.
    pub moved_paragraphs: usize,
    /// Paragraphs the copy has and the canonical copy does not.
    pub inserted_paragraphs: usize,
    /// Paragraphs of the canonical copy the copy lacks.
    pub deleted_paragraphs: usize,
    /// Jaccard similarity of the two documents' paragraph shingles.
    pub jaccard: f64,
    /// The same after leaving out, on each side, the shingles that overlap
    /// what the other side masked: how similar the two are apart from what
    /// was hidden.
    pub redaction_aware_jaccard: f64,
}

/// One place where a document shows a mask and another shows a value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redaction {
    /// The document showing the mask.
    pub document: String,
    /// Where, in its text.
    pub range: [usize; 2],
    /// What it shows (for example `****`).
    pub masked: String,
    /// The document showing a value.
    pub other: String,
    /// Where, in its text.
    pub other_range: [usize; 2],
    /// The value (for example `2014`).
    pub value: String,
}

/// A document with its masks filled from the other members of its cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconstruction {
    /// The document.
    pub document: String,
    /// Its text with each mask replaced by the value every member showing a
    /// value agrees on; masks stay where members disagree or none shows one.
    pub text: String,
    /// Masked places filled.
    pub filled: usize,
    /// Masked places left because members showed different values.
    pub conflicting: usize,
    /// Masked places left because no member showed a value.
    pub unknown: usize,
}

/// One difference between aligned paragraphs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffHunk {
    /// What the difference is (`masked_in_a`: side a hid what b shows).
    pub kind: HunkKind,
    /// Characters on side a.
    pub a_range: [usize; 2],
    /// Text on side a, as written.
    pub a_text: String,
    /// Characters on side b.
    pub b_range: [usize; 2],
    /// Text on side b, as written.
    pub b_text: String,
}

/// How a member's paragraph stands to the canonical copy's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// This is the canonical copy's own paragraph.
    Canonical,
    /// Aligned, in order.
    Aligned,
    /// Aligned, but out of order: the paragraph moved.
    Moved,
    /// The canonical copy has no counterpart: inserted.
    Inserted,
}

/// One member's paragraph in an [`AlignedRow`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlignedParagraph {
    /// The member.
    pub document: String,
    /// Its paragraph index.
    pub paragraph: usize,
    /// Character range of the paragraph.
    pub range: [usize; 2],
    /// How it stands to the canonical copy.
    pub placement: Placement,
    /// Jaccard similarity with the canonical paragraph (1 for the canonical
    /// copy itself, 0 when inserted).
    pub jaccard: f64,
    /// Differences from the canonical paragraph: side a is the canonical
    /// copy, side b this member.
    pub hunks: Vec<DiffHunk>,
}

/// Paragraphs of every member that correspond to each other.
///
/// Rows follow the canonical copy's paragraphs; a paragraph a member has
/// and the canonical copy lacks gets its own row after the row of the
/// member's previous aligned paragraph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlignedRow {
    /// The canonical copy's paragraph, if it has one in this row.
    pub canonical_paragraph: Option<usize>,
    /// The members' paragraphs, canonical copy first, then by id.
    pub paragraphs: Vec<AlignedParagraph>,
    /// Members with no paragraph in this row (it was deleted in them).
    pub missing: Vec<String>,
}

/// The analysis of one cluster, reported under its keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CopyAnalysis {
    /// The least-redacted member, by the configured
    /// [`CanonicalPolicy`](super::CanonicalPolicy).
    pub canonical: String,
    /// The cluster's kind: the most changed of its copies' kinds.
    pub kind: CopyKind,
    /// Each other member against the canonical copy, sorted by id.
    pub copies: Vec<CopyFigures>,
    /// Every place where a member shows a mask and another shows a value,
    /// sorted by document, position, other document.
    pub redactions: Vec<Redaction>,
    /// Members that have masks, with the masks filled where possible.
    pub reconstructed: Vec<Reconstruction>,
    /// The members' paragraphs aligned to each other.
    pub alignments: Vec<AlignedRow>,
    /// Members whose text is, byte for byte, an earlier member's (by id):
    /// each is analysed through that member and appears nowhere else in
    /// the analysis, so that a thousand copies of one page cost one.
    #[serde(default)]
    pub identical: Vec<IdenticalText>,
}

/// A cluster member whose text is another member's, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdenticalText {
    /// The member.
    pub document: String,
    /// The first member (by id) with the same text.
    pub same_as: String,
}

/// Everything that explains why two documents were (or were not) found to
/// be copies: [`Deduplicator::explain`](crate::Deduplicator::explain).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The first document.
    pub a: String,
    /// The second document.
    pub b: String,
    /// Exact Jaccard similarity of the document shingle sets (as the
    /// pipeline verifies it).
    pub jaccard: f64,
    /// The fingerprint's estimate of it (`None` for the exact method).
    pub estimated_jaccard: Option<f64>,
    /// Share of `a`'s shingles found in `b`.
    pub containment_a_in_b: f64,
    /// Share of `b`'s shingles found in `a`.
    pub containment_b_in_a: f64,
    /// `b` against `a`, paragraph by paragraph: the figures, including the
    /// redaction-aware Jaccard, and the kind of copy `b` is of `a`.
    pub figures: CopyFigures,
    /// Aligned paragraph pairs, in `a`'s order, with their character diff.
    pub paragraphs: Vec<AlignedPair>,
    /// Paragraphs of `a` with no counterpart in `b`.
    pub only_a: Vec<usize>,
    /// Paragraphs of `b` with no counterpart in `a`.
    pub only_b: Vec<usize>,
}

/// Two aligned paragraphs of an [`Explanation`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlignedPair {
    /// Paragraph index in `a`.
    pub a_paragraph: usize,
    /// Its character range.
    pub a_range: [usize; 2],
    /// Paragraph index in `b`.
    pub b_paragraph: usize,
    /// Its character range.
    pub b_range: [usize; 2],
    /// Jaccard similarity of the two paragraphs.
    pub jaccard: f64,
    /// Whether the pair is out of order with the others.
    pub moved: bool,
    /// Their differences.
    pub hunks: Vec<DiffHunk>,
}

impl CopyKind {
    /// The kind as one lower-case word (`verbatim`, `redacted`, `template`,
    /// `edited`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CopyKind::Verbatim => "verbatim",
            CopyKind::Redacted => "redacted",
            CopyKind::Template => "template",
            CopyKind::Edited => "edited",
        }
    }
}
