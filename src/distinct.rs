//! Removing repeated shingle hashes without sorting.
//!
//! A document's MinHash or SimHash sketch needs its distinct shingles but
//! not their order, and most documents are never a candidate, so their
//! sets are never compared. Sorting 1,600 hashes to deduplicate them costs
//! about 11 comparisons each; a small open-addressing table costs one probe
//! or two. Sets that are compared are sorted later, once they are known to
//! be candidates.

/// A reusable hash table that deduplicates `u64` values in place.
///
/// An empty slot holds 0 (the value 0 itself is tracked apart), and the
/// slots a call used are zeroed again at its end in one sequential sweep:
/// eight bytes a slot, one cache line per probe, which keeps the table of
/// a typical document (a few thousand shingles) in the first-level cache.
#[derive(Debug, Default)]
pub(crate) struct Distinct {
    slots: Vec<u64>,
}

/// Beyond this many values, sorting is used instead: the table would need
/// 16 bytes a value, and a set that large is one huge document.
const MAX_TABLE_VALUES: usize = 1 << 16;

impl Distinct {
    /// Removes repeated values from `values`. Up to 65,536 values, keeps
    /// the first of each in its place and returns `false` (the result is
    /// unsorted); beyond that, sorts and deduplicates and returns `true`.
    pub(crate) fn dedup(&mut self, values: &mut Vec<u64>) -> bool {
        let n = values.len();
        if n > MAX_TABLE_VALUES {
            values.sort_unstable();
            values.dedup();
            return true;
        }
        if n < 2 {
            return true;
        }
        // At most half full, so probe runs stay short.
        let bits = (2 * n).next_power_of_two().trailing_zeros();
        let capacity = 1usize << bits;
        if self.slots.len() < capacity {
            self.slots = vec![0; capacity];
        }
        let slots = &mut self.slots[..capacity];
        let mask = capacity - 1;
        let mut kept = 0;
        let mut zero_seen = false;
        for i in 0..n {
            let value = values[i];
            if value == 0 {
                if !zero_seen {
                    zero_seen = true;
                    values[kept] = 0;
                    kept += 1;
                }
                continue;
            }
            // Fibonacci hashing: the top bits of one multiplication, so
            // values that differ only in high bits still spread.
            let mut slot = (value.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
            loop {
                let held = slots[slot];
                if held == 0 {
                    slots[slot] = value;
                    values[kept] = value;
                    kept += 1;
                    break;
                }
                if held == value {
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        values.truncate(kept);
        slots.fill(0);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<u64>) -> Vec<u64> {
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn keeps_the_first_of_each_in_order() {
        let mut d = Distinct::default();
        let mut v = vec![5, 3, 5, 0, 3, 9, 0, u64::MAX, 9];
        assert!(!d.dedup(&mut v));
        assert_eq!(v, [5, 3, 0, 9, u64::MAX]);
    }

    #[test]
    fn agrees_with_sorting_across_calls_of_every_size() {
        let mut d = Distinct::default();
        let mut x = 1u64;
        for n in [0, 1, 2, 3, 17, 1000, 5, 70_000, 4, 2000] {
            let v: Vec<u64> = (0..n)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Few distinct values, many repeats; high bits only.
                    (x >> 54) << 40
                })
                .collect();
            let mut got = v.clone();
            let is_sorted = d.dedup(&mut got);
            assert_eq!(is_sorted, !(2..=MAX_TABLE_VALUES).contains(&n));
            assert_eq!(sorted(got), sorted(v), "n = {n}");
        }
    }

    #[test]
    fn zero_is_a_value_and_the_table_is_left_empty() {
        let mut d = Distinct::default();
        let mut v = vec![0, 7, 0, 7, 3];
        d.dedup(&mut v);
        assert_eq!(v, [0, 7, 3]);
        assert!(d.slots.iter().all(|&s| s == 0));
        let mut v = vec![3, 0, 3];
        d.dedup(&mut v);
        assert_eq!(v, [3, 0]);
    }
}
