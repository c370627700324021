//! The [`Config`] a command runs with: a config file, then the flags.

use std::fs;
use std::path::Path;

use chachong::analysis::CanonicalPolicy;
use chachong::boilerplate::BoilerplateListing;
use chachong::tokenize::TokenKind;
use chachong::{Config, Extent, Level, Method, Verification};

use crate::args::{ConfigArgs, KeepArg, LevelArg, MethodArg, TokensArg};
use crate::failure::{Failure, Result};

/// Reads a JSON config file, without a byte order mark if it has one.
pub fn read_config(path: &Path) -> Result<Config> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| Failure::new(format!("{}: {e}", path.display())))
}

/// The UTF-8 text of the file at `path`, a byte-order mark left out.
pub fn read_text(path: &Path) -> Result<String> {
    let mut text = fs::read_to_string(path).map_err(|e| Failure::io(path, &e))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

pub fn method(arg: MethodArg) -> Method {
    match arg {
        MethodArg::Minhash => Method::MinHash,
        MethodArg::Simhash => Method::SimHash,
        MethodArg::Exact => Method::Exact,
    }
}

/// The config file (or the default), with every flag given applied.
pub fn config(args: &ConfigArgs) -> Result<Config> {
    let base = match &args.config {
        Some(path) => read_config(path)?,
        None => Config::default(),
    };
    apply(base, args)
}

/// `base` with every flag given applied (the config file, if given,
/// replacing `base` first).
pub fn config_over(base: Config, args: &ConfigArgs) -> Result<Config> {
    let base = match &args.config {
        Some(path) => read_config(path)?,
        None => base,
    };
    apply(base, args)
}

/// Every flag given, applied to `config`.
fn apply(mut config: Config, args: &ConfigArgs) -> Result<Config> {
    if let Some(level) = args.level {
        config = config.with_level(match level {
            LevelArg::Doc => Level::Document,
            LevelArg::Para => Level::Paragraph,
            LevelArg::Both => Level::Both,
        });
    }
    if let Some(tokens) = args.tokens {
        let tokens = match tokens {
            TokensArg::Char => TokenKind::Char,
            TokensArg::Word => TokenKind::Word,
        };
        // Word 3-grams play the role of character 5-grams.
        let ngram = if tokens == TokenKind::Word { 3 } else { 5 };
        config = config.with_tokens(tokens).with_shingle_len(ngram);
    }
    if let Some(ngram) = args.ngram {
        config = config.with_shingle_len(ngram);
    }
    if let Some(m) = args.method {
        config = config.with_method(method(m));
    }
    if args.estimate {
        config = config.with_verification(Verification::Estimate);
    }
    if let Some(t) = args.threshold {
        config = config.with_jaccard_threshold(t);
    }
    if let Some(t) = args.paragraph_threshold {
        let mut paragraph = *config.paragraph();
        paragraph.jaccard_threshold = t;
        config = config.with_paragraph(paragraph);
    }
    if let Some(k) = args.num_perm {
        config = config.with_num_perm(k);
    }
    if args.bands.is_some() {
        config = config.with_lsh(args.bands);
    }
    if args.max_hamming.is_some() {
        config = config.with_max_hamming_distance(args.max_hamming);
    }
    if let Some(seed) = args.seed {
        config = config.with_seed(seed);
    }
    if let Some(keep) = args.keep {
        let mut analysis = *config.analysis();
        analysis.canonical = match keep {
            KeepArg::First => CanonicalPolicy::First,
            KeepArg::Longest => CanonicalPolicy::Longest,
            KeepArg::FewestMasks => CanonicalPolicy::FewestMasks,
            KeepArg::SmallestId => CanonicalPolicy::SmallestId,
        };
        config = config.with_analysis(analysis);
    }
    if args.full_report {
        let mut boilerplate = *config.boilerplate();
        boilerplate.listing = BoilerplateListing::Full;
        boilerplate.sample = Extent::All;
        let mut analysis = *config.analysis();
        analysis.clusters = Extent::All;
        config = config.with_boilerplate(boilerplate).with_analysis(analysis);
    }
    Ok(config)
}
