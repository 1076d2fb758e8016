//! REQ/REP cells: a requester sends the fakehw float64 array (or `hello`), the replier checks
//! it against the array it expects for the seed and answers `SUCCESS`/`FAILURE` (or `world`).

use crate::bootstrap::PeerSet;
use crate::cell::{self, Cell, Outcome, PairRun, Status};
use crate::compare;
use crate::peer::Peer;
use contract::Case;
use contract::output::{Reply, Verdict};

/// What a REQ/REP cell sends.
#[derive(Debug, Clone)]
pub struct Params {
    /// fakehw seed.
    pub seed: u32,
    /// Requests.
    pub count: u64,
    /// float64 values per array.
    pub len: u32,
}

impl Default for Params {
    fn default() -> Self {
        Self { seed: 12345, count: 10, len: 131_072 }
    }
}

impl Params {
    /// The contract's flags for these parameters and `case`.
    #[must_use]
    pub fn options(&self, case: Case) -> Vec<String> {
        vec![
            "--case".into(),
            case.name().into(),
            "--seed".into(),
            self.seed.to_string(),
            "--count".into(),
            self.count.to_string(),
            "--len".into(),
            self.len.to_string(),
        ]
    }
}

/// The reply a requester must get in `case`.
#[must_use]
pub fn expected_reply(case: Case) -> &'static str {
    match case {
        Case::Hello => "world",
        _ => "SUCCESS",
    }
}

/// Runs a REQ/REP cell with extra flags for either side (the negative tests' corruptions),
/// returning the run (the replier binds) for inspection, or the outcome that stands in for it.
///
/// # Errors
/// The skip or fail outcome when the cell cannot run.
pub fn run_with<'p>(
    cell: &Cell,
    peers: &'p PeerSet,
    params: &Params,
    requester_extra: &[String],
    replier_extra: &[String],
) -> Result<(PairRun, (&'p Peer, &'p Peer)), Box<Outcome>> {
    let options = params.options(cell.case.unwrap_or_default());
    cell::run_peers(cell, peers, &options, requester_extra, replier_extra)
}

/// Runs one REQ/REP cell and checks every reply and every verdict.
#[must_use]
pub fn run(cell: &Cell, peers: &PeerSet, params: &Params) -> Outcome {
    let (run, pair) = match run_with(cell, peers, params, &[], &[]) {
        Ok(ran) => ran,
        Err(outcome) => return *outcome,
    };
    let replies = run.connector.as_ref().map(|c| c.stdout.as_slice()).unwrap_or_default();
    let verdict = cell::judge_exits(&run).unwrap_or_else(|| {
        let case = cell.case.unwrap_or_default();
        match check_replies(replies, params.count, case)
            .and_then(|()| check_verdicts(&run.binder.stdout))
        {
            Ok(()) => (Status::Pass, String::new()),
            Err(why) => (Status::Fail, format!("data mismatch: {why}")),
        }
    });
    cell::outcome(cell, pair, &run, verdict, compare::data_lines(replies))
}

/// The requester's reply lines: `count` of them, each the expected text.
///
/// # Errors
/// The first unexpected reply, shown as text or hex.
pub fn check_replies(stdout: &[String], count: u64, case: Case) -> Result<(), String> {
    let want = expected_reply(case);
    let replies: Vec<Reply> = compare::data_lines(stdout)
        .iter()
        .map(|line| {
            serde_json::from_str(line).map_err(|e| format!("not a reply line ({e}): {line}"))
        })
        .collect::<Result<_, _>>()?;
    for (i, reply) in replies.iter().enumerate() {
        if reply.seq != i as u64 {
            return Err(format!("reply {i} carries seq {}", reply.seq));
        }
        if reply.reply.as_deref() != Some(want) {
            let shown = reply.reply.clone().map_or_else(
                || format!("bytes {}", reply.reply_hex.clone().unwrap_or_default()),
                |t| format!("{t:?}"),
            );
            return Err(format!("reply {i} was {shown}, expected {want:?}"));
        }
    }
    if replies.len() as u64 != count {
        return Err(format!("received {} replies, expected {count}", replies.len()));
    }
    Ok(())
}

/// The replier's verdict lines: every one `SUCCESS`.
///
/// # Errors
/// The first `FAILURE`, with the replier's detail.
pub fn check_verdicts(stdout: &[String]) -> Result<(), String> {
    for line in compare::data_lines(stdout) {
        let verdict: Verdict =
            serde_json::from_str(&line).map_err(|e| format!("not a verdict line ({e}): {line}"))?;
        if verdict.verdict != "SUCCESS" {
            return Err(format!(
                "replier judged request {} {}: {}",
                verdict.seq,
                verdict.verdict,
                verdict.detail.unwrap_or_default()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn replies_must_all_be_the_expected_text() {
        let ok = lines(&[r#"{"event":"ready","endpoint":"x"}"#, r#"{"seq":0,"reply":"world"}"#]);
        assert_eq!(check_replies(&ok, 1, Case::Hello), Ok(()));
        assert_eq!(
            check_replies(&ok, 2, Case::Hello).unwrap_err(),
            "received 1 replies, expected 2"
        );
        assert_eq!(
            check_replies(&ok, 1, Case::Array).unwrap_err(),
            "reply 0 was \"world\", expected \"SUCCESS\""
        );
        let odd = lines(&[r#"{"seq":0,"reply_hex":"ff00"}"#]);
        assert_eq!(
            check_replies(&odd, 1, Case::Array).unwrap_err(),
            "reply 0 was bytes ff00, expected \"SUCCESS\""
        );
    }

    #[test]
    fn a_failure_verdict_carries_its_detail() {
        let stdout = lines(&[
            r#"{"seq":0,"verdict":"SUCCESS"}"#,
            r#"{"seq":1,"verdict":"FAILURE","detail":"value mismatch at index 7: expected 0.5, got 1.5","index":7}"#,
        ]);
        assert_eq!(
            check_verdicts(&stdout).unwrap_err(),
            "replier judged request 1 FAILURE: value mismatch at index 7: expected 0.5, got 1.5"
        );
    }
}
