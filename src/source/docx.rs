//! Word files (`.docx`): the text of the main document, one line a
//! paragraph.
//!
//! A `.docx` file is a zip archive whose `word/document.xml` holds the body
//! (ECMA-376, WordprocessingML). Its text is in `<w:t>` runs inside `<w:p>`
//! paragraphs (in tables and text boxes too); `<w:tab/>` is a tab,
//! `<w:br/>` and `<w:cr/>` a line break. Deleted text of tracked changes
//! (`<w:delText>`) and field codes (`<w:instrText>`) are not text a reader
//! sees, and are left out; so are headers, footers and notes, which live in
//! other parts of the archive. The text is then read like a text file's:
//! one document, or split at heading lines.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader as XmlReader;

/// The part of the archive that holds the body.
const BODY: &str = "word/document.xml";
/// At most this much body, decompressed: a zip bomb is an error, not a
/// machine out of memory.
const MAX_BODY_BYTES: u64 = 1 << 30;

/// The text of the Word file `bytes`, one line a paragraph.
///
/// # Errors
///
/// Why `bytes` are no Word document: not a zip archive, no body, a body
/// that is not well-formed XML or larger than 1 GiB.
pub(super) fn text_of(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a Word (.docx) file: {e}"))?;
    let body = archive
        .by_name(BODY)
        .map_err(|e| format!("not a Word (.docx) file: no {BODY} ({e})"))?;
    let mut xml = Vec::new();
    body.take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("{BODY} cannot be read: {e}"))?;
    if xml.len() as u64 > MAX_BODY_BYTES {
        return Err(format!("{BODY} is larger than {MAX_BODY_BYTES} bytes"));
    }
    paragraphs(&xml).map_err(|e| format!("{BODY}: {e}"))
}

/// The text of a WordprocessingML body.
fn paragraphs(xml: &[u8]) -> Result<String, String> {
    let mut reader = XmlReader::from_reader(xml);
    let mut text = String::new();
    // Inside a `<w:t>`: its text is the document's.
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not well-formed XML at byte {at}: {e}"))?;
        match event {
            Event::Start(e) if e.local_name().into_inner() == "t" => in_text = true,
            Event::End(e) => match e.local_name().into_inner() {
                "t" => in_text = false,
                "p" => text.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().into_inner() {
                "tab" => text.push('\t'),
                "br" | "cr" => text.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => text.push(resolve(&r)?),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(text)
}

/// The character a reference in text stands for: `&#20013;`, `&#x4E2D;`,
/// or one of XML's five named ones.
fn resolve(r: &quick_xml::events::BytesRef) -> Result<char, String> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c);
    }
    let name = r.xml10_content();
    match name.as_ref() {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(format!("unknown entity &{other};")),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Write;

    use super::*;

    /// A minimal Word file whose body is `body` (the inside of `<w:body>`).
    pub(crate) fn docx(body: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
        zip.start_file(BODY, options).unwrap();
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:body>{body}</w:body></w:document>"
        );
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn paragraphs_runs_tabs_and_tables_are_read() {
        let body = "<w:p><w:r><w:t>同志们</w:t></w:r><w:r><w:t>：</w:t></w:r></w:p>\
                    <w:p><w:r><w:t xml:space=\"preserve\">2014年 </w:t><w:tab/><w:t>福州&amp;厦门&#x4E2D;</w:t></w:r></w:p>\
                    <w:p><w:r><w:delText>删去的</w:delText><w:instrText>PAGE</w:instrText><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>\
                    <w:tbl><w:tr><w:tc><w:p><w:r><w:t>表格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
        assert_eq!(
            text_of(&docx(body)).unwrap(),
            "同志们：\n2014年 \t福州&厦门中\n第一行\n第二行\n表格\n"
        );
    }

    #[test]
    fn what_is_no_word_file_says_so() {
        let err = text_of(b"PK\x03\x04 not really").unwrap_err();
        assert!(err.starts_with("not a Word (.docx) file"), "{err}");
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("other.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(text_of(&bytes)
            .unwrap_err()
            .contains("no word/document.xml"));
        let err = text_of(&docx("<w:p><w:t>未闭合</w:p>")).unwrap_err();
        assert!(
            err.starts_with("word/document.xml: not well-formed XML"),
            "{err}"
        );
    }
}
