//! `chachong report --html OUT.html [--pdf OUT.pdf]`: the run as a page to
//! read, and printed.

use chachong::boilerplate::BoilerplateListing;
use chachong::Deduplicator;

use crate::args::ReportArgs;
use crate::failure::{Failure, Result};
use crate::input::{check_output, Inputs, Reread};
use crate::output::Output;
use crate::progress::{Show, StderrProgress};
use crate::{settings, threads};

pub fn run(args: ReportArgs) -> Result<()> {
    threads(args.work.threads)?;
    let mut config = settings::config(&args.config)?;
    // The page greys every boilerplate sentence: the report must list them.
    let mut boilerplate = *config.boilerplate();
    boilerplate.listing = BoilerplateListing::Full;
    config = config.with_boilerplate(boilerplate);
    check_outputs(&args)?;
    let dedup = Deduplicator::new(config)?;
    // Opened before the run, so that a path that cannot be written fails
    // at once; each replaces its file only when whole. Without --html the
    // page is printed from a temporary file.
    // The temporary page lives until the end of the run.
    let (page_path, _temporary_page) = match &args.html {
        Some(path) => (path.clone(), None),
        None => {
            let file = tempfile::Builder::new()
                .suffix(".html")
                .tempfile()
                .map_err(|e| Failure::new(format!("a temporary page to print: {e}")))?;
            (file.path().to_path_buf(), Some(file))
        }
    };
    let mut html = Output::open(Some(&page_path))?;
    let json = args
        .json
        .as_deref()
        .map(|p| Output::open(Some(p)))
        .transpose()?;
    let progress = StderrProgress::new(if args.work.quiet {
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
    if let Some(pdf) = &args.pdf {
        progress.note("printing the page with Chromium");
        crate::pdf::print(&page_path, pdf)?;
    }
    for path in [args.html.as_ref(), args.json.as_ref(), args.pdf.as_ref()]
        .into_iter()
        .flatten()
    {
        progress.note(&format!("wrote {}", path.display()));
    }
    Ok(())
}

/// Each output on a file of its own, none of them an input.
fn check_outputs(args: &ReportArgs) -> Result<()> {
    let outputs: Vec<(&str, &std::path::Path)> = [
        ("--html", args.html.as_deref()),
        ("--json", args.json.as_deref()),
        ("--pdf", args.pdf.as_deref()),
    ]
    .into_iter()
    .filter_map(|(flag, path)| path.map(|p| (flag, p)))
    .collect();
    for (k, (flag, path)) in outputs.iter().enumerate() {
        if let Some((other, _)) = outputs[..k].iter().find(|(_, p)| p == path) {
            return Err(Failure::new(format!(
                "{other} and {flag} are both {}: give each its own file",
                path.display()
            )));
        }
        check_output((flag, "the report"), Some(path), &args.input.inputs)?;
    }
    Ok(())
}
