//! Reports of a matrix run: a terminal table, JSON, JUnit XML and Markdown.
//!
//! All four are views of one [`Report`]; none computes anything the others do not show.

pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod model;
pub mod table;

use crate::cell::{Outcome, Status};
use serde::Serialize;
use std::time::Duration;

/// Counts of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Summary {
    /// Cells run.
    pub total: usize,
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Skipped (a missing toolchain, a cut-short run).
    pub skip: usize,
    /// A peer cannot play its part (exit 4, a missing transport or role).
    pub unsupported: usize,
    /// Failed as `known-issues.toml` expects.
    pub xfail: usize,
    /// Listed in `known-issues.toml` as failing, but passed (a failure of the run).
    #[serde(default)]
    pub xpass: usize,
    /// Wall time of the whole run.
    pub duration_ms: u128,
    /// The signal that interrupted the run (`SIGTERM`), if one did: then cells are missing.
    #[serde(default)]
    pub interrupted: Option<String>,
}

/// A finished matrix run.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// What ran.
    pub plan: model::RunPlan,
    /// Every cell's outcome, in matrix order.
    pub outcomes: &'a [Outcome],
    /// Each peer's record (`json::peers`): its `--info` and origin, or why it was unavailable.
    pub peers: serde_json::Value,
    /// Wall time.
    pub duration: Duration,
}

impl Report<'_> {
    /// The counts.
    #[must_use]
    pub fn summary(&self) -> Summary {
        let count = |status| self.outcomes.iter().filter(|o| o.status == status).count();
        Summary {
            total: self.outcomes.len(),
            pass: count(Status::Pass),
            fail: count(Status::Fail),
            skip: count(Status::Skip),
            unsupported: count(Status::Unsupported),
            xfail: count(Status::Xfail),
            xpass: count(Status::Xpass),
            duration_ms: self.duration.as_millis(),
            interrupted: crate::process::interrupted_by().map(|(_, name)| name.to_owned()),
        }
    }

    /// Whether any cell failed, or the run was interrupted (the exit status is then not 0).
    #[must_use]
    pub fn failed(&self) -> bool {
        self.outcomes.iter().any(|o| matches!(o.status, Status::Fail | Status::Xpass))
            || crate::process::interrupted_by().is_some()
    }
}

/// `1.23 s` or `45 ms`.
#[must_use]
pub fn human_duration(ms: u128) -> String {
    if ms >= 1000 {
        let tenths = (ms + 50) / 100;
        format!("{}.{} s", tenths / 10, tenths % 10)
    } else {
        format!("{ms} ms")
    }
}
