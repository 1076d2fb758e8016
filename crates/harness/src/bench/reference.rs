//! `--reference`: the yardsticks the peers' throughput is judged against, measured side by side
//! in the same run with the same message counts:
//!
//! - `libzmq-perf`: libzmq's own `local_thr`/`remote_thr` (from the libzmq sources `zeromq-src`
//!   vendors), compiled with the platform C++ compiler against the libzmq the `c` peer links;
//!   the C->C figures should match them.
//! - `pyzmq-bare`: `python/reference/bare_thr.py`, a bare pyzmq send/recv loop run in the Python
//!   peer's venv; the Python->Python figures should come close.
//!
//! Both print libzmq's `mean throughput: N [msg/s]` line and take a fixed endpoint, so tcp uses a
//! port the system just handed out (bound, then released): the one place a port is chosen
//! before use, since these tools cannot report a wildcard's resolution.

use super::stats::Spread;
use super::{BenchCell, BenchResult};
use crate::bootstrap::{Missing, PeerSet, c};
use crate::process::{self, Spec};
use crate::settings;
use crate::transport::Transport;
use crate::workspace::Workspace;
use contract::output::BenchKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Each yardstick and the pair it is held against.
pub const YARDSTICKS: [(&str, (&str, &str)); 2] =
    [("libzmq-perf", ("c", "c")), ("pyzmq-bare", ("python", "python"))];

/// The pair `name` is the yardstick for, if it is one.
#[must_use]
pub fn compared_pair(name: &str) -> Option<(&'static str, &'static str)> {
    YARDSTICKS.iter().find(|(n, _)| *n == name).map(|(_, pair)| *pair)
}

/// A way to run a throughput pair outside the peer contract.
#[derive(Debug, Clone)]
pub struct Reference {
    /// `libzmq-perf` or `pyzmq-bare`.
    pub name: &'static str,
    /// The receiving program and its leading arguments.
    receiver: (PathBuf, Vec<String>),
    /// The sending program and its leading arguments.
    sender: (PathBuf, Vec<String>),
}

/// The references that can be built here; each missing one with its reason.
#[must_use]
pub fn prepare(workspace: &Workspace, peers: &PeerSet) -> Vec<Result<Reference, String>> {
    vec![libzmq_perf(workspace, peers), pyzmq_bare(workspace, peers)]
}

fn libzmq_perf(workspace: &Workspace, peers: &PeerSet) -> Result<Reference, String> {
    let perf = perf_sources(workspace)?;
    let libzmq = match peers.get("c") {
        Some(Ok(peer)) if peer.libzmq_origin.starts_with("system") => c::system_libzmq()?,
        Some(Ok(_)) => {
            return Err("the c peer links no system libzmq; libzmq-perf needs one".into());
        }
        _ => return Err("the c peer is unavailable".into()),
    };
    let compiler = c::Compiler::discover_cpp().map_err(|m: Missing| m.reason)?;
    let build = |name: &str| -> Result<PathBuf, String> {
        let source = perf.join(format!("{name}.cpp"));
        c::build_reference(workspace, &compiler, &source, &libzmq).map_err(|m| m.reason)
    };
    Ok(Reference {
        name: "libzmq-perf",
        receiver: (build("local_thr")?, Vec::new()),
        sender: (build("remote_thr")?, Vec::new()),
    })
}

/// `zeromq-src`'s `vendor/perf`, found through `cargo metadata`.
fn perf_sources(workspace: &Workspace) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    let spec = Spec::new("cargo metadata", cargo).cwd(workspace.root()).args([
        "metadata",
        "--format-version",
        "1",
        "--filter-platform",
        env!("INTEROP_BUILD_TARGET"),
    ]);
    let done = process::run(&spec, settings::build_timeout()).map_err(|e| e.to_string())?;
    let metadata: serde_json::Value =
        serde_json::from_str(&done.stdout.join("\n")).map_err(|e| {
            format!("cargo metadata gave no JSON ({e}): {}", done.reason().unwrap_or(""))
        })?;
    let manifest = metadata["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|p| p["name"] == "zeromq-src"))
        .and_then(|p| p["manifest_path"].as_str())
        .ok_or("cargo metadata lists no zeromq-src package")?;
    let perf = Path::new(manifest).with_file_name("vendor").join("perf");
    if perf.join("local_thr.cpp").is_file() {
        Ok(perf)
    } else {
        Err(format!("{} holds no local_thr.cpp", perf.display()))
    }
}

fn pyzmq_bare(workspace: &Workspace, peers: &PeerSet) -> Result<Reference, String> {
    let Some(Ok(python)) = peers.get("python") else {
        return Err("the python peer is unavailable".into());
    };
    let interpreter = python
        .launch
        .programs
        .first()
        .map(|(_, p)| p.clone())
        .ok_or("the python peer has no interpreter")?;
    let script = workspace.source("python").join("reference").join("bare_thr.py");
    let script = script.to_string_lossy().into_owned();
    Ok(Reference {
        name: "pyzmq-bare",
        receiver: (interpreter.clone(), vec![script.clone(), "pull".into()]),
        sender: (interpreter, vec![script, "push".into()]),
    })
}

/// Why libzmq's tools are not run over ipc. They have no readiness signal, and here about one
/// ipc run in three loses messages and leaves `local_thr` waiting forever, whether `remote_thr`
/// starts at once, once the socket file exists, or once a probe connection succeeds. (The
/// peers, whose connector starts after the binder's ready line, ran 15 of 15 such runs clean.)
const NO_IPC: &str = "libzmq-perf runs over tcp only: started without a readiness signal, about \
                      one ipc run in three loses messages here and local_thr never finishes";

const ON_LOOPBACK_ONLY: &str =
    "the references run on this machine's loopback and ipc only, not across hosts";

impl Reference {
    /// Whether this reference is measured beside `cell`: `None` when it is not its yardstick,
    /// `Some(Err(reason))` when it is but cannot run there.
    #[must_use]
    pub fn applies_to(&self, cell: &BenchCell) -> Option<Result<BenchCell, String>> {
        let (sender, receiver) = compared_pair(self.name)?;
        if cell.kind != BenchKind::Thr || cell.sender != sender || cell.receiver != receiver {
            return None;
        }
        let own = BenchCell {
            kind: BenchKind::Thr,
            sender: self.name.into(),
            receiver: self.name.into(),
            transport: cell.transport,
            size: cell.size,
        };
        if self.name == "libzmq-perf" && cell.transport == Transport::Ipc {
            return Some(Err(NO_IPC.into()));
        }
        if cell.transport.across_hosts() {
            return Some(Err(ON_LOOPBACK_ONLY.into()));
        }
        Some(Ok(own))
    }

    /// One run of `count` messages; the rate by the peers' method.
    ///
    /// # Errors
    /// Why the run failed, with the tools' output.
    pub fn run_once(&self, transport: Transport, size: u64, count: u64) -> Result<f64, String> {
        run_once(self, transport, size, count)
    }
}

/// The result of a reference's runs beside a cell.
#[must_use]
pub fn result(own: &BenchCell, count: u64, rates: &[f64]) -> BenchResult {
    let msgs_per_s = Spread::of(rates);
    #[allow(clippy::cast_precision_loss)]
    let mb_per_s = msgs_per_s.map(|s| s.scaled(own.size as f64 / 1e6));
    BenchResult {
        count,
        status: "ok".into(),
        msgs_per_s,
        mb_per_s,
        rates: rates.to_vec(),
        ..BenchResult::unmeasured(own, "ok", String::new())
    }
}

/// One run; the rate by our method, `(count - 1) / elapsed`, recovered from the tool's
/// `count / elapsed`.
fn run_once(
    reference: &Reference,
    transport: Transport,
    size: u64,
    count: u64,
) -> Result<f64, String> {
    let dir = crate::endpoint::private_dir(&std::env::temp_dir())?;
    let endpoint = match transport {
        Transport::Tcp => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| format!("no free port: {e}"))?
                .port();
            format!("tcp://127.0.0.1:{port}")
        }
        Transport::Ipc => crate::endpoint::ipc_endpoint(
            &dir.path().join("s").to_string_lossy(),
            crate::endpoint::Platform::current(),
        )?,
        Transport::Hosts | Transport::Hosts1g | Transport::Ssh => {
            return Err(ON_LOOPBACK_ONLY.into());
        }
    };
    let args = [endpoint, size.to_string(), count.to_string()];
    let spec = |label: &str, (program, lead): &(PathBuf, Vec<String>)| {
        Spec::new(label, program).args(lead).args(&args)
    };
    let deadline = Instant::now() + settings::scaled(Duration::from_secs(30));
    // These tools print no ready line; the sender may connect before the receiver binds, which
    // libzmq's reconnection absorbs over tcp.
    let receiver =
        process::spawn(&spec(reference.name, &reference.receiver)).map_err(|e| e.to_string())?;
    let sender =
        process::spawn(&spec(reference.name, &reference.sender)).map_err(|e| e.to_string())?;
    let sent = sender.wait(deadline);
    let received = receiver.wait(deadline);
    if !sent.succeeded() || !received.succeeded() {
        return Err(format!(
            "{} failed: {} / {}: {}",
            reference.name,
            sent.exit,
            received.exit,
            received.stdout.join(" ")
        ));
    }
    let tool_rate = received
        .stdout
        .iter()
        .find_map(|line| {
            line.strip_prefix("mean throughput: ")?
                .strip_suffix(" [msg/s]")?
                .trim()
                .parse::<f64>()
                .ok()
        })
        .ok_or_else(|| {
            format!(
                "{} printed no `mean throughput: N [msg/s]` line: {:?}",
                reference.name, received.stdout
            )
        })?;
    #[allow(clippy::cast_precision_loss)]
    let rate = tool_rate * (count.saturating_sub(1)) as f64 / count.max(1) as f64;
    Ok(rate)
}
