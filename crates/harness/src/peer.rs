//! A peer the harness can run: how to start each role, and what it said of itself (`--info`).
//!
//! The harness knows peers only through this: a program (plus fixed leading arguments and
//! environment) per role, and the contract's options appended. It never links a peer's code.

use crate::process::{self, Spec};
use crate::settings;
use crate::transport::Transport;
use contract::Role;
use contract::output::Info;
use std::ffi::OsString;
use std::path::PathBuf;

/// How to start a peer's programs.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The program for each role it plays.
    pub programs: Vec<(Role, PathBuf)>,
    /// Arguments before the role (`python/peer.py` for Python).
    pub prefix: Vec<OsString>,
    /// Environment for every run.
    pub env: Vec<(OsString, OsString)>,
    /// Inherited environment variables removed for every run.
    pub env_removed: Vec<OsString>,
    /// Working directory.
    pub cwd: PathBuf,
}

impl Launch {
    /// Each role's program, run from `cwd`, with no extra arguments or environment.
    pub fn new(programs: Vec<(Role, PathBuf)>, cwd: &std::path::Path) -> Self {
        Self {
            programs,
            prefix: Vec::new(),
            env: Vec::new(),
            env_removed: Vec::new(),
            cwd: cwd.to_path_buf(),
        }
    }

    fn base(&self, label: &str, program: &PathBuf) -> Spec {
        let spec = Spec::new(label, program).args(&self.prefix).cwd(&self.cwd);
        let spec = self.env_removed.iter().fold(spec, |spec, k| spec.env_remove(k));
        self.env.iter().fold(spec, |spec, (k, v)| spec.env(k, v))
    }

    fn program(&self, role: Role) -> Option<&PathBuf> {
        self.programs.iter().find(|(r, _)| *r == role).map(|(_, p)| p)
    }

    /// Every distinct program, in role order.
    fn distinct_programs(&self) -> Vec<&PathBuf> {
        let mut seen: Vec<&PathBuf> = Vec::new();
        for (_, program) in &self.programs {
            if !seen.contains(&program) {
                seen.push(program);
            }
        }
        seen
    }
}

/// A built, working peer.
#[derive(Debug, Clone)]
pub struct Peer {
    /// Its id in cell names and on the command line: `rust`, `c`, `python`.
    pub id: String,
    /// How to start it.
    pub launch: Launch,
    /// What it reports of itself.
    pub info: Info,
    /// Where its libzmq came from, in words.
    pub libzmq_origin: String,
    /// How it was built, in words (compiler, interpreter).
    pub built_with: String,
    /// The ZMTP revision it greeted with, once measured ([`crate::zmtp::measure`]), or why it
    /// could not be.
    pub zmtp: Option<Result<crate::zmtp::Revision, String>>,
}

impl Peer {
    /// Asks the peer's programs for `--info` and assembles the peer.
    ///
    /// # Errors
    /// A reason when a program does not start or does not answer with the contract's object.
    pub fn probe(
        id: &str,
        launch: Launch,
        libzmq_origin: String,
        built_with: String,
    ) -> Result<Self, String> {
        let mut merged: Option<Info> = None;
        for program in launch.distinct_programs() {
            let spec = launch.base("--info", program).arg("--info");
            let done = process::run(&spec, settings::scaled(std::time::Duration::from_secs(60)))
                .map_err(|e| e.to_string())?;
            let info: Info = done
                .stdout
                .first()
                .filter(|_| done.succeeded())
                .and_then(|line| serde_json::from_str(line).ok())
                .ok_or_else(|| {
                    format!(
                        "`{}` did not answer with an info object ({}): {}",
                        done.command_line,
                        done.exit,
                        done.reason().unwrap_or("no message")
                    )
                })?;
            merged = Some(match merged {
                None => info,
                Some(mut all) => {
                    all.roles.extend(info.roles);
                    all
                }
            });
        }
        let info = merged.ok_or_else(|| format!("peer {id} has no programs"))?;
        Ok(Self { id: id.to_owned(), launch, info, libzmq_origin, built_with, zmtp: None })
    }

    /// The command that plays `role` with `options` (the contract's flags).
    ///
    /// # Errors
    /// When the peer has no program for the role.
    pub fn command<I, S>(&self, role: Role, label: &str, options: I) -> Result<Spec, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let program = self
            .launch
            .program(role)
            .ok_or_else(|| format!("peer {} does not play role {role}", self.id))?;
        Ok(self.launch.base(label, program).arg(role.name()).args(options))
    }

    /// Whether the peer plays `role`.
    #[must_use]
    pub fn plays(&self, role: Role) -> bool {
        self.launch.program(role).is_some() && self.info.roles.iter().any(|r| r == role.name())
    }

    /// `Ok` when the peer supports `transport`, else its reason.
    ///
    /// # Errors
    /// The peer's own reason when it gives one.
    pub fn supports(&self, transport: Transport) -> Result<(), String> {
        let wire = transport.wire();
        if self.info.transports.iter().any(|t| t == wire.name()) {
            return Ok(());
        }
        Err(self.info.unsupported.get(wire.name()).cloned().unwrap_or_else(|| {
            format!("{} {} does not support {wire}", self.info.binding, self.info.impl_version)
        }))
    }

    /// One line for reports: `rust-zmq 0.10.0, libzmq 4.3.4`, `zmq.rs 0.7.0`.
    #[must_use]
    pub fn summary(&self) -> String {
        self.info.summary()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn peer(transports: &[&str], unsupported: &[(&str, &str)]) -> Peer {
        Peer {
            id: "python".into(),
            launch: Launch {
                programs: vec![(Role::Sub, "python".into())],
                prefix: vec![],
                env: vec![],
                env_removed: vec![],
                cwd: ".".into(),
            },
            info: Info {
                lang: "python".into(),
                binding: "pyzmq".into(),
                impl_version: "25.1.2".into(),
                engine: "libzmq".into(),
                engine_version: "4.3.4".into(),
                libzmq: Some("4.3.4".into()),
                transports: transports.iter().map(|t| (*t).to_owned()).collect(),
                roles: vec!["sub".into()],
                workarounds: Vec::new(),
                cases: Vec::new(),
                mechanisms: Vec::new(),
                unsupported: unsupported
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect::<BTreeMap<_, _>>(),
                extra: BTreeMap::new(),
            },
            libzmq_origin: String::new(),
            built_with: String::new(),
            zmtp: None,
        }
    }

    /// The decision Windows takes for pyzmq wheels without AF_UNIX: the cell is skipped with the
    /// peer's own reason, or a generic one when the peer gives none.
    #[test]
    fn a_missing_transport_is_refused_with_the_peers_reason() {
        let without_ipc = peer(
            &["tcp"],
            &[("ipc", "libzmq 4.3.4 (bundled with pyzmq 25.1.2) was built without ipc")],
        );
        assert_eq!(without_ipc.supports(Transport::Tcp), Ok(()));
        assert_eq!(
            without_ipc.supports(Transport::Ipc),
            Err("libzmq 4.3.4 (bundled with pyzmq 25.1.2) was built without ipc".into())
        );
        let silent = peer(&["tcp"], &[]);
        assert_eq!(
            silent.supports(Transport::Ipc),
            Err("pyzmq 25.1.2 does not support ipc".into())
        );
    }

    #[test]
    fn a_role_is_played_only_with_a_program_and_a_listed_role() {
        let subscriber = peer(&["tcp"], &[]);
        assert!(subscriber.plays(Role::Sub));
        assert!(!subscriber.plays(Role::Pub));
        assert!(subscriber.command(Role::Pub, "publisher", ["--count", "1"]).is_err());
        let spec = subscriber.command(Role::Sub, "subscriber", ["--count", "1"]).unwrap();
        assert_eq!(spec.arguments(), ["sub", "--count", "1"]);
    }
}
