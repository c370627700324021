//! Accuracy rules on corpora built to test them: boilerplate never takes a
//! true copy below the threshold, revisions are found through the text two
//! versions share in order, and regulations filled from one template are
//! neither.

use chachong::boilerplate::BoilerplateConfig;
use chachong::normalize::Normalizer;
use chachong::revision::RevisionConfig;
use chachong::{Config, Deduplicator, Document, Report};

/// Deterministic text: articles of ideographs drawn from 2,000, so that
/// two articles share no 5-character shingle by chance.
struct Articles(u64);

impl Articles {
    /// `chars` ideographs drawn from the first 2,000, passing over the
    /// traditional ones the normaliser folds into others: the text is as
    /// distinct as it looks.
    fn article(&mut self, chars: usize) -> String {
        let normalizer = Normalizer::default();
        let mut text = String::new();
        while text.chars().count() < chars {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let c = char::from_u32(0x4E00 + ((self.0 >> 33) % 2000) as u32).unwrap();
            let one = c.to_string();
            if normalizer.normalize(&one).text() == one {
                text.push(c);
            }
        }
        text
    }

    fn articles(&mut self, n: usize) -> Vec<String> {
        (0..n).map(|_| self.article(60)).collect()
    }
}

fn document(id: &str, title: &str, articles: &[String]) -> Document {
    let mut text = format!("# {title}\n\n");
    for (i, a) in articles.iter().enumerate() {
        text.push_str(&format!("第{}条 {a}\n\n", i + 1));
    }
    Document::new(id, text)
}

fn run(config: Config, docs: &[Document]) -> Report {
    Deduplicator::new(config).unwrap().run(docs).unwrap()
}

fn clustered(report: &Report, a: &str, b: &str) -> bool {
    report
        .clusters
        .iter()
        .any(|c| c.members.iter().any(|m| m == a) && c.members.iter().any(|m| m == b))
}

/// Two versions of a regulation that is 40% stock articles (found in three
/// unrelated regulations too), four of its own thirty articles rewritten:
/// Jaccard 0.85 whole, below 0.8 without the stock articles.
fn stock_corpus() -> Vec<Document> {
    let mut text = Articles(7);
    let stock = text.articles(20);
    let own = text.articles(30);
    let mut revised = own.clone();
    for article in revised.iter_mut().skip(3).step_by(7).take(4) {
        *article = text.article(60);
    }
    let with_stock = |own: &[String]| [stock.clone(), own.to_vec()].concat();
    let mut docs = vec![
        document("v1", "甲市物业管理条例", &with_stock(&own)),
        document("v2", "甲市物业管理条例", &with_stock(&revised)),
    ];
    for (i, name) in ["乙市养犬管理条例", "丙市河道管理条例", "丁市供水条例"]
        .iter()
        .enumerate()
    {
        docs.push(document(
            &format!("u{i}"),
            name,
            &with_stock(&text.articles(30)),
        ));
    }
    docs
}

#[test]
fn stock_articles_do_not_take_a_version_below_the_threshold() {
    let docs = stock_corpus();
    let report = run(Config::default(), &docs);
    assert!(clustered(&report, "v1", "v2"), "{:?}", report.clusters);
    assert_eq!(report.clusters.len(), 1);
    // The stock articles are boilerplate all the same.
    assert!(report.boilerplate.shingles > 0);
    // Left out of the evidence whatever their share (the rule before),
    // they took the pair below 0.8.
    let removed = Config::default().with_boilerplate(BoilerplateConfig {
        min_pair_share: 0.0,
        ..BoilerplateConfig::default()
    });
    assert!(!clustered(&run(removed, &docs), "v1", "v2"));
}

/// A regulation and its amended version (of every 8 articles one dropped,
/// two rewritten, one inserted: 25 of 40 kept, Jaccard about 0.45), four
/// cities' regulations filled from one template (30 articles in common, 20
/// of their own), and an unrelated one.
fn revision_corpus() -> Vec<Document> {
    let mut text = Articles(11);
    let original = text.articles(40);
    let mut amended: Vec<String> = Vec::new();
    for (i, article) in original.iter().enumerate() {
        match i % 8 {
            0 => {}
            1 | 4 => amended.push(text.article(60)),
            _ => amended.push(article.clone()),
        }
        if i % 8 == 7 {
            amended.push(text.article(60));
        }
    }
    let template = text.articles(30);
    let mut docs = vec![
        document("law-2001", "中华人民共和国统计法", &original),
        document("law-2009", "中华人民共和国统计法", &amended),
        document("other", "中华人民共和国森林法", &text.articles(40)),
    ];
    for city in ["嘉兴", "丽水", "衢州", "舟山"] {
        let articles = [template.clone(), text.articles(20)].concat();
        let title = format!("{city}市制定地方性法规条例");
        docs.push(document(&format!("city-{city}"), &title, &articles));
    }
    docs
}

#[test]
fn an_amended_version_is_a_revision_and_a_template_is_not() {
    let docs = revision_corpus();
    let report = run(Config::default(), &docs);
    assert!(report.clusters.is_empty(), "{:?}", report.clusters);
    let pairs: Vec<(&str, &str)> = report
        .revisions
        .iter()
        .map(|r| (r.a.as_str(), r.b.as_str()))
        .collect();
    assert_eq!(pairs, [("law-2001", "law-2009")]);
    let r = &report.revisions[0];
    assert!(r.order > 0.99, "{r:?}");
    assert!(r.a_coverage > 0.5 && r.b_coverage > 0.5, "{r:?}");
    // 25 of 2001's 40 articles are kept whole (its title, 10 characters,
    // may join them); it has 41 paragraphs with the title.
    assert!((25..=26).contains(&r.a_paragraphs[0]), "{r:?}");
    assert_eq!(r.a_paragraphs[1], 41);
    assert_eq!(r.title_similarity, 1.0);
    // The template's documents share as much text, in the same order: only
    // their titles tell them apart.
    let untitled = Config::default().with_revisions(RevisionConfig {
        min_title_similarity: 0.0,
        ..RevisionConfig::default()
    });
    let report = run(untitled, &docs);
    assert_eq!(report.revisions.len(), 1 + 6, "{:?}", report.revisions);
    assert!(report.revisions.iter().all(|r| r.a != "other"));
}

#[test]
fn articles_moved_about_are_no_revision() {
    let mut docs = revision_corpus();
    docs.truncate(2);
    // The amended version's articles in reverse order: the text is shared,
    // the order is not.
    let text = docs[1].text().to_string();
    let mut paragraphs: Vec<&str> = text.split("\n\n").collect();
    paragraphs[1..].reverse();
    docs[1] = Document::new("law-2009", paragraphs.join("\n\n"));
    let report = run(Config::default(), &docs);
    assert!(report.revisions.is_empty(), "{:?}", report.revisions);
}
