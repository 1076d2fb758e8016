//! The security options (`--security`, the PLAIN and CURVE material, the ZAP allow list):
//! validated and read into one [`Security`] before any socket exists.
//!
//! Secret material comes in files the harness writes into the cell's private directory, never
//! on the command line, because command lines appear in reports. Reading those files is the
//! one piece of IO this crate does beyond a peer's output lines and stdin.

use crate::{PeerError, z85};
use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// A ZMTP security mechanism.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    ValueEnum,
    Serialize,
    Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Mechanism {
    /// No security (the default).
    #[default]
    Null,
    /// User name and password in clear text (RFC 24).
    Plain,
    /// CurveZMQ (RFC 25/26): encrypted, the server known by its public key.
    Curve,
}

impl Mechanism {
    /// Every mechanism.
    pub const ALL: [Self; 3] = [Self::Null, Self::Plain, Self::Curve];

    /// The contract's name (`--security`, `--info`'s `mechanisms`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Plain => "plain",
            Self::Curve => "curve",
        }
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A CURVE key pair in Z85.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyPair {
    /// The public key.
    pub public: String,
    /// The secret key.
    pub secret: String,
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPair {{ public: {:?}, secret: <redacted> }}", self.public)
    }
}

/// One entry of a PLAIN allow list.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user name.
    pub user: String,
    /// The password.
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials {{ user: {:?}, password: <redacted> }}", self.user)
    }
}

/// What this side does for security: the binder is the server (and runs the ZAP handler),
/// the connector the client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Security {
    /// NULL.
    #[default]
    Null,
    /// PLAIN server: `ZMQ_PLAIN_SERVER`; the ZAP handler admits exactly `allow`.
    PlainServer {
        /// Who may connect.
        allow: Vec<Credentials>,
    },
    /// PLAIN client: `ZMQ_PLAIN_USERNAME`, `ZMQ_PLAIN_PASSWORD`.
    PlainClient(Credentials),
    /// CURVE server: `ZMQ_CURVE_SERVER`, its secret key; the ZAP handler admits exactly the
    /// client public keys in `allow`.
    CurveServer {
        /// The server's own pair.
        keys: KeyPair,
        /// Client public keys that may connect.
        allow: Vec<String>,
    },
    /// CURVE client: its own pair and the server's public key.
    CurveClient {
        /// The client's own pair.
        keys: KeyPair,
        /// The server's public key.
        server_key: String,
    },
}

impl Security {
    /// The mechanism.
    #[must_use]
    pub fn mechanism(&self) -> Mechanism {
        match self {
            Self::Null => Mechanism::Null,
            Self::PlainServer { .. } | Self::PlainClient(_) => Mechanism::Plain,
            Self::CurveServer { .. } | Self::CurveClient { .. } => Mechanism::Curve,
        }
    }

    /// Whether this side is a server with a ZAP handler.
    #[must_use]
    pub fn is_server(&self) -> bool {
        matches!(self, Self::PlainServer { .. } | Self::CurveServer { .. })
    }

    /// Whether the ZAP handler admits this PLAIN user and password.
    #[must_use]
    pub fn admits_plain(&self, user: &[u8], password: &[u8]) -> bool {
        match self {
            Self::PlainServer { allow } => {
                allow.iter().any(|c| c.user.as_bytes() == user && c.password.as_bytes() == password)
            }
            _ => false,
        }
    }

    /// Whether the ZAP handler admits this CURVE client public key (32 bytes).
    #[must_use]
    pub fn admits_curve(&self, public_key: &[u8]) -> bool {
        match self {
            Self::CurveServer { allow, .. } => {
                allow.iter().any(|k| z85::decode(k).is_ok_and(|b| b == public_key))
            }
            _ => false,
        }
    }
}

/// The security options as given.
#[derive(Debug, Clone, Default)]
pub struct SecurityOptions<'a> {
    /// `--security`.
    pub mechanism: Mechanism,
    /// `--plain-user`.
    pub plain_user: Option<&'a str>,
    /// `--plain-password-file`.
    pub plain_password_file: Option<&'a Path>,
    /// `--curve-keys-file`.
    pub curve_keys_file: Option<&'a Path>,
    /// `--curve-server-key`.
    pub curve_server_key: Option<&'a str>,
    /// `--zap-allow-file`.
    pub zap_allow_file: Option<&'a Path>,
}

/// The longest user name or password, in bytes (RFC 24 allows 255).
pub const PLAIN_MAX_BYTES: usize = 255;

/// Validates the options and reads the files for a side that binds (`server`) or connects.
///
/// # Errors
/// A usage error naming the option and what is wrong (never the secret itself).
pub fn read(o: &SecurityOptions<'_>, server: bool) -> Result<Security, PeerError> {
    let need = |name: &str, present: bool| {
        if present {
            Ok(())
        } else {
            let side = if server { "the binder (server)" } else { "the connector (client)" };
            Err(PeerError::usage(format!("--security {} needs {name} on {side}", o.mechanism)))
        }
    };
    let unused = |name: &str, present: bool| {
        if present {
            Err(PeerError::usage(format!("{name} does not apply to --security {}", o.mechanism)))
        } else {
            Ok(())
        }
    };
    if let Some(key) = o.curve_server_key {
        z85::check_key(key).map_err(|e| PeerError::usage(format!("--curve-server-key: {e}")))?;
    }
    match o.mechanism {
        Mechanism::Null => {
            for (name, present) in [
                ("--plain-user", o.plain_user.is_some()),
                ("--plain-password-file", o.plain_password_file.is_some()),
                ("--curve-keys-file", o.curve_keys_file.is_some()),
                ("--curve-server-key", o.curve_server_key.is_some()),
                ("--zap-allow-file", o.zap_allow_file.is_some()),
            ] {
                unused(name, present)?;
            }
            Ok(Security::Null)
        }
        Mechanism::Plain => {
            unused("--curve-keys-file", o.curve_keys_file.is_some())?;
            unused("--curve-server-key", o.curve_server_key.is_some())?;
            if server {
                need("--zap-allow-file", o.zap_allow_file.is_some())?;
                let lines =
                    read_lines("--zap-allow-file", o.zap_allow_file.unwrap_or(Path::new("")))?;
                let allow = lines
                    .iter()
                    .map(|line| {
                        let (user, password) = line.split_once(' ').ok_or_else(|| {
                            PeerError::usage("--zap-allow-file: a PLAIN line is `USER PASSWORD`")
                        })?;
                        check_plain("--zap-allow-file", user, password)?;
                        Ok(Credentials { user: user.to_owned(), password: password.to_owned() })
                    })
                    .collect::<Result<Vec<_>, PeerError>>()?;
                Ok(Security::PlainServer { allow })
            } else {
                need("--plain-user", o.plain_user.is_some())?;
                need("--plain-password-file", o.plain_password_file.is_some())?;
                let user = o.plain_user.unwrap_or_default();
                let lines = read_lines(
                    "--plain-password-file",
                    o.plain_password_file.unwrap_or(Path::new("")),
                )?;
                let [password] = lines.as_slice() else {
                    return Err(PeerError::usage("--plain-password-file: one line, the password"));
                };
                check_plain("--plain-user", user, password)?;
                Ok(Security::PlainClient(Credentials {
                    user: user.to_owned(),
                    password: password.clone(),
                }))
            }
        }
        Mechanism::Curve => {
            unused("--plain-user", o.plain_user.is_some())?;
            unused("--plain-password-file", o.plain_password_file.is_some())?;
            need("--curve-keys-file", o.curve_keys_file.is_some())?;
            let lines =
                read_lines("--curve-keys-file", o.curve_keys_file.unwrap_or(Path::new("")))?;
            let [public, secret] = lines.as_slice() else {
                return Err(PeerError::usage(
                    "--curve-keys-file: two lines, the public key then the secret key (Z85)",
                ));
            };
            for key in [public, secret] {
                z85::check_key(key)
                    .map_err(|e| PeerError::usage(format!("--curve-keys-file: {e}")))?;
            }
            let keys = KeyPair { public: public.clone(), secret: secret.clone() };
            if server {
                unused("--curve-server-key", o.curve_server_key.is_some())?;
                need("--zap-allow-file", o.zap_allow_file.is_some())?;
                let allow =
                    read_lines("--zap-allow-file", o.zap_allow_file.unwrap_or(Path::new("")))?;
                for key in &allow {
                    z85::check_key(key)
                        .map_err(|e| PeerError::usage(format!("--zap-allow-file: {e}")))?;
                }
                Ok(Security::CurveServer { keys, allow })
            } else {
                unused("--zap-allow-file", o.zap_allow_file.is_some())?;
                need("--curve-server-key", o.curve_server_key.is_some())?;
                let server_key = o.curve_server_key.unwrap_or_default().to_owned();
                Ok(Security::CurveClient { keys, server_key })
            }
        }
    }
}

/// A user name: printable ASCII without space; a password: printable ASCII (spaces allowed);
/// each 1..=255 bytes.
fn check_plain(option: &str, user: &str, password: &str) -> Result<(), PeerError> {
    let ok_user = !user.is_empty()
        && user.len() <= PLAIN_MAX_BYTES
        && user.bytes().all(|b| b.is_ascii_graphic());
    let ok_password = !password.is_empty()
        && password.len() <= PLAIN_MAX_BYTES
        && password.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    if !ok_user {
        return Err(PeerError::usage(format!(
            "{option}: a user name is 1..=255 bytes of printable ASCII without space"
        )));
    }
    if !ok_password {
        return Err(PeerError::usage(format!(
            "{option}: a password is 1..=255 bytes of printable ASCII"
        )));
    }
    Ok(())
}

/// The non-empty lines of a material file (a final newline, and `\r` before it, allowed).
fn read_lines(option: &str, path: &Path) -> Result<Vec<String>, PeerError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| PeerError::usage(format!("{option} {}: {e}", path.display())))?;
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(PeerError::usage(format!("{option} {}: the file is empty", path.display())));
    }
    Ok(lines)
}
