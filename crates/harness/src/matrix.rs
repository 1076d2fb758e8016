//! The matrix: which cells a selection names, and running them in parallel.

use crate::bootstrap::PeerSet;
use crate::cell::{Cell, Outcome, Pattern};
use crate::known_issues::KnownIssues;
use crate::{pubsub, reqrep};
use contract::{Case, Transport};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Which cells to run.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Patterns, in order.
    pub patterns: Vec<Pattern>,
    /// Transports, in order.
    pub transports: Vec<Transport>,
    /// Peer ids; every ordered pair (a peer with itself included) is a cell.
    pub peers: Vec<String>,
    /// REQ/REP cases.
    pub cases: Vec<Case>,
}

impl Selection {
    /// Every cell the selection names: pattern, then transport, then case, then sender, then
    /// receiver.
    #[must_use]
    pub fn cells(&self) -> Vec<Cell> {
        let mut cells = Vec::new();
        for &pattern in &self.patterns {
            let cases: Vec<Option<Case>> = match pattern {
                Pattern::Reqrep => self.cases.iter().copied().map(Some).collect(),
                Pattern::Pubsub | Pattern::Thr | Pattern::Lat => vec![None],
            };
            for &transport in &self.transports {
                for &case in &cases {
                    for sender in &self.peers {
                        for receiver in &self.peers {
                            cells.push(Cell {
                                pattern,
                                transport,
                                sender: sender.clone(),
                                receiver: receiver.clone(),
                                case,
                            });
                        }
                    }
                }
            }
        }
        cells
    }
}

/// The parameters of both patterns.
#[derive(Debug, Clone, Default)]
pub struct Params {
    /// PUB/SUB.
    pub pubsub: pubsub::Params,
    /// REQ/REP.
    pub reqrep: reqrep::Params,
}

/// Runs one cell.
#[must_use]
pub fn run_cell(cell: &Cell, peers: &PeerSet, params: &Params) -> Outcome {
    match cell.pattern {
        Pattern::Pubsub => pubsub::run(cell, peers, &params.pubsub),
        Pattern::Reqrep => reqrep::run(cell, peers, &params.reqrep),
        Pattern::Thr | Pattern::Lat => crate::bench::check(cell, peers),
    }
}

/// Runs `cells` on `jobs` threads; `on_done` hears of each outcome as it comes. Outcomes are
/// returned in the cells' order.
pub fn run_all(
    cells: &[Cell],
    peers: &PeerSet,
    params: &Params,
    jobs: usize,
    known: &KnownIssues,
    on_done: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; cells.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, cells.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(cell) = cells.get(index) else { break };
                    let mut outcome = if crate::process::cancelled() {
                        Outcome::early(cell, crate::cell::Status::Skip, "")
                    } else {
                        run_cell(cell, peers, params)
                    };
                    // A cell cut short by Ctrl-C says so, rather than blaming its peers.
                    if crate::process::cancelled() {
                        outcome.status = crate::cell::Status::Skip;
                        outcome.reason = "cancelled (Ctrl-C)".into();
                    } else {
                        known.apply(&mut outcome, peers);
                    }
                    on_done(&outcome);
                    if let Ok(mut slots) = results.lock() {
                        slots[index] = Some(outcome);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default().into_iter().flatten().collect()
}

/// The default number of cells run at once: cells mostly wait on sockets, so twice the cores.
#[must_use]
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_selection_has_every_pair_transport_and_case() {
        let selection = Selection {
            patterns: Pattern::ALL.to_vec(),
            transports: Transport::ALL.to_vec(),
            peers: vec!["rust".into(), "c".into(), "python".into()],
            cases: Case::ALL.to_vec(),
        };
        let cells = selection.cells();
        assert_eq!(cells.len(), 18 + 36);
        let names: std::collections::BTreeSet<String> = cells.iter().map(Cell::name).collect();
        assert_eq!(names.len(), cells.len(), "names are unique");
        assert!(names.contains("pubsub::ipc::c_to_python"));
        assert!(names.contains("reqrep::tcp::hello::python_to_rust"));
        assert_eq!(cells[0].name(), "pubsub::tcp::rust_to_rust");
    }
}
