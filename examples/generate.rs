//! `generate`: write a JSONL corpus of N documents built from the seed's real
//! text, with planted near-duplicate copies, and its ground truth.
//!
//! ```text
//! cargo run --release --example generate -- --n 100000 --out target/gen-100k.jsonl
//! # writes target/gen-100k.jsonl and target/gen-100k.truth.json
//! ```
//!
//! Background documents recombine the seed's sentences; a share of the
//! documents (`--dup-frac`, default 0.2) are planted clusters of one original
//! and 1 to 4 copies, each copy with digits or places masked, paragraphs
//! deleted, inserted or moved, or a site's header added (see
//! `tests/support/generate.rs`, which tests and benches use too). The truth
//! file lists the planted clusters. The same `--seed` gives the same bytes.
//!
//! Because every document is made of the same ~1,200 sentences, unrelated
//! documents share whole sentences: run chachong on it with boilerplate
//! detection off (see README, Performance), or every sentence is
//! boilerplate.

#[path = "../tests/support/generate.rs"]
mod generate;

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(about = "Write a generated JSONL corpus with planted near-duplicates and its truth")]
struct Args {
    /// Number of documents.
    #[arg(long, default_value_t = 10_000)]
    n: usize,
    /// Share of the documents that are planted clusters.
    #[arg(long, default_value_t = 0.2)]
    dup_frac: f64,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output JSONL; the truth goes beside it as `<stem>.truth.json`.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("generate: error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), Box<dyn Error>> {
    if !(0.0..=1.0).contains(&args.dup_frac) {
        return Err(format!("--dup-frac {} is outside [0, 1]", args.dup_frac).into());
    }
    let corpus = generate::scale_corpus(args.seed, args.n, args.dup_frac);
    let open = |path: &PathBuf| {
        File::create(path)
            .map(BufWriter::new)
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let mut out = open(&args.out)?;
    let mut chars = 0;
    for doc in &corpus.docs {
        chars += doc.char_len();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"id": doc.id(), "text": doc.text()}),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    let truth_path = args.out.with_extension("truth.json");
    let mut truth = open(&truth_path)?;
    serde_json::to_writer(&mut truth, &corpus.truth)?;
    truth.flush()?;
    let planted: usize = corpus.truth.iter().map(Vec::len).sum();
    eprintln!(
        "generate: {} documents ({} characters, {:.0} per document), {} planted clusters of {} documents -> {} and {}",
        corpus.docs.len(),
        chars,
        chars as f64 / corpus.docs.len().max(1) as f64,
        corpus.truth.len(),
        planted,
        args.out.display(),
        truth_path.display()
    );
    Ok(())
}
