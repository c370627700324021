//! The passage stage: stretches of text shared by two documents, and
//! documents contained in another.
//!
//! Input: the documents, and each one's cluster (pairs inside a cluster are
//! near-duplicates already reported as such). Output: the report's
//! [`Passage`]s, longest first, and [`ContainedPair`]s. Steps (the rules
//! are [`passage`](crate::passage)'s):
//!
//! 1. seeds of every document (one text-only pass, in parallel), sorted by
//!    hash; a seed in 2 to [`ALL_PAIRS_UP_TO`] documents links every two of
//!    them, one in more (up to `max_copies`) links each to the one with the
//!    smallest id (a star, so a seed found in many documents gives one edge
//!    per document, never all pairs);
//! 2. pairs linked by at least [`MIN_SHARED_SEEDS`] seeds whose longest run
//!    of shared seeds could hold a passage are aligned, grouped by their
//!    first document so it is prepared once per group;
//! 3. the documents holding passages are prepared once more with origins,
//!    to place each passage in the original texts and count its words.

use std::ops::Range;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::corpus::Document;
use crate::passage::{align, longest_run, seeds, similarity, words, Segment, Windows};
use crate::prepare::{Preparer, TextScratch};
use crate::report::{ContainedPair, Passage};

/// Seeds two documents must share to be aligned: one shared seed is often
/// a 15-character phrase, two are rarely chance.
const MIN_SHARED_SEEDS: usize = 2;

/// A seed held by at most this many documents links every two of them
/// (at most 28 edges); one held by more links each to the one with the
/// smallest id, so the edges stay linear in the documents.
const ALL_PAIRS_UP_TO: usize = 8;

/// A stretch is looked at when its folded characters reach this share of
/// what `min_words` words take in its documents: words are counted on the
/// original text only at the end, and a document's characters per word
/// are an average.
const LENGTH_SLACK: f64 = 0.5;

/// What the passage stage found.
#[derive(Debug, Default)]
pub(crate) struct PassageResults {
    pub(crate) passages: Vec<Passage>,
    pub(crate) contained: Vec<ContainedPair>,
    /// Document pairs aligned.
    pub(crate) candidate_pairs: usize,
    pub(crate) time: Duration,
}

/// A document's seeds, and how many folded characters its words take.
struct Seeded {
    seeds: Vec<(u64, u32)>,
    chars_per_word: f64,
}

/// One stretch of an aligned pair, in folded characters.
struct Stretch {
    segment: Segment,
    jaccard: f64,
    containment: f64,
    /// Letters, digits and ideographs inside, on each side.
    content: (usize, usize),
}

/// One aligned pair's stretches, and each side's content in all.
struct Aligned {
    a: usize,
    b: usize,
    stretches: Vec<Stretch>,
    content: (usize, usize),
}

/// The passages and contained pairs of `docs`; `cluster_of[d]` is the
/// cluster of document `d` (missing: none).
pub(crate) fn find_passages(
    config: &Config,
    preparer: &Preparer,
    docs: &[Document],
    cluster_of: &[Option<u32>],
) -> PassageResults {
    let clock = Instant::now();
    let k = preparer.shingler().shingle_len();
    let seeded: Vec<Seeded> = docs
        .par_iter()
        .map_init(TextScratch::default, |scratch, doc| {
            let windows = windows(preparer, doc, scratch);
            let content = windows.content(&(0..windows.chars.len()));
            Seeded {
                seeds: seeds(&windows, k),
                chars_per_word: content as f64 / words(doc.text()).max(1) as f64,
            }
        })
        .collect();
    let min_words = config.passages().min_words as f64;
    // Folded characters a passage of the pair takes at the least.
    let shortest = |a: usize, b: usize| {
        let per_word = seeded[a].chars_per_word.min(seeded[b].chars_per_word);
        (min_words * per_word * LENGTH_SLACK) as usize
    };
    let pairs: Vec<(usize, usize)> = candidate_pairs(config, docs, &seeded, cluster_of)
        .into_par_iter()
        .filter(|&(a, b)| longest_run(&seeded[a].seeds, &seeded[b].seeds, k) >= shortest(a, b))
        .collect();
    let groups: Vec<&[(usize, usize)]> = pairs.chunk_by(|x, y| x.0 == y.0).collect();
    let aligned: Vec<Aligned> = groups
        .par_iter()
        .map_init(TextScratch::default, |scratch, group| {
            let a = group[0].0;
            let wa = windows(preparer, &docs[a], scratch);
            let content_a = wa.content(&(0..wa.chars.len()));
            let mut found = Vec::new();
            for &(_, b) in group.iter() {
                let wb = windows(preparer, &docs[b], scratch);
                let (sa, sb) = (&seeded[a].seeds, &seeded[b].seeds);
                let stretches: Vec<Stretch> = align(&wa, &wb, sa, sb, k)
                    .into_iter()
                    .filter(|s| s.a.len().min(s.b.len()) >= shortest(a, b))
                    .map(|segment| {
                        let (jaccard, containment) = similarity(&wa, &wb, &segment, k);
                        let content = (wa.content(&segment.a), wb.content(&segment.b));
                        Stretch {
                            segment,
                            jaccard,
                            containment,
                            content,
                        }
                    })
                    .collect();
                if !stretches.is_empty() {
                    let content = (content_a, wb.content(&(0..wb.chars.len())));
                    found.push(Aligned {
                        a,
                        b,
                        stretches,
                        content,
                    });
                }
            }
            found
        })
        .flatten_iter()
        .collect();
    let (passages, contained) = report(config, preparer, docs, aligned);
    PassageResults {
        passages,
        contained,
        candidate_pairs: pairs.len(),
        time: clock.elapsed(),
    }
}

/// Document pairs (as input positions, the smaller id first) sharing at
/// least [`MIN_SHARED_SEEDS`] seeds and in no cluster together, sorted by
/// the first document's id, then the second's.
fn candidate_pairs(
    config: &Config,
    docs: &[Document],
    seeded: &[Seeded],
    cluster_of: &[Option<u32>],
) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.par_sort_unstable_by(|&x, &y| docs[x].id().cmp(docs[y].id()));
    let mut rank = vec![0u32; docs.len()];
    for (r, &d) in order.iter().enumerate() {
        rank[d] = r as u32;
    }
    // (seed, rank of a document holding it), each once per document.
    let mut held: Vec<(u64, u32)> = seeded
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, s)| {
            let mut hashes: Vec<u64> = s.seeds.iter().map(|s| s.0).collect();
            hashes.dedup();
            let r = rank[d];
            hashes.into_iter().map(move |h| (h, r))
        })
        .collect();
    held.par_sort_unstable();
    let max_copies = config.passages().max_copies;
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for group in held.chunk_by(|x, y| x.0 == y.0) {
        if !(2..=max_copies).contains(&group.len()) {
            continue;
        }
        if group.len() <= ALL_PAIRS_UP_TO {
            for (at, &(_, x)) in group.iter().enumerate() {
                edges.extend(group[at + 1..].iter().map(|&(_, y)| (x, y)));
            }
        } else {
            let center = group[0].1;
            edges.extend(group[1..].iter().map(|&(_, r)| (center, r)));
        }
    }
    drop(held);
    edges.par_sort_unstable();
    let same_cluster = |a: usize, b: usize| {
        let of = |d: usize| cluster_of.get(d).copied().flatten();
        of(a).is_some() && of(a) == of(b)
    };
    edges
        .chunk_by(|x, y| x == y)
        .filter(|run| run.len() >= MIN_SHARED_SEEDS)
        .map(|run| (order[run[0].0 as usize], order[run[0].1 as usize]))
        .filter(|&(a, b)| !same_cluster(a, b))
        .collect()
}

/// `doc`'s folded text and its character shingles by position, from the
/// text-only form.
fn windows(preparer: &Preparer, doc: &Document, scratch: &mut TextScratch) -> Windows {
    let (text, ranges) = preparer.fold_text(doc, scratch);
    let mut w = Windows::default();
    for range in ranges {
        let paragraph = &text[range];
        let offset = w.chars.len();
        w.chars.extend(paragraph.chars());
        w.hashes.resize(w.chars.len(), None);
        preparer.shingler().char_windows(paragraph, |start, hash| {
            w.hashes[offset + start] = Some(hash);
        });
    }
    w
}

/// A side of a stretch placed in its document: character range and words.
type Placed = ([usize; 2], usize);

/// Every side of every stretch of `aligned` placed in its text: each
/// document holding one is viewed once. Sorted by (document, folded start,
/// folded end), for [`report`] to look up.
fn place_all(
    preparer: &Preparer,
    docs: &[Document],
    aligned: &[Aligned],
) -> (Vec<(usize, usize, usize)>, Vec<Placed>) {
    let mut wanted: Vec<(usize, usize, usize)> = aligned
        .iter()
        .flat_map(|p| {
            p.stretches.iter().flat_map(move |s| {
                let s = &s.segment;
                [(p.a, s.a.start, s.a.end), (p.b, s.b.start, s.b.end)]
            })
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let by_doc: Vec<&[(usize, usize, usize)]> = wanted.chunk_by(|x, y| x.0 == y.0).collect();
    let placed: Vec<Placed> = by_doc
        .par_iter()
        .flat_map_iter(|ranges| {
            let doc = &docs[ranges[0].0];
            let view = preparer.view(doc);
            ranges
                .iter()
                .map(|&(_, start, end)| {
                    let (chars, bytes) = view.folded_span(&(start..end));
                    (chars, words(&doc.text()[bytes]))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    (wanted, placed)
}

/// The report's passages and contained pairs of `aligned`; stretches of
/// fewer than `min_words` words are dropped.
fn report(
    config: &Config,
    preparer: &Preparer,
    docs: &[Document],
    aligned: Vec<Aligned>,
) -> (Vec<Passage>, Vec<ContainedPair>) {
    let (wanted, placed) = place_all(preparer, docs, &aligned);
    let place = |doc: usize, range: &Range<usize>| {
        let at = wanted.binary_search(&(doc, range.start, range.end));
        placed[at.unwrap_or_default()]
    };
    let rules = config.passages();
    let mut passages = Vec::new();
    let mut contained = Vec::new();
    for p in &aligned {
        let (a, b) = (docs[p.a].id(), docs[p.b].id());
        let mut covered = (0, 0);
        let mut kept = 0;
        for s in &p.stretches {
            let (a_range, a_words) = place(p.a, &s.segment.a);
            let (b_range, b_words) = place(p.b, &s.segment.b);
            let words = a_words.min(b_words);
            if words < rules.min_words {
                continue;
            }
            covered = (covered.0 + s.content.0, covered.1 + s.content.1);
            kept += 1;
            passages.push(Passage {
                a: a.to_string(),
                a_range,
                b: b.to_string(),
                b_range,
                words,
                jaccard: s.jaccard,
                containment: s.containment,
            });
        }
        let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
        let (ca, cb) = (share(covered.0, p.content.0), share(covered.1, p.content.1));
        if kept > 0 && ca.max(cb) >= rules.contained_coverage {
            let (inner, outer, inner_coverage, outer_coverage) = if ca >= cb {
                (a, b, ca, cb)
            } else {
                (b, a, cb, ca)
            };
            contained.push(ContainedPair {
                inner: inner.to_string(),
                outer: outer.to_string(),
                inner_coverage,
                outer_coverage,
                passages: kept,
            });
        }
    }
    passages.sort_by(|x, y| {
        y.words.cmp(&x.words).then_with(|| {
            (&x.a, x.a_range, &x.b, x.b_range).cmp(&(&y.a, y.a_range, &y.b, y.b_range))
        })
    });
    contained.sort_by(|x, y| (&x.inner, &x.outer).cmp(&(&y.inner, &y.outer)));
    (passages, contained)
}
