//! Hash sets keyed by shingle hashes, which are already uniformly
//! distributed 64-bit values: hashing them again (SipHash by default) only
//! costs time, so the hasher passes them through.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A [`Hasher`] for keys that are already hashes: it returns the last
/// `u64` written.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are used; anything else still hashes, slowly.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// A set of shingle hashes.
pub(crate) type HashedSet = HashSet<u64, BuildHasherDefault<PassThrough>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_pass_through() {
        let mut set = HashedSet::default();
        set.insert(7);
        set.insert(u64::MAX);
        assert!(set.contains(&7) && set.contains(&u64::MAX) && !set.contains(&8));
        let mut h = PassThrough::default();
        h.write_u64(42);
        assert_eq!(h.finish(), 42);
    }
}
