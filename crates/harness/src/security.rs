//! Security material for the security cases: CURVE key pairs and PLAIN passwords generated
//! afresh by each run (never checked in), written into a private directory per cell, and the
//! flags that point each side at its files.
//!
//! CURVE keys are X25519 keys (libsodium's `crypto_box`), made here with `x25519-dalek` and
//! Z85-encoded with the contract's encoder, so the harness links no zmq binding. Secrets go
//! into files because command lines appear in reports; only public keys and the user name are
//! ever on a command line.

use crate::endpoint;
use contract::{Mechanism, z85};
use std::path::Path;
use std::sync::OnceLock;

/// How a case sets up security between the binder (the server, with a ZAP handler) and the
/// connector (the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    /// The binder's mechanism.
    pub binder: Mechanism,
    /// The connector's mechanism.
    pub connector: Mechanism,
    /// What the connector gets wrong, if anything.
    pub twist: Twist,
    /// The binder's allow list also admits what the twist presents (a fault: the refusal must
    /// then disappear, and the cell fail).
    pub allow_twisted: bool,
}

impl Setup {
    /// Both sides on `mechanism`, nothing wrong.
    #[must_use]
    pub const fn ok(mechanism: Mechanism) -> Self {
        Self { binder: mechanism, connector: mechanism, twist: Twist::None, allow_twisted: false }
    }
}

/// What the connector presents that the binder must refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twist {
    /// Nothing: the right credentials.
    None,
    /// PLAIN: the listed user with a password not on the list.
    WrongPassword,
    /// CURVE: a valid key pair whose public key is not on the allow list.
    UnlistedClient,
    /// CURVE: the public key of another server than the one it connects to.
    WrongServerKey,
}

/// The PLAIN user name of every security cell (not a secret).
pub const USER: &str = "interop";

/// This run's material, made once.
struct Keys {
    server: (String, String),
    client: (String, String),
    stranger: (String, String),
    impostor_public: String,
    password: String,
    wrong_password: String,
}

fn keys() -> Result<&'static Keys, String> {
    static KEYS: OnceLock<Result<Keys, String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        Ok(Keys {
            server: key_pair()?,
            client: key_pair()?,
            stranger: key_pair()?,
            impostor_public: key_pair()?.0,
            password: z85::encode(&random::<16>()?),
            wrong_password: z85::encode(&random::<16>()?),
        })
    })
    .as_ref()
    .map_err(Clone::clone)
}

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| format!("no system randomness for keys: {e}"))?;
    Ok(bytes)
}

/// A fresh CURVE key pair, (public, secret) in Z85.
///
/// # Errors
/// When the system has no randomness to give.
pub fn key_pair() -> Result<(String, String), String> {
    let secret = x25519_dalek::StaticSecret::from(random::<32>()?);
    let public = x25519_dalek::PublicKey::from(&secret);
    Ok((z85::encode(public.as_bytes()), z85::encode(secret.as_bytes())))
}

/// One cell's material: its private directory (removed on drop) and each side's flags.
#[derive(Debug)]
pub struct Material {
    _dir: tempfile::TempDir,
    /// The binder's security flags.
    pub binder: Vec<String>,
    /// The connector's.
    pub connector: Vec<String>,
}

impl Material {
    /// Writes the files `setup` needs into a fresh private directory.
    ///
    /// # Errors
    /// A reason when the directory or a file cannot be made, or there is no randomness.
    pub fn write(setup: &Setup) -> Result<Self, String> {
        let keys = keys()?;
        let dir = endpoint::private_dir(&std::env::temp_dir())?;
        let path = |name: &str| dir.path().join(name);
        let file = |name: &str, text: String| -> Result<String, String> {
            let at = path(name);
            write_private(&at, &text)?;
            Ok(at.to_string_lossy().into_owned())
        };
        let mut binder = mechanism_flag(setup.binder);
        let mut connector = mechanism_flag(setup.connector);
        match setup.binder {
            Mechanism::Null => {}
            Mechanism::Plain => {
                let mut allow = format!("{USER} {}\n", keys.password);
                if setup.allow_twisted && setup.twist == Twist::WrongPassword {
                    allow.push_str(&format!("{USER} {}\n", keys.wrong_password));
                }
                binder.extend(["--zap-allow-file".into(), file("allow", allow)?]);
            }
            Mechanism::Curve => {
                let (public, secret) = &keys.server;
                binder.extend(["--curve-keys-file".into(), file("server", pair(public, secret))?]);
                let mut allow = format!("{}\n", keys.client.0);
                if setup.allow_twisted && setup.twist == Twist::UnlistedClient {
                    allow.push_str(&format!("{}\n", keys.stranger.0));
                }
                binder.extend(["--zap-allow-file".into(), file("allow", allow)?]);
            }
        }
        match setup.connector {
            Mechanism::Null => {}
            Mechanism::Plain => {
                let password = if setup.twist == Twist::WrongPassword {
                    &keys.wrong_password
                } else {
                    &keys.password
                };
                connector.extend(["--plain-user".into(), USER.into()]);
                connector.extend([
                    "--plain-password-file".into(),
                    file("password", format!("{password}\n"))?,
                ]);
            }
            Mechanism::Curve => {
                let (public, secret) = if setup.twist == Twist::UnlistedClient {
                    &keys.stranger
                } else {
                    &keys.client
                };
                connector
                    .extend(["--curve-keys-file".into(), file("client", pair(public, secret))?]);
                let server = if setup.twist == Twist::WrongServerKey {
                    &keys.impostor_public
                } else {
                    &keys.server.0
                };
                // One argument, `--name=VALUE`: a Z85 key may begin with `-`, which a parser
                // would take for an option if it stood alone.
                connector.push(format!("--curve-server-key={server}"));
            }
        }
        Ok(Self { _dir: dir, binder, connector })
    }
}

fn mechanism_flag(mechanism: Mechanism) -> Vec<String> {
    if mechanism == Mechanism::Null {
        Vec::new()
    } else {
        vec!["--security".into(), mechanism.name().into()]
    }
}

fn pair(public: &str, secret: &str) -> String {
    format!("{public}\n{secret}\n")
}

/// Writes `text` to a new file only this user can read.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file =
        options.open(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_pairs_are_z85_and_distinct() {
        let (public, secret) = key_pair().unwrap();
        assert!(z85::check_key(&public).is_ok() && z85::check_key(&secret).is_ok());
        assert_ne!(key_pair().unwrap().0, public);
    }

    #[test]
    fn a_server_key_is_one_argument_even_when_it_begins_with_a_dash() {
        let material = Material::write(&Setup::ok(Mechanism::Curve)).unwrap();
        let key = material.connector.iter().find_map(|a| a.strip_prefix("--curve-server-key="));
        assert_eq!(key.map(str::len), Some(40), "{:?}", material.connector);
    }

    #[test]
    fn secrets_stay_off_the_command_line() {
        let keys = keys().unwrap();
        for setup in [
            Setup { twist: Twist::WrongPassword, ..Setup::ok(Mechanism::Plain) },
            Setup { twist: Twist::UnlistedClient, ..Setup::ok(Mechanism::Curve) },
        ] {
            let material = Material::write(&setup).unwrap();
            let flags = [material.binder.join(" "), material.connector.join(" ")].join(" ");
            for secret in [&keys.password, &keys.wrong_password, &keys.server.1, &keys.client.1] {
                assert!(!flags.contains(secret.as_str()), "{flags}");
            }
        }
    }
}
