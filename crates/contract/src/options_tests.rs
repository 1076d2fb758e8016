//! The contract's defaults and its usage errors, each a single line.

use super::*;

const ROLES: &[Role] = &[Role::Pub, Role::Sub];

fn run(args: &[&str]) -> Run {
    let argv = std::iter::once("peer").chain(args.iter().copied());
    match parse(argv, ROLES) {
        Ok(Invocation::Run(run)) => *run,
        other => panic!("expected a run, got {other:?}"),
    }
}

fn usage_error(args: &[&str]) -> String {
    let argv = std::iter::once("peer").chain(args.iter().copied());
    match parse(argv, ROLES) {
        Err(Stop::Usage(err)) => {
            assert_eq!(err.code, crate::ExitCode::Usage);
            assert!(!err.reason.contains('\n'), "one line: {:?}", err.reason);
            err.reason
        }
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn defaults_are_the_contracts() {
    let run = run(&["pub", "--endpoint", "tcp://127.0.0.1:*"]);
    assert_eq!(run.role, Role::Pub);
    assert!(run.bind);
    assert_eq!(run.transport, Transport::Tcp);
    let o = &run.options;
    assert_eq!((o.topic.as_str(), o.seed, o.count, o.packet_size), ("fancyhw_data", 12345, 10, 16));
    assert_eq!(
        (o.len, o.case, o.sync, o.interval_ms, o.timeout_ms),
        (131_072, Case::Array, false, 0, 10_000)
    );
    assert_eq!(run.subscription(), "fancyhw_data");
}

#[test]
fn sub_connects_by_default_and_either_side_can_be_flipped() {
    assert!(!run(&["sub", "--endpoint", "ipc:///tmp/x"]).bind);
    assert!(run(&["sub", "--endpoint", "ipc:///tmp/x", "--bind"]).bind);
    assert!(!run(&["pub", "--endpoint", "ipc:///tmp/x", "--connect"]).bind);
}

#[test]
fn equals_form_and_empty_subscription_are_accepted() {
    let run = run(&["sub", "--endpoint=tcp://127.0.0.1:5", "--subscribe", "", "--seed=7"]);
    assert_eq!((run.subscription(), run.options.seed), ("", 7));
}

#[test]
fn raw_bytes_are_decoded() {
    let run =
        run(&["pub", "--endpoint", "ipc:///x", "--raw-hex", "66 6f".replace(' ', "").as_str()]);
    assert_eq!(run.raw_message.as_deref(), Some(&b"fo"[..]));
}

#[test]
fn info_needs_nothing_else() {
    assert!(matches!(parse(["peer", "--info"], ROLES), Ok(Invocation::Info)));
}

#[test]
fn usage_errors_name_the_problem() {
    assert_eq!(usage_error(&[]), "a role is required (pub, sub), or --info");
    assert_eq!(usage_error(&["pub"]), "--endpoint is required");
    assert_eq!(
        usage_error(&["rep", "--endpoint", "tcp://127.0.0.1:*"]),
        "role rep is not played by this program (it plays pub, sub)"
    );
    assert!(usage_error(&["pub", "--endpoint", "udp://x"]).contains("neither tcp://"));
    assert!(usage_error(&["pub", "--endpoint", "ipc://x", "--topic", "a b"]).contains("space"));
    assert!(usage_error(&["pub", "--endpoint", "ipc://x", "--count", "0"]).contains("--count"));
    let seed = usage_error(&["pub", "--endpoint", "ipc://x", "--seed", "-1"]);
    assert!(seed.contains("-1"), "{seed}");
    assert!(usage_error(&["pub", "--endpoint", "ipc://x", "--bogus"]).contains("--bogus"));
    assert!(
        usage_error(&["pub", "--endpoint", "ipc://x", "--raw-hex", "abc"]).contains("odd length")
    );
    assert!(
        usage_error(&["pub", "--endpoint", "ipc://x", "--len", "4", "--corrupt-index", "4"])
            .contains("past the end")
    );
    assert!(
        usage_error(&["pub", "--endpoint", "ipc://x", "--bind", "--connect"]).contains("--connect")
    );
}

#[test]
fn help_is_not_an_error() {
    assert!(matches!(parse(["peer", "--help"], ROLES), Err(Stop::Help(_))));
}
