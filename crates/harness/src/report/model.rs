//! The JSON reports as types, written and read with the same ones: every report says its kind
//! and format version, and what ran — its plan: the harness's version, the selection, the
//! partition and a digest of the rest — so a baseline or a shard of another kind, version or
//! plan is refused in one line instead of compared with nothing.

use crate::cell::Outcome;
use crate::matrix::Selection;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The version of the JSON reports' shape; a reader refuses any other.
pub const FORMAT_VERSION: u32 = 1;

/// Which report a JSON file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportKind {
    /// `interop matrix` (and `interop cell`, `interop report merge`).
    Matrix,
    /// `interop versions`.
    Versions,
    /// `interop bench`.
    Bench,
}

impl ReportKind {
    /// `matrix`, `versions`, `bench`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Matrix => "matrix",
            Self::Versions => "versions",
            Self::Bench => "bench",
        }
    }
}

/// What a run ran: enough to tell whether two reports (two shards, a baseline and a run) are of
/// the same plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPlan {
    /// The harness's version.
    pub harness_version: String,
    /// Patterns, in order.
    pub patterns: Vec<String>,
    /// Transports, in order.
    pub transports: Vec<String>,
    /// Peer ids, in order.
    pub peers: Vec<String>,
    /// Case names (every case of the patterns when empty).
    pub cases: Vec<String>,
    /// Releases the run iterated over (`versions`: pyzmq releases), in order.
    #[serde(default)]
    pub releases: Vec<String>,
    /// `count:K/N` or `hash:K/N`, when the run was one shard.
    #[serde(default)]
    pub partition: Option<String>,
    /// A digest of everything above but the partition: shards of one plan share it.
    pub digest: String,
}

impl RunPlan {
    /// The plan of `selection` (its partition included) over `releases`.
    #[must_use]
    pub fn of(selection: &Selection, releases: &[String]) -> Self {
        let partition = selection.partition.map(|p| p.to_string());
        let mut plan = Self {
            harness_version: env!("CARGO_PKG_VERSION").to_owned(),
            patterns: selection.patterns.iter().map(|p| p.name().to_owned()).collect(),
            transports: selection.transports.iter().map(|t| t.name().to_owned()).collect(),
            peers: selection.peers.clone(),
            cases: selection.cases.clone(),
            releases: releases.to_vec(),
            partition,
            digest: String::new(),
        };
        plan.digest = plan.compute_digest();
        plan
    }

    /// FNV-1a over the plan's fields (the partition left out), in hex.
    #[must_use]
    pub fn compute_digest(&self) -> String {
        let text = format!(
            "{}|{}|{}|{}|{}|{}",
            self.harness_version,
            self.patterns.join(","),
            self.transports.join(","),
            self.peers.join(","),
            self.cases.join(","),
            self.releases.join(",")
        );
        format!("{:016x}", fnv1a(text.as_bytes()))
    }

    /// The first way `other` differs from this plan (the partition aside), if any.
    #[must_use]
    pub fn difference(&self, other: &Self) -> Option<String> {
        let fields = [
            ("harness version", &self.harness_version, &other.harness_version),
            ("patterns", &self.patterns.join(","), &other.patterns.join(",")),
            ("transports", &self.transports.join(","), &other.transports.join(",")),
            ("peers", &self.peers.join(","), &other.peers.join(",")),
            ("cases", &self.cases.join(","), &other.cases.join(",")),
            ("releases", &self.releases.join(","), &other.releases.join(",")),
        ];
        fields
            .into_iter()
            .find(|(_, a, b)| a != b)
            .map(|(what, a, b)| format!("{what} {a:?} vs {b:?}"))
    }
}

/// FNV-1a, 64 bits: a stable hash (the same on every machine and build).
#[must_use]
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

/// The JSON report of a matrix run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MatrixJson {
    /// Always `matrix`.
    pub kind: ReportKind,
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// What ran.
    pub plan: RunPlan,
    /// Every cell's outcome, in matrix order.
    pub cells: Vec<Outcome>,
    /// The counts.
    pub summary: super::Summary,
    /// Each peer's `--info` and origin, or why it was unavailable.
    pub peers: serde_json::Value,
    /// The machine.
    pub machine: serde_json::Value,
}

/// Reads a JSON report of kind `kind`.
///
/// # Errors
/// One line naming the file and what was expected and found: not JSON, another kind, another
/// format version, or a shape the types refuse.
pub fn read<T: serde::de::DeserializeOwned>(path: &Path, kind: ReportKind) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{} is not JSON: {e}", path.display()))?;
    let found = value.get("kind").and_then(serde_json::Value::as_str);
    let want = kind.name();
    match found {
        Some(found) if found == want => {}
        Some(found) => anyhow::bail!(
            "{} is a zmq-interop {found} report, expected a {want} report",
            path.display()
        ),
        None => anyhow::bail!(
            "{} is not a zmq-interop report (no \"kind\"; expected a {want} report of format \
             version {FORMAT_VERSION})",
            path.display()
        ),
    }
    let version = value.get("format_version").and_then(serde_json::Value::as_u64);
    anyhow::ensure!(
        version == Some(u64::from(FORMAT_VERSION)),
        "{} is a {want} report of format version {}, this harness reads version {FORMAT_VERSION}",
        path.display(),
        version.map_or_else(|| "(none)".to_owned(), |v| v.to_string())
    );
    serde_json::from_value(value)
        .map_err(|e| anyhow::anyhow!("{} is not a well-formed {want} report: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::Pattern;
    use crate::transport::Transport;

    fn selection(peers: &[&str]) -> Selection {
        Selection {
            patterns: vec![Pattern::Reqrep],
            transports: vec![Transport::Tcp],
            peers: peers.iter().map(|p| (*p).to_owned()).collect(),
            cases: vec!["hello".into()],
            partition: None,
        }
    }

    #[test]
    fn shards_of_one_plan_share_its_digest_and_another_plan_is_named() {
        let shard = |k| crate::matrix::Partition { by_hash: true, shard: k, of: 3 };
        let a =
            RunPlan::of(&Selection { partition: Some(shard(1)), ..selection(&["c", "rust"]) }, &[]);
        let b =
            RunPlan::of(&Selection { partition: Some(shard(2)), ..selection(&["c", "rust"]) }, &[]);
        assert_eq!(
            (a.digest.as_str(), a.partition.as_deref()),
            (b.digest.as_str(), Some("hash:1/3"))
        );
        let other = RunPlan::of(&selection(&["c", "python"]), &[]);
        assert_ne!(a.digest, other.digest);
        assert_eq!(a.difference(&other).unwrap(), r#"peers "c,rust" vs "c,python""#);
    }

    #[test]
    fn a_report_of_another_kind_or_none_is_refused_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let foo = file("foo.json", r#"{"foo":1}"#);
        let err = read::<MatrixJson>(&foo, ReportKind::Matrix).unwrap_err().to_string();
        assert!(err.contains("is not a zmq-interop report (no \"kind\""), "{err}");
        let bench = file("bench.json", r#"{"kind":"bench","format_version":1}"#);
        let err = read::<MatrixJson>(&bench, ReportKind::Versions).unwrap_err().to_string();
        assert!(
            err.ends_with("is a zmq-interop bench report, expected a versions report"),
            "{err}"
        );
        let old = file("old.json", r#"{"kind":"matrix"}"#);
        let err = read::<MatrixJson>(&old, ReportKind::Matrix).unwrap_err().to_string();
        assert!(err.contains("format version (none)"), "{err}");
        assert!(!err.contains('\n'));
    }
}
