//! Properties: similarity measures behave like similarities, and the report
//! depends on nothing but the documents' content and the config.

#[path = "support/generate.rs"]
mod generate;

use chachong::boilerplate::BoilerplateConfig;
use chachong::fingerprint::MinHasher;
use chachong::verify::{estimated_jaccard, jaccard};
use chachong::{Config, Deduplicator, Document, Method, Report};

/// Boilerplate is a property of a corpus, found from the groups the pairs
/// form: tests that compare figures across corpora or seeds turn it off.
fn without_boilerplate() -> Config {
    Config::default().with_boilerplate(BoilerplateConfig {
        enabled: false,
        ..BoilerplateConfig::default()
    })
}
use proptest::prelude::*;

fn set(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// The report with the parts that may vary between equal runs cleared.
fn content(mut report: Report) -> Report {
    report.stats.timings_ms = Default::default();
    report.stats.threads = 0;
    report
}

fn run_on(threads: usize, config: &Config, docs: &[Document]) -> Report {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let dedup = Deduplicator::new(config.clone()).unwrap();
    content(pool.install(|| dedup.run(docs)).unwrap())
}

proptest! {
    #[test]
    fn jaccard_is_symmetric_and_bounded(a in prop::collection::vec(0u64..200, 0..60), b in prop::collection::vec(0u64..200, 0..60)) {
        let (a, b) = (set(a), set(b));
        let j = jaccard(&a, &b);
        prop_assert_eq!(j, jaccard(&b, &a));
        prop_assert!((0.0..=1.0).contains(&j));
        if !a.is_empty() {
            prop_assert_eq!(jaccard(&a, &a), 1.0);
        }
    }

    #[test]
    fn estimate_is_symmetric_and_exact_on_equal_sets(a in prop::collection::vec(any::<u64>(), 1..50), b in prop::collection::vec(any::<u64>(), 1..50)) {
        let m = MinHasher::new(64, 9);
        let (sa, sb) = (m.signature(&a), m.signature(&b));
        prop_assert_eq!(estimated_jaccard(sa.as_slice(), sb.as_slice()), estimated_jaccard(sb.as_slice(), sa.as_slice()));
        prop_assert_eq!(estimated_jaccard(sa.as_slice(), sa.as_slice()), 1.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn identical_documents_share_a_cluster(seed in any::<u64>(), pick in 0usize..60, method in prop::sample::select(vec![Method::MinHash, Method::SimHash, Method::Exact])) {
        let (mut docs, _) = generate::corpus(seed, 60, 10);
        let twin = Document::new("twin", docs[pick].text());
        docs.push(twin);
        let report = Deduplicator::new(Config::default().with_method(method)).unwrap().run(&docs).unwrap();
        let cluster = report.cluster_of("twin");
        prop_assert!(cluster.is_some());
        prop_assert!(cluster.unwrap().members.iter().any(|m| m == docs[pick].id()));
    }

    #[test]
    fn input_order_does_not_change_the_report(seed in any::<u64>(), shuffle in any::<u64>()) {
        let (docs, _) = generate::corpus(seed, 80, 30);
        let mut shuffled = docs.clone();
        let mut rng = generate::Rng(shuffle);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.below(i + 1));
        }
        let config = Config::default().with_jaccard_threshold(0.6);
        prop_assert_eq!(run_on(2, &config, &docs), run_on(2, &config, &shuffled));
    }

    #[test]
    fn thread_count_does_not_change_the_report(seed in any::<u64>(), method in prop::sample::select(vec![Method::MinHash, Method::SimHash, Method::Exact])) {
        let (docs, _) = generate::corpus(seed, 80, 30);
        let config = Config::default().with_method(method).with_jaccard_threshold(0.6);
        prop_assert_eq!(run_on(1, &config, &docs), run_on(2, &config, &docs));
    }

    #[test]
    fn reported_pairs_are_above_the_threshold_by_exact_jaccard(seed in any::<u64>(), threshold in 0.3f64..0.95, method in prop::sample::select(vec![Method::MinHash, Method::SimHash, Method::Exact])) {
        let (docs, _) = generate::corpus(seed, 40, 20);
        let dedup = Deduplicator::new(without_boilerplate().with_method(method).with_jaccard_threshold(threshold)).unwrap();
        let report = dedup.run(&docs).unwrap();
        let by_id = |id: &str| docs.iter().find(|d| d.id() == id).unwrap();
        for pair in &report.pairs {
            prop_assert!(pair.jaccard >= threshold, "{} ~ {}: {} < {}", pair.a, pair.b, pair.jaccard, threshold);
            // The pair compared on its own, away from the corpus.
            let alone = dedup.explain(by_id(&pair.a), by_id(&pair.b)).unwrap();
            prop_assert_eq!(alone.jaccard, pair.jaccard);
        }
    }

    #[test]
    fn reported_pairs_are_symmetric_in_content(seed in any::<u64>()) {
        // Swapping the two documents' ids swaps nothing but the names.
        let (docs, planted) = generate::corpus(seed, 20, 5);
        let report = Deduplicator::new(without_boilerplate().with_jaccard_threshold(0.5)).unwrap().run(&docs).unwrap();
        for (original, copy) in planted {
            let renamed = [Document::new("b", docs[original].text()), Document::new("a", docs[copy].text())];
            let small = Deduplicator::new(without_boilerplate().with_jaccard_threshold(0.5)).unwrap().run(&renamed).unwrap();
            let big = report.pairs.iter().find(|p| p.a == docs[copy].id() && p.b == docs[original].id() || p.a == docs[original].id() && p.b == docs[copy].id());
            if let (Some(big), Some(small)) = (big, small.pairs.first()) {
                prop_assert_eq!(big.jaccard, small.jaccard);
            }
        }
    }
}

#[test]
fn same_seed_same_report_other_seed_other_signatures() {
    let (docs, _) = generate::corpus(11, 50, 20);
    let config = without_boilerplate().with_seed(3);
    assert_eq!(run_on(2, &config, &docs), run_on(2, &config, &docs));
    let other = run_on(2, &without_boilerplate().with_seed(4), &docs);
    let first = run_on(2, &config, &docs);
    // The estimates depend on the seed (and so, by chance, may which pairs
    // LSH finds); exact Jaccard does not.
    let estimates = |r: &Report| {
        r.pairs
            .iter()
            .map(|p| ((p.a.clone(), p.b.clone()), p.estimated_jaccard))
            .collect::<std::collections::HashMap<_, _>>()
    };
    let (e3, e4) = (estimates(&first), estimates(&other));
    assert!(e3
        .iter()
        .any(|(pair, e)| e4.get(pair).is_some_and(|f| f != e)));
    let exact = |seed| {
        run_on(
            2,
            &without_boilerplate()
                .with_method(Method::Exact)
                .with_seed(seed),
            &docs,
        )
    };
    let pairs = |r: &Report| {
        r.pairs
            .iter()
            .map(|p| (p.a.clone(), p.b.clone(), p.jaccard))
            .collect::<Vec<_>>()
    };
    assert_eq!(pairs(&exact(3)), pairs(&exact(4)));
}

#[test]
fn recomputing_sets_changes_nothing_but_memory() {
    let corpus = generate::scale_corpus(5, 600, 0.3);
    for level in [chachong::Level::Document, chachong::Level::Both] {
        let lean = Config::default().with_level(level);
        let keep = lean.clone().with_shingle_sets(chachong::ShingleSets::Keep);
        let (mut a, mut b) = (
            run_on(2, &keep, &corpus.docs),
            run_on(2, &lean, &corpus.docs),
        );
        assert!(!a.clusters.is_empty());
        b.config = a.config.clone();
        a.stats = Default::default();
        b.stats = Default::default();
        assert_eq!(a, b, "{level:?}");
    }
}
