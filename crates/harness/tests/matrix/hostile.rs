//! Hostile wire input: every peer, binding a REP, is sent junk by a raw TCP client — a bad
//! signature, a wrong ZMTP major, a frame announcing 2^63 bytes, a truncated frame, each then
//! hung up — and must neither crash nor hang, and still serve a proper requester afterwards.

use super::support;
use crate::{check, need_peer};
use harness::cell::ident;
use harness::process::{self, Exit, Line};
use libtest_mimic::{Completion, Failed, Trial};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// One trial per peer.
pub(crate) fn trials() -> Vec<Trial> {
    support::ids()
        .into_iter()
        .map(|id| {
            let name = format!("contract::hostile_input::{}", ident(id));
            Trial::ignorable_test(name.clone(), move || support::as_known(&name, hostile_input(id)))
        })
        .collect()
}

/// ZMTP 3.0's greeting with the NULL mechanism, for a client (`as-server` 0).
fn greeting(major: u8) -> Vec<u8> {
    let mut bytes = vec![0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, major, 0];
    let mut mechanism = b"NULL".to_vec();
    mechanism.resize(20, 0);
    bytes.extend(mechanism);
    bytes.push(0);
    bytes.resize(64, 0);
    bytes
}

/// The READY command of a REQ socket (short command frame).
fn ready_req() -> Vec<u8> {
    let mut body = vec![5];
    body.extend(b"READY");
    body.push(11);
    body.extend(b"Socket-Type");
    body.extend(3u32.to_be_bytes());
    body.extend(b"REQ");
    let mut frame = vec![0x04, u8::try_from(body.len()).unwrap_or(u8::MAX)];
    frame.extend(body);
    frame
}

/// The junk, each sent on a fresh connection that is then hung up.
fn junk() -> Vec<(&'static str, Vec<u8>)> {
    let handshake = [greeting(3), ready_req()].concat();
    // A long data frame (flags 0x02) announcing 2^63 bytes, then a few of them.
    let mut huge = handshake.clone();
    huge.push(0x02);
    huge.extend((1u64 << 63).to_be_bytes());
    huge.extend(b"abc");
    // A short frame announcing 100 bytes, with 10 of them.
    let mut truncated = handshake;
    truncated.extend([0x00, 100]);
    truncated.extend([b'x'; 10]);
    vec![
        ("a bad signature", vec![b'x'; 64]),
        ("a wrong ZMTP major (255)", greeting(255)),
        ("a frame announcing 2^63 bytes", huge),
        ("a truncated frame", truncated),
        ("a hang-up right after connecting", Vec::new()),
    ]
}

fn hostile_input(id: &str) -> Result<Completion, Failed> {
    let peer = need_peer!(id);
    let deadline = Instant::now() + harness::settings::process_timeout();
    let timeout = harness::settings::peer_timeout().as_millis().to_string();
    let rep = peer
        .command(
            contract::Role::Rep,
            "replier",
            [
                "--endpoint",
                "tcp://127.0.0.1:*",
                "--case",
                "hello",
                "--count",
                "1",
                "--timeout-ms",
                timeout.as_str(),
            ],
        )
        .map_err(Failed::from)?;
    let mut binder = process::spawn(&rep).map_err(|e| Failed::from(e.to_string()))?;
    let endpoint = match binder.next_line(deadline) {
        Line::Text(line) => line
            .split("\"endpoint\":\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
            .ok_or_else(|| Failed::from(format!("not a ready line: {line}")))?,
        other => return Err(format!("no ready line: {other:?}").into()),
    };
    let address = endpoint.trim_start_matches("tcp://").to_owned();
    for (what, bytes) in junk() {
        let mut stream = TcpStream::connect(&address)
            .map_err(|e| Failed::from(format!("connecting to send {what}: {e}")))?;
        let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
        // The peer may hang up first, on seeing the junk: that is its right.
        let _ = stream.write_all(&bytes);
        let mut sink = [0u8; 256];
        let _ = stream.read(&mut sink);
        drop(stream);
        if binder.has_exited() {
            let done = binder.stop();
            return Err(support::explain(&format!("the replier ended after {what}"), &[&done]));
        }
    }
    // A proper requester of the same peer is still served.
    let req = peer
        .command(
            contract::Role::Req,
            "requester",
            ["--endpoint", &endpoint, "--case", "hello", "--count", "1", "--timeout-ms", &timeout],
        )
        .map_err(Failed::from)?;
    let requester = process::run(&req, harness::settings::process_timeout())
        .map_err(|e| Failed::from(e.to_string()))?;
    let replier = binder.wait(deadline);
    let runs = [&replier, &requester];
    check!(requester.succeeded(), &runs, "the requester should be served after the junk");
    check!(
        replier.exit == Exit::Code(0),
        &runs,
        "the replier should answer it and exit 0, neither crashing nor hanging"
    );
    Ok(Completion::Completed)
}
