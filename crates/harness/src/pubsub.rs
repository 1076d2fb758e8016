//! PUB/SUB cells: a publisher sends fakehw envelopes, a subscriber decodes and prints them, and
//! the harness compares every sample with the Rust fakehw for the seed.

use crate::bootstrap::PeerSet;
use crate::cell::{self, Cell, Outcome, Status};
use crate::compare;
use contract::Role;

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

/// Runs one synchronised PUB/SUB cell and checks every sample.
#[must_use]
pub fn run(cell: &Cell, peers: &PeerSet, params: &Params) -> Outcome {
    let (publisher, subscriber) = match cell::resolve(cell, peers) {
        Ok(pair) => pair,
        Err(outcome) => return *outcome,
    };
    let endpoint = match cell::endpoint_for(cell) {
        Ok(endpoint) => endpoint,
        Err(outcome) => return *outcome,
    };
    let publisher_options =
        [cell::common_options(endpoint.bind()), params.options(), vec!["--sync".into()]].concat();
    let binder =
        match publisher.command(Role::Pub, &format!("publisher ({})", publisher.id), publisher_options) {
            Ok(spec) => spec,
            Err(why) => return Outcome::early(cell, Status::Fail, why),
        };
    let run = cell::run_pair(&binder, |resolved| {
        let options = [cell::common_options(resolved), params.options()].concat();
        subscriber.command(Role::Sub, &format!("subscriber ({})", subscriber.id), options)
    });
    let received = run.connector.as_ref().map(|c| c.stdout.as_slice()).unwrap_or_default();
    let verdict = cell::judge_exits(&run).unwrap_or_else(|| {
        let checked = compare::packets(received)
            .and_then(|got| compare::check_packets(&got, &params.expected(), &params.topic));
        match checked {
            Ok(()) => (Status::Pass, String::new()),
            Err(difference) => (Status::Fail, format!("data mismatch: {difference}")),
        }
    });
    cell::outcome(cell, (publisher, subscriber), &run, verdict, compare::data_lines(received))
}
