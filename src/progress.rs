//! Progress of a run, for a caller that shows it.
//!
//! [`Deduplicator::run_with_progress`](crate::Deduplicator::run_with_progress)
//! announces each [`Stage`] as it starts and counts finished units of work
//! (documents, clusters) as they finish, from whichever rayon thread did
//! them; the fingerprint stage reports its documents in batches of up to
//! 64 per rayon job, so that no shared counter sits in every document's
//! path. The pipeline never waits on the sink, and what it is told changes
//! nothing in the report.

/// A stage of a run, in the order they happen (those the config turns off
/// are not announced).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Stage {
    /// Normalising, shingling and sketching each document; counted in
    /// documents.
    Fingerprint,
    /// Finding candidate document pairs.
    Candidates,
    /// Verifying candidate document pairs.
    Verify,
    /// Finding boilerplate and verifying pairs again without it.
    Boilerplate,
    /// Grouping verified pairs into clusters.
    Cluster,
    /// Aligning, diffing and reconstructing each cluster; counted in
    /// clusters.
    Analysis,
    /// Finding copied paragraphs.
    Paragraphs,
}

impl Stage {
    /// A short lower-case name, for a progress line.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Fingerprint => "fingerprint",
            Stage::Candidates => "candidates",
            Stage::Verify => "verify",
            Stage::Boilerplate => "boilerplate",
            Stage::Cluster => "cluster",
            Stage::Analysis => "analysis",
            Stage::Paragraphs => "paragraphs",
        }
    }
}

/// Where a run reports its progress. Both methods do nothing by default;
/// `()` is the sink that ignores everything.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use std::sync::Mutex;
/// use chachong::{Config, Deduplicator, Document, Progress, Stage};
///
/// #[derive(Default)]
/// struct Log { stages: Mutex<Vec<(Stage, Option<u64>)>>, done: AtomicU64 }
/// impl Progress for Log {
///     fn start(&self, stage: Stage, total: Option<u64>) {
///         self.stages.lock().unwrap().push((stage, total));
///     }
///     fn advance(&self, done: u64) {
///         self.done.fetch_add(done, Ordering::Relaxed);
///     }
/// }
///
/// let docs = [Document::new("a", "同志们，今天我们召开全市工作会议。"), Document::new("b", "同志们，今天我们召开全市工作会议。")];
/// let log = Log::default();
/// Deduplicator::new(Config::default())?.run_with_progress(&docs, &log)?;
/// let stages = log.stages.lock().unwrap();
/// assert_eq!(stages[0], (Stage::Fingerprint, Some(2)));
/// assert!(stages.iter().any(|&(s, _)| s == Stage::Analysis));
/// # Ok::<(), chachong::Error>(())
/// ```
pub trait Progress: Sync {
    /// `stage` starts; it has `total` units of work if that is known.
    fn start(&self, stage: Stage, total: Option<u64>) {
        let _ = (stage, total);
    }

    /// `done` more units of the current stage have finished.
    fn advance(&self, done: u64) {
        let _ = done;
    }
}

impl Progress for () {}
