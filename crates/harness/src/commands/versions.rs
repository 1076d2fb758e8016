//! `interop versions`: the pyzmq and libzmq release axes, one report, baseline regressions.

use super::{GridFile, ReportFiles, SelectArgs, bootstrap_peers};
use clap::Args;
use harness::cell::Status;
use harness::known_issues::KnownIssues;
use harness::matrix::{self, Params};
use harness::registry;
use harness::report;
use harness::workspace::Workspace;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct VersionsArgs {
    /// pyzmq releases; by default (when --libzmq names none) those in
    /// python/pyzmq-versions.txt.
    #[arg(long, value_delimiter = ',')]
    pub(crate) pyzmq: Vec<String>,
    /// libzmq releases (4.3.1, 4.3.2, 4.3.4, 4.3.5): the C peer built on each, against every
    /// other and every selected peer.
    #[arg(long, value_delimiter = ',')]
    pub(crate) libzmq: Vec<String>,
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
    let libzmq: Vec<(String, String)> = args
        .libzmq
        .iter()
        .map(|v| registry::release_peer(v).map(|id| (v.clone(), id.to_owned())))
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)?;
    // The pyzmq axis runs when asked for, or when no axis is named.
    let pyzmq = match (args.pyzmq.is_empty(), libzmq.is_empty()) {
        (false, _) => harness::versions::named_versions(&workspace, &args.pyzmq)?,
        (true, true) => harness::versions::default_versions(&workspace)?,
        (true, false) => Vec::new(),
    };
    let reports = args.files.open(args.grid.html.as_ref(), None)?;
    let selection = args.select.selection();
    anyhow::ensure!(
        pyzmq.is_empty() || selection.peers.iter().any(|p| p == "python"),
        "--peers must include python: its pyzmq release is what varies"
    );
    let baseline: Option<harness::versions::VersionsJson> = args
        .baseline
        .as_deref()
        .map(|path| report::model::read(path, report::model::ReportKind::Versions))
        .transpose()?;
    // The pyzmq axis puts its own Python peer in each column; the libzmq axis uses the default.
    let mut ids: Vec<String> =
        selection.peers.iter().filter(|p| *p != "python" || !libzmq.is_empty()).cloned().collect();
    ids.extend(libzmq.iter().map(|(_, id)| id.clone()).filter(|id| !selection.peers.contains(id)));
    let peers = bootstrap_peers(&ids)?;
    let known = KnownIssues::load(&workspace)?;
    let progress = |step: &str| eprintln!("interop: {step}");
    let columns = harness::versions::run(
        &workspace,
        &peers,
        &pyzmq,
        &selection,
        &Params::default(),
        args.jobs,
        &known,
        &progress,
    );
    let axis = (!libzmq.is_empty()).then(|| {
        progress(&format!("libzmq {}", args.libzmq.join(", ")));
        harness::versions::run_libzmq(
            &peers,
            &libzmq,
            &selection,
            &Params::default(),
            args.jobs,
            &known,
            &progress,
        )
    });
    let releases: Vec<String> = pyzmq
        .iter()
        .map(|r| format!("pyzmq {}", r.version))
        .chain(libzmq.iter().map(|(v, _)| format!("libzmq {v}")))
        .collect();
    let plan = report::model::RunPlan::of(&selection, &releases);
    let json = harness::versions::to_json(&columns, axis, &peers, plan);
    let mut markdown = String::new();
    if !columns.is_empty() {
        markdown.push_str(&harness::versions::to_markdown(&columns));
    }
    if let Some(axis) = &json.libzmq {
        if !markdown.is_empty() {
            markdown.push('\n');
        }
        markdown.push_str(&harness::versions::libzmq_markdown(axis));
    }
    let html = || {
        let mut titles: Vec<String> =
            columns.iter().map(harness::versions::Column::title).collect();
        if json.libzmq.is_some() {
            titles.push(format!("libzmq releases {}", args.libzmq.join(", ")));
        }
        let outcomes =
            columns.iter().map(|c| &c.cells).chain(json.libzmq.iter().map(|axis| &axis.cells));
        let sections: Vec<harness::report::html::Section<'_>> = outcomes
            .zip(&titles)
            .map(|(cells, title)| harness::report::html::Section { title, outcomes: cells })
            .collect();
        harness::report::html::to_html("zmq-interop across releases", "", &sections)
    };
    reports.write(&json, &markdown, html, || Ok(String::new()))?;
    print!("{markdown}");
    let failing = |o: &&harness::cell::Outcome| matches!(o.status, Status::Fail | Status::Xpass);
    let mut failed: Vec<String> = columns
        .iter()
        .flat_map(|c| {
            c.cells
                .iter()
                .filter(failing)
                .map(move |o| format!("pyzmq {}: {}: {}", c.pyzmq, o.cell.name(), o.reason))
        })
        .collect();
    if let Some(axis) = &json.libzmq {
        failed.extend(
            axis.cells
                .iter()
                .filter(failing)
                .map(|o| format!("libzmq: {}: {}", o.cell.name(), o.reason)),
        );
    }
    // A release this machine cannot install (no such old interpreter) is a skip, counted.
    let require_all = harness::settings::require_all();
    let unavailable =
        columns.iter().filter(|c| c.unavailable.is_some() && (!c.toolchain || require_all)).count()
            + json
                .libzmq
                .iter()
                .flat_map(|axis| &axis.peers)
                .filter(|p| p.release.is_some() && p.libzmq.is_none())
                .count();
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
