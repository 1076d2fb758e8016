//! The Windows build in `cargo test`: the C peer cross-built with MinGW-w64 and run under Wine
//! (`c-windows`, a peer the default selection leaves out) against rust-zmq, the C peer and pyzmq
//! on Linux over tcp, both ways, in the cases fancyhw, array and hello; and one ipc cell, which
//! the Windows peer must refuse with its own reason naming the missing AF_UNIX sockets (or
//! pass, once a Wine has them and libzmq is built with ipc).

use super::cells::cell_trial;
use super::support;
use harness::cell::{Cell, Pattern, Status, ident};
use harness::matrix::{self, Params, Selection};
use harness::transport::Transport;
use libtest_mimic::{Completion, Failed, Trial};

/// The Windows peer the tests build (beside the default peers).
pub(crate) const PEER: &str = "c-windows";

/// The Linux peers it meets: a libzmq binding in three languages.
const PARTNERS: [&str; 3] = ["rust", "c", "python"];

/// A case per kind of data: envelopes, float64 arrays, short strings.
const CASES: [&str; 3] = ["fancyhw", "array", "hello"];

/// Whether this host runs the Windows build at all: under Wine, on Linux. (macOS and Windows
/// run the native peers in the GitHub workflow; MinGW-w64 and Wine are Linux tools here.)
pub(crate) const HOSTED: bool = cfg!(target_os = "linux");

pub(crate) fn trials() -> Vec<Trial> {
    if !HOSTED {
        return Vec::new();
    }
    let defaults = support::ids();
    let mut peers = vec![PEER.to_owned()];
    peers.extend(PARTNERS.iter().filter(|id| defaults.contains(id)).map(|id| (*id).to_owned()));
    let selection = Selection {
        patterns: Pattern::ALL.to_vec(),
        transports: vec![Transport::Tcp],
        peers,
        cases: CASES.map(String::from).to_vec(),
        partition: None,
    };
    let mut trials: Vec<Trial> = selection
        .cells()
        .into_iter()
        .filter(|cell| (cell.sender == PEER) != (cell.receiver == PEER))
        .map(|cell| cell_trial(format!("windows::{}", cell.name()), cell))
        .collect();
    let ipc = Cell {
        pattern: Pattern::Pubsub,
        transport: Transport::Ipc,
        sender: PEER.to_owned(),
        receiver: "c".to_owned(),
        case: Some("fancyhw".to_owned()),
    };
    trials.push(Trial::ignorable_test(format!("windows::{}", ipc.name()), move || ipc_cell(&ipc)));
    // The same ZMTP revision as libzmq 4.3.5 on Linux: measured from its greeting.
    trials.push(Trial::ignorable_test(format!("zmtp::measured::{}", ident(PEER)), || {
        super::releases::measured(PEER)
    }));
    trials
}

/// The ipc cell passes, or is unsupported with a reason that names AF_UNIX: never unsupported
/// for a reason nobody can act on, never failed.
fn ipc_cell(cell: &Cell) -> Result<Completion, Failed> {
    let (_, peers) = support::peers()?;
    crate::need_peer!(PEER);
    let outcome = matrix::run_cell(cell, peers, &Params::default());
    match outcome.status {
        Status::Pass => Ok(Completion::Completed),
        Status::Unsupported if outcome.reason.contains("AF_UNIX") => Ok(Completion::Completed),
        _ => Err(format!(
            "{}: {} ({}), expected a pass or unsupported naming the missing AF_UNIX sockets\n{}",
            cell.name(),
            outcome.status.name(),
            outcome.reason,
            harness::report::table::failure_details(&outcome)
        )
        .into()),
    }
}
