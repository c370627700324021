//! The three readers on any bytes: JSONL, a text file split at headings,
//! and a folder of `.txt` files; each in both UTF-8 policies. A read
//! either fails with an error or accounts for every document: a skipping
//! read keeps what a failing read keeps, plus what it lists as skipped.
#![no_main]

use std::path::Path;

use chachong::source::{InvalidUtf8, Reader};
use libfuzzer_sys::fuzz_target;
use regex::Regex;
use std::sync::LazyLock;

static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(篇|#)\d*$").unwrap());

fuzz_target!(|bytes: &[u8]| {
    let fail = Reader::new();
    let skip = Reader::new().invalid_utf8(InvalidUtf8::Skip);
    let name = Path::new("fuzz.jsonl");

    let strict = fail.read_jsonl_from(bytes, name);
    let lenient = skip.read_jsonl_from(bytes, name);
    if let Ok(strict) = &strict {
        let lenient = lenient
            .as_ref()
            .expect("skipping fails where failing does not");
        assert_eq!(strict.documents, lenient.documents);
        assert!(lenient.skipped.is_empty());
    }

    let strict = fail.read_split_from(bytes, &HEADING, name);
    let lenient = skip.read_split_from(bytes, &HEADING, name);
    if let Ok(strict) = &strict {
        let lenient = lenient
            .as_ref()
            .expect("skipping fails where failing does not");
        assert_eq!(strict, lenient);
    }
    if let Ok(lenient) = &lenient {
        assert!(lenient.documents.iter().all(|d| HEADING.is_match(d.id())));
    }

    // A folder and a lone file, through the file system.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.txt");
    std::fs::write(&file, bytes).unwrap();
    for reader in [&fail, &skip] {
        for path in [dir.path(), file.as_path()] {
            match reader.read_path(path) {
                Ok(corpus) => assert_eq!(corpus.documents.len() + corpus.skipped.len(), 1),
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }
});
