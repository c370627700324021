//! How much a report holds: at the document level, a summary of the
//! boilerplate (bounded, the evidence unchanged), the boilerplate learned
//! from a sample and the first clusters analysed; everything on request and
//! when paragraphs are compared.

#[path = "support/generate.rs"]
mod generate;

use chachong::analysis::{LARGEST_ANALYSED, SUMMARY_CLUSTERS};
use chachong::boilerplate::{
    BoilerplateListing, SAMPLE_DOCUMENTS, SUMMARY_DOCUMENTS, SUMMARY_PHRASES,
};
use chachong::{Config, Deduplicator, Extent, Level, Report};

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

    // One document in a hundred, at least 200.
    assert_eq!(
        summary.boilerplate.summary_of,
        Some(*SUMMARY_DOCUMENTS.start())
    );
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

fn sampled(config: Config, sample: Extent) -> Config {
    let mut boilerplate = *config.boilerplate();
    boilerplate.sample = sample;
    config.with_boilerplate(boilerplate)
}

fn analysed(config: Config, clusters: Extent) -> Config {
    let mut analysis = *config.analysis();
    analysis.clusters = clusters;
    config.with_analysis(analysis)
}

/// The report without its timings.
fn json_of(report: &Report) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap();
    value.as_object_mut().unwrap().remove("stats");
    value
}

#[test]
fn a_corpus_run_learns_the_boilerplate_from_a_sample_chosen_by_id() {
    let docs = generate::scale_corpus(13, 1_500, 0.2).docs;
    let doc_level = Config::default().with_level(Level::Document);
    // One document in a hundred, at least 200: from 1,500, a sample of 200.
    let default = run(doc_level.clone(), &docs);
    assert_eq!(
        default.boilerplate.learned_from,
        Some(*SAMPLE_DOCUMENTS.start())
    );
    let whole = run(sampled(doc_level.clone(), Extent::All), &docs);
    assert_eq!(whole.boilerplate.learned_from, None);

    let sample = sampled(doc_level.clone(), Extent::AtMost(300));
    let from_sample = run(sample.clone(), &docs);
    assert_eq!(from_sample.boilerplate.learned_from, Some(300));
    // Fewer groups see a phrase, so the sample finds part of it: the
    // widespread part.
    let (some, all) = (from_sample.boilerplate.shingles, whole.boilerplate.shingles);
    assert!(0 < some && some < all, "{some} of {all}");
    // Chosen by id, not by place: reversed input, the same report.
    let mut reversed = docs.clone();
    reversed.reverse();
    assert_eq!(json_of(&run(sample, &reversed)), json_of(&from_sample));

    // Paragraphs compared: every document.
    let both = run(Config::default(), &docs[..400]);
    assert_eq!(both.boilerplate.learned_from, None);
}

#[test]
fn a_corpus_run_analyses_the_first_clusters_and_the_full_report_all() {
    let docs = generate::scale_corpus(14, 1_500, 0.2).docs;
    let doc_level = Config::default().with_level(Level::Document);
    let bounded = run(analysed(doc_level.clone(), Extent::AtMost(5)), &docs);
    let every = run(analysed(doc_level.clone(), Extent::All), &docs);
    assert!(every.clusters.len() > 10, "{}", every.clusters.len());
    let has =
        |r: &Report| -> Vec<bool> { r.clusters.iter().map(|c| c.analysis.is_some()).collect() };
    let mut first_five = vec![false; every.clusters.len()];
    first_five[..5].fill(true);
    assert_eq!(has(&bounded), first_five);
    assert!(has(&every).iter().all(|&a| a));
    // The bound leaves out analyses, never clusters, and the analyses it
    // keeps are the full report's.
    assert_eq!(bounded.clusters[..5], every.clusters[..5]);
    let members =
        |r: &Report| -> Vec<Vec<String>> { r.clusters.iter().map(|c| c.members.clone()).collect() };
    assert_eq!(members(&bounded), members(&every));
    assert_eq!(bounded.pairs, every.pairs);
    // By default at the document level one cluster in a hundred, at least
    // 10; comparing paragraphs, every cluster.
    let default = run(doc_level, &docs);
    let analysed_by_default = has(&default).iter().filter(|&&a| a).count();
    assert_eq!(analysed_by_default, *SUMMARY_CLUSTERS.start());
    let both = run(Config::default(), &docs[..300]);
    assert!(has(&both).iter().all(|&a| a));
}

#[test]
fn a_bounded_analysis_leaves_out_a_cluster_of_too_many_texts() {
    // The same page with a serial line: one cluster of distinct texts.
    let page = "各地区各部门要认真贯彻落实党中央决策部署，坚持稳中求进工作总基调，\
                完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展。";
    let docs: Vec<chachong::Document> = (0..LARGEST_ANALYSED + 20)
        .map(|k| chachong::Document::new(format!("d{k:05}"), format!("{page}\n编号{k:05}")))
        .collect();
    let doc_level = Config::default().with_level(Level::Document);
    let bounded = run(doc_level.clone(), &docs);
    assert_eq!(bounded.clusters.len(), 1);
    assert!(bounded.clusters[0].analysis.is_none());
    // Asked for every cluster, it is analysed whatever its size.
    let every = run(analysed(doc_level, Extent::All), &docs);
    assert!(every.clusters[0].analysis.is_some());
    assert_eq!(every.clusters[0].members, bounded.clusters[0].members);
}
