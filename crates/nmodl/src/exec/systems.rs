//! Lowering KINETIC and LINEAR blocks into the implicit systems of
//! [`super::solve`]: reactions become mass-action terms over the block's
//! STATEs (other names are constants of the rate), CONSERVE replaces a row,
//! COMPARTMENT gives volumes; LINEAR equations get their coefficients by
//! symbolic differentiation.

use super::blocks::state_column;
use super::ir::{Fn1, Op, Src};
use super::lower::{Lower, Lowered};
use super::solve::{Conserve, KineticSystem, LinearSystem, Reaction};
use super::symbolic::{self, bin, contains, diff, num};
use crate::ast::{BinOp, Expr, NamedBlock, Stmt};
use crate::diagnostic::Diagnostic;
use crate::sema::SymbolKind;
use crate::span::Span;
use std::collections::HashMap;

/// Collects the states of a KINETIC block and lowers its rates.
struct KineticBuilder {
    states: Vec<u32>,
    pos: HashMap<u32, usize>,
}

impl KineticBuilder {
    fn position(&mut self, lower: &Lower<'_>, name: &str, span: Span) -> Lowered<usize> {
        let c = state_column(lower, name, span)?;
        Ok(*self.pos.entry(c).or_insert_with(|| {
            self.states.push(c);
            self.states.len() - 1
        }))
    }
}

pub(crate) fn kinetic(lower: &mut Lower<'_>, k: &NamedBlock, steady: bool) -> Lowered<Op> {
    lower.push_barrier();
    let mut b = KineticBuilder {
        states: Vec::new(),
        pos: HashMap::new(),
    };
    let mut sys = KineticSystem {
        states: Vec::new(),
        rate_ops: Vec::new(),
        reactions: Vec::new(),
        fluxes: Vec::new(),
        conserve: Vec::new(),
        volumes: Vec::new(),
        linear: true,
        steady,
        secondorder: lower.layout.builtin(crate::sema::BuiltinVar::SecondOrder),
    };
    let mut volumes = HashMap::new();
    let mut ops = Vec::new();
    for s in &k.body.stmts {
        kinetic_stmt(lower, &mut b, &mut sys, &mut volumes, s, &mut ops)?;
    }
    lower.pop_scope();
    sys.rate_ops = ops;
    sys.volumes = b
        .states
        .iter()
        .map(|c| volumes.get(c).copied().unwrap_or(Src::K(1.0)))
        .collect();
    // sys.linear is nocmodl's `_linmat`, cleared by `reaction` for a
    // reaction whose Jacobian has a product of terms; rates and `<<` fluxes
    // that depend on states do not clear it (NEURON then takes one step)
    sys.states = b.states;
    lower.systems.kinetic.push(sys);
    Ok(Op::Kinetic {
        system: lower.systems.kinetic.len() - 1,
    })
}

fn kinetic_stmt(
    lower: &mut Lower<'_>,
    b: &mut KineticBuilder,
    sys: &mut KineticSystem,
    volumes: &mut HashMap<u32, Src>,
    s: &Stmt,
    ops: &mut Vec<Op>,
) -> Lowered<()> {
    match s {
        Stmt::Reaction(r) => reaction(lower, b, sys, r, ops),
        Stmt::Conserve { lhs, rhs, span } => {
            let mut terms = Vec::new();
            sum_terms(lhs, 1.0, &mut terms, *span)?;
            let mut positioned = Vec::new();
            for (name, coef) in terms {
                positioned.push((b.position(lower, &name, *span)?, coef));
            }
            let total = lower.expr(rhs, None, ops)?;
            let total = lower.keep(total, ops);
            let used: Vec<usize> = sys.conserve.iter().map(|c| c.row).collect();
            let row = positioned
                .iter()
                .rev()
                .map(|t| t.0)
                .find(|r| !used.contains(r))
                .ok_or_else(|| Diagnostic::error(*span, "CONSERVE has no state left to replace"))?;
            sys.conserve.push(Conserve {
                row,
                terms: positioned,
                total,
            });
            Ok(())
        }
        Stmt::FromTo {
            var,
            from,
            to,
            by,
            body,
            span,
        } => {
            let Some(values) = lower.unrollable([from, to], by.as_ref())? else {
                return Err(Diagnostic::error(
                    *span,
                    "a FROM loop in a KINETIC block needs bounds known at load time",
                ));
            };
            for x in values {
                lower.push_scope();
                lower.bind_const(&var.name, x);
                let done = body
                    .stmts
                    .iter()
                    .try_for_each(|s| kinetic_stmt(lower, b, sys, volumes, s, ops));
                lower.pop_scope();
                done?;
            }
            Ok(())
        }
        Stmt::Compartment {
            index: Some(i),
            volume,
            states,
            ..
        } => {
            for st in states {
                let len = lower.mech.symbols.get(&st.name).and_then(|s| s.length);
                for j in 0..len.unwrap_or(0) {
                    lower.push_scope();
                    lower.bind_const(&i.name, f64::from(j));
                    let v = lower.expr(volume, None, ops);
                    lower.pop_scope();
                    let v = lower.keep(v?, ops);
                    let c = state_column(lower, &format!("{}[{j}]", st.name), st.span)?;
                    volumes.insert(c, v);
                }
            }
            Ok(())
        }
        Stmt::Compartment { volume, states, .. } => {
            let v = lower.expr(volume, None, ops)?;
            let v = lower.keep(v, ops);
            for st in states {
                for name in elements(lower, &st.name) {
                    let c = state_column(lower, &name, st.span)?;
                    volumes.insert(c, v);
                }
            }
            Ok(())
        }
        // diffusion along the cable is solved apart (super::diffusion)
        Stmt::LongitudinalDiffusion { .. } => Ok(()),
        other => lower.stmt(other, None, ops),
    }
}

/// One reaction. Terms that are not STATEs are constants of the mass-action
/// law (they multiply the rate); `f_flux` and `b_flux` are bound to the
/// reaction's fluxes for the statements after it, as in nocmodl.
fn reaction(
    lower: &mut Lower<'_>,
    b: &mut KineticBuilder,
    sys: &mut KineticSystem,
    r: &crate::ast::Reaction,
    ops: &mut Vec<Op>,
) -> Lowered<()> {
    let (lhs, f_const) = split_terms(lower, b, &r.lhs)?;
    let (rhs, b_const) = split_terms(lower, b, &r.rhs)?;
    // nocmodl's genmatterms: a side with a STATE whose terms (STATEs or
    // not, counted with their stoichiometry) number two or more puts a
    // product into the Jacobian, and the scheme is no longer linear
    if r.op != crate::ast::ReactionOp::Flux {
        for (states, consts) in [(&lhs, &f_const), (&rhs, &b_const)] {
            let count: f64 = states
                .iter()
                .map(|t| t.1)
                .chain(consts.iter().map(|t| t.1))
                .sum();
            if !states.is_empty() && count >= 2.0 {
                sys.linear = false;
            }
        }
    }
    let forward = times(r.forward.clone(), &f_const);
    let kf = lower.expr(&forward, None, ops)?;
    let kf = lower.keep(kf, ops);
    if r.op == crate::ast::ReactionOp::Flux {
        for &(i, _) in &lhs {
            sys.fluxes.push((i, kf));
        }
        // nocmodl: f_flux = 0, b_flux = the flux
        for (name, value) in [("f_flux", Src::K(0.0)), ("b_flux", kf)] {
            let reg = lower.bind(name, ops);
            lower.store(reg, value, None, ops);
        }
        return Ok(());
    }
    let backward = r.backward.as_ref().map(|e| times(e.clone(), &b_const));
    let kb = match &backward {
        Some(e) => {
            let v = lower.expr(e, None, ops)?;
            Some(lower.keep(v, ops))
        }
        None => None,
    };
    let fluxes = [
        ("f_flux", Some(forward), state_terms(lower, &r.lhs)?),
        ("b_flux", backward, state_terms(lower, &r.rhs)?),
    ];
    for (name, rate, states) in fluxes {
        let flux = times(rate.unwrap_or_else(|| num(0.0, r.span)), &states);
        let v = lower.expr(&flux, None, ops)?;
        let reg = lower.bind(name, ops);
        lower.store(reg, v, None, ops);
    }
    sys.reactions.push(Reaction { lhs, rhs, kf, kb });
    Ok(())
}

/// The names of `name`'s elements if it is an array, else `name`.
fn elements(lower: &Lower<'_>, name: &str) -> Vec<String> {
    match lower.mech.symbols.get(name).and_then(|s| s.length) {
        Some(n) => (0..n).map(|j| format!("{name}[{j}]")).collect(),
        None => vec![name.to_string()],
    }
}

/// The name of a reaction term: `ca[3]` for `ca[i]` with i = 3.
fn term_name(lower: &mut Lower<'_>, t: &crate::ast::ReactTerm) -> Lowered<String> {
    let Some(index) = &t.index else {
        return Ok(t.name.name.clone());
    };
    let mut scratch = Vec::new();
    match lower.expr(index, None, &mut scratch)? {
        Src::K(x) if x >= 0.0 && x.fract() == 0.0 => Ok(format!("{}[{x}]", t.name.name)),
        _ => Err(Diagnostic::error(
            t.span,
            "a reaction term's index must be known at load time",
        )),
    }
}

/// The STATE terms of a reaction side as (name, stoichiometry).
fn state_terms(
    lower: &mut Lower<'_>,
    terms: &[crate::ast::ReactTerm],
) -> Lowered<Vec<(String, f64)>> {
    let mut out = Vec::new();
    for t in terms {
        if !is_state(lower, &t.name.name) {
            continue;
        }
        out.push((
            term_name(lower, t)?,
            t.stoich.as_ref().map_or(1.0, |n| n.value),
        ));
    }
    Ok(out)
}

fn is_state(lower: &Lower<'_>, name: &str) -> bool {
    matches!(
        lower.mech.symbols.get(name).map(|s| &s.kind),
        Some(SymbolKind::State { .. })
    )
}

/// A reaction side: its STATE terms (position, stoichiometry) and its other
/// terms (name, stoichiometry).
type Terms = (Vec<(usize, f64)>, Vec<(String, f64)>);

fn split_terms(
    lower: &mut Lower<'_>,
    b: &mut KineticBuilder,
    terms: &[crate::ast::ReactTerm],
) -> Lowered<Terms> {
    let (mut states, mut constants) = (Vec::new(), Vec::new());
    for t in terms {
        let nu = t.stoich.as_ref().map_or(1.0, |n| n.value);
        let name = term_name(lower, t)?;
        if is_state(lower, &t.name.name) {
            states.push((b.position(lower, &name, t.span)?, nu));
        } else {
            constants.push((name, nu));
        }
    }
    Ok((states, constants))
}

/// `rate * a^νa * b^νb ...`.
fn times(rate: Expr, factors: &[(String, f64)]) -> Expr {
    factors.iter().fold(rate, |acc, (name, nu)| {
        let span = acc.span();
        let x = symbolic::name(name, span);
        let factor = if *nu == 1.0 {
            x
        } else {
            bin(BinOp::Pow, x, num(*nu, span))
        };
        bin(BinOp::Mul, acc, factor)
    })
}

/// `a + 2*b + c` as (name, coefficient) pairs.
fn sum_terms(e: &Expr, sign: f64, out: &mut Vec<(String, f64)>, span: Span) -> Lowered<()> {
    match e {
        Expr::Paren { inner, .. } => sum_terms(inner, sign, out, span),
        Expr::Binary {
            op: op @ (BinOp::Add | BinOp::Sub),
            lhs,
            rhs,
            ..
        } => {
            sum_terms(lhs, sign, out, span)?;
            let s = if *op == BinOp::Sub { -sign } else { sign };
            sum_terms(rhs, s, out, span)
        }
        Expr::Name(id) => {
            out.push((id.name.clone(), sign));
            Ok(())
        }
        Expr::Binary {
            op: BinOp::Mul,
            lhs,
            rhs,
            ..
        } => match (lhs.as_ref(), rhs.as_ref()) {
            (Expr::Number { value, .. }, Expr::Name(id)) => {
                out.push((id.name.clone(), sign * value.value));
                Ok(())
            }
            _ => Err(Diagnostic::error(span, "CONSERVE terms must be `n*state`")),
        },
        _ => Err(Diagnostic::error(span, "CONSERVE terms must be `n*state`")),
    }
}

/// A LINEAR block: coefficients by symbolic differentiation of each equation.
pub(crate) fn linear(lower: &mut Lower<'_>, l: &NamedBlock) -> Lowered<Op> {
    let (unknowns, cols) = system_unknowns(lower, l)?;
    lower.push_barrier();
    let mut ops = Vec::new();
    let mut rows = Vec::new();
    for s in &l.body.stmts {
        match s {
            Stmt::Equation { lhs, rhs, .. } => {
                rows.push(equation_row(lower, lhs, rhs, &unknowns, &mut ops)?);
            }
            other => lower.stmt(other, None, &mut ops)?,
        }
    }
    lower.pop_scope();
    lower.systems.linear.push(LinearSystem {
        unknowns: cols,
        coef_ops: ops,
        rows,
    });
    Ok(Op::Linear {
        system: lower.systems.linear.len() - 1,
    })
}

/// A NONLINEAR block (nocmodl's `newton`): `lhs − rhs` of every equation
/// is driven to zero over the unknowns (SOLVEFOR, or the STATEs the
/// equations name) by the Newton iteration derivimplicit uses.
pub(crate) fn nonlinear(lower: &mut Lower<'_>, n: &NamedBlock) -> Lowered<Op> {
    let (_, cols) = system_unknowns(lower, n)?;
    lower.push_barrier();
    let mut body = Vec::new();
    let mut residuals = Vec::new();
    for s in &n.body.stmts {
        match s {
            Stmt::Equation { lhs, rhs, .. } => {
                let r = bin(BinOp::Sub, lhs.clone(), rhs.clone());
                let v = lower.expr(&r, None, &mut body)?;
                residuals.push(lower.keep(v, &mut body));
            }
            other => lower.stmt(other, None, &mut body)?,
        }
    }
    lower.pop_scope();
    if residuals.len() != cols.len() {
        return Err(Diagnostic::error(
            n.span,
            format!(
                "NONLINEAR {} has {} equations for {} unknowns",
                n.name.name,
                residuals.len(),
                cols.len()
            ),
        ));
    }
    lower.systems.implicit.push(super::solve::ImplicitSystem {
        states: cols,
        derivs: residuals,
        body,
        secondorder: lower.layout.builtin(crate::sema::BuiltinVar::SecondOrder),
        steady: false,
        nonlinear: true,
    });
    Ok(Op::Implicit {
        system: lower.systems.implicit.len() - 1,
    })
}

/// The unknowns of a LINEAR or NONLINEAR block and their state columns: its
/// SOLVEFOR names, or else every STATE one of its equations mentions.
fn system_unknowns(lower: &Lower<'_>, b: &NamedBlock) -> Lowered<(Vec<String>, Vec<u32>)> {
    let unknowns: Vec<String> = if b.solvefor.is_empty() {
        let states = lower
            .mech
            .symbols
            .iter()
            .filter(|s| matches!(s.kind, SymbolKind::State { .. }));
        states
            .filter(|s| b.body.stmts.iter().any(|st| equation_mentions(st, &s.name)))
            .map(|s| s.name.clone())
            .collect()
    } else {
        b.solvefor.iter().map(|i| i.name.clone()).collect()
    };
    let cols = unknowns
        .iter()
        .map(|n| state_column(lower, n, b.span))
        .collect::<Lowered<Vec<u32>>>()?;
    Ok((unknowns, cols))
}

fn equation_mentions(s: &Stmt, name: &str) -> bool {
    matches!(s, Stmt::Equation { lhs, rhs, .. } if contains(lhs, name) || contains(rhs, name))
}

type Row = (Vec<(usize, Src)>, Src);

fn equation_row(
    lower: &mut Lower<'_>,
    lhs: &Expr,
    rhs: &Expr,
    unknowns: &[String],
    ops: &mut Vec<Op>,
) -> Lowered<Row> {
    let r = bin(BinOp::Sub, lhs.clone(), rhs.clone());
    let mut coefs = Vec::new();
    let mut constant = r.clone();
    for (j, x) in unknowns.iter().enumerate() {
        let c = diff(&r, x).map_err(|e| Diagnostic::error(e.span, e.what))?;
        if unknowns.iter().any(|u| contains(&c, u)) {
            return Err(Diagnostic::error(lhs.span(), "this equation is not linear"));
        }
        constant = symbolic::subst_zero(&constant, x);
        if matches!(&c, Expr::Number { value, .. } if value.value == 0.0) {
            continue;
        }
        let v = lower.expr(&c, None, ops)?;
        coefs.push((j, lower.keep(v, ops)));
    }
    let k = lower.expr(&constant, None, ops)?;
    let minus = lower.un(Fn1::Neg, k, ops);
    Ok((coefs, lower.keep(minus, ops)))
}
