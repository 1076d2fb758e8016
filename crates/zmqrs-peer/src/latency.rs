//! Latency: REQ times each round trip; REP echoes.

use crate::kit::{self, Peer};
use contract::PeerError;
use contract::options::Run;
use contract::output::{BenchKind, Event, Measurement};
use std::time::Instant;
use zeromq::{RepSocket, ReqSocket, Socket, ZmqMessage};

/// lat-rep: echoes `--count` messages.
pub(crate) async fn echo(run: &Run) -> Result<(), PeerError> {
    let mut replier = kit::open(run, RepSocket::with_options(kit::options())).await?;
    let outcome = echo_all(&mut replier, run).await;
    replier.close().await;
    outcome
}

async fn echo_all(replier: &mut Peer<'_, RepSocket>, run: &Run) -> Result<(), PeerError> {
    for index in 0..run.options.count {
        let what = format!("the echo of round trip {index}");
        let message = match receive(replier, run, index).await {
            Ok(message) => message,
            Err(failed) if failed.code == contract::ExitCode::Malformed => {
                // Answer first, so the requester is not left waiting for its echo.
                replier.send(ZmqMessage::from(crate::FAILURE.to_vec()), &what).await?;
                return Err(failed);
            }
            Err(other) => return Err(other),
        };
        // The echo is the received message itself, no copy.
        replier.send(message, &what).await?;
    }
    Ok(())
}

/// lat-req: `--count` round trips, each timed.
pub(crate) async fn request(run: &Run) -> Result<(), PeerError> {
    let mut requester = kit::open(run, ReqSocket::with_options(kit::options())).await?;
    let outcome = time_round_trips(&mut requester, run).await;
    requester.close().await;
    outcome
}

async fn time_round_trips(requester: &mut Peer<'_, ReqSocket>, run: &Run) -> Result<(), PeerError> {
    let size = run.options.size as usize;
    let message = ZmqMessage::from(vec![0u8; size]);
    let mut rtt_ns = Vec::with_capacity(usize::try_from(run.options.count).unwrap_or(0));
    for index in 0..run.options.count {
        let started = Instant::now();
        requester.send(message.clone(), &format!("round trip {index}")).await?;
        receive(requester, run, index).await?;
        rtt_ns.push(u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX));
    }
    kit::emit(&Event::Result(Measurement {
        kind: BenchKind::Lat,
        count: run.options.count,
        size: size as u64,
        elapsed_ns: None,
        rtt_ns: Some(rtt_ns),
    }))
}

async fn receive<S: zeromq::SocketRecv>(
    peer: &mut Peer<'_, S>,
    run: &Run,
    index: u64,
) -> Result<ZmqMessage, PeerError> {
    let message = peer.recv(&format!("round trip {index}")).await?;
    crate::check_size(&message, run)?;
    Ok(message)
}
