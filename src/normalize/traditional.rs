//! Traditional characters folded to simplified ones, one character for one,
//! so that a traditional copy of a simplified text is the same text and
//! every position still points at the character as written.
//!
//! The table is OpenCC's character table (`TSCharacters`, the data behind
//! OpenCC's `t2s`), read through the ferrous-opencc crate: each ideograph is
//! converted on its own, once per process (about 4,100 of them change;
//! about 10 ms), and kept in a dense array over the two ideograph blocks
//! most text uses, so the fingerprint pass pays one array read per
//! ideograph. Phrase tables are left out on purpose: they can change a
//! text's length, and for comparing texts it only matters that both sides
//! fold alike.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::watch::IdeographSet;
use crate::error::{Error, Result};

/// First code point of the dense part of the table (CJK extension A).
const DENSE_START: u32 = 0x3400;
/// One past the last (the end of the CJK Unified Ideographs).
const DENSE_END: u32 = 0xA000;
/// Below this, outside the dense part, no character changes (the
/// compatibility ideographs start here).
const SPARSE_START: u32 = 0xF900;

/// Which characters fold to which.
pub(crate) struct Table {
    /// `dense[c - DENSE_START]` is the simplified form of `c` (a BMP code
    /// point), or 0 where `c` stays.
    dense: Box<[u16]>,
    /// Characters outside the dense range that change (compatibility
    /// ideographs, extension B and beyond).
    sparse: HashMap<char, char>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Table({} characters fold)", self.len())
    }
}

impl Table {
    /// The simplified form of `c`, or `c`.
    #[inline]
    pub(crate) fn fold(&self, c: char) -> char {
        let u = c as u32;
        if (DENSE_START..DENSE_END).contains(&u) {
            match self.dense[(u - DENSE_START) as usize] {
                0 => c,
                s => char::from_u32(u32::from(s)).unwrap_or(c),
            }
        } else if u < SPARSE_START {
            c
        } else {
            self.sparse.get(&c).copied().unwrap_or(c)
        }
    }

    /// The ideographs of the dense range that change: the normaliser's
    /// runs of ideographs stop before them, so a run without one is
    /// copied as it is.
    pub(crate) fn changed(&self) -> IdeographSet {
        let mut set = IdeographSet::default();
        for (offset, &s) in self.dense.iter().enumerate() {
            if s != 0 {
                set.insert(DENSE_START + offset as u32);
            }
        }
        set
    }

    /// How many characters fold.
    fn len(&self) -> usize {
        self.dense.iter().filter(|&&s| s != 0).count() + self.sparse.len()
    }
}

/// The table, built on first use.
pub(crate) fn table() -> Result<&'static Table> {
    static TABLE: OnceLock<std::result::Result<Table, String>> = OnceLock::new();
    TABLE
        .get_or_init(build)
        .as_ref()
        .map_err(|e| Error::invalid_config("normalize.fold_traditional", e.clone()))
}

#[cfg(feature = "traditional")]
fn build() -> std::result::Result<Table, String> {
    use ferrous_opencc::config::BuiltinConfig;
    use ferrous_opencc::OpenCC;

    let opencc = OpenCC::from_config(BuiltinConfig::T2s)
        .map_err(|e| format!("OpenCC's t2s table did not load: {e}"))?;
    let mut dense = vec![0u16; (DENSE_END - DENSE_START) as usize].into_boxed_slice();
    let mut sparse = HashMap::new();
    let mut buf = [0u8; 4];
    let ranges = [
        DENSE_START..DENSE_END,
        SPARSE_START..0xFB00,
        0x20000..0x2FA20,
    ];
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let converted = opencc.convert(c.encode_utf8(&mut buf));
        let mut chars = converted.chars();
        // One character for one, or the character stays.
        let (Some(s), None) = (chars.next(), chars.next()) else {
            continue;
        };
        if s == c {
            continue;
        }
        if (DENSE_START..DENSE_END).contains(&(c as u32)) {
            // Simplified forms are BMP ideographs; one that were not would
            // leave its character as written.
            if let Ok(s) = u16::try_from(s as u32) {
                dense[(c as u32 - DENSE_START) as usize] = s;
            }
        } else {
            sparse.insert(c, s);
        }
    }
    Ok(Table { dense, sparse })
}

#[cfg(not(feature = "traditional"))]
fn build() -> std::result::Result<Table, String> {
    Err("normalize.fold_traditional needs chachong's \"traditional\" feature".to_string())
}

#[cfg(all(test, feature = "traditional"))]
mod tests {
    use super::*;

    #[test]
    fn traditional_characters_fold_and_simplified_ones_stay() {
        let table = table().unwrap();
        let fold = |s: &str| s.chars().map(|c| table.fold(c)).collect::<String>();
        assert_eq!(
            fold("在全市高質量發展工作會議上的講話"),
            "在全市高质量发展工作会议上的讲话"
        );
        assert_eq!(fold("臺灣經濟總量"), "台湾经济总量");
        let simplified = "推进县域经济高质量发展，是新时代赋予我们的重大任务。";
        assert_eq!(fold(simplified), simplified);
        let changed = table.changed();
        assert!(changed.contains('發' as u32) && changed.contains('經' as u32));
        assert!(!changed.contains('发' as u32) && !changed.contains('㐀' as u32));
        // Thousands of characters, not a hand-written list.
        assert!(table.len() > 3000, "{}", table.len());
    }
}
