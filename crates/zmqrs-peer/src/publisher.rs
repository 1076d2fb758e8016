//! The publisher: fakehw samples in fancyhw envelopes, as the classic C program sends them.
//!
//! Without `--sync` a zmq.rs PUB socket. With `--sync` an XPUB socket: zmq.rs's XPUB hands
//! each subscription to the application (and registers it only then), so the publisher
//! receives until a subscription (first byte 1) arrives, exactly as the contract asks. The XPUB
//! also suits a synchronised run for a second reason: its send waits until the message is
//! written to each subscriber's connection, where the PUB's drops what its fixed queues
//! (100000 messages) cannot hold.

use crate::kit::{self, Peer};
use contract::PeerError;
use contract::options::Run;
use contract::output::Event;
use zeromq::{PubSocket, Socket, SocketSend, XPubSocket, ZmqMessage};

/// Publishes `--count` envelopes (or `--raw-hex` messages), after a subscription when `--sync`.
pub(crate) async fn run(run: &Run) -> Result<(), PeerError> {
    if run.options.sync {
        let mut publisher = kit::open(run, XPubSocket::with_options(kit::options())).await?;
        let outcome = match wait_for_subscription(&mut publisher).await {
            Ok(()) => publish(&mut publisher, run, false).await,
            Err(e) => Err(e),
        };
        publisher.close().await;
        outcome
    } else {
        let mut publisher = kit::open(run, PubSocket::with_options(kit::options())).await?;
        let outcome = publish(&mut publisher, run, true).await;
        publisher.close().await;
        outcome
    }
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

/// Sends the envelopes. `yield_each`: the PUB socket's send only queues the message for the
/// engine's tasks, which run on this same thread: the fan-out task (its queue holds 100000
/// messages, then drops) and each subscriber's reader, which registers the subscriptions.
/// Yielding after each send lets them keep up: without it, a burst of 300000 envelopes to a
/// connected subscriber delivered none (its subscription was never read), with it all but
/// those sent before the subscription arrived.
async fn publish<S: Socket + SocketSend>(
    publisher: &mut Peer<'_, S>,
    run: &Run,
    yield_each: bool,
) -> Result<(), PeerError> {
    let options = &run.options;
    let mut hw = fakehw::Glibc::new(options.seed);
    let mut samples = vec![0i16; options.packet_size as usize];
    let raw = run.raw_message.clone().map(ZmqMessage::from);
    for seq in 0..options.count {
        if seq > 0 && options.interval_ms > 0 {
            // Pacing between publications (--interval-ms), not a readiness wait.
            tokio::time::sleep(std::time::Duration::from_millis(options.interval_ms)).await;
        }
        let message = match &raw {
            Some(raw) => raw.clone(),
            None => {
                hw.fill_samples(&mut samples);
                ZmqMessage::from(envelope::fancyhw::encode(&options.topic, &samples))
            }
        };
        publisher.send(message, &format!("envelope {seq}")).await?;
        if yield_each {
            tokio::task::yield_now().await;
        }
        if options.report_sent {
            kit::emit(&Event::Sent { seq })?;
        }
    }
    Ok(())
}
