//! `dedup --annotate / --kept / --drop-list`: the corpora a data pipeline
//! takes from a run, checked as a pipeline would read them back.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Map, Value};

fn chachong() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chachong"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

const BODY: &str = "推进县域经济高质量发展，是新时代赋予我们的重大任务。2014年以来，我们坚持稳中求进工作总基调，\
                    加快建设现代化经济体系，全市地区生产总值年均增长百分之七点五，县域经济综合实力不断增强。";

/// A corpus of rows with extra fields: a page, a redacted copy of it, two
/// exact copies, one other text; ids in no particular order.
fn rows() -> Vec<Value> {
    let other = "今年以来，全市上下认真贯彻落实各项决策部署，经济运行稳中有进、稳中向好。";
    let texts = [
        ("p9", BODY.to_string()),
        ("p5", BODY.replace("2014", "****")),
        ("p3", BODY.to_string()),
        ("p1", other.to_string()),
        ("p7", BODY.to_string()),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, (id, text))| {
            serde_json::json!({
                "url": format!("https://example.gov/{id}"),
                "id": id,
                "text": text,
                "crawl": {"day": i, "tags": ["zh", "gov"]},
                "score": 0.5 + i as f64,
            })
        })
        .collect()
}

fn write_rows(dir: &Path, name: &str, rows: &[Value]) -> PathBuf {
    let path = dir.join(name);
    let lines: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn read_rows(path: &Path) -> Vec<Map<String, Value>> {
    let mut bytes = Vec::new();
    let file = fs::File::open(path).unwrap();
    let name = path.to_string_lossy();
    if name.ends_with(".parquet") {
        bytes = parquet_as_json_lines(file);
    } else if name.ends_with(".zst") {
        zstd::Decoder::new(file)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
    } else if name.ends_with(".gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .unwrap();
    } else {
        bytes = fs::read(path).unwrap();
    }
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const COLUMNS: [&str; 6] = [
    "cluster_id",
    "cluster_size",
    "canonical_id",
    "keep",
    "jaccard",
    "copy_kind",
];

/// A Parquet file's rows as JSON Lines, as Arrow writes them (nulls
/// included).
fn parquet_as_json_lines(file: fs::File) -> Vec<u8> {
    let batches =
        parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(file, 1024).unwrap();
    let mut json = arrow_json::WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, arrow_json::writer::LineDelimited>(Vec::new());
    for batch in batches {
        json.write(&batch.unwrap()).unwrap();
    }
    json.finish().unwrap();
    json.into_inner()
}

/// `rows` as a Parquet file of two row groups, typed as Arrow infers them.
fn write_parquet(path: &Path, rows: &[Value]) -> arrow_array::RecordBatch {
    let schema =
        arrow_json::reader::infer_json_schema_from_iterator(rows.iter().map(|r| Ok(r.clone())))
            .unwrap();
    let mut decoder = arrow_json::ReaderBuilder::new(std::sync::Arc::new(schema))
        .build_decoder()
        .unwrap();
    decoder.serialize(rows).unwrap();
    let batch = decoder.flush().unwrap().unwrap();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(fs::File::create(path).unwrap(), batch.schema(), None)
            .unwrap();
    writer.write(&batch.slice(0, 2)).unwrap();
    writer.flush().unwrap();
    writer.write(&batch.slice(2, batch.num_rows() - 2)).unwrap();
    writer.close().unwrap();
    batch
}

#[test]
fn the_annotated_corpus_holds_every_row_whole_and_agrees_with_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_rows(dir.path(), "in.jsonl", &rows());
    let (annotated, kept, dropped, report) = (
        dir.path().join("annotated.jsonl.zst"),
        dir.path().join("kept.jsonl.gz"),
        dir.path().join("dropped.csv"),
        dir.path().join("report.json"),
    );
    let out = chachong()
        .args(["dedup", "-q", "--format", "json", arg(&input)])
        .args(["--output", arg(&report), "--annotate", arg(&annotated)])
        .args(["--kept", arg(&kept), "--drop-list", arg(&dropped)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    // Every input row once, in order, every field as it was.
    let annotated = read_rows(&annotated);
    let input_rows = rows();
    assert_eq!(annotated.len(), input_rows.len());
    for (row, original) in annotated.iter().zip(&input_rows) {
        let original = original.as_object().unwrap();
        for (key, value) in original {
            assert_eq!(&row[key], value, "{key}");
        }
        let keys: Vec<&String> = row.keys().collect();
        let want: Vec<&str> = original.keys().map(String::as_str).chain(COLUMNS).collect();
        assert_eq!(keys, want, "fields in order, the columns after them");
    }

    // The columns agree with the JSON report.
    let report: Value = serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    let clusters = report["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 1);
    let members: Vec<&str> = clusters[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert_eq!(members, ["p3", "p5", "p7", "p9"]);
    let canonical = clusters[0]["canonical"].as_str().unwrap();
    let by_id: HashMap<&str, &Map<String, Value>> = annotated
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    for row in &annotated {
        let id = row["id"].as_str().unwrap();
        if members.contains(&id) {
            assert_eq!(row["cluster_id"], 0);
            assert_eq!(row["cluster_size"], 4);
            assert_eq!(row["canonical_id"], canonical);
            assert_eq!(row["keep"], id == canonical);
            assert!(row["jaccard"].as_f64().unwrap() > 0.8);
        } else {
            assert_eq!(row["cluster_id"], Value::Null);
            assert_eq!(
                (row["keep"].as_bool(), row["canonical_id"].as_str()),
                (Some(true), Some(id))
            );
        }
    }
    // The redacted copy is never the one kept, and is told so.
    assert_eq!(by_id["p5"]["copy_kind"], "redacted");
    assert_eq!(by_id["p5"]["keep"], false);
    // Exact copies have a twin.
    assert_eq!(by_id["p7"]["jaccard"], 1.0);

    // The kept corpus is the annotated rows kept, without the columns.
    let kept = read_rows(&kept);
    let want: Vec<Map<String, Value>> = annotated
        .iter()
        .filter(|r| r["keep"] == true)
        .map(|r| {
            let mut r = (*r).clone();
            COLUMNS.iter().for_each(|c| {
                r.shift_remove(*c);
            });
            r
        })
        .collect();
    assert_eq!(kept, want);
    assert_eq!(kept.len(), 2);

    // The drop list names the others.
    let table = fs::read_to_string(&dropped).unwrap();
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("id,cluster_id,canonical_id,jaccard"));
    let ids: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    let want: Vec<&str> = annotated
        .iter()
        .filter(|r| r["keep"] == false)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, want);
}

#[test]
fn the_keep_policy_picks_the_copy_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_rows(dir.path(), "in.jsonl", &rows());
    let kept_by = |policy: &str| {
        let out = chachong()
            .args([
                "dedup",
                "-q",
                "--level",
                "doc",
                arg(&input),
                "--output",
                "/dev/null",
            ])
            .args(["--keep", policy, "--annotate", "-"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: Vec<Map<String, Value>> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        rows[0]["canonical_id"].as_str().unwrap().to_string()
    };
    assert_eq!(kept_by("first"), "p9");
    assert_eq!(kept_by("smallest-id"), "p3");
    // p3, p7 and p9 hide nothing and tie; p5 is never chosen.
    assert_eq!(kept_by("fewest-masks"), "p3");
}

#[test]
fn other_field_names_and_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let renamed: Vec<Value> = rows()
        .into_iter()
        .map(|r| {
            let mut r = r.as_object().unwrap().clone();
            let id = r.shift_remove("id").unwrap();
            let text = r.shift_remove("text").unwrap();
            r.insert("doc_id".into(), id);
            r.insert("content".into(), text);
            Value::Object(r)
        })
        .collect();
    let input = write_rows(dir.path(), "renamed.jsonl", &renamed);
    let annotated = dir.path().join("out.jsonl");
    let out = chachong()
        .args([
            "dedup",
            "-q",
            "-",
            "--id-field",
            "doc_id",
            "--text-field",
            "content",
        ])
        .args(["--output", "/dev/null", "--annotate", arg(&annotated)])
        .stdin(fs::File::open(&input).unwrap())
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = read_rows(&annotated);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1]["doc_id"], "p5");
    assert_eq!(rows[1]["cluster_size"], 4);
}

#[test]
fn a_bad_corpus_output_fails_before_the_run_and_destroys_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_rows(dir.path(), "in.jsonl", &rows());
    let before = fs::read(&input).unwrap();
    let fails = |args: &[&str], expected: &str| {
        let out = chachong()
            .args(["dedup", "-q", arg(&input)])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let message = stderr(&out);
        assert!(message.contains(expected), "{args:?}: {message}");
        assert_eq!(message.lines().count(), 1, "{message}");
    };
    fails(&["--annotate", arg(&input)], "is the input");
    fails(
        &["--annotate", "x.parquet.bz2"],
        "no format chachong writes",
    );
    fails(&["--kept", "x.csv"], "no format chachong writes");
    fails(&["--annotate", "-"], "also where the report goes");
    let same = dir.path().join("a.jsonl");
    fails(
        &["--annotate", arg(&same), "--kept", arg(&same)],
        "also where --annotate goes",
    );
    fails(
        &["--annotate", "/no/such/dir/a.jsonl"],
        "/no/such/dir/a.jsonl",
    );
    assert_eq!(fs::read(&input).unwrap(), before);
    assert!(!same.exists());
}

#[test]
fn parquet_out_holds_what_json_lines_holds_and_parquet_in_keeps_its_types() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_rows(dir.path(), "in.jsonl", &rows());
    let run = |input: &Path, outputs: &[(&str, &str)]| {
        let mut command = chachong();
        command.args(["dedup", "-q", "--format", "json", arg(input)]);
        for (flag, name) in outputs {
            command.args([flag, arg(&dir.path().join(name))]);
        }
        let out = command.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    run(
        &input,
        &[("--annotate", "a.jsonl"), ("--drop-list", "d.jsonl")],
    );
    run(
        &input,
        &[
            ("--annotate", "a.parquet"),
            ("--kept", "k.parquet"),
            ("--drop-list", "d.parquet"),
        ],
    );
    let annotated = read_rows(&dir.path().join("a.parquet"));
    assert_eq!(
        annotated,
        read_rows(&dir.path().join("a.jsonl")),
        "the same rows, fields and columns"
    );
    assert_eq!(
        read_rows(&dir.path().join("d.parquet")),
        read_rows(&dir.path().join("d.jsonl"))
    );
    let annotation = [
        "cluster_id",
        "cluster_size",
        "canonical_id",
        "keep",
        "jaccard",
        "copy_kind",
    ];
    let kept: Vec<Map<String, Value>> = annotated
        .iter()
        .filter(|r| r["keep"] == true)
        .map(|r| {
            r.iter()
                .filter(|(k, _)| !annotation.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .collect();
    assert_eq!(read_rows(&dir.path().join("k.parquet")), kept);

    // A Parquet corpus keeps its own types: the struct, the list, the float.
    let parquet_in = dir.path().join("in.parquet");
    let batch = write_parquet(&parquet_in, &rows());
    run(&parquet_in, &[("--annotate", "b.parquet")]);
    let file = fs::File::open(dir.path().join("b.parquet")).unwrap();
    let back: Vec<arrow_array::RecordBatch> =
        parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(file, 1024)
            .unwrap()
            .map(|b| b.unwrap())
            .collect();
    assert_eq!(back.len(), 1, "one row group of five rows");
    let back = &back[0];
    for (k, field) in batch.schema().fields().iter().enumerate() {
        assert_eq!(back.schema().field(k), field.as_ref());
        assert_eq!(
            back.column(k).as_ref(),
            batch.column(k).as_ref(),
            "column {}",
            field.name()
        );
    }
    assert_eq!(read_rows(&dir.path().join("b.parquet")), annotated);
}

#[test]
fn a_json_line_that_does_not_fit_the_first_rows_columns_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a.parquet");
    // Annotating `rows` to Parquet fails: what it says.
    let refused = |rows: &[Value]| {
        let input = write_rows(dir.path(), "in.jsonl", rows);
        let out = chachong()
            .args(["dedup", "-q", "--output", arg(&dir.path().join("r.json"))])
            .args(["--annotate", arg(&target), arg(&input)])
            .output()
            .unwrap();
        assert!(!out.status.success());
        stderr(&out)
    };
    let mut rows: Vec<Value> = (0..9000)
        .map(|i| serde_json::json!({"id": i, "text": format!("第{i}篇"), "n": i}))
        .collect();
    rows[8999]["n"] = serde_json::json!({"not": "a number"});
    let message = refused(&rows);
    assert!(
        message.contains("a.parquet: a row of rows 8193 to 9000 does not fit the columns"),
        "{message}"
    );
    assert!(message.contains(r#"got {"not": "a number"}"#), "{message}");
    assert!(message.contains("write JSON Lines instead"), "{message}");
    assert!(!target.exists(), "no half-written corpus");

    // Nothing is truncated or dropped either: 2.5 or "007" into an integer
    // column, a field the first rows did not have.
    for late in [serde_json::json!(2.5), serde_json::json!("007")] {
        rows[8999]["n"] = late;
        let message = refused(&rows);
        assert!(
            message.contains("row 9000 does not fit the columns"),
            "{message}"
        );
    }
    rows[8999]["n"] = 8999.into();
    rows[8999]["late"] = "新字段".into();
    let message = refused(&rows);
    assert!(
        message.contains("does not fit the columns"),
        "a field the schema lacks is no silent loss: {message}"
    );
}

#[test]
fn a_streamed_run_gives_the_in_memory_report_and_the_same_corpora() {
    let dir = tempfile::tempdir().unwrap();
    let mut all = rows();
    // More copies, in two shards, so that partitions hold several clusters.
    for k in 0..40 {
        let mut row = all[k % 4].clone();
        row["id"] = format!("q{k:02}").into();
        all.push(row);
    }
    let shards = dir.path().join("shards");
    fs::create_dir(&shards).unwrap();
    write_rows(&shards, "part-0.jsonl", &all[..20]);
    write_rows(&shards, "part-1.jsonl", &all[20..]);
    let lean = dir.path().join("lean.json");
    fs::write(
        &lean,
        r#"{"analysis": {"enabled": false}, "boilerplate": {"enabled": false}}"#,
    )
    .unwrap();
    let run = |extra: &[&str], name: &str| {
        let out = chachong()
            .args([
                "dedup",
                "-q",
                "--level",
                "doc",
                "--format",
                "json",
                "--config",
                arg(&lean),
            ])
            .args(extra)
            .args(["--annotate", arg(&dir.path().join(format!("{name}.jsonl")))])
            .arg(arg(&shards))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let mut report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report.as_object_mut().unwrap().remove("stats");
        (report, read_rows(&dir.path().join(format!("{name}.jsonl"))))
    };
    let whole = run(&[], "whole");
    let temp = dir.path().join("spill");
    fs::create_dir(&temp).unwrap();
    let streamed = run(
        &["--stream", "--memory", "1K", "--temp-dir", arg(&temp)],
        "streamed",
    );
    assert_eq!(streamed.0, whole.0, "the same report but stats");
    assert_eq!(streamed.1, whole.1, "the same annotated corpus");
    assert!(whole.0["clusters"].as_array().unwrap().len() >= 2);
    assert_eq!(
        fs::read_dir(&temp).unwrap().count(),
        0,
        "the spill folder is removed"
    );

    let refused = |args: &[&str], expected: &str| {
        let out = chachong().args(args).output().unwrap();
        assert!(!out.status.success());
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    };
    refused(&["dedup", "--stream", "-"], "- is no file or folder");
    refused(
        &["dedup", "--stream", "--level", "both", arg(&shards)],
        "level doc",
    );
    refused(
        &["dedup", "--stream", "--memory", "lots", arg(&shards)],
        "no size",
    );
    refused(&["dedup", "--memory", "1G", arg(&shards)], "--stream");
}
