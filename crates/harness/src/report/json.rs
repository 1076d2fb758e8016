//! The JSON report: `{"cells":[...],"summary":{...},"peers":{...},"machine":{...}}`.

use super::Report;
use serde_json::{Value, json};

/// The report as a JSON value.
#[must_use]
pub fn to_value(report: &Report<'_>) -> Value {
    json!({
        "cells": report.outcomes,
        "summary": report.summary(),
        "peers": peers(report.peers),
        "machine": machine(),
    })
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
