//! The subscriber: receives envelopes, decodes them, prints each as a JSON line (or, in the
//! cases `multipart` and `empty`, prints every message's frames).

use crate::{TOPIC_DATA, TOPIC_PREFIX};
use contract::options::Run;
use contract::output::Packet;
use contract::{Case, PeerError};
use envelope::fancyhw::{self, Expect};
use peer_kit::ZmqContext;

/// Receives and prints `--count` messages (`topics`: as many as the two halves match); a
/// malformed envelope ends the run with exit 5.
pub(crate) fn run(run: &Run) -> Result<(), PeerError> {
    let case = run.case()?;
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::SUB, run, |socket| {
        if case != Case::Burst {
            // No high-water mark: a synchronised run must not drop anything.
            socket.set_rcvhwm(0).call("zmq_setsockopt(ZMQ_RCVHWM)")?;
        }
        let subscriptions = if case == Case::Topics {
            vec![TOPIC_DATA, TOPIC_PREFIX]
        } else {
            vec![run.subscription()]
        };
        subscriptions.into_iter().try_for_each(|prefix| {
            socket.set_subscribe(prefix.as_bytes()).call("zmq_setsockopt(ZMQ_SUBSCRIBE)")
        })
    })?;
    let count = run.options.count;
    match case {
        Case::Multipart | Case::Empty => frames(&socket, run),
        Case::Topics => topics(&socket, run),
        _ => {
            let expect = Expect {
                topic: Some(&run.options.topic),
                samples: Some(run.options.packet_size as usize),
            };
            packets(&socket, run, 0..count, count, expect)
        }
    }
}

/// Receives messages `seqs` (of `total`) as envelopes and prints each as a packet line.
fn packets(
    socket: &zmq::Socket,
    run: &Run,
    seqs: std::ops::Range<u64>,
    total: u64,
    expect: Expect<'_>,
) -> Result<(), PeerError> {
    for seq in seqs {
        let message = peer_kit::recv(socket, run, &format!("message {seq} of {total}"))?;
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

/// Cases `multipart` and `empty`: every message whole, one frames line each, nothing checked.
fn frames(socket: &zmq::Socket, run: &Run) -> Result<(), PeerError> {
    let count = run.options.count;
    for seq in 0..count {
        let frames = peer_kit::recv_frames(socket, run, &format!("message {seq} of {count}"))?;
        peer_kit::emit(&peer_kit::frames_line(seq, &frames))?;
    }
    Ok(())
}

/// Case `topics`: as many envelopes (any topic) as the first half matches, the unsubscription
/// of `fancy`, as many as the second half matches. The counts are trusted, not the topics.
fn topics(socket: &zmq::Socket, run: &Run) -> Result<(), PeerError> {
    let (first, second) = topics_counts(run.options.count);
    let total = first + second;
    let expect = Expect { topic: None, samples: Some(run.options.packet_size as usize) };
    packets(socket, run, 0..first, total, expect)?;
    socket.set_unsubscribe(TOPIC_PREFIX.as_bytes()).call("zmq_setsockopt(ZMQ_UNSUBSCRIBE)")?;
    if second == 0 {
        // Nothing more to receive, but the publisher waits for the unsubscription before it
        // ends: let it leave rather than drop it with linger 0. (Should the publisher close
        // first, libzmq resends the remaining subscription into the dead link and the close
        // waits out the linger: a slow exit 0 rather than a publisher timing out.)
        socket.set_linger(peer_kit::timeout_ms(run)).call("zmq_setsockopt(ZMQ_LINGER)")?;
    }
    packets(socket, run, first..total, total, expect)
}

/// How many messages each half of case `topics` delivers for `--count` N: the first half
/// those `i < N` with `i mod 3 != 2` (`fancyhw_data` and `fancyhw_status`, both under
/// `fancy`), the second those `N <= i < 2N` with `i mod 3 == 0` (`fancyhw_data` only).
fn topics_counts(count: u64) -> (u64, u64) {
    // How many i in 0..n have i mod 3 == r.
    let residues = |n: u64, r: u64| if n > r { (n - r).div_ceil(3) } else { 0 };
    (count - residues(count, 2), residues(2 * count, 0) - residues(count, 0))
}

#[cfg(test)]
mod tests {
    use super::topics_counts;

    #[test]
    fn topics_counts_follow_the_contracts_rule() {
        for count in 1..200u64 {
            let first = (0..count).filter(|i| i % 3 != 2).count() as u64;
            let second = (count..2 * count).filter(|i| i % 3 == 0).count() as u64;
            assert_eq!(topics_counts(count), (first, second), "--count {count}");
        }
        assert_eq!(topics_counts(10), (7, 3));
        assert_eq!(topics_counts(1), (1, 0));
        // The largest --count neither overflows nor miscounts: 2/3 and 1/3 of it, rounded up.
        assert_eq!(topics_counts(2_147_483_647), (1_431_655_765, 715_827_882));
    }
}
