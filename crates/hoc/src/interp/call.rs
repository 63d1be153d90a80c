//! Calls and objects: user functions (`proc`, `func`, `obfunc`, `iterator`),
//! templates and their instances, `new`, and public members of instances.

use super::place::{flat_index, Place, RefVal};
use super::value::{ObjData, ObjRef, Object, Scope, Slot, Template, UserFunc, Value};
use super::{fault, ArgVal, Flow, Frame, Interpreter, MAX_CALL_DEPTH, R};
use crate::ast::{Expr, ExprKind, FuncKind, Stmt, StmtKind, TemplateDef};
use crate::lexer::ArgKind;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

impl Interpreter {
    /// Evaluates call arguments; plain string and object variables keep their
    /// place so the callee can write back through `$s1` / `$o1`.
    pub(crate) fn eval_args(&mut self, args: &[Expr]) -> R<Vec<ArgVal>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.eval_arg_val(a)?);
        }
        Ok(out)
    }

    fn eval_arg_val(&mut self, a: &Expr) -> R<ArgVal> {
        let by_ref = match &a.kind {
            ExprKind::Name {
                name,
                indices,
                args: None,
            } => {
                matches!(self.lookup(name), Some(Slot::Str(_) | Slot::Obj(_)))
                    && (indices.is_empty() || matches!(self.lookup(name), Some(Slot::Obj(_))))
            }
            ExprKind::Arg {
                kind: ArgKind::Str | ArgKind::Obj,
                ..
            } => true,
            ExprKind::Member { args: None, .. } => {
                // `f(obj.field)`: an objref or strdef field is passed by reference too.
                if let Ok(place @ (Place::Obj(..) | Place::Str(_))) = self.place_of(a, false) {
                    let value = self.read_place(&place)?;
                    return Ok(ArgVal {
                        value,
                        place: Some(place),
                    });
                }
                false
            }
            _ => false,
        };
        if by_ref {
            let place = self.place_of(a, false)?;
            let value = self.read_place(&place)?;
            return Ok(ArgVal {
                value,
                place: Some(place),
            });
        }
        Ok(ArgVal {
            value: self.eval(a)?,
            place: None,
        })
    }

    /// `name(args)` without an object: a user function, a built-in, or a
    /// range variable at a location of the current section.
    pub(crate) fn call_name(&mut self, name: &str, indices: &[Expr], args: &[Expr]) -> R<Value> {
        match self.lookup(name) {
            Some(Slot::Func(f)) => {
                let this = self.owner_of(name);
                let args = self.eval_args(args)?;
                return self.call_user(&f, args, this, None);
            }
            Some(Slot::Section(_)) => {
                return fault(format!("section {name}(x) cannot be used as a value"))
            }
            Some(Slot::Template(_)) => {
                return fault(format!("use 'new {name}(...)' to create an object"))
            }
            Some(_) => return fault(format!("{name} is not a function")),
            None => {}
        }
        if indices.is_empty() {
            if let Some(r) = self.call_builtin(name, args) {
                return r;
            }
        }
        if let Some(r) = self.sim_function(name, args) {
            return r;
        }
        if self.sim.is_range_var(name) || name == "area" || name == "ri" {
            let sec = self.current_section()?;
            let p = self.section_place(sec, name, Some(args))?;
            return self.read_place(&p);
        }
        fault(format!("undefined function {name}"))
    }

    /// A mechanism function through the simulator (`setdata_hh(0.5)`).
    fn sim_function(&mut self, name: &str, args: &[Expr]) -> Option<R<Value>> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            match self.eval(a) {
                Ok(v) => values.push(v),
                Err(e) => return Some(Err(e)),
            }
        }
        let sec = self.current_section().ok();
        if let Some(nums) = values
            .iter()
            .map(|v| match v {
                Value::Num(x) => Some(*x),
                _ => None,
            })
            .collect::<Option<Vec<f64>>>()
        {
            let r = self.sim.call_function(sec, name, &nums)?;
            return Some(r.map(Value::Num).or_else(fault));
        }
        // Vectors, and pointers into them (`&vec.x[0]`: the Vector from
        // that element on), for `table_<name>_<suffix>(...)`
        let mut call = Vec::with_capacity(values.len());
        for v in values {
            call.push(match v {
                Value::Num(x) => crate::sim::CallArg::Num(x),
                Value::Obj(Some(o)) => match &*o.data.borrow() {
                    ObjData::Vector(c) => crate::sim::CallArg::Vector(c.clone()),
                    // `setRNG_StochKv(r)`: the mechanism shares r's stream
                    ObjData::Random(r) => crate::sim::CallArg::Random(r.shared()),
                    _ => return None,
                },
                Value::Ptr(p) if p.index == 0 => crate::sim::CallArg::Vector(p.cells.clone()),
                Value::Ptr(p) => {
                    let tail = p.cells.borrow().get(p.index..).unwrap_or(&[]).to_vec();
                    crate::sim::CallArg::Vector(std::rc::Rc::new(std::cell::RefCell::new(tail)))
                }
                _ => return None,
            });
        }
        let r = self.sim.call_function_args(sec, name, &call)?;
        Some(r.map(Value::Num).or_else(fault))
    }

    /// The object a function found by [`Interpreter::lookup`] belongs to.
    fn owner_of(&self, name: &str) -> Option<ObjRef> {
        let this = self.this()?;
        let owns = match &*this.data.borrow() {
            ObjData::Hoc { template, .. } => template.funcs.contains_key(name),
            _ => false,
        };
        owns.then_some(this)
    }

    /// Runs a user function in a new frame.
    pub(crate) fn call_user(
        &mut self,
        f: &Rc<UserFunc>,
        args: Vec<ArgVal>,
        this: Option<ObjRef>,
        iter_body: Option<(Rc<Stmt>, usize, Rc<crate::span::Source>)>,
    ) -> R<Value> {
        if self.frames.len() > MAX_CALL_DEPTH {
            return fault(format!(
                "calls nested too deeply ({MAX_CALL_DEPTH}) calling {}: runaway recursion?",
                f.def.name
            ));
        }
        self.frames.push(Frame {
            name: f.def.name.clone(),
            args,
            locals: Scope::new(),
            this,
            iter_body,
        });
        let saved_cur = std::mem::replace(&mut self.cur, self.frames.len() - 1);
        let saved_src = std::mem::replace(&mut self.source, f.source.clone());
        let saved_stack = self.sec_stack.len();
        let r = self.exec(&f.def.body);
        self.source = saved_src;
        self.frames.pop();
        self.cur = saved_cur;
        self.sec_stack.truncate(saved_stack);
        match r? {
            Flow::Return(v) => Ok(v),
            _ => Ok(match f.def.kind {
                FuncKind::Func => Value::Num(0.0),
                FuncKind::Obfunc => Value::Obj(None),
                FuncKind::Proc | FuncKind::Iterator => Value::Void,
            }),
        }
    }

    /// `begintemplate`: collects functions, `public` and `external` names;
    /// the other statements run for every new instance.
    pub(crate) fn define_template(&mut self, def: &Rc<TemplateDef>) {
        let mut funcs = HashMap::new();
        let mut public = HashSet::new();
        let mut external = HashSet::new();
        let mut implicit = std::collections::BTreeSet::new();
        for s in &def.body {
            match &s.kind {
                StmtKind::Func(f) => {
                    implicit.extend(super::implicit::assigned_names(&f.body));
                    let uf = UserFunc {
                        def: f.clone(),
                        source: self.source.clone(),
                    };
                    funcs.insert(f.name.clone(), Rc::new(uf));
                }
                StmtKind::Public(names) => public.extend(names.iter().cloned()),
                StmtKind::External(names) => external.extend(names.iter().cloned()),
                StmtKind::Template(inner) => self.define_template(inner),
                _ => implicit.extend(super::implicit::assigned_names(s)),
            }
        }
        // Range variables of mechanisms inserted anywhere in the template are
        // not instance variables.
        let mut mechs = std::collections::BTreeSet::new();
        def.body
            .iter()
            .for_each(|s| super::implicit::inserted(s, &mut mechs));
        implicit.retain(|n| !mechs.iter().any(|m| super::implicit::is_mech_var(n, m)));
        let count = match self.globals.get(&def.name) {
            Some(Slot::Template(t)) => t.count.get(),
            _ => 0,
        };
        let t = Template {
            name: def.name.clone(),
            def: def.clone(),
            source: self.source.clone(),
            funcs,
            public,
            external,
            implicit: implicit.into_iter().collect(),
            count: Cell::new(count),
        };
        self.globals
            .insert(def.name.clone(), Slot::Template(Rc::new(t)));
    }

    /// `new Name(args)`.
    pub(crate) fn new_object(&mut self, name: &str, args: Vec<ArgVal>) -> R<ObjRef> {
        if let Some(Slot::Template(t)) = self.globals.get(name).cloned() {
            return self.instantiate(&t, args);
        }
        match crate::builtins::objects::new_builtin(self, name, args) {
            Some(r) => r,
            None => fault(format!("{name} is not a template")),
        }
    }

    /// The next `Name[index]` of a built-in class.
    pub(crate) fn next_index(&mut self, class: &str) -> usize {
        let live = self.has_live(class);
        let c = self.class_counts.entry(class.to_string()).or_insert(0);
        if !live {
            *c = 0;
        }
        *c += 1;
        *c - 1
    }

    fn instantiate(&mut self, t: &Rc<Template>, args: Vec<ArgVal>) -> R<ObjRef> {
        if !self.has_live(&t.name) {
            t.count.set(0);
        }
        let index = t.count.get();
        t.count.set(index + 1);
        let obj = Rc::new(Object {
            class: t.name.clone(),
            index,
            data: RefCell::new(ObjData::Hoc {
                template: t.clone(),
                fields: Scope::new(),
            }),
        });
        self.register(&obj);
        self.run_template_body(t, &obj)?;
        if let Some(init) = t.funcs.get("init").cloned() {
            self.call_user(&init, args, Some(obj.clone()), None)?;
        }
        Ok(obj)
    }

    fn run_template_body(&mut self, t: &Rc<Template>, obj: &ObjRef) -> R<()> {
        self.frames.push(Frame {
            name: format!("template {}", t.name),
            this: Some(obj.clone()),
            ..Frame::default()
        });
        let saved_cur = std::mem::replace(&mut self.cur, self.frames.len() - 1);
        let saved_src = std::mem::replace(&mut self.source, t.source.clone());
        let mut r = Ok(());
        let implicit = t.implicit.clone();
        for s in &t.def.body {
            let skip = matches!(
                s.kind,
                StmtKind::Func(_)
                    | StmtKind::Template(_)
                    | StmtKind::Public(_)
                    | StmtKind::External(_)
            );
            if !skip {
                if let Err(e) = self.exec(s) {
                    r = Err(e);
                    break;
                }
            }
        }
        if r.is_ok() {
            self.declare_implicit(&implicit);
        }
        self.source = saved_src;
        self.frames.pop();
        self.cur = saved_cur;
        r
    }

    /// `obj.name[idx](args)` on a template instance.
    pub(crate) fn hoc_member(
        &mut self,
        o: &ObjRef,
        name: &str,
        idx: &[f64],
        args: Option<&[Expr]>,
    ) -> R<RefVal> {
        let (template, slot) = match &*o.data.borrow() {
            ObjData::Hoc { template, fields } => (template.clone(), fields.get(name).cloned()),
            _ => return fault("not a template instance"),
        };
        if !template.public.contains(name) {
            return fault(format!("{name} not a public member of {o}"));
        }
        if let Some(f) = template.funcs.get(name).cloned() {
            let args = self.eval_args(args.unwrap_or(&[]))?;
            return self
                .call_user(&f, args, Some(o.clone()), None)
                .map(RefVal::Val);
        }
        match slot {
            Some(Slot::Section(arr)) => {
                let i = flat_index(name, &arr.dims, idx)?;
                Ok(RefVal::Sec(arr.ids[i]))
            }
            Some(slot) => {
                let p: Place = self.slot_place(name, slot, idx)?;
                Ok(RefVal::Val(self.read_place(&p)?))
            }
            None => fault(format!("{o}.{name} was declared public but never defined")),
        }
    }

    /// `for iter(args) stmt` / `for obj.iter(args) stmt`.
    pub(crate) fn run_iterator(&mut self, call: &Expr, body: &Rc<Stmt>) -> R<Flow> {
        let (f, this, args) = match &call.kind {
            ExprKind::Name { name, args, .. } => match self.lookup(name) {
                Some(Slot::Func(f)) => (f, self.owner_of(name), args.as_deref()),
                _ => return fault(format!("{name} is not an iterator")),
            },
            ExprKind::Member {
                base, name, args, ..
            } => {
                let o = match self.eval(base)? {
                    Value::Obj(Some(o)) => o,
                    _ => return fault(format!("left of '.{name}' is not an object")),
                };
                let f = match &*o.data.borrow() {
                    ObjData::Hoc { template, .. } if template.public.contains(name) => {
                        template.funcs.get(name).cloned()
                    }
                    _ => None,
                };
                match f {
                    Some(f) => (f, Some(o), args.as_deref()),
                    None => return fault(format!("{name} is not a public iterator of {o}")),
                }
            }
            _ => return fault("for: expected 'var = a, b' or an iterator call"),
        };
        if f.def.kind != FuncKind::Iterator {
            return fault(format!("{} is not an iterator", f.def.name));
        }
        let args = self.eval_args(args.unwrap_or(&[]))?;
        let src = self.source.clone();
        self.call_user(&f, args, this, Some((body.clone(), self.cur, src)))?;
        Ok(Flow::Normal)
    }

    /// `iterator_statement`: runs the caller's loop body in the caller's frame.
    pub(crate) fn iterator_statement(&mut self) -> R<Flow> {
        let Some((body, caller, src)) = self.frame().iter_body.clone() else {
            return fault("iterator_statement used outside an iterator");
        };
        let saved = std::mem::replace(&mut self.cur, caller);
        let saved_src = std::mem::replace(&mut self.source, src);
        let r = self.exec(&body);
        self.cur = saved;
        self.source = saved_src;
        match r? {
            Flow::Break => Ok(Flow::Return(Value::Void)),
            Flow::Return(v) => Ok(Flow::Return(v)),
            _ => Ok(Flow::Normal),
        }
    }
}
