//! Progress on stderr: on a terminal a bar (or spinner) per stage, else a
//! line as each stage starts, with the seconds since the run began.
//!
//! Nothing here may stop a run: a write to stderr that fails (a full
//! device, a closed terminal) is dropped.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use chachong::{Progress, Stage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    Progress,
    Quiet,
}

pub struct StderrProgress {
    show: Show,
    terminal: bool,
    started: Instant,
    /// One bar for every stage, hidden unless drawn on a terminal, so that
    /// counting a document is an atomic add and nothing else.
    bar: ProgressBar,
}

impl StderrProgress {
    pub fn new(show: Show) -> StderrProgress {
        StderrProgress {
            show,
            terminal: io::stderr().is_terminal(),
            started: Instant::now(),
            // Drawn only from the first stage on, once it has a style.
            bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
        }
    }

    /// A line about something that is not a pipeline stage (reading).
    pub fn note(&self, what: &str) {
        if self.show == Show::Quiet {
            return;
        }
        let seconds = self.started.elapsed().as_secs_f64();
        self.bar.suspend(|| {
            let _ = writeln!(io::stderr(), "chachong: [{seconds:6.1}s] {what}");
        });
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
        self.note("done");
    }
}

impl Progress for StderrProgress {
    fn start(&self, stage: Stage, total: Option<u64>) {
        if self.show == Show::Quiet {
            return;
        }
        if !self.terminal {
            let of = total.map(|n| format!(" ({n})")).unwrap_or_default();
            self.note(&format!("{}{of}", stage.as_str()));
            return;
        }
        let template = match total {
            Some(_) => "{msg:12} [{bar:40}] {pos}/{len} ({eta})",
            None => "{msg:12} {spinner} {elapsed}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_message(stage.as_str());
        self.bar.set_length(total.unwrap_or(0));
        self.bar.reset();
        if self.bar.is_hidden() {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.enable_steady_tick(Duration::from_millis(200));
    }

    fn advance(&self, done: u64) {
        self.bar.inc(done);
    }
}
