//! The requester: sends the expected array (or `hello`, or the cases' multipart and empty
//! requests) and records each reply; with `--pause-after K` it stops after the K-th reply until
//! a line arrives on stdin.

use crate::kit::{self, Peer};
use crate::{HELLO, SUCCESS, WORLD};
use contract::options::Run;
use contract::output::{Event, Reply};
use contract::{Case, PeerError};
use zeromq::{ReqSocket, Socket, ZmqMessage};

/// What a reply should be, and so how it is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// This text (`SUCCESS`, `world`): a reply line, exit 1 for another reply.
    Text(&'static [u8]),
    /// The request's own bytes (case `large`): a `reply_bytes`/`matches` line, exit 1 if not.
    Echo,
    /// Anything: a frames line, nothing checked (cases `multipart` and `empty`).
    Frames,
}

/// Sends `--count` requests, printing each reply; exit 1 if any reply was not the expected one.
pub(crate) async fn run(run: &Run, case: Case) -> Result<(), PeerError> {
    let options = &run.options;
    let array = || crate::array_bytes(options.seed, options.len, options.corrupt_index);
    let (request, expect) = match case {
        Case::Array => (ZmqMessage::from(array()), Expect::Text(SUCCESS)),
        Case::Large => (ZmqMessage::from(array()), Expect::Echo),
        Case::Multipart => {
            (kit::message_of(vec![b"multipart".to_vec(), Vec::new(), array()]), Expect::Frames)
        }
        Case::Empty => (ZmqMessage::from(Vec::new()), Expect::Frames),
        // hello, and reconnect, which plays hello (with --pause-after).
        Case::Hello | Case::Reconnect => (ZmqMessage::from(HELLO.to_vec()), Expect::Text(WORLD)),
        other => return Err(other.unsupported_here()),
    };
    let mut requester = kit::open(run, ReqSocket::with_options(kit::options())).await?;
    let outcome = ask(&mut requester, run, &request, expect).await;
    requester.close().await;
    outcome
}

async fn ask(
    requester: &mut Peer<'_, ReqSocket>,
    run: &Run,
    request: &ZmqMessage,
    expect: Expect,
) -> Result<(), PeerError> {
    let mut first_unexpected = None;
    for seq in 0..run.options.count {
        // A clone shares the request's bytes: nothing is copied per send.
        requester.send(request.clone(), &format!("request {seq}")).await?;
        let waiting_for = format!("the reply to request {seq}");
        let reply = requester.recv_message(&waiting_for).await?;
        let expected = match expect {
            Expect::Frames => {
                kit::emit(&kit::frames(seq, &reply))?;
                None
            }
            Expect::Text(text) => {
                let reply = kit::single(reply)?;
                kit::emit(&Reply::of_bytes(seq, kit::body(&reply)))?;
                (kit::body(&reply) != text).then_some((reply, text))
            }
            Expect::Echo => {
                let reply = kit::single(reply)?;
                let sent = kit::body(request);
                let matches = kit::body(&reply) == sent;
                kit::emit(&Reply {
                    seq,
                    reply: None,
                    reply_hex: None,
                    reply_bytes: Some(kit::body(&reply).len() as u64),
                    matches: Some(matches),
                })?;
                (!matches).then_some((reply, sent))
            }
        };
        if let Some((reply, wanted)) = expected
            && first_unexpected.is_none()
        {
            first_unexpected = Some(unexpected(seq, kit::body(&reply), wanted));
        }
        if run.options.pause_after == Some(seq + 1) {
            pause().await?;
        }
    }
    first_unexpected.map_or(Ok(()), Err)
}

/// `--pause-after`: the paused line, then one line from stdin (end-of-file: exit 6). The read
/// blocks a thread of tokio's blocking pool, not the runtime's one thread, so the engine's
/// tasks go on meanwhile (zmq.rs's REQ has no reconnection task to run, but a link that
/// breaks is still read).
async fn pause() -> Result<(), PeerError> {
    kit::emit(&Event::Paused)?;
    tokio::task::spawn_blocking(contract::stdin::wait_for_line)
        .await
        .map_err(|e| PeerError::call("reading stdin", e))?
}

/// Exit 1 for the first reply that was not the expected one, showing its bytes (the first 64
/// of a long one) in hex.
fn unexpected(seq: u64, reply: &[u8], wanted: &[u8]) -> PeerError {
    const SHOWN: usize = 64;
    if wanted.len() > SHOWN || reply.len() > SHOWN {
        return PeerError::mismatch(format!(
            "reply to request {seq} ({} bytes, hex {}...) is not the {} bytes sent",
            reply.len(),
            contract::hex::encode(&reply[..reply.len().min(SHOWN)]),
            wanted.len(),
        ));
    }
    PeerError::mismatch(format!(
        "reply to request {seq} was {:?} (hex {}), expected {:?}",
        String::from_utf8_lossy(reply),
        contract::hex::encode(reply),
        String::from_utf8_lossy(wanted),
    ))
}

#[cfg(test)]
mod tests {
    use super::unexpected;

    #[test]
    fn an_unexpected_reply_shows_its_bytes() {
        let short = unexpected(2, &[0xff, 0xfe, 0], b"world");
        assert_eq!(
            short.reason,
            "reply to request 2 was \"\u{fffd}\u{fffd}\\0\" (hex fffe00), expected \"world\""
        );
        let long = unexpected(0, b"FAILURE", &[0u8; 80]);
        assert_eq!(
            long.reason,
            "reply to request 0 (7 bytes, hex 4641494c555245...) is not the 80 bytes sent"
        );
    }
}
