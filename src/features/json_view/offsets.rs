//! Byte offsets (Rust strings) to UTF-16 offsets (JavaScript strings, CodeMirror) and back.

/// Converts sorted-or-not byte offsets of `text` to UTF-16 offsets, in one pass over the text.
pub fn utf16_from_bytes(text: &str, byte_offsets: &[usize]) -> Vec<usize> {
    if text.is_ascii() {
        return byte_offsets.iter().map(|offset| (*offset).min(text.len())).collect();
    }
    let mut order: Vec<usize> = (0..byte_offsets.len()).collect();
    flow_model::order::sort_by_key(&mut order, |index| byte_offsets.get(*index).copied().unwrap_or(0));
    let mut converted = vec![0; byte_offsets.len()];
    let mut chars = text.char_indices().peekable();
    let mut utf16 = 0;
    for index in order {
        let target = byte_offsets.get(index).copied().unwrap_or(0);
        while let Some((at, character)) = chars.peek().copied() {
            if at >= target {
                break;
            }
            utf16 += character.len_utf16();
            chars.next();
        }
        if let Some(slot) = converted.get_mut(index) {
            *slot = utf16;
        }
    }
    converted
}

/// Converts a UTF-16 offset of `text` to a byte offset (clamped to the text).
pub fn bytes_from_utf16(text: &str, utf16_offset: usize) -> usize {
    if text.is_ascii() {
        return utf16_offset.min(text.len());
    }
    let mut utf16 = 0;
    for (at, character) in text.char_indices() {
        if utf16 >= utf16_offset {
            return at;
        }
        utf16 += character.len_utf16();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_offsets_are_unchanged() {
        assert_eq!(utf16_from_bytes("{\"a\": 1}", &[0, 5, 100]), [0, 5, 8]);
        assert_eq!(bytes_from_utf16("abc", 2), 2);
    }

    #[test]
    fn multibyte_and_astral_characters() {
        // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 UTF-16 units.
        let text = "é😀x";
        assert_eq!(utf16_from_bytes(text, &[6, 0, 2, 7]), [3, 0, 1, 4]);
        assert_eq!(bytes_from_utf16(text, 3), 6);
        assert_eq!(bytes_from_utf16(text, 1), 2);
        assert_eq!(bytes_from_utf16(text, 99), text.len());
    }
}
