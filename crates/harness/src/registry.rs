//! The peer registry: every peer the harness knows, as one entry each — its id, language,
//! engine, source folder, how it is built or found, and whether the default matrix uses it.
//!
//! Everything else derives from this table: the ids `--peers` accepts, the default selection,
//! the peers `cargo test` runs, CI's lists (`interop peers --ids`), and what the contract
//! checks expect a peer's `--info` to say. Adding a peer is one entry here plus its folder
//! (and, for a new kind of build, one module in `bootstrap/`).

use contract::Role;

/// How a peer is built or found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// A Rust peer: `cargo build --release` of these packages (nested, in the harness's own
    /// target directory); each role runs the binary named beside it.
    Cargo {
        /// The workspace packages to build.
        packages: &'static [&'static str],
        /// The binary that plays each role.
        programs: &'static [(Role, &'static str)],
    },
    /// The C peer (`c/*.c`), compiled with the platform's C compiler against a libzmq.
    C(Libzmq),
    /// The C++ peer (`cpp/*.cpp`) on cppzmq, compiled with the platform's C++ compiler
    /// against a libzmq chosen as for the C peer.
    Cpp(Libzmq),
    /// The Python peer in a venv made from `python/requirements.txt`.
    Python,
    /// The Node.js peer: `npm ci` of `node/package.json` into the cache.
    Node,
    /// The Java peer compiled with `javac` against a JeroMQ jar.
    Java(Jar),
    /// The C peer cross-built for Windows with MinGW-w64, statically on the libzmq release this
    /// `zeromq-src` crate carries (`0.3.6+4.3.5`), and run under Wine.
    WindowsC {
        /// The `zeromq-src` crate's exact version, as in [`Libzmq::Release`].
        zeromq_src: &'static str,
    },
}

/// The libzmq a C or C++ peer links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Libzmq {
    /// The system's (pkg-config), else the vendored one when there is none.
    SystemOrVendored,
    /// The static libzmq `zmq-sys` compiles, when a system one exists too.
    Vendored,
    /// One libzmq release, built from the `zeromq-src` crate of this exact version
    /// (`0.1.10+4.3.2`: libzmq 4.3.2), for `interop versions --libzmq`.
    Release(&'static str),
}

/// Where a JeroMQ jar comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jar {
    /// A Debian release's `libjeromq-java` (and its dependencies), fetched with apt into the
    /// cache: no root needed, nothing installed on the system.
    Debian {
        /// The Debian suite that carries it (`bookworm`, `trixie`).
        suite: &'static str,
        /// The package version, exactly.
        version: &'static str,
    },
    /// The jar `INTEROP_JEROMQ_JAR` names (Maven users, macOS and Windows CI).
    FromEnv,
}

/// Which selections include a peer unless `--peers` says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Selected {
    /// Every selection: `matrix`, `bench`, `versions`, `cargo test` and `interop peers`.
    ByDefault,
    /// `interop peers` only (a second build of an engine already in the default selection).
    InPeerList,
    /// Only when named (it needs something the user provides).
    WhenNamed,
}

/// One peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerEntry {
    /// Its id in cell names and on the command line.
    pub id: &'static str,
    /// The language its `--info` must report.
    pub lang: &'static str,
    /// The engine its `--info` must report (`libzmq`, `zmq.rs`, `jeromq`).
    pub engine: &'static str,
    /// Its source folder, from the workspace root.
    pub folder: &'static str,
    /// How it is built or found.
    pub build: Build,
    /// Which selections include it unless told otherwise.
    pub selected: Selected,
    /// One line for `interop peers --list`.
    pub about: &'static str,
}

const RUST_PROGRAMS: &[(Role, &str)] = &[
    (Role::Pub, "rust-pub"),
    (Role::Sub, "rust-pub"),
    (Role::Rep, "rust-rep"),
    (Role::Req, "rust-rep"),
    (Role::ThrPush, "rust-perf"),
    (Role::ThrPull, "rust-perf"),
    (Role::LatReq, "rust-perf"),
    (Role::LatRep, "rust-perf"),
];

const ZMQRS_PROGRAMS: &[(Role, &str)] = &[
    (Role::Pub, "zmqrs-peer"),
    (Role::Sub, "zmqrs-peer"),
    (Role::Rep, "zmqrs-peer"),
    (Role::Req, "zmqrs-peer"),
    (Role::ThrPush, "zmqrs-peer"),
    (Role::ThrPull, "zmqrs-peer"),
    (Role::LatReq, "zmqrs-peer"),
    (Role::LatRep, "zmqrs-peer"),
];

/// Every peer, in report order.
pub const PEERS: &[PeerEntry] = &[
    PeerEntry {
        id: "rust",
        lang: "rust",
        engine: "libzmq",
        folder: "crates/rust-pub",
        build: Build::Cargo {
            packages: &["rust-pub", "rust-rep", "rust-perf"],
            programs: RUST_PROGRAMS,
        },
        selected: Selected::ByDefault,
        about: "rust-zmq on the static libzmq zmq-sys builds",
    },
    PeerEntry {
        id: "c",
        lang: "c",
        engine: "libzmq",
        folder: "c",
        build: Build::C(Libzmq::SystemOrVendored),
        selected: Selected::ByDefault,
        about: "libzmq's C API, on the system libzmq (else the vendored one)",
    },
    PeerEntry {
        id: "c-vendored",
        lang: "c",
        engine: "libzmq",
        folder: "c",
        build: Build::C(Libzmq::Vendored),
        selected: Selected::InPeerList,
        about: "the C peer on the static libzmq zmq-sys builds, beside the system one",
    },
    // No 4.2 release: zeromq-src 0.1.3+4.2.1 and 0.1.4+4.2.1 carry libzmq 4.3.1's source
    // (measured: the peer built from them reports zmq_version() 4.3.1).
    release(
        "c@4.3.1",
        "0.1.6+4.3.1",
        "the C peer on libzmq 4.3.1 (zeromq-src 0.1.6, yanked: pinned by lock file)",
    ),
    release("c@4.3.2", "0.1.10+4.3.2", "the C peer on libzmq 4.3.2 (zeromq-src 0.1.10)"),
    release("c@4.3.4", "0.2.6+4.3.4", "the C peer on libzmq 4.3.4 (zeromq-src 0.2.6)"),
    release("c@4.3.5", "0.3.6+4.3.5", "the C peer on libzmq 4.3.5 (zeromq-src 0.3.6)"),
    // On request only: each Windows process pays Wine's start-up, and the full matrix would
    // multiply the cells; `cargo test` runs its own cells (`windows::*`).
    PeerEntry {
        id: "c-windows",
        lang: "c",
        engine: "libzmq",
        folder: "c",
        build: Build::WindowsC { zeromq_src: "0.3.6+4.3.5" },
        selected: Selected::WhenNamed,
        about: "the C peer cross-built for Windows (MinGW-w64, static libzmq 4.3.5 without ipc), \
                run under Wine: tcp only",
    },
    PeerEntry {
        id: "cpp",
        lang: "cpp",
        engine: "libzmq",
        folder: "cpp",
        build: Build::Cpp(Libzmq::SystemOrVendored),
        selected: Selected::ByDefault,
        about: "cppzmq (C++17) on the system libzmq (else the vendored one)",
    },
    PeerEntry {
        id: "python",
        lang: "python",
        engine: "libzmq",
        folder: "python",
        build: Build::Python,
        selected: Selected::ByDefault,
        about: "pyzmq and numpy, on the libzmq bundled with the pyzmq wheel",
    },
    PeerEntry {
        id: "zmqrs",
        lang: "rust",
        engine: "zmq.rs",
        folder: "crates/zmqrs-peer",
        build: Build::Cargo { packages: &["zmqrs-peer"], programs: ZMQRS_PROGRAMS },
        selected: Selected::ByDefault,
        about: "zmq.rs (crate zeromq), the pure-Rust ZMTP engine on tokio",
    },
    PeerEntry {
        id: "node",
        lang: "javascript",
        engine: "libzmq",
        folder: "node",
        build: Build::Node,
        selected: Selected::ByDefault,
        about: "zeromq.js 6 on Node.js, on the libzmq bundled with its prebuilt addon",
    },
    PeerEntry {
        id: "java-0.6",
        lang: "java",
        engine: "jeromq",
        folder: "java",
        build: Build::Java(Jar::Debian { suite: "trixie", version: "0.6.0-1" }),
        selected: Selected::ByDefault,
        about: "JeroMQ 0.6.0, the pure-Java engine (Debian trixie's libjeromq-java)",
    },
    PeerEntry {
        id: "java-0.3",
        lang: "java",
        engine: "jeromq",
        folder: "java",
        build: Build::Java(Jar::Debian { suite: "bookworm", version: "0.3.6-1.1" }),
        selected: Selected::ByDefault,
        about: "JeroMQ 0.3.6, an old pure-Java engine (Debian bookworm's libjeromq-java)",
    },
    PeerEntry {
        id: "java",
        lang: "java",
        engine: "jeromq",
        folder: "java",
        build: Build::Java(Jar::FromEnv),
        selected: Selected::WhenNamed,
        about: "JeroMQ from the jar INTEROP_JEROMQ_JAR names",
    },
];

/// The C peer on one libzmq release: id `c@<libzmq>`, selected when named (`--peers c@4.3.2`)
/// or through `interop versions --libzmq 4.3.2`.
const fn release(id: &'static str, zeromq_src: &'static str, about: &'static str) -> PeerEntry {
    PeerEntry {
        id,
        lang: "c",
        engine: "libzmq",
        folder: "c",
        build: Build::C(Libzmq::Release(zeromq_src)),
        selected: Selected::WhenNamed,
        about,
    }
}

/// The peer id of the C peer on libzmq `version` (`4.3.2` -> `c@4.3.2`).
///
/// # Errors
/// One line naming the releases the registry can build.
pub fn release_peer(version: &str) -> Result<&'static str, String> {
    let releases: Vec<(&str, &str)> = PEERS
        .iter()
        .filter_map(|entry| match entry.build {
            Build::C(Libzmq::Release(zeromq_src)) => {
                Some((zeromq_src.split_once('+').map_or(zeromq_src, |(_, v)| v), entry.id))
            }
            _ => None,
        })
        .collect();
    releases.iter().find(|(v, _)| *v == version).map(|(_, id)| *id).ok_or_else(|| {
        let known: Vec<&str> = releases.iter().map(|(v, _)| *v).collect();
        format!(
            "libzmq {version:?} is not a release the harness builds (zeromq-src on crates.io \
             carries {}); older ones come with old pyzmq wheels: --pyzmq",
            known.join(", ")
        )
    })
}

/// The entry for `id`.
///
/// # Errors
/// A one-line usage message naming every known id.
pub fn find(id: &str) -> Result<&'static PeerEntry, String> {
    PEERS.iter().find(|entry| entry.id == id).ok_or_else(|| {
        format!("unknown peer {id:?} (known: {})", ids().collect::<Vec<_>>().join(", "))
    })
}

/// Every id, in report order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    PEERS.iter().map(|entry| entry.id)
}

/// The ids a selection uses unless told otherwise: `matrix`, `bench`, `versions` and
/// `cargo test` use [`Selected::ByDefault`]; `interop peers` also [`Selected::InPeerList`].
#[must_use]
pub fn default_ids(up_to: Selected) -> Vec<String> {
    PEERS.iter().filter(|entry| entry.selected <= up_to).map(|entry| entry.id.to_owned()).collect()
}

/// Checks every id of a selection before anything is built.
///
/// # Errors
/// The first unknown id, or a repeated one.
pub fn check_ids(ids: &[String]) -> Result<(), String> {
    for (i, id) in ids.iter().enumerate() {
        find(id)?;
        if ids[..i].contains(id) {
            return Err(format!("peer {id:?} is named twice"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_usable_in_test_names() {
        let all: Vec<&str> = ids().collect();
        for (i, id) in all.iter().enumerate() {
            assert!(!all[..i].contains(id), "{id} twice");
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-.@".contains(c)),
                "{id}"
            );
        }
    }

    #[test]
    fn every_cargo_peer_plays_each_role_with_a_built_package() {
        for entry in PEERS {
            if let Build::Cargo { packages, programs } = entry.build {
                for role in Role::ALL {
                    let program = programs.iter().find(|(r, _)| *r == role).map(|(_, p)| *p);
                    assert!(program.is_some_and(|p| packages.contains(&p)), "{} {role}", entry.id);
                }
            }
        }
    }

    #[test]
    fn a_release_peer_is_named_after_the_libzmq_its_crate_carries() {
        for entry in PEERS {
            if let Build::C(Libzmq::Release(zeromq_src)) = entry.build {
                let (_, libzmq) = zeromq_src.split_once('+').unwrap();
                assert_eq!(entry.id, format!("c@{libzmq}"));
                assert_eq!(release_peer(libzmq), Ok(entry.id));
            }
        }
        let unknown = release_peer("4.1.6").unwrap_err();
        assert!(unknown.contains("carries 4.3.1, 4.3.2, 4.3.4, 4.3.5"), "{unknown}");
    }

    #[test]
    fn unknown_and_repeated_ids_are_refused_naming_the_known_ones() {
        assert!(check_ids(&["rust".into(), "node".into()]).is_ok());
        let unknown = check_ids(&["rust".into(), "cobol".into()]).unwrap_err();
        assert!(unknown.starts_with("unknown peer \"cobol\" (known: rust, c, "), "{unknown}");
        assert_eq!(check_ids(&["c".into(), "c".into()]).unwrap_err(), "peer \"c\" is named twice");
    }
}
