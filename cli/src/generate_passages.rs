//! `chachong generate-passages`: a Chinese corpus of passages copied into
//! other documents, hard-wrapped as PDF extraction leaves text, and its
//! truth in PAN's form (see `tests/support/passages.rs`, which the tests
//! use too). `chachong evaluate-passages --truth <stem>.truth.tsv
//! <stem>.jsonl` scores a run on it. The same `--seed` gives the same bytes.

#[path = "../../tests/support/passages.rs"]
mod corpus;

use std::io::{self, Write};

use crate::args::GeneratePassagesArgs;
use crate::failure::Result;
use crate::generate::write_documents;
use crate::output::Output;

pub fn run(args: GeneratePassagesArgs) -> Result<()> {
    let truth_path = args.out.with_extension("truth.tsv");
    // Both files are opened first and replaced only when whole.
    let mut out = Output::open(Some(&args.out))?;
    let mut truth = Output::open(Some(&truth_path))?;
    let generated = corpus::passage_corpus(args.seed, args.masks);
    write_documents(&mut out, &generated.docs, &args.out)?;
    out.finish()?;
    truth.write_all(generated.truth_tsv().as_bytes())?;
    truth.finish()?;
    let _ = writeln!(
        io::stderr(),
        "chachong: {} documents, {} planted passages{} -> {} and {}",
        generated.docs.len(),
        generated.planted.len(),
        if args.masks { ", masked" } else { "" },
        args.out.display(),
        truth_path.display()
    );
    Ok(())
}
