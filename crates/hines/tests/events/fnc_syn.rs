//! The `FncSyn` point process of tests/reference/events_reference.py
//! (`FNC_MOD`) written by hand against the mechanism interface, the way
//! compiled NMODL will drive FOR_NETCONS: an ExpSyn whose NET_RECEIVE(w, k)
//! counts events per connection (k, zeroed by the NET_RECEIVE INITIAL) and then
//! runs `FOR_NETCONS(w1, k1) { w1 = w1*0.9 + 0.0001*total  total = total + k1 }`.

use neurite_hines::{CurrentContext, Mechanism, NetConWeights, NodeContext};

#[derive(Debug, Default)]
pub struct FncSyn {
    pub node: Vec<usize>,
    pub tau: Vec<f64>,
    pub e: Vec<f64>,
    pub g: Vec<f64>,
    pub total: Vec<f64>,
}

impl FncSyn {
    pub const G: usize = 0;
    pub const TOTAL: usize = 1;
}

impl Mechanism for FncSyn {
    fn nodes(&self) -> &[usize] {
        &self.node
    }

    fn init(&mut self, _ctx: &mut NodeContext<'_>) {
        self.g.fill(0.0);
        self.total.fill(0.0);
    }

    fn current(&mut self, ctx: &mut CurrentContext<'_>) {
        for k in 0..self.node.len() {
            let v = ctx.v[self.node[k]];
            let i_hi = self.g[k] * (v + 0.001 - self.e[k]);
            let i = self.g[k] * (v - self.e[k]);
            ctx.add_point_current(self.node[k], i, (i_hi - i) / 0.001);
        }
    }

    fn state(&mut self, ctx: &mut NodeContext<'_>) {
        for (g, &tau) in self.g.iter_mut().zip(&self.tau) {
            let rate = -1.0 / tau;
            *g += (1.0 - (ctx.step.dt * rate).exp()) * (-0.0 / rate - *g);
        }
    }

    fn weight_count(&self) -> usize {
        2
    }

    fn net_receive_init(
        &mut self,
        _ctx: &mut NodeContext<'_>,
        _instance: usize,
        weights: &mut [f64],
    ) -> bool {
        weights[1] = 0.0;
        true
    }

    fn uses_for_netcons(&self) -> bool {
        true
    }

    fn net_receive_netcons(
        &mut self,
        _ctx: &mut NodeContext<'_>,
        instance: usize,
        netcons: &mut NetConWeights<'_>,
        _flag: f64,
    ) {
        let args = netcons.current();
        self.g[instance] += args[0];
        args[1] += 1.0;
        for j in 0..netcons.len() {
            if let Some(w) = netcons.get_mut(j) {
                w[0] = w[0] * 0.9 + 0.0001 * self.total[instance];
                self.total[instance] += w[1];
            }
        }
    }

    fn column_count(&self) -> usize {
        2
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        match column {
            FncSyn::G => self.g.get(instance).copied(),
            FncSyn::TOTAL => self.total.get(instance).copied(),
            _ => None,
        }
    }

    fn write(&mut self, _instance: usize, _column: usize, _value: f64) -> bool {
        false
    }
}
