//! Reliability: messy input is accounted for document by document, and the
//! report is the same bytes whatever the thread count.
//!
//! The single bad inputs (each JSONL fault, bad patterns, config values)
//! are unit tests beside the code that rejects them; docs/reliability.md
//! lists them all.

#[path = "support/generate.rs"]
mod generate;

use std::collections::BTreeMap;
use std::path::Path;

use chachong::source::{InvalidUtf8, Reader};
use chachong::{Config, Deduplicator, Document, ErrorKind, Report};

/// A scraped-looking JSONL file: copies, empty and whitespace-only texts,
/// two identical empty ones, a line of binary junk, a text with a byte that
/// is not UTF-8, a lone surrogate escape, blank lines, a numeric id.
fn messy_jsonl() -> Vec<u8> {
    let body = "推进县域经济高质量发展，是新时代赋予我们的重大任务。我们要坚持稳中求进工作总基调，\
                全面深化改革开放，加快建设现代化经济体系，不断增强县域经济综合实力。";
    let mut out = Vec::new();
    let line = |out: &mut Vec<u8>, json: &str| {
        out.extend_from_slice(json.as_bytes());
        out.push(b'\n');
    };
    line(
        &mut out,
        &format!(r#"{{"id": "original", "text": "{body}"}}"#),
    );
    line(
        &mut out,
        &format!(r#"{{"id": "copy", "text": "{body}\n推荐访问：范文网"}}"#),
    );
    line(&mut out, r#"{"id": "empty-1", "text": ""}"#);
    line(&mut out, r#"{"id": "empty-2", "text": ""}"#);
    line(&mut out, "");
    line(&mut out, r#"{"id": "blank", "text": "  \n\u3000\t"}"#);
    line(
        &mut out,
        r#"{"id": 17, "text": "今年以来，全市上下认真贯彻落实各项决策部署。"}"#,
    );
    line(&mut out, r#"{"id": "surrogate", "text": "半个字\ud83d"}"#);
    out.extend_from_slice(b"{\"id\": \"latin1\", \"text\": \"caf\xe9\"}\n");
    out.extend_from_slice(b"\x00\x01\xfe\xff junk\n");
    out.extend_from_slice("{\"id\": \"short\", \"text\": \"好\"}\n".as_bytes());
    out
}

#[test]
fn every_document_in_is_in_the_report_once() {
    let input = messy_jsonl();
    let name = Path::new("messy.jsonl");

    let err = Reader::new().read_jsonl_from(&input[..], name).unwrap_err();
    assert_eq!(
        err.to_string(),
        "messy.jsonl:8: document \"surrogate\": not valid Unicode: a lone UTF-16 surrogate escape \\ud83d"
    );

    let corpus = Reader::new()
        .invalid_utf8(InvalidUtf8::Skip)
        .read_jsonl_from(&input[..], name)
        .unwrap();
    let mut report = Deduplicator::new(Config::default())
        .unwrap()
        .run(&corpus.documents)
        .unwrap();
    report.skipped = corpus.skipped;

    // Ten non-blank lines in: seven documents and three skipped out.
    let non_blank = input
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(non_blank, 10);
    assert_eq!(report.documents.len() + report.skipped.len(), non_blank);

    // Each document is in exactly one place: a cluster or the singletons.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for id in report.clusters.iter().flat_map(|c| &c.members) {
        *seen.entry(id).or_default() += 1;
    }
    for id in report.singletons() {
        *seen.entry(id).or_default() += 1;
    }
    let ids: Vec<&str> = seen.keys().copied().collect();
    assert_eq!(
        ids,
        ["17", "blank", "copy", "empty-1", "empty-2", "original", "short"]
    );
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");

    let skipped: Vec<(Option<usize>, Option<&str>)> = report
        .skipped
        .iter()
        .map(|s| (s.line, s.id.as_deref()))
        .collect();
    assert_eq!(
        skipped,
        [
            (Some(8), Some("surrogate")),
            (Some(9), Some("latin1")),
            (Some(10), None)
        ]
    );

    // Empty texts are reported as empty and never clustered, not even the
    // two identical ones; the one-character text is not empty.
    let shingles = |id: &str| {
        report
            .documents
            .iter()
            .find(|d| d.id == id)
            .unwrap()
            .shingles
    };
    for id in ["empty-1", "empty-2", "blank"] {
        assert_eq!(shingles(id), 0, "{id}");
        assert!(report.cluster_of(id).is_none(), "{id}");
    }
    assert_eq!(shingles("short"), 1);
    assert_eq!(report.stats.empty_documents, 3);
    assert_eq!(report.clusters.len(), 1);
    assert_eq!(report.clusters[0].members, ["copy", "original"]);

    let text = report.to_text(&corpus.documents, 0);
    assert!(
        text.contains("  empty-1 (empty: nothing to compare)"),
        "{text}"
    );
    assert!(
        text.contains("3 skipped\n  messy.jsonl:8: document \"surrogate\""),
        "{text}"
    );
}

#[test]
fn an_empty_corpus_is_an_error_not_an_empty_report() {
    let err = Deduplicator::new(Config::default())
        .unwrap()
        .run(&[])
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NoDocuments { path: None }));
    assert_eq!(err.to_string(), "no documents to compare");
}

/// The report as JSON with `stats` left out: what must not depend on the
/// thread count.
fn json_without_stats(report: &Report) -> String {
    let mut value = serde_json::to_value(report).unwrap();
    value.as_object_mut().unwrap().remove("stats");
    serde_json::to_string_pretty(&value).unwrap()
}

fn on_threads(threads: usize, docs: &[Document]) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let dedup = Deduplicator::new(Config::default()).unwrap();
    let report = pool.install(|| dedup.run(docs)).unwrap();
    assert_eq!(report.stats.threads, threads);
    json_without_stats(&report)
}

#[test]
fn one_and_two_threads_give_the_same_bytes_on_the_seed() {
    let docs = generate::speeches();
    assert_eq!(on_threads(1, &docs), on_threads(2, &docs));
}

/// 2,000 here (a debug build takes a minute at 10,000); `.ci/run` checks
/// 10,000 with the release `dedup` example.
#[test]
fn one_and_two_threads_give_the_same_bytes_on_generated_documents() {
    let corpus = generate::scale_corpus(7, 2_000, 0.2);
    let one = on_threads(1, &corpus.docs);
    let two = on_threads(2, &corpus.docs);
    // Not vacuous: most planted clusters are in the report.
    let clusters = one.matches("\"representative\"").count();
    assert!(
        clusters * 2 > corpus.truth.len(),
        "{clusters} of {}",
        corpus.truth.len()
    );
    assert_eq!(one, two);
}
