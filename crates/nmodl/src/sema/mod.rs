//! Stage 3 of the NMODL pipeline: the semantic stage. It reads one [`ast::Program`]
//! and builds the one immutable [`Mechanism`] model: what every name refers to, the
//! mechanism's kind, ions, currents, blocks, SOLVE statements, TABLEs, NET_RECEIVE
//! and VERBATIM blocks, and the value of every UNITS factor.
//!
//! It reports, as [`Diagnostic`]s, what NEURON's translator (nocmodl 9.0.2) or the C++
//! compile of its output would reject: undefined names, duplicate declarations,
//! SOLVE of a missing block or with a method that does not fit it, misplaced event
//! calls, wrong ion variables. It accepts what NEURON accepts. It never fails: a
//! model is always returned, with whatever could be understood.
//!
//! Behaviours checked against nocmodl 9.0.2 (and the C++ compile of its output):
//! an undefined name is only a nocmodl warning but fails the C++ compile, so it is an
//! error here unless a VERBATIM block mentions it or the file INCLUDEs another; a
//! RANGE of an undeclared name is ignored (a warning here), a GLOBAL of one is an
//! error; assigning a PARAMETER or `v` is allowed, assigning `t`, `dt`, `celsius`,
//! `diam` or `area` is not; a STATE without a derivative equation is accepted; a
//! file without SUFFIX is named after the file; `cnexp` may appear in one SOLVE only;
//! a SOLVE must precede its DERIVATIVE block; declared units are not checked by
//! nocmodl (a warning here) but the UNITS block's are.
//!
//! Submodules: `model` (the types), `builtins` (names NEURON provides), `neuron`
//! (the NEURON block), `declare` (declaration blocks and storage rules), `resolve`
//! (names used in blocks), `implicit` (names NEURON declares itself), `rules` (block-level rules), `solve` (SOLVE statements), `unitcheck` (units),
//! `suggest` (did-you-mean), `dump` (a text rendering for tests and tools), `walk`
//! (tree traversal).

mod builtins;
mod declare;
mod dump;
mod implicit;
mod model;
mod neuron;
mod resolve;
mod rules;
mod solve;
mod suggest;
mod unitcheck;
mod walk;

pub use model::*;

use crate::ast;
use crate::diagnostic::Diagnostic;

/// The result of the semantic stage: the model and everything found wrong.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub mechanism: Mechanism,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Analyses a file. A file without SUFFIX/POINT_PROCESS gets an empty name; use
/// [`analyze_named`] to give it the file's stem as NEURON does.
pub fn analyze(program: &ast::Program) -> Analysis {
    analyze_named(program, "")
}

/// Analyses a file; `file_stem` names the mechanism when the file has no SUFFIX,
/// POINT_PROCESS or ARTIFICIAL_CELL, or has `SUFFIX nothing` (nocmodl then uses the
/// file name).
pub fn analyze_named(program: &ast::Program, file_stem: &str) -> Analysis {
    let mut diags = Vec::new();
    let neuron = neuron::analyze(program, &mut diags);
    let mut symbols = declare::declare(program, &neuron, &mut diags);
    let blocks = declare::blocks(program);
    let verbatim_texts = walk::verbatim_texts(program);
    let inputs = resolve::Inputs {
        neuron: &neuron,
        blocks: &blocks,
        verbatim_texts: &verbatim_texts,
    };
    let resolved = resolve::resolve(program, &mut symbols, inputs, &mut diags);
    rules::check(program, &neuron, &symbols, &mut diags);
    let solves = solve::check(&resolved.solves, &blocks, &mut diags);
    let name = match &neuron.name {
        Some(n) if !neuron.is_library() => n.clone(),
        _ => file_stem.to_string(),
    };
    let kind = neuron.kind(&name);
    let mut diagnostics = diags;
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    let mechanism = Mechanism {
        name,
        kind,
        title: title(program),
        symbols,
        ions: neuron.ions,
        currents: neuron.currents,
        blocks,
        solves,
        tables: resolved.tables,
        net_receive: resolved.net_receive,
        verbatim: resolved.verbatim,
        names: names_sorted(resolved.names),
        threadsafe: neuron.threadsafe,
    };
    Analysis {
        mechanism,
        diagnostics,
    }
}

fn title(program: &ast::Program) -> Option<String> {
    program.items.iter().find_map(|item| match item {
        ast::Item::Title { text, .. } => Some(text.trim().to_string()),
        _ => None,
    })
}

/// Name uses sorted by span, one per span (a name is resolved once).
fn names_sorted(mut names: Vec<NameUse>) -> Vec<NameUse> {
    names.sort_by_key(|u| u.span);
    names.dedup_by_key(|u| u.span);
    names
}
