//! A text's distinct shingle hashes, counted or sorted, without sorting.
//!
//! Every document's distinct shingles are counted (the report gives the
//! number), and the sets that are compared must be sorted. Sorting 1,600
//! hashes costs about 11 comparisons each, most of them mispredicted
//! branches; a small open-addressing table costs one probe or two.
//!
//! The table is laid out by value: a hash's home slot is its top bits, and
//! a slot taken sends it to the next one (linear probing, no wrap-around).
//! So reading the slots in order gives the values sorted except inside a
//! run of taken slots, where a value sits at most a probe length past its
//! place: an insertion sort as the slots are read puts it back in a few
//! moves. Shingle hashes are uniform, so runs stay short. A run longer
//! than [`MAX_PROBE`] (values far from uniform) and a set beyond
//! [`MAX_TABLE_VALUES`] fall back to sorting, which bounds the worst case.

/// A probe this long means the values are not spread: sort instead.
const MAX_PROBE: usize = 64;

/// Beyond this many values, sorting is used instead: the table would need
/// up to 64 bytes a value (a sorted read-out, as long as the table, 32),
/// and a set that large is one huge document.
const MAX_TABLE_VALUES: usize = 1 << 16;

/// A reusable table that counts or sorts the distinct values of a slice.
///
/// An empty slot holds 0 (the value 0 itself is tracked apart), and the
/// slots are zeroed again in one sequential sweep: eight bytes a slot, one
/// cache line per probe. How full it may get depends on what is asked
/// ([`Room`]).
#[derive(Debug, Default)]
pub(crate) struct Distinct {
    slots: Vec<u64>,
}

/// Slots a value: how full the table may get.
#[derive(Clone, Copy)]
enum Room {
    /// At most a quarter full when only counting: a value's home slot is
    /// then free seven times in eight on average as the table fills, and a
    /// taken one (a probe, a mispredicted branch) is what a value costs.
    /// Measured: the count a fifth faster than half full, though the table
    /// of a typical document (1,600 shingles: 64 KB) no longer fits the
    /// first-level cache (docs/profile.md).
    Count = 4,
    /// At most half full when the set is read out sorted: the read-out
    /// walks every slot.
    Sort = 2,
}

/// What filling the table found.
enum Filled {
    /// The table holds this many distinct nonzero values (and `used`
    /// slots, the table and its overflow, may be taken).
    Table { len: usize, zero: bool, used: usize },
    /// The values were too many or too far from uniform: sort them.
    Sort,
}

impl Distinct {
    /// The number of distinct values in `values`.
    pub(crate) fn count(&mut self, values: &[u64]) -> usize {
        match self.fill(values, Room::Count) {
            Filled::Table { len, zero, used } => {
                self.slots[..used].fill(0);
                len + usize::from(zero)
            }
            Filled::Sort => {
                let mut sorted = values.to_vec();
                sorted.sort_unstable();
                sorted.dedup();
                sorted.len()
            }
        }
    }

    /// The distinct values of `values`, in increasing order, into `out`
    /// (cleared first).
    pub(crate) fn sorted_into(&mut self, values: &[u64], out: &mut Vec<u64>) {
        out.clear();
        match self.fill(values, Room::Sort) {
            Filled::Table { len, zero, used } => {
                // The taken slots in slot order, without a branch per slot
                // (half of them are empty, at random), zeroing them.
                let start = usize::from(zero);
                out.resize(start + used, 0);
                let taken = &mut out[start..];
                let mut kept = 0;
                for (i, slot) in self.slots[..used].iter_mut().enumerate() {
                    // `kept <= i`: always in bounds.
                    taken[kept.min(i)] = std::mem::take(slot);
                    kept += usize::from(taken[kept.min(i)] != 0);
                }
                debug_assert_eq!(kept, len);
                let taken = &mut taken[..kept];
                // A value is out of place only within a run, by at most a
                // probe length: an insertion sort moves it back.
                for i in 1..taken.len() {
                    let value = taken[i];
                    let mut at = i;
                    while at > 0 && taken[at - 1] > value {
                        taken[at] = taken[at - 1];
                        at -= 1;
                    }
                    taken[at] = value;
                }
                out.truncate(start + kept);
            }
            Filled::Sort => {
                out.extend_from_slice(values);
                out.sort_unstable();
                out.dedup();
            }
        }
    }

    /// Puts every distinct nonzero value of `values` in the table, or
    /// leaves it empty and says to sort.
    fn fill(&mut self, values: &[u64], room: Room) -> Filled {
        let n = values.len();
        if n > MAX_TABLE_VALUES {
            return Filled::Sort;
        }
        let bits = (room as usize * n)
            .next_power_of_two()
            .trailing_zeros()
            .max(1);
        let used = (1usize << bits) + MAX_PROBE;
        if self.slots.len() < used {
            // Zeros written, not `vec![0; used]`: a zeroed allocation can
            // be pages not yet mapped, and the probe reads a slot before
            // it writes one. Read first, a page maps the shared zero page,
            // and the write after it must replace the mapping and flush it
            // from every other CPU running the process: with a fresh table
            // per rayon job, 180 ms of interrupts in the two-thread
            // 100,000-document run. Written first, a page is mapped once.
            self.slots.clear();
            self.slots.resize(used, 0);
        }
        let slots = &mut self.slots[..used];
        let (mut len, mut zero) = (0, false);
        'values: for &value in values {
            if value == 0 {
                zero = true;
                continue;
            }
            let home = (value >> (64 - bits)) as usize;
            for slot in &mut slots[home..home + MAX_PROBE] {
                if *slot == 0 {
                    *slot = value;
                    len += 1;
                    continue 'values;
                }
                if *slot == value {
                    continue 'values;
                }
            }
            slots.fill(0);
            return Filled::Sort;
        }
        Filled::Table { len, zero, used }
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

    fn distinct(d: &mut Distinct, values: &[u64]) -> (usize, Vec<u64>) {
        let count = d.count(values);
        assert!(d.slots.iter().all(|&s| s == 0), "the table is left empty");
        let mut out = vec![42];
        d.sorted_into(values, &mut out);
        assert!(d.slots.iter().all(|&s| s == 0), "the table is left empty");
        (count, out)
    }

    fn lcg(x: &mut u64) -> u64 {
        *x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *x
    }

    #[test]
    fn sorts_and_counts_like_sorting() {
        let mut d = Distinct::default();
        let (count, out) = distinct(&mut d, &[5, 3, 5, 0, 3, 9, 0, u64::MAX, 9]);
        assert_eq!(out, [0, 3, 5, 9, u64::MAX]);
        assert_eq!(count, 5);
    }

    #[test]
    fn agrees_with_sorting_across_calls_of_every_size() {
        let mut d = Distinct::default();
        let mut x = 1u64;
        for n in [0, 1, 2, 3, 17, 1000, 5, 70_000, 4, 2000] {
            // Uniform values with repeats, as shingle hashes are.
            let v: Vec<u64> = (0..n).map(|_| lcg(&mut x) >> (lcg(&mut x) % 2)).collect();
            let (count, out) = distinct(&mut d, &v);
            assert_eq!(out, sorted(v), "n = {n}");
            assert_eq!(count, out.len());
        }
    }

    #[test]
    fn values_far_from_uniform_fall_back_to_sorting() {
        // Few distinct values, all in the same top bits: one long run.
        let mut d = Distinct::default();
        let mut x = 7u64;
        let v: Vec<u64> = (0..5000).map(|_| (lcg(&mut x) >> 54) + 1).collect();
        let (count, out) = distinct(&mut d, &v);
        assert_eq!(out, sorted(v.clone()));
        assert_eq!(count, out.len());
        // And the table still serves the next text.
        let (_, out) = distinct(&mut d, &[u64::MAX, 1 << 63, u64::MAX]);
        assert_eq!(out, [1 << 63, u64::MAX]);
    }
}
