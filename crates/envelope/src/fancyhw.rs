//! The fancyhw envelope: `topic ++ b" " ++ samples as int16 little-endian`.
//!
//! Decoding follows the classic subscriber (`msg.split(b" ", 1)` then `struct.unpack("<16h")`)
//! and rejects, in this order, each malformed form with the reason text every language prints.

use std::fmt;

/// The byte that separates the topic from the samples.
pub const SEPARATOR: u8 = b' ';

/// Why a topic given on a command line is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TopicError {
    /// An empty topic would match every message.
    #[error("topic is empty")]
    Empty,
    /// A space would end the topic early on the wire.
    #[error("topic {0:?} contains a space, which separates topic from samples on the wire")]
    ContainsSpace(String),
    /// Topics are printable ASCII so that every language prints them the same way.
    #[error("topic {0:?} is not printable ASCII")]
    NotPrintableAscii(String),
}

/// Checks a topic for use in an envelope: non-empty printable ASCII without a space.
///
/// # Errors
/// The [`TopicError`] naming the first problem.
pub fn validate_topic(topic: &str) -> Result<(), TopicError> {
    if topic.is_empty() {
        return Err(TopicError::Empty);
    }
    if topic.bytes().any(|b| b == SEPARATOR) {
        return Err(TopicError::ContainsSpace(topic.to_owned()));
    }
    if !topic.bytes().all(is_printable_ascii) {
        return Err(TopicError::NotPrintableAscii(topic.to_owned()));
    }
    Ok(())
}

fn is_printable_ascii(byte: u8) -> bool {
    byte.is_ascii_graphic() || byte == b' '
}

/// Encodes one envelope into a fresh buffer.
#[must_use]
pub fn encode(topic: &str, samples: &[i16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(topic.len() + 1 + 2 * samples.len());
    encode_into(&mut out, topic, samples);
    out
}

/// Encodes one envelope into `out`, replacing its contents (lets a sender reuse one buffer).
pub fn encode_into(out: &mut Vec<u8>, topic: &str, samples: &[i16]) {
    out.clear();
    out.extend_from_slice(topic.as_bytes());
    out.push(SEPARATOR);
    for sample in samples {
        out.extend_from_slice(&sample.to_le_bytes());
    }
}

/// What the receiver expects, beyond a well-formed envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'a> {
    /// The topic the envelope must carry, when the subscriber knows it.
    pub topic: Option<&'a str>,
    /// The number of samples per envelope, when known.
    pub samples: Option<usize>,
}

/// A decoded envelope, borrowing from the received message.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// The topic: printable ASCII, non-empty.
    pub topic: &'a str,
    /// The samples, decoded on demand.
    pub samples: Samples<'a>,
}

/// A view of little-endian int16 samples in received bytes (an even number of them).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Samples<'a> {
    bytes: &'a [u8],
}

impl<'a> Samples<'a> {
    /// The number of samples.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len() / 2
    }

    /// Whether there are no samples.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Sample `index`, if present.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<i16> {
        let pair = self.bytes.get(2 * index..2 * index + 2)?;
        Some(i16::from_le_bytes([pair[0], pair[1]]))
    }

    /// The samples in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = i16> + 'a {
        self.bytes.chunks_exact(2).map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
    }

    /// The samples copied out.
    #[must_use]
    pub fn to_vec(&self) -> Vec<i16> {
        self.iter().collect()
    }
}

impl fmt::Debug for Samples<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Why a received message is not a fancyhw envelope. The messages are the contract's reason
/// texts, identical in Rust, C and Python.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// Zero bytes.
    #[error("malformed envelope: empty message")]
    EmptyMessage,
    /// No space byte anywhere.
    #[error("malformed envelope: no space separating topic and samples")]
    NoSeparator,
    /// The message starts with the space.
    #[error("malformed envelope: empty topic")]
    EmptyTopic,
    /// A topic byte outside printable ASCII.
    #[error(
        "malformed envelope: topic is not printable ASCII (byte {byte:#04x} at offset {offset})"
    )]
    TopicNotPrintable {
        /// The offending byte.
        byte: u8,
        /// Its offset in the message.
        offset: usize,
    },
    /// A well-formed topic other than the expected one.
    #[error("malformed envelope: topic \"{got}\" is not the expected \"{expected}\"")]
    UnexpectedTopic {
        /// The topic received.
        got: String,
        /// The topic expected.
        expected: String,
    },
    /// The payload after the space has an odd number of bytes.
    #[error("malformed envelope: payload of {len} bytes is not a whole number of int16 samples")]
    OddPayload {
        /// Payload length in bytes.
        len: usize,
    },
    /// A whole number of samples, but not as many as expected.
    #[error("malformed envelope: expected {expected} samples, got {got}")]
    WrongSampleCount {
        /// Samples expected.
        expected: usize,
        /// Samples received.
        got: usize,
    },
}

/// Decodes one envelope without copying, checking it against `expect`.
///
/// # Errors
/// The first [`EnvelopeError`] in the contract's order.
pub fn decode<'a>(message: &'a [u8], expect: Expect<'_>) -> Result<Envelope<'a>, EnvelopeError> {
    if message.is_empty() {
        return Err(EnvelopeError::EmptyMessage);
    }
    let space = message.iter().position(|&b| b == SEPARATOR).ok_or(EnvelopeError::NoSeparator)?;
    let (topic, payload) = (&message[..space], &message[space + 1..]);
    if topic.is_empty() {
        return Err(EnvelopeError::EmptyTopic);
    }
    if let Some(offset) = topic.iter().position(|&b| !is_printable_ascii(b)) {
        return Err(EnvelopeError::TopicNotPrintable { byte: topic[offset], offset });
    }
    // Printable ASCII is valid UTF-8, so this cannot fail; mapping keeps the function panic-free.
    let topic = std::str::from_utf8(topic)
        .map_err(|e| EnvelopeError::TopicNotPrintable { byte: 0, offset: e.valid_up_to() })?;
    if let Some(expected) = expect.topic
        && topic != expected
    {
        return Err(EnvelopeError::UnexpectedTopic {
            got: topic.to_owned(),
            expected: expected.to_owned(),
        });
    }
    if !payload.len().is_multiple_of(2) {
        return Err(EnvelopeError::OddPayload { len: payload.len() });
    }
    let samples = Samples { bytes: payload };
    if let Some(expected) = expect.samples
        && samples.len() != expected
    {
        return Err(EnvelopeError::WrongSampleCount { expected, got: samples.len() });
    }
    Ok(Envelope { topic, samples })
}

#[cfg(test)]
#[path = "fancyhw_tests.rs"]
mod tests;
