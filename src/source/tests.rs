//! The readers' unit tests: every bad input names its file, line and
//! document, and nothing is dropped unsaid.

use std::fs;
use std::path::Path;

use super::*;

fn jsonl(input: &str) -> Result<Vec<Document>> {
    Ok(Reader::new()
        .read_jsonl_from(input.as_bytes(), Path::new("t.jsonl"))?
        .documents)
}

fn read_path(path: &Path, split: Option<&str>) -> Result<Vec<Document>> {
    let reader = match split {
        Some(heading) => Reader::new().split(heading)?,
        None => Reader::new(),
    };
    Ok(reader.read_path(path)?.documents)
}

fn split(heading: &str, text: &[u8]) -> Result<Corpus> {
    Reader::new()
        .split(heading)?
        .read_text_from(text, Path::new("s.txt"))
}

macro_rules! bad_jsonl {
    ($name:ident, $input:expr, $message:expr) => {
        #[test]
        fn $name() {
            assert_eq!(jsonl($input).unwrap_err().to_string(), $message);
        }
    };
}

bad_jsonl!(
    not_json,
    "{\"id\":\"a\",\"text\":\"x\"}\nnope\n",
    "t.jsonl:2: not JSON: expected ident at line 1 column 2"
);
bad_jsonl!(
    not_object,
    "{\"id\":\"a\",\"text\":\"x\"}\n[1]\n",
    "t.jsonl:2: not a JSON object"
);
bad_jsonl!(
    no_id,
    "{\"text\":\"x\"}",
    "t.jsonl:1: missing string or integer field \"id\""
);
bad_jsonl!(
    text_not_string,
    "{\"id\":\"a\",\"text\":3}",
    "t.jsonl:1: document \"a\": missing string field \"text\""
);
bad_jsonl!(
    empty_id,
    "{\"id\":\"\",\"text\":\"x\"}",
    "t.jsonl:1: empty \"id\""
);
bad_jsonl!(
    float_id,
    "{\"id\":1.5,\"text\":\"x\"}",
    "t.jsonl:1: missing string or integer field \"id\""
);
bad_jsonl!(
    duplicate_id_names_both_lines,
    "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"x\"}\n\n{\"id\":\"a\",\"text\":\"y\"}",
    "t.jsonl:4: duplicate id \"a\" (first on line 1)"
);
bad_jsonl!(
    lone_surrogate_is_not_text,
    "{\"id\":\"a\",\"text\":\"\\ud800\"}",
    "t.jsonl:1: document \"a\": not valid Unicode: a lone UTF-16 surrogate escape \\ud800"
);
bad_jsonl!(
    escaped_backslash_is_not_a_surrogate,
    "{\"id\":\"a\",\"text\":\"\\\\ud800\" x}",
    "t.jsonl:1: not JSON: expected `,` or `}` at line 1 column 28"
);

#[test]
fn surrogate_pairs_are_text() {
    let docs = jsonl("{\"id\":\"a\",\"text\":\"\\ud83d\\ude00\"}").unwrap();
    assert_eq!(docs[0].text(), "😀");
}

#[test]
fn invalid_utf8_names_the_line() {
    let input = b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"\xff\"}\n";
    let err = Reader::new()
        .read_jsonl_from(&input[..], Path::new("t.jsonl"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.jsonl:2: document \"b\": invalid UTF-8 at byte 18 of the line"
    );
}

#[test]
fn skipping_invalid_utf8_keeps_the_rest_and_says_what_it_left() {
    let input = b"{\"id\":\"a\",\"text\":\"x\"}\n\xff\xfe\n{\"id\":\"b\",\"text\":\"\xff\"}\n{\"id\":\"c\",\"text\":\"\\udc00\"}\n{\"id\":\"d\",\"text\":\"y\"}\n";
    let corpus = Reader::new()
        .invalid_utf8(InvalidUtf8::Skip)
        .read_jsonl_from(&input[..], Path::new("t.jsonl"))
        .unwrap();
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id()).collect();
    assert_eq!(ids, ["a", "d"]);
    let skipped: Vec<String> = corpus.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(skipped.len(), 3);
    assert_eq!(skipped[0], "t.jsonl:2: invalid UTF-8 at byte 0 of the line");
    assert_eq!(
        skipped[1],
        "t.jsonl:3: document \"b\": invalid UTF-8 at byte 18 of the line"
    );
    assert_eq!(
        skipped[2],
        "t.jsonl:4: document \"c\": not valid Unicode: a lone UTF-16 surrogate escape \\udc00"
    );
}

#[test]
fn split_fails_or_skips_only_the_document_with_bad_bytes() {
    let input = b"\xffpreamble\n\xe7\xaf\x871\n\xe4\xb8\x80\n\xe7\xaf\x872\nbad \xff\n\xe7\xaf\x873\n\xe4\xb8\x89\n";
    let err = split(r"^篇\d$", input).unwrap_err();
    assert_eq!(
        err.to_string(),
        "s.txt:5: document \"篇2\": invalid UTF-8 at byte 4 of the line"
    );
    let corpus = Reader::new()
        .split(r"^篇\d$")
        .unwrap()
        .invalid_utf8(InvalidUtf8::Skip)
        .read_text_from(input, Path::new("s.txt"))
        .unwrap();
    let docs: Vec<(&str, &str)> = corpus
        .documents
        .iter()
        .map(|d| (d.id(), d.text()))
        .collect();
    assert_eq!(docs, [("篇1", "一\n"), ("篇3", "三\n")]);
    // The bad bytes before the first heading are a preamble, listed too.
    assert_eq!(corpus.skipped.len(), 2);
    assert_eq!(corpus.skipped[0].id, None);
    assert_eq!(corpus.skipped[1].id.as_deref(), Some("篇2"));
}

#[test]
fn split_with_a_repeated_heading_is_an_error() {
    let err = split(r"^篇\d$", "篇1\n一\n篇1\n二\n".as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "s.txt:3: duplicate id \"篇1\" (first on line 1)"
    );
}

#[test]
fn folders_skip_files_that_are_not_text() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "甲").unwrap();
    fs::write(dir.path().join("b.txt"), b"line\n\xc3(").unwrap();
    fs::write(dir.path().join("c.md"), "not read").unwrap();
    let err = read_path(dir.path(), None).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("b.txt:2: document \"b\": invalid UTF-8 at byte 5"),
        "{err}"
    );
    let corpus = Reader::new()
        .invalid_utf8(InvalidUtf8::Skip)
        .read_path(dir.path())
        .unwrap();
    assert_eq!(corpus.documents.len(), 1);
    assert_eq!(corpus.skipped[0].id.as_deref(), Some("b"));
}

#[test]
fn inputs_without_documents_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let no_documents = |path: &Path| {
        let err = read_path(path, None).unwrap_err();
        assert!(
            matches!(err.kind(), crate::ErrorKind::NoDocuments { .. }),
            "{err}"
        );
        assert!(err.to_string().ends_with(": no documents in it"), "{err}");
    };
    no_documents(dir.path());
    for (name, contents) in [("empty.jsonl", "\n \n"), ("empty.txt", "")] {
        let path = dir.path().join(name);
        fs::write(&path, contents).unwrap();
        no_documents(&path);
    }
}

#[test]
fn crlf_and_blank_lines() {
    let docs =
        jsonl("{\"id\":\"a\",\"text\":\"甲\"}\r\n\r\n{\"id\":\"b\",\"text\":\"乙\"}").unwrap();
    assert_eq!(docs.iter().map(|d| d.id()).collect::<Vec<_>>(), ["a", "b"]);
}

#[test]
fn split_lists_the_preamble_and_keeps_the_last() {
    let corpus = split(r"^篇\d$", "标题\r\n\r\n篇1\r\n一\r\n篇2\r\n二".as_bytes()).unwrap();
    let docs = &corpus.documents;
    assert_eq!(docs.len(), 2);
    assert_eq!(
        corpus.skipped[0].to_string(),
        "s.txt:1: 2 lines of text before the first heading, not a document"
    );
    assert_eq!(docs[0].id(), "篇1");
    assert_eq!(docs[0].text(), "一\r\n");
    assert_eq!(docs[1].text(), "二");
}

#[test]
fn missing_file_is_io_error() {
    let err = read_path(Path::new("/no/such/corpus.jsonl"), None).unwrap_err();
    assert!(matches!(err.kind(), crate::ErrorKind::Io { .. }), "{err}");
    assert!(
        err.to_string().starts_with("/no/such/corpus.jsonl: "),
        "{err}"
    );
}

#[test]
fn bad_pattern_is_reported_on_one_line() {
    let err = read_path(Path::new("Cargo.toml"), Some("(")).unwrap_err();
    assert!(
        matches!(err.kind(), crate::ErrorKind::Pattern { .. }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "heading pattern \"(\" does not compile: unclosed group"
    );
}

#[test]
fn pattern_matching_nothing_is_an_error() {
    let err = read_path(Path::new("Cargo.toml"), Some("^no such heading$")).unwrap_err();
    assert!(err.to_string().contains("no line matches"), "{err}");
}

#[test]
fn a_bom_hides_no_heading() {
    let corpus = split(r"^篇\d$", "\u{feff}篇1\n一\n篇2\n二\n".as_bytes()).unwrap();
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id()).collect();
    assert_eq!(ids, ["篇1", "篇2"]);
    assert!(corpus.skipped.is_empty());
}

#[test]
fn a_bom_starts_no_document_and_breaks_no_json_line() {
    let docs =
        jsonl("\u{feff}{\"id\":\"a\",\"text\":\"甲\"}\n\u{feff}{\"id\":\"b\",\"text\":\"乙\"}")
            .unwrap();
    assert_eq!(docs.len(), 2);
    let corpus = Reader::new()
        .read_text_from("\u{feff}正文".as_bytes(), Path::new("a.txt"))
        .unwrap();
    assert_eq!(corpus.documents[0].text(), "正文");
}

#[test]
fn a_blank_preamble_is_not_listed() {
    let corpus = split(r"^篇\d$", "\n \n篇1\n一\n".as_bytes()).unwrap();
    assert!(corpus.skipped.is_empty());
}

#[test]
fn json_lines_are_known_by_any_name_or_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let line = "{\"id\":\"a\",\"text\":\"甲乙\"}\n{\"id\":\"b\",\"text\":\"丙丁\"}\n";
    for name in [
        "c.JSONL",
        "c.ndjson",
        "c.json",
        "c.jsonlines",
        "no-extension",
        "c.dat",
    ] {
        let path = dir.path().join(name);
        fs::write(&path, line).unwrap();
        let corpus = Reader::new().read_path(&path).unwrap();
        assert_eq!(corpus.documents.len(), 2, "{name}");
        assert_eq!(corpus.inputs[0].format, InputFormat::Jsonl, "{name}");
    }
    // A text file whose name says text stays text, even if it opens with `{`.
    let path = dir.path().join("notes.txt");
    fs::write(&path, line).unwrap();
    let corpus = Reader::new().read_path(&path).unwrap();
    assert_eq!(corpus.documents.len(), 1);
    assert_eq!(corpus.inputs[0].format, InputFormat::Text);
}

#[test]
fn compressed_inputs_are_read_through() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let line = "{\"id\":\"a\",\"text\":\"甲乙\"}\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(line.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let zst = zstd::stream::encode_all(line.as_bytes(), 3).unwrap();
    for (name, bytes, compression) in [
        ("c.jsonl.gz", &gz, Compression::Gzip),
        ("c.JSONL.GZ", &gz, Compression::Gzip),
        ("c.jsonl.zst", &zst, Compression::Zstd),
        ("piped", &gz, Compression::Gzip),
    ] {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let corpus = Reader::new().read_path(&path).unwrap();
        assert_eq!(corpus.documents[0].text(), "甲乙", "{name}");
        assert_eq!(corpus.inputs[0].compression, compression, "{name}");
        assert_eq!(corpus.inputs[0].format, InputFormat::Jsonl, "{name}");
    }
    // A compressed text file is one document named without its endings.
    let path = dir.path().join("篇一.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all("正文".as_bytes()).unwrap();
    fs::write(&path, gz.finish().unwrap()).unwrap();
    let corpus = Reader::new().read_path(&path).unwrap();
    assert_eq!(corpus.documents[0].id(), "篇一");
}

#[test]
fn a_truncated_archive_names_its_file() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all("{\"id\":\"a\",\"text\":\"甲乙\"}\n".repeat(100).as_bytes())
        .unwrap();
    let gz = gz.finish().unwrap();
    let path = dir.path().join("cut.jsonl.gz");
    fs::write(&path, &gz[..gz.len() / 2]).unwrap();
    let err = Reader::new().read_path(&path).unwrap_err();
    assert!(matches!(err.kind(), crate::ErrorKind::Io { .. }), "{err}");
    assert!(err.to_string().contains("cut.jsonl.gz: "), "{err}");
}

#[test]
fn a_json_array_is_told_apart_from_json_lines() {
    let err = jsonl("[\n{\"id\":\"a\",\"text\":\"x\"}\n]").unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.jsonl:1: a JSON array, not JSON Lines: put one {\"id\": …, \"text\": …} object on each line"
    );
}

#[test]
fn utf16_gbk_and_big5_text_files_are_decoded_and_say_so() {
    // UTF-16LE by its byte order mark: 「甲」.
    let utf16: Vec<u8> = [0xff, 0xfe, 0x32, 0x75].to_vec();
    let corpus = Reader::new()
        .read_text_from(&utf16, Path::new("u.txt"))
        .unwrap();
    assert_eq!(corpus.documents[0].text(), "甲");
    assert_eq!(corpus.inputs[0].encoding.as_deref(), Some("UTF-16LE"));
    // Broken UTF-16 is an error that names it.
    let err = Reader::new()
        .read_text_from(&[0xff, 0xfe, 0x00, 0xd8], Path::new("u.txt"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "u.txt: document \"u\": not valid UTF-16LE, which its byte order mark says it is"
    );
    // The seed in GB18030 (all of Unicode), split at its headings: the
    // same documents as in UTF-8.
    let seed = fs::read_to_string("tests/data/speeches.txt").unwrap();
    let heading = r"^在全市高质量发展工作会议上的讲话篇\d+$";
    let utf8 = split(heading, seed.as_bytes()).unwrap();
    let (gb18030, _, _) = encoding_rs::GB18030.encode(&seed);
    let decoded = split(heading, &gb18030).unwrap();
    assert_eq!(decoded.documents, utf8.documents);
    assert_eq!(decoded.documents.len(), 9);
    assert_eq!(decoded.inputs[0].encoding.as_deref(), Some("GBK"));
    assert_eq!(utf8.inputs[0].encoding, None);
    // In GBK, which writes a character it lacks (U+00A0) as `&#160;`: the
    // documents of that text.
    let (gbk, _, _) = encoding_rs::GBK.encode(&seed);
    let (as_gbk, _, _) = encoding_rs::GBK.decode(&gbk);
    let decoded = split(heading, &gbk).unwrap();
    assert_eq!(
        decoded.documents,
        split(heading, as_gbk.as_bytes()).unwrap().documents
    );
    // A folder of Big5 and UTF-8 files says how many were Big5.
    let dir = tempfile::tempdir().unwrap();
    let traditional = "在全市高品質發展工作會議上的講話。同志們：今年以來，全市上下認真貫徹落實黨中央決策部署，經濟運行穩中有進。";
    let (big5, _, _) = encoding_rs::BIG5.encode(traditional);
    fs::write(dir.path().join("a.txt"), &big5).unwrap();
    fs::write(dir.path().join("b.txt"), "简体").unwrap();
    let corpus = Reader::new().read_path(dir.path()).unwrap();
    assert_eq!(corpus.documents[0].text(), traditional);
    assert_eq!(corpus.inputs[0].encoding.as_deref(), Some("Big5: 1 files"));
    let big5 = DocumentEncoding {
        document: "a".into(),
        encoding: "Big5".into(),
    };
    assert_eq!(corpus.encodings, [big5]);
    assert_eq!(decoded.encodings.len(), 9);
    assert!(utf8.encodings.is_empty());
    // Named, not found: GBK bytes read as UTF-8 fail, and say so.
    let err = Reader::new()
        .encoding("utf-8")
        .unwrap()
        .read_text_from(&gbk, Path::new("s.txt"))
        .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("not valid UTF-8 (the encoding asked for)"),
        "{err}"
    );
}

#[test]
fn inputs_say_what_they_were_read_as() {
    let corpus = split(r"^篇\d$", "篇1\n一\n".as_bytes()).unwrap();
    assert_eq!(corpus.inputs.len(), 1);
    assert_eq!(
        corpus.inputs[0].to_string(),
        "s.txt: split_text, 1 documents"
    );
}

#[test]
fn joined_files_keep_every_heading() {
    // `cat a.txt b.txt`: the second file's byte order mark starts a line.
    let corpus = split(r"^篇\d$", "\u{feff}篇1\n一\n\u{feff}篇2\n二\n".as_bytes()).unwrap();
    let docs: Vec<(&str, &str)> = corpus
        .documents
        .iter()
        .map(|d| (d.id(), d.text()))
        .collect();
    assert_eq!(docs, [("篇1", "一\n"), ("篇2", "二\n")]);
}

#[test]
fn a_heading_that_is_not_text_is_named_not_merged() {
    let input = b"\xe7\xaf\x871\n\xe4\xb8\x80\n\xe7\xaf\x872\xff\n\xe4\xba\x8c\n";
    let corpus = Reader::new()
        .split(r"^篇\d")
        .unwrap()
        .invalid_utf8(InvalidUtf8::Skip)
        .read_text_from(input, Path::new("s.txt"))
        .unwrap();
    assert_eq!(corpus.documents.len(), 1);
    assert_eq!(corpus.documents[0].text(), "一\n");
    assert_eq!(corpus.skipped.len(), 1);
    assert_eq!(corpus.skipped[0].line, Some(3));
    assert!(corpus.skipped[0].id.as_deref().unwrap().starts_with("篇2"));
}

#[cfg(feature = "parquet")]
mod parquet_inputs {
    use std::sync::Arc;

    use ::parquet::arrow::ArrowWriter;
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};

    use super::*;

    /// A Parquet file of `ids` (integers), `texts` and a `lang` column.
    fn write_parquet(path: &Path, ids: &[i64], texts: &[Option<&str>]) {
        let lang: Vec<&str> = ids.iter().map(|_| "zh").collect();
        let batch = RecordBatch::try_from_iter([
            ("id", Arc::new(Int64Array::from(ids.to_vec())) as ArrayRef),
            (
                "text",
                Arc::new(StringArray::from(texts.to_vec())) as ArrayRef,
            ),
            ("lang", Arc::new(StringArray::from(lang)) as ArrayRef),
        ])
        .unwrap();
        let mut writer =
            ArrowWriter::try_new(fs::File::create(path).unwrap(), batch.schema(), None).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
    }

    #[test]
    fn rows_are_documents_and_records_keep_every_column() {
        let dir = tempfile::tempdir().unwrap();
        // No extension: the magic bytes say Parquet.
        let path = dir.path().join("part-0");
        write_parquet(&path, &[7, 8], &[Some("第一篇"), Some("第二篇")]);
        let corpus = Reader::new().read_path(&path).unwrap();
        let ids: Vec<&str> = corpus.documents.iter().map(Document::id).collect();
        assert_eq!(ids, ["7", "8"]);
        assert_eq!(corpus.documents[1].text(), "第二篇");
        assert_eq!(corpus.inputs[0].format, InputFormat::Parquet);
        let mut records = Vec::new();
        Reader::new()
            .for_each_record_in(&path, |r| {
                records.push(r);
                Ok::<(), Error>(())
            })
            .unwrap();
        assert_eq!(records[1].id, "8");
        assert_eq!(records[1].fields["id"], 8);
        assert_eq!(records[1].fields["lang"], "zh");
        let columns: Vec<&String> = records[0].fields.keys().collect();
        assert_eq!(columns, ["id", "text", "lang"]);
        let schema = Reader::new().arrow_schema(&path).unwrap().unwrap();
        assert_eq!(schema.fields().len(), 3);
        // Standard input (any stream) is read whole.
        let bytes = fs::read(&path).unwrap();
        let corpus = Reader::new().read_from(&bytes[..], Path::new("-")).unwrap();
        assert_eq!(corpus.documents.len(), 2);
    }

    #[test]
    fn bad_rows_and_columns_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write_parquet(&path, &[1, 2, 3], &[Some("甲"), Some("乙"), None]);
        let err = Reader::new().read_path(&path).unwrap_err().to_string();
        assert!(
            err.ends_with("t.parquet: row 3: document \"3\": \"text\" is null"),
            "{err}"
        );
        write_parquet(&path, &[1, 2, 1], &[Some("甲"), Some("乙"), Some("丙")]);
        let err = Reader::new().read_path(&path).unwrap_err().to_string();
        assert!(
            err.ends_with("t.parquet: row 3: duplicate id \"1\" (first in row 1)"),
            "{err}"
        );
        let err = Reader::new()
            .fields("id", "content")
            .read_path(&path)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no column \"content\" (the columns are id, text, lang;"),
            "{err}"
        );
        // One column as both id and text: every row's id is "zh".
        let err = Reader::new().fields("lang", "lang").read_path(&path);
        let err = err.unwrap_err().to_string();
        assert!(err.contains("duplicate id \"zh\""), "{err}");
        let err = Reader::new()
            .fields("id", "id")
            .read_path(&path)
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with("column \"id\" is Int64, not strings"),
            "{err}"
        );
        fs::write(&path, b"PAR1 but no more").unwrap();
        let err = Reader::new().read_path(&path).unwrap_err().to_string();
        assert!(
            err.contains("t.parquet: not a Parquet file we can read"),
            "{err}"
        );
    }

    #[test]
    fn a_folder_of_shards_reads_each_in_order_of_name() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        write_parquet(
            &dir.path().join("part-1.parquet"),
            &[3, 4],
            &[Some("丙"), Some("丁")],
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(
            "{\"id\": \"1\", \"text\": \"甲\"}\n{\"id\": \"2\", \"text\": \"乙\"}\n".as_bytes(),
        )
        .unwrap();
        fs::write(dir.path().join("part-0.jsonl.gz"), gz.finish().unwrap()).unwrap();
        fs::write(dir.path().join("z.txt"), "戊").unwrap();
        fs::write(dir.path().join("_SUCCESS"), "").unwrap();
        fs::write(dir.path().join("report.json"), "{}").unwrap();
        let corpus = Reader::new().read_path(dir.path()).unwrap();
        let ids: Vec<&str> = corpus.documents.iter().map(Document::id).collect();
        assert_eq!(ids, ["1", "2", "3", "4", "z"]);
        let formats: Vec<InputFormat> = corpus.inputs.iter().map(|i| i.format).collect();
        assert_eq!(
            formats,
            [
                InputFormat::Jsonl,
                InputFormat::Parquet,
                InputFormat::TextFolder
            ]
        );
        assert_eq!(corpus.inputs[2].documents, 1);
        let mut again = Vec::new();
        Reader::new()
            .for_each_record_in(dir.path(), |r| {
                again.push(r.id);
                Ok::<(), Error>(())
            })
            .unwrap();
        assert_eq!(again, ids);
        // Not all Parquet: no one schema.
        assert!(Reader::new().arrow_schema(dir.path()).unwrap().is_none());
    }
}

/// The body of a Word file holding `text`, one paragraph a line (spaces
/// kept), its `&` and `<` escaped.
fn word_body(text: &str) -> String {
    text.lines()
        .map(|line| {
            let escaped = line.replace('&', "&amp;").replace('<', "&lt;");
            format!("<w:p><w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>")
        })
        .collect()
}

#[test]
fn word_files_are_read_as_their_paragraphs_alone_split_or_in_folders() {
    let seed = fs::read_to_string("tests/data/speeches.txt").unwrap();
    let heading = r"^在全市高质量发展工作会议上的讲话篇\d+$";
    let from_text = split(heading, seed.as_bytes()).unwrap().documents;
    let dir = tempfile::tempdir().unwrap();
    // The whole seed as one Word file, split at its headings.
    let file = dir.path().join("speeches.docx");
    fs::write(&file, docx::tests::docx(&word_body(&seed))).unwrap();
    let texts = |docs: &[Document]| {
        docs.iter()
            .map(|d| (d.id().to_string(), d.text().trim_end().to_string()))
            .collect::<Vec<_>>()
    };
    let corpus = Reader::new()
        .split(heading)
        .unwrap()
        .read_path(&file)
        .unwrap();
    // The same speeches (a Word file ends its last paragraph with a break).
    assert!(
        texts(&corpus.documents) == texts(&from_text),
        "not the seed's speeches"
    );
    assert_eq!(corpus.inputs[0].format, InputFormat::Docx);
    // Each speech a Word file in a folder, beside a text file.
    let folder = dir.path().join("speeches");
    fs::create_dir(&folder).unwrap();
    for doc in &from_text[..8] {
        let name = folder.join(format!("{}.docx", doc.id()));
        fs::write(name, docx::tests::docx(&word_body(doc.text()))).unwrap();
    }
    let last = &from_text[8];
    fs::write(folder.join(format!("{}.txt", last.id())), last.text()).unwrap();
    let corpus = Reader::new().read_path(&folder).unwrap();
    assert!(
        texts(&corpus.documents) == texts(&from_text),
        "not the seed's speeches"
    );
    // A damaged Word file is an error naming it, alone or in a folder.
    fs::write(folder.join("broken.docx"), b"PK\x03\x04 not a zip").unwrap();
    let err = Reader::new().read_path(&folder).unwrap_err().to_string();
    assert!(
        err.contains("broken.docx") && err.contains("not a Word (.docx) file"),
        "{err}"
    );
}
