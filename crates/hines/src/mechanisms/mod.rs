//! Built-in mechanisms written in Rust: NEURON's `pas` and `IClamp`. They stand in
//! for the NMODL-executed versions, behind the same [`crate::Mechanism`] trait.

mod iclamp;
mod pas;

pub use iclamp::IClamp;
pub use pas::Pas;
