//! `interop`: builds or finds the Rust, C and Python peers, runs the interop matrix, reports.
//!
//! Exit status: 0 when no cell failed (skips allowed), 1 when any failed, 2 for a usage or
//! set-up error, 130 when interrupted.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use contract::{Case, Transport};
use harness::bootstrap::{self, PeerSet};
use harness::cell::{Cell, Outcome, Pattern, Status};
use harness::matrix::{self, Params, Selection};
use harness::report::{self, Report};
use harness::workspace::Workspace;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Parser)]
#[command(name = "interop", version, about = "ZeroMQ interop between Rust, C and Python peers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every cell of the selected patterns, transports and peers, in parallel.
    Matrix(MatrixArgs),
    /// Run one cell, showing its commands (and its data with --show-data).
    Cell(CellArgs),
    /// Build or find the peers and show what was found, with versions and transports.
    Peers(PeersArgs),
}

#[derive(Debug, Args)]
struct MatrixArgs {
    /// Patterns to run (repeat or comma-separate); all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    pattern: Vec<Pattern>,
    /// Transports to run; all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    transport: Vec<Transport>,
    /// Peers to pair with each other.
    #[arg(long, value_delimiter = ',', default_values_t = bootstrap::DEFAULT_PEERS.map(String::from))]
    peers: Vec<String>,
    /// REQ/REP cases; all by default.
    #[arg(long = "case", value_enum, value_delimiter = ',')]
    cases: Vec<Case>,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write the JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write the Markdown report here.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Cells run at once.
    #[arg(long, value_name = "N", default_value_t = matrix::default_jobs())]
    jobs: usize,
    /// fakehw seed for every cell.
    #[arg(long, value_name = "S", default_value_t = 12345)]
    seed: u32,
}

#[derive(Debug, Args)]
struct CellArgs {
    /// pubsub or reqrep.
    #[arg(value_enum)]
    pattern: Pattern,
    /// tcp or ipc.
    #[arg(value_enum)]
    transport: Transport,
    /// The sending peer (publisher, requester).
    sender: String,
    /// The receiving peer (subscriber, replier).
    receiver: String,
    /// REQ/REP case.
    #[arg(long = "case", value_enum, default_value_t = Case::Array)]
    case: Case,
    /// fakehw seed.
    #[arg(long, value_name = "S", default_value_t = 12345)]
    seed: u32,
    /// Messages or requests.
    #[arg(long, value_name = "N", default_value_t = 10)]
    count: u64,
    /// int16 samples per envelope (PUB/SUB).
    #[arg(long, value_name = "K", default_value_t = 16)]
    packet_size: u32,
    /// float64 values per array (REQ/REP).
    #[arg(long, value_name = "L", default_value_t = 131_072)]
    len: u32,
    /// Print the receiver's decoded JSON lines.
    #[arg(long)]
    show_data: bool,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct PeersArgs {
    /// Peers to build or find.
    #[arg(long, value_delimiter = ',', default_values_t = bootstrap::PEER_IDS.map(String::from))]
    peers: Vec<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C: every wait notices, kills its children, and temporary directories are dropped.
    let _ = ctrlc::set_handler(harness::process::cancel);
    let result = match cli.command {
        Command::Matrix(args) => run_matrix(&args),
        Command::Cell(args) => run_cell(&args),
        Command::Peers(args) => show_peers(&args),
    };
    match result {
        _ if harness::process::cancelled() => {
            eprintln!("interop: interrupted");
            ExitCode::from(130)
        }
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("interop: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn check_peer_ids(ids: &[String]) -> anyhow::Result<()> {
    for id in ids {
        anyhow::ensure!(
            bootstrap::PEER_IDS.contains(&id.as_str()),
            "unknown peer {id:?} (known: {})",
            bootstrap::PEER_IDS.join(", ")
        );
    }
    Ok(())
}

fn bootstrap_peers(ids: &[String]) -> anyhow::Result<PeerSet> {
    check_peer_ids(ids)?;
    let workspace = Workspace::locate()?;
    bootstrap::bootstrap(&workspace, ids, &|step| eprintln!("interop: {step}"))
}

fn run_matrix(args: &MatrixArgs) -> anyhow::Result<bool> {
    anyhow::ensure!(!args.peers.is_empty(), "--peers names no peer");
    let selection = Selection {
        patterns: or_all(&args.pattern, &Pattern::ALL),
        transports: or_all(&args.transport, &Transport::ALL),
        peers: args.peers.clone(),
        cases: or_all(&args.cases, &Case::ALL),
    };
    let started = Instant::now();
    let peers = bootstrap_peers(&selection.peers)?;
    let mut params = Params::default();
    params.pubsub.seed = args.seed;
    params.reqrep.seed = args.seed;
    let cells = selection.cells();
    eprintln!("interop: running {} cells, {} at a time", cells.len(), args.jobs);
    let outcomes =
        matrix::run_all(&cells, &peers, &params, args.jobs, &|o| eprintln!("{}", progress_line(o)));
    let report = Report { outcomes: &outcomes, peers: &peers, duration: started.elapsed() };
    write_reports(&report, args.json.as_ref(), args.junit.as_ref(), args.markdown.as_ref())?;
    print!("{}", report::table::to_table(&report));
    let details = report::table::all_failure_details(&report);
    if !details.is_empty() {
        println!("\nfailures:\n{details}");
    }
    Ok(!report.failed())
}

/// The given values, or all of them when none were given.
fn or_all<T: Clone>(given: &[T], all: &[T]) -> Vec<T> {
    if given.is_empty() { all.to_vec() } else { given.to_vec() }
}

fn progress_line(outcome: &Outcome) -> String {
    let reason = if outcome.reason.is_empty() {
        String::new()
    } else {
        format!(": {}", outcome.reason.lines().next().unwrap_or_default())
    };
    format!(
        "{:<4} {} ({}){reason}",
        outcome.status.name().to_uppercase(),
        outcome.cell.name(),
        report::human_duration(outcome.duration_ms)
    )
}

fn write_reports(
    report: &Report<'_>,
    json: Option<&PathBuf>,
    junit: Option<&PathBuf>,
    markdown: Option<&PathBuf>,
) -> anyhow::Result<()> {
    let write = |path: &PathBuf, text: String| {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    if let Some(path) = json {
        write(path, serde_json::to_string_pretty(&report::json::to_value(report))? + "\n")?;
    }
    if let Some(path) = junit {
        write(path, report::junit::to_xml(report)?)?;
    }
    if let Some(path) = markdown {
        write(path, report::markdown::to_markdown(report))?;
    }
    Ok(())
}

fn run_cell(args: &CellArgs) -> anyhow::Result<bool> {
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
    let outcome = matrix::run_cell(&cell, &peers, &params);
    if args.show_data {
        for line in &outcome.data {
            println!("{line}");
        }
    }
    let outcomes = [outcome];
    let report = Report { outcomes: &outcomes, peers: &peers, duration: started.elapsed() };
    write_reports(&report, args.json.as_ref(), None, None)?;
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

fn show_peers(args: &PeersArgs) -> anyhow::Result<bool> {
    let peers = bootstrap_peers(&args.peers)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report::json::peers(&peers))?);
        return Ok(true);
    }
    for (id, entry) in peers.iter() {
        match entry {
            Ok(peer) => {
                println!(
                    "{id}: {} {}, libzmq {} ({})",
                    peer.info.binding, peer.info.impl_version, peer.info.libzmq, peer.libzmq_origin
                );
                println!(
                    "    transports: {}; roles: {}",
                    peer.info.transports.join(", "),
                    peer.info.roles.join(", ")
                );
                for (transport, why) in &peer.info.unsupported {
                    println!("    no {transport}: {why}");
                }
                println!("    built with: {}", peer.built_with);
            }
            Err(missing) => println!("{id}: unavailable: {}", missing.reason),
        }
    }
    Ok(true)
}
