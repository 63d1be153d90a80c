//! `SynapseTuner` through the simulation: bmtool's cell, synapse, NetStim → NetCon,
//! somatic clamp and recordings, built as HOC and run by Neurite's engine.
//!
//! The setup is bmtool 0.8.7's (`_set_up_cell`, `_set_up_synapse`,
//! `_set_up_recorders`): `post_cell` instantiated from its template, the
//! `level_of_detail` point process at `all[sec_id](sec_x)` with every
//! `spec_syn_param` value, a NetStim into the synapse through a NetCon with the
//! settings' threshold, delay and weight. Trains follow [`protocol::train`]: in
//! [`MetricsMode::Bmtool`] the 4 recovery pulses come from a second NetStim through a
//! second NetCon (bmtool's `nc2`); in [`MetricsMode::Correct`] the first NetStim is
//! restarted at the recovery time (an event of weight 1, as NetStim's NET_RECEIVE
//! defines) so all 12 pulses go through one NetCon.
//! The soma is clamped, as bmtool clamps it, by NEURON's two-electrode `VClamp`
//! (Neurite's `mod_files/VClamp.mod`, default amplifier: gain 1e5, rstim 1 MΩ).

use super::{hoc_name, num, ModelSources, RunnerError, Session};
use crate::analysis::{synapse_report, TrainRun};
use crate::catalog::catalog_for;
use crate::metrics::{
    max_amplitude, stp_ratios, train_response, Recording, StpRatios, TrainResponse,
};
use crate::optimize::SynapseMetrics;
use crate::protocol::{self, ClampProgram, Schedule, TRAIN_PULSES};
use crate::report::{FrequencyResponse, SynapseReport};
use crate::settings::{validate_synapse, ConnTypeSettings, SynapseTunerSettings};
use crate::MetricsMode;
use std::collections::BTreeMap;
use std::path::Path;

/// bmtool's default train frequencies for `stp_frequency_response` (Hz).
pub const DEFAULT_FREQUENCIES: [f64; 16] = [
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 15.0, 20.0, 35.0, 50.0, 100.0, 200.0,
];

/// The optimizer metrics that come from the single event (the rest come from the
/// train).
pub const SINGLE_EVENT_METRICS: [&str; 6] = [
    "rise_time",
    "decay_time",
    "latency",
    "half_width",
    "baseline",
    "amp",
];

/// Whether an optimisation towards targets named `metrics` needs the single event.
pub fn needs_single_event<'a>(mut metrics: impl Iterator<Item = &'a String>) -> bool {
    metrics.any(|m| SINGLE_EVENT_METRICS.contains(&m.as_str()))
}

/// A synapse tuner for one connection of validated settings.
#[derive(Clone, Debug)]
pub struct SynapseTuner {
    settings: SynapseTunerSettings,
    connection: String,
    conn: ConnTypeSettings,
    /// The point process's name as its `.mod` file spells it.
    mechanism: String,
    sources: ModelSources,
}

/// The traces of one run, sampled every `dt` ms from t = 0.
#[derive(Clone, Debug, PartialEq)]
pub struct SynapseRun {
    pub dt: f64,
    pub tstop: f64,
    /// Presynaptic spike times (ms), at the source.
    pub spike_times: Vec<f64>,
    pub t: Vec<f64>,
    /// `current_name` of the synapse (nA).
    pub syn_current: Vec<f64>,
    /// The somatic clamp's current (nA); zeros when the soma is not clamped.
    pub clamp_current: Vec<f64>,
    /// Soma voltage (mV).
    pub soma_v: Vec<f64>,
    /// `other_vars_to_record`, in order.
    pub other: Vec<(String, Vec<f64>)>,
}

impl SynapseRun {
    /// The metrics' view of the run.
    pub fn recording(&self) -> Recording<'_> {
        Recording {
            dt: self.dt,
            spike_times: &self.spike_times,
            syn_current: &self.syn_current,
            clamp_current: &self.clamp_current,
        }
    }
}

impl SynapseTuner {
    /// Checks `settings` (read from `file`) against its mechanisms and templates and
    /// picks `connection` (or the only one).
    pub fn new(
        settings: SynapseTunerSettings,
        file: &Path,
        connection: Option<&str>,
    ) -> Result<SynapseTuner, RunnerError> {
        let catalog = catalog_for(
            settings.mechanisms_dir.as_deref(),
            settings.templates_dir.as_deref(),
            settings.config.as_deref(),
        )?;
        validate_synapse(&settings, file, &catalog)?;
        let mut settings = settings;
        if let Some(c) = connection {
            settings.connection = Some(c.to_string());
        }
        let connection = settings.selected_connection(file)?.to_string();
        let conn = settings.conn_type_settings[&connection].clone();
        let mechanism = catalog
            .find_mechanism(&conn.spec_settings.level_of_detail)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| conn.spec_settings.level_of_detail.clone());
        let sources = ModelSources {
            mechanisms_dir: catalog.mechanisms_source.clone(),
            templates: catalog.templates_source.clone(),
        };
        Ok(SynapseTuner {
            settings,
            connection,
            conn,
            mechanism,
            sources,
        })
    }

    pub fn settings(&self) -> &SynapseTunerSettings {
        &self.settings
    }

    pub fn connection(&self) -> &str {
        &self.connection
    }

    /// bmtool's `SingleEvent`: one spike at `tstart`, a run to `tstart + tdur`.
    pub fn single_event(&self) -> Result<SynapseRun, RunnerError> {
        let schedule = protocol::single_event(&self.settings.general_settings);
        self.simulate(&schedule, true)
    }

    /// A train at `freq` Hz with the recovery pulses `delay` ms after the 8th.
    pub fn train(&self, freq: f64, delay: f64) -> Result<SynapseRun, RunnerError> {
        let g = &self.settings.general_settings;
        let schedule = protocol::train(g, freq, delay, self.settings.metrics)?;
        self.simulate(&schedule, false)
    }

    /// The report of a single event and/or a train at (`freq`, `delay`).
    pub fn report(
        &self,
        single: bool,
        train: Option<(f64, f64)>,
    ) -> Result<SynapseReport, RunnerError> {
        // Two independent simulations: the single event runs on a second thread.
        let (one, many) = std::thread::scope(|scope| {
            let one = single.then(|| scope.spawn(|| self.single_event()));
            let many = train.map(|(f, d)| self.train(f, d)).transpose();
            let one = one
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .transpose();
            (one, many)
        });
        self.report_of(one?.as_ref(), many?.as_ref())
    }

    /// The report of runs already made (a single event and/or a train).
    pub fn report_of(
        &self,
        single: Option<&SynapseRun>,
        train: Option<&SynapseRun>,
    ) -> Result<SynapseReport, RunnerError> {
        let rec = single.map(SynapseRun::recording);
        let run = train.map(|r| TrainRun {
            recording: r.recording(),
            tstop: r.tstop,
        });
        Ok(synapse_report(
            &self.settings,
            &self.connection,
            rec.as_ref(),
            run.as_ref(),
        )?)
    }

    /// The same tuner with `params` assigned to the synapse (over `spec_syn_param`).
    pub fn with_params(&self, params: &BTreeMap<String, f64>) -> SynapseTuner {
        let mut out = self.clone();
        for (k, v) in params {
            out.conn.spec_syn_param.insert(k.clone(), *v);
        }
        out
    }

    /// bmtool's `SynapseOptimizer._calculate_metrics`: a single event and a train at
    /// (`freq`, `delay`).
    pub fn optimizer_metrics(&self, freq: f64, delay: f64) -> Result<SynapseMetrics, RunnerError> {
        self.optimizer_metrics_with(freq, delay, true)
    }

    /// [`SynapseTuner::optimizer_metrics`] with the single event only when `single`
    /// (bmtool's `run_single_event`, false by default there): without it the
    /// single-event metrics are 0, as in bmtool.
    pub fn optimizer_metrics_with(
        &self,
        freq: f64,
        delay: f64,
        single: bool,
    ) -> Result<SynapseMetrics, RunnerError> {
        let r = self.report(single, Some((freq, delay)))?;
        let amps = r.amplitudes.clone().unwrap_or_default();
        let get = |x: Option<f64>| x.unwrap_or(0.0);
        Ok(SynapseMetrics {
            induction: get(r.induction),
            ppr: get(r.ppr),
            recovery: get(r.recovery),
            simple_ppr: get(r.simple_ppr),
            max_amplitude: max_amplitude(&amps).unwrap_or(0.0),
            rise_time: get(r.rise_time),
            decay_time: get(r.decay_time),
            latency: get(r.latency),
            half_width: get(r.half_width),
            baseline: get(r.baseline),
            amp: get(r.amp),
        })
    }

    /// A train's amplitudes (nA), peaks and ratios at (`freq`, `delay`).
    pub fn train_ratios(
        &self,
        freq: f64,
        delay: f64,
    ) -> Result<(SynapseRun, TrainResponse, StpRatios), RunnerError> {
        let run = self.train(freq, delay)?;
        let g = &self.settings.general_settings;
        let response = train_response(
            &run.recording(),
            g.vclamp,
            run.tstop,
            g.delay,
            self.settings.metrics,
        )?;
        let ratios = stp_ratios(&response.amplitudes)?;
        Ok((run, response, ratios))
    }

    /// bmtool's `stp_frequency_response`: the train ratios at each frequency;
    /// `progress` is called as each run starts with (index, count, frequency).
    ///
    /// The trains are independent simulations, so they run on every available core
    /// (each worker builds its own model); the result is in `freqs`' order and the
    /// same as running them one after another.
    pub fn frequency_response(
        &self,
        freqs: &[f64],
        delay: f64,
        progress: &mut dyn FnMut(usize, usize, f64),
    ) -> Result<FrequencyResponse, RunnerError> {
        let ratios = parallel_map(freqs, progress, |f| {
            self.train_ratios(f, delay).map(|(_, _, r)| r)
        });
        let mut out = FrequencyResponse::default();
        for (&f, r) in freqs.iter().zip(ratios) {
            out.push(f, &r?);
        }
        Ok(out)
    }

    /// Builds the model, runs `schedule` and reads the traces back.
    fn simulate(&self, schedule: &Schedule, use_run: bool) -> Result<SynapseRun, RunnerError> {
        let mode = self.settings.metrics;
        let g = &self.settings.general_settings;
        let clamp =
            protocol::clamp_program(g, self.conn.spec_settings.vclamp_amp, schedule.tstop, mode);
        let mut s = Session::new(&self.sources)?;
        s.exec(&self.cell_code()?, "placing the synapse")?;
        check_sec_id(
            &mut s,
            self.conn.spec_settings.sec_id,
            &self.conn.spec_settings.post_cell,
        )?;
        s.exec(&self.param_code()?, "setting spec_syn_param")?;
        s.exec(&self.stim_code(schedule, mode), "connecting the NetStims")?;
        s.exec(&clamp_code(clamp), "placing the somatic clamp")?;
        s.exec(&self.record_code()?, "setting up recordings")?;
        s.exec(&run_code(g.dt, g.celsius, schedule, use_run), "running")?;
        self.read_run(&mut s, schedule, clamp.is_some())
    }

    /// The cell and the synapse with its parameters.
    fn cell_code(&self) -> Result<String, RunnerError> {
        let spec = &self.conn.spec_settings;
        let cell = hoc_name("post_cell", &spec.post_cell)?;
        let mech = hoc_name("level_of_detail", &self.mechanism)?;
        let code = format!(
            "objref ntk_cell, ntk_syn\nntk_cell = new {cell}()\nntk_k = 0\n\
             forsec ntk_cell.all {{ if (ntk_k == {}) {{ ntk_syn = new {mech}({}) }} ntk_k += 1 }}\n",
            spec.sec_id,
            num(spec.sec_x),
        );
        Ok(code)
    }

    /// `spec_syn_param` assigned to the placed synapse.
    fn param_code(&self) -> Result<String, RunnerError> {
        let mut code = String::new();
        for (key, value) in &self.conn.spec_syn_param {
            let key = hoc_name("spec_syn_param", key)?;
            code.push_str(&format!("ntk_syn.{key} = {}\n", num(*value)));
        }
        Ok(code)
    }

    /// NetStims and NetCons delivering `schedule`'s pulses.
    fn stim_code(&self, schedule: &Schedule, mode: MetricsMode) -> String {
        let g = &self.settings.general_settings;
        let first: Vec<f64> = schedule
            .pulses
            .iter()
            .take(TRAIN_PULSES)
            .map(|p| p.time)
            .collect();
        let rest: Vec<f64> = schedule
            .pulses
            .iter()
            .skip(TRAIN_PULSES)
            .map(|p| p.time)
            .collect();
        let interval = match first.as_slice() {
            [a, b, ..] => b - a,
            _ => 1e9,
        };
        let nc = |name: &str, src: &str| {
            format!(
                "{name} = new NetCon({src}, ntk_syn, {}, {}, {})\n",
                num(g.threshold),
                num(g.delay),
                num(g.weight)
            )
        };
        let mut code = String::from("objref ntk_ns, ntk_ns2, ntk_nc, ntk_nc2\n");
        code.push_str(&netstim("ntk_ns", &first, interval));
        code.push_str(&nc("ntk_nc", "ntk_ns"));
        if rest.is_empty() {
            return code;
        }
        code.push_str(&netstim("ntk_ns2", &rest, interval));
        match mode {
            MetricsMode::Bmtool => code.push_str(&nc("ntk_nc2", "ntk_ns2")),
            MetricsMode::Correct => code.push_str(RESTART),
        }
        code
    }

    /// Vectors for t, the synaptic current, soma v, the clamp current, other vars.
    fn record_code(&self) -> Result<String, RunnerError> {
        let current = hoc_name("current_name", &self.settings.current_name)?;
        let mut code = format!(
            "objref ntk_t, ntk_i, ntk_v\nntk_t = new Vector()\nntk_t.record(&t)\n\
             ntk_i = new Vector()\nntk_i.record(&ntk_syn.{current})\n\
             ntk_v = new Vector()\nntk_v.record(&ntk_cell.soma[0].v(0.5))\n"
        );
        for (k, var) in self.settings.other_vars_to_record.iter().enumerate() {
            let var = hoc_name("other_vars_to_record", var)?;
            code.push_str(&format!(
                "objref ntk_o{k}\nntk_o{k} = new Vector()\nntk_o{k}.record(&ntk_syn.{var})\n"
            ));
        }
        Ok(code)
    }

    fn read_run(
        &self,
        s: &mut Session,
        schedule: &Schedule,
        clamped: bool,
    ) -> Result<SynapseRun, RunnerError> {
        let t = s.vector("ntk_t")?;
        let syn_current = s.vector("ntk_i")?;
        let clamp_current = if clamped {
            s.vector("ntk_ic")?
        } else {
            vec![0.0; t.len()]
        };
        let soma_v = s.vector("ntk_v")?;
        let mut other = Vec::new();
        for (k, var) in self.settings.other_vars_to_record.iter().enumerate() {
            other.push((var.clone(), s.vector(&format!("ntk_o{k}"))?));
        }
        Ok(SynapseRun {
            dt: s.number("dt").unwrap_or(self.settings.general_settings.dt),
            tstop: schedule.tstop,
            spike_times: schedule.pulses.iter().map(|p| p.time).collect(),
            t,
            syn_current,
            clamp_current,
            soma_v,
            other,
        })
    }
}

/// What a worker of [`parallel_map`] reports.
enum Progress<T> {
    Started(usize),
    Done(usize, T),
}

/// `run` over every item on up to `available_parallelism` scoped threads, results
/// in the items' order; `progress(index, count, item)` is called on this thread as
/// each item starts.
fn parallel_map<T: Send>(
    items: &[f64],
    progress: &mut dyn FnMut(usize, usize, f64),
    run: impl Fn(f64) -> T + Sync,
) -> Vec<T> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel();
    let mut slots: Vec<Option<T>> = items.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, run) = (&next, &run);
            scope.spawn(move || loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(&item) = items.get(k) else { break };
                // The receiver lives until every worker has finished.
                let _ = tx.send(Progress::Started(k));
                let _ = tx.send(Progress::Done(k, run(item)));
            });
        }
        drop(tx);
        for message in rx {
            match message {
                Progress::Started(k) => progress(k, items.len(), items[k]),
                Progress::Done(k, value) => slots[k] = Some(value),
            }
        }
    });
    // Every index below items.len() was taken by exactly one worker, which sent
    // its result before the channel closed.
    slots.into_iter().flatten().collect()
}

/// bmtool's `list(cell.all)[sec_id]` fails for a short list; so does the runner.
pub(crate) fn check_sec_id(s: &mut Session, sec_id: usize, cell: &str) -> Result<(), RunnerError> {
    let count = s.number("ntk_k").unwrap_or(0.0);
    if (sec_id as f64) < count {
        Ok(())
    } else {
        Err(RunnerError::Simulation {
            stage: "placing the synapse".into(),
            message: format!("sec_id {sec_id} is not in {cell}'s `all` list ({count} sections)"),
        })
    }
}

/// Correct mode's recovery: `ntk_ns2` fires once, at the first recovery pulse; its
/// event turns `ntk_ns` (off after its 8th pulse) on again, which fires at once and
/// every interval after: pulses 9-12 fall before `tstop`, the 13th, at `tstop`,
/// reaches the synapse only after the run.
const RESTART: &str = "ntk_ns2.number = 1\nntk_nc2 = new NetCon(ntk_ns2, ntk_ns, 0, 0, 1)\n";

/// A NetStim firing `times` (evenly spaced by `interval`), noise 0.
fn netstim(name: &str, times: &[f64], interval: f64) -> String {
    let start = times.first().copied().unwrap_or(1e9);
    format!(
        "{name} = new NetStim()\n{name}.start = {}\n{name}.interval = {}\n\
         {name}.number = {}\n{name}.noise = 0\n",
        num(start),
        num(interval),
        times.len()
    )
}

/// The somatic clamp and its current's recording (none when not clamped): NEURON's
/// `VClamp` (Neurite's `mod_files/VClamp.mod`) with its default amplifier, as bmtool.
fn clamp_code(clamp: Option<ClampProgram>) -> String {
    let Some(c) = clamp else {
        return String::new();
    };
    let mut code =
        String::from("objref ntk_cl, ntk_ic\nntk_cell.soma[0] ntk_cl = new VClamp(0.5)\n");
    for k in 0..3 {
        code.push_str(&format!(
            "ntk_cl.dur[{k}] = {}\nntk_cl.amp[{k}] = {}\n",
            num(c.dur[k]),
            num(c.amp[k])
        ));
    }
    code.push_str("ntk_ic = new Vector()\nntk_ic.record(&ntk_cl.i)\n");
    code
}

/// bmtool's run: `dt`, `steps_per_ms = 1/dt`, `celsius`; `run()` from NEURON's
/// `v_init` (SingleEvent) or `finitialize(v) continuerun(tstop)` (trains).
fn run_code(dt: f64, celsius: f64, schedule: &Schedule, use_run: bool) -> String {
    let setup = format!(
        "dt = {}\nsteps_per_ms = 1/dt\ncelsius = {}\ntstop = {}\n",
        num(dt),
        num(celsius),
        num(schedule.tstop)
    );
    if use_run {
        format!("{setup}v_init = {}\nrun()\n", num(schedule.v_init))
    } else {
        format!(
            "{setup}finitialize({})\ncontinuerun(tstop)\n",
            num(schedule.v_init)
        )
    }
}
