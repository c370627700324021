//! The shape of the source, as DESIGN.md describes it, checked on every test
//! run: modules import downwards only (no circle), `pipeline.rs` stays a
//! small driver, functions stay short, and no function takes a `bool` that
//! picks between two behaviours.
//!
//! The checks read `src/` as text: comments and string literals are blanked
//! first, `#[cfg(test)]` modules are left out, and an import is any
//! `crate::module` path.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Layers from the bottom up: a module may import modules of its own layer
/// or below (within a layer, without a circle), never above. `source` reads
/// files beside the stages and may import only the bottom layer.
const LAYERS: &[&[&str]] = &[
    &[
        "error",
        "extent",
        "utf8",
        "sentence",
        "corpus",
        "check",
        "distinct",
        "prehashed",
        "progress",
        "bucket",
    ],
    &["normalize"],
    &["redact"],
    &["tokenize"],
    &["shingle"],
    &["prepare"],
    &[
        "fingerprint",
        "lsh",
        "hamming_index",
        "anchor",
        "verify",
        "cluster",
        "boilerplate",
        "paragraph",
        "passage",
        "revision",
        "align",
    ],
    &["analysis"],
    &["config"],
    &["report"],
    &["pipeline"],
    &["stream", "index"],
    &["lib"],
];
const BESIDE: &[(&str, usize)] = &[("source", 0)];

const MAX_PIPELINE_LINES: usize = 600;
const MAX_FUNCTION_LINES: usize = 80;

struct SourceFile {
    path: PathBuf,
    /// The top-level module the file belongs to (`lib` for lib.rs).
    module: String,
    /// The code with comments and literals blanked and test modules removed.
    code: String,
    lines: usize,
}

fn source_files() -> Vec<SourceFile> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    collect(&src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap();
            let module = first
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            SourceFile {
                lines: text.lines().count(),
                code: without_tests(&blank(&text)),
                module,
                path,
            }
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
            // A module's `tests.rs` is its unit tests, held apart.
            out.push(path);
        }
    }
}

/// The text with comments, string and character literals replaced by
/// spaces (newlines kept, so line numbers still hold).
fn blank(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let keep_lines = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(keep_lines(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&chars, i) {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &chars[i..j.min(chars.len())] {
                out.push(keep_lines(ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(keep_lines(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{3000}') or a lifetime ('a).
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// The code without `#[cfg(test)]` items (the unit test modules).
fn without_tests(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let open = match out[at..].find('{') {
            Some(open) => at + open,
            None => break,
        };
        let close = matching_brace(&out, open).unwrap_or(out.len() - 1);
        let blanked: String = out[at..=close]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..=close, &blanked);
    }
    out
}

/// The byte index of the brace closing the one at `open`.
fn matching_brace(code: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The top-level modules a file names through `crate::`.
fn imports(file: &SourceFile) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let code = &file.code;
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let found = from + at;
        let start = found + "crate::".len();
        let name: String = code[start..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        from = start;
        // `$crate::` in a macro, or another crate's name ending in `crate`.
        let prefixed = found > 0
            && (bytes[found - 1].is_ascii_alphanumeric() || b"_$".contains(&bytes[found - 1]));
        if prefixed {
            continue;
        }
        if !name.is_empty() && name != file.module {
            out.insert(name);
        }
    }
    // `use crate::{a, b::c}` groups.
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::{") {
        let open = from + at + "crate::".len();
        let close = matching_brace(code, open).unwrap_or(code.len() - 1);
        let mut depth = 0;
        let mut word = String::new();
        let mut expect_name = true;
        for c in code[open + 1..close].chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => expect_name = true,
                c if (c.is_alphanumeric() || c == '_') && depth == 0 && expect_name => word.push(c),
                _ => {
                    if !word.is_empty() {
                        if word != file.module {
                            out.insert(std::mem::take(&mut word));
                        }
                        word.clear();
                        expect_name = false;
                    }
                }
            }
        }
        if !word.is_empty() && word != file.module {
            out.insert(word);
        }
        from = close;
    }
    out
}

fn layer_of(module: &str) -> Option<(usize, bool)> {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
        .map(|l| (l, false))
        .or_else(|| {
            BESIDE
                .iter()
                .find(|(m, _)| *m == module)
                .map(|&(_, below)| (below, true))
        })
}

#[test]
fn modules_import_downwards_only() {
    let files = source_files();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for file in &files {
        let Some((layer, beside)) = layer_of(&file.module) else {
            wrong.push(format!(
                "{}: module {} has no layer in tests/structure.rs",
                file.path.display(),
                file.module
            ));
            continue;
        };
        for import in imports(file) {
            let Some((to, to_beside)) = layer_of(&import) else {
                continue;
            };
            let allowed = if beside {
                to <= layer && !to_beside
            } else {
                // Only these read files through `source`.
                let reads = ["lib", "pipeline", "stream"].contains(&file.module.as_str());
                to <= layer && (!to_beside || reads)
            };
            if !allowed {
                wrong.push(format!(
                    "{}: {} imports {import}, which is not below it",
                    file.path.display(),
                    file.module
                ));
            }
            graph.entry(file.module.clone()).or_default().insert(import);
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    if let Some(circle) = find_circle(&graph) {
        panic!("import circle: {}", circle.join(" -> "));
    }
}

fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(circle) = visit(node, graph, &mut Vec::new(), &mut done) {
            return Some(circle);
        }
    }
    None
}

#[test]
fn pipeline_is_a_small_driver() {
    let files = source_files();
    let pipeline = files
        .iter()
        .find(|f| f.path.ends_with("src/pipeline.rs"))
        .expect("src/pipeline.rs");
    assert!(
        pipeline.lines <= MAX_PIPELINE_LINES,
        "src/pipeline.rs has {} lines, more than {MAX_PIPELINE_LINES}",
        pipeline.lines
    );
}

/// Each `fn` item: its name, first line and number of lines.
fn functions(file: &SourceFile) -> Vec<(String, usize, usize, String)> {
    let code = &file.code;
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("fn ") {
        let start = from + at;
        from = start + 3;
        let word_start =
            start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if !word_start {
            continue;
        }
        let name: String = code[start + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` outside parentheses and angle
        // brackets of the signature; a `;` first means no body.
        let mut depth = 0i32;
        let mut body = None;
        for (i, c) in code[start..].char_indices() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                '{' if depth == 0 => {
                    body = Some(start + i);
                    break;
                }
                ';' if depth == 0 => break,
                _ => {}
            }
        }
        let Some(open) = body else { continue };
        let close = matching_brace(code, open).unwrap_or(code.len() - 1);
        let first = code[..start].matches('\n').count() + 1;
        let last = code[..close].matches('\n').count() + 1;
        out.push((name, first, last - first + 1, code[start..open].to_string()));
    }
    out
}

#[test]
fn functions_are_short() {
    let mut long = Vec::new();
    for file in source_files() {
        for (name, line, lines, _) in functions(&file) {
            if lines > MAX_FUNCTION_LINES {
                long.push(format!(
                    "{}:{line}: fn {name} has {lines} lines",
                    file.path.display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions longer than {MAX_FUNCTION_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn no_bool_selects_a_behaviour() {
    let mut found = Vec::new();
    for file in source_files() {
        for (name, line, _, signature) in functions(&file) {
            let flat: String = signature.split_whitespace().collect::<Vec<_>>().join(" ");
            for param in flat.split([',', '(']) {
                let Some((param_name, ty)) = param.split_once(':') else {
                    continue;
                };
                let ty = ty.trim().trim_end_matches(')').trim();
                let param_name = param_name.trim().trim_start_matches("mut ");
                // A setter of a boolean setting takes `yes` (STYLE.md, naming).
                let setter = param_name == "yes" && name.starts_with("with_");
                if ty == "bool" && !setter {
                    found.push(format!(
                        "{}:{line}: fn {name} takes `{param_name}: bool`",
                        file.path.display()
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
