//! fakehw against the committed outputs of glibc's own `rand()` (`testdata/glibc-rand.json`).

use super::Glibc;
use std::collections::BTreeMap;

/// The vectors file, produced by `scripts/gen-glibc-rand.c` from glibc's `rand()`.
fn vectors() -> BTreeMap<u32, Vec<u32>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/glibc-rand.json");
    let text = std::fs::read_to_string(path).expect("testdata/glibc-rand.json is readable");
    let json: serde_json::Value = serde_json::from_str(&text).expect("vectors are JSON");
    let seeds = json["seeds"].as_object().expect("a seeds object");
    assert!(seeds.len() >= 5, "the vectors cover several seeds");
    seeds
        .iter()
        .map(|(seed, values)| {
            let values = values
                .as_array()
                .expect("an array of outputs")
                .iter()
                .map(|v| u32::try_from(v.as_u64().expect("an integer")).expect("fits u32"))
                .collect();
            (seed.parse().expect("seed keys are integers"), values)
        })
        .collect()
}

#[test]
fn rand_matches_glibc_for_every_vector() {
    for (seed, expected) in vectors() {
        let mut hw = Glibc::new(seed);
        for (i, &want) in expected.iter().enumerate() {
            assert_eq!(hw.rand(), want, "seed {seed}, output {i}");
        }
    }
}

#[test]
fn read_val_is_the_low_16_bits_of_rand_as_int16() {
    for (seed, expected) in vectors() {
        let mut hw = Glibc::new(seed);
        for (i, &want) in expected.iter().enumerate() {
            #[allow(clippy::cast_possible_truncation)]
            let want = want as u16 as i16;
            assert_eq!(hw.read_val(), want, "seed {seed}, sample {i}");
        }
    }
}

#[test]
fn read_f64_is_rand_over_two_to_the_31() {
    for (seed, expected) in vectors() {
        let mut hw = Glibc::new(seed);
        for (i, &want) in expected.iter().enumerate() {
            let got = hw.read_f64();
            assert_eq!(
                got.to_bits(),
                (f64::from(want) / 2_147_483_648.0).to_bits(),
                "seed {seed}, {i}"
            );
            assert!((0.0..1.0).contains(&got));
        }
    }
}

#[test]
fn seed_zero_behaves_as_seed_one() {
    let (mut zero, mut one) = (Glibc::new(0), Glibc::new(1));
    for _ in 0..100 {
        assert_eq!(zero.rand(), one.rand());
    }
}

#[test]
fn fill_helpers_continue_one_sequence() {
    let mut whole = Glibc::new(12345);
    let mut parts = Glibc::new(12345);
    let mut first = [0i16; 16];
    let mut second = [0i16; 16];
    parts.fill_samples(&mut first);
    parts.fill_samples(&mut second);
    for got in first.iter().chain(&second) {
        assert_eq!(*got, whole.read_val());
    }
}
