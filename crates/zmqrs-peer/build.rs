//! Records the zmq.rs (`zeromq` crate) version this build resolved (from Cargo.lock) for `--info`.

use std::path::Path;

fn main() {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    let version = locked_version(&text, "zeromq").unwrap_or("unknown");
    println!("cargo:rustc-env=ZMQRS_PEER_ZEROMQ_VERSION={version}");
}

/// The `version` line that follows `name = "<name>"` in a Cargo.lock.
fn locked_version<'a>(lock: &'a str, name: &str) -> Option<&'a str> {
    let header = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    lines.find(|line| *line == header)?;
    lines.next()?.strip_prefix("version = \"")?.strip_suffix('"')
}
