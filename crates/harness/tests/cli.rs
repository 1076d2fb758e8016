//! The `interop` command as a user runs it: output snapshots (exit code, stdout, stderr, with
//! endpoints, paths and timings filtered) and its refusals of bad input.

use assert_cmd::Command;
use std::path::Path;

fn root() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
        .display()
        .to_string()
}

/// One snapshot format: the exit code, then stdout, then stderr.
fn transcript(output: &std::process::Output) -> String {
    format!(
        "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
        output.status.code().map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex_escape(&root()), "[ROOT]");
    settings.add_filter(r"tcp://127\.0\.0\.1:\d+", "[ENDPOINT]");
    settings.add_filter(r"ipc://\S+", "[ENDPOINT]");
    settings.add_filter(r"\d+(\.\d+)? (ms|s)\b", "[TIME]");
    // Which libzmq the C peer links, and the timeout scale, depend on the machine.
    settings.add_filter(r"c/(system|vendored)/c-peer", "c/[LIBZMQ]/c-peer");
    settings.add_filter(r"--timeout-ms \d+", "--timeout-ms [MS]");
    settings.add_filter(r"\.exe\b", "");
    // Another test's interop may hold the build lock for a moment.
    settings.add_filter(r"interop: waiting for another interop[^\n]*\n", "");
    settings
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

fn interop() -> Command {
    let mut command = Command::cargo_bin("interop").expect("the interop binary is built");
    command.timeout(std::time::Duration::from_secs(600));
    command
}

// The transcripts below hold paths in Unix form (the filters turn the workspace into [ROOT],
// but not `\` into `/`), so their snapshots are checked on Unix; Windows runs every other test.
#[cfg(unix)]
#[test]
fn a_passing_cell_shows_its_data_and_commands() {
    let output = interop()
        .args(["cell", "pubsub", "tcp", "rust", "c", "--count", "2", "--show-data"])
        .output()
        .expect("interop runs");
    settings().bind(|| insta::assert_snapshot!(transcript(&output)));
}

#[cfg(unix)]
#[test]
fn reqrep_cell_with_a_short_array() {
    let output = interop()
        .args(["cell", "reqrep", "ipc", "c", "rust", "--count", "2", "--len", "3", "--show-data"])
        .output()
        .expect("interop runs");
    settings().bind(|| insta::assert_snapshot!(transcript(&output)));
}

#[test]
fn an_unknown_peer_is_a_one_line_usage_error() {
    let output =
        interop().args(["matrix", "--peers", "rust,cobol"]).output().expect("interop runs");
    settings().bind(|| insta::assert_snapshot!(transcript(&output)));
}

// TMPDIR is where Unix puts temporary directories; Windows's limit is unit-tested in
// `endpoint` (its temporary directory comes from TMP and TEMP).
#[cfg(unix)]
#[test]
fn an_ipc_path_over_the_limit_is_refused_up_front() {
    // A temporary directory whose path alone is near the limit: the socket path inside it
    // cannot fit in sun_path.
    let base = tempfile::tempdir().expect("a temporary directory");
    let long = base.path().join("d".repeat(100));
    std::fs::create_dir_all(&long).expect("a long directory");
    let output = interop()
        .args(["cell", "pubsub", "ipc", "rust", "rust"])
        .env("TMPDIR", &long)
        .output()
        .expect("interop runs");
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("over Linux's limit of 107 bytes") || !cfg!(target_os = "linux"),
        "{stderr}"
    );
    assert!(stderr.contains("FAIL pubsub::ipc::fancyhw::rust_to_rust"), "{stderr}");
    // Nothing was left behind in the long directory.
    assert_eq!(std::fs::read_dir(&long).expect("readable").count(), 0);
}

/// A short bench of one pairing, written as JSON; the harness's exit status and stdout.
fn bench(json: &Path, baseline: Option<&Path>) -> std::process::Output {
    let mut command = interop();
    command.args(["bench", "--kind", "thr", "--pairs", "rust:rust", "--transports", "tcp"]);
    command.args(["--sizes", "16", "--repeat", "2", "--target-ms", "50", "--json"]).arg(json);
    if let Some(baseline) = baseline {
        command.arg("--baseline").arg(baseline);
    }
    command.output().expect("interop runs")
}

/// Rewrites every throughput figure of a report by `factor`.
fn doctor(report: &Path, factor: f64, out: &Path) {
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).expect("a report")).expect("JSON");
    for result in json["results"].as_array_mut().expect("results") {
        for key in ["median", "min", "max"] {
            let value = result["msgs_per_s"][key].as_f64().expect("a measured result");
            result["msgs_per_s"][key] = (value * factor).into();
        }
    }
    std::fs::write(out, json.to_string()).expect("written");
}

#[test]
fn a_baseline_ten_times_faster_flags_a_regression_and_one_ten_times_slower_does_not() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let measured = dir.path().join("measured.json");
    let first = bench(&measured, None);
    assert!(first.status.success(), "{}", transcript(&first));

    let faster = dir.path().join("faster.json");
    doctor(&measured, 10.0, &faster);
    let regressed = bench(&dir.path().join("again.json"), Some(&faster));
    let stdout = String::from_utf8_lossy(&regressed.stdout);
    assert_eq!(regressed.status.code(), Some(1), "{}", transcript(&regressed));
    assert!(stdout.contains("slower than the baseline by more than 10%:"), "{stdout}");
    assert!(stdout.contains("thr tcp rust:rust 16 B:"), "{stdout}");

    let slower = dir.path().join("slower.json");
    doctor(&measured, 0.1, &slower);
    let fine = bench(&dir.path().join("again.json"), Some(&slower));
    assert!(fine.status.success(), "{}", transcript(&fine));
    assert!(!String::from_utf8_lossy(&fine.stdout).contains("slower than the baseline"));
}

#[test]
fn versions_flags_cells_that_passed_in_the_baseline_and_do_not_now() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let narrow = ["--pattern", "reqrep", "--transport", "tcp", "--peers", "rust,python"];
    let real = dir.path().join("real.json");
    let first = interop()
        .arg("versions")
        .args(["--pyzmq", "27.3.0"])
        .args(narrow)
        .arg("--json")
        .arg(&real)
        .output()
        .expect("runs");
    assert!(first.status.success(), "{}", transcript(&first));
    let mut report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&real).expect("written")).expect("JSON");
    assert_eq!(report["versions"][0]["libzmq"], "4.3.5", "pyzmq 27.3.0 bundles libzmq 4.3.5");

    // The doctored baseline claims a release that cannot be installed passed every cell; now its
    // cells cannot run, which is a regression against it.
    report["versions"][0]["pyzmq"] = "0.0.0".into();
    let doctored = dir.path().join("doctored.json");
    std::fs::write(&doctored, report.to_string()).expect("written");
    let now = interop()
        .arg("versions")
        .args(["--pyzmq", "0.0.0"])
        .args(narrow)
        .arg("--baseline")
        .arg(&doctored)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&now.stdout);
    assert_eq!(now.status.code(), Some(1), "{}", transcript(&now));
    assert!(stdout.contains("regressions against the baseline:"), "{stdout}");
    assert!(
        stdout.contains("pyzmq 0.0.0: reqrep::tcp::array::rust_to_python pass -> "),
        "{stdout}"
    );
    assert!(
        !stdout.contains("pyzmq 0.0.0: reqrep::tcp::hello::rust_to_rust"),
        "cells without python still pass: {stdout}"
    );
}

/// A report path that cannot be written is refused before any peer is built or cell run: exit
/// 2 at once, naming the path and the system's reason (once, the whole run was lost).
#[test]
fn an_unwritable_report_path_fails_before_any_work() {
    for flag in ["--json", "--junit", "--markdown", "--html"] {
        let started = std::time::Instant::now();
        let output = interop()
            .args(["matrix", flag, "no-such-dir/report.out"])
            .output()
            .expect("interop runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains("cannot write no-such-dir/report.out"), "{flag}: {stderr}");
        assert!(!stderr.contains("cargo build"), "{flag}: nothing was built: {stderr}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{flag}: at once");
    }
    let output = interop()
        .args(["bench", "--svg", "/proc/no-such-dir/plots"])
        .output()
        .expect("interop runs");
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
}

/// Configuration mistakes are usage errors (exit 2, one line), not cell failures.
#[test]
fn bad_settings_and_values_are_usage_errors_not_failures() {
    for scale in ["0", "-1", "abc", "NaN", "1e308"] {
        let output = interop()
            .args(["peers", "--ids"])
            .env("INTEROP_TIMEOUT_SCALE", scale)
            .output()
            .expect("interop runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{scale}: {stderr}");
        assert!(stderr.contains("INTEROP_TIMEOUT_SCALE"), "{scale}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{scale}: one line: {stderr}");
    }
    for args in [
        &["cell", "pubsub", "tcp", "rust", "c", "--count", "0"][..],
        &["cell", "pubsub", "tcp", "rust", "c", "--packet-size", "0"],
        &["cell", "reqrep", "tcp", "rust", "c", "--len", "0"],
        &["cell", "pubsub", "tcp", "rust", "c", "--count", "18446744073709551615"],
        &["cell", "pubsub", "tcp", "rust", "c", "--case", "array"],
        &["matrix", "--jobs", "0"],
        &["matrix", "--case", "nope"],
        &["versions", "--pyzmq", "x;y"],
    ] {
        let output = interop().args(args).output().expect("interop runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(!stderr.contains("cargo build"), "{args:?}: refused before any build: {stderr}");
    }
}

/// A `--pyzmq` value is a version number or nothing: it never names a path, so no value can
/// reach outside the cache (once, one made of `/..` deleted an existing directory).
#[test]
fn a_pyzmq_value_never_escapes_the_cache() {
    let victim = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(victim.path().join("keep"), "x").expect("a file");
    let escape = format!("{}{}", "/..".repeat(16), victim.path().display());
    let output = interop()
        .args(["versions", "--peers", "rust,python", "--pyzmq", &escape])
        .output()
        .expect("interop runs");
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(victim.path().join("keep").is_file(), "the directory is untouched");
}

/// The children of `pid`, from /proc (Linux).
#[cfg(target_os = "linux")]
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|child| {
            std::fs::read_to_string(format!("/proc/{child}/stat")).is_ok_and(|stat| {
                // pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(pid)
            })
        })
        .collect()
}

/// A harness killed with SIGKILL cannot clean up: its peers end by themselves within a second
/// (they watch the stdin pipe it held), and the next run removes the ipc directory it left.
#[cfg(target_os = "linux")]
#[test]
fn peers_do_not_outlive_a_killed_harness_and_its_leftovers_are_swept() {
    use std::time::{Duration, Instant};
    let tmp = tempfile::tempdir().expect("a temporary directory");
    #[allow(clippy::disallowed_methods)] // The test kills this harness itself, so it holds it.
    let mut harness = std::process::Command::new(env!("CARGO_BIN_EXE_interop"))
        .args(["cell", "reqrep", "ipc", "c", "c", "--case", "heartbeat"])
        .env("TMPDIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("interop starts");
    let pid = harness.id();
    let deadline = Instant::now() + Duration::from_secs(300);
    let is_peer = |p: &u32| {
        std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == "c-peer")
    };
    let peers = loop {
        let peers: Vec<u32> = children_of(pid).into_iter().filter(is_peer).collect();
        if peers.len() >= 2 || Instant::now() > deadline {
            break peers;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(peers.len() >= 2, "the harness should be running both peers");
    harness.kill().expect("SIGKILL");
    let _ = harness.wait();
    let killed = Instant::now();
    // Running, not a zombie waiting for whoever adopted it to reap it.
    let running = |pid: &u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
        })
    };
    while peers.iter().any(running) {
        assert!(killed.elapsed() < Duration::from_millis(1500), "peers {peers:?} outlived it");
        std::thread::sleep(Duration::from_millis(20));
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("readable").collect();
    assert_eq!(left.len(), 1, "the killed run left its ipc directory: {left:?}");
    let output = interop()
        .args(["cell", "reqrep", "tcp", "c", "c", "--case", "hello"])
        .env("TMPDIR", tmp.path())
        .output()
        .expect("interop runs");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert_eq!(std::fs::read_dir(tmp.path()).expect("readable").count(), 0, "swept");
}

/// A harness killed with SIGKILL in the middle of a cell across hosts leaves its two network
/// namespaces, the tunnel's `sshd` and `ssh` (which, unlike the peers, watch no pipe of the
/// harness); the next run removes the namespaces and ends every process inside them.
#[cfg(target_os = "linux")]
#[test]
fn a_killed_run_across_hosts_leaves_nothing_after_the_next_run() {
    use std::time::{Duration, Instant};
    if let Err(why) = harness::hosts::privileged() {
        eprintln!("skip: {why}");
        return;
    }
    if let Err(why) =
        harness::hosts::can_make_hosts().and_then(|()| harness::hosts::ssh::available())
    {
        assert!(!harness::settings::require_all(), "INTEROP_REQUIRE_ALL=1: {why}");
        eprintln!("skip: {why}");
        return;
    }
    #[allow(clippy::disallowed_methods)] // The test kills this harness itself, so it holds it.
    let mut harness = std::process::Command::new(env!("CARGO_BIN_EXE_interop"))
        .args(["cell", "pubsub", "ssh", "c", "c", "--case", "tunnel-death"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("interop starts");
    let prefix = format!("zi-{}-", harness.id());
    let hosts = || -> Vec<String> {
        std::fs::read_dir("/run/netns")
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                    .filter(|name| name.starts_with(&prefix))
                    .collect()
            })
            .unwrap_or_default()
    };
    let inside = |host: &str| -> Vec<u32> {
        #[allow(clippy::disallowed_methods)] // A probe of the test's own, not a peer.
        let out = std::process::Command::new("ip").args(["netns", "pids", host]).output();
        out.map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default()
    };
    let is = |pid: &u32, name: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == name)
    };
    // Wait until both hosts run the cell: sshd on one, ssh and a peer on the other.
    let deadline = Instant::now() + Duration::from_secs(300);
    let processes = loop {
        let processes: Vec<u32> = hosts().iter().flat_map(|h| inside(h)).collect();
        let ready =
            ["sshd", "ssh", "c-peer"].iter().all(|name| processes.iter().any(|p| is(p, name)));
        if ready || Instant::now() > deadline {
            break processes;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(hosts().len(), 2, "the cell should have its two hosts");
    harness.kill().expect("SIGKILL");
    let _ = harness.wait();
    assert_eq!(hosts().len(), 2, "a killed harness cannot remove its hosts");
    let output = interop()
        .args(["cell", "reqrep", "tcp", "c", "c", "--case", "hello"])
        .output()
        .expect("interop runs");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("removed 2 network hosts"),
        "{}",
        transcript(&output)
    );
    assert!(hosts().is_empty(), "the next run removes the hosts: {:?}", hosts());
    let running = |pid: &u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit_once(')').is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
        })
    };
    let left: Vec<&u32> = processes.iter().filter(|p| running(p)).collect();
    assert!(left.is_empty(), "processes of the killed run's hosts still run: {left:?}");
}

/// Three `hash` shards merged give the unsharded run's cells and outcomes (timings aside); a
/// shard of another plan is refused in one line; a missing shard fails the merged verdict.
#[test]
fn shards_merge_into_the_unsharded_run() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let json = |name: &str| dir.path().join(name);
    let select = ["--peers", "c,rust", "--case", "hello,empty,multipart"];
    let run_with = |args: &[&str], extra: &[&str], out: &Path| {
        let output = interop()
            .args(["matrix"])
            .args(args)
            .args(extra)
            .arg("--json")
            .arg(out)
            .output()
            .expect("interop runs");
        assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    };
    let run = |extra: &[&str], out: &Path| run_with(&select, extra, out);
    run(&[], &json("all.json"));
    for k in 1..=3 {
        run(&["--partition", &format!("hash:{k}/3")], &json(&format!("s{k}.json")));
    }
    let merge = |shards: &[&str]| {
        interop()
            .args(["report", "merge"])
            .args(shards.iter().map(|s| json(s)))
            .arg("--json")
            .arg(json("merged.json"))
            .output()
            .expect("interop runs")
    };
    let output = merge(&["s2.json", "s3.json", "s1.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let outcomes = |name: &str| -> Vec<(String, String)> {
        let text = std::fs::read_to_string(json(name)).expect("a report");
        let report: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        report["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .map(|c| {
                let name = format!(
                    "{}::{}::{}::{}_to_{}",
                    c["pattern"], c["transport"], c["case"], c["sender"], c["receiver"]
                );
                (name, c["status"].to_string())
            })
            .collect()
    };
    assert_eq!(outcomes("merged.json"), outcomes("all.json"));
    let missing = merge(&["s1.json", "s3.json"]);
    assert_eq!(missing.status.code(), Some(1), "{}", transcript(&missing));
    assert!(String::from_utf8_lossy(&missing.stdout).contains("missing: no shard reported"));
    let other_plan = ["--peers", "c", "--case", "hello", "--partition", "count:2/3"];
    run_with(&other_plan, &[], &json("other.json"));
    let other = merge(&["s1.json", "other.json"]);
    let stderr = String::from_utf8_lossy(&other.stderr);
    assert_eq!(other.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("is of another plan than"), "{stderr}");
}
