//! `chachong explain A B`: how document B compares with document A.

use chachong::Deduplicator;

use crate::args::{ExplainArgs, FormatArg};
use crate::failure::Result;
use crate::input::{check_output, Inputs};
use crate::output::Output;
use crate::progress::{Show, StderrProgress};
use crate::settings::config;
use crate::threads;

pub fn run(args: ExplainArgs) -> Result<()> {
    threads(args.run.threads)?;
    check_output(args.run.output.as_deref(), &args.input.inputs)?;
    let dedup = Deduplicator::new(config(&args.config)?)?;
    let mut out = Output::open(args.run.output.as_deref())?;
    let show = if args.run.quiet {
        Show::Quiet
    } else {
        Show::Progress
    };
    let inputs = Inputs::read(&args.input, &StderrProgress::new(show))?;
    write_explanation(&dedup, &inputs, &args.a, &args.b, args.run.format, &mut out)?;
    out.finish()
}

/// Explains `b` against `a`, both from `inputs`, after the checks a corpus
/// run makes (so two documents sharing an id are an error, not a copy).
pub fn write_explanation(
    dedup: &Deduplicator,
    inputs: &Inputs,
    a: &str,
    b: &str,
    format: FormatArg,
    out: &mut Output,
) -> Result<()> {
    let explanation = dedup
        .explain_ids(&inputs.documents, a, b)
        .map_err(|err| inputs.name_error(err))?;
    match format {
        FormatArg::Text => out.write_all(explanation.to_text().as_bytes()),
        FormatArg::Json => out.write_json(&explanation),
    }
}
