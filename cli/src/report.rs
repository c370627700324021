//! `chachong report --html OUT.html`: the run as a page to read.

use chachong::boilerplate::BoilerplateListing;
use chachong::Deduplicator;

use crate::args::ReportArgs;
use crate::failure::{Failure, Result};
use crate::input::{check_output, Inputs, Reread};
use crate::output::Output;
use crate::progress::{Show, StderrProgress};
use crate::{settings, threads};

pub fn run(args: ReportArgs) -> Result<()> {
    threads(args.threads)?;
    let mut config = settings::config(&args.config)?;
    // The page greys every boilerplate sentence: the report must list them.
    let mut boilerplate = *config.boilerplate();
    boilerplate.listing = BoilerplateListing::Full;
    config = config.with_boilerplate(boilerplate);
    if args.json.as_deref() == Some(args.html.as_path()) {
        return Err(Failure::new(format!(
            "--html and --json are both {}: give each its own file",
            args.html.display()
        )));
    }
    for (flag, path) in [("--html", Some(&args.html)), ("--json", args.json.as_ref())] {
        check_output(
            (flag, "the report"),
            path.map(|p| p.as_path()),
            &args.input.inputs,
        )?;
    }
    let dedup = Deduplicator::new(config)?;
    // Opened before the run, so that a path that cannot be written fails
    // at once; each replaces its file only when whole.
    let mut html = Output::open(Some(&args.html))?;
    let json = args
        .json
        .as_deref()
        .map(|p| Output::open(Some(p)))
        .transpose()?;
    let progress = StderrProgress::new(if args.quiet {
        Show::Quiet
    } else {
        Show::Progress
    });
    let inputs = Inputs::read(&args.input, &progress, Reread::No)?;
    let mut report = dedup
        .run_with_progress(&inputs.documents, &progress)
        .map_err(|err| inputs.name_error(err))?;
    progress.finish();
    report.skipped = inputs.corpus.skipped.clone();
    report.set_encodings(&inputs.corpus.encodings);
    report.stats.inputs = inputs.corpus.inputs.clone();
    html.write_all(report.to_html(&inputs.documents).as_bytes())?;
    html.finish()?;
    if let Some(mut json) = json {
        json.write_json(&report)?;
        json.finish()?;
    }
    progress.note(&format!("wrote {}", args.html.display()));
    Ok(())
}
