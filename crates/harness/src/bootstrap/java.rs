//! The Java peer: `java/src/zmqinterop/*.java` compiled with `javac` against a JeroMQ jar, one
//! class directory per jar, run as `java -cp <jars><classes> zmqinterop.Peer`.
//!
//! `-Xlint:all,-path`: every warning is an error, except a jar manifest naming a class path that
//! is not there (Debian's jars name `/usr/share/java/...`; the cache holds them elsewhere).
//!
//! The jar comes from Debian's archive (`debian.rs`: a release's `libjeromq-java` and what it
//! depends on, fetched into the cache) or from `INTEROP_JEROMQ_JAR`.

use super::{Missing, debian, on_path, stamp};
use crate::peer::Launch;
use crate::process::{self, Spec};
use crate::registry::Jar;
use crate::settings;
use crate::workspace::Workspace;
use contract::Role;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A compiled Java peer.
#[derive(Debug, Clone)]
pub struct JavaPeer {
    /// The `java` launcher.
    pub java: PathBuf,
    /// The class path: the engine's jars, then the peer's classes.
    pub class_path: OsString,
    /// Where the jar came from.
    pub origin: String,
    /// `javac 17.0.15`.
    pub built_with: String,
}

impl JavaPeer {
    /// Every role runs `java -cp ... zmqinterop.Peer`.
    #[must_use]
    pub fn launch(&self, workspace: &Workspace) -> Launch {
        let mut launch =
            Launch::new(Role::ALL.map(|r| (r, self.java.clone())).to_vec(), workspace.root());
        launch.prefix = vec!["-cp".into(), self.class_path.clone(), "zmqinterop.Peer".into()];
        launch
    }
}

/// Compiles (or finds fresh) the peer for registry entry `id` against `jar`.
///
/// # Errors
/// [`Missing::toolchain`] without a JDK or a jar; [`Missing::broken`] when our sources do not
/// compile.
pub fn build(workspace: &Workspace, id: &str, jar: Jar) -> Result<JavaPeer, Missing> {
    let java = on_path("java")?;
    let javac = on_path("javac")?;
    let (jars, origin) = match jar {
        Jar::Debian { suite, version } => {
            let jars = debian::fetch_jars(workspace, suite, "libjeromq-java", version)?;
            (jars, format!("no libzmq: JeroMQ from Debian {suite}'s libjeromq-java {version}"))
        }
        Jar::FromEnv => {
            let value = std::env::var_os("INTEROP_JEROMQ_JAR").ok_or_else(|| {
                Missing::toolchain(
                    "INTEROP_JEROMQ_JAR is not set (the path of a JeroMQ jar, and of its \
                     dependencies, separated as in PATH)",
                )
            })?;
            let jars: Vec<PathBuf> = std::env::split_paths(&value).collect();
            if let Some(absent) = jars.iter().find(|jar| !jar.is_file()) {
                return Err(Missing::toolchain(format!(
                    "INTEROP_JEROMQ_JAR names {}, which is not a file",
                    absent.display()
                )));
            }
            (jars, "no libzmq: JeroMQ from INTEROP_JEROMQ_JAR".to_owned())
        }
    };
    let javac_version = javac_version(&javac)?;
    let classes = workspace.cache().join("java").join(id).join("classes");
    let sources = sources(workspace)?;
    let class_path = std::env::join_paths(jars.iter().chain(std::iter::once(&classes)))
        .map_err(|e| Missing::broken(format!("cannot build a class path: {e}")))?;
    let spec = Spec::new("javac", &javac)
        .cwd(workspace.root())
        .args(["--release", "17", "-Xlint:all,-path", "-Werror", "-encoding", "UTF-8", "-d"])
        .arg(&classes)
        .arg("-cp")
        .arg(std::env::join_paths(&jars).unwrap_or_default())
        .args(&sources);
    let inputs = format!(
        "{javac_version}\n{}\n{}\n{}",
        spec.command_line(),
        stamp::describe_files(&jars),
        stamp::describe_files(&sources)
    );
    let stamp_file = classes.with_extension("stamp");
    if !(classes.is_dir() && stamp::is_fresh(&stamp_file, &inputs)) {
        compile(&spec, &classes)?;
        stamp::record(&stamp_file, &inputs)
            .map_err(|e| Missing::broken(format!("cannot write {}: {e}", stamp_file.display())))?;
    }
    Ok(JavaPeer { java, class_path, origin, built_with: javac_version })
}

fn compile(spec: &Spec, classes: &Path) -> Result<(), Missing> {
    if classes.exists() {
        std::fs::remove_dir_all(classes).map_err(|e| {
            Missing::broken(format!("cannot remove stale {}: {e}", classes.display()))
        })?;
    }
    std::fs::create_dir_all(classes)
        .map_err(|e| Missing::broken(format!("cannot create {}: {e}", classes.display())))?;
    let done = process::run(spec, settings::build_timeout())
        .map_err(|e| Missing::toolchain(format!("javac unusable: {e}")))?;
    if done.succeeded() {
        return Ok(());
    }
    Err(Missing::broken(format!(
        "javac failed ({}):\n{}\n{}{}",
        done.exit,
        done.command_line,
        done.stdout.join("\n"),
        done.stderr_tail(40)
    )))
}

/// `java/src/zmqinterop/*.java`, sorted.
fn sources(workspace: &Workspace) -> Result<Vec<PathBuf>, Missing> {
    let dir = workspace.source("java").join("src").join("zmqinterop");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Missing::broken(format!("cannot list {}: {e}", dir.display())))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "java"))
        .collect();
    sources.sort();
    if sources.is_empty() {
        return Err(Missing::broken(format!("{} holds no .java file", dir.display())));
    }
    Ok(sources)
}

/// `javac 17.0.15` (javac prints it on stdout; some JDKs on stderr).
fn javac_version(javac: &Path) -> Result<String, Missing> {
    let spec = Spec::new("javac -version", javac).arg("-version");
    let done = process::run(&spec, settings::scaled(std::time::Duration::from_secs(60)))
        .map_err(|e| Missing::toolchain(format!("javac unusable: {e}")))?;
    let text = if done.stdout.is_empty() { done.stderr.clone() } else { done.stdout.join("\n") };
    match text.lines().map(str::trim).find(|l| !l.is_empty()) {
        Some(line) if done.succeeded() => Ok(line.to_owned()),
        _ => Err(Missing::toolchain(format!("`{}` failed ({})", done.command_line, done.exit))),
    }
}
