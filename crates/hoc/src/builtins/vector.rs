//! The `Vector` class: the methods cell templates and analysis code use.
//! Methods that return the vector itself (`indgen`, `resize`, `add`...)
//! return it, so calls chain as in NEURON.

use super::format::{fmt_num, sprintf};
use super::{arg_num, arg_str};
use crate::interp::value::{NumCells, ObjData, ObjRef, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};
use crate::sim::PlayTimes;
use std::cell::RefCell;
use std::rc::Rc;

fn vec_of(v: &Value) -> Option<NumCells> {
    match v {
        Value::Obj(Some(o)) => match &*o.data.borrow() {
            ObjData::Vector(c) => Some(c.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn cmp_op(op: &str, x: f64, a: f64, b: f64) -> R<bool> {
    Ok(match op {
        "==" => x == a,
        "!=" => x != a,
        ">" => x > a,
        "<" => x < a,
        ">=" => x >= a,
        "<=" => x <= a,
        "[]" => x >= a && x <= b,
        "[)" => x >= a && x < b,
        "(]" => x > a && x <= b,
        "()" => x > a && x < b,
        _ => return fault(format!("Vector: unknown comparison \"{op}\"")),
    })
}

/// Linear interpolation of `(xs, ys)` at `x`, constant beyond the ends.
fn interp1(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    let n = xs.len().min(ys.len());
    if n == 0 {
        return 0.0;
    }
    if x <= xs[0] {
        return ys[0];
    }
    for i in 1..n {
        if x <= xs[i] {
            let f = if xs[i] > xs[i - 1] {
                (x - xs[i - 1]) / (xs[i] - xs[i - 1])
            } else {
                0.0
            };
            return ys[i - 1] + f * (ys[i] - ys[i - 1]);
        }
    }
    ys[n - 1]
}

/// Largest Vector a script may make (elements).
const MAX_LEN: f64 = 1e8;

fn check_len(n: f64) -> R<usize> {
    if n.is_nan() || !(0.0..=MAX_LEN).contains(&n) {
        return fault(format!(
            "Vector size {} out of range 0..{MAX_LEN}",
            fmt_num(n)
        ));
    }
    Ok(n as usize)
}

impl Interpreter {
    pub(crate) fn new_vector(&mut self, data: Vec<f64>) -> ObjRef {
        let cells = Rc::new(RefCell::new(data));
        super::objects::obj(self, "Vector", ObjData::Vector(cells))
    }

    /// `Vector.name(args)`.
    pub(crate) fn vector_method(
        &mut self,
        o: &ObjRef,
        c: &NumCells,
        name: &str,
        args: &[ArgVal],
    ) -> R<Value> {
        let this = Value::Obj(Some(o.clone()));
        let n = c.borrow().len();
        let num = |v: f64| Ok(Value::Num(v));
        match name {
            "size" => num(n as f64),
            "resize" => {
                let m = check_len(arg_num(args, 0, name)?.max(0.0))?;
                c.borrow_mut().resize(m, 0.0);
                Ok(this)
            }
            "buffer_size" => num(n as f64),
            "indgen" => {
                let (start, step) = match args.len() {
                    0 => (0.0, 1.0),
                    1 => (0.0, arg_num(args, 0, name)?),
                    _ => (
                        arg_num(args, 0, name)?,
                        arg_num(args, args.len() - 1, name)?,
                    ),
                };
                if args.len() >= 2 {
                    let stop = arg_num(args, 1, name)?;
                    let m = check_len(if args.len() == 2 {
                        (stop - start + 1.0).max(0.0)
                    } else {
                        ((stop - start) / step + 1.0 + 1e-9).max(0.0)
                    })?;
                    let step = if args.len() == 2 { 1.0 } else { step };
                    *c.borrow_mut() = (0..m).map(|i| start + step * i as f64).collect();
                } else {
                    for (i, x) in c.borrow_mut().iter_mut().enumerate() {
                        *x = start + step * i as f64;
                    }
                }
                Ok(this)
            }
            "fill" => {
                let v = arg_num(args, 0, name)?;
                let (a, b) = self.range_args(args, 1, n)?;
                c.borrow_mut()[a..b].iter_mut().for_each(|x| *x = v);
                Ok(this)
            }
            "append" => {
                for a in args {
                    match &a.value {
                        Value::Num(v) => c.borrow_mut().push(*v),
                        v => match vec_of(v) {
                            Some(other) => {
                                let data = other.borrow().clone();
                                c.borrow_mut().extend(data);
                            }
                            None => {
                                return fault("Vector.append: arguments must be numbers or Vectors")
                            }
                        },
                    }
                }
                Ok(this)
            }
            "x" | "get" => {
                let i = arg_num(args, 0, name)?;
                self.vec_get(c, i).map(Value::Num)
            }
            "set" => {
                let i = arg_num(args, 0, name)?;
                let v = arg_num(args, 1, name)?;
                let k = self.vec_index(c, i)?;
                c.borrow_mut()[k] = v;
                Ok(this)
            }
            _ => self.vector_stats(o, c, name, args),
        }
    }

    fn vec_index(&self, c: &NumCells, i: f64) -> R<usize> {
        let n = c.borrow().len();
        let k = (i + 1e-11).trunc();
        if k < 0.0 || k >= n as f64 {
            return fault(format!(
                "Vector index {} out of range 0..{}",
                fmt_num(i),
                n as i64 - 1
            ));
        }
        Ok(k as usize)
    }

    fn vec_get(&self, c: &NumCells, i: f64) -> R<f64> {
        let k = self.vec_index(c, i)?;
        Ok(c.borrow()[k])
    }

    /// Optional `(start, end)` element arguments at `at`: an inclusive range.
    fn range_args(&self, args: &[ArgVal], at: usize, n: usize) -> R<(usize, usize)> {
        if args.len() < at + 2 {
            return Ok((0, n));
        }
        let a = arg_num(args, at, "Vector")?.max(0.0) as usize;
        let b = (arg_num(args, at + 1, "Vector")?.max(0.0) as usize + 1).min(n);
        Ok((a.min(b), b))
    }

    fn vector_stats(&mut self, o: &ObjRef, c: &NumCells, name: &str, args: &[ArgVal]) -> R<Value> {
        const STATS: &[&str] = &[
            "sum", "sumsq", "mean", "var", "stdev", "max", "min", "max_ind", "min_ind", "mag",
        ];
        if !STATS.contains(&name) {
            return self.vector_transform(o, c, name, args);
        }
        let (a, b) = self.range_args(args, 0, c.borrow().len())?;
        let data: Vec<f64> = c.borrow()[a..b].to_vec();
        let n = data.len() as f64;
        let mean = data.iter().sum::<f64>() / n;
        let var = || data.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let empty = |what: &str| fault(format!("Vector.{what}: the vector is empty"));
        let v = match name {
            "sum" => data.iter().sum(),
            "sumsq" => data.iter().map(|x| x * x).sum(),
            "mean" if data.is_empty() => return empty(name),
            "mean" => mean,
            "var" if data.len() < 2 => return empty(name),
            "var" => var(),
            "stdev" if data.len() < 2 => return empty(name),
            "stdev" => var().sqrt(),
            "max" if data.is_empty() => return empty(name),
            "max" => data.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            "min" if data.is_empty() => return empty(name),
            "min" => data.iter().copied().fold(f64::INFINITY, f64::min),
            "max_ind" | "min_ind" => {
                let mut best = 0;
                for (i, x) in data.iter().enumerate() {
                    let better = if name == "max_ind" {
                        *x > data[best]
                    } else {
                        *x < data[best]
                    };
                    if better {
                        best = i;
                    }
                }
                (best + a) as f64
            }
            "mag" => data.iter().map(|x| x * x).sum::<f64>().sqrt(),
            _ => return self.vector_transform(o, c, name, args),
        };
        Ok(Value::Num(v))
    }

    fn elementwise(&self, c: &NumCells, args: &[ArgVal], f: fn(f64, f64) -> f64) -> R<()> {
        match args.first().map(|a| &a.value) {
            Some(Value::Num(v)) => c.borrow_mut().iter_mut().for_each(|x| *x = f(*x, *v)),
            Some(v) => {
                let Some(other) = vec_of(v) else {
                    return fault("Vector arithmetic needs a number or a Vector");
                };
                let other = other.borrow().clone();
                if other.len() != c.borrow().len() {
                    return fault("Vector arithmetic: the vectors have different sizes");
                }
                for (x, y) in c.borrow_mut().iter_mut().zip(other) {
                    *x = f(*x, y);
                }
            }
            None => return fault("Vector arithmetic needs an argument"),
        }
        Ok(())
    }

    fn vector_transform(
        &mut self,
        o: &ObjRef,
        c: &NumCells,
        name: &str,
        args: &[ArgVal],
    ) -> R<Value> {
        let this = Value::Obj(Some(o.clone()));
        match name {
            "add" => self.elementwise(c, args, |x, y| x + y)?,
            "sub" => self.elementwise(c, args, |x, y| x - y)?,
            "mul" => self.elementwise(c, args, |x, y| x * y)?,
            "div" => self.elementwise(c, args, |x, y| x / y)?,
            "abs" => c.borrow_mut().iter_mut().for_each(|x| *x = x.abs()),
            "sqrt" => c.borrow_mut().iter_mut().for_each(|x| *x = x.sqrt()),
            "reverse" => c.borrow_mut().reverse(),
            "sort" => c.borrow_mut().sort_by(|a, b| a.total_cmp(b)),
            "scale" => {
                let lo = arg_num(args, 0, name)?;
                let hi = arg_num(args, 1, name)?;
                let (mn, mx) = c
                    .borrow()
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                        (a.min(*x), b.max(*x))
                    });
                let k = if mx > mn { (hi - lo) / (mx - mn) } else { 0.0 };
                c.borrow_mut()
                    .iter_mut()
                    .for_each(|x| *x = lo + (*x - mn) * k);
            }
            "remove" => {
                let a = self.vec_index(c, arg_num(args, 0, name)?)?;
                let b = match args.get(1) {
                    Some(_) => self.vec_index(c, arg_num(args, 1, name)?)?,
                    None => a,
                };
                if b >= a {
                    c.borrow_mut().drain(a..=b);
                }
            }
            "insrt" => {
                let i = arg_num(args, 0, name)?.max(0.0) as usize;
                let mut vals = Vec::new();
                for a in &args[1..] {
                    match &a.value {
                        Value::Num(v) => vals.push(*v),
                        v => vals.extend(vec_of(v).map(|x| x.borrow().clone()).unwrap_or_default()),
                    }
                }
                let mut d = c.borrow_mut();
                if i > d.len() {
                    return fault(format!(
                        "Vector.insrt: index {i} out of range 0..{}",
                        d.len()
                    ));
                }
                d.splice(i..i, vals);
            }
            "copy" => {
                let Some(src) = args.first().and_then(|a| vec_of(&a.value)) else {
                    return fault("Vector.copy needs a Vector");
                };
                let data = src.borrow().clone();
                *c.borrow_mut() = data;
            }
            _ => return self.vector_select(o, c, name, args),
        }
        Ok(this)
    }

    fn vector_select(&mut self, o: &ObjRef, c: &NumCells, name: &str, args: &[ArgVal]) -> R<Value> {
        let this = Value::Obj(Some(o.clone()));
        match name {
            "c" | "cl" | "at" => {
                let n = c.borrow().len();
                let (a, b) = self.range_args(args, 0, n)?;
                let data = c.borrow()[a..b].to_vec();
                Ok(Value::Obj(Some(self.new_vector(data))))
            }
            "eq" => {
                let Some(other) = args.first().and_then(|a| vec_of(&a.value)) else {
                    return fault("Vector.eq needs a Vector");
                };
                let same = *other.borrow() == *c.borrow();
                Ok(Value::Num(f64::from(u8::from(same))))
            }
            "contains" => {
                let v = arg_num(args, 0, name)?;
                Ok(Value::Num(f64::from(u8::from(
                    c.borrow().iter().any(|x| (x - v).abs() <= 1e-11),
                ))))
            }
            "indwhere" => {
                let op = arg_str(args, 0, name)?;
                let a = arg_num(args, 1, name)?;
                let b = args
                    .get(2)
                    .map(|_| arg_num(args, 2, name))
                    .transpose()?
                    .unwrap_or(a);
                for (i, x) in c.borrow().iter().enumerate() {
                    if cmp_op(&op, *x, a, b)? {
                        return Ok(Value::Num(i as f64));
                    }
                }
                Ok(Value::Num(-1.0))
            }
            "where" | "indvwhere" => self.vector_where(o, c, name, args),
            "printf" => self.vector_printf(c, args),
            "dot" => {
                let Some(other) = args.first().and_then(|a| vec_of(&a.value)) else {
                    return fault("Vector.dot needs a Vector");
                };
                let s = c
                    .borrow()
                    .iter()
                    .zip(other.borrow().iter())
                    .map(|(a, b)| a * b)
                    .sum();
                Ok(Value::Num(s))
            }
            "record" => {
                let src = match args.first().map(|a| a.value.clone()) {
                    Some(Value::SimRef(s)) => s,
                    Some(Value::Ptr(_)) => return fault("Vector.record of a HOC variable is not supported; record a range variable such as &soma.v(0.5) or &t"),
                    _ => return fault("Vector.record needs a pointer such as &soma.v(0.5)"),
                };
                match args.get(1).map(|a| &a.value) {
                    None => self.sim.record(src, c.clone()).or_else(fault)?,
                    Some(Value::Num(dt)) => {
                        let t = PlayTimes::Dt(*dt);
                        self.sim.record_at(src, c.clone(), t).or_else(fault)?
                    }
                    Some(v) => {
                        match vec_of(v) {
                            Some(tv) => {
                                let t = PlayTimes::Vector(tv);
                                self.sim.record_at(src, c.clone(), t).or_else(fault)?
                            }
                            None => return fault(
                                "Vector.record: the second argument must be Dt or a time Vector",
                            ),
                        }
                    }
                }
                Ok(this)
            }
            "play" => {
                let target = match args.first().map(|a| a.value.clone()) {
                    Some(Value::SimRef(s)) => s,
                    _ => {
                        return fault(
                            "Vector.play needs a pointer such as &stim.amp or &soma.v(0.5)",
                        )
                    }
                };
                let times = match args.get(1).map(|a| &a.value) {
                    Some(Value::Num(dt)) => PlayTimes::Dt(*dt),
                    Some(v) => match vec_of(v) {
                        Some(t) => PlayTimes::Vector(t),
                        None => {
                            return fault(
                                "Vector.play: the second argument must be dt or a time Vector",
                            )
                        }
                    },
                    None => return fault("Vector.play needs dt or a time Vector"),
                };
                let continuous = match args.get(2).map(|a| &a.value) {
                    Some(Value::Num(x)) => *x != 0.0,
                    _ => false,
                };
                self.sim
                    .play(target, c.clone(), times, continuous)
                    .or_else(fault)?;
                Ok(this)
            }
            "label" | "plot" | "line" | "mark" | "play_remove" => Ok(this),
            _ => self.vector_more(o, c, name, args),
        }
    }

    /// `sortindex`, `index`, `pow`, `deriv`, `rotate`, `interpolate`.
    fn vector_more(&mut self, o: &ObjRef, c: &NumCells, name: &str, args: &[ArgVal]) -> R<Value> {
        let this = Value::Obj(Some(o.clone()));
        let src = |i: usize| args.get(i).and_then(|a| vec_of(&a.value));
        match name {
            "sortindex" => {
                let (dest, data) = match src(0) {
                    Some(v) => (Some(v), c.borrow().clone()),
                    None => (None, c.borrow().clone()),
                };
                let mut idx: Vec<usize> = (0..data.len()).collect();
                idx.sort_by(|a, b| data[*a].total_cmp(&data[*b]));
                let out: Vec<f64> = idx.into_iter().map(|i| i as f64).collect();
                match dest {
                    Some(d) => {
                        *d.borrow_mut() = out;
                        Ok(args[0].value.clone())
                    }
                    None => Ok(Value::Obj(Some(self.new_vector(out)))),
                }
            }
            "index" => {
                let (Some(from), Some(ix)) = (src(0), src(1)) else {
                    return fault("Vector.index(vsrc, vindices) needs two Vectors");
                };
                let from = from.borrow().clone();
                let mut out = Vec::new();
                for i in ix.borrow().iter() {
                    match from.get(*i as usize).filter(|_| *i >= 0.0) {
                        Some(v) => out.push(*v),
                        None => return fault(format!("Vector.index: index {i} out of range")),
                    }
                }
                *c.borrow_mut() = out;
                Ok(this)
            }
            "pow" => {
                let p = arg_num(args, 0, name)?;
                c.borrow_mut().iter_mut().for_each(|x| *x = x.powf(p));
                Ok(this)
            }
            _ => self.vector_calc(o, c, name, args),
        }
    }

    /// `deriv`, `rotate`, `interpolate`.
    fn vector_calc(&mut self, o: &ObjRef, c: &NumCells, name: &str, args: &[ArgVal]) -> R<Value> {
        let this = Value::Obj(Some(o.clone()));
        let src = |i: usize| args.get(i).and_then(|a| vec_of(&a.value));
        match name {
            "deriv" => {
                let (data, dx) = match src(0) {
                    Some(v) => (
                        v.borrow().clone(),
                        args.get(1)
                            .map(|_| arg_num(args, 1, name))
                            .transpose()?
                            .unwrap_or(1.0),
                    ),
                    None => (
                        c.borrow().clone(),
                        args.first()
                            .map(|_| arg_num(args, 0, name))
                            .transpose()?
                            .unwrap_or(1.0),
                    ),
                };
                let n = data.len();
                let d: Vec<f64> = (0..n)
                    .map(|i| match (i, n) {
                        (_, 0 | 1) => 0.0,
                        (0, _) => (data[1] - data[0]) / dx,
                        (i, n) if i == n - 1 => (data[i] - data[i - 1]) / dx,
                        (i, _) => (data[i + 1] - data[i - 1]) / (2.0 * dx),
                    })
                    .collect();
                *c.borrow_mut() = d;
                Ok(this)
            }
            "rotate" => {
                let k = arg_num(args, 0, name)? as i64;
                let mut d = c.borrow_mut();
                let n = d.len() as i64;
                if n > 0 {
                    d.rotate_right(k.rem_euclid(n) as usize);
                }
                Ok(this)
            }
            "interpolate" => {
                let (Some(xd), Some(xs), Some(ys)) =
                    (src(0), src(1), src(2).or_else(|| Some(c.clone())))
                else {
                    return fault("Vector.interpolate(xdest, xsrc[, ysrc]) needs Vectors");
                };
                let (xd, xs, ys) = (
                    xd.borrow().clone(),
                    xs.borrow().clone(),
                    ys.borrow().clone(),
                );
                let out = xd.iter().map(|x| interp1(&xs, &ys, *x)).collect();
                *c.borrow_mut() = out;
                Ok(this)
            }
            _ => fault(format!("Vector has no method {name}")),
        }
    }

    fn vector_where(&mut self, o: &ObjRef, c: &NumCells, name: &str, args: &[ArgVal]) -> R<Value> {
        // Forms: vsrc.where("op", a[, b]) in place, or vdest.where(vsrc, "op", a[, b]).
        let (src, at) = match args.first().and_then(|a| vec_of(&a.value)) {
            Some(s) => (s, 1),
            None => (c.clone(), 0),
        };
        let op = arg_str(args, at, name)?;
        let a = arg_num(args, at + 1, name)?;
        let b = args
            .get(at + 2)
            .map(|_| arg_num(args, at + 2, name))
            .transpose()?
            .unwrap_or(a);
        let mut out = Vec::new();
        for (i, x) in src.borrow().iter().enumerate() {
            if cmp_op(&op, *x, a, b)? {
                out.push(if name == "indvwhere" { i as f64 } else { *x });
            }
        }
        *c.borrow_mut() = out;
        Ok(Value::Obj(Some(o.clone())))
    }

    fn vector_printf(&mut self, c: &NumCells, args: &[ArgVal]) -> R<Value> {
        let data = c.borrow().clone();
        let (fmt, at) = match args.first().map(|a| &a.value) {
            Some(Value::Str(s)) => (Some(s.clone()), 1),
            _ => (None, 0),
        };
        let (a, b) = self.range_args(args, at, data.len())?;
        let mut s = String::new();
        for (k, x) in data[a..b].iter().enumerate() {
            match &fmt {
                Some(f) => s.push_str(&sprintf(f, &[Value::Num(*x)]).or_else(fault)?),
                None => {
                    s.push_str(&format!("{}\t", super::format::fmt_g(*x, 6, false, false)));
                    if (k + 1) % 5 == 0 {
                        s.push('\n');
                    }
                }
            }
        }
        if fmt.is_none() {
            // NEURON ends with a newline even right after a fifth element.
            s.push('\n');
        }
        self.write_out(&s);
        Ok(Value::Num((b - a) as f64))
    }
}
