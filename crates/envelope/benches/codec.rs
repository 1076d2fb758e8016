//! The codec's hot paths: the replier's 1 MiB array check (against a plain memory copy of the
//! same size, the bound it cannot beat) and the envelope's encode and decode.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use envelope::fancyhw::{self, Expect};
use envelope::{ExpectedArray, encode_f64};
use std::hint::black_box;

const LEN: usize = 131_072; // 1 MiB of float64

fn values() -> Vec<f64> {
    let mut values = vec![0.0; LEN];
    fakehw::Glibc::new(12345).fill_f64(&mut values);
    values
}

fn array(c: &mut Criterion) {
    let values = values();
    let expected = ExpectedArray::new(&values);
    let matching = encode_f64(&values);
    let mut last_differs = matching.clone();
    if let Some(byte) = last_differs.last_mut() {
        *byte ^= 1;
    }
    let mut group = c.benchmark_group("array_1MiB");
    group.throughput(Throughput::Bytes(matching.len() as u64));
    group.bench_function("memcpy (reference)", |b| {
        let mut destination = vec![0u8; matching.len()];
        b.iter(|| destination.copy_from_slice(black_box(&matching)));
    });
    group.bench_function("check_match", |b| b.iter(|| expected.check(black_box(&matching))));
    group.bench_function("check_mismatch_at_last_value", |b| {
        b.iter(|| expected.check(black_box(&last_differs)));
    });
    group.bench_function("encode_f64", |b| b.iter(|| encode_f64(black_box(&values))));
    group.finish();
}

fn envelope(c: &mut Criterion) {
    let mut group = c.benchmark_group("envelope");
    for samples in [16usize, 1024] {
        let data: Vec<i16> = (0..samples).map(|i| i as i16).collect();
        let message = fancyhw::encode("fancyhw_data", &data);
        let expect = Expect { topic: Some("fancyhw_data"), samples: Some(samples) };
        group.throughput(Throughput::Bytes(message.len() as u64));
        group.bench_with_input(BenchmarkId::new("encode_into", samples), &data, |b, data| {
            let mut buffer = Vec::with_capacity(message.len());
            b.iter(|| fancyhw::encode_into(&mut buffer, "fancyhw_data", black_box(data)));
        });
        group.bench_with_input(BenchmarkId::new("decode", samples), &message, |b, message| {
            b.iter(|| fancyhw::decode(black_box(message), expect).map(|e| e.samples.len()));
        });
        group.bench_with_input(
            BenchmarkId::new("decode_and_sum", samples),
            &message,
            |b, message| {
                b.iter(|| {
                    fancyhw::decode(black_box(message), expect)
                        .map(|e| e.samples.iter().map(i64::from).sum::<i64>())
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, array, envelope);
criterion_main!(benches);
