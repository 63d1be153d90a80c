//! Built-in mechanisms written in Rust: NEURON's `pas`, `hh`, `IClamp`,
//! `ExpSyn`, `NetStim` and the `VecStim` example. They stand in for the
//! NMODL-executed versions, behind the same [`crate::Mechanism`] trait.

mod expsyn;
mod hh;
mod iclamp;
mod netstim;
mod pas;
mod vecstim;

pub use expsyn::ExpSyn;
pub use hh::Hh;
pub use iclamp::IClamp;
pub use netstim::NetStim;
pub use pas::Pas;
pub use vecstim::VecStim;
