//! SVG plots of a bench report (plotters): throughput and latency against message size, log
//! axes, one line per pair, tcp and ipc side by side.

use super::BenchResult;
use super::report::BenchReport;
use crate::transport::Transport;
use anyhow::Context;
use contract::output::BenchKind;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// What a plot shows of one result.
type Metric = fn(&BenchResult) -> Option<f64>;

fn throughput(result: &BenchResult) -> Option<f64> {
    result.mb_per_s.map(|s| s.median)
}

fn latency(result: &BenchResult) -> Option<f64> {
    result.half_rtt_us.map(|p| p.p50)
}

/// Writes `throughput.svg` and `latency.svg` (for the kinds present) into `dir`; returns the
/// files written.
///
/// # Errors
/// A directory or drawing error, with the file named.
pub fn write_svgs(report: &BenchReport, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    let plots: [(BenchKind, &str, &str, Metric); 2] = [
        (BenchKind::Thr, "throughput.svg", "throughput (MB/s, median)", throughput),
        (BenchKind::Lat, "latency.svg", "half round trip (µs, p50)", latency),
    ];
    for (kind, file, y_label, metric) in plots {
        let results: Vec<&BenchResult> = report
            .results
            .iter()
            .filter(|r| {
                r.kind == kind && r.is_ok() && r.paired_with.is_none() && r.loopback_for.is_none()
            })
            .collect();
        if results.is_empty() {
            continue;
        }
        let path = dir.join(file);
        draw(&path, &results, y_label, metric)
            .with_context(|| format!("cannot draw {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn draw(
    path: &Path,
    results: &[&BenchResult],
    y_label: &str,
    metric: Metric,
) -> anyhow::Result<()> {
    // One panel per transport measured (tcp and ipc at least, so the usual plot keeps its shape).
    let transports: Vec<Transport> = Transport::ALL
        .into_iter()
        .filter(|t| Transport::LOCAL.contains(t) || results.iter().any(|r| r.transport == *t))
        .collect();
    let width = 600 * u32::try_from(transports.len()).unwrap_or(2);
    let root = SVGBackend::new(path, (width, 520)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
    let panels = root.split_evenly((1, transports.len()));
    let values: Vec<f64> = results.iter().filter_map(|r| metric(r)).filter(|v| *v > 0.0).collect();
    let (low, high) =
        values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let (low, high) = if values.is_empty() { (1.0, 10.0) } else { (low / 2.0, high * 2.0) };
    #[allow(clippy::cast_precision_loss)]
    let (small, large) =
        results.iter().fold((u64::MAX, 0), |(s, l), r| (s.min(r.size), l.max(r.size)));
    #[allow(clippy::cast_precision_loss)]
    let sizes = (small.max(1) as f64 / 1.5)..(large.max(2) as f64 * 1.5);
    // One colour per pair across both panels, in the order pairs first appear.
    let mut pairs: Vec<String> = Vec::new();
    for result in results {
        if !pairs.contains(&result.pair()) {
            pairs.push(result.pair());
        }
    }
    for (panel, &transport) in panels.iter().zip(&transports) {
        let mut chart = ChartBuilder::on(panel)
            .caption(format!("{transport}"), ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(sizes.clone().log_scale(), (low..high).log_scale())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .configure_mesh()
            .x_desc("message size (bytes)")
            .y_desc(y_label)
            .x_label_formatter(&|v| decimal_size(*v))
            .draw()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        for (index, pair) in pairs.iter().enumerate() {
            let color = Palette99::pick(index).to_rgba();
            #[allow(clippy::cast_precision_loss)]
            let points: Vec<(f64, f64)> = results
                .iter()
                .filter(|r| r.transport == transport && &r.pair() == pair)
                .filter_map(|r| metric(r).map(|v| (r.size as f64, v)))
                .collect();
            if points.is_empty() {
                continue;
            }
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .label(pair.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
            chart
                .draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    root.present().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Axis labels at decimal ticks: `100 B`, `1 kB`, `10 kB`, `1 MB`.
fn decimal_size(bytes: f64) -> String {
    match bytes {
        b if b >= 1e6 => format!("{} MB", b / 1e6),
        b if b >= 1e3 => format!("{} kB", b / 1e3),
        b => format!("{b} B"),
    }
}
