//! How much of the boilerplate a report lists: a summary at the document
//! level (bounded, the evidence unchanged), everything on request and when
//! paragraphs are compared.

#[path = "support/generate.rs"]
mod generate;

use chachong::boilerplate::{BoilerplateListing, SUMMARY_DOCUMENTS, SUMMARY_PHRASES};
use chachong::{Config, Deduplicator, Level, Report};

fn run(config: Config, docs: &[chachong::Document]) -> Report {
    Deduplicator::new(config).unwrap().run(docs).unwrap()
}

fn listing(config: Config, listing: BoilerplateListing) -> Config {
    let mut boilerplate = *config.boilerplate();
    boilerplate.listing = listing;
    config.with_boilerplate(boilerplate)
}

#[test]
fn a_document_level_run_lists_a_summary_and_finds_the_same_copies() {
    // Recombined from one pool of sentences: boilerplate everywhere.
    let docs = generate::scale_corpus(11, 1_500, 0.2).docs;
    let doc_level = Config::default().with_level(Level::Document);
    let summary = run(doc_level.clone(), &docs);
    let full = run(listing(doc_level, BoilerplateListing::Full), &docs);

    assert_eq!(summary.boilerplate.summary_of, Some(SUMMARY_DOCUMENTS));
    assert!(summary.boilerplate.sentences.is_empty());
    assert_eq!(summary.boilerplate.phrases.len(), SUMMARY_PHRASES);
    assert_eq!(summary.boilerplate.shingles, full.boilerplate.shingles);
    assert_eq!(full.boilerplate.summary_of, None);
    assert!(full.boilerplate.sentences.len() > 1_000);
    assert!(full.boilerplate.phrases.len() > 10 * SUMMARY_PHRASES);
    // What is listed does not change what is evidence.
    assert_eq!(summary.clusters, full.clusters);
    assert_eq!(summary.pairs, full.pairs);
    let json = |r: &Report| serde_json::to_vec(r).unwrap().len();
    assert!(
        json(&summary) * 3 < json(&full),
        "{} vs {}",
        json(&summary),
        json(&full)
    );
}

#[test]
fn comparing_paragraphs_lists_everything_unless_asked_not_to() {
    let docs = generate::scale_corpus(12, 300, 0.2).docs;
    let both = run(Config::default(), &docs);
    assert_eq!(both.boilerplate.summary_of, None);
    assert!(!both.boilerplate.sentences.is_empty());
    let asked = run(
        listing(Config::default(), BoilerplateListing::Summary),
        &docs,
    );
    assert_eq!(
        asked.boilerplate.summary_of,
        Some(docs.len()),
        "every document read"
    );
    assert!(asked.boilerplate.sentences.is_empty());
    // Paragraph matching still leaves every boilerplate paragraph out.
    assert_eq!(asked.paragraph_matches, both.paragraph_matches);
}

#[test]
fn identical_copies_each_list_their_own_boilerplate_sentences() {
    let stock = "下面是小编为您推荐的精彩文章，欢迎阅读参考。";
    let bodies = [
        "今年以来，全市上下认真贯彻落实各项决策部署，经济运行稳中有进、稳中向好，发展质量不断提高。",
        "要坚持把发展经济的着力点放在实体经济上，推进新型工业化，加快建设制造强市和质量强市。",
        "统筹推进乡村振兴和新型城镇化，促进城乡融合发展，让农民群众共享改革发展成果。",
        "持续优化营商环境，深化放管服改革，激发各类市场主体活力，稳住经济大盘。",
    ];
    let mut docs: Vec<chachong::Document> = bodies
        .iter()
        .enumerate()
        .map(|(k, body)| chachong::Document::new(format!("d{k}"), format!("{body}\n{stock}")))
        .collect();
    let copied = format!("坚持以人民为中心的发展思想，扎实办好民生实事，不断增强人民群众的获得感幸福感安全感。\n{stock}");
    docs.push(chachong::Document::new("copy-a", copied.clone()));
    docs.push(chachong::Document::new("copy-b", copied));
    let config = listing(
        Config::default().with_level(Level::Document),
        BoilerplateListing::Full,
    );
    let report = run(config, &docs);
    assert_eq!(report.clusters.len(), 1, "the two copies");
    let with_sentences: Vec<&str> = report
        .boilerplate
        .sentences
        .iter()
        .map(|s| s.document.as_str())
        .collect();
    assert!(with_sentences.contains(&"copy-a"), "{with_sentences:?}");
    assert!(with_sentences.contains(&"copy-b"), "{with_sentences:?}");
}
