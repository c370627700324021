//! The boilerplate stage: the shingles shared by unrelated groups of
//! documents, and the report of where they occur.
//!
//! Input: the first verification's pairs (which documents are related) and
//! each document's paragraph shingles: the fingerprint stage's paragraph
//! sets when paragraphs were fingerprinted with character shingles, else
//! shingled again, paragraph by paragraph, for this purpose. Output: the
//! boilerplate shingles ([`boilerplate_shingles`](crate::boilerplate::boilerplate_shingles)
//! over groups), which the second verification leaves out of the evidence;
//! and, from each document's view, its boilerplate sentences, phrases and
//! paragraphs, assembled into the report's [`Boilerplate`].

use std::collections::HashMap;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::boilerplate::{
    shingles_in_groups, Boilerplate, BoilerplateConfig, BoilerplatePhrase, DocumentBoilerplate,
};
use crate::cluster::connected_groups;
use crate::corpus::{DocId, Document};
use crate::pipeline::data::{Item, ParagraphPrints};
use crate::prehashed::HashedSet;
use crate::prepare::Preparer;

/// Groups of related documents: each document's group, named by the group's
/// first document (a document in no verified pair is a group of its own).
pub(crate) fn related_groups(
    n: usize,
    pairs: impl IntoIterator<Item = (Item, Item)>,
) -> Vec<usize> {
    let mut group_of: Vec<usize> = (0..n).collect();
    let pairs = pairs.into_iter().map(|(a, b)| (a.index(), b.index()));
    for group in connected_groups(n, pairs) {
        for &i in &group {
            group_of[i] = group[0];
        }
    }
    group_of
}

/// The documents whose ids hash lowest (`seed` mixed in), `n` of those
/// `eligible`, as a mask over all; `None` when no more than `n` are
/// eligible (then the sample is every one of them). By the ids alone, so
/// the input's order does not change it.
pub(crate) fn sample_by_id(
    docs: &[Document],
    eligible: impl Fn(usize) -> bool,
    n: usize,
    seed: u64,
) -> Option<Vec<bool>> {
    let mut keyed: Vec<(u64, &str, usize)> = (0..docs.len())
        .filter(|&i| eligible(i))
        .map(|i| {
            (
                xxh3_64_with_seed(docs[i].id().as_bytes(), seed),
                docs[i].id(),
                i,
            )
        })
        .collect();
    if keyed.len() <= n {
        return None;
    }
    keyed.select_nth_unstable(n);
    let mut chosen = vec![false; docs.len()];
    for &(_, _, i) in &keyed[..n] {
        chosen[i] = true;
    }
    Some(chosen)
}

/// The character shingles found in at least `config.min_groups` groups of
/// related documents, counted on each paragraph alone (so a short paragraph
/// such as 「同志们：」 is one shingle of its own), over the documents of
/// `sample` (every one when `None`).
pub(crate) fn boilerplate_set(
    config: &BoilerplateConfig,
    preparer: &Preparer,
    (docs, sample): (&[Document], Option<&[bool]>),
    group_of: &[usize],
    paragraphs: Option<&ParagraphPrints>,
    originals: &[Item],
) -> HashedSet {
    // A copy is in its original's group and holds nothing it does not.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); docs.len()];
    for (i, &g) in group_of.iter().enumerate() {
        if originals[i].index() == i && sample.is_none_or(|s| s[i]) {
            members[g].push(i);
        }
    }
    let mut all: Vec<u64> = members
        .par_iter()
        .filter(|m| !m.is_empty())
        .flat_map_iter(|m| {
            let mut union = Vec::new();
            for &i in m {
                match paragraphs {
                    Some(p) => p
                        .sets_of(DocId::new(i))
                        .for_each(|s| union.extend_from_slice(s)),
                    None => preparer.paragraph_shingles_into(&docs[i], &mut union),
                }
            }
            union.sort_unstable();
            union.dedup();
            union
        })
        .collect();
    all.par_sort_unstable();
    shingles_in_groups(&all, config.min_groups)
        .into_iter()
        .collect()
}

/// Whether no paragraph of document `doc` holds a boilerplate shingle, as
/// far as the fingerprint stage's paragraph sets tell (`false` without
/// them): such a document has nothing to report.
pub(crate) fn untouched(
    paragraphs: Option<&ParagraphPrints>,
    shingles: &HashedSet,
    doc: DocId,
) -> bool {
    paragraphs.is_some_and(|p| {
        p.sets_of(doc)
            .all(|set| !set.iter().any(|h| shingles.contains(h)))
    })
}

/// The report's boilerplate from each document's findings (`None` for a
/// document with none), and for each document which of its paragraphs are
/// boilerplate (empty where it has none).
pub(crate) fn assemble(
    found: Vec<Option<DocumentBoilerplate>>,
    group_of: &[usize],
    shingles: usize,
) -> (Boilerplate, Vec<Vec<bool>>) {
    let mut counts: HashMap<&str, (usize, Vec<usize>)> = HashMap::new();
    for (i, f) in found.iter().enumerate() {
        for phrase in f.iter().flat_map(|f| &f.phrases) {
            let entry = counts.entry(phrase.as_str()).or_default();
            entry.0 += 1;
            entry.1.push(group_of[i]);
        }
    }
    let mut phrases: Vec<BoilerplatePhrase> = counts
        .into_iter()
        .map(|(text, (documents, mut groups))| {
            groups.sort_unstable();
            groups.dedup();
            BoilerplatePhrase {
                text: text.to_string(),
                documents,
                groups: groups.len(),
            }
        })
        .collect();
    phrases.sort_by(|x, y| (y.groups, y.documents, &x.text).cmp(&(x.groups, x.documents, &y.text)));
    let mut sentences = Vec::new();
    let mut flags = Vec::with_capacity(found.len());
    for f in found {
        let f = f.unwrap_or_default();
        sentences.extend(f.sentences);
        flags.push(f.paragraphs);
    }
    sentences.sort_by(|x, y| (&x.document, x.range).cmp(&(&y.document, y.range)));
    let boilerplate = Boilerplate {
        phrases,
        sentences,
        shingles,
        summary_of: None,
        learned_from: None,
    };
    (boilerplate, flags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::BoilerplateSentence;

    fn pair(a: usize, b: usize) -> (Item, Item) {
        (Item::new(a), Item::new(b))
    }

    #[test]
    fn related_documents_share_a_group() {
        assert_eq!(related_groups(5, [pair(1, 3), pair(3, 4)]), [0, 1, 2, 1, 1]);
    }

    #[test]
    fn phrases_count_documents_and_groups() {
        let found = |phrases: &[&str]| {
            Some(DocumentBoilerplate {
                sentences: Vec::new(),
                phrases: phrases.iter().map(|p| p.to_string()).collect(),
                paragraphs: vec![false],
            })
        };
        // Documents 0 and 1 are one group.
        let (b, flags) = assemble(
            vec![
                found(&["同志们"]),
                found(&["同志们", "推荐访问"]),
                None,
                found(&["同志们"]),
            ],
            &[0, 0, 2, 3],
            7,
        );
        let phrases: Vec<(&str, usize, usize)> = b
            .phrases
            .iter()
            .map(|p| (p.text.as_str(), p.documents, p.groups))
            .collect();
        assert_eq!(phrases, [("同志们", 3, 2), ("推荐访问", 1, 1)]);
        assert_eq!(b.shingles, 7);
        assert_eq!(flags, [vec![false], vec![false], vec![], vec![false]]);
    }

    #[test]
    fn sentences_are_sorted_by_document_and_place() {
        let sentence = |document: &str, start: usize| BoilerplateSentence {
            document: document.to_string(),
            paragraph: 0,
            range: [start, start + 1],
            text: String::new(),
            coverage: 1.0,
        };
        let found = vec![
            Some(DocumentBoilerplate {
                sentences: vec![sentence("b", 5), sentence("b", 1)],
                ..DocumentBoilerplate::default()
            }),
            Some(DocumentBoilerplate {
                sentences: vec![sentence("a", 9)],
                ..DocumentBoilerplate::default()
            }),
        ];
        let (b, _) = assemble(found, &[0, 1], 0);
        let order: Vec<(&str, usize)> = b
            .sentences
            .iter()
            .map(|s| (s.document.as_str(), s.range[0]))
            .collect();
        assert_eq!(order, [("a", 9), ("b", 1), ("b", 5)]);
    }
}
