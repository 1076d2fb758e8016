//! The JSON report (`model::MatrixJson`: kind, format version, plan, cells, summary, peers,
//! machine), and the peer and machine records every report kind shares.

use super::Report;
use super::model::{FORMAT_VERSION, MatrixJson, ReportKind};
use crate::cell::Outcome;
use serde_json::{Value, json};

/// The report as its typed JSON.
#[must_use]
pub fn to_model(report: &Report<'_>) -> MatrixJson {
    MatrixJson {
        kind: ReportKind::Matrix,
        format_version: FORMAT_VERSION,
        plan: report.plan.clone(),
        cells: report.outcomes.iter().map(Outcome::for_report).collect(),
        summary: report.summary(),
        peers: report.peers.clone(),
        machine: machine(),
    }
}

/// Each peer's `--info` and origin, or why it is unavailable.
#[must_use]
pub fn peers(peers: &crate::bootstrap::PeerSet) -> Value {
    peers
        .iter()
        .map(|(id, entry)| {
            let value = match entry {
                Ok(peer) => json!({
                    "available": true,
                    "info": peer.info,
                    "libzmq_origin": peer.libzmq_origin,
                    "built_with": peer.built_with,
                    "zmtp": match &peer.zmtp {
                        Some(Ok(revision)) => json!(revision.to_string()),
                        Some(Err(why)) => json!({ "unmeasured": why }),
                        None => Value::Null,
                    },
                }),
                Err(missing) => json!({
                    "available": false,
                    "reason": missing.reason,
                    "kind": match missing.kind {
                        crate::bootstrap::MissingKind::Toolchain => "toolchain",
                        crate::bootstrap::MissingKind::Broken => "broken",
                    },
                }),
            };
            (id.to_owned(), value)
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The machine a report was made on.
#[must_use]
pub fn machine() -> Value {
    json!({
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
        "cpus": std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
    })
}
