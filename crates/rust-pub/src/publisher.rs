//! The publisher: fakehw samples in fancyhw envelopes, as the classic C program sends them,
//! shaped by the case (`fancyhw`, `burst`, `multipart`, `empty`, `topics`, `reconnect`).

use crate::{TOPIC_DATA, TOPIC_PREFIX};
use contract::options::Run;
use contract::output::Event;
use contract::{Case, PeerError};
use peer_kit::ZmqContext;

/// Publishes `--count` messages of the case (`topics`: twice `--count`), after a subscription
/// when `--sync` (always in `topics` and `reconnect`); `reconnect` then holds the socket open.
pub(crate) fn run(run: &Run) -> Result<(), PeerError> {
    let case = run.case()?;
    let xpub = run.options.sync || matches!(case, Case::Topics | Case::Reconnect);
    let context = zmq::Context::new();
    let socket =
        peer_kit::open(&context, if xpub { zmq::XPUB } else { zmq::PUB }, run, |socket| {
            if case == Case::Burst {
                // The engine's own high-water mark and its own policy when the subscriber lags.
                Ok(())
            } else {
                // No high-water mark: a synchronised run must not drop anything, whatever --count is.
                socket.set_sndhwm(0).call("zmq_setsockopt(ZMQ_SNDHWM)")
            }
        })?;
    if case == Case::Topics {
        return topics(&socket, run);
    }
    if xpub {
        wait_for_subscription(&socket, run)?;
    }
    let mut source = Source::new(run);
    for seq in 0..run.options.count {
        if seq > 0 {
            peer_kit::pause(run);
        }
        let what = format!("message {seq}");
        match case {
            Case::Multipart => {
                let topic = run.options.topic.as_bytes();
                let envelope = match &run.raw_message {
                    Some(raw) => raw.as_slice(),
                    None => source.next(run),
                };
                peer_kit::send_frames(&socket, run, [topic, &[], envelope], &what)?;
            }
            Case::Empty if seq % 2 == 0 => peer_kit::send(&socket, run, b"", &what)?,
            Case::Empty => {
                let envelope = envelope::fancyhw::encode(&run.options.topic, &[]);
                peer_kit::send(&socket, run, &envelope, &what)?;
            }
            _ => {
                let bytes = match &run.raw_message {
                    Some(raw) => raw.as_slice(),
                    None => source.next(run),
                };
                peer_kit::send(&socket, run, bytes, &what)?;
            }
        }
        report_sent(run, seq)?;
    }
    if case == Case::Reconnect {
        peer_kit::hold(run);
    }
    // Dropping the socket and context flushes what is queued, bounded by ZMQ_LINGER.
    Ok(())
}

/// The fakehw sequence cut into envelopes: envelope *i* carries the next `--packet-size`
/// samples, so the samples are one continuous sequence across envelopes.
struct Source {
    hw: fakehw::Glibc,
    samples: Vec<i16>,
    message: Vec<u8>,
}

impl Source {
    fn new(run: &Run) -> Self {
        Self {
            hw: fakehw::Glibc::new(run.options.seed),
            samples: vec![0; run.options.packet_size as usize],
            message: Vec::new(),
        }
    }

    /// The next envelope with `--topic`.
    fn next(&mut self, run: &Run) -> &[u8] {
        self.next_with(&run.options.topic)
    }

    /// The next envelope with `topic`.
    fn next_with(&mut self, topic: &str) -> &[u8] {
        self.hw.fill_samples(&mut self.samples);
        envelope::fancyhw::encode_into(&mut self.message, topic, &self.samples);
        &self.message
    }
}

fn report_sent(run: &Run, seq: u64) -> Result<(), PeerError> {
    if run.options.report_sent { peer_kit::emit(&Event::Sent { seq }) } else { Ok(()) }
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

/// Case `topics`: both subscriptions, the first half, the unsubscription of `fancy`, the
/// second half; one fakehw sequence across every message, whatever its topic.
fn topics(socket: &zmq::Socket, run: &Run) -> Result<(), PeerError> {
    let subscribe = |topic: &str| [&[1u8][..], topic.as_bytes()].concat();
    await_all(
        socket,
        run,
        vec![subscribe(TOPIC_DATA), subscribe(TOPIC_PREFIX)],
        "the subscriptions to \"fancyhw_data\" and \"fancy\"",
    )?;
    let count = run.options.count;
    let mut source = Source::new(run);
    let mut publish = |seq: u64| -> Result<(), PeerError> {
        if seq > 0 && seq != count {
            peer_kit::pause(run);
        }
        let bytes = source.next_with(crate::topic_of(seq));
        peer_kit::send(socket, run, bytes, &format!("message {seq}"))?;
        report_sent(run, seq)
    };
    (0..count).try_for_each(&mut publish)?;
    let unsubscribe = [&[0u8][..], TOPIC_PREFIX.as_bytes()].concat();
    await_all(socket, run, vec![unsubscribe], "the unsubscription from \"fancy\"")?;
    (count..2 * count).try_for_each(publish)
}

/// Receives on the XPUB until every message of `wanted` has arrived, in any order; anything
/// else received is ignored.
fn await_all(
    socket: &zmq::Socket,
    run: &Run,
    mut wanted: Vec<Vec<u8>>,
    waiting_for: &str,
) -> Result<(), PeerError> {
    while !wanted.is_empty() {
        let message = peer_kit::recv(socket, run, waiting_for)?;
        wanted.retain(|want| want.as_slice() != &message[..]);
    }
    Ok(())
}
