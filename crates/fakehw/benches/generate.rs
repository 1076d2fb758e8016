//! fakehw's cost: seeding (310 discarded outputs), one 16-sample packet, one 1 MiB array.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("fakehw");
    group.bench_function("seed", |b| b.iter(|| fakehw::Glibc::new(black_box(12345))));
    let mut hw = fakehw::Glibc::new(12345);
    let mut packet = [0i16; 16];
    group.throughput(Throughput::Elements(16));
    group.bench_function("packet_16_samples", |b| {
        b.iter(|| hw.fill_samples(black_box(&mut packet)));
    });
    let mut array = vec![0.0f64; 131_072];
    group.throughput(Throughput::Elements(array.len() as u64));
    group.bench_function("array_131072_f64", |b| b.iter(|| hw.fill_f64(black_box(&mut array))));
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
