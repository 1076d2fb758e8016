//! Wine: runs the Windows build of a peer on Linux, in a Wine prefix of the harness's own
//! (`target/interop/wine/prefix`, made once with `wineboot -i`), quietly (`WINEDEBUG=-all`, no
//! display, no Mono or Gecko installers) and on one wineserver the harness starts and stops.
//!
//! Why the harness starts the wineserver and Wine's system processes itself: whoever starts
//! them lends them its stdout and stderr, which they keep open as long as they live. Had a cell's
//! peer started them, its output would not end until they did (measured: 32 s for one `--info`
//! on a server lingering 30 s). So the harness starts the server and then one warm-up run of
//! the peer (which brings up `services.exe`, `winedevice.exe`, ...), both with their output
//! discarded; they detach into sessions of their own, outside every cell's process group, and
//! live on between cells, which also keeps Wine's start-up out of each cell. [`stop`] ends
//! them when the run ends; should the harness die first, the server ends by itself
//! [`LINGER_SECONDS`] after the last Windows process, its system processes with it. Each peer
//! is one Unix process (`wine64` becomes the Windows program), so killing a cell's process
//! group ends it like any peer.

use super::{Missing, stamp};
use crate::peer::Launch;
use crate::process::{self, Spec};
use crate::settings;
use crate::workspace::Workspace;
use contract::Role;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long the wineserver outlives the last Windows process when nobody stops it: longer than
/// any stretch of a run without a Windows peer, since a server that went away would be started
/// again by the next peer, with that peer's output (see the module's comment).
pub const LINGER_SECONDS: u32 = 300;

/// Where Debian's `wine64` package puts the loader and server (its `wine` package adds them to
/// PATH).
const DEBIAN_LIBEXEC: &str = "/usr/lib/wine";

/// A usable Wine and the harness's prefix.
#[derive(Debug, Clone)]
pub struct Wine {
    loader: PathBuf,
    server: PathBuf,
    prefix: PathBuf,
    /// `wine-8.0 (Debian 8.0~repack-4)`.
    pub version: String,
}

/// The prefix whose server this harness started, for [`stop`].
static STARTED: Mutex<Option<Wine>> = Mutex::new(None);

impl Wine {
    /// Finds Wine's loader and server.
    ///
    /// # Errors
    /// [`Missing::toolchain`] when Wine is not installed.
    pub fn find(workspace: &Workspace) -> Result<Self, Missing> {
        let loader = find_program(&["wine64", "wine"])?;
        let server = find_program(&["wineserver", "wineserver64"])?;
        let done = process::run(
            &Spec::new("wine", &loader).arg("--version"),
            settings::scaled(Duration::from_secs(60)),
        )
        .map_err(|e| Missing::toolchain(format!("wine unusable: {e}")))?;
        let version = done.stdout.first().map(|l| l.trim().to_owned()).filter(|_| done.succeeded());
        let version = version.ok_or_else(|| {
            Missing::toolchain(format!("`{}` failed ({})", done.command_line, done.exit))
        })?;
        let prefix = workspace.cache().join("wine").join("prefix");
        Ok(Self { loader, server, prefix, version })
    }

    /// The environment every Wine process of the harness runs with.
    fn env(&self) -> Vec<(OsString, OsString)> {
        [
            ("WINEPREFIX", self.prefix.as_os_str()),
            ("WINEDEBUG", "-all".as_ref()),
            // No prompt to install Mono or Gecko, which a console program never needs.
            ("WINEDLLOVERRIDES", "mscoree,mshtml=".as_ref()),
        ]
        .map(|(k, v)| (OsString::from(k), v.to_owned()))
        .to_vec()
    }

    /// Without a display, Wine opens no window (and needs no X server).
    const NO_DISPLAY: [&'static str; 2] = ["DISPLAY", "WAYLAND_DISPLAY"];

    fn spec(&self, label: &str, program: &Path) -> Spec {
        let spec = Self::NO_DISPLAY.iter().fold(Spec::new(label, program), |s, k| s.env_remove(k));
        self.env().into_iter().fold(spec, |spec, (k, v)| spec.env(k, v))
    }

    /// Makes the prefix once (`wineboot -i`: a minute at most), starts its server, and runs
    /// `warm_up` (a Windows program's `--info`) once, so that Wine's system processes are up
    /// before any cell (see the module's comment).
    ///
    /// # Errors
    /// [`Missing::broken`] when Wine cannot make the prefix, start its server, or run `warm_up`.
    pub fn prepare(&self, warm_up: &Path) -> Result<(), Missing> {
        self.make_prefix()?;
        self.start_server()?;
        let spec = self.spec("warm-up", &self.loader).arg(warm_up).arg("--info").discard_output();
        let done = process::run(&spec, settings::scaled(Duration::from_secs(120)))
            .map_err(|e| Missing::toolchain(format!("wine unusable: {e}")))?;
        if !done.succeeded() {
            return Err(Missing::broken(format!(
                "the first Windows program under Wine failed ({}): {}",
                done.exit, done.command_line
            )));
        }
        Ok(())
    }

    /// Makes the prefix, unless this Wine made it already: `wineboot -i` on a server of its own
    /// (Debian's `wineserver` wrapper passes `-p0`: it ends with the last Windows process), then
    /// `wineserver -w` until that server has ended, which is when it writes the registry.
    /// `wineboot` starts the system processes, so its output is discarded too; its exit status
    /// and the files it leaves say whether it worked.
    fn make_prefix(&self) -> Result<(), Missing> {
        let stamp_file = self.prefix.with_extension("stamp");
        if !(self.prefix.join("system.reg").is_file()
            && stamp::is_fresh(&stamp_file, &self.version))
        {
            std::fs::create_dir_all(&self.prefix).map_err(|e| {
                Missing::broken(format!("cannot create {}: {e}", self.prefix.display()))
            })?;
            let boot =
                self.spec("wineboot", &self.loader).args(["wineboot", "-i"]).discard_output();
            let done = process::run(&boot, settings::scaled(Duration::from_secs(300)))
                .map_err(|e| Missing::toolchain(format!("wine unusable: {e}")))?;
            let wait = self.spec("wineserver", &self.server).arg("-w").discard_output();
            process::run(&wait, settings::scaled(Duration::from_secs(120)))
                .map_err(|e| Missing::toolchain(format!("wineserver unusable: {e}")))?;
            let made = ["system.reg", "drive_c/windows/system32"]
                .iter()
                .all(|path| self.prefix.join(path).exists());
            if !done.succeeded() || !made {
                return Err(Missing::broken(format!(
                    "making the Wine prefix failed ({}; run it by hand to see why): {}",
                    done.exit, done.command_line,
                )));
            }
            stamp::record(&stamp_file, &self.version).map_err(|e| {
                Missing::broken(format!("cannot write {}: {e}", stamp_file.display()))
            })?;
        }
        Ok(())
    }

    /// Starts the prefix's server (a no-op when one runs already) and remembers it for [`stop`].
    fn start_server(&self) -> Result<(), Missing> {
        let spec = self
            .spec("wineserver", &self.server)
            .arg(format!("-p{LINGER_SECONDS}"))
            .discard_output();
        let done = process::run(&spec, settings::scaled(Duration::from_secs(60)))
            .map_err(|e| Missing::toolchain(format!("wineserver unusable: {e}")))?;
        // Exit 2: a server of this prefix runs already (ours, from making the prefix, or
        // another run's), which serves as well.
        if !matches!(done.exit, process::Exit::Code(0 | 2)) {
            return Err(Missing::broken(format!(
                "starting the wineserver failed ({}): {}",
                done.exit, done.command_line
            )));
        }
        if let Ok(mut started) = STARTED.lock() {
            *started = Some(self.clone());
        }
        Ok(())
    }

    /// How to run `exe` under Wine for every role, from `cwd`.
    #[must_use]
    pub fn launch(&self, exe: &Path, cwd: &Path) -> Launch {
        let mut launch =
            Launch::new(Role::ALL.map(|role| (role, self.loader.clone())).to_vec(), cwd);
        launch.prefix = vec![exe.as_os_str().to_owned()];
        launch.env = self.env();
        launch.env_removed = Self::NO_DISPLAY.map(OsString::from).to_vec();
        launch
    }
}

/// Stops the wineserver this harness started, with every Windows process of its prefix
/// (`wineserver -k`): after a run, nothing of Wine's is left running. A no-op when the run
/// started none. Another harness running Windows peers on the same cache at the same moment
/// would lose them too: the prefix, like the build cache, belongs to one run at a time.
pub fn stop() {
    let Some(wine) = STARTED.lock().ok().and_then(|mut started| started.take()) else {
        return;
    };
    // `-k` returns once the signal is sent; `-w` waits for the server to be gone. Both run
    // after Ctrl-C too: that is when leaving nothing behind matters most.
    for flag in ["-k", "-w"] {
        let spec = wine.spec("wineserver", &wine.server).arg(flag).discard_output();
        if let Ok(child) = process::spawn(&spec) {
            child.wait_despite_cancel(Instant::now() + Duration::from_secs(30));
        }
    }
}

/// The first of `names` on PATH, else in Debian's library folder.
fn find_program(names: &[&str]) -> Result<PathBuf, Missing> {
    names
        .iter()
        .find_map(|name| which::which(name).ok())
        .or_else(|| {
            names.iter().map(|name| Path::new(DEBIAN_LIBEXEC).join(name)).find(|p| p.is_file())
        })
        .ok_or_else(|| {
            Missing::toolchain(format!(
                "{} not found on PATH or in {DEBIAN_LIBEXEC} (Debian: apt-get install wine64)",
                names.join(" or ")
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_runs_the_exe_through_the_loader_in_our_prefix_without_a_display() {
        let wine = Wine {
            loader: "/usr/lib/wine/wine64".into(),
            server: "/usr/lib/wine/wineserver".into(),
            prefix: "/cache/wine/prefix".into(),
            version: "wine-8.0".into(),
        };
        let launch = wine.launch(Path::new("/cache/windows/c/c-peer.exe"), Path::new("/repo"));
        assert_eq!(launch.programs.len(), Role::ALL.len());
        assert!(launch.programs.iter().all(|(_, p)| p == Path::new("/usr/lib/wine/wine64")));
        assert_eq!(launch.prefix, [OsString::from("/cache/windows/c/c-peer.exe")]);
        let env = |key: &str| {
            launch.env.iter().find(|(k, _)| k == key).map(|(_, v)| v.to_string_lossy().into_owned())
        };
        assert_eq!(env("WINEPREFIX").as_deref(), Some("/cache/wine/prefix"));
        assert_eq!(env("WINEDEBUG").as_deref(), Some("-all"));
        assert!(env("WINEDLLOVERRIDES").is_some_and(|v| v.contains("mscoree")));
        assert!(launch.env_removed.contains(&OsString::from("DISPLAY")));
    }

    #[test]
    fn stopping_without_a_started_server_does_nothing() {
        if let Ok(mut started) = STARTED.lock() {
            *started = None;
        }
        stop();
        assert!(STARTED.lock().is_ok_and(|started| started.is_none()));
    }
}
