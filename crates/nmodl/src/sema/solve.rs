//! SOLVE statements: the solved block must exist and be solvable, the method must
//! fit the block kind, and a DERIVATIVE block must come after its SOLVE.
//!
//! The rules are nocmodl's (`solve.cpp`, the `methods` table of `init.cpp`):
//! `cnexp` and `derivimplicit` fit DERIVATIVE; `sparse` and `_advance` fit KINETIC;
//! `euler` and `runge` fit both; `newton` fits NONLINEAR and `simeq` LINEAR;
//! `after_cvode` and `cvode_t` fit anything (they are dropped); `cvode_t_v` fits
//! nothing. Without a method NEURON uses `derivimplicit` for DERIVATIVE, `_advance`
//! for KINETIC, `newton` for NONLINEAR, `simeq` for LINEAR, and calls a PROCEDURE.

use super::builtins;
use super::model::{BlockInfo, BlockKind, Solve, SolveMethod};
use super::resolve::SolveStmt;
use super::suggest;
use crate::ast;
use crate::diagnostic::Diagnostic;

pub(super) fn check(
    stmts: &[SolveStmt],
    blocks: &[BlockInfo],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Solve> {
    let solves: Vec<Solve> = stmts.iter().map(|s| one(s, blocks, diags)).collect();
    second_cnexp(stmts, diags);
    integrating_twice(&solves, diags);
    solves
}

/// nocmodl renames its `cnexp` method to `derivimplicit` when it meets the first
/// `SOLVE ... cnexp`, so any later `cnexp` in the file is a syntax error there.
fn second_cnexp(stmts: &[SolveStmt], diags: &mut Vec<Diagnostic>) {
    let mut cnexp = stmts
        .iter()
        .filter_map(|s| s.method.as_ref().or(s.steadystate.as_ref()))
        .filter(|m| m.name == "cnexp");
    let Some(first) = cnexp.next() else {
        return;
    };
    for later in cnexp {
        diags.push(
            Diagnostic::error(
                later.span,
                "NEURON accepts `cnexp` in only one SOLVE statement",
            )
            .with_label(first.span, "the first `cnexp` is here")
            .with_note("nocmodl rejects any later `cnexp` as an illegal SOLVE statement")
            .with_help(
                "keep `cnexp` in one SOLVE (BREAKPOINT's) and use `derivimplicit` in the others",
            ),
        );
    }
}

/// nocmodl warns when BREAKPOINT integrates more than one DERIVATIVE/KINETIC block.
fn integrating_twice(solves: &[Solve], diags: &mut Vec<Diagnostic>) {
    let integrating: Vec<&Solve> = solves
        .iter()
        .filter(|s| s.within == BlockKind::Breakpoint && !s.steadystate)
        .filter(|s| {
            matches!(
                s.block_kind,
                Some(BlockKind::Derivative | BlockKind::Kinetic)
            )
        })
        .collect();
    if let [first, second, ..] = integrating.as_slice() {
        diags.push(
            Diagnostic::warning(second.span, "BREAKPOINT integrates more than one block")
                .with_label(first.span, "the first integrating SOLVE is here")
                .with_note("NEURON's simulation is incorrect if more than one is used at a time"),
        );
    }
}

fn one(s: &SolveStmt, blocks: &[BlockInfo], diags: &mut Vec<Diagnostic>) -> Solve {
    let target = blocks
        .iter()
        .find(|b| b.name.as_deref() == Some(s.block.name.as_str()));
    let written = s.method.as_ref().or(s.steadystate.as_ref());
    let method = written.and_then(|m| method(m, diags));
    let block_kind = target.map(|b| b.kind);
    match target {
        None => diags.push(missing_block(s, blocks)),
        Some(b) => check_target(s, b, method, diags),
    }
    let default = block_kind
        .and_then(default_method)
        .unwrap_or(SolveMethod::Procedure);
    Solve {
        block: s.block.name.clone(),
        block_kind,
        method: method.unwrap_or(default),
        explicit: method.is_some(),
        steadystate: s.steadystate.is_some(),
        within: s.within,
        span: s.span,
    }
}

fn method(m: &ast::Ident, diags: &mut Vec<Diagnostic>) -> Option<SolveMethod> {
    let found = builtins::solve_method(&m.name);
    if found.is_none() {
        let known = [
            "cnexp",
            "derivimplicit",
            "euler",
            "runge",
            "sparse",
            "newton",
            "simeq",
            "after_cvode",
            "cvode_t",
        ];
        let d = Diagnostic::error(m.span, format!("unknown METHOD `{}`", m.name));
        diags.push(match suggest::closest(&m.name, known.into_iter()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("NEURON's methods are {}", known.join(", "))),
        });
    }
    found
}

fn default_method(kind: BlockKind) -> Option<SolveMethod> {
    Some(match kind {
        BlockKind::Derivative => SolveMethod::Derivimplicit,
        BlockKind::Kinetic => SolveMethod::Advance,
        BlockKind::NonLinear => SolveMethod::Newton,
        BlockKind::Linear => SolveMethod::Simeq,
        BlockKind::Procedure => SolveMethod::Procedure,
        _ => return None,
    })
}

/// Whether `method` can solve a block of `kind` (nocmodl's methods table).
fn fits(method: SolveMethod, kind: BlockKind) -> bool {
    use BlockKind as B;
    use SolveMethod as M;
    match method {
        M::AfterCvode | M::CvodeT => true,
        M::CvodeTV | M::Procedure => false,
        M::Cnexp | M::Derivimplicit => kind == B::Derivative,
        M::Euler | M::Runge => matches!(kind, B::Derivative | B::Kinetic),
        M::Sparse | M::Advance => kind == B::Kinetic,
        M::Newton => kind == B::NonLinear,
        M::Simeq => kind == B::Linear,
    }
}

fn check_target(
    s: &SolveStmt,
    b: &BlockInfo,
    method: Option<SolveMethod>,
    diags: &mut Vec<Diagnostic>,
) {
    let solvable = matches!(
        b.kind,
        BlockKind::Derivative
            | BlockKind::Kinetic
            | BlockKind::Linear
            | BlockKind::NonLinear
            | BlockKind::Procedure
    );
    if !solvable {
        diags.push(
            Diagnostic::error(s.block.span, format!("`{}` cannot be SOLVEd", s.block.name))
                .with_label(b.span, "it is defined here")
                .with_note(
                    "NEURON solves DERIVATIVE, KINETIC, LINEAR, NONLINEAR and PROCEDURE blocks",
                ),
        );
        return;
    }
    if let (Some(m), Some(written)) = (method, s.method.as_ref().or(s.steadystate.as_ref())) {
        if !fits(m, b.kind) {
            diags.push(misfit(s, written, b));
        }
    }
    if b.kind == BlockKind::Derivative && b.span.start < s.span.start {
        diags.push(
            Diagnostic::error(
                s.span,
                format!(
                    "the SOLVE of `{}` must come before its DERIVATIVE block",
                    s.block.name
                ),
            )
            .with_label(b.span, "the DERIVATIVE block is here")
            .with_help("move the BREAKPOINT block above the DERIVATIVE block"),
        );
    }
}

fn misfit(s: &SolveStmt, written: &ast::Ident, b: &BlockInfo) -> Diagnostic {
    let kind = kind_word(b.kind);
    let help = match b.kind {
        BlockKind::Derivative => "use `cnexp` or `derivimplicit` for a DERIVATIVE block",
        BlockKind::Kinetic => "use `sparse` for a KINETIC block",
        BlockKind::Linear => "use `simeq` for a LINEAR block (or write no METHOD)",
        BlockKind::NonLinear => "use `newton` for a NONLINEAR block (or write no METHOD)",
        _ => "a PROCEDURE takes no METHOD (or `after_cvode`, `cvode_t`)",
    };
    Diagnostic::error(
        written.span,
        format!(
            "METHOD `{}` cannot solve the {kind} block `{}`",
            written.name, s.block.name
        ),
    )
    .with_label(b.span, format!("`{}` is a {kind} block", s.block.name))
    .with_help(help)
}

fn kind_word(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Derivative => "DERIVATIVE",
        BlockKind::Kinetic => "KINETIC",
        BlockKind::Linear => "LINEAR",
        BlockKind::NonLinear => "NONLINEAR",
        BlockKind::Procedure => "PROCEDURE",
        _ => "other",
    }
}

fn missing_block(s: &SolveStmt, blocks: &[BlockInfo]) -> Diagnostic {
    let d = Diagnostic::error(
        s.block.span,
        format!("SOLVE names `{}`, but no block has that name", s.block.name),
    );
    let names = blocks.iter().filter_map(|b| b.name.as_deref());
    match suggest::closest(&s.block.name, names) {
        Some(n) => d.with_help(format!("did you mean `{n}`?")),
        None => d.with_help(format!(
            "define it, e.g. `DERIVATIVE {} {{ ... }}`",
            s.block.name
        )),
    }
}
