//! Alignment: which paragraphs of two documents correspond, and what
//! changed inside each pair.
//!
//! Input: the paragraphs of two documents as shingle sets (for which
//! paragraph goes with which) and as folded characters (for the diff).
//! Output: a [`ParagraphAlignment`] (pairs, paragraphs only one side has,
//! and which pairs moved), and for a pair of paragraphs the [`Hunk`]s where
//! their characters differ, each labelled with a [`HunkKind`].
//!
//! Paragraphs are paired greedily by Jaccard similarity, best first, so a
//! paragraph moved elsewhere is still found; the pairs that keep their
//! order are the longest increasing run of positions, and the rest are
//! reported as moved. Inside a pair the characters are compared with Myers'
//! diff (through the `similar` crate), which is fast when the two differ
//! little, as copies do. Its cost grows with the product of the length and
//! the number of differences, so a pair longer than
//! [`DiffConfig::max_chars`] is compared sentence by sentence first: the
//! bound is on the input, never on the clock, so the same pair always gives
//! the same hunks.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::check::at_least;
use crate::error::Result;
use crate::redact::{is_content, MASK};
use crate::sentence::split_sentences;

/// Two paragraphs, one from each side, that correspond.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParagraphPair {
    /// Index of the paragraph on side a.
    pub a: usize,
    /// Index of the paragraph on side b.
    pub b: usize,
    /// Their similarity: Jaccard, with the shingles a side masked left out
    /// of the union (see [`align_paragraphs`]).
    pub jaccard: f64,
    /// Whether the pair is out of order with the others: the paragraph was
    /// moved.
    pub moved: bool,
}

/// How the paragraphs of two documents correspond.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ParagraphAlignment {
    /// Corresponding paragraphs, sorted by `a`.
    pub pairs: Vec<ParagraphPair>,
    /// Paragraphs of side a with no counterpart (deleted in b).
    pub only_a: Vec<usize>,
    /// Paragraphs of side b with no counterpart (inserted in b).
    pub only_b: Vec<usize>,
}

/// Pairs the paragraphs of two documents, given their shingle sets (sorted,
/// deduplicated) and how many shingles each lost to masks (`hidden`, from
/// [`Shingler::masked_char_sequence_into`](crate::shingle::Shingler::masked_char_sequence_into);
/// zeros if unknown), keeping pairs with similarity at least `min_jaccard`.
///
/// The similarity is Jaccard's, except that the union leaves out the
/// shingles one side could not show because it masked them (at most as many
/// as it hid, and at most as many as the other side has beyond the shared
/// ones), so that a heavily redacted paragraph still pairs with its
/// original. Best pairs first, ties to the smaller indices, so the result
/// depends on nothing but the input. A paragraph with an empty set pairs
/// with nothing.
///
/// # Examples
///
/// ```
/// use chachong::align::align_paragraphs;
/// use chachong::shingle::Shingler;
///
/// let s = Shingler::new(2, 0);
/// let a = ["一二三四五", "甲乙丙丁", "春夏秋冬", "东南西北"].map(|t| s.char_set(t));
/// let b = ["春夏秋冬", "东南西北", "子丑寅卯", "一二三四五"].map(|t| s.char_set(t));
/// let alignment = align_paragraphs(&a, &b, (&[], &[]), 0.5);
/// let pairs: Vec<_> = alignment.pairs.iter().map(|p| (p.a, p.b, p.moved)).collect();
/// // The first paragraph moved to the end.
/// assert_eq!(pairs, [(0, 3, true), (2, 0, false), (3, 1, false)]);
/// assert_eq!((alignment.only_a, alignment.only_b), (vec![1], vec![2]));
/// ```
pub fn align_paragraphs<S: AsRef<[u64]>>(
    a: &[S],
    b: &[S],
    hidden: (&[usize], &[usize]),
    min_jaccard: f64,
) -> ParagraphAlignment {
    align_on(a, (b, &ParagraphPostings::of(b)), hidden, min_jaccard)
}

/// Every shingle of one document's paragraphs beside its paragraph, sorted
/// by shingle: what aligning against that document looks up. Made once per
/// document, it serves every alignment against it (a cluster's analysis
/// aligns each masked member with every other); one allocation, where a map
/// of posting lists made one list per distinct shingle and was most of the
/// analysis's time.
#[derive(Clone, Debug, Default)]
pub(crate) struct ParagraphPostings(Vec<(u64, u32)>);

impl ParagraphPostings {
    /// The postings of `paragraphs`' shingle sets.
    pub(crate) fn of<S: AsRef<[u64]>>(paragraphs: &[S]) -> ParagraphPostings {
        let mut postings: Vec<(u64, u32)> = paragraphs
            .iter()
            .enumerate()
            .flat_map(|(j, set)| set.as_ref().iter().map(move |&h| (h, j as u32)))
            .collect();
        postings.sort_unstable();
        ParagraphPostings(postings)
    }
}

/// [`align_paragraphs`] with `b`'s postings made beforehand.
pub(crate) fn align_on<S: AsRef<[u64]>>(
    a: &[S],
    (b, postings): (&[S], &ParagraphPostings),
    hidden: (&[usize], &[usize]),
    min_jaccard: f64,
) -> ParagraphAlignment {
    let hidden_of = |side: &[usize], i: usize| side.get(i).copied().unwrap_or(0);
    let postings = postings.0.as_slice();
    let mut shared = vec![0u32; b.len()];
    let mut touched = Vec::new();
    let mut candidates = Vec::new();
    for (i, set) in a.iter().enumerate() {
        let set = set.as_ref();
        // In a sorted set each search starts where the last ended.
        let sorted = set.is_sorted();
        let mut from = 0;
        for &h in set {
            if !sorted {
                from = 0;
            }
            from += postings[from..].partition_point(|&(p, _)| p < h);
            for &(_, j) in postings[from..].iter().take_while(|&&(p, _)| p == h) {
                if shared[j as usize] == 0 {
                    touched.push(j);
                }
                shared[j as usize] += 1;
            }
        }
        for j in touched.drain(..) {
            let inter = shared[j as usize] as usize;
            shared[j as usize] = 0;
            let b_len = b[j as usize].as_ref().len();
            let union = set.len() + b_len
                - inter
                - hidden_of(hidden.0, i).min(b_len - inter)
                - hidden_of(hidden.1, j as usize).min(set.len() - inter);
            let jaccard = inter as f64 / union.max(inter) as f64;
            if jaccard >= min_jaccard {
                candidates.push((jaccard, i, j as usize));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut used_a = vec![false; a.len()];
    let mut used_b = vec![false; b.len()];
    let mut pairs = Vec::new();
    for (jaccard, i, j) in candidates {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            pairs.push(ParagraphPair {
                a: i,
                b: j,
                jaccard,
                moved: false,
            });
        }
    }
    pairs.sort_by_key(|p| p.a);
    let in_order = longest_increasing(&pairs.iter().map(|p| p.b).collect::<Vec<_>>());
    for (pair, keep) in pairs.iter_mut().zip(in_order) {
        pair.moved = !keep;
    }
    ParagraphAlignment {
        pairs,
        only_a: (0..a.len()).filter(|&i| !used_a[i]).collect(),
        only_b: (0..b.len()).filter(|&j| !used_b[j]).collect(),
    }
}

/// Marks the members of one longest strictly increasing subsequence of
/// `values` (the leftmost-ending one among equals), in O(n log n).
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    // tails[k]: index of the smallest tail of an increasing run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; values.len()];
    for (i, &v) in values.iter().enumerate() {
        let k = tails.partition_point(|&t| values[t] < v);
        if k > 0 {
            previous[i] = tails[k - 1];
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut keep = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = (previous[i] != usize::MAX).then(|| previous[i]);
    }
    keep
}

/// What a difference between two aligned texts is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HunkKind {
    /// Only punctuation or spacing differs.
    Cosmetic,
    /// Side a shows masks where side b shows text: a hid it.
    MaskedInA,
    /// Side b shows masks where side a shows text: b hid it.
    MaskedInB,
    /// A short run of text replaced by another (a name, a place, a figure):
    /// both sides at most `fill_max_chars` letters or digits.
    Substituted,
    /// Anything else: text inserted, deleted or rewritten.
    Edited,
}

/// One place where two aligned texts differ, in character indices of the
/// two texts compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    /// Characters of side a.
    pub a: Range<usize>,
    /// Characters of side b.
    pub b: Range<usize>,
    /// What the difference is.
    pub kind: HunkKind,
}

/// Settings of [`diff_chars`].
///
/// # Examples
///
/// ```
/// use chachong::align::DiffConfig;
///
/// assert_eq!(DiffConfig::default().fill_max_chars, 8);
/// assert_eq!(DiffConfig::default().max_chars, 10_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiffConfig {
    /// A replacement with at most this many letters or digits on each side
    /// is [`HunkKind::Substituted`] (default 8: a place, a name, a figure).
    pub fill_max_chars: usize,
    /// Differences separated by at most this many equal characters, none of
    /// them a letter or digit, are one hunk (default 1: `**.x` against
    /// `94.7` is one redaction, not two).
    pub merge_gap_chars: usize,
    /// Two texts with more characters than this between them (default
    /// 10,000, about 100 ms of diff at worst) are compared sentence by
    /// sentence, and only sentences that differ are compared character by
    /// character; a stretch still longer is reported as one edit. Paragraphs
    /// of the seed and law corpora have at most 1,200 characters.
    pub max_chars: usize,
}

impl Default for DiffConfig {
    fn default() -> DiffConfig {
        DiffConfig {
            fill_max_chars: 8,
            merge_gap_chars: 1,
            max_chars: 10_000,
        }
    }
}

impl DiffConfig {
    /// Checks every value.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// `max_chars` of 0.
    pub fn validate(&self) -> Result<()> {
        at_least("analysis.diff.max_chars", self.max_chars as u64, 1)
    }
}

/// The differences between two folded texts (see [`crate::redact`]), as
/// labelled hunks in order; equal stretches are left out.
///
/// # Examples
///
/// ```
/// use chachong::align::{diff_chars, DiffConfig, HunkKind};
/// use chachong::redact::MASK;
///
/// let a: Vec<char> = format!("在{MASK}年达到{MASK}.{MASK}%。").chars().collect();
/// let b: Vec<char> = "在2014年达到94.7%。".chars().collect();
/// let hunks = diff_chars(&a, &b, &DiffConfig::default());
/// assert_eq!(hunks.len(), 2);
/// assert_eq!((hunks[0].a.clone(), hunks[0].b.clone(), hunks[0].kind), (1..2, 1..5, HunkKind::MaskedInA));
/// // `**.x` against `94.7`: one hunk across the point.
/// assert_eq!(b[hunks[1].b.clone()].iter().collect::<String>(), "94.7");
/// ```
pub fn diff_chars(a: &[char], b: &[char], config: &DiffConfig) -> Vec<Hunk> {
    let mut raw: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for (ra, rb) in changes(a, b, config.max_chars) {
        if let Some(last) = raw.last_mut() {
            let gap = &a[last.0.end..ra.start];
            let mergeable = gap.len() <= config.merge_gap_chars
                && gap.iter().all(|&c| !is_content(c))
                && ra.start - last.0.end == rb.start - last.1.end;
            if mergeable {
                last.0.end = ra.end;
                last.1.end = rb.end;
                continue;
            }
        }
        raw.push((ra, rb));
    }
    raw.into_iter()
        .map(|(ra, rb)| label(a, b, ra, rb, config))
        .collect()
}

/// The hunk of `a[ra]` against `b[rb]`, with its kind.
fn label(
    a: &[char],
    b: &[char],
    mut ra: Range<usize>,
    mut rb: Range<usize>,
    config: &DiffConfig,
) -> Hunk {
    let mut kind = classify(&a[ra.clone()], &b[rb.clone()], config);
    // `**9县` against `**x县`: one side's mask run swallowed what the
    // other shows beside its own mask. Text missing next to a mask
    // was hidden, not deleted; the hunk takes in the mask, so that
    // the value fills it.
    if matches!(kind, HunkKind::Substituted | HunkKind::Edited) {
        if ra.is_empty() && !b[rb.clone()].contains(&MASK) {
            if let Some((na, nb)) = widen_to_mask(a, b, &ra, &rb) {
                (ra, rb, kind) = (na, nb, HunkKind::MaskedInA);
            }
        } else if rb.is_empty() && !a[ra.clone()].contains(&MASK) {
            if let Some((nb, na)) = widen_to_mask(b, a, &rb, &ra) {
                (ra, rb, kind) = (na, nb, HunkKind::MaskedInB);
            }
        }
    }
    Hunk { a: ra, b: rb, kind }
}

/// The ranges where `a` and `b` differ, in order: Myers' diff of the whole
/// when the two have at most `max_chars` characters between them; else of
/// what lies between their common prefix and suffix; else of their
/// sentences, then of the characters of each run of differing sentences
/// short enough; what is still too long is one change.
fn changes(a: &[char], b: &[char], max_chars: usize) -> Vec<(Range<usize>, Range<usize>)> {
    if a.len() + b.len() <= max_chars {
        return myers(a, b, 0, 0);
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a_rest, b_rest) = (&a[prefix..], &b[prefix..]);
    let suffix = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let ma = prefix..a.len() - suffix;
    let mb = prefix..b.len() - suffix;
    if ma.is_empty() && mb.is_empty() {
        return Vec::new();
    }
    if ma.len() + mb.len() <= max_chars {
        return myers(&a[ma.clone()], &b[mb.clone()], ma.start, mb.start);
    }
    by_sentences(a, b, ma, mb, max_chars)
}

/// Myers' diff of `a` and `b` (offset by `a_at` and `b_at`), without the
/// equal stretches.
fn myers(a: &[char], b: &[char], a_at: usize, b_at: usize) -> Vec<(Range<usize>, Range<usize>)> {
    capture_diff_slices(Algorithm::Myers, a, b)
        .into_iter()
        .filter(|op| !matches!(op, DiffOp::Equal { .. }))
        .map(|op| {
            let (ra, rb) = (op.old_range(), op.new_range());
            (
                ra.start + a_at..ra.end + a_at,
                rb.start + b_at..rb.end + b_at,
            )
        })
        .collect()
}

/// The changes of `a[ma]` against `b[mb]`, found sentence by sentence.
fn by_sentences(
    a: &[char],
    b: &[char],
    ma: Range<usize>,
    mb: Range<usize>,
    max_chars: usize,
) -> Vec<(Range<usize>, Range<usize>)> {
    let offset = |ranges: Vec<Range<usize>>, at: usize| -> Vec<Range<usize>> {
        ranges
            .into_iter()
            .map(|r| r.start + at..r.end + at)
            .collect()
    };
    let sa = offset(split_sentences(&a[ma.clone()]), ma.start);
    let sb = offset(split_sentences(&b[mb.clone()]), mb.start);
    if sa.len() + sb.len() > max_chars {
        return vec![(ma, mb)];
    }
    let text_a: Vec<&[char]> = sa.iter().map(|r| &a[r.clone()]).collect();
    let text_b: Vec<&[char]> = sb.iter().map(|r| &b[r.clone()]).collect();
    let chars_of = |sentences: &[Range<usize>], run: Range<usize>, end: usize| match (
        sentences.get(run.start),
        run.end.checked_sub(1).and_then(|last| sentences.get(last)),
    ) {
        (Some(first), Some(last)) if !run.is_empty() => first.start..last.end,
        // An empty run sits before the sentence at its start (or at the end).
        _ => sentences
            .get(run.start)
            .map_or(end..end, |s| s.start..s.start),
    };
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &text_a, &text_b) {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let ra = chars_of(&sa, op.old_range(), ma.end);
        let rb = chars_of(&sb, op.new_range(), mb.end);
        if ra.len() + rb.len() <= max_chars {
            out.extend(myers(&a[ra.clone()], &b[rb.clone()], ra.start, rb.start));
        } else {
            out.push((ra, rb));
        }
    }
    out
}

/// For an insertion into `other` at the empty range `at` of `masked`: if a
/// mask of `masked` sits right before or after it, with the same mask
/// (an equal character) on the other side, the two ranges widened to take
/// it in.
fn widen_to_mask(
    masked: &[char],
    other: &[char],
    at: &Range<usize>,
    inserted: &Range<usize>,
) -> Option<(Range<usize>, Range<usize>)> {
    let (i, j) = (at.start, inserted.start);
    if i > 0 && j > 0 && masked[i - 1] == MASK && other[j - 1] == MASK {
        return Some((i - 1..i, j - 1..inserted.end));
    }
    if masked.get(i) == Some(&MASK) && other.get(inserted.end) == Some(&MASK) {
        return Some((i..i + 1, j..inserted.end + 1));
    }
    None
}

fn classify(a: &[char], b: &[char], config: &DiffConfig) -> HunkKind {
    let content = |s: &[char]| {
        s.iter()
            .copied()
            .filter(|&c| is_content(c))
            .collect::<Vec<_>>()
    };
    let (ca, cb) = (content(a), content(b));
    if ca == cb {
        return HunkKind::Cosmetic;
    }
    let all_masks = |s: &[char]| !s.is_empty() && s.iter().all(|&c| c == MASK);
    let no_masks = |s: &[char]| !s.is_empty() && !s.contains(&MASK);
    // The side showing the value may show only punctuation: a mask can
    // hide a quotation mark too.
    if all_masks(&ca) && no_masks(b) {
        return HunkKind::MaskedInA;
    }
    if all_masks(&cb) && no_masks(a) {
        return HunkKind::MaskedInB;
    }
    if no_masks(&ca)
        && no_masks(&cb)
        && ca.len() <= config.fill_max_chars
        && cb.len() <= config.fill_max_chars
    {
        return HunkKind::Substituted;
    }
    HunkKind::Edited
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.replace('■', &MASK.to_string()).chars().collect()
    }

    fn kinds(a: &str, b: &str) -> Vec<HunkKind> {
        diff_chars(&chars(a), &chars(b), &DiffConfig::default())
            .into_iter()
            .map(|h| h.kind)
            .collect()
    }

    #[test]
    fn identical_texts_have_no_hunks() {
        assert!(kinds("推进县域经济", "推进县域经济").is_empty());
    }

    #[test]
    fn hunks_are_labelled() {
        assert_eq!(kinds("福州市委", "■市委"), [HunkKind::MaskedInB]);
        assert_eq!(kinds("在福州调研", "在厦门调研"), [HunkKind::Substituted]);
        assert_eq!(kinds("发展,经济", "发展、经济"), [HunkKind::Cosmetic]);
        assert_eq!(kinds("推进“放管服”", "推进■放管服”"), [HunkKind::MaskedInB]);
        assert_eq!(
            kinds(
                "我们要坚持稳中求进工作总基调。",
                "我们要坚持新发展理念，加快构建新发展格局，推动高质量发展。"
            ),
            [HunkKind::Edited]
        );
    }

    #[test]
    fn masks_next_to_a_value_are_not_a_redaction_of_it() {
        // Side a hides part and keeps part of something side b rewrote.
        assert_eq!(
            kinds("■年增长", "2014年下降"),
            [HunkKind::MaskedInA, HunkKind::Substituted]
        );
    }

    #[test]
    fn text_missing_beside_a_mask_was_hidden() {
        // 篇9 `**9县` against 篇5 `**x县`: the x joined 篇5's mask run.
        let a = chars("目前■9县");
        let b = chars("目前■县");
        let hunks = diff_chars(&a, &b, &DiffConfig::default());
        assert_eq!(hunks.len(), 1);
        assert_eq!(
            (hunks[0].a.clone(), hunks[0].b.clone(), hunks[0].kind),
            (2..4, 2..3, HunkKind::MaskedInB)
        );
        assert_eq!(kinds("九县", "县"), [HunkKind::Edited]);
    }

    #[test]
    fn longest_increasing_keeps_order() {
        assert_eq!(
            longest_increasing(&[0, 5, 1, 2, 3]),
            [true, false, true, true, true]
        );
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
        assert_eq!(longest_increasing(&[2, 1]), [false, true]);
    }

    #[test]
    fn hidden_shingles_leave_the_union() {
        // b shows 2 of a's 6 shingles and hid 4: a redacted copy.
        let a: [Vec<u64>; 1] = [vec![1, 2, 3, 4, 5, 6]];
        let b: [Vec<u64>; 1] = [vec![1, 2]];
        assert!(align_paragraphs(&a, &b, (&[], &[]), 0.5).pairs.is_empty());
        let alignment = align_paragraphs(&a, &b, (&[0], &[4]), 0.5);
        assert_eq!(alignment.pairs[0].jaccard, 1.0);
    }

    #[test]
    fn empty_sets_pair_with_nothing() {
        let a: [Vec<u64>; 2] = [vec![], vec![1, 2]];
        let b: [Vec<u64>; 2] = [vec![], vec![1, 2]];
        let alignment = align_paragraphs(&a, &b, (&[], &[]), 0.5);
        assert_eq!(alignment.pairs.len(), 1);
        assert_eq!((alignment.only_a, alignment.only_b), (vec![0], vec![0]));
    }

    /// A long text: `n` distinct sentences.
    fn long(n: usize) -> Vec<char> {
        (0..n)
            .map(|i| format!("第{i}句话说的是县域经济高质量发展的第{i}个方面。"))
            .collect::<String>()
            .chars()
            .collect()
    }

    #[test]
    fn a_long_pair_is_bounded_and_finds_the_same_hunks() {
        let a = long(800);
        assert!(a.len() > 2 * DiffConfig::default().max_chars);
        let mut b = a.clone();
        let at = a.len() / 2;
        b.splice(at..at + 4, [MASK]);
        let bounded = diff_chars(&a, &b, &DiffConfig::default());
        let whole = diff_chars(
            &a,
            &b,
            &DiffConfig {
                max_chars: usize::MAX,
                ..DiffConfig::default()
            },
        );
        assert_eq!(bounded, whole);
        assert_eq!(bounded.len(), 1);
        assert_eq!(bounded[0].kind, HunkKind::MaskedInB);
    }

    #[test]
    fn long_pairs_that_differ_in_many_places_go_sentence_by_sentence() {
        let a = long(800);
        // Every 100th sentence rewritten, far apart: more than max_chars
        // between the first and last change.
        let text: String = a.iter().collect();
        let changed = text
            .replace("第100句话", "第一百句话")
            .replace("第700句话", "第七百句话");
        let b: Vec<char> = changed.chars().collect();
        let config = DiffConfig::default();
        let hunks = diff_chars(&a, &b, &config);
        assert_eq!(hunks.len(), 2, "{hunks:?}");
        for h in &hunks {
            assert_eq!(h.kind, HunkKind::Substituted);
        }
        // The same input gives the same hunks: no clock decides.
        assert_eq!(hunks, diff_chars(&a, &b, &config));
    }

    #[test]
    fn a_stretch_too_long_to_compare_is_one_edit() {
        let config = DiffConfig {
            max_chars: 8,
            ..DiffConfig::default()
        };
        let a: Vec<char> = "一二三四五六七八九十".chars().collect();
        let b: Vec<char> = "甲乙丙丁戊己庚辛壬癸".chars().collect();
        let hunks = diff_chars(&a, &b, &config);
        assert_eq!(hunks.len(), 1);
        assert_eq!((hunks[0].a.clone(), hunks[0].b.clone()), (0..10, 0..10));
        assert_eq!(hunks[0].kind, HunkKind::Edited);
    }
}
