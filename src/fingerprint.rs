//! Fingerprints: short summaries of a shingle set that similarity can be
//! estimated from.
//!
//! - [`MinHasher`]: a [`Signature`] of `num_perm` minima whose agreement
//!   rate estimates Jaccard similarity (Broder 1997). It feeds the LSH band
//!   index.
//! - [`OnePermutationHasher`]: the same kind of signature from one pass over
//!   the shingles (one-permutation hashing with optimal densification),
//!   whatever `num_perm` is.
//! - [`SimHasher`]: one 64-bit [`SimHash`] whose Hamming distance tracks the
//!   angle between shingle vectors (Charikar 2002), fed to the
//!   permuted-block Hamming index (Manku, Jain, Das Sarma 2007).

mod minhash;
mod oph;
mod simhash;

pub use self::minhash::{MinHasher, Signature};
pub use self::oph::OnePermutationHasher;
pub use self::simhash::{
    expected_hamming_distance, jaccard_from_hamming, SimHash, SimHasher, MAX_HAMMING_DISTANCE,
};
