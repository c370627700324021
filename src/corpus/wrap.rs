//! Hard-wrapped text: lines that a layout broke, joined back into
//! paragraphs.
//!
//! PDF extractions, e-mails and web dumps break lines every 30–200
//! characters, inside sentences, and a copied passage is wrapped
//! differently in the copy. Input: a text's non-blank lines. Output: which
//! line continues into the next.
//!
//! A text is *hard-wrapped* when at least half of the lines followed by
//! another line end inside a sentence (not after `。！？；：.!?;:`, with any
//! closing quote or bracket). Otherwise, as in the seed's speeches and most
//! Chinese documents, each line is a paragraph. In a hard-wrapped text a
//! line continues into the next unless a blank line or an indented line
//! comes next, or the line is short (under 70% of the text's wrap width,
//! the 90th percentile of its line lengths): a paragraph's last line, a
//! heading. A rebuilt paragraph longer than twice [`PART_CHARS`] (often the
//! whole text, when nothing but the wrap marks paragraphs) is cut at
//! sentence ends into parts of about that length, so that a copied passage
//! is compared with text of its own size.

use std::ops::Range;

use super::Paragraph;
use crate::sentence::is_sentence_end;

/// A rebuilt paragraph longer than twice this (in characters) is cut at
/// sentence ends into parts of at least this many characters.
pub(super) const PART_CHARS: usize = 300;

/// Pushes `p` to `out`, cut at sentence ends into parts of at least
/// [`PART_CHARS`] characters (the last part may be shorter, but not shorter
/// than half of it: it joins the one before).
pub(super) fn cut_at_sentences(text: &str, p: Paragraph, out: &mut Vec<Paragraph>) {
    if p.char_len() <= 2 * PART_CHARS {
        out.push(p);
        return;
    }
    let body = &text[p.bytes()];
    let first = out.len();
    let (mut start_byte, mut start_char) = (0, 0);
    // The sentence-final mark the text read so far ends with, closing
    // quotes and brackets after it aside.
    let mut last_end: Option<char> = None;
    let mut chars = body.char_indices().enumerate().peekable();
    while let Some((n, (at, c))) = chars.next() {
        if !is_closing(c) {
            last_end = (is_sentence_end(c) || c == '.').then_some(c);
        }
        let next = chars.peek().map(|&(_, (_, c))| c);
        let ends = match (last_end, next) {
            (None, _) => false,
            (Some(_), Some(next)) if is_closing(next) => false,
            // 「3.14」, 「e.g.」 and 「www.example.com」 go on.
            (Some('.'), next) => next.is_none_or(char::is_whitespace),
            (Some(_), _) => true,
        };
        let end_byte = at + c.len_utf8();
        if ends && n + 1 - start_char >= PART_CHARS && end_byte < body.len() {
            out.push(part(&p, body, start_byte..end_byte, start_char..n + 1));
            (start_byte, start_char) = (end_byte, n + 1);
        }
    }
    let total = p.char_len();
    let rest = part(&p, body, start_byte..body.len(), start_char..total);
    let cut = out.len() > first;
    match out.last_mut() {
        Some(last) if cut && (total - start_char) * 2 < PART_CHARS => {
            last.bytes[1] = rest.bytes[1];
            last.chars[1] = rest.chars[1];
        }
        _ => out.push(rest),
    }
}

/// The part of `p` at `bytes` and `chars` of its `body`, whitespace at
/// either end left out.
fn part(p: &Paragraph, body: &str, bytes: Range<usize>, chars: Range<usize>) -> Paragraph {
    let slice = &body[bytes.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let lead_chars = slice[..lead].chars().count();
    let trail_chars = slice[slice.len() - trail..].chars().count();
    let (b, c) = (p.bytes[0] as usize, p.chars[0] as usize);
    Paragraph {
        bytes: [
            (b + bytes.start + lead) as u32,
            (b + bytes.end - trail) as u32,
        ],
        chars: [
            (c + chars.start + lead_chars) as u32,
            (c + chars.end - trail_chars) as u32,
        ],
    }
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '"' | '\'' | '》')
}

/// What the rule needs to know of one non-blank line.
#[derive(Clone, Copy, Debug)]
pub(super) struct LineShape {
    /// Characters, trimmed.
    pub(super) chars: usize,
    /// Leading whitespace, in characters.
    pub(super) indent: usize,
    /// Whether a blank line comes before it.
    pub(super) after_blank: bool,
    /// Whether it ends a sentence.
    pub(super) ends_sentence: bool,
}

impl LineShape {
    /// The shape of `line` (not blank), with whether a blank line came
    /// before it.
    pub(super) fn of(line: &str, after_blank: bool) -> LineShape {
        let trimmed = line.trim();
        let leading = &line[..line.len() - line.trim_start().len()];
        LineShape {
            chars: trimmed.chars().count(),
            indent: leading.chars().count(),
            after_blank,
            ends_sentence: ends_sentence(trimmed),
        }
    }
}

/// Whether `line` ends after sentence-final punctuation (a colon too: a
/// line that ends with one introduces what follows), closing quotes and
/// brackets aside.
fn ends_sentence(line: &str) -> bool {
    line.trim_end_matches(is_closing)
        .chars()
        .next_back()
        .is_some_and(|c| is_sentence_end(c) || matches!(c, '.' | ':' | '：'))
}

/// For each line, whether it continues into the next one (the last never
/// does). All `false` unless the text is hard-wrapped.
pub(super) fn continues(lines: &[LineShape]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    if !is_hard_wrapped(lines) {
        return out;
    }
    let width = wrap_width(lines);
    let usual_indent = usual_indent(lines);
    for (i, pair) in lines.windows(2).enumerate() {
        let (line, next) = (pair[0], pair[1]);
        let full = line.chars * 10 >= width * 7;
        out[i] = full && !next.after_blank && next.indent <= usual_indent;
    }
    out
}

/// Whether at least half of the lines followed by another (no blank line
/// between) end inside a sentence, and there are at least two such lines.
fn is_hard_wrapped(lines: &[LineShape]) -> bool {
    let followed: Vec<&LineShape> = lines
        .windows(2)
        .filter(|pair| !pair[1].after_blank)
        .map(|pair| &pair[0])
        .collect();
    let inside = followed.iter().filter(|l| !l.ends_sentence).count();
    followed.len() >= 2 && inside * 2 >= followed.len()
}

/// The 90th percentile of the lines' lengths: the width the text was
/// wrapped at, robust to a few long lines.
fn wrap_width(lines: &[LineShape]) -> usize {
    let mut lengths: Vec<usize> = lines.iter().map(|l| l.chars).collect();
    lengths.sort_unstable();
    lengths[(lengths.len() - 1) * 9 / 10]
}

/// The indent most lines have (the median): a line indented more starts a
/// paragraph.
fn usual_indent(lines: &[LineShape]) -> usize {
    let mut indents: Vec<usize> = lines.iter().map(|l| l.indent).collect();
    indents.sort_unstable();
    indents[indents.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(text: &str) -> Vec<LineShape> {
        let mut blank = false;
        let mut out = Vec::new();
        for line in text.lines() {
            if line.trim().is_empty() {
                blank = true;
            } else {
                out.push(LineShape::of(line, blank));
                blank = false;
            }
        }
        out
    }

    #[test]
    fn lines_that_end_sentences_stay_paragraphs() {
        let text = "同志们：\n今天开会，讨论发展。\n一、总体要求\n要坚持稳中求进。\n";
        assert_eq!(continues(&shapes(text)), [false; 4]);
    }

    #[test]
    fn wrapped_lines_are_joined_until_a_short_line() {
        let text = "The committee met on Monday to discuss the\nbudget for the coming year and the plans\nfor the new building.\nNext year we will meet again in spring and\nagree on the plan.\n";
        assert_eq!(continues(&shapes(text)), [true, true, false, true, false]);
    }

    #[test]
    fn blank_lines_and_indents_end_paragraphs() {
        let text = "我们要自觉扛牢推进县域经济高质量发展的时代\n重任，坚持稳中求进工作总基调，全面深化改革\n\n开放，加快建设现代化经济体系，不断增强县域\n　　经济综合实力和竞争力，推动高质量发展取得\n新的成效，为全市发展作出新的更大的贡献啊啊\n";
        assert_eq!(continues(&shapes(text)), [true, false, false, true, false]);
    }

    #[test]
    fn long_rebuilt_paragraphs_are_cut_at_sentence_ends() {
        // A closing quote inside a sentence ends nothing.
        let sentence = "这是一个用来“测试”的句子，它的长度大约是二十五个字。";
        let text = sentence.repeat(40);
        let whole = Paragraph {
            bytes: [0, text.len() as u32],
            chars: [0, text.chars().count() as u32],
        };
        let mut parts = Vec::new();
        cut_at_sentences(&text, whole.clone(), &mut parts);
        assert!(parts.len() >= 2, "{}", parts.len());
        // The parts cover the text in order, each ends a sentence, and
        // none is shorter than a part (the last joins the one before).
        assert_eq!(parts[0].chars().start, 0);
        assert_eq!(parts.last().unwrap().chars().end, whole.char_len());
        for pair in parts.windows(2) {
            assert_eq!(pair[0].chars().end, pair[1].chars().start);
        }
        for p in &parts {
            assert!(text[p.bytes()].ends_with('。'));
            assert!(p.char_len() >= PART_CHARS, "{}", p.char_len());
        }
    }

    #[test]
    fn closing_quotes_do_not_hide_a_sentence_end() {
        assert!(ends_sentence("他说：“好。”"));
        assert!(ends_sentence("(see above.)"));
        assert!(!ends_sentence("the budget for the"));
    }
}
