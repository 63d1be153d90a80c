//! The instances of a compiled mechanism inside a `neurite-hines` simulation:
//! the adapter that implements [`neurite_hines::Mechanism`].
//!
//! Each hook sets NEURON's variables (`v`, `t`, `dt`, `celsius`, `area`,
//! `diam`), copies the ion variables the mechanism reads from the solver's ion
//! columns, checks the tables, runs the compiled code over all instances, and
//! writes back what the mechanism writes. Currents follow nocmodl's `nrn_cur`:
//! the BREAKPOINT runs at `v + 0.001` and at `v`; the conductance is
//! `(i(v+0.001) − i(v))/0.001`, each ion current's `di/dv` likewise.

use super::blocks::Compiled;
use super::call::{CallArg, MAX_CALL_ARGS};
use super::ir::VectorRef;
use super::ir::{self, EmitKind, Emitted, Env, Fault, Frame, Src};
use super::layout::VarKind;
use super::serial;
use super::table::Tables;
use super::ExecError;
use crate::sema::{BuiltinVar, CurrentKind, IonVarKind, MechanismKind};
use neurite_hines::{
    nernst, BeforeAfter, CurrentContext, IonColumn, IonId, Mechanism, NodeContext, StepInfo,
};
use std::rc::Rc;
use std::sync::Arc;

/// How the instances use one ion species.
#[derive(Debug, Clone, PartialEq)]
pub struct IonLink {
    pub ion: IonId,
    pub charge: f64,
    /// The ion instance of each mechanism instance.
    pub instances: Vec<usize>,
    /// Columns copied from the ion before every hook.
    pub reads: Vec<(u32, IonColumn)>,
    /// Concentrations and reversal potentials written back after INITIAL and states.
    pub writes: Vec<(u32, IonColumn)>,
    /// Current columns of this ion.
    pub currents: Vec<u32>,
}

/// The instances of one NMODL mechanism, column by column.
#[derive(Debug)]
pub struct NmodlMechanism {
    compiled: Arc<Compiled>,
    /// Node of each instance; empty for an artificial cell.
    nodes: Vec<usize>,
    count: usize,
    frame: Frame,
    tables: Tables,
    pub(crate) ions: Vec<IonLink>,
    /// Sum of currents at v + 0.001, then the conductance.
    g: Vec<f64>,
    /// Ion currents at v + 0.001.
    saved: Vec<Vec<f64>>,
    fault: Option<Fault>,
    /// The hoc Vectors instances were given (handle k is `vectors[k - 1]`).
    vectors: Vec<VectorRef>,
    /// The NetCons' weights while a FOR_NETCONS NET_RECEIVE runs.
    netcons: (Vec<Vec<f64>>, Option<usize>),
    /// Which hooks run instance after instance ([`super::serial`]).
    lane_order: LaneOrder,
    /// The columns NEURON keeps in one C variable for all instances
    /// ([`NmodlMechanism::share`]).
    shared: Vec<usize>,
}

/// The hooks whose draws from a shared random stream need NEURON's
/// instance-after-instance order.
#[derive(Debug, Clone, Default)]
struct LaneOrder {
    init: bool,
    current: bool,
    state: bool,
    before_after: Vec<bool>,
}

impl LaneOrder {
    fn of(compiled: &Compiled) -> Self {
        LaneOrder {
            init: serial::needs_lane_order(&compiled.init),
            current: serial::current_needs_lane_order(&compiled.current),
            state: serial::needs_lane_order(&compiled.state),
            before_after: compiled
                .before_after
                .iter()
                .map(|(_, ops)| serial::needs_lane_order(ops))
                .collect(),
        }
    }
}

fn ion_column(kind: IonVarKind) -> IonColumn {
    match kind {
        IonVarKind::Current => IonColumn::Current,
        IonVarKind::Reversal => IonColumn::Erev,
        IonVarKind::Inside => IonColumn::ConcIn,
        IonVarKind::Outside => IonColumn::ConcOut,
    }
}

impl NmodlMechanism {
    /// Instances at `nodes` with default values; ions are linked by the caller.
    /// An artificial cell has `count` instances and no nodes.
    pub fn new(compiled: Arc<Compiled>, nodes: Vec<usize>, count: usize) -> Self {
        let n = count;
        let nodes = if compiled.mechanism.kind == MechanismKind::ArtificialCell {
            Vec::new()
        } else {
            nodes
        };
        let mut frame = Frame::new(n, compiled.ncols);
        for (c, var) in compiled.layout.vars.iter().enumerate() {
            frame.cols[c].fill(var.default);
        }
        let mut tables = Tables::new(compiled.tables.clone());
        tables.functions = compiled.function_tables.clone();
        let lane_order = LaneOrder::of(&compiled);
        let shared = compiled
            .layout
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.global && v.ion.is_none() && !matches!(v.kind, VarKind::Builtin(_)))
            .map(|(c, _)| c)
            .collect();
        NmodlMechanism {
            lane_order,
            shared,
            compiled,
            nodes,
            count: n,
            frame,
            tables,
            ions: Vec::new(),
            g: vec![0.0; n],
            saved: Vec::new(),
            fault: None,
            vectors: Vec::new(),
            netcons: (Vec::new(), None),
        }
    }

    /// Sets `celsius` and `dt` for every instance now, for a FUNCTION called
    /// from HOC between hooks: NMODL reads NEURON's global `celsius` and the
    /// thread's `dt` (that of the last `finitialize` or step) directly, not
    /// the values of the mechanism's last hook.
    pub fn set_call_globals(&mut self, celsius: f64, dt: f64) {
        for (b, x) in [(BuiltinVar::Celsius, celsius), (BuiltinVar::Dt, dt)] {
            let col = self.compiled.layout.builtin(b);
            self.frame.col_mut(col).fill(x);
        }
    }

    /// The handle of `v` (the same handle for the same Vector).
    fn vector_handle(&mut self, v: &VectorRef) -> f64 {
        let k = match self.vectors.iter().position(|w| Rc::ptr_eq(w, v)) {
            Some(k) => k,
            None => {
                self.vectors.push(Rc::clone(v));
                self.vectors.len() - 1
            }
        };
        (k + 1) as f64
    }

    /// Runs FUNCTION or PROCEDURE `name` for instance `instance` with `args`
    /// (see [`super::call`]); returns the FUNCTION's value, or 1 for a
    /// PROCEDURE (as NEURON's hoc wrappers return).
    pub fn call(
        &mut self,
        instance: usize,
        name: &str,
        args: &[CallArg],
    ) -> Result<f64, ExecError> {
        let compiled = Arc::clone(&self.compiled);
        let fail = |reason: String| ExecError::Call {
            mechanism: compiled.mechanism.name.clone(),
            name: name.to_string(),
            reason,
        };
        let entry = match compiled.entries.get(name) {
            Some(Ok(e)) => e,
            Some(Err(why)) => return Err(fail(format!("Neurite cannot run it: {why}"))),
            None => return Err(fail("no such FUNCTION or PROCEDURE".to_string())),
        };
        if instance >= self.count {
            return Err(fail(format!(
                "instance {instance} does not exist (the set has {})",
                self.count
            )));
        }
        if args.len() < entry.arity || args.len() > MAX_CALL_ARGS {
            return Err(fail(format!(
                "it takes {} arguments, {} were given",
                entry.arity,
                args.len()
            )));
        }
        let regs = &compiled.arg_registers;
        let mut one = self.frame.lane(instance);
        one.fill(regs.count, args.len() as f64);
        for (&r, arg) in regs.args.iter().zip(args) {
            let x = match arg {
                CallArg::Number(x) => *x,
                CallArg::Vector(v) => self.vector_handle(v),
            };
            one.fill(r, x);
        }
        self.fault = None;
        let dt = one.get(Src::Col(compiled.layout.builtin(BuiltinVar::Dt)), 0);
        let emitted = self.run_ops(&entry.ops, &mut one, dt);
        if let Some(fault) = self.fault.take() {
            return Err(fail(fault.to_string()));
        }
        if !emitted.is_empty() {
            return Err(fail(
                "it sends an event, which only NET_RECEIVE and INITIAL may do".to_string(),
            ));
        }
        let before = self.shared_values();
        self.frame.set_lane(instance, &one);
        self.share(&before);
        Ok(match entry.result {
            Some(r) => one.get(Src::Col(r), 0),
            None => 1.0,
        })
    }

    /// The ion columns the mechanism reads and writes for species `ion` named `name`.
    pub fn link_ion(&mut self, name: &str, ion: IonId, charge: f64, instances: Vec<usize>) {
        let mech = &self.compiled.mechanism;
        let Some(use_) = mech.ions.iter().find(|u| u.ion == name) else {
            return;
        };
        let col = |var: &crate::sema::IonVar| self.compiled.layout.column(&var.name);
        let mut link = IonLink {
            ion,
            charge,
            instances,
            reads: Vec::new(),
            writes: Vec::new(),
            currents: Vec::new(),
        };
        for var in &use_.reads {
            if let Some(c) = col(var) {
                link.reads.push((c, ion_column(var.kind)));
            }
        }
        for var in &use_.writes {
            let Some(c) = col(var) else { continue };
            match var.kind {
                IonVarKind::Current => link.currents.push(c),
                kind => {
                    if kind.is_concentration() {
                        link.reads.push((c, ion_column(kind)));
                    }
                    link.writes.push((c, ion_column(kind)));
                }
            }
        }
        self.ions.push(link);
    }

    /// The compiled mechanism.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The last run-time failure (a singular system, a runaway loop), if any.
    pub fn fault(&self) -> Option<&Fault> {
        self.fault.as_ref()
    }

    /// Sets NEURON's variables: t, dt, celsius and secondorder when they
    /// changed, v (plus `dv`) from the nodes; area and diam only when
    /// `geometry` (at INITIAL; they do not change during a run).
    fn set_builtins(&mut self, step: StepInfo, nodes: NodeViews<'_>, dv: f64, geometry: bool) {
        let layout = &self.compiled.layout;
        let scalars = [
            (BuiltinVar::T, step.t),
            (BuiltinVar::Dt, step.dt),
            (BuiltinVar::Celsius, step.celsius),
            (BuiltinVar::SecondOrder, f64::from(step.secondorder.value())),
        ];
        for (b, x) in scalars {
            let col = self.frame.col_mut(layout.builtin(b));
            if col.first().is_some_and(|&old| old.to_bits() != x.to_bits()) {
                col.fill(x);
            }
        }
        let mut per_node = vec![(BuiltinVar::V, nodes.v, dv)];
        if geometry {
            per_node.push((BuiltinVar::Area, nodes.area, 0.0));
            per_node.push((BuiltinVar::Diam, nodes.diam, 0.0));
        }
        for (b, src, offset) in per_node {
            let col = self.frame.col_mut(layout.builtin(b));
            for (x, &node) in col.iter_mut().zip(&self.nodes) {
                *x = src.get(node).copied().unwrap_or(0.0) + offset;
            }
        }
    }

    fn gather_ions(&mut self, ions: &neurite_hines::Ions) {
        for link in &self.ions {
            let Ok(species) = ions.species(link.ion) else {
                continue;
            };
            for &(c, which) in &link.reads {
                let from = species.column(which);
                let col = self.frame.col_mut(c);
                for (x, &i) in col.iter_mut().zip(&link.instances) {
                    *x = from.get(i).copied().unwrap_or(f64::NAN);
                }
            }
        }
    }

    fn scatter_ions(&self, ions: &mut neurite_hines::Ions, after_init: bool, celsius: f64) {
        for link in &self.ions {
            let Ok(species) = ions.species_mut(link.ion) else {
                continue;
            };
            for &(c, which) in &link.writes {
                let to = species.column_mut(which);
                for (&x, &i) in self.frame.col(c).iter().zip(&link.instances) {
                    if let Some(slot) = to.get_mut(i) {
                        *slot = x;
                    }
                }
            }
            // NEURON's nrn_wrote_conc: erev follows INITIAL's concentrations
            // when the style says erev is computed at init
            let wrote_conc = link
                .writes
                .iter()
                .any(|(_, w)| matches!(w, IonColumn::ConcIn | IonColumn::ConcOut));
            if after_init && wrote_conc {
                for &i in &link.instances {
                    if !species.instance_style(i).init_erev {
                        continue;
                    }
                    let ci = species.get(i, IonColumn::ConcIn).unwrap_or(f64::NAN);
                    let co = species.get(i, IonColumn::ConcOut).unwrap_or(f64::NAN);
                    if let Some(e) = species.column_mut(IonColumn::Erev).get_mut(i) {
                        *e = nernst(ci, co, link.charge, celsius);
                    }
                }
            }
        }
    }

    /// Runs a hook's code over every instance; returns its event requests.
    fn run(&mut self, which: Hook, dt: f64) -> Vec<Emitted> {
        let compiled = Arc::clone(&self.compiled);
        let ops = match which {
            Hook::Init => &compiled.init,
            Hook::Current => &compiled.current,
            Hook::State => &compiled.state,
            Hook::BeforeAfter(k) => &compiled.before_after[k].1,
        };
        let by_lane = match which {
            Hook::Init => self.lane_order.init,
            Hook::Current => self.lane_order.current,
            Hook::State => self.lane_order.state,
            Hook::BeforeAfter(k) => self.lane_order.before_after.get(k) == Some(&true),
        };
        let before = self.shared_values();
        let mut frame = std::mem::take(&mut self.frame);
        let emitted = if by_lane {
            self.run_with(&mut frame, dt, |frame, env| {
                serial::run_by_lane(ops, frame, env)
            })
        } else {
            self.run_ops(ops, &mut frame, dt)
        };
        self.frame = frame;
        self.share(&before);
        emitted
    }

    /// The shared columns' values now (every instance holds the same one).
    fn shared_values(&self) -> Vec<(usize, f64)> {
        if self.count < 2 {
            return Vec::new();
        }
        self.shared
            .iter()
            .filter_map(|&c| Some((c, *self.frame.cols.get(c)?.first()?)))
            .collect()
    }

    /// NEURON keeps a GLOBAL, an unlisted PARAMETER and a file-level LOCAL in
    /// one C variable for all instances (THREADSAFE makes it one per thread,
    /// still shared by the thread's instances): after code has run instance
    /// after instance, all of them see what the last instance to assign it
    /// left. The columns run every instance at once, so each instance's write
    /// is taken back here to the last one that made it (`before`: the values
    /// before the code ran).
    fn share(&mut self, before: &[(usize, f64)]) {
        for &(c, old) in before {
            let Some(col) = self.frame.cols.get_mut(c) else {
                continue;
            };
            if let Some(&new) = col.iter().rev().find(|x| x.to_bits() != old.to_bits()) {
                col.fill(new);
            }
        }
    }

    fn run_ops(&mut self, ops: &[ir::Op], frame: &mut Frame, dt: f64) -> Vec<Emitted> {
        self.run_with(frame, dt, |frame, env| ir::run(ops, frame, env))
    }

    /// Runs `code` over `frame` with this mechanism's tables, systems and
    /// vectors; a fault poisons the frame and is kept.
    fn run_with(
        &mut self,
        frame: &mut Frame,
        dt: f64,
        code: impl FnOnce(&mut Frame, &Env<'_>) -> Result<(), Fault>,
    ) -> Vec<Emitted> {
        let compiled = Arc::clone(&self.compiled);
        // DEPEND values come from the main frame, or from `frame` while the
        // main one is taken out to run
        let main: &Frame = if self.frame.cols.is_empty() {
            frame
        } else {
            &self.frame
        };
        let checked = self.tables.check(main, &compiled.systems, dt);
        if let Err(fault) = checked {
            self.fail(fault);
            return Vec::new();
        }
        let env = Env {
            tables: &self.tables,
            systems: &compiled.systems,
            dt,
            emitted: Default::default(),
            vectors: &self.vectors,
            netcons: std::cell::RefCell::new(std::mem::take(&mut self.netcons)),
        };
        let result = code(frame, &env);
        let emitted = env.emitted.into_inner();
        self.netcons = env.netcons.into_inner();
        if let Err(fault) = result {
            poison(&compiled, frame);
            self.fault = Some(fault);
        }
        emitted
    }

    /// The current of a mechanism that draws from a shared stream there, as
    /// NEURON's nrn_cur takes it: each instance at v + 0.001 and then at v
    /// before the next instance (the builtins are already set for v + 0.001).
    /// Leaves the sum at v + 0.001 in `g` and the ion currents there saved, as
    /// the column path does; the frame holds the values at v.
    fn current_by_lane(&mut self, ctx: &CurrentContext<'_>, g: &mut [f64]) {
        let compiled = Arc::clone(&self.compiled);
        let v_col = compiled.layout.builtin(BuiltinVar::V) as usize;
        let v_now: Vec<f64> = self
            .nodes
            .iter()
            .map(|&node| ctx.v.get(node).copied().unwrap_or(0.0))
            .collect();
        let before = self.shared_values();
        let mut frame = std::mem::take(&mut self.frame);
        let mut plus = frame.clone();
        self.run_with(&mut frame, ctx.step.dt, |frame, env| {
            for lane in 0..frame.n {
                serial::run_lane(&compiled.current, frame, lane, env)?;
                plus.set_lane(lane, &frame.lane(lane));
                if let Some(x) = frame.cols.get_mut(v_col).and_then(|c| c.get_mut(lane)) {
                    *x = v_now.get(lane).copied().unwrap_or(0.0);
                }
                serial::run_lane(&compiled.current, frame, lane, env)?;
            }
            Ok(())
        });
        // the sums at v + 0.001 come from `plus`, those at v from `frame`
        self.frame = plus;
        self.current_sum(g);
        self.save_ion_currents();
        self.frame = frame;
        self.share(&before);
    }

    /// Records a fault and poisons the currents and states.
    fn fail(&mut self, fault: Fault) {
        poison(&self.compiled, &mut self.frame);
        self.fault = Some(fault);
    }

    /// Runs NET_RECEIVE code for one instance: its values are copied into a
    /// one-instance frame (t is the event time), the arguments from the
    /// NetCon's weights, and everything is copied back afterwards (arguments
    /// after the first are per-connection state).
    fn run_instance(
        &mut self,
        ctx: &mut NodeContext<'_>,
        ops: &[ir::Op],
        k: usize,
        weights: &mut [f64],
        flag: f64,
    ) {
        if k >= self.count {
            return;
        }
        let Some(nr) = self.compiled.net_receive.clone() else {
            return;
        };
        let mut one = self.frame.lane(k);
        let layout = &self.compiled.layout;
        one.fill(layout.builtin(BuiltinVar::T), ctx.step.t);
        if let Some(&node) = self.nodes.get(k) {
            let v = ctx.v.get(node).copied().unwrap_or(f64::NAN);
            one.fill(layout.builtin(BuiltinVar::V), v);
        }
        for (i, &r) in nr.params.iter().enumerate() {
            one.fill(r, weights.get(i).copied().unwrap_or(0.0));
        }
        one.fill(nr.flag, flag);
        let emitted = self.run_ops(ops, &mut one, ctx.step.dt);
        let before = self.shared_values();
        self.frame.set_lane(k, &one);
        self.share(&before);
        for (w, &r) in weights.iter_mut().zip(&nr.params) {
            *w = one.get(Src::Col(r), 0);
        }
        send(ctx, emitted.into_iter().map(|e| (k, e)));
    }

    /// The ion link and ion column a concentration column is written to.
    fn ion_of(&self, column: u32) -> Option<(&IonLink, IonColumn)> {
        self.ions.iter().find_map(|link| {
            link.writes
                .iter()
                .find(|(c, w)| *c == column && matches!(w, IonColumn::ConcIn | IonColumn::ConcOut))
                .map(|&(_, w)| (link, w))
        })
    }

    fn current_sum(&self, out: &mut [f64]) {
        out.fill(0.0);
        for &(c, _) in &self.compiled.currents {
            for (o, &x) in out.iter_mut().zip(self.frame.col(c)) {
                *o += x;
            }
        }
    }
}

/// The node arrays a hook sees.
#[derive(Debug, Clone, Copy)]
struct NodeViews<'a> {
    v: &'a [f64],
    area: &'a [f64],
    diam: &'a [f64],
}

/// Passes event requests made by the code to the solver.
fn send(ctx: &mut NodeContext<'_>, requests: impl Iterator<Item = (usize, Emitted)>) {
    for (instance, e) in requests {
        match e.kind {
            EmitKind::Send => ctx.net_send_at(instance, e.time, e.flag),
            EmitKind::Spike => ctx.net_event(instance, e.time),
            EmitKind::Move => ctx.net_move(instance, e.time),
            EmitKind::Watch(w) => ctx.watch(instance, w, e.flag),
            EmitKind::FakeFire => ctx.fake_fire(e.flag, e.time),
        }
    }
}

/// After a fault, currents and states become NaN so the solver stops with a
/// non-finite voltage instead of going on with wrong values.
fn poison(compiled: &Compiled, frame: &mut Frame) {
    for &(c, _) in &compiled.currents {
        frame.fill(c, f64::NAN);
    }
    for (c, var) in compiled.layout.vars.iter().enumerate() {
        if var.kind == VarKind::State {
            frame.fill(c as u32, f64::NAN);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Hook {
    Init,
    /// The BEFORE/AFTER block with this index.
    BeforeAfter(usize),
    Current,
    State,
}

impl Mechanism for NmodlMechanism {
    fn nodes(&self) -> &[usize] {
        &self.nodes
    }

    fn init(&mut self, ctx: &mut NodeContext<'_>) {
        let views = NodeViews {
            v: ctx.v,
            area: ctx.area,
            diam: ctx.diam,
        };
        self.set_builtins(ctx.step, views, 0.0, true);
        self.gather_ions(ctx.ions);
        let emitted = self.run(Hook::Init, ctx.step.dt);
        self.scatter_ions(ctx.ions, true, ctx.step.celsius);
        send(ctx, emitted.into_iter().map(|e| (e.lane, e)));
    }

    fn current(&mut self, ctx: &mut CurrentContext<'_>) {
        let views = NodeViews {
            v: ctx.v,
            area: ctx.area,
            diam: ctx.diam,
        };
        if self.compiled.currents.is_empty() {
            return;
        }
        self.set_builtins(ctx.step, views, 0.001, false);
        self.gather_ions(ctx.ions);
        let mut g = std::mem::take(&mut self.g);
        if self.lane_order.current && self.count > 1 {
            self.current_by_lane(ctx, &mut g);
        } else {
            self.run(Hook::Current, ctx.step.dt);
            self.current_sum(&mut g);
            self.save_ion_currents();
            let v_col = self.compiled.layout.builtin(BuiltinVar::V);
            for (x, &node) in self.frame.col_mut(v_col).iter_mut().zip(&self.nodes) {
                *x = ctx.v.get(node).copied().unwrap_or(0.0);
            }
            self.run(Hook::Current, ctx.step.dt);
        }
        let mut rhs = vec![0.0; self.nodes.len()];
        self.current_sum(&mut rhs);
        self.add_ion_currents(ctx);
        self.add_node_currents(ctx, &mut g, &rhs);
        self.g = g;
    }

    fn state(&mut self, ctx: &mut NodeContext<'_>) {
        if self.compiled.state.is_empty() {
            return;
        }
        let views = NodeViews {
            v: ctx.v,
            area: ctx.area,
            diam: ctx.diam,
        };
        // nocmodl's nrn_state halves dt for a file that integrates by
        // derivimplicit, euler or sparse when secondorder > 0
        let mut step = ctx.step;
        if self.compiled.halves_state_dt && step.secondorder.value() != 0 {
            step.dt *= 0.5;
        }
        self.set_builtins(step, views, 0.0, false);
        self.gather_ions(ctx.ions);
        self.run(Hook::State, step.dt);
        self.scatter_ions(ctx.ions, false, ctx.step.celsius);
    }

    fn before_after(&mut self, when: BeforeAfter, ctx: &mut NodeContext<'_>) {
        let compiled = Arc::clone(&self.compiled);
        for (k, (point, _)) in compiled.before_after.iter().enumerate() {
            if *point != when {
                continue;
            }
            let views = NodeViews {
                v: ctx.v,
                area: ctx.area,
                diam: ctx.diam,
            };
            let geometry = when == BeforeAfter::BeforeInitial;
            self.set_builtins(ctx.step, views, 0.0, geometry);
            self.gather_ions(ctx.ions);
            let emitted = self.run(Hook::BeforeAfter(k), ctx.step.dt);
            // nocmodl ends a BEFORE/AFTER block as an equation block:
            // written concentrations and erev go to the ion, and each
            // written current is added to the ion's current once more
            self.scatter_ions(ctx.ions, false, ctx.step.celsius);
            self.add_ion_currents_only(ctx.ions, ctx.area);
            send(ctx, emitted.into_iter().map(|e| (e.lane, e)));
        }
    }

    fn instance_count(&self) -> usize {
        self.count
    }

    fn diffusion_count(&self) -> usize {
        self.compiled.diffusion.len()
    }

    fn diffusion_get(
        &mut self,
        ctx: &mut NodeContext<'_>,
        k: usize,
        values: &mut [f64],
        coef: &mut [f64],
        volume: &mut [f64],
    ) {
        let compiled = Arc::clone(&self.compiled);
        let Some(code) = compiled.diffusion.get(k) else {
            return;
        };
        if k == 0 {
            let views = NodeViews {
                v: ctx.v,
                area: ctx.area,
                diam: ctx.diam,
            };
            self.set_builtins(ctx.step, views, 0.0, false);
        }
        let mut frame = std::mem::take(&mut self.frame);
        self.run_ops(&code.ops, &mut frame, ctx.step.dt);
        self.frame = frame;
        for (i, (c, v)) in coef.iter_mut().zip(volume.iter_mut()).enumerate() {
            *c = self.frame.get(code.coef, i);
            *v = self.frame.get(code.volume, i);
        }
        values.copy_from_slice(self.frame.col(code.column));
        // a STATE that is an ion concentration diffuses as the ion's value
        if let Some((link, which)) = self.ion_of(code.column) {
            if let Ok(species) = ctx.ions.species(link.ion) {
                let from = species.column(which);
                for (x, &i) in values.iter_mut().zip(&link.instances) {
                    *x = from.get(i).copied().unwrap_or(f64::NAN);
                }
            }
        }
    }

    fn diffusion_set(&mut self, ctx: &mut NodeContext<'_>, k: usize, values: &[f64]) {
        let Some(column) = self.compiled.diffusion.get(k).map(|c| c.column) else {
            return;
        };
        self.frame.col_mut(column).copy_from_slice(values);
        if let Some((link, which)) = self.ion_of(column) {
            if let Ok(species) = ctx.ions.species_mut(link.ion) {
                let to = species.column_mut(which);
                for (&x, &i) in values.iter().zip(&link.instances) {
                    if let Some(slot) = to.get_mut(i) {
                        *slot = x;
                    }
                }
            }
        }
    }

    fn is_artificial(&self) -> bool {
        self.compiled.mechanism.kind == MechanismKind::ArtificialCell
    }

    fn weight_count(&self) -> usize {
        self.compiled
            .net_receive
            .as_ref()
            .map_or(1, |nr| nr.params.len().max(1))
    }

    fn net_receive(
        &mut self,
        ctx: &mut NodeContext<'_>,
        instance: usize,
        weights: &mut [f64],
        flag: f64,
    ) {
        let compiled = Arc::clone(&self.compiled);
        if let Some(nr) = &compiled.net_receive {
            self.run_instance(ctx, &nr.ops, instance, weights, flag);
        }
    }

    fn net_receive_init(
        &mut self,
        ctx: &mut NodeContext<'_>,
        instance: usize,
        weights: &mut [f64],
    ) -> bool {
        let compiled = Arc::clone(&self.compiled);
        match compiled
            .net_receive
            .as_ref()
            .and_then(|nr| nr.init.as_ref())
        {
            Some(ops) => {
                self.run_instance(ctx, ops, instance, weights, 0.0);
                true
            }
            None => false,
        }
    }

    fn column_count(&self) -> usize {
        self.compiled.layout.len()
    }

    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(self)
    }

    fn uses_for_netcons(&self) -> bool {
        self.compiled.uses_for_netcons
    }

    fn net_receive_netcons(
        &mut self,
        ctx: &mut NodeContext<'_>,
        instance: usize,
        netcons: &mut neurite_hines::NetConWeights<'_>,
        flag: f64,
    ) {
        let all: Vec<Vec<f64>> = (0..netcons.len())
            .map(|j| netcons.get_mut(j).map(|w| w.to_vec()).unwrap_or_default())
            .collect();
        let current = netcons.current_index();
        self.netcons = (all, current);
        let mut weights = match current {
            Some(c) => self.netcons.0.get(c).cloned().unwrap_or_default(),
            None => Vec::new(),
        };
        let compiled = Arc::clone(&self.compiled);
        if let Some(nr) = &compiled.net_receive {
            self.run_instance(ctx, &nr.ops, instance, &mut weights, flag);
        }
        let (mut all, _) = std::mem::take(&mut self.netcons);
        if let Some(c) = current {
            if let Some(w) = all.get_mut(c) {
                w.clone_from(&weights);
            }
        }
        for (j, w) in all.into_iter().enumerate() {
            if let Some(slot) = netcons.get_mut(j) {
                for (s, x) in slot.iter_mut().zip(w) {
                    *s = x;
                }
            }
        }
    }

    fn watch_value(&self, ctx: &NodeContext<'_>, instance: usize, watch: usize) -> f64 {
        let Some(code) = self.compiled.watches.get(watch) else {
            return -1.0;
        };
        if instance >= self.count {
            return -1.0;
        }
        let mut one = self.frame.lane(instance);
        let layout = &self.compiled.layout;
        one.fill(layout.builtin(BuiltinVar::T), ctx.step.t);
        if let Some(&node) = self.nodes.get(instance) {
            one.fill(
                layout.builtin(BuiltinVar::V),
                ctx.v.get(node).copied().unwrap_or(f64::NAN),
            );
        }
        let env = Env {
            tables: &self.tables,
            systems: &self.compiled.systems,
            dt: ctx.step.dt,
            emitted: Default::default(),
            vectors: &self.vectors,
            netcons: Default::default(),
        };
        match ir::run(&code.ops, &mut one, &env) {
            Ok(()) => one.get(code.value, 0),
            Err(_) => -1.0,
        }
    }

    fn read(&self, instance: usize, column: usize) -> Option<f64> {
        if column >= self.compiled.layout.len() {
            return None;
        }
        self.frame.cols.get(column)?.get(instance).copied()
    }

    fn write(&mut self, instance: usize, column: usize, value: f64) -> bool {
        let Some(var) = self.compiled.layout.vars.get(column) else {
            return false;
        };
        if matches!(var.kind, VarKind::Builtin(_)) || instance >= self.count {
            return false;
        }
        let col = &mut self.frame.cols[column];
        if var.global {
            col.fill(value);
        } else {
            col[instance] = value;
        }
        true
    }
}

impl NmodlMechanism {
    /// Keeps each ion current at v + 0.001 (reusing the buffers).
    fn save_ion_currents(&mut self) {
        let columns = self.ions.iter().flat_map(|l| l.currents.iter().copied());
        let count = self.ions.iter().map(|l| l.currents.len()).sum::<usize>();
        self.saved.resize_with(count, Vec::new);
        for (buf, c) in self.saved.iter_mut().zip(columns) {
            buf.clear();
            buf.extend_from_slice(self.frame.col(c));
        }
    }

    /// Adds each written ion current to its ion (no di/dv), as nocmodl's
    /// `_ion_ica += ica` at the end of a BEFORE/AFTER block.
    fn add_ion_currents_only(&self, ions: &mut neurite_hines::Ions, area: &[f64]) {
        let point = self.compiled.mechanism.kind.is_point();
        for link in &self.ions {
            let Ok(species) = ions.species_mut(link.ion) else {
                continue;
            };
            for &c in &link.currents {
                for (k, (&i, &x)) in link.instances.iter().zip(self.frame.col(c)).enumerate() {
                    let scale = match self.nodes.get(k).and_then(|&n| area.get(n)) {
                        Some(&a) if point => 1.0e2 / a,
                        _ => 1.0,
                    };
                    species.add_current(i, x * scale, 0.0);
                }
            }
        }
    }

    fn add_ion_currents(&mut self, ctx: &mut CurrentContext<'_>) {
        let point = self.compiled.mechanism.kind.is_point();
        let scales: Vec<f64> = match point {
            true => self.nodes.iter().map(|&n| ctx.point_scale(n)).collect(),
            false => Vec::new(),
        };
        let mut saved = self.saved.iter();
        for link in &self.ions {
            let Ok(species) = ctx.ions.species_mut(link.ion) else {
                continue;
            };
            for &c in &link.currents {
                let Some(at_plus) = saved.next() else { return };
                let now = self.frame.col(c);
                for (k, (&i, (&x, &xp))) in link
                    .instances
                    .iter()
                    .zip(now.iter().zip(at_plus))
                    .enumerate()
                {
                    let scale = if point { scales[k] } else { 1.0 };
                    species.add_current(i, x * scale, (xp - x) / 0.001 * scale);
                }
            }
        }
    }

    fn add_node_currents(&self, ctx: &mut CurrentContext<'_>, g: &mut [f64], rhs: &[f64]) {
        let electrode = self
            .compiled
            .currents
            .iter()
            .any(|(_, k)| *k == CurrentKind::Electrode);
        let point = self.compiled.mechanism.kind.is_point();
        for (k, &node) in self.nodes.iter().enumerate() {
            g[k] = (g[k] - rhs[k]) / 0.001;
            match (electrode, point) {
                (true, _) => ctx.add_electrode_current(node, rhs[k], g[k]),
                (false, true) => ctx.add_point_current(node, rhs[k], g[k]),
                (false, false) => ctx.add_density_current(node, rhs[k], g[k]),
            }
        }
    }
}
