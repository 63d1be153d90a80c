//! Building the solver's `Simulation` from the store: the rebuild that NEURON
//! does lazily when its "tree changed" / "diam changed" flags are set. One
//! instance set per density mechanism over every segment that has it (sections
//! in creation order, segments in increasing x), one per point process, then
//! the values HOC set (parameters, mechanism globals, ion values), then the
//! NetCons. Nothing here is kept between builds except what the store holds.

use crate::catalog::ion_names;
use crate::catalog::RangeVar;
use crate::geometry::Geometry;
use crate::store::center;
use crate::{Engine, EngineError};
use neurite_hines::{
    IonId, MechanismId, NetConId, NetConSpec, NetConTarget, SecondOrder, SimConfig, Simulation,
    TransferSource, TransferTarget,
};
use neurite_hoc::sim::{NetConSource, RecordSource, SecId};
use neurite_nmodl::exec::layout::VarKind;
use neurite_nmodl::exec::Instantiator;
use std::collections::HashMap;
use std::rc::Rc;

/// A simulation built from the store, with the way back from HOC's handles
/// to the solver's instances.
#[derive(Debug)]
pub struct Built {
    pub(crate) sim: Simulation,
    pub(crate) geometry: Rc<Geometry>,
    /// The instance set of each density mechanism.
    pub(crate) density: HashMap<String, MechanismId>,
    /// The instance of each segment of `(section, mechanism)`.
    pub(crate) instances: HashMap<(SecId, String), Vec<usize>>,
    /// The instance set of each point process (one instance each).
    pub(crate) pps: Vec<Option<MechanismId>>,
    pub(crate) ions: HashMap<String, IonId>,
    pub(crate) ncs: Vec<NetConId>,
    /// Spike times of each NetCon already copied to its record vector.
    pub(crate) spikes_seen: Vec<usize>,
    /// Whether each NetCon's recording is its source's (the last one made
    /// among the NetCons sharing the source).
    pub(crate) recorders: Vec<bool>,
    /// Entries of the shared spike log already copied (`NetCon.record(tvec, idvec, id)`).
    pub(crate) log_seen: usize,
    /// The dt of the last `finitialize` or step (NEURON's thread `dt`, which
    /// mechanism FUNCTIONs called from HOC read); `None` before the first.
    pub(crate) step_dt: Option<f64>,
}

/// NEURON's `secondorder` value as the solver's method.
pub(crate) fn method(secondorder: f64) -> Result<SecondOrder, EngineError> {
    SecondOrder::from_value(secondorder as i32).ok_or(EngineError::InvalidValue {
        what: "secondorder".into(),
        value: secondorder,
    })
}

impl Engine {
    /// A fresh simulation of the stored model.
    pub(crate) fn build(&self) -> Result<Built, EngineError> {
        let geometry = self.geometry()?;
        let config = SimConfig {
            dt: self.settings.dt,
            secondorder: method(self.settings.secondorder)?,
            celsius: self.settings.celsius,
        };
        let sim = Simulation::new(&geometry.model, config)?;
        let mut built = Built {
            sim,
            geometry,
            density: HashMap::new(),
            instances: HashMap::new(),
            pps: vec![None; self.pps.len()],
            ions: HashMap::new(),
            ncs: Vec::new(),
            spikes_seen: Vec::new(),
            recorders: Vec::new(),
            log_seen: 0,
            step_dt: None,
        };
        let mut ins = Instantiator::new(&self.library);
        self.place_density(&mut built, &mut ins)?;
        self.place_points(&mut built, &mut ins)?;
        self.replay_pp_calls(&mut built)?;
        for ion in self
            .library
            .names()
            .filter_map(|n| self.library.get(n).ok())
        {
            for use_ in &ion.mechanism.ions {
                if let Some(id) = ins.ion_id(&use_.ion) {
                    built.ions.insert(use_.ion.clone(), id);
                }
            }
        }
        drop(ins);
        self.bind_pointers(&mut built)?;
        self.apply_mech_globals(&mut built)?;
        self.apply_ions(&mut built)?;
        self.place_netcons(&mut built)?;
        self.place_transfers(&mut built)?;
        Ok(built)
    }

    fn place_density(&self, built: &mut Built, ins: &mut Instantiator) -> Result<(), EngineError> {
        for name in &self.catalog.density {
            let mut nodes = Vec::new();
            let mut owners = Vec::new();
            for (k, sec) in self.secs.iter().enumerate() {
                let Some(sec) = sec.as_ref().filter(|s| s.mech(name).is_some()) else {
                    continue;
                };
                let segs = built.geometry.disc.segment_nodes(built.geometry.id(k)?)?;
                owners.push((k, nodes.len(), sec.nseg));
                nodes.extend(segs);
            }
            if nodes.is_empty() {
                continue;
            }
            let id = ins.insert_density(&mut built.sim, name, &nodes)?;
            built.density.insert(name.clone(), id);
            for (k, first, nseg) in owners {
                let seg_instances: Vec<usize> = (first..first + nseg).collect();
                if let Some(m) = self.secs[k].as_ref().and_then(|s| s.mech(name)) {
                    write_columns(&mut built.sim, id, name, &m.values, &seg_instances, self)?;
                }
                built.instances.insert((k, name.clone()), seg_instances);
            }
        }
        Ok(())
    }

    /// The recorded PROCEDURE calls of point processes, then the stored
    /// values of those point processes again (HOC's later assignments win).
    fn replay_pp_calls(&self, built: &mut Built) -> Result<(), EngineError> {
        if self.pp_calls.is_empty() {
            return Ok(());
        }
        self.replay_calls(built)?;
        for k in self.pp_calls.iter().map(|c| c.pp) {
            let (Some(Some(pp)), Some(Some(id))) = (self.pps.get(k), built.pps.get(k)) else {
                continue;
            };
            let values: Vec<Vec<f64>> = pp.values.iter().map(|v| vec![*v]).collect();
            write_columns(&mut built.sim, *id, &pp.kind, &values, &[0], self)?;
        }
        Ok(())
    }

    fn place_points(&self, built: &mut Built, ins: &mut Instantiator) -> Result<(), EngineError> {
        for (k, pp) in self.pps.iter().enumerate() {
            let Some(pp) = pp else { continue };
            let node = match pp.loc {
                Some((sec, x)) => built.geometry.node(sec, x)?,
                None if self.is_artificial(&pp.kind) => 0,
                None => continue,
            };
            let id = ins.insert_point(&mut built.sim, &pp.kind, node)?;
            let values: Vec<Vec<f64>> = pp.values.iter().map(|v| vec![*v]).collect();
            write_columns(&mut built.sim, id, &pp.kind, &values, &[0], self)?;
            built.pps[k] = Some(id);
        }
        Ok(())
    }

    pub(crate) fn is_artificial(&self, kind: &str) -> bool {
        self.library
            .get(kind)
            .is_ok_and(|c| c.mechanism.kind == neurite_nmodl::sema::MechanismKind::ArtificialCell)
    }

    /// Mechanism globals set from HOC, into every instance set of their mechanism.
    fn apply_mech_globals(&self, built: &mut Built) -> Result<(), EngineError> {
        for (name, value) in &self.mech_globals {
            let Some((mech, column)) = self.catalog.globals.get(name) else {
                continue;
            };
            for id in built.sets_of(self, mech) {
                built.sim.set_variable(id, 0, *column, *value)?;
            }
        }
        Ok(())
    }

    /// Ion values set from HOC, into the ion instances of their segments.
    fn apply_ions(&self, built: &mut Built) -> Result<(), EngineError> {
        for (k, sec) in self.secs.iter().enumerate() {
            let Some(sec) = sec else { continue };
            for iv in &sec.ions {
                let Some(&ion) = built.ions.get(&iv.ion) else {
                    continue;
                };
                for (j, value) in iv.values.iter().enumerate() {
                    let Some(value) = value else { continue };
                    let node = built.geometry.node(k, center(sec.nseg, j))?;
                    let inst = built.sim.ion_instance_at(ion, node)?;
                    let species = built.sim.ions_mut().species_mut(ion)?;
                    if let Some(slot) = species.column_mut(iv.column).get_mut(inst) {
                        *slot = *value;
                    }
                }
            }
        }
        Ok(())
    }

    /// The solver's source of a NetCon of the store.
    fn netcon_source(
        &self,
        built: &mut Built,
        nc: &crate::store::Nc,
    ) -> Result<neurite_hines::NetConSource, EngineError> {
        Ok(match &nc.source {
            NetConSource::None => neurite_hines::NetConSource::None,
            NetConSource::Var(RecordSource::Range { sec, name, x }) if name == "v" => {
                neurite_hines::NetConSource::Voltage {
                    node: built.geometry.node(*sec, *x)?,
                    threshold: nc.threshold,
                }
            }
            NetConSource::PointProcess(pp) => match built.pps.get(*pp).copied().flatten() {
                Some(mechanism) => neurite_hines::NetConSource::Instance {
                    mechanism,
                    instance: 0,
                },
                None => neurite_hines::NetConSource::None,
            },
            NetConSource::Var(var) => neurite_hines::NetConSource::Variable {
                variable: self.watched(built, var)?,
                threshold: nc.threshold,
            },
        })
    }

    /// A NetCon of the store added to a live simulation (NEURON makes
    /// NetCons between steps without any rebuild); a recording NetCon needs
    /// a rebuild instead (its source's recording is decided there).
    pub(crate) fn add_live_netcon(&self, built: &mut Built, k: usize) -> Result<(), EngineError> {
        let nc = &self.ncs[k];
        let source = self.netcon_source(built, nc)?;
        let spec = self.netcon_spec(built, nc, source);
        let id = built.sim.add_netcon(spec)?;
        if nc.inactive {
            built.sim.set_netcon_active(id, false)?;
        }
        built.ncs.push(id);
        built.spikes_seen.push(0);
        built.recorders.push(false);
        for &(_, gid) in self.gid_inputs.iter().filter(|(n, _)| *n == k) {
            built.sim.set_netcon_gid_input(id, gid)?;
        }
        Ok(())
    }

    /// `ParallelContext.gid_connect` made NetCon `nc` one of the input port
    /// of `gid`: `nrn_fake_fire(gid, ...)` of a mechanism delivers through
    /// it (NEURON's `gid2in_`).
    pub(crate) fn add_gid_input(&mut self, nc: usize, gid: i64) -> Result<(), String> {
        if nc >= self.ncs.len() {
            return Err(format!("no such NetCon (id {nc})"));
        }
        if !self.gid_inputs.contains(&(nc, gid)) {
            self.gid_inputs.push((nc, gid));
            let live = self.built.as_mut().filter(|_| self.stale.is_none());
            if let Some(b) = live {
                if let Some(&id) = b.ncs.get(nc) {
                    b.sim
                        .set_netcon_gid_input(id, gid)
                        .map_err(|e| e.to_string())?;
                }
            }
        }
        Ok(())
    }

    fn netcon_spec(
        &self,
        built: &Built,
        nc: &crate::store::Nc,
        source: neurite_hines::NetConSource,
    ) -> NetConSpec {
        let target = nc
            .target
            .and_then(|t| built.pps.get(t).copied().flatten())
            .map(|mechanism| NetConTarget {
                mechanism,
                instance: 0,
            });
        let mut spec = NetConSpec::new(source, target).delay(nc.delay);
        spec.weights = nc.weights.clone();
        spec
    }

    fn place_netcons(&self, built: &mut Built) -> Result<(), EngineError> {
        // the latest recording among NetCons of one source: (source, seq, netcon)
        let mut latest: Vec<(neurite_hines::NetConSource, u64, usize)> = Vec::new();
        for (k, nc) in self.ncs.iter().enumerate() {
            let source = self.netcon_source(built, nc)?;
            let key = match source {
                neurite_hines::NetConSource::Voltage { node, .. } => {
                    Some(neurite_hines::NetConSource::Voltage {
                        node,
                        threshold: None,
                    })
                }
                neurite_hines::NetConSource::None => None,
                other => Some(other),
            };
            let records = nc.record.is_some() || nc.record_ids.is_some();
            if let (Some(key), true) = (key, records) {
                match latest.iter_mut().find(|(s, _, _)| *s == key) {
                    Some(slot) if slot.1 < nc.record_seq => *slot = (key, nc.record_seq, k),
                    Some(_) => {}
                    None => latest.push((key, nc.record_seq, k)),
                }
            }
            let spec = self.netcon_spec(built, nc, source);
            let id = built.sim.add_netcon(spec)?;
            if nc.inactive {
                built.sim.set_netcon_active(id, false)?;
            }
            if nc.freed {
                built.sim.remove_netcon(id)?;
            }
            built.ncs.push(id);
            built.spikes_seen.push(0);
        }
        built.recorders = vec![false; self.ncs.len()];
        for &(k, gid) in &self.gid_inputs {
            if let Some(&id) = built.ncs.get(k) {
                built.sim.set_netcon_gid_input(id, gid)?;
            }
        }
        for (_, _, k) in latest {
            built.recorders[k] = true;
            let (nc, id) = (&self.ncs[k], built.ncs[k]);
            if nc.record.is_some() {
                built.sim.record_spikes(id)?;
            }
            if let Some(r) = &nc.record_ids {
                built.sim.log_spikes(id, r.id)?;
            }
        }
        Ok(())
    }
}

impl Engine {
    /// The `ParallelContext` transfers, target by target in `target_var`
    /// order, each reading the source of its sgid.
    fn place_transfers(&self, built: &mut Built) -> Result<(), EngineError> {
        for (sgid, target) in &self.transfers.targets {
            let Some((_, source)) = self.transfers.sources.iter().find(|(s, _)| s == sgid) else {
                return Err(EngineError::Transfer {
                    message: format!("No source_var for target_var sid = {sgid}"),
                });
            };
            let source = self.transfer_location(built, source)?.source();
            let target = match self.transfer_location(built, target)? {
                Location::Column {
                    mechanism,
                    instance,
                    column,
                } => TransferTarget {
                    mechanism,
                    instance,
                    column,
                },
                Location::Node(_) | Location::Ion { .. } => {
                    return Err(EngineError::Transfer {
                        message: format!(
                            "target_var for sgid {sgid}: v or an ion variable cannot be a \
                             target (use a mechanism variable such as a Gap's vgap)"
                        ),
                    })
                }
            };
            built.sim.add_transfer(source, target)?;
        }
        Ok(())
    }

    /// `setpointer`: each POINTER aliases its source (v, a mechanism
    /// variable or an ion variable): read before the hooks that use it,
    /// written through when the mechanism assigns it (`Simulation::add_pointer`).
    fn bind_pointers(&self, built: &mut Built) -> Result<(), EngineError> {
        for (target, source) in &self.pointers {
            let target = match self.transfer_location(built, target)? {
                Location::Column {
                    mechanism,
                    instance,
                    column,
                } => TransferTarget {
                    mechanism,
                    instance,
                    column,
                },
                Location::Node(_) | Location::Ion { .. } => unreachable_pointer()?,
            };
            let source = self.transfer_location(built, source)?.source();
            built.sim.add_pointer(source, target)?;
        }
        Ok(())
    }

    /// The variable (not v) a NetCon watches: a mechanism column or an ion's.
    fn watched(
        &self,
        built: &mut Built,
        var: &RecordSource,
    ) -> Result<neurite_hines::WatchedVariable, EngineError> {
        if let RecordSource::Range { sec, name, x } = var {
            if let Some(RangeVar::Ion { ion, column }) = self.catalog.range.get(name) {
                let s = self.sec(*sec)?;
                let Some(&id) = built.ions.get(ion) else {
                    return Err(EngineError::NotInserted {
                        name: name.clone(),
                        mechanism: format!("{ion}_ion"),
                        section: s.name.clone(),
                    });
                };
                let node = built.geometry.node(*sec, center(s.nseg, s.seg(*x)))?;
                return Ok(neurite_hines::WatchedVariable::Ion {
                    ion: id,
                    instance: built.sim.ion_instance_at(id, node)?,
                    column: *column,
                });
            }
        }
        match self.transfer_location(built, var)? {
            Location::Column {
                mechanism,
                instance,
                column,
            } => Ok(neurite_hines::WatchedVariable::Mechanism {
                mechanism,
                instance,
                column,
            }),
            Location::Ion {
                ion,
                instance,
                column,
            } => Ok(neurite_hines::WatchedVariable::Ion {
                ion,
                instance,
                column,
            }),
            Location::Node(_) => Err(EngineError::Unsupported {
                what: format!("a NetCon watching {var:?}"),
            }),
        }
    }

    /// The node, mechanism column or ion column a transfer reads or writes.
    fn transfer_location(
        &self,
        built: &mut Built,
        var: &RecordSource,
    ) -> Result<Location, EngineError> {
        let unsupported = |what: String| EngineError::Transfer {
            message: format!(
                "{what} cannot be transferred (a node's v, a mechanism variable or an ion \
                 variable can)"
            ),
        };
        match var {
            RecordSource::Range { sec, name, x } if name == "v" => {
                Ok(Location::Node(built.geometry.node(*sec, *x)?))
            }
            RecordSource::Range { sec, name, x }
                if matches!(self.catalog.range.get(name), Some(RangeVar::Ion { .. })) =>
            {
                match self.watched(built, var)? {
                    neurite_hines::WatchedVariable::Ion {
                        ion,
                        instance,
                        column,
                    } => Ok(Location::Ion {
                        ion,
                        instance,
                        column,
                    }),
                    _ => Err(unsupported(format!("{name}({x}) of section {sec}"))),
                }
            }
            RecordSource::Range { sec, name, x } => {
                let Some(RangeVar::Mech { mech, column }) = self.catalog.range.get(name) else {
                    return Err(unsupported(format!("{name}({x})")));
                };
                let s = self.sec(*sec)?;
                let inst = built
                    .instances
                    .get(&(*sec, mech.clone()))
                    .and_then(|i| i.get(s.seg(*x)).copied());
                match (built.density.get(mech), inst) {
                    (Some(&mechanism), Some(instance)) => Ok(Location::Column {
                        mechanism,
                        instance,
                        column: *column,
                    }),
                    _ => Err(EngineError::NotInserted {
                        name: name.clone(),
                        mechanism: mech.clone(),
                        section: s.name.clone(),
                    }),
                }
            }
            RecordSource::PointProcess { pp, name } => {
                let kind = &self.pp(*pp)?.kind;
                let column = self.pp_column(kind, name)?;
                match built.pps.get(*pp).copied().flatten() {
                    Some(mechanism) => Ok(Location::Column {
                        mechanism,
                        instance: 0,
                        column,
                    }),
                    None => Err(EngineError::Transfer {
                        message: format!("{kind}.{name}: the point process has no location"),
                    }),
                }
            }
            RecordSource::Global(g) => Err(unsupported(g.clone())),
        }
    }
}

/// `setpointer v, ...`: v is not a POINTER.
fn unreachable_pointer<T>() -> Result<T, EngineError> {
    Err(EngineError::Transfer {
        message: "setpointer: the target must be a POINTER of a mechanism, not v".into(),
    })
}

/// Where a transferred value lives in the solver.
enum Location {
    Node(usize),
    Column {
        mechanism: MechanismId,
        instance: usize,
        column: usize,
    },
    Ion {
        ion: IonId,
        instance: usize,
        column: neurite_hines::IonColumn,
    },
}

impl Location {
    /// The transfer source reading this place.
    fn source(self) -> TransferSource {
        match self {
            Location::Node(node) => TransferSource::Voltage { node },
            Location::Column {
                mechanism,
                instance,
                column,
            } => TransferSource::Mechanism {
                mechanism,
                instance,
                column,
            },
            Location::Ion {
                ion,
                instance,
                column,
            } => TransferSource::Ion {
                ion,
                instance,
                column,
            },
        }
    }
}

impl Built {
    /// Every instance set of mechanism `mech` (the density set, or one per
    /// point process of that kind).
    pub(crate) fn sets_of(&self, engine: &Engine, mech: &str) -> Vec<MechanismId> {
        if let Some(id) = self.density.get(mech) {
            return vec![*id];
        }
        engine
            .pps
            .iter()
            .zip(&self.pps)
            .filter(|(pp, id)| id.is_some() && pp.as_ref().is_some_and(|p| p.kind == mech))
            .filter_map(|(_, id)| *id)
            .collect()
    }
}

/// Writes the stored values of a mechanism's own columns (not NEURON's
/// variables, not ion variables, not globals: those come from elsewhere).
fn write_columns(
    sim: &mut Simulation,
    id: MechanismId,
    mech: &str,
    values: &[Vec<f64>],
    instances: &[usize],
    engine: &Engine,
) -> Result<(), EngineError> {
    let compiled = engine.library.get(mech)?;
    for (column, var) in compiled.layout.vars.iter().enumerate() {
        if matches!(var.kind, VarKind::Builtin(_)) || var.ion.is_some() || var.global {
            continue;
        }
        let Some(per_seg) = values.get(column) else {
            continue;
        };
        for (seg, inst) in instances.iter().enumerate() {
            if let Some(v) = per_seg.get(seg) {
                sim.set_variable(id, *inst, column, *v)?;
            }
        }
    }
    Ok(())
}

/// The default of an ion column as NEURON has it (na, k, ca; others 0 and 1 mM).
pub(crate) fn ion_default(ion: &str, name: &str) -> f64 {
    let (erev, ci, co) = match ion {
        "na" => (50.0, 10.0, 140.0),
        "k" => (-77.0, 54.4, 2.5),
        "ca" => (12.5 * (2.0f64 / 5e-5).ln(), 5e-5, 2.0),
        _ => (0.0, 1.0, 1.0),
    };
    let [e, i, o, _] = ion_names(ion);
    if name == e.0 {
        erev
    } else if name == i.0 {
        ci
    } else if name == o.0 {
        co
    } else {
        0.0
    }
}
