//! Lowering statements and expressions of the syntax tree into the column IR.
//!
//! Names are resolved once here: LOCALs and arguments become registers,
//! declared variables their layout columns, constants (DEFINE, CONSTANT, UNITS
//! factors) numbers. FUNCTION and PROCEDURE calls are inlined (arguments copied
//! into fresh registers), so a call costs no dispatch at run time; recursion is
//! allowed up to [`MAX_INLINE_DEPTH`] levels and reported as a load error
//! beyond. IF and WHILE become masks (see [`super::ir`]).

use super::ir::{EmitKind, Fn1, Fn2, Op, Src};
use super::layout::Layout;
use super::solve::Systems;
use super::table::TableSpec;
use crate::ast::{BinOp, Block, Callable, Expr, LValue, Stmt, UnOp};
use crate::diagnostic::Diagnostic;
use crate::sema::{BuiltinVar, Mechanism, SymbolKind};
use crate::span::Span;
use std::collections::HashMap;

/// The longest FROM loop with constant bounds that is unrolled.
pub const MAX_UNROLL: usize = 1000;

/// How deep inlined calls may nest (recursion is inlined up to this depth).
pub const MAX_INLINE_DEPTH: usize = 24;

pub type Lowered<T> = Result<T, Diagnostic>;

/// The lowering state of one mechanism.
#[derive(Debug)]
pub struct Lower<'a> {
    pub mech: &'a Mechanism,
    pub layout: Layout,
    /// FUNCTIONs and PROCEDUREs by name.
    pub callables: HashMap<String, (&'a Callable, bool)>,
    /// Number of columns so far (layout + registers).
    pub ncols: u32,
    free: Vec<u32>,
    temps: Vec<bool>,
    scopes: Vec<(HashMap<String, Src>, bool)>,
    stack: Vec<String>,
    pub table_specs: Vec<TableSpec>,
    table_of: HashMap<String, usize>,
    pub systems: Systems,
    /// While compiling an entry called from HOC: the registers of the number
    /// of arguments passed and of each argument (C's `ifarg(k)`,
    /// `vector_arg(k)`, `*getarg(k)` read them).
    pub hoc_args: Option<(u32, Vec<u32>)>,
    /// The WATCH conditions met so far, numbered in order.
    pub watches: Vec<WatchCode>,
    /// While lowering NET_RECEIVE: the registers of its arguments.
    pub net_receive_args: Option<Vec<u32>>,
    /// NET_RECEIVE has a FOR_NETCONS loop.
    pub uses_for_netcons: bool,
    /// The file, for SOLVE statements met inside blocks.
    pub program: Option<&'a crate::ast::Program>,
    /// The live mask of the innermost loop whose body has a C `break`.
    pub break_reg: Option<u32>,
    /// The NMODL statements inside merged split VERBATIM blocks, by the
    /// merged block's span ([`super::cverb::merge_split`]).
    pub embedded: HashMap<(u32, u32), Vec<Stmt>>,
    /// The file's `#define`s and top-level C ([`super::cverb::file_c`]).
    pub c_env: super::cverb::CEnv,
}

/// A WATCH condition compiled to run on one instance: after `ops`, `value`
/// is positive when the condition holds (`a - b` for `a > b`, nocmodl's
/// `_watch_cond`).
#[derive(Debug, Clone, PartialEq)]
pub struct WatchCode {
    pub ops: Vec<Op>,
    pub value: Src,
}

impl<'a> Lower<'a> {
    pub fn new(mech: &'a Mechanism, layout: Layout) -> Self {
        let ncols = layout.len() as u32;
        Lower {
            mech,
            layout,
            callables: HashMap::new(),
            ncols,
            free: Vec::new(),
            temps: Vec::new(),
            scopes: Vec::new(),
            stack: Vec::new(),
            table_specs: Vec::new(),
            table_of: HashMap::new(),
            systems: Systems::default(),
            hoc_args: None,
            watches: Vec::new(),
            net_receive_args: None,
            uses_for_netcons: false,
            program: None,
            embedded: HashMap::new(),
            break_reg: None,
            c_env: super::cverb::CEnv::default(),
        }
    }

    /// A register that lives as long as the compiled mechanism.
    pub fn register(&mut self) -> u32 {
        let r = self.ncols;
        self.ncols += 1;
        r
    }

    /// A temporary register, reused once released.
    fn temp(&mut self) -> u32 {
        let r = self.free.pop().unwrap_or_else(|| {
            let r = self.ncols;
            self.ncols += 1;
            r
        });
        if self.temps.len() <= r as usize {
            self.temps.resize(r as usize + 1, false);
        }
        self.temps[r as usize] = true;
        r
    }

    /// Gives a temporary back.
    pub fn release(&mut self, s: Src) {
        if let Src::Col(c) = s {
            if self.temps.get(c as usize).copied().unwrap_or(false) {
                self.temps[c as usize] = false;
                self.free.push(c);
            }
        }
    }

    /// `s` in a register that no later temporary reuses.
    pub fn keep(&mut self, s: Src, ops: &mut Vec<Op>) -> Src {
        match s {
            Src::K(_) => s,
            Src::Col(c) if self.temps.get(c as usize).copied().unwrap_or(false) => {
                let r = self.register();
                ops.push(Op::Copy { dst: r, src: s });
                self.release(s);
                Src::Col(r)
            }
            Src::Col(_) => {
                let r = self.register();
                ops.push(Op::Copy { dst: r, src: s });
                Src::Col(r)
            }
        }
    }

    pub fn push_scope(&mut self) {
        self.scopes.push((HashMap::new(), false));
    }

    /// A scope that hides every enclosing one (the body of a callee).
    pub fn push_barrier(&mut self) {
        self.scopes.push((HashMap::new(), true));
    }

    pub fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    /// Binds `name` to a fresh zeroed register in the innermost scope.
    pub fn bind(&mut self, name: &str, ops: &mut Vec<Op>) -> u32 {
        let r = self.register();
        ops.push(Op::Copy {
            dst: r,
            src: Src::K(0.0),
        });
        if let Some((scope, _)) = self.scopes.last_mut() {
            scope.insert(name.to_string(), Src::Col(r));
        }
        r
    }

    /// Binds `name` to the existing register `r` in the innermost scope.
    pub fn bind_register(&mut self, name: &str, r: u32) {
        if let Some((scope, _)) = self.scopes.last_mut() {
            scope.insert(name.to_string(), Src::Col(r));
        }
    }

    /// Tables compiled so far, by callee name.
    pub fn table_ids(&mut self) -> &mut HashMap<String, usize> {
        &mut self.table_of
    }

    /// Binds `name` to a number in the innermost scope (an unrolled loop's
    /// variable, a local array's length).
    pub fn bind_const(&mut self, name: &str, x: f64) {
        if let Some((scope, _)) = self.scopes.last_mut() {
            scope.insert(name.to_string(), Src::K(x));
        }
    }

    fn local(&self, name: &str) -> Option<Src> {
        for (scope, barrier) in self.scopes.iter().rev() {
            if let Some(&r) = scope.get(name) {
                return Some(r);
            }
            if *barrier {
                break;
            }
        }
        None
    }

    /// What a name is when read.
    pub fn resolve(&self, name: &str, span: Span) -> Lowered<Src> {
        if let Some(r) = self.local(name) {
            return Ok(r);
        }
        if let Some(c) = self.layout.column(name) {
            return Ok(Src::Col(c));
        }
        match self.mech.symbols.get(name).map(|s| &s.kind) {
            Some(SymbolKind::Constant { value, .. }) => Ok(Src::K(*value)),
            Some(kind) => Err(Diagnostic::error(
                span,
                format!(
                    "`{name}` ({}) cannot be used here by Neurite yet",
                    kind.describe()
                ),
            )),
            // a constant of the file's C (`#define`, `const int X = -99;`)
            None => match self.c_env.constant(name) {
                Some(x) => Ok(Src::K(x)),
                None => Err(Diagnostic::error(span, format!("undefined name `{name}`"))),
            },
        }
    }

    /// The column an assignment to `lhs` writes.
    pub fn target(&mut self, lhs: &LValue, ops: &mut Vec<Op>) -> Lowered<u32> {
        let (name, span) = match lhs {
            LValue::Name(id) => (id.name.clone(), id.span),
            LValue::Index { name, index, span } => {
                let i = self.const_index(index, ops)?;
                (format!("{}[{i}]", name.name), *span)
            }
            LValue::Prime { span, .. } => {
                return Err(Diagnostic::error(
                    *span,
                    "a derivative can only be assigned in a DERIVATIVE block",
                ))
            }
        };
        match self.resolve(&name, span)? {
            Src::Col(c) => Ok(c),
            Src::K(_) => Err(Diagnostic::error(
                span,
                format!("`{name}` is a constant and cannot be assigned"),
            )),
        }
    }

    /// An index: a whole number known at load time, or the column holding it.
    fn index_value(
        &mut self,
        index: &Expr,
        mask: Option<u32>,
        ops: &mut Vec<Op>,
    ) -> Lowered<Result<i64, Src>> {
        Ok(match self.expr(index, mask, ops)? {
            Src::K(x) if x >= 0.0 && x.fract() == 0.0 => Ok(x as i64),
            s => Err(s),
        })
    }

    /// The first column and length of array `name` (a LOCAL or a variable).
    fn array(&self, name: &str, span: Span) -> Lowered<(u32, u32)> {
        let first = format!("{name}[0]");
        let local = (self.local(&first), self.local(&format!("{name}[]")));
        if let (Some(Src::Col(base)), Some(Src::K(len))) = local {
            return Ok((base, len as u32));
        }
        let len = self.mech.symbols.get(name).and_then(|s| s.length);
        match (self.layout.column(&first), len) {
            (Some(base), Some(len)) => Ok((base, len)),
            _ => Err(Diagnostic::error(span, format!("`{name}` is not an array"))),
        }
    }

    /// `LOCAL x` or `LOCAL a[n]` (n registers in a row).
    fn local_decl(&mut self, decl: &crate::ast::LocalDecl, ops: &mut Vec<Op>) -> Lowered<()> {
        let name = &decl.name.name;
        let len = match &decl.length {
            None => {
                self.bind(name, ops);
                return Ok(());
            }
            Some(crate::ast::ArrayLen::Number(n)) => n.value,
            Some(crate::ast::ArrayLen::Name(id)) => match self.resolve(&id.name, id.span)? {
                Src::K(x) => x,
                Src::Col(_) => {
                    return Err(Diagnostic::error(id.span, "array length must be constant"))
                }
            },
        };
        if !(1.0..=1e6).contains(&len) {
            return Err(Diagnostic::error(decl.span, "bad array length"));
        }
        for j in 0..len as usize {
            self.bind(&format!("{name}[{j}]"), ops);
        }
        self.bind_const(&format!("{name}[]"), len.floor());
        Ok(())
    }

    fn const_index(&mut self, index: &Expr, ops: &mut Vec<Op>) -> Lowered<i64> {
        match self.expr(index, None, ops)? {
            Src::K(x) if x >= 0.0 && x.fract() == 0.0 => Ok(x as i64),
            s => {
                self.release(s);
                Err(Diagnostic::error(
                    index.span(),
                    "Neurite needs array indices that are constant at load time",
                ))
            }
        }
    }

    /// Lowers `e`; the result is a constant, a variable, or a temporary that
    /// the caller releases.
    pub fn expr(&mut self, e: &Expr, mask: Option<u32>, ops: &mut Vec<Op>) -> Lowered<Src> {
        match e {
            Expr::Number { value, .. } => Ok(Src::K(value.value)),
            Expr::Name(id) => self.resolve(&id.name, id.span),
            Expr::Paren { inner, .. } => self.expr(inner, mask, ops),
            Expr::Index { name, index, span } => match self.index_value(index, mask, ops)? {
                Ok(i) => self.resolve(&format!("{}[{i}]", name.name), *span),
                Err(index) => {
                    let (base, len) = self.array(&name.name, *span)?;
                    let dst = self.temp();
                    ops.push(Op::Gather {
                        dst,
                        base,
                        len,
                        index,
                    });
                    self.release(index);
                    Ok(Src::Col(dst))
                }
            },
            Expr::Unary { op, operand, .. } => {
                let a = self.expr(operand, mask, ops)?;
                let f = match op {
                    UnOp::Neg => Fn1::Neg,
                    UnOp::Not => Fn1::Not,
                };
                Ok(self.un(f, a, ops))
            }
            Expr::Binary { op, lhs, rhs, .. } => {
                let a = self.expr(lhs, mask, ops)?;
                let b = self.expr(rhs, mask, ops)?;
                Ok(self.bin(bin_fn(*op), a, b, ops))
            }
            Expr::Call { name, args, span } => self.call(&name.name, args, mask, *span, ops),
            // `x'` as a value: the derivative computed earlier in the block
            Expr::Prime {
                name,
                order: 1,
                span,
            } => match self.local(&format!("{}'", name.name)) {
                Some(r) => Ok(r),
                None => Err(Diagnostic::error(
                    *span,
                    format!("`{}'` is read before the block computes it", name.name),
                )),
            },
            Expr::Prime { span, .. } | Expr::UnitFactor(crate::ast::Units { span, .. }) => Err(
                Diagnostic::error(*span, "this expression is not supported by Neurite yet"),
            ),
            Expr::String { span, .. } => Err(Diagnostic::error(
                *span,
                "a string can only be an argument of printf",
            )),
        }
    }

    /// `f(a)`, folded when `a` is constant.
    pub fn un(&mut self, f: Fn1, a: Src, ops: &mut Vec<Op>) -> Src {
        if let Src::K(_) = a {
            let mut frame = super::ir::Frame::new(1, 1);
            let _ = fold(&mut frame, Op::Un { f, dst: 0, a });
            return Src::K(frame.get(Src::Col(0), 0));
        }
        let dst = self.temp();
        ops.push(Op::Un { f, dst, a });
        self.release(a);
        Src::Col(dst)
    }

    /// `f(a, b)`, folded when both are constant.
    pub fn bin(&mut self, f: Fn2, a: Src, b: Src, ops: &mut Vec<Op>) -> Src {
        // `0 && x` and `1 || x` are known at load time (dead branches of
        // translated C, e.g. `cvode_active_ && ...`)
        match (f, a, b) {
            (Fn2::And, Src::K(k), _) | (Fn2::And, _, Src::K(k)) if k == 0.0 => {
                self.release(a);
                self.release(b);
                return Src::K(0.0);
            }
            (Fn2::Or, Src::K(k), _) | (Fn2::Or, _, Src::K(k)) if k != 0.0 && !k.is_nan() => {
                self.release(a);
                self.release(b);
                return Src::K(1.0);
            }
            _ => {}
        }
        if let (Src::K(_), Src::K(_)) = (a, b) {
            let mut frame = super::ir::Frame::new(1, 1);
            let _ = fold(&mut frame, Op::Bin { f, dst: 0, a, b });
            return Src::K(frame.get(Src::Col(0), 0));
        }
        let dst = self.temp();
        ops.push(Op::Bin { f, dst, a, b });
        self.release(a);
        self.release(b);
        Src::Col(dst)
    }

    /// Stores `src` into column `dst` (a select under a mask).
    pub fn store(&mut self, dst: u32, src: Src, mask: Option<u32>, ops: &mut Vec<Op>) {
        match mask {
            Some(mask) => ops.push(Op::Select { dst, mask, src }),
            None => {
                let retarget = matches!(src, Src::Col(c) if self.is_temp(c))
                    && matches!(ops.last(), Some(op) if writes_only(op, src, dst));
                match (retarget, ops.last_mut()) {
                    (true, Some(Op::Un { dst: d, .. } | Op::Bin { dst: d, .. })) => *d = dst,
                    _ => ops.push(Op::Copy { dst, src }),
                }
            }
        }
        self.release(src);
    }

    fn is_temp(&self, c: u32) -> bool {
        self.temps.get(c as usize).copied().unwrap_or(false)
    }

    /// Lowers the statements of `block` in a new scope.
    pub fn block(&mut self, block: &Block, mask: Option<u32>, ops: &mut Vec<Op>) -> Lowered<()> {
        self.push_scope();
        let stmts = self.merge_split(&block.stmts);
        let result = stmts.iter().try_for_each(|s| self.stmt(s, mask, ops));
        self.pop_scope();
        result
    }

    /// Lowers one statement of an ordinary block.
    pub fn stmt(&mut self, s: &Stmt, mask: Option<u32>, ops: &mut Vec<Op>) -> Lowered<()> {
        match s {
            Stmt::Local { names, .. } => names.iter().try_for_each(|d| self.local_decl(d, ops)),
            Stmt::Assign {
                lhs: LValue::Index { name, index, span },
                rhs,
                ..
            } => {
                let src = self.expr(rhs, mask, ops)?;
                match self.index_value(index, mask, ops)? {
                    Ok(i) => {
                        let lhs = LValue::Name(crate::ast::Ident {
                            name: format!("{}[{i}]", name.name),
                            span: *span,
                        });
                        let dst = self.target(&lhs, ops)?;
                        self.store(dst, src, mask, ops);
                    }
                    Err(index) => {
                        let (base, len) = self.array(&name.name, *span)?;
                        ops.push(Op::Scatter {
                            base,
                            len,
                            index,
                            src,
                            mask,
                        });
                        self.release(index);
                        self.release(src);
                    }
                }
                Ok(())
            }
            Stmt::Assign { lhs, rhs, .. } => {
                let src = self.expr(rhs, mask, ops)?;
                let dst = self.target(lhs, ops)?;
                self.store(dst, src, mask, ops);
                Ok(())
            }
            // nocmodl's fixed-step state_discontinuity(x, value) is x = value
            Stmt::Expr(Expr::Call { name, args, span }) if name.name == "state_discontinuity" => {
                let [lhs, rhs] = &args[..] else {
                    return Err(Diagnostic::error(
                        *span,
                        "state_discontinuity takes a state and a value",
                    ));
                };
                let lhs = match lhs {
                    Expr::Name(id) => LValue::Name(id.clone()),
                    Expr::Index { name, index, span } => LValue::Index {
                        name: name.clone(),
                        index: index.clone(),
                        span: *span,
                    },
                    _ => {
                        return Err(Diagnostic::error(
                            *span,
                            "state_discontinuity needs a STATE first",
                        ))
                    }
                };
                let assign = Stmt::Assign {
                    lhs,
                    rhs: rhs.clone(),
                    span: *span,
                };
                self.stmt(&assign, mask, ops)
            }
            // printf is diagnostic output (bmtool-style synapses print under
            // `verboseLevel > 0`): accepted, and prints nothing in Neurite.
            Stmt::Expr(Expr::Call { name, .. }) if name.name == "printf" => Ok(()),
            Stmt::Expr(e) => {
                let s = self.expr(e, mask, ops)?;
                self.release(s);
                Ok(())
            }
            Stmt::If {
                cond,
                then,
                otherwise,
                ..
            } => self.if_stmt(cond, then, otherwise.as_ref(), mask, ops),
            Stmt::While { cond, body, .. } => self.while_stmt(cond, body, mask, ops),
            Stmt::FromTo {
                var,
                from,
                to,
                by,
                body,
                ..
            } => self.for_loop(&var.name, [from, to], by.as_ref(), body, mask, ops),
            Stmt::Block(b) => self.block(b, mask, ops),
            Stmt::Protect(inner) => self.stmt(inner, mask, ops),
            Stmt::Table { .. }
            | Stmt::UnitsOn(_)
            | Stmt::UnitsOff(_)
            | Stmt::MutexLock(_)
            | Stmt::MutexUnlock(_)
            | Stmt::Conductance { .. } => Ok(()),
            Stmt::Verbatim(v) => self.verbatim(v, mask, ops),
            Stmt::Solve { .. } => self.nested_solve(s, mask, ops),
            Stmt::Watch { watches, span } => {
                for (cond, flag) in watches {
                    self.watch(cond, flag, *span, mask, ops)?;
                }
                Ok(())
            }
            Stmt::ForNetCons { params, body, span } => {
                let Some(args) = self.net_receive_args.clone() else {
                    return Err(Diagnostic::error(
                        *span,
                        "FOR_NETCONS is only allowed in NET_RECEIVE",
                    ));
                };
                self.push_scope();
                let regs: Vec<u32> = params
                    .iter()
                    .map(|p| self.bind(&p.name.name, &mut Vec::new()))
                    .collect();
                let mut body_ops = Vec::new();
                let done = self.block(body, mask, &mut body_ops);
                self.pop_scope();
                done?;
                self.uses_for_netcons = true;
                ops.push(Op::ForNetCons {
                    params: regs,
                    args,
                    body: body_ops,
                });
                Ok(())
            }
            other => Err(Diagnostic::error(
                other.span(),
                "this statement is not supported here by Neurite yet",
            )),
        }
    }

    /// `WATCH (a > b) flag`: the condition is compiled on its own (the solver
    /// evaluates it at every step start), and the statement itself asks the
    /// solver to watch it.
    fn watch(
        &mut self,
        cond: &Expr,
        flag: &Expr,
        span: Span,
        mask: Option<u32>,
        ops: &mut Vec<Op>,
    ) -> Lowered<()> {
        let cond = match cond {
            Expr::Paren { inner, .. } => inner.as_ref(),
            other => other,
        };
        let Expr::Binary { op, lhs, rhs, .. } = cond else {
            return Err(Diagnostic::error(
                span,
                "a WATCH condition must compare two values (a > b or a < b)",
            ));
        };
        let value = match op {
            BinOp::Gt | BinOp::Ge => {
                super::symbolic::bin(BinOp::Sub, (**lhs).clone(), (**rhs).clone())
            }
            BinOp::Lt | BinOp::Le => {
                super::symbolic::bin(BinOp::Sub, (**rhs).clone(), (**lhs).clone())
            }
            _ => {
                return Err(Diagnostic::error(
                    span,
                    "a WATCH condition must compare two values (a > b or a < b)",
                ))
            }
        };
        let mut cond_ops = Vec::new();
        let v = self.expr(&value, None, &mut cond_ops)?;
        let v = self.keep(v, &mut cond_ops);
        self.watches.push(WatchCode {
            ops: cond_ops,
            value: v,
        });
        let k = self.watches.len() - 1;
        let flag = self.expr(flag, mask, ops)?;
        ops.push(Op::Emit {
            kind: EmitKind::Watch(k),
            time: Src::K(0.0),
            flag,
            mask,
        });
        self.release(flag);
        Ok(())
    }

    /// The DERIVATIVE block called `name`, if the file has one.
    fn derivative_block(&self, name: &str) -> Option<&'a crate::ast::NamedBlock> {
        self.program?.items.iter().find_map(|item| match item {
            crate::ast::Item::Derivative(d) if d.name.name == name => Some(d),
            _ => None,
        })
    }

    /// `stmts` with split VERBATIM C merged ([`super::cverb::merge_split`]);
    /// the embedded statements are kept for the translation.
    pub fn merge_split(&mut self, stmts: &[Stmt]) -> Vec<Stmt> {
        let (stmts, merged) = super::cverb::merge_split(stmts);
        for (span, embedded) in merged {
            self.embedded.insert((span.start, span.end), embedded);
        }
        stmts
    }

    /// A VERBATIM block: nothing for trivial C, otherwise its C translated
    /// into statements ([`super::cverb`]).
    fn verbatim(
        &mut self,
        v: &crate::ast::Verbatim,
        mask: Option<u32>,
        ops: &mut Vec<Op>,
    ) -> Lowered<()> {
        let stmts = self
            .translate_verbatim(v)
            .map_err(|e| c_code_error(self.mech, e.span, &e.what))?;
        let block = Block {
            stmts,
            span: v.span,
        };
        self.block(&block, mask, ops)
    }

    /// The statements a VERBATIM block stands for (none if it is trivial).
    pub fn translate_verbatim(
        &self,
        v: &crate::ast::Verbatim,
    ) -> Result<Vec<Stmt>, super::cverb::CError> {
        let function = self
            .stack
            .last()
            .filter(|f| self.callables.get(*f).is_some_and(|c| c.1))
            .map(String::as_str);
        self.translate_verbatim_in(v, function)
    }

    /// As [`Lower::translate_verbatim`], inside FUNCTION `function` if any.
    pub fn translate_verbatim_in(
        &self,
        v: &crate::ast::Verbatim,
        function: Option<&str>,
    ) -> Result<Vec<Stmt>, super::cverb::CError> {
        let kind = crate::verbatim::classify_in(&v.text, &|n| self.callables.contains_key(n));
        // the random-stream idioms translate too: their C calls are
        // exec/random.rs's (random::translate_c_call)
        if kind == crate::verbatim::VerbatimKind::Trivial {
            return Ok(Vec::new());
        }
        let is_callable = |n: &str| self.callables.contains_key(n);
        let embedded = self
            .embedded
            .get(&(v.span.start, v.span.end))
            .map_or(&[][..], Vec::as_slice);
        let ctx = super::cverb::Context {
            function,
            is_callable: &is_callable,
            embedded,
            env: &self.c_env,
        };
        super::cverb::translate(&v.text, v.span, &ctx)
    }

    fn if_stmt(
        &mut self,
        cond: &Expr,
        then: &Block,
        otherwise: Option<&Block>,
        mask: Option<u32>,
        ops: &mut Vec<Op>,
    ) -> Lowered<()> {
        let c = self.expr(cond, mask, ops)?;
        if let Src::K(x) = c {
            return match (x != 0.0, otherwise) {
                (true, _) => self.block(then, mask, ops),
                (false, Some(b)) => self.block(b, mask, ops),
                (false, None) => Ok(()),
            };
        }
        let yes = self.register();
        let (f, base) = match mask {
            Some(m) => (Fn2::And, Src::Col(m)),
            None => (Fn2::Ne, Src::K(0.0)),
        };
        let (a, b) = if mask.is_some() { (base, c) } else { (c, base) };
        ops.push(Op::Bin { f, dst: yes, a, b });
        self.block(then, Some(yes), ops)?;
        if let Some(other) = otherwise {
            let no = self.register();
            ops.push(Op::Un {
                f: Fn1::Not,
                dst: no,
                a: c,
            });
            if let Some(m) = mask {
                ops.push(Op::Bin {
                    f: Fn2::And,
                    dst: no,
                    a: Src::Col(no),
                    b: Src::Col(m),
                });
            }
            self.block(other, Some(no), ops)?;
        }
        self.release(c);
        Ok(())
    }

    fn while_stmt(
        &mut self,
        cond: &Expr,
        body: &Block,
        mask: Option<u32>,
        ops: &mut Vec<Op>,
    ) -> Lowered<()> {
        let live = self.register();
        ops.push(Op::Copy {
            dst: live,
            src: mask.map_or(Src::K(1.0), Src::Col),
        });
        let mut cond_ops = Vec::new();
        let c = self.expr(cond, Some(live), &mut cond_ops)?;
        let c = self.keep(c, &mut cond_ops);
        let mut body_ops = Vec::new();
        let saved = self.break_reg.replace(live);
        let done = self.block(body, Some(live), &mut body_ops);
        self.break_reg = saved;
        done?;
        ops.push(Op::While {
            mask: live,
            cond_ops,
            cond: c,
            body: body_ops,
        });
        Ok(())
    }

    fn for_loop(
        &mut self,
        var: &str,
        [from, to]: [&Expr; 2],
        by: Option<&Expr>,
        body: &Block,
        mask: Option<u32>,
        ops: &mut Vec<Op>,
    ) -> Lowered<()> {
        if let Some(values) = self.unrollable([from, to], by)? {
            // with a C `break` in the body, every iteration runs under a
            // live mask that the break clears
            let (mask, saved) = if has_break(&body.stmts) {
                let live = self.register();
                ops.push(Op::Copy {
                    dst: live,
                    src: mask.map_or(Src::K(1.0), Src::Col),
                });
                (Some(live), Some(self.break_reg.replace(live)))
            } else {
                (mask, None)
            };
            let mut result = Ok(());
            for x in values {
                self.push_scope();
                self.bind_const(var, x);
                result = self.block(body, mask, ops);
                self.pop_scope();
                if result.is_err() {
                    break;
                }
            }
            if let Some(saved) = saved {
                self.break_reg = saved;
            }
            return result;
        }
        self.push_scope();
        let i = self.bind(var, ops);
        let start = self.expr(from, mask, ops)?;
        ops.push(Op::Copy { dst: i, src: start });
        self.release(start);
        let end = self.expr(to, mask, ops)?;
        let end = self.keep(end, ops);
        let step = match by {
            Some(e) => self.expr(e, mask, ops)?,
            None => Src::K(1.0),
        };
        let step = self.keep(step, ops);
        let live = self.register();
        ops.push(Op::Copy {
            dst: live,
            src: mask.map_or(Src::K(1.0), Src::Col),
        });
        let mut cond_ops = Vec::new();
        let c = self.bin(Fn2::Le, Src::Col(i), end, &mut cond_ops);
        let c = self.keep(c, &mut cond_ops);
        let mut body_ops = Vec::new();
        let saved = self.break_reg.replace(live);
        let done = self.block(body, Some(live), &mut body_ops);
        self.break_reg = saved;
        done?;
        let next = self.bin(Fn2::Add, Src::Col(i), step, &mut body_ops);
        self.store(i, next, Some(live), &mut body_ops);
        ops.push(Op::While {
            mask: live,
            cond_ops,
            cond: c,
            body: body_ops,
        });
        self.pop_scope();
        Ok(())
    }

    /// The values a FROM loop takes, when its bounds are known at load time
    /// and it runs at most [`MAX_UNROLL`] times: such loops are unrolled, so
    /// array indices in them are constants.
    pub fn unrollable(
        &mut self,
        [from, to]: [&Expr; 2],
        by: Option<&Expr>,
    ) -> Lowered<Option<Vec<f64>>> {
        let mut scratch = Vec::new();
        let bounds = (
            self.expr(from, None, &mut scratch)?,
            self.expr(to, None, &mut scratch)?,
            match by {
                Some(e) => self.expr(e, None, &mut scratch)?,
                None => Src::K(1.0),
            },
        );
        let (Src::K(a), Src::K(b), Src::K(step)) = bounds else {
            for s in [bounds.0, bounds.1, bounds.2] {
                self.release(s);
            }
            return Ok(None);
        };
        if step == 0.0 || !((b - a) / step).is_finite() || (b - a) / step > MAX_UNROLL as f64 {
            return Ok(None);
        }
        let mut values = Vec::new();
        let mut x = a;
        while (step > 0.0 && x <= b) || (step < 0.0 && x >= b) {
            values.push(x);
            x += step;
        }
        Ok(Some(values))
    }

    /// Lowers a call: a math builtin, or an inlined FUNCTION/PROCEDURE.
    pub fn call(
        &mut self,
        name: &str,
        args: &[Expr],
        mask: Option<u32>,
        span: Span,
        ops: &mut Vec<Op>,
    ) -> Lowered<Src> {
        if let Some(&(callee, is_function)) = self.callables.get(name) {
            return self.inline(callee, is_function, args, mask, span, ops);
        }
        if let Some(d) = self.derivative_block(name) {
            // a DERIVATIVE block called as a procedure (nocmodl allows it):
            // its statements run, `x' = e` only evaluates e
            if !args.is_empty() {
                return Err(Diagnostic::error(
                    span,
                    format!("`{name}` takes no arguments"),
                ));
            }
            self.push_barrier();
            let mut result = Ok(());
            for st in &d.body.stmts {
                result = match st {
                    Stmt::Assign {
                        lhs: LValue::Prime { .. },
                        rhs,
                        ..
                    } => self.expr(rhs, mask, ops).map(|v| self.release(v)),
                    other => self.stmt(other, mask, ops),
                };
                if result.is_err() {
                    break;
                }
            }
            self.pop_scope();
            result?;
            return Ok(Src::K(0.0));
        }
        if name == "nrn_ghk" {
            let [v, ci, co, z] = args else {
                return Err(Diagnostic::error(
                    span,
                    "nrn_ghk takes v, ci, co and the valence",
                ));
            };
            let e = ghk(v, ci, co, z, span);
            return self.expr(&e, mask, ops);
        }
        if let Some(r) = super::random::lower_call(self, name, args, mask, span, ops) {
            return r;
        }
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.expr(a, mask, ops)?);
        }
        let arity_error =
            || Diagnostic::error(span, format!("wrong number of arguments for `{name}`"));
        if let Some(r) = super::table::function_table_call(self, name, &vals, mask, span, ops) {
            return r;
        }
        if let Some(kind) = emit_kind(name) {
            return self.emit(kind, vals, mask, span, ops);
        }
        if let Some(op) = self.internal(name, &vals, mask, span, ops)? {
            return Ok(op);
        }
        if name == "at_time" {
            vals.into_iter().for_each(|v| self.release(v));
            return Ok(Src::K(0.0));
        }
        if let Some(f) = fn1(name) {
            let [a] = vals[..] else {
                return Err(arity_error());
            };
            return Ok(self.un(f, a, ops));
        }
        if let Some(f) = fn2(name) {
            let [a, b] = vals[..] else {
                return Err(arity_error());
            };
            return Ok(self.bin(f, a, b, ops));
        }
        Err(Diagnostic::error(
            span,
            format!("`{name}` is not a function Neurite can run yet"),
        ))
    }

    /// The internal calls of translated C ([`super::cverb`]); `None` for
    /// other names.
    fn internal(
        &mut self,
        name: &str,
        vals: &[Src],
        mask: Option<u32>,
        span: Span,
        ops: &mut Vec<Op>,
    ) -> Lowered<Option<Src>> {
        if !name.starts_with('$') {
            return Ok(None);
        }
        let arity = || Diagnostic::error(span, format!("wrong number of arguments for `{name}`"));
        let k_arg = |v: &[Src]| match v {
            [Src::K(k)] if *k >= 1.0 => Ok(*k as usize),
            _ => Err(arity()),
        };
        let out = match name {
            "$trunc" => {
                let [a] = vals[..] else { return Err(arity()) };
                self.un(Fn1::Trunc, a, ops)
            }
            "$veclen" => {
                let [handle] = vals[..] else {
                    return Err(arity());
                };
                let dst = self.temp();
                ops.push(Op::VecLen { dst, handle });
                self.release(handle);
                Src::Col(dst)
            }
            "$vecget" => {
                let [handle, index] = vals[..] else {
                    return Err(arity());
                };
                let dst = self.temp();
                ops.push(Op::VecGet { dst, handle, index });
                self.release(handle);
                self.release(index);
                Src::Col(dst)
            }
            "$ifarg" => {
                let k = k_arg(vals)?;
                match self.hoc_args.clone() {
                    Some((nargs, _)) => self.bin(Fn2::Ge, Src::Col(nargs), Src::K(k as f64), ops),
                    None => Src::K(0.0),
                }
            }
            "$arg" => {
                let k = k_arg(vals)?;
                match self.hoc_args.as_ref().and_then(|(_, a)| a.get(k - 1)) {
                    Some(&r) => Src::Col(r),
                    None => Src::K(0.0),
                }
            }
            "$net_send_at" => {
                let [time, flag] = vals[..] else {
                    return Err(arity());
                };
                ops.push(Op::Emit {
                    kind: EmitKind::Send,
                    time,
                    flag,
                    mask,
                });
                self.release(time);
                self.release(flag);
                Src::K(0.0)
            }
            // NEURON stops the run with the C's message where it is reached
            "$error" => {
                ops.push(Op::Fail { mask });
                Src::K(0.0)
            }
            "$vecset" => {
                let [handle, index, src] = vals[..] else {
                    return Err(arity());
                };
                ops.push(Op::VecSet {
                    handle,
                    index,
                    src,
                    mask,
                });
                for v in [handle, index, src] {
                    self.release(v);
                }
                Src::K(0.0)
            }
            "$vecresize" => {
                let [handle, len] = vals[..] else {
                    return Err(arity());
                };
                ops.push(Op::VecResize { handle, len, mask });
                self.release(handle);
                self.release(len);
                Src::K(0.0)
            }
            "$break" => {
                let Some(live) = self.break_reg else {
                    return Err(Diagnostic::error(span, "C `break` outside a loop"));
                };
                match mask {
                    Some(m) => ops.push(Op::Select {
                        dst: live,
                        mask: m,
                        src: Src::K(0.0),
                    }),
                    None => ops.push(Op::Copy {
                        dst: live,
                        src: Src::K(0.0),
                    }),
                }
                Src::K(0.0)
            }
            "$select" => {
                let [c, a, b] = vals[..] else {
                    return Err(arity());
                };
                let m = self.bin(Fn2::Ne, c, Src::K(0.0), ops);
                let Src::Col(m) = m else {
                    let pick = if m == Src::K(1.0) { a } else { b };
                    return Ok(Some(pick));
                };
                let dst = self.temp();
                ops.push(Op::Copy { dst, src: b });
                ops.push(Op::Select {
                    dst,
                    mask: m,
                    src: a,
                });
                self.release(Src::Col(m));
                self.release(a);
                self.release(b);
                Src::Col(dst)
            }
            _ => return Ok(None),
        };
        Ok(Some(out))
    }

    /// `net_send(delay, flag)` (sent at `t + delay`, as nocmodl writes it),
    /// `net_event(time)`, `net_move(time)`.
    fn emit(
        &mut self,
        kind: EmitKind,
        vals: Vec<Src>,
        mask: Option<u32>,
        span: Span,
        ops: &mut Vec<Op>,
    ) -> Lowered<Src> {
        let t = Src::Col(self.layout.builtin(BuiltinVar::T));
        let (time, flag) = match (kind, &vals[..]) {
            (EmitKind::Send, &[delay, flag]) => (self.bin(Fn2::Add, t, delay, ops), flag),
            (EmitKind::Spike | EmitKind::Move, &[time]) => (time, Src::K(0.0)),
            // NEURON's `nrn_fake_fire(gid, time, out)`: with `out` < 2 the
            // gid's input port spikes; the gid travels in `flag`, which is
            // not finite (and then ignored) for `out` >= 2
            (EmitKind::FakeFire, &[gid, time, out]) => {
                let input = self.bin(Fn2::Lt, out, Src::K(2.0), ops);
                let flag = self.bin(Fn2::Div, gid, input, ops);
                self.release(input);
                (time, flag)
            }
            _ => {
                return Err(Diagnostic::error(
                    span,
                    "wrong number of arguments for an event call",
                ))
            }
        };
        ops.push(Op::Emit {
            kind,
            time,
            flag,
            mask,
        });
        self.release(time);
        self.release(flag);
        Ok(Src::K(0.0))
    }

    fn inline(
        &mut self,
        callee: &'a Callable,
        is_function: bool,
        args: &[Expr],
        mask: Option<u32>,
        span: Span,
        ops: &mut Vec<Op>,
    ) -> Lowered<Src> {
        let name = callee.name.name.clone();
        if args.len() != callee.params.len() {
            return Err(Diagnostic::error(
                span,
                format!("`{name}` takes {} arguments", callee.params.len()),
            ));
        }
        if self.stack.len() >= MAX_INLINE_DEPTH {
            return Err(Diagnostic::error(
                span,
                format!("calls nest deeper than {MAX_INLINE_DEPTH} levels here (recursion through `{name}`); Neurite inlines calls and stops there"),
            ));
        }
        let mut vals = Vec::new();
        for a in args {
            vals.push(self.expr(a, mask, ops)?);
        }
        self.stack.push(name.clone());
        self.push_barrier();
        let result = self.inline_body(callee, is_function, &vals, mask, ops);
        self.pop_scope();
        self.stack.pop();
        vals.into_iter().for_each(|v| self.release(v));
        result
    }

    fn inline_body(
        &mut self,
        callee: &'a Callable,
        is_function: bool,
        vals: &[Src],
        mask: Option<u32>,
        ops: &mut Vec<Op>,
    ) -> Lowered<Src> {
        let mut params = Vec::new();
        for (p, &v) in callee.params.iter().zip(vals) {
            let r = self.bind(&p.name.name, ops);
            ops.push(Op::Copy { dst: r, src: v });
            params.push(r);
        }
        let ret = if is_function {
            Some(self.bind(&callee.name.name, ops))
        } else {
            None
        };
        let Some(body) = &callee.body else {
            return Ok(ret.map_or(Src::K(0.0), Src::Col));
        };
        let table = self.table_for(callee, is_function)?;
        let mut body_ops = Vec::new();
        self.block(body, mask, &mut body_ops)?;
        match table {
            Some((id, outs)) => {
                let outs = ret.map_or(outs, |r| vec![r]);
                let arg = params.first().map_or(Src::K(0.0), |&r| Src::Col(r));
                let flag = self.layout.column("usetable").map_or(Src::K(1.0), Src::Col);
                ops.push(Op::Uniform {
                    flag,
                    then: vec![Op::TableLookup {
                        table: id,
                        arg,
                        outs,
                        mask,
                    }],
                    otherwise: body_ops,
                });
            }
            None => ops.extend(body_ops),
        }
        Ok(ret.map_or(Src::K(0.0), Src::Col))
    }
}

/// NEURON's `nrn_ghk(v, ci, co, z)` (eion.cpp) as an expression:
/// `0.001·z·F·(ci·efun(−x) − co·efun(x))` with `x = z·v/ktf`,
/// `ktf = 1000·R·(celsius + 273.15)/F` (CODATA 2018 R and F), and
/// `efun(x) = 1 − x/2` for `|x| < 1e-4`, else `x/(exp(x) − 1)`.
fn ghk(v: &Expr, ci: &Expr, co: &Expr, z: &Expr, span: Span) -> Expr {
    use super::symbolic::{bin, name, num};
    // CODATA 2018 products, as NEURON's nrnunits.h computes them
    const R: f64 = 1.380649e-23 * 6.02214076e+23;
    const F: f64 = 1.602176634e-19 * 6.02214076e+23;
    let call = |f: &str, args: Vec<Expr>| Expr::Call {
        name: crate::ast::Ident {
            name: f.to_string(),
            span,
        },
        args,
        span,
    };
    let ktf = bin(
        BinOp::Div,
        bin(
            BinOp::Mul,
            bin(BinOp::Mul, num(1000.0, span), num(R, span)),
            bin(BinOp::Add, name("celsius", span), num(273.15, span)),
        ),
        num(F, span),
    );
    let x = bin(BinOp::Div, bin(BinOp::Mul, z.clone(), v.clone()), ktf);
    let efun = |x: Expr| {
        let small = bin(BinOp::Lt, call("fabs", vec![x.clone()]), num(1e-4, span));
        let near = bin(
            BinOp::Sub,
            num(1.0, span),
            bin(BinOp::Div, x.clone(), num(2.0, span)),
        );
        let far = bin(
            BinOp::Div,
            x.clone(),
            bin(BinOp::Sub, call("exp", vec![x]), num(1.0, span)),
        );
        call("$select", vec![small, near, far])
    };
    let eco = bin(BinOp::Mul, co.clone(), efun(x.clone()));
    let eci = bin(
        BinOp::Mul,
        ci.clone(),
        efun(Expr::Unary {
            op: UnOp::Neg,
            operand: Box::new(x),
            span,
        }),
    );
    bin(
        BinOp::Mul,
        bin(
            BinOp::Mul,
            bin(BinOp::Mul, num(0.001, span), z.clone()),
            num(F, span),
        ),
        bin(BinOp::Sub, eci, eco),
    )
}

/// Whether a VERBATIM block among `stmts` (not inside a nested loop) has a
/// C `break`.
fn has_break(stmts: &[Stmt]) -> bool {
    stmts.iter().any(|s| match s {
        Stmt::Verbatim(v) => crate::verbatim::active_code(&v.text)
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| w == "break"),
        Stmt::If {
            then, otherwise, ..
        } => has_break(&then.stmts) || otherwise.as_ref().is_some_and(|o| has_break(&o.stmts)),
        Stmt::Block(b) => has_break(&b.stmts),
        _ => false,
    })
}

/// The error for C that Neurite does not run.
pub fn c_code_error(mech: &Mechanism, span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(
        span,
        format!(
            "mechanism {} needs C code here that Neurite does not run ({what})",
            mech.name
        ),
    )
}

/// Whether `op` is the last op and writes `src` from inputs other than `dst`.
fn writes_only(op: &Op, src: Src, dst: u32) -> bool {
    let reads = |s: &Src| matches!(s, Src::Col(c) if *c == dst);
    match op {
        Op::Un { dst: d, a, .. } => Src::Col(*d) == src && !reads(a),
        Op::Bin { dst: d, a, b, .. } => Src::Col(*d) == src && !reads(a) && !reads(b),
        _ => false,
    }
}

fn fold(frame: &mut super::ir::Frame, op: Op) -> Result<(), super::ir::Fault> {
    let tables = super::table::Tables::default();
    let systems = Systems::default();
    let env = super::ir::Env {
        tables: &tables,
        systems: &systems,
        dt: 0.0,
        emitted: Default::default(),
        vectors: &[],
        netcons: Default::default(),
    };
    super::ir::run(&[op], frame, &env)
}

pub fn bin_fn(op: BinOp) -> Fn2 {
    match op {
        BinOp::Add => Fn2::Add,
        BinOp::Sub => Fn2::Sub,
        BinOp::Mul => Fn2::Mul,
        BinOp::Div => Fn2::Div,
        BinOp::Pow => Fn2::Pow,
        BinOp::Lt => Fn2::Lt,
        BinOp::Le => Fn2::Le,
        BinOp::Gt => Fn2::Gt,
        BinOp::Ge => Fn2::Ge,
        BinOp::Eq => Fn2::Eq,
        BinOp::Ne => Fn2::Ne,
        BinOp::And => Fn2::And,
        BinOp::Or => Fn2::Or,
    }
}

fn emit_kind(name: &str) -> Option<EmitKind> {
    match name {
        "net_send" => Some(EmitKind::Send),
        "net_event" => Some(EmitKind::Spike),
        "net_move" => Some(EmitKind::Move),
        "$fake_fire" => Some(EmitKind::FakeFire),
        _ => None,
    }
}

fn fn1(name: &str) -> Option<Fn1> {
    Some(match name {
        "exp" => Fn1::Exp,
        "log" => Fn1::Log,
        "log10" => Fn1::Log10,
        "sqrt" => Fn1::Sqrt,
        "fabs" => Fn1::Fabs,
        "sin" => Fn1::Sin,
        "cos" => Fn1::Cos,
        "tan" => Fn1::Tan,
        "asin" => Fn1::Asin,
        "acos" => Fn1::Acos,
        "atan" => Fn1::Atan,
        "sinh" => Fn1::Sinh,
        "cosh" => Fn1::Cosh,
        "tanh" => Fn1::Tanh,
        "floor" => Fn1::Floor,
        "ceil" => Fn1::Ceil,
        "exprelr" => Fn1::Exprelr,
        _ => return None,
    })
}

fn fn2(name: &str) -> Option<Fn2> {
    Some(match name {
        "pow" => Fn2::Pow,
        "atan2" => Fn2::Atan2,
        "fmod" => Fn2::Fmod,
        "fmin" => Fn2::Fmin,
        "fmax" => Fn2::Fmax,
        _ => return None,
    })
}
