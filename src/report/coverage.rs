//! 重复率, the share of a document copied from elsewhere, and the spans
//! that make it up, read off a [`Report`]: nothing is compared again.
//!
//! A character of document d is *copied* when another document holds it
//! by one of the report's findings:
//!
//! - **identical**: d's text is, byte for byte, another member's
//!   ([`CopyAnalysis::identical`]): all of it;
//! - **aligned**: in a cluster with analysis, d's paragraph is aligned with
//!   the canonical copy's (or, for the canonical copy, a member's paragraph
//!   is aligned with its own), less what that alignment's diff calls
//!   `edited` or `substituted`; masks and cosmetic differences stay copied
//!   (a redacted copy is still a copy);
//! - **paragraph**: a paragraph match with a document in no cluster with
//!   d (inside a cluster the alignment is finer and is used instead): the
//!   whole paragraph;
//! - **passage**: a passage shared with another document: its range.
//!
//! Only content characters count: letters, digits, ideographs, and `*`
//! (a mask stands for a character hidden; `x` and `某` masks are letters
//! already), not whitespace or punctuation. Boilerplate sentences are
//! counted apart and are not copying: `rate = copied / content`, copied
//! characters inside boilerplate not counted as copied, the whole text the
//! denominator. This is the rule Chinese 查重 checkers state for their
//! ratio without quotations (CNKI's 去除引用文献复制比: copied characters
//! less quoted ones, over all characters), with the corpus's boilerplate in
//! the place of quotations. Leaving boilerplate out of the denominator too
//! was tried and dropped: a page that is nine tenths stock phrases and
//! shares its last sentence read as 100% copied.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::align::HunkKind;
use crate::analysis::{AlignedRow, CopyAnalysis, Placement};
use crate::corpus::Document;
use crate::redact::is_content;
use crate::report::Report;

/// Why a span counts as copied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The whole text is another document's, byte for byte.
    Identical,
    /// A paragraph aligned with another member's in the cluster analysis.
    Aligned,
    /// A paragraph match with a document outside the cluster.
    Paragraph,
    /// A passage shared with another document.
    Passage,
}

/// A stretch of a document found in another.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CopiedSpan {
    /// Characters of the document.
    pub range: [usize; 2],
    /// The other document.
    pub source: String,
    /// Where the stretch is in the other document.
    pub source_range: [usize; 2],
    /// Which finding says so.
    pub evidence: Evidence,
}

/// How much of one document is copied from others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// The document.
    pub document: String,
    /// Letters, digits, ideographs and `*` masks in it.
    pub content_chars: usize,
    /// Of those, characters in boilerplate sentences.
    pub boilerplate_chars: usize,
    /// Content characters outside boilerplate covered by a span.
    pub copied_chars: usize,
    /// 重复率: `copied_chars / content_chars`, 0 for a document with no
    /// content.
    pub rate: f64,
    /// The spans, sorted by range, then source.
    pub spans: Vec<CopiedSpan>,
}

impl Report {
    /// Each document's [`Coverage`], in the report's document order. `docs`
    /// must be the documents the report was made from (characters are
    /// counted in them); a document missing from `docs` gets zero counts.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Deduplicator, Document, Level};
    ///
    /// let copied = "推进县域经济高质量发展，是新时代赋予我们的重大任务。";
    /// let docs = [
    ///     Document::new("a", format!("{copied}\n今天天气很好，我们去公园散步吧。")),
    ///     Document::new("b", format!("{copied}\n明年的计划还没有定下来，再商量。")),
    /// ];
    /// let report = Deduplicator::new(Config::default().with_level(Level::Paragraph))?.run(&docs)?;
    /// let coverage = report.coverage(&docs);
    /// // 24 of a's 38 content characters (punctuation left out) are b's.
    /// assert_eq!((coverage[0].copied_chars, coverage[0].content_chars), (24, 38));
    /// assert_eq!(coverage[0].spans[0].source, "b");
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn coverage(&self, docs: &[Document]) -> Vec<Coverage> {
        let texts: HashMap<&str, &Document> = docs.iter().map(|d| (d.id(), d)).collect();
        let mut spans = self.copied_spans(&texts);
        let mut boilerplate: HashMap<&str, Vec<[usize; 2]>> = HashMap::new();
        for s in &self.boilerplate.sentences {
            boilerplate.entry(&s.document).or_default().push(s.range);
        }
        self.documents
            .iter()
            .map(|d| {
                let id = d.id.as_str();
                let mut own = spans.remove(id).unwrap_or_default();
                own.sort_unstable();
                own.dedup();
                let bp = boilerplate.get(id).map_or(&[][..], Vec::as_slice);
                count(id, texts.get(id).copied(), own, bp)
            })
            .collect()
    }

    /// Every document's spans, unsorted.
    fn copied_spans<'a>(
        &'a self,
        texts: &HashMap<&str, &Document>,
    ) -> HashMap<&'a str, Vec<CopiedSpan>> {
        let mut spans: HashMap<&str, Vec<CopiedSpan>> = HashMap::new();
        let mut cluster_of: HashMap<&str, usize> = HashMap::new();
        for (k, cluster) in self.clusters.iter().enumerate() {
            let analysed = cluster.analysis.as_ref();
            for m in &cluster.members {
                if analysed.is_some() {
                    cluster_of.insert(m, k);
                }
            }
            if let Some(analysis) = analysed {
                cluster_spans(analysis, texts, &mut spans);
            }
        }
        let same_cluster = |a: &str, b: &str| {
            cluster_of
                .get(a)
                .is_some_and(|k| cluster_of.get(b) == Some(k))
        };
        for m in &self.paragraph_matches {
            if m.a != m.b && !same_cluster(&m.a, &m.b) {
                both_ways(
                    &mut spans,
                    (&m.a, m.a_range),
                    (&m.b, m.b_range),
                    Evidence::Paragraph,
                );
            }
        }
        for p in &self.passages {
            both_ways(
                &mut spans,
                (&p.a, p.a_range),
                (&p.b, p.b_range),
                Evidence::Passage,
            );
        }
        spans
    }
}

/// The spans a cluster's analysis gives: identical texts whole, aligned
/// paragraphs less their edits.
fn cluster_spans<'a>(
    analysis: &'a CopyAnalysis,
    texts: &HashMap<&str, &Document>,
    spans: &mut HashMap<&'a str, Vec<CopiedSpan>>,
) {
    let whole = |id: &str| [0, texts.get(id).map_or(0, |d| d.char_len())];
    for same in &analysis.identical {
        let (a, b) = (same.document.as_str(), same.same_as.as_str());
        both_ways(spans, (a, whole(a)), (b, whole(b)), Evidence::Identical);
    }
    for row in &analysis.alignments {
        row_spans(row, spans);
    }
}

/// In one aligned row: each member's paragraph against the canonical one,
/// both ways, each side less the hunks that are not copying.
fn row_spans<'a>(row: &'a AlignedRow, spans: &mut HashMap<&'a str, Vec<CopiedSpan>>) {
    let Some(canonical) = row
        .paragraphs
        .iter()
        .find(|p| p.placement == Placement::Canonical)
    else {
        return;
    };
    for member in &row.paragraphs {
        if !matches!(member.placement, Placement::Aligned | Placement::Moved) {
            continue;
        }
        let changed = |kind: HunkKind| matches!(kind, HunkKind::Edited | HunkKind::Substituted);
        let member_cuts = member
            .hunks
            .iter()
            .filter(|h| changed(h.kind))
            .map(|h| h.b_range);
        let canonical_cuts = member
            .hunks
            .iter()
            .filter(|h| changed(h.kind))
            .map(|h| h.a_range);
        for range in without(member.range, member_cuts) {
            spans.entry(&member.document).or_default().push(CopiedSpan {
                range,
                source: canonical.document.clone(),
                source_range: canonical.range,
                evidence: Evidence::Aligned,
            });
        }
        for range in without(canonical.range, canonical_cuts) {
            spans
                .entry(&canonical.document)
                .or_default()
                .push(CopiedSpan {
                    range,
                    source: member.document.clone(),
                    source_range: member.range,
                    evidence: Evidence::Aligned,
                });
        }
    }
}

/// A span on each side, each naming the other as its source.
fn both_ways<'a>(
    spans: &mut HashMap<&'a str, Vec<CopiedSpan>>,
    (a, a_range): (&'a str, [usize; 2]),
    (b, b_range): (&'a str, [usize; 2]),
    evidence: Evidence,
) {
    spans.entry(a).or_default().push(CopiedSpan {
        range: a_range,
        source: b.to_string(),
        source_range: b_range,
        evidence,
    });
    spans.entry(b).or_default().push(CopiedSpan {
        range: b_range,
        source: a.to_string(),
        source_range: a_range,
        evidence,
    });
}

/// `range` with the `cuts` taken out, as the ranges left (empty ones
/// dropped).
fn without(range: [usize; 2], cuts: impl Iterator<Item = [usize; 2]>) -> Vec<[usize; 2]> {
    let mut cuts: Vec<[usize; 2]> = cuts.collect();
    cuts.sort_unstable();
    let mut left = Vec::new();
    let mut at = range[0];
    for [start, end] in cuts {
        if start > at {
            left.push([at, start.min(range[1])]);
        }
        at = at.max(end);
    }
    if at < range[1] {
        left.push([at, range[1]]);
    }
    left.retain(|r| r[0] < r[1]);
    left
}

/// Whether a character counts: content, or a `*` mask (not content to the
/// shingler, which folds mask runs itself, but a hidden character here).
fn counted(c: char) -> bool {
    is_content(c) || matches!(c, '*' | '＊')
}

/// The counts of one document: one pass over its characters, marking
/// boilerplate and copied ones.
fn count(
    id: &str,
    doc: Option<&Document>,
    spans: Vec<CopiedSpan>,
    boilerplate: &[[usize; 2]],
) -> Coverage {
    let content: Vec<bool> = doc.map_or_else(Vec::new, |d| d.text().chars().map(counted).collect());
    let n = content.len();
    let mut in_boilerplate = vec![false; n];
    // A range read back from a report may be anything: take it as far as
    // it makes sense.
    for r in boilerplate.iter().filter(|r| r[0] < r[1]) {
        in_boilerplate[r[0].min(n)..r[1].min(n)].fill(true);
    }
    // Spans are sorted by range: each character is marked once however
    // many spans cover it (a page with a thousand identical copies).
    let mut copied = vec![false; n];
    let mut marked = 0;
    for s in &spans {
        let (start, end) = (s.range[0].max(marked).min(n), s.range[1].min(n));
        if start < end {
            copied[start..end].fill(true);
            marked = end;
        }
    }
    let content_chars = content.iter().filter(|&&c| c).count();
    let boilerplate_chars = (0..n).filter(|&i| content[i] && in_boilerplate[i]).count();
    let copied_chars = (0..n)
        .filter(|&i| content[i] && copied[i] && !in_boilerplate[i])
        .count();
    Coverage {
        document: id.to_string(),
        content_chars,
        boilerplate_chars,
        copied_chars,
        rate: if content_chars == 0 {
            0.0
        } else {
            copied_chars as f64 / content_chars as f64
        },
        spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_leave_what_is_between_them() {
        assert_eq!(
            without([0, 10], [[2, 4], [3, 6]].into_iter()),
            [[0, 2], [6, 10]]
        );
        assert_eq!(
            without([0, 10], [[0, 10]].into_iter()),
            Vec::<[usize; 2]>::new()
        );
        assert_eq!(without([5, 10], std::iter::empty()), [[5, 10]]);
        assert_eq!(without([5, 10], [[0, 6], [9, 20]].into_iter()), [[6, 9]]);
    }
}
