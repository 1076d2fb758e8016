//! The terminal table, and the failure details printed under it.

use super::{Report, human_duration};
use crate::cell::{Outcome, Status};
use std::fmt::Write;

/// One line per cell, then the counts.
#[must_use]
pub fn to_table(report: &Report<'_>) -> String {
    let width = report.outcomes.iter().map(|o| o.cell.name().len()).max().unwrap_or(4).max(4);
    let mut out = format!("{:<width$}  {:<6}  {:>8}  reason\n", "cell", "status", "time");
    for outcome in report.outcomes {
        let _ = writeln!(
            out,
            "{:<width$}  {:<6}  {:>8}  {}",
            outcome.cell.name(),
            outcome.status.name().to_uppercase(),
            human_duration(outcome.duration_ms),
            outcome.reason.lines().next().unwrap_or_default()
        );
    }
    let summary = report.summary();
    let xfail =
        if summary.xfail > 0 { format!(", {} xfail", summary.xfail) } else { String::new() };
    let _ = writeln!(
        out,
        "\n{} cells: {} pass, {} fail, {} unsupported, {} skip{xfail} in {}",
        summary.total,
        summary.pass,
        summary.fail,
        summary.unsupported,
        summary.skip,
        human_duration(summary.duration_ms)
    );
    out
}

/// Everything needed to reproduce and understand a failed cell by hand: the reason, then per
/// peer its command, exit and stderr.
#[must_use]
pub fn failure_details(outcome: &Outcome) -> String {
    let mut out = format!("{}: {}\n", outcome.cell.name(), outcome.reason);
    if outcome.runs.is_empty() {
        return out;
    }
    out.push_str("  reproduce (start the first, then the second with the endpoint it prints):\n");
    for run in &outcome.runs {
        let _ = writeln!(out, "    {}", run.command);
    }
    for run in &outcome.runs {
        let _ = writeln!(out, "  {}: {} after {} ms", run.label, run.exit, run.duration_ms);
        for line in run.stderr_tail.lines() {
            let _ = writeln!(out, "    | {line}");
        }
    }
    out
}

/// The details of every failed cell.
#[must_use]
pub fn all_failure_details(report: &Report<'_>) -> String {
    report
        .outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::Fail | Status::Xpass))
        .map(failure_details)
        .collect::<Vec<_>>()
        .join("\n")
}
