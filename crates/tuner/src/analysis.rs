//! The analysis of one tuner run, from settings and recordings to a report: the glue
//! the `neurite tune` commands call once the simulation has produced the traces.
//!
//! It only threads the settings (`vclamp`, `rise_interval`, `delay`, `metrics`, the
//! gap step's times) into [`crate::metrics`] and collects the results in
//! [`crate::report`]'s structs.

use crate::metrics::{
    coupling_coefficient, single_event, stp_ratios, train_response, GapResistance, MetricsError,
    Recording,
};
use crate::report::{GapReport, SynapseReport};
use crate::settings::{GapTunerSettings, SynapseTunerSettings};

/// A train run: its recording and when it stopped (ms).
#[derive(Clone, Copy, Debug)]
pub struct TrainRun<'a> {
    pub recording: Recording<'a>,
    pub tstop: f64,
}

/// The synapse tuner's report for `connection` from a single-event run and/or a train
/// run, with the settings' `vclamp`, `rise_interval`, NetCon `delay` and `metrics`.
pub fn synapse_report(
    settings: &SynapseTunerSettings,
    connection: &str,
    single: Option<&Recording<'_>>,
    train: Option<&TrainRun<'_>>,
) -> Result<SynapseReport, MetricsError> {
    let g = &settings.general_settings;
    let mode = settings.metrics;
    let mut report = SynapseReport::new(Some(connection.to_string()), mode);
    if let Some(rec) = single {
        let event = single_event(rec, g.vclamp, g.rise_interval, mode)?;
        report = report.with_single(&event);
    }
    if let Some(run) = train {
        let response = train_response(&run.recording, g.vclamp, run.tstop, g.delay, mode)?;
        let ratios = stp_ratios(&response.amplitudes)?;
        report = report.with_train(&response, &ratios);
    }
    Ok(report)
}

/// The gap-junction tuner's report for one run at conductance `g` (µS): `t` (ms) and
/// both somatic voltages (mV), the step from `tstart` to `tstart + tdur`.
pub fn gap_report(
    settings: &GapTunerSettings,
    connection: &str,
    g: f64,
    t: &[f64],
    v1: &[f64],
    v2: &[f64],
) -> Result<GapReport, MetricsError> {
    let gs = &settings.general_settings;
    let cc = coupling_coefficient(t, v1, v2, gs.tstart, gs.tstart + gs.tdur)?;
    let strength = GapResistance::from_conductance(g, settings.metrics)?;
    Ok(GapReport::new(
        Some(connection.to_string()),
        settings.metrics,
        cc,
        strength,
    ))
}
