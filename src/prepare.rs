//! Preparing a document for comparison: normalise, fold masks, tokenize and
//! shingle, in one place, in two forms.
//!
//! Input: a [`Document`]. Output, text only (the fingerprint pass, and
//! verification's sets): the normalised, mask-folded text of its paragraphs
//! one after another, then its shingle hashes; with origins (analysis and
//! boilerplate spans): a [`DocumentView`], each paragraph's folded
//! characters with their byte ranges in the original text and their
//! character shingles with positions.
//!
//! Both forms run the same [`Normalizer`] and [`MaskFolder`] over the same
//! paragraphs, so their texts agree character for character (the
//! normaliser's and the folder's tests check each form against the other);
//! the text-only form skips the bookkeeping of origins, which costs most of
//! the work of the view. The pipeline prepares each document at most once
//! per purpose: once for fingerprints, once more for exact verification if
//! it is a candidate and its set was not kept, once as a view if it is
//! clustered or holds boilerplate (DESIGN.md counts the passes).

use std::ops::Range;
use std::time::{Duration, Instant};

use crate::corpus::{Document, Paragraph};
use crate::normalize::{NormalizeConfig, Normalized, Normalizer};
use crate::redact::{is_content, is_numeral, MaskConfig, MaskFolder, MASK, NUMBER};
use crate::shingle::Shingler;
use crate::tokenize::Tokenizer;

/// Normaliser, mask folder, tokenizer and shingler, configured once.
#[derive(Debug)]
pub(crate) struct Preparer {
    normalizer: Normalizer,
    folder: MaskFolder,
    shingler: Shingler,
    /// `None`: character shingles (the shingler's windows over the folded
    /// text); else word shingles of this tokenizer's tokens.
    tokenizer: Option<Box<dyn Tokenizer>>,
}

/// Buffers the text-only form reuses from one document to the next (one
/// per rayon job).
#[derive(Debug, Default)]
pub(crate) struct TextScratch {
    normalized: String,
    folded: String,
}

/// What shingling one text found besides its hashes.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Shingled {
    /// Windows a mask kept out (character shingles only; 0 for words).
    pub(crate) hidden: usize,
    /// Time spent segmenting words (zero for character shingles).
    pub(crate) segmenting: Duration,
}

impl Preparer {
    pub(crate) fn new(
        normalize: NormalizeConfig,
        masks: MaskConfig,
        shingler: Shingler,
        tokenizer: Option<Box<dyn Tokenizer>>,
    ) -> Preparer {
        Preparer {
            normalizer: Normalizer::new(normalize),
            folder: MaskFolder::new(masks),
            shingler,
            tokenizer,
        }
    }

    pub(crate) fn shingler(&self) -> &Shingler {
        &self.shingler
    }

    /// Whether shingles are character k-grams (the hashes boilerplate and
    /// views are made of), rather than a tokenizer's word k-grams.
    pub(crate) fn char_shingles(&self) -> bool {
        self.tokenizer.is_none()
    }

    /// Normalises and mask-folds the paragraphs of `doc` one after another
    /// into one text, without origins; returns it and each paragraph's byte
    /// range in it.
    pub(crate) fn fold_text<'s>(
        &self,
        doc: &Document,
        scratch: &'s mut TextScratch,
    ) -> (&'s str, Vec<Range<usize>>) {
        let text = doc.text();
        scratch.normalized.clear();
        scratch.folded.clear();
        let ranges = doc
            .paragraphs()
            .iter()
            .map(|p| {
                let range = self
                    .normalizer
                    .append_text(&text[p.bytes()], &mut scratch.normalized);
                self.folder
                    .fold_text_into(&scratch.normalized[range], &mut scratch.folded)
            })
            .collect();
        (&scratch.folded, ranges)
    }

    /// Appends the shingle hashes of the folded `text` to `out`, in text
    /// order, repeats included; shingles touching a mask are left out.
    pub(crate) fn shingles_into(&self, text: &str, out: &mut Vec<u64>) -> Shingled {
        match &self.tokenizer {
            None => Shingled {
                hidden: self.shingler.masked_char_sequence_into(text, out),
                segmenting: Duration::ZERO,
            },
            Some(tokenizer) => {
                let mut tokens = Vec::new();
                let segmenting = Instant::now();
                tokenizer.tokenize(text, &mut tokens);
                let segmenting = segmenting.elapsed();
                self.shingler.masked_token_sequence_into(&tokens, out);
                Shingled {
                    hidden: 0,
                    segmenting,
                }
            }
        }
    }

    /// Appends the character shingles of each paragraph of `doc`, taken
    /// alone, to `out`: the hashes of a [`DocumentView`]'s windows, without
    /// keeping positions.
    pub(crate) fn paragraph_shingles_into(&self, doc: &Document, out: &mut Vec<u64>) {
        let mut normalized = String::new();
        let mut folded = String::new();
        for p in doc.paragraphs() {
            normalized.clear();
            folded.clear();
            self.normalizer
                .append_text(&doc.text()[p.bytes()], &mut normalized);
            self.folder.fold_text_into(&normalized, &mut folded);
            self.shingler.masked_char_sequence_into(&folded, out);
        }
    }

    /// `doc` with origins: each paragraph normalised and folded alone, its
    /// characters placed in the original text, its character shingles with
    /// positions.
    pub(crate) fn view<'d>(&self, doc: &'d Document) -> DocumentView<'d> {
        let mut scratch = ViewScratch::default();
        let paragraphs = doc
            .paragraphs()
            .iter()
            .map(|p| self.paragraph_view(doc, p, &mut scratch))
            .collect();
        DocumentView {
            doc,
            paragraphs,
            char_starts: doc.text().char_indices().map(|(at, _)| at).collect(),
        }
    }

    fn paragraph_view(
        &self,
        doc: &Document,
        p: &Paragraph,
        scratch: &mut ViewScratch,
    ) -> ParagraphView {
        let (text, bytes) = (doc.text(), p.bytes());
        let ViewScratch {
            normalized,
            folded,
            runs,
        } = scratch;
        normalized.clear();
        folded.clear();
        runs.clear();
        let range = self
            .normalizer
            .append(&text[bytes.clone()], bytes.start, normalized);
        self.folder
            .fold_into(normalized, range, folded, Some((text, runs)));
        let chars: Vec<char> = folded.text().chars().collect();
        let starts: Vec<usize> = (0..chars.len()).map(|i| folded.origin(i)).collect();
        let mut run_ends = runs.iter().map(|r| r.end);
        let ends = chars
            .iter()
            .zip(&starts)
            .map(|(&c, &start)| original_end(text, c, start, &mut run_ends))
            .collect();
        let mut windows = Vec::new();
        let hidden = self
            .shingler
            .char_windows(folded.text(), |start, hash| windows.push((start, hash)));
        ParagraphView {
            chars,
            starts,
            ends,
            windows,
            hidden,
            bytes,
        }
    }
}

#[derive(Default)]
struct ViewScratch {
    normalized: Normalized,
    folded: Normalized,
    runs: Vec<Range<usize>>,
}

/// One paragraph, normalised and mask-folded alone, with its character
/// shingles and every folded character's place in the original text.
#[derive(Debug)]
pub(crate) struct ParagraphView {
    /// Folded characters.
    pub(crate) chars: Vec<char>,
    /// Byte offset in the document of each folded character.
    pub(crate) starts: Vec<usize>,
    /// Byte end in the document of each folded character (a mask: of its
    /// whole run).
    pub(crate) ends: Vec<usize>,
    /// Character shingles as (first character, hash), masks left out.
    pub(crate) windows: Vec<(usize, u64)>,
    /// Shingles lost to masks.
    pub(crate) hidden: usize,
    /// Byte range of the paragraph in the document.
    pub(crate) bytes: Range<usize>,
}

impl ParagraphView {
    /// Letters, digits, ideographs and folded symbols.
    pub(crate) fn content_chars(&self) -> usize {
        self.chars.iter().filter(|&&c| is_content(c)).count()
    }

    pub(crate) fn masks(&self) -> usize {
        self.chars.iter().filter(|&&c| c == MASK).count()
    }
}

/// A document with origins: see [`Preparer::view`].
#[derive(Debug)]
pub(crate) struct DocumentView<'d> {
    pub(crate) doc: &'d Document,
    pub(crate) paragraphs: Vec<ParagraphView>,
    /// Byte offset of every character of the text, to report positions in
    /// characters.
    char_starts: Vec<usize>,
}

impl DocumentView<'_> {
    fn char_index(&self, byte: usize) -> usize {
        self.char_starts.partition_point(|&b| b < byte)
    }

    pub(crate) fn masks(&self) -> usize {
        self.paragraphs.iter().map(ParagraphView::masks).sum()
    }

    pub(crate) fn content_chars(&self) -> usize {
        self.paragraphs
            .iter()
            .map(ParagraphView::content_chars)
            .sum()
    }

    /// Where each paragraph's folded characters end when all paragraphs
    /// are taken one after another (as the text-only form gives them), for
    /// [`folded_span`](Self::folded_span).
    pub(crate) fn folded_ends(&self) -> Vec<usize> {
        let mut total = 0;
        self.paragraphs
            .iter()
            .map(|p| {
                total += p.chars.len();
                total
            })
            .collect()
    }

    /// The folded characters `range` of all paragraphs taken one after
    /// another as a character range of the document, and as a byte range of
    /// its text; `ends` is [`folded_ends`](Self::folded_ends) and `range`
    /// must not be empty.
    pub(crate) fn folded_span(
        &self,
        ends: &[usize],
        range: &Range<usize>,
    ) -> ([usize; 2], Range<usize>) {
        // The paragraph holding folded character `at`, and its index there.
        let locate = |at: usize| {
            let p = ends.partition_point(|&end| end <= at);
            let before = if p == 0 { 0 } else { ends[p - 1] };
            (p, at - before)
        };
        let byte = |(p, i): (usize, usize), side: fn(&ParagraphView) -> &Vec<usize>| {
            self.paragraphs
                .get(p)
                .and_then(|para| side(para).get(i).copied())
                .unwrap_or(self.doc.text().len())
        };
        let start = byte(locate(range.start), |p| &p.starts);
        let end = byte(locate(range.end.saturating_sub(1)), |p| &p.ends).max(start);
        ([self.char_index(start), self.char_index(end)], start..end)
    }

    /// The paragraph's folded characters `range` as a character range of
    /// the document and the text as written; an empty range is the point
    /// where it would be.
    pub(crate) fn span(&self, paragraph: usize, range: &Range<usize>) -> ([usize; 2], String) {
        let p = &self.paragraphs[paragraph];
        let (start, end) = if range.is_empty() {
            let at = p.starts.get(range.start).copied().unwrap_or(p.bytes.end);
            (at, at)
        } else {
            (p.starts[range.start], p.ends[range.end - 1])
        };
        (
            [self.char_index(start), self.char_index(end)],
            self.doc.text()[start..end].to_string(),
        )
    }
}

/// Where in the original text the folded character `c` at `start` ends: a
/// mask at the end of its run, a number at the end of its digits, anything
/// else at the end of the original character.
fn original_end(
    text: &str,
    c: char,
    start: usize,
    run_ends: &mut impl Iterator<Item = usize>,
) -> usize {
    let rest = &text[start..];
    match c {
        MASK => run_ends
            .next()
            .unwrap_or_else(|| start + rest.chars().next().map_or(0, char::len_utf8)),
        NUMBER => {
            start
                + rest
                    .char_indices()
                    .find(|&(_, ch)| !is_numeral(ch))
                    .map_or(rest.len(), |(at, _)| at)
        }
        _ => start + rest.chars().next().map_or(0, char::len_utf8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preparer() -> Preparer {
        Preparer::new(
            NormalizeConfig::default(),
            MaskConfig::default(),
            Shingler::new(5, 42),
            None,
        )
    }

    #[test]
    fn both_forms_fold_the_same_text() {
        let doc = Document::new(
            "d",
            "　　同志们：\n2014年，**市经济总量达到****亿元，同比增长x.x%。\n\nＡＢＣ “今天” 开会……",
        );
        let p = preparer();
        let mut scratch = TextScratch::default();
        let (text, ranges) = p.fold_text(&doc, &mut scratch);
        let (text, ranges) = (text.to_string(), ranges);
        let view = p.view(&doc);
        assert_eq!(ranges.len(), view.paragraphs.len());
        for (range, para) in ranges.iter().zip(&view.paragraphs) {
            let folded: String = para.chars.iter().collect();
            assert_eq!(text[range.clone()], folded);
        }
    }

    #[test]
    fn view_windows_are_the_paragraph_shingles() {
        let doc = Document::new(
            "d",
            "推进县域经济高质量发展\n今年以来，**市经济运行稳中有进",
        );
        let p = preparer();
        let mut text_only = Vec::new();
        p.paragraph_shingles_into(&doc, &mut text_only);
        let view = p.view(&doc);
        let from_view: Vec<u64> = view
            .paragraphs
            .iter()
            .flat_map(|para| para.windows.iter().map(|w| w.1))
            .collect();
        assert_eq!(from_view, text_only);
        assert!(view.paragraphs[1].hidden > 0);
    }

    #[test]
    fn spans_point_into_the_original() {
        let doc = Document::new("d", "标题\n　在****年，**市达到９４．７％。");
        let view = preparer().view(&doc);
        let p = &view.paragraphs[1];
        let mask = p.chars.iter().position(|&c| c == MASK).unwrap();
        let (range, text) = view.span(1, &(mask..mask + 1));
        assert_eq!(text, "****");
        let chars: Vec<char> = doc.text().chars().collect();
        assert_eq!(chars[range[0]..range[1]].iter().collect::<String>(), "****");
        assert_eq!(view.masks(), 2);
    }

    #[test]
    fn word_tokens_report_their_segmentation() {
        #[derive(Debug)]
        struct Spaces;
        impl Tokenizer for Spaces {
            fn tokenize<'t>(&self, text: &'t str, out: &mut Vec<&'t str>) {
                out.extend(text.split(' ').filter(|w| !w.is_empty()));
            }
        }
        let p = Preparer::new(
            NormalizeConfig::default(),
            MaskConfig::default(),
            Shingler::new(2, 1),
            Some(Box::new(Spaces)),
        );
        assert!(!p.char_shingles());
        let mut out = Vec::new();
        let shingled = p.shingles_into("a b c", &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(shingled.hidden, 0);
    }
}
