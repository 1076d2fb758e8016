//! `rust-pub`: the Rust PUB/SUB peer, roles `pub` and `sub` of the peer contract.

mod publisher;
mod subscriber;

use contract::{Case, Role};

/// The cases both roles play (the contract's PUB/SUB cases, all of them).
const CASES: &[Case] =
    &[Case::Fancyhw, Case::Burst, Case::Multipart, Case::Empty, Case::Topics, Case::Reconnect];

fn cases(role: Role) -> &'static [Case] {
    match role {
        Role::Pub | Role::Sub => CASES,
        _ => &[],
    }
}

/// Case `topics`: the two subscriptions the subscriber makes, the second a prefix of the
/// first topic and of the second.
const TOPIC_DATA: &str = "fancyhw_data";
const TOPIC_PREFIX: &str = "fancy";

/// Case `topics`: the topic of message `i` (`fancyhw_data`, `fancyhw_status`, `other_data`
/// for `i` mod 3 = 0, 1, 2).
fn topic_of(i: u64) -> &'static str {
    match i % 3 {
        0 => TOPIC_DATA,
        1 => "fancyhw_status",
        _ => "other_data",
    }
}

fn main() -> std::process::ExitCode {
    peer_kit::main_with_cases(&[Role::Pub, Role::Sub], cases, |run| match run.role {
        Role::Pub => publisher::run(run),
        // `peer_kit::main` only dispatches the roles listed above.
        _ => subscriber::run(run),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_roles_play_every_pubsub_case_and_no_reqrep_case() {
        let names: Vec<_> = peer_kit::case_names(&[Role::Pub, Role::Sub], cases);
        assert_eq!(names, ["fancyhw", "burst", "multipart", "empty", "topics", "reconnect"]);
        for case in [Case::Array, Case::Hello, Case::Large, Case::Heartbeat] {
            assert!(!cases(Role::Sub).contains(&case) && !cases(Role::Pub).contains(&case));
        }
    }

    #[test]
    fn topics_cycle_data_status_other() {
        let topics: Vec<_> = (0..6).map(topic_of).collect();
        assert_eq!(
            topics,
            [
                "fancyhw_data",
                "fancyhw_status",
                "other_data",
                "fancyhw_data",
                "fancyhw_status",
                "other_data"
            ]
        );
        assert!(topic_of(1).starts_with(TOPIC_PREFIX) && !topic_of(2).starts_with(TOPIC_PREFIX));
    }
}
