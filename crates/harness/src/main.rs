//! `interop`: builds or finds the peers of the registry, runs the interop matrix, the
//! benchmarks and the pyzmq release matrix, and reports.
//!
//! Exit status: 0 when nothing failed (skips allowed), 1 when a cell failed or a result
//! regressed, 2 for a usage or set-up error, 128 + the signal when interrupted (130 SIGINT,
//! 143 SIGTERM).

mod commands;

use clap::{Parser, Subcommand};
use commands::{bench, cases, cell, matrix, peers, report, versions};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "interop",
    version,
    about = "ZeroMQ interop between independent engines and bindings"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every cell of the selected patterns, transports and peers, in parallel.
    Matrix(matrix::MatrixArgs),
    /// Run one cell, showing its commands (and its data with --show-data).
    Cell(cell::CellArgs),
    /// Build or find the peers and show what was found, with versions and transports.
    Peers(peers::PeersArgs),
    /// List the case catalog: what each case sends and what passes.
    Cases(cases::CasesArgs),
    /// Work on reports: merge the shards of a partitioned run.
    Report(report::ReportArgs),
    /// Measure throughput and latency of every pairing (one cell at a time).
    Bench(bench::BenchArgs),
    /// Run the release axes in one report: the matrix per pyzmq release, libzmq releases against each other
    Versions(versions::VersionsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(why) = harness::settings::check() {
        eprintln!("interop: error: {why}");
        return ExitCode::from(2);
    }
    // SIGINT, SIGTERM (what a CI cancel sends), SIGHUP, Ctrl-C: every wait notices, kills its
    // children, and the reports say the run was interrupted and by what.
    watch_signals();
    let result = match cli.command {
        Command::Matrix(args) => matrix::run(&args),
        Command::Cell(args) => cell::run(&args),
        Command::Peers(args) => peers::run(&args),
        Command::Cases(args) => cases::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Versions(args) => versions::run(&args),
    };
    // The wineserver the Windows peers ran on, if any ran: nothing outlives the run.
    harness::bootstrap::wine::stop();
    match result {
        _ if harness::process::cancelled() => {
            let (signal, name) = harness::process::interrupted_by().unwrap_or((2, "SIGINT"));
            eprintln!("interop: interrupted by {name}");
            ExitCode::from(u8::try_from(128 + signal).unwrap_or(130))
        }
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("interop: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(unix)]
fn watch_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        std::thread::spawn(move || {
            for signal in signals.forever() {
                harness::process::cancel_by(signal);
            }
        });
    }
}

#[cfg(not(unix))]
fn watch_signals() {
    let _ = ctrlc::set_handler(|| harness::process::cancel_by(2));
}
