//! What the tests share: the peers, built once per process, and ways to end a test.

use harness::bootstrap::{self, MissingKind, PeerSet};
use harness::peer::Peer;
use harness::process::Finished;
use harness::registry;
use harness::workspace::Workspace;
use libtest_mimic::{Completion, Failed};
use std::sync::OnceLock;

/// The peers the tests use: `INTEROP_PEERS`, else the registry's default selection. Names the
/// registry does not know are left out here and reported by the trial `support::peer_list`.
pub(crate) fn ids() -> Vec<&'static str> {
    harness::settings::default_peers()
        .iter()
        .filter_map(|id| registry::find(id).ok())
        .map(|entry| entry.id)
        .collect()
}

/// A trial that fails when `INTEROP_PEERS` names a peer the registry does not know, so a typo
/// cannot silently drop a peer from the tests.
pub(crate) fn peer_list_trial() -> libtest_mimic::Trial {
    libtest_mimic::Trial::test("support::peer_list", || {
        registry::check_ids(&harness::settings::default_peers()).map_err(Failed::from)
    })
}

/// The workspace and its peers, built on first use.
pub(crate) fn peers() -> Result<&'static (Workspace, PeerSet), Failed> {
    static PEERS_ONCE: OnceLock<Result<(Workspace, PeerSet), String>> = OnceLock::new();
    PEERS_ONCE
        .get_or_init(|| {
            let workspace = Workspace::locate().map_err(|e| format!("{e:#}"))?;
            let mut wanted: Vec<String> = ids().into_iter().map(String::from).collect();
            wanted.extend(super::releases::PEERS.iter().map(|id| (*id).to_owned()));
            if super::windows::HOSTED {
                wanted.push(super::windows::PEER.to_owned());
            }
            let peers =
                bootstrap::bootstrap(&workspace, &wanted, &|step| eprintln!("bootstrap: {step}"))
                    .map_err(|e| format!("bootstrap failed: {e:#}"))?;
            Ok((workspace, peers))
        })
        .as_ref()
        .map_err(|e| Failed::from(e.as_str()))
}

/// The peer `id`, or how the test must end without it: ignored with the reason for a missing
/// toolchain (failed under `INTEROP_REQUIRE_ALL=1`), failed for a broken build.
pub(crate) fn peer(id: &str) -> Result<Result<&'static Peer, Completion>, Failed> {
    let (_, peers) = peers()?;
    match peers.get(id) {
        Some(Ok(peer)) => Ok(Ok(peer)),
        Some(Err(missing))
            if missing.kind == MissingKind::Toolchain && !harness::settings::require_all() =>
        {
            Ok(Err(Completion::ignored_with(format!("peer {id} unavailable: {}", missing.reason))))
        }
        Some(Err(missing)) => Err(format!("peer {id} unavailable: {}", missing.reason).into()),
        None => Err(format!("peer {id} was not bootstrapped").into()),
    }
}

/// Unwraps [`peer`] inside a test body.
#[macro_export]
macro_rules! need_peer {
    ($id:expr) => {
        match $crate::matrix::support::peer($id)? {
            Ok(peer) => peer,
            Err(skip) => return Ok(skip),
        }
    };
}

/// A failure message with everything a person needs: the commands, exits and stderr.
pub(crate) fn explain(what: &str, runs: &[&Finished]) -> Failed {
    let mut text = format!("{what}\n");
    for run in runs {
        text.push_str(&format!(
            "--- {} ({})\n$ {}\n--- stdout ---\n{}\n--- stderr ---\n{}\n",
            run.label,
            run.exit.describe_peer(),
            run.command_line,
            run.stdout.join("\n"),
            run.stderr
        ));
    }
    text.into()
}

/// Checks a condition inside a test body, failing with the processes' story.
#[macro_export]
macro_rules! check {
    ($cond:expr, $runs:expr, $($msg:tt)+) => {
        if !$cond {
            return Err($crate::matrix::support::explain(&format!($($msg)+), $runs));
        }
    };
}

/// The connecting process of a run, or a failure saying it never started.
pub(crate) fn connector<'r>(
    run: &'r harness::cell::PairRun,
    what: &str,
) -> Result<&'r Finished, Failed> {
    run.connector
        .as_ref()
        .ok_or_else(|| explain(&format!("the {what} never started"), &[&run.binder]))
}

/// Ends a negative test whose pair cannot exchange data at all: when `known-issues.toml` lists
/// `cell` itself (the pair's ordinary cell) as an expected failure, the negative case says
/// nothing new, so it is ignored with that entry's reason.
pub(crate) fn known_to_fail(cell: &harness::cell::Cell) -> Result<Option<Completion>, Failed> {
    let (workspace, _) = peers()?;
    let known =
        harness::known_issues::KnownIssues::load(workspace).map_err(|e| format!("{e:#}"))?;
    Ok(known
        .find(&cell.name(), std::env::consts::OS, None)
        .filter(|entry| entry.expect == harness::known_issues::Expect::Fail)
        .map(|entry| {
            Completion::ignored_with(format!(
                "{} cannot exchange data: known issue: {} ({})",
                cell.name(),
                entry.reason,
                entry.reference
            ))
        }))
}

/// Returns early from a negative test when its pair is a listed failure ([`known_to_fail`]).
#[macro_export]
macro_rules! unless_known_to_fail {
    ($cell:expr) => {
        if let Some(ignored) = $crate::matrix::support::known_to_fail($cell)? {
            return Ok(ignored);
        }
    };
}

/// Applies `known-issues.toml` to a trial that is not a matrix cell (`contract::hostile_input::
/// zmqrs`): listed as an expected failure, its failure is ignored with the entry's reason, and
/// its pass fails (so the entry cannot go stale); unlisted, the result stands.
pub(crate) fn as_known(
    name: &str,
    result: Result<Completion, Failed>,
) -> Result<Completion, Failed> {
    let (workspace, _) = peers()?;
    let known =
        harness::known_issues::KnownIssues::load(workspace).map_err(|e| format!("{e:#}"))?;
    let Some(entry) = known
        .find(name, std::env::consts::OS, None)
        .filter(|entry| entry.expect == harness::known_issues::Expect::Fail)
    else {
        return result;
    };
    let listed = format!("{} ({})", entry.reason, entry.reference);
    match result {
        Err(failed) => Ok(Completion::ignored_with(format!(
            "xfail: known issue: {listed}; {}",
            failed.message().unwrap_or_default().lines().next().unwrap_or_default()
        ))),
        Ok(Completion::Completed) => Err(format!(
            "listed in known-issues.toml as expected to fail, but it passed: remove or narrow \
             the entry ({listed})"
        )
        .into()),
        Ok(other) => Ok(other),
    }
}
