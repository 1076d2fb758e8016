//! PUB/SUB: the parameters of the pattern's cells, a run with extra flags for the negative
//! tests, and the late-subscriber demonstration. The cases themselves are the catalog's
//! (`cases/`).

use crate::bootstrap::PeerSet;
use crate::cell::{self, Cell, Outcome, PairRun};
use crate::compare;
use crate::endpoint::CellEndpoint;
use crate::peer::Peer;
use crate::process::{self, Finished, Line};
use crate::settings;
use contract::Role;
use contract::output::Event;
use std::time::Instant;

/// What a PUB/SUB cell sends.
#[derive(Debug, Clone)]
pub struct Params {
    /// fakehw seed.
    pub seed: u32,
    /// Envelopes.
    pub count: u64,
    /// Samples per envelope.
    pub packet_size: u32,
    /// Topic.
    pub topic: String,
}

impl Default for Params {
    fn default() -> Self {
        Self { seed: 12345, count: 10, packet_size: 16, topic: "fancyhw_data".into() }
    }
}

impl Params {
    /// The contract's flags for these parameters.
    #[must_use]
    pub fn options(&self) -> Vec<String> {
        vec![
            "--topic".into(),
            self.topic.clone(),
            "--seed".into(),
            self.seed.to_string(),
            "--count".into(),
            self.count.to_string(),
            "--packet-size".into(),
            self.packet_size.to_string(),
        ]
    }

    /// The packets the subscriber must print.
    #[must_use]
    pub fn expected(&self) -> Vec<Vec<i16>> {
        compare::expected_packets(self.seed, self.count as usize, self.packet_size as usize)
    }
}

/// Runs a PUB/SUB cell with extra flags for either side (the negative tests' raw messages),
/// returning the run (the publisher binds) for inspection, or the outcome that stands in for it.
///
/// # Errors
/// The skip or fail outcome when the cell cannot run.
pub fn run_with<'p>(
    cell: &Cell,
    peers: &'p PeerSet,
    params: &Params,
    publisher_extra: &[String],
    subscriber_extra: &[String],
) -> Result<(PairRun, (&'p Peer, &'p Peer)), Box<Outcome>> {
    cell::run_peers(cell, peers, &params.options(), publisher_extra, subscriber_extra)
}

/// What the late-subscriber demonstration saw.
#[derive(Debug)]
pub struct LateRun {
    /// Envelopes the publisher reported sent before the subscriber was started.
    pub sent_before_subscriber: u64,
    /// Index in the expected sequence of the first envelope the subscriber received.
    pub first_received: usize,
    /// Envelopes the subscriber received.
    pub received: usize,
    /// The two processes (the publisher stopped by the harness once the subscriber was done).
    pub runs: Vec<Finished>,
}

/// The classic, unsynchronised behaviour: the publisher starts sending as soon as it is bound
/// (pacing `interval_ms`), the subscriber is started only once the publisher has reported
/// `head_start` envelopes sent, and receives `take` envelopes. What it got must be a
/// contiguous run of the expected sequence that starts after what it missed.
///
/// # Errors
/// What went wrong, with the processes' output.
pub fn late_subscriber(
    publisher: &Peer,
    subscriber: &Peer,
    interval_ms: u64,
    head_start: u64,
    take: u64,
) -> Result<LateRun, String> {
    let sent_total = 1000;
    let params = Params { count: sent_total, ..Params::default() };
    let deadline = Instant::now() + settings::process_timeout();
    let endpoint =
        CellEndpoint::new(crate::transport::Transport::Tcp).map_err(|e| e.to_string())?;
    let publisher_options = [
        cell::common_options(endpoint.bind()),
        params.options(),
        vec!["--report-sent".into(), "--interval-ms".into(), interval_ms.to_string()],
    ]
    .concat();
    let spec = publisher.command(
        Role::Pub,
        &format!("publisher ({})", publisher.id),
        publisher_options,
    )?;
    let mut child = process::spawn(&spec).map_err(|e| e.to_string())?;
    let mut resolved = None;
    let mut sent = 0;
    while resolved.is_none() || sent < head_start {
        match child.next_line(deadline) {
            Line::Text(line) => match serde_json::from_str::<Event>(&line) {
                Ok(Event::Ready { endpoint }) => resolved = Some(endpoint),
                Ok(Event::Sent { seq }) => sent = seq + 1,
                Ok(Event::Result(_) | Event::Paused | Event::Zap { .. }) | Err(_) => {
                    return Err(format!("publisher printed {line:?}"));
                }
            },
            other => {
                let done = child.stop();
                return Err(format!("publisher: {other:?} ({}): {}", done.exit, done.stderr));
            }
        }
    }
    let resolved = resolved.unwrap_or_default();
    let take_params = Params { count: take, ..params.clone() };
    let sub_spec = subscriber.command(
        Role::Sub,
        &format!("subscriber ({})", subscriber.id),
        [cell::common_options(&resolved), take_params.options()].concat(),
    )?;
    let sub = process::spawn(&sub_spec).map_err(|e| e.to_string())?.wait(deadline);
    let publisher_done = child.stop();
    let runs = vec![publisher_done, sub];
    if !runs[1].succeeded() {
        return Err(format!("subscriber {}: {}", runs[1].exit.describe_peer(), runs[1].stderr));
    }
    let received = compare::packets(&runs[1].stdout)?;
    let first_received = compare::locate_run(&received, &params.expected())?;
    Ok(LateRun { sent_before_subscriber: sent, first_received, received: received.len(), runs })
}
