//! The mechanism interface: how membrane mechanisms (built in here, compiled
//! from NMODL later) plug into the solver. A mechanism owns its instances in
//! structure-of-arrays form — one column per variable plus the node index of each
//! instance — and the solver calls its hooks with views of the node arrays.
//! Mechanisms with a NET_RECEIVE block also receive events from the solver's
//! queue and send events through the [`Outbox`] of their context.
//!
//! # Timing contract
//! For `finitialize(v_init)`: t = 0, every node's v is set to v_init, the event
//! queue is emptied; `BEFORE INITIAL` ([`Mechanism::before_after`]) runs; the
//! ions reset concentrations and reversal potentials as
//! their style says; then [`Mechanism::init`] is called for each mechanism in
//! insertion order, artificial cells ([`Mechanism::is_artificial`]) after all
//! others (INITIAL may `net_send`); then every spike source is re-armed and its
//! recorded spikes cleared, and for every NetCon with a target, in creation
//! order, [`Mechanism::net_receive_init`] runs (when it reports that it has no
//! such block, the NetCon's weights after the first are set to 0); then
//! `AFTER INITIAL` runs; then events
//! due at t = 0 are delivered; then the currents are evaluated once (as in step
//! 2, at t = 0, as NEURON's `finitialize` does), `BEFORE STEP` runs, the t = 0
//! sample is recorded, and events due at t = 0 are delivered again.
//!
//! For each fixed step from t to t + dt (NEURON's `fadvance`):
//! 1. [`Mechanism::deliver_events`] at t (a per-step hook; no built-in
//!    mechanism uses it); then every voltage spike source is checked at t with
//!    the v of the previous step: a source whose v exceeds its threshold while
//!    it was not above fires a spike at t + 1e-10 ms (no interpolation); then
//!    every active WATCH ([`Mechanism::watch_value`]) is checked the same way
//!    and queues its event at t; then every queued event with delivery time
//!    ≤ t + dt/2 is delivered in queue order through
//!    [`Mechanism::net_receive`], with `ctx.step.t` set to the event's own
//!    time (ties: see `docs/semantics/events.md`);
//! 2. t advances by dt/2; the matrix is cleared, `BEFORE BREAKPOINT` runs,
//!    ion currents and their dv derivatives are zeroed (reversal potentials recomputed if the ion's style
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
//!    into the ions here; then the quantities of mechanisms with
//!    [`Mechanism::diffusion_count`] > 0 diffuse along the cable
//!    ([`crate::longitudinal`], NEURON's `long_difus_solve`); then `AFTER SOLVE` runs;
//! 7. `BEFORE STEP` runs (NEURON runs it here, at the end of the step, before
//!    the recording); probes record; then events with delivery time ≤ t + dt are delivered
//!    (those are the events of (t + dt/2, t + dt]; NEURON delivers them here,
//!    after recording, rather than at the start of the next step).
//!
//! # Events seen by a mechanism
//! [`Mechanism::net_receive`] gets the instance, the weight vector of the
//! NetCon that carried the event (mutable: NET_RECEIVE arguments after the
//! first are per-connection state), and the flag (0 for a NetCon event, the
//! `net_send` flag for a self-event, whose weights are those of the NetCon whose
//! delivery sent it, or empty when it was sent from INITIAL). Inside the hook
//! `ctx.step.t` is the event time. The hook may call [`NodeContext::net_send`]
//! or [`NodeContext::net_send_at`] (self-event), [`NodeContext::net_event`] (an
//! output spike of the instance, e.g. an artificial cell, feeding the NetCons
//! whose source it is), [`NodeContext::net_move`] (move the instance's pending
//! flag-1 self-event) and [`NodeContext::watch`] (a WATCH statement). The
//! solver acts on these requests, in the order made, right after the hook
//! returns, before the next event is taken from the queue; INITIAL may make
//! them too. A mechanism whose NET_RECEIVE uses FOR_NETCONS says so
//! ([`Mechanism::uses_for_netcons`]) and gets the weights of all NetCons of the
//! instance through [`Mechanism::net_receive_netcons`] instead. A WATCH event
//! arrives with its flag and no weights.

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

/// Where an NMODL `BEFORE`/`AFTER` block runs (NEURON's `nrn_ba` points):
/// see the timing contract above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BeforeAfter {
    /// `BEFORE INITIAL`: at `finitialize`, after v is set, before any INITIAL.
    BeforeInitial,
    /// `AFTER INITIAL`: after every INITIAL and the NetCons' INITIAL blocks.
    AfterInitial,
    /// `BEFORE BREAKPOINT`: before every evaluation of the currents.
    BeforeBreakpoint,
    /// `AFTER SOLVE`: after the states advanced, at the step's end.
    AfterSolve,
    /// `BEFORE STEP`: just before each sample is recorded (at `finitialize`
    /// and at the end of every step).
    BeforeStep,
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
    /// Event requests made during the hook (INITIAL and NET_RECEIVE).
    pub events: &'a mut Outbox,
}

impl NodeContext<'_> {
    /// NMODL's `net_send(delay, flag)` for a delay that is one value: a
    /// self-event to `instance` at `t + delay` (ms), with `t` = `self.step.t`.
    pub fn net_send(&mut self, instance: usize, delay: f64, flag: f64) {
        let time = self.step.t + delay;
        self.net_send_at(instance, time, flag);
    }

    /// A self-event to `instance` at absolute `time` (ms). nocmodl turns
    /// `net_send(expr, flag)` into the text `t + expr`, so `net_send(a - b, 1)`
    /// is sent at `(t + a) − b`, which can differ from `t + (a − b)` in the last
    /// bit: compiled NMODL should evaluate the time that way and call this.
    pub fn net_send_at(&mut self, instance: usize, time: f64, flag: f64) {
        self.events.push(EventRequest::Send {
            instance,
            time,
            flag,
        });
    }

    /// NMODL's `net_event(time)`: `instance` spikes at `time` (ms), an event
    /// for every NetCon whose source it is.
    pub fn net_event(&mut self, instance: usize, time: f64) {
        self.events.push(EventRequest::Spike { instance, time });
    }

    /// NEURON's `nrn_fake_fire(gid, time, 0)`: every NetCon of the input
    /// port `gid` delivers at `time` plus its delay (a gid that is not
    /// finite or has no port does nothing).
    pub fn fake_fire(&mut self, gid: f64, time: f64) {
        self.events.push(EventRequest::FakeFire { gid, time });
    }

    /// NMODL's `net_move(time)`: moves the pending self-event of `instance`
    /// sent with flag 1 to `time` (ms).
    pub fn net_move(&mut self, instance: usize, time: f64) {
        self.events.push(EventRequest::Move { instance, time });
    }

    /// NMODL's `WATCH (condition) flag` statement number `watch` of the
    /// mechanism, executed in NET_RECEIVE for `instance`: the condition is
    /// watched from now on (the first WATCH executed in a NET_RECEIVE call
    /// first cancels every watch of the instance), and when
    /// [`Mechanism::watch_value`] becomes positive at a step's start the
    /// instance gets an event with `flag` at that time.
    pub fn watch(&mut self, instance: usize, watch: usize, flag: f64) {
        self.events.push(EventRequest::Watch {
            instance,
            watch,
            flag,
        });
    }
}

/// The weight vectors of every NetCon targeting one instance, for NMODL's
/// `FOR_NETCONS`, in NEURON's order (NetCons grouped by source, sources in
/// creation order — those without a source share one, created with the first
/// of them — and each source's NetCons in creation order).
#[derive(Debug, Default)]
pub struct NetConWeights<'a> {
    weights: Vec<&'a mut [f64]>,
    current: Option<usize>,
}

impl<'a> NetConWeights<'a> {
    /// The weight vectors, and which of them belongs to the event being
    /// delivered (none for a self-event sent from INITIAL or a WATCH event).
    pub fn new(weights: Vec<&'a mut [f64]>, current: Option<usize>) -> Self {
        NetConWeights { weights, current }
    }

    /// Number of NetCons targeting the instance.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True if no NetCon targets the instance.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Position of the delivering NetCon in the list.
    pub fn current_index(&self) -> Option<usize> {
        self.current
    }

    /// The weights of the delivering NetCon (the NET_RECEIVE arguments);
    /// empty when there is none.
    pub fn current(&mut self) -> &mut [f64] {
        match self.current.and_then(|i| self.weights.get_mut(i)) {
            Some(w) => w,
            None => &mut [],
        }
    }

    /// The weights of NetCon `index` of the list (a FOR_NETCONS iteration).
    pub fn get_mut(&mut self, index: usize) -> Option<&mut [f64]> {
        self.weights.get_mut(index).map(|w| &mut **w)
    }
}

/// An event request made by a mechanism hook; see [`NodeContext::net_send`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventRequest {
    /// Self-event to `instance` at absolute `time` (ms) with `flag`.
    Send {
        instance: usize,
        time: f64,
        flag: f64,
    },
    /// Output spike of `instance` at `time` (ms).
    Spike { instance: usize, time: f64 },
    /// Move the pending flag-1 self-event of `instance` to `time` (ms).
    Move { instance: usize, time: f64 },
    /// Activate WATCH statement `watch` of `instance` with NET_RECEIVE `flag`.
    Watch {
        instance: usize,
        watch: usize,
        flag: f64,
    },
    /// NEURON's `nrn_fake_fire(gid, time, 0)`: the input port of `gid` (the
    /// NetCons made by `ParallelContext.gid_connect` for a gid no cell of
    /// this process owns) spikes at `time` (ms).
    FakeFire { gid: f64, time: f64 },
}

/// The event requests of one hook call, in the order made.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outbox {
    requests: Vec<EventRequest>,
}

impl Outbox {
    /// No requests.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a request.
    pub fn push(&mut self, request: EventRequest) {
        self.requests.push(request);
    }

    /// True if no request was made.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// Takes the requests out, leaving the outbox empty.
    pub fn take(&mut self) -> Vec<EventRequest> {
        std::mem::take(&mut self.requests)
    }
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

    /// A per-step hook at t, at the start of a step, before spike detection
    /// and the queue's events (which come through [`Mechanism::net_receive`]).
    fn deliver_events(&mut self, _ctx: &mut NodeContext<'_>) {}

    /// Number of instances; `nodes().len()` unless the mechanism is an
    /// artificial cell.
    fn instance_count(&self) -> usize {
        self.nodes().len()
    }

    /// ARTIFICIAL_CELL: instances have no node (`nodes()` may be empty) and are
    /// initialised after the other mechanisms.
    fn is_artificial(&self) -> bool {
        false
    }

    /// Number of NET_RECEIVE arguments: the length of the weight vector of a
    /// NetCon targeting this mechanism (at least 1).
    fn weight_count(&self) -> usize {
        1
    }

    /// NET_RECEIVE: an event for `instance` at `ctx.step.t`; `weights` belongs
    /// to the NetCon that carried it, `flag` is 0 for NetCon events.
    fn net_receive(
        &mut self,
        _ctx: &mut NodeContext<'_>,
        _instance: usize,
        _weights: &mut [f64],
        _flag: f64,
    ) {
    }

    /// True if NET_RECEIVE uses FOR_NETCONS: events then come through
    /// [`Mechanism::net_receive_netcons`] instead of `net_receive`.
    fn uses_for_netcons(&self) -> bool {
        false
    }

    /// NET_RECEIVE for a mechanism that [`uses_for_netcons`]: as
    /// [`Mechanism::net_receive`], with the weights of every NetCon targeting
    /// `instance` (`netcons.current()` holds the NET_RECEIVE arguments).
    ///
    /// [`uses_for_netcons`]: Mechanism::uses_for_netcons
    fn net_receive_netcons(
        &mut self,
        ctx: &mut NodeContext<'_>,
        instance: usize,
        netcons: &mut NetConWeights<'_>,
        flag: f64,
    ) {
        self.net_receive(ctx, instance, netcons.current(), flag);
    }

    /// The value of the condition of WATCH statement `watch` for `instance`
    /// at the present v: `a − b` for `WATCH (a > b)`, `−(a − b)` for
    /// `WATCH (a < b)` (nocmodl's `_watchN_cond`). Only called for watches
    /// the mechanism activated with [`NodeContext::watch`].
    fn watch_value(&self, _ctx: &NodeContext<'_>, _instance: usize, _watch: usize) -> f64 {
        -1.0
    }

    /// The INITIAL block inside NET_RECEIVE, run at `finitialize` once per
    /// NetCon targeting `instance`. Returns `false` (the default) when the
    /// mechanism has no such block: the solver then zeroes `weights[1..]`.
    fn net_receive_init(
        &mut self,
        _ctx: &mut NodeContext<'_>,
        _instance: usize,
        _weights: &mut [f64],
    ) -> bool {
        false
    }

    /// After the solve, before v is updated (ion current correction).
    fn after_solve(&mut self, _ctx: &SolvedContext<'_>) {}

    /// Number of quantities the mechanism diffuses along the cable (NMODL's
    /// `LONGITUDINAL_DIFFUSION`, one per state and array element); 0 (the
    /// default) for none. The solver diffuses them after every mechanism's
    /// [`Mechanism::state`] (see [`crate::longitudinal`]).
    fn diffusion_count(&self) -> usize {
        0
    }

    /// Quantity `k` as it is now, per instance: its value, its coefficient
    /// (diffusion constant × the area it diffuses through) and its volume per
    /// unit length. The slices have one slot per instance.
    fn diffusion_get(
        &mut self,
        _ctx: &mut NodeContext<'_>,
        _k: usize,
        _values: &mut [f64],
        _coef: &mut [f64],
        _volume: &mut [f64],
    ) {
    }

    /// The diffused values of quantity `k`, per instance.
    fn diffusion_set(&mut self, _ctx: &mut NodeContext<'_>, _k: usize, _values: &[f64]) {}

    /// An NMODL `BEFORE`/`AFTER` block at point `when` (see the timing
    /// contract); every mechanism's block runs, in mechanism order, before
    /// the solver goes on.
    fn before_after(&mut self, _when: BeforeAfter, _ctx: &mut NodeContext<'_>) {}

    /// The mechanism as `Any`, so that the crate that made it can reach its
    /// own methods inside a simulation ([`Simulation::mechanism_mut`]); `None`
    /// (the default) for mechanisms that offer nothing beyond this trait.
    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        None
    }

    /// Number of variable columns.
    fn column_count(&self) -> usize;

    /// The value of column `column` for instance `instance`, if both exist.
    fn read(&self, instance: usize, column: usize) -> Option<f64>;

    /// Sets column `column` of instance `instance`; `false` if either does not
    /// exist (or the column cannot be written).
    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool;
}

impl crate::simulation::Simulation {
    /// The mechanism with this id, to change (e.g. through
    /// [`Mechanism::as_any_mut`], by the crate that made it).
    pub fn mechanism_mut(&mut self, id: crate::record::MechanismId) -> Option<&mut dyn Mechanism> {
        match self.mechanisms.get_mut(id.0) {
            Some(m) => Some(m.as_mut()),
            None => None,
        }
    }
}
