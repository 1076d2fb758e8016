//! The replier: checks each request against the array it expects and answers SUCCESS/FAILURE
//! (or `world` to `hello`).

use crate::{FAILURE, HELLO, SUCCESS, WORLD};
use contract::options::Run;
use contract::output::Verdict;
use contract::{Case, ExitCode, PeerError};
use envelope::array::{ArrayVerdict, ExpectedArray};

/// Answers `--count` requests, then exits 0, or 1 if any verdict was FAILURE.
pub(crate) fn run(run: &Run) -> Result<(), PeerError> {
    let options = &run.options;
    let case = run.case()?;
    let expected = match case {
        Case::Array => Some(ExpectedArray::new(&crate::expected_array(options.seed, options.len))),
        Case::Hello => None,
        other => return Err(other.unsupported_here()),
    };
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::REP, run, |_| Ok(()))?;
    let mut failures = 0u64;
    for seq in 0..options.count {
        let request =
            match peer_kit::recv(&socket, run, &format!("request {seq} of {}", options.count)) {
                Ok(request) => request,
                Err(malformed) if malformed.code == ExitCode::Malformed => {
                    // Answer first, so the requester is not left waiting for a reply.
                    peer_kit::send(&socket, run, FAILURE, &format!("the reply to request {seq}"))?;
                    peer_kit::emit(&Verdict::failure(seq, &malformed.reason))?;
                    return Err(malformed);
                }
                Err(other) => return Err(other),
            };
        let verdict = judge(seq, &request, expected.as_ref());
        let success = verdict.verdict.as_bytes() == SUCCESS;
        let answer = match (&run.raw_reply, case, success) {
            (Some(raw), _, _) => raw.as_slice(),
            (None, Case::Hello, true) => WORLD,
            (None, Case::Array, true) => SUCCESS,
            (None, _, false) => FAILURE,
            (None, _, true) => SUCCESS,
        };
        peer_kit::send(&socket, run, answer, &format!("the reply to request {seq}"))?;
        if let Some(detail) = &verdict.detail {
            eprintln!("request {seq}: {detail}");
            failures += 1;
        }
        peer_kit::emit(&verdict)?;
    }
    if failures > 0 {
        return Err(PeerError::mismatch(format!(
            "{failures} of {} requests did not match",
            options.count
        )));
    }
    Ok(())
}

/// The verdict line for one request.
fn judge(seq: u64, request: &[u8], expected: Option<&ExpectedArray>) -> Verdict {
    let mut verdict = Verdict::success(seq);
    let failure = match expected {
        None if request == HELLO => None,
        None => Some(format!(
            "expected \"hello\", got {} bytes: {}",
            request.len(),
            contract::hex::encode(&request[..request.len().min(32)])
        )),
        Some(array) => match array.check(request) {
            ArrayVerdict::Match => None,
            mismatch => {
                match mismatch {
                    ArrayVerdict::ValueMismatch { index, .. } => verdict.index = Some(index as u64),
                    ArrayVerdict::LengthMismatch { expected_bytes, got_bytes } => {
                        verdict.expected_bytes = Some(expected_bytes as u64);
                        verdict.got_bytes = Some(got_bytes as u64);
                    }
                    ArrayVerdict::Match => {}
                }
                Some(mismatch.to_string())
            }
        },
    };
    if let Some(detail) = failure {
        verdict.verdict = "FAILURE".into();
        verdict.detail = Some(detail);
    }
    verdict
}
