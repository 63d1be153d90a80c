//! `ParallelContext` for one process (`nhost() == 1`), as NEURON 9.0.2 runs
//! it without MPI: the gid table (`set_gid2node`, `cell`, `gid_connect`,
//! `threshold`, `spike_record`, `gid_exists`, `gid2cell`), `psolve`, the
//! variable transfer of gap junctions (`source_var`, `target_var`,
//! `setup_transfer`, carried out by the [`crate::sim::Simulator`]), and the
//! collective calls that are trivial with one process (`barrier`, `done`,
//! `allreduce`...). Every `new ParallelContext()` shares one state, as in
//! NEURON. Messages follow NEURON's (`src/nrniv/netpar.cpp`,
//! `src/nrniv/partrans.cpp`).

use super::arg_num;
use crate::interp::value::{NumCells, ObjData, ObjRef, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};
use crate::sim::{NcId, NetConSource, RecordSource};
use std::collections::BTreeMap;

/// The spike source registered for a gid by `cell(gid, netcon)`.
#[derive(Clone, Debug)]
pub(crate) struct GidCell {
    nc: NcId,
    source: NetConSource,
    /// `cell(gid, nc, 0)` registers a source that does not send to other
    /// processes (`gid_exists` says 2 instead of 3).
    output: bool,
}

/// The state every `ParallelContext` object shares.
#[derive(Clone, Debug, Default)]
pub(crate) struct ParState {
    /// Gids owned by this process (`set_gid2node(gid, 0)`), with their cell.
    gid2out: BTreeMap<i64, Option<GidCell>>,
    /// Gids connected to (`gid_connect`) that no cell of this process
    /// owns: input ports, with the NetCons made from them.
    gid2in: BTreeMap<i64, Vec<NcId>>,
    /// NEURON's `mindelay_`: 0 until `set_maxstep`, which `psolve` needs.
    mindelay: f64,
}

/// Methods that do nothing with one process; they return this value.
const TRIVIAL: &[(&str, f64)] = &[
    ("barrier", 0.0),
    ("done", 0.0),
    ("runworker", 0.0),
    ("nthread", 1.0),
    ("spike_compress", 0.0),
    ("multisplit", 0.0),
    ("wait_time", 0.0),
    ("step_time", 0.0),
    ("send_time", 0.0),
    ("integ_time", 0.0),
    ("event_time", 0.0),
    ("vtransfer_time", 0.0),
    ("mech_time", 0.0),
    ("timeout", 20.0),
    ("use_timeout", 20.0),
    ("max_histogram", 0.0),
    ("optimize_node_order", 0.0),
];

fn gid_arg(a: &[ArgVal], i: usize, method: &str) -> R<i64> {
    let g = arg_num(a, i, method)?;
    if !g.is_finite() || g < 0.0 {
        return fault(format!(
            "ParallelContext.{method}: gid must be >= 0 (arg {} is {g})",
            i + 1
        ));
    }
    Ok(g as i64)
}

/// `sgid` of `source_var` / `target_var`: a non-negative whole number.
fn sgid_arg(a: &[ArgVal], i: usize, method: &str) -> R<u64> {
    let x = arg_num(a, i, method)?;
    if !x.is_finite() || x < 0.0 {
        let x = super::format::fmt_num(x);
        return fault(format!("{method} sgid must be >= 0: arg {} is {x}", i + 1));
    }
    Ok(x as u64)
}

fn vector_arg(a: &[ArgVal], i: usize, method: &str) -> R<NumCells> {
    match a.get(i).map(|x| &x.value) {
        Some(Value::Obj(Some(o))) => match &*o.data.borrow() {
            ObjData::Vector(c) => Ok(c.clone()),
            _ => fault(format!(
                "ParallelContext.{method}: arg {} must be a Vector",
                i + 1
            )),
        },
        _ => fault(format!(
            "ParallelContext.{method}: arg {} must be a Vector",
            i + 1
        )),
    }
}

fn netcon_arg(a: &[ArgVal], i: usize, method: &str) -> R<(NcId, ObjRef)> {
    if let Some(Value::Obj(Some(o))) = a.get(i).map(|x| &x.value) {
        if let ObjData::NetCon(nc) = &*o.data.borrow() {
            return Ok((*nc, o.clone()));
        }
        return fault(format!(
            "ParallelContext.{method}: {o} is not a NetCon (arg {} must be a NetCon)",
            i + 1
        ));
    }
    fault(format!(
        "ParallelContext.{method}: arg {} must be a NetCon",
        i + 1
    ))
}

impl Interpreter {
    /// `pc.name(args)` on a `ParallelContext`.
    pub(crate) fn parallel_method(&mut self, name: &str, a: &[ArgVal]) -> R<Value> {
        self.sweep_sim_objects();
        if let Some((_, v)) = TRIVIAL.iter().find(|(n, _)| *n == name) {
            return Ok(Value::Num(*v));
        }
        let num = |v: f64| Ok(Value::Num(v));
        match name {
            "nhost" => num(1.0),
            "id" | "rank" => num(0.0),
            "time" => num(self.start_time.elapsed().as_secs_f64()),
            "allreduce" => num(arg_num(a, 0, name)?),
            "set_gid2node" => self.set_gid2node(a),
            "gid_exists" => {
                let gid = gid_arg(a, 0, name)?;
                num(match self.par.gid2out.get(&gid) {
                    None => 0.0,
                    Some(None) => 1.0,
                    Some(Some(c)) if c.output => 3.0,
                    Some(Some(_)) => 2.0,
                })
            }
            "cell" => self.pc_cell(a),
            "outputcell" => {
                let gid = gid_arg(a, 0, name)?;
                match self.par.gid2out.get_mut(&gid) {
                    Some(Some(c)) => c.output = true,
                    _ => return fault(format!("outputcell: gid {gid} has no cell")),
                }
                num(0.0)
            }
            "threshold" => self.pc_threshold(a),
            "gid_connect" => self.gid_connect(a),
            "gid2cell" | "gid2obj" => self.gid2cell(a, name),
            "spike_record" => self.spike_record(a),
            "gid_clear" => {
                let arg = match a.first() {
                    Some(_) => arg_num(a, 0, name)?,
                    None => 0.0,
                };
                if [0.0, 3.0, 4.0].contains(&arg) {
                    self.sim.clear_transfer();
                }
                if ![2.0, 3.0].contains(&arg) {
                    self.par.gid2out.clear();
                    self.par.gid2in.clear();
                }
                num(0.0)
            }
            "set_maxstep" => self.set_maxstep(a),
            "psolve" => self.psolve(a),
            "source_var" => self.source_var(a),
            "target_var" => self.target_var(a),
            "setup_transfer" => {
                self.sim.setup_transfer().or_else(fault)?;
                num(0.0)
            }
            _ => fault(format!(
                "ParallelContext.{name} is not supported by Neurite (one process: nhost() is 1)"
            )),
        }
    }

    fn set_gid2node(&mut self, a: &[ArgVal]) -> R<Value> {
        let gid = gid_arg(a, 0, "set_gid2node")?;
        let node = arg_num(a, 1, "set_gid2node")?;
        if node as i64 != 0 {
            // another process owns it: nothing to do here
            return Ok(Value::Num(0.0));
        }
        if self.par.gid2in.contains_key(&gid) {
            return fault(format!(
                "gid={gid} already exists as an input port. Setup all the output ports on \
                 this process before using them as input ports."
            ));
        }
        if self.par.gid2out.contains_key(&gid) {
            return fault(format!(
                "gid={gid} already exists on this process as an output port"
            ));
        }
        self.par.gid2out.insert(gid, None);
        Ok(Value::Num(0.0))
    }

    /// `pc.cell(gid, netcon[, output])`: the NetCon's source becomes the
    /// gid's spike source.
    fn pc_cell(&mut self, a: &[ArgVal]) -> R<Value> {
        let gid = gid_arg(a, 0, "cell")?;
        if self.par.gid2in.contains_key(&gid) {
            return fault(format!(
                "gid={gid} is in the input list. Must register with pc.set_gid2node prior to \
                 connecting"
            ));
        }
        if !self.par.gid2out.contains_key(&gid) {
            return fault(format!("gid={gid} has not been set on rank 0"));
        }
        let (nc, o) = netcon_arg(a, 1, "cell")?;
        let source = match self.sim.netcon_source(nc) {
            Some(NetConSource::None) | None => {
                return fault(format!("pc.cell second arg, {o}, has no source"))
            }
            Some(s) => s,
        };
        let taken = self
            .par
            .gid2out
            .iter()
            .find(|(g, c)| **g != gid && c.as_ref().is_some_and(|c| c.source == source));
        if let Some((other, _)) = taken {
            return fault(format!(
                "Can't associate gid {gid}. PreSyn already associated with gid {other}."
            ));
        }
        let output = match a.get(2) {
            Some(_) => arg_num(a, 2, "cell")? != 0.0,
            None => true,
        };
        self.par
            .gid2out
            .insert(gid, Some(GidCell { nc, source, output }));
        Ok(Value::Num(0.0))
    }

    fn gid_cell(&self, gid: i64) -> R<GidCell> {
        match self.par.gid2out.get(&gid) {
            Some(Some(c)) => Ok(c.clone()),
            _ => fault(format!(
                "gid {gid} not associated with spike generation location"
            )),
        }
    }

    /// `pc.threshold(gid[, th])`: the threshold of the gid's source.
    fn pc_threshold(&mut self, a: &[ArgVal]) -> R<Value> {
        let gid = gid_arg(a, 0, "threshold")?;
        let cell = self.gid_cell(gid)?;
        if a.get(1).is_some() {
            let th = arg_num(a, 1, "threshold")?;
            self.sim
                .netcon_set(cell.nc, "threshold", 0, th)
                .or_else(fault)?;
        }
        let th = self
            .sim
            .netcon_get(cell.nc, "threshold", 0)
            .or_else(fault)?;
        Ok(Value::Num(th))
    }

    /// `pc.gid_connect(gid, target[, netcon])`: a new NetCon from the gid's
    /// source (a source that never fires when no cell of this process has
    /// the gid), or `netcon` (whose target must be `target`) given that
    /// source and returned.
    fn gid_connect(&mut self, a: &[ArgVal]) -> R<Value> {
        let gid = gid_arg(a, 0, "gid_connect")?;
        let target = match a.get(1).map(|x| &x.value) {
            Some(Value::Obj(Some(o))) => match &*o.data.borrow() {
                ObjData::PointProcess(p) => *p,
                _ => return fault("gid_connect: arg 2 must be a point process"),
            },
            _ => return fault("gid_connect: arg 2 must be a point process"),
        };
        let source = match self.par.gid2out.get(&gid) {
            Some(Some(c)) => c.source.clone(),
            Some(None) => return fault(format!("gid {gid} owned by 0 but no associated cell")),
            None => NetConSource::None,
        };
        // a third argument: that NetCon (to the same target) takes the source
        let (nc, o) = match a.get(2) {
            Some(_) => {
                let (nc, o) = netcon_arg(a, 2, "gid_connect")?;
                if self.sim.netcon_target(nc) != Some(target) {
                    return fault("gid_connect: target is different from 3rd arg NetCon target");
                }
                self.sim.netcon_set_source(nc, source).or_else(fault)?;
                (nc, Some(o))
            }
            None => (
                self.sim.new_netcon(source, Some(target)).or_else(fault)?,
                None,
            ),
        };
        if !self.par.gid2out.contains_key(&gid) {
            let list = self.par.gid2in.entry(gid).or_default();
            if !list.contains(&nc) {
                list.push(nc);
            }
            self.sim.netcon_gid_input(nc, gid).or_else(fault)?;
        }
        let o = match o {
            Some(o) => o,
            None => super::objects::obj(self, "NetCon", ObjData::NetCon(nc)),
        };
        Ok(Value::Obj(Some(o)))
    }

    /// `pc.gid2cell(gid)`: the object holding the gid's source (the cell
    /// whose section it watches, or the point process), or `NULLobject`.
    fn gid2cell(&mut self, a: &[ArgVal], name: &str) -> R<Value> {
        let gid = gid_arg(a, 0, name)?;
        let cell = self.gid_cell(gid)?;
        let found = match cell.source {
            NetConSource::Var(RecordSource::Range { sec, .. }) => self.owner_of_section(sec),
            NetConSource::Var(RecordSource::PointProcess { pp, .. })
            | NetConSource::PointProcess(pp) => {
                let obj = self.point_process_object(pp);
                let sec = self.sim.point_process_get_loc(pp).map(|(s, _)| s);
                match (name, sec.and_then(|s| self.owner_of_section(s))) {
                    ("gid2cell", Some(owner)) => Some(owner),
                    _ => obj,
                }
            }
            _ => None,
        };
        Ok(Value::Obj(found))
    }

    fn owner_of_section(&self, sec: usize) -> Option<ObjRef> {
        self.owned_sections
            .iter()
            .find(|(s, _)| *s == sec)
            .and_then(|(_, w)| w.upgrade())
    }

    pub(crate) fn point_process_object(&self, pp: usize) -> Option<ObjRef> {
        self.instances.values().flatten().find_map(|w| {
            let o = w.upgrade()?;
            let hit = matches!(&*o.data.borrow(), ObjData::PointProcess(p) if *p == pp);
            hit.then_some(o)
        })
    }

    /// `pc.spike_record(gid | -1 | gidvec, tvec, idvec)`.
    fn spike_record(&mut self, a: &[ArgVal]) -> R<Value> {
        let times = vector_arg(a, 1, "spike_record")?;
        let ids = vector_arg(a, 2, "spike_record")?;
        let gids: Vec<i64> = match a.first().map(|x| &x.value) {
            Some(Value::Obj(Some(_))) => {
                let v = vector_arg(a, 0, "spike_record")?;
                let gids = v.borrow().iter().map(|g| *g as i64).collect();
                gids
            }
            _ => {
                let g = arg_num(a, 0, "spike_record")?;
                if g >= 0.0 {
                    vec![g as i64]
                } else {
                    let all = self.par.gid2out.iter();
                    all.filter(|(_, c)| c.as_ref().is_some_and(|c| c.output))
                        .map(|(g, _)| *g)
                        .collect()
                }
            }
        };
        for gid in gids {
            let cell = self.gid_cell(gid)?;
            self.sim
                .netcon_record_ids(cell.nc, times.clone(), ids.clone(), gid as f64)
                .or_else(fault)?;
        }
        Ok(Value::Num(0.0))
    }

    /// `pc.set_maxstep(maxdelay)`: NEURON's minimum delay of the NetCons from
    /// input ports, at most `maxdelay`; `psolve` steps need it to be >= dt.
    fn set_maxstep(&mut self, a: &[ArgVal]) -> R<Value> {
        let mut md = arg_num(a, 0, "set_maxstep")?;
        let ncs: Vec<NcId> = self.par.gid2in.values().flatten().copied().collect();
        for nc in ncs {
            let d = self.sim.netcon_get(nc, "delay", 0).or_else(fault)?;
            md = md.min(d);
        }
        self.par.mindelay = md;
        Ok(Value::Num(md))
    }

    /// `pc.psolve(tstop)`: NEURON's fixed-step `ncs2nrn_integrate(tstop *
    /// (1 + 1e-11))`: `n = int((tstop' - t)/dt + 1e-9)` steps when n > 3 and
    /// no variable transfer is set up, otherwise steps while `t <= tstop' - dt`.
    fn psolve(&mut self, a: &[ArgVal]) -> R<Value> {
        let tstop = arg_num(a, 0, "psolve")?;
        let t = self.sim.get_global("t").unwrap_or(0.0);
        if !(t..=1e9).contains(&tstop) {
            return fault(format!(
                "psolve({}): Arg out of range in user function (t is {})",
                super::format::fmt_num(tstop),
                super::format::fmt_num(t)
            ));
        }
        let dt = self.sim.get_global("dt").unwrap_or(0.025);
        if self.par.mindelay - 1e-10 < dt {
            return fault(
                "mindelay is 0 (or less than dt for fixed step method): call \
                 pc.set_maxstep(10) before pc.psolve",
            );
        }
        let stop = tstop * (1.0 + 1e-11);
        let n = ((stop - t) / dt + 1e-9) as i64;
        if n > 3 && !self.sim.has_transfer() {
            for _ in 0..n {
                self.sim_fadvance()?;
            }
        } else {
            let ts = stop - dt;
            while self.sim.get_global("t").unwrap_or(f64::INFINITY) <= ts {
                self.sim_fadvance()?;
            }
        }
        Ok(Value::Num(0.0))
    }

    /// `pc.source_var(&var, sgid)`: the variable must be in the currently
    /// accessed section (NEURON finds its node there).
    fn source_var(&mut self, a: &[ArgVal]) -> R<Value> {
        let source = match a.first().map(|x| &x.value) {
            Some(Value::SimRef(r)) => r.clone(),
            _ => {
                return fault("source_var: arg 1 must be a reference to a range variable (&v(0.5))")
            }
        };
        let sgid = sgid_arg(a, 1, "source_var")?;
        let cas = self.current_section()?;
        let sec = match &source {
            RecordSource::Range { sec, .. } => Some(*sec),
            RecordSource::PointProcess { pp, .. } => {
                self.sim.point_process_get_loc(*pp).map(|(s, _)| s)
            }
            RecordSource::Global(_) => None,
        };
        if sec != Some(cas) {
            return fault(format!(
                "Pointer to src is not in the currently accessed section {}",
                self.sim.section_name(cas)
            ));
        }
        self.sim.source_var(source, sgid).or_else(fault)?;
        Ok(Value::Num(0.0))
    }

    /// `pc.target_var([pp,] &var, sgid)`.
    fn target_var(&mut self, a: &[ArgVal]) -> R<Value> {
        let (owner, rest) = match a.first().map(|x| &x.value) {
            Some(Value::Obj(Some(o))) => match &*o.data.borrow() {
                ObjData::PointProcess(p) => (Some((*p, o.to_string())), 1),
                _ => return fault(format!("target_var: {o} is not a point process")),
            },
            _ => (None, 0),
        };
        let target = match a.get(rest).map(|x| &x.value) {
            Some(Value::SimRef(r)) => r.clone(),
            _ => {
                return fault(format!(
                    "target_var: arg {} must be a reference to a variable (&gap.vgap)",
                    rest + 1
                ))
            }
        };
        let sgid = sgid_arg(a, rest + 1, "target_var")?;
        if let Some((pp, name)) = owner {
            let owned = matches!(&target, RecordSource::PointProcess { pp: p, .. } if *p == pp);
            if !owned {
                return fault(format!("Target ref not in {name}"));
            }
        }
        self.sim.target_var(target, sgid).or_else(fault)?;
        Ok(Value::Num(0.0))
    }
}
