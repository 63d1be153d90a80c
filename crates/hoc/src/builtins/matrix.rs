//! The `Matrix` class (dense, row-major): the methods NEURON's Import3d and
//! analysis code use — element access, rows and columns as Vectors,
//! products, transpose, block copy, resize.

use super::arg_num;
use crate::interp::value::{NumCells, ObjData, ObjRef, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};
use std::cell::RefCell;
use std::rc::Rc;

/// A snapshot of a matrix: rows, columns, elements.
struct Mat {
    r: usize,
    c: usize,
    d: Vec<f64>,
}

fn mat_of(v: Option<&Value>) -> Option<(ObjRef, usize, usize, NumCells)> {
    let Some(Value::Obj(Some(o))) = v else {
        return None;
    };
    let r = match &*o.data.borrow() {
        ObjData::Matrix { nrow, ncol, data } => (*nrow, *ncol, data.clone()),
        _ => return None,
    };
    Some((o.clone(), r.0, r.1, r.2))
}

fn vec_of(v: Option<&Value>) -> Option<NumCells> {
    let Some(Value::Obj(Some(o))) = v else {
        return None;
    };
    match &*o.data.borrow() {
        ObjData::Vector(c) => Some(c.clone()),
        _ => None,
    }
}

fn set_shape(o: &ObjRef, m: Mat) {
    if let ObjData::Matrix { nrow, ncol, data } = &mut *o.data.borrow_mut() {
        *nrow = m.r;
        *ncol = m.c;
        *data.borrow_mut() = m.d;
    }
}

fn mul(a: &Mat, b: &Mat) -> R<Mat> {
    if a.c != b.r {
        return fault(format!(
            "Matrix.mulm: {}x{} times {}x{}",
            a.r, a.c, b.r, b.c
        ));
    }
    let mut d = vec![0.0; a.r * b.c];
    for i in 0..a.r {
        for k in 0..a.c {
            let x = a.d[i * a.c + k];
            for j in 0..b.c {
                d[i * b.c + j] += x * b.d[k * b.c + j];
            }
        }
    }
    Ok(Mat { r: a.r, c: b.c, d })
}

impl Interpreter {
    fn new_matrix_obj(&mut self, m: Mat) -> ObjRef {
        let data = Rc::new(RefCell::new(m.d));
        let od = ObjData::Matrix {
            nrow: m.r,
            ncol: m.c,
            data,
        };
        super::objects::obj(self, "Matrix", od)
    }

    /// The result matrix of an operation: the object given as the last
    /// argument (filled in place) or a new one.
    fn matrix_out(&mut self, a: &[ArgVal], at: usize, m: Mat) -> Value {
        match mat_of(a.get(at).map(|x| &x.value)) {
            Some((o, ..)) => {
                set_shape(&o, m);
                Value::Obj(Some(o))
            }
            None => Value::Obj(Some(self.new_matrix_obj(m))),
        }
    }

    fn vector_out(&mut self, a: &[ArgVal], at: usize, d: Vec<f64>) -> Value {
        match vec_of(a.get(at).map(|x| &x.value)) {
            Some(c) => {
                *c.borrow_mut() = d;
                a[at].value.clone()
            }
            None => Value::Obj(Some(self.new_vector(d))),
        }
    }

    pub(crate) fn matrix_method(
        &mut self,
        o: &ObjRef,
        name: &str,
        idx: &[f64],
        a: &[ArgVal],
    ) -> R<Value> {
        let Some((_, r, c, cells)) = mat_of(Some(&Value::Obj(Some(o.clone())))) else {
            return fault("not a Matrix");
        };
        let m = Mat {
            r,
            c,
            d: cells.borrow().clone(),
        };
        let this = Value::Obj(Some(o.clone()));
        let n = |i: usize| arg_num(a, i, name);
        let check = |i: f64, lim: usize, what: &str| -> R<usize> {
            if i < 0.0 || i as usize >= lim {
                return fault(format!(
                    "Matrix {what} index {i} out of range 0..{}",
                    lim as i64 - 1
                ));
            }
            Ok(i as usize)
        };
        let v = match name {
            "nrow" => Value::Num(r as f64),
            "ncol" => Value::Num(c as f64),
            "x" | "getval" => {
                let (i, j) = match name {
                    "x" => (
                        idx.first().copied().unwrap_or(0.0),
                        idx.get(1).copied().unwrap_or(0.0),
                    ),
                    _ => (n(0)?, n(1)?),
                };
                Value::Num(m.d[check(i, r, "row")? * c + check(j, c, "column")?])
            }
            "setval" => {
                let k = check(n(0)?, r, "row")? * c + check(n(1)?, c, "column")?;
                cells.borrow_mut()[k] = n(2)?;
                Value::Num(n(2)?)
            }
            "getrow" => {
                let i = check(n(0)?, r, "row")?;
                self.vector_out(a, 1, m.d[i * c..(i + 1) * c].to_vec())
            }
            "getcol" => {
                let j = check(n(0)?, c, "column")?;
                self.vector_out(a, 1, (0..r).map(|i| m.d[i * c + j]).collect())
            }
            "setrow" | "setcol" => {
                let k = check(n(0)?, if name == "setrow" { r } else { c }, "row/column")?;
                let len = if name == "setrow" { c } else { r };
                let vals: Vec<f64> = match vec_of(a.get(1).map(|x| &x.value)) {
                    Some(v) => v.borrow().clone(),
                    None => vec![n(1)?; len],
                };
                if vals.len() != len {
                    return fault(format!(
                        "Matrix.{name}: Vector size {} should be {len}",
                        vals.len()
                    ));
                }
                let mut d = cells.borrow_mut();
                for (t, v) in vals.into_iter().enumerate() {
                    let at = if name == "setrow" {
                        k * c + t
                    } else {
                        t * c + k
                    };
                    d[at] = v;
                }
                this
            }
            _ => return self.matrix_method2(o, m, &cells, name, a),
        };
        Ok(v)
    }

    fn matrix_method2(
        &mut self,
        o: &ObjRef,
        m: Mat,
        cells: &NumCells,
        name: &str,
        a: &[ArgVal],
    ) -> R<Value> {
        let this = Value::Obj(Some(o.clone()));
        let n = |i: usize| arg_num(a, i, name);
        let v = match name {
            "resize" => {
                let (nr, nc) = (n(0)?.max(0.0) as usize, n(1)?.max(0.0) as usize);
                let mut d = vec![0.0; nr * nc];
                for i in 0..nr.min(m.r) {
                    for j in 0..nc.min(m.c) {
                        d[i * nc + j] = m.d[i * m.c + j];
                    }
                }
                set_shape(o, Mat { r: nr, c: nc, d });
                this
            }
            "zero" | "ident" => {
                let mut d = vec![0.0; m.r * m.c];
                if name == "ident" {
                    (0..m.r.min(m.c)).for_each(|i| d[i * m.c + i] = 1.0);
                }
                *cells.borrow_mut() = d;
                this
            }
            "c" => Value::Obj(Some(self.new_matrix_obj(m))),
            "transpose" => {
                let d = (0..m.c)
                    .flat_map(|j| (0..m.r).map(move |i| (i, j)))
                    .map(|(i, j)| m.d[i * m.c + j])
                    .collect();
                let t = Mat { r: m.c, c: m.r, d };
                self.matrix_out(a, 0, t)
            }
            "mulm" => {
                let Some((_, br, bc, bd)) = mat_of(a.first().map(|x| &x.value)) else {
                    return fault("Matrix.mulm needs a Matrix");
                };
                let b = Mat {
                    r: br,
                    c: bc,
                    d: bd.borrow().clone(),
                };
                let p = mul(&m, &b)?;
                self.matrix_out(a, 1, p)
            }
            "mulv" => {
                let Some(v) = vec_of(a.first().map(|x| &x.value)) else {
                    return fault("Matrix.mulv needs a Vector");
                };
                let v = v.borrow().clone();
                if v.len() != m.c {
                    return fault(format!(
                        "Matrix.mulv: Vector size {} should be {}",
                        v.len(),
                        m.c
                    ));
                }
                let d = (0..m.r)
                    .map(|i| (0..m.c).map(|j| m.d[i * m.c + j] * v[j]).sum())
                    .collect();
                self.vector_out(a, 1, d)
            }
            "bcopy" => self.bcopy(&m, a)?,
            "printf" => {
                let mut s = String::new();
                for i in 0..m.r {
                    for j in 0..m.c {
                        s.push_str(&format!(
                            " {}",
                            super::format::fmt_g(m.d[i * m.c + j], 6, false, false)
                        ));
                    }
                    s.push('\n');
                }
                self.write_out(&s);
                Value::Num(0.0)
            }
            _ => return fault(format!("Matrix has no method {name}")),
        };
        Ok(v)
    }

    /// `m.bcopy(i0, j0, nrow, ncol[, i1, j1][, out])`.
    fn bcopy(&mut self, m: &Mat, a: &[ArgVal]) -> R<Value> {
        let n = |i: usize| arg_num(a, i, "bcopy").map(|v| v.max(0.0) as usize);
        let (i0, j0, nr, nc) = (n(0)?, n(1)?, n(2)?, n(3)?);
        let nums = a
            .iter()
            .take_while(|x| matches!(x.value, Value::Num(_)))
            .count();
        let (i1, j1) = if nums >= 6 { (n(4)?, n(5)?) } else { (0, 0) };
        if i0 + nr > m.r || j0 + nc > m.c {
            return fault("Matrix.bcopy: block out of range");
        }
        let out = mat_of(a.get(nums).map(|x| &x.value));
        let (or, oc) = match &out {
            Some((_, r, c, _)) => (*r, *c),
            None => (i1 + nr, j1 + nc),
        };
        if i1 + nr > or || j1 + nc > oc {
            return fault("Matrix.bcopy: destination too small");
        }
        let mut d = match &out {
            Some((_, _, _, cells)) => cells.borrow().clone(),
            None => vec![0.0; or * oc],
        };
        for i in 0..nr {
            for j in 0..nc {
                d[(i1 + i) * oc + j1 + j] = m.d[(i0 + i) * m.c + j0 + j];
            }
        }
        let res = Mat { r: or, c: oc, d };
        Ok(self.matrix_out(a, nums, res))
    }
}
