//! Where a report goes: standard output, or a file that is replaced only
//! once the report is whole.
//!
//! A report file is written to a temporary file beside it and renamed over
//! it at the end, so a run that fails (bad input, full disk, a kill) leaves
//! the previous report as it was, and no reader ever sees half a report. A
//! link stays a link (the file it points to is replaced); a device, a named
//! pipe or a stream the system names (`/dev/stdout`, `/dev/fd/3`) cannot be
//! replaced and is written in place; a folder or a read-only file is
//! refused before the run. Every error names where the write went.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::failure::{Failure, Result};

/// An open report destination.
pub struct Output {
    /// `stdout`, or the target's path, for messages.
    name: String,
    sink: Sink,
}

enum Sink {
    Stdout(BufWriter<io::Stdout>),
    /// A temporary file beside `target`, renamed over it by `finish`.
    Replace {
        file: BufWriter<NamedTempFile>,
        target: PathBuf,
    },
    /// A target that is not a regular file, written in place.
    InPlace(BufWriter<File>),
}

impl Output {
    /// Opens `path` (`None` or `-`: standard output) for a report; a path
    /// that cannot be written fails now, before any work is done.
    pub fn open(path: Option<&Path>) -> Result<Output> {
        let path = match path {
            None => return Output::stdout(),
            Some(p) if p == Path::new("-") => return Output::stdout(),
            Some(p) => p,
        };
        let name = path.display().to_string();
        let sink = match destination(path)? {
            Destination::InPlace => {
                // Appended to: what a shell's `>` opened is empty, what its
                // `>>` opened keeps what it had.
                let file = OpenOptions::new()
                    .append(true)
                    .open(path)
                    .map_err(|e| Failure::io(path, &e))?;
                Sink::InPlace(BufWriter::new(file))
            }
            Destination::Replace(target) => Sink::Replace {
                file: BufWriter::new(temporary_beside(&target)?),
                target,
            },
        };
        Ok(Output { name, sink })
    }

    fn stdout() -> Result<Output> {
        if stdout_is_closed() {
            return Err(Failure::new(
                "stdout is closed: nothing would receive the report (use --output FILE)",
            ));
        }
        Ok(Output {
            name: "stdout".to_string(),
            sink: Sink::Stdout(BufWriter::new(io::stdout())),
        })
    }

    /// The writer, and the name its errors carry.
    fn writer(&mut self) -> (&mut dyn Write, &str) {
        let writer: &mut dyn Write = match &mut self.sink {
            Sink::Stdout(w) => w,
            Sink::Replace { file, .. } => file,
            Sink::InPlace(w) => w,
        };
        (writer, &self.name)
    }

    /// Writes `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let (writer, name) = self.writer();
        writer
            .write_all(bytes)
            .map_err(|e| Failure::writing(name, &e))
    }

    /// Writes `value` as pretty JSON and a final newline, streamed: a
    /// report can be far larger than the corpus.
    pub fn write_json(&mut self, value: &impl serde::Serialize) -> Result<()> {
        let (writer, name) = self.writer();
        serde_json::to_writer_pretty(writer, value).map_err(|e| {
            if e.is_io() {
                // The I/O error itself, with the system's message.
                Failure::writing(name, &io::Error::from(e))
            } else {
                Failure::new(format!("{name}: {e}"))
            }
        })?;
        self.write_all(b"\n")
    }

    /// Flushes, and puts a replaced file in place of its target.
    pub fn finish(self) -> Result<()> {
        let Output { name, sink } = self;
        let writing = |e: io::Error| Failure::writing(&name, &e);
        match sink {
            Sink::Stdout(mut w) => w.flush().map_err(writing),
            Sink::InPlace(mut w) => w.flush().map_err(writing),
            Sink::Replace { file, target } => {
                let file = file.into_inner().map_err(|e| writing(e.into_error()))?;
                file.as_file().sync_all().map_err(writing)?;
                file.persist(&target)
                    .map_err(|e| Failure::io(&target, &e.error))?;
                Ok(())
            }
        }
    }
}

/// An [`Output`] as a plain writer, for encoders layered over it; errors
/// keep the system's message (the caller names the file).
impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.writer().0.write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer().0.write_all(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().0.flush()
    }
}

/// How a report reaches its path.
enum Destination {
    /// Opened and written: a device, a pipe, or a stream the system names
    /// (`/dev/stdout`, `/dev/fd/3`), which a rename would replace.
    InPlace,
    /// Written beside this file (the path's target, through links) and
    /// renamed over it.
    Replace(PathBuf),
}

/// How `path` is written, or why it cannot be.
fn destination(path: &Path) -> Result<Destination> {
    let system_stream = path.starts_with("/dev") || path.starts_with("/proc");
    let Ok(meta) = fs::symlink_metadata(path) else {
        // A new file.
        return Ok(Destination::Replace(path.to_path_buf()));
    };
    if system_stream && !meta.is_dir() {
        return Ok(Destination::InPlace);
    }
    let target = if meta.file_type().is_symlink() {
        // The link stays a link: the file it points to is replaced.
        fs::canonicalize(path).map_err(|e| Failure::io(path, &e))?
    } else {
        path.to_path_buf()
    };
    let meta = fs::metadata(&target).map_err(|e| Failure::io(path, &e))?;
    if meta.is_dir() {
        return Err(Failure::new(format!(
            "{}: is a folder, not a file",
            path.display()
        )));
    }
    if !meta.is_file() {
        return Ok(Destination::InPlace);
    }
    if meta.permissions().readonly() {
        return Err(Failure::new(format!(
            "{}: the file is read-only; a report would replace it",
            path.display()
        )));
    }
    Ok(Destination::Replace(target))
}

/// A new temporary file in the folder of `path`, named after it and hidden
/// (`.report.json.XXXXXX.tmp`), so that no reader takes it for an input,
/// with the permissions of the file it will replace (or of a new file).
pub fn temporary_beside(path: &Path) -> Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| Failure::new(format!("{}: not a file name", path.display())))?;
    let prefix = format!(".{}.", file_name.to_string_lossy());
    let file = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            // tempfile appends its temporary path; the user knows only theirs.
            let message = e.to_string();
            let cause = message.split(" at path ").next().unwrap_or(&message);
            Failure::new(format!("{}: {cause}", path.display()))
        })?;
    let permissions = match fs::metadata(path) {
        Ok(existing) => Some(existing.permissions()),
        Err(_) => new_file_permissions(),
    };
    if let Some(permissions) = permissions {
        fs::set_permissions(file.path(), permissions).map_err(|e| Failure::io(path, &e))?;
    }
    Ok(file)
}

/// What a new file usually gets: a temporary file is private (0600).
#[cfg(unix)]
fn new_file_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

/// Whether standard output was closed when the program started (`>&-`).
///
/// Rust's runtime reopens a closed standard stream on `/dev/null` before
/// `main`, read-write, so writes to it would succeed and the report would
/// vanish with exit status 0. A shell's `>/dev/null` opens it write-only,
/// which tells the two apart (Linux; elsewhere this says `false`).
fn stdout_is_closed() -> bool {
    if !cfg!(target_os = "linux") {
        return false;
    }
    let Ok(target) = fs::read_link("/proc/self/fd/1") else {
        return false;
    };
    if target != Path::new("/dev/null") {
        return false;
    }
    let Ok(info) = fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    const O_ACCMODE: u32 = 0o3;
    const O_RDWR: u32 = 0o2;
    info.lines()
        .find_map(|line| line.strip_prefix("flags:"))
        .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
        .is_some_and(|flags| flags & O_ACCMODE == O_RDWR)
}
