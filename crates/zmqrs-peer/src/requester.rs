//! The requester: sends the expected array (or `hello`) and checks each reply.

use crate::kit::{self, Peer};
use crate::{HELLO, SUCCESS, WORLD};
use contract::options::Run;
use contract::output::Reply;
use contract::{Case, PeerError};
use zeromq::{ReqSocket, Socket, ZmqMessage};

/// Sends `--count` requests, printing each reply; exit 1 if any reply was not the expected one.
pub(crate) async fn run(run: &Run) -> Result<(), PeerError> {
    let options = &run.options;
    let (request, expected_reply) = match run.case()? {
        Case::Array => {
            let mut values = crate::expected_array(options.seed, options.len);
            if let Some(index) = options.corrupt_index {
                values[index as usize] += 1.0;
            }
            (envelope::encode_f64(&values), SUCCESS)
        }
        Case::Hello => (HELLO.to_vec(), WORLD),
        other => return Err(other.unsupported_here()),
    };
    let mut requester = kit::open(run, ReqSocket::with_options(kit::options())).await?;
    let outcome = ask(&mut requester, run, ZmqMessage::from(request), expected_reply).await;
    requester.close().await;
    outcome
}

async fn ask(
    requester: &mut Peer<'_, ReqSocket>,
    run: &Run,
    request: ZmqMessage,
    expected_reply: &[u8],
) -> Result<(), PeerError> {
    let mut first_unexpected = None;
    for seq in 0..run.options.count {
        // A clone shares the request's bytes: nothing is copied per send.
        requester.send(request.clone(), &format!("request {seq}")).await?;
        let reply = requester.recv(&format!("the reply to request {seq}")).await?;
        let reply = kit::body(&reply);
        kit::emit(&Reply::of_bytes(seq, reply))?;
        if reply != expected_reply && first_unexpected.is_none() {
            first_unexpected = Some((seq, reply.to_vec()));
        }
    }
    match first_unexpected {
        None => Ok(()),
        Some((seq, bytes)) => Err(PeerError::mismatch(format!(
            "reply to request {seq} was {:?} (hex {}), expected {:?}",
            String::from_utf8_lossy(&bytes),
            contract::hex::encode(&bytes),
            String::from_utf8_lossy(expected_reply),
        ))),
    }
}
