//! The paragraph stage: which paragraphs were copied where.
//!
//! Input: the paragraph items of the fingerprint stage (every set kept and
//! sorted), and which paragraphs are boilerplate as a whole. Output: the
//! report's [`ParagraphMatch`]es, sorted by (a, paragraph, b, paragraph).
//! Candidates come from the configured method at the paragraph threshold,
//! and from anchors for containment; each is verified exactly and judged by
//! [`match_kind`].

use std::time::{Duration, Instant};

use crate::config::Config;
use crate::corpus::Document;
use crate::paragraph::{match_kind, Extent, MatchKind};
use crate::pipeline::candidates::{candidates, CandidateStats, ItemOrder};
use crate::pipeline::copies::{self, Copies};
use crate::pipeline::data::{Candidates, Item, Owner, ParagraphPrints, Verified};
use crate::pipeline::verification::Verifier;
use crate::pipeline::Focus;
use crate::report::ParagraphMatch;

/// What the paragraph stage found, besides its matches.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ParagraphStats {
    /// Paragraphs compared through their original.
    pub(crate) copies: usize,
    pub(crate) candidates: CandidateStats,
    pub(crate) candidates_time: Duration,
    pub(crate) verify_time: Duration,
}

/// The paragraph matches of `docs` that `focus` asks for;
/// `boilerplate[d][p]` says whether paragraph `p` of document `d` is
/// boilerplate (missing: it is not).
pub(crate) fn paragraph_matches(
    config: &Config,
    verifier: &Verifier,
    docs: &[Document],
    paragraphs: &ParagraphPrints,
    (boilerplate, focus): (&[Vec<bool>], Focus),
) -> (Vec<ParagraphMatch>, ParagraphStats) {
    let rules = config.paragraph();
    let clock = Instant::now();
    let (prints, owners) = (&paragraphs.prints, &paragraphs.owners);
    // Boilerplate paragraphs are reported as such, not as copies.
    let is_boilerplate = |o: &Owner| {
        boilerplate
            .get(o.document.index())
            .and_then(|flags| flags.get(o.paragraph))
            .copied()
            .unwrap_or(false)
    };
    let takes_part = |i: usize, min_chars: usize| {
        let o = &owners[i];
        !prints.set(i).is_empty() && o.chars >= min_chars && !is_boilerplate(o)
    };
    // A copy is compared through its original.
    let items = |min_chars: usize| -> Vec<Item> {
        (0..prints.len())
            .filter(|&i| prints.is_original(i) && takes_part(i, min_chars))
            .map(Item::new)
            .collect()
    };
    let active = items(rules.min_chars);
    let long = items(rules.containment_min_chars);
    let anchors = Some((rules.anchors, long.as_slice()));
    let by_place = |x: Item, y: Item| place(docs, owners, x).cmp(&place(docs, owners, y));
    let ranked = (active, &by_place as ItemOrder);
    let (mut candidate_pairs, mut candidate_stats) =
        candidates(config, prints, ranked, rules.jaccard_threshold, anchors);
    if let Candidates::Edges(pairs) = &mut candidate_pairs {
        keep_focus(pairs, paragraphs, focus);
        candidate_stats.pairs = pairs.len();
    }
    let candidates_time = clock.elapsed();

    let clock = Instant::now();
    let extent = |item: Item| Extent {
        chars: owners[item.index()].chars,
        hidden: prints.hidden[item.index()],
    };
    // Every pair is judged by the match rule, as it is measured: only the
    // matches are held (the exact method measures every pair).
    let judge = |v: Verified| {
        let similarity = verifier.decisive(&v);
        let kind = match_kind(rules, &v.overlap, similarity, extent(v.a), extent(v.b))?;
        Some((v, kind))
    };
    let judged = verifier.judge_candidates(&candidate_pairs, prints, judge);
    drop(candidate_pairs);
    let copies = Copies::of(prints, |i| takes_part(i, rules.min_chars));
    let counts = (&prints.counts[..], verifier.identical_estimate());
    let listing = (&copies, config.cluster().list_all_pairs_up_to);
    let mut matches: Vec<ParagraphMatch> =
        copies::expand(judged, listing, counts, |v| judge(v).map(|(_, kind)| kind))
            .iter()
            .map(|(v, kind)| paragraph_match(docs, owners, v, *kind))
            .collect();
    matches.sort_by(|p, q| {
        (&p.a, p.a_paragraph, &p.b, p.b_paragraph).cmp(&(&q.a, q.a_paragraph, &q.b, q.b_paragraph))
    });
    let stats = ParagraphStats {
        copies: copies.len(),
        candidates: candidate_stats,
        candidates_time,
        verify_time: clock.elapsed(),
    };
    (matches, stats)
}

/// Keeps the candidate `pairs` that `focus` asks for. A pair is measured
/// between originals and listed for each of their occurrences: it is
/// wanted when an occurrence of either is in a document of the focus.
fn keep_focus(pairs: &mut Vec<(Item, Item)>, paragraphs: &ParagraphPrints, focus: Focus) {
    let Focus::FirstDocuments(n) = focus else {
        return;
    };
    let mut wanted = vec![false; paragraphs.prints.len()];
    for (i, owner) in paragraphs.owners.iter().enumerate() {
        if owner.document.index() < n {
            wanted[paragraphs.prints.original[i].index()] = true;
        }
    }
    pairs.retain(|&(a, b)| wanted[a.index()] || wanted[b.index()]);
}

/// Where a paragraph is: its document's id and its index there.
fn place<'d>(docs: &'d [Document], owners: &[Owner], x: Item) -> (&'d str, usize) {
    let o = &owners[x.index()];
    (docs[o.document.index()].id(), o.paragraph)
}

/// The report's match of the verified pair `v`: the smaller (id,
/// paragraph) is side a.
fn paragraph_match(
    docs: &[Document],
    owners: &[Owner],
    v: &Verified,
    kind: MatchKind,
) -> ParagraphMatch {
    let side = |id: Item| {
        let o = owners[id.index()];
        let doc = &docs[o.document.index()];
        let range = doc.paragraphs()[o.paragraph].chars();
        (doc.id(), o.paragraph, [range.start, range.end])
    };
    let (x, y) = (side(v.a), side(v.b));
    let o = v.overlap;
    let (x, y, x_in_y, y_in_x) = if (x.0, x.1) <= (y.0, y.1) {
        (x, y, o.containment_a_in_b(), o.containment_b_in_a())
    } else {
        (y, x, o.containment_b_in_a(), o.containment_a_in_b())
    };
    ParagraphMatch {
        a: x.0.to_string(),
        a_paragraph: x.1,
        a_range: x.2,
        b: y.0.to_string(),
        b_paragraph: y.1,
        b_range: y.2,
        jaccard: o.jaccard(),
        containment: o.containment_of_smaller(),
        containment_a_in_b: x_in_y,
        containment_b_in_a: y_in_x,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fingerprint::{EarlySets, Keep, Paragraphs, Shapes};
    use crate::pipeline::verification::Estimate;
    use crate::pipeline::Deduplicator;

    const BODY: &str = "我们要自觉扛牢推进县域经济高质量发展的时代重任，坚持稳中求进工作总基调，全面深化改革开放，加快建设现代化经济体系，不断增强县域经济综合实力和竞争力。";
    const TEASER: &str = "自觉扛牢推进县域经济高质量发展的时代重任，坚持稳中求进工作总基调，全面深化改革开放。推荐访问：范文网";

    fn matches(docs: &[Document], boilerplate: &[Vec<bool>]) -> Vec<ParagraphMatch> {
        focused(docs, boilerplate, Focus::Everything)
    }

    fn focused(docs: &[Document], boilerplate: &[Vec<bool>], focus: Focus) -> Vec<ParagraphMatch> {
        let config = Config::default();
        let dedup = Deduplicator::new(config.clone()).unwrap();
        let shapes = Shapes {
            document: Keep::Count,
            paragraphs: Paragraphs::Fingerprint,
            early_sets: EarlySets::Drop,
        };
        let prints = dedup.fingerprinter().run(docs, shapes, &()).0;
        let verifier = dedup.verifier(Estimate::WhenDeciding);
        let flags = (boilerplate, focus);
        paragraph_matches(&config, &verifier, docs, &prints.paragraphs, flags).0
    }

    #[test]
    fn a_focus_keeps_the_matches_of_its_documents_whole() {
        // "c" copies b's teaser: a text of two occurrences, measured once.
        let docs = [
            Document::new("c", TEASER),
            Document::new(
                "a",
                format!(
                    "同志们：
{BODY}"
                ),
            ),
            Document::new(
                "b",
                format!(
                    "{TEASER}
{BODY}"
                ),
            ),
            Document::new("d", BODY),
            // Similar to the body, not a copy: measured, and not wanted
            // when neither side is in focus.
            Document::new("e", BODY.replace("综合实力和竞争力", "发展活力和竞争优势")),
        ];
        let all = matches(&docs, &[]);
        for n in 0..=docs.len() {
            let first: Vec<&str> = docs[..n].iter().map(Document::id).collect();
            let touching: Vec<&ParagraphMatch> = all
                .iter()
                .filter(|m| first.contains(&m.a.as_str()) || first.contains(&m.b.as_str()))
                .collect();
            let found = focused(&docs, &[], Focus::FirstDocuments(n));
            let kept: Vec<&ParagraphMatch> = found
                .iter()
                .filter(|m| first.contains(&m.a.as_str()) || first.contains(&m.b.as_str()))
                .collect();
            assert_eq!(kept, touching, "the first {n}");
            assert!(found.len() <= all.len());
        }
        assert!(focused(&docs, &[], Focus::FirstDocuments(1)).len() < all.len());
    }

    #[test]
    fn copies_and_teasers_are_matched_with_their_ranges() {
        let docs = [
            Document::new("a", format!("同志们：\n{BODY}")),
            Document::new("b", format!("{TEASER}\n{BODY}")),
        ];
        let found = matches(&docs, &[]);
        let kinds: Vec<(usize, usize, MatchKind)> = found
            .iter()
            .map(|m| (m.a_paragraph, m.b_paragraph, m.kind))
            .collect();
        // Same body: similar. The teaser cut from the body plus an ad:
        // contained, in the other document and in its own.
        assert!(kinds.contains(&(1, 1, MatchKind::Similar)), "{kinds:?}");
        assert!(kinds.contains(&(1, 0, MatchKind::Contained)), "{kinds:?}");
        let similar = found.iter().find(|m| m.kind == MatchKind::Similar).unwrap();
        assert_eq!(similar.a_range, [5, 5 + BODY.chars().count()]);
        // 「同志们：」 is too short to count.
        assert!(found.iter().all(|m| !(m.a == "a" && m.a_paragraph == 0)));
    }

    #[test]
    fn boilerplate_paragraphs_are_not_matched() {
        let docs = [Document::new("a", BODY), Document::new("b", BODY)];
        assert_eq!(matches(&docs, &[]).len(), 1);
        let flags = vec![vec![true], vec![false]];
        assert!(matches(&docs, &flags).is_empty());
    }
}
