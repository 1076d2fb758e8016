//! `interop report merge SHARD.json...`: the shards of a `--partition`ed matrix joined back into
//! one report (JSON, JUnit, Markdown, HTML) and one verdict.

use super::{GridFile, ReportFiles};
use clap::{Args, Subcommand};
use harness::known_issues::KnownIssues;
use harness::report::{self, Report, model};
use harness::workspace::Workspace;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    #[command(subcommand)]
    pub(crate) action: ReportAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReportAction {
    /// Merge the JSON reports of one plan's shards (`matrix --partition`) into one report: a
    /// cell no shard reported fails as missing; the known issues are applied after merging.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// The shards' JSON reports, in any order.
    #[arg(required = true, value_name = "SHARD.json")]
    pub(crate) shards: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) files: ReportFiles,
    #[command(flatten)]
    pub(crate) grid: GridFile,
    /// Write the JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub(crate) junit: Option<PathBuf>,
}

pub(crate) fn run(args: &ReportArgs) -> anyhow::Result<bool> {
    let ReportAction::Merge(args) = &args.action;
    let reports = args.files.open(args.grid.html.as_ref(), args.junit.as_ref())?;
    let shards = args
        .shards
        .iter()
        .map(|path| {
            model::read::<model::MatrixJson>(path, model::ReportKind::Matrix)
                .map(|shard| (path.display().to_string(), shard))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let known = KnownIssues::load(&Workspace::locate()?)?;
    let merged = harness::merge::merge(&shards, &known).map_err(anyhow::Error::msg)?;
    let duration_ms = shards.iter().map(|(_, s)| s.summary.duration_ms).max().unwrap_or(0);
    let report = Report {
        plan: merged.plan.clone(),
        outcomes: &merged.outcomes,
        peers: merged.peers.clone(),
        duration: std::time::Duration::from_millis(u64::try_from(duration_ms).unwrap_or(u64::MAX)),
    };
    super::matrix::write_reports(&report, reports)?;
    print!("{}", report::table::to_table(&report));
    if merged.missing > 0 {
        println!(
            "\n{} cells of the plan are missing: a shard did not run or did not report",
            merged.missing
        );
    }
    let details = report::table::all_failure_details(&report);
    if !details.is_empty() {
        println!("\nfailures:\n{details}");
    }
    Ok(!report.failed())
}
