//! Normalisation: the text a fingerprint sees.
//!
//! Input: a `&str` as written. Output: a [`Normalized`] text plus, for every
//! normalised character, the byte offset in the input it came from, so that a
//! match found on normalised text can be shown in the original.
//!
//! The steps, each set in [`NormalizeConfig`]:
//!
//! 1. **NFKC**, one character cluster (a character and the combining marks
//!    after it) at a time. This folds full-width Latin letters, digits and
//!    punctuation (`ＡＢＣ１２３，`) to their ASCII forms, which Chinese web text
//!    mixes freely. CJK ideographs and ASCII are NFKC-stable and skip the
//!    table look-up.
//! 2. **Whitespace**: removed (the default, right for Chinese, where spaces
//!    are layout), collapsed to one space (for space-delimited languages), or
//!    kept.
//! 3. **Punctuation** ([`Punctuation`]): kept by default. `Remove` drops ASCII
//!    punctuation, the General Punctuation block (U+2010–U+205E, which holds
//!    `“”‘’…—`), CJK punctuation (`、。〈〉《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〽`),
//!    the CJK compatibility and small forms (U+FE10–U+FE4F) and the remaining
//!    full-width punctuation. `*` is never punctuation: it is the commonest
//!    redaction mask, and hiding it would make a redacted copy look verbatim.
//! 4. **Lower-casing** (on by default), after NFKC.
//! 5. **Traditional characters** folded to simplified ones, one for one, by
//!    OpenCC's character table (on by default with the `traditional`
//!    feature; see `traditional.rs`): 發展 and 发展 are one text, and every
//!    position still points at the character as written.
//!
//! Whatever the settings, characters that show nothing are dropped:
//! private-use code points (U+E000–U+F8FF and planes 15–16, where scraped
//! pages leave icon-font glyphs), format characters (zero-width space and
//! joiners, soft hyphen, bidirectional controls, the byte order mark) and
//! control characters other than whitespace. Two copies of a page, one
//! scraped with an invisible U+E004 at every line end, are the same text.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

mod traditional;
mod watch;

pub(crate) use self::traditional::table as traditional_table;
use self::traditional::Table;
use self::watch::RunSet;
pub(crate) use self::watch::Watch;

/// What to do with whitespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Whitespace {
    /// Delete every whitespace character (default; right for Chinese).
    #[default]
    Remove,
    /// Replace each run of whitespace with one space, and drop it at the
    /// start and end (right for space-delimited languages).
    Collapse,
    /// Leave whitespace as it is.
    Keep,
}

/// What to do with punctuation (the set is listed in the
/// [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Punctuation {
    /// Leave punctuation in (default).
    #[default]
    Keep,
    /// Drop punctuation.
    Remove,
}

/// Settings of the [`Normalizer`].
///
/// # Examples
///
/// ```
/// use chachong::normalize::{NormalizeConfig, Whitespace};
///
/// let config = NormalizeConfig::default();
/// assert!(config.nfkc && config.lowercase);
/// assert_eq!(config.whitespace, Whitespace::Remove);
/// assert!(config.fold_traditional); // with the default features
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormalizeConfig {
    /// Apply NFKC (default `true`).
    pub nfkc: bool,
    /// Whitespace policy (default [`Whitespace::Remove`]).
    pub whitespace: Whitespace,
    /// Punctuation policy (default [`Punctuation::Keep`]).
    pub punctuation: Punctuation,
    /// Lower-case letters (default `true`).
    pub lowercase: bool,
    /// Fold traditional characters to simplified ones (default `true` with
    /// the `traditional` feature, which it needs).
    pub fold_traditional: bool,
}

impl Default for NormalizeConfig {
    fn default() -> NormalizeConfig {
        NormalizeConfig {
            nfkc: true,
            whitespace: Whitespace::Remove,
            punctuation: Punctuation::Keep,
            lowercase: true,
            fold_traditional: cfg!(feature = "traditional"),
        }
    }
}

/// A normalised text and where each of its characters came from.
///
/// # Examples
///
/// ```
/// use chachong::normalize::Normalizer;
///
/// let n = Normalizer::default().normalize("ＡＢ　中文");
/// assert_eq!(n.text(), "ab中文");
/// // 中 is the fourth character of the original, at byte 9.
/// assert_eq!(n.origin(2), 9);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    /// `origins[i]` is the input byte offset of normalised character `i`.
    /// Non-decreasing, one entry per character of `text`.
    origins: Vec<u32>,
}

impl Normalized {
    /// The normalised text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of characters in the normalised text.
    pub fn char_len(&self) -> usize {
        self.origins.len()
    }

    /// Byte offset in the input of normalised character `index`.
    ///
    /// # Panics
    ///
    /// If `index >= self.char_len()`.
    pub fn origin(&self, index: usize) -> usize {
        self.origins[index] as usize
    }

    /// Empties the text, keeping the allocations for reuse.
    pub fn clear(&mut self) {
        self.text.clear();
        self.origins.clear();
    }

    /// Appends the characters `chars` (at bytes `bytes`) of `src`, origins
    /// and all.
    pub(crate) fn extend_from(
        &mut self,
        src: &Normalized,
        chars: Range<usize>,
        bytes: Range<usize>,
    ) {
        self.text.push_str(&src.text[bytes]);
        self.origins.extend_from_slice(&src.origins[chars]);
    }

    /// Appends `c` as coming from input byte `origin` (for stages that
    /// rewrite a normalised text, such as mask folding).
    pub(crate) fn push_char(&mut self, c: char, origin: usize) {
        self.push(c, origin);
    }

    fn push(&mut self, c: char, origin: usize) {
        self.text.push(c);
        // Inputs are capped below 4 GiB by the pipeline; a lower-level caller
        // with a larger text gets saturated offsets rather than a panic.
        self.origins.push(u32::try_from(origin).unwrap_or(u32::MAX));
    }
}

/// Turns text into the form fingerprints are computed on.
///
/// # Examples
///
/// ```
/// use chachong::normalize::{NormalizeConfig, Normalizer, Punctuation};
///
/// let n = Normalizer::default();
/// assert_eq!(n.normalize("　　同志们：\n　　今天，").text(), "同志们:今天,");
///
/// let strict = Normalizer::new(NormalizeConfig {
///     punctuation: Punctuation::Remove,
///     ..NormalizeConfig::default()
/// });
/// assert_eq!(strict.normalize("“十四五”规划，２０２１年。").text(), "十四五规划2021年");
/// ```
#[derive(Clone, Debug)]
pub struct Normalizer {
    config: NormalizeConfig,
    /// The folding table, when traditional characters fold.
    traditional: Option<&'static Table>,
    /// Watches nothing; its ideograph runs stop before the characters the
    /// table changes.
    plain: Watch,
}

impl Default for Normalizer {
    fn default() -> Normalizer {
        Normalizer::new(NormalizeConfig::default())
    }
}

impl Normalizer {
    /// A normaliser with the given settings. Traditional characters stay
    /// as written when the table cannot be had (without the `traditional`
    /// feature); [`Config::validate`](crate::Config::validate) says so.
    pub fn new(config: NormalizeConfig) -> Normalizer {
        let traditional = if config.fold_traditional {
            traditional::table().ok()
        } else {
            None
        };
        let changed = traditional.map(Table::changed).unwrap_or_default();
        let mut normalizer = Normalizer {
            config,
            traditional,
            plain: Watch::default().stopping_before(&changed),
        };
        // Punctuation (`,、。“”《》`) breaks the ideograph runs every ten
        // characters or so; what of it (and of ASCII) passes every step
        // unchanged, a run copies too.
        let unchanged: Vec<char> = (0..0x80)
            .chain(0x2000..=0x303F)
            .filter_map(char::from_u32)
            .filter(|&c| normalizer.writes_as_it_is(c))
            .collect();
        // And the fullwidth forms of ASCII NFKC folds (`，；：（）`), when
        // their ASCII is written as it is: a fast path writes those.
        let fullwidth: Vec<char> = (0xFF01..=0xFF5E)
            .filter_map(char::from_u32)
            .filter(|&c| {
                normalizer.config.nfkc
                    && fullwidth_to_ascii(c).is_some_and(|a| normalizer.writes_as_it_is(a))
            })
            .collect();
        normalizer.plain = std::mem::take(&mut normalizer.plain)
            .going_through(&unchanged)
            .folding_fullwidth(&fullwidth);
        normalizer
    }

    /// Whether the character path writes `c`, met alone, as it is, which
    /// is what lets a run copy it (a combining mark is never met alone:
    /// it goes with the character before it).
    fn writes_as_it_is(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.writes_ascii_as_it_is(c);
        }
        let dropped = is_invisible(c)
            || c.is_whitespace()
            || (self.config.punctuation == Punctuation::Remove && is_punctuation(c));
        let changed = (self.config.nfkc && !is_nfkc_stable(c))
            || self.traditional.is_some_and(|table| table.fold(c) != c)
            || (self.config.lowercase && !is_uncased(c));
        !may_combine(c) && !dropped && !changed
    }

    /// The settings in use.
    pub fn config(&self) -> &NormalizeConfig {
        &self.config
    }

    /// Normalises `text` into a new [`Normalized`].
    pub fn normalize(&self, text: &str) -> Normalized {
        let mut out = Normalized::default();
        self.append(text, 0, &mut out);
        out
    }

    /// Normalises `text` and appends it to `out`, recording origins as
    /// `origin_base` plus the byte offset in `text`. Returns the byte range of
    /// the appended part in `out.text()`.
    ///
    /// Appending the paragraphs of a document one by one normalises the
    /// document once while keeping each paragraph's share of it. With
    /// [`Whitespace::Collapse`], one space separates the appended part from
    /// what `out` already held.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::normalize::{Normalized, Normalizer};
    ///
    /// let n = Normalizer::default();
    /// let mut out = Normalized::default();
    /// let first = n.append("第一段。", 0, &mut out);
    /// let second = n.append("第二段。", 20, &mut out);
    /// assert_eq!(&out.text()[second.clone()], "第二段。");
    /// assert_eq!(out.origin(4), 20);
    /// assert_eq!(first.end, second.start);
    /// ```
    pub fn append(&self, text: &str, origin_base: usize, out: &mut Normalized) -> Range<usize> {
        self.append_to(text, origin_base, out, &self.plain)
    }

    /// Normalises `text` and appends it to `out`, returning the byte range
    /// of the appended part: the text of [`append`](Self::append) without
    /// the origins, which is all a fingerprint needs.
    ///
    /// # Examples
    ///
    /// ```
    /// use chachong::normalize::Normalizer;
    ///
    /// let n = Normalizer::default();
    /// let mut out = String::new();
    /// let first = n.append_text("　　同志们：", &mut out);
    /// let second = n.append_text("ＡＢ “今天”", &mut out);
    /// assert_eq!(out, "同志们:ab“今天”");
    /// assert_eq!(&out[second], "ab“今天”");
    /// assert_eq!(first.end, "同志们:".len());
    /// ```
    pub fn append_text(&self, text: &str, out: &mut String) -> Range<usize> {
        self.append_to(text, 0, out, &self.plain)
    }

    /// A [`Watch`] of `chars` for [`append_part`](Self::append_part).
    pub(crate) fn watch(&self, chars: impl IntoIterator<Item = char>) -> Watch {
        Watch::new(chars)
            .stopping_before(self.plain.stops())
            .going_through(self.plain.through())
            .folding_fullwidth(self.plain.fullwidth())
    }

    /// Normalises `text` as a part of its own (no space separates it from
    /// what `out.text` held, whatever the whitespace policy) and appends it
    /// to `out.text`, returning the byte range of the appended part; appends
    /// the code point of every character it wrote to `out.codes`, and the
    /// byte offset in the part of every character of `watch` (made by
    /// [`watch`](Self::watch)) to `out.marks`, in order. The fingerprint
    /// pass's one walk over a paragraph: the mask folder then looks at
    /// those places alone, and the shingler reads the code points.
    ///
    /// `watch` must come from this normaliser's `watch`: what its runs go
    /// through depends on the settings (a capital, say, only when
    /// nothing lowercases it).
    pub(crate) fn append_part(&self, text: &str, watch: &Watch, out: Part<'_>) -> Range<usize> {
        let (base, base_codes) = (out.text.len(), out.codes.len());
        let mut part = Watching {
            out,
            base,
            base_codes,
            watch,
        };
        let range = self.append_to(text, 0, &mut part, watch);
        base + range.start..base + range.end
    }

    /// The one normalising loop, for every sink; `watch` says where its
    /// ideograph runs stop.
    fn append_to<S: Sink>(
        &self,
        text: &str,
        origin_base: usize,
        out: &mut S,
        watch: &Watch,
    ) -> Range<usize> {
        let mut state = Emitting {
            pending_space: self.config.whitespace == Whitespace::Collapse && !out.text().is_empty(),
            start: None,
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < text.len() {
            // ASCII, a tenth of a Chinese text (its digits, Latin words and
            // often its commas), is NFKC-stable: straight to the steps
            // unless a combining mark follows.
            if bytes[at].is_ascii() && !combines_at(text, at + 1) {
                self.emit_ascii(&mut state, bytes[at], origin_base + at, out);
                at += 1;
                continue;
            }
            // Runs of ideographs, most of a Chinese text, pass every step
            // unchanged: copy them whole (with the punctuation between
            // them that every step leaves as it is). Runs stop before a
            // character the table folds (or the watch notes), which then
            // takes the character path below. A pending space goes before the run's
            // code points, which its scan writes.
            if starts_run(&bytes[at..], watch.runs()) {
                state.before_text(origin_base + at, out);
                let run = ideograph_run(&text[at..], watch.runs(), out.codes());
                if run > 0 {
                    out.push_ideographs(&text[at..at + run], origin_base + at);
                    at += run;
                    continue;
                }
            }
            // Chinese text's own punctuation, `，；：（）`, whose ASCII
            // character every step writes as it is: without the character
            // path, unless a combining mark follows.
            let fullwidth = watch.fullwidth_ascii(&bytes[at..]);
            if let Some(ascii) = fullwidth.filter(|_| !combines_at(text, at + 3)) {
                state.before_text(origin_base + at, out);
                out.push(char::from(ascii), origin_base + at);
                at += 3;
                continue;
            }
            let Some(end) = self.emit_cluster(&mut state, (text, at), origin_base, out) else {
                break;
            };
            at = end;
        }
        let len = out.text().len();
        state.start.unwrap_or(len)..len
    }

    /// The character path: the character at byte `at` of `text` with the
    /// combining marks after it, through NFKC and the steps. Returns where
    /// it ends (`None` past the end of `text`).
    fn emit_cluster<S: Sink>(
        &self,
        state: &mut Emitting,
        (text, at): (&str, usize),
        origin_base: usize,
        out: &mut S,
    ) -> Option<usize> {
        let mut chars = text[at..].char_indices();
        let (_, c) = chars.next()?;
        let mut end = at + c.len_utf8();
        for (offset, next) in chars {
            // Combining marks start at U+0300; ideographs are never marks
            // and make up most of the text, so skip the table for both.
            if !may_combine(next) || canonical_combining_class(next) == 0 {
                break;
            }
            end = at + offset + next.len_utf8();
        }
        let origin = origin_base + at;
        let single = end == at + c.len_utf8();
        if single && (!self.config.nfkc || is_nfkc_stable(c)) {
            self.emit(state, c, origin, out);
        } else if let Some(ascii) = (single && self.config.nfkc)
            .then(|| fullwidth_to_ascii(c))
            .flatten()
        {
            // A fullwidth form the fast path in `append_to` left (watched,
            // or its ASCII changed by a step): skip the table.
            self.emit(state, ascii, origin, out);
        } else if !self.config.nfkc {
            for c in text[at..end].chars() {
                self.emit(state, c, origin, out);
            }
        } else {
            for c in text[at..end].nfkc() {
                self.emit(state, c, origin, out);
            }
        }
        Some(end)
    }

    /// Appends one normalised character `c` that came from input byte
    /// `origin`, applying the whitespace, punctuation and case steps.
    fn emit<S: Sink>(&self, state: &mut Emitting, c: char, origin: usize, out: &mut S) {
        if is_invisible(c) {
            return;
        }
        if c.is_whitespace() {
            if !self.keeps_whitespace(state, out) {
                return;
            }
        } else if self.config.punctuation == Punctuation::Remove && is_punctuation(c) {
            return;
        }
        state.before_text(origin, out);
        let c = self.traditional.map_or(c, |table| table.fold(c));
        if !self.config.lowercase || is_uncased(c) {
            out.push(c, origin);
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase(), origin);
        } else {
            // Uncased characters map to themselves.
            for lower in c.to_lowercase() {
                out.push(lower, origin);
            }
        }
    }

    /// [`writes_as_it_is`](Self::writes_as_it_is) for an ASCII character,
    /// as [`emit_ascii`](Self::emit_ascii) writes it.
    fn writes_ascii_as_it_is(&self, c: char) -> bool {
        let dropped = c.is_ascii_whitespace()
            || c.is_ascii_control()
            || (self.config.punctuation == Punctuation::Remove && is_punctuation(c));
        let changed = self.config.lowercase && c.is_ascii_uppercase();
        !dropped && !changed
    }

    /// Whether a whitespace character is written as it is; if not, it is
    /// dropped, or under [`Whitespace::Collapse`] becomes the space that
    /// waits for the next text.
    fn keeps_whitespace<S: Sink>(&self, state: &mut Emitting, out: &S) -> bool {
        match self.config.whitespace {
            Whitespace::Remove => false,
            Whitespace::Collapse => {
                state.pending_space = !out.text().is_empty();
                false
            }
            Whitespace::Keep => true,
        }
    }

    /// [`emit`](Self::emit) for an ASCII character, without the tables.
    fn emit_ascii<S: Sink>(&self, state: &mut Emitting, b: u8, origin: usize, out: &mut S) {
        let c = char::from(b);
        if c.is_ascii_whitespace() || b == 0x0B {
            if !self.keeps_whitespace(state, out) {
                return;
            }
        } else if c.is_ascii_control()
            || (self.config.punctuation == Punctuation::Remove && is_punctuation(c))
        {
            return;
        }
        state.before_text(origin, out);
        if self.config.lowercase {
            out.push(c.to_ascii_lowercase(), origin);
        } else {
            out.push(c, origin);
        }
    }
}

/// Where [`Normalizer`] writes: a [`Normalized`] text that keeps every
/// character's origin, or a plain `String` that drops them.
trait Sink {
    fn text(&self) -> &str;
    /// Appends `c`, which came from input byte `origin`.
    fn push(&mut self, c: char, origin: usize);
    /// Appends a run (CJK ideographs and the characters runs go through,
    /// three bytes each but ASCII) that starts at input byte `origin`.
    fn push_ideographs(&mut self, run: &str, origin: usize);
    /// Where the code points of what is written go, if anywhere: the
    /// ideograph runs' are written there as the runs are scanned, the
    /// others by [`push`](Self::push).
    fn codes(&mut self) -> Option<&mut Vec<u32>> {
        None
    }
}

impl Sink for Normalized {
    fn text(&self) -> &str {
        &self.text
    }

    fn push(&mut self, c: char, origin: usize) {
        Normalized::push(self, c, origin);
    }

    fn push_ideographs(&mut self, run: &str, origin: usize) {
        self.text.push_str(run);
        let mut b = 0;
        while let Some(&lead) = run.as_bytes().get(b) {
            self.origins
                .push(u32::try_from(origin + b).unwrap_or(u32::MAX));
            b += if lead.is_ascii() { 1 } else { 3 };
        }
    }
}

impl Sink for String {
    fn text(&self) -> &str {
        self
    }

    fn push(&mut self, c: char, _origin: usize) {
        String::push(self, c);
    }

    fn push_ideographs(&mut self, run: &str, _origin: usize) {
        self.push_str(run);
    }
}

/// Where [`Normalizer::append_part`] writes.
#[derive(Debug)]
pub(crate) struct Part<'o> {
    /// The text, appended to.
    pub(crate) text: &'o mut String,
    /// The code point of each character written.
    pub(crate) codes: &'o mut Vec<u32>,
    /// The places in the part of the watched characters written: each
    /// one's byte offset in the text and index in the code points.
    pub(crate) marks: &'o mut Vec<(usize, usize)>,
}

/// A part being appended ([`Normalizer::append_part`]). Its text, for the
/// whitespace rules, is the part alone.
struct Watching<'o> {
    out: Part<'o>,
    /// Where the part starts in `out.text` and in `out.codes`.
    base: usize,
    base_codes: usize,
    watch: &'o Watch,
}

impl Sink for Watching<'_> {
    fn text(&self) -> &str {
        &self.out.text[self.base..]
    }

    #[inline]
    fn push(&mut self, c: char, _origin: usize) {
        if self.watch.contains(c) {
            let at = self.out.text.len() - self.base;
            self.out
                .marks
                .push((at, self.out.codes.len() - self.base_codes));
        }
        self.out.text.push(c);
        self.out.codes.push(u32::from(c));
    }

    fn push_ideographs(&mut self, run: &str, _origin: usize) {
        // The run's code points are in already (`codes`).
        self.out.text.push_str(run);
    }

    fn codes(&mut self) -> Option<&mut Vec<u32>> {
        Some(self.out.codes)
    }
}

/// What [`Normalizer::append`] carries from one character to the next.
struct Emitting {
    /// A collapsed whitespace run is waiting to become one space.
    pending_space: bool,
    /// Where the appended part starts in the output (after a separator
    /// space, which belongs to neither part).
    start: Option<usize>,
}

impl Emitting {
    /// Called before any text is appended: emits a pending space and
    /// remembers where the part starts.
    fn before_text<S: Sink>(&mut self, origin: usize, out: &mut S) {
        if self.pending_space {
            out.push(' ', origin);
            self.pending_space = false;
        }
        if self.start.is_none() {
            self.start = Some(out.text().len());
        }
    }
}

/// Length in bytes of the run that starts `s`: CJK ideographs, and the
/// punctuation and ASCII that `runs` goes through. It stops before a
/// character `runs` leaves out and before one that a combining mark
/// follows (NFKC must see the two together); the run's code points are
/// appended to `codes`, if given, as they are read.
fn ideograph_run(s: &str, runs: &RunSet, codes: Option<&mut Vec<u32>>) -> usize {
    match codes {
        None => scan_run(s, runs, |_| {}).0,
        Some(codes) => {
            // Room for the rest of the text's ideographs at once, so the
            // pushes in the loop seldom grow the vector.
            codes.reserve(s.len() / 3);
            let (end, given_back) = scan_run(s, runs, |code| codes.push(u32::from(code)));
            // A character given back to a combining mark is not the run's.
            if given_back {
                codes.pop();
            }
            end
        }
    }
}

/// [`ideograph_run`], calling `each` with every code point read; also
/// says whether the last character read was given back to a combining
/// mark after it.
#[inline]
fn scan_run(s: &str, runs: &RunSet, mut each: impl FnMut(u16)) -> (usize, bool) {
    let bytes = s.as_bytes();
    // A run holds three-byte characters and the ASCII ones it goes
    // through.
    let (mut end, mut last) = (0, 0);
    loop {
        let width = match bytes.get(end) {
            Some(&b) if b.is_ascii() => {
                if !runs.contains(u16::from(b)) {
                    break;
                }
                each(u16::from(b));
                1
            }
            _ => match bytes.get(end..end + 3).and_then(|c| run_code(c, runs)) {
                Some(code) => {
                    each(code);
                    3
                }
                None => break,
            },
        };
        end += width;
        last = width;
    }
    if end > 0 && combines_at(s, end) {
        return (end - last, true);
    }
    (end, false)
}

/// Whether `bytes` start with a three-byte character that continues a
/// run (a run starts with one: ASCII takes its own path first).
#[inline]
fn starts_run(bytes: &[u8], runs: &RunSet) -> bool {
    bytes.get(..3).and_then(|c| run_code(c, runs)).is_some()
}

/// The code point of the three bytes `c` if they are a character that
/// continues a run of ideographs: the code is read off the bytes as a
/// three-byte character's and one bit decides (a lead of another length
/// gives a code the test discards).
#[inline]
fn run_code(c: &[u8], runs: &RunSet) -> Option<u16> {
    let code =
        (u16::from(c[0] & 0x0F) << 12) | (u16::from(c[1] & 0x3F) << 6) | u16::from(c[2] & 0x3F);
    ((c[0] & 0xF0 == 0xE0) & runs.contains(code)).then_some(code)
}

/// Whether the character at byte `at` of `s` (if any) is a combining mark,
/// which NFKC must see with the character before it. A lead byte below
/// `0xCC` (U+0300, where the marks start) answers without decoding.
#[inline]
fn combines_at(s: &str, at: usize) -> bool {
    s.as_bytes().get(at).is_some_and(|&b| b >= 0xCC)
        && s[at..]
            .chars()
            .next()
            .is_some_and(|c| may_combine(c) && canonical_combining_class(c) != 0)
}

/// Whether `c` may be a combining mark, which NFKC must see together with
/// the character before it. Combining marks start at U+0300; the
/// ideographs, General Punctuation, the CJK punctuation before U+302A and
/// the fullwidth forms, the rest of a Chinese text, hold none (a test checks
/// every one of them against the table), so they skip the table.
fn may_combine(c: char) -> bool {
    !is_cjk_ideograph(c)
        && !matches!(c as u32, 0..=0x2FF | 0x2000..=0x20CF | 0x3000..=0x3029 | 0xFF00..=0xFFEF)
}

/// CJK Unified Ideographs and extension A: not whitespace, punctuation,
/// cased or combining, and NFKC-stable, so every step can pass them through.
fn is_cjk_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Characters NFKC leaves alone that make up nearly all Chinese text: ASCII,
/// the CJK Unified Ideographs (and extension A), and the common CJK
/// punctuation `、。〈〉《》「」『』【】`. Everything else goes through the table.
fn is_nfkc_stable(c: char) -> bool {
    matches!(c as u32, 0..=0x7F | 0x2012..=0x2016 | 0x2018..=0x201F | 0x3001..=0x3002 | 0x3008..=0x3011 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// What NFKC makes of a fullwidth form of ASCII (U+FF01 to U+FF5E): its
/// ASCII character, one to one (their decompositions are `<wide>` of
/// U+0021 to U+007E).
fn fullwidth_to_ascii(c: char) -> Option<char> {
    matches!(c as u32, 0xFF01..=0xFF5E)
        .then(|| char::from_u32(c as u32 - 0xFEE0))
        .flatten()
}

/// Characters that lower-casing leaves alone and that Chinese text is made
/// of: the ideographs, General Punctuation (`“”‘’…—`), CJK Symbols and
/// Punctuation (`、。《》「」【】`) and the CJK compatibility forms. They skip
/// the case table (a test checks every one of them against it).
fn is_uncased(c: char) -> bool {
    is_cjk_ideograph(c) || matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x303F | 0xFE30..=0xFE4F)
}

/// The punctuation set of [`Punctuation::Remove`]; see the module docs.
/// Characters that show nothing (see the [module docs](self)).
fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xE000..=0xF8FF
            | 0xF0000..=0x10FFFF
    ) || (c.is_control() && !c.is_whitespace())
}

fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation() && c != '*';
    }
    matches!(
        c as u32,
        0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF
            | 0x2010..=0x2027
            | 0x2030..=0x205E
            | 0x3001..=0x3003
            | 0x3008..=0x3011
            | 0x3014..=0x301F
            | 0x3030
            | 0x303D
            | 0xFE10..=0xFE19
            | 0xFE30..=0xFE4F
            | 0xFF01..=0xFF09
            | 0xFF0B..=0xFF0F
            | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! t {
        ($name:ident, $config:expr, $input:expr, $want:expr) => {
            #[test]
            fn $name() {
                let n = Normalizer::new($config);
                assert_eq!(n.normalize($input).text(), $want);
            }
        };
    }

    fn with(f: impl FnOnce(&mut NormalizeConfig)) -> NormalizeConfig {
        let mut c = NormalizeConfig::default();
        f(&mut c);
        c
    }

    t!(
        full_width_to_ascii,
        NormalizeConfig::default(),
        "ＡＢＣ１２３，（）",
        "abc123,()"
    );
    t!(
        ideographic_space_removed,
        NormalizeConfig::default(),
        "　　同志们：",
        "同志们:"
    );
    t!(
        newlines_removed,
        NormalizeConfig::default(),
        "一\r\n二\n",
        "一二"
    );
    t!(
        cjk_kept,
        NormalizeConfig::default(),
        "县域经济高质量发展",
        "县域经济高质量发展"
    );
    t!(
        masks_kept_even_without_punctuation,
        with(|c| c.punctuation = Punctuation::Remove),
        "****年，**市",
        "****年**市"
    );
    t!(
        cjk_punctuation_removed,
        with(|c| c.punctuation = Punctuation::Remove),
        "「推荐访问：」《规划》、“十四五”……——",
        "推荐访问规划十四五"
    );
    t!(
        collapse,
        with(|c| c.whitespace = Whitespace::Collapse),
        "  a \t b\n\nc  ",
        "a b c"
    );
    t!(
        keep_whitespace,
        with(|c| c.whitespace = Whitespace::Keep),
        "a b",
        "a b"
    );
    t!(no_lowercase, with(|c| c.lowercase = false), "ＡbC", "AbC");
    t!(no_nfkc, with(|c| c.nfkc = false), "ＡＢ", "ａｂ");
    t!(
        combining_mark_composes,
        NormalizeConfig::default(),
        "e\u{301}",
        "\u{e9}"
    );
    t!(
        ligature_expands,
        NormalizeConfig::default(),
        "\u{fb01}",
        "fi"
    );
    t!(circled_digit, NormalizeConfig::default(), "①", "1");
    t!(
        non_ascii_lowercase,
        NormalizeConfig::default(),
        "ÄΣＱ中",
        "äσq中"
    );
    t!(
        combining_kept_without_nfkc,
        with(|c| c.nfkc = false),
        "E\u{301}",
        "e\u{301}"
    );
    t!(
        ideographs_untouched_by_every_step,
        with(|c| {
            c.whitespace = Whitespace::Collapse;
            c.punctuation = Punctuation::Remove;
        }),
        "县域 经济㐀",
        "县域 经济㐀"
    );

    #[test]
    fn invisible_characters_are_dropped_whatever_the_settings() {
        // An icon-font glyph at a line end, a zero-width space, a soft
        // hyphen, a byte order mark and a control character.
        let scraped = "\u{feff}第十二条\u{200b}代表\u{ad}联名。\u{e004}\u{7}";
        for config in [
            NormalizeConfig::default(),
            with(|c| c.whitespace = Whitespace::Keep),
            with(|c| c.nfkc = false),
        ] {
            let n = Normalizer::new(config).normalize(scraped);
            assert_eq!(n.text(), "第十二条代表联名。", "{config:?}");
        }
        // Where they stood, the origins skip them: 代 follows the 3-byte
        // zero-width space.
        let n = Normalizer::default().normalize(scraped);
        assert_eq!(n.origin(4), "\u{feff}第十二条\u{200b}".len());
    }

    #[test]
    fn origins_point_into_the_original() {
        let input = "　ＡＢ中\u{fb01}x";
        let n = Normalizer::default().normalize(input);
        assert_eq!(n.text(), "ab中fix");
        let origins: Vec<usize> = (0..n.char_len()).map(|i| n.origin(i)).collect();
        // ＡＢ are 3 bytes each after the 3-byte ideographic space; the
        // ligature's two letters both come from its one input character.
        assert_eq!(origins, vec![3, 6, 9, 12, 12, 15]);
    }

    #[test]
    fn runs_hold_the_ideographs_and_nothing_else() {
        let runs = Watch::default();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut text = c.to_string();
            text.push('a');
            let run = ideograph_run(&text, runs.runs(), None);
            assert_eq!(run > 0, is_cjk_ideograph(c), "U+{:04X}", c as u32);
        }
        assert_eq!(ideograph_run("中文a", Watch::default().runs(), None), 6);
        assert_eq!(
            ideograph_run("中文\u{301}", Watch::default().runs(), None),
            3
        );
        let mut codes = vec![7];
        assert_eq!(
            ideograph_run("中文\u{301}", Watch::default().runs(), Some(&mut codes)),
            3
        );
        assert_eq!(codes, [7, u32::from('中')]);
        assert_eq!(ideograph_run("a中", Watch::default().runs(), None), 0);
    }

    #[test]
    fn shortcuts_agree_with_the_nfkc_table() {
        let nfkc = |c: char| c.to_string().nfkc().collect::<String>();
        for code in (0..=0xFFFF).chain(0x20000..=0x2A6DF) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            if is_nfkc_stable(c) {
                assert_eq!(nfkc(c), c.to_string(), "U+{code:04X} is not NFKC-stable");
            }
            if let Some(ascii) = fullwidth_to_ascii(c) {
                assert_eq!(nfkc(c), ascii.to_string(), "U+{code:04X}");
            }
            if is_uncased(c) {
                assert!(c.to_lowercase().eq([c]), "U+{code:04X} has a lower case");
            }
            if !may_combine(c) {
                assert_eq!(canonical_combining_class(c), 0, "U+{code:04X} combines");
            }
        }
    }

    #[test]
    fn text_without_origins_is_the_same_text() {
        let inputs = [
            "　　同志们：\n　　ＡＢＣ，“十四五”…… e\u{301} Ⅻ ＡＢ",
            "",
            " \n ",
            "中文 AB　国家\u{301}x",
        ];
        for config in [
            NormalizeConfig::default(),
            with(|c| c.whitespace = Whitespace::Collapse),
            with(|c| c.whitespace = Whitespace::Keep),
            with(|c| c.punctuation = Punctuation::Remove),
            with(|c| c.nfkc = false),
            with(|c| c.lowercase = false),
        ] {
            let n = Normalizer::new(config);
            let (mut with_origins, mut text) = (Normalized::default(), String::new());
            for input in inputs {
                let a = n.append(input, 0, &mut with_origins);
                let b = n.append_text(input, &mut text);
                assert_eq!(a, b, "{config:?} {input:?}");
            }
            assert_eq!(with_origins.text(), text, "{config:?}");
        }
    }

    /// What `append_part` gives: the range, text, code points and watched
    /// places.
    type Written = (Range<usize>, String, Vec<u32>, Vec<(usize, usize)>);

    /// What `append_part` writes for `input`, appended after some text.
    fn part_of(n: &Normalizer, watch: &Watch, input: &str) -> Written {
        let (mut text, mut codes, mut marks) = ("前文".to_string(), vec![1, 2], Vec::new());
        let out = Part {
            text: &mut text,
            codes: &mut codes,
            marks: &mut marks,
        };
        let range = n.append_part(input, watch, out);
        (range, text, codes, marks)
    }

    /// The range and text with origins `append` writes for `input`,
    /// appended after some text (so a collapsed space may come first).
    fn appended(n: &Normalizer, input: &str) -> (Range<usize>, Normalized) {
        let mut out = n.normalize("前文 ");
        let range = n.append(input, 7, &mut out);
        (range, out)
    }

    /// Every combination of the normaliser's settings.
    fn every_config() -> Vec<NormalizeConfig> {
        let mut configs = Vec::new();
        for bits in 0..16 {
            for whitespace in [Whitespace::Remove, Whitespace::Collapse, Whitespace::Keep] {
                let on = |bit: u32| bits >> bit & 1 == 1;
                configs.push(NormalizeConfig {
                    nfkc: on(0),
                    whitespace,
                    punctuation: if on(1) {
                        Punctuation::Remove
                    } else {
                        Punctuation::Keep
                    },
                    lowercase: on(2),
                    fold_traditional: on(3),
                });
            }
        }
        configs
    }

    #[test]
    fn runs_through_punctuation_write_what_the_character_path_writes() {
        // Each character of the ranges runs may go through, between
        // ideographs, twice over, before a combining mark, by a mask.
        let mut inputs: Vec<String> = (0..0x80)
            .chain(0x2000..=0x303F)
            .chain(0xFF00..=0xFF60)
            .filter_map(char::from_u32)
            .map(|c| format!("中{c}文{c}{c}\u{301}x{c}*{c}"))
            .collect();
        inputs.push("　　同志们：“十四五”规划、《纲要》。【注】——他说‘好’…\n".into());
        inputs.push("增长5%,达到(2021年)XX亿元;Ab c,d.\te\u{301}中,\u{301}".into());
        inputs.push("第一条，为了（规范）；ＡＢｘ＃：１２，\u{301}，".into());
        inputs.push("中 。 ,文\u{20000}，。\u{20000}、 ".into());
        for config in every_config() {
            let n = Normalizer::new(config);
            // The same normaliser whose runs hold ideographs alone, with no
            // fast path for fullwidth forms.
            let plain = Normalizer {
                plain: Watch::default().stopping_before(n.plain.stops()),
                ..n.clone()
            };
            let keep = config.punctuation == Punctuation::Keep;
            let through = n.plain.through();
            assert_eq!(
                through.contains(&'。') && through.contains(&','),
                keep,
                "{config:?}"
            );
            let fullwidth = n.plain.fullwidth().contains(&'，');
            assert_eq!(fullwidth, keep && config.nfkc, "{config:?}");
            // `＃` is watched, its `#` not; `ｘ` folds to a watched `x`.
            let watched = "…“*x＃".chars();
            let (watch, plain_watch) = (n.watch(watched.clone()), plain.watch(watched));
            assert!(!watch.through().contains(&'“') && !watch.runs().contains('“' as u16));
            for form in ["ｘ", "＃"] {
                assert!(watch.fullwidth_ascii(form.as_bytes()).is_none(), "{form}");
            }
            for input in &inputs {
                let context = format!("{config:?} {input:?}");
                assert_eq!(n.normalize(input), plain.normalize(input), "{context}");
                assert_eq!(appended(&n, input), appended(&plain, input), "{context}");
                let part = part_of(&n, &watch, input);
                assert_eq!(part, part_of(&plain, &plain_watch, input), "{context}");
            }
        }
    }

    #[test]
    fn ideograph_runs_keep_their_origins() {
        let n = Normalizer::new(with(|c| c.whitespace = Whitespace::Collapse));
        let input = "中文 AB　国家\u{301}x";
        let out = n.normalize(input);
        assert_eq!(out.text(), "中文 ab 国家\u{301}x");
        let origins: Vec<usize> = (0..out.char_len()).map(|i| out.origin(i)).collect();
        // A collapsed space takes the origin of the character after it;
        // 家 and its combining mark come from one cluster at byte 15.
        assert_eq!(origins, vec![0, 3, 7, 7, 8, 12, 12, 15, 15, 20]);
    }

    #[test]
    fn collapse_separates_appended_paragraphs() {
        let n = Normalizer::new(with(|c| c.whitespace = Whitespace::Collapse));
        let mut out = Normalized::default();
        n.append("end.", 0, &mut out);
        let second = n.append("Start", 5, &mut out);
        assert_eq!(out.text(), "end. start");
        assert_eq!(&out.text()[second], "start");
    }
}
