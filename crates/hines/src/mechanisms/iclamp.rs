//! `IClamp`: NEURON's current-step electrode, a point process whose current
//! `amp` (nA) is injected into the cell while `del ≤ t < del + dur`.

use crate::mechanism::{CurrentContext, Mechanism, NodeContext};

/// Current clamp instances in structure-of-arrays form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IClamp {
    /// Node of each instance.
    pub node: Vec<usize>,
    /// Onset (ms).
    pub del: Vec<f64>,
    /// Duration (ms).
    pub dur: Vec<f64>,
    /// Amplitude (nA), positive depolarises.
    pub amp: Vec<f64>,
    /// Injected current (nA), positive into the cell.
    pub i: Vec<f64>,
}

impl IClamp {
    /// Column index of del (ms).
    pub const DEL: usize = 0;
    /// Column index of dur (ms).
    pub const DUR: usize = 1;
    /// Column index of amp (nA).
    pub const AMP: usize = 2;
    /// Column index of i (nA).
    pub const I: usize = 3;

    /// No instances.
    pub fn new() -> Self {
        IClamp::default()
    }

    /// Adds a clamp at `node`: onset `del` (ms), duration `dur` (ms), amplitude `amp` (nA).
    pub fn push(&mut self, node: usize, del: f64, dur: f64, amp: f64) -> usize {
        self.node.push(node);
        self.del.push(del);
        self.dur.push(dur);
        self.amp.push(amp);
        self.i.push(0.0);
        self.node.len() - 1
    }

    /// The BREAKPOINT test, evaluated at the time currents are computed
    /// (t + dt/2 in a fixed step): on while `t < del + dur && t >= del`.
    fn value(&self, k: usize, t: f64) -> f64 {
        if t < self.del[k] + self.dur[k] && t >= self.del[k] {
            self.amp[k]
        } else {
            0.0
        }
    }
}

impl Mechanism for IClamp {
    fn nodes(&self) -> &[usize] {
        &self.node
    }

    fn init(&mut self, _ctx: &mut NodeContext<'_>) {
        self.i.fill(0.0);
    }

    /// An ELECTRODE_CURRENT: adds `+i·100/area` to rhs; its conductance
    /// `(i(v+0.001) − i(v))/0.001` is 0 since i does not depend on v.
    fn current(&mut self, ctx: &mut CurrentContext<'_>) {
        let t = ctx.step.t;
        for k in 0..self.node.len() {
            let i = self.value(k, t);
            self.i[k] = i;
            ctx.add_electrode_current(self.node[k], i, 0.0);
        }
    }

    fn column_count(&self) -> usize {
        4
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        let col = match column {
            IClamp::DEL => &self.del,
            IClamp::DUR => &self.dur,
            IClamp::AMP => &self.amp,
            IClamp::I => &self.i,
            _ => return None,
        };
        col.get(instance).copied()
    }

    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool {
        let col = match column {
            IClamp::DEL => &mut self.del,
            IClamp::DUR => &mut self.dur,
            IClamp::AMP => &mut self.amp,
            IClamp::I => &mut self.i,
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
