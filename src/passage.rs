//! Passages: the stretches of text two documents share, wherever they sit.
//!
//! Input: each document's folded text (normalised, masks folded,
//! paragraphs one after another) and its seeds. Output:
//! for a pair of documents, the ranges they share, merged across the small
//! gaps a mask or a paragraph break leaves.
//!
//! Paragraphs cannot find a passage copied into the middle of a longer
//! text: the copy's paragraph holds the passage plus text of its own, its
//! source's paragraph another cut of it, and the two sets have a Jaccard
//! near a third (pan13's copies, measured). Positions can: two documents
//! that share a passage share a run of consecutive shingles, whatever their
//! paragraphs. The stage finds them in two steps, as document fingerprinting
//! does (Schleimer, Wilkerson and Aiken, *Winnowing*, SIGMOD 2003):
//!
//! 1. **Seeds.** Each run of `3k` folded characters without a mask gets a
//!    seed hash, across paragraph breaks (folded text has no whitespace, so
//!    a passage's characters run on the same however it was wrapped); of
//!    every [`WINNOW_WINDOW`] consecutive seeds the smallest is kept. Two
//!    texts sharing [`WINNOW_WINDOW`] seeds in a row (under 30 characters
//!    for `k = 5`) keep a seed in common, whatever their alignment, and
//!    about one seed in four is kept. Seeds found in more than
//!    [`PassageConfig::max_copies`] documents are stock phrases and left
//!    out, which also bounds the candidate edges.
//! 2. **Alignment.** For a candidate pair, each shared seed is extended
//!    along its diagonal while the folded characters agree (a mask agrees
//!    with a number), overlapping extensions give way to the longest, and
//!    neighbours in the same order on both sides are merged across gaps of
//!    up to [`MERGE_GAP_SHINGLES`] shingle lengths (a place masked as `**`
//!    shifts the diagonal by a character), or of up to 64 characters when
//!    the two gaps are within a shingle length of each other and one holds
//!    a mask (masks coming thick). Each passage's Jaccard and containment are those of
//!    the two ranges' shingles.
//!
//! A passage is reported when its shorter side holds at least
//! [`PassageConfig::min_words`] words; a document is *contained* in
//! another when passages cover at least
//! [`PassageConfig::contained_coverage`] of its text.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::check::{at_least, unit_interval};
use crate::error::Result;
use crate::redact::{is_content, MASK, NUMBER};
use crate::shingle::{fmix64, into_set, Shingler};

/// Seeds per winnowing window: any run of this many shared seeds keeps one
/// seed on both sides.
pub const WINNOW_WINDOW: usize = 8;

/// Neighbouring matches are one passage across gaps of up to this many
/// shingle lengths on each side (and across gaps of up to
/// `MAX_CHAIN_GAP` characters when both sides' gaps are within a shingle
/// length of each other: text that differs in place).
pub const MERGE_GAP_SHINGLES: usize = 3;

/// A seed covers this many shingle lengths of folded characters.
const SEED_SHINGLES: usize = 3;

/// Seeds of one run follow each other within this many characters (a
/// winnowing window's span, with room for a mask).
const MAX_CHAIN_GAP: usize = 64;

/// A seed hash occurring more often than this in one document is a repeat
/// (a table's row, a refrain): it anchors nothing.
const MAX_REPEATS: usize = 4;

/// When shared text is a passage, and when a document is contained.
///
/// # Examples
///
/// ```
/// use chachong::passage::PassageConfig;
/// use chachong::Config;
///
/// let config = Config::default().with_passages(PassageConfig { min_words: 60, ..Default::default() });
/// assert_eq!(config.passages().min_words, 60);
/// assert!(config.passages().enabled);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PassageConfig {
    /// Look for passages (default `true`); they are paragraph-level
    /// evidence, found at [`Level::Paragraph`](crate::Level::Paragraph) and
    /// [`Level::Both`](crate::Level::Both).
    pub enabled: bool,
    /// A passage's shorter side holds at least this many words (default
    /// 40): an ideograph, a run of letters or digits, and a mask are a word
    /// each.
    pub min_words: usize,
    /// Text found in more than this many documents is a stock phrase, not
    /// a passage (default 64).
    pub max_copies: usize,
    /// A document is contained in another when passages shared with it
    /// cover at least this share of its letters, digits and ideographs,
    /// those covered by boilerplate left out on both sides (default 0.8).
    pub contained_coverage: f64,
}

impl Default for PassageConfig {
    fn default() -> PassageConfig {
        PassageConfig {
            enabled: true,
            min_words: 40,
            max_copies: 64,
            contained_coverage: 0.8,
        }
    }
}

impl PassageConfig {
    /// Checks every value; the error names the first bad field.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// `min_words` of 0, a `max_copies` below 2 or a coverage outside (0, 1].
    pub fn validate(&self) -> Result<()> {
        at_least("passages.min_words", self.min_words as u64, 1)?;
        at_least("passages.max_copies", self.max_copies as u64, 2)?;
        unit_interval("passages.contained_coverage", self.contained_coverage)
    }
}

/// Letters, digits and ideographs among `chars` (a mask counts as one).
pub(crate) fn content(chars: &[char]) -> usize {
    chars.iter().filter(|&&c| is_content(c)).count()
}

/// The distinct character shingles of `chars` (one stretch of folded
/// text), sorted.
pub(crate) fn shingle_set(shingler: &Shingler, chars: &[char]) -> Vec<u64> {
    let text: String = chars.iter().collect();
    let mut set = Vec::with_capacity(chars.len());
    shingler.masked_char_sequence_into(&text, &mut set);
    into_set(&mut set);
    set
}

/// The winnowed seeds of `windows` as (hash, position), sorted: a seed
/// hashes the [`SEED_SHINGLES`]` × k` folded characters from its position,
/// across paragraph breaks (whitespace is gone from folded text, so a
/// passage's characters run on the same whatever its wrapping), and none
/// holds a mask.
pub(crate) fn seeds(chars: &[char], shingle_len: usize) -> Vec<(u64, u32)> {
    let span = SEED_SHINGLES * shingle_len;
    // A polynomial hash over the span, rolled one character at a time.
    const BASE: u64 = 0x100_0000_01B3;
    let drop = (1..span).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut all: Vec<(u32, u64)> = Vec::with_capacity(chars.len());
    let mut rolling = 0u64;
    let mut clean = 0;
    for (at, &c) in chars.iter().enumerate() {
        if at >= span {
            rolling = rolling.wrapping_sub((chars[at - span] as u64).wrapping_mul(drop));
        }
        rolling = rolling.wrapping_mul(BASE).wrapping_add(c as u64);
        clean = if c == MASK { 0 } else { clean + 1 };
        if clean >= span {
            all.push(((at + 1 - span) as u32, fmix64(rolling)));
        }
    }
    let mut kept: Vec<(u64, u32)> = winnow(&all, WINNOW_WINDOW)
        .into_iter()
        .map(|(pos, hash)| (hash, pos))
        .collect();
    kept.sort_unstable();
    kept
}

/// Of every `w` consecutive seeds, the smallest (the rightmost on a tie),
/// each kept once.
fn winnow(seeds: &[(u32, u64)], w: usize) -> Vec<(u32, u64)> {
    if seeds.len() <= w {
        return seeds
            .iter()
            .min_by_key(|s| s.1)
            .into_iter()
            .copied()
            .collect();
    }
    let mut kept: Vec<(u32, u64)> = Vec::with_capacity(seeds.len() * 2 / (w + 1) + 1);
    for window in seeds.windows(w) {
        let mut best = 0;
        for (at, s) in window.iter().enumerate() {
            if s.1 <= window[best].1 {
                best = at;
            }
        }
        let pick = window[best];
        if kept.last() != Some(&pick) {
            kept.push(pick);
        }
    }
    kept
}

/// One stretch two documents share, in folded characters of each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Segment {
    pub(crate) a: Range<usize>,
    pub(crate) b: Range<usize>,
}

impl Segment {
    fn len(&self) -> usize {
        self.a.len().min(self.b.len())
    }
}

/// The stretches `a` and `b` share, from their seeds (see the module
/// docs), ordered by position in `a` and overlapping on neither side.
pub(crate) fn align(
    a: &[char],
    b: &[char],
    a_seeds: &[(u64, u32)],
    b_seeds: &[(u64, u32)],
    shingle_len: usize,
) -> Vec<Segment> {
    let mut anchors = anchors(a_seeds, b_seeds);
    anchors.sort_unstable_by_key(|&(i, j)| (i as i64 - j as i64, i));
    let mut found: Vec<(i64, Segment)> = Vec::new();
    for (i, j) in anchors {
        let diagonal = i as i64 - j as i64;
        // Covered by the last stretch of its diagonal: already extended.
        if let Some((d, s)) = found.last() {
            if *d == diagonal && s.a.contains(&i) {
                continue;
            }
        }
        if let Some(segment) = extend(a, b, i, j) {
            found.push((diagonal, segment));
        }
    }
    let kept = without_overlaps(found.into_iter().map(|(_, s)| s).collect());
    // A merged gap may hold a stretch matched elsewhere: the longest win.
    without_overlaps(merge(a, b, kept, shingle_len))
}

/// Positions of seeds both sides hold, from seeds sorted by hash (a
/// merge, no table); a seed held more than [`MAX_REPEATS`] times on either
/// side anchors nothing.
fn anchors(a_seeds: &[(u64, u32)], b_seeds: &[(u64, u32)]) -> Vec<(usize, usize)> {
    let mut anchors = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a_seeds.len() && j < b_seeds.len() {
        let (x, y) = (a_seeds[i].0, b_seeds[j].0);
        if x != y {
            if x < y {
                i += 1;
            } else {
                j += 1;
            }
            continue;
        }
        let xs = a_seeds[i..].iter().take_while(|s| s.0 == x).count();
        let ys = b_seeds[j..].iter().take_while(|s| s.0 == x).count();
        if xs <= MAX_REPEATS && ys <= MAX_REPEATS {
            for a in &a_seeds[i..i + xs] {
                anchors.extend(
                    b_seeds[j..j + ys]
                        .iter()
                        .map(|b| (a.1 as usize, b.1 as usize)),
                );
            }
        }
        (i, j) = (i + xs, j + ys);
    }
    anchors
}

/// The longest run of shared seeds, in characters of `a`: anchors on one
/// diagonal, each within [`MAX_CHAIN_GAP`] characters of the last. A cheap
/// bound on the longest passage, from seeds alone.
pub(crate) fn longest_run(
    a_seeds: &[(u64, u32)],
    b_seeds: &[(u64, u32)],
    shingle_len: usize,
) -> usize {
    let mut anchors = anchors(a_seeds, b_seeds);
    anchors.sort_unstable_by_key(|&(i, j)| (i as i64 - j as i64, i));
    let mut best = 0;
    let mut run: Option<(i64, usize, usize)> = None;
    for (i, j) in anchors {
        let diagonal = i as i64 - j as i64;
        let first = match run {
            Some((d, first, last)) if d == diagonal && i - last <= MAX_CHAIN_GAP => first,
            _ => i,
        };
        run = Some((diagonal, first, i));
        best = best.max(i - first + SEED_SHINGLES * shingle_len);
    }
    best
}

/// The run of equal folded characters through characters `i` of `a` and
/// `j` of `b` (a mask matches a mask or a number), as character ranges;
/// `None` if they differ (a seed collision).
fn extend(a: &[char], b: &[char], i: usize, j: usize) -> Option<Segment> {
    let same = |x: usize, y: usize| match (a.get(x), b.get(y)) {
        (Some(&p), Some(&q)) => p == q || (p == MASK && q == NUMBER) || (p == NUMBER && q == MASK),
        _ => false,
    };
    if !same(i, j) {
        return None;
    }
    let back = (1..=i.min(j)).take_while(|&t| same(i - t, j - t)).count();
    let ahead = (1..).take_while(|&t| same(i + t, j + t)).count();
    let len = back + 1 + ahead;
    let (start_a, start_b) = (i - back, j - back);
    Some(Segment {
        a: start_a..start_a + len,
        b: start_b..start_b + len,
    })
}

/// The longest stretches first, each kept unless it overlaps a kept one on
/// either side (a sentence said twice in one text matches once); in order
/// of `a`.
fn without_overlaps(mut segments: Vec<Segment>) -> Vec<Segment> {
    segments.sort_unstable_by_key(|s| (std::cmp::Reverse(s.len()), s.a.start, s.b.start));
    let mut taken_a: BTreeMap<usize, usize> = BTreeMap::new();
    let mut taken_b: BTreeMap<usize, usize> = BTreeMap::new();
    let free = |taken: &BTreeMap<usize, usize>, r: &Range<usize>| {
        let before = taken.range(..r.end).next_back();
        before.is_none_or(|(_, &end)| end <= r.start)
    };
    let mut kept = Vec::new();
    for s in segments {
        if free(&taken_a, &s.a) && free(&taken_b, &s.b) {
            taken_a.insert(s.a.start, s.a.end);
            taken_b.insert(s.b.start, s.b.end);
            kept.push(s);
        }
    }
    kept.sort_unstable_by_key(|s| (s.a.start, s.b.start));
    kept
}

/// Neighbours that follow each other on both sides, with short gaps, or
/// with gaps of about the same length on both sides of up to
/// `MAX_CHAIN_GAP` characters where one holds a mask, as one stretch.
fn merge(a: &[char], b: &[char], segments: Vec<Segment>, shingle_len: usize) -> Vec<Segment> {
    let gap = MERGE_GAP_SHINGLES * shingle_len;
    let masked = |text: &[char], gap: Range<usize>| {
        text.get(gap)
            .is_some_and(|t| t.iter().any(|&c| c == MASK || c == NUMBER))
    };
    let mut merged: Vec<Segment> = Vec::with_capacity(segments.len());
    for s in segments {
        if let Some(last) = merged.last_mut() {
            let ordered = s.a.start >= last.a.end && s.b.start >= last.b.end;
            let (gap_a, gap_b) = (
                s.a.start.saturating_sub(last.a.end),
                s.b.start.saturating_sub(last.b.end),
            );
            // Short gaps on both sides; or gaps up to a seed run's, of about
            // the same length on both sides, one holding a mask: text masked
            // in place, where masks come thick (`**市和**市以及**市`).
            let follows = ordered
                && ((gap_a <= gap && gap_b <= gap)
                    || (gap_a.max(gap_b) <= MAX_CHAIN_GAP
                        && gap_a.abs_diff(gap_b) <= shingle_len
                        && (masked(a, last.a.end..s.a.start) || masked(b, last.b.end..s.b.start))));
            if follows {
                last.a.end = s.a.end;
                last.b.end = s.b.end;
                continue;
            }
        }
        merged.push(s);
    }
    merged
}

/// Words in `text` as written: an ideograph, a run of letters or digits
/// and a run of mask characters (`*`) are one each.
pub(crate) fn words(text: &str) -> usize {
    let mut words = 0;
    let mut run = None;
    for c in text.chars() {
        let kind = if is_ideograph(c) {
            words += 1;
            None
        } else if c.is_alphanumeric() || c == MASK || c == NUMBER {
            Some(true)
        } else if c == '*' || c == '＊' {
            Some(false)
        } else {
            None
        };
        if kind.is_some() && kind != run {
            words += 1;
        }
        run = kind;
    }
    words
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folded text as the stage holds it: paragraphs (split at `|`) one
    /// after another.
    fn folded(text: &str) -> Vec<char> {
        text.chars().filter(|&c| c != '|').collect()
    }

    fn shared(a: &str, b: &str) -> Vec<(String, String)> {
        let (a, b) = (folded(a), folded(b));
        let found = align(&a, &b, &seeds(&a, 5), &seeds(&b, 5), 5);
        found
            .iter()
            .map(|s| {
                (
                    a[s.a.clone()].iter().collect(),
                    b[s.b.clone()].iter().collect(),
                )
            })
            .collect()
    }

    #[test]
    fn stretches_have_their_shingle_sets() {
        let shingler = Shingler::new(5, 1);
        let chars: Vec<char> = "同志们：我们要推进高质量发展".chars().collect();
        assert_eq!(shingle_set(&shingler, &chars).len(), chars.len() - 4);
        let masked: Vec<char> = format!("同志们{MASK}我们要推进").chars().collect();
        // Windows touching the mask are left out.
        assert_eq!(shingle_set(&shingler, &masked).len(), 1);
    }

    const PASSAGE: &str = "我们要自觉扛牢推进县域经济高质量发展的时代重任，坚持稳中求进工作总基调，全面深化改革开放，加快建设现代化经济体系";

    #[test]
    fn a_passage_is_found_wherever_it_sits_and_however_it_is_broken() {
        let source = format!("今年以来全市上下认真贯彻落实各项决策部署，经济运行稳中有进。{PASSAGE}。其他内容与此无关。");
        let (head, tail) = PASSAGE.split_at(PASSAGE.char_indices().nth(23).unwrap().0);
        let copy = format!("本报讯记者从会上获悉|{head}|{tail}。会议还研究了别的事项。");
        let found = shared(&source, &copy);
        assert_eq!(found.len(), 1, "{found:?}");
        // The paragraph break costs nothing but the break.
        assert!(found[0].0.contains(PASSAGE), "{found:?}");
        assert_eq!(found[0].1.replace('|', ""), found[0].1);
    }

    #[test]
    fn masks_leave_gaps_that_are_merged() {
        let plain = format!("2014年郑州市经济总量达到7311亿元。{PASSAGE}");
        let masked = format!("{MASK}年{MASK}市经济总量达到{MASK}亿元。{PASSAGE}");
        // Folded digits are NUMBER; a mask hides the windows that touch it.
        let plain = plain
            .replace("2014", &NUMBER.to_string())
            .replace("7311", &NUMBER.to_string());
        let found = shared(&plain, &masked);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.starts_with("经济总量") || found[0].0.contains(PASSAGE));
    }

    #[test]
    fn thick_masks_keep_one_passage() {
        let tail = "全市上下认真贯彻落实各项决策部署，经济运行稳中有进，发展质量稳步提升，民生福祉持续增进";
        let plain = format!("{PASSAGE}在郑州市和开封市以及洛阳市召开会议{tail}");
        let masked = format!("{PASSAGE}在{MASK}市和{MASK}市以及{MASK}市召开会议{tail}");
        let found = shared(&plain, &masked);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.ends_with(tail), "{found:?}");
    }

    #[test]
    fn different_text_between_two_passages_is_not_merged() {
        let tail = "全市上下认真贯彻落实各项决策部署，经济运行稳中有进，发展质量稳步提升，民生福祉持续增进";
        let x = format!("{PASSAGE}在郑州市和开封市以及洛阳市召开会议{tail}");
        let y = format!("{PASSAGE}今年春天来了公园里花开得正好极了{tail}");
        assert_eq!(shared(&x, &y).len(), 2);
    }

    #[test]
    fn unrelated_texts_share_nothing() {
        let found = shared(
            PASSAGE,
            "今年以来，全市上下认真贯彻落实各项决策部署，经济运行稳中有进，发展质量稳步提升。",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_sentence_said_twice_matches_once() {
        let twice = format!("{PASSAGE}。{PASSAGE}。");
        let found = shared(PASSAGE, &twice);
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn winnowing_keeps_one_seed_in_every_window() {
        let seeds: Vec<(u32, u64)> = (0..100u32).map(|i| (i, fmix64(u64::from(i)))).collect();
        let kept = winnow(&seeds, WINNOW_WINDOW);
        for window in seeds.windows(WINNOW_WINDOW) {
            assert!(window.iter().any(|s| kept.contains(s)));
        }
        assert!(kept.len() < seeds.len() / 2, "{}", kept.len());
        assert_eq!(winnow(&seeds[..3], WINNOW_WINDOW).len(), 1);
    }

    #[test]
    fn bad_passage_settings_name_their_field() {
        let bad = |config: PassageConfig| config.validate().unwrap_err().to_string();
        let default = PassageConfig::default();
        assert!(bad(PassageConfig {
            min_words: 0,
            ..default
        })
        .contains("passages.min_words"));
        assert!(bad(PassageConfig {
            max_copies: 1,
            ..default
        })
        .contains("passages.max_copies"));
        let coverage = PassageConfig {
            contained_coverage: 1.5,
            ..default
        };
        assert!(bad(coverage).contains("passages.contained_coverage"));
        assert!(default.validate().is_ok());
    }

    #[test]
    fn words_count_ideographs_and_latin_words() {
        assert_eq!(words("推进 the quick-brown fox 2014"), 7);
        assert_eq!(words("****年**市x.x%"), 6);
        assert_eq!(words(""), 0);
    }
}
