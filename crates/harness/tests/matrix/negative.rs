//! The cases that must fail, and fail well: malformed envelopes into every subscriber, a
//! corrupted or short array into every replier, an unexpected reply into every requester, and
//! the late subscriber of the unsynchronised classic programs.

use super::support;
use crate::{check, need_peer, unless_known_to_fail};
use contract::ExitCode;
use contract::output::{Reply, Verdict};
use harness::cell::ident;
use harness::cell::{Cell, Pattern};
use harness::process::{Exit, Finished};
use harness::transport::Transport;
use harness::{pubsub, reqrep};
use libtest_mimic::{Completion, Failed, Trial};
use serde::Deserialize;

/// The malformed envelopes, as data: `tests/data/malformed.json`.
#[derive(Debug, Clone, Deserialize)]
struct Malformed {
    name: String,
    hex: String,
    reason: String,
}

fn malformed_cases() -> Vec<Malformed> {
    let text = include_str!("../data/malformed.json");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("tests/data/malformed.json: {e}"))
}

/// Every negative test.
pub(crate) fn trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for case in malformed_cases() {
        for subscriber in support::ids() {
            let case = case.clone();
            trials.push(Trial::ignorable_test(
                format!("pubsub::malformed::{}::rust_to_{}", case.name, ident(subscriber)),
                move || malformed(&case, subscriber),
            ));
        }
    }
    for requester in support::ids() {
        for replier in support::ids() {
            trials.push(Trial::ignorable_test(
                format!("reqrep::corrupt_index::{}_to_{}", ident(requester), ident(replier)),
                move || corrupt_index(requester, replier),
            ));
        }
        trials.push(Trial::ignorable_test(
            format!("reqrep::unexpected_reply::{}_to_rust", ident(requester)),
            move || unexpected_reply(requester),
        ));
    }
    for replier in support::ids() {
        trials.push(Trial::ignorable_test(
            format!("reqrep::wrong_length::rust_to_{}", ident(replier)),
            move || wrong_length(replier),
        ));
    }
    for publisher in support::ids() {
        trials.push(Trial::ignorable_test(
            format!("pubsub::late_subscriber::{}_to_python", ident(publisher)),
            move || late_subscriber(publisher),
        ));
    }
    for case in harness::cases::CASES {
        for fault in case.faults {
            let pair = format!("{}_to_{}", ident(fault.pair.0), ident(fault.pair.1));
            trials.push(Trial::ignorable_test(
                format!("{}::fault::{}::{}::{pair}", case.pattern, case.name, fault.name),
                move || fault_makes_it_fail(case, fault),
            ));
        }
    }
    trials
}

/// A case run with its fault (one side changed) must fail, and say why in the words the
/// fault expects: every check of the catalog can fail.
fn fault_makes_it_fail(
    case: &'static harness::cases::CaseDef,
    fault: &'static harness::cases::Fault,
) -> Result<Completion, Failed> {
    need_peer!(fault.pair.0);
    need_peer!(fault.pair.1);
    if matches!(fault.effect, harness::cases::Effect::FreezeBinder { .. }) && !cfg!(unix) {
        return Ok(Completion::ignored_with("freezing a peer needs SIGSTOP (Unix only)"));
    }
    let (_, peers) = support::peers()?;
    // A case about the link between hosts is shown able to fail where it runs.
    let transport = match case.needs {
        harness::cases::Needs::Any => Transport::Tcp,
        harness::cases::Needs::Hosts => Transport::Hosts,
        harness::cases::Needs::Tunnel => Transport::Ssh,
    };
    let cell = Cell { transport, ..cell(case.pattern, fault.pair.0, fault.pair.1, case.name) };
    let plain = harness::cases::flow::run(&cell, peers, &harness::matrix::Params::default(), None);
    if plain.status == harness::cell::Status::Skip {
        return super::hosts::skipped(&plain.reason);
    }
    if plain.status != harness::cell::Status::Pass {
        return Err(format!(
            "without the fault {} should pass first: {} {}",
            cell.name(),
            plain.status.name(),
            plain.reason
        )
        .into());
    }
    let faulty =
        harness::cases::flow::run(&cell, peers, &harness::matrix::Params::default(), Some(fault));
    let details = harness::report::table::failure_details(&faulty);
    check!(
        faulty.status == harness::cell::Status::Fail,
        &[],
        "with fault {} the cell should fail, but it is {}: {}",
        fault.name,
        faulty.status.name(),
        details
    );
    check!(
        faulty.reason.contains(fault.reason),
        &[],
        "the failure should mention {:?}: {details}",
        fault.reason
    );
    Ok(Completion::Completed)
}

fn cell(pattern: Pattern, sender: &str, receiver: &str, case: &str) -> Cell {
    Cell {
        pattern,
        transport: Transport::Tcp,
        sender: sender.into(),
        receiver: receiver.into(),
        case: Some(case.into()),
    }
}

fn code(exit: ExitCode) -> Exit {
    Exit::Code(exit.code().into())
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

/// The Rust publisher sends the raw bytes once; the subscriber, subscribed to everything, must
/// exit 5 with exactly the contract's reason.
fn malformed(case: &Malformed, subscriber: &str) -> Result<Completion, Failed> {
    need_peer!("rust");
    need_peer!(subscriber);
    let (_, peers) = support::peers()?;
    let cell = cell(Pattern::Pubsub, "rust", subscriber, "fancyhw");
    unless_known_to_fail!(&cell);
    let params = pubsub::Params { count: 1, ..pubsub::Params::default() };
    let publisher_extra = strings(&["--sync", "--raw-hex", &case.hex]);
    let (run, _) =
        pubsub::run_with(&cell, peers, &params, &publisher_extra, &strings(&["--subscribe", ""]))
            .map_err(|o| Failed::from(o.reason))?;
    let sub = support::connector(&run, "subscriber")?;
    let runs: [&Finished; 2] = [&run.binder, sub];
    check!(sub.exit == code(ExitCode::Malformed), &runs, "subscriber should exit 5");
    check!(sub.reason() == Some(case.reason.as_str()), &runs, "reason should be {:?}", case.reason);
    check!(!sub.stderr.contains("Traceback"), &runs, "no traceback on stderr");
    Ok(Completion::Completed)
}

/// `--corrupt-index 7`: the replier answers FAILURE naming index 7 and exits 1; the requester
/// sees FAILURE and exits 1.
fn corrupt_index(requester: &str, replier: &str) -> Result<Completion, Failed> {
    need_peer!(requester);
    need_peer!(replier);
    let (_, peers) = support::peers()?;
    let cell = cell(Pattern::Reqrep, requester, replier, "array");
    unless_known_to_fail!(&cell);
    let params = reqrep::Params { count: 2, ..reqrep::Params::default() };
    let (run, _) =
        reqrep::run_with(&cell, peers, &params, &strings(&["--corrupt-index", "7"]), &[])
            .map_err(|o| Failed::from(o.reason))?;
    let req = support::connector(&run, "requester")?;
    let rep = &run.binder;
    let runs: [&Finished; 2] = [rep, req];
    check!(rep.exit == code(ExitCode::Mismatch), &runs, "replier should exit 1");
    check!(req.exit == code(ExitCode::Mismatch), &runs, "requester should exit 1");
    let verdicts: Vec<Verdict> =
        data::<Verdict>(&rep.stdout).map_err(|e| support::explain(&e, &runs))?;
    check!(verdicts.len() == 2, &runs, "two verdicts expected");
    for verdict in &verdicts {
        check!(
            verdict.verdict == "FAILURE" && verdict.index == Some(7),
            &runs,
            "FAILURE at index 7 expected"
        );
        let detail = verdict.detail.clone().unwrap_or_default();
        check!(
            detail.starts_with("value mismatch at index 7: "),
            &runs,
            "detail names index 7: {detail}"
        );
    }
    check!(rep.stderr.contains("index 7"), &runs, "replier's stderr names index 7");
    let replies: Vec<Reply> =
        data::<Reply>(&req.stdout).map_err(|e| support::explain(&e, &runs))?;
    check!(
        replies.iter().all(|r| r.reply.as_deref() == Some("FAILURE")) && replies.len() == 2,
        &runs,
        "requester should print two FAILURE replies"
    );
    Ok(Completion::Completed)
}

/// A requester sending 1000 values to a replier expecting 131072: a length mismatch, not a
/// crash and not a value mismatch.
fn wrong_length(replier: &str) -> Result<Completion, Failed> {
    need_peer!("rust");
    need_peer!(replier);
    let (_, peers) = support::peers()?;
    let cell = cell(Pattern::Reqrep, "rust", replier, "array");
    unless_known_to_fail!(&cell);
    let params = reqrep::Params { count: 1, ..reqrep::Params::default() };
    let (run, _) = reqrep::run_with(&cell, peers, &params, &strings(&["--len", "1000"]), &[])
        .map_err(|o| Failed::from(o.reason))?;
    let req = support::connector(&run, "requester")?;
    let rep = &run.binder;
    let runs: [&Finished; 2] = [rep, req];
    check!(rep.exit == code(ExitCode::Mismatch), &runs, "replier should exit 1");
    let verdicts: Vec<Verdict> =
        data::<Verdict>(&rep.stdout).map_err(|e| support::explain(&e, &runs))?;
    let Some(verdict) = verdicts.first() else {
        return Err(support::explain("no verdict line", &runs));
    };
    check!(
        verdict.verdict == "FAILURE"
            && verdict.expected_bytes == Some(131_072 * 8)
            && verdict.got_bytes == Some(8000),
        &runs,
        "a length mismatch of 1048576 vs 8000 bytes expected"
    );
    let detail = verdict.detail.clone().unwrap_or_default();
    check!(
        detail.starts_with("length mismatch"),
        &runs,
        "detail should say length mismatch: {detail}"
    );
    Ok(Completion::Completed)
}

/// A replier answering bytes that are neither SUCCESS nor FAILURE: the requester shows them in
/// hex and exits 1.
fn unexpected_reply(requester: &str) -> Result<Completion, Failed> {
    need_peer!(requester);
    need_peer!("rust");
    let (_, peers) = support::peers()?;
    let cell = cell(Pattern::Reqrep, requester, "rust", "hello");
    unless_known_to_fail!(&cell);
    let params = reqrep::Params { count: 1, ..reqrep::Params::default() };
    let (run, _) =
        reqrep::run_with(&cell, peers, &params, &[], &strings(&["--raw-reply-hex", "fffe00"]))
            .map_err(|o| Failed::from(o.reason))?;
    let req = support::connector(&run, "requester")?;
    let runs: [&Finished; 2] = [&run.binder, req];
    check!(req.exit == code(ExitCode::Mismatch), &runs, "requester should exit 1");
    let replies: Vec<Reply> =
        data::<Reply>(&req.stdout).map_err(|e| support::explain(&e, &runs))?;
    check!(
        replies.first().and_then(|r| r.reply_hex.as_deref()) == Some("fffe00"),
        &runs,
        "the reply should be shown as hex fffe00"
    );
    check!(
        req.reason().is_some_and(|r| r.contains("fffe00")),
        &runs,
        "the error line shows the bytes"
    );
    Ok(Completion::Completed)
}

/// Without `--sync`, a subscriber started after the publisher has sent three envelopes misses
/// them, and what it does get is a contiguous run of the expected sequence.
fn late_subscriber(publisher: &str) -> Result<Completion, Failed> {
    let publisher_peer = need_peer!(publisher);
    let subscriber = need_peer!("python");
    let late =
        pubsub::late_subscriber(publisher_peer, subscriber, 10, 3, 5).map_err(Failed::from)?;
    let runs: Vec<&Finished> = late.runs.iter().collect();
    check!(late.received == 5, &runs, "five envelopes expected, got {}", late.received);
    check!(
        late.first_received as u64 >= late.sent_before_subscriber,
        &runs,
        "the subscriber cannot have received envelope {} (sent before it started; {} were)",
        late.first_received,
        late.sent_before_subscriber
    );
    Ok(Completion::Completed)
}

/// A peer's data lines (events set aside), parsed.
fn data<T: serde::de::DeserializeOwned>(stdout: &[String]) -> Result<Vec<T>, String> {
    harness::compare::data_lines(stdout)
        .iter()
        .map(|line| serde_json::from_str(line).map_err(|e| format!("bad line {line:?}: {e}")))
        .collect()
}
