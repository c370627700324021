//! A persistent index: documents kept on disk with their LSH band keys, so
//! that a new batch is checked against everything seen without recomputing
//! it, then added.
//!
//! ```text
//! DIR/MANIFEST          JSON: format, version, the Config, the segments and their files' checks,
//!                       then a line "#xxh3 <hex>" over the JSON
//! DIR/seg-NNNNNN.*      one segment per add (see segment.rs): texts, offsets, band keys, id hashes
//! DIR/LOCK              held (flock) by the one writer
//! ```
//!
//! **Query** (`Index::query`): the batch's band keys (the pipeline's own,
//! at the index's config) are looked up in every segment; the documents
//! sharing one are read back, their keys looked up in turn, until no new
//! document joins; those and the batch run through the in-memory pipeline,
//! and the report keeps what concerns the batch. Every candidate pair of a
//! run over index ∪ batch shares a band key, so each batch document's
//! component, its groups and the pairs listed in them are that run's: the
//! pairs between the batch and the index, and inside the batch, are the
//! ones it finds (a test checks it). Boilerplate, which needs the whole
//! corpus, is off.
//!
//! **Paragraphs** (a config at level `both` or `paragraph`: the 查重
//! reference library): each segment also keeps its documents' paragraph
//! band keys (the paragraph stage's LSH at the paragraph threshold) and
//! anchors (its containment candidates). A query adds the indexed
//! documents holding a paragraph that shares one with a batch paragraph,
//! so that a new report built from paragraphs of several indexed documents,
//! none of them a copy as a whole, gets every copied paragraph matched.
//! A key or anchor held by more than `paragraph.anchors.max_postings`
//! documents (batch and index together) joins nobody: the anchor index's
//! own rule, applied to documents (the pipeline counts distinct paragraph
//! texts), so on a library where one paragraph recurs in hundreds of
//! documents the query's paragraph matches are fewer than a whole run's.
//!
//! **Add**: a new segment is written and synced under names no manifest
//! holds, then a new manifest is written beside the old one and renamed
//! over it: a writer killed at any point leaves the old state or the new
//! one, never a mix. The next writer removes what a killed one left.
//! Readers never lock: files, once named by a manifest, are not changed.
//!
//! **Checks**: the manifest's own checksum when it is read; each file's
//! length and head when a segment is opened (a few KB each, whatever the
//! index's size); each block of a table and each stored document when it
//! is first read. A flipped byte is an error naming the file.
//!
//! **Merge** (`Index::merge`): the segments rewritten as one, keys copied,
//! written like an add; the old files removed after.
//!
//! Not yet: merging in the background (a merge is asked for).

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

mod segment;
mod table;

use self::segment::{Bands, Segment, SegmentMeta, SegmentWriter};
use self::table::remove_if_there;
use crate::config::Config;
use crate::corpus::{self, Document};
use crate::error::{Error, Result};
use crate::lsh::LshParams;
use crate::pipeline::{Deduplicator, DocumentKeys, Focus};
use crate::report::{Annotation, Report};

/// The manifest's file name.
const MANIFEST: &str = "MANIFEST";
/// What the manifest says it is.
const FORMAT: &str = "chachong-index";
/// The index layout this build writes and reads. Version 3: character
/// shingles are hashed from their code points (so every band key changed);
/// an index of version 2 is refused and must be built again.
pub const INDEX_VERSION: u32 = 3;
/// The trailer line before the manifest's checksum.
const CHECKSUM_LINE: &str = "\n#xxh3 ";

/// The manifest: the index's whole state.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    config: Config,
    /// The bands and rows the keys were made with (chosen from the
    /// config's threshold when it sets none): a build that would choose
    /// others cannot query this index.
    lsh: LshParams,
    /// The paragraph level's, when paragraphs are compared.
    paragraph_lsh: Option<LshParams>,
    next_segment: u64,
    segments: Vec<SegmentMeta>,
}

/// What an index holds.
///
/// # Examples
///
/// ```
/// use chachong::index::Index;
/// use chachong::{Config, Document};
///
/// let dir = tempfile::tempdir()?;
/// let mut index = Index::create(dir.path().join("idx"), Config::clusters_only())?;
/// index.add(&[Document::new("a", "推进县域经济高质量发展，是新时代赋予我们的重大任务。")])?;
/// let stats = index.stats();
/// assert_eq!((stats.documents, stats.segments), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexStats {
    /// Documents in the index.
    pub documents: u64,
    /// Segments (one per add).
    pub segments: usize,
    /// Bytes of stored texts (compressed, with ids).
    pub text_bytes: u64,
    /// Bytes of what finds documents as a whole: document band keys,
    /// offsets, id hashes, the manifest.
    pub other_bytes: u64,
    /// `other_bytes` per document.
    pub other_bytes_per_document: f64,
    /// Bytes of what finds paragraphs: paragraph band keys and anchors (0
    /// when the config does not compare paragraphs).
    pub paragraph_bytes: u64,
    /// `paragraph_bytes` per document.
    pub paragraph_bytes_per_document: f64,
}

/// A persistent index of documents (see the [module docs](self)).
///
/// # Examples
///
/// ```
/// use chachong::index::Index;
/// use chachong::{Config, Document};
///
/// let speech = "推进县域经济高质量发展，是新时代赋予我们的重大任务。我们要坚持稳中求进，统筹发展和安全。";
/// let dir = tempfile::tempdir()?;
/// let mut index = Index::create(dir.path(), Config::clusters_only())?;
/// index.add(&[Document::new("old", speech), Document::new("other", "今天天气很好，我们去公园散步吧。")])?;
///
/// // Later, in another process: open it and check a new batch against it.
/// let index = Index::open(dir.path())?;
/// let report = index.query(&[Document::new("new", format!("{speech}\n"))])?;
/// assert_eq!(report.clusters[0].members, ["new", "old"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Index {
    dir: PathBuf,
    manifest: Manifest,
    segments: Vec<Segment>,
    dedup: Deduplicator,
    /// Bytes of keys an add holds before it writes them as a segment.
    add_memory: usize,
}

/// What an add holds by default before it writes a segment: 512 MiB, about
/// 900,000 documents at document level.
pub const DEFAULT_ADD_MEMORY: usize = 512 << 20;

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("dir", &self.dir)
            .field("segments", &self.segments.len())
            .finish()
    }
}

impl Index {
    /// Creates an empty index in `dir` (which must not exist or be empty),
    /// for `config`: MinHash, without boilerplate.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Index`](crate::ErrorKind::Index) if `dir` holds files;
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for a
    /// config an index cannot keep; I/O errors.
    pub fn create(dir: impl Into<PathBuf>, config: Config) -> Result<Index> {
        let dir = dir.into();
        check_indexable(&config)?;
        let dedup = Deduplicator::new(config.clone())?;
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let holds_files = fs::read_dir(&dir)
            .map_err(|e| Error::io(&dir, e))?
            .next()
            .is_some();
        if holds_files {
            return Err(Error::index(
                &dir,
                "not empty: an index is created in a new or empty folder",
            ));
        }
        let manifest = Manifest {
            format: FORMAT.to_string(),
            version: INDEX_VERSION,
            lsh: dedup.document_lsh(),
            paragraph_lsh: paragraph_lsh(&dedup),
            config,
            next_segment: 1,
            segments: Vec::new(),
        };
        write_manifest(&dir, &manifest)?;
        Ok(Index {
            dir,
            manifest,
            segments: Vec::new(),
            dedup,
            add_memory: DEFAULT_ADD_MEMORY,
        })
    }

    /// Opens the index in `dir`: its manifest read and checked, each
    /// segment's heads checked; nothing else is read.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Index> {
        let dir = dir.into();
        let manifest = read_manifest(&dir)?;
        let dedup = Deduplicator::new(manifest.config.clone())?;
        let made = |lsh: Option<LshParams>| {
            lsh.map_or("none".to_string(), |p| {
                format!("{} bands of {} rows", p.bands, p.rows_per_band)
            })
        };
        for (level, stored, ours) in [
            ("documents", Some(manifest.lsh), Some(dedup.document_lsh())),
            ("paragraphs", manifest.paragraph_lsh, paragraph_lsh(&dedup)),
        ] {
            if stored != ours {
                return Err(Error::index(
                    dir.join(MANIFEST),
                    format!(
                        "{level}' keys made with {}; this build makes {} from its config",
                        made(stored),
                        made(ours)
                    ),
                ));
            }
        }
        let bands = bands(&manifest);
        let segments = manifest
            .segments
            .iter()
            .map(|meta| Segment::open(&dir, meta, bands))
            .collect::<Result<Vec<_>>>()?;
        Ok(Index {
            dir,
            manifest,
            segments,
            dedup,
            add_memory: DEFAULT_ADD_MEMORY,
        })
    }

    /// Sets how many bytes of keys, ids and offsets an add holds before it
    /// writes them as a segment and starts another (default
    /// [`DEFAULT_ADD_MEMORY`]); the texts are never held. An add that
    /// writes several segments names them all in one manifest, so it is
    /// still added whole or not at all; `merge` makes them one.
    pub fn set_add_memory(&mut self, bytes: usize) {
        self.add_memory = bytes.max(1);
    }

    /// The config the index was created with (queries run with it).
    pub fn config(&self) -> &Config {
        &self.manifest.config
    }

    /// The index's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Documents, segments and bytes on disk.
    pub fn stats(&self) -> IndexStats {
        let documents: u64 = self.manifest.segments.iter().map(|s| s.documents).sum();
        let text_bytes: u64 = self.manifest.segments.iter().map(|s| s.docs.bytes).sum();
        let manifest_bytes = fs::metadata(self.dir.join(MANIFEST)).map_or(0, |m| m.len());
        let other_bytes: u64 = self
            .manifest
            .segments
            .iter()
            .map(|s| s.offsets.bytes + s.keys.bytes + s.ids.bytes)
            .sum::<u64>()
            + manifest_bytes;
        let paragraph_bytes: u64 = self
            .manifest
            .segments
            .iter()
            .map(|s| s.paragraph_keys.bytes + s.anchors.bytes)
            .sum();
        let per_document = |bytes: u64| bytes as f64 / documents.max(1) as f64;
        IndexStats {
            documents,
            segments: self.segments.len(),
            text_bytes,
            other_bytes,
            other_bytes_per_document: per_document(other_bytes),
            paragraph_bytes,
            paragraph_bytes_per_document: per_document(paragraph_bytes),
        }
    }

    /// Reads everything the index holds and checks it against its
    /// checksums (queries check what they read; this checks the rest).
    pub fn verify(&self) -> Result<()> {
        self.segments.iter().try_for_each(Segment::verify)
    }

    /// Adds `docs` as one new segment, after checking that their ids are
    /// new; the index on disk is the old one until the new manifest is in
    /// place.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Index`](crate::ErrorKind::Index) if another writer holds
    /// the index or an id is already in it;
    /// [`ErrorKind::DuplicateId`](crate::ErrorKind::DuplicateId) for an id
    /// repeated in `docs`; I/O errors.
    pub fn add(&mut self, docs: &[Document]) -> Result<u64> {
        corpus::check(docs)?;
        let mut appender = self.appender()?;
        appender.push(docs)?;
        appender.commit()
    }

    /// Starts an add that takes documents a chunk at a time (a corpus
    /// bigger than memory), holding the writer's lock until
    /// [`Appender::commit`] or drop.
    pub fn appender(&mut self) -> Result<Appender<'_>> {
        let lock = WriterLock::take(&self.dir)?;
        // Another writer may have added since this index was opened.
        let add_memory = self.add_memory;
        *self = Index::open(&self.dir)?;
        self.add_memory = add_memory;
        remove_leftovers(&self.dir, &self.manifest)?;
        let writer = self.segment_writer(0)?;
        Ok(Appender {
            index: self,
            writer,
            written: Vec::new(),
            ids: HashSet::new(),
            failed: false,
            _lock: lock,
        })
    }

    /// A writer of the segment `k` places after the manifest's next.
    fn segment_writer(&self, k: u64) -> Result<SegmentWriter> {
        let name = format!("seg-{:06}", self.manifest.next_segment + k);
        SegmentWriter::create(&self.dir, &name, bands(&self.manifest))
    }

    /// Merges every segment into one (the documents and their keys copied,
    /// nothing fingerprinted again), so that a query looks in one place:
    /// written like an add, a new segment and then a new manifest, so a
    /// merge killed at any point leaves the index as it was; the old
    /// segments' files are removed once the new manifest is in place
    /// (readers that opened them go on: their files stay open).
    pub fn merge(&mut self) -> Result<()> {
        let _lock = WriterLock::take(&self.dir)?;
        let add_memory = self.add_memory;
        *self = Index::open(&self.dir)?;
        self.add_memory = add_memory;
        if self.segments.len() < 2 {
            return Ok(());
        }
        remove_leftovers(&self.dir, &self.manifest)?;
        let mut writer = self.segment_writer(0)?;
        for segment in &self.segments {
            writer.push_segment(segment)?;
        }
        let (meta, segment) = self.write_segment(writer)?;
        sync_dir(&self.dir)?;
        let mut manifest = self.manifest.clone();
        manifest.next_segment += 1;
        manifest.segments = vec![meta];
        write_manifest(&self.dir, &manifest)?;
        self.segments = vec![segment];
        self.manifest = manifest;
        remove_leftovers(&self.dir, &self.manifest)
    }

    /// Finds, for each document of `batch`, its near-duplicates in the index
    /// and in the batch: the report [`Deduplicator::run`] gives over the
    /// batch and the indexed documents sharing a band key with it, kept to
    /// what concerns the batch (the clusters holding one of its documents,
    /// the pairs and matches with one on a side; its documents and the
    /// indexed ones those name). Ids are as given; an id already in the
    /// index is an error.
    pub fn query(&self, batch: &[Document]) -> Result<Report> {
        corpus::check(batch)?;
        for doc in batch {
            if self.find_id(doc.id())?.is_some() {
                return Err(Error::index(
                    &self.dir,
                    format!(
                        "document {:?} is in the index already: give new documents new ids",
                        doc.id()
                    ),
                ));
            }
        }
        let mut docs = batch.to_vec();
        docs.extend(self.neighbourhood(batch)?);
        // Paragraph pairs of two indexed documents are not this query's.
        let focus = Focus::FirstDocuments(batch.len());
        let report = self.dedup.run_focused(&docs, focus, &())?;
        let ids: HashSet<&str> = batch.iter().map(Document::id).collect();
        Ok(keep_batch(report, &ids))
    }

    /// The indexed documents joined to `batch` by shared band keys, through
    /// other indexed documents too: the component a run over index ∪ batch
    /// would put each batch document in, so that its groups, and the pairs
    /// listed in them, are that run's. Linear in the component's size.
    /// When paragraphs are indexed, the documents holding a paragraph that
    /// shares a paragraph band key or an anchor with one of the batch's
    /// join too, without their components: a document that shares no
    /// document band key with the batch's components is in none of them,
    /// and what the run says of it and its own kind concerns no batch
    /// document.
    fn neighbourhood(&self, batch: &[Document]) -> Result<Vec<Document>> {
        let keys = self.dedup.document_keys(batch);
        let mut seen: HashSet<(usize, u32)> = HashSet::new();
        let mut found: Vec<Document> = Vec::new();
        let mut frontier = self.sharing_document_keys(&keys)?;
        while !frontier.is_empty() {
            let fresh: Vec<(usize, u32)> =
                frontier.into_iter().filter(|at| seen.insert(*at)).collect();
            let docs = self.read(&fresh)?;
            frontier = if docs.is_empty() {
                BTreeSet::new()
            } else {
                let keys = self.dedup.document_band_keys(&docs);
                self.sharing_document_keys(&keys)?
            };
            found.extend(docs);
        }
        let by_paragraphs: Vec<(usize, u32)> = self
            .sharing_paragraphs(&keys)?
            .into_iter()
            .filter(|at| seen.insert(*at))
            .collect();
        found.extend(self.read(&by_paragraphs)?);
        Ok(found)
    }

    /// The indexed documents at `places`, in order.
    fn read(&self, places: &[(usize, u32)]) -> Result<Vec<Document>> {
        places
            .iter()
            .map(|&(s, ordinal)| self.segments[s].document(ordinal))
            .collect()
    }

    /// The indexed documents sharing a document band key with one of `keys`.
    fn sharing_document_keys(&self, keys: &[DocumentKeys]) -> Result<BTreeSet<(usize, u32)>> {
        let mut found = BTreeSet::new();
        let mut hits = Vec::new();
        for (band, &key) in keys
            .iter()
            .filter_map(|k| k.document.as_deref())
            .flat_map(|bands| bands.iter().enumerate())
        {
            for (s, segment) in self.segments.iter().enumerate() {
                hits.clear();
                segment.with_key(band, key, &mut hits)?;
                found.extend(hits.iter().map(|&o| (s, o)));
            }
        }
        Ok(found)
    }

    /// The indexed documents with a paragraph sharing a paragraph band key
    /// or an anchor with one of `keys`' paragraphs. A key or an anchor that
    /// more than `paragraph.anchors.max_postings` documents hold, the
    /// batch's and the index's together, is a phrase everybody uses and
    /// joins nobody (the anchor index's own rule; the batch's documents
    /// are compared with each other by the run whatever it says).
    fn sharing_paragraphs(&self, keys: &[DocumentKeys]) -> Result<BTreeSet<(usize, u32)>> {
        let limit = self.config().paragraph().anchors.max_postings;
        let mut paragraph_keys: Vec<(u32, u64)> = keys
            .iter()
            .flat_map(|k| k.paragraphs.iter().copied())
            .collect();
        paragraph_keys.sort_unstable();
        let mut anchors: Vec<u64> = keys
            .iter()
            .flat_map(|k| k.anchors.iter().copied())
            .collect();
        anchors.sort_unstable();
        let mut found = BTreeSet::new();
        for run in paragraph_keys.chunk_by(|x, y| x == y) {
            let (band, key) = run[0];
            let in_batch = run.len();
            let room = limit.saturating_sub(in_batch);
            found.extend(self.postings(room, |segment, room, out| {
                segment.with_paragraph_key(band as usize, key, room, out)
            })?);
        }
        for run in anchors.chunk_by(|x, y| x == y) {
            let room = limit.saturating_sub(run.len());
            found.extend(self.postings(room, |segment, room, out| {
                segment.with_anchor(run[0], room, out)
            })?);
        }
        Ok(found)
    }

    /// The documents of every segment that `lookup` finds, or none if they
    /// are more than `room`; `lookup(segment, room, out)` returns how many
    /// the segment holds and appends them only if they are at most `room`.
    fn postings(
        &self,
        room: usize,
        lookup: impl Fn(&Segment, usize, &mut Vec<u32>) -> Result<usize>,
    ) -> Result<Vec<(usize, u32)>> {
        let (mut hits, mut held, mut these) = (Vec::new(), 0, Vec::new());
        for (s, segment) in self.segments.iter().enumerate() {
            these.clear();
            held += lookup(segment, room.saturating_sub(held), &mut these)?;
            if held > room {
                return Ok(Vec::new());
            }
            hits.extend(these.iter().map(|&o| (s, o)));
        }
        Ok(hits)
    }

    /// Where the document with id `id` is, if the index holds it.
    fn find_id(&self, id: &str) -> Result<Option<(usize, u32)>> {
        let hash = xxh3_64(id.as_bytes());
        let mut hits = Vec::new();
        for (s, segment) in self.segments.iter().enumerate() {
            hits.clear();
            segment.with_id_hash(hash, &mut hits)?;
            for &ordinal in &hits {
                if segment.document(ordinal)?.id() == id {
                    return Ok(Some((s, ordinal)));
                }
            }
        }
        Ok(None)
    }
}

/// Each batch document's [`Annotation`] for a query's `report`, so that
/// only the new side is removed: a batch document is kept when it is in no
/// cluster, or when it is the canonical copy of a cluster that holds no
/// indexed document; a cluster with an indexed member keeps that one (its
/// canonical copy if indexed, else its first indexed member by id), and
/// every batch document in it is dropped.
///
/// # Examples
///
/// ```
/// use chachong::index::{new_side_annotations, Index};
/// use chachong::{Config, Document};
///
/// let text = "推进县域经济高质量发展，是新时代赋予我们的重大任务。我们要坚持稳中求进，统筹发展和安全。";
/// let dir = tempfile::tempdir()?;
/// let mut index = Index::create(dir.path(), Config::clusters_only())?;
/// index.add(&[Document::new("old", text)])?;
/// let batch = [Document::new("new", text), Document::new("other", "今天天气很好，我们去公园散步吧。")];
/// let report = index.query(&batch)?;
/// let notes = new_side_annotations(&report, ["new", "other"])?;
/// assert_eq!((notes[0].keep, notes[0].canonical_id.as_str()), (false, "old"));
/// assert!(notes[1].keep);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn new_side_annotations<'a>(
    report: &Report,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<Annotation>> {
    let ids: Vec<&str> = ids.into_iter().collect();
    let batch: HashSet<&str> = ids.iter().copied().collect();
    let mut notes = report.annotations(ids)?;
    for note in &mut notes {
        let Some(cluster) = note.cluster_id.and_then(|k| report.clusters.get(k)) else {
            continue;
        };
        let indexed = |m: &&String| !batch.contains(m.as_str());
        let Some(first_indexed) = cluster.members.iter().find(indexed) else {
            continue;
        };
        if batch.contains(note.canonical_id.as_str()) {
            note.canonical_id = first_indexed.clone();
        }
        note.keep = false;
    }
    Ok(notes)
}

/// An add in progress:/// An add in progress: documents pushed a chunk at a time into a new
/// segment, which [`commit`](Appender::commit) names in a new manifest.
/// Dropped without a commit, the index stays as it was.
pub struct Appender<'i> {
    index: &'i mut Index,
    writer: SegmentWriter,
    /// Segments this add has written and checked, not yet named by a
    /// manifest.
    written: Vec<(SegmentMeta, Segment)>,
    ids: HashSet<String>,
    /// A push failed: the segment may hold part of a document.
    failed: bool,
    _lock: WriterLock,
}

impl std::fmt::Debug for Appender<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Appender")
            .field("documents", &self.ids.len())
            .finish()
    }
}

impl Appender<'_> {
    /// Fingerprints `docs` and writes them to the new segment. After an
    /// error the add cannot be committed (the segment may hold part of a
    /// document): drop it and start again.
    pub fn push(&mut self, docs: &[Document]) -> Result<()> {
        if self.failed {
            return Err(self.failed_error());
        }
        let pushed = self.push_checked(docs);
        self.failed = pushed.is_err();
        pushed
    }

    fn push_checked(&mut self, docs: &[Document]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        corpus::check(docs)?;
        for doc in docs {
            if self.ids.contains(doc.id()) {
                return Err(Error::index(
                    &self.index.dir,
                    format!("document {:?} is added twice", doc.id()),
                ));
            }
            if self.index.find_id(doc.id())?.is_some() {
                return Err(Error::index(
                    &self.index.dir,
                    format!("document {:?} is in the index already", doc.id()),
                ));
            }
        }
        self.ids.extend(docs.iter().map(|d| d.id().to_string()));
        let keys = self.index.dedup.document_keys(docs);
        for (doc, keys) in docs.iter().zip(&keys) {
            self.writer.push(doc, keys)?;
        }
        if self.writer.held_bytes() >= self.index.add_memory {
            let next = self.index.segment_writer(self.written.len() as u64 + 1)?;
            let full = std::mem::replace(&mut self.writer, next);
            self.written.push(self.index.write_segment(full)?);
        }
        Ok(())
    }

    fn failed_error(&self) -> Error {
        Error::index(
            &self.index.dir,
            "an earlier push failed: this add cannot be committed",
        )
    }

    /// Writes the segment, then the manifest naming it; returns the
    /// documents added.
    pub fn commit(self) -> Result<u64> {
        if self.failed {
            return Err(self.failed_error());
        }
        let Appender {
            index,
            writer,
            mut written,
            ..
        } = self;
        if writer.len() > 0 {
            written.push(index.write_segment(writer)?);
        } else if written.is_empty() {
            return Err(Error::no_documents(None));
        } else {
            // The last segment was written full; its successor is empty.
            writer.abandon();
        }
        // The files' names made durable before the manifest that names
        // them.
        sync_dir(&index.dir)?;
        let added = written.iter().map(|(meta, _)| meta.documents).sum();
        let mut manifest = index.manifest.clone();
        manifest.next_segment += written.len() as u64;
        let (metas, segments): (Vec<_>, Vec<_>) = written.into_iter().unzip();
        manifest.segments.extend(metas);
        write_manifest(&index.dir, &manifest)?;
        index.segments.extend(segments);
        index.manifest = manifest;
        Ok(added)
    }
}

impl Index {
    /// Writes `writer`'s segment and opens it (so checks it), for a
    /// manifest to name.
    fn write_segment(&self, writer: SegmentWriter) -> Result<(SegmentMeta, Segment)> {
        let meta = writer.finish()?;
        let segment = Segment::open(&self.dir, &meta, bands(&self.manifest))?;
        Ok((meta, segment))
    }
}

/// The report of a run over batch ∪ candidates, kept to the batch.
fn keep_batch(mut report: Report, batch: &HashSet<&str>) -> Report {
    let has = |id: &str| batch.contains(id);
    report.clusters.retain(|c| c.members.iter().any(|m| has(m)));
    report.pairs.retain(|p| has(&p.a) || has(&p.b));
    report.paragraph_matches.retain(|m| has(&m.a) || has(&m.b));
    report.passages.retain(|p| has(&p.a) || has(&p.b));
    report.contained.retain(|c| has(&c.inner) || has(&c.outer));
    report.revisions.retain(|r| has(&r.a) || has(&r.b));
    report
        .chain_splits
        .retain(|c| has(&c.document) || has(&c.representative));
    // The documents listed: the batch's, and the indexed ones the rest of
    // the report names (so that every id it names has its figures).
    let mut named: HashSet<String> = HashSet::new();
    for c in &report.clusters {
        named.extend(c.members.iter().cloned());
    }
    for p in &report.pairs {
        named.extend([p.a.clone(), p.b.clone()]);
    }
    for m in &report.paragraph_matches {
        named.extend([m.a.clone(), m.b.clone()]);
    }
    for p in &report.passages {
        named.extend([p.a.clone(), p.b.clone()]);
    }
    for c in &report.contained {
        named.extend([c.inner.clone(), c.outer.clone()]);
    }
    for r in &report.revisions {
        named.extend([r.a.clone(), r.b.clone()]);
    }
    report
        .documents
        .retain(|d| has(&d.id) || named.contains(&d.id));
    // The other counts of `stats` are the run's, indexed documents in.
    report.stats.documents = report.documents.len();
    report
}

/// The paragraph level's LSH bands, when `dedup` compares paragraphs.
fn paragraph_lsh(dedup: &Deduplicator) -> Option<LshParams> {
    dedup
        .config()
        .level()
        .paragraphs()
        .then(|| dedup.paragraph_lsh())
}

/// The bands of the index's two levels.
fn bands(manifest: &Manifest) -> Bands {
    Bands {
        document: manifest.lsh.bands,
        paragraph: manifest.paragraph_lsh.map_or(0, |p| p.bands),
    }
}

/// What an index needs of its config.
fn check_indexable(config: &Config) -> Result<()> {
    if !config.level().documents() {
        return Err(Error::invalid_config(
            "level",
            "an index finds documents by their band keys: level doc or both",
        ));
    }
    config.check_band_keys_suffice("an index")
}

/// Writes `manifest` beside the old one, syncs it, renames it over, and
/// syncs the folder: the old state until the rename, the new one after.
fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<()> {
    let json = serde_json::to_string_pretty(manifest)
        .map_err(|e| Error::index(dir, format!("manifest: {e}")))?;
    let text = format!("{json}{CHECKSUM_LINE}{:016x}\n", xxh3_64(json.as_bytes()));
    let temporary = dir.join(format!("{MANIFEST}.new"));
    let mut file = File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(&temporary, e))?;
    let target = dir.join(MANIFEST);
    fs::rename(&temporary, &target).map_err(|e| Error::io(&target, e))?;
    // The rename itself is durable once the folder is synced.
    sync_dir(dir)
}

/// Makes the folder's entries (new files, a rename) durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))
}

/// Elsewhere a folder cannot be opened to be synced; its entries are as
/// durable as the system makes them.
#[cfg(not(unix))]
fn sync_dir(_: &Path) -> Result<()> {
    Ok(())
}

/// Reads and checks the manifest of the index in `dir`.
fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir.is_dir() => {
            return Err(Error::index(dir, "no chachong index here (no MANIFEST)"));
        }
        Err(e) => return Err(Error::io(&path, e)),
    };
    let foreign = || Error::index(&path, "not a chachong index manifest");
    let (json, sum) = text.rsplit_once(CHECKSUM_LINE).ok_or_else(foreign)?;
    if sum.trim() != format!("{:016x}", xxh3_64(json.as_bytes())) {
        return Err(Error::index(
            &path,
            "damaged index file: the manifest does not match its checksum",
        ));
    }
    // Format and version first: a manifest of another version may not
    // parse as this one.
    #[derive(Deserialize)]
    struct Head {
        format: String,
        version: u32,
    }
    let head: Head = serde_json::from_str(json).map_err(|_| foreign())?;
    if head.format != FORMAT {
        return Err(foreign());
    }
    if head.version != INDEX_VERSION {
        return Err(Error::index(
            &path,
            format!(
                "index version {}; this build reads version {INDEX_VERSION} (its band keys would not match: build the index again)",
                head.version
            ),
        ));
    }
    serde_json::from_str(json).map_err(|e| Error::index(&path, format!("manifest: {e}")))
}

/// Removes the files of segments no manifest names (a killed writer's).
fn remove_leftovers(dir: &Path, manifest: &Manifest) -> Result<()> {
    let named: HashSet<&str> = manifest.segments.iter().flat_map(|s| s.files()).collect();
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ours = name.starts_with("seg-") || name == format!("{MANIFEST}.new");
        if ours && !named.contains(name.as_str()) {
            remove_if_there(&path)?;
        }
    }
    Ok(())
}

/// The one writer's lock: an exclusive `flock` on `DIR/LOCK`, released by
/// the system when the writer ends, however it ends.
struct WriterLock {
    _file: File,
}

impl WriterLock {
    fn take(dir: &Path) -> Result<WriterLock> {
        let path = dir.join("LOCK");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        // Called through fs4: std's own `File::try_lock` is newer than our
        // MSRV.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(fs4::TryLockError::WouldBlock) => Err(Error::index(
                dir,
                "another writer is adding to this index; try again when it is done",
            )),
            Err(fs4::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }
}
