//! The view stage: documents seen with their origins, once each, for the
//! cluster analysis and the boilerplate report.
//!
//! Input: the clusters (members by item, sorted by id) and the boilerplate
//! shingles. Output: each cluster's [`CopyAnalysis`](crate::analysis::CopyAnalysis),
//! and each document's boilerplate findings. A clustered document's view is
//! built once and serves both; a document in no cluster gets a view only if
//! it may hold boilerplate. Clusters run in parallel, so the views held at
//! once are those of the clusters being analysed.

use rayon::prelude::*;

use crate::analysis::Analyzer;
use crate::boilerplate::{document_boilerplate, BoilerplateConfig, DocumentBoilerplate};
use crate::corpus::{DocId, Document};
use crate::pipeline::boilerplate::untouched;
use crate::pipeline::data::{Item, ParagraphPrints};
use crate::prehashed::HashedSet;
use crate::prepare::{DocumentView, Preparer};
use crate::progress::Progress;
use crate::report::Cluster;

/// What the view stage is asked for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Asked<'a> {
    /// The analysis of each cluster (`None`: not asked).
    pub(crate) analysis: Option<&'a Analyzer<'a>>,
    /// Each document's boilerplate findings (`None`: boilerplate is off).
    pub(crate) boilerplate: Option<&'a BoilerplateConfig>,
}

/// Fills in each cluster's analysis (if asked) and returns each document's
/// boilerplate findings (if asked; `None` for a document without any).
pub(crate) fn views(
    preparer: &Preparer,
    docs: &[Document],
    clusters: &mut [(Cluster, Vec<Item>)],
    boilerplate: &HashedSet,
    paragraphs: Option<&ParagraphPrints>,
    asked: Asked,
    progress: &dyn Progress,
) -> Vec<Option<DocumentBoilerplate>> {
    let shingle_len = preparer.shingler().shingle_len();
    let findings = |view: &DocumentView| {
        asked.boilerplate.map(|config| {
            document_boilerplate(view, shingle_len, |h| boilerplate.contains(&h), config)
        })
    };
    let clustered: Vec<Vec<(DocId, Option<DocumentBoilerplate>)>> = clusters
        .par_iter_mut()
        .map(|(cluster, members)| {
            let views: Vec<DocumentView> = members
                .iter()
                .map(|m| preparer.view(&docs[m.index()]))
                .collect();
            if let Some(analyzer) = asked.analysis {
                cluster.analysis = Some(analyzer.analyse(&views));
            }
            progress.advance(1);
            members
                .iter()
                .zip(&views)
                .map(|(m, view)| (DocId::new(m.index()), findings(view)))
                .collect()
        })
        .collect();
    let mut found: Vec<Option<DocumentBoilerplate>> = (0..docs.len()).map(|_| None).collect();
    let mut in_cluster = vec![false; docs.len()];
    for (doc, f) in clustered.into_iter().flatten() {
        in_cluster[doc.index()] = true;
        found[doc.index()] = f;
    }
    if asked.boilerplate.is_some() {
        found
            .par_iter_mut()
            .enumerate()
            .filter(|(i, _)| !in_cluster[*i] && !untouched(paragraphs, boilerplate, DocId::new(*i)))
            .for_each(|(i, slot)| *slot = findings(&preparer.view(&docs[i])));
    }
    found
}
