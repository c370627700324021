//! What an input is: compressed or not, JSON Lines or text, from its first
//! bytes and its name.

use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use crate::corpus::{Compression, InputFormat};
use crate::error::{Error, Result};

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
const BOM: &[u8] = &[0xef, 0xbb, 0xbf];
/// How a Parquet file starts (and ends).
pub(super) const PARQUET_MAGIC: &[u8] = b"PAR1";
/// How far into a stream the content is looked at for its first character:
/// past a byte order mark and blank lines.
const SNIFF_BYTES: usize = 64 << 10;

/// A stream whose first bytes were read to look at, then put back.
type Stream<'r> = Box<dyn Read + 'r>;

/// An input, decompressed.
struct Named<'r> {
    pub(super) stream: Stream<'r>,
    pub(super) compression: Compression,
    /// The name without a compression ending (`a.jsonl.gz` → `a.jsonl`).
    pub(super) inner: PathBuf,
}

/// Reads up to `n` bytes of `reader` (fewer only at its end) and returns
/// them with a stream that gives them again, then the rest.
fn peek<'r>(mut reader: impl Read + 'r, n: usize, name: &Path) -> Result<(Vec<u8>, Stream<'r>)> {
    let mut head = Vec::with_capacity(n);
    (&mut reader)
        .take(n as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(name, e))?;
    let stream: Stream<'r> = Box::new(Cursor::new(head.clone()).chain(reader));
    Ok((head, stream))
}

/// `reader`, decompressed if it starts with gzip's or Zstandard's magic
/// bytes.
fn open_stream<'r>(reader: impl Read + 'r, name: &Path) -> Result<Named<'r>> {
    let (head, stream) = peek(reader, ZSTD_MAGIC.len(), name)?;
    let (stream, compression): (Stream<'r>, Compression) = if head.starts_with(GZIP_MAGIC) {
        // Multi-member: `cat a.gz b.gz` is one valid gzip file.
        let decoder = flate2::read::MultiGzDecoder::new(stream);
        (Box::new(decoder), Compression::Gzip)
    } else if head.starts_with(ZSTD_MAGIC) {
        let decoder = zstd::stream::read::Decoder::new(stream).map_err(|e| Error::io(name, e))?;
        (Box::new(decoder), Compression::Zstd)
    } else {
        (stream, Compression::None)
    };
    Ok(Named {
        stream,
        compression,
        inner: without_compression(name),
    })
}

/// `name` without a `.gz`, `.zst` or `.zstd` ending.
pub(super) fn without_compression(name: &Path) -> PathBuf {
    let compressed = name.extension().is_some_and(|e| {
        let e = e.to_string_lossy();
        ["gz", "zst", "zstd"]
            .iter()
            .any(|c| e.eq_ignore_ascii_case(c))
    });
    if compressed {
        name.with_extension("")
    } else {
        name.to_path_buf()
    }
}

/// The layout a name says, if it says one.
pub(super) fn format_by_name(name: &Path) -> Option<InputFormat> {
    let extension = name.extension()?.to_string_lossy().to_ascii_lowercase();
    match extension.as_str() {
        "jsonl" | "ndjson" | "jsonlines" | "json" => Some(InputFormat::Jsonl),
        "txt" | "text" | "md" => Some(InputFormat::Text),
        "parquet" | "pq" | "parq" => Some(InputFormat::Parquet),
        "docx" => Some(InputFormat::Docx),
        _ => None,
    }
}

/// An input opened to be read: decompressed, its layout decided by its
/// name or, where the name says nothing, by its content.
pub(super) struct Opened<'r> {
    pub(super) stream: BufReader<Stream<'r>>,
    pub(super) format: InputFormat,
    pub(super) compression: Compression,
    /// The name without a compression ending.
    pub(super) inner: PathBuf,
}

/// Opens `reader`, known as `name`, as the module docs of `source` say.
pub(super) fn open_input<'r>(reader: impl Read + 'r, name: &Path) -> Result<Opened<'r>> {
    let Named {
        stream,
        compression,
        inner,
    } = open_stream(reader, name)?;
    let (stream, format) = match format_by_name(&inner) {
        Some(format) => (stream, format),
        None => sniff_format(stream, name)?,
    };
    Ok(Opened {
        stream: BufReader::new(stream),
        format,
        compression,
        inner,
    })
}

impl Opened<'_> {
    /// Every byte of the input (a text file is read whole).
    pub(super) fn into_bytes(mut self, name: &Path) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.stream
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(name, e))?;
        Ok(bytes)
    }
}

/// The layout the content says: Parquet if it starts with Parquet's magic
/// bytes, JSON Lines if the first character past a byte order mark and
/// white space is `{`, else text.
fn sniff_format<'r>(stream: Stream<'r>, name: &Path) -> Result<(Stream<'r>, InputFormat)> {
    let (head, stream) = peek(stream, SNIFF_BYTES, name)?;
    if head.starts_with(PARQUET_MAGIC) {
        return Ok((stream, InputFormat::Parquet));
    }
    let head = head.strip_prefix(BOM).unwrap_or(&head);
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    let format = match first {
        Some(b'{') => InputFormat::Jsonl,
        _ => InputFormat::Text,
    };
    Ok((stream, format))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn names_say_the_layout_in_any_case() {
        let f = |n: &str| format_by_name(Path::new(n));
        assert_eq!(f("a.JSONL"), Some(InputFormat::Jsonl));
        assert_eq!(f("a.ndjson"), Some(InputFormat::Jsonl));
        assert_eq!(f("a.json"), Some(InputFormat::Jsonl));
        assert_eq!(f("a.TXT"), Some(InputFormat::Text));
        assert_eq!(f("part-0.Parquet"), Some(InputFormat::Parquet));
        assert_eq!(f("/dev/stdin"), None);
        assert_eq!(f("a.dat"), None);
    }

    #[test]
    fn compression_endings_come_off() {
        assert_eq!(
            without_compression(Path::new("a.jsonl.gz")),
            Path::new("a.jsonl")
        );
        assert_eq!(
            without_compression(Path::new("a.txt.ZST")),
            Path::new("a.txt")
        );
        assert_eq!(without_compression(Path::new("a.txt")), Path::new("a.txt"));
    }

    #[test]
    fn content_says_json_lines_past_a_bom_and_blank_lines() {
        let name = Path::new("-");
        let input: &[u8] = b"\xef\xbb\xbf\n\n  {\"id\": 1}";
        let (mut stream, format) = sniff_format(Box::new(input), name).unwrap();
        assert_eq!(format, InputFormat::Jsonl);
        let mut back = Vec::new();
        stream.read_to_end(&mut back).unwrap();
        assert_eq!(back, input, "the stream gives back what was looked at");
        let (_, format) = sniff_format(Box::new(&b"title\n{"[..]), name).unwrap();
        assert_eq!(format, InputFormat::Text);
    }

    #[test]
    fn magic_bytes_decide_compression_whatever_the_name() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all("甲乙丙".as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let mut named = open_stream(&gz[..], Path::new("no-extension")).unwrap();
        assert_eq!(named.compression, Compression::Gzip);
        let mut text = String::new();
        named.stream.read_to_string(&mut text).unwrap();
        assert_eq!(text, "甲乙丙");

        let zst = zstd::stream::encode_all(&b"{}"[..], 1).unwrap();
        let named = open_stream(&zst[..], Path::new("x.jsonl.zst")).unwrap();
        assert_eq!(named.compression, Compression::Zstd);
        assert_eq!(named.inner, Path::new("x.jsonl"));
    }

    #[test]
    fn a_broken_stream_names_its_file() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::UnexpectedEof))
            }
        }
        let err = open_stream(Broken, Path::new("x.gz")).err().unwrap();
        assert!(err.to_string().starts_with("x.gz: "), "{err}");
    }
}
