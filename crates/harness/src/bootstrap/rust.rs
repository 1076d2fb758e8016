//! The Rust peers: `cargo build --release` of a registry entry's packages into the harness's own
//! target directory, reading cargo's JSON messages for the executables and for the libzmq that
//! `zmq-sys` compiled (which the C peers can link when the system has none).
//!
//! A separate target directory keeps this nested cargo from waiting on the lock of the cargo
//! that runs the harness or its tests.

use super::Missing;
use crate::process::{self, Spec};
use crate::settings;
use crate::workspace::Workspace;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a cargo build produced.
#[derive(Debug, Clone)]
pub struct RustPeers {
    /// Each binary target built, by name.
    pub executables: BTreeMap<String, PathBuf>,
    /// The static libzmq `zmq-sys` built, if the build exposed it.
    pub vendored: Option<VendoredLibzmq>,
}

impl RustPeers {
    /// The executable of binary target `name`.
    ///
    /// # Errors
    /// [`Missing::broken`] when cargo reported no such executable.
    pub fn executable(&self, name: &str) -> Result<PathBuf, Missing> {
        self.executables.get(name).cloned().ok_or_else(|| {
            Missing::broken(format!("cargo built the peers but reported no executable {name}"))
        })
    }
}

/// A static libzmq compiled by `zmq-sys` (through `zeromq-src`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendoredLibzmq {
    /// Holds `zmq.h`.
    pub include: PathBuf,
    /// Holds `libzmq.a` (`zmq.lib` with MSVC).
    pub lib_dir: PathBuf,
    /// The `zmq-sys` package that built it, as cargo names it.
    pub package: String,
}

/// Builds (or finds fresh) the workspace packages `packages`.
///
/// # Errors
/// [`Missing`] when cargo is absent (a toolchain skip) or the build fails (broken).
pub fn build(workspace: &Workspace, packages: &[&str]) -> Result<RustPeers, Missing> {
    let cargo = cargo_program()?;
    let spec = Spec::new("cargo", cargo)
        .cwd(workspace.root())
        .args(["build", "--release", "--message-format=json-render-diagnostics"])
        .args(packages.iter().flat_map(|p| ["-p", p]))
        .arg("--target-dir")
        .arg(workspace.cache().join("cargo"));
    let done = process::run(&spec, settings::build_timeout())
        .map_err(|e| Missing::toolchain(e.to_string()))?;
    if !done.succeeded() {
        return Err(Missing::broken(format!(
            "cargo build of {} failed ({}): {}\n{}",
            packages.join(", "),
            done.exit,
            done.command_line,
            done.stderr_tail(30)
        )));
    }
    parse_messages(&done.stdout)
}

/// The cargo that runs the harness (`CARGO`), else the one on PATH.
///
/// # Errors
/// [`Missing::toolchain`] when there is none.
pub fn cargo_program() -> Result<PathBuf, Missing> {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .or_else(|| which::which("cargo").ok())
        .ok_or_else(|| Missing::toolchain("cargo not found on PATH"))
}

/// Reads cargo's `--message-format=json` lines.
fn parse_messages(lines: &[String]) -> Result<RustPeers, Missing> {
    let (mut executables, mut vendored) = (BTreeMap::new(), None);
    for message in lines.iter().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()) {
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                if let (Some(name), Some(executable)) =
                    (message["target"]["name"].as_str(), message["executable"].as_str())
                {
                    executables.insert(name.to_owned(), PathBuf::from(executable));
                }
            }
            Some("build-script-executed") => {
                let package = message["package_id"].as_str().unwrap_or_default();
                if is_zmq_sys(package) {
                    vendored = vendored_libzmq(&message, package);
                }
            }
            _ => {}
        }
    }
    if executables.is_empty() {
        return Err(Missing::broken("cargo built the Rust peers but reported no executables"));
    }
    Ok(RustPeers { executables, vendored })
}

/// Package ids look like `registry+https://...#zmq-sys@0.12.0` (or the older
/// `zmq-sys 0.12.0 (registry+...)`).
fn is_zmq_sys(package_id: &str) -> bool {
    package_id.contains("#zmq-sys@") || package_id.starts_with("zmq-sys ")
}

/// `zeromq-src` puts the library in `<out_dir>/lib` (announced as a native link path) and the
/// headers in `<out_dir>/source/include`; both are checked before use.
fn vendored_libzmq(message: &serde_json::Value, package: &str) -> Option<VendoredLibzmq> {
    let out_dir = PathBuf::from(message["out_dir"].as_str()?);
    let lib_dir = message["linked_paths"]
        .as_array()?
        .iter()
        .filter_map(|p| p.as_str())
        .map(|p| Path::new(p.strip_prefix("native=").unwrap_or(p)).to_path_buf())
        .find(|dir| dir.join("libzmq.a").is_file() || dir.join("zmq.lib").is_file())?;
    let include = out_dir.join("source").join("include");
    include.join("zmq.h").is_file().then(|| VendoredLibzmq {
        include,
        lib_dir,
        package: package.rsplit(['#', '/']).next().unwrap_or(package).to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executables_come_from_compiler_artifacts() {
        let lines = vec![
            r#"{"reason":"compiler-artifact","target":{"name":"rust-pub"},"executable":"/t/rust-pub"}"#.to_owned(),
            r#"{"reason":"compiler-artifact","target":{"name":"contract"},"executable":null}"#.to_owned(),
            r#"{"reason":"compiler-artifact","target":{"name":"rust-rep"},"executable":"/t/rust-rep"}"#.to_owned(),
            r#"{"reason":"compiler-artifact","target":{"name":"rust-perf"},"executable":"/t/rust-perf"}"#.to_owned(),
            r#"{"reason":"build-finished","success":true}"#.to_owned(),
        ];
        let peers = parse_messages(&lines).unwrap();
        assert_eq!(peers.executable("rust-pub").unwrap(), PathBuf::from("/t/rust-pub"));
        assert_eq!(peers.executable("rust-rep").unwrap(), PathBuf::from("/t/rust-rep"));
        assert!(peers.executable("contract").is_err(), "a library has no executable");
        assert_eq!(peers.vendored, None);
    }

    #[test]
    fn no_executables_is_a_broken_build() {
        let err = parse_messages(&[]).unwrap_err();
        assert!(err.reason.contains("no executables"));
    }

    #[test]
    fn the_vendored_library_is_found_from_the_build_script_message() {
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(out.path().join("lib")).unwrap();
        std::fs::create_dir_all(out.path().join("source/include")).unwrap();
        std::fs::write(out.path().join("lib/libzmq.a"), "").unwrap();
        std::fs::write(out.path().join("source/include/zmq.h"), "").unwrap();
        let message = serde_json::json!({
            "reason": "build-script-executed",
            "package_id": "registry+https://github.com/rust-lang/crates.io-index#zmq-sys@0.12.0",
            "linked_paths": [format!("native={}", out.path().join("lib").display())],
            "out_dir": out.path(),
        });
        let package = message["package_id"].as_str().unwrap();
        assert!(is_zmq_sys(package));
        let found = vendored_libzmq(&message, package).unwrap();
        assert_eq!(found.lib_dir, out.path().join("lib"));
        assert_eq!(found.package, "zmq-sys@0.12.0");
    }
}
