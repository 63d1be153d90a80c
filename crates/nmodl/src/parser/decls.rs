//! Declaration blocks: UNITS, PARAMETER, ASSIGNED, STATE, CONSTANT, INDEPENDENT.
//! Their bodies are lists of declarations with no separators; each block ends at `}`.

use super::input::{
    close_block, expect, fail, integer, name, opt_units, signed, tok, units, unsigned, PResult,
    Toks,
};
use super::stmt::opt_length;
use crate::ast::{ConstDecl, DeclBlock, Ident, Limits, Number, ParamDecl, UnitDef, VarDecl};
use crate::lexer::{Keyword as K, TokenKind as T};
use crate::span::Span;
use nom::Err;

/// The body of a declaration block: `{ decl* }`, `decl` parsing one line.
fn decl_body<'a, D>(
    i: Toks<'a>,
    block: &str,
    mut decl: impl FnMut(Toks<'a>) -> PResult<'a, D>,
) -> PResult<'a, (Vec<D>, Span)> {
    let start = i.span();
    let (mut i, _) = expect(|| format!("`{{` after {block}"), tok(T::LBrace))(i.advance(1))?;
    let mut decls = Vec::new();
    loop {
        match i.kind() {
            Some(T::RBrace) | None => break,
            Some(T::Comment) => i = i.advance(1),
            _ => match decl(i) {
                Ok((rest, d)) => {
                    decls.push(d);
                    i = rest;
                }
                Err(Err::Error(e)) if e.at <= i.pos() => break,
                Err(e) => return Err(e),
            },
        }
    }
    let inside = match block {
        "PARAMETER" => "a parameter such as `gbar = 0.1 (S/cm2)`",
        "CONSTANT" => "a constant such as `F = 96485 (coulomb)`",
        "UNITS" => "a unit definition such as `(mV) = (millivolt)`",
        "INDEPENDENT" => "an independent variable",
        _ => "a variable name",
    };
    let owner = format!("the {block} block");
    let (i, close) = close_block(i, &owner, inside, start)?;
    Ok((i, (decls, start.cover(close))))
}

pub(crate) fn parameter_block(i: Toks<'_>) -> PResult<'_, DeclBlock<ParamDecl>> {
    let (i, (decls, span)) = decl_body(i, "PARAMETER", param_decl)?;
    Ok((i, DeclBlock { decls, span }))
}

pub(crate) fn var_block<'a>(i: Toks<'a>, block: &str) -> PResult<'a, DeclBlock<VarDecl>> {
    let (i, (decls, span)) = decl_body(i, block, var_decl)?;
    Ok((i, DeclBlock { decls, span }))
}

pub(crate) fn constant_block(i: Toks<'_>) -> PResult<'_, DeclBlock<ConstDecl>> {
    let (i, (decls, span)) = decl_body(i, "CONSTANT", const_decl)?;
    Ok((i, DeclBlock { decls, span }))
}

pub(crate) fn units_block(i: Toks<'_>) -> PResult<'_, crate::ast::UnitsBlock> {
    let (i, (defs, span)) = decl_body(i, "UNITS", unit_def)?;
    Ok((i, crate::ast::UnitsBlock { defs, span }))
}

pub(crate) fn independent_block(i: Toks<'_>) -> PResult<'_, (Vec<Ident>, Span)> {
    decl_body(i, "INDEPENDENT", indep_decl)
}

/// `name = value (units) <lo, hi>`, `name (units)`, `name[n] (units)`.
fn param_decl(i: Toks<'_>) -> PResult<'_, ParamDecl> {
    let (i, id) = name(i)?;
    let (i, length) = opt_length(i)?;
    let (i, value) = if length.is_none() && i.kind() == Some(T::Assign) {
        let what = || format!("a number after `{} =`", id.name);
        let (i, v) = expect(what, signed)(i.advance(1))?;
        (i, Some(v))
    } else {
        (i, None)
    };
    let (i, units) = opt_units(i)?;
    let (i, limits) = opt_limits(i)?;
    let span = i.since(id.span);
    let d = ParamDecl {
        name: id,
        length,
        value,
        units,
        limits,
        span,
    };
    Ok((i, d))
}

/// `<lo, hi>`.
fn opt_limits(i: Toks<'_>) -> PResult<'_, Option<Limits>> {
    if i.kind() != Some(T::Lt) {
        return Ok((i, None));
    }
    let start = i.span();
    let (i, lo) = expect("a lower limit after `<`", signed)(i.advance(1))?;
    let (i, _) = expect("`,` between the limits", tok(T::Comma))(i)?;
    let (i, hi) = expect("an upper limit", signed)(i)?;
    let (i, end) = expect("`>` to close the limits", tok(T::Gt))(i)?;
    let span = start.cover(end);
    Ok((i, Some(Limits { lo, hi, span })))
}

/// `name[n] FROM lo TO hi START x (units) <abstol>`, every part after the name optional.
fn var_decl(i: Toks<'_>) -> PResult<'_, VarDecl> {
    let (i, id) = name(i)?;
    let (i, length) = opt_length(i)?;
    let (i, from_to) = if i.is_kw(K::From) {
        let (i, lo) = expect("a number after FROM", signed)(i.advance(1))?;
        let (i, _) = expect("`TO`", tok(T::Keyword(K::To)))(i)?;
        let (i, hi) = expect("a number after TO", signed)(i)?;
        (i, Some((lo, hi)))
    } else {
        (i, None)
    };
    let (i, start) = opt_start(i)?;
    let (i, units) = opt_units(i)?;
    let (i, abstol) = if i.kind() == Some(T::Lt) {
        let (i, tol) = expect("a tolerance after `<`", unsigned)(i.advance(1))?;
        let (i, _) = expect("`>` after the tolerance", tok(T::Gt))(i)?;
        (i, Some(tol))
    } else {
        (i, None)
    };
    let span = i.since(id.span);
    let d = VarDecl {
        name: id,
        length,
        units,
        from_to,
        abstol,
        start,
        span,
    };
    Ok((i, d))
}

fn opt_start(i: Toks<'_>) -> PResult<'_, Option<Number>> {
    if !i.is_kw(K::Start) {
        return Ok((i, None));
    }
    let (i, n) = expect("a number after START", signed)(i.advance(1))?;
    Ok((i, Some(n)))
}

/// `FARADAY = 96485.309 (coul)`.
fn const_decl(i: Toks<'_>) -> PResult<'_, ConstDecl> {
    let (i, id) = name(i)?;
    let what = || format!("`=` after `{}`", id.name);
    let (i, _) = expect(what, tok(T::Assign))(i)?;
    let (i, value) = expect("a number after `=`", signed)(i)?;
    let (i, units) = opt_units(i)?;
    let span = i.since(id.span);
    let d = ConstDecl {
        name: id,
        value,
        units,
        span,
    };
    Ok((i, d))
}

/// `(mA) = (milliamp)`, `FARADAY = (faraday) (coulomb)`, `e = 1.6e-19 (coulomb)`,
/// `x = (foot) -> (inch)`.
fn unit_def(i: Toks<'_>) -> PResult<'_, UnitDef> {
    let start = i.span();
    if i.kind() == Some(T::LParen) {
        let (i, alias) = units(i)?;
        let (i, _) = expect("`=` after the unit name", tok(T::Assign))(i)?;
        let (i, value) = expect("units in parentheses after `=`", units)(i)?;
        let span = i.since(start);
        let d = UnitDef::Alias {
            name: alias,
            value,
            span,
        };
        return Ok((i, d));
    }
    let (i, id) = name(i)?;
    let what = || format!("`=` after `{}`", id.name);
    let (i, _) = expect(what, tok(T::Assign))(i)?;
    if matches!(i.kind(), Some(T::Integer | T::Real)) {
        let (i, value) = unsigned(i)?;
        let (i, from) = expect("units in parentheses after the number", units)(i)?;
        let span = i.since(start);
        let d = UnitDef::Factor {
            name: id,
            value: Some(value),
            from,
            to: None,
            span,
        };
        return Ok((i, d));
    }
    let (i, from) = expect("a number or units in parentheses after `=`", units)(i)?;
    let i = match (i.kind(), i.nth_kind(1)) {
        (Some(T::Minus), Some(T::Gt)) => i.advance(2),
        _ => i,
    };
    let (i, to) = expect("the units to convert to", units)(i)?;
    let span = i.since(start);
    let d = UnitDef::Factor {
        name: id,
        value: None,
        from,
        to: Some(to),
        span,
    };
    Ok((i, d))
}

/// `[SWEEP] t FROM 0 TO 1 WITH 1 [START 0] (ms)`; only the name is kept.
fn indep_decl(i: Toks<'_>) -> PResult<'_, Ident> {
    let i = if i.is_kw(K::Sweep) { i.advance(1) } else { i };
    let (i, id) = match name(i) {
        Ok(ok) => ok,
        Err(_) => return fail(i, "an independent variable"),
    };
    let (i, _) = expect("`FROM`", tok(T::Keyword(K::From)))(i)?;
    let (i, _) = expect("a number after FROM", signed)(i)?;
    let (i, _) = expect("`TO`", tok(T::Keyword(K::To)))(i)?;
    let (i, _) = expect("a number after TO", signed)(i)?;
    let (i, _) = expect("`WITH`", tok(T::Keyword(K::With)))(i)?;
    let (i, _) = expect("an integer after WITH", integer)(i)?;
    let (i, _) = opt_start(i)?;
    let (i, _) = opt_units(i)?;
    Ok((i, id))
}
