//! Symbolic algebra on syntax-tree expressions, as nocmodl does it when it
//! writes `cnexp` updates and the coefficient matrices of LINEAR and KINETIC
//! blocks: differentiate with respect to a name, substitute a name by zero, and
//! ask whether an expression mentions a name. Results are new [`Expr`] trees
//! (with the spans of the expression they came from), compiled like any other.

use crate::ast::{BinOp, Expr, Ident, Number, UnOp};
use crate::span::Span;

/// Why an expression could not be differentiated.
#[derive(Debug, Clone, PartialEq)]
pub struct NotDifferentiable {
    pub span: Span,
    pub what: String,
}

/// A number literal.
pub fn num(value: f64, span: Span) -> Expr {
    Expr::Number {
        value: Number {
            value,
            text: value.to_string(),
            span,
        },
        units: None,
    }
}

/// A name use.
pub fn name(text: &str, span: Span) -> Expr {
    Expr::Name(Ident {
        name: text.to_string(),
        span,
    })
}

fn literal(e: &Expr) -> Option<f64> {
    match e {
        Expr::Number { value, .. } => Some(value.value),
        Expr::Paren { inner, .. } => literal(inner),
        _ => None,
    }
}

/// `lhs op rhs`, folding the zeros and ones that differentiation produces.
pub fn bin(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span().cover(rhs.span());
    let (l, r) = (literal(&lhs), literal(&rhs));
    let (l0, r0) = (l == Some(0.0), r == Some(0.0));
    let (l1, r1) = (l == Some(1.0), r == Some(1.0));
    match op {
        BinOp::Add if l0 => return rhs,
        BinOp::Add | BinOp::Sub if r0 => return lhs,
        BinOp::Sub if l0 => return neg(rhs),
        BinOp::Mul if l0 || r0 => return num(0.0, span),
        BinOp::Mul if l1 => return rhs,
        BinOp::Mul | BinOp::Div if r1 => return lhs,
        BinOp::Div if l0 => return num(0.0, span),
        _ => {}
    }
    Expr::Binary {
        op,
        lhs: Box::new(paren(lhs)),
        rhs: Box::new(paren(rhs)),
        span,
    }
}

fn paren(e: Expr) -> Expr {
    match e {
        Expr::Binary { .. } => {
            let span = e.span();
            Expr::Paren {
                inner: Box::new(e),
                span,
            }
        }
        other => other,
    }
}

/// `-e`.
pub fn neg(e: Expr) -> Expr {
    if let Some(x) = literal(&e) {
        return num(-x, e.span());
    }
    let span = e.span();
    Expr::Unary {
        op: UnOp::Neg,
        operand: Box::new(paren(e)),
        span,
    }
}

fn call(f: &str, args: Vec<Expr>, span: Span) -> Expr {
    Expr::Call {
        name: Ident {
            name: f.to_string(),
            span,
        },
        args,
        span,
    }
}

/// Whether `e` mentions `x` (as a name, an element or a call argument).
pub fn contains(e: &Expr, x: &str) -> bool {
    match e {
        Expr::Name(id) => id.name == x,
        Expr::Index { name, index, .. } => name.name == x || contains(index, x),
        Expr::Prime { name, .. } => name.name == x,
        Expr::Call { args, .. } => args.iter().any(|a| contains(a, x)),
        Expr::Unary { operand, .. } => contains(operand, x),
        Expr::Binary { lhs, rhs, .. } => contains(lhs, x) || contains(rhs, x),
        Expr::Paren { inner, .. } => contains(inner, x),
        Expr::Number { .. } | Expr::UnitFactor(_) | Expr::String { .. } => false,
    }
}

/// `e` with every use of `x` replaced by 0.
pub fn subst_zero(e: &Expr, x: &str) -> Expr {
    let rec = |a: &Expr| Box::new(subst_zero(a, x));
    match e {
        Expr::Name(id) if id.name == x => num(0.0, id.span),
        Expr::Call { name, args, span } => Expr::Call {
            name: name.clone(),
            args: args.iter().map(|a| subst_zero(a, x)).collect(),
            span: *span,
        },
        Expr::Unary { op, operand, span } => Expr::Unary {
            op: *op,
            operand: rec(operand),
            span: *span,
        },
        Expr::Binary { op, lhs, rhs, span } => Expr::Binary {
            op: *op,
            lhs: rec(lhs),
            rhs: rec(rhs),
            span: *span,
        },
        Expr::Paren { inner, span } => Expr::Paren {
            inner: rec(inner),
            span: *span,
        },
        other => other.clone(),
    }
}

/// d e / d x.
pub fn diff(e: &Expr, x: &str) -> Result<Expr, NotDifferentiable> {
    let span = e.span();
    if !contains(e, x) {
        return Ok(num(0.0, span));
    }
    match e {
        Expr::Name(_) => Ok(num(1.0, span)),
        Expr::Paren { inner, .. } => diff(inner, x),
        Expr::Unary {
            op: UnOp::Neg,
            operand,
            ..
        } => Ok(neg(diff(operand, x)?)),
        Expr::Binary { op, lhs, rhs, .. } => diff_binary(*op, lhs, rhs, x),
        Expr::Call { name, args, .. } if args.len() == 1 => {
            let inner = diff(&args[0], x)?;
            let outer = diff_call(&name.name, &args[0], span).ok_or_else(|| fail(e, x))?;
            Ok(bin(BinOp::Mul, outer, inner))
        }
        _ => Err(fail(e, x)),
    }
}

fn fail(e: &Expr, x: &str) -> NotDifferentiable {
    NotDifferentiable {
        span: e.span(),
        what: format!("cannot differentiate this expression with respect to `{x}`"),
    }
}

fn diff_binary(op: BinOp, l: &Expr, r: &Expr, x: &str) -> Result<Expr, NotDifferentiable> {
    let (dl, dr) = (diff(l, x)?, diff(r, x)?);
    let (l, r) = (l.clone(), r.clone());
    Ok(match op {
        BinOp::Add => bin(BinOp::Add, dl, dr),
        BinOp::Sub => bin(BinOp::Sub, dl, dr),
        BinOp::Mul => bin(
            BinOp::Add,
            bin(BinOp::Mul, dl, r.clone()),
            bin(BinOp::Mul, l, dr),
        ),
        BinOp::Div => {
            // (dl*r - l*dr)/r^2, written as dl/r - l*dr/(r*r)
            let first = bin(BinOp::Div, dl, r.clone());
            let second = bin(
                BinOp::Div,
                bin(BinOp::Mul, l, dr),
                bin(BinOp::Mul, r.clone(), r),
            );
            bin(BinOp::Sub, first, second)
        }
        BinOp::Pow if !contains(&r, x) => {
            let span = r.span();
            let power = bin(BinOp::Pow, l, bin(BinOp::Sub, r.clone(), num(1.0, span)));
            bin(BinOp::Mul, bin(BinOp::Mul, r, power), dl)
        }
        _ => {
            let e = bin(op, l, r);
            return Err(fail(&e, x));
        }
    })
}

/// The derivative of a one-argument builtin at `a`.
fn diff_call(f: &str, a: &Expr, span: Span) -> Option<Expr> {
    let a1 = || a.clone();
    Some(match f {
        "exp" => call("exp", vec![a1()], span),
        "log" => bin(BinOp::Div, num(1.0, span), a1()),
        "sqrt" => bin(BinOp::Div, num(0.5, span), call("sqrt", vec![a1()], span)),
        "sin" => call("cos", vec![a1()], span),
        "cos" => neg(call("sin", vec![a1()], span)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer;

    fn parse(text: &str) -> Expr {
        let src = format!("BREAKPOINT {{ y = {text} }}");
        for item in crate::parser::parse(&src).program.items {
            if let crate::ast::Item::Breakpoint(b) = item {
                if let Some(crate::ast::Stmt::Assign { rhs, .. }) = b.stmts.into_iter().next() {
                    return rhs;
                }
            }
        }
        panic!("no expression in {text}")
    }

    #[test]
    fn derivative_of_a_gating_equation_is_minus_one_over_tau() {
        let e = parse("(minf - m)/mtau");
        let d = diff(&e, "m").unwrap_or_else(|e| panic!("{}", e.what));
        assert!(!contains(&d, "m"));
        let printed = printer::print_expr(&d);
        assert!(printed.contains("mtau"), "{printed}");
        assert!(contains(&subst_zero(&e, "m"), "minf"));
    }
}
