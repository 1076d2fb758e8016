//! A cell — pattern x transport x sender x receiver (x case) — and its outcome.
//!
//! This module knows what every cell has in common: resolving its two peers (or the reason it
//! cannot run), starting the binding side first and the connecting side once the binder's
//! `ready` line gives the resolved endpoint, and turning two exit statuses into pass, fail or
//! skip. What the data must look like is each pattern's business (`pubsub`, `reqrep`).

use crate::bootstrap::{MissingKind, PeerSet};
use crate::endpoint::CellEndpoint;
use crate::peer::Peer;
use crate::process::{self, Exit, Finished, Line, Spec};
use crate::settings;
use crate::transport::Transport;
use contract::Role;
use contract::output::Event;
use serde::Serialize;
use std::fmt;
use std::time::{Duration, Instant};

/// The messaging patterns under test.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Pattern {
    /// PUB/SUB: fancyhw envelopes.
    Pubsub,
    /// REQ/REP: float64 arrays and hello/world.
    Reqrep,
    /// Throughput benchmark: PUSH/PULL (`interop bench`).
    #[value(skip)]
    Thr,
    /// Latency benchmark: REQ/REP round trips (`interop bench`).
    #[value(skip)]
    Lat,
}

impl Pattern {
    /// Every interop pattern, in report order (the benchmarks are not matrix patterns).
    pub const ALL: [Self; 2] = [Self::Pubsub, Self::Reqrep];

    /// The name in cell names and on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Pubsub => "pubsub",
            Self::Reqrep => "reqrep",
            Self::Thr => "thr",
            Self::Lat => "lat",
        }
    }

    /// Whether the sending side binds (the publisher does; the replier and the benchmarks'
    /// receivers do on the other side).
    #[must_use]
    pub fn sender_binds(self) -> bool {
        self == Self::Pubsub
    }

    /// The roles of the sending and the receiving side.
    #[must_use]
    pub fn roles(self) -> (Role, Role) {
        match self {
            Self::Pubsub => (Role::Pub, Role::Sub),
            Self::Reqrep => (Role::Req, Role::Rep),
            Self::Thr => (Role::ThrPush, Role::ThrPull),
            Self::Lat => (Role::LatReq, Role::LatRep),
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct Cell {
    /// The pattern.
    pub pattern: Pattern,
    /// The transport.
    pub transport: Transport,
    /// The sending peer's id (publisher, requester).
    pub sender: String,
    /// The receiving peer's id (subscriber, replier).
    pub receiver: String,
    /// The case (`cases.rs`); `None` for the benchmark roles' check cells.
    pub case: Option<String>,
}

impl Cell {
    /// The cell's test name: `pubsub::ipc::fancyhw::c_to_python`, `thr::tcp::rust_to_c`.
    #[must_use]
    pub fn name(&self) -> String {
        let pair = format!("{}_to_{}", ident(&self.sender), ident(&self.receiver));
        match &self.case {
            None => format!("{}::{}::{pair}", self.pattern, self.transport),
            Some(case) => format!("{}::{}::{case}::{pair}", self.pattern, self.transport),
        }
    }

    /// The case's catalog row, if the cell has a known case.
    #[must_use]
    pub fn def(&self) -> Option<&'static crate::cases::CaseDef> {
        self.case.as_deref().and_then(|name| crate::cases::find(self.pattern, name).ok())
    }

    /// The (sender, receiver) roles: the case's, else the pattern's.
    #[must_use]
    pub fn roles(&self) -> (Role, Role) {
        self.def().map_or_else(|| self.pattern.roles(), |def| def.roles)
    }

    /// Whether the sender binds: the case's say, else the pattern's.
    #[must_use]
    pub fn sender_binds(&self) -> bool {
        self.def().map_or_else(|| self.pattern.sender_binds(), |def| def.sender_binds)
    }
}

/// A peer id as it appears in a test name (`c-vendored` -> `c_vendored`).
#[must_use]
pub fn ident(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

/// pass, fail, skip, unsupported or xfail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Both peers exited 0 and the data was as expected.
    Pass,
    /// Anything else that is not a skip.
    Fail,
    /// The cell could not run here: a toolchain is missing, or the run was cut short.
    Skip,
    /// A peer cannot play its part: it said so (exit 4), lacks the transport, or does not
    /// play the role. An answer about the peer, not about this machine.
    Unsupported,
    /// A failure listed in `known-issues.toml`: reported, not counted against the run.
    Xfail,
    /// A cell listed in `known-issues.toml` as failing that passed: the entry is stale, and
    /// the run fails until it is removed or narrowed.
    Xpass,
}

impl Status {
    /// `pass`, `fail`, `skip`, `unsupported`, `xfail`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Skip => "skip",
            Self::Unsupported => "unsupported",
            Self::Xfail => "xfail",
            Self::Xpass => "xpass",
        }
    }
}

/// One peer process of a cell, as reports show it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct PeerRun {
    /// `publisher (c)`.
    pub label: String,
    /// The command, copy-pasteable.
    pub command: String,
    /// How it ended, in words.
    pub exit: String,
    /// The exit code, when it exited by itself.
    pub exit_code: Option<i32>,
    /// The end of its stderr.
    pub stderr_tail: String,
    /// How long it ran.
    pub duration_ms: u128,
}

impl PeerRun {
    fn of(done: &Finished) -> Self {
        Self {
            label: done.label.clone(),
            command: done.command_line.clone(),
            exit: done.exit.describe_peer(),
            exit_code: match done.exit {
                Exit::Code(code) => Some(code),
                _ => None,
            },
            stderr_tail: done.stderr_tail(20),
            duration_ms: done.duration.as_millis(),
        }
    }
}

/// What running a cell gave.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Outcome {
    /// The cell.
    #[serde(flatten)]
    pub cell: Cell,
    /// pass, fail or skip.
    pub status: Status,
    /// Why it failed or skipped (empty on a pass).
    pub reason: String,
    /// Wall time of the cell.
    pub duration_ms: u128,
    /// The commands run, in order, copy-pasteable.
    pub commands: Vec<String>,
    /// Each peer process.
    pub runs: Vec<PeerRun>,
    /// The receiver's data lines (subscriber packets, requester replies); in a report, only
    /// the first [`Outcome::REPORTED_DATA_LINES`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<String>,
    /// How many data lines the receiver printed, when the report keeps fewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_lines: Option<usize>,
    /// Versions of the two peers: `rust-zmq 0.10.0, libzmq 4.3.4`.
    pub peers: PeerVersions,
    /// The `known-issues.toml` entry that covers the cell, if any, and what the cell did
    /// before the entry was applied (so a merge can apply the list afresh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_issue: Option<KnownIssueNote>,
    /// With `--repeat`: how each run of the cell ended, counted by outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeats: Option<std::collections::BTreeMap<String, u32>>,
}

/// A known issue applied to an outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct KnownIssueNote {
    /// The entry's reason.
    pub reason: String,
    /// Its upstream reference.
    pub reference: String,
    /// The outcome before the entry was applied.
    pub observed: Status,
    /// The reason before the entry was applied.
    pub observed_reason: String,
}

/// The two peers' one-line version summaries.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct PeerVersions {
    /// The sender's.
    pub sender: String,
    /// The receiver's.
    pub receiver: String,
}

impl Outcome {
    /// Data lines a report keeps per cell: enough to read, while a 100,000-envelope burst
    /// would make a report of the whole matrix hundreds of megabytes (the harness checked
    /// every line; `interop cell --show-data` prints them all).
    pub const REPORTED_DATA_LINES: usize = 100;

    /// The outcome as a report keeps it: its data cut to the first lines, their total noted.
    #[must_use]
    pub fn for_report(&self) -> Self {
        let mut kept = self.clone();
        if kept.data.len() > Self::REPORTED_DATA_LINES {
            kept.data_lines = Some(kept.data.len());
            kept.data.truncate(Self::REPORTED_DATA_LINES);
        }
        kept
    }

    /// An outcome without any process run (a skip or a set-up failure).
    #[must_use]
    pub fn early(cell: &Cell, status: Status, reason: impl Into<String>) -> Self {
        Self {
            cell: cell.clone(),
            status,
            reason: reason.into(),
            duration_ms: 0,
            commands: Vec::new(),
            runs: Vec::new(),
            data: Vec::new(),
            data_lines: None,
            peers: PeerVersions::default(),
            known_issue: None,
            repeats: None,
        }
    }
}

/// The two peers of a cell, or the outcome that stands in for running it.
///
/// # Errors
/// The skip or fail outcome when a peer is missing, does not play the role, or lacks the
/// transport.
pub fn resolve<'p>(cell: &Cell, peers: &'p PeerSet) -> Result<(&'p Peer, &'p Peer), Box<Outcome>> {
    resolve_roles(cell, peers, cell.roles())
}

/// [`resolve`] with the roles given (a negative test may change one).
///
/// # Errors
/// As [`resolve`].
pub fn resolve_roles<'p>(
    cell: &Cell,
    peers: &'p PeerSet,
    (sender_role, receiver_role): (Role, Role),
) -> Result<(&'p Peer, &'p Peer), Box<Outcome>> {
    let one = |id: &str, role: Role| -> Result<&'p Peer, Box<Outcome>> {
        let peer = match peers.get(id) {
            None => {
                return Err(Box::new(Outcome::early(
                    cell,
                    Status::Fail,
                    format!("unknown peer {id:?}"),
                )));
            }
            Some(Err(missing)) => {
                let (status, prefix) = match missing.kind {
                    MissingKind::Toolchain if !settings::require_all() => (Status::Skip, ""),
                    MissingKind::Toolchain => (Status::Fail, "INTEROP_REQUIRE_ALL=1 and "),
                    MissingKind::Broken => (Status::Fail, ""),
                };
                let reason = format!("{prefix}peer {id} is unavailable: {}", missing.reason);
                return Err(Box::new(Outcome::early(cell, status, reason)));
            }
            Some(Ok(peer)) => peer,
        };
        if !peer.plays(role) {
            let reason = format!("peer {id} does not play role {role}");
            return Err(Box::new(Outcome::early(cell, Status::Unsupported, reason)));
        }
        peer.supports(cell.transport).map_err(|why| {
            Box::new(Outcome::early(cell, Status::Unsupported, format!("peer {id}: {why}")))
        })?;
        Ok(peer)
    };
    Ok((one(&cell.sender, sender_role)?, one(&cell.receiver, receiver_role)?))
}

/// The two processes of a cell after they ran.
#[derive(Debug, Clone)]
pub struct PairRun {
    /// The binding side (publisher, replier).
    pub binder: Finished,
    /// The connecting side, if it was started.
    pub connector: Option<Finished>,
    /// The second binder of a restart flow, if it was started.
    pub restarted: Option<Finished>,
    /// The endpoint the binder reported.
    pub endpoint: Option<String>,
    /// A problem the harness saw itself (no ready line, a spawn failure).
    pub harness_error: Option<String>,
    /// Wall time.
    pub duration: Duration,
}

impl PairRun {
    /// Every process, binder first, then the connector, then a restarted binder.
    pub fn all(&self) -> impl Iterator<Item = &Finished> {
        std::iter::once(&self.binder).chain(self.connector.as_ref()).chain(self.restarted.as_ref())
    }
}

/// Starts `binder`, waits for its `ready` line, then starts the connector made from the
/// resolved endpoint, and waits for both. When the connector fails, the binder gets a short
/// grace to finish by itself and is then stopped, rather than left to its own timeout.
#[must_use]
pub fn run_pair(binder: &Spec, connector: impl FnOnce(&str) -> Result<Spec, String>) -> PairRun {
    let started = Instant::now();
    let deadline = started + settings::process_timeout();
    let finish = |binder: Finished, connector, endpoint, harness_error| PairRun {
        binder,
        connector,
        restarted: None,
        endpoint,
        harness_error,
        duration: started.elapsed(),
    };
    let mut child = match process::spawn(binder) {
        Ok(child) => child,
        Err(e) => {
            let placeholder = Finished {
                label: binder.label().to_owned(),
                command_line: binder.command_line(),
                exit: Exit::Killed,
                stdout: Vec::new(),
                stderr: String::new(),
                duration: Duration::ZERO,
            };
            return finish(placeholder, None, None, Some(e.to_string()));
        }
    };
    // The first line must be the ready line; anything else ends the cell.
    let endpoint = match child.next_line(deadline) {
        Line::Text(line) => match serde_json::from_str::<Event>(&line) {
            Ok(Event::Ready { endpoint }) => endpoint,
            _ => {
                let why = format!("{} printed {line:?} before its ready line", binder.label());
                return finish(child.stop(), None, None, Some(why));
            }
        },
        // It exited before being ready: its own status says why.
        Line::Closed => return finish(child.wait(deadline), None, None, None),
        Line::TimedOut => {
            let why = format!("{} printed no ready line in time", binder.label());
            return finish(child.stop(), None, None, Some(why));
        }
        Line::Cancelled => return finish(child.stop(), None, None, Some("cancelled".into())),
    };
    let connector_done = match connector(&endpoint)
        .and_then(|spec| process::spawn(&spec).map_err(|e| e.to_string()))
    {
        Ok(c) => c.wait(deadline),
        Err(e) => return finish(child.stop(), None, Some(endpoint), Some(e)),
    };
    let binder_done = if connector_done.succeeded() {
        child.wait(deadline)
    } else {
        // The binder may be finishing (a replier after its last FAILURE) or waiting for a
        // partner that is gone (a publisher waiting for a subscription): give it a moment.
        child.finish_within(deadline.min(Instant::now() + settings::scaled(Duration::from_secs(2))))
    };
    finish(binder_done, Some(connector_done), Some(endpoint), None)
}

/// Pass/fail/skip from the processes' exits, before any data check: a skip when a peer said
/// "unsupported" (exit 4), a failure naming the first process that failed by itself.
#[must_use]
pub fn judge_exits(run: &PairRun) -> Option<(Status, String)> {
    if let Some(error) = &run.harness_error {
        return Some((Status::Fail, error.clone()));
    }
    let unsupported = contract::ExitCode::Unsupported.code().into();
    if let Some(done) = run.all().find(|d| d.exit == Exit::Code(unsupported)) {
        return Some((
            Status::Unsupported,
            format!("{}: {}", done.label, done.reason().unwrap_or("unsupported")),
        ));
    }
    // A process the harness stopped is a consequence; blame the one that failed by itself.
    let failed = run
        .all()
        .find(|d| !d.succeeded() && d.exit != Exit::Killed)
        .or_else(|| run.all().find(|d| !d.succeeded()))?;
    let exit = failed.exit.describe_peer();
    let reason = match failed.reason() {
        Some(reason) => format!("{} {exit}: {reason}", failed.label),
        None => format!("{} {exit}", failed.label),
    };
    Some((Status::Fail, reason))
}

/// Assembles the outcome of a cell that ran.
#[must_use]
pub fn outcome(
    cell: &Cell,
    peers: (&Peer, &Peer),
    run: &PairRun,
    verdict: (Status, String),
    data: Vec<String>,
) -> Outcome {
    Outcome {
        cell: cell.clone(),
        status: verdict.0,
        reason: verdict.1,
        duration_ms: run.duration.as_millis(),
        commands: run.all().map(|d| d.command_line.clone()).collect(),
        runs: run.all().map(PeerRun::of).collect(),
        data,
        data_lines: None,
        peers: PeerVersions { sender: peers.0.summary(), receiver: peers.1.summary() },
        known_issue: None,
        repeats: None,
    }
}

/// How reports name a role's process: `publisher (c)`.
#[must_use]
pub fn label(role: Role, peer: &Peer) -> String {
    let name = match role {
        Role::Pub => "publisher",
        Role::Sub => "subscriber",
        Role::Rep => "replier",
        Role::Req => "requester",
        other => other.name(),
    };
    format!("{name} ({})", peer.id)
}

/// Runs a cell's two peers: resolves them, gives each the common options, `options` and its own
/// extra flags, starts the binding side and then the other with the resolved endpoint. Returns
/// the run and the (sender, receiver) peers, or the outcome that stands in for the run.
///
/// # Errors
/// The skip or fail outcome when the cell cannot run.
pub fn run_peers<'p>(
    cell: &Cell,
    peers: &'p PeerSet,
    options: &[String],
    sender_extra: &[String],
    receiver_extra: &[String],
) -> Result<(PairRun, (&'p Peer, &'p Peer)), Box<Outcome>> {
    let (sender, receiver) = resolve(cell, peers)?;
    let (sender_role, receiver_role) = cell.roles();
    let endpoint = endpoint_for(cell)?;
    let sides = [(sender, sender_role, sender_extra), (receiver, receiver_role, receiver_extra)];
    let [binding, connecting] = if cell.sender_binds() { sides } else { [sides[1], sides[0]] };
    let command = |(peer, role, extra): (&Peer, Role, &[String]), endpoint: &str| {
        let all = [common_options(endpoint), options.to_vec(), extra.to_vec()].concat();
        peer.command(role, &label(role, peer), all)
    };
    let binder = command(binding, endpoint.bind())
        .map_err(|why| Box::new(Outcome::early(cell, Status::Fail, why)))?;
    // The tunnel, if any, stays open until the connector is done.
    let mut route = None;
    let run = run_pair(&endpoint.binder(binder), |resolved| {
        let way = endpoint.route(resolved)?;
        let spec = command(connecting, &way.endpoint)?;
        route = Some(way);
        Ok(endpoint.connector(spec))
    });
    drop(route);
    Ok((run, (sender, receiver)))
}

/// The contract's options every run gets: the endpoint and the (scaled) timeout.
#[must_use]
pub fn common_options(endpoint: &str) -> Vec<String> {
    vec![
        "--endpoint".into(),
        endpoint.into(),
        "--timeout-ms".into(),
        settings::peer_timeout().as_millis().to_string(),
    ]
}

/// A fresh endpoint, or the outcome saying why there is none.
///
/// # Errors
/// A skip when this machine cannot make the cell's hosts (no root, no `sshd`), a failure
/// otherwise (an over-long ipc path, a host command that failed).
pub fn endpoint_for(cell: &Cell) -> Result<CellEndpoint, Box<Outcome>> {
    CellEndpoint::new(cell.transport).map_err(|unavailable| {
        let status = match unavailable {
            crate::hosts::Unavailable::Skip(_) => Status::Skip,
            crate::hosts::Unavailable::Failed(_) => Status::Fail,
        };
        Box::new(Outcome::early(cell, status, unavailable.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_keeps_the_first_data_lines_and_counts_them_all() {
        let cell = Cell {
            pattern: Pattern::Pubsub,
            transport: Transport::Tcp,
            sender: "c".into(),
            receiver: "python".into(),
            case: Some("burst".into()),
        };
        let mut outcome = Outcome::early(&cell, Status::Pass, "");
        outcome.data = (0..1000).map(|i| i.to_string()).collect();
        let kept = outcome.for_report();
        assert_eq!(kept.data.len(), Outcome::REPORTED_DATA_LINES);
        assert_eq!(kept.data[99], "99");
        assert_eq!(kept.data_lines, Some(1000));
        outcome.data.truncate(3);
        let short = outcome.for_report();
        assert_eq!((short.data.len(), short.data_lines), (3, None));
    }

    #[test]
    fn names_are_paths_a_test_filter_can_select() {
        let cell = Cell {
            pattern: Pattern::Pubsub,
            transport: Transport::Ipc,
            sender: "c".into(),
            receiver: "python".into(),
            case: None,
        };
        assert_eq!(cell.name(), "pubsub::ipc::c_to_python");
        let cell = Cell {
            pattern: Pattern::Reqrep,
            case: Some("array".into()),
            sender: "c-vendored".into(),
            ..cell
        };
        assert_eq!(cell.name(), "reqrep::ipc::array::c_vendored_to_python");
        let mismatch = Cell { case: Some("mismatch".into()), ..cell };
        assert_eq!((mismatch.roles(), mismatch.sender_binds()), ((Role::Sub, Role::Rep), false));
    }
}
