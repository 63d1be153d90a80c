//! Recording: what to sample (a probe) and the samples taken (a trace), once at
//! `finitialize` and after every step, as NEURON's `Vector.record` does.

use crate::ion::{IonColumn, IonId};
use crate::morphology::SectionId;

/// Something to sample every step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Probe {
    /// Membrane potential (mV) of the node NEURON uses for `section(x)`.
    Voltage { section: SectionId, x: f64 },
    /// Column `column` of instance `instance` of the mechanism with this id
    /// (the value returned by [`crate::Simulation::add_mechanism`]).
    Mechanism {
        mechanism: MechanismId,
        instance: usize,
        column: usize,
    },
    /// A column of the ion instance at the node NEURON uses for `section(x)`.
    Ion {
        ion: IonId,
        section: SectionId,
        x: f64,
        column: IonColumn,
    },
}

/// Identifies a mechanism added to a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MechanismId(pub(crate) usize);

/// Identifies a probe of a simulation; indexes its trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProbeId(pub(crate) usize);

/// A probe resolved to what it reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Source {
    Node(usize),
    Mechanism {
        mechanism: usize,
        instance: usize,
        column: usize,
    },
    Ion {
        ion: usize,
        instance: usize,
        column: IonColumn,
    },
}
