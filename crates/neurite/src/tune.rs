//! `neurite tune synapse|gap`: bmtool's SynapseTuner and GapJunctionTuner from the
//! command line, over `neurite_tuner::runner`.
//!
//! One JSON object on stdout with bmtool's keys and units, a human summary (and
//! progress for frequency sweeps) on stderr, exit 1 with the settings error (file, key,
//! what was expected) on bad input. Plots are written to a temporary file beside the
//! target and renamed, so a failed run never leaves a partial file. `neurite tune
//! synapse` without `--config` runs a built-in example: Neurite's own
//! `templates/neurite_cells.hoc` and `mod_files/AMPA_NMDA_STP.mod`, embedded in the
//! binary.

use clap::Subcommand;
use neurite_tuner::bmtk::{self, NetworkSettings};
use neurite_tuner::optimize::{default_cost, optimize_synapse, Bound, SynapseOptions, Targets};
use neurite_tuner::plot::{self, TracePanel};
use neurite_tuner::runner::synapse::DEFAULT_FREQUENCIES;
use neurite_tuner::runner::{GapJunctionTuner, RunnerError, SynapseRun, SynapseTuner};
use neurite_tuner::settings::{GapTunerSettings, SynapseTunerSettings};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The `neurite tune` subcommands.
#[derive(Debug, Subcommand)]
pub enum TuneCommand {
    /// bmtool's SynapseTuner: a single event (and a train with --train) through
    /// Neurite's simulation; without --config, a built-in example.
    Synapse(SynapseArgs),
    /// bmtool's GapJunctionTuner: the coupling coefficient of two cells.
    Gap(GapArgs),
}

/// Arguments of `neurite tune synapse`.
#[derive(Debug, clap::Args)]
pub struct SynapseArgs {
    /// Settings file (bmtool's keys) or a BMTK simulation_config.json; leave out for
    /// the built-in example.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The connection in conn_type_settings (needed when there are several); with a
    /// BMTK config, as bmtool names it (`PV2Exc`): left out, the connections are
    /// listed, or all tuned with --table.
    #[arg(long)]
    pub connection: Option<String>,
    /// Also run a train of 8 + 4 pulses at this frequency (Hz).
    #[arg(long)]
    pub train: Option<f64>,
    /// Recovery delay after the 8th pulse (ms).
    #[arg(long, default_value_t = 250.0)]
    pub delay: f64,
    /// Frequency response at these frequencies (Hz, comma-separated; `default` for
    /// bmtool's 16).
    #[arg(long)]
    pub frequencies: Option<String>,
    /// Print a table of every metric on stderr.
    #[arg(long)]
    pub table: bool,
    /// Fit synapse parameters: a JSON file with `bounds` ({name: [lo, hi]}),
    /// `targets` ({metric: value}), optional `train_hz` (50) and `max_iters` (200).
    #[arg(long)]
    pub optimize: Option<PathBuf>,
    /// Write bmtool's figure of the run to this SVG file.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

/// Arguments of `neurite tune gap`.
#[derive(Debug, clap::Args)]
pub struct GapArgs {
    /// Settings file (bmtool's keys).
    #[arg(long)]
    pub config: PathBuf,
    /// The connection (bmtool's default: the first).
    #[arg(long)]
    pub connection: Option<String>,
    /// Run at this conductance (µS); default: the settings' `conductances_uS`.
    #[arg(long, conflicts_with_all = ["target_cc", "sweep"])]
    pub conductance: Option<f64>,
    /// Fit the conductance giving this coupling coefficient (Brent, 1e-4..1e-2 µS).
    #[arg(long, conflicts_with = "sweep")]
    pub target_cc: Option<f64>,
    /// Sweep conductances: LO,HI,N (µS).
    #[arg(long)]
    pub sweep: Option<String>,
    /// Write both cells' voltages to this SVG file.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

/// Why `neurite tune` failed.
#[derive(Debug, thiserror::Error)]
pub enum TuneError {
    #[error(transparent)]
    Runner(#[from] RunnerError),
    #[error(transparent)]
    Settings(#[from] neurite_tuner::settings::SettingsError),
    #[error(transparent)]
    Plot(#[from] neurite_tuner::plot::PlotError),
    #[error(transparent)]
    Bmtk(#[from] neurite_tuner::bmtk::BmtkError),
    #[error("{option}: {message}")]
    Option {
        option: &'static str,
        message: String,
    },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
}

/// Runs a `neurite tune` subcommand; returns the exit code.
pub fn run(command: &TuneCommand) -> ExitCode {
    let result = match command {
        TuneCommand::Synapse(a) => synapse(a),
        TuneCommand::Gap(a) => gap(a),
    };
    match result {
        Ok(value) => {
            println!("{}", pretty(&value));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("neurite tune: {e}");
            ExitCode::from(1)
        }
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// `neurite tune synapse`.
pub fn synapse(a: &SynapseArgs) -> Result<Value, TuneError> {
    match &a.config {
        Some(path) => synapse_from(a, path, a.train),
        None => {
            let dir = Example::write()?;
            eprintln!("neurite tune: no --config: the built-in example (AMPA_NMDA_STP on NeuritePassive's dendrite)");
            let r = synapse_from(a, &dir.settings(), a.train.or(Some(50.0)));
            drop(dir);
            r
        }
    }
}

fn synapse_from(a: &SynapseArgs, path: &Path, train: Option<f64>) -> Result<Value, TuneError> {
    let Some(net) = bmtk_network(path)? else {
        let settings = SynapseTunerSettings::from_file(path)?;
        return tune_one(a, path, settings, a.connection.as_deref(), train);
    };
    let chosen = a.connection.clone().or(net.settings.connection.clone());
    for w in net.warnings_for(chosen.as_deref()) {
        eprintln!("neurite tune: {w}");
    }
    match chosen {
        Some(c) => {
            let settings = net.for_connection(&c)?;
            tune_one(a, path, settings, Some(&c), train)
        }
        None if a.table => tune_all(a, path, &net, train),
        None => Ok(list_connections(path, &net)),
    }
}

/// The BMTK network behind `path`: a BMTK config itself, or settings naming one
/// (`config`) with no `conn_type_settings` of their own (bmtool's
/// `SynapseTuner(config=...)`).
fn bmtk_network(path: &Path) -> Result<Option<NetworkSettings>, TuneError> {
    if bmtk::is_simulation_config(path) {
        return Ok(Some(bmtk::settings_for_config(path)?));
    }
    let settings = SynapseTunerSettings::from_file(path)?;
    if settings.config.is_some() && settings.conn_type_settings.is_empty() {
        return Ok(Some(bmtk::complete_settings(settings, path)?));
    }
    Ok(None)
}

/// No connection chosen: the network's connections (JSON on stdout, one line each
/// on stderr).
fn list_connections(path: &Path, net: &NetworkSettings) -> Value {
    eprintln!(
        "neurite tune: {} connections in {} (tune one with --connection NAME, all with --table):",
        net.connections.len(),
        path.display()
    );
    for c in &net.connections {
        let s = &c.settings.spec_settings;
        eprintln!(
            "  {:<20} {} -> {} ({}, edge type {}, {} edges): {} on {} all[{}]({})",
            c.name,
            c.source_pop,
            c.target_pop,
            c.network,
            c.edge_type_id,
            c.edges,
            s.level_of_detail,
            s.post_cell,
            s.sec_id,
            s.sec_x
        );
    }
    json!({
        "config": path.display().to_string(),
        "connections": net.connections.iter().map(|c| c.summary()).collect::<Vec<_>>(),
    })
}

/// `--table` with no connection chosen: every connection's single event (and
/// train), one row each on stderr.
fn tune_all(
    a: &SynapseArgs,
    path: &Path,
    net: &NetworkSettings,
    train: Option<f64>,
) -> Result<Value, TuneError> {
    for (set, option) in [
        (a.plot.is_some(), "--plot"),
        (a.optimize.is_some(), "--optimize"),
        (a.frequencies.is_some(), "--frequencies"),
    ] {
        if set {
            return Err(TuneError::Option {
                option,
                message: "needs --connection NAME (without it, --table tunes every connection)"
                    .into(),
            });
        }
    }
    let mut rows = Vec::new();
    for c in &net.connections {
        eprintln!("neurite tune: {}", c.name);
        let settings = net.for_connection(&c.name)?;
        let tuner = SynapseTuner::new(settings, path, Some(&c.name))?;
        let single = tuner.single_event()?;
        let trained = train.map(|f| tuner.train(f, a.delay)).transpose()?;
        rows.push(to_object(
            &tuner.report_of(Some(&single), trained.as_ref())?,
        ));
    }
    connection_table(&rows);
    Ok(json!({
        "config": path.display().to_string(),
        "connections": rows,
    }))
}

/// One row per connection of the main metrics, on stderr.
fn connection_table(rows: &[Map<String, Value>]) {
    let keys = [
        "amp",
        "latency",
        "rise_time",
        "decay_time",
        "half_width",
        "ppr",
        "induction",
        "recovery",
    ];
    let shown: Vec<&str> = keys
        .into_iter()
        .filter(|k| rows.iter().any(|r| r.contains_key(*k)))
        .collect();
    let mut header = format!("  {:<20}", "connection");
    for k in &shown {
        header.push_str(&format!(" {k:>12}"));
    }
    eprintln!("{header}");
    for r in rows {
        let name = r.get("connection").and_then(Value::as_str).unwrap_or("");
        let mut line = format!("  {name:<20}");
        for k in &shown {
            match r.get(*k).and_then(Value::as_f64) {
                Some(x) => line.push_str(&format!(" {x:>12.5}")),
                None => line.push_str(&format!(" {:>12}", "-")),
            }
        }
        eprintln!("{line}");
    }
}

/// One connection of `settings`: the single event, the options' runs, the report.
fn tune_one(
    a: &SynapseArgs,
    path: &Path,
    settings: SynapseTunerSettings,
    connection: Option<&str>,
    train: Option<f64>,
) -> Result<Value, TuneError> {
    let tuner = SynapseTuner::new(settings, path, connection)?;
    // Options are checked before any simulation runs.
    let freqs = a
        .frequencies
        .as_deref()
        .map(parse_frequencies)
        .transpose()?;
    let spec = a.optimize.as_deref().map(OptimizeSpec::read).transpose()?;
    let single = tuner.single_event()?;
    let trained = train.map(|f| tuner.train(f, a.delay)).transpose()?;
    let report = tuner.report_of(Some(&single), trained.as_ref())?;
    let mut out = to_object(&report);
    if let Some(f) = train {
        out.insert("train_hz".into(), json!(f));
        out.insert("recovery_delay".into(), json!(a.delay));
    }
    if let Some(freqs) = freqs {
        let mut progress = |k: usize, n: usize, f: f64| {
            eprintln!("neurite tune: train {}/{n} at {f} Hz", k + 1);
        };
        let resp = tuner.frequency_response(&freqs, a.delay, &mut progress)?;
        out.insert(
            "frequency_response".into(),
            serde_json::to_value(resp).unwrap_or(Value::Null),
        );
    }
    if let Some(spec) = &spec {
        out.insert("optimization".into(), optimize(&tuner, spec, a.delay)?);
    }
    let run = trained.as_ref().unwrap_or(&single);
    if let Some(p) = &a.plot {
        write_plot(p, &synapse_svg(&tuner, run)?)?;
    }
    summary(&out, a.table);
    Ok(Value::Object(out))
}

fn to_object<T: serde::Serialize>(v: &T) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

fn parse_frequencies(list: &str) -> Result<Vec<f64>, TuneError> {
    if list.trim() == "default" {
        return Ok(DEFAULT_FREQUENCIES.to_vec());
    }
    list.split(',')
        .map(|s| {
            s.trim().parse::<f64>().ok().filter(|f| f.is_finite() && *f > 0.0).ok_or_else(|| {
                TuneError::Option {
                    option: "--frequencies",
                    message: format!("`{s}` is not a positive frequency in Hz (expected e.g. 10,20,50 or `default`)"),
                }
            })
        })
        .collect()
}

/// The human summary on stderr: the main numbers, or every key with `--table`.
fn summary(out: &Map<String, Value>, table: bool) {
    let keys: &[&str] = if table {
        &[]
    } else {
        &[
            "amp",
            "latency",
            "rise_time",
            "decay_time",
            "half_width",
            "ppr",
            "induction",
            "recovery",
        ]
    };
    for (k, v) in out {
        if (table || keys.contains(&k.as_str())) && !v.is_object() {
            eprintln!("  {k:<16} {v}");
        }
    }
}

/// bmtool's figure of a run: synaptic current, then the clamp current or soma v.
fn synapse_svg(tuner: &SynapseTuner, run: &SynapseRun) -> Result<String, TuneError> {
    let i_pa: Vec<f64> = run.syn_current.iter().map(|x| x * 1000.0).collect();
    let ic_pa: Vec<f64> = run.clamp_current.iter().map(|x| x * 1000.0).collect();
    let g = &tuner.settings().general_settings;
    let vclamp = g.vclamp;
    // A train's numbered peaks, as bmtool draws them (none for a single event).
    let peaks = if run.spike_times.len() > 1 {
        let mode = tuner.settings().metrics;
        neurite_tuner::metrics::train_response(&run.recording(), vclamp, run.tstop, g.delay, mode)
            .map(|r| r.peak_indices)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let second = if vclamp {
        TracePanel {
            t: &run.t,
            y: &ic_pa,
            y_label: "VClamp Current (pA)",
            peaks: &[],
        }
    } else {
        TracePanel {
            t: &run.t,
            y: &run.soma_v,
            y_label: "Soma Voltage (mV)",
            peaks: &[],
        }
    };
    let first = TracePanel {
        t: &run.t,
        y: &i_pa,
        y_label: "Synaptic Current (pA)",
        peaks: &peaks,
    };
    let start = run.spike_times.first().copied().unwrap_or(0.0) - 10.0;
    Ok(plot::synapse_traces(
        tuner.connection(),
        &[first, second],
        (start.max(0.0), run.tstop),
    )?)
}

/// Writes `svg` to a temporary file beside `path`, then renames it.
fn write_plot(path: &Path, svg: &str) -> Result<(), TuneError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    plot::write_svg(&tmp, svg)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        TuneError::File {
            path: path.to_path_buf(),
            message: format!("cannot write: {e}"),
        }
    })?;
    eprintln!("neurite tune: wrote {}", path.display());
    Ok(())
}

/// `--optimize FILE`: bmtool's SynapseOptimizer over the settings' synapse.
fn optimize(tuner: &SynapseTuner, spec: &OptimizeSpec, delay: f64) -> Result<Value, TuneError> {
    // bmtool runs the single event only when asked (`run_single_event`); Neurite
    // when a target needs it.
    let single = neurite_tuner::runner::synapse::needs_single_event(spec.targets.keys());
    let mut model = |p: &BTreeMapF| {
        eprintln!("neurite tune: optimizer at {p:?}");
        tuner
            .with_params(p)
            .optimizer_metrics_with(spec.train_hz, delay, single)
            .map_err(|e| e.to_string())
    };
    let options = SynapseOptions {
        start: None,
        max_iters: spec.max_iters,
    };
    let found = optimize_synapse(
        &spec.bounds,
        &spec.targets,
        &default_cost_or_sum(&spec.targets),
        &options,
        &mut model,
    )
    .map_err(RunnerError::from)?;
    Ok(json!({
        "optimal_params": found.optimal_params,
        "target_metrics": found.target_metrics,
        "error": found.error,
        "evaluations": found.optimization_path.len(),
    }))
}

type BTreeMapF = std::collections::BTreeMap<String, f64>;

/// bmtool's default cost (induction only) when that is the only target, else the
/// squared error over every target.
fn default_cost_or_sum(
    targets: &Targets,
) -> fn(&neurite_tuner::optimize::SynapseMetrics, &Targets) -> f64 {
    if targets.keys().all(|k| k == "induction") {
        default_cost
    } else {
        neurite_tuner::optimize::squared_error
    }
}

/// The `--optimize` file.
struct OptimizeSpec {
    bounds: Vec<Bound>,
    targets: Targets,
    train_hz: f64,
    max_iters: u64,
}

impl OptimizeSpec {
    fn read(path: &Path) -> Result<OptimizeSpec, TuneError> {
        let err = |message: String| TuneError::File {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
        for key in v
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if !["bounds", "targets", "train_hz", "max_iters"].contains(&key.as_str()) {
                return Err(err(format!(
                    "unknown key `{key}` (expected bounds, targets, train_hz, max_iters)"
                )));
            }
        }
        let bounds = parse_bounds(&v["bounds"]).map_err(err)?;
        let targets = parse_targets(&v["targets"]).map_err(err)?;
        Ok(OptimizeSpec {
            bounds,
            targets,
            train_hz: v["train_hz"].as_f64().unwrap_or(50.0),
            max_iters: v["max_iters"].as_u64().unwrap_or(200),
        })
    }
}

/// `bounds`: `{name: [lo, hi]}`.
fn parse_bounds(v: &Value) -> Result<Vec<Bound>, String> {
    let map = v
        .as_object()
        .ok_or("`bounds` must be an object {name: [lo, hi]}")?;
    map.iter()
        .map(|(name, b)| match (b[0].as_f64(), b[1].as_f64()) {
            (Some(lo), Some(hi)) => Ok(Bound {
                name: name.clone(),
                lo,
                hi,
            }),
            _ => Err(format!("`bounds.{name}` must be [lo, hi]")),
        })
        .collect()
}

/// `targets`: `{metric: value}`, metrics named as bmtool's optimizer names them.
fn parse_targets(v: &Value) -> Result<Targets, String> {
    let map = v
        .as_object()
        .ok_or("`targets` must be an object {metric: value}")?;
    let known = neurite_tuner::optimize::SynapseMetrics::default();
    map.iter()
        .map(|(k, x)| {
            if known.get(k).is_none() {
                return Err(format!(
                    "`targets.{k}`: not a metric (induction, ppr, recovery, simple_ppr, \
                     max_amplitude, rise_time, decay_time, latency, half_width, baseline, amp)"
                ));
            }
            x.as_f64()
                .map(|x| (k.clone(), x))
                .ok_or_else(|| format!("`targets.{k}` must be a number"))
        })
        .collect()
}

/// `neurite tune gap`.
pub fn gap(a: &GapArgs) -> Result<Value, TuneError> {
    let settings = GapTunerSettings::from_file(&a.config)?;
    let tuner = GapJunctionTuner::from_settings(&settings, &a.config, a.connection.as_deref())?;
    let connection = a
        .connection
        .clone()
        .or_else(|| settings.conn_type_settings.keys().next().cloned());
    let mut out = Map::new();
    out.insert("connection".into(), json!(connection));
    out.insert(
        "metrics".into(),
        serde_json::to_value(settings.metrics).unwrap_or(Value::Null),
    );
    let plot_g = if let Some(target) = a.target_cc {
        gap_fit(&tuner, target, &mut out)?
    } else if let Some(spec) = &a.sweep {
        gap_sweep(&tuner, spec, &mut out)?
    } else {
        let g = a
            .conductance
            .or_else(|| settings.conductances_us.first().copied())
            .unwrap_or(1e-3);
        gap_single(&tuner, g, &mut out)?
    };
    if let Some(p) = &a.plot {
        let run = tuner.run(plot_g)?;
        let gs = tuner.general();
        let range = ((gs.tstart - 100.0).max(0.0), gs.tstart + gs.tdur + 100.0);
        let cell = connection.unwrap_or_default();
        write_plot(
            p,
            &plot::gap_voltages(&cell, &run.t, &run.v1, &run.v2, range)?,
        )?;
    }
    Ok(Value::Object(out))
}

/// `--target-cc`: the fitted conductance; returns it.
fn gap_fit(
    tuner: &GapJunctionTuner,
    target: f64,
    out: &mut Map<String, Value>,
) -> Result<f64, TuneError> {
    if !(target.is_finite() && target > 0.0 && target < 1.0) {
        return Err(TuneError::Option {
            option: "--target-cc",
            message: format!("{target}: a coupling coefficient lies between 0 and 1"),
        });
    }
    let mut progress = |g: f64, cc: f64| eprintln!("neurite tune: g = {g} uS: cc = {cc}");
    let fit = tuner.optimize_with(target, &mut progress)?;
    eprintln!(
        "neurite tune: g = {} uS gives cc = {} (target {target})",
        fit.conductance_us, fit.achieved_cc
    );
    out.insert("target_cc".into(), json!(target));
    out.insert("cc".into(), json!(fit.achieved_cc));
    out.insert("conductance_uS".into(), json!(fit.conductance_us));
    out.insert("resistance_MOhm".into(), json!(fit.resistance_mohm));
    out.insert("evaluations".into(), json!(fit.path.len()));
    Ok(fit.conductance_us)
}

/// `--sweep LO,HI,N`: the coupling at each conductance; returns HI.
fn gap_sweep(
    tuner: &GapJunctionTuner,
    spec: &str,
    out: &mut Map<String, Value>,
) -> Result<f64, TuneError> {
    let (lo, hi, n) = parse_sweep(spec)?;
    let mut rows = Vec::new();
    for k in 0..n {
        let g = if n > 1 {
            lo + (hi - lo) * k as f64 / (n - 1) as f64
        } else {
            lo
        };
        eprintln!("neurite tune: run {}/{n} at g = {g} uS", k + 1);
        let cc = tuner.coupling(g)?;
        rows.push(json!({"conductance_uS": g, "cc": cc}));
    }
    out.insert("sweep".into(), Value::Array(rows));
    Ok(hi)
}

/// One conductance: bmtool's report keys; returns g.
fn gap_single(
    tuner: &GapJunctionTuner,
    g: f64,
    out: &mut Map<String, Value>,
) -> Result<f64, TuneError> {
    if !(g.is_finite() && g >= 0.0) {
        return Err(TuneError::Option {
            option: "--conductance",
            message: format!("{g}: expected a conductance >= 0 in uS"),
        });
    }
    let run = tuner.run(g)?;
    let strength = neurite_tuner::metrics::GapResistance::from_conductance(g, tuner.mode())
        .map_err(RunnerError::from)?;
    out.insert("cc".into(), json!(run.cc));
    out.insert("conductance_uS".into(), json!(g));
    out.insert("resistance_MOhm".into(), json!(strength.resistance_MOhm));
    eprintln!("neurite tune: g = {g} uS: coupling coefficient {}", run.cc);
    Ok(g)
}

fn parse_sweep(spec: &str) -> Result<(f64, f64, usize), TuneError> {
    let bad = || TuneError::Option {
        option: "--sweep",
        message: format!("`{spec}`: expected LO,HI,N with 0 <= LO < HI (uS) and N >= 1"),
    };
    let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
    let [lo, hi, n] = parts.as_slice() else {
        return Err(bad());
    };
    let (lo, hi) = (
        lo.parse::<f64>().map_err(|_| bad())?,
        hi.parse::<f64>().map_err(|_| bad())?,
    );
    let n = n.parse::<usize>().map_err(|_| bad())?;
    if !(lo.is_finite() && hi.is_finite() && lo >= 0.0 && lo < hi && (1..=10_000).contains(&n)) {
        return Err(bad());
    }
    Ok((lo, hi, n))
}

/// The built-in example, written to a private temporary folder (removed on drop).
struct Example {
    dir: PathBuf,
}

const EXAMPLE_TEMPLATE: &str = include_str!("../../../templates/neurite_cells.hoc");
const EXAMPLE_MOD: &str = include_str!("../../../mod_files/AMPA_NMDA_STP.mod");
const EXAMPLE_SETTINGS: &str = r#"{
  "mechanisms_dir": "mod_files",
  "templates_dir": "neurite_cells.hoc",
  "general_settings": {"tstart": 500.0, "tdur": 100.0, "dt": 0.025, "celsius": 20},
  "conn_type_settings": {
    "exc": {
      "spec_settings": {"post_cell": "NeuritePassive", "vclamp_amp": -70.0,
                        "sec_id": 1, "sec_x": 0.5, "level_of_detail": "AMPA_NMDA_STP"},
      "spec_syn_param": {"initW": 2.0, "tau_r_AMPA": 0.2, "tau_d_AMPA": 1.7,
                         "tau_r_NMDA": 0.29, "tau_d_NMDA": 43.0, "Use": 0.3,
                         "Dep": 100.0, "Fac": 50.0, "gmax_AMPA": 0.001, "gmax_NMDA": 0.0007}
    }
  }
}
"#;

impl Example {
    fn write() -> Result<Example, TuneError> {
        let dir = std::env::temp_dir().join(format!("neurite-tune-example-{}", std::process::id()));
        let io = |e: std::io::Error| TuneError::File {
            path: dir.clone(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(dir.join("mod_files")).map_err(io)?;
        let ex = Example { dir: dir.clone() };
        std::fs::write(dir.join("mod_files/AMPA_NMDA_STP.mod"), EXAMPLE_MOD).map_err(io)?;
        std::fs::write(dir.join("neurite_cells.hoc"), EXAMPLE_TEMPLATE).map_err(io)?;
        std::fs::write(dir.join("example.json"), EXAMPLE_SETTINGS).map_err(io)?;
        Ok(ex)
    }

    fn settings(&self) -> PathBuf {
        self.dir.join("example.json")
    }
}

impl Drop for Example {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
