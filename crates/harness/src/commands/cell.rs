//! `interop cell`: one cell, with its commands and, on request, its data.

use super::bootstrap_peers;
use super::matrix::{progress_line, write_reports};
use clap::Args;
use contract::{Case, Transport};
use harness::cell::{Cell, Pattern, Status};
use harness::known_issues::KnownIssues;
use harness::matrix::{self, Params};
use harness::report::{self, Report};
use harness::workspace::Workspace;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Args)]
pub(crate) struct CellArgs {
    /// pubsub or reqrep.
    #[arg(value_enum)]
    pub(crate) pattern: Pattern,
    /// tcp or ipc.
    #[arg(value_enum)]
    pub(crate) transport: Transport,
    /// The sending peer (publisher, requester).
    pub(crate) sender: String,
    /// The receiving peer (subscriber, replier).
    pub(crate) receiver: String,
    /// REQ/REP case.
    #[arg(long = "case", value_enum, default_value_t = Case::Array)]
    pub(crate) case: Case,
    /// fakehw seed.
    #[arg(long, value_name = "S", default_value_t = 12345)]
    pub(crate) seed: u32,
    /// Messages or requests.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub(crate) count: u64,
    /// int16 samples per envelope (PUB/SUB).
    #[arg(long, value_name = "K", default_value_t = 16)]
    pub(crate) packet_size: u32,
    /// float64 values per array (REQ/REP).
    #[arg(long, value_name = "L", default_value_t = 131_072)]
    pub(crate) len: u32,
    /// Print the receiver's decoded JSON lines.
    #[arg(long)]
    pub(crate) show_data: bool,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
}

pub(crate) fn run(args: &CellArgs) -> anyhow::Result<bool> {
    let cell = Cell {
        pattern: args.pattern,
        transport: args.transport,
        sender: args.sender.clone(),
        receiver: args.receiver.clone(),
        case: (args.pattern == Pattern::Reqrep).then_some(args.case),
    };
    let mut ids = vec![cell.sender.clone()];
    if cell.receiver != cell.sender {
        ids.push(cell.receiver.clone());
    }
    let started = Instant::now();
    let peers = bootstrap_peers(&ids)?;
    let mut params = Params::default();
    params.pubsub.seed = args.seed;
    params.pubsub.count = args.count;
    params.pubsub.packet_size = args.packet_size;
    params.reqrep.seed = args.seed;
    params.reqrep.count = args.count;
    params.reqrep.len = args.len;
    let mut outcome = matrix::run_cell(&cell, &peers, &params);
    KnownIssues::load(&Workspace::locate()?)?.apply(&mut outcome, &peers);
    if args.show_data {
        for line in &outcome.data {
            println!("{line}");
        }
    }
    let outcomes = [outcome];
    let report = Report { outcomes: &outcomes, peers: &peers, duration: started.elapsed() };
    let files = super::ReportFiles { json: args.json.clone(), markdown: None };
    write_reports(&report, &files, None)?;
    let outcome = &outcomes[0];
    eprintln!("{}", progress_line(outcome));
    if outcome.status == Status::Fail {
        eprint!("{}", report::table::failure_details(outcome));
    } else {
        for command in &outcome.commands {
            eprintln!("  {command}");
        }
    }
    Ok(outcome.status != Status::Fail)
}
