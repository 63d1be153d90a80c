//! Single-event metrics (bmtool's `_get_syn_prop` and `SingleEvent`'s current integral).
//!
//! The analysed trace starts at the sample of the first presynaptic spike,
//! `ispk = floor(t_spike / dt)`; the baseline is the trace's value there, the sign that
//! of its largest deviation afterwards, and the response `x = sign·(trace[ispk..] -
//! baseline)` is positive. Indices below are relative to `ispk`.

use super::numeric::{argmax_abs, find_first, first_peak, first_rise, sign, trapezoid};
use super::{check_dt, check_finite, spike_index, MetricsError, MetricsMode, Recording};
use crate::fit::fit_exponential_decay;

/// bmtool's synaptic properties of one event (`_get_syn_prop`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SynProps {
    /// The trace's value at the spike sample (nA).
    pub baseline: f64,
    /// The sign of the largest deviation from the baseline after the spike (±1).
    pub sign: f64,
    /// `dt·(istart + 1)`: from the spike sample to the first rising sample (ms).
    pub latency: f64,
    /// The first local maximum of the sign-corrected response (nA, positive).
    pub amp: f64,
    /// Time between the `rise_interval` fractions of the peak (ms).
    pub rise_time: f64,
    /// τ of the exponential fitted from the peak to the next rise (ms).
    pub decay_time: f64,
    /// Time above half the peak (ms); see [`MetricsMode`] for bmtool's offset.
    pub half_width: f64,
    /// The spike sample (absolute index).
    pub spike_index: usize,
    /// The first rising sample (absolute index).
    pub onset_index: usize,
    /// The peak sample (absolute index).
    pub peak_index: usize,
}

/// A single event's properties and the current integral `SingleEvent` prints.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SingleEvent {
    pub props: SynProps,
    /// ∫ (i_syn - baseline) dt over the whole recording (pA·ms).
    pub integral: f64,
}

/// The baseline and sign of `trace` after the spike at `spike_time`, and the spike
/// sample (bmtool's `_get_syn_prop(short=True)`).
pub fn baseline_and_sign(
    trace: &[f64],
    dt: f64,
    spike_time: f64,
) -> Result<(f64, f64, usize), MetricsError> {
    check_dt(dt)?;
    let ispk = spike_index("analysed", spike_time, dt, trace.len())?;
    let after = &trace[ispk..];
    check_finite("analysed", after).map_err(|e| shift_index(e, ispk))?;
    let baseline = after[0];
    let deviations: Vec<f64> = after.iter().map(|v| v - baseline).collect();
    let largest = argmax_abs(&deviations).map_or(0.0, |i| deviations[i]);
    Ok((baseline, sign(largest), ispk))
}

fn shift_index(e: MetricsError, by: usize) -> MetricsError {
    match e {
        MetricsError::NonFinite { trace, index } => MetricsError::NonFinite {
            trace,
            index: index + by,
        },
        other => other,
    }
}

/// bmtool's `_get_syn_prop` on `trace` (the synaptic current, or the clamp current in
/// voltage-clamp mode). `rise_interval` is the pair of peak fractions for the rise time.
pub fn syn_props(
    trace: &[f64],
    dt: f64,
    spike_time: f64,
    rise_interval: (f64, f64),
    mode: MetricsMode,
) -> Result<SynProps, MetricsError> {
    let (baseline, sign, ispk) = baseline_and_sign(trace, dt, spike_time)?;
    let x: Vec<f64> = trace[ispk..]
        .iter()
        .map(|v| (v - baseline) * sign)
        .collect();
    let no_peak = MetricsError::NoPeak {
        trace: "analysed",
        time: spike_time,
    };
    let ipk = first_peak(&x).ok_or(no_peak.clone())?;
    let peak = x[ipk];
    let istart = first_rise(&x[..=ipk]).ok_or(no_peak)?;
    let rising = &x[istart..=ipk];
    let rt1 = crossing(rising, rise_interval.0, peak)?;
    let rt2 = crossing(rising, rise_interval.1, peak)?;
    let hw1 = crossing(rising, 0.5, peak)?;
    let hw2 = find_first(&x[ipk..], |v| v < 0.5 * peak).map_or(x.len(), |j| j + ipk);
    let hw_start = match mode {
        MetricsMode::Bmtool => hw1,
        MetricsMode::Correct => istart + hw1,
    };
    Ok(SynProps {
        baseline,
        sign,
        latency: dt * (istart + 1) as f64,
        amp: peak,
        rise_time: (rt2 as f64 - rt1 as f64) * dt,
        decay_time: decay_time(&x, ipk, peak, dt)?,
        half_width: dt * (hw2 as f64 - hw_start as f64),
        spike_index: ispk,
        onset_index: ispk + istart,
        peak_index: ispk + ipk,
    })
}

/// The first sample of `rising` above `fraction·peak`.
fn crossing(rising: &[f64], fraction: f64, peak: f64) -> Result<usize, MetricsError> {
    find_first(rising, |v| v > fraction * peak).ok_or(MetricsError::NoCrossing { fraction })
}

/// τ of `a·exp(-t/τ)` fitted from the peak to the sample before the first rise after it.
fn decay_time(x: &[f64], ipk: usize, peak: f64, dt: f64) -> Result<f64, MetricsError> {
    let iend = first_rise(&x[ipk..]).map_or(x.len() - 1, |j| j + ipk);
    let window = &x[ipk..=iend];
    let start = (peak, dt * window.len() as f64 / 2.0);
    fit_exponential_decay(window, dt, start)
        .map(|fit| fit.tau)
        .map_err(|e| MetricsError::Fit {
            reason: e.to_string(),
        })
}

/// bmtool's `SingleEvent`: the properties of the analysed trace (the clamp current
/// when `vclamp`, else the synaptic current) and the synaptic current's integral.
///
/// The integral is ∫ (i_syn - b) over the whole recording, in pA·ms. bmtool takes `b`
/// from the analysed trace, so in clamp mode it subtracts the clamp's holding current
/// from the synaptic current ([`MetricsMode::Bmtool`]); the correct `b` is the
/// synaptic current's own value at the spike sample.
pub fn single_event(
    rec: &Recording<'_>,
    vclamp: bool,
    rise_interval: (f64, f64),
    mode: MetricsMode,
) -> Result<SingleEvent, MetricsError> {
    let spike_time = *rec.spike_times.first().ok_or(MetricsError::NoSpike)?;
    let props = syn_props(
        rec.analysed(vclamp),
        rec.dt,
        spike_time,
        rise_interval,
        mode,
    )?;
    let baseline = match mode {
        MetricsMode::Bmtool => props.baseline,
        MetricsMode::Correct => rec.syn_current.get(props.spike_index).copied().ok_or(
            MetricsError::SpikeOutsideTrace {
                trace: "synaptic current",
                time: spike_time,
                index: Some(props.spike_index),
                len: rec.syn_current.len(),
            },
        )?,
    };
    check_finite("synaptic current", rec.syn_current)?;
    let shifted: Vec<f64> = rec
        .syn_current
        .iter()
        .map(|v| (v - baseline) * 1000.0)
        .collect();
    Ok(SingleEvent {
        props,
        integral: trapezoid(&shifted, rec.dt),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A difference of exponentials starting at sample 10 (t = 1 ms with dt = 0.1).
    fn event(scale: f64) -> Vec<f64> {
        (0..400)
            .map(|k| {
                let t = (k as f64 - 12.0) * 0.1;
                if t <= 0.0 {
                    0.0
                } else {
                    scale * ((-t / 3.0).exp() - (-t / 0.5).exp())
                }
            })
            .collect()
    }

    #[test]
    fn inward_current_is_flipped_and_measured() {
        let trace = event(-1.0);
        let p = syn_props(&trace, 0.1, 1.0, (0.1, 0.9), MetricsMode::Correct).expect("props");
        assert_eq!(p.sign, -1.0);
        assert_eq!(p.spike_index, 10);
        assert!(p.amp > 0.0);
        assert!((p.latency - 0.3).abs() < 1e-12, "{p:?}");
        assert!((p.decay_time - 3.0).abs() < 0.5, "{p:?}");
        let b = syn_props(&trace, 0.1, 1.0, (0.1, 0.9), MetricsMode::Bmtool).expect("props");
        let offset = dt_offset(&p);
        assert!((b.half_width - p.half_width - offset).abs() < 1e-12);
    }

    fn dt_offset(p: &SynProps) -> f64 {
        (p.onset_index - p.spike_index) as f64 * 0.1
    }

    #[test]
    fn bad_input_is_an_error() {
        let flat = vec![0.0; 50];
        assert!(matches!(
            syn_props(&flat, 0.1, 1.0, (0.1, 0.9), MetricsMode::Correct),
            Err(MetricsError::NoPeak { .. })
        ));
        assert!(syn_props(&flat, 0.0, 1.0, (0.1, 0.9), MetricsMode::Correct).is_err());
        assert!(syn_props(&flat, 0.1, 99.0, (0.1, 0.9), MetricsMode::Correct).is_err());
        assert!(syn_props(&[], 0.1, 0.0, (0.1, 0.9), MetricsMode::Correct).is_err());
        let mut nan = event(1.0);
        nan[30] = f64::NAN;
        assert!(matches!(
            syn_props(&nan, 0.1, 1.0, (0.1, 0.9), MetricsMode::Correct),
            Err(MetricsError::NonFinite { index: 30, .. })
        ));
    }
}
