//! The whole pipeline on the seed, on a generated corpus of 10,000
//! documents (both levels, default config and without boilerplate and
//! analysis), and on the `generate` example's corpus of 100,000 documents
//! (document level, clusters only: what the peers compare against), on one
//! thread and on all.
//!
//! `cargo bench --bench pipeline` (the 100k group alone: `-- pipeline_100k`)

#[path = "../tests/support/generate.rs"]
mod generate;

use chachong::{Config, Deduplicator, Document, Level};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn pools() -> Vec<(String, rayon::ThreadPool)> {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut counts = vec![1];
    if all > 1 {
        counts.push(all);
    }
    counts
        .into_iter()
        .map(|n| {
            let name = if n == 1 {
                "1_thread".to_string()
            } else {
                format!("{n}_threads")
            };
            (
                name,
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .unwrap(),
            )
        })
        .collect()
}

fn bytes(docs: &[Document]) -> u64 {
    docs.iter().map(|d| d.text().len() as u64).sum()
}

fn seed(c: &mut Criterion) {
    let docs = generate::speeches();
    let dedup = Deduplicator::new(Config::default()).unwrap();
    let mut group = c.benchmark_group("pipeline_seed");
    group.throughput(Throughput::Bytes(bytes(&docs)));
    for (name, pool) in pools() {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let report = pool.install(|| dedup.run(&docs)).unwrap();
                assert_eq!(report.clusters.len(), 1);
                report
            })
        });
    }
    group.finish();
}

fn scale(c: &mut Criterion) {
    let corpus = generate::scale_corpus(42, 100_000, 0.2);
    let planted: usize = corpus.truth.iter().map(|c| c.len() - 1).sum();
    let mut group = c.benchmark_group("pipeline_100k");
    group.throughput(Throughput::Bytes(bytes(&corpus.docs)));
    group.sample_size(10);
    let dedup = Deduplicator::new(Config::clusters_only()).unwrap();
    for (name, pool) in pools() {
        group.bench_function(BenchmarkId::new("doc_lean", &name), |b| {
            b.iter(|| {
                let report = pool.install(|| dedup.run(&corpus.docs)).unwrap();
                assert!(report.pairs.len() >= planted / 4, "{}", report.pairs.len());
                report
            })
        });
    }
    group.finish();
}

fn generated(c: &mut Criterion) {
    let (docs, planted) = generate::corpus(2024, 8_000, 2_000);
    let mut group = c.benchmark_group("pipeline_10k");
    group.throughput(Throughput::Bytes(bytes(&docs)));
    group.sample_size(10);
    // `doc_lean`: what a deduplication job that only wants clusters runs.
    for (level_name, config) in [
        ("doc_lean", Config::clusters_only()),
        ("doc", Config::default().with_level(Level::Document)),
        ("both", Config::default().with_level(Level::Both)),
    ] {
        let dedup = Deduplicator::new(config).unwrap();
        for (name, pool) in pools() {
            group.bench_function(BenchmarkId::new(level_name, &name), |b| {
                b.iter(|| {
                    let report = pool.install(|| dedup.run(&docs)).unwrap();
                    assert!(
                        report.pairs.len() >= planted.len() / 4,
                        "{}",
                        report.pairs.len()
                    );
                    report
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, seed, generated, scale);
criterion_main!(benches);
