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
    let mut index = Index::create(&original, config(Level::Document)).unwrap();
    index.add(&seed[..6]).unwrap();
    let files: Vec<String> = fs::read_dir(&original)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "LOCK")
        .collect();
    assert_eq!(files.len(), 5, "{files:?}");
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
    Index::create(&base, config(Level::Document))
        .unwrap()
        .add(&seed[..4])
        .unwrap();
    let done = dir.path().join("done");
    copy_dir(&base, &done);
    Index::open(&done).unwrap().add(&seed[4..]).unwrap();
    // What the add wrote, in the order it writes: the segment's texts,
    // offsets, keys, ids, then the new manifest beside the old one.
    let written: Vec<String> = ["docs", "offs", "keys", "ids"]
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
    let mut index = Index::create(dir.path(), config(Level::Document)).unwrap();
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
    assert_eq!(merged.query(&seed[8..]).unwrap().pairs, before.pairs);
    assert_eq!(reader.query(&seed[8..]).unwrap().pairs, before.pairs);
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected = [
        "LOCK",
        "MANIFEST",
        "seg-000004.docs",
        "seg-000004.ids",
        "seg-000004.keys",
        "seg-000004.offs",
    ];
    assert_eq!(names, expected);
    // And adds go on after it.
    index.add(&seed[8..]).unwrap();
    let after = Index::open(dir.path()).unwrap();
    assert_eq!((after.stats().segments, after.stats().documents), (2, 9));
}
