//! Which files of a folder are read, and in what order: its `.txt` and
//! `.docx` files (one document each) and its shards (corpora of many), by
//! file name.

use std::fs;
use std::path::{Path, PathBuf};

use super::detect::{format_by_name, without_compression};
use crate::corpus::InputFormat;
use crate::error::{Error, Result};

/// A file a folder's read takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Entry {
    /// A `.txt` or `.docx` file: one document, its id the file stem.
    Text(PathBuf),
    /// A JSON Lines or Parquet file: a corpus of its own.
    Shard(PathBuf),
}

impl Entry {
    /// What a file of this name is in a folder, if it is read at all.
    pub(super) fn of(file: PathBuf) -> Option<Entry> {
        let name = file.file_name()?.to_string_lossy();
        let hidden = name.starts_with('.') || name.starts_with('_');
        // Hidden files, and what Spark and Hadoop leave beside their parts
        // (`_SUCCESS`, `_metadata`; `.part-0.crc` is hidden too).
        if hidden {
            return None;
        }
        let is_text = file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("docx"));
        if is_text {
            return Some(Entry::Text(file));
        }
        let inner = without_compression(&file);
        // `.json` is JSON Lines when named, but in a folder it is as often
        // a config or a report: only names that say "lines" are shards.
        let says_lines = inner
            .extension()
            .is_some_and(|e| !e.eq_ignore_ascii_case("json"));
        match format_by_name(&inner) {
            Some(InputFormat::Jsonl) if says_lines => Some(Entry::Shard(file)),
            Some(InputFormat::Parquet) => Some(Entry::Shard(file)),
            _ => None,
        }
    }
}

/// The files of folder `path` that are read (not those of subfolders), in
/// order of file name.
pub(super) fn entries(path: &Path) -> Result<Vec<Entry>> {
    let mut files: Vec<Entry> = Vec::new();
    for entry in fs::read_dir(path).map_err(|e| Error::io(path, e))? {
        let file = entry.map_err(|e| Error::io(path, e))?.path();
        if file.is_file() {
            files.extend(Entry::of(file));
        }
    }
    files.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(files)
}

impl Entry {
    fn path(&self) -> &Path {
        match self {
            Entry::Text(file) | Entry::Shard(file) => file,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_shards_are_read_the_rest_passed_over() {
        let kind = |name: &str| Entry::of(PathBuf::from(name));
        let text = |name: &str| Some(Entry::Text(PathBuf::from(name)));
        let shard = |name: &str| Some(Entry::Shard(PathBuf::from(name)));
        assert_eq!(kind("d/篇1.TXT"), text("d/篇1.TXT"));
        assert_eq!(kind("d/part-00000.parquet"), shard("d/part-00000.parquet"));
        assert_eq!(kind("d/part-0.jsonl.zst"), shard("d/part-0.jsonl.zst"));
        assert_eq!(kind("d/a.ndjson.gz"), shard("d/a.ndjson.gz"));
        assert_eq!(kind("d/report.json"), None);
        assert_eq!(kind("d/_SUCCESS"), None);
        assert_eq!(kind("d/.part-0.parquet.crc"), None);
        assert_eq!(kind("d/_part.parquet"), None);
        assert_eq!(kind("d/notes.md"), None);
    }
}
