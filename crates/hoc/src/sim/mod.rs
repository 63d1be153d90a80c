//! The simulation boundary: what HOC needs from a cable model.
//!
//! The interpreter knows names and syntax; the [`Simulator`] knows sections,
//! segments, mechanisms and time. Sections and point processes cross the
//! boundary as opaque handles ([`SecId`], [`PpId`]). Every method that a
//! simulator may not support has a default that reports so, so a simulator
//! can grow method by method. [`memory::MemorySim`] is a bookkeeping model
//! (no cable equations) used to test the language plumbing.
//!
//! What an implementation must do for HOC output to match nrniv bit for bit
//! (each checked against NEURON 9.0.2, see `tests/data`):
//! - `fadvance` moves `t` by two half steps (`t += dt/2` twice), not `t += dt`;
//! - 3-D points are kept in single precision (`f64::from(x as f32)`);
//! - `children` come in connection order (`topology()` prints them so, after
//!   sorting by the parent location, far end first);
//! - deleting a section removes it from every listing (`sections`, `children`);
//! - `Vector.play` values are set at the start of each step, from the step's
//!   starting time (a value recorded at `t` is the one played for `t - dt`);
//!   continuous play is interpolated at the new `t` after each step, and
//!   extrapolates the last segment past the end of the time Vector.
//!
//! The interpreter handles stdrun's `setdt` rule (`dt` made to divide
//! `1/steps_per_ms`) and steps `nstep_steprun` times per `step()`.

pub mod memory;

use std::cell::RefCell;
use std::rc::Rc;

/// A section handle, chosen by the simulator.
pub type SecId = usize;
/// A point process handle, chosen by the simulator.
pub type PpId = usize;
/// A NetCon handle, chosen by the simulator.
pub type NcId = usize;

/// What a NetCon watches: a variable crossing a threshold (`&v(0.5)`), an
/// artificial cell or point process that emits events, or nothing (events
/// only from `NetCon.event()`).
#[derive(Clone, Debug, PartialEq)]
pub enum NetConSource {
    Var(RecordSource),
    PointProcess(PpId),
    None,
}

/// Result of a simulator operation: errors are messages the interpreter
/// turns into HOC run-time errors with a file and line.
pub type SimResult<T> = Result<T, String>;

fn unsupported<T>(what: &str) -> SimResult<T> {
    Err(format!("{what} is not supported by this simulator"))
}

/// What a `Vector.record(&var)` samples at every time step.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordSource {
    /// A range variable at a location: `&soma.v(0.5)`.
    Range { sec: SecId, name: String, x: f64 },
    /// A point process variable: `&syn.g`.
    PointProcess { pp: PpId, name: String },
    /// A simulator global: `&t`.
    Global(String),
}

/// When `Vector.play` values apply: every `dt` ms, or at the times of a Vector.
#[derive(Clone, Debug)]
pub enum PlayTimes {
    Dt(f64),
    Vector(Rc<RefCell<Vec<f64>>>),
}

impl PlayTimes {
    /// The times of the first `n` values (`Dt`: 0, dt, 2dt, ...; a Vector: its
    /// elements, however many it has).
    pub fn sample_times(&self, n: usize) -> Vec<f64> {
        match self {
            PlayTimes::Dt(dt) => (0..n).map(|i| i as f64 * dt).collect(),
            PlayTimes::Vector(v) => v.borrow().clone(),
        }
    }

    /// A timed record's first event: its time and index.
    pub fn first_event(&self) -> Option<(f64, usize)> {
        match self {
            PlayTimes::Dt(_) => Some((0.0, 0)),
            PlayTimes::Vector(v) => v.borrow().first().map(|t| (*t, 0)),
        }
    }

    /// The event after `(time, index)`, if any.
    pub fn next_event(&self, (tt, i): (f64, usize)) -> Option<(f64, usize)> {
        match self {
            PlayTimes::Dt(dt) if *dt > 0.0 => Some((tt + dt, i + 1)),
            PlayTimes::Dt(_) => None,
            PlayTimes::Vector(v) => v.borrow().get(i + 1).map(|t| (*t, i + 1)),
        }
    }
}

/// The operations HOC performs on a cable model.
pub trait Simulator {
    /// Creates a section with a display name such as `soma` or `Cell[0].dend[2]`.
    fn create_section(&mut self, name: &str) -> SecId;
    /// Deletes a section (when its owning object is freed, or `delete_section()`).
    fn delete_section(&mut self, _sec: SecId) {}
    fn section_name(&self, sec: SecId) -> String;
    /// Connects `child` at `child_x` to `parent` at `parent_x`.
    fn connect(
        &mut self,
        child: SecId,
        child_x: f64,
        parent: SecId,
        parent_x: f64,
    ) -> SimResult<()>;
    fn disconnect(&mut self, _sec: SecId) -> SimResult<()> {
        unsupported("disconnect")
    }
    /// The parent and the location on it, if connected.
    fn parent(&self, sec: SecId) -> Option<(SecId, f64)>;
    /// Where on the child the connection is (the `0` of `connect dend(0), soma(1)`).
    fn parent_connection_x(&self, _sec: SecId) -> f64 {
        0.0
    }
    /// The children of a section, in the order they were connected.
    fn children(&self, sec: SecId) -> Vec<SecId>;
    /// Every section in creation order (`forall`).
    fn sections(&self) -> Vec<SecId>;
    /// A section property: `L`, `nseg`, `Ra`, `rallbranch` (not per segment).
    fn get_prop(&self, sec: SecId, name: &str) -> SimResult<f64>;
    fn set_prop(&mut self, sec: SecId, name: &str, value: f64) -> SimResult<()>;
    /// Whether `name` is a range variable (`v`, `diam`, `cm`, `gnabar_hh`, `ena`...).
    fn is_range_var(&self, name: &str) -> bool;
    fn get_range(&self, sec: SecId, name: &str, x: f64) -> SimResult<f64>;
    /// Sets a range variable at `x`, or in every segment when `x` is `None`.
    fn set_range(&mut self, sec: SecId, name: &str, x: Option<f64>, value: f64) -> SimResult<()>;
    fn is_mechanism(&self, name: &str) -> bool;
    fn insert(&mut self, sec: SecId, mech: &str) -> SimResult<()>;
    fn uninsert(&mut self, _sec: SecId, mech: &str) -> SimResult<()> {
        unsupported(&format!("uninsert {mech}"))
    }
    fn has_mechanism(&self, sec: SecId, mech: &str) -> bool;
    /// The centre of each segment, in order (`for (x)` adds 0 and 1 around them).
    fn segment_centers(&self, sec: SecId) -> Vec<f64> {
        let n = self.get_prop(sec, "nseg").unwrap_or(1.0).max(1.0) as usize;
        (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect()
    }
    fn pt3dclear(&mut self, sec: SecId) -> SimResult<()>;
    /// Appends a 3-D point (NEURON keeps them in single precision: `x3d()`
    /// reads back `f64::from(x as f32)`).
    fn pt3dadd(&mut self, sec: SecId, x: f64, y: f64, z: f64, diam: f64) -> SimResult<()>;
    /// The 3-D points `[x, y, z, diam]` of a section.
    fn pt3d(&self, sec: SecId) -> Vec<[f64; 4]>;
    fn define_shape(&mut self) -> SimResult<()> {
        Ok(())
    }
    fn area(&self, sec: SecId, x: f64) -> SimResult<f64>;
    fn ri(&self, sec: SecId, x: f64) -> SimResult<f64>;
    /// Path distance between two locations.
    fn distance(&self, from: (SecId, f64), to: (SecId, f64)) -> SimResult<f64>;
    fn is_point_process(&self, name: &str) -> bool;
    fn new_point_process(&mut self, kind: &str, loc: Option<(SecId, f64)>) -> SimResult<PpId>;
    fn point_process_loc(&mut self, pp: PpId, sec: SecId, x: f64) -> SimResult<()>;
    fn point_process_get_loc(&self, pp: PpId) -> Option<(SecId, f64)>;
    fn pp_get(&self, pp: PpId, name: &str) -> SimResult<f64>;
    fn pp_set(&mut self, pp: PpId, name: &str, value: f64) -> SimResult<()>;
    /// A function or procedure of a mechanism called from HOC (`setdata_hh(x)`,
    /// `rates_hh(v)`, `setRNG_StochKv(a, b)`), with the current section when
    /// there is one; `None` when `name` is no such function.
    fn call_function(
        &mut self,
        _sec: Option<SecId>,
        _name: &str,
        _args: &[f64],
    ) -> Option<SimResult<f64>> {
        None
    }
    /// As [`Simulator::call_function`] when an argument is a Vector (or a
    /// pointer into one, passed as the Vector from that element on):
    /// NMODL's `table_<name>_<suffix>(values, points)`.
    fn call_function_args(
        &mut self,
        _sec: Option<SecId>,
        _name: &str,
        _args: &[CallArg],
    ) -> Option<SimResult<f64>> {
        None
    }
    /// A simulator global (`t`, `dt`, `celsius`, `secondorder`, mechanism globals).
    fn get_global(&self, name: &str) -> Option<f64>;
    fn set_global(&mut self, name: &str, value: f64) -> bool;
    fn finitialize(&mut self, v_init: Option<f64>) -> SimResult<()>;
    fn fadvance(&mut self) -> SimResult<()>;
    /// A NetCon from `source` to the point process `target` (or to nothing).
    fn new_netcon(&mut self, source: NetConSource, target: Option<PpId>) -> SimResult<NcId> {
        let _ = (source, target);
        unsupported("NetCon")
    }
    /// A NetCon property: `weight` (with `index`), `delay`, `threshold`, `x`.
    fn netcon_get(&self, nc: NcId, name: &str, index: usize) -> SimResult<f64> {
        let _ = (nc, index);
        unsupported(&format!("NetCon.{name}"))
    }
    fn netcon_set(&mut self, nc: NcId, name: &str, index: usize, value: f64) -> SimResult<()> {
        let _ = (nc, index, value);
        unsupported(&format!("NetCon.{name}"))
    }
    /// Appends the time of every event the NetCon's source emits to `into`.
    fn netcon_record(&mut self, nc: NcId, into: Rc<RefCell<Vec<f64>>>) -> SimResult<()> {
        let _ = (nc, into);
        unsupported("NetCon.record")
    }
    /// Drives `target` from `values` during the simulation (`Vector.play`):
    /// stepwise, or interpolated when `continuous`.
    fn play(
        &mut self,
        target: RecordSource,
        values: Rc<RefCell<Vec<f64>>>,
        times: PlayTimes,
        continuous: bool,
    ) -> SimResult<()> {
        let _ = (target, values, times, continuous);
        unsupported("Vector.play")
    }
    /// `Vector.record(&var, Dt)` / `Vector.record(&var, tvec)`: records at
    /// event times (every `Dt` from 0, accumulated as `t + Dt`, or the times
    /// of `tvec`). An event is taken in the step whose start `t0` has
    /// `tt <= t0 + dt`, with the values at the step's start; recording `&t`
    /// every `Dt` stores the event times themselves.
    fn record_at(
        &mut self,
        source: RecordSource,
        into: Rc<RefCell<Vec<f64>>>,
        times: PlayTimes,
    ) -> SimResult<()> {
        let _ = (source, into, times);
        unsupported("Vector.record at given times")
    }
    /// Appends the value of `source` to `into` at finitialize and every step.
    fn record(&mut self, source: RecordSource, into: Rc<RefCell<Vec<f64>>>) -> SimResult<()> {
        let _ = (source, into);
        unsupported("Vector.record")
    }
    /// What a NetCon watches (for `ParallelContext.cell` / `gid_connect`).
    fn netcon_source(&self, nc: NcId) -> Option<NetConSource> {
        let _ = nc;
        None
    }
    /// `NetCon.event(t)` (`flag` `None`) or `NetCon.event(t, flag)`: an event
    /// through the NetCon at time `t`, after `finitialize`.
    fn netcon_event(&mut self, nc: NcId, time: f64, flag: Option<f64>) -> SimResult<()> {
        let _ = (nc, time, flag);
        unsupported("NetCon.event")
    }
    /// `NetCon.setpost(target)`: a new target (or none).
    fn netcon_setpost(&mut self, nc: NcId, target: Option<PpId>) -> SimResult<()> {
        let _ = (nc, target);
        unsupported("NetCon.setpost")
    }
    /// A new source for an existing NetCon (`ParallelContext.gid_connect(gid,
    /// target, netcon)`): it keeps its target, weights and delay.
    fn netcon_set_source(&mut self, nc: NcId, source: NetConSource) -> SimResult<()> {
        let _ = (nc, source);
        unsupported("gid_connect(gid, target, netcon)")
    }
    /// `ParallelContext.gid_connect` made NetCon `nc` part of the input
    /// port of `gid` (no cell of this process owns it): NEURON's
    /// `nrn_fake_fire(gid, time, 0)`, called by a mechanism such as
    /// PatternStim, makes it deliver.
    fn netcon_gid_input(&mut self, nc: NcId, gid: i64) -> SimResult<()> {
        let _ = (nc, gid);
        Ok(())
    }
    /// Frees a point process whose last HOC reference went (NEURON destroys
    /// it): it leaves the simulation, NetCons to it lose their target, those
    /// from it their source.
    fn free_point_process(&mut self, pp: PpId) {
        let _ = pp;
    }
    /// Frees a NetCon whose last HOC reference went: it delivers nothing
    /// more (a `ParallelContext` gid registered through it keeps its source).
    fn free_netcon(&mut self, nc: NcId) {
        let _ = nc;
    }
    /// `NetCon.valid()` when the simulator knows better than "a source and a
    /// target" (NEURON: a NetCon made with a nil source and a target has a
    /// source that never fires; one whose source was freed has none).
    fn netcon_valid(&self, nc: NcId) -> Option<bool> {
        let _ = nc;
        None
    }
    /// The NetCon's point process target, if any (`NetCon.syn()`).
    fn netcon_target(&self, nc: NcId) -> Option<PpId> {
        let _ = nc;
        None
    }
    /// `NetCon.active(on)`: turns delivery through the NetCon on or off;
    /// returns the previous state.
    fn netcon_active(&mut self, nc: NcId, on: Option<bool>) -> SimResult<bool> {
        let _ = (nc, on);
        Ok(true)
    }
    /// `NetCon.record(tvec, idvec, id)`: every spike of the NetCon's source
    /// appends its time to `times` and `id` to `ids`.
    fn netcon_record_ids(
        &mut self,
        nc: NcId,
        times: Rc<RefCell<Vec<f64>>>,
        ids: Rc<RefCell<Vec<f64>>>,
        id: f64,
    ) -> SimResult<()> {
        let _ = (nc, times, ids, id);
        unsupported("NetCon.record(tvec, idvec, id)")
    }
    /// `ParallelContext.source_var(&var, sgid)`: publishes `source` under `sgid`.
    fn source_var(&mut self, source: RecordSource, sgid: u64) -> SimResult<()> {
        let _ = (source, sgid);
        unsupported("ParallelContext.source_var")
    }
    /// `ParallelContext.target_var([pp,] &var, sgid)`: `target` takes the
    /// value published under `sgid` before every step and at `finitialize`.
    fn target_var(&mut self, target: RecordSource, sgid: u64) -> SimResult<()> {
        let _ = (target, sgid);
        unsupported("ParallelContext.target_var")
    }
    /// `ParallelContext.setup_transfer()`: the source/target pairs take effect.
    fn setup_transfer(&mut self) -> SimResult<()> {
        unsupported("ParallelContext.setup_transfer")
    }
    /// Forgets every source_var / target_var (`ParallelContext.gid_clear()`).
    fn clear_transfer(&mut self) {}
    /// Whether any `target_var` is declared.
    fn has_transfer(&self) -> bool {
        false
    }
    /// `setpointer target, source`: the NMODL POINTER `target` (a point
    /// process or density mechanism variable) reads `source`.
    fn setpointer(&mut self, target: RecordSource, source: RecordSource) -> SimResult<()> {
        let _ = (target, source);
        unsupported("setpointer")
    }
    /// `Random.play(&var)`: `var` takes a new pick of `random` (its current
    /// distribution) at every `finitialize`, before INITIAL blocks run, and
    /// at the start of every step, after the events due by then (NEURON's
    /// `nrn_random_play`).
    fn random_play(
        &mut self,
        target: RecordSource,
        random: neurite_hines::random::SharedRandom,
    ) -> SimResult<()> {
        let _ = (target, random);
        unsupported("Random.play")
    }
    /// `Random.play(&x)` into a HOC variable: element `index` of `cells`.
    fn random_play_cell(
        &mut self,
        cells: Rc<RefCell<Vec<f64>>>,
        index: usize,
        random: neurite_hines::random::SharedRandom,
    ) -> SimResult<()> {
        let _ = (cells, index, random);
        unsupported("Random.play into a HOC variable")
    }
    /// Whether `name` is a NEURON 9 `RANDOM` variable of the point process's
    /// mechanism (HOC reads it as an `NMODLRandom` object: `ns.ranvar`).
    fn pp_is_random(&self, pp: PpId, name: &str) -> bool {
        let _ = (pp, name);
        false
    }
    /// A method of NEURON 9's `NMODLRandom` on RANDOM variable `name` of a
    /// point process: `set_ids(id1, id2, id3)`, `get_ids()` (three values),
    /// `set_seq(x)`, `get_seq()`, `uniform()`; returns the values it gives.
    fn pp_random(
        &mut self,
        pp: PpId,
        name: &str,
        method: &str,
        args: &[f64],
    ) -> SimResult<Vec<f64>> {
        let _ = (pp, name, args);
        unsupported(&format!("NMODLRandom.{method}"))
    }
    /// A FUNCTION or PROCEDURE of a point process called from HOC
    /// (`syn.setRNG(1, 2)`, `vs.play(vec)`); `None` when it has no such
    /// function.
    fn call_pp_function(
        &mut self,
        pp: PpId,
        name: &str,
        args: &[CallArg],
    ) -> Option<SimResult<f64>> {
        let _ = (pp, name, args);
        None
    }
}

/// An argument of a mechanism FUNCTION or PROCEDURE called from HOC.
#[derive(Clone, Debug)]
pub enum CallArg {
    Num(f64),
    /// A Vector, shared with HOC (`vs.play(vec)`).
    Vector(Rc<RefCell<Vec<f64>>>),
    /// A `Random` object, whose stream the mechanism shares (`syn.setRNG(r)`).
    Random(neurite_hines::random::SharedRandom),
    /// A HOC object the mechanism keeps (a `Random` for `setRNG`): its class.
    Object(String),
}
