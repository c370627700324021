//! A segment: the documents one `add` wrote, and what finds them.
//!
//! ```text
//! seg-NNNNNN.docs   the documents: per document, payload length u32 · xxh3 u64 ·
//!                   zstd(id length u32 · id · text)
//! seg-NNNNNN.offs   table: where each document starts in .docs (8 bytes each, one more at the end)
//! seg-NNNNNN.keys   table: a group per LSH band of (band key u64, document u32), sorted
//! seg-NNNNNN.ids    table: (xxh3 of the id u64, document u32), sorted
//! seg-NNNNNN.pkeys  table: a group per paragraph LSH band of (band key u64, document u32),
//!                   sorted, each pair once (no groups when paragraphs are not compared)
//! seg-NNNNNN.anch   table: one group of (anchor u64, document u32), sorted, each pair once
//! ```
//!
//! Beyond the texts a document costs 8 bytes of offset, 12 of id and 12 per
//! band (12 bands at the default threshold: 164 bytes). When paragraphs
//! are compared each paragraph of at least `paragraph.min_chars` adds 12
//! bytes per paragraph band (and a paragraph repeated in the document
//! nothing), and the anchors of its paragraphs of at least
//! `paragraph.containment_min_chars` 12 bytes each (a quarter of their
//! distinct shingles at the default rate): see README for the figures. A segment is
//! written whole under its final names, synced, and only then named in the
//! manifest: a writer killed on the way leaves files no manifest names,
//! which the next writer removes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::table::{
    check_magic, file_name, map_file, FileCheck, Table, TableWriter, MAGIC, TABLE_VERSION,
};
use crate::corpus::Document;
use crate::error::{Error, Result};
use crate::pipeline::DocumentKeys;

/// The manifest, named in errors about what it says.
const MANIFEST_NAME: &str = "MANIFEST";
const DOCS: [u8; 4] = *b"DOCS";
const OFFS: [u8; 4] = *b"OFFS";
const KEYS: [u8; 4] = *b"KEYS";
const IDS: [u8; 4] = *b"IDS ";
const PKEYS: [u8; 4] = *b"PKEY";
const ANCHORS: [u8; 4] = *b"ANCH";
/// zstd level of stored texts: fast, and a third of the size of Chinese
/// UTF-8.
const ZSTD_LEVEL: i32 = 3;

/// What the manifest keeps of a segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct SegmentMeta {
    /// The segment's name (its files' stem).
    pub(super) name: String,
    /// Documents in it.
    pub(super) documents: u64,
    pub(super) docs: FileCheck,
    pub(super) offsets: FileCheck,
    pub(super) keys: FileCheck,
    pub(super) ids: FileCheck,
    pub(super) paragraph_keys: FileCheck,
    pub(super) anchors: FileCheck,
}

impl SegmentMeta {
    /// Its files' names.
    pub(super) fn files(&self) -> [&str; 6] {
        [
            &self.docs.name,
            &self.offsets.name,
            &self.keys.name,
            &self.ids.name,
            &self.paragraph_keys.name,
            &self.anchors.name,
        ]
    }
}

/// The LSH bands of an index's two levels: the paragraph level's 0 when
/// paragraphs are not compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Bands {
    pub(super) document: usize,
    pub(super) paragraph: usize,
}

/// Writes one segment.
pub(super) struct SegmentWriter {
    dir: PathBuf,
    name: String,
    docs: BufWriter<File>,
    docs_path: PathBuf,
    /// Offset of the next document in .docs.
    at: u64,
    offsets: Vec<u64>,
    /// Per band, (key, document).
    keys: Vec<Vec<(u64, u32)>>,
    ids: Vec<(u64, u32)>,
    /// Per paragraph band, (key, document).
    paragraph_keys: Vec<Vec<(u64, u32)>>,
    /// (anchor, document).
    anchors: Vec<(u64, u32)>,
    compressor: zstd::bulk::Compressor<'static>,
}

impl SegmentWriter {
    pub(super) fn create(dir: &Path, name: &str, bands: Bands) -> Result<SegmentWriter> {
        let docs_path = dir.join(format!("{name}.docs"));
        let file = File::create(&docs_path).map_err(|e| Error::io(&docs_path, e))?;
        let mut docs = BufWriter::with_capacity(1 << 20, file);
        let mut head = MAGIC.to_vec();
        head.extend_from_slice(&DOCS);
        head.extend_from_slice(&TABLE_VERSION.to_le_bytes());
        docs.write_all(&head)
            .map_err(|e| Error::io(&docs_path, e))?;
        let compressor =
            zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(|e| Error::io(&docs_path, e))?;
        Ok(SegmentWriter {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            docs,
            docs_path,
            at: head.len() as u64,
            offsets: Vec::new(),
            keys: vec![Vec::new(); bands.document],
            ids: Vec::new(),
            paragraph_keys: vec![Vec::new(); bands.paragraph],
            anchors: Vec::new(),
            compressor,
        })
    }

    /// Documents pushed so far.
    pub(super) fn len(&self) -> usize {
        self.offsets.len()
    }

    /// Bytes of keys, ids and offsets held until [`finish`](Self::finish)
    /// writes them (the texts are written as they come).
    pub(super) fn held_bytes(&self) -> usize {
        let records: usize = self.keys.iter().map(Vec::len).sum::<usize>()
            + self.paragraph_keys.iter().map(Vec::len).sum::<usize>()
            + self.anchors.len()
            + self.ids.len();
        records * std::mem::size_of::<(u64, u32)>() + self.offsets.len() * 8
    }

    /// Appends `doc` with its keys.
    pub(super) fn push(&mut self, doc: &Document, keys: &DocumentKeys) -> Result<()> {
        let ordinal = self.push_text(doc)?;
        if let Some(document) = &keys.document {
            for (band, &key) in self.keys.iter_mut().zip(document) {
                band.push((key, ordinal));
            }
        }
        for &(band, key) in &keys.paragraphs {
            if let Some(band) = self.paragraph_keys.get_mut(band as usize) {
                band.push((key, ordinal));
            }
        }
        self.anchors
            .extend(keys.anchors.iter().map(|&anchor| (anchor, ordinal)));
        Ok(())
    }

    /// Appends `doc`'s id and text; returns its ordinal.
    fn push_text(&mut self, doc: &Document) -> Result<u32> {
        let ordinal = u32::try_from(self.offsets.len())
            .map_err(|_| Error::too_large(None, "u32::MAX documents in one segment"))?;
        let mut payload = Vec::with_capacity(4 + doc.id().len() + doc.text().len());
        payload.extend_from_slice(&(doc.id().len() as u32).to_le_bytes());
        payload.extend_from_slice(doc.id().as_bytes());
        payload.extend_from_slice(doc.text().as_bytes());
        let packed = self
            .compressor
            .compress(&payload)
            .map_err(|e| Error::io(&self.docs_path, e))?;
        let len = u32::try_from(packed.len())
            .map_err(|_| Error::too_large(Some(doc.id()), "4 GiB or more compressed"))?;
        let write = |out: &mut BufWriter<File>| -> std::io::Result<()> {
            out.write_all(&len.to_le_bytes())?;
            out.write_all(&xxh3_64(&packed).to_le_bytes())?;
            out.write_all(&packed)
        };
        write(&mut self.docs).map_err(|e| Error::io(&self.docs_path, e))?;
        self.offsets.push(self.at);
        self.at += 12 + packed.len() as u64;
        self.ids.push((xxh3_64(doc.id().as_bytes()), ordinal));
        Ok(ordinal)
    }

    /// Appends every document of `segment` with its band keys as stored
    /// (a merge: nothing is fingerprinted again).
    pub(super) fn push_segment(&mut self, segment: &Segment) -> Result<()> {
        let base = u32::try_from(self.offsets.len())
            .map_err(|_| Error::too_large(None, "u32::MAX documents in one segment"))?;
        for ordinal in 0..segment.documents {
            self.push_text(&segment.document(ordinal as u32)?)?;
        }
        let copy = |table: &Table, group: usize, out: &mut Vec<(u64, u32)>| -> Result<()> {
            for i in table.group(group) {
                let (key, ordinal) = unpack(table.record(i)?);
                out.push((key, base + ordinal));
            }
            Ok(())
        };
        for (band, keys) in self.keys.iter_mut().enumerate() {
            copy(&segment.keys, band, keys)?;
        }
        for (band, keys) in self.paragraph_keys.iter_mut().enumerate() {
            copy(&segment.paragraph_keys, band, keys)?;
        }
        copy(&segment.anchors, 0, &mut self.anchors)
    }

    /// Removes what was written of a segment that will not be finished
    /// (an add's last, empty one); what cannot be removed is a leftover
    /// the next writer removes.
    pub(super) fn abandon(self) {
        drop(self.docs);
        let _ = std::fs::remove_file(&self.docs_path);
    }

    /// Writes the tables and syncs every file.
    pub(super) fn finish(mut self) -> Result<SegmentMeta> {
        let file = self
            .docs
            .into_inner()
            .map_err(|e| Error::io(&self.docs_path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&self.docs_path, e))?;
        // What is on disk, not what was meant to be: a write that failed
        // half way must not be named in a manifest.
        let written = file
            .metadata()
            .map_err(|e| Error::io(&self.docs_path, e))?
            .len();
        if written != self.at {
            return Err(Error::index(
                &self.docs_path,
                format!(
                    "{written} bytes written of {}: the segment is not added",
                    self.at
                ),
            ));
        }
        let docs = FileCheck {
            name: file_name(&self.docs_path),
            bytes: self.at,
            xxh3: format!("{:016x}", xxh3_64(&head_of_docs())),
        };
        let path = |ext: &str| self.dir.join(format!("{}.{ext}", self.name));
        let mut offsets = TableWriter::new(OFFS, 8);
        for &o in self.offsets.iter().chain(std::iter::once(&self.at)) {
            offsets.push(&o.to_le_bytes());
        }
        offsets.end_group();
        let offsets = offsets.write(&path("offs"))?;
        let keys = write_groups(KEYS, &mut self.keys, &path("keys"))?;
        let paragraph_keys = write_groups(PKEYS, &mut self.paragraph_keys, &path("pkeys"))?;
        let anchors = write_groups(ANCHORS, &mut [self.anchors], &path("anch"))?;
        self.ids.sort_unstable();
        let mut ids = TableWriter::new(IDS, 12);
        for &(hash, ordinal) in &self.ids {
            ids.push(&record(hash, ordinal));
        }
        ids.end_group();
        let ids = ids.write(&path("ids"))?;
        Ok(SegmentMeta {
            name: self.name,
            documents: self.offsets.len() as u64,
            docs,
            offsets,
            keys,
            ids,
            paragraph_keys,
            anchors,
        })
    }
}

/// Writes a table of `groups` of (key, document), each sorted and each
/// pair once.
fn write_groups(kind: [u8; 4], groups: &mut [Vec<(u64, u32)>], path: &Path) -> Result<FileCheck> {
    let mut table = TableWriter::new(kind, 12);
    for group in groups {
        group.sort_unstable();
        group.dedup();
        for &(key, ordinal) in group.iter() {
            table.push(&record(key, ordinal));
        }
        table.end_group();
    }
    table.write(path)
}

/// The head every .docs file starts with.
fn head_of_docs() -> Vec<u8> {
    let mut head = MAGIC.to_vec();
    head.extend_from_slice(&DOCS);
    head.extend_from_slice(&TABLE_VERSION.to_le_bytes());
    head
}

fn record(key: u64, ordinal: u32) -> [u8; 12] {
    let mut r = [0u8; 12];
    r[..8].copy_from_slice(&key.to_le_bytes());
    r[8..].copy_from_slice(&ordinal.to_le_bytes());
    r
}

fn unpack(r: &[u8]) -> (u64, u32) {
    let key = u64::from_le_bytes(r[..8].try_into().unwrap_or_default());
    let ordinal = u32::from_le_bytes(r[8..12].try_into().unwrap_or_default());
    (key, ordinal)
}

/// A segment opened for reading.
pub(super) struct Segment {
    docs_path: PathBuf,
    docs: Mmap,
    offsets: Table,
    keys: Table,
    ids: Table,
    paragraph_keys: Table,
    anchors: Table,
    documents: usize,
}

impl Segment {
    /// Opens the segment `meta` names, of `bands` bands: heads checked,
    /// and the files against each other; nothing else read.
    pub(super) fn open(dir: &Path, meta: &SegmentMeta, bands: Bands) -> Result<Segment> {
        for name in meta.files() {
            let plain = Path::new(name).file_name().is_some_and(|n| n == name);
            if !plain {
                return Err(Error::index(
                    dir.join(MANIFEST_NAME),
                    format!("names a file {name:?} outside the index"),
                ));
            }
        }
        let docs_path = dir.join(&meta.docs.name);
        let docs = map_file(&docs_path)?;
        if docs.len() as u64 != meta.docs.bytes {
            return Err(Error::index(
                &docs_path,
                format!(
                    "damaged index file: {} bytes, the manifest says {}",
                    docs.len(),
                    meta.docs.bytes
                ),
            ));
        }
        check_magic(&docs, DOCS, &docs_path)?;
        let offsets = Table::open(dir, &meta.offsets, (OFFS, 8))?;
        let keys = Table::open(dir, &meta.keys, (KEYS, 12))?;
        let ids = Table::open(dir, &meta.ids, (IDS, 12))?;
        let paragraph_keys = Table::open(dir, &meta.paragraph_keys, (PKEYS, 12))?;
        let anchors = Table::open(dir, &meta.anchors, (ANCHORS, 12))?;
        let documents = meta.documents as usize;
        let disagree = |path: &FileCheck, what: String| {
            Error::index(dir.join(&path.name), format!("damaged index: {what}"))
        };
        if offsets.len() != documents + 1 {
            let what = format!("{} offsets for {documents} documents", offsets.len());
            return Err(disagree(&meta.offsets, what));
        }
        if ids.len() != documents {
            return Err(disagree(
                &meta.ids,
                format!("{} ids for {documents} documents", ids.len()),
            ));
        }
        for (table, check, bands) in [
            (&keys, &meta.keys, bands.document),
            (&paragraph_keys, &meta.paragraph_keys, bands.paragraph),
            (&anchors, &meta.anchors, 1),
        ] {
            if table.groups() != bands {
                let what = format!("{} groups of keys, the index has {bands}", table.groups());
                return Err(disagree(check, what));
            }
        }
        Ok(Segment {
            docs_path,
            docs,
            offsets,
            keys,
            ids,
            paragraph_keys,
            anchors,
            documents,
        })
    }

    /// The documents sharing `key` in `band`.
    pub(super) fn with_key(&self, band: usize, key: u64, out: &mut Vec<u32>) -> Result<()> {
        equal_range(&self.keys, band, key, out)
    }

    /// How many documents have a paragraph whose key in paragraph band
    /// `band` is `key`; they are appended to `out` when they are at most
    /// `limit` (a key everybody holds is counted, not read).
    pub(super) fn with_paragraph_key(
        &self,
        band: usize,
        key: u64,
        limit: usize,
        out: &mut Vec<u32>,
    ) -> Result<usize> {
        postings_up_to(&self.paragraph_keys, band, key, limit, out)
    }

    /// How many documents hold `anchor`, appended to `out` when they are at
    /// most `limit`.
    pub(super) fn with_anchor(
        &self,
        anchor: u64,
        limit: usize,
        out: &mut Vec<u32>,
    ) -> Result<usize> {
        postings_up_to(&self.anchors, 0, anchor, limit, out)
    }

    /// The documents whose id hashes to `hash` (to be compared by id).
    pub(super) fn with_id_hash(&self, hash: u64, out: &mut Vec<u32>) -> Result<()> {
        equal_range(&self.ids, 0, hash, out)
    }

    /// Document `ordinal`, checked and unpacked.
    pub(super) fn document(&self, ordinal: u32) -> Result<Document> {
        let damaged =
            |what: &str| Error::index(&self.docs_path, format!("damaged index file: {what}"));
        let i = ordinal as usize;
        if i >= self.documents {
            return Err(damaged(&format!("no document {i}")));
        }
        let at =
            u64::from_le_bytes(self.offsets.record(i)?.try_into().unwrap_or_default()) as usize;
        let len_bytes = self
            .docs
            .get(at..at + 12)
            .ok_or_else(|| damaged("cut short"))?;
        let len = u32::from_le_bytes(len_bytes[..4].try_into().unwrap_or_default()) as usize;
        let sum = u64::from_le_bytes(len_bytes[4..12].try_into().unwrap_or_default());
        let packed = self
            .docs
            .get(at + 12..at + 12 + len)
            .ok_or_else(|| damaged("cut short"))?;
        if xxh3_64(packed) != sum {
            return Err(damaged(&format!(
                "document {i} does not match its checksum"
            )));
        }
        let payload =
            zstd::stream::decode_all(packed).map_err(|e| damaged(&format!("document {i}: {e}")))?;
        let id_len = payload
            .get(..4)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap_or_default()) as usize)
            .ok_or_else(|| damaged(&format!("document {i} is cut short")))?;
        let id = payload
            .get(4..4 + id_len)
            .ok_or_else(|| damaged(&format!("document {i} is cut short")))?;
        let text = &payload[4 + id_len..];
        match (std::str::from_utf8(id), std::str::from_utf8(text)) {
            (Ok(id), Ok(text)) => Ok(Document::new(id, text)),
            _ => Err(damaged(&format!("document {i} is not UTF-8"))),
        }
    }

    /// Reads every block of every table and every document: what a full
    /// check costs (the whole segment).
    pub(super) fn verify(&self) -> Result<()> {
        let tables = [
            &self.offsets,
            &self.keys,
            &self.ids,
            &self.paragraph_keys,
            &self.anchors,
        ];
        for table in tables {
            table.verify()?;
        }
        for ordinal in 0..self.documents {
            self.document(ordinal as u32)?;
        }
        Ok(())
    }
}

/// The documents of the records of group `group` of `table` whose key is
/// `key` (records are sorted by key).
fn equal_range(table: &Table, group: usize, key: u64, out: &mut Vec<u32>) -> Result<()> {
    let range = table.group(group);
    let first = lower_bound(table, range.clone(), key)?;
    for i in first..range.end {
        let (k, ordinal) = unpack(table.record(i)?);
        if k != key {
            break;
        }
        out.push(ordinal);
    }
    Ok(())
}

/// How many records of group `group` of `table` have the key `key`; their
/// documents appended to `out` when they are at most `limit`.
fn postings_up_to(
    table: &Table,
    group: usize,
    key: u64,
    limit: usize,
    out: &mut Vec<u32>,
) -> Result<usize> {
    let range = table.group(group);
    let first = lower_bound(table, range.clone(), key)?;
    let end = match key.checked_add(1) {
        Some(next) => lower_bound(table, first..range.end, next)?,
        None => range.end,
    };
    if end - first <= limit {
        for i in first..end {
            out.push(unpack(table.record(i)?).1);
        }
    }
    Ok(end - first)
}

/// The first record of `range` whose key is at least `key`.
fn lower_bound(table: &Table, range: std::ops::Range<usize>, key: u64) -> Result<usize> {
    let (mut lo, mut hi) = (range.start, range.end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if unpack(table.record(mid)?).0 < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}
