//! `interop versions`: the release axes, in one report.
//!
//! - **pyzmq**: the matrix once per pyzmq release, columns the releases, each cell saying which
//!   libzmq the Python peer actually loaded. Each release gets its own cached venv
//!   (`target/interop/python/pyzmq-<version>`), made from `python/requirements.txt` with the
//!   pyzmq pin replaced; the default releases are listed in `python/pyzmq-versions.txt`.
//! - **libzmq**: the C peer built on each selected libzmq release (registry peers `c@<release>`)
//!   against every other release and every selected peer, shown as grids of senders by
//!   receivers, each peer labelled with the libzmq it loaded and the ZMTP revision it greeted
//!   with (measured).

use crate::bootstrap::{self, PeerSet};
use crate::cell::{Outcome, Status};
use crate::known_issues::KnownIssues;
use crate::matrix::{self, Params, Selection};
use crate::workspace::Workspace;
use serde::Serialize;
use std::fmt::Write;

/// A pyzmq release and the CPython its wheels need, when not the default interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyzmqRelease {
    /// The release (`16.0.4`).
    pub version: String,
    /// The CPython minor version its venv is made with (`3.6`), if not the default.
    pub python: Option<String>,
}

/// The releases in `python/pyzmq-versions.txt`: one per line, `RELEASE [pythonX.Y]`, `#`
/// comments.
///
/// # Errors
/// When the file cannot be read, lists nothing, or a line is not of that form.
pub fn default_versions(workspace: &Workspace) -> anyhow::Result<Vec<PyzmqRelease>> {
    let path = workspace.source("python").join("pyzmq-versions.txt");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let versions = parse_versions(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    anyhow::ensure!(!versions.is_empty(), "{} lists no version", path.display());
    Ok(versions)
}

/// The releases named on the command line, each with the interpreter the list gives it.
///
/// # Errors
/// A value that is not a release number, or an unreadable list.
pub fn named_versions(
    workspace: &Workspace,
    named: &[String],
) -> anyhow::Result<Vec<PyzmqRelease>> {
    for release in named {
        check_release(release).map_err(anyhow::Error::msg)?;
    }
    let listed = default_versions(workspace)?;
    Ok(named
        .iter()
        .map(|version| PyzmqRelease {
            version: version.clone(),
            python: listed.iter().find(|r| &r.version == version).and_then(|r| r.python.clone()),
        })
        .collect())
}

/// Checks a pyzmq release as a version number in PEP 440's canonical public form
/// (`27.3.0`, `26.0.0b1`, `25.1.2.post1`, `28.0.0.dev3`): it becomes a pip requirement and a
/// cache directory's name, so nothing else may pass.
///
/// # Errors
/// One line naming the value and the form it must have.
pub fn check_release(text: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "pyzmq release {text:?} is not a version number (digits and dots, as in 27.3.0, \
             optionally a1, b1, rc1, .post1 or .dev1)"
        )
    };
    let number = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
    };
    let mut rest = text;
    for suffix in [".dev", ".post"] {
        if let Some((head, n)) = rest.rsplit_once(suffix) {
            if !number(n) {
                return Err(bad());
            }
            rest = head;
        }
    }
    for pre in ["rc", "a", "b"] {
        if let Some(at) = rest.find(pre) {
            if !number(&rest[at + pre.len()..]) {
                return Err(bad());
            }
            rest = &rest[..at];
            break;
        }
    }
    if text.len() > 64 || !rest.split('.').all(number) {
        return Err(bad());
    }
    Ok(())
}

fn parse_versions(text: &str) -> Result<Vec<PyzmqRelease>, String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut words = line.split_whitespace();
            let version = words.next().unwrap_or_default().to_owned();
            check_release(&version)?;
            let python = match words.next() {
                None => None,
                Some(word) => Some(python_minor(word).ok_or_else(|| {
                    format!("{line:?}: {word:?} is not pythonX.Y (as in python3.6)")
                })?),
            };
            match words.next() {
                None => Ok(PyzmqRelease { version, python }),
                Some(extra) => Err(format!("{line:?}: unexpected {extra:?}")),
            }
        })
        .collect()
}

/// `3.6` from `python3.6`.
fn python_minor(word: &str) -> Option<String> {
    let minor = word.strip_prefix("python")?;
    let (major, rest) = minor.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    (digits(major) && digits(rest)).then(|| minor.to_owned())
}

/// The matrix with one pyzmq release.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Column {
    /// The pyzmq release.
    pub pyzmq: String,
    /// The libzmq its Python peer loaded (`zmq.zmq_version()`), when it could be installed.
    pub libzmq: Option<String>,
    /// The ZMTP revision its Python peer greeted with, measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zmtp: Option<String>,
    /// The CPython its venv was made with, when not the default (`3.6`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
    /// Why the release could not be installed, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
    /// Whether that is this machine's want of a toolchain (an old interpreter, the network):
    /// a skip, unless every peer is required.
    #[serde(default)]
    pub toolchain: bool,
    /// The outcome of every cell with a Python peer, with this release.
    pub cells: Vec<Outcome>,
}

impl Column {
    /// `pyzmq 16.0.4 (libzmq 4.1.6 · ZMTP 3.0 · Python 3.6)`, `pyzmq 16.0.4 (not installed)`.
    #[must_use]
    pub fn title(&self) -> String {
        let Some(libzmq) = &self.libzmq else {
            return format!("pyzmq {} (not installed)", self.pyzmq);
        };
        let parts: Vec<String> = [
            Some(format!("libzmq {libzmq}")),
            self.zmtp.clone(),
            self.python.as_ref().map(|p| format!("Python {p}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        format!("pyzmq {} ({})", self.pyzmq, parts.join(" · "))
    }
}

/// Runs the cells of `selection` that have a Python peer once per pyzmq release (the others
/// would not change); `peers` holds the other peers (built once).
#[allow(clippy::too_many_arguments)]
pub fn run(
    workspace: &Workspace,
    peers: &PeerSet,
    versions: &[PyzmqRelease],
    selection: &Selection,
    params: &Params,
    jobs: usize,
    known: &KnownIssues,
    progress: &(dyn Fn(&str) + Sync),
) -> Vec<Column> {
    let cells: Vec<_> = selection
        .cells()
        .into_iter()
        .filter(|cell| cell.sender == "python" || cell.receiver == "python")
        .collect();
    versions
        .iter()
        .map(|release| {
            let version = &release.version;
            let on = release.python.as_ref().map(|p| format!(" on Python {p}")).unwrap_or_default();
            progress(&format!("pyzmq {version}{on}: venv, then {} cells", cells.len()));
            let python = bootstrap::python::Requirements::default_for(workspace)
                .map(|base| base.with_pyzmq(version, release.python.as_deref()))
                .and_then(|requirements| bootstrap::python_peer(workspace, &requirements))
                .map(|mut peer| {
                    peer.zmtp = Some(crate::zmtp::measure(&peer));
                    peer
                });
            let mut with_version = peers.clone();
            let zmtp = python.as_ref().ok().and_then(|peer| match &peer.zmtp {
                Some(Ok(revision)) => Some(revision.to_string()),
                _ => None,
            });
            let (libzmq, unavailable, toolchain) = match &python {
                Ok(peer) => (peer.info.libzmq.clone(), None, false),
                Err(missing) => (
                    None,
                    Some(missing.reason.clone()),
                    missing.kind == bootstrap::MissingKind::Toolchain,
                ),
            };
            with_version.insert("python", python);
            let done = counter(&format!("pyzmq {version}"), cells.len(), progress);
            let cells = matrix::run_all(&cells, &with_version, params, jobs, known, &done);
            Column {
                pyzmq: version.clone(),
                libzmq,
                zmtp,
                python: release.python.clone(),
                unavailable,
                toolchain,
                cells,
            }
        })
        .collect()
}

/// Says how far a run is every 100 cells, and names each failed cell as it ends, so a long
/// axis is never silent.
fn counter<'p>(
    what: &str,
    total: usize,
    progress: &'p (dyn Fn(&str) + Sync),
) -> impl Fn(&Outcome) + Sync + 'p {
    let what = what.to_owned();
    let finished = std::sync::atomic::AtomicUsize::new(0);
    move |outcome: &Outcome| {
        let n = finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if matches!(outcome.status, Status::Fail | Status::Xpass) {
            progress(&format!("{what}: {} {}", outcome.status.name(), outcome.cell.name()));
        }
        if n.is_multiple_of(100) || n == total {
            progress(&format!("{what}: {n} of {total} cells"));
        }
    }
}

/// A peer of the libzmq axis, as its grid labels it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AxisPeer {
    /// Its id (`c@4.3.2`, `python`).
    pub id: String,
    /// The libzmq release it is there for (release peers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// The libzmq it loaded (`zmq_version()`), if it runs on libzmq.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libzmq: Option<String>,
    /// The ZMTP revision it greeted with (`ZMTP 3.0`), measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zmtp: Option<String>,
    /// Why it could not be built or measured, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

impl AxisPeer {
    /// `c@4.3.2 (libzmq 4.3.2 · ZMTP 3.0)`.
    #[must_use]
    pub fn label(&self) -> String {
        let parts: Vec<String> = [
            self.libzmq.as_ref().map(|v| format!("libzmq {v}")),
            self.zmtp.clone(),
            self.unavailable.as_ref().map(|_| "unavailable".to_owned()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            self.id.clone()
        } else {
            format!("{} ({})", self.id, parts.join(" · "))
        }
    }
}

/// The libzmq axis: the release peers against each other and the selected peers.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct LibzmqAxis {
    /// The release peers, then the other peers of the grid.
    pub peers: Vec<AxisPeer>,
    /// Every cell with a release peer on at least one side.
    pub cells: Vec<Outcome>,
}

/// The release peers (`(release, id)`) against each other and every other peer of `selection`;
/// `peers` holds them all, built and measured.
#[must_use]
pub fn run_libzmq(
    peers: &PeerSet,
    releases: &[(String, String)],
    selection: &Selection,
    params: &Params,
    jobs: usize,
    known: &KnownIssues,
    progress: &(dyn Fn(&str) + Sync),
) -> LibzmqAxis {
    let release_ids: Vec<&String> = releases.iter().map(|(_, id)| id).collect();
    let mut grid = selection.clone();
    grid.peers = release_ids.iter().map(|id| (*id).clone()).collect();
    grid.peers.extend(selection.peers.iter().filter(|p| !release_ids.contains(p)).cloned());
    let cells: Vec<_> = grid
        .cells()
        .into_iter()
        .filter(|cell| release_ids.contains(&&cell.sender) || release_ids.contains(&&cell.receiver))
        .collect();
    let done = counter("libzmq releases", cells.len(), progress);
    let outcomes = matrix::run_all(&cells, peers, params, jobs, known, &done);
    let axis_peers = grid
        .peers
        .iter()
        .map(|id| {
            let release = releases.iter().find(|(_, r)| r == id).map(|(v, _)| v.clone());
            match peers.get(id) {
                Some(Ok(peer)) => AxisPeer {
                    id: id.clone(),
                    release,
                    libzmq: peer.info.libzmq.clone(),
                    zmtp: match &peer.zmtp {
                        Some(Ok(revision)) => Some(revision.to_string()),
                        _ => None,
                    },
                    unavailable: match &peer.zmtp {
                        Some(Err(why)) => Some(format!("ZMTP unmeasured: {why}")),
                        _ => None,
                    },
                },
                Some(Err(missing)) => AxisPeer {
                    id: id.clone(),
                    release,
                    libzmq: None,
                    zmtp: None,
                    unavailable: Some(missing.reason.clone()),
                },
                None => AxisPeer {
                    id: id.clone(),
                    release,
                    libzmq: None,
                    zmtp: None,
                    unavailable: Some("not built".into()),
                },
            }
        })
        .collect();
    LibzmqAxis { peers: axis_peers, cells: outcomes }
}

/// The libzmq axis as Markdown: per pattern and transport, a grid of senders (rows) by
/// receivers (columns), each square counting its cells' outcomes over the cases.
#[must_use]
pub fn libzmq_markdown(axis: &LibzmqAxis) -> String {
    let mut out = String::from("## zmq-interop across libzmq releases\n\n");
    out.push_str(
        "Rows send (publisher, requester), columns receive; each square counts its cases.\n",
    );
    let mut sections: Vec<(&str, &str)> = Vec::new();
    for outcome in &axis.cells {
        let key = (outcome.cell.pattern.name(), outcome.cell.transport.name());
        if !sections.contains(&key) {
            sections.push(key);
        }
    }
    let ids: Vec<&str> = axis
        .peers
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| axis.cells.iter().any(|o| o.cell.sender == *id || o.cell.receiver == *id))
        .collect();
    let label = |id: &str| {
        axis.peers.iter().find(|p| p.id == id).map_or_else(|| id.to_owned(), AxisPeer::label)
    };
    for (pattern, transport) in sections {
        let _ = write!(out, "\n### {pattern} over {transport}\n\n| sender \\ receiver |");
        for id in &ids {
            let _ = write!(out, " {} |", label(id));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(ids.len()));
        out.push('\n');
        for sender in &ids {
            let _ = write!(out, "| {} |", label(sender));
            for receiver in &ids {
                let square: Vec<&Outcome> = axis
                    .cells
                    .iter()
                    .filter(|o| {
                        o.cell.pattern.name() == pattern
                            && o.cell.transport.name() == transport
                            && o.cell.sender == *sender
                            && o.cell.receiver == *receiver
                    })
                    .collect();
                let _ = write!(out, " {} |", count_square(&square));
            }
            out.push('\n');
        }
    }
    for peer in axis.peers.iter().filter(|p| p.unavailable.is_some()) {
        let why = peer.unavailable.as_deref().unwrap_or_default();
        let _ = writeln!(out, "\n{}: {}", peer.id, why.lines().next().unwrap_or_default());
    }
    out
}

/// `3 pass`, `2 pass, 1 fail`, or `–` for a square no cell falls in.
fn count_square(square: &[&Outcome]) -> String {
    const ORDER: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::Xpass,
        Status::Xfail,
        Status::Unsupported,
        Status::Skip,
    ];
    let parts: Vec<String> = ORDER
        .iter()
        .filter_map(|status| {
            let n = square.iter().filter(|o| o.status == *status).count();
            (n > 0).then(|| format!("{n} {}", status.name()))
        })
        .collect();
    if parts.is_empty() { "–".to_owned() } else { parts.join(", ") }
}

/// The counts of a versions run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct VersionsSummary {
    /// Releases run.
    pub versions: usize,
    /// Cells passed, over every release.
    pub pass: usize,
    /// Cells failed.
    pub fail: usize,
    /// Cells skipped here.
    pub skip: usize,
    /// Cells a peer could not play.
    #[serde(default)]
    pub unsupported: usize,
    /// Cells failed as `known-issues.toml` expects.
    pub xfail: usize,
    /// Cells listed as failing that passed.
    #[serde(default)]
    pub xpass: usize,
}

/// The JSON report of `interop versions`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct VersionsJson {
    /// Always `versions`.
    pub kind: crate::report::model::ReportKind,
    /// The format version.
    pub format_version: u32,
    /// What ran (its releases are the pyzmq releases).
    pub plan: crate::report::model::RunPlan,
    /// One column per pyzmq release.
    pub versions: Vec<Column>,
    /// The libzmq axis, when `--libzmq` named releases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub libzmq: Option<LibzmqAxis>,
    /// The counts.
    pub summary: VersionsSummary,
    /// Each peer's `--info` and origin.
    pub peers: serde_json::Value,
    /// The machine.
    pub machine: serde_json::Value,
}

/// The report as its typed JSON.
#[must_use]
pub fn to_json(
    columns: &[Column],
    libzmq: Option<LibzmqAxis>,
    peers: &PeerSet,
    plan: crate::report::model::RunPlan,
) -> VersionsJson {
    let count = |status: Status| {
        columns
            .iter()
            .flat_map(|c| &c.cells)
            .chain(libzmq.iter().flat_map(|axis| &axis.cells))
            .filter(|o| o.status == status)
            .count()
    };
    VersionsJson {
        kind: crate::report::model::ReportKind::Versions,
        format_version: crate::report::model::FORMAT_VERSION,
        plan,
        versions: columns
            .iter()
            .map(|c| Column {
                cells: c.cells.iter().map(Outcome::for_report).collect(),
                ..c.clone()
            })
            .collect(),
        summary: VersionsSummary {
            versions: columns.len()
                + libzmq
                    .as_ref()
                    .map_or(0, |axis| axis.peers.iter().filter(|p| p.release.is_some()).count()),
            pass: count(Status::Pass),
            fail: count(Status::Fail),
            skip: count(Status::Skip),
            unsupported: count(Status::Unsupported),
            xfail: count(Status::Xfail),
            xpass: count(Status::Xpass),
        },
        libzmq: libzmq.map(|axis| LibzmqAxis {
            cells: axis.cells.iter().map(Outcome::for_report).collect(),
            ..axis
        }),
        peers: crate::report::json::peers(peers),
        machine: crate::report::json::machine(),
    }
}

/// Rows are cells, columns are releases; a cell with a Python peer shows the libzmq it loaded.
#[must_use]
pub fn to_markdown(columns: &[Column]) -> String {
    let mut out = String::from("## zmq-interop across pyzmq releases\n\n| cell |");
    for column in columns {
        let _ = write!(out, " {} |", column.title());
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(columns.len()));
    out.push('\n');
    let Some(first) = columns.first() else { return out };
    for (row, outcome) in first.cells.iter().enumerate() {
        let _ = write!(out, "| `{}` |", outcome.cell.name());
        for column in columns {
            let Some(cell) = column.cells.get(row) else {
                out.push_str(" – |");
                continue;
            };
            let python = [&cell.cell.sender, &cell.cell.receiver].iter().any(|id| *id == "python");
            let loaded = match (&column.libzmq, python) {
                (Some(v), true) => format!(" · {v}"),
                _ => String::new(),
            };
            let _ = write!(out, " {}{loaded} |", cell.status.name());
        }
        out.push('\n');
    }
    for column in columns {
        if let Some(why) = &column.unavailable {
            let _ = writeln!(
                out,
                "\npyzmq {}: {}",
                column.pyzmq,
                why.lines().next().unwrap_or_default()
            );
        }
    }
    out
}

/// The cells that passed in `baseline` (an earlier report) but do not pass now, for releases
/// in both: `pyzmq 25.1.2: pubsub::ipc::fancyhw::c_to_python pass -> fail`,
/// `libzmq: reqrep::tcp::hello::c_4_3_2_to_zmqrs pass -> fail`.
#[must_use]
pub fn regressions(baseline: &VersionsJson, now: &VersionsJson) -> Vec<String> {
    let mut found = Vec::new();
    if let (Some(before), Some(axis)) = (&baseline.libzmq, &now.libzmq) {
        for outcome in axis.cells.iter().filter(|o| o.status != Status::Pass) {
            let name = outcome.cell.name();
            if before.cells.iter().any(|b| b.cell.name() == name && b.status == Status::Pass) {
                found.push(format!("libzmq: {name} pass -> {}", outcome.status.name()));
            }
        }
    }
    for column in &now.versions {
        let Some(before) = baseline.versions.iter().find(|c| c.pyzmq == column.pyzmq) else {
            continue;
        };
        for outcome in column.cells.iter().filter(|o| o.status != Status::Pass) {
            let name = outcome.cell.name();
            if before.cells.iter().any(|b| b.cell.name() == name && b.status == Status::Pass) {
                found.push(format!(
                    "pyzmq {}: {name} pass -> {}",
                    column.pyzmq,
                    outcome.status.name()
                ));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_list_skips_comments_and_blanks_and_names_interpreters() {
        let release = |version: &str, python: Option<&str>| PyzmqRelease {
            version: version.into(),
            python: python.map(str::to_owned),
        };
        assert_eq!(
            parse_versions("# releases\n16.0.4 python3.6\n24.0.1\n\n27.3.0  # newest\n"),
            Ok(vec![
                release("16.0.4", Some("3.6")),
                release("24.0.1", None),
                release("27.3.0", None)
            ])
        );
        for bad in ["16.0.4 py3.6", "16.0.4 python3", "16.0.4 python3.6 x", "x;y", "16 python../.."]
        {
            assert!(parse_versions(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn releases_are_version_numbers_and_nothing_else() {
        for good in
            ["27.3.0", "24.0.1", "26.0.0b1", "26.0.0rc2", "25.1.2.post1", "28.0.0.dev3", "16"]
        {
            assert_eq!(check_release(good), Ok(()), "{good}");
        }
        let escape = "/..".repeat(12) + "/tmp";
        for bad in
            ["", "x;y", "27.3.0;rm", "../27", escape.as_str(), "27..3", "027.3", "27.3.0a", "1 2"]
        {
            assert!(check_release(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn the_checked_in_list_is_not_empty() {
        let listed = parse_versions(include_str!("../../../python/pyzmq-versions.txt")).unwrap();
        assert!(listed.len() >= 2);
    }

    fn report(status: Status) -> VersionsJson {
        use crate::cell::{Cell, Pattern};
        use crate::transport::Transport;
        let cell = |pattern, transport, sender: &str, receiver: &str, case: &str| Cell {
            pattern,
            transport,
            sender: sender.into(),
            receiver: receiver.into(),
            case: Some(case.into()),
        };
        let cells = vec![
            Outcome::early(
                &cell(Pattern::Pubsub, Transport::Ipc, "c", "python", "fancyhw"),
                Status::Pass,
                "",
            ),
            Outcome::early(
                &cell(Pattern::Reqrep, Transport::Tcp, "c-vendored", "rust", "hello"),
                status,
                "",
            ),
        ];
        let column = Column {
            pyzmq: "25.1.2".into(),
            libzmq: Some("4.3.4".into()),
            zmtp: None,
            python: None,
            unavailable: None,
            toolchain: false,
            cells,
        };
        let selection = Selection {
            patterns: vec![],
            transports: vec![],
            peers: vec![],
            cases: vec![],
            partition: None,
        };
        let plan = crate::report::model::RunPlan::of(&selection, &[]);
        to_json(&[column], None, &PeerSet::default(), plan)
    }

    #[test]
    fn a_cell_turned_failing_is_a_regression() {
        assert_eq!(
            regressions(&report(Status::Pass), &report(Status::Fail)),
            ["pyzmq 25.1.2: reqrep::tcp::hello::c_vendored_to_rust pass -> fail"]
        );
        assert!(regressions(&report(Status::Pass), &report(Status::Pass)).is_empty());
        assert!(regressions(&report(Status::Fail), &report(Status::Fail)).is_empty());
    }
}
