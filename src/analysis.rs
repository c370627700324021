//! Analysis of copies: for a cluster, the canonical copy, what each copy
//! changed or hid, what the hidden text was, and which paragraphs went
//! where.
//!
//! Input: the members of one cluster, each seen as its paragraphs,
//! normalised and mask-folded ([`crate::redact`]), with each folded
//! character's place in the original text. Output: a [`CopyAnalysis`].
//!
//! Each member is aligned to the canonical copy ([`crate::align`]):
//! paragraphs paired by Jaccard similarity, then a character diff inside
//! each pair, whose hunks are masks, substitutions, cosmetic changes or
//! edits. Those figures decide the [`CopyKind`]; the masked hunks against
//! every other member make the redaction map, and where the members that
//! show a value agree, the reconstruction fills it in.

use std::cmp::Ordering;
use std::ops::{Range, RangeInclusive};

use serde::{Deserialize, Serialize};

mod copies;
mod reconstruct;
mod rows;

pub use self::copies::{
    AlignedPair, AlignedParagraph, AlignedRow, CopyAnalysis, CopyFigures, CopyKind, DiffHunk,
    Explanation, IdenticalText, Placement, Reconstruction, Redaction,
};

use self::reconstruct::{reconstruct, Fill};
use self::rows::{diff_hunk, range_of, rows};
use crate::align::{
    align_on, diff_chars, DiffConfig, Hunk, HunkKind, ParagraphAlignment, ParagraphPostings,
};
use crate::boilerplate::{coverage, covered_share};
use crate::check::{closed_unit_interval, unit_interval};
use crate::error::Result;
use crate::extent::Extent;
use crate::prehashed::HashedSet;
use crate::prepare::{DocumentView, ParagraphView};
use crate::shingle::Shingler;
use crate::verify::Overlap;

/// Which member of a cluster is its canonical copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CanonicalPolicy {
    /// The member with the fewest masked places (default); ties go to the
    /// longer, then to the smaller id.
    #[default]
    FewestMasks,
    /// The longest member (in normalised characters); ties to the smaller id.
    Longest,
    /// The member with the smallest id (for ids that sort by date or
    /// version).
    SmallestId,
    /// The member that comes first in the input (the first seen, as a
    /// crawl keeps the page it fetched first). Unlike the others, this
    /// choice depends on the input's order.
    First,
}

/// What a candidate for canonical copy is judged by.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CanonicalFacts<'a> {
    /// Masked places.
    pub(crate) masks: usize,
    /// Its length (the analysis counts content outside boilerplate).
    pub(crate) length: usize,
    /// Where it first comes in the input.
    pub(crate) position: usize,
    pub(crate) id: &'a str,
}

impl CanonicalPolicy {
    /// `Less` when `a` is the better canonical copy by this policy; ties
    /// go to the smaller id.
    pub(crate) fn order(self, a: &CanonicalFacts, b: &CanonicalFacts) -> Ordering {
        let longer = b.length.cmp(&a.length);
        let by_policy = match self {
            CanonicalPolicy::FewestMasks => a.masks.cmp(&b.masks).then(longer),
            CanonicalPolicy::Longest => longer,
            CanonicalPolicy::SmallestId => Ordering::Equal,
            CanonicalPolicy::First => a.position.cmp(&b.position),
        };
        by_policy.then_with(|| a.id.cmp(b.id))
    }
}

/// Settings of the cluster analysis.
///
/// # Examples
///
/// ```
/// use chachong::analysis::{AnalysisConfig, CanonicalPolicy};
///
/// let config = AnalysisConfig::default();
/// assert!(config.enabled);
/// assert_eq!(config.canonical, CanonicalPolicy::FewestMasks);
/// assert_eq!(config.edit_tolerance, 0.02);
/// assert!(config.validate().is_ok());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisConfig {
    /// Analyse clusters at all (default `true`).
    pub enabled: bool,
    /// How the canonical copy is chosen.
    pub canonical: CanonicalPolicy,
    /// Paragraphs of two members are aligned when their Jaccard similarity
    /// is at least this (default 0.5).
    pub align_min_jaccard: f64,
    /// A copy whose edited characters are at most this share of the
    /// canonical copy's letters and digits is not labelled
    /// [`CopyKind::Edited`] (default 0.02).
    pub edit_tolerance: f64,
    /// A paragraph only one member has counts as repeated text, not as an
    /// edit, when at least this share of its shingles occurs elsewhere in
    /// the same document (default 0.6: a teaser cut from the body).
    pub repeat_containment: f64,
    /// In clusters of at most this many members (default 20), each member's
    /// masks are compared with every other member; in larger ones, with the
    /// canonical copy only.
    pub max_pairwise_members: usize,
    /// The character diff.
    pub diff: DiffConfig,
    /// Which clusters are analysed (default [`Extent::Auto`]: at the
    /// document level alone the first one in a hundred in report order,
    /// within [`SUMMARY_CLUSTERS`],
    /// where a corpus run wants a bounded report; every cluster when
    /// paragraphs are compared), and of those only clusters of at most
    /// [`LARGEST_ANALYSED`] distinct texts when the bound is not
    /// [`Extent::All`]. The others are reported without an analysis: their
    /// canonical copy is still chosen by [`canonical`](Self::canonical).
    pub clusters: Extent,
}

/// Clusters analysed at the document level alone by default
/// ([`AnalysisConfig::clusters`]): one in
/// [`CORPUS_SHARE`](crate::extent::CORPUS_SHARE) within this range
/// ([`Extent::corpus_bound`]), the first in report order.
pub const SUMMARY_CLUSTERS: RangeInclusive<usize> = 10..=100;

/// When the clusters analysed are bounded ([`AnalysisConfig::clusters`] not
/// [`Extent::All`], or `auto` at the document level alone), a cluster of
/// more distinct texts than this is not analysed: its analysis views and
/// aligns every one of them, as much as the rest of a corpus run costs
/// (20,000 near-identical pages: 5 of 6 seconds).
pub const LARGEST_ANALYSED: usize = 1_000;

impl Default for AnalysisConfig {
    fn default() -> AnalysisConfig {
        AnalysisConfig {
            enabled: true,
            canonical: CanonicalPolicy::FewestMasks,
            align_min_jaccard: 0.5,
            edit_tolerance: 0.02,
            repeat_containment: 0.6,
            max_pairwise_members: 20,
            diff: DiffConfig::default(),
            clusters: Extent::Auto,
        }
    }
}

impl AnalysisConfig {
    /// Checks every value; the error names the first bad field.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// similarity or share out of range, or a diff bound of 0.
    pub fn validate(&self) -> Result<()> {
        unit_interval("analysis.align_min_jaccard", self.align_min_jaccard)?;
        closed_unit_interval("analysis.edit_tolerance", self.edit_tolerance)?;
        unit_interval("analysis.repeat_containment", self.repeat_containment)?;
        self.diff.validate()
    }
}

/// Analyses clusters and pairs of documents from their views.
#[derive(Debug)]
pub(crate) struct Analyzer<'p> {
    pub(crate) shingler: &'p Shingler,
    pub(crate) config: &'p AnalysisConfig,
    /// Boilerplate shingles (empty when none are known).
    pub(crate) boilerplate: &'p HashedSet,
    /// Coverage at which a paragraph is boilerplate.
    pub(crate) boilerplate_coverage: f64,
}

/// A member as the analysis compares it: its view and each paragraph's set.
struct Member<'v, 'd> {
    view: &'v DocumentView<'d>,
    /// Sorted distinct window hashes of each paragraph; for a paragraph
    /// with none (all masks and short stretches), the shingles of its folded
    /// text, so that it can still be aligned.
    sets: Vec<Vec<u64>>,
    /// Every paragraph's set, concatenated and sorted.
    all_sets: Vec<u64>,
    /// The sets' postings, for aligning other members with this one.
    postings: ParagraphPostings,
}

/// Paragraph alignment and per-pair hunks of two documents.
pub(crate) struct PairDiff {
    pub(crate) alignment: ParagraphAlignment,
    pub(crate) hunks: Vec<Vec<Hunk>>,
}

impl Analyzer<'_> {
    fn member<'v, 'd>(&self, view: &'v DocumentView<'d>) -> Member<'v, 'd> {
        let sets: Vec<Vec<u64>> = view
            .paragraphs
            .iter()
            .map(|p| {
                let mut set: Vec<u64> = p.windows.iter().map(|w| w.1).collect();
                set.sort_unstable();
                set.dedup();
                if set.is_empty() {
                    set = self.shingler.char_set(&p.chars.iter().collect::<String>());
                }
                set
            })
            .collect();
        let mut all_sets: Vec<u64> = sets.iter().flatten().copied().collect();
        all_sets.sort_unstable();
        Member {
            view,
            postings: ParagraphPostings::of(&sets),
            sets,
            all_sets,
        }
    }

    /// Which characters of the paragraph boilerplate shingles cover.
    fn covered(&self, p: &ParagraphView) -> Vec<bool> {
        coverage(
            &p.windows,
            p.chars.len(),
            self.shingler.shingle_len(),
            |h| self.boilerplate.contains(&h),
        )
    }

    /// Whether paragraph `p` is boilerplate as a whole.
    fn is_boilerplate(&self, p: &ParagraphView) -> bool {
        covered_share(&p.chars, &self.covered(p), 0..p.chars.len()) >= self.boilerplate_coverage
    }

    fn diff(&self, a: &Member, b: &Member) -> PairDiff {
        let a_hidden: Vec<usize> = a.view.paragraphs.iter().map(|p| p.hidden).collect();
        let b_hidden: Vec<usize> = b.view.paragraphs.iter().map(|p| p.hidden).collect();
        let alignment = align_on(
            &a.sets,
            (&b.sets, &b.postings),
            (&a_hidden, &b_hidden),
            self.config.align_min_jaccard,
        );
        let hunks = alignment
            .pairs
            .iter()
            .map(|pair| {
                diff_chars(
                    &a.view.paragraphs[pair.a].chars,
                    &b.view.paragraphs[pair.b].chars,
                    &self.config.diff,
                )
            })
            .collect();
        PairDiff { alignment, hunks }
    }

    /// How `b` differs from `a` (the canonical side).
    fn figures(&self, a: &Member, b: &Member, diff: &PairDiff) -> CopyFigures {
        let mut f = CopyFigures {
            document: b.view.doc.id().to_string(),
            canonical_chars: a.view.content_chars(),
            ..CopyFigures::default()
        };
        let (drop_a, drop_b) = aligned_figures(&mut f, a.view, diff);
        f.deleted_paragraphs += diff.alignment.only_a.len();
        f.inserted_paragraphs += diff.alignment.only_b.len();
        for (member, unmatched) in [(a, &diff.alignment.only_a), (b, &diff.alignment.only_b)] {
            for &j in unmatched {
                let p = &member.view.paragraphs[j];
                let chars = p.content_chars();
                if self.is_boilerplate(p) {
                    f.boilerplate_chars += chars;
                } else if self.repeats(member, j) {
                    f.repeated_chars += chars;
                } else {
                    f.edited_chars += chars;
                }
            }
        }
        let len = self.shingler.shingle_len();
        let plain = Overlap::of(
            &shingles_without(a.view, &[], len),
            &shingles_without(b.view, &[], len),
        );
        f.jaccard = plain.jaccard();
        f.redaction_aware_jaccard = Overlap::of(
            &shingles_without(a.view, &drop_a, len),
            &shingles_without(b.view, &drop_b, len),
        )
        .jaccard();
        let (kind, reason) = self.kind(&f);
        f.kind = Some(kind);
        f.reason = reason;
        f
    }

    /// Whether paragraph `j` of `member` mostly repeats text found in the
    /// document's other paragraphs (a teaser cut from the body).
    fn repeats(&self, member: &Member, j: usize) -> bool {
        let set = &member.sets[j];
        if set.is_empty() {
            return false;
        }
        // Each paragraph's set is deduplicated, so a shingle of paragraph j
        // occurs elsewhere when it occurs in `all_sets` more than once.
        let elsewhere = set
            .iter()
            .filter(|h| {
                let start = member.all_sets.partition_point(|x| x < h);
                member.all_sets.get(start + 1) == Some(h)
            })
            .count();
        elsewhere as f64 / set.len() as f64 >= self.config.repeat_containment
    }

    /// The kind of copy the figures show, and the line saying why.
    fn kind(&self, f: &CopyFigures) -> (CopyKind, String) {
        let share = f.edited_chars as f64 / f.canonical_chars.max(1) as f64;
        let edits = format!(
            "{} edited chars ({:.1}% of the canonical copy, tolerance {:.1}%)",
            f.edited_chars,
            share * 100.0,
            self.config.edit_tolerance * 100.0
        );
        if share > self.config.edit_tolerance {
            (CopyKind::Edited, edits)
        } else if f.substituted_chars > f.masked_chars {
            let reason = format!(
                "{} substitutions ({} chars) outweigh {} masked places ({} chars); {edits}",
                f.substituted, f.substituted_chars, f.masked, f.masked_chars
            );
            (CopyKind::Template, reason)
        } else if f.masked > 0 {
            let reason = format!(
                "{} masked places ({} chars), {} substitutions ({} chars); {edits}",
                f.masked, f.masked_chars, f.substituted, f.substituted_chars
            );
            (CopyKind::Redacted, reason)
        } else {
            let reason = format!(
                "no masks or substitutions; {} cosmetic chars, {} boilerplate chars, {} repeated chars; {edits}",
                f.cosmetic_chars, f.boilerplate_chars, f.repeated_chars
            );
            (CopyKind::Verbatim, reason)
        }
    }

    /// Analyses one cluster, `views` sorted by id.
    /// The analysis of a cluster whose members (distinct texts) are
    /// `views`; `positions[i]` is where `views[i]`'s text first comes in
    /// the input ([`CanonicalPolicy::First`]).
    pub(crate) fn analyse(&self, views: &[DocumentView], positions: &[usize]) -> CopyAnalysis {
        let members: Vec<Member> = views.iter().map(|v| self.member(v)).collect();
        let canonical = self.canonical(&members, positions);
        let c = &members[canonical];
        let diffs: Vec<Option<PairDiff>> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (i != canonical).then(|| self.diff(c, m)))
            .collect();
        let copies: Vec<CopyFigures> = members
            .iter()
            .zip(&diffs)
            .filter_map(|(m, d)| d.as_ref().map(|d| self.figures(c, m, d)))
            .collect();
        let kind = copies
            .iter()
            .filter_map(|f| f.kind)
            .max()
            .unwrap_or(CopyKind::Verbatim);
        let (redactions, reconstructed) = self.redactions(&members, canonical);
        CopyAnalysis {
            canonical: c.view.doc.id().to_string(),
            kind,
            copies,
            redactions,
            reconstructed,
            alignments: rows(views, canonical, &diffs),
            identical: Vec::new(),
        }
    }

    /// Every place where a member shows a mask and another a value, sorted,
    /// and each masked member's reconstruction.
    fn redactions(
        &self,
        members: &[Member],
        canonical: usize,
    ) -> (Vec<Redaction>, Vec<Reconstruction>) {
        let mut redactions = Vec::new();
        let mut reconstructed = Vec::new();
        for (i, m) in members.iter().enumerate() {
            if m.view.masks() == 0 {
                continue;
            }
            let others: Vec<usize> = if members.len() <= self.config.max_pairwise_members {
                (0..members.len()).filter(|&o| o != i).collect()
            } else {
                (i != canonical).then_some(canonical).into_iter().collect()
            };
            let mut fills = Vec::new();
            for o in others {
                let other = members[o].view;
                let d = self.diff(m, &members[o]);
                for (pair, hunks) in d.alignment.pairs.iter().zip(&d.hunks) {
                    for h in hunks.iter().filter(|h| h.kind == HunkKind::MaskedInA) {
                        let (range, masked) = m.view.span(pair.a, &h.a);
                        let (other_range, value) = other.span(pair.b, &h.b);
                        redactions.push(Redaction {
                            document: m.view.doc.id().to_string(),
                            range,
                            masked,
                            other: other.doc.id().to_string(),
                            other_range,
                            value: value.clone(),
                        });
                        fills.push(Fill {
                            paragraph: pair.a,
                            range: h.a.clone(),
                            value,
                        });
                    }
                }
            }
            reconstructed.push(reconstruct(m.view, &fills));
        }
        redactions.sort_by(|x, y| {
            (&x.document, x.range, &x.other, x.other_range).cmp(&(
                &y.document,
                y.range,
                &y.other,
                y.other_range,
            ))
        });
        (redactions, reconstructed)
    }

    /// `b` against `a`: figures, aligned pairs with hunks, unaligned
    /// paragraphs.
    pub(crate) fn explain(
        &self,
        a: &DocumentView,
        b: &DocumentView,
    ) -> (CopyFigures, Vec<AlignedPair>, Vec<usize>, Vec<usize>) {
        let (ma, mb) = (self.member(a), self.member(b));
        let d = self.diff(&ma, &mb);
        let figures = self.figures(&ma, &mb, &d);
        let pairs = d
            .alignment
            .pairs
            .iter()
            .zip(&d.hunks)
            .map(|(pair, hunks)| AlignedPair {
                a_paragraph: pair.a,
                a_range: range_of(a.doc, pair.a),
                b_paragraph: pair.b,
                b_range: range_of(b.doc, pair.b),
                jaccard: pair.jaccard,
                moved: pair.moved,
                hunks: hunks
                    .iter()
                    .map(|h| diff_hunk(a, pair.a, b, pair.b, h))
                    .collect(),
            })
            .collect();
        (figures, pairs, d.alignment.only_a, d.alignment.only_b)
    }

    /// Letters and digits of `view` outside boilerplate paragraphs: how
    /// complete a copy is, without credit for a site's ads.
    fn substance(&self, view: &DocumentView) -> usize {
        view.paragraphs
            .iter()
            .filter(|p| !self.is_boilerplate(p))
            .map(ParagraphView::content_chars)
            .sum()
    }

    fn canonical(&self, members: &[Member], positions: &[usize]) -> usize {
        let facts: Vec<CanonicalFacts> = members
            .iter()
            .zip(positions)
            .map(|(m, &position)| CanonicalFacts {
                masks: m.view.masks(),
                length: self.substance(m.view),
                position,
                id: m.view.doc.id(),
            })
            .collect();
        (0..members.len())
            .min_by(|&x, &y| self.config.canonical.order(&facts[x], &facts[y]))
            .unwrap_or(0)
    }
}

/// Spans of a document by (paragraph, range of folded characters).
type Spans = Vec<(usize, Range<usize>)>;

/// Counts the hunks of the aligned pairs of `diff` into `f` (side a is the
/// canonical copy `a`); returns, for each side, the spans the other side
/// masked where it shows text.
fn aligned_figures(f: &mut CopyFigures, a: &DocumentView, diff: &PairDiff) -> (Spans, Spans) {
    let (mut drop_a, mut drop_b) = (Vec::new(), Vec::new());
    for (pair, hunks) in diff.alignment.pairs.iter().zip(&diff.hunks) {
        f.moved_paragraphs += usize::from(pair.moved);
        let mut differing = 0;
        for h in hunks {
            let (la, lb) = (h.a.len(), h.b.len());
            differing += la;
            match h.kind {
                HunkKind::Cosmetic => f.cosmetic_chars += la.max(lb),
                HunkKind::MaskedInB => {
                    f.masked += 1;
                    f.masked_chars += la;
                    drop_a.push((pair.a, h.a.clone()));
                }
                HunkKind::MaskedInA => {
                    f.masked += 1;
                    f.masked_chars += lb;
                    drop_b.push((pair.b, h.b.clone()));
                }
                HunkKind::Substituted => {
                    f.substituted += 1;
                    f.substituted_chars += la.max(lb);
                }
                HunkKind::Edited => f.edited_chars += la.max(lb),
            }
        }
        f.equal_chars += a.paragraphs[pair.a].chars.len() - differing;
    }
    (drop_a, drop_b)
}

/// Window hashes of all paragraphs of `view`, sorted and distinct, except
/// those that overlap a `drop` span (paragraph, character range).
fn shingles_without(
    view: &DocumentView,
    drop: &[(usize, Range<usize>)],
    shingle_len: usize,
) -> Vec<u64> {
    let mut out = Vec::new();
    for (j, p) in view.paragraphs.iter().enumerate() {
        let spans: Vec<&Range<usize>> = drop
            .iter()
            .filter(|(k, _)| *k == j)
            .map(|(_, r)| r)
            .collect();
        for &(start, hash) in &p.windows {
            let end = start + shingle_len;
            if !spans
                .iter()
                .any(|r| r.start < end && start < r.end.max(r.start + 1))
            {
                out.push(hash);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::normalize::NormalizeConfig;
    use crate::prepare::Preparer;
    use crate::redact::MaskConfig;

    const ORIGINAL: &str = "同志们：\n2014年，福州市经济总量达到5000亿元，同比增长8.5%，位居全省前列。\n我们要坚持稳中求进工作总基调，全面深化改革开放，加快建设现代化经济体系。";
    const REDACTED: &str = "同志们：\n****年，**市经济总量达到****亿元，同比增长x.x%，位居全省前列。\n我们要坚持稳中求进工作总基调，全面深化改革开放，加快建设现代化经济体系。";

    fn preparer() -> Preparer {
        let shingler = Shingler::new(3, 42);
        Preparer::new(
            NormalizeConfig::default(),
            MaskConfig::default(),
            shingler,
            None,
        )
    }

    /// Calls `f` with an analyzer of `config` knowing no boilerplate, and
    /// the preparer of its views.
    fn with_analyzer<R>(config: &AnalysisConfig, f: impl FnOnce(&Analyzer, &Preparer) -> R) -> R {
        let p = preparer();
        let none = HashedSet::default();
        let analyzer = Analyzer {
            shingler: p.shingler(),
            config,
            boilerplate: &none,
            boilerplate_coverage: 0.5,
        };
        f(&analyzer, &p)
    }

    fn analyse(config: &AnalysisConfig, docs: &[Document]) -> CopyAnalysis {
        with_analyzer(config, |analyzer, p| {
            let views: Vec<DocumentView> = docs.iter().map(|d| p.view(d)).collect();
            let positions: Vec<usize> = (0..views.len()).collect();
            analyzer.analyse(&views, &positions)
        })
    }

    fn cluster() -> Vec<Document> {
        vec![
            Document::new("a", REDACTED),
            Document::new("b", ORIGINAL),
            Document::new("c", format!("{ORIGINAL}\n推荐访问：范文网")),
        ]
    }

    #[test]
    fn the_copy_that_hides_least_is_canonical_and_the_redacted_one_is_told_what_it_hid() {
        let docs = [Document::new("a", REDACTED), Document::new("b", ORIGINAL)];
        let a = analyse(&AnalysisConfig::default(), &docs);
        assert_eq!(a.canonical, "b");
        assert_eq!(a.kind, CopyKind::Redacted);
        assert_eq!(a.copies[0].masked, 4);
        let shown: Vec<(&str, &str)> = a
            .redactions
            .iter()
            .map(|r| (r.masked.as_str(), r.value.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("****", "2014"),
                ("**", "福州"),
                ("****", "5000"),
                ("x.x", "8.5")
            ]
        );
        let rebuilt = &a.reconstructed[0];
        assert_eq!(rebuilt.document, "a");
        assert_eq!(rebuilt.text, ORIGINAL);
        // Five mask symbols: `x.x` is two, around its point.
        assert_eq!(
            (rebuilt.filled, rebuilt.conflicting, rebuilt.unknown),
            (5, 0, 0)
        );
    }

    #[test]
    fn rows_follow_the_canonical_copy_and_insertions_get_their_own() {
        let by_id = AnalysisConfig {
            canonical: CanonicalPolicy::SmallestId,
            ..AnalysisConfig::default()
        };
        let docs = [
            Document::new("a", ORIGINAL),
            Document::new("b", format!("{ORIGINAL}\n推荐访问：范文网")),
        ];
        let a = analyse(&by_id, &docs);
        let rows: Vec<(Option<usize>, usize)> = a
            .alignments
            .iter()
            .map(|r| (r.canonical_paragraph, r.paragraphs.len()))
            .collect();
        // a's three paragraphs with b's beside them, then b's link line alone.
        assert_eq!(rows, [(Some(0), 2), (Some(1), 2), (Some(2), 2), (None, 1)]);
        assert_eq!(a.alignments[3].paragraphs[0].placement, Placement::Inserted);
        // Without a corpus to call it boilerplate, the link line is an edit.
        assert_eq!(a.copies[0].inserted_paragraphs, 1);
        assert_eq!(a.kind, CopyKind::Edited);
    }

    #[test]
    fn policies_choose_the_canonical_copy() {
        let with = |canonical| AnalysisConfig {
            canonical,
            ..AnalysisConfig::default()
        };
        // b and c hide nothing; c is longer.
        assert_eq!(
            analyse(&with(CanonicalPolicy::FewestMasks), &cluster()).canonical,
            "c"
        );
        assert_eq!(
            analyse(&with(CanonicalPolicy::Longest), &cluster()).canonical,
            "c"
        );
        assert_eq!(
            analyse(&with(CanonicalPolicy::SmallestId), &cluster()).canonical,
            "a"
        );
    }

    macro_rules! kind {
        ($name:ident, $figures:expr, $want:expr) => {
            #[test]
            fn $name() {
                let f = CopyFigures {
                    canonical_chars: 1000,
                    ..$figures
                };
                let kind = with_analyzer(&AnalysisConfig::default(), |a, _| a.kind(&f).0);
                assert_eq!(kind, $want);
            }
        };
    }

    kind!(
        nothing_changed_is_verbatim,
        CopyFigures::default(),
        CopyKind::Verbatim
    );
    kind!(
        edits_within_the_tolerance_stay_verbatim,
        CopyFigures {
            edited_chars: 20,
            ..CopyFigures::default()
        },
        CopyKind::Verbatim
    );
    kind!(
        edits_beyond_the_tolerance_are_edited,
        CopyFigures {
            edited_chars: 21,
            masked: 5,
            masked_chars: 20,
            ..CopyFigures::default()
        },
        CopyKind::Edited
    );
    kind!(
        masks_are_redacted,
        CopyFigures {
            masked: 2,
            masked_chars: 8,
            substituted: 1,
            substituted_chars: 2,
            ..CopyFigures::default()
        },
        CopyKind::Redacted
    );
    kind!(
        substitutions_outweighing_masks_are_a_template,
        CopyFigures {
            masked: 1,
            masked_chars: 2,
            substituted: 3,
            substituted_chars: 9,
            ..CopyFigures::default()
        },
        CopyKind::Template
    );

    #[test]
    fn a_teaser_cut_from_the_body_is_repeated_text_not_an_edit() {
        let body = "我们要坚持稳中求进工作总基调，全面深化改革开放，加快建设现代化经济体系，不断增强县域经济综合实力。";
        let teaser: String = body.chars().take(30).collect();
        let with_teaser = Document::new("a", format!("{teaser}\n{body}"));
        let plain = Document::new("b", body);
        let (figures, _, only_a, only_b) = with_analyzer(&AnalysisConfig::default(), |a, p| {
            a.explain(&p.view(&plain), &p.view(&with_teaser))
        });
        assert!(only_a.is_empty());
        assert_eq!(only_b, [0]);
        assert!(figures.repeated_chars > 0);
        assert_eq!(figures.edited_chars, 0);
        assert_eq!(figures.kind, Some(CopyKind::Verbatim));
    }

    #[test]
    fn config_values_out_of_range_name_their_field() {
        let bad = AnalysisConfig {
            repeat_containment: 0.0,
            ..AnalysisConfig::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "invalid config: analysis.repeat_containment 0 is outside (0, 1]"
        );
    }
}
