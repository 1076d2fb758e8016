//! `interop bench`: throughput and latency of every pairing, reports, plots, baseline check.

use super::{ReportFiles, bootstrap_peers, or_all};
use clap::Args;
use contract::output::BenchKind;
use harness::bench::{self, report::BenchReport};
use harness::report;
use harness::transport::Transport;
use harness::workspace::Workspace;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct BenchArgs {
    /// thr (PUSH/PULL throughput), lat (REQ/REP latency); both by default.
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub(crate) kind: Vec<BenchKind>,
    /// sender:receiver pairs; by default each peer with itself, then each with c both ways.
    #[arg(long, value_delimiter = ',', value_parser = parse_pair)]
    pub(crate) pairs: Vec<(String, String)>,
    /// Transports; tcp and ipc by default (hosts, hosts1g and ssh: across two hosts, each run
    /// followed by the same pair over loopback tcp for a run-by-run ratio).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub(crate) transports: Vec<Transport>,
    /// Message sizes in bytes.
    #[arg(long, value_delimiter = ',', default_values_t = bench::DEFAULT_SIZES)]
    pub(crate) sizes: Vec<u64>,
    /// Measured runs per cell (after a probe run that sizes them).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) repeat: u64,
    /// How long each measured run should last.
    #[arg(long, value_name = "MS", default_value_t = 150)]
    pub(crate) target_ms: u64,
    /// Throughput runs' high-water mark; 0 (the default) is unlimited, libzmq's own default and
    /// its perf tools' is 1000.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..))]
    pub(crate) hwm: i32,
    /// Also measure the yardsticks: libzmq's perf tools (for c:c) and a bare pyzmq loop (for
    /// python:python), with the same message counts.
    #[arg(long)]
    pub(crate) reference: bool,
    /// A sender:receiver pair run right after every run of every other pair, with the same
    /// count: each pair's speed as the median of its run-by-run ratios to this one (c:c).
    #[arg(long, value_name = "PAIR", value_parser = parse_pair)]
    pub(crate) versus: Option<(String, String)>,
    #[command(flatten)]
    pub(crate) files: ReportFiles,
    /// Write throughput.svg and latency.svg into this directory.
    #[arg(long, value_name = "DIR")]
    pub(crate) svg: Option<PathBuf>,
    /// Compare with an earlier JSON report: a slowdown beyond the threshold makes the exit status 1.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Slowdown, in percent, that counts as a regression.
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub(crate) threshold: f64,
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

pub(crate) fn run(args: &BenchArgs) -> anyhow::Result<bool> {
    anyhow::ensure!(
        args.threshold > 0.0 && args.threshold < 100.0,
        "--threshold must be between 0 and 100"
    );
    let reports = args.files.open(None, None)?;
    if let Some(dir) = &args.svg {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    let baseline: Option<BenchReport> = args
        .baseline
        .as_deref()
        .map(|path| report::model::read(path, report::model::ReportKind::Bench))
        .transpose()?;
    let pairs = if args.pairs.is_empty() {
        bench::default_pairs(&harness::settings::default_peers())
    } else {
        args.pairs.clone()
    };
    let mut ids: Vec<String> =
        pairs.iter().chain(&args.versus).flat_map(|(s, r)| [s.clone(), r.clone()]).collect();
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
        transports: or_all(&args.transports, &Transport::LOCAL),
        sizes: args.sizes.clone(),
        repeat: usize::try_from(args.repeat).unwrap_or(1),
        target: std::time::Duration::from_millis(args.target_ms),
        hwm: args.hwm,
        references,
        versus: args.versus.clone(),
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
        kind: report::model::ReportKind::Bench,
        format_version: report::model::FORMAT_VERSION,
        results,
        machine: bench::report::machine(),
        peers: report::json::peers(&peers),
        date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        repeat: plan.repeat,
        hwm: plan.hwm,
    };
    let markdown = bench::report::to_markdown(&report);
    print!("{markdown}");
    reports.write(&report, &markdown, String::new, || Ok(String::new()))?;
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
