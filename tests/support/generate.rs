//! Deterministic test corpora built from the seed's real sentences.
// Each test crate includes this file and uses part of it.
#![allow(dead_code)]

use chachong::Document;

pub const SPEECHES: &str = include_str!("../data/speeches.txt");
pub const HEADING: &str = r"^在全市高质量发展工作会议上的讲话篇\d+$";

/// A tiny deterministic generator (SplitMix64), so tests need no RNG crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The distinct sentences of the seed (split at 。！？；), longer than 8 chars.
pub fn sentences() -> Vec<String> {
    let mut out: Vec<String> = SPEECHES
        .split(['。', '！', '？', '；', '\n'])
        .map(|s| s.trim().to_string())
        .filter(|s| s.chars().count() > 8)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `originals` documents of random sentences, then for each of the first
/// `copied` originals one edited copy, with edits of varied strength so that
/// similarities spread from about 0.4 to 1: characters masked with `*` (none
/// to one in 30), maybe a paragraph dropped, maybe one added. Returns the documents
/// (copies after originals) and the planted `(original, copy)` pairs by index.
pub fn corpus(seed: u64, originals: usize, copied: usize) -> (Vec<Document>, Vec<(usize, usize)>) {
    let pool = sentences();
    let mut rng = Rng(seed);
    let paragraph = |rng: &mut Rng| -> String {
        (0..1 + rng.below(4))
            .map(|_| pool[rng.below(pool.len())].as_str())
            .collect::<Vec<_>>()
            .join("。")
            + "。"
    };
    let mut bodies: Vec<Vec<String>> = Vec::new();
    for _ in 0..originals {
        let n = 3 + rng.below(6);
        bodies.push((0..n).map(|_| paragraph(&mut rng)).collect());
    }
    let mut docs: Vec<Document> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| Document::new(format!("doc{i:05}"), b.join("\n")))
        .collect();
    let mut planted = Vec::new();
    for (i, original) in bodies.iter().enumerate().take(copied) {
        let mut body = original.clone();
        if body.len() > 3 && rng.below(2) == 0 {
            let drop = rng.below(body.len());
            body.remove(drop);
        }
        if rng.below(2) == 0 {
            let at = rng.below(body.len() + 1);
            body.insert(at, paragraph(&mut rng));
        }
        let mask_one_in = [0, 400, 100, 30][rng.below(4)];
        let masked: Vec<String> = body
            .iter()
            .map(|p| {
                p.chars()
                    .map(|c| {
                        if mask_one_in > 0 && rng.below(mask_one_in) == 0 {
                            '*'
                        } else {
                            c
                        }
                    })
                    .collect()
            })
            .collect();
        planted.push((i, docs.len()));
        docs.push(Document::new(format!("copy{i:05}"), masked.join("\n")));
    }
    (docs, planted)
}
