//! The command line: subcommands and their options.

use std::path::PathBuf;

use chachong::lsh::LshParams;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Near-duplicate documents and copied paragraphs, Chinese first.
#[derive(Parser, Debug)]
#[command(name = "chachong", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Find near-duplicate documents and copied paragraphs in a corpus.
    Dedup(DedupArgs),
    /// Explain how the second document compares with the first: figures,
    /// aligned paragraphs, character diff.
    Explain(ExplainArgs),
    /// Write the run as one HTML page to read: each document's 重复率,
    /// its copied spans linked to their sources, each cluster side by side.
    Report(ReportArgs),
    /// A persistent index: build it, add to it, check new documents
    /// against it, see what it holds.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Score the clusters against a ground truth of clusters.
    Evaluate(EvaluateArgs),
    /// Score copied-passage finding against a passage truth (PAN's TSV).
    EvaluatePassages(EvaluatePassagesArgs),
    /// Write a generated corpus with planted near-duplicates, and its truth.
    Generate(GenerateArgs),
    /// Write a Chinese corpus of copied passages in wrapped text, and its
    /// passage truth (PAN's TSV).
    GeneratePassages(GeneratePassagesArgs),
}

/// Where the documents come from.
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Input: a JSON Lines file (.jsonl, .ndjson, .json, or any file whose
    /// first character is `{`), a Parquet file, a Word file (.docx), a
    /// folder (of .txt and .docx files, and shards), or a text file; .gz
    /// and .zst are read through; `-` is standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Split text files into documents at lines matching this regex.
    #[arg(long)]
    pub split: Option<String>,
    /// Leave out documents that are not valid UTF-8 (listed in the report
    /// as skipped) instead of stopping.
    #[arg(long)]
    pub skip_invalid_utf8: bool,
    /// The encoding of text files (gbk, gb18030, big5, utf-16le, …) instead
    /// of finding it: a byte order mark, else UTF-8, else the Chinese,
    /// Japanese or Korean encoding the bytes look like.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// The JSON Lines field holding a document's id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// The JSON Lines field holding a document's text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
}

/// How documents are compared: each flag overrides the config file.
#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// Which levels to compare [default: both].
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Document Jaccard threshold [default: 0.8].
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Paragraph Jaccard threshold [default: 0.5].
    #[arg(long)]
    pub paragraph_threshold: Option<f64>,
    /// Token kind [default: char].
    #[arg(long, value_enum)]
    pub tokens: Option<TokensArg>,
    /// Tokens per shingle [default: 5 for char, 3 for word].
    #[arg(long)]
    pub ngram: Option<usize>,
    /// MinHash permutations [default: 128].
    #[arg(long)]
    pub num_perm: Option<usize>,
    /// LSH bands x rows, e.g. 9x13 [default: chosen from the threshold].
    #[arg(long, value_parser = parse_bands)]
    pub bands: Option<LshParams>,
    /// SimHash candidate distance [default: expected distance at the threshold].
    #[arg(long)]
    pub max_hamming: Option<u32>,
    /// Candidate method [default: minhash].
    #[arg(long, value_enum)]
    pub method: Option<MethodArg>,
    /// Verify candidates with the fingerprint estimate instead of exact Jaccard.
    #[arg(long)]
    pub estimate: bool,
    /// Read the config from a JSON file (a chachong::Config; flags given
    /// on the command line override it).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Seed of every hash [default: 42].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Which copy of a cluster is its canonical copy, the one kept
    /// [default: fewest-masks] (analysis.canonical in the config).
    #[arg(long, value_enum)]
    pub keep: Option<KeepArg>,
    /// The analyst's full report: boilerplate learned from every document,
    /// every phrase and sentence listed, every cluster analysed. By default
    /// a run at --level doc (a corpus run) bounds each to one in a hundred:
    /// the boilerplate learned from a sample of 1% of the documents (200 to
    /// 2,000, chosen by id), a summary listed (counts, and the 20 most
    /// widespread phrases among the first 1% by id, 200 to 1,000), the first
    /// 1% of the clusters analysed (10 to 100); a run comparing paragraphs
    /// does everything (boilerplate.sample, boilerplate.listing and
    /// analysis.clusters in the config).
    #[arg(long)]
    pub full_report: bool,
}

/// Where the report goes and how the run is shown.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Write the report here instead of stdout (`-`: stdout). The file is
    /// replaced only when the report is complete.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Worker threads [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct DedupArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// Paragraph matches shown by --format text.
    #[arg(long, default_value_t = 20)]
    pub show: usize,
    /// Explain how two documents compare (as `chachong explain`) instead
    /// of running the corpus.
    #[arg(long, num_args = 2, value_names = ["ID", "ID"])]
    pub explain: Option<Vec<String>>,
    #[command(flatten)]
    pub corpus: CorpusOutputArgs,
    #[command(flatten)]
    pub stream: StreamArgs,
}

/// A run over a corpus bigger than memory.
#[derive(Args, Debug, Default)]
pub struct StreamArgs {
    /// Hold no text for the run: read the inputs twice, spill band keys and
    /// candidate documents to disk, run each partition of candidates in
    /// memory. Document level only (the default with it); boilerplate is
    /// not looked for. Gives the clusters the in-memory run gives.
    #[arg(long)]
    pub stream: bool,
    /// With --stream: at most this much text in a partition run in memory
    /// (bytes, or with K, M, G) [default: 512M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size, requires = "stream")]
    pub memory: Option<u64>,
    /// With --stream: where to spill (a folder of its own is made there and
    /// removed) [default: the system's temporary folder].
    #[arg(long, value_name = "DIR", requires = "stream")]
    pub temp_dir: Option<PathBuf>,
}

/// A size: bytes, or a number with K, M, G or T (powers of 1024).
fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let upper = upper.strip_suffix('B').unwrap_or(&upper);
    let (number, shift) = match upper.chars().last() {
        Some('K') => (&upper[..upper.len() - 1], 10),
        Some('M') => (&upper[..upper.len() - 1], 20),
        Some('G') => (&upper[..upper.len() - 1], 30),
        Some('T') => (&upper[..upper.len() - 1], 40),
        _ => (upper, 0),
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is no size (such as 512M or 2G)"))?;
    let bytes = value * (1u64 << shift) as f64;
    if !(bytes.is_finite() && bytes >= 1.0) {
        return Err(format!("{text:?}: a size is at least 1 byte"));
    }
    Ok(bytes as u64)
}

/// The corpora a data pipeline takes from a run: every row annotated, the
/// rows kept, the rows dropped.
#[derive(Args, Debug, Default)]
pub struct CorpusOutputArgs {
    /// Write every input row, all its fields, with `cluster_id`,
    /// `cluster_size`, `canonical_id`, `keep`, `jaccard` and `copy_kind`
    /// added (.jsonl, .jsonl.gz, .jsonl.zst, .parquet; `-`: stdout).
    #[arg(long, value_name = "FILE")]
    pub annotate: Option<PathBuf>,
    /// Write the rows kept (one per cluster, and every document in none),
    /// all their fields, in the same formats.
    #[arg(long, value_name = "FILE")]
    pub kept: Option<PathBuf>,
    /// Write `id`, `cluster_id`, `canonical_id`, `jaccard` of every row
    /// dropped (.csv, .tsv, or as above).
    #[arg(long, value_name = "FILE")]
    pub drop_list: Option<PathBuf>,
}

impl CorpusOutputArgs {
    /// Every output asked for, with its flag.
    pub fn paths(&self) -> Vec<(&'static str, &std::path::Path)> {
        [
            ("--annotate", &self.annotate),
            ("--kept", &self.kept),
            ("--drop-list", &self.drop_list),
        ]
        .into_iter()
        .filter_map(|(flag, path)| path.as_deref().map(|p| (flag, p)))
        .collect()
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KeepArg {
    /// The first in the input.
    First,
    /// The longest.
    Longest,
    /// The one with the fewest masked places (the least redacted), then
    /// the longest.
    FewestMasks,
    /// The smallest id.
    SmallestId,
}

/// How a command works: threads, and whether it shows progress.
#[derive(Args, Debug)]
pub struct WorkArgs {
    /// Worker threads [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `index`'s subcommands.
#[derive(Subcommand, Debug)]
pub enum IndexCommand {
    /// Create an index of the inputs (in a new or empty folder), with
    /// dedup's config options; boilerplate is not looked for.
    Build(IndexBuildArgs),
    /// Add the inputs to an index (their ids must be new to it).
    Add(IndexAddArgs),
    /// Check the inputs against an index: each one's near-duplicates in it
    /// and among the inputs, reported as dedup reports; nothing is added.
    Query(IndexQueryArgs),
    /// What an index holds, as JSON.
    Stats(IndexStatsArgs),
    /// Merge an index's segments into one (each add is a segment; a query
    /// looks in each).
    Merge(IndexMergeArgs),
}

#[derive(Args, Debug)]
pub struct IndexMergeArgs {
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
}

#[derive(Args, Debug)]
pub struct IndexBuildArgs {
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// What an add holds of keys, ids and offsets before it writes them
    /// as a segment and starts another (bytes, or with K, M, G) [default:
    /// 512M]; the texts are never held. The segments of one add are named
    /// together: it lands whole or not at all.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory: Option<u64>,
    #[command(flatten)]
    pub work: WorkArgs,
}

#[derive(Args, Debug)]
pub struct IndexAddArgs {
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// What an add holds of keys, ids and offsets before it writes them
    /// as a segment and starts another (bytes, or with K, M, G) [default:
    /// 512M]; the texts are never held. The segments of one add are named
    /// together: it lands whole or not at all.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory: Option<u64>,
    #[command(flatten)]
    pub work: WorkArgs,
}

#[derive(Args, Debug)]
pub struct IndexQueryArgs {
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// A query runs with the config the index was built with: options
    /// given here must agree with it (an error says where they do not).
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: FormatArg,
    /// Write the report here instead of stdout (`-`: stdout), replaced only
    /// when whole.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Paragraph matches shown by --format text.
    #[arg(long, default_value_t = 20)]
    pub show: usize,
    /// The batch's rows annotated, kept and dropped, as `dedup` writes
    /// them; only the new side is removed: a batch document in a cluster
    /// with an indexed one is dropped.
    #[command(flatten)]
    pub corpus: CorpusOutputArgs,
    #[command(flatten)]
    pub work: WorkArgs,
}

#[derive(Args, Debug)]
pub struct IndexStatsArgs {
    /// The index folder.
    #[arg(long, value_name = "DIR")]
    pub index: PathBuf,
    /// Read everything the index holds against its checksums first.
    #[arg(long)]
    pub verify: bool,
}

/// `report`: dedup's input and config options, a page out.
#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Write the page here: one self-contained HTML file (styles and
    /// script inline, nothing fetched), replaced only when whole. Every
    /// boilerplate sentence is listed (and greyed) whatever --full-report.
    #[arg(long, value_name = "FILE", required_unless_present = "pdf")]
    pub html: Option<PathBuf>,
    /// Print the page to this PDF with Chromium (found on PATH as chromium,
    /// chromium-browser or google-chrome, or named by CHROMIUM).
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Also write the JSON report of the same run here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    #[command(flatten)]
    pub work: WorkArgs,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The first document's id (the original).
    pub a: String,
    /// The second document's id (the copy).
    pub b: String,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct EvaluatePassagesArgs {
    /// Truth: tab-separated, a header line, then one passage a row: copy
    /// id, source id, copy offset, copy length, source offset, source
    /// length (characters).
    #[arg(long)]
    pub truth: PathBuf,
    /// Every (copy, source) pair that may share text, one a line; a link
    /// between a copy and a source not listed is false [default: the
    /// truth's pairs].
    #[arg(long)]
    pub pairs_all: Option<PathBuf>,
    /// Progress on stderr off.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// Corpus: anything `dedup` reads.
    pub corpus: PathBuf,
    /// Truth: a JSON list of clusters (lists of ids; absent ids are
    /// singletons).
    pub truth: PathBuf,
    /// Start from this JSON config (a chachong::Config) instead of the
    /// defaults; the flags below override it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Document Jaccard threshold [default: the Config default, 0.8].
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Candidate method.
    #[arg(long, value_enum, default_value = "minhash")]
    pub method: MethodArg,
    /// Word tokens (jieba) instead of characters.
    #[arg(long)]
    pub words: bool,
    /// Tokens per shingle [default: 5 for characters, 3 for words].
    #[arg(long)]
    pub ngram: Option<usize>,
    /// LSH false-negative weight [default: the Config default].
    #[arg(long)]
    pub fn_weight: Option<f64>,
    /// Keep boilerplate in the evidence (do not look for it).
    #[arg(long)]
    pub no_boilerplate: bool,
    /// Plain connected components, without the chaining guard.
    #[arg(long)]
    pub no_chain_guard: bool,
    /// Skip the cluster analysis (alignment, redaction map), which the
    /// scores do not use.
    #[arg(long)]
    pub no_analysis: bool,
    /// Which levels to compare [default: both, as `dedup`]. Revisions come
    /// from the paragraph level's passages: `doc` scores clusters only, in
    /// a fraction of the time.
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// Number of documents.
    #[arg(long, default_value_t = 10_000)]
    pub n: usize,
    /// Share of the documents that are planted clusters.
    #[arg(long, default_value_t = 0.2)]
    pub dup_frac: f64,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Paragraphs of a background document, fewest-most (4-16: about 1,640
    /// characters a document; 1-5: about 500).
    #[arg(long, default_value = "4-16", value_parser = parse_range)]
    pub paragraphs: (usize, usize),
    /// The ids' start: `g` gives g0000000, g0000001, … (a corpus made in
    /// shards gives each its own).
    #[arg(long, default_value = "g")]
    pub id_prefix: String,
    /// Output JSON Lines; the truth goes beside it as `<stem>.truth.json`.
    #[arg(long)]
    pub out: PathBuf,
}

/// `MIN-MAX`, 1 ≤ MIN ≤ MAX.
fn parse_range(text: &str) -> std::result::Result<(usize, usize), String> {
    let bad = || format!("{text:?} is no range such as 4-16 (at least 1, fewest first)");
    let (low, high) = text.split_once('-').ok_or_else(bad)?;
    let low: usize = low.trim().parse().map_err(|_| bad())?;
    let high: usize = high.trim().parse().map_err(|_| bad())?;
    if low == 0 || low > high {
        return Err(bad());
    }
    Ok((low, high))
}

#[derive(Args, Debug)]
pub struct GeneratePassagesArgs {
    /// Mask digits (`*` or `x`) and places (`**`) in the copied passages.
    #[arg(long)]
    pub masks: bool,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 18)]
    pub seed: u64,
    /// Output JSON Lines; the truth goes beside it as `<stem>.truth.tsv`.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LevelArg {
    Doc,
    Para,
    Both,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TokensArg {
    Char,
    Word,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MethodArg {
    Minhash,
    Simhash,
    Exact,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
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
