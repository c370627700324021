//! Reports as people read them: [`Report::to_text`] and
//! [`Explanation::to_text`], and the labels they use. Nothing here computes
//! anything the JSON report does not hold; it only chooses what to show.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::align::HunkKind;
use crate::analysis::{CopyAnalysis, CopyKind, Explanation};
use crate::corpus::Document;
use crate::paragraph::MatchKind;
use crate::report::{Cluster, DuplicatePair, ParagraphMatch, Report};

/// Characters of a paragraph shown beside a match.
const EXCERPT_CHARS: usize = 60;
/// Boilerplate phrases and redactions listed before "…".
const FIRST_FEW: usize = 5;

// `write!` into a `String` cannot fail; the results are ignored with `_`.

impl Report {
    /// The report as a person reads it: clusters, singletons, then the
    /// strongest paragraph matches with their text as written. `docs` must
    /// be the documents the report was made from (paragraph text is taken
    /// from them); `max_matches` caps the paragraph matches shown.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Deduplicator, Document};
    ///
    /// let text = "推进县域经济高质量发展，是新时代赋予我们的重大任务。";
    /// let docs = [Document::new("a", text), Document::new("b", text), Document::new("c", "今天天气很好。")];
    /// let report = Deduplicator::new(Config::default())?.run(&docs)?;
    /// let shown = report.to_text(&docs, 5);
    /// assert!(shown.starts_with("3 documents, 1 clusters of near-duplicates"));
    /// assert!(shown.contains("\n1 singletons\n  c\n"));
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn to_text(&self, docs: &[Document], max_matches: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} documents, {} clusters of near-duplicates (Jaccard >= {})",
            self.documents.len(),
            self.clusters.len(),
            self.config.jaccard_threshold()
        );
        let pairs = self.pairs_by_cluster();
        for (i, (cluster, pairs)) in self.clusters.iter().zip(&pairs).enumerate() {
            self.write_cluster(&mut out, (i, cluster), pairs);
        }
        let analysed = self
            .clusters
            .iter()
            .filter(|c| c.analysis.is_some())
            .count();
        if self.config.analysis().enabled && analysed < self.clusters.len() {
            let _ = writeln!(
                out,
                "
the first {analysed} of {} clusters analysed (a corpus run's bound; --full-report analyses every one)",
                self.clusters.len()
            );
        }
        self.write_chain_splits(&mut out);
        self.write_singletons(&mut out);
        self.write_boilerplate(&mut out);
        self.write_paragraph_matches(&mut out, docs, max_matches);
        self.write_passages(&mut out, docs, max_matches);
        self.write_revisions(&mut out);
        out
    }

    /// The revisions, each with its figures; nothing when there are none
    /// (the seed's report).
    fn write_revisions(&self, out: &mut String) {
        if self.revisions.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n{} pairs of documents that are revisions of one another (shared text in order):",
            self.revisions.len()
        );
        for r in &self.revisions {
            let _ = writeln!(
                out,
                "  {} ~ {}: {:.1}% / {:.1}% covered, paragraphs {}/{} and {}/{}, {:.1}% in order, {:.1}% boilerplate",
                r.a,
                r.b,
                100.0 * r.a_coverage,
                100.0 * r.b_coverage,
                r.a_paragraphs[0],
                r.a_paragraphs[1],
                r.b_paragraphs[0],
                r.b_paragraphs[1],
                100.0 * r.order,
                100.0 * r.boilerplate
            );
        }
    }

    /// The longest passages, with the copy's text, then the contained
    /// documents; nothing when there are none (the seed's report).
    fn write_passages(&self, out: &mut String, docs: &[Document], max_passages: usize) {
        if !self.passages.is_empty() {
            let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id(), d)).collect();
            let _ = writeln!(
                out,
                "\n{} passages shared by documents in no cluster together; the {} longest:",
                self.passages.len(),
                self.passages.len().min(max_passages)
            );
            for p in self.passages.iter().take(max_passages) {
                let _ = writeln!(
                    out,
                    "\n  {} [{}, {}) ~ {} [{}, {}): {} words, jaccard {:.3}",
                    p.a,
                    p.a_range[0],
                    p.a_range[1],
                    p.b,
                    p.b_range[0],
                    p.b_range[1],
                    p.words,
                    p.jaccard
                );
                if let Some(doc) = by_id.get(p.a.as_str()) {
                    let text = unwrapped(doc.char_slice(p.a_range[0]..p.a_range[1]));
                    let _ = writeln!(out, "    | {}", excerpt(&text, EXCERPT_CHARS));
                }
            }
        }
        if !self.contained.is_empty() {
            let _ = writeln!(
                out,
                "\n{} documents contained in another:",
                self.contained.len()
            );
            for c in &self.contained {
                let _ = writeln!(
                    out,
                    "  {} in {}: {:.1}% of it covered ({:.1}% of {}), {} passages",
                    c.inner,
                    c.outer,
                    100.0 * c.inner_coverage,
                    100.0 * c.outer_coverage,
                    c.outer,
                    c.passages
                );
            }
        }
    }

    /// Each cluster's pairs (those whose first document is a member), in
    /// report order: one pass over the pairs, whatever the clusters' sizes.
    fn pairs_by_cluster(&self) -> Vec<Vec<&DuplicatePair>> {
        // A run's clusters are disjoint; a report made by hand may not be.
        let mut clusters_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, cluster) in self.clusters.iter().enumerate() {
            for member in &cluster.members {
                let of = clusters_of.entry(member.as_str()).or_default();
                if of.last() != Some(&k) {
                    of.push(k);
                }
            }
        }
        let mut pairs = vec![Vec::new(); self.clusters.len()];
        for pair in &self.pairs {
            for &k in clusters_of.get(pair.a.as_str()).into_iter().flatten() {
                pairs[k].push(pair);
            }
        }
        pairs
    }

    fn write_cluster(
        &self,
        out: &mut String,
        (i, cluster): (usize, &Cluster),
        pairs: &[&DuplicatePair],
    ) {
        let _ = writeln!(
            out,
            "\ncluster {} ({} documents, representative {})",
            i + 1,
            cluster.members.len(),
            cluster.representative
        );
        for member in &cluster.members {
            let _ = writeln!(out, "  {member}");
        }
        for pair in pairs {
            let _ = writeln!(
                out,
                "    {} ~ {}: jaccard {:.3}, containment {:.3} / {:.3}",
                pair.a, pair.b, pair.jaccard, pair.containment_a_in_b, pair.containment_b_in_a
            );
        }
        if cluster.large {
            let _ = writeln!(out, "  large cluster: often a template, or a chain");
        }
        if let Some(analysis) = &cluster.analysis {
            write_analysis(out, analysis);
        }
    }

    fn write_chain_splits(&self, out: &mut String) {
        if self.chain_splits.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n{} documents taken out of clusters by the chaining guard",
            self.chain_splits.len()
        );
        for split in &self.chain_splits {
            let _ = writeln!(
                out,
                "  {}: jaccard {:.3} with representative {}",
                split.document, split.jaccard, split.representative
            );
        }
    }

    fn write_singletons(&self, out: &mut String) {
        let singletons = self.singletons();
        let _ = writeln!(out, "\n{} singletons", singletons.len());
        let empty: HashSet<&str> = self
            .documents
            .iter()
            .filter(|d| d.shingles == 0)
            .map(|d| d.id.as_str())
            .collect();
        for id in singletons {
            let note = if empty.contains(id) {
                " (empty: nothing to compare)"
            } else {
                ""
            };
            let _ = writeln!(out, "  {id}{note}");
        }
        if !self.skipped.is_empty() {
            // A skipped entry is a document left out, or text that is none.
            let _ = writeln!(out, "\n{} skipped", self.skipped.len());
            for skipped in &self.skipped {
                let _ = writeln!(out, "  {skipped}");
            }
        }
    }

    fn write_boilerplate(&self, out: &mut String) {
        let b = &self.boilerplate;
        let nothing = match b.summary_of {
            Some(_) => b.shingles == 0,
            None => b.phrases.is_empty() && b.sentences.is_empty(),
        };
        if nothing {
            return;
        }
        let groups = self.config.boilerplate().min_groups;
        let groups = match b.learned_from {
            Some(sample) => {
                format!("{groups} or more unrelated groups of a sample of {sample} documents")
            }
            None => format!("{groups} or more unrelated groups"),
        };
        let _ = match b.summary_of {
            Some(read) => writeln!(
                out,
                "\nboilerplate: {} shingles in {groups}; the most widespread phrases among the first {read} documents by id (a summary; --full-report lists every phrase and sentence):",
                b.shingles
            ),
            None => writeln!(
                out,
                "\nboilerplate: {} phrases in {groups}, {} sentences made of them; the most widespread:",
                b.phrases.len(),
                b.sentences.len()
            ),
        };
        for phrase in b.phrases.iter().take(FIRST_FEW) {
            let _ = writeln!(
                out,
                "  「{}」 in {} documents, {} groups",
                phrase.text, phrase.documents, phrase.groups
            );
        }
    }

    fn write_paragraph_matches(&self, out: &mut String, docs: &[Document], max_matches: usize) {
        if self.paragraph_matches.is_empty() {
            return;
        }
        let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id(), d)).collect();
        let mut strongest: Vec<&ParagraphMatch> = self.paragraph_matches.iter().collect();
        // Most similar first; among equals, the longer copy says more.
        let len = |m: &ParagraphMatch| m.a_range[1] - m.a_range[0];
        strongest.sort_by(|x, y| y.jaccard.total_cmp(&x.jaccard).then(len(y).cmp(&len(x))));
        let _ = writeln!(
            out,
            "\n{} paragraph matches; the {} strongest:",
            self.paragraph_matches.len(),
            strongest.len().min(max_matches)
        );
        for m in strongest.into_iter().take(max_matches) {
            let kind = match m.kind {
                MatchKind::Similar => "similar",
                MatchKind::Contained => "contained",
            };
            let _ = writeln!(
                out,
                "\n  {} ¶{} ~ {} ¶{}: {kind}, jaccard {:.3}, containment {:.3}",
                m.a, m.a_paragraph, m.b, m.b_paragraph, m.jaccard, m.containment
            );
            for (id, paragraph) in [(&m.a, m.a_paragraph), (&m.b, m.b_paragraph)] {
                let Some(doc) = by_id.get(id.as_str()) else {
                    continue;
                };
                if paragraph < doc.paragraphs().len() {
                    let text = excerpt(doc.paragraph_text(paragraph), EXCERPT_CHARS);
                    let _ = writeln!(out, "    | {text}");
                }
            }
        }
    }
}

/// A cluster's analysis for people: canonical copy, each copy's kind,
/// a few redactions, the reconstructions.
fn write_analysis(out: &mut String, analysis: &CopyAnalysis) {
    let _ = writeln!(
        out,
        "  canonical copy {}; {} copies",
        analysis.canonical,
        analysis.kind.as_str()
    );
    for copy in &analysis.copies {
        let kind = copy.kind.map_or("", CopyKind::as_str);
        let _ = writeln!(
            out,
            "    {}: {kind}, redaction-aware jaccard {:.3}; {}",
            copy.document, copy.redaction_aware_jaccard, copy.reason
        );
    }
    if !analysis.redactions.is_empty() {
        let _ = writeln!(
            out,
            "  {} places where a member shows a mask and another a value, first:",
            analysis.redactions.len()
        );
        for r in analysis.redactions.iter().take(FIRST_FEW) {
            let _ = writeln!(
                out,
                "    {} [{}, {}) {:?} <- {} [{}, {}) {:?}",
                r.document,
                r.range[0],
                r.range[1],
                r.masked,
                r.other,
                r.other_range[0],
                r.other_range[1],
                r.value
            );
        }
    }
    for r in &analysis.reconstructed {
        let _ = writeln!(
            out,
            "  reconstructed {}: {} masks filled, {} conflicting, {} unknown",
            r.document, r.filled, r.conflicting, r.unknown
        );
    }
    if let Some(first) = analysis.identical.first() {
        let _ = writeln!(
            out,
            "  {} members have another member's text byte for byte (first: {} = {})",
            analysis.identical.len(),
            first.document,
            first.same_as
        );
    }
}

/// The first `max_chars` characters of `text`, and `…` if there is more.
/// `text` on one line: a passage runs across the lines of wrapped text. A
/// break after an ASCII character was a space between words; one after a
/// Chinese character, nothing.
fn unwrapped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if out.chars().next_back().is_some_and(|c| c.is_ascii()) {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out
}

fn excerpt(text: &str, max_chars: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max_chars).collect();
    if chars.next().is_some() {
        head + "…"
    } else {
        head
    }
}

/// A short label for people: `A hid`, `B hid`, `substituted`, `edited`,
/// `cosmetic`, with `a` and `b` the names of the two sides.
fn hunk_label(kind: HunkKind, a: &str, b: &str) -> String {
    match kind {
        HunkKind::Cosmetic => "cosmetic".to_string(),
        HunkKind::MaskedInA => format!("{a} hid"),
        HunkKind::MaskedInB => format!("{b} hid"),
        HunkKind::Substituted => "substituted".to_string(),
        HunkKind::Edited => "edited".to_string(),
    }
}

impl Explanation {
    /// The explanation as a person reads it: the figures, the verdict, then
    /// every aligned paragraph pair that differs, with its hunks.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Deduplicator, Document};
    ///
    /// let dedup = Deduplicator::new(Config::default().with_shingle_len(3))?;
    /// let e = dedup.explain(
    ///     &Document::new("原文", "2014年，福州市经济总量达到5000亿元，位居全省前列。"),
    ///     &Document::new("转载", "****年，**市经济总量达到****亿元，位居全省前列。"),
    /// )?;
    /// let text = e.to_text();
    /// assert!(text.contains("转载 is a redacted copy of 原文"));
    /// assert!(text.contains("转载 hid: [0, 4) \"2014\" | [0, 4) \"****\""));
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_figures(&mut out);
        for pair in self
            .paragraphs
            .iter()
            .filter(|p| !p.hunks.is_empty() || p.moved)
        {
            let moved = if pair.moved { ", moved" } else { "" };
            let _ = writeln!(
                out,
                "\n  ¶{} ~ ¶{} (jaccard {:.3}{moved})",
                pair.a_paragraph, pair.b_paragraph, pair.jaccard
            );
            for h in &pair.hunks {
                let _ = writeln!(
                    out,
                    "    {}: [{}, {}) {:?} | [{}, {}) {:?}",
                    hunk_label(h.kind, &self.a, &self.b),
                    h.a_range[0],
                    h.a_range[1],
                    h.a_text,
                    h.b_range[0],
                    h.b_range[1],
                    h.b_text
                );
            }
        }
        out
    }

    fn write_figures(&self, out: &mut String) {
        let f = &self.figures;
        let _ = writeln!(out, "{} ~ {}", self.a, self.b);
        let estimate = self
            .estimated_jaccard
            .map_or(String::new(), |e| format!(" (estimate {e:.3})"));
        let _ = writeln!(
            out,
            "  jaccard {:.3}{estimate}, containment {:.3} / {:.3}",
            self.jaccard, self.containment_a_in_b, self.containment_b_in_a
        );
        let _ = writeln!(
            out,
            "  paragraph jaccard {:.3}, redaction-aware {:.3}",
            f.jaccard, f.redaction_aware_jaccard
        );
        if let Some(kind) = f.kind {
            let _ = writeln!(
                out,
                "  {} is a {} copy of {}: {}",
                self.b,
                kind.as_str(),
                self.a,
                f.reason
            );
        }
        let _ = writeln!(
            out,
            "  paragraphs: {} aligned ({} moved), {} only in {}, {} only in {}",
            self.paragraphs.len(),
            f.moved_paragraphs,
            self.only_a.len(),
            self.a,
            self.only_b.len(),
            self.b
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_joined_as_their_script_wants() {
        assert_eq!(unwrapped("科技档案的形成\n、积累"), "科技档案的形成、积累");
        assert_eq!(unwrapped("the quick\nbrown fox"), "the quick brown fox");
        assert_eq!(unwrapped("第十条 科技\n\n　　档案"), "第十条 科技档案");
    }

    #[test]
    fn excerpts_are_cut_at_characters() {
        assert_eq!(excerpt("推进县域经济", 4), "推进县域…");
        assert_eq!(excerpt("推进", 4), "推进");
    }

    #[test]
    fn hunk_labels_name_the_side_that_hid() {
        assert_eq!(hunk_label(HunkKind::MaskedInB, "篇3", "篇5"), "篇5 hid");
        assert_eq!(hunk_label(HunkKind::Cosmetic, "篇3", "篇5"), "cosmetic");
    }
}
