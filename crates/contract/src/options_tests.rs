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
        (o.len, run.case(), o.sync, o.interval_ms, o.timeout_ms),
        (131_072, Ok(Case::Fancyhw), false, 0, 10_000)
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
fn every_integer_is_held_to_the_contracts_range() {
    let base = ["pub", "--endpoint", "ipc://x"];
    let accepts = |option: &str, value: &str| {
        let argv = std::iter::once("peer").chain(base).chain([option, value]);
        matches!(parse(argv, ROLES), Ok(Invocation::Run(_)))
    };
    for (option, min, max) in [
        ("--count", "1", "2147483647"),
        ("--packet-size", "1", "1048576"),
        ("--len", "1", "33554432"),
        ("--interval-ms", "0", "3600000"),
        ("--timeout-ms", "1", "3600000"),
        ("--size", "1", "268435456"),
        ("--hwm", "0", "2147483647"),
        ("--seed", "0", "4294967295"),
    ] {
        assert!(accepts(option, min) && accepts(option, max), "{option} {min}..={max}");
        let below = (min.parse::<i64>().unwrap() - 1).to_string();
        let above = (max.parse::<i64>().unwrap() + 1).to_string();
        for bad in [below.as_str(), above.as_str(), "1_0", " 1", "0x10", ""] {
            assert!(!accepts(option, bad), "{option} {bad:?} must be refused");
        }
    }
    assert!(accepts("--count", "+5"), "a leading + is a plain integer");
    let equals = |arg: &str| {
        let argv = std::iter::once("peer").chain(base).chain([arg]);
        matches!(parse(argv, ROLES), Ok(Invocation::Run(_)))
    };
    assert!(equals("--seed=-0") && equals("--interval-ms=-00"), "-0 is 0");
    let long = "t".repeat(256);
    assert!(usage_error(&["pub", "--endpoint", "ipc://x", "--topic", &long]).contains("255"));
    assert!(accepts("--subscribe", &"t".repeat(255)));
}

#[test]
fn an_unknown_case_is_unsupported_not_a_usage_error() {
    let run = run(&["pub", "--endpoint", "ipc://x", "--case", "multipart\"x"]);
    let err = run.case().unwrap_err();
    assert_eq!(err.code, crate::ExitCode::Unsupported);
    assert_eq!(err.reason, r#"case "multipart\"x" is not implemented by this peer"#);
}

#[test]
fn req_and_rep_default_to_array_and_the_stdin_options_exclude_each_other() {
    let argv = ["peer", "req", "--endpoint", "ipc://x"];
    let Ok(Invocation::Run(run)) = parse(argv, &[Role::Req]) else { panic!("a run") };
    assert_eq!(run.case(), Ok(Case::Array));
    let both = ["peer", "req", "--endpoint", "ipc://x", "--pause-after", "2", "--exit-with-stdin"];
    assert!(matches!(parse(both, &[Role::Req]), Err(Stop::Usage(_))));
}

#[test]
fn help_is_not_an_error() {
    assert!(matches!(parse(["peer", "--help"], ROLES), Err(Stop::Help(_))));
}

#[test]
fn security_material_is_read_from_files_and_bad_keys_are_usage_errors() {
    let dir = std::env::temp_dir().join(format!("contract-security-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = crate::z85::encode(&[7u8; 32]);
    let pair = dir.join("pair");
    std::fs::write(&pair, format!("{key}\n{key}\n")).unwrap();
    let pair = pair.to_str().unwrap();
    let sub = ["sub", "--endpoint", "tcp://127.0.0.1:5", "--security", "curve"];
    let run = run(&[&sub[..], &["--curve-keys-file", pair, "--curve-server-key", &key]].concat());
    assert_eq!(run.security.mechanism(), crate::Mechanism::Curve);
    assert!(!run.security.is_server());
    let short = &key[..39];
    let err = usage_error(
        &[&sub[..], &["--curve-keys-file", pair, "--curve-server-key", short]].concat(),
    );
    assert_eq!(err, "--curve-server-key: a Z85 key is 40 characters, not 39");
    let err = usage_error(&[&sub[..], &["--curve-keys-file", pair]].concat());
    assert!(err.contains("needs --curve-server-key on the connector"), "{err}");
    let err = usage_error(&["pub", "--endpoint", "tcp://127.0.0.1:*", "--security", "plain"]);
    assert!(err.contains("needs --zap-allow-file on the binder"), "{err}");
    let err = usage_error(&["pub", "--endpoint", "tcp://127.0.0.1:*", "--curve-server-key", &key]);
    assert_eq!(err, "--curve-server-key does not apply to --security null");
    std::fs::remove_dir_all(&dir).unwrap();
}
