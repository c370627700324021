//! `chachong generate`: a JSON Lines corpus of N documents built from the
//! seed's real text, with planted near-duplicate copies, and its truth.
//!
//! Background documents recombine the seed's sentences; a share of the
//! documents (`--dup-frac`, default 0.2) are planted clusters of one
//! original and 1 to 4 copies, each copy with digits or places masked,
//! paragraphs deleted, inserted or moved, or a site's header added (see
//! `tests/support/generate.rs`, which tests and benches use too). The truth
//! file lists the planted clusters. The same `--seed` gives the same bytes.
//!
//! Because every document is made of the same ~1,200 sentences, unrelated
//! documents share whole sentences: run chachong on it with boilerplate
//! detection off (see README, Performance), or every sentence is
//! boilerplate.

#[path = "../../tests/support/generate.rs"]
mod corpus;

use std::io::{self, Write};
use std::path::Path;

use chachong::Document;

use crate::args::GenerateArgs;
use crate::failure::{Failure, Result};
use crate::output::Output;

pub fn run(args: GenerateArgs) -> Result<()> {
    if !(0.0..=1.0).contains(&args.dup_frac) {
        return Err(Failure::new(format!(
            "--dup-frac {} is outside [0, 1]",
            args.dup_frac
        )));
    }
    let truth_path = args.out.with_extension("truth.json");
    // Both files are opened first and replaced only when whole.
    let mut out = Output::open(Some(&args.out))?;
    let mut truth = Output::open(Some(&truth_path))?;
    let shape = corpus::Shape {
        paragraphs: args.paragraphs,
        prefix: args.id_prefix.clone(),
    };
    let generated = corpus::scale_corpus_shaped(args.seed, args.n, args.dup_frac, &shape);
    write_documents(&mut out, &generated.docs, &args.out)?;
    out.finish()?;
    let chars: usize = generated.docs.iter().map(|d| d.char_len()).sum();
    truth.write_json(&generated.truth)?;
    truth.finish()?;
    let planted: usize = generated.truth.iter().map(Vec::len).sum();
    let _ = writeln!(
        io::stderr(),
        "chachong: {} documents ({} characters, {:.0} per document), {} planted clusters of {} documents -> {} and {}",
        generated.docs.len(),
        chars,
        chars as f64 / generated.docs.len().max(1) as f64,
        generated.truth.len(),
        planted,
        args.out.display(),
        truth_path.display()
    );
    Ok(())
}

/// Writes `docs` to `out` as JSON Lines, `{"id": …, "text": …}` a line;
/// `path` names `out` in errors.
pub fn write_documents(out: &mut Output, docs: &[Document], path: &Path) -> Result<()> {
    let mut line = Vec::new();
    for doc in docs {
        line.clear();
        let record = serde_json::json!({"id": doc.id(), "text": doc.text()});
        serde_json::to_writer(&mut line, &record)
            .map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
}
