//! Reconstruction: a redacted copy with its masks filled from the values
//! the other members of its cluster show, where they agree.

use std::collections::HashMap;

use crate::analysis::copies::Reconstruction;
use crate::prepare::DocumentView;
use crate::redact::MASK;

/// A value another member shows where this one has a mask.
pub(super) struct Fill {
    pub(super) paragraph: usize,
    pub(super) range: std::ops::Range<usize>,
    pub(super) value: String,
}

/// Fills each mask of `m` whose covering fills all agree (same range, same
/// value); counts the rest as conflicting or unknown.
pub(super) fn reconstruct(m: &DocumentView, fills: &[Fill]) -> Reconstruction {
    let mut chosen: HashMap<(usize, usize, usize), &str> = HashMap::new();
    let (mut filled, mut conflicting, mut unknown) = (0, 0, 0);
    for (j, p) in m.paragraphs.iter().enumerate() {
        for (i, _) in p.chars.iter().enumerate().filter(|&(_, &c)| c == MASK) {
            let covering: Vec<&Fill> = fills
                .iter()
                .filter(|f| f.paragraph == j && f.range.contains(&i))
                .collect();
            match covering.first() {
                None => unknown += 1,
                Some(first)
                    if covering
                        .iter()
                        .all(|f| f.range == first.range && f.value == first.value) =>
                {
                    filled += 1;
                    chosen.insert((j, first.range.start, first.range.end), &first.value);
                }
                Some(_) => conflicting += 1,
            }
        }
    }
    let mut replacements: Vec<(usize, usize, &str)> = chosen
        .into_iter()
        .map(|((j, start, end), value)| {
            let p = &m.paragraphs[j];
            (p.starts[start], p.ends[end - 1], value)
        })
        .collect();
    replacements.sort_unstable();
    let text = m.doc.text();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, value) in replacements {
        out.push_str(&text[at..start]);
        out.push_str(value);
        at = end;
    }
    out.push_str(&text[at..]);
    Reconstruction {
        document: m.doc.id().to_string(),
        text: out,
        filled,
        conflicting,
        unknown,
    }
}
