//! Facts about UTF-8 that the byte-level scans of the hot loops rely on.

/// Length in bytes of the UTF-8 character whose first byte is `lead`.
///
/// Scans that stand on a character start step over the whole character
/// with it, without decoding.
pub(crate) fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Calls `f` with the code point of each character of `text`, in order.
///
/// A Chinese text is ASCII and three-byte characters (ideographs and their
/// punctuation) nearly throughout: each has a path that reads its bytes
/// without the general decoder's checks (a `&str` is valid UTF-8, so a
/// three-byte lead is followed by its two continuation bytes).
#[inline]
pub(crate) fn for_each_code(text: &str, mut f: impl FnMut(u32)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let lead = bytes[at];
        if lead < 0x80 {
            f(u32::from(lead));
            at += 1;
        } else if lead & 0xF0 == 0xE0 {
            f((u32::from(lead & 0x0F) << 12)
                | (u32::from(bytes[at + 1] & 0x3F) << 6)
                | u32::from(bytes[at + 2] & 0x3F));
            at += 3;
        } else {
            let c = text[at..].chars().next().map_or(0, u32::from);
            f(c);
            at += utf8_len(lead);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_agree_with_chars() {
        let text: String = (0..=0xD7FF)
            .chain(0xE000..=0x10FFFF)
            .step_by(7)
            .filter_map(char::from_u32)
            .collect();
        let mut codes = Vec::new();
        for_each_code(&text, |c| codes.push(c));
        let want: Vec<u32> = text.chars().map(u32::from).collect();
        assert_eq!(codes, want);
    }

    #[test]
    fn lengths_agree_with_std() {
        for code in (0..=0xD7FF).chain(0xE000..=0x10FFFF) {
            let c = char::from_u32(code).unwrap();
            let mut utf8 = [0; 4];
            let bytes = c.encode_utf8(&mut utf8).as_bytes();
            assert_eq!(utf8_len(bytes[0]), c.len_utf8(), "U+{code:04X}");
        }
    }
}
