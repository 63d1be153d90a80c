//! Top-level items: which block a keyword opens, the procedural blocks (INITIAL,
//! BREAKPOINT, DERIVATIVE, KINETIC, PROCEDURE, FUNCTION, NET_RECEIVE, ...), and the
//! one-line items (TITLE, DEFINE, INCLUDE, top-level LOCAL).

use super::decls::{constant_block, independent_block, parameter_block, units_block, var_block};
use super::input::{expect, fail, fail_hard, integer, name, opt_units, tok, PResult, Toks};
use super::neuron::neuron_block;
use super::stmt::{block, local, params};
use crate::ast::{BeforeAfter, Callable, Ident, Item, NamedBlock, NetReceive, Stmt, Verbatim};
use crate::lexer::{raw_block_body, Keyword as K, TokenKind as T};
use nom::multi::separated_list1;

/// One top-level item.
pub(crate) fn item(i: Toks<'_>) -> PResult<'_, Item> {
    let Some(t) = i.first().copied() else {
        return fail(i, "a top-level block");
    };
    let one = |item: Item| Ok((i.advance(1), item));
    match t.kind {
        T::Title => {
            let body = i.cx.text(t.span).get(5..).unwrap_or("").trim();
            one(Item::Title {
                text: body.to_string(),
                span: t.span,
            })
        }
        T::Comment => one(Item::Comment {
            text: raw_block_body(i.cx.src, &t).to_string(),
            span: t.span,
        }),
        T::Verbatim => one(Item::Verbatim(Verbatim {
            text: raw_block_body(i.cx.src, &t).to_string(),
            span: t.span,
        })),
        T::Keyword(k) => keyword_item(i, k),
        _ => fail(
            i,
            "a top-level block such as NEURON, PARAMETER or BREAKPOINT",
        ),
    }
}

fn keyword_item(i: Toks<'_>, k: K) -> PResult<'_, Item> {
    let span = i.span();
    match k {
        K::Neuron => wrap(neuron_block(i), Item::Neuron),
        K::Units => wrap(units_block(i), Item::Units),
        K::Parameter => wrap(parameter_block(i), Item::Parameter),
        K::Assigned => var_block(i, "ASSIGNED").map(|(i, b)| (i, Item::Assigned(b))),
        K::State => var_block(i, "STATE").map(|(i, b)| (i, Item::State(b))),
        K::Constant => wrap(constant_block(i), Item::Constant),
        K::Independent => {
            let (i, (names, span)) = independent_block(i)?;
            Ok((i, Item::Independent { names, span }))
        }
        K::Define => define(i),
        K::Include => include(i),
        K::Local => match local(i)? {
            (i, Stmt::Local { names, span }) => Ok((i, Item::Local { names, span })),
            (i, _) => fail(i, "LOCAL"),
        },
        K::UnitsOn => Ok((i.advance(1), Item::UnitsOn(span))),
        K::UnitsOff => Ok((i.advance(1), Item::UnitsOff(span))),
        K::Initial => plain_block(i, "INITIAL", Item::Initial),
        K::Breakpoint => plain_block(i, "BREAKPOINT", Item::Breakpoint),
        K::Constructor => plain_block(i, "CONSTRUCTOR", Item::Constructor),
        K::Destructor => plain_block(i, "DESTRUCTOR", Item::Destructor),
        K::Before | K::After => before_after(i, k),
        K::Derivative => wrap(named_block(i, "DERIVATIVE", false), Item::Derivative),
        K::Kinetic => {
            i.cx.set_kinetic(true);
            let r = named_block(i, "KINETIC", true);
            i.cx.set_kinetic(false);
            wrap(r, Item::Kinetic)
        }
        K::Linear => wrap(named_block(i, "LINEAR", true), Item::Linear),
        K::NonLinear => wrap(named_block(i, "NONLINEAR", true), Item::NonLinear),
        K::Discrete => wrap(named_block(i, "DISCRETE", false), Item::Discrete),
        K::Partial => wrap(named_block(i, "PARTIAL", false), Item::Partial),
        K::Procedure => wrap(callable(i, "PROCEDURE", true), Item::Procedure),
        K::Function => wrap(callable(i, "FUNCTION", true), Item::Function),
        K::FunctionTable => wrap(callable(i, "FUNCTION_TABLE", false), Item::FunctionTable),
        K::NetReceive => net_receive(i),
        _ => fail(
            i,
            "a top-level block such as NEURON, PARAMETER or BREAKPOINT",
        ),
    }
}

/// Wraps a parsed block into its item.
fn wrap<'a, B>(r: PResult<'a, B>, f: fn(B) -> Item) -> PResult<'a, Item> {
    r.map(|(i, b)| (i, f(b)))
}

/// `KEYWORD { ... }`.
fn plain_block<'a>(i: Toks<'a>, word: &str, f: fn(crate::ast::Block) -> Item) -> PResult<'a, Item> {
    let (i, b) = block(i.advance(1), &format!("the {word} block"))?;
    Ok((i, f(b)))
}

/// `BEFORE BREAKPOINT { }`, `AFTER SOLVE { }`, ...
fn before_after(i: Toks<'_>, k: K) -> PResult<'_, Item> {
    let start = i.span();
    let word = if k == K::Before { "BEFORE" } else { "AFTER" };
    let rest = i.advance(1);
    let what = match rest.first() {
        Some(t)
            if matches!(
                t.kind,
                T::Keyword(K::Breakpoint | K::Solve | K::Initial | K::Step)
            ) =>
        {
            Ident {
                name: rest.cx.text(t.span).to_string(),
                span: t.span,
            }
        }
        _ => {
            let msg = format!("BREAKPOINT, SOLVE, INITIAL or STEP after {word}");
            return fail_hard(rest, msg);
        }
    };
    let (i, body) = block(rest.advance(1), &format!("the {word} {} block", what.name))?;
    let span = i.since(start);
    let when = if k == K::Before {
        BeforeAfter::Before
    } else {
        BeforeAfter::After
    };
    Ok((
        i,
        Item::BeforeAfter {
            when,
            what,
            body,
            span,
        },
    ))
}

/// `DERIVATIVE name { }`, `KINETIC name [SOLVEFOR a, b] { }`, ...
fn named_block<'a>(i: Toks<'a>, word: &str, solvefor: bool) -> PResult<'a, NamedBlock> {
    let start = i.span();
    let (mut i, id) = expect(|| format!("a name after {word}"), name)(i.advance(1))?;
    let mut names = Vec::new();
    if solvefor && i.is_kw(K::SolveFor) {
        (i, names) = expect(
            "a name after SOLVEFOR",
            separated_list1(tok(T::Comma), name),
        )(i.advance(1))?;
    }
    let (i, body) = block(i, &format!("the {word} block"))?;
    let span = i.since(start);
    Ok((
        i,
        NamedBlock {
            name: id,
            solvefor: names,
            body,
            span,
        },
    ))
}

/// `PROCEDURE name(args) { }`, `FUNCTION name(args) (units) { }`,
/// `FUNCTION_TABLE name(args) (units)`.
fn callable<'a>(i: Toks<'a>, word: &str, has_body: bool) -> PResult<'a, Callable> {
    let start = i.span();
    let (i, id) = expect(|| format!("a name after {word}"), name)(i.advance(1))?;
    let (i, params) = params(i, &format!("`{}`", id.name))?;
    let (i, units) = opt_units(i)?;
    let (i, body) = if has_body {
        let (i, b) = block(i, &format!("the {word} `{}`", id.name))?;
        (i, Some(b))
    } else {
        (i, None)
    };
    let span = i.since(start);
    Ok((
        i,
        Callable {
            name: id,
            params,
            units,
            body,
            span,
        },
    ))
}

/// `NET_RECEIVE(weight (uS)) { }`.
fn net_receive(i: Toks<'_>) -> PResult<'_, Item> {
    let start = i.span();
    let (i, params) = params(i.advance(1), "NET_RECEIVE")?;
    i.cx.set_net_receive(true);
    let body = block(i, "the NET_RECEIVE block");
    i.cx.set_net_receive(false);
    let (i, body) = body?;
    let span = i.since(start);
    Ok((i, Item::NetReceive(NetReceive { params, body, span })))
}

/// `DEFINE NAME 10` (or a negative integer).
fn define(i: Toks<'_>) -> PResult<'_, Item> {
    let start = i.span();
    let (i, id) = expect("a name after DEFINE", name)(i.advance(1))?;
    let (i, value) = if i.kind() == Some(T::Minus) {
        let minus = i.span();
        let (i, n) = expect("an integer after `-`", integer)(i.advance(1))?;
        let text = format!("-{}", n.text);
        (i, super::input::number_from(&text, minus.cover(n.span)))
    } else {
        expect("an integer value after the DEFINE name", integer)(i)?
    };
    let span = i.since(start);
    Ok((
        i,
        Item::Define {
            name: id,
            value,
            span,
        },
    ))
}

/// `INCLUDE "file"`.
fn include(i: Toks<'_>) -> PResult<'_, Item> {
    let start = i.span();
    let (i, s) = expect("a quoted file name after INCLUDE", tok(T::String))(i.advance(1))?;
    let quoted = i.cx.text(s);
    let path = quoted
        .trim_start_matches('"')
        .trim_end_matches('"')
        .to_string();
    Ok((
        i,
        Item::Include {
            path,
            span: start.cover(s),
        },
    ))
}
