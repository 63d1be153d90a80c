//! `neurite-nmodl`: the NMODL front end.
//!
//! The pipeline, one module a stage, data flowing one way:
//!
//! ```text
//! text ──lexer──▶ tokens ──parser──▶ ast::Program (spans) ──sema──▶ sema::Mechanism
//!                                         │                     ▲
//!                                      printer            units (factors)
//! ```
//!
//! Loading a mechanisms folder (`load`) runs the whole pipeline on every `.mod` file at
//! run time; nothing is compiled. Every stage returns its result together with the
//! [`Diagnostic`]s it found, and no input makes any stage panic.

pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod exec;
mod include;
pub mod lexer;
pub mod parser;
pub mod printer;
pub mod sema;
pub mod span;
pub mod units;
pub mod verbatim;

pub use diagnostic::{Diagnostic, Severity};
pub use span::{SourceFile, Span};
