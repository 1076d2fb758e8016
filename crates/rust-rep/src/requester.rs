//! The requester: sends the expected array (or `hello`, or the case's frames) and checks or
//! prints each reply; `--pause-after` stops it on stdin, case `heartbeat` keeps silences.

use crate::{HELLO, MULTIPART, SUCCESS, WORLD};
use contract::options::Run;
use contract::output::{Event, Reply};
use contract::{Case, PeerError};
use peer_kit::ZmqContext;
use std::time::Duration;

/// What the requester sends, and what it makes of a reply, by case.
enum Plan {
    /// One frame; the reply must be `expected` (cases `array`, `hello`, `reconnect`,
    /// `heartbeat`).
    Text { request: Vec<u8>, expected: &'static [u8] },
    /// The array; the reply must be the very same bytes (case `large`).
    Echo { request: Vec<u8> },
    /// These frames; every reply is printed as a frames line (cases `multipart`, `empty`).
    Frames { frames: Vec<Vec<u8>> },
}

/// The array a requester sends: the expected one, with `--corrupt-index` applied.
fn request_array(run: &Run) -> Vec<u8> {
    let options = &run.options;
    let mut bytes = crate::expected_array(options.seed, options.len);
    if let Some(index) = options.corrupt_index {
        let at = index as usize * envelope::array::F64_BYTES;
        let value = envelope::array::value_at(&bytes, index as usize).unwrap_or_default() + 1.0;
        bytes[at..at + envelope::array::F64_BYTES].copy_from_slice(&value.to_le_bytes());
    }
    bytes
}

fn plan(run: &Run, case: Case) -> Result<Plan, PeerError> {
    Ok(match case {
        Case::Array => Plan::Text { request: request_array(run), expected: SUCCESS },
        Case::Hello | Case::Reconnect | Case::Heartbeat => {
            Plan::Text { request: HELLO.to_vec(), expected: WORLD }
        }
        Case::Large => Plan::Echo { request: request_array(run) },
        Case::Multipart => {
            Plan::Frames { frames: vec![MULTIPART.to_vec(), Vec::new(), request_array(run)] }
        }
        Case::Empty => Plan::Frames { frames: vec![Vec::new()] },
        other => return Err(other.unsupported_here()),
    })
}

/// Sends `--count` requests, printing each reply; exit 1 if any reply was not the expected one.
pub(crate) fn run(run: &Run) -> Result<(), PeerError> {
    let options = &run.options;
    let case = run.case()?;
    let plan = plan(run, case)?;
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::REQ, run, |socket| {
        if case == Case::Heartbeat { heartbeats(socket, run) } else { Ok(()) }
    })?;
    let mut first_unexpected = None;
    for seq in 0..options.count {
        if seq > 0 && case == Case::Heartbeat {
            // The case itself: a silence longer than the heartbeat timeout, not a wait for
            // anything to become ready.
            std::thread::sleep(Duration::from_millis(options.silence_ms));
        }
        let what = format!("request {seq}");
        let waiting_for = format!("the reply to request {seq}");
        match &plan {
            Plan::Text { request, expected } => {
                peer_kit::send(&socket, run, request, &what)?;
                let reply = peer_kit::recv(&socket, run, &waiting_for)?;
                peer_kit::emit(&Reply::of_bytes(seq, &reply))?;
                if &reply[..] != *expected && first_unexpected.is_none() {
                    first_unexpected = Some(format!(
                        "reply to request {seq} was {:?} (hex {}), expected {:?}",
                        String::from_utf8_lossy(&reply),
                        contract::hex::encode(&reply),
                        String::from_utf8_lossy(expected),
                    ));
                }
            }
            Plan::Echo { request } => {
                peer_kit::send(&socket, run, request, &what)?;
                let reply = peer_kit::recv(&socket, run, &waiting_for)?;
                let matches = reply[..] == request[..];
                peer_kit::emit(&Reply {
                    seq,
                    reply: None,
                    reply_hex: None,
                    reply_bytes: Some(reply.len() as u64),
                    matches: Some(matches),
                })?;
                if !matches && first_unexpected.is_none() {
                    first_unexpected = Some(format!(
                        "reply to request {seq} was {} bytes (hex {}{}), not the {} bytes sent",
                        reply.len(),
                        contract::hex::encode(&reply[..reply.len().min(32)]),
                        if reply.len() > 32 { "..." } else { "" },
                        request.len(),
                    ));
                }
            }
            Plan::Frames { frames } => {
                peer_kit::send_frames(&socket, run, frames.iter().map(Vec::as_slice), &what)?;
                let reply = peer_kit::recv_frames(&socket, run, &waiting_for)?;
                peer_kit::emit(&peer_kit::frames_line(seq, &reply))?;
            }
        }
        if options.pause_after == Some(seq + 1) {
            peer_kit::emit(&Event::Paused)?;
            contract::stdin::wait_for_line()?;
        }
    }
    match first_unexpected {
        None => Ok(()),
        Some(reason) => Err(PeerError::mismatch(reason)),
    }
}

/// Case `heartbeat`: ZMTP PINGs every `--heartbeat-ivl-ms`, a link without PONG for three
/// times that is dropped, and a dropped link stays dropped (no reconnection).
fn heartbeats(socket: &zmq::Socket, run: &Run) -> Result<(), PeerError> {
    let ivl = i32::try_from(run.options.heartbeat_ivl_ms).unwrap_or(i32::MAX);
    socket.set_heartbeat_ivl(ivl).call("zmq_setsockopt(ZMQ_HEARTBEAT_IVL)")?;
    socket
        .set_heartbeat_timeout(ivl.saturating_mul(3))
        .call("zmq_setsockopt(ZMQ_HEARTBEAT_TIMEOUT)")?;
    socket.set_reconnect_ivl(-1).call("zmq_setsockopt(ZMQ_RECONNECT_IVL)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::options::{Invocation, parse};

    fn run(args: &[&str]) -> Run {
        let argv = ["rust-rep", "req", "--endpoint", "ipc:///tmp/x"]
            .into_iter()
            .chain(args.iter().copied());
        match parse(argv, &[contract::Role::Req]) {
            Ok(Invocation::Run(run)) => *run,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_corrupted_array_differs_by_one_at_the_index() {
        let clean = request_array(&run(&["--len", "8"]));
        let bad = request_array(&run(&["--len", "8", "--corrupt-index", "5"]));
        for i in 0..8 {
            let (want, got) =
                (envelope::array::value_at(&clean, i), envelope::array::value_at(&bad, i));
            let want = want.unwrap() + if i == 5 { 1.0 } else { 0.0 };
            assert_eq!(want.to_bits(), got.unwrap().to_bits(), "value {i}");
        }
    }

    #[test]
    fn the_frames_cases_send_the_contracts_frames() {
        let run = run(&["--len", "2"]);
        let Ok(Plan::Frames { frames }) = plan(&run, Case::Multipart) else { panic!("frames") };
        assert_eq!(frames, [b"multipart".to_vec(), Vec::new(), crate::expected_array(12345, 2)]);
        let Ok(Plan::Frames { frames }) = plan(&run, Case::Empty) else { panic!("frames") };
        assert_eq!(frames, [Vec::<u8>::new()]);
        assert!(matches!(plan(&run, Case::Large), Ok(Plan::Echo { .. })));
        for case in [Case::Hello, Case::Reconnect, Case::Heartbeat] {
            assert!(matches!(plan(&run, case), Ok(Plan::Text { expected: b"world", .. })));
        }
        let refused = plan(&run, Case::Topics).err().map(|e| e.reason);
        assert_eq!(refused.as_deref(), Some(r#"case "topics" is not implemented by this peer"#));
    }
}
