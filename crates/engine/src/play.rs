//! `Vector.play` and `Vector.record` at given times, on NEURON's fixed-step
//! schedule:
//!
//! * a stepwise play (`y.play(&var, tvec)`, `y.play(&var, Dt)`) is an event
//!   per value; NEURON delivers the events due by `t + dt/2` at the start of
//!   a step, so the value whose time is at most `t + dt/2` holds during the
//!   step (and at `finitialize`, the values of time 0);
//! * a continuous play (`y.play(&var, tvec, 1)`) is interpolated at
//!   `t + dt/2` before the currents (the solver's step is one piece, so the
//!   value is set before it) and at `t + dt` after it;
//! * a timed record is an event per time too: after each step (and after
//!   `finitialize`) the events due by `t + dt/2` take the values at `t`
//!   (`&t` every `Dt` stores the event times themselves). Checked against
//!   nrniv: with dt = 0.025, `Dt` = 0.1 records v(0.1), v(0.2)...; a time of
//!   0.33 records the values at 0.325, 4.444 those at 4.45.

use crate::{Engine, EngineError};
use neurite_hoc::sim::{PlayTimes, RecordSource};
use std::cell::RefCell;
use std::rc::Rc;

/// A `Vector.play`.
#[derive(Debug, Clone)]
pub(crate) struct Play {
    pub target: RecordSource,
    pub values: Rc<RefCell<Vec<f64>>>,
    pub times: PlayTimes,
    pub continuous: bool,
}

/// A `Vector.record` at given times, with its next event (time, index).
#[derive(Debug, Clone)]
pub(crate) struct TimedRecord {
    pub source: RecordSource,
    pub into: Rc<RefCell<Vec<f64>>>,
    pub times: PlayTimes,
    pub next: Option<(f64, usize)>,
}

impl Play {
    /// Stepwise: the last value whose time is at most `limit`.
    fn step_value(&self, limit: f64) -> Option<f64> {
        let y = self.values.borrow();
        let t = self.times.sample_times(y.len());
        let n = y.len().min(t.len());
        let k = (0..n).rev().find(|i| t[*i] <= limit)?;
        Some(y[k])
    }

    /// Continuous: NEURON's interpolation, the last segment extrapolated,
    /// `(y0 + y1) / 2` where two times coincide.
    fn continuous_value(&self, tt: f64) -> Option<f64> {
        let y = self.values.borrow();
        let t = self.times.sample_times(y.len());
        let ub = y.len().min(t.len()).checked_sub(1)?;
        if ub == 0 || tt <= t[0] {
            return Some(y[0]);
        }
        let k = if tt >= t[ub] {
            ub
        } else {
            (1..=ub).find(|k| tt < t[*k])?
        };
        let (x0, x1, t0, t1) = (y[k - 1], y[k], t[k - 1], t[k]);
        if t0 == t1 {
            return Some((x0 + x1) / 2.0);
        }
        Some(x0 + (x1 - x0) * ((tt - t0) / (t1 - t0)))
    }
}

impl Engine {
    /// Sets the played variables: stepwise ones to their value at `limit`,
    /// or continuous ones interpolated at `limit`.
    pub(crate) fn apply_plays(&mut self, limit: f64, continuous: bool) -> Result<(), EngineError> {
        let updates: Vec<(RecordSource, f64)> = self
            .plays
            .iter()
            .filter(|p| p.continuous == continuous)
            .filter_map(|p| {
                let v = if continuous {
                    p.continuous_value(limit)
                } else {
                    p.step_value(limit)
                };
                v.map(|v| (p.target.clone(), v))
            })
            .collect();
        for (target, v) in updates {
            match target {
                RecordSource::Range { sec, name, x } => self.range_set(sec, &name, Some(x), v)?,
                RecordSource::PointProcess { pp, name } => self.pp_assign(pp, &name, v)?,
                RecordSource::Global(g) => {
                    self.set_setting(&g, v)?;
                }
            }
        }
        Ok(())
    }

    /// Restarts the timed records (at `finitialize`).
    pub(crate) fn reset_timed_records(&mut self) {
        for r in &mut self.timed {
            r.into.borrow_mut().clear();
            r.next = r.times.first_event();
        }
    }

    /// Records the events due by `limit` with the present values.
    pub(crate) fn deliver_timed_records(&mut self, limit: f64) {
        for k in 0..self.timed.len() {
            let mut guard = 0u32;
            while let Some((tt, i)) = self.timed[k].next.filter(|(tt, _)| *tt <= limit) {
                let r = &self.timed[k];
                let v = match &r.source {
                    RecordSource::Global(g) if g == "t" && matches!(r.times, PlayTimes::Dt(_)) => {
                        tt
                    }
                    src => self.sample_value(src),
                };
                r.into.borrow_mut().push(v);
                self.timed[k].next = self.timed[k].times.next_event((tt, i));
                guard += 1;
                if guard > 10_000_000 {
                    break;
                }
            }
        }
    }
}
