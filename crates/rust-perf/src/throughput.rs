//! Throughput: PUSH sends `--count` messages; PULL times from the first to the last.

use contract::PeerError;
use contract::options::Run;
use contract::output::{BenchKind, Event, Measurement};
use peer_kit::ZmqContext;
use std::time::Instant;

/// thr-push: sends `--count` messages of `--size` bytes.
pub(crate) fn push(run: &Run) -> Result<(), PeerError> {
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::PUSH, run, |s| {
        s.set_sndhwm(run.options.hwm).call("zmq_setsockopt(ZMQ_SNDHWM)")
    })?;
    let size = run.options.size as usize;
    for _ in 0..run.options.count {
        match socket.send(zmq::Message::with_size(size), 0) {
            Ok(()) => {}
            Err(zmq::Error::EAGAIN) => {
                return Err(PeerError::timeout("timed out sending (no receiver)"));
            }
            Err(e) => return Err(PeerError::call("zmq_msg_send", e)),
        }
    }
    Ok(())
}

/// thr-pull: receives `--count` messages into one reused message and reports the time from
/// the first to the last.
pub(crate) fn pull(run: &Run) -> Result<(), PeerError> {
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::PULL, run, |s| {
        s.set_rcvhwm(run.options.hwm).call("zmq_setsockopt(ZMQ_RCVHWM)")
    })?;
    let mut message = zmq::Message::new();
    let count = run.options.count;
    let receive = |message: &mut zmq::Message, index: u64| {
        peer_kit::recv_into(&socket, message, run, &format!("message {index} of {count}"))?;
        crate::check_size(message, run)
    };
    receive(&mut message, 0)?;
    let started = Instant::now();
    for index in 1..run.options.count {
        receive(&mut message, index)?;
    }
    let elapsed = started.elapsed();
    peer_kit::emit(&Event::Result(Measurement {
        kind: BenchKind::Thr,
        count: run.options.count,
        size: u64::from(run.options.size),
        elapsed_ns: Some(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)),
        rtt_ns: None,
    }))
}
