//! The `NEURON { }` block: how the mechanism presents itself to NEURON (SUFFIX or
//! POINT_PROCESS, USEION, RANGE, GLOBAL, POINTER, ...).

use super::input::{close_block, expect, fail, fail_hard, name, signed, tok, PResult, Toks};
use crate::ast::{Ident, NeuronBlock, NeuronStmt, UseIon, Verbatim};
use crate::lexer::{raw_block_body, Keyword as K, TokenKind as T};
use crate::span::Span;
use nom::multi::separated_list1;
use nom::Err;

/// `NEURON { ... }`.
pub(crate) fn neuron_block(i: Toks<'_>) -> PResult<'_, NeuronBlock> {
    let start = i.span();
    let (mut i, _) = expect("`{` after NEURON", tok(T::LBrace))(i.advance(1))?;
    let mut stmts = Vec::new();
    loop {
        match i.kind() {
            Some(T::RBrace) | None => break,
            Some(T::Comment) => i = i.advance(1),
            _ => match neuron_stmt(i) {
                Ok((rest, s)) => {
                    stmts.push(s);
                    i = rest;
                }
                Err(Err::Error(e)) if e.at <= i.pos() => break,
                Err(e) => return Err(e),
            },
        }
    }
    let (i, close) = close_block(
        i,
        "the NEURON block",
        "a NEURON statement such as SUFFIX, USEION or RANGE",
        start,
    )?;
    let span = start.cover(close);
    Ok((i, NeuronBlock { stmts, span }))
}

fn neuron_stmt(i: Toks<'_>) -> PResult<'_, NeuronStmt> {
    let span = i.span();
    let k = match i.kind() {
        Some(T::Verbatim) => {
            let t = i.toks[0];
            let text = raw_block_body(i.cx.src, &t).to_string();
            return Ok((i.advance(1), NeuronStmt::Verbatim(Verbatim { text, span })));
        }
        Some(T::Keyword(k)) => k,
        _ => return fail(i, "a NEURON statement"),
    };
    match k {
        K::Suffix | K::PointProcess | K::ArtificialCell => kind_stmt(i, k),
        K::UseIon => {
            let (i, u) = useion(i)?;
            Ok((i, NeuronStmt::UseIon(u)))
        }
        K::ThreadSafe => {
            let rest = i.advance(1);
            let (rest, names) = if rest.kind() == Some(T::Name) {
                name_list(rest)?
            } else {
                (rest, Vec::new())
            };
            let span = rest.since(span);
            Ok((rest, NeuronStmt::ThreadSafe { names, span }))
        }
        K::Represents => {
            let (i, term) = ontology(i.advance(1))?;
            let span = i.since(span);
            Ok((i, NeuronStmt::Represents { term, span }))
        }
        _ => list_stmt(i, k),
    }
}

/// `SUFFIX name`, `POINT_PROCESS name`, `ARTIFICIAL_CELL name`.
fn kind_stmt(i: Toks<'_>, k: K) -> PResult<'_, NeuronStmt> {
    let start = i.span();
    let word = i.cx.text(start).to_string();
    let (i, id) = expect(|| format!("a name after {word}"), name)(i.advance(1))?;
    let span = start.cover(id.span);
    let s = match k {
        K::Suffix => NeuronStmt::Suffix { name: id, span },
        K::PointProcess => NeuronStmt::PointProcess { name: id, span },
        _ => NeuronStmt::ArtificialCell { name: id, span },
    };
    Ok((i, s))
}

/// A keyword followed by a comma-separated list of names.
fn list_stmt(i: Toks<'_>, k: K) -> PResult<'_, NeuronStmt> {
    type Make = fn(Vec<Ident>, Span) -> NeuronStmt;
    let make: Make = match k {
        K::NonspecificCurrent => |names, span| NeuronStmt::NonspecificCurrent { names, span },
        K::ElectrodeCurrent => |names, span| NeuronStmt::ElectrodeCurrent { names, span },
        K::Range => |names, span| NeuronStmt::Range { names, span },
        K::Global => |names, span| NeuronStmt::Global { names, span },
        K::Pointer => |names, span| NeuronStmt::Pointer { names, span },
        K::BbcorePointer => |names, span| NeuronStmt::BbcorePointer { names, span },
        K::External => |names, span| NeuronStmt::External { names, span },
        K::Random => |names, span| NeuronStmt::Random { names, span },
        _ => return fail(i, "a NEURON statement"),
    };
    let start = i.span();
    let word = i.cx.text(start).to_string();
    let (i, names) = expect(|| format!("a name after {word}"), name_list)(i.advance(1))?;
    let span = i.since(start);
    Ok((i, make(names, span)))
}

fn name_list(i: Toks<'_>) -> PResult<'_, Vec<Ident>> {
    let (i, names) = separated_list1(tok(T::Comma), name)(i)?;
    if i.kind() == Some(T::Comma) {
        return expect("a name after `,`", name)(i.advance(1)).map(|_| (i, names));
    }
    Ok((i, names))
}

/// `USEION na READ ena WRITE ina VALENCE 1 REPRESENTS CHEBI:29101`.
fn useion(i: Toks<'_>) -> PResult<'_, UseIon> {
    let start = i.span();
    let (mut i, ion) = expect("an ion name after USEION", name)(i.advance(1))?;
    if !i.is_kw(K::Read) && !i.is_kw(K::Write) {
        let what = format!("READ or WRITE after `USEION {}`", ion.name);
        return fail_hard(i, what);
    }
    let mut read = Vec::new();
    let mut write = Vec::new();
    if i.is_kw(K::Read) {
        (i, read) = expect("a name after READ", name_list)(i.advance(1))?;
    }
    if i.is_kw(K::Write) {
        (i, write) = expect("a name after WRITE", name_list)(i.advance(1))?;
    }
    let mut valence = None;
    if i.is_kw(K::Valence) {
        let (rest, v) = expect("a number after VALENCE", signed)(i.advance(1))?;
        valence = Some(v);
        i = rest;
    }
    let mut represents = None;
    if i.is_kw(K::Represents) {
        let (rest, term) = ontology(i.advance(1))?;
        represents = Some(term);
        i = rest;
    }
    let span = i.since(start);
    let u = UseIon {
        ion,
        read,
        write,
        valence,
        represents,
        span,
    };
    Ok((i, u))
}

fn ontology(i: Toks<'_>) -> PResult<'_, String> {
    let (i, span) = expect(
        "an ontology term such as `NCIT:C17145` after REPRESENTS",
        tok(T::Ontology),
    )(i)?;
    Ok((i, i.cx.text(span).to_string()))
}
