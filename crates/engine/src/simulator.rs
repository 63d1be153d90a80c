//! [`Simulator`] for [`Engine`]: the HOC boundary. Every method is a thin
//! shell over the store (`store`), the geometry cache, the accessors
//! (`access`) and the build (`build`); errors become HOC
//! run-time messages here.

use crate::build::method;
use crate::catalog::suggest;
use crate::play::{Play, TimedRecord};
use crate::store::{center, seg_index, MechValues, Nc, Parent, Pp, Rec, Sec, SpikeIds};
use crate::{Engine, EngineError};
use neurite_hoc::sim::{
    NcId, NetConSource, PlayTimes, PpId, RecordSource, SecId, SimResult, Simulator,
};
use std::cell::RefCell;
use std::rc::Rc;

fn not_loaded(name: &str, s: &crate::Skipped) -> EngineError {
    EngineError::NotLoaded {
        name: name.to_string(),
        path: s.path.display().to_string(),
        reason: s.reason().to_string(),
    }
}

/// A point process location must be in [0, 1] (NEURON: "Arg out of range").
fn check_loc(what: &str, x: f64) -> Result<(), EngineError> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(EngineError::OutOfDomain {
            what: format!("{what}({x})"),
        })
    }
}

fn msg<T>(r: Result<T, EngineError>) -> SimResult<T> {
    r.map_err(|e| e.to_string())
}

impl Engine {
    fn set_section_prop(&mut self, id: SecId, name: &str, value: f64) -> Result<(), EngineError> {
        let invalid = || EngineError::InvalidValue {
            what: name.to_string(),
            value,
        };
        if !value.is_finite() {
            return Err(invalid());
        }
        let sec = self.sec_mut(id)?;
        match name {
            "L" if value > 0.0 => {
                sec.l = value;
                sec.l_after_pts = !sec.pts.is_empty();
            }
            "Ra" if value > 0.0 => sec.ra = value,
            "rallbranch" => sec.rallbranch = value,
            "nseg" if (1.0..=32767.0).contains(&value) => sec.set_nseg(value as usize),
            "L" | "Ra" | "nseg" => return Err(invalid()),
            _ => {
                return Err(EngineError::UnknownRangeVar {
                    name: name.to_string(),
                    suggestions: suggest(name, ["L", "nseg", "Ra", "rallbranch"].into_iter()),
                })
            }
        }
        if name != "rallbranch" {
            self.touch(name);
        }
        Ok(())
    }

    fn insert_mech(&mut self, id: SecId, mech: &str) -> Result<(), EngineError> {
        if self.catalog.point.contains(mech) {
            return Err(EngineError::PointNotInsertable { name: mech.into() });
        }
        if let Some(s) = self.skipped_mech(mech, false) {
            return Err(not_loaded(mech, s));
        }
        if !self.catalog.density.contains(mech) {
            let names = self.catalog.density.iter().map(String::as_str);
            return Err(EngineError::UnknownMechanism {
                name: mech.to_string(),
                suggestions: suggest(mech, names),
            });
        }
        if self.sec(id)?.mech(mech).is_some() {
            return Ok(());
        }
        let compiled = self.library.get(mech)?;
        let nseg = self.sec(id)?.nseg;
        let mut values: Vec<Vec<f64>> = compiled
            .layout
            .vars
            .iter()
            .map(|v| vec![v.default; nseg])
            .collect();
        neurite_nmodl::exec::random::assign_default_streams_per_segment(compiled, &mut values);
        let name = mech.to_string();
        self.sec_mut(id)?.mechs.push(MechValues { name, values });
        self.touch(&format!("insert {mech}"));
        Ok(())
    }

    fn new_pp(&mut self, kind: &str, loc: Option<(SecId, f64)>) -> Result<PpId, EngineError> {
        if let Some(s) = self.skipped_mech(kind, true) {
            return Err(not_loaded(kind, s));
        }
        if !self.catalog.point.contains(kind) {
            let names = self.catalog.point.iter().map(String::as_str);
            return Err(EngineError::UnknownPointProcess {
                name: kind.to_string(),
                suggestions: suggest(kind, names),
            });
        }
        if let Some((sec, x)) = loc {
            self.sec(sec)?;
            check_loc(kind, x)?;
        }
        let compiled = self.library.get(kind)?;
        let mut values: Vec<f64> = compiled.layout.vars.iter().map(|v| v.default).collect();
        // NEURON gives each new instance's RANDOM variables their streams now
        neurite_nmodl::exec::random::assign_default_streams(compiled, &mut values);
        self.pps.push(Some(Pp {
            kind: kind.to_string(),
            loc,
            values,
        }));
        self.touch(&format!("new {kind}"));
        Ok(self.pps.len() - 1)
    }

    /// Distance from the root to `(sec, x)`: the path of (section, x) pairs.
    fn root_path(&self, sec: SecId, x: f64) -> Result<Vec<(SecId, f64)>, EngineError> {
        let mut path = vec![(sec, x)];
        let mut cur = sec;
        while let Some(p) = self.sec(cur)?.parent {
            path.push((p.sec, p.x));
            cur = p.sec;
            if path.len() > self.secs.len() + 1 {
                return Err(EngineError::Unsupported {
                    what: "a section tree with a loop".into(),
                });
            }
        }
        Ok(path)
    }

    fn path_distance(&self, from: (SecId, f64), to: (SecId, f64)) -> Result<f64, EngineError> {
        let g = self.geometry()?;
        let a = self.root_path(from.0, from.1)?;
        let b = self.root_path(to.0, to.1)?;
        let along = |path: &[(SecId, f64)]| -> Result<f64, EngineError> {
            let mut d = 0.0;
            for &(s, x) in path {
                let child_x = self.sec(s)?.parent.map_or(0.0, |p| p.child_x);
                d += g.length(s)? * (x - child_x).abs();
            }
            Ok(d)
        };
        for (i, &(sec, xa)) in a.iter().enumerate() {
            if let Some(j) = b.iter().position(|p| p.0 == sec) {
                let xb = b[j].1;
                return Ok(along(&a[..i])? + along(&b[..j])? + g.length(sec)? * (xa - xb).abs());
            }
        }
        Err(EngineError::Unsupported {
            what: "distance between two different cells".into(),
        })
    }

    fn do_finitialize(&mut self, v_init: Option<f64>) -> Result<(), EngineError> {
        if !self.transfers.ready && self.has_transfer() {
            return Err(EngineError::Transfer {
                message: "ParallelContext.setup_transfer() needs to be called.".into(),
            });
        }
        let v = match v_init {
            Some(v) => v,
            None => self.uniform_v()?,
        };
        self.random_play_now()?;
        // the play events of time 0 (NEURON delivers those due by dt/2)
        self.apply_plays(0.5 * self.settings.dt, false)?;
        self.apply_plays(0.0, true)?;
        if self.built.is_none() || self.stale.is_some() {
            self.built = None;
            self.built = Some(self.build()?);
            self.stale = None;
        }
        let Some(b) = self.built.as_mut() else {
            return Err(EngineError::NotInitialized);
        };
        b.sim.finitialize(v)?;
        b.step_dt = Some(b.sim.config().dt);
        b.spikes_seen.iter_mut().for_each(|s| *s = 0);
        b.log_seen = 0;
        self.v_pending = false;
        for sec in self.secs.iter_mut().flatten() {
            sec.v.iter_mut().for_each(|x| *x = v);
        }
        for r in &self.recs {
            r.into.borrow_mut().clear();
        }
        for nc in &self.ncs {
            if let Some(r) = &nc.record {
                r.borrow_mut().clear();
            }
            if let Some(r) = &nc.record_ids {
                r.times.borrow_mut().clear();
                r.ids.borrow_mut().clear();
            }
        }
        self.sample();
        self.reset_timed_records();
        self.deliver_timed_records(0.5 * self.settings.dt);
        Ok(())
    }

    /// `finitialize()` keeps each segment's v; the solver initialises to one
    /// value, so the stored v must be the same everywhere.
    fn uniform_v(&self) -> Result<f64, EngineError> {
        let mut values = Vec::new();
        for (k, sec) in self.secs.iter().enumerate() {
            if let Some(sec) = sec {
                for j in 0..sec.nseg {
                    values.push(self.range_get(k, "v", center(sec.nseg, j))?);
                }
            }
        }
        let first = values.first().copied().unwrap_or(crate::store::DEFAULT_V);
        if values.iter().all(|v| (v - first).abs() < 1e-12) {
            Ok(first)
        } else {
            Err(EngineError::Unsupported {
                what: "finitialize() with a different v in different segments (give finitialize(v_init))"
                    .into(),
            })
        }
    }

    fn do_fadvance(&mut self) -> Result<(), EngineError> {
        if let Some(what) = &self.stale {
            return Err(EngineError::Stale { what: what.clone() });
        }
        if self.v_pending {
            return Err(EngineError::Stale {
                what: "v was assigned".into(),
            });
        }
        let t0 = self
            .built
            .as_ref()
            .ok_or(EngineError::NotInitialized)?
            .sim
            .t();
        let dt = self.settings.dt;
        self.apply_plays(t0 + 0.5 * dt, false)?;
        self.random_play_now()?;
        self.apply_plays(t0 + 0.5 * dt, true)?;
        let b = self.built.as_mut().ok_or(EngineError::NotInitialized)?;
        b.sim.fadvance_to_record()?;
        b.step_dt = Some(b.sim.config().dt);
        self.settings.t = b.sim.t();
        self.apply_plays(self.settings.t, true)?;
        // NEURON records before delivering the events due by the new t
        self.sample_values();
        if let Some(b) = self.built.as_mut() {
            b.sim.deliver_after_record()?;
        }
        self.sample_spikes();
        self.deliver_timed_records(self.settings.t + 0.5 * dt);
        Ok(())
    }

    /// Appends every recorded value and the new spike times of recorded NetCons.
    fn sample(&mut self) {
        self.sample_values();
        self.sample_spikes();
    }

    /// Appends every recorded value.
    fn sample_values(&mut self) {
        for r in &self.recs {
            let v = self.sample_value(&r.source);
            r.into.borrow_mut().push(v);
        }
    }

    /// Appends the new spike times of recorded NetCons.
    fn sample_spikes(&mut self) {
        let Some(b) = self.built.as_mut() else {
            return;
        };
        for (k, nc) in self.ncs.iter().enumerate() {
            let (Some(into), Some(id)) = (&nc.record, b.ncs.get(k)) else {
                continue;
            };
            if !b.recorders.get(k).copied().unwrap_or(false) {
                continue;
            }
            if let Ok(times) = b.sim.spike_times(*id) {
                let seen = b.spikes_seen[k].min(times.len());
                into.borrow_mut().extend_from_slice(&times[seen..]);
                b.spikes_seen[k] = times.len();
            }
        }
        let log = b.sim.spike_log();
        for &(time, id) in log.get(b.log_seen..).unwrap_or_default() {
            let winners = self.ncs.iter().zip(&b.recorders).filter(|(_, w)| **w);
            let to = winners.filter_map(|(n, _)| n.record_ids.as_ref());
            if let Some(r) = to.into_iter().find(|r| r.id == id) {
                r.times.borrow_mut().push(time);
                r.ids.borrow_mut().push(id);
            }
        }
        b.log_seen = log.len();
    }

    pub(crate) fn set_setting(&mut self, name: &str, value: f64) -> Result<bool, EngineError> {
        let invalid = || EngineError::InvalidValue {
            what: name.to_string(),
            value,
        };
        match name {
            "t" => self.settings.t = value,
            "dt" if value > 0.0 && value.is_finite() => {
                self.settings.dt = value;
                if let Some(b) = &mut self.built {
                    b.sim.set_dt(value)?;
                }
            }
            "celsius" if value.is_finite() => {
                self.settings.celsius = value;
                if let Some(b) = &mut self.built {
                    b.sim.set_celsius(value)?;
                }
            }
            "secondorder" => {
                let m = method(value)?;
                self.settings.secondorder = value;
                if let Some(b) = &mut self.built {
                    b.sim.set_secondorder(m);
                }
            }
            "dt" | "celsius" => return Err(invalid()),
            _ => return self.set_mech_global(name, value),
        }
        Ok(true)
    }

    fn set_mech_global(&mut self, name: &str, value: f64) -> Result<bool, EngineError> {
        let Some((mech, column)) = self.catalog.globals.get(name).cloned() else {
            return Ok(false);
        };
        self.mech_globals.insert(name.to_string(), value);
        let sets = self.built.as_ref().map(|b| b.sets_of(self, &mech));
        if let (Some(b), Some(sets)) = (&mut self.built, sets) {
            for id in sets {
                b.sim.set_variable(id, 0, column, value)?;
            }
        }
        Ok(true)
    }

    /// That a recorded or played variable exists.
    pub(crate) fn check_source(&self, source: &RecordSource) -> SimResult<()> {
        match source {
            RecordSource::Range { sec, name, x } => msg(self.range_get(*sec, name, *x)).map(|_| ()),
            RecordSource::PointProcess { pp, name } => msg(self.pp_value(*pp, name)).map(|_| ()),
            RecordSource::Global(g) => match self.global_value(g) {
                Some(_) => Ok(()),
                None => Err(format!("{g} is not a simulator variable")),
            },
        }
    }

    fn netcon(&self, nc: NcId) -> Result<&Nc, EngineError> {
        self.ncs.get(nc).ok_or(EngineError::NoSuchObject {
            what: "NetCon",
            id: nc,
        })
    }
}

impl Simulator for Engine {
    fn create_section(&mut self, name: &str) -> SecId {
        self.secs.push(Some(Sec::new(name)));
        self.touch("create");
        self.secs.len() - 1
    }

    fn delete_section(&mut self, sec: SecId) {
        if let Some(slot) = self.secs.get_mut(sec) {
            *slot = None;
        }
        for s in self.secs.iter_mut().flatten() {
            if s.parent.is_some_and(|p| p.sec == sec) {
                s.parent = None;
            }
        }
        for pp in self.pps.iter_mut().flatten() {
            if pp.loc.is_some_and(|l| l.0 == sec) {
                pp.loc = None;
            }
        }
        self.touch("delete_section");
    }

    fn section_name(&self, sec: SecId) -> String {
        self.sec(sec).map(|s| s.name.clone()).unwrap_or_default()
    }

    fn connect(&mut self, child: SecId, cx: f64, parent: SecId, px: f64) -> SimResult<()> {
        msg(self.sec(parent).map(|_| ()))?;
        if !(0.0..=1.0).contains(&px) || !(0.0..=1.0).contains(&cx) {
            return Err(format!(
                "connect: positions must be in [0, 1] (got {cx}, {px})"
            ));
        }
        let path = msg(self.root_path(parent, px))?;
        if path.iter().any(|p| p.0 == child) {
            return Err(format!(
                "connect: {} is already an ancestor of {} (a loop)",
                self.section_name(child),
                self.section_name(parent)
            ));
        }
        self.seq += 1;
        let seq = self.seq;
        msg(self.sec_mut(child))?.parent = Some(Parent {
            sec: parent,
            x: px,
            child_x: if cx >= 0.5 { 1.0 } else { 0.0 },
            seq,
        });
        self.touch("connect");
        Ok(())
    }

    fn disconnect(&mut self, sec: SecId) -> SimResult<()> {
        msg(self.sec_mut(sec))?.parent = None;
        self.touch("disconnect");
        Ok(())
    }

    fn parent(&self, sec: SecId) -> Option<(SecId, f64)> {
        let p = self.sec(sec).ok()?.parent?;
        Some((p.sec, p.x))
    }

    fn parent_connection_x(&self, sec: SecId) -> f64 {
        self.sec(sec)
            .ok()
            .and_then(|s| s.parent)
            .map_or(0.0, |p| p.child_x)
    }

    fn children(&self, sec: SecId) -> Vec<SecId> {
        let mut kids: Vec<(u64, SecId)> = (0..self.secs.len())
            .filter_map(|k| {
                let p = self.secs[k].as_ref()?.parent?;
                (p.sec == sec).then_some((p.seq, k))
            })
            .collect();
        kids.sort();
        kids.into_iter().map(|(_, k)| k).collect()
    }

    fn sections(&self) -> Vec<SecId> {
        (0..self.secs.len())
            .filter(|k| self.secs[*k].is_some())
            .collect()
    }

    fn get_prop(&self, sec: SecId, name: &str) -> SimResult<f64> {
        let s = msg(self.sec(sec))?;
        match name {
            "L" if !s.pts.is_empty() && !s.l_after_pts => Ok(s.arc_length()),
            "L" if !s.pts.is_empty() => msg(self.geometry().and_then(|g| g.length(sec))),
            "L" => Ok(s.l),
            "nseg" => Ok(s.nseg as f64),
            "Ra" => Ok(s.ra),
            "rallbranch" => Ok(s.rallbranch),
            _ => Err(format!("{name} is not a section property")),
        }
    }

    fn set_prop(&mut self, sec: SecId, name: &str, value: f64) -> SimResult<()> {
        msg(self.set_section_prop(sec, name, value))
    }

    fn is_range_var(&self, name: &str) -> bool {
        self.knows_range(name)
    }

    fn get_range(&self, sec: SecId, name: &str, x: f64) -> SimResult<f64> {
        msg(self.range_get(sec, name, x))
    }

    fn set_range(&mut self, sec: SecId, name: &str, x: Option<f64>, value: f64) -> SimResult<()> {
        msg(self.range_set(sec, name, x, value))
    }

    fn is_mechanism(&self, name: &str) -> bool {
        self.catalog.density.contains(name) || self.skipped_mech(name, false).is_some()
    }

    fn insert(&mut self, sec: SecId, mech: &str) -> SimResult<()> {
        msg(self.insert_mech(sec, mech))
    }

    fn uninsert(&mut self, sec: SecId, mech: &str) -> SimResult<()> {
        let s = msg(self.sec_mut(sec))?;
        let before = s.mechs.len();
        s.mechs.retain(|m| m.name != mech);
        if s.mechs.len() != before {
            self.touch(&format!("uninsert {mech}"));
        }
        Ok(())
    }

    fn has_mechanism(&self, sec: SecId, mech: &str) -> bool {
        self.sec(sec).is_ok_and(|s| s.mech(mech).is_some())
    }

    fn segment_centers(&self, sec: SecId) -> Vec<f64> {
        let n = self.sec(sec).map_or(1, |s| s.nseg);
        (0..n).map(|j| center(n, j)).collect()
    }

    fn pt3dclear(&mut self, sec: SecId) -> SimResult<()> {
        let s = msg(self.sec_mut(sec))?;
        s.pts.clear();
        s.l_after_pts = false;
        self.touch("pt3dclear");
        Ok(())
    }

    fn pt3dadd(&mut self, sec: SecId, x: f64, y: f64, z: f64, diam: f64) -> SimResult<()> {
        if ![x, y, z, diam].iter().all(|v| v.is_finite()) || diam < 0.0 {
            return Err(format!("pt3dadd({x}, {y}, {z}, {diam}): invalid point"));
        }
        let s = msg(self.sec_mut(sec))?;
        if s.l_after_pts {
            // NEURON rescaled the points already; keep the length they have now
            let l = s.l;
            s.l_after_pts = false;
            s.l = l;
        }
        // NEURON keeps 3-D points in single precision (and x3d() reads them so)
        let f = |v: f64| f64::from(v as f32);
        s.pts.push([f(x), f(y), f(z), f(diam)]);
        self.touch("pt3dadd");
        Ok(())
    }

    fn pt3d(&self, sec: SecId) -> Vec<[f64; 4]> {
        self.sec(sec).map(|s| s.pts.clone()).unwrap_or_default()
    }

    fn area(&self, sec: SecId, x: f64) -> SimResult<f64> {
        let g = msg(self.geometry())?;
        let id = msg(g.id(sec))?;
        g.disc.area_at(id, x).map_err(|e| e.to_string())
    }

    fn ri(&self, sec: SecId, x: f64) -> SimResult<f64> {
        let g = msg(self.geometry())?;
        let id = msg(g.id(sec))?;
        g.disc.ri_at(id, x).map_err(|e| e.to_string())
    }

    fn distance(&self, from: (SecId, f64), to: (SecId, f64)) -> SimResult<f64> {
        msg(self.path_distance(from, to))
    }

    fn is_point_process(&self, name: &str) -> bool {
        self.catalog.point.contains(name) || self.skipped_mech(name, true).is_some()
    }

    fn new_point_process(&mut self, kind: &str, loc: Option<(SecId, f64)>) -> SimResult<PpId> {
        msg(self.new_pp(kind, loc))
    }

    fn point_process_loc(&mut self, pp: PpId, sec: SecId, x: f64) -> SimResult<()> {
        msg(self.sec(sec).map(|_| ()))?;
        msg(check_loc("loc", x))?;
        match self.pps.get_mut(pp) {
            Some(Some(p)) => p.loc = Some((sec, x)),
            _ => return Err(format!("no such point process (id {pp})")),
        }
        self.touch("point process moved");
        Ok(())
    }

    /// NEURON reports the centre of the segment (or the end) it is in.
    fn point_process_get_loc(&self, pp: PpId) -> Option<(SecId, f64)> {
        let (sec, x) = self.pp(pp).ok()?.loc?;
        let nseg = self.sec(sec).ok()?.nseg;
        let x = if x <= 0.0 || x >= 1.0 {
            x.clamp(0.0, 1.0)
        } else {
            center(nseg, seg_index(nseg, x))
        };
        Some((sec, x))
    }

    fn pp_get(&self, pp: PpId, name: &str) -> SimResult<f64> {
        msg(self.pp_value(pp, name))
    }

    fn pp_set(&mut self, pp: PpId, name: &str, value: f64) -> SimResult<()> {
        msg(self.pp_assign(pp, name, value))
    }

    fn call_function(
        &mut self,
        sec: Option<SecId>,
        name: &str,
        args: &[f64],
    ) -> Option<SimResult<f64>> {
        if let Some(mech) = name.strip_prefix("setdata_") {
            if self.catalog.density.contains(mech) {
                return Some(msg(self.setdata(sec, mech, args)));
            }
        }
        let nums: Vec<neurite_hoc::sim::CallArg> = args
            .iter()
            .map(|&x| neurite_hoc::sim::CallArg::Num(x))
            .collect();
        if let Some(r) = self.function_table_call(name, &nums) {
            return Some(msg(r));
        }
        let mech = self.density_function(name)?;
        Some(msg(self.density_call(name, &mech, args)))
    }

    fn call_function_args(
        &mut self,
        _sec: Option<SecId>,
        name: &str,
        args: &[neurite_hoc::sim::CallArg],
    ) -> Option<SimResult<f64>> {
        if let Some(r) = self.function_table_call(name, args) {
            return Some(msg(r));
        }
        // a density mechanism's FUNCTION given a HOC Random
        // (`setRNG_StochKv(r)`): passed as its stream handle
        let mech = self.density_function(name)?;
        let mut nums = Vec::with_capacity(args.len());
        for a in args {
            nums.push(match a {
                neurite_hoc::sim::CallArg::Num(x) => *x,
                neurite_hoc::sim::CallArg::Random(r) => {
                    neurite_nmodl::exec::random::register_shared(r)
                }
                _ => return None,
            });
        }
        Some(msg(self.density_call(name, &mech, &nums)))
    }

    fn pp_is_random(&self, pp: PpId, name: &str) -> bool {
        self.pp_random_var(pp, name)
    }

    fn pp_random(
        &mut self,
        pp: PpId,
        name: &str,
        method: &str,
        args: &[f64],
    ) -> SimResult<Vec<f64>> {
        msg(self.pp_random_method(pp, name, method, args))
    }

    fn random_play(
        &mut self,
        target: RecordSource,
        random: neurite_hines::random::SharedRandom,
    ) -> SimResult<()> {
        msg(self.add_random_play(target, random))
    }

    fn random_play_cell(
        &mut self,
        cells: Rc<RefCell<Vec<f64>>>,
        index: usize,
        random: neurite_hines::random::SharedRandom,
    ) -> SimResult<()> {
        self.add_random_play_cell(cells, index, random);
        Ok(())
    }

    fn call_pp_function(
        &mut self,
        pp: PpId,
        name: &str,
        args: &[neurite_hoc::sim::CallArg],
    ) -> Option<SimResult<f64>> {
        self.pp_call(pp, name, args).map(msg)
    }

    fn get_global(&self, name: &str) -> Option<f64> {
        self.global_value(name)
    }

    fn set_global(&mut self, name: &str, value: f64) -> bool {
        self.set_setting(name, value).unwrap_or(false)
    }

    fn finitialize(&mut self, v_init: Option<f64>) -> SimResult<()> {
        msg(self.do_finitialize(v_init))
    }

    fn fadvance(&mut self) -> SimResult<()> {
        msg(self.do_fadvance())
    }

    fn new_netcon(&mut self, source: NetConSource, target: Option<PpId>) -> SimResult<NcId> {
        let count = match target {
            Some(t) => {
                let kind = msg(self.pp(t))?.kind.clone();
                let compiled = msg(self.library.get(&kind).map_err(EngineError::from))?;
                compiled
                    .net_receive
                    .as_ref()
                    .map_or(1, |nr| nr.params.len().max(1))
            }
            None => 1,
        };
        match &source {
            NetConSource::PointProcess(pp) => msg(self.pp(*pp).map(|_| ()))?,
            NetConSource::Var(RecordSource::Global(g)) => {
                return Err(format!("NetCon: &{g} is not a variable of a location"))
            }
            NetConSource::Var(var) => self.check_source(var)?,
            NetConSource::None => {}
        }
        let idle_source = source == NetConSource::None && target.is_some();
        self.ncs.push(Nc {
            source,
            target,
            weights: vec![0.0; count],
            delay: neurite_hines::DEFAULT_DELAY,
            threshold: None,
            record: None,
            record_ids: None,
            record_seq: 0,
            inactive: target.is_none(),
            freed: false,
            idle_source,
        });
        let k = self.ncs.len() - 1;
        // NEURON adds a NetCon between steps without a rebuild; so does the
        // engine when the live simulation is current
        let live = self.built.as_ref().is_some_and(|b| b.ncs.len() == k);
        let added = match self.built.take() {
            Some(mut b) if live && self.stale.is_none() => {
                let r = self.add_live_netcon(&mut b, k);
                self.built = Some(b);
                r.is_ok()
            }
            b => {
                self.built = b;
                false
            }
        };
        if !added {
            self.touch("new NetCon");
        }
        Ok(k)
    }

    fn netcon_get(&self, nc: NcId, name: &str, index: usize) -> SimResult<f64> {
        let n = msg(self.netcon(nc))?;
        let live = self.built.as_ref().filter(|_| self.stale.is_none());
        let id = live.and_then(|b| b.ncs.get(nc).map(|id| (b, *id)));
        match name {
            "weight" => match id {
                Some((b, id)) => b.sim.netcon_weights(id).map_err(|e| e.to_string())?,
                None => &n.weights,
            }
            .get(index)
            .copied()
            .ok_or_else(|| format!("NetCon.weight[{index}] out of range")),
            "delay" => Ok(n.delay),
            "threshold" => Ok(match id {
                Some((b, id)) => b.sim.netcon_threshold(id).ok().flatten(),
                None => n.threshold,
            }
            .unwrap_or(neurite_hines::DEFAULT_THRESHOLD)),
            "x" => Ok(match &n.source {
                NetConSource::Var(RecordSource::Range { x, .. }) => *x,
                _ => 0.5,
            }),
            _ => Err(format!("NetCon has no variable {name}")),
        }
    }

    fn netcon_set(&mut self, nc: NcId, name: &str, index: usize, value: f64) -> SimResult<()> {
        let n = self
            .ncs
            .get_mut(nc)
            .ok_or_else(|| format!("no such NetCon (id {nc})"))?;
        match name {
            "weight" => match n.weights.get_mut(index) {
                Some(w) => *w = value,
                None => return Err(format!("NetCon.weight[{index}] out of range")),
            },
            "delay" => n.delay = value,
            "threshold" => n.threshold = Some(value),
            _ => return Err(format!("NetCon has no variable {name}")),
        }
        let live = self.built.as_mut().filter(|_| self.stale.is_none());
        if let Some(b) = live {
            if let Some(&id) = b.ncs.get(nc) {
                let r = match name {
                    "weight" => b.sim.set_netcon_weight(id, index, value),
                    "delay" => b.sim.set_netcon_delay(id, value),
                    _ => b.sim.set_netcon_threshold(id, value),
                };
                r.map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }

    fn netcon_record(&mut self, nc: NcId, into: Rc<RefCell<Vec<f64>>>) -> SimResult<()> {
        let n = self
            .ncs
            .get_mut(nc)
            .ok_or_else(|| format!("no such NetCon (id {nc})"))?;
        n.record = Some(into);
        n.record_ids = None;
        self.seq += 1;
        n.record_seq = self.seq;
        self.touch("NetCon.record");
        Ok(())
    }

    fn netcon_source(&self, nc: NcId) -> Option<NetConSource> {
        self.ncs.get(nc).map(|n| n.source.clone())
    }

    fn netcon_target(&self, nc: NcId) -> Option<PpId> {
        self.ncs.get(nc)?.target
    }

    fn free_point_process(&mut self, pp: PpId) {
        self.free_pp(pp);
    }

    fn free_netcon(&mut self, nc: NcId) {
        self.free_nc(nc);
    }

    fn netcon_valid(&self, nc: NcId) -> Option<bool> {
        let n = self.ncs.get(nc)?;
        let source = n.idle_source || n.source != NetConSource::None;
        Some(source && n.target.is_some())
    }

    fn netcon_set_source(&mut self, nc: NcId, source: NetConSource) -> SimResult<()> {
        match &source {
            NetConSource::PointProcess(pp) => msg(self.pp(*pp).map(|_| ()))?,
            NetConSource::Var(var) => self.check_source(var)?,
            NetConSource::None => {}
        }
        let n = self
            .ncs
            .get_mut(nc)
            .ok_or_else(|| format!("no such NetCon (id {nc})"))?;
        n.source = source;
        n.idle_source = true;
        // the threshold belongs to the old source (NEURON's PreSyn)
        n.threshold = None;
        self.touch("ParallelContext.gid_connect");
        Ok(())
    }

    fn netcon_gid_input(&mut self, nc: NcId, gid: i64) -> SimResult<()> {
        self.add_gid_input(nc, gid)
    }

    fn netcon_event(&mut self, nc: NcId, time: f64, flag: Option<f64>) -> SimResult<()> {
        msg(self.netcon(nc))?;
        if !time.is_finite() {
            return Err(format!("NetCon.event({time}): the time must be a number"));
        }
        // NEURON queues it; finitialize empties the queue, so an event sent
        // before the simulation is (re)built is lost there too
        let live = self.built.as_mut().filter(|_| self.stale.is_none());
        let Some(b) = live else { return Ok(()) };
        let Some(&id) = b.ncs.get(nc) else {
            return Ok(());
        };
        let r = match flag {
            None => b.sim.netcon_event(id, time),
            Some(flag) => b.sim.netcon_self_event(id, time, flag),
        };
        r.map_err(|e| format!("NetCon.event: {e}"))
    }

    fn netcon_setpost(&mut self, nc: NcId, target: Option<PpId>) -> SimResult<()> {
        if let Some(t) = target {
            msg(self.pp(t))?;
        }
        let count = match target {
            Some(t) => {
                let kind = msg(self.pp(t))?.kind.clone();
                let compiled = msg(self.library.get(&kind).map_err(EngineError::from))?;
                compiled
                    .net_receive
                    .as_ref()
                    .map_or(1, |nr| nr.params.len().max(1))
            }
            None => 1,
        };
        let n = self
            .ncs
            .get_mut(nc)
            .ok_or_else(|| format!("no such NetCon (id {nc})"))?;
        n.target = target;
        if target.is_none() {
            n.inactive = true;
        }
        if n.weights.len() != count {
            n.weights = vec![0.0; count];
        }
        let live = self.built.as_mut().filter(|_| self.stale.is_none());
        let Some(b) = live else {
            return Ok(());
        };
        let (Some(&id), Some(t)) = (b.ncs.get(nc), target.map(|t| b.pps.get(t))) else {
            let id = b.ncs.get(nc).copied();
            return match id {
                Some(id) => b.sim.set_netcon_target(id, None).map_err(|e| e.to_string()),
                None => Ok(()),
            };
        };
        let t = t
            .copied()
            .flatten()
            .map(|mechanism| neurite_hines::NetConTarget {
                mechanism,
                instance: 0,
            });
        b.sim.set_netcon_target(id, t).map_err(|e| e.to_string())
    }

    fn netcon_active(&mut self, nc: NcId, on: Option<bool>) -> SimResult<bool> {
        let n = self
            .ncs
            .get_mut(nc)
            .ok_or_else(|| format!("no such NetCon (id {nc})"))?;
        let was = !n.inactive && n.target.is_some();
        if let Some(on) = on {
            n.inactive = !on;
            let live = self.built.as_mut().filter(|_| self.stale.is_none());
            if let Some(b) = live {
                if let Some(&id) = b.ncs.get(nc) {
                    b.sim.set_netcon_active(id, on).map_err(|e| e.to_string())?;
                }
            }
        }
        Ok(was)
    }

    fn netcon_record_ids(
        &mut self,
        nc: NcId,
        times: Rc<RefCell<Vec<f64>>>,
        ids: Rc<RefCell<Vec<f64>>>,
        id: f64,
    ) -> SimResult<()> {
        let n = self
            .ncs
            .get_mut(nc)
            .ok_or_else(|| format!("no such NetCon (id {nc})"))?;
        n.record_ids = Some(SpikeIds { times, ids, id });
        n.record = None;
        self.seq += 1;
        n.record_seq = self.seq;
        self.touch("NetCon.record");
        Ok(())
    }

    fn source_var(&mut self, source: RecordSource, sgid: u64) -> SimResult<()> {
        self.check_source(&source)?;
        if self.transfers.sources.iter().any(|(s, _)| *s == sgid) {
            return Err(format!("source var sgid {sgid} already in use."));
        }
        self.transfers.sources.push((sgid, source));
        self.transfers.ready = false;
        self.touch("ParallelContext.source_var");
        Ok(())
    }

    fn target_var(&mut self, target: RecordSource, sgid: u64) -> SimResult<()> {
        self.check_source(&target)?;
        if let RecordSource::Range { name, .. } | RecordSource::PointProcess { name, .. } = &target
        {
            if name == "v" {
                return Err("target_var: v cannot be a target (use a mechanism variable such as a Gap's vgap)".into());
            }
        }
        self.transfers.targets.push((sgid, target));
        self.transfers.ready = false;
        self.touch("ParallelContext.target_var");
        Ok(())
    }

    fn setup_transfer(&mut self) -> SimResult<()> {
        for (sgid, _) in &self.transfers.targets {
            if !self.transfers.sources.iter().any(|(s, _)| s == sgid) {
                return Err(format!("No source_var for target_var sid = {sgid}"));
            }
        }
        self.transfers.ready = true;
        self.touch("ParallelContext.setup_transfer");
        Ok(())
    }

    fn clear_transfer(&mut self) {
        if !(self.transfers.sources.is_empty() && self.transfers.targets.is_empty()) {
            self.transfers = Default::default();
            self.touch("ParallelContext.gid_clear");
        }
    }

    fn setpointer(&mut self, target: RecordSource, source: RecordSource) -> SimResult<()> {
        self.check_source(&target)?;
        self.check_source(&source)?;
        let kind = match &target {
            RecordSource::PointProcess { pp, name } => {
                let kind = msg(self.pp(*pp))?.kind.clone();
                Some((kind, name.clone()))
            }
            RecordSource::Range { name, .. } => match self.catalog.range.get(name) {
                Some(crate::catalog::RangeVar::Mech { mech, .. }) => {
                    let bare = name.strip_suffix(&format!("_{mech}")).unwrap_or(name);
                    Some((mech.clone(), bare.to_string()))
                }
                _ => None,
            },
            RecordSource::Global(_) => None,
        };
        let is_pointer = kind.as_ref().is_some_and(|(mech, var)| {
            self.library.get(mech).is_ok_and(|c| {
                c.layout.vars.iter().any(|v| {
                    v.name == *var && v.kind == neurite_nmodl::exec::layout::VarKind::Pointer
                })
            })
        });
        if !is_pointer {
            return Err(format!(
                "setpointer: {} is not a POINTER variable",
                match &target {
                    RecordSource::PointProcess { name, .. }
                    | RecordSource::Range { name, .. }
                    | RecordSource::Global(name) => name,
                }
            ));
        }
        self.pointers.retain(|(t, _)| *t != target);
        self.pointers.push((target, source));
        self.touch("setpointer");
        Ok(())
    }

    fn has_transfer(&self) -> bool {
        !(self.transfers.sources.is_empty() && self.transfers.targets.is_empty())
    }

    fn play(
        &mut self,
        target: RecordSource,
        values: Rc<RefCell<Vec<f64>>>,
        times: PlayTimes,
        continuous: bool,
    ) -> SimResult<()> {
        self.check_source(&target)?;
        // a vector plays into one variable: playing again replaces it
        self.plays.retain(|p| !Rc::ptr_eq(&p.values, &values));
        self.plays.push(Play {
            target,
            values,
            times,
            continuous,
        });
        Ok(())
    }

    fn record_at(
        &mut self,
        source: RecordSource,
        into: Rc<RefCell<Vec<f64>>>,
        times: PlayTimes,
    ) -> SimResult<()> {
        self.check_source(&source)?;
        self.recs.retain(|r| !Rc::ptr_eq(&r.into, &into));
        self.timed.retain(|r| !Rc::ptr_eq(&r.into, &into));
        self.timed.push(TimedRecord {
            source,
            into,
            times,
            next: None,
        });
        Ok(())
    }

    fn record(&mut self, source: RecordSource, into: Rc<RefCell<Vec<f64>>>) -> SimResult<()> {
        self.check_source(&source)?;
        // a vector records one thing: recording again replaces the source
        self.recs.retain(|r| !Rc::ptr_eq(&r.into, &into));
        self.timed.retain(|r| !Rc::ptr_eq(&r.into, &into));
        self.recs.push(Rec { source, into });
        Ok(())
    }
}
