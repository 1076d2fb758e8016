//! Bootstrap: build or find every requested peer, once, and say why any is missing.
//!
//! Each peer's registry entry (`registry.rs`) says how: cargo, the C or C++ compiler and a
//! libzmq, a Python venv, `npm ci`, or `javac` against a JeroMQ jar. Peers build in parallel;
//! what two peers share (a cargo build, a compiler) is built once. Results are cached under
//! `target/interop/` and guarded by a file lock, so concurrent harness processes (nextest runs
//! one per test) share one build.

pub mod c;
pub mod cpp;
pub mod debian;
pub mod java;
pub mod mingw;
pub mod node;
pub mod python;
pub mod release;
pub mod rust;
pub mod stamp;
pub mod wine;

use crate::peer::{Launch, Peer};
use crate::registry::{self, Build, Jar, Libzmq, PeerEntry};
use crate::workspace::Workspace;
use contract::Role;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

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

    /// Measures the ZMTP revision of every available peer not yet measured, in parallel.
    pub fn measure_zmtp(&mut self) {
        std::thread::scope(|scope| {
            for (_, entry) in &mut self.entries {
                if let Ok(peer) = entry
                    && peer.zmtp.is_none()
                {
                    scope.spawn(|| peer.zmtp = Some(crate::zmtp::measure(peer)));
                }
            }
        });
    }
}

/// A build that runs once, however many peers wait for it.
type Once<T> = Arc<OnceLock<Result<T, Missing>>>;

/// What peers share while they are built: one cargo build per package list, one C compiler,
/// one C++ compiler.
struct Shared<'w> {
    workspace: &'w Workspace,
    cargo: Mutex<BTreeMap<Vec<String>, Once<rust::RustPeers>>>,
    compiler: OnceLock<Result<c::Compiler, Missing>>,
    cpp_compiler: OnceLock<Result<c::Compiler, Missing>>,
}

impl Shared<'_> {
    /// The cargo build of `packages`, run once however many peers ask.
    fn cargo(&self, packages: &[&str]) -> Result<rust::RustPeers, Missing> {
        let key: Vec<String> = packages.iter().map(|p| (*p).to_owned()).collect();
        let cell = match self.cargo.lock() {
            Ok(mut builds) => Arc::clone(builds.entry(key).or_default()),
            Err(_) => return Err(Missing::broken("a cargo build panicked")),
        };
        cell.get_or_init(|| rust::build(self.workspace, packages)).clone()
    }

    fn compiler(&self) -> Result<c::Compiler, Missing> {
        self.compiler.get_or_init(c::Compiler::discover).clone()
    }

    fn cpp_compiler(&self) -> Result<c::Compiler, Missing> {
        self.cpp_compiler.get_or_init(c::Compiler::discover_cpp).clone()
    }

    /// The static libzmq `zmq-sys` builds, from the rust-zmq peers' build.
    fn vendored(&self) -> Option<rust::VendoredLibzmq> {
        let packages = registry::PEERS.iter().find_map(|entry| match entry.build {
            Build::Cargo { packages, .. } if entry.engine == "libzmq" => Some(packages),
            _ => None,
        })?;
        self.cargo(packages).ok()?.vendored
    }
}

/// Builds or finds the peers named in `wanted` (registry ids); `progress` hears of each step.
///
/// # Errors
/// An unknown id, or a cache directory that cannot be created or locked; a peer that cannot
/// be built is an entry with its [`Missing`] reason, not an error.
pub fn bootstrap(
    workspace: &Workspace,
    wanted: &[String],
    progress: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<PeerSet> {
    registry::check_ids(wanted).map_err(anyhow::Error::msg)?;
    let entries: Vec<&PeerEntry> = wanted.iter().filter_map(|id| registry::find(id).ok()).collect();
    let _lock = lock_cache(&workspace.cache(), progress)?;
    // Announced in order, then built in parallel.
    for entry in &entries {
        progress(&format!("{}: {}", entry.id, describe(entry.build)));
    }
    let shared = Shared {
        workspace,
        cargo: Mutex::default(),
        compiler: OnceLock::new(),
        cpp_compiler: OnceLock::new(),
    };
    let built: Vec<Result<Peer, Missing>> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            entries.iter().map(|entry| scope.spawn(|| build(entry, &shared))).collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| Err(Missing::broken("the build panicked")))
            })
            .collect()
    });
    let mut peers = PeerSet::default();
    for (entry, result) in entries.iter().zip(built) {
        peers.insert(entry.id, result);
    }
    Ok(peers)
}

/// Takes the cache's lock, saying so when another harness holds it. The file is opened
/// without truncation: on Windows, truncating a file another process has locked fails.
fn lock_cache(
    cache: &std::path::Path,
    progress: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(cache)?;
    let path = cache.join("bootstrap.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let mut announced = false;
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(lock),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(anyhow::anyhow!("cannot lock {}: {e}", path.display()));
            }
        }
        if !announced {
            progress(&format!(
                "waiting for another interop to finish building peers ({} is locked)",
                path.display()
            ));
            announced = true;
        }
        // Polled, not blocked on, so that Ctrl-C ends the wait at once.
        anyhow::ensure!(
            !crate::process::cancelled(),
            "interrupted while waiting for {}",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Builds one registry entry.
fn build(entry: &PeerEntry, shared: &Shared<'_>) -> Result<Peer, Missing> {
    let workspace = shared.workspace;
    match entry.build {
        Build::Cargo { packages, programs } => {
            let built = shared.cargo(packages)?;
            let programs = programs
                .iter()
                .map(|(role, name)| Ok((*role, built.executable(name)?)))
                .collect::<Result<Vec<_>, Missing>>()?;
            let origin = if entry.engine == "libzmq" {
                "static libzmq built by zmq-sys".to_owned()
            } else {
                format!("no libzmq: {} speaks ZMTP itself", entry.engine)
            };
            let launch = Launch::new(programs, workspace.root());
            probe(entry.id, launch, origin, "cargo build --release".into())
        }
        Build::C(libzmq) => c_peer(entry.id, libzmq, shared),
        Build::Cpp(libzmq) => cpp_peer(entry.id, libzmq, shared),
        Build::Python => python::Requirements::default_for(workspace)
            .and_then(|requirements| python_peer(workspace, &requirements)),
        Build::Node => {
            let built = node::build(workspace)?;
            probe(entry.id, built.launch(workspace), built.origin(), built.built_with)
        }
        Build::Java(jar) => {
            let built = java::build(workspace, entry.id, jar)?;
            probe(entry.id, built.launch(workspace), built.origin, built.built_with)
        }
        Build::WindowsC { zeromq_src } => windows_c_peer(entry.id, zeromq_src, workspace),
    }
}

/// The C peer cross-built for Windows and run under Wine. Every tool is looked for before
/// anything is built, so a machine without one skips at once.
fn windows_c_peer(
    id: &str,
    zeromq_src: &'static str,
    workspace: &Workspace,
) -> Result<Peer, Missing> {
    let tools = mingw::Toolchain::find()?;
    let wine = wine::Wine::find(workspace)?;
    let exe = mingw::build_peer(workspace, &tools, zeromq_src)?;
    wine.prepare(&exe)?;
    let release = release::Release { zeromq_src };
    let origin = format!(
        "static libzmq {} cross-built for Windows without ipc from zeromq-src@{zeromq_src} \
         (crates.io); a Windows build run under {}",
        release.libzmq(),
        wine.version
    );
    let built_with = format!("{} (MinGW-w64), run by {}", tools.version, wine.version);
    let peer = probe(id, wine.launch(&exe, workspace.root()), origin, built_with)?;
    match peer.info.libzmq.as_deref() {
        Some(loaded) if loaded == release.libzmq() => Ok(peer),
        other => Err(Missing::broken(format!(
            "{} carries libzmq {}, not {}",
            exe.display(),
            other.unwrap_or("(unknown)"),
            release.libzmq()
        ))),
    }
}

/// What building an entry does, in a few words.
fn describe(build: Build) -> String {
    match build {
        Build::Cargo { packages, .. } => {
            format!("cargo build --release -p {}", packages.join(" -p "))
        }
        Build::C(Libzmq::Release(zeromq_src)) => {
            format!("c/*.c against libzmq from zeromq-src {zeromq_src} (crates.io)")
        }
        Build::C(_) => "c/*.c with the platform C compiler".to_owned(),
        Build::Cpp(_) => "cpp/*.cpp against cppzmq with the platform C++ compiler".to_owned(),
        Build::Python => "venv from python/requirements.txt".to_owned(),
        Build::Node => "npm ci of node/package.json".to_owned(),
        Build::Java(Jar::Debian { suite, version }) => {
            format!("javac against libjeromq-java {version} from Debian {suite}")
        }
        Build::Java(Jar::FromEnv) => "javac against the jar INTEROP_JEROMQ_JAR names".to_owned(),
        Build::WindowsC { zeromq_src } => format!(
            "c/*.c cross-built for Windows (MinGW-w64) against libzmq from zeromq-src \
             {zeromq_src} (crates.io), run under Wine"
        ),
    }
}

fn probe(id: &str, launch: Launch, origin: String, built_with: String) -> Result<Peer, Missing> {
    Peer::probe(id, launch, origin, built_with).map_err(Missing::broken)
}

/// The C peer against `libzmq`.
fn c_peer(id: &str, libzmq: Libzmq, shared: &Shared<'_>) -> Result<Peer, Missing> {
    let compiler = shared.compiler()?;
    let chosen = choose_libzmq(libzmq, shared)?;
    let exe = c::build_peer(shared.workspace, &compiler, &chosen)?;
    native_peer(id, &exe, &chosen, &compiler, shared)
}

/// The C++ peer (cppzmq) against `libzmq`.
fn cpp_peer(id: &str, libzmq: Libzmq, shared: &Shared<'_>) -> Result<Peer, Missing> {
    let compiler = shared.cpp_compiler()?;
    let chosen = choose_libzmq(libzmq, shared)?;
    let exe = cpp::build_peer(shared.workspace, &compiler, &chosen)?;
    native_peer(id, &exe, &chosen, &compiler, shared)
}

/// The libzmq a C or C++ peer links: the system's when pkg-config finds one (else the vendored
/// one), for `Vendored` the vendored one beside a system one, for a release that release.
fn choose_libzmq(libzmq: Libzmq, shared: &Shared<'_>) -> Result<c::Libzmq, Missing> {
    Ok(match (libzmq, c::system_libzmq()) {
        (Libzmq::Release(zeromq_src), _) => {
            let release = release::Release { zeromq_src };
            let lib = release::build(shared.workspace, release)?;
            c::Libzmq::Release { version: release.libzmq().to_owned(), lib }
        }
        (Libzmq::SystemOrVendored, Ok(system)) => system,
        (Libzmq::SystemOrVendored, Err(why)) => {
            shared.vendored().map(c::Libzmq::Vendored).ok_or_else(|| {
                Missing::toolchain(format!(
                    "no libzmq to link: pkg-config: {why}; and the Rust build exposed no vendored one"
                ))
            })?
        }
        (Libzmq::Vendored, Err(why)) => {
            return Err(Missing::toolchain(format!(
                "`c` already links the vendored libzmq (no system libzmq: {why})"
            )));
        }
        (Libzmq::Vendored, Ok(_)) => shared
            .vendored()
            .map(c::Libzmq::Vendored)
            .ok_or_else(|| Missing::toolchain("the Rust build exposed no vendored libzmq"))?,
    })
}

/// A compiled peer (one executable for every role) that answers `--info`; a release peer only
/// if the libzmq it loaded is that release.
fn native_peer(
    id: &str,
    exe: &std::path::Path,
    chosen: &c::Libzmq,
    compiler: &c::Compiler,
    shared: &Shared<'_>,
) -> Result<Peer, Missing> {
    let launch =
        Launch::new(Role::ALL.map(|r| (r, exe.to_path_buf())).to_vec(), shared.workspace.root());
    let peer = probe(id, launch, chosen.describe(), compiler.version().to_owned())?;
    // A release peer is only worth its name if the library it loaded says so.
    if let c::Libzmq::Release { version, lib } = chosen
        && peer.info.libzmq.as_deref() != Some(version.as_str())
    {
        return Err(Missing::broken(format!(
            "{} carries libzmq {}, not {version}",
            lib.package,
            peer.info.libzmq.as_deref().unwrap_or("(unknown)")
        )));
    }
    Ok(peer)
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
    let interpreter = python::find_interpreter_for(requirements.python.as_deref())?;
    let python = python::ensure_venv(workspace, &interpreter, requirements)?;
    probe(
        "python",
        python_launch(workspace, &python, requirements.python.as_deref()),
        "bundled with the pyzmq wheel".into(),
        format!("venv {} from {}", requirements.key, interpreter.display()),
    )
}

/// Python peers run `python/peer.py`. Bytecode caches go under `target/`, not the sources, and
/// are written even where the environment says not to: recompiling the package costs each
/// peer a tenth of a second. CPython before 3.8 (`minor`, when the venv asked for one) has no
/// such prefix: it writes no bytecode at all rather than write it into the source tree.
pub fn python_launch(
    workspace: &Workspace,
    python: &std::path::Path,
    minor: Option<&str>,
) -> Launch {
    let mut launch =
        Launch::new(Role::ALL.map(|r| (r, python.to_path_buf())).to_vec(), workspace.root());
    launch.prefix = vec![workspace.source("python").join("peer.py").into_os_string()];
    launch.env = vec![
        (OsString::from("PYTHONPYCACHEPREFIX"), workspace.cache().join("pycache").into_os_string()),
        (OsString::from("PYTHONNOUSERSITE"), OsString::from("1")),
    ];
    let before_3_8 = minor.is_some_and(|m| {
        let (major, minor) = m.split_once('.').unwrap_or((m, "0"));
        (major.parse().unwrap_or(3), minor.parse().unwrap_or(99)) < (3_u32, 8_u32)
    });
    if before_3_8 {
        launch.env.push((OsString::from("PYTHONDONTWRITEBYTECODE"), OsString::from("1")));
    } else {
        launch.env_removed = vec![OsString::from("PYTHONDONTWRITEBYTECODE")];
    }
    launch
}

/// A program found on PATH, or the toolchain skip naming it.
///
/// # Errors
/// [`Missing::toolchain`]: `node not found on PATH`.
pub fn on_path(name: &str) -> Result<PathBuf, Missing> {
    which::which(name).map_err(|_| Missing::toolchain(format!("{name} not found on PATH")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_bootstrap_waits_for_the_lock_says_so_and_truncates_nothing() {
        let cache = tempfile::tempdir().unwrap();
        let path = cache.path().join("bootstrap.lock");
        std::fs::write(&path, "held by the first").unwrap();
        let first = lock_cache(cache.path(), &|_| {}).unwrap();
        let (said, heard) = mpsc::channel();
        let second = std::thread::spawn({
            let cache = cache.path().to_path_buf();
            move || {
                let said = std::sync::Mutex::new(said);
                let tell = |step: &str| {
                    let _ = said.lock().map(|s| s.send(step.to_owned()));
                };
                lock_cache(&cache, &tell).map(drop)
            }
        });
        let message = heard.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(message.starts_with("waiting for another interop"), "{message}");
        assert!(!second.is_finished(), "the second waits while the first holds the lock");
        // Opening to lock must not truncate: on Windows that fails against a held lock.
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "held by the first");
        drop(first);
        second.join().unwrap().unwrap();
    }
}
