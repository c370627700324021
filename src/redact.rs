//! Redaction masks: what a copy hid, folded to one symbol.
//!
//! Input: a [`Normalized`] text. Output: the same text with every run of
//! mask characters replaced by one [`MASK`] (and, if asked, every run of
//! digits by one [`NUMBER`]), each output character still knowing where in
//! the original it came from.
//!
//! Template sites publish official documents with the specifics hidden:
//! `2014年` becomes `****年` or `xxxx年`, `94.7%` becomes `**.x%`, `福州`
//! becomes `**`, a leader's name `***`, an omitted list `……`. One copy hides
//! with `*`, the next with `x`; folding every run to one symbol makes the two
//! copies agree, and the shingler then leaves out every shingle that touches
//! a mask (see [`Shingler::masked_char_sequence_into`](crate::shingle::Shingler::masked_char_sequence_into)),
//! so a redacted copy is not penalised for what it hid.
//!
//! The mask characters, each a [`MaskConfig`] switch:
//!
//! - `*` (and `＊`, which NFKC folds to it), `×`, `○`, `□`, `■`, `█`, and
//!   [`MASK`] itself: always (except `×` between two digits, which is a
//!   multiplication sign).
//! - `x` and `X`: a run of them that touches no other Latin letter, so the
//!   `x` of `**.x%` and of `前x名` is a mask and the `x` of `Xbox` is not.
//! - `某`: except where it starts an ordinary word (`某些`, `某种`, `某个`,
//!   `某项`, `某一`, `某类`).
//! - `…` and runs of three or more `.` (NFKC turns `……` into `......`):
//!   an omitted list.
//!
//! Digits are ASCII and full-width digits, and runs of Chinese numerals
//! (`〇零一二三四五六七八九十百千万亿` and the financial forms
//! `壹贰叁肆伍陆柒捌玖拾佰仟`) of three or more characters, or of two with a
//! place value (`十`, `百`, `〇`…), since a short run of `一`/`三` is more
//! often part of a word (`统一`, `三起来`, `一三`).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::normalize::Normalized;
use crate::utf8::utf8_len;

/// The symbol a run of mask characters folds to (a private-use character,
/// so it never means anything else in real text).
pub const MASK: char = '\u{E000}';

/// The symbol a run of digits folds to when [`MaskConfig::fold_digits`] is on.
pub const NUMBER: char = '\u{E001}';

/// Which characters count as masks, and whether digits fold too.
///
/// # Examples
///
/// ```
/// use chachong::redact::MaskConfig;
///
/// let rules = MaskConfig::default();
/// assert!(rules.fold_masks && rules.latin_x && rules.mou && rules.ellipsis);
/// assert!(!rules.fold_digits);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MaskConfig {
    /// Fold mask runs to [`MASK`] at all (default `true`). Off, masks are
    /// ordinary characters and shingles touching them count.
    pub fold_masks: bool,
    /// `x`/`X` outside Latin words are masks (default `true`).
    pub latin_x: bool,
    /// `某` outside ordinary words is a mask (default `true`).
    pub mou: bool,
    /// `…` and `...` are masks for an omitted list (default `true`).
    pub ellipsis: bool,
    /// Fold digit runs to [`NUMBER`] (default `false`): documents that differ
    /// only in their figures then look identical.
    pub fold_digits: bool,
}

impl Default for MaskConfig {
    fn default() -> MaskConfig {
        MaskConfig {
            fold_masks: true,
            latin_x: true,
            mou: true,
            ellipsis: true,
            fold_digits: false,
        }
    }
}

/// Folds mask runs (and optionally digit runs) of a normalised text.
///
/// # Examples
///
/// ```
/// use chachong::normalize::{Normalized, Normalizer};
/// use chachong::redact::{MASK, MaskFolder};
///
/// let folder = MaskFolder::default();
/// let original = "**市在****年达到**.x%，Xbox除外";
/// let normalized = Normalizer::default().normalize(original);
/// let mut folded = Normalized::default();
/// let mut runs = Vec::new();
/// folder.fold_into(&normalized, 0..normalized.text().len(), &mut folded, Some((original, &mut runs)));
///
/// let m = MASK;
/// assert_eq!(folded.text(), format!("{m}市在{m}年达到{m}.{m}%,xbox除外"));
/// // Each run remembers its bytes in the original.
/// assert_eq!(&original[runs[1].clone()], "****");
/// assert_eq!(&original[runs[3].clone()], "x");
/// ```
#[derive(Clone, Copy)]
pub struct MaskFolder {
    rules: MaskConfig,
    /// Which characters may start a run under these rules, by their UTF-8
    /// form: `starts[b]` is 0 if no such character begins with byte `b`;
    /// else, for a multi-byte character, bit `s & 63` is set for each second
    /// byte `s` that one may have (all bits for an ASCII one). The scan
    /// skips every other character without decoding it, which is most of a
    /// Chinese text.
    starts: [u64; 256],
}

impl Default for MaskFolder {
    fn default() -> MaskFolder {
        MaskFolder::new(MaskConfig::default())
    }
}

impl std::fmt::Debug for MaskFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaskFolder")
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

/// What [`MaskFolder::scan`] found at a byte range of its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    /// Text that stays as it is.
    Plain,
    /// A run of mask characters, folded to one [`MASK`].
    Mask,
    /// A run of digits, folded to one [`NUMBER`].
    Number,
}

impl MaskFolder {
    /// A folder with the given rules.
    pub fn new(rules: MaskConfig) -> MaskFolder {
        let mut starts = [0u64; 256];
        for c in starters(&rules) {
            let mut utf8 = [0; 4];
            let bytes = c.encode_utf8(&mut utf8).as_bytes();
            starts[usize::from(bytes[0])] |= match bytes.get(1) {
                Some(second) => 1 << (second & 63),
                None => u64::MAX,
            };
        }
        MaskFolder { rules, starts }
    }

    /// The characters a run may start with under these rules, for the
    /// normaliser to note the places of ([`fold_marked_into`](Self::fold_marked_into)).
    pub(crate) fn starters(&self) -> Vec<char> {
        starters(&self.rules)
    }

    /// The rules in use.
    pub fn rules(&self) -> &MaskConfig {
        &self.rules
    }

    /// Folds the part `range` (bytes of `input.text()`) into `out`, and
    /// returns the byte range of what was appended to `out.text()`.
    ///
    /// Each [`MASK`] (or [`NUMBER`]) keeps the origin of the first character
    /// of its run. If `runs` is given as the original text `input` was
    /// normalised from and a vector, the byte range in that text of every
    /// folded mask run is pushed to the vector, in order. (The original is
    /// needed for the end: NFKC turns one `…` into three `.` and one `＊`
    /// of three bytes into one `*`.)
    ///
    /// # Panics
    ///
    /// If `range` is not on character boundaries of `input.text()`.
    pub fn fold_into(
        &self,
        input: &Normalized,
        range: Range<usize>,
        out: &mut Normalized,
        mut runs: Option<(&str, &mut Vec<Range<usize>>)>,
    ) -> Range<usize> {
        let start = out.text().len();
        let text = &input.text()[range.clone()];
        // Appended parts sit at the end of `input`: count back from there
        // rather than through everything before them.
        let mut char_at = if range.end == input.text().len() {
            input.char_len() - text.chars().count()
        } else {
            input.text()[..range.start].chars().count()
        };
        self.scan(text, |piece, bytes| {
            let chars = text[bytes.clone()].chars().count();
            match piece {
                Piece::Plain => out.extend_from(
                    input,
                    char_at..char_at + chars,
                    range.start + bytes.start..range.start + bytes.end,
                ),
                Piece::Number => out.push_char(NUMBER, input.origin(char_at)),
                Piece::Mask => {
                    out.push_char(MASK, input.origin(char_at));
                    if let Some((original, runs)) = runs.as_mut() {
                        let last = input.origin(char_at + chars - 1);
                        let last_len = original
                            .get(last..)
                            .and_then(|rest| rest.chars().next())
                            .map_or(0, char::len_utf8);
                        runs.push(input.origin(char_at)..last + last_len);
                    }
                }
            }
            char_at += chars;
        });
        start..out.text().len()
    }

    /// Folds `text` and appends it to `out`, returning the byte range of
    /// what was appended: the text of [`fold_into`](Self::fold_into)
    /// without the origins, which is all a fingerprint needs.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::redact::{MASK, MaskFolder};
    ///
    /// let mut out = String::from("前文");
    /// let part = MaskFolder::default().fold_text_into("在****年,前x名", &mut out);
    /// assert_eq!(&out[part], format!("在{MASK}年,前{MASK}名"));
    /// ```
    pub fn fold_text_into(&self, text: &str, out: &mut String) -> Range<usize> {
        let start = out.len();
        self.scan(text, |piece, bytes| match piece {
            Piece::Plain => out.push_str(&text[bytes]),
            Piece::Mask => out.push(MASK),
            Piece::Number => out.push(NUMBER),
        });
        start..out.len()
    }

    /// The runs [`fold_text_into`](Self::fold_text_into) would fold in
    /// `text`, found by looking only at `marks`: the byte offsets in `text`,
    /// in order, of every character of [`starters`](Self::starters) it
    /// holds (what [`Normalizer::append_part`](crate::normalize::Normalizer::append_part)
    /// noted), the only places a run can start. Each run is pushed to
    /// `runs` as its byte range and the symbol it folds to.
    pub(crate) fn runs_at_marks(
        &self,
        text: &str,
        marks: impl IntoIterator<Item = usize>,
        runs: &mut Vec<(Range<usize>, char)>,
    ) {
        let mut plain = 0;
        for at in marks {
            // A mark inside a run just found is part of it.
            if at < plain {
                continue;
            }
            if let Some((piece, end)) = self.run_at(text, at) {
                let symbol = if piece == Piece::Number { NUMBER } else { MASK };
                runs.push((at..end, symbol));
                plain = end;
            }
        }
    }

    /// Cuts `text` into consecutive pieces, calling `f` with each piece's
    /// kind and byte range, in order; together they cover `text`.
    fn scan(&self, text: &str, mut f: impl FnMut(Piece, Range<usize>)) {
        let bytes = text.as_bytes();
        let mut plain = 0;
        let mut at = 0;
        while at < bytes.len() {
            let lead = bytes[at];
            // `at` is always at a character start: step a character at a
            // time, a third of the steps of a byte loop on Chinese text. A
            // multi-byte character has a second byte.
            let seconds = self.starts[usize::from(lead)];
            let may_start =
                seconds != 0 && (lead < 0x80 || seconds & (1 << (bytes[at + 1] & 63)) != 0);
            if !may_start {
                at += utf8_len(lead);
                continue;
            }
            match self.run_at(text, at) {
                Some((piece, end)) => {
                    if plain < at {
                        f(Piece::Plain, plain..at);
                    }
                    f(piece, at..end);
                    (plain, at) = (end, end);
                }
                None => at += utf8_len(lead),
            }
        }
        if plain < bytes.len() {
            f(Piece::Plain, plain..bytes.len());
        }
    }

    /// The run that starts at byte `at` of `text`, if one does, and where
    /// it ends. Masks are tried before digits.
    fn run_at(&self, text: &str, at: usize) -> Option<(Piece, usize)> {
        if self.rules.fold_masks {
            let end = self.mask_run(text, at);
            if end > at {
                return Some((Piece::Mask, end));
            }
        }
        if self.rules.fold_digits {
            let end = digit_run(text, at);
            if end > at {
                return Some((Piece::Number, end));
            }
        }
        None
    }

    /// Where the mask run starting at byte `at` ends (`at` if none).
    fn mask_run(&self, text: &str, at: usize) -> usize {
        let mut end = at;
        while end < text.len() {
            let step = self.mask_step(text, end);
            if step == 0 {
                break;
            }
            end += step;
        }
        end
    }

    /// How many bytes at `at` are one mask unit (0 if not a mask).
    fn mask_step(&self, text: &str, at: usize) -> usize {
        let bytes = text.as_bytes();
        let Some(c) = text[at..].chars().next() else {
            return 0;
        };
        let after = at + c.len_utf8();
        match c {
            '*' | '○' | '□' | '■' | '█' | MASK => c.len_utf8(),
            '×' => {
                let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
                let before = text[..at].chars().next_back();
                let multiplies = digit(before) && digit(text[after..].chars().next());
                if multiplies {
                    0
                } else {
                    c.len_utf8()
                }
            }
            'x' | 'X' if self.rules.latin_x => {
                let is_x = |b: &&u8| matches!(b, b'x' | b'X');
                let run = bytes[at..].iter().take_while(is_x).count();
                // The whole x-run decides, so `xxx` inside `xxxl` is not a
                // mask. The byte before a multi-byte character is a
                // continuation byte, never an ASCII letter.
                let first = at - bytes[..at].iter().rev().take_while(is_x).count();
                let letter = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphabetic);
                let before = first.checked_sub(1).and_then(|i| bytes.get(i));
                if letter(before) || letter(bytes.get(at + run)) {
                    0
                } else {
                    run
                }
            }
            '某' if self.rules.mou => {
                let word = matches!(
                    text[after..].chars().next(),
                    Some('些' | '种' | '个' | '项' | '一' | '类')
                );
                if word {
                    0
                } else {
                    c.len_utf8()
                }
            }
            '…' if self.rules.ellipsis => c.len_utf8(),
            '.' if self.rules.ellipsis => {
                let run = bytes[at..].iter().take_while(|&&b| b == b'.').count();
                if run >= 3 {
                    run
                } else {
                    0
                }
            }
            _ => 0,
        }
    }
}

/// The characters a run may start with under `rules`.
fn starters(rules: &MaskConfig) -> Vec<char> {
    let mut chars = Vec::new();
    if rules.fold_masks {
        chars.extend("*○□■█×".chars());
        chars.push(MASK);
        if rules.latin_x {
            chars.extend(['x', 'X']);
        }
        if rules.mou {
            chars.push('某');
        }
        if rules.ellipsis {
            chars.extend(['…', '.']);
        }
    }
    if rules.fold_digits {
        chars.extend(('0'..='9').chain('０'..='９'));
        chars.extend(CHINESE_NUMERALS.chars());
    }
    chars
}

/// Where the digit run starting at byte `at` of `text` ends (`at` if none).
fn digit_run(text: &str, at: usize) -> usize {
    let arabic = |c: &char| c.is_ascii_digit() || ('０'..='９').contains(c);
    let run_end = |is: &dyn Fn(&char) -> bool| {
        text[at..]
            .char_indices()
            .find(|(_, c)| !is(c))
            .map_or(text.len(), |(offset, _)| at + offset)
    };
    let end = run_end(&arabic);
    if end > at {
        return end;
    }
    let end = run_end(&|&c| is_chinese_numeral(c));
    let numeral = &text[at..end];
    let chars = numeral.chars().count();
    let place = numeral.contains(|c| "〇零十百千万亿拾佰仟".contains(c));
    if chars >= 3 || (chars == 2 && place) {
        end
    } else {
        at
    }
}

/// Whether `c` can be part of a digit run that folds to [`NUMBER`].
pub(crate) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || is_chinese_numeral(c)
}

/// The Chinese numerals of a digit run, in the common and the financial
/// forms.
const CHINESE_NUMERALS: &str = "〇零一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟";

fn is_chinese_numeral(c: char) -> bool {
    CHINESE_NUMERALS.contains(c)
}

/// Whether `c` is a folded symbol ([`MASK`] or [`NUMBER`]).
pub fn is_folded_symbol(c: char) -> bool {
    c == MASK || c == NUMBER
}

/// Letters, digits, ideographs and folded symbols carry content;
/// punctuation and spacing do not.
pub(crate) fn is_content(c: char) -> bool {
    // Ideographs, ASCII and the punctuation of Chinese text first: they are
    // most of the text, and the general test goes through Unicode tables
    // (a test checks the shortcuts against it for every character).
    match c as u32 {
        0x4E00..=0x9FFF => true,
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 => false,
        _ => c.is_alphanumeric() || is_folded_symbol(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalizer;

    #[test]
    fn content_shortcuts_agree_with_the_unicode_tables() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let general = c.is_alphanumeric() || is_folded_symbol(c);
            assert_eq!(is_content(c), general, "U+{:04X}", c as u32);
        }
    }

    fn fold(rules: MaskConfig, text: &str) -> (String, Vec<String>) {
        let normalized = Normalizer::default().normalize(text);
        let mut out = Normalized::default();
        let mut runs = Vec::new();
        MaskFolder::new(rules).fold_into(
            &normalized,
            0..normalized.text().len(),
            &mut out,
            Some((text, &mut runs)),
        );
        let shown = out.text().replace(MASK, "■").replace(NUMBER, "#");
        (
            shown,
            runs.into_iter().map(|r| text[r].to_string()).collect(),
        )
    }

    #[test]
    fn star_runs_fold_to_one_mask() {
        let (text, runs) = fold(MaskConfig::default(), "在****年，**市");
        assert_eq!(text, "在■年,■市");
        assert_eq!(runs, ["****", "**"]);
    }

    #[test]
    fn full_width_star_run_keeps_its_original_bytes() {
        let (text, runs) = fold(MaskConfig::default(), "＊＊年");
        assert_eq!(text, "■年");
        assert_eq!(runs, ["＊＊"]);
    }

    #[test]
    fn mixed_mask_characters_are_one_run() {
        let (text, runs) = fold(MaskConfig::default(), "收入**x亿元");
        assert_eq!(text, "收入■亿元");
        assert_eq!(runs, ["**x"]);
    }

    #[test]
    fn x_inside_a_latin_word_is_not_a_mask() {
        assert_eq!(fold(MaskConfig::default(), "Xbox与xx市").0, "xbox与■市");
        assert_eq!(fold(MaskConfig::default(), "max").0, "max");
        assert_eq!(fold(MaskConfig::default(), "位列前X").0, "位列前■");
    }

    #[test]
    fn times_between_digits_is_multiplication() {
        assert_eq!(fold(MaskConfig::default(), "3×4").0, "3×4");
        assert_eq!(fold(MaskConfig::default(), "×书记").0, "■书记");
    }

    #[test]
    fn mou_in_ordinary_words_is_kept() {
        assert_eq!(fold(MaskConfig::default(), "某些单位").0, "某些单位");
        assert_eq!(fold(MaskConfig::default(), "某某县").0, "■县");
    }

    #[test]
    fn ellipsis_is_a_mask() {
        let (text, runs) = fold(MaskConfig::default(), "包括……等");
        assert_eq!(text, "包括■等");
        assert_eq!(runs, ["……"]);
        assert_eq!(fold(MaskConfig::default(), "1.5").0, "1.5");
    }

    #[test]
    fn rules_switch_off() {
        let off = MaskConfig {
            fold_masks: false,
            ..MaskConfig::default()
        };
        assert_eq!(fold(off, "****年").0, "****年");
        let no_x = MaskConfig {
            latin_x: false,
            ..MaskConfig::default()
        };
        assert_eq!(fold(no_x, "前x").0, "前x");
    }

    #[test]
    fn digits_fold_when_asked() {
        let digits = MaskConfig {
            fold_digits: true,
            ..MaskConfig::default()
        };
        assert_eq!(fold(digits, "2014年94.7%").0, "#年#.#%");
        assert_eq!(fold(digits, "十四五统一三起来").0, "#统一三起来");
        assert_eq!(fold(MaskConfig::default(), "2014年").0, "2014年");
    }

    #[test]
    fn text_only_folding_is_the_same_text() {
        let texts = [
            "**市在****年达到**.x%，Xbox除外",
            "收入**x亿元，3×4，×书记，某某县某些单位",
            "包括……等，1.5，...，..，xxl，前X名，XX",
            "2014年94.7%，十四五统一三起来，二〇二一，１２３",
            "",
            "x",
            "某",
            "\u{E000}■□○█",
        ];
        let digits = MaskConfig {
            fold_digits: true,
            ..MaskConfig::default()
        };
        let off = MaskConfig {
            fold_masks: false,
            ..digits
        };
        let none = MaskConfig {
            latin_x: false,
            mou: false,
            ellipsis: false,
            ..MaskConfig::default()
        };
        for rules in [MaskConfig::default(), digits, off, none] {
            let folder = MaskFolder::new(rules);
            for text in texts {
                let normalized = Normalizer::default().normalize(text);
                let mut with_origins = Normalized::default();
                folder.fold_into(
                    &normalized,
                    0..normalized.text().len(),
                    &mut with_origins,
                    None,
                );
                let mut plain = String::new();
                folder.fold_text_into(normalized.text(), &mut plain);
                assert_eq!(with_origins.text(), plain, "{rules:?} {text:?}");
            }
        }
    }

    #[test]
    fn origins_survive_folding() {
        let normalized = Normalizer::default().normalize("ab**cd");
        let mut out = Normalized::default();
        MaskFolder::default().fold_into(&normalized, 2..6, &mut out, None);
        assert_eq!(out.text(), format!("{MASK}cd"));
        assert_eq!((out.origin(0), out.origin(1)), (2, 4));
    }
}
