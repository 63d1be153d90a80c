//! `neurite-hines`: the cable solver. It owns the morphology of a model
//! ([`Model`]), NEURON's spatial discretisation of it ([`Discretization`]), the
//! Hines tree solver ([`HinesMatrix`]) and NEURON's fixed-step integration
//! ([`Simulation`]), with the interface membrane mechanisms plug into
//! ([`Mechanism`]), the per-node ion state they share ([`Ions`]), and discrete
//! events delivered as NEURON's fixed step does ([`events`]: the queue,
//! NetCons, spike sources; `docs/semantics/events.md`), and per-step variable
//! transfers for gap junctions ([`transfer`]).
//!
//! **Architecture Invariant:** the cable solver knows nothing about NMODL. It
//! sees node arrays and mechanism columns, never names or syntax.
//!
//! ```
//! use neurite_hines::{IClamp, Model, Pas, Probe, SectionSpec, SimConfig, Simulation};
//! # fn main() -> neurite_hines::Result<()> {
//! let mut model = Model::new();
//! let soma = model.add_section(SectionSpec {
//!     name: "soma".into(), length: 20.0, diam: 20.0, ra: 100.0, cm: 1.0, nseg: 1,
//! })?;
//! let mut sim = Simulation::new(&model, SimConfig::default())?;
//! let mut pas = Pas::new();
//! for node in sim.discretization().segment_nodes(soma)? {
//!     pas.push(node, 0.001, -70.0);
//! }
//! sim.add_mechanism(Box::new(pas))?;
//! let mut stim = IClamp::new();
//! stim.push(sim.discretization().node_at(soma, 0.5)?, 1.0, 5.0, 0.1);
//! sim.add_mechanism(Box::new(stim))?;
//! let v = sim.record(Probe::Voltage { section: soma, x: 0.5 })?;
//! sim.finitialize(-65.0)?;
//! sim.run(10.0)?;
//! assert_eq!(sim.trace(v)?.len(), 401);
//! # Ok(())
//! # }
//! ```

pub mod discretize;
pub mod error;
pub mod events;
mod geometry;
pub mod ion;
pub mod longitudinal;
pub mod matrix;
pub mod mechanism;
pub mod mechanisms;
pub mod morphology;
pub mod random;
pub mod record;
pub mod simulation;
pub mod transfer;

pub use discretize::{Discretization, SectionNodes, ZERO_AREA_NODE};
pub use error::{HinesError, Result};
pub use events::{
    EventQueue, NetConId, NetConSource, NetConSpec, NetConTarget, WatchedVariable, DEFAULT_DELAY,
    DEFAULT_THRESHOLD,
};
pub use ion::{nernst, IonColumn, IonId, IonSpec, IonSpecies, IonStyle, Ions};
pub use matrix::HinesMatrix;
pub use mechanism::{
    BeforeAfter, CurrentContext, EventRequest, Mechanism, NetConWeights, NodeContext, Outbox,
    SecondOrder, SolvedContext, StepInfo,
};
pub use mechanisms::{ExpSyn, Hh, IClamp, NetStim, Pas, VecStim};
pub use morphology::{Connection, Model, Pt3d, Section, SectionId, SectionSpec};
pub use record::{MechanismId, Probe, ProbeId};
pub use simulation::{SimConfig, Simulation};
pub use transfer::{TransferId, TransferSource, TransferTarget};
