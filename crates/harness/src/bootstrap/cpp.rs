//! The C++ peer: every `cpp/*.cpp` compiled into one `cpp-peer` executable against cppzmq
//! (`zmq.hpp`, header-only) and a libzmq, with the C peer's compiler discovery (the `cc` crate,
//! in C++ mode), libzmq choices and stamps ([`super::c`]).
//!
//! cppzmq is a header (Debian's `cppzmq-dev`, Homebrew's `cppzmq`), not something the harness
//! can build: it is looked for where pkg-config's `cppzmq.pc` says (Homebrew keeps it outside
//! the compiler's default search path), then on the compiler's own include path. When the peer
//! does not compile, a file that only includes `zmq.hpp` tells a missing header (a skip naming
//! the package) from a bug in our sources (a failure).

use super::Missing;
use super::c::{self, Compiler, Dialect, Libzmq};
use crate::process;
use crate::settings;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

/// What to install when `zmq.hpp` is missing.
pub const MISSING_HEADER: &str = "zmq.hpp not found: apt-get install cppzmq-dev";

/// The peer's sources (`cpp/*.cpp`) and, for freshness, the headers they include: `cpp/*.hpp`
/// and the C peer's `c/fakehw.h`, which the C++ peer shares.
fn peer_sources(workspace: &Workspace) -> std::io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut sources = Vec::new();
    let mut headers = vec![workspace.source("c").join("fakehw.h")];
    for entry in std::fs::read_dir(workspace.source("cpp"))? {
        let path = entry?.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("cpp") => sources.push(path),
            Some("hpp") => headers.push(path),
            _ => {}
        }
    }
    sources.sort();
    headers.sort();
    Ok((sources, headers))
}

/// Builds (or finds fresh) `cpp-peer` against `libzmq`, in `target/interop/cpp/<flavour>/`.
///
/// # Errors
/// [`Missing::toolchain`] when cppzmq's header is missing ([`MISSING_HEADER`]);
/// [`Missing::broken`] when our sources do not compile.
pub fn build_peer(
    workspace: &Workspace,
    compiler: &Compiler,
    libzmq: &Libzmq,
) -> Result<PathBuf, Missing> {
    let (sources, headers) = peer_sources(workspace)
        .map_err(|e| Missing::broken(format!("cannot list the C++ sources: {e}")))?;
    let (dir, exe) = c::output(workspace, "cpp", &libzmq.flavor(), "cpp-peer");
    let inputs = [sources, headers].concat();
    let cppzmq = cppzmq_includes();
    c::compile(&dir, &exe, &inputs, compiler, Some(libzmq), Dialect::StrictCpp, &cppzmq).map_err(
        |failed| {
            if lacks_cppzmq(&dir, compiler, libzmq, &cppzmq) { missing_header() } else { failed }
        },
    )
}

/// The directory with `zmq.hpp` among those pkg-config's `cppzmq.pc` names (it also lists
/// libzmq's dependencies'); none when pkg-config does not know cppzmq, and none for the
/// compiler's own system directories, which it searches anyway: named again as system
/// directories they would come before the C++ library's wrappers of the C headers, whose
/// `#include_next` then fails.
fn cppzmq_includes() -> Vec<PathBuf> {
    let found = pkg_config::Config::new()
        .cargo_metadata(false)
        .env_metadata(false)
        .print_system_libs(false)
        .probe("cppzmq");
    found
        .map(|lib| lib.include_paths)
        .unwrap_or_default()
        .into_iter()
        .filter(|dir| dir.join("zmq.hpp").is_file())
        .filter(|dir| !["/usr/include", "/usr/local/include"].iter().any(|d| dir == Path::new(d)))
        .collect()
}

fn missing_header() -> Missing {
    Missing::toolchain(MISSING_HEADER)
}

/// Whether a file that only includes `zmq.hpp` fails to compile with the peer's compiler and
/// flags, naming `zmq.hpp` (another failure, or a probe that cannot even be written or run, is
/// not a missing header: the peer's own failure then stands).
fn lacks_cppzmq(dir: &Path, compiler: &Compiler, libzmq: &Libzmq, cppzmq: &[PathBuf]) -> bool {
    let probe = dir.join("has_cppzmq.cpp");
    if std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&probe, "#include <zmq.hpp>\nint main() { return 0; }\n"))
        .is_err()
    {
        return false;
    }
    let spec = compiler.syntax_check(&probe, libzmq, Dialect::StrictCpp, cppzmq).cwd(dir);
    process::run(&spec, settings::build_timeout()).is_ok_and(|done| {
        !done.succeeded()
            && (done.stderr.contains("zmq.hpp")
                || done.stdout.iter().any(|l| l.contains("zmq.hpp")))
    })
}
