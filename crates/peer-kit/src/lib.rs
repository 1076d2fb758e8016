//! The glue every Rust peer shares, so that each role's module holds only its own logic.
//!
//! [`main`] turns the command line into a role run and the run's outcome into the contract's
//! exit code; [`open`] creates a socket with the contract's options and prints the ready line;
//! [`recv`] turns a receive timeout into exit 3.
//!
//! Architecture invariant: peers never depend on the harness; this crate links zmq and the
//! contract, nothing else of the project.

use contract::options::{Invocation, Run, Stop};
use contract::output::{self, Event, Info};
use contract::{ExitCode, PeerError, Role, Transport};
use std::time::Duration;

/// Runs a peer program that plays `roles`, dispatching each run to `play`.
pub fn main(roles: &[Role], play: fn(&Run) -> Result<(), PeerError>) -> std::process::ExitCode {
    let outcome = match contract::options::parse(std::env::args_os(), roles) {
        Ok(Invocation::Info) => print_info(roles),
        Ok(Invocation::Run(run)) => check_transport(run.transport).and_then(|()| play(&run)),
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

/// What this peer is: binding, versions, transports.
#[must_use]
pub fn info(roles: &[Role]) -> Info {
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
        cases: Vec::new(),
        extra: std::collections::BTreeMap::new(),
    }
}

fn print_info(roles: &[Role]) -> Result<(), PeerError> {
    output::emit(&info(roles)).map_err(|e| PeerError::call("writing --info", e))
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
) -> Result<zmq::Socket, PeerError> {
    let socket = context.socket(kind).call("zmq_socket")?;
    socket.set_linger(linger_ms(run)).call("zmq_setsockopt(ZMQ_LINGER)")?;
    socket.set_rcvtimeo(timeout_ms(run)).call("zmq_setsockopt(ZMQ_RCVTIMEO)")?;
    socket.set_sndtimeo(timeout_ms(run)).call("zmq_setsockopt(ZMQ_SNDTIMEO)")?;
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
    Ok(socket)
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
    match socket.recv(message, 0) {
        Ok(()) if message.get_more() => Err(PeerError::multipart(1 + drain(socket)?)),
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
    match socket.send(bytes, 0) {
        Ok(()) => Ok(()),
        Err(zmq::Error::EAGAIN) => Err(PeerError::timeout(format!(
            "timed out after {} ms sending {what}",
            run.options.timeout_ms
        ))),
        Err(e) => Err(PeerError::call("zmq_msg_send", e)),
    }
}

/// Pauses between publications (`--interval-ms`); a pacing pause, not a readiness wait.
pub fn pause(run: &Run) {
    if run.options.interval_ms > 0 {
        std::thread::sleep(Duration::from_millis(run.options.interval_ms));
    }
}
