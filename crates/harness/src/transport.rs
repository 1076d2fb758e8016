//! The transports a cell runs over: the two the peers know (`tcp`, `ipc` on this machine) and
//! the ones the harness builds around tcp — two throwaway network hosts joined by a veth pair
//! (`hosts`, and `hosts1g` with the link shaped to 1 Gbit/s), and those hosts joined by an SSH
//! local port forward (`ssh`), the scenario this project started from.
//!
//! A peer only ever sees `tcp://` or `ipc://`: [`Transport::wire`] is what it is asked to
//! support; where its processes run and what lies between them is the harness's business
//! (`hosts`).

use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a cell's two peers reach each other.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// TCP on this machine's loopback.
    Tcp,
    /// Unix domain sockets (AF_UNIX, Windows included).
    Ipc,
    /// TCP between two network hosts (namespaces) joined by a veth pair.
    Hosts,
    /// As `hosts`, with the link shaped to 1 Gbit/s (`tc` token bucket filter).
    #[value(name = "hosts1g")]
    #[serde(rename = "hosts1g")]
    Hosts1g,
    /// TCP between two hosts through an SSH local port forward (`ssh -L`): the connector
    /// reaches the binder's loopback port through `sshd` on the binder's host.
    Ssh,
}

impl Transport {
    /// Every transport, in report order.
    pub const ALL: [Self; 5] = [Self::Tcp, Self::Ipc, Self::Hosts, Self::Hosts1g, Self::Ssh];

    /// The transports a selection runs unless told otherwise: the ones this machine has
    /// without root. `hosts`, `hosts1g` and `ssh` are asked for by name (`--transport`).
    pub const LOCAL: [Self; 2] = [Self::Tcp, Self::Ipc];

    /// Its name in cell names, reports and on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Ipc => "ipc",
            Self::Hosts => "hosts",
            Self::Hosts1g => "hosts1g",
            Self::Ssh => "ssh",
        }
    }

    /// The transport from its name.
    ///
    /// # Errors
    /// A message naming the unknown transport.
    pub fn from_name(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .ok_or_else(|| format!("unknown transport {name:?}"))
    }

    /// What the peers speak: `ipc` for `ipc`, `tcp` for every other.
    #[must_use]
    pub fn wire(self) -> contract::Transport {
        match self {
            Self::Ipc => contract::Transport::Ipc,
            Self::Tcp | Self::Hosts | Self::Hosts1g | Self::Ssh => contract::Transport::Tcp,
        }
    }

    /// Whether the cell's two sides run on hosts of their own.
    #[must_use]
    pub fn across_hosts(self) -> bool {
        matches!(self, Self::Hosts | Self::Hosts1g | Self::Ssh)
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_hosts_speak_tcp() {
        for transport in Transport::ALL {
            assert_eq!(Transport::from_name(transport.name()), Ok(transport));
            assert_eq!(
                serde_json::to_string(&transport).unwrap(),
                format!("\"{}\"", transport.name())
            );
            assert_eq!(
                transport.to_possible_value().unwrap().get_name(),
                transport.name(),
                "the command line spells it as reports do"
            );
            assert_eq!(
                transport.across_hosts(),
                transport.wire() == contract::Transport::Tcp && transport != Transport::Tcp
            );
        }
        assert_eq!(Transport::from_name("udp"), Err("unknown transport \"udp\"".into()));
    }
}
