//! Names and places: resolving a name in HOC's scopes (locals, then the
//! running object's fields and functions, then the top level or, inside a
//! template, only `external` names and built-ins), and turning an expression
//! into a [`Place`] that can be read, written or pointed at.

use super::value::{NumArray, ObjArray, ObjData, ObjRef, Pointer, Slot, Value};
use super::{fault, Interpreter, R};
use crate::ast::{Expr, ExprKind};
use crate::lexer::ArgKind;
use crate::sim::{PpId, SecId};
use std::cell::RefCell;
use std::rc::Rc;

/// Somewhere a value can be stored.
#[derive(Clone, Debug)]
pub(crate) enum Place {
    Num(Pointer),
    Obj(Rc<RefCell<Vec<Option<ObjRef>>>>, usize),
    Str(Rc<RefCell<String>>),
    /// A range variable; `x == None` means every segment.
    Range {
        sec: SecId,
        name: String,
        x: Option<f64>,
    },
    Prop {
        sec: SecId,
        name: String,
    },
    Global(String),
    Pp {
        pp: PpId,
        name: String,
    },
    Inert(ObjRef, String),
    NetCon {
        nc: crate::sim::NcId,
        name: String,
        index: usize,
    },
    /// `$1`, `$s1`, `$o1` of frame `frame`.
    Arg {
        frame: usize,
        n: usize,
    },
}

/// A reference evaluated once: a section, or a value.
pub(crate) enum RefVal {
    Sec(SecId),
    Val(Value),
}

/// Section properties that are not per segment.
pub(crate) const SECTION_PROPS: &[&str] = &["L", "nseg", "Ra", "rallbranch"];

/// The flat index of `indices` into an array of `dims`; fewer indices than
/// dimensions means the missing ones are 0 (as HOC reads `x` of `x[3]` as `x[0]`).
pub(crate) fn flat_index(name: &str, dims: &[usize], indices: &[f64]) -> R<usize> {
    if indices.len() > dims.len() {
        return if dims.is_empty() {
            fault(format!("{name} is not an array"))
        } else {
            fault(format!(
                "{name} has {} dimension(s) but {} indices were given",
                dims.len(),
                indices.len()
            ))
        };
    }
    let mut flat = 0usize;
    for (k, d) in dims.iter().enumerate() {
        let v = indices.get(k).copied().unwrap_or(0.0);
        // C's (int)(v + epsilon): truncation, so -0.5 and -1 read element 0 as in NEURON.
        let i = (v + 1e-11).trunc();
        if !(0.0..*d as f64).contains(&i) {
            return fault(format!(
                "subscript {} of {name} out of range 0..{}",
                super::super::builtins::format::fmt_num(v),
                d.saturating_sub(1)
            ));
        }
        flat = flat * d + i as usize;
    }
    Ok(flat)
}

impl Interpreter {
    /// Finds what `name` means here, without creating it.
    pub(crate) fn lookup(&self, name: &str) -> Option<Slot> {
        if let Some(s) = self.frame().locals.get(name) {
            return Some(s.clone());
        }
        if let Some(this) = self.this() {
            if let ObjData::Hoc { template, fields } = &*this.data.borrow() {
                if let Some(s) = fields.get(name) {
                    return Some(s.clone());
                }
                if let Some(f) = template.funcs.get(name) {
                    return Some(Slot::Func(f.clone()));
                }
                if !template.external.contains(name) {
                    return match self.globals.get(name) {
                        Some(t @ Slot::Template(_)) => Some(t.clone()),
                        _ => self.builtin_vars.get(name).cloned(),
                    };
                }
            }
        }
        self.globals
            .get(name)
            .or_else(|| self.builtin_vars.get(name))
            .cloned()
    }

    /// Declares `name` in the current scope (the running object's fields, or the top level).
    pub(crate) fn declare(&mut self, name: &str, slot: Slot) {
        if let Some(this) = self.this() {
            if let ObjData::Hoc { fields, .. } = &mut *this.data.borrow_mut() {
                fields.insert(name.to_string(), slot);
                return;
            }
        }
        self.globals.insert(name.to_string(), slot);
    }

    pub(crate) fn eval_indices(&mut self, indices: &[Expr]) -> R<Vec<f64>> {
        indices.iter().map(|e| self.eval_num(e)).collect()
    }

    /// The section that unqualified section syntax applies to.
    pub(crate) fn current_section(&mut self) -> R<SecId> {
        if let Some(s) = self.sec_stack.last() {
            return Ok(*s);
        }
        if let Some(s) = self.accessed {
            return Ok(s);
        }
        match self.sim.sections().first() {
            Some(s) => {
                self.accessed = Some(*s);
                Ok(*s)
            }
            None => fault("Section access unspecified (no section exists yet)"),
        }
    }

    /// Place of a slot element.
    pub(crate) fn slot_place(&mut self, name: &str, slot: Slot, idx: &[f64]) -> R<Place> {
        match slot {
            Slot::Num(NumArray { dims, cells }) => {
                let index = flat_index(name, &dims, idx)?;
                Ok(Place::Num(Pointer { cells, index }))
            }
            Slot::Obj(ObjArray { dims, cells }) => {
                let index = flat_index(name, &dims, idx)?;
                Ok(Place::Obj(cells, index))
            }
            Slot::Str(s) if idx.is_empty() => Ok(Place::Str(s)),
            Slot::Str(_) => fault(format!("{name} is a string, not an array")),
            Slot::Func(_) => fault(format!("{name} is a function, not a variable")),
            Slot::Section(_) => fault(format!("{name} is a section, not a variable")),
            Slot::Template(_) => fault(format!("{name} is a template, not a variable")),
        }
    }

    /// The place an expression names. With `create`, an unknown plain name
    /// becomes a new number variable (HOC declares on first assignment).
    pub(crate) fn place_of(&mut self, e: &Expr, create: bool) -> R<Place> {
        match &e.kind {
            ExprKind::Name {
                name,
                indices,
                args,
            } => self.name_place(name, indices, args.as_deref(), create),
            ExprKind::Member {
                base,
                name,
                indices,
                args,
            } => {
                let idx = self.eval_indices(indices)?;
                match self.eval_ref(base)? {
                    RefVal::Sec(sec) => self.section_place(sec, name, args.as_deref()),
                    RefVal::Val(Value::Obj(Some(o))) => {
                        self.member_place(&o, name, &idx, args.as_deref())
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
            ExprKind::Arg { kind, n, index } => self.arg_place(*kind, *n, index.as_deref()),
            _ => fault("this expression cannot be assigned to"),
        }
    }

    fn name_place(
        &mut self,
        name: &str,
        indices: &[Expr],
        args: Option<&[Expr]>,
        create: bool,
    ) -> R<Place> {
        if let Some(args) = args {
            let sec = self.current_section()?;
            return self.section_place(sec, name, Some(args));
        }
        let idx = self.eval_indices(indices)?;
        if let Some(slot) = self.lookup(name) {
            return self.slot_place(name, slot, &idx);
        }
        if self.sim.get_global(name).is_some() {
            return Ok(Place::Global(name.to_string()));
        }
        if SECTION_PROPS.contains(&name) || self.sim.is_range_var(name) {
            let sec = self.current_section()?;
            return self.section_place(sec, name, None);
        }
        if create && idx.is_empty() {
            let slot = Slot::num(0.0);
            self.declare(name, slot.clone());
            return self.slot_place(name, slot, &[]);
        }
        fault(format!("undefined variable {name}"))
    }

    pub(crate) fn section_place(
        &mut self,
        sec: SecId,
        name: &str,
        args: Option<&[Expr]>,
    ) -> R<Place> {
        if SECTION_PROPS.contains(&name) {
            return Ok(Place::Prop {
                sec,
                name: name.to_string(),
            });
        }
        let x = match args {
            Some([a]) => Some(self.eval_num(a)?),
            Some([]) | None => None,
            Some(_) => return fault(format!("{name}(x) takes one location")),
        };
        Ok(Place::Range {
            sec,
            name: name.to_string(),
            x,
        })
    }

    pub(crate) fn member_place(
        &mut self,
        o: &ObjRef,
        name: &str,
        idx: &[f64],
        args: Option<&[Expr]>,
    ) -> R<Place> {
        let data = o.data.borrow();
        match &*data {
            ObjData::Hoc { template, fields } => {
                if !template.public.contains(name) {
                    return fault(format!("{name} is not a public member of {o}"));
                }
                let slot = fields.get(name).cloned();
                drop(data);
                match slot {
                    Some(slot) => self.slot_place(name, slot, idx),
                    None => fault(format!("{o}.{name} was declared public but never defined")),
                }
            }
            ObjData::Vector(cells) if name == "x" => {
                let index = flat_index("Vector.x", &[cells.borrow().len()], idx)?;
                Ok(Place::Num(Pointer {
                    cells: cells.clone(),
                    index,
                }))
            }
            ObjData::Matrix { nrow, ncol, data } if name == "x" => {
                let index = flat_index("Matrix.x", &[*nrow, *ncol], idx)?;
                Ok(Place::Num(Pointer {
                    cells: data.clone(),
                    index,
                }))
            }
            ObjData::NetCon(nc) => Ok(Place::NetCon {
                nc: *nc,
                name: name.to_string(),
                index: idx.first().copied().unwrap_or(0.0).max(0.0) as usize,
            }),
            // An array element of a point process (VClamp's `dur[1]`) is the
            // column named `dur[1]`.
            ObjData::PointProcess(pp) => Ok(Place::Pp {
                pp: *pp,
                name: match idx.first() {
                    Some(i) => format!("{name}[{}]", i.max(0.0) as usize),
                    None => name.to_string(),
                },
            }),
            ObjData::Inert(_) | ObjData::Import3d(_) => {
                Ok(Place::Inert(o.clone(), name.to_string()))
            }
            _ => {
                let _ = args;
                fault(format!("{o} has no assignable member {name}"))
            }
        }
    }

    fn arg_place(&mut self, kind: ArgKind, n: u32, index: Option<&Expr>) -> R<Place> {
        let mut n = n as usize;
        if n == 0 {
            // `$i`, `$si`, `$oi`, `$&i`: the argument numbered by the local variable `i`.
            let i = match self.frame().locals.get("i") {
                Some(Slot::Num(a)) => a.cells.borrow().first().copied().unwrap_or(0.0),
                _ => return fault("$i needs a local variable named i"),
            };
            n = i.max(0.0) as usize;
        }
        if self.cur == 0 {
            return fault("$ arguments are only available inside a function");
        }
        let Some(arg) = self.frame().args.get(n.wrapping_sub(1)).cloned() else {
            return fault(format!("argument ${n} was not passed"));
        };
        match kind {
            ArgKind::Ref => {
                let Value::Ptr(p) = arg.value else {
                    return fault(format!("$&{n} is not a pointer"));
                };
                let off = match index {
                    Some(e) => self.eval_num(e)?.max(0.0) as usize,
                    None => 0,
                };
                Ok(Place::Num(Pointer {
                    cells: p.cells,
                    index: p.index + off,
                }))
            }
            _ => Ok(Place::Arg { frame: self.cur, n }),
        }
    }

    /// Reads a place.
    pub(crate) fn read_place(&mut self, p: &Place) -> R<Value> {
        let v = match p {
            Place::Num(ptr) => Value::Num(ptr.get().unwrap_or(0.0)),
            Place::Obj(cells, i) => Value::Obj(cells.borrow().get(*i).cloned().flatten()),
            Place::Str(s) => Value::Str(s.borrow().clone()),
            Place::Range { sec, name, x } => {
                Value::Num(self.sim_get_range(*sec, name, x.unwrap_or(0.5))?)
            }
            Place::Prop { sec, name } => Value::Num(self.sim.get_prop(*sec, name).or_else(fault)?),
            Place::Global(g) => Value::Num(self.sim.get_global(g).unwrap_or(0.0)),
            Place::Pp { pp, name } => Value::Num(self.sim.pp_get(*pp, name).or_else(fault)?),
            Place::Inert(o, name) => match &*o.data.borrow() {
                ObjData::Inert(m) => Value::Num(m.get(name).copied().unwrap_or(0.0)),
                ObjData::Import3d(crate::builtins::import3d::Import3d::Reader {
                    quiet, ..
                }) => Value::Num(if name == "quiet" { *quiet } else { 0.0 }),
                _ => Value::Num(0.0),
            },
            Place::NetCon { nc, name, index } => {
                Value::Num(self.sim.netcon_get(*nc, name, *index).or_else(fault)?)
            }
            Place::Arg { frame, n } => self.frames[*frame].args[n - 1].value.clone(),
        };
        Ok(v)
    }

    pub(crate) fn sim_get_range(&mut self, sec: SecId, name: &str, x: f64) -> R<f64> {
        match name {
            "area" => self.sim.area(sec, x).or_else(fault),
            "ri" => self.sim.ri(sec, x).or_else(fault),
            _ => self.sim.get_range(sec, name, x).or_else(fault),
        }
    }

    /// Writes a place; the value must have the place's type.
    pub(crate) fn write_place(&mut self, p: &Place, v: Value) -> R<()> {
        match (p, v) {
            (Place::Num(ptr), Value::Num(x)) => {
                if !ptr.set(x) {
                    return fault("pointer out of range");
                }
            }
            (Place::Obj(cells, i), Value::Obj(o)) => {
                if let Some(c) = cells.borrow_mut().get_mut(*i) {
                    *c = o;
                }
            }
            (Place::Str(s), Value::Str(x)) => *s.borrow_mut() = x,
            (Place::Range { sec, name, x }, Value::Num(v)) => {
                self.sim.set_range(*sec, name, *x, v).or_else(fault)?
            }
            (Place::Prop { sec, name }, Value::Num(v)) => {
                self.sim.set_prop(*sec, name, v).or_else(fault)?
            }
            (Place::Global(g), Value::Num(v)) => {
                self.sim.set_global(g, v);
            }
            (Place::Pp { pp, name }, Value::Num(v)) => {
                self.sim.pp_set(*pp, name, v).or_else(fault)?
            }
            (Place::Inert(o, name), Value::Num(v)) => match &mut *o.data.borrow_mut() {
                ObjData::Inert(m) => {
                    m.insert(name.clone(), v);
                }
                ObjData::Import3d(crate::builtins::import3d::Import3d::Reader {
                    quiet, ..
                }) if name == "quiet" => *quiet = v,
                _ => return fault(format!("{o}.{name} cannot be assigned")),
            },
            (Place::NetCon { nc, name, index }, Value::Num(v)) => {
                self.sim.netcon_set(*nc, name, *index, v).or_else(fault)?
            }
            (Place::Arg { frame, n }, v) => self.write_arg(*frame, *n, v)?,
            (_, v) => {
                return fault(format!(
                    "assignment of {} to a variable of another type",
                    v.type_name()
                ))
            }
        }
        Ok(())
    }

    fn write_arg(&mut self, frame: usize, n: usize, v: Value) -> R<()> {
        let place = self.frames[frame].args[n - 1].place.clone();
        self.frames[frame].args[n - 1].value = v.clone();
        if let (Some(p), Value::Str(_) | Value::Obj(_)) = (place, &v) {
            self.write_place(&p, v)?;
        }
        Ok(())
    }
}
