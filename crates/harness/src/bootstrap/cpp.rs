//! The C++ peer: every `cpp/*.cpp` compiled into one `cpp-peer` executable against cppzmq
//! (`zmq.hpp`, header-only) and a libzmq, with the C peer's compiler discovery (the `cc` crate,
//! in C++ mode), libzmq choices and stamps ([`super::c`]).
//!
//! cppzmq is a header on the compiler's include path (Debian's `cppzmq-dev`), not something the
//! harness can build: when the peer does not compile, a file that only includes `zmq.hpp` tells
//! a missing header (a skip naming the package) from a bug in our sources (a failure).

use super::Missing;
use super::c::{self, Compiler, Dialect, Libzmq};
use crate::process;
use crate::settings;
use crate::workspace::Workspace;
use std::path::PathBuf;

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
    c::compile(&dir, &exe, &inputs, compiler, Some(libzmq), Dialect::StrictCpp).map_err(|failed| {
        if has_cppzmq(&dir, compiler, libzmq) { failed } else { missing_header() }
    })
}

fn missing_header() -> Missing {
    Missing::toolchain(MISSING_HEADER)
}

/// Whether a file that only includes `zmq.hpp` compiles with the peer's compiler and flags. A
/// probe that cannot even be written or run says yes: the peer's own failure then stands.
fn has_cppzmq(dir: &std::path::Path, compiler: &Compiler, libzmq: &Libzmq) -> bool {
    let probe = dir.join("has_cppzmq.cpp");
    if std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&probe, "#include <zmq.hpp>\nint main() { return 0; }\n"))
        .is_err()
    {
        return true;
    }
    let spec = compiler.syntax_check(&probe, libzmq, Dialect::StrictCpp).cwd(dir);
    match process::run(&spec, settings::build_timeout()) {
        Ok(done) => done.succeeded(),
        Err(_) => true,
    }
}
