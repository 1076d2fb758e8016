//! `interop cell`: one cell, with its commands and, on request, its data.

use super::bootstrap_peers;
use super::matrix::{progress_line, write_reports};
use clap::Args;
use contract::options::{in_range, ranges};
use harness::cell::{Cell, Pattern, Status};
use harness::known_issues::KnownIssues;
use harness::matrix::{self, Params};
use harness::report::{self, Report};
use harness::transport::Transport;
use harness::workspace::Workspace;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Args)]
pub(crate) struct CellArgs {
    /// pubsub or reqrep.
    #[arg(value_enum)]
    pub(crate) pattern: Pattern,
    /// tcp, ipc, or across two hosts: hosts, hosts1g, ssh.
    #[arg(value_enum)]
    pub(crate) transport: Transport,
    /// The sending peer (publisher, requester).
    pub(crate) sender: String,
    /// The receiving peer (subscriber, replier).
    pub(crate) receiver: String,
    /// The case (`interop cases`); the pattern's first (fancyhw, array) by default.
    #[arg(long = "case", value_parser = super::parse_case)]
    pub(crate) case: Option<String>,
    /// fakehw seed.
    #[arg(long, value_name = "S", default_value_t = 12345)]
    pub(crate) seed: u32,
    /// Messages or requests (the case's own by default).
    #[arg(long, value_name = "N", value_parser = in_range(ranges::COUNT))]
    pub(crate) count: Option<u64>,
    /// int16 samples per envelope (PUB/SUB; the case's own by default).
    #[arg(long, value_name = "K", value_parser = in_range(ranges::PACKET_SIZE))]
    pub(crate) packet_size: Option<u32>,
    /// float64 values per array (REQ/REP; the case's own by default).
    #[arg(long, value_name = "L", value_parser = in_range(ranges::LEN))]
    pub(crate) len: Option<u32>,
    /// Print the receiver's decoded JSON lines.
    #[arg(long)]
    pub(crate) show_data: bool,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
}

pub(crate) fn run(args: &CellArgs) -> anyhow::Result<bool> {
    let case = match &args.case {
        Some(name) => {
            let def = harness::cases::find(args.pattern, name).map_err(anyhow::Error::msg)?;
            anyhow::ensure!(
                def.needs.met_by(args.transport),
                "case {name:?} acts on what lies between two hosts: it runs over {}, not {}",
                match def.needs {
                    harness::cases::Needs::Tunnel => "ssh",
                    _ => "hosts, hosts1g or ssh",
                },
                args.transport
            );
            name.clone()
        }
        None => harness::cases::of(args.pattern)
            .next()
            .map(|def| def.name.to_owned())
            .ok_or_else(|| anyhow::anyhow!("{} has no case", args.pattern))?,
    };
    let cell = Cell {
        pattern: args.pattern,
        transport: args.transport,
        sender: args.sender.clone(),
        receiver: args.receiver.clone(),
        case: Some(case),
    };
    let files = super::ReportFiles { json: args.json.clone(), markdown: None };
    let reports = files.open(None, None)?;
    let mut ids = vec![cell.sender.clone()];
    if cell.receiver != cell.sender {
        ids.push(cell.receiver.clone());
    }
    let started = Instant::now();
    let peers = bootstrap_peers(&ids)?;
    let mut params = Params::default();
    params.pubsub.seed = args.seed;
    params.reqrep.seed = args.seed;
    params.overrides = harness::cases::Size {
        count: args.count,
        packet_size: args.packet_size,
        len: args.len,
        timeout_ms: None,
        sender_timeout_ms: None,
    };
    let mut outcome = matrix::run_cell(&cell, &peers, &params);
    KnownIssues::load(&Workspace::locate()?)?.apply(&mut outcome, &peers);
    if args.show_data {
        for line in &outcome.data {
            println!("{line}");
        }
    }
    let outcomes = [outcome];
    let selection = harness::matrix::Selection {
        patterns: vec![cell.pattern],
        transports: vec![cell.transport],
        peers: ids,
        cases: cell.case.into_iter().collect(),
        partition: None,
    };
    let plan = report::model::RunPlan::of(&selection, &[]);
    let report = Report {
        plan,
        outcomes: &outcomes,
        peers: report::json::peers(&peers),
        duration: started.elapsed(),
    };
    write_reports(&report, reports)?;
    let outcome = &outcomes[0];
    eprintln!("{}", progress_line(outcome));
    if matches!(outcome.status, Status::Fail | Status::Xpass) {
        eprint!("{}", report::table::failure_details(outcome));
    } else {
        for command in &outcome.commands {
            eprintln!("  {command}");
        }
    }
    Ok(!matches!(outcome.status, Status::Fail | Status::Xpass))
}
