//! Expressions, with NEURON's precedence (loosest first): `||`, `&&`, the comparisons,
//! `+ -`, `* /`, unary `-` and `!`, then `^` (right-associative, and binding tighter
//! than unary minus, so `-x^2` is `-(x^2)` and `2^-x` is `2^(-x)`).
//! A number followed by `(` carries units: `0.062 (/mV)`.

use super::input::{deeper, expect, fail, name, opt_units, tok, unsigned, PResult, Toks};
use crate::ast::{BinOp, Expr, Ident, UnOp};
use crate::lexer::TokenKind;
use crate::span::Span;

/// A whole expression.
pub(crate) fn expr(i: Toks<'_>) -> PResult<'_, Expr> {
    deeper(i, or_expr)
}

/// Parses one left-associative level: `next (op next)*`.
fn left_assoc<'a>(
    i: Toks<'a>,
    next: fn(Toks<'a>) -> PResult<'a, Expr>,
    op_of: fn(TokenKind) -> Option<BinOp>,
) -> PResult<'a, Expr> {
    let (mut i, mut lhs) = next(i)?;
    while let Some(op) = i.kind().and_then(op_of) {
        let what = || format!("an expression after `{}`", op.as_str());
        let (rest, rhs) = expect(what, next)(i.advance(1))?;
        i = rest;
        lhs = binary(op, lhs, rhs);
    }
    Ok((i, lhs))
}

fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span().cover(rhs.span());
    Expr::Binary {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
        span,
    }
}

fn or_expr(i: Toks<'_>) -> PResult<'_, Expr> {
    left_assoc(i, and_expr, |k| (k == TokenKind::OrOr).then_some(BinOp::Or))
}

fn and_expr(i: Toks<'_>) -> PResult<'_, Expr> {
    left_assoc(i, cmp_expr, |k| {
        (k == TokenKind::AndAnd).then_some(BinOp::And)
    })
}

fn cmp_expr(i: Toks<'_>) -> PResult<'_, Expr> {
    left_assoc(i, add_expr, comparison_op)
}

/// The comparison operator a token is, if any.
pub(crate) fn comparison_op(k: TokenKind) -> Option<BinOp> {
    Some(match k {
        TokenKind::Lt => BinOp::Lt,
        TokenKind::Le => BinOp::Le,
        TokenKind::Gt => BinOp::Gt,
        TokenKind::Ge => BinOp::Ge,
        TokenKind::EqEq => BinOp::Eq,
        TokenKind::Ne => BinOp::Ne,
        _ => return None,
    })
}

/// `+` and `-` (also used by CONSERVE and linear equations).
pub(crate) fn add_expr(i: Toks<'_>) -> PResult<'_, Expr> {
    left_assoc(i, mul_expr, |k| match k {
        TokenKind::Plus => Some(BinOp::Add),
        TokenKind::Minus => Some(BinOp::Sub),
        _ => None,
    })
}

fn mul_expr(i: Toks<'_>) -> PResult<'_, Expr> {
    left_assoc(i, unary, |k| match k {
        TokenKind::Star => Some(BinOp::Mul),
        TokenKind::Slash => Some(BinOp::Div),
        _ => None,
    })
}

fn unary(i: Toks<'_>) -> PResult<'_, Expr> {
    let op = match i.kind() {
        Some(TokenKind::Minus) => UnOp::Neg,
        Some(TokenKind::Not) => UnOp::Not,
        _ => return power(i),
    };
    let start = i.span();
    let what = if op == UnOp::Neg { "`-`" } else { "`!`" };
    let (i, operand) = deeper(i.advance(1), |i| {
        expect(|| format!("an expression after {what}"), unary)(i)
    })?;
    let span = start.cover(operand.span());
    let e = Expr::Unary {
        op,
        operand: Box::new(operand),
        span,
    };
    Ok((i, e))
}

fn power(i: Toks<'_>) -> PResult<'_, Expr> {
    let (i, base) = primary(i)?;
    if i.kind() != Some(TokenKind::Caret) {
        return Ok((i, base));
    }
    let (i, exp) = deeper(i.advance(1), |i| {
        expect("an expression after `^`", unary)(i)
    })?;
    Ok((i, binary(BinOp::Pow, base, exp)))
}

fn primary(i: Toks<'_>) -> PResult<'_, Expr> {
    match i.kind() {
        Some(TokenKind::Integer | TokenKind::Real) => number(i),
        Some(TokenKind::Name) => name_expr(i),
        Some(TokenKind::Prime) => {
            let (i, (name, order, span)) = prime(i)?;
            Ok((i, Expr::Prime { name, order, span }))
        }
        Some(TokenKind::LParen) => paren(i),
        _ => fail(i, "an expression"),
    }
}

fn number(i: Toks<'_>) -> PResult<'_, Expr> {
    let (i, value) = unsigned(i)?;
    let (i, units) = opt_units(i)?;
    Ok((i, Expr::Number { value, units }))
}

fn paren(i: Toks<'_>) -> PResult<'_, Expr> {
    let open = i.span();
    let (i, inner) = expect("an expression after `(`", expr)(i.advance(1))?;
    let (i, close) = close(i, "`)`", open)?;
    let e = Expr::Paren {
        inner: Box::new(inner),
        span: open.cover(close),
    };
    Ok((i, e))
}

/// The closing token `what` of something opened at `open`.
pub(crate) fn close<'a>(i: Toks<'a>, what: &str, open: Span) -> PResult<'a, Span> {
    let kind = match what {
        "`]`" => TokenKind::RBracket,
        "`}`" => TokenKind::RBrace,
        _ => TokenKind::RParen,
    };
    let cx = i.cx;
    let msg = || {
        format!(
            "{what} to match the one opened at {}",
            cx.line_col(open.start)
        )
    };
    let note = match kind {
        TokenKind::RBracket => "the `[` opened here",
        TokenKind::RBrace => "the `{` opened here",
        _ => "the `(` opened here",
    };
    expect(msg, tok(kind))(i).map_err(|e| {
        e.map(|mut e| {
            e.opened = Some((open, note));
            e
        })
    })
}

/// A prime token `m'` split into the name and the number of primes.
pub(crate) fn prime(i: Toks<'_>) -> PResult<'_, (Ident, u8, Span)> {
    let Some(t) = i.first().filter(|t| t.kind == TokenKind::Prime) else {
        return fail(i, "a derivative such as `m'`");
    };
    let text = i.cx.text(t.span);
    let base = text.trim_end_matches('\'');
    let order = (text.len() - base.len()).min(u8::MAX as usize) as u8;
    let ident = Ident {
        name: base.to_string(),
        span: Span::new(t.span.start as usize, t.span.start as usize + base.len()),
    };
    Ok((i.advance(1), (ident, order, t.span)))
}

/// `name`, `name[index]` or `name(args)`.
fn name_expr(i: Toks<'_>) -> PResult<'_, Expr> {
    let (i, id) = name(i)?;
    match i.kind() {
        Some(TokenKind::LParen) => call_rest(i, id),
        Some(TokenKind::LBracket) => {
            let (i, (index, span)) = index_rest(i, &id)?;
            let e = Expr::Index {
                name: id,
                index: Box::new(index),
                span,
            };
            Ok((i, e))
        }
        _ => Ok((i, Expr::Name(id))),
    }
}

/// `[ expr ]` after a name; returns the index and the span from the name.
pub(crate) fn index_rest<'a>(i: Toks<'a>, id: &Ident) -> PResult<'a, (Expr, Span)> {
    let open = i.span();
    let (i, index) = expect("an index expression after `[`", expr)(i.advance(1))?;
    let (i, close) = close(i, "`]`", open)?;
    Ok((i, (index, id.span.cover(close))))
}

/// `( args )` after a function name.
pub(crate) fn call_rest<'a>(i: Toks<'a>, id: Ident) -> PResult<'a, Expr> {
    let open = i.span();
    let mut i = i.advance(1);
    let mut args = Vec::new();
    if i.kind() != Some(TokenKind::RParen) {
        loop {
            let (rest, arg) = expect("an argument", call_arg)(i)?;
            args.push(arg);
            i = rest;
            if i.kind() != Some(TokenKind::Comma) {
                break;
            }
            i = i.advance(1);
        }
    }
    let (i, close) = close(i, "`)`", open)?;
    let span = id.span.cover(close);
    Ok((
        i,
        Expr::Call {
            name: id,
            args,
            span,
        },
    ))
}

fn call_arg(i: Toks<'_>) -> PResult<'_, Expr> {
    match i.first() {
        Some(t) if t.kind == TokenKind::String => {
            let text = i.cx.text(t.span);
            let inner = text
                .strip_prefix('"')
                .map(|s| s.strip_suffix('"').unwrap_or(s))
                .unwrap_or(text);
            let e = Expr::String {
                text: inner.to_string(),
                span: t.span,
            };
            Ok((i.advance(1), e))
        }
        _ => expr(i),
    }
}
