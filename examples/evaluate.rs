//! `evaluate`: precision and recall of chachong's clusters against a ground
//! truth, with recall split by band of exact Jaccard similarity.
//!
//! ```text
//! cargo run --release --example evaluate -- \
//!     ../shared/corpora/lawrefbook-dev.jsonl.gz ../shared/corpora/lawrefbook-dev.truth.json
//! ```
//!
//! The corpus is JSONL (gzip-compressed if it ends in `.gz`); the truth is a
//! JSON list of clusters (lists of ids; absent ids are singletons). Scoring
//! is pairwise over same-cluster pairs, as `shared/peers/score.py` does: a
//! pair is predicted positive when both documents share a predicted cluster,
//! truly positive when they share a truth cluster. Bands use exact character
//! 5-gram Jaccard on the default normalisation, whatever the run's settings,
//! so runs with different settings are compared on the same bands.
//! Predicted pairs outside the truth are split into textual near-duplicates
//! (Jaccard at or above the threshold: different regulations from one
//! template, which the truth counts as different) and the rest.

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chachong::analysis::AnalysisRules;
use chachong::boilerplate::BoilerplateRules;
use chachong::cluster::ClusterRules;
use chachong::{
    jaccard, Config, Deduplicator, Document, Level, Method, Normalizer, Shingler, TokenKind,
};
use clap::{Parser, ValueEnum};

#[derive(Parser, Debug)]
#[command(about = "Score chachong's clusters against a ground truth")]
struct Args {
    /// Corpus: JSONL, optionally gzip-compressed (.gz).
    corpus: PathBuf,
    /// Truth: JSON list of clusters.
    truth: PathBuf,
    /// Start from this JSON config (a chachong::Config) instead of the
    /// defaults; the flags below override it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Document Jaccard threshold [default: the Config default, 0.8].
    #[arg(long)]
    threshold: Option<f64>,
    /// Candidate method.
    #[arg(long, value_enum, default_value = "minhash")]
    method: MethodArg,
    /// Word tokens (jieba) instead of characters.
    #[arg(long)]
    words: bool,
    /// Tokens per shingle [default: 5 for characters, 3 for words].
    #[arg(long)]
    ngram: Option<usize>,
    /// LSH false-negative weight [default: the Config default].
    #[arg(long)]
    fn_weight: Option<f64>,
    /// Keep boilerplate in the evidence (do not look for it).
    #[arg(long)]
    no_boilerplate: bool,
    /// Plain connected components, without the chaining guard.
    #[arg(long)]
    no_chain_guard: bool,
    /// Skip the cluster analysis (alignment, redaction map), which the
    /// scores do not use.
    #[arg(long)]
    no_analysis: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum MethodArg {
    Minhash,
    Simhash,
    Exact,
}

type Pair = (String, String);

fn main() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let base = match &args.config {
        Some(path) => serde_json::from_str(
            &std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
        )
        .map_err(|e| format!("{}: {e}", path.display()))?,
        None => Config::default(),
    };
    let mut config = base
        .with_level(Level::Document)
        .with_method(match args.method {
            MethodArg::Minhash => Method::MinHash,
            MethodArg::Simhash => Method::SimHash,
            MethodArg::Exact => Method::Exact,
        });
    if let Some(t) = args.threshold {
        config = config.with_jaccard_threshold(t);
    }
    if args.words {
        config = config.with_tokens(TokenKind::Word).with_shingle_len(3);
    }
    if let Some(w) = args.fn_weight {
        config = config.with_lsh_false_negative_weight(w);
    }
    if let Some(n) = args.ngram {
        config = config.with_shingle_len(n);
    }
    if args.no_boilerplate {
        config = config.with_boilerplate(BoilerplateRules {
            enabled: false,
            ..BoilerplateRules::default()
        });
    }
    if args.no_chain_guard {
        config = config.with_cluster(ClusterRules {
            min_similarity_to_representative: 0.0,
            ..ClusterRules::default()
        });
    }
    if args.no_analysis {
        config = config.with_analysis(AnalysisRules {
            enabled: false,
            ..AnalysisRules::default()
        });
    }

    let clock = Instant::now();
    let docs = read_corpus(&args.corpus)?;
    let read_s = clock.elapsed().as_secs_f64();
    let truth: Vec<Vec<String>> = serde_json::from_reader(BufReader::new(
        File::open(&args.truth).map_err(|e| format!("{}: {e}", args.truth.display()))?,
    ))?;

    let dedup = Deduplicator::new(config.clone())?;
    let clock = Instant::now();
    let report = dedup.run(&docs)?;
    let run_s = clock.elapsed().as_secs_f64();

    let predicted: Vec<Vec<String>> = report.clusters.iter().map(|c| c.members.clone()).collect();
    let predicted_pairs = cluster_pairs(&predicted);
    let truth_pairs = cluster_pairs(&truth);
    let hits = predicted_pairs.intersection(&truth_pairs).count();
    let precision = ratio(hits, predicted_pairs.len());
    let recall = ratio(hits, truth_pairs.len());
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };

    // Exact character 5-gram Jaccard of every pair that needs a band.
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id(), d)).collect();
    let normalizer = Normalizer::default();
    let shingler = Shingler::new(5, 0);
    let mut sets: HashMap<&str, Vec<u64>> = HashMap::new();
    let mut exact = |a: &str, b: &str| -> f64 {
        for id in [a, b] {
            if !sets.contains_key(id) {
                let text = by_id.get(id).map(|d| d.text()).unwrap_or("");
                let set = shingler.char_set(normalizer.normalize(text).text());
                sets.insert(by_id.get_key_value(id).map(|(k, _)| *k).unwrap_or(""), set);
            }
        }
        jaccard(&sets[a], &sets[b])
    };

    let bands = [(0.0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 1.01)];
    let mut band_rows = Vec::new();
    for &(lo, hi) in &bands {
        let (mut total, mut found) = (0, 0);
        for pair in &truth_pairs {
            let s = exact(&pair.0, &pair.1);
            if s >= lo && s < hi {
                total += 1;
                found += usize::from(predicted_pairs.contains(pair));
            }
        }
        band_rows.push((lo, hi, total, found));
    }
    let threshold = config.jaccard_threshold();
    let (mut template, mut other) = (0, 0);
    for pair in predicted_pairs.difference(&truth_pairs) {
        if exact(&pair.0, &pair.1) >= threshold {
            template += 1;
        } else {
            other += 1;
        }
    }

    println!(
        "corpus: {} ({} documents, {} characters)",
        args.corpus.display(),
        docs.len(),
        docs.iter().map(|d| d.char_len()).sum::<usize>()
    );
    println!(
        "config: method {:?}, tokens {:?}, shingle_len {}, num_perm {}, threshold {}, lsh {:?}",
        config.method(),
        config.tokens(),
        config.shingle_len(),
        config.num_perm(),
        threshold,
        report.stats.lsh
    );
    println!(
        "time: read {read_s:.2} s, run {run_s:.2} s on {} threads; {} candidate pairs, {} verified",
        report.stats.threads, report.stats.candidate_pairs, report.stats.verified_pairs
    );
    println!();
    println!("| pairs | predicted | true | correct | precision | recall | F1 |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| same-cluster | {} | {} | {hits} | {precision:.3} | {recall:.3} | {f1:.3} |",
        predicted_pairs.len(),
        truth_pairs.len()
    );
    println!();
    println!("| exact char-5 Jaccard of true pair | true pairs | found | recall |");
    println!("|---|---|---|---|");
    for (lo, hi, total, found) in band_rows {
        println!(
            "| [{lo:.1}, {:.1}) | {total} | {found} | {:.3} |",
            hi.min(1.0),
            ratio(found, total)
        );
    }
    println!();
    println!("predicted pairs outside the truth: {template} with exact Jaccard >= {threshold} (same text, different regulation: templates), {other} below it");
    Ok(())
}

fn read_corpus(path: &Path) -> Result<Vec<Document>, Box<dyn Error>> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let reader = BufReader::new(flate2::read::GzDecoder::new(file));
        Ok(chachong::source::read_jsonl_from(reader, path)?)
    } else {
        Ok(chachong::source::read_jsonl(path)?)
    }
}

/// Every unordered pair inside each cluster, as (smaller id, larger id).
fn cluster_pairs(clusters: &[Vec<String>]) -> HashSet<Pair> {
    let mut out = HashSet::new();
    for cluster in clusters {
        for (i, a) in cluster.iter().enumerate() {
            for b in &cluster[i + 1..] {
                out.insert(if a < b {
                    (a.clone(), b.clone())
                } else {
                    (b.clone(), a.clone())
                });
            }
        }
    }
    out
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
