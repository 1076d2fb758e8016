//! The publisher: fakehw samples in fancyhw envelopes, as the classic C program sends them, and
//! the contract's other PUB/SUB cases (multipart, empty, topics, reconnect).
//!
//! Without `--sync` a zmq.rs PUB socket. With `--sync` (and always in cases `topics` and
//! `reconnect`) an XPUB socket: zmq.rs's XPUB hands each subscription and unsubscription to the
//! application (and registers it only then), so the publisher receives until the messages it
//! waits for arrive, exactly as the contract asks. The XPUB also suits a synchronised run for a
//! second reason: its send waits until the message is written to each subscriber's connection,
//! where the PUB's drops what its fixed queues (100000 messages) cannot hold. Case `burst` is
//! `fancyhw` here: zmq.rs has no high-water-mark options, so there is nothing to leave unset.

use crate::kit::{self, Peer};
use contract::options::Run;
use contract::output::Event;
use contract::{Case, PeerError};
use zeromq::{PubSocket, Socket, SocketSend, XPubSocket, ZmqMessage};

/// The topics of case `topics`, message *i* carrying `TOPICS[i % 3]`.
pub(crate) const TOPICS: [&str; 3] = ["fancyhw_data", "fancyhw_status", "other_data"];

/// Publishes the case's `--count` messages (after a subscription with `--sync`), or plays
/// `topics`; in case `reconnect`, then holds the socket open.
pub(crate) async fn run(run: &Run, case: Case) -> Result<(), PeerError> {
    if run.options.sync || matches!(case, Case::Topics | Case::Reconnect) {
        let mut publisher = kit::open(run, XPubSocket::with_options(kit::options())).await?;
        let outcome = match case {
            Case::Topics => topics(&mut publisher, run).await,
            _ => synchronised(&mut publisher, run, case).await,
        };
        publisher.close().await;
        outcome
    } else {
        let mut publisher = kit::open(run, PubSocket::with_options(kit::options())).await?;
        let outcome = publish(&mut publisher, run, case, true).await;
        publisher.close().await;
        outcome
    }
}

/// `--sync`: the first subscription, then the messages; `reconnect` then holds.
async fn synchronised(
    publisher: &mut Peer<'_, XPubSocket>,
    run: &Run,
    case: Case,
) -> Result<(), PeerError> {
    wait_for_subscription(publisher).await?;
    // That subscriber's connection is accounted for; later ones are registered as they come.
    publisher.take_new_connection();
    publish(publisher, run, case, false).await?;
    if case == Case::Reconnect {
        kit::hold(run).await;
    }
    Ok(())
}

/// XPUB delivers each subscription as a message whose first byte is 1.
async fn wait_for_subscription(publisher: &mut Peer<'_, XPubSocket>) -> Result<(), PeerError> {
    loop {
        let message = publisher.recv_message("a subscriber").await?;
        if message.get(0).is_some_and(|frame| frame.first() == Some(&1)) {
            return Ok(());
        }
    }
}

/// Receives on the XPUB until each of `wanted` (whole single-frame messages, in any order) has
/// arrived; anything else is ignored.
async fn wait_for(
    publisher: &mut Peer<'_, XPubSocket>,
    wanted: &[&[u8]],
    waiting_for: &str,
) -> Result<(), PeerError> {
    let mut seen = vec![false; wanted.len()];
    while seen.contains(&false) {
        let message = publisher.recv_message(waiting_for).await?;
        if message.len() == 1
            && let Some(index) = wanted.iter().position(|w| *w == kit::body(&message))
        {
            seen[index] = true;
        }
    }
    Ok(())
}

/// What a publisher does before each send. zmq.rs's XPUB registers a subscription only when
/// the application receives it (`XPubSocket::recv` updates its table), where libzmq's registers
/// it by itself: without this, a subscriber that connects or reconnects mid-stream (through a
/// new tunnel, say) would get nothing more. The PUB registers them itself.
trait Registers {
    /// Receives the subscription of every subscriber that connected since the last call.
    async fn register_new_subscribers(&mut self) -> Result<(), PeerError>;
}

impl Registers for Peer<'_, PubSocket> {
    async fn register_new_subscribers(&mut self) -> Result<(), PeerError> {
        Ok(())
    }
}

impl Registers for Peer<'_, XPubSocket> {
    async fn register_new_subscribers(&mut self) -> Result<(), PeerError> {
        // Receives are awaited whole (a receive cut short by a timeout is not safe to drop in
        // zmq.rs 0.7: a burst stalled so), one per connection the monitor reported.
        while self.take_new_connection() {
            wait_for_subscription(self).await?;
        }
        Ok(())
    }
}

/// Sends the case's messages. `yield_each`: the PUB socket's send only queues the message for
/// the engine's tasks, which run on this same thread: the fan-out task (its queue holds 100000
/// messages, then drops) and each subscriber's reader, which registers the subscriptions.
/// Yielding after each send lets them keep up: without it, a burst of 300000 envelopes to a
/// connected subscriber delivered none (its subscription was never read), with it all but
/// those sent before the subscription arrived.
async fn publish<'r, S: Socket + SocketSend>(
    publisher: &mut Peer<'r, S>,
    run: &Run,
    case: Case,
    yield_each: bool,
) -> Result<(), PeerError>
where
    Peer<'r, S>: Registers,
{
    let options = &run.options;
    let mut hw = fakehw::Glibc::new(options.seed);
    let mut samples = vec![0i16; options.packet_size as usize];
    let raw = run.raw_message.clone().map(ZmqMessage::from);
    for seq in 0..options.count {
        pace(run, seq).await;
        let message = match (case, &raw) {
            (Case::Multipart, _) => {
                hw.fill_samples(&mut samples);
                let envelope = envelope::fancyhw::encode(&options.topic, &samples);
                kit::message_of(vec![options.topic.clone().into_bytes(), Vec::new(), envelope])
            }
            (Case::Empty, _) => ZmqMessage::from(empty_case_message(&options.topic, seq)),
            (_, Some(raw)) => raw.clone(),
            (_, None) => {
                hw.fill_samples(&mut samples);
                ZmqMessage::from(envelope::fancyhw::encode(&options.topic, &samples))
            }
        };
        publisher.register_new_subscribers().await?;
        send(publisher, run, message, seq, yield_each).await?;
    }
    Ok(())
}

/// Case `empty`'s message `seq`: zero bytes when `seq` is even, the envelope with no samples
/// (the topic and a space) when it is odd.
pub(crate) fn empty_case_message(topic: &str, seq: u64) -> Vec<u8> {
    if seq.is_multiple_of(2) { Vec::new() } else { envelope::fancyhw::encode(topic, &[]) }
}

/// Case `topics`: both subscriptions, the first half, the unsubscription of `fancy`, the
/// second half; one fakehw sequence across every message, whatever its topic.
async fn topics(publisher: &mut Peer<'_, XPubSocket>, run: &Run) -> Result<(), PeerError> {
    let count = run.options.count;
    wait_for(
        publisher,
        &[b"\x01fancyhw_data", b"\x01fancy"],
        "the subscriptions to fancyhw_data and fancy",
    )
    .await?;
    let mut hw = fakehw::Glibc::new(run.options.seed);
    let mut samples = vec![0i16; run.options.packet_size as usize];
    for seq in 0..2 * count {
        if seq == count {
            wait_for(publisher, &[b"\x00fancy"], "the unsubscription from fancy").await?;
        }
        pace(run, seq).await;
        hw.fill_samples(&mut samples);
        let topic = topic_of(seq);
        let message = ZmqMessage::from(envelope::fancyhw::encode(topic, &samples));
        send(publisher, run, message, seq, false).await?;
    }
    Ok(())
}

/// Case `topics`: the topic of message `seq`.
pub(crate) fn topic_of(seq: u64) -> &'static str {
    TOPICS[(seq % 3) as usize]
}

/// `--interval-ms` between two publications (pacing, not a readiness wait).
async fn pace(run: &Run, seq: u64) {
    if seq > 0 && run.options.interval_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(run.options.interval_ms)).await;
    }
}

/// Sends one publication and reports it with `--report-sent`.
async fn send<S: Socket + SocketSend>(
    publisher: &mut Peer<'_, S>,
    run: &Run,
    message: ZmqMessage,
    seq: u64,
    yield_each: bool,
) -> Result<(), PeerError> {
    publisher.send(message, &format!("message {seq}")).await?;
    if yield_each {
        tokio::task::yield_now().await;
    }
    if run.options.report_sent {
        kit::emit(&Event::Sent { seq })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_case_alternates_zero_bytes_and_a_zero_sample_envelope() {
        assert_eq!(empty_case_message("fancyhw_data", 0), b"");
        assert_eq!(empty_case_message("fancyhw_data", 1), b"fancyhw_data ");
        assert_eq!(empty_case_message("t", 2), b"");
    }

    #[test]
    fn topics_cycle_data_status_other() {
        let topics: Vec<&str> = (0..6).map(topic_of).collect();
        assert_eq!(topics, TOPICS.repeat(2));
    }
}
