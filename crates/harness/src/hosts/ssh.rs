//! The SSH tunnel between a cell's two hosts, as the scenario this project started from ran
//! it: an `sshd` on the binder's host, and on the connector's host `ssh -N -L
//! 127.0.0.1:PORT:127.0.0.1:BOUND` so that the connector reaches the binder's loopback port
//! through the forward.
//!
//! Everything is the cell's own: fresh ed25519 host and client keys (mode 0600) in the cell's
//! private directory, an `sshd_config` that allows only key authentication, only local
//! forwarding and only that host's address, and a client that reads no configuration, no agent
//! and no `~/.ssh` (`-F /dev/null`, `IdentitiesOnly`, its own known-hosts file holding the one
//! host key, `HOME` pointed at the cell's directory).

use super::{BINDER_ADDRESS, HostPair, Side};
use crate::process::{self, Child, Finished, Line, Spec};
use crate::settings;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The port the tunnel listens on in the connector's host (the host is the cell's own, so no
/// other program can hold it): the port of the original scenario's forward.
pub const FORWARDED_PORT: u16 = 5555;

/// The OpenSSH server, where Debian puts it.
const SSHD: &str = "/usr/sbin/sshd";

/// `Ok` when this machine has OpenSSH's server and client; else why not.
///
/// # Errors
/// The missing program and its package.
pub fn available() -> Result<(), String> {
    if !Path::new(SSHD).is_file() {
        return Err(format!("{SSHD} not found: apt-get install openssh-server"));
    }
    for program in ["ssh", "ssh-keygen"] {
        if which::which(program).is_err() {
            return Err(format!("{program} not found on PATH: apt-get install openssh-client"));
        }
    }
    Ok(())
}

/// An `sshd` serving the binder's host, with the keys the tunnel uses.
///
/// Dropping it kills `sshd` (its per-connection children leave its process group; removing
/// the hosts ends them).
#[derive(Debug)]
pub struct Sshd {
    #[allow(dead_code)] // Held for its kill-on-drop.
    child: Child,
    dir: PathBuf,
}

impl Sshd {
    /// Makes the keys in `dir` (private to the cell) and starts `sshd` in the binder's host,
    /// returning once it says it listens.
    ///
    /// # Errors
    /// The step that failed, with `sshd`'s own words.
    pub fn start(hosts: &HostPair, dir: &Path) -> Result<Self, String> {
        keygen(&dir.join("host_key"))?;
        keygen(&dir.join("client_key"))?;
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name)).map_err(|e| format!("cannot read {name}: {e}"))
        };
        let client_public = read("client_key.pub")?;
        let host_public = read("host_key.pub")?;
        let host_key = host_public.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        write_private(&dir.join("authorized_keys"), &client_public)?;
        write_private(&dir.join("known_hosts"), &format!("{BINDER_ADDRESS} {host_key}\n"))?;
        write_private(&dir.join("sshd_config"), &config(dir, &user()))?;
        // privsep needs its empty directory; Debian's service makes it at boot, a machine that
        // never ran sshd has none.
        std::fs::create_dir_all("/run/sshd")
            .map_err(|e| format!("cannot create /run/sshd: {e}"))?;
        let config = dir.join("sshd_config");
        let spec =
            merged(Spec::new("sshd (binder's host)", SSHD).args(["-D", "-e", "-f"]).arg(&config));
        let mut child =
            process::spawn(&hosts.inside(Side::Binder, spec)).map_err(|e| format!("sshd: {e}"))?;
        let deadline = Instant::now() + settings::scaled(Duration::from_secs(10));
        wait_for_line(&mut child, deadline, "Server listening on")?;
        Ok(Self { child, dir: dir.to_owned() })
    }

    /// Opens the forward from the connector's host to `bound` (the port the binder bound on
    /// its host's loopback), returning once `ssh` listens on [`FORWARDED_PORT`].
    ///
    /// # Errors
    /// Why the tunnel did not come up, with `ssh`'s own words.
    pub fn tunnel(&self, hosts: &HostPair, bound: u16) -> Result<Tunnel, String> {
        let forward = format!("127.0.0.1:{FORWARDED_PORT}:127.0.0.1:{bound}");
        let key = self.dir.join("client_key");
        let known = self.dir.join("known_hosts");
        let spec = Spec::new("ssh -L (connector's host)", "ssh")
            .args(["-F", "/dev/null", "-v", "-N", "-L", &forward, "-i"])
            .arg(&key)
            .args(["-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"])
            .args(["-o", "StrictHostKeyChecking=yes", "-o", "GlobalKnownHostsFile=/dev/null"])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", known.display()))
            .args(["-o", "ExitOnForwardFailure=yes", "-o", "ConnectTimeout=10"])
            .args(["-l", &user(), BINDER_ADDRESS])
            .env("HOME", &self.dir);
        let spec = merged(spec);
        let mut child = process::spawn(&hosts.inside(Side::Connector, spec))
            .map_err(|e| format!("ssh: {e}"))?;
        let deadline = Instant::now() + settings::scaled(Duration::from_secs(10));
        wait_for_line(&mut child, deadline, "Local forwarding listening on 127.0.0.1 port")?;
        Ok(Tunnel { child: Some(child) })
    }
}

/// A running `ssh -L`; closed when dropped or [`Tunnel::kill`]ed.
#[derive(Debug)]
pub struct Tunnel {
    child: Option<Child>,
}

impl Tunnel {
    /// The endpoint the connector is given.
    #[must_use]
    pub fn endpoint() -> String {
        format!("tcp://127.0.0.1:{FORWARDED_PORT}")
    }

    /// Forgets what `ssh` has said so far, so that [`Tunnel::wait_for_close`] hears only of
    /// what happens next.
    pub fn drain(&mut self) {
        if let Some(child) = &mut self.child {
            while let Line::Text(_) = child.next_line(Instant::now()) {}
        }
    }

    /// Waits until `ssh` has freed a forwarded connection: the connector closed its end, so it
    /// has noticed that the binder behind the tunnel is gone. Over loopback tcp the kernel
    /// tells the connector at once; through a tunnel the news travels through `sshd` and `ssh`,
    /// and what the connector sends before it arrives goes to the dead binder.
    ///
    /// # Errors
    /// When `ssh` says nothing of the kind before `deadline`.
    pub fn wait_for_close(&mut self, deadline: Instant) -> Result<(), String> {
        let child = self.child.as_mut().ok_or("the tunnel was killed")?;
        wait_for_line(child, deadline, ": free: direct-tcpip").map_err(|why| {
            format!("the connector kept its connection through the tunnel to a dead binder ({why})")
        })
    }

    /// Kills the `ssh` process: the forward and every connection through it die at once.
    pub fn kill(&mut self) -> Option<Finished> {
        self.child.take().map(Child::stop)
    }
}

/// The command with its stderr on stdout (`sh -c 'exec "$0" "$@" 2>&1' PROGRAM ARGS`), where the
/// harness reads lines: `sshd -e` and `ssh -v` say on stderr when they are ready.
fn merged(spec: Spec) -> Spec {
    spec.through("sh", ["-c", "exec \"$0\" \"$@\" 2>&1"])
}

/// Reads `child`'s lines until one contains `marker`.
fn wait_for_line(child: &mut Child, deadline: Instant, marker: &str) -> Result<(), String> {
    let mut seen = Vec::new();
    loop {
        match child.next_line(deadline) {
            Line::Text(line) if line.contains(marker) => return Ok(()),
            Line::Text(line) => seen.push(line),
            Line::Closed | Line::TimedOut | Line::Cancelled => {
                let label = child.spec().label().to_owned();
                let said: Vec<&String> = seen.iter().filter(|l| !l.starts_with("debug")).collect();
                let said = said.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(" / ");
                return Err(format!("{label} never said {marker:?}: {said}"));
            }
        }
    }
}

/// A fresh ed25519 key pair at `path` (and `path.pub`), no passphrase.
fn keygen(path: &Path) -> Result<(), String> {
    let spec = Spec::new("ssh-keygen", "ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "zmq-interop", "-f"])
        .arg(path);
    let done =
        process::run(&spec, Duration::from_secs(30)).map_err(|e| format!("ssh-keygen: {e}"))?;
    if done.succeeded() {
        Ok(())
    } else {
        Err(format!("ssh-keygen {}: {}", done.exit, done.stderr.trim()))
    }
}

/// Writes `text` to `path`, readable by this user only.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot make {} private: {e}", path.display()))?;
    }
    Ok(())
}

/// The account the tunnel logs in as: the harness's own (hosts need root, so usually `root`).
fn user() -> String {
    std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "root".into())
}

/// The server's configuration: keys only, local forwarding to loopback only, nothing else.
/// `StrictModes no` because the cell's directory lives under the world-writable temporary
/// directory, which sshd's ownership walk refuses; the directory itself is 0700.
fn config(dir: &Path, user: &str) -> String {
    format!(
        "ListenAddress {BINDER_ADDRESS}:22\n\
         HostKey {host_key}\n\
         AuthorizedKeysFile {authorized}\n\
         AllowUsers {user}\n\
         PubkeyAuthentication yes\n\
         PasswordAuthentication no\n\
         KbdInteractiveAuthentication no\n\
         PermitRootLogin prohibit-password\n\
         AllowTcpForwarding local\n\
         PermitOpen 127.0.0.1:*\n\
         AllowAgentForwarding no\n\
         X11Forwarding no\n\
         PermitTTY no\n\
         UsePAM no\n\
         UseDNS no\n\
         StrictModes no\n\
         PidFile none\n\
         LogLevel INFO\n",
        host_key = dir.join("host_key").display(),
        authorized = dir.join("authorized_keys").display(),
    )
}
