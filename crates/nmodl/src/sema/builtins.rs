//! Names NEURON's translator knows without a declaration: the variables every
//! mechanism sees and the functions of its runtime library.
//!
//! The function list is nocmodl's (the `extdef` names): a call to any other name
//! that the file does not define is compiled by NEURON as a call to a user FUNCTION
//! and fails to compile, so the semantic stage reports it as undefined. `fmin`,
//! `fmax`, `exprelr` and `min`/`max` are not NEURON builtins.

use super::model::BuiltinVar;

/// The variable NEURON provides under `name`, if any.
pub fn builtin_var(name: &str) -> Option<BuiltinVar> {
    Some(match name {
        "v" => BuiltinVar::V,
        "t" => BuiltinVar::T,
        "dt" => BuiltinVar::Dt,
        "celsius" => BuiltinVar::Celsius,
        "diam" => BuiltinVar::Diam,
        "area" => BuiltinVar::Area,
        "secondorder" => BuiltinVar::SecondOrder,
        _ => return None,
    })
}

/// nocmodl's external functions (`extdef.h`) and the NEURON 9 RANDOM functions.
const FUNCTIONS: &[&str] = &[
    "first_time",
    "error",
    "f_flux",
    "b_flux",
    "fabs",
    "sqrt",
    "sin",
    "cos",
    "tan",
    "acos",
    "asin",
    "atan",
    "atan2",
    "sinh",
    "cosh",
    "tanh",
    "floor",
    "ceil",
    "fmod",
    "log10",
    "log",
    "pow",
    "printf",
    "prterr",
    "exp",
    "threshold",
    "force",
    "deflate",
    "expfit",
    "derivs",
    "spline",
    "hyperbol",
    "revhyperbol",
    "sigmoid",
    "revsigmoid",
    "harmonic",
    "squarewave",
    "sawtooth",
    "revsawtooth",
    "ramp",
    "pulse",
    "perpulse",
    "step",
    "perstep",
    "erf",
    "exprand",
    "factorial",
    "gauss",
    "normrand",
    "poisrand",
    "poisson",
    "setseed",
    "scop_random",
    "boundary",
    "romberg",
    "legendre",
    "invert",
    "stepforce",
    "schedule",
    "set_seed",
    "nrn_pointing",
    "state_discontinuity",
    "net_send",
    "net_move",
    "net_event",
    "nrn_random_play",
    "at_time",
    "nrn_ghk",
    "random_setseq",
    "random_setids",
    "random_uniform",
    "random_negexp",
    "random_normal",
    "random_ipick",
    "random_dpick",
];

/// Names nocmodl lets a file use as a value without declaring them (`extdef` names
/// double as variables, e.g. `f_flux` in a KINETIC block).
const VALUE_FUNCTIONS: &[&str] = &["f_flux", "b_flux", "first_time", "error"];

pub fn is_builtin_function(name: &str) -> bool {
    FUNCTIONS.contains(&name)
}

pub fn is_builtin_value(name: &str) -> bool {
    VALUE_FUNCTIONS.contains(&name)
}

/// Event functions and the blocks nocmodl allows them in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventCall {
    /// `net_send`: INITIAL and NET_RECEIVE.
    Send,
    /// `net_event`, `net_move`: NET_RECEIVE only.
    EventOrMove,
}

pub fn event_call(name: &str) -> Option<EventCall> {
    match name {
        "net_send" => Some(EventCall::Send),
        "net_event" | "net_move" => Some(EventCall::EventOrMove),
        _ => None,
    }
}

/// The method names nocmodl accepts after METHOD/STEADYSTATE.
pub fn solve_method(name: &str) -> Option<super::model::SolveMethod> {
    use super::model::SolveMethod as M;
    Some(match name {
        "cnexp" => M::Cnexp,
        "derivimplicit" => M::Derivimplicit,
        "euler" => M::Euler,
        "runge" => M::Runge,
        "sparse" => M::Sparse,
        "_advance" => M::Advance,
        "newton" => M::Newton,
        "simeq" => M::Simeq,
        "after_cvode" => M::AfterCvode,
        "cvode_t" => M::CvodeT,
        "cvode_t_v" => M::CvodeTV,
        _ => return None,
    })
}

/// Every builtin function name, for suggestions.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().copied()
}
