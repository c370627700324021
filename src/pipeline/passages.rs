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

use crate::boilerplate::coverage;
use crate::config::Config;
use crate::corpus::Document;
use crate::passage::{align, content, longest_run, seeds, shingle_set, words, Segment};
use crate::pipeline::Focus;
use crate::prehashed::HashedSet;
use crate::prepare::{Preparer, TextScratch};
use crate::redact::is_content;
use crate::report::{ContainedPair, Passage, Revision};
use crate::revision::{in_order, title_similarity, Shared, TITLE_CHARS};
use crate::shingle::Shingler;
use crate::verify::Overlap;

/// Characters per shingle of passages when the config shingles words.
const WORD_CONFIG_CHARS: usize = 5;

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
    pub(crate) revisions: Vec<Revision>,
    /// Document pairs aligned.
    pub(crate) candidate_pairs: usize,
    pub(crate) time: Duration,
}

/// A document's seeds, its folded text (paragraphs one after another,
/// held for the alignment) and how many folded characters its words take.
struct Seeded {
    seeds: Vec<(u64, u32)>,
    folded: String,
    /// Letters, digits and ideographs of the folded text.
    content: usize,
    chars_per_word: f64,
}

/// One stretch of an aligned pair, in folded characters.
struct Stretch {
    segment: Segment,
    jaccard: f64,
    containment: f64,
}

/// One aligned pair's stretches.
struct Aligned {
    a: usize,
    b: usize,
    stretches: Vec<Stretch>,
}

/// The passages and contained pairs of `docs` that `focus` asks for;
/// `cluster_of[d]` is the cluster of document `d` (missing: none).
/// Containment counts only the content no `boilerplate` shingle covers, on
/// both sides.
pub(crate) fn find_passages(
    config: &Config,
    preparer: &Preparer,
    (docs, focus): (&[Document], Focus),
    cluster_of: &[Option<u32>],
    boilerplate: &HashedSet,
) -> PassageResults {
    let clock = Instant::now();
    let shingler = passage_shingler(config, preparer);
    let k = shingler.shingle_len();
    let seeded = seed_all(preparer, docs, k);
    let min_words = config.passages().min_words;
    // Folded characters a passage of the pair takes at the least: a word
    // has a character at least, and Latin words have the document's average.
    let shortest = |a: usize, b: usize| {
        let per_word = seeded[a].chars_per_word.min(seeded[b].chars_per_word);
        min_words.max((min_words as f64 * per_word * LENGTH_SLACK) as usize)
    };
    let wanted = |a: usize, b: usize| match focus {
        Focus::Everything => true,
        Focus::FirstDocuments(n) => a < n || b < n,
    };
    let pairs: Vec<(usize, usize)> = candidate_pairs(config, docs, &seeded, cluster_of)
        .into_par_iter()
        .filter(|&(a, b)| wanted(a, b))
        .filter(|&(a, b)| {
            let run = longest_run(&seeded[a].seeds, &seeded[b].seeds, k);
            // A mask or a paragraph seam may split a passage's run in two.
            2 * run >= shortest(a, b)
        })
        .collect();
    let groups: Vec<&[(usize, usize)]> = pairs.chunk_by(|x, y| x.0 == y.0).collect();
    let common = |hash: u64| preparer.char_shingles() && boilerplate.contains(&hash);
    let aligned: Vec<Aligned> = groups
        .par_iter()
        .flat_map_iter(|group| {
            let a = group[0].0;
            let ca: Vec<char> = seeded[a].folded.chars().collect();
            let mut found = Vec::new();
            for &(_, b) in group.iter() {
                let cb: Vec<char> = seeded[b].folded.chars().collect();
                let (sa, sb) = (&seeded[a].seeds, &seeded[b].seeds);
                let stretches: Vec<Stretch> = align(&ca, &cb, sa, sb, k)
                    .into_iter()
                    .filter(|s| s.a.len().min(s.b.len()) >= shortest(a, b))
                    .map(|segment| {
                        let overlap = Overlap::of(
                            &shingle_set(&shingler, &ca[segment.a.clone()]),
                            &shingle_set(&shingler, &cb[segment.b.clone()]),
                        );
                        Stretch {
                            segment,
                            jaccard: overlap.jaccard(),
                            containment: overlap.containment_of_smaller(),
                        }
                    })
                    .collect();
                if !stretches.is_empty() {
                    found.push(Aligned { a, b, stretches });
                }
            }
            found
        })
        .collect();
    let (passages, contained, revisions) =
        report(config, preparer, &shingler, docs, &seeded, aligned, common);
    PassageResults {
        passages,
        contained,
        revisions,
        candidate_pairs: pairs.len(),
        time: clock.elapsed(),
    }
}

/// Passages are character stretches whatever the tokens: with word
/// shingles, of [`WORD_CONFIG_CHARS`] characters (and no boilerplate, whose
/// hashes are of words then).
fn passage_shingler(config: &Config, preparer: &Preparer) -> Shingler {
    if preparer.char_shingles() {
        *preparer.shingler()
    } else {
        Shingler::new(WORD_CONFIG_CHARS, config.seed())
    }
}

/// Every document's seeds and folded text, in parallel.
fn seed_all(preparer: &Preparer, docs: &[Document], k: usize) -> Vec<Seeded> {
    docs.par_iter()
        .map_init(TextScratch::default, |scratch, doc| {
            let folded = preparer.fold_text(doc, scratch).text.to_string();
            let chars: Vec<char> = folded.chars().collect();
            let content = content(&chars);
            Seeded {
                seeds: seeds(&chars, k),
                chars_per_word: content as f64 / words(doc.text()).max(1) as f64,
                content,
                folded,
            }
        })
        .collect()
}

/// For every `i`, how many of the first `i` of `chars` are content that no
/// shingle `common` holds covers: what a document has of its own, so that
/// text shared only through boilerplate makes no containment.
fn own_content(shingler: &Shingler, chars: &[char], common: impl Fn(u64) -> bool) -> Vec<u32> {
    let text: String = chars.iter().collect();
    let mut windows = Vec::new();
    shingler.char_windows(&text, |start, hash| windows.push((start, hash)));
    let covered = coverage(&windows, chars.len(), shingler.shingle_len(), common);
    let mut before = Vec::with_capacity(chars.len() + 1);
    let mut n = 0u32;
    before.push(n);
    for (&c, covered) in chars.iter().zip(covered) {
        n += u32::from(is_content(c) && !covered);
        before.push(n);
    }
    before
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

/// A side of a stretch placed in its document.
#[derive(Clone, Copy, Debug)]
struct Placed {
    /// Character range in the document's text.
    range: [usize; 2],
    words: usize,
    /// Letters, digits and ideographs.
    content: usize,
    /// Content no boilerplate covers.
    own: usize,
}

/// What a document holding a stretch has in all.
#[derive(Clone, Debug, Default)]
struct Totals {
    /// Content no boilerplate covers.
    own: usize,
    content: usize,
    /// Where each paragraph's folded characters end.
    ends: Vec<usize>,
    /// The first paragraph holding text, up to [`TITLE_CHARS`].
    title: Vec<char>,
}

/// Every side of every stretch, placed; and each document's content no
/// boilerplate covers (0 for those holding no stretch).
struct Placements {
    /// (document, folded start, folded end) of every side, sorted.
    wanted: Vec<(usize, usize, usize)>,
    /// Where each of `wanted` is.
    placed: Vec<Placed>,
    /// By document (default for those holding no stretch).
    totals: Vec<Totals>,
}

impl Placements {
    fn get(&self, doc: usize, range: &Range<usize>) -> Placed {
        let at = self.wanted.binary_search(&(doc, range.start, range.end));
        self.placed[at.expect("every side of every stretch was placed")]
    }
}

/// Every side of every stretch of `aligned` placed in its text: each
/// document holding one is viewed once.
fn place_all(
    preparer: &Preparer,
    shingler: &Shingler,
    docs: &[Document],
    seeded: &[Seeded],
    aligned: &[Aligned],
    common: impl Fn(u64) -> bool + Sync,
) -> Placements {
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
    let per_doc: Vec<(Vec<Placed>, Totals)> = by_doc
        .par_iter()
        .map(|ranges| {
            let d = ranges[0].0;
            let (doc, view) = (&docs[d], preparer.view(&docs[d]));
            let ends = view.folded_ends();
            let chars: Vec<char> = seeded[d].folded.chars().collect();
            let own = own_content(shingler, &chars, &common);
            let placed = ranges
                .iter()
                .map(|&(_, start, end)| {
                    let (range, bytes) = view.folded_span(&ends, &(start..end));
                    Placed {
                        range,
                        words: words(&doc.text()[bytes]),
                        content: content(&chars[start..end]),
                        own: (own[end] - own[start]) as usize,
                    }
                })
                .collect();
            let totals = Totals {
                own: own.last().copied().unwrap_or(0) as usize,
                content: seeded[d].content,
                title: title(&chars, &ends),
                ends,
            };
            (placed, totals)
        })
        .collect();
    let mut totals = vec![Totals::default(); docs.len()];
    let mut placed = Vec::with_capacity(wanted.len());
    for (ranges, (at, total)) in by_doc.iter().zip(per_doc) {
        totals[ranges[0].0] = total;
        placed.extend(at);
    }
    Placements {
        wanted,
        placed,
        totals,
    }
}

/// What the report holds of the aligned pairs.
type Found = (Vec<Passage>, Vec<ContainedPair>, Vec<Revision>);

/// The report's passages, contained pairs and revisions of `aligned`;
/// stretches of fewer than `min_words` words are dropped.
fn report(
    config: &Config,
    preparer: &Preparer,
    shingler: &Shingler,
    docs: &[Document],
    seeded: &[Seeded],
    aligned: Vec<Aligned>,
    common: impl Fn(u64) -> bool + Sync,
) -> Found {
    let placements = place_all(preparer, shingler, docs, seeded, &aligned, common);
    let (rules, revisions_config) = (config.passages(), config.revisions());
    let mut passages = Vec::new();
    let mut contained = Vec::new();
    let mut revisions = Vec::new();
    for p in &aligned {
        let (a, b) = (docs[p.a].id(), docs[p.b].id());
        let (ta, tb) = (&placements.totals[p.a], &placements.totals[p.b]);
        let mut kept = Vec::new();
        for s in &p.stretches {
            let pa = placements.get(p.a, &s.segment.a);
            let pb = placements.get(p.b, &s.segment.b);
            let words = pa.words.min(pb.words);
            if words < rules.min_words {
                continue;
            }
            kept.push((s, pa, pb));
            passages.push(Passage {
                a: a.to_string(),
                a_range: pa.range,
                b: b.to_string(),
                b_range: pb.range,
                words,
                jaccard: s.jaccard,
                containment: s.containment,
            });
        }
        if kept.is_empty() {
            continue;
        }
        let own = |side: fn(&(&Stretch, Placed, Placed)) -> usize| kept.iter().map(side).sum();
        let (ca, cb) = (
            share(own(|k| k.1.own), ta.own),
            share(own(|k| k.2.own), tb.own),
        );
        if ca.max(cb) >= rules.contained_coverage {
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
                passages: kept.len(),
            });
        }
        if revisions_config.enabled {
            let revision = revision(&kept, ta, tb);
            if revisions_config.judge(&revision.shared) {
                revisions.push(revision.into_report(a, b));
            }
        }
    }
    passages.sort_by(|x, y| {
        y.words.cmp(&x.words).then_with(|| {
            (&x.a, x.a_range, &x.b, x.b_range).cmp(&(&y.a, y.a_range, &y.b, y.b_range))
        })
    });
    contained.sort_by(|x, y| (&x.inner, &x.outer).cmp(&(&y.inner, &y.outer)));
    revisions.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    (passages, contained, revisions)
}

fn share(n: usize, of: usize) -> f64 {
    n as f64 / of.max(1) as f64
}

/// A pair's revision figures, before its ids are known.
struct Measured {
    shared: Shared,
    a_paragraphs: [usize; 2],
    b_paragraphs: [usize; 2],
    passages: usize,
}

impl Measured {
    fn into_report(self, a: &str, b: &str) -> Revision {
        Revision {
            a: a.to_string(),
            b: b.to_string(),
            a_coverage: self.shared.a_coverage,
            b_coverage: self.shared.b_coverage,
            a_paragraphs: self.a_paragraphs,
            b_paragraphs: self.b_paragraphs,
            order: self.shared.order,
            boilerplate: self.shared.boilerplate,
            title_similarity: self.shared.title_similarity,
            passages: self.passages,
        }
    }
}

/// What the pair's `kept` stretches share in order: the chain that runs
/// forward in both documents (weighed by content), its coverage of each,
/// its boilerplate, and the paragraphs it covers at least half of.
fn revision(kept: &[(&Stretch, Placed, Placed)], ta: &Totals, tb: &Totals) -> Measured {
    let spans: Vec<_> = kept
        .iter()
        .map(|(s, pa, pb)| {
            let segment = &s.segment;
            (
                segment.a.clone(),
                segment.b.clone(),
                pa.content + pb.content,
            )
        })
        .collect();
    let chain = in_order(&spans);
    let on_chain = |of: fn(&(&Stretch, Placed, Placed)) -> usize| -> usize {
        chain.iter().map(|&i| of(&kept[i])).sum()
    };
    let content_a = on_chain(|k| k.1.content);
    let content_b = on_chain(|k| k.2.content);
    let own = on_chain(|k| k.1.own + k.2.own);
    let everything: usize = spans.iter().map(|s| s.2).sum();
    let shared = Shared {
        a_coverage: share(content_a, ta.content),
        b_coverage: share(content_b, tb.content),
        order: share(content_a + content_b, everything),
        boilerplate: 1.0 - share(own, content_a + content_b),
        title_similarity: title_similarity(&ta.title, &tb.title),
    };
    let ranges = |side: fn(&Stretch) -> &Range<usize>| -> Vec<Range<usize>> {
        chain.iter().map(|&i| side(kept[i].0).clone()).collect()
    };
    Measured {
        shared,
        a_paragraphs: paragraphs_covered(&ta.ends, &ranges(|s| &s.segment.a)),
        b_paragraphs: paragraphs_covered(&tb.ends, &ranges(|s| &s.segment.b)),
        passages: chain.len(),
    }
}

/// The first paragraph of `chars` (paragraphs ending at `ends`) holding
/// content, up to [`TITLE_CHARS`] characters.
fn title(chars: &[char], ends: &[usize]) -> Vec<char> {
    let mut start = 0;
    for &end in ends {
        let paragraph = &chars[start..end];
        if content(paragraph) > 0 {
            return paragraph[..paragraph.len().min(TITLE_CHARS)].to_vec();
        }
        start = end;
    }
    Vec::new()
}

/// Of the paragraphs ending at `ends` (folded characters, empty ones left
/// out), how many `ranges` (sorted, disjoint: a chain's side) cover at
/// least half of, and how many there are.
fn paragraphs_covered(ends: &[usize], sorted: &[Range<usize>]) -> [usize; 2] {
    let (mut covered, mut total, mut start, mut at) = (0, 0, 0, 0);
    for &end in ends {
        if end > start {
            total += 1;
            let mut inside = 0;
            while at < sorted.len() && sorted[at].end <= start {
                at += 1;
            }
            let mut r = at;
            while r < sorted.len() && sorted[r].start < end {
                inside += sorted[r].end.min(end) - sorted[r].start.max(start);
                r += 1;
            }
            covered += usize::from(2 * inside >= end - start);
        }
        start = end;
    }
    [covered, total]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passage::content;

    #[test]
    fn documents_know_their_own_content() {
        let shingler = Shingler::new(5, 1);
        let chars: Vec<char> = "同志们：我们要推进高质量发展".chars().collect();
        let all = own_content(&shingler, &chars, |_| false);
        assert_eq!(all.len(), chars.len() + 1);
        assert_eq!(*all.last().unwrap() as usize, content(&chars));
        let first = shingler.char_set("同志们：我")[0];
        let own = own_content(&shingler, &chars, |h| h == first);
        // 同志们 and 我 are covered (：is not content).
        assert_eq!(*own.last().unwrap() as usize, content(&chars) - 4);
        assert_eq!(own[5], 0);
    }
}
