//! `dedup`: find near-duplicate documents and copied paragraphs in a corpus.
//!
//! ```text
//! cargo run --release --example dedup -- \
//!     --split '^在全市高质量发展工作会议上的讲话篇\d+$' tests/data/speeches.txt
//! cargo run --release --example dedup -- --format json --output report.json corpus.jsonl
//! cargo run --release --example dedup -- --split '^在全市高质量发展工作会议上的讲话篇\d+$' \
//!     tests/data/speeches.txt --explain 在全市高质量发展工作会议上的讲话篇9 在全市高质量发展工作会议上的讲话篇5
//! ```
//!
//! Each INPUT is a `.jsonl` file, a folder of `.txt` files, or a text file
//! (split into documents at lines matching `--split`, or one document).
//! `--format text` prints clusters (with their canonical copy, kind of
//! copy, redactions and reconstructions), singletons, boilerplate and the
//! strongest paragraph matches; `--format json` prints the whole
//! [`chachong::Report`]. `--explain A B` prints how B compares with A
//! instead ([`chachong::Explanation`]).
//!
//! Bad input stops the run with one line on stderr and exit code 1; with
//! `--skip-invalid-utf8`, documents that are not valid UTF-8 are left out
//! and listed in the report's `skipped` instead. Progress goes to stderr
//! (a bar on a terminal, a line per stage otherwise) unless `--quiet`.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chachong::source::{InvalidUtf8, Reader};
use chachong::{
    Config, Corpus, Deduplicator, ErrorKind, Level, LshParams, Method, Progress, Stage, TokenKind,
    Verification,
};
use clap::{Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Parser, Debug)]
#[command(about = "Find near-duplicate documents and copied paragraphs (chachong)")]
struct Args {
    /// Input: a .jsonl file, a folder of .txt files, or a text file.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Split text files into documents at lines matching this regex.
    #[arg(long)]
    split: Option<String>,
    /// Which levels to compare [default: both].
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
    /// Document Jaccard threshold [default: 0.8].
    #[arg(long)]
    threshold: Option<f64>,
    /// Paragraph Jaccard threshold [default: 0.5].
    #[arg(long)]
    paragraph_threshold: Option<f64>,
    /// Token kind [default: char].
    #[arg(long, value_enum)]
    tokens: Option<TokensArg>,
    /// Tokens per shingle [default: 5 for char, 3 for word].
    #[arg(long)]
    ngram: Option<usize>,
    /// MinHash permutations [default: 128].
    #[arg(long)]
    num_perm: Option<usize>,
    /// LSH bands x rows, e.g. 9x13 [default: chosen from the threshold].
    #[arg(long, value_parser = parse_bands)]
    bands: Option<LshParams>,
    /// SimHash candidate distance [default: expected distance at the threshold].
    #[arg(long)]
    max_hamming: Option<u32>,
    /// Candidate method [default: minhash].
    #[arg(long, value_enum)]
    method: Option<MethodArg>,
    /// Explain how two documents compare (figures, aligned paragraphs,
    /// character diff) instead of running the corpus.
    #[arg(long, num_args = 2, value_names = ["ID", "ID"])]
    explain: Option<Vec<String>>,
    /// Verify candidates with the fingerprint estimate instead of exact Jaccard.
    #[arg(long)]
    estimate: bool,
    /// Read the config from a JSON file (a chachong::Config; flags given
    /// on the command line override it).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Paragraph matches shown by --format text.
    #[arg(long, default_value_t = 20)]
    show: usize,
    /// Write the report here instead of stdout.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Seed of every hash [default: 42].
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
    /// Leave out documents that are not valid UTF-8 (listed in the report
    /// as skipped) instead of stopping.
    #[arg(long)]
    skip_invalid_utf8: bool,
    /// No progress on stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LevelArg {
    Doc,
    Para,
    Both,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TokensArg {
    Char,
    Word,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum MethodArg {
    Minhash,
    Simhash,
    Exact,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

fn parse_bands(s: &str) -> Result<LshParams, String> {
    let (bands, rows) = s
        .split_once(['x', 'X'])
        .ok_or("expected BANDSxROWS, e.g. 9x13")?;
    Ok(LshParams {
        bands: bands.trim().parse().map_err(|e| format!("bands: {e}"))?,
        rows_per_band: rows.trim().parse().map_err(|e| format!("rows: {e}"))?,
    })
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dedup: error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), Box<dyn Error>> {
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()?;
    }
    let config = config(&args)?;
    let dedup = Deduplicator::new(config)?;
    // Opened first, so that a path that cannot be written fails at once,
    // not after the run.
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };

    let progress = StderrProgress::new(args.quiet);
    let clock = Instant::now();
    let mut reader = Reader::new().invalid_utf8(if args.skip_invalid_utf8 {
        InvalidUtf8::Skip
    } else {
        InvalidUtf8::Fail
    });
    if let Some(heading) = &args.split {
        reader = reader.split(heading)?;
    }
    let mut corpus = Corpus::default();
    // Where each input's documents start, to name the files of a clash.
    let mut starts = Vec::new();
    for input in &args.inputs {
        progress.note(&format!("reading {}", input.display()));
        starts.push(corpus.documents.len());
        corpus.extend(reader.read_path(input)?);
    }
    let Corpus {
        documents: mut docs,
        skipped,
    } = corpus;
    // Growth by doubling leaves up to half the vector unused.
    docs.shrink_to_fit();
    let read_ms = clock.elapsed().as_secs_f64() * 1000.0;
    if docs.is_empty() {
        let first = skipped.first().map(|s| format!(" (first: {s})"));
        return Err(format!(
            "no documents left: all {} skipped{}",
            skipped.len(),
            first.unwrap_or_default()
        )
        .into());
    }

    if let Some(ids) = &args.explain {
        let find = |id: &str| {
            docs.iter()
                .find(|d| d.id() == id)
                .ok_or_else(|| format!("--explain: no document with id {id:?}"))
        };
        let explanation = dedup.explain(find(&ids[0])?, find(&ids[1])?)?;
        match args.format {
            FormatArg::Text => out.write_all(explanation.to_text().as_bytes())?,
            FormatArg::Json => write_json(&mut out, &explanation)?,
        }
        return Ok(out.flush()?);
    }

    let mut report = dedup
        .run_with_progress(&docs, &progress)
        .map_err(|err| match err.kind() {
            ErrorKind::DuplicateId { id, positions } => {
                let file = |position: usize| {
                    let input = starts.partition_point(|&start| start <= position) - 1;
                    args.inputs[input].display().to_string()
                };
                format!(
                    "duplicate document id {id:?} (in {} and in {})",
                    file(positions.0),
                    file(positions.1)
                )
                .into()
            }
            _ => Box::<dyn Error>::from(err),
        })?;
    progress.finish();
    report.skipped = skipped;
    report.stats.timings_ms.read = read_ms;
    report.stats.timings_ms.total += read_ms;
    report.stats.peak_rss_bytes = peak_rss_bytes();

    match args.format {
        FormatArg::Text => out.write_all(report.to_text(&docs, args.show).as_bytes())?,
        // Streamed: a report can be far larger than the corpus.
        FormatArg::Json => write_json(&mut out, &report)?,
    }
    Ok(out.flush()?)
}

/// Progress on stderr: on a terminal a bar (or spinner) per stage, else a
/// line as each stage starts, with the seconds since the run began.
struct StderrProgress {
    quiet: bool,
    terminal: bool,
    started: Instant,
    /// One bar for every stage, hidden unless drawn on a terminal, so that
    /// counting a document is an atomic add and nothing else.
    bar: ProgressBar,
}

impl StderrProgress {
    fn new(quiet: bool) -> StderrProgress {
        StderrProgress {
            quiet,
            terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            // Drawn only from the first stage on, once it has a style.
            bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
        }
    }

    /// A line about something that is not a pipeline stage (reading).
    fn note(&self, what: &str) {
        if !self.quiet {
            self.bar.suspend(|| {
                eprintln!(
                    "dedup: [{:6.1}s] {what}",
                    self.started.elapsed().as_secs_f64()
                )
            });
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
        self.note("done");
    }
}

impl Progress for StderrProgress {
    fn start(&self, stage: Stage, total: Option<u64>) {
        if self.quiet {
            return;
        }
        if !self.terminal {
            let of = total.map(|n| format!(" ({n})")).unwrap_or_default();
            self.note(&format!("{}{of}", stage.as_str()));
            return;
        }
        let template = match total {
            Some(_) => "{msg:12} [{bar:40}] {pos}/{len} ({eta})",
            None => "{msg:12} {spinner} {elapsed}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_message(stage.as_str());
        self.bar.set_length(total.unwrap_or(0));
        self.bar.reset();
        if self.bar.is_hidden() {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar
            .enable_steady_tick(std::time::Duration::from_millis(200));
    }

    fn advance(&self, done: u64) {
        self.bar.inc(done);
    }
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`),
/// where Linux provides it.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Pretty JSON and a final newline.
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

fn config(args: &Args) -> Result<Config, Box<dyn Error>> {
    let mut config = match &args.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => Config::default(),
    };
    if let Some(level) = args.level {
        config = config.with_level(match level {
            LevelArg::Doc => Level::Document,
            LevelArg::Para => Level::Paragraph,
            LevelArg::Both => Level::Both,
        });
    }
    if let Some(tokens) = args.tokens {
        let tokens = match tokens {
            TokensArg::Char => TokenKind::Char,
            TokensArg::Word => TokenKind::Word,
        };
        // Word 3-grams play the role of character 5-grams.
        let ngram = if tokens == TokenKind::Word { 3 } else { 5 };
        config = config.with_tokens(tokens).with_shingle_len(ngram);
    }
    if let Some(ngram) = args.ngram {
        config = config.with_shingle_len(ngram);
    }
    if let Some(method) = args.method {
        config = config.with_method(match method {
            MethodArg::Minhash => Method::MinHash,
            MethodArg::Simhash => Method::SimHash,
            MethodArg::Exact => Method::Exact,
        });
    }
    if args.estimate {
        config = config.with_verification(Verification::Estimate);
    }
    if let Some(t) = args.threshold {
        config = config.with_jaccard_threshold(t);
    }
    if let Some(t) = args.paragraph_threshold {
        let mut paragraph = *config.paragraph();
        paragraph.jaccard_threshold = t;
        config = config.with_paragraph(paragraph);
    }
    if let Some(k) = args.num_perm {
        config = config.with_num_perm(k);
    }
    if args.bands.is_some() {
        config = config.with_lsh(args.bands);
    }
    if args.max_hamming.is_some() {
        config = config.with_max_hamming_distance(args.max_hamming);
    }
    if let Some(seed) = args.seed {
        config = config.with_seed(seed);
    }
    Ok(config)
}
