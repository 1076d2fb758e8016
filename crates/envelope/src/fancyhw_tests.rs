//! Every rejection of the envelope decoder, and a snapshot of the canonical envelope's bytes.

use super::*;

const TOPIC: &str = "fancyhw_data";

fn expect_16() -> Expect<'static> {
    Expect { topic: Some(TOPIC), samples: Some(16) }
}

/// The first packet of the classic program: seed 12345, 16 samples.
fn canonical_samples() -> Vec<i16> {
    let mut hw = fakehw::Glibc::new(12345);
    let mut samples = vec![0; 16];
    hw.fill_samples(&mut samples);
    samples
}

fn hex_dump(bytes: &[u8]) -> String {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(row, chunk)| {
            let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            let text: String =
                chunk.iter().map(|&b| if b.is_ascii_graphic() { b as char } else { '.' }).collect();
            format!("{:04x}  {:<47}  {text}", row * 16, hex.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn canonical_envelope_bytes() {
    let bytes = encode(TOPIC, &canonical_samples());
    assert_eq!(bytes.len(), TOPIC.len() + 1 + 32);
    insta::assert_snapshot!(hex_dump(&bytes));
}

#[test]
fn round_trip_borrows_the_samples() {
    let samples = canonical_samples();
    let bytes = encode(TOPIC, &samples);
    let envelope = decode(&bytes, expect_16()).unwrap();
    assert_eq!(envelope.topic, TOPIC);
    assert_eq!(envelope.samples.to_vec(), samples);
    assert_eq!(envelope.samples.get(15), Some(samples[15]));
    assert_eq!(envelope.samples.get(16), None);
    // Zero-copy: the topic points into the received buffer.
    assert!(std::ptr::eq(envelope.topic.as_ptr(), bytes.as_ptr()));
}

#[test]
fn decoding_splits_at_the_first_space_only() {
    // A sample whose low byte is 0x20 puts a space inside the payload.
    let bytes = encode(TOPIC, &[0x2020, -1]);
    let envelope = decode(&bytes, Expect { topic: Some(TOPIC), samples: Some(2) }).unwrap();
    assert_eq!(envelope.samples.to_vec(), vec![0x2020, -1]);
}

#[test]
fn without_expectations_any_topic_and_count_pass() {
    let bytes = encode("other", &[1, 2, 3]);
    let envelope = decode(&bytes, Expect::default()).unwrap();
    assert_eq!((envelope.topic, envelope.samples.len()), ("other", 3));
}

#[test]
fn encode_into_reuses_the_buffer() {
    let mut buffer = encode("a_much_longer_topic", &[1; 64]);
    let capacity = buffer.capacity();
    encode_into(&mut buffer, TOPIC, &[7; 16]);
    assert_eq!(buffer, encode(TOPIC, &[7; 16]));
    assert_eq!(buffer.capacity(), capacity);
}

/// Each malformed form and the exact reason the contract gives for it.
const REJECTIONS: &[(&str, &[u8], &str)] = &[
    ("empty", b"", "malformed envelope: empty message"),
    ("no space", b"fancyhw_data", "malformed envelope: no space separating topic and samples"),
    ("empty topic", b" \x01\x00", "malformed envelope: empty topic"),
    (
        "non-ascii topic",
        b"fancyhw_data\xc3\xa9 \x01\x00",
        "malformed envelope: topic is not printable ASCII (byte 0xc3 at offset 12)",
    ),
    (
        "control byte in topic",
        b"fancy\x07 \x01\x00",
        "malformed envelope: topic is not printable ASCII (byte 0x07 at offset 5)",
    ),
    (
        "other topic",
        b"fancyhw_dat \x01\x00",
        "malformed envelope: topic \"fancyhw_dat\" is not the expected \"fancyhw_data\"",
    ),
    (
        "odd payload",
        b"fancyhw_data \x01\x00\x02",
        "malformed envelope: payload of 3 bytes is not a whole number of int16 samples",
    ),
    ("too few samples", b"fancyhw_data \x01\x00", "malformed envelope: expected 16 samples, got 1"),
];

#[test]
fn every_rejection_has_its_reason() {
    for (name, bytes, reason) in REJECTIONS {
        let err = decode(bytes, expect_16()).expect_err(name);
        assert_eq!(err.to_string(), *reason, "{name}");
    }
}

#[test]
fn rejections_are_typed() {
    assert_eq!(decode(b"", expect_16()).unwrap_err(), EnvelopeError::EmptyMessage);
    assert_eq!(
        decode(b"fancyhw_data \x01", expect_16()).unwrap_err(),
        EnvelopeError::OddPayload { len: 1 }
    );
    assert_eq!(
        decode(&encode(TOPIC, &[0; 17]), expect_16()).unwrap_err(),
        EnvelopeError::WrongSampleCount { expected: 16, got: 17 }
    );
}

#[test]
fn topic_validation() {
    assert_eq!(validate_topic(TOPIC), Ok(()));
    assert_eq!(validate_topic(""), Err(TopicError::Empty));
    assert!(matches!(validate_topic("a b"), Err(TopicError::ContainsSpace(_))));
    assert!(matches!(validate_topic("café"), Err(TopicError::NotPrintableAscii(_))));
    assert!(matches!(validate_topic("tab\there"), Err(TopicError::NotPrintableAscii(_))));
}
