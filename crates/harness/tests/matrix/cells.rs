//! One test per matrix cell: the same cells, runner and checks as `interop matrix`.

use super::support;
use harness::cell::{Cell, Pattern, Status};
use harness::matrix::{self, Params, Selection};
use harness::transport::Transport;
use libtest_mimic::{Completion, Trial};

/// Every cell of every case of the catalog between the default peers, and a short run of every
/// benchmark pairing (`thr::tcp::c_to_python`): both roles exit 0 and report what they were
/// asked for.
pub(crate) fn trials() -> Vec<Trial> {
    let selection = Selection {
        patterns: [Pattern::ALL.as_slice(), &[Pattern::Thr, Pattern::Lat]].concat(),
        transports: Transport::LOCAL.to_vec(),
        peers: support::ids().into_iter().map(String::from).collect(),
        cases: Vec::new(),
        partition: None,
    };
    let mut cells = selection.cells();
    // Costly cases first (libtest-mimic starts trials in order), so none ends the run alone.
    cells.sort_by_key(|cell| std::cmp::Reverse(cell.def().map_or(1, |def| def.cost)));
    cells.into_iter().map(|cell| cell_trial(cell.name(), cell)).collect()
}

/// The trial `name` that runs `cell` as `interop matrix` would, known issues applied.
pub(crate) fn cell_trial(name: String, cell: Cell) -> Trial {
    Trial::ignorable_test(name, move || {
        let (workspace, peers) = support::peers()?;
        let mut outcome = matrix::run_cell(&cell, peers, &Params::default());
        let known =
            harness::known_issues::KnownIssues::load(workspace).map_err(|e| format!("{e:#}"))?;
        known.apply(&mut outcome, peers);
        match outcome.status {
            Status::Pass => Ok(Completion::Completed),
            Status::Skip if cell.transport.across_hosts() => super::hosts::skipped(&outcome.reason),
            Status::Skip | Status::Unsupported | Status::Xfail => Ok(Completion::ignored_with(
                format!("{}: {}", outcome.status.name(), outcome.reason),
            )),
            Status::Fail | Status::Xpass => {
                Err(harness::report::table::failure_details(&outcome).into())
            }
        }
    })
}
