//! `hh`: NEURON's Hodgkin–Huxley squid axon channels (sodium, potassium, leak),
//! a density mechanism that reads `ena`/`ek` from and writes `ina`/`ik` to the
//! ions, with states m, h, n advanced by `cnexp`. Reproduces NEURON's `hh.mod`
//! with `usetable_hh = 0` (rates computed directly, not from a table).

use crate::ion::{IonColumn, IonId, IonSpec, IonStyle};
use crate::mechanism::{CurrentContext, Mechanism, NodeContext};

/// Rate constants at one voltage.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rates {
    minf: f64,
    mtau: f64,
    hinf: f64,
    htau: f64,
    ninf: f64,
    ntau: f64,
}

/// `vtrap(x, y)`: x/(exp(x/y) − 1), with its limit near x = 0.
fn vtrap(x: f64, y: f64) -> f64 {
    if (x / y).abs() < 1e-6 {
        y * (1.0 - x / y / 2.0)
    } else {
        x / ((x / y).exp() - 1.0)
    }
}

/// `rates(v)` of hh.mod (mV, ms) at `celsius` (°C).
fn rates(v: f64, celsius: f64) -> Rates {
    let q10 = 3.0f64.powf((celsius - 6.3) / 10.0);
    let (alpha, beta) = (
        0.1 * vtrap(-(v + 40.0), 10.0),
        4.0 * (-(v + 65.0) / 18.0).exp(),
    );
    let sum = alpha + beta;
    let (mtau, minf) = (1.0 / (q10 * sum), alpha / sum);
    let alpha = 0.07 * (-(v + 65.0) / 20.0).exp();
    let beta = 1.0 / ((-(v + 35.0) / 10.0).exp() + 1.0);
    let sum = alpha + beta;
    let (htau, hinf) = (1.0 / (q10 * sum), alpha / sum);
    let (alpha, beta) = (
        0.01 * vtrap(-(v + 55.0), 10.0),
        0.125 * (-(v + 65.0) / 80.0).exp(),
    );
    let sum = alpha + beta;
    let (ntau, ninf) = (1.0 / (q10 * sum), alpha / sum);
    Rates {
        minf,
        mtau,
        hinf,
        htau,
        ninf,
        ntau,
    }
}

/// `cnexp` for `x' = (xinf − x)/xtau` over dt, in the form NMODL emits.
fn cnexp(x: f64, xinf: f64, xtau: f64, dt: f64) -> f64 {
    x + (1.0 - (dt * (-1.0 / xtau)).exp()) * (-(xinf / xtau) / (-1.0 / xtau) - x)
}

/// Hodgkin–Huxley instances in structure-of-arrays form.
#[derive(Debug, Clone, PartialEq)]
pub struct Hh {
    na: IonId,
    k: IonId,
    /// Node of each instance.
    pub node: Vec<usize>,
    /// Instance of the sodium ion at the same node.
    pub na_instance: Vec<usize>,
    /// Instance of the potassium ion at the same node.
    pub k_instance: Vec<usize>,
    /// Maximal sodium conductance (S/cm²).
    pub gnabar: Vec<f64>,
    /// Maximal potassium conductance (S/cm²).
    pub gkbar: Vec<f64>,
    /// Leak conductance (S/cm²).
    pub gl: Vec<f64>,
    /// Leak reversal potential (mV).
    pub el: Vec<f64>,
    /// Sodium activation (1).
    pub m: Vec<f64>,
    /// Sodium inactivation (1).
    pub h: Vec<f64>,
    /// Potassium activation (1).
    pub n: Vec<f64>,
    /// Leak current (mA/cm²).
    pub il: Vec<f64>,
}

/// One evaluation of the BREAKPOINT currents (mA/cm²) at one voltage.
#[derive(Debug, Clone, Copy)]
struct Currents {
    ina: f64,
    ik: f64,
    il: f64,
    total: f64,
}

impl Hh {
    /// Column indices for [`Mechanism::read`]/[`Mechanism::write`].
    pub const GNABAR: usize = 0;
    pub const GKBAR: usize = 1;
    pub const GL: usize = 2;
    pub const EL: usize = 3;
    pub const M: usize = 4;
    pub const H: usize = 5;
    pub const N: usize = 6;
    pub const IL: usize = 7;

    /// NEURON's `na_ion` defaults (ena 50 mV, nai 10 mM, nao 140 mM), with the
    /// style hh gives it (ena a parameter: nothing recomputed).
    pub fn na_ion() -> IonSpec {
        IonSpec {
            charge: 1.0,
            erev: 50.0,
            conc_in: 10.0,
            conc_out: 140.0,
            style: IonStyle::default(),
        }
    }

    /// NEURON's `k_ion` defaults (ek −77 mV, ki 54.4 mM, ko 2.5 mM), style as for na.
    pub fn k_ion() -> IonSpec {
        IonSpec {
            charge: 1.0,
            erev: -77.0,
            conc_in: 54.4,
            conc_out: 2.5,
            style: IonStyle::default(),
        }
    }

    /// No instances; `na` and `k` are the species the instances will use.
    pub fn new(na: IonId, k: IonId) -> Self {
        Hh {
            na,
            k,
            node: Vec::new(),
            na_instance: Vec::new(),
            k_instance: Vec::new(),
            gnabar: Vec::new(),
            gkbar: Vec::new(),
            gl: Vec::new(),
            el: Vec::new(),
            m: Vec::new(),
            h: Vec::new(),
            n: Vec::new(),
            il: Vec::new(),
        }
    }

    /// Adds an instance at `node` with hh.mod's default parameters, using the
    /// given ion instances (from [`crate::Simulation::ion_instance_at`]).
    pub fn push(&mut self, node: usize, na_instance: usize, k_instance: usize) -> usize {
        self.node.push(node);
        self.na_instance.push(na_instance);
        self.k_instance.push(k_instance);
        self.gnabar.push(0.12);
        self.gkbar.push(0.036);
        self.gl.push(0.0003);
        self.el.push(-54.3);
        for col in [&mut self.m, &mut self.h, &mut self.n, &mut self.il] {
            col.push(0.0);
        }
        self.node.len() - 1
    }

    fn currents(&self, k: usize, v: f64, ena: f64, ek: f64) -> Currents {
        let gna = self.gnabar[k] * self.m[k] * self.m[k] * self.m[k] * self.h[k];
        let ina = gna * (v - ena);
        let gk = self.gkbar[k] * self.n[k] * self.n[k] * self.n[k] * self.n[k];
        let ik = gk * (v - ek);
        let il = self.gl[k] * (v - self.el[k]);
        Currents {
            ina,
            ik,
            il,
            total: ina + ik + il,
        }
    }

    fn column(&self, column: usize) -> Option<&Vec<f64>> {
        Some(match column {
            Hh::GNABAR => &self.gnabar,
            Hh::GKBAR => &self.gkbar,
            Hh::GL => &self.gl,
            Hh::EL => &self.el,
            Hh::M => &self.m,
            Hh::H => &self.h,
            Hh::N => &self.n,
            Hh::IL => &self.il,
            _ => return None,
        })
    }
}

impl Mechanism for Hh {
    fn nodes(&self) -> &[usize] {
        &self.node
    }

    /// INITIAL: states at their steady state for v.
    fn init(&mut self, ctx: &mut NodeContext<'_>) {
        for k in 0..self.node.len() {
            let r = rates(ctx.v[self.node[k]], ctx.step.celsius);
            self.m[k] = r.minf;
            self.h[k] = r.hinf;
            self.n[k] = r.ninf;
        }
    }

    /// BREAKPOINT: total current and its conductance by NEURON's difference
    /// rule; ina and ik with their dv derivatives go to the ions.
    fn current(&mut self, ctx: &mut CurrentContext<'_>) {
        for k in 0..self.node.len() {
            let (ni, ki) = (self.na_instance[k], self.k_instance[k]);
            let ena = ion_value(ctx, self.na, ni, IonColumn::Erev);
            let ek = ion_value(ctx, self.k, ki, IonColumn::Erev);
            let v = ctx.v[self.node[k]];
            let plus = self.currents(k, v + 0.001, ena, ek);
            let at = self.currents(k, v, ena, ek);
            self.il[k] = at.il;
            if let Ok(na) = ctx.ions.species_mut(self.na) {
                na.add_current(ni, at.ina, (plus.ina - at.ina) / 0.001);
            }
            if let Ok(kion) = ctx.ions.species_mut(self.k) {
                kion.add_current(ki, at.ik, (plus.ik - at.ik) / 0.001);
            }
            ctx.add_density_current(self.node[k], at.total, (plus.total - at.total) / 0.001);
        }
    }

    /// `SOLVE states METHOD cnexp` at the new v.
    fn state(&mut self, ctx: &mut NodeContext<'_>) {
        let dt = ctx.step.dt;
        for k in 0..self.node.len() {
            let r = rates(ctx.v[self.node[k]], ctx.step.celsius);
            self.m[k] = cnexp(self.m[k], r.minf, r.mtau, dt);
            self.h[k] = cnexp(self.h[k], r.hinf, r.htau, dt);
            self.n[k] = cnexp(self.n[k], r.ninf, r.ntau, dt);
        }
    }

    fn column_count(&self) -> usize {
        8
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        self.column(column)?.get(instance).copied()
    }

    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool {
        let col = match column {
            Hh::GNABAR => &mut self.gnabar,
            Hh::GKBAR => &mut self.gkbar,
            Hh::GL => &mut self.gl,
            Hh::EL => &mut self.el,
            Hh::M => &mut self.m,
            Hh::H => &mut self.h,
            Hh::N => &mut self.n,
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

/// An ion value for an instance; NaN if the species or instance is missing
/// (which then shows up as a non-finite voltage error, never a panic).
fn ion_value(ctx: &CurrentContext<'_>, ion: IonId, instance: usize, column: IonColumn) -> f64 {
    ctx.ions
        .species(ion)
        .ok()
        .and_then(|s| s.get(instance, column))
        .unwrap_or(f64::NAN)
}
