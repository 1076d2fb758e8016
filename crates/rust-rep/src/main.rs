//! `rust-rep`: the Rust REQ/REP peer, roles `rep` and `req` of the peer contract.

mod replier;
mod requester;

use contract::{Case, Role};

/// The cases both roles play (the contract's REQ/REP cases, all of them).
const CASES: &[Case] = &[
    Case::Array,
    Case::Hello,
    Case::Large,
    Case::Multipart,
    Case::Empty,
    Case::Reconnect,
    Case::Heartbeat,
];

fn cases(role: Role) -> &'static [Case] {
    match role {
        Role::Rep | Role::Req => CASES,
        _ => &[],
    }
}

/// The expected array for a seed in its wire form (`x[i] = rand() / 2147483648.0`, each
/// value little-endian), built straight into bytes: in case `large` that is 64 MiB, with no
/// second copy as `f64` values.
fn expected_array(seed: u32, len: u32) -> Vec<u8> {
    let mut hw = fakehw::Glibc::new(seed);
    let mut bytes = Vec::with_capacity(len as usize * envelope::array::F64_BYTES);
    for _ in 0..len {
        bytes.extend_from_slice(&hw.read_f64().to_le_bytes());
    }
    bytes
}

const SUCCESS: &[u8] = b"SUCCESS";
const FAILURE: &[u8] = b"FAILURE";
const HELLO: &[u8] = b"hello";
const WORLD: &[u8] = b"world";
/// Case `multipart`: the first frame of every request.
const MULTIPART: &[u8] = b"multipart";

fn main() -> std::process::ExitCode {
    peer_kit::main_with_cases(&[Role::Rep, Role::Req], cases, |run| match run.role {
        Role::Rep => replier::run(run),
        // `peer_kit::main` only dispatches the roles listed above.
        _ => requester::run(run),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_roles_play_every_reqrep_case_and_no_pubsub_case() {
        let names = peer_kit::case_names(&[Role::Rep, Role::Req], cases);
        assert_eq!(
            names,
            ["multipart", "empty", "reconnect", "array", "hello", "large", "heartbeat"]
        );
        for case in [Case::Fancyhw, Case::Burst, Case::Topics] {
            assert!(!cases(Role::Rep).contains(&case) && !cases(Role::Req).contains(&case));
        }
    }

    #[test]
    fn the_expected_array_is_the_encoded_fakehw_sequence() {
        let mut values = vec![0.0; 1000];
        fakehw::Glibc::new(7).fill_f64(&mut values);
        assert_eq!(expected_array(7, 1000), envelope::encode_f64(&values));
        assert_eq!(expected_array(12345, 131_072).len(), 1_048_576);
    }
}
