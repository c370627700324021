//! One cluster on the page: its members side by side, paragraph by
//! paragraph as the analysis aligned them, each member's differences from
//! the canonical copy marked by kind, then the reconstructions.

use std::fmt::Write as _;

use crate::align::HunkKind;
use crate::analysis::{AlignedParagraph, AlignedRow, CopyAnalysis, CopyKind, DiffHunk, Placement};
use crate::report::html::marked::{escape, Layer, Mark, MarkedText};
use crate::report::html::Page;
use crate::report::Cluster;

// `write!` into a `String` cannot fail; the results are ignored with `_`.

/// Copies shown side by side beside the canonical copy: more columns than
/// this are too narrow to read.
const MAX_COPY_COLUMNS: usize = 5;

/// The section of cluster `k` (counted from 0; shown from 1).
pub(super) fn write(page: &Page, out: &mut String, k: usize, cluster: &Cluster) {
    let n = k + 1;
    let kind = cluster.analysis.as_ref().map_or("", |a| a.kind.as_str());
    let _ = writeln!(
        out,
        "<section class=\"cluster\" id=\"c{n}\" data-kind=\"{kind}\">\n<h2>簇 Cluster {n}: {} documents{}</h2>",
        cluster.members.len(),
        if kind.is_empty() { String::new() } else { format!(", {kind}") }
    );
    let _ = write!(out, "<ul class=\"members\">");
    for m in &cluster.members {
        let _ = write!(
            out,
            "<li data-document=\"{}\">{}</li>",
            escape(m),
            page.link(m)
        );
    }
    let _ = writeln!(out, "</ul>");
    let Some(analysis) = &cluster.analysis else {
        let _ = writeln!(out, "<p>No analysis in this run.</p></section>");
        return;
    };
    write_copies(page, out, analysis);
    let columns = columns(analysis);
    let _ = write!(out, "<div class=\"side-by-side\"><table>\n<thead><tr>");
    for c in &columns {
        let role = if *c == analysis.canonical {
            "原本 canonical"
        } else {
            "copy"
        };
        let _ = write!(out, "<th>{}<br><small>{role}</small></th>", page.link(c));
    }
    let _ = writeln!(out, "</tr></thead>\n<tbody>");
    let shown = columns.len() - 1;
    if shown < analysis.copies.len() {
        let _ = writeln!(
            out,
            "<tr><td class=\"note\" colspan=\"{}\">The canonical copy and {shown} of the {} copies, \
             the most changed; every copy is listed above with its figures.</td></tr>",
            columns.len(),
            analysis.copies.len()
        );
    }
    // Each column's text cut into characters once, not once a cell.
    let texts: Vec<(&str, MarkedText)> = columns.iter().map(|&c| (c, page.text(c))).collect();
    for row in &analysis.alignments {
        write_row(out, row, &texts, &analysis.canonical);
    }
    let _ = writeln!(out, "</tbody></table></div>");
    write_reconstructions(page, out, analysis);
    let _ = writeln!(out, "</section>");
}

/// The members shown as columns: the canonical copy, then at most
/// [`MAX_COPY_COLUMNS`] copies, the most changed first chosen (edited, then
/// template, redacted, verbatim; by id within a kind) and shown by id.
/// Members identical to another are named, not shown again.
fn columns(analysis: &CopyAnalysis) -> Vec<&str> {
    let mut copies: Vec<(Option<CopyKind>, &str)> = analysis
        .copies
        .iter()
        .map(|c| (c.kind, c.document.as_str()))
        .collect();
    copies.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    copies.truncate(MAX_COPY_COLUMNS);
    copies.sort_by(|a, b| a.1.cmp(b.1));
    let mut columns = vec![analysis.canonical.as_str()];
    columns.extend(copies.into_iter().map(|(_, id)| id));
    columns
}

/// Each copy's kind and figures, and the identical members.
fn write_copies(page: &Page, out: &mut String, analysis: &CopyAnalysis) {
    let _ = writeln!(
        out,
        "<p>Canonical copy {}. Differences from it: <span class=\"hunk masked\">hidden</span> \
         (the value shown above), <span class=\"hunk unmasked\">shown where the canonical copy hid</span>, \
         <span class=\"hunk substituted\">substituted</span>, <span class=\"hunk edited\">edited</span>, \
         <span class=\"hunk cosmetic\">punctuation</span>.</p>\n<ul class=\"copies\">",
        page.link(&analysis.canonical)
    );
    for copy in &analysis.copies {
        let _ = writeln!(
            out,
            "<li data-document=\"{}\">{}: <b>{}</b>, redaction-aware Jaccard {:.3}; {}</li>",
            escape(&copy.document),
            page.link(&copy.document),
            copy.kind.map_or("", CopyKind::as_str),
            copy.redaction_aware_jaccard,
            escape(&copy.reason)
        );
    }
    for same in &analysis.identical {
        let _ = writeln!(
            out,
            "<li data-document=\"{}\">{}: identical to {}</li>",
            escape(&same.document),
            page.link(&same.document),
            page.link(&same.same_as)
        );
    }
    let _ = writeln!(out, "</ul>");
}

/// One aligned row: a cell per column, the paragraph with its differences,
/// or why there is none.
fn write_row(out: &mut String, row: &AlignedRow, columns: &[(&str, MarkedText)], canonical: &str) {
    let _ = write!(out, "<tr>");
    for (c, text) in columns {
        let c = *c;
        match row.paragraphs.iter().find(|p| p.document == c) {
            Some(p) => write_cell(out, (p, text), row, canonical),
            None if row.missing.iter().any(|m| m == c) => {
                let _ = write!(out, "<td class=\"missing\">（无此段 deleted）</td>");
            }
            None => {
                let _ = write!(out, "<td class=\"absent\"></td>");
            }
        }
    }
    let _ = writeln!(out, "</tr>");
}

/// One paragraph: a member's with its hunks against the canonical copy;
/// the canonical copy's with the places where it hid what a member shows.
fn write_cell(
    out: &mut String,
    (p, text): (&AlignedParagraph, &MarkedText),
    row: &AlignedRow,
    canonical: &str,
) {
    let (marks, deletions) = if p.document == canonical {
        (canonical_marks(row), Vec::new())
    } else {
        // A deletion has no characters on the member's side: what was
        // deleted is shown struck through where it was.
        let (deleted, changed): (Vec<&DiffHunk>, Vec<&DiffHunk>) =
            p.hunks.iter().partition(|h| h.b_range[0] == h.b_range[1]);
        let deletions = deleted
            .iter()
            .map(|h| {
                (
                    h.b_range[0],
                    format!("<del class=\"hunk edited\">{}</del>", escape(&h.a_text)),
                )
            })
            .collect();
        (changed.into_iter().map(hunk_mark).collect(), deletions)
    };
    let placement = match p.placement {
        Placement::Canonical => "canonical",
        Placement::Aligned => "aligned",
        Placement::Moved => "moved",
        Placement::Inserted => "inserted",
    };
    let _ = write!(
        out,
        "<td class=\"{placement}\" data-document=\"{}\" data-paragraph=\"{}\" title=\"¶{} {placement}, Jaccard {:.3}\">{}</td>",
        escape(&p.document),
        p.paragraph,
        p.paragraph,
        p.jaccard,
        text.render(p.range, &marks, &deletions)
    );
}

/// In the canonical copy's paragraph: each place it hid what a member shows.
fn canonical_marks(row: &AlignedRow) -> Vec<Mark> {
    let mut hidden: Vec<([usize; 2], &str)> = row
        .paragraphs
        .iter()
        .flat_map(|p| &p.hunks)
        .filter(|h| h.kind == HunkKind::MaskedInA)
        .map(|h| (h.a_range, h.b_text.as_str()))
        .collect();
    hidden.sort_unstable();
    hidden.dedup_by_key(|(range, _)| *range);
    hidden
        .into_iter()
        .map(|(range, value)| Mark {
            range,
            layer: Layer::Inner,
            open: format!(
                "<mark class=\"hunk masked\" data-values=\"{}\">",
                escape(value)
            ),
            close: "</mark>",
        })
        .collect()
}

/// One difference in a member's paragraph; a hidden value is shown beside
/// the mask by the page's style (from `data-values`).
fn hunk_mark(h: &DiffHunk) -> Mark {
    let class = match h.kind {
        HunkKind::MaskedInB => "masked",
        HunkKind::MaskedInA => "unmasked",
        HunkKind::Substituted => "substituted",
        HunkKind::Edited => "edited",
        HunkKind::Cosmetic => "cosmetic",
    };
    Mark {
        range: h.b_range,
        layer: Layer::Inner,
        open: format!(
            "<mark class=\"hunk {class}\" data-values=\"{}\" title=\"canonical: {}\">",
            escape(&h.a_text),
            escape(&h.a_text)
        ),
        close: "</mark>",
    }
}

/// Each redacted member with its masks filled where the others agree.
fn write_reconstructions(page: &Page, out: &mut String, analysis: &CopyAnalysis) {
    for r in &analysis.reconstructed {
        let _ = writeln!(
            out,
            "<details class=\"reconstruction\" data-document=\"{}\"><summary>Reconstructed {}: \
             {} masks filled, {} conflicting, {} unknown</summary><div class=\"text\">{}</div></details>",
            escape(&r.document),
            page.link(&r.document),
            r.filled,
            r.conflicting,
            r.unknown,
            escape(&r.text)
        );
    }
}
