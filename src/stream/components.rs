//! Which documents can be near-duplicates of each other, from the band
//! keys alone: union-find over documents sharing a key in any band, and
//! the components of two or more cut into partitions that fit in memory.

/// Union-find over document ordinals (path halving, union by size).
pub(crate) struct Components {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Components {
    pub(crate) fn new(n: usize) -> Components {
        Components {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    pub(crate) fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    pub(crate) fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }

    /// Joins the documents of each run of equal keys in `records` (sorted
    /// `key << 32 | ordinal`): a chain through a bucket connects it as all
    /// its pairs would.
    pub(crate) fn join_buckets(&mut self, records: &[u128]) {
        for pair in records.windows(2) {
            if pair[0] >> 32 == pair[1] >> 32 {
                self.union(pair[0] as u32, pair[1] as u32);
            }
        }
    }

    /// Each document's partition (`None` for a document alone), and the
    /// number of partitions: components of two or more, in order of their
    /// first document, put together until a partition's text would pass
    /// `budget` bytes (a component bigger than that is a partition alone).
    pub(crate) fn partitions(mut self, bytes: &[u32], budget: u64) -> (Vec<Option<u32>>, usize) {
        let n = self.parent.len();
        let roots: Vec<u32> = (0..n as u32).map(|x| self.find(x)).collect();
        let mut component_bytes = vec![0u64; n];
        for (x, &root) in roots.iter().enumerate() {
            component_bytes[root as usize] += u64::from(bytes[x]);
        }
        let mut partition_of_root: Vec<Option<u32>> = vec![None; n];
        let (mut partitions, mut filled) = (0u32, 0u64);
        let mut of = Vec::with_capacity(n);
        for &root in &roots {
            let r = root as usize;
            if self.size[r] < 2 {
                of.push(None);
                continue;
            }
            let p = *partition_of_root[r].get_or_insert_with(|| {
                if partitions == 0 || (filled > 0 && filled + component_bytes[r] > budget) {
                    partitions += 1;
                    filled = 0;
                }
                filled += component_bytes[r];
                partitions - 1
            });
            of.push(Some(p));
        }
        (of, partitions as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: u64, ordinal: u32) -> u128 {
        (u128::from(key) << 32) | u128::from(ordinal)
    }

    #[test]
    fn shared_keys_join_and_components_fill_partitions_in_order() {
        let mut c = Components::new(6);
        // Band 1: 0 ~ 3 ~ 5; band 2: 1 ~ 4.
        let mut band = vec![
            record(9, 5),
            record(7, 0),
            record(9, 3),
            record(9, 0),
            record(8, 2),
        ];
        band.sort_unstable();
        c.join_buckets(&band);
        c.join_buckets(&[record(1, 1), record(1, 4)]);
        let bytes = [10, 10, 10, 10, 10, 10];
        let (of, n) = c.partitions(&bytes, 40);
        assert_eq!(of, [Some(0), Some(1), None, Some(0), Some(1), Some(0)]);
        assert_eq!(n, 2, "30 + 20 bytes do not fit in 40");
        let mut c = Components::new(3);
        c.union(0, 2);
        let (of, n) = c.partitions(&[5, 5, 5], 1_000);
        assert_eq!((of, n), (vec![Some(0), None, Some(0)], 1));
    }
}
