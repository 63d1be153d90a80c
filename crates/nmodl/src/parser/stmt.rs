//! Statements and `{ }` statement blocks: assignments, calls, control flow, SOLVE,
//! TABLE, LOCAL, reactions and equations (`~`), and the NEURON-specific statements
//! (WATCH, FOR_NETCONS, CONDUCTANCE, PROTECT, MUTEXLOCK, ...).

use super::expr::{add_expr, call_rest, close, expr, index_rest, prime};
use super::input::{
    close_block, deeper, expect, fail, integer, kw, name, opt_units, tok, unsigned, Msg, PError,
    PResult, Toks,
};
use crate::ast::{
    ArrayLen, BinOp, Block, Expr, Ident, LValue, LocalDecl, Param, ReactTerm, Reaction, ReactionOp,
    Stmt,
};
use crate::lexer::{raw_block_body, Keyword as K, TokenKind as T};
use crate::span::Span;
use nom::multi::separated_list1;
use nom::Err;

/// `{ statements }`; `owner` names the block in messages ("the BREAKPOINT block").
pub(crate) fn block<'a>(i: Toks<'a>, owner: &str) -> PResult<'a, Block> {
    let (i, open) = expect(|| format!("`{{` to open {owner}"), tok(T::LBrace))(i)?;
    deeper(i, |i| block_body(i, owner, open))
}

fn block_body<'a>(mut i: Toks<'a>, owner: &str, open: Span) -> PResult<'a, Block> {
    let mut stmts = Vec::new();
    loop {
        match i.kind() {
            Some(T::RBrace) => break,
            Some(T::Comment) => i = i.advance(1),
            Some(T::Keyword(K::Local)) if !stmts.is_empty() => return local_not_first(i),
            Some(T::Keyword(K::Initial)) if !i.cx.in_net_receive() => break,
            _ => match stmt(i) {
                Ok((rest, s)) => {
                    stmts.push(s);
                    i = rest;
                }
                Err(Err::Error(e)) if e.at <= i.pos() => break,
                Err(e) => return Err(e),
            },
        }
    }
    let (i, close) = close_block(i, owner, "a statement", open)?;
    Ok((
        i,
        Block {
            stmts,
            span: open.cover(close),
        },
    ))
}

/// NEURON takes one LOCAL list, as the first statement of a block.
fn local_not_first<O>(i: Toks<'_>) -> PResult<'_, O> {
    let msg = "LOCAL must be the first statement of a block, and appear once".to_string();
    Err(Err::Failure(PError::new(i.pos(), Msg::Custom(msg))))
}

/// One statement.
pub(crate) fn stmt(i: Toks<'_>) -> PResult<'_, Stmt> {
    match i.kind() {
        Some(T::Name) => name_stmt(i),
        Some(T::Prime) => assign(i),
        Some(T::Tilde) => tilde(i),
        Some(T::LBrace) => {
            let (i, b) = block(i, "the block")?;
            Ok((i, Stmt::Block(b)))
        }
        Some(T::Verbatim) => {
            let t = i.toks[0];
            let v = crate::ast::Verbatim {
                text: raw_block_body(i.cx.src, &t).to_string(),
                span: t.span,
            };
            Ok((i.advance(1), Stmt::Verbatim(v)))
        }
        Some(T::Keyword(k)) => keyword_stmt(i, k),
        _ => fail(i, "a statement"),
    }
}

fn keyword_stmt(i: Toks<'_>, k: K) -> PResult<'_, Stmt> {
    let span = i.span();
    let simple = |s: Stmt| Ok((i.advance(1), s));
    match k {
        K::Local => local(i),
        K::If => if_stmt(i),
        K::While => while_stmt(i),
        K::From => from_stmt(i),
        K::Solve => solve(i),
        K::Table => table(i),
        K::Conserve => conserve(i),
        K::Compartment | K::LongitudinalDiffusion => compartment(i, k),
        K::Watch => watch(i),
        K::ForNetCons => for_netcons(i),
        K::Initial => {
            let (i, b) = block(i.advance(1), "the INITIAL block")?;
            Ok((i, Stmt::Initial(b)))
        }
        K::Conductance => conductance(i),
        K::Protect => {
            let (i, s) = expect("an assignment after PROTECT", assign)(i.advance(1))?;
            Ok((i, Stmt::Protect(Box::new(s))))
        }
        K::Lag => lag(i),
        K::MutexLock => simple(Stmt::MutexLock(span)),
        K::MutexUnlock => simple(Stmt::MutexUnlock(span)),
        K::UnitsOn => simple(Stmt::UnitsOn(span)),
        K::UnitsOff => simple(Stmt::UnitsOff(span)),
        _ => fail(i, "a statement"),
    }
}

/// A statement that starts with a name: a call or an assignment.
fn name_stmt(i: Toks<'_>) -> PResult<'_, Stmt> {
    let word = i.first().map(|t| i.cx.text(t.span));
    let next = i.nth_kind(1);
    if word == Some("RESET") && !matches!(next, Some(T::Assign | T::LParen | T::LBracket)) {
        return Ok((i.advance(1), Stmt::Reset(i.span())));
    }
    if i.nth_kind(1) == Some(T::LParen) {
        let (rest, id) = name(i)?;
        let (rest, call) = call_rest(rest, id)?;
        return Ok((rest, Stmt::Expr(call)));
    }
    assign(i)
}

/// `lvalue = expr`.
fn assign(i: Toks<'_>) -> PResult<'_, Stmt> {
    let (i, lhs) = lvalue(i)?;
    let what = || format!("`=` after `{}`", lhs.ident().name);
    let (i, _) = expect(what, tok(T::Assign))(i)?;
    let (i, rhs) = expect("an expression after `=`", expr)(i)?;
    let span = lhs.span().cover(rhs.span());
    Ok((i, Stmt::Assign { lhs, rhs, span }))
}

fn lvalue(i: Toks<'_>) -> PResult<'_, LValue> {
    if i.kind() == Some(T::Prime) {
        let (i, (name, order, span)) = prime(i)?;
        let (i, index, span) = if i.kind() == Some(T::LBracket) {
            let (i, (index, span)) = index_rest(i, &name)?;
            (i, Some(Box::new(index)), span)
        } else {
            (i, None, span)
        };
        let lv = LValue::Prime {
            name,
            order,
            index,
            span,
        };
        return Ok((i, lv));
    }
    let (i, id) = name(i)?;
    if i.kind() != Some(T::LBracket) {
        return Ok((i, LValue::Name(id)));
    }
    let (i, (index, span)) = index_rest(i, &id)?;
    let lv = LValue::Index {
        name: id,
        index: Box::new(index),
        span,
    };
    Ok((i, lv))
}

/// `LOCAL a, b[3]`.
pub(crate) fn local(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, names) = expect(
        "a name after LOCAL",
        separated_list1(tok(T::Comma), local_decl),
    )(i.advance(1))?;
    let span = i.since(start);
    Ok((i, Stmt::Local { names, span }))
}

fn local_decl(i: Toks<'_>) -> PResult<'_, LocalDecl> {
    let (i, id) = name(i)?;
    let (i, length) = opt_length(i)?;
    let span = i.since(id.span);
    Ok((
        i,
        LocalDecl {
            name: id,
            length,
            span,
        },
    ))
}

/// An optional `[n]` after a declared name: a number or a DEFINEd name.
pub(crate) fn opt_length(i: Toks<'_>) -> PResult<'_, Option<ArrayLen>> {
    if i.kind() != Some(T::LBracket) {
        return Ok((i, None));
    }
    let open = i.span();
    let i = i.advance(1);
    let (i, len) = match i.kind() {
        Some(T::Name) => {
            let (i, id) = name(i)?;
            (i, ArrayLen::Name(id))
        }
        _ => {
            let (i, n) = expect("an array length", integer)(i)?;
            (i, ArrayLen::Number(n))
        }
    };
    let (i, _) = close(i, "`]`", open)?;
    Ok((i, Some(len)))
}

/// `( expr )` as in `if (...)`, `while (...)`.
fn condition<'a>(i: Toks<'a>, after: &str) -> PResult<'a, Expr> {
    let (i, open) = expect(|| format!("`(` after {after}"), tok(T::LParen))(i)?;
    let (i, cond) = expect("a condition", expr)(i)?;
    let (i, _) = close(i, "`)`", open)?;
    Ok((i, cond))
}

fn if_stmt(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, cond) = condition(i.advance(1), "`if`")?;
    let (i, then) = block(i, "the `if` block")?;
    let (i, otherwise) = if i.is_kw(K::Else) {
        let rest = i.advance(1);
        if rest.is_kw(K::If) {
            let (rest, nested) = deeper(rest, if_stmt)?;
            let span = nested.span();
            (
                rest,
                Some(Block {
                    stmts: vec![nested],
                    span,
                }),
            )
        } else {
            let (rest, b) = block(rest, "the `else` block")?;
            (rest, Some(b))
        }
    } else {
        (i, None)
    };
    let span = i.since(start);
    Ok((
        i,
        Stmt::If {
            cond,
            then,
            otherwise,
            span,
        },
    ))
}

fn while_stmt(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, cond) = condition(i.advance(1), "`while`")?;
    let (i, body) = block(i, "the `while` block")?;
    let span = i.since(start);
    Ok((i, Stmt::While { cond, body, span }))
}

/// `FROM i = a TO b [BY c] { }`.
fn from_stmt(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, var) = expect("a loop variable after FROM", name)(i.advance(1))?;
    let (i, _) = expect("`=` after the loop variable", tok(T::Assign))(i)?;
    let (i, from) = expect("an expression after `=`", expr)(i)?;
    let (i, _) = expect("`TO`", kw(K::To))(i)?;
    let (i, to) = expect("an expression after TO", expr)(i)?;
    let (i, by) = if i.is_kw(K::By) {
        let (i, by) = expect("an expression after BY", expr)(i.advance(1))?;
        (i, Some(by))
    } else {
        (i, None)
    };
    let (i, body) = block(i, "the FROM loop")?;
    let span = i.since(start);
    let s = Stmt::FromTo {
        var,
        from,
        to,
        by,
        body,
        span,
    };
    Ok((i, s))
}

/// `SOLVE name [METHOD m | STEADYSTATE m] [IFERROR { }]`.
fn solve(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (mut i, block_name) = expect("a block name after SOLVE", name)(i.advance(1))?;
    let (mut method, mut steadystate) = (None, None);
    if i.is_kw(K::Method) || i.is_kw(K::SteadyState) {
        let is_method = i.is_kw(K::Method);
        let (rest, m) = expect("a method name", name)(i.advance(1))?;
        i = rest;
        if is_method {
            method = Some(m);
        } else {
            steadystate = Some(m);
        }
    }
    let mut if_error = None;
    if i.first().map(|t| i.cx.text(t.span)) == Some("IFERROR") {
        let (rest, b) = block(i.advance(1), "the IFERROR block")?;
        i = rest;
        if_error = Some(b);
    }
    let span = i.since(start);
    let s = Stmt::Solve {
        block: block_name,
        method,
        steadystate,
        if_error,
        span,
    };
    Ok((i, s))
}

fn name_list(i: Toks<'_>) -> PResult<'_, Vec<Ident>> {
    separated_list1(tok(T::Comma), name)(i)
}

/// `TABLE [names] [DEPEND names] FROM e TO e WITH n`.
fn table(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let mut i = i.advance(1);
    let mut names = Vec::new();
    if i.kind() == Some(T::Name) {
        (i, names) = name_list(i)?;
    }
    let mut depend = Vec::new();
    if i.is_kw(K::Depend) {
        (i, depend) = expect("a name after DEPEND", name_list)(i.advance(1))?;
    }
    let (i, _) = expect("`FROM` in the TABLE statement", kw(K::From))(i)?;
    let (i, from) = expect("an expression after FROM", expr)(i)?;
    let (i, _) = expect("`TO`", kw(K::To))(i)?;
    let (i, to) = expect("an expression after TO", expr)(i)?;
    let (i, _) = expect("`WITH`", kw(K::With))(i)?;
    let (i, with) = expect("an expression after WITH", expr)(i)?;
    let span = i.since(start);
    let s = Stmt::Table {
        names,
        depend,
        from,
        to,
        with,
        span,
    };
    Ok((i, s))
}

/// `CONSERVE a + b = 1`; terms may carry integer coefficients as in reactions
/// (`CONSERVE 2 A + B = 1`), which become products (`2*A`) in the tree.
fn conserve(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let after = i.advance(1);
    let (i, lhs) = match add_expr(after) {
        Ok((rest, e)) if rest.kind() == Some(T::Assign) => (rest, e),
        _ => {
            let (rest, terms) = expect("a sum of states after CONSERVE", react_side)(after)?;
            (rest, terms_to_expr(terms))
        }
    };
    let (i, _) = expect("`=` in CONSERVE", tok(T::Assign))(i)?;
    let (i, rhs) = expect("an expression after `=`", expr)(i)?;
    let span = i.since(start);
    Ok((i, Stmt::Conserve { lhs, rhs, span }))
}

/// `COMPARTMENT [i,] expr { states }` and LONGITUDINAL_DIFFUSION, which has the same shape.
fn compartment(i: Toks<'_>, k: K) -> PResult<'_, Stmt> {
    let start = i.span();
    let mut i = i.advance(1);
    let mut index = None;
    if i.kind() == Some(T::Name) && i.nth_kind(1) == Some(T::Comma) {
        let (rest, id) = name(i)?;
        index = Some(id);
        i = rest.advance(1);
    }
    let (i, value) = expect("an expression", expr)(i)?;
    let (i, open) = expect("`{` before the list of states", tok(T::LBrace))(i)?;
    let (i, states) = nom::multi::many1(name)(i).or_else(|_| fail(i, "a state name"))?;
    let (i, _) = close(i, "`}`", open)?;
    let span = i.since(start);
    let s = if k == K::Compartment {
        Stmt::Compartment {
            index,
            volume: value,
            states,
            span,
        }
    } else {
        Stmt::LongitudinalDiffusion {
            index,
            flux: value,
            states,
            span,
        }
    };
    Ok((i, s))
}

/// `WATCH (v > thresh) flag, ...`.
fn watch(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, watches) =
        expect("`(` after WATCH", separated_list1(tok(T::Comma), watch1))(i.advance(1))?;
    let span = i.since(start);
    Ok((i, Stmt::Watch { watches, span }))
}

fn watch1(i: Toks<'_>) -> PResult<'_, (Expr, Expr)> {
    let (i, open) = tok(T::LParen)(i)?;
    let (i, cond) = expect("a condition such as `v > thresh`", expr)(i)?;
    let (i, _) = close(i, "`)`", open)?;
    let (i, flag) = expect("a flag value after the WATCH condition", expr)(i)?;
    Ok((i, (cond, flag)))
}

/// `FOR_NETCONS(w, t (ms)) { }`.
fn for_netcons(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, params) = params(i.advance(1), "FOR_NETCONS")?;
    let (i, body) = block(i, "the FOR_NETCONS block")?;
    let span = i.since(start);
    Ok((i, Stmt::ForNetCons { params, body, span }))
}

/// `( name [units], ... )`: formal arguments.
pub(crate) fn params<'a>(i: Toks<'a>, after: &str) -> PResult<'a, Vec<Param>> {
    let (mut i, open) = expect(|| format!("`(` after {after}"), tok(T::LParen))(i)?;
    let mut out = Vec::new();
    if i.kind() != Some(T::RParen) {
        loop {
            let (rest, id) = expect("an argument name", name)(i)?;
            let (rest, units) = opt_units(rest)?;
            let span = rest.since(id.span);
            out.push(Param {
                name: id,
                units,
                span,
            });
            i = rest;
            if i.kind() != Some(T::Comma) {
                break;
            }
            i = i.advance(1);
        }
    }
    let (i, _) = close(i, "`)`", open)?;
    Ok((i, out))
}

/// `CONDUCTANCE g [USEION ion]`.
fn conductance(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, id) = expect("a name after CONDUCTANCE", name)(i.advance(1))?;
    let (i, ion) = if i.is_kw(K::UseIon) {
        let (i, ion) = expect("an ion name after USEION", name)(i.advance(1))?;
        (i, Some(ion))
    } else {
        (i, None)
    };
    let span = i.since(start);
    Ok((
        i,
        Stmt::Conductance {
            name: id,
            ion,
            span,
        },
    ))
}

/// `LAG x BY tau`.
fn lag(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, id) = expect("a name after LAG", name)(i.advance(1))?;
    let (i, _) = expect("`BY`", kw(K::By))(i)?;
    let (i, by) = expect("a name after BY", name)(i)?;
    let span = i.since(start);
    Ok((i, Stmt::Lag { name: id, by, span }))
}

/// `~ ...`: a reaction in KINETIC blocks, an equation elsewhere.
fn tilde(i: Toks<'_>) -> PResult<'_, Stmt> {
    if i.cx.in_kinetic() {
        let (i, r) = reaction(i)?;
        Ok((i, Stmt::Reaction(r)))
    } else {
        equation(i)
    }
}

fn equation(i: Toks<'_>) -> PResult<'_, Stmt> {
    let start = i.span();
    let (i, lhs) = expect("an expression after `~`", expr)(i.advance(1))?;
    let (i, _) = expect("`=` in the equation", tok(T::Assign))(i)?;
    let (i, rhs) = expect("an expression after `=`", expr)(i)?;
    let span = i.since(start);
    Ok((i, Stmt::Equation { lhs, rhs, span }))
}

fn reaction(i: Toks<'_>) -> PResult<'_, Reaction> {
    let start = i.span();
    let (i, lhs) = expect("a reactant after `~`", react_side)(i.advance(1))?;
    let (i, op) = reaction_op(i)?;
    let (i, rhs) = match op {
        ReactionOp::Reversible => expect("a product after `<->`", react_side)(i)?,
        ReactionOp::Forward if i.kind() != Some(T::LParen) => {
            expect("a product after `->`", react_side)(i)?
        }
        _ => (i, Vec::new()),
    };
    let (i, open) = expect("`(` before the reaction rates", tok(T::LParen))(i)?;
    let (i, forward) = expect("a rate expression", expr)(i)?;
    let (i, backward) = if op == ReactionOp::Reversible {
        let (i, _) = expect("`,` and the backward rate", tok(T::Comma))(i)?;
        let (i, b) = expect("the backward rate", expr)(i)?;
        (i, Some(b))
    } else {
        (i, None)
    };
    let (i, _) = close(i, "`)`", open)?;
    let span = i.since(start);
    let r = Reaction {
        lhs,
        op,
        rhs,
        forward,
        backward,
        span,
    };
    Ok((i, r))
}

fn reaction_op(i: Toks<'_>) -> PResult<'_, ReactionOp> {
    match (i.kind(), i.nth_kind(1)) {
        (Some(T::React), _) => Ok((i.advance(1), ReactionOp::Reversible)),
        (Some(T::Lt), Some(T::Lt)) => Ok((i.advance(2), ReactionOp::Flux)),
        (Some(T::Minus), Some(T::Gt)) => Ok((i.advance(2), ReactionOp::Forward)),
        _ => Err(Err::Failure(super::input::PError::new(
            i.pos(),
            super::input::Msg::Expected("`<->`, `<<` or `->` in the reaction".into()),
        ))),
    }
}

/// Reaction terms as the sum they stand for: `2 A + B` becomes `2*A + B`.
fn terms_to_expr(terms: Vec<ReactTerm>) -> Expr {
    let term = |t: ReactTerm| {
        let var = match t.index {
            Some(index) => Expr::Index {
                span: t.span,
                name: t.name,
                index: Box::new(index),
            },
            None => Expr::Name(t.name),
        };
        match t.stoich {
            Some(n) => Expr::Binary {
                op: BinOp::Mul,
                span: n.span.cover(var.span()),
                lhs: Box::new(Expr::Number {
                    value: n,
                    units: None,
                }),
                rhs: Box::new(var),
            },
            None => var,
        }
    };
    let mut terms = terms.into_iter().map(term);
    let first = terms.next().unwrap_or(Expr::Name(Ident {
        name: String::new(),
        span: Span::default(),
    }));
    terms.fold(first, |lhs, rhs| Expr::Binary {
        op: BinOp::Add,
        span: lhs.span().cover(rhs.span()),
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    })
}

fn react_side(i: Toks<'_>) -> PResult<'_, Vec<ReactTerm>> {
    separated_list1(tok(T::Plus), react_term)(i)
}

fn react_term(i: Toks<'_>) -> PResult<'_, ReactTerm> {
    let start = i.span();
    let (i, stoich) = if i.kind() == Some(T::Integer) {
        let (i, n) = unsigned(i)?;
        (i, Some(n))
    } else {
        (i, None)
    };
    let (i, id) = if stoich.is_some() {
        expect("a state name after the coefficient", name)(i)?
    } else {
        name(i)?
    };
    let (i, index) = if i.kind() == Some(T::LBracket) {
        let (i, (index, _)) = index_rest(i, &id)?;
        (i, Some(index))
    } else {
        (i, None)
    };
    let span = i.since(start);
    Ok((
        i,
        ReactTerm {
            stoich,
            name: id,
            index,
            span,
        },
    ))
}
