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
//!
//! ```
//! use neurite_hoc::{CapturedOutput, Interpreter, MemorySim};
//!
//! let out = CapturedOutput::new();
//! let mut hoc = Interpreter::with_output(Box::new(MemorySim::new()), Box::new(out.clone()));
//! hoc.execute_str("create soma\nsoma { L = 20 }\nprint soma.L, 1/3\n", "-c").unwrap();
//! assert_eq!(out.text(), "20 0.33333333 \n");
//! ```
//!
//! NEURON's own libraries are not needed: `stdrun.hoc`, `nrngui.hoc`,
//! `stdlib.hoc` and `stdgui.hoc` are provided natively (`run`, `init`,
//! `continuerun`, `tstop`, `String`...). `import3d.hoc` is interpreted when
//! found next to the model, in the current directory or on
//! `HOC_LIBRARY_PATH` (NEURON's own file runs unchanged, every format);
//! otherwise a native SWC reader ([`builtins::import3d`]) provides
//! `Import3d_SWC_read` and `Import3d_GUI`, building the same sections and
//! 3-D points as NEURON.

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
