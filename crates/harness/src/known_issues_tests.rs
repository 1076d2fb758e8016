//! Matching known issues to cells, and what they do to outcomes.

use super::*;
use crate::cell::{Cell, Pattern};
use crate::peer::{Launch, Peer};
use crate::transport::Transport;
use contract::output::Info;

const FILE: &str = r#"
[[issue]]
cells = "*::ipc::*python*"
platform = "windows"
pyzmq = ">=24, <99"
expect = "skip"
reason = "pyzmq's Windows wheels ship libzmq without ipc"
reference = "https://github.com/zeromq/pyzmq/pull/1758"

[[issue]]
cells = "reqrep::tcp::hello::c_to_rust"
expect = "fail"
reason = "a made-up failure"
reference = "https://example.invalid/1"

[[issue]]
cells = ["pubsub::tcp::c_to_c", "pubsub::tcp::rust_to_*"]
expect = "fail"
flaky = true
reason = "a made-up race"
reference = "https://example.invalid/2"
"#;

fn peers_with_python(version: &str) -> PeerSet {
    let mut peers = PeerSet::default();
    let info = Info {
        lang: "python".into(),
        binding: "pyzmq".into(),
        impl_version: version.into(),
        engine: "libzmq".into(),
        engine_version: "4.3.5".into(),
        libzmq: Some("4.3.5".into()),
        transports: vec!["tcp".into()],
        roles: vec![],
        workarounds: Vec::new(),
        cases: Vec::new(),
        mechanisms: Vec::new(),
        unsupported: std::collections::BTreeMap::new(),
        extra: std::collections::BTreeMap::new(),
    };
    let launch = Launch {
        programs: vec![],
        prefix: vec![],
        env: vec![],
        env_removed: vec![],
        cwd: ".".into(),
    };
    peers.insert(
        "python",
        Ok(Peer {
            id: "python".into(),
            launch,
            info,
            libzmq_origin: String::new(),
            built_with: String::new(),
            zmtp: None,
        }),
    );
    peers
}

fn outcome(name: (Pattern, Transport, &str, &str), status: Status) -> Outcome {
    let case = (name.0 == Pattern::Reqrep).then(|| "hello".to_owned());
    let cell = Cell {
        pattern: name.0,
        transport: name.1,
        sender: name.2.into(),
        receiver: name.3.into(),
        case,
    };
    Outcome::early(&cell, status, "peer python: no ipc")
}

#[test]
fn globs_match_runs_of_anything() {
    assert!(glob_match("*::ipc::*python*", "pubsub::ipc::c_to_python"));
    assert!(glob_match("*::ipc::*python*", "reqrep::ipc::array::python_to_rust"));
    assert!(!glob_match("*::ipc::*python*", "pubsub::tcp::c_to_python"));
    assert!(glob_match("exact", "exact"));
    assert!(!glob_match("exact", "exactly"));
    assert!(glob_match("a*b*c", "axxbyyc"));
    assert!(!glob_match("a*b*c", "axxbyy"));
}

#[test]
fn versions_compare_part_by_part() {
    assert!(version_matches(">=24", "24.0.1").unwrap());
    assert!(!version_matches(">=24", "23.2.1").unwrap());
    assert!(version_matches(">=24, <26", "25.1.2").unwrap());
    assert!(!version_matches(">=24, <26", "26.0.0").unwrap());
    assert!(version_matches("==25.1.2", "25.1.2").unwrap());
    assert!(version_matches("<=27.3", "27.3.0").unwrap());
    assert!(version_matches("24", "24").is_err());
    assert!(version_matches(">=x", "24").is_err());
}

#[test]
fn the_checked_in_file_parses() {
    let text = include_str!("../../../known-issues.toml");
    KnownIssues::parse(text).expect("known-issues.toml is valid");
}

/// The checked-in history of pyzmq's Windows wheels and ipc: each release is expected to skip
/// or, where its wheel has ipc, to pass (no entry), so an unexpected pass or skip shows.
#[test]
fn the_windows_ipc_history_is_listed_release_by_release() {
    let known = KnownIssues::parse(include_str!("../../../known-issues.toml")).unwrap();
    let cell = "pubsub::ipc::c_to_python";
    for (pyzmq, listed) in [
        ("22.2.0", false),
        ("24.0.1", true),
        ("25.1.2", true),
        ("26.0.3", false),
        ("26.1.0", false),
        ("26.2.0", true),
        ("27.3.0", true),
    ] {
        let entry = known.find(cell, "windows", Some(pyzmq));
        assert_eq!(entry.is_some(), listed, "pyzmq {pyzmq}");
        assert!(entry.is_none_or(|e| e.expect == Expect::Skip));
        assert!(known.find(cell, "linux", Some(pyzmq)).is_none(), "Linux wheels have ipc");
    }
}

#[test]
fn entries_match_by_cell_platform_and_version() {
    let known = KnownIssues::parse(FILE).unwrap();
    assert!(known.find("pubsub::ipc::c_to_python", "windows", Some("27.3.0")).is_some());
    assert!(known.find("pubsub::ipc::c_to_python", "linux", Some("27.3.0")).is_none());
    assert!(known.find("pubsub::ipc::c_to_python", "windows", Some("23.2.1")).is_none());
    assert!(known.find("pubsub::ipc::c_to_python", "windows", None).is_none());
    assert!(known.find("reqrep::tcp::hello::c_to_rust", "linux", None).is_some());
}

#[test]
fn a_listed_failure_that_fails_is_an_expected_failure() {
    let known = KnownIssues::parse(FILE).unwrap();
    let mut failed = outcome((Pattern::Reqrep, Transport::Tcp, "c", "rust"), Status::Fail);
    known.apply(&mut failed, &PeerSet::default());
    assert_eq!(failed.status, Status::Xfail);
    assert!(
        failed.reason.starts_with("known issue: a made-up failure (https://example.invalid/1); ")
    );
}

#[test]
fn a_flaky_entry_lets_a_pass_pass_and_calls_a_failure_expected() {
    let known = KnownIssues::parse(FILE).unwrap();
    for pair in [("c", "c"), ("rust", "python")] {
        let mut passed = outcome((Pattern::Pubsub, Transport::Tcp, pair.0, pair.1), Status::Pass);
        known.apply(&mut passed, &PeerSet::default());
        assert_eq!(passed.status, Status::Pass, "{pair:?}");
        assert!(passed.reason.starts_with("passed this time; known to fail now and then: "));
        let mut failed = outcome((Pattern::Pubsub, Transport::Tcp, pair.0, pair.1), Status::Fail);
        known.apply(&mut failed, &PeerSet::default());
        assert_eq!(failed.status, Status::Xfail);
    }
    let mut other = outcome((Pattern::Pubsub, Transport::Tcp, "python", "c"), Status::Fail);
    known.apply(&mut other, &PeerSet::default());
    assert_eq!(other.status, Status::Fail, "not in the list of globs");
}

#[test]
fn a_listed_cell_that_passes_fails_the_run() {
    let known = KnownIssues::parse(FILE).unwrap();
    let mut passed = outcome((Pattern::Reqrep, Transport::Tcp, "c", "rust"), Status::Pass);
    known.apply(&mut passed, &PeerSet::default());
    assert_eq!(passed.status, Status::Xpass);
    assert!(passed.reason.contains("expected to fail, but it passed: remove or narrow the entry"));
    // Applied again (a merge does), the list sees what the cell did, not its own verdict.
    known.apply(&mut passed, &PeerSet::default());
    assert_eq!(passed.status, Status::Xpass);
    assert_eq!(passed.known_issue.as_ref().map(|n| n.observed), Some(Status::Pass));
}

#[test]
fn the_python_peers_version_decides() {
    let known = KnownIssues::parse(FILE).unwrap();
    if std::env::consts::OS != "windows" {
        // The entry is for Windows only: elsewhere a skip stays a plain skip.
        let mut skipped = outcome((Pattern::Pubsub, Transport::Ipc, "c", "python"), Status::Skip);
        known.apply(&mut skipped, &peers_with_python("27.3.0"));
        assert_eq!(skipped.reason, "peer python: no ipc");
    }
    let entry = known.find("pubsub::ipc::c_to_python", "windows", Some("27.3.0")).unwrap();
    assert_eq!(entry.expect, Expect::Skip);
}

#[test]
fn unknown_fields_are_refused() {
    let err = KnownIssues::parse("[[issue]]\ncells = \"x\"\nexpect = \"skip\"\nreason = \"r\"\nreference = \"u\"\nplatfrom = \"linux\"\n")
        .unwrap_err();
    assert!(err.to_string().contains("platfrom"), "{err}");
}
