//! Stage 4 of the NMODL pipeline: the executable form of a mechanism.
//!
//! A mod file's syntax tree and semantic model are lowered ONCE, at load time,
//! into a small register IR ([`ir`]) whose every op runs over a whole *column*:
//! one value per instance for each variable (structure of arrays, as NEURON's
//! and Arbor's data layouts), with each instance's node index kept beside. The
//! cost of interpreting an op is thus paid once per op for all instances, and
//! the inner loops are plain loops over `f64` slices. Branches that differ
//! between instances are run as masks: both sides of an IF are computed for
//! every instance and assignments under a mask become selects (NMODL blocks are
//! short and branch-light, so this costs less than per-instance dispatch and
//! keeps every loop straight). FUNCTIONs and PROCEDUREs are inlined at load
//! time (recursion up to a fixed depth, then a load error); TABLEs are built
//! and interpolated as NEURON does; DERIVATIVE blocks are rewritten into
//! nocmodl's `cnexp` update by symbolic differentiation ([`symbolic`]);
//! KINETIC and LINEAR blocks become per-instance implicit systems ([`solve`]).
//!
//! ```text
//! ast::Program + sema::Mechanism ──blocks/lower──▶ Compiled (ops, tables, systems)
//!        ──MechanismLibrary/Instantiator──▶ NmodlMechanism: neurite_hines::Mechanism
//! ```
//!
//! The numerical rules reproduced from NEURON are written down in
//! `docs/semantics/nmodl-exec.md`. NET_RECEIVE runs for the one instance an
//! event is for, on a one-instance frame (see [`instance`]).

pub mod blocks;
pub mod call;
pub mod cverb;
pub mod diffusion;
pub mod implicit;
pub mod instance;
pub mod ir;
pub mod layout;
pub mod library;
pub mod lower;
pub mod random;
pub mod serial;
pub mod solve;
pub mod symbolic;
pub mod systems;
pub mod table;
pub mod verbatims;

pub use blocks::{compile, Compiled, NetReceiveCode};
pub use call::{CallArg, CallableInfo, MAX_CALL_ARGS};
pub use instance::NmodlMechanism;
pub use ir::VectorRef;
pub use library::{Inserted, Instantiator, MechanismLibrary};

/// Errors of loading mechanisms and placing them into a simulation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExecError {
    /// Some mod files could not be loaded; `report` has every diagnostic.
    #[error("mechanisms could not be loaded:\n{report}")]
    Load { report: String },
    #[error("cannot read {path}: {message}")]
    Io { path: String, message: String },
    #[error("unknown mechanism `{name}`{}", did_you_mean(suggestions))]
    UnknownMechanism {
        name: String,
        suggestions: Vec<String>,
    },
    #[error(
        "mechanism {mechanism} has no variable `{variable}`{}",
        did_you_mean(suggestions)
    )]
    UnknownVariable {
        mechanism: String,
        variable: String,
        suggestions: Vec<String>,
    },
    #[error("mechanism {mechanism} uses ion `{ion}`, which has no VALENCE and no NEURON default")]
    MissingIon { mechanism: String, ion: String },
    #[error("cannot place {mechanism}: {reason}")]
    BadLocation { mechanism: String, reason: String },
    /// A FUNCTION or PROCEDURE called from outside failed.
    #[error("{mechanism}.{name}(): {reason}")]
    Call {
        mechanism: String,
        name: String,
        reason: String,
    },
    #[error(transparent)]
    Solver(#[from] neurite_hines::HinesError),
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", suggestions.join(", "))
    }
}
