//! A run over a corpus bigger than memory, at document level, giving the
//! clusters the in-memory run gives.
//!
//! ```text
//! pass 1: read ─ fingerprint (a chunk at a time) ─ band keys to one file per band
//!         (each document keeps its id and figures: no text is held)
//! bands:  one band at a time, sorted ─ documents sharing a key joined (union-find)
//!         ─ components of two or more cut into partitions of at most `memory` bytes of text
//! pass 2: read again ─ each partition's documents to its own file
//! then:   each partition read back and run through the in-memory pipeline
//!         ─ clusters and pairs merged, sorted as one run sorts them
//! ```
//!
//! Every candidate pair of the in-memory run shares a band key, so its two
//! documents are in one component, hence in one partition: each partition
//! run finds the same candidates, verifies them the same way and makes the
//! same clusters, and the merged report equals the in-memory one apart from
//! `stats` (a test checks it). Boilerplate, which needs the whole corpus,
//! is not looked for: the config must have it off. Memory: about 60 bytes
//! per document (its id, figures and union-find entry) plus one band's
//! records (16 bytes per document) at a time, the chunk being
//! fingerprinted, and one partition's documents.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

mod components;
mod spill;

use self::components::Components;
use self::spill::SpillFile;
use crate::analysis::SUMMARY_CLUSTERS;
use crate::boilerplate::Boilerplate;
use crate::config::Level;
use crate::corpus::{first_repeated_id, Corpus, Document};
use crate::error::{Error, Result};
use crate::extent::Extent;
use crate::pipeline::Deduplicator;
use crate::progress::{Progress, Stage};
use crate::report::{Annotation, Cluster, DocumentSummary, Report, Stats};
use crate::source::Reader;

/// Text fingerprinted at a time in pass 1, in bytes.
const CHUNK_BYTES: usize = 64 << 20;

/// Where a streamed run spills and how much text a partition may hold.
///
/// # Examples
///
/// ```
/// use chachong::stream::Streaming;
///
/// let streaming = Streaming::new().memory(256 << 20).temp_dir("/tmp");
/// assert_eq!(streaming.memory_bytes(), 256 << 20);
/// ```
#[derive(Clone, Debug)]
pub struct Streaming {
    temp_dir: Option<PathBuf>,
    memory: u64,
}

impl Default for Streaming {
    fn default() -> Streaming {
        Streaming {
            temp_dir: None,
            memory: 512 << 20,
        }
    }
}

impl Streaming {
    /// Spill to the system's temporary folder; partitions of at most 512 MiB
    /// of text.
    pub fn new() -> Streaming {
        Streaming::default()
    }

    /// Spill into `dir` (in a folder of its own there, removed at the end).
    pub fn temp_dir(mut self, dir: impl Into<PathBuf>) -> Streaming {
        self.temp_dir = Some(dir.into());
        self
    }

    /// At most `bytes` of text in a partition run in memory (a component
    /// bigger than that is still run whole).
    pub fn memory(mut self, bytes: u64) -> Streaming {
        self.memory = bytes.max(1);
        self
    }

    /// The partition budget, in bytes of text.
    pub fn memory_bytes(&self) -> u64 {
        self.memory
    }
}

/// The ids of a corpus in input order, in one buffer.
#[derive(Clone, Debug, Default)]
pub struct Ids {
    text: String,
    ends: Vec<usize>,
}

impl Ids {
    fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// The number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id of the document at `ordinal`.
    pub fn get(&self, ordinal: usize) -> Option<&str> {
        let end = *self.ends.get(ordinal)?;
        let start = ordinal.checked_sub(1).map_or(0, |p| self.ends[p]);
        Some(&self.text[start..end])
    }

    /// Every id, in input order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).filter_map(|k| self.get(k))
    }
}

/// What a streamed run gives: the report, what the reads said besides the
/// documents, and the ids in input order (for outputs that go row by row).
#[derive(Debug)]
pub struct StreamedRun {
    /// The report, as [`Deduplicator::run`] gives it for the same
    /// documents (but `stats`).
    pub report: Report,
    /// The inputs read ([`Corpus::inputs`]) and the documents skipped.
    pub read: Corpus,
    /// Each document's id, in input order.
    pub ids: Ids,
    /// Each document's annotation, as [`Report::annotations`] gives it.
    pub annotations: Annotations,
}

/// The annotations of a streamed run, kept for cluster members only (every
/// other document is [`Annotation::alone`]), without the index of every id
/// [`Report::annotations`] builds.
#[derive(Clone, Debug, Default)]
pub struct Annotations {
    /// By ordinal, sorted.
    members: Vec<(u32, Annotation)>,
}

impl Annotations {
    /// The annotation of the document at `ordinal` (in input order) whose
    /// id `ids` holds.
    pub fn get(&self, ordinal: usize, ids: &Ids) -> Annotation {
        let found = self
            .members
            .binary_search_by_key(&ordinal, |(o, _)| *o as usize);
        match found {
            Ok(at) => self.members[at].1.clone(),
            Err(_) => Annotation::alone(ids.get(ordinal).unwrap_or_default()),
        }
    }
}

/// Each document's figures from pass 1.
#[derive(Default)]
struct Figures {
    ids: Ids,
    /// chars, paragraphs, shingles, masks.
    counts: Vec<[u32; 4]>,
    bytes: Vec<u32>,
}

impl Deduplicator {
    /// Runs the document level over `inputs` read by `reader`, holding no
    /// text beyond one chunk and one partition (module docs).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) unless
    /// the config is the document level, MinHash, without boilerplate;
    /// errors of the reads (the first error of either pass), of the spill
    /// folder (a full disk names the file), a repeated id
    /// ([`ErrorKind::DuplicateId`](crate::ErrorKind::DuplicateId), ordinals
    /// in input order), and of each partition's run.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::PathBuf;
    /// use chachong::stream::Streaming;
    /// use chachong::source::Reader;
    /// use chachong::{Config, Deduplicator};
    ///
    /// // Document level, no boilerplate (clusters-only also drops the analysis).
    /// let dedup = Deduplicator::new(Config::clusters_only())?;
    /// let reader = Reader::new().split(r"^在全市高质量发展工作会议上的讲话篇\d+$")?;
    /// let inputs = [PathBuf::from("tests/data/speeches.txt")];
    /// let run = dedup.run_streaming(&reader, &inputs, &Streaming::new(), &())?;
    /// let members: Vec<&str> = run.report.clusters[0].members.iter().map(|m| &m[m.len() - 4..]).collect();
    /// assert_eq!(members, ["篇3", "篇5", "篇7", "篇9"]);
    /// assert_eq!(run.ids.len(), 9);
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn run_streaming(
        &self,
        reader: &Reader,
        inputs: &[PathBuf],
        streaming: &Streaming,
        progress: &dyn Progress,
    ) -> Result<StreamedRun> {
        let started = Instant::now();
        self.check_streamable()?;
        let spill = match &streaming.temp_dir {
            Some(dir) => tempfile::Builder::new().prefix("chachong-").tempdir_in(dir),
            None => tempfile::Builder::new().prefix("chachong-").tempdir(),
        };
        let spill = spill.map_err(|e| {
            Error::io(
                streaming.temp_dir.as_deref().unwrap_or(Path::new("TMPDIR")),
                e,
            )
        })?;
        let mut stats = Stats {
            threads: rayon::current_num_threads(),
            ..Stats::default()
        };

        let clock = Instant::now();
        progress.start(Stage::Fingerprint, None);
        let (figures, bands, read) = self.pass_one(reader, inputs, spill.path(), progress)?;
        stats.timings_ms.fingerprint = millis(clock);
        check_ids(&figures.ids)?;

        let clock = Instant::now();
        progress.start(Stage::Candidates, Some(bands.len() as u64));
        let mut components = Components::new(figures.ids.len());
        for band in &bands {
            let mut records = spill::read_keys(band)?;
            records.par_sort_unstable();
            components.join_buckets(&records);
            drop(records);
            std::fs::remove_file(band).map_err(|e| Error::io(band, e))?;
            progress.advance(1);
        }
        let (partition_of, partitions) = components.partitions(&figures.bytes, streaming.memory);
        stats.timings_ms.candidates = millis(clock);

        let files = pass_two(
            reader,
            inputs,
            spill.path(),
            (&partition_of, partitions),
            &figures,
        )?;
        let mut merged = Merged::default();
        progress.start(Stage::Verify, Some(files.len() as u64));
        // Which clusters are analysed depends on where they stand in the
        // whole report: each partition analyses all of its own (but those
        // too large, unless every cluster is asked for), and the merge
        // keeps the analyses the bound lets through.
        let mut analysis = *self.config().analysis();
        if analysis.clusters != Extent::All {
            analysis.clusters = Extent::AtMost(usize::MAX);
        }
        let partitions =
            Deduplicator::new(self.config().clone().with_analysis(analysis))?.without_early_sets();
        for file in &files {
            let (ordinals, docs) = spill::read_documents(file)?;
            std::fs::remove_file(file).map_err(|e| Error::io(file, e))?;
            let mut report = partitions.run(&docs)?;
            let notes = both_annotations(&mut report, &docs)?;
            merged.add(report, &ordinals, notes);
            progress.advance(1);
        }
        let (report, notes) = self.assemble(&figures, merged, stats, started);
        Ok(StreamedRun {
            report,
            read,
            ids: figures.ids,
            annotations: Annotations { members: notes },
        })
    }

    fn check_streamable(&self) -> Result<()> {
        let config = self.config();
        if config.level() != Level::Document {
            return Err(Error::invalid_config(
                "level",
                "a streamed run compares documents only (level doc)",
            ));
        }
        config.check_band_keys_suffice("a streamed run")
    }

    /// Pass 1: every document's figures, and its band keys written to one
    /// file per band.
    fn pass_one(
        &self,
        reader: &Reader,
        inputs: &[PathBuf],
        spill: &Path,
        progress: &dyn Progress,
    ) -> Result<(Figures, Vec<PathBuf>, Corpus)> {
        let bands = self.document_lsh().bands;
        let mut files = (0..bands)
            .map(|b| SpillFile::create(spill.join(format!("band-{b}")), 1 << 20))
            .collect::<Result<Vec<_>>>()?;
        let mut figures = Figures::default();
        let mut chunk: Vec<Document> = Vec::new();
        let mut chunk_bytes = 0;
        let mut read = Corpus::default();
        for input in inputs {
            let corpus = reader.for_each_document_in(input, |doc| {
                chunk_bytes += doc.text().len();
                chunk.push(doc);
                if chunk_bytes >= CHUNK_BYTES {
                    progress.advance(chunk.len() as u64);
                    self.fingerprint_chunk(&mut chunk, &mut figures, &mut files)?;
                    chunk_bytes = 0;
                }
                Ok(())
            })?;
            read.extend(corpus);
        }
        self.fingerprint_chunk(&mut chunk, &mut figures, &mut files)?;
        if figures.ids.is_empty() {
            return Err(Error::no_documents(None));
        }
        let files = files
            .into_iter()
            .map(SpillFile::finish)
            .collect::<Result<Vec<_>>>()?;
        Ok((figures, files, read))
    }

    /// Fingerprints the documents of `chunk` (and empties it): figures
    /// kept, band keys written.
    fn fingerprint_chunk(
        &self,
        chunk: &mut Vec<Document>,
        figures: &mut Figures,
        files: &mut [SpillFile],
    ) -> Result<()> {
        if chunk.is_empty() {
            return Ok(());
        }
        if let Some(doc) = chunk.iter().find(|d| d.text().len() > u32::MAX as usize) {
            let reason = format!("{} bytes, 4 GiB or more", doc.text().len());
            return Err(Error::too_large(Some(doc.id()), reason));
        }
        let bands = files.len();
        let prints = self.band_keys(chunk);
        for (k, doc) in chunk.iter().enumerate() {
            // Ordinals are u32 below u32::MAX (the union-find's size).
            let ordinal = u32::try_from(figures.ids.len())
                .ok()
                .filter(|&o| o < u32::MAX)
                .ok_or_else(|| Error::too_large(None, "u32::MAX documents or more"))?;
            let original = prints.documents.original[k].index();
            let shingles = prints.documents.counts[original];
            figures.ids.push(doc.id());
            let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            figures.counts.push([
                narrow(doc.char_len()),
                narrow(doc.paragraphs().len()),
                narrow(shingles),
                narrow(prints.masks[k]),
            ]);
            figures.bytes.push(narrow(doc.text().len()));
            // An empty document is never anyone's near-duplicate.
            if shingles == 0 {
                continue;
            }
            let keys = &prints.documents.band_keys[original * bands..(original + 1) * bands];
            for (file, &key) in files.iter_mut().zip(keys) {
                file.write_key(key, ordinal)?;
            }
        }
        chunk.clear();
        Ok(())
    }

    /// The merged report: every document's summary from pass 1, the
    /// partitions' clusters and pairs in the order one run sorts them.
    fn assemble(
        &self,
        figures: &Figures,
        merged: Merged,
        mut stats: Stats,
        started: Instant,
    ) -> (Report, Vec<(u32, Annotation)>) {
        let mut documents: Vec<DocumentSummary> = figures
            .counts
            .iter()
            .enumerate()
            .map(
                |(k, &[chars, paragraphs, shingles, masks])| DocumentSummary {
                    id: figures.ids.get(k).unwrap_or_default().to_string(),
                    chars: chars as usize,
                    paragraphs: paragraphs as usize,
                    shingles: shingles as usize,
                    masks: masks as usize,
                    encoding: None,
                },
            )
            .collect();
        documents.par_sort_by(|x, y| x.id.cmp(&y.id));
        let Merged {
            clusters,
            mut pairs,
            mut chain_splits,
            parts,
            notes,
        } = merged;
        let (mut clusters, global) = in_report_order(clusters);
        let auto = Extent::corpus_bound(clusters.len(), SUMMARY_CLUSTERS);
        let analysed = self.config().analysis().clusters.bound(Some(auto));
        let analysed = analysed.unwrap_or(usize::MAX);
        for cluster in clusters.iter_mut().skip(analysed) {
            cluster.analysis = None;
        }
        let mut notes: Vec<(u32, Annotation)> = notes
            .into_iter()
            .map(|(ordinal, (with, without))| {
                let at = with.cluster_id.map(|local| global[local]);
                let mut note = match (at, without) {
                    (Some(k), Some(without)) if k >= analysed => *without,
                    _ => with,
                };
                note.cluster_id = at;
                (ordinal, note)
            })
            .collect();
        notes.sort_unstable_by_key(|(ordinal, _)| *ordinal);
        pairs.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
        chain_splits.sort_by(|x, y| x.document.cmp(&y.document));
        stats.documents = documents.len();
        stats.paragraphs = figures.counts.iter().map(|c| c[1] as usize).sum();
        stats.empty_documents = figures.counts.iter().filter(|c| c[2] == 0).count();
        stats.lsh = Some(self.document_lsh());
        stats.large_clusters = parts.large_clusters;
        stats.candidate_pairs = parts.candidate_pairs;
        stats.verified_pairs = parts.verified_pairs;
        stats.copies = parts.copies;
        stats.timings_ms.verify = parts.timings_ms.verify;
        stats.timings_ms.cluster = parts.timings_ms.cluster;
        stats.timings_ms.analysis = parts.timings_ms.analysis;
        stats.timings_ms.total = started.elapsed().as_secs_f64() * 1000.0;
        let report = Report {
            config: self.config().clone(),
            documents,
            skipped: Vec::new(),
            clusters,
            pairs,
            paragraph_matches: Vec::new(),
            passages: Vec::new(),
            contained: Vec::new(),
            revisions: Vec::new(),
            boilerplate: Boilerplate::default(),
            chain_splits,
            stats,
        };
        (report, notes)
    }
}

/// Pass 2: the documents of each partition to a file of its own.
fn pass_two(
    reader: &Reader,
    inputs: &[PathBuf],
    spill: &Path,
    (partition_of, partitions): (&[Option<u32>], usize),
    figures: &Figures,
) -> Result<Vec<PathBuf>> {
    let mut files = (0..partitions)
        .map(|p| SpillFile::create(spill.join(format!("partition-{p}")), 64 << 10))
        .collect::<Result<Vec<_>>>()?;
    let mut ordinal = 0usize;
    for input in inputs {
        reader.for_each_document_in(input, |doc| {
            let at = ordinal;
            ordinal += 1;
            // Another document than the first pass saw: the input changed.
            let same = figures.ids.get(at) == Some(doc.id())
                && figures.bytes.get(at).map(|&b| b as usize) == Some(doc.text().len());
            let (Some(&partition), true) = (partition_of.get(at), same) else {
                return Err(changed(input));
            };
            match partition {
                Some(p) => files[p as usize].write_document(at as u32, &doc),
                None => Ok(()),
            }
        })?;
    }
    if ordinal != partition_of.len() {
        return Err(changed(inputs.last().map_or(Path::new("-"), |p| p)));
    }
    files.into_iter().map(SpillFile::finish).collect()
}

fn changed(input: &Path) -> Error {
    Error::io(
        input,
        std::io::Error::other("changed between the two passes of a streamed run"),
    )
}

/// Fails on the first id (in input order of its second occurrence) that
/// two documents share.
fn check_ids(ids: &Ids) -> Result<()> {
    let id = |ordinal: usize| ids.get(ordinal).unwrap_or_default();
    match first_repeated_id(ids.len(), id) {
        Some((first, again)) => Err(Error::duplicate_id(id(again), first, again)),
        None => Ok(()),
    }
}

/// What the partitions' runs found, gathered.
#[derive(Default)]
struct Merged {
    /// Every partition's clusters, in the order found.
    clusters: Vec<Cluster>,
    pairs: Vec<crate::report::DuplicatePair>,
    chain_splits: Vec<crate::cluster::ChainSplit>,
    /// Their stats, summed.
    parts: Stats,
    /// The annotation of each cluster member by ordinal, its `cluster_id`
    /// an index into `clusters`: with its cluster's analysis, and as it
    /// reads when the cluster is not analysed (`None`: the same).
    notes: Vec<(u32, Notes)>,
}

impl Merged {
    /// Adds a partition's report and its documents' annotations
    /// (`ordinals` says where each document stands in the input).
    fn add(&mut self, report: Report, ordinals: &[u32], notes: Vec<Notes>) {
        let first = self.clusters.len();
        for (&ordinal, (mut with, mut without)) in ordinals.iter().zip(notes) {
            if let Some(local) = with.cluster_id {
                for note in std::iter::once(&mut with).chain(without.as_deref_mut()) {
                    note.cluster_id = Some(first + local);
                }
                self.notes.push((ordinal, (with, without)));
            }
        }
        self.clusters.extend(report.clusters);
        self.pairs.extend(report.pairs);
        self.chain_splits.extend(report.chain_splits);
        let (sum, part) = (&mut self.parts, report.stats);
        sum.large_clusters += part.large_clusters;
        sum.candidate_pairs += part.candidate_pairs;
        sum.verified_pairs += part.verified_pairs;
        sum.copies += part.copies;
        sum.timings_ms.verify += part.timings_ms.verify;
        sum.timings_ms.cluster += part.timings_ms.cluster;
        sum.timings_ms.analysis += part.timings_ms.analysis;
    }
}

/// A document's annotation with its cluster's analysis, and as it reads
/// without (`None` when that is the same: no cluster, or no analysis;
/// boxed, so that a note with none costs a pointer more, not a second
/// annotation's size, at ten million documents).
type Notes = (Annotation, Option<Box<Annotation>>);

/// Each document's [`Notes`] in `report`: without the analysis, the
/// canonical copy is chosen by the policy alone and there is no copy kind;
/// the merge picks one by where the cluster stands.
fn both_annotations(report: &mut Report, docs: &[Document]) -> Result<Vec<Notes>> {
    let ids = || docs.iter().map(Document::id);
    let with = report.annotations(ids())?;
    if report.clusters.iter().all(|c| c.analysis.is_none()) {
        return Ok(with.into_iter().map(|w| (w, None)).collect());
    }
    let analyses: Vec<_> = report
        .clusters
        .iter_mut()
        .map(|c| c.analysis.take())
        .collect();
    let without = report.annotations(ids());
    for (cluster, analysis) in report.clusters.iter_mut().zip(analyses) {
        cluster.analysis = analysis;
    }
    let analysed = |note: &Annotation| {
        note.cluster_id
            .is_some_and(|k| report.clusters[k].analysis.is_some())
    };
    Ok(with
        .into_iter()
        .zip(without?)
        .map(|(w, o)| {
            let differs = analysed(&w);
            (w, differs.then(|| Box::new(o)))
        })
        .collect())
}

/// `clusters` sorted as one run sorts them (by first member), and where
/// each one went.
fn in_report_order(clusters: Vec<Cluster>) -> (Vec<Cluster>, Vec<usize>) {
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by(|&x, &y| clusters[x].members[0].cmp(&clusters[y].members[0]));
    let mut global = vec![0; clusters.len()];
    for (at, &found) in order.iter().enumerate() {
        global[found] = at;
    }
    let mut slots: Vec<Option<Cluster>> = clusters.into_iter().map(Some).collect();
    let sorted = order.iter().filter_map(|&k| slots[k].take()).collect();
    (sorted, global)
}

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests;
