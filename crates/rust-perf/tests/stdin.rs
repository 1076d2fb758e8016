//! `--exit-with-stdin` in the benchmark peer (peer-kit's entry point gives it to every Rust
//! peer): a closed stdin ends a waiting role with exit 6 at once; a held one does not delay
//! a normal exit.

#[allow(dead_code)]
#[path = "../../peer-kit/testing/peers.rs"]
mod peers;

use peers::{Peer, pair};
use std::time::{Duration, Instant};

const PEER: &str = env!("CARGO_BIN_EXE_rust-perf");

#[test]
fn closing_stdin_ends_a_waiting_benchmark_role_with_exit_6_within_a_second() {
    let mut pull = Peer::start(
        PEER,
        &[
            "thr-pull",
            "--endpoint",
            "tcp://127.0.0.1:*",
            "--timeout-ms",
            "60000",
            "--exit-with-stdin",
        ],
    );
    pull.ready();
    let closed = Instant::now();
    pull.close_stdin();
    let outcome = pull.finish_within(Duration::from_secs(5));
    assert!(closed.elapsed() < Duration::from_secs(1), "{:?}", closed.elapsed());
    outcome.assert_code(6);
    assert_eq!(outcome.stderr, "error: stdin closed: the harness is gone\n");
}

#[test]
fn a_held_stdin_does_not_delay_a_normal_exit() {
    let (rep, req, _) = pair(
        PEER,
        &["lat-rep", "--endpoint", "tcp://127.0.0.1:*", "--count", "50", "--exit-with-stdin"],
        &["lat-req", "--count", "50", "--exit-with-stdin"],
    );
    let started = Instant::now();
    let outcome = req.finish_within(Duration::from_secs(10));
    outcome.assert_code(0);
    assert!(outcome.lines[1].starts_with(r#"{"event":"result","kind":"lat","count":50"#));
    rep.finish_within(Duration::from_secs(10)).assert_code(0);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn closing_stdin_ends_a_sender_lingering_for_nobody_at_once() {
    // Ten messages queued for a peer that never comes: closing waits up to ZMQ_LINGER (the
    // timeout, a minute here); the watcher thread still ends the process when stdin closes.
    let mut push = Peer::start(
        PEER,
        &[
            "thr-push",
            "--endpoint",
            "tcp://127.0.0.1:9",
            "--timeout-ms",
            "60000",
            "--exit-with-stdin",
        ],
    );
    push.ready();
    // Aims at the linger, after the sends; the assertions hold whenever stdin closes.
    std::thread::sleep(Duration::from_millis(300));
    let closed = Instant::now();
    push.close_stdin();
    let outcome = push.finish_within(Duration::from_secs(5));
    assert!(closed.elapsed() < Duration::from_secs(1), "{:?}", closed.elapsed());
    outcome.assert_code(6);
    assert_eq!(outcome.stderr, "error: stdin closed: the harness is gone\n");
}
