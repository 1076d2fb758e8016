//! Cells across two hosts in `cargo test`: every default peer against the C peer, both ways,
//! over two network namespaces (`hosts`) and through an SSH tunnel (`ssh`, the scenario this
//! project started from: a REQ reaching a REP through `ssh -L`), with the link taken down
//! mid-run and the tunnel killed mid-run. The full product of peers and cases across hosts is
//! `interop matrix --transport hosts,ssh`.

use super::cells::cell_trial;
use super::support;
use harness::cell::{Cell, Pattern};
use harness::transport::Transport;
use libtest_mimic::{Completion, Failed, Trial};

/// The partner every peer meets across hosts.
const PARTNER: &str = "c";

/// (transport, pattern, case) combinations the tests run for each pair.
const CELLS: &[(Transport, Pattern, &str)] = &[
    (Transport::Hosts, Pattern::Pubsub, "fancyhw"),
    (Transport::Hosts, Pattern::Reqrep, "hello"),
    (Transport::Hosts, Pattern::Pubsub, "link-down"),
    (Transport::Hosts, Pattern::Reqrep, "link-down"),
    (Transport::Ssh, Pattern::Pubsub, "fancyhw"),
    (Transport::Ssh, Pattern::Reqrep, "hello"),
    (Transport::Ssh, Pattern::Pubsub, "tunnel-death"),
    (Transport::Ssh, Pattern::Reqrep, "tunnel-death"),
];

pub(crate) fn trials() -> Vec<Trial> {
    let peers = support::ids();
    let mut trials = Vec::new();
    for &(transport, pattern, case) in CELLS {
        for peer in &peers {
            let peer = String::from(*peer);
            let mut pairs = vec![(peer.clone(), PARTNER.to_owned())];
            if peer != PARTNER {
                pairs.push((PARTNER.to_owned(), peer));
            }
            for (sender, receiver) in pairs {
                let cell =
                    Cell { pattern, transport, sender, receiver, case: Some(case.to_owned()) };
                trials.push(cell_trial(format!("hosts::{}", cell.name()), cell));
            }
        }
    }
    trials
}

/// A cell this machine cannot run across hosts: ignored with the reason. A missing tool (`ip`,
/// `sshd`) on a machine that could make hosts fails under `INTEROP_REQUIRE_ALL=1`, like any
/// missing toolchain; a missing privilege or platform (an unprivileged runner, macOS) does not.
pub(crate) fn skipped(reason: &str) -> Result<Completion, Failed> {
    if harness::settings::require_all() && harness::hosts::privileged().is_ok() {
        Err(format!("INTEROP_REQUIRE_ALL=1 and a cell across hosts was skipped: {reason}").into())
    } else {
        Ok(Completion::ignored_with(format!("skip: {reason}")))
    }
}
