//! `chachong index build|add|query|stats|merge`: a persistent index on disk.

use std::borrow::Cow;

use chachong::index::{new_side_annotations, Appender, Index};
use chachong::{Config, Document};

use crate::args::{
    FormatArg, IndexAddArgs, IndexBuildArgs, IndexCommand, IndexQueryArgs, IndexStatsArgs,
};
use crate::corpora::CorpusOutputs;
use crate::failure::{Failure, Result};
use crate::input::{self, check_output, Inputs, Reread};
use crate::output::Output;
use crate::progress::{Show, StderrProgress};
use crate::{settings, threads};

/// Text handed to an add at a time, in bytes: the texts are not held; what
/// grows with the inputs is the new segment's keys, offsets and ids (about
/// 600 bytes a document at document level), up to `--memory`.
const CHUNK_BYTES: usize = 64 << 20;

pub fn run(command: IndexCommand) -> Result<()> {
    match command {
        IndexCommand::Build(args) => build(args),
        IndexCommand::Add(args) => add(args),
        IndexCommand::Query(args) => query(args),
        IndexCommand::Stats(args) => stats(args),
        IndexCommand::Merge(args) => {
            let mut index = Index::open(&args.index)?;
            let before = index.stats().segments;
            index.merge()?;
            eprintln!(
                "chachong: {before} segments merged into {}",
                index.stats().segments
            );
            Ok(())
        }
    }
}

fn show(quiet: bool) -> StderrProgress {
    StderrProgress::new(if quiet { Show::Quiet } else { Show::Progress })
}

/// `index build`: a new index of the inputs, with the config given
/// (boilerplate off: it needs the whole corpus at once).
fn build(args: IndexBuildArgs) -> Result<()> {
    threads(args.work.threads)?;
    let mut config: Config = settings::config(&args.config)?;
    let mut boilerplate = *config.boilerplate();
    boilerplate.enabled = false;
    config = config.with_boilerplate(boilerplate);
    let existed = args.index.exists();
    let mut index = Index::create(&args.index, config)?;
    set_memory(&mut index, args.memory);
    let progress = show(args.work.quiet);
    match add_inputs(&mut index, &args.input, &progress) {
        Ok(added) => finish(&index, added, &progress),
        Err(failure) => {
            // Nothing was built: leave no empty index behind, which would
            // make the same command fail with "not empty" once the input is
            // put right.
            drop(index);
            if existed {
                for entry in std::fs::read_dir(&args.index)
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    let _ = std::fs::remove_file(entry.path());
                }
            } else {
                let _ = std::fs::remove_dir_all(&args.index);
            }
            Err(failure)
        }
    }
}

/// `index add`: the inputs added to an index as new segments.
fn add(args: IndexAddArgs) -> Result<()> {
    threads(args.work.threads)?;
    let mut index = Index::open(&args.index)?;
    set_memory(&mut index, args.memory);
    let progress = show(args.work.quiet);
    let added = add_inputs(&mut index, &args.input, &progress)?;
    finish(&index, added, &progress)
}

fn set_memory(index: &mut Index, memory: Option<u64>) {
    if let Some(bytes) = memory {
        index.set_add_memory(usize::try_from(bytes).unwrap_or(usize::MAX));
    }
}

/// Streams the inputs into new segments, a chunk of text at a time.
fn add_inputs(
    index: &mut Index,
    inputs: &crate::args::InputArgs,
    progress: &StderrProgress,
) -> Result<u64> {
    let reader = input::reader(inputs)?;
    let mut appender = index.appender()?;
    let mut chunk: Vec<Document> = Vec::new();
    let mut bytes = 0;
    for path in &inputs.inputs {
        progress.note(&format!("reading {}", path.display()));
        reader.for_each_document_in(path, |doc| {
            bytes += doc.text().len();
            chunk.push(doc);
            if bytes >= CHUNK_BYTES {
                push(&mut appender, &mut chunk)?;
                bytes = 0;
            }
            Ok(())
        })?;
    }
    push(&mut appender, &mut chunk)?;
    progress.note("writing the segment and the manifest");
    Ok(appender.commit()?)
}

fn push(appender: &mut Appender<'_>, chunk: &mut Vec<Document>) -> chachong::Result<()> {
    appender.push(chunk)?;
    chunk.clear();
    Ok(())
}

fn finish(index: &Index, added: u64, progress: &StderrProgress) -> Result<()> {
    progress.finish();
    let stats = index.stats();
    eprintln!(
        "chachong: {added} documents added to {}: {} documents in {} segments, {:.0} bytes per document beyond the texts ({:.0} finding documents, {:.0} paragraphs)",
        index.dir().display(),
        stats.documents,
        stats.segments,
        stats.other_bytes_per_document + stats.paragraph_bytes_per_document,
        stats.other_bytes_per_document,
        stats.paragraph_bytes_per_document
    );
    Ok(())
}

/// `index query`: the batch against the index, reported as `dedup` reports,
/// with `dedup`'s corpus outputs for the batch's rows.
fn query(args: IndexQueryArgs) -> Result<()> {
    threads(args.work.threads)?;
    let report_path = args.output.as_deref();
    check_output(("--output", "the report"), report_path, &args.input.inputs)?;
    let outputs = CorpusOutputs::open(&args.corpus, &args.input, report_path)?;
    let index = Index::open(&args.index)?;
    check_query_config(&index, &args)?;
    let mut out = Output::open(report_path)?;
    let progress = show(args.work.quiet);
    let reread = if outputs.any() {
        Reread::Yes
    } else {
        Reread::No
    };
    let inputs = Inputs::read(&args.input, &progress, reread)?;
    let mut report = index
        .query(&inputs.documents)
        .map_err(|e| inputs.name_error(e))?;
    progress.finish();
    report.skipped = inputs.corpus.skipped.clone();
    report.set_encodings(&inputs.corpus.encodings);
    report.stats.inputs = inputs.corpus.inputs.clone();
    if outputs.any() {
        // Only the new side is removed: a copy of an indexed document goes.
        let rows = inputs.rows();
        let notes = new_side_annotations(&report, rows.ids())?;
        outputs.write_notes(&rows, |at| Cow::Borrowed(&notes[at]))?;
    }
    match args.format {
        FormatArg::Text => {
            out.write_all(report.to_text(&inputs.documents, args.show).as_bytes())?
        }
        FormatArg::Json => out.write_json(&report)?,
    }
    out.finish()
}

/// The config options a query was given, against the index's config: a
/// query cannot run with another (the stored keys were made with it).
fn check_query_config(index: &Index, args: &IndexQueryArgs) -> Result<()> {
    let stored = index.config();
    let asked = settings::config_over(stored.clone(), &args.config)?;
    if asked == *stored {
        return Ok(());
    }
    let (asked, stored) = (to_value(&asked)?, to_value(stored)?);
    let mut differences = Vec::new();
    differing("", &asked, &stored, &mut differences);
    Err(Failure::new(format!(
        "{}: the index was built with another config ({}); a query runs with the index's:          leave those options out, or build another index",
        index.dir().display(),
        differences.join(", ")
    )))
}

fn to_value(config: &chachong::Config) -> Result<serde_json::Value> {
    serde_json::to_value(config).map_err(|e| Failure::new(format!("config: {e}")))
}

/// The fields where `asked` and `stored` differ, as `path asked (index:
/// stored)`.
fn differing(
    path: &str,
    asked: &serde_json::Value,
    stored: &serde_json::Value,
    out: &mut Vec<String>,
) {
    match (asked, stored) {
        (serde_json::Value::Object(a), serde_json::Value::Object(s)) => {
            for (key, value) in a {
                let inner = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                differing(
                    &inner,
                    value,
                    s.get(key).unwrap_or(&serde_json::Value::Null),
                    out,
                );
            }
        }
        _ if asked != stored => out.push(format!("{path} {asked} (index: {stored})")),
        _ => {}
    }
}

/// `index stats`: what the index holds, as JSON; `--verify` reads all of
/// it against its checksums first.
fn stats(args: IndexStatsArgs) -> Result<()> {
    let index = Index::open(&args.index)?;
    if args.verify {
        index.verify()?;
    }
    let mut out = Output::open(None)?;
    out.write_json(&index.stats())?;
    out.finish()
}
