//! The bench report: JSON (`results`, `machine`, `peers`) and Markdown tables.

use super::reference::compared_pair;
use super::{BenchResult, human_size};
use crate::transport::Transport;
use contract::output::BenchKind;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// A whole `interop bench` run, as written with `--json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchReport {
    /// Always `bench`.
    pub kind: crate::report::model::ReportKind,
    /// The format version.
    pub format_version: u32,
    /// One entry per cell.
    pub results: Vec<BenchResult>,
    /// Where it ran.
    pub machine: serde_json::Value,
    /// Each peer's `--info` and origin, so a report says which libzmq and binding produced it.
    pub peers: serde_json::Value,
    /// When it ran (UTC, RFC 3339).
    #[serde(default)]
    pub date: String,
    /// Measured runs per cell.
    #[serde(default)]
    pub repeat: usize,
    /// Throughput runs' high-water mark (0: unlimited).
    #[serde(default)]
    pub hwm: i32,
}

/// The machine, described enough to compare reports: OS, architecture, CPU count and model.
#[must_use]
pub fn machine() -> serde_json::Value {
    let mut machine = crate::report::json::machine();
    if let Some(model) = cpu_model() {
        machine["cpu_model"] = model.into();
    }
    machine
}

fn cpu_model() -> Option<String> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_owned())
}

/// `7.21 M`, `845 k`, `92`.
#[must_use]
pub fn human_rate(rate: f64) -> String {
    if rate >= 1e6 {
        format!("{:.2} M", rate / 1e6)
    } else if rate >= 1e3 {
        format!("{:.0} k", rate / 1e3)
    } else {
        format!("{rate:.0}")
    }
}

fn sizes_of(results: &[&BenchResult]) -> Vec<u64> {
    let mut sizes: Vec<u64> = results.iter().map(|r| r.size).collect();
    sizes.sort_unstable();
    sizes.dedup();
    sizes
}

fn pairs_of(results: &[&BenchResult]) -> Vec<String> {
    let mut pairs: Vec<String> = Vec::new();
    for result in results {
        if !pairs.contains(&result.pair()) {
            pairs.push(result.pair());
        }
    }
    pairs
}

fn find<'a>(results: &[&'a BenchResult], pair: &str, size: u64) -> Option<&'a BenchResult> {
    results.iter().copied().find(|r| r.pair() == pair && r.size == size)
}

fn header(out: &mut String, sizes: &[u64]) {
    out.push_str("| pair |");
    for size in sizes {
        let _ = write!(out, " {} |", human_size(*size));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(sizes.len()));
    out.push('\n');
}

/// A cell that has no figure: `–` when absent, else its status (the reason is listed under
/// the table).
fn not_measured(result: Option<&BenchResult>) -> String {
    result.map_or_else(|| "–".into(), |r| r.status.clone())
}

/// The distinct reasons behind the table's unmeasured cells, one line each.
fn reasons(out: &mut String, results: &[&BenchResult]) {
    let mut seen: Vec<String> = Vec::new();
    for result in results.iter().filter(|r| !r.is_ok()) {
        let reason = result.reason.lines().next().unwrap_or_default();
        let line = format!("- {} {}: {reason}", result.pair(), result.status);
        if !seen.contains(&line) {
            seen.push(line);
        }
    }
    for line in &seen {
        out.push_str(line);
        out.push('\n');
    }
    if !seen.is_empty() {
        out.push('\n');
    }
}

/// The Markdown tables: throughput (msg/s and MB/s) and latency (half round trip) per transport,
/// then the ipc/tcp throughput ratio per pair.
#[must_use]
pub fn to_markdown(report: &BenchReport) -> String {
    let mut out = String::new();
    let of = |kind: BenchKind, transport: Transport| -> Vec<&BenchResult> {
        report
            .results
            .iter()
            .filter(|r| {
                r.kind == kind
                    && r.transport == transport
                    && r.paired_with.is_none()
                    && r.loopback_for.is_none()
            })
            .collect()
    };
    let runs = if report.repeat > 0 {
        format!("median of {} runs", report.repeat)
    } else {
        "median".into()
    };
    for transport in Transport::ALL {
        let results = of(BenchKind::Thr, transport);
        if results.is_empty() {
            continue;
        }
        let sizes = sizes_of(&results);
        let _ = writeln!(out, "### Throughput over {transport} ({runs}): msg/s · MB/s\n");
        header(&mut out, &sizes);
        for pair in pairs_of(&results) {
            let _ = write!(out, "| {pair} |");
            for &size in &sizes {
                let result = find(&results, &pair, size);
                let cell = match result.and_then(|r| Some((r.msgs_per_s?, r.mb_per_s?))) {
                    Some((msgs, mb)) => format!("{} · {:.0}", human_rate(msgs.median), mb.median),
                    None => not_measured(result),
                };
                let _ = write!(out, " {cell} |");
            }
            out.push('\n');
        }
        out.push('\n');
        reasons(&mut out, &results);
    }
    for transport in Transport::ALL {
        let results = of(BenchKind::Lat, transport);
        if results.is_empty() {
            continue;
        }
        let sizes = sizes_of(&results);
        let _ =
            writeln!(out, "### Latency over {transport}: half round trip p50 / p90 / p99 (µs)\n");
        header(&mut out, &sizes);
        for pair in pairs_of(&results) {
            let _ = write!(out, "| {pair} |");
            for &size in &sizes {
                let result = find(&results, &pair, size);
                let cell = match result.and_then(|r| r.half_rtt_us) {
                    Some(p) => format!("{:.1} / {:.1} / {:.1}", p.p50, p.p90, p.p99),
                    None => not_measured(result),
                };
                let _ = write!(out, " {cell} |");
            }
            out.push('\n');
        }
        out.push('\n');
        reasons(&mut out, &results);
    }
    yardsticks(&mut out, report);
    versus(&mut out, report);
    across_hosts(&mut out, report);
    let (tcp, ipc) = (of(BenchKind::Thr, Transport::Tcp), of(BenchKind::Thr, Transport::Ipc));
    if !tcp.is_empty() && !ipc.is_empty() {
        let sizes = sizes_of(&tcp);
        out.push_str("### Throughput, ipc / tcp (median msg/s ratio; above 1: ipc is faster)\n\n");
        header(&mut out, &sizes);
        for pair in pairs_of(&tcp) {
            let ratios: Vec<Option<f64>> = sizes
                .iter()
                .map(|&size| {
                    let tcp = find(&tcp, &pair, size).and_then(|t| t.msgs_per_s)?;
                    let ipc = find(&ipc, &pair, size).and_then(|i| i.msgs_per_s)?;
                    Some(ipc.median / tcp.median)
                })
                .collect();
            if ratios.iter().all(Option::is_none) {
                continue;
            }
            let _ = write!(out, "| {pair} |");
            for ratio in ratios {
                let shown = ratio.map_or_else(|| "–".to_owned(), |r| format!("{r:.2}"));
                let _ = write!(out, " {shown} |");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// The yardsticks: each pair's throughput over its reference's, as the median of the ratios of
/// runs made back to back (which cancels the machine's slow drifts).
fn yardsticks(out: &mut String, report: &BenchReport) {
    let references: Vec<&BenchResult> = report
        .results
        .iter()
        .filter(|r| r.kind == BenchKind::Thr && r.is_ok() && compared_pair(&r.sender).is_some())
        .collect();
    if references.is_empty() {
        return;
    }
    out.push_str("### Against the yardsticks (median of run-by-run throughput ratios)\n\n");
    out.push_str("| pair | yardstick | transport | size | ratio |\n|---|---|---|---:|---:|\n");
    for reference in references {
        let compared = report.results.iter().find(|r| {
            r.kind == BenchKind::Thr
                && r.transport == reference.transport
                && r.size == reference.size
                && r.is_ok()
                && compared_pair(&reference.sender)
                    == Some((r.sender.as_str(), r.receiver.as_str()))
        });
        let Some(compared) = compared else { continue };
        let ratios: Vec<f64> =
            compared.rates.iter().zip(&reference.rates).map(|(p, y)| p / y).collect();
        if let Some(ratio) = super::stats::Spread::of(&ratios) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {:.2} (runs {:.2}–{:.2}) |",
                compared.pair(),
                reference.sender,
                reference.transport,
                human_size(reference.size),
                ratio.median,
                ratio.min,
                ratio.max
            );
        }
    }
    out.push('\n');
}

/// `--versus`: each pair's speed over the versus pair's, as the median of the ratios of runs
/// made alternately (A, B, A, B, ...), with the range of those ratios.
fn versus(out: &mut String, report: &BenchReport) {
    let paired: Vec<&BenchResult> =
        report.results.iter().filter(|r| r.paired_with.is_some() && r.is_ok()).collect();
    let Some(first) = paired.first() else { return };
    let _ = writeln!(
        out,
        "### Against {}, interleaved run by run (median ratio of msg/s or round trips/s; above 1: \
         faster)\n",
        first.pair()
    );
    out.push_str(RATIO_HEADER);
    for versus in paired {
        let compared = report.results.iter().find(|r| {
            r.paired_with.is_none()
                && r.loopback_for.is_none()
                && r.is_ok()
                && Some(r.pair()) == versus.paired_with
                && r.kind == versus.kind
                && r.transport == versus.transport
                && r.size == versus.size
        });
        let Some(compared) = compared else { continue };
        ratio_row(out, compared, versus);
    }
    out.push('\n');
}

/// A ratio table's header: the result, its kind, transport and size, the run-by-run ratio.
const RATIO_HEADER: &str =
    "| pair | kind | transport | size | ratio | runs |\n|---|---|---|---:|---:|---:|\n";

/// One row of a ratio table: `result`'s runs over `yardstick`'s, run by run (median, min–max).
fn ratio_row(out: &mut String, result: &BenchResult, yardstick: &BenchResult) {
    let ratios: Vec<f64> = result.rates.iter().zip(&yardstick.rates).map(|(r, y)| r / y).collect();
    if let Some(ratio) = super::stats::Spread::of(&ratios) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} ({:.2}–{:.2}) | {} |",
            result.pair(),
            result.kind.name(),
            result.transport,
            human_size(result.size),
            ratio.median,
            ratio.min,
            ratio.max,
            ratios.len()
        );
    }
}

/// Each transport across hosts against loopback tcp, the same pair run right after each run.
fn across_hosts(out: &mut String, report: &BenchReport) {
    let loopback: Vec<&BenchResult> =
        report.results.iter().filter(|r| r.loopback_for.is_some() && r.is_ok()).collect();
    if loopback.is_empty() {
        return;
    }
    out.push_str(
        "### Across hosts, against loopback tcp interleaved run by run (median ratio of msg/s or \
         round trips/s, min–max; below 1: slower than loopback)\n\n",
    );
    out.push_str(RATIO_HEADER);
    for tcp in loopback {
        let across = report.results.iter().find(|r| {
            r.paired_with.is_none()
                && r.loopback_for.is_none()
                && r.is_ok()
                && Some(r.transport) == tcp.loopback_for
                && r.pair() == tcp.pair()
                && r.kind == tcp.kind
                && r.size == tcp.size
        });
        let Some(across) = across else { continue };
        ratio_row(out, across, tcp);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::stats::{Percentiles, Spread};

    fn result(
        kind: BenchKind,
        transport: Transport,
        pair: (&str, &str),
        size: u64,
        rate: f64,
    ) -> BenchResult {
        BenchResult {
            kind,
            sender: pair.0.into(),
            receiver: pair.1.into(),
            transport,
            size,
            count: 10,
            status: "ok".into(),
            reason: String::new(),
            msgs_per_s: Spread::of(&[rate]),
            mb_per_s: Spread::of(&[rate * size as f64 / 1e6]),
            half_rtt_us: (kind == BenchKind::Lat).then_some(Percentiles {
                p50: 10.0,
                p90: 12.0,
                p99: 20.0,
            }),
            best_run_p50_us: None,
            rates: Vec::new(),
            paired_with: None,
            loopback_for: None,
        }
    }

    #[test]
    fn tables_show_rates_latencies_and_ratios() {
        let report = BenchReport {
            kind: crate::report::model::ReportKind::Bench,
            format_version: crate::report::model::FORMAT_VERSION,
            results: vec![
                result(BenchKind::Thr, Transport::Tcp, ("c", "c"), 16, 2_000_000.0),
                result(BenchKind::Thr, Transport::Ipc, ("c", "c"), 16, 3_000_000.0),
                result(BenchKind::Lat, Transport::Tcp, ("c", "python"), 16, 40_000.0),
            ],
            machine: serde_json::Value::Null,
            peers: serde_json::Value::Null,
            date: String::new(),
            repeat: 3,
            hwm: 0,
        };
        let markdown = to_markdown(&report);
        assert!(markdown.contains("### Throughput over tcp (median of 3 runs)"), "{markdown}");
        assert!(markdown.contains("| c:c | 2.00 M · 32 |"), "{markdown}");
        assert!(markdown.contains("| c:python | 10.0 / 12.0 / 20.0 |"), "{markdown}");
        assert!(markdown.contains("| c:c | 1.50 |"), "{markdown}");
    }

    #[test]
    fn runs_across_hosts_are_ratios_to_the_loopback_runs_beside_them() {
        let mut ssh = result(BenchKind::Thr, Transport::Ssh, ("c", "c"), 16, 1_000_000.0);
        ssh.rates = vec![1.0e6, 2.0e6, 0.5e6];
        let mut tcp = result(BenchKind::Thr, Transport::Tcp, ("c", "c"), 16, 2_000_000.0);
        tcp.rates = vec![2.0e6, 2.0e6, 2.0e6];
        tcp.loopback_for = Some(Transport::Ssh);
        let report = BenchReport {
            kind: crate::report::model::ReportKind::Bench,
            format_version: crate::report::model::FORMAT_VERSION,
            results: vec![ssh, tcp],
            machine: serde_json::Value::Null,
            peers: serde_json::Value::Null,
            date: String::new(),
            repeat: 3,
            hwm: 0,
        };
        let markdown = to_markdown(&report);
        assert!(
            markdown.contains("| c:c | thr | ssh | 16 B | 0.50 (0.25–1.00) | 3 |"),
            "{markdown}"
        );
        // The loopback runs are the yardstick, not a result of their own.
        assert!(!markdown.contains("### Throughput over tcp"), "{markdown}");
    }

    #[test]
    fn rates_are_short() {
        assert_eq!(human_rate(7_214_000.0), "7.21 M");
        assert_eq!(human_rate(845_300.0), "845 k");
        assert_eq!(human_rate(92.4), "92");
    }
}
