//! Reading and writing what HOC names: range variables at a location
//! (`v`, `diam`, `cm`, `gnabar_hh`, `ena`), point process variables, globals.
//! Values come from the live simulation when there is one, otherwise from the
//! store; writes go to both (see the rebuild rule in the crate docs).

use crate::build::ion_default;
use crate::catalog::{suggest, RangeVar};
use crate::store::{center, Sec};
use crate::{Engine, EngineError};
use neurite_hines::IonColumn;
use neurite_hoc::sim::{PpId, RecordSource, SecId};

impl Engine {
    /// Whether `name` is a range variable HOC can use.
    pub(crate) fn knows_range(&self, name: &str) -> bool {
        matches!(name, "v" | "diam" | "cm") || self.catalog.range.contains_key(name)
    }

    fn unknown_range(&self, name: &str) -> EngineError {
        let names = self.catalog.range.keys().map(String::as_str);
        let builtin = ["v", "diam", "cm"].into_iter();
        EngineError::UnknownRangeVar {
            name: name.to_string(),
            suggestions: suggest(name, names.chain(builtin)),
        }
    }

    /// Whether a mechanism using `ion` is inserted in `sec`.
    fn uses_ion(&self, sec: &Sec, ion: &str) -> bool {
        sec.mechs.iter().any(|m| {
            self.library
                .get(&m.name)
                .is_ok_and(|c| c.mechanism.ions.iter().any(|u| u.ion == ion))
        })
    }

    fn check_inserted(&self, sec: &Sec, name: &str, var: &RangeVar) -> Result<(), EngineError> {
        let (ok, mechanism) = match var {
            RangeVar::Mech { mech, .. } => (sec.mech(mech).is_some(), mech.clone()),
            RangeVar::Ion { ion, .. } => (self.uses_ion(sec, ion), format!("{ion}_ion")),
        };
        if ok {
            Ok(())
        } else {
            Err(EngineError::NotInserted {
                name: name.to_string(),
                mechanism,
                section: sec.name.clone(),
            })
        }
    }

    pub(crate) fn range_get(&self, id: SecId, name: &str, x: f64) -> Result<f64, EngineError> {
        // a density mechanism's bound POINTER reads its target (one level:
        // a POINTER bound to another POINTER reads that one's column)
        if self.built.is_some() && self.stale.is_none() {
            let seg = self.sec(id)?.seg(x);
            let bound = self.pointers.iter().find(|(t, _)| {
                matches!(t, RecordSource::Range { sec: s, name: n, x: tx }
                    if *s == id && n == name && self.sec(*s).is_ok_and(|sec| sec.seg(*tx) == seg))
            });
            match bound.map(|(_, source)| source) {
                Some(RecordSource::PointProcess { pp, name }) => {
                    return self.pp_value_raw(*pp, name)
                }
                Some(RecordSource::Range { sec, name, x }) => {
                    return self.range_get_raw(*sec, name, *x)
                }
                _ => {}
            }
        }
        self.range_get_raw(id, name, x)
    }

    fn range_get_raw(&self, id: SecId, name: &str, x: f64) -> Result<f64, EngineError> {
        let sec = self.sec(id)?;
        let seg = sec.seg(x);
        match name {
            "v" => return self.v_get(id, x),
            "diam" if sec.pts.len() >= 2 => {
                let g = self.geometry()?;
                let node = g.node(id, center(sec.nseg, seg))?;
                return Ok(g.disc.diam()[node]);
            }
            "diam" => return Ok(sec.diam[seg]),
            "cm" => return Ok(sec.cm[seg]),
            _ => {}
        }
        let var = self
            .catalog
            .range
            .get(name)
            .ok_or_else(|| self.unknown_range(name))?;
        self.check_inserted(sec, name, var)?;
        match var {
            RangeVar::Mech { mech, column } => self.mech_get(id, sec, mech, *column, seg),
            RangeVar::Ion { ion, column } => self.ion_get(id, sec, ion, *column, name, seg),
        }
    }

    /// The live v, or the stored one before the first build, after an
    /// assignment, or for a section created since the build.
    fn v_get(&self, id: SecId, x: f64) -> Result<f64, EngineError> {
        let sec = self.sec(id)?;
        let live = self
            .built
            .as_ref()
            .filter(|_| !self.v_pending)
            .and_then(|b| Some(b.sim.v()[b.geometry.node(id, x).ok()?]));
        Ok(live.unwrap_or(sec.v[sec.seg(x)]))
    }

    fn mech_get(
        &self,
        id: SecId,
        sec: &Sec,
        mech: &str,
        column: usize,
        seg: usize,
    ) -> Result<f64, EngineError> {
        if let Some(b) = &self.built {
            let inst = b.instances.get(&(id, mech.to_string()));
            if let (Some(set), Some(inst)) = (b.density.get(mech), inst.and_then(|i| i.get(seg))) {
                return Ok(b.sim.variable(*set, *inst, column)?);
            }
        }
        let stored = sec.mech(mech).and_then(|m| m.values.get(column)?.get(seg));
        Ok(stored.copied().unwrap_or(0.0))
    }

    fn ion_get(
        &self,
        id: SecId,
        sec: &Sec,
        ion: &str,
        column: IonColumn,
        name: &str,
        seg: usize,
    ) -> Result<f64, EngineError> {
        if let Some(b) = &self.built {
            let node = b.geometry.node(id, center(sec.nseg, seg));
            if let (Some(&ion_id), Ok(node)) = (b.ions.get(ion), node) {
                let species = b.sim.ions().species(ion_id)?;
                if let Some(k) = species.nodes().iter().position(|&n| n == node) {
                    return Ok(species.get(k, column).unwrap_or(0.0));
                }
            }
        }
        let set = sec.ions.iter().find(|i| i.ion == ion && i.column == column);
        let value = set.and_then(|i| i.values.get(seg).copied().flatten());
        Ok(value.unwrap_or_else(|| ion_default(ion, name)))
    }

    pub(crate) fn range_set(
        &mut self,
        id: SecId,
        name: &str,
        x: Option<f64>,
        value: f64,
    ) -> Result<(), EngineError> {
        if !value.is_finite() {
            return Err(EngineError::InvalidValue {
                what: name.to_string(),
                value,
            });
        }
        if x.is_some_and(|x| !(0.0..=1.0).contains(&x)) {
            return Err(EngineError::OutOfDomain {
                what: format!("{name}({})", x.unwrap_or_default()),
            });
        }
        let sec = self.sec(id)?;
        let segs: Vec<usize> = match x {
            Some(x) => vec![sec.seg(x)],
            None => (0..sec.nseg).collect(),
        };
        match name {
            "v" => {
                let sec = self.sec_mut(id)?;
                segs.iter().for_each(|&j| sec.v[j] = value);
                self.v_pending = self.built.is_some();
                return Ok(());
            }
            "diam" | "cm" => return self.geometry_set(id, name, &segs, value),
            _ => {}
        }
        let var = self
            .catalog
            .range
            .get(name)
            .ok_or_else(|| self.unknown_range(name))?
            .clone();
        self.check_inserted(sec, name, &var)?;
        match var {
            RangeVar::Mech { mech, column } => self.mech_set(id, &mech, column, &segs, value),
            RangeVar::Ion { ion, column } => self.ion_set(id, &ion, column, &segs, value),
        }
    }

    fn geometry_set(
        &mut self,
        id: SecId,
        name: &str,
        segs: &[usize],
        value: f64,
    ) -> Result<(), EngineError> {
        if value < 0.0 || (name == "diam" && value == 0.0) {
            return Err(EngineError::InvalidValue {
                what: name.to_string(),
                value,
            });
        }
        let sec = self.sec_mut(id)?;
        let vals = if name == "diam" {
            &mut sec.diam
        } else {
            &mut sec.cm
        };
        segs.iter().for_each(|&j| vals[j] = value);
        self.touch(name);
        Ok(())
    }

    fn mech_set(
        &mut self,
        id: SecId,
        mech: &str,
        column: usize,
        segs: &[usize],
        value: f64,
    ) -> Result<(), EngineError> {
        if let Some(m) = self.sec_mut(id)?.mech_mut(mech) {
            if let Some(col) = m.values.get_mut(column) {
                segs.iter().for_each(|&j| col[j] = value);
            }
        }
        if let Some(b) = &mut self.built {
            let set = b.density.get(mech).copied();
            let inst = b.instances.get(&(id, mech.to_string())).cloned();
            if let (Some(set), Some(inst)) = (set, inst) {
                for &j in segs {
                    if let Some(&i) = inst.get(j) {
                        b.sim.set_variable(set, i, column, value)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn ion_set(
        &mut self,
        id: SecId,
        ion: &str,
        column: IonColumn,
        segs: &[usize],
        value: f64,
    ) -> Result<(), EngineError> {
        let sec = self.sec_mut(id)?;
        let nseg = sec.nseg;
        let iv = sec.ion_mut(ion, column);
        segs.iter().for_each(|&j| iv.values[j] = Some(value));
        let Some(b) = &mut self.built else {
            return Ok(());
        };
        let Some(&ion_id) = b.ions.get(ion) else {
            return Ok(());
        };
        for &j in segs {
            let Ok(node) = b.geometry.node(id, center(nseg, j)) else {
                continue;
            };
            let species = b.sim.ions_mut().species_mut(ion_id)?;
            if let Some(k) = species.nodes().iter().position(|&n| n == node) {
                species.column_mut(column)[k] = value;
            }
        }
        Ok(())
    }

    /// The column of `name` in point process kind `kind`.
    pub(crate) fn pp_column(&self, kind: &str, name: &str) -> Result<usize, EngineError> {
        let compiled = self.library.get(kind)?;
        let layout = &compiled.layout;
        match layout.column(name) {
            Some(c) if !name.is_empty() => Ok(c as usize),
            _ => Err(EngineError::UnknownPointVar {
                kind: kind.to_string(),
                name: name.to_string(),
                suggestions: suggest(name, layout.vars.iter().map(|v| v.name.as_str())),
            }),
        }
    }

    /// The source a POINTER of point process `pp` is bound to by
    /// `setpointer`, while a simulation is built from the bindings.
    fn pp_pointer_source(&self, pp: PpId, name: &str) -> Option<&RecordSource> {
        if self.built.is_none() || self.stale.is_some() {
            return None;
        }
        let bound = |t: &RecordSource| matches!(t, RecordSource::PointProcess { pp: p, name: n } if *p == pp && n == name);
        self.pointers.iter().find(|(t, _)| bound(t)).map(|(_, s)| s)
    }

    pub(crate) fn pp_value(&self, pp: PpId, name: &str) -> Result<f64, EngineError> {
        // NEURON's POINTER aliases its target: HOC reads the target itself
        // (one level: a POINTER bound to another POINTER reads its column)
        match self.pp_pointer_source(pp, name) {
            Some(RecordSource::PointProcess { pp, name }) => self.pp_value_raw(*pp, name),
            Some(source) => Ok(self.sample_value(source)),
            None => self.pp_value_raw(pp, name),
        }
    }

    fn pp_value_raw(&self, pp: PpId, name: &str) -> Result<f64, EngineError> {
        let p = self.pp(pp)?;
        let column = self.pp_column(&p.kind, name)?;
        if let Some(b) = &self.built {
            if let Some(Some(set)) = b.pps.get(pp) {
                return Ok(b.sim.variable(*set, 0, column)?);
            }
        }
        Ok(p.values.get(column).copied().unwrap_or(0.0))
    }

    pub(crate) fn pp_assign(
        &mut self,
        pp: PpId,
        name: &str,
        value: f64,
    ) -> Result<(), EngineError> {
        if let Some(RecordSource::Range { sec, name, x }) = self.pp_pointer_source(pp, name) {
            // assigning a bound POINTER assigns its target, as in NEURON
            let (sec, name, x) = (*sec, name.clone(), *x);
            return self.range_set(sec, &name, Some(x), value);
        }
        let kind = self.pp(pp)?.kind.clone();
        let column = self.pp_column(&kind, name)?;
        if let Some(Some(p)) = self.pps.get_mut(pp) {
            if let Some(slot) = p.values.get_mut(column) {
                *slot = value;
            }
        }
        if let Some(b) = &mut self.built {
            if let Some(Some(set)) = b.pps.get(pp) {
                b.sim.set_variable(*set, 0, column, value)?;
            }
        }
        Ok(())
    }

    /// The present value of what a `Vector.record` samples.
    pub(crate) fn sample_value(&self, source: &RecordSource) -> f64 {
        let r = match source {
            RecordSource::Range { sec, name, x } => self.range_get(*sec, name, *x),
            RecordSource::PointProcess { pp, name } => self.pp_value(*pp, name),
            RecordSource::Global(g) => Ok(self.global_value(g).unwrap_or(f64::NAN)),
        };
        r.unwrap_or(f64::NAN)
    }

    /// A simulator global or mechanism global.
    pub(crate) fn global_value(&self, name: &str) -> Option<f64> {
        let s = &self.settings;
        match name {
            "t" => return Some(self.built.as_ref().map_or(s.t, |b| b.sim.t())),
            "dt" => return Some(s.dt),
            "celsius" => return Some(s.celsius),
            "secondorder" => return Some(s.secondorder),
            _ => {}
        }
        let (mech, column) = self.catalog.globals.get(name)?;
        if let Some(b) = &self.built {
            if let Some(id) = b.sets_of(self, mech).first() {
                return b.sim.variable(*id, 0, *column).ok();
            }
        }
        if let Some(v) = self.mech_globals.get(name) {
            return Some(*v);
        }
        let compiled = self.library.get(mech).ok()?;
        compiled.layout.vars.get(*column).map(|v| v.default)
    }
}
