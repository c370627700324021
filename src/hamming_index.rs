//! Finding SimHashes within a Hamming distance (Manku, Jain, Das Sarma 2007).
//!
//! Input: 64-bit fingerprints and a maximum distance `k`. Output: every pair
//! at distance ≤ k, exactly. The 64 bits are cut into `k + 1` blocks; two
//! fingerprints that differ in at most `k` bits are equal on at least one
//! block (pigeonhole), so each block gets a table sorted by that block's
//! value (the "permuted table" of Manku et al., block first), and pairs that
//! share a block value are checked in full.
//!
//! The cost grows quickly with `k`: a block of `64 / (k + 1)` bits splits
//! documents into only `2^(64 / (k + 1))` buckets. `k ≤ 7` (8-bit blocks) is
//! practical for millions of documents; larger `k` suits small corpora.

use crate::corpus::DocId;
use crate::fingerprint::MAX_HAMMING_DISTANCE;
use crate::verify::hamming_distance;

/// Sorted block tables over a set of SimHashes, each named by an `Id` (a
/// [`DocId`], or the caller's own number).
///
/// # Examples
///
/// ```
/// use chachong::hamming_index::HammingIndex;
/// use chachong::DocId;
///
/// let hashes = [0b0000u64, 0b0011, 0b1111_0000, u64::MAX];
/// let index = HammingIndex::build(2, hashes.iter().enumerate().map(|(i, &h)| (DocId::new(i), h)));
/// assert_eq!(index.pairs(), [(DocId::new(0), DocId::new(1))]);
/// assert_eq!(index.query(0b0001), [DocId::new(0), DocId::new(1)]);
/// ```
#[derive(Clone, Debug)]
pub struct HammingIndex<Id = DocId> {
    max_distance: u32,
    /// `(shift, width)` of each block.
    blocks: Vec<(u32, u32)>,
    /// Per block: `(block value, fingerprint, document)`, sorted.
    tables: Vec<Vec<(u64, u64, Id)>>,
}

impl<Id: Copy + Ord> HammingIndex<Id> {
    /// Indexes `hashes` for look-ups within `max_distance` bits.
    ///
    /// # Panics
    ///
    /// If `max_distance` is above [`MAX_HAMMING_DISTANCE`] (63).
    pub fn build(
        max_distance: u32,
        hashes: impl IntoIterator<Item = (Id, u64)>,
    ) -> HammingIndex<Id> {
        let hashes: Vec<(Id, u64)> = hashes.into_iter().collect();
        let blocks = blocks(max_distance);
        let tables = blocks
            .iter()
            .map(|&block| {
                let mut table: Vec<(u64, u64, Id)> = hashes
                    .iter()
                    .map(|&(id, h)| (block_value(h, block), h, id))
                    .collect();
                table.sort_unstable();
                table
            })
            .collect();
        HammingIndex {
            max_distance,
            blocks,
            tables,
        }
    }

    /// The largest distance reported.
    pub fn max_distance(&self) -> u32 {
        self.max_distance
    }

    /// Every pair within `max_distance`, as `(lower, higher)`, sorted, each
    /// once.
    pub fn pairs(&self) -> Vec<(Id, Id)> {
        let mut out = Vec::new();
        for block in 0..self.tables.len() {
            self.block_pairs_into(block, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Number of blocks, one table each.
    pub fn num_blocks(&self) -> usize {
        self.tables.len()
    }

    /// Appends the pairs within `max_distance` that share block `block`'s
    /// value (possibly repeated across blocks; [`pairs`](Self::pairs)
    /// deduplicates). Lets a caller work through blocks in parallel.
    ///
    /// # Panics
    ///
    /// If `block >= self.num_blocks()`.
    pub fn block_pairs_into(&self, block: usize, out: &mut Vec<(Id, Id)>) {
        for run in self.tables[block].chunk_by(|x, y| x.0 == y.0) {
            for (i, &(_, ha, a)) in run.iter().enumerate() {
                for &(_, hb, b) in &run[i + 1..] {
                    if hamming_distance(ha, hb) <= self.max_distance {
                        out.push((a.min(b), a.max(b)));
                    }
                }
            }
        }
    }

    /// The indexed documents within `max_distance` of `hash`, sorted.
    pub fn query(&self, hash: u64) -> Vec<Id> {
        let mut out = Vec::new();
        for (table, &block) in self.tables.iter().zip(&self.blocks) {
            let value = block_value(hash, block);
            let start = table.partition_point(|e| e.0 < value);
            out.extend(
                table[start..]
                    .iter()
                    .take_while(|e| e.0 == value)
                    .filter(|e| hamming_distance(e.1, hash) <= self.max_distance)
                    .map(|e| e.2),
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Splits 64 bits into `max_distance + 1` contiguous blocks whose widths
/// differ by at most one.
fn blocks(max_distance: u32) -> Vec<(u32, u32)> {
    assert!(
        max_distance <= MAX_HAMMING_DISTANCE,
        "max_distance {max_distance} leaves no block"
    );
    let count = max_distance + 1;
    let mut shift = 0;
    (0..count)
        .map(|i| {
            let width = 64 / count + u32::from(i < 64 % count);
            let block = (shift, width);
            shift += width;
            block
        })
        .collect()
}

fn block_value(hash: u64, (shift, width): (u32, u32)) -> u64 {
    if width == 64 {
        hash
    } else {
        (hash >> shift) & ((1u64 << width) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_64_bits() {
        for k in 0..=63 {
            let b = blocks(k);
            assert_eq!(b.len() as u32, k + 1);
            assert_eq!(b.iter().map(|x| x.1).sum::<u32>(), 64);
            assert_eq!(b.last().map(|x| x.0 + x.1), Some(64));
        }
    }

    #[test]
    fn finds_exactly_the_pairs_within_k() {
        // Brute force over pseudo-random fingerprints and their neighbours.
        let mut hashes = Vec::new();
        let mut x = 0x1234_5678_9abc_def0u64;
        for i in 0..200u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            hashes.push(if i % 3 == 0 {
                x
            } else {
                hashes[hashes.len() - 1] ^ (x & x >> 7 & x >> 13)
            });
        }
        for k in [0, 3, 6, 10] {
            let index = HammingIndex::build(
                k,
                hashes.iter().enumerate().map(|(i, &h)| (DocId::new(i), h)),
            );
            let mut want = Vec::new();
            for i in 0..hashes.len() {
                for j in i + 1..hashes.len() {
                    if hamming_distance(hashes[i], hashes[j]) <= k {
                        want.push((DocId::new(i), DocId::new(j)));
                    }
                }
            }
            assert_eq!(index.pairs(), want, "k = {k}");
        }
    }
}
