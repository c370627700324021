//! A streamed run gives the in-memory run's report (but `stats`), however
//! small its partitions.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::*;
use crate::config::Config;

/// The law corpus's regulations, each also copied, edited and redacted
/// (near-duplicates), some copied exactly several times, and empty
/// documents: written as two JSON Lines files.
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(fs::File::open("tests/data/laws.jsonl.gz").unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut rows = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let body = row["text"].as_str().unwrap().to_string();
        rows.push((format!("law{k:03}"), body.clone()));
        if k % 3 == 0 {
            let edited = body.replacen('。', "，并且", 2).replace("2014", "****");
            rows.push((format!("edit{k:03}"), edited));
        }
        if k % 10 == 0 {
            for copy in 0..4 {
                rows.push((format!("copy{k:03}-{copy}"), body.clone()));
            }
        }
    }
    rows.push(("empty-a".into(), String::new()));
    rows.push(("empty-b".into(), "。".into()));
    // Input order is not id order.
    rows.reverse();
    let half = rows.len() / 2;
    [&rows[..half], &rows[half..]]
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let path = dir.join(format!("part-{i}.jsonl"));
            let lines: Vec<String> = part
                .iter()
                .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string())
                .collect();
            fs::write(&path, lines.join("\n")).unwrap();
            path
        })
        .collect()
}

fn in_memory(dedup: &Deduplicator, inputs: &[PathBuf]) -> Report {
    let mut docs = Vec::new();
    for input in inputs {
        docs.extend(Reader::new().read_path(input).unwrap().documents);
    }
    dedup.run(&docs).unwrap()
}

fn same_but_stats(streamed: &Report, whole: &Report) {
    assert_eq!(streamed.documents, whole.documents);
    assert_eq!(streamed.clusters, whole.clusters);
    assert_eq!(streamed.pairs, whole.pairs);
    assert_eq!(streamed.chain_splits, whole.chain_splits);
    assert_eq!(streamed.stats.copies, whole.stats.copies);
    assert_eq!(streamed.stats.verified_pairs, whole.stats.verified_pairs);
}

#[test]
fn partitions_of_any_size_give_the_in_memory_report() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = corpus(dir.path());
    let configs = [
        Config::clusters_only(),
        // With the cluster analysis, which runs on each partition's texts.
        Config::clusters_only().with_analysis(crate::analysis::AnalysisConfig::default()),
        // The first copy in the input kept: positions inside a partition
        // keep the input's order.
        Config::clusters_only().with_analysis(crate::analysis::AnalysisConfig {
            enabled: false,
            canonical: crate::analysis::CanonicalPolicy::First,
            ..crate::analysis::AnalysisConfig::default()
        }),
    ];
    for config in configs {
        let dedup = Deduplicator::new(config).unwrap();
        let whole = in_memory(&dedup, &inputs);
        assert!(
            whole.clusters.len() > 30,
            "{} clusters",
            whole.clusters.len()
        );
        for memory in [1 << 30, 200_000, 1] {
            let streaming = Streaming::new().memory(memory).temp_dir(dir.path());
            let run = dedup
                .run_streaming(&Reader::new(), &inputs, &streaming, &())
                .unwrap();
            same_but_stats(&run.report, &whole);
            assert_eq!(run.ids.len(), whole.documents.len());
            let notes = whole.annotations(run.ids.iter()).unwrap();
            for (k, note) in notes.iter().enumerate() {
                assert_eq!(&run.annotations.get(k, &run.ids), note, "document {k}");
            }
            assert!(notes.iter().any(|n| !n.keep), "some are dropped");
            assert_eq!(run.ids.get(0), Some("empty-b"), "input order");
            assert_eq!(run.read.inputs.len(), 2);
        }
    }
    // The spill folder is gone.
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with("chachong-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_repeated_id_and_a_config_it_cannot_run_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    fs::write(
        &a,
        "{\"id\": \"x\", \"text\": \"甲乙丙丁戊\"}\n{\"id\": \"y\", \"text\": \"乙\"}\n",
    )
    .unwrap();
    let dedup = Deduplicator::new(Config::clusters_only()).unwrap();
    let run = |inputs: &[PathBuf], dedup: &Deduplicator| {
        dedup.run_streaming(&Reader::new(), inputs, &Streaming::new(), &())
    };
    let err = run(&[a.clone(), a.clone()], &dedup).unwrap_err();
    assert!(
        matches!(err.kind(), crate::ErrorKind::DuplicateId { id, positions } if id == "x" && *positions == (0, 2)),
        "{err}"
    );
    let err = run(
        std::slice::from_ref(&a),
        &Deduplicator::new(Config::default()).unwrap(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("level doc"), "{err}");
    let boilerplate = Config::default().with_level(Level::Document);
    let err = run(&[a], &Deduplicator::new(boilerplate).unwrap()).unwrap_err();
    assert!(err.to_string().contains("boilerplate"), "{err}");
}
