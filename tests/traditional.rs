//! 繁/简 as one text: the seed with its copies written in traditional
//! characters (converted by OpenCC's s2t, phrases and all) gives the
//! clusters, kinds and redaction maps of the seed as written; with the
//! folding off it does not, so the folding is what finds them. And Chinese
//! numerals and digits as one class when figures fold.

#![cfg(feature = "traditional")]

#[path = "support/generate.rs"]
mod generate;

use chachong::normalize::NormalizeConfig;
use chachong::redact::MaskConfig;
use chachong::{Config, Deduplicator, Document, Report};
use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

fn run(config: &Config, docs: &[Document]) -> Report {
    Deduplicator::new(config.clone())
        .unwrap()
        .run(docs)
        .unwrap()
}

/// The seed with 篇5 and 篇7 (the redacted copies) and 篇8 (a speech in
/// no cluster) in traditional characters.
fn partly_traditional() -> Vec<Document> {
    let s2t = OpenCC::from_config(BuiltinConfig::S2t).unwrap();
    generate::speeches()
        .into_iter()
        .map(|d| {
            if ["篇5", "篇7", "篇8"].iter().any(|n| d.id().ends_with(n)) {
                let text = s2t.convert(d.text());
                assert_ne!(text, d.text());
                assert_eq!(text.chars().count(), d.char_len(), "one character for one");
                Document::new(d.id(), text)
            } else {
                d
            }
        })
        .collect()
}

#[test]
fn a_traditional_copy_of_a_simplified_speech_is_a_copy() {
    let config = Config::default();
    assert!(config.normalize().fold_traditional);
    let seed = run(&config, &generate::speeches());
    let mixed = run(&config, &partly_traditional());
    let members = |r: &Report| {
        r.clusters
            .iter()
            .map(|c| c.members.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(members(&mixed), members(&seed));
    assert_eq!(mixed.pairs.len(), seed.pairs.len());
    // One character for one: a few traditional characters that are also
    // simplified ones (瞭 in 瞭解 for 了解, 藉 for 借, 覆 for 复: 27 in the
    // whole seed converted) stay as written, which OpenCC's phrase table
    // would fold, at a fifteenth of the speed.
    for (a, b) in mixed.pairs.iter().zip(&seed.pairs) {
        assert_eq!((&a.a, &a.b), (&b.a, &b.b));
        assert!((a.jaccard - b.jaccard).abs() < 0.005, "{a:?} {b:?}");
    }
    let (m, s) = (
        mixed.clusters[0].analysis.as_ref().unwrap(),
        seed.clusters[0].analysis.as_ref().unwrap(),
    );
    assert_eq!((m.kind, &m.canonical), (s.kind, &s.canonical));
    // The same places are masked: positions point at the text as written.
    let places = |a: &chachong::analysis::CopyAnalysis| {
        a.redactions
            .iter()
            .map(|r| (r.document.clone(), r.range))
            .collect::<Vec<_>>()
    };
    assert_eq!(places(m), places(s));
}

#[test]
fn without_the_folding_the_traditional_copies_are_missed() {
    let normalize = NormalizeConfig {
        fold_traditional: false,
        ..NormalizeConfig::default()
    };
    let config = Config::default().with_normalize(normalize);
    let mixed = run(&config, &partly_traditional());
    let members: Vec<&str> = mixed.clusters[0]
        .members
        .iter()
        .map(|m| &m[m.len() - 4..])
        .collect();
    assert_eq!(members, ["篇3", "篇9"]);
}

#[test]
fn chinese_numerals_and_digits_are_one_class_when_figures_fold() {
    let body = "年，全市地区生产总值突破千亿元大关，同比增长百分之八，\
                各项主要经济指标均高于全省平均水平，发展态势持续向好。";
    let docs = [
        Document::new("digits", format!("2014{body}")),
        Document::new("numerals", format!("二〇一四{body}")),
    ];
    let mask = MaskConfig {
        fold_digits: true,
        ..MaskConfig::default()
    };
    let folded = run(&Config::default().with_masks(mask), &docs);
    assert_eq!(folded.pairs.len(), 1);
    assert!(
        folded.pairs[0].jaccard > 0.999,
        "{}",
        folded.pairs[0].jaccard
    );
    let plain = run(&Config::default(), &docs);
    assert!(plain.pairs.is_empty() || plain.pairs[0].jaccard < folded.pairs[0].jaccard);
}
