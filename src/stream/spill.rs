//! What a streamed run writes down and reads back: each LSH band's
//! `(key, document)` records, and each partition's documents.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::corpus::Document;
use crate::error::{Error, Result};

/// A file of fixed-size records or documents, written once, read once.
pub(crate) struct SpillFile {
    path: PathBuf,
    writer: BufWriter<File>,
}

impl SpillFile {
    /// Creates `path` with a write buffer of `buffer` bytes (small where
    /// many files are open at once).
    pub(crate) fn create(path: PathBuf, buffer: usize) -> Result<SpillFile> {
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        Ok(SpillFile {
            writer: BufWriter::with_capacity(buffer, file),
            path,
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.writer
            .write_all(bytes)
            .map_err(|e| Error::io(&self.path, e))
    }

    /// One band record: the key and the document's ordinal.
    pub(crate) fn write_key(&mut self, key: u64, ordinal: u32) -> Result<()> {
        let mut record = [0; 12];
        record[..8].copy_from_slice(&key.to_le_bytes());
        record[8..].copy_from_slice(&ordinal.to_le_bytes());
        self.write(&record)
    }

    /// One document with its ordinal.
    pub(crate) fn write_document(&mut self, ordinal: u32, doc: &Document) -> Result<()> {
        let (id, text) = (doc.id().as_bytes(), doc.text().as_bytes());
        self.write(&ordinal.to_le_bytes())?;
        self.write(&(id.len() as u64).to_le_bytes())?;
        self.write(id)?;
        self.write(&(text.len() as u64).to_le_bytes())?;
        self.write(text)
    }

    /// Flushes and closes the file; returns its path to read back.
    pub(crate) fn finish(mut self) -> Result<PathBuf> {
        self.writer.flush().map_err(|e| Error::io(&self.path, e))?;
        Ok(self.path)
    }
}

/// A band file's records packed as `key << 32 | ordinal`, so that sorting
/// them sorts by key, then ordinal.
pub(crate) fn read_keys(path: &Path) -> Result<Vec<u128>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let records = bytes.chunks_exact(12).map(|r| {
        let key = u64::from_le_bytes(r[..8].try_into().unwrap_or_default());
        let ordinal = u32::from_le_bytes(r[8..].try_into().unwrap_or_default());
        (u128::from(key) << 32) | u128::from(ordinal)
    });
    Ok(records.collect())
}

/// A partition file's documents with their ordinals, in the order written.
pub(crate) fn read_documents(path: &Path) -> Result<(Vec<u32>, Vec<Document>)> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let (mut ordinals, mut docs) = (Vec::new(), Vec::new());
    let failed = |e| Error::io(path, e);
    loop {
        let mut ordinal = [0; 4];
        match reader.read_exact(&mut ordinal) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(failed(e)),
        }
        let id = read_string(&mut reader, path)?;
        let text = read_string(&mut reader, path)?;
        ordinals.push(u32::from_le_bytes(ordinal));
        docs.push(Document::new(id, text));
    }
    Ok((ordinals, docs))
}

fn read_string(reader: &mut impl Read, path: &Path) -> Result<String> {
    let mut len = [0; 8];
    reader
        .read_exact(&mut len)
        .map_err(|e| Error::io(path, e))?;
    let len = usize::try_from(u64::from_le_bytes(len)).unwrap_or(usize::MAX);
    let mut bytes = vec![0; len];
    reader
        .read_exact(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    // Written from a `String` by this run: anything else is a damaged disk.
    String::from_utf8(bytes).map_err(|e| Error::io(path, std::io::Error::other(e)))
}
