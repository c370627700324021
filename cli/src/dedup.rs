//! `chachong dedup`: near-duplicate documents and copied paragraphs.

use crate::args::{DedupArgs, FormatArg};
use crate::corpora::CorpusOutputs;
use crate::explain::write_explanation;
use crate::failure::Result;
use crate::input::{Inputs, Reread};
use crate::start;

pub fn run(args: DedupArgs) -> Result<()> {
    let outputs = CorpusOutputs::open(&args.corpus, &args.input, args.run.output.as_deref())?;
    let (dedup, mut out, progress) = start(&args.input, &args.config, &args.run)?;
    let reread = if outputs.any() {
        Reread::Yes
    } else {
        Reread::No
    };
    let mut inputs = Inputs::read(&args.input, &progress, reread)?;
    if let Some(ids) = &args.explain {
        write_explanation(&dedup, &inputs, &ids[0], &ids[1], args.run.format, &mut out)?;
        return out.finish();
    }
    let mut report = dedup
        .run_with_progress(&inputs.documents, &progress)
        .map_err(|err| inputs.name_error(err))?;
    progress.finish();
    report.skipped = std::mem::take(&mut inputs.corpus.skipped);
    report.stats.inputs = std::mem::take(&mut inputs.corpus.inputs);
    report.stats.timings_ms.read = inputs.read_ms;
    report.stats.timings_ms.total += inputs.read_ms;
    report.stats.peak_rss_bytes = peak_rss_bytes();
    if outputs.any() {
        progress.note("writing the corpora");
        outputs.write(&inputs, &report)?;
    }
    match args.run.format {
        FormatArg::Text => {
            out.write_all(report.to_text(&inputs.documents, args.show).as_bytes())?
        }
        FormatArg::Json => out.write_json(&report)?,
    }
    out.finish()
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`),
/// where Linux provides it.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
