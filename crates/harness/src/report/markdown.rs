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
            Status::Xpass => "❗ xpass (stale known issue)",
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
    for (id, record) in report.peers.as_object().into_iter().flatten() {
        let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
        let info = &record["info"];
        let _ = match serde_json::from_value::<contract::output::Info>(info.clone()) {
            Ok(info) => writeln!(
                out,
                "| {id} | {} {} | {} | {} | {} |",
                info.binding,
                info.impl_version,
                info.engine_summary(),
                escape(&text(&record["libzmq_origin"])),
                info.transports.join(", ")
            ),
            Err(_) => {
                writeln!(out, "| {id} | unavailable: {} | | | |", escape(&text(&record["reason"])))
            }
        };
    }
    out
}

/// Table cells hold one line without pipes.
fn escape(text: &str) -> String {
    text.lines().next().unwrap_or_default().replace('|', "\\|")
}
