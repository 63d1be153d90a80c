//! Pulse-train metrics (bmtool's `_response_amplitude` and
//! `_calc_ppr_induction_recovery`).
//!
//! The train is bmtool's: 8 pulses at the train frequency, a recovery pause, 4 more
//! pulses (see [`crate::protocol`]). Pulse `k`'s window runs from
//! `floor((t_k + delay)/dt)` to the next pulse's (the last one to `tstop`), and its
//! amplitude is the largest sign-corrected synaptic current in it.

use super::numeric::{mean_of, percentile, sample_index};
use super::single::baseline_and_sign;
use super::{check_dt, MetricsError, MetricsMode, Recording};

/// The amplitudes of a train's responses.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainResponse {
    /// One amplitude a pulse, in nA (bmtool's `amp` list; reported in pA).
    pub amplitudes: Vec<f64>,
    /// The absolute sample of each amplitude (bmtool's `ispk`, the numbered peaks).
    pub peak_indices: Vec<usize>,
    /// The baseline subtracted from the synaptic current (nA).
    pub baseline: f64,
    /// The sign applied to the synaptic current (±1).
    pub sign: f64,
}

/// bmtool's short-term plasticity ratios.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StpRatios {
    /// (A2 - A1) / P90.
    pub ppr: f64,
    /// A2 / A1.
    pub simple_ppr: f64,
    /// (mean(A6..A8) - A1) / P90.
    pub induction: f64,
    /// (mean(A9..A12) - mean(A1..A4)) / P90.
    pub recovery: f64,
}

/// The largest `sign·(i_syn - baseline)` in each pulse's window, and where it is.
///
/// `spike_times` are the presynaptic spike times (ms); `delay` the NetCon delay (ms).
/// A last window with no sample (the run ended at the last peak) is dropped, as bmtool
/// does; any other empty window is an error.
pub fn train_amplitudes(
    syn_current: &[f64],
    baseline: f64,
    sign: f64,
    spike_times: &[f64],
    tstop: f64,
    delay: f64,
    dt: f64,
) -> Result<(Vec<f64>, Vec<usize>), MetricsError> {
    check_dt(dt)?;
    let edges = window_edges(spike_times, tstop, delay, dt, syn_current.len())?;
    let pulses = edges.len().saturating_sub(1);
    let (mut amps, mut peaks) = (Vec::new(), Vec::new());
    for (pulse, pair) in edges.windows(2).enumerate() {
        let (from, to) = (pair[0], pair[1].min(syn_current.len()));
        let window = syn_current.get(from..to).filter(|w| !w.is_empty());
        let Some(window) = window else {
            if pulse + 1 == pulses && pulse > 0 {
                break;
            }
            let len = syn_current.len();
            return Err(MetricsError::EmptyWindow {
                pulse: pulse + 1,
                from,
                to: pair[1],
                len,
            });
        };
        let (offset, amp) = window_max(window, baseline, sign, from)?;
        amps.push(amp);
        peaks.push(from + offset);
    }
    Ok((amps, peaks))
}

/// `floor((t + delay)/dt)` for every spike and for `tstop`.
fn window_edges(
    spike_times: &[f64],
    tstop: f64,
    delay: f64,
    dt: f64,
    len: usize,
) -> Result<Vec<usize>, MetricsError> {
    if spike_times.is_empty() {
        return Err(MetricsError::NoSpike);
    }
    spike_times
        .iter()
        .copied()
        .chain(std::iter::once(tstop))
        .map(|t| {
            sample_index(t + delay, dt).ok_or(MetricsError::SpikeOutsideTrace {
                trace: "synaptic current",
                time: t,
                index: None,
                len,
            })
        })
        .collect()
}

/// The first largest `sign·(x - baseline)` in `window` and its offset.
fn window_max(
    window: &[f64],
    baseline: f64,
    sign: f64,
    from: usize,
) -> Result<(usize, f64), MetricsError> {
    let mut best = (0, f64::NEG_INFINITY);
    for (k, &v) in window.iter().enumerate() {
        let y = (v - baseline) * sign;
        if !y.is_finite() {
            return Err(MetricsError::NonFinite {
                trace: "synaptic current",
                index: from + k,
            });
        }
        if y > best.1 {
            best = (k, y);
        }
    }
    Ok(best)
}

/// bmtool's train analysis: baseline and sign at the first spike, then the amplitudes
/// of the synaptic current.
///
/// bmtool takes the baseline and sign from the analysed trace, which in clamp mode is
/// the clamp current: it subtracts the clamp's holding current from the synaptic
/// current and may flip its sign ([`MetricsMode::Bmtool`]). The correct baseline and
/// sign are the synaptic current's own; in current-clamp mode both modes agree.
pub fn train_response(
    rec: &Recording<'_>,
    vclamp: bool,
    tstop: f64,
    delay: f64,
    mode: MetricsMode,
) -> Result<TrainResponse, MetricsError> {
    let spike = *rec.spike_times.first().ok_or(MetricsError::NoSpike)?;
    let reference = match mode {
        MetricsMode::Bmtool => rec.analysed(vclamp),
        MetricsMode::Correct => rec.syn_current,
    };
    let (baseline, sign, _) = baseline_and_sign(reference, rec.dt, spike)?;
    let (amplitudes, peak_indices) = train_amplitudes(
        rec.syn_current,
        baseline,
        sign,
        rec.spike_times,
        tstop,
        delay,
        rec.dt,
    )?;
    Ok(TrainResponse {
        amplitudes,
        peak_indices,
        baseline,
        sign,
    })
}

/// bmtool's `_find_max_amp`: the largest amplitude, or the smallest when its
/// magnitude is larger, in pA; `None` without amplitudes.
pub fn max_amplitude(amplitudes: &[f64]) -> Option<f64> {
    let max = amplitudes.iter().copied().reduce(f64::max)?;
    let min = amplitudes.iter().copied().reduce(f64::min)?;
    Some(if min.abs() > max { min } else { max } * 1000.0)
}

/// bmtool's PPR, simple PPR, induction and recovery from the amplitudes (nA).
///
/// Amplitudes are scaled to pA and P90 is their 90th percentile (NumPy's linear
/// interpolation). A slice that reaches past the last pulse uses the pulses there are,
/// as NumPy slicing does; a slice with none is [`MetricsError::TooFewPulses`].
pub fn stp_ratios(amplitudes: &[f64]) -> Result<StpRatios, MetricsError> {
    let amp: Vec<f64> = amplitudes.iter().map(|a| a * 1000.0).collect();
    let got = amp.len();
    let mean = |metric: &'static str, from: usize, to: usize| {
        mean_of(&amp, from, to).ok_or(MetricsError::TooFewPulses {
            metric,
            needed: from + 1,
            got,
        })
    };
    let first = mean("ppr", 0, 1)?;
    let second = mean("ppr", 1, 2)?;
    let late = mean("induction", 5, 8)?;
    let recovered = mean("recovery", 8, 12)?;
    let early = mean("recovery", 0, 4)?;
    let p90 = percentile(&amp, 90.0).ok_or(MetricsError::NonFinite {
        trace: "amplitudes",
        index: 0,
    })?;
    let nonzero = |x: f64, metric, denominator| {
        if x == 0.0 {
            Err(MetricsError::ZeroDenominator {
                metric,
                denominator,
            })
        } else {
            Ok(x)
        }
    };
    let p90 = nonzero(p90, "ppr", "the 90th percentile amplitude")?;
    let first_nz = nonzero(first, "simple_ppr", "the first amplitude")?;
    Ok(StpRatios {
        ppr: (second - first) / p90,
        simple_ppr: second / first_nz,
        induction: (late - first) / p90,
        recovery: (recovered - early) / p90,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_follow_bmtool() {
        let amps: Vec<f64> = (1..=12).map(|k| k as f64 / 1000.0).collect();
        let r = stp_ratios(&amps).expect("ratios");
        let p90 = 10.9;
        assert!((r.simple_ppr - 2.0).abs() < 1e-12);
        assert!((r.ppr - 1.0 / p90).abs() < 1e-9, "{r:?} {p90}");
        assert!((r.recovery - 8.0 / p90).abs() < 1e-9);
        assert!(matches!(
            stp_ratios(&[0.001; 5]),
            Err(MetricsError::TooFewPulses { .. })
        ));
        assert!(stp_ratios(&[0.0; 12]).is_err());
    }

    #[test]
    fn windows_and_peaks() {
        let mut i = vec![0.0; 100];
        i[15] = -2.0;
        i[55] = -1.0;
        let (a, p) = train_amplitudes(&i, 0.0, -1.0, &[1.0, 5.0], 9.0, 0.0, 0.1).expect("amps");
        assert_eq!(a, vec![2.0, 1.0]);
        assert_eq!(p, vec![15, 55]);
        let cut = train_amplitudes(&i, 0.0, -1.0, &[1.0, 5.0, 12.0], 13.0, 0.0, 0.1);
        assert_eq!(cut.expect("last dropped").0, vec![2.0, 1.0]);
        assert!(train_amplitudes(&i, 0.0, -1.0, &[], 9.0, 0.0, 0.1).is_err());
        assert!(train_amplitudes(&i, 0.0, -1.0, &[-5.0], 9.0, 0.0, 0.1).is_err());
    }
}
