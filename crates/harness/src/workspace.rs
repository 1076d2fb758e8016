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
            Some(dir) => std::path::absolute(dir)?,
            None => built_from(Path::new(env!("CARGO_MANIFEST_DIR"))),
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

    /// The workspace root (where `Cargo.toml` is): an absolute path in the platform's plain
    /// form, never Windows' verbatim `\\?\D:\...`, which cl.exe's `/I` and Python's bytecode
    /// cache do not understand.
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

/// The workspace root from the harness crate's manifest directory (`<root>/crates/harness`),
/// which cargo gives absolute and plain. Not `canonicalize`: on Windows it returns a verbatim
/// path (`\\?\D:\a\...`) that then flows into every compiler and peer command line.
fn built_from(manifest_dir: &Path) -> PathBuf {
    manifest_dir.ancestors().nth(2).unwrap_or(manifest_dir).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_two_levels_above_the_harness_and_never_verbatim() {
        let root = built_from(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(root.join("Cargo.toml").is_file() && root.join("crates/harness").is_dir());
        // has_root, not is_absolute: under Wine the compiled-in manifest directory is a Unix path.
        assert!(root.has_root());
        assert!(!root.to_string_lossy().starts_with(r"\\?\"), "{}", root.display());
        let located = Workspace::locate().unwrap();
        assert!(!located.root().to_string_lossy().contains(r"\\?\"));
    }

    #[cfg(windows)]
    #[test]
    fn a_windows_root_keeps_its_drive_form() {
        let root = built_from(Path::new(r"D:\a\zmq-interop\crates\harness"));
        assert_eq!(root, Path::new(r"D:\a\zmq-interop"));
    }
}
