//! The float64 array of the REQ/REP story: `len * 8` bytes of little-endian IEEE-754, what
//! numpy's `tobytes()` gives on every platform numpy runs on.
//!
//! The replier's check is a byte comparison against the expected array encoded once, so the
//! common (matching) case runs at memory bandwidth; only a mismatch pays for locating the first
//! differing value.

use std::fmt;

/// Bytes per value.
pub const F64_BYTES: usize = 8;

/// Encodes values as little-endian IEEE-754 bytes.
#[must_use]
pub fn encode_f64(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The array a replier expects, held in its wire form.
#[derive(Clone)]
pub struct ExpectedArray {
    bytes: Vec<u8>,
}

impl fmt::Debug for ExpectedArray {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExpectedArray").field("len", &self.len()).finish()
    }
}

/// The outcome of checking a received array.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ArrayVerdict {
    /// Every byte as expected.
    Match,
    /// The message is not `len * 8` bytes long.
    LengthMismatch {
        /// Bytes expected.
        expected_bytes: usize,
        /// Bytes received.
        got_bytes: usize,
    },
    /// The first value whose bits differ.
    ValueMismatch {
        /// Its index in the array.
        index: usize,
        /// The expected value.
        expected: f64,
        /// The received value.
        got: f64,
    },
}

impl ArrayVerdict {
    /// Whether the array matched.
    #[must_use]
    pub fn is_match(&self) -> bool {
        matches!(self, Self::Match)
    }
}

impl fmt::Display for ArrayVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Match => f.write_str("array matches"),
            Self::LengthMismatch { expected_bytes, got_bytes } => write!(
                f,
                "length mismatch: expected {expected_bytes} bytes ({} float64), got {got_bytes} bytes",
                expected_bytes / F64_BYTES
            ),
            Self::ValueMismatch { index, expected, got } => {
                write!(f, "value mismatch at index {index}: expected {expected:?}, got {got:?}")
            }
        }
    }
}

impl ExpectedArray {
    /// Holds `values` in wire form.
    #[must_use]
    pub fn new(values: &[f64]) -> Self {
        Self { bytes: encode_f64(values) }
    }

    /// Number of values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len() / F64_BYTES
    }

    /// Whether the array is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The wire bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Value `index`, decoded.
    #[must_use]
    pub fn value(&self, index: usize) -> Option<f64> {
        value_at(&self.bytes, index)
    }

    /// Checks received bytes against the expected array, bit for bit.
    #[must_use]
    pub fn check(&self, received: &[u8]) -> ArrayVerdict {
        if received.len() != self.bytes.len() {
            return ArrayVerdict::LengthMismatch {
                expected_bytes: self.bytes.len(),
                got_bytes: received.len(),
            };
        }
        if received == self.bytes.as_slice() {
            return ArrayVerdict::Match;
        }
        let index = self
            .bytes
            .chunks_exact(F64_BYTES)
            .zip(received.chunks_exact(F64_BYTES))
            .position(|(want, got)| want != got)
            .unwrap_or_default();
        ArrayVerdict::ValueMismatch {
            index,
            expected: value_at(&self.bytes, index).unwrap_or(f64::NAN),
            got: value_at(received, index).unwrap_or(f64::NAN),
        }
    }
}

/// Value `index` of a little-endian float64 buffer, read without alignment assumptions.
#[must_use]
pub fn value_at(bytes: &[u8], index: usize) -> Option<f64> {
    let chunk = bytes.get(index * F64_BYTES..(index + 1) * F64_BYTES)?;
    let mut word = [0u8; F64_BYTES];
    word.copy_from_slice(chunk);
    Some(f64::from_le_bytes(word))
}

#[cfg(test)]
#[path = "array_tests.rs"]
mod tests;
