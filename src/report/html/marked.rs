//! Text with overlapping marks as well-formed HTML.
//!
//! Marks come in three layers that nest in one order (a copied span's link
//! outside, boilerplate grey inside it, a mask or a diff hunk innermost).
//! The text is cut wherever a mark starts or ends; each piece opens the
//! first mark of each layer that covers it and closes them again, so marks
//! that overlap however they like still give balanced tags. One sweep over
//! the cuts: a canonical copy with a thousand copies' spans costs a
//! thousand set operations, not a thousand passes over its text.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// Which layer a mark is drawn in, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Layer {
    /// A link to where the text came from.
    Link,
    /// Grey: boilerplate.
    Shade,
    /// A mask, or one difference of a diff.
    Inner,
}

impl Layer {
    const ALL: [Layer; 3] = [Layer::Link, Layer::Shade, Layer::Inner];

    fn index(self) -> usize {
        self as usize
    }
}

/// One marked stretch of text.
#[derive(Clone, Debug)]
pub(super) struct Mark {
    /// Characters of the text.
    pub range: [usize; 2],
    pub layer: Layer,
    /// The opening tag, attributes escaped.
    pub open: String,
    /// The closing tag.
    pub close: &'static str,
}

/// A text and where each of its characters starts, so that stretches are
/// cut at characters.
pub(super) struct MarkedText<'a> {
    text: &'a str,
    /// Byte offset of each character, and the text's length last.
    starts: Vec<usize>,
}

impl<'a> MarkedText<'a> {
    pub(super) fn new(text: &'a str) -> MarkedText<'a> {
        let mut starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        starts.push(text.len());
        MarkedText { text, starts }
    }

    /// Characters in the text.
    pub(super) fn char_len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The characters `range` (clamped to the text), as written.
    pub(super) fn slice(&self, range: [usize; 2]) -> &'a str {
        let [lo, hi] = self.clamp(range);
        &self.text[self.starts[lo]..self.starts[hi]]
    }

    fn clamp(&self, [start, end]: [usize; 2]) -> [usize; 2] {
        let n = self.char_len();
        [start.min(n), end.min(n).max(start.min(n))]
    }

    /// The characters `span` as HTML: escaped, with `marks` drawn and each
    /// of `inserts` (position, HTML) written before the character at its
    /// position. Marks are preferred in the order given where two of one
    /// layer cover the same character.
    pub(super) fn render(
        &self,
        span: [usize; 2],
        marks: &[Mark],
        inserts: &[(usize, String)],
    ) -> String {
        let [lo, hi] = self.clamp(span);
        let clamped: Vec<[usize; 2]> = marks
            .iter()
            .map(|m| self.clamp([m.range[0].max(lo), m.range[1].min(hi)]))
            .collect();
        let mut cuts: Vec<usize> = vec![lo, hi];
        cuts.extend(clamped.iter().filter(|r| r[0] < r[1]).flat_map(|r| *r));
        let mut by_start: Vec<usize> = (0..marks.len())
            .filter(|&i| clamped[i][0] < clamped[i][1])
            .collect();
        by_start.sort_by_key(|&i| (clamped[i][0], i));
        let mut sweep = Sweep {
            by_start,
            next: 0,
            ends: BinaryHeap::new(),
            active: Default::default(),
            layers: marks.iter().map(|m| m.layer).collect(),
        };
        let mut inserts: Vec<&(usize, String)> = inserts
            .iter()
            .filter(|(at, _)| (lo..=hi).contains(at))
            .collect();
        inserts.sort_by_key(|(at, _)| *at);
        cuts.extend(inserts.iter().map(|(at, _)| *at));
        cuts.sort_unstable();
        cuts.dedup();
        let mut inserts = inserts.into_iter().peekable();
        let mut out = String::new();
        for (k, &p) in cuts.iter().enumerate() {
            sweep.close_until(p);
            while let Some((_, html)) = inserts.next_if(|(at, _)| *at <= p) {
                out.push_str(html);
            }
            let Some(&q) = cuts.get(k + 1) else { break };
            sweep.open_from(p, &clamped);
            self.write_piece(&mut out, [p, q], marks, &sweep.active);
        }
        out
    }

    /// One piece of text inside the first active mark of each layer.
    fn write_piece(
        &self,
        out: &mut String,
        piece: [usize; 2],
        marks: &[Mark],
        active: &[BTreeSet<usize>; 3],
    ) {
        let open: Vec<&Mark> = Layer::ALL
            .iter()
            .filter_map(|l| active[l.index()].first().map(|&i| &marks[i]))
            .collect();
        for m in &open {
            out.push_str(&m.open);
        }
        escape_into(out, self.slice(piece));
        for m in open.iter().rev() {
            out.push_str(m.close);
        }
    }
}

/// The marks open at the current cut.
struct Sweep {
    /// Marks by start.
    by_start: Vec<usize>,
    /// The next of `by_start` to open.
    next: usize,
    /// Open marks by end.
    ends: BinaryHeap<Reverse<(usize, usize)>>,
    /// Open marks of each layer, by preference.
    active: [BTreeSet<usize>; 3],
    /// Each mark's layer.
    layers: Vec<Layer>,
}

impl Sweep {
    /// Closes the marks that end at or before `p`.
    fn close_until(&mut self, p: usize) {
        while let Some(&Reverse((end, i))) = self.ends.peek() {
            if end > p {
                break;
            }
            self.ends.pop();
            self.active[self.layers[i].index()].remove(&i);
        }
    }

    /// Opens the marks that start at or before `p`.
    fn open_from(&mut self, p: usize, clamped: &[[usize; 2]]) {
        while let Some(&i) = self.by_start.get(self.next) {
            if clamped[i][0] > p {
                break;
            }
            self.next += 1;
            self.ends.push(Reverse((clamped[i][1], i)));
            self.active[self.layers[i].index()].insert(i);
        }
    }
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for text and attribute
/// values alike.
pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// [`escape_into`] a new string.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(range: [usize; 2], layer: Layer, tag: &str) -> Mark {
        Mark {
            range,
            layer,
            open: format!("<{tag}>"),
            close: match tag {
                "a" => "</a>",
                "s" => "</s>",
                _ => "</i>",
            },
        }
    }

    #[test]
    fn overlapping_marks_give_balanced_tags() {
        let text = MarkedText::new("甲乙丙丁戊己");
        let marks = [
            mark([0, 4], Layer::Link, "a"),
            mark([2, 6], Layer::Inner, "i"),
        ];
        assert_eq!(
            text.render([0, 6], &marks, &[]),
            "<a>甲乙</a><a><i>丙丁</i></a><i>戊己</i>"
        );
    }

    #[test]
    fn the_first_mark_of_a_layer_wins_and_text_is_escaped() {
        let text = MarkedText::new("a<b&c");
        let marks = [
            mark([0, 5], Layer::Link, "a"),
            mark([1, 3], Layer::Link, "s"),
        ];
        assert_eq!(
            text.render([0, 5], &marks, &[]),
            "<a>a</a><a>&lt;b</a><a>&amp;c</a>"
        );
    }

    #[test]
    fn inserts_land_at_their_characters() {
        let text = MarkedText::new("年份****年");
        let hidden = mark([2, 6], Layer::Inner, "i");
        let inserts = [(2, "<span id=x></span>".to_string()), (7, "|".to_string())];
        assert_eq!(
            text.render([0, 7], &[hidden], &inserts),
            "年份<span id=x></span><i>****</i>年|"
        );
        // A span of the text: marks and inserts outside it are left out.
        assert_eq!(text.render([0, 2], &[], &inserts), "年份<span id=x></span>");
        assert_eq!(text.slice([1, 3]), "份*");
    }
}
