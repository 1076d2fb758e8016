//! The subscriber: receives envelopes, decodes them, prints each as a JSON line.

use crate::kit;
use contract::PeerError;
use contract::options::Run;
use contract::output::Packet;
use envelope::fancyhw::{self, Expect};
use zeromq::{Socket, SubSocket};

/// Receives and prints `--count` envelopes; a malformed one ends the run with exit 5.
pub(crate) async fn run(run: &Run) -> Result<(), PeerError> {
    let mut socket = SubSocket::with_options(kit::options());
    // Before connecting: zmq.rs sends the subscriptions it holds to each peer as it connects.
    socket
        .subscribe(run.subscription())
        .await
        .map_err(|e| kit::failed("SubSocket::subscribe", &e))?;
    let mut subscriber = kit::open(run, socket).await?;
    let outcome = receive(&mut subscriber, run).await;
    subscriber.close().await;
    outcome
}

async fn receive(subscriber: &mut kit::Peer<'_, SubSocket>, run: &Run) -> Result<(), PeerError> {
    let options = &run.options;
    let expect =
        Expect { topic: Some(&options.topic), samples: Some(options.packet_size as usize) };
    for seq in 0..options.count {
        let waiting_for = format!("message {seq} of {}", options.count);
        // zmq.rs's SUB hands over whatever a publisher sends, where libzmq's also drops what
        // matches no subscription. Not filtered here: that divergence is the engine's, and a
        // cell must show it (the publishers under test filter on their side anyway).
        let message = kit::single(subscriber.recv_message(&waiting_for).await?)?;
        let envelope = fancyhw::decode(kit::body(&message), expect)
            .map_err(|e| PeerError::malformed(e.to_string()))?;
        kit::emit(&Packet {
            seq,
            topic: envelope.topic.to_owned(),
            samples: envelope.samples.to_vec(),
        })?;
    }
    Ok(())
}
