//! `VecStim`: an artificial cell that plays back spike times (NEURON's
//! `vecevent.mod` example, used everywhere as `VecStim.play(vec)`). INITIAL
//! takes the first time and sends a flag-1 self-event `etime − t` later; each
//! flag-1 event fires a spike at t and sends the next one. As in the mod file,
//! the times should be sorted and not before 0. nocmodl writes
//! `net_send(etime - t, 1)` as the time `t + etime - t`, i.e. `(t + etime) − t`,
//! which may differ from `etime` in the last bit (NEURON plays 0.3 after 0.1 as
//! 0.30000000000000004); so does this.

use crate::mechanism::{CurrentContext, Mechanism, NodeContext};

/// VecStim instances: one spike-time list each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VecStim {
    /// Spike times (ms) of each instance.
    pub times: Vec<Vec<f64>>,
    /// Index of the next time (−1 when exhausted), NEURON's `index`.
    pub index: Vec<f64>,
    /// Time of the pending spike (ms), NEURON's `etime`.
    pub etime: Vec<f64>,
}

impl VecStim {
    /// Column index of `index`.
    pub const INDEX: usize = 0;
    /// Column index of `etime` (ms).
    pub const ETIME: usize = 1;

    /// No instances.
    pub fn new() -> Self {
        VecStim::default()
    }

    /// Adds a player of `times` (ms); returns its instance index.
    pub fn push(&mut self, times: Vec<f64>) -> usize {
        self.times.push(times);
        self.index.push(0.0);
        self.etime.push(0.0);
        self.times.len() - 1
    }

    /// `element()`: takes the next time, or sets index to −1 at the end.
    fn element(&mut self, k: usize) {
        if self.index[k] < 0.0 {
            return;
        }
        // index counts whole elements taken so far
        let i = self.index[k] as usize;
        match self.times[k].get(i) {
            Some(&time) => {
                self.etime[k] = time;
                self.index[k] += 1.0;
            }
            None => self.index[k] = -1.0,
        }
    }

    fn schedule_next(&mut self, ctx: &mut NodeContext<'_>, k: usize) {
        self.element(k);
        if self.index[k] > 0.0 {
            let t = ctx.step.t;
            ctx.net_send_at(k, t + self.etime[k] - t, 1.0);
        }
    }
}

impl Mechanism for VecStim {
    fn nodes(&self) -> &[usize] {
        &[]
    }

    fn instance_count(&self) -> usize {
        self.times.len()
    }

    fn is_artificial(&self) -> bool {
        true
    }

    fn init(&mut self, ctx: &mut NodeContext<'_>) {
        for k in 0..self.times.len() {
            self.index[k] = 0.0;
            self.schedule_next(ctx, k);
        }
    }

    fn current(&mut self, _ctx: &mut CurrentContext<'_>) {}

    fn net_receive(
        &mut self,
        ctx: &mut NodeContext<'_>,
        instance: usize,
        _weights: &mut [f64],
        flag: f64,
    ) {
        if flag == 1.0 && instance < self.times.len() {
            ctx.net_event(instance, ctx.step.t);
            self.schedule_next(ctx, instance);
        }
    }

    fn column_count(&self) -> usize {
        2
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        match column {
            VecStim::INDEX => self.index.get(instance).copied(),
            VecStim::ETIME => self.etime.get(instance).copied(),
            _ => None,
        }
    }

    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool {
        let slot = match column {
            VecStim::INDEX => self.index.get_mut(instance),
            VecStim::ETIME => self.etime.get_mut(instance),
            _ => None,
        };
        match slot {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        }
    }
}
