//! Which case each role plays (`docs/peer-contract.md`, "Cases"), checked before any socket
//! exists: a case the role does not play is the contract's exit 4, and so is the one case
//! zmq.rs cannot play at all (a heartbeat requester: the engine has no heartbeats).

use contract::options::Run;
use contract::{Case, PeerError, Role};

/// The cases pub and sub play.
pub(crate) const PUBSUB: [Case; 6] =
    [Case::Fancyhw, Case::Burst, Case::Multipart, Case::Empty, Case::Topics, Case::Reconnect];

/// The cases req and rep play (req's `heartbeat` is refused by [`choose`], see
/// [`NO_HEARTBEATS`]).
pub(crate) const REQREP: [Case; 7] = [
    Case::Array,
    Case::Hello,
    Case::Large,
    Case::Multipart,
    Case::Empty,
    Case::Reconnect,
    Case::Heartbeat,
];

/// Why req cannot play `heartbeat` on zmq.rs (the `error:` line of its exit 4).
pub(crate) fn no_heartbeats() -> String {
    format!(
        "zmq.rs {} has no heartbeats: no ZMQ_HEARTBEAT_IVL/ZMQ_HEARTBEAT_TIMEOUT option (its \
         ZMTP codec knows the READY command only, not PING or PONG) and no ZMQ_RECONNECT_IVL",
        crate::kit::ZEROMQ_VERSION
    )
}

/// The cases `role` plays; the benchmark roles play none (they ignore `--case`).
#[must_use]
pub(crate) fn played_by(role: Role) -> &'static [Case] {
    match role {
        Role::Pub | Role::Sub => &PUBSUB,
        Role::Req | Role::Rep => &REQREP,
        Role::ThrPush | Role::ThrPull | Role::LatReq | Role::LatRep => &[],
    }
}

/// Every case some role of this peer plays, in the contract's order (`--info`'s `cases`).
#[must_use]
pub(crate) fn all_played() -> Vec<String> {
    Case::ALL
        .into_iter()
        .filter(|case| Role::ALL.iter().any(|role| played_by(*role).contains(case)))
        .map(|case| case.name().to_owned())
        .collect()
}

/// The case this run plays.
///
/// # Errors
/// Exit 4 for a case name the peer does not know, a case this role does not play, and req's
/// `heartbeat`, which the engine cannot play.
pub(crate) fn choose(run: &Run) -> Result<Case, PeerError> {
    let case = run.case()?;
    if !played_by(run.role).contains(&case) {
        return Err(case.unsupported_here());
    }
    if run.role == Role::Req && case == Case::Heartbeat {
        return Err(PeerError::unsupported(no_heartbeats()));
    }
    Ok(case)
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::ExitCode;
    use contract::options::{Invocation, parse};

    fn run_of(args: &[&str]) -> Run {
        let args = [&["zmqrs-peer"], args, &["--endpoint", "tcp://127.0.0.1:*"]].concat();
        match parse(args, &Role::ALL) {
            Ok(Invocation::Run(run)) => *run,
            other => panic!("not a run: {other:?}"),
        }
    }

    fn refusal(args: &[&str]) -> PeerError {
        choose(&run_of(args)).expect_err("refused")
    }

    #[test]
    fn each_role_plays_its_cases_and_defaults() {
        for (role, cases) in [
            ("pub", &["fancyhw", "burst", "multipart", "empty", "topics", "reconnect"][..]),
            ("sub", &["fancyhw", "burst", "multipart", "empty", "topics", "reconnect"]),
            ("rep", &["array", "hello", "large", "multipart", "empty", "reconnect", "heartbeat"]),
            ("req", &["array", "hello", "large", "multipart", "empty", "reconnect"]),
        ] {
            for name in cases {
                let case = choose(&run_of(&[role, "--case", name])).expect("played");
                assert_eq!(case.name(), *name, "{role}");
            }
        }
        assert_eq!(choose(&run_of(&["pub"])).unwrap(), Case::Fancyhw);
        assert_eq!(choose(&run_of(&["sub"])).unwrap(), Case::Fancyhw);
        assert_eq!(choose(&run_of(&["req"])).unwrap(), Case::Array);
        assert_eq!(choose(&run_of(&["rep"])).unwrap(), Case::Array);
    }

    #[test]
    fn a_case_of_the_other_pattern_or_an_unknown_one_is_exit_4_with_the_usual_line() {
        for (role, name) in [
            ("sub", "array"),
            ("pub", "hello"),
            ("pub", "large"),
            ("sub", "heartbeat"),
            ("req", "topics"),
            ("rep", "fancyhw"),
            ("rep", "burst"),
            ("req", "nosuch"),
        ] {
            let refused = refusal(&[role, "--case", name]);
            assert_eq!(refused.code, ExitCode::Unsupported, "{role} {name}");
            assert_eq!(refused.reason, format!("case \"{name}\" is not implemented by this peer"));
        }
    }

    #[test]
    fn a_heartbeat_requester_is_exit_4_naming_what_the_engine_lacks() {
        let refused = refusal(&["req", "--case", "heartbeat"]);
        assert_eq!(refused.code, ExitCode::Unsupported);
        assert!(refused.reason.contains("ZMQ_HEARTBEAT_IVL"), "{}", refused.reason);
        assert!(!refused.reason.contains('\n'));
    }

    #[test]
    fn info_lists_every_case_some_role_plays() {
        let names: Vec<&str> = Case::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(all_played(), names);
        for role in [Role::ThrPush, Role::ThrPull, Role::LatReq, Role::LatRep] {
            assert!(played_by(role).is_empty());
        }
    }
}
