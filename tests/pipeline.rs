//! End-to-end expectations on the seed corpus (tests/data/speeches.txt; see
//! its README in shared/seed): one cluster {篇3, 篇5, 篇7, 篇9}, the body
//! paragraphs of those four matched across them, the four teasers found,
//! and no short heading called a copy of a long paragraph.

#[path = "support/generate.rs"]
mod generate;

use std::sync::LazyLock;

use chachong::paragraph::MatchKind;
use chachong::{Config, Deduplicator, Document, Method, Report};

static DOCS: LazyLock<Vec<Document>> = LazyLock::new(generate::speeches);

fn id(n: u32) -> String {
    format!("在全市高质量发展工作会议上的讲话篇{n}")
}

/// The one true cluster of the seed: 篇3, 篇5, 篇7, 篇9.
fn seed_cluster() -> Vec<String> {
    vec![id(3), id(5), id(7), id(9)]
}

/// Every cluster's members, in report order.
fn clusters(report: &Report) -> Vec<Vec<String>> {
    report.clusters.iter().map(|c| c.members.clone()).collect()
}

fn run(config: Config) -> Report {
    Deduplicator::new(config).unwrap().run(&DOCS).unwrap()
}

#[test]
fn seed_splits_into_nine_speeches() {
    assert_eq!(DOCS.len(), 9);
    assert_eq!(DOCS[0].id(), id(1));
    // The README's paragraph numbering: 篇2 p0 is 「同志们：」.
    assert_eq!(DOCS[1].paragraph_text(0), "同志们:");
}

#[test]
fn one_cluster_with_every_method() {
    for method in [Method::MinHash, Method::SimHash, Method::Exact] {
        let report = run(Config::default().with_method(method));
        assert_eq!(clusters(&report), [seed_cluster()], "{method:?}");
        assert_eq!(
            report.singletons(),
            [id(1), id(2), id(4), id(6), id(8)],
            "{method:?}"
        );
        assert_eq!(report.pairs.len(), 6, "{method:?}");
        for pair in &report.pairs {
            assert!(pair.jaccard >= 0.8, "{pair:?}");
        }
    }
}

#[test]
fn weighted_simhash_and_estimates_find_the_cluster() {
    let config = Config::default()
        .with_method(Method::SimHash)
        .with_weighted_simhash(true)
        .with_verification(chachong::Verification::Estimate);
    let report = run(config);
    assert_eq!(clusters(&report), [seed_cluster()]);
    for pair in &report.pairs {
        assert!(pair.estimated_jaccard.unwrap() >= 0.8, "{pair:?}");
    }
}

#[test]
fn exact_paragraph_matches_contain_the_indexed_ones() {
    // Every pair compared: what MinHash LSH + anchors report must be there.
    let exact = run(Config::default()
        .with_method(Method::Exact)
        .with_level(chachong::Level::Paragraph));
    let indexed = run(Config::default().with_level(chachong::Level::Paragraph));
    for m in &indexed.paragraph_matches {
        assert!(
            exact.paragraph_matches.contains(m)
                || exact.paragraph_matches.iter().any(|e| e.a == m.a
                    && e.a_paragraph == m.a_paragraph
                    && e.b == m.b
                    && e.b_paragraph == m.b_paragraph),
            "{m:?}"
        );
    }
    assert!(
        indexed.paragraph_matches.len() * 100 >= exact.paragraph_matches.len() * 95,
        "{} of {}",
        indexed.paragraph_matches.len(),
        exact.paragraph_matches.len()
    );
}

#[test]
fn representative_is_a_member() {
    let report = run(Config::default());
    let cluster = &report.clusters[0];
    assert!(cluster.members.contains(&cluster.representative));
}

fn matched(report: &Report, a: &str, pa: usize, b: &str) -> bool {
    report.paragraph_matches.iter().any(|m| {
        (m.a == a && m.a_paragraph == pa && m.b == b)
            || (m.b == a && m.b_paragraph == pa && m.a == b)
    })
}

#[test]
fn body_paragraphs_match_across_the_four_copies() {
    let report = run(Config::default());
    let copies = [3, 5, 7, 9];
    let mut checked = 0;
    for &x in &copies {
        let doc = DOCS.iter().find(|d| d.id() == id(x)).unwrap();
        for (p, paragraph) in doc.paragraphs().iter().enumerate() {
            let text = doc.paragraph_text(p);
            // Paragraphs under the minimum length are not evidence; 篇9's
            // closing 「推荐访问」 link is an advertisement, not body.
            if paragraph.char_len() < 10 || text.starts_with("推荐访问") {
                continue;
            }
            for &y in copies.iter().filter(|&&y| y != x) {
                assert!(
                    matched(&report, &id(x), p, &id(y)),
                    "篇{x} p{p} has no match in 篇{y}: {text}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn teasers_are_found_inside_their_speech() {
    let report = run(Config::default());
    for (speech, teaser, body) in [(1, 0, 17), (3, 0, 11), (6, 0, 17), (7, 0, 6)] {
        let found = report.paragraph_matches.iter().find(|m| {
            m.a == id(speech)
                && m.b == id(speech)
                && m.a_paragraph == teaser
                && m.b_paragraph == body
        });
        let m = found.unwrap_or_else(|| panic!("篇{speech} p{teaser} ~ p{body} not found"));
        assert!(m.containment >= 0.6, "{m:?}");
        // A teaser is a cut of the body plus an ad: containment, not
        // similarity, with both ranges.
        assert_eq!(m.kind, MatchKind::Contained, "{m:?}");
        assert!(m.a_range[1] > m.a_range[0] && m.b_range[1] > m.b_range[0]);
    }
    // 篇7's teaser is only the first sentences of p6 plus an ad: Jaccard is
    // low, so only containment can find it.
    let m = report
        .paragraph_matches
        .iter()
        .find(|m| m.a == id(7) && m.b == id(7) && m.a_paragraph == 0)
        .unwrap();
    assert_eq!(m.kind, MatchKind::Contained);
    assert!(m.jaccard < 0.3, "{m:?}");
}

#[test]
fn short_headings_are_not_copies_of_long_paragraphs() {
    let report = run(Config::default());
    let len = |doc: &str, p: usize| {
        DOCS.iter().find(|d| d.id() == doc).unwrap().paragraphs()[p].char_len()
    };
    for m in &report.paragraph_matches {
        let (la, lb) = (len(&m.a, m.a_paragraph), len(&m.b, m.b_paragraph));
        let (short, long) = (la.min(lb), la.max(lb));
        if short < 40 {
            assert!(
                long < 2 * short,
                "short paragraph matched a long one: {m:?}"
            );
        }
    }
    // And they do match their own copies in the other speeches.
    let heading = DOCS[2]
        .paragraphs()
        .iter()
        .position(|p| p.char_len() < 30 && p.char_len() > 10)
        .unwrap();
    assert!(matched(&report, &id(3), heading, &id(9)));
}

#[test]
fn greeting_is_not_evidence() {
    let report = run(Config::default());
    // 「同志们：」 opens eight speeches but is below min_chars.
    assert!(!report
        .paragraph_matches
        .iter()
        .any(|m| m.a == id(2) && m.a_paragraph == 0));
}

#[test]
fn levels_can_be_run_alone() {
    let docs_only = run(Config::default().with_level(chachong::Level::Document));
    assert!(docs_only.paragraph_matches.is_empty());
    assert_eq!(docs_only.clusters.len(), 1);
    let paras_only = run(Config::default().with_level(chachong::Level::Paragraph));
    assert!(paras_only.clusters.is_empty());
    assert_eq!(
        paras_only.paragraph_matches,
        run(Config::default()).paragraph_matches
    );
}

#[cfg(feature = "jieba")]
#[test]
fn word_tokens_find_the_same_cluster() {
    let report = run(Config::default()
        .with_tokens(chachong::tokenize::TokenKind::Word)
        .with_shingle_len(3));
    assert_eq!(clusters(&report), [seed_cluster()]);
}

#[test]
fn json_report_has_the_documented_keys() {
    let json = serde_json::to_value(run(Config::default())).unwrap();
    for key in [
        "config",
        "documents",
        "clusters",
        "pairs",
        "paragraph_matches",
        "passages",
        "contained",
        "revisions",
        "boilerplate",
        "chain_splits",
        "stats",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    let cluster = &json["clusters"][0];
    for key in [
        "members",
        "representative",
        "large",
        "canonical",
        "kind",
        "copies",
        "redactions",
        "reconstructed",
        "alignments",
    ] {
        assert!(cluster.get(key).is_some(), "{key}");
    }
    let pair = &json["pairs"][0];
    for key in [
        "a",
        "b",
        "jaccard",
        "estimated_jaccard",
        "containment_a_in_b",
        "containment_b_in_a",
    ] {
        assert!(pair.get(key).is_some(), "{key}");
    }
    let m = &json["paragraph_matches"][0];
    for key in [
        "a",
        "a_paragraph",
        "a_range",
        "b",
        "b_paragraph",
        "b_range",
        "jaccard",
        "containment",
    ] {
        assert!(m.get(key).is_some(), "{key}");
    }
    for key in [
        "read",
        "fingerprint",
        "candidates",
        "verify",
        "cluster",
        "boilerplate",
        "analysis",
        "total",
    ] {
        assert!(json["stats"]["timings_ms"].get(key).is_some(), "{key}");
    }
    assert_eq!(json["documents"][0]["paragraphs"], 22);
}

#[test]
fn different_speeches_are_no_revisions() {
    let report = run(Config::default());
    assert!(report.revisions.is_empty(), "{:?}", report.revisions);
    assert_eq!(clusters(&report), [seed_cluster()]);
}

#[test]
fn duplicate_ids_are_an_error() {
    let docs = [Document::new("x", "甲"), Document::new("x", "乙")];
    let err = Deduplicator::new(Config::default())
        .unwrap()
        .run(&docs)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "duplicate document id \"x\" (documents 0 and 1)"
    );
}

#[test]
fn empty_documents_are_kept_and_never_clustered() {
    let docs = [
        Document::new("a", ""),
        Document::new("b", "  \n\u{3000}"),
        Document::new("c", "同志们"),
    ];
    let report = Deduplicator::new(Config::default())
        .unwrap()
        .run(&docs)
        .unwrap();
    assert_eq!(report.documents.len(), 3);
    assert!(report.clusters.is_empty());
    assert_eq!(report.stats.empty_documents, 2);
}
