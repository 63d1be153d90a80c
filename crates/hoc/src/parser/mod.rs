//! Stage 2 of the HOC front end: tokens to a syntax tree ([`crate::ast`]).
//!
//! A hand-written recursive-descent parser over the token slice. HOC's
//! grammar (NEURON's `parse.ypp`) depends on the symbol table: whether `soma`
//! starts `soma { ... }` or `soma = 3` is decided by the type the lexer found
//! for the name. A name-agnostic grammar needs one token of look-ahead past a
//! complete reference instead, newlines that end statements at top level but
//! not inside parentheses, and `a:b` only inside range-variable parentheses;
//! these are awkward in nom combinators and simple in recursive descent, which
//! also gives precise "expected X, found Y" messages. It recovers at the next
//! line at brace depth zero and reports every error it saw ([`Parsed`]).

mod expr;
mod stmt;

use crate::ast::Program;
use crate::lexer::{lex, Tok, Token};
use crate::span::Span;

/// A syntax error: where and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

/// The result of parsing: the tree of everything that parsed, and the errors.
#[derive(Debug, Default)]
pub struct Parsed {
    pub program: Program,
    pub errors: Vec<ParseError>,
    /// Index into `program.stmts` of the first statement after the first
    /// error: NEURON runs a file statement by statement and stops at the first
    /// syntax error, so only statements before it should run.
    pub first_error_at: Option<usize>,
}

/// Parses a whole HOC text.
pub fn parse(text: &str) -> Parsed {
    let tokens = lex(text);
    let mut p = Parser::new(&tokens);
    let mut parsed = Parsed::default();
    p.program(&mut parsed);
    parsed
}

type PResult<T> = Result<T, ParseError>;

/// HOC ends a statement at a newline even inside parentheses; real files
/// never break a line inside `( )`, and ending there gives errors on the
/// right line. (Kept as a switch: set to true to accept broken lines.)
const SKIP_NEWLINES_IN_PARENS: bool = false;

/// Nesting limit: deeper input is reported, not allowed to overflow the stack.
const MAX_DEPTH: u32 = 100;

pub(crate) struct Parser<'t> {
    toks: &'t [Token],
    pos: usize,
    /// Depth of open `(` / `[`: newlines inside them are skipped.
    paren: u32,
    depth: u32,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number {n}"),
        Tok::Str(s) => format!("string \"{s}\""),
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Arg(..) => "$ argument".into(),
        Tok::Newline => "end of line".into(),
        Tok::Eof => "end of file".into(),
        Tok::Unterminated => "unterminated string".into(),
        Tok::Unknown(c) => format!("unexpected character '{c}'"),
        other => format!("'{}'", punct_text(other)),
    }
}

fn punct_text(t: &Tok) -> &'static str {
    use crate::lexer::AssignOp as A;
    match t {
        Tok::Semi => ";",
        Tok::Comma => ",",
        Tok::Dot => ".",
        Tok::Colon => ":",
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::LBracket => "[",
        Tok::RBracket => "]",
        Tok::LBrace => "{",
        Tok::RBrace => "}",
        Tok::Plus => "+",
        Tok::Minus => "-",
        Tok::Star => "*",
        Tok::Slash => "/",
        Tok::Percent => "%",
        Tok::Caret => "^",
        Tok::Assign(A::Set) => "=",
        Tok::Assign(A::Add) => "+=",
        Tok::Assign(A::Sub) => "-=",
        Tok::Assign(A::Mul) => "*=",
        Tok::Assign(A::Div) => "/=",
        Tok::Eq => "==",
        Tok::Ne => "!=",
        Tok::Lt => "<",
        Tok::Le => "<=",
        Tok::Gt => ">",
        Tok::Ge => ">=",
        Tok::And => "&&",
        Tok::Or => "||",
        Tok::Not => "!",
        Tok::Amp => "&",
        _ => "?",
    }
}

impl<'t> Parser<'t> {
    fn new(toks: &'t [Token]) -> Parser<'t> {
        Parser {
            toks,
            pos: 0,
            paren: 0,
            depth: 0,
        }
    }

    fn skip_paren_newlines(&mut self) {
        if self.paren > 0 && SKIP_NEWLINES_IN_PARENS {
            while matches!(self.toks.get(self.pos).map(|t| &t.tok), Some(Tok::Newline)) {
                self.pos += 1;
            }
        }
    }

    fn peek(&mut self) -> &'t Tok {
        self.skip_paren_newlines();
        self.tok_at(self.pos)
    }

    fn tok_at(&self, i: usize) -> &'t Tok {
        let last = self.toks.len().saturating_sub(1);
        self.toks
            .get(i.min(last))
            .map(|t| &t.tok)
            .unwrap_or(&Tok::Eof)
    }

    fn span(&mut self) -> Span {
        self.skip_paren_newlines();
        let last = self.toks.len().saturating_sub(1);
        self.toks
            .get(self.pos.min(last))
            .map(|t| t.span)
            .unwrap_or_default()
    }

    fn prev_span(&self) -> Span {
        self.toks
            .get(self.pos.saturating_sub(1))
            .map(|t| t.span)
            .unwrap_or_default()
    }

    fn bump(&mut self) -> &'t Tok {
        let t = self.peek();
        if !matches!(t, Tok::Eof) {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == t {
            self.bump();
            true
        } else {
            false
        }
    }

    fn at_ident(&mut self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == kw)
    }

    fn error<T>(&mut self, expected: &str) -> PResult<T> {
        let span = self.span();
        let found = describe(self.peek());
        Err(ParseError {
            span,
            message: format!("syntax error: expected {expected}, found {found}"),
        })
    }

    fn expect(&mut self, t: &Tok, what: &str) -> PResult<()> {
        if self.eat(t) {
            Ok(())
        } else {
            self.error(what)
        }
    }

    fn ident(&mut self, what: &str) -> PResult<String> {
        match self.peek() {
            Tok::Ident(s) => {
                let s = s.clone();
                self.bump();
                Ok(s)
            }
            _ => self.error(what),
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Tok::Newline | Tok::Semi) {
            self.bump();
        }
    }

    /// Skips only newlines (not `;`), used before `{` bodies and `else`.
    fn skip_only_newlines(&mut self) {
        while matches!(self.peek(), Tok::Newline) {
            self.bump();
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error("less deeply nested code (nesting limit reached)");
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Error recovery: skip to the end of the line at which all braces opened
    /// since `start` are closed.
    fn recover(&mut self, start: usize) {
        self.paren = 0;
        self.depth = 0;
        let mut depth: i64 = 0;
        for t in &self.toks[start.min(self.toks.len())..self.pos.min(self.toks.len())] {
            match t.tok {
                Tok::LBrace => depth += 1,
                Tok::RBrace => depth -= 1,
                _ => {}
            }
        }
        if self.pos == start {
            self.pos += 1;
        }
        loop {
            match self.tok_at(self.pos) {
                Tok::Eof => return,
                Tok::LBrace => depth += 1,
                Tok::RBrace => depth -= 1,
                Tok::Newline if depth <= 0 => return,
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// nrniv takes one statement per line at top level (`a = 1  b = 2`,
    /// `a = 1; b = 2`, even `a = 1;` are syntax errors there); inside braces
    /// statements may follow each other freely.
    fn end_of_top_line(&mut self) -> PResult<()> {
        let ended = matches!(self.tok_at(self.pos.saturating_sub(1)), Tok::Newline);
        if ended || matches!(self.peek(), Tok::Newline | Tok::Eof) {
            return Ok(());
        }
        self.error("the end of the line (at top level nrniv takes one statement per line)")
    }

    fn program(&mut self, out: &mut Parsed) {
        loop {
            self.skip_newlines();
            if matches!(self.peek(), Tok::Eof) {
                break;
            }
            let start = self.pos;
            match self
                .top_item()
                .and_then(|s| self.end_of_top_line().map(|_| s))
            {
                Ok(stmt) => out.program.stmts.push(stmt),
                Err(e) => {
                    if out.first_error_at.is_none() {
                        out.first_error_at = Some(out.program.stmts.len());
                    }
                    out.errors.push(e);
                    self.recover(start);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
