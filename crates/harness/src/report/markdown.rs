//! The Markdown report, sized for a CI job's step summary.

use super::{Report, human_duration};
use crate::cell::Status;
use std::fmt::Write;

/// The report as Markdown.
#[must_use]
pub fn to_markdown(report: &Report<'_>) -> String {
    let summary = report.summary();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## zmq-interop: {} cells, {} pass, {} fail, {} skip ({})\n",
        summary.total,
        summary.pass,
        summary.fail,
        summary.skip,
        human_duration(summary.duration_ms)
    );
    out.push_str("| cell | status | time | reason |\n|---|---|---|---|\n");
    for outcome in report.outcomes {
        let mark = match outcome.status {
            Status::Pass => "✅ pass",
            Status::Fail => "❌ fail",
            Status::Skip => "⏭️ skip",
            Status::Unsupported => "➖ unsupported",
            Status::Xfail => "⚠️ xfail (known issue)",
        };
        let _ = writeln!(
            out,
            "| `{}` | {mark} | {} | {} |",
            outcome.cell.name(),
            human_duration(outcome.duration_ms),
            escape(&outcome.reason)
        );
    }
    out.push_str(
        "\n### Peers\n\n| peer | binding | engine | origin | transports |\n|---|---|---|---|---|\n",
    );
    for (id, entry) in report.peers.iter() {
        let _ = match entry {
            Ok(peer) => writeln!(
                out,
                "| {id} | {} {} | {} | {} | {} |",
                peer.info.binding,
                peer.info.impl_version,
                peer.info.engine_summary(),
                escape(&peer.libzmq_origin),
                peer.info.transports.join(", ")
            ),
            Err(missing) => {
                writeln!(out, "| {id} | unavailable: {} | | | |", escape(&missing.reason))
            }
        };
    }
    out
}

/// Table cells hold one line without pipes.
fn escape(text: &str) -> String {
    text.lines().next().unwrap_or_default().replace('|', "\\|")
}
