//! REQ/REP: the parameters of the pattern's cells, a run with extra flags for the negative
//! tests, and the replier's verdicts. The cases themselves are the catalog's (`cases/`).

use crate::bootstrap::PeerSet;
use crate::cell::{self, Cell, Outcome, PairRun};
use crate::compare;
use crate::peer::Peer;
use contract::output::Verdict;

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
    pub fn options(&self, case: &str) -> Vec<String> {
        vec![
            "--case".into(),
            case.into(),
            "--seed".into(),
            self.seed.to_string(),
            "--count".into(),
            self.count.to_string(),
            "--len".into(),
            self.len.to_string(),
        ]
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
    let options = params.options(cell.case.as_deref().unwrap_or("array"));
    cell::run_peers(cell, peers, &options, requester_extra, replier_extra)
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
