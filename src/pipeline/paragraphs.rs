//! The paragraph stage: which paragraphs were copied where.
//!
//! Input: the paragraph items of the fingerprint stage (every set kept and
//! sorted), and which paragraphs are boilerplate as a whole. Output: the
//! report's [`ParagraphMatch`]es, sorted by (a, paragraph, b, paragraph).
//! Candidates come from the configured method at the paragraph threshold,
//! and from anchors for containment; each is verified exactly and judged by
//! [`match_kind`].

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::corpus::Document;
use crate::paragraph::{match_kind, Extent, MatchKind};
use crate::pipeline::candidates::{candidates, CandidateStats};
use crate::pipeline::components::components;
use crate::pipeline::data::{Item, Owner, ParagraphPrints, Verified};
use crate::pipeline::verification::{ComponentSets, Verifier};
use crate::report::ParagraphMatch;

/// What the paragraph stage found, besides its matches.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ParagraphStats {
    pub(crate) candidates: CandidateStats,
    pub(crate) candidates_time: Duration,
    pub(crate) verify_time: Duration,
}

/// The paragraph matches of `docs`; `boilerplate[d][p]` says whether
/// paragraph `p` of document `d` is boilerplate (missing: it is not).
pub(crate) fn paragraph_matches(
    config: &Config,
    verifier: &Verifier,
    docs: &[Document],
    paragraphs: &ParagraphPrints,
    boilerplate: &[Vec<bool>],
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
    let items = |min_chars: usize| -> Vec<Item> {
        (0..prints.len())
            .filter(|&i| {
                let o = &owners[i];
                !prints.sets[i].is_empty() && o.chars >= min_chars && !is_boilerplate(o)
            })
            .map(Item::new)
            .collect()
    };
    let active = items(rules.min_chars);
    let long = items(rules.containment_min_chars);
    let anchors = Some((rules.anchors, long.as_slice()));
    let (found, candidate_stats) =
        candidates(config, prints, active, rules.jaccard_threshold, anchors);
    let candidates_time = clock.elapsed();

    let clock = Instant::now();
    let all = components(prints.len(), &found);
    let sets = ComponentSets::Kept(prints);
    // Every pair is judged by the match rule, not by the threshold alone.
    let verified: Vec<Verified> = (0..all.len())
        .into_par_iter()
        .flat_map_iter(|k| verifier.verify_component(all.get(k), &sets, None, f64::MIN))
        .collect();
    let mut matches: Vec<ParagraphMatch> = verified
        .par_iter()
        .filter_map(|v| {
            let extent = |item: Item| Extent {
                chars: owners[item.index()].chars,
                hidden: prints.hidden[item.index()],
            };
            let kind = match_kind(
                rules,
                &v.overlap,
                verifier.decisive(v),
                extent(v.a),
                extent(v.b),
            )?;
            Some(paragraph_match(docs, owners, v, kind))
        })
        .collect();
    matches.sort_by(|p, q| {
        (&p.a, p.a_paragraph, &p.b, p.b_paragraph).cmp(&(&q.a, q.a_paragraph, &q.b, q.b_paragraph))
    });
    let stats = ParagraphStats {
        candidates: candidate_stats,
        candidates_time,
        verify_time: clock.elapsed(),
    };
    (matches, stats)
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
