//! `NetStim`: NEURON's spike generator (an artificial cell), reproduced from
//! `netstim.mod` for `noise = 0`: INITIAL sends a flag-3 self-event at
//! `start + interval − interval·(1 − noise)`; its arrival sends a flag-1 event
//! at once; each flag-1 event fires a spike (`net_event(t)`) and, until
//! `number` spikes have fired, sends the next one `interval` later. A NetCon
//! event with positive weight restarts an idle generator; a negative weight
//! stops it. Random intervals (`noise > 0`) are not supported: noise is
//! treated as 0.

use crate::mechanism::{CurrentContext, Mechanism, NodeContext};

/// NetStim instances in structure-of-arrays form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetStim {
    /// Mean interval between spikes (ms).
    pub interval: Vec<f64>,
    /// Number of spikes.
    pub number: Vec<f64>,
    /// Time of the first spike (ms).
    pub start: Vec<f64>,
    /// Fraction of randomness (only 0 is supported).
    pub noise: Vec<f64>,
    /// Delay until the next spike (ms), NetStim's `event`.
    pub event: Vec<f64>,
    /// 1 while spiking.
    pub on: Vec<f64>,
    /// Spikes fired so far.
    pub ispike: Vec<f64>,
}

impl NetStim {
    /// Column indices, in NEURON's order of RANGE and ASSIGNED variables.
    pub const INTERVAL: usize = 0;
    pub const NUMBER: usize = 1;
    pub const START: usize = 2;
    pub const NOISE: usize = 3;
    pub const EVENT: usize = 4;
    pub const ON: usize = 5;
    pub const ISPIKE: usize = 6;

    /// No instances.
    pub fn new() -> Self {
        NetStim::default()
    }

    /// Adds a generator; returns its instance index.
    pub fn push(&mut self, start: f64, interval: f64, number: f64) -> usize {
        self.interval.push(interval);
        self.number.push(number);
        self.start.push(start);
        self.noise.push(0.0);
        self.event.push(0.0);
        self.on.push(0.0);
        self.ispike.push(0.0);
        self.interval.len() - 1
    }

    /// `invl(mean)` with noise 0: the mean, or 0.01 ms if it is not positive.
    fn invl(mean: f64) -> f64 {
        if mean <= 0.0 {
            0.01
        } else {
            mean
        }
    }

    fn init_sequence(&mut self, k: usize) {
        if self.number[k] > 0.0 {
            self.on[k] = 1.0;
            self.event[k] = 0.0;
            self.ispike[k] = 0.0;
        }
    }

    fn next_invl(&mut self, k: usize) {
        if self.number[k] > 0.0 {
            self.event[k] = NetStim::invl(self.interval[k]);
        }
        if self.ispike[k] >= self.number[k] {
            self.on[k] = 0.0;
        }
    }

    fn columns(&self) -> [&Vec<f64>; 7] {
        [
            &self.interval,
            &self.number,
            &self.start,
            &self.noise,
            &self.event,
            &self.on,
            &self.ispike,
        ]
    }

    fn columns_mut(&mut self) -> [&mut Vec<f64>; 7] {
        [
            &mut self.interval,
            &mut self.number,
            &mut self.start,
            &mut self.noise,
            &mut self.event,
            &mut self.on,
            &mut self.ispike,
        ]
    }

    /// Flag 0: an external event with weight `w`.
    fn external(&mut self, ctx: &mut NodeContext<'_>, k: usize, w: f64) {
        if w > 0.0 && self.on[k] == 0.0 {
            self.init_sequence(k);
            self.next_invl(k);
            self.event[k] -= self.interval[k] * (1.0 - self.noise[k]);
            ctx.net_send(k, self.event[k], 1.0);
        } else if w < 0.0 {
            self.on[k] = 0.0;
        }
    }

    /// Flag 1 while on: spike, then schedule the next.
    fn fire(&mut self, ctx: &mut NodeContext<'_>, k: usize) {
        self.ispike[k] += 1.0;
        ctx.net_event(k, ctx.step.t);
        self.next_invl(k);
        if self.on[k] == 1.0 {
            ctx.net_send(k, self.event[k], 1.0);
        }
    }
}

impl Mechanism for NetStim {
    fn nodes(&self) -> &[usize] {
        &[]
    }

    fn instance_count(&self) -> usize {
        self.interval.len()
    }

    fn is_artificial(&self) -> bool {
        true
    }

    /// INITIAL (noise clamped to [0, 1], then treated as 0 by `invl`).
    fn init(&mut self, ctx: &mut NodeContext<'_>) {
        for k in 0..self.interval.len() {
            self.on[k] = 0.0;
            self.ispike[k] = 0.0;
            self.noise[k] = self.noise[k].clamp(0.0, 1.0);
            if self.start[k] >= 0.0 && self.number[k] > 0.0 {
                self.on[k] = 1.0;
                let first = self.start[k] + NetStim::invl(self.interval[k])
                    - self.interval[k] * (1.0 - self.noise[k]);
                self.event[k] = first.max(0.0);
                ctx.net_send(k, self.event[k], 3.0);
            }
        }
    }

    fn current(&mut self, _ctx: &mut CurrentContext<'_>) {}

    fn net_receive(
        &mut self,
        ctx: &mut NodeContext<'_>,
        instance: usize,
        weights: &mut [f64],
        flag: f64,
    ) {
        let k = instance;
        if k >= self.interval.len() {
            return;
        }
        if flag == 0.0 {
            self.external(ctx, k, weights.first().copied().unwrap_or(0.0));
        }
        if flag == 3.0 && self.on[k] == 1.0 {
            self.init_sequence(k);
            ctx.net_send(k, 0.0, 1.0);
        }
        if flag == 1.0 && self.on[k] == 1.0 {
            self.fire(ctx, k);
        }
    }

    fn column_count(&self) -> usize {
        7
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        self.columns().get(column)?.get(instance).copied()
    }

    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool {
        let mut columns = self.columns_mut();
        match columns
            .get_mut(column)
            .and_then(|col| col.get_mut(instance))
        {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        }
    }
}
