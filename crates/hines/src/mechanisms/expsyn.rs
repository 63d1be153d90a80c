//! `ExpSyn`: NEURON's exponentially decaying synaptic conductance, a point
//! process with `i = g·(v − e)` (nA), `g' = −g/tau` and `g += weight` on each
//! event (NET_RECEIVE).

use crate::mechanism::{CurrentContext, Mechanism, NodeContext};

/// ExpSyn instances in structure-of-arrays form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExpSyn {
    /// Node of each instance.
    pub node: Vec<usize>,
    /// Decay time constant (ms).
    pub tau: Vec<f64>,
    /// Reversal potential (mV).
    pub e: Vec<f64>,
    /// Current (nA), outward positive.
    pub i: Vec<f64>,
    /// Conductance (µS), the state.
    pub g: Vec<f64>,
}

impl ExpSyn {
    /// Column index of tau (ms).
    pub const TAU: usize = 0;
    /// Column index of e (mV).
    pub const E: usize = 1;
    /// Column index of i (nA).
    pub const I: usize = 2;
    /// Column index of g (µS).
    pub const G: usize = 3;
    /// NEURON's default tau (ms).
    pub const DEFAULT_TAU: f64 = 0.1;

    /// No instances.
    pub fn new() -> Self {
        ExpSyn::default()
    }

    /// Adds a synapse at `node` with time constant `tau` (ms) and reversal
    /// potential `e` (mV); returns its instance index.
    pub fn push(&mut self, node: usize, tau: f64, e: f64) -> usize {
        self.node.push(node);
        self.tau.push(tau);
        self.e.push(e);
        self.i.push(0.0);
        self.g.push(0.0);
        self.node.len() - 1
    }

    fn column(&self, column: usize) -> Option<&Vec<f64>> {
        Some(match column {
            ExpSyn::TAU => &self.tau,
            ExpSyn::E => &self.e,
            ExpSyn::I => &self.i,
            ExpSyn::G => &self.g,
            _ => return None,
        })
    }
}

impl Mechanism for ExpSyn {
    fn nodes(&self) -> &[usize] {
        &self.node
    }

    /// INITIAL: g = 0.
    fn init(&mut self, _ctx: &mut NodeContext<'_>) {
        self.g.fill(0.0);
    }

    /// BREAKPOINT: `i = g·(v − e)`, conductance by difference at v + 0.001.
    fn current(&mut self, ctx: &mut CurrentContext<'_>) {
        for k in 0..self.node.len() {
            let node = self.node[k];
            let v = ctx.v[node];
            let (g, e) = (self.g[k], self.e[k]);
            let i_hi = g * (v + 0.001 - e);
            let i = g * (v - e);
            self.i[k] = i;
            ctx.add_point_current(node, i, (i_hi - i) / 0.001);
        }
    }

    /// `cnexp` as nocmodl writes it for `g' = −g/tau`:
    /// `g + (1 − exp(dt·(−1/tau)))·(−0/(−1/tau) − g)`.
    fn state(&mut self, ctx: &mut NodeContext<'_>) {
        let dt = ctx.step.dt;
        for (g, &tau) in self.g.iter_mut().zip(&self.tau) {
            let rate = -1.0 / tau;
            *g += (1.0 - (dt * rate).exp()) * (-0.0 / rate - *g);
        }
    }

    /// NET_RECEIVE(weight): g += weight.
    fn net_receive(
        &mut self,
        _ctx: &mut NodeContext<'_>,
        instance: usize,
        weights: &mut [f64],
        _flag: f64,
    ) {
        if let (Some(g), Some(w)) = (self.g.get_mut(instance), weights.first()) {
            *g += w;
        }
    }

    fn column_count(&self) -> usize {
        4
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        self.column(column)?.get(instance).copied()
    }

    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool {
        let col = match column {
            ExpSyn::TAU => &mut self.tau,
            ExpSyn::E => &mut self.e,
            ExpSyn::I => &mut self.i,
            ExpSyn::G => &mut self.g,
            _ => return false,
        };
        match col.get_mut(instance) {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        }
    }
}
