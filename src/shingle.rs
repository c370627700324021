//! Shingles: overlapping k-grams of tokens, each hashed once to a `u64`.
//!
//! Input: normalised text (character shingles) or tokens (word shingles).
//! Output: the hash sequence in text order, or the sorted, deduplicated set
//! that Jaccard similarity and MinHash are defined on (Broder 1997).
//!
//! A text shorter than `shingle_len` tokens yields one shingle of its whole
//! text, never an empty set: an empty set would make every short text
//! "identical" to every other. Only an empty text has no shingles.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::redact::MASK;
use crate::utf8::utf8_len;

/// Makes shingle hashes from text or tokens.
///
/// # Examples
///
/// ```
/// use chachong::shingle::Shingler;
///
/// let shingler = Shingler::new(2, 7);
/// let set = shingler.char_set("高质量高质量");
/// // 高质 质量 量高: "高质" and "质量" repeat.
/// assert_eq!(set.len(), 3);
/// assert!(set.windows(2).all(|w| w[0] < w[1]));
/// assert_eq!(shingler.char_set("高"), shingler.char_set("高"));
/// assert_eq!(shingler.char_set("高").len(), 1);
/// assert!(shingler.char_set("").is_empty());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Shingler {
    shingle_len: usize,
    seed: u64,
}

impl Shingler {
    /// Shingles of `shingle_len` tokens, hashed with xxh3 under `seed`.
    ///
    /// # Panics
    ///
    /// If `shingle_len` is 0 ([`Config`](crate::Config) validation rejects it
    /// before a pipeline gets here).
    pub fn new(shingle_len: usize, seed: u64) -> Shingler {
        assert!(shingle_len > 0, "shingle_len must be at least 1");
        Shingler { shingle_len, seed }
    }

    /// Tokens per shingle.
    pub fn shingle_len(&self) -> usize {
        self.shingle_len
    }

    /// Appends the hashes of the character k-grams of `text` to `out`, in
    /// text order, repeats included.
    ///
    /// Each window is hashed as the `&str` slice it is, so no string is built
    /// per shingle.
    pub fn char_sequence_into(&self, text: &str, out: &mut Vec<u64>) {
        if text.is_empty() {
            return;
        }
        let starts = text.char_indices().map(|(at, _)| at);
        let mut ends = text
            .char_indices()
            .map(|(at, _)| at)
            .chain(std::iter::once(text.len()))
            .skip(self.shingle_len)
            .peekable();
        if ends.peek().is_none() {
            out.push(self.hash(text.as_bytes()));
            return;
        }
        out.extend(
            starts
                .zip(ends)
                .map(|(start, end)| self.hash(&text.as_bytes()[start..end])),
        );
    }

    /// Appends the hashes of the character k-grams of `text` that do not
    /// touch a [`MASK`] to `out`, in text order.
    ///
    /// A text without masks gives what
    /// [`char_sequence_into`](Self::char_sequence_into) gives. With masks,
    /// only whole windows count: a stretch of fewer than `shingle_len`
    /// characters between two masks gives nothing, so a redacted copy is
    /// neither penalised for what it hid nor credited for the mask.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::redact::MASK;
    /// use chachong::shingle::Shingler;
    ///
    /// let shingler = Shingler::new(2, 0);
    /// let mut out = Vec::new();
    /// let hidden = shingler.masked_char_sequence_into(&format!("县域{MASK}经济"), &mut out);
    /// assert_eq!(out, [shingler.char_set("县域")[0], shingler.char_set("经济")[0]]);
    /// // 域■ and ■经 touched the mask.
    /// assert_eq!(hidden, 2);
    /// ```
    ///
    /// Returns how many windows a mask kept out, as
    /// [`char_windows`](Self::char_windows) does.
    pub fn masked_char_sequence_into(&self, text: &str, out: &mut Vec<u64>) -> usize {
        self.char_windows(text, |_, hash| out.push(hash))
    }

    /// Calls `f(start, hash)` for every character k-gram of `text` that does
    /// not touch a [`MASK`], with `start` its first character's index, in
    /// text order: the windows of
    /// [`masked_char_sequence_into`](Self::masked_char_sequence_into), with
    /// their positions. A text without masks shorter than `shingle_len`
    /// gives one window at 0.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::redact::MASK;
    /// use chachong::shingle::Shingler;
    ///
    /// let mut starts = Vec::new();
    /// let hidden = Shingler::new(2, 0).char_windows(&format!("一二{MASK}三四五"), |start, _| starts.push(start));
    /// assert_eq!(starts, [0, 3, 4]);
    /// assert_eq!(hidden, 2);
    /// ```
    ///
    /// Returns how many of the text's windows touched a mask and were left
    /// out: what a redacted copy cannot show (0 for a text without masks).
    pub fn char_windows(&self, text: &str, mut f: impl FnMut(usize, u64)) -> usize {
        let bytes = text.as_bytes();
        // `clean` counts the characters since the last mask, so a window is
        // whole when it reaches `shingle_len`; `start` is the byte where the
        // next whole window begins, moved on one character per window. No
        // table of character starts is kept.
        let mut clean = 0;
        let mut start = 0;
        let mut chars = 0;
        let mut windows = 0;
        let mut masked = false;
        for (at, c) in text.char_indices() {
            chars += 1;
            if c == MASK {
                (clean, start, masked) = (0, at + c.len_utf8(), true);
                continue;
            }
            clean += 1;
            if clean >= self.shingle_len {
                f(
                    chars - self.shingle_len,
                    self.hash(&bytes[start..at + c.len_utf8()]),
                );
                windows += 1;
                start += utf8_len(bytes[start]);
            }
        }
        if !masked {
            if chars > 0 && chars < self.shingle_len {
                f(0, self.hash(bytes));
            }
            return 0;
        }
        let all_windows = chars.saturating_sub(self.shingle_len - 1);
        all_windows - windows
    }

    /// Appends the hashes of the token k-grams of `tokens` that contain no
    /// token holding a [`MASK`] to `out`, in order; like
    /// [`masked_char_sequence_into`](Self::masked_char_sequence_into) for
    /// tokens.
    pub fn masked_token_sequence_into(&self, tokens: &[&str], out: &mut Vec<u64>) {
        if !tokens.iter().any(|t| t.contains(MASK)) {
            return self.token_sequence_into(tokens, out);
        }
        for stretch in tokens.split(|t| t.contains(MASK)) {
            if stretch.len() >= self.shingle_len {
                self.token_sequence_into(stretch, out);
            }
        }
    }

    /// Appends the hashes of the token k-grams of `tokens` to `out`, in
    /// order, repeats included.
    ///
    /// Each token is hashed once; a shingle's hash chains its tokens' hashes
    /// in order, so `["中国", "人"]` and `["中", "国人"]` differ.
    pub fn token_sequence_into(&self, tokens: &[&str], out: &mut Vec<u64>) {
        if tokens.is_empty() {
            return;
        }
        let token_hashes: Vec<u64> = tokens.iter().map(|t| self.hash(t.as_bytes())).collect();
        let window = self.shingle_len.min(token_hashes.len());
        out.extend(token_hashes.windows(window).map(|w| self.combine(w)));
    }

    /// The sorted, deduplicated set of character shingles of `text`.
    pub fn char_set(&self, text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        self.char_sequence_into(text, &mut out);
        into_set(&mut out);
        out
    }

    /// The sorted, deduplicated set of token shingles of `tokens`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::shingle::Shingler;
    ///
    /// let shingler = Shingler::new(2, 1);
    /// let a = shingler.token_set(&["推进", "县域", "经济"]);
    /// let b = shingler.token_set(&["推进", "县域", "发展"]);
    /// assert_eq!(a.len(), 2);
    /// assert_eq!(a.iter().filter(|h| b.contains(h)).count(), 1);
    /// ```
    pub fn token_set(&self, tokens: &[&str]) -> Vec<u64> {
        let mut out = Vec::new();
        self.token_sequence_into(tokens, &mut out);
        into_set(&mut out);
        out
    }

    #[inline]
    fn hash(&self, bytes: &[u8]) -> u64 {
        xxh3_64_with_seed(bytes, self.seed)
    }

    /// Order-sensitive combination of token hashes: multiply-rotate chain,
    /// then the murmur3 finaliser so that every input bit reaches every
    /// output bit.
    fn combine(&self, token_hashes: &[u64]) -> u64 {
        let mut h = self.seed ^ (token_hashes.len() as u64);
        for &t in token_hashes {
            h = (h ^ t).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(31);
        }
        fmix64(h)
    }
}

/// Sorts and deduplicates `hashes` in place, turning a shingle sequence into
/// a shingle set.
///
/// # Examples
///
/// ```
/// let mut v = vec![3, 1, 3, 2];
/// chachong::shingle::into_set(&mut v);
/// assert_eq!(v, [1, 2, 3]);
/// ```
pub fn into_set(hashes: &mut Vec<u64>) {
    hashes.sort_unstable();
    hashes.dedup();
}

/// The murmur3 64-bit finaliser: a bijection that spreads every input bit
/// over the output.
pub(crate) fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! t {
        ($name:ident, $k:expr, $text:expr, $len:expr) => {
            #[test]
            fn $name() {
                let mut out = Vec::new();
                Shingler::new($k, 0).char_sequence_into($text, &mut out);
                assert_eq!(out.len(), $len);
            }
        };
    }

    t!(empty_has_none, 5, "", 0);
    t!(shorter_than_k_has_one, 5, "同志们", 1);
    t!(exactly_k_has_one, 3, "同志们", 1);
    t!(windows, 2, "县域经济", 3);
    t!(k1_is_chars, 1, "县域经济", 4);

    #[test]
    fn windows_are_the_char_slices() {
        let s = Shingler::new(2, 9);
        let mut out = Vec::new();
        s.char_sequence_into("a中b", &mut out);
        assert_eq!(
            out,
            vec![s.hash("a中".as_bytes()), s.hash("中b".as_bytes())]
        );
    }

    /// The windows of `char_windows` found the plain way: every window of
    /// `k` characters holding no mask, through a table of character starts.
    fn naive_windows(s: &Shingler, text: &str) -> (Vec<(usize, u64)>, usize) {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(at, _)| at)
            .chain([text.len()])
            .collect();
        let chars: Vec<char> = text.chars().collect();
        let k = s.shingle_len();
        if !chars.contains(&MASK) {
            if chars.is_empty() {
                return (Vec::new(), 0);
            }
            if chars.len() < k {
                return (vec![(0, s.hash(text.as_bytes()))], 0);
            }
        }
        let all = chars.len().saturating_sub(k - 1);
        let windows: Vec<(usize, u64)> = (0..all)
            .filter(|&i| !chars[i..i + k].contains(&MASK))
            .map(|i| (i, s.hash(&text.as_bytes()[bounds[i]..bounds[i + k]])))
            .collect();
        let hidden = if chars.contains(&MASK) {
            all - windows.len()
        } else {
            0
        };
        (windows, hidden)
    }

    #[test]
    fn windows_agree_with_the_plain_way() {
        let m = MASK;
        let texts = [
            String::new(),
            m.to_string(),
            format!("{m}{m}"),
            "一".to_string(),
            format!("一{m}"),
            "a中b".to_string(),
            format!("县域{m}经济{m}{m}高质量发展😀是x{m}"),
            format!("{m}推进县域经济高质量发展{m}"),
            "mixed ascii and 中文 and émoji 😀😀".to_string(),
        ];
        for k in 1..=6 {
            let s = Shingler::new(k, 3);
            for text in &texts {
                let mut got = Vec::new();
                let hidden = s.char_windows(text, |start, hash| got.push((start, hash)));
                assert_eq!((got, hidden), naive_windows(&s, text), "k = {k}, {text:?}");
            }
        }
    }

    #[test]
    fn seed_changes_hashes() {
        assert_ne!(
            Shingler::new(3, 1).char_set("县域经济"),
            Shingler::new(3, 2).char_set("县域经济")
        );
    }

    #[test]
    fn short_text_sets_differ() {
        let s = Shingler::new(5, 0);
        assert_ne!(s.char_set("同志们"), s.char_set("朋友们"));
    }

    #[test]
    fn token_order_matters() {
        let s = Shingler::new(2, 0);
        assert_ne!(s.token_set(&["中国", "人"]), s.token_set(&["中", "国人"]));
        assert_ne!(s.token_set(&["甲", "乙"]), s.token_set(&["乙", "甲"]));
        assert_eq!(s.token_set(&["甲"]).len(), 1);
        assert!(s.token_set(&[]).is_empty());
    }
}
