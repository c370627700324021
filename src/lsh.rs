//! Locality-sensitive hashing over MinHash bands (MMDS §3.4).
//!
//! Input: signatures. Output: candidate pairs, the documents that agree on
//! every row of at least one band. A pair with Jaccard similarity `s` becomes
//! a candidate with probability `1 - (1 - s^r)^b` for `b` bands of `r` rows:
//! an S-curve whose step sits near `(1/b)^(1/r)`.
//! [`LshParams::for_threshold`] picks `b` and `r` for a threshold the way
//! datasketch does, by minimising the area under the curve below the
//! threshold (false positives) plus the area above it left out (false
//! negatives).
//!
//! Each band is a flat array of `(band key, document)` sorted by key, built
//! independently of the others: documents with equal keys are neighbours,
//! so candidates are runs, and bands can be built in parallel without locks.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::bucket::bucket_edges_into;
use crate::corpus::DocId;

/// Bands and rows of an LSH index.
///
/// # Examples
///
/// ```
/// use chachong::lsh::LshParams;
///
/// // The same choice as datasketch's MinHashLSH for threshold 0.5 and 128
/// // permutations.
/// let p = LshParams::for_threshold(0.5, 128);
/// assert_eq!((p.bands, p.rows_per_band), (25, 5));
/// assert!(p.candidate_probability(0.8) > 0.99);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LshParams {
    /// Number of bands.
    pub bands: usize,
    /// Signature values per band.
    pub rows_per_band: usize,
}

impl LshParams {
    /// The bands × rows (with bands × rows ≤ `num_perm`) that minimise
    /// 0.5 · false-positive area + 0.5 · false-negative area of the S-curve
    /// around `threshold`: datasketch's choice.
    ///
    /// # Panics
    ///
    /// If `num_perm` is 0 or `threshold` is not in (0, 1] (the config
    /// validation rejects both first).
    pub fn for_threshold(threshold: f64, num_perm: usize) -> LshParams {
        LshParams::for_threshold_weighted(threshold, num_perm, 0.5)
    }

    /// Like [`for_threshold`](Self::for_threshold), minimising
    /// `(1 - w) · false-positive area + w · false-negative area` for
    /// `w = false_negative_weight`. A larger `w` moves the S-curve left:
    /// more candidates, fewer duplicates missed.
    ///
    /// # Panics
    ///
    /// As [`for_threshold`](Self::for_threshold), and if the weight is not
    /// in [0, 1].
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::lsh::LshParams;
    ///
    /// let even = LshParams::for_threshold_weighted(0.8, 128, 0.5);
    /// let recall = LshParams::for_threshold_weighted(0.8, 128, 0.8);
    /// assert!(recall.candidate_probability(0.85) > even.candidate_probability(0.85));
    /// ```
    pub fn for_threshold_weighted(
        threshold: f64,
        num_perm: usize,
        false_negative_weight: f64,
    ) -> LshParams {
        assert!(num_perm > 0 && threshold > 0.0 && threshold <= 1.0);
        assert!((0.0..=1.0).contains(&false_negative_weight));
        // The search integrates the S-curve of every split of `num_perm`
        // (about a millisecond at 128): a quarter of a run over the seed,
        // and it is asked for on every run. The answer depends on the
        // arguments alone, so it is kept for the process.
        type Chosen = std::collections::HashMap<(u64, usize, u64), LshParams>;
        static CHOSEN: std::sync::OnceLock<std::sync::Mutex<Chosen>> = std::sync::OnceLock::new();
        let key = (
            threshold.to_bits(),
            num_perm,
            false_negative_weight.to_bits(),
        );
        let chosen = CHOSEN.get_or_init(Default::default);
        if let Some(&params) = chosen.lock().ok().as_ref().and_then(|c| c.get(&key)) {
            return params;
        }
        let params = choose(threshold, num_perm, false_negative_weight);
        if let Ok(mut c) = chosen.lock() {
            c.insert(key, params);
        }
        params
    }

    /// Appends the key of every band of `signature` to `out`, band 0 first:
    /// what [`BandTable::build`] computes, for callers that keep keys rather
    /// than signatures (12 `u64` instead of 128 `u32` at the default).
    ///
    /// # Panics
    ///
    /// If `signature` is shorter than `bands * rows_per_band`.
    pub fn band_keys_into(&self, seed: u64, signature: &[u32], out: &mut Vec<u64>) {
        let mut scratch = Vec::with_capacity(self.rows_per_band * 4);
        out.extend(
            (0..self.bands).map(|band| band_key(*self, band, seed, signature, &mut scratch)),
        );
    }

    /// Probability that a pair with Jaccard similarity `jaccard` shares at
    /// least one band: `1 - (1 - s^r)^b`.
    pub fn candidate_probability(&self, jaccard: f64) -> f64 {
        1.0 - (1.0 - jaccard.powi(self.rows_per_band as i32)).powi(self.bands as i32)
    }

    /// Signature values the index reads: `bands * rows_per_band`.
    pub fn num_values(&self) -> usize {
        self.bands * self.rows_per_band
    }
}

/// Composite Simpson's rule; the integrands are smooth polynomials, so 256
/// intervals agree with adaptive quadrature to far below the gaps between
/// competing (b, r) choices.
fn integrate(f: impl Fn(f64) -> f64, from: f64, to: f64) -> f64 {
    const INTERVALS: usize = 256;
    let h = (to - from) / INTERVALS as f64;
    let inner: f64 = (1..INTERVALS)
        .map(|i| f(from + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(from) + inner + f(to)) * h / 3.0
}

/// One band: `(key, id)` for every indexed document, sorted; `Id` names a
/// document (a [`DocId`], or the caller's own number).
#[derive(Clone, Debug, Default)]
pub struct BandTable<Id = DocId> {
    entries: Vec<(u64, Id)>,
}

impl<Id: Copy + Ord> BandTable<Id> {
    /// Builds band number `band` of `params` over `signatures`.
    ///
    /// The key of a band is the xxh3 hash (under `seed`) of its values.
    ///
    /// # Panics
    ///
    /// If a signature is shorter than `params.num_values()`.
    pub fn build<'s>(
        params: LshParams,
        band: usize,
        seed: u64,
        signatures: impl IntoIterator<Item = (Id, &'s [u32])>,
    ) -> BandTable<Id> {
        let mut scratch = Vec::with_capacity(params.rows_per_band * 4);
        let mut entries: Vec<(u64, Id)> = signatures
            .into_iter()
            .map(|(id, signature)| (band_key(params, band, seed, signature, &mut scratch), id))
            .collect();
        entries.sort_unstable();
        BandTable { entries }
    }

    /// A table from band keys already computed (with
    /// [`LshParams::band_keys_into`]), so a caller can keep the keys of a
    /// document instead of its whole signature.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::fingerprint::MinHasher;
    /// use chachong::lsh::{BandTable, LshParams};
    /// use chachong::DocId;
    ///
    /// let params = LshParams { bands: 4, rows_per_band: 2 };
    /// let signature = MinHasher::new(8, 1).signature(&[1, 2, 3]);
    /// let mut keys = Vec::new();
    /// params.band_keys_into(9, signature.as_slice(), &mut keys);
    /// let by_keys = BandTable::from_keys(vec![(keys[0], DocId::new(0)), (keys[0], DocId::new(1))]);
    /// let by_signatures = BandTable::build(params, 0, 9, [(DocId::new(0), signature.as_slice()), (DocId::new(1), signature.as_slice())]);
    /// let (mut a, mut b) = (Vec::new(), Vec::new());
    /// by_keys.pairs_into(&mut a);
    /// by_signatures.pairs_into(&mut b);
    /// assert_eq!(a, b);
    /// ```
    pub fn from_keys(mut entries: Vec<(u64, Id)>) -> BandTable<Id> {
        entries.sort_unstable();
        BandTable { entries }
    }

    /// Appends every pair of documents that share a key in this band, as
    /// `(lower, higher)`.
    pub fn pairs_into(&self, out: &mut Vec<(Id, Id)>) {
        for run in self.entries.chunk_by(|x, y| x.0 == y.0) {
            for (i, &(_, a)) in run.iter().enumerate() {
                out.extend(run[i + 1..].iter().map(|&(_, b)| (a.min(b), a.max(b))));
            }
        }
    }

    /// Appends edges joining the documents that share a key in this band,
    /// linear in their number: every pair of a bucket of at most
    /// [`ALL_PAIRS_UP_TO`](crate::bucket::ALL_PAIRS_UP_TO) documents, a
    /// star and a chain in `Id` order beyond
    /// ([`bucket_edges_into`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::lsh::BandTable;
    ///
    /// // Twenty documents with one key, two with another.
    /// let mut entries: Vec<(u64, u32)> = (0..20).map(|id| (7, id)).collect();
    /// entries.extend([(9, 20), (9, 21)]);
    /// let table = BandTable::from_keys(entries);
    /// let (mut all, mut linear) = (Vec::new(), Vec::new());
    /// table.pairs_into(&mut all);
    /// table.edges_into(&mut linear);
    /// assert_eq!(all.len(), 190 + 1);
    /// assert_eq!(linear.len(), 37 + 1);
    /// ```
    pub fn edges_into(&self, out: &mut Vec<(Id, Id)>) {
        let mut bucket = Vec::new();
        for run in self.entries.chunk_by(|x, y| x.0 == y.0) {
            bucket.clear();
            bucket.extend(run.iter().map(|e| e.1));
            bucket_edges_into(&bucket, out);
        }
    }

    /// Appends the documents whose key equals `key`.
    fn matches_into(&self, key: u64, out: &mut Vec<Id>) {
        let start = self.entries.partition_point(|e| e.0 < key);
        out.extend(
            self.entries[start..]
                .iter()
                .take_while(|e| e.0 == key)
                .map(|e| e.1),
        );
    }
}

fn band_key(
    params: LshParams,
    band: usize,
    seed: u64,
    signature: &[u32],
    scratch: &mut Vec<u8>,
) -> u64 {
    let rows = &signature[band * params.rows_per_band..(band + 1) * params.rows_per_band];
    scratch.clear();
    scratch.extend(rows.iter().flat_map(|v| v.to_le_bytes()));
    xxh3_64_with_seed(scratch, seed ^ band as u64)
}

/// An LSH index: one [`BandTable`] per band.
///
/// # Examples
///
/// ```
/// use chachong::fingerprint::MinHasher;
/// use chachong::lsh::{LshIndex, LshParams};
/// use chachong::shingle::Shingler;
/// use chachong::DocId;
///
/// let shingler = Shingler::new(3, 1);
/// let minhasher = MinHasher::new(128, 1);
/// let texts = ["推进县域经济高质量发展是新时代的重任", "推进县域经济高质量发展是新时代的任务", "今年以来全市经济运行稳中有进"];
/// let signatures: Vec<_> = texts.iter().map(|t| minhasher.signature(&shingler.char_set(t))).collect();
/// let params = LshParams::for_threshold(0.5, 128);
/// let index = LshIndex::build(params, 1, signatures.iter().enumerate().map(|(i, s)| (DocId::new(i), s.as_slice())));
/// assert_eq!(index.candidate_pairs(), [(DocId::new(0), DocId::new(1))]);
/// assert_eq!(index.query(signatures[2].as_slice()), [DocId::new(2)]);
/// ```
#[derive(Clone, Debug)]
pub struct LshIndex<Id = DocId> {
    params: LshParams,
    seed: u64,
    tables: Vec<BandTable<Id>>,
}

impl<Id: Copy + Ord> LshIndex<Id> {
    /// Builds every band, one after another.
    pub fn build<'s>(
        params: LshParams,
        seed: u64,
        signatures: impl IntoIterator<Item = (Id, &'s [u32])> + Clone,
    ) -> LshIndex<Id> {
        let tables = (0..params.bands)
            .map(|band| BandTable::build(params, band, seed, signatures.clone()))
            .collect();
        LshIndex {
            params,
            seed,
            tables,
        }
    }

    /// Assembles an index from band tables built elsewhere (in parallel, by
    /// the pipeline); `tables[i]` must be band `i` built with `seed`.
    ///
    /// # Panics
    ///
    /// If the number of tables is not `params.bands`.
    pub fn from_tables(params: LshParams, seed: u64, tables: Vec<BandTable<Id>>) -> LshIndex<Id> {
        assert_eq!(tables.len(), params.bands, "one table per band");
        LshIndex {
            params,
            seed,
            tables,
        }
    }

    /// The bands and rows.
    pub fn params(&self) -> LshParams {
        self.params
    }

    /// The band tables.
    pub fn tables(&self) -> &[BandTable<Id>] {
        &self.tables
    }

    /// Every pair of documents sharing at least one band, sorted, each once.
    pub fn candidate_pairs(&self) -> Vec<(Id, Id)> {
        let mut out = Vec::new();
        for table in &self.tables {
            table.pairs_into(&mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The indexed documents sharing at least one band with `signature`,
    /// sorted, each once.
    pub fn query(&self, signature: &[u32]) -> Vec<Id> {
        let mut scratch = Vec::new();
        let mut out = Vec::new();
        for (band, table) in self.tables.iter().enumerate() {
            let key = band_key(self.params, band, self.seed, signature, &mut scratch);
            table.matches_into(key, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The bands and rows of `num_perm` values whose S-curve best separates
/// pairs below `threshold` from pairs above it, false negatives weighted
/// by `false_negative_weight` ([`LshParams::for_threshold_weighted`]).
fn choose(threshold: f64, num_perm: usize, false_negative_weight: f64) -> LshParams {
    let mut best = (
        f64::INFINITY,
        LshParams {
            bands: 1,
            rows_per_band: num_perm,
        },
    );
    for bands in 1..=num_perm {
        for rows_per_band in 1..=num_perm / bands {
            let p = LshParams {
                bands,
                rows_per_band,
            };
            let false_positive = integrate(|s| p.candidate_probability(s), 0.0, threshold);
            let false_negative = integrate(|s| 1.0 - p.candidate_probability(s), threshold, 1.0);
            let error = (1.0 - false_negative_weight) * false_positive
                + false_negative_weight * false_negative;
            if error < best.0 {
                best = (error, p);
            }
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_fit_num_perm() {
        for &t in &[0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0] {
            for &k in &[16, 64, 128, 256] {
                let p = LshParams::for_threshold(t, k);
                assert!(p.num_values() <= k, "{t} {k} {p:?}");
            }
        }
    }

    #[test]
    fn higher_threshold_steeper_later_curve() {
        let low = LshParams::for_threshold(0.5, 128);
        let high = LshParams::for_threshold(0.9, 128);
        assert!(high.rows_per_band > low.rows_per_band);
        assert!(low.candidate_probability(0.6) > high.candidate_probability(0.6));
    }

    #[test]
    fn curve_step_near_threshold() {
        let p = LshParams::for_threshold(0.8, 128);
        assert!(p.candidate_probability(0.9) > 0.9, "{p:?}");
        assert!(p.candidate_probability(0.5) < 0.1, "{p:?}");
    }

    #[test]
    fn equal_signatures_pair_once() {
        let sigs = [vec![1u32; 8], vec![1u32; 8], vec![2u32; 8]];
        let p = LshParams {
            bands: 4,
            rows_per_band: 2,
        };
        let index = LshIndex::build(
            p,
            0,
            sigs.iter()
                .enumerate()
                .map(|(i, s)| (DocId::new(i), s.as_slice())),
        );
        assert_eq!(index.candidate_pairs(), [(DocId::new(0), DocId::new(1))]);
    }
}
