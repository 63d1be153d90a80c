//! Point processes and NetCons freed from HOC. NEURON destroys a point
//! process or a NetCon when its last HOC reference goes (`stim = nil`, an
//! objref assigned again, a template instance or a `localobj` going away),
//! at once, also in the middle of a run. The interpreter tells the engine
//! (`Simulator::free_point_process`, `free_netcon`); the engine forgets the
//! object in its store and removes it from the live simulation, which goes
//! on without a rebuild (`Simulation::remove_mechanism`, `remove_netcon`
//! keep every other id valid).
//!
//! What NEURON does with the rest (`netcvode.cpp`: `NetCon::disconnect`,
//! `PreSyn::update`, `NetCon::~NetCon`):
//! - NetCons to a freed point process lose their target and become
//!   inactive (`valid()` is 0);
//! - NetCons from it (its `net_event`s, or a variable of it) lose their
//!   source, which stops recording: a vector it recorded into keeps its
//!   times, even across a later `finitialize`;
//! - a freed NetCon delivers nothing more, but its source stays with its
//!   threshold and recording (a `ParallelContext` gid registered through
//!   it keeps its spike source);
//! - transfers and POINTERs from or into a freed point process go; so do its
//!   PROCEDURE calls, plays and recordings.

use crate::Engine;
use neurite_hoc::sim::{NcId, NetConSource, PpId, RecordSource};

/// Whether `source` names point process `pp`.
fn on_pp(source: &RecordSource, pp: PpId) -> bool {
    matches!(source, RecordSource::PointProcess { pp: p, .. } if *p == pp)
}

impl Engine {
    pub(crate) fn free_pp(&mut self, pp: PpId) {
        let Some(slot) = self.pps.get_mut(pp) else {
            return;
        };
        if slot.take().is_none() {
            return;
        }
        for nc in &mut self.ncs {
            if nc.target == Some(pp) {
                nc.target = None;
                nc.inactive = true;
            }
            let from = match &nc.source {
                NetConSource::PointProcess(p) => *p == pp,
                NetConSource::Var(v) => on_pp(v, pp),
                NetConSource::None => false,
            };
            if from {
                nc.source = NetConSource::None;
                nc.idle_source = false;
                nc.record = None;
                nc.record_ids = None;
            }
        }
        self.transfers.sources.retain(|(_, s)| !on_pp(s, pp));
        self.transfers.targets.retain(|(_, s)| !on_pp(s, pp));
        self.pointers
            .retain(|(t, s)| !on_pp(t, pp) && !on_pp(s, pp));
        self.pp_calls.retain(|c| c.pp != pp);
        self.plays.retain(|p| !on_pp(&p.target, pp));
        self.recs.retain(|r| !on_pp(&r.source, pp));
        self.timed.retain(|r| !on_pp(&r.source, pp));
        let Some(b) = self.built.as_mut() else {
            return;
        };
        let Some(id) = b.pps.get_mut(pp).and_then(Option::take) else {
            return;
        };
        // a stale simulation is rebuilt from the store before it runs again
        if self.stale.is_none() {
            // the set exists (it was placed by the build): removal cannot fail
            let _ = b.sim.remove_mechanism(id);
        }
    }

    pub(crate) fn free_nc(&mut self, nc: NcId) {
        let Some(n) = self.ncs.get_mut(nc) else {
            return;
        };
        if n.freed {
            return;
        }
        n.freed = true;
        n.target = None;
        n.inactive = true;
        let live = self.built.as_mut().filter(|_| self.stale.is_none());
        if let Some(&id) = live.as_ref().and_then(|b| b.ncs.get(nc)) {
            if let Some(b) = live {
                let _ = b.sim.remove_netcon(id);
            }
        }
    }
}
