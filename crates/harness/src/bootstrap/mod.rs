//! Bootstrap: build or find every peer, once, and say why any is missing.
//!
//! Rust peers come from cargo, C peers from the platform C compiler and a libzmq, Python peers
//! from a cached virtual environment. Results are cached under `target/interop/` and guarded
//! by a file lock, so concurrent harness processes (nextest runs one per test) share one build.

pub mod c;
pub mod python;
pub mod rust;
pub mod stamp;

use crate::peer::{Launch, Peer};
use crate::workspace::Workspace;
use contract::Role;
use std::ffi::OsString;
use std::fmt;

/// Why a peer is not available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// Whether this is the machine's doing or ours.
    pub kind: MissingKind,
    /// One line (or a few, for a compiler's output) a person can act on.
    pub reason: String,
}

/// The two ways a peer can be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingKind {
    /// A toolchain is absent (no python3, no C compiler, no network for pip): its cells skip,
    /// or fail under `INTEROP_REQUIRE_ALL=1`.
    Toolchain,
    /// The toolchain is there but our build failed: its cells fail.
    Broken,
}

impl Missing {
    /// A missing toolchain.
    pub fn toolchain(reason: impl Into<String>) -> Self {
        Self { kind: MissingKind::Toolchain, reason: reason.into() }
    }

    /// A failed build.
    pub fn broken(reason: impl Into<String>) -> Self {
        Self { kind: MissingKind::Broken, reason: reason.into() }
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

/// The peer ids the harness knows, in report order.
pub const PEER_IDS: [&str; 4] = ["rust", "c", "c-vendored", "python"];

/// The peers a matrix uses unless told otherwise.
pub const DEFAULT_PEERS: [&str; 3] = ["rust", "c", "python"];

/// Every requested peer, available or not.
#[derive(Debug, Clone, Default)]
pub struct PeerSet {
    entries: Vec<(String, Result<Peer, Missing>)>,
}

impl PeerSet {
    /// The entry for `id`.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Result<Peer, Missing>> {
        self.entries.iter().find(|(i, _)| i == id).map(|(_, e)| e)
    }

    /// Every entry, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Result<Peer, Missing>)> {
        self.entries.iter().map(|(id, e)| (id.as_str(), e))
    }

    /// Adds or replaces an entry.
    pub fn insert(&mut self, id: &str, entry: Result<Peer, Missing>) {
        self.entries.retain(|(i, _)| i != id);
        self.entries.push((id.to_owned(), entry));
    }
}

/// Builds or finds the peers named in `wanted`; `progress` hears of each step.
///
/// # Errors
/// Only when the cache directory cannot be created or locked; a peer that cannot be built is
/// an entry with its [`Missing`] reason, not an error.
pub fn bootstrap(
    workspace: &Workspace,
    wanted: &[String],
    progress: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<PeerSet> {
    let cache = workspace.cache();
    std::fs::create_dir_all(&cache)?;
    let lock = std::fs::File::create(cache.join("bootstrap.lock"))?;
    lock.lock()?;
    let wants = |id: &str| wanted.iter().any(|w| w == id);
    let wants_c = wants("c") || wants("c-vendored");

    let (rust, python) = std::thread::scope(|scope| {
        // The Rust build also yields the vendored libzmq, which C may need.
        let rust = scope.spawn(|| {
            (wants("rust") || wants_c).then(|| {
                progress("Rust peers: cargo build --release");
                rust::build(workspace)
            })
        });
        let python = wants("python").then(|| {
            progress("Python peers: venv from python/requirements.txt");
            python::Requirements::default_for(workspace).and_then(|r| python_peer(workspace, &r))
        });
        (
            rust.join().unwrap_or_else(|_| Some(Err(Missing::broken("the Rust build panicked")))),
            python,
        )
    });

    let mut peers = PeerSet::default();
    if wants("rust") {
        let entry = match &rust {
            Some(Ok(built)) => probe(
                "rust",
                rust_launch(workspace, built),
                "static libzmq built by zmq-sys".into(),
                "cargo build --release".into(),
            ),
            Some(Err(missing)) => Err(missing.clone()),
            None => Err(Missing::broken("the Rust build did not run")),
        };
        peers.insert("rust", entry);
    }
    if wants_c {
        progress("C peers: c/*.c with the platform C compiler");
        let vendored = rust.as_ref().and_then(|r| r.as_ref().ok()).and_then(|r| r.vendored.clone());
        for (id, entry) in c_peers(workspace, vendored) {
            if wants(&id) {
                peers.insert(&id, entry);
            }
        }
    }
    if let Some(entry) = python {
        peers.insert("python", entry);
    }
    Ok(peers)
}

fn probe(id: &str, launch: Launch, origin: String, built_with: String) -> Result<Peer, Missing> {
    Peer::probe(id, launch, origin, built_with).map_err(Missing::broken)
}

fn rust_launch(workspace: &Workspace, built: &rust::RustPeers) -> Launch {
    Launch {
        programs: vec![
            (Role::Pub, built.rust_pub.clone()),
            (Role::Sub, built.rust_pub.clone()),
            (Role::Rep, built.rust_rep.clone()),
            (Role::Req, built.rust_rep.clone()),
            (Role::ThrPush, built.rust_perf.clone()),
            (Role::ThrPull, built.rust_perf.clone()),
            (Role::LatReq, built.rust_perf.clone()),
            (Role::LatRep, built.rust_perf.clone()),
        ],
        prefix: Vec::new(),
        env: Vec::new(),
        env_removed: Vec::new(),
        cwd: workspace.root().to_path_buf(),
    }
}

/// `c` links the system libzmq when pkg-config finds one, else the vendored one; when both
/// exist, `c-vendored` is the second build.
fn c_peers(
    workspace: &Workspace,
    vendored: Option<rust::VendoredLibzmq>,
) -> Vec<(String, Result<Peer, Missing>)> {
    let compiler = match c::Compiler::discover() {
        Ok(compiler) => compiler,
        Err(missing) => {
            return vec![("c".into(), Err(missing.clone())), ("c-vendored".into(), Err(missing))];
        }
    };
    let system = c::system_libzmq();
    let vendored = vendored.map(c::Libzmq::Vendored);
    let flavors: Vec<(&str, Result<c::Libzmq, Missing>)> = match (system, vendored) {
        (Ok(system), vendored) => vec![
            ("c", Ok(system)),
            (
                "c-vendored",
                vendored
                    .ok_or_else(|| Missing::toolchain("the Rust build exposed no vendored libzmq")),
            ),
        ],
        (Err(why), Some(vendored)) => vec![
            ("c", Ok(vendored)),
            (
                "c-vendored",
                Err(Missing::toolchain(format!(
                    "`c` already links the vendored libzmq (no system libzmq: {why})"
                ))),
            ),
        ],
        (Err(why), None) => vec![
            (
                "c",
                Err(Missing::toolchain(format!(
                    "no libzmq to link: pkg-config: {why}; and the Rust build exposed no vendored one"
                ))),
            ),
            ("c-vendored", Err(Missing::toolchain("the Rust build exposed no vendored libzmq"))),
        ],
    };
    flavors
        .into_iter()
        .map(|(id, libzmq)| {
            let entry = libzmq.and_then(|libzmq| {
                let exe = c::build_peer(workspace, &compiler, &libzmq)?;
                let launch = Launch {
                    programs: Role::ALL.map(|r| (r, exe.clone())).to_vec(),
                    prefix: Vec::new(),
                    env: Vec::new(),
                    env_removed: Vec::new(),
                    cwd: workspace.root().to_path_buf(),
                };
                probe(id, launch, libzmq.describe(), compiler.version().to_owned())
            });
            (id.to_owned(), entry)
        })
        .collect()
}

/// The Python peer in a venv made from `requirements`.
///
/// # Errors
/// [`Missing`] when there is no interpreter, the venv cannot be made, or the peer does not
/// answer `--info`.
pub fn python_peer(
    workspace: &Workspace,
    requirements: &python::Requirements,
) -> Result<Peer, Missing> {
    let interpreter = python::find_interpreter()?;
    let python = python::ensure_venv(workspace, &interpreter, requirements)?;
    probe(
        "python",
        python_launch(workspace, &python),
        "bundled with the pyzmq wheel".into(),
        format!("venv {} from {}", requirements.key, interpreter.display()),
    )
}

/// Python peers run `python/peer.py`. Bytecode caches go under `target/`, not the sources, and
/// are written even where the environment says not to: recompiling the package costs each
/// peer a tenth of a second.
pub fn python_launch(workspace: &Workspace, python: &std::path::Path) -> Launch {
    Launch {
        programs: Role::ALL.map(|r| (r, python.to_path_buf())).to_vec(),
        prefix: vec![workspace.source("python").join("peer.py").into_os_string()],
        env: vec![
            (
                OsString::from("PYTHONPYCACHEPREFIX"),
                workspace.cache().join("pycache").into_os_string(),
            ),
            (OsString::from("PYTHONNOUSERSITE"), OsString::from("1")),
        ],
        env_removed: vec![OsString::from("PYTHONDONTWRITEBYTECODE")],
        cwd: workspace.root().to_path_buf(),
    }
}
