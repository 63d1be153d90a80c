//! The register IR of executable mechanisms and its interpreter.
//!
//! Every value is a *column*: one `f64` per instance of the mechanism. Variables
//! (PARAMETER, ASSIGNED, STATE, ion and NEURON variables) and registers (LOCALs,
//! arguments of inlined calls, temporaries) all live in one [`Frame`] of columns,
//! and every [`Op`] runs over a whole column, so the cost of dispatching an op is
//! paid once per op and instance set, not once per instance. Control flow that
//! differs between instances (IF, WHILE) is expressed with *masks*: a column of
//! 0/1 saying which instances take a branch; assignments under a mask are selects.

use super::solve::{self, Systems};
use super::table::Tables;
use std::cell::RefCell;
use std::rc::Rc;

/// A hoc `Vector` shared with the caller (NEURON's mechanisms keep a pointer
/// to the Vector, so later changes to it are seen). Compiled code holds a
/// *handle*: 0 for no vector, k for the k-th vector of [`Env::vectors`].
pub type VectorRef = Rc<RefCell<Vec<f64>>>;

/// An operand: a column of the frame, or a constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Src {
    Col(u32),
    K(f64),
}

/// Functions of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fn1 {
    Neg,
    Not,
    Exp,
    Log,
    Log10,
    Sqrt,
    Fabs,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Floor,
    Ceil,
    /// NEURON's `exprelr(x) = x/(exp(x) - 1)`, 1 near 0.
    Exprelr,
    /// `x != 0` as 1 or 0.
    Truth,
    /// C's conversion to `int`: toward zero.
    Trunc,
}

/// Functions of two arguments (arithmetic, comparisons, logic, `pow`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fn2 {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    Atan2,
    Fmod,
    Fmin,
    Fmax,
}

/// One instruction; each runs over every instance of the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Un {
        f: Fn1,
        dst: u32,
        a: Src,
    },
    Bin {
        f: Fn2,
        dst: u32,
        a: Src,
        b: Src,
    },
    /// `dst = src`.
    Copy {
        dst: u32,
        src: Src,
    },
    /// `dst = mask != 0 ? src : dst`.
    Select {
        dst: u32,
        mask: u32,
        src: Src,
    },
    /// WHILE: `mask &= cond` after running `cond_ops`; stop when no instance is
    /// left, otherwise run `body` (compiled under `mask`) and repeat.
    While {
        mask: u32,
        cond_ops: Vec<Op>,
        cond: Src,
        body: Vec<Op>,
    },
    /// A branch on a mechanism-wide value (e.g. `usetable`), taken from the
    /// first instance.
    Uniform {
        flag: Src,
        then: Vec<Op>,
        otherwise: Vec<Op>,
    },
    /// Interpolate table `table` at `arg` into `outs` (where `mask`, if any).
    TableLookup {
        table: usize,
        arg: Src,
        outs: Vec<u32>,
        mask: Option<u32>,
    },
    /// `dst = f(args)` for FUNCTION_TABLE `table` (where `mask`).
    FunctionTable {
        table: usize,
        args: Vec<Src>,
        dst: u32,
        mask: Option<u32>,
    },
    /// Advance KINETIC system `system` by one step (NEURON's `sparse`).
    Kinetic {
        system: usize,
    },
    /// `dst = array[index]` for the array of `len` columns from `base`
    /// (NaN outside it); the index is truncated as C does.
    Gather {
        dst: u32,
        base: u32,
        len: u32,
        index: Src,
    },
    /// `array[index] = src` (where `mask`); ignored outside the array.
    Scatter {
        base: u32,
        len: u32,
        index: Src,
        src: Src,
        mask: Option<u32>,
    },
    /// `dst = length of vector handle` (0 for no vector); see [`VectorRef`].
    VecLen {
        dst: u32,
        handle: Src,
    },
    /// `dst = vector[index]` (index truncated; NaN outside the vector or
    /// without one).
    VecGet {
        dst: u32,
        handle: Src,
        index: Src,
    },
    /// `FOR_NETCONS (params) { body }`: runs `body` once for each NetCon of
    /// the instance ([`Env::netcons`]), its weights in `params` and written
    /// back after. `args` are the NET_RECEIVE arguments, which alias the
    /// weights of the NetCon being delivered: they are written into it
    /// before the loop and read back after.
    ForNetCons {
        params: Vec<u32>,
        args: Vec<u32>,
        body: Vec<Op>,
    },
    /// `vector[index] = src` where `mask` (C's `px[i] = x` after
    /// `px = vector_vec(vv)`); an index outside the vector writes nothing.
    VecSet {
        handle: Src,
        index: Src,
        src: Src,
        mask: Option<u32>,
    },
    /// `vector_resize(vv, len)` where `mask`: new elements are 0.
    VecResize {
        handle: Src,
        len: Src,
        mask: Option<u32>,
    },
    /// C's `hoc_execerror(...)` reached by an instance (where `mask`): the
    /// run stops with [`Fault::CError`], as NEURON stops with its message.
    Fail {
        mask: Option<u32>,
    },
    /// A random-number function ([`super::random`]).
    Random(Box<super::random::RandomOp>),
    /// Advance DERIVATIVE system `system` by `derivimplicit`.
    Implicit {
        system: usize,
    },
    /// Solve LINEAR system `system` (NEURON's `simeq`).
    Linear {
        system: usize,
    },
    /// An event request (`net_send`, `net_event`, `net_move`) from every
    /// instance (where `mask`, if any).
    Emit {
        kind: EmitKind,
        time: Src,
        flag: Src,
        mask: Option<u32>,
    },
}

/// What an [`Op::Emit`] asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmitKind {
    /// `net_send`: a self-event at `time` with `flag`.
    Send,
    /// `net_event`: an output spike at `time`.
    Spike,
    /// `net_move`: move the pending self-event to `time`.
    Move,
    /// `WATCH`: activate watch statement k of the mechanism with `flag`.
    Watch(usize),
    /// `nrn_fake_fire(gid, time, out)`: the input port of gid `flag` (which
    /// `ParallelContext.gid_connect` made) spikes at `time`.
    FakeFire,
}

/// An event request made by instance `lane` while compiled code ran.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Emitted {
    pub lane: usize,
    pub kind: EmitKind,
    pub time: f64,
    pub flag: f64,
}

/// Most iterations a WHILE loop may take before the run stops with an error.
pub const MAX_LOOP_ITERATIONS: usize = 10_000_000;

/// What can go wrong while running compiled code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Fault {
    #[error("FUNCTION_TABLE number {table} was called before HOC gave its values (NEURON: table not specified in hoc_func_table)")]
    FunctionTableUnset { table: usize },
    #[error("a WHILE loop ran more than {MAX_LOOP_ITERATIONS} times")]
    LoopLimit,
    #[error("the {what} system is singular at instance {instance}")]
    Singular { what: &'static str, instance: usize },
    #[error("Newton iteration of the KINETIC system did not converge at instance {instance}")]
    NoConvergence { instance: usize },
    #[error("the mechanism's C raised an error (hoc_execerror) at instance {instance}")]
    CError { instance: usize },
}

/// The columns of one mechanism's instances (or of a table's grid).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    /// Number of instances (column length).
    pub n: usize,
    pub cols: Vec<Vec<f64>>,
}

impl Frame {
    /// `count` columns of `n` zeros.
    pub fn new(n: usize, count: usize) -> Self {
        Frame {
            n,
            cols: vec![vec![0.0; n]; count],
        }
    }

    /// The column `c` (empty if it does not exist).
    pub fn col(&self, c: u32) -> &[f64] {
        self.cols.get(c as usize).map_or(&[], Vec::as_slice)
    }

    /// The column `c` to write (empty if it does not exist).
    pub fn col_mut(&mut self, c: u32) -> &mut [f64] {
        self.cols
            .get_mut(c as usize)
            .map_or(&mut [], Vec::as_mut_slice)
    }

    /// The value of `s` at instance `k`.
    pub fn get(&self, s: Src, k: usize) -> f64 {
        match s {
            Src::K(x) => x,
            Src::Col(c) => self.col(c).get(k).copied().unwrap_or(0.0),
        }
    }

    /// Instance `k` alone, as a one-instance frame (0 where a column is
    /// shorter).
    pub fn lane(&self, k: usize) -> Frame {
        Frame {
            n: 1,
            cols: self
                .cols
                .iter()
                .map(|c| vec![c.get(k).copied().unwrap_or(0.0)])
                .collect(),
        }
    }

    /// Writes the one-instance frame `one` back as instance `k`.
    pub fn set_lane(&mut self, k: usize, one: &Frame) {
        for (col, x) in self.cols.iter_mut().zip(&one.cols) {
            if let (Some(slot), Some(&x)) = (col.get_mut(k), x.first()) {
                *slot = x;
            }
        }
    }

    /// Fills column `c` with `x`.
    pub fn fill(&mut self, c: u32, x: f64) {
        self.col_mut(c).fill(x);
    }

    /// Takes column `dst` out to write it, cloning any input that aliases it.
    fn take(&mut self, dst: u32) -> Vec<f64> {
        let mut out = std::mem::take(&mut self.cols[dst as usize]);
        out.resize(self.n, 0.0);
        out
    }

    fn input(&self, s: Src, dst: u32, out: &[f64]) -> Input {
        match s {
            Src::K(x) => Input::K(x),
            Src::Col(c) if c == dst => Input::Owned(out.to_vec()),
            Src::Col(c) => Input::Col(c),
        }
    }
}

enum Input {
    K(f64),
    Col(u32),
    Owned(Vec<f64>),
}

/// Everything compiled code reads besides the frame.
#[derive(Debug)]
pub struct Env<'a> {
    pub tables: &'a Tables,
    pub systems: &'a Systems,
    /// Time step (ms), for KINETIC systems.
    pub dt: f64,
    /// Event requests made by the code, in order.
    pub emitted: std::cell::RefCell<Vec<Emitted>>,
    /// The vectors the instances hold (handle k is `vectors[k - 1]`).
    pub vectors: &'a [VectorRef],
    /// In NET_RECEIVE with FOR_NETCONS: the weights of every NetCon of the
    /// instance and which one carries the event.
    pub netcons: std::cell::RefCell<(Vec<Vec<f64>>, Option<usize>)>,
}

impl Env<'_> {
    /// The vector of handle `h`, if any.
    fn vector(&self, h: f64) -> Option<&VectorRef> {
        let k = h.trunc();
        (k >= 1.0)
            .then(|| self.vectors.get(k as usize - 1))
            .flatten()
    }
}

/// Runs `ops` over every instance of `frame`.
pub fn run(ops: &[Op], frame: &mut Frame, env: &Env<'_>) -> Result<(), Fault> {
    for op in ops {
        step(op, frame, env)?;
    }
    Ok(())
}

fn step(op: &Op, frame: &mut Frame, env: &Env<'_>) -> Result<(), Fault> {
    match op {
        Op::Un { f, dst, a } => unary(frame, *f, *dst, *a),
        Op::Bin { f, dst, a, b } => binary(frame, *f, *dst, *a, *b),
        Op::Copy { dst, src } => copy(frame, *dst, *src),
        Op::Select { dst, mask, src } => select(frame, *dst, *mask, *src),
        Op::While {
            mask,
            cond_ops,
            cond,
            body,
        } => return run_while(frame, env, *mask, cond_ops, *cond, body),
        Op::Uniform {
            flag,
            then,
            otherwise,
        } => {
            let taken = frame.n > 0 && frame.get(*flag, 0) != 0.0;
            return run(if taken { then } else { otherwise }, frame, env);
        }
        Op::TableLookup {
            table,
            arg,
            outs,
            mask,
        } => env.tables.lookup(*table, frame, *arg, outs, *mask),
        Op::FunctionTable {
            table,
            args,
            dst,
            mask,
        } => {
            return env
                .tables
                .functions
                .lookup(*table, frame, args, *dst, *mask)
        }
        Op::Kinetic { system } => return solve::kinetic(env, *system, frame),
        Op::Linear { system } => return solve::linear(env, *system, frame),
        Op::Implicit { system } => return super::implicit::advance(env, *system, frame),
        Op::Random(r) => super::random::run(r, frame),
        Op::Emit {
            kind,
            time,
            flag,
            mask,
        } => emit(frame, env, *kind, [*time, *flag], *mask),
        Op::Gather {
            dst,
            base,
            len,
            index,
        } => gather(frame, *dst, (*base, *len), *index),
        Op::ForNetCons { params, args, body } => {
            return for_netcons(frame, env, params, args, body);
        }
        Op::VecLen { dst, handle } => {
            let lens: Vec<f64> = (0..frame.n)
                .map(|k| {
                    env.vector(frame.get(*handle, k))
                        .map_or(0.0, |v| v.borrow().len() as f64)
                })
                .collect();
            fill_from(frame, *dst, lens);
        }
        Op::VecGet { dst, handle, index } => {
            let values: Vec<f64> = (0..frame.n)
                .map(|k| {
                    let i = frame.get(*index, k).trunc();
                    match env.vector(frame.get(*handle, k)) {
                        Some(v) if i >= 0.0 => {
                            v.borrow().get(i as usize).copied().unwrap_or(f64::NAN)
                        }
                        _ => f64::NAN,
                    }
                })
                .collect();
            fill_from(frame, *dst, values);
        }
        Op::Scatter {
            base,
            len,
            index,
            src,
            mask,
        } => scatter(frame, (*base, *len), *index, *src, *mask),
        Op::VecSet {
            handle,
            index,
            src,
            mask,
        } => {
            for k in lanes(frame, *mask) {
                let i = frame.get(*index, k).trunc();
                if let Some(v) = env.vector(frame.get(*handle, k)) {
                    if let Some(x) = v.borrow_mut().get_mut(i as usize).filter(|_| i >= 0.0) {
                        *x = frame.get(*src, k);
                    }
                }
            }
        }
        Op::VecResize { handle, len, mask } => {
            for k in lanes(frame, *mask) {
                let n = frame.get(*len, k).trunc().max(0.0) as usize;
                if let Some(v) = env.vector(frame.get(*handle, k)) {
                    v.borrow_mut().resize(n, 0.0);
                }
            }
        }
        Op::Fail { mask } => {
            if let Some(instance) = lanes(frame, *mask).next() {
                return Err(Fault::CError { instance });
            }
        }
    }
    Ok(())
}

/// The instances where `mask` is set (all without a mask), in order.
fn lanes(frame: &Frame, mask: Option<u32>) -> impl Iterator<Item = usize> + '_ {
    (0..frame.n).filter(move |&k| mask.is_none_or(|m| frame.get(Src::Col(m), k) != 0.0))
}

fn emit(frame: &Frame, env: &Env<'_>, kind: EmitKind, [time, flag]: [Src; 2], mask: Option<u32>) {
    let mut out = env.emitted.borrow_mut();
    for lane in 0..frame.n {
        if mask.is_some_and(|m| frame.get(Src::Col(m), lane) == 0.0) {
            continue;
        }
        out.push(Emitted {
            lane,
            kind,
            time: frame.get(time, lane),
            flag: frame.get(flag, lane),
        });
    }
}

/// The column of element `index` (truncated toward zero) of an array.
fn element((base, len): (u32, u32), index: f64) -> Option<u32> {
    let i = index.trunc();
    (i >= 0.0 && i < f64::from(len)).then(|| base + i as u32)
}

fn for_netcons(
    frame: &mut Frame,
    env: &Env<'_>,
    params: &[u32],
    args: &[u32],
    body: &[Op],
) -> Result<(), Fault> {
    let store = |frame: &Frame, regs: &[u32], w: &mut Vec<f64>| {
        for (slot, &r) in w.iter_mut().zip(regs) {
            *slot = frame.get(Src::Col(r), 0);
        }
    };
    let load = |frame: &mut Frame, regs: &[u32], w: &[f64]| {
        for (&r, &x) in regs.iter().zip(w) {
            frame.fill(r, x);
        }
    };
    let (count, current) = {
        let nc = env.netcons.borrow();
        (nc.0.len(), nc.1)
    };
    if let Some(c) = current {
        if let Some(w) = env.netcons.borrow_mut().0.get_mut(c) {
            store(frame, args, w);
        }
    }
    for j in 0..count {
        let w = env.netcons.borrow().0[j].clone();
        load(frame, params, &w);
        run(body, frame, env)?;
        if let Some(w) = env.netcons.borrow_mut().0.get_mut(j) {
            store(frame, params, w);
        }
    }
    if let Some(c) = current {
        let w = env.netcons.borrow().0.get(c).cloned().unwrap_or_default();
        load(frame, args, &w);
    }
    Ok(())
}

fn fill_from(frame: &mut Frame, dst: u32, values: Vec<f64>) {
    for (o, v) in frame.col_mut(dst).iter_mut().zip(values) {
        *o = v;
    }
}

fn gather(frame: &mut Frame, dst: u32, array: (u32, u32), index: Src) {
    let values: Vec<f64> = (0..frame.n)
        .map(|k| match element(array, frame.get(index, k)) {
            Some(c) => frame.get(Src::Col(c), k),
            None => f64::NAN,
        })
        .collect();
    for (o, v) in frame.col_mut(dst).iter_mut().zip(values) {
        *o = v;
    }
}

fn scatter(frame: &mut Frame, array: (u32, u32), index: Src, src: Src, mask: Option<u32>) {
    for k in 0..frame.n {
        if mask.is_some_and(|m| frame.get(Src::Col(m), k) == 0.0) {
            continue;
        }
        let value = frame.get(src, k);
        if let Some(c) = element(array, frame.get(index, k)) {
            if let Some(slot) = frame.col_mut(c).get_mut(k) {
                *slot = value;
            }
        }
    }
}

fn run_while(
    frame: &mut Frame,
    env: &Env<'_>,
    mask: u32,
    cond_ops: &[Op],
    cond: Src,
    body: &[Op],
) -> Result<(), Fault> {
    for _ in 0..MAX_LOOP_ITERATIONS {
        run(cond_ops, frame, env)?;
        binary(frame, Fn2::And, mask, Src::Col(mask), cond);
        if frame.col(mask).iter().all(|&m| m == 0.0) {
            return Ok(());
        }
        run(body, frame, env)?;
    }
    Err(Fault::LoopLimit)
}

/// The value of `s` when the frame has one instance (the common case of a point
/// process), for the scalar fast path of [`apply1`], [`apply2`] and [`select`].
#[inline]
fn scalar(frame: &Frame, s: Src) -> Option<f64> {
    match s {
        Src::K(x) => Some(x),
        Src::Col(c) => frame.cols.get(c as usize)?.first().copied(),
    }
}

/// The one value of column `dst` of a one-instance frame, to write.
#[inline]
fn scalar_mut(frame: &mut Frame, dst: u32) -> Option<&mut f64> {
    frame.cols.get_mut(dst as usize)?.first_mut()
}

fn apply1(frame: &mut Frame, dst: u32, a: Src, f: impl Fn(f64) -> f64) {
    if frame.n == 1 {
        if let Some(x) = scalar(frame, a) {
            if let Some(o) = scalar_mut(frame, dst) {
                *o = f(x);
                return;
            }
        }
    }
    if dst as usize >= frame.cols.len() {
        return;
    }
    let mut out = frame.take(dst);
    match frame.input(a, dst, &out) {
        Input::K(x) => out.fill(f(x)),
        Input::Col(c) => {
            for (o, &x) in out.iter_mut().zip(frame.col(c)) {
                *o = f(x);
            }
        }
        Input::Owned(v) => {
            for (o, &x) in out.iter_mut().zip(&v) {
                *o = f(x);
            }
        }
    }
    frame.cols[dst as usize] = out;
}

fn apply2(frame: &mut Frame, dst: u32, a: Src, b: Src, f: impl Fn(f64, f64) -> f64) {
    if frame.n == 1 {
        if let (Some(x), Some(y)) = (scalar(frame, a), scalar(frame, b)) {
            if let Some(o) = scalar_mut(frame, dst) {
                *o = f(x, y);
                return;
            }
        }
    }
    if dst as usize >= frame.cols.len() {
        return;
    }
    let mut out = frame.take(dst);
    let (ia, ib) = (frame.input(a, dst, &out), frame.input(b, dst, &out));
    let sa: &[f64] = match &ia {
        Input::Col(c) => frame.col(*c),
        Input::Owned(v) => v,
        Input::K(_) => &[],
    };
    let sb: &[f64] = match &ib {
        Input::Col(c) => frame.col(*c),
        Input::Owned(v) => v,
        Input::K(_) => &[],
    };
    match (&ia, &ib) {
        (Input::K(x), Input::K(y)) => out.fill(f(*x, *y)),
        (Input::K(x), _) => {
            for (o, &y) in out.iter_mut().zip(sb) {
                *o = f(*x, y);
            }
        }
        (_, Input::K(y)) => {
            for (o, &x) in out.iter_mut().zip(sa) {
                *o = f(x, *y);
            }
        }
        _ => {
            for ((o, &x), &y) in out.iter_mut().zip(sa).zip(sb) {
                *o = f(x, y);
            }
        }
    }
    frame.cols[dst as usize] = out;
}

fn truth(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// NEURON's `exprelr`.
pub fn exprelr(x: f64) -> f64 {
    if 1.0 + x == 1.0 {
        1.0
    } else {
        x / (x.exp() - 1.0)
    }
}

fn unary(frame: &mut Frame, f: Fn1, dst: u32, a: Src) {
    match f {
        Fn1::Neg => apply1(frame, dst, a, |x| -x),
        Fn1::Not => apply1(frame, dst, a, |x| truth(x == 0.0)),
        Fn1::Truth => apply1(frame, dst, a, |x| truth(x != 0.0)),
        Fn1::Exp => apply1(frame, dst, a, f64::exp),
        Fn1::Log => apply1(frame, dst, a, f64::ln),
        Fn1::Log10 => apply1(frame, dst, a, f64::log10),
        Fn1::Sqrt => apply1(frame, dst, a, f64::sqrt),
        Fn1::Fabs => apply1(frame, dst, a, f64::abs),
        Fn1::Sin => apply1(frame, dst, a, f64::sin),
        Fn1::Cos => apply1(frame, dst, a, f64::cos),
        Fn1::Tan => apply1(frame, dst, a, f64::tan),
        Fn1::Asin => apply1(frame, dst, a, f64::asin),
        Fn1::Acos => apply1(frame, dst, a, f64::acos),
        Fn1::Atan => apply1(frame, dst, a, f64::atan),
        Fn1::Sinh => apply1(frame, dst, a, f64::sinh),
        Fn1::Cosh => apply1(frame, dst, a, f64::cosh),
        Fn1::Tanh => apply1(frame, dst, a, f64::tanh),
        Fn1::Floor => apply1(frame, dst, a, f64::floor),
        Fn1::Ceil => apply1(frame, dst, a, f64::ceil),
        Fn1::Exprelr => apply1(frame, dst, a, exprelr),
        Fn1::Trunc => apply1(frame, dst, a, f64::trunc),
    }
}

fn binary(frame: &mut Frame, f: Fn2, dst: u32, a: Src, b: Src) {
    match f {
        Fn2::Add => apply2(frame, dst, a, b, |x, y| x + y),
        Fn2::Sub => apply2(frame, dst, a, b, |x, y| x - y),
        Fn2::Mul => apply2(frame, dst, a, b, |x, y| x * y),
        Fn2::Div => apply2(frame, dst, a, b, |x, y| x / y),
        Fn2::Pow => apply2(frame, dst, a, b, f64::powf),
        Fn2::Lt => apply2(frame, dst, a, b, |x, y| truth(x < y)),
        Fn2::Le => apply2(frame, dst, a, b, |x, y| truth(x <= y)),
        Fn2::Gt => apply2(frame, dst, a, b, |x, y| truth(x > y)),
        Fn2::Ge => apply2(frame, dst, a, b, |x, y| truth(x >= y)),
        Fn2::Eq => apply2(frame, dst, a, b, |x, y| truth(x == y)),
        Fn2::Ne => apply2(frame, dst, a, b, |x, y| truth(x != y)),
        Fn2::And => apply2(frame, dst, a, b, |x, y| truth(x != 0.0 && y != 0.0)),
        Fn2::Or => apply2(frame, dst, a, b, |x, y| truth(x != 0.0 || y != 0.0)),
        Fn2::Atan2 => apply2(frame, dst, a, b, f64::atan2),
        Fn2::Fmod => apply2(frame, dst, a, b, |x, y| x % y),
        Fn2::Fmin => apply2(frame, dst, a, b, f64::min),
        Fn2::Fmax => apply2(frame, dst, a, b, f64::max),
    }
}

fn copy(frame: &mut Frame, dst: u32, src: Src) {
    apply1(frame, dst, src, |x| x);
}

fn select(frame: &mut Frame, dst: u32, mask: u32, src: Src) {
    if dst as usize >= frame.cols.len() || mask == dst {
        return;
    }
    if frame.n == 1 {
        if let (Some(m), Some(x)) = (scalar(frame, Src::Col(mask)), scalar(frame, src)) {
            if let Some(o) = scalar_mut(frame, dst) {
                if m != 0.0 {
                    *o = x;
                }
                return;
            }
        }
    }
    let mut out = frame.take(dst);
    let m = frame.col(mask);
    match frame.input(src, dst, &out) {
        Input::K(x) => {
            for (o, &mk) in out.iter_mut().zip(m) {
                if mk != 0.0 {
                    *o = x;
                }
            }
        }
        Input::Col(c) => {
            for ((o, &mk), &x) in out.iter_mut().zip(m).zip(frame.col(c)) {
                if mk != 0.0 {
                    *o = x;
                }
            }
        }
        Input::Owned(_) => {}
    }
    frame.cols[dst as usize] = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_run_over_columns_and_masks_select() {
        let mut frame = Frame::new(3, 4);
        frame.cols[0] = vec![1.0, -2.0, 3.0];
        let tables = Tables::default();
        let systems = Systems::default();
        let env = Env {
            tables: &tables,
            systems: &systems,
            dt: 0.025,
            emitted: Default::default(),
            vectors: &[],
            netcons: Default::default(),
        };
        let ops = vec![
            Op::Bin {
                f: Fn2::Gt,
                dst: 1,
                a: Src::Col(0),
                b: Src::K(0.0),
            },
            Op::Bin {
                f: Fn2::Mul,
                dst: 2,
                a: Src::Col(0),
                b: Src::K(10.0),
            },
            Op::Select {
                dst: 3,
                mask: 1,
                src: Src::Col(2),
            },
            Op::Un {
                f: Fn1::Neg,
                dst: 0,
                a: Src::Col(0),
            },
        ];
        run(&ops, &mut frame, &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(frame.cols[3], vec![10.0, 0.0, 30.0]);
        assert_eq!(frame.cols[0], vec![-1.0, 2.0, -3.0]);
    }
}
