//! The report as one self-contained HTML page: [`Report::to_html`].
//!
//! For people who read a 查重 report rather than parse one: an overview of
//! every document with its 重复率 ([`Report::coverage`]), sortable; each
//! cluster's members side by side with their character diff and
//! reconstructions; each document's text with the copied spans in red,
//! linked to where they came from, its masks with the values other copies
//! show, its boilerplate greyed. Styles and the sorting script are inline,
//! nothing is fetched: the file can be mailed or archived as it is. Like
//! [`Report::to_text`] it only shows what the report holds, and nothing
//! that varies between equal runs (no timings), so the same input gives
//! the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::analysis::{CopyKind, Redaction};
use crate::boilerplate::BoilerplateSentence;
use crate::corpus::Document;
use crate::report::coverage::{CopiedSpan, Coverage, Evidence};
use crate::report::Report;

mod cluster;
mod marked;

use self::marked::{escape, Layer, Mark, MarkedText};

const STYLE: &str = include_str!("html/page.css");
const SCRIPT: &str = include_str!("html/page.js");

// `write!` into a `String` cannot fail; the results are ignored with `_`.

impl Report {
    /// The report as one HTML page (UTF-8, styles and script inline). `docs`
    /// must be the documents the report was made from: their text is shown.
    /// The boilerplate shown grey is what the report lists (at the document
    /// level alone only a summary unless
    /// [`BoilerplateListing::Full`](crate::boilerplate::BoilerplateListing::Full)).
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Deduplicator, Document};
    ///
    /// let body = "推进县域经济高质量发展，是新时代赋予我们的重大任务。\n\
    ///             我们要坚持稳中求进，统筹发展和安全，持续优化营商环境。\n";
    /// let docs = [
    ///     Document::new("原文", format!("{body}2014年，福州市经济总量达到5000亿元。")),
    ///     Document::new("转载", format!("{body}****年，**市经济总量达到5000亿元。")),
    /// ];
    /// let report = Deduplicator::new(Config::default().with_shingle_len(3))?.run(&docs)?;
    /// let page = report.to_html(&docs);
    /// assert!(page.starts_with("<!DOCTYPE html>"));
    /// // The mask in 转载, with the value 原文 shows for it.
    /// assert!(page.contains(r#"<mark class="mask" data-values="2014""#));
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn to_html(&self, docs: &[Document]) -> String {
        let texts: HashMap<&str, &Document> = docs.iter().map(|d| (d.id(), d)).collect();
        let coverage = self.coverage(docs);
        let index: HashMap<&str, usize> = self
            .documents
            .iter()
            .enumerate()
            .map(|(k, d)| (d.id.as_str(), k))
            .collect();
        let mut anchors: HashMap<&str, BTreeSet<usize>> = HashMap::new();
        for s in coverage.iter().flat_map(|c| &c.spans) {
            anchors
                .entry(&s.source)
                .or_default()
                .insert(s.source_range[0]);
        }
        let mut redactions: HashMap<&str, Vec<&Redaction>> = HashMap::new();
        for a in self.clusters.iter().filter_map(|c| c.analysis.as_ref()) {
            for r in &a.redactions {
                redactions.entry(&r.document).or_default().push(r);
            }
        }
        let mut boilerplate: HashMap<&str, Vec<&BoilerplateSentence>> = HashMap::new();
        for s in &self.boilerplate.sentences {
            boilerplate.entry(&s.document).or_default().push(s);
        }
        let page = Page {
            report: self,
            texts,
            coverage: &coverage,
            index,
            anchors,
            redactions,
            boilerplate,
        };
        let mut out = String::new();
        page.write_head(&mut out);
        page.write_overview(&mut out);
        for (k, cluster) in self.clusters.iter().enumerate() {
            cluster::write(&page, &mut out, k, cluster);
        }
        let _ = writeln!(out, "<section id=\"documents\"><h2>文档 Documents</h2>");
        for (k, c) in coverage.iter().enumerate() {
            page.write_document(&mut out, k, c);
        }
        let _ = writeln!(
            out,
            "</section>\n<script>{SCRIPT}</script>\n</body>\n</html>"
        );
        out
    }
}

/// What every part of the page looks things up in.
pub(super) struct Page<'a> {
    report: &'a Report,
    texts: HashMap<&'a str, &'a Document>,
    coverage: &'a [Coverage],
    /// Position of each document in the report, which names its anchors.
    index: HashMap<&'a str, usize>,
    /// Characters of each document that another's span links to.
    anchors: HashMap<&'a str, BTreeSet<usize>>,
    /// Each document's masks for which another member shows a value.
    redactions: HashMap<&'a str, Vec<&'a Redaction>>,
    /// Each document's boilerplate sentences.
    boilerplate: HashMap<&'a str, Vec<&'a BoilerplateSentence>>,
}

impl<'a> Page<'a> {
    /// The anchor of document `id`'s section, or of character `at` in it.
    fn anchor(&self, id: &str, at: Option<usize>) -> String {
        let k = self.index.get(id).copied().unwrap_or(usize::MAX);
        match at {
            Some(at) => format!("d{k}-{at}"),
            None => format!("d{k}"),
        }
    }

    /// A link to document `id`'s section, its id escaped.
    fn link(&self, id: &str) -> String {
        format!("<a href=\"#{}\">{}</a>", self.anchor(id, None), escape(id))
    }

    /// The document's text, ready to be cut; an empty text for an id the
    /// caller gave no document for.
    fn text(&self, id: &str) -> MarkedText<'a> {
        MarkedText::new(self.texts.get(id).map_or("", |d| d.text()))
    }

    fn write_head(&self, out: &mut String) {
        let r = self.report;
        let _ = writeln!(
            out,
            "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"generator\" content=\"chachong {}\">\n<title>查重报告 · chachong</title>\n\
             <style>{STYLE}</style>\n</head>\n<body>",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "<header><h1>查重报告 <small>chachong near-duplicate report</small></h1>\n\
             <p class=\"summary\">{} documents, {} clusters of near-duplicates (Jaccard ≥ {}), \
             {} paragraph matches, {} passages. 重复率 = copied letters, digits and ideographs \
             ÷ all of them; boilerplate is not counted as copied.</p>",
            r.documents.len(),
            r.clusters.len(),
            r.config.jaccard_threshold(),
            r.paragraph_matches.len(),
            r.passages.len()
        );
        let _ = write!(out, "<nav><a href=\"#overview\">总览 Overview</a>");
        for k in 0..r.clusters.len() {
            let _ = write!(out, " · <a href=\"#c{}\">簇 Cluster {}</a>", k + 1, k + 1);
        }
        let _ = writeln!(
            out,
            " · <a href=\"#documents\">文档 Documents</a></nav></header>"
        );
    }

    /// The overview table: one row a document, sortable by any column.
    fn write_overview(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "<section id=\"overview\"><h2>总览 Overview</h2>\n<table class=\"sortable\" id=\"overview-table\">\n<thead><tr>\
             <th data-type=\"text\">文档 Document</th><th data-type=\"num\">字数 Characters</th>\
             <th data-type=\"num\">重复率</th><th data-type=\"num\">复制 Copied</th>\
             <th data-type=\"num\">套话 Boilerplate</th><th data-type=\"num\">簇 Cluster</th>\
             <th data-type=\"text\">类型 Kind</th><th data-type=\"text\">原本 Canonical</th>\
             <th data-type=\"text\">编码 Encoding</th></tr></thead>\n<tbody>"
        );
        let roles = self.roles();
        for (k, c) in self.coverage.iter().enumerate() {
            let encoding = self.report.documents[k]
                .encoding
                .as_deref()
                .unwrap_or("UTF-8");
            let (cluster, kind, canonical) =
                roles.get(c.document.as_str()).cloned().unwrap_or_default();
            let cluster_cell = match cluster {
                Some(k) => format!("<td data-v=\"{k}\"><a href=\"#c{k}\">{k}</a></td>"),
                None => "<td data-v=\"0\">–</td>".to_string(),
            };
            let _ = writeln!(
                out,
                "<tr data-document=\"{id}\"><td data-v=\"{id}\">{link}</td><td data-v=\"{chars}\">{chars}</td>\
                 <td class=\"rate\" data-v=\"{rate:.6}\">{percent}</td><td data-v=\"{copied}\">{copied}</td>\
                 <td data-v=\"{bp}\">{bp}</td>{cluster_cell}<td data-v=\"{kind}\">{kind}</td>\
                 <td data-v=\"{canonical}\">{canonical}</td><td data-v=\"{encoding}\">{encoding}</td></tr>",
                id = escape(&c.document),
                link = self.link(&c.document),
                chars = c.content_chars,
                rate = c.rate,
                percent = percent(c.rate),
                copied = c.copied_chars,
                bp = c.boilerplate_chars,
                kind = escape(&kind),
                canonical = escape(&canonical),
                encoding = escape(encoding),
            );
        }
        let _ = writeln!(out, "</tbody></table></section>");
    }

    /// Each clustered document's cluster (counted from 1), kind of copy and
    /// canonical copy.
    fn roles(&self) -> HashMap<&'a str, (Option<usize>, String, String)> {
        let mut roles = HashMap::new();
        for (k, cluster) in self.report.clusters.iter().enumerate() {
            let analysis = cluster.analysis.as_ref();
            let canonical = analysis.map_or("", |a| a.canonical.as_str());
            let mut kinds: HashMap<&str, String> = HashMap::new();
            if let Some(a) = analysis {
                kinds.insert(&a.canonical, "原本 canonical".to_string());
                for copy in &a.copies {
                    kinds.insert(
                        &copy.document,
                        copy.kind.map_or("", CopyKind::as_str).to_string(),
                    );
                }
                for same in &a.identical {
                    kinds.insert(&same.document, format!("identical to {}", same.same_as));
                }
            }
            for m in &cluster.members {
                let kind = kinds.get(m.as_str()).cloned().unwrap_or_default();
                roles.insert(m.as_str(), (Some(k + 1), kind, canonical.to_string()));
            }
        }
        roles
    }

    /// One document: its figures, the documents it shares text with, and
    /// its text with copied spans, masks and boilerplate marked.
    fn write_document(&self, out: &mut String, k: usize, c: &Coverage) {
        let id = c.document.as_str();
        let text = self.text(id);
        let encoding = self.report.documents[k]
            .encoding
            .as_deref()
            .map_or(String::new(), |e| format!(" Read from {}.", escape(e)));
        let _ = writeln!(
            out,
            "<section class=\"document\" id=\"d{k}\" data-document=\"{}\">\n<h3>{} \
             <span class=\"rate\">重复率 {}</span></h3>\n<p class=\"figures\">{} characters counted, \
             {} copied, {} in boilerplate.{encoding}</p>",
            escape(id),
            escape(id),
            percent(c.rate),
            c.content_chars,
            c.copied_chars,
            c.boilerplate_chars
        );
        self.write_sources(out, &c.spans);
        let mut marks = self.span_marks(&c.spans);
        marks.extend(self.boilerplate_marks(id));
        marks.extend(self.mask_marks(id));
        let inserts = self.anchors_in(id);
        let _ = writeln!(
            out,
            "<div class=\"text\">{}</div>\n</section>",
            text.render([0, text.char_len()], &marks, &inserts)
        );
    }

    /// The documents this one shares text with, and by which findings.
    fn write_sources(&self, out: &mut String, spans: &[CopiedSpan]) {
        if spans.is_empty() {
            return;
        }
        let mut sources: BTreeMap<&str, BTreeSet<Evidence>> = BTreeMap::new();
        for s in spans {
            sources.entry(&s.source).or_default().insert(s.evidence);
        }
        let _ = write!(out, "<p class=\"sources\">Shares text with");
        for (source, evidence) in sources {
            let how: Vec<&str> = evidence.iter().map(|e| evidence_label(*e)).collect();
            let _ = write!(out, " {} ({})", self.link(source), how.join(", "));
        }
        let _ = writeln!(out, "</p>");
    }

    /// Copied spans as links to their source, in the coverage's order.
    fn span_marks(&self, spans: &[CopiedSpan]) -> Vec<Mark> {
        spans
            .iter()
            .map(|s| Mark {
                range: s.range,
                layer: Layer::Link,
                open: format!(
                    "<a class=\"copied\" href=\"#{}\" title=\"{} [{}, {}) {}\">",
                    self.anchor(&s.source, Some(s.source_range[0])),
                    escape(&s.source),
                    s.source_range[0],
                    s.source_range[1],
                    evidence_label(s.evidence)
                ),
                close: "</a>",
            })
            .collect()
    }

    /// Boilerplate sentences the report lists for `id`, grey.
    fn boilerplate_marks(&self, id: &str) -> Vec<Mark> {
        let sentences = self.boilerplate.get(id).map_or(&[][..], Vec::as_slice);
        sentences
            .iter()
            .map(|s| Mark {
                range: s.range,
                layer: Layer::Shade,
                open: format!(
                    "<span class=\"boilerplate\" title=\"boilerplate, {:.0}% stock phrases\">",
                    100.0 * s.coverage
                ),
                close: "</span>",
            })
            .collect()
    }

    /// Each mask of `id` with the values other members show for it.
    fn mask_marks(&self, id: &str) -> Vec<Mark> {
        let mut masks: BTreeMap<[usize; 2], BTreeMap<&str, BTreeSet<&str>>> = BTreeMap::new();
        for r in self.redactions.get(id).map_or(&[][..], Vec::as_slice) {
            let values = masks.entry(r.range).or_default();
            values.entry(&r.value).or_default().insert(&r.other);
        }
        masks
            .into_iter()
            .map(|(range, values)| {
                let shown: Vec<&str> = values.keys().copied().collect();
                let from: Vec<String> = values
                    .iter()
                    .map(|(v, who)| {
                        format!(
                            "{v}: {}",
                            who.iter().copied().collect::<Vec<_>>().join(", ")
                        )
                    })
                    .collect();
                Mark {
                    range,
                    layer: Layer::Inner,
                    open: format!(
                        "<mark class=\"mask\" data-values=\"{}\" title=\"{}\">",
                        escape(&shown.join(" / ")),
                        escape(&from.join("; "))
                    ),
                    close: "</mark>",
                }
            })
            .collect()
    }

    /// Anchors at every character another document's span links to.
    fn anchors_in(&self, id: &str) -> Vec<(usize, String)> {
        let Some(at) = self.anchors.get(id) else {
            return Vec::new();
        };
        at.iter()
            .map(|&p| {
                (
                    p,
                    format!(
                        "<span class=\"anchor\" id=\"{}\"></span>",
                        self.anchor(id, Some(p))
                    ),
                )
            })
            .collect()
    }
}

/// A share as a percentage with one decimal.
fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

fn evidence_label(evidence: Evidence) -> &'static str {
    match evidence {
        Evidence::Identical => "identical text",
        Evidence::Aligned => "aligned paragraph",
        Evidence::Paragraph => "paragraph match",
        Evidence::Passage => "passage",
    }
}
