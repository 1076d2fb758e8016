//! `interop versions`: the matrix once per pyzmq release, one report, baseline regressions.

use super::{GridFile, ReportFiles, SelectArgs, bootstrap_peers};
use clap::Args;
use harness::cell::Status;
use harness::known_issues::KnownIssues;
use harness::matrix::{self, Params};
use harness::report;
use harness::workspace::Workspace;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct VersionsArgs {
    /// pyzmq releases; by default those in python/pyzmq-versions.txt.
    #[arg(long, value_delimiter = ',')]
    pub(crate) pyzmq: Vec<String>,
    #[command(flatten)]
    pub(crate) select: SelectArgs,
    #[command(flatten)]
    pub(crate) files: ReportFiles,
    #[command(flatten)]
    pub(crate) grid: GridFile,
    /// Compare with an earlier JSON report: a cell that passed there and does not now makes the
    /// exit status 1.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Cells run at once.
    #[arg(long, value_name = "N", default_value_t = matrix::default_jobs(), value_parser = contract::options::in_range(1..=256_usize))]
    pub(crate) jobs: usize,
}

pub(crate) fn run(args: &VersionsArgs) -> anyhow::Result<bool> {
    let workspace = Workspace::locate()?;
    let versions = if args.pyzmq.is_empty() {
        harness::versions::default_versions(&workspace)?
    } else {
        args.pyzmq.clone()
    };
    for release in &args.pyzmq {
        harness::versions::check_release(release).map_err(anyhow::Error::msg)?;
    }
    let reports = args.files.open(args.grid.html.as_ref(), None)?;
    let selection = args.select.selection();
    anyhow::ensure!(
        selection.peers.iter().any(|p| p == "python"),
        "--peers must include python: its pyzmq release is what varies"
    );
    let baseline: Option<harness::versions::VersionsJson> = args
        .baseline
        .as_deref()
        .map(|path| report::model::read(path, report::model::ReportKind::Versions))
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
    let plan = report::model::RunPlan::of(&selection, &versions);
    let json = harness::versions::to_json(&columns, &peers, plan);
    let markdown = harness::versions::to_markdown(&columns);
    let html = || {
        let titles: Vec<String> = columns
            .iter()
            .map(|c| match &c.libzmq {
                Some(libzmq) => format!("pyzmq {} (libzmq {libzmq})", c.pyzmq),
                None => format!("pyzmq {} (not installed)", c.pyzmq),
            })
            .collect();
        let sections: Vec<harness::report::html::Section<'_>> = columns
            .iter()
            .zip(&titles)
            .map(|(c, title)| harness::report::html::Section { title, outcomes: &c.cells })
            .collect();
        harness::report::html::to_html("zmq-interop across pyzmq releases", "", &sections)
    };
    reports.write(&json, &markdown, html, || Ok(String::new()))?;
    print!("{markdown}");
    let failed: Vec<String> = columns
        .iter()
        .flat_map(|c| {
            c.cells
                .iter()
                .filter(|o| matches!(o.status, Status::Fail | Status::Xpass))
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
