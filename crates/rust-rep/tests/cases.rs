//! Two real `rust-rep` processes per test, replier and requester, for the contract's REQ/REP
//! cases: multipart, empty, large (64 MiB each way), heartbeat, reconnect (over tcp and ipc),
//! the refusal of a case the role does not play, `--pause-after` and `--exit-with-stdin`.

#[allow(dead_code)]
#[path = "../../peer-kit/testing/peers.rs"]
mod peers;

use peers::{Ipc, Peer, frames_line, pair};
use std::time::{Duration, Instant};

const PEER: &str = env!("CARGO_BIN_EXE_rust-rep");

fn array(seed: u32, len: usize) -> Vec<u8> {
    let mut values = vec![0.0; len];
    fakehw::Glibc::new(seed).fill_f64(&mut values);
    envelope::encode_f64(&values)
}

fn args<'a>(parts: &[&[&'a str]]) -> Vec<&'a str> {
    parts.concat()
}

#[test]
fn reqrep_multipart_echoes_three_frames_with_the_empty_one() {
    let (replier, requester, _) = pair(
        PEER,
        &args(&[&["rep", "--endpoint", "tcp://127.0.0.1:*"], &["--case", "multipart"]]),
        &args(&[&["req", "--case", "multipart", "--count", "2", "--len", "3"]]),
    );
    let req = requester.finish();
    req.assert_code(0);
    // The replier was asked for the default 10 requests: it is left waiting; drop kills it.
    drop(replier);
    let bytes = array(12345, 3);
    let expected: Vec<String> =
        (0..2).map(|seq| frames_line(seq, &[b"multipart", b"", &bytes])).collect();
    assert_eq!(req.lines[1..], expected[..]);
}

#[test]
fn reqrep_multipart_replier_prints_each_request_whole() {
    let ipc = Ipc::new("reqrep-multipart");
    let endpoint = ipc.endpoint.as_str();
    let (replier, requester, _) = pair(
        PEER,
        &args(&[&["rep", "--endpoint", endpoint], &["--case", "multipart", "--count", "2"]]),
        &args(&[&["req", "--case", "multipart", "--count", "2", "--len", "2"]]),
    );
    requester.finish().assert_code(0);
    let rep = replier.finish();
    rep.assert_code(0);
    let bytes = array(12345, 2);
    let expected: Vec<String> =
        (0..2).map(|seq| frames_line(seq, &[b"multipart", b"", &bytes])).collect();
    assert_eq!(rep.lines, expected);
}

#[test]
fn reqrep_empty_sends_and_answers_zero_bytes() {
    let ipc = Ipc::new("reqrep-empty");
    let endpoint = ipc.endpoint.as_str();
    let (replier, requester, _) = pair(
        PEER,
        &args(&[&["rep", "--endpoint", endpoint, "--case", "empty", "--count", "3"]]),
        &args(&[&["req", "--case", "empty", "--count", "3", "--exit-with-stdin"]]),
    );
    let req = requester.finish();
    req.assert_code(0);
    let rep = replier.finish();
    rep.assert_code(0);
    let expected: Vec<String> = (0..3).map(|seq| frames_line(seq, &[b""])).collect();
    assert_eq!(req.lines[1..], expected[..]);
    assert_eq!(rep.lines, expected);
}

#[test]
fn reqrep_large_carries_64_mib_each_way() {
    let large = ["--case", "large", "--len", "8388608", "--count", "2", "--exit-with-stdin"];
    let (replier, requester, _) = pair(
        PEER,
        &args(&[&["rep", "--endpoint", "tcp://127.0.0.1:*"], &large]),
        &args(&[&["req"], &large]),
    );
    let req = requester.finish();
    req.assert_code(0);
    let rep = replier.finish();
    rep.assert_code(0);
    assert_eq!(
        req.lines[1..],
        [
            r#"{"seq":0,"reply_bytes":67108864,"matches":true}"#,
            r#"{"seq":1,"reply_bytes":67108864,"matches":true}"#
        ]
    );
    assert_eq!(rep.lines, [r#"{"seq":0,"verdict":"SUCCESS"}"#, r#"{"seq":1,"verdict":"SUCCESS"}"#]);
}

#[test]
fn reqrep_large_with_a_wrong_array_is_a_mismatch_on_both_sides() {
    let large = ["--case", "large", "--len", "1000", "--count", "1"];
    let (replier, requester, _) = pair(
        PEER,
        &args(&[&["rep", "--endpoint", "tcp://127.0.0.1:*"], &large]),
        &args(&[&["req", "--corrupt-index", "999"], &large]),
    );
    let req = requester.finish();
    req.assert_code(1);
    assert_eq!(req.lines[1..], [r#"{"seq":0,"reply_bytes":7,"matches":false}"#]);
    assert!(req.stderr.contains("error: reply to request 0 was 7 bytes (hex 4641494c555245)"));
    let rep = replier.finish();
    rep.assert_code(1);
    assert!(
        rep.lines[0].contains(r#""verdict":"FAILURE""#) && rep.lines[0].contains(r#""index":999"#)
    );
}

#[test]
fn reqrep_heartbeat_keeps_the_link_across_a_silence() {
    // The replier is asked for one request more than the requester sends, so that it does not
    // close the connection right after its last reply: with ZMQ_RECONNECT_IVL -1, libzmq
    // (4.3.4 and 4.3.5) turns that disconnection into zmq_disconnect on the requester's side,
    // which drops a reply already received but not yet read (see the README).
    let (mut replier, requester, _) = pair(
        PEER,
        &args(&[&[
            "rep",
            "--endpoint",
            "tcp://127.0.0.1:*",
            "--case",
            "heartbeat",
            "--count",
            "3",
        ]])
        .into_iter()
        .chain(["--exit-with-stdin"])
        .collect::<Vec<_>>(),
        &args(&[&["req", "--case", "heartbeat", "--count", "2", "--silence-ms", "1000"]]),
    );
    let started = Instant::now();
    let req = requester.finish();
    req.assert_code(0);
    assert!(started.elapsed() >= Duration::from_millis(1000), "it kept the silence");
    assert_eq!(req.lines[1..], [r#"{"seq":0,"reply":"world"}"#, r#"{"seq":1,"reply":"world"}"#]);
    assert_eq!(replier.line(), r#"{"seq":0,"verdict":"SUCCESS"}"#);
    assert_eq!(replier.line(), r#"{"seq":1,"verdict":"SUCCESS"}"#);
    replier.close_stdin();
    replier.finish().assert_code(6);
}

/// The replier is killed while the requester is paused; a second replier binds the same
/// endpoint, the requester is let go, and its engine reconnects by itself.
fn reqrep_reconnect(endpoint: &str) {
    let mut first = Peer::start(
        PEER,
        &args(&[
            &["rep", "--endpoint", endpoint, "--case", "reconnect", "--count", "2"],
            &["--timeout-ms", "30000", "--exit-with-stdin"],
        ]),
    );
    let endpoint = first.ready();
    let mut requester = Peer::start(
        PEER,
        &args(&[
            &["req", "--endpoint", &endpoint, "--case", "reconnect", "--count", "4"],
            &["--pause-after", "2"],
        ]),
    );
    assert_eq!(requester.ready(), endpoint);
    let before: Vec<String> = (0..3).map(|_| requester.line()).collect();
    assert_eq!(
        before,
        [r#"{"seq":0,"reply":"world"}"#, r#"{"seq":1,"reply":"world"}"#, r#"{"event":"paused"}"#]
    );
    first.kill();
    let mut second = Peer::start(
        PEER,
        &args(&[&["rep", "--endpoint", &endpoint, "--case", "hello", "--count", "2"]]),
    );
    assert_eq!(second.ready(), endpoint, "the second replier binds the same endpoint");
    requester.write_line("go on");
    let req = requester.finish();
    req.assert_code(0);
    assert_eq!(req.lines, [r#"{"seq":2,"reply":"world"}"#, r#"{"seq":3,"reply":"world"}"#]);
    let rep = second.finish();
    rep.assert_code(0);
    assert_eq!(rep.lines, [r#"{"seq":0,"verdict":"SUCCESS"}"#, r#"{"seq":1,"verdict":"SUCCESS"}"#]);
}

#[test]
fn reqrep_reconnect_over_tcp() {
    reqrep_reconnect("tcp://127.0.0.1:*");
}

#[test]
fn reqrep_reconnect_over_ipc() {
    reqrep_reconnect(&Ipc::new("reqrep-reconnect").endpoint);
}

#[test]
fn a_paused_requester_whose_stdin_ends_exits_6() {
    let (replier, mut requester, _) = pair(
        PEER,
        &args(&[&["rep", "--endpoint", "tcp://127.0.0.1:*", "--case", "hello", "--count", "1"]]),
        &args(&[&["req", "--case", "hello", "--count", "2", "--pause-after", "1"]]),
    );
    requester.ready();
    assert_eq!(requester.line(), r#"{"seq":0,"reply":"world"}"#);
    assert_eq!(requester.line(), r#"{"event":"paused"}"#);
    requester.close_stdin();
    let req = requester.finish();
    req.assert_code(6);
    assert_eq!(req.stderr, "error: stdin closed: the harness is gone\n");
    replier.finish().assert_code(0);
}

#[test]
fn pause_after_with_exit_with_stdin_is_a_usage_error() {
    let args =
        ["req", "--endpoint", "tcp://127.0.0.1:9", "--pause-after", "1", "--exit-with-stdin"];
    let outcome = Peer::start(PEER, &args).finish();
    outcome.assert_code(2);
    assert!(outcome.lines.is_empty());
    assert_eq!(outcome.stderr.lines().count(), 1, "{}", outcome.stderr);
}

#[test]
fn a_case_the_role_does_not_play_is_exit_4_before_any_socket() {
    for (role, case) in [("rep", "topics"), ("req", "fancyhw"), ("req", "no-such-case")] {
        let outcome =
            Peer::start(PEER, &[role, "--endpoint", "tcp://127.0.0.1:*", "--case", case]).finish();
        outcome.assert_code(4);
        assert!(outcome.lines.is_empty(), "no ready line: {:?}", outcome.lines);
        assert_eq!(
            outcome.stderr,
            format!("error: case \"{case}\" is not implemented by this peer\n")
        );
    }
}

#[test]
fn closing_stdin_ends_a_waiting_replier_with_exit_6_within_a_second() {
    let mut replier = Peer::start(
        PEER,
        &["rep", "--endpoint", "tcp://127.0.0.1:*", "--timeout-ms", "60000", "--exit-with-stdin"],
    );
    replier.ready();
    let closed = Instant::now();
    replier.close_stdin();
    let outcome = replier.finish_within(Duration::from_secs(5));
    assert!(closed.elapsed() < Duration::from_secs(1), "{:?}", closed.elapsed());
    outcome.assert_code(6);
    assert_eq!(outcome.stderr, "error: stdin closed: the harness is gone\n");
}

#[test]
fn the_default_case_is_still_array() {
    let (replier, requester, _) = pair(
        PEER,
        &args(&[&["rep", "--endpoint", "tcp://127.0.0.1:*", "--count", "1", "--exit-with-stdin"]]),
        &args(&[&["req", "--count", "1", "--exit-with-stdin"]]),
    );
    let req = requester.finish();
    req.assert_code(0);
    assert_eq!(req.lines[1..], [r#"{"seq":0,"reply":"SUCCESS"}"#]);
    replier.finish().assert_code(0);
}

/// A ZMTP 3.0 REP over a raw TCP socket that answers each request with `world` but never
/// answers a PING: the requester's heartbeats must drop the link during the silence, and
/// with reconnection off the next request never gets through (exit 3).
#[test]
fn reqrep_heartbeat_drops_a_link_whose_peer_never_answers_pings() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let endpoint = format!("tcp://{}", listener.local_addr().expect("its address"));
    let deaf = std::thread::spawn(move || -> std::io::Result<Vec<Vec<u8>>> {
        let (mut link, _) = listener.accept()?;
        let mut greeting = vec![0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 3, 0];
        greeting.extend(b"NULL".iter().copied().chain(std::iter::repeat_n(0, 16 + 1 + 31)));
        link.write_all(&greeting)?;
        link.read_exact(&mut [0; 64])?;
        let ready = [&b"\x05READY\x0bSocket-Type\0\0\0\x03REP"[..]].concat();
        link.write_all(&[&[0x04, ready.len() as u8][..], &ready].concat())?;
        let mut commands = Vec::new();
        let frame = |link: &mut std::net::TcpStream| -> std::io::Result<(u8, Vec<u8>)> {
            let mut head = [0; 2];
            link.read_exact(&mut head)?;
            let mut body = vec![0; usize::from(head[1])];
            link.read_exact(&mut body)?;
            Ok((head[0], body))
        };
        loop {
            let Ok((flags, body)) = frame(&mut link) else { return Ok(commands) };
            if flags & 0x04 != 0 {
                commands.push(body);
            } else if flags & 0x01 == 0 {
                // The last frame of a request (the hello after REQ's empty delimiter).
                link.write_all(b"\x01\x00\x00\x05world")?;
            }
        }
    });
    let req = Peer::start(
        PEER,
        &["req", "--endpoint", &endpoint, "--case", "heartbeat", "--count", "2", "--silence-ms"]
            .into_iter()
            .chain(["1000", "--heartbeat-ivl-ms", "100", "--timeout-ms", "1500"])
            .collect::<Vec<_>>(),
    )
    .finish();
    req.assert_code(3);
    assert_eq!(req.lines[1..], [r#"{"seq":0,"reply":"world"}"#]);
    let commands = deaf.join().expect("the deaf replier").expect("its socket");
    let pings = commands.iter().filter(|c| c.starts_with(b"\x04PING")).count();
    assert!(pings >= 1, "the requester sent PINGs: {commands:?}");
}
