//! The one place where the harness starts a process.
//!
//! Every child (peers, compilers, cargo, pip) is described by a [`Spec`] and started by
//! [`spawn`], which sets the working directory and environment, puts the child in a process
//! group of its own (a job object on Windows), collects its stdout as lines and its stderr as
//! text on background threads, and kills the whole group when the [`Child`] is dropped. Waits
//! take a deadline and watch for Ctrl-C ([`cancel`]), so no wait outlives the run.

use process_wrap::std::{ChildWrapper, CommandWrap};
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often a wait looks at the child and at Ctrl-C.
const POLL: Duration = Duration::from_millis(2);
/// How much of a child's stderr is kept (its end, which holds the `error:` line).
const STDERR_KEEP: usize = 64 * 1024;

static CANCELLED: AtomicBool = AtomicBool::new(false);
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Asks every wait to stop: running children are killed as their waits notice.
pub fn cancel() {
    CANCELLED.store(true, Ordering::SeqCst);
}

/// [`cancel`], because the harness received `signal` (2 for SIGINT or Ctrl-C, 15 SIGTERM).
pub fn cancel_by(signal: i32) {
    let _ = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    cancel();
}

/// The signal that cancelled the run, if one did: its number and name.
#[must_use]
pub fn interrupted_by() -> Option<(i32, &'static str)> {
    if !cancelled() {
        return None;
    }
    let signal = match SIGNAL.load(Ordering::SeqCst) {
        0 => 2,
        n => n,
    };
    let name = match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    };
    Some((signal, name))
}

/// Whether [`cancel`] was called.
#[must_use]
pub fn cancelled() -> bool {
    CANCELLED.load(Ordering::SeqCst)
}

/// A process to start.
#[derive(Debug, Clone)]
pub struct Spec {
    program: PathBuf,
    args: Vec<OsString>,
    cwd: Option<PathBuf>,
    env: Vec<(OsString, OsString)>,
    env_removed: Vec<OsString>,
    label: String,
    stdin_pipe: bool,
    output_discarded: bool,
}

impl Spec {
    /// A process running `program`; `label` names it in reports ("publisher", "cargo").
    pub fn new(label: impl Into<String>, program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
            args: Vec::new(),
            cwd: None,
            env: Vec::new(),
            env_removed: Vec::new(),
            label: label.into(),
            stdin_pipe: false,
            output_discarded: false,
        }
    }

    /// Gives the child a pipe for stdin that the harness holds (written with
    /// [`Child::write_line`], closed when the child is collected or the harness dies), instead
    /// of an empty stdin.
    #[must_use]
    pub fn stdin_pipe(mut self) -> Self {
        self.stdin_pipe = true;
        self
    }

    /// Sends the child's stdout and stderr to the null device instead of the harness's pipes:
    /// for a program that starts a daemon (`wineserver`) which keeps its parent's output open,
    /// so a pipe read to its end would wait as long as the daemon lives.
    #[must_use]
    pub fn discard_output(mut self) -> Self {
        self.output_discarded = true;
        self
    }

    /// Adds an argument.
    #[must_use]
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Adds arguments.
    #[must_use]
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Runs the same command through `wrapper` and its arguments (`ip netns exec HOST`), which
    /// end by executing it: the program becomes the wrapper's last argument before its own.
    #[must_use]
    pub fn through<I, S>(mut self, wrapper: impl Into<PathBuf>, wrapper_args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut args: Vec<OsString> =
            wrapper_args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        args.push(std::mem::replace(&mut self.program, wrapper.into()).into_os_string());
        args.append(&mut self.args);
        self.args = args;
        self
    }

    /// Sets the working directory.
    #[must_use]
    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = Some(dir.into());
        self
    }

    /// Sets an environment variable.
    #[must_use]
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env.push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Removes an environment variable the harness itself inherited.
    #[must_use]
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.env_removed.push(key.as_ref().to_owned());
        self
    }

    /// The label given at creation.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The program.
    #[must_use]
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The arguments.
    #[must_use]
    pub fn arguments(&self) -> &[OsString] {
        &self.args
    }

    /// The command as a person would type it in this platform's shell, from the working
    /// directory: PowerShell on Windows, a POSIX shell elsewhere.
    #[must_use]
    pub fn command_line(&self) -> String {
        if cfg!(windows) { self.powershell_command_line() } else { self.posix_command_line() }
    }

    /// The command for PowerShell (Windows' shell, the runners' default):
    /// `Set-Location 'D:\a'; $env:K = 'v'; & 'C:\x\python.exe' 'arg'`.
    #[must_use]
    pub fn powershell_command_line(&self) -> String {
        let quote = |word: &OsStr| format!("'{}'", word.to_string_lossy().replace('\'', "''"));
        let mut parts = Vec::new();
        if let Some(cwd) = &self.cwd {
            parts.push(format!("Set-Location {}", quote(cwd.as_os_str())));
        }
        for key in &self.env_removed {
            parts.push(format!(
                "Remove-Item Env:{} -ErrorAction SilentlyContinue",
                key.to_string_lossy()
            ));
        }
        for (key, value) in &self.env {
            parts.push(format!("$env:{} = {}", key.to_string_lossy(), quote(value)));
        }
        let mut call = vec!["&".to_owned(), quote(self.program.as_os_str())];
        call.extend(self.args.iter().map(|a| quote(a)));
        parts.push(call.join(" "));
        parts.join("; ")
    }

    /// The command for a POSIX shell: `cd /repo && K='v w' /bin/echo 'a b'`.
    #[must_use]
    pub fn posix_command_line(&self) -> String {
        let mut words = Vec::with_capacity(self.args.len() + 3);
        if let Some(cwd) = &self.cwd {
            words.push(format!("cd {} &&", quote(cwd.as_os_str())));
        }
        if !self.env_removed.is_empty() {
            words.push("env".into());
            words.extend(self.env_removed.iter().map(|k| format!("-u {}", quote(k))));
        }
        for (key, value) in &self.env {
            words.push(format!("{}={}", key.to_string_lossy(), quote(value)));
        }
        words.push(quote(self.program.as_os_str()));
        words.extend(self.args.iter().map(|a| quote(a)));
        words.join(" ")
    }
}

fn quote(word: &OsStr) -> String {
    let text = word.to_string_lossy();
    shlex::try_quote(&text).map_or_else(|_| format!("{text:?}"), |q| q.into_owned())
}

/// A started child.
pub struct Child {
    spec: Spec,
    inner: Box<dyn ChildWrapper>,
    stdin: Option<std::process::ChildStdin>,
    lines: Receiver<String>,
    stdout: Vec<String>,
    stdout_reader: Option<JoinHandle<()>>,
    stderr_reader: Option<JoinHandle<String>>,
    started: Instant,
    finished: bool,
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Child")
            .field("label", &self.spec.label)
            .field("pid", &self.inner.id())
            .finish()
    }
}

/// Starts `spec` with piped stdout and stderr and a closed stdin.
///
/// # Errors
/// The spawn error, with the program named.
pub fn spawn(spec: &Spec) -> std::io::Result<Child> {
    #[allow(clippy::disallowed_methods)] // This is the chokepoint the lint points everyone else to.
    let mut command = std::process::Command::new(&spec.program);
    let stdin = if spec.stdin_pipe { Stdio::piped() } else { Stdio::null() };
    let output = || if spec.output_discarded { Stdio::null() } else { Stdio::piped() };
    command.args(&spec.args).stdin(stdin).stdout(output()).stderr(output());
    if let Some(cwd) = &spec.cwd {
        command.current_dir(cwd);
    }
    for key in &spec.env_removed {
        command.env_remove(key);
    }
    for (key, value) in &spec.env {
        command.env(key, value);
    }
    let mut wrapped = CommandWrap::from(command);
    #[cfg(unix)]
    wrapped.wrap(process_wrap::std::ProcessGroup::leader());
    #[cfg(windows)]
    wrapped.wrap(process_wrap::std::JobObject);
    let inner = wrapped.spawn().map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot start {}: {e}", spec.program.display()))
    })?;
    Ok(Child::start(spec, inner))
}

impl Child {
    /// Starts reading a spawned child's stdout lines and stderr.
    fn start(spec: &Spec, mut inner: Box<dyn ChildWrapper>) -> Self {
        let stdin = inner.stdin().take();
        let (sender, lines) = mpsc::channel();
        let stdout = inner.stdout().take();
        let stdout_reader = stdout.map(|pipe| {
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            })
        });
        let stderr_reader = inner.stderr().take().map(|mut pipe| {
            std::thread::spawn(move || {
                let mut kept = Vec::new();
                let mut chunk = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    kept.extend_from_slice(&chunk[..n]);
                    if kept.len() > 2 * STDERR_KEEP {
                        kept.drain(..kept.len() - STDERR_KEEP);
                    }
                }
                String::from_utf8_lossy(&kept).into_owned()
            })
        });
        Self {
            spec: spec.clone(),
            inner,
            stdin,
            lines,
            stdout: Vec::new(),
            stdout_reader,
            stderr_reader,
            started: Instant::now(),
            finished: false,
        }
    }
}

/// What waiting for the next stdout line gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line (without its newline).
    Text(String),
    /// stdout closed: the child is exiting.
    Closed,
    /// The deadline passed first.
    TimedOut,
    /// Ctrl-C.
    Cancelled,
}

/// How a child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this status code.
    Code(i32),
    /// It was ended by a signal (Unix), or exited without a code.
    Signal(Option<i32>),
    /// It outlived its deadline and was killed.
    TimedOut,
    /// The harness stopped it (its partner failed, or Ctrl-C).
    Killed,
}

impl Exit {
    fn of_status(status: ExitStatus) -> Self {
        match status.code() {
            Some(code) => Self::Code(code),
            #[cfg(unix)]
            None => Self::Signal(std::os::unix::process::ExitStatusExt::signal(&status)),
            #[cfg(not(unix))]
            None => Self::Signal(None),
        }
    }
}

impl Exit {
    /// How a peer ended, in the contract's words (`exit 3 (timed out)`).
    #[must_use]
    pub fn describe_peer(&self) -> String {
        match self {
            Self::Code(code) => match contract::ExitCode::from_status(*code) {
                Some(known) => known.to_string(),
                None => format!("exit {code} (not a contract code)"),
            },
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Code(code) => write!(f, "exit {code}"),
            Self::Signal(Some(signal)) => write!(f, "killed by signal {signal}"),
            Self::Signal(None) => f.write_str("ended without an exit code"),
            Self::TimedOut => f.write_str("timed out (killed by the harness)"),
            Self::Killed => f.write_str("stopped by the harness"),
        }
    }
}

/// A child that has ended, with everything it printed.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The label given at creation.
    pub label: String,
    /// The command, copy-pasteable.
    pub command_line: String,
    /// How it ended.
    pub exit: Exit,
    /// Every stdout line, in order.
    pub stdout: Vec<String>,
    /// The end of its stderr.
    pub stderr: String,
    /// From spawn to exit.
    pub duration: Duration,
}

impl Finished {
    /// Whether it exited 0.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.exit == Exit::Code(0)
    }

    /// The contract's `error:` line (its text after the prefix), else the last stderr line.
    #[must_use]
    pub fn reason(&self) -> Option<&str> {
        let lines = || self.stderr.lines().map(str::trim).filter(|l| !l.is_empty());
        lines()
            .filter_map(|l| l.strip_prefix("error: "))
            .next_back()
            .or_else(|| lines().next_back())
    }

    /// The last `n` lines of stderr.
    #[must_use]
    pub fn stderr_tail(&self, n: usize) -> String {
        let lines: Vec<&str> = self.stderr.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

impl Child {
    /// The spec it was started from.
    #[must_use]
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The child's process id.
    #[must_use]
    pub fn id(&self) -> u32 {
        self.inner.id()
    }

    /// Writes one line to the child's stdin (a spec with [`Spec::stdin_pipe`]).
    ///
    /// # Errors
    /// When the child has no stdin pipe, or it is closed.
    pub fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        use std::io::Write;
        let stdin = self.stdin.as_mut().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotConnected, "the child has no stdin pipe")
        })?;
        stdin.write_all(format!("{line}\n").as_bytes())?;
        stdin.flush()
    }

    /// Waits for the next stdout line until `deadline`.
    pub fn next_line(&mut self, deadline: Instant) -> Line {
        loop {
            if cancelled() {
                return Line::Cancelled;
            }
            let now = Instant::now();
            if now >= deadline {
                return Line::TimedOut;
            }
            match self.lines.recv_timeout((deadline - now).min(Duration::from_millis(50))) {
                Ok(line) => {
                    self.stdout.push(line.clone());
                    return Line::Text(line);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Line::Closed,
            }
        }
    }

    /// Whether the child has exited (without collecting it).
    pub fn has_exited(&mut self) -> bool {
        !matches!(self.inner.try_wait(), Ok(None))
    }

    /// Waits for the child to exit until `deadline`, killing it then (or on Ctrl-C).
    pub fn wait(self, deadline: Instant) -> Finished {
        self.wait_or(deadline, Exit::TimedOut)
    }

    /// Waits for the child to exit until `deadline`, even after Ctrl-C: for the clean-up a
    /// cancelled run still owes (stopping a server it started).
    pub fn wait_despite_cancel(mut self, deadline: Instant) -> Finished {
        let exit = loop {
            match self.inner.try_wait() {
                Ok(Some(status)) => break Exit::of_status(status),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(POLL),
                Ok(None) => break self.kill_now(Exit::TimedOut),
                Err(_) => break self.kill_now(Exit::Killed),
            }
        };
        self.collect(exit)
    }

    /// Gives the child until `grace` to finish by itself, then stops it: for a partner whose
    /// peer already failed, which may or may not still be waiting for it.
    pub fn finish_within(self, grace: Instant) -> Finished {
        self.wait_or(grace, Exit::Killed)
    }

    fn wait_or(mut self, deadline: Instant, expired: Exit) -> Finished {
        let exit = loop {
            match self.inner.try_wait() {
                Ok(Some(status)) => break Exit::of_status(status),
                Ok(None) => {}
                Err(_) => break self.kill_now(Exit::Killed),
            }
            if cancelled() {
                break self.kill_now(Exit::Killed);
            }
            if Instant::now() >= deadline {
                break self.kill_now(expired);
            }
            std::thread::sleep(POLL);
        };
        self.collect(exit)
    }

    /// Kills the child (and its group) now.
    pub fn stop(mut self) -> Finished {
        let exit = match self.inner.try_wait() {
            Ok(Some(status)) => Exit::of_status(status),
            _ => self.kill_now(Exit::Killed),
        };
        self.collect(exit)
    }

    /// Kills the child's group and reaps the child by polling, never by a blocking wait: on
    /// Windows, process-wrap's job-object child consumes one completion-port packet per
    /// `try_wait` without keeping the exit, so a blocking `wait` (which `kill` does) after the
    /// last packet was taken would block forever.
    fn kill_now(&mut self, why: Exit) -> Exit {
        // Errors here mean it is already gone, which is what we want.
        let _ = self.inner.start_kill();
        let give_up = Instant::now() + Duration::from_secs(5);
        while matches!(self.inner.try_wait(), Ok(None)) && Instant::now() < give_up {
            std::thread::sleep(POLL);
        }
        why
    }

    fn collect(&mut self, exit: Exit) -> Finished {
        self.finished = true;
        // The child's end of stdin closes with ours: a peer watching it (`--exit-with-stdin`)
        // stops, should it still be running.
        self.stdin = None;
        // Whatever the child left running in its group goes too (and would otherwise hold the
        // stdout pipe open forever); an already empty group makes this a no-op. `start_kill`,
        // not `kill`: the child's exit was already seen, and must not be waited for twice.
        let _ = self.inner.start_kill();
        let duration = self.started.elapsed();
        if let Some(reader) = self.stdout_reader.take() {
            let _ = reader.join();
        }
        self.stdout.extend(self.lines.try_iter());
        let stderr = self.stderr_reader.take().and_then(|r| r.join().ok()).unwrap_or_default();
        Finished {
            label: self.spec.label.clone(),
            command_line: self.spec.command_line(),
            exit,
            stdout: std::mem::take(&mut self.stdout),
            stderr,
            duration,
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.kill_now(Exit::Killed);
        }
    }
}

/// Runs `spec` to completion (a compiler, `cargo build`, `pip`), bounded by `timeout`.
///
/// # Errors
/// The spawn error.
pub fn run(spec: &Spec, timeout: Duration) -> std::io::Result<Finished> {
    Ok(spawn(spec)?.wait(Instant::now() + timeout))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Spec {
        Spec::new("sh", "/bin/sh").arg("-c").arg(script)
    }

    #[test]
    fn collects_lines_stderr_and_status() {
        let done = run(
            &sh("echo one; echo two; echo 'error: it broke' >&2; exit 5"),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(done.stdout, vec!["one", "two"]);
        assert_eq!(done.exit, Exit::Code(5));
        assert_eq!(done.reason(), Some("it broke"));
        assert_eq!(done.exit.to_string(), "exit 5");
        assert_eq!(done.exit.describe_peer(), "exit 5 (malformed message received)");
    }

    #[test]
    fn a_child_past_its_deadline_is_killed_with_its_children() {
        let started = Instant::now();
        let mut child = spawn(&sh("sleep 30 & echo started; wait")).unwrap();
        assert_eq!(
            child.next_line(Instant::now() + Duration::from_secs(10)),
            Line::Text("started".into())
        );
        let done = child.wait(Instant::now() + Duration::from_millis(100));
        assert_eq!(done.exit, Exit::TimedOut);
        // The stdout reader only finishes once every holder of the pipe, the grandchild
        // `sleep` included, is gone: returning at all shows the group was killed.
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn next_line_reports_close_and_deadline() {
        let mut quiet = spawn(&sh("sleep 5")).unwrap();
        assert_eq!(quiet.next_line(Instant::now() + Duration::from_millis(20)), Line::TimedOut);
        let mut done = spawn(&sh("true")).unwrap();
        assert_eq!(done.next_line(Instant::now() + Duration::from_secs(10)), Line::Closed);
    }

    #[test]
    fn command_lines_are_shell_quoted() {
        let spec = Spec::new("x", "/bin/echo").arg("a b").arg("it's").cwd("/tmp").env("K", "v w");
        assert_eq!(spec.command_line(), r#"cd /tmp && K='v w' /bin/echo 'a b' "it's""#);
    }

    #[test]
    fn powershell_command_lines_set_the_location_and_environment_and_call_the_program() {
        let spec = Spec::new("x", r"C:\venv\Scripts\python.exe")
            .arg("peer.py")
            .arg("it's")
            .cwd(r"D:\a\zmq-interop")
            .env("PYTHONNOUSERSITE", "1")
            .env_remove("PYTHONDONTWRITEBYTECODE");
        assert_eq!(
            spec.powershell_command_line(),
            "Set-Location 'D:\\a\\zmq-interop'; \
             Remove-Item Env:PYTHONDONTWRITEBYTECODE -ErrorAction SilentlyContinue; \
             $env:PYTHONNOUSERSITE = '1'; & 'C:\\venv\\Scripts\\python.exe' 'peer.py' 'it''s'"
        );
    }

    /// A child whose blocking `wait` never returns once its exit has been seen by `try_wait`,
    /// as process-wrap's Windows job-object child behaves when the completion port's last
    /// packet was taken by a poll: the harness must collect it without a second wait.
    #[derive(Debug)]
    struct WaitsOnce {
        child: std::process::Child,
        exited: bool,
    }

    impl ChildWrapper for WaitsOnce {
        fn inner(&self) -> &dyn ChildWrapper {
            &self.child
        }
        fn inner_mut(&mut self) -> &mut dyn ChildWrapper {
            &mut self.child
        }
        fn into_inner(self: Box<Self>) -> Box<dyn ChildWrapper> {
            Box::new(self.child)
        }
        fn try_wait(&mut self) -> std::io::Result<Option<ExitStatus>> {
            let status = self.child.try_wait()?;
            self.exited |= status.is_some();
            Ok(status)
        }
        fn wait(&mut self) -> std::io::Result<ExitStatus> {
            assert!(!self.exited, "a blocking wait after the exit was seen would never return");
            self.child.wait()
        }
    }

    fn waits_once(script: &str) -> Child {
        let spec = sh(script);
        #[allow(clippy::disallowed_methods)] // The test stands in for what `spawn` wraps.
        let child = std::process::Command::new(spec.program())
            .args(spec.arguments())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sh starts");
        Child::start(&spec, Box::new(WaitsOnce { child, exited: false }))
    }

    #[test]
    fn a_piped_stdin_takes_lines_and_its_closing_is_seen() {
        let spec = sh("read line; echo \"got $line\"; cat >/dev/null; echo closed").stdin_pipe();
        let mut child = spawn(&spec).unwrap();
        child.write_line("go").unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        assert_eq!(child.next_line(deadline), Line::Text("got go".into()));
        child.stdin = None;
        assert_eq!(child.next_line(deadline), Line::Text("closed".into()));
        assert!(spawn(&sh("true")).unwrap().write_line("x").is_err(), "no pipe without asking");
    }

    #[test]
    fn an_exit_seen_by_polling_is_collected_without_waiting_again() {
        let done = waits_once("echo hi; exit 3").wait(Instant::now() + Duration::from_secs(10));
        assert_eq!((done.exit, done.stdout), (Exit::Code(3), vec!["hi".to_owned()]));
        let mut child = waits_once("sleep 30");
        assert!(!child.has_exited());
        assert_eq!(child.finish_within(Instant::now()).exit, Exit::Killed);
        let stopped = waits_once("sleep 30").stop();
        assert_eq!(stopped.exit, Exit::Killed);
    }

    #[test]
    fn a_missing_program_is_an_error_naming_it() {
        let err = spawn(&Spec::new("x", "/nonexistent/peer")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/peer"), "{err}");
    }
}

#[cfg(all(test, windows))]
mod windows_tests {
    use super::Spec;

    #[test]
    fn reproduce_commands_are_powershell_on_windows() {
        let spec = Spec::new("x", r"C:\peer.exe").arg("pub").cwd(r"D:\a");
        assert_eq!(spec.command_line(), r"Set-Location 'D:\a'; & 'C:\peer.exe' 'pub'");
    }
}
