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

#[cfg(test)]
mod tests {
    use super::*;

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
