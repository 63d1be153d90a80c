//! Metrics: the numbers bmtool's tuners report, as pure functions over recorded traces.
//!
//! This is the analysis stage, after the simulation: it sees sampled traces (`&[f64]`
//! with a constant time step) and spike times, never a cell or a mechanism. Every
//! function has bmtool 0.8.7's name and definition; where bmtool computes something
//! wrong, [`MetricsMode::Correct`] (the default) gives the right value and
//! [`MetricsMode::Bmtool`] reproduces bmtool's exactly. `docs/tuner.md` lists each
//! definition and each difference.
//!
//! Units are bmtool's: currents in nA (train amplitudes are reported in pA by
//! [`crate::report`]), voltages in mV, times in ms, integrals in pA·ms.

mod gap;
pub(crate) mod numeric;
mod single;
mod train;

pub use gap::{coupling_coefficient, GapResistance};
pub use single::{baseline_and_sign, single_event, syn_props, SingleEvent, SynProps};
pub use train::{
    max_amplitude, stp_ratios, train_amplitudes, train_response, StpRatios, TrainResponse,
};

use serde::{Deserialize, Serialize};

/// Which definitions the metrics follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricsMode {
    /// The correct values (the default); differs from bmtool only where documented.
    #[default]
    Correct,
    /// bmtool 0.8.7's values exactly, including its mistakes.
    Bmtool,
}

/// Everything that makes a trace impossible to analyse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricsError {
    #[error("time step must be positive and finite, got {dt} ms")]
    InvalidTimeStep { dt: f64 },
    #[error("no presynaptic spike was recorded")]
    NoSpike,
    #[error("spike time {time} ms (sample {index:?}) lies outside the {len}-sample {trace} trace")]
    SpikeOutsideTrace {
        trace: &'static str,
        time: f64,
        index: Option<usize>,
        len: usize,
    },
    #[error("the {trace} trace has a non-finite sample at index {index}")]
    NonFinite { trace: &'static str, index: usize },
    #[error("the {trace} trace has no local maximum after the spike at {time} ms")]
    NoPeak { trace: &'static str, time: f64 },
    #[error("the response never crosses {fraction} of its peak before the peak")]
    NoCrossing { fraction: f64 },
    #[error("decay fit failed: {reason}")]
    Fit { reason: String },
    #[error("{metric} needs at least {needed} pulse amplitudes, got {got}")]
    TooFewPulses {
        metric: &'static str,
        needed: usize,
        got: usize,
    },
    #[error("pulse {pulse}'s window [{from}, {to}) holds no sample of the {len}-sample trace")]
    EmptyWindow {
        pulse: usize,
        from: usize,
        to: usize,
        len: usize,
    },
    #[error("{metric} divides by zero ({denominator} is 0)")]
    ZeroDenominator {
        metric: &'static str,
        denominator: &'static str,
    },
    #[error("traces differ in length: {what}")]
    LengthMismatch { what: String },
    #[error("no sample lies before {time} ms")]
    NoSampleBefore { time: f64 },
}

/// Checks `dt > 0` and finite.
pub(crate) fn check_dt(dt: f64) -> Result<(), MetricsError> {
    if dt.is_finite() && dt > 0.0 {
        Ok(())
    } else {
        Err(MetricsError::InvalidTimeStep { dt })
    }
}

/// Checks that `x` has only finite samples.
pub(crate) fn check_finite(trace: &'static str, x: &[f64]) -> Result<(), MetricsError> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(MetricsError::NonFinite { trace, index }),
        None => Ok(()),
    }
}

/// `floor(time / dt)` as an index into a trace of `len` samples.
pub(crate) fn spike_index(
    trace: &'static str,
    time: f64,
    dt: f64,
    len: usize,
) -> Result<usize, MetricsError> {
    let index = numeric::sample_index(time, dt);
    match index {
        Some(i) if i < len => Ok(i),
        _ => Err(MetricsError::SpikeOutsideTrace {
            trace,
            time,
            index,
            len,
        }),
    }
}

/// The traces one tuner run records, sampled every `dt` ms from t = 0.
#[derive(Clone, Copy, Debug)]
pub struct Recording<'a> {
    /// Time step (ms).
    pub dt: f64,
    /// Presynaptic spike times (ms), as the NetCons recorded them (without delay).
    pub spike_times: &'a [f64],
    /// The synaptic current, bmtool's `current_name` (nA, outward positive).
    pub syn_current: &'a [f64],
    /// The somatic voltage clamp's current (nA).
    pub clamp_current: &'a [f64],
}

impl<'a> Recording<'a> {
    /// The trace bmtool analyses: the clamp current in clamp mode, else the synaptic
    /// current.
    pub fn analysed(&self, vclamp: bool) -> &'a [f64] {
        if vclamp {
            self.clamp_current
        } else {
            self.syn_current
        }
    }
}
