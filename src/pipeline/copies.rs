//! The copies stage: items with the same folded text, compared once.
//!
//! A crawl holds the same page thousands of times, and a page the same line
//! as often; comparing every pair of them is quadratic in the copies. So
//! the fingerprint stage hashes each item's folded text (XXH3-128) and
//! shingles and sketches a text only the first time it is seen
//! ([`SeenTexts`]); [`resolve`] then names each text's *original*, the
//! occurrence first by id (documents) or by document id and paragraph
//! (paragraphs), whatever the input order, and gives it the prints. Later
//! stages search and verify originals only, and [`expand`] puts the copies
//! back: documents into their clusters and the report's pairs
//! ([`pairs`](super::pairs)), paragraphs into the matches by [`expand`]:
//!
//! - a text's occurrences are paired all with all when there are at most
//!   `up_to` of them
//!   ([`ClusterConfig::list_all_pairs_up_to`](crate::cluster::ClusterConfig::list_all_pairs_up_to)),
//!   and otherwise each with the original only (a star: linear in the
//!   copies);
//! - a pair measured between two texts is listed for every occurrence of
//!   each when both have at most `up_to`, and otherwise for the two
//!   originals only.
//!
//! Below the limit a run therefore reports exactly what comparing every
//! copy would; above it, what it reports grows linearly with the copies.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Mutex;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_128;

use crate::pipeline::data::{Item, Prints, Verified};
use crate::verify::Overlap;

/// The content hash of a folded text.
pub(crate) fn text_key(folded: &str) -> u128 {
    xxh3_128(folded.as_bytes())
}

/// The hashes of the texts seen so far, shared by the fingerprint stage's
/// threads. Which thread sees a text first does not matter: equal texts
/// have equal prints, and [`resolve`] chooses the original by id.
#[derive(Debug)]
pub(crate) struct SeenTexts {
    shards: Vec<Mutex<HashSet<u128>>>,
}

/// Shards of [`SeenTexts`]: enough that threads seldom wait on each other.
const SHARDS: usize = 64;

impl Default for SeenTexts {
    fn default() -> SeenTexts {
        SeenTexts {
            shards: (0..SHARDS).map(|_| Mutex::new(HashSet::new())).collect(),
        }
    }
}

impl SeenTexts {
    /// Records `key`; whether it was new.
    pub(crate) fn first(&self, key: u128) -> bool {
        let shard = &self.shards[(key as usize) % SHARDS];
        // A poisoned shard only means another thread panicked, and the
        // panic is propagated by rayon: the set itself is intact.
        let mut set = shard.lock().unwrap_or_else(|e| e.into_inner());
        set.insert(key)
    }
}

/// Names each item's original among the items of equal `keys` (the first
/// by `before`) and moves the prints computed for the text (`fresh[i]`:
/// item `i`'s were) to it; a copy keeps the counts, its set is emptied.
/// `signature_len` and `band_keys_len` are the values per item.
pub(crate) fn resolve(
    prints: &mut Prints,
    keys: &[u128],
    fresh: &[bool],
    lens: (usize, usize),
    before: impl Fn(usize, usize) -> Ordering + Sync,
) {
    let (signature_len, band_keys_len) = lens;
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.par_sort_unstable_by(|&x, &y| keys[x].cmp(&keys[y]).then_with(|| before(x, y)));
    for run in order.chunk_by(|&x, &y| keys[x] == keys[y]) {
        let original = run[0];
        let Some(&holder) = run.iter().find(|&&i| fresh[i]) else {
            unreachable!("every text is fingerprinted where it is first seen");
        };
        if holder != original {
            move_prints(prints, holder, original, signature_len, band_keys_len);
        }
        for &copy in &run[1..] {
            prints.original[copy] = Item::new(original);
            prints.counts[copy] = prints.counts[original];
            prints.hidden[copy] = prints.hidden[original];
            prints.simhashes[copy] = prints.simhashes[original];
            prints.sets[copy] = Vec::new();
        }
    }
}

/// Moves item `from`'s prints to item `to` (which has none of its own).
fn move_prints(prints: &mut Prints, from: usize, to: usize, signature_len: usize, keys: usize) {
    prints.sets.swap(from, to);
    prints.counts[to] = prints.counts[from];
    prints.hidden[to] = prints.hidden[from];
    prints.simhashes[to] = prints.simhashes[from];
    let s = signature_len;
    prints
        .signatures
        .copy_within(from * s..(from + 1) * s, to * s);
    prints
        .band_keys
        .copy_within(from * keys..(from + 1) * keys, to * keys);
}

/// The copies of each original, for the items that take part.
#[derive(Debug, Default)]
pub(crate) struct Copies {
    /// (original, copy), sorted.
    pairs: Vec<(Item, Item)>,
}

impl Copies {
    /// The copies in `prints` of the originals that take part (`takes_part`,
    /// asked of every occurrence).
    pub(crate) fn of(prints: &Prints, takes_part: impl Fn(usize) -> bool) -> Copies {
        let mut pairs: Vec<(Item, Item)> = (0..prints.len())
            .filter(|&i| !prints.is_original(i) && takes_part(i))
            .map(|i| (prints.original[i], Item::new(i)))
            .filter(|&(original, _)| takes_part(original.index()))
            .collect();
        pairs.sort_unstable();
        Copies { pairs }
    }

    /// Whether no item has a copy.
    pub(crate) fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The copies of `original` (none for a copy or an item without any).
    pub(crate) fn copies_of(&self, original: Item) -> impl Iterator<Item = Item> + '_ {
        let start = self.pairs.partition_point(|p| p.0 < original);
        self.pairs[start..]
            .iter()
            .take_while(move |p| p.0 == original)
            .map(|p| p.1)
    }

    /// `original` and its copies.
    pub(crate) fn occurrences(&self, original: Item) -> Vec<Item> {
        let mut all = vec![original];
        all.extend(self.copies_of(original));
        all
    }

    /// Every (original, copy), sorted: a star joining each text's
    /// occurrences.
    pub(crate) fn star(&self) -> &[(Item, Item)] {
        &self.pairs
    }

    /// How many items are copies.
    pub(crate) fn len(&self) -> usize {
        self.pairs.len()
    }

    /// The originals that have copies, each once.
    pub(crate) fn originals(&self) -> impl Iterator<Item = Item> + '_ {
        self.pairs.chunk_by(|x, y| x.0 == y.0).map(|run| run[0].0)
    }
}

/// `pairs` (measured between originals) with the copies put back, by the
/// rule of the module docs with `up_to`; `same` is what the pair of an
/// item and its copy is judged to be (`None`: no pair), with `estimate` as
/// the fingerprint's estimate and `counts` the items' shingles.
pub(crate) fn expand<T: Clone>(
    pairs: Vec<(Verified, T)>,
    (copies, up_to): (&Copies, usize),
    (counts, estimate): (&[usize], Option<f64>),
    same: impl Fn(Verified) -> Option<T>,
) -> Vec<(Verified, T)> {
    if copies.is_empty() {
        return pairs;
    }
    let mut out = Vec::with_capacity(pairs.len());
    for original in copies.originals() {
        let all = copies.occurrences(original);
        let n = counts[original.index()];
        let identical = |a: Item, b: Item| Verified {
            a,
            b,
            overlap: Overlap {
                intersection: n,
                a_len: n,
                b_len: n,
            },
            estimate,
        };
        let Some(judged) = same(identical(original, original)) else {
            continue;
        };
        for (i, &a) in all.iter().enumerate() {
            let with: &[Item] = if all.len() <= up_to {
                &all[i + 1..]
            } else if i == 0 {
                &all[1..]
            } else {
                &[]
            };
            out.extend(with.iter().map(|&b| (identical(a, b), judged.clone())));
        }
    }
    for (v, t) in pairs {
        let (xs, ys) = (copies.occurrences(v.a), copies.occurrences(v.b));
        if xs.len() == 1 && ys.len() == 1 || xs.len() > up_to || ys.len() > up_to {
            out.push((v, t));
            continue;
        }
        for &a in &xs {
            out.extend(ys.iter().map(|&b| (Verified { a, b, ..v }, t.clone())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::data::ItemPrints;

    const UP_TO: usize = 16;

    /// Prints of items with these sets, each with a key of its set.
    fn resolved(sets: &[&[u64]], order: &[usize]) -> Prints {
        let mut prints = Prints::default();
        let mut fresh = Vec::new();
        let mut seen = HashSet::new();
        for set in sets {
            let new = seen.insert(set.to_vec());
            fresh.push(new);
            prints.push(ItemPrints {
                set: if new { set.to_vec() } else { Vec::new() },
                count: if new { set.len() } else { 0 },
                ..ItemPrints::default()
            });
        }
        let keys: Vec<u128> = sets.iter().map(|s| s[0] as u128).collect();
        resolve(&mut prints, &keys, &fresh, (0, 0), |x, y| {
            order[x].cmp(&order[y])
        });
        prints
    }

    #[test]
    fn the_original_is_first_by_id_and_gets_the_prints() {
        // Items 0 and 2 share a text; item 2 comes first by id, though
        // item 0 was fingerprinted.
        let p = resolved(&[&[7, 8], &[9], &[7, 8]], &[5, 1, 0]);
        assert_eq!(p.original, [Item::new(2), Item::new(1), Item::new(2)]);
        assert_eq!(p.sets[2], [7, 8]);
        assert!(p.sets[0].is_empty());
        assert_eq!(p.set(0), [7, 8]);
        assert_eq!(p.counts, [2, 1, 2]);
        assert!(p.is_original(2) && !p.is_original(0));
    }

    fn pair(a: usize, b: usize) -> Verified {
        Verified {
            a: Item::new(a),
            b: Item::new(b),
            overlap: Overlap {
                intersection: 1,
                a_len: 2,
                b_len: 2,
            },
            estimate: None,
        }
    }

    fn listed(pairs: &[(Verified, ())]) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = pairs
            .iter()
            .map(|(v, _)| (v.a.index().min(v.b.index()), v.a.index().max(v.b.index())))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn few_copies_are_paired_as_if_each_were_compared() {
        // Text x at 0, 1, 2; text y at 3, 4; x ~ y measured at 0-3.
        let p = resolved(&[&[1], &[1], &[1], &[2], &[2]], &[0, 1, 2, 3, 4]);
        let copies = Copies::of(&p, |_| true);
        let out = expand(
            vec![(pair(0, 3), ())],
            (&copies, UP_TO),
            (&p.counts, None),
            |_| Some(()),
        );
        let mut every = Vec::new();
        for a in 0..5 {
            for b in a + 1..5 {
                every.push((a, b));
            }
        }
        assert_eq!(listed(&out), every);
        let same = out.iter().find(|(v, _)| v.a.index() == 1).unwrap().0;
        assert_eq!(same.overlap.jaccard(), 1.0);
    }

    #[test]
    fn many_copies_are_a_star_around_the_original() {
        let n = UP_TO + 5;
        let mut sets: Vec<&[u64]> = vec![&[1]; n];
        sets.push(&[2]);
        let order: Vec<usize> = (0..=n).collect();
        let p = resolved(&sets, &order);
        let copies = Copies::of(&p, |_| true);
        let out = expand(
            vec![(pair(0, n), ())],
            (&copies, UP_TO),
            (&p.counts, None),
            |_| Some(()),
        );
        // n - 1 copies against item 0, and the measured pair once.
        assert_eq!(out.len(), n);
        assert!(out.iter().all(|(v, _)| v.a.index() == 0));
    }

    #[test]
    fn items_left_out_have_no_copies_and_no_pairs() {
        let p = resolved(&[&[1], &[1], &[1]], &[0, 1, 2]);
        let copies = Copies::of(&p, |i| i != 2);
        assert_eq!(
            copies.occurrences(Item::new(0)),
            [Item::new(0), Item::new(1)]
        );
        let none = expand(
            Vec::<(Verified, ())>::new(),
            (&copies, UP_TO),
            (&p.counts, None),
            |_| None,
        );
        assert!(none.is_empty(), "an original judged no pair pairs no copy");
    }

    #[test]
    fn seen_texts_tell_the_first_time() {
        let seen = SeenTexts::default();
        assert!(seen.first(text_key("同志们")));
        assert!(!seen.first(text_key("同志们")));
        assert!(seen.first(text_key("同志们：")));
    }
}
