//! Configuration: every knob of the pipeline, in one serde struct.
//!
//! [`Config::default()`] is a preset for Chinese: NFKC, whitespace removed,
//! character 5-grams, 128-permutation MinHash, LSH tuned for Jaccard 0.8
//! leaning towards recall, exact verification. It is checked once, by
//! [`Deduplicator::new`](crate::Deduplicator::new); a bad value is an error
//! naming the field and the value.

use serde::{Deserialize, Serialize};

use crate::analysis::AnalysisConfig;
use crate::boilerplate::BoilerplateConfig;
use crate::check::{at_least, unit_interval};
use crate::cluster::ClusterConfig;
use crate::error::{Error, Result};
use crate::fingerprint::{expected_hamming_distance, MAX_HAMMING_DISTANCE};
use crate::lsh::LshParams;
use crate::normalize::NormalizeConfig;
use crate::paragraph::ParagraphConfig;
use crate::passage::PassageConfig;
use crate::redact::MaskConfig;
use crate::revision::RevisionConfig;
use crate::tokenize::TokenKind;

/// The longest MinHash signature a config may ask for. Signatures are held
/// per document (and per paragraph); beyond this, memory, not accuracy,
/// is what grows.
pub const MAX_NUM_PERM: usize = 8192;

/// Which levels a run compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Whole documents: clusters and pairs.
    Document,
    /// Paragraphs: paragraph matches only.
    Paragraph,
    /// Both (default).
    #[default]
    Both,
}

impl Level {
    /// Whether document pairs and clusters are computed.
    pub fn documents(self) -> bool {
        matches!(self, Level::Document | Level::Both)
    }

    /// Whether paragraph matches are computed.
    pub fn paragraphs(self) -> bool {
        matches!(self, Level::Paragraph | Level::Both)
    }
}

/// How candidate pairs are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// MinHash signatures and an LSH band index (default; scales to millions).
    #[default]
    MinHash,
    /// 64-bit SimHash and a permuted-block Hamming index.
    SimHash,
    /// Every pair, compared by exact Jaccard (small inputs only: quadratic).
    Exact,
}

/// How MinHash signatures are computed (for [`Method::MinHash`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sketch {
    /// One-permutation hashing with optimal densification (default): one
    /// pass over the shingles whatever `num_perm` is
    /// ([`OnePermutationHasher`](crate::fingerprint::OnePermutationHasher)).
    #[default]
    OnePermutation,
    /// `num_perm` hash functions over every shingle
    /// ([`MinHasher`](crate::fingerprint::MinHasher)): the reference, `num_perm` times
    /// the work.
    Classic,
}

/// Whether document shingle sets stay in memory for the whole run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ShingleSets {
    /// Keep every document's set: nothing is computed twice, at 8 bytes
    /// per distinct shingle (about 13 KB for 1,600 characters). Faster only
    /// when most documents are candidates and memory is cheap to touch.
    Keep,
    /// Keep only each document's LSH band keys (12 `u64` at the default)
    /// and its shingle count; after candidate search, normalise and shingle
    /// again the documents in candidate pairs, the only ones verification
    /// reads (default). A document that shares a band key with one
    /// fingerprinted before it is known to be a candidate then and there:
    /// it keeps its set (within 256 MB; not in a streamed run's
    /// partitions, whose memory is bounded by their text), so only the
    /// first of each group of candidates is prepared twice. Takes effect with
    /// [`Method::MinHash`] at document level; paragraphs keep their sets.
    ///
    /// The default because most documents of a large corpus are never a
    /// candidate: at 100,000 generated documents (20% of them planted
    /// copies) it ran in half the time of `Keep` with a third of its peak
    /// memory (0.56 against 1.8 GB), the same report byte for byte.
    #[default]
    Recompute,
}

/// How candidate pairs are checked before they are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Exact Jaccard on the shingle sets (default).
    #[default]
    Exact,
    /// The fingerprint's estimate (MinHash agreement, or Jaccard from the
    /// SimHash distance); cheaper, approximate.
    Estimate,
}

/// Everything a [`Deduplicator`](crate::Deduplicator) needs to know.
///
/// Serde data with defaults for every field, so a JSON config names only
/// what it changes; unknown fields are an error, so a misspelt knob is not
/// silently ignored.
///
/// # Examples
///
/// ```
/// use chachong::tokenize::TokenKind;
/// use chachong::{Config, Method};
///
/// let config = Config::default()
///     .with_method(Method::SimHash)
///     .with_tokens(TokenKind::Word)
///     .with_shingle_len(3);
/// assert_eq!(config.jaccard_threshold(), 0.8);
///
/// let from_json: Config = serde_json::from_str(r#"{"jaccard_threshold": 0.7}"#).unwrap();
/// assert_eq!(from_json.jaccard_threshold(), 0.7);
/// assert_eq!(from_json.num_perm(), 128);
/// assert!(serde_json::from_str::<Config>(r#"{"threshold": 0.7}"#).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    seed: u64,
    level: Level,
    method: Method,
    verification: Verification,
    sketch: Sketch,
    shingle_sets: ShingleSets,
    tokens: TokenKind,
    shingle_len: usize,
    jaccard_threshold: f64,
    num_perm: usize,
    bands: Option<usize>,
    rows_per_band: Option<usize>,
    lsh_false_negative_weight: f64,
    max_hamming_distance: Option<u32>,
    weighted_simhash: bool,
    normalize: NormalizeConfig,
    masks: MaskConfig,
    paragraph: ParagraphConfig,
    passages: PassageConfig,
    revisions: RevisionConfig,
    cluster: ClusterConfig,
    boilerplate: BoilerplateConfig,
    analysis: AnalysisConfig,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 42,
            level: Level::Both,
            method: Method::MinHash,
            verification: Verification::Exact,
            sketch: Sketch::OnePermutation,
            shingle_sets: ShingleSets::Recompute,
            tokens: TokenKind::Char,
            shingle_len: 5,
            jaccard_threshold: 0.8,
            num_perm: 128,
            bands: None,
            rows_per_band: None,
            lsh_false_negative_weight: 0.8,
            max_hamming_distance: None,
            weighted_simhash: false,
            normalize: NormalizeConfig::default(),
            masks: MaskConfig::default(),
            paragraph: ParagraphConfig::default(),
            passages: PassageConfig::default(),
            revisions: RevisionConfig::default(),
            cluster: ClusterConfig::default(),
            boilerplate: BoilerplateConfig::default(),
            analysis: AnalysisConfig::default(),
        }
    }
}

impl Config {
    /// The default config at document level, without boilerplate or
    /// cluster analysis: near-duplicate clusters and pairs only, which is
    /// what MinHash deduplicators compute, and the fastest run (8× faster
    /// than the default on the law corpus at document level).
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Level};
    ///
    /// let config = Config::clusters_only();
    /// assert_eq!(config.level(), Level::Document);
    /// assert!(!config.boilerplate().enabled && !config.analysis().enabled);
    /// assert_eq!(config.jaccard_threshold(), Config::default().jaccard_threshold());
    /// ```
    pub fn clusters_only() -> Config {
        let mut config = Config::default().with_level(Level::Document);
        config.boilerplate.enabled = false;
        config.analysis.enabled = false;
        config
    }

    /// The seed every hash and permutation derives from (default 42).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Sets the seed. The same seed and input give the same report.
    pub fn with_seed(mut self, seed: u64) -> Config {
        self.seed = seed;
        self
    }

    /// Which levels are compared (default [`Level::Both`]).
    pub fn level(&self) -> Level {
        self.level
    }

    /// Sets the levels compared.
    pub fn with_level(mut self, level: Level) -> Config {
        self.level = level;
        self
    }

    /// How candidates are found (default [`Method::MinHash`]).
    pub fn method(&self) -> Method {
        self.method
    }

    /// Sets how candidates are found.
    pub fn with_method(mut self, method: Method) -> Config {
        self.method = method;
        self
    }

    /// How candidates are checked (default [`Verification::Exact`]).
    pub fn verification(&self) -> Verification {
        self.verification
    }

    /// Sets how candidates are checked. [`Method::Exact`] always verifies
    /// exactly.
    pub fn with_verification(mut self, verification: Verification) -> Config {
        self.verification = verification;
        self
    }

    /// How MinHash signatures are computed (default
    /// [`Sketch::OnePermutation`]).
    pub fn sketch(&self) -> Sketch {
        self.sketch
    }

    /// Sets how MinHash signatures are computed.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, Sketch};
    ///
    /// let config = Config::default().with_sketch(Sketch::Classic);
    /// assert_eq!(config.sketch(), Sketch::Classic);
    /// ```
    pub fn with_sketch(mut self, sketch: Sketch) -> Config {
        self.sketch = sketch;
        self
    }

    /// Whether document shingle sets stay in memory (default
    /// [`ShingleSets::Recompute`]).
    pub fn shingle_sets(&self) -> ShingleSets {
        self.shingle_sets
    }

    /// Sets whether document shingle sets stay in memory.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::{Config, ShingleSets};
    ///
    /// assert_eq!(Config::default().shingle_sets(), ShingleSets::Recompute);
    /// let config = Config::default().with_shingle_sets(ShingleSets::Keep);
    /// assert_eq!(config.shingle_sets(), ShingleSets::Keep);
    /// ```
    pub fn with_shingle_sets(mut self, shingle_sets: ShingleSets) -> Config {
        self.shingle_sets = shingle_sets;
        self
    }

    /// Token kind (default [`TokenKind::Char`]).
    pub fn tokens(&self) -> TokenKind {
        self.tokens
    }

    /// Sets the token kind. [`TokenKind::Word`] needs feature `jieba`; for
    /// words, a shingle length of 2 or 3 plays the role of 5 characters.
    pub fn with_tokens(mut self, tokens: TokenKind) -> Config {
        self.tokens = tokens;
        self
    }

    /// Tokens per shingle (default 5).
    pub fn shingle_len(&self) -> usize {
        self.shingle_len
    }

    /// Sets the tokens per shingle; must be at least 1.
    pub fn with_shingle_len(mut self, shingle_len: usize) -> Config {
        self.shingle_len = shingle_len;
        self
    }

    /// Document pairs with Jaccard similarity at least this are duplicates
    /// (default 0.8).
    pub fn jaccard_threshold(&self) -> f64 {
        self.jaccard_threshold
    }

    /// Sets the document Jaccard threshold; must be in (0, 1].
    pub fn with_jaccard_threshold(mut self, jaccard_threshold: f64) -> Config {
        self.jaccard_threshold = jaccard_threshold;
        self
    }

    /// MinHash signature length (default 128).
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// Sets the MinHash signature length; must be in 1..=[`MAX_NUM_PERM`].
    pub fn with_num_perm(mut self, num_perm: usize) -> Config {
        self.num_perm = num_perm;
        self
    }

    /// LSH bands and rows, if set by hand (default `None`: chosen from the
    /// threshold by [`LshParams::for_threshold`]).
    pub fn lsh(&self) -> Option<LshParams> {
        match (self.bands, self.rows_per_band) {
            (Some(bands), Some(rows_per_band)) => Some(LshParams {
                bands,
                rows_per_band,
            }),
            _ => None,
        }
    }

    /// Sets the LSH bands and rows by hand; `bands * rows_per_band` must not
    /// exceed `num_perm`. `None` goes back to the automatic choice.
    pub fn with_lsh(mut self, lsh: Option<LshParams>) -> Config {
        self.bands = lsh.map(|p| p.bands);
        self.rows_per_band = lsh.map(|p| p.rows_per_band);
        self
    }

    /// How much the automatic LSH choice weighs missed pairs against extra
    /// candidates (default 0.8; datasketch uses 0.5); see
    /// [`LshParams::for_threshold_weighted`].
    ///
    /// Every candidate is verified, so an extra candidate costs one set
    /// comparison while a missed pair is lost. On the law corpus at
    /// threshold 0.8, 0.5 (9 × 13) found 17 of the 26 true pairs with
    /// Jaccard in [0.8, 0.9); 0.8 (12 × 10) found 24, for 3.5% more
    /// candidates.
    pub fn lsh_false_negative_weight(&self) -> f64 {
        self.lsh_false_negative_weight
    }

    /// Sets the false-negative weight of the automatic LSH choice; must be in
    /// [0, 1]. Candidates are verified, so a larger weight costs time only.
    pub fn with_lsh_false_negative_weight(mut self, weight: f64) -> Config {
        self.lsh_false_negative_weight = weight;
        self
    }

    /// SimHash Hamming distance for candidates, if set by hand (default
    /// `None`: the distance expected at the document threshold, see
    /// [`expected_hamming_distance`]).
    pub fn max_hamming_distance(&self) -> Option<u32> {
        self.max_hamming_distance
    }

    /// Sets the SimHash candidate distance; must be at most
    /// [`MAX_HAMMING_DISTANCE`](crate::fingerprint::MAX_HAMMING_DISTANCE) (63).
    pub fn with_max_hamming_distance(mut self, distance: Option<u32>) -> Config {
        self.max_hamming_distance = distance;
        self
    }

    /// Whether SimHash weighs shingles by their frequency (default `false`).
    pub fn weighted_simhash(&self) -> bool {
        self.weighted_simhash
    }

    /// Sets whether SimHash weighs shingles by frequency.
    pub fn with_weighted_simhash(mut self, yes: bool) -> Config {
        self.weighted_simhash = yes;
        self
    }

    /// Normalisation settings.
    pub fn normalize(&self) -> &NormalizeConfig {
        &self.normalize
    }

    /// Sets the normalisation settings.
    pub fn with_normalize(mut self, normalize: NormalizeConfig) -> Config {
        self.normalize = normalize;
        self
    }

    /// Redaction mask rules (default: masks folded, digits not; see
    /// [`MaskConfig`]).
    pub fn masks(&self) -> &MaskConfig {
        &self.masks
    }

    /// Sets the redaction mask rules.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::redact::MaskConfig;
    /// use chachong::Config;
    ///
    /// let config = Config::default().with_masks(MaskConfig { fold_digits: true, ..MaskConfig::default() });
    /// assert!(config.masks().fold_digits && config.masks().fold_masks);
    /// ```
    pub fn with_masks(mut self, masks: MaskConfig) -> Config {
        self.masks = masks;
        self
    }

    /// Paragraph-level settings.
    pub fn paragraph(&self) -> &ParagraphConfig {
        &self.paragraph
    }

    /// Sets the paragraph-level settings.
    pub fn with_paragraph(mut self, paragraph: ParagraphConfig) -> Config {
        self.paragraph = paragraph;
        self
    }

    /// When shared text is a passage, and a document contained in another.
    pub fn passages(&self) -> &PassageConfig {
        &self.passages
    }

    /// Sets the passage rules.
    pub fn with_passages(mut self, passages: PassageConfig) -> Config {
        self.passages = passages;
        self
    }

    /// When two documents in no cluster together are revisions of one
    /// another.
    pub fn revisions(&self) -> &RevisionConfig {
        &self.revisions
    }

    /// Sets the revision rules.
    pub fn with_revisions(mut self, revisions: RevisionConfig) -> Config {
        self.revisions = revisions;
        self
    }

    /// Cluster rules: the chaining guard and the large-cluster flag.
    pub fn cluster(&self) -> &ClusterConfig {
        &self.cluster
    }

    /// Sets the cluster rules.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::cluster::ClusterConfig;
    /// use chachong::Config;
    ///
    /// // Plain connected components, as in datasketch or gaoya.
    /// let config = Config::default().with_cluster(ClusterConfig {
    ///     min_similarity_to_representative: 0.0,
    ///     ..ClusterConfig::default()
    /// });
    /// assert_eq!(config.cluster().min_similarity_to_representative, 0.0);
    /// ```
    pub fn with_cluster(mut self, cluster: ClusterConfig) -> Config {
        self.cluster = cluster;
        self
    }

    /// Boilerplate rules (default: on, 3 unrelated groups).
    pub fn boilerplate(&self) -> &BoilerplateConfig {
        &self.boilerplate
    }

    /// Sets the boilerplate rules.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::boilerplate::BoilerplateConfig;
    /// use chachong::Config;
    ///
    /// let config = Config::default().with_boilerplate(BoilerplateConfig { enabled: false, ..BoilerplateConfig::default() });
    /// assert!(!config.boilerplate().enabled);
    /// ```
    pub fn with_boilerplate(mut self, boilerplate: BoilerplateConfig) -> Config {
        self.boilerplate = boilerplate;
        self
    }

    /// Cluster analysis rules (default: on, canonical copy by fewest masks).
    pub fn analysis(&self) -> &AnalysisConfig {
        &self.analysis
    }

    /// Sets the cluster analysis rules.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::analysis::{AnalysisConfig, CanonicalPolicy};
    /// use chachong::Config;
    ///
    /// let config = Config::default().with_analysis(AnalysisConfig { canonical: CanonicalPolicy::SmallestId, ..AnalysisConfig::default() });
    /// assert_eq!(config.analysis().canonical, CanonicalPolicy::SmallestId);
    /// ```
    pub fn with_analysis(mut self, analysis: AnalysisConfig) -> Config {
        self.analysis = analysis;
        self
    }

    /// Checks every value, section by section; the error names the first
    /// bad field. [`Deduplicator::new`](crate::Deduplicator::new) calls it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) naming
    /// the field and the bad value.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::Config;
    ///
    /// let err = Config::default().with_num_perm(0).validate().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid config: num_perm 0 is outside 1..=8192");
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.validate_own()?;
        self.paragraph.validate()?;
        self.passages.validate()?;
        self.revisions.validate()?;
        self.cluster.validate()?;
        self.boilerplate.validate()?;
        self.analysis.validate()
    }

    /// What a run that keeps only band keys needs (a streamed run, an
    /// index; `runner` names it in the message): MinHash, and no
    /// boilerplate, which needs the whole corpus at once.
    pub(crate) fn check_band_keys_suffice(&self, runner: &str) -> Result<()> {
        if self.method != Method::MinHash {
            return Err(Error::invalid_config(
                "method",
                format!("{runner} finds candidates by MinHash band keys (method minhash)"),
            ));
        }
        if self.boilerplate.enabled {
            return Err(Error::invalid_config(
                "boilerplate.enabled",
                format!("boilerplate needs the whole corpus at once: {runner} goes without it"),
            ));
        }
        Ok(())
    }

    /// The top-level fields.
    fn validate_own(&self) -> Result<()> {
        unit_interval("jaccard_threshold", self.jaccard_threshold)?;
        at_least("shingle_len", self.shingle_len as u64, 1)?;
        if self.num_perm == 0 || self.num_perm > MAX_NUM_PERM {
            return Err(Error::invalid_config(
                "num_perm",
                format!("num_perm {} is outside 1..={MAX_NUM_PERM}", self.num_perm),
            ));
        }
        self.validate_lsh()?;
        if let Some(distance) = self.max_hamming_distance {
            if distance > MAX_HAMMING_DISTANCE {
                return Err(Error::invalid_config(
                    "max_hamming_distance",
                    format!("max_hamming_distance {distance} is above {MAX_HAMMING_DISTANCE}"),
                ));
            }
        }
        if self.normalize.fold_traditional {
            crate::normalize::traditional_table()?;
        }
        if self.tokens == TokenKind::Word && !cfg!(feature = "jieba") {
            return Err(Error::invalid_config(
                "tokens",
                "tokens \"word\" needs chachong's \"jieba\" feature",
            ));
        }
        Ok(())
    }

    /// Bands and rows set by hand, and the weight of the automatic choice.
    fn validate_lsh(&self) -> Result<()> {
        match (self.bands, self.rows_per_band) {
            (None, None) => {}
            (Some(bands), Some(rows)) => {
                if bands == 0 || rows == 0 || bands.saturating_mul(rows) > self.num_perm {
                    return Err(Error::invalid_config(
                        "bands",
                        format!(
                            "bands {bands} x rows_per_band {rows} must be at least 1 x 1 and fit num_perm {}",
                            self.num_perm
                        ),
                    ));
                }
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(Error::invalid_config(
                    "bands",
                    "bands and rows_per_band must be set together",
                ));
            }
        }
        if !(0.0..=1.0).contains(&self.lsh_false_negative_weight) {
            return Err(Error::invalid_config(
                "lsh_false_negative_weight",
                format!(
                    "lsh_false_negative_weight {} is outside [0, 1]",
                    self.lsh_false_negative_weight
                ),
            ));
        }
        Ok(())
    }

    /// The LSH parameters a run at `threshold` uses.
    pub(crate) fn lsh_for(&self, threshold: f64) -> LshParams {
        self.lsh().unwrap_or_else(|| {
            LshParams::for_threshold_weighted(
                threshold,
                self.num_perm,
                self.lsh_false_negative_weight,
            )
        })
    }

    /// The SimHash distance a run at `threshold` uses.
    pub(crate) fn hamming_for(&self, threshold: f64) -> u32 {
        self.max_hamming_distance.unwrap_or_else(|| {
            let expected = expected_hamming_distance(threshold).ceil();
            expected.min(f64::from(MAX_HAMMING_DISTANCE)) as u32
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! bad {
        ($name:ident, $config:expr, $field:expr, $message:expr) => {
            #[test]
            fn $name() {
                let err = $config.validate().unwrap_err();
                match err.kind() {
                    crate::ErrorKind::InvalidConfig { field, .. } => assert_eq!(*field, $field),
                    other => panic!("{other:?}"),
                }
                assert_eq!(err.to_string(), concat!("invalid config: ", $message));
            }
        };
    }

    bad!(
        threshold_above_one,
        Config::default().with_jaccard_threshold(1.5),
        "jaccard_threshold",
        "jaccard_threshold 1.5 is outside (0, 1]"
    );
    bad!(
        threshold_zero,
        Config::default().with_jaccard_threshold(0.0),
        "jaccard_threshold",
        "jaccard_threshold 0 is outside (0, 1]"
    );
    bad!(
        threshold_nan,
        Config::default().with_jaccard_threshold(f64::NAN),
        "jaccard_threshold",
        "jaccard_threshold NaN is outside (0, 1]"
    );
    bad!(
        num_perm_zero,
        Config::default().with_num_perm(0),
        "num_perm",
        "num_perm 0 is outside 1..=8192"
    );
    bad!(
        shingle_len_zero,
        Config::default().with_shingle_len(0),
        "shingle_len",
        "shingle_len 0 must be at least 1"
    );
    bad!(
        bands_too_many,
        Config::default().with_lsh(Some(LshParams {
            bands: 20,
            rows_per_band: 7
        })),
        "bands",
        "bands 20 x rows_per_band 7 must be at least 1 x 1 and fit num_perm 128"
    );
    bad!(
        fn_weight_above_one,
        Config::default().with_lsh_false_negative_weight(1.5),
        "lsh_false_negative_weight",
        "lsh_false_negative_weight 1.5 is outside [0, 1]"
    );
    bad!(
        hamming_too_far,
        Config::default().with_max_hamming_distance(Some(64)),
        "max_hamming_distance",
        "max_hamming_distance 64 is above 63"
    );
    bad!(
        paragraph_threshold,
        Config::default().with_paragraph(ParagraphConfig {
            jaccard_threshold: -1.0,
            ..ParagraphConfig::default()
        }),
        "paragraph.jaccard_threshold",
        "paragraph.jaccard_threshold -1 is outside (0, 1]"
    );

    #[cfg(not(feature = "jieba"))]
    #[test]
    fn words_need_the_jieba_feature() {
        let err = Config::default()
            .with_tokens(TokenKind::Word)
            .validate()
            .unwrap_err();
        assert!(err.to_string().contains("jieba"), "{err}");
    }

    #[test]
    fn default_is_valid() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn half_set_lsh_is_rejected() {
        let config: Config = serde_json::from_str(r#"{"bands": 4}"#).unwrap();
        assert!(config.validate().is_err());
    }

    #[test]
    fn json_round_trip() {
        let config = Config::default().with_seed(7).with_method(Method::SimHash);
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<Config>(&json).unwrap(), config);
    }

    #[test]
    fn default_lsh_leans_to_recall() {
        let config = Config::default();
        assert_eq!(
            config.lsh_for(0.8),
            LshParams {
                bands: 12,
                rows_per_band: 10
            }
        );
        let datasketch = config.with_lsh_false_negative_weight(0.5);
        assert_eq!(
            datasketch.lsh_for(0.8),
            LshParams {
                bands: 9,
                rows_per_band: 13
            }
        );
    }

    #[test]
    fn derived_hamming_distance() {
        assert_eq!(Config::default().hamming_for(0.8), 10);
        assert_eq!(
            Config::default()
                .with_max_hamming_distance(Some(3))
                .hamming_for(0.8),
            3
        );
    }
}
