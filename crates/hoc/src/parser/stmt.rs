//! Statements, declarations, function definitions and templates.

use super::{PResult, Parser};
use crate::ast::{Decl, Expr, ExprKind, FuncDef, FuncKind, Stmt, StmtKind, TemplateDef};
use crate::lexer::Tok;
use std::rc::Rc;

/// Names that start a statement and can never be an expression.
const KEYWORDS: &[&str] = &[
    "if",
    "else",
    "while",
    "for",
    "break",
    "continue",
    "stop",
    "return",
    "print",
    "local",
    "localobj",
    "strdef",
    "double",
    "objref",
    "objectvar",
    "create",
    "access",
    "connect",
    "insert",
    "uninsert",
    "setpointer",
    "forall",
    "forsec",
    "ifsec",
    "proc",
    "func",
    "obfunc",
    "iterator",
    "iterator_statement",
    "begintemplate",
    "endtemplate",
    "public",
    "external",
    "help",
];

pub(crate) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

impl Parser<'_> {
    /// A top-level item: a template, a function definition or a statement.
    pub(super) fn top_item(&mut self) -> PResult<Stmt> {
        if self.at_ident("begintemplate") {
            return self.template();
        }
        if let Some(kind) = self.func_kind() {
            return self.func_def(kind);
        }
        self.stmt(true)
    }

    fn func_kind(&mut self) -> Option<FuncKind> {
        match self.peek() {
            Tok::Ident(s) => match s.as_str() {
                "proc" => Some(FuncKind::Proc),
                "func" => Some(FuncKind::Func),
                "obfunc" => Some(FuncKind::Obfunc),
                "iterator" => Some(FuncKind::Iterator),
                _ => None,
            },
            _ => None,
        }
    }

    fn func_def(&mut self, kind: FuncKind) -> PResult<Stmt> {
        let start = self.span();
        self.bump();
        let name = self.ident("a function name")?;
        self.expect(&Tok::LParen, "'(' after the function name")?;
        self.expect(&Tok::RParen, "')' (HOC functions take no named parameters)")?;
        self.skip_only_newlines();
        let body = self.stmt(false)?;
        let span = start.cover(body.span);
        let def = FuncDef {
            kind,
            name,
            body,
            span,
        };
        Ok(Stmt {
            kind: StmtKind::Func(Rc::new(def)),
            span,
        })
    }

    fn template(&mut self) -> PResult<Stmt> {
        let start = self.span();
        self.bump();
        let name = self.ident("a template name after begintemplate")?;
        let mut body = Vec::new();
        loop {
            self.skip_newlines();
            if self.at_ident("endtemplate") {
                self.bump();
                let end = self.ident("the template name after endtemplate")?;
                if end != name {
                    let span = self.prev_span();
                    return Err(super::ParseError {
                        span,
                        message: format!("endtemplate {end} does not match begintemplate {name}"),
                    });
                }
                break;
            }
            if matches!(self.peek(), Tok::Eof) {
                return self.error(&format!("'endtemplate {name}'"));
            }
            body.push(self.top_item()?);
        }
        let span = start.cover(self.prev_span());
        let def = TemplateDef { name, body, span };
        Ok(Stmt {
            kind: StmtKind::Template(Rc::new(def)),
            span,
        })
    }

    /// One statement. `top` is true at the top level of a file, where an
    /// expression statement prints its value.
    pub(super) fn stmt(&mut self, top: bool) -> PResult<Stmt> {
        self.enter()?;
        let start = self.span();
        let r = self.stmt_inner(top);
        self.leave();
        let kind = r?;
        let span = start.cover(self.prev_span());
        Ok(Stmt { kind, span })
    }

    fn stmt_inner(&mut self, top: bool) -> PResult<StmtKind> {
        match self.peek() {
            Tok::LBrace => self.block(),
            Tok::Ident(kw) if is_keyword(kw) => {
                let kw = kw.clone();
                self.keyword_stmt(&kw)
            }
            Tok::Newline | Tok::Semi => {
                self.bump();
                Ok(StmtKind::Empty)
            }
            _ => self.expr_stmt(top),
        }
    }

    fn block(&mut self) -> PResult<StmtKind> {
        self.bump();
        let saved = self.paren;
        self.paren = 0;
        let mut stmts = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                Tok::RBrace => break,
                Tok::Eof => return self.error("'}' to close the block"),
                _ => stmts.push(self.stmt(false)?),
            }
        }
        self.paren = saved;
        self.bump();
        Ok(StmtKind::Block(stmts))
    }

    fn keyword_stmt(&mut self, kw: &str) -> PResult<StmtKind> {
        match kw {
            "if" => self.if_stmt(),
            "while" => self.while_stmt(),
            "for" => self.for_stmt(),
            "break" | "continue" | "stop" | "iterator_statement" => {
                self.bump();
                Ok(match kw {
                    "break" => StmtKind::Break,
                    "continue" => StmtKind::Continue,
                    "stop" => StmtKind::Stop,
                    _ => StmtKind::IteratorStatement,
                })
            }
            "return" => self.return_stmt(),
            "print" => self.print_stmt(),
            "local" | "localobj" | "strdef" | "double" | "objref" | "objectvar" | "create" => {
                self.decl_stmt(kw)
            }
            "public" | "external" => self.name_list_stmt(kw),
            "help" => {
                while !matches!(self.peek(), Tok::Newline | Tok::Eof) {
                    self.bump();
                }
                Ok(StmtKind::Empty)
            }
            _ => self.section_keyword_stmt(kw),
        }
    }

    fn section_keyword_stmt(&mut self, kw: &str) -> PResult<StmtKind> {
        self.bump();
        match kw {
            "access" => Ok(StmtKind::Access(self.expr()?)),
            "connect" => {
                let child = self.expr()?;
                self.expect(&Tok::Comma, "',' between the two sides of connect")?;
                let parent = self.expr()?;
                Ok(StmtKind::Connect { child, parent })
            }
            "insert" => Ok(StmtKind::Insert(self.ident("a mechanism name")?)),
            "uninsert" => Ok(StmtKind::Uninsert(self.ident("a mechanism name")?)),
            "setpointer" => {
                let target = self.expr()?;
                self.expect(&Tok::Comma, "',' in setpointer")?;
                let source = self.expr()?;
                Ok(StmtKind::Setpointer { target, source })
            }
            "forall" => Ok(StmtKind::Forall(Box::new(self.body()?))),
            "forsec" | "ifsec" => {
                let target = self.expr()?;
                let body = Box::new(self.body()?);
                Ok(if kw == "forsec" {
                    StmtKind::Forsec { target, body }
                } else {
                    StmtKind::Ifsec { target, body }
                })
            }
            "else" => self.error_at_prev("a statement ('else' without 'if')"),
            _ => self.error_at_prev(&format!("'{kw}' only at the top level of a file")),
        }
    }

    fn error_at_prev<T>(&mut self, expected: &str) -> PResult<T> {
        self.pos = self.pos.saturating_sub(1);
        self.error(expected)
    }

    /// A loop or if body: newlines before it are allowed.
    fn body(&mut self) -> PResult<Stmt> {
        self.skip_only_newlines();
        self.stmt(false)
    }

    fn paren_expr(&mut self, what: &str) -> PResult<Expr> {
        self.expect(&Tok::LParen, &format!("'(' after {what}"))?;
        self.paren += 1;
        let e = self.expr();
        self.paren -= 1;
        let e = e?;
        self.expect(&Tok::RParen, &format!("')' to close the {what} condition"))?;
        Ok(e)
    }

    fn if_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let cond = self.paren_expr("if")?;
        let then = Box::new(self.body()?);
        let save = self.pos;
        self.skip_newlines();
        let els = if self.at_ident("else") {
            self.bump();
            Some(Box::new(self.body()?))
        } else {
            self.pos = save;
            None
        };
        Ok(StmtKind::If { cond, then, els })
    }

    fn while_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let cond = self.paren_expr("while")?;
        let body = Box::new(self.body()?);
        Ok(StmtKind::While { cond, body })
    }

    fn for_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        if matches!(self.peek(), Tok::LParen) {
            return self.for_paren();
        }
        let head = self.postfix()?;
        if matches!(self.peek(), Tok::Assign(_)) {
            self.bump();
            let from = self.expr()?;
            self.expect(&Tok::Comma, "',' in 'for i = first, last'")?;
            let to = self.expr()?;
            let body = Box::new(self.body()?);
            return Ok(StmtKind::ForRange {
                var: head,
                from,
                to,
                body,
            });
        }
        let body = Rc::new(self.body()?);
        Ok(StmtKind::ForIter { call: head, body })
    }

    /// `for (x) stmt`, `for (x, 0) stmt` or `for (init; cond; step) stmt`.
    fn for_paren(&mut self) -> PResult<StmtKind> {
        self.bump();
        self.paren += 1;
        let r = self.for_paren_head();
        self.paren -= 1;
        let head = r?;
        let body = Box::new(self.body()?);
        Ok(match head {
            ForHead::Seg(var, ends) => StmtKind::ForSeg { var, ends, body },
            ForHead::C(init, cond, step) => StmtKind::ForC {
                init,
                cond,
                step,
                body,
            },
        })
    }

    fn for_paren_head(&mut self) -> PResult<ForHead> {
        let init = if matches!(self.peek(), Tok::Semi) {
            None
        } else {
            let s = self.simple_stmt()?;
            if let StmtKind::Expr { expr, .. } = &s.kind {
                if let ExprKind::Name { .. } = expr.kind {
                    if self.eat(&Tok::RParen) {
                        return Ok(ForHead::Seg(expr.clone(), None));
                    }
                    if self.eat(&Tok::Comma) {
                        let ends = self.expr()?;
                        self.expect(&Tok::RParen, "')' after 'for (x, ends'")?;
                        return Ok(ForHead::Seg(expr.clone(), Some(ends)));
                    }
                }
            }
            Some(Box::new(s))
        };
        self.expect(&Tok::Semi, "';' after the for loop's initialisation")?;
        let cond = if matches!(self.peek(), Tok::Semi) {
            None
        } else {
            Some(self.expr()?)
        };
        self.expect(&Tok::Semi, "';' after the for loop's condition")?;
        let step = if matches!(self.peek(), Tok::RParen) {
            None
        } else {
            Some(Box::new(self.simple_stmt()?))
        };
        self.expect(&Tok::RParen, "')' to close the for loop header")?;
        Ok(ForHead::C(init, cond, step))
    }

    /// An expression statement with no section-scope look-ahead (for headers).
    fn simple_stmt(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let expr = self.expr()?;
        let span = start.cover(self.prev_span());
        Ok(Stmt {
            kind: StmtKind::Expr {
                expr,
                print_value: false,
            },
            span,
        })
    }

    fn at_terminator(&mut self) -> bool {
        matches!(
            self.peek(),
            Tok::Newline | Tok::Semi | Tok::RBrace | Tok::Eof
        ) || self.at_ident("else")
    }

    fn return_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        if self.at_terminator() {
            return Ok(StmtKind::Return(None));
        }
        Ok(StmtKind::Return(Some(self.expr()?)))
    }

    fn print_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut items = Vec::new();
        if self.at_terminator() {
            return Ok(StmtKind::Print(items));
        }
        items.push(self.expr()?);
        while self.eat(&Tok::Comma) {
            items.push(self.expr()?);
        }
        Ok(StmtKind::Print(items))
    }

    fn decl_stmt(&mut self, kw: &str) -> PResult<StmtKind> {
        self.bump();
        let mut decls = Vec::new();
        loop {
            let span = self.span();
            let name = self.ident(&format!("a name to declare after '{kw}'"))?;
            let mut dims = Vec::new();
            while matches!(self.peek(), Tok::LBracket) {
                dims.push(self.bracket_expr()?);
            }
            let span = span.cover(self.prev_span());
            decls.push(Decl { name, dims, span });
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        Ok(match kw {
            "local" => StmtKind::Local(decls),
            "localobj" => StmtKind::LocalObj(decls),
            "strdef" => StmtKind::Strdef(decls),
            "double" => StmtKind::Double(decls),
            "create" => StmtKind::Create(decls),
            _ => StmtKind::Objref(decls),
        })
    }

    fn name_list_stmt(&mut self, kw: &str) -> PResult<StmtKind> {
        self.bump();
        let mut names = vec![self.ident(&format!("a name after '{kw}'"))?];
        while self.eat(&Tok::Comma) {
            names.push(self.ident(&format!("a name after ',' in '{kw}'"))?);
        }
        Ok(if kw == "public" {
            StmtKind::Public(names)
        } else {
            StmtKind::External(names)
        })
    }

    fn expr_stmt(&mut self, top: bool) -> PResult<StmtKind> {
        let expr = self.expr()?;
        if matches!(self.peek(), Tok::Colon) {
            return self.range_interp(expr);
        }
        let is_ref = matches!(
            &expr.kind,
            ExprKind::Name { args: None, .. } | ExprKind::Member { args: None, .. }
        );
        if is_ref && !self.at_terminator() && !matches!(self.peek(), Tok::RParen | Tok::Comma) {
            let body = Box::new(self.stmt(false)?);
            return Ok(StmtKind::SecScope { sec: expr, body });
        }
        let print_value = top && !matches!(expr.kind, ExprKind::Assign { .. });
        Ok(StmtKind::Expr { expr, print_value })
    }

    /// `diam(0:1) = 2:1`: the parser has read `diam(0:1) = 2` and sees `:`.
    fn range_interp(&mut self, expr: Expr) -> PResult<StmtKind> {
        let ExprKind::Assign { target, value, .. } = expr.kind else {
            return self.error("a range assignment 'rangevar(x0:x1) = y0:y1'");
        };
        let (x0, x1) = match interval_arg(&target) {
            Some(v) => v,
            None => return self.error("'rangevar(x0:x1)' on the left of a ':' assignment"),
        };
        self.bump();
        let y1 = self.expr()?;
        let mut target = *target;
        strip_args(&mut target);
        Ok(StmtKind::RangeInterp {
            target,
            x0,
            x1,
            y0: *value,
            y1,
        })
    }
}

enum ForHead {
    Seg(Expr, Option<Expr>),
    C(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>),
}

fn interval_arg(e: &Expr) -> Option<(Expr, Expr)> {
    let args = match &e.kind {
        ExprKind::Name { args: Some(a), .. } | ExprKind::Member { args: Some(a), .. } => a,
        _ => return None,
    };
    match args.as_slice() {
        [Expr {
            kind: ExprKind::Interval(a, b),
            ..
        }] => Some(((**a).clone(), (**b).clone())),
        _ => None,
    }
}

fn strip_args(e: &mut Expr) {
    match &mut e.kind {
        ExprKind::Name { args, .. } | ExprKind::Member { args, .. } => *args = None,
        _ => {}
    }
}
