//! NEURON 9's `NMODLRandom` from HOC: `ns.ranvar` of a point process whose
//! mechanism declares `RANDOM ranvar` is an object wrapping that instance's
//! Random123 stream (`ns.ranvar.set_ids(1, 2, 3)`, `.get_ids()`,
//! `.set_seq(0)`, `.get_seq()`, `.uniform()`).
//!
//! The stream is the one the RANDOM column's handle names
//! (`neurite_nmodl::exec::random`): it is made with the point process and
//! lives outside the simulation, so no simulation needs to be built for these
//! calls and a rebuilt one keeps using the same stream.

use crate::{Engine, EngineError};
use neurite_hoc::sim::PpId;
use neurite_nmodl::sema::SymbolKind;

impl Engine {
    /// Whether `name` is a RANDOM variable of the point process's mechanism.
    pub(crate) fn pp_random_var(&self, pp: PpId, name: &str) -> bool {
        let Ok(p) = self.pp(pp) else { return false };
        let Ok(compiled) = self.library.get(&p.kind) else {
            return false;
        };
        compiled
            .mechanism
            .symbols
            .get(name)
            .is_some_and(|s| matches!(s.kind, SymbolKind::Random))
    }

    /// `pp.name.method(args)` of an `NMODLRandom`.
    pub(crate) fn pp_random_method(
        &mut self,
        pp: PpId,
        name: &str,
        method: &str,
        args: &[f64],
    ) -> Result<Vec<f64>, EngineError> {
        if !self.pp_random_var(pp, name) {
            return Err(EngineError::Unsupported {
                what: format!("NMODLRandom: `{name}` is not a RANDOM variable"),
            });
        }
        let handle = self.pp_value(pp, name)?;
        neurite_nmodl::exec::random::nmodl_random(handle, method, args)
            .map_err(|what| EngineError::Unsupported { what })
    }
}
