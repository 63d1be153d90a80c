//! Block-level rules nocmodl enforces, each checked against NEURON 9.0.2's
//! translator: a KINETIC block needs a reaction and a DERIVATIVE block a derivative
//! equation; CONSERVE and `<<` fluxes name only STATEs; DESTRUCTOR needs a point
//! process; NET_RECEIVE holds at most one INITIAL; an ion variable cannot be a
//! CONSTANT; a FUNCTION_TABLE has arguments; and `celcius` is a misspelling NEURON
//! refuses.

use super::model::{SymbolKind, SymbolTable};
use super::neuron::NeuronDecls;
use super::walk::visit;
use crate::ast::{self, Block, Expr, Item, LValue, ReactionOp, Stmt};
use crate::diagnostic::Diagnostic;

pub(super) fn check(
    program: &ast::Program,
    neuron: &NeuronDecls,
    symbols: &SymbolTable,
    diags: &mut Vec<Diagnostic>,
) {
    for item in &program.items {
        match item {
            Item::Kinetic(b) => kinetic(b, symbols, diags),
            Item::Derivative(b) => derivative(b, diags),
            Item::Destructor(b) if !neuron.is_point() => diags.push(
                Diagnostic::error(b.span, "DESTRUCTOR is only allowed in a POINT_PROCESS")
                    .with_help("remove it; a density mechanism has no instances to destroy"),
            ),
            Item::NetReceive(n) => net_receive_initials(n, diags),
            Item::Constant(c) => ion_constants(c, neuron, diags),
            Item::FunctionTable(c) if c.params.is_empty() => diags.push(
                Diagnostic::error(
                    c.name.span,
                    format!(
                        "FUNCTION_TABLE `{}` must have at least one argument",
                        c.name.name
                    ),
                )
                .with_help(format!("e.g. `FUNCTION_TABLE {}(v (mV))`", c.name.name)),
            ),
            _ => {}
        }
    }
    if let Some(s) = symbols.get("celcius") {
        diags.push(
            Diagnostic::error(s.span, "`celcius` should be spelled `celsius`")
                .with_note("NEURON refuses the misspelling"),
        );
    }
}

fn kinetic(b: &ast::NamedBlock, symbols: &SymbolTable, diags: &mut Vec<Diagnostic>) {
    let mut reactions = 0;
    visit(&b.body, &mut |stmt| match stmt {
        Stmt::Reaction(r) => {
            reactions += 1;
            if r.op == ReactionOp::Flux {
                for term in &r.lhs {
                    require_state(&term.name, "a `<<` flux", symbols, diags);
                }
            }
        }
        Stmt::Conserve { lhs, .. } => {
            let mut names = Vec::new();
            names_in(lhs, &mut names);
            for name in names {
                require_state(name, "a CONSERVE equation", symbols, diags);
            }
        }
        _ => {}
    });
    if reactions == 0 {
        diags.push(
            Diagnostic::error(
                b.name.span,
                format!("KINETIC `{}` contains no reactions", b.name.name),
            )
            .with_help("write reactions as `~ A <-> B (kf, kb)`"),
        );
    }
}

fn derivative(b: &ast::NamedBlock, diags: &mut Vec<Diagnostic>) {
    let mut primes = 0;
    visit(&b.body, &mut |stmt| {
        if let Stmt::Assign {
            lhs: LValue::Prime { .. },
            ..
        } = stmt
        {
            primes += 1;
        }
    });
    if primes == 0 {
        diags.push(
            Diagnostic::error(
                b.name.span,
                format!(
                    "DERIVATIVE `{}` contains no derivative equations",
                    b.name.name
                ),
            )
            .with_help("write one for each STATE it solves: `m' = (minf - m)/mtau`"),
        );
    }
}

fn require_state(
    name: &ast::Ident,
    what: &str,
    symbols: &SymbolTable,
    diags: &mut Vec<Diagnostic>,
) {
    let kind = symbols.get(&name.name).map(|s| &s.kind);
    if !matches!(kind, Some(SymbolKind::State { .. }) | None) {
        diags.push(Diagnostic::error(
            name.span,
            format!("`{}` must be a STATE to appear in {what}", name.name),
        ));
    }
}

fn net_receive_initials(n: &ast::NetReceive, diags: &mut Vec<Diagnostic>) {
    let initials: Vec<&Block> = n
        .body
        .stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Initial(b) => Some(b),
            _ => None,
        })
        .collect();
    if let [first, second, ..] = initials.as_slice() {
        diags.push(
            Diagnostic::error(
                second.span,
                "NET_RECEIVE can contain only one INITIAL block",
            )
            .with_label(first.span, "the first INITIAL is here"),
        );
    }
}

fn ion_constants(
    c: &ast::DeclBlock<ast::ConstDecl>,
    neuron: &NeuronDecls,
    diags: &mut Vec<Diagnostic>,
) {
    for decl in &c.decls {
        let is_ion = neuron.ions.iter().any(|ion| {
            ion.reads
                .iter()
                .chain(&ion.writes)
                .any(|v| v.name == decl.name.name && !v.implicit)
        });
        if is_ion {
            diags.push(
                Diagnostic::error(
                    decl.name.span,
                    format!("ion variable `{}` cannot be a CONSTANT", decl.name.name),
                )
                .with_help("declare it in PARAMETER or ASSIGNED"),
            );
        }
    }
}

/// The names (plain or indexed) in an expression.
fn names_in<'e>(e: &'e Expr, out: &mut Vec<&'e ast::Ident>) {
    match e {
        Expr::Name(id) | Expr::Index { name: id, .. } => out.push(id),
        Expr::Binary { lhs, rhs, .. } => {
            names_in(lhs, out);
            names_in(rhs, out);
        }
        Expr::Unary { operand: inner, .. } | Expr::Paren { inner, .. } => names_in(inner, out),
        _ => {}
    }
}
