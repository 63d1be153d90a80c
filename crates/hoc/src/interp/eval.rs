//! Expressions: arithmetic with HOC's tolerant comparisons (`float_epsilon`),
//! names, members, assignment and `&` pointers.

use super::place::{Place, RefVal, SECTION_PROPS};
use super::value::{ObjData, Slot, Value};
use super::{fault, Interpreter, R};
use crate::ast::{BinOp, Expr, ExprKind};
use crate::lexer::{ArgKind, AssignOp};
use crate::sim::RecordSource;

impl Interpreter {
    pub(crate) fn eval(&mut self, e: &Expr) -> R<Value> {
        match &e.kind {
            ExprKind::Num(v) => Ok(Value::Num(*v)),
            ExprKind::Str(s) => Ok(Value::Str(s.clone())),
            ExprKind::Arg { kind, n, index } => self.eval_arg(*kind, *n, index.as_deref()),
            ExprKind::Name {
                name,
                indices,
                args,
            } => match args {
                Some(args) => self.call_name(name, indices, args),
                None => self.read_name(name, indices),
            },
            ExprKind::Member { .. } => match self.eval_ref(e)? {
                RefVal::Val(v) => Ok(v),
                RefVal::Sec(_) => fault("a section cannot be used as a value"),
            },
            ExprKind::New { template, args } => {
                let args = self.eval_args(args)?;
                self.new_object(template, args).map(|o| Value::Obj(Some(o)))
            }
            ExprKind::Neg(a) => Ok(Value::Num(-self.eval_num(a)?)),
            ExprKind::Not(a) => Ok(Value::Num(bool_num(self.eval_num(a)? == 0.0))),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b),
            ExprKind::Assign { op, target, value } => self.assign(*op, target, value),
            ExprKind::AddrOf(inner) => self.address_of(inner),
            ExprKind::Interval(..) => fault("'a:b' is only allowed in rangevar(a:b) = y0:y1"),
        }
    }

    pub(crate) fn eval_num(&mut self, e: &Expr) -> R<f64> {
        match self.eval(e)? {
            Value::Num(v) => Ok(v),
            v => fault(format!("expected a number, got {}", v.type_name())),
        }
    }

    fn epsilon(&self) -> f64 {
        match self.builtin_vars.get("float_epsilon") {
            Some(Slot::Num(a)) => a.cells.borrow().first().copied().unwrap_or(1e-11),
            _ => 1e-11,
        }
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr) -> R<Value> {
        let va = self.eval(a)?;
        let vb = self.eval(b)?;
        if matches!(op, BinOp::Eq | BinOp::Ne) {
            let eq = self.values_equal(&va, &vb)?;
            return Ok(Value::Num(bool_num(eq == (op == BinOp::Eq))));
        }
        let (Value::Num(x), Value::Num(y)) = (&va, &vb) else {
            return fault(format!(
                "operator {op:?} needs numbers, got {} and {}",
                va.type_name(),
                vb.type_name()
            ));
        };
        let (x, y, eps) = (*x, *y, self.epsilon());
        let r = match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => {
                if y == 0.0 {
                    return fault("division by zero");
                }
                x / y
            }
            BinOp::Mod => modulus(x, y)?,
            BinOp::Pow => power(x, y)?,
            BinOp::Lt => bool_num(x < y - eps),
            BinOp::Le => bool_num(x <= y + eps),
            BinOp::Gt => bool_num(x > y + eps),
            BinOp::Ge => bool_num(x >= y - eps),
            BinOp::And => bool_num(x != 0.0 && y != 0.0),
            BinOp::Or => bool_num(x != 0.0 || y != 0.0),
            BinOp::Eq | BinOp::Ne => 0.0,
        };
        Ok(Value::Num(r))
    }

    fn values_equal(&self, a: &Value, b: &Value) -> R<bool> {
        let eps = self.epsilon();
        match (a, b) {
            (Value::Num(x), Value::Num(y)) => Ok(*x <= y + eps && *x >= y - eps),
            (Value::Str(x), Value::Str(y)) => Ok(x == y),
            (Value::Obj(x), Value::Obj(y)) => Ok(match (x, y) {
                (Some(x), Some(y)) => std::rc::Rc::ptr_eq(x, y),
                (None, None) => true,
                _ => false,
            }),
            _ => fault(format!(
                "don't know how to compare {} with {}",
                a.type_name(),
                b.type_name()
            )),
        }
    }

    fn eval_arg(&mut self, kind: ArgKind, n: u32, index: Option<&Expr>) -> R<Value> {
        let place = self.place_of(
            &Expr::new(
                ExprKind::Arg {
                    kind,
                    n,
                    index: index.map(|e| Box::new(e.clone())),
                },
                Default::default(),
            ),
            false,
        )?;
        let v = self.read_place(&place)?;
        let ok = matches!(
            (kind, &v),
            (ArgKind::Num | ArgKind::Ref, Value::Num(_))
                | (ArgKind::Str, Value::Str(_))
                | (ArgKind::Obj, Value::Obj(_))
        );
        if !ok {
            let want = match kind {
                ArgKind::Num | ArgKind::Ref => "a number",
                ArgKind::Str => "a string",
                ArgKind::Obj => "an object",
            };
            return fault(format!(
                "argument {n} should be {want} but is {}",
                v.type_name()
            ));
        }
        Ok(v)
    }

    fn read_name(&mut self, name: &str, indices: &[Expr]) -> R<Value> {
        if name == "this" && indices.is_empty() {
            return Ok(Value::Obj(self.this()));
        }
        match self.lookup(name) {
            Some(Slot::Func(f)) => return self.call_user(&f, Vec::new(), self.this(), None),
            Some(Slot::Section(_)) => {
                return fault(format!("section {name} cannot be used as a value"))
            }
            Some(Slot::Template(_)) if !indices.is_empty() => {
                let i = self.eval_num(&indices[0])?.max(0.0) as usize;
                return match self.instance(name, i) {
                    Some(o) => Ok(Value::Obj(Some(o))),
                    None => fault(format!("{name}[{i}] does not exist")),
                };
            }
            Some(slot) => {
                let idx = self.eval_indices(indices)?;
                let p = self.slot_place(name, slot, &idx)?;
                return self.read_place(&p);
            }
            None => {}
        }
        if let Some(v) = self.sim.get_global(name) {
            return Ok(Value::Num(v));
        }
        if SECTION_PROPS.contains(&name) || self.sim.is_range_var(name) {
            let sec = self.current_section()?;
            let p = self.section_place(sec, name, None)?;
            return self.read_place(&p);
        }
        if crate::builtins::objects::is_builtin_class(name) && !indices.is_empty() {
            let i = self.eval_num(&indices[0])?;
            return crate::builtins::objects::class_instance(self, name, i);
        }
        if let Some(r) = self.call_builtin(name, &[]) {
            return r;
        }
        fault(format!("undefined variable {name}"))
    }

    /// Evaluates a reference once, keeping a section as a section.
    pub(crate) fn eval_ref(&mut self, e: &Expr) -> R<RefVal> {
        match &e.kind {
            ExprKind::Name {
                name,
                indices,
                args: None,
            } => {
                if let Some(Slot::Section(arr)) = self.lookup(name) {
                    let idx = self.eval_indices(indices)?;
                    let i = super::place::flat_index(name, &arr.dims, &idx)?;
                    return Ok(RefVal::Sec(arr.ids[i]));
                }
                Ok(RefVal::Val(self.eval(e)?))
            }
            ExprKind::Member {
                base,
                name,
                indices,
                args,
            } => {
                let idx = self.eval_indices(indices)?;
                match self.eval_ref(base)? {
                    RefVal::Sec(sec) => {
                        let p = self.section_place(sec, name, args.as_deref())?;
                        Ok(RefVal::Val(self.read_place(&p)?))
                    }
                    RefVal::Val(Value::Obj(Some(o))) => {
                        self.obj_member(&o, name, &idx, args.as_deref())
                    }
                    RefVal::Val(Value::Obj(None)) => {
                        fault(format!("nil object has no member {name}"))
                    }
                    RefVal::Val(v) => fault(format!(
                        "left of '.{name}' is {}, not an object",
                        v.type_name()
                    )),
                }
            }
            _ => Ok(RefVal::Val(self.eval(e)?)),
        }
    }

    /// The section an expression names, if it names one.
    pub(crate) fn section_of(&mut self, e: &Expr) -> R<Option<crate::sim::SecId>> {
        Ok(match self.eval_ref(e)? {
            RefVal::Sec(s) => Some(s),
            RefVal::Val(_) => None,
        })
    }

    fn assign(&mut self, op: AssignOp, target: &Expr, value: &Expr) -> R<Value> {
        let v = self.eval(value)?;
        if let ExprKind::Name {
            name,
            indices,
            args: None,
        } = &target.kind
        {
            if indices.is_empty() && self.lookup(name).is_none() {
                self.declare_for_value(name, &v);
            }
        }
        let place = self.place_of(target, true)?;
        let v = match (op, v) {
            (AssignOp::Set, v) => v,
            (op, Value::Num(y)) => {
                let Value::Num(x) = self.read_place(&place)? else {
                    return fault("+=, -=, *= and /= need a number on the left");
                };
                Value::Num(match op {
                    AssignOp::Add => x + y,
                    AssignOp::Sub => x - y,
                    AssignOp::Mul => x * y,
                    _ if y == 0.0 => return fault("division by zero"),
                    _ => x / y,
                })
            }
            (_, v) => return fault(format!("+=, -=, *= and /= cannot take {}", v.type_name())),
        };
        self.write_place(&place, v.clone())?;
        Ok(v)
    }

    fn declare_for_value(&mut self, name: &str, v: &Value) {
        let slot = match v {
            Value::Obj(_) => Slot::Obj(super::value::ObjArray {
                dims: Vec::new(),
                cells: std::rc::Rc::new(std::cell::RefCell::new(vec![None])),
            }),
            Value::Str(_) => Slot::Str(Default::default()),
            _ => return,
        };
        if self.sim.get_global(name).is_none() && !self.sim.is_range_var(name) {
            self.declare(name, slot);
        }
    }

    pub(crate) fn address_of(&mut self, inner: &Expr) -> R<Value> {
        if let ExprKind::Name { name, .. } = &inner.kind {
            if self.lookup(name).is_none()
                && self.sim.get_global(name).is_none()
                && !self.sim.is_range_var(name)
                && !SECTION_PROPS.contains(&name.as_str())
            {
                return fault(format!("&{name}: undefined variable"));
            }
        }
        match self.place_of(inner, false)? {
            Place::Num(p) => Ok(Value::Ptr(p)),
            Place::Range { sec, name, x } => Ok(Value::SimRef(RecordSource::Range {
                sec,
                name,
                x: x.unwrap_or(0.5),
            })),
            Place::Global(g) => Ok(Value::SimRef(RecordSource::Global(g))),
            Place::Pp { pp, name } => Ok(Value::SimRef(RecordSource::PointProcess { pp, name })),
            Place::Arg { frame, n } => match &self.frames[frame].args[n - 1].value {
                Value::Ptr(p) => Ok(Value::Ptr(p.clone())),
                _ => fault("&$n: only a pointer argument can be pointed at"),
            },
            _ => fault("& needs a number variable"),
        }
    }

    /// `obj.name[idx](args)` on an object.
    pub(crate) fn obj_member(
        &mut self,
        o: &super::value::ObjRef,
        name: &str,
        idx: &[f64],
        args: Option<&[Expr]>,
    ) -> R<RefVal> {
        let hoc = matches!(&*o.data.borrow(), ObjData::Hoc { .. });
        if hoc {
            return self.hoc_member(o, name, idx, args);
        }
        let args = match args {
            Some(a) => Some(self.eval_args(a)?),
            None => None,
        };
        crate::builtins::objects::member(self, o, name, idx, args)
    }
}

fn bool_num(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// HOC's `%`: the result is in `[0, y)` (NEURON's `hoc_cyclic`).
fn modulus(x: f64, y: f64) -> R<f64> {
    if y <= 0.0 {
        return fault("a%b, b<=0");
    }
    let mut r = x;
    if r >= y {
        r = x - (x / y).floor() * y;
    } else if r <= -y {
        r = x + (-x / y).floor() * y;
    }
    if r > y {
        r -= y;
    }
    if r < 0.0 {
        r += y;
    }
    Ok(r)
}

fn power(x: f64, y: f64) -> R<f64> {
    if x < 0.0 && y.fract() != 0.0 {
        return fault("negative number raised to a non-integer power");
    }
    if x == 0.0 && y < 0.0 {
        return fault("0 raised to a negative power");
    }
    Ok(x.powf(y))
}
