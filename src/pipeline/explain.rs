//! Explaining one pair: the figures the pipeline decides on, and the
//! analysis of how one document differs from the other.

use crate::analysis::{Analyzer, Explanation};
use crate::corpus::{check, Document};
use crate::error::{Error, Result};
use crate::pipeline::data::Prints;
use crate::pipeline::fingerprint::Scratch;
use crate::pipeline::verification::Estimate;
use crate::pipeline::Deduplicator;
use crate::prehashed::HashedSet;

impl Deduplicator {
    /// Explains how `b` compares with `a`: the figures the pipeline decides
    /// on (Jaccard, the fingerprint's estimate, containment both ways) and
    /// the paragraph alignment with its character diff, with the kind of
    /// copy `b` is of `a` and the redaction-aware Jaccard.
    ///
    /// Boilerplate is a property of a corpus, so a pair explained alone has
    /// none: paragraphs only one side has count as edits or repeats.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) for a text of
    /// 4 GiB or more.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::analysis::CopyKind;
    /// use chachong::{Config, Deduplicator, Document};
    ///
    /// let original = "2014年，福州市经济总量达到5000亿元，同比增长8.5%，位居全省前列。";
    /// let redacted = "****年，**市经济总量达到****亿元，同比增长x.x%，位居全省前列。";
    /// let dedup = Deduplicator::new(Config::default().with_shingle_len(3))?;
    /// let e = dedup.explain(&Document::new("a", original), &Document::new("b", redacted))?;
    /// assert_eq!(e.figures.kind, Some(CopyKind::Redacted));
    /// assert!(e.figures.redaction_aware_jaccard > e.jaccard);
    /// assert_eq!(e.paragraphs[0].hunks[0].a_text, "2014");
    /// assert_eq!(e.paragraphs[0].hunks[0].b_text, "****");
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn explain(&self, a: &Document, b: &Document) -> Result<Explanation> {
        check(std::slice::from_ref(a))?;
        check(std::slice::from_ref(b))?;
        let fingerprinter = self.fingerprinter();
        let mut scratch = Scratch::default();
        let mut prints = Prints::default();
        for doc in [a, b] {
            prints.push(fingerprinter.sorted_prints(doc, &mut scratch));
        }
        let (overlap, estimate) = self.verifier(Estimate::Compute).measure(
            &prints,
            (0, prints.set(0)),
            (1, prints.set(1)),
            None,
        );
        let none = HashedSet::default();
        let analyzer = Analyzer {
            shingler: self.preparer.shingler(),
            config: self.config.analysis(),
            boilerplate: &none,
            boilerplate_coverage: self.config.boilerplate().min_coverage,
        };
        let (va, vb) = (self.preparer.view(a), self.preparer.view(b));
        let (figures, paragraphs, only_a, only_b) = analyzer.explain(&va, &vb);
        Ok(Explanation {
            a: a.id().to_string(),
            b: b.id().to_string(),
            jaccard: overlap.jaccard(),
            estimated_jaccard: estimate,
            containment_a_in_b: overlap.containment_a_in_b(),
            containment_b_in_a: overlap.containment_b_in_a(),
            figures,
            paragraphs,
            only_a,
            only_b,
        })
    }

    /// Explains how the document with id `b` compares with the one with id
    /// `a`, both taken from `docs`, after the checks [`run`](Self::run)
    /// makes of `docs`: so that two different texts that share an id are
    /// an error here too, not a verbatim copy.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run), and
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) if no document
    /// has id `a` or `b`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Deduplicator, Document, ErrorKind};
    ///
    /// let dedup = Deduplicator::new(Config::default())?;
    /// let docs = [Document::new("x", "甲乙丙丁戊"), Document::new("x", "己庚辛壬癸")];
    /// let err = dedup.explain_ids(&docs, "x", "x").unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::DuplicateId { .. }));
    /// let docs = [Document::new("x", "甲乙丙丁戊")];
    /// let err = dedup.explain_ids(&docs, "x", "y").unwrap_err();
    /// assert_eq!(err.to_string(), "no document with id \"y\"");
    /// # Ok::<(), chachong::Error>(())
    /// ```
    pub fn explain_ids(&self, docs: &[Document], a: &str, b: &str) -> Result<Explanation> {
        check(docs)?;
        let find = |id: &str| {
            docs.iter()
                .find(|d| d.id() == id)
                .ok_or_else(|| Error::unknown_id(id))
        };
        self.explain(find(a)?, find(b)?)
    }
}
