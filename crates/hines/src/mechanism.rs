//! The mechanism interface: how membrane mechanisms (built in here, compiled
//! from NMODL later) plug into the solver. A mechanism owns its instances in
//! structure-of-arrays form — one column per variable plus the node index of each
//! instance — and the solver calls its hooks with views of the node arrays.
//!
//! # Timing contract
//! For `finitialize(v_init)`: t = 0, every node's v is set to v_init, then
//! [`Mechanism::init`] is called for each mechanism in insertion order; then the
//! currents are evaluated once ([`Mechanism::current`] at t = 0, as NEURON's
//! `finitialize` does) and the t = 0 sample is recorded.
//!
//! For each fixed step from t to t + dt (NEURON's `fadvance`):
//! 1. [`Mechanism::deliver_events`] at t (events due by t; none yet);
//! 2. t advances by dt/2; the matrix is cleared and [`Mechanism::current`] is
//!    called at t + dt/2 with v still at its old value: each mechanism adds its
//!    current and conductance to `rhs` and `d` of its nodes;
//! 3. capacitance and axial terms are added and the matrix is solved for Δv;
//! 4. [`Mechanism::after_solve`] sees Δv before v changes (NEURON's
//!    `second_order_cur`: ion mechanisms correct their currents when
//!    secondorder = 2);
//! 5. v += Δv (secondorder 0) or v += 2Δv (secondorder 1, 2);
//! 6. t advances by dt/2 more; [`Mechanism::state`] is called at t + dt with the
//!    new v and advances states over dt (the staggered scheme places states at
//!    half steps relative to v);
//! 7. probes record.
//!
//! # Planned
//! Ions will add per-node ion columns owned by the solver (reversal potential,
//! inside/outside concentrations, current and its dv derivative). Following
//! NEURON's `eion.cpp`, their currents are zeroed just before step 2, mechanisms
//! add to them during [`Mechanism::current`], [`Mechanism::after_solve`] applies
//! `i += di/dv·Δv` when secondorder = 2, and a `write_ions` hook after
//! [`Mechanism::state`] lets mechanisms that write concentrations publish them.
//! Events (NET_RECEIVE) will be delivered through [`Mechanism::deliver_events`]
//! from a queue the solver owns.

use std::fmt::Debug;

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

/// Read-only view of the nodes for `init`, `deliver_events` and `state`.
#[derive(Debug)]
pub struct NodeView<'a> {
    pub step: StepInfo,
    /// Membrane potential per node (mV).
    pub v: &'a [f64],
    /// Membrane area per node (µm²); 100 at nodes without membrane.
    pub area: &'a [f64],
    /// Segment diameter per node (µm), NMODL's `diam`; 0 at nodes without membrane.
    pub diam: &'a [f64],
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
    fn init(&mut self, view: &NodeView<'_>);

    /// BREAKPOINT: add currents and conductances for every instance.
    fn current(&mut self, ctx: &mut CurrentContext<'_>);

    /// Advance states over one step (called at t + dt with the new v).
    fn state(&mut self, _view: &NodeView<'_>) {}

    /// Deliver events due by `view.step.t` (start of a step). None yet.
    fn deliver_events(&mut self, _view: &NodeView<'_>) {}

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
