//! The contract's promises that need no partner: `--info`, one-line usage errors (exit 2), the
//! receive timeout (exit 3), and the C fakehw against glibc's vectors.

use super::support;
use crate::{check, need_peer};
use contract::output::Info;
use contract::{ExitCode, Role};
use harness::cell::ident;
use harness::process::{self, Exit, Spec};
use libtest_mimic::{Completion, Failed, Trial};
use std::time::Duration;

/// Every contract check, per peer.
pub(crate) fn trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for id in support::ids() {
        let name = ident(id);
        trials.push(Trial::ignorable_test(format!("contract::info::{name}"), move || info(id)));
        trials.push(Trial::ignorable_test(format!("contract::usage_error::{name}"), move || {
            usage_error(id)
        }));
        trials
            .push(Trial::ignorable_test(format!("contract::timeout::{name}"), move || timeout(id)));
        trials.push(Trial::ignorable_test(format!("contract::unknown_case::{name}"), move || {
            unknown_case(id)
        }));
    }
    trials.push(Trial::ignorable_test("fakehw::c_matches_glibc_vectors", c_fakehw));
    trials
}

fn run(spec: &Spec) -> Result<process::Finished, Failed> {
    process::run(spec, harness::settings::process_timeout())
        .map_err(|e| Failed::from(e.to_string()))
}

fn info(id: &str) -> Result<Completion, Failed> {
    let peer = need_peer!(id);
    // Bootstrap already parsed --info; check what it says is the contract's and the registry's.
    let entry = harness::registry::find(id).map_err(Failed::from)?;
    let Info { lang, engine, engine_version, libzmq, transports, roles, .. } = &peer.info;
    check!(lang == entry.lang, &[], "lang {lang:?}, the registry says {:?}", entry.lang);
    check!(engine == entry.engine, &[], "engine {engine:?}, the registry says {:?}", entry.engine);
    let dotted =
        |v: &str| v.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    check!(dotted(engine_version), &[], "engine version {engine_version:?} is not dotted numbers");
    match (engine.as_str(), libzmq) {
        ("libzmq", Some(v)) => {
            check!(v.split('.').count() == 3 && dotted(v), &[], "libzmq {v:?} is not x.y.z");
            check!(v == engine_version, &[], "libzmq {v:?} but engine version {engine_version:?}");
        }
        ("libzmq", None) => return Err("a libzmq engine with \"libzmq\": null".into()),
        (_, Some(v)) => return Err(format!("engine {engine} reports libzmq {v:?}").into()),
        (_, None) => {}
    }
    check!(transports.iter().any(|t| t == "tcp"), &[], "tcp missing from {transports:?}");
    for role in ["pub", "sub", "rep", "req"] {
        check!(roles.iter().any(|r| r == role), &[], "role {role} missing from {roles:?}");
    }
    Ok(Completion::Completed)
}

fn usage_error(id: &str) -> Result<Completion, Failed> {
    let peer = need_peer!(id);
    for bad in [
        vec!["--endpoint", "tcp://127.0.0.1:1", "--count", "0"],
        vec!["--endpoint", "tcp://127.0.0.1:1", "--topic", "has space"],
        vec!["--endpoint", "tcp://127.0.0.1:1", "--no-such-option"],
        vec!["--count", "1"],
        vec!["--endpoint", "tcp://127.0.0.1:1", "--security", "nope"],
        // A key that is not 40 characters of Z85: refused whether or not the engine has CURVE.
        vec![
            "--endpoint",
            "tcp://127.0.0.1:1",
            "--security",
            "curve",
            "--curve-server-key",
            "short",
        ],
    ] {
        let spec = peer.command(Role::Sub, "subscriber", &bad).map_err(Failed::from)?;
        let done = run(&spec)?;
        let lines: Vec<&str> = done.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        check!(
            done.exit == Exit::Code(ExitCode::Usage.code().into()),
            &[&done],
            "{bad:?} should exit 2"
        );
        check!(
            lines.len() == 1 && lines[0].starts_with("error: "),
            &[&done],
            "{bad:?} should print exactly one `error:` line"
        );
        check!(done.stdout.is_empty(), &[&done], "{bad:?} should print nothing on stdout");
    }
    Ok(Completion::Completed)
}

/// A case the peer cannot know is an answer, not a usage error: exit 4 with the contract's
/// line, as quic-interop-runner's compliance probe asks every implementation.
fn unknown_case(id: &str) -> Result<Completion, Failed> {
    let peer = need_peer!(id);
    let name = "no-such-case-7f3a";
    for role in [Role::Req, Role::Rep] {
        let options = ["--endpoint", "tcp://127.0.0.1:1", "--case", name, "--timeout-ms", "300"];
        let spec = peer.command(role, role.name(), options).map_err(Failed::from)?;
        let done = run(&spec)?;
        check!(
            done.exit == Exit::Code(ExitCode::Unsupported.code().into()),
            &[&done],
            "{role} with --case {name} should exit 4"
        );
        let want = format!("case \"{name}\" is not implemented by this peer");
        check!(done.reason() == Some(want.as_str()), &[&done], "reason should be {want:?}");
    }
    Ok(Completion::Completed)
}

fn timeout(id: &str) -> Result<Completion, Failed> {
    let peer = need_peer!(id);
    // A loopback port the system just handed out and nobody listens on: the subscriber
    // connects (libzmq keeps retrying) and waits for a message that never comes. tcp, not ipc,
    // so that a binding without ipc is tested too.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| Failed::from(e.to_string()))?
        .port();
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let options = ["--endpoint", &endpoint, "--timeout-ms", "300", "--count", "1"];
    let spec = peer.command(Role::Sub, "subscriber", options).map_err(Failed::from)?;
    let done = run(&spec)?;
    check!(done.exit == Exit::Code(ExitCode::Timeout.code().into()), &[&done], "should exit 3");
    check!(
        done.reason().is_some_and(|r| r.contains("timed out")),
        &[&done],
        "reason should say timed out"
    );
    check!(done.duration < Duration::from_secs(5), &[&done], "should give up after about 300 ms");
    Ok(Completion::Completed)
}

/// The C port of glibc's rand(), checked against the committed vectors (and against the
/// platform's own rand() where that is glibc) by `c/tests/fakehw_test.c`.
fn c_fakehw() -> Result<Completion, Failed> {
    let (workspace, _) = support::peers()?;
    let compiler = match harness::bootstrap::c::Compiler::discover() {
        Ok(compiler) => compiler,
        Err(missing) if !harness::settings::require_all() => {
            return Ok(Completion::ignored_with(missing.reason));
        }
        Err(missing) => return Err(missing.reason.into()),
    };
    let source = workspace.source("c").join("tests").join("fakehw_test.c");
    let program = harness::bootstrap::c::build_program(workspace, &compiler, &source)
        .map_err(|m| Failed::from(m.reason))?;
    let spec =
        Spec::new("fakehw_test", program).arg(workspace.source("testdata").join("glibc-rand.json"));
    let done = run(&spec)?;
    check!(done.succeeded(), &[&done], "fakehw_test should pass");
    Ok(Completion::Completed)
}

/// The results grid, rendered by a real browser: every cell of a run is on the page, with its
/// outcome (`data-cell`, `data-status`). Needs Chromium (Debian's `chromium`); without it the
/// check is ignored with that reason, and fails under `INTEROP_REQUIRE_ALL=1`.
pub(crate) fn html_grid_trial() -> Trial {
    Trial::ignorable_test("report::html_grid_in_chromium", html_grid)
}

fn html_grid() -> Result<Completion, Failed> {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(|name| which::which(name).ok());
    let Some(browser) = browser else {
        let why = "no headless browser (chromium) on PATH for the results-grid check";
        if harness::settings::require_all() {
            return Err(format!("INTEROP_REQUIRE_ALL=1 and {why}").into());
        }
        return Ok(Completion::ignored_with(why));
    };
    need_peer!("c");
    let (workspace, peers) = support::peers()?;
    let selection = harness::matrix::Selection {
        patterns: vec![harness::cell::Pattern::Reqrep],
        transports: harness::transport::Transport::LOCAL.to_vec(),
        peers: vec!["c".into()],
        cases: vec!["hello".into(), "empty".into(), "mismatch".into()],
        partition: None,
    };
    let known =
        harness::known_issues::KnownIssues::load(workspace).map_err(|e| format!("{e:#}"))?;
    let outcomes = harness::matrix::run_all(
        &selection.cells(),
        peers,
        &harness::matrix::Params::default(),
        2,
        &known,
        &|_| {},
    );
    let sections = [harness::report::html::Section { title: "", outcomes: &outcomes }];
    let page = harness::report::html::to_html("grid check", "", &sections);
    let dir = tempfile::tempdir().map_err(|e| Failed::from(e.to_string()))?;
    let file = dir.path().join("grid.html");
    std::fs::write(&file, page).map_err(|e| Failed::from(e.to_string()))?;
    let profile = dir.path().join("profile");
    let spec = Spec::new("chromium", browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()));
    let done = run(&spec)?;
    check!(done.succeeded(), &[&done], "chromium should render the page");
    let dom = done.stdout.join("\n");
    for outcome in &outcomes {
        let shown = format!(
            "data-cell=\"{}\" data-status=\"{}\"",
            outcome.cell.name(),
            outcome.status.name()
        );
        check!(dom.contains(&shown), &[&done], "the rendered page lacks {shown}");
    }
    let shown = dom.matches("data-cell=").count();
    check!(shown == outcomes.len(), &[&done], "{shown} cells on the page, {} run", outcomes.len());
    Ok(Completion::Completed)
}
