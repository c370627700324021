//! A Chinese corpus of copied passages, shaped like PAN's text-alignment
//! corpora: passages of 50–1,000 characters cut from source documents at
//! sentence ends and inserted into other documents, every document then
//! hard-wrapped at 30–40 characters a line as PDF extraction does, with
//! digits and places masked in the copies if asked. The texts are
//! `tests/data/laws.jsonl.gz` (121 regulations chosen to share no 16-character
//! stretch) and the seed's six distinct speeches.
// Each test crate includes this file and uses part of it.
#![allow(dead_code)]

use std::path::Path;

use chachong::Document;

// The CLI loads generate.rs for `generate` too: one file, two modules,
// each self-contained.
#[allow(clippy::duplicate_mod)]
#[path = "generate.rs"]
mod generate;

use generate::Rng;

const LAWS: &[u8] = include_bytes!("../data/laws.jsonl.gz");

/// One planted passage: (copy, source) ids and character ranges in each
/// text as written (wrapped).
#[derive(Clone, Debug)]
pub struct Planted {
    pub copy: String,
    pub source: String,
    pub copy_range: [usize; 2],
    pub source_range: [usize; 2],
}

/// The corpus and what was planted in it.
pub struct PassageCorpus {
    pub docs: Vec<Document>,
    pub planted: Vec<Planted>,
}

impl PassageCorpus {
    /// The truth in PAN's tab-separated form, as `chachong
    /// evaluate-passages` reads it.
    pub fn truth_tsv(&self) -> String {
        let mut out =
            String::from("susp\tsrc\tthis_offset\tthis_length\tsource_offset\tsource_length\n");
        for p in &self.planted {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\n",
                p.copy,
                p.source,
                p.copy_range[0],
                p.copy_range[1] - p.copy_range[0],
                p.source_range[0],
                p.source_range[1] - p.source_range[0]
            ));
        }
        out
    }
}

/// The texts the corpus is made of: the law slice, then the seed's
/// distinct speeches (篇5, 篇7 and 篇9 are 篇3 redacted).
fn texts() -> Vec<String> {
    let laws = chachong::source::Reader::new()
        .read_from(LAWS, Path::new("laws.jsonl.gz"))
        .expect("the law slice reads");
    let mut texts: Vec<String> = laws
        .documents
        .iter()
        .map(|d| d.text().to_string())
        .collect();
    for (i, speech) in generate::speeches().iter().enumerate() {
        if ![4, 6, 8].contains(&i) {
            texts.push(speech.text().to_string());
        }
    }
    texts
}

/// Character offsets in `text` where a sentence or a line begins.
fn sentence_starts(chars: &[char]) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '。' | '！' | '？' | '；' | '\n') && i + 1 < chars.len() {
            starts.push(i + 1);
        }
    }
    starts.dedup();
    starts
}

/// A passage of `source` between two sentence starts, 50 to 1,000
/// characters (newlines not counted), as a character range.
fn pick_passage(rng: &mut Rng, source: &[char]) -> Option<std::ops::Range<usize>> {
    let starts = sentence_starts(source);
    let target = 50 + rng.below(951);
    for _ in 0..20 {
        let from = starts[rng.below(starts.len())];
        let mut best = None;
        for &end in starts.iter().filter(|&&e| e > from) {
            let len = source[from..end].iter().filter(|&&c| c != '\n').count();
            if len > 1000 {
                break;
            }
            if len >= 50 {
                best = Some(from..end);
                if len >= target {
                    break;
                }
            }
        }
        if best.is_some() {
            return best;
        }
    }
    None
}

/// `passage` with digits masked (`*` or `x`, one per digit) and the two
/// characters before 市, 县, 省 or 区 masked as `**`.
fn mask(rng: &mut Rng, passage: &[char]) -> Vec<char> {
    let digit_mask = if rng.below(2) == 0 { '*' } else { 'x' };
    let mut out: Vec<char> = passage
        .iter()
        .map(|&c| if c.is_ascii_digit() { digit_mask } else { c })
        .collect();
    for i in 2..out.len() {
        let ideograph = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
        if matches!(out[i], '市' | '县' | '省' | '区')
            && ideograph(out[i - 1])
            && ideograph(out[i - 2])
        {
            out[i - 1] = '*';
            out[i - 2] = '*';
        }
    }
    out
}

/// `chars` hard-wrapped at `width` characters a line, paragraphs (lines)
/// separated by a blank line or marked by an indent; and where each
/// character went.
fn wrap(chars: &[char], width: usize, blank_lines: bool) -> (String, Vec<usize>) {
    let mut out: Vec<char> = Vec::with_capacity(chars.len() * 11 / 10);
    let mut at = vec![0; chars.len() + 1];
    let mut column = 0;
    let mut first = true;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            at[i] = out.len();
            out.push('\n');
            if blank_lines {
                out.push('\n');
            }
            column = 0;
            first = true;
            continue;
        }
        if first && !blank_lines {
            out.extend(['\u{3000}', '\u{3000}']);
        }
        first = false;
        if column == width {
            out.push('\n');
            column = 0;
        }
        at[i] = out.len();
        out.push(c);
        column += 1;
    }
    at[chars.len()] = out.len();
    (out.into_iter().collect(), at)
}

/// `hosts` documents holding 1 to 3 passages each from `sources` others,
/// all wrapped; the same seed gives the same corpus.
pub fn passage_corpus(seed: u64, masks: bool) -> PassageCorpus {
    let mut rng = Rng(seed);
    let mut texts: Vec<Vec<char>> = texts().iter().map(|t| t.chars().collect()).collect();
    for i in (1..texts.len()).rev() {
        let j = rng.below(i + 1);
        texts.swap(i, j);
    }
    let n_sources = texts.len() * 2 / 5;
    let (sources, hosts) = texts.split_at(n_sources);
    let mut docs = Vec::new();
    let mut planted = Vec::new();
    // Sources: wrapped as they are.
    let mut wrapped_sources = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let (text, at) = wrap(source, 30 + rng.below(11), rng.below(2) == 0);
        wrapped_sources.push(at);
        docs.push(Document::new(format!("source-{i:03}"), text));
    }
    for (h, host) in hosts.iter().enumerate() {
        let id = format!("copy-{h:03}");
        let starts = sentence_starts(host);
        let mut places: Vec<usize> = (0..1 + rng.below(3))
            .map(|_| starts[rng.below(starts.len())])
            .collect();
        places.sort_unstable();
        places.dedup();
        let mut text: Vec<char> = Vec::new();
        let mut copied = Vec::new();
        let mut from = 0;
        for &place in &places {
            let s = rng.below(sources.len());
            let Some(range) = pick_passage(&mut rng, &sources[s]) else {
                continue;
            };
            text.extend_from_slice(&host[from..place]);
            let mut passage = sources[s][range.clone()].to_vec();
            if masks {
                passage = mask(&mut rng, &passage);
            }
            let start = text.len();
            text.extend_from_slice(&passage);
            copied.push((s, range, start..text.len()));
            from = place;
        }
        text.extend_from_slice(&host[from..]);
        let (wrapped, at) = wrap(&text, 30 + rng.below(11), rng.below(2) == 0);
        for (s, source_range, copy_range) in copied {
            let source_at = &wrapped_sources[s];
            let placed =
                |at: &[usize], r: &std::ops::Range<usize>| [at[r.start], at[r.end - 1] + 1];
            planted.push(Planted {
                copy: id.clone(),
                source: format!("source-{s:03}"),
                copy_range: placed(&at, &copy_range),
                source_range: placed(source_at, &source_range),
            });
        }
        docs.push(Document::new(id, wrapped));
    }
    PassageCorpus { docs, planted }
}
