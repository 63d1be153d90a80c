//! VERBATIM C that Neurite runs by translating it into NMODL statements.
//!
//! The C of the event-time-vector idiom (VecStim, `vecevent.mod` and their
//! copies) is a small subset of C: local declarations, casts, `if`/`else`,
//! `while`, `return`, assignments (`=`, `+=`, `++`, ...), arithmetic and
//! comparisons, and calls of NEURON's vector API. [`translate`] turns such a
//! block into ordinary statements of the syntax tree, which the lowering then
//! compiles like any other NMODL code. What C does beyond NMODL is expressed
//! with a few internal calls, whose names start with `$` so that no mod file
//! can name them:
//!
//! | C | becomes |
//! |---|---|
//! | `(int)x` | `$trunc(x)` (toward zero) |
//! | `vector_capacity(h)`, `vector_buffer_size(h)` | `$veclen(h)` |
//! | `vector_vec(h)` | `h` (a vector handle: 0 none, k ≥ 1 a vector) |
//! | `px[i]` for a local pointer `px` | `$vecget(px, i)` |
//! | `ifarg(k)` | `$ifarg(k)`: the caller passed at least k arguments |
//! | `vector_arg(k)`, `*getarg(k)` | `$arg(k)`: argument k of a call from HOC |
//! | `artcell_net_send(_tqitem, w, pnt, time, flag)` | `$net_send_at(time, flag)` |
//! | `*((void**)(&space))`, `_p_ptr`, `*pv` after `pv = &x` | the variable itself |
//! | `return e;` (FUNCTION `f`) | `f = e`, then nothing more runs |
//! | `hoc_obj_ref`, `hoc_obj_unref`, `printf`, `assert`, ... | nothing |
//!
//! Anything else (other C functions, `for` loops, `goto`, structs, ...) is
//! refused with the construct named, and the mod file then does not load.

use crate::ast::{BinOp, Block, Expr, Ident, LValue, LocalDecl, Number, Stmt, UnOp};
use crate::span::Span;
use std::collections::HashMap;
#[cfg(test)]
use std::collections::HashSet;

/// The name of the internal local that says a `return` was executed.
const DONE: &str = "$done";

/// What the translation needs to know about the file around the block.
#[allow(missing_debug_implementations)]
pub struct Context<'a> {
    /// The FUNCTION the block is in (its result is set by `return e;`).
    pub function: Option<&'a str>,
    /// Whether a name is one of the file's FUNCTIONs or PROCEDUREs.
    pub is_callable: &'a dyn Fn(&str) -> bool,
    /// NMODL statements between split VERBATIM blocks: the text holds
    /// `__nmodl_stmt_K__();` where statement K stands ([`merge_split`]).
    pub embedded: &'a [Stmt],
}

/// Translates the C text of one VERBATIM block (without its keywords).
pub fn translate(text: &str, span: Span, ctx: &Context<'_>) -> Result<Vec<Stmt>, String> {
    let code = crate::verbatim::active_code(text);
    let mut toks = tokenize(&code)?;
    // the Prob* synapses' `#define RANDCAST (Rand*)`: a cast, nothing to run
    toks.retain(|t| !matches!(t, Tok::Ident(w) if w == "RANDCAST"));
    let mut p = Parser { toks, pos: 0 };
    let mut items = Vec::new();
    while !p.at_end() {
        items.push(p.stmt()?);
    }
    let mut tr = Translator {
        span,
        ctx,
        scopes: vec![Scope::default()],
        returns: false,
    };
    let mut out = tr.stmts(&items)?;
    if tr.returns {
        out.insert(0, tr.local(DONE));
    }
    Ok(out)
}

// ---------------------------------------------------------------- tokens

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Num(f64),
    Str,
    P(&'static str),
}

const PUNCTS: [&str; 39] = [
    "<<=", ">>=", "->", "++", "--", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=",
    "<<", ">>", "::", "=", "(", ")", "{", "}", "[", "]", ";", ",", "*", "&", "+", "-", "/", "%",
    "<", ">", "!", "?", ":", ".",
];

fn tokenize(code: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut rest = code;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let n = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            toks.push(Tok::Ident(rest[..n].to_string()));
            rest = &rest[n..];
        } else if c.is_ascii_digit()
            || (c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let mut n = 0;
            let bytes = rest.as_bytes();
            while n < bytes.len() {
                let b = bytes[n];
                let exp_sign = (b == b'+' || b == b'-')
                    && n > 0
                    && matches!(bytes[n - 1], b'e' | b'E')
                    && !rest.starts_with("0x");
                if b.is_ascii_alphanumeric() || b == b'.' || exp_sign {
                    n += 1;
                } else {
                    break;
                }
            }
            let text = rest[..n].trim_end_matches(['f', 'F', 'l', 'L', 'u', 'U']);
            let value = if let Some(hex) = text.strip_prefix("0x") {
                i64::from_str_radix(hex, 16).map(|x| x as f64).ok()
            } else {
                text.parse::<f64>().ok()
            };
            match value {
                Some(v) => toks.push(Tok::Num(v)),
                None => {
                    return Err(format!(
                        "has the number `{}` Neurite cannot read",
                        &rest[..n]
                    ))
                }
            }
            rest = &rest[n..];
        } else if c == '"' || c == '\'' {
            // literals were emptied by the comment pass: `""` or `''`
            let close = rest[1..].find(c).map_or(rest.len(), |k| k + 2);
            toks.push(Tok::Str);
            rest = &rest[close.min(rest.len())..];
        } else if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            toks.push(Tok::P(p));
            rest = &rest[p.len()..];
        } else {
            return Err(format!("uses `{c}`, which Neurite does not run"));
        }
    }
    Ok(toks)
}

// ---------------------------------------------------------------- C syntax

#[derive(Clone, Debug, PartialEq)]
enum CExpr {
    Num(f64),
    Str,
    Name(String),
    Call(String, Vec<CExpr>),
    Index(Box<CExpr>, Box<CExpr>),
    /// `-`, `!`, `*` (dereference), `&` (address of).
    Unary(&'static str, Box<CExpr>),
    /// A cast; `int` says it converts to an integer type.
    Cast {
        int: bool,
        inner: Box<CExpr>,
    },
    Binary(&'static str, Box<CExpr>, Box<CExpr>),
    Cond(Box<CExpr>, Box<CExpr>, Box<CExpr>),
}

#[derive(Clone, Debug, PartialEq)]
enum CStmt {
    /// Declared names: (name, pointer, integer, initial value).
    Decl(Vec<(String, bool, bool, Option<CExpr>)>),
    /// `lhs op rhs` with op `=`, `+=`, ... (`x++` is `x += 1`).
    Assign(CExpr, &'static str, CExpr),
    Expr(CExpr),
    If(CExpr, Vec<CStmt>, Option<Vec<CStmt>>),
    While(CExpr, Vec<CStmt>),
    Return(Option<CExpr>),
    Block(Vec<CStmt>),
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

const TYPE_WORDS: [&str; 24] = [
    "void",
    "int",
    "double",
    "float",
    "long",
    "short",
    "char",
    "unsigned",
    "signed",
    "const",
    "register",
    "IvocVect",
    "Object",
    "Point_process",
    "size_t",
    "bool",
    "auto",
    "volatile",
    // the random-stream idiom (exec/random.rs)
    "nrnran123_State",
    "Rand",
    "uint32_t",
    "int32_t",
    "uint64_t",
    "int64_t",
];

fn is_int_type(word: &str) -> bool {
    matches!(
        word,
        "int"
            | "long"
            | "short"
            | "char"
            | "unsigned"
            | "signed"
            | "size_t"
            | "bool"
            | "uint32_t"
            | "int32_t"
            | "uint64_t"
            | "int64_t"
    )
}

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.pos + k)
    }

    fn is(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::P(q)) if *q == p)
    }

    fn eat(&mut self, p: &str) -> bool {
        if self.is(p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), String> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(format!(
                "has C Neurite cannot read (expected `{p}`{})",
                self.near()
            ))
        }
    }

    fn near(&self) -> String {
        match self.peek() {
            Some(Tok::Ident(n)) => format!(" before `{n}`"),
            Some(Tok::P(p)) => format!(" before `{p}`"),
            Some(Tok::Num(x)) => format!(" before `{x}`"),
            Some(Tok::Str) => " before a string".to_string(),
            None => " at the end".to_string(),
        }
    }

    fn word(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Ident(w)) => Some(w),
            _ => None,
        }
    }

    fn is_type_at(&self, k: usize) -> bool {
        matches!(self.peek_at(k), Some(Tok::Ident(w)) if TYPE_WORDS.contains(&w.as_str()))
    }

    fn block(&mut self) -> Result<Vec<CStmt>, String> {
        self.expect("{")?;
        let mut out = Vec::new();
        while !self.eat("}") {
            if self.at_end() {
                return Err("has a C block that is not closed".to_string());
            }
            out.push(self.stmt()?);
        }
        Ok(out)
    }

    fn body(&mut self) -> Result<Vec<CStmt>, String> {
        if self.is("{") {
            self.block()
        } else {
            Ok(vec![self.stmt()?])
        }
    }

    fn stmt(&mut self) -> Result<CStmt, String> {
        if self.eat(";") {
            return Ok(CStmt::Block(Vec::new()));
        }
        if self.is("{") {
            return Ok(CStmt::Block(self.block()?));
        }
        match self.word() {
            Some("if") => {
                self.pos += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                let then = self.body()?;
                let otherwise = if self.word() == Some("else") {
                    self.pos += 1;
                    Some(self.body()?)
                } else {
                    None
                };
                return Ok(CStmt::If(cond, then, otherwise));
            }
            Some("while") => {
                self.pos += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                let body = self.body()?;
                return Ok(CStmt::While(cond, body));
            }
            Some("for") => {
                self.pos += 1;
                self.expect("(")?;
                let init = if self.eat(";") {
                    CStmt::Block(Vec::new())
                } else {
                    self.simple(";")?
                };
                let cond = if self.is(";") {
                    CExpr::Num(1.0)
                } else {
                    self.expr()?
                };
                self.expect(";")?;
                let step = if self.is(")") {
                    CStmt::Block(Vec::new())
                } else {
                    self.simple(")")?
                };
                let mut body = self.body()?;
                body.push(step);
                return Ok(CStmt::Block(vec![init, CStmt::While(cond, body)]));
            }
            Some("break") => {
                self.pos += 1;
                self.expect(";")?;
                return Ok(CStmt::Expr(CExpr::Call("$break".to_string(), Vec::new())));
            }
            Some("return") => {
                self.pos += 1;
                let value = if self.is(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(";")?;
                return Ok(CStmt::Return(value));
            }
            Some(
                w @ ("do" | "switch" | "goto" | "continue" | "struct" | "class" | "static"
                | "extern" | "new" | "delete" | "typedef"),
            ) => {
                return Err(format!("uses C `{w}`, which Neurite does not run"));
            }
            _ => {}
        }
        if self.is_type_at(0) {
            return self.decl();
        }
        self.simple(";")
    }

    /// An assignment, `++`/`--` or expression statement ended by `end`
    /// (`;`, or `)` for the step of a `for`), which is consumed.
    fn simple(&mut self, end: &str) -> Result<CStmt, String> {
        if self.is_type_at(0) && end == ";" {
            return self.decl();
        }
        if self.is_type_at(0) {
            return Err("declares a variable in a C `for` step".to_string());
        }
        for (op, assign) in [("++", "+="), ("--", "-=")] {
            if self.eat(op) {
                let lhs = self.unary()?;
                self.expect(end)?;
                return Ok(CStmt::Assign(lhs, assign, CExpr::Num(1.0)));
            }
        }
        let lhs = self.expr()?;
        let stmt = if self.eat("++") {
            CStmt::Assign(lhs, "+=", CExpr::Num(1.0))
        } else if self.eat("--") {
            CStmt::Assign(lhs, "-=", CExpr::Num(1.0))
        } else if let Some(Tok::P(op @ ("=" | "+=" | "-=" | "*=" | "/="))) = self.peek() {
            let op = *op;
            self.pos += 1;
            let rhs = self.expr()?;
            CStmt::Assign(lhs, op, rhs)
        } else {
            CStmt::Expr(lhs)
        };
        self.expect(end)?;
        Ok(stmt)
    }

    fn decl(&mut self) -> Result<CStmt, String> {
        let mut int = false;
        while self.is_type_at(0) {
            int |= self.word().is_some_and(is_int_type);
            self.pos += 1;
        }
        let mut names = Vec::new();
        loop {
            let mut pointer = false;
            while self.eat("*") || self.word() == Some("const") {
                if self.word() == Some("const") {
                    self.pos += 1;
                } else {
                    pointer = true;
                }
            }
            let Some(Tok::Ident(name)) = self.peek().cloned() else {
                return Err(format!(
                    "has a C declaration Neurite cannot read{}",
                    self.near()
                ));
            };
            self.pos += 1;
            if self.is("(") || self.is("[") {
                return Err(format!("declares `{name}` in a way Neurite does not run"));
            }
            let init = if self.eat("=") {
                Some(self.expr()?)
            } else {
                None
            };
            names.push((name, pointer, int && !pointer, init));
            if !self.eat(",") {
                break;
            }
        }
        self.expect(";")?;
        Ok(CStmt::Decl(names))
    }

    fn expr(&mut self) -> Result<CExpr, String> {
        let cond = self.binary(0)?;
        if self.eat("?") {
            let a = self.expr()?;
            self.expect(":")?;
            let b = self.expr()?;
            return Ok(CExpr::Cond(Box::new(cond), Box::new(a), Box::new(b)));
        }
        Ok(cond)
    }

    fn binary(&mut self, min: u8) -> Result<CExpr, String> {
        let mut lhs = self.unary()?;
        while let Some(Tok::P(op)) = self.peek() {
            let op = *op;
            let prec = match op {
                "||" => 1,
                "&&" => 2,
                "==" | "!=" => 3,
                "<" | "<=" | ">" | ">=" => 4,
                "+" | "-" => 5,
                "*" | "/" | "%" => 6,
                _ => break,
            };
            if prec < min {
                break;
            }
            self.pos += 1;
            let rhs = self.binary(prec + 1)?;
            lhs = CExpr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<CExpr, String> {
        for op in ["-", "!", "*", "&", "+"] {
            if self.eat(op) {
                let inner = self.unary()?;
                return Ok(if op == "+" {
                    inner
                } else {
                    CExpr::Unary(op, Box::new(inner))
                });
            }
        }
        // a cast: `(` type words and `*` `)`
        if self.is("(") && self.is_type_at(1) {
            self.pos += 1;
            let mut int = false;
            let mut pointer = false;
            while !self.eat(")") {
                match self.peek() {
                    Some(Tok::Ident(w)) => int |= is_int_type(w),
                    Some(Tok::P("*")) => pointer = true,
                    _ => return Err(format!("has a C cast Neurite cannot read{}", self.near())),
                }
                self.pos += 1;
            }
            let inner = self.unary()?;
            return Ok(CExpr::Cast {
                int: int && !pointer,
                inner: Box::new(inner),
            });
        }
        let mut e = self.primary()?;
        loop {
            if self.eat("[") {
                let i = self.expr()?;
                self.expect("]")?;
                e = CExpr::Index(Box::new(e), Box::new(i));
            } else if self.is("->") || self.is(".") {
                return Err("uses a C struct member, which Neurite does not run".to_string());
            } else {
                break;
            }
        }
        Ok(e)
    }

    /// `artcell_net_send(_tqitem, w, pnt, time, flag)`: only the time and
    /// the flag are read (the first arguments are NEURON's internals, written
    /// with C++ member calls that differ between versions).
    fn event_call(&mut self, name: String) -> Result<CExpr, String> {
        let open = self.pos;
        let mut depth = 0usize;
        let mut commas = Vec::new();
        let close = loop {
            match self.peek() {
                None => return Err(format!("has an unclosed call of `{name}`")),
                Some(Tok::P("(")) => depth += 1,
                Some(Tok::P(")")) => {
                    depth -= 1;
                    if depth == 0 {
                        break self.pos;
                    }
                }
                Some(Tok::P(",")) if depth == 1 => commas.push(self.pos),
                _ => {}
            }
            self.pos += 1;
        };
        self.pos = close + 1;
        if commas.len() != 4 {
            return Err(format!(
                "calls `{name}` with {} arguments",
                commas.len() + 1
            ));
        }
        let _ = open;
        let mut args = vec![CExpr::Str, CExpr::Str, CExpr::Str];
        for (from, to) in [(commas[2] + 1, commas[3]), (commas[3] + 1, close)] {
            let mut sub = Parser {
                toks: self.toks[from..to].to_vec(),
                pos: 0,
            };
            let e = sub.expr()?;
            if !sub.at_end() {
                return Err(format!("has an argument of `{name}` Neurite cannot read"));
            }
            args.push(e);
        }
        Ok(CExpr::Call(name, args))
    }

    fn primary(&mut self) -> Result<CExpr, String> {
        match self.peek().cloned() {
            Some(Tok::Num(x)) => {
                self.pos += 1;
                Ok(CExpr::Num(x))
            }
            Some(Tok::Str) => {
                self.pos += 1;
                while matches!(self.peek(), Some(Tok::Str)) {
                    self.pos += 1;
                }
                Ok(CExpr::Str)
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                if matches!(name.as_str(), "artcell_net_send" | "net_send") && self.is("(") {
                    return self.event_call(name);
                }
                if self.eat("(") {
                    let mut args = Vec::new();
                    while !self.eat(")") {
                        args.push(self.expr()?);
                        if !self.is(")") {
                            self.expect(",")?;
                        }
                    }
                    return Ok(CExpr::Call(name, args));
                }
                if self.is("::") {
                    return Err(format!(
                        "uses the C++ name `{name}::...`, which Neurite does not run"
                    ));
                }
                Ok(CExpr::Name(name))
            }
            Some(Tok::P("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(")")?;
                Ok(e)
            }
            _ => Err(format!("has C Neurite cannot read{}", self.near())),
        }
    }
}

// ---------------------------------------------------------------- to NMODL

#[derive(Default)]
struct Scope {
    /// Local name → what it is.
    locals: HashMap<String, Local>,
}

#[derive(Clone, Debug, PartialEq)]
enum Local {
    /// An `int` (assignments truncate) or a `double`.
    Number { int: bool },
    /// A pointer holding a vector handle.
    Handle,
    /// A pointer to a variable (`pv = (void**)&space`): `*pv` is the variable.
    Alias(Option<String>),
}

/// What a C expression is once translated.
enum Value {
    Expr(Expr),
    /// `&x`: the address of variable `x`.
    Address(String),
}

/// C functions whose calls do nothing Neurite needs (reference counting,
/// printing, checks).
const NO_OPS: [&str; 10] = [
    "hoc_obj_ref",
    "hoc_obj_unref",
    "printf",
    "fprintf",
    "debug_printf",
    "fflush",
    "assert",
    "nrn_assert",
    "hoc_execerror_disabled",
    "puts",
];

/// Math functions of C that the lowering knows by the same name.
const MATH: [&str; 22] = [
    "exp", "log", "log10", "sqrt", "fabs", "sin", "cos", "tan", "asin", "acos", "atan", "sinh",
    "cosh", "tanh", "floor", "ceil", "pow", "atan2", "fmod", "fmin", "fmax", "exprelr",
];

/// Arguments NEURON passes to every function of a mechanism.
fn is_thread_arg(e: &CExpr) -> bool {
    matches!(e, CExpr::Name(n) if matches!(n.as_str(),
        "_threadargs_" | "_threadargscomma_" | "_p" | "_ppvar" | "_thread" | "_nt"
        | "_iml" | "_ml" | "_cntml"))
}

struct Translator<'c, 'a> {
    span: Span,
    ctx: &'c Context<'a>,
    scopes: Vec<Scope>,
    returns: bool,
}

impl Translator<'_, '_> {
    fn ident(&self, name: &str) -> Ident {
        Ident {
            name: name.to_string(),
            span: self.span,
        }
    }

    fn num(&self, x: f64) -> Expr {
        Expr::Number {
            value: Number {
                value: x,
                text: x.to_string(),
                span: self.span,
            },
            units: None,
        }
    }

    fn name(&self, n: &str) -> Expr {
        Expr::Name(self.ident(n))
    }

    fn call(&self, f: &str, args: Vec<Expr>) -> Expr {
        Expr::Call {
            name: self.ident(f),
            args,
            span: self.span,
        }
    }

    fn bin(&self, op: BinOp, a: Expr, b: Expr) -> Expr {
        Expr::Binary {
            op,
            lhs: Box::new(a),
            rhs: Box::new(b),
            span: self.span,
        }
    }

    fn local(&self, name: &str) -> Stmt {
        Stmt::Local {
            names: vec![LocalDecl {
                name: self.ident(name),
                length: None,
                span: self.span,
            }],
            span: self.span,
        }
    }

    fn assign(&self, name: &str, rhs: Expr) -> Stmt {
        Stmt::Assign {
            lhs: LValue::Name(self.ident(name)),
            rhs,
            span: self.span,
        }
    }

    fn block(&self, stmts: Vec<Stmt>) -> Block {
        Block {
            stmts,
            span: self.span,
        }
    }

    fn lookup(&self, name: &str) -> Option<&Local> {
        self.scopes.iter().rev().find_map(|s| s.locals.get(name))
    }

    fn declare(&mut self, name: &str, local: Local) {
        if let Some(s) = self.scopes.last_mut() {
            s.locals.insert(name.to_string(), local);
        }
    }

    fn not_done(&self) -> Expr {
        self.bin(BinOp::Eq, self.name(DONE), self.num(0.0))
    }

    /// Translates a statement list; after a statement that may `return`,
    /// the rest runs only while nothing has returned.
    fn stmts(&mut self, items: &[CStmt]) -> Result<Vec<Stmt>, String> {
        self.scopes.push(Scope::default());
        let result = self.stmts_in_scope(items);
        self.scopes.pop();
        result
    }

    fn stmts_in_scope(&mut self, items: &[CStmt]) -> Result<Vec<Stmt>, String> {
        let mut out = Vec::new();
        for (k, item) in items.iter().enumerate() {
            let before = self.returns;
            self.returns = false;
            out.extend(self.stmt(item)?);
            let may_return = self.returns;
            self.returns |= before;
            if may_return && k + 1 < items.len() {
                let rest = self.stmts_in_scope(&items[k + 1..])?;
                if !rest.is_empty() {
                    out.push(Stmt::If {
                        cond: self.not_done(),
                        then: self.block(rest),
                        otherwise: None,
                        span: self.span,
                    });
                }
                return Ok(out);
            }
        }
        Ok(out)
    }

    fn stmt(&mut self, s: &CStmt) -> Result<Vec<Stmt>, String> {
        match s {
            CStmt::Block(items) => Ok(vec![Stmt::Block(self.block_of(items)?)]),
            CStmt::Decl(names) => {
                let mut out = Vec::new();
                for (name, pointer, int, init) in names {
                    let kind = if *pointer {
                        Local::Handle
                    } else {
                        Local::Number { int: *int }
                    };
                    self.declare(name, kind);
                    out.push(self.local(name));
                    if let Some(e) = init {
                        out.extend(self.assign_to(&CExpr::Name(name.clone()), "=", e)?);
                    }
                }
                Ok(out)
            }
            CStmt::Assign(lhs, op, rhs) => self.assign_to(lhs, op, rhs),
            CStmt::Expr(e) => self.expr_stmt(e),
            CStmt::If(cond, then, otherwise) => {
                let cond = self.value(cond)?;
                let then = self.block_of(then)?;
                let otherwise = match otherwise {
                    Some(o) => Some(self.block_of(o)?),
                    None => None,
                };
                Ok(vec![Stmt::If {
                    cond,
                    then,
                    otherwise,
                    span: self.span,
                }])
            }
            CStmt::While(cond, body) => {
                let cond = self.value(cond)?;
                let before = self.returns;
                self.returns = false;
                let body = self.block_of(body)?;
                let cond = if self.returns {
                    self.bin(BinOp::And, cond, self.not_done())
                } else {
                    cond
                };
                self.returns |= before;
                Ok(vec![Stmt::While {
                    cond,
                    body,
                    span: self.span,
                }])
            }
            CStmt::Return(value) => {
                self.returns = true;
                let mut out = Vec::new();
                match (value, self.ctx.function) {
                    (Some(e), Some(f)) => {
                        let v = self.value(e)?;
                        out.push(self.assign(f, v));
                    }
                    (Some(_), None) => {
                        return Err("returns a value from C outside a FUNCTION".to_string())
                    }
                    (None, _) => {}
                }
                out.push(self.assign(DONE, self.num(1.0)));
                Ok(out)
            }
        }
    }

    fn block_of(&mut self, items: &[CStmt]) -> Result<Block, String> {
        let stmts = self.stmts(items)?;
        Ok(self.block(stmts))
    }

    fn expr_stmt(&mut self, e: &CExpr) -> Result<Vec<Stmt>, String> {
        match e {
            CExpr::Call(f, _) if NO_OPS.contains(&f.as_str()) => Ok(Vec::new()),
            CExpr::Call(f, _) if embedded_index(f).is_some() => {
                let k = embedded_index(f).unwrap_or(usize::MAX);
                match self.ctx.embedded.get(k) {
                    Some(stmt) => Ok(vec![stmt.clone()]),
                    None => Err("has a misplaced NMODL statement".to_string()),
                }
            }
            CExpr::Call(..) => Ok(vec![Stmt::Expr(self.value(e)?)]),
            CExpr::Cast { inner, .. } => self.expr_stmt(inner),
            _ => Err("has a C expression statement that does nothing Neurite can run".to_string()),
        }
    }

    /// The variable a C lvalue names (a local, an NMODL variable, or the
    /// target of an alias); `Err` for what cannot be assigned.
    fn place(&self, lhs: &CExpr) -> Result<String, String> {
        match lhs {
            CExpr::Name(n) if self.lookup(n).is_some() => Ok(n.clone()),
            CExpr::Name(n) => Ok(variable_name(n)),
            CExpr::Unary("*", inner) => match strip_casts(inner) {
                CExpr::Name(n) => match self.lookup(n) {
                    Some(Local::Alias(Some(target))) => Ok(target.clone()),
                    _ => Err(format!(
                        "writes through the C pointer `{n}`, which Neurite does not run"
                    )),
                },
                CExpr::Unary("&", x) => match strip_casts(x) {
                    CExpr::Name(n) => Ok(variable_name(n)),
                    _ => Err("writes through a C pointer Neurite does not follow".to_string()),
                },
                _ => Err("writes through a C pointer Neurite does not follow".to_string()),
            },
            CExpr::Cast { inner, .. } => self.place(inner),
            _ => Err("assigns to a C expression Neurite does not run".to_string()),
        }
    }

    fn assign_to(&mut self, lhs: &CExpr, op: &str, rhs: &CExpr) -> Result<Vec<Stmt>, String> {
        let name = self.place(lhs)?;
        let value = match self.translate(rhs)? {
            Value::Address(target) => {
                // `pv = (void**)(&space)`: pv now stands for space
                return match self.lookup(&name) {
                    Some(Local::Handle | Local::Alias(_)) => {
                        self.declare(&name, Local::Alias(Some(target)));
                        Ok(Vec::new())
                    }
                    _ => Err(format!(
                        "stores an address in `{name}`, which Neurite does not run"
                    )),
                };
            }
            Value::Expr(e) => e,
        };
        let value = match op {
            "=" => value,
            "+=" => self.bin(BinOp::Add, self.name(&name), value),
            "-=" => self.bin(BinOp::Sub, self.name(&name), value),
            "*=" => self.bin(BinOp::Mul, self.name(&name), value),
            "/=" => self.bin(BinOp::Div, self.name(&name), value),
            _ => {
                return Err(format!(
                    "uses the C operator `{op}`, which Neurite does not run"
                ))
            }
        };
        let value = match self.lookup(&name) {
            Some(Local::Number { int: true }) => self.call("$trunc", vec![value]),
            _ => value,
        };
        Ok(vec![self.assign(&name, value)])
    }

    fn value(&mut self, e: &CExpr) -> Result<Expr, String> {
        match self.translate(e)? {
            Value::Expr(x) => Ok(x),
            Value::Address(_) => {
                Err("uses a C address as a value, which Neurite does not run".to_string())
            }
        }
    }

    fn translate(&mut self, e: &CExpr) -> Result<Value, String> {
        let ex = |x: Expr| Ok(Value::Expr(x));
        match e {
            CExpr::Num(x) => ex(self.num(*x)),
            CExpr::Str => Err("uses a C string outside printf".to_string()),
            // Neurite runs NEURON's fixed step only
            CExpr::Name(n) if n == "NULL" || n == "nullptr" || n == "cvode_active_" => {
                ex(self.num(0.0))
            }
            CExpr::Name(n) => match self.lookup(n) {
                Some(Local::Alias(Some(target))) => Ok(Value::Address(target.clone())),
                Some(Local::Alias(None)) => Err(format!("reads the unset C pointer `{n}`")),
                Some(_) => ex(self.name(n)),
                None => ex(self.name(&variable_name(n))),
            },
            CExpr::Cast { int, inner } => match self.translate(inner)? {
                Value::Expr(x) if *int => ex(self.call("$trunc", vec![x])),
                other => Ok(other),
            },
            CExpr::Unary("&", inner) => match strip_casts(inner) {
                CExpr::Name(n) => Ok(Value::Address(variable_name(n))),
                _ => Err("takes a C address Neurite does not follow".to_string()),
            },
            CExpr::Unary("*", inner) => match strip_casts(inner) {
                CExpr::Call(f, args) if f == "getarg" => self.arg(args),
                _ => match self.translate(inner)? {
                    Value::Address(target) => ex(self.name(&target)),
                    Value::Expr(_) => {
                        Err("reads through a C pointer Neurite does not follow".to_string())
                    }
                },
            },
            CExpr::Unary(op, inner) => {
                let x = self.value(inner)?;
                let op = if *op == "-" { UnOp::Neg } else { UnOp::Not };
                ex(Expr::Unary {
                    op,
                    operand: Box::new(x),
                    span: self.span,
                })
            }
            CExpr::Binary(op, a, b) => {
                let (a, b) = (self.value(a)?, self.value(b)?);
                let op = match *op {
                    "||" => BinOp::Or,
                    "&&" => BinOp::And,
                    "==" => BinOp::Eq,
                    "!=" => BinOp::Ne,
                    "<" => BinOp::Lt,
                    "<=" => BinOp::Le,
                    ">" => BinOp::Gt,
                    ">=" => BinOp::Ge,
                    "+" => BinOp::Add,
                    "-" => BinOp::Sub,
                    "*" => BinOp::Mul,
                    "/" => BinOp::Div,
                    "%" => return ex(self.call("fmod", vec![a, b])),
                    other => return Err(format!("uses the C operator `{other}`")),
                };
                ex(self.bin(op, a, b))
            }
            CExpr::Cond(c, a, b) => {
                let (c, a, b) = (self.value(c)?, self.value(a)?, self.value(b)?);
                ex(self.call("$select", vec![c, a, b]))
            }
            CExpr::Index(base, index) => {
                let i = self.value(index)?;
                match strip_casts(base) {
                    CExpr::Name(n) if self.lookup(n) == Some(&Local::Handle) => {
                        ex(self.call("$vecget", vec![self.name(n), i]))
                    }
                    CExpr::Name(n) if self.lookup(n).is_none() => ex(Expr::Index {
                        name: self.ident(n),
                        index: Box::new(i),
                        span: self.span,
                    }),
                    _ => Err("indexes a C pointer Neurite does not follow".to_string()),
                }
            }
            CExpr::Call(f, args) => self.call_expr(f, args),
        }
    }

    /// `vector_arg(k)`, `*getarg(k)`: argument k of a call from HOC.
    fn arg(&mut self, args: &[CExpr]) -> Result<Value, String> {
        match args {
            [CExpr::Num(k)] if *k >= 1.0 => Ok(Value::Expr(self.call("$arg", vec![self.num(*k)]))),
            _ => Err("reads a HOC argument whose number is not a constant".to_string()),
        }
    }

    fn call_expr(&mut self, f: &str, args: &[CExpr]) -> Result<Value, String> {
        let one = |t: &mut Self| -> Result<Expr, String> {
            match args {
                [a] => t.value(a),
                _ => Err(format!("calls `{f}` with {} arguments", args.len())),
            }
        };
        match f {
            "vector_capacity" | "vector_buffer_size" => {
                let h = one(self)?;
                Ok(Value::Expr(self.call("$veclen", vec![h])))
            }
            "vector_vec" => Ok(Value::Expr(one(self)?)),
            // an error NEURON raises at run time: a load error unless the
            // lowering finds it unreachable
            "hoc_execerror" | "hoc_execerr_ext" => Ok(Value::Expr(self.call("$error", Vec::new()))),
            "$break" => Ok(Value::Expr(self.call("$break", Vec::new()))),
            "vector_arg" => self.arg(args),
            "ifarg" => match args {
                [CExpr::Num(k)] => Ok(Value::Expr(self.call("$ifarg", vec![self.num(*k)]))),
                _ => Err("calls `ifarg` without a constant".to_string()),
            },
            "artcell_net_send" | "net_send" if args.len() == 5 => {
                let time = self.value(&args[3])?;
                let flag = self.value(&args[4])?;
                let time = if f == "net_send" {
                    self.bin(BinOp::Add, self.name("t"), time)
                } else {
                    time
                };
                Ok(Value::Expr(self.call("$net_send_at", vec![time, flag])))
            }
            "net_event" if args.len() == 2 => {
                let time = self.value(&args[1])?;
                Ok(Value::Expr(self.call("net_event", vec![time])))
            }
            _ if super::random::is_c_random(f) => {
                let mut out = Vec::new();
                for a in args.iter().filter(|a| !is_thread_arg(a)) {
                    out.push(self.value(a)?);
                }
                super::random::translate_c_call(f, out, self.span)
                    .map(Value::Expr)
                    .ok_or_else(|| format!("calls the C function `{f}`"))
            }
            _ if MATH.contains(&f) || (self.ctx.is_callable)(f) => {
                let mut out = Vec::new();
                for a in args.iter().filter(|a| !is_thread_arg(a)) {
                    out.push(self.value(a)?);
                }
                Ok(Value::Expr(self.call(f, out)))
            }
            _ => Err(format!("calls the C function `{f}`")),
        }
    }
}

/// The number K of the placeholder name `__nmodl_stmt_K__`.
fn embedded_index(name: &str) -> Option<usize> {
    name.strip_prefix("__nmodl_stmt_")?
        .strip_suffix("__")?
        .parse()
        .ok()
}

/// The running brace balance of a VERBATIM block's active C.
fn brace_balance(text: &str) -> i64 {
    crate::verbatim::active_code(text)
        .chars()
        .map(|c| match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        })
        .sum()
}

/// A statement list with each run of VERBATIM blocks that open C control
/// flow (`for (...) {` in one block, `}` in a later one) and the NMODL
/// statements between them merged into one synthetic VERBATIM block, whose
/// text has `__nmodl_stmt_K__();` where the K-th embedded statement stands.
/// Returns the list and, for each merged block, its embedded statements
/// (keyed by the block's span).
pub fn merge_split(stmts: &[Stmt]) -> (Vec<Stmt>, Vec<(Span, Vec<Stmt>)>) {
    let mut out = Vec::with_capacity(stmts.len());
    let mut merged = Vec::new();
    let mut i = 0;
    while i < stmts.len() {
        let Stmt::Verbatim(first) = &stmts[i] else {
            out.push(stmts[i].clone());
            i += 1;
            continue;
        };
        let mut balance = brace_balance(&first.text);
        if balance <= 0 {
            out.push(stmts[i].clone());
            i += 1;
            continue;
        }
        let mut text = first.text.clone();
        let mut embedded = Vec::new();
        let mut j = i + 1;
        let mut end = first.span.end;
        while j < stmts.len() && balance > 0 {
            match &stmts[j] {
                Stmt::Verbatim(v) => {
                    balance += brace_balance(&v.text);
                    text.push('\n');
                    text.push_str(&v.text);
                    end = v.span.end;
                }
                other => {
                    text.push_str(&format!("\n__nmodl_stmt_{}__();\n", embedded.len()));
                    embedded.push(other.clone());
                    end = other.span().end;
                }
            }
            j += 1;
        }
        if balance != 0 {
            // not closed: left to fail where it stands
            out.push(stmts[i].clone());
            i += 1;
            continue;
        }
        let span = Span {
            start: first.span.start,
            end,
        };
        out.push(Stmt::Verbatim(crate::ast::Verbatim { text, span }));
        merged.push((span, embedded));
        i = j;
    }
    (out, merged)
}

/// The NMODL name of a C name: nocmodl calls POINTER `x` `_p_x`, and LOCAL
/// `x` (or the result of FUNCTION `x`) `_lx`.
fn variable_name(n: &str) -> String {
    let bare = n
        .strip_prefix("_p_")
        .or_else(|| n.strip_prefix("_l"))
        .filter(|b| !b.is_empty());
    bare.unwrap_or(n).to_string()
}

fn strip_casts(e: &CExpr) -> &CExpr {
    match e {
        CExpr::Cast { inner, .. } => strip_casts(inner),
        other => other,
    }
}

/// The names an (already translated) statement list assigns, for tests.
#[cfg(test)]
fn assigned(stmts: &[Stmt], out: &mut HashSet<String>) {
    for s in stmts {
        match s {
            Stmt::Assign {
                lhs: LValue::Name(id),
                ..
            } => {
                out.insert(id.name.clone());
            }
            Stmt::If {
                then, otherwise, ..
            } => {
                assigned(&then.stmts, out);
                if let Some(o) = otherwise {
                    assigned(&o.stmts, out);
                }
            }
            Stmt::While { body, .. } | Stmt::Block(body) => assigned(&body.stmts, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, function: Option<&str>) -> Result<Vec<Stmt>, String> {
        let is_callable = |n: &str| n == "element";
        let ctx = Context {
            function,
            is_callable: &is_callable,
            embedded: &[],
        };
        translate(text, Span { start: 0, end: 0 }, &ctx)
    }

    #[test]
    fn vecstim_element_translates() {
        let text = "{ void* vv; int i, size; double* px;\n i = (int)index;\n if (i >= 0) {\n\
                    vv = *((void**)(&space));\n if (vv) {\n size = vector_capacity(vv);\n\
                    px = vector_vec(vv);\n if (i < size) {\n etime = px[i];\n index += 1.;\n\
                    }else{\n index = -1.;\n }\n }else{\n index = -1.;\n }\n }\n }";
        let stmts = run(text, None).unwrap_or_else(|e| panic!("{e}"));
        let mut names = HashSet::new();
        assigned(&stmts, &mut names);
        for n in ["i", "vv", "size", "px", "etime", "index"] {
            assert!(names.contains(n), "{n} in {names:?}");
        }
    }

    #[test]
    fn returns_and_aliases_translate() {
        let text = "const int i = (int)index;\n IvocVect* const vv = *((IvocVect**)(&space));\n\
                    int size; double* px;\n if (i < 0 || vv == NULL)\n return 0;\n\
                    size = vector_capacity(vv);\n px = vector_vec(vv);\n if (i < size) {\n\
                    etime = px[i];\n index += 1.;\n debug_printf(\"x %d\", i);\n return index;\n }\n\
                    index = -1;\n return 0;";
        let stmts = run(text, Some("element")).unwrap_or_else(|e| panic!("{e}"));
        let mut names = HashSet::new();
        assigned(&stmts, &mut names);
        assert!(names.contains(DONE) && names.contains("element"));
        let play = "void** pv; void* ptmp = NULL;\n if (ifarg(1)) {\n ptmp = vector_arg(1);\n\
                    hoc_obj_ref(*vector_pobj(ptmp));\n }\n pv = (void**)(&_p_ptr);\n\
                    if (*pv) {\n hoc_obj_unref(*vector_pobj(*pv));\n }\n *pv = ptmp;";
        let stmts = run(play, None).unwrap_or_else(|e| panic!("{e}"));
        let mut names = HashSet::new();
        assigned(&stmts, &mut names);
        assert!(names.contains("ptr"), "{names:?}");
    }

    #[test]
    fn for_loops_and_split_blocks_translate() {
        let stmts = run("int k; for (k = 0; k < 3; ++k) { x += k; }", None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(stmts.last(), Some(Stmt::Block(_))), "{stmts:?}");
        let v = |text: &str, start: u32| {
            Stmt::Verbatim(crate::ast::Verbatim {
                text: text.to_string(),
                span: Span {
                    start,
                    end: start + 1,
                },
            })
        };
        let nmodl = Stmt::Expr(Expr::Name(Ident {
            name: "x".into(),
            span: Span { start: 5, end: 6 },
        }));
        let list = [v("int k; for (k = 0; k < 2; ++k) {", 0), nmodl, v("}", 9)];
        let (merged, embedded) = merge_split(&list);
        assert_eq!(merged.len(), 1);
        assert_eq!(embedded.len(), 1);
        assert_eq!(embedded[0].1.len(), 1);
        let unclosed = [v("if (x) {", 0)];
        assert_eq!(merge_split(&unclosed).1.len(), 0);
    }

    #[test]
    fn other_c_is_refused_with_its_name() {
        let e = run("install_vector_method(\"w\", w);", None).expect_err("C call");
        assert!(e.contains("install_vector_method"), "{e}");
        let e = run("do { x = 1; } while (x < 3);", None).expect_err("do");
        assert!(e.contains("do"), "{e}");
        assert!(run("x = ((", None).is_err());
        assert!(run("}", None).is_err());
    }
}
