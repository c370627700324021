//! Corpora full of copies, the normal case in a crawl: what the report
//! lists and what the pipeline compares grow linearly with the copies.
//!
//! Each test would have failed before the copies were collapsed (issue 13):
//! 2,000 identical documents listed 2 million pairs, and a document of
//! identical lines matched every line with every other.

#[path = "support/generate.rs"]
mod generate;

use std::collections::HashSet;

use chachong::{Config, Deduplicator, Document, Level, Report};

/// The start of a speech of the seed corpus: a page of a thousand
/// characters.
fn page() -> String {
    generate::speeches()[2].text().chars().take(1_000).collect()
}

fn run(config: Config, docs: &[Document]) -> Report {
    Deduplicator::new(config).unwrap().run(docs).unwrap()
}

fn named(prefix: &str, texts: impl IntoIterator<Item = String>) -> Vec<Document> {
    texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| Document::new(format!("{prefix}{i:05}"), text))
        .collect()
}

#[test]
fn identical_documents_are_one_cluster_listed_against_its_representative() {
    let n = 3_000;
    let page = page();
    let docs = named("d", (0..n).map(|_| page.clone()));
    let report = run(Config::default().with_level(Level::Document), &docs);
    assert_eq!(report.clusters.len(), 1);
    let cluster = &report.clusters[0];
    assert_eq!(cluster.members.len(), n);
    // The first copy by id is the original every other is compared through.
    assert_eq!(report.stats.copies, n - 1);
    assert_eq!(
        report.stats.candidate_pairs, 0,
        "copies are never candidates"
    );
    assert_eq!(report.pairs.len(), n - 1);
    assert!(report
        .pairs
        .iter()
        .all(|p| p.jaccard == 1.0
            && (p.a == cluster.representative || p.b == cluster.representative)));
    let analysis = cluster.analysis.as_ref().unwrap();
    assert_eq!(analysis.identical.len(), n - 1);
}

#[test]
fn a_few_identical_documents_list_every_pair() {
    let limit = Config::default().cluster().list_all_pairs_up_to;
    let page = page();
    let docs = named("d", (0..limit).map(|_| page.clone()));
    let report = run(Config::default(), &docs);
    assert_eq!(report.pairs.len(), limit * (limit - 1) / 2);
    let pairs: HashSet<(&str, &str)> = report
        .pairs
        .iter()
        .map(|p| (p.a.as_str(), p.b.as_str()))
        .collect();
    assert_eq!(pairs.len(), report.pairs.len(), "each pair once");
    assert!(report.pairs.iter().all(|p| p.a < p.b));
}

#[test]
fn near_identical_documents_make_linear_candidates_and_pairs() {
    // Each copy of the page carries its own serial line: no two texts are
    // equal, every pair is above the threshold, and every band key is
    // shared by (nearly) all of them.
    let n = 2_000;
    let page = page();
    let docs = named("n", (0..n).map(|i| format!("{page}\n编号{i}")));
    let report = run(Config::clusters_only(), &docs);
    assert_eq!(report.clusters.len(), 1);
    assert_eq!(report.clusters[0].members.len(), n);
    assert_eq!(report.stats.copies, 0);
    let bands = report.stats.lsh.unwrap().bands;
    assert!(
        report.stats.candidate_pairs <= 2 * bands * n,
        "{} candidate pairs for {n} documents",
        report.stats.candidate_pairs
    );
    assert_eq!(report.pairs.len(), n - 1);
}

#[test]
fn near_identical_documents_cluster_alike_in_any_input_order() {
    let n = 300;
    let page = page();
    let docs = named("n", (0..n).map(|i| format!("{page}\n编号{i}")));
    let mut shuffled = docs.clone();
    let mut rng = generate::Rng(7);
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.below(i + 1));
    }
    let strip = |mut r: Report| {
        r.stats = Default::default();
        r
    };
    let config = Config::default().with_level(Level::Document);
    assert_eq!(
        strip(run(config.clone(), &docs)),
        strip(run(config, &shuffled))
    );
}

#[test]
fn a_document_of_identical_lines_matches_linearly() {
    let line = "推进县域经济高质量发展，是新时代赋予我们的重大任务。";
    let n = 5_000;
    let docs = [Document::new("lines", vec![line; n].join("\n"))];
    let report = run(Config::default().with_level(Level::Paragraph), &docs);
    assert_eq!(report.stats.paragraph_copies, n - 1);
    assert_eq!(report.paragraph_matches.len(), n - 1);
    assert!(report
        .paragraph_matches
        .iter()
        .all(|m| m.a_paragraph == 0 && m.jaccard == 1.0));
}

#[test]
fn annotations_keep_the_copy_the_policy_names_with_or_without_analysis() {
    use chachong::analysis::{AnalysisConfig, CanonicalPolicy};
    let page = page();
    let docs = [
        Document::new("z", page.clone()),
        Document::new("m", format!("{page}\n又及：本文有删改。")),
        Document::new("a", page.replacen("发展", "**", 3)),
    ];
    let ids = || docs.iter().map(|d| d.id());
    for (policy, kept) in [
        (CanonicalPolicy::FewestMasks, "m"),
        (CanonicalPolicy::Longest, "m"),
        (CanonicalPolicy::SmallestId, "a"),
        (CanonicalPolicy::First, "z"),
    ] {
        for analysis in [true, false] {
            let config = Config::clusters_only().with_analysis(AnalysisConfig {
                enabled: analysis,
                canonical: policy,
                ..AnalysisConfig::default()
            });
            let report = run(config, &docs);
            assert_eq!(report.clusters.len(), 1, "{policy:?}");
            let notes = report.annotations(ids()).unwrap();
            let canonical: Vec<&str> = notes.iter().map(|n| n.canonical_id.as_str()).collect();
            assert_eq!(canonical, [kept; 3], "{policy:?}, analysis {analysis}");
            let keep: Vec<bool> = notes.iter().map(|n| n.keep).collect();
            let want: Vec<bool> = ids().map(|id| id == kept).collect();
            assert_eq!(keep, want);
            assert!(notes
                .iter()
                .all(|n| n.cluster_size == 3 && n.jaccard.unwrap() > 0.8));
        }
    }
    let report = run(Config::clusters_only(), &docs);
    let unknown = report.annotations(["nobody"]).unwrap_err();
    assert!(matches!(
        unknown.kind(),
        chachong::ErrorKind::UnknownId { .. }
    ));
}
