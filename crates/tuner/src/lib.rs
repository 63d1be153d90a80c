//! `neurite-tuner`: the synapse and gap-junction tuner, bmtool.synapses' capabilities
//! (bmtool 0.8.7's `SynapseTuner` and `GapJunctionTuner`) for Neurite.
//!
//! The stages, data flowing one way:
//!
//! ```text
//! JSON ──settings──▶ validated settings ──protocol──▶ stimulus schedule
//!                                                        │ runner (HOC + engine)
//!                          report ◀──metrics (+fit)◀── recorded traces ──▶ plot
//! ```
//!
//! [`protocol`] describes what a simulation must deliver and record, [`runner`] builds
//! bmtool's setup as HOC and runs it on Neurite's engine, [`metrics`] works on the
//! recorded traces only. Where bmtool 0.8.7 computes
//! something wrong, [`MetricsMode::Correct`] (the default) gives the right value and
//! `"metrics": "bmtool"` reproduces bmtool's; `docs/tuner.md` lists every difference.

pub mod analysis;
pub mod bmtk;
pub mod catalog;
pub mod fit;
pub mod metrics;
pub mod optimize;
pub mod plot;
pub mod protocol;
pub mod report;
pub mod runner;
pub mod settings;

pub use metrics::{MetricsError, MetricsMode, Recording};
