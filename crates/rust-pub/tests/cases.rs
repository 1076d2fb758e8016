//! Two real `rust-pub` processes per test, publisher and subscriber, for the contract's
//! PUB/SUB cases: multipart, empty, topics, reconnect (over tcp and ipc), the refusal of a
//! case the role does not play, and `--exit-with-stdin`.

#[allow(dead_code)]
#[path = "../../peer-kit/testing/peers.rs"]
mod peers;

use peers::{Ipc, Peer, frames_line, packet_line, pair};
use std::time::{Duration, Instant};

const PEER: &str = env!("CARGO_BIN_EXE_rust-pub");

/// The fakehw sequence, `per` samples at a time, from `seed`.
fn packets(seed: u32, per: usize, count: usize) -> Vec<Vec<i16>> {
    let mut hw = fakehw::Glibc::new(seed);
    (0..count)
        .map(|_| {
            let mut samples = vec![0; per];
            hw.fill_samples(&mut samples);
            samples
        })
        .collect()
}

#[test]
fn pubsub_multipart_delivers_three_frames_with_the_empty_one() {
    let (publisher, subscriber, _) = pair(
        PEER,
        &["pub", "--endpoint", "tcp://127.0.0.1:*", "--case", "multipart", "--sync"]
            .into_iter()
            .chain(["--count", "3", "--packet-size", "2", "--exit-with-stdin"])
            .collect::<Vec<_>>(),
        &["sub", "--case", "multipart", "--count", "3", "--packet-size", "2", "--exit-with-stdin"],
    );
    let sub = subscriber.finish();
    sub.assert_code(0);
    publisher.finish().assert_code(0);
    let expected: Vec<String> = packets(12345, 2, 3)
        .iter()
        .enumerate()
        .map(|(seq, samples)| {
            let envelope = envelope::encode("fancyhw_data", samples);
            frames_line(seq as u64, &[b"fancyhw_data", b"", &envelope])
        })
        .collect();
    assert_eq!(sub.lines[1..], expected[..]);
}

#[test]
fn pubsub_empty_delivers_zero_bytes_and_zero_sample_envelopes() {
    let ipc = Ipc::new("pubsub-empty");
    let endpoint = ipc.endpoint.as_str();
    let (publisher, subscriber, _) = pair(
        PEER,
        &["pub", "--endpoint", endpoint, "--case", "empty", "--sync", "--count", "4"],
        &["sub", "--case", "empty", "--count", "4", "--subscribe", "", "--exit-with-stdin"],
    );
    let sub = subscriber.finish();
    sub.assert_code(0);
    publisher.finish().assert_code(0);
    let expected: Vec<String> = (0..4u64)
        .map(|seq| {
            if seq % 2 == 0 {
                frames_line(seq, &[b""])
            } else {
                frames_line(seq, &[b"fancyhw_data "])
            }
        })
        .collect();
    assert_eq!(sub.lines[1..], expected[..]);
}

#[test]
fn pubsub_topics_filters_by_prefix_and_honours_the_unsubscription() {
    let (publisher, subscriber, _) = pair(
        PEER,
        &["pub", "--endpoint", "tcp://127.0.0.1:*", "--case", "topics", "--count", "10"]
            .into_iter()
            .chain(["--packet-size", "3", "--exit-with-stdin"])
            .collect::<Vec<_>>(),
        // --subscribe is ignored in this case: the subscriber makes its own two subscriptions.
        &["sub", "--case", "topics", "--count", "10", "--packet-size", "3", "--subscribe", "x"],
    );
    let sub = subscriber.finish();
    sub.assert_code(0);
    publisher.finish().assert_code(0);
    let all = packets(12345, 3, 20);
    let topic = |i: usize| ["fancyhw_data", "fancyhw_status", "other_data"][i % 3];
    let wanted = (0..10).filter(|i| i % 3 != 2).chain((10..20).filter(|i| i % 3 == 0));
    let expected: Vec<String> =
        wanted.enumerate().map(|(seq, i)| packet_line(seq as u64, topic(i), &all[i])).collect();
    assert_eq!(expected.len(), 7 + 3);
    assert_eq!(sub.lines[1..], expected[..]);
}

#[test]
fn pubsub_topics_with_count_1_lets_the_unsubscription_reach_the_publisher() {
    // The second half matches nothing: the subscriber's last act is the unsubscription.
    let (publisher, subscriber, _) = pair(
        PEER,
        &["pub", "--endpoint", "tcp://127.0.0.1:*", "--case", "topics", "--count", "1"],
        &["sub", "--case", "topics", "--count", "1", "--timeout-ms", "5000"],
    );
    let sub = subscriber.finish();
    sub.assert_code(0);
    assert_eq!(sub.lines.len(), 2, "ready and one packet: {:?}", sub.lines);
    publisher.finish().assert_code(0);
}

/// The publisher is killed after the subscriber printed its packets; a second publisher on
/// the same endpoint (another seed) reaches the same subscriber through its reconnection.
fn pubsub_reconnect(endpoint: &str) {
    let mut first = Peer::start(
        PEER,
        &["pub", "--endpoint", endpoint, "--case", "reconnect", "--count", "3", "--seed", "1"]
            .into_iter()
            .chain(["--packet-size", "2", "--timeout-ms", "30000", "--exit-with-stdin"])
            .collect::<Vec<_>>(),
    );
    let endpoint = first.ready();
    let mut subscriber = Peer::start(
        PEER,
        &["sub", "--endpoint", &endpoint, "--case", "reconnect", "--count", "6"]
            .into_iter()
            .chain(["--packet-size", "2", "--exit-with-stdin"])
            .collect::<Vec<_>>(),
    );
    assert_eq!(subscriber.ready(), endpoint);
    let before: Vec<String> = (0..3).map(|_| subscriber.line()).collect();
    first.kill();
    let mut second = Peer::start(
        PEER,
        &["pub", "--endpoint", &endpoint, "--case", "fancyhw", "--sync", "--count", "3"]
            .into_iter()
            .chain(["--seed", "2", "--packet-size", "2", "--exit-with-stdin"])
            .collect::<Vec<_>>(),
    );
    assert_eq!(second.ready(), endpoint, "the second publisher binds the same endpoint");
    let sub = subscriber.finish();
    sub.assert_code(0);
    second.finish().assert_code(0);
    let expected: Vec<String> = packets(1, 2, 3)
        .into_iter()
        .chain(packets(2, 2, 3))
        .enumerate()
        .map(|(seq, samples)| packet_line(seq as u64, "fancyhw_data", &samples))
        .collect();
    let received: Vec<String> = before.into_iter().chain(sub.lines).collect();
    assert_eq!(received, expected);
}

#[test]
fn pubsub_reconnect_over_tcp() {
    pubsub_reconnect("tcp://127.0.0.1:*");
}

#[test]
fn pubsub_reconnect_over_ipc() {
    pubsub_reconnect(&Ipc::new("pubsub-reconnect").endpoint);
}

#[test]
fn a_reconnect_publisher_left_alone_holds_then_exits_0() {
    let (publisher, subscriber, _) = pair(
        PEER,
        &["pub", "--endpoint", "tcp://127.0.0.1:*", "--case", "reconnect", "--count", "2"]
            .into_iter()
            .chain(["--timeout-ms", "1000"])
            .collect::<Vec<_>>(),
        &["sub", "--case", "reconnect", "--count", "2"],
    );
    subscriber.finish().assert_code(0);
    let started = Instant::now();
    publisher.finish().assert_code(0);
    assert!(started.elapsed() > Duration::from_millis(300), "it held its socket open");
}

#[test]
fn the_default_case_is_still_fancyhw() {
    let (publisher, subscriber, _) = pair(
        PEER,
        &["pub", "--endpoint", "tcp://127.0.0.1:*", "--sync", "--count", "2", "--exit-with-stdin"],
        &["sub", "--count", "2", "--exit-with-stdin"],
    );
    let sub = subscriber.finish();
    sub.assert_code(0);
    publisher.finish().assert_code(0);
    let expected: Vec<String> = packets(12345, 16, 2)
        .iter()
        .enumerate()
        .map(|(seq, samples)| packet_line(seq as u64, "fancyhw_data", samples))
        .collect();
    assert_eq!(sub.lines[1..], expected[..]);
}

#[test]
fn a_case_the_role_does_not_play_is_exit_4_before_any_socket() {
    for (role, case) in [("sub", "array"), ("pub", "heartbeat"), ("sub", "no-such-case")] {
        let peer = Peer::start(PEER, &[role, "--endpoint", "tcp://127.0.0.1:*", "--case", case]);
        let outcome = peer.finish();
        outcome.assert_code(4);
        assert!(outcome.lines.is_empty(), "no ready line: {:?}", outcome.lines);
        assert_eq!(
            outcome.stderr,
            format!("error: case \"{case}\" is not implemented by this peer\n")
        );
    }
}

#[test]
fn closing_stdin_ends_a_waiting_subscriber_with_exit_6_within_a_second() {
    let mut subscriber = Peer::start(
        PEER,
        &["sub", "--endpoint", "tcp://127.0.0.1:9", "--timeout-ms", "60000", "--exit-with-stdin"],
    );
    subscriber.ready();
    let closed = Instant::now();
    subscriber.close_stdin();
    let outcome = subscriber.finish_within(Duration::from_secs(5));
    assert!(closed.elapsed() < Duration::from_secs(1), "{:?}", closed.elapsed());
    outcome.assert_code(6);
    assert_eq!(outcome.stderr, "error: stdin closed: the harness is gone\n");
}
