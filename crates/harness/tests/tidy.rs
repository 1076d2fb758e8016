//! The architecture invariants, checked rather than only written down (ARCHITECTURE.md):
//! which crate may depend on what, and that every source file says what it is for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Package name -> names of its dependencies, from Cargo.lock (every target, every platform).
fn lock_graph() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock is committed");
    let mut graph = BTreeMap::new();
    for package in text.split("[[package]]").skip(1) {
        let mut name = None;
        let mut deps = BTreeSet::new();
        let mut in_deps = false;
        for line in package.lines().map(str::trim) {
            if let Some(value) = line.strip_prefix("name = ") {
                name = Some(value.trim_matches('"').to_owned());
            } else if line.starts_with("dependencies = [") {
                in_deps = true;
            } else if in_deps && line == "]" {
                in_deps = false;
            } else if in_deps {
                // `"zmq-sys",` or `"windows-sys 0.59.0",`
                let dep = line.trim_matches(|c| c == '"' || c == ',');
                deps.insert(dep.split(' ').next().unwrap_or(dep).to_owned());
            }
        }
        if let Some(name) = name {
            graph.entry(name).or_insert_with(BTreeSet::new).extend(deps);
        }
    }
    graph
}

fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(name) = stack.pop() {
        if name == to {
            return true;
        }
        if seen.insert(name.clone()) {
            stack.extend(graph.get(&name).into_iter().flatten().cloned());
        }
    }
    false
}

#[test]
fn the_codec_the_generator_and_the_contract_know_nothing_of_zmq() {
    let graph = lock_graph();
    // The parse sees real edges: without this, a broken parser would pass every check below.
    assert!(reaches(&graph, "rust-pub", "zmq-sys"), "rust-pub reaches zmq-sys through zmq");
    for pure in ["envelope", "fakehw", "contract"] {
        assert!(graph.contains_key(pure), "{pure} is in Cargo.lock");
        assert!(!reaches(&graph, pure, "zmq-sys"), "{pure} must not depend on zmq");
    }
}

#[test]
fn the_pure_engines_link_no_libzmq() {
    let graph = lock_graph();
    assert!(graph.contains_key("zmqrs-peer"), "zmqrs-peer is in Cargo.lock");
    assert!(reaches(&graph, "zmqrs-peer", "zeromq"), "zmqrs-peer is built on zmq.rs");
    for libzmq in ["zmq-sys", "zmq", "peer-kit"] {
        assert!(!reaches(&graph, "zmqrs-peer", libzmq), "zmqrs-peer must not depend on {libzmq}");
    }
}

#[test]
fn every_registry_peer_has_its_folder() {
    for entry in harness::registry::PEERS {
        assert!(root().join(entry.folder).is_dir(), "{}: no folder {}", entry.id, entry.folder);
    }
}

#[test]
fn the_harness_links_no_binding_and_no_peer() {
    let graph = lock_graph();
    for forbidden in ["zmq-sys", "zmq", "rust-pub", "rust-rep", "peer-kit"] {
        assert!(!reaches(&graph, "harness", forbidden), "harness must not depend on {forbidden}");
    }
}

#[test]
fn peers_never_depend_on_the_harness() {
    let graph = lock_graph();
    for peer in ["rust-pub", "rust-rep", "peer-kit", "zmqrs-peer"] {
        assert!(graph.contains_key(peer), "{peer} is in Cargo.lock");
        assert!(!reaches(&graph, peer, "harness"), "{peer} must not depend on the harness");
    }
}

/// Files under `dir` (recursively) with one of `extensions`, skipping build output and caches.
fn sources(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !["target", "__pycache__", ".venv", ".git", "snapshots", "node_modules"]
                .contains(&name.as_str())
                && !name.starts_with('.')
            {
                found.extend(sources(&path, extensions));
            }
        } else if extensions.iter().any(|e| name.ends_with(e)) {
            found.push(path);
        }
    }
    found
}

#[test]
fn every_source_file_opens_by_saying_what_it_is_for() {
    let root = root();
    let mut missing = Vec::new();
    for file in sources(&root.join("crates"), &[".rs"]) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if !text.starts_with("//!") {
            missing.push(file);
        }
    }
    for file in sources(&root.join("c"), &[".c", ".h"])
        .into_iter()
        .chain(sources(&root.join("cpp"), &[".cpp", ".hpp"]))
        .chain(sources(&root.join("scripts"), &[".c"]))
        .chain(sources(&root.join("java"), &[".java"]))
        .chain(sources(&root.join("node"), &[".js"]))
    {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if !(text.starts_with("/*") || text.starts_with("//")) {
            missing.push(file);
        }
    }
    for file in sources(&root.join("python"), &[".py"]) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let body = text.trim_start_matches(|c: char| c == '#' || c.is_whitespace());
        let first_code =
            text.lines().find(|l| !l.starts_with('#') && !l.trim().is_empty()).unwrap_or("");
        if !(first_code.starts_with("\"\"\"") || body.is_empty()) {
            missing.push(file);
        }
    }
    assert!(
        missing.is_empty(),
        "files without an opening line saying what they are for: {missing:#?}"
    );
}
