//! `interop matrix`: every selected cell, in parallel, with the reports.

use super::{SelectArgs, bootstrap_peers};
use anyhow::Context;
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
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
    /// Write the JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) junit: Option<PathBuf>,
    /// Write the Markdown report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) markdown: Option<PathBuf>,
    /// Cells run at once.
    #[arg(long, value_name = "N", default_value_t = matrix::default_jobs())]
    pub(crate) jobs: usize,
    /// fakehw seed for every cell.
    #[arg(long, value_name = "S", default_value_t = 12345)]
    pub(crate) seed: u32,
}

pub(crate) fn run(args: &MatrixArgs) -> anyhow::Result<bool> {
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

pub(crate) fn write_reports(
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
