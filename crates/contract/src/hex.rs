//! Hex strings for the options that carry raw bytes (`--raw-hex`, `--raw-reply-hex`) and for
//! showing bytes that are not text.

/// Decodes a hex string (either case, even length) into bytes.
///
/// # Errors
/// A message naming the first bad character or the odd length.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err(format!("hex string has odd length {}", text.len()));
    }
    text.as_bytes()
        .chunks_exact(2)
        .enumerate()
        .map(|(i, pair)| {
            let digit = |offset: usize| {
                char::from(pair[offset]).to_digit(16).ok_or_else(|| {
                    format!(
                        "{:?} at offset {} is not a hex digit",
                        char::from(pair[offset]),
                        2 * i + offset
                    )
                })
            };
            // Two hex digits always fit a byte.
            Ok(u8::try_from(digit(0)? * 16 + digit(1)?).unwrap_or_default())
        })
        .collect()
}

/// Encodes bytes as lowercase hex.
#[must_use]
pub fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        assert_eq!(super::decode("00ff7A").unwrap(), vec![0, 255, 0x7a]);
        assert_eq!(super::encode(&[0, 255, 0x7a]), "00ff7a");
        assert_eq!(super::decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn rejections_name_the_problem() {
        assert_eq!(super::decode("abc").unwrap_err(), "hex string has odd length 3");
        assert_eq!(super::decode("0g").unwrap_err(), "'g' at offset 1 is not a hex digit");
    }
}
