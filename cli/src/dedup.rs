//! `chachong dedup`: near-duplicate documents and copied paragraphs.

use std::borrow::Cow;
use std::path::Path;

use chachong::stream::{StreamedRun, Streaming};
use chachong::{Config, Deduplicator, Level, Report};

use crate::args::{DedupArgs, FormatArg, StreamArgs};
use crate::corpora::CorpusOutputs;
use crate::explain::write_explanation;
use crate::failure::{Failure, Result};
use crate::input::{self, Inputs, Reread, Rows};
use crate::output::Output;
use crate::progress::StderrProgress;
use crate::{settings, start};

pub fn run(args: DedupArgs) -> Result<()> {
    let outputs = CorpusOutputs::open(&args.corpus, &args.input, args.run.output.as_deref())?;
    let mut config = settings::config(&args.config)?;
    if args.stream.stream {
        config = streamed(config, args.config.level.is_none(), &args)?;
    }
    let (dedup, out, progress) = start(&args.input, config, &args.run)?;
    if args.stream.stream {
        return run_streamed(&args, &dedup, outputs, (out, progress));
    }
    let reread = if outputs.any() {
        Reread::Yes
    } else {
        Reread::No
    };
    let mut inputs = Inputs::read(&args.input, &progress, reread)?;
    let mut out = out;
    if let Some(ids) = &args.explain {
        write_explanation(&dedup, &inputs, &ids[0], &ids[1], args.run.format, &mut out)?;
        return out.finish();
    }
    let mut report = dedup
        .run_with_progress(&inputs.documents, &progress)
        .map_err(|err| inputs.name_error(err))?;
    progress.finish();
    report.skipped = std::mem::take(&mut inputs.corpus.skipped);
    report.set_encodings(&inputs.corpus.encodings);
    report.stats.inputs = std::mem::take(&mut inputs.corpus.inputs);
    report.stats.timings_ms.read = inputs.read_ms;
    report.stats.timings_ms.total += inputs.read_ms;
    report.stats.peak_rss_bytes = peak_rss_bytes();
    if outputs.any() {
        progress.note("writing the corpora");
        outputs.write(&inputs.rows(), &report)?;
    }
    write_report(&report, &inputs.documents, &args, out)
}

/// The config of a streamed run: the document level unless another was
/// asked for (the run then says why it cannot), without boilerplate.
fn streamed(config: Config, level_unset: bool, args: &DedupArgs) -> Result<Config> {
    if args.explain.is_some() {
        return Err(Failure::new(
            "--explain compares two documents in memory: leave out --stream",
        ));
    }
    // Read twice: a pipe (`-`, `<(zcat …)`) would be empty the second time.
    for input in &args.input.inputs {
        let rereadable = input != Path::new("-")
            && std::fs::metadata(input).is_ok_and(|m| m.is_file() || m.is_dir());
        if !rereadable {
            return Err(Failure::new(format!(
                "--stream reads its inputs twice: {} is no file or folder (write it to a file)",
                input.display()
            )));
        }
    }
    let config = if level_unset {
        config.with_level(Level::Document)
    } else {
        config
    };
    let mut boilerplate = *config.boilerplate();
    boilerplate.enabled = false;
    Ok(config.with_boilerplate(boilerplate))
}

/// `dedup --stream`: the run over a corpus bigger than memory.
fn run_streamed(
    args: &DedupArgs,
    dedup: &Deduplicator,
    outputs: CorpusOutputs,
    (out, progress): (Output, StderrProgress),
) -> Result<()> {
    let StreamArgs {
        memory, temp_dir, ..
    } = &args.stream;
    let mut streaming = Streaming::new();
    if let Some(bytes) = memory {
        streaming = streaming.memory(*bytes);
    }
    if let Some(dir) = temp_dir {
        streaming = streaming.temp_dir(dir);
    }
    let reader = input::reader(&args.input)?;
    let run = dedup.run_streaming(&reader, &args.input.inputs, &streaming, &progress)?;
    progress.finish();
    let StreamedRun {
        mut report,
        read,
        ids,
        annotations,
    } = run;
    report.skipped = read.skipped;
    report.set_encodings(&read.encodings);
    report.stats.inputs = read.inputs;
    report.stats.peak_rss_bytes = peak_rss_bytes();
    if outputs.any() {
        progress.note("writing the corpora");
        let rows = Rows {
            reader: &reader,
            paths: &args.input.inputs,
            stdin_copy: None,
            ids: Box::new(|at| ids.get(at)),
            count: ids.len(),
        };
        outputs.write_notes(&rows, |at| Cow::Owned(annotations.get(at, &ids)))?;
    }
    // The document level shows no text: no documents are needed.
    write_report(&report, &[], args, out)
}

fn write_report(
    report: &Report,
    documents: &[chachong::Document],
    args: &DedupArgs,
    mut out: Output,
) -> Result<()> {
    match args.run.format {
        FormatArg::Text => out.write_all(report.to_text(documents, args.show).as_bytes())?,
        FormatArg::Json => out.write_json(report)?,
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
