//! The parser's input type, its error type, and the one-token parsers every other
//! parser module is built from.
//!
//! The input is a window ([`Toks`]) onto the token slice the lexer produced, plus a
//! shared context holding the source text (for names, numbers and unit text) and the
//! current nesting depth (so deeply nested input gives an error, not a stack overflow).

use crate::ast::{Ident, Number, Units};
use crate::lexer::{Keyword, Token, TokenKind};
use crate::span::Span;
use nom::error::{ErrorKind, ParseError};
use nom::{Err, IResult, InputLength};
use std::cell::Cell;

/// Nesting deeper than this (parentheses, blocks, unary operators) is reported as an
/// error. Real files nest a dozen levels at most.
pub(crate) const MAX_DEPTH: u32 = 64;

/// State shared by every window onto one token stream.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub src: &'a str,
    pub all: &'a [Token],
    depth: Cell<u32>,
    kinetic: Cell<bool>,
    net_receive: Cell<bool>,
}

impl<'a> Ctx<'a> {
    pub fn new(src: &'a str, all: &'a [Token]) -> Ctx<'a> {
        Ctx {
            src,
            all,
            depth: Cell::new(0),
            kinetic: Cell::new(false),
            net_receive: Cell::new(false),
        }
    }

    /// True while the body of a KINETIC block is parsed (`~` starts a reaction there).
    pub fn in_kinetic(&self) -> bool {
        self.kinetic.get()
    }

    pub fn set_kinetic(&self, on: bool) {
        self.kinetic.set(on);
    }

    /// True while the body of NET_RECEIVE is parsed: only there may INITIAL be nested,
    /// so elsewhere an INITIAL means the enclosing block was left open.
    pub fn in_net_receive(&self) -> bool {
        self.net_receive.get()
    }

    pub fn set_net_receive(&self, on: bool) {
        self.net_receive.set(on);
    }

    pub fn text(&self, span: Span) -> &'a str {
        self.src.get(span.range()).unwrap_or("")
    }

    /// An empty span at the end of the text, where "end of file" errors point.
    pub fn eof(&self) -> Span {
        Span::new(self.src.len(), self.src.len())
    }

    /// `line:col` (1-based) of a byte offset, for messages that name another place.
    pub fn line_col(&self, offset: u32) -> String {
        let before = self.src.get(..offset as usize).unwrap_or(self.src);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{line}:{col}")
    }
}

/// The parser's input: the tokens not yet consumed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Toks<'a> {
    pub toks: &'a [Token],
    pub cx: &'a Ctx<'a>,
}

impl<'a> Toks<'a> {
    pub fn new(cx: &'a Ctx<'a>) -> Toks<'a> {
        Toks { toks: cx.all, cx }
    }

    /// Index of the next token in the whole stream.
    pub fn pos(&self) -> usize {
        self.cx.all.len() - self.toks.len()
    }

    pub fn first(&self) -> Option<&'a Token> {
        self.toks.first()
    }

    pub fn kind(&self) -> Option<TokenKind> {
        self.toks.first().map(|t| t.kind)
    }

    pub fn nth_kind(&self, n: usize) -> Option<TokenKind> {
        self.toks.get(n).map(|t| t.kind)
    }

    pub fn is_kw(&self, kw: Keyword) -> bool {
        self.kind() == Some(TokenKind::Keyword(kw))
    }

    pub fn advance(self, n: usize) -> Toks<'a> {
        Toks {
            toks: self.toks.get(n..).unwrap_or(&[]),
            cx: self.cx,
        }
    }

    /// Span of the next token, or the end of file.
    pub fn span(&self) -> Span {
        self.first().map_or(self.cx.eof(), |t| t.span)
    }

    /// End offset of the token before this window (where the last parse ended).
    pub fn prev_end(&self) -> u32 {
        let pos = self.pos();
        match pos.checked_sub(1).and_then(|p| self.cx.all.get(p)) {
            Some(t) => t.span.end,
            None => 0,
        }
    }

    /// The span from `start` to the end of the last token consumed before `self`.
    pub fn since(&self, start: Span) -> Span {
        let end = self.prev_end().max(start.end);
        Span {
            start: start.start,
            end,
        }
    }
}

impl InputLength for Toks<'_> {
    fn input_len(&self) -> usize {
        self.toks.len()
    }
}

/// What went wrong, at which token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PError {
    /// Index of the offending token in the whole stream.
    pub at: usize,
    pub msg: Msg,
    /// A second place worth showing: where the unclosed bracket or block was opened.
    pub opened: Option<(Span, &'static str)>,
}

impl PError {
    pub fn new(at: usize, msg: Msg) -> PError {
        PError {
            at,
            msg,
            opened: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Msg {
    /// Rendered as "expected X, found Y".
    Expected(String),
    /// Rendered as is.
    Custom(String),
}

impl<'a> ParseError<Toks<'a>> for PError {
    fn from_error_kind(input: Toks<'a>, _kind: ErrorKind) -> PError {
        PError::new(input.pos(), Msg::Expected("something else".into()))
    }

    fn append(_input: Toks<'a>, _kind: ErrorKind, other: PError) -> PError {
        other
    }

    /// Of two alternatives that both failed, keep the one that got further.
    fn or(self, other: PError) -> PError {
        if self.at > other.at {
            self
        } else {
            other
        }
    }
}

pub(crate) type PResult<'a, O> = IResult<Toks<'a>, O, PError>;

/// A recoverable failure at the next token: "expected `what`".
pub(crate) fn fail<'a, O>(i: Toks<'a>, what: impl Into<String>) -> PResult<'a, O> {
    Err(Err::Error(PError::new(i.pos(), Msg::Expected(what.into()))))
}

/// A final failure at the next token: "expected `what`".
pub(crate) fn fail_hard<'a, O>(i: Toks<'a>, what: impl Into<String>) -> PResult<'a, O> {
    Err(Err::Failure(PError::new(
        i.pos(),
        Msg::Expected(what.into()),
    )))
}

/// The description of what was expected, built only when an error is reported.
pub(crate) trait What {
    fn text(&self) -> String;
}

impl What for &str {
    fn text(&self) -> String {
        (*self).to_string()
    }
}

impl<F: Fn() -> String> What for F {
    fn text(&self) -> String {
        self()
    }
}

/// Runs `f`; if it fails without consuming (a recoverable error), the failure becomes
/// final and says "expected `what`" at the token where `f` started.
pub(crate) fn expect<'a, O, F, W>(what: W, mut f: F) -> impl FnMut(Toks<'a>) -> PResult<'a, O>
where
    F: FnMut(Toks<'a>) -> PResult<'a, O>,
    W: What,
{
    move |i: Toks<'a>| match f(i) {
        Err(Err::Error(e)) if e.at <= i.pos() => Err(Err::Failure(PError::new(
            i.pos(),
            Msg::Expected(what.text()),
        ))),
        Err(Err::Error(e)) => Err(Err::Failure(e)),
        other => other,
    }
}

/// The `}` closing a block that `owner` names ("the NEURON block") and that was opened
/// at `open`. When the next token could only follow the block (a top-level keyword or
/// the end of the file), the block was left open; otherwise the token does not belong
/// in it, and the message says what could (`inside`).
pub(crate) fn close_block<'a>(
    i: Toks<'a>,
    owner: &str,
    inside: &str,
    open: Span,
) -> PResult<'a, Span> {
    if let Some(t) = i.first().filter(|t| t.kind == TokenKind::RBrace) {
        return Ok((i.advance(1), t.span));
    }
    let left_open = match i.kind() {
        None | Some(TokenKind::Title) => true,
        Some(TokenKind::Keyword(Keyword::Initial)) => !i.cx.in_net_receive(),
        Some(TokenKind::Keyword(k)) => k.is_top_level(),
        _ => false,
    };
    let what = if left_open {
        format!(
            "`}}` to close {owner} opened at {}",
            i.cx.line_col(open.start)
        )
    } else {
        format!("{inside}, or the `}}` closing {owner}")
    };
    let mut e = PError::new(i.pos(), Msg::Expected(what));
    if left_open {
        e.opened = Some((open, "the block opened here"));
    }
    Err(Err::Failure(e))
}

/// Runs `f` one nesting level deeper; too deep is a final error.
pub(crate) fn deeper<'a, O>(
    i: Toks<'a>,
    f: impl FnOnce(Toks<'a>) -> PResult<'a, O>,
) -> PResult<'a, O> {
    let depth = i.cx.depth.get();
    if depth >= MAX_DEPTH {
        return Err(Err::Failure(PError::new(
            i.pos(),
            Msg::Custom(format!(
                "nesting is too deep (more than {MAX_DEPTH} levels)"
            )),
        )));
    }
    i.cx.depth.set(depth + 1);
    let out = f(i);
    i.cx.depth.set(depth);
    out
}

/// One token of the given kind.
pub(crate) fn tok<'a>(kind: TokenKind) -> impl Fn(Toks<'a>) -> PResult<'a, Span> {
    move |i: Toks<'a>| match i.first() {
        Some(t) if t.kind == kind => Ok((i.advance(1), t.span)),
        _ => fail(i, describe_kind(kind)),
    }
}

/// One keyword.
pub(crate) fn kw<'a>(kw: Keyword) -> impl Fn(Toks<'a>) -> PResult<'a, Span> {
    tok(TokenKind::Keyword(kw))
}

/// A name (not a keyword).
pub(crate) fn name(i: Toks<'_>) -> PResult<'_, Ident> {
    match i.first() {
        Some(t) if t.kind == TokenKind::Name => Ok((
            i.advance(1),
            Ident {
                name: i.cx.text(t.span).to_string(),
                span: t.span,
            },
        )),
        _ => fail(i, "a name"),
    }
}

/// An unsigned number literal.
pub(crate) fn unsigned(i: Toks<'_>) -> PResult<'_, Number> {
    match i.first() {
        Some(t) if matches!(t.kind, TokenKind::Integer | TokenKind::Real) => {
            Ok((i.advance(1), number_from(i.cx.text(t.span), t.span)))
        }
        _ => fail(i, "a number"),
    }
}

/// An integer literal.
pub(crate) fn integer(i: Toks<'_>) -> PResult<'_, Number> {
    match i.first() {
        Some(t) if t.kind == TokenKind::Integer => {
            Ok((i.advance(1), number_from(i.cx.text(t.span), t.span)))
        }
        _ => fail(i, "an integer"),
    }
}

/// A number literal with an optional leading `-` (declarations allow no other sign).
pub(crate) fn signed(i: Toks<'_>) -> PResult<'_, Number> {
    if i.kind() != Some(TokenKind::Minus) {
        return unsigned(i);
    }
    let minus = i.span();
    let (rest, n) = unsigned(i.advance(1))
        .map_err(|_| Err::Error(PError::new(i.pos(), Msg::Expected("a number".into()))))?;
    let text = format!("-{}", n.text);
    Ok((rest, number_from(&text, minus.cover(n.span))))
}

pub(crate) fn number_from(text: &str, span: Span) -> Number {
    Number {
        value: text.parse().unwrap_or(f64::NAN),
        text: text.to_string(),
        span,
    }
}

/// `( unit text )`: the raw source text between the parentheses, which must be on
/// one line (NEURON reads units up to the first `)` on the line).
pub(crate) fn units(i: Toks<'_>) -> PResult<'_, Units> {
    let Some(open) = i.first().filter(|t| t.kind == TokenKind::LParen) else {
        return fail(i, "units in parentheses");
    };
    for (n, t) in i.toks.iter().enumerate().skip(1) {
        let gap = i.cx.src.get(open.span.end as usize..t.span.start as usize);
        if gap.is_none_or(|g| g.contains(['\n', '\r'])) {
            break;
        }
        if t.kind == TokenKind::RParen {
            let text =
                i.cx.text(Span::new(open.span.end as usize, t.span.start as usize));
            let units = Units {
                text: text.to_string(),
                span: open.span.cover(t.span),
            };
            return Ok((i.advance(n + 1), units));
        }
    }
    Err(Err::Failure(PError::new(
        i.pos(),
        Msg::Custom("units are not closed by `)` on the same line".into()),
    )))
}

/// Units if the next token is `(`.
pub(crate) fn opt_units(i: Toks<'_>) -> PResult<'_, Option<Units>> {
    if i.kind() == Some(TokenKind::LParen) {
        let (i, u) = units(i)?;
        Ok((i, Some(u)))
    } else {
        Ok((i, None))
    }
}

/// How a token kind is named in "expected ..." messages.
pub(crate) fn describe_kind(kind: TokenKind) -> String {
    use TokenKind as T;
    let s = match kind {
        T::Name => "a name",
        T::Keyword(k) => return format!("`{}`", k.as_str()),
        T::Integer => "an integer",
        T::Real => "a number",
        T::Prime => "a derivative such as `m'`",
        T::String => "a string",
        T::Title => "TITLE",
        T::Comment => "a COMMENT block",
        T::Verbatim => "a VERBATIM block",
        T::Ontology => "an ontology term",
        T::LBrace => "`{`",
        T::RBrace => "`}`",
        T::LParen => "`(`",
        T::RParen => "`)`",
        T::LBracket => "`[`",
        T::RBracket => "`]`",
        T::Comma => "`,`",
        T::Assign => "`=`",
        T::Plus => "`+`",
        T::Minus => "`-`",
        T::Star => "`*`",
        T::Slash => "`/`",
        T::Caret => "`^`",
        T::Percent => "`%`",
        T::Tilde => "`~`",
        T::At => "`@`",
        T::Lt => "`<`",
        T::Le => "`<=`",
        T::Gt => "`>`",
        T::Ge => "`>=`",
        T::EqEq => "`==`",
        T::Ne => "`!=`",
        T::Not => "`!`",
        T::AndAnd => "`&&`",
        T::OrOr => "`||`",
        T::React => "`<->`",
        T::Unknown => "a character",
    };
    s.to_string()
}

/// How the token at `at` is named in "found ..." messages.
pub(crate) fn describe_found(cx: &Ctx<'_>, at: usize) -> String {
    let Some(t) = cx.all.get(at) else {
        return "end of file".into();
    };
    match t.kind {
        TokenKind::Title => "TITLE".into(),
        TokenKind::Comment => "COMMENT".into(),
        TokenKind::Verbatim => "VERBATIM".into(),
        TokenKind::String => "a string".into(),
        _ => {
            let text: String = cx.text(t.span).chars().take(40).collect();
            format!("`{text}`")
        }
    }
}
