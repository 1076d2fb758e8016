//! `rust-pub`: the Rust PUB/SUB peer, roles `pub` and `sub` of the peer contract.

mod publisher;
mod subscriber;

use contract::Role;

fn main() -> std::process::ExitCode {
    peer_kit::main(&[Role::Pub, Role::Sub], |run| match run.role {
        Role::Pub => publisher::run(run),
        // `peer_kit::main` only dispatches the roles listed above.
        _ => subscriber::run(run),
    })
}
