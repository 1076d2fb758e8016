//! Peers as real processes, for the Rust peers' two-process tests (`tests/` of rust-pub,
//! rust-rep and rust-perf include this file with `#[path]`; it is no part of peer-kit's API).
//!
//! A [`Peer`] is a child process with its stdin held open (so `--exit-with-stdin` sees a live
//! harness), its stdout read line by line on a thread (so a test can wait for a line with a
//! deadline instead of hanging), and its stderr collected. Dropping a peer kills it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a test waits for a line or an exit before it fails (the peers' own timeouts are
/// shorter, so this only catches a peer that ignores them).
pub(crate) const PATIENCE: Duration = Duration::from_secs(60);

/// A running peer.
pub(crate) struct Peer {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    stderr: Option<JoinHandle<String>>,
}

/// How a peer ended.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The exit code (`None`: killed by a signal).
    pub(crate) code: Option<i32>,
    /// The stdout lines not yet read through [`Peer::line`].
    pub(crate) lines: Vec<String>,
    /// Everything on stderr.
    pub(crate) stderr: String,
}

impl Peer {
    /// Starts `program` with `args`, stdin a pipe this peer holds.
    pub(crate) fn start(program: &str, args: &[&str]) -> Self {
        // Tests start the peer under test directly; the harness's process module is not
        // available here (peers never depend on the harness).
        #[allow(clippy::disallowed_methods)]
        let mut command = std::process::Command::new(program);
        let mut child = command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {program}: {e}"));
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let name = format!("{} {}", program.rsplit('/').next().unwrap_or(program), args.join(" "));
        Self { name, stdin: child.stdin.take(), child, lines, stderr: Some(stderr) }
    }

    /// The next stdout line; fails the test if none comes in time.
    pub(crate) fn line(&mut self) -> String {
        match self.lines.recv_timeout(PATIENCE) {
            Ok(line) => line,
            Err(e) => {
                let _ = self.child.kill();
                let stderr = self.stderr.take().map(|h| h.join().unwrap_or_default());
                panic!("{}: no line ({e}); stderr: {stderr:?}", self.name)
            }
        }
    }

    /// Reads the ready line and returns its endpoint.
    pub(crate) fn ready(&mut self) -> String {
        let line = self.line();
        line.strip_prefix(r#"{"event":"ready","endpoint":""#)
            .and_then(|rest| rest.strip_suffix(r#""}"#))
            .unwrap_or_else(|| panic!("{}: not a ready line: {line}", self.name))
            .to_owned()
    }

    /// Writes one line to the peer's stdin.
    pub(crate) fn write_line(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        writeln!(stdin, "{text}").and_then(|()| stdin.flush()).expect("writing to the peer");
    }

    /// Closes the peer's stdin (end-of-file), as a harness that dies does.
    pub(crate) fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Kills the peer (SIGKILL) and reaps it.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for the peer to exit (at most `limit`) and returns how it ended.
    pub(crate) fn finish_within(mut self, limit: Duration) -> Outcome {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("waiting for the peer") {
                break status;
            }
            if started.elapsed() > limit {
                self.kill();
                let stderr = self.stderr.take().map(|h| h.join().unwrap_or_default());
                panic!("{}: still running after {limit:?}; stderr: {stderr:?}", self.name);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let mut lines = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(PATIENCE) {
            lines.push(line);
        }
        let stderr = self.stderr.take().map(|h| h.join().unwrap_or_default()).unwrap_or_default();
        Outcome { code: status.code(), lines, stderr }
    }

    /// [`Peer::finish_within`] with the usual patience.
    pub(crate) fn finish(self) -> Outcome {
        self.finish_within(PATIENCE)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill();
        }
    }
}

impl Outcome {
    /// Asserts the exit code, showing stderr when it is another.
    #[track_caller]
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "stderr: {}\nstdout: {:?}", self.stderr, self.lines);
        self
    }
}

/// Starts the binder, reads its ready line, starts the connector on the endpoint it resolved;
/// returns both, the binder's ready line already read.
pub(crate) fn pair(program: &str, binder: &[&str], connector: &[&str]) -> (Peer, Peer, String) {
    let mut bound = Peer::start(program, binder);
    let endpoint = bound.ready();
    let mut args = connector.to_vec();
    args.extend(["--endpoint", endpoint.as_str()]);
    (bound, Peer::start(program, &args), endpoint)
}

/// A fresh ipc endpoint in a directory of its own under the temporary directory, removed
/// when dropped.
pub(crate) struct Ipc {
    dir: std::path::PathBuf,
    /// `ipc://DIR/s`.
    pub(crate) endpoint: String,
}

impl Ipc {
    pub(crate) fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("zi-rust-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let endpoint = format!("ipc://{}/s", dir.display());
        Self { dir, endpoint }
    }
}

impl Drop for Ipc {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The packet line a subscriber prints.
pub(crate) fn packet_line(seq: u64, topic: &str, samples: &[i16]) -> String {
    let samples: Vec<String> = samples.iter().map(ToString::to_string).collect();
    format!(r#"{{"seq":{seq},"topic":"{topic}","samples":[{}]}}"#, samples.join(","))
}

/// The frames line a receiver prints for `frames`.
pub(crate) fn frames_line(seq: u64, frames: &[&[u8]]) -> String {
    let hex: Vec<String> =
        frames.iter().map(|f| format!("\"{}\"", contract::hex::encode(f))).collect();
    format!(r#"{{"seq":{seq},"frames":[{}]}}"#, hex.join(","))
}
