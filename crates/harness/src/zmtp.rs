//! The ZMTP revision a peer speaks, measured from its own greeting: the harness starts the
//! peer as a replier on a tcp wildcard, connects a raw TCP client that greets as ZMTP 3.1 with
//! the NULL mechanism, and reads the signature and version bytes the peer sends back. Never
//! looked up from a table: an engine says what it speaks by speaking it.
//!
//! A ZMTP 3.x greeting is the signature (`FF`, 8 padding bytes, `7F`), then the major and
//! minor version (RFC 23, 37); ZMTP 2.0 (RFC 15) sends the same signature, then a revision
//! byte of `01`. The client greets in stages, as libzmq does, so that an engine of either
//! generation answers: the signature alone first (a ZMTP 2.0 engine that read a 3.x major
//! and what follows as its own fields would hang up), the rest only once the peer's major
//! says it speaks 3.x. An engine sends its own version whatever its partner announces, so the
//! bytes read are the peer's, not an echo of ours.

use crate::peer::Peer;
use crate::process::{self, Line};
use crate::settings;
use contract::Role;
use contract::output::Event;
use std::fmt;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A ZMTP revision as its greeting states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Revision {
    /// 3 for ZMTP 3.x; 2 for ZMTP 2.0 (whose greeting says revision 1).
    pub major: u8,
    /// The minor version (0 for ZMTP 2.0).
    pub minor: u8,
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ZMTP {}.{}", self.major, self.minor)
    }
}

/// The greeting the raw client sends: ZMTP 3.1, NULL, as a client.
fn client_greeting() -> [u8; 64] {
    let mut greeting = [0u8; 64];
    greeting[0] = 0xFF;
    greeting[9] = 0x7F;
    greeting[10] = 3;
    greeting[11] = 1;
    greeting[12..16].copy_from_slice(b"NULL");
    greeting
}

/// Reads the revision from the first bytes of a peer's greeting: `Ok(None)` while more bytes
/// are needed.
///
/// # Errors
/// When the bytes are not a ZMTP 2.0 or 3.x greeting.
pub fn parse(bytes: &[u8]) -> Result<Option<Revision>, String> {
    if bytes.is_empty() {
        return Ok(None);
    }
    if bytes[0] != 0xFF {
        return Err(format!("not a ZMTP signature: first byte {:#04x}", bytes[0]));
    }
    if bytes.len() < 11 {
        return Ok(None);
    }
    if bytes[9] & 1 != 1 {
        return Err(format!("not a ZMTP signature: tenth byte {:#04x}", bytes[9]));
    }
    match bytes[10] {
        1 => Ok(Some(Revision { major: 2, minor: 0 })),
        major if major >= 3 => match bytes.get(11) {
            Some(&minor) => Ok(Some(Revision { major, minor })),
            None => Ok(None),
        },
        other => Err(format!("unknown ZMTP revision byte {other:#04x} after the signature")),
    }
}

/// Measures the revision `peer` speaks over tcp.
///
/// # Errors
/// One line: the peer did not start or bind, the connection failed, or the bytes it sent
/// were not a greeting.
pub fn measure(peer: &Peer) -> Result<Revision, String> {
    let deadline = Instant::now() + settings::scaled(Duration::from_secs(15));
    let timeout = settings::peer_timeout().as_millis().to_string();
    let spec = peer
        .command(
            Role::Rep,
            "replier",
            [
                "--endpoint",
                "tcp://127.0.0.1:*",
                "--case",
                "hello",
                "--count",
                "1",
                "--timeout-ms",
                timeout.as_str(),
                "--exit-with-stdin",
            ],
        )?
        .stdin_pipe();
    let mut replier = process::spawn(&spec).map_err(|e| format!("{}: {e}", spec.label()))?;
    let endpoint = match replier.next_line(deadline) {
        Line::Text(line) => match serde_json::from_str::<Event>(&line) {
            Ok(Event::Ready { endpoint }) => endpoint,
            _ => return Err(format!("the replier printed {line:?} before its ready line")),
        },
        Line::Closed => {
            let done = replier.wait(deadline);
            return Err(format!("the replier ended before binding ({})", done.exit));
        }
        Line::TimedOut => return Err("the replier printed no ready line in time".into()),
        Line::Cancelled => return Err("cancelled".into()),
    };
    let address = endpoint.strip_prefix("tcp://").unwrap_or(&endpoint);
    let read = read_greeting(address, deadline);
    // The replier waits for a request that will not come: stopping it is the normal end.
    drop(replier.stop());
    read
}

/// Connects to `address`, greets in stages, and reads until the revision is known.
fn read_greeting(address: &str, deadline: Instant) -> Result<Revision, String> {
    let mut stream =
        TcpStream::connect(address).map_err(|e| format!("connecting to {address}: {e}"))?;
    let greeting = client_greeting();
    stream.write_all(&greeting[..10]).map_err(|e| format!("greeting {address}: {e}"))?;
    let mut received = Vec::with_capacity(64);
    let mut buffer = [0u8; 64];
    let mut rest_sent = false;
    loop {
        if let Some(revision) = parse(&received)? {
            return Ok(revision);
        }
        if !rest_sent && received.len() >= 11 {
            // A 3.x major: the peer waits for ours before it sends its minor.
            stream.write_all(&greeting[10..]).map_err(|e| format!("greeting {address}: {e}"))?;
            rest_sent = true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!("{} bytes of greeting before the deadline", received.len()));
        }
        stream.set_read_timeout(Some(left)).map_err(|e| e.to_string())?;
        match stream.read(&mut buffer) {
            Ok(0) => {
                return Err(format!("the peer hung up after {} bytes of greeting", received.len()));
            }
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(e) => return Err(format!("reading the greeting from {address}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greeting(major: u8, minor: u8) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, major, minor];
        bytes.extend_from_slice(b"NULL");
        bytes
    }

    #[test]
    fn the_version_bytes_after_the_signature_are_the_revision() {
        assert_eq!(parse(&greeting(3, 1)), Ok(Some(Revision { major: 3, minor: 1 })));
        assert_eq!(parse(&greeting(3, 0)), Ok(Some(Revision { major: 3, minor: 0 })));
        // ZMTP 2.0: revision byte 1, then the socket type.
        assert_eq!(parse(&greeting(1, 5)), Ok(Some(Revision { major: 2, minor: 0 })));
        assert_eq!(Revision { major: 3, minor: 0 }.to_string(), "ZMTP 3.0");
    }

    #[test]
    fn a_partial_greeting_asks_for_more_and_junk_is_refused() {
        assert_eq!(parse(&[]), Ok(None));
        assert_eq!(parse(&greeting(3, 1)[..10]), Ok(None));
        assert_eq!(parse(&greeting(3, 1)[..11]), Ok(None));
        assert_eq!(parse(&greeting(1, 0)[..11]), Ok(Some(Revision { major: 2, minor: 0 })));
        assert!(parse(b"HTTP/1.1 400").unwrap_err().contains("first byte 0x48"));
        let mut odd = greeting(3, 1);
        odd[10] = 2;
        assert!(parse(&odd).unwrap_err().contains("revision byte 0x02"));
    }

    #[test]
    fn the_client_greets_as_zmtp_3_1_null() {
        let ours = client_greeting();
        assert_eq!(parse(&ours), Ok(Some(Revision { major: 3, minor: 1 })));
        assert_eq!(&ours[12..16], b"NULL");
        assert_eq!(ours[32], 0, "as-server is 0: a client");
    }
}
