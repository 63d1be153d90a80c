//! Expressions: precedence climbing over HOC's operator table (NEURON's
//! `parse.ypp`): `=` and `+=`... (right), `||`, `&&`, comparisons, `+ -`,
//! `* / %`, unary `-` and `!`, then `^` (right, binding tighter than unary
//! minus, so `-2^2` is -4), then postfix references `a[i].b(x)`.

use super::{PResult, Parser};
use crate::ast::{BinOp, Expr, ExprKind};
use crate::lexer::Tok;

impl Parser<'_> {
    pub(crate) fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = self.assign();
        self.leave();
        r
    }

    fn assign(&mut self) -> PResult<Expr> {
        let lhs = self.binary(0)?;
        if let Tok::Assign(op) = *self.peek() {
            if !is_lvalue(&lhs) {
                return self.error("an operator (the left side of '=' is not assignable)");
            }
            self.bump();
            let value = self.expr()?;
            let span = lhs.span.cover(value.span);
            return Ok(Expr::new(
                ExprKind::Assign {
                    op,
                    target: Box::new(lhs),
                    value: Box::new(value),
                },
                span,
            ));
        }
        Ok(lhs)
    }

    fn binop(&mut self, level: u8) -> Option<BinOp> {
        let op = match (level, self.peek()) {
            (0, Tok::Or) => BinOp::Or,
            (1, Tok::And) => BinOp::And,
            (2, Tok::Eq) => BinOp::Eq,
            (2, Tok::Ne) => BinOp::Ne,
            (2, Tok::Lt) => BinOp::Lt,
            (2, Tok::Le) => BinOp::Le,
            (2, Tok::Gt) => BinOp::Gt,
            (2, Tok::Ge) => BinOp::Ge,
            (3, Tok::Plus) => BinOp::Add,
            (3, Tok::Minus) => BinOp::Sub,
            (4, Tok::Star) => BinOp::Mul,
            (4, Tok::Slash) => BinOp::Div,
            (4, Tok::Percent) => BinOp::Mod,
            _ => return None,
        };
        Some(op)
    }

    /// Left-associative levels 0..=4; level 5 is unary.
    fn binary(&mut self, level: u8) -> PResult<Expr> {
        if level > 4 {
            return self.unary();
        }
        let mut lhs = self.binary(level + 1)?;
        while let Some(op) = self.binop(level) {
            self.bump();
            let rhs = self.binary(level + 1)?;
            let span = lhs.span.cover(rhs.span);
            lhs = Expr::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span);
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> PResult<Expr> {
        let start = self.span();
        match self.peek() {
            Tok::Minus | Tok::Not => {
                let neg = matches!(self.bump(), Tok::Minus);
                self.enter()?;
                let inner = self.unary();
                self.leave();
                let inner = Box::new(inner?);
                let span = start.cover(inner.span);
                let kind = if neg {
                    ExprKind::Neg(inner)
                } else {
                    ExprKind::Not(inner)
                };
                Ok(Expr::new(kind, span))
            }
            Tok::Plus => {
                self.bump();
                self.unary()
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> PResult<Expr> {
        let base = self.primary()?;
        if matches!(self.peek(), Tok::Caret) {
            self.bump();
            self.enter()?;
            let exp = self.unary();
            self.leave();
            let exp = exp?;
            let span = base.span.cover(exp.span);
            return Ok(Expr::new(
                ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)),
                span,
            ));
        }
        Ok(base)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let start = self.span();
        match self.peek().clone() {
            Tok::Num(v) => {
                self.bump();
                Ok(Expr::new(ExprKind::Num(v), start))
            }
            Tok::Str(s) => {
                self.bump();
                Ok(Expr::new(ExprKind::Str(s), start))
            }
            Tok::LParen => {
                self.bump();
                self.paren += 1;
                let e = self.expr();
                self.paren -= 1;
                let e = e?;
                self.expect(&Tok::RParen, "')'")?;
                Ok(e)
            }
            Tok::Amp => {
                self.bump();
                let inner = self.postfix()?;
                let span = start.cover(inner.span);
                Ok(Expr::new(ExprKind::AddrOf(Box::new(inner)), span))
            }
            Tok::Ident(s) if s == "new" => self.new_expr(),
            Tok::Ident(_) | Tok::Arg(..) => self.postfix(),
            _ => self.error("an expression"),
        }
    }

    fn new_expr(&mut self) -> PResult<Expr> {
        let start = self.span();
        self.bump();
        let template = self.ident("a template name after 'new'")?;
        let args = if matches!(self.peek(), Tok::LParen) {
            self.args()?
        } else {
            return self.error(&format!("'(' after 'new {template}'"));
        };
        let span = start.cover(self.prev_span());
        Ok(Expr::new(ExprKind::New { template, args }, span))
    }

    /// `name[i]...(args)` or `$o1`, then any number of `.member[i](args)`.
    pub(super) fn postfix(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut e = match self.peek().clone() {
            Tok::Arg(kind, n) => {
                self.bump();
                let index = if matches!(self.peek(), Tok::LBracket) {
                    Some(Box::new(self.bracket_expr()?))
                } else {
                    None
                };
                Expr::new(ExprKind::Arg { kind, n, index }, start)
            }
            Tok::Ident(name) if !super::stmt::is_keyword(&name) => {
                self.bump();
                let (indices, args) = self.indices_and_args()?;
                let span = start.cover(self.prev_span());
                Expr::new(
                    ExprKind::Name {
                        name,
                        indices,
                        args,
                    },
                    span,
                )
            }
            _ => return self.error("a name"),
        };
        while matches!(self.peek(), Tok::Dot) {
            self.bump();
            let name = self.ident("a member name after '.'")?;
            let (indices, args) = self.indices_and_args()?;
            let span = start.cover(self.prev_span());
            e = Expr::new(
                ExprKind::Member {
                    base: Box::new(e),
                    name,
                    indices,
                    args,
                },
                span,
            );
        }
        Ok(e)
    }

    fn indices_and_args(&mut self) -> PResult<(Vec<Expr>, Option<Vec<Expr>>)> {
        let mut indices = Vec::new();
        while matches!(self.peek(), Tok::LBracket) {
            indices.push(self.bracket_expr()?);
        }
        let args = if matches!(self.peek(), Tok::LParen) {
            Some(self.args()?)
        } else {
            None
        };
        Ok((indices, args))
    }

    pub(super) fn bracket_expr(&mut self) -> PResult<Expr> {
        self.bump();
        self.paren += 1;
        let e = self.expr();
        self.paren -= 1;
        let e = e?;
        self.expect(&Tok::RBracket, "']' to close the index")?;
        Ok(e)
    }

    /// `(a, b:c, ...)`; the `(` is next.
    fn args(&mut self) -> PResult<Vec<Expr>> {
        self.bump();
        self.paren += 1;
        let r = self.args_inner();
        self.paren -= 1;
        r
    }

    fn args_inner(&mut self) -> PResult<Vec<Expr>> {
        let mut args = Vec::new();
        if self.eat(&Tok::RParen) {
            return Ok(args);
        }
        loop {
            let a = self.expr()?;
            let a = if self.eat(&Tok::Colon) {
                let b = self.expr()?;
                let span = a.span.cover(b.span);
                Expr::new(ExprKind::Interval(Box::new(a), Box::new(b)), span)
            } else {
                a
            };
            args.push(a);
            if self.eat(&Tok::RParen) {
                return Ok(args);
            }
            if !self.eat(&Tok::Comma) {
                return self.error("',' or ')' in the argument list");
            }
        }
    }
}

fn is_lvalue(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Name { .. } | ExprKind::Member { .. } | ExprKind::Arg { .. }
    )
}
