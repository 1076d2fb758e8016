//! `zmqrs-peer`: the Rust peer on zmq.rs (crate `zeromq`, a pure-Rust ZMTP engine on tokio, no
//! libzmq), all eight roles of the peer contract (`docs/peer-contract.md`).

mod kit;
mod latency;
mod publisher;
mod replier;
mod requester;
mod subscriber;
mod throughput;

use contract::options::Run;
use contract::{PeerError, Role};

const SUCCESS: &[u8] = b"SUCCESS";
const FAILURE: &[u8] = b"FAILURE";
const HELLO: &[u8] = b"hello";
const WORLD: &[u8] = b"world";

fn main() -> std::process::ExitCode {
    kit::main(&Role::ALL, play)
}

/// Plays one role.
async fn play(run: &Run) -> Result<(), PeerError> {
    match run.role {
        Role::Pub => publisher::run(run).await,
        Role::Sub => subscriber::run(run).await,
        Role::Rep => replier::run(run).await,
        Role::Req => requester::run(run).await,
        Role::ThrPush => throughput::push(run).await,
        Role::ThrPull => throughput::pull(run).await,
        Role::LatReq => latency::request(run).await,
        Role::LatRep => latency::echo(run).await,
    }
}

/// The expected array for a seed: `x[i] = rand() / 2147483648.0`.
fn expected_array(seed: u32, len: u32) -> Vec<f64> {
    let mut values = vec![0.0; len as usize];
    fakehw::Glibc::new(seed).fill_f64(&mut values);
    values
}

/// A benchmark message of the wrong size ends the run with exit 5.
fn check_size(message: &zeromq::ZmqMessage, run: &Run) -> Result<(), PeerError> {
    let got = kit::body(message).len();
    if got == run.options.size as usize {
        Ok(())
    } else {
        Err(PeerError::malformed(format!("message of {got} bytes, expected {}", run.options.size)))
    }
}
