//! Cluster a folder of speeches, and say what kind of copy each one is.
//!
//! ```text
//! cargo run --example cluster_speeches [FOLDER]    # default: examples/data/speeches
//! ```
//!
//! Each `.txt` file is a document named by its file stem. The report's
//! clusters carry their analysis: the canonical copy (the one hiding least),
//! the kind of each copy (verbatim, redacted, template, edited) with the
//! figures that decided it, and what the redacted copies hid.

use std::error::Error;
use std::path::Path;

use chachong::source::Reader;
use chachong::{Config, Deduplicator};

fn main() -> Result<(), Box<dyn Error>> {
    let folder = std::env::args()
        .nth(1)
        .unwrap_or("examples/data/speeches".into());
    let corpus = Reader::new().read_path(Path::new(&folder))?;
    let report = Deduplicator::new(Config::default())?.run(&corpus.documents)?;

    for cluster in &report.clusters {
        println!("cluster: {}", cluster.members.join(", "));
        let Some(analysis) = &cluster.analysis else {
            continue;
        };
        println!(
            "  canonical copy {}, {} copies",
            analysis.canonical,
            analysis.kind.as_str()
        );
        for copy in &analysis.copies {
            let kind = copy.kind.map_or("?", |k| k.as_str());
            println!(
                "  {}: {kind} ({} masked places)",
                copy.document, copy.masked
            );
        }
        for r in analysis.redactions.iter().take(3) {
            println!(
                "  {} shows {:?} where {} shows {:?}",
                r.document, r.masked, r.other, r.value
            );
        }
    }
    println!("not copied: {}", report.singletons().join(", "));
    Ok(())
}
