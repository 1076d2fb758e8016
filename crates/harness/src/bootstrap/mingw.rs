//! The C peer cross-built for Windows with MinGW-w64: libzmq from the source the `zeromq-src`
//! crate carries (its `vendor/` folder, libzmq's own CMake build), built static for
//! `x86_64-w64-mingw32`, and every `c/*.c` linked against it into one `c-peer.exe` that needs
//! no DLL beyond Windows' own. Both steps are cached under `target/interop/windows/` and redone
//! only when their inputs change (the cold libzmq build takes minutes).
//!
//! Why CMake and not the crate's own build (`cargo build --target x86_64-pc-windows-gnu`), as
//! its build script reads (not tried for this target): zeromq-src 0.3's `cc` build asks for
//! the wepoll poller on Windows but compiles wepoll only for MSVC, and turns ipc on wherever
//! `<afunix.h>` exists, which MinGW-w64 has; libzmq 4.3.5's ipc code does not compile with
//! MinGW (zeromq/libzmq#4366, fixed after 4.3.5 by #4678, not applied here: with ipc, Windows
//! also wants the wepoll poller). CMake lets the build say what it wants: ipc off (Wine 8 has
//! no `AF_UNIX` sockets, so ipc could not run anyway; a libzmq without ipc says so through
//! `zmq_has("ipc")`, and the peer turns that into its `unsupported` reason), libzmq's own MinGW
//! default poller (`select`), and Win32 condition variables (GCC's `win32` thread model,
//! Debian's default MinGW-w64, has no `std::condition_variable`).

use super::Missing;
use super::c::{STRICT_GCC_FLAGS, WINDOWS_SYSTEM_LIBS, peer_sources};
use super::release::{self, Release};
use super::stamp;
use crate::process::{self, Spec};
use crate::settings;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

/// The GNU triple of the MinGW-w64 tools.
pub const TRIPLE: &str = "x86_64-w64-mingw32";

/// The DLLs a Windows program may import: Windows' own. Anything else (`libstdc++-6.dll`,
/// `libwinpthread-1.dll`, a `libzmq.dll`) would have to be shipped beside the executable.
const SYSTEM_DLLS: [&str; 6] =
    ["kernel32.dll", "msvcrt.dll", "ws2_32.dll", "iphlpapi.dll", "advapi32.dll", "user32.dll"];

/// The cross tools: MinGW-w64's C and C++ compilers, its objdump, and CMake.
#[derive(Debug, Clone)]
pub struct Toolchain {
    gcc: PathBuf,
    gxx: PathBuf,
    objdump: PathBuf,
    cmake: PathBuf,
    /// The C compiler's first line of `--version`.
    pub version: String,
}

impl Toolchain {
    /// Finds the tools on PATH.
    ///
    /// # Errors
    /// [`Missing::toolchain`] naming the first tool missing and the Debian package that has it.
    pub fn find() -> Result<Self, Missing> {
        let tool = |name: &str, package: &str| {
            super::on_path(name).map_err(|m| Missing::toolchain(format!("{m} (Debian: {package})")))
        };
        let gcc = tool(&format!("{TRIPLE}-gcc"), "gcc-mingw-w64-x86-64")?;
        let gxx = tool(&format!("{TRIPLE}-g++"), "g++-mingw-w64-x86-64")?;
        let objdump = tool(&format!("{TRIPLE}-objdump"), "binutils-mingw-w64-x86-64")?;
        let cmake = tool("cmake", "cmake")?;
        let done = process::run(
            &Spec::new("compiler", &gcc).arg("--version"),
            settings::scaled(std::time::Duration::from_secs(60)),
        )
        .map_err(|e| Missing::toolchain(format!("{TRIPLE}-gcc unusable: {e}")))?;
        let version = done.stdout.first().map_or("unknown", |l| l.trim()).to_owned();
        Ok(Self { gcc, gxx, objdump, cmake, version })
    }
}

/// Builds (or finds fresh) `c-peer.exe` on the static libzmq of `release`.
///
/// # Errors
/// [`Missing::toolchain`] without the registry; [`Missing::broken`] when libzmq or our C does
/// not build, or the executable imports a DLL Windows does not have.
pub fn build_peer(
    workspace: &Workspace,
    tools: &Toolchain,
    zeromq_src: &'static str,
) -> Result<PathBuf, Missing> {
    let release = Release { zeromq_src };
    let source = release::source(workspace, release)?;
    let root = workspace.cache().join("windows");
    let libzmq = build_libzmq(tools, &source, &root.join(format!("libzmq-{}", release.libzmq())))?;
    link_peer(workspace, tools, &libzmq, &root.join("c"))
}

/// libzmq's CMake options for this build; see the module's comment for why each.
fn cmake_options() -> [&'static str; 18] {
    [
        "-DCMAKE_SYSTEM_NAME=Windows",
        // Windows 10: libzmq derives _WIN32_WINNT from it (without it, from nothing: no build).
        "-DCMAKE_SYSTEM_VERSION=10.0",
        "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_SHARED=OFF",
        "-DBUILD_STATIC=ON",
        "-DBUILD_TESTS=OFF",
        "-DWITH_PERF_TOOL=OFF",
        "-DWITH_DOCS=OFF",
        "-DWITH_DOC=OFF",
        "-DENABLE_CPACK=OFF",
        "-DENABLE_PRECOMPILED=OFF",
        "-DENABLE_CURVE=OFF",
        "-DWITH_LIBSODIUM=OFF",
        // Set before libzmq's `check_include_files(afunix.h)`, which then leaves it alone.
        "-DZMQ_HAVE_IPC=OFF",
        "-DZMQ_CV_IMPL=win32api",
        "-DPOLLER=select",
        "-DCMAKE_INSTALL_LIBDIR=lib",
        "-Wno-dev",
    ]
}

/// The installed static libzmq: `<dir>/install/{lib/libzmq.a, include/zmq.h}`.
fn build_libzmq(tools: &Toolchain, source: &Path, dir: &Path) -> Result<PathBuf, Missing> {
    let install = dir.join("install");
    let build = dir.join("build");
    let configure = Spec::new("cmake", &tools.cmake)
        .arg("-S")
        .arg(source)
        .arg("-B")
        .arg(&build)
        .arg(format!("-DCMAKE_C_COMPILER={}", tools.gcc.display()))
        .arg(format!("-DCMAKE_CXX_COMPILER={}", tools.gxx.display()))
        .arg(format!("-DCMAKE_INSTALL_PREFIX={}", install.display()))
        .args(cmake_options())
        // libzmq 4.3.5 asks for cmake 2.8.12; cmake 4 refuses below 3.5 unless told.
        .env("CMAKE_POLICY_VERSION_MINIMUM", "3.5");
    let jobs = std::thread::available_parallelism().map_or(2, std::num::NonZero::get).to_string();
    let compile = Spec::new("cmake", &tools.cmake).arg("--build").arg(&build).args([
        "--target",
        "install",
        "--parallel",
        &jobs,
    ]);
    let inputs = format!("{}\n{}\n{}", tools.version, configure.command_line(), source.display());
    let stamp_file = dir.join("libzmq.stamp");
    let lib = install.join("lib").join("libzmq.a");
    if lib.is_file() && stamp::is_fresh(&stamp_file, &inputs) {
        return Ok(install);
    }
    // Inputs changed: configure afresh, since CMake keeps the compilers of its first run.
    if build.exists() {
        std::fs::remove_dir_all(&build)
            .map_err(|e| Missing::broken(format!("cannot remove {}: {e}", build.display())))?;
    }
    for step in [&configure, &compile] {
        let done = process::run(step, settings::build_timeout())
            .map_err(|e| Missing::toolchain(format!("cmake unusable: {e}")))?;
        if !done.succeeded() {
            return Err(Missing::broken(format!(
                "cross-building libzmq for Windows failed ({}): {}\n{}{}",
                done.exit,
                done.command_line,
                tail(&done.stdout, 20),
                done.stderr_tail(20)
            )));
        }
    }
    if !lib.is_file() || !install.join("include").join("zmq.h").is_file() {
        return Err(Missing::broken(format!(
            "cmake installed no lib/libzmq.a and include/zmq.h into {}",
            install.display()
        )));
    }
    stamp::record(&stamp_file, &inputs)
        .map_err(|e| Missing::broken(format!("cannot write {}: {e}", stamp_file.display())))?;
    Ok(install)
}

/// Links `c-peer.exe` statically (libzmq, libstdc++, libgcc): one file that runs anywhere.
fn link_peer(
    workspace: &Workspace,
    tools: &Toolchain,
    libzmq: &Path,
    dir: &Path,
) -> Result<PathBuf, Missing> {
    let (sources, headers) = peer_sources(workspace)
        .map_err(|e| Missing::broken(format!("cannot list the C sources: {e}")))?;
    let exe = dir.join("c-peer.exe");
    let spec = Spec::new("compiler", &tools.gcc)
        .cwd(dir)
        .args(STRICT_GCC_FLAGS)
        .args(["-O2", "-DZMQ_STATIC"])
        .arg(format!("-I{}", libzmq.join("include").display()))
        .arg("-o")
        .arg(&exe)
        .args(&sources)
        .arg(libzmq.join("lib").join("libzmq.a"))
        // libzmq names its MinGW threads through winpthreads (`pthread_setname_np`).
        .args(["-static", "-lstdc++", "-lpthread"])
        .args(WINDOWS_SYSTEM_LIBS.iter().map(|l| format!("-l{l}")));
    let files = [sources, headers, vec![libzmq.join("lib").join("libzmq.a")]].concat();
    let inputs =
        format!("{}\n{}\n{}", tools.version, spec.command_line(), stamp::describe_files(&files));
    let stamp_file = exe.with_extension("stamp");
    if exe.is_file() && stamp::is_fresh(&stamp_file, &inputs) {
        return Ok(exe);
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Missing::broken(format!("cannot create {}: {e}", dir.display())))?;
    let done = process::run(&spec, settings::build_timeout())
        .map_err(|e| Missing::toolchain(format!("{TRIPLE}-gcc unusable: {e}")))?;
    if !done.succeeded() {
        return Err(Missing::broken(format!(
            "compiling {} failed ({}):\n{}\n{}{}",
            exe.display(),
            done.exit,
            done.command_line,
            tail(&done.stdout, 40),
            done.stderr_tail(40)
        )));
    }
    check_imports(tools, &exe)?;
    stamp::record(&stamp_file, &inputs)
        .map_err(|e| Missing::broken(format!("cannot write {}: {e}", stamp_file.display())))?;
    Ok(exe)
}

/// Refuses an executable that imports a DLL Windows does not ship (read with `objdump -p`).
fn check_imports(tools: &Toolchain, exe: &Path) -> Result<(), Missing> {
    let spec = Spec::new("objdump", &tools.objdump).arg("-p").arg(exe);
    let done = process::run(&spec, settings::scaled(std::time::Duration::from_secs(60)))
        .map_err(|e| Missing::toolchain(format!("{TRIPLE}-objdump unusable: {e}")))?;
    if !done.succeeded() {
        return Err(Missing::broken(format!("{} failed: {}", done.command_line, done.stderr)));
    }
    let imports = dll_imports(&done.stdout);
    let foreign: Vec<&str> = imports
        .iter()
        .map(String::as_str)
        .filter(|dll| !SYSTEM_DLLS.contains(&dll.to_ascii_lowercase().as_str()))
        .collect();
    if imports.is_empty() || !foreign.is_empty() {
        return Err(Missing::broken(format!(
            "{} imports {} beyond Windows' own DLLs (all: {}): it is not self-contained",
            exe.display(),
            foreign.join(", "),
            imports.join(", ")
        )));
    }
    Ok(())
}

/// The `DLL Name:` lines of `objdump -p`.
fn dll_imports(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|line| line.trim().strip_prefix("DLL Name:"))
        .map(|name| name.trim().to_owned())
        .collect()
}

fn tail(lines: &[String], n: usize) -> String {
    let mut text = lines[lines.len().saturating_sub(n)..].join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_read_from_objdump_and_only_windows_own_pass() {
        let listing: Vec<String> = [
            "The Import Tables (interpreted .idata section contents)",
            "\tDLL Name: KERNEL32.dll",
            "\tvma:  Hint/Ord Member-Name Bound-To",
            "\tDLL Name: libstdc++-6.dll",
        ]
        .map(String::from)
        .to_vec();
        let imports = dll_imports(&listing);
        assert_eq!(imports, ["KERNEL32.dll", "libstdc++-6.dll"]);
        let foreign: Vec<&String> = imports
            .iter()
            .filter(|dll| !SYSTEM_DLLS.contains(&dll.to_ascii_lowercase().as_str()))
            .collect();
        assert_eq!(foreign, ["libstdc++-6.dll"]);
    }

    #[test]
    fn libzmq_is_built_without_ipc_static_and_for_windows_10() {
        let options = cmake_options();
        for wanted in ["-DZMQ_HAVE_IPC=OFF", "-DBUILD_SHARED=OFF", "-DCMAKE_SYSTEM_VERSION=10.0"] {
            assert!(options.contains(&wanted), "{wanted}");
        }
    }
}
