//! `chachong evaluate-passages`: how many copied passages a run finds, and
//! how many documents it links that share nothing.
//!
//! The truth is a tab-separated file with a header, one row per copied
//! passage, as the PAN text-alignment corpora give it: the copying
//! document, the source, and character offset and length on each side
//! (columns 3–6). Ids may carry a `.txt` ending, which a folder's ids do
//! not. A document pair is *linked* when the report pairs it, matches any
//! of their paragraphs, or gives it a passage or a containment; a passage is
//! *found* when a reported passage or paragraph match of its pair overlaps
//! at least half of it on both sides (a near-duplicate pair covers both
//! texts whole), and the table says how many the `passages` alone find. A *false link* joins a
//! copying document and a source that the list of known pairs
//! (`--pairs-all`, one pair a line; the truth's own pairs without it) does
//! not hold: by construction they share no text.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use chachong::{Deduplicator, Document, Report};

use crate::args::EvaluatePassagesArgs;
use crate::failure::{Failure, Result};
use crate::input::{Inputs, Reread};
use crate::output::Output;
use crate::progress::{Show, StderrProgress};
use crate::settings::{self, read_text};

type Pair = (String, String);

/// A match's character ranges: (in the copy, in the source).
type Ranges = ([usize; 2], [usize; 2]);

/// One copied passage: its pair and its character range on each side.
struct Passage {
    pair: Pair,
    copy: [usize; 2],
    source: [usize; 2],
}

pub fn run(args: EvaluatePassagesArgs) -> Result<()> {
    let config = settings::config(&args.config)?;
    let passages = read_truth(&args.truth)?;
    let known: BTreeSet<Pair> = match &args.pairs_all {
        Some(path) => read_pairs(path)?,
        None => passages.iter().map(|p| p.pair.clone()).collect(),
    };
    let show = if args.quiet {
        Show::Quiet
    } else {
        Show::Progress
    };
    let progress = StderrProgress::new(show);
    let inputs = Inputs::read(&args.input, &progress, Reread::No)?;
    let docs = &inputs.documents;
    let clock = Instant::now();
    let report = Deduplicator::new(config)?
        .run_with_progress(docs, &progress)
        .map_err(|err| inputs.name_error(err))?;
    let run_s = clock.elapsed().as_secs_f64();

    let mut out = String::new();
    let chars: usize = docs.iter().map(|d| d.char_len()).sum();
    let _ = writeln!(
        out,
        "corpus: {} documents, {chars} characters, {} paragraphs, {} skipped",
        docs.len(),
        report.stats.paragraphs,
        inputs.corpus.skipped.len()
    );
    let _ = writeln!(
        out,
        "time: read {:.2} s, run {run_s:.2} s on {} threads",
        inputs.read_ms / 1000.0,
        report.stats.threads
    );
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id(), d)).collect();
    scores(&mut out, &report, &passages, &known, &by_id);
    let mut stdout = Output::open(None)?;
    stdout.write_all(out.as_bytes())?;
    stdout.finish()
}

/// The table: pairs linked, passages found, false links.
fn scores(
    out: &mut String,
    report: &Report,
    passages: &[Passage],
    known: &BTreeSet<Pair>,
    docs: &HashMap<&str, &Document>,
) {
    let copies: BTreeSet<&str> = known.iter().map(|p| p.0.as_str()).collect();
    let sources: BTreeSet<&str> = known.iter().map(|p| p.1.as_str()).collect();
    // Each link as (copy, source), when its two ends are one of each.
    let oriented = |a: &str, b: &str| -> Option<Pair> {
        if copies.contains(a) && sources.contains(b) {
            Some((a.to_string(), b.to_string()))
        } else if copies.contains(b) && sources.contains(a) {
            Some((b.to_string(), a.to_string()))
        } else {
            None
        }
    };
    let chars: HashMap<&str, usize> = report
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.chars))
        .collect();
    let whole = |id: &str| [0, chars.get(id).copied().unwrap_or(0)];
    // Each link with the ranges it shows, (in the copy, in the source), and
    // whether they are a passage's.
    let mut links: HashMap<Pair, Vec<(Ranges, bool)>> = HashMap::new();
    let mut link = |a: &str, b: &str, ranges: Option<(Ranges, bool)>| {
        if let Some(pair) = oriented(a, b) {
            let entry = links.entry(pair.clone()).or_default();
            if let Some(((x, y), passage)) = ranges {
                let ranges = if pair.0 == a { (x, y) } else { (y, x) };
                entry.push((ranges, passage));
            }
        }
    };
    // A near-duplicate pair is a copy of the whole text.
    for p in &report.pairs {
        link(&p.a, &p.b, Some(((whole(&p.a), whole(&p.b)), false)));
    }
    for m in &report.paragraph_matches {
        link(&m.a, &m.b, Some(((m.a_range, m.b_range), false)));
    }
    for p in &report.passages {
        link(&p.a, &p.b, Some(((p.a_range, p.b_range), true)));
    }
    for c in &report.contained {
        link(&c.inner, &c.outer, None);
    }
    let truth_pairs: BTreeSet<&Pair> = passages.iter().map(|p| &p.pair).collect();
    let linked = truth_pairs
        .iter()
        .filter(|p| links.contains_key(**p))
        .count();
    let found_by = |only_passages: bool| {
        passages
            .iter()
            .filter(|p| {
                links.get(&p.pair).is_some_and(|ranges| {
                    ranges.iter().any(|((c, s), passage)| {
                        (*passage || !only_passages)
                            && half_covered(*c, p.copy)
                            && half_covered(*s, p.source)
                    })
                })
            })
            .count()
    };
    let (found, found_in_passages) = (found_by(false), found_by(true));
    let mut false_links: Vec<&Pair> = links.keys().filter(|p| !known.contains(*p)).collect();
    false_links.sort();
    let _ = writeln!(out);
    let _ = writeln!(out, "| measure | found | of | share |");
    let _ = writeln!(out, "|---|---|---|---|");
    let row = |out: &mut String, name: &str, n: usize, of: usize| {
        let share = if of == 0 { 0.0 } else { n as f64 / of as f64 };
        let _ = writeln!(out, "| {name} | {n} | {of} | {share:.3} |");
    };
    row(out, "pairs linked", linked, truth_pairs.len());
    row(out, "passages found", found, passages.len());
    row(
        out,
        "of which by `passages`",
        found_in_passages,
        passages.len(),
    );
    // A link outside the known pairs whose texts do hold what it shows is
    // shared text the truth does not list (web pages of one site, one spam
    // template), not a false positive of the method: checked here on the
    // raw texts, apart from the pipeline.
    let (sharing, empty): (Vec<&Pair>, Vec<&Pair>) = false_links.into_iter().partition(|p| {
        links[*p].iter().any(|((c, s), _)| {
            let text =
                |id: &str, r: [usize; 2]| docs.get(id).map_or("", |d| d.char_slice(r[0]..r[1]));
            shares_text(text(&p.0, *c), text(&p.1, *s))
        })
    });
    let _ = writeln!(
        out,
        "\nlinks outside the known pairs: {}; of which showing text the two documents share \
         (8-character windows of one range found in the other, at least half): {}; sharing none: {}",
        sharing.len() + empty.len(),
        sharing.len(),
        empty.len()
    );
    let _ = writeln!(out, "sharing none:");
    for (copy, source) in &empty {
        let _ = writeln!(out, "  {copy} {source}");
    }
    let _ = writeln!(out, "sharing text (first 10):");
    for (copy, source) in sharing.iter().take(10) {
        let _ = writeln!(out, "  {copy} {source}");
    }
}

/// Whether at least half of the 8-character windows of the shorter text,
/// lowercased and without whitespace, occur in the longer.
fn shares_text(x: &str, y: &str) -> bool {
    let squeeze = |t: &str| -> Vec<char> {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (x, y) = (squeeze(x), squeeze(y));
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if short.len() < 8 {
        return false;
    }
    let windows: std::collections::HashSet<&[char]> = long.windows(8).collect();
    let found = short.windows(8).filter(|w| windows.contains(w)).count();
    2 * found >= short.len() - 7
}

/// Whether `reported` overlaps at least half of `truth`.
fn half_covered(reported: [usize; 2], truth: [usize; 2]) -> bool {
    let overlap = reported[1]
        .min(truth[1])
        .saturating_sub(reported[0].max(truth[0]));
    2 * overlap >= truth[1] - truth[0]
}

fn id(name: &str) -> String {
    name.strip_suffix(".txt").unwrap_or(name).to_string()
}

/// The truth's passages; the first line is a header.
fn read_truth(path: &Path) -> Result<Vec<Passage>> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let bad = || Failure::new(format!("{}: line {}: {line:?}", path.display(), n + 1));
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 6 {
            return Err(bad());
        }
        let number = |i: usize| fields[i].trim().parse::<usize>().map_err(|_| bad());
        let (copy_at, copy_len) = (number(2)?, number(3)?);
        let (source_at, source_len) = (number(4)?, number(5)?);
        out.push(Passage {
            pair: (id(fields[0]), id(fields[1])),
            copy: [copy_at, copy_at + copy_len],
            source: [source_at, source_at + source_len],
        });
    }
    Ok(out)
}

/// Known (copy, source) pairs, one a line, separated by whitespace.
fn read_pairs(path: &Path) -> Result<BTreeSet<Pair>> {
    let text = read_text(path)?;
    let mut out = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [] => {}
            [a, b] => {
                out.insert((id(a), id(b)));
            }
            _ => {
                let why = format!("{}: line {}: {line:?}", path.display(), n + 1);
                return Err(Failure::new(why));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_text_is_told_from_none() {
        assert!(shares_text(
            "the quick brown fox jumps",
            "A QUICK brown\nfox jumps over"
        ));
        assert!(!shares_text(
            "the quick brown fox jumps",
            "lorem ipsum dolor sit amet"
        ));
        assert!(!shares_text("short", "short"));
    }

    #[test]
    fn half_of_the_passage_must_be_covered() {
        assert!(half_covered([0, 50], [0, 100]));
        assert!(!half_covered([0, 49], [0, 100]));
        assert!(half_covered([40, 400], [0, 100]));
        assert!(!half_covered([200, 300], [0, 100]));
    }
}
