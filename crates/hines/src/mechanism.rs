//! The mechanism interface: how membrane mechanisms (built in here, compiled
//! from NMODL later) plug into the solver. A mechanism owns its instances in
//! structure-of-arrays form — one column per variable plus the node index of each
//! instance — and the solver calls its hooks with views of the node arrays.
//!
//! # Timing contract
//! For `finitialize(v_init)`: t = 0, every node's v is set to v_init; the ions
//! reset concentrations and reversal potentials as their style says; then
//! [`Mechanism::init`] is called for each mechanism in insertion order; then the
//! currents are evaluated once (as in step 2, at t = 0, as NEURON's
//! `finitialize` does) and the t = 0 sample is recorded.
//!
//! For each fixed step from t to t + dt (NEURON's `fadvance`):
//! 1. [`Mechanism::deliver_events`] at t (events due by t; none yet);
//! 2. t advances by dt/2; the matrix is cleared, ion currents and their dv
//!    derivatives are zeroed (reversal potentials recomputed if the ion's style
//!    says so), and [`Mechanism::current`] is called at t + dt/2 with v still at
//!    its old value: each mechanism adds its current and conductance to `rhs`
//!    and `d` of its nodes, and ion currents to the ions it writes;
//! 3. capacitance and axial terms are added and the matrix is solved for Δv;
//! 4. with secondorder = 2 every ion current gets `+= di/dv·Δv` (NEURON's
//!    `second_order_cur`); then [`Mechanism::after_solve`] sees Δv before v
//!    changes;
//! 5. v += Δv (secondorder 0) or v += 2Δv (secondorder 1, 2);
//! 6. t advances by dt/2 more; [`Mechanism::state`] is called at t + dt with the
//!    new v and advances states over dt (the staggered scheme places states at
//!    half steps relative to v); mechanisms that write concentrations write them
//!    into the ions here;
//! 7. probes record.
//!
//! # Planned
//! Events (NET_RECEIVE) will be delivered through [`Mechanism::deliver_events`]
//! from a queue the solver owns.

use std::fmt::Debug;

use crate::ion::Ions;

/// NEURON's `secondorder` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecondOrder {
    /// 0: backward Euler, first order.
    #[default]
    Implicit,
    /// 1: Crank–Nicolson for v, ion currents not corrected.
    CrankNicolson,
    /// 2: Crank–Nicolson with ion currents corrected after the solve.
    CrankNicolsonIons,
}

impl SecondOrder {
    /// NEURON's integer value.
    pub fn value(self) -> i32 {
        match self {
            SecondOrder::Implicit => 0,
            SecondOrder::CrankNicolson => 1,
            SecondOrder::CrankNicolsonIons => 2,
        }
    }
    /// From NEURON's integer value.
    pub fn from_value(value: i32) -> Option<Self> {
        match value {
            0 => Some(SecondOrder::Implicit),
            1 => Some(SecondOrder::CrankNicolson),
            2 => Some(SecondOrder::CrankNicolsonIons),
            _ => None,
        }
    }
}

/// Time and global settings during a hook.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepInfo {
    /// Time at which the hook is evaluated (ms).
    pub t: f64,
    /// Time step (ms).
    pub dt: f64,
    /// Temperature (°C).
    pub celsius: f64,
    /// Integration method.
    pub secondorder: SecondOrder,
}

/// View for `init`, `deliver_events` and `state`: read the nodes, read and
/// write the ions (e.g. concentrations).
#[derive(Debug)]
pub struct NodeContext<'a> {
    pub step: StepInfo,
    /// Membrane potential per node (mV).
    pub v: &'a [f64],
    /// Membrane area per node (µm²); 100 at nodes without membrane.
    pub area: &'a [f64],
    /// Segment diameter per node (µm), NMODL's `diam`; 0 at nodes without membrane.
    pub diam: &'a [f64],
    /// Ion species and their per-node columns.
    pub ions: &'a mut Ions,
}

/// View for `current`: read v, add to the matrix's `rhs` and `d`.
#[derive(Debug)]
pub struct CurrentContext<'a> {
    pub step: StepInfo,
    /// Membrane potential per node (mV).
    pub v: &'a [f64],
    /// Membrane area per node (µm²); 100 at nodes without membrane.
    pub area: &'a [f64],
    /// Segment diameter per node (µm), NMODL's `diam`; 0 at nodes without membrane.
    pub diam: &'a [f64],
    /// Net current into each node (mA/cm²; nA at nodes without membrane).
    pub rhs: &'a mut [f64],
    /// Diagonal: conductance of each node (mS/cm²; µS at nodes without membrane).
    pub d: &'a mut [f64],
    /// Ion species: currents were zeroed just before; mechanisms that write an
    /// ion current add it and its dv derivative here.
    pub ions: &'a mut Ions,
}

impl CurrentContext<'_> {
    /// Adds a density mechanism's outward membrane current `i` (mA/cm²) and its
    /// conductance `g` = di/dv (S/cm²) at `node`.
    pub fn add_density_current(&mut self, node: usize, i: f64, g: f64) {
        self.rhs[node] -= i;
        self.d[node] += g;
    }

    /// NEURON's scale from a point process's nA (or µS) to the node's units
    /// (mA/cm² or S/cm²): `100/area`, which is 1 at nodes without membrane.
    pub fn point_scale(&self, node: usize) -> f64 {
        1.0e2 / self.area[node]
    }

    /// Adds a point process's outward membrane current `i` (nA) and
    /// conductance `g` (µS) at `node`.
    pub fn add_point_current(&mut self, node: usize, i: f64, g: f64) {
        let scale = self.point_scale(node);
        self.add_density_current(node, i * scale, g * scale);
    }

    /// Adds an electrode current `i` (nA, positive into the cell, i.e.
    /// depolarising) and its conductance `g` = di/dv (µS) at `node`.
    pub fn add_electrode_current(&mut self, node: usize, i: f64, g: f64) {
        let scale = self.point_scale(node);
        self.rhs[node] += i * scale;
        self.d[node] -= g * scale;
    }
}

/// View for `after_solve`: the solution Δv (mV) of this step, before v changes.
#[derive(Debug)]
pub struct SolvedContext<'a> {
    pub step: StepInfo,
    /// Membrane potential per node before the update (mV).
    pub v: &'a [f64],
    /// Voltage change per node from the solve (mV).
    pub dv: &'a [f64],
}

/// A set of instances of one mechanism, stored column by column.
///
/// Implementations must not panic on any state the solver can give them; node
/// indices are checked against the discretisation when the mechanism is added.
pub trait Mechanism: Debug {
    /// The node index of each instance.
    fn nodes(&self) -> &[usize];

    /// INITIAL: set states and assigned variables from v at t = 0.
    fn init(&mut self, ctx: &mut NodeContext<'_>);

    /// BREAKPOINT: add currents and conductances for every instance.
    fn current(&mut self, ctx: &mut CurrentContext<'_>);

    /// Advance states over one step (called at t + dt with the new v).
    fn state(&mut self, _ctx: &mut NodeContext<'_>) {}

    /// Deliver events due by `view.step.t` (start of a step). None yet.
    fn deliver_events(&mut self, _ctx: &mut NodeContext<'_>) {}

    /// After the solve, before v is updated (ion current correction).
    fn after_solve(&mut self, _ctx: &SolvedContext<'_>) {}

    /// Number of variable columns.
    fn column_count(&self) -> usize;

    /// The value of column `column` for instance `instance`, if both exist.
    fn read(&self, instance: usize, column: usize) -> Option<f64>;

    /// Sets column `column` of instance `instance`; `false` if either does not
    /// exist (or the column cannot be written).
    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool;
}
