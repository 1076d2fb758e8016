//! `interop`: builds or finds the Rust, C and Python peers, runs the interop matrix, reports.
//!
//! Exit status: 0 when no cell failed (skips allowed), 1 when any failed, 2 for a usage or
//! set-up error, 130 when interrupted.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use contract::output::BenchKind;
use contract::{Case, Transport};
use harness::bench::{self, report::BenchReport};
use harness::bootstrap::{self, PeerSet};
use harness::cell::{Cell, Outcome, Pattern, Status};
use harness::known_issues::KnownIssues;
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
    /// Measure throughput and latency of every pairing (one cell at a time).
    Bench(BenchArgs),
    /// Run the matrix once per pyzmq release, in one report (columns: releases).
    Versions(VersionsArgs),
}

#[derive(Debug, Args)]
struct VersionsArgs {
    /// pyzmq releases; by default those in python/pyzmq-versions.txt.
    #[arg(long, value_delimiter = ',')]
    pyzmq: Vec<String>,
    #[command(flatten)]
    select: SelectArgs,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write the Markdown report here.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Compare with an earlier JSON report: a cell that passed there and does not now makes the
    /// exit status 1.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Cells run at once.
    #[arg(long, value_name = "N", default_value_t = matrix::default_jobs())]
    jobs: usize,
}

#[derive(Debug, Args)]
struct BenchArgs {
    /// thr (PUSH/PULL throughput), lat (REQ/REP latency); both by default.
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    kind: Vec<BenchKind>,
    /// sender:receiver pairs; by default each language with itself, then every cross pair.
    #[arg(long, value_delimiter = ',', value_parser = parse_pair)]
    pairs: Vec<(String, String)>,
    /// Transports; both by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    transports: Vec<Transport>,
    /// Message sizes in bytes.
    #[arg(long, value_delimiter = ',', default_values_t = bench::DEFAULT_SIZES)]
    sizes: Vec<u64>,
    /// Measured runs per cell (after a probe run that sizes them).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    repeat: u64,
    /// How long each measured run should last.
    #[arg(long, value_name = "MS", default_value_t = 150)]
    target_ms: u64,
    /// Throughput runs' high-water mark; 0 (the default) is unlimited, libzmq's own default and
    /// its perf tools' is 1000.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..))]
    hwm: i32,
    /// Also measure the yardsticks: libzmq's perf tools (for c:c) and a bare pyzmq loop (for
    /// python:python), with the same message counts.
    #[arg(long)]
    reference: bool,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write the Markdown tables here.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Write throughput.svg and latency.svg into this directory.
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,
    /// Compare with an earlier JSON report: a slowdown beyond the threshold makes the exit status 1.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Slowdown, in percent, that counts as a regression.
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    threshold: f64,
}

fn parse_kind(text: &str) -> Result<BenchKind, String> {
    match text {
        "thr" => Ok(BenchKind::Thr),
        "lat" => Ok(BenchKind::Lat),
        other => Err(format!("{other:?} is not a bench kind (thr, lat)")),
    }
}

fn parse_pair(text: &str) -> Result<(String, String), String> {
    let (sender, receiver) =
        text.split_once(':').ok_or_else(|| format!("{text:?} is not sender:receiver"))?;
    Ok((sender.to_owned(), receiver.to_owned()))
}

/// Which cells: the matrix's and the versions report's selection flags.
#[derive(Debug, Args)]
struct SelectArgs {
    /// Patterns to run (repeat or comma-separate); all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    pattern: Vec<Pattern>,
    /// Transports to run; all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    transport: Vec<Transport>,
    /// Peers to pair with each other (every ordered pair, each with itself too).
    #[arg(long, value_delimiter = ',', default_values_t = bootstrap::DEFAULT_PEERS.map(String::from))]
    peers: Vec<String>,
    /// REQ/REP cases; all by default.
    #[arg(long = "case", value_enum, value_delimiter = ',')]
    cases: Vec<Case>,
}

impl SelectArgs {
    fn selection(&self) -> Selection {
        Selection {
            patterns: or_all(&self.pattern, &Pattern::ALL),
            transports: or_all(&self.transport, &Transport::ALL),
            peers: self.peers.clone(),
            cases: or_all(&self.cases, &Case::ALL),
        }
    }
}

#[derive(Debug, Args)]
struct MatrixArgs {
    #[command(flatten)]
    select: SelectArgs,
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
        Command::Bench(args) => run_bench(&args),
        Command::Versions(args) => run_versions(&args),
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
    let selection = args.select.selection();
    anyhow::ensure!(!selection.peers.is_empty(), "--peers names no peer");
    let started = Instant::now();
    let peers = bootstrap_peers(&selection.peers)?;
    let mut params = Params::default();
    params.pubsub.seed = args.seed;
    params.reqrep.seed = args.seed;
    let cells = selection.cells();
    eprintln!("interop: running {} cells, {} at a time", cells.len(), args.jobs);
    let known = KnownIssues::load(&Workspace::locate()?)?;
    let outcomes = matrix::run_all(&cells, &peers, &params, args.jobs, &known, &|o| {
        eprintln!("{}", progress_line(o));
    });
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
    let mut outcome = matrix::run_cell(&cell, &peers, &params);
    KnownIssues::load(&Workspace::locate()?)?.apply(&mut outcome, &peers);
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

fn run_bench(args: &BenchArgs) -> anyhow::Result<bool> {
    anyhow::ensure!(
        args.threshold > 0.0 && args.threshold < 100.0,
        "--threshold must be between 0 and 100"
    );
    let baseline: Option<BenchReport> = args
        .baseline
        .as_ref()
        .map(|path| -> anyhow::Result<BenchReport> {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not a bench JSON report", path.display()))
        })
        .transpose()?;
    let pairs = if args.pairs.is_empty() {
        bench::default_pairs(&bootstrap::DEFAULT_PEERS)
    } else {
        args.pairs.clone()
    };
    let mut ids: Vec<String> = pairs.iter().flat_map(|(s, r)| [s.clone(), r.clone()]).collect();
    if args.reference {
        ids.extend(["c".to_owned(), "python".to_owned()]);
    }
    ids.sort();
    ids.dedup();
    let peers = bootstrap_peers(&ids)?;
    let references = if args.reference {
        let workspace = Workspace::locate()?;
        bench::reference::prepare(&workspace, &peers)
            .into_iter()
            .filter_map(|reference| {
                reference.map_err(|why| eprintln!("interop: reference unavailable: {why}")).ok()
            })
            .collect()
    } else {
        Vec::new()
    };
    let plan = bench::Plan {
        kinds: or_all(&args.kind, &[BenchKind::Thr, BenchKind::Lat]),
        pairs,
        transports: or_all(&args.transports, &Transport::ALL),
        sizes: args.sizes.clone(),
        repeat: usize::try_from(args.repeat).unwrap_or(1),
        target: std::time::Duration::from_millis(args.target_ms),
        hwm: args.hwm,
        references,
    };
    let total = plan.cells().len() * plan.runs_per_cell();
    let bar = indicatif::ProgressBar::new(total as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} runs, {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let results = plan.run(&peers, &|cell| {
        bar.set_message(cell.label());
        bar.inc(1);
    });
    bar.finish_and_clear();
    let report = BenchReport {
        results,
        machine: bench::report::machine(),
        peers: report::json::peers(&peers),
        date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        repeat: plan.repeat,
        hwm: plan.hwm,
    };
    let markdown = bench::report::to_markdown(&report);
    print!("{markdown}");
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.markdown {
        std::fs::write(path, &markdown)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(dir) = &args.svg {
        for file in bench::plot::write_svgs(&report, dir)? {
            eprintln!("interop: wrote {}", file.display());
        }
    }
    let failed: Vec<_> = report.results.iter().filter(|r| r.status == "fail").collect();
    for result in &failed {
        eprintln!(
            "FAIL {} {} {} {}: {}",
            result.kind.name(),
            result.transport,
            result.pair(),
            bench::human_size(result.size),
            result.reason
        );
    }
    let regressions = baseline
        .as_ref()
        .map(|b| bench::baseline::regressions(b, &report, args.threshold / 100.0))
        .unwrap_or_default();
    if !regressions.is_empty() {
        println!("\nslower than the baseline by more than {}%:", args.threshold);
        for regression in &regressions {
            println!("  {regression}");
        }
    }
    Ok(failed.is_empty() && regressions.is_empty())
}

fn run_versions(args: &VersionsArgs) -> anyhow::Result<bool> {
    let workspace = Workspace::locate()?;
    let versions = if args.pyzmq.is_empty() {
        harness::versions::default_versions(&workspace)?
    } else {
        args.pyzmq.clone()
    };
    let selection = args.select.selection();
    anyhow::ensure!(
        selection.peers.iter().any(|p| p == "python"),
        "--peers must include python: its pyzmq release is what varies"
    );
    let baseline: Option<serde_json::Value> = args
        .baseline
        .as_ref()
        .map(|path| -> anyhow::Result<serde_json::Value> {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not a JSON report", path.display()))
        })
        .transpose()?;
    let others: Vec<String> = selection.peers.iter().filter(|p| *p != "python").cloned().collect();
    let peers = bootstrap_peers(&others)?;
    let known = KnownIssues::load(&workspace)?;
    let columns = harness::versions::run(
        &workspace,
        &peers,
        &versions,
        &selection,
        &Params::default(),
        args.jobs,
        &known,
        &|step| eprintln!("interop: {step}"),
    );
    let json = harness::versions::to_json(&columns, &peers);
    let markdown = harness::versions::to_markdown(&columns);
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&json)? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.markdown {
        std::fs::write(path, &markdown)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    print!("{markdown}");
    let failed: Vec<String> = columns
        .iter()
        .flat_map(|c| {
            c.cells
                .iter()
                .filter(|o| o.status == Status::Fail)
                .map(move |o| format!("pyzmq {}: {}: {}", c.pyzmq, o.cell.name(), o.reason))
        })
        .collect();
    let unavailable = columns.iter().filter(|c| c.unavailable.is_some()).count();
    for line in &failed {
        println!("FAIL {line}");
    }
    let regressions =
        baseline.as_ref().map(|b| harness::versions::regressions(b, &json)).unwrap_or_default();
    if !regressions.is_empty() {
        println!("\nregressions against the baseline:");
        for line in &regressions {
            println!("  {line}");
        }
    }
    Ok(failed.is_empty() && regressions.is_empty() && unavailable == 0)
}
