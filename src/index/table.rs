//! A file of fixed-size records in groups, memory-mapped, every block of it
//! checked before it is used.
//!
//! ```text
//! magic "CHACHONG" · kind (4 bytes) · version u32 · record size u32 · groups u32
//! records u64 · group starts ((groups + 1) × u64) · blocks u64 · block sums (blocks × u64)
//! records (record size × records)
//! ```
//!
//! All integers little-endian. Everything before the records is the
//! file's *head*; the manifest holds the head's xxh3 and the file's length,
//! checked when the file is opened (a few KB read, whatever the size of
//! the file). Records are checked a block of [`BLOCK_RECORDS`] at a time
//! against the head's block sums, the first time a block is read: a flipped
//! byte anywhere is an error naming the file, never a wrong answer, and
//! opening reads only the head.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

use memmap2::Mmap;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::error::{Error, Result};

/// The first bytes of every index file.
pub(super) const MAGIC: &[u8; 8] = b"CHACHONG";
/// The version of the table layout this build writes and reads.
pub(super) const TABLE_VERSION: u32 = 1;
/// Records checked together.
const BLOCK_RECORDS: usize = 4096;
/// Bytes before the group starts: magic, kind, version, record size,
/// groups, records.
const FIXED_HEAD: usize = 8 + 4 + 4 + 4 + 4 + 8;

/// What the manifest knows of a file, to check it by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileCheck {
    /// The file's name in the index folder.
    pub(super) name: String,
    /// Its length in bytes.
    pub(super) bytes: u64,
    /// xxh3 of its head (for a table) or of the whole file (small files).
    pub(super) xxh3: String,
}

/// Writes a table: records are pushed group by group, in order.
pub(super) struct TableWriter {
    kind: [u8; 4],
    record_size: usize,
    records: Vec<u8>,
    group_starts: Vec<u64>,
}

impl TableWriter {
    pub(super) fn new(kind: [u8; 4], record_size: usize) -> TableWriter {
        TableWriter {
            kind,
            record_size,
            records: Vec::new(),
            group_starts: vec![0],
        }
    }

    /// Appends one record (`record_size` bytes) to the current group.
    pub(super) fn push(&mut self, record: &[u8]) {
        debug_assert_eq!(record.len(), self.record_size);
        self.records.extend_from_slice(record);
    }

    /// Ends the current group.
    pub(super) fn end_group(&mut self) {
        self.group_starts
            .push((self.records.len() / self.record_size) as u64);
    }

    /// Writes the table to `path` and syncs it; returns what the manifest
    /// checks it by.
    pub(super) fn write(self, path: &Path) -> Result<FileCheck> {
        let n = self.records.len() / self.record_size;
        let block_bytes = BLOCK_RECORDS * self.record_size;
        let sums: Vec<u64> = self.records.chunks(block_bytes).map(xxh3_64).collect();
        let mut head =
            Vec::with_capacity(FIXED_HEAD + 8 * (self.group_starts.len() + sums.len() + 1));
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&self.kind);
        head.extend_from_slice(&TABLE_VERSION.to_le_bytes());
        head.extend_from_slice(&(self.record_size as u32).to_le_bytes());
        head.extend_from_slice(&((self.group_starts.len() - 1) as u32).to_le_bytes());
        head.extend_from_slice(&(n as u64).to_le_bytes());
        for start in &self.group_starts {
            head.extend_from_slice(&start.to_le_bytes());
        }
        head.extend_from_slice(&(sums.len() as u64).to_le_bytes());
        for sum in &sums {
            head.extend_from_slice(&sum.to_le_bytes());
        }
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let mut out = BufWriter::new(file);
        out.write_all(&head)
            .and_then(|()| out.write_all(&self.records))
            .map_err(|e| Error::io(path, e))?;
        let file = out
            .into_inner()
            .map_err(|e| Error::io(path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(path, e))?;
        Ok(FileCheck {
            name: file_name(path),
            bytes: (head.len() + self.records.len()) as u64,
            xxh3: format!("{:016x}", xxh3_64(&head)),
        })
    }
}

/// A table opened for reading.
pub(super) struct Table {
    path: PathBuf,
    map: Mmap,
    record_size: usize,
    group_starts: Vec<u64>,
    block_sums: Vec<u64>,
    /// Where the records start in the file.
    records_at: usize,
    records: usize,
    /// Per block: 0 unchecked, 1 checked.
    checked: Vec<AtomicU8>,
}

impl Table {
    /// Opens the table `check` names in `dir`, of records of `record_size`
    /// bytes: its length, magic, kind, version and head checked (before
    /// anything the head says is used), its records not read.
    pub(super) fn open(
        dir: &Path,
        check: &FileCheck,
        (kind, record_size): ([u8; 4], usize),
    ) -> Result<Table> {
        let path = dir.join(&check.name);
        let map = map_file(&path)?;
        let damaged = |what: &str| Error::index(&path, format!("damaged index file: {what}"));
        if map.len() as u64 != check.bytes {
            return Err(damaged(&format!(
                "{} bytes, the manifest says {}",
                map.len(),
                check.bytes
            )));
        }
        check_magic(&map, kind, &path)?;
        let head = head_len(&map).ok_or_else(|| damaged("its head does not fit the file"))?;
        if format!("{:016x}", xxh3_64(&map[..head])) != check.xxh3 {
            return Err(damaged("its head does not match its checksum"));
        }
        // The head is the one written: what it says can be used.
        let u64_at = |at: usize| u64::from_le_bytes(map[at..at + 8].try_into().unwrap_or_default());
        let groups = u32_at(&map, 20) as usize;
        let records = u64_at(24) as usize;
        let group_starts: Vec<u64> = (0..=groups).map(|g| u64_at(FIXED_HEAD + 8 * g)).collect();
        let blocks_at = FIXED_HEAD + 8 * (groups + 1);
        let blocks = u64_at(blocks_at) as usize;
        let block_sums: Vec<u64> = (0..blocks).map(|b| u64_at(blocks_at + 8 + 8 * b)).collect();
        let fits = (records as u64)
            .checked_mul(record_size as u64)
            .and_then(|r| r.checked_add(head as u64))
            == Some(map.len() as u64);
        let ordered = group_starts.windows(2).all(|w| w[0] <= w[1])
            && group_starts.first() == Some(&0)
            && group_starts.last() == Some(&(records as u64));
        if u32_at(&map, 16) as usize != record_size
            || !fits
            || !ordered
            || blocks != records.div_ceil(BLOCK_RECORDS)
        {
            return Err(damaged("its head does not describe its records"));
        }
        Ok(Table {
            checked: (0..blocks).map(|_| AtomicU8::new(0)).collect(),
            path,
            map,
            record_size,
            group_starts,
            block_sums,
            records_at: head,
            records,
        })
    }

    /// Records in the table.
    pub(super) fn len(&self) -> usize {
        self.records
    }

    /// Groups in the table.
    pub(super) fn groups(&self) -> usize {
        self.group_starts.len() - 1
    }

    /// The records of group `g`, as a range of record numbers.
    pub(super) fn group(&self, g: usize) -> std::ops::Range<usize> {
        match (self.group_starts.get(g), self.group_starts.get(g + 1)) {
            (Some(&a), Some(&b)) if a <= b && b as usize <= self.records => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// Record `i`, its block checked first.
    pub(super) fn record(&self, i: usize) -> Result<&[u8]> {
        if i >= self.records {
            return Err(Error::index(
                &self.path,
                format!(
                    "damaged index: record {i} asked of a table of {}",
                    self.records
                ),
            ));
        }
        let block = i / BLOCK_RECORDS;
        if self
            .checked
            .get(block)
            .is_none_or(|c| c.load(Ordering::Relaxed) == 0)
        {
            self.check_block(block)?;
        }
        let at = self.records_at + i * self.record_size;
        Ok(&self.map[at..at + self.record_size])
    }

    /// Checks every block.
    pub(super) fn verify(&self) -> Result<()> {
        (0..self.block_sums.len()).try_for_each(|b| self.check_block(b))
    }

    fn check_block(&self, block: usize) -> Result<()> {
        let start = self.records_at + block * BLOCK_RECORDS * self.record_size;
        let end = (start + BLOCK_RECORDS * self.record_size).min(self.map.len());
        let ok = self.block_sums.get(block) == Some(&xxh3_64(&self.map[start.min(end)..end]));
        if !ok {
            return Err(Error::index(
                &self.path,
                format!("damaged index file: block {block} does not match its checksum"),
            ));
        }
        if let Some(flag) = self.checked.get(block) {
            flag.store(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// The length of the head at the start of `map`, if the counts it holds
/// describe a head that fits in the file; read before the head is checked,
/// so nothing here trusts a count for more than a bound.
fn head_len(map: &[u8]) -> Option<usize> {
    if map.len() < FIXED_HEAD {
        return None;
    }
    let groups = u32_at(map, 20) as usize;
    let blocks_at = FIXED_HEAD.checked_add(groups.checked_add(1)?.checked_mul(8)?)?;
    let blocks = u64::from_le_bytes(map.get(blocks_at..blocks_at + 8)?.try_into().ok()?);
    let head = (blocks_at as u64)
        .checked_add(8)?
        .checked_add(blocks.checked_mul(8)?)?;
    (head <= map.len() as u64).then_some(head as usize)
}

fn u32_at(map: &[u8], at: usize) -> u32 {
    map.get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

/// Checks the magic bytes, kind and version at the start of `bytes`.
pub(super) fn check_magic(bytes: &[u8], kind: [u8; 4], path: &Path) -> Result<()> {
    if bytes.len() < 16 || &bytes[..8] != MAGIC {
        return Err(Error::index(path, "not a chachong index file"));
    }
    if bytes[8..12] != kind {
        return Err(Error::index(
            path,
            format!(
                "a chachong index file of kind {:?}, not {:?}",
                String::from_utf8_lossy(&bytes[8..12]),
                String::from_utf8_lossy(&kind)
            ),
        ));
    }
    let version = u32::from_le_bytes(bytes[12..16].try_into().unwrap_or_default());
    if version != TABLE_VERSION {
        return Err(Error::index(
            path,
            format!("index file version {version}; this build reads version {TABLE_VERSION}"),
        ));
    }
    Ok(())
}

/// The file at `path`, memory-mapped: the one `unsafe` of the crate.
#[allow(unsafe_code)]
pub(super) fn map_file(path: &Path) -> Result<Mmap> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    // SAFETY: a mapping is undefined behaviour if the file changes under
    // it. An index's files are written whole under fresh names and never
    // changed in place (a new state writes new files and a new manifest;
    // a writer removes only files no manifest names), so while the index
    // folder is used through this crate, a mapped file does not change.
    let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
    // Lookups jump about the file: reading ahead would bring in pages no
    // query asked for (a query of 10,000 documents against a million
    // touched most of the texts). Advice only: where it is not supported,
    // reads are as they were.
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Random);
    Ok(map)
}

/// The last component of `path`, as the manifest names files.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Removes `path` if it exists (a leftover of a killed writer).
pub(super) fn remove_if_there(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}
