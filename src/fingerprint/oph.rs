//! One-permutation hashing with optimal densification (Li, Owen, Zhang
//! 2012; Shrivastava 2017).
//!
//! Input: shingle hashes, in any order, repeats allowed. Output: a
//! [`Signature`] of `num_perm` values whose agreement rate estimates Jaccard
//! similarity, like classic MinHash, but computed with one pass over the
//! shingles whatever `num_perm` is.
//!
//! Classic MinHash applies `num_perm` hash functions to every shingle. Here
//! each shingle hash, already uniform from xxh3, is used once: its high bits
//! pick one of `num_perm` bins (multiply-shift, `(h * k) >> 64`), its low 32
//! bits are the value, and each bin keeps its minimum. A bin no shingle fell
//! into borrows the value of a non-empty bin chosen by a seeded probe
//! sequence that depends only on the bin and the attempt, so two documents
//! probe alike and agree in the borrowed bin with the right probability
//! ("optimal densification"). Repeats do not change a minimum, so the
//! shingle *sequence* can be sketched without sorting it into a set.

use crate::fingerprint::minhash::Signature;
use crate::shingle::fmix64 as mix;

/// Computes one-permutation MinHash signatures.
///
/// # Examples
///
/// ```
/// use chachong::fingerprint::OnePermutationHasher;
/// use chachong::shingle::Shingler;
/// use chachong::verify::estimated_jaccard;
///
/// let shingler = Shingler::new(3, 1);
/// let hasher = OnePermutationHasher::new(128, 1);
/// let mut a = Vec::new();
/// shingler.char_sequence_into("推进县域经济高质量发展是时代重任推进县域经济", &mut a);
/// let b = shingler.char_set("推进县域经济高质量发展是历史重任");
/// // The sequence (with repeats) and the set give the same kind of signature.
/// let j = estimated_jaccard(hasher.signature(&a).as_slice(), hasher.signature(&b).as_slice());
/// assert!(j > 0.3 && j < 0.9, "{j}");
/// let mut set = a.clone();
/// set.sort_unstable();
/// set.dedup();
/// assert_eq!(hasher.signature(&a), hasher.signature(&set));
/// ```
#[derive(Clone, Debug)]
pub struct OnePermutationHasher {
    num_perm: usize,
    seed: u64,
    /// `64 - log2(num_perm)` when `num_perm` is a power of two above 1: the
    /// bin is then the hash's top bits, a shift instead of a multiply.
    top_bits_shift: Option<u32>,
}

/// A value no shingle produces (values are capped one below), marking an
/// empty bin.
const EMPTY: u32 = u32::MAX;

impl OnePermutationHasher {
    /// A hasher with `num_perm` bins, densification probes drawn from `seed`.
    ///
    /// # Panics
    ///
    /// If `num_perm` is 0 ([`Config`](crate::Config) validation rejects it
    /// first).
    pub fn new(num_perm: usize, seed: u64) -> OnePermutationHasher {
        assert!(num_perm > 0, "num_perm must be at least 1");
        let top_bits_shift =
            (num_perm > 1 && num_perm.is_power_of_two()).then(|| 64 - num_perm.trailing_zeros());
        OnePermutationHasher {
            num_perm,
            seed,
            top_bits_shift,
        }
    }

    /// Number of bins, the signature length.
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// The signature of `shingles` (any order; repeats do not matter).
    ///
    /// An empty input gives all `u32::MAX`, like [`MinHasher`](crate::fingerprint::MinHasher).
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let mut values = vec![EMPTY; self.num_perm];
        self.signature_into(shingles, &mut values);
        Signature::from_values(values)
    }

    /// Writes the signature of `shingles` into `out`, overwriting it.
    ///
    /// # Panics
    ///
    /// If `out.len() != self.num_perm()`.
    pub fn signature_into(&self, shingles: &[u64], out: &mut [u32]) {
        self.start(out);
        self.add_all(out, shingles);
        self.finish(out);
    }

    /// Adds every hash of `shingles` to the signature
    /// [`start`](Self::start)ed in `out`, as [`add`](Self::add) would one
    /// at a time.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::fingerprint::OnePermutationHasher;
    ///
    /// let hasher = OnePermutationHasher::new(64, 3);
    /// let shingles = [11u64 << 40, 7 << 50, 3 << 60];
    /// let mut out = vec![0; 64];
    /// hasher.start(&mut out);
    /// hasher.add_all(&mut out, &shingles);
    /// hasher.finish(&mut out);
    /// assert_eq!(out, hasher.signature(&shingles).as_slice());
    /// ```
    pub fn add_all(&self, out: &mut [u32], shingles: &[u64]) {
        // A store every time, not `add`'s branch: in a loop of its own the
        // stores do not hold up the hashing, while a quarter of the
        // branches (a new minimum) would be mispredicted.
        for &h in shingles {
            let bin = match self.top_bits_shift {
                Some(shift) => (h >> shift) as usize,
                None => ((u128::from(h) * self.num_perm as u128) >> 64) as usize,
            };
            let value = (h as u32).min(EMPTY - 1);
            out[bin] = out[bin].min(value);
        }
    }

    /// Starts a signature in `out`, every bin empty, for shingles to be
    /// [`add`](Self::add)ed one at a time as they are made (no sequence
    /// kept); [`finish`](Self::finish) completes it.
    ///
    /// # Panics
    ///
    /// If `out.len() != self.num_perm()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::fingerprint::OnePermutationHasher;
    ///
    /// let hasher = OnePermutationHasher::new(64, 3);
    /// let shingles = [11u64 << 40, 7 << 50, 3 << 60, 11 << 40];
    /// let mut one_at_a_time = vec![0; 64];
    /// hasher.start(&mut one_at_a_time);
    /// shingles.iter().for_each(|&h| hasher.add(&mut one_at_a_time, h));
    /// hasher.finish(&mut one_at_a_time);
    /// assert_eq!(one_at_a_time, hasher.signature(&shingles).as_slice());
    /// ```
    pub fn start(&self, out: &mut [u32]) {
        assert_eq!(out.len(), self.num_perm, "signature buffer length");
        out.fill(EMPTY);
    }

    /// Adds one shingle hash to the signature [`start`](Self::start)ed in
    /// `out`.
    #[inline]
    pub fn add(&self, out: &mut [u32], h: u64) {
        // (h × num_perm) >> 64, which for a power of two is h's top bits.
        let bin = match self.top_bits_shift {
            Some(shift) => (h >> shift) as usize,
            None => ((u128::from(h) * self.num_perm as u128) >> 64) as usize,
        };
        // The low half is independent of the high bits that chose the
        // bin; capping keeps EMPTY free to mean "no shingle".
        let value = (h as u32).min(EMPTY - 1);
        // A branch, not a store every time: past the first few values per
        // bin a new minimum is rare, and a store each time ties every add
        // to the last one's.
        if value < out[bin] {
            out[bin] = value;
        }
    }

    /// Completes the signature in `out`: its empty bins borrow from filled
    /// ones. One that no shingle was added to stays all `u32::MAX`.
    pub fn finish(&self, out: &mut [u32]) {
        let empty = out.iter().filter(|&&v| v == EMPTY).count();
        if empty == 0 || empty == out.len() {
            return;
        }
        self.densify(out);
    }

    /// Fills every empty bin from a non-empty one, probing bins in an order
    /// that depends only on the seed, the bin and the attempt.
    fn densify(&self, out: &mut [u32]) {
        // Only bins filled by shingles may be borrowed from, never bins
        // filled by this loop: remember which they were.
        let filled: Vec<bool> = out.iter().map(|&v| v != EMPTY).collect();
        let k = self.num_perm as u128;
        for bin in 0..out.len() {
            if filled[bin] {
                continue;
            }
            let mut attempt: u64 = 0;
            out[bin] = loop {
                let probe = mix(self.seed ^ ((bin as u64) << 32 | attempt));
                let from = ((u128::from(probe) * k) >> 64) as usize;
                if filled[from] {
                    break out[from];
                }
                attempt += 1;
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::minhash::MinHasher;
    use crate::verify::{estimated_jaccard, jaccard};

    /// Deterministic uniform 64-bit values, standing in for shingle hashes.
    fn hashes(range: std::ops::Range<u64>, salt: u64) -> Vec<u64> {
        range
            .map(|i| mix(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt))
            .collect()
    }

    #[test]
    fn bins_are_the_multiply_shift_of_the_definition() {
        let set = hashes(0..3000, 4);
        for num_perm in [1, 2, 3, 64, 100, 128, 256] {
            let h = OnePermutationHasher::new(num_perm, 1);
            let mut want = vec![EMPTY; num_perm];
            for &x in &set {
                let bin = ((u128::from(x) * num_perm as u128) >> 64) as usize;
                want[bin] = want[bin].min((x as u32).min(EMPTY - 1));
            }
            // 3,000 values fill every bin: no densifying to tell apart.
            assert_eq!(h.signature(&set).as_slice(), want, "{num_perm}");
            // `add`'s branch and `add_all`'s store agree.
            let mut one_at_a_time = vec![0; num_perm];
            h.start(&mut one_at_a_time);
            set.iter().for_each(|&x| h.add(&mut one_at_a_time, x));
            assert_eq!(one_at_a_time, want, "{num_perm}");
        }
    }

    #[test]
    fn every_bin_is_filled_for_a_non_empty_set() {
        let h = OnePermutationHasher::new(128, 3);
        for n in [1, 2, 10, 127, 128, 1000] {
            let sig = h.signature(&hashes(0..n, 1));
            assert!(sig.as_slice().iter().all(|&v| v != EMPTY), "{n}");
        }
        assert!(h.signature(&[]).as_slice().iter().all(|&v| v == EMPTY));
    }

    #[test]
    fn same_set_same_signature_and_seed_matters_only_for_empty_bins() {
        let set = hashes(0..20, 9);
        let h = OnePermutationHasher::new(64, 5);
        let mut reordered = set.clone();
        reordered.reverse();
        reordered.extend_from_slice(&set[..5]);
        assert_eq!(h.signature(&set), h.signature(&reordered));
        assert_ne!(
            h.signature(&set),
            OnePermutationHasher::new(64, 6).signature(&set)
        );
    }

    /// Mean absolute error of the Jaccard estimate over 900 pairs of sets of
    /// sizes from 5 to 1,000 (a heading to a long paragraph) and
    /// similarities from 0 to 1.
    fn mean_absolute_error(estimate: impl Fn(&[u64], &[u64]) -> f64) -> f64 {
        let mut total = 0.0;
        let mut pairs = 0;
        for (p, &size) in [5u64, 20, 60, 150, 400, 1000].iter().enumerate() {
            for step in 0..150u64 {
                let shift = size * (step % 20) / 20;
                let salt = p as u64 * 1000 + step;
                let mut a = hashes(0..size, salt);
                let mut b = hashes(shift..size + shift, salt);
                let exact = {
                    a.sort_unstable();
                    b.sort_unstable();
                    jaccard(&a, &b)
                };
                total += (estimate(&a, &b) - exact).abs();
                pairs += 1;
            }
        }
        total / f64::from(pairs)
    }

    #[test]
    fn as_accurate_as_classic_minhash() {
        for (num_perm, seed) in [(64, 1), (128, 2), (256, 3)] {
            let oph = OnePermutationHasher::new(num_perm, seed);
            let classic = MinHasher::new(num_perm, seed);
            let oph_error = mean_absolute_error(|a, b| {
                estimated_jaccard(oph.signature(a).as_slice(), oph.signature(b).as_slice())
            });
            let classic_error = mean_absolute_error(|a, b| {
                estimated_jaccard(
                    classic.signature(a).as_slice(),
                    classic.signature(b).as_slice(),
                )
            });
            eprintln!("num_perm {num_perm}: MAE one-permutation {oph_error:.4}, classic {classic_error:.4}");
            assert!(
                oph_error <= classic_error * 1.15 + 0.002,
                "num_perm {num_perm}: one-permutation {oph_error:.4} vs classic {classic_error:.4}"
            );
        }
    }
}
