//! Characters whose places in a normalised text the caller wants to know.
//!
//! The mask folder rewrites a text only around a few characters (`*`, `x`,
//! `某`, `…`): the ones a mask run can start with. The normaliser emits
//! every character anyway, so it notes where those land as it writes them,
//! and the folder then visits those places alone instead of scanning the
//! whole text a second time (most paragraphs have none).

/// First code point of the ideograph bit set (CJK extension A).
const IDEOGRAPHS_START: u32 = 0x3400;
/// One past the last (the end of the CJK Unified Ideographs).
const IDEOGRAPHS_END: u32 = 0xA000;

/// What a fullwidth form of ASCII less its ASCII character is.
const FULLWIDTH_OFFSET: u32 = 0xFEE0;

/// A set of ideographs of the range the normaliser's runs hold (U+3400 to
/// U+9FFF), one bit each: a few kilobytes, read in the ideograph loop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IdeographSet {
    /// Empty when the set is, so an empty set costs one length test.
    bits: Vec<u64>,
}

impl IdeographSet {
    /// Adds ideograph `code` (a code point of the range; others are not
    /// held and are ignored).
    pub(crate) fn insert(&mut self, code: u32) {
        if !(IDEOGRAPHS_START..IDEOGRAPHS_END).contains(&code) {
            return;
        }
        let words = ((IDEOGRAPHS_END - IDEOGRAPHS_START) as usize).div_ceil(64);
        self.bits.resize(words, 0);
        let at = (code - IDEOGRAPHS_START) as usize;
        self.bits[at / 64] |= 1 << (at % 64);
    }

    /// Adds every ideograph of `other`.
    fn extend(&mut self, other: &IdeographSet) {
        if other.bits.is_empty() {
            return;
        }
        self.bits.resize(other.bits.len(), 0);
        for (mine, theirs) in self.bits.iter_mut().zip(&other.bits) {
            *mine |= theirs;
        }
    }

    /// Whether ideograph `code` is in the set.
    #[inline]
    pub(crate) fn contains(&self, code: u32) -> bool {
        let at = code.wrapping_sub(IDEOGRAPHS_START) as usize;
        self.bits
            .get(at / 64)
            .is_some_and(|bits| bits >> (at % 64) & 1 != 0)
    }
}

/// The characters that continue a run of ideographs: one bit for each
/// code point of the Basic Multilingual Plane (8 KB, read once a
/// character in the normaliser's busiest loop, so one test decides).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RunSet {
    bits: Box<[u64; 1024]>,
}

impl std::fmt::Debug for RunSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held: u32 = self.bits.iter().map(|w| w.count_ones()).sum();
        write!(f, "RunSet({held} characters)")
    }
}

impl RunSet {
    /// The ideographs of the runs' range but `stops`, and `through`
    /// (characters of the Basic Multilingual Plane; others are ignored).
    fn ideographs_but(stops: &IdeographSet, through: &[char]) -> RunSet {
        let mut bits = Box::new([0u64; 1024]);
        let ideographs = (0x3400..=0x4DBF).chain(0x4E00..=0x9FFF);
        let codes = ideographs.filter(|&code| !stops.contains(code)).chain(
            through
                .iter()
                .map(|&c| c as u32)
                .filter(|&code| code <= 0xFFFF),
        );
        for code in codes {
            bits[code as usize / 64] |= 1 << (code % 64);
        }
        RunSet { bits }
    }

    /// Whether the BMP character `code` (at most U+FFFF) continues a run.
    #[inline]
    pub(crate) fn contains(&self, code: u16) -> bool {
        self.bits[usize::from(code / 64)] >> (code % 64) & 1 != 0
    }
}

/// A set of characters, with a look-up for each kind the normaliser's
/// paths emit (ASCII, ideographs, the rest), and the ideographs a run of
/// them must stop before: the watched ones, and those the normaliser
/// itself changes (traditional characters), so that a run is copied
/// whole and each of those goes through the character path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Watch {
    /// Bit `b` set: ASCII byte `b` is watched.
    ascii: u128,
    ideographs: IdeographSet,
    /// Every other watched character.
    others: Vec<char>,
    /// Bit `c % 64` set for each of `others`: most characters are told
    /// apart without reading the list.
    others_filter: u64,
    /// What ends an ideograph run.
    stops: IdeographSet,
    /// Characters outside the ideograph blocks that a run goes on
    /// through: punctuation every step leaves as it is, none of it
    /// watched.
    through: Vec<char>,
    /// The ideographs but `stops`, and `through`.
    runs: RunSet,
    /// Fullwidth forms of ASCII (U+FF01 to U+FF5E) whose ASCII character
    /// every step writes as it is, neither watched.
    fullwidth: Vec<char>,
    /// Bit `c - U+FF00` set for each of `fullwidth`.
    fullwidth_bits: u128,
}

impl Default for Watch {
    fn default() -> Watch {
        Watch::new([])
    }
}

impl Watch {
    /// The set of `chars`.
    pub(crate) fn new(chars: impl IntoIterator<Item = char>) -> Watch {
        let mut watch = Watch {
            ascii: 0,
            ideographs: IdeographSet::default(),
            others: Vec::new(),
            others_filter: 0,
            stops: IdeographSet::default(),
            through: Vec::new(),
            runs: RunSet::ideographs_but(&IdeographSet::default(), &[]),
            fullwidth: Vec::new(),
            fullwidth_bits: 0,
        };
        for c in chars {
            let code = c as u32;
            if c.is_ascii() {
                watch.ascii |= 1 << code;
            } else if (IDEOGRAPHS_START..IDEOGRAPHS_END).contains(&code) {
                watch.ideographs.insert(code);
                watch.stops.insert(code);
            } else if !watch.others.contains(&c) {
                watch.others.push(c);
                watch.others_filter |= 1 << (code % 64);
            }
        }
        watch.runs = RunSet::ideographs_but(&watch.stops, &watch.through);
        watch
    }

    /// The same set, whose ideograph runs also stop before every
    /// ideograph of `changed`.
    pub(crate) fn stopping_before(mut self, changed: &IdeographSet) -> Watch {
        self.stops.extend(changed);
        self.runs = RunSet::ideographs_but(&self.stops, &self.through);
        self
    }

    /// The same set, whose runs also go on through `unchanged`: ASCII
    /// and three-byte characters outside the ideograph blocks that the
    /// normaliser writes as they are. A watched one still stops a run (its
    /// place must be noted).
    pub(crate) fn going_through(mut self, unchanged: &[char]) -> Watch {
        let through = unchanged.iter().copied().filter(|&c| {
            let code = c as u32;
            (code < 0x80 || (0x800..=0xFFFF).contains(&code))
                && !(IDEOGRAPHS_START..IDEOGRAPHS_END).contains(&code)
                && !self.contains(c)
        });
        self.through = through.collect();
        self.runs = RunSet::ideographs_but(&self.stops, &self.through);
        self
    }

    /// The same set, with `forms`: fullwidth forms of ASCII whose ASCII
    /// character the normaliser writes as it is, so that
    /// [`fullwidth_ascii`](Self::fullwidth_ascii) can write it without
    /// the character path. A watched one, or one whose ASCII is watched,
    /// is left to the character path (its place must be noted).
    pub(crate) fn folding_fullwidth(mut self, forms: &[char]) -> Watch {
        let folds = |c: char| {
            let ascii = (c as u32)
                .checked_sub(FULLWIDTH_OFFSET)
                .and_then(char::from_u32);
            (0xFF01..=0xFF5E).contains(&(c as u32))
                && !self.contains(c)
                && ascii.is_some_and(|a| !self.contains(a))
        };
        self.fullwidth = forms.iter().copied().filter(|&c| folds(c)).collect();
        self.fullwidth_bits = self
            .fullwidth
            .iter()
            .fold(0, |bits, &c| bits | 1 << (c as u32 - 0xFF00));
        self
    }

    /// The fullwidth forms [`fullwidth_ascii`](Self::fullwidth_ascii)
    /// folds.
    pub(crate) fn fullwidth(&self) -> &[char] {
        &self.fullwidth
    }

    /// The ASCII character of the fullwidth form `bytes` start with, if it
    /// is one of [`fullwidth`](Self::fullwidth): Chinese text's own
    /// punctuation, `，；：（）`, read off its three bytes.
    #[inline]
    pub(crate) fn fullwidth_ascii(&self, bytes: &[u8]) -> Option<u8> {
        // U+FF01 to U+FF5E are EF BC 81 to EF BD 9E.
        let [0xEF, lead @ (0xBC | 0xBD), last, ..] = *bytes else {
            return None;
        };
        let index = (u32::from(lead & 0x03) << 6) | u32::from(last & 0x3F);
        let folded = index < 128 && self.fullwidth_bits >> index & 1 != 0;
        // `index` is the code point less U+FF00, ASCII less 0x20.
        folded.then(|| (index + 0x20) as u8)
    }

    /// The ideographs a run stops before.
    pub(crate) fn stops(&self) -> &IdeographSet {
        &self.stops
    }

    /// The characters outside the ideograph blocks a run goes on through.
    pub(crate) fn through(&self) -> &[char] {
        &self.through
    }

    /// The characters that continue a run.
    pub(crate) fn runs(&self) -> &RunSet {
        &self.runs
    }

    /// Whether `c` is watched.
    #[inline]
    pub(crate) fn contains(&self, c: char) -> bool {
        match c as u32 {
            code @ 0..=0x7F => self.ascii >> code & 1 != 0,
            code @ IDEOGRAPHS_START..IDEOGRAPHS_END => self.ideographs.contains(code),
            code => self.others_filter >> (code % 64) & 1 != 0 && self.others.contains(&c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_found_and_nothing_else() {
        let watch = Watch::new("*x某㐀鿿…■\u{E000}".chars());
        let watched = |c: char| watch.contains(c);
        assert!("*x某㐀鿿…■\u{E000}".chars().all(watched));
        assert!(!"X+y甲丁。\u{E040}".chars().any(watched));
        assert!(watch.stops().contains('某' as u32) && !watch.stops().contains('些' as u32));
        assert_eq!(Watch::new("*".chars()).stops(), &IdeographSet::default());
        assert!(!Watch::default().contains('*'));
    }

    #[test]
    fn runs_also_stop_before_what_the_normaliser_changes() {
        let mut changed = IdeographSet::default();
        changed.insert('發' as u32);
        changed.insert('𠀀' as u32);
        let watch = Watch::new("某".chars()).stopping_before(&changed);
        assert!(watch.stops().contains('發' as u32) && watch.stops().contains('某' as u32));
        assert!(!watch.contains('發') && !watch.stops().contains('𠀀' as u32));
        let runs = watch.runs();
        assert!(
            runs.contains('发' as u16) && runs.contains('㐀' as u16) && runs.contains('鿿' as u16)
        );
        assert!(
            !runs.contains('發' as u16)
                && !runs.contains('某' as u16)
                && !runs.contains('、' as u16)
        );
        assert!(!runs.contains(b'a'.into()) && !runs.contains(0x4DC0));
    }

    #[test]
    fn runs_go_through_what_is_unchanged_but_watched() {
        let watch = Watch::new("…“x".chars())
            .going_through(&['、', '。', '“', '…', '·', 'a', 'x', '发', '𠀀']);
        // Watched (“, …, x), two or four bytes (·, 𠀀) or an ideograph:
        // not taken.
        assert_eq!(watch.through(), ['、', '。', 'a']);
        let runs = watch.runs();
        assert!(runs.contains('、' as u16) && runs.contains('。' as u16));
        assert!(runs.contains('中' as u16) && runs.contains(b'a'.into()));
        assert!(!runs.contains(b'x'.into()) && !runs.contains('“' as u16));
        assert!(!runs.contains('…' as u16) && !runs.contains('·' as u16));
        // Fullwidth forms: read off their bytes, both ends of the block;
        // a watched one or one whose ASCII is watched is left out.
        let forms =
            Watch::new("x…".chars()).folding_fullwidth(&['！', '，', '～', 'ｘ', 'ａ', '…']);
        assert_eq!(forms.fullwidth(), ['！', '，', '～', 'ａ']);
        let ascii = |s: &str| forms.fullwidth_ascii(s.as_bytes());
        assert_eq!(
            (ascii("！x"), ascii("，"), ascii("～"), ascii("ａ")),
            (Some(b'!'), Some(b','), Some(b'~'), Some(b'a'))
        );
        assert_eq!(
            (
                ascii("ｘ"),
                ascii("；"),
                ascii("中"),
                ascii("ｰ"),
                ascii(",")
            ),
            (None, None, None, None, None)
        );
        // Stopping before more keeps what runs go through.
        let mut changed = IdeographSet::default();
        changed.insert('發' as u32);
        let runs = watch.stopping_before(&changed).runs().clone();
        assert!(runs.contains('、' as u16) && !runs.contains('發' as u16));
    }
}
