//! Verification: how similar two candidates really are.
//!
//! Input: two sorted, deduplicated shingle sets (or two signatures, or two
//! SimHashes). Output: exact Jaccard similarity |A∩B| / |A∪B|, containment
//! |A∩B| / |A| in either direction, or the estimate a fingerprint gives.
//!
//! Empty sets are similar to nothing, not even to each other: Jaccard and
//! containment involving an empty set are 0. Otherwise every short text
//! would be a copy of every other.

/// The sizes that every set similarity here is made of.
///
/// # Examples
///
/// ```
/// use chachong::verify::Overlap;
///
/// let o = Overlap::of(&[1, 2, 3, 4], &[3, 4, 5]);
/// assert_eq!((o.intersection, o.a_len, o.b_len), (2, 4, 3));
/// assert_eq!(o.jaccard(), 0.4);
/// assert_eq!(o.containment_b_in_a(), 2.0 / 3.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overlap {
    /// |A ∩ B|.
    pub intersection: usize,
    /// |A|.
    pub a_len: usize,
    /// |B|.
    pub b_len: usize,
}

impl Overlap {
    /// Counts the overlap of two sorted, deduplicated sets by merging them.
    ///
    /// Unsorted input gives a meaningless count (it is not checked, as that
    /// would cost as much as the merge).
    pub fn of(a: &[u64], b: &[u64]) -> Overlap {
        let (mut i, mut j, mut intersection) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    intersection += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        Overlap {
            intersection,
            a_len: a.len(),
            b_len: b.len(),
        }
    }

    /// The overlap of `a` and `b` whole, and without the elements for which
    /// `common` is true, in one merge.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::verify::Overlap;
    ///
    /// let (whole, rest) = Overlap::of_without(&[1, 2, 3, 9], &[2, 3, 4, 9], |h| h == 9);
    /// assert_eq!(whole, Overlap::of(&[1, 2, 3, 9], &[2, 3, 4, 9]));
    /// assert_eq!(rest, Overlap::of(&[1, 2, 3], &[2, 3, 4]));
    /// ```
    pub fn of_without(a: &[u64], b: &[u64], common: impl Fn(u64) -> bool) -> (Overlap, Overlap) {
        let mut whole = Overlap {
            intersection: 0,
            a_len: a.len(),
            b_len: b.len(),
        };
        let mut rest = whole;
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let (x, in_a, in_b) = match (a.get(i), b.get(j)) {
                (Some(&x), Some(&y)) if x == y => (x, true, true),
                (Some(&x), Some(&y)) if x < y => (x, true, false),
                (Some(&x), None) => (x, true, false),
                (_, Some(&y)) => (y, false, true),
                (None, None) => unreachable!("loop condition"),
            };
            let both = in_a && in_b;
            whole.intersection += usize::from(both);
            if common(x) {
                rest.a_len -= usize::from(in_a);
                rest.b_len -= usize::from(in_b);
            } else {
                rest.intersection += usize::from(both);
            }
            i += usize::from(in_a);
            j += usize::from(in_b);
        }
        (whole, rest)
    }

    /// |A∩B| / |A∪B|, 0 when either set is empty.
    pub fn jaccard(&self) -> f64 {
        if self.a_len == 0 || self.b_len == 0 {
            return 0.0;
        }
        self.intersection as f64 / (self.a_len + self.b_len - self.intersection) as f64
    }

    /// |A∩B| / |A|: how much of A is found in B. 0 when either is empty.
    pub fn containment_a_in_b(&self) -> f64 {
        ratio(self.intersection, self.a_len, self.b_len)
    }

    /// |A∩B| / |B|: how much of B is found in A. 0 when either is empty.
    pub fn containment_b_in_a(&self) -> f64 {
        ratio(self.intersection, self.b_len, self.a_len)
    }

    /// |A∩B| / min(|A|, |B|): how much of the smaller set lies in the
    /// larger, which is the larger of the two containments. 0 when either is
    /// empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::verify::Overlap;
    ///
    /// let o = Overlap::of(&[1, 2, 3, 4], &[3, 4, 5]);
    /// assert_eq!(o.containment_of_smaller(), o.containment_b_in_a());
    /// ```
    pub fn containment_of_smaller(&self) -> f64 {
        ratio(
            self.intersection,
            self.a_len.min(self.b_len),
            self.a_len.max(self.b_len),
        )
    }

    /// Share of the larger set's elements found in the smaller set: how
    /// much of the larger the smaller accounts for.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::verify::Overlap;
    ///
    /// let o = Overlap::of(&[1, 2, 3, 4], &[3, 4]);
    /// assert_eq!(o.containment_of_larger(), 0.5);
    /// assert_eq!(o.containment_of_smaller(), 1.0);
    /// ```
    pub fn containment_of_larger(&self) -> f64 {
        ratio(
            self.intersection,
            self.a_len.max(self.b_len),
            self.a_len.min(self.b_len),
        )
    }
}

fn ratio(intersection: usize, of: usize, other: usize) -> f64 {
    if of == 0 || other == 0 {
        0.0
    } else {
        intersection as f64 / of as f64
    }
}

/// Exact Jaccard similarity of two sorted, deduplicated sets.
///
/// # Examples
///
/// ```
/// use chachong::verify::jaccard;
///
/// assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
/// assert_eq!(jaccard(&[7], &[7]), 1.0);
/// assert_eq!(jaccard(&[], &[]), 0.0);
/// ```
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    Overlap::of(a, b).jaccard()
}

/// Containment of `a` in `b`: the share of `a`'s shingles found in `b`.
///
/// # Examples
///
/// ```
/// use chachong::verify::containment;
///
/// assert_eq!(containment(&[1, 2], &[1, 2, 3, 4]), 1.0);
/// assert_eq!(containment(&[1, 2, 3, 4], &[1, 2]), 0.5);
/// ```
pub fn containment(a: &[u64], b: &[u64]) -> f64 {
    Overlap::of(a, b).containment_a_in_b()
}

/// The Jaccard estimate from two MinHash signatures: the share of positions
/// where they agree.
///
/// # Panics
///
/// If the signatures differ in length (they came from different
/// [`MinHasher`](crate::fingerprint::MinHasher)s, a programming error).
///
/// # Examples
///
/// ```
/// use chachong::verify::estimated_jaccard;
///
/// assert_eq!(estimated_jaccard(&[1, 2, 3, 4], &[1, 2, 0, 0]), 0.5);
/// ```
pub fn estimated_jaccard(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(a.len(), b.len(), "signatures of different lengths");
    if a.is_empty() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len() as f64
}

/// Number of bits in which two 64-bit fingerprints differ.
///
/// # Examples
///
/// ```
/// use chachong::verify::hamming_distance;
///
/// assert_eq!(hamming_distance(0b1011, 0b0001), 2);
/// ```
pub fn hamming_distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! t {
        ($name:ident, $a:expr, $b:expr, $j:expr, $cab:expr, $cba:expr) => {
            #[test]
            fn $name() {
                let o = Overlap::of(&$a, &$b);
                assert_eq!(o.jaccard(), $j);
                assert_eq!(o.containment_a_in_b(), $cab);
                assert_eq!(o.containment_b_in_a(), $cba);
            }
        };
    }

    t!(disjoint, [1, 3], [2, 4], 0.0, 0.0, 0.0);
    t!(equal, [1, 2, 3], [1, 2, 3], 1.0, 1.0, 1.0);
    t!(subset, [2, 3], [1, 2, 3, 4], 0.5, 1.0, 0.5);
    t!(both_empty, [], [], 0.0, 0.0, 0.0);
    t!(one_empty, [], [1], 0.0, 0.0, 0.0);
    t!(
        interleaved,
        [1, 4, 6, 9],
        [2, 4, 9, 10],
        2.0 / 6.0,
        0.5,
        0.5
    );

    #[test]
    fn containment_of_smaller_is_the_larger_containment() {
        let cases: [(&[u64], &[u64]); 4] = [
            (&[1, 2], &[1, 2, 3, 4]),
            (&[1, 2, 3, 4], &[2, 3]),
            (&[], &[1]),
            (&[5], &[6]),
        ];
        for (a, b) in cases {
            let o = Overlap::of(a, b);
            assert_eq!(
                o.containment_of_smaller(),
                o.containment_a_in_b().max(o.containment_b_in_a())
            );
        }
        assert_eq!(
            Overlap::of(&[1, 2], &[1, 2, 3, 4]).containment_of_smaller(),
            1.0
        );
    }
}
