//! `--baseline`: is anything slower than in an earlier report, by more than the threshold and
//! more than this run's own noise?
//!
//! Throughput regresses when even this run's best repetition is below the baseline's median by
//! more than the threshold: `max < baseline.median * (1 - t)`. Latency regresses when this run's
//! best repetition's median half round trip is above the baseline's p50 by more than the
//! threshold: `best_run_p50 > baseline.p50 * (1 + t)`. Either way a single slow repetition on a
//! busy machine is not enough.

use super::BenchResult;
use super::report::BenchReport;
use std::fmt;

/// One result slower than its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Regression {
    /// The result's identity: `thr tcp c:python 16 B`.
    pub what: String,
    /// The baseline's figure.
    pub before: f64,
    /// This run's figure that was compared.
    pub now: f64,
    /// msg/s or µs.
    pub unit: &'static str,
}

impl fmt::Display for Regression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let change = (self.now - self.before) / self.before * 100.0;
        write!(
            f,
            "{}: {:.1} {} -> {:.1} {} ({change:+.1}%)",
            self.what, self.before, self.unit, self.now, self.unit
        )
    }
}

fn identity(result: &BenchResult) -> String {
    format!(
        "{} {} {} {}",
        result.kind.name(),
        result.transport,
        result.pair(),
        super::human_size(result.size)
    )
}

/// The results of `now` that regressed against `baseline` (`threshold` a fraction: 0.1).
#[must_use]
pub fn regressions(baseline: &BenchReport, now: &BenchReport, threshold: f64) -> Vec<Regression> {
    let mut found = Vec::new();
    // A `--versus` pair's rows are the comparison's, not results of their own.
    for current in now
        .results
        .iter()
        .filter(|r| r.is_ok() && r.paired_with.is_none() && r.loopback_for.is_none())
    {
        let Some(before) = baseline.results.iter().find(|b| {
            b.is_ok()
                && b.paired_with.is_none()
                && b.loopback_for.is_none()
                && b.kind == current.kind
                && b.transport == current.transport
                && b.sender == current.sender
                && b.receiver == current.receiver
                && b.size == current.size
        }) else {
            continue;
        };
        let what = identity(current);
        if let (Some(then), Some(now)) = (before.msgs_per_s, current.msgs_per_s)
            && current.half_rtt_us.is_none()
            && now.max < then.median * (1.0 - threshold)
        {
            found.push(Regression {
                what: what.clone(),
                before: then.median,
                now: now.max,
                unit: "msg/s",
            });
        }
        if let (Some(then), Some(best)) = (before.half_rtt_us, current.best_run_p50_us)
            && best > then.p50 * (1.0 + threshold)
        {
            found.push(Regression { what, before: then.p50, now: best, unit: "µs" });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::stats::{Percentiles, Spread};
    use crate::transport::Transport;
    use contract::output::BenchKind;

    fn report(results: Vec<BenchResult>) -> BenchReport {
        BenchReport {
            kind: crate::report::model::ReportKind::Bench,
            format_version: crate::report::model::FORMAT_VERSION,
            results,
            machine: serde_json::Value::Null,
            peers: serde_json::Value::Null,
            date: String::new(),
            repeat: 3,
            hwm: 0,
        }
    }

    fn thr(median: f64, min: f64, max: f64) -> BenchResult {
        BenchResult {
            kind: BenchKind::Thr,
            sender: "c".into(),
            receiver: "c".into(),
            transport: Transport::Tcp,
            size: 16,
            count: 1,
            status: "ok".into(),
            reason: String::new(),
            msgs_per_s: Some(Spread { median, min, max }),
            mb_per_s: None,
            half_rtt_us: None,
            best_run_p50_us: None,
            rates: Vec::new(),
            paired_with: None,
            loopback_for: None,
        }
    }

    fn lat(p50: f64, best: f64) -> BenchResult {
        BenchResult {
            kind: BenchKind::Lat,
            half_rtt_us: Some(Percentiles { p50, p90: p50, p99: p50 }),
            best_run_p50_us: Some(best),
            ..thr(1.0, 1.0, 1.0)
        }
    }

    #[test]
    fn a_throughput_drop_beyond_threshold_and_spread_is_flagged() {
        let baseline = report(vec![thr(1000.0, 950.0, 1050.0)]);
        let slower = report(vec![thr(800.0, 780.0, 850.0)]);
        let found = regressions(&baseline, &slower, 0.10);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].to_string(), "thr tcp c:c 16 B: 1000.0 msg/s -> 850.0 msg/s (-15.0%)");
    }

    #[test]
    fn noise_within_the_runs_own_spread_is_not() {
        let baseline = report(vec![thr(1000.0, 950.0, 1050.0)]);
        // The median dropped 20%, but the best repetition is within the threshold.
        assert!(regressions(&baseline, &report(vec![thr(800.0, 700.0, 950.0)]), 0.10).is_empty());
        assert!(regressions(&baseline, &report(vec![thr(1000.0, 990.0, 1010.0)]), 0.10).is_empty());
    }

    #[test]
    fn latency_increases_are_flagged_on_the_best_run() {
        let baseline = report(vec![lat(10.0, 9.0)]);
        assert_eq!(regressions(&baseline, &report(vec![lat(14.0, 12.0)]), 0.10).len(), 1);
        assert!(regressions(&baseline, &report(vec![lat(14.0, 10.5)]), 0.10).is_empty());
    }

    #[test]
    fn results_missing_from_the_baseline_are_not_compared() {
        let mut other = thr(1.0, 1.0, 1.0);
        other.size = 4096;
        assert!(
            regressions(&report(vec![other]), &report(vec![thr(1.0, 1.0, 1.0)]), 0.10).is_empty()
        );
    }
}
