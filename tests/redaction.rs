//! Redaction-aware matching, alignment, reconstruction, kinds of copy and
//! boilerplate: on the seed (篇5 and 篇7 are 篇9 with figures and places
//! masked), and on a corpus built here from real seed paragraphs with known
//! edits, whose expected labels, redaction maps and reconstructions are
//! asserted exactly.

#[path = "support/generate.rs"]
mod generate;

use std::sync::LazyLock;

use chachong::analysis::CopyKind;
use chachong::paragraph::MatchKind;
use chachong::{Config, Deduplicator, Document, Report};
use regex::Regex;

static DOCS: LazyLock<Vec<Document>> = LazyLock::new(generate::speeches);

static REPORT: LazyLock<Report> = LazyLock::new(|| {
    Deduplicator::new(Config::default())
        .unwrap()
        .run(&DOCS)
        .unwrap()
});

fn id(n: usize) -> String {
    format!("在全市高质量发展工作会议上的讲话篇{n}")
}

fn doc(n: usize) -> &'static Document {
    &DOCS[n - 1]
}

/// Characters `range` of `text`.
fn chars(text: &str, range: [usize; 2]) -> String {
    text.chars()
        .skip(range[0])
        .take(range[1] - range[0])
        .collect()
}

#[test]
fn redaction_aware_jaccard_separates_copies_from_other_speeches() {
    let dedup = Deduplicator::new(Config::default()).unwrap();
    for (a, b) in [(9, 5), (3, 7)] {
        let e = dedup.explain(doc(a), doc(b)).unwrap();
        assert!(
            e.figures.redaction_aware_jaccard >= 0.97,
            "篇{a} ~ 篇{b}: {}",
            e.figures.redaction_aware_jaccard
        );
        // Masked shingles alone leave the plain Jaccard near 0.92.
        assert!(e.jaccard < 0.95, "{}", e.jaccard);
    }
    let copies = [3, 5, 7, 9];
    for a in 1..=9 {
        for b in a + 1..=9 {
            if copies.contains(&a) && copies.contains(&b) {
                continue;
            }
            let e = dedup.explain(doc(a), doc(b)).unwrap();
            assert!(
                e.figures.redaction_aware_jaccard <= 0.05,
                "篇{a} ~ 篇{b}: {}",
                e.figures.redaction_aware_jaccard
            );
        }
    }
}

#[test]
fn seed_cluster_is_redacted_with_a_complete_canonical_copy() {
    let cluster = &REPORT.clusters[0];
    assert_eq!(cluster.members, [id(3), id(5), id(7), id(9)]);
    let analysis = cluster.analysis.as_ref().unwrap();
    assert_eq!(analysis.kind, CopyKind::Redacted);
    assert!(analysis.canonical == id(3) || analysis.canonical == id(9));
    for copy in &analysis.copies {
        let expected = if copy.document == id(5) || copy.document == id(7) {
            CopyKind::Redacted
        } else {
            CopyKind::Verbatim
        };
        assert_eq!(copy.kind, Some(expected), "{copy:?}");
        assert!(!copy.reason.is_empty());
    }
}

#[test]
fn redaction_map_of_5_shows_the_years_and_places_9_has() {
    let analysis = REPORT.clusters[0].analysis.as_ref().unwrap();
    let (t5, t9) = (doc(5).text(), doc(9).text());
    let of_5_against_9: Vec<_> = analysis
        .redactions
        .iter()
        .filter(|r| r.document == id(5) && r.other == id(9))
        .collect();
    for r in &of_5_against_9 {
        // The offsets are right: the texts at them are what is reported.
        assert_eq!(chars(t5, r.range), r.masked, "{r:?}");
        assert_eq!(chars(t9, r.other_range), r.value, "{r:?}");
    }
    let year = of_5_against_9
        .iter()
        .find(|r| r.masked == "****" && r.value == "2014")
        .expect("****年 ~ 2014年");
    assert_eq!(chars(t5, [year.range[0], year.range[1] + 1]), "****年");
    assert_eq!(
        chars(t9, [year.other_range[0], year.other_range[1] + 1]),
        "2014年"
    );
    assert!(of_5_against_9
        .iter()
        .any(|r| r.masked == "**" && r.value == "福州"));
    assert!(of_5_against_9
        .iter()
        .any(|r| r.masked == "****" && r.value == "浙江嘉善"));
}

/// Non-empty lines, trimmed, with inner whitespace removed.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<String>())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn reconstruction_of_5_is_9_except_where_3_and_9_disagree() {
    let analysis = REPORT.clusters[0].analysis.as_ref().unwrap();
    let rebuilt = analysis
        .reconstructed
        .iter()
        .find(|r| r.document == id(5))
        .unwrap();
    assert!(rebuilt.filled > 150, "{}", rebuilt.filled);
    assert_eq!(rebuilt.conflicting, 0);
    let three = lines(doc(3).text());
    let expected: Vec<String> = lines(doc(9).text())
        .into_iter()
        .filter(|l| three.contains(l))
        .collect();
    assert_eq!(lines(&rebuilt.text), expected);
}

#[test]
fn greeting_and_site_ads_are_boilerplate() {
    let sentences = &REPORT.boilerplate.sentences;
    let greeted: Vec<&str> = sentences
        .iter()
        .filter(|s| s.text == "同志们:")
        .map(|s| s.document.as_str())
        .collect();
    assert!(greeted.len() >= 6, "{greeted:?}");
    for n in [1, 3, 6, 7] {
        assert!(
            sentences.iter().any(|s| s.document == id(n)
                && s.text.starts_with("下面是")
                && s.text.contains("小编")
                && s.text.contains("推荐")),
            "篇{n}'s ad"
        );
    }
    assert!(REPORT
        .boilerplate
        .phrases
        .iter()
        .any(|p| p.text.contains("小编为您推荐") && p.groups >= 3));
}

#[test]
fn teasers_are_containment_and_short_headings_are_not() {
    for (n, teaser, body) in [(1, 0, 17), (3, 0, 11), (6, 0, 17), (7, 0, 6)] {
        let m = REPORT
            .paragraph_matches
            .iter()
            .find(|m| {
                m.a == id(n) && m.b == id(n) && m.a_paragraph == teaser && m.b_paragraph == body
            })
            .unwrap_or_else(|| panic!("篇{n} teaser"));
        assert_eq!(m.kind, MatchKind::Contained, "{m:?}");
    }
    for m in &REPORT.paragraph_matches {
        if m.kind == MatchKind::Contained {
            let shorter = (m.a_range[1] - m.a_range[0]).min(m.b_range[1] - m.b_range[0]);
            assert!(shorter >= 40, "{m:?}");
        }
    }
}

#[test]
fn alignment_rows_cover_every_paragraph_of_every_member() {
    let cluster = &REPORT.clusters[0];
    let analysis = cluster.analysis.as_ref().unwrap();
    for member in &cluster.members {
        let mut seen: Vec<usize> = analysis
            .alignments
            .iter()
            .flat_map(|row| &row.paragraphs)
            .filter(|p| &p.document == member)
            .map(|p| p.paragraph)
            .collect();
        seen.sort_unstable();
        let n = DOCS
            .iter()
            .find(|d| d.id() == member)
            .unwrap()
            .paragraphs()
            .len();
        assert_eq!(seen, (0..n).collect::<Vec<_>>(), "{member}");
    }
}

// --- A corpus with known edits -------------------------------------------

const AD: &str = "下面是范文网小编为您推荐的讲话材料,欢迎阅读参考。";

/// Paragraphs `range` of seed speech `n`, one per line.
fn body(n: usize, range: std::ops::Range<usize>) -> Vec<String> {
    range
        .map(|p| doc(n).paragraph_text(p).to_string())
        .collect()
}

/// Figures and 福州 masked with `*`, one per character.
fn mask(text: &str) -> String {
    let pattern = Regex::new(r"\d+(\.\d+)?|福州").unwrap();
    pattern
        .replace_all(text, |c: &regex::Captures| {
            c[0].chars()
                .map(|ch| if ch == '.' { '.' } else { '*' })
                .collect::<String>()
        })
        .into_owned()
}

struct Built {
    docs: Vec<Document>,
    original: String,
}

/// Three unrelated groups, each carrying the same site ad somewhere (so the
/// ad is boilerplate):
/// - a: 篇9 p1..p9 (`a0`), the same masked (`a1`), and the same with p3 and
///   p6 swapped and the ad inserted (`a2`);
/// - b: 篇2 p1..p12 with 「全市」 filled in as 「郑州市」 (`b0`) and as
///   「洛阳市」 with the ad at the end (`b1`);
/// - c: 篇4 p1..p14 (`c0`) and the same with the ad first (`c1`).
fn built() -> Built {
    let a = body(9, 1..10);
    let original = a.join("\n");
    let mut moved = a.clone();
    moved.swap(3, 6);
    moved.insert(1, AD.to_string());
    let b = body(2, 1..13).join("\n");
    let c = body(4, 1..15).join("\n");
    let docs = vec![
        Document::new("a0", original.clone()),
        Document::new("a1", mask(&original)),
        Document::new("a2", moved.join("\n")),
        Document::new("b0", b.replace("全市", "郑州市")),
        Document::new("b1", format!("{}\n{AD}", b.replace("全市", "洛阳市"))),
        Document::new("c0", c.clone()),
        Document::new("c1", format!("{AD}\n{c}")),
    ];
    Built { docs, original }
}

/// A cluster's members, its kind, and each copy's kind.
type Labels = (Vec<String>, CopyKind, Vec<(String, CopyKind)>);

fn kinds(report: &Report) -> Vec<Labels> {
    report
        .clusters
        .iter()
        .map(|c| {
            let a = c.analysis.as_ref().unwrap();
            let copies = a
                .copies
                .iter()
                .map(|f| (f.document.clone(), f.kind.unwrap()))
                .collect();
            (c.members.clone(), a.kind, copies)
        })
        .collect()
}

#[test]
fn known_edits_get_their_labels() {
    let built = built();
    let report = Deduplicator::new(Config::default())
        .unwrap()
        .run(&built.docs)
        .unwrap();
    let s = |x: &str| x.to_string();
    assert_eq!(
        kinds(&report),
        [
            (
                vec![s("a0"), s("a1"), s("a2")],
                CopyKind::Redacted,
                vec![(s("a1"), CopyKind::Redacted), (s("a2"), CopyKind::Verbatim)]
            ),
            (
                vec![s("b0"), s("b1")],
                CopyKind::Template,
                vec![(s("b1"), CopyKind::Template)]
            ),
            (
                vec![s("c0"), s("c1")],
                CopyKind::Verbatim,
                vec![(s("c1"), CopyKind::Verbatim)]
            ),
        ]
    );
    // The ad is found as boilerplate in all three groups.
    assert!(
        report
            .boilerplate
            .sentences
            .iter()
            .filter(|x| x.text == AD)
            .count()
            == 3
    );
    let a = report.clusters[0].analysis.as_ref().unwrap();
    assert_eq!(a.canonical, "a0");
    let moved = a.copies.iter().find(|f| f.document == "a2").unwrap();
    // p3 and p6 swapped places: neither is in order with the rest.
    assert_eq!(moved.moved_paragraphs, 2);
    assert_eq!(moved.inserted_paragraphs, 1);
    assert_eq!(
        moved.boilerplate_chars,
        AD.chars().filter(|c| c.is_alphanumeric()).count()
    );
    assert_eq!(moved.edited_chars, 0);
}

#[test]
fn known_masks_give_the_exact_redaction_map_and_reconstruction() {
    let built = built();
    let report = Deduplicator::new(Config::default())
        .unwrap()
        .run(&built.docs)
        .unwrap();
    let a = report.clusters[0].analysis.as_ref().unwrap();
    // Every figure and every 福州 of the original, in order, against a0
    // (a2 shows the same values, moved paragraphs and all).
    let pattern = Regex::new(r"\d+(\.\d+)?|福州").unwrap();
    let char_at = |byte: usize| built.original[..byte].chars().count();
    let expected: Vec<([usize; 2], String)> = pattern
        .find_iter(&built.original)
        .map(|m| {
            (
                [char_at(m.start()), char_at(m.end())],
                m.as_str().to_string(),
            )
        })
        .collect();
    assert!(expected.len() > 20, "{}", expected.len());
    let got: Vec<([usize; 2], String)> = a
        .redactions
        .iter()
        .filter(|r| r.document == "a1" && r.other == "a0")
        .map(|r| (r.other_range, r.value.clone()))
        .collect();
    assert_eq!(got, expected);
    for r in a
        .redactions
        .iter()
        .filter(|r| r.document == "a1" && r.other == "a0")
    {
        assert_eq!(r.range, r.other_range, "same layout: {r:?}");
        assert_eq!(r.masked, mask(&r.value));
    }
    let rebuilt = a.reconstructed.iter().find(|r| r.document == "a1").unwrap();
    assert_eq!(rebuilt.text, built.original);
    // The masks 篇9 itself has (`***` for names, `**` for places) stay.
    let own_masks = Regex::new(r"\*+")
        .unwrap()
        .find_iter(&built.original)
        .count();
    assert_eq!((rebuilt.conflicting, rebuilt.unknown), (0, own_masks));
    assert_eq!(
        rebuilt.filled,
        expected
            .iter()
            .map(|e| mask(&e.1).matches('.').count() + 1)
            .sum::<usize>()
    );
}

#[test]
fn boilerplate_does_not_erase_a_corpus_recombined_from_few_sentences() {
    // Every sentence of the generated corpus recurs in many unrelated
    // documents, so nearly every shingle is boilerplate; pairs made almost
    // only of it must be compared whole, or every planted copy is lost.
    let corpus = generate::scale_corpus(7, 1_500, 0.2);
    let lean = |boilerplate: bool| {
        let config = Config::default()
            .with_level(chachong::Level::Document)
            .with_analysis(chachong::analysis::AnalysisConfig {
                enabled: false,
                ..Default::default()
            })
            .with_boilerplate(chachong::boilerplate::BoilerplateConfig {
                enabled: boilerplate,
                ..Default::default()
            });
        Deduplicator::new(config)
            .unwrap()
            .run(&corpus.docs)
            .unwrap()
    };
    let (with, without) = (lean(true), lean(false));
    assert!(
        with.boilerplate.shingles > 1_000,
        "{}",
        with.boilerplate.shingles
    );
    assert!(!without.pairs.is_empty());
    assert_eq!(with.pairs.len(), without.pairs.len());
}
