//! `interop peers`: what was built or found, with engines, versions, origins, transports and
//! the ZMTP revision each greets with (measured);
//! `--list` the registry without building anything, `--ids` the ids for a script.
//!
//! Exit status: 1 when a peer is broken (our build failed), or missing for want of a toolchain
//! under `INTEROP_REQUIRE_ALL=1`, so a CI step running it is red exactly when the matrix's
//! cells with that peer would fail.

use super::{bootstrap_peers, check_peer_ids};
use clap::Args;
use harness::bootstrap::{MissingKind, PeerSet};
use harness::registry::{self, Selected};
use harness::{report, settings};

#[derive(Debug, Args)]
pub(crate) struct PeersArgs {
    /// Peers to build or find (by default every one but those that need a user's setting).
    #[arg(long, value_delimiter = ',')]
    pub(crate) peers: Vec<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
    /// Print the registry (id, language, engine, what it is) without building anything.
    #[arg(long, conflicts_with_all = ["json", "ids"])]
    pub(crate) list: bool,
    /// Print the ids the matrix uses by default (INTEROP_PEERS, else the registry's default
    /// peers), comma-separated, without building anything (with --peers: those ids, checked).
    #[arg(long, conflicts_with = "json")]
    pub(crate) ids: bool,
}

pub(crate) fn run(args: &PeersArgs) -> anyhow::Result<bool> {
    if args.list {
        print!("{}", list());
        return Ok(true);
    }
    let or_default = |default: Vec<String>| {
        if args.peers.is_empty() { default } else { args.peers.clone() }
    };
    if args.ids {
        let ids = or_default(settings::default_peers());
        check_peer_ids(&ids)?;
        println!("{}", ids.join(","));
        return Ok(true);
    }
    let peers = bootstrap_peers(&or_default(registry::default_ids(Selected::InPeerList)))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report::json::peers(&peers))?);
    } else {
        print!("{}", describe(&peers));
    }
    Ok(all_usable(&peers, settings::require_all()))
}

/// The registry as a table.
fn list() -> String {
    let mut out = String::new();
    for entry in registry::PEERS {
        let when = match entry.selected {
            Selected::ByDefault => "default",
            Selected::InPeerList => "listed",
            Selected::WhenNamed => "on request",
        };
        out.push_str(&format!(
            "{:<11} {:<10} {:<7} {:<10} {}\n",
            entry.id, entry.lang, entry.engine, when, entry.about
        ));
    }
    out
}

/// Each peer: engine and binding, origin, transports, roles, workarounds, or why it is missing.
fn describe(peers: &PeerSet) -> String {
    let mut out = String::new();
    for (id, entry) in peers.iter() {
        match entry {
            Ok(peer) => {
                out.push_str(&format!("{id}: {} ({})\n", peer.summary(), peer.libzmq_origin));
                match &peer.zmtp {
                    Some(Ok(revision)) => {
                        out.push_str(&format!(
                            "    speaks: {revision} (measured from its greeting)\n"
                        ));
                    }
                    Some(Err(why)) => out.push_str(&format!("    speaks: unmeasured: {why}\n")),
                    None => {}
                }
                out.push_str(&format!(
                    "    transports: {}; roles: {}\n",
                    peer.info.transports.join(", "),
                    peer.info.roles.join(", ")
                ));
                let mechanisms = if peer.info.mechanisms.is_empty() {
                    "not reported (an older peer: NULL only)".to_owned()
                } else {
                    peer.info.mechanisms.join(", ")
                };
                out.push_str(&format!(
                    "    security: {mechanisms}
"
                ));
                for (transport, why) in &peer.info.unsupported {
                    out.push_str(&format!("    no {transport}: {why}\n"));
                }
                for workaround in &peer.info.workarounds {
                    out.push_str(&format!("    workaround: {workaround}\n"));
                }
                out.push_str(&format!("    built with: {}\n", peer.built_with));
            }
            Err(missing) => {
                let kind = match missing.kind {
                    MissingKind::Toolchain => "unavailable",
                    MissingKind::Broken => "BROKEN",
                };
                out.push_str(&format!("{id}: {kind}: {}\n", missing.reason));
            }
        }
    }
    out
}

/// Whether every peer can be used: none broken, and none missing under `require_all`.
fn all_usable(peers: &PeerSet, require_all: bool) -> bool {
    peers.iter().all(|(_, entry)| match entry {
        Ok(_) => true,
        Err(missing) => missing.kind == MissingKind::Toolchain && !require_all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use harness::bootstrap::Missing;

    #[test]
    fn a_broken_peer_always_fails_and_a_missing_one_only_when_all_are_required() {
        let mut peers = PeerSet::default();
        peers.insert("python", Err(Missing::toolchain("python3 not found on PATH")));
        assert!(all_usable(&peers, false));
        assert!(!all_usable(&peers, true));
        peers.insert("c", Err(Missing::broken("compiling c-peer failed")));
        assert!(!all_usable(&peers, false));
        assert!(describe(&peers).contains("c: BROKEN: compiling c-peer failed"));
    }

    #[test]
    fn the_list_names_every_registry_peer() {
        let text = list();
        for entry in registry::PEERS {
            assert!(text.lines().any(|l| l.starts_with(entry.id)), "{}", entry.id);
        }
    }
}
