//! Runs the built `zmqrs-peer` as two real processes over real sockets: one pub/sub exchange
//! (tcp) and req/rep exchanges (ipc), checked against the Rust fakehw; plus the contract's
//! answers that need no partner (usage error, unknown case, timeout).

use assert_cmd::Command as AssertCommand;
use contract::output::{Event, Packet, Reply, Verdict};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

const PEER: &str = env!("CARGO_BIN_EXE_zmqrs-peer");

/// The peer with `args`, stdout piped. The workspace routes process spawning through the
/// harness (clippy.toml); this test cannot depend on the harness (peers never do), and needs a
/// running child whose first line it reads, which `assert_cmd` does not offer.
#[allow(clippy::disallowed_methods)]
fn spawn(args: &[&str]) -> Child {
    Command::new(PEER)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zmqrs-peer starts")
}

/// Starts the binder and returns it with the endpoint from its ready line.
fn start_binder(args: &[&str]) -> (Child, String) {
    let mut child = spawn(args);
    let stdout = child.stdout.as_mut().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("ready line");
    let Ok(Event::Ready { endpoint }) = serde_json::from_str::<Event>(&line) else {
        panic!("first line is not ready: {line:?}");
    };
    (child, endpoint)
}

/// Runs the connector to completion, then waits for the binder.
fn finish(binder: Child, connector_args: &[&str]) -> (Output, Output) {
    let connector = spawn(connector_args).wait_with_output().expect("connector finishes");
    let binder = binder.wait_with_output().expect("binder finishes");
    (binder, connector)
}

/// The data lines (everything after the ready line).
fn data_lines(output: &Output) -> Vec<String> {
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().filter(|l| !l.contains("\"event\":\"ready\"")).map(str::to_owned).collect()
}

fn assert_success(name: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{name} failed: {:?}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn pub_sub_over_tcp_delivers_the_fakehw_sequence() {
    let common = ["--count", "20", "--packet-size", "8", "--seed", "7", "--timeout-ms", "10000"];
    let (publisher, endpoint) = start_binder(
        &[&["pub", "--endpoint", "tcp://127.0.0.1:*", "--sync"], &common[..]].concat(),
    );
    assert!(endpoint.starts_with("tcp://127.0.0.1:") && !endpoint.ends_with(":0"), "{endpoint}");
    let (publisher, subscriber) =
        finish(publisher, &[&["sub", "--endpoint", &endpoint], &common[..]].concat());
    assert_success("publisher", &publisher);
    assert_success("subscriber", &subscriber);
    let mut hw = fakehw::Glibc::new(7);
    let lines = data_lines(&subscriber);
    assert_eq!(lines.len(), 20);
    for (seq, line) in lines.iter().enumerate() {
        let packet: Packet = serde_json::from_str(line).expect("a packet line");
        let mut expected = vec![0i16; 8];
        hw.fill_samples(&mut expected);
        assert_eq!((packet.seq, packet.topic.as_str()), (seq as u64, "fancyhw_data"));
        assert_eq!(packet.samples, expected, "envelope {seq}");
    }
}

#[test]
fn req_rep_over_ipc_agree_on_the_array_and_on_hello() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (case, reply) in [("array", "SUCCESS"), ("hello", "world")] {
        let endpoint = format!("ipc://{}", dir.path().join(format!("{case}.sock")).display());
        let common = ["--case", case, "--count", "3", "--len", "1000", "--timeout-ms", "10000"];
        let (replier, resolved) =
            start_binder(&[&["rep", "--endpoint", &endpoint], &common[..]].concat());
        assert_eq!(resolved, endpoint);
        let (replier, requester) =
            finish(replier, &[&["req", "--endpoint", &endpoint], &common[..]].concat());
        assert_success("replier", &replier);
        assert_success("requester", &requester);
        for line in data_lines(&replier) {
            let verdict: Verdict = serde_json::from_str(&line).expect("a verdict line");
            assert_eq!(verdict.verdict, "SUCCESS", "{line}");
        }
        let replies = data_lines(&requester);
        assert_eq!(replies.len(), 3);
        for line in replies {
            let got: Reply = serde_json::from_str(&line).expect("a reply line");
            assert_eq!(got.reply.as_deref(), Some(reply), "{line}");
        }
        // The engine's close unbinds, which removes the socket file as libzmq does.
        assert!(!dir.path().join(format!("{case}.sock")).exists());
    }
}

#[test]
fn a_corrupted_array_is_a_mismatch_on_both_sides() {
    let common = ["--count", "1", "--len", "100", "--timeout-ms", "10000"];
    let (replier, endpoint) =
        start_binder(&[&["rep", "--endpoint", "tcp://127.0.0.1:*"], &common[..]].concat());
    let requester_args = [&["req", "--endpoint", &endpoint, "--corrupt-index", "7"], &common[..]];
    let (replier, requester) = finish(replier, &requester_args.concat());
    assert_eq!((replier.status.code(), requester.status.code()), (Some(1), Some(1)));
    let verdict: Verdict = serde_json::from_str(&data_lines(&replier)[0]).expect("a verdict");
    assert_eq!((verdict.verdict.as_str(), verdict.index), ("FAILURE", Some(7)));
}

#[test]
fn usage_errors_unknown_cases_and_timeouts_exit_as_the_contract_says() {
    let usage = AssertCommand::new(PEER).args(["sub", "--count", "0"]).assert().code(2);
    let output = usage.get_output();
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.starts_with("error: "), "{stderr}");

    AssertCommand::new(PEER)
        .args(["rep", "--endpoint", "tcp://127.0.0.1:1", "--case", "nosuch"])
        .assert()
        .code(4)
        .stdout("")
        .stderr("error: case \"nosuch\" is not implemented by this peer\n");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let timed_out = AssertCommand::new(PEER)
        .args(["sub", "--endpoint", &endpoint, "--timeout-ms", "300", "--count", "1"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&timed_out.get_output().stderr).into_owned();
    assert_eq!(stderr, format!("error: timed out after 300 ms connecting to {endpoint}\n"));
}

#[test]
fn info_is_one_json_object_naming_zmq_rs() {
    let assert = AssertCommand::new(PEER).arg("--info").assert().success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert_eq!(text.lines().count(), 1);
    let info: contract::output::Info = serde_json::from_str(&text).expect("an info object");
    assert_eq!((info.binding.as_str(), info.engine.as_str()), ("zmq.rs", "zmq.rs"));
    assert_eq!(info.libzmq, None);
    assert_eq!(info.roles.len(), 8);
}
