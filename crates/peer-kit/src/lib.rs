//! The glue every Rust peer shares, so that each role's module holds only its own logic.
//!
//! [`main`] turns the command line into a role run and the run's outcome into the contract's
//! exit code (starting the `--exit-with-stdin` watcher and refusing, with exit 4, a case the
//! role does not play); [`open`] creates a socket with the contract's options and prints the
//! ready line; [`recv`] turns a receive timeout into exit 3, and [`recv_frames`] reads a whole
//! message for the cases that print **frames** lines.
//!
//! Architecture invariant: peers never depend on the harness; this crate links zmq and the
//! contract, nothing else of the project.

pub mod security;

use contract::options::{Invocation, Run, Stop};
use contract::output::{self, Event, Frames, Info};
use contract::{Case, ExitCode, PeerError, Role, Transport};
use std::time::{Duration, Instant};

/// What a peer program does with one validated run.
pub type Play = fn(&Run) -> Result<(), PeerError>;

/// The cases each role of a program plays, `[]` for a role that takes no `--case` (the
/// benchmark roles, which ignore the option).
pub type Cases = fn(Role) -> &'static [Case];

/// Runs a peer program that plays `roles` and no cases (the benchmark peer).
pub fn main(roles: &[Role], play: Play) -> std::process::ExitCode {
    main_with_cases(roles, |_| &[], play)
}

/// Runs a peer program that plays `roles`, each the cases `cases` lists for it, dispatching
/// each run to `play`.
///
/// Before any socket exists: `--exit-with-stdin` starts its watcher, a transport the linked
/// libzmq lacks is exit 4, and so is a case the role does not play.
pub fn main_with_cases(roles: &[Role], cases: Cases, play: Play) -> std::process::ExitCode {
    let outcome = match contract::options::parse(std::env::args_os(), roles) {
        Ok(Invocation::Info) => print_info(roles, cases),
        Ok(Invocation::Run(run)) => {
            if run.options.exit_with_stdin {
                contract::stdin::exit_when_closed();
            }
            check_case(&run, cases)
                .and_then(|()| check_transport(run.transport))
                .and_then(|()| security::check(&run.security))
                .and_then(|()| play(&run))
        }
        Err(Stop::Help(text)) => {
            print!("{text}");
            Ok(())
        }
        Err(Stop::Usage(err)) => Err(err),
    };
    match outcome {
        Ok(()) => ExitCode::Ok.into(),
        Err(err) => err.report(),
    }
}

/// Exit 4 for a `--case` this peer does not know or this role does not play; a role that
/// plays no cases ignores the option, as the contract says of options that do not apply.
///
/// # Errors
/// Exit 4: `case "NAME" is not implemented by this peer`.
pub fn check_case(run: &Run, cases: Cases) -> Result<(), PeerError> {
    let played = cases(run.role);
    if played.is_empty() {
        return Ok(());
    }
    let case = run.case()?;
    if played.contains(&case) { Ok(()) } else { Err(case.unsupported_here()) }
}

/// Every case some role of the program plays, in the contract's report order.
#[must_use]
pub fn case_names(roles: &[Role], cases: Cases) -> Vec<String> {
    Case::ALL
        .into_iter()
        .filter(|case| roles.iter().any(|role| cases(*role).contains(case)))
        .map(|case| case.name().to_owned())
        .collect()
}

/// What this peer is: binding, versions, transports.
#[must_use]
pub fn info(roles: &[Role], cases: Cases) -> Info {
    let (major, minor, patch) = zmq::version();
    let mut unsupported = std::collections::BTreeMap::new();
    let transports = Transport::ALL
        .into_iter()
        .filter(|t| {
            let has = supports(*t);
            if !has {
                unsupported.insert(t.name().to_owned(), missing_transport(*t));
            }
            has
        })
        .map(|t| t.name().to_owned())
        .collect();
    let libzmq = format!("{major}.{minor}.{patch}");
    let mechanisms = contract::Mechanism::ALL
        .into_iter()
        .filter(|m| {
            let has = security::has(*m);
            if !has {
                unsupported.insert(m.name().to_owned(), security::missing(*m));
            }
            has
        })
        .map(|m| m.name().to_owned())
        .collect();
    Info {
        lang: "rust".into(),
        binding: "rust-zmq".into(),
        impl_version: env!("PEER_KIT_ZMQ_CRATE_VERSION").into(),
        engine: "libzmq".into(),
        engine_version: libzmq.clone(),
        libzmq: Some(libzmq),
        transports,
        roles: roles.iter().map(|r| r.name().to_owned()).collect(),
        unsupported,
        workarounds: Vec::new(),
        cases: case_names(roles, cases),
        mechanisms,
        extra: std::collections::BTreeMap::new(),
    }
}

fn print_info(roles: &[Role], cases: Cases) -> Result<(), PeerError> {
    output::emit(&info(roles, cases)).map_err(|e| PeerError::call("writing --info", e))
}

/// tcp is always built into libzmq (`zmq_has` does not even know its name); ipc is optional.
fn supports(transport: Transport) -> bool {
    match transport {
        Transport::Tcp => true,
        Transport::Ipc => zmq::has("ipc").unwrap_or(false),
    }
}

fn missing_transport(transport: Transport) -> String {
    let (major, minor, patch) = zmq::version();
    format!("libzmq {major}.{minor}.{patch} (as linked by rust-zmq) was built without {transport}")
}

/// Exit 4 before any socket exists when the linked libzmq lacks the endpoint's transport.
fn check_transport(transport: Transport) -> Result<(), PeerError> {
    if supports(transport) {
        Ok(())
    } else {
        Err(PeerError::unsupported(missing_transport(transport)))
    }
}

/// Maps a failed zmq call to exit 6, naming the call.
pub trait ZmqContext<T> {
    /// Names the call that failed.
    ///
    /// # Errors
    /// The call's error, as a [`PeerError`].
    fn call(self, call: &str) -> Result<T, PeerError>;
}

impl<T> ZmqContext<T> for Result<T, zmq::Error> {
    fn call(self, call: &str) -> Result<T, PeerError> {
        self.map_err(|e| PeerError::call(call, e))
    }
}

/// The contract's timeout as zmq's `int` milliseconds (saturating, not wrapping).
#[must_use]
pub fn timeout_ms(run: &Run) -> i32 {
    i32::try_from(run.options.timeout_ms).unwrap_or(i32::MAX)
}

/// The contract's linger: the sending roles wait up to `--timeout-ms` for their last messages
/// to leave; the receiving roles have nothing left to send once done, so they do not wait.
#[must_use]
pub fn linger_ms(run: &Run) -> i32 {
    if run.role.sends_last() { timeout_ms(run) } else { 0 }
}

/// Creates a socket of `kind` with the contract's options, lets `configure` set role-specific
/// options (subscriptions must precede connecting), binds or connects, and prints the ready
/// line with the resolved endpoint.
///
/// # Errors
/// Exit 6 naming the zmq call that failed.
pub fn open(
    context: &zmq::Context,
    kind: zmq::SocketType,
    run: &Run,
    configure: impl FnOnce(&zmq::Socket) -> Result<(), PeerError>,
) -> Result<PeerSocket, PeerError> {
    let socket = context.socket(kind).call("zmq_socket")?;
    socket.set_linger(linger_ms(run)).call("zmq_setsockopt(ZMQ_LINGER)")?;
    socket.set_rcvtimeo(timeout_ms(run)).call("zmq_setsockopt(ZMQ_RCVTIMEO)")?;
    socket.set_sndtimeo(timeout_ms(run)).call("zmq_setsockopt(ZMQ_SNDTIMEO)")?;
    let zap = security::secure(context, &socket, &run.security)?;
    configure(&socket)?;
    let endpoint = if run.bind {
        socket.bind(&run.endpoint).call(&format!("zmq_bind({})", run.endpoint))?;
        match socket.get_last_endpoint().call("zmq_getsockopt(ZMQ_LAST_ENDPOINT)")? {
            Ok(endpoint) => endpoint,
            Err(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        }
    } else {
        socket.connect(&run.endpoint).call(&format!("zmq_connect({})", run.endpoint))?;
        run.endpoint.clone()
    };
    emit(&Event::Ready { endpoint })?;
    Ok(PeerSocket { socket, _zap: zap })
}

/// A role's socket, with the ZAP handler of a server: the socket is closed first, then the
/// handler stopped (fields drop in order), and the context's termination, which waits for the
/// socket's linger, comes after both.
pub struct PeerSocket {
    socket: zmq::Socket,
    _zap: Option<security::ZapHandler>,
}

impl std::fmt::Debug for PeerSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeerSocket").field("zap", &self._zap).finish_non_exhaustive()
    }
}

impl std::ops::Deref for PeerSocket {
    type Target = zmq::Socket;

    fn deref(&self) -> &zmq::Socket {
        &self.socket
    }
}

/// Prints one output line; a closed stdout ends the peer with exit 6.
///
/// # Errors
/// The write error.
pub fn emit(line: &impl serde::Serialize) -> Result<(), PeerError> {
    output::emit(line).map_err(|e| PeerError::call("writing to stdout", e))
}

/// Receives one single-frame message; a timeout becomes exit 3 with `waiting_for` in the
/// reason, a multipart message exit 5 (after all its frames are read).
///
/// # Errors
/// Exit 3 on timeout, exit 5 for a multipart message, exit 6 on any other failure.
pub fn recv(socket: &zmq::Socket, run: &Run, waiting_for: &str) -> Result<zmq::Message, PeerError> {
    let mut message = zmq::Message::new();
    recv_into(socket, &mut message, run, waiting_for)?;
    Ok(message)
}

/// [`recv`] into a message the caller reuses (the benchmark roles).
///
/// # Errors
/// As [`recv`].
pub fn recv_into(
    socket: &zmq::Socket,
    message: &mut zmq::Message,
    run: &Run,
    waiting_for: &str,
) -> Result<(), PeerError> {
    recv_first(socket, message, run, waiting_for)?;
    if message.get_more() { Err(PeerError::multipart(1 + drain(socket)?)) } else { Ok(()) }
}

/// Receives one whole message, every frame of it, for the cases that take multipart messages
/// as data (`multipart`, `empty`); a timeout waiting for its first frame becomes exit 3.
///
/// # Errors
/// Exit 3 on timeout, exit 6 on any other failure.
pub fn recv_frames(
    socket: &zmq::Socket,
    run: &Run,
    waiting_for: &str,
) -> Result<Vec<zmq::Message>, PeerError> {
    let mut frame = zmq::Message::new();
    recv_first(socket, &mut frame, run, waiting_for)?;
    let mut more = frame.get_more();
    let mut frames = vec![frame];
    // ZMQ delivers a message's frames together: the rest are already in the socket.
    while more {
        let mut frame = zmq::Message::new();
        socket.recv(&mut frame, 0).call("zmq_msg_recv")?;
        more = frame.get_more();
        frames.push(frame);
    }
    Ok(frames)
}

/// The **frames** line for a received message: every frame in lowercase hex.
#[must_use]
pub fn frames_line(seq: u64, frames: &[zmq::Message]) -> Frames {
    Frames::of(seq, frames.iter().map(|frame| &frame[..]))
}

fn recv_first(
    socket: &zmq::Socket,
    message: &mut zmq::Message,
    run: &Run,
    waiting_for: &str,
) -> Result<(), PeerError> {
    match socket.recv(message, 0) {
        Ok(()) => Ok(()),
        Err(zmq::Error::EAGAIN) => Err(PeerError::timeout(format!(
            "timed out after {} ms waiting for {waiting_for}",
            run.options.timeout_ms
        ))),
        Err(e) => Err(PeerError::call("zmq_msg_recv", e)),
    }
}

/// Reads the rest of a multipart message (already in the socket: ZMQ delivers a message's
/// frames together), returning how many frames followed.
fn drain(socket: &zmq::Socket) -> Result<usize, PeerError> {
    let mut frames = 0;
    let mut frame = zmq::Message::new();
    loop {
        socket.recv(&mut frame, 0).call("zmq_msg_recv")?;
        frames += 1;
        if !frame.get_more() {
            return Ok(frames);
        }
    }
}

/// Sends one message; a send timeout (no peer took it) becomes exit 3.
///
/// # Errors
/// Exit 3 on timeout, exit 6 on any other failure.
pub fn send(socket: &zmq::Socket, run: &Run, bytes: &[u8], what: &str) -> Result<(), PeerError> {
    send_frames(socket, run, [bytes], what)
}

/// Sends one message made of `frames` (each but the last with `ZMQ_SNDMORE`); anything zmq
/// can send is a frame: a byte slice (copied), a `Vec<u8>` or a received `zmq::Message`
/// (moved, not copied). A send timeout becomes exit 3.
///
/// # Errors
/// Exit 3 on timeout, exit 6 on any other failure.
pub fn send_frames<T: zmq::Sendable>(
    socket: &zmq::Socket,
    run: &Run,
    frames: impl IntoIterator<Item = T>,
    what: &str,
) -> Result<(), PeerError> {
    let mut frames = frames.into_iter().peekable();
    while let Some(frame) = frames.next() {
        let flags = if frames.peek().is_some() { zmq::SNDMORE } else { 0 };
        match socket.send(frame, flags) {
            Ok(()) => {}
            Err(zmq::Error::EAGAIN) => {
                return Err(PeerError::timeout(format!(
                    "timed out after {} ms sending {what}",
                    run.options.timeout_ms
                )));
            }
            Err(e) => return Err(PeerError::call("zmq_msg_send", e)),
        }
    }
    Ok(())
}

/// Pauses between publications (`--interval-ms`); a pacing pause, not a readiness wait.
pub fn pause(run: &Run) {
    if run.options.interval_ms > 0 {
        std::thread::sleep(Duration::from_millis(run.options.interval_ms));
    }
}

/// Holds the caller's socket open, sending nothing, for `--timeout-ms` (case `reconnect`: the
/// binder that the harness kills and replaces). Not a readiness wait: the harness ends the
/// hold by killing the process; when it does not, the hold ends and the peer exits 0.
pub fn hold(run: &Run) {
    let until = Instant::now() + Duration::from_millis(run.options.timeout_ms);
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        if left.is_zero() {
            break;
        }
        std::thread::sleep(left);
    }
}

#[cfg(test)]
mod tests;
