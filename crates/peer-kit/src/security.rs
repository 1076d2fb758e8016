//! Security for the rust-zmq peers: the mechanism's socket options, and on the server the ZAP
//! handler (RFC 27), a REP socket at `inproc://zeromq.zap.01` on a thread that admits exactly
//! the allow list and prints a zap line for every request it answers.
//!
//! rust-zmq's sockets hold a clone of their context, so the handler cannot end by the
//! context's termination (the context is not terminated while the handler's socket lives): it
//! polls a stop flag between requests, and [`ZapHandler`]'s drop stops and joins it.

use crate::ZmqContext;
use contract::output::Event;
use contract::{Mechanism, PeerError, Security, z85};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// Whether the linked libzmq has the mechanism: NULL and PLAIN always; CURVE with libsodium.
#[must_use]
pub fn has(mechanism: Mechanism) -> bool {
    mechanism != Mechanism::Curve || zmq::has("curve").unwrap_or(false)
}

/// Why CURVE is missing from the linked libzmq.
#[must_use]
pub fn missing(mechanism: Mechanism) -> String {
    let (major, minor, patch) = zmq::version();
    format!(
        "libzmq {major}.{minor}.{patch} as linked by rust-zmq has no {mechanism} (zmq_has is \
         false): zmq-sys 0.12 builds its vendored libzmq with_libsodium(None), so without \
         ZMQ_HAVE_CURVE (erickt/rust-zmq#401)"
    )
}

/// Exit 4 before any socket exists when the linked libzmq lacks the run's mechanism.
///
/// # Errors
/// Exit 4 naming what is missing.
pub fn check(security: &Security) -> Result<(), PeerError> {
    let mechanism = security.mechanism();
    if has(mechanism) { Ok(()) } else { Err(PeerError::unsupported(missing(mechanism))) }
}

/// The ZAP handler's thread; dropping it stops and joins it.
#[derive(Debug)]
pub struct ZapHandler {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for ZapHandler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Sets the mechanism's options on `socket` (before bind or connect); a server first starts
/// the ZAP handler, returned.
///
/// # Errors
/// Exit 6 naming the zmq call that failed.
pub fn secure(
    context: &zmq::Context,
    socket: &zmq::Socket,
    security: &Security,
) -> Result<Option<ZapHandler>, PeerError> {
    let mut handler = None;
    if security.is_server() {
        handler = Some(start(context, security.clone())?);
        socket.set_zap_domain("interop").call("zmq_setsockopt(ZMQ_ZAP_DOMAIN)")?;
    }
    match security {
        Security::Null => {}
        Security::PlainServer { .. } => {
            socket.set_plain_server(true).call("zmq_setsockopt(ZMQ_PLAIN_SERVER)")?;
        }
        Security::PlainClient(credentials) => {
            socket
                .set_plain_username(Some(&credentials.user))
                .call("zmq_setsockopt(ZMQ_PLAIN_USERNAME)")?;
            socket
                .set_plain_password(Some(&credentials.password))
                .call("zmq_setsockopt(ZMQ_PLAIN_PASSWORD)")?;
        }
        Security::CurveServer { keys, .. } => {
            socket.set_curve_server(true).call("zmq_setsockopt(ZMQ_CURVE_SERVER)")?;
            socket
                .set_curve_secretkey(&key(&keys.secret)?)
                .call("zmq_setsockopt(ZMQ_CURVE_SECRETKEY)")?;
        }
        Security::CurveClient { keys, server_key } => {
            socket
                .set_curve_serverkey(&key(server_key)?)
                .call("zmq_setsockopt(ZMQ_CURVE_SERVERKEY)")?;
            socket
                .set_curve_publickey(&key(&keys.public)?)
                .call("zmq_setsockopt(ZMQ_CURVE_PUBLICKEY)")?;
            socket
                .set_curve_secretkey(&key(&keys.secret)?)
                .call("zmq_setsockopt(ZMQ_CURVE_SECRETKEY)")?;
        }
    }
    Ok(handler)
}

/// A key's 32 bytes (validated when the options were parsed).
fn key(text: &str) -> Result<Vec<u8>, PeerError> {
    z85::decode(text).map_err(|e| PeerError::usage(format!("a Z85 key: {e}")))
}

/// Binds the ZAP endpoint and starts answering on a thread.
fn start(context: &zmq::Context, security: Security) -> Result<ZapHandler, PeerError> {
    let socket = context.socket(zmq::REP).call("zmq_socket(ZAP handler)")?;
    socket.set_linger(0).call("zmq_setsockopt(ZMQ_LINGER)")?;
    socket.bind("inproc://zeromq.zap.01").call("zmq_bind(inproc://zeromq.zap.01)")?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name("zap".into())
        .spawn(move || serve(&socket, &security, &flag))
        .map_err(|e| PeerError::call("starting the ZAP handler's thread", e))?;
    Ok(ZapHandler { stop, thread: Some(thread) })
}

/// Answers requests until told to stop (checked every 100 ms between requests).
fn serve(socket: &zmq::Socket, security: &Security, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        match socket.poll(zmq::POLLIN, 100) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(_) => return,
        }
        let Ok(frames) = socket.recv_multipart(0) else { return };
        let (allowed, identity) = admits(security, &frames);
        let _ = crate::emit(&Event::Zap {
            mechanism: security.mechanism().name().into(),
            identity,
            allowed,
        });
        let request_id = frames.get(1).cloned().unwrap_or_default();
        let (code, text): (&[u8], &[u8]) =
            if allowed { (b"200", b"OK") } else { (b"400", b"not on the allow list") };
        let user: &[u8] = if allowed { b"interop" } else { b"" };
        let reply: [&[u8]; 6] = [b"1.0", &request_id, code, text, user, b""];
        if socket.send_multipart(reply, 0).is_err() {
            return;
        }
    }
}

/// Whether a ZAP request is on the allow list, and who asked (never a password).
fn admits(security: &Security, frames: &[Vec<u8>]) -> (bool, String) {
    let mechanism = frames.get(5).map(Vec::as_slice);
    match (mechanism, frames.len()) {
        (Some(b"PLAIN"), 8) => (
            security.admits_plain(&frames[6], &frames[7]),
            String::from_utf8_lossy(&frames[6]).into_owned(),
        ),
        (Some(b"CURVE"), 7) if frames[6].len() == 32 => {
            (security.admits_curve(&frames[6]), z85::encode(&frames[6]))
        }
        _ => (false, String::new()),
    }
}
