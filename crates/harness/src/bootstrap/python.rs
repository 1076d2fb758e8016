//! The Python peers: a virtual environment per set of requirements, cached under the harness's
//! target directory and rebuilt only when the interpreter or the requirements change.
//!
//! `uv` makes the environment when it is on PATH (much faster); otherwise `python -m venv` and
//! pip do. The interpreter is `INTEROP_PYTHON`, else `python3`, else `python` on PATH.

use super::Missing;
use super::stamp;
use crate::process::{self, Spec};
use crate::settings;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

/// The interpreter of CPython `minor` (`3.6`) for an old pyzmq release: `INTEROP_PYTHON_3_6`,
/// else the newest such interpreter pyenv installed (`$PYENV_ROOT/versions/3.6.*`, pyenv's
/// default root `~/.pyenv`), else `python3.6` on PATH; `None` asks for the default one
/// ([`find_interpreter`]).
///
/// # Errors
/// [`Missing::toolchain`] naming the interpreter and how to provide it.
pub fn find_interpreter_for(minor: Option<&str>) -> Result<PathBuf, Missing> {
    let Some(minor) = minor else { return find_interpreter() };
    let variable = format!("INTEROP_PYTHON_{}", minor.replace('.', "_"));
    if let Some(path) = std::env::var_os(&variable) {
        return Ok(PathBuf::from(path));
    }
    let pyenv_root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::home_dir().map(|home| home.join(".pyenv")));
    if let Some(found) = pyenv_root.and_then(|root| newest_pyenv_python(&root, minor)) {
        return Ok(found);
    }
    which::which(format!("python{minor}")).map_err(|_| {
        Missing::toolchain(format!(
            "no Python {minor} (set {variable}, or install it with pyenv, or put python{minor} \
             on PATH)"
        ))
    })
}

/// `<root>/versions/3.6.15/bin/python` for minor `3.6`, the highest patch release.
fn newest_pyenv_python(root: &Path, minor: &str) -> Option<PathBuf> {
    let prefix = format!("{minor}.");
    std::fs::read_dir(root.join("versions"))
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let patch: u32 = name.strip_prefix(&prefix)?.parse().ok()?;
            let python = venv_python(&entry.path());
            python.is_file().then_some((patch, python))
        })
        .max_by_key(|(patch, _)| *patch)
        .map(|(_, python)| python)
}

/// The interpreter that venvs are made from.
///
/// # Errors
/// [`Missing::toolchain`] when none is found.
pub fn find_interpreter() -> Result<PathBuf, Missing> {
    if let Some(path) = std::env::var_os("INTEROP_PYTHON") {
        return Ok(PathBuf::from(path));
    }
    // On Windows `python3` is often the Microsoft Store's stub; `python` is the real one.
    let names = if cfg!(windows) { ["python", "python3"] } else { ["python3", "python"] };
    names
        .into_iter()
        .find_map(|name| which::which(name).ok())
        .ok_or_else(|| Missing::toolchain("python3 not found on PATH (or set INTEROP_PYTHON)"))
}

/// What a venv is made from.
#[derive(Debug, Clone)]
pub struct Requirements {
    /// A name for the venv's directory (`default`, `pyzmq-25.1.2`).
    pub key: String,
    /// The requirement lines, as pip reads them.
    pub lines: String,
    /// The CPython minor version it needs (`3.6`), when not the default interpreter.
    pub python: Option<String>,
}

impl Requirements {
    /// `python/requirements.txt` as it is.
    ///
    /// # Errors
    /// [`Missing::broken`] when the file cannot be read.
    pub fn default_for(workspace: &Workspace) -> Result<Self, Missing> {
        let path = workspace.source("python").join("requirements.txt");
        let lines = std::fs::read_to_string(&path)
            .map_err(|e| Missing::broken(format!("cannot read {}: {e}", path.display())))?;
        Ok(Self { key: "default".into(), lines, python: None })
    }

    /// The same requirements with pyzmq pinned to `version` (its own venv), on CPython
    /// `python` when given.
    #[must_use]
    pub fn with_pyzmq(&self, version: &str, python: Option<&str>) -> Self {
        let pin = format!("pyzmq=={version}");
        let mut lines: Vec<String> = self
            .lines
            .lines()
            .map(|line| if is_pyzmq_requirement(line) { pin.clone() } else { line.to_owned() })
            .collect();
        if !lines.contains(&pin) {
            lines.push(pin);
        }
        Self {
            key: format!("pyzmq-{version}"),
            lines: lines.join("\n") + "\n",
            python: python.map(str::to_owned),
        }
    }
}

/// `pyzmq==27.3.0`, `pyzmq >= 25` (not `pyzmq-something`).
fn is_pyzmq_requirement(line: &str) -> bool {
    line.trim_start().strip_prefix("pyzmq").is_some_and(|rest| {
        rest.trim_start().starts_with(['=', '<', '>', '~', '!']) || rest.trim().is_empty()
    })
}

/// The python executable inside a venv.
#[must_use]
pub fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// Makes (or finds fresh) the venv for `requirements`; returns its python.
///
/// # Errors
/// [`Missing::toolchain`] when the venv or the install fails (no network, no wheel).
pub fn ensure_venv(
    workspace: &Workspace,
    interpreter: &Path,
    requirements: &Requirements,
) -> Result<PathBuf, Missing> {
    let venv = workspace.cache().join("python").join(&requirements.key);
    let python = venv_python(&venv);
    let inputs = format!("{}\n{}", interpreter.display(), requirements.lines);
    let stamp_file = venv.join("interop-stamp.txt");
    if python.is_file() && stamp::is_fresh(&stamp_file, &inputs) {
        return Ok(python);
    }
    if venv.exists() {
        std::fs::remove_dir_all(&venv)
            .map_err(|e| Missing::broken(format!("cannot remove stale {}: {e}", venv.display())))?;
    }
    std::fs::create_dir_all(&venv)
        .map_err(|e| Missing::broken(format!("cannot create {}: {e}", venv.display())))?;
    let requirements_file = venv.join("requirements.txt");
    std::fs::write(&requirements_file, &requirements.lines).map_err(|e| {
        Missing::broken(format!("cannot write {}: {e}", requirements_file.display()))
    })?;
    let steps = match which::which("uv") {
        Ok(uv) => vec![
            Spec::new("uv venv", &uv)
                .arg("venv")
                .arg("--quiet")
                .arg("--python")
                .arg(interpreter)
                .arg(&venv),
            Spec::new("uv pip", &uv)
                .args(["pip", "install", "--quiet", "--python"])
                .arg(&python)
                .arg("-r")
                .arg(&requirements_file),
        ],
        Err(_) => vec![
            Spec::new("venv", interpreter).args(["-m", "venv"]).arg(&venv),
            Spec::new("pip", &python)
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
                .arg(&requirements_file),
        ],
    };
    for step in steps {
        let step = step.cwd(workspace.root());
        let done = process::run(&step, settings::build_timeout())
            .map_err(|e| Missing::toolchain(e.to_string()))?;
        if !done.succeeded() {
            // Leave nothing half-made behind.
            let _ = std::fs::remove_dir_all(&venv);
            return Err(Missing::toolchain(format!(
                "{} failed ({}): {}",
                step.label(),
                done.exit,
                done.reason().unwrap_or("no message")
            )));
        }
    }
    stamp::record(&stamp_file, &inputs)
        .map_err(|e| Missing::broken(format!("cannot write {}: {e}", stamp_file.display())))?;
    Ok(python)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_release_replaces_the_pyzmq_line_only() {
        let base = Requirements {
            key: "default".into(),
            lines: "# comment\npyzmq==27.3.0\nnumpy==2.4.6\npyzmq-stubs==1\n".into(),
            python: None,
        };
        let pinned = base.with_pyzmq("25.1.2", None);
        assert_eq!(pinned.key, "pyzmq-25.1.2");
        assert_eq!(pinned.lines, "# comment\npyzmq==25.1.2\nnumpy==2.4.6\npyzmq-stubs==1\n");
        let bare = Requirements { key: "default".into(), lines: "numpy\n".into(), python: None };
        let old = bare.with_pyzmq("16.0.4", Some("3.6"));
        assert_eq!(old.lines, "numpy\npyzmq==16.0.4\n");
        assert_eq!(old.python.as_deref(), Some("3.6"));
    }

    #[test]
    fn the_newest_pyenv_patch_release_of_a_minor_is_chosen() {
        let root = tempfile::tempdir().unwrap();
        for version in ["3.6.9", "3.6.15", "3.7.16", "3.6.x"] {
            let python = venv_python(&root.path().join("versions").join(version));
            std::fs::create_dir_all(python.parent().unwrap()).unwrap();
            std::fs::write(&python, "").unwrap();
        }
        let found = newest_pyenv_python(root.path(), "3.6").unwrap();
        assert!(found.starts_with(root.path().join("versions").join("3.6.15")), "{found:?}");
        assert_eq!(newest_pyenv_python(root.path(), "3.8"), None);
    }
}
