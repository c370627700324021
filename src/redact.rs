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
//! a mask (see [`Shingler::masked_char_sequence_into`](crate::Shingler::masked_char_sequence_into)),
//! so a redacted copy is not penalised for what it hid.
//!
//! The mask characters, each a [`MaskRules`] switch:
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

/// The symbol a run of mask characters folds to (a private-use character,
/// so it never means anything else in real text).
pub const MASK: char = '\u{E000}';

/// The symbol a run of digits folds to when [`MaskRules::fold_digits`] is on.
pub const NUMBER: char = '\u{E001}';

/// Which characters count as masks, and whether digits fold too.
///
/// # Examples
///
/// ```
/// use chachong::MaskRules;
///
/// let rules = MaskRules::default();
/// assert!(rules.fold_masks && rules.latin_x && rules.mou && rules.ellipsis);
/// assert!(!rules.fold_digits);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MaskRules {
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

impl Default for MaskRules {
    fn default() -> MaskRules {
        MaskRules {
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
/// use chachong::{MaskFolder, Normalized, Normalizer, MASK};
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
#[derive(Clone, Copy, Debug, Default)]
pub struct MaskFolder {
    rules: MaskRules,
}

impl MaskFolder {
    /// A folder with the given rules.
    pub fn new(rules: MaskRules) -> MaskFolder {
        MaskFolder { rules }
    }

    /// The rules in use.
    pub fn rules(&self) -> &MaskRules {
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
        let first_char = if range.end == input.text().len() {
            input.char_len() - text.chars().count()
        } else {
            input.text()[..range.start].chars().count()
        };
        let nothing_to_fold = !self.rules.fold_digits
            && (!self.rules.fold_masks || !text.contains(|c: char| is_mask_candidate(c)));
        if nothing_to_fold {
            let chars = first_char..first_char + text.chars().count();
            out.extend_from(input, chars, range);
            return start..out.text().len();
        }
        let chars: Vec<char> = text.chars().collect();
        let origin = |i: usize| input.origin(first_char + i);
        let starts_run = |c: char| {
            (self.rules.fold_masks && is_mask_candidate(c))
                || (self.rules.fold_digits && is_numeral(c))
        };
        let byte_len = |chars: &[char]| chars.iter().map(|c| c.len_utf8()).sum::<usize>();
        // `i` in characters and `byte` in bytes of `text`, kept in step.
        let mut i = 0;
        let mut byte = 0;
        while i < chars.len() {
            let mask_len = if self.rules.fold_masks {
                self.mask_run(&chars, i)
            } else {
                0
            };
            if mask_len > 0 {
                out.push_char(MASK, origin(i));
                if let Some((original, runs)) = runs.as_mut() {
                    let last = origin(i + mask_len - 1);
                    let last_len = original
                        .get(last..)
                        .and_then(|rest| rest.chars().next())
                        .map_or(0, char::len_utf8);
                    runs.push(origin(i)..last + last_len);
                }
                byte += byte_len(&chars[i..i + mask_len]);
                i += mask_len;
                continue;
            }
            let digit_len = if self.rules.fold_digits {
                digit_run(&chars, i)
            } else {
                0
            };
            if digit_len > 0 {
                out.push_char(NUMBER, origin(i));
                byte += byte_len(&chars[i..i + digit_len]);
                i += digit_len;
                continue;
            }
            // Copy up to the next character that could start a run, text
            // and origins at once: most characters are plain text.
            let end = chars[i + 1..]
                .iter()
                .position(|&c| starts_run(c))
                .map_or(chars.len(), |at| i + 1 + at);
            let end_byte = byte + byte_len(&chars[i..end]);
            out.extend_from(
                input,
                first_char + i..first_char + end,
                range.start + byte..range.start + end_byte,
            );
            (i, byte) = (end, end_byte);
        }
        start..out.text().len()
    }

    /// Length in characters of the mask run starting at `at` (0 if none).
    fn mask_run(&self, chars: &[char], at: usize) -> usize {
        let mut end = at;
        while end < chars.len() {
            let step = self.mask_step(chars, end);
            if step == 0 {
                break;
            }
            end += step;
        }
        end - at
    }

    /// How many characters at `at` are one mask unit (0 if not a mask).
    fn mask_step(&self, chars: &[char], at: usize) -> usize {
        let c = chars[at];
        let before = at.checked_sub(1).map(|i| chars[i]);
        match c {
            '*' | '○' | '□' | '■' | '█' | MASK => 1,
            '×' => {
                let after = chars.get(at + 1).copied();
                let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
                usize::from(!(digit(before) && digit(after)))
            }
            'x' | 'X' if self.rules.latin_x => {
                let run = chars[at..]
                    .iter()
                    .take_while(|c| matches!(c, 'x' | 'X'))
                    .count();
                let letter = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphabetic());
                // The whole x-run decides, so `xxx` inside `xxxl` is not a mask.
                let run_start = chars[..at]
                    .iter()
                    .rev()
                    .take_while(|c| matches!(c, 'x' | 'X'))
                    .count();
                let first = at - run_start;
                if letter(first.checked_sub(1).map(|i| &chars[i])) || letter(chars.get(at + run)) {
                    0
                } else {
                    run
                }
            }
            '某' if self.rules.mou => {
                let word = matches!(
                    chars.get(at + 1),
                    Some('些' | '种' | '个' | '项' | '一' | '类')
                );
                usize::from(!word)
            }
            '…' if self.rules.ellipsis => 1,
            '.' if self.rules.ellipsis => {
                let run = chars[at..].iter().take_while(|&&c| c == '.').count();
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

/// Whether `c` can start or be part of a mask run under some rule.
fn is_mask_candidate(c: char) -> bool {
    matches!(
        c,
        '*' | '○' | '□' | '■' | '█' | MASK | '×' | 'x' | 'X' | '某' | '…' | '.'
    )
}

/// Length in characters of the digit run starting at `at` (0 if none).
fn digit_run(chars: &[char], at: usize) -> usize {
    let arabic = |c: char| is_numeral(c) && !is_chinese_numeral(c);
    if arabic(chars[at]) {
        return chars[at..].iter().take_while(|&&c| arabic(c)).count();
    }
    let run = chars[at..]
        .iter()
        .take_while(|&&c| is_chinese_numeral(c))
        .count();
    let numeral = &chars[at..at + run];
    if run >= 3 || (run == 2 && numeral.iter().any(|&c| "〇零十百千万亿拾佰仟".contains(c)))
    {
        run
    } else {
        0
    }
}

/// Whether `c` can be part of a digit run that folds to [`NUMBER`].
pub(crate) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || is_chinese_numeral(c)
}

fn is_chinese_numeral(c: char) -> bool {
    "〇零一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟".contains(c)
}

/// Whether `c` is a folded symbol ([`MASK`] or [`NUMBER`]).
pub fn is_folded_symbol(c: char) -> bool {
    c == MASK || c == NUMBER
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalizer;

    fn fold(rules: MaskRules, text: &str) -> (String, Vec<String>) {
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
        let (text, runs) = fold(MaskRules::default(), "在****年，**市");
        assert_eq!(text, "在■年,■市");
        assert_eq!(runs, ["****", "**"]);
    }

    #[test]
    fn full_width_star_run_keeps_its_original_bytes() {
        let (text, runs) = fold(MaskRules::default(), "＊＊年");
        assert_eq!(text, "■年");
        assert_eq!(runs, ["＊＊"]);
    }

    #[test]
    fn mixed_mask_characters_are_one_run() {
        let (text, runs) = fold(MaskRules::default(), "收入**x亿元");
        assert_eq!(text, "收入■亿元");
        assert_eq!(runs, ["**x"]);
    }

    #[test]
    fn x_inside_a_latin_word_is_not_a_mask() {
        assert_eq!(fold(MaskRules::default(), "Xbox与xx市").0, "xbox与■市");
        assert_eq!(fold(MaskRules::default(), "max").0, "max");
        assert_eq!(fold(MaskRules::default(), "位列前X").0, "位列前■");
    }

    #[test]
    fn times_between_digits_is_multiplication() {
        assert_eq!(fold(MaskRules::default(), "3×4").0, "3×4");
        assert_eq!(fold(MaskRules::default(), "×书记").0, "■书记");
    }

    #[test]
    fn mou_in_ordinary_words_is_kept() {
        assert_eq!(fold(MaskRules::default(), "某些单位").0, "某些单位");
        assert_eq!(fold(MaskRules::default(), "某某县").0, "■县");
    }

    #[test]
    fn ellipsis_is_a_mask() {
        let (text, runs) = fold(MaskRules::default(), "包括……等");
        assert_eq!(text, "包括■等");
        assert_eq!(runs, ["……"]);
        assert_eq!(fold(MaskRules::default(), "1.5").0, "1.5");
    }

    #[test]
    fn rules_switch_off() {
        let off = MaskRules {
            fold_masks: false,
            ..MaskRules::default()
        };
        assert_eq!(fold(off, "****年").0, "****年");
        let no_x = MaskRules {
            latin_x: false,
            ..MaskRules::default()
        };
        assert_eq!(fold(no_x, "前x").0, "前x");
    }

    #[test]
    fn digits_fold_when_asked() {
        let digits = MaskRules {
            fold_digits: true,
            ..MaskRules::default()
        };
        assert_eq!(fold(digits, "2014年94.7%").0, "#年#.#%");
        assert_eq!(fold(digits, "十四五统一三起来").0, "#统一三起来");
        assert_eq!(fold(MaskRules::default(), "2014年").0, "2014年");
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
