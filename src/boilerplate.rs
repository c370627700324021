//! Boilerplate: phrases that recur across otherwise unrelated documents.
//!
//! Input: for each group of related documents (a cluster, or a document in
//! none), the set of its character shingles. Output: the shingles found in
//! at least [`BoilerplateRules::min_groups`] groups, and, for any text, which
//! of its characters those shingles cover.
//!
//! Template sites wrap every page in the same phrases — 「同志们：」,
//! 「下面是…网小编为您推荐…」, 「推荐访问：…」 — and official speech has its
//! stock phrases. A phrase shared by many unrelated documents says nothing
//! about whether two of them were copied from each other, so the pipeline
//! reports it and leaves it out of the evidence. Counting groups rather
//! than documents matters: the four copies of one speech share every
//! sentence, and that is the copying we are looking for, not boilerplate.

use serde::{Deserialize, Serialize};

/// When a phrase is boilerplate.
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::BoilerplateRules;
///
/// let rules = BoilerplateRules::default();
/// assert!(rules.enabled);
/// assert_eq!(rules.min_groups, 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoilerplateRules {
    /// Look for boilerplate at all (default `true`). It needs document
    /// clusters, so it runs at [`Level::Document`](crate::Level::Document)
    /// and [`Level::Both`](crate::Level::Both) only.
    pub enabled: bool,
    /// A shingle is boilerplate when it occurs in at least this many
    /// unrelated groups (default 3).
    pub min_groups: usize,
    /// A sentence is boilerplate when at least this share of its letters
    /// and digits is covered by boilerplate shingles (default 0.5); so is a
    /// paragraph that only one copy in a cluster has (a site's link line).
    pub min_coverage: f64,
    /// A paragraph at least this covered is boilerplate as a whole and is
    /// not matched at paragraph level (default 0.8: 「同志们：」 is, a
    /// heading that happens to use two stock phrases is not).
    pub min_paragraph_coverage: f64,
    /// Phrases shorter than this many characters are not listed in the
    /// report (default 6); they still count as boilerplate.
    pub min_phrase_chars: usize,
    /// Boilerplate leaves a pair's evidence only when it is at most this
    /// share of the shingles the two documents hold together (default 0.9).
    /// Two documents made almost only of phrases that recur elsewhere are
    /// compared whole: there the recurring text is the content. On the law
    /// corpus, regulations filled from one template share 50–90% of their
    /// shingles with boilerplate and are rightly told apart; on a corpus
    /// recombined from the seed's 1,200 sentences, planted copies share more
    /// than 90% and are rightly kept (0.5 lost the first, 1.0 the second).
    pub max_pair_share: f64,
}

impl Default for BoilerplateRules {
    fn default() -> BoilerplateRules {
        BoilerplateRules {
            enabled: true,
            min_groups: 3,
            min_coverage: 0.5,
            min_paragraph_coverage: 0.8,
            min_phrase_chars: 6,
            max_pair_share: 0.9,
        }
    }
}

/// The shingles found in at least `min_groups` of `groups`, sorted.
///
/// Each group is the set of shingles of one group of related documents; a
/// shingle counts once per group however many of its members hold it.
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::boilerplate_shingles;
///
/// let groups = [vec![1, 2, 3], vec![2, 3, 2], vec![3, 4]];
/// assert_eq!(boilerplate_shingles(&groups, 2), [2, 3]);
/// assert_eq!(boilerplate_shingles(&groups, 3), [3]);
/// ```
pub fn boilerplate_shingles<G: AsRef<[u64]>>(groups: &[G], min_groups: usize) -> Vec<u64> {
    let mut all: Vec<u64> = Vec::new();
    let mut group = Vec::new();
    for g in groups {
        group.clear();
        group.extend_from_slice(g.as_ref());
        group.sort_unstable();
        group.dedup();
        all.extend_from_slice(&group);
    }
    all.sort_unstable();
    shingles_in_groups(&all, min_groups)
}

/// The shingles that occur at least `min_groups` times in `sorted`: the
/// sorted concatenation of each group's distinct shingles. The step of
/// [`boilerplate_shingles`] after sorting, for callers that sort in
/// parallel.
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::shingles_in_groups;
///
/// assert_eq!(shingles_in_groups(&[1, 2, 2, 3, 3, 3], 2), [2, 3]);
/// ```
pub fn shingles_in_groups(sorted: &[u64], min_groups: usize) -> Vec<u64> {
    sorted
        .chunk_by(|x, y| x == y)
        .filter(|run| run.len() >= min_groups.max(1))
        .map(|run| run[0])
        .collect()
}

/// Marks the characters of a text covered by boilerplate: `windows` are the
/// text's shingles as `(first character, hash)`, each `shingle_len`
/// characters long (or the whole text, if shorter), and `is_boilerplate`
/// says which hashes are boilerplate.
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::coverage;
///
/// let windows = [(0, 10), (1, 11), (2, 12)];
/// assert_eq!(coverage(&windows, 4, 2, |h| h == 11), [false, true, true, false]);
/// ```
pub fn coverage(
    windows: &[(usize, u64)],
    char_len: usize,
    shingle_len: usize,
    is_boilerplate: impl Fn(u64) -> bool,
) -> Vec<bool> {
    let mut covered = vec![false; char_len];
    for &(start, hash) in windows {
        if is_boilerplate(hash) {
            let end = (start + shingle_len).min(char_len);
            covered[start.min(char_len)..end].fill(true);
        }
    }
    covered
}

/// Splits a text into sentences after `。！？；!?;` (and their runs), as
/// character ranges; the last sentence runs to the end.
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::sentences;
///
/// let text: Vec<char> = "同志们：今天开会。下面是小编推荐！！谢谢".chars().collect();
/// assert_eq!(sentences(&text), [0..9, 9..18, 18..20]);
/// ```
pub fn sentences(chars: &[char]) -> Vec<std::ops::Range<usize>> {
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';');
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if is_end(chars[i]) {
            while i + 1 < chars.len() && is_end(chars[i + 1]) {
                i += 1;
            }
            out.push(start..i + 1);
            start = i + 1;
        }
        i += 1;
    }
    if start < chars.len() {
        out.push(start..chars.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shingle_counts_once_per_group() {
        let groups = [vec![7, 7, 7], vec![8]];
        assert!(boilerplate_shingles(&groups, 2).is_empty());
    }

    #[test]
    fn short_text_window_covers_the_text() {
        assert_eq!(coverage(&[(0, 5)], 3, 5, |h| h == 5), [true, true, true]);
    }

    #[test]
    fn no_sentence_in_empty_text() {
        assert!(sentences(&[]).is_empty());
    }
}
