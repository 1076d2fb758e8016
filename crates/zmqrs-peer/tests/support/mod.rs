//! Running the built `zmqrs-peer` as real processes for the integration tests: start one, read
//! its lines as they come (the ready line's endpoint, a `paused` line), write to its stdin, kill
//! it, and collect the rest of its output once it ends.

use contract::output::{Event, Frames};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};

pub(crate) const PEER: &str = env!("CARGO_BIN_EXE_zmqrs-peer");

/// A running peer: its stdout read line by line, its stdin held when piped.
pub(crate) struct Running {
    child: Child,
    stdout: BufReader<ChildStdout>,
    stdin: Option<ChildStdin>,
    /// Every stdout line read so far.
    pub(crate) lines: Vec<String>,
}

/// How a peer ended.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) status: ExitStatus,
    /// Every stdout line, the ready line included.
    pub(crate) lines: Vec<String>,
    pub(crate) stderr: String,
}

impl Finished {
    /// Asserts the exit code, showing stderr when it differs.
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.status.code(),
            Some(code),
            "stderr: {}\nstdout: {:?}",
            self.stderr,
            self.lines
        );
        self
    }

    /// The lines after the ready line.
    pub(crate) fn data(&self) -> &[String] {
        self.lines.get(1..).unwrap_or_default()
    }
}

/// Starts the peer with `args`; stdin is a pipe this side holds when `stdin_pipe`, else empty.
/// The workspace routes process spawning through the harness (clippy.toml); these tests cannot
/// depend on the harness (peers never do), and need running children whose lines they read.
#[allow(clippy::disallowed_methods)]
pub(crate) fn start(args: &[&str], stdin_pipe: bool) -> Running {
    let mut child = Command::new(PEER)
        .args(args)
        .stdin(if stdin_pipe { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zmqrs-peer starts");
    let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let stdin = child.stdin.take();
    Running { child, stdout, stdin, lines: Vec::new() }
}

impl Running {
    /// The next stdout line (panics at end of output, with the peer's stderr).
    pub(crate) fn next_line(&mut self) -> String {
        let mut line = String::new();
        let read = self.stdout.read_line(&mut line).expect("stdout readable");
        if read == 0 {
            let mut stderr = String::new();
            if let Some(mut pipe) = self.child.stderr.take() {
                let _ = pipe.read_to_string(&mut stderr);
            }
            panic!("the peer's output ended early; lines {:?}, stderr: {stderr}", self.lines);
        }
        let line = line.trim_end().to_owned();
        self.lines.push(line.clone());
        line
    }

    /// Reads the ready line and returns its endpoint.
    pub(crate) fn ready(&mut self) -> String {
        let line = self.next_line();
        let Ok(Event::Ready { endpoint }) = serde_json::from_str::<Event>(&line) else {
            panic!("first line is not ready: {line:?}");
        };
        endpoint
    }

    /// Reads lines until `n` have been read in all.
    pub(crate) fn read_until(&mut self, n: usize) {
        while self.lines.len() < n {
            self.next_line();
        }
    }

    /// Writes one line to the peer's stdin.
    pub(crate) fn write_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("a stdin pipe");
        stdin.write_all(format!("{line}\n").as_bytes()).expect("stdin writable");
        stdin.flush().expect("stdin flushed");
    }

    /// Closes this side of the stdin pipe: the peer sees end-of-file.
    pub(crate) fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Kills the peer (SIGKILL) and reaps it.
    pub(crate) fn kill(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("reaped");
    }

    /// Waits for the peer to end and collects the rest of its output.
    pub(crate) fn finish(mut self) -> Finished {
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).expect("stdout readable");
        self.lines.extend(rest.lines().map(str::to_owned));
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            pipe.read_to_string(&mut stderr).expect("stderr readable");
        }
        self.stdin = None;
        let status = self.child.wait().expect("the peer ends");
        Finished { status, lines: self.lines, stderr }
    }
}

/// Starts the binder with `binder_args` (its endpoint included), then the connector with
/// `connector_args` and the endpoint the binder resolved.
pub(crate) fn pair(binder_args: &[&str], connector_args: &[&str]) -> (Running, Running, String) {
    let mut binder = start(binder_args, false);
    let endpoint = binder.ready();
    let connector = start(&[connector_args, &["--endpoint", &endpoint]].concat(), false);
    (binder, connector, endpoint)
}

/// The frames line for frames `frames` of message `seq`.
pub(crate) fn frames_line(seq: u64, frames: &[&[u8]]) -> String {
    serde_json::to_string(&Frames::of(seq, frames.iter().copied())).expect("serialisable")
}
