//! NMODL's random-number functions in the executable form, with NEURON
//! 9.0.2's streams (`neurite_hines::random`, `docs/semantics/random.md`).
//!
//! - `scop_random()`, `exprand(mean)`, `normrand(mean, sd)`, `poisrand(mean)`
//!   and `set_seed(seed)` draw from the one scop generator of the thread.
//! - A NEURON 9 `RANDOM r` variable is a column holding a *stream handle*; a
//!   new instance gets NEURON's default stream (ids `1, 0, n`, n counting the
//!   RANDOM streams made so far: [`assign_default_streams`], or at its first
//!   use when the caller did not assign one). `random_uniform`,
//!   `random_negexp`, `random_normal`, `random_ipick`, `random_dpick`,
//!   `random_setseq` and `random_setids` work on it as nocmodl's
//!   `nrnran123_*` calls do.
//! - The VERBATIM random idiom (Blue Brain's `setRNG`/`urand`/`erand`,
//!   StochKv, Gfluct) keeps a stream or a HOC `Random` in a POINTER column, as
//!   a handle too. [`translate_c_call`] gives the NMODL form of its C calls
//!   (`nrnran123_newstream3`, `nrnran123_dblpick`, `nrn_random_pick`,
//!   `hoc_is_double_arg`, ...), written with internal `$ran_*` calls that
//!   [`lower_call`] compiles.
//!
//! Handles: 0 is "no stream" (C's NULL); k ≥ 1 is the k-th Random123 stream
//! made on this thread; −k the k-th HOC `Random` object given to a mechanism
//! ([`register_shared`]: negative, so that C's `hoc_is_double_arg` can tell a
//! Random argument from a number; stream ids are never negative). Streams
//! live outside the mechanism's columns, as in NEURON, so a simulation rebuilt
//! from the same column values continues the same streams.
//!
//! Draws run lane by lane in instance order and only where the mask is set,
//! so a stream is never advanced by a branch its instance did not take.

use super::ir::{Frame, Op, Src};
use super::lower::{Lower, Lowered};
use super::Compiled;
use crate::ast::{BinOp, Expr, Ident, Number};
use crate::diagnostic::Diagnostic;
use crate::sema::SymbolKind;
use crate::span::Span;
use neurite_hines::random::{self as rng, f64_to_u32, Ran123, Scop, SharedRandom};
use std::cell::RefCell;
use std::rc::Rc;

/// What a random op computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RandomFn {
    /// `scop_random()`.
    Scop,
    /// `exprand(mean)`.
    ExpRand,
    /// `normrand(mean, sd)`.
    NormRand,
    /// `poisrand(mean)`.
    PoisRand,
    /// `set_seed(seed)`.
    SetSeed,
    /// `uniform(s)` / `uniform(s, a, b)`.
    Uniform,
    /// `negexp(s)` / `negexp(s, mean)`.
    NegExp,
    /// `normal(s)` / `normal(s, mu, sigma)`.
    Normal,
    /// `ipick(s)`: the next 32-bit word.
    IPick,
    /// `dblpick(s)`.
    DblPick,
    /// `setseq(s, seq4which)` / `setseq(s, seq, which)`.
    SetSeq,
    /// `setids(s, id1, id2, id3)`.
    SetIds,
    /// `seq*4 + which` of the stream.
    GetSeq,
    /// `nrnran123_newstream3(id1, id2, id3)`: a new stream's handle.
    NewStream,
    /// `nrn_random_pick(r)`: the HOC Random's current distribution (a
    /// Random123 stream gives `dblpick`); 0.5 without one, as NEURON.
    Pick,
    /// `nrn_random_reset(r)`.
    Reset,
    /// Whether the handle's stream is Random123 (`nrn_random_isran123`).
    IsRan123,
    /// Id 1, 2 or 3 of a Random123 stream (`nrnran123_getids3`).
    Id1,
    Id2,
    Id3,
    /// The `seq` part of `seq*4 + which` (`nrnran123_getseq`).
    SeqOnly,
    /// The `which` part.
    Which,
}

/// One random op: `dst = f(stream, args)` for every instance under `mask`.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomOp {
    pub f: RandomFn,
    pub dst: u32,
    /// The operand holding the stream handle (the first argument).
    pub stream: Option<Src>,
    /// The stream is a RANDOM variable: a lane without one gets its default.
    pub default_stream: bool,
    pub args: Vec<Src>,
    pub mask: Option<u32>,
}

enum Slot {
    Stream(Ran123),
    Shared(SharedRandom),
}

thread_local! {
    static STREAMS: RefCell<Vec<Ran123>> = const { RefCell::new(Vec::new()) };
    static SHARED: RefCell<Vec<SharedRandom>> = const { RefCell::new(Vec::new()) };
}

fn new_stream(s: Ran123) -> f64 {
    STREAMS.with(|v| {
        let mut v = v.borrow_mut();
        v.push(s);
        v.len() as f64
    })
}

/// The handle of a HOC `Random` object passed to a mechanism (the same
/// object always gets the same handle). For the exec call API: a Random
/// argument is passed as this number.
pub fn register_shared(r: &SharedRandom) -> f64 {
    SHARED.with(|v| {
        let mut v = v.borrow_mut();
        let k = match v.iter().position(|x| Rc::ptr_eq(x, r)) {
            Some(i) => i + 1,
            None => {
                v.push(Rc::clone(r));
                v.len()
            }
        };
        -(k as f64)
    })
}

/// The handle's stream or object, given to `f`.
fn with_slot<T>(h: f64, f: impl FnOnce(Slot) -> (T, Option<Ran123>)) -> Option<T> {
    if !(h.is_finite() && h.fract() == 0.0 && h != 0.0) {
        return None;
    }
    if h > 0.0 {
        let k = h as usize - 1;
        let s = STREAMS.with(|v| v.borrow().get(k).cloned())?;
        let (out, back) = f(Slot::Stream(s));
        if let Some(back) = back {
            STREAMS.with(|v| v.borrow_mut()[k] = back);
        }
        Some(out)
    } else {
        let k = (-h) as usize - 1;
        let r = SHARED.with(|v| v.borrow().get(k).cloned())?;
        Some(f(Slot::Shared(r)).0)
    }
}

/// Runs `f` on the Random123 stream of handle `h` (a HOC Random's stream if
/// it uses Random123).
fn on_stream<T>(h: f64, f: impl FnOnce(&mut Ran123) -> T) -> Option<T> {
    with_slot(h, |slot| match slot {
        Slot::Stream(mut s) => {
            let out = f(&mut s);
            (Some(out), Some(s))
        }
        Slot::Shared(r) => (r.borrow_mut().ran123().map(f), None),
    })
    .flatten()
}

/// A method of NEURON 9's HOC `NMODLRandom` on the stream of handle `h`
/// (the value of a RANDOM variable's column), as `src/nrniv/nmodlrandom.cpp`
/// does it: `set_ids(id1, id2, id3)` (the block already computed is kept),
/// `get_ids()` (three values), `set_seq(x)` (`x = seq·4 + which`),
/// `get_seq()`, `uniform()` (`nrnran123_uniform`, a `dblpick`). Returns the
/// values the method gives (none for the setters).
pub fn nmodl_random(h: f64, method: &str, args: &[f64]) -> Result<Vec<f64>, String> {
    let a = |i: usize| args.get(i).copied().unwrap_or(0.0);
    on_stream(h, |s| match method {
        "set_ids" => {
            s.set_ids(f64_to_u32(a(0)), f64_to_u32(a(1)), f64_to_u32(a(2)));
            Ok(Vec::new())
        }
        "get_ids" => {
            let (i1, i2, i3) = s.ids();
            Ok(vec![f64::from(i1), f64::from(i2), f64::from(i3)])
        }
        "set_seq" => {
            s.set_seq4(a(0));
            Ok(Vec::new())
        }
        "get_seq" => Ok(vec![s.seq4()]),
        "uniform" => Ok(vec![s.dblpick()]),
        _ => Err(format!("NMODLRandom has no method {method}")),
    })
    .unwrap_or_else(|| Err("NMODLRandom wrapped handle is not valid".to_string()))
}

/// Gives every RANDOM variable of a new instance (values in layout order)
/// its own default stream, as NEURON does when it makes the instance: the
/// engine calls this for every new point process and density segment.
pub fn assign_default_streams(compiled: &Compiled, values: &mut [f64]) {
    for sym in compiled.mechanism.symbols.iter() {
        if !matches!(sym.kind, SymbolKind::Random) {
            continue;
        }
        if let Some(slot) = compiled
            .layout
            .column(&sym.name)
            .and_then(|c| values.get_mut(c as usize))
        {
            *slot = new_stream(rng::new_default_stream());
        }
    }
}

/// [`assign_default_streams`] for a density mechanism newly inserted in a
/// section: `values[column][segment]`, segments in order.
pub fn assign_default_streams_per_segment(compiled: &Compiled, values: &mut [Vec<f64>]) {
    for sym in compiled.mechanism.symbols.iter() {
        if !matches!(sym.kind, SymbolKind::Random) {
            continue;
        }
        if let Some(col) = compiled
            .layout
            .column(&sym.name)
            .and_then(|c| values.get_mut(c as usize))
        {
            for x in col.iter_mut() {
                *x = new_stream(rng::new_default_stream());
            }
        }
    }
}

/// Runs a random op over the instances of `frame`.
pub fn run(op: &RandomOp, frame: &mut Frame) {
    if op.default_stream {
        if let Some(Src::Col(c)) = op.stream {
            // every instance without a stream gets its default now, in
            // instance order, whatever the mask (as if made with the instance)
            for x in frame.col_mut(c) {
                if x.is_nan() || *x == 0.0 {
                    *x = new_stream(rng::new_default_stream());
                }
            }
        }
    }
    for lane in 0..frame.n {
        if op.mask.is_some_and(|m| frame.get(Src::Col(m), lane) == 0.0) {
            continue;
        }
        let args: Vec<f64> = op.args.iter().map(|&a| frame.get(a, lane)).collect();
        let handle = op.stream.map_or(0.0, |s| frame.get(s, lane));
        let value = compute(op.f, handle, &args);
        if let Some(x) = frame.col_mut(op.dst).get_mut(lane) {
            *x = value;
        }
    }
}

fn arg(args: &[f64], i: usize) -> f64 {
    args.get(i).copied().unwrap_or(0.0)
}

fn compute(f: RandomFn, h: f64, a: &[f64]) -> f64 {
    match f {
        RandomFn::Scop => Scop::random(),
        RandomFn::ExpRand => Scop::exprand(arg(a, 0)),
        RandomFn::NormRand => Scop::normrand(arg(a, 0), arg(a, 1)),
        RandomFn::PoisRand => Scop::poisrand(arg(a, 0)),
        RandomFn::SetSeed => {
            Scop::set_seed(arg(a, 0));
            0.0
        }
        RandomFn::NewStream => new_stream(Ran123::new(
            f64_to_u32(arg(a, 0)),
            f64_to_u32(arg(a, 1)),
            f64_to_u32(arg(a, 2)),
        )),
        RandomFn::Pick => with_slot(h, |slot| match slot {
            Slot::Stream(mut s) => {
                let x = s.dblpick();
                (x, Some(s))
            }
            Slot::Shared(r) => (r.borrow_mut().pick(), None),
        })
        .unwrap_or(0.5),
        RandomFn::Reset => {
            with_slot(h, |slot| match slot {
                Slot::Stream(mut s) => {
                    s.set_seq(0, 0);
                    ((), Some(s))
                }
                Slot::Shared(r) => {
                    r.borrow_mut().generator.reset();
                    ((), None)
                }
            });
            0.0
        }
        RandomFn::IsRan123 => on_stream(h, |_| 1.0).unwrap_or(0.0),
        _ => on_stream(h, |s| stream_fn(f, s, a)).unwrap_or(f64::NAN),
    }
}

fn stream_fn(f: RandomFn, s: &mut Ran123, a: &[f64]) -> f64 {
    match (f, a.len()) {
        (RandomFn::Uniform, 2) => s.uniform(a[0], a[1]),
        (RandomFn::Uniform, _) | (RandomFn::DblPick, _) => s.dblpick(),
        (RandomFn::NegExp, 1) => s.negexp(a[0]),
        (RandomFn::NegExp, _) => s.negexp(1.0),
        (RandomFn::Normal, 2) => s.normal(a[0], a[1]),
        (RandomFn::Normal, _) => s.normal01(),
        (RandomFn::IPick, _) => f64::from(s.ipick()),
        (RandomFn::SetSeq, 2) => {
            // nrnran123_setseq(s, uint32_t seq, char which)
            s.set_seq(f64_to_u32(a[0]), f64_to_u32(a[1]) as u8 as i8 as i32);
            0.0
        }
        (RandomFn::SetSeq, _) => {
            s.set_seq4(arg(a, 0));
            0.0
        }
        (RandomFn::SetIds, _) => {
            let id = |i| f64_to_u32(arg(a, i));
            s.set_ids(id(0), id(1), id(2));
            0.0
        }
        (RandomFn::GetSeq, _) => s.seq4(),
        (RandomFn::Id1, _) => f64::from(s.ids().0),
        (RandomFn::Id2, _) => f64::from(s.ids().1),
        (RandomFn::Id3, _) => f64::from(s.ids().2),
        (RandomFn::SeqOnly, _) => f64::from(s.seq().0),
        (RandomFn::Which, _) => f64::from(s.seq().1),
        _ => f64::NAN,
    }
}

/// NMODL's and the internal random functions by name: the function, whether
/// the first argument is a stream, and the allowed numbers of arguments
/// (the stream included).
fn signature(name: &str) -> Option<(RandomFn, bool, &'static [usize])> {
    use RandomFn as F;
    Some(match name {
        "scop_random" => (F::Scop, false, &[0, 1]),
        "exprand" => (F::ExpRand, false, &[1]),
        "normrand" => (F::NormRand, false, &[2]),
        "poisrand" => (F::PoisRand, false, &[1]),
        "set_seed" => (F::SetSeed, false, &[1]),
        "random_uniform" | "$ran_uniform" => (F::Uniform, true, &[1, 3]),
        "random_negexp" | "$ran_negexp" => (F::NegExp, true, &[1, 2]),
        "random_normal" | "$ran_normal" => (F::Normal, true, &[1, 3]),
        "random_ipick" | "$ran_ipick" => (F::IPick, true, &[1]),
        "random_dpick" | "$ran_dblpick" => (F::DblPick, true, &[1]),
        "random_setseq" | "$ran_setseq" => (F::SetSeq, true, &[2, 3]),
        "random_setids" | "$ran_setids" => (F::SetIds, true, &[4]),
        "$ran_getseq" => (F::GetSeq, true, &[1]),
        "$ran_new" => (F::NewStream, false, &[1, 2, 3]),
        "$ran_pick" => (F::Pick, true, &[1]),
        "$ran_reset" => (F::Reset, true, &[1]),
        "$ran_is123" => (F::IsRan123, true, &[1]),
        "$ran_id1" => (F::Id1, true, &[1]),
        "$ran_id2" => (F::Id2, true, &[1]),
        "$ran_id3" => (F::Id3, true, &[1]),
        "$ran_seqonly" => (F::SeqOnly, true, &[1]),
        "$ran_which" => (F::Which, true, &[1]),
        _ => return None,
    })
}

/// Lowers a call of a random function; `None` when `name` is not one.
pub fn lower_call(
    lower: &mut Lower<'_>,
    name: &str,
    args: &[Expr],
    mask: Option<u32>,
    span: Span,
    ops: &mut Vec<Op>,
) -> Option<Lowered<Src>> {
    let (f, takes_stream, arities) = signature(name)?;
    if !arities.contains(&args.len()) {
        return Some(Err(Diagnostic::error(
            span,
            format!("wrong number of arguments for `{name}`"),
        )));
    }
    if takes_stream && name.starts_with("random_") && !is_random_var(lower, &args[0]) {
        return Some(Err(Diagnostic::error(
            args[0].span(),
            format!("the first argument of `{name}` must be a RANDOM variable"),
        )));
    }
    Some(lower_random(lower, f, takes_stream, args, mask, ops))
}

fn lower_random(
    lower: &mut Lower<'_>,
    f: RandomFn,
    takes_stream: bool,
    args: &[Expr],
    mask: Option<u32>,
    ops: &mut Vec<Op>,
) -> Lowered<Src> {
    let mut vals = Vec::with_capacity(args.len());
    for a in args {
        let v = lower.expr(a, mask, ops)?;
        vals.push(lower.keep(v, ops));
    }
    let (stream, default_stream) = match (takes_stream, args.first()) {
        (true, Some(first)) => (Some(vals.remove(0)), is_random_var(lower, first)),
        _ => (None, false),
    };
    let args = match (f, vals.len()) {
        // scop_random(x): the argument is ignored, as in NEURON
        (RandomFn::Scop, _) => Vec::new(),
        _ => vals,
    };
    let dst = lower.register();
    ops.push(Op::Random(Box::new(RandomOp {
        f,
        dst,
        stream,
        default_stream,
        args,
        mask,
    })));
    Ok(Src::Col(dst))
}

fn is_random_var(lower: &Lower<'_>, e: &Expr) -> bool {
    matches!(e, Expr::Name(id) if matches!(
        lower.mech.symbols.get(&id.name).map(|s| &s.kind),
        Some(SymbolKind::Random)
    ))
}

/// The FUNCTION through which NEURON's BBSaveState saves and restores a
/// stream's position (`bbsavestate(&xdir, &xval)` in the Prob* synapses and
/// their relatives). Neurite has no BBSaveState, so a file is not refused for
/// the C of this function; calling it from HOC is an error naming the C.
pub const SAVE_STATE_HOOK: &str = "bbsavestate";

/// C functions of the random idiom that answer through pointer arguments
/// (`nrn_random_isran123(r, &id1, &id2, &id3)`): the internal call giving
/// the function's own value (none: 0) and, for each pointer argument after
/// the stream, the internal call whose value is stored there.
pub fn out_param_call(f: &str) -> Option<(Option<&'static str>, &'static [&'static str])> {
    const IDS: &[&str] = &["$ran_id1", "$ran_id2", "$ran_id3"];
    const SEQ: &[&str] = &["$ran_seqonly", "$ran_which"];
    Some(match f {
        "nrn_random_isran123" => (Some("$ran_is123"), IDS),
        "nrnran123_getids3" | "nrnran123_getids" => (None, IDS),
        "nrn_random123_getseq" | "nrnran123_getseq" => (None, SEQ),
        _ => return None,
    })
}

/// Whether C function `f` belongs to the random idiom ([`translate_c_call`]).
pub fn is_c_random(f: &str) -> bool {
    f.starts_with("nrnran123_")
        || matches!(
            f,
            "nrn_random_pick"
                | "nrn_random_reset"
                | "nrn_random_arg"
                | "hoc_is_double_arg"
                | "hoc_is_object_arg"
                | "scop_random"
                | "exprand"
                | "normrand"
                | "poisrand"
                | "set_seed"
        )
}

/// The NMODL form of a C call of the random idiom, given its translated
/// arguments (thread arguments removed); `None` when `f` is not one.
///
/// | C | NMODL |
/// |---|---|
/// | `nrnran123_newstream3(a, b, c)`, `nrnran123_newstream(a, b, c)` | `$ran_new(a, b, c)` |
/// | `nrnran123_dblpick(s)`, `nrnran123_uniform(s[, a, b])` | `$ran_dblpick(s)`, `$ran_uniform(...)` |
/// | `nrnran123_negexp(s[, m])`, `nrnran123_normal(s[, mu, sd])`, `nrnran123_ipick(s)` | `$ran_negexp`, `$ran_normal`, `$ran_ipick` |
/// | `nrnran123_setseq(s, seq, which)`, `nrnran123_setids(s, a, b, c)` | `$ran_setseq`, `$ran_setids` |
/// | `nrnran123_deletestream(s)` | nothing (0) |
/// | `nrn_random_pick(r)`, `nrn_random_reset(r)` | `$ran_pick(r)`, `$ran_reset(r)` |
/// | `hoc_is_double_arg(k)` | `$arg(k) >= 0` (a Random argument is a negative handle) |
/// | `hoc_is_object_arg(k)` | `$arg(k) < 0` |
/// | `nrn_random_arg(k)` | `$arg(k)` |
/// | `scop_random()`, `exprand(m)`, `normrand(m, s)`, `set_seed(x)` | themselves |
pub fn translate_c_call(f: &str, args: Vec<Expr>, span: Span) -> Option<Expr> {
    let call = |name: &str, args: Vec<Expr>| Expr::Call {
        name: Ident {
            name: name.to_string(),
            span,
        },
        args,
        span,
    };
    let num = |x: f64| Expr::Number {
        value: Number {
            value: x,
            text: x.to_string(),
            span,
        },
        units: None,
    };
    let internal = match f {
        "nrnran123_newstream3" | "nrnran123_newstream" => "$ran_new",
        "nrnran123_dblpick" => "$ran_dblpick",
        "nrnran123_uniform" => "$ran_uniform",
        "nrnran123_negexp" => "$ran_negexp",
        "nrnran123_normal" => "$ran_normal",
        "nrnran123_ipick" => "$ran_ipick",
        "nrnran123_setseq" => "$ran_setseq",
        "nrnran123_setids" => "$ran_setids",
        "nrn_random_pick" => "$ran_pick",
        "nrn_random_reset" => "$ran_reset",
        "nrnran123_deletestream" => return Some(num(0.0)),
        "nrn_random_arg" => return Some(call("$arg", args)),
        "hoc_is_double_arg" | "hoc_is_object_arg" => {
            let op = if f == "hoc_is_double_arg" {
                BinOp::Ge
            } else {
                BinOp::Lt
            };
            return Some(Expr::Binary {
                op,
                lhs: Box::new(call("$arg", args)),
                rhs: Box::new(num(0.0)),
                span,
            });
        }
        "scop_random" | "exprand" | "normrand" | "poisrand" | "set_seed" => f,
        _ => return None,
    };
    Some(call(internal, args))
}

#[cfg(test)]
mod tests {
    use super::*;
    use neurite_hines::random::Random;

    fn op(f: RandomFn, stream: Option<Src>, args: Vec<Src>) -> RandomOp {
        RandomOp {
            f,
            dst: 1,
            stream,
            default_stream: false,
            args,
            mask: None,
        }
    }

    #[test]
    fn streams_by_handle_follow_nrnran123() {
        let mut frame = Frame::new(2, 2);
        run(
            &op(
                RandomFn::NewStream,
                None,
                vec![Src::K(1.0), Src::K(2.0), Src::K(3.0)],
            ),
            &mut frame,
        );
        let handles = frame.cols[1].clone();
        assert!(handles[0] >= 1.0 && handles[1] == handles[0] + 1.0);
        frame.cols[0] = handles;
        run(
            &op(RandomFn::DblPick, Some(Src::Col(0)), vec![]),
            &mut frame,
        );
        let mut s = Ran123::new(1, 2, 3);
        let x = s.dblpick();
        assert_eq!(frame.cols[1], vec![x, x]);
        run(&op(RandomFn::GetSeq, Some(Src::Col(0)), vec![]), &mut frame);
        assert_eq!(frame.cols[1], vec![1.0, 1.0]);
    }

    #[test]
    fn a_hoc_random_is_drawn_through_its_handle() {
        let shared = Rc::new(RefCell::new(Random::new(7, 55)));
        let h = register_shared(&shared);
        assert!(h < 0.0);
        assert_eq!(register_shared(&shared), h);
        let mut expected = Random::new(7, 55);
        let mut frame = Frame::new(1, 2);
        frame.cols[0] = vec![h];
        run(&op(RandomFn::Pick, Some(Src::Col(0)), vec![]), &mut frame);
        assert_eq!(frame.cols[1][0], expected.pick());
        frame.cols[0] = vec![0.0];
        run(&op(RandomFn::Pick, Some(Src::Col(0)), vec![]), &mut frame);
        assert_eq!(frame.cols[1][0], 0.5);
    }

    #[test]
    fn random_functions_need_a_random_variable() {
        let text = "NEURON { SUFFIX r RANDOM rv }\nASSIGNED { x }\n\
                    INITIAL { x = random_negexp(x) }\n";
        let parsed = crate::parser::parse(text);
        let analysis = crate::sema::analyze(&parsed.program);
        let err = super::super::compile(&parsed.program, &analysis.mechanism)
            .err()
            .unwrap_or_default();
        assert!(
            err.iter()
                .any(|d| d.message.contains("must be a RANDOM variable")),
            "{err:?}"
        );
        let ok = text.replace("random_negexp(x)", "random_negexp(rv)");
        let parsed = crate::parser::parse(&ok);
        let analysis = crate::sema::analyze(&parsed.program);
        assert!(super::super::compile(&parsed.program, &analysis.mechanism).is_ok());
    }

    #[test]
    fn nmodl_random_methods_act_on_the_handles_stream() {
        let mut frame = Frame::new(1, 2);
        run(
            &op(
                RandomFn::NewStream,
                None,
                vec![Src::K(1.0), Src::K(0.0), Src::K(9.0)],
            ),
            &mut frame,
        );
        let h = frame.cols[1][0];
        assert_eq!(nmodl_random(h, "get_ids", &[]), Ok(vec![1.0, 0.0, 9.0]));
        assert_eq!(nmodl_random(h, "set_ids", &[4.0, 5.0, 6.0]), Ok(vec![]));
        assert_eq!(nmodl_random(h, "set_seq", &[9.0]), Ok(vec![]));
        assert_eq!(nmodl_random(h, "get_seq", &[]), Ok(vec![9.0]));
        let mut s = Ran123::new(4, 5, 6);
        s.set_seq4(9.0);
        assert_eq!(nmodl_random(h, "uniform", &[]), Ok(vec![s.dblpick()]));
        assert_eq!(nmodl_random(h, "get_seq", &[]), Ok(vec![10.0]));
        assert!(nmodl_random(h, "normal", &[]).is_err());
        assert!(nmodl_random(0.0, "get_seq", &[]).is_err());
        // what C's out-parameter functions store, read one by one
        frame.cols[0] = vec![h];
        for (f, want) in [
            (RandomFn::Id2, 5.0),
            (RandomFn::SeqOnly, 2.0),
            (RandomFn::Which, 2.0),
        ] {
            run(&op(f, Some(Src::Col(0)), vec![]), &mut frame);
            assert_eq!(frame.cols[1][0], want, "{f:?}");
        }
        assert!(out_param_call("nrn_random_isran123").is_some());
        assert!(out_param_call("nrnran123_dblpick").is_none());
    }

    #[test]
    fn masked_lanes_do_not_draw() {
        let mut frame = Frame::new(2, 3);
        frame.cols[2] = vec![0.0, 1.0];
        let mut masked = op(RandomFn::Scop, None, vec![]);
        masked.mask = Some(2);
        Scop::set_seed(1.0);
        run(&masked, &mut frame);
        Scop::set_seed(1.0);
        assert_eq!(frame.cols[1], vec![0.0, Scop::random()]);
    }
}
