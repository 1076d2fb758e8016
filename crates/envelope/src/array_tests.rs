//! The float64 array check: match, length mismatch, first differing value.

use super::*;

fn expected(len: usize) -> Vec<f64> {
    let mut hw = fakehw::Glibc::new(12345);
    let mut values = vec![0.0; len];
    hw.fill_f64(&mut values);
    values
}

#[test]
fn encoding_is_little_endian_ieee754() {
    assert_eq!(encode_f64(&[1.0]), vec![0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    assert_eq!(encode_f64(&[1.0, -0.5]).len(), 16);
}

#[test]
fn identical_arrays_match() {
    let values = expected(1000);
    let want = ExpectedArray::new(&values);
    assert_eq!(want.len(), 1000);
    assert!(want.check(&encode_f64(&values)).is_match());
}

#[test]
fn a_single_changed_value_is_located() {
    let values = expected(1000);
    let want = ExpectedArray::new(&values);
    for index in [0, 7, 999] {
        let mut sent = values.clone();
        sent[index] += 1.0;
        let verdict = want.check(&encode_f64(&sent));
        assert_eq!(
            verdict,
            ArrayVerdict::ValueMismatch {
                index,
                expected: values[index],
                got: values[index] + 1.0
            }
        );
        assert!(verdict.to_string().starts_with(&format!("value mismatch at index {index}: ")));
    }
}

#[test]
fn a_flipped_low_bit_is_a_mismatch() {
    let values = expected(10);
    let mut bytes = encode_f64(&values);
    bytes[8 * 3] ^= 1;
    assert!(matches!(
        ExpectedArray::new(&values).check(&bytes),
        ArrayVerdict::ValueMismatch { index: 3, .. }
    ));
}

#[test]
fn a_wrong_length_is_a_length_mismatch_not_a_value_mismatch() {
    let values = expected(100);
    let want = ExpectedArray::new(&values);
    let verdict = want.check(&encode_f64(&values[..99]));
    assert_eq!(verdict, ArrayVerdict::LengthMismatch { expected_bytes: 800, got_bytes: 792 });
    assert_eq!(
        verdict.to_string(),
        "length mismatch: expected 800 bytes (100 float64), got 792 bytes"
    );
    // A length that is not even a multiple of 8.
    assert!(matches!(want.check(&[0; 5]), ArrayVerdict::LengthMismatch { got_bytes: 5, .. }));
}

#[test]
fn value_at_reads_unaligned_buffers() {
    let mut bytes = vec![0u8];
    bytes.extend(encode_f64(&[0.25, 0.5]));
    assert_eq!(value_at(&bytes[1..], 1), Some(0.5));
    assert_eq!(value_at(&bytes[1..], 2), None);
}
