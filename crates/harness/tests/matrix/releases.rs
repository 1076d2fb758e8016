//! The release axis and the ZMTP revisions in `cargo test`: the C peer on libzmq 4.3.2 (the
//! last ZMTP 3.0 release) and 4.3.5 (ZMTP 3.1), built from `zeromq-src`, against each other and
//! the default peers of other engines (the system libzmq, zmq.rs, JeroMQ 0.3's ZMTP 2.0) in
//! every case over both transports; and every peer's ZMTP revision, measured from its greeting.

use super::cells::cell_trial;
use super::support;
use harness::cell::{Pattern, ident};
use harness::matrix::Selection;
use harness::transport::Transport;
use harness::zmtp::Revision;
use libtest_mimic::{Completion, Failed, Trial};

/// The release peers the tests build (beside the default peers).
pub(crate) const PEERS: [&str; 2] = ["c@4.3.2", "c@4.3.5"];

/// Default peers the releases meet: a libzmq of today, and each other engine.
const PARTNERS: [&str; 3] = ["c", "zmqrs", "java-0.3"];

pub(crate) fn trials() -> Vec<Trial> {
    let defaults = support::ids();
    let mut peers: Vec<String> = PEERS.iter().map(|id| (*id).to_owned()).collect();
    peers.extend(PARTNERS.iter().filter(|id| defaults.contains(id)).map(|id| (*id).to_owned()));
    let selection = Selection {
        patterns: Pattern::ALL.to_vec(),
        transports: Transport::LOCAL.to_vec(),
        peers,
        cases: Vec::new(),
        partition: None,
    };
    let mut trials: Vec<Trial> = selection
        .cells()
        .into_iter()
        .filter(|cell| {
            PEERS.contains(&cell.sender.as_str()) || PEERS.contains(&cell.receiver.as_str())
        })
        .map(|cell| cell_trial(format!("releases::{}", cell.name()), cell))
        .collect();
    for id in defaults.into_iter().chain(PEERS) {
        trials.push(Trial::ignorable_test(format!("zmtp::measured::{}", ident(id)), move || {
            measured(id)
        }));
    }
    trials
}

/// The peer greets with a ZMTP revision; a libzmq peer with the one its release speaks
/// (3.1 from 4.3.3 on: zeromq/libzmq#3814, subscriptions as commands; 3.0 before).
pub(crate) fn measured(id: &str) -> Result<Completion, Failed> {
    let peer = crate::need_peer!(id);
    let revision = harness::zmtp::measure(peer)
        .map_err(|why| Failed::from(format!("{id}: ZMTP unmeasured: {why}")))?;
    if peer.info.engine != "libzmq" {
        return Ok(Completion::Completed);
    }
    let libzmq = peer.info.libzmq.as_deref().unwrap_or_default();
    let release: Vec<u32> = libzmq.split('.').filter_map(|n| n.parse().ok()).collect();
    let expected = if release.as_slice() >= [4, 3, 3].as_slice() {
        Revision { major: 3, minor: 1 }
    } else {
        Revision { major: 3, minor: 0 }
    };
    if revision == expected {
        Ok(Completion::Completed)
    } else {
        Err(format!("{id} (libzmq {libzmq}) greets with {revision}, expected {expected}").into())
    }
}
