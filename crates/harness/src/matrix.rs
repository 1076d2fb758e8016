//! The matrix: which cells a selection names, and running them in parallel.

use crate::bootstrap::PeerSet;
use crate::cell::{Cell, Outcome, Pattern};
use crate::known_issues::KnownIssues;
use crate::transport::Transport;
use crate::{pubsub, reqrep};
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
    /// Case names (`cases.rs`); every case of the selected patterns when empty.
    pub cases: Vec<String>,
    /// The shard of the cells to run, if only one.
    pub partition: Option<Partition>,
}

impl Selection {
    /// Every cell the selection names: pattern, then case, then transport, then sender, then
    /// receiver. The benchmark patterns have no case.
    #[must_use]
    pub fn cells(&self) -> Vec<Cell> {
        let mut cells = Vec::new();
        for &pattern in &self.patterns {
            let cases: Vec<Option<String>> = match pattern {
                Pattern::Thr | Pattern::Lat => vec![None],
                Pattern::Pubsub | Pattern::Reqrep => crate::cases::of(pattern)
                    .filter(|case| {
                        self.cases.is_empty() || self.cases.iter().any(|c| c == case.name)
                    })
                    .map(|case| Some(case.name.to_owned()))
                    .collect(),
            };
            for case in &cases {
                let def = case.as_deref().and_then(|name| crate::cases::find(pattern, name).ok());
                for &transport in &self.transports {
                    // A case about the link between hosts has no cell where there is none.
                    if def.is_some_and(|def| !def.needs.met_by(transport)) {
                        continue;
                    }
                    for sender in &self.peers {
                        for receiver in &self.peers {
                            cells.push(Cell {
                                pattern,
                                transport,
                                sender: sender.clone(),
                                receiver: receiver.clone(),
                                case: case.clone(),
                            });
                        }
                    }
                }
            }
        }
        match self.partition {
            Some(partition) => partition.select(cells),
            None => cells,
        }
    }
}

/// One shard of a selection: `count:K/N` (every N-th cell from the K-th, in matrix order) or
/// `hash:K/N` (the cells whose name hashes to K-1 modulo N, so a cell stays in its shard when
/// other cells are added), cargo-nextest's convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// Whether cells are dealt by position or by a hash of their name.
    pub by_hash: bool,
    /// This shard, from 1.
    pub shard: u32,
    /// How many shards.
    pub of: u32,
}

impl Partition {
    /// Parses `count:K/N` or `hash:K/N`.
    ///
    /// # Errors
    /// One line saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("--partition {text:?} is not count:K/N or hash:K/N with 1 <= K <= N");
        let (kind, rest) = text.split_once(':').ok_or_else(bad)?;
        let by_hash = match kind {
            "hash" => true,
            "count" => false,
            _ => return Err(bad()),
        };
        let (shard, of) = rest.split_once('/').ok_or_else(bad)?;
        let number =
            |s: &str| s.parse::<u32>().ok().filter(|_| !s.starts_with('+') && !s.starts_with('0'));
        let (shard, of) = (number(shard).ok_or_else(bad)?, number(of).ok_or_else(bad)?);
        if shard == 0 || shard > of {
            return Err(bad());
        }
        Ok(Self { by_hash, shard, of })
    }

    /// Whether the cell at `index` of the full selection, named `name`, is in this shard.
    #[must_use]
    pub fn holds(&self, index: usize, name: &str) -> bool {
        let slot = if self.by_hash {
            crate::report::model::fnv1a(name.as_bytes()) % u64::from(self.of)
        } else {
            index as u64 % u64::from(self.of)
        };
        slot == u64::from(self.shard - 1)
    }

    /// This shard's cells of `cells`, in their order.
    #[must_use]
    pub fn select(&self, cells: Vec<Cell>) -> Vec<Cell> {
        cells
            .into_iter()
            .enumerate()
            .filter(|(i, c)| self.holds(*i, &c.name()))
            .map(|(_, c)| c)
            .collect()
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.by_hash { "hash" } else { "count" };
        write!(f, "{kind}:{}/{}", self.shard, self.of)
    }
}

/// The parameters of both patterns.
#[derive(Debug, Clone, Default)]
pub struct Params {
    /// PUB/SUB.
    pub pubsub: pubsub::Params,
    /// REQ/REP.
    pub reqrep: reqrep::Params,
    /// Sizes asked for on the command line (`interop cell --count`), over every case's own.
    pub overrides: crate::cases::Size,
}

/// Runs one cell.
#[must_use]
pub fn run_cell(cell: &Cell, peers: &PeerSet, params: &Params) -> Outcome {
    match cell.pattern {
        Pattern::Pubsub | Pattern::Reqrep => crate::cases::flow::run(cell, peers, params, None),
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
    // Costly cells start first, so that none ends a run alone; outcomes keep the cells' order.
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cells[i].def().map_or(1, |def| def.cost)));
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, cells.len().max(1)) {
            scope.spawn(|| {
                while let Some(&index) = order.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let cell = &cells[index];
                    let ran = !crate::process::cancelled();
                    let mut outcome = if ran {
                        run_cell(cell, peers, params)
                    } else {
                        Outcome::early(cell, crate::cell::Status::Skip, "")
                    };
                    // A cell cut short, or never started, says so rather than blaming its peers.
                    if let Some((_, signal)) = crate::process::interrupted_by() {
                        outcome.status = crate::cell::Status::Skip;
                        outcome.reason = if ran {
                            format!("cut short (interrupted by {signal})")
                        } else {
                            format!("not run (interrupted by {signal})")
                        };
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

/// Folds the outcomes of the same cells run several times (`--repeat`) into one per cell:
/// each carries its count per outcome; a cell that both passed and failed is **flaky**, a
/// failure of the run; otherwise it keeps its first non-passing run (its reason and commands),
/// or its last pass.
#[must_use]
pub fn fold_repeats(runs: Vec<Vec<Outcome>>) -> Vec<Outcome> {
    let mut folded: Vec<Outcome> = Vec::new();
    for (round, outcomes) in runs.into_iter().enumerate() {
        for (i, outcome) in outcomes.into_iter().enumerate() {
            if round == 0 {
                let mut first = outcome;
                let status = first.status.name().to_owned();
                first.repeats = Some(std::iter::once((status, 1)).collect());
                folded.push(first);
                continue;
            }
            let Some(kept) = folded.get_mut(i) else { continue };
            let mut counts = kept.repeats.take().unwrap_or_default();
            *counts.entry(outcome.status.name().to_owned()).or_default() += 1;
            if kept.status == crate::cell::Status::Pass
                && outcome.status != crate::cell::Status::Pass
            {
                *kept = outcome;
            }
            kept.repeats = Some(counts);
        }
    }
    for outcome in &mut folded {
        let counts = outcome.repeats.clone().unwrap_or_default();
        let (passed, failed) = (counts.get("pass").copied(), counts.get("fail").copied());
        if let (Some(passed), Some(failed)) = (passed, failed) {
            outcome.reason = format!(
                "FLAKY: passed {passed} of {} runs and failed {failed}; a failure: {}",
                counts.values().sum::<u32>(),
                outcome.reason
            );
            outcome.status = crate::cell::Status::Fail;
        }
    }
    folded
}

/// The default number of cells run at once: cells mostly wait on sockets, so twice the cores.
#[must_use]
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::Needs;

    fn full(peers: &[&str]) -> Vec<Cell> {
        Selection {
            patterns: Pattern::ALL.to_vec(),
            transports: Transport::LOCAL.to_vec(),
            peers: peers.iter().map(|p| (*p).to_owned()).collect(),
            cases: Vec::new(),
            partition: None,
        }
        .cells()
    }

    #[test]
    fn shards_cover_the_selection_once_and_hash_shards_are_stable() {
        let cells = full(&["rust", "c", "python"]);
        for by_hash in [false, true] {
            for of in 1..=8 {
                let mut seen: Vec<String> = Vec::new();
                for shard in 1..=of {
                    let part = Partition { by_hash, shard, of };
                    seen.extend(part.select(cells.clone()).iter().map(Cell::name));
                }
                let mut unique = seen.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), seen.len(), "no cell twice ({by_hash}, {of})");
                assert_eq!(seen.len(), cells.len(), "every cell once ({by_hash}, {of})");
            }
        }
        // Adding a peer moves no existing cell to another hash shard.
        let more = full(&["rust", "c", "python", "zmqrs"]);
        for of in 1..=8 {
            for shard in 1..=of {
                let part = Partition { by_hash: true, shard, of };
                let before: Vec<String> =
                    part.select(cells.clone()).iter().map(Cell::name).collect();
                let after: Vec<String> = part.select(more.clone()).iter().map(Cell::name).collect();
                assert!(before.iter().all(|name| after.contains(name)), "{part}");
            }
        }
    }

    #[test]
    fn partitions_parse_or_say_why_not() {
        assert_eq!(Partition::parse("hash:2/3"), Ok(Partition { by_hash: true, shard: 2, of: 3 }));
        assert_eq!(Partition::parse("count:1/1").map(|p| p.to_string()), Ok("count:1/1".into()));
        for bad in [
            "0/3",
            "hash:0/3",
            "count:4/3",
            "x",
            "hash:1/0",
            "slice:1/2",
            "hash:01/3",
            "hash:1/3/4",
        ] {
            assert!(Partition::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_cell_that_both_passes_and_fails_is_flaky_and_fails_the_run() {
        let cell = |name: &str| Cell {
            pattern: Pattern::Reqrep,
            transport: Transport::Tcp,
            sender: name.into(),
            receiver: "c".into(),
            case: Some("hello".into()),
        };
        let outcome = |name: &str, status| Outcome::early(&cell(name), status, "why");
        use crate::cell::Status::{Fail, Pass, Xfail};
        let runs = vec![
            vec![outcome("a", Pass), outcome("b", Pass), outcome("x", Xfail)],
            vec![outcome("a", Fail), outcome("b", Pass), outcome("x", Pass)],
            vec![outcome("a", Pass), outcome("b", Pass), outcome("x", Xfail)],
        ];
        let folded = fold_repeats(runs);
        assert_eq!(folded[0].status, Fail);
        assert!(folded[0].reason.starts_with("FLAKY: passed 2 of 3 runs and failed 1"));
        assert_eq!(folded[1].status, Pass);
        assert_eq!(folded[1].repeats.as_ref().unwrap()["pass"], 3);
        assert_eq!(folded[2].status, Xfail, "a flaky known issue is not flaky news");
    }

    #[test]
    fn the_full_selection_has_every_pair_transport_and_case() {
        let peers = vec!["rust".into(), "c".into(), "python".into()];
        let selection = Selection {
            patterns: Pattern::ALL.to_vec(),
            transports: Transport::LOCAL.to_vec(),
            peers,
            cases: Vec::new(),
            partition: None,
        };
        let cells = selection.cells();
        let anywhere = crate::cases::CASES.iter().filter(|c| c.needs == Needs::Any).count();
        assert_eq!(cells.len(), anywhere * 2 * 9, "the cases about hosts have no local cells");
        let names: std::collections::BTreeSet<String> = cells.iter().map(Cell::name).collect();
        assert_eq!(names.len(), cells.len(), "names are unique");
        assert!(names.contains("pubsub::ipc::fancyhw::c_to_python"));
        assert!(names.contains("reqrep::tcp::hello::python_to_rust"));
        assert_eq!(cells[0].name(), "pubsub::tcp::fancyhw::rust_to_rust");
        let two = Selection { cases: vec!["hello".into(), "topics".into()], ..selection };
        assert_eq!(two.cells().len(), 2 * 2 * 9);
        let across = Selection {
            transports: vec![Transport::Hosts, Transport::Ssh],
            cases: vec!["link-down".into(), "tunnel-death".into()],
            ..two
        };
        // link-down on both transports, tunnel-death on ssh only; each in both patterns.
        assert_eq!(across.cells().len(), (2 + 1) * 2 * 9);
    }
}
