//! Text decoding: UTF-8, UTF-16 with a byte-order mark, or GBK/GB18030, detected from the bytes.
//!
//! Order of evidence: a BOM first, then valid UTF-8, then a GB18030 decode that yields no
//! replacement characters and mostly CJK, ASCII and common punctuation. Anything else is refused,
//! so a binary or mis-encoded file is reported instead of being indexed as mojibake.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// Share of decoded characters that must be CJK, ASCII or common punctuation for a GB18030
/// reading to be believed.
const MIN_PLAUSIBLE_SHARE: f64 = 0.9;

/// Decodes `bytes` as UTF-8, UTF-16 (with BOM) or GB18030, or says why it cannot.
/// Returns the text (without BOM) and the encoding's name, or the 1-based line of the first
/// byte that is not UTF-8 and what is wrong.
pub fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), (usize, String)> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_length..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            return Err((
                1,
                format!(
                    "starts with a {} byte-order mark but is not valid {}",
                    encoding.name(),
                    encoding.name()
                ),
            ));
        }
        return Ok((text.into_owned(), encoding.name()));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), UTF_8.name()));
    }
    if let Some(text) = decode_gb18030(bytes) {
        return Ok((text, GB18030.name()));
    }
    Err(invalid_message(bytes))
}

/// Decodes bytes declared to be in `encoding` (e.g. from an HTML `<meta charset>`), replacing
/// malformed sequences. UTF-16 labels fall back to detection, as browsers do.
pub fn decode_declared(bytes: &[u8], encoding: &'static Encoding) -> String {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        return decode_lossy_detected(bytes);
    }
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// Detects like [`decode_text`], but never fails: undecodable bytes become U+FFFD.
pub fn decode_lossy_detected(bytes: &[u8]) -> String {
    match decode_text(bytes) {
        Ok((text, _)) => text,
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A GB18030 reading of `bytes`, if it decodes cleanly into plausible Chinese text.
fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return None;
    }
    let mut total = 0usize;
    let mut plausible = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        total += 1;
        if is_plausible_char(c) {
            plausible += 1;
        }
    }
    if total == 0 || (plausible as f64) < MIN_PLAUSIBLE_SHARE * total as f64 {
        return None;
    }
    Some(text.into_owned())
}

/// Characters Chinese text is made of: ASCII, CJK ideographs, CJK and full-width punctuation,
/// and a few common symbols.
fn is_plausible_char(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
        | '\u{3400}'..='\u{4DBF}'   // extension A
        | '\u{4E00}'..='\u{9FFF}'   // unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}'   // full-width forms
        | '\u{2010}'..='\u{2027}'   // dashes, quotes, ellipsis
        | '\u{2030}'..='\u{203B}'
        | '\u{00B7}' | '\u{00D7}' | '\u{00F7}' | '\u{2116}' | '\u{2160}'..='\u{216B}'
        | '\u{2460}'..='\u{249B}'   // circled and parenthesised numbers
        | '\u{25A0}'..='\u{25CF}' | '\u{2605}' | '\u{2606}'
        | '\u{0391}'..='\u{03C9}' | '\u{0410}'..='\u{044F}'
    )
}

/// Says what the bytes are not, pointing at the first byte that is not UTF-8.
fn invalid_message(bytes: &[u8]) -> (usize, String) {
    let valid_up_to = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let line = bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count() + 1;
    (
        line,
        format!(
            "not text in UTF-8, UTF-16 (with byte-order mark) or GBK/GB18030 (first byte that \
             is not UTF-8 at offset {valid_up_to}); convert it to UTF-8"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_utf16_and_gbk_are_detected() {
        let text = "中缅联合执法，打击毒品走私。";
        assert_eq!(
            decode_text(text.as_bytes()),
            Ok((text.to_string(), "UTF-8"))
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode_text(&gbk), Ok((text.to_string(), "gb18030")));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16), Ok((text.to_string(), "UTF-16LE")));
    }

    #[test]
    fn binary_is_refused() {
        let bytes: Vec<u8> = (0u8..=255).cycle().take(2000).collect();
        assert!(decode_text(&bytes).is_err());
        assert!(decode_text(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
    }
}
