//! Stage 2 of the NMODL pipeline: tokens to the syntax tree ([`crate::ast`]).
//!
//! [`parse`] lexes the text, then parses the token slice with nom. It never fails and
//! never panics: it returns the tree of everything it could read together with every
//! diagnostic it found. After an error it skips to the next top-level block (a keyword
//! such as PARAMETER or PROCEDURE, or the `}` closing the broken block) and goes on, so
//! one run reports all the broken blocks of a file.
//!
//! The submodules follow the grammar from the top down: `items` (top-level blocks),
//! `neuron` (the NEURON block), `decls` (declaration blocks), `stmt` (statements),
//! `expr` (expressions), on top of `input` (the token input and one-token parsers).
//!
//! The grammar, as NEURON 9's translator (`src/nocmodl/parse1.ypp`) accepts it:
//!
//! ```text
//! program   = item*
//! item      = TITLE | COMMENT | VERBATIM | DEFINE name ['-'] int | INCLUDE string
//!           | LOCAL locals | UNITSON | UNITSOFF
//!           | NEURON '{' neuron* '}' | UNITS '{' unitdef* '}'
//!           | PARAMETER '{' param* '}' | (ASSIGNED | STATE) '{' var* '}'
//!           | CONSTANT '{' const* '}' | INDEPENDENT '{' indep* '}'
//!           | (INITIAL | BREAKPOINT | CONSTRUCTOR | DESTRUCTOR) block
//!           | (BEFORE | AFTER) (BREAKPOINT | SOLVE | INITIAL | STEP) block
//!           | (DERIVATIVE | DISCRETE | PARTIAL) name block
//!           | (KINETIC | LINEAR | NONLINEAR) name [SOLVEFOR names] block
//!           | (PROCEDURE | FUNCTION) name '(' params ')' [units] block
//!           | FUNCTION_TABLE name '(' params ')' [units]
//!           | NET_RECEIVE '(' params ')' block
//! block     = '{' [LOCAL locals] stmt* '}'
//! stmt      = lvalue '=' expr | name '(' args ')' | block | VERBATIM
//!           | if '(' expr ')' block (else if '(' expr ')' block)* [else block]
//!           | while '(' expr ')' block | FROM name '=' expr TO expr [BY expr] block
//!           | SOLVE name [(METHOD | STEADYSTATE) name] [IFERROR block]
//!           | TABLE [names] [DEPEND names] FROM expr TO expr WITH expr
//!           | '~' terms ('<->' terms '(' expr ',' expr ')' | '->' [terms] '(' expr ')'
//!                        | '<<' '(' expr ')')                       (KINETIC)
//!           | '~' expr '=' expr                                    (elsewhere)
//!           | CONSERVE sum '=' expr
//!           | (COMPARTMENT | LONGITUDINAL_DIFFUSION) [name ','] expr '{' name* '}'
//!           | WATCH '(' expr ')' expr (',' '(' expr ')' expr)* | FOR_NETCONS '(' params ')' block
//!           | INITIAL block | CONDUCTANCE name [USEION name] | PROTECT lvalue '=' expr
//!           | LAG name BY name | RESET | MUTEXLOCK | MUTEXUNLOCK | UNITSON | UNITSOFF
//! expr      = or;  or = and ('||' and)*;  and = cmp ('&&' cmp)*
//! cmp       = sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)*
//! sum       = product (('+' | '-') product)*;  product = unary (('*' | '/') unary)*
//! unary     = ('-' | '!') unary | power;  power = primary ['^' unary]
//! primary   = number [units] | name | name '[' expr ']' | name '(' args ')' | prime | '(' expr ')'
//! ```

mod decls;
mod expr;
mod input;
mod items;
mod neuron;
mod stmt;

use crate::ast::{Item, Program};
use crate::diagnostic::Diagnostic;
use crate::lexer::{lex, Keyword, Token, TokenKind};
use crate::span::Span;
use input::{describe_found, Ctx, Msg, PError, Toks};
use nom::Err;

/// The result of parsing one file: the tree and every problem found.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub program: Program,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// True if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses NMODL source text.
pub fn parse(text: &str) -> Parsed {
    let (tokens, mut diagnostics) = lex(text);
    let cx = Ctx::new(text, &tokens);
    let (items, errors) = program(Toks::new(&cx));
    diagnostics.extend(errors.into_iter().map(|e| to_diagnostic(&cx, e)));
    diagnostics.sort_by_key(|d| d.span.start);
    Parsed {
        program: Program {
            items,
            span: Span::new(0, text.len()),
        },
        diagnostics,
    }
}

/// All top-level items, recovering after each error.
fn program(mut i: Toks<'_>) -> (Vec<Item>, Vec<PError>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    while !i.toks.is_empty() {
        let start = i.pos();
        match items::item(i) {
            Ok((rest, item)) => {
                items.push(item);
                i = rest;
            }
            Err(Err::Error(e) | Err::Failure(e)) => {
                let resume = recover(i.cx.all, start, e.at);
                errors.push(e);
                i = Toks::new(i.cx).advance(resume);
            }
            Err(Err::Incomplete(_)) => break,
        }
    }
    (items, errors)
}

/// Where to resume after an error at token `at` in an item that began at `start`: the
/// next keyword that only opens top-level blocks, or the token after the `}` that
/// closes the broken item. Always past `start`, so parsing makes progress.
fn recover(all: &[Token], start: usize, at: usize) -> usize {
    let mut depth: i64 = all
        .get(start..at)
        .unwrap_or(&[])
        .iter()
        .map(|t| match t.kind {
            TokenKind::LBrace => 1,
            TokenKind::RBrace => -1,
            _ => 0,
        })
        .sum();
    let mut n = at.max(start);
    // A block left open before a top-level INITIAL: resume at the INITIAL.
    if n > start && all.get(n).map(|t| t.kind) == Some(TokenKind::Keyword(Keyword::Initial)) {
        return n;
    }
    while let Some(t) = all.get(n) {
        let top = match t.kind {
            TokenKind::Keyword(k) => k.is_top_level(),
            TokenKind::Title => depth <= 0,
            _ => false,
        };
        if top && n > start {
            return n;
        }
        match t.kind {
            TokenKind::LBrace => depth += 1,
            TokenKind::RBrace => {
                depth -= 1;
                if depth <= 0 {
                    return n + 1;
                }
            }
            _ => {}
        }
        n += 1;
    }
    all.len()
}

fn to_diagnostic(cx: &Ctx<'_>, e: PError) -> Diagnostic {
    let token = cx.all.get(e.at);
    let span = token.map_or(cx.eof(), |t| t.span);
    let d = match &e.msg {
        Msg::Expected(what) => {
            let found = describe_found(cx, e.at);
            Diagnostic::error(span, format!("expected {what}, found {found}"))
        }
        Msg::Custom(msg) => Diagnostic::error(span, msg.clone()),
    };
    let d = match e.opened {
        Some((span, note)) => d.with_label(span, note),
        None => d,
    };
    match token.and_then(|t| help_for(cx, t, &e.msg)) {
        Some(help) => d.with_help(help),
        None => d,
    }
}

/// A hint for common mistakes: a keyword in the wrong case, a statement outside any
/// block, units left open.
fn help_for(cx: &Ctx<'_>, token: &Token, msg: &Msg) -> Option<String> {
    let text = cx.text(token.span);
    if token.kind == TokenKind::Name {
        let upper = text.to_ascii_uppercase();
        if upper != text && crate::lexer::Keyword::from_word(&upper).is_some() {
            return Some(format!(
                "NMODL keywords are case-sensitive: did you mean `{upper}`?"
            ));
        }
    }
    match msg {
        Msg::Expected(what)
            if what.starts_with("a top-level block")
                && matches!(token.kind, TokenKind::Name | TokenKind::Prime) =>
        {
            Some("statements belong inside a block such as INITIAL, BREAKPOINT or PROCEDURE".into())
        }
        Msg::Custom(m) if m.starts_with("LOCAL must be") => {
            Some("declare all the block's local names in its first line: `LOCAL a, b`".into())
        }
        Msg::Custom(m) if m.starts_with("units are not closed") => {
            Some("NEURON reads units up to the first `)` on the same line".into())
        }
        _ => None,
    }
}
