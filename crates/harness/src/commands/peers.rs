//! `interop peers`: what was built or found, with versions, libzmq origins and transports.

use super::bootstrap_peers;
use clap::Args;
use harness::bootstrap;
use harness::report;

#[derive(Debug, Args)]
pub(crate) struct PeersArgs {
    /// Peers to build or find.
    #[arg(long, value_delimiter = ',', default_values_t = bootstrap::PEER_IDS.map(String::from))]
    pub(crate) peers: Vec<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn run(args: &PeersArgs) -> anyhow::Result<bool> {
    let peers = bootstrap_peers(&args.peers)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report::json::peers(&peers))?);
        return Ok(true);
    }
    for (id, entry) in peers.iter() {
        match entry {
            Ok(peer) => {
                println!(
                    "{id}: {} {}, libzmq {} ({})",
                    peer.info.binding, peer.info.impl_version, peer.info.libzmq, peer.libzmq_origin
                );
                println!(
                    "    transports: {}; roles: {}",
                    peer.info.transports.join(", "),
                    peer.info.roles.join(", ")
                );
                for (transport, why) in &peer.info.unsupported {
                    println!("    no {transport}: {why}");
                }
                println!("    built with: {}", peer.built_with);
            }
            Err(missing) => println!("{id}: unavailable: {}", missing.reason),
        }
    }
    Ok(true)
}
