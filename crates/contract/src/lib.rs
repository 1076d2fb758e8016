//! The peer contract (`docs/peer-contract.md`) written once in Rust.
//!
//! The Rust peers parse their command line, report their outcome and print their output
//! through this crate; the harness reads peers' output and exit statuses through the same
//! types, so the two sides cannot drift apart. The C (`c/contract.h`) and Python
//! (`python/zmq_interop/contract.py`) mirrors follow the same document.
//!
//! Architecture invariant: this crate knows nothing of zmq and does no IO beyond a peer's own
//! output lines, its stdin rules and reading the security material files it is given; the harness depends on it without linking any binding.

pub mod error;
pub mod exit;
pub mod hex;
pub mod options;
pub mod output;
pub mod security;
pub mod stdin;
pub mod z85;

pub use error::PeerError;
pub use exit::ExitCode;
pub use options::{Case, Cli, PeerOptions, Role, Transport};
pub use security::{Mechanism, Security};
