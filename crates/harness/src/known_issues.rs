//! Cells expected to fail or skip somewhere, as data (`known-issues.toml`), and what that does
//! to an outcome.
//!
//! A listed cell that behaves as listed is reported as an expected skip or an expected failure
//! (`xfail`), with the entry's reason and upstream reference; a listed cell that passes is a
//! failure telling whoever reads it to remove the entry, so the list never goes stale.

use crate::bootstrap::PeerSet;
use crate::cell::{Outcome, Status};
use serde::{Deserialize, Serialize};

/// What a known issue expects of its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The cell fails.
    Fail,
    /// The cell is skipped (a peer lacks the transport, say).
    Skip,
}

/// One glob or several (`cells = "x*"` or `cells = ["a*", "b*"]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Globs {
    /// One glob.
    One(String),
    /// Any of these.
    Any(Vec<String>),
}

impl Globs {
    /// Whether `name` matches (any of) the glob(s).
    #[must_use]
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Self::One(glob) => glob_match(glob, name),
            Self::Any(globs) => globs.iter().any(|glob| glob_match(glob, name)),
        }
    }
}

/// One entry of `known-issues.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownIssue {
    /// Cell names it covers: a glob where `*` matches any run of characters, or a list of them.
    pub cells: Globs,
    /// `linux`, `macos` or `windows`; every platform when absent.
    #[serde(default)]
    pub platform: Option<String>,
    /// pyzmq versions it covers (`>=24`, `<26.2`, `==25.1.2`; comma for "and"); only cells
    /// with a Python peer, of a matching version, when present.
    #[serde(default)]
    pub pyzmq: Option<String>,
    /// What the cells do.
    pub expect: Expect,
    /// The failure depends on timing: a pass is reported (as a pass that says the issue did
    /// not show this time) but does not fail the run. Only for a divergence whose root cause is
    /// understood and written in `reason`; never to quiet a cell nobody has looked into.
    #[serde(default)]
    pub flaky: bool,
    /// Why, in one line.
    pub reason: String,
    /// The upstream issue or pull request.
    pub reference: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    issue: Vec<KnownIssue>,
}

/// The known issues, loaded.
#[derive(Debug, Clone, Default)]
pub struct KnownIssues {
    entries: Vec<KnownIssue>,
}

impl KnownIssues {
    /// Parses the file's text.
    ///
    /// # Errors
    /// The TOML error, or an entry whose `pyzmq` requirement does not parse.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let file: File = toml::from_str(text)?;
        for entry in &file.issue {
            if let Some(requirement) = &entry.pyzmq {
                version_matches(requirement, "0")?;
            }
        }
        Ok(Self { entries: file.issue })
    }

    /// `known-issues.toml` at the workspace root.
    ///
    /// # Errors
    /// When it cannot be read or parsed, naming the file.
    pub fn load(workspace: &crate::workspace::Workspace) -> anyhow::Result<Self> {
        let path = workspace.root().join("known-issues.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// The entry covering `cell` on `platform` with a Python peer of version `pyzmq`, if any.
    #[must_use]
    pub fn find(&self, cell: &str, platform: &str, pyzmq: Option<&str>) -> Option<&KnownIssue> {
        self.entries.iter().find(|entry| {
            entry.cells.matches(cell)
                && entry.platform.as_deref().is_none_or(|p| p == platform)
                && match (&entry.pyzmq, pyzmq) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some(requirement), Some(version)) => {
                        version_matches(requirement, version).unwrap_or(false)
                    }
                }
        })
    }

    /// Rewrites `outcome` as its known issue says, on this platform with these peers.
    pub fn apply(&self, outcome: &mut Outcome, peers: &PeerSet) {
        let pyzmq = python_version(outcome, peers);
        self.apply_as(outcome, std::env::consts::OS, pyzmq.as_deref());
    }

    /// Rewrites `outcome` as its known issue says for a run on `platform` whose Python peer,
    /// if the cell has one, was pyzmq `pyzmq` (a merge applies the list to shards from other
    /// machines). An outcome that already went through a list is first put back as it was
    /// observed.
    pub fn apply_as(&self, outcome: &mut Outcome, platform: &str, pyzmq: Option<&str>) {
        if let Some(note) = outcome.known_issue.take() {
            outcome.status = note.observed;
            outcome.reason = note.observed_reason;
        }
        let Some(entry) = self.find(&outcome.cell.name(), platform, pyzmq) else {
            return;
        };
        let listed = format!("{} ({})", entry.reason, entry.reference);
        outcome.known_issue = Some(crate::cell::KnownIssueNote {
            reason: entry.reason.clone(),
            reference: entry.reference.clone(),
            observed: outcome.status,
            observed_reason: outcome.reason.clone(),
        });
        match (entry.expect, outcome.status) {
            (Expect::Skip, Status::Skip | Status::Unsupported) | (Expect::Fail, Status::Fail) => {
                if entry.expect == Expect::Fail {
                    outcome.status = Status::Xfail;
                }
                outcome.reason = format!("known issue: {listed}; {}", outcome.reason);
            }
            (Expect::Fail, Status::Pass) if entry.flaky => {
                outcome.reason = format!("passed this time; known to fail now and then: {listed}");
            }
            (expect, Status::Pass) => {
                outcome.status = Status::Xpass;
                outcome.reason = format!(
                    "listed in known-issues.toml as expected to {}, but it passed: remove or \
                     narrow the entry ({listed})",
                    match expect {
                        Expect::Fail => "fail",
                        Expect::Skip => "skip",
                    }
                );
            }
            // An entry whose glob spans transports does not speak of a cell the peers cannot
            // play at all (JeroMQ's ipc, say).
            (Expect::Fail, Status::Unsupported) => {
                if let Some(note) = outcome.known_issue.take() {
                    outcome.reason = note.observed_reason;
                }
            }
            (_, _) => {
                outcome.reason =
                    format!("{} (known-issues.toml expected otherwise: {listed})", outcome.reason);
            }
        }
    }
}

/// The pyzmq version of the cell's Python peer, if it has one.
fn python_version(outcome: &Outcome, peers: &PeerSet) -> Option<String> {
    [&outcome.cell.sender, &outcome.cell.receiver].into_iter().find_map(|id| match peers.get(id) {
        Some(Ok(peer)) if peer.info.lang == "python" => Some(peer.info.impl_version.clone()),
        _ => None,
    })
}

/// `*` matches any run of characters (`/` and `:` included); everything else matches itself.
#[must_use]
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            backtrack = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((star, matched)) = backtrack {
            pi = star + 1;
            ti = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether `version` satisfies every comma-separated comparison in `requirement`.
///
/// # Errors
/// A comparison without an operator, or with a part that is not a number.
pub fn version_matches(requirement: &str, version: &str) -> anyhow::Result<bool> {
    let have = parse_version(version)?;
    for clause in requirement.split(',').map(str::trim) {
        let (op, wanted) = ["==", ">=", "<=", ">", "<", "="]
            .iter()
            .find_map(|op| clause.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .ok_or_else(|| {
                anyhow::anyhow!("{clause:?}: expected ==, >=, <=, > or < and a version")
            })?;
        let wanted = parse_version(wanted)?;
        let ordering = compare(&have, &wanted);
        let holds = match op {
            "==" | "=" => ordering.is_eq(),
            ">=" => ordering.is_ge(),
            "<=" => ordering.is_le(),
            ">" => ordering.is_gt(),
            _ => ordering.is_lt(),
        };
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}

fn parse_version(text: &str) -> anyhow::Result<Vec<u64>> {
    text.split('.')
        .map(|part| {
            part.parse::<u64>().map_err(|_| anyhow::anyhow!("{text:?} is not a dotted version"))
        })
        .collect()
}

/// Compares dotted versions, missing parts counting as 0 (`24` == `24.0.0`).
fn compare(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let len = a.len().max(b.len());
    let part = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    (0..len)
        .map(|i| part(a, i).cmp(&part(b, i)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

#[cfg(test)]
#[path = "known_issues_tests.rs"]
mod tests;
