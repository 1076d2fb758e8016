//! The replier: checks each request against the array it expects and answers SUCCESS/FAILURE
//! (or `world` to `hello`; in case `large`, the array itself); in the cases `multipart` and
//! `empty` it prints each request's frames and answers with the same frames (or nothing).

use crate::{FAILURE, HELLO, SUCCESS, WORLD};
use contract::options::Run;
use contract::output::Verdict;
use contract::{Case, ExitCode, PeerError};
use envelope::array::{ArrayVerdict, F64_BYTES, value_at};

/// What a request must be, by case.
enum Expected {
    /// `hello` (cases `hello`, `reconnect`, `heartbeat`).
    Hello,
    /// The expected array's bytes (cases `array`, `large`).
    Array(Vec<u8>),
}

/// Answers `--count` requests, then exits 0, or 1 if any verdict was FAILURE; in case
/// `reconnect` it first holds its socket open (until killed, or for `--timeout-ms`).
pub(crate) fn run(run: &Run) -> Result<(), PeerError> {
    let options = &run.options;
    let case = run.case()?;
    let expected = match case {
        Case::Array | Case::Large => {
            Expected::Array(crate::expected_array(options.seed, options.len))
        }
        Case::Hello | Case::Reconnect | Case::Heartbeat => Expected::Hello,
        Case::Multipart | Case::Empty => return frames(run, case),
        other => return Err(other.unsupported_here()),
    };
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::REP, run, |_| Ok(()))?;
    let mut failures = 0u64;
    for seq in 0..options.count {
        let what = format!("the reply to request {seq}");
        let request =
            match peer_kit::recv(&socket, run, &format!("request {seq} of {}", options.count)) {
                Ok(request) => request,
                Err(malformed) if malformed.code == ExitCode::Malformed => {
                    // Answer first, so the requester is not left waiting for a reply.
                    peer_kit::send(&socket, run, FAILURE, &what)?;
                    peer_kit::emit(&Verdict::failure(seq, &malformed.reason))?;
                    return Err(malformed);
                }
                Err(other) => return Err(other),
            };
        let verdict = judge(seq, &request, &expected);
        let success = verdict.verdict.as_bytes() == SUCCESS;
        match (&run.raw_reply, case, success) {
            (Some(raw), _, _) => peer_kit::send(&socket, run, raw, &what)?,
            // The request matched the expected array bit for bit, so it *is* the expected
            // array's bytes: sending it back moves the received message, no 64 MiB copy.
            (None, Case::Large, true) => peer_kit::send_frames(&socket, run, [request], &what)?,
            (None, Case::Array, true) => peer_kit::send(&socket, run, SUCCESS, &what)?,
            (None, _, true) => peer_kit::send(&socket, run, WORLD, &what)?,
            (None, _, false) => peer_kit::send(&socket, run, FAILURE, &what)?,
        }
        if let Some(detail) = &verdict.detail {
            eprintln!("request {seq}: {detail}");
            failures += 1;
        }
        peer_kit::emit(&verdict)?;
    }
    if case == Case::Reconnect {
        peer_kit::hold(run);
    }
    if failures > 0 {
        return Err(PeerError::mismatch(format!(
            "{failures} of {} requests did not match",
            options.count
        )));
    }
    Ok(())
}

/// Cases `multipart` and `empty`: prints each request's frames and answers with the very
/// same frames (`multipart`) or a zero-length reply (`empty`); checks nothing.
fn frames(run: &Run, case: Case) -> Result<(), PeerError> {
    let context = zmq::Context::new();
    let socket = peer_kit::open(&context, zmq::REP, run, |_| Ok(()))?;
    let count = run.options.count;
    for seq in 0..count {
        let frames = peer_kit::recv_frames(&socket, run, &format!("request {seq} of {count}"))?;
        peer_kit::emit(&peer_kit::frames_line(seq, &frames))?;
        let what = format!("the reply to request {seq}");
        match (&run.raw_reply, case) {
            (Some(raw), _) => peer_kit::send(&socket, run, raw, &what)?,
            (None, Case::Multipart) => peer_kit::send_frames(&socket, run, frames, &what)?,
            (None, _) => peer_kit::send(&socket, run, b"", &what)?,
        }
    }
    Ok(())
}

/// The verdict line for one request.
fn judge(seq: u64, request: &[u8], expected: &Expected) -> Verdict {
    let mut verdict = Verdict::success(seq);
    let failure = match expected {
        Expected::Hello if request == HELLO => None,
        Expected::Hello => Some(format!(
            "expected \"hello\", got {} bytes: {}",
            request.len(),
            contract::hex::encode(&request[..request.len().min(32)])
        )),
        Expected::Array(array) => match check_array(array, request) {
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

/// `envelope::ExpectedArray::check` on the expected array's bytes, which this peer builds
/// directly (`ExpectedArray` is made from `f64` values, a second 64 MiB in case `large`):
/// length first, then bytes, then the first differing value.
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
    fn the_byte_check_agrees_with_the_envelope_crates() {
        let mut values = vec![0.0; 64];
        fakehw::Glibc::new(3).fill_f64(&mut values);
        let reference = ExpectedArray::new(&values);
        let bytes = crate::expected_array(3, 64);
        let mut corrupt = bytes.clone();
        corrupt[8 * 17 + 3] ^= 1;
        for received in [&bytes[..], &corrupt[..], &bytes[..40], &[][..]] {
            assert_eq!(check_array(&bytes, received), reference.check(received));
        }
    }

    #[test]
    fn verdicts_carry_the_contracts_fields() {
        let bytes = crate::expected_array(3, 4);
        let array = Expected::Array(bytes.clone());
        assert_eq!(judge(0, &bytes, &array), Verdict::success(0));
        let short = judge(1, &bytes[..8], &array);
        assert_eq!((short.expected_bytes, short.got_bytes), (Some(32), Some(8)));
        let mut off = bytes;
        off[8 * 2] ^= 1;
        let value = judge(2, &off, &array);
        assert_eq!((value.verdict.as_str(), value.index), ("FAILURE", Some(2)));
        assert_eq!(judge(3, b"hello", &Expected::Hello), Verdict::success(3));
        let wrong = judge(4, b"hullo", &Expected::Hello);
        assert_eq!(wrong.detail.as_deref(), Some("expected \"hello\", got 5 bytes: 68756c6c6f"));
    }
}
