//! The `interop` harness as a library: the binary (`main.rs`) and the `cargo test` matrix
//! (`tests/matrix.rs`) are two front ends over the same modules.
//!
//! Architecture invariant: the harness never links a peer's code. It builds peers, starts them
//! as processes through [`process::spawn`] and knows them only through the peer contract
//! (`contract`) and the expected data (`fakehw`).

pub mod bench;
pub mod bootstrap;
pub mod cases;
pub mod cell;
pub mod compare;
pub mod endpoint;
pub mod hosts;
pub mod known_issues;
pub mod matrix;
pub mod merge;
pub mod peer;
pub mod process;
pub mod pubsub;
pub mod registry;
pub mod report;
pub mod reqrep;
pub mod security;
pub mod settings;
pub mod transport;
pub mod versions;
pub mod workspace;
pub mod zmtp;
