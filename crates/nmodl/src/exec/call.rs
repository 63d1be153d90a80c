//! Calling a mechanism's FUNCTIONs and PROCEDUREs from outside, on one
//! instance: what HOC's `vs.play(vec)`, `syn.setRNG(a, b)` or `rates_hh(v)`
//! do in NEURON.
//!
//! # The call API (for the engine)
//!
//! - [`NmodlMechanism::call`](super::NmodlMechanism::call)`(instance, name, &[CallArg])`
//!   runs FUNCTION or PROCEDURE `name` for one instance of a mechanism set and
//!   returns the FUNCTION's value (a PROCEDURE returns 1, as NEURON's hoc
//!   wrappers do). [`Instantiator::call`](super::Instantiator::call) does the
//!   same for a set inside a `neurite_hines::Simulation`.
//! - Arguments are numbers or hoc Vectors ([`CallArg`]). A Vector is shared
//!   (`Rc<RefCell<Vec<f64>>>`, the type `neurite-hoc` uses), not copied: as in
//!   NEURON, a VecStim that was given a Vector with `play(vec)` reads the
//!   Vector's contents when it runs, so later changes to it are seen.
//! - The declared parameters take the first arguments; more may be passed (up
//!   to [`MAX_CALL_ARGS`]) for C that reads them with `ifarg(k)`,
//!   `vector_arg(k)` or `*getarg(k)` (VecStim's `play()` declares none).
//! - Before the call, NEURON's variables (`v`, `t`, ...) are those of the last
//!   hook that ran; the call sees and changes the instance's values like any
//!   hook. A call may not send events (`net_send` outside NET_RECEIVE).
//! - What a call leaves in the instance lives in the mechanism set: a
//!   simulation rebuilt from scratch starts without it, so an engine that
//!   rebuilds must call again (e.g. repeat `play(vec)` after building).
//! - [`Compiled::callable`](super::Compiled::callable) tells whether a name is
//!   callable and how many parameters it declares, without a simulation.

use super::ir::{Op, VectorRef};

/// An argument of a call from outside.
#[derive(Debug, Clone)]
pub enum CallArg {
    Number(f64),
    /// A hoc Vector, shared with the caller.
    Vector(VectorRef),
}

/// Most arguments a call may pass.
pub const MAX_CALL_ARGS: usize = 8;

/// A FUNCTION or PROCEDURE compiled to be called on one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub name: String,
    pub is_function: bool,
    /// Number of declared parameters.
    pub arity: usize,
    pub ops: Vec<Op>,
    /// Register of the FUNCTION's result.
    pub result: Option<u32>,
}

/// The registers every entry reads its arguments from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArgRegisters {
    /// Number of arguments passed.
    pub count: u32,
    /// Argument k (0-based) in `args[k]`: a number or a vector handle.
    pub args: Vec<u32>,
}

/// What a callable is, for callers that check before calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallableInfo {
    pub is_function: bool,
    /// Number of declared parameters.
    pub arity: usize,
}
