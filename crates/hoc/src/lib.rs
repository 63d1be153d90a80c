//! `neurite-hoc`: the HOC language of NEURON, without NEURON.
//!
//! The pipeline, one module a stage, data flowing one way:
//!
//! ```text
//! text ──lexer──▶ tokens ──parser──▶ ast::Program (spans) ──interp──▶ effects
//!                                                              │
//!                                                   sim::Simulator (cable model)
//! ```
//!
//! The interpreter ([`Interpreter`]) is an explicit value passed to everything
//! that runs HOC: there is no global state. Sections, mechanisms and
//! simulation go through the [`Simulator`] trait, which the cable solver
//! implements. No input makes the lexer, the parser or the interpreter panic.

pub mod ast;
pub mod lexer;
pub mod parser;
pub mod printer;
pub mod span;

pub use parser::{parse, ParseError, Parsed};
pub use span::{Source, Span};
pub mod builtins;
pub mod interp;
pub mod sim;

pub use interp::{CapturedOutput, HocError, Interpreter};
pub use sim::{memory::MemorySim, Simulator};
