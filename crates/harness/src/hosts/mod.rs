//! Two throwaway network hosts for one cell: Linux network namespaces the harness creates,
//! joined by a veth pair, each side of the cell started inside its own host.
//!
//! The namespaces are named `zi-<harness pid>-<n>-a` (the binder's host) and `...-b` (the
//! connector's), like the harness's temporary directories, so that a later run removes what a
//! killed one left ([`sweep_dead`]). The veth pair is created inside them (`v0` on each side),
//! never in the machine's own namespace, and the addresses are the harness's choice within
//! those namespaces only: nothing is routed to or from the machine's network.
//!
//! Needs Linux, `ip` (iproute2) and root or `CAP_NET_ADMIN`+`CAP_SYS_ADMIN`; without them a
//! cell across hosts is a skip with the reason.

pub mod ssh;

use crate::process::{self, Spec};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// The binder's host address (`v0` in host `a`).
pub const BINDER_ADDRESS: &str = "10.77.0.1";
/// The connector's host address (`v0` in host `b`).
pub const CONNECTOR_ADDRESS: &str = "10.77.0.2";
/// The link's interface name on both sides.
const LINK: &str = "v0";
/// How long one `ip`/`tc` command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Which of the two hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The binding peer's host (and `sshd`'s).
    Binder,
    /// The connecting peer's host (and the tunnel's client).
    Connector,
}

/// Why a cell cannot have its hosts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// This machine cannot make them at all (no Linux, no `ip`, no privilege): a skip.
    Skip(String),
    /// It should have, and a command failed: a failure.
    Failed(String),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Skip(why) | Self::Failed(why) => f.write_str(why),
        }
    }
}

/// Two network namespaces joined by a veth pair; removed (with every process still inside)
/// when dropped.
#[derive(Debug)]
pub struct HostPair {
    names: [String; 2],
}

impl HostPair {
    /// Creates the two hosts and their link, `shaped` to this rate (`tc` token bucket filter,
    /// e.g. `1gbit`) in both directions when given.
    ///
    /// # Errors
    /// [`Unavailable::Skip`] when this machine cannot make network namespaces, else
    /// [`Unavailable::Failed`] with the command that failed.
    pub fn new(shaped: Option<&str>) -> Result<Self, Unavailable> {
        can_make_hosts().map_err(Unavailable::Skip)?;
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let base = format!("{}{n}", crate::endpoint::owned_prefix());
        let names = [format!("{base}-a"), format!("{base}-b")];
        let mut pair = Self { names: [String::new(), String::new()] };
        for (at, name) in names.iter().enumerate() {
            ip(&["netns", "add", name]).map_err(Unavailable::Failed)?;
            // Only a namespace that exists is removed on drop.
            pair.names[at].clone_from(name);
        }
        let [a, b] = &pair.names;
        let mut steps: Vec<Vec<&str>> = vec![
            vec!["-n", a, "link", "add", LINK, "type", "veth", "peer", "name", LINK, "netns", b],
            vec!["-n", a, "addr", "add", "10.77.0.1/30", "dev", LINK],
            vec!["-n", b, "addr", "add", "10.77.0.2/30", "dev", LINK],
        ];
        for host in [a, b] {
            steps.push(vec!["-n", host, "link", "set", "lo", "up"]);
            steps.push(vec!["-n", host, "link", "set", LINK, "up"]);
        }
        for step in steps {
            ip(&step).map_err(Unavailable::Failed)?;
        }
        if let Some(rate) = shaped {
            for host in [a, b] {
                run_in(
                    host,
                    "tc",
                    &[
                        "qdisc", "add", "dev", LINK, "root", "tbf", "rate", rate, "burst", "1mb",
                        "latency", "50ms",
                    ],
                )
                .map_err(Unavailable::Failed)?;
            }
        }
        Ok(pair)
    }

    /// The host's namespace name.
    #[must_use]
    pub fn name(&self, side: Side) -> &str {
        match side {
            Side::Binder => &self.names[0],
            Side::Connector => &self.names[1],
        }
    }

    /// `spec`, started inside `side`'s host (`ip netns exec`, which executes it: same pid).
    #[must_use]
    pub fn inside(&self, side: Side, spec: Spec) -> Spec {
        spec.through("ip", ["netns", "exec", self.name(side)])
    }

    /// Takes the link down (`up` false) or brings it back, from the connector's side: packets
    /// between the hosts are dropped meanwhile, while every socket stays open.
    ///
    /// # Errors
    /// The `ip` command's failure.
    pub fn set_link(&self, up: bool) -> Result<(), String> {
        let state = if up { "up" } else { "down" };
        ip(&["-n", self.name(Side::Connector), "link", "set", LINK, state])
    }

    /// The processes inside `side`'s host, by the kernel's own count.
    #[must_use]
    pub fn pids(&self, side: Side) -> Vec<u32> {
        pids_in(self.name(side))
    }
}

impl Drop for HostPair {
    fn drop(&mut self) {
        for name in self.names.iter().filter(|n| !n.is_empty()) {
            remove(name);
        }
    }
}

/// `ip ARGS`, its stderr as the error.
fn ip(args: &[&str]) -> Result<(), String> {
    command(&Spec::new("ip", "ip").args(args))
}

/// `PROGRAM ARGS` inside host `name`.
fn run_in(name: &str, program: &str, args: &[&str]) -> Result<(), String> {
    command(&Spec::new(program, program).args(args).through("ip", ["netns", "exec", name]))
}

fn command(spec: &Spec) -> Result<(), String> {
    let done =
        process::run(spec, COMMAND_TIMEOUT).map_err(|e| format!("{}: {e}", spec.command_line()))?;
    if done.succeeded() {
        Ok(())
    } else {
        Err(format!("{}: {} ({})", spec.command_line(), done.stderr.trim(), done.exit))
    }
}

/// The pids `ip netns pids` lists for host `name`.
fn pids_in(name: &str) -> Vec<u32> {
    let spec = Spec::new("ip", "ip").args(["netns", "pids", name]);
    process::run(&spec, COMMAND_TIMEOUT)
        .map(|done| done.stdout.iter().filter_map(|l| l.trim().parse().ok()).collect())
        .unwrap_or_default()
}

/// Kills whatever still runs in host `name` (a tunnel's `sshd` child, a peer the harness
/// lost), then removes the namespace; its end of the veth pair goes with it.
fn remove(name: &str) {
    for pid in pids_in(name) {
        let _ = process::run(
            &Spec::new("kill", "kill").args(["-KILL", &pid.to_string()]),
            COMMAND_TIMEOUT,
        );
    }
    let _ = ip(&["netns", "del", name]);
}

/// `Ok` when this machine can make network hosts; else why not, in one line.
///
/// # Errors
/// The missing platform, tool or privilege.
pub fn can_make_hosts() -> Result<(), String> {
    privileged()?;
    if which::which("ip").is_err() {
        return Err("ip (iproute2) not found on PATH: apt-get install iproute2".into());
    }
    Ok(())
}

/// `Ok` when this platform and this process's privileges allow network hosts (Linux, root or
/// `CAP_NET_ADMIN`+`CAP_SYS_ADMIN`), whatever tools are installed. Unlike a missing tool, a
/// missing privilege is not something `INTEROP_REQUIRE_ALL=1` can ask a machine to fix: the
/// GitHub runners' unprivileged jobs skip the cells across hosts, the project's CI (root) runs
/// them.
///
/// # Errors
/// The missing platform or privilege.
pub fn privileged() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Err("hosts are Linux network namespaces; this platform has none".into());
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if !has_capabilities(&status) {
        return Err("making network hosts needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)".into());
    }
    Ok(())
}

/// Whether `/proc/self/status` text grants CAP_NET_ADMIN (12) and CAP_SYS_ADMIN (21).
fn has_capabilities(status: &str) -> bool {
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << 12) != 0 && caps & (1 << 21) != 0)
}

/// Removes the hosts that harnesses now dead left behind (a run killed with SIGKILL cannot
/// clean up), with every process still inside them, and only those. Returns how many.
#[must_use]
pub fn sweep_dead() -> usize {
    if can_make_hosts().is_err() {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir("/run/netns") else { return 0 };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter(|name| crate::endpoint::owner_is_dead(name))
        .inspect(|name| remove(name))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_are_read_from_the_effective_set() {
        assert!(has_capabilities("Name:\tx\nCapEff:\t000001ffffffffff\n"));
        assert!(!has_capabilities("CapEff:\t0000000000001000\n"), "CAP_NET_ADMIN alone");
        assert!(!has_capabilities("CapEff:\t0000000000000000\n"));
        assert!(!has_capabilities("no such line"));
    }

    #[test]
    fn a_command_inside_a_host_is_executed_by_ip_netns_exec() {
        let spec = Spec::new("peer", "/bin/peer").arg("pub");
        let pair = HostPair { names: ["zi-1-0-a".into(), "zi-1-0-b".into()] };
        let inside = pair.inside(Side::Connector, spec);
        assert_eq!(inside.posix_command_line(), "ip netns exec zi-1-0-b /bin/peer pub");
        std::mem::forget(pair); // Nothing was created.
    }
}
