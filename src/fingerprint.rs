//! Fingerprints: short summaries of a shingle set that similarity can be
//! estimated from.
//!
//! - [`minhash`]: a [`Signature`](minhash::Signature) of `num_perm` minima
//!   whose agreement rate estimates Jaccard similarity (Broder 1997). It
//!   feeds the LSH band index.
//! - [`oph`]: the same kind of signature from one pass over the shingles
//!   (one-permutation hashing with optimal densification), whatever
//!   `num_perm` is.
//! - [`simhash`]: one 64-bit [`SimHash`](simhash::SimHash) whose Hamming
//!   distance tracks the angle between shingle vectors (Charikar 2002), fed
//!   to the permuted-block Hamming index (Manku, Jain, Das Sarma 2007).

pub mod minhash;
pub mod oph;
pub mod simhash;
