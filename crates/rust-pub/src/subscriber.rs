//! The subscriber: receives envelopes, decodes them, prints each as a JSON line.

use contract::PeerError;
use contract::options::Run;
use contract::output::Packet;
use envelope::fancyhw::{self, Expect};
use peer_kit::ZmqContext;

/// Receives and prints `--count` envelopes; a malformed one ends the run with exit 5.
pub(crate) fn run(run: &Run) -> Result<(), PeerError> {
    let options = &run.options;
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::SUB, run, |socket| {
        socket.set_rcvhwm(0).call("zmq_setsockopt(ZMQ_RCVHWM)")?;
        socket.set_subscribe(run.subscription().as_bytes()).call("zmq_setsockopt(ZMQ_SUBSCRIBE)")
    })?;
    let expect =
        Expect { topic: Some(&options.topic), samples: Some(options.packet_size as usize) };
    for seq in 0..options.count {
        let waiting_for = format!("message {seq} of {}", options.count);
        let message = peer_kit::recv(&socket, run, &waiting_for)?;
        let envelope =
            fancyhw::decode(&message, expect).map_err(|e| PeerError::malformed(e.to_string()))?;
        peer_kit::emit(&Packet {
            seq,
            topic: envelope.topic.to_owned(),
            samples: envelope.samples.to_vec(),
        })?;
    }
    Ok(())
}
