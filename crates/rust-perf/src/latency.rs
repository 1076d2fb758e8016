//! Latency: REQ times each round trip; REP echoes.

use contract::PeerError;
use contract::options::Run;
use contract::output::{BenchKind, Event, Measurement};
use std::time::Instant;

/// lat-rep: echoes `--count` messages.
pub(crate) fn echo(run: &Run) -> Result<(), PeerError> {
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::REP, run, |_| Ok(()))?;
    let mut message = zmq::Message::new();
    for index in 0..run.options.count {
        if let Err(failed) = receive(&socket, &mut message, run, index) {
            if failed.code == contract::ExitCode::Malformed {
                // Answer first, so the requester is not left waiting for its echo.
                send(&socket, zmq::Message::from(&b"FAILURE"[..]))?;
            }
            return Err(failed);
        }
        // Sending moves the message out; the echo is the received message itself, no copy.
        let reply = std::mem::replace(&mut message, zmq::Message::new());
        send(&socket, reply)?;
    }
    Ok(())
}

/// lat-req: `--count` round trips, each timed.
pub(crate) fn request(run: &Run) -> Result<(), PeerError> {
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::REQ, run, |_| Ok(()))?;
    let size = run.options.size as usize;
    let mut rtt_ns = Vec::with_capacity(usize::try_from(run.options.count).unwrap_or(0));
    let mut reply = zmq::Message::new();
    for index in 0..run.options.count {
        let started = Instant::now();
        send(&socket, zmq::Message::with_size(size))?;
        receive(&socket, &mut reply, run, index)?;
        rtt_ns.push(u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX));
    }
    peer_kit::emit(&Event::Result(Measurement {
        kind: BenchKind::Lat,
        count: run.options.count,
        size: size as u64,
        elapsed_ns: None,
        rtt_ns: Some(rtt_ns),
    }))
}

fn receive(
    socket: &zmq::Socket,
    message: &mut zmq::Message,
    run: &Run,
    index: u64,
) -> Result<(), PeerError> {
    peer_kit::recv_into(socket, message, run, &format!("round trip {index}"))?;
    crate::check_size(message, run)
}

fn send(socket: &zmq::Socket, message: zmq::Message) -> Result<(), PeerError> {
    match socket.send(message, 0) {
        Ok(()) => Ok(()),
        Err(zmq::Error::EAGAIN) => Err(PeerError::timeout("timed out sending")),
        Err(e) => Err(PeerError::call("zmq_msg_send", e)),
    }
}
