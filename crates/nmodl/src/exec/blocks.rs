//! Compiling a whole mechanism: INITIAL, the BREAKPOINT's current part and its
//! SOLVE part (DERIVATIVE by `cnexp`, `derivimplicit` or `euler`, KINETIC by `sparse`, LINEAR,
//! PROCEDUREs, `after_cvode`), and the TABLEs of FUNCTIONs and PROCEDUREs.

use super::call::{ArgRegisters, CallableInfo, Entry, MAX_CALL_ARGS};
use super::ir::{Fn2, Op, Src};
use super::layout::{Layout, Var, VarKind};
use super::lower::{Lower, Lowered};
use super::solve::ImplicitSystem;
use super::symbolic::{self, bin, contains, diff, neg, num};
use super::systems::{kinetic, linear};
use super::table::TableSpec;
use crate::ast::{BinOp, Block, Callable, Expr, Item, LValue, NamedBlock, Program, Stmt};
use crate::diagnostic::Diagnostic;
use crate::sema::{CurrentKind, Mechanism};
use crate::span::Span;
use std::collections::BTreeMap;

/// A mechanism in executable form, shared by all its instance sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub mechanism: Mechanism,
    pub layout: Layout,
    /// Columns of a frame: variables, then registers.
    pub ncols: usize,
    /// INITIAL (states zeroed first).
    pub init: Vec<Op>,
    /// The BREAKPOINT without its SOLVE statements.
    pub current: Vec<Op>,
    /// The SOLVE statements of the BREAKPOINT, in order.
    pub state: Vec<Op>,
    /// The BEFORE and AFTER blocks in file order, each with the point where
    /// NEURON's `nrn_ba` runs it (`BEFORE BREAKPOINT` before each evaluation
    /// of the currents, `AFTER SOLVE` after the states, `BEFORE STEP` before
    /// each recording, `BEFORE`/`AFTER INITIAL` around the INITIAL blocks).
    pub before_after: Vec<(neurite_hines::BeforeAfter, Vec<Op>)>,
    pub tables: Vec<TableSpec>,
    /// The FUNCTION_TABLEs, whose values HOC gives (shared by every
    /// instance set of the mechanism).
    pub function_tables: super::table::FunctionTables,
    pub systems: super::solve::Systems,
    /// nocmodl's `dtsav_for_nrn_state`: the file integrates by something
    /// other than `cnexp` (derivimplicit, euler, a KINETIC scheme) and its
    /// BREAKPOINT has a SOLVE, so under `secondorder > 0` the whole state
    /// update runs with dt halved.
    pub halves_state_dt: bool,
    /// Each current's column and kind, in NEURON's summation order.
    pub currents: Vec<(u32, CurrentKind)>,
    pub net_receive: Option<NetReceiveCode>,
    /// Every FUNCTION and PROCEDURE compiled to be called from outside
    /// ([`super::call`]), or why it cannot be.
    pub entries: BTreeMap<String, Result<Entry, String>>,
    /// Where entries read their arguments.
    pub arg_registers: ArgRegisters,
    /// The WATCH conditions of NET_RECEIVE, by number.
    pub watches: Vec<super::lower::WatchCode>,
    /// NET_RECEIVE uses FOR_NETCONS.
    pub uses_for_netcons: bool,
    /// The quantities diffused along the cable (LONGITUDINAL_DIFFUSION).
    pub diffusion: Vec<super::diffusion::DiffusionCode>,
}

impl Compiled {
    /// `table_<name>(args)` from HOC: gives FUNCTION_TABLE `name` its values
    /// ([`super::table::FunctionTable::from_hoc`]); `Err` says what is wrong.
    pub fn set_function_table(&self, name: &str, args: &[super::CallArg]) -> Result<(), String> {
        self.function_tables.set(name, args)
    }

    /// Whether `name` is a FUNCTION or PROCEDURE of the mechanism that can be
    /// called from outside; `Err` says why one cannot.
    pub fn callable(&self, name: &str) -> Option<Result<CallableInfo, String>> {
        self.entries.get(name).map(|e| {
            e.as_ref()
                .map(|e| CallableInfo {
                    is_function: e.is_function,
                    arity: e.arity,
                })
                .map_err(Clone::clone)
        })
    }
}

/// A compiled NET_RECEIVE block, run for one instance per event.
#[derive(Debug, Clone, PartialEq)]
pub struct NetReceiveCode {
    /// Registers of the arguments (the NetCon's weight vector).
    pub params: Vec<u32>,
    /// Register of `flag`.
    pub flag: u32,
    pub ops: Vec<Op>,
    /// The INITIAL block inside NET_RECEIVE, run once per NetCon at init.
    pub init: Option<Vec<Op>>,
}

/// Compiles `program` (INCLUDEs expanded) with its semantic model.
pub fn compile(program: &Program, mech: &Mechanism) -> Result<Compiled, Vec<Diagnostic>> {
    let mut layout = Layout::new(mech);
    if !mech.tables.is_empty() {
        layout.push(Var {
            name: "usetable".to_string(),
            kind: VarKind::UseTable,
            global: true,
            default: 1.0,
            ion: None,
        });
    }
    // the C functions of top-level VERBATIM blocks, as internal FUNCTIONs
    let own: std::collections::HashSet<&str> = program
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Function(c) | Item::Procedure(c) => Some(c.name.name.as_str()),
            _ => None,
        })
        .collect();
    let c_file = super::cverb::file_c(program, &|n| own.contains(n));
    if !c_file.errors.is_empty() {
        return Err(c_file
            .errors
            .iter()
            .map(|e| super::lower::c_code_error(mech, e.span, &e.what))
            .collect());
    }
    let mut lower = Lower::new(mech, layout);
    lower.program = Some(program);
    for item in &program.items {
        match item {
            Item::Function(c) => lower.callables.insert(c.name.name.clone(), (c, true)),
            Item::Procedure(c) => lower.callables.insert(c.name.name.clone(), (c, false)),
            _ => None,
        };
    }
    for (c, is_function) in &c_file.functions {
        lower
            .callables
            .insert(c.name.name.clone(), (c, *is_function));
    }
    lower.c_env = c_file.env.clone();
    let c_code = super::verbatims::unrunnable(&mut lower, program);
    if !c_code.is_empty() {
        return Err(c_code);
    }
    let mut compiled = assemble(&mut lower, program).map_err(|d| vec![d])?;
    compiled.function_tables = super::table::FunctionTables::declared(program);
    compiled.diffusion = super::diffusion::compile(&mut lower, program).map_err(|d| vec![d])?;
    entries(&mut lower, program, &mut compiled)?;
    compiled.halves_state_dt = halves_state_dt(program, &lower);
    Ok(compiled)
}

/// Whether nocmodl halves dt in `nrn_state` under `secondorder > 0`: it does
/// for a file with a SOLVE in its BREAKPOINT once any SOLVE of the file
/// integrates by a method other than `cnexp` (scopmath's derivimplicit,
/// euler, runge, sparse, also as STEADYSTATE, also a non-linear `cnexp` that
/// nocmodl turns into derivimplicit).
fn halves_state_dt(program: &Program, lower: &Lower<'_>) -> bool {
    fn euler(stmts: &[Stmt]) -> bool {
        stmts.iter().any(|s| match s {
            Stmt::Solve {
                method: Some(m), ..
            } => matches!(m.name.as_str(), "euler" | "runge"),
            Stmt::If {
                then, otherwise, ..
            } => euler(&then.stmts) || otherwise.as_ref().is_some_and(|b| euler(&b.stmts)),
            Stmt::While { body, .. } | Stmt::FromTo { body, .. } => euler(&body.stmts),
            _ => false,
        })
    }
    let mut blocks = program.items.iter().filter_map(|item| match item {
        Item::Initial(b) | Item::Breakpoint(b) => Some(b),
        Item::Procedure(c) | Item::Function(c) => c.body.as_ref(),
        _ => None,
    });
    let breakpoint_solves = program.items.iter().any(|item| {
        matches!(item, Item::Breakpoint(b) if b.stmts.iter().any(|s| matches!(s, Stmt::Solve { .. })))
    });
    let systems = &lower.systems;
    let integrates = !systems.kinetic.is_empty()
        || systems.implicit.iter().any(|s| !s.nonlinear)
        || blocks.any(|b| euler(&b.stmts));
    breakpoint_solves && integrates
}

/// Compiles every FUNCTION and PROCEDURE as an entry called from outside.
/// One that cannot be compiled is kept as the reason (the file still loads,
/// a call says why), unless the reason is C that Neurite does not run.
fn entries(
    lower: &mut Lower<'_>,
    program: &Program,
    compiled: &mut Compiled,
) -> Result<(), Vec<Diagnostic>> {
    let count = lower.register();
    let args: Vec<u32> = (0..MAX_CALL_ARGS).map(|_| lower.register()).collect();
    for item in &program.items {
        let (callee, is_function) = match item {
            Item::Function(c) | Item::FunctionTable(c) => (c, true),
            Item::Procedure(c) => (c, false),
            _ => continue,
        };
        let name = callee.name.name.clone();
        let entry = if callee.params.len() > MAX_CALL_ARGS {
            Err(format!("takes more than {MAX_CALL_ARGS} arguments"))
        } else {
            match entry(lower, callee, is_function, (count, &args)) {
                Ok(e) => Ok(e),
                Err(d)
                    if d.message.contains("needs C code")
                        && name != super::random::SAVE_STATE_HOOK =>
                {
                    return Err(vec![d])
                }
                Err(d) => Err(d.message.clone()),
            }
        };
        compiled.entries.insert(name, entry);
    }
    // tables and systems compiled for the entries
    compiled.tables = lower.table_specs.clone();
    compiled.systems = lower.systems.clone();
    compiled.ncols = lower.ncols as usize;
    compiled.arg_registers = ArgRegisters { count, args };
    Ok(())
}

fn entry(
    lower: &mut Lower<'_>,
    callee: &crate::ast::Callable,
    is_function: bool,
    (count, args): (u32, &[u32]),
) -> Lowered<Entry> {
    lower.push_barrier();
    let names: Vec<String> = (0..args.len()).map(|k| format!("$hocarg{k}")).collect();
    for (name, &r) in names.iter().zip(args) {
        lower.bind_register(name, r);
    }
    let exprs: Vec<Expr> = callee
        .params
        .iter()
        .zip(&names)
        .map(|(p, n)| {
            Expr::Name(crate::ast::Ident {
                name: n.clone(),
                span: p.span,
            })
        })
        .collect();
    lower.hoc_args = Some((count, args.to_vec()));
    let mut ops = Vec::new();
    let called = lower.call(&callee.name.name, &exprs, None, callee.span, &mut ops);
    lower.hoc_args = None;
    lower.pop_scope();
    let value = called?;
    let result = is_function.then(|| {
        let r = lower.register();
        ops.push(Op::Copy { dst: r, src: value });
        r
    });
    lower.release(value);
    Ok(Entry {
        name: callee.name.name.clone(),
        is_function,
        arity: callee.params.len(),
        ops,
        result,
    })
}

fn assemble(lower: &mut Lower<'_>, program: &Program) -> Lowered<Compiled> {
    let mut init = zero_states(lower);
    let (mut current, mut state) = (Vec::new(), Vec::new());
    let mut before_after = Vec::new();
    let mut receive = None;
    for item in &program.items {
        match item {
            Item::Initial(b) => initial(lower, b, &mut init)?,
            Item::BeforeAfter {
                when,
                what,
                body,
                span,
            } => {
                let point = ba_point(*when, &what.name, *span)?;
                let mut ops = Vec::new();
                initial(lower, body, &mut ops)?;
                before_after.push((point, ops));
            }
            Item::Breakpoint(b) => breakpoint(lower, program, b, &mut current, &mut state)?,
            Item::NetReceive(nr) => receive = Some(net_receive(lower, nr)?),
            _ => {}
        }
    }
    // nocmodl: without currents there is no nrn_cur, and the rest of the
    // BREAKPOINT runs in nrn_state after the SOLVEs
    if lower.mech.currents.is_empty() {
        state.append(&mut current);
    }
    let mut currents = Vec::new();
    for c in &lower.mech.currents {
        match lower.layout.column(&c.name) {
            Some(col) => currents.push((col, c.kind.clone())),
            None => {
                return Err(Diagnostic::error(
                    c.span,
                    format!("current `{}` is not declared", c.name),
                ))
            }
        }
    }
    Ok(Compiled {
        mechanism: lower.mech.clone(),
        layout: lower.layout.clone(),
        ncols: lower.ncols as usize,
        init,
        current,
        state,
        before_after,
        tables: lower.table_specs.clone(),
        function_tables: Default::default(),
        systems: lower.systems.clone(),
        halves_state_dt: false,
        currents,
        net_receive: receive,
        entries: BTreeMap::new(),
        arg_registers: ArgRegisters::default(),
        watches: lower.watches.clone(),
        uses_for_netcons: lower.uses_for_netcons,
        diffusion: Vec::new(),
    })
}

/// The five BEFORE/AFTER blocks NEURON runs (`hoc_reg_ba`); NEURON accepts
/// the others at translation and stops when the mechanism is registered.
fn ba_point(
    when: crate::ast::BeforeAfter,
    what: &str,
    span: Span,
) -> Lowered<neurite_hines::BeforeAfter> {
    use crate::ast::BeforeAfter::{After, Before};
    use neurite_hines::BeforeAfter as P;
    match (when, what) {
        (Before, "INITIAL") => Ok(P::BeforeInitial),
        (After, "INITIAL") => Ok(P::AfterInitial),
        (Before, "BREAKPOINT") => Ok(P::BeforeBreakpoint),
        (After, "SOLVE") => Ok(P::AfterSolve),
        (Before, "STEP") => Ok(P::BeforeStep),
        _ => {
            let when = if when == Before { "BEFORE" } else { "AFTER" };
            Err(Diagnostic::error(
                span,
                format!(
                    "NEURON does not run {when} {what} blocks (only BEFORE INITIAL, AFTER \
                     INITIAL, BEFORE BREAKPOINT, AFTER SOLVE and BEFORE STEP)"
                ),
            ))
        }
    }
}

fn net_receive(lower: &mut Lower<'_>, nr: &crate::ast::NetReceive) -> Lowered<NetReceiveCode> {
    lower.push_barrier();
    // arguments and flag are set before every run: their zeroing is dropped
    let mut set_by_caller = Vec::new();
    let params: Vec<u32> = nr
        .params
        .iter()
        .map(|p| lower.bind(&p.name.name, &mut set_by_caller))
        .collect();
    let flag = lower.bind("flag", &mut set_by_caller);
    lower.net_receive_args = Some(params.clone());
    let mut ops = Vec::new();
    let mut init = None;
    for s in &nr.body.stmts {
        match s {
            Stmt::Initial(b) => {
                let mut init_ops = Vec::new();
                lower.block(b, None, &mut init_ops)?;
                init = Some(init_ops);
            }
            other => lower.stmt(other, None, &mut ops)?,
        }
    }
    lower.pop_scope();
    lower.net_receive_args = None;
    Ok(NetReceiveCode {
        params,
        flag,
        ops,
        init,
    })
}

/// NEURON starts every STATE `s` at the global `s0` before INITIAL (0 unless
/// the file declares `s0`, e.g. as a PARAMETER); concentrations that are
/// states start from the ion.
fn zero_states(lower: &Lower<'_>) -> Vec<Op> {
    let layout = &lower.layout;
    layout
        .vars
        .iter()
        .enumerate()
        .filter(|(_, v)| v.kind == VarKind::State && v.ion.is_none())
        .map(|(c, v)| {
            // `ca[3]` starts from `ca0`
            let base = v.name.split('[').next().unwrap_or(&v.name);
            let start = layout.column(&format!("{base}0"));
            Op::Copy {
                dst: c as u32,
                src: start.map_or(Src::K(0.0), Src::Col),
            }
        })
        .collect()
}

impl Lower<'_> {
    /// A SOLVE inside a block (an IF or FROM loop of INITIAL, a PROCEDURE):
    /// run where it stands, as nocmodl calls the solver there. Under a mask
    /// the STATEs of instances that do not take the branch are put back.
    pub(crate) fn nested_solve(
        &mut self,
        s: &Stmt,
        mask: Option<u32>,
        ops: &mut Vec<Op>,
    ) -> Lowered<()> {
        let Stmt::Solve {
            block,
            method,
            steadystate,
            span,
            ..
        } = s
        else {
            return Ok(());
        };
        let Some(program) = self.program else {
            return Err(unsupported_solve(*span));
        };
        let states: Vec<u32> = self
            .layout
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| v.kind == VarKind::State)
            .map(|(c, _)| c as u32)
            .collect();
        let saved: Vec<(u32, u32)> = match mask {
            Some(_) => states
                .iter()
                .map(|&c| {
                    let r = self.register();
                    ops.push(Op::Copy {
                        dst: r,
                        src: Src::Col(c),
                    });
                    (c, r)
                })
                .collect(),
            None => Vec::new(),
        };
        let method = method.as_ref().map(|m| m.name.as_str());
        let steady = steadystate.as_ref().map(|m| m.name.as_str());
        match (find_block(program, &block.name), method, steady) {
            (Some(Item::Kinetic(k)), None | Some("sparse"), st) => {
                let op = kinetic(self, k, st.is_some())?;
                ops.push(op);
            }
            (Some(Item::Linear(l)), _, _) => {
                let op = linear(self, l)?;
                ops.push(op);
            }
            (Some(Item::NonLinear(n)), _, _) => {
                let op = super::systems::nonlinear(self, n)?;
                ops.push(op);
            }
            (Some(Item::Derivative(d)), Some(m @ ("cnexp" | "euler" | "derivimplicit")), None) => {
                derivative(self, d, m, ops)?;
            }
            (Some(Item::Derivative(d)), _, Some("derivimplicit")) => {
                derivative(self, d, "steady-derivimplicit", ops)?;
            }
            (Some(Item::Procedure(p)), None | Some("after_cvode"), None) => {
                let r = self.call(&p.name.name, &[], mask, *span, ops)?;
                self.release(r);
            }
            _ => return Err(unsupported_solve(*span)),
        }
        if let Some(m) = mask {
            let off = self.register();
            ops.push(Op::Un {
                f: super::ir::Fn1::Not,
                dst: off,
                a: Src::Col(m),
            });
            for (c, r) in saved {
                ops.push(Op::Select {
                    dst: c,
                    mask: off,
                    src: Src::Col(r),
                });
            }
        }
        Ok(())
    }
}

fn find_block<'p>(program: &'p Program, name: &str) -> Option<&'p Item> {
    program.items.iter().find(|item| match item {
        Item::Derivative(b) | Item::Kinetic(b) | Item::Linear(b) | Item::NonLinear(b) => {
            b.name.name == name
        }
        Item::Procedure(c) => c.name.name == name,
        _ => false,
    })
}

fn initial(lower: &mut Lower<'_>, b: &Block, ops: &mut Vec<Op>) -> Lowered<()> {
    lower.push_scope();
    for s in &b.stmts {
        match s {
            Stmt::Solve { .. } => lower.nested_solve(s, None, ops)?,
            other => lower.stmt(other, None, ops)?,
        }
    }
    lower.pop_scope();
    Ok(())
}

fn unsupported_solve(span: Span) -> Diagnostic {
    Diagnostic::error(span, "this SOLVE is not supported by Neurite yet")
}

fn breakpoint(
    lower: &mut Lower<'_>,
    program: &Program,
    b: &Block,
    current: &mut Vec<Op>,
    state: &mut Vec<Op>,
) -> Lowered<()> {
    lower.push_scope();
    for s in &b.stmts {
        match s {
            Stmt::Solve {
                block,
                method,
                steadystate: None,
                span,
                ..
            } => {
                let method = method.as_ref().map(|m| m.name.as_str());
                solve(lower, program, &block.name, method, *span, state)?;
            }
            Stmt::Solve { span, .. } => return Err(unsupported_solve(*span)),
            other => lower.stmt(other, None, current)?,
        }
    }
    lower.pop_scope();
    Ok(())
}

fn solve(
    lower: &mut Lower<'_>,
    program: &Program,
    name: &str,
    method: Option<&str>,
    span: Span,
    ops: &mut Vec<Op>,
) -> Lowered<()> {
    match (find_block(program, name), method) {
        (Some(Item::Derivative(d)), Some(m @ ("cnexp" | "euler" | "derivimplicit"))) => {
            derivative(lower, d, m, ops)
        }
        (Some(Item::Kinetic(k)), None | Some("sparse")) => {
            let op = kinetic(lower, k, false)?;
            ops.push(op);
            Ok(())
        }
        (Some(Item::NonLinear(n)), None | Some("newton")) => {
            let op = super::systems::nonlinear(lower, n)?;
            ops.push(op);
            Ok(())
        }
        (Some(Item::Procedure(p)), None | Some("after_cvode")) => {
            let s = lower.call(&p.name.name, &[], None, span, ops)?;
            lower.release(s);
            Ok(())
        }
        (_, Some(m)) => Err(Diagnostic::error(
            span,
            format!("SOLVE {name} METHOD {m} is not supported by Neurite yet"),
        )),
        _ => Err(unsupported_solve(span)),
    }
}

/// A DERIVATIVE block by `cnexp` (NEURON's exact exponential step for
/// `x' = a + b·x`) or `euler`.
fn derivative(
    lower: &mut Lower<'_>,
    d: &NamedBlock,
    method: &str,
    ops: &mut Vec<Op>,
) -> Lowered<()> {
    let (body, derivs, method) = match derivative_body(lower, d, method == "cnexp") {
        Ok((body, derivs)) => (body, derivs, method),
        // nocmodl: "Could not translate using cnexp method; using derivimplicit"
        Err(e) if method == "cnexp" && e.message.contains("is not linear in") => {
            let (body, derivs) = derivative_body(lower, d, false)?;
            (body, derivs, "derivimplicit")
        }
        Err(e) => return Err(e),
    };
    match method {
        "derivimplicit" | "steady-derivimplicit" => {
            lower.systems.implicit.push(ImplicitSystem {
                states: derivs.iter().map(|d| d.0).collect(),
                derivs: derivs.iter().map(|d| d.1).collect(),
                body,
                secondorder: lower.layout.builtin(crate::sema::BuiltinVar::SecondOrder),
                steady: method == "steady-derivimplicit",
                nonlinear: false,
            });
            let system = lower.systems.implicit.len() - 1;
            ops.push(Op::Implicit { system });
        }
        _ => {
            ops.extend(body);
            let dt = Src::Col(lower.layout.builtin(crate::sema::BuiltinVar::Dt));
            for &(col, f) in &derivs {
                let step = lower.bin(Fn2::Mul, dt, f, ops);
                let next = lower.bin(Fn2::Add, Src::Col(col), step, ops);
                lower.store(col, next, None, ops);
            }
            // nocmodl: `if (secondorder) s += dt*D` after scopmath's euler
            // (dt is halved in nrn_state then)
            let mut again = Vec::new();
            for (col, f) in derivs {
                let step = lower.bin(Fn2::Mul, dt, f, &mut again);
                let next = lower.bin(Fn2::Add, Src::Col(col), step, &mut again);
                lower.store(col, next, None, &mut again);
            }
            let secondorder = lower.layout.builtin(crate::sema::BuiltinVar::SecondOrder);
            ops.push(Op::Uniform {
                flag: Src::Col(secondorder),
                then: again,
                otherwise: Vec::new(),
            });
        }
    }
    Ok(())
}

/// The column of STATE (or other variable) `x`.
type DerivBody = (Vec<Op>, Vec<(u32, Src)>);

/// The statements of a DERIVATIVE block: with `cnexp` each `x' = f` becomes
/// its exponential update in place; otherwise each derivative is left in a
/// register, returned with its state's column.
fn derivative_body(
    lower: &mut Lower<'_>,
    d: &NamedBlock,
    cnexp_update: bool,
) -> Lowered<DerivBody> {
    lower.push_barrier();
    let mut body = Vec::new();
    let mut derivs = Vec::new();
    for s in &d.body.stmts {
        match s {
            Stmt::Assign {
                lhs:
                    LValue::Prime {
                        name,
                        order: 1,
                        index: None,
                        ..
                    },
                rhs,
                span,
            } if cnexp_update => cnexp(lower, &name.name, rhs, *span, &mut body)?,
            Stmt::Assign {
                lhs:
                    LValue::Prime {
                        name,
                        order: 1,
                        index: None,
                        ..
                    },
                rhs,
                span,
            } => {
                let f = lower.expr(rhs, None, &mut body)?;
                let f = lower.keep(f, &mut body);
                derivs.push((state_column(lower, &name.name, *span)?, f));
                // a later `x'` in the block reads this derivative
                if let Src::Col(r) = f {
                    lower.bind_register(&format!("{}'", name.name), r);
                } else {
                    let r = lower.register();
                    body.push(Op::Copy { dst: r, src: f });
                    lower.bind_register(&format!("{}'", name.name), r);
                }
            }
            other => lower.stmt(other, None, &mut body)?,
        }
    }
    lower.pop_scope();
    Ok((body, derivs))
}

pub(crate) fn state_column(lower: &Lower<'_>, x: &str, span: Span) -> Lowered<u32> {
    match lower.resolve(x, span)? {
        Src::Col(c) => Ok(c),
        Src::K(_) => Err(Diagnostic::error(span, format!("`{x}` is not a STATE"))),
    }
}

fn cnexp(lower: &mut Lower<'_>, x: &str, f: &Expr, span: Span, ops: &mut Vec<Op>) -> Lowered<()> {
    let col = state_column(lower, x, span)?;
    let b = diff(f, x).map_err(|e| Diagnostic::error(e.span, e.what))?;
    if contains(&b, x) {
        return Err(Diagnostic::error(
            span,
            format!("`{x}'` is not linear in `{x}`; Neurite's cnexp needs a + b*{x}"),
        ));
    }
    let (xs, dt) = (symbolic::name(x, span), symbolic::name("dt", span));
    let update = if matches!(&b, Expr::Number { value, .. } if value.value == 0.0) {
        bin(BinOp::Add, xs.clone(), bin(BinOp::Mul, dt, f.clone()))
    } else {
        let a = symbolic::subst_zero(f, x);
        let decay = bin(
            BinOp::Sub,
            num(1.0, span),
            call1("exp", bin(BinOp::Mul, dt, b.clone())),
        );
        let target = bin(BinOp::Sub, bin(BinOp::Div, neg(a), b), xs.clone());
        bin(BinOp::Add, xs, bin(BinOp::Mul, decay, target))
    };
    let value = lower.expr(&update, None, ops)?;
    lower.store(col, value, None, ops);
    Ok(())
}

fn call1(f: &str, a: Expr) -> Expr {
    let span = a.span();
    Expr::Call {
        name: crate::ast::Ident {
            name: f.to_string(),
            span,
        },
        args: vec![a],
        span,
    }
}

impl<'a> Lower<'a> {
    /// The table of `callee`, compiled the first time it is called:
    /// (table id, columns it fills).
    pub fn table_for(
        &mut self,
        callee: &'a Callable,
        is_function: bool,
    ) -> Lowered<Option<(usize, Vec<u32>)>> {
        let Some(body) = &callee.body else {
            return Ok(None);
        };
        let Some(Stmt::Table {
            names,
            depend,
            from,
            to,
            with,
            span,
        }) = body.stmts.iter().find(|s| matches!(s, Stmt::Table { .. }))
        else {
            return Ok(None);
        };
        let name = &callee.name.name;
        if let Some(&id) = self.table_ids().get(name) {
            let outs = self.table_specs[id].outs.clone();
            return Ok(Some((id, outs)));
        }
        if callee.params.len() != 1 {
            return Err(Diagnostic::error(
                *span,
                "Neurite supports TABLE only in a FUNCTION or PROCEDURE of one argument",
            ));
        }
        let spec = self.table_spec(callee, is_function, names, depend, [from, to, with], body)?;
        let outs = spec.outs.clone();
        self.table_specs.push(spec);
        let id = self.table_specs.len() - 1;
        self.table_ids().insert(name.clone(), id);
        Ok(Some((id, outs)))
    }

    #[allow(clippy::too_many_arguments)]
    fn table_spec(
        &mut self,
        callee: &'a Callable,
        is_function: bool,
        names: &[crate::ast::Ident],
        depend: &[crate::ast::Ident],
        [from, to, with]: [&Expr; 3],
        body: &Block,
    ) -> Lowered<TableSpec> {
        self.push_barrier();
        let mut bounds_ops = Vec::new();
        let from = self.expr(from, None, &mut bounds_ops)?;
        let from = self.keep(from, &mut bounds_ops);
        let to = self.expr(to, None, &mut bounds_ops)?;
        let to = self.keep(to, &mut bounds_ops);
        let with = match self.expr(with, None, &mut bounds_ops)? {
            Src::K(w) if (1.0..1e7).contains(&w) => w as usize,
            _ => {
                return Err(Diagnostic::error(
                    with.span(),
                    "WITH must be a positive constant",
                ))
            }
        };
        let mut ops = Vec::new();
        // the argument column is filled with the grid before `ops` run
        let arg = self.bind(&callee.params[0].name.name, &mut Vec::new());
        let mut outs = Vec::new();
        if is_function {
            outs.push(self.bind(&callee.name.name, &mut ops));
        }
        self.block(body, None, &mut ops)?;
        for n in names {
            // an array is tabulated element by element (NEURON's
            // `_t_inf[i][k]`), in element order
            let elements: Vec<u32> = (0..)
                .map_while(|i| self.layout.column(&format!("{}[{i}]", n.name)))
                .collect();
            if elements.is_empty() {
                outs.push(state_column(self, &n.name, n.span)?);
            } else {
                outs.extend(elements);
            }
        }
        let depend = depend
            .iter()
            .map(|d| self.resolve(&d.name, d.span))
            .collect::<Lowered<Vec<Src>>>()?;
        self.pop_scope();
        Ok(TableSpec {
            bounds_ops,
            from,
            to,
            with,
            arg,
            ops,
            outs,
            depend,
        })
    }
}
