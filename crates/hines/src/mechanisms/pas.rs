//! `pas`: NEURON's passive leak, `i = g·(v − e)`, a density mechanism.

use crate::mechanism::{CurrentContext, Mechanism, NodeContext};

/// Passive leak instances, one per segment node, in structure-of-arrays form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pas {
    /// Node of each instance.
    pub node: Vec<usize>,
    /// Conductance g_pas (S/cm²).
    pub g: Vec<f64>,
    /// Reversal potential e_pas (mV).
    pub e: Vec<f64>,
    /// Current i_pas (mA/cm²), outward positive; assigned at each current evaluation.
    pub i: Vec<f64>,
}

impl Pas {
    /// Column index of g (S/cm²).
    pub const G: usize = 0;
    /// Column index of e (mV).
    pub const E: usize = 1;
    /// Column index of i (mA/cm²).
    pub const I: usize = 2;
    /// NEURON's default g_pas (S/cm²).
    pub const DEFAULT_G: f64 = 0.001;
    /// NEURON's default e_pas (mV).
    pub const DEFAULT_E: f64 = -70.0;

    /// No instances.
    pub fn new() -> Self {
        Pas::default()
    }

    /// Adds an instance at `node` with conductance `g` (S/cm²) and reversal `e` (mV).
    pub fn push(&mut self, node: usize, g: f64, e: f64) -> usize {
        self.node.push(node);
        self.g.push(g);
        self.e.push(e);
        self.i.push(0.0);
        self.node.len() - 1
    }
}

impl Mechanism for Pas {
    fn nodes(&self) -> &[usize] {
        &self.node
    }

    fn init(&mut self, _ctx: &mut NodeContext<'_>) {}

    /// NEURON's conductance rule: `g = (i(v + 0.001) − i(v)) / 0.001`.
    fn current(&mut self, ctx: &mut CurrentContext<'_>) {
        for k in 0..self.node.len() {
            let n = self.node[k];
            let v = ctx.v[n];
            let (g, e) = (self.g[k], self.e[k]);
            let i_plus = g * (v + 0.001 - e);
            let i = g * (v - e);
            self.i[k] = i;
            ctx.add_density_current(n, i, (i_plus - i) / 0.001);
        }
    }

    fn column_count(&self) -> usize {
        3
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        let col = match column {
            Pas::G => &self.g,
            Pas::E => &self.e,
            Pas::I => &self.i,
            _ => return None,
        };
        col.get(instance).copied()
    }

    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool {
        let col = match column {
            Pas::G => &mut self.g,
            Pas::E => &mut self.e,
            Pas::I => &mut self.i,
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
