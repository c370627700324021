//! Text files in the encodings people have: UTF-8 as it is, a byte order
//! mark's encoding (UTF-8, UTF-16LE, UTF-16BE), or, for bytes that are
//! mostly not UTF-8, the encoding Firefox's detector (chardetng) guesses if
//! it is a Chinese, Japanese or Korean one (GBK, GB18030, Big5, Shift_JIS,
//! EUC-JP, EUC-KR), decoded by encoding_rs without replacement: a byte the
//! encoding cannot read is an error, never a `�`. Anything else stays
//! UTF-8, its bad bytes reported where they are; other encodings are read
//! when named (`Reader::encoding`).

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

/// A text file's bytes as UTF-8, and the encoding they were read in.
pub(super) struct Decoded<'b> {
    pub(super) bytes: Cow<'b, [u8]>,
    pub(super) encoding: &'static Encoding,
}

/// Reads `bytes` as UTF-8: in `forced` if given, else as the module docs
/// say. UTF-8 with a few bad bytes stays UTF-8, so that the bad bytes are
/// reported (or skipped) where they are.
///
/// # Errors
///
/// Why the bytes are no text in the encoding used.
pub(super) fn decode<'b>(
    bytes: &'b [u8],
    forced: Option<&'static Encoding>,
) -> Result<Decoded<'b>, String> {
    if let Some(encoding) = forced {
        let bom = match Encoding::for_bom(bytes) {
            Some((found, len)) if found == encoding => len,
            _ => 0,
        };
        return strictly(&bytes[bom..], encoding)
            .ok_or_else(|| format!("not valid {} (the encoding asked for)", encoding.name()));
    }
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        if encoding == UTF_8 {
            return Ok(Decoded {
                bytes: Cow::Borrowed(&bytes[bom..]),
                encoding,
            });
        }
        return strictly(&bytes[bom..], encoding).ok_or_else(|| {
            format!(
                "not valid {}, which its byte order mark says it is",
                encoding.name()
            )
        });
    }
    if mostly_utf8(bytes) {
        return Ok(Decoded {
            bytes: Cow::Borrowed(bytes),
            encoding: UTF_8,
        });
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Deny);
    // A guess of a single-byte encoding (windows-1252 and the like) for a
    // few stray bytes would read anything as something: such text stays
    // UTF-8, its bad bytes reported where they are.
    if !LEGACY_CJK.contains(&guess) {
        return Ok(Decoded {
            bytes: Cow::Borrowed(bytes),
            encoding: UTF_8,
        });
    }
    strictly(bytes, guess).ok_or_else(|| {
        format!(
            "neither UTF-8 nor {}, the likeliest other encoding: name it with --encoding",
            guess.name()
        )
    })
}

/// The encodings a guess is taken from: Chinese, Japanese and Korean
/// multi-byte encodings, whose byte pairs no stray byte imitates.
static LEGACY_CJK: [&Encoding; 6] = [
    encoding_rs::GBK,
    encoding_rs::GB18030,
    encoding_rs::BIG5,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_JP,
    encoding_rs::EUC_KR,
];

/// `bytes` in `encoding`, if every byte reads.
fn strictly<'b>(bytes: &'b [u8], encoding: &'static Encoding) -> Option<Decoded<'b>> {
    let text = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
    let bytes = match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    };
    Some(Decoded { bytes, encoding })
}

/// Whether `bytes` are UTF-8 but for a few bad bytes: at least as many
/// characters beyond ASCII read as bytes that do not (in GBK or Big5 text
/// only some byte pairs happen to read as UTF-8, most do not).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut read, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        read += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += chunk.invalid().len();
    }
    read > 0 && read >= bad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_chinese_encodings_are_guessed_and_read() {
        let text = "在全市高质量发展工作会议上的讲话。同志们：今年以来，全市上下认真贯彻落实党中央决策部署，经济运行稳中有进。".repeat(3);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let decoded = decode(&gbk, None).unwrap();
        assert_eq!(decoded.bytes, text.as_bytes());
        assert!(
            ["GBK", "gb18030"].contains(&decoded.encoding.name()),
            "{}",
            decoded.encoding.name()
        );
        let traditional = "在全市高品質發展工作會議上的講話。同志們：今年以來，全市上下認真貫徹落實黨中央決策部署，經濟運行穩中有進。".repeat(3);
        let (big5, _, _) = encoding_rs::BIG5.encode(&traditional);
        let decoded = decode(&big5, None).unwrap();
        assert_eq!(decoded.encoding.name(), "Big5");
        assert_eq!(decoded.bytes, traditional.as_bytes());
    }

    #[test]
    fn byte_order_marks_and_forced_encodings() {
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "第一篇".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&utf16, None).unwrap();
        assert_eq!(
            (&*decoded.bytes, decoded.encoding.name()),
            ("第一篇".as_bytes(), "UTF-16LE")
        );
        // UTF-8 with one stray byte stays UTF-8: the bad byte is reported
        // where it is.
        let mostly = [&"第一篇".repeat(5).into_bytes()[..], b"\xff"].concat();
        assert_eq!(decode(&mostly, None).unwrap().encoding, UTF_8);
        let (gbk, _, _) = encoding_rs::GBK.encode("第一篇");
        let err = decode(&gbk, Some(UTF_8)).err().unwrap();
        assert_eq!(err, "not valid UTF-8 (the encoding asked for)");
        let decoded = decode(&gbk, Some(encoding_rs::GBK)).unwrap();
        assert_eq!(&*decoded.bytes, "第一篇".as_bytes());
    }
}
