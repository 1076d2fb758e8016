//! The replier: checks each request against the array it expects and answers SUCCESS/FAILURE
//! (or `world` to `hello`, or its own array in case `large`); echoes whole messages in cases
//! `multipart` and `empty`; holds its socket open after the last reply in case `reconnect`.

use crate::kit::{self, Peer};
use crate::{FAILURE, HELLO, SUCCESS, WORLD};
use contract::options::Run;
use contract::output::Verdict;
use contract::{Case, ExitCode, PeerError};
use envelope::array::{ArrayVerdict, F64_BYTES, value_at};
use zeromq::{RepSocket, Socket, ZmqMessage};

/// Answers `--count` requests, then exits 0, or 1 if any verdict was FAILURE.
pub(crate) async fn run(run: &Run, case: Case) -> Result<(), PeerError> {
    let options = &run.options;
    // The expected array in wire form, built once; in case `large` it is also the reply, sent
    // as the same shared buffer every time (no copy of its 64 MiB per reply).
    let expected = matches!(case, Case::Array | Case::Large)
        .then(|| ZmqMessage::from(crate::array_bytes(options.seed, options.len, None)));
    let mut replier = kit::open(run, RepSocket::with_options(kit::options())).await?;
    let outcome = match case {
        Case::Multipart | Case::Empty => echo_frames(&mut replier, run, case).await,
        _ => serve(&mut replier, run, case, expected.as_ref()).await,
    };
    if case == Case::Reconnect && outcome.is_ok() {
        kit::hold(run).await;
    }
    replier.close().await;
    outcome
}

async fn serve(
    replier: &mut Peer<'_, RepSocket>,
    run: &Run,
    case: Case,
    expected: Option<&ZmqMessage>,
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
        let verdict = judge(seq, kit::body(&request), expected.map(kit::body));
        drop(request);
        let success = verdict.verdict.as_bytes() == SUCCESS;
        let reply = match (&run.raw_reply, expected, case, success) {
            (Some(raw), ..) => ZmqMessage::from(raw.clone()),
            (None, _, _, false) => ZmqMessage::from(FAILURE.to_vec()),
            (None, Some(array), Case::Large, true) => array.clone(),
            (None, _, Case::Array, true) => ZmqMessage::from(SUCCESS.to_vec()),
            // hello, and the cases that play it: reconnect, heartbeat.
            (None, _, _, true) => ZmqMessage::from(WORLD.to_vec()),
        };
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

/// Cases `multipart` and `empty`: each request whole (any number of frames), printed as a
/// frames line and answered with the very same frames (`multipart`) or a zero-length reply
/// (`empty`). Nothing is checked: the harness judges.
async fn echo_frames(
    replier: &mut Peer<'_, RepSocket>,
    run: &Run,
    case: Case,
) -> Result<(), PeerError> {
    let count = run.options.count;
    for seq in 0..count {
        let request = replier.recv_message(&format!("request {seq} of {count}")).await?;
        kit::emit(&kit::frames(seq, &request))?;
        let reply = if case == Case::Empty { ZmqMessage::from(Vec::new()) } else { request };
        replier.send(reply, &format!("the reply to request {seq}")).await?;
    }
    Ok(())
}

/// The verdict line for one request: against the expected array's bytes, or `hello`.
fn judge(seq: u64, request: &[u8], expected: Option<&[u8]>) -> Verdict {
    let mut verdict = Verdict::success(seq);
    let failure = match expected {
        None if request == HELLO => None,
        None => Some(format!(
            "expected \"hello\", got {} bytes: {}",
            request.len(),
            contract::hex::encode(&request[..request.len().min(32)])
        )),
        Some(array) => match check_array(array, request) {
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

/// `envelope::ExpectedArray::check` on the expected array's wire bytes held here (the reply of
/// case `large` shares them, where an `ExpectedArray` would hold a second copy): lengths
/// first, then the bytes, then the first differing value.
fn check_array(expected: &[u8], received: &[u8]) -> ArrayVerdict {
    if received.len() != expected.len() {
        return ArrayVerdict::LengthMismatch {
            expected_bytes: expected.len(),
            got_bytes: received.len(),
        };
    }
    if received == expected {
        return ArrayVerdict::Match;
    }
    let index = expected
        .chunks_exact(F64_BYTES)
        .zip(received.chunks_exact(F64_BYTES))
        .position(|(want, got)| want != got)
        .unwrap_or_default();
    ArrayVerdict::ValueMismatch {
        index,
        expected: value_at(expected, index).unwrap_or(f64::NAN),
        got: value_at(received, index).unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use envelope::ExpectedArray;

    #[test]
    fn verdicts_name_what_differs() {
        let good = crate::array_bytes(12345, 4, None);
        assert_eq!(judge(0, &good, Some(&good)).verdict, "SUCCESS");
        let bad = judge(1, &crate::array_bytes(12345, 4, Some(2)), Some(&good));
        assert_eq!((bad.verdict.as_str(), bad.index), ("FAILURE", Some(2)));
        let short = judge(2, &good[..8], Some(&good));
        assert_eq!((short.expected_bytes, short.got_bytes), (Some(32), Some(8)));
        assert_eq!(judge(3, HELLO, None).verdict, "SUCCESS");
        let other = judge(4, b"hullo", None);
        assert_eq!(other.detail.as_deref(), Some("expected \"hello\", got 5 bytes: 68756c6c6f"));
    }

    #[test]
    fn the_array_check_agrees_with_the_envelope_crates() {
        let mut values = vec![0.0; 16];
        fakehw::Glibc::new(3).fill_f64(&mut values);
        let reference = ExpectedArray::new(&values);
        let expected = crate::array_bytes(3, 16, None);
        for received in [
            expected.clone(),
            crate::array_bytes(3, 16, Some(0)),
            crate::array_bytes(3, 16, Some(15)),
            crate::array_bytes(3, 15, None),
            Vec::new(),
        ] {
            assert_eq!(check_array(&expected, &received), reference.check(&received));
        }
    }
}
