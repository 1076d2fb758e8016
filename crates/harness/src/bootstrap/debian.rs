//! Jars from Debian's archive, fetched with Debian's own tools into the cache: a private apt
//! configuration (its own sources list, package lists and status file under
//! `target/interop/debian/<suite>/apt`) so that any Debian release's package can be had on any
//! apt-based machine without root and without touching the system's apt state; then
//! `apt-get download` of the package and what it depends on, and `dpkg-deb -x`.

use super::{Missing, on_path};
use crate::process::{self, Spec};
use crate::settings;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

/// The archive every suite is fetched from.
const MIRROR: &str = "http://deb.debian.org/debian";
/// The archive's signing keys, which apt checks the package lists against.
const KEYRING: &str = "/usr/share/keyrings/debian-archive-keyring.gpg";

/// The jars of `package` at `version` from Debian `suite`, with its dependencies' jars.
///
/// # Errors
/// [`Missing::toolchain`] without apt, the archive keyring or the network.
pub fn fetch_jars(
    workspace: &Workspace,
    suite: &str,
    package: &str,
    version: &str,
) -> Result<Vec<PathBuf>, Missing> {
    let suite_dir = workspace.cache().join("debian").join(suite);
    let done_dir = suite_dir.join(format!("{package}_{version}"));
    let listing = done_dir.join("jars.txt");
    if let Ok(text) = std::fs::read_to_string(&listing) {
        let jars: Vec<PathBuf> = text.lines().map(|l| done_dir.join(l)).collect();
        if !jars.is_empty() && jars.iter().all(|j| j.is_file()) {
            return Ok(jars);
        }
    }
    let apt = Apt::new(&suite_dir, suite)?;
    // Built beside the final place and renamed at the end: a failure leaves nothing half-made.
    let partial = suite_dir.join(format!("{package}_{version}.partial"));
    let _ = std::fs::remove_dir_all(&partial);
    let result = fetch_into(&apt, &partial, package, version);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    let names = result?;
    let _ = std::fs::remove_dir_all(&done_dir);
    std::fs::rename(&partial, &done_dir)
        .map_err(|e| Missing::broken(format!("cannot rename {}: {e}", partial.display())))?;
    std::fs::write(&listing, names.join("\n"))
        .map_err(|e| Missing::broken(format!("cannot write {}: {e}", listing.display())))?;
    Ok(names.iter().map(|n| done_dir.join(n)).collect())
}

/// Downloads and unpacks; returns the jars' paths relative to `dir`.
fn fetch_into(apt: &Apt, dir: &Path, package: &str, version: &str) -> Result<Vec<String>, Missing> {
    let debs = dir.join("debs");
    let root = dir.join("root");
    for d in [&debs, &root] {
        std::fs::create_dir_all(d)
            .map_err(|e| Missing::broken(format!("cannot create {}: {e}", d.display())))?;
    }
    let wanted = format!("{package}={version}");
    let show = apt.run("apt-cache", &["show", &wanted], dir)?;
    let mut packages = vec![wanted];
    packages.extend(depends(&show.join("\n")));
    let args: Vec<&str> =
        std::iter::once("download").chain(packages.iter().map(String::as_str)).collect();
    apt.run("apt-get", &args, &debs)?;
    let dpkg_deb = on_path("dpkg-deb")?;
    for entry in std::fs::read_dir(&debs).map_err(|e| Missing::broken(e.to_string()))? {
        let deb = entry.map_err(|e| Missing::broken(e.to_string()))?.path();
        let spec = Spec::new("dpkg-deb", &dpkg_deb).arg("-x").arg(&deb).arg(&root);
        let done = process::run(&spec, settings::build_timeout())
            .map_err(|e| Missing::toolchain(e.to_string()))?;
        if !done.succeeded() {
            return Err(Missing::broken(format!(
                "`{}` failed ({}): {}",
                done.command_line,
                done.exit,
                done.reason().unwrap_or("no message")
            )));
        }
    }
    let java_dir = root.join("usr").join("share").join("java");
    let mut jars: Vec<String> = std::fs::read_dir(&java_dir)
        .map_err(|e| Missing::broken(format!("cannot list {}: {e}", java_dir.display())))?
        .filter_map(Result::ok)
        // The real files, not the unversioned symlinks beside them.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| name.ends_with(".jar"))
        .map(|name| format!("root/usr/share/java/{name}"))
        .collect();
    jars.sort();
    if jars.is_empty() {
        return Err(Missing::broken(format!("{package} {version} holds no jar")));
    }
    Ok(jars)
}

/// The packages a `Depends:` field names (first alternative of each, versions dropped).
fn depends(show: &str) -> Vec<String> {
    show.lines()
        .find_map(|line| line.strip_prefix("Depends:"))
        .map(|field| {
            field
                .split(',')
                .filter_map(|dep| dep.split('|').next())
                .filter_map(|dep| dep.split_whitespace().next())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// apt with a private configuration for one suite.
struct Apt {
    options: Vec<String>,
}

impl Apt {
    /// The private apt state for `suite`, its package lists fetched once.
    fn new(dir: &Path, suite: &str) -> Result<Self, Missing> {
        let why = "JeroMQ comes from Debian's archive here, fetched with apt-get";
        for tool in ["apt-get", "apt-cache", "dpkg-deb"] {
            on_path(tool).map_err(|m| {
                Missing::toolchain(format!(
                    "{} ({why}; or set INTEROP_JEROMQ_JAR and use the peer `java`)",
                    m.reason
                ))
            })?;
        }
        if !Path::new(KEYRING).is_file() {
            return Err(Missing::toolchain(format!(
                "{KEYRING} is missing ({why}; apt-get install debian-archive-keyring)"
            )));
        }
        let state = dir.join("apt");
        for sub in ["lists/partial", "cache/archives/partial", "parts"] {
            std::fs::create_dir_all(state.join(sub))
                .map_err(|e| Missing::broken(format!("cannot create {}: {e}", state.display())))?;
        }
        let sources = state.join("sources.list");
        let status = state.join("status");
        let line = format!("deb [signed-by={KEYRING}] {MIRROR} {suite} main\n");
        let write = |path: &Path, text: &str| {
            std::fs::write(path, text)
                .map_err(|e| Missing::broken(format!("cannot write {}: {e}", path.display())))
        };
        write(&sources, &line)?;
        if !status.is_file() {
            write(&status, "")?;
        }
        let dir_option = |key: &str, path: PathBuf| format!("{key}={}", path.display());
        let options = vec![
            dir_option("Dir::Etc::SourceList", sources),
            dir_option("Dir::Etc::SourceParts", state.join("parts")),
            dir_option("Dir::State::Lists", state.join("lists")),
            dir_option("Dir::Cache", state.join("cache")),
            dir_option("Dir::State::Status", status),
            // The state is ours alone; downloads need not change user (root or not).
            "Debug::NoLocking=1".into(),
            "APT::Sandbox::User=root".into(),
            "Acquire::Languages=none".into(),
            "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false".into(),
            "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false".into(),
        ]
        .into_iter()
        .flat_map(|o| ["-o".to_owned(), o])
        .collect();
        let apt = Self { options };
        let updated = state.join("updated");
        if !updated.is_file() {
            apt.run("apt-get", &["-q", "update"], dir)?;
            write(&updated, &line)?;
        }
        Ok(apt)
    }

    /// Runs an apt tool with the private configuration; its stdout lines.
    fn run(&self, tool: &str, args: &[&str], cwd: &Path) -> Result<Vec<String>, Missing> {
        let program = on_path(tool)?;
        let spec = Spec::new(tool, program).cwd(cwd).args(&self.options).args(args);
        let done = process::run(&spec, settings::build_timeout())
            .map_err(|e| Missing::toolchain(e.to_string()))?;
        if done.succeeded() {
            return Ok(done.stdout);
        }
        Err(Missing::toolchain(format!(
            "{tool} {} failed ({}): {}",
            args.join(" "),
            done.exit,
            done.reason().unwrap_or("no message")
        )))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn depends_keeps_package_names_only() {
        let show = "Package: libjeromq-java\nDepends: libjnacl-java (>= 1.0), a | b, c\n";
        assert_eq!(super::depends(show), ["libjnacl-java", "a", "c"]);
        assert!(super::depends("Package: x\n").is_empty());
    }
}
