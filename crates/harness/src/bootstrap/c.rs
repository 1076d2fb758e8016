//! The C peers: every `c/*.c` compiled into one `c-peer` executable per libzmq it can link;
//! and what the C++ peer (`super::cpp`) shares with them: the compiler, the libzmq, the build.
//!
//! The compiler is found the way build scripts find it (the `cc` crate: `CC`, `CFLAGS`, `CXX`,
//! MSVC through the registry), for the target the harness itself was built for. libzmq comes
//! from the system through pkg-config when present, and from the static library `zmq-sys`
//! compiled otherwise (or in addition: each flavour is its own peer).

use super::Missing;
use super::rust::VendoredLibzmq;
use super::stamp;
use crate::process::{self, Spec};
use crate::settings;
use crate::workspace::Workspace;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Which libzmq a C peer links.
#[derive(Debug, Clone)]
pub enum Libzmq {
    /// Found by pkg-config (`libzmq.pc`).
    System(pkg_config::Library),
    /// The static library `zmq-sys` built.
    Vendored(VendoredLibzmq),
    /// A static library of one libzmq release, built from `zeromq-src` ([`super::release`]).
    Release {
        /// The libzmq version (`4.3.2`).
        version: String,
        /// The library and headers.
        lib: VendoredLibzmq,
    },
}

impl Libzmq {
    /// A short name: the build directory's.
    #[must_use]
    pub fn flavor(&self) -> String {
        match self {
            Self::System(_) => "system".to_owned(),
            Self::Vendored(_) => "vendored".to_owned(),
            Self::Release { version, .. } => format!("libzmq-{version}"),
        }
    }

    /// Where it came from, for reports.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::System(lib) => format!("system libzmq {} (pkg-config)", lib.version),
            Self::Vendored(v) => format!("static libzmq built by {}", v.package),
            Self::Release { version, lib } => {
                format!("static libzmq {version} built from {} (crates.io)", lib.package)
            }
        }
    }

    /// The static library, when it is one.
    fn static_lib(&self) -> Option<&VendoredLibzmq> {
        match self {
            Self::System(_) => None,
            Self::Vendored(lib) | Self::Release { lib, .. } => Some(lib),
        }
    }
}

/// The system's libzmq, if pkg-config knows one.
///
/// # Errors
/// pkg-config's complaint, in one line.
pub fn system_libzmq() -> Result<Libzmq, String> {
    pkg_config::Config::new()
        .cargo_metadata(false)
        .env_metadata(false)
        .print_system_libs(false)
        .probe("libzmq")
        .map(Libzmq::System)
        .map_err(|e| e.to_string().lines().next().unwrap_or("pkg-config failed").to_owned())
}

/// A C or C++ compiler for this harness's target, as the `cc` crate finds it.
#[derive(Debug, Clone)]
pub struct Compiler {
    tool: cc::Tool,
    version: String,
    /// What it compiles, for messages: `C` or `C++`.
    language: &'static str,
}

/// How sources are compiled: our own strictly, foreign code as it comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Our C: C11, every warning an error.
    StrictC,
    /// Our C++: C++17, every warning an error.
    StrictCpp,
    /// Foreign code (libzmq's perf tools), built as it comes.
    Foreign,
}

impl Compiler {
    /// Finds the compiler and asks its version.
    ///
    /// # Errors
    /// [`Missing::toolchain`] when there is none.
    pub fn discover() -> Result<Self, Missing> {
        Self::discover_for(false)
    }

    /// The C++ compiler, for the C++ peer and libzmq's own perf tools (`interop bench
    /// --reference`).
    ///
    /// # Errors
    /// [`Missing::toolchain`] when there is none.
    pub fn discover_cpp() -> Result<Self, Missing> {
        Self::discover_for(true)
    }

    fn discover_for(cpp: bool) -> Result<Self, Missing> {
        let language = if cpp { "C++" } else { "C" };
        let target = env!("INTEROP_BUILD_TARGET");
        let tool = cc::Build::new()
            .cpp(cpp)
            .target(target)
            .host(env!("INTEROP_BUILD_HOST"))
            .opt_level(2)
            .debug(false)
            .cargo_metadata(false)
            .cargo_warnings(false)
            .emit_rerun_if_env_changed(false)
            .try_get_compiler()
            .map_err(|e| Missing::toolchain(format!("no {language} compiler for {target}: {e}")))?;
        let version = Self::ask_version(&tool, language)?;
        Ok(Self { tool, version, language })
    }

    fn ask_version(tool: &cc::Tool, language: &str) -> Result<String, Missing> {
        // cl.exe prints its banner on stderr when run with no arguments.
        let spec = with_env(Spec::new("compiler", tool.path()), tool);
        let spec = if tool.is_like_msvc() { spec } else { spec.arg("--version") };
        let done = process::run(&spec, settings::scaled(std::time::Duration::from_secs(60)))
            .map_err(|e| Missing::toolchain(format!("{language} compiler unusable: {e}")))?;
        let text = if done.stdout.is_empty() { done.stderr } else { done.stdout.join("\n") };
        Ok(text.lines().find(|l| !l.trim().is_empty()).unwrap_or("unknown").trim().to_owned())
    }

    /// The compiler's first line of `--version`.
    #[must_use]
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The command that compiles and links `sources` into `output`, against `libzmq` if given,
    /// in `dialect`, with `foreign` header directories (a binding's, such as cppzmq's) searched
    /// as system ones: their warnings are not ours to fail on.
    #[must_use]
    pub fn command(
        &self,
        sources: &[PathBuf],
        output: &Path,
        libzmq: Option<&Libzmq>,
        dialect: Dialect,
        foreign: &[PathBuf],
    ) -> Spec {
        let spec = self.base().args(self.flags(dialect)).args(self.foreign_includes(foreign));
        if self.tool.is_like_msvc() {
            msvc_command(spec, sources, output, libzmq)
        } else {
            unix_command(spec, sources, output, libzmq)
        }
    }

    /// The command that only checks that `source` compiles (`-fsyntax-only`, MSVC `/Zs`) with
    /// `libzmq`'s headers: whether a header is there at all, say.
    #[must_use]
    pub fn syntax_check(
        &self,
        source: &Path,
        libzmq: &Libzmq,
        dialect: Dialect,
        foreign: &[PathBuf],
    ) -> Spec {
        let msvc = self.tool.is_like_msvc();
        let (include, define) = if msvc { ("/I", "/D") } else { ("-I", "-D") };
        let mut spec = self.base().args(self.flags(dialect)).args(self.foreign_includes(foreign));
        spec = spec.arg(if msvc { "/Zs" } else { "-fsyntax-only" });
        match libzmq {
            Libzmq::System(lib) => {
                spec = spec.args(lib.include_paths.iter().map(|p| prefixed(include, p)));
            }
            other => {
                if let Some(v) = other.static_lib() {
                    spec =
                        spec.arg(format!("{define}ZMQ_STATIC")).arg(prefixed(include, &v.include));
                }
            }
        }
        spec.arg(source)
    }

    fn foreign_includes(&self, dirs: &[PathBuf]) -> Vec<OsString> {
        let flag = if self.tool.is_like_msvc() { "/I" } else { "-isystem" };
        dirs.iter().flat_map(|dir| [OsString::from(flag), dir.clone().into_os_string()]).collect()
    }

    fn base(&self) -> Spec {
        with_env(Spec::new("compiler", self.tool.path()), &self.tool).args(self.tool.args())
    }

    /// No /WX for MSVC: its warnings differ from gcc's and clang's, and no Windows machine sees
    /// a change before CI does; they are printed, not fatal.
    fn flags(&self, dialect: Dialect) -> &'static [&'static str] {
        match (self.tool.is_like_msvc(), dialect) {
            (true, Dialect::StrictC) => &["/std:c11", "/W4"],
            (true, Dialect::StrictCpp) => &["/std:c++17", "/W4", "/EHsc"],
            (true, Dialect::Foreign) => &["/EHsc"],
            (false, Dialect::StrictC) => STRICT_GCC_FLAGS,
            (false, Dialect::StrictCpp) => {
                &["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic"]
            }
            (false, Dialect::Foreign) => &[],
        }
    }
}

/// How our own C is compiled by gcc and clang (MinGW-w64 included): C11, every warning an error.
pub(crate) const STRICT_GCC_FLAGS: &[&str] =
    &["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];

/// The Windows system libraries a static libzmq needs, with MSVC and MinGW alike.
pub(crate) const WINDOWS_SYSTEM_LIBS: [&str; 3] = ["ws2_32", "iphlpapi", "advapi32"];

fn with_env(spec: Spec, tool: &cc::Tool) -> Spec {
    tool.get_envs().fold(spec, |spec, (key, value)| spec.env(key, value))
}

fn unix_command(spec: Spec, sources: &[PathBuf], output: &Path, libzmq: Option<&Libzmq>) -> Spec {
    let mut spec = spec.arg("-o").arg(output).args(sources);
    match libzmq {
        Some(Libzmq::System(lib)) => {
            spec = spec.args(lib.include_paths.iter().map(|p| prefixed("-I", p)));
            spec = spec.args(lib.defines.iter().map(|(k, v)| match v {
                Some(v) => format!("-D{k}={v}"),
                None => format!("-D{k}"),
            }));
            for dir in &lib.link_paths {
                // Found at run time too, wherever pkg-config found it at build time.
                spec = spec.arg(prefixed("-L", dir)).arg(prefixed("-Wl,-rpath,", dir));
            }
            spec = spec.args(lib.libs.iter().map(|l| format!("-l{l}")));
            // The peer's stdin watcher is a thread: glibc before 2.34 keeps pthreads apart.
            if !cfg!(windows) {
                spec = spec.arg("-pthread");
            }
        }
        Some(other) => {
            let Some(v) = other.static_lib() else { return spec };
            let cxx_runtime = if cfg!(target_vendor = "apple") { "-lc++" } else { "-lstdc++" };
            spec = spec
                .arg("-DZMQ_STATIC")
                .arg(prefixed("-I", &v.include))
                .arg(v.lib_dir.join("libzmq.a"))
                .args([cxx_runtime, "-lpthread", "-lm"]);
            if cfg!(windows) {
                // MinGW: a static libzmq needs Winsock, the IP helper and advapi32's crypto
                // (what zmq-sys's build script tells cargo to link with MSVC too).
                spec = spec.args(WINDOWS_SYSTEM_LIBS.iter().map(|l| format!("-l{l}")));
            }
        }
        None => {}
    }
    spec
}

/// Object files land in the working directory, which [`compile`] sets to the build directory.
fn msvc_command(spec: Spec, sources: &[PathBuf], output: &Path, libzmq: Option<&Libzmq>) -> Spec {
    let mut spec = spec
        .args(["/nologo", "/D_CRT_SECURE_NO_WARNINGS"])
        .arg(prefixed("/Fe", output))
        .args(sources);
    match libzmq {
        Some(Libzmq::System(lib)) => {
            spec = spec.args(lib.include_paths.iter().map(|p| prefixed("/I", p))).arg("/link");
            spec = spec.args(lib.link_paths.iter().map(|p| prefixed("/LIBPATH:", p)));
            spec = spec.args(lib.libs.iter().map(|l| format!("{l}.lib")));
        }
        Some(other) => {
            let Some(v) = other.static_lib() else { return spec };
            spec = spec
                .arg("/DZMQ_STATIC")
                .arg(prefixed("/I", &v.include))
                .arg("/link")
                .arg(v.lib_dir.join("zmq.lib"))
                .args(WINDOWS_SYSTEM_LIBS.iter().map(|l| format!("{l}.lib")));
        }
        None => {}
    }
    spec
}

fn prefixed(flag: &str, path: &Path) -> OsString {
    let mut arg = OsString::from(flag);
    arg.push(path);
    arg
}

/// The peer's sources: every `c/*.c`, plus the headers they include (for freshness).
pub(crate) fn peer_sources(workspace: &Workspace) -> std::io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut sources = Vec::new();
    let mut headers = Vec::new();
    for entry in std::fs::read_dir(workspace.source("c"))? {
        let path = entry?.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("c") => sources.push(path),
            Some("h") => headers.push(path),
            _ => {}
        }
    }
    sources.sort();
    Ok((sources, headers))
}

/// Builds (or finds fresh) `c-peer` against `libzmq`.
///
/// # Errors
/// [`Missing::broken`] when the sources do not compile: that is our bug, never a skip.
pub fn build_peer(
    workspace: &Workspace,
    compiler: &Compiler,
    libzmq: &Libzmq,
) -> Result<PathBuf, Missing> {
    let (sources, headers) = peer_sources(workspace)
        .map_err(|e| Missing::broken(format!("cannot list the C sources: {e}")))?;
    let (dir, exe) = output(workspace, "c", &libzmq.flavor(), "c-peer");
    let inputs = [sources, headers].concat();
    compile(&dir, &exe, &inputs, compiler, Some(libzmq), Dialect::StrictC, &[])
}

/// Builds a standalone C program (a test of the C sources) from `source`, without libzmq.
///
/// # Errors
/// [`Missing::broken`] when it does not compile.
pub fn build_program(
    workspace: &Workspace,
    compiler: &Compiler,
    source: &Path,
) -> Result<PathBuf, Missing> {
    let (dir, exe) = output(workspace, "c", "programs", stem_of(source));
    let (_, headers) = peer_sources(workspace)
        .map_err(|e| Missing::broken(format!("cannot list the C sources: {e}")))?;
    let inputs = [vec![source.to_path_buf()], headers].concat();
    compile(&dir, &exe, &inputs, compiler, None, Dialect::StrictC, &[])
}

/// Builds one of libzmq's perf tools (`local_thr.cpp`, ...) against `libzmq`, as it comes.
///
/// # Errors
/// [`Missing::broken`] when it does not compile.
pub fn build_reference(
    workspace: &Workspace,
    compiler: &Compiler,
    source: &Path,
    libzmq: &Libzmq,
) -> Result<PathBuf, Missing> {
    let (dir, exe) = output(workspace, "c", "reference", stem_of(source));
    compile(&dir, &exe, &[source.to_path_buf()], compiler, Some(libzmq), Dialect::Foreign, &[])
}

/// Where a build goes: `target/interop/<language>/<kind>/<name>[.exe]` (`c/system/c-peer`), as
/// (directory, executable).
pub(super) fn output(
    workspace: &Workspace,
    language: &str,
    kind: &str,
    name: &str,
) -> (PathBuf, PathBuf) {
    let dir = workspace.cache().join(language).join(kind);
    let exe = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    (dir, exe)
}

/// `local_thr` for `perf/local_thr.cpp`.
fn stem_of(source: &Path) -> &str {
    source.file_stem().and_then(|s| s.to_str()).unwrap_or("program")
}

/// Compiles the `.c`/`.cpp` files among `inputs` (the rest only count for freshness), unless
/// the stamp beside `exe` says the same compiler, command and inputs built it already;
/// `foreign` as for [`Compiler::command`].
pub(super) fn compile(
    dir: &Path,
    exe: &Path,
    inputs: &[PathBuf],
    compiler: &Compiler,
    libzmq: Option<&Libzmq>,
    dialect: Dialect,
    foreign: &[PathBuf],
) -> Result<PathBuf, Missing> {
    let sources: Vec<PathBuf> = inputs
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "c" || e == "cpp"))
        .cloned()
        .collect();
    let spec = compiler.command(&sources, exe, libzmq, dialect, foreign).cwd(dir);
    let inputs_text = format!(
        "{}\n{}\n{}",
        compiler.version(),
        spec.command_line(),
        stamp::describe_files(inputs)
    );
    let stamp_file = exe.with_extension("stamp");
    if exe.is_file() && stamp::is_fresh(&stamp_file, &inputs_text) {
        return Ok(exe.to_path_buf());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Missing::broken(format!("cannot create {}: {e}", dir.display())))?;
    let done = process::run(&spec, settings::build_timeout())
        .map_err(|e| Missing::toolchain(format!("{} compiler unusable: {e}", compiler.language)))?;
    if !done.succeeded() {
        return Err(Missing::broken(format!(
            "compiling {} failed ({}):\n{}\n{}{}",
            exe.display(),
            done.exit,
            done.command_line,
            done.stdout.join("\n"),
            done.stderr_tail(40)
        )));
    }
    stamp::record(&stamp_file, &inputs_text)
        .map_err(|e| Missing::broken(format!("cannot write {}: {e}", stamp_file.display())))?;
    Ok(exe.to_path_buf())
}
