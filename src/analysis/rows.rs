//! The alignment rows of a cluster: every member's paragraphs beside the
//! canonical copy's, with their character diffs.

use crate::align::Hunk;
use crate::analysis::copies::{AlignedParagraph, AlignedRow, DiffHunk, Placement};
use crate::analysis::PairDiff;
use crate::corpus::Document;
use crate::prepare::DocumentView;

/// The alignment rows of a cluster (see [`AlignedRow`]).
pub(super) fn rows(
    views: &[DocumentView],
    canonical: usize,
    diffs: &[Option<PairDiff>],
) -> Vec<AlignedRow> {
    let c = &views[canonical];
    let mut rows: Vec<AlignedRow> = (0..c.paragraphs.len())
        .map(|j| AlignedRow {
            canonical_paragraph: Some(j),
            paragraphs: vec![AlignedParagraph {
                document: c.doc.id().to_string(),
                paragraph: j,
                range: range_of(c.doc, j),
                placement: Placement::Canonical,
                jaccard: 1.0,
                hunks: Vec::new(),
            }],
            missing: Vec::new(),
        })
        .collect();
    // inserted[k]: rows of inserted paragraphs that go after canonical
    // paragraph k - 1 (k = 0: before the first).
    let mut inserted: Vec<Vec<AlignedRow>> = vec![Vec::new(); c.paragraphs.len() + 1];
    for (m, diff) in views.iter().zip(diffs) {
        let Some(diff) = diff else { continue };
        let id = m.doc.id().to_string();
        for (pair, hunks) in diff.alignment.pairs.iter().zip(&diff.hunks) {
            rows[pair.a].paragraphs.push(AlignedParagraph {
                document: id.clone(),
                paragraph: pair.b,
                range: range_of(m.doc, pair.b),
                placement: if pair.moved {
                    Placement::Moved
                } else {
                    Placement::Aligned
                },
                jaccard: pair.jaccard,
                hunks: hunks
                    .iter()
                    .map(|h| diff_hunk(c, pair.a, m, pair.b, h))
                    .collect(),
            });
        }
        for &j in &diff.alignment.only_a {
            rows[j].missing.push(id.clone());
        }
        for &k in &diff.alignment.only_b {
            let after = diff
                .alignment
                .pairs
                .iter()
                .filter(|p| p.b < k && !p.moved)
                .map(|p| p.a + 1)
                .max()
                .unwrap_or(0);
            inserted[after].push(AlignedRow {
                canonical_paragraph: None,
                paragraphs: vec![AlignedParagraph {
                    document: id.clone(),
                    paragraph: k,
                    range: range_of(m.doc, k),
                    placement: Placement::Inserted,
                    jaccard: 0.0,
                    hunks: Vec::new(),
                }],
                missing: Vec::new(),
            });
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut inserted = inserted.into_iter();
    out.extend(inserted.next().unwrap_or_default());
    for (row, after) in rows.into_iter().zip(inserted) {
        out.push(row);
        out.extend(after);
    }
    out
}

pub(super) fn diff_hunk(
    a: &DocumentView,
    pa: usize,
    b: &DocumentView,
    pb: usize,
    h: &Hunk,
) -> DiffHunk {
    let (a_range, a_text) = a.span(pa, &h.a);
    let (b_range, b_text) = b.span(pb, &h.b);
    DiffHunk {
        kind: h.kind,
        a_range,
        a_text,
        b_range,
        b_text,
    }
}

pub(super) fn range_of(doc: &Document, paragraph: usize) -> [usize; 2] {
    let r = doc.paragraphs()[paragraph].chars();
    [r.start, r.end]
}
