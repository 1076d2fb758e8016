//! The replier: checks each request against the array it expects and answers SUCCESS/FAILURE
//! (or `world` to `hello`).

use crate::kit::{self, Peer};
use crate::{FAILURE, HELLO, SUCCESS, WORLD};
use contract::options::Run;
use contract::output::Verdict;
use contract::{Case, ExitCode, PeerError};
use envelope::array::{ArrayVerdict, ExpectedArray};
use zeromq::{RepSocket, Socket, ZmqMessage};

/// Answers `--count` requests, then exits 0, or 1 if any verdict was FAILURE.
pub(crate) async fn run(run: &Run) -> Result<(), PeerError> {
    let options = &run.options;
    let case = run.case()?;
    let expected = match case {
        Case::Array => Some(ExpectedArray::new(&crate::expected_array(options.seed, options.len))),
        Case::Hello => None,
        other => return Err(other.unsupported_here()),
    };
    let mut replier = kit::open(run, RepSocket::with_options(kit::options())).await?;
    let outcome = serve(&mut replier, run, case, expected.as_ref()).await;
    replier.close().await;
    outcome
}

async fn serve(
    replier: &mut Peer<'_, RepSocket>,
    run: &Run,
    case: Case,
    expected: Option<&ExpectedArray>,
) -> Result<(), PeerError> {
    let options = &run.options;
    let mut failures = 0u64;
    for seq in 0..options.count {
        let waiting_for = format!("request {seq} of {}", options.count);
        let request = match replier.recv(&waiting_for).await {
            Ok(request) => request,
            Err(malformed) if malformed.code == ExitCode::Malformed => {
                // Answer first, so the requester is not left waiting for a reply.
                let failure = ZmqMessage::from(FAILURE.to_vec());
                replier.send(failure, &format!("the reply to request {seq}")).await?;
                kit::emit(&Verdict::failure(seq, &malformed.reason))?;
                return Err(malformed);
            }
            Err(other) => return Err(other),
        };
        let verdict = judge(seq, kit::body(&request), expected);
        let success = verdict.verdict.as_bytes() == SUCCESS;
        let answer = match (&run.raw_reply, case, success) {
            (Some(raw), _, _) => raw.as_slice(),
            (None, Case::Hello, true) => WORLD,
            (None, Case::Array, true) => SUCCESS,
            (None, _, false) => FAILURE,
            (None, _, true) => SUCCESS,
        };
        let reply = ZmqMessage::from(answer.to_vec());
        replier.send(reply, &format!("the reply to request {seq}")).await?;
        if let Some(detail) = &verdict.detail {
            eprintln!("request {seq}: {detail}");
            failures += 1;
        }
        kit::emit(&verdict)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_name_what_differs() {
        let values = crate::expected_array(12345, 4);
        let expected = ExpectedArray::new(&values);
        let good = envelope::encode_f64(&values);
        assert_eq!(judge(0, &good, Some(&expected)).verdict, "SUCCESS");
        let mut bad_values = values;
        bad_values[2] += 1.0;
        let bad = judge(1, &envelope::encode_f64(&bad_values), Some(&expected));
        assert_eq!((bad.verdict.as_str(), bad.index), ("FAILURE", Some(2)));
        let short = judge(2, &good[..8], Some(&expected));
        assert_eq!((short.expected_bytes, short.got_bytes), (Some(32), Some(8)));
        assert_eq!(judge(3, HELLO, None).verdict, "SUCCESS");
        let other = judge(4, b"hullo", None);
        assert_eq!(other.detail.as_deref(), Some("expected \"hello\", got 5 bytes: 68756c6c6f"));
    }
}
