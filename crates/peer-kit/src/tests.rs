//! The entry point's pure parts: the new options and their ranges as a peer parses them, the
//! case check, `--info`'s case list.

use super::*;
use contract::options::{Invocation, Stop, parse};

const PUBSUB: &[Role] = &[Role::Pub, Role::Sub];
const REQREP: &[Role] = &[Role::Req, Role::Rep];

fn cases(role: Role) -> &'static [Case] {
    match role {
        Role::Pub | Role::Sub => &[Case::Fancyhw, Case::Multipart],
        Role::Req => &[Case::Array, Case::Hello],
        _ => &[],
    }
}

fn parsed(roles: &[Role], args: &[&str]) -> Result<Run, Stop> {
    let argv = std::iter::once("peer").chain(args.iter().copied());
    match parse(argv, roles)? {
        Invocation::Run(run) => Ok(*run),
        Invocation::Info => panic!("a run, not --info"),
    }
}

fn run(roles: &[Role], args: &[&str]) -> Run {
    parsed(roles, args).unwrap_or_else(|stop| panic!("{args:?}: {stop:?}"))
}

fn usage(roles: &[Role], args: &[&str]) -> String {
    match parsed(roles, args) {
        Err(Stop::Usage(err)) => {
            assert_eq!(err.code, ExitCode::Usage);
            assert!(!err.reason.contains('\n'), "one line: {:?}", err.reason);
            err.reason
        }
        other => panic!("{args:?}: expected a usage error, got {other:?}"),
    }
}

#[test]
fn the_new_options_have_the_contracts_defaults() {
    let req = run(REQREP, &["req", "--endpoint", "ipc:///tmp/x"]);
    let o = &req.options;
    assert_eq!((o.pause_after, o.heartbeat_ivl_ms, o.silence_ms), (None, 100, 1500));
    assert!(!o.exit_with_stdin);
    assert_eq!(req.case(), Ok(Case::Array));
    let sub = run(PUBSUB, &["sub", "--endpoint", "ipc:///tmp/x"]);
    assert_eq!(sub.case(), Ok(Case::Fancyhw));
}

#[test]
fn the_new_integers_are_held_to_their_ranges() {
    for (option, min, max) in [
        ("--pause-after", "1", "2147483647"),
        ("--heartbeat-ivl-ms", "1", "60000"),
        ("--silence-ms", "0", "3600000"),
    ] {
        let with = |value: &str| parsed(REQREP, &["req", "--endpoint", "ipc://x", option, value]);
        assert!(with(min).is_ok() && with(max).is_ok(), "{option} {min}..={max}");
        let below = (min.parse::<i64>().unwrap() - 1).to_string();
        let above = (max.parse::<i64>().unwrap() + 1).to_string();
        for bad in [below.as_str(), above.as_str(), "1_0", "0x1", ""] {
            // The `=` form, so that clap takes `-1` as the value, not as a flag.
            let arg = format!("{option}={bad}");
            let reason = usage(REQREP, &["req", "--endpoint", "ipc://x", &arg]);
            assert!(reason.contains(option), "{option} {bad:?}: {reason}");
        }
    }
    let run = run(REQREP, &["req", "--endpoint", "ipc://x", "--heartbeat-ivl-ms=+250"]);
    assert_eq!(run.options.heartbeat_ivl_ms, 250);
}

#[test]
fn pause_after_with_exit_with_stdin_is_a_usage_error() {
    let reason =
        usage(REQREP, &["req", "--endpoint", "ipc://x", "--pause-after", "2", "--exit-with-stdin"]);
    assert!(reason.contains("--exit-with-stdin") || reason.contains("--pause-after"), "{reason}");
    assert!(
        run(PUBSUB, &["pub", "--endpoint", "ipc://x", "--exit-with-stdin"]).options.exit_with_stdin
    );
}

#[test]
fn a_case_the_role_does_not_play_is_exit_4_with_the_contracts_words() {
    let refused = |roles: &[Role], args: &[&str]| {
        let err = check_case(&run(roles, args), cases).unwrap_err();
        assert_eq!(err.code, ExitCode::Unsupported);
        err.reason
    };
    let array_to_sub = refused(PUBSUB, &["sub", "--endpoint", "ipc://x", "--case", "array"]);
    assert_eq!(array_to_sub, r#"case "array" is not implemented by this peer"#);
    let made_up = refused(PUBSUB, &["pub", "--endpoint", "ipc://x", "--case", "no-such-case"]);
    assert_eq!(made_up, r#"case "no-such-case" is not implemented by this peer"#);
    let played = run(PUBSUB, &["sub", "--endpoint", "ipc://x", "--case", "multipart"]);
    assert_eq!(check_case(&played, cases), Ok(()));
    let default = run(REQREP, &["req", "--endpoint", "ipc://x"]);
    assert_eq!(check_case(&default, cases), Ok(()));
}

#[test]
fn a_role_without_cases_ignores_the_option() {
    let rep = run(REQREP, &["rep", "--endpoint", "ipc://x", "--case", "whatever"]);
    assert_eq!(check_case(&rep, cases), Ok(()));
}

#[test]
fn info_lists_the_union_of_the_roles_cases_in_report_order() {
    assert_eq!(case_names(PUBSUB, cases), ["fancyhw", "multipart"]);
    assert_eq!(
        case_names(&[Role::Req, Role::Sub], cases),
        ["fancyhw", "multipart", "array", "hello"]
    );
    assert!(case_names(&[Role::ThrPush], cases).is_empty());
    let info = info(REQREP, cases);
    assert_eq!(info.cases, ["array", "hello"]);
    assert_eq!(info.lang, "rust");
}

#[test]
fn frames_lines_are_lowercase_hex_with_empty_frames_as_empty_strings() {
    let frames = [
        zmq::Message::from(&b"fancy"[..]),
        zmq::Message::new(),
        zmq::Message::from(&[0x01, 0xff][..]),
    ];
    let line = frames_line(7, &frames);
    assert_eq!(line.seq, 7);
    assert_eq!(line.frames, ["66616e6379", "", "01ff"]);
    assert_eq!(frames_line(0, &[zmq::Message::new()]).frames, [""]);
}
