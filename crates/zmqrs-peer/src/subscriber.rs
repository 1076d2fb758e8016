//! The subscriber: receives envelopes, decodes them, prints each as a JSON line; in cases
//! `multipart` and `empty` prints each message's frames instead, and in case `topics` drops a
//! subscription half way.

use crate::kit::{self, Peer};
use contract::options::Run;
use contract::output::Packet;
use contract::{Case, PeerError};
use envelope::fancyhw::{self, Expect};
use zeromq::{Socket, SubSocket};

/// Case `topics`: the subscriptions, whatever `--subscribe` says; the second is dropped half way.
const TOPICS_SUBSCRIPTIONS: [&str; 2] = ["fancyhw_data", "fancy"];

/// Receives and prints the case's messages; a malformed envelope ends the run with exit 5.
pub(crate) async fn run(run: &Run, case: Case) -> Result<(), PeerError> {
    let mut socket = SubSocket::with_options(kit::options());
    let subscriptions = match case {
        Case::Topics => TOPICS_SUBSCRIPTIONS.to_vec(),
        _ => vec![run.subscription()],
    };
    // Before connecting: zmq.rs sends the subscriptions it holds to each peer as it connects
    // (and again to each peer it reconnects to).
    for subscription in subscriptions {
        socket
            .subscribe(subscription)
            .await
            .map_err(|e| kit::failed("SubSocket::subscribe", &e))?;
    }
    let mut subscriber = kit::open(run, socket).await?;
    let outcome = match case {
        Case::Multipart | Case::Empty => frames(&mut subscriber, run).await,
        Case::Topics => topics(&mut subscriber, run).await,
        _ => {
            let expect = Expect {
                topic: Some(&run.options.topic),
                samples: Some(run.options.packet_size as usize),
            };
            receive(&mut subscriber, 0..run.options.count, run.options.count, expect).await
        }
    };
    subscriber.close().await;
    outcome
}

/// Receives and prints envelopes `seqs` (of `total`), each checked against `expect`.
async fn receive(
    subscriber: &mut Peer<'_, SubSocket>,
    seqs: std::ops::Range<u64>,
    total: u64,
    expect: Expect<'_>,
) -> Result<(), PeerError> {
    for seq in seqs {
        let waiting_for = format!("message {seq} of {total}");
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

/// Cases `multipart` and `empty`: every message whole, one frames line each, nothing checked.
async fn frames(subscriber: &mut Peer<'_, SubSocket>, run: &Run) -> Result<(), PeerError> {
    let count = run.options.count;
    for seq in 0..count {
        let message = subscriber.recv_message(&format!("message {seq} of {count}")).await?;
        kit::emit(&kit::frames(seq, &message))?;
    }
    Ok(())
}

/// Case `topics`: as many envelopes (of any topic) as the first half matches, then the
/// unsubscription of `fancy`, then as many as the second half matches. The counts are trusted,
/// not the topics: a message that should not have come takes the place of one that should.
async fn topics(subscriber: &mut Peer<'_, SubSocket>, run: &Run) -> Result<(), PeerError> {
    let (first, second) = topics_counts(run.options.count);
    let expect = Expect { topic: None, samples: Some(run.options.packet_size as usize) };
    receive(subscriber, 0..first, first + second, expect).await?;
    subscriber
        .socket()
        .unsubscribe(TOPICS_SUBSCRIPTIONS[1])
        .await
        .map_err(|e| kit::failed("SubSocket::unsubscribe", &e))?;
    receive(subscriber, first..first + second, first + second, expect).await
}

/// Case `topics`: how many messages each half delivers to a subscriber of `fancyhw_data` and
/// `fancy` (then of `fancyhw_data` alone): those *i* < count with *i* mod 3 ≠ 2, then those
/// count ≤ *i* < 2·count with *i* mod 3 = 0.
pub(crate) fn topics_counts(count: u64) -> (u64, u64) {
    // In 0..n, n / 3 values are 2 mod 3 and (n + 2) / 3 are multiples of 3.
    let multiples_of_3_below = |n: u64| n.div_ceil(3);
    (count - count / 3, multiples_of_3_below(2 * count) - multiples_of_3_below(count))
}

#[cfg(test)]
mod tests {
    use super::topics_counts;

    #[test]
    fn topics_counts_follow_the_publishers_topic_rule() {
        // i = 0..30: 20 are data or status; i = 30..60: 10 are data.
        assert_eq!(topics_counts(30), (20, 10));
        // i = 0..4: 0, 1, 3; i = 4..8: 6.
        assert_eq!(topics_counts(4), (3, 1));
        // i = 0: data; i = 1: status, not data.
        assert_eq!(topics_counts(1), (1, 0));
        assert_eq!(topics_counts(2), (2, 1));
        for count in 1..100u64 {
            let first = (0..count).filter(|i| i % 3 != 2).count() as u64;
            let second = (count..2 * count).filter(|i| i % 3 == 0).count() as u64;
            assert_eq!(topics_counts(count), (first, second), "count {count}");
        }
    }
}
