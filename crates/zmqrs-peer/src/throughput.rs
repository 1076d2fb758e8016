//! Throughput: PUSH sends `--count` messages; PULL times from the first to the last.
//!
//! `--hwm` is accepted and ignored: zmq.rs has no high-water-mark option (its PUSH queues up to
//! 100000 messages per peer, then waits; its PULL reads straight from the connection).

use crate::kit::{self, Peer};
use contract::PeerError;
use contract::options::Run;
use contract::output::{BenchKind, Event, Measurement};
use std::time::Instant;
use zeromq::{PullSocket, PushSocket, Socket, ZmqMessage};

/// thr-push: sends `--count` messages of `--size` bytes.
pub(crate) async fn push(run: &Run) -> Result<(), PeerError> {
    let mut pusher = kit::open(run, PushSocket::with_options(kit::options())).await?;
    // One buffer shared by every message (a clone is a reference count): the zmq.rs idiom for
    // sending the same bytes again, as libzmq's remote_thr sends uninitialised messages.
    let message = ZmqMessage::from(vec![0u8; run.options.size as usize]);
    let mut outcome = Ok(());
    for index in 0..run.options.count {
        outcome = pusher.send(message.clone(), &format!("message {index}")).await;
        if outcome.is_err() {
            break;
        }
    }
    // The engine's writer task still holds the queued messages: closing lets it drain them.
    pusher.close().await;
    outcome
}

/// thr-pull: receives `--count` messages and reports the time from the first to the last.
pub(crate) async fn pull(run: &Run) -> Result<(), PeerError> {
    let mut puller = kit::open(run, PullSocket::with_options(kit::options())).await?;
    let outcome = measure(&mut puller, run).await;
    puller.close().await;
    outcome
}

async fn measure(puller: &mut Peer<'_, PullSocket>, run: &Run) -> Result<(), PeerError> {
    let count = run.options.count;
    receive(puller, run, 0).await?;
    let started = Instant::now();
    for index in 1..count {
        receive(puller, run, index).await?;
    }
    let elapsed = started.elapsed();
    kit::emit(&Event::Result(Measurement {
        kind: BenchKind::Thr,
        count,
        size: u64::from(run.options.size),
        elapsed_ns: Some(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)),
        rtt_ns: None,
    }))
}

async fn receive(
    puller: &mut Peer<'_, PullSocket>,
    run: &Run,
    index: u64,
) -> Result<(), PeerError> {
    let message = puller.recv(&format!("message {index} of {}", run.options.count)).await?;
    crate::check_size(&message, run)
}
