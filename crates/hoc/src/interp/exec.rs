//! Statements: control flow, declarations, `print`, function and template
//! definitions. Section statements are in [`super::section`].

use super::value::{NumArray, ObjArray, Slot, UserFunc, Value};
use super::{fault, Flow, Interpreter, R};
use crate::ast::{Decl, Expr, Stmt, StmtKind};
use crate::builtins::format::{fmt_num, obj_name};
use std::cell::RefCell;
use std::rc::Rc;

/// Largest array HOC code may declare (elements), to fail cleanly on typos.
const MAX_ARRAY: usize = 100_000_000;

impl Interpreter {
    pub(crate) fn exec(&mut self, stmt: &Stmt) -> R<Flow> {
        if let Some(n) = &mut self.steps_left {
            if *n == 0 {
                return Err(self.locate(
                    super::Fault {
                        message: "step limit reached".into(),
                        location: None,
                    },
                    stmt.span,
                ));
            }
            *n -= 1;
        }
        self.exec_kind(&stmt.kind)
            .map_err(|f| self.locate(f, stmt.span))
    }

    fn exec_kind(&mut self, kind: &StmtKind) -> R<Flow> {
        match kind {
            StmtKind::Expr { expr, print_value } => {
                let v = self.eval(expr)?;
                if *print_value {
                    let v = match (&expr.kind, v) {
                        (crate::ast::ExprKind::Member { .. }, Value::Void) => Value::Num(0.0),
                        (_, v) => v,
                    };
                    self.print_value(&v);
                }
                Ok(Flow::Normal)
            }
            StmtKind::Print(items) => self.print_stmt(items),
            StmtKind::Block(stmts) => self.exec_block(stmts),
            StmtKind::If { cond, then, els } => {
                if self.eval_num(cond)? != 0.0 {
                    self.exec(then)
                } else if let Some(e) = els {
                    self.exec(e)
                } else {
                    Ok(Flow::Normal)
                }
            }
            StmtKind::While { cond, body } => self.exec_while(cond, body),
            StmtKind::ForC {
                init,
                cond,
                step,
                body,
            } => self.exec_for_c(init.as_deref(), cond.as_ref(), step.as_deref(), body),
            StmtKind::ForRange {
                var,
                from,
                to,
                body,
            } => self.exec_for_range(var, from, to, body),
            StmtKind::ForIter { call, body } => self.run_iterator(call, body),
            StmtKind::Break => Ok(Flow::Break),
            StmtKind::Continue => Ok(Flow::Continue),
            StmtKind::Stop => Ok(Flow::Stop),
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Void,
                };
                Ok(Flow::Return(v))
            }
            StmtKind::IteratorStatement => self.iterator_statement(),
            _ => self.exec_decl(kind),
        }
    }

    fn exec_decl(&mut self, kind: &StmtKind) -> R<Flow> {
        match kind {
            StmtKind::Local(decls) => self.declare_locals(decls, false)?,
            StmtKind::LocalObj(decls) => self.declare_locals(decls, true)?,
            StmtKind::Strdef(decls) => {
                for d in decls {
                    self.check_redeclare(&d.name)?;
                    self.declare(&d.name, Slot::Str(Rc::new(RefCell::new(String::new()))));
                }
            }
            StmtKind::Double(decls) => {
                for d in decls {
                    let slot = self.num_slot(d)?;
                    self.declare(&d.name, slot);
                }
            }
            StmtKind::Objref(decls) => self.declare_objrefs(decls)?,
            StmtKind::Func(def) => {
                let f = UserFunc {
                    def: def.clone(),
                    source: self.source.clone(),
                };
                self.declare(&def.name, Slot::Func(Rc::new(f)));
                if self.this().is_none() {
                    let names = super::implicit::assigned_names(&def.body);
                    self.declare_implicit(&names);
                }
            }
            StmtKind::Template(def) => self.define_template(def),
            StmtKind::Public(_) | StmtKind::External(_) | StmtKind::Empty => {}
            other => return self.exec_section_stmt(other),
        }
        Ok(Flow::Normal)
    }

    pub(crate) fn dims(&mut self, d: &Decl) -> R<Vec<usize>> {
        let mut dims = Vec::new();
        let mut total = 1usize;
        for e in &d.dims {
            let v = self.eval_num(e)?;
            if v.is_nan() || v < 1.0 - 1e-9 || v > MAX_ARRAY as f64 {
                return fault(format!(
                    "array {} dimension must be at least 1, got {}",
                    d.name,
                    fmt_num(v)
                ));
            }
            let n = (v + 1e-9) as usize;
            total = total.saturating_mul(n);
            dims.push(n);
        }
        if total > MAX_ARRAY {
            return fault(format!("array {} is too large ({total} elements)", d.name));
        }
        Ok(dims)
    }

    fn num_slot(&mut self, d: &Decl) -> R<Slot> {
        let dims = self.dims(d)?;
        let n = dims.iter().product::<usize>().max(1);
        Ok(Slot::Num(NumArray {
            dims,
            cells: Rc::new(RefCell::new(vec![0.0; n])),
        }))
    }

    fn obj_slot(&mut self, d: &Decl) -> R<Slot> {
        let dims = self.dims(d)?;
        let n = dims.iter().product::<usize>().max(1);
        Ok(Slot::Obj(ObjArray {
            dims,
            cells: Rc::new(RefCell::new(vec![None; n])),
        }))
    }

    fn declare_locals(&mut self, decls: &[Decl], obj: bool) -> R<()> {
        if self.cur == 0 {
            return fault("local and localobj are only allowed inside a function");
        }
        for d in decls {
            let slot = if obj {
                self.obj_slot(d)?
            } else {
                self.num_slot(d)?
            };
            let cur = self.cur;
            self.frames[cur].locals.insert(d.name.clone(), slot);
        }
        Ok(())
    }

    /// Names the simulator owns (`t`, `v`, `L`...) cannot become strings or objects.
    fn check_redeclare(&self, name: &str) -> R<()> {
        if self.this().is_some() {
            return Ok(());
        }
        if self.sim.get_global(name).is_some()
            || self.sim.is_range_var(name)
            || super::place::SECTION_PROPS.contains(&name)
        {
            return fault(format!("{name} : Redeclaring at top level"));
        }
        Ok(())
    }

    fn declare_objrefs(&mut self, decls: &[Decl]) -> R<()> {
        for d in decls {
            self.check_redeclare(&d.name)?;
            if d.name == "this" {
                // `objref this` in a template names the object itself.
                continue;
            }
            // Re-declaring a scalar objref keeps its object, as NEURON does.
            if d.dims.is_empty() {
                if let Some(Slot::Obj(a)) = self.lookup(&d.name) {
                    if a.dims.is_empty() && !self.frame().locals.contains_key(&d.name) {
                        continue;
                    }
                }
            }
            let slot = self.obj_slot(d)?;
            self.declare(&d.name, slot);
        }
        Ok(())
    }

    pub(crate) fn exec_block(&mut self, stmts: &[Stmt]) -> R<Flow> {
        for s in stmts {
            match self.exec(s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_while(&mut self, cond: &Expr, body: &Stmt) -> R<Flow> {
        while self.eval_num(cond)? != 0.0 {
            match self.exec(body)? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_for_c(
        &mut self,
        init: Option<&Stmt>,
        cond: Option<&Expr>,
        step: Option<&Stmt>,
        body: &Stmt,
    ) -> R<Flow> {
        if let Some(i) = init {
            self.exec(i)?;
        }
        loop {
            if let Some(c) = cond {
                if self.eval_num(c)? == 0.0 {
                    break;
                }
            }
            match self.exec(body)? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
                other => return Ok(other),
            }
            if let Some(s) = step {
                self.exec(s)?;
            }
        }
        Ok(Flow::Normal)
    }

    /// `for i = a, b`: both bounds evaluated once; `i` runs up to `b + float_epsilon`.
    fn exec_for_range(&mut self, var: &Expr, from: &Expr, to: &Expr, body: &Stmt) -> R<Flow> {
        let first = self.eval_num(from)?;
        let last = self.eval_num(to)? + 1e-11;
        let place = self.place_of(var, true)?;
        self.write_place(&place, Value::Num(first))?;
        loop {
            let Value::Num(i) = self.read_place(&place)? else {
                return fault("for loop variable must be a number");
            };
            if i > last {
                break;
            }
            match self.exec(body)? {
                Flow::Break => break,
                Flow::Normal | Flow::Continue => {}
                other => return Ok(other),
            }
            let Value::Num(i) = self.read_place(&place)? else {
                return fault("for loop variable must be a number");
            };
            self.write_place(&place, Value::Num(i + 1.0))?;
        }
        Ok(Flow::Normal)
    }

    /// HOC prints a top-level expression's value: a tab, the value, a space.
    pub(crate) fn print_value(&mut self, v: &Value) {
        let s = match v {
            Value::Num(x) => format!("\t{} \n", fmt_num(*x)),
            Value::Str(s) => format!("{s}\n"),
            Value::Obj(o) => format!("\t{} \n", obj_name(o)),
            Value::Ptr(_) | Value::SimRef(_) | Value::Void => return,
        };
        self.write_out(&s);
    }

    fn print_stmt(&mut self, items: &[Expr]) -> R<Flow> {
        for e in items {
            let member = matches!(e.kind, crate::ast::ExprKind::Member { .. });
            let s = match self.eval(e)? {
                Value::Num(x) => format!("{} ", fmt_num(x)),
                // A string reached through an object prints like a number, with a space.
                Value::Str(s) if member => format!("{s} "),
                Value::Str(s) => s,
                Value::Obj(o) => format!("{} ", obj_name(&o)),
                v => return fault(format!("print cannot print {}", v.type_name())),
            };
            self.write_out(&s);
        }
        self.write_out("\n");
        Ok(Flow::Normal)
    }
}
