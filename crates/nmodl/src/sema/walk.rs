//! Traversal helpers over the syntax tree shared by the semantic passes: the body of
//! each top-level block, the blocks nested in a statement, every statement of a
//! file, the LOCALs of a block, the text of every VERBATIM block.

use super::model::BlockKind;
use crate::ast::{self, Block, Expr, Item, LValue, Stmt};

/// The text of every VERBATIM block (names declared there are not "undefined").
pub(super) fn verbatim_texts(program: &ast::Program) -> Vec<String> {
    let mut texts = Vec::new();
    for item in &program.items {
        match item {
            Item::Verbatim(v) => texts.push(v.text.clone()),
            Item::Neuron(n) => {
                for s in &n.stmts {
                    if let ast::NeuronStmt::Verbatim(v) = s {
                        texts.push(v.text.clone());
                    }
                }
            }
            _ => {
                if let Some((_, body)) = item_body(item) {
                    collect_verbatim(body, &mut texts);
                }
            }
        }
    }
    texts
}

fn collect_verbatim(block: &Block, out: &mut Vec<String>) {
    for stmt in &block.stmts {
        match stmt {
            Stmt::Verbatim(v) => out.push(v.text.clone()),
            _ => {
                for b in child_blocks(stmt) {
                    collect_verbatim(b, out);
                }
            }
        }
    }
}

pub(super) fn child_blocks(stmt: &Stmt) -> Vec<&Block> {
    match stmt {
        Stmt::If {
            then, otherwise, ..
        } => std::iter::once(then).chain(otherwise.as_ref()).collect(),
        Stmt::While { body, .. }
        | Stmt::FromTo { body, .. }
        | Stmt::ForNetCons { body, .. }
        | Stmt::Initial(body)
        | Stmt::Block(body) => vec![body],
        Stmt::Solve {
            if_error: Some(b), ..
        } => vec![b],
        Stmt::Protect(inner) => child_blocks(inner),
        _ => Vec::new(),
    }
}

/// The block kind and body of a top-level item that has statements.
pub(super) fn item_body(item: &Item) -> Option<(BlockKind, &Block)> {
    Some(match item {
        Item::Initial(b) => (BlockKind::Initial, b),
        Item::Breakpoint(b) => (BlockKind::Breakpoint, b),
        Item::Constructor(b) => (BlockKind::Constructor, b),
        Item::Destructor(b) => (BlockKind::Destructor, b),
        Item::BeforeAfter {
            when: ast::BeforeAfter::Before,
            body,
            ..
        } => (BlockKind::Before, body),
        Item::BeforeAfter { body, .. } => (BlockKind::After, body),
        Item::Derivative(b) => (BlockKind::Derivative, &b.body),
        Item::Kinetic(b) => (BlockKind::Kinetic, &b.body),
        Item::Linear(b) => (BlockKind::Linear, &b.body),
        Item::NonLinear(b) => (BlockKind::NonLinear, &b.body),
        Item::Discrete(b) => (BlockKind::Discrete, &b.body),
        Item::Partial(b) => (BlockKind::Partial, &b.body),
        Item::Procedure(c) => (BlockKind::Procedure, c.body.as_ref()?),
        Item::Function(c) => (BlockKind::Function, c.body.as_ref()?),
        Item::NetReceive(n) => (BlockKind::NetReceive, &n.body),
        _ => return None,
    })
}

/// Calls `f` on every statement of every block, nested ones included.
pub(super) fn for_each_stmt(program: &ast::Program, f: &mut impl FnMut(&Stmt)) {
    for item in &program.items {
        if let Some((_, body)) = item_body(item) {
            visit(body, f);
        }
    }
}

/// Calls `f` on every statement of `block`, nested ones included.
pub(super) fn visit(block: &Block, f: &mut impl FnMut(&Stmt)) {
    for stmt in &block.stmts {
        f(stmt);
        for b in child_blocks(stmt) {
            visit(b, f);
        }
    }
}

/// Every LOCAL declared anywhere in `block`.
pub(super) fn locals_of(block: &Block) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in &block.stmts {
        if let Stmt::Local { names, .. } = stmt {
            out.extend(names.iter().map(|n| n.name.name.clone()));
        }
        for b in child_blocks(stmt) {
            out.extend(locals_of(b));
        }
    }
    out
}

/// The expressions a statement holds directly (not those of nested blocks).
pub(super) fn exprs_of(stmt: &Stmt) -> Vec<&Expr> {
    match stmt {
        Stmt::Assign { lhs, rhs, .. } => match lhs {
            LValue::Index { index, .. } => vec![index.as_ref(), rhs],
            _ => vec![rhs],
        },
        Stmt::Expr(e) | Stmt::If { cond: e, .. } | Stmt::While { cond: e, .. } => vec![e],
        Stmt::FromTo { from, to, by, .. } => [from, to].into_iter().chain(by).collect(),
        Stmt::Table { from, to, with, .. } => vec![from, to, with],
        Stmt::Reaction(r) => {
            let terms = r.lhs.iter().chain(&r.rhs).filter_map(|t| t.index.as_ref());
            terms
                .chain([&r.forward])
                .chain(r.backward.as_ref())
                .collect()
        }
        Stmt::Equation { lhs, rhs, .. } | Stmt::Conserve { lhs, rhs, .. } => vec![lhs, rhs],
        Stmt::Compartment { volume: e, .. } | Stmt::LongitudinalDiffusion { flux: e, .. } => {
            vec![e]
        }
        Stmt::Watch { watches, .. } => watches.iter().flat_map(|(a, b)| [a, b]).collect(),
        Stmt::Protect(inner) => exprs_of(inner),
        _ => Vec::new(),
    }
}

/// Calls `f` on `e` and every expression inside it.
pub(super) fn visit_expr(e: &Expr, f: &mut impl FnMut(&Expr)) {
    f(e);
    match e {
        Expr::Index { index: inner, .. }
        | Expr::Unary { operand: inner, .. }
        | Expr::Paren { inner, .. } => visit_expr(inner, f),
        Expr::Call { args, .. } => args.iter().for_each(|a| visit_expr(a, f)),
        Expr::Binary { lhs, rhs, .. } => {
            visit_expr(lhs, f);
            visit_expr(rhs, f);
        }
        _ => {}
    }
}
