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
use crate::utf8::for_each_code;

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
    /// Keys of the packed windows' hash, drawn from `seed`.
    keys: [u64; 2],
}

/// Windows of up to this many characters are hashed from their code points
/// packed into two 64-bit words (21 bits each); longer ones with xxh3 over
/// their code points' bytes.
pub const PACKED_CHARS: usize = 6;

/// Bits of one code point in a packed window.
const CODE_BITS: u32 = 21;

/// The bits of the last `k` code points (at most three) in the rolled word.
const LOW_MASK: [u64; PACKED_CHARS + 1] = [
    0,
    (1 << 21) - 1,
    (1 << 42) - 1,
    (1 << 63) - 1,
    (1 << 63) - 1,
    (1 << 63) - 1,
    (1 << 63) - 1,
];

/// Windows of up to this many characters too long to pack are hashed from
/// a buffer on the stack.
const STACK_CHARS: usize = 16;

/// Code points packed [`CODE_BITS`] apart, the first lowest (at most
/// three fit a word).
#[inline]
fn pack<'c>(codes: impl Iterator<Item = &'c u32>) -> u64 {
    codes.enumerate().fold(0, |packed, (i, &c)| {
        packed | u64::from(c) << (CODE_BITS as usize * i)
    })
}

/// Calls `f` with the index of every [`MASK`] in `codes`, in order.
fn for_each_mask(codes: &[u32], mut f: impl FnMut(usize)) {
    let mask = u32::from(MASK);
    // Sixteen at a time without an early exit (a vector compare), then one
    // at a time in the rare block that holds a mask: most texts have none.
    let mut blocks = codes.chunks_exact(16);
    for (block_index, block) in blocks.by_ref().enumerate() {
        if block.iter().fold(false, |any, &c| any | (c == mask)) {
            let start = block_index * 16;
            (0..16)
                .filter(|&i| block[i] == mask)
                .for_each(|i| f(start + i));
        }
    }
    let start = codes.len() - blocks.remainder().len();
    for (i, &c) in blocks.remainder().iter().enumerate() {
        if c == mask {
            f(start + i);
        }
    }
}

/// Whether [`MASK`] hides the windows that touch it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Masks {
    /// A window holding a mask is left out (the fingerprint's shingles).
    Hide,
    /// A mask is a character like any other.
    Ordinary,
}

/// The code points of `text`.
fn codes_of(text: &str) -> Vec<u32> {
    let mut codes = Vec::with_capacity(text.len());
    for_each_code(text, |code| codes.push(code));
    codes
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
        let key = |i: u64| fmix64(seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        Shingler {
            shingle_len,
            seed,
            keys: [key(1), key(2)],
        }
    }

    /// Tokens per shingle.
    pub fn shingle_len(&self) -> usize {
        self.shingle_len
    }

    /// Appends the hashes of the character k-grams of `text` to `out`, in
    /// text order, repeats included.
    ///
    /// The text is read once into code points and each window hashed from
    /// them ([`code_windows`](Self::code_windows)); no string or slice is
    /// hashed.
    pub fn char_sequence_into(&self, text: &str, out: &mut Vec<u64>) {
        let codes = codes_of(text);
        self.code_windows(&codes, Masks::Ordinary, |_, hash| out.push(hash));
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
    pub fn char_windows(&self, text: &str, f: impl FnMut(usize, u64)) -> usize {
        self.code_windows(&codes_of(text), Masks::Hide, f)
    }

    /// [`char_windows`](Self::char_windows) (`masks` [`Masks::Hide`]) or
    /// the windows of [`char_sequence_into`](Self::char_sequence_into)
    /// ([`Masks::Ordinary`]) of a text given as its code points: what the
    /// fingerprint pass calls with the code points the normaliser wrote, so
    /// the text is not decoded again.
    ///
    /// Up to [`PACKED_CHARS`] characters, a window is hashed from its code
    /// points packed 21 bits each: the last three in one 64-bit word, the
    /// ones before in another, the two multiplied into 128 bits and the
    /// halves folded (`a × b`, high half xor low half, with keys drawn from
    /// the seed). The packing is exact, so two windows share a hash only by
    /// the fold's chance. Longer windows are hashed with xxh3 over their
    /// code points' bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::redact::MASK;
    /// use chachong::shingle::{Masks, Shingler};
    ///
    /// let shingler = Shingler::new(2, 0);
    /// let text = format!("一二{MASK}三四五");
    /// let codes: Vec<u32> = text.chars().map(u32::from).collect();
    /// let (mut from_codes, mut from_text) = (Vec::new(), Vec::new());
    /// shingler.code_windows(&codes, Masks::Hide, |start, hash| from_codes.push((start, hash)));
    /// shingler.char_windows(&text, |start, hash| from_text.push((start, hash)));
    /// assert_eq!(from_codes, from_text);
    /// ```
    pub fn code_windows(&self, codes: &[u32], masks: Masks, f: impl FnMut(usize, u64)) -> usize {
        match self.shingle_len {
            1 => self.windows_of::<1>(codes, masks, f),
            2 => self.windows_of::<2>(codes, masks, f),
            3 => self.windows_of::<3>(codes, masks, f),
            4 => self.windows_of::<4>(codes, masks, f),
            5 => self.windows_of::<5>(codes, masks, f),
            6 => self.windows_of::<6>(codes, masks, f),
            _ => self.long_windows(codes, masks, f),
        }
    }

    /// Appends the hashes [`code_windows`](Self::code_windows) gives for
    /// `codes` with [`Masks::Hide`] to `out`, in order, and returns how many
    /// windows a mask hid: the same hashes, without a call per window.
    /// `codes` are Unicode scalar values (at most `0x10FFFF`, as a decoded
    /// text's are); other `u32`s may hash differently from `code_windows`.
    ///
    /// The fingerprint pass fills its sequence with this. Each stretch
    /// between masks is hashed in one loop that carries nothing from one
    /// window to the next (each window's code points are read again), so
    /// the windows' multiplies overlap and the vector is grown once.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::redact::MASK;
    /// use chachong::shingle::{Masks, Shingler};
    ///
    /// let shingler = Shingler::new(3, 0);
    /// let codes: Vec<u32> = format!("一二三{MASK}四五六七").chars().map(u32::from).collect();
    /// let (mut one_by_one, mut at_once) = (Vec::new(), Vec::new());
    /// let hidden = shingler.code_windows(&codes, Masks::Hide, |_, hash| one_by_one.push(hash));
    /// assert_eq!(shingler.code_hashes_into(&codes, &mut at_once), hidden);
    /// assert_eq!(at_once, one_by_one);
    /// assert_eq!(at_once.len(), 3);
    /// ```
    pub fn code_hashes_into(&self, codes: &[u32], out: &mut Vec<u64>) -> usize {
        match self.shingle_len {
            1 => self.hashes_of::<1>(codes, out),
            2 => self.hashes_of::<2>(codes, out),
            3 => self.hashes_of::<3>(codes, out),
            4 => self.hashes_of::<4>(codes, out),
            5 => self.hashes_of::<5>(codes, out),
            6 => self.hashes_of::<6>(codes, out),
            _ => self.long_windows(codes, Masks::Hide, |_, hash| out.push(hash)),
        }
    }

    /// [`code_hashes_into`](Self::code_hashes_into) for windows of `K`
    /// characters, `K` at most [`PACKED_CHARS`].
    fn hashes_of<const K: usize>(&self, codes: &[u32], out: &mut Vec<u64>) -> usize {
        let before = out.len();
        let mut from = 0;
        let mut masked = false;
        for_each_mask(codes, |at| {
            self.stretch_hashes::<K>(&codes[from..at], out);
            (from, masked) = (at + 1, true);
        });
        self.stretch_hashes::<K>(&codes[from..], out);
        if masked {
            return self.hidden(codes.len(), out.len() - before);
        }
        self.whole_if_short(codes, &mut |_, hash| out.push(hash));
        0
    }

    /// Appends the hash of every window of `K` characters of `codes`.
    #[inline]
    fn stretch_hashes<const K: usize>(&self, codes: &[u32], out: &mut Vec<u64>) {
        let [low_key, high_key] = self.keys;
        // The window's code points packed as `code_windows` rolls them:
        // the last three in `low`, the ones before in `high`, the later
        // the lower.
        out.extend(codes.windows(K).map(|window| {
            // Always K long: the array lets the packing unroll.
            let window: &[u32; K] = window.try_into().unwrap_or(&[0; K]);
            let (mut low, mut high) = (0u64, 0u64);
            for back in 0..K {
                let code = u64::from(window[K - 1 - back]);
                if back < 3 {
                    low |= code << (CODE_BITS as usize * back);
                } else {
                    high |= code << (CODE_BITS as usize * (back - 3));
                }
            }
            let product = u128::from(low ^ low_key) * u128::from(high ^ high_key);
            (product as u64) ^ ((product >> 64) as u64)
        }));
    }

    /// [`code_windows`](Self::code_windows) for windows of `K` characters,
    /// `K` at most [`PACKED_CHARS`]. The last three code points are rolled
    /// into `low` as the text is read (bits above 64 fall off); the ones
    /// before are read back from `codes`, so nothing but `low` is carried
    /// from one character to the next.
    fn windows_of<const K: usize>(
        &self,
        codes: &[u32],
        masks: Masks,
        mut f: impl FnMut(usize, u64),
    ) -> usize {
        let hide = masks == Masks::Hide;
        // A window ending at `i` is whole when no mask lies in it: when
        // `i + 1 >= clean_from + K`.
        let mut clean_from = 0;
        let mut low = 0u64;
        let mut windows = 0;
        let mut masked = false;
        for (i, &code) in codes.iter().enumerate() {
            low = (low << CODE_BITS) | u64::from(code);
            if hide && code == u32::from(MASK) {
                (clean_from, masked) = (i + 1, true);
                continue;
            }
            if i + 1 >= clean_from + K {
                let window = &codes[i + 1 - K..=i];
                f(i + 1 - K, self.packed_hash(low & LOW_MASK[K], window));
                windows += 1;
            }
        }
        if masked {
            return self.hidden(codes.len(), windows);
        }
        self.whole_if_short(codes, &mut f);
        0
    }

    /// How many of the windows of a text of `chars` characters touched a
    /// mask, `windows` having been given.
    fn hidden(&self, chars: usize, windows: usize) -> usize {
        chars.saturating_sub(self.shingle_len - 1) - windows
    }

    /// Gives a text without masks shorter than a window one shingle of its
    /// whole text.
    fn whole_if_short(&self, codes: &[u32], f: &mut impl FnMut(usize, u64)) {
        if !codes.is_empty() && codes.len() < self.shingle_len {
            f(0, self.window_hash(codes));
        }
    }

    /// [`code_windows`](Self::code_windows) for windows longer than
    /// [`PACKED_CHARS`].
    fn long_windows(&self, codes: &[u32], masks: Masks, mut f: impl FnMut(usize, u64)) -> usize {
        let k = self.shingle_len;
        let hide = masks == Masks::Hide;
        let mut clean_from = 0;
        let mut windows = 0;
        let mut masked = false;
        for (i, &code) in codes.iter().enumerate() {
            if hide && code == u32::from(MASK) {
                (clean_from, masked) = (i + 1, true);
                continue;
            }
            if i + 1 >= clean_from + k {
                f(i + 1 - k, self.window_hash(&codes[i + 1 - k..=i]));
                windows += 1;
            }
        }
        if masked {
            return self.hidden(codes.len(), windows);
        }
        self.whole_if_short(codes, &mut f);
        0
    }

    /// The hash of one window (or of a text shorter than one), given as its
    /// code points.
    fn window_hash(&self, window: &[u32]) -> u64 {
        if self.shingle_len > PACKED_CHARS {
            return self.code_bytes_hash(window);
        }
        self.packed_hash(pack(window.iter().rev().take(3)), window)
    }

    /// The hash of the little-endian bytes of `codes`: windows too long to
    /// pack. Up to [`STACK_CHARS`] code points without an allocation.
    fn code_bytes_hash(&self, codes: &[u32]) -> u64 {
        let bytes = |buffer: &mut [u8]| {
            for (out, c) in buffer.chunks_exact_mut(4).zip(codes) {
                out.copy_from_slice(&c.to_le_bytes());
            }
        };
        if codes.len() <= STACK_CHARS {
            let mut buffer = [0u8; 4 * STACK_CHARS];
            let buffer = &mut buffer[..4 * codes.len()];
            bytes(buffer);
            self.hash(buffer)
        } else {
            let mut buffer = vec![0u8; 4 * codes.len()];
            bytes(&mut buffer);
            self.hash(&buffer)
        }
    }

    /// The packed hash of `window` (at most [`PACKED_CHARS`] code points),
    /// whose last three are already packed in `low`.
    #[inline]
    fn packed_hash(&self, low: u64, window: &[u32]) -> u64 {
        // No code point of a normalised text is 0 (controls are dropped),
        // so a text shorter than a window, packed the same way, is never
        // taken for one.
        let high = pack(window.iter().rev().skip(3));
        let product = u128::from(low ^ self.keys[0]) * u128::from(high ^ self.keys[1]);
        (product as u64) ^ ((product >> 64) as u64)
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

    impl Shingler {
        /// The hash of `text` taken as one window, the plain way.
        fn text_hash(&self, text: &str) -> u64 {
            self.window_hash(&text.chars().map(u32::from).collect::<Vec<_>>())
        }
    }

    #[test]
    fn windows_are_the_char_slices() {
        for k in [2, 7] {
            let s = Shingler::new(k, 9);
            let text = "a中b".repeat(k);
            let mut out = Vec::new();
            s.char_sequence_into(&text, &mut out);
            let chars: Vec<char> = text.chars().collect();
            let want: Vec<u64> = chars
                .windows(k)
                .map(|w| s.text_hash(&w.iter().collect::<String>()))
                .collect();
            assert_eq!(out, want, "k = {k}");
        }
    }

    #[test]
    fn packed_windows_do_not_collide_and_spread_evenly() {
        // Every window of 5 characters over a 40-character alphabet that
        // mixes ASCII, ideographs and one character beyond the BMP: 102
        // million would be too many, so the first 300,000 in order.
        let alphabet: Vec<char> =
            "ab01,.中国县域经济发展高质量是新时代赋予我们的重大任务😀、。“”xyz"
                .chars()
                .collect();
        let s = Shingler::new(5, 7);
        let n = alphabet.len();
        let mut hashes: Vec<u64> = (0..300_000usize)
            .map(|mut i| {
                let mut w = String::new();
                for _ in 0..5 {
                    w.push(alphabet[i % n]);
                    i /= n;
                }
                s.text_hash(&w)
            })
            .collect();
        // Sixteen bins by the top bits and by the low bits (the one-
        // permutation sketch bins by one, the band keys read the other).
        for shift in [60, 0] {
            let mut bins = [0usize; 16];
            for h in &hashes {
                bins[((h >> shift) & 15) as usize] += 1;
            }
            let expected = hashes.len() as f64 / 16.0;
            let chi2: f64 = bins
                .iter()
                .map(|&b| (b as f64 - expected).powi(2) / expected)
                .sum();
            // 15 degrees of freedom: above 40 happens once in 3,000 runs.
            assert!(chi2 < 40.0, "shift {shift}: {bins:?}");
        }
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), 300_000);
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
                return (vec![(0, s.text_hash(text))], 0);
            }
        }
        let all = chars.len().saturating_sub(k - 1);
        let windows: Vec<(usize, u64)> = (0..all)
            .filter(|&i| !chars[i..i + k].contains(&MASK))
            .map(|i| (i, s.text_hash(&text[bounds[i]..bounds[i + k]])))
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
        for k in 1..=8 {
            let s = Shingler::new(k, 3);
            for text in &texts {
                let mut got = Vec::new();
                let hidden = s.char_windows(text, |start, hash| got.push((start, hash)));
                assert_eq!((got, hidden), naive_windows(&s, text), "k = {k}, {text:?}");
            }
        }
    }

    #[test]
    fn hashes_at_once_are_the_windows_hashes() {
        let m = MASK;
        // Masks at either end, side by side, and stretches around a window
        // long; a long text so that the loop runs past any unrolling.
        let long: String = "推进县域经济高质量发展".repeat(40);
        let texts = [
            String::new(),
            m.to_string(),
            format!("{m}{m}"),
            "一".to_string(),
            format!("一{m}"),
            format!("{m}一二三四五六{m}{m}一二{m}一二三四五六七八九"),
            format!("县域{m}经济{m}{m}高质量发展😀是x{m}"),
            long.clone(),
            format!("{long}{m}{long}"),
            // A mask in the tail after whole blocks of sixteen.
            format!("一二三四五六七八九十一二三四五六七{m}八九"),
        ];
        for k in 1..=8 {
            let s = Shingler::new(k, 3);
            for text in &texts {
                let codes = codes_of(text);
                let mut one_by_one = vec![42];
                let hidden = s.code_windows(&codes, Masks::Hide, |_, hash| one_by_one.push(hash));
                let mut at_once = vec![42];
                let at_once_hidden = s.code_hashes_into(&codes, &mut at_once);
                assert_eq!(at_once, one_by_one, "k = {k}, {text:?}");
                assert_eq!(at_once_hidden, hidden, "k = {k}, {text:?}");
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
