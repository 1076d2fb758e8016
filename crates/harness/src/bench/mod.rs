//! `interop bench`: throughput and latency of every pairing, by the method of libzmq's perf
//! tools, each language in its own idiom at full speed (`docs/peer-contract.md`).
//!
//! A bench cell is kind x pair x transport x message size. Each cell first runs a short probe
//! to learn the pair's rate, then `repeat` runs sized to last about `target` each; rates are
//! summarised as median/min/max over the runs, latencies as percentiles over every round trip.
//! Cells run one at a time: two at once on this kind of machine would measure each other.

pub mod baseline;
pub mod plot;
pub mod reference;
pub mod report;
pub mod stats;

use crate::bootstrap::PeerSet;
use crate::cell::{self, Cell, Outcome, Pattern, Status};
use crate::transport::Transport;
use contract::output::{BenchKind, Event, Measurement};
use serde::{Deserialize, Serialize};
use stats::{Percentiles, Spread};
use std::time::Duration;

/// The default message sizes: 16 B, 256 B, 4 KiB, 64 KiB, 1 MiB.
pub const DEFAULT_SIZES: [u64; 5] = [16, 256, 4096, 65_536, 1_048_576];

/// What to measure.
#[derive(Debug, Clone)]
pub struct Plan {
    /// thr, lat, or both.
    pub kinds: Vec<BenchKind>,
    /// (sender, receiver) peer ids.
    pub pairs: Vec<(String, String)>,
    /// Transports.
    pub transports: Vec<Transport>,
    /// Message sizes in bytes.
    pub sizes: Vec<u64>,
    /// Measured runs per cell.
    pub repeat: usize,
    /// How long each measured run should last.
    pub target: Duration,
    /// Throughput runs' high-water mark (0: unlimited, the method's default).
    pub hwm: i32,
    /// Yardsticks measured beside the cells they compare with, run for run.
    pub references: Vec<reference::Reference>,
    /// A pair (`c:c`) measured right after every run of every other pair, with the same count,
    /// so each pair's speed is a ratio to it taken run by run (A, B, A, B, ...).
    pub versus: Option<(String, String)>,
}

/// The peer every other one is measured against in the default pairs: libzmq's C API.
pub const YARDSTICK_PEER: &str = "c";

/// The default pairs: each peer with itself, then every other peer with `c` (libzmq's own C
/// API), in both directions. Every cross pair of many engines would take too long to be the
/// default; `--pairs` names any pair.
#[must_use]
pub fn default_pairs(peers: &[String]) -> Vec<(String, String)> {
    let same = peers.iter().map(|p| (p.clone(), p.clone()));
    let with_c = peers
        .iter()
        .filter(|p| *p != YARDSTICK_PEER && peers.iter().any(|c| c == YARDSTICK_PEER))
        .flat_map(|p| {
            [(p.clone(), YARDSTICK_PEER.to_owned()), (YARDSTICK_PEER.to_owned(), p.clone())]
        });
    same.chain(with_c).collect()
}

/// One measured cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    /// thr or lat.
    pub kind: BenchKind,
    /// The sending peer (thr-push, lat-req).
    pub sender: String,
    /// The receiving peer (thr-pull, lat-rep), which binds.
    pub receiver: String,
    /// The transport.
    pub transport: Transport,
    /// Message size in bytes.
    pub size: u64,
    /// Messages (or round trips) per measured run.
    pub count: u64,
    /// ok, fail or skip.
    pub status: String,
    /// Why it failed or skipped.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Messages (thr) or round trips (lat) per second, over the runs.
    #[serde(default)]
    pub msgs_per_s: Option<Spread>,
    /// Payload megabytes (10^6 bytes) per second, over the runs.
    #[serde(default)]
    pub mb_per_s: Option<Spread>,
    /// lat: half the round trip, in microseconds, over every round trip of every run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_rtt_us: Option<Percentiles>,
    /// lat: the best run's median half round trip (the baseline check's noise floor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_run_p50_us: Option<f64>,
    /// Each measured run's messages (or round trips) per second, in run order.
    #[serde(default)]
    pub rates: Vec<f64>,
    /// For a `--versus` pair's runs: the pair (`zmqrs:zmqrs`) they alternated with, run for run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paired_with: Option<String>,
    /// For loopback tcp runs alternated with the same pair's runs across hosts: that transport
    /// (`hosts`, `hosts1g`, `ssh`), whose speed they are the yardstick of, run for run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loopback_for: Option<Transport>,
}

impl BenchResult {
    /// `c:python`.
    #[must_use]
    pub fn pair(&self) -> String {
        format!("{}:{}", self.sender, self.receiver)
    }

    /// Whether it was measured.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }

    fn unmeasured(cell: &BenchCell, status: &str, reason: String) -> Self {
        Self {
            kind: cell.kind,
            sender: cell.sender.clone(),
            receiver: cell.receiver.clone(),
            transport: cell.transport,
            size: cell.size,
            count: 0,
            status: status.into(),
            reason,
            msgs_per_s: None,
            mb_per_s: None,
            half_rtt_us: None,
            best_run_p50_us: None,
            rates: Vec::new(),
            paired_with: None,
            loopback_for: None,
        }
    }
}

/// kind x pair x transport x size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchCell {
    /// thr or lat.
    pub kind: BenchKind,
    /// The sending peer.
    pub sender: String,
    /// The receiving peer.
    pub receiver: String,
    /// The transport.
    pub transport: Transport,
    /// Message size in bytes.
    pub size: u64,
}

impl BenchCell {
    fn as_cell(&self) -> Cell {
        Cell {
            pattern: pattern_of(self.kind),
            transport: self.transport,
            sender: self.sender.clone(),
            receiver: self.receiver.clone(),
            case: None,
        }
    }

    /// `thr tcp c:python 64 KiB`.
    #[must_use]
    pub fn label(&self) -> String {
        format!(
            "{} {} {}:{} {}",
            self.kind.name(),
            self.transport,
            self.sender,
            self.receiver,
            human_size(self.size)
        )
    }
}

fn pattern_of(kind: BenchKind) -> Pattern {
    match kind {
        BenchKind::Thr => Pattern::Thr,
        BenchKind::Lat => Pattern::Lat,
    }
}

/// `16 B`, `4 KiB`, `1 MiB`.
#[must_use]
pub fn human_size(size: u64) -> String {
    match size {
        s if s >= 1 << 20 && s.is_multiple_of(1 << 20) => format!("{} MiB", s >> 20),
        s if s >= 1 << 10 && s.is_multiple_of(1 << 10) => format!("{} KiB", s >> 10),
        s => format!("{s} B"),
    }
}

impl Plan {
    /// Every cell, in run order: kind, transport, pair, size.
    #[must_use]
    pub fn cells(&self) -> Vec<BenchCell> {
        let mut cells = Vec::new();
        for &kind in &self.kinds {
            for &transport in &self.transports {
                for (sender, receiver) in &self.pairs {
                    for &size in &self.sizes {
                        cells.push(BenchCell {
                            kind,
                            sender: sender.clone(),
                            receiver: receiver.clone(),
                            transport,
                            size,
                        });
                    }
                }
            }
        }
        cells
    }

    /// The `--versus` cell run beside `cell`, unless `cell` is that pair itself.
    fn versus_of(&self, cell: &BenchCell) -> Option<BenchCell> {
        let (sender, receiver) = self.versus.as_ref()?;
        (*sender != cell.sender || *receiver != cell.receiver).then(|| BenchCell {
            sender: sender.clone(),
            receiver: receiver.clone(),
            ..cell.clone()
        })
    }

    /// Processes run per cell: the probe and the measured runs.
    #[must_use]
    pub fn runs_per_cell(&self) -> usize {
        1 + self.repeat
    }

    /// Measures every cell in turn; `tick` hears of each run as it ends. A reference runs right
    /// after each of its cell's measured runs, with the same count, so both see the same
    /// machine.
    pub fn run(&self, peers: &PeerSet, tick: &dyn Fn(&BenchCell)) -> Vec<BenchResult> {
        self.cells()
            .iter()
            .flat_map(|cell| {
                if crate::process::cancelled() {
                    vec![BenchResult::unmeasured(cell, "skip", "not run (interrupted)".into())]
                } else {
                    self.measure_cell(cell, peers, tick)
                }
            })
            .collect()
    }

    fn measure_cell(
        &self,
        cell: &BenchCell,
        peers: &PeerSet,
        tick: &dyn Fn(&BenchCell),
    ) -> Vec<BenchResult> {
        let probe = run_once(cell, peers, probe_count(cell.kind, cell.size), self.hwm);
        tick(cell);
        let probe = match probe {
            Ok(measurement) => measurement,
            Err((status, reason)) => {
                return vec![BenchResult::unmeasured(cell, status.name(), reason)];
            }
        };
        let count = sized_count(cell.kind, rate_of(&probe), self.target);
        let mut yardsticks: Vec<(&reference::Reference, Result<BenchCell, String>, Vec<f64>)> =
            self.references
                .iter()
                .filter_map(|r| r.applies_to(cell).map(|own| (r, own, Vec::new())))
                .collect();
        let mut versus = self.versus_of(cell).map(|v| (v, Ok(Vec::new())));
        // Across hosts, the same pair over this machine's loopback runs after every run: the
        // transport's cost is a ratio taken run by run, not across a drifting machine.
        let mut loopback = cell
            .transport
            .across_hosts()
            .then(|| (BenchCell { transport: Transport::Tcp, ..cell.clone() }, Ok(Vec::new())));
        let mut runs = Vec::with_capacity(self.repeat);
        for _ in 0..self.repeat {
            let run = run_once(cell, peers, count, self.hwm);
            tick(cell);
            match run {
                Ok(measurement) => runs.push(measurement),
                Err((status, reason)) => {
                    return vec![BenchResult::unmeasured(cell, status.name(), reason)];
                }
            }
            if let Some((versus_cell, outcome)) = &mut versus
                && let Ok(versus_runs) = outcome
            {
                match run_once(versus_cell, peers, count, self.hwm) {
                    Ok(measurement) => versus_runs.push(measurement),
                    // A failed run ends the comparison for this cell, not the cell.
                    Err(failed) => *outcome = Err(failed),
                }
            }
            if let Some((loopback_cell, outcome)) = &mut loopback
                && let Ok(loopback_runs) = outcome
            {
                match run_once(loopback_cell, peers, count, self.hwm) {
                    Ok(measurement) => loopback_runs.push(measurement),
                    Err(failed) => *outcome = Err(failed),
                }
            }
            for (yardstick, own, rates) in &mut yardsticks {
                if own.is_ok() {
                    match yardstick.run_once(cell.transport, cell.size, count) {
                        Ok(rate) => rates.push(rate),
                        // A failed yardstick run ends that yardstick for this cell, not the cell.
                        Err(reason) => *own = Err(format!("fail: {reason}")),
                    }
                }
            }
        }
        let mut results = vec![summarise(cell, count, &runs)];
        if let Some((versus_cell, versus_runs)) = versus {
            let mut result = match versus_runs {
                Ok(runs) => summarise(&versus_cell, count, &runs),
                Err((status, reason)) => {
                    BenchResult::unmeasured(&versus_cell, status.name(), reason)
                }
            };
            result.paired_with = Some(format!("{}:{}", cell.sender, cell.receiver));
            results.push(result);
        }
        if let Some((loopback_cell, loopback_runs)) = loopback {
            let mut result = match loopback_runs {
                Ok(runs) => summarise(&loopback_cell, count, &runs),
                Err((status, reason)) => {
                    BenchResult::unmeasured(&loopback_cell, status.name(), reason)
                }
            };
            result.loopback_for = Some(cell.transport);
            results.push(result);
        }
        results.extend(yardsticks.into_iter().map(|(yardstick, own, rates)| match own {
            Ok(own_cell) => reference::result(&own_cell, count, &rates),
            Err(reason) => {
                let own_cell = BenchCell {
                    sender: yardstick.name.into(),
                    receiver: yardstick.name.into(),
                    ..cell.clone()
                };
                let status = if reason.starts_with("fail: ") { "fail" } else { "skip" };
                BenchResult::unmeasured(
                    &own_cell,
                    status,
                    reason.trim_start_matches("fail: ").to_owned(),
                )
            }
        }));
        results
    }
}

/// A first guess small enough for the slowest pair, large enough to measure the fastest.
fn probe_count(kind: BenchKind, size: u64) -> u64 {
    match kind {
        BenchKind::Thr => (8_000_000 / size.max(1)).clamp(50, 100_000),
        BenchKind::Lat => (2_000_000 / size.max(1)).clamp(20, 2_000),
    }
}

/// Messages (or round trips) for a run of about `target` at `rate` per second.
fn sized_count(kind: BenchKind, rate: f64, target: Duration) -> u64 {
    let (min, max) = match kind {
        BenchKind::Thr => (100.0, 50_000_000.0),
        BenchKind::Lat => (20.0, 2_000_000.0),
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let count = (rate * target.as_secs_f64()).clamp(min, max) as u64;
    count
}

/// Messages per second of one run: (count - 1) / elapsed for thr (the clock starts at the first
/// message), round trips per second for lat.
#[allow(clippy::cast_precision_loss)]
fn rate_of(measurement: &Measurement) -> f64 {
    match (measurement.kind, &measurement.elapsed_ns, &measurement.rtt_ns) {
        (BenchKind::Thr, Some(elapsed), _) => {
            (measurement.count.saturating_sub(1)) as f64 / (*elapsed).max(1) as f64 * 1e9
        }
        (BenchKind::Lat, _, Some(rtt)) => {
            rtt.len() as f64 / rtt.iter().sum::<u64>().max(1) as f64 * 1e9
        }
        _ => 0.0,
    }
}

#[allow(clippy::cast_precision_loss)]
fn summarise(cell: &BenchCell, count: u64, runs: &[Measurement]) -> BenchResult {
    let rates: Vec<f64> = runs.iter().map(rate_of).collect();
    let msgs_per_s = Spread::of(&rates);
    let mb_per_s = msgs_per_s.map(|s| s.scaled(cell.size as f64 / 1e6));
    let halves = |rtt: &[u64]| rtt.iter().map(|ns| *ns as f64 / 2000.0).collect::<Vec<f64>>();
    let (half_rtt_us, best_run_p50_us) = match cell.kind {
        BenchKind::Thr => (None, None),
        BenchKind::Lat => {
            let all: Vec<f64> =
                runs.iter().filter_map(|r| r.rtt_ns.as_deref()).flat_map(halves).collect();
            let best = runs
                .iter()
                .filter_map(|r| r.rtt_ns.as_deref())
                .filter_map(|rtt| Percentiles::of(&halves(rtt)))
                .map(|p| p.p50)
                .min_by(f64::total_cmp);
            (Percentiles::of(&all), best)
        }
    };
    BenchResult {
        count,
        status: "ok".into(),
        msgs_per_s,
        mb_per_s,
        half_rtt_us,
        best_run_p50_us,
        rates,
        ..BenchResult::unmeasured(cell, "ok", String::new())
    }
}

/// One process pair measuring `count` messages, or why not (skip or fail, with the reason).
fn run_once(
    cell: &BenchCell,
    peers: &PeerSet,
    count: u64,
    hwm: i32,
) -> Result<Measurement, (Status, String)> {
    let as_cell = cell.as_cell();
    let size = cell.size.to_string();
    let count = count.to_string();
    let hwm = hwm.to_string();
    let mut options = vec!["--size".to_owned(), size, "--count".to_owned(), count];
    if cell.kind == BenchKind::Thr {
        options.extend(["--hwm".to_owned(), hwm]);
    }
    let (run, _) =
        cell::run_peers(&as_cell, peers, &options, &[], &[]).map_err(|o| (o.status, o.reason))?;
    if let Some((status, reason)) = cell::judge_exits(&run) {
        return Err((status, reason));
    }
    let measuring = match cell.kind {
        BenchKind::Thr => Some(&run.binder),
        BenchKind::Lat => run.connector.as_ref(),
    };
    measuring
        .and_then(|done| {
            done.stdout.iter().rev().find_map(|line| match serde_json::from_str::<Event>(line) {
                Ok(Event::Result(measurement)) => Some(measurement),
                _ => None,
            })
        })
        .filter(|m| m.kind == cell.kind && m.size == cell.size)
        .ok_or_else(|| {
            (Status::Fail, format!("{}: no result line for {}", as_cell.name(), cell.label()))
        })
}

/// A short correctness run of a benchmark cell (the `cargo test` trials): both roles exit 0
/// and the measuring side reports the count and size it was given.
#[must_use]
pub fn check(cell: &Cell, peers: &PeerSet) -> Outcome {
    let kind = if cell.pattern == Pattern::Lat { BenchKind::Lat } else { BenchKind::Thr };
    let count: u64 = if kind == BenchKind::Thr { 2000 } else { 200 };
    let bench_cell = BenchCell {
        kind,
        sender: cell.sender.clone(),
        receiver: cell.receiver.clone(),
        transport: cell.transport,
        size: 100,
    };
    match run_once(&bench_cell, peers, count, 0) {
        Ok(m) if m.count == count && m.rtt_ns.as_ref().is_none_or(|r| r.len() as u64 == count) => {
            Outcome::early(cell, Status::Pass, "")
        }
        Ok(m) => Outcome::early(
            cell,
            Status::Fail,
            format!(
                "result reports count {} (rtt {:?}), expected {count}",
                m.count,
                m.rtt_ns.map(|r| r.len())
            ),
        ),
        Err((status, reason)) => Outcome::early(cell, status, reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pairs_are_each_peer_with_itself_then_each_with_c() {
        let ids = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        let pairs = default_pairs(&ids(&["rust", "c", "python"]));
        let names: Vec<String> = pairs.iter().map(|(s, r)| format!("{s}:{r}")).collect();
        assert_eq!(
            names,
            ["rust:rust", "c:c", "python:python", "rust:c", "c:rust", "python:c", "c:python"]
        );
        assert_eq!(default_pairs(&ids(&["rust", "zmqrs"])).len(), 2, "no c: no cross pairs");
    }

    #[test]
    fn rates_follow_the_perf_tools_method() {
        let thr = Measurement {
            kind: BenchKind::Thr,
            count: 1001,
            size: 16,
            elapsed_ns: Some(1_000_000),
            rtt_ns: None,
        };
        assert!((rate_of(&thr) - 1_000_000.0).abs() < 1e-6);
        let lat = Measurement {
            kind: BenchKind::Lat,
            count: 2,
            size: 16,
            elapsed_ns: None,
            rtt_ns: Some(vec![10_000, 30_000]),
        };
        assert!((rate_of(&lat) - 50_000.0).abs() < 1e-6);
    }

    #[test]
    fn counts_aim_at_the_target_within_bounds() {
        assert_eq!(sized_count(BenchKind::Thr, 1_000_000.0, Duration::from_millis(200)), 200_000);
        assert_eq!(sized_count(BenchKind::Thr, 1.0, Duration::from_millis(200)), 100);
        assert_eq!(sized_count(BenchKind::Lat, 50_000.0, Duration::from_millis(200)), 10_000);
    }

    #[test]
    fn a_lat_summary_has_percentiles_of_half_round_trips() {
        let cell = BenchCell {
            kind: BenchKind::Lat,
            sender: "c".into(),
            receiver: "c".into(),
            transport: Transport::Tcp,
            size: 16,
        };
        let run = |rtt: Vec<u64>| Measurement {
            kind: BenchKind::Lat,
            count: rtt.len() as u64,
            size: 16,
            elapsed_ns: None,
            rtt_ns: Some(rtt),
        };
        let result =
            summarise(&cell, 3, &[run(vec![2000, 4000, 6000]), run(vec![20_000, 20_000, 20_000])]);
        let p = result.half_rtt_us.unwrap();
        assert_eq!((p.p50, p.p99), (3.0, 10.0));
        assert_eq!(result.best_run_p50_us, Some(2.0));
        assert!(result.mb_per_s.is_some());
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(16), "16 B");
        assert_eq!(human_size(4096), "4 KiB");
        assert_eq!(human_size(1_048_576), "1 MiB");
        assert_eq!(human_size(1000), "1000 B");
    }
}
