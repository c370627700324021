//! Analysis of copies: for a cluster, the canonical copy, what each copy
//! changed or hid, what the hidden text was, and which paragraphs went
//! where.
//!
//! Input: the documents of one cluster. Output: a
//! [`crate::report::CopyAnalysis`].
//!
//! Every document is seen as its paragraphs, normalised and mask-folded
//! ([`crate::redact`]), with each folded character's place in the original
//! text. Each member is aligned to the canonical copy ([`crate::align`]):
//! paragraphs paired by Jaccard similarity, then a character diff inside
//! each pair, whose hunks are masks, substitutions, cosmetic changes or
//! edits. Those figures decide the [`CopyKind`]; the masked hunks against
//! every other member make the redaction map, and where the members that
//! show a value agree, the reconstruction fills it in.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::align::{
    align_paragraphs, diff_chars, is_content, DiffRules, Hunk, HunkKind, ParagraphAlignment,
};
use crate::boilerplate::coverage;
use crate::corpus::{Document, Paragraph};
use crate::normalize::{Normalized, Normalizer};
use crate::prehashed::HashedSet;
use crate::redact::{is_numeral, MaskFolder, MASK, NUMBER};
use crate::report::{
    AlignedPair, AlignedParagraph, AlignedRow, CopyAnalysis, CopyFigures, CopyKind, DiffHunk,
    Placement, Reconstruction, Redaction,
};
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
}

/// Settings of the cluster analysis.
///
/// # Examples
///
/// ```
/// use chachong::analysis::{AnalysisRules, CanonicalPolicy};
///
/// let rules = AnalysisRules::default();
/// assert!(rules.enabled);
/// assert_eq!(rules.canonical, CanonicalPolicy::FewestMasks);
/// assert_eq!(rules.edit_tolerance, 0.02);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisRules {
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
    /// In clusters of at most this many members (default 20), each member's
    /// masks are compared with every other member; in larger ones, with the
    /// canonical copy only.
    pub max_pairwise_members: usize,
    /// The character diff.
    pub diff: DiffRules,
}

impl Default for AnalysisRules {
    fn default() -> AnalysisRules {
        AnalysisRules {
            enabled: true,
            canonical: CanonicalPolicy::FewestMasks,
            align_min_jaccard: 0.5,
            edit_tolerance: 0.02,
            max_pairwise_members: 20,
            diff: DiffRules::default(),
        }
    }
}

/// One paragraph, normalised and mask-folded, with its shingles.
#[derive(Debug)]
pub(crate) struct ParagraphView {
    /// Folded characters.
    chars: Vec<char>,
    /// Byte offset in the document of each folded character.
    starts: Vec<usize>,
    /// Byte end in the document of each folded character (a mask: of its
    /// whole run).
    ends: Vec<usize>,
    /// Shingles as (first character, hash), masks left out.
    windows: Vec<(usize, u64)>,
    /// Sorted distinct window hashes; for a paragraph with none (all masks
    /// and short stretches), the shingles of its folded text, so that it can
    /// still be aligned.
    set: Vec<u64>,
    /// Shingles lost to masks.
    hidden: usize,
    /// Byte range of the paragraph in the document.
    bytes: std::ops::Range<usize>,
}

impl ParagraphView {
    /// The folded characters.
    pub(crate) fn chars(&self) -> &[char] {
        &self.chars
    }

    fn content_chars(&self) -> usize {
        self.chars.iter().filter(|&&c| is_content(c)).count()
    }

    fn masks(&self) -> usize {
        self.chars.iter().filter(|&&c| c == MASK).count()
    }
}

/// A document as the analysis sees it.
#[derive(Debug)]
pub(crate) struct DocumentView<'d> {
    pub(crate) doc: &'d Document,
    pub(crate) paragraphs: Vec<ParagraphView>,
    /// Byte offset of every character of the text, to report positions in
    /// characters.
    char_starts: Vec<usize>,
    /// Every paragraph's shingle set, concatenated and sorted.
    all_sets: Vec<u64>,
}

impl DocumentView<'_> {
    fn char_index(&self, byte: usize) -> usize {
        self.char_starts.partition_point(|&b| b < byte)
    }

    fn masks(&self) -> usize {
        self.paragraphs.iter().map(ParagraphView::masks).sum()
    }

    fn content_chars(&self) -> usize {
        self.paragraphs
            .iter()
            .map(ParagraphView::content_chars)
            .sum()
    }

    /// The paragraph's characters `range` as a character range of the
    /// document and the text as written; an empty range is the point where
    /// it would be.
    pub(crate) fn span(
        &self,
        paragraph: usize,
        range: &std::ops::Range<usize>,
    ) -> ([usize; 2], String) {
        let p = &self.paragraphs[paragraph];
        let (start, end) = if range.is_empty() {
            let at = p.starts.get(range.start).copied().unwrap_or(p.bytes.end);
            (at, at)
        } else {
            (p.starts[range.start], p.ends[range.end - 1])
        };
        (
            [self.char_index(start), self.char_index(end)],
            self.doc.text()[start..end].to_string(),
        )
    }

    /// Window hashes of all paragraphs, except those that overlap `drop`
    /// (paragraph, character range) spans.
    fn shingles_without(
        &self,
        drop: &[(usize, std::ops::Range<usize>)],
        shingle_len: usize,
    ) -> Vec<u64> {
        let mut out = Vec::new();
        for (j, p) in self.paragraphs.iter().enumerate() {
            let spans: Vec<_> = drop
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
}

/// Builds [`DocumentView`]s and analyses them.
#[derive(Debug)]
pub(crate) struct Analyzer<'p> {
    pub(crate) normalizer: &'p Normalizer,
    pub(crate) folder: &'p MaskFolder,
    pub(crate) shingler: &'p Shingler,
    pub(crate) rules: &'p AnalysisRules,
    /// Share of a paragraph's shingles found elsewhere in its document for
    /// it to count as repeated text.
    pub(crate) repeat_containment: f64,
    /// Boilerplate shingles (empty when none are known).
    pub(crate) boilerplate: &'p HashedSet,
    /// Coverage at which a paragraph is boilerplate.
    pub(crate) boilerplate_coverage: f64,
}

impl Analyzer<'_> {
    pub(crate) fn view<'d>(&self, doc: &'d Document) -> DocumentView<'d> {
        self.build_view(doc, true)
    }

    /// A view for finding boilerplate: characters, windows and spans, but
    /// no sorted sets (nothing is aligned or compared).
    pub(crate) fn coverage_view<'d>(&self, doc: &'d Document) -> DocumentView<'d> {
        self.build_view(doc, false)
    }

    fn build_view<'d>(&self, doc: &'d Document, with_sets: bool) -> DocumentView<'d> {
        let text = doc.text();
        let mut normalized = Normalized::default();
        let mut folded = Normalized::default();
        let mut runs = Vec::new();
        let paragraphs = doc
            .paragraphs()
            .iter()
            .map(|p| {
                let bytes = p.bytes();
                runs.clear();
                self.fold_paragraph(doc, p, &mut normalized, &mut folded, Some(&mut runs));
                let chars: Vec<char> = folded.text().chars().collect();
                let starts: Vec<usize> = (0..chars.len()).map(|i| folded.origin(i)).collect();
                let mut run_ends = runs.iter().map(|r| r.end);
                let ends = chars
                    .iter()
                    .zip(&starts)
                    .map(|(&c, &start)| original_end(text, c, start, &mut run_ends))
                    .collect();
                let mut windows = Vec::new();
                let hidden = self
                    .shingler
                    .char_windows(folded.text(), |start, hash| windows.push((start, hash)));
                let mut set: Vec<u64> = Vec::new();
                if with_sets {
                    set.extend(windows.iter().map(|w| w.1));
                    set.sort_unstable();
                    set.dedup();
                    if set.is_empty() {
                        set = self.shingler.char_set(folded.text());
                    }
                }
                ParagraphView {
                    chars,
                    starts,
                    ends,
                    windows,
                    set,
                    hidden,
                    bytes,
                }
            })
            .collect::<Vec<ParagraphView>>();
        let mut all_sets: Vec<u64> = paragraphs
            .iter()
            .flat_map(|p| p.set.iter().copied())
            .collect();
        if with_sets {
            all_sets.sort_unstable();
        }
        DocumentView {
            doc,
            paragraphs,
            char_starts: text.char_indices().map(|(at, _)| at).collect(),
            all_sets,
        }
    }

    /// Appends the shingles of each paragraph of `doc`, taken alone, to
    /// `out` (what [`view`](Self::view) would find, without keeping
    /// positions).
    pub(crate) fn paragraph_shingles_into(&self, doc: &Document, out: &mut Vec<u64>) {
        // Only the text is needed: the forms without origins.
        let mut normalized = String::new();
        let mut folded = String::new();
        for p in doc.paragraphs() {
            normalized.clear();
            folded.clear();
            self.normalizer
                .append_text(&doc.text()[p.bytes()], &mut normalized);
            self.folder.fold_text_into(&normalized, &mut folded);
            self.shingler.masked_char_sequence_into(&folded, out);
        }
    }

    /// Normalises and mask-folds paragraph `p` of `doc` alone into `folded`
    /// (`normalized` is scratch), pushing the original byte ranges of its
    /// mask runs to `runs` if given.
    fn fold_paragraph(
        &self,
        doc: &Document,
        p: &Paragraph,
        normalized: &mut Normalized,
        folded: &mut Normalized,
        runs: Option<&mut Vec<std::ops::Range<usize>>>,
    ) {
        let (text, bytes) = (doc.text(), p.bytes());
        normalized.clear();
        folded.clear();
        let range = self
            .normalizer
            .append(&text[bytes.clone()], bytes.start, normalized);
        self.folder
            .fold_into(normalized, range, folded, runs.map(|r| (text, r)));
    }

    /// Which characters of the paragraph boilerplate shingles cover.
    pub(crate) fn covered(&self, p: &ParagraphView) -> Vec<bool> {
        coverage(
            &p.windows,
            p.chars.len(),
            self.shingler.shingle_len(),
            |h| self.boilerplate.contains(&h),
        )
    }

    fn diff(&self, a: &DocumentView, b: &DocumentView) -> PairDiff {
        let a_sets: Vec<&[u64]> = a.paragraphs.iter().map(|p| p.set.as_slice()).collect();
        let b_sets: Vec<&[u64]> = b.paragraphs.iter().map(|p| p.set.as_slice()).collect();
        let a_hidden: Vec<usize> = a.paragraphs.iter().map(|p| p.hidden).collect();
        let b_hidden: Vec<usize> = b.paragraphs.iter().map(|p| p.hidden).collect();
        let alignment = align_paragraphs(
            &a_sets,
            &b_sets,
            (&a_hidden, &b_hidden),
            self.rules.align_min_jaccard,
        );
        let hunks = alignment
            .pairs
            .iter()
            .map(|pair| {
                diff_chars(
                    &a.paragraphs[pair.a].chars,
                    &b.paragraphs[pair.b].chars,
                    &self.rules.diff,
                )
            })
            .collect();
        PairDiff { alignment, hunks }
    }

    /// How `b` differs from `a` (the canonical side).
    fn figures(&self, a: &DocumentView, b: &DocumentView, diff: &PairDiff) -> CopyFigures {
        let mut f = CopyFigures {
            document: b.doc.id().to_string(),
            canonical_chars: a.content_chars(),
            ..CopyFigures::default()
        };
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
        for (view, unmatched, inserted) in [
            (a, &diff.alignment.only_a, false),
            (b, &diff.alignment.only_b, true),
        ] {
            for &j in unmatched {
                if inserted {
                    f.inserted_paragraphs += 1;
                } else {
                    f.deleted_paragraphs += 1;
                }
                let p = &view.paragraphs[j];
                let chars = p.content_chars();
                let share = covered_share(&p.chars, &self.covered(p), 0..p.chars.len());
                if share >= self.boilerplate_coverage {
                    f.boilerplate_chars += chars;
                } else if self.repeats(view, j) {
                    f.repeated_chars += chars;
                } else {
                    f.edited_chars += chars;
                }
            }
        }
        let len = self.shingler.shingle_len();
        let plain = Overlap::of(&a.shingles_without(&[], len), &b.shingles_without(&[], len));
        f.jaccard = plain.jaccard();
        f.redaction_aware_jaccard = Overlap::of(
            &a.shingles_without(&drop_a, len),
            &b.shingles_without(&drop_b, len),
        )
        .jaccard();
        let (kind, reason) = self.kind(&f);
        f.kind = Some(kind);
        f.reason = reason;
        f
    }

    /// Whether paragraph `j` of `view` mostly repeats text found in the
    /// document's other paragraphs (a teaser cut from the body).
    fn repeats(&self, view: &DocumentView, j: usize) -> bool {
        let set = &view.paragraphs[j].set;
        if set.is_empty() {
            return false;
        }
        // Each paragraph's set is deduplicated, so a shingle of paragraph j
        // occurs elsewhere when it occurs in `all_sets` more than once.
        let elsewhere = set
            .iter()
            .filter(|h| {
                let start = view.all_sets.partition_point(|x| x < h);
                view.all_sets.get(start + 1) == Some(h)
            })
            .count();
        elsewhere as f64 / set.len() as f64 >= self.repeat_containment
    }

    /// The kind of copy the figures show, and the line saying why.
    fn kind(&self, f: &CopyFigures) -> (CopyKind, String) {
        let share = f.edited_chars as f64 / f.canonical_chars.max(1) as f64;
        let edits = format!(
            "{} edited chars ({:.1}% of the canonical copy, tolerance {:.1}%)",
            f.edited_chars,
            share * 100.0,
            self.rules.edit_tolerance * 100.0
        );
        if share > self.rules.edit_tolerance {
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
    pub(crate) fn analyse(&self, views: &[DocumentView]) -> CopyAnalysis {
        let canonical = self.canonical(views);
        let c = &views[canonical];
        let diffs: Vec<Option<PairDiff>> = views
            .iter()
            .enumerate()
            .map(|(i, m)| (i != canonical).then(|| self.diff(c, m)))
            .collect();
        let copies: Vec<CopyFigures> = views
            .iter()
            .zip(&diffs)
            .filter_map(|(m, d)| d.as_ref().map(|d| self.figures(c, m, d)))
            .collect();
        let kind = copies
            .iter()
            .filter_map(|f| f.kind)
            .max()
            .unwrap_or(CopyKind::Verbatim);
        let mut redactions = Vec::new();
        let mut reconstructed = Vec::new();
        for (i, m) in views.iter().enumerate() {
            if m.masks() == 0 {
                continue;
            }
            let others: Vec<usize> = if views.len() <= self.rules.max_pairwise_members {
                (0..views.len()).filter(|&o| o != i).collect()
            } else {
                (i != canonical).then_some(canonical).into_iter().collect()
            };
            let mut fills = Vec::new();
            for o in others {
                let d = self.diff(m, &views[o]);
                for (pair, hunks) in d.alignment.pairs.iter().zip(&d.hunks) {
                    for h in hunks.iter().filter(|h| h.kind == HunkKind::MaskedInA) {
                        let (range, masked) = m.span(pair.a, &h.a);
                        let (other_range, value) = views[o].span(pair.b, &h.b);
                        redactions.push(Redaction {
                            document: m.doc.id().to_string(),
                            range,
                            masked,
                            other: views[o].doc.id().to_string(),
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
            reconstructed.push(reconstruct(m, &fills));
        }
        redactions.sort_by(|x, y| {
            (&x.document, x.range, &x.other, x.other_range).cmp(&(
                &y.document,
                y.range,
                &y.other,
                y.other_range,
            ))
        });
        CopyAnalysis {
            canonical: c.doc.id().to_string(),
            kind,
            copies,
            redactions,
            reconstructed,
            alignments: rows(views, canonical, &diffs),
        }
    }

    /// `b` against `a`: figures, aligned pairs with hunks, unaligned
    /// paragraphs.
    pub(crate) fn explain(
        &self,
        a: &DocumentView,
        b: &DocumentView,
    ) -> (CopyFigures, Vec<AlignedPair>, Vec<usize>, Vec<usize>) {
        let d = self.diff(a, b);
        let figures = self.figures(a, b, &d);
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
            .filter(|p| {
                covered_share(&p.chars, &self.covered(p), 0..p.chars.len())
                    < self.boilerplate_coverage
            })
            .map(ParagraphView::content_chars)
            .sum()
    }

    fn canonical(&self, views: &[DocumentView]) -> usize {
        let substance: Vec<usize> = views.iter().map(|v| self.substance(v)).collect();
        let masks: Vec<usize> = views.iter().map(DocumentView::masks).collect();
        (0..views.len())
            .min_by(|&x, &y| {
                let by_id = views[x].doc.id().cmp(views[y].doc.id());
                let longer = substance[y].cmp(&substance[x]);
                match self.rules.canonical {
                    CanonicalPolicy::FewestMasks => {
                        masks[x].cmp(&masks[y]).then(longer).then(by_id)
                    }
                    CanonicalPolicy::Longest => longer.then(by_id),
                    CanonicalPolicy::SmallestId => by_id,
                }
            })
            .unwrap_or(0)
    }
}

/// Share of the letters and digits of `chars[range]` that are `covered`.
pub(crate) fn covered_share(
    chars: &[char],
    covered: &[bool],
    range: std::ops::Range<usize>,
) -> f64 {
    let (mut content, mut hit) = (0usize, 0usize);
    for i in range {
        if is_content(chars[i]) {
            content += 1;
            hit += usize::from(covered[i]);
        }
    }
    if content == 0 {
        0.0
    } else {
        hit as f64 / content as f64
    }
}

/// The covered runs of `chars` with at least `min_chars` letters or digits,
/// as normalised text with masks shown as `*` and numbers as `#`.
pub(crate) fn boilerplate_phrases(
    chars: &[char],
    covered: &[bool],
    min_chars: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < covered.len() {
        if !covered[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < covered.len() && covered[i] {
            i += 1;
        }
        let run = &chars[start..i];
        if run.iter().filter(|&&c| is_content(c)).count() >= min_chars {
            out.push(
                run.iter()
                    .map(|&c| match c {
                        MASK => '*',
                        NUMBER => '#',
                        c => c,
                    })
                    .collect(),
            );
        }
    }
    out
}

/// Paragraph alignment and per-pair hunks of two documents.
struct PairDiff {
    alignment: ParagraphAlignment,
    hunks: Vec<Vec<Hunk>>,
}

/// A value another member shows where this one has a mask.
struct Fill {
    paragraph: usize,
    range: std::ops::Range<usize>,
    value: String,
}

/// Fills each mask of `m` whose covering fills all agree (same range, same
/// value); counts the rest as conflicting or unknown.
fn reconstruct(m: &DocumentView, fills: &[Fill]) -> Reconstruction {
    let mut chosen: HashMap<(usize, usize, usize), &str> = HashMap::new();
    let (mut filled, mut conflicting, mut unknown) = (0, 0, 0);
    for (j, p) in m.paragraphs.iter().enumerate() {
        for (i, _) in p.chars.iter().enumerate().filter(|&(_, &c)| c == MASK) {
            let covering: Vec<&Fill> = fills
                .iter()
                .filter(|f| f.paragraph == j && f.range.contains(&i))
                .collect();
            match covering.first() {
                None => unknown += 1,
                Some(first)
                    if covering
                        .iter()
                        .all(|f| f.range == first.range && f.value == first.value) =>
                {
                    filled += 1;
                    chosen.insert((j, first.range.start, first.range.end), &first.value);
                }
                Some(_) => conflicting += 1,
            }
        }
    }
    let mut replacements: Vec<(usize, usize, &str)> = chosen
        .into_iter()
        .map(|((j, start, end), value)| {
            let p = &m.paragraphs[j];
            (p.starts[start], p.ends[end - 1], value)
        })
        .collect();
    replacements.sort_unstable();
    let text = m.doc.text();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, value) in replacements {
        out.push_str(&text[at..start]);
        out.push_str(value);
        at = end;
    }
    out.push_str(&text[at..]);
    Reconstruction {
        document: m.doc.id().to_string(),
        text: out,
        filled,
        conflicting,
        unknown,
    }
}

/// The alignment rows of a cluster (see [`AlignedRow`]).
fn rows(views: &[DocumentView], canonical: usize, diffs: &[Option<PairDiff>]) -> Vec<AlignedRow> {
    let c = &views[canonical];
    let mut rows: Vec<AlignedRow> = (0..c.paragraphs.len())
        .map(|j| AlignedRow {
            canonical_paragraph: Some(j),
            paragraphs: vec![AlignedParagraph {
                document: c.doc.id().to_string(),
                paragraph: j,
                range: range_of(c.doc, j),
                placement: Placement::Canonical,
                jaccard: 1.0,
                hunks: Vec::new(),
            }],
            missing: Vec::new(),
        })
        .collect();
    // inserted[k]: rows of inserted paragraphs that go after canonical
    // paragraph k - 1 (k = 0: before the first).
    let mut inserted: Vec<Vec<AlignedRow>> = vec![Vec::new(); c.paragraphs.len() + 1];
    for (m, diff) in views.iter().zip(diffs) {
        let Some(diff) = diff else { continue };
        let id = m.doc.id().to_string();
        for (pair, hunks) in diff.alignment.pairs.iter().zip(&diff.hunks) {
            rows[pair.a].paragraphs.push(AlignedParagraph {
                document: id.clone(),
                paragraph: pair.b,
                range: range_of(m.doc, pair.b),
                placement: if pair.moved {
                    Placement::Moved
                } else {
                    Placement::Aligned
                },
                jaccard: pair.jaccard,
                hunks: hunks
                    .iter()
                    .map(|h| diff_hunk(c, pair.a, m, pair.b, h))
                    .collect(),
            });
        }
        for &j in &diff.alignment.only_a {
            rows[j].missing.push(id.clone());
        }
        for &k in &diff.alignment.only_b {
            let after = diff
                .alignment
                .pairs
                .iter()
                .filter(|p| p.b < k && !p.moved)
                .map(|p| p.a + 1)
                .max()
                .unwrap_or(0);
            inserted[after].push(AlignedRow {
                canonical_paragraph: None,
                paragraphs: vec![AlignedParagraph {
                    document: id.clone(),
                    paragraph: k,
                    range: range_of(m.doc, k),
                    placement: Placement::Inserted,
                    jaccard: 0.0,
                    hunks: Vec::new(),
                }],
                missing: Vec::new(),
            });
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut inserted = inserted.into_iter();
    out.extend(inserted.next().unwrap_or_default());
    for (row, after) in rows.into_iter().zip(inserted) {
        out.push(row);
        out.extend(after);
    }
    out
}

fn diff_hunk(a: &DocumentView, pa: usize, b: &DocumentView, pb: usize, h: &Hunk) -> DiffHunk {
    let (a_range, a_text) = a.span(pa, &h.a);
    let (b_range, b_text) = b.span(pb, &h.b);
    DiffHunk {
        kind: h.kind,
        a_range,
        a_text,
        b_range,
        b_text,
    }
}

fn range_of(doc: &Document, paragraph: usize) -> [usize; 2] {
    let r = doc.paragraphs()[paragraph].chars();
    [r.start, r.end]
}

/// Where in the original text the folded character `c` at `start` ends: a
/// mask at the end of its run, a number at the end of its digits, anything
/// else at the end of the original character.
fn original_end(
    text: &str,
    c: char,
    start: usize,
    run_ends: &mut impl Iterator<Item = usize>,
) -> usize {
    let rest = &text[start..];
    match c {
        MASK => run_ends
            .next()
            .unwrap_or_else(|| start + rest.chars().next().map_or(0, char::len_utf8)),
        NUMBER => {
            start
                + rest
                    .char_indices()
                    .find(|&(_, ch)| !is_numeral(ch))
                    .map_or(rest.len(), |(at, _)| at)
        }
        _ => start + rest.chars().next().map_or(0, char::len_utf8),
    }
}
