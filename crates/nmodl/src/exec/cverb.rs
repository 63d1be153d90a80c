//! VERBATIM C that Neurite runs by translating it into NMODL statements.
//!
//! Real mod files use a small subset of C: local scalars and arrays (`static`
//! ones only when never written), casts, `if`/`else`, `while`, `for`,
//! `do ... while`, `break`, `continue`, `return`, assignments (`=`, `+=`,
//! `++`, ...), arithmetic with C's integer division, comparisons, C's math
//! functions, calls of the file's FUNCTIONs and PROCEDUREs (`urand(_threadargs_)`),
//! object-like and function-like `#define`s, functions over numbers defined
//! at the top level of the file ([`file_c`]: `static double gammln(double xx)
//! {...}` becomes an internal FUNCTION of the mechanism), and NEURON's vector
//! and random-stream APIs. [`translate`] turns such a block into ordinary
//! statements of the syntax tree, which the lowering then compiles like any
//! other NMODL code; loops whose trip count differs between instances run as
//! masked WHILE loops. What C does beyond NMODL is expressed with a few
//! internal calls and locals, whose names start with `$` so that no mod file
//! can name them:
//!
//! | C | becomes |
//! |---|---|
//! | `(int)x`, `int` assignments, `a / b` of two integers | `$trunc(...)` (toward zero) |
//! | `vector_capacity(h)`, `vector_buffer_size(h)` | `$veclen(h)` |
//! | `vector_vec(h)` | `h` (a vector handle: 0 none, k ≥ 1 a vector) |
//! | `px[i]` for a local pointer `px` | `$vecget(px, i)` |
//! | `ifarg(k)` | `$ifarg(k)`: the caller passed at least k arguments |
//! | `vector_arg(k)`, `*getarg(k)` | `$arg(k)`: argument k of a call from HOC |
//! | `artcell_net_send(_tqitem, w, pnt, time, flag)` | `$net_send_at(time, flag)` |
//! | `nrn_fake_fire(gid, time, out)` | `$fake_fire(gid, time, out)`: a spike of input gid `gid` |
//! | `*((void**)(&space))`, `_p_ptr`, `*pv` after `pv = &x` | the variable itself |
//! | `return e;` (FUNCTION `f`) | `f = e`, `$done = 1`; what follows runs only where `$done` is 0 |
//! | `break;`, `continue;` in a C loop | `$brkK = 1`, `$contK = 1`, guarding the rest of the body |
//! | `do S while (c);` | `$dwK = 1  WHILE ($dwK) { S  $dwK = c }` |
//! | `hoc_obj_ref`, `hoc_obj_unref`, `printf`, `assert`, ... | nothing |
//!
//! Anything else (other C functions, pointers Neurite does not follow,
//! `goto`, `switch`, structs, static state kept between calls, ...) is
//! refused with the construct named and its place in the file, and the mod
//! file then does not load. A top-level C function that cannot be translated
//! is refused only where something calls it: NEURON never runs it otherwise.

use crate::ast::{
    ArrayLen, BinOp, Block, Callable, Expr, Ident, Item, LValue, LocalDecl, Number, Param, Program,
    Stmt, UnOp,
};
use crate::span::Span;
use crate::verbatim::Define;
use std::collections::{HashMap, HashSet};

/// The name of the internal local that says a `return` was executed.
const DONE: &str = "$done";

/// Where a VERBATIM block's text starts: after the keyword.
const KEYWORD_LEN: u32 = "VERBATIM".len() as u32;

/// How deep macros may expand into each other.
const MAX_MACRO_DEPTH: usize = 32;

/// C that Neurite does not run, and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct CError {
    pub what: String,
    pub span: Span,
}

/// What the C of a file defines for all its VERBATIM blocks: macros, and
/// the top-level C functions that could not be translated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CEnv {
    defines: HashMap<String, Define>,
    /// Top-level C functions Neurite cannot run: name → why.
    failed: HashMap<String, CError>,
    /// Top-level C functions returning an integer type.
    int_functions: HashSet<String>,
}

impl CEnv {
    /// The value of an object-like `#define NAME number` or `const T NAME =
    /// number;` of the file: NMODL statements may name it too, since the C
    /// compiler sees what nocmodl writes for them.
    pub fn constant(&self, name: &str) -> Option<f64> {
        let d = self.defines.get(name)?;
        if d.params.is_some() {
            return None;
        }
        let body = d.body.trim();
        let body = body
            .strip_prefix('(')
            .and_then(|b| b.strip_suffix(')'))
            .unwrap_or(body)
            .trim();
        let (neg, digits) = match body.strip_prefix('-') {
            Some(rest) => (true, rest.trim()),
            None => (false, body),
        };
        let x = number(digits).map(|(x, _)| x)?;
        Some(if neg { -x } else { x })
    }
}

/// The top-level C of a file: its environment, the C functions translated
/// into FUNCTIONs (`true`) and PROCEDUREs (`false`, for `void` ones), and the
/// errors of top-level C that is not a function definition.
#[derive(Debug, Default)]
pub struct CFile {
    pub env: CEnv,
    pub functions: Vec<(Callable, bool)>,
    pub errors: Vec<CError>,
}

/// What the translation needs to know about the file around the block.
#[allow(missing_debug_implementations)]
pub struct Context<'a> {
    /// The FUNCTION the block is in (its result is set by `return e;`).
    pub function: Option<&'a str>,
    /// Whether a name is one of the file's FUNCTIONs or PROCEDUREs (or a
    /// translated C function).
    pub is_callable: &'a dyn Fn(&str) -> bool,
    /// NMODL statements between split VERBATIM blocks: the text holds `@K;`
    /// where statement K stands ([`merge_split`]).
    pub embedded: &'a [Stmt],
    pub env: &'a CEnv,
}

/// Translates the C text of one VERBATIM block (without its keywords);
/// `span` is the block's, keyword included.
pub fn translate(text: &str, span: Span, ctx: &Context<'_>) -> Result<Vec<Stmt>, CError> {
    let base = span.start + KEYWORD_LEN;
    let at = |offset: usize| place(span, base, offset);
    let toks = lex(text, ctx.env).map_err(|(what, o)| CError { what, span: at(o) })?;
    let mut p = Parser::new(toks);
    let mut items = Vec::new();
    while !p.at_end() {
        items.push(p.stmt().map_err(|what| CError {
            what,
            span: at(p.offset()),
        })?);
    }
    let mut tr = Translator::new(span, base, ctx);
    let mut out = tr.stmts(&items).map_err(|what| CError {
        what,
        span: tr.error_span.unwrap_or(tr.span),
    })?;
    if tr.returns {
        out.insert(0, tr.local(DONE));
    }
    Ok(out)
}

/// The span of byte `offset` of a block's text starting at `base`, if it
/// lies inside the block; the block's span otherwise.
fn place(block: Span, base: u32, offset: usize) -> Span {
    match u32::try_from(offset).ok().and_then(|o| base.checked_add(o)) {
        Some(start) if start < block.end => Span {
            start,
            end: start + 1,
        },
        _ => block,
    }
}

// ---------------------------------------------------------------- tokens

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    /// A number; `true` for an integer literal.
    Num(f64, bool),
    Str,
    P(&'static str),
    /// `@K`: the K-th NMODL statement of a merged block.
    Embedded(usize),
}

/// A token and the byte offset of its text (of the macro use, for tokens a
/// macro expanded into).
type Lexed = Vec<(Tok, usize)>;

const PUNCTS: [&str; 42] = [
    "<<=", ">>=", "->", "++", "--", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "<<", ">>", "::", "=", "(", ")", "{", "}", "[", "]", ";", ",", "*", "&", "+", "-", "/",
    "%", "<", ">", "!", "?", ":", ".", "|", "^",
];

/// The tokens of a block's active C, macros expanded and NEURON's thread
/// arguments (`_threadargs_`, `_threadargscomma_`, ...) removed.
fn lex(text: &str, env: &CEnv) -> Result<Lexed, (String, usize)> {
    let code = crate::verbatim::active_code(text);
    let toks = tokenize(&code)?;
    let mut toks = expand(toks, env, &mut Vec::new())?;
    strip_thread_args(&mut toks);
    // the Prob* synapses' `RANDCAST`, when no `#define` says what it is: a
    // cast, nothing to run
    toks.retain(|(t, _)| !matches!(t, Tok::Ident(w) if w == "RANDCAST"));
    Ok(toks)
}

fn tokenize(code: &str) -> Result<Lexed, (String, usize)> {
    let mut toks = Vec::new();
    let mut rest = code;
    while let Some(c) = rest.chars().next() {
        let at = code.len() - rest.len();
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let n = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            toks.push((Tok::Ident(rest[..n].to_string()), at));
            rest = &rest[n..];
        } else if c.is_ascii_digit()
            || (c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let mut n = 0;
            let bytes = rest.as_bytes();
            let hex = rest.starts_with("0x") || rest.starts_with("0X");
            while n < bytes.len() {
                let b = bytes[n];
                let exp_sign = (b == b'+' || b == b'-')
                    && n > 0
                    && matches!(bytes[n - 1], b'e' | b'E')
                    && !hex;
                if b.is_ascii_alphanumeric() || b == b'.' || exp_sign {
                    n += 1;
                } else {
                    break;
                }
            }
            let text = &rest[..n];
            let (value, int) = number(text)
                .ok_or_else(|| (format!("has the number `{text}` Neurite cannot read"), at))?;
            toks.push((Tok::Num(value, int), at));
            rest = &rest[n..];
        } else if c == '"' || c == '\'' {
            // literals were blanked by the comment pass: `"   "`
            let close = rest[1..].find(c).map_or(rest.len(), |k| k + 2);
            toks.push((Tok::Str, at));
            rest = &rest[close.min(rest.len())..];
        } else if c == '@' {
            let n = rest[1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(rest.len(), |k| k + 1);
            let k = rest[1..n]
                .parse()
                .map_err(|_| ("uses `@`".to_string(), at))?;
            toks.push((Tok::Embedded(k), at));
            rest = &rest[n..];
        } else if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            toks.push((Tok::P(p), at));
            rest = &rest[p.len()..];
        } else {
            return Err((format!("uses `{c}`, which Neurite does not run"), at));
        }
    }
    Ok(toks)
}

/// The value of a C number literal, and whether it is an integer.
fn number(text: &str) -> Option<(f64, bool)> {
    let lower = text.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        let digits = hex.trim_end_matches(['u', 'l']);
        return i64::from_str_radix(digits, 16)
            .ok()
            .map(|x| (x as f64, true));
    }
    let is_float = lower.contains(['.', 'e']);
    let digits = if is_float {
        lower.trim_end_matches(['f', 'l'])
    } else {
        lower.trim_end_matches(['u', 'l'])
    };
    if !is_float && digits.len() > 1 && digits.starts_with('0') {
        // octal
        return i64::from_str_radix(&digits[1..], 8)
            .ok()
            .map(|x| (x as f64, true));
    }
    digits.parse::<f64>().ok().map(|x| (x, !is_float))
}

/// Expands the file's macros in `toks` (`active` holds the macros being
/// expanded, which C does not expand again).
fn expand(toks: Lexed, env: &CEnv, active: &mut Vec<String>) -> Result<Lexed, (String, usize)> {
    if env.defines.is_empty() {
        return Ok(toks);
    }
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let (tok, at) = &toks[i];
        let at = *at;
        let def = match tok {
            Tok::Ident(n) if !active.contains(n) => env.defines.get(n),
            _ => None,
        };
        let Some(def) = def else {
            out.push(toks[i].clone());
            i += 1;
            continue;
        };
        if active.len() >= MAX_MACRO_DEPTH {
            return Err((format!("expands the macro `{}` too deeply", def.name), at));
        }
        let relocate = |(t, _): (Tok, usize)| (t, at);
        let body: Lexed = tokenize(&def.body)
            .map_err(|(what, _)| (format!("{what} (in the macro `{}`)", def.name), at))?
            .into_iter()
            .map(relocate)
            .collect();
        let replaced = match &def.params {
            None => {
                i += 1;
                body
            }
            Some(params) => {
                // a function-like macro not followed by `(` is not expanded
                if toks.get(i + 1).map(|t| &t.0) != Some(&Tok::P("(")) {
                    out.push(toks[i].clone());
                    i += 1;
                    continue;
                }
                let (args, next) = macro_args(&toks, i + 1).ok_or_else(|| {
                    (
                        format!("has an unclosed use of the macro `{}`", def.name),
                        at,
                    )
                })?;
                let args = if params.is_empty() && args.len() == 1 && args[0].is_empty() {
                    Vec::new()
                } else {
                    args
                };
                let variadic = params.last().is_some_and(|p| p.ends_with("..."));
                let args = if variadic && args.len() >= params.len() {
                    // `__VA_ARGS__` stands for the rest, commas included
                    let mut args = args;
                    let rest = args.split_off(params.len() - 1);
                    let mut joined = Vec::new();
                    for (k, a) in rest.into_iter().enumerate() {
                        if k > 0 {
                            joined.push((Tok::P(","), at));
                        }
                        joined.extend(a);
                    }
                    args.push(joined);
                    args
                } else if variadic && args.len() + 1 == params.len() {
                    let mut args = args;
                    args.push(Vec::new());
                    args
                } else {
                    args
                };
                let param_name = |p: &str| {
                    if p == "..." {
                        "__VA_ARGS__".to_string()
                    } else {
                        p.trim_end_matches("...").to_string()
                    }
                };
                if args.len() != params.len() {
                    return Err((
                        format!(
                            "uses the macro `{}` with {} arguments (it takes {})",
                            def.name,
                            args.len(),
                            params.len()
                        ),
                        at,
                    ));
                }
                i = next;
                let mut subst = Vec::new();
                for t in body {
                    match &t.0 {
                        Tok::Ident(n) => match params.iter().position(|p| param_name(p) == *n) {
                            Some(k) => subst.extend(args[k].iter().cloned().map(relocate)),
                            None => subst.push(t),
                        },
                        _ => subst.push(t),
                    }
                }
                subst
            }
        };
        active.push(def.name.clone());
        let expanded = expand(replaced, env, active);
        active.pop();
        out.extend(expanded?);
    }
    Ok(out)
}

/// The arguments of a macro use whose `(` is at `open`, and the index after
/// its `)`.
fn macro_args(toks: &Lexed, open: usize) -> Option<(Vec<Lexed>, usize)> {
    let mut depth = 0usize;
    let mut args = vec![Vec::new()];
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t.0 {
            Tok::P("(") => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            Tok::P(")") => {
                depth -= 1;
                if depth == 0 {
                    return Some((args, k + 1));
                }
            }
            Tok::P(",") if depth == 1 => {
                args.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = args.last_mut() {
            last.push(t.clone());
        }
    }
    None
}

/// Removes NEURON's thread arguments: `f(_threadargs_)` is `f()`,
/// `f(_threadargscomma_ x)` is `f(x)`, and the same for the prototypes.
fn strip_thread_args(toks: &mut Lexed) {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Ident(n) if n == "_threadargscomma_" || n == "_threadargsprotocomma_" => {}
            Tok::Ident(n) if n == "_threadargs_" || n == "_threadargsproto_" => {
                if toks.get(i + 1).map(|t| &t.0) == Some(&Tok::P(",")) {
                    i += 1;
                }
            }
            _ => out.push(toks[i].clone()),
        }
        i += 1;
    }
    *toks = out;
}

// ---------------------------------------------------------------- C syntax

#[derive(Clone, Debug, PartialEq)]
enum CExpr {
    /// A number; `true` for an integer.
    Num(f64, bool),
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

/// One declared name: `double x = 1`, `int k`, `static double c[3] = {...}`.
#[derive(Clone, Debug, PartialEq)]
struct Declarator {
    name: String,
    pointer: bool,
    int: bool,
    /// `static`: the value outlives the call in C.
    is_static: bool,
    /// The length of an array.
    len: Option<usize>,
    init: Option<Init>,
}

#[derive(Clone, Debug, PartialEq)]
enum Init {
    Expr(CExpr),
    List(Vec<CExpr>),
}

#[derive(Clone, Debug, PartialEq)]
enum CStmt {
    /// The statement at byte offset `.0` of the block's text.
    At(usize, Box<CStmt>),
    Decl(Vec<Declarator>),
    /// `lhs op rhs` with op `=`, `+=`, ... (`x++` is `x += 1`).
    Assign(CExpr, &'static str, CExpr),
    Expr(CExpr),
    If(CExpr, Vec<CStmt>, Option<Vec<CStmt>>),
    While(CExpr, Vec<CStmt>),
    DoWhile(Vec<CStmt>, CExpr),
    /// `for (init; cond; step) body`.
    For(Vec<CStmt>, Option<CExpr>, Vec<CStmt>, Vec<CStmt>),
    Break,
    Continue,
    Return(Option<CExpr>),
    Block(Vec<CStmt>),
    /// The K-th NMODL statement of a merged block.
    Embedded(usize),
}

struct Parser {
    toks: Vec<Tok>,
    offsets: Vec<usize>,
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
    fn new(lexed: Lexed) -> Parser {
        let (toks, offsets) = lexed.into_iter().unzip();
        Parser {
            toks,
            offsets,
            pos: 0,
        }
    }

    /// The text offset of the current token (the last one at the end).
    fn offset(&self) -> usize {
        self.offsets
            .get(self.pos)
            .or(self.offsets.last())
            .copied()
            .unwrap_or(0)
    }

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
            Some(Tok::Num(x, _)) => format!(" before `{x}`"),
            Some(Tok::Str) => " before a string".to_string(),
            Some(Tok::Embedded(_)) => " before an NMODL statement".to_string(),
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

    fn paren_expr(&mut self) -> Result<CExpr, String> {
        self.expect("(")?;
        let e = self.expr()?;
        self.expect(")")?;
        Ok(e)
    }

    /// One statement, marked with its offset.
    fn stmt(&mut self) -> Result<CStmt, String> {
        let at = self.offset();
        let s = self.stmt_here()?;
        Ok(CStmt::At(at, Box::new(s)))
    }

    fn stmt_here(&mut self) -> Result<CStmt, String> {
        if self.eat(";") {
            return Ok(CStmt::Block(Vec::new()));
        }
        if self.is("{") {
            return Ok(CStmt::Block(self.block()?));
        }
        if let Some(Tok::Embedded(k)) = self.peek() {
            let k = *k;
            self.pos += 1;
            self.expect(";")?;
            return Ok(CStmt::Embedded(k));
        }
        match self.word() {
            Some("if") => {
                self.pos += 1;
                if self.is("(")
                    && self.is_type_at(1)
                    && !matches!(self.peek_at(2), Some(Tok::P(")")))
                {
                    return self.if_decl();
                }
                let cond = self.paren_expr()?;
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
                let cond = self.paren_expr()?;
                let body = self.body()?;
                return Ok(CStmt::While(cond, body));
            }
            Some("do") => {
                self.pos += 1;
                let body = self.body()?;
                if self.word() != Some("while") {
                    return Err(format!("has a C `do` without its `while`{}", self.near()));
                }
                self.pos += 1;
                let cond = self.paren_expr()?;
                self.expect(";")?;
                return Ok(CStmt::DoWhile(body, cond));
            }
            Some("for") => {
                self.pos += 1;
                self.expect("(")?;
                let init = if self.eat(";") {
                    Vec::new()
                } else if self.is_type_at(0) {
                    vec![self.decl(false)?]
                } else {
                    self.simple_list(";")?
                };
                let cond = if self.is(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(";")?;
                let step = if self.eat(")") {
                    Vec::new()
                } else {
                    self.simple_list(")")?
                };
                let body = self.body()?;
                return Ok(CStmt::For(init, cond, step, body));
            }
            Some(w @ ("break" | "continue")) => {
                let s = if w == "break" {
                    CStmt::Break
                } else {
                    CStmt::Continue
                };
                self.pos += 1;
                self.expect(";")?;
                return Ok(s);
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
                w @ ("switch" | "goto" | "struct" | "class" | "union" | "enum" | "extern" | "new"
                | "delete" | "typedef" | "case" | "default"),
            ) => {
                return Err(format!("uses C `{w}`, which Neurite does not run"));
            }
            Some("static") => {
                self.pos += 1;
                if !self.is_type_at(0) {
                    return Err(format!(
                        "has a C `static` declaration Neurite cannot read{}",
                        self.near()
                    ));
                }
                return self.decl(true);
            }
            _ => {}
        }
        if self.is_type_at(0) {
            return self.decl(false);
        }
        let s = self.simple()?;
        self.expect(";")?;
        Ok(s)
    }

    /// Comma-separated simple statements ended by `end` (a `for`'s parts).
    fn simple_list(&mut self, end: &str) -> Result<Vec<CStmt>, String> {
        let mut out = Vec::new();
        loop {
            if self.is_type_at(0) {
                return Err("declares a variable in a C `for` step".to_string());
            }
            out.push(self.simple()?);
            if !self.eat(",") {
                break;
            }
        }
        self.expect(end)?;
        Ok(out)
    }

    /// An assignment, `++`/`--` or expression statement.
    fn simple(&mut self) -> Result<CStmt, String> {
        for (op, assign) in [("++", "+="), ("--", "-=")] {
            if self.eat(op) {
                let lhs = self.unary()?;
                return Ok(CStmt::Assign(lhs, assign, CExpr::Num(1.0, true)));
            }
        }
        let lhs = self.expr()?;
        let stmt = if self.eat("++") {
            CStmt::Assign(lhs, "+=", CExpr::Num(1.0, true))
        } else if self.eat("--") {
            CStmt::Assign(lhs, "-=", CExpr::Num(1.0, true))
        } else if let Some(Tok::P(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%="))) = self.peek() {
            let op = *op;
            self.pos += 1;
            let rhs = self.expr()?;
            if self.is("=") {
                return Err("chains C assignments, which Neurite does not run".to_string());
            }
            CStmt::Assign(lhs, op, rhs)
        } else {
            CStmt::Expr(lhs)
        };
        Ok(stmt)
    }

    fn decl(&mut self, is_static: bool) -> Result<CStmt, String> {
        let mut int = false;
        let mut is_static = is_static;
        while self.is_type_at(0) || self.word() == Some("static") {
            is_static |= self.word() == Some("static");
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
            if self.is("(") {
                return Err(format!("declares `{name}` in a way Neurite does not run"));
            }
            let mut len = None;
            let mut unsized_array = false;
            if self.eat("[") {
                if pointer {
                    return Err(format!("declares an array of pointers `{name}`"));
                }
                if self.eat("]") {
                    unsized_array = true;
                } else {
                    match self.peek() {
                        Some(Tok::Num(n, true)) if *n >= 1.0 && *n <= 1e6 => {
                            len = Some(*n as usize);
                            self.pos += 1;
                        }
                        _ => {
                            return Err(format!(
                                "declares the C array `{name}` without a constant length"
                            ))
                        }
                    }
                    self.expect("]")?;
                }
                if self.is("[") {
                    return Err(format!("declares the C array `{name}` of arrays"));
                }
            }
            let init = if self.eat("=") {
                if self.is("{") {
                    let list = self.init_list()?;
                    if len.is_none() && !unsized_array {
                        return Err(format!("initialises the C scalar `{name}` with a list"));
                    }
                    if unsized_array {
                        len = Some(list.len().max(1));
                    }
                    if len.is_some_and(|n| list.len() > n) {
                        return Err(format!("initialises `{name}` with too many values"));
                    }
                    Some(Init::List(list))
                } else {
                    if len.is_some() || unsized_array {
                        return Err(format!("initialises the C array `{name}` without a list"));
                    }
                    Some(Init::Expr(self.expr()?))
                }
            } else {
                None
            };
            if unsized_array && len.is_none() {
                return Err(format!("declares the C array `{name}` without a length"));
            }
            names.push(Declarator {
                name,
                pointer,
                int: int && !pointer,
                is_static,
                len,
                init,
            });
            if !self.eat(",") {
                break;
            }
        }
        self.expect(";")?;
        Ok(CStmt::Decl(names))
    }

    /// `{a, b, c}` (a trailing comma allowed).
    fn init_list(&mut self) -> Result<Vec<CExpr>, String> {
        self.expect("{")?;
        let mut out = Vec::new();
        while !self.eat("}") {
            out.push(self.expr()?);
            if !self.is("}") {
                self.expect(",")?;
            }
        }
        Ok(out)
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
                "|" | "^" => {
                    return Err(format!(
                        "uses the C bit operator `{op}`, which Neurite does not run"
                    ))
                }
                "==" | "!=" => 3,
                "<" | "<=" | ">" | ">=" => 4,
                "<<" | ">>" => {
                    return Err(format!(
                        "uses the C shift operator `{op}`, which Neurite does not run"
                    ))
                }
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
        if self.is("++") || self.is("--") {
            return Err(
                "uses `++` or `--` inside an expression, which Neurite does not run".to_string(),
            );
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
        let mut args = vec![CExpr::Str, CExpr::Str, CExpr::Str];
        for (from, to) in [(commas[2] + 1, commas[3]), (commas[3] + 1, close)] {
            let mut sub = Parser {
                toks: self.toks[from..to].to_vec(),
                offsets: self.offsets[from..to].to_vec(),
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

    /// `static_cast<T>(e)`, `reinterpret_cast<T*>(e)`: a cast of `e`.
    fn cpp_cast(&mut self) -> Result<CExpr, String> {
        self.expect("<")?;
        let (mut int, mut pointer) = (false, false);
        while !self.eat(">") {
            match self.peek() {
                Some(Tok::Ident(w)) if TYPE_WORDS.contains(&w.as_str()) => int |= is_int_type(w),
                Some(Tok::P("*")) => pointer = true,
                Some(Tok::Ident(w)) => return Err(unknown_type(w)),
                _ => return Err(format!("has a C++ cast Neurite cannot read{}", self.near())),
            }
            self.pos += 1;
        }
        let inner = self.paren_expr()?;
        Ok(CExpr::Cast {
            int: int && !pointer,
            inner: Box::new(inner),
        })
    }

    /// `if (T* x = e) body [else body]` (C++17), after `if`: the declaration,
    /// then `if (x)`, in a block of their own.
    fn if_decl(&mut self) -> Result<CStmt, String> {
        self.expect("(")?;
        let mut int = false;
        while self.is_type_at(0) {
            int |= self.word().is_some_and(is_int_type);
            self.pos += 1;
        }
        let mut pointer = false;
        while self.eat("*") {
            pointer = true;
        }
        let Some(Tok::Ident(name)) = self.peek().cloned() else {
            return Err(format!(
                "has a C declaration Neurite cannot read{}",
                self.near()
            ));
        };
        self.pos += 1;
        self.expect("=")?;
        let init = self.expr()?;
        self.expect(")")?;
        let then = self.body()?;
        let otherwise = if self.word() == Some("else") {
            self.pos += 1;
            Some(self.body()?)
        } else {
            None
        };
        let decl = Declarator {
            name: name.clone(),
            pointer,
            int: int && !pointer,
            is_static: false,
            len: None,
            init: Some(Init::Expr(init)),
        };
        Ok(CStmt::Block(vec![
            CStmt::Decl(vec![decl]),
            CStmt::If(CExpr::Name(name), then, otherwise),
        ]))
    }

    fn primary(&mut self) -> Result<CExpr, String> {
        match self.peek().cloned() {
            Some(Tok::Num(x, int)) => {
                self.pos += 1;
                Ok(CExpr::Num(x, int))
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
                if name.ends_with("_cast") && self.is("<") {
                    return self.cpp_cast();
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
                // `(Info**)`: a cast to a type Neurite does not know
                if let (Some(Tok::Ident(w)), Some(Tok::P("*"))) = (self.peek(), self.peek_at(1)) {
                    let w = w.clone();
                    let mut k = 1;
                    while matches!(self.peek_at(k), Some(Tok::P("*"))) {
                        k += 1;
                    }
                    if matches!(self.peek_at(k), Some(Tok::P(")"))) {
                        return Err(unknown_type(&w));
                    }
                }
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
    /// An `int` (assignments truncate) or a `double`; `is_static` ones may
    /// not be written (their value outlives the call in C).
    Number { int: bool, is_static: bool },
    /// An array of numbers.
    Array { int: bool, is_static: bool },
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

/// The flags of a C loop being translated.
#[derive(Clone, Default)]
struct LoopFlags {
    brk: Option<String>,
    cont: Option<String>,
}

/// Where an assignment writes.
enum Target {
    Name(String),
    Element(String, Expr),
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
    /// The block's span.
    block: Span,
    /// Where its text starts in the file.
    base: u32,
    /// The span of the statement being translated (given to the nodes made).
    span: Span,
    ctx: &'c Context<'a>,
    scopes: Vec<Scope>,
    /// A `return` was translated (`$done` is declared).
    returns: bool,
    /// The statement just translated may have left normal flow (`return`,
    /// or `break`/`continue` of the innermost C loop).
    jumped: bool,
    /// The C loops around the statement, innermost last.
    loops: Vec<LoopFlags>,
    /// Numbers the flags of C loops.
    counter: usize,
    /// Where the error being returned is, when not at the statement (C of
    /// a top-level function that cannot run).
    error_span: Option<Span>,
    /// Assignments to run before the statement being translated: what a C
    /// function stores through its pointer arguments
    /// ([`super::random::out_param_call`]).
    pre: Vec<Stmt>,
}

impl<'c, 'a> Translator<'c, 'a> {
    fn new(block: Span, base: u32, ctx: &'c Context<'a>) -> Self {
        Translator {
            block,
            base,
            span: block,
            ctx,
            scopes: vec![Scope::default()],
            returns: false,
            jumped: false,
            loops: Vec::new(),
            counter: 0,
            error_span: None,
            pre: Vec::new(),
        }
    }

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
        self.local_array(name, None)
    }

    fn local_array(&self, name: &str, len: Option<usize>) -> Stmt {
        let length = len.map(|n| {
            ArrayLen::Number(Number {
                value: n as f64,
                text: n.to_string(),
                span: self.span,
            })
        });
        Stmt::Local {
            names: vec![LocalDecl {
                name: self.ident(name),
                length,
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

    fn if_then(&self, cond: Expr, stmts: Vec<Stmt>) -> Stmt {
        Stmt::If {
            cond,
            then: self.block(stmts),
            otherwise: None,
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

    fn is_zero(&self, flag: &str) -> Expr {
        self.bin(BinOp::Eq, self.name(flag), self.num(0.0))
    }

    fn and(&self, a: Option<Expr>, b: Expr) -> Expr {
        match a {
            Some(a) => self.bin(BinOp::And, a, b),
            None => b,
        }
    }

    /// Whether execution continues normally here: no `return` executed, and
    /// (with `loop_flags`) no `break`/`continue` of the innermost C loop.
    fn guard(&self, loop_flags: bool, cont: bool) -> Option<Expr> {
        let mut g = None;
        if self.returns {
            g = Some(self.is_zero(DONE));
        }
        if loop_flags {
            if let Some(flags) = self.loops.last() {
                if let Some(b) = &flags.brk {
                    g = Some(self.and(g, self.is_zero(b)));
                }
                if let (true, Some(c)) = (cont, &flags.cont) {
                    g = Some(self.and(g, self.is_zero(c)));
                }
            }
        }
        g
    }

    /// Translates a statement list in a scope of its own.
    fn stmts(&mut self, items: &[CStmt]) -> Result<Vec<Stmt>, String> {
        self.scopes.push(Scope::default());
        let result = self.stmts_in_scope(items);
        self.scopes.pop();
        result
    }

    /// After a statement that may have left normal flow, the rest runs
    /// only where it did not.
    fn stmts_in_scope(&mut self, items: &[CStmt]) -> Result<Vec<Stmt>, String> {
        let mut out = Vec::new();
        let mut any = false;
        for (k, item) in items.iter().enumerate() {
            self.jumped = false;
            out.extend(self.stmt(item)?);
            any |= self.jumped;
            if self.jumped && k + 1 < items.len() {
                let rest = self.stmts_in_scope(&items[k + 1..])?;
                if !rest.is_empty() {
                    if let Some(g) = self.guard(true, true) {
                        out.push(self.if_then(g, rest));
                    } else {
                        out.extend(rest);
                    }
                }
                break;
            }
        }
        self.jumped = any;
        Ok(out)
    }

    fn set_at(&mut self, offset: usize) {
        self.span = place(self.block, self.base, offset);
    }

    fn stmt(&mut self, s: &CStmt) -> Result<Vec<Stmt>, String> {
        let outer = std::mem::take(&mut self.pre);
        let out = self.stmt_itself(s);
        let mut before = std::mem::replace(&mut self.pre, outer);
        let out = out?;
        if before.is_empty() {
            return Ok(out);
        }
        before.extend(out);
        Ok(before)
    }

    fn stmt_itself(&mut self, s: &CStmt) -> Result<Vec<Stmt>, String> {
        match s {
            CStmt::At(at, inner) => {
                self.set_at(*at);
                self.stmt(inner)
            }
            CStmt::Block(items) => Ok(vec![Stmt::Block(self.block_of(items)?)]),
            CStmt::Embedded(k) => match self.ctx.embedded.get(*k) {
                Some(stmt) => Ok(vec![stmt.clone()]),
                None => Err("has a misplaced NMODL statement".to_string()),
            },
            CStmt::Decl(names) => {
                let mut out = Vec::new();
                for d in names {
                    out.extend(self.decl(d)?);
                }
                Ok(out)
            }
            CStmt::Assign(lhs, op, rhs) => self.assign_to(lhs, op, rhs),
            CStmt::Expr(e) => self.expr_stmt(e),
            CStmt::If(cond, then, otherwise) => {
                let cond = self.value(cond)?;
                let then = self.block_of(then)?;
                let jumped = self.jumped;
                let otherwise = match otherwise {
                    Some(o) => Some(self.block_of(o)?),
                    None => None,
                };
                self.jumped |= jumped;
                Ok(vec![Stmt::If {
                    cond,
                    then,
                    otherwise,
                    span: self.span,
                }])
            }
            CStmt::While(cond, body) => self.c_loop(None, Some(cond), body, false),
            CStmt::For(init, cond, step, body) => {
                self.scopes.push(Scope::default());
                let result = self.for_loop(init, cond.as_ref(), step, body);
                self.scopes.pop();
                Ok(vec![Stmt::Block(self.block(result?))])
            }
            CStmt::DoWhile(body, cond) => self.c_loop(None, Some(cond), body, true),
            CStmt::Break => {
                self.jumped = true;
                match self.loops.last_mut() {
                    Some(flags) => {
                        let flag = flags.brk.clone().unwrap_or_default();
                        Ok(vec![self.assign(&flag, self.num(1.0))])
                    }
                    // a `break` of an NMODL loop around split C
                    None => {
                        self.jumped = false;
                        Ok(vec![Stmt::Expr(self.call("$break", Vec::new()))])
                    }
                }
            }
            CStmt::Continue => match self.loops.last() {
                Some(flags) => {
                    self.jumped = true;
                    let flag = flags.cont.clone().unwrap_or_default();
                    Ok(vec![self.assign(&flag, self.num(1.0))])
                }
                None => Err("uses C `continue` outside a C loop".to_string()),
            },
            CStmt::Return(value) => {
                self.returns = true;
                self.jumped = true;
                let mut out = Vec::new();
                // (a PROCEDURE's C returns a status nobody reads)
                if let (Some(e), Some(f)) = (value, self.ctx.function) {
                    let v = self.value(e)?;
                    let v = if self.ctx.env.int_functions.contains(f) {
                        self.call("$trunc", vec![v])
                    } else {
                        v
                    };
                    out.push(self.assign(f, v));
                }
                out.push(self.assign(DONE, self.num(1.0)));
                Ok(out)
            }
        }
    }

    fn for_loop(
        &mut self,
        init: &[CStmt],
        cond: Option<&CExpr>,
        step: &[CStmt],
        body: &[CStmt],
    ) -> Result<Vec<Stmt>, String> {
        let mut out = Vec::new();
        for s in init {
            out.extend(self.stmt(s)?);
        }
        out.extend(self.c_loop(Some(step), cond, body, false)?);
        Ok(out)
    }

    /// A C loop: `while` (`step` empty), `for` (`step` given) or `do ...
    /// while` (`do_while`). `break`, `continue` and `return` in the body set
    /// flags that guard the rest of it and end the loop.
    fn c_loop(
        &mut self,
        step: Option<&[CStmt]>,
        cond: Option<&CExpr>,
        body: &[CStmt],
        do_while: bool,
    ) -> Result<Vec<Stmt>, String> {
        let (has_break, has_continue) = jumps_in(body);
        self.counter += 1;
        let k = self.counter;
        let mut out = Vec::new();
        let mut flags = LoopFlags::default();
        if has_break {
            let f = format!("$brk{k}");
            out.push(self.local(&f));
            flags.brk = Some(f);
        }
        if has_continue {
            let f = format!("$cont{k}");
            out.push(self.local(&f));
            flags.cont = Some(f);
        }
        let again = format!("$dw{k}");
        if do_while {
            out.push(self.local(&again));
            out.push(self.assign(&again, self.num(1.0)));
        }
        let loop_span = self.span;
        self.loops.push(flags.clone());
        let translated = (|| -> Result<Vec<Stmt>, String> {
            let mut stmts = Vec::new();
            if let Some(c) = &flags.cont {
                stmts.push(self.assign(c, self.num(0.0)));
            }
            stmts.extend(self.stmts(body)?);
            // the step of a `for`, or the test of a `do`, after a
            // `continue` but not after a `break` or `return`
            let mut tail = Vec::new();
            if let Some(step) = step {
                for s in step {
                    tail.extend(self.stmt(s)?);
                }
            }
            if do_while {
                let c = match cond {
                    Some(c) => self.value(c)?,
                    None => self.num(1.0),
                };
                tail.push(self.assign(&again, c));
            }
            if !tail.is_empty() {
                match self.guard(true, false) {
                    Some(g) => stmts.push(self.if_then(g, tail)),
                    None => stmts.extend(tail),
                }
            }
            Ok(stmts)
        })();
        self.loops.pop();
        let stmts = translated?;
        self.span = loop_span;
        let test = if do_while {
            self.bin(BinOp::Ne, self.name(&again), self.num(0.0))
        } else {
            match cond {
                Some(c) => self.value(c)?,
                None => self.num(1.0),
            }
        };
        let mut test = test;
        if let Some(b) = &flags.brk {
            test = self.bin(BinOp::And, test, self.is_zero(b));
        }
        if self.returns {
            test = self.bin(BinOp::And, test, self.is_zero(DONE));
        }
        out.push(Stmt::While {
            cond: test,
            body: self.block(stmts),
            span: self.span,
        });
        // `break` and `continue` end here; a `return` goes on
        self.jumped = has_return(body);
        Ok(out)
    }

    fn block_of(&mut self, items: &[CStmt]) -> Result<Block, String> {
        let span = self.span;
        let stmts = self.stmts(items)?;
        Ok(Block { stmts, span })
    }

    fn decl(&mut self, d: &Declarator) -> Result<Vec<Stmt>, String> {
        let mut out = Vec::new();
        let name = &d.name;
        if d.pointer {
            self.declare(name, Local::Handle);
            out.push(self.local(name));
            if let Some(Init::Expr(e)) = &d.init {
                out.extend(self.assign_to(&CExpr::Name(name.clone()), "=", e)?);
            }
            return Ok(out);
        }
        match d.len {
            None => {
                // the initial value is assigned while the name may be written
                self.declare(
                    name,
                    Local::Number {
                        int: d.int,
                        is_static: false,
                    },
                );
                out.push(self.local(name));
                if let Some(Init::Expr(e)) = &d.init {
                    out.extend(self.assign_to(&CExpr::Name(name.clone()), "=", e)?);
                }
                self.declare(
                    name,
                    Local::Number {
                        int: d.int,
                        is_static: d.is_static,
                    },
                );
            }
            Some(len) => {
                out.push(self.local_array(name, Some(len)));
                if let Some(Init::List(values)) = &d.init {
                    for (k, v) in values.iter().enumerate() {
                        let v = self.value(v)?;
                        let v = if d.int {
                            self.call("$trunc", vec![v])
                        } else {
                            v
                        };
                        out.push(Stmt::Assign {
                            lhs: LValue::Index {
                                name: self.ident(name),
                                index: Box::new(self.num(k as f64)),
                                span: self.span,
                            },
                            rhs: v,
                            span: self.span,
                        });
                    }
                }
                self.declare(
                    name,
                    Local::Array {
                        int: d.int,
                        is_static: d.is_static,
                    },
                );
            }
        }
        Ok(out)
    }

    fn expr_stmt(&mut self, e: &CExpr) -> Result<Vec<Stmt>, String> {
        match e {
            CExpr::Call(f, _) if NO_OPS.contains(&f.as_str()) => Ok(Vec::new()),
            CExpr::Call(..) => Ok(vec![Stmt::Expr(self.value(e)?)]),
            CExpr::Cast { inner, .. } => self.expr_stmt(inner),
            _ => Err("has a C expression statement that does nothing Neurite can run".to_string()),
        }
    }

    /// Where a C lvalue writes (a local, an NMODL variable, an element of an
    /// array, or the target of an alias); `Err` for what cannot be assigned.
    fn place(&mut self, lhs: &CExpr) -> Result<Target, String> {
        let static_error = |n: &str| {
            format!(
                "writes the C static `{n}`, whose value NEURON keeps between calls; Neurite does not keep it"
            )
        };
        match lhs {
            CExpr::Name(n) => match self.lookup(n) {
                Some(Local::Number {
                    is_static: true, ..
                }) => Err(static_error(n)),
                Some(Local::Array { .. }) => Err(format!("assigns the C array `{n}` as a whole")),
                Some(_) => Ok(Target::Name(n.clone())),
                None if self.ctx.env.failed.contains_key(n.as_str()) => Err(self.file_failure(n)),
                None => Ok(Target::Name(variable_name(n))),
            },
            CExpr::Index(base, index) => match strip_casts(base) {
                CExpr::Name(n) => match self.lookup(n) {
                    Some(Local::Array {
                        is_static: true, ..
                    }) => Err(static_error(n)),
                    Some(Local::Array { .. }) | None => {
                        let i = self.value(index)?;
                        let name = if self.lookup(n).is_some() {
                            n.clone()
                        } else {
                            variable_name(n)
                        };
                        Ok(Target::Element(name, i))
                    }
                    _ => Err(format!(
                        "writes through the C pointer `{n}`, which Neurite does not run"
                    )),
                },
                _ => Err("writes through a C pointer Neurite does not follow".to_string()),
            },
            CExpr::Unary("*", inner) => match strip_casts(inner) {
                CExpr::Name(n) => match self.lookup(n) {
                    Some(Local::Alias(Some(target))) => Ok(Target::Name(target.clone())),
                    _ => Err(format!(
                        "writes through the C pointer `{n}`, which Neurite does not run"
                    )),
                },
                CExpr::Unary("&", x) => match strip_casts(x) {
                    CExpr::Name(n) => Ok(Target::Name(variable_name(n))),
                    _ => Err("writes through a C pointer Neurite does not follow".to_string()),
                },
                _ => Err("writes through a C pointer Neurite does not follow".to_string()),
            },
            CExpr::Cast { inner, .. } => self.place(inner),
            _ => Err("assigns to a C expression Neurite does not run".to_string()),
        }
    }

    fn assign_to(&mut self, lhs: &CExpr, op: &str, rhs: &CExpr) -> Result<Vec<Stmt>, String> {
        if let CExpr::Index(base, index) = lhs {
            if let CExpr::Name(h) = strip_casts(base) {
                if matches!(self.lookup(h), Some(Local::Handle)) {
                    return self.vector_write(h, index, op, rhs);
                }
            }
        }
        let target = self.place(lhs)?;
        let value = match self.translate(rhs)? {
            Value::Address(addr) => {
                // `pv = (void**)(&space)`: pv now stands for space
                let Target::Name(name) = target else {
                    return Err("stores an address in an array, which Neurite does not run".into());
                };
                return match self.lookup(&name) {
                    Some(Local::Handle | Local::Alias(_)) => {
                        self.declare(&name, Local::Alias(Some(addr)));
                        Ok(Vec::new())
                    }
                    _ => Err(format!(
                        "stores an address in `{name}`, which Neurite does not run"
                    )),
                };
            }
            Value::Expr(e) => e,
        };
        let int_target = match &target {
            Target::Name(n) => matches!(self.lookup(n), Some(Local::Number { int: true, .. })),
            Target::Element(n, _) => matches!(self.lookup(n), Some(Local::Array { int: true, .. })),
        };
        let current = match &target {
            Target::Name(n) => self.name(n),
            Target::Element(n, i) => Expr::Index {
                name: self.ident(n),
                index: Box::new(i.clone()),
                span: self.span,
            },
        };
        let both_int = int_target && self.is_int(rhs);
        let value = match op {
            "=" => value,
            "+=" => self.bin(BinOp::Add, current, value),
            "-=" => self.bin(BinOp::Sub, current, value),
            "*=" => self.bin(BinOp::Mul, current, value),
            "/=" if both_int => self.call("$trunc", vec![self.bin(BinOp::Div, current, value)]),
            "/=" => self.bin(BinOp::Div, current, value),
            "%=" => self.call("fmod", vec![current, value]),
            _ => {
                return Err(format!(
                    "uses the C operator `{op}`, which Neurite does not run"
                ))
            }
        };
        let value = if int_target {
            self.call("$trunc", vec![value])
        } else {
            value
        };
        Ok(vec![match target {
            Target::Name(n) => self.assign(&n, value),
            Target::Element(n, i) => Stmt::Assign {
                lhs: LValue::Index {
                    name: self.ident(&n),
                    index: Box::new(i),
                    span: self.span,
                },
                rhs: value,
                span: self.span,
            },
        }])
    }

    /// `px[i] op= x` where `px = vector_vec(vv)`: element i of the vector
    /// (`$vecset(px, i, x)`); APCount's `record(vec)` idiom.
    fn vector_write(
        &mut self,
        h: &str,
        index: &CExpr,
        op: &str,
        rhs: &CExpr,
    ) -> Result<Vec<Stmt>, String> {
        let x = match op {
            "=" => self.value(rhs)?,
            "+=" | "-=" | "*=" | "/=" => {
                let now = CExpr::Index(
                    Box::new(CExpr::Name(h.to_string())),
                    Box::new(index.clone()),
                );
                let bin = match op {
                    "+=" => "+",
                    "-=" => "-",
                    "*=" => "*",
                    _ => "/",
                };
                self.value(&CExpr::Binary(bin, Box::new(now), Box::new(rhs.clone())))?
            }
            _ => return Err(format!("uses the C operator `{op}` on a vector element")),
        };
        let i = self.value(index)?;
        let set = self.call("$vecset", vec![self.name(h), i, x]);
        Ok(vec![Stmt::Expr(set)])
    }

    /// A C function that answers through pointer arguments
    /// ([`super::random::out_param_call`], `nrn_random_isran123(r, &id[0],
    /// &id[1], &id[2])`): what it stores is assigned before the statement that
    /// calls it; its value is the call's own.
    fn out_param_call(&mut self, f: &str, args: &[CExpr]) -> Result<Value, String> {
        let Some((value, outs)) = super::random::out_param_call(f) else {
            return Err(format!("calls the C function `{f}`"));
        };
        let args: Vec<&CExpr> = args.iter().filter(|a| !is_thread_arg(a)).collect();
        let Some((first, rest)) = args.split_first() else {
            return Err(format!("calls `{f}` without arguments"));
        };
        if rest.len() > outs.len() {
            return Err(format!("calls `{f}` with {} arguments", args.len()));
        }
        for (a, internal) in rest.iter().zip(outs) {
            let CExpr::Unary("&", target) = strip_casts(a) else {
                return Err(format!("passes `{f}` something other than an address"));
            };
            let got = CExpr::Call((*internal).to_string(), vec![(*first).clone()]);
            let stmts = self.assign_to(target, "=", &got)?;
            self.pre.extend(stmts);
        }
        let stream = self.value(first)?;
        Ok(Value::Expr(match value {
            Some(internal) => self.call(internal, vec![stream]),
            None => self.num(0.0),
        }))
    }

    /// Whether C computes `e` in an integer type.
    fn is_int(&self, e: &CExpr) -> bool {
        match e {
            CExpr::Num(_, int) => *int,
            CExpr::Name(n) => matches!(self.lookup(n), Some(Local::Number { int: true, .. })),
            CExpr::Index(base, _) => matches!(strip_casts(base),
                CExpr::Name(n) if matches!(self.lookup(n), Some(Local::Array { int: true, .. }))),
            CExpr::Cast { int, .. } => *int,
            CExpr::Unary("!", _) => true,
            CExpr::Unary("-", a) => self.is_int(a),
            CExpr::Binary(op, a, b) => match *op {
                "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" => true,
                _ => self.is_int(a) && self.is_int(b),
            },
            CExpr::Cond(_, a, b) => self.is_int(a) && self.is_int(b),
            CExpr::Call(f, _) => self.ctx.env.int_functions.contains(f),
            _ => false,
        }
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
            CExpr::Num(x, _) => ex(self.num(*x)),
            CExpr::Str => Err("uses a C string outside printf".to_string()),
            // Neurite runs NEURON's fixed step only
            CExpr::Name(n) if n == "NULL" || n == "nullptr" || n == "cvode_active_" => {
                ex(self.num(0.0))
            }
            CExpr::Name(n) => match self.lookup(n) {
                Some(Local::Alias(Some(target))) => Ok(Value::Address(target.clone())),
                Some(Local::Alias(None)) => Err(format!("reads the unset C pointer `{n}`")),
                Some(Local::Array { .. }) => Err(format!("uses the C array `{n}` as a value")),
                Some(_) => ex(self.name(n)),
                None if self.ctx.env.failed.contains_key(n.as_str()) => Err(self.file_failure(n)),
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
            CExpr::Binary(op @ ("&&" | "||"), a, b) if const_value(a).is_some() => {
                // C does not evaluate `b` when `a` decides: `cvode_active_ && ...`
                let a = const_value(a).unwrap_or(0.0) != 0.0;
                match (*op, a) {
                    ("&&", false) => ex(self.num(0.0)),
                    ("||", true) => ex(self.num(1.0)),
                    _ => {
                        let b = self.value(b)?;
                        ex(self.bin(BinOp::Ne, b, self.num(0.0)))
                    }
                }
            }
            CExpr::Binary(op, a_c, b_c) => {
                let (a, b) = (self.value(a_c)?, self.value(b_c)?);
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
                    "/" if self.is_int(a_c) && self.is_int(b_c) => {
                        // C's integer division truncates toward zero
                        return ex(self.call("$trunc", vec![self.bin(BinOp::Div, a, b)]));
                    }
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
                    CExpr::Name(n) if matches!(self.lookup(n), Some(Local::Array { .. })) => {
                        ex(Expr::Index {
                            name: self.ident(n),
                            index: Box::new(i),
                            span: self.span,
                        })
                    }
                    CExpr::Name(n) if self.lookup(n).is_none() => ex(Expr::Index {
                        name: self.ident(&variable_name(n)),
                        index: Box::new(i),
                        span: self.span,
                    }),
                    _ => Err("indexes a C pointer Neurite does not follow".to_string()),
                }
            }
            CExpr::Call(f, args) => self.call_expr(f, args),
        }
    }

    /// The error of using top-level C `name` that Neurite cannot run: its
    /// reason, placed where that C is.
    fn file_failure(&mut self, name: &str) -> String {
        match self.ctx.env.failed.get(name) {
            Some(e) => {
                self.error_span = Some(e.span);
                e.what.clone()
            }
            None => format!("uses the C name `{name}`"),
        }
    }

    /// `vector_arg(k)`, `*getarg(k)`: argument k of a call from HOC.
    fn arg(&mut self, args: &[CExpr]) -> Result<Value, String> {
        match args {
            [CExpr::Num(k, _)] if *k >= 1.0 => {
                Ok(Value::Expr(self.call("$arg", vec![self.num(*k)])))
            }
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
            "vector_resize" => match args {
                [h, n] => {
                    let (h, n) = (self.value(h)?, self.value(n)?);
                    Ok(Value::Expr(self.call("$vecresize", vec![h, n])))
                }
                _ => Err(format!("calls `{f}` with {} arguments", args.len())),
            },
            _ if super::random::out_param_call(f).is_some() => self.out_param_call(f, args),
            // what [`Self::out_param_call`] stores (internal, never C's)
            _ if f.starts_with("$ran_") => {
                let mut out = Vec::new();
                for a in args {
                    out.push(self.value(a)?);
                }
                Ok(Value::Expr(self.call(f, out)))
            }
            // an error NEURON raises at run time: a load error unless the
            // lowering finds it unreachable
            "hoc_execerror" | "hoc_execerr_ext" => Ok(Value::Expr(self.call("$error", Vec::new()))),
            "vector_arg" => self.arg(args),
            "ifarg" => match args {
                [CExpr::Num(k, _)] => Ok(Value::Expr(self.call("$ifarg", vec![self.num(*k)]))),
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
            "nrn_fake_fire" if args.len() == 3 => {
                let mut out = Vec::new();
                for a in args {
                    out.push(self.value(a)?);
                }
                Ok(Value::Expr(self.call("$fake_fire", out)))
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
            _ if self.ctx.env.failed.contains_key(f) => Err(self.file_failure(f)),
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

/// The error for a cast to a type that is not one of C's or NEURON's (a
/// struct of the file, such as PatternStim's `Info`).
fn unknown_type(name: &str) -> String {
    format!("uses the C type `{name}` (a struct?), which Neurite does not run")
}

/// The value of a C constant (`0`, `NULL`, `cvode_active_`: Neurite runs
/// the fixed step), if `e` is one.
fn const_value(e: &CExpr) -> Option<f64> {
    match e {
        CExpr::Num(x, _) => Some(*x),
        CExpr::Name(n) if n == "NULL" || n == "nullptr" || n == "cvode_active_" => Some(0.0),
        CExpr::Cast { inner, .. } => const_value(inner),
        CExpr::Unary("!", inner) => const_value(inner).map(|x| f64::from(u8::from(x == 0.0))),
        _ => None,
    }
}

/// Whether a loop body has a `break` and a `continue` of its own (not of
/// loops nested in it).
fn jumps_in(body: &[CStmt]) -> (bool, bool) {
    let mut found = (false, false);
    for s in body {
        match s {
            CStmt::At(_, inner) => {
                let (b, c) = jumps_in(std::slice::from_ref(inner.as_ref()));
                found = (found.0 || b, found.1 || c);
            }
            CStmt::Break => found.0 = true,
            CStmt::Continue => found.1 = true,
            CStmt::If(_, then, otherwise) => {
                for list in std::iter::once(then).chain(otherwise) {
                    let (b, c) = jumps_in(list);
                    found = (found.0 || b, found.1 || c);
                }
            }
            CStmt::Block(items) => {
                let (b, c) = jumps_in(items);
                found = (found.0 || b, found.1 || c);
            }
            _ => {}
        }
    }
    found
}

/// Whether a statement list has a `return` anywhere.
fn has_return(items: &[CStmt]) -> bool {
    items.iter().any(|s| match s {
        CStmt::At(_, inner) => has_return(std::slice::from_ref(inner.as_ref())),
        CStmt::Return(_) => true,
        CStmt::If(_, then, otherwise) => {
            has_return(then) || otherwise.as_ref().is_some_and(|o| has_return(o))
        }
        CStmt::While(_, b) | CStmt::DoWhile(b, _) | CStmt::Block(b) => has_return(b),
        CStmt::For(init, _, step, b) => has_return(init) || has_return(step) || has_return(b),
        _ => false,
    })
}

// ---------------------------------------------------------------- the file's C

/// A C function defined at the top level of the file, parsed.
struct CDef {
    name: String,
    /// `None` for `void`; `Some(true)` for an integer result.
    result: Option<bool>,
    /// Parameter names, and whether each is an integer.
    params: Vec<(String, bool)>,
    body: Vec<CStmt>,
    /// The name's span; the block's span and text base.
    span: Span,
    block: Span,
    base: u32,
}

/// The top-level C of `program`: its `#define`s, and its C function
/// definitions translated into FUNCTIONs and PROCEDUREs (`is_nmodl_callable`
/// names the file's own). A C function that cannot be translated is kept as
/// the reason, given where it is called.
pub fn file_c(program: &Program, is_nmodl_callable: &dyn Fn(&str) -> bool) -> CFile {
    let mut file = CFile::default();
    let blocks: Vec<&crate::ast::Verbatim> = program
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Verbatim(v) => Some(v),
            _ => None,
        })
        .collect();
    for v in &blocks {
        for d in crate::verbatim::defines(&v.text) {
            match d.name.strip_prefix('-') {
                Some(undef) => {
                    file.env.defines.remove(undef);
                }
                None => {
                    file.env.defines.insert(d.name.clone(), d);
                }
            }
        }
    }
    let mut defs = Vec::new();
    for v in &blocks {
        let kind = crate::verbatim::classify_in(&v.text, is_nmodl_callable);
        if kind == crate::verbatim::VerbatimKind::Trivial {
            continue;
        }
        if let Err(e) = top_level(v, &mut file.env, &mut defs) {
            file.errors.push(e);
        }
    }
    let names: HashSet<String> = defs
        .iter()
        .filter(|d| !is_nmodl_callable(&d.name))
        .map(|d| d.name.clone())
        .collect();
    for d in &defs {
        if d.result == Some(true) {
            file.env.int_functions.insert(d.name.clone());
        }
    }
    // a function calling one that fails fails too: translate until no new
    // failure appears
    loop {
        file.functions.clear();
        let mut failures = Vec::new();
        for d in defs.iter().filter(|d| names.contains(&d.name)) {
            if file.env.failed.contains_key(&d.name) {
                continue;
            }
            let env = &file.env;
            let is_callable = |n: &str| {
                is_nmodl_callable(n) || (names.contains(n) && !env.failed.contains_key(n))
            };
            match function(d, &is_callable, env) {
                Ok(c) => file.functions.push((c, d.result.is_some())),
                Err(e) => failures.push((d.name.clone(), e)),
            }
        }
        if failures.is_empty() {
            break;
        }
        for (name, e) in failures {
            file.env.failed.insert(name, e);
        }
    }
    file
}

/// Reads the items of a top-level VERBATIM block: function definitions go to
/// `defs` (or, when their C cannot be read, to `env.failed`); prototypes and
/// `extern` declarations are skipped; global variables are recorded as
/// failures of their name.
fn top_level(v: &crate::ast::Verbatim, env: &mut CEnv, defs: &mut Vec<CDef>) -> Result<(), CError> {
    let base = v.span.start + KEYWORD_LEN;
    let at = |offset: usize| place(v.span, base, offset);
    let toks = lex(&v.text, env).map_err(|(what, o)| CError { what, span: at(o) })?;
    let mut i = 0;
    while i < toks.len() {
        // an item ends at `;` or at a `{ ... }` outside parentheses
        let start = i;
        let mut depth = 0usize;
        let mut brace = None;
        while i < toks.len() {
            match toks[i].0 {
                Tok::P("(") => depth += 1,
                Tok::P(")") => depth = depth.saturating_sub(1),
                Tok::P(";") if depth == 0 => break,
                Tok::P("{") if depth == 0 => {
                    brace = Some(i);
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let Some(open) = brace else {
            // a prototype, an `extern` declaration or a global variable
            declaration(&toks[start..i.min(toks.len())], v.span, base, env);
            i += 1;
            continue;
        };
        let close = matching_brace(&toks, open).ok_or_else(|| CError {
            what: "has a C block that is not closed".to_string(),
            span: at(toks[open].1),
        })?;
        let header = &toks[start..open];
        match function_header(header) {
            Some(Ok((name, result, params))) => {
                let span = place(v.span, base, toks[start].1);
                let name_at = header
                    .iter()
                    .find(|(t, _)| *t == Tok::Ident(name.clone()))
                    .map_or(span, |(_, o)| place(v.span, base, *o));
                let mut p = Parser::new(toks[open + 1..close].to_vec());
                let mut body = Vec::new();
                let mut failure = None;
                while !p.at_end() {
                    match p.stmt() {
                        Ok(s) => body.push(s),
                        Err(what) => {
                            failure = Some(CError {
                                what: format!("{what} (in the C function `{name}`)"),
                                span: at(p.offset()),
                            });
                            break;
                        }
                    }
                }
                match failure {
                    Some(e) => {
                        env.failed.insert(name, e);
                    }
                    None => defs.push(CDef {
                        name,
                        result,
                        params,
                        body,
                        span: name_at,
                        block: v.span,
                        base,
                    }),
                }
            }
            Some(Err((name, what))) => {
                let span = place(v.span, base, toks[start].1);
                env.failed.insert(
                    name.clone(),
                    CError {
                        what: format!("{what} (the C function `{name}`)"),
                        span,
                    },
                );
            }
            // a struct, an initialised global array, `extern "C" {`...
            None => {
                for (t, o) in header {
                    if let Tok::Ident(n) = t {
                        if !TYPE_WORDS.contains(&n.as_str()) && !is_specifier(n) {
                            global(n, place(v.span, base, *o), env);
                            break;
                        }
                    }
                }
            }
        }
        i = close + 1;
        if toks.get(i).map(|t| &t.0) == Some(&Tok::P(";")) {
            i += 1;
        }
    }
    Ok(())
}

fn is_specifier(word: &str) -> bool {
    matches!(
        word,
        "static" | "inline" | "extern" | "__inline" | "__inline__"
    )
}

/// A declaration ended by `;` at the top level: prototypes and `extern`
/// ones declare what is defined elsewhere; others define C globals, which
/// Neurite does not keep (a use of one is refused).
fn declaration(toks: &[(Tok, usize)], block: Span, base: u32, env: &mut CEnv) {
    let words: Vec<&str> = toks
        .iter()
        .filter_map(|(t, _)| match t {
            Tok::Ident(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    if toks.is_empty() || words.first() == Some(&"extern") || words.first() == Some(&"typedef") {
        return;
    }
    if toks.iter().any(|(t, _)| *t == Tok::P("(")) {
        return;
    }
    // `const int NAME = -99;`: a constant, used as an object-like macro
    if let Some((name, body)) = constant(toks) {
        let params = None;
        env.defines
            .insert(name.clone(), Define { name, params, body });
        return;
    }
    // the names declared: each identifier that is not a type word and is
    // followed by `=`, `,`, `[` or the end
    for (k, (t, o)) in toks.iter().enumerate() {
        let Tok::Ident(n) = t else { continue };
        if TYPE_WORDS.contains(&n.as_str()) || is_specifier(n) {
            continue;
        }
        let next = toks.get(k + 1).map(|t| &t.0);
        if matches!(next, None | Some(Tok::P("=" | "," | "["))) {
            global(n, place(block, base, *o), env);
        }
    }
}

/// `const T NAME = number;` (a sign allowed): the name and the number's text.
fn constant(toks: &[(Tok, usize)]) -> Option<(String, String)> {
    let words = |w: &str| matches!(w, "const" | "static") || TYPE_WORDS.contains(&w);
    let mut k = 0;
    let mut is_const = false;
    while let Some((Tok::Ident(w), _)) = toks.get(k) {
        if !words(w) {
            break;
        }
        is_const |= w == "const";
        k += 1;
    }
    let (Some((Tok::Ident(name), _)), Some((Tok::P("="), _))) = (toks.get(k), toks.get(k + 1))
    else {
        return None;
    };
    let (sign, at) = match toks.get(k + 2) {
        Some((Tok::P("-"), _)) => ("-", k + 3),
        _ => ("", k + 2),
    };
    let rest = &toks[at..];
    let ([(Tok::Num(x, _), _)] | [(Tok::Num(x, _), _), (Tok::P(";"), _)]) = rest else {
        return None;
    };
    is_const.then(|| (name.clone(), format!("({sign}{x:?})")))
}

fn global(name: &str, span: Span, env: &mut CEnv) {
    env.failed.insert(
        name.to_string(),
        CError {
            what: format!(
                "is the C global variable `{name}`, whose value C keeps between calls; Neurite does not keep it"
            ),
            span,
        },
    );
}

/// The index of the `}` closing the `{` at `open`.
fn matching_brace(toks: &Lexed, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, (t, _)) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::P("{") => depth += 1,
            Tok::P("}") => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// The name, result kind and parameters of a function header `static
/// double f(double x, int n)`; `None` when the tokens are not a function
/// header; `Err` (with the name) for one Neurite does not run.
#[allow(clippy::type_complexity)]
fn function_header(
    header: &[(Tok, usize)],
) -> Option<Result<(String, Option<bool>, Vec<(String, bool)>), (String, String)>> {
    let open = header.iter().position(|(t, _)| *t == Tok::P("("))?;
    let close = header.len().checked_sub(1)?;
    if header[close].0 != Tok::P(")") || open == 0 {
        return None;
    }
    let Tok::Ident(name) = &header[open - 1].0 else {
        return None;
    };
    let mut result = Some(false);
    let mut pointer = false;
    for (t, _) in &header[..open - 1] {
        match t {
            Tok::Ident(w) if w == "void" => result = None,
            Tok::Ident(w) if is_int_type(w) => result = Some(true),
            Tok::Ident(w) if TYPE_WORDS.contains(&w.as_str()) || is_specifier(w) => {}
            Tok::P("*" | "&") => pointer = true,
            _ => return None,
        }
    }
    if pointer {
        return Some(Err((
            name.clone(),
            "returns a C pointer, which Neurite does not run".to_string(),
        )));
    }
    let mut params = Vec::new();
    let inner = &header[open + 1..close];
    if inner.is_empty() || (inner.len() == 1 && inner[0].0 == Tok::Ident("void".into())) {
        return Some(Ok((name.clone(), result, params)));
    }
    for part in inner.split(|(t, _)| *t == Tok::P(",")) {
        let mut int = false;
        let mut pname = None;
        for (t, _) in part {
            match t {
                Tok::Ident(w) if TYPE_WORDS.contains(&w.as_str()) => int |= is_int_type(w),
                Tok::Ident(w) if pname.is_none() => pname = Some(w.clone()),
                Tok::P("*" | "&" | "[") => {
                    return Some(Err((
                        name.clone(),
                        "takes a C pointer, which Neurite does not run".to_string(),
                    )))
                }
                _ => {
                    return Some(Err((
                        name.clone(),
                        "has C parameters Neurite cannot read".to_string(),
                    )))
                }
            }
        }
        match pname {
            Some(p) => params.push((p, int)),
            None => {
                return Some(Err((
                    name.clone(),
                    "has an unnamed C parameter".to_string(),
                )))
            }
        }
    }
    Some(Ok((name.clone(), result, params)))
}

/// Translates one top-level C function into a FUNCTION or PROCEDURE.
fn function(d: &CDef, is_callable: &dyn Fn(&str) -> bool, env: &CEnv) -> Result<Callable, CError> {
    let ctx = Context {
        function: d.result.map(|_| d.name.as_str()),
        is_callable,
        embedded: &[],
        env,
    };
    let mut tr = Translator::new(d.block, d.base, &ctx);
    tr.span = d.span;
    let mut stmts = Vec::new();
    for (p, int) in &d.params {
        tr.declare(
            p,
            Local::Number {
                int: *int,
                is_static: false,
            },
        );
        if *int {
            // C converts the argument to the parameter's integer type
            stmts.push(tr.assign(p, tr.call("$trunc", vec![tr.name(p)])));
        }
    }
    let body = tr.stmts(&d.body).map_err(|what| CError {
        what: format!("{what} (in the C function `{}`)", d.name),
        span: tr.error_span.unwrap_or(tr.span),
    })?;
    stmts.extend(body);
    if tr.returns {
        stmts.insert(0, tr.local(DONE));
    }
    let ident = |n: &str| Ident {
        name: n.to_string(),
        span: d.span,
    };
    Ok(Callable {
        name: ident(&d.name),
        params: d
            .params
            .iter()
            .map(|(p, _)| Param {
                name: ident(p),
                units: None,
                span: d.span,
            })
            .collect(),
        units: None,
        body: Some(Block {
            stmts,
            span: d.span,
        }),
        span: d.span,
    })
}

// ---------------------------------------------------------------- split C

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

/// Whether a balanced VERBATIM block declares C locals at its top level or
/// returns: the NMODL statements after it in its list see those locals
/// (`double bnl; ... return bnl; ENDVERBATIM  BnlDev = bnl`) and do not run
/// after a `return`, as in the C NEURON compiles.
fn scopes_rest(text: &str) -> bool {
    let Ok(toks) = lex(text, &CEnv::default()) else {
        return false;
    };
    let mut p = Parser::new(toks);
    let mut items = Vec::new();
    while !p.at_end() {
        match p.stmt() {
            Ok(s) => items.push(s),
            Err(_) => return false,
        }
    }
    let declares = items
        .iter()
        .any(|s| matches!(s, CStmt::At(_, inner) if matches!(**inner, CStmt::Decl(_))));
    declares || has_return(&items)
}

/// A statement list with each run of VERBATIM blocks that open C control
/// flow (`for (...) {` in one block, `}` in a later one), or that declare C
/// locals or return ([`scopes_rest`]), merged with the NMODL statements
/// after them into one synthetic VERBATIM block. Its text keeps each piece of
/// C at its offset from the first block's text (so errors name the right
/// line) and has `@K;` where the K-th embedded statement stands. Returns the
/// list and, for each merged block, its embedded statements (keyed by the
/// block's span).
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
        let balance = brace_balance(&first.text);
        let scoped = balance == 0 && i + 1 < stmts.len() && scopes_rest(&first.text);
        if balance <= 0 && !scoped {
            out.push(stmts[i].clone());
            i += 1;
            continue;
        }
        let base = first.span.start + KEYWORD_LEN;
        let mut text = first.text.clone();
        let mut embedded = Vec::new();
        let mut balance = balance;
        let mut j = i + 1;
        let mut end = first.span.end;
        while j < stmts.len() && (scoped || balance > 0) {
            match &stmts[j] {
                Stmt::Verbatim(v) => {
                    balance += brace_balance(&v.text);
                    pad_to(&mut text, base, v.span.start + KEYWORD_LEN);
                    text.push_str(&v.text);
                    end = v.span.end;
                }
                other => {
                    pad_to(&mut text, base, other.span().start);
                    text.push_str(&format!("@{};", embedded.len()));
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
            end: end.max(first.span.end),
        };
        out.push(Stmt::Verbatim(crate::ast::Verbatim { text, span }));
        merged.push((span, embedded));
        i = j;
    }
    (out, merged)
}

/// Pads a merged text with blanks up to file offset `target` (text offset 0
/// is file offset `base`), ending with a newline so preprocessor lines stay
/// lines; just a newline where the offsets do not fit.
fn pad_to(text: &mut String, base: u32, target: u32) {
    let want = target.checked_sub(base).map(|t| t as usize);
    match want {
        Some(t) if t > text.len() => {
            let gap = t - text.len();
            text.extend(std::iter::repeat_n(' ', gap - 1));
            text.push('\n');
        }
        _ => text.push('\n'),
    }
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
                lhs: LValue::Name(id) | LValue::Index { name: id, .. },
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

    fn run_in(text: &str, function: Option<&str>, env: &CEnv) -> Result<Vec<Stmt>, CError> {
        let is_callable = |n: &str| n == "element" || n == "urand";
        let ctx = Context {
            function,
            is_callable: &is_callable,
            embedded: &[],
            env,
        };
        let span = Span {
            start: 0,
            end: text.len() as u32 + KEYWORD_LEN + 12,
        };
        translate(text, span, &ctx)
    }

    fn run(text: &str, function: Option<&str>) -> Result<Vec<Stmt>, String> {
        run_in(text, function, &CEnv::default()).map_err(|e| e.what)
    }

    fn names(stmts: &[Stmt]) -> HashSet<String> {
        let mut out = HashSet::new();
        assigned(stmts, &mut out);
        out
    }

    #[test]
    fn vecstim_element_translates() {
        let text = "{ void* vv; int i, size; double* px;\n i = (int)index;\n if (i >= 0) {\n\
                    vv = *((void**)(&space));\n if (vv) {\n size = vector_capacity(vv);\n\
                    px = vector_vec(vv);\n if (i < size) {\n etime = px[i];\n index += 1.;\n\
                    }else{\n index = -1.;\n }\n }else{\n index = -1.;\n }\n }\n }";
        let stmts = run(text, None).unwrap_or_else(|e| panic!("{e}"));
        let found = names(&stmts);
        for n in ["i", "vv", "size", "px", "etime", "index"] {
            assert!(found.contains(n), "{n} in {found:?}");
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
        let found = names(&stmts);
        assert!(found.contains(DONE) && found.contains("element"));
        let play = "void** pv; void* ptmp = NULL;\n if (ifarg(1)) {\n ptmp = vector_arg(1);\n\
                    hoc_obj_ref(*vector_pobj(ptmp));\n }\n pv = (void**)(&_p_ptr);\n\
                    if (*pv) {\n hoc_obj_unref(*vector_pobj(*pv));\n }\n *pv = ptmp;";
        let stmts = run(play, None).unwrap_or_else(|e| panic!("{e}"));
        assert!(names(&stmts).contains("ptr"));
    }

    #[test]
    fn loops_with_break_continue_and_do_while_translate() {
        let text = "int k, m = 0; double prod = 1.0;\n\
                    for (k = 0; k < 10; k++) { if (urand(_threadargs_) > 0.5) continue; m++; }\n\
                    for (k = 0; k <= 5; k++) { prod *= urand(_threadargs_); if (prod < 0.1) break; }\n\
                    do { do { prod = urand(); } while (prod < 0.2); } while (urand() > prod);\n\
                    return m;";
        let stmts = run(text, Some("f")).unwrap_or_else(|e| panic!("{e}"));
        let names = names(&stmts);
        for n in ["$cont1", "$brk2", "$dw3", "$dw4", "m", "prod", "f", DONE] {
            assert!(names.contains(n), "{n} in {names:?}");
        }
    }

    #[test]
    fn integer_division_and_static_arrays_translate() {
        let text = "static double c[3] = {1.0, 2.0, 3.0};\n int h; double s = 0;\n\
                    h = 7 / 2;\n s = c[h - 2] + 7.0 / 2;";
        let stmts = run(text, None).unwrap_or_else(|e| panic!("{e}"));
        let names = names(&stmts);
        assert!(names.contains("c") && names.contains("h"), "{names:?}");
        let e = run("static double c[2] = {1, 2}; c[0] = 3;", None).expect_err("static");
        assert!(e.contains("static `c`"), "{e}");
        let e = run("static int calls = 0; calls += 1;", None).expect_err("static");
        assert!(e.contains("static `calls`"), "{e}");
    }

    #[test]
    fn macros_expand() {
        let mut env = CEnv::default();
        for d in crate::verbatim::defines(
            "#define PI 3.14\n#define SQ(x) ((x)*(x))\n#define dbg(...) printf(__VA_ARGS__)\n",
        ) {
            env.defines.insert(d.name.clone(), d);
        }
        let stmts = run_in("y = SQ(PI + 1); dbg(\"a %g\", y);", None, &env)
            .unwrap_or_else(|e| panic!("{}", e.what));
        assert!(names(&stmts).contains("y"));
        let e = run_in("y = SQ(1, 2);", None, &env).expect_err("arity");
        assert!(e.what.contains("macro `SQ`"), "{}", e.what);
    }

    #[test]
    fn split_blocks_merge_with_their_offsets() {
        let v = |text: &str, start: u32| {
            Stmt::Verbatim(crate::ast::Verbatim {
                text: text.to_string(),
                span: Span {
                    start,
                    end: start + KEYWORD_LEN + text.len() as u32 + 12,
                },
            })
        };
        let nmodl = Stmt::Expr(Expr::Name(Ident {
            name: "x".into(),
            span: Span { start: 80, end: 81 },
        }));
        let first = "int k; for (k = 0; k < 2; ++k) {";
        let list = [v(first, 0), nmodl.clone(), v("}", 100)];
        let (merged, embedded) = merge_split(&list);
        assert_eq!(merged.len(), 1);
        assert_eq!(embedded[0].1.len(), 1);
        let Stmt::Verbatim(m) = &merged[0] else {
            panic!("merged")
        };
        assert_eq!(m.text.find("@0;"), Some((80 - KEYWORD_LEN) as usize));
        assert_eq!(m.text.find('}'), Some(100));
        let unclosed = [v("if (x) {", 0)];
        assert_eq!(merge_split(&unclosed).1.len(), 0);
        // C locals are seen by the NMODL statements after the block
        let scoped = [v("double bnl = 1; return bnl;", 0), nmodl];
        assert_eq!(merge_split(&scoped).1.len(), 1);
    }

    fn compile_text(text: &str) -> Result<(), Vec<crate::diagnostic::Diagnostic>> {
        let checked = crate::check::check_source(crate::span::SourceFile::new("t.mod", text));
        assert!(checked.is_accepted(), "{}", checked.render_diagnostics());
        super::super::compile(&checked.program, &checked.mechanism).map(|_| ())
    }

    #[test]
    fn top_level_c_functions_become_functions() {
        let file = |call: &str| {
            format!(
                "NEURON {{ SUFFIX cf RANGE y }}\nASSIGNED {{ y }}\n\
                 VERBATIM\n#define TWO 2\nstatic int half(int n) {{ return n / TWO; }}\n\
                 static double sum(double* x, int n) {{ return x[0]; }}\n\
                 static double g(double a) {{ double s = 0; int i;\n\
                 for (i = 0; i < half(7); i++) s += a; return s; }}\nENDVERBATIM\n\
                 FUNCTION f(a) {{\nVERBATIM\n  return {call};\nENDVERBATIM\n}}\n\
                 INITIAL {{ y = f(1.5) }}\n"
            )
        };
        // `sum` takes a pointer: fine while nothing calls it
        compile_text(&file("g(_la)")).unwrap_or_else(|d| panic!("{d:?}"));
        let errors = compile_text(&file("sum(0, 1)")).expect_err("calls sum");
        let text = file("sum(0, 1)");
        let at = text.find("static double sum").unwrap_or(0) as u32;
        assert!(
            errors[0].message.contains("pointer") && errors[0].span.start == at,
            "{:?} (want the place of `sum`, {at})",
            errors[0]
        );
    }

    #[test]
    fn other_c_is_refused_with_its_place() {
        let e = run("install_vector_method(\"w\", w);", None).expect_err("C call");
        assert!(e.contains("install_vector_method"), "{e}");
        let e = run_in("x = 1;\n  switch (x) { }", None, &CEnv::default()).expect_err("switch");
        assert!(e.what.contains("switch"), "{}", e.what);
        assert_eq!(e.span.start, KEYWORD_LEN + 9, "the place of `switch`");
        assert!(run("x = ((", None).is_err());
        assert!(run("}", None).is_err());
        assert!(run("x = a | b;", None).is_err());
        assert!(run("continue;", None).is_err());
    }
}
