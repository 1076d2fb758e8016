//! `zmqrs-peer`: the Rust peer on zmq.rs (crate `zeromq`, a pure-Rust ZMTP engine on tokio, no
//! libzmq), all eight roles of the peer contract (`docs/peer-contract.md`).

mod cases;
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

/// Plays one role; pub, sub, rep and req first settle their case (exit 4 for one they do not
/// play), before any socket exists. The benchmark roles ignore `--case`.
async fn play(run: &Run) -> Result<(), PeerError> {
    match run.role {
        Role::Pub => publisher::run(run, cases::choose(run)?).await,
        Role::Sub => subscriber::run(run, cases::choose(run)?).await,
        Role::Rep => replier::run(run, cases::choose(run)?).await,
        Role::Req => requester::run(run, cases::choose(run)?).await,
        Role::ThrPush => throughput::push(run).await,
        Role::ThrPull => throughput::pull(run).await,
        Role::LatReq => latency::request(run).await,
        Role::LatRep => latency::echo(run).await,
    }
}

/// The REQ/REP array in its wire form, `x[i] = rand() / 2147483648.0` as little-endian
/// float64, written straight into one buffer (no float64 copy beside it: the `large` case's
/// array is 64 MiB); `corrupt` adds 1.0 to that value (`--corrupt-index`).
fn array_bytes(seed: u32, len: u32, corrupt: Option<u32>) -> Vec<u8> {
    let mut hw = fakehw::Glibc::new(seed);
    let mut bytes = Vec::with_capacity(len as usize * envelope::array::F64_BYTES);
    for _ in 0..len {
        bytes.extend_from_slice(&hw.read_f64().to_le_bytes());
    }
    if let Some(index) = corrupt {
        let at = index as usize * envelope::array::F64_BYTES;
        if let Some(value) = envelope::array::value_at(&bytes, index as usize) {
            bytes[at..at + envelope::array::F64_BYTES]
                .copy_from_slice(&(value + 1.0).to_le_bytes());
        }
    }
    bytes
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_array_bytes_are_the_fakehw_values_with_the_corruption_applied() {
        let mut values = vec![0.0; 5];
        fakehw::Glibc::new(9).fill_f64(&mut values);
        assert_eq!(super::array_bytes(9, 5, None), envelope::encode_f64(&values));
        values[3] += 1.0;
        assert_eq!(super::array_bytes(9, 5, Some(3)), envelope::encode_f64(&values));
    }
}
