//! libzmq releases from crates.io: the `zeromq-src` crate carries libzmq's source (its 0.1
//! series 4.2.1–4.3.2, built with cmake; 0.2 4.3.4 and 0.3 4.3.5, built with the `cc` crate).
//! For each release the harness writes a tiny cargo project into the cache
//! (`target/interop/libzmq/<release>/`) whose build script is that crate's own build, pins the
//! exact crate release in the project's lock file (yanked releases included: a lock file may
//! name them), and reads cargo's JSON messages for the static library it produced. Nothing
//! comes from anywhere but the registry.

use super::Missing;
use super::rust::VendoredLibzmq;
use crate::process::{self, Spec};
use crate::settings;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A libzmq release as `zeromq-src` carries it: `0.1.10+4.3.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// The crate's exact version, build metadata included.
    pub zeromq_src: &'static str,
}

impl Release {
    /// The libzmq version: the crate version's build metadata (`4.3.2`).
    #[must_use]
    pub fn libzmq(self) -> &'static str {
        self.zeromq_src.split_once('+').map_or(self.zeromq_src, |(_, libzmq)| libzmq)
    }

    /// The 0.1 series drives libzmq's own cmake build; later ones compile with `cc`.
    #[must_use]
    pub fn uses_cmake(self) -> bool {
        self.zeromq_src.starts_with("0.1.")
    }

    /// The semver series the manifest asks for (`0.1`): the lock file pins the release.
    fn series(self) -> &'static str {
        self.zeromq_src.get(..3).unwrap_or(self.zeromq_src)
    }
}

/// The project's build script: the crate's build, nothing else. The 0.1 series returns its
/// artifacts (built static on request); later ones print their own cargo metadata.
fn build_script(release: Release) -> &'static str {
    if release.uses_cmake() {
        "//! Builds the pinned libzmq release (zeromq-src's cmake build), statically.\n\
         fn main() {\n    let _ = zeromq_src::Build::new().link_static(true).build();\n}\n"
    } else {
        "//! Builds the pinned libzmq release (zeromq-src's cc build), statically.\n\
         fn main() {\n    zeromq_src::Build::new().build();\n}\n"
    }
}

fn manifest(release: Release) -> String {
    format!(
        "# Written by the interop harness: builds libzmq {libzmq} from zeromq-src {exact}.\n\
         [package]\nname = \"libzmq-release\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\nbuild = \"build.rs\"\n\n\
         [build-dependencies]\nzeromq-src = \"{series}\"\n\n\
         # Its own workspace, not the harness's.\n[workspace]\n",
        libzmq = release.libzmq(),
        exact = release.zeromq_src,
        series = release.series(),
    )
}

/// Builds (or finds built) the static libzmq of `release`.
///
/// # Errors
/// [`Missing::toolchain`] without cargo, cmake (for the 0.1 series) or the registry;
/// [`Missing::broken`] when libzmq or the project does not build.
pub fn build(workspace: &Workspace, release: Release) -> Result<VendoredLibzmq, Missing> {
    let cargo = super::rust::cargo_program()?;
    if release.uses_cmake() {
        super::on_path("cmake").map_err(|m| {
            Missing::toolchain(format!("{m} (libzmq {} builds with cmake)", release.libzmq()))
        })?;
    }
    let root = workspace.cache().join("libzmq");
    let dir = root.join(release.libzmq());
    let manifest_path = prepare(&cargo, &dir, release)?;
    let spec = Spec::new("cargo", &cargo)
        .cwd(&dir)
        .args(["build", "--release", "--locked", "--message-format=json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(&manifest_path)
        .arg("--target-dir")
        .arg(root.join("target"))
        // Old libzmq's CMakeLists ask for cmake 2.8; cmake 4 refuses below 3.5 unless told.
        .env("CMAKE_POLICY_VERSION_MINIMUM", "3.5");
    let done = process::run(&spec, settings::build_timeout())
        .map_err(|e| Missing::toolchain(e.to_string()))?;
    if !done.succeeded() {
        return Err(Missing::broken(format!(
            "building libzmq {} (zeromq-src {}) failed ({}): {}\n{}",
            release.libzmq(),
            release.zeromq_src,
            done.exit,
            done.command_line,
            done.stderr_tail(30)
        )));
    }
    find_library(&done.stdout, release).ok_or_else(|| {
        Missing::broken(format!(
            "zeromq-src {} built, but no libzmq.a (or zmq.lib) and zmq.h were found in its \
             output directory",
            release.zeromq_src
        ))
    })
}

/// Writes the project and pins the release in its lock file; returns its manifest. One thread
/// at a time: a host build of a release and its cross-build for Windows share the project.
fn prepare(cargo: &Path, dir: &Path, release: Release) -> Result<PathBuf, Missing> {
    static PREPARING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = PREPARING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    write_project(dir, release)?;
    let manifest_path = dir.join("Cargo.toml");
    pin(cargo, &manifest_path, release)?;
    Ok(manifest_path)
}

/// The libzmq source tree the crate of `release` carries (its `vendor/` folder, with libzmq's
/// own `CMakeLists.txt`), fetched from the registry into cargo's cache if need be: for builds
/// that are not the crate's own, such as the cross-build for Windows ([`super::mingw`]).
///
/// # Errors
/// [`Missing::toolchain`] without cargo or the registry; [`Missing::broken`] when the crate
/// holds no libzmq source.
pub fn source(workspace: &Workspace, release: Release) -> Result<PathBuf, Missing> {
    let cargo = super::rust::cargo_program()?;
    let dir = workspace.cache().join("libzmq").join(release.libzmq());
    let manifest_path = prepare(&cargo, &dir, release)?;
    let spec = Spec::new("cargo", &cargo)
        .args(["metadata", "--locked", "--format-version", "1", "--manifest-path"])
        .arg(&manifest_path);
    let done = process::run(&spec, settings::build_timeout())
        .map_err(|e| Missing::toolchain(e.to_string()))?;
    if !done.succeeded() {
        return Err(Missing::toolchain(format!(
            "cannot fetch zeromq-src {} ({}): {}",
            release.zeromq_src,
            done.command_line,
            done.stderr_tail(3).trim()
        )));
    }
    crate_dir(&done.stdout.join("\n"), release)
        .map(|dir| dir.join("vendor"))
        .filter(|vendor| vendor.join("CMakeLists.txt").is_file())
        .ok_or_else(|| {
            Missing::broken(format!(
                "cargo metadata names no zeromq-src {} with a vendor/CMakeLists.txt",
                release.zeromq_src
            ))
        })
}

/// The folder of the crate `release` in `cargo metadata`'s output.
fn crate_dir(metadata: &str, release: Release) -> Option<PathBuf> {
    let metadata: serde_json::Value = serde_json::from_str(metadata).ok()?;
    metadata["packages"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == "zeromq-src" && p["version"] == release.zeromq_src)
        .and_then(|p| p["manifest_path"].as_str())
        .and_then(|manifest| Path::new(manifest).parent().map(Path::to_path_buf))
}

/// Writes the project's files, leaving unchanged ones alone (cargo's freshness is by time).
fn write_project(dir: &Path, release: Release) -> Result<(), Missing> {
    let files = [
        (dir.join("Cargo.toml"), manifest(release)),
        (dir.join("build.rs"), build_script(release).to_owned()),
        (dir.join("src").join("lib.rs"), "//! Empty: the build script is the point.\n".to_owned()),
    ];
    for (path, text) in files {
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            continue;
        }
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        written.map_err(|e| Missing::broken(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// Pins the exact release in the project's lock file, unless it is pinned already.
fn pin(cargo: &Path, manifest_path: &Path, release: Release) -> Result<(), Missing> {
    let lock = manifest_path.with_file_name("Cargo.lock");
    if locked_version(&lock).as_deref() == Some(release.zeromq_src) {
        return Ok(());
    }
    let steps: [&[&str]; 2] =
        [&["generate-lockfile"], &["update", "-p", "zeromq-src", "--precise", release.zeromq_src]];
    for step in steps {
        let spec = Spec::new("cargo", cargo).args(step).arg("--manifest-path").arg(manifest_path);
        let done = process::run(&spec, settings::build_timeout())
            .map_err(|e| Missing::toolchain(e.to_string()))?;
        if !done.succeeded() {
            // Most often the registry is out of reach: a machine's limit, not our bug.
            return Err(Missing::toolchain(format!(
                "cannot pin zeromq-src {} ({}): {}",
                release.zeromq_src,
                done.command_line,
                done.stderr_tail(3).trim()
            )));
        }
    }
    match locked_version(&lock) {
        Some(version) if version == release.zeromq_src => Ok(()),
        other => Err(Missing::broken(format!(
            "{} pins zeromq-src {other:?}, not {}",
            lock.display(),
            release.zeromq_src
        ))),
    }
}

/// The zeromq-src version a lock file names.
fn locked_version(lock: &Path) -> Option<String> {
    let text = std::fs::read_to_string(lock).ok()?;
    let mut lines = text.lines();
    lines.find(|line| line.trim() == "name = \"zeromq-src\"")?;
    let version = lines.next()?.trim().strip_prefix("version = \"")?.strip_suffix('"')?;
    Some(version.to_owned())
}

/// The library in the project's build-script output: `lib/` (or `lib64/`, cmake's choice on
/// some systems) and the headers in `include/` (cmake) or `source/include/` (cc).
fn find_library(lines: &[String], release: Release) -> Option<VendoredLibzmq> {
    let out_dir = lines
        .iter()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "build-script-executed")
        .filter(|m| m["package_id"].as_str().is_some_and(|id| id.contains("libzmq-release")))
        .find_map(|m| m["out_dir"].as_str().map(PathBuf::from))?;
    let lib_dir = ["lib", "lib64"]
        .map(|name| out_dir.join(name))
        .into_iter()
        .find(|dir| dir.join("libzmq.a").is_file() || dir.join("zmq.lib").is_file())?;
    let include = ["include", "source/include"]
        .map(|name| out_dir.join(name))
        .into_iter()
        .find(|dir| dir.join("zmq.h").is_file())?;
    Some(VendoredLibzmq { include, lib_dir, package: format!("zeromq-src@{}", release.zeromq_src) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: Release = Release { zeromq_src: "0.1.10+4.3.2" };
    const NEW: Release = Release { zeromq_src: "0.3.6+4.3.5" };

    #[test]
    fn a_release_names_its_libzmq_series_and_build() {
        assert_eq!(OLD.libzmq(), "4.3.2");
        assert!(OLD.uses_cmake());
        assert_eq!(OLD.series(), "0.1");
        assert_eq!(NEW.libzmq(), "4.3.5");
        assert!(!NEW.uses_cmake());
        assert!(manifest(NEW).contains("zeromq-src = \"0.3\""));
        assert!(build_script(OLD).contains("link_static(true)"));
    }

    #[test]
    fn the_lock_file_says_which_release_is_pinned() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("Cargo.lock");
        assert_eq!(locked_version(&lock), None);
        std::fs::write(
            &lock,
            "[[package]]\nname = \"cmake\"\nversion = \"0.1.54\"\n\n\
             [[package]]\nname = \"zeromq-src\"\nversion = \"0.1.6+4.3.1\"\n",
        )
        .unwrap();
        assert_eq!(locked_version(&lock).as_deref(), Some("0.1.6+4.3.1"));
    }

    #[test]
    fn the_library_is_found_in_either_layout() {
        for (lib, include) in [("lib", "source/include"), ("lib64", "include")] {
            let out = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(out.path().join(lib)).unwrap();
            std::fs::create_dir_all(out.path().join(include)).unwrap();
            std::fs::write(out.path().join(lib).join("libzmq.a"), "").unwrap();
            std::fs::write(out.path().join(include).join("zmq.h"), "").unwrap();
            let message = serde_json::json!({
                "reason": "build-script-executed",
                "package_id": "path+file:///cache/libzmq/4.3.2#libzmq-release@0.0.0",
                "out_dir": out.path(),
            });
            let found = find_library(&[message.to_string()], OLD).unwrap();
            assert_eq!(found.lib_dir, out.path().join(lib));
            assert_eq!(found.include, out.path().join(include));
            assert_eq!(found.package, "zeromq-src@0.1.10+4.3.2");
        }
        assert!(find_library(&[], OLD).is_none());
    }
}
