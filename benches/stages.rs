//! One criterion group per pipeline stage, on the seed corpus (279 KB of
//! Chinese) and on signatures of a generated corpus.
//!
//! `cargo bench --bench stages`

#[path = "../tests/support/generate.rs"]
mod generate;

use std::hint::black_box;

use chachong::fingerprint::{MinHasher, OnePermutationHasher, SimHasher};
use chachong::hamming_index::HammingIndex;
use chachong::lsh::{BandTable, LshIndex, LshParams};
use chachong::normalize::{NormalizeConfig, Normalizer};
use chachong::redact::MaskFolder;
use chachong::shingle::Shingler;
use chachong::tokenize::{JiebaTokenizer, Tokenizer};
use chachong::verify::jaccard;
use chachong::{Config, Deduplicator, DocId};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use xxhash_rust::xxh3::xxh3_64_with_seed;

fn seed_text() -> String {
    Normalizer::default()
        .normalize(generate::SPEECHES)
        .text()
        .to_string()
}

fn normalize(c: &mut Criterion) {
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Bytes(generate::SPEECHES.len() as u64));
    let normalizer = Normalizer::default();
    group.bench_function("seed", |b| {
        b.iter(|| {
            let n = normalizer.normalize(black_box(generate::SPEECHES));
            assert!(n.char_len() > 90_000);
            n
        })
    });
    // What folding traditional characters costs: the seed as written (no
    // traditional character in it) without the folding, and the seed in
    // traditional characters with it.
    let as_written = Normalizer::new(NormalizeConfig {
        fold_traditional: false,
        ..NormalizeConfig::default()
    });
    group.bench_function("seed_no_folding", |b| {
        b.iter(|| as_written.normalize(black_box(generate::SPEECHES)))
    });
    let s2t =
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::S2t).unwrap();
    let traditional = s2t.convert(generate::SPEECHES);
    group.throughput(Throughput::Bytes(traditional.len() as u64));
    group.bench_function("seed_in_traditional", |b| {
        b.iter(|| normalizer.normalize(black_box(&traditional)))
    });
    group.finish();
}

/// The fingerprint pass from bytes to sketch, the pipeline's own code
/// (`Deduplicator::signatures`: each paragraph normalised and folded in one
/// walk that also writes its code points, the document's character 5-grams
/// hashed from them and sketched with 128 one-permutation values; one
/// thread); the whole fingerprint stage as a run makes it
/// (`Deduplicator::stage_keys`: also the distinct shingles counted, band
/// keys, copies recognised); and the same pass done by the public steps
/// one after another, three walks over the text (what it was before issue
/// 17).
fn fingerprint(c: &mut Criterion) {
    let normalizer = Normalizer::default();
    let folder = MaskFolder::default();
    let shingler = Shingler::new(5, 1);
    let oph = OnePermutationHasher::new(128, 1);
    let docs = generate::speeches();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut group = c.benchmark_group("fingerprint");
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    let config = Config::clusters_only();
    assert_eq!((config.shingle_len(), config.num_perm()), (5, 128));
    let dedup = Deduplicator::new(config).unwrap();
    group.bench_function("seed_char5_oph128", |b| {
        b.iter(|| {
            let signatures = pool.install(|| dedup.signatures(black_box(&docs))).unwrap();
            assert_eq!(signatures.len(), 9);
            signatures
        })
    });
    group.bench_function("seed_stage_keys", |b| {
        b.iter(|| {
            let keys = pool.install(|| dedup.stage_keys(black_box(&docs))).unwrap();
            assert_eq!(keys.len(), 9);
            keys
        })
    });
    // Documents of 1,638 characters on average, as a crawl's pages are,
    // where the seed's speeches run to 10,000: a bin of the sketch gets
    // 12 values rather than 80, and the distinct-shingle table fits the
    // first-level cache.
    let generated = generate::scale_corpus(42, 2_000, 0.2).docs;
    let generated_bytes: usize = generated.iter().map(|d| d.text().len()).sum();
    group.throughput(Throughput::Bytes(generated_bytes as u64));
    group.bench_function("generated_char5_oph128", |b| {
        b.iter(|| {
            pool.install(|| dedup.signatures(black_box(&generated)))
                .unwrap()
        })
    });
    group.bench_function("generated_stage_keys", |b| {
        b.iter(|| {
            pool.install(|| dedup.stage_keys(black_box(&generated)))
                .unwrap()
        })
    });
    group.throughput(Throughput::Bytes(generate::SPEECHES.len() as u64));
    group.bench_function("seed_char5_oph128_three_walks", |b| {
        let (mut normalized, mut folded) = (String::new(), String::new());
        let mut sequence = Vec::new();
        let mut signature = vec![0u32; 128];
        b.iter(|| {
            normalized.clear();
            folded.clear();
            for paragraph in black_box(generate::SPEECHES).lines() {
                let part = normalizer.append_text(paragraph, &mut normalized);
                folder.fold_text_into(&normalized[part], &mut folded);
            }
            sequence.clear();
            shingler.masked_char_sequence_into(&folded, &mut sequence);
            oph.signature_into(&sequence, &mut signature);
            signature[0]
        })
    });
    // The whole pipeline (the fingerprint stage, then the candidates of
    // the seed: 篇3, 5, 7 and 9, whose sets are made again for
    // verification), at document level without boilerplate and analysis,
    // on one thread.
    group.bench_function("seed_pipeline_doc_lean", |b| {
        b.iter(|| {
            let report = pool.install(|| dedup.run(black_box(&docs))).unwrap();
            assert_eq!(report.clusters.len(), 1);
            report
        })
    });
    group.finish();
}

fn shingle(c: &mut Criterion) {
    let text = seed_text();
    let shingler = Shingler::new(5, 1);
    let mut group = c.benchmark_group("shingle");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("char5", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            out.clear();
            shingler.char_sequence_into(black_box(&text), &mut out);
            assert_eq!(out.len(), text.chars().count() - 4);
        })
    });
    group.bench_function("char5_set", |b| {
        b.iter(|| shingler.char_set(black_box(&text)))
    });
    let jieba = JiebaTokenizer::new();
    let word_shingler = Shingler::new(3, 1);
    group.bench_function("jieba_word3", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            let mut tokens = Vec::new();
            jieba.tokenize(black_box(&text), &mut tokens);
            out.clear();
            word_shingler.token_sequence_into(&tokens, &mut out);
            assert!(out.len() > 30_000);
        })
    });
    group.finish();
}

fn minhash(c: &mut Criterion) {
    let text = seed_text();
    let set = Shingler::new(5, 1).char_set(&text);
    let mut group = c.benchmark_group("minhash");
    // Bytes of the text the set came from, so figures compare with shingling.
    group.throughput(Throughput::Bytes(text.len() as u64));
    for num_perm in [64, 128, 256] {
        let minhasher = MinHasher::new(num_perm, 1);
        let mut out = vec![0u32; num_perm];
        group.bench_with_input(BenchmarkId::from_parameter(num_perm), &set, |b, set| {
            b.iter(|| {
                minhasher.signature_into(black_box(set), &mut out);
                assert!(out[0] < u32::MAX);
            })
        });
    }
    group.finish();
}

/// Text to signature, the way a document-level run needs it: char 5-gram
/// hashes of the normalised text (the ceiling: nothing can sketch faster
/// than it hashes), then the one-permutation sketch of that sequence, or
/// the classic route through a sorted set.
fn sketch(c: &mut Criterion) {
    let text = seed_text();
    let shingler = Shingler::new(5, 1);
    let mut group = c.benchmark_group("sketch_char5");
    group.throughput(Throughput::Bytes(text.len() as u64));
    let mut sequence = Vec::new();
    // The ceiling: xxh3 of every character 5-gram as the `&str` slice it
    // is, nothing else (what the shingler did before issue 17).
    group.bench_function("xxh3_hashes_only", |b| {
        b.iter(|| {
            sequence.clear();
            xxh3_windows(black_box(&text), 5, &mut sequence);
            sequence.len()
        })
    });
    // The shingler's own: code points packed into two words, one multiply.
    group.bench_function("packed_hashes_only", |b| {
        b.iter(|| {
            sequence.clear();
            shingler.char_sequence_into(black_box(&text), &mut sequence);
            sequence.len()
        })
    });
    for num_perm in [64, 128, 256] {
        let oph = OnePermutationHasher::new(num_perm, 1);
        let mut out = vec![0u32; num_perm];
        group.bench_function(BenchmarkId::new("one_permutation", num_perm), |b| {
            b.iter(|| {
                sequence.clear();
                shingler.char_sequence_into(black_box(&text), &mut sequence);
                oph.signature_into(&sequence, &mut out);
                out[0]
            })
        });
    }
    let classic = MinHasher::new(128, 1);
    let mut out = vec![0u32; 128];
    group.bench_function(BenchmarkId::new("classic_via_set", 128), |b| {
        b.iter(|| {
            sequence.clear();
            shingler.char_sequence_into(black_box(&text), &mut sequence);
            sequence.sort_unstable();
            sequence.dedup();
            classic.signature_into(&sequence, &mut out);
            out[0]
        })
    });
    group.finish();
}

/// The xxh3 hash of every window of `k` characters of `text`.
fn xxh3_windows(text: &str, k: usize, out: &mut Vec<u64>) {
    let starts = text.char_indices().map(|(at, _)| at);
    let ends = text
        .char_indices()
        .map(|(at, _)| at)
        .chain([text.len()])
        .skip(k);
    out.extend(
        starts
            .zip(ends)
            .map(|(start, end)| xxh3_64_with_seed(&text.as_bytes()[start..end], 1)),
    );
}

fn simhash(c: &mut Criterion) {
    let text = seed_text();
    let set = Shingler::new(5, 1).char_set(&text);
    let mut group = c.benchmark_group("simhash");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("64bit", |b| {
        b.iter(|| SimHasher::new().simhash(black_box(&set)))
    });
    group.finish();
}

struct Signatures {
    num_perm: usize,
    values: Vec<u32>,
    simhashes: Vec<u64>,
    sets: Vec<Vec<u64>>,
}

fn signatures(n: usize) -> Signatures {
    let (docs, _) = generate::corpus(7, n * 4 / 5, n / 5);
    let normalizer = Normalizer::default();
    let shingler = Shingler::new(5, 1);
    let minhasher = MinHasher::new(128, 1);
    let sets: Vec<Vec<u64>> = docs
        .iter()
        .map(|d| shingler.char_set(normalizer.normalize(d.text()).text()))
        .collect();
    let mut values = vec![0u32; sets.len() * 128];
    for (set, out) in sets.iter().zip(values.chunks_exact_mut(128)) {
        minhasher.signature_into(set, out);
    }
    let simhashes = sets.iter().map(|s| SimHasher::new().simhash(s).0).collect();
    Signatures {
        num_perm: 128,
        values,
        simhashes,
        sets,
    }
}

fn index(c: &mut Criterion) {
    let sigs = signatures(10_000);
    let n = sigs.sets.len();
    let items = || {
        sigs.values
            .chunks_exact(sigs.num_perm)
            .enumerate()
            .map(|(i, s)| (DocId::new(i), s))
    };
    let params = LshParams::for_threshold_weighted(0.8, 128, 0.8);
    let mut group = c.benchmark_group("lsh");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(20);
    group.bench_function("build_one_band", |b| {
        b.iter(|| BandTable::build(params, 0, 1, items()))
    });
    let index = LshIndex::build(params, 1, items());
    group.bench_function("candidate_pairs", |b| {
        b.iter(|| assert!(index.candidate_pairs().len() >= n / 10))
    });
    group.bench_function("query_all", |b| {
        b.iter(|| items().map(|(_, s)| index.query(s).len()).sum::<usize>())
    });
    group.finish();

    let mut group = c.benchmark_group("hamming_index");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    for distance in [3, 6] {
        group.bench_with_input(
            BenchmarkId::new("build_and_pairs", distance),
            &distance,
            |b, &d| {
                b.iter(|| {
                    HammingIndex::build(
                        d,
                        sigs.simhashes
                            .iter()
                            .enumerate()
                            .map(|(i, &h)| (DocId::new(i), h)),
                    )
                    .pairs()
                    .len()
                })
            },
        );
    }
    group.finish();
}

fn verify(c: &mut Criterion) {
    let sigs = signatures(2_000);
    let pairs: Vec<(usize, usize)> = (1..sigs.sets.len()).map(|i| (i - 1, i)).collect();
    let shingles: usize = pairs
        .iter()
        .map(|&(a, b)| sigs.sets[a].len() + sigs.sets[b].len())
        .sum();
    let mut group = c.benchmark_group("verify");
    group.throughput(Throughput::Elements(shingles as u64));
    group.bench_function("exact_jaccard", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|&(a, b)| jaccard(&sigs.sets[a], &sigs.sets[b]))
                .sum::<f64>()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    normalize,
    fingerprint,
    shingle,
    minhash,
    sketch,
    simhash,
    index,
    verify
);
criterion_main!(benches);
