//! The report per document, as a data pipeline keeps it beside each row of
//! its corpus: the document's cluster, the copy kept, whether this one is
//! kept, how close it is to the others.
//!
//! One rule decides the copy kept, the *canonical* copy of each cluster:
//! where the cluster analysis ran, its `canonical`; otherwise
//! [`AnalysisConfig::canonical`](crate::analysis::AnalysisConfig::canonical)
//! applied to the report's document figures (masked places, then length in
//! characters, then id; or length, id, or input order). A document in no
//! cluster is kept.

use serde::{Deserialize, Serialize};

use crate::analysis::{CanonicalFacts, CanonicalPolicy, CopyKind};
use crate::error::{Error, Result};
use crate::report::{DocumentSummary, Report};

/// What the report says of one document.
///
/// # Examples
///
/// ```
/// use chachong::{Config, Deduplicator, Document};
///
/// let speech = "推进县域经济高质量发展，是新时代赋予我们的重大任务。2014年以来，我们坚持稳中求进工作总基调，\
///               加快建设现代化经济体系，全市地区生产总值年均增长百分之七点五，县域经济综合实力不断增强。";
/// let docs = [
///     Document::new("转载", speech.replace("2014", "****")),
///     Document::new("原文", speech),
///     Document::new("其他", "今年以来，全市上下认真贯彻落实各项决策部署，经济运行稳中有进、稳中向好。"),
/// ];
/// let report = Deduplicator::new(Config::default())?.run(&docs)?;
/// let notes = report.annotations(docs.iter().map(|d| d.id()))?;
/// // The redacted copy goes; the copy that hides nothing stays.
/// assert_eq!((notes[0].keep, notes[0].canonical_id.as_str()), (false, "原文"));
/// assert_eq!((notes[1].keep, notes[1].cluster_size), (true, 2));
/// assert_eq!(notes[0].cluster_id, notes[1].cluster_id);
/// assert!(notes[0].jaccard.unwrap() > 0.8);
/// assert_eq!(notes[0].copy_kind, Some(chachong::analysis::CopyKind::Redacted));
/// // A document in no cluster is kept, alone.
/// assert_eq!((notes[2].cluster_id, notes[2].keep, notes[2].cluster_size), (None, true, 1));
/// # Ok::<(), chachong::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// The document's cluster: its index in [`Report::clusters`]; `None`
    /// for a document in no cluster.
    pub cluster_id: Option<usize>,
    /// Members of the cluster (1 for a document in none).
    pub cluster_size: usize,
    /// The cluster's canonical copy, the one kept (the document itself
    /// when it is in no cluster).
    pub canonical_id: String,
    /// Whether the document is kept: it is its cluster's canonical copy, or
    /// in no cluster.
    pub keep: bool,
    /// The highest Jaccard similarity of the document with another member
    /// of its cluster among the report's pairs (1 for a copy of another
    /// member's text); `None` outside a cluster, or for a member joined to
    /// its cluster only through others.
    pub jaccard: Option<f64>,
    /// What kind of copy of the canonical one the document is, where the
    /// cluster analysis ran; `None` for the canonical copy itself.
    pub copy_kind: Option<CopyKind>,
}

impl Annotation {
    /// The columns an annotated corpus adds to each row, in order (`chachong
    /// dedup --annotate`, the Python package's `annotate`, the Spark job).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(chachong::Annotation::COLUMNS[0], "cluster_id");
    /// ```
    pub const COLUMNS: [&'static str; 6] = [
        "cluster_id",
        "cluster_size",
        "canonical_id",
        "keep",
        "jaccard",
        "copy_kind",
    ];

    /// The annotation of a document in no cluster: kept, its own canonical
    /// copy.
    ///
    /// # Examples
    ///
    /// ```
    /// let note = chachong::Annotation::alone("a");
    /// assert_eq!((note.cluster_id, note.cluster_size, note.keep), (None, 1, true));
    /// assert_eq!(note.canonical_id, "a");
    /// ```
    pub fn alone(id: &str) -> Annotation {
        Annotation {
            cluster_id: None,
            cluster_size: 1,
            canonical_id: id.to_string(),
            keep: true,
            jaccard: None,
            copy_kind: None,
        }
    }
}

impl Report {
    /// The annotation of each document of `ids`, in that order: the
    /// input's documents in the input's order, which
    /// [`CanonicalPolicy::First`] goes by (a document listed twice counts
    /// where it comes first).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an id the
    /// report does not hold.
    pub fn annotations<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<Annotation>> {
        let docs = &self.documents;
        let index = |id: &str| {
            docs.binary_search_by(|d| d.id.as_str().cmp(id))
                .map_err(|_| Error::unknown_id(id))
        };
        let asked: Vec<usize> = ids.into_iter().map(index).collect::<Result<_>>()?;
        let mut position = vec![usize::MAX; docs.len()];
        for (at, &d) in asked.iter().enumerate() {
            position[d] = position[d].min(at);
        }
        let mut cluster_of: Vec<Option<usize>> = vec![None; docs.len()];
        for (k, cluster) in self.clusters.iter().enumerate() {
            for member in &cluster.members {
                cluster_of[index(member)?] = Some(k);
            }
        }
        let best = self.best_jaccard(&cluster_of, index)?;
        let policy = self.config.analysis().canonical;
        let canonical: Vec<usize> = self
            .clusters
            .iter()
            .map(|c| match &c.analysis {
                Some(analysis) => index(&analysis.canonical),
                None => canonical_of(docs, &c.members, policy, |d| position[d], index),
            })
            .collect::<Result<_>>()?;
        let kinds = self.copy_kinds(index)?;
        Ok(asked
            .iter()
            .map(|&d| match cluster_of[d] {
                None => Annotation::alone(&docs[d].id),
                Some(k) => Annotation {
                    cluster_id: Some(k),
                    cluster_size: self.clusters[k].members.len(),
                    canonical_id: docs[canonical[k]].id.clone(),
                    keep: canonical[k] == d,
                    jaccard: best[d],
                    copy_kind: kinds[d],
                },
            })
            .collect())
    }

    /// Each document's best Jaccard with another member of its cluster,
    /// among the report's pairs.
    fn best_jaccard(
        &self,
        cluster_of: &[Option<usize>],
        index: impl Fn(&str) -> Result<usize>,
    ) -> Result<Vec<Option<f64>>> {
        let mut best: Vec<Option<f64>> = vec![None; cluster_of.len()];
        for pair in &self.pairs {
            let (a, b) = (index(&pair.a)?, index(&pair.b)?);
            if cluster_of[a].is_some() && cluster_of[a] == cluster_of[b] {
                for d in [a, b] {
                    best[d] = Some(best[d].map_or(pair.jaccard, |j: f64| j.max(pair.jaccard)));
                }
            }
        }
        Ok(best)
    }

    /// Each document's kind of copy, from the cluster analyses.
    fn copy_kinds(&self, index: impl Fn(&str) -> Result<usize>) -> Result<Vec<Option<CopyKind>>> {
        let mut kinds: Vec<Option<CopyKind>> = vec![None; self.documents.len()];
        for analysis in self.clusters.iter().filter_map(|c| c.analysis.as_ref()) {
            for copy in &analysis.copies {
                kinds[index(&copy.document)?] = copy.kind;
            }
            // A member with another's text is that member's kind of copy,
            // and a verbatim one of the canonical copy's.
            for same in &analysis.identical {
                kinds[index(&same.document)?] = if same.same_as == analysis.canonical {
                    Some(CopyKind::Verbatim)
                } else {
                    kinds[index(&same.same_as)?]
                };
            }
        }
        Ok(kinds)
    }
}

/// The canonical copy among `members` by `policy`, from the documents'
/// figures and `position` in the input.
fn canonical_of(
    docs: &[DocumentSummary],
    members: &[String],
    policy: CanonicalPolicy,
    position: impl Fn(usize) -> usize,
    index: impl Fn(&str) -> Result<usize>,
) -> Result<usize> {
    let members: Vec<usize> = members.iter().map(|m| index(m)).collect::<Result<_>>()?;
    let facts = |d: usize| CanonicalFacts {
        masks: docs[d].masks,
        length: docs[d].chars,
        position: position(d),
        id: &docs[d].id,
    };
    Ok(members
        .into_iter()
        .min_by(|&x, &y| policy.order(&facts(x), &facts(y)))
        .expect("a cluster has members"))
}
