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
use crate::normalize::{NormalizeConfig, Normalized, Normalizer, Part, Watch};
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
    /// The characters a mask run can start with, which the normaliser
    /// notes the places of as it writes.
    watch: Watch,
}

/// Buffers the text-only form reuses from one document to the next (one
/// per rayon job).
#[derive(Debug, Default)]
pub(crate) struct TextScratch {
    folded: String,
    /// The code point of each character of `folded`.
    codes: Vec<u32>,
    /// A paragraph with a possible mask, normalised, before it is folded.
    part: String,
    /// Where in that paragraph a mask run may start (byte, character).
    marks: Vec<(usize, usize)>,
    /// The runs found there (bytes, symbol).
    runs: Vec<(Range<usize>, char)>,
}

/// A document normalised and folded without origins
/// ([`Preparer::fold_text`]).
#[derive(Debug)]
pub(crate) struct FoldedText<'s> {
    /// The paragraphs' folded texts one after another.
    pub(crate) text: &'s str,
    /// The code point of each character of `text`.
    pub(crate) codes: &'s [u32],
    /// Each paragraph's byte range in `text` and character range in
    /// `codes`.
    pub(crate) ranges: Vec<(Range<usize>, Range<usize>)>,
    /// Mask runs folded.
    pub(crate) masks: usize,
}

/// A folded text and the code point of each of its characters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Folded<'s> {
    pub(crate) text: &'s str,
    pub(crate) codes: &'s [u32],
}

impl<'s> Folded<'s> {
    /// `text`, its code points read off it.
    #[cfg(test)]
    pub(crate) fn new(text: &'s str, codes: &'s mut Vec<u32>) -> Folded<'s> {
        codes.clear();
        codes.extend(text.chars().map(u32::from));
        Folded { text, codes }
    }
}

impl<'s> FoldedText<'s> {
    /// The whole document.
    pub(crate) fn whole(&self) -> Folded<'s> {
        Folded {
            text: self.text,
            codes: self.codes,
        }
    }

    /// Each paragraph alone.
    pub(crate) fn parts(&self) -> impl Iterator<Item = Folded<'s>> + '_ {
        self.ranges.iter().map(|(bytes, chars)| Folded {
            text: &self.text[bytes.clone()],
            codes: &self.codes[chars.clone()],
        })
    }
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
        let folder = MaskFolder::new(masks);
        let normalizer = Normalizer::new(normalize);
        Preparer {
            watch: normalizer.watch(folder.starters()),
            normalizer,
            folder,
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
    /// into one text, without origins, each paragraph in one walk
    /// ([`fold_part`](Self::fold_part)).
    pub(crate) fn fold_text<'s>(
        &self,
        doc: &Document,
        scratch: &'s mut TextScratch,
    ) -> FoldedText<'s> {
        let text = doc.text();
        scratch.folded.clear();
        scratch.codes.clear();
        let mut masks = 0;
        let ranges = doc
            .paragraphs()
            .iter()
            .map(|p| {
                let chars = scratch.codes.len();
                let (range, folded) = self.fold_part(&text[p.bytes()], scratch);
                masks += folded;
                (range, chars..scratch.codes.len())
            })
            .collect();
        FoldedText {
            text: &scratch.folded,
            codes: &scratch.codes,
            ranges,
            masks,
        }
    }

    /// Normalises and folds one paragraph's `text` onto the end of
    /// `scratch.folded` (its code points onto `scratch.codes`); returns its
    /// range in the text and how many mask runs it folded. The normaliser
    /// writes the paragraph once, noting where a mask run could start; the
    /// folder looks at those places alone, and only a paragraph where it
    /// finds a run is rewritten, from that run on. The result is
    /// [`MaskFolder::fold_text_into`] of [`Normalizer::append_text`],
    /// character for character (tested).
    fn fold_part(&self, text: &str, scratch: &mut TextScratch) -> (Range<usize>, usize) {
        let TextScratch {
            folded,
            codes,
            part,
            marks,
            runs,
        } = scratch;
        marks.clear();
        let chars = codes.len();
        let out = Part {
            text: folded,
            codes,
            marks,
        };
        let range = self.normalizer.append_part(text, &self.watch, out);
        if marks.is_empty() {
            return (range, 0);
        }
        runs.clear();
        let written = &folded[range.clone()];
        self.folder
            .runs_at_marks(written, marks.iter().map(|m| m.0), runs);
        let Some(first) = runs.first() else {
            return (range, 0);
        };
        // Rewrite the text from the first run on, from a copy of it; the
        // code points in place, since a run of code points only shrinks.
        let from = first.0.start;
        part.clear();
        part.push_str(&written[from..]);
        folded.truncate(range.start + from);
        let char_at = |byte: usize| {
            let i = marks.partition_point(|m| m.0 < byte);
            marks[i].1
        };
        let (mut read, mut write) = (chars + char_at(from), chars + char_at(from));
        let mut plain = from;
        for (bytes, symbol) in runs.iter() {
            folded.push_str(&part[plain - from..bytes.start - from]);
            folded.push(*symbol);
            let start = chars + char_at(bytes.start);
            codes.copy_within(read..start, write);
            write += start - read;
            codes[write] = u32::from(*symbol);
            write += 1;
            read = start + part[bytes.start - from..bytes.end - from].chars().count();
            plain = bytes.end;
        }
        folded.push_str(&part[plain - from..]);
        codes.copy_within(read.., write);
        codes.truncate(write + (codes.len() - read));
        let masks = runs.iter().filter(|r| r.1 == MASK).count();
        (range.start..folded.len(), masks)
    }

    /// Appends the shingle hashes of the folded `text` to `out`, in text
    /// order, repeats included; shingles touching a mask are left out.
    pub(crate) fn shingles_into(&self, folded: Folded<'_>, out: &mut Vec<u64>) -> Shingled {
        match &self.tokenizer {
            None => Shingled {
                hidden: self.shingler.code_hashes_into(folded.codes, out),
                segmenting: Duration::ZERO,
            },
            Some(tokenizer) => {
                let mut tokens = Vec::new();
                let segmenting = Instant::now();
                tokenizer.tokenize(folded.text, &mut tokens);
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
        let mut scratch = TextScratch::default();
        for p in doc.paragraphs() {
            scratch.folded.clear();
            scratch.codes.clear();
            self.fold_part(&doc.text()[p.bytes()], &mut scratch);
            self.shingler.code_hashes_into(&scratch.codes, out);
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
        let folded = p.fold_text(&doc, &mut scratch);
        let (text, ranges) = (folded.text.to_string(), folded.ranges);
        assert_eq!(folded.masks, 5);
        let view = p.view(&doc);
        assert_eq!(ranges.len(), view.paragraphs.len());
        for ((range, _), para) in ranges.iter().zip(&view.paragraphs) {
            let folded: String = para.chars.iter().collect();
            assert_eq!(text[range.clone()], folded);
        }
    }

    /// The one walk (the normaliser noting where a mask may start, the
    /// folder looking only there) against the two it replaced, under every
    /// rule that changes where runs start or end.
    fn one_walk_and_two_agree(normalize: NormalizeConfig, masks: MaskConfig, text: &str) {
        let p = Preparer::new(normalize, masks, Shingler::new(5, 42), None);
        let doc = Document::new("d", text);
        let (normalizer, folder) = (Normalizer::new(normalize), MaskFolder::new(masks));
        let (mut normalized, mut two_walks, mut ranges) =
            (String::new(), String::new(), Vec::new());
        for para in doc.paragraphs() {
            let range = normalizer.append_text(&text[para.bytes()], &mut normalized);
            ranges.push(folder.fold_text_into(&normalized[range], &mut two_walks));
        }
        let mut scratch = TextScratch::default();
        let one_walk = p.fold_text(&doc, &mut scratch);
        assert_eq!(one_walk.text, two_walks, "{normalize:?} {masks:?} {text:?}");
        let bytes: Vec<Range<usize>> = one_walk.ranges.iter().map(|r| r.0.clone()).collect();
        assert_eq!(bytes, ranges, "{text:?}");
        assert_eq!(one_walk.masks, two_walks.matches(MASK).count(), "{text:?}");
        // The code points written beside the text are the text's, and each
        // paragraph's share of them is its share of the text.
        let codes: Vec<u32> = two_walks.chars().map(u32::from).collect();
        assert_eq!(one_walk.codes, codes, "{text:?}");
        for part in one_walk.parts() {
            let codes: Vec<u32> = part.text.chars().map(u32::from).collect();
            assert_eq!(part.codes, codes, "{text:?}");
        }
    }

    fn rule_sets() -> Vec<(NormalizeConfig, MaskConfig)> {
        use crate::normalize::{Punctuation, Whitespace};
        let n = NormalizeConfig::default();
        let m = MaskConfig::default();
        vec![
            (n, m),
            (
                n,
                MaskConfig {
                    fold_digits: true,
                    ..m
                },
            ),
            (
                n,
                MaskConfig {
                    latin_x: false,
                    mou: false,
                    ellipsis: false,
                    ..m
                },
            ),
            (
                n,
                MaskConfig {
                    fold_masks: false,
                    ..m
                },
            ),
            (
                n,
                MaskConfig {
                    fold_masks: false,
                    fold_digits: true,
                    ..m
                },
            ),
            (
                NormalizeConfig {
                    whitespace: Whitespace::Collapse,
                    ..n
                },
                m,
            ),
            (
                NormalizeConfig {
                    whitespace: Whitespace::Keep,
                    lowercase: false,
                    ..n
                },
                m,
            ),
            (
                NormalizeConfig {
                    punctuation: Punctuation::Remove,
                    ..n
                },
                m,
            ),
            (
                NormalizeConfig {
                    nfkc: false,
                    fold_traditional: false,
                    ..n
                },
                m,
            ),
        ]
    }

    #[test]
    fn one_walk_folds_what_two_walks_folded() {
        let texts = [
            "　　同志们：\n2014年，**市经济总量达到****亿元，同比增长x.x%。\n\nＡＢＣ “今天” 开会……",
            "某某同志在某些场合说：某种程度上，某市xxx名、Xbox、xxxl、3×4、a×b、□■○█、＊＊",
            "二〇一四年十二月，一二三四五，三十，一三，统一，１２３，壹佰贰拾",
            "... .. ....  ．．．　前x名 X光 x\u{301}某\u{301} e\u{301} Ⅻ ﬁ",
            "發展經濟，臺灣某縣，\u{E000}私用\u{200B}零宽\r\n\t  end  ",
            "",
            "\n\n \n",
        ];
        for (normalize, masks) in rule_sets() {
            for text in texts {
                one_walk_and_two_agree(normalize, masks, text);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn one_walk_folds_any_text_as_two_walks(
            text in "[a-zA-Z0-9xX*.… \n，。、某些种个一二十百〇零×○□■█＊．１發展经济\u{301}\u{E000}\u{200B}]{0,40}",
            rules in 0usize..9,
        ) {
            let (normalize, masks) = rule_sets()[rules];
            one_walk_and_two_agree(normalize, masks, &text);
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
        let (mut out, mut codes) = (Vec::new(), Vec::new());
        let shingled = p.shingles_into(Folded::new("a b c", &mut codes), &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(shingled.hidden, 0);
    }
}
