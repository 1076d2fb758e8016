//! `rust-perf`: the Rust benchmark peer, the method of libzmq's perf tools in rust-zmq's idiom:
//! one reused `Message` for every receive, and `Message::with_size` (libzmq's own allocation,
//! no copy) for every send, as `remote_thr` does with `zmq_msg_init_size`.

mod latency;
mod throughput;

use contract::Role;

fn main() -> std::process::ExitCode {
    peer_kit::main(&[Role::ThrPush, Role::ThrPull, Role::LatReq, Role::LatRep], |run| {
        match run.role {
            Role::ThrPush => throughput::push(run),
            Role::ThrPull => throughput::pull(run),
            Role::LatReq => latency::request(run),
            // `peer_kit::main` only dispatches the roles listed above.
            _ => latency::echo(run),
        }
    })
}

/// A received message of the wrong size ends the benchmark with exit 5.
fn check_size(
    message: &zmq::Message,
    run: &contract::options::Run,
) -> Result<(), contract::PeerError> {
    if message.len() == run.options.size as usize {
        Ok(())
    } else {
        Err(contract::PeerError::malformed(format!(
            "message of {} bytes, expected {}",
            message.len(),
            run.options.size
        )))
    }
}
