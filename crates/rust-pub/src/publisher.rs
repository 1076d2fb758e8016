//! The publisher: fakehw samples in fancyhw envelopes, as the classic C program sends them.

use contract::PeerError;
use contract::options::Run;
use contract::output::Event;
use peer_kit::ZmqContext;

/// Publishes `--count` envelopes (or `--raw-hex` messages), after a subscription when `--sync`.
pub(crate) fn run(run: &Run) -> Result<(), PeerError> {
    let options = &run.options;
    let context = zmq::Context::new();
    let kind = if options.sync { zmq::XPUB } else { zmq::PUB };
    let socket = peer_kit::open(&context, kind, run, |socket| {
        // No high-water mark: a synchronised run must not drop anything, whatever --count is.
        socket.set_sndhwm(0).call("zmq_setsockopt(ZMQ_SNDHWM)")
    })?;
    if options.sync {
        wait_for_subscription(&socket, run)?;
    }
    let mut hw = fakehw::Glibc::new(options.seed);
    let mut samples = vec![0i16; options.packet_size as usize];
    let mut message = Vec::new();
    for seq in 0..options.count {
        if seq > 0 {
            peer_kit::pause(run);
        }
        let bytes = match &run.raw_message {
            Some(raw) => raw.as_slice(),
            None => {
                hw.fill_samples(&mut samples);
                envelope::fancyhw::encode_into(&mut message, &options.topic, &samples);
                message.as_slice()
            }
        };
        peer_kit::send(&socket, run, bytes, &format!("envelope {seq}"))?;
        if options.report_sent {
            peer_kit::emit(&Event::Sent { seq })?;
        }
    }
    // Dropping the socket and context flushes what is queued, bounded by ZMQ_LINGER.
    Ok(())
}

/// XPUB delivers each subscription as a message whose first byte is 1.
fn wait_for_subscription(socket: &zmq::Socket, run: &Run) -> Result<(), PeerError> {
    loop {
        let message = peer_kit::recv(socket, run, "a subscriber")?;
        if message.first() == Some(&1) {
            return Ok(());
        }
    }
}
