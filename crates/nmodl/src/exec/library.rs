//! Loading mechanisms at run time and putting them into simulations.
//!
//! [`MechanismLibrary`] holds compiled mechanisms by name: Neurite's own
//! `mod_files/` (embedded, always available, as NEURON's built-ins are) and any
//! folder loaded with [`MechanismLibrary::load_dir`]. A loaded file whose
//! mechanism has the name of a built-in replaces the built-in (nrnivmodl would
//! refuse a second `hh`; Neurite lets a model folder bring its own version).
//! [`Instantiator`] inserts mechanisms into a `neurite-hines` [`Simulation`],
//! creating the ion species they use and setting each species' style from how
//! all inserted mechanisms use it (NEURON's `nrn_promote`).

use super::blocks::{compile, Compiled};
use super::instance::NmodlMechanism;
use super::ExecError;
use crate::check::{check_source, collect_mod_files};
use crate::sema::IonVarKind;
use crate::span::SourceFile;
use neurite_hines::{IonId, IonSpec, IonStyle, MechanismId, Simulation};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Neurite's own mechanisms, embedded at build time.
const BUILTIN: [(&str, &str); 8] = [
    ("hh.mod", include_str!("../../../../mod_files/hh.mod")),
    ("pas.mod", include_str!("../../../../mod_files/pas.mod")),
    (
        "IClamp.mod",
        include_str!("../../../../mod_files/IClamp.mod"),
    ),
    (
        "SEClamp.mod",
        include_str!("../../../../mod_files/SEClamp.mod"),
    ),
    (
        "VClamp.mod",
        include_str!("../../../../mod_files/VClamp.mod"),
    ),
    (
        "ExpSyn.mod",
        include_str!("../../../../mod_files/ExpSyn.mod"),
    ),
    (
        "Exp2Syn.mod",
        include_str!("../../../../mod_files/Exp2Syn.mod"),
    ),
    (
        "AlphaSynapse.mod",
        include_str!("../../../../mod_files/AlphaSynapse.mod"),
    ),
];

/// Compiled mechanisms by name.
#[derive(Debug, Clone, Default)]
pub struct MechanismLibrary {
    mechanisms: BTreeMap<String, Arc<Compiled>>,
}

impl MechanismLibrary {
    /// Neurite's built-in mechanisms.
    pub fn builtin() -> Result<Self, ExecError> {
        let mut lib = MechanismLibrary::default();
        let sources = BUILTIN
            .iter()
            .map(|(name, text)| SourceFile::new(format!("mod_files/{name}"), *text))
            .collect();
        lib.add_sources(sources)?;
        Ok(lib)
    }

    /// The built-ins plus every `.mod` file of `dir`; all must load, otherwise
    /// the error lists every problem of every file (file:line:col).
    pub fn load_dir(dir: &Path) -> Result<Self, ExecError> {
        let mut lib = Self::builtin()?;
        let (files, missing) = collect_mod_files(&[dir.to_path_buf()]);
        if let Some((path, e)) = missing.into_iter().next() {
            return Err(ExecError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            });
        }
        let mut sources = Vec::new();
        for path in files {
            let source = SourceFile::read(&path).map_err(|e| ExecError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            sources.push(source);
        }
        lib.add_sources(sources)?;
        Ok(lib)
    }

    /// Compiles and adds mod files given as text; all or none are added.
    pub fn add_sources(&mut self, sources: Vec<SourceFile>) -> Result<(), ExecError> {
        let mut report = String::new();
        let mut compiled = Vec::new();
        for source in sources {
            let checked = check_source(source);
            if !checked.is_accepted() {
                report.push_str(&checked.render_diagnostics());
                continue;
            }
            match compile(&checked.program, &checked.mechanism) {
                Ok(c) => compiled.push(c),
                Err(diags) => {
                    for d in diags {
                        let (file, d) = checked.locate(&d);
                        report.push_str(&d.render(file));
                    }
                }
            }
        }
        if !report.is_empty() {
            return Err(ExecError::Load { report });
        }
        for c in compiled {
            self.mechanisms
                .insert(c.mechanism.name.clone(), Arc::new(c));
        }
        Ok(())
    }

    /// The mechanism called `name`.
    pub fn get(&self, name: &str) -> Result<&Arc<Compiled>, ExecError> {
        self.mechanisms
            .get(name)
            .ok_or_else(|| ExecError::UnknownMechanism {
                name: name.to_string(),
                suggestions: suggest(name, self.mechanisms.keys()),
            })
    }

    /// Every mechanism name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.mechanisms.keys().map(String::as_str)
    }
}

/// Names close to `name` (same letters ignoring case, or a shared prefix).
fn suggest<'a>(name: &str, names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let lower = name.to_lowercase();
    names
        .filter(|n| {
            let l = n.to_lowercase();
            l == lower || (lower.len() >= 2 && (l.starts_with(&lower) || lower.starts_with(&l)))
        })
        .cloned()
        .collect()
}

/// NEURON's `nrn_promote` levels of one USEION: (concentration, reversal
/// potential), each 0 unused, 1 read, 3 written.
fn use_levels(use_: &crate::sema::IonUse) -> (u8, u8) {
    let any = |vars: &[crate::sema::IonVar], conc: bool| {
        vars.iter()
            .any(|v| v.kind.is_concentration() == conc && v.kind != IonVarKind::Current)
    };
    let level = |conc: bool| {
        if any(&use_.writes, conc) {
            3
        } else {
            u8::from(any(&use_.reads, conc))
        }
    };
    (level(true), level(false))
}

/// NEURON's defaults for the ions it knows: (charge, erev, inside, outside).
fn ion_defaults(ion: &str) -> Option<(f64, f64, f64, f64)> {
    match ion {
        "na" => Some((1.0, 50.0, 10.0, 140.0)),
        "k" => Some((1.0, -77.0, 54.4, 2.5)),
        "ca" => Some((2.0, 12.5 * (2.0f64 / 5e-5).ln(), 5e-5, 2.0)),
        _ => None,
    }
}

#[derive(Debug, Clone)]
struct IonState {
    id: IonId,
    charge: f64,
    conc: u8,
    rev: u8,
}

/// One inserted instance set.
#[derive(Debug, Clone)]
pub struct Inserted {
    pub id: MechanismId,
    pub compiled: Arc<Compiled>,
}

/// Inserts mechanisms of a library into one simulation and keeps the ions
/// they share.
#[derive(Debug)]
pub struct Instantiator<'l> {
    library: &'l MechanismLibrary,
    ions: BTreeMap<String, IonState>,
    /// Per ion, the highest (concentration, reversal potential) use levels at
    /// each of its instances.
    node_levels: BTreeMap<String, Vec<(u8, u8)>>,
    inserted: Vec<Inserted>,
}

impl<'l> Instantiator<'l> {
    pub fn new(library: &'l MechanismLibrary) -> Self {
        Instantiator {
            library,
            ions: BTreeMap::new(),
            node_levels: BTreeMap::new(),
            inserted: Vec::new(),
        }
    }

    /// A density mechanism (`SUFFIX`) at each of `nodes`.
    pub fn insert_density(
        &mut self,
        sim: &mut Simulation,
        name: &str,
        nodes: &[usize],
    ) -> Result<MechanismId, ExecError> {
        let compiled = Arc::clone(self.library.get(name)?);
        if compiled.mechanism.kind.is_point() {
            return Err(ExecError::BadLocation {
                mechanism: name.to_string(),
                reason: "a point process is placed with insert_point".to_string(),
            });
        }
        self.insert(sim, compiled, nodes.to_vec())
    }

    /// A point process (one instance) at `node`.
    pub fn insert_point(
        &mut self,
        sim: &mut Simulation,
        name: &str,
        node: usize,
    ) -> Result<MechanismId, ExecError> {
        let compiled = Arc::clone(self.library.get(name)?);
        if !compiled.mechanism.kind.is_point() {
            return Err(ExecError::BadLocation {
                mechanism: name.to_string(),
                reason: "a density mechanism is inserted with insert_density".to_string(),
            });
        }
        self.insert(sim, compiled, vec![node])
    }

    fn insert(
        &mut self,
        sim: &mut Simulation,
        compiled: Arc<Compiled>,
        nodes: Vec<usize>,
    ) -> Result<MechanismId, ExecError> {
        let count = sim.discretization().len();
        // an artificial cell has no node (a model without sections may hold one)
        let artificial = compiled.mechanism.kind == crate::sema::MechanismKind::ArtificialCell;
        if let Some(&node) = nodes.iter().find(|&&n| n >= count && !artificial) {
            return Err(ExecError::BadLocation {
                mechanism: compiled.mechanism.name.clone(),
                reason: format!("node {node} does not exist (the model has {count})"),
            });
        }
        let mut mech = NmodlMechanism::new(Arc::clone(&compiled), nodes.clone(), nodes.len());
        for use_ in &compiled.mechanism.ions {
            let state = self.ion(sim, &compiled.mechanism.name, use_)?;
            let instances = nodes
                .iter()
                .map(|&n| sim.ion_instance_at(state.id, n))
                .collect::<Result<Vec<_>, _>>()?;
            // NEURON promotes the style of each node's ion by the mechanisms
            // at that node only
            let levels = self.node_levels.entry(use_.ion.clone()).or_default();
            let (conc, rev) = use_levels(use_);
            for &i in &instances {
                if levels.len() <= i {
                    levels.resize(i + 1, (0, 0));
                }
                levels[i] = (levels[i].0.max(conc), levels[i].1.max(rev));
            }
            mech.link_ion(&use_.ion, state.id, state.charge, instances);
        }
        let id = sim.add_mechanism(Box::new(mech))?;
        self.inserted.push(Inserted { id, compiled });
        self.update_styles(sim)?;
        Ok(id)
    }

    fn ion(
        &mut self,
        sim: &mut Simulation,
        mechanism: &str,
        use_: &crate::sema::IonUse,
    ) -> Result<IonState, ExecError> {
        let (conc, rev) = use_levels(use_);
        if let Some(state) = self.ions.get_mut(&use_.ion) {
            state.conc = state.conc.max(conc);
            state.rev = state.rev.max(rev);
            return Ok(state.clone());
        }
        let (charge, erev, ci, co) = match (ion_defaults(&use_.ion), use_.valence) {
            (Some((z, e, i, o)), valence) => (valence.unwrap_or(z), e, i, o),
            (None, Some(z)) => (z, 0.0, 1.0, 1.0),
            (None, None) => {
                return Err(ExecError::MissingIon {
                    mechanism: mechanism.to_string(),
                    ion: use_.ion.clone(),
                })
            }
        };
        let id = sim.add_ion(IonSpec {
            charge,
            erev,
            conc_in: ci,
            conc_out: co,
            style: IonStyle::default(),
        });
        let state = IonState {
            id,
            charge,
            conc,
            rev,
        };
        self.ions.insert(use_.ion.clone(), state.clone());
        Ok(state)
    }

    /// Sets every species' style from the highest use over the mechanisms, and
    /// each instance's from the highest use over the mechanisms at its node (a
    /// node with only a reader of eca keeps eca fixed, as in NEURON, though
    /// another node's calcium pump writes cai).
    fn update_styles(&mut self, sim: &mut Simulation) -> Result<(), ExecError> {
        for (ion, state) in &self.ions {
            let style = IonStyle::from_use_levels(state.conc, state.rev);
            let species = sim.ions_mut().species_mut(state.id)?;
            species.set_style(style);
            for (i, &(conc, rev)) in self.node_levels.get(ion).into_iter().flatten().enumerate() {
                species.set_instance_style(i, IonStyle::from_use_levels(conc, rev));
            }
        }
        Ok(())
    }

    /// The column of `variable` (NEURON's `gnabar_hh` or NMODL's `gnabar`) in
    /// the inserted set `id`, for [`Simulation::variable`] and probes.
    pub fn column(&self, id: MechanismId, variable: &str) -> Result<usize, ExecError> {
        let inserted = self.inserted.iter().find(|i| i.id == id).ok_or_else(|| {
            ExecError::UnknownVariable {
                mechanism: format!("{id:?}"),
                variable: variable.to_string(),
                suggestions: Vec::new(),
            }
        })?;
        let mech = &inserted.compiled.mechanism;
        let layout = &inserted.compiled.layout;
        let suffix = format!("_{}", mech.name);
        let bare = variable.strip_suffix(&suffix).unwrap_or(variable);
        layout
            .column(bare)
            .map(|c| c as usize)
            .ok_or_else(|| ExecError::UnknownVariable {
                mechanism: mech.name.clone(),
                variable: variable.to_string(),
                suggestions: layout
                    .vars
                    .iter()
                    .map(|v| v.name.clone())
                    .filter(|n| n.starts_with(&bare[..bare.len().min(2)]))
                    .collect(),
            })
    }

    /// Sets `variable` of instance `instance` of the set `id`.
    pub fn set(
        &self,
        sim: &mut Simulation,
        id: MechanismId,
        variable: &str,
        instance: usize,
        value: f64,
    ) -> Result<(), ExecError> {
        let column = self.column(id, variable)?;
        Ok(sim.set_variable(id, instance, column, value)?)
    }

    /// Reads `variable` of instance `instance` of the set `id`.
    pub fn get(
        &self,
        sim: &Simulation,
        id: MechanismId,
        variable: &str,
        instance: usize,
    ) -> Result<f64, ExecError> {
        let column = self.column(id, variable)?;
        Ok(sim.variable(id, instance, column)?)
    }

    /// Records `variable` of instance `instance` of the set `id`.
    pub fn record(
        &self,
        sim: &mut Simulation,
        id: MechanismId,
        variable: &str,
        instance: usize,
    ) -> Result<neurite_hines::ProbeId, ExecError> {
        let column = self.column(id, variable)?;
        Ok(sim.record(neurite_hines::Probe::Mechanism {
            mechanism: id,
            instance,
            column,
        })?)
    }

    /// Calls FUNCTION or PROCEDURE `name` of instance `instance` of the set
    /// `id` inside `sim` (see [`super::call`] for the rules).
    pub fn call(
        &self,
        sim: &mut Simulation,
        id: MechanismId,
        instance: usize,
        name: &str,
        args: &[super::CallArg],
    ) -> Result<f64, ExecError> {
        let mech = sim
            .mechanism_mut(id)
            .and_then(|m| m.as_any_mut())
            .and_then(|m| m.downcast_mut::<NmodlMechanism>())
            .ok_or_else(|| ExecError::Call {
                mechanism: format!("{id:?}"),
                name: name.to_string(),
                reason: "no NMODL mechanism set with this id".to_string(),
            })?;
        mech.call(instance, name, args)
    }

    /// Binds POINTER `name` of instance `instance` of the set `id` to
    /// `target` (HOC's `setpointer syn.vpre, soma.v(0.5)`). The pointed-to
    /// value is copied into the POINTER at NEURON's transfer points (see
    /// `neurite_hines::transfer`: before INITIAL, and each step after the
    /// voltage update, before the states advance) and before the hooks that
    /// may read it; a value the mechanism assigns to it is written through to
    /// the target (`Simulation::add_pointer`), as NEURON's pointer aliases it.
    pub fn set_pointer(
        &self,
        sim: &mut Simulation,
        id: MechanismId,
        instance: usize,
        name: &str,
        target: neurite_hines::TransferSource,
    ) -> Result<neurite_hines::TransferId, ExecError> {
        let column = self.column(id, name)?;
        let inserted = self.inserted.iter().find(|i| i.id == id);
        let kind = inserted.and_then(|i| i.compiled.layout.vars.get(column).map(|v| v.kind));
        if kind != Some(super::layout::VarKind::Pointer) {
            return Err(ExecError::Call {
                mechanism: inserted.map_or_else(String::new, |i| i.compiled.mechanism.name.clone()),
                name: format!("setpointer {name}"),
                reason: format!("`{name}` is not a POINTER"),
            });
        }
        let to = neurite_hines::TransferTarget {
            mechanism: id,
            instance,
            column,
        };
        Ok(sim.add_pointer(target, to)?)
    }

    /// The ion species named `ion` in the simulation, if a mechanism uses it.
    pub fn ion_id(&self, ion: &str) -> Option<IonId> {
        self.ions.get(ion).map(|s| s.id)
    }
}
