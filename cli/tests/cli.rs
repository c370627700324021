//! The `chachong` command as a user runs it: the seed's cluster with every
//! method, and one test for each way the command once lost or destroyed
//! something (each of them failed on the `dedup` example it replaces).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/speeches.txt");
const HEADING: &str = r"^在全市高质量发展工作会议上的讲话篇\d+$";
const SPEECH: &str = "在全市高质量发展工作会议上的讲话";

fn chachong() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chachong"))
}

fn run(args: &[&str]) -> Output {
    chachong().args(args).output().expect("chachong runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

fn cluster_members(report: &serde_json::Value) -> Vec<Vec<String>> {
    report["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().trim_start_matches(SPEECH).to_string())
                .collect()
        })
        .collect()
}

/// Two documents that are copies, as JSON Lines.
const TWO: &str = concat!(
    "{\"id\":\"a\",\"text\":\"推进县域经济高质量发展，是新时代赋予我们的重大任务。\"}\n",
    "{\"id\":\"b\",\"text\":\"推进县域经济高质量发展，是新时代赋予我们的重大任务。\"}\n"
);

fn write(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    path
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn dedup_finds_the_seed_cluster_with_every_method() {
    for method in ["minhash", "simhash", "exact"] {
        let out = run(&[
            "dedup", "-q", "--split", HEADING, "--method", method, "--format", "json", SEED,
        ]);
        let report = json(&out);
        assert_eq!(
            cluster_members(&report),
            [["篇3", "篇5", "篇7", "篇9"]],
            "{method}"
        );
        assert_eq!(report["documents"].as_array().unwrap().len(), 9);
    }
}

#[test]
fn explain_shows_what_a_copy_hid() {
    let (a, b) = (format!("{SPEECH}篇9"), format!("{SPEECH}篇5"));
    let out = run(&["explain", &a, &b, "-q", "--split", HEADING, SEED]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("is a redacted copy of"), "{text}");
    assert!(text.contains("\"2014\" | [52, 56) \"****\""), "{text}");
}

#[test]
fn report_writes_a_page_and_the_json_of_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let (html, report) = (dir.path().join("seed.html"), dir.path().join("seed.json"));
    let out = run(&[
        "report",
        "-q",
        "--split",
        HEADING,
        "--html",
        arg(&html),
        "--json",
        arg(&report),
        SEED,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let page = fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(cluster_members(&report), [["篇3", "篇5", "篇7", "篇9"]]);
    for member in ["篇3", "篇5", "篇7", "篇9"] {
        assert!(
            page.contains(&format!("<li data-document=\"{SPEECH}{member}\">")),
            "{member}"
        );
    }
    // The page lists every boilerplate sentence the run found, to grey it.
    let sentences = report["boilerplate"]["sentences"].as_array().unwrap().len();
    assert!(sentences > 0);
    assert!(page.matches("<span class=\"boilerplate\"").count() >= sentences);
    // An input is never overwritten, nor is one file asked to hold both.
    let input = write(dir.path(), "v.jsonl", TWO.as_bytes());
    let out = run(&["report", "-q", "--html", arg(&input), arg(&input)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--html"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&input).unwrap(), TWO);
    let out = run(&[
        "report",
        "-q",
        "--html",
        arg(&html),
        "--json",
        arg(&html),
        arg(&input),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("give each its own file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&html).unwrap(), page);
}

#[test]
fn report_pdf_without_chromium_says_how_to_get_it_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "v.jsonl", TWO.as_bytes());
    let pdf = dir.path().join("r.pdf");
    let empty = tempfile::tempdir().unwrap();
    let out = chachong()
        .args(["report", "-q", "--pdf", arg(&pdf), arg(&input)])
        .env("PATH", empty.path())
        .env_remove("CHROMIUM")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("none was found"), "{}", stderr(&out));
    let out = chachong()
        .args(["report", "-q", "--pdf", arg(&pdf), arg(&input)])
        .env("CHROMIUM", dir.path().join("no-such-chromium"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no-such-chromium"),
        "{}",
        stderr(&out)
    );
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["v.jsonl"], "nothing but the input");
    // Neither --html nor --pdf: nothing to write.
    let out = run(&["report", "-q", arg(&input)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "v.jsonl", TWO.as_bytes());
    // The same file by another name, too.
    let other_name = dir.path().join(".").join("v.jsonl");
    for output in [&input, &other_name] {
        let out = run(&["dedup", "-q", arg(&input), "--output", arg(output)]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("is the input"), "{}", stderr(&out));
        assert_eq!(fs::read_to_string(&input).unwrap(), TWO);
    }
}

#[test]
fn a_failed_run_leaves_the_previous_report_whole() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "v.jsonl", TWO.as_bytes());
    let report = dir.path().join("report.json");
    let out = run(&[
        "dedup",
        "-q",
        "--format",
        "json",
        arg(&input),
        "--output",
        arg(&report),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = fs::read(&report).unwrap();
    assert!(!before.is_empty());
    // A run that fails after the output is open: a document of bad UTF-8.
    let bad = write(
        dir.path(),
        "bad.jsonl",
        b"{\"id\":\"c\",\"text\":\"caf\xe9\"}\n",
    );
    let out = run(&[
        "dedup",
        "-q",
        "--format",
        "json",
        arg(&bad),
        "--output",
        arg(&report),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read(&report).unwrap(), before);
    // No temporary file is left behind.
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn a_report_is_never_read_back_as_a_document_of_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("corpus");
    fs::create_dir(&folder).unwrap();
    write(
        &folder,
        "a.txt",
        "推进县域经济高质量发展，是新时代赋予我们的重大任务。".as_bytes(),
    );
    write(
        &folder,
        "b.txt",
        "今年以来，全市上下认真贯彻落实各项决策部署。".as_bytes(),
    );
    let inside = folder.join("report.txt");
    let out = run(&["dedup", "-q", arg(&folder), "--output", arg(&inside)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("in the input folder"),
        "{}",
        stderr(&out)
    );
    assert!(!inside.exists());
    // A report the folder does not read may go there, and twice over.
    let json_report = folder.join("report.json");
    for _ in 0..2 {
        let out = run(&[
            "dedup",
            "-q",
            "--format",
            "json",
            arg(&folder),
            "--output",
            arg(&json_report),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let report: serde_json::Value =
            serde_json::from_slice(&fs::read(&json_report).unwrap()).unwrap();
        assert_eq!(report["documents"].as_array().unwrap().len(), 2);
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn json_lines_are_read_whatever_their_name() {
    let dir = tempfile::tempdir().unwrap();
    let zst = zstd::stream::encode_all(TWO.as_bytes(), 3).unwrap();
    let inputs = [
        write(dir.path(), "c.JSONL", TWO.as_bytes()),
        write(dir.path(), "c.ndjson", TWO.as_bytes()),
        write(dir.path(), "c.json", TWO.as_bytes()),
        write(dir.path(), "c.jsonl.gz", &gzip(TWO.as_bytes())),
        write(dir.path(), "c.jsonl.zst", &zst),
        write(dir.path(), "noext", TWO.as_bytes()),
    ];
    for input in &inputs {
        let report = json(&run(&["dedup", "-q", "--format", "json", arg(input)]));
        assert_eq!(
            report["documents"].as_array().unwrap().len(),
            2,
            "{}",
            input.display()
        );
        assert_eq!(
            report["stats"]["inputs"][0]["format"],
            "jsonl",
            "{}",
            input.display()
        );
        assert_eq!(cluster_members(&report), [["a", "b"]]);
    }
    let zipped = &report_of_stdin(&gzip(TWO.as_bytes()), "-");
    assert_eq!(zipped["stats"]["inputs"][0]["compression"], "gzip");
    assert_eq!(
        report_of_stdin(TWO.as_bytes(), "/dev/stdin")["documents"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

fn report_of_stdin(bytes: &[u8], name: &str) -> serde_json::Value {
    let mut child = chachong()
        .args(["dedup", "-q", "--format", "json", name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    let report = json(&out);
    assert_eq!(report["documents"].as_array().unwrap().len(), 2, "{name}");
    report
}

#[test]
fn a_bom_hides_no_heading_and_the_preamble_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let seed = fs::read(SEED).unwrap();
    let with_bom = write(
        dir.path(),
        "bom.txt",
        &[b"\xef\xbb\xbf", &seed[..]].concat(),
    );
    let report = json(&run(&[
        "dedup",
        "-q",
        "--split",
        HEADING,
        "--format",
        "json",
        arg(&with_bom),
    ]));
    assert_eq!(report["documents"].as_array().unwrap().len(), 9);
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["line"], 1);
    assert!(skipped[0]["reason"]
        .as_str()
        .unwrap()
        .contains("before the first heading"));
    // A first heading right after the mark is kept.
    let tight = write(
        dir.path(),
        "tight.txt",
        "\u{feff}篇1\n甲乙丙丁戊己\n篇2\n庚辛壬癸子丑\n".as_bytes(),
    );
    let report = json(&run(&[
        "dedup",
        "-q",
        "--split",
        r"^篇\d$",
        "--format",
        "json",
        arg(&tight),
    ]));
    let ids: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["篇1", "篇2"]);
    assert!(report["skipped"].as_array().unwrap().is_empty());
}

#[test]
fn a_config_file_may_start_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "c.json",
        "\u{feff}{\"jaccard_threshold\": 0.7}".as_bytes(),
    );
    let input = write(dir.path(), "v.jsonl", TWO.as_bytes());
    let report = json(&run(&[
        "dedup",
        "-q",
        "--format",
        "json",
        "--config",
        arg(&config),
        arg(&input),
    ]));
    assert_eq!(report["config"]["jaccard_threshold"], 0.7);
}

#[test]
fn a_full_stderr_stops_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let out = chachong()
        .args([
            "dedup",
            "--split",
            HEADING,
            "--format",
            "json",
            "--output",
            arg(&report),
            SEED,
        ])
        .stderr(fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "exit {:?}", out.status);
    let report: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(cluster_members(&report), [["篇3", "篇5", "篇7", "篇9"]]);
}

#[test]
fn a_broken_pipe_ends_quietly() {
    let mut child = chachong()
        .args(["dedup", "-q", "--split", HEADING, "--format", "json", SEED])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the report (about 700 KB) is written.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        stderr(&out)
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn write_errors_name_where_they_happened() {
    let out = run(&[
        "dedup",
        "-q",
        "--split",
        HEADING,
        "--format",
        "json",
        "--output",
        "/dev/full",
        SEED,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/dev/full: No space left on device"),
        "{}",
        stderr(&out)
    );
    let out = chachong()
        .args(["dedup", "-q", "--split", HEADING, SEED])
        .stdout(fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("stdout: No space left on device"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_closed_stdout_is_an_error() {
    let out = Command::new("sh")
        .args(["-c", "exec \"$0\" dedup -q --split \"$1\" \"$2\" >&-"])
        .args([env!("CARGO_BIN_EXE_chachong"), HEADING, SEED])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stdout is closed"),
        "{}",
        stderr(&out)
    );
    // Sending it to /dev/null on purpose is no error.
    let out = Command::new("sh")
        .args([
            "-c",
            "exec \"$0\" dedup -q --split \"$1\" \"$2\" >/dev/null",
        ])
        .args([env!("CARGO_BIN_EXE_chachong"), HEADING, SEED])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn one_id_in_two_inputs_is_an_error_when_explained_too() {
    let dir = tempfile::tempdir().unwrap();
    let one = write(
        dir.path(),
        "one.jsonl",
        "{\"id\":\"x\",\"text\":\"推进县域经济高质量发展\"}\n".as_bytes(),
    );
    let two = write(
        dir.path(),
        "two.jsonl",
        "{\"id\":\"x\",\"text\":\"今年以来全市经济运行稳中有进\"}\n".as_bytes(),
    );
    let runs = [
        vec!["dedup", "-q", arg(&one), arg(&two)],
        vec!["dedup", "-q", arg(&one), arg(&two), "--explain", "x", "x"],
        vec!["explain", "x", "x", "-q", arg(&one), arg(&two)],
    ];
    for args in runs {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let message = stderr(&out);
        let want = format!(
            "duplicate document id \"x\" (in {} and in {})",
            one.display(),
            two.display()
        );
        assert!(message.contains(&want), "{args:?}: {message}");
    }
}

#[test]
fn a_link_stays_a_link_and_system_streams_are_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "v.jsonl", TWO.as_bytes());
    let real = write(dir.path(), "real.json", b"old");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = run(&[
        "dedup",
        "-q",
        "--format",
        "json",
        arg(&input),
        "--output",
        arg(&link),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::read_to_string(&real).unwrap().contains("\"clusters\""));
    // `--output /dev/stdout` with stdout a file: written there, not renamed
    // over /dev.
    let file = dir.path().join("stdout.json");
    let out = chachong()
        .args([
            "dedup",
            "-q",
            "--format",
            "json",
            arg(&input),
            "--output",
            "/dev/stdout",
        ])
        .stdout(fs::File::create(&file).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
    let report: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(cluster_members(&report), [["a", "b"]]);
}

#[test]
fn a_folder_or_a_read_only_file_is_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "v.jsonl", TWO.as_bytes());
    let out = run(&["dedup", "-q", arg(&input), "--output", arg(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
    let kept = write(dir.path(), "kept.json", b"keep me");
    let mut permissions = fs::metadata(&kept).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&kept, permissions).unwrap();
    let out = run(&["dedup", "-q", arg(&input), "--output", arg(&kept)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(fs::read(&kept).unwrap(), b"keep me");
}

#[test]
fn standard_input_is_an_input_too() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "v.jsonl", TWO.as_bytes());
    let out = chachong()
        .args(["dedup", "-q", "-", "--output", arg(&input)])
        .stdin(fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is the input"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&input).unwrap(), TWO);
}

#[test]
fn nothing_to_compare_or_nowhere_to_write_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.jsonl",
        b"{\"id\":\"a\",\"text\":\"caf\xe9\"}\n",
    );
    let cases: [(&[&str], &str); 3] = [
        (
            &["--skip-invalid-utf8", arg(&bad)],
            "no documents left: all 1 skipped",
        ),
        (
            &["--config", "no/such.json", SEED],
            "no/such.json: No such file or directory",
        ),
        (
            &["--output", "/no/dir/r.json", SEED],
            "/no/dir/r.json: No such file or directory",
        ),
    ];
    for (args, want) in cases {
        let out = chachong()
            .args(["dedup", "-q"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let message = stderr(&out);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(message.contains(want), "{args:?}: {message}");
        assert!(
            !message.contains(" at path "),
            "no temporary name: {message}"
        );
    }
}

#[test]
fn evaluate_passages_scores_links_and_passages() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let own = "今天我们召开全市高质量发展工作会议，主要任务是总结过去一年的工作。";
    let shared = "我们要自觉扛牢推进县域经济高质量发展的时代重任，坚持稳中求进工作总基调，全面深化改革开放。";
    let other = "春天来了，公园里的花都开了，孩子们在草地上放风筝，老人们在树下下棋聊天。";
    write(&docs, "copy.txt", format!("{own}\n{shared}").as_bytes());
    write(&docs, "source.txt", format!("{shared}\n{other}").as_bytes());
    write(&docs, "other.txt", other.as_bytes());
    let (at, len) = (own.chars().count() + 1, shared.chars().count());
    // The second passage is placed where no match is.
    let truth = format!(
        "susp\tsrc\tthis_offset\tthis_length\tsource_offset\tsource_length\n\
         copy.txt\tsource.txt\t{at}\t{len}\t0\t{len}\n\
         copy.txt\tsource.txt\t0\t{len}\t{at}\t{len}\n"
    );
    let truth = write(dir.path(), "truth.tsv", truth.as_bytes());
    let out = run(&["evaluate-passages", "--truth", arg(&truth), arg(&docs)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("| pairs linked | 1 | 1 | 1.000 |"), "{text}");
    assert!(
        text.contains("| passages found | 1 | 2 | 0.500 |"),
        "{text}"
    );
    assert!(text.contains("links outside the known pairs: 0;"), "{text}");

    // `other` and `source` share a paragraph: a link outside the known
    // pairs once `other` is a copy, and one that shows shared text.
    let pairs = write(
        dir.path(),
        "pairs",
        b"copy.txt source.txt\nother.txt x.txt\n",
    );
    let out = run(&[
        "evaluate-passages",
        "--truth",
        arg(&truth),
        "--pairs-all",
        arg(&pairs),
        arg(&docs),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("links outside the known pairs: 1;"), "{text}");
    assert!(text.contains("sharing none: 0\n"), "{text}");
    assert!(
        text.contains("sharing text (first 10):\n  other source"),
        "{text}"
    );

    let bad = write(
        dir.path(),
        "bad.tsv",
        b"header\ncopy.txt\tsource.txt\tx\t1\t0\t1\n",
    );
    let out = run(&["evaluate-passages", "--truth", arg(&bad), arg(&docs)]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bad.tsv: line 2"), "{}", stderr(&out));
}

#[test]
fn full_report_lists_every_boilerplate_sentence_at_document_level() {
    let seed = "../tests/data/speeches.txt";
    let split = "^在全市高质量发展工作会议上的讲话篇\\d+$";
    let report = |extra: &[&str]| {
        let mut args = vec![
            "dedup", "-q", "--format", "json", "--level", "doc", "--split", split,
        ];
        args.extend_from_slice(extra);
        args.push(seed);
        json(&run(&args))
    };
    let summary = report(&[]);
    assert_eq!(summary["boilerplate"]["summary_of"], 9);
    assert_eq!(
        summary["boilerplate"]["sentences"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let full = report(&["--full-report"]);
    assert!(full["boilerplate"].get("summary_of").is_none());
    assert!(!full["boilerplate"]["sentences"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(summary["clusters"], full["clusters"]);
    // The full report also learns from every document and analyses every
    // cluster, where a corpus run bounds both.
    assert_eq!(summary["config"]["boilerplate"]["sample"], "auto");
    assert_eq!(summary["config"]["analysis"]["clusters"], "auto");
    assert_eq!(full["config"]["boilerplate"]["sample"], "all");
    assert_eq!(full["config"]["analysis"]["clusters"], "all");
}

#[test]
fn the_seed_in_gbk_and_utf16_gives_the_clusters_of_the_utf8_seed() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string("../tests/data/speeches.txt").unwrap();
    let split = "^在全市高质量发展工作会议上的讲话篇\\d+$";
    let clusters = |path: &str, extra: &[&str]| {
        let mut args = vec!["dedup", "-q", "--format", "json", "--split", split];
        args.extend_from_slice(extra);
        args.push(path);
        let report = json(&run(&args));
        (
            report["clusters"].clone(),
            report["stats"]["inputs"][0]["encoding"].clone(),
        )
    };
    let (utf8, none) = clusters("../tests/data/speeches.txt", &[]);
    assert!(none.is_null());
    assert_eq!(utf8.as_array().unwrap().len(), 1);
    // GB18030 holds every character of the seed; chardetng calls it GBK.
    let gbk = write(dir.path(), "gbk.txt", &gb18030(&seed));
    let (found, encoding) = clusters(arg(&gbk), &[]);
    assert_eq!(found, utf8);
    assert_eq!(encoding, "GBK");
    // Each document says the encoding it was read in; UTF-8 ones say none.
    let documents = |path: &str| {
        let report = json(&run(&[
            "dedup", "-q", "--format", "json", "--split", split, path,
        ]));
        report["documents"].as_array().unwrap().clone()
    };
    let gbk_documents = documents(arg(&gbk));
    assert_eq!(gbk_documents.len(), 9);
    assert!(gbk_documents.iter().all(|d| d["encoding"] == "GBK"));
    assert!(documents("../tests/data/speeches.txt")
        .iter()
        .all(|d| d.get("encoding").is_none()));
    let (named, _) = clusters(arg(&gbk), &["--encoding", "gb18030"]);
    assert_eq!(named, utf8);
    let mut utf16 = vec![0xff, 0xfe];
    for unit in seed.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let utf16 = write(dir.path(), "utf16.txt", &utf16);
    assert_eq!(clusters(arg(&utf16), &[]).0, utf8);
    let out = chachong()
        .args([
            "dedup",
            "-q",
            "--encoding",
            "klingon",
            "--split",
            split,
            arg(&gbk),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no encoding is called \"klingon\""));
}

/// `text` in GB18030.
fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// `chachong index add` killed (SIGKILL) at many points of its run: the
/// index always opens as the old state or the new one, whole (every block
/// and document checked), and the next add goes through.
#[test]
fn an_add_killed_at_any_point_leaves_the_old_index_or_the_new() {
    use chachong::index::Index;
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.jsonl");
    for (path, prefix, n) in [(&first, "a", "300"), (&second, "b", "3000")] {
        let out = run(&[
            "generate",
            "--n",
            n,
            "--paragraphs",
            "1-5",
            "--id-prefix",
            prefix,
            "--out",
            arg(path),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let base = dir.path().join("base");
    let out = run(&[
        "index",
        "build",
        "-q",
        "--level",
        "doc",
        "--index",
        arg(&base),
        arg(&first),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // How long a whole add takes here, to kill it all along the way.
    let whole = dir.path().join("whole");
    copy_dir(&base, &whole);
    let started = std::time::Instant::now();
    let out = run(&["index", "add", "-q", "--index", arg(&whole), arg(&second)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let took = started.elapsed();
    let (old, new) = (300, 3300);
    let mut states = std::collections::BTreeMap::new();
    for k in 0..16u32 {
        let copy = dir.path().join(format!("kill-{k}"));
        copy_dir(&base, &copy);
        let mut child = chachong()
            .args(["index", "add", "-q", "--index", arg(&copy), arg(&second)])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took * k / 14);
        child.kill().ok();
        child.wait().unwrap();
        let index = Index::open(&copy).unwrap_or_else(|e| panic!("killed at {k}/14: {e}"));
        index
            .verify()
            .unwrap_or_else(|e| panic!("killed at {k}/14: {e}"));
        let documents = index.stats().documents;
        assert!(
            documents == old || documents == new,
            "killed at {k}/14: {documents} documents"
        );
        *states.entry(documents).or_insert(0) += 1;
        if documents == old {
            // The add goes through after a killed one (its leftovers removed).
            let out = run(&["index", "add", "-q", "--index", arg(&copy), arg(&second)]);
            assert!(
                out.status.success(),
                "after a kill at {k}/14: {}",
                stderr(&out)
            );
            assert_eq!(Index::open(&copy).unwrap().stats().documents, new);
            let names: Vec<String> = fs::read_dir(&copy)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(
                names.len(),
                14,
                "two segments of six files, the manifest and the lock: {names:?}"
            );
        }
    }
    eprintln!("documents after each kill (old {old}, new {new}): {states:?}");
    assert!(
        states.contains_key(&old),
        "no kill landed before the end: {states:?}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn index_build_query_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let out = run(&[
        "index",
        "build",
        "-q",
        "--index",
        arg(&idx),
        "--split",
        HEADING,
        SEED,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("9 documents added"),
        "{}",
        stderr(&out)
    );
    // 篇9 again under another id: a copy of 篇9 (and so of 篇3, 篇5, 篇7).
    let seed = fs::read_to_string(SEED).unwrap();
    let nine = seed.split(&format!("{SPEECH}篇9")).nth(1).unwrap();
    let batch = serde_json::json!({"id": "new", "text": nine}).to_string() + "\n";
    let batch = write(dir.path(), "new.jsonl", batch.as_bytes());
    let (dropped, kept) = (
        dir.path().join("dropped.csv"),
        dir.path().join("kept.jsonl"),
    );
    let report = json(&run(&[
        "index",
        "query",
        "-q",
        "--index",
        arg(&idx),
        "--format",
        "json",
        arg(&batch),
        "--drop-list",
        arg(&dropped),
        "--kept",
        arg(&kept),
    ]));
    // The batch's document and the indexed ones the report names.
    assert_eq!(report["documents"].as_array().unwrap().len(), 5);
    // Only the new side is removed: the new copy is dropped, nothing kept.
    let dropped = fs::read_to_string(&dropped).unwrap();
    assert!(
        dropped.lines().nth(1).unwrap().starts_with("new,"),
        "{dropped}"
    );
    assert_eq!(fs::read_to_string(&kept).unwrap(), "");
    let members = cluster_members(&report);
    assert_eq!(members, [["new", "篇3", "篇5", "篇7", "篇9"]]);
    let pairs = report["pairs"].as_array().unwrap();
    assert!(pairs.iter().all(|p| p["a"] == "new" || p["b"] == "new"));
    assert_eq!(pairs.len(), 4);
    let stats = json(&run(&["index", "stats", "--verify", "--index", arg(&idx)]));
    assert_eq!(stats["documents"], 9);
    assert_eq!(stats["segments"], 1);
    // Building where an index is: one line, nothing touched.
    let out = run(&["index", "build", "-q", "--index", arg(&idx), arg(&batch)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    assert_eq!(
        json(&run(&["index", "stats", "--index", arg(&idx)]))["documents"],
        9
    );
    // A query runs with the index's config: an option that agrees is
    // fine, one that does not is an error naming the field.
    let agrees = run(&[
        "index",
        "query",
        "-q",
        "--index",
        arg(&idx),
        "--threshold",
        "0.8",
        arg(&batch),
    ]);
    assert!(agrees.status.success(), "{}", stderr(&agrees));
    let differs = run(&[
        "index",
        "query",
        "-q",
        "--index",
        arg(&idx),
        "--threshold",
        "0.7",
        arg(&batch),
    ]);
    assert_eq!(differs.status.code(), Some(1));
    assert!(
        stderr(&differs).contains("jaccard_threshold 0.7 (index: 0.8)"),
        "{}",
        stderr(&differs)
    );
    // Another add (which holds more than 1K of keys, so writes its
    // segment as soon as it has pushed its one chunk), then a merge back
    // to one segment.
    let out = run(&[
        "index",
        "add",
        "-q",
        "--memory",
        "1K",
        "--index",
        arg(&idx),
        arg(&batch),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = fs::read_dir(&idx).unwrap().count();
    assert_eq!(files, 2 + 2 * 6, "no empty segment left behind");
    let out = run(&["index", "merge", "--index", arg(&idx)]);
    assert!(
        stderr(&out).contains("2 segments merged into 1"),
        "{}",
        stderr(&out)
    );
    let stats = json(&run(&["index", "stats", "--verify", "--index", arg(&idx)]));
    assert_eq!(
        (stats["documents"].as_u64(), stats["segments"].as_u64()),
        (Some(10), Some(1))
    );
    // A build whose input fails leaves no index behind to be "not empty".
    let failed = dir.path().join("failed");
    let out = run(&[
        "index",
        "build",
        "-q",
        "--index",
        arg(&failed),
        "no/such.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no/such.jsonl"), "{}", stderr(&out));
    assert!(!failed.exists());
}
