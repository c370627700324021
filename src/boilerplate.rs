//! Boilerplate: phrases that recur across otherwise unrelated documents.
//!
//! Input: for each group of related documents (a cluster, or a document in
//! none), the set of its character shingles. Output: the shingles found in
//! at least [`BoilerplateConfig::min_groups`] groups, and, for any text, which
//! of its characters those shingles cover.
//!
//! Template sites wrap every page in the same phrases — 「同志们：」,
//! 「下面是…网小编为您推荐…」, 「推荐访问：…」 — and official speech has its
//! stock phrases. A phrase shared by many unrelated documents says nothing
//! about whether two of them were copied from each other, so the pipeline
//! reports it and leaves it out of the evidence. Counting groups rather
//! than documents matters: the four copies of one speech share every
//! sentence, and that is the copying we are looking for, not boilerplate.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::check::{closed_unit_interval, unit_interval};
use crate::error::{Error, Result};
use crate::extent::Extent;
use crate::prepare::DocumentView;
use crate::redact::{is_content, MASK, NUMBER};
use crate::sentence::split_sentences;

/// When a phrase is boilerplate.
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::BoilerplateConfig;
///
/// let rules = BoilerplateConfig::default();
/// assert!(rules.enabled);
/// assert_eq!(rules.min_groups, 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BoilerplateConfig {
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
    /// Boilerplate leaves a pair's evidence only when it is at least this
    /// share of the shingles the two documents hold between them (their
    /// union; default 0.75): only then is it what holds the pair together.
    /// Below it the pair has text of its own in common and is compared
    /// whole, stock phrases included: leaving out text that both hold
    /// lowers the Jaccard of every pair that holds any, so versions of a
    /// short regulation, a third to a half stock phrases, fell below the
    /// threshold with it. On the law corpus, regulations filled from one
    /// template are 85% boilerplate and true versions at most 62%, hence
    /// 0.75 (the sweep is in docs/accuracy.md).
    pub min_pair_share: f64,
    /// Boilerplate leaves a pair's evidence only when it is at most this
    /// share of the shingles the two documents hold between them (default
    /// 0.9). Two documents made almost only of phrases that recur elsewhere
    /// are compared whole: there the recurring text is the content. On a
    /// corpus recombined from the seed's 1,200 sentences, planted copies
    /// share more than 90% and are rightly kept.
    pub max_pair_share: f64,
    /// How much the report lists (default
    /// [`Auto`](BoilerplateListing::Auto): a summary at the document level
    /// alone, everything when paragraphs are compared). Whatever it lists,
    /// all boilerplate is left out of the evidence alike.
    pub listing: BoilerplateListing,
    /// Which documents the boilerplate shingles are learned from (default
    /// [`Extent::Auto`]: at the document level alone a sample of one
    /// document in a hundred, within [`SAMPLE_DOCUMENTS`]; every document
    /// when paragraphs are compared). A sample
    /// is the documents whose ids hash lowest, so it does not depend on
    /// the input's order; a shingle is boilerplate when it occurs in
    /// [`min_groups`](Self::min_groups) groups *among the sample*, so a
    /// sample finds the widespread phrases (a site's template, a stock
    /// disclaimer) and misses those shared by a handful of groups in a
    /// large corpus. It is left out of every pair's evidence alike.
    pub sample: Extent,
}

/// How much of the boilerplate a report lists.
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::{BoilerplateConfig, BoilerplateListing};
///
/// assert_eq!(BoilerplateConfig::default().listing, BoilerplateListing::Auto);
/// let full: BoilerplateListing = serde_json::from_str("\"full\"").unwrap();
/// assert_eq!(full, BoilerplateListing::Full);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoilerplateListing {
    /// [`Summary`](Self::Summary) when only documents are compared (a run
    /// over a corpus), [`Full`](Self::Full) when paragraphs are too (an
    /// analyst's run).
    #[default]
    Auto,
    /// The counts, and the [`SUMMARY_PHRASES`] most widespread phrases
    /// among the first [`SUMMARY_DOCUMENTS`] documents by id; no sentences.
    /// Bounded whatever the corpus, and at the document level the other
    /// documents are not read again for it.
    Summary,
    /// Every phrase, and every boilerplate sentence of every document.
    Full,
}

/// Documents a [`BoilerplateListing::Summary`] reads for its phrases, the
/// first by id: one in [`CORPUS_SHARE`](crate::extent::CORPUS_SHARE) within
/// this range ([`Extent::corpus_bound`]).
pub const SUMMARY_DOCUMENTS: RangeInclusive<usize> = 200..=1_000;
/// Phrases a [`BoilerplateListing::Summary`] lists.
pub const SUMMARY_PHRASES: usize = 20;
/// Documents the boilerplate is learned from at the document level alone
/// by default ([`BoilerplateConfig::sample`]): one in
/// [`CORPUS_SHARE`](crate::extent::CORPUS_SHARE) within this range
/// ([`Extent::corpus_bound`]).
pub const SAMPLE_DOCUMENTS: RangeInclusive<usize> = 500..=2_000;

impl BoilerplateConfig {
    /// Checks every value; the error names the first bad field.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// coverage outside (0, 1], a share outside [0, 1], a minimum share
    /// above the maximum, or fewer than 2 groups.
    pub fn validate(&self) -> Result<()> {
        unit_interval("boilerplate.min_coverage", self.min_coverage)?;
        unit_interval(
            "boilerplate.min_paragraph_coverage",
            self.min_paragraph_coverage,
        )?;
        closed_unit_interval("boilerplate.min_pair_share", self.min_pair_share)?;
        closed_unit_interval("boilerplate.max_pair_share", self.max_pair_share)?;
        if self.min_pair_share > self.max_pair_share {
            return Err(Error::invalid_config(
                "boilerplate.min_pair_share",
                format!(
                    "boilerplate.min_pair_share {} is above boilerplate.max_pair_share {}: no pair would leave boilerplate out",
                    self.min_pair_share, self.max_pair_share
                ),
            ));
        }
        if self.min_groups < 2 {
            return Err(Error::invalid_config(
                "boilerplate.min_groups",
                format!(
                    "boilerplate.min_groups {} must be at least 2: a phrase in one group is that group's own text",
                    self.min_groups
                ),
            ));
        }
        if self.sample == Extent::AtMost(0) {
            return Err(Error::invalid_config(
                "boilerplate.sample",
                "boilerplate.sample of at most 0 documents learns nothing: to look for no boilerplate, set boilerplate.enabled to false",
            ));
        }
        Ok(())
    }
}

impl Default for BoilerplateConfig {
    fn default() -> BoilerplateConfig {
        BoilerplateConfig {
            enabled: true,
            min_groups: 3,
            min_coverage: 0.5,
            min_paragraph_coverage: 0.8,
            min_phrase_chars: 6,
            min_pair_share: 0.75,
            max_pair_share: 0.9,
            listing: BoilerplateListing::Auto,
            sample: Extent::Auto,
        }
    }
}

/// A phrase that recurs across otherwise unrelated documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoilerplatePhrase {
    /// The phrase, normalised (masks shown as `*`).
    pub text: String,
    /// Documents it occurs in.
    pub documents: usize,
    /// Unrelated groups (clusters, or documents in none) it occurs in.
    pub groups: usize,
}

/// A sentence (or a short paragraph) made mostly of boilerplate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoilerplateSentence {
    /// The document.
    pub document: String,
    /// The paragraph index.
    pub paragraph: usize,
    /// Character range of the sentence.
    pub range: [usize; 2],
    /// The sentence as written.
    pub text: String,
    /// Share of its letters and digits covered by boilerplate phrases.
    pub coverage: f64,
}

/// Boilerplate found in the corpus: it is reported, and it does not count
/// as evidence that two documents are copies.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Boilerplate {
    /// Phrases found in at least
    /// [`BoilerplateConfig::min_groups`]
    /// unrelated groups, most widespread first.
    pub phrases: Vec<BoilerplatePhrase>,
    /// Sentences made mostly of such phrases, by document and position.
    pub sentences: Vec<BoilerplateSentence>,
    /// Distinct shingles found to be boilerplate.
    pub shingles: usize,
    /// `None` when every document was read for `phrases` and `sentences`;
    /// for a [`BoilerplateListing::Summary`], the number of documents read
    /// (the first by id), whose phrases are counted and the most
    /// widespread listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_of: Option<usize>,
    /// `None` when the boilerplate shingles were learned from every
    /// document; else the size of the sample they were learned from
    /// ([`BoilerplateConfig::sample`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learned_from: Option<usize>,
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

/// Share of the letters and digits of `chars[range]` that are `covered`
/// (0 for a range without any).
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::covered_share;
///
/// let chars: Vec<char> = "推荐访问：范文网".chars().collect();
/// let covered = [true, true, true, true, true, false, false, false];
/// assert_eq!(covered_share(&chars, &covered, 0..chars.len()), 4.0 / 7.0);
/// ```
pub fn covered_share(chars: &[char], covered: &[bool], range: std::ops::Range<usize>) -> f64 {
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
///
/// # Examples
///
/// ```
/// use chachong::boilerplate::phrases;
///
/// let chars: Vec<char> = "同志们:今天开会".chars().collect();
/// let covered = [true, true, true, true, false, false, false, false];
/// assert_eq!(phrases(&chars, &covered, 3), ["同志们:"]);
/// assert!(phrases(&chars, &covered, 4).is_empty());
/// ```
pub fn phrases(chars: &[char], covered: &[bool], min_chars: usize) -> Vec<String> {
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

/// What boilerplate one document holds.
#[derive(Clone, Debug, Default)]
pub(crate) struct DocumentBoilerplate {
    /// Its sentences made mostly of boilerplate, in order.
    pub(crate) sentences: Vec<BoilerplateSentence>,
    /// Its boilerplate phrases, sorted, each once.
    pub(crate) phrases: Vec<String>,
    /// For each paragraph, whether it is boilerplate as a whole.
    pub(crate) paragraphs: Vec<bool>,
}

/// The boilerplate of the document `view` shows, with `is_boilerplate`
/// telling boilerplate shingles (of `shingle_len` characters) apart; its
/// sentences only for a [`BoilerplateListing::Full`] (`listing`, resolved),
/// as a summary lists none and a boilerplate-heavy corpus has many.
pub(crate) fn document_boilerplate(
    view: &DocumentView,
    shingle_len: usize,
    is_boilerplate: impl Fn(u64) -> bool,
    (config, listing): (&BoilerplateConfig, BoilerplateListing),
) -> DocumentBoilerplate {
    let mut found = DocumentBoilerplate::default();
    for (j, p) in view.paragraphs.iter().enumerate() {
        let covered = coverage(&p.windows, p.chars.len(), shingle_len, &is_boilerplate);
        let whole = covered_share(&p.chars, &covered, 0..p.chars.len());
        found
            .paragraphs
            .push(whole >= config.min_paragraph_coverage);
        found
            .phrases
            .extend(phrases(&p.chars, &covered, config.min_phrase_chars));
        if listing != BoilerplateListing::Full {
            continue;
        }
        for sentence in split_sentences(&p.chars) {
            let share = covered_share(&p.chars, &covered, sentence.clone());
            if share >= config.min_coverage {
                let (range, text) = view.span(j, &sentence);
                found.sentences.push(BoilerplateSentence {
                    document: view.doc.id().to_string(),
                    paragraph: j,
                    range,
                    text,
                    coverage: share,
                });
            }
        }
    }
    found.phrases.sort();
    found.phrases.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_pair_shares_name_their_field() {
        let bad = |config: BoilerplateConfig| config.validate().unwrap_err().to_string();
        let default = BoilerplateConfig::default();
        let above = BoilerplateConfig {
            min_pair_share: 0.95,
            ..default
        };
        assert!(bad(above).contains("boilerplate.min_pair_share 0.95 is above"));
        let outside = BoilerplateConfig {
            max_pair_share: 1.5,
            ..default
        };
        assert!(bad(outside).contains("boilerplate.max_pair_share"));
        assert!(default.validate().is_ok());
    }

    #[test]
    fn a_shingle_counts_once_per_group() {
        let groups = [vec![7, 7, 7], vec![8]];
        assert!(boilerplate_shingles(&groups, 2).is_empty());
    }

    #[test]
    fn short_text_window_covers_the_text() {
        assert_eq!(coverage(&[(0, 5)], 3, 5, |h| h == 5), [true, true, true]);
    }
}
