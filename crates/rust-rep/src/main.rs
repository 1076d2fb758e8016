//! `rust-rep`: the Rust REQ/REP peer, roles `rep` and `req` of the peer contract.

mod replier;
mod requester;

use contract::Role;

/// The expected array for a seed: `x[i] = rand() / 2147483648.0`.
fn expected_array(seed: u32, len: u32) -> Vec<f64> {
    let mut values = vec![0.0; len as usize];
    fakehw::Glibc::new(seed).fill_f64(&mut values);
    values
}

const SUCCESS: &[u8] = b"SUCCESS";
const FAILURE: &[u8] = b"FAILURE";
const HELLO: &[u8] = b"hello";
const WORLD: &[u8] = b"world";

fn main() -> std::process::ExitCode {
    peer_kit::main(&[Role::Rep, Role::Req], |run| match run.role {
        Role::Rep => replier::run(run),
        // `peer_kit::main` only dispatches the roles listed above.
        _ => requester::run(run),
    })
}
