//! The persistent index: a query against an index of A finds what a run
//! over A ∪ B finds between B and A and inside B; the seed as a reference
//! library; one writer at a time; a damaged file named, never a wrong
//! answer; a killed writer leaves the old state or the new one.

#[path = "support/generate.rs"]
mod generate;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use chachong::analysis::CopyKind;
use chachong::index::Index;
use chachong::{Config, Deduplicator, Document, ErrorKind, Level, Report};

fn config(level: Level) -> Config {
    let mut config = Config::default().with_level(level);
    let mut boilerplate = *config.boilerplate();
    boilerplate.enabled = false;
    config = config.with_boilerplate(boilerplate);
    config
}

/// Pairs touching `batch`, as (a, b, Jaccard to 9 places).
fn pairs_touching(report: &Report, batch: &BTreeSet<String>) -> BTreeSet<(String, String, String)> {
    report
        .pairs
        .iter()
        .filter(|p| batch.contains(&p.a) || batch.contains(&p.b))
        .map(|p| (p.a.clone(), p.b.clone(), format!("{:.9}", p.jaccard)))
        .collect()
}

#[test]
fn a_query_finds_the_pairs_a_run_over_both_halves_finds() {
    let corpus = generate::scale_corpus(11, 3000, 0.3).docs;
    // Split by id: the first half indexed, the second queried.
    let mut ids: Vec<&str> = corpus.iter().map(Document::id).collect();
    ids.sort_unstable();
    let cut = ids[ids.len() / 2].to_string();
    let (old, new): (Vec<Document>, Vec<Document>) =
        corpus.iter().cloned().partition(|d| d.id() < cut.as_str());
    let config = config(Level::Document);
    let dir = tempfile::tempdir().unwrap();
    let mut index = Index::create(dir.path().join("idx"), config.clone()).unwrap();
    // In two adds, so that a query reads two segments.
    let (first, second) = old.split_at(old.len() / 3);
    index.add(first).unwrap();
    index.add(second).unwrap();
    let index = Index::open(dir.path().join("idx")).unwrap();
    assert_eq!(index.stats().documents as usize, old.len());
    let queried = index.query(&new).unwrap();
    let whole = Deduplicator::new(config).unwrap().run(&corpus).unwrap();
    let batch: BTreeSet<String> = new.iter().map(|d| d.id().to_string()).collect();
    let expected = pairs_touching(&whole, &batch);
    assert!(expected.len() > 100, "{} pairs", expected.len());
    assert!(
        expected.iter().any(|(a, _, _)| !batch.contains(a)),
        "pairs across the halves"
    );
    let found = pairs_touching(&queried, &batch);
    let missed: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:?}, extra {extra:?}"
    );
    // The report speaks of the batch: its documents and the indexed ones
    // it names, clusters holding one of its documents.
    let listed: BTreeSet<&str> = queried.documents.iter().map(|d| d.id.as_str()).collect();
    assert!(batch.iter().all(|id| listed.contains(id.as_str())));
    for p in &queried.pairs {
        assert!(listed.contains(p.a.as_str()) && listed.contains(p.b.as_str()));
    }
    assert!(listed.len() > new.len() && listed.len() < corpus.len());
    assert!(queried
        .clusters
        .iter()
        .all(|c| c.members.iter().any(|m| batch.contains(m))));
}

#[test]
fn the_seed_as_a_reference_library() {
    let seed = generate::speeches();
    let speech = |n: &str| seed.iter().find(|d| d.id().ends_with(n)).unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let mut index = Index::create(dir.path(), config(Level::Both)).unwrap();
    index.add(&[speech("篇9"), speech("篇1")]).unwrap();
    let report = index.query(&[speech("篇5")]).unwrap();
    assert_eq!(report.clusters.len(), 1);
    let cluster = &report.clusters[0];
    let members: Vec<&str> = cluster.members.iter().map(|m| &m[m.len() - 4..]).collect();
    assert_eq!(members, ["篇5", "篇9"]);
    let analysis = cluster.analysis.as_ref().unwrap();
    assert_eq!(analysis.canonical, speech("篇9").id());
    assert_eq!(analysis.kind, CopyKind::Redacted);
    // Every body paragraph of 篇5 is matched to 篇9's, with both ranges.
    let five = speech("篇5");
    let matched: BTreeSet<usize> = report
        .paragraph_matches
        .iter()
        .filter(|m| m.a != m.b)
        .map(|m| {
            if m.a == five.id() {
                m.a_paragraph
            } else {
                m.b_paragraph
            }
        })
        .collect();
    let body: Vec<usize> = (0..five.paragraphs().len())
        .filter(|&p| five.paragraph_text(p).chars().count() > 40)
        .collect();
    assert!(body.len() > 20);
    for p in body {
        assert!(matched.contains(&p), "paragraph {p} of 篇5 unmatched");
    }
    let m = &report.paragraph_matches[0];
    assert!(m.a_range[0] < m.a_range[1] && m.b_range[0] < m.b_range[1]);
}

/// Paragraph matches touching `batch`, as (a, paragraph, b, paragraph,
/// kind).
fn matches_touching(report: &Report, batch: &BTreeSet<String>) -> BTreeSet<String> {
    report
        .paragraph_matches
        .iter()
        .filter(|m| batch.contains(&m.a) || batch.contains(&m.b))
        .map(|m| {
            format!(
                "{} {} {} {} {:?} {:?} {:?}",
                m.a, m.a_paragraph, m.b, m.b_paragraph, m.kind, m.a_range, m.b_range
            )
        })
        .collect()
}

#[test]
fn paragraphs_copied_from_several_documents_are_found_paragraph_by_paragraph() {
    let seed = generate::speeches();
    let speech = |n: &str| seed.iter().find(|d| d.id().ends_with(n)).unwrap().clone();
    let long_paragraphs = |d: &Document, min: usize| -> Vec<String> {
        (0..d.paragraphs().len())
            .map(|p| d.paragraph_text(p).to_string())
            .filter(|t| t.chars().count() >= min)
            .collect()
    };
    let (one, two, four) = (speech("篇1"), speech("篇2"), speech("篇4"));
    // Two paragraphs of 篇1 whole; the first 70 characters of a long
    // paragraph of 篇2 with a line of its own (contained, not similar);
    // the rest from 篇4, which is not indexed.
    let from_one = long_paragraphs(&one, 60);
    let longest_of_two = long_paragraphs(&two, 150).remove(0);
    let teaser: String =
        longest_of_two.chars().take(70).collect::<String>() + "（本文来源于网络，仅供学习参考。）";
    let mut parts = vec![from_one[0].clone(), teaser, from_one[1].clone()];
    parts.extend(long_paragraphs(&four, 40).into_iter().take(12));
    let new = Document::new("新报告", parts.join("\n"));

    let both = config(Level::Both);
    let dir = tempfile::tempdir().unwrap();
    let mut index = Index::create(dir.path(), both.clone()).unwrap();
    index.add(&[one.clone(), speech("篇9")]).unwrap();
    index.add(std::slice::from_ref(&two)).unwrap();
    assert!(index.stats().paragraph_bytes > 0);
    let report = index.query(std::slice::from_ref(&new)).unwrap();
    // Not a copy as a whole: no cluster, yet its paragraphs are found.
    assert!(report.clusters.is_empty(), "{:?}", report.clusters);
    let with = |other: &Document, paragraph: usize| {
        report.paragraph_matches.iter().any(|m| {
            (m.a == new.id() && m.a_paragraph == paragraph && m.b == other.id())
                || (m.b == new.id() && m.b_paragraph == paragraph && m.a == other.id())
        })
    };
    assert!(
        with(&one, 0) && with(&one, 2),
        "{:#?}",
        report.paragraph_matches
    );
    assert!(
        report
            .paragraph_matches
            .iter()
            .any(|m| (m.a == two.id() || m.b == two.id())
                && m.kind == chachong::paragraph::MatchKind::Contained),
        "the teaser is found in 篇2 by an anchor: {:#?}",
        report.paragraph_matches
    );
    // The matches are those of one run over everything.
    let whole = Deduplicator::new(both)
        .unwrap()
        .run(&[one, speech("篇9"), two, new.clone()])
        .unwrap();
    let batch = BTreeSet::from([new.id().to_string()]);
    assert_eq!(
        matches_touching(&report, &batch),
        matches_touching(&whole, &batch)
    );

    // An index at document level keeps no paragraph keys: its paragraph
    // tables are two empty tables' heads.
    let doc_dir = tempfile::tempdir().unwrap();
    let mut documents_only = Index::create(doc_dir.path(), config(Level::Document)).unwrap();
    documents_only.add(&seed).unwrap();
    assert!(documents_only.stats().paragraph_bytes < 200);
    assert!(index.stats().paragraph_bytes > 10 * documents_only.stats().paragraph_bytes);
}

#[test]
fn ids_are_new_and_one_writer_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = Index::create(dir.path(), config(Level::Document)).unwrap();
    let a = Document::new("a", "推进县域经济高质量发展，是新时代赋予我们的重大任务。");
    index.add(std::slice::from_ref(&a)).unwrap();
    let again = index.add(std::slice::from_ref(&a)).unwrap_err();
    assert!(
        again.to_string().contains("\"a\" is in the index already"),
        "{again}"
    );
    let asked = index.query(std::slice::from_ref(&a)).unwrap_err();
    assert!(
        asked.to_string().contains("in the index already"),
        "{asked}"
    );
    // A second writer while the first holds the lock.
    let mut other = Index::open(dir.path()).unwrap();
    let appender = index.appender().unwrap();
    let busy = other
        .add(&[Document::new("b", "今天天气很好。")])
        .unwrap_err();
    assert!(busy.to_string().contains("another writer"), "{busy}");
    drop(appender);
    other.add(&[Document::new("b", "今天天气很好。")]).unwrap();
    assert_eq!(Index::open(dir.path()).unwrap().stats().documents, 2);
    // No index, a foreign folder, a folder that is not empty.
    let empty = tempfile::tempdir().unwrap();
    let none = Index::open(empty.path()).unwrap_err();
    assert!(
        none.to_string().contains("no chachong index here"),
        "{none}"
    );
    let full = Index::create(dir.path(), config(Level::Document)).unwrap_err();
    assert!(full.to_string().contains("not empty"), "{full}");
    let with_boilerplate = Index::create(empty.path().join("x"), Config::default()).unwrap_err();
    assert!(matches!(
        with_boilerplate.kind(),
        ErrorKind::InvalidConfig { .. }
    ));
}

/// Every file of a small index, a byte flipped at several places in each:
/// opening, querying or checking it names the file; none gives an answer.
#[test]
fn a_flipped_byte_in_any_file_is_named() {
    let seed = generate::speeches();
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("idx");
    let mut index = Index::create(&original, config(Level::Both)).unwrap();
    index.add(&seed[..6]).unwrap();
    let files: Vec<String> = fs::read_dir(&original)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "LOCK")
        .collect();
    assert_eq!(files.len(), 7, "{files:?}");
    for name in &files {
        let len = fs::metadata(original.join(name)).unwrap().len() as usize;
        // The magic, kind, version, record size, group and record counts,
        // and places in the records.
        for at in [0, 9, 13, 17, 21, 23, 27, 31, len / 3, len / 2, len - 2] {
            let copy = dir.path().join(format!("copy-{name}-{at}"));
            copy_dir(&original, &copy);
            let path = copy.join(name);
            let mut bytes = fs::read(&path).unwrap();
            bytes[at] ^= 0x40;
            fs::write(&path, &bytes).unwrap();
            let outcome = Index::open(&copy).and_then(|i| {
                i.query(&seed[6..])?;
                i.verify()
            });
            let err = outcome.expect_err(&format!("{name} flipped at {at} went unseen"));
            assert!(
                err.to_string().contains(name.as_str()),
                "{name} at {at}: {err}"
            );
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// An add stopped after each file it writes (whole or half written), as a
/// crash would leave it: the index opens as the old state, whole, and the
/// next add goes through. (The CLI test kills a real `index add` too.)
#[test]
fn an_add_stopped_after_any_file_leaves_the_old_state() {
    let seed = generate::speeches();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    Index::create(&base, config(Level::Both))
        .unwrap()
        .add(&seed[..4])
        .unwrap();
    let done = dir.path().join("done");
    copy_dir(&base, &done);
    Index::open(&done).unwrap().add(&seed[4..]).unwrap();
    // What the add wrote, in the order it writes: the segment's texts,
    // offsets, band keys, paragraph keys, anchors, ids, then the new
    // manifest beside the old one.
    let written: Vec<String> = ["docs", "offs", "keys", "pkeys", "anch", "ids"]
        .iter()
        .map(|ext| format!("seg-000002.{ext}"))
        .chain(["MANIFEST.new".to_string()])
        .collect();
    let new_manifest = fs::read(done.join("MANIFEST")).unwrap();
    for k in 0..written.len() {
        for whole in [false, true] {
            let copy = dir.path().join(format!("stop-{k}-{whole}"));
            copy_dir(&base, &copy);
            for name in &written[..=k] {
                let bytes = match name.as_str() {
                    "MANIFEST.new" => new_manifest.clone(),
                    _ => fs::read(done.join(name)).unwrap(),
                };
                let last = name == &written[k];
                let keep = if last && !whole {
                    bytes.len() / 2
                } else {
                    bytes.len()
                };
                fs::write(copy.join(name), &bytes[..keep]).unwrap();
            }
            let mut index = Index::open(&copy).unwrap();
            index.verify().unwrap();
            assert_eq!(index.stats().documents, 4, "stopped after {}", written[k]);
            index.add(&seed[4..]).unwrap();
            let reopened = Index::open(&copy).unwrap();
            reopened.verify().unwrap();
            assert_eq!(reopened.stats().documents, 9);
        }
    }
}

/// A reader opened before an add keeps answering from the state it opened,
/// during the add and after it; a reader opened after sees the new state.
#[test]
fn readers_go_on_while_a_writer_adds() {
    let seed = generate::speeches();
    let dir = tempfile::tempdir().unwrap();
    let mut writer = Index::create(dir.path(), config(Level::Document)).unwrap();
    writer.add(&seed[..3]).unwrap();
    let reader = Index::open(dir.path()).unwrap();
    let before = reader.query(&seed[8..]).unwrap();
    let mut appender = writer.appender().unwrap();
    appender.push(&seed[3..8]).unwrap();
    assert_eq!(reader.query(&seed[8..]).unwrap().pairs, before.pairs);
    appender.commit().unwrap();
    assert_eq!(reader.query(&seed[8..]).unwrap().pairs, before.pairs);
    assert_eq!(reader.stats().documents, 3);
    // 篇9 has its copies 篇3, 篇5, 篇7 in the index now.
    let after = Index::open(dir.path()).unwrap().query(&seed[8..]).unwrap();
    assert_eq!(after.pairs.len(), 3, "{:?}", after.pairs);
    assert!(before.pairs.len() < 3);
}

/// Three adds merged into one segment: the same answers, the old files
/// gone, a reader that opened them going on.
#[test]
fn a_merge_keeps_the_answers_in_one_segment() {
    let seed = generate::speeches();
    let dir = tempfile::tempdir().unwrap();
    let mut index = Index::create(dir.path(), config(Level::Both)).unwrap();
    for part in [&seed[..2], &seed[2..5], &seed[5..8]] {
        index.add(part).unwrap();
    }
    let reader = Index::open(dir.path()).unwrap();
    let before = reader.query(&seed[8..]).unwrap();
    assert_eq!(before.pairs.len(), 3);
    index.merge().unwrap();
    let merged = Index::open(dir.path()).unwrap();
    merged.verify().unwrap();
    assert_eq!((merged.stats().segments, merged.stats().documents), (1, 8));
    assert!(!before.paragraph_matches.is_empty());
    for after in [merged.query(&seed[8..]), reader.query(&seed[8..])] {
        let after = after.unwrap();
        assert_eq!(after.pairs, before.pairs);
        assert_eq!(after.paragraph_matches, before.paragraph_matches);
    }
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected = [
        "LOCK",
        "MANIFEST",
        "seg-000004.anch",
        "seg-000004.docs",
        "seg-000004.ids",
        "seg-000004.keys",
        "seg-000004.offs",
        "seg-000004.pkeys",
    ];
    assert_eq!(names, expected);
    // And adds go on after it.
    index.add(&seed[8..]).unwrap();
    let after = Index::open(dir.path()).unwrap();
    assert_eq!((after.stats().segments, after.stats().documents), (2, 9));
}

/// An add holding more keys than its memory writes them as several
/// segments named by one manifest: the same answers as one segment; an add
/// dropped after writing some leaves the index as it was.
#[test]
fn an_add_past_its_memory_writes_several_segments_at_once() {
    let seed = generate::speeches();
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let mut one = Index::create(&whole, config(Level::Both)).unwrap();
    one.add(&seed[..8]).unwrap();
    let expected = one.query(&seed[8..]).unwrap();

    let parts = dir.path().join("parts");
    let mut index = Index::create(&parts, config(Level::Both)).unwrap();
    index.set_add_memory(1);
    let files = |dir: &Path| fs::read_dir(dir).unwrap().count();
    {
        let mut appender = index.appender().unwrap();
        appender.push(&seed[..3]).unwrap();
        appender.push(&seed[3..6]).unwrap();
        // Dropped without a commit: two segments written, none named.
    }
    assert_eq!(Index::open(&parts).unwrap().stats().documents, 0);
    let mut appender = index.appender().unwrap();
    // The next writer removed what the dropped one wrote.
    assert_eq!(
        files(&parts),
        2 + 1,
        "the manifest, the lock, one new .docs"
    );
    for chunk in [&seed[..3], &seed[3..6], &seed[6..8]] {
        appender.push(chunk).unwrap();
    }
    assert_eq!(appender.commit().unwrap(), 8);
    let reopened = Index::open(&parts).unwrap();
    reopened.verify().unwrap();
    assert_eq!(
        (reopened.stats().documents, reopened.stats().segments),
        (8, 3)
    );
    assert_eq!(files(&parts), 2 + 3 * 6);
    let found = reopened.query(&seed[8..]).unwrap();
    assert_eq!(found.pairs, expected.pairs);
    assert_eq!(found.paragraph_matches, expected.paragraph_matches);
    assert!(!found.paragraph_matches.is_empty());
}
