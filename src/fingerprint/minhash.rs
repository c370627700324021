//! MinHash signatures (Broder 1997; MMDS ch. 3).
//!
//! Input: a shingle set (`u64` hashes). Output: `num_perm` values, each the
//! minimum of one random hash function over the set. Two sets agree in one
//! position with probability equal to their Jaccard similarity.
//!
//! Each hash function is multiply-shift on the 64-bit shingle hash,
//! `((a * h + b) >> 32) as u32` with `a` odd, taking the high half of the
//! product: a cheap universal family, and no modulus on wrapped values. All
//! `(a, b)` come from SplitMix64 seeded by [`Config`](crate::Config)'s seed.

use serde::{Deserialize, Serialize};

/// Computes MinHash signatures with `num_perm` seeded hash functions.
///
/// # Examples
///
/// ```
/// use chachong::fingerprint::MinHasher;
/// use chachong::shingle::Shingler;
/// use chachong::verify::estimated_jaccard;
///
/// let shingler = Shingler::new(3, 1);
/// let minhasher = MinHasher::new(128, 1);
/// let a = minhasher.signature(&shingler.char_set("推进县域经济高质量发展是时代重任"));
/// let b = minhasher.signature(&shingler.char_set("推进县域经济高质量发展是历史重任"));
/// let j = estimated_jaccard(a.as_slice(), b.as_slice());
/// assert!(j > 0.4 && j < 0.9, "{j}");
/// ```
#[derive(Clone, Debug)]
pub struct MinHasher {
    // Structure of arrays, so the inner loop zips three slices and vectorises.
    mul: Vec<u64>,
    add: Vec<u64>,
}

impl MinHasher {
    /// A hasher with `num_perm` hash functions drawn from `seed`.
    ///
    /// # Panics
    ///
    /// If `num_perm` is 0 ([`Config`](crate::Config) validation rejects it
    /// first).
    pub fn new(num_perm: usize, seed: u64) -> MinHasher {
        assert!(num_perm > 0, "num_perm must be at least 1");
        let mut rng = SplitMix64(seed);
        let (mul, add) = (0..num_perm).map(|_| (rng.next() | 1, rng.next())).unzip();
        MinHasher { mul, add }
    }

    /// Number of hash functions, the signature length.
    pub fn num_perm(&self) -> usize {
        self.mul.len()
    }

    /// The signature of `shingles` (any order; repeats do not matter).
    ///
    /// An empty set gives all `u32::MAX`, which agrees with every other
    /// empty set: callers must not compare empty documents by signature (the
    /// pipeline leaves them out of candidate search).
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let mut values = vec![u32::MAX; self.num_perm()];
        self.signature_into(shingles, &mut values);
        Signature { values }
    }

    /// Writes the signature of `shingles` into `out`, overwriting it.
    ///
    /// # Panics
    ///
    /// If `out.len() != self.num_perm()`.
    pub fn signature_into(&self, shingles: &[u64], out: &mut [u32]) {
        assert_eq!(out.len(), self.num_perm(), "signature buffer length");
        out.fill(u32::MAX);
        for &h in shingles {
            for ((min, &a), &b) in out.iter_mut().zip(&self.mul).zip(&self.add) {
                let v = (a.wrapping_mul(h).wrapping_add(b) >> 32) as u32;
                *min = (*min).min(v);
            }
        }
    }
}

/// A MinHash signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signature {
    values: Vec<u32>,
}

impl Signature {
    pub(crate) fn from_values(values: Vec<u32>) -> Signature {
        Signature { values }
    }

    /// The minima, one per hash function.
    pub fn as_slice(&self) -> &[u32] {
        &self.values
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the signature has no values (never, for one made by
    /// [`MinHasher`]).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed generator, all
/// this needs to expand one seed into hash parameters.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{estimated_jaccard, jaccard};

    #[test]
    fn same_seed_same_signature() {
        let set: Vec<u64> = (0..100).collect();
        assert_eq!(
            MinHasher::new(64, 5).signature(&set),
            MinHasher::new(64, 5).signature(&set)
        );
        assert_ne!(
            MinHasher::new(64, 5).signature(&set),
            MinHasher::new(64, 6).signature(&set)
        );
    }

    #[test]
    fn order_and_repeats_do_not_matter() {
        let m = MinHasher::new(32, 1);
        assert_eq!(m.signature(&[1, 2, 3]), m.signature(&[3, 3, 1, 2]));
    }

    #[test]
    fn multipliers_are_odd() {
        assert!(MinHasher::new(256, 0).mul.iter().all(|a| a % 2 == 1));
    }

    #[test]
    fn estimate_tracks_jaccard() {
        // Sets with known overlap; the mean error over many pairs must be
        // small (the standard error at k = 256 is about 0.03).
        let m = MinHasher::new(256, 3);
        let mut total_error = 0.0;
        for shift in 0..20u64 {
            let a: Vec<u64> = (0..1000).map(fmix).collect();
            let b: Vec<u64> = (shift * 40..1000 + shift * 40).map(fmix).collect();
            let (mut sa, mut sb) = (a.clone(), b.clone());
            sa.sort_unstable();
            sb.sort_unstable();
            let exact = jaccard(&sa, &sb);
            let est = estimated_jaccard(m.signature(&a).as_slice(), m.signature(&b).as_slice());
            total_error += (exact - est).abs();
        }
        assert!(
            total_error / 20.0 < 0.03,
            "mean error {}",
            total_error / 20.0
        );
    }

    fn fmix(x: u64) -> u64 {
        SplitMix64(x).next()
    }
}
