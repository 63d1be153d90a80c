//! FUNCTIONs and PROCEDUREs of mechanisms called from HOC: a point
//! process's (`vs.play(vec)`, `syn.setRNG(1, 2, 3)`, `ns.erand()`) on its one
//! instance, and a density mechanism's (`rates_hh(v)`) on the instance that
//! `setdata_hh(x)` chose, as NEURON requires. The calls run in
//! `neurite_nmodl::exec` (`Instantiator::call`) on the live simulation,
//! which is built first if there is none yet.
//!
//! What a call changes in the instance's variables is copied back to the
//! store, so a rebuilt simulation starts from it. Random streams (and the
//! HOC Randoms given to a mechanism) live outside the simulation, so they
//! survive a rebuild as they are. What a call leaves in the built mechanism
//! itself (the Vector a VecStim plays) would not: every PROCEDURE call of a
//! point process given a Vector is kept and replayed, in order, after each
//! rebuild, before the stored values are written (so later assignments from
//! HOC still win).

use crate::{Engine, EngineError};
use neurite_hoc::sim::{CallArg, PpId, SecId};
use neurite_nmodl::exec::layout::VarKind;
use neurite_nmodl::exec::Instantiator;

/// A PROCEDURE call of a point process, replayed after a rebuild.
#[derive(Debug, Clone)]
pub(crate) struct PpCall {
    pub pp: PpId,
    pub name: String,
    pub args: Vec<neurite_nmodl::exec::CallArg>,
}

fn exec_args(
    args: &[CallArg],
    name: &str,
) -> Result<Vec<neurite_nmodl::exec::CallArg>, EngineError> {
    args.iter()
        .map(|a| match a {
            CallArg::Num(x) => Ok(neurite_nmodl::exec::CallArg::Number(*x)),
            CallArg::Vector(v) => Ok(neurite_nmodl::exec::CallArg::Vector(v.clone())),
            // a Random is passed as its stream handle (exec::random)
            CallArg::Random(r) => Ok(neurite_nmodl::exec::CallArg::Number(
                neurite_nmodl::exec::random::register_shared(r),
            )),
            CallArg::Object(class) => Err(EngineError::Unsupported {
                what: format!("passing a {class} to {name}"),
            }),
        })
        .collect()
}

/// Runs FUNCTION or PROCEDURE `name` of one instance with NEURON's
/// `celsius` of the moment and the `dt` of the last `finitialize` or step:
/// NMODL reads those globals directly, so a call from HOC sees them even
/// before any `finitialize` (`v` stays that of the mechanism's last hook, as
/// in NEURON: 0 before the first).
fn call_now(
    library: &neurite_nmodl::exec::MechanismLibrary,
    sim: &mut neurite_hines::Simulation,
    (id, instance): (neurite_hines::MechanismId, usize),
    name: &str,
    args: &[neurite_nmodl::exec::CallArg],
    (celsius, dt): (f64, f64),
) -> Result<f64, EngineError> {
    let mech = sim.mechanism_mut(id).and_then(|m| m.as_any_mut());
    if let Some(m) = mech.and_then(|m| m.downcast_mut::<neurite_nmodl::exec::NmodlMechanism>()) {
        m.set_call_globals(celsius, dt);
    }
    Ok(Instantiator::new(library).call(sim, id, instance, name, args)?)
}

impl Engine {
    /// A live simulation, built now if there is none or the model changed.
    fn ensure_built(&mut self) -> Result<(), EngineError> {
        if self.built.is_none() || self.stale.is_some() {
            self.built = None;
            self.built = Some(self.build()?);
            self.stale = None;
        }
        Ok(())
    }

    /// `pp.name(args)`; `None` when the point process has no such FUNCTION
    /// or PROCEDURE.
    pub(crate) fn pp_call(
        &mut self,
        pp: PpId,
        name: &str,
        args: &[CallArg],
    ) -> Option<Result<f64, EngineError>> {
        let kind = self.pp(pp).ok()?.kind.clone();
        let info = self.library.get(&kind).ok()?.callable(name)?;
        Some(self.pp_call_checked(pp, &kind, name, args, info.map(|i| i.is_function)))
    }

    fn pp_call_checked(
        &mut self,
        pp: PpId,
        kind: &str,
        name: &str,
        args: &[CallArg],
        is_function: Result<bool, String>,
    ) -> Result<f64, EngineError> {
        let is_function = is_function.map_err(|why| EngineError::Unsupported {
            what: format!("{kind}.{name} ({why})"),
        })?;
        let args = exec_args(args, name)?;
        self.ensure_built()?;
        let b = self.built.as_mut().ok_or(EngineError::NotInitialized)?;
        let Some(id) = b.pps.get(pp).copied().flatten() else {
            return Err(EngineError::Unsupported {
                what: format!("{kind}.{name}() of a point process that is not in a section"),
            });
        };
        let globals = (self.settings.celsius, b.step_dt.unwrap_or(self.settings.dt));
        let value = call_now(&self.library, &mut b.sim, (id, 0), name, &args, globals)?;
        self.sync_pp(pp)?;
        // only what the call leaves outside the instance's variables needs a
        // replay after a rebuild: the Vectors it was given (its variables are
        // in the store now; random streams outlive the simulation, and
        // replaying a stream call would undo later NMODLRandom settings)
        let keeps_vector = args
            .iter()
            .any(|a| matches!(a, neurite_nmodl::exec::CallArg::Vector(_)));
        if !is_function && keeps_vector {
            self.pp_calls.push(PpCall {
                pp,
                name: name.to_string(),
                args,
            });
        }
        Ok(value)
    }

    /// Copies a point process's variables from the live simulation to the store.
    fn sync_pp(&mut self, pp: PpId) -> Result<(), EngineError> {
        let kind = self.pp(pp)?.kind.clone();
        let compiled = self.library.get(&kind)?.clone();
        let Some(b) = &self.built else { return Ok(()) };
        let Some(id) = b.pps.get(pp).copied().flatten() else {
            return Ok(());
        };
        let mut values = Vec::with_capacity(compiled.layout.vars.len());
        for (column, var) in compiled.layout.vars.iter().enumerate() {
            let keep = matches!(var.kind, VarKind::Builtin(_)) || var.ion.is_some() || var.global;
            values.push(if keep {
                None
            } else {
                b.sim.variable(id, 0, column).ok()
            });
        }
        if let Some(Some(p)) = self.pps.get_mut(pp) {
            for (slot, v) in p.values.iter_mut().zip(values) {
                if let Some(v) = v {
                    *slot = v;
                }
            }
        }
        Ok(())
    }

    /// The recorded PROCEDURE calls of point processes, after a rebuild.
    pub(crate) fn replay_calls(&self, built: &mut crate::build::Built) -> Result<(), EngineError> {
        let ins = Instantiator::new(&self.library);
        for call in &self.pp_calls {
            if let Some(id) = built.pps.get(call.pp).copied().flatten() {
                ins.call(&mut built.sim, id, 0, &call.name, &call.args)?;
            }
        }
        Ok(())
    }

    /// `setdata_mech(x)` in the current section: the instance later calls
    /// of the mechanism's functions use.
    pub(crate) fn setdata(
        &mut self,
        sec: Option<SecId>,
        mech: &str,
        args: &[f64],
    ) -> Result<f64, EngineError> {
        let sec = sec.ok_or(EngineError::Unsupported {
            what: format!("setdata_{mech} without a section"),
        })?;
        let x = args.first().copied().unwrap_or(0.5);
        let s = self.sec(sec)?;
        if s.mech(mech).is_none() {
            return Err(EngineError::NotInserted {
                name: format!("setdata_{mech}"),
                mechanism: mech.to_string(),
                section: s.name.clone(),
            });
        }
        self.setdata.insert(mech.to_string(), (sec, x));
        Ok(1.0)
    }

    /// `fn_mech(args)` on the instance chosen by `setdata_mech`.
    pub(crate) fn density_call(
        &mut self,
        name: &str,
        mech: &str,
        args: &[f64],
    ) -> Result<f64, EngineError> {
        let Some(&(sec, x)) = self.setdata.get(mech) else {
            return Err(EngineError::Unsupported {
                what: format!(
                    "{name} without data: NEURON requires a prior call to setdata_{mech}(x) (No data for {name})"
                ),
            });
        };
        let bare = name.strip_suffix(&format!("_{mech}")).unwrap_or(name);
        if let Some(Err(why)) = self.library.get(mech)?.callable(bare) {
            return Err(EngineError::Unsupported {
                what: format!("{name} ({why})"),
            });
        }
        let s = self.sec(sec)?;
        if s.mech(mech).is_none() {
            return Err(EngineError::NotInserted {
                name: name.to_string(),
                mechanism: mech.to_string(),
                section: s.name.clone(),
            });
        }
        let seg = s.seg(x);
        let args: Vec<_> = args
            .iter()
            .map(|a| neurite_nmodl::exec::CallArg::Number(*a))
            .collect();
        self.ensure_built()?;
        let b = self.built.as_mut().ok_or(EngineError::NotInitialized)?;
        let set = b.density.get(mech).copied();
        let inst = b
            .instances
            .get(&(sec, mech.to_string()))
            .and_then(|i| i.get(seg).copied());
        let (Some(set), Some(inst)) = (set, inst) else {
            return Err(EngineError::Unsupported {
                what: format!("{name}: no instance of {mech} at this location"),
            });
        };
        let globals = (self.settings.celsius, b.step_dt.unwrap_or(self.settings.dt));
        let value = call_now(&self.library, &mut b.sim, (set, inst), bare, &args, globals)?;
        // what the call assigned stays after a rebuild
        let compiled = self.library.get(mech)?.clone();
        let mut updates = Vec::new();
        for (column, var) in compiled.layout.vars.iter().enumerate() {
            if matches!(var.kind, VarKind::Builtin(_)) || var.ion.is_some() || var.global {
                continue;
            }
            updates.push((column, b.sim.variable(set, inst, column)?));
        }
        if let Some(m) = self.sec_mut(sec)?.mech_mut(mech) {
            for (column, v) in updates {
                if let Some(slot) = m.values.get_mut(column).and_then(|c| c.get_mut(seg)) {
                    *slot = v;
                }
            }
        }
        Ok(value)
    }

    /// Whether `name` is `fn_mech` of a density mechanism.
    pub(crate) fn density_function(&self, name: &str) -> Option<String> {
        let mech = self.catalog.functions.get(name)?;
        let density = self.catalog.density.contains(mech);
        (density && !self.catalog.range.contains_key(name)).then(|| mech.clone())
    }
}
