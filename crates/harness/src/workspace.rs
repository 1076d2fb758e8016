//! Where things are: the source tree the harness was built from, and its cache under `target/`.
//!
//! The harness drives peers whose sources live beside it (`c/`, `python/`, `crates/rust-*`),
//! so it locates the workspace from its own build, or from `INTEROP_WORKSPACE` when the binary
//! was moved. Everything it builds goes under `<target>/interop/`, which `cargo clean` removes.

use std::path::{Path, PathBuf};

/// The workspace's directories.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
    target: PathBuf,
}

impl Workspace {
    /// The workspace this harness belongs to.
    ///
    /// # Errors
    /// When the directory holds no `Cargo.toml` (a moved binary without `INTEROP_WORKSPACE`).
    pub fn locate() -> anyhow::Result<Self> {
        let root = match std::env::var_os("INTEROP_WORKSPACE") {
            Some(dir) => PathBuf::from(dir),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize()?,
        };
        anyhow::ensure!(
            root.join("Cargo.toml").is_file()
                && root.join("c").is_dir()
                && root.join("python").is_dir(),
            "{} is not the zmq-interop workspace (set INTEROP_WORKSPACE to its directory)",
            root.display()
        );
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => root.join(dir),
            None => root.join("target"),
        };
        Ok(Self { root, target })
    }

    /// The workspace root (where `Cargo.toml` is).
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The harness's cache: `<target>/interop`.
    #[must_use]
    pub fn cache(&self) -> PathBuf {
        self.target.join("interop")
    }

    /// A source directory of the workspace (`c`, `python`, `testdata`).
    #[must_use]
    pub fn source(&self, dir: &str) -> PathBuf {
        self.root.join(dir)
    }
}
