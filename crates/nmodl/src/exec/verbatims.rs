//! Which VERBATIM blocks of a file Neurite cannot run, found before anything
//! is compiled so that a file with such C is refused as a whole (each block
//! named with what it does).
//!
//! A block runs when it is trivial (comments, declarations, CoreNEURON-only
//! code), when it sits in a DESTRUCTOR (nothing is destroyed in Neurite:
//! reference counts of hoc objects are not kept), or when its C translates
//! into NMODL statements ([`super::cverb`]). Blocks at the top level of the
//! file define macros and C functions ([`super::cverb::file_c`]): a C
//! function Neurite cannot run is refused where it is called.

use super::lower::{c_code_error, Lower};
use crate::ast::{Block, Item, Program, Stmt, Verbatim};
use crate::diagnostic::Diagnostic;

/// A diagnostic for every VERBATIM block of `program` that cannot run.
pub fn unrunnable(lower: &mut Lower<'_>, program: &Program) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for item in &program.items {
        let (block, function): (&Block, Option<&str>) = match item {
            // C functions and macros: read by cverb::file_c
            Item::Verbatim(_) => continue,
            Item::Destructor(_) => continue,
            // NEURON's BBSaveState hook: only BBSaveState calls it, and
            // Neurite has none; a call from HOC says why it cannot run
            Item::Function(c) if c.name.name == super::random::SAVE_STATE_HOOK => continue,
            Item::Function(c) => match &c.body {
                Some(b) => (b, Some(c.name.name.as_str())),
                None => continue,
            },
            Item::Procedure(c) => match &c.body {
                Some(b) => (b, None),
                None => continue,
            },
            Item::Initial(b) | Item::Breakpoint(b) | Item::Constructor(b) => (b, None),
            Item::Derivative(n)
            | Item::Kinetic(n)
            | Item::Linear(n)
            | Item::NonLinear(n)
            | Item::Discrete(n)
            | Item::Partial(n) => (&n.body, None),
            Item::NetReceive(nr) => (&nr.body, None),
            Item::BeforeAfter { body, .. } => (body, None),
            _ => continue,
        };
        let mut blocks = Vec::new();
        verbatims(lower, &block.stmts, &mut blocks);
        for v in &blocks {
            if let Err(e) = lower.translate_verbatim_in(v, function) {
                out.push(c_code_error(lower.mech, e.span, &e.what));
            }
        }
    }
    out
}

/// Every VERBATIM block among `stmts`, nested ones included, with split C
/// merged as the lowering merges it.
fn verbatims(lower: &mut Lower<'_>, stmts: &[Stmt], out: &mut Vec<Verbatim>) {
    let stmts = lower.merge_split(stmts);
    for s in &stmts {
        match s {
            Stmt::Verbatim(v) => {
                out.push(v.clone());
                let embedded = lower.embedded.get(&(v.span.start, v.span.end)).cloned();
                if let Some(embedded) = embedded {
                    verbatims(lower, &embedded, out);
                }
            }
            Stmt::If {
                then, otherwise, ..
            } => {
                verbatims(lower, &then.stmts, out);
                if let Some(o) = otherwise {
                    verbatims(lower, &o.stmts, out);
                }
            }
            Stmt::While { body, .. }
            | Stmt::FromTo { body, .. }
            | Stmt::ForNetCons { body, .. }
            | Stmt::Initial(body)
            | Stmt::Block(body) => verbatims(lower, &body.stmts, out),
            Stmt::Protect(inner) => verbatims(lower, std::slice::from_ref(inner.as_ref()), out),
            _ => {}
        }
    }
}
