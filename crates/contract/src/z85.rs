//! Z85 (ZeroMQ RFC 32), the text form of CURVE keys: 32 bytes as 40 printable characters.
//! The harness encodes the keys it generates with it; every peer validates keys against it.

/// The 85 characters, in value order.
const ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// The length of a CURVE key in Z85.
pub const KEY_CHARS: usize = 40;

/// Encodes `bytes` (a multiple of 4 long, as RFC 32 requires).
///
/// # Panics
/// When the length is not a multiple of 4: a caller's bug, never input.
#[must_use]
pub fn encode(bytes: &[u8]) -> String {
    assert!(bytes.len().is_multiple_of(4), "Z85 encodes whole 4-byte groups");
    let mut text = String::with_capacity(bytes.len() / 4 * 5);
    for group in bytes.chunks_exact(4) {
        let mut value = u32::from_be_bytes([group[0], group[1], group[2], group[3]]);
        let mut chars = [0u8; 5];
        for slot in chars.iter_mut().rev() {
            *slot = ALPHABET[(value % 85) as usize];
            value /= 85;
        }
        text.extend(chars.iter().map(|&c| char::from(c)));
    }
    text
}

/// Decodes Z85 text (a multiple of 5 characters).
///
/// # Errors
/// A reason naming the first character that is not Z85, a length that is not a multiple of
/// 5, or a group past 2^32.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(5) {
        return Err(format!("{} characters is not a multiple of 5", text.len()));
    }
    let mut bytes = Vec::with_capacity(text.len() / 5 * 4);
    for (g, group) in text.as_bytes().chunks_exact(5).enumerate() {
        let mut value: u64 = 0;
        for (k, &c) in group.iter().enumerate() {
            let digit = ALPHABET.iter().position(|&a| a == c).ok_or_else(|| {
                format!("character {:?} at offset {} is not Z85", char::from(c), g * 5 + k)
            })?;
            value = value * 85 + digit as u64;
        }
        let value =
            u32::try_from(value).map_err(|_| format!("group at offset {} is past 2^32", g * 5))?;
        bytes.extend(value.to_be_bytes());
    }
    Ok(bytes)
}

/// Checks a CURVE key in Z85: 40 characters that decode to 32 bytes.
///
/// # Errors
/// A one-line reason.
pub fn check_key(text: &str) -> Result<(), String> {
    if text.len() != KEY_CHARS {
        return Err(format!("a Z85 key is {KEY_CHARS} characters, not {}", text.len()));
    }
    decode(text).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_32_test_vector() {
        let bytes = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
        assert_eq!(encode(&bytes), "HelloWorld");
        assert_eq!(decode("HelloWorld").unwrap(), bytes);
    }

    #[test]
    fn keys_round_trip_and_bad_ones_are_named() {
        let key: Vec<u8> = (0..32).collect();
        let text = encode(&key);
        assert_eq!(text.len(), KEY_CHARS);
        assert_eq!(decode(&text).unwrap(), key);
        assert!(check_key(&text).is_ok());
        assert!(check_key("short").unwrap_err().contains("40 characters"));
        let bad = format!("{}\"", &text[..39]);
        assert!(check_key(&bad).unwrap_err().contains("offset 39"), "{bad}");
        assert!(decode("%%%%%").unwrap_err().contains("past 2^32"));
    }
}
