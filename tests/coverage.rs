//! 重复率 (`Report::coverage`) counted by hand on small corpora, and the
//! HTML page (`Report::to_html`) checked as a reader's browser would parse
//! it: balanced tags, escaped text, every link landing on the page, the
//! same bytes for the same input in any order.

#[path = "support/generate.rs"]
mod generate;

use std::collections::HashSet;

use chachong::{Config, Deduplicator, Document, Evidence, Level, Report};

/// 24 content characters (punctuation is not counted).
const SHARED: &str = "推进县域经济高质量发展，是新时代赋予我们的重大任务。";
/// 14.
const ONLY_A: &str = "今天天气很好，我们去公园散步吧。";
/// 11 + 7 = 18.
const ALSO_SHARED: &str = "明年的计划还没有定下来，大家再商量商量。";
/// 11 + 6 = 17.
const ONLY_B: &str = "这一段是乙自己写的内容，和甲没有关系。";

fn run(config: Config, docs: &[Document]) -> Report {
    Deduplicator::new(config).unwrap().run(docs).unwrap()
}

#[test]
fn shared_paragraphs_are_counted_by_hand() {
    let docs = [
        Document::new("a", format!("{SHARED}\n{ONLY_A}\n{ALSO_SHARED}")),
        Document::new("b", format!("{ALSO_SHARED}\n{ONLY_B}\n{SHARED}")),
        Document::new("c", ONLY_A),
    ];
    let report = run(Config::default().with_level(Level::Paragraph), &docs);
    let coverage = report.coverage(&docs);
    let figures: Vec<(&str, usize, usize, usize)> = coverage
        .iter()
        .map(|c| {
            (
                c.document.as_str(),
                c.content_chars,
                c.copied_chars,
                c.boilerplate_chars,
            )
        })
        .collect();
    // c's one paragraph is a's second: a shares 24 + 18 with b and 14 with c.
    assert_eq!(
        figures,
        [("a", 56, 56, 0), ("b", 59, 42, 0), ("c", 14, 14, 0)]
    );
    assert!((coverage[1].rate - 42.0 / 59.0).abs() < 1e-12);
    let sources: HashSet<(&str, &str)> = coverage
        .iter()
        .flat_map(|c| {
            c.spans
                .iter()
                .map(move |s| (c.document.as_str(), s.source.as_str()))
        })
        .collect();
    let expected = [("a", "b"), ("a", "c"), ("b", "a"), ("c", "a")];
    assert_eq!(sources, expected.into_iter().collect::<HashSet<_>>());
    assert!(coverage
        .iter()
        .flat_map(|c| &c.spans)
        .all(|s| s.evidence == Evidence::Paragraph));
}

#[test]
fn in_a_cluster_masks_are_copied_and_substitutions_are_not() {
    let speeches = generate::speeches();
    let original = speeches[2].text().to_string(); // 篇3, unmasked.
    assert!(original.contains("2014年") && original.contains("福州"));
    let masked = original.replacen("2014年", "****年", 1);
    let substituted = original.replacen("福州", "厦门", 1);
    let docs = [
        Document::new("a-original", original.clone()),
        Document::new("b-masked", masked),
        Document::new("c-substituted", substituted),
    ];
    let mut config = Config::default();
    let mut boilerplate = *config.boilerplate();
    boilerplate.enabled = false;
    config = config.with_boilerplate(boilerplate);
    let report = run(config, &docs);
    assert_eq!(report.clusters.len(), 1);
    let analysis = report.clusters[0].analysis.as_ref().unwrap();
    assert_eq!(analysis.canonical, "a-original");
    let coverage = report.coverage(&docs);
    let content = |text: &str| {
        text.chars()
            .filter(|c| c.is_alphanumeric() || *c == '*')
            .count()
    };
    let n = content(&original);
    // The mask replaces four digits by four `*`, counted alike: all copied.
    assert_eq!(
        (coverage[1].content_chars, coverage[1].copied_chars),
        (n, n)
    );
    // 厦门 is not what the canonical copy says: two characters not copied,
    // and 福州 is still copied into b-masked, so a keeps it.
    assert_eq!(
        (coverage[2].content_chars, coverage[2].copied_chars),
        (n, n - 2)
    );
    assert_eq!(
        (coverage[0].content_chars, coverage[0].copied_chars),
        (n, n)
    );
    assert!(coverage
        .iter()
        .flat_map(|c| &c.spans)
        .all(|s| s.evidence == Evidence::Aligned));
}

#[test]
fn identical_texts_are_wholly_copied_however_many() {
    let text = format!("{SHARED}\n{ALSO_SHARED}\n{ONLY_B}");
    let docs: Vec<Document> = (0..200)
        .map(|i| Document::new(format!("{i:03}"), text.clone()))
        .collect();
    let report = run(Config::default().with_level(Level::Document), &docs);
    let coverage = report.coverage(&docs);
    assert!(
        coverage
            .iter()
            .all(|c| c.content_chars == 59 && c.copied_chars == 59),
        "{:?}",
        &coverage[..2]
    );
    assert!(coverage[1]
        .spans
        .iter()
        .any(|s| s.evidence == Evidence::Identical && s.source == "000"));
}

/// The seed's report as a page: tags balance, ids are unique, every link
/// lands on an id of the page.
#[test]
fn the_seed_page_is_well_formed_and_its_links_land() {
    let docs = generate::speeches();
    let report = run(Config::default(), &docs);
    let page = report.to_html(&docs);
    let (ids, hrefs) = check_tags(&page);
    assert_eq!(
        ids.len(),
        ids.iter().collect::<HashSet<_>>().len(),
        "ids repeat"
    );
    let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
    for href in &hrefs {
        let target = href.strip_prefix('#').expect("links stay on the page");
        assert!(
            ids.contains(target),
            "a link to #{target}, which is not on the page"
        );
    }
    assert!(hrefs.len() > 300, "{} links", hrefs.len());
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page fetches nothing"
    );
}

#[test]
fn text_and_ids_are_escaped() {
    let evil = "<script>alert('x')</script> & \"quoted\"";
    let docs = [
        Document::new(format!("{evil}-1"), format!("{SHARED}\n{evil}")),
        Document::new(format!("{evil}-2"), format!("{SHARED}\n{evil}")),
    ];
    let page = run(Config::default(), &docs).to_html(&docs);
    assert!(!page.contains("<script>alert"));
    assert!(
        page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;")
    );
    check_tags(&page);
}

#[test]
fn the_same_documents_in_another_order_give_the_same_page() {
    let mut docs = generate::speeches();
    let page = run(Config::default(), &docs).to_html(&docs);
    docs.reverse();
    assert_eq!(run(Config::default(), &docs).to_html(&docs), page);
}

/// Checks that every element the page opens is closed in order (void
/// elements aside); returns the ids and the link targets.
fn check_tags(page: &str) -> (Vec<String>, Vec<String>) {
    const VOID: [&str; 3] = ["meta", "br", "!DOCTYPE"];
    let body = page.split("<script>").next().unwrap();
    let (mut stack, mut ids, mut hrefs) = (Vec::new(), Vec::new(), Vec::new());
    let mut rest = body;
    while let Some(at) = rest.find('<') {
        let end = rest[at..].find('>').expect("an unclosed tag") + at;
        let tag = &rest[at + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name),
                "</{name}> closes the wrong element"
            );
            continue;
        }
        let name = tag.split([' ', '>']).next().unwrap().to_string();
        for (attr, into) in [(" id=\"", &mut ids), (" href=\"", &mut hrefs)] {
            if let Some(v) = tag.split(attr).nth(1) {
                into.push(v.split('"').next().unwrap().to_string());
            }
        }
        if !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert_eq!(stack, ["html", "body"], "elements left open");
    (ids, hrefs)
}

/// A cluster of nine: the canonical copy and five copies side by side (the
/// most changed), all nine listed.
#[test]
fn a_large_cluster_shows_five_copies_side_by_side_and_lists_all() {
    let speeches = generate::speeches();
    let original = speeches[2].text().to_string();
    let mut docs = vec![Document::new("c0", original.clone())];
    for i in 1..9 {
        // Copies 1–3 as they are, 4–8 with a place changed.
        let text = if i <= 3 {
            original.clone()
        } else {
            original.replacen("福州", ["厦门", "泉州", "漳州", "莆田", "宁德"][i - 4], 1)
        };
        docs.push(Document::new(format!("c{i}"), text + &"。".repeat(i)));
    }
    let page = run(Config::default(), &docs).to_html(&docs);
    let table = page.split("<div class=\"side-by-side\">").nth(1).unwrap();
    let head = table.split("</thead>").next().unwrap();
    assert_eq!(head.matches("<th>").count(), 6, "{head}");
    for changed in ["c4", "c5", "c6", "c7", "c8"] {
        assert!(
            head.contains(&format!(">{changed}</a>")),
            "{changed} is shown"
        );
    }
    assert!(table.contains("The canonical copy and 5 of the 8 copies"));
    let listed = page
        .split("<ul class=\"copies\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    assert_eq!(listed.matches("<li ").count(), 8);
}
