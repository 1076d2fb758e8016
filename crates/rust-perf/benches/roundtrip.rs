//! In-process rust-zmq round trips over inproc, ipc and tcp: what a message costs without the
//! process boundary, the reference for what `interop bench` measures between processes.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// A REQ/REP pair bound and connected over `endpoint` in one context.
fn pair(context: &zmq::Context, endpoint: &str) -> (zmq::Socket, zmq::Socket) {
    let rep = context.socket(zmq::REP).expect("a REP socket");
    rep.bind(endpoint).expect("bind");
    let resolved = rep.get_last_endpoint().expect("last endpoint").expect("utf-8 endpoint");
    let req = context.socket(zmq::REQ).expect("a REQ socket");
    req.connect(&resolved).expect("connect");
    (req, rep)
}

fn roundtrip(c: &mut Criterion) {
    let dir =
        tempfile::Builder::new().prefix("zi-bench-").tempdir().expect("a temporary directory");
    let endpoints = [
        ("inproc", "inproc://bench".to_owned()),
        ("ipc", format!("ipc://{}/bench", dir.path().display())),
        ("tcp", "tcp://127.0.0.1:*".to_owned()),
    ];
    let mut group = c.benchmark_group("roundtrip");
    for size in [16usize, 65_536] {
        group.throughput(Throughput::Bytes(2 * size as u64));
        for (name, endpoint) in &endpoints {
            let context = zmq::Context::new();
            let (req, rep) = pair(&context, endpoint);
            let payload = vec![0u8; size];
            let mut message = zmq::Message::new();
            group.bench_with_input(BenchmarkId::new(*name, size), &size, |b, _| {
                b.iter(|| {
                    req.send(&payload[..], 0).expect("send");
                    rep.recv(&mut message, 0).expect("recv");
                    rep.send(&message[..], 0).expect("echo");
                    req.recv(&mut message, 0).expect("reply");
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
