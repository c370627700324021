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

const PATTERN: &str = r"^(篇|#)\d*$";
static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(PATTERN).unwrap());

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

    let split = |reader: &Reader| reader.clone().split(PATTERN).unwrap();
    let strict = split(&fail).read_text_from(bytes, name);
    let lenient = split(&skip).read_text_from(bytes, name);
    if let Ok(strict) = &strict {
        let lenient = lenient
            .as_ref()
            .expect("skipping fails where failing does not");
        // A skipping read lists nothing more than the preamble.
        assert_eq!(strict.documents, lenient.documents);
        assert_eq!(strict.skipped, lenient.skipped);
    }
    if let Ok(lenient) = &lenient {
        assert!(lenient.documents.iter().all(|d| HEADING.is_match(d.id())));
    }

    // Any reader of any stream, by content.
    for reader in [&fail, &skip] {
        if let Ok(corpus) = reader.read_from(bytes, Path::new("-")) {
            assert_eq!(corpus.inputs.len(), 1);
        }
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
