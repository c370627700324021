//! Deterministic test corpora built from the seed's real sentences.
// Each test crate includes this file and uses part of it.
#![allow(dead_code)]

use chachong::Document;

pub const SPEECHES: &str = include_str!("../data/speeches.txt");
pub const HEADING: &str = r"^在全市高质量发展工作会议上的讲话篇\d+$";

/// The seed's nine speeches, split at their headings as `chachong dedup
/// --split` does.
pub fn speeches() -> Vec<Document> {
    chachong::source::Reader::new()
        .split(HEADING)
        .and_then(|r| r.read_text_from(SPEECHES.as_bytes(), std::path::Path::new("speeches.txt")))
        .expect("the seed splits at its headings")
        .documents
}

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

/// A generated corpus and its planted clusters.
pub struct Scale {
    pub docs: Vec<Document>,
    pub truth: Vec<Vec<String>>,
}

const SITES: [&str; 8] = [
    "星星阅读网",
    "呢子范文网",
    "明月秘书网",
    "众鑫文档网",
    "天天范文网",
    "博文学习网",
    "公文素材网",
    "办公资源网",
];
const HEADERS: [&str; 3] = [
    "下面是{site}小编为您推荐的讲话材料,欢迎阅读参考。",
    "以下是{site}为大家整理的范文,希望对大家有所帮助。",
    "本文由{site}用户上传分享,仅供学习交流使用。",
];
const FOOTERS: [&str; 2] = [
    "以上就是{site}小编整理的内容,更多内容请关注{site}。",
    "推荐访问:{site}讲话稿 工作报告 心得体会",
];
const PROVINCES: [&str; 12] = [
    "河南", "河北", "山东", "山西", "湖南", "湖北", "江苏", "浙江", "安徽", "福建", "四川", "陕西",
];

fn seed_pool() -> Vec<String> {
    use chachong::shingle::Shingler;
    use chachong::verify::jaccard;
    let shingler = Shingler::new(5, 0);
    let mut kept: Vec<(String, Vec<u64>)> = Vec::new();
    for line in SPEECHES.lines() {
        let p: String = line.split_whitespace().collect();
        if p.chars().count() < 15 || is_speech_heading(&p) {
            continue;
        }
        let set = shingler.char_set(&p);
        if kept.iter().all(|(_, k)| jaccard(k, &set) < 0.5) {
            kept.push((p, set));
        }
    }
    let mut sentences: Vec<String> = Vec::new();
    for (p, _) in &kept {
        let mut start = 0;
        for (at, c) in p.char_indices() {
            if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';') {
                let s = &p[start..at + c.len_utf8()];
                if s.chars().count() > 4 {
                    sentences.push(s.to_string());
                }
                start = at + c.len_utf8();
            }
        }
        if p[start..].chars().count() > 4 {
            sentences.push(p[start..].to_string() + "。");
        }
    }
    sentences
}

/// The seed's speech headings (「在全市高质量发展工作会议上的讲话篇3」).
fn is_speech_heading(line: &str) -> bool {
    line.starts_with("在全市高质量发展工作会议上的讲话")
}

fn site_line(rng: &mut Rng, lines: &[&str]) -> String {
    let site = SITES[rng.below(SITES.len())];
    lines[rng.below(lines.len())].replace("{site}", site)
}

fn mask_digits(text: &str, style: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_ascii_digit() {
            out.push(c);
            continue;
        }
        let mut run = 1;
        while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
            chars.next();
            run += 1;
        }
        match style {
            0 => out.extend(std::iter::repeat_n('*', run)),
            1 => out.push('X'),
            _ => out.extend(std::iter::repeat_n('x', run)),
        }
    }
    out
}

fn mask_places(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let pair: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let before_unit = chars
            .get(i + 2)
            .is_some_and(|c| "省市县区镇乡".contains(*c))
            && chars[i..i + 2]
                .iter()
                .all(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            && !chars[i..i + 2]
                .iter()
                .any(|c| "的在全和与及各我为是".contains(*c));
        if pair.chars().count() == 2 && (PROVINCES.contains(&pair.as_str()) || before_unit) {
            out.push_str("**");
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A corpus at scale for throughput runs, from the seed's real text.
///
/// Pool: the seed's paragraphs with near-duplicates dropped (a paragraph
/// whose character 5-gram Jaccard with one already kept is at least 0.5),
/// so the template speech counts once; their sentences (split after
/// 。！？；) are the material. Background documents have 4 to 16 paragraphs
/// of 1 to 6 sentences drawn at random; 30% get a site's header or footer
/// line. A share `dup_frac` of the `n` documents are planted copies, in
/// clusters of one original and 1 to 4 copies; each copy gets a random,
/// non-empty set of edits: digits masked (`*` per digit, one `X`, or `x` per
/// digit), places masked (`**` for a province, or for two characters
/// before 省/市/县/区/镇/乡), 1 to 20% of the paragraphs deleted, 1 or 2
/// paragraphs inserted, one paragraph moved, a header or footer added.
/// Documents are shuffled and named `g0000000`, `g0000001`, …
///
/// Returns the documents and the planted clusters (ids, sorted). The same
/// `seed` gives the same corpus.
pub fn scale_corpus(seed: u64, n: usize, dup_frac: f64) -> Scale {
    scale_corpus_shaped(seed, n, dup_frac, &Shape::default())
}

/// The length of [`scale_corpus_shaped`]'s background documents and the
/// start of their ids.
#[allow(dead_code)]
pub struct Shape {
    /// Paragraphs of a background document: at least the first, at most
    /// the second (4 to 16: about 1,640 characters a document; 1 to 5:
    /// about 500).
    pub paragraphs: (usize, usize),
    /// The ids' start (`g`: `g0000000`, `g0000001`, …).
    pub prefix: String,
}

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            paragraphs: (4, 16),
            prefix: "g".to_string(),
        }
    }
}

/// [`scale_corpus`] with documents of another length, and ids of another
/// start (corpora made in shards, each with its own seed and prefix).
#[allow(dead_code)]
pub fn scale_corpus_shaped(seed: u64, n: usize, dup_frac: f64, shape: &Shape) -> Scale {
    let (fewest, most) = shape.paragraphs;
    let pool = seed_pool();
    let mut rng = Rng(seed);
    let paragraph = |rng: &mut Rng| -> String {
        (0..1 + rng.below(6))
            .map(|_| pool[rng.below(pool.len())].as_str())
            .collect()
    };
    let body = |rng: &mut Rng| -> Vec<String> {
        let count = fewest + rng.below(most + 1 - fewest);
        let mut b: Vec<String> = (0..count).map(|_| paragraph(rng)).collect();
        if rng.below(10) < 3 {
            if rng.below(2) == 0 {
                b.insert(0, site_line(rng, &HEADERS));
            } else {
                b.push(site_line(rng, &FOOTERS));
            }
        }
        b
    };
    let planted_docs = ((n as f64) * dup_frac) as usize;
    // (body, cluster) for every document; cluster is None for background.
    let mut made: Vec<(Vec<String>, Option<usize>)> = Vec::with_capacity(n);
    let mut clusters = 0;
    while made.len() < planted_docs {
        let copies = 1 + rng.below(4);
        if made.len() + 1 + copies > planted_docs {
            break;
        }
        let original = body(&mut rng);
        for _ in 0..copies {
            let mut copy = original.clone();
            let edits = 1 + rng.below(63);
            if edits & 1 != 0 {
                let style = rng.below(3);
                copy = copy.iter().map(|p| mask_digits(p, style)).collect();
            }
            if edits & 2 != 0 {
                copy = copy.iter().map(|p| mask_places(p)).collect();
            }
            if edits & 4 != 0 && copy.len() > 2 {
                let drop = 1.max(copy.len() * (1 + rng.below(20)) / 100);
                for _ in 0..drop {
                    let at = rng.below(copy.len());
                    copy.remove(at);
                }
            }
            if edits & 8 != 0 {
                for _ in 0..1 + rng.below(2) {
                    let at = rng.below(copy.len() + 1);
                    copy.insert(at, paragraph(&mut rng));
                }
            }
            if edits & 16 != 0 && copy.len() > 2 {
                let from = rng.below(copy.len());
                let p = copy.remove(from);
                let to = rng.below(copy.len() + 1);
                copy.insert(to, p);
            }
            if edits & 32 != 0 {
                copy.insert(0, site_line(&mut rng, &HEADERS));
            }
            made.push((copy, Some(clusters)));
        }
        made.push((original, Some(clusters)));
        clusters += 1;
    }
    while made.len() < n {
        made.push((body(&mut rng), None));
    }
    for i in (1..made.len()).rev() {
        made.swap(i, rng.below(i + 1));
    }
    let mut truth: Vec<Vec<String>> = vec![Vec::new(); clusters];
    let docs = made
        .into_iter()
        .enumerate()
        .map(|(i, (b, cluster))| {
            let id = format!("{}{i:07}", shape.prefix);
            if let Some(c) = cluster {
                truth[c].push(id.clone());
            }
            Document::new(id, b.join("\n"))
        })
        .collect();
    truth.sort();
    Scale { docs, truth }
}
