//! The keys a persistent index keeps of each document, so that a later
//! batch finds it without its text being fingerprinted again: its LSH band
//! keys at the document threshold and, when paragraphs are compared, its
//! paragraphs' band keys at the paragraph threshold and their anchors.
//!
//! They are the pipeline's own candidates' keys: two paragraphs the
//! paragraph stage would pair by LSH share a band key here (the same bands,
//! rows and seed), and two it would pair by an anchor share an anchor.
//!
//! The public half is the stage kernel of a run spread over many machines
//! ([`Deduplicator::stage_keys`], [`Deduplicator::shingle_set`]): each
//! partition's documents to band keys; documents sharing a key are
//! candidates; their sets, made the same way wherever they are made, are
//! what verification compares.

use rayon::prelude::*;

use crate::config::Method;
use crate::corpus::{DocId, Document};
use crate::error::{Error, Result};
use crate::lsh::LshParams;
use crate::pipeline::data::ParagraphPrints;
use crate::pipeline::fingerprint::{
    EarlySets, Keep, Paragraphs, Scratch, Shapes, DOCUMENTS_PER_JOB,
};
use crate::pipeline::Deduplicator;

/// What an index keeps of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DocumentKeys {
    /// One key per band at the document threshold; `None` for a document
    /// without shingles, which is nobody's near-duplicate.
    pub(crate) document: Option<Vec<u64>>,
    /// `(band, key)` of each paragraph that takes part in paragraph
    /// matching (at least `paragraph.min_chars`), sorted, each once.
    pub(crate) paragraphs: Vec<(u32, u64)>,
    /// The anchors of its paragraphs long enough for containment (at
    /// least `paragraph.containment_min_chars`), sorted, each once.
    pub(crate) anchors: Vec<u64>,
}

/// What a run spread over machines keeps of one document
/// ([`Deduplicator::stage_keys`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageKeys {
    /// Distinct shingles of the document (0: an empty text, nobody's
    /// near-duplicate).
    pub shingles: usize,
    /// Its LSH band key in each band at the document threshold, band 0
    /// first; empty when it has no shingles.
    pub band_keys: Vec<u64>,
}

impl Deduplicator {
    /// The LSH bands and rows at the document threshold (chosen from the
    /// threshold unless the config sets them).
    pub fn lsh(&self) -> LshParams {
        self.document_lsh
    }

    /// The band keys of each of `docs` at the document threshold, in
    /// order, as [`run`](Self::run) makes them: the stage kernel a
    /// distributed job maps over partitions (two documents sharing a key
    /// in the same band are candidates). Parallel over `docs`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig)
    /// unless the method is MinHash (the only one with band keys).
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Deduplicator, Document};
    ///
    /// let dedup = Deduplicator::new(Config::default())?;
    /// let text = "推进县域经济高质量发展，是新时代赋予我们的重大任务。";
    /// let keys = dedup.stage_keys(&[Document::new("a", text), Document::new("b", text), Document::new("c", "")])?;
    /// assert_eq!(keys[0].band_keys.len(), dedup.lsh().bands);
    /// assert_eq!(keys[0], keys[1]);
    /// assert_eq!((keys[2].shingles, keys[2].band_keys.len()), (0, 0));
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn stage_keys(&self, docs: &[Document]) -> Result<Vec<StageKeys>> {
        if self.config.method() != Method::MinHash {
            return Err(Error::invalid_config(
                "method",
                "band keys are MinHash's (method minhash)",
            ));
        }
        let prints = self.band_keys(docs);
        let documents = &prints.documents;
        let bands = self.document_lsh.bands;
        Ok((0..docs.len())
            .map(|k| {
                let original = documents.original[k].index();
                let shingles = documents.counts[original];
                let band_keys = if shingles == 0 {
                    Vec::new()
                } else {
                    documents.band_keys[original * bands..(original + 1) * bands].to_vec()
                };
                StageKeys {
                    shingles,
                    band_keys,
                }
            })
            .collect())
    }

    /// The MinHash signature of each of `docs`, in order, as
    /// [`run`](Self::run) sketches it (`num_perm` values each, one
    /// permutation or classic as the config says): the fingerprint pass
    /// from bytes to sketch, in parallel over `docs`. An empty text's is
    /// all `u32::MAX`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig)
    /// unless the method is MinHash.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{verify, Config, Deduplicator, Document};
    ///
    /// let dedup = Deduplicator::new(Config::default())?;
    /// let docs = [
    ///     Document::new("a", "全市地区生产总值增长百分之七点五，县域经济综合实力不断增强。"),
    ///     Document::new("b", "全市地区生产总值增长百分之七点五，县域经济综合实力显著增强。"),
    /// ];
    /// let signatures = dedup.signatures(&docs)?;
    /// assert_eq!(signatures[0].len(), 128);
    /// let estimate = verify::estimated_jaccard(&signatures[0], &signatures[1]);
    /// let exact = verify::jaccard(&dedup.shingle_set(&docs[0]), &dedup.shingle_set(&docs[1]));
    /// assert!((estimate - exact).abs() < 0.2, "{estimate} {exact}");
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn signatures(&self, docs: &[Document]) -> Result<Vec<Vec<u32>>> {
        if self.config.method() != Method::MinHash {
            return Err(Error::invalid_config(
                "method",
                "signatures are MinHash's (method minhash)",
            ));
        }
        let num_perm = self.config.num_perm();
        let fingerprinter = self.fingerprinter();
        Ok(docs
            .par_iter()
            .with_max_len(DOCUMENTS_PER_JOB)
            .map_init(Scratch::default, |scratch, doc| {
                let mut signature = vec![u32::MAX; num_perm];
                fingerprinter.signature_into(doc, scratch, &mut signature);
                signature
            })
            .collect())
    }

    /// The sorted, distinct shingle hashes of `doc` as [`run`](Self::run)
    /// verifies it (normalised, masks folded, shingled by the config): two
    /// documents' exact Jaccard similarity is
    /// [`verify::jaccard`](crate::verify::jaccard) of their sets.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{verify, Config, Deduplicator, Document};
    ///
    /// let dedup = Deduplicator::new(Config::default())?;
    /// let a = dedup.shingle_set(&Document::new("a", "全市地区生产总值增长百分之七点五，县域经济综合实力不断增强。"));
    /// let b = dedup.shingle_set(&Document::new("b", "全市地区生产总值增长百分之七点五，县域经济综合实力显著增强。"));
    /// assert!(a.windows(2).all(|w| w[0] < w[1]));
    /// let j = verify::jaccard(&a, &b);
    /// assert!(0.5 < j && j < 1.0, "{j}");
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn shingle_set(&self, doc: &Document) -> Vec<u64> {
        self.fingerprinter()
            .sorted_prints(doc, &mut Scratch::default())
            .set
    }

    /// The LSH bands at the paragraph threshold.
    pub(crate) fn paragraph_lsh(&self) -> LshParams {
        self.config
            .lsh_for(self.config.paragraph().jaccard_threshold)
    }

    /// The keys of each of `docs`, in order (the paragraphs' keys empty
    /// unless the config compares paragraphs).
    pub(crate) fn document_keys(&self, docs: &[Document]) -> Vec<DocumentKeys> {
        let paragraphs = if self.config.level().paragraphs() {
            Paragraphs::Fingerprint
        } else {
            Paragraphs::Skip
        };
        self.keys_of(docs, paragraphs)
    }

    /// The document band keys of each of `docs`, in order, without their
    /// paragraphs' (which cost a fingerprint of every paragraph).
    pub(crate) fn document_band_keys(&self, docs: &[Document]) -> Vec<DocumentKeys> {
        self.keys_of(docs, Paragraphs::Skip)
    }

    fn keys_of(&self, docs: &[Document], paragraphs: Paragraphs) -> Vec<DocumentKeys> {
        let shapes = Shapes {
            document: Keep::BandKeys,
            paragraphs,
            early_sets: EarlySets::Drop,
        };
        let prints = self.fingerprinter().run(docs, shapes, &()).0;
        let bands = self.document_lsh.bands;
        // Chosen once: the choice integrates the S-curve for every split.
        let paragraph_lsh = self.paragraph_lsh();
        let documents = &prints.documents;
        (0..docs.len())
            .into_par_iter()
            .map(|k| {
                let original = documents.original[k].index();
                let document = (documents.counts[original] > 0).then(|| {
                    documents.band_keys[original * bands..(original + 1) * bands].to_vec()
                });
                let (paragraphs, anchors) = if paragraphs == Paragraphs::Fingerprint {
                    self.paragraph_keys(&prints.paragraphs, DocId::new(k), paragraph_lsh)
                } else {
                    (Vec::new(), Vec::new())
                };
                DocumentKeys {
                    document,
                    paragraphs,
                    anchors,
                }
            })
            .collect()
    }

    /// The paragraph band keys and anchors of document `doc`.
    fn paragraph_keys(
        &self,
        paragraphs: &ParagraphPrints,
        doc: DocId,
        params: LshParams,
    ) -> (Vec<(u32, u64)>, Vec<u64>) {
        let rules = self.config.paragraph();
        let num_perm = self.config.num_perm();
        let anchor_limit = u64::MAX / rules.anchors.rate.max(1);
        let prints = &paragraphs.prints;
        let (mut keys, mut anchors) = (Vec::new(), Vec::new());
        let mut one = Vec::with_capacity(params.bands);
        for i in paragraphs.of(doc) {
            let original = prints.original[i].index();
            let set = &prints.sets[original];
            let chars = paragraphs.owners[i].chars;
            if set.is_empty() || chars < rules.min_chars {
                continue;
            }
            if let Some(signature) = prints.signature(original, num_perm) {
                one.clear();
                params.band_keys_into(self.config.seed(), signature, &mut one);
                keys.extend((0..).zip(one.iter().copied()));
            }
            if chars >= rules.containment_min_chars {
                // Sets are sorted: the anchors are a prefix.
                anchors.extend(set.iter().take_while(|&&h| h <= anchor_limit));
            }
        }
        keys.sort_unstable();
        keys.dedup();
        anchors.sort_unstable();
        anchors.dedup();
        (keys, anchors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Level};

    const LONG: &str = "推进县域经济高质量发展，是新时代赋予我们的重大任务。我们要坚持稳中求进工作总基调，全面深化改革开放，加快建设现代化经济体系。";

    #[test]
    fn paragraphs_give_keys_only_at_paragraph_level() {
        let docs = [
            Document::new("a", format!("{LONG}\n短句。\n{LONG}")),
            Document::new("b", ""),
        ];
        let both = Deduplicator::new(Config::default()).unwrap();
        let keys = both.document_keys(&docs);
        let bands = both.paragraph_lsh().bands;
        // Two equal long paragraphs give one paragraph's keys; the short
        // one (under min_chars) none.
        assert_eq!(keys[0].paragraphs.len(), bands);
        assert!(keys[0].paragraphs.windows(2).all(|w| w[0] < w[1]));
        assert!(!keys[0].anchors.is_empty());
        assert!(keys[0].anchors.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(keys[1], DocumentKeys::default());
        let doc_only = Deduplicator::new(Config::default().with_level(Level::Document)).unwrap();
        let keys = doc_only.document_keys(&docs);
        assert!(keys[0].paragraphs.is_empty() && keys[0].anchors.is_empty());
        assert_eq!(
            keys[0].document.as_ref().map(Vec::len),
            Some(doc_only.document_lsh().bands)
        );
    }
}
