//! The Node.js peer: `npm ci` of `node/package.json` and its lockfile into the cache, so the
//! source tree never gets a `node_modules`; the peer runs as `node node/peer.js` with
//! `NODE_PATH` pointing at the cached modules.

use super::{Missing, on_path, stamp};
use crate::peer::Launch;
use crate::process::{self, Spec};
use crate::settings;
use crate::workspace::Workspace;
use contract::Role;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The installed peer.
#[derive(Debug, Clone)]
pub struct NodePeer {
    /// The `node` executable.
    pub node: PathBuf,
    /// Where `npm ci` put the modules.
    pub modules: PathBuf,
    /// `node v20.20.2, npm 11.19.1`.
    pub built_with: String,
}

impl NodePeer {
    /// Every role runs `node node/peer.js` with `NODE_PATH` set.
    #[must_use]
    pub fn launch(&self, workspace: &Workspace) -> Launch {
        let mut launch =
            Launch::new(Role::ALL.map(|r| (r, self.node.clone())).to_vec(), workspace.root());
        launch.prefix = vec![workspace.source("node").join("peer.js").into_os_string()];
        launch.env = vec![(OsString::from("NODE_PATH"), self.modules.clone().into_os_string())];
        launch
    }

    /// Where its libzmq comes from.
    #[must_use]
    pub fn origin(&self) -> String {
        "bundled with zeromq.js's prebuilt addon (npm)".into()
    }
}

/// Installs (or finds fresh) the peer's dependencies.
///
/// # Errors
/// [`Missing::toolchain`] without node or npm or when the install fails (no registry).
pub fn build(workspace: &Workspace) -> Result<NodePeer, Missing> {
    let node = on_path("node")?;
    let npm = on_path("npm")?;
    let node_version = version_of(&node)?;
    let npm_version = version_of(&npm)?;
    let dir = workspace.cache().join("node");
    let modules = dir.join("node_modules");
    let source = workspace.source("node");
    let mut inputs = format!("{node_version}\n{npm_version}\n");
    for file in ["package.json", "package-lock.json"] {
        let path = source.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Missing::broken(format!("cannot read {}: {e}", path.display())))?;
        inputs.push_str(&text);
    }
    let built_with = format!("node {node_version}, npm {npm_version}");
    let stamp_file = dir.join("interop-stamp.txt");
    if modules.is_dir() && stamp::is_fresh(&stamp_file, &inputs) {
        return Ok(NodePeer { node, modules, built_with });
    }
    install(&npm, &source, &dir)?;
    stamp::record(&stamp_file, &inputs)
        .map_err(|e| Missing::broken(format!("cannot write {}: {e}", stamp_file.display())))?;
    Ok(NodePeer { node, modules, built_with })
}

/// `npm ci` in a fresh copy of the package files; on failure nothing half-made is left.
fn install(npm: &Path, source: &Path, dir: &Path) -> Result<(), Missing> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .map_err(|e| Missing::broken(format!("cannot remove stale {}: {e}", dir.display())))?;
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Missing::broken(format!("cannot create {}: {e}", dir.display())))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(source.join(file), dir.join(file))
            .map_err(|e| Missing::broken(format!("cannot copy node/{file}: {e}")))?;
    }
    let spec = Spec::new("npm ci", npm).cwd(dir).args([
        "ci",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]);
    let done = process::run(&spec, settings::build_timeout())
        .map_err(|e| Missing::toolchain(e.to_string()))?;
    if !done.succeeded() {
        let _ = std::fs::remove_dir_all(dir);
        return Err(Missing::toolchain(format!(
            "npm ci failed ({}): {}",
            done.exit,
            done.reason().unwrap_or("no message")
        )));
    }
    Ok(())
}

/// `v20.20.2` from `node --version`, `11.19.1` from `npm --version`.
fn version_of(program: &Path) -> Result<String, Missing> {
    let spec = Spec::new("version", program).arg("--version");
    let done = process::run(&spec, settings::scaled(std::time::Duration::from_secs(60)))
        .map_err(|e| Missing::toolchain(e.to_string()))?;
    match done.stdout.first() {
        Some(line) if done.succeeded() => Ok(line.trim().to_owned()),
        _ => Err(Missing::toolchain(format!(
            "`{}` failed ({}): {}",
            done.command_line,
            done.exit,
            done.reason().unwrap_or("no message")
        ))),
    }
}
