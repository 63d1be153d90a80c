//! Protocols: what a tuner run must deliver and record, as plain numbers for the
//! simulation stage (not wired yet) — spike schedules with the NetCon each pulse goes
//! through, the somatic clamp program, the gap-junction current step.
//!
//! They are bmtool 0.8.7's protocols. Four differ in [`MetricsMode::Correct`]:
//! the recovery pulses of a train go through the same NetCon as the first eight
//! (bmtool uses a second NetCon, which restarts any plasticity state a synapse keeps
//! in its NET_RECEIVE arguments, so its recovery reads ~0); trains start from
//! NEURON's default -65 mV (bmtool's train calls `h.finitialize(70 * mV)`, +70 mV);
//! the soma is clamped only in clamp mode (bmtool clamps it always); and a gap
//! junction's current enters where its voltage is read (bmtool puts it at 0.5).

use crate::settings::{GapConnSettings, GapGeneralSettings, GeneralSettings};
use crate::MetricsMode;

/// Pulses before the recovery pause (bmtool's `n_init_pulse`).
pub const TRAIN_PULSES: usize = 8;
/// Pulses after it (bmtool's `n_ending_pulse`).
pub const RECOVERY_PULSES: usize = 4;
/// NEURON's default initial potential (mV), used by bmtool's `SingleEvent` (`h.run()`).
pub const NEURON_V_INIT: f64 = -65.0;

/// One presynaptic spike.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pulse {
    /// Spike time at the source (ms); the synapse sees it `delay` later.
    pub time: f64,
    /// Which NetCon carries it (0 or 1); NET_RECEIVE state is per NetCon.
    pub netcon: usize,
}

/// A run's stimulus: the spikes, when to stop, where to start.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    pub pulses: Vec<Pulse>,
    /// ms.
    pub tstop: f64,
    /// Initial membrane potential (mV).
    pub v_init: f64,
}

/// Why a protocol cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtocolError {
    #[error("train frequency must be positive and finite, got {freq} Hz")]
    InvalidFrequency { freq: f64 },
    #[error("recovery delay must be at least 0 and finite, got {delay} ms")]
    InvalidDelay { delay: f64 },
}

/// `SingleEvent`: one spike at `tstart`, a run to `tstart + tdur`.
pub fn single_event(g: &GeneralSettings) -> Schedule {
    Schedule {
        pulses: vec![Pulse {
            time: g.tstart,
            netcon: 0,
        }],
        tstop: g.tstart + g.tdur,
        v_init: NEURON_V_INIT,
    }
}

/// bmtool's `_set_drive_train(freq, delay)`: 8 pulses at `freq` Hz from `tstart`, a
/// pause of `delay` ms after the 8th, 4 more pulses, and a run to one interval after
/// the 12th pulse.
pub fn train(
    g: &GeneralSettings,
    freq: f64,
    delay: f64,
    mode: MetricsMode,
) -> Result<Schedule, ProtocolError> {
    if !(freq.is_finite() && freq > 0.0) {
        return Err(ProtocolError::InvalidFrequency { freq });
    }
    if !(delay.is_finite() && delay >= 0.0) {
        return Err(ProtocolError::InvalidDelay { delay });
    }
    let interval = 1000.0 / freq;
    let second_start = g.tstart + (TRAIN_PULSES - 1) as f64 * interval + delay;
    let recovery_netcon = match mode {
        MetricsMode::Bmtool => 1,
        MetricsMode::Correct => 0,
    };
    let first = (0..TRAIN_PULSES).map(|k| Pulse {
        time: g.tstart + k as f64 * interval,
        netcon: 0,
    });
    let second = (0..RECOVERY_PULSES).map(|k| Pulse {
        time: second_start + k as f64 * interval,
        netcon: recovery_netcon,
    });
    Ok(Schedule {
        pulses: first.chain(second).collect(),
        tstop: second_start + RECOVERY_PULSES as f64 * interval,
        v_init: match mode {
            MetricsMode::Bmtool => 70.0,
            MetricsMode::Correct => NEURON_V_INIT,
        },
    })
}

/// The somatic `VClamp` of a synapse run: the soma held at `vclamp_amp` for the whole
/// run (three stages at the same level, durations `[tstart, tstop, 1e9]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClampProgram {
    /// mV for each stage.
    pub amp: [f64; 3],
    /// ms for each stage.
    pub dur: [f64; 3],
}

/// The clamp for a run that stops at `tstop`, if any.
///
/// bmtool clamps the soma in *both* modes (its `vclamp` flag only chooses which
/// current is analysed), so with `vclamp: false` the "Soma Voltage" it plots is flat
/// and the synapse never sees the depolarisation it causes. Neurite's correct protocol
/// clamps only when `vclamp` is true; [`MetricsMode::Bmtool`] clamps always.
pub fn clamp_program(
    g: &GeneralSettings,
    vclamp_amp: f64,
    tstop: f64,
    mode: MetricsMode,
) -> Option<ClampProgram> {
    let clamped = g.vclamp || mode == MetricsMode::Bmtool;
    clamped.then_some(ClampProgram {
        amp: [vclamp_amp; 3],
        dur: [g.tstart, tstop, 1e9],
    })
}

/// Where a gap junction sits on its section (`sec_id` in the cell's `all` list).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapPlacement {
    pub sec_id: usize,
    /// Where the voltage sent to the other cell is read (0..1).
    pub source_x: f64,
    /// Where the junction's current enters (0..1).
    pub junction_x: f64,
}

/// bmtool reads the voltage at `sec_x` but always puts the Gap point process at 0.5
/// (`h.Gap(sec(0.5))`), so for `sec_x != 0.5` the junction is driven by a voltage from
/// elsewhere on the section. Neurite's correct placement puts both at `sec_x`.
pub fn gap_placement(conn: &GapConnSettings, mode: MetricsMode) -> GapPlacement {
    GapPlacement {
        sec_id: conn.sec_id,
        source_x: conn.sec_x,
        junction_x: match mode {
            MetricsMode::Bmtool => 0.5,
            MetricsMode::Correct => conn.sec_x,
        },
    }
}

/// The gap-junction run: an `IClamp` step into cell 1's soma.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GapStep {
    /// ms.
    pub delay: f64,
    /// ms.
    pub dur: f64,
    /// nA.
    pub amp: f64,
    /// ms: `tstart + tdur + 100`.
    pub tstop: f64,
    /// mV (`GapJunctionTuner.model` initialises at -70).
    pub v_init: f64,
}

/// The step of bmtool's `GapJunctionTuner`.
pub fn gap_step(g: &GapGeneralSettings) -> GapStep {
    GapStep {
        delay: g.tstart,
        dur: g.tdur,
        amp: g.iclamp_amp,
        tstop: g.tstart + g.tdur + 100.0,
        v_init: -70.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bmtool_train_at_50_hz() {
        let g = GeneralSettings::default();
        let s = train(&g, 50.0, 250.0, MetricsMode::Bmtool).expect("train");
        let times: Vec<f64> = s.pulses.iter().map(|p| p.time).collect();
        assert_eq!(times[..3], [500.0, 520.0, 540.0]);
        assert_eq!(times[8..], [890.0, 910.0, 930.0, 950.0]);
        assert_eq!(s.tstop, 970.0);
        assert!(s.pulses[8..].iter().all(|p| p.netcon == 1));
        let c = train(&g, 50.0, 250.0, MetricsMode::Correct).expect("train");
        assert!(c.pulses.iter().all(|p| p.netcon == 0));
        assert_eq!(c.v_init, -65.0);
        assert!(train(&g, 0.0, 250.0, MetricsMode::Correct).is_err());
        assert!(train(&g, 10.0, f64::NAN, MetricsMode::Correct).is_err());
    }

    #[test]
    fn single_and_gap() {
        let g = GeneralSettings::default();
        assert_eq!(single_event(&g).tstop, 600.0);
        let bm = clamp_program(&g, -70.0, 600.0, MetricsMode::Bmtool).expect("always");
        assert_eq!(bm.dur, [500.0, 600.0, 1e9]);
        assert_eq!(clamp_program(&g, -70.0, 600.0, MetricsMode::Correct), None);
        let vc = GeneralSettings {
            vclamp: true,
            ..GeneralSettings::default()
        };
        assert!(clamp_program(&vc, -70.0, 600.0, MetricsMode::Correct).is_some());
        let conn = GapConnSettings {
            cell: "C".into(),
            sec_id: 1,
            sec_x: 0.9,
            iclamp_amp: None,
            vclamp_amp: None,
            spec_syn_param: Default::default(),
        };
        assert_eq!(gap_placement(&conn, MetricsMode::Bmtool).junction_x, 0.5);
        assert_eq!(gap_placement(&conn, MetricsMode::Correct).junction_x, 0.9);
        let s = gap_step(&GapGeneralSettings::default());
        assert_eq!(
            (s.delay, s.dur, s.amp, s.tstop),
            (500.0, 500.0, -0.01, 1100.0)
        );
    }
}
