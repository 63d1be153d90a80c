//! Built-in mechanisms written in Rust: NEURON's `pas`, `hh` and `IClamp`. They stand in
//! for the NMODL-executed versions, behind the same [`crate::Mechanism`] trait.

mod hh;
mod iclamp;
mod pas;

pub use hh::Hh;
pub use iclamp::IClamp;
pub use pas::Pas;
