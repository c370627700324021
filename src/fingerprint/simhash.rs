//! SimHash (Charikar 2002): one 64-bit fingerprint per shingle set.
//!
//! Input: shingle hashes. Each adds +1 to the bit counters where it has a 1
//! and −1 where it has a 0; the fingerprint has a 1 where the sum is
//! positive. Passing a set weighs every shingle once; passing the sequence
//! with repeats weighs each by its frequency ("weighted" SimHash).
//!
//! The probability that one bit differs between two fingerprints is θ/π,
//! θ the angle between the shingle vectors. For two sets of equal size with
//! Jaccard similarity J, cos θ = 2J/(1+J); [`expected_hamming_distance`] and
//! [`jaccard_from_hamming`] convert between the two.

use serde::{Deserialize, Serialize};

/// A 64-bit SimHash fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SimHash(pub u64);

/// Computes SimHash fingerprints.
///
/// # Examples
///
/// ```
/// use chachong::fingerprint::SimHasher;
/// use chachong::shingle::Shingler;
/// use chachong::verify::hamming_distance;
///
/// let shingler = Shingler::new(3, 1);
/// let simhasher = SimHasher::new();
/// let a = simhasher.simhash(&shingler.char_set("在全市高质量发展工作会议上的讲话，同志们辛苦了"));
/// let b = simhasher.simhash(&shingler.char_set("在全市高质量发展工作会议上的讲话，同志们辛苦啦"));
/// let c = simhasher.simhash(&shingler.char_set("今年以来，我们坚持稳中求进工作总基调"));
/// assert!(hamming_distance(a.0, b.0) < hamming_distance(a.0, c.0));
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct SimHasher;

impl SimHasher {
    /// A SimHasher.
    pub fn new() -> SimHasher {
        SimHasher
    }

    /// The fingerprint of `hashes`; each element counts once, so repeats
    /// weigh more.
    pub fn simhash(&self, hashes: &[u64]) -> SimHash {
        let mut counts = [0i32; 64];
        for &h in hashes {
            for (bit, count) in counts.iter_mut().enumerate() {
                // Branch-free ±1 so the loop vectorises.
                *count += (((h >> bit) & 1) as i32) * 2 - 1;
            }
        }
        let bits = counts
            .iter()
            .enumerate()
            .fold(0u64, |acc, (bit, &c)| acc | (u64::from(c > 0) << bit));
        SimHash(bits)
    }
}

/// The largest candidate distance a Hamming index takes: it splits 64 bits
/// into `distance + 1` blocks, so 64 would leave a block of no bits, and
/// every pair is within 64 bits anyway.
pub const MAX_HAMMING_DISTANCE: u32 = 63;

/// The Hamming distance expected between SimHashes of two equal-size sets
/// with Jaccard similarity `jaccard`.
///
/// # Examples
///
/// ```
/// use chachong::fingerprint::expected_hamming_distance;
///
/// assert_eq!(expected_hamming_distance(1.0), 0.0);
/// assert!((expected_hamming_distance(0.8) - 9.7).abs() < 0.1);
/// ```
pub fn expected_hamming_distance(jaccard: f64) -> f64 {
    let cos = (2.0 * jaccard / (1.0 + jaccard)).clamp(-1.0, 1.0);
    64.0 * cos.acos() / std::f64::consts::PI
}

/// The Jaccard similarity of two equal-size sets whose SimHashes are
/// `distance` bits apart, by the same model; the inverse of
/// [`expected_hamming_distance`], clamped to [0, 1].
///
/// # Examples
///
/// ```
/// use chachong::fingerprint::{expected_hamming_distance, jaccard_from_hamming};
///
/// let d = expected_hamming_distance(0.7);
/// assert!((jaccard_from_hamming(d) - 0.7).abs() < 1e-9);
/// assert_eq!(jaccard_from_hamming(40.0), 0.0);
/// ```
pub fn jaccard_from_hamming(distance: f64) -> f64 {
    let cos = (std::f64::consts::PI * distance / 64.0).cos();
    (cos / (2.0 - cos)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_zero() {
        assert_eq!(SimHasher.simhash(&[]), SimHash(0));
    }

    #[test]
    fn one_hash_is_itself() {
        assert_eq!(SimHasher.simhash(&[0xDEAD_BEEF]), SimHash(0xDEAD_BEEF));
    }

    #[test]
    fn majority_wins_per_bit() {
        assert_eq!(SimHasher.simhash(&[0b011, 0b110, 0b010]), SimHash(0b010));
    }

    #[test]
    fn repeats_weigh() {
        assert_eq!(SimHasher.simhash(&[0b01, 0b01, 0b10]), SimHash(0b01));
    }
}
