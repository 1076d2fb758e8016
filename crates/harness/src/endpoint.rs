//! Endpoints for one cell: a wildcard tcp port on loopback, an ipc socket file in a private
//! temporary directory that is removed with the cell, or a port on one of the cell's two
//! hosts (`hosts`), reached directly or through an SSH tunnel.
//!
//! ipc paths are checked against the platform's `sun_path` size before any peer starts, so an
//! over-long path is refused with a message that says so rather than a libzmq errno at bind.

use crate::hosts::ssh::{Sshd, Tunnel};
use crate::hosts::{HostPair, Side, Unavailable};
use crate::process::Spec;
use crate::transport::Transport;
use std::path::{Path, PathBuf};

/// The operating systems whose AF_UNIX rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// `sun_path` is 108 bytes.
    Linux,
    /// `sun_path` is 104 bytes.
    MacOs,
    /// AF_UNIX since Windows 10 1803: `sun_path` is 108 bytes.
    Windows,
    /// Other Unix systems: the smallest common size, 104 bytes.
    OtherUnix,
}

impl Platform {
    /// The platform this harness runs on.
    #[must_use]
    pub fn current() -> Self {
        if cfg!(target_os = "linux") || cfg!(target_os = "android") {
            Self::Linux
        } else if cfg!(target_vendor = "apple") {
            Self::MacOs
        } else if cfg!(windows) {
            Self::Windows
        } else {
            Self::OtherUnix
        }
    }

    /// The longest usable path in bytes: `sun_path` minus its terminating NUL.
    #[must_use]
    pub fn max_ipc_path(self) -> usize {
        match self {
            Self::Linux | Self::Windows => 107,
            Self::MacOs | Self::OtherUnix => 103,
        }
    }

    /// The environment variable that moves the temporary directory: `TMPDIR`, or on Windows
    /// `TMP` (which `GetTempPath`, and so Rust's `temp_dir`, reads first).
    #[must_use]
    pub fn temp_dir_variable(self) -> &'static str {
        match self {
            Self::Windows => "TMP or TEMP",
            _ => "TMPDIR",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Linux => "Linux",
            Self::MacOs => "macOS",
            Self::Windows => "Windows",
            Self::OtherUnix => "this Unix",
        }
    }
}

/// Builds the `ipc://` endpoint for a socket file, checking the platform's length limit.
///
/// On Windows the path keeps its drive letter and backslashes (libzmq passes it to the system
/// as it is); a `\\?\` verbatim prefix, which AF_UNIX does not accept, is removed.
///
/// # Errors
/// A message naming the path, its length and the limit.
pub fn ipc_endpoint(path: &str, platform: Platform) -> Result<String, String> {
    let path = match platform {
        Platform::Windows => path.strip_prefix(r"\\?\").unwrap_or(path),
        _ => path,
    };
    if path.is_empty() {
        return Err("ipc path is empty".into());
    }
    let limit = platform.max_ipc_path();
    if path.len() > limit {
        return Err(format!(
            "ipc path {path:?} is {} bytes, over {}'s limit of {limit} bytes for a socket path \
             (sun_path holds {} with its terminating NUL); use a shorter temporary directory \
             ({})",
            path.len(),
            platform.name(),
            limit + 1,
            platform.temp_dir_variable()
        ));
    }
    Ok(format!("ipc://{path}"))
}

/// Where a cell's binder binds and how its connector gets there; owns what the transport needs
/// (the ipc directory; the two hosts and the tunnel's `sshd`), all removed on drop.
#[derive(Debug)]
pub struct CellEndpoint {
    bind: String,
    // Dropped in this order: sshd, then the hosts it runs in, then the directory of its keys.
    sshd: Option<Sshd>,
    hosts: Option<HostPair>,
    dir: Option<tempfile::TempDir>,
}

/// The connector's way to the binder: its endpoint, and the tunnel it goes through, if any
/// (closed when this is dropped).
#[derive(Debug)]
pub struct Route {
    /// The endpoint the connector is given.
    pub endpoint: String,
    /// The `ssh -L` forward, for the `ssh` transport.
    pub tunnel: Option<Tunnel>,
}

impl CellEndpoint {
    /// A fresh endpoint for `transport`: for the transports across hosts, the hosts too (and
    /// for `ssh` the server the tunnel will go through).
    ///
    /// # Errors
    /// [`Unavailable::Skip`] when this machine cannot make hosts or has no OpenSSH; a failure
    /// when the private directory cannot be made, the path is too long or a host command fails.
    pub fn new(transport: Transport) -> Result<Self, Unavailable> {
        let plain = |bind: &str| Self { bind: bind.into(), sshd: None, hosts: None, dir: None };
        match transport {
            Transport::Tcp => Ok(plain("tcp://127.0.0.1:*")),
            Transport::Ipc => {
                let dir = private_dir(&std::env::temp_dir()).map_err(Unavailable::Failed)?;
                let socket = dir.path().join("s");
                let bind = ipc_endpoint(&socket.to_string_lossy(), Platform::current())
                    .map_err(Unavailable::Failed)?;
                Ok(Self { dir: Some(dir), ..plain(&bind) })
            }
            Transport::Hosts | Transport::Hosts1g => {
                let shaped = (transport == Transport::Hosts1g).then_some("1gbit");
                let hosts = HostPair::new(shaped)?;
                let bind = format!("tcp://{}:*", crate::hosts::BINDER_ADDRESS);
                Ok(Self { hosts: Some(hosts), ..plain(&bind) })
            }
            Transport::Ssh => {
                crate::hosts::can_make_hosts().map_err(Unavailable::Skip)?;
                crate::hosts::ssh::available().map_err(Unavailable::Skip)?;
                let hosts = HostPair::new(None)?;
                let dir = private_dir(&std::env::temp_dir()).map_err(Unavailable::Failed)?;
                let sshd = Sshd::start(&hosts, dir.path()).map_err(Unavailable::Failed)?;
                Ok(Self {
                    sshd: Some(sshd),
                    hosts: Some(hosts),
                    dir: Some(dir),
                    ..plain("tcp://127.0.0.1:*")
                })
            }
        }
    }

    /// The endpoint the binder is given (`tcp://127.0.0.1:*`, `ipc://...`, `tcp://10.77.0.1:*`).
    #[must_use]
    pub fn bind(&self) -> &str {
        &self.bind
    }

    /// The ipc directory (or the tunnel's keys), if any.
    #[must_use]
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_ref().map(tempfile::TempDir::path)
    }

    /// The cell's hosts, for the transports across hosts.
    #[must_use]
    pub fn hosts(&self) -> Option<&HostPair> {
        self.hosts.as_ref()
    }

    /// A binder's command, placed on the binder's host if the cell has hosts.
    #[must_use]
    pub fn binder(&self, spec: Spec) -> Spec {
        match &self.hosts {
            Some(hosts) => hosts.inside(Side::Binder, spec),
            None => spec,
        }
    }

    /// A connector's command, placed on the connector's host if the cell has hosts.
    #[must_use]
    pub fn connector(&self, spec: Spec) -> Spec {
        match &self.hosts {
            Some(hosts) => hosts.inside(Side::Connector, spec),
            None => spec,
        }
    }

    /// The connector's way to the endpoint the binder reported: that endpoint itself, or
    /// through a tunnel opened now to the port it bound.
    ///
    /// # Errors
    /// Why the tunnel did not come up.
    pub fn route(&self, resolved: &str) -> Result<Route, String> {
        let (Some(sshd), Some(hosts)) = (&self.sshd, &self.hosts) else {
            return Ok(Route { endpoint: resolved.to_owned(), tunnel: None });
        };
        let port = resolved
            .rsplit_once(':')
            .and_then(|(_, port)| port.parse().ok())
            .ok_or_else(|| format!("the binder reported {resolved:?}, which has no tcp port"))?;
        let tunnel = sshd.tunnel(hosts, port)?;
        Ok(Route { endpoint: Tunnel::endpoint(), tunnel: Some(tunnel) })
    }
}

/// A directory only this user can enter (0700 on Unix), with a short name.
/// The prefix of every temporary directory the harness makes: `zi-<its pid>-`, so that a
/// later run can tell whose it is, and remove it once that harness is dead.
#[must_use]
pub fn owned_prefix() -> String {
    format!("zi-{}-", std::process::id())
}

/// Makes a private (0700) temporary directory in `base`, named after this harness.
///
/// # Errors
/// The reason it cannot be made private or at all.
pub fn private_dir(base: &Path) -> Result<tempfile::TempDir, String> {
    let dir = tempfile::Builder::new()
        .prefix(&owned_prefix())
        .tempdir_in(base)
        .map_err(|e| format!("cannot create a temporary directory in {}: {e}", base.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("cannot make {} private: {e}", dir.path().display()))?;
    }
    Ok(dir)
}

/// Removes the temporary directories in `base` that harnesses now dead left behind (a run
/// killed with SIGKILL cannot clean up), and only those: a directory whose owner's pid is
/// alive, or cannot be checked on this platform, stays. Returns how many were removed.
#[must_use]
pub fn sweep_dead(base: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(base) else { return 0 };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .and_then(owner_of)
                .is_some_and(|pid| alive(pid) == Some(false))
        })
        .filter(|entry| std::fs::remove_dir_all(entry.path()).is_ok())
        .count()
}

/// Whether `name` (`zi-<pid>-...`) belongs to a harness that is no longer alive; `false` when
/// it is not such a name or this platform cannot tell.
#[must_use]
pub fn owner_is_dead(name: &str) -> bool {
    owner_of(name).is_some_and(|pid| alive(pid) == Some(false))
}

/// The pid in `zi-<pid>-...`.
fn owner_of(name: &str) -> Option<u32> {
    name.strip_prefix("zi-")?.split_once('-')?.0.parse().ok()
}

/// Whether process `pid` lives; `None` where this platform cannot tell cheaply.
fn alive(pid: u32) -> Option<bool> {
    if cfg!(target_os = "linux") {
        Some(Path::new("/proc").join(pid.to_string()).exists())
    } else {
        None
    }
}

/// The socket file behind an `ipc://` endpoint.
#[must_use]
pub fn ipc_path(endpoint: &str) -> Option<PathBuf> {
    endpoint.strip_prefix("ipc://").map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_up_to_the_limit_pass_and_longer_ones_are_refused_with_the_reason() {
        let at_limit = format!("/{}", "a".repeat(106));
        assert_eq!(at_limit.len(), 107);
        assert_eq!(ipc_endpoint(&at_limit, Platform::Linux).unwrap(), format!("ipc://{at_limit}"));
        let over = format!("{at_limit}b");
        let err = ipc_endpoint(&over, Platform::Linux).unwrap_err();
        assert!(err.contains("108 bytes, over Linux's limit of 107 bytes"), "{err}");
        assert!(err.ends_with("(TMPDIR)"), "{err}");
        assert!(ipc_endpoint(&at_limit, Platform::MacOs).unwrap_err().contains("limit of 103"));
    }

    #[test]
    fn windows_paths_keep_drive_and_backslashes_but_lose_the_verbatim_prefix() {
        let path = r"\\?\C:\Users\runner\AppData\Local\Temp\zi-Ab12\s";
        assert_eq!(
            ipc_endpoint(path, Platform::Windows).unwrap(),
            r"ipc://C:\Users\runner\AppData\Local\Temp\zi-Ab12\s"
        );
        let long = format!(r"C:\{}\s", "x".repeat(110));
        let err = ipc_endpoint(&long, Platform::Windows).unwrap_err();
        assert!(err.contains("Windows's limit of 107"), "{err}");
        assert!(err.ends_with("(TMP or TEMP)"), "Windows has no TMPDIR: {err}");
    }

    #[test]
    fn an_ipc_endpoint_lives_in_a_private_directory_removed_on_drop() {
        let endpoint = CellEndpoint::new(Transport::Ipc).unwrap();
        let dir = endpoint.dir().unwrap().to_path_buf();
        assert!(dir.is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        }
        assert_eq!(ipc_path(endpoint.bind()).unwrap(), dir.join("s"));
        drop(endpoint);
        assert!(!dir.exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn only_dead_owners_directories_are_swept() {
        let base = tempfile::tempdir().unwrap();
        let mine = private_dir(base.path()).unwrap();
        // A pid above Linux's maximum (2^22) can belong to no live process.
        let dead = base.path().join("zi-4194305-Ab12");
        std::fs::create_dir_all(dead.join("inner")).unwrap();
        std::fs::write(dead.join("inner/s"), "stale").unwrap();
        let stranger = base.path().join("not-ours");
        std::fs::create_dir(&stranger).unwrap();
        assert_eq!(sweep_dead(base.path()), 1);
        assert!(!dead.exists() && mine.path().is_dir() && stranger.is_dir());
        assert_eq!(owner_of(&format!("zi-{}-x", std::process::id())), Some(std::process::id()));
    }

    #[test]
    fn tcp_binds_loopback_with_a_wildcard_port() {
        assert_eq!(CellEndpoint::new(Transport::Tcp).unwrap().bind(), "tcp://127.0.0.1:*");
    }
}
