//! `chachong evaluate`: precision and recall of chachong's clusters, and of
//! its clusters and revisions together, against a ground truth, with
//! recall split by band of exact Jaccard similarity.
//!
//! The truth is a JSON list of clusters (lists of ids; absent ids are
//! singletons). Scoring is pairwise over same-cluster pairs, as
//! `shared/peers/score.py` does: a pair is predicted positive when both
//! documents share a predicted cluster, truly positive when they share a
//! truth cluster; with revisions, a pair is also predicted positive when
//! the report names the two a revision of one another. Bands use exact character 5-gram Jaccard on the default
//! normalisation, whatever the run's settings, so runs with different
//! settings are compared on the same bands. Predicted pairs outside the
//! truth are split into textual near-duplicates (Jaccard at or above the
//! threshold: different regulations from one template, which the truth
//! counts as different) and the rest.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::time::Instant;

use chachong::normalize::Normalizer;
use chachong::shingle::Shingler;
use chachong::source::Reader;
use chachong::tokenize::TokenKind;
use chachong::verify::jaccard;
use chachong::{Config, Deduplicator, Document, Level, Report};

use crate::args::EvaluateArgs;
use crate::args::LevelArg;
use crate::failure::{Failure, Result};
use crate::output::Output;
use crate::settings::{method, read_config, read_text};

type Pair = (String, String);

pub fn run(args: EvaluateArgs) -> Result<()> {
    let config = evaluated_config(&args)?;
    let clock = Instant::now();
    let docs = Reader::new().read_path(&args.corpus)?.documents;
    let read_s = clock.elapsed().as_secs_f64();
    let text = read_text(&args.truth)?;
    let truth: Vec<Vec<String>> = serde_json::from_str(&text)
        .map_err(|e| Failure::new(format!("{}: {e}", args.truth.display())))?;

    let dedup = Deduplicator::new(config.clone())?;
    let clock = Instant::now();
    let report = dedup.run(&docs)?;
    let run_s = clock.elapsed().as_secs_f64();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "corpus: {} ({} documents, {} characters)",
        args.corpus.display(),
        docs.len(),
        docs.iter().map(|d| d.char_len()).sum::<usize>()
    );
    let _ = writeln!(
        out,
        "config: method {:?}, tokens {:?}, shingle_len {}, num_perm {}, threshold {}, lsh {:?}",
        config.method(),
        config.tokens(),
        config.shingle_len(),
        config.num_perm(),
        config.jaccard_threshold(),
        report.stats.lsh
    );
    let _ = writeln!(
        out,
        "time: read {read_s:.2} s, run {run_s:.2} s on {} threads; {} candidate pairs, {} verified",
        report.stats.threads, report.stats.candidate_pairs, report.stats.verified_pairs
    );
    scores(&mut out, &docs, &report, &truth, config.jaccard_threshold());
    let mut stdout = Output::open(None)?;
    stdout.write_all(out.as_bytes())?;
    stdout.finish()
}

/// The config of the run: document level, the method asked for, and the
/// flags given.
fn evaluated_config(args: &EvaluateArgs) -> Result<Config> {
    let base = match &args.config {
        Some(path) => read_config(path)?,
        None => Config::default(),
    };
    let level = match args.level {
        Some(LevelArg::Doc) => Level::Document,
        Some(LevelArg::Para) => {
            return Err(Failure::new(
                "evaluate scores clusters: --level para finds none; use doc or both".to_string(),
            ))
        }
        Some(LevelArg::Both) => Level::Both,
        None => base.level(),
    };
    let mut config = base.with_level(level).with_method(method(args.method));
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
    // Each switch changes its one field, keeping what the config file set.
    if args.no_boilerplate {
        let mut boilerplate = *config.boilerplate();
        boilerplate.enabled = false;
        config = config.with_boilerplate(boilerplate);
    }
    if args.no_chain_guard {
        let mut cluster = *config.cluster();
        cluster.min_similarity_to_representative = 0.0;
        config = config.with_cluster(cluster);
    }
    if args.no_analysis {
        let mut analysis = *config.analysis();
        analysis.enabled = false;
        config = config.with_analysis(analysis);
    }
    Ok(config)
}

/// The tables: pairwise precision, recall and F1 of clusters, and of
/// clusters with revisions; recall of both by band of exact Jaccard;
/// predicted pairs outside the truth.
fn scores(
    out: &mut String,
    docs: &[Document],
    report: &Report,
    truth: &[Vec<String>],
    threshold: f64,
) {
    let predicted: Vec<Vec<String>> = report.clusters.iter().map(|c| c.members.clone()).collect();
    let clustered = cluster_pairs(&predicted);
    let mut linked = clustered.clone();
    linked.extend(report.revisions.iter().map(|r| ordered(&r.a, &r.b)));
    let truth_pairs = cluster_pairs(truth);
    let revisions_ran = report.config.revisions().enabled && report.config.level().paragraphs();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| pairs | predicted | true | correct | precision | recall | F1 |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    score_row(out, "clusters", &clustered, &truth_pairs);
    if revisions_ran {
        score_row(out, "clusters + revisions", &linked, &truth_pairs);
    }
    let mut exact = ExactJaccard::new(docs);
    let _ = writeln!(out);
    if revisions_ran {
        let _ = writeln!(out, "| exact char-5 Jaccard of true pair | true pairs | clusters | recall | with revisions | recall |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
    } else {
        let _ = writeln!(
            out,
            "| exact char-5 Jaccard of true pair | true pairs | found | recall |"
        );
        let _ = writeln!(out, "|---|---|---|---|");
    }
    for (lo, hi) in [(0.0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 1.01)] {
        let (mut total, mut in_clusters, mut in_either) = (0, 0, 0);
        for pair in &truth_pairs {
            let s = exact.of(&pair.0, &pair.1);
            if s >= lo && s < hi {
                total += 1;
                in_clusters += usize::from(clustered.contains(pair));
                in_either += usize::from(linked.contains(pair));
            }
        }
        let hi = f64::min(hi, 1.0);
        let (r1, r2) = (ratio(in_clusters, total), ratio(in_either, total));
        if revisions_ran {
            let _ = writeln!(
                out,
                "| [{lo:.1}, {hi:.1}) | {total} | {in_clusters} | {r1:.3} | {in_either} | {r2:.3} |"
            );
        } else {
            let _ = writeln!(
                out,
                "| [{lo:.1}, {hi:.1}) | {total} | {in_clusters} | {r1:.3} |"
            );
        }
    }
    let (mut template, mut other) = (0, 0);
    for pair in clustered.difference(&truth_pairs) {
        if exact.of(&pair.0, &pair.1) >= threshold {
            template += 1;
        } else {
            other += 1;
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "clustered pairs outside the truth: {template} with exact Jaccard >= {threshold} (same text, different regulation: templates), {other} below it");
    if revisions_ran {
        let right = report
            .revisions
            .iter()
            .filter(|r| truth_pairs.contains(&ordered(&r.a, &r.b)))
            .count();
        let _ = writeln!(
            out,
            "revisions: {}, {right} of them between versions of one regulation in the truth",
            report.revisions.len()
        );
    }
}

/// One row of the score table: `predicted` pairs against `truth`.
fn score_row(out: &mut String, name: &str, predicted: &HashSet<Pair>, truth: &HashSet<Pair>) {
    let hits = predicted.intersection(truth).count();
    let precision = ratio(hits, predicted.len());
    let recall = ratio(hits, truth.len());
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {hits} | {precision:.3} | {recall:.3} | {f1:.3} |",
        predicted.len(),
        truth.len()
    );
}

/// A pair as (smaller id, larger id).
fn ordered(a: &str, b: &str) -> Pair {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Exact character 5-gram Jaccard of two documents by id, on the default
/// normalisation, each set made once.
struct ExactJaccard<'d> {
    by_id: HashMap<&'d str, &'d Document>,
    sets: HashMap<String, Vec<u64>>,
    normalizer: Normalizer,
    shingler: Shingler,
}

impl<'d> ExactJaccard<'d> {
    fn new(docs: &'d [Document]) -> ExactJaccard<'d> {
        ExactJaccard {
            by_id: docs.iter().map(|d| (d.id(), d)).collect(),
            sets: HashMap::new(),
            normalizer: Normalizer::default(),
            shingler: Shingler::new(5, 0),
        }
    }

    fn of(&mut self, a: &str, b: &str) -> f64 {
        for id in [a, b] {
            if !self.sets.contains_key(id) {
                let text = self.by_id.get(id).map(|d| d.text()).unwrap_or("");
                let set = self
                    .shingler
                    .char_set(self.normalizer.normalize(text).text());
                self.sets.insert(id.to_string(), set);
            }
        }
        jaccard(&self.sets[a], &self.sets[b])
    }
}

/// Every unordered pair inside each cluster, as (smaller id, larger id).
/// Quadratic in a cluster's size: truth clusters of versions are small.
fn cluster_pairs(clusters: &[Vec<String>]) -> HashSet<Pair> {
    let mut out = HashSet::new();
    for cluster in clusters {
        for (i, a) in cluster.iter().enumerate() {
            for b in &cluster[i + 1..] {
                out.insert(ordered(a, b));
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
