//! The `chachong` command: near-duplicate documents and copied paragraphs.
//!
//! ```text
//! chachong dedup --split '^在全市高质量发展工作会议上的讲话篇\d+$' tests/data/speeches.txt
//! chachong dedup --format json --output report.json corpus.jsonl.gz
//! chachong explain 篇9 篇5 --split '^.*篇\d+$' tests/data/speeches.txt
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
mod dedup;
mod evaluate;
mod explain;
mod failure;
mod generate;
mod input;
mod output;
mod progress;
mod settings;

use crate::args::{Cli, Command};
use crate::failure::{Failure, Result};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Dedup(args) => dedup::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Generate(args) => generate::run(args),
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
