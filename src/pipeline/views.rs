//! The view stage: documents seen with their origins, once each, for the
//! cluster analysis and the boilerplate report.
//!
//! Input: the clusters (members by item, sorted by id) and the boilerplate
//! shingles. Output: each cluster's [`CopyAnalysis`](crate::analysis::CopyAnalysis),
//! and each document's boilerplate findings. A clustered document's view is
//! built once and serves both; a document in no cluster gets a view only if
//! it may hold boilerplate. Clusters run in parallel, so the views held at
//! once are those of the clusters being analysed.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::analysis::{Analyzer, CanonicalPolicy, IdenticalText};
use crate::boilerplate::{
    document_boilerplate, BoilerplateConfig, BoilerplateListing, DocumentBoilerplate,
};
use crate::corpus::{DocId, Document};
use crate::pipeline::boilerplate::untouched;
use crate::pipeline::data::{Item, ParagraphPrints};
use crate::prehashed::HashedSet;
use crate::prepare::{DocumentView, Preparer};
use crate::progress::Progress;
use crate::report::Cluster;

/// What the view stage is asked for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ViewUses<'a> {
    /// The analysis of each cluster (`None`: not asked).
    pub(crate) analysis: Option<&'a Analyzer<'a>>,
    /// Each document's boilerplate findings (`None`: boilerplate is off).
    pub(crate) boilerplate: Option<&'a BoilerplateConfig>,
    /// How much of the boilerplate the report lists (resolved): a summary
    /// needs no sentences.
    pub(crate) listing: BoilerplateListing,
    /// The documents whose findings are wanted (`None`: every one that may
    /// hold boilerplate); for a summary, the others are not viewed at all
    /// unless the analysis views them.
    pub(crate) only: Option<&'a [bool]>,
    /// How many clusters, the first in report order, are analysed (when
    /// analysis is asked; `None`: every one); the others are viewed only
    /// for the findings of the documents wanted.
    pub(crate) analysed: Option<usize>,
    /// Clusters of more distinct texts than this are not analysed (`None`:
    /// none is too large).
    pub(crate) largest: Option<usize>,
}

impl ViewUses<'_> {
    /// Of `n` clusters, how many (the first) are analysed and how many
    /// viewed: for their analysis, or for their findings when every
    /// document's are wanted.
    fn clusters_of(&self, n: usize) -> (usize, usize) {
        let analysed = match self.analysis {
            Some(_) => self.analysed.map_or(n, |bound| bound.min(n)),
            None => 0,
        };
        let viewed = match (self.boilerplate, self.only) {
            (Some(_), None) => n,
            _ => analysed,
        };
        (analysed, viewed)
    }
}

/// Fills in each cluster's analysis (if asked) and returns each document's
/// boilerplate findings (if asked; `None` for a document without any).
pub(crate) fn views(
    preparer: &Preparer,
    docs: &[Document],
    clusters: &mut [(Cluster, Vec<Item>)],
    boilerplate: &HashedSet,
    paragraphs: Option<&ParagraphPrints>,
    uses: ViewUses,
    progress: &dyn Progress,
) -> Vec<Option<DocumentBoilerplate>> {
    let shingle_len = preparer.shingler().shingle_len();
    let findings = |view: &DocumentView| {
        uses.boilerplate.map(|config| {
            let is_boilerplate = |h| boilerplate.contains(&h);
            document_boilerplate(view, shingle_len, is_boilerplate, (config, uses.listing))
        })
    };
    let wanted = |i: usize| uses.only.is_none_or(|only| only[i]);
    let (analysed, viewed) = uses.clusters_of(clusters.len());
    let clustered: Vec<Vec<(DocId, Option<DocumentBoilerplate>)>> = clusters[..viewed]
        .par_iter_mut()
        .enumerate()
        .map(|(k, (cluster, members))| {
            let policy = uses.analysis.map(|a| a.config.canonical);
            let texts = DistinctTexts::of(docs, members, policy);
            let analyser = uses
                .analysis
                .filter(|_| k < analysed && uses.largest.is_none_or(|l| texts.distinct.len() <= l));
            if analyser.is_none() && (uses.only.is_some() || uses.boilerplate.is_none()) {
                // Not analysed, and no findings wanted of every member: its
                // members are seen below, as any document, if the summary
                // wants them.
                progress.advance(1);
                return Vec::new();
            }
            let views: Vec<DocumentView> = texts
                .distinct
                .iter()
                .map(|&m| preparer.view(&docs[members[m].index()]))
                .collect();
            if let Some(analyzer) = analyser {
                let positions: Vec<usize> =
                    texts.distinct.iter().map(|&m| members[m].index()).collect();
                let mut analysis = analyzer.analyse(&views, &positions);
                analysis.identical = texts.identical(docs, members);
                cluster.analysis = Some(analysis);
            }
            progress.advance(1);
            let found: Vec<Option<DocumentBoilerplate>> = views.iter().map(findings).collect();
            texts.members_findings(docs, members, &found)
        })
        .collect();
    let mut found: Vec<Option<DocumentBoilerplate>> = (0..docs.len()).map(|_| None).collect();
    let mut in_cluster = vec![false; docs.len()];
    for (doc, f) in clustered.into_iter().flatten() {
        in_cluster[doc.index()] = true;
        found[doc.index()] = f.filter(|_| wanted(doc.index()));
    }
    // Without a boilerplate shingle, a document in no cluster has nothing
    // to report.
    if uses.boilerplate.is_some() && !boilerplate.is_empty() {
        found
            .par_iter_mut()
            .enumerate()
            .filter(|(i, _)| {
                !in_cluster[*i] && wanted(*i) && !untouched(paragraphs, boilerplate, DocId::new(*i))
            })
            .for_each(|(i, slot)| *slot = findings(&preparer.view(&docs[i])));
    }
    found
}

/// A cluster's members by text: each distinct text is viewed and analysed
/// once, through its first member.
struct DistinctTexts {
    /// The first member (local index) of each distinct text, in order.
    distinct: Vec<usize>,
    /// Each member's text, as an index into `distinct`.
    text_of: Vec<usize>,
}

impl DistinctTexts {
    /// Each member's findings from those of its text (`found`): a member
    /// with another's text has its sentences, at the same places, under
    /// its own id.
    fn members_findings(
        &self,
        docs: &[Document],
        members: &[Item],
        found: &[Option<DocumentBoilerplate>],
    ) -> Vec<(DocId, Option<DocumentBoilerplate>)> {
        members
            .iter()
            .zip(&self.text_of)
            .map(|(m, &t)| {
                let mut own = found[t].clone();
                for sentence in own.iter_mut().flat_map(|f| &mut f.sentences) {
                    sentence.document = docs[m.index()].id().to_string();
                }
                (DocId::new(m.index()), own)
            })
            .collect()
    }

    /// The distinct texts of `members` (sorted by id), each seen through
    /// its first member by id, or by input position when the canonical
    /// copy is the first in the input (`policy`).
    fn of(docs: &[Document], members: &[Item], policy: Option<CanonicalPolicy>) -> DistinctTexts {
        let mut first: HashMap<&str, usize> = HashMap::new();
        let mut distinct = Vec::new();
        let text_of = members
            .iter()
            .enumerate()
            .map(|(local, m)| {
                *first.entry(docs[m.index()].text()).or_insert_with(|| {
                    distinct.push(local);
                    distinct.len() - 1
                })
            })
            .collect();
        let mut texts = DistinctTexts { distinct, text_of };
        if policy == Some(CanonicalPolicy::First) {
            for (local, m) in members.iter().enumerate() {
                let shown = &mut texts.distinct[texts.text_of[local]];
                if m.index() < members[*shown].index() {
                    *shown = local;
                }
            }
        }
        texts
    }

    /// The members whose text an earlier member has (members sorted by id).
    fn identical(&self, docs: &[Document], members: &[Item]) -> Vec<IdenticalText> {
        let id = |local: usize| docs[members[local].index()].id().to_string();
        (0..members.len())
            .filter(|&local| self.distinct[self.text_of[local]] != local)
            .map(|local| IdenticalText {
                document: id(local),
                same_as: id(self.distinct[self.text_of[local]]),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Deduplicator;
    use crate::Config;

    #[test]
    fn a_cluster_is_analysed_and_only_what_is_asked_for_is_made() {
        let original = "2014年，福州市经济总量达到5000亿元，同比增长8.5%，位居全省前列。";
        let docs = [
            Document::new("a", original),
            Document::new(
                "b",
                "****年，**市经济总量达到****亿元，同比增长x.x%，位居全省前列。",
            ),
            Document::new("c", "今年以来，全市上下认真贯彻落实各项决策部署。"),
        ];
        let dedup = Deduplicator::new(Config::default().with_shingle_len(3)).unwrap();
        let cluster = Cluster {
            members: vec!["a".into(), "b".into()],
            representative: "a".into(),
            large: false,
            analysis: None,
        };
        let mut clusters = vec![(cluster, vec![Item::new(0), Item::new(1)])];
        let none = HashedSet::default();
        let analyzer = Analyzer {
            shingler: dedup.preparer.shingler(),
            config: dedup.config.analysis(),
            boilerplate: &none,
            boilerplate_coverage: 0.5,
        };
        let analysis_only = ViewUses {
            analysis: Some(&analyzer),
            boilerplate: None,
            only: None,
            analysed: None,
            largest: None,
            listing: BoilerplateListing::Full,
        };
        let found = views(
            &dedup.preparer,
            &docs,
            &mut clusters,
            &none,
            None,
            analysis_only,
            &(),
        );
        assert!(found.iter().all(Option::is_none));
        let analysis = clusters[0].0.analysis.as_ref().unwrap();
        assert_eq!(analysis.canonical, "a");
        assert_eq!(analysis.redactions[0].value, "2014");

        // Past the clusters analysed, none is.
        let mut unanalysed = clusters.clone();
        unanalysed[0].0.analysis = None;
        let bounded = ViewUses {
            analysed: Some(0),
            ..analysis_only
        };
        views(
            &dedup.preparer,
            &docs,
            &mut unanalysed,
            &none,
            None,
            bounded,
            &(),
        );
        assert!(unanalysed[0].0.analysis.is_none());

        // Boilerplate findings: for the cluster's members from their views,
        // and for a document in no cluster from a view of its own.
        let stock = "认真贯彻落实各项决策部署";
        let shingles: HashedSet = dedup
            .preparer
            .shingler()
            .char_set(stock)
            .into_iter()
            .collect();
        let config = *dedup.config.boilerplate();
        let boilerplate_only = ViewUses {
            analysis: None,
            boilerplate: Some(&config),
            only: None,
            analysed: None,
            largest: None,
            listing: BoilerplateListing::Full,
        };
        let found = views(
            &dedup.preparer,
            &docs,
            &mut clusters,
            &shingles,
            None,
            boilerplate_only,
            &(),
        );
        assert!(found.iter().all(Option::is_some));
        let c = found[2].as_ref().unwrap();
        assert_eq!(c.phrases, [stock]);
        assert_eq!(c.sentences.len(), 1);
        assert_eq!(c.sentences[0].text, docs[2].text());
        assert!(found[0].as_ref().unwrap().phrases.is_empty());

        // A summary's sample only: without the analysis no cluster is
        // viewed, and only the documents asked for are.
        let sample = [false, false, true];
        let summary = ViewUses {
            only: Some(&sample),
            ..boilerplate_only
        };
        let found = views(
            &dedup.preparer,
            &docs,
            &mut clusters,
            &shingles,
            None,
            summary,
            &(),
        );
        assert!(found[0].is_none() && found[1].is_none());
        assert_eq!(found[2].as_ref().unwrap().phrases, [stock]);
    }
}
