//! Plots as bmtool draws them, written as SVG with plotters: the synapse run's panels
//! (synaptic current with numbered peaks, then the clamp current or soma voltage,
//! then any other recorded variables), the three frequency-response panels, and the
//! voltages of both gap-coupled cells.
//!
//! Presentation only: every function takes finished numbers and returns SVG text.

use crate::report::FrequencyResponse;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Why a plot could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("nothing to plot: {what} has no finite point in range")]
    NoData { what: String },
    #[error("{what}: x has {x} points but y has {y}")]
    LengthMismatch { what: String, x: usize, y: usize },
    #[error("drawing failed: {message}")]
    Draw { message: String },
    #[error("{path}: cannot write: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// One panel of the synapse figure.
#[derive(Clone, Copy, Debug)]
pub struct TracePanel<'a> {
    /// ms.
    pub t: &'a [f64],
    pub y: &'a [f64],
    /// bmtool's labels: "Synaptic Current (pA)", "VClamp Current (pA)", "Soma Voltage (mV)".
    pub y_label: &'a str,
    /// Samples to number 1, 2, ... (bmtool's train peaks); empty for none.
    pub peaks: &'a [usize],
}

/// bmtool's `_plot_model`: panels in a two-column grid, `xlim` in ms, titled
/// "Connection: {connection}".
pub fn synapse_traces(
    connection: &str,
    panels: &[TracePanel<'_>],
    xlim: (f64, f64),
) -> Result<String, PlotError> {
    let mut data = Vec::with_capacity(panels.len());
    for (k, p) in panels.iter().enumerate() {
        let what = format!("panel {} ({})", k + 1, p.y_label);
        data.push(points_in(p.t, p.y, xlim, &what)?);
    }
    let rows = panels.len().div_ceil(2).max(1);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (1200, 350 * rows as u32 + 50)).into_drawing_area();
        draw_synapse(&root, connection, panels, &data, xlim, rows).map_err(draw_error)?;
    }
    Ok(svg)
}

fn draw_synapse(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    connection: &str,
    panels: &[TracePanel<'_>],
    data: &[Vec<(f64, f64)>],
    xlim: (f64, f64),
    rows: usize,
) -> DrawResult {
    root.fill(&WHITE)?;
    let root = root.titled(&format!("Connection: {connection}"), ("sans-serif", 22))?;
    let areas = root.split_evenly((rows, 2));
    for ((panel, points), area) in panels.iter().zip(data).zip(&areas) {
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(xlim.0..xlim.1, y_range(points))?;
        chart
            .configure_mesh()
            .x_desc("Time (ms)")
            .y_desc(panel.y_label)
            .draw()?;
        chart.draw_series(LineSeries::new(points.iter().copied(), &BLUE))?;
        let labels = panel.peaks.iter().enumerate().filter_map(|(n, &i)| {
            let (x, y) = (*panel.t.get(i)?, *panel.y.get(i)?);
            (x.is_finite() && y.is_finite())
                .then(|| Text::new(format!("{}", n + 1), (x, y), ("sans-serif", 15).into_font()))
        });
        chart.draw_series(labels)?;
    }
    root.present()?;
    Ok(())
}

/// bmtool's `_plot_frequency_analysis`: PPR and simple PPR, induction, recovery
/// against frequency (log axis when `log_x`), with reference lines at 1 and 0.
pub fn frequency_response(resp: &FrequencyResponse, log_x: bool) -> Result<String, PlotError> {
    let f = &resp.frequencies;
    let series = [
        ("Normalized PPR", &resp.ppr),
        ("Simple PPR", &resp.simple_ppr),
        ("Induction", &resp.induction),
        ("Recovery", &resp.recovery),
    ];
    let mut pts = Vec::new();
    for (name, y) in series {
        pts.push(points_in(f, y, (f64::NEG_INFINITY, f64::INFINITY), name)?);
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1800, 500)).into_drawing_area();
        draw_frequency(&root, &pts, log_x).map_err(draw_error)?;
    }
    Ok(svg)
}

fn draw_frequency(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    pts: &[Vec<(f64, f64)>],
    log_x: bool,
) -> DrawResult {
    root.fill(&WHITE)?;
    let areas = root.split_evenly((1, 3));
    for (panel, area) in FREQUENCY_PANELS.iter().zip(&areas) {
        draw_frequency_panel(area, panel, pts, log_x)?;
    }
    root.present()?;
    Ok(())
}

/// One of bmtool's three frequency panels.
struct FrequencyPanel {
    title: &'static str,
    y_label: &'static str,
    /// Indices into the series: Normalized PPR, Simple PPR, Induction, Recovery.
    series: &'static [usize],
    /// The dashed line: 1 for PPR, 0 otherwise.
    reference: f64,
}

const FREQUENCY_PANELS: [FrequencyPanel; 3] = [
    FrequencyPanel {
        title: "PPR vs Frequency",
        y_label: "Paired Pulse Ratio",
        series: &[0, 1],
        reference: 1.0,
    },
    FrequencyPanel {
        title: "Induction vs Frequency",
        y_label: "Induction",
        series: &[2],
        reference: 0.0,
    },
    FrequencyPanel {
        title: "Recovery vs Frequency",
        y_label: "Recovery",
        series: &[3],
        reference: 0.0,
    },
];

fn draw_frequency_panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    panel: &FrequencyPanel,
    pts: &[Vec<(f64, f64)>],
    log_x: bool,
) -> DrawResult {
    let chosen: Vec<&Vec<(f64, f64)>> = panel.series.iter().filter_map(|&k| pts.get(k)).collect();
    let all: Vec<(f64, f64)> = chosen.iter().flat_map(|p| p.iter().copied()).collect();
    let (y0, y1) = padded(all.iter().map(|p| p.1).chain([panel.reference]));
    let (x_lo, x_hi) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.0), h.max(p.0))
        });
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(panel.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60);
    if log_x && x_lo > 0.0 {
        let (x0, x1) = (x_lo / 1.25, x_hi * 1.25);
        let mut chart = builder.build_cartesian_2d((x0..x1).log_scale(), y0..y1)?;
        draw_freq_series(&mut chart, panel, &chosen, (x0, x1), y1 - y0)
    } else {
        let (x0, x1) = padded(all.iter().map(|p| p.0));
        let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1)?;
        draw_freq_series(&mut chart, panel, &chosen, (x0, x1), y1 - y0)
    }
}

fn draw_freq_series<'a, X>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, RangedCoordf64>>,
    panel: &FrequencyPanel,
    series: &[&Vec<(f64, f64)>],
    xr: (f64, f64),
    y_span: f64,
) -> DrawResult
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("Frequency (Hz)")
        .y_desc(panel.y_label)
        .y_label_formatter(&|v| tick_label(*v, y_span))
        .draw()?;
    let reference = panel.reference;
    let names = ["Normalized PPR", "Simple PPR"];
    let gray = RGBColor(128, 128, 128).mix(0.5);
    chart.draw_series(DashedLineSeries::new(
        [(xr.0, reference), (xr.1, reference)],
        6,
        4,
        gray.stroke_width(1),
    ))?;
    let colors = [BLUE, RED];
    for (k, pts) in series.iter().enumerate() {
        let color = colors[k % 2];
        let drawn = chart.draw_series(LineSeries::new(pts.iter().copied(), &color))?;
        if series.len() > 1 {
            drawn
                .label(names.get(k).copied().unwrap_or(""))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        }
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
    }
    if series.len() > 1 {
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
    }
    Ok(())
}

/// bmtool's `GapJunctionTuner.plot_model`: both cells' voltages from `tstart - 100`
/// to `tstart + tdur + 100`, cell 1 blue, cell 2 red.
pub fn gap_voltages(
    cell: &str,
    t: &[f64],
    v1: &[f64],
    v2: &[f64],
    t_range: (f64, f64),
) -> Result<String, PlotError> {
    let p1 = points_in(t, v1, t_range, "cell 1 voltage")?;
    let p2 = points_in(t, v2, t_range, "cell 2 voltage")?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 600)).into_drawing_area();
        draw_gap(&root, cell, &p1, &p2, t_range).map_err(draw_error)?;
    }
    Ok(svg)
}

fn draw_gap(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    cell: &str,
    p1: &[(f64, f64)],
    p2: &[(f64, f64)],
    t_range: (f64, f64),
) -> DrawResult {
    root.fill(&WHITE)?;
    let (y0, y1) = padded(p1.iter().chain(p2).map(|p| p.1));
    let mut chart = ChartBuilder::on(root)
        .caption(format!("{cell} gap junction"), ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(t_range.0..t_range.1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("Time (ms)")
        .y_desc("Membrane Voltage (mV)")
        .draw()?;
    for (pts, color, n) in [(p1, BLUE, 1), (p2, RED, 2)] {
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), &color))?
            .label(format!("{cell} {n}"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// Writes SVG text to `path`.
pub fn write_svg(path: &Path, svg: &str) -> Result<(), PlotError> {
    std::fs::write(path, svg).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn draw_error(e: Box<dyn std::error::Error>) -> PlotError {
    PlotError::Draw {
        message: e.to_string(),
    }
}

/// The finite points with `x` in `range`.
fn points_in(
    x: &[f64],
    y: &[f64],
    range: (f64, f64),
    what: &str,
) -> Result<Vec<(f64, f64)>, PlotError> {
    if x.len() != y.len() {
        return Err(PlotError::LengthMismatch {
            what: what.to_string(),
            x: x.len(),
            y: y.len(),
        });
    }
    let pts: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite() && **a >= range.0 && **a <= range.1)
        .map(|(a, b)| (*a, *b))
        .collect();
    if pts.is_empty() {
        return Err(PlotError::NoData {
            what: what.to_string(),
        });
    }
    Ok(pts)
}

/// A tick label readable at any scale: scientific notation for tiny or huge spans.
fn tick_label(v: f64, span: f64) -> String {
    if span > 0.0 && !(1e-2..1e5).contains(&span) {
        format!("{v:.2e}")
    } else {
        format!("{v:.2}")
    }
}

fn y_range(points: &[(f64, f64)]) -> std::ops::Range<f64> {
    let (lo, hi) = padded(points.iter().map(|p| p.1));
    lo..hi
}

/// The finite values' range with 5 % margins; a (nearly) flat range is widened to
/// ±5 % of its magnitude, at least ±0.1.
fn padded(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    let magnitude = lo.abs().max(hi.abs());
    if span <= 1e-9 * magnitude.max(1.0) {
        let pad = (0.05 * magnitude).max(0.1);
        return (lo - pad, hi + pad);
    }
    (lo - 0.05 * span, hi + 0.05 * span)
}
