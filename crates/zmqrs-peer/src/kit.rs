//! The glue every role shares, so that each role's module holds only its own logic: the zmq.rs
//! counterpart of `peer-kit` (which links libzmq and so cannot be used here).
//!
//! [`main`] turns the command line into a role run on a tokio runtime and the run's outcome into
//! the contract's exit code; [`open`] binds or connects a socket and prints the ready line;
//! [`Peer::recv`] and [`Peer::send`] put the contract's timeout around the engine's receives and
//! sends (zmq.rs has no `ZMQ_RCVTIMEO`/`ZMQ_SNDTIMEO`) and refuse multipart messages;
//! [`Peer::close`] stands in for `ZMQ_LINGER`.

use contract::options::{Invocation, Run, Stop};
use contract::output::{self, Event, Frames, Info};
use contract::{ExitCode, Mechanism, PeerError, Role, Transport};
use futures_core::Stream;
use std::collections::BTreeMap;
use std::pin::Pin;
use std::time::Duration;
use tokio::time::Instant;
use zeromq::{Socket, SocketEvent, SocketRecv, SocketSend, ZmqError, ZmqMessage};

/// The zmq.rs version this peer was built with (from Cargo.lock, by build.rs).
pub(crate) const ZEROMQ_VERSION: &str = env!("ZMQRS_PEER_ZEROMQ_VERSION");

/// Where this peer does something the engine cannot do itself, one sentence each (`--info`).
pub(crate) const WORKAROUNDS: [&str; 7] = [
    "bind refuses the wildcard port tcp://HOST:* (its endpoint parser wants digits): the peer binds HOST:0 and reports the port the system chose",
    "no ZMQ_RCVTIMEO/ZMQ_SNDTIMEO: every receive, send and connect runs under tokio::time::timeout(--timeout-ms)",
    "no ZMQ_LINGER: on close the sending roles wait, up to --timeout-ms, until the engine's tasks have written out their queues; the receiving roles do not wait",
    "no high-water-mark options (ZMQ_SNDHWM/ZMQ_RCVHWM, --hwm is ignored): the engine queues up to 100000 messages per peer, then PUSH waits and PUB drops, so pub --sync uses XPUB, whose send waits instead",
    "connect returns only once the ZMTP handshake is done (libzmq connects in the background): a connecting role prints ready once connected, and exits 3 if no peer answers within --timeout-ms",
    "a binding REQ or PUSH with no peer fails its send at once where libzmq's would block: the peer waits for the engine's Accepted monitor event, up to --timeout-ms, and sends again",
    "XPUB registers a subscription only when the application receives it (libzmq's registers it by itself): the publisher receives whatever subscriptions are pending before each send, so a subscriber that connects or reconnects mid-stream is served",
];

/// Runs the peer: parses the command line, prints `--info` or plays the role on a
/// current-thread tokio runtime, and maps the outcome to the contract's exit code.
pub(crate) fn main<F>(roles: &[Role], play: F) -> std::process::ExitCode
where
    F: AsyncFnOnce(&Run) -> Result<(), PeerError>,
{
    std::panic::set_hook(Box::new(report_panic));
    let outcome = match contract::options::parse(std::env::args_os(), roles) {
        Ok(Invocation::Info) => emit(&info(roles)),
        Ok(Invocation::Run(run)) => check_endpoint(&run)
            .and_then(|()| check_security(&run))
            .and_then(|()| runtime())
            .and_then(|rt| {
                if run.options.exit_with_stdin {
                    // A std thread, outside the runtime: it ends the process (exit 6) when stdin
                    // closes, and a normal exit does not wait for it.
                    contract::stdin::exit_when_closed();
                }
                rt.block_on(async {
                    let outcome = play(&run).await;
                    settle(&run).await;
                    outcome
                })
            }),
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

/// A panic (the engine's `todo!()`s, say) ends the peer like any other failed library call:
/// one `error:` line and exit 6, not a backtrace. Engine tasks run on this thread too, and
/// tokio would otherwise swallow their panics and leave the role waiting.
fn report_panic(panic: &std::panic::PanicHookInfo<'_>) {
    let payload = panic.payload();
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned());
    let place =
        panic.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    eprintln!("error: panicked{place}: {}", message.replace('\n', " "));
    std::process::exit(i32::from(ExitCode::Error.code()));
}

/// Exit 4, before any socket exists, for what zmq.rs cannot bind: the ipc wildcard `ipc://*`
/// (libzmq makes up a path; zmq.rs 0.7.0's bind panics with "not yet implemented").
fn check_endpoint(run: &Run) -> Result<(), PeerError> {
    if run.bind && run.endpoint == "ipc://*" {
        return Err(PeerError::unsupported(
            "zmq.rs cannot bind the ipc wildcard ipc://* (not yet implemented in its bind)",
        ));
    }
    Ok(())
}

/// One thread is enough: the engine's connection tasks and the role share it, and the role
/// only ever waits on one socket. Measured against the multi-thread runtime (2 workers) on 2
/// cores: round trips take 19 us instead of 30 us (zmq.rs to zmq.rs, tcp, 64 bytes), start-up is
/// shorter, and throughput shows no consistent difference.
fn runtime() -> Result<tokio::runtime::Runtime, PeerError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| PeerError::call("building the tokio runtime", e))
}

/// Why zmq.rs cannot play a mechanism.
fn no_security(mechanism: Mechanism) -> String {
    format!(
        "zmq.rs {ZEROMQ_VERSION} speaks only the NULL mechanism: it has no {} handshake, no \
         security options and no ZAP (zeromq/zmq.rs#131)",
        mechanism.name().to_uppercase()
    )
}

/// Exit 4 before any socket exists for any mechanism but NULL.
fn check_security(run: &Run) -> Result<(), PeerError> {
    match run.security.mechanism() {
        Mechanism::Null => Ok(()),
        other => Err(PeerError::unsupported(no_security(other))),
    }
}

/// What this peer is: zmq.rs is both the binding and the engine; no libzmq is loaded.
#[must_use]
pub(crate) fn info(roles: &[Role]) -> Info {
    Info {
        lang: "rust".into(),
        binding: "zmq.rs".into(),
        impl_version: ZEROMQ_VERSION.into(),
        engine: "zmq.rs".into(),
        engine_version: ZEROMQ_VERSION.into(),
        libzmq: None,
        // Both transports are compiled in (features tcp-transport and ipc-transport).
        transports: Transport::ALL.iter().map(|t| t.name().to_owned()).collect(),
        roles: roles.iter().map(|r| r.name().to_owned()).collect(),
        workarounds: WORKAROUNDS.iter().map(|w| (*w).to_owned()).collect(),
        cases: crate::cases::all_played(),
        mechanisms: vec![Mechanism::Null.name().to_owned()],
        unsupported: [Mechanism::Plain, Mechanism::Curve]
            .into_iter()
            .map(|m| (m.name().to_owned(), no_security(m)))
            .collect(),
        extra: BTreeMap::new(),
    }
}

/// Prints one output line; a closed stdout ends the peer with exit 6.
///
/// # Errors
/// The write error.
pub(crate) fn emit(line: &impl serde::Serialize) -> Result<(), PeerError> {
    output::emit(line).map_err(|e| PeerError::call("writing to stdout", e))
}

/// The contract's timeout.
#[must_use]
pub(crate) fn timeout(run: &Run) -> Duration {
    Duration::from_millis(run.options.timeout_ms)
}

/// The endpoint to hand the engine's bind: zmq.rs parses `tcp://HOST:PORT` with a numeric port
/// only, so the contract's wildcard `tcp://HOST:*` becomes `tcp://HOST:0` (the system picks the
/// port, and bind returns the endpoint with it).
#[must_use]
pub(crate) fn bind_endpoint(endpoint: &str) -> String {
    match endpoint.strip_suffix(":*") {
        Some(host) if endpoint.starts_with("tcp://") => format!("{host}:0"),
        _ => endpoint.to_owned(),
    }
}

/// Maps a failed zmq.rs call to exit 6, naming the call.
pub(crate) fn failed(call: &str, error: &ZmqError) -> PeerError {
    PeerError::call(call, error)
}

/// A socket bound or connected for one run, with the engine's monitor channel (how a binding
/// sender learns that a peer arrived).
pub(crate) struct Peer<'r, S> {
    /// The zmq.rs socket.
    socket: S,
    run: &'r Run,
    events: Pin<Box<dyn Stream<Item = SocketEvent> + Send>>,
}

impl<S> std::fmt::Debug for Peer<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Peer").field("role", &self.run.role).finish_non_exhaustive()
    }
}

/// The socket options every role uses (zmq.rs has none of the contract's: see [`WORKAROUNDS`]).
#[must_use]
pub(crate) fn options() -> zeromq::SocketOptions {
    zeromq::SocketOptions::default()
}

/// Binds or connects `socket` (configured by the caller: a SUB subscribes first), and prints
/// the ready line with the resolved endpoint.
///
/// # Errors
/// Exit 3 when a connect finds no peer within the timeout, exit 6 naming the call that failed.
pub(crate) async fn open<S: Socket>(run: &Run, mut socket: S) -> Result<Peer<'_, S>, PeerError> {
    let events = Box::pin(socket.monitor());
    let endpoint = if run.bind {
        let endpoint = bind_endpoint(&run.endpoint);
        let bound = socket
            .bind(&endpoint)
            .await
            .map_err(|e| failed(&format!("Socket::bind({})", run.endpoint), &e))?;
        bound.to_string()
    } else {
        match tokio::time::timeout(timeout(run), socket.connect(&run.endpoint)).await {
            Ok(Ok(())) => run.endpoint.clone(),
            Ok(Err(e)) => return Err(failed(&format!("Socket::connect({})", run.endpoint), &e)),
            Err(_) => {
                return Err(PeerError::timeout(format!(
                    "timed out after {} ms connecting to {}",
                    run.options.timeout_ms, run.endpoint
                )));
            }
        }
    };
    emit(&Event::Ready { endpoint })?;
    Ok(Peer { socket, run, events })
}

impl<S: Socket> Peer<'_, S> {
    /// The engine's socket, for what the contract's calls do not cover (a SUB's unsubscribe).
    pub(crate) fn socket(&mut self) -> &mut S {
        &mut self.socket
    }

    /// Closes the socket the way `ZMQ_LINGER` would: the engine's own close (which also
    /// unbinds, removing a bound ipc path), bounded by the timeout; the wait for queued
    /// messages to leave happens once the socket is gone (see [`settle`]).
    pub(crate) async fn close(self) {
        // Lets work the role's last send queued run first (the PUB socket's fan-out task moves
        // messages to the per-subscriber writers; the socket's close would drop what it holds).
        tokio::task::yield_now().await;
        let _ = tokio::time::timeout(timeout(self.run), self.socket.close()).await;
    }
}

impl<S: SocketRecv> Peer<'_, S> {
    /// Receives one message, whatever its frame count; a timeout becomes exit 3 with
    /// `waiting_for` in the reason.
    ///
    /// # Errors
    /// Exit 3 on timeout, exit 6 on any other failure.
    pub(crate) async fn recv_message(
        &mut self,
        waiting_for: &str,
    ) -> Result<ZmqMessage, PeerError> {
        match tokio::time::timeout(timeout(self.run), self.socket.recv()).await {
            Ok(Ok(message)) => Ok(message),
            // The one seen: a REQ whose peer has gone ("No message received"), where libzmq's
            // REQ would wait for a reconnection until its timeout.
            Ok(Err(e)) => Err(failed(&format!("SocketRecv::recv (waiting for {waiting_for})"), &e)),
            Err(_) => Err(PeerError::timeout(format!(
                "timed out after {} ms waiting for {waiting_for}",
                self.run.options.timeout_ms
            ))),
        }
    }

    /// Receives one single-frame message (zmq.rs delivers a message's frames together, so a
    /// multipart one has been read whole when it is refused).
    ///
    /// # Errors
    /// Exit 3 on timeout, exit 5 for a multipart message, exit 6 on any other failure.
    pub(crate) async fn recv(&mut self, waiting_for: &str) -> Result<ZmqMessage, PeerError> {
        let message = self.recv_message(waiting_for).await?;
        single(message)
    }
}

/// The message when it has one frame, else the contract's multipart refusal (exit 5).
///
/// # Errors
/// [`PeerError::multipart`] with the frame count.
pub(crate) fn single(message: ZmqMessage) -> Result<ZmqMessage, PeerError> {
    if message.len() == 1 { Ok(message) } else { Err(PeerError::multipart(message.len())) }
}

/// The **frames** line for a message: every frame in lowercase hex, an empty frame `""`.
#[must_use]
pub(crate) fn frames(seq: u64, message: &ZmqMessage) -> Frames {
    Frames::of(seq, message.iter().map(|frame| &frame[..]))
}

/// A message of these frames, in order (a frame may be empty).
#[must_use]
pub(crate) fn message_of(frames: Vec<Vec<u8>>) -> ZmqMessage {
    let mut frames = frames.into_iter();
    let mut message = ZmqMessage::from(frames.next().unwrap_or_default());
    for frame in frames {
        message.push_back(frame.into());
    }
    message
}

/// The holding binder of case `reconnect`: keeps its socket open, sending nothing, until it is
/// killed or `--timeout-ms` passes (the engine's tasks run meanwhile).
pub(crate) async fn hold(run: &Run) {
    tokio::time::sleep(timeout(run)).await;
}

/// The bytes of a single-frame message (empty for a message without frames).
#[must_use]
pub(crate) fn body(message: &ZmqMessage) -> &[u8] {
    message.get(0).map_or(&[], |frame| &frame[..])
}

impl<S: SocketSend> Peer<'_, S> {
    /// Sends one message; a send that does not complete within the timeout becomes exit 3.
    /// When the engine refuses because no peer is connected yet (a binding REQ or PUSH, where
    /// libzmq's send would block), waits for the engine's next connection event and retries,
    /// all within the same timeout.
    ///
    /// # Errors
    /// Exit 3 on timeout, exit 6 on any other failure.
    pub(crate) async fn send(&mut self, message: ZmqMessage, what: &str) -> Result<(), PeerError> {
        let deadline = Instant::now() + timeout(self.run);
        let mut message = message;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.send(message)).await {
                Ok(Ok(())) => return Ok(()),
                Ok(Err(ZmqError::ReturnToSender { reason, message: returned }))
                    if reason.starts_with("Not connected to peers") =>
                {
                    message = returned;
                    if tokio::time::timeout_at(deadline, self.next_connection()).await.is_err() {
                        break;
                    }
                }
                Ok(Err(e)) => return Err(failed("SocketSend::send", &e)),
                Err(_) => break,
            }
        }
        Err(PeerError::timeout(format!(
            "timed out after {} ms sending {what}",
            self.run.options.timeout_ms
        )))
    }

    /// Whether the engine has reported a peer (accepted or connected) not yet taken, without
    /// waiting: each report is taken once.
    pub(crate) fn take_new_connection(&mut self) -> bool {
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            match self.events.as_mut().poll_next(&mut context) {
                std::task::Poll::Ready(Some(
                    SocketEvent::Accepted(..) | SocketEvent::Connected(..),
                )) => return true,
                std::task::Poll::Ready(Some(_)) => {}
                std::task::Poll::Ready(None) | std::task::Poll::Pending => return false,
            }
        }
    }

    /// Waits for the engine to report a peer (accepted or connected); pends forever once the
    /// monitor channel is closed (the caller's deadline ends it).
    async fn next_connection(&mut self) {
        loop {
            let event = std::future::poll_fn(|cx| self.events.as_mut().poll_next(cx)).await;
            match event {
                Some(SocketEvent::Accepted(..) | SocketEvent::Connected(..)) => return,
                Some(_) => {}
                None => std::future::pending::<()>().await,
            }
        }
    }
}

/// `ZMQ_LINGER` for the sending roles, once the role is done and its socket closed: zmq.rs's
/// writer tasks still hold what the role queued (a PUSH's per-peer queue, a PUB's
/// per-subscriber queue) and write it out once the socket is gone; wait until every engine task
/// has finished, up to `--timeout-ms`, so that the last messages leave before the process
/// exits. The receiving roles have nothing left to send (`ZMQ_LINGER` 0): no wait.
async fn settle(run: &Run) {
    if !run.role.sends_last() {
        return;
    }
    let deadline = Instant::now() + timeout(run);
    let metrics = tokio::runtime::Handle::current().metrics();
    while metrics.num_alive_tasks() > 0 && Instant::now() < deadline {
        // The engine's tasks signal their end to nobody: look again after a millisecond.
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wildcard_port_becomes_port_zero_for_tcp_only() {
        assert_eq!(bind_endpoint("tcp://127.0.0.1:*"), "tcp://127.0.0.1:0");
        assert_eq!(bind_endpoint("tcp://127.0.0.1:5555"), "tcp://127.0.0.1:5555");
        assert_eq!(bind_endpoint("ipc:///tmp/x/a:*"), "ipc:///tmp/x/a:*");
    }

    #[test]
    fn info_names_zmq_rs_and_no_libzmq() {
        let info = info(&Role::ALL);
        assert_eq!((info.lang.as_str(), info.binding.as_str()), ("rust", "zmq.rs"));
        assert_eq!((info.engine.as_str(), info.libzmq), ("zmq.rs", None));
        assert_eq!(info.impl_version, ZEROMQ_VERSION);
        assert!(ZEROMQ_VERSION.starts_with("0.7."), "{ZEROMQ_VERSION}");
        assert_eq!(info.transports, ["tcp", "ipc"]);
        assert_eq!(info.roles.len(), 8);
        assert_eq!(info.workarounds.len(), WORKAROUNDS.len());
        assert_eq!(info.cases, crate::cases::all_played());
    }

    #[test]
    fn frames_lines_show_every_frame_in_lowercase_hex() {
        let message = message_of(vec![b"fancy".to_vec(), Vec::new(), vec![0x01, 0xff]]);
        assert_eq!(message.len(), 3);
        let line = serde_json::to_string(&frames(4, &message)).unwrap();
        assert_eq!(line, r#"{"seq":4,"frames":["66616e6379","","01ff"]}"#);
        let empty = message_of(vec![Vec::new()]);
        assert_eq!(
            serde_json::to_string(&frames(0, &empty)).unwrap(),
            r#"{"seq":0,"frames":[""]}"#
        );
        assert_eq!(message_of(Vec::new()).len(), 1);
    }

    #[test]
    fn a_multipart_message_is_refused_with_its_frame_count() {
        let one = ZmqMessage::from(vec![1u8, 2]);
        assert_eq!(body(&single(one).unwrap()), [1, 2]);
        let mut two = ZmqMessage::from(vec![1u8]);
        two.push_back(vec![2u8].into());
        let refused = single(two).unwrap_err();
        assert_eq!(refused.code, ExitCode::Malformed);
        assert_eq!(refused.reason, "malformed message: 2 frames, expected 1");
    }
}
