//! The `WatchCount` point process of tests/reference/events_reference.py
//! (`WATCH_MOD`) written by hand against the mechanism interface, the way
//! compiled NMODL will drive WATCH: INITIAL `net_send(0, 1)`; flag 1 watches
//! `v > hi` (statement 1, flag 2); flag 2 counts, calls `net_event(t)` and
//! watches `v < lo` (statement 2, flag 3); flag 3 watches `v > hi` again
//! (statement 3, flag 2).

use neurite_hines::{CurrentContext, Mechanism, NodeContext};

#[derive(Debug, Default)]
pub struct WatchCount {
    pub node: Vec<usize>,
    /// Upper threshold (mV).
    pub hi: Vec<f64>,
    /// Re-arming threshold (mV).
    pub lo: Vec<f64>,
    /// Crossings counted.
    pub n: Vec<f64>,
}

impl Mechanism for WatchCount {
    fn nodes(&self) -> &[usize] {
        &self.node
    }

    fn init(&mut self, ctx: &mut NodeContext<'_>) {
        for k in 0..self.node.len() {
            self.n[k] = 0.0;
            ctx.net_send(k, 0.0, 1.0);
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
        if flag == 1.0 {
            ctx.watch(instance, 1, 2.0);
        } else if flag == 2.0 {
            self.n[instance] += 1.0;
            ctx.net_event(instance, ctx.step.t);
            ctx.watch(instance, 2, 3.0);
        } else if flag == 3.0 {
            ctx.watch(instance, 3, 2.0);
        }
    }

    fn watch_value(&self, ctx: &NodeContext<'_>, instance: usize, watch: usize) -> f64 {
        let v = ctx.v[self.node[instance]];
        match watch {
            2 => -(v - self.lo[instance]),
            _ => v - self.hi[instance],
        }
    }

    fn column_count(&self) -> usize {
        1
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        (column == 0).then(|| self.n.get(instance).copied())?
    }

    fn write(&mut self, _instance: usize, _column: usize, _value: f64) -> bool {
        false
    }
}
