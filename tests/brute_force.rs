//! LSH + verification against brute force: every pair of a generated corpus
//! compared by exact Jaccard, computed here with the lower-level API, apart
//! from the pipeline.
//!
//! - No reported pair is below the threshold (exact verification).
//! - Recall is at least what the S-curve promises: for true pairs with
//!   similarities s_i, LSH finds Σ P(s_i) of them on average, with variance
//!   Σ P(s_i)(1 − P(s_i)); we allow three standard deviations.

#[path = "support/generate.rs"]
mod generate;

use std::collections::HashSet;

use chachong::boilerplate::BoilerplateConfig;
use chachong::normalize::{Normalized, Normalizer};
use chachong::redact::MaskFolder;
use chachong::shingle::Shingler;
use chachong::verify::jaccard;
use chachong::{Config, Deduplicator, Document, Method};

fn exact_pairs(docs: &[Document], config: &Config, threshold: f64) -> Vec<(String, String, f64)> {
    let normalizer = Normalizer::new(*config.normalize());
    let folder = MaskFolder::new(*config.masks());
    let shingler = Shingler::new(config.shingle_len(), config.seed());
    let sets: Vec<Vec<u64>> = docs
        .iter()
        .map(|d| {
            // The pipeline normalises paragraph by paragraph; with whitespace
            // removed that equals normalising the whole text.
            let normalized = normalizer.normalize(d.text());
            let mut folded = Normalized::default();
            folder.fold_into(&normalized, 0..normalized.text().len(), &mut folded, None);
            let mut set = Vec::new();
            shingler.masked_char_sequence_into(folded.text(), &mut set);
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect();
    let mut out = Vec::new();
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            let s = jaccard(&sets[i], &sets[j]);
            if s >= threshold {
                let (a, b) = if docs[i].id() < docs[j].id() {
                    (i, j)
                } else {
                    (j, i)
                };
                out.push((docs[a].id().to_string(), docs[b].id().to_string(), s));
            }
        }
    }
    out
}

/// The pipeline's settings, without boilerplate: it takes shingles out of
/// the sets, which the brute force here does not model.
fn config() -> Config {
    Config::default().with_boilerplate(BoilerplateConfig {
        enabled: false,
        ..BoilerplateConfig::default()
    })
}

fn check(threshold: f64, method: Method, seed: u64) {
    let (docs, planted) = generate::corpus(seed, 400, 150);
    let config = config()
        .with_jaccard_threshold(threshold)
        .with_method(method)
        .with_level(chachong::Level::Document);
    let report = Deduplicator::new(config.clone())
        .unwrap()
        .run(&docs)
        .unwrap();
    let truth = exact_pairs(&docs, &config, threshold);
    assert!(
        truth.len() > planted.len() / 3,
        "the corpus must hold real work: {} true pairs",
        truth.len()
    );

    let true_set: HashSet<(&str, &str)> = truth
        .iter()
        .map(|(a, b, _)| (a.as_str(), b.as_str()))
        .collect();
    for pair in &report.pairs {
        assert!(pair.jaccard >= threshold, "{pair:?}");
        assert!(
            true_set.contains(&(pair.a.as_str(), pair.b.as_str())),
            "reported but not a true pair: {pair:?}"
        );
        let exact = truth
            .iter()
            .find(|t| t.0 == pair.a && t.1 == pair.b)
            .unwrap()
            .2;
        assert_eq!(pair.jaccard, exact);
    }

    if method == Method::MinHash {
        let params = report.stats.lsh.unwrap();
        let (mean, variance) = truth.iter().fold((0.0, 0.0), |(m, v), t| {
            let p = params.candidate_probability(t.2);
            (m + p, v + p * (1.0 - p))
        });
        let found = report.pairs.len() as f64;
        eprintln!("threshold {threshold}: {found} of {} true pairs found, S-curve promises {mean:.1} ± {:.1}", truth.len(), variance.sqrt());
        assert!(
            found >= mean - 3.0 * variance.sqrt(),
            "threshold {threshold}: found {found} of {} true pairs, S-curve promises {mean:.1}",
            truth.len()
        );
    } else {
        assert_eq!(
            report.pairs.len(),
            truth.len(),
            "exact method finds every pair"
        );
    }
}

#[test]
fn minhash_at_0_5() {
    check(0.5, Method::MinHash, 1);
}

#[test]
fn minhash_at_0_7() {
    check(0.7, Method::MinHash, 2);
}

#[test]
fn minhash_at_0_8() {
    check(0.8, Method::MinHash, 3);
}

#[test]
fn exact_method_is_the_brute_force() {
    check(0.6, Method::Exact, 4);
}

#[test]
fn simhash_reports_no_false_positive() {
    let (docs, _) = generate::corpus(5, 300, 100);
    let config = config()
        .with_method(Method::SimHash)
        .with_jaccard_threshold(0.7);
    let report = Deduplicator::new(config.clone())
        .unwrap()
        .run(&docs)
        .unwrap();
    let truth = exact_pairs(&docs, &config, 0.7);
    for pair in &report.pairs {
        assert!(
            truth.iter().any(|t| t.0 == pair.a && t.1 == pair.b),
            "{pair:?}"
        );
    }
    assert!(!report.pairs.is_empty());
}
