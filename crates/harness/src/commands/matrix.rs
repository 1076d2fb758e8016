//! `interop matrix`: every selected cell, in parallel, with the reports.

use super::{GridFile, OpenReports, ReportFiles, SelectArgs, bootstrap_peers};
use clap::Args;
use harness::cell::Outcome;
use harness::known_issues::KnownIssues;
use harness::matrix::{self, Params};
use harness::report::{self, Report};
use harness::workspace::Workspace;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Args)]
pub(crate) struct MatrixArgs {
    #[command(flatten)]
    pub(crate) select: SelectArgs,
    #[command(flatten)]
    pub(crate) files: ReportFiles,
    #[command(flatten)]
    pub(crate) grid: GridFile,
    /// Write the JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) junit: Option<PathBuf>,
    /// Cells run at once.
    #[arg(long, value_name = "N", default_value_t = matrix::default_jobs(), value_parser = contract::options::in_range(1..=256_usize))]
    pub(crate) jobs: usize,
    /// fakehw seed for every cell.
    #[arg(long, value_name = "S", default_value_t = 12345)]
    pub(crate) seed: u32,
    /// Run the selection N times and report each cell's count per outcome; a cell that both
    /// passed and failed is FLAKY, a failure of the run.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = contract::options::in_range(1..=10_000_u32))]
    pub(crate) repeat: u32,
}

pub(crate) fn run(args: &MatrixArgs) -> anyhow::Result<bool> {
    let selection = args.select.selection();
    anyhow::ensure!(!selection.peers.is_empty(), "--peers names no peer");
    let reports = args.files.open(args.grid.html.as_ref(), args.junit.as_ref())?;
    let started = Instant::now();
    let peers = bootstrap_peers(&selection.peers)?;
    let mut params = Params::default();
    params.pubsub.seed = args.seed;
    params.reqrep.seed = args.seed;
    let cells = selection.cells();
    eprintln!("interop: running {} cells, {} at a time", cells.len(), args.jobs);
    let known = KnownIssues::load(&Workspace::locate()?)?;
    let mut rounds = Vec::new();
    for round in 1..=args.repeat {
        if args.repeat > 1 {
            eprintln!("interop: round {round} of {}", args.repeat);
        }
        rounds.push(matrix::run_all(&cells, &peers, &params, args.jobs, &known, &|o| {
            eprintln!("{}", progress_line(o));
        }));
        if harness::process::cancelled() {
            break;
        }
    }
    let outcomes = if args.repeat > 1 {
        matrix::fold_repeats(rounds)
    } else {
        rounds.pop().unwrap_or_default()
    };
    let plan = report::model::RunPlan::of(&selection, &[]);
    let report = Report {
        plan,
        outcomes: &outcomes,
        peers: report::json::peers(&peers),
        duration: started.elapsed(),
    };
    write_reports(&report, reports)?;
    print!("{}", report::table::to_table(&report));
    let details = report::table::all_failure_details(&report);
    if !details.is_empty() {
        println!("\nfailures:\n{details}");
    }
    Ok(!report.failed())
}

pub(crate) fn progress_line(outcome: &Outcome) -> String {
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

/// Writes the matrix report files that were asked for (opened before the run).
pub(crate) fn write_reports(report: &Report<'_>, reports: OpenReports) -> anyhow::Result<()> {
    let subtitle = format!(
        "{} cells in {} on {} {} ({} CPUs)",
        report.outcomes.len(),
        report::human_duration(report.duration.as_millis()),
        std::env::consts::OS,
        std::env::consts::ARCH,
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    reports.write(
        &report::json::to_model(report),
        &report::markdown::to_markdown(report),
        || {
            let sections = [report::html::Section { title: "", outcomes: report.outcomes }];
            report::html::to_html("zmq-interop results", &subtitle, &sections)
        },
        || report::junit::to_xml(report),
    )
}
