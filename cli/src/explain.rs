//! `chachong explain A B`: how document B compares with document A.

use chachong::Deduplicator;

use crate::args::{ExplainArgs, FormatArg};
use crate::failure::Result;
use crate::input::{Inputs, Reread};
use crate::output::Output;
use crate::start;

pub fn run(args: ExplainArgs) -> Result<()> {
    let (dedup, mut out, progress) = start(
        &args.input,
        crate::settings::config(&args.config)?,
        &args.run,
    )?;
    let inputs = Inputs::read(&args.input, &progress, Reread::No)?;
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
