//! The `chachong` command: near-duplicate documents and copied paragraphs.
//!
//! ```text
//! chachong dedup --split '^在全市高质量发展工作会议上的讲话篇\d+$' tests/data/speeches.txt
//! chachong dedup --format json --output report.json corpus.jsonl.gz
//! chachong explain 篇9 篇5 --split '^.*篇\d+$' tests/data/speeches.txt
//! chachong report --html report.html --split '^.*篇\d+$' tests/data/speeches.txt
//! chachong index build --index idx/ corpus.jsonl.gz
//! chachong index query --index idx/ --format json new.jsonl
//! chachong evaluate corpus.jsonl.gz truth.json
//! chachong generate --n 100000 --out target/gen-100k.jsonl
//! ```
//!
//! A bad input or setting prints one line on stderr and exits with status
//! 1 (a malformed command line: clap's usage message and status 2). A
//! report is never half written: a file is replaced only once the report
//! is whole. A reader that goes away (`| head`) ends the run quietly.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

mod args;
mod corpora;
mod dedup;
mod evaluate;
mod evaluate_passages;
mod explain;
mod failure;
mod generate;
mod generate_passages;
mod index;
mod input;
mod output;
mod parquet_rows;
mod pdf;
mod progress;
mod report;
mod rows;
mod settings;

use chachong::Deduplicator;

use crate::args::{Cli, Command, InputArgs, RunArgs};
use crate::failure::{Failure, Result};
use crate::input::check_output;
use crate::output::Output;
use crate::progress::{Show, StderrProgress};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Dedup(args) => dedup::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Report(args) => report::run(args),
        Command::Index(command) => index::run(command),
        Command::Evaluate(args) => evaluate::run(args),
        Command::EvaluatePassages(args) => evaluate_passages::run(args),
        Command::Generate(args) => generate::run(args),
        Command::GeneratePassages(args) => generate_passages::run(args),
    };
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Message(message)) => {
            // If stderr is gone too there is no one left to tell.
            let _ = writeln!(io::stderr(), "chachong: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What `dedup` and `explain` start with, in this order: the thread pool,
/// the check that the report lands on no input, the config, the output
/// (opened first, so that a path that cannot be written fails at once; the
/// report replaces it only when whole), and progress.
fn start(
    input: &InputArgs,
    config: chachong::Config,
    run: &RunArgs,
) -> Result<(Deduplicator, Output, StderrProgress)> {
    threads(run.threads)?;
    check_output(
        ("--output", "the report"),
        run.output.as_deref(),
        &input.inputs,
    )?;
    let dedup = Deduplicator::new(config)?;
    let out = Output::open(run.output.as_deref())?;
    let show = if run.quiet {
        Show::Quiet
    } else {
        Show::Progress
    };
    Ok((dedup, out, StderrProgress::new(show)))
}

/// Sets the number of worker threads, if given.
fn threads(threads: Option<usize>) -> Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .map_err(|e| Failure::new(format!("--threads {threads}: {e}")))?;
    }
    Ok(())
}
