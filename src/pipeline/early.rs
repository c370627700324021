//! Candidates found while the fingerprint stage still runs.
//!
//! Without kept sets ([`ShingleSets::Recompute`](crate::ShingleSets::Recompute))
//! verification prepares every candidate's text a second time, since which
//! documents are candidates is known only once every band key is. But a
//! document that shares a band key with one fingerprinted before it is a
//! candidate already: the stage records each document's band keys as it
//! goes ([`EarlyCandidates`]) and keeps the set of such a document, so that
//! only the first of each group of candidates is prepared again. Which
//! document of a group comes first depends on the threads; the report does
//! not, since a kept set is the set verification would make.
//!
//! Both what is recorded and what is kept are bounded
//! ([`MAX_RECORDED_KEYS`], [`MAX_KEPT_BYTES`]): past them a run works as
//! without this, so memory beyond the run's band keys stays bounded.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Band keys recorded at most: 4 million (a table of 64 MB), a third of a
/// million documents at 12 bands.
pub(crate) const MAX_RECORDED_KEYS: usize = 1 << 22;

/// Bytes of early candidates' sets kept at most.
pub(crate) const MAX_KEPT_BYTES: usize = 256 << 20;

/// The band keys the fingerprint stage has seen, shared by its threads
/// without a lock, and what the sets it kept take.
///
/// The keys are an open-addressing table of atomics (0: empty), at most
/// half full: a key's home slot is its top bits, a taken slot sends it to
/// the next. A thread claims a slot with a compare-and-swap, so two
/// threads recording the same key agree on which was first.
#[derive(Debug)]
pub(crate) struct EarlyCandidates {
    slots: Vec<AtomicU64>,
    bits: u32,
    recorded: AtomicUsize,
    kept_bytes: AtomicUsize,
}

impl EarlyCandidates {
    /// Room for `keys` band keys (within [`MAX_RECORDED_KEYS`]).
    pub(crate) fn new(keys: usize) -> EarlyCandidates {
        let bits = (2 * keys.clamp(1, MAX_RECORDED_KEYS))
            .next_power_of_two()
            .trailing_zeros();
        EarlyCandidates {
            slots: (0..1usize << bits).map(|_| AtomicU64::new(0)).collect(),
            bits,
            recorded: AtomicUsize::new(0),
            kept_bytes: AtomicUsize::new(0),
        }
    }

    /// Records `band_keys`, one document's; whether one of them was
    /// recorded before (the document is an early candidate). Past the
    /// bound on recorded keys, nothing is recorded and no document is one.
    pub(crate) fn seen_before(&self, band_keys: &[u64]) -> bool {
        let half = self.slots.len() / 2;
        // A read first: past the bound (a large corpus, most of its run)
        // the counter's cache line is not written by every document.
        if self.recorded.load(Ordering::Relaxed) + band_keys.len() > half {
            return false;
        }
        let recorded = self.recorded.fetch_add(band_keys.len(), Ordering::Relaxed);
        if recorded + band_keys.len() > half {
            return false;
        }
        let mut seen = false;
        for &key in band_keys {
            seen |= self.record(key);
        }
        seen
    }

    /// Records `key`; whether it was there already.
    fn record(&self, key: u64) -> bool {
        // 0 marks an empty slot: the key 0 is taken for 1 (at worst a set
        // kept for nothing).
        let key = key.max(1);
        let mask = self.slots.len() - 1;
        let mut slot = (key >> (64 - self.bits)) as usize;
        // A compare-and-swap, never a load first. The table is built as a
        // zeroed allocation (perf shows the compiler makes the collect in
        // `new` one), its pages not mapped until touched: a read maps the
        // shared zero page, and the write after it must replace that
        // mapping and flush it from every other CPU running the process
        // (an interrupt to each, costly in a VM). With two threads that was
        // a tenth of a second of the 100,000-document run. A write as the
        // first touch maps a fresh page with no flush.
        loop {
            match self.slots[slot].compare_exchange(0, key, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return false,
                Err(held) if held == key => return true,
                // Another key holds the slot: go on probing.
                Err(_) => slot = (slot + 1) & mask,
            }
        }
    }

    /// Whether a set of `len` shingles may be kept: takes its bytes of the
    /// bound on kept sets if they fit, and nothing otherwise (a large set
    /// refused leaves room for smaller ones).
    pub(crate) fn room_for(&self, len: usize) -> bool {
        let bytes = len * std::mem::size_of::<u64>();
        self.kept_bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |kept| {
                (kept + bytes <= MAX_KEPT_BYTES).then_some(kept + bytes)
            })
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_sharing_a_key_with_an_earlier_one_is_an_early_candidate() {
        let early = EarlyCandidates::new(12);
        assert!(!early.seen_before(&[1, 2, 3]), "nothing seen yet");
        assert!(!early.seen_before(&[4, 5, 6]), "no key shared");
        assert!(early.seen_before(&[7, 5, 8]), "shares key 5");
        assert!(early.seen_before(&[1, 9, 9 << 40]), "shares key 1");
    }

    #[test]
    fn kept_sets_stay_within_their_bound() {
        let early = EarlyCandidates::new(4);
        let words = MAX_KEPT_BYTES / 8;
        assert!(!early.room_for(words + 1));
        assert!(early.room_for(words / 2));
        assert!(!early.room_for(words), "a set too large for what is left");
        assert!(early.room_for(words / 2), "leaves room for a smaller one");
        assert!(!early.room_for(1), "past the bound");
    }

    #[test]
    fn past_half_the_table_nothing_is_recorded() {
        // Room for 8 keys: a table of 16 slots.
        let early = EarlyCandidates::new(8);
        let keys: Vec<u64> = (1..=7).map(|k| k << 60).collect();
        assert!(!early.seen_before(&keys));
        assert!(early.seen_before(&keys[..1]), "within bounds");
        assert!(
            !early.seen_before(&keys[..1]),
            "key seen, but the table is full"
        );
    }

    #[test]
    fn threads_agree_on_which_came_first() {
        // Every key recorded from two threads at once: each is new to
        // exactly one of them.
        let early = EarlyCandidates::new(20_000);
        let firsts = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    for key in 1..=10_000u64 {
                        let key = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                        if !early.record(key) {
                            firsts.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        assert_eq!(firsts.into_inner(), 10_000);
    }
}
