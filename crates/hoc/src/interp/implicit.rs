//! Implicit declarations. NEURON declares a name as a number variable when it
//! *parses* an assignment to it (`x = 1` inside a `proc` makes `x` exist, as
//! 0, before the `proc` runs); inside a template the variable belongs to each
//! instance. This module finds those names in a syntax tree: plain names
//! assigned or used as loop variables, minus the function's `local`s.

use crate::ast::{Expr, ExprKind, Stmt, StmtKind};
use std::collections::BTreeSet;

/// Names a function body or statement assigns, minus its locals and minus
/// the range variables of mechanisms it inserts (`gbar_kdr` after `insert
/// kdr`: NEURON knew those names from the loaded mechanisms).
pub(crate) fn assigned_names(stmt: &Stmt) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut locals = BTreeSet::new();
    walk_stmt(stmt, &mut out, &mut locals);
    let mut mechs = BTreeSet::new();
    inserted(stmt, &mut mechs);
    out.retain(|n| !locals.contains(n) && !mechs.iter().any(|m| is_mech_var(n, m)));
    out
}

pub(crate) fn is_mech_var(name: &str, mech: &str) -> bool {
    if let Some(ion) = mech.strip_suffix("_ion") {
        return [
            format!("e{ion}"),
            format!("{ion}i"),
            format!("{ion}o"),
            format!("i{ion}"),
        ]
        .iter()
        .any(|v| v == name);
    }
    name.len() > mech.len() + 1
        && name.ends_with(mech)
        && name[..name.len() - mech.len()].ends_with('_')
}

/// Mechanisms named by `insert` anywhere in `s`.
pub(crate) fn inserted(s: &Stmt, out: &mut BTreeSet<String>) {
    match &s.kind {
        StmtKind::Insert(m) => {
            out.insert(m.clone());
        }
        StmtKind::Block(b) => b.iter().for_each(|s| inserted(s, out)),
        StmtKind::If { then, els, .. } => {
            inserted(then, out);
            if let Some(e) = els {
                inserted(e, out);
            }
        }
        StmtKind::While { body, .. }
        | StmtKind::ForC { body, .. }
        | StmtKind::ForRange { body, .. }
        | StmtKind::ForSeg { body, .. }
        | StmtKind::Forall(body)
        | StmtKind::Forsec { body, .. }
        | StmtKind::Ifsec { body, .. }
        | StmtKind::SecScope { body, .. } => inserted(body, out),
        StmtKind::ForIter { body, .. } => inserted(body, out),
        StmtKind::Func(f) => inserted(&f.body, out),
        _ => {}
    }
}

fn target_name(e: &Expr, out: &mut BTreeSet<String>) {
    if let ExprKind::Name {
        name, args: None, ..
    } = &e.kind
    {
        out.insert(name.clone());
    }
}

fn walk_stmt(s: &Stmt, out: &mut BTreeSet<String>, locals: &mut BTreeSet<String>) {
    match &s.kind {
        StmtKind::Expr { expr, .. } => walk_expr(expr, out),
        StmtKind::Print(es) => es.iter().for_each(|e| walk_expr(e, out)),
        StmtKind::Block(b) => b.iter().for_each(|s| walk_stmt(s, out, locals)),
        StmtKind::If { cond, then, els } => {
            walk_expr(cond, out);
            walk_stmt(then, out, locals);
            if let Some(e) = els {
                walk_stmt(e, out, locals);
            }
        }
        StmtKind::While { cond, body } => {
            walk_expr(cond, out);
            walk_stmt(body, out, locals);
        }
        StmtKind::ForC {
            init, step, body, ..
        } => {
            for s in [init, step].into_iter().flatten() {
                walk_stmt(s, out, locals);
            }
            walk_stmt(body, out, locals);
        }
        StmtKind::ForRange { var, body, .. } | StmtKind::ForSeg { var, body, .. } => {
            target_name(var, out);
            walk_stmt(body, out, locals);
        }
        StmtKind::ForIter { body, .. } => walk_stmt(body, out, locals),
        StmtKind::Forall(body)
        | StmtKind::Forsec { body, .. }
        | StmtKind::Ifsec { body, .. }
        | StmtKind::SecScope { body, .. } => walk_stmt(body, out, locals),
        StmtKind::Return(Some(e)) => walk_expr(e, out),
        StmtKind::Local(ds) | StmtKind::LocalObj(ds) => {
            locals.extend(ds.iter().map(|d| d.name.clone()));
        }
        _ => {}
    }
}

fn walk_expr(e: &Expr, out: &mut BTreeSet<String>) {
    match &e.kind {
        ExprKind::Assign { target, value, .. } => {
            target_name(target, out);
            walk_expr(value, out);
        }
        ExprKind::Binary(_, a, b) => {
            walk_expr(a, out);
            walk_expr(b, out);
        }
        ExprKind::Neg(a) | ExprKind::Not(a) => walk_expr(a, out),
        ExprKind::AddrOf(a) => target_name(a, out),
        ExprKind::Name {
            args: Some(args), ..
        }
        | ExprKind::Member {
            args: Some(args), ..
        }
        | ExprKind::New { args, .. } => args.iter().for_each(|a| walk_expr(a, out)),
        _ => {}
    }
}
