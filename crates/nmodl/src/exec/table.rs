//! TABLE: NEURON's lookup tables for FUNCTIONs and PROCEDUREs.
//!
//! A table holds the values of the callee's outputs (the PROCEDURE's listed
//! variables, or the FUNCTION's result) at `WITH + 1` points from FROM to TO.
//! It is (re)built when the values named in DEPEND change, with the grid points
//! accumulated as NEURON does (`x += dx`, not `from + i*dx`), and read by
//! linear interpolation: `xi = (x - from)/dx`; NaN propagates; `xi <= 0` gives
//! the first entry, `xi >= WITH` the last; otherwise
//! `t[i] + (xi - i)*(t[i+1] - t[i])` with `i = floor(xi)`.
//!
//! FUNCTION_TABLE: functions whose values HOC gives (`table_<name>_<suffix>`),
//! looked up as NEURON's `hoc_func_table` does ([`FunctionTables`]).

use super::call::CallArg;
use super::ir::{self, Env, Fault, Frame, Op, Src};
use super::lower::{Lower, Lowered};
use super::solve::Systems;
use crate::ast::Item;
use crate::diagnostic::Diagnostic;
use crate::span::Span;
use std::sync::{Arc, RwLock};

/// How to build one table (fixed at load time).
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    /// Ops computing the FROM and TO values.
    pub bounds_ops: Vec<Op>,
    pub from: Src,
    pub to: Src,
    /// Number of intervals (WITH).
    pub with: usize,
    /// The register holding the callee's argument while the table is built.
    pub arg: u32,
    /// The callee's body, computing `outs` from `arg`.
    pub ops: Vec<Op>,
    /// The columns tabulated.
    pub outs: Vec<u32>,
    /// Values whose change remakes the table.
    pub depend: Vec<Src>,
}

/// A built table.
#[derive(Debug, Clone, Default, PartialEq)]
struct TableData {
    tmin: f64,
    mfac: f64,
    /// One row per output, `with + 1` values each.
    values: Vec<Vec<f64>>,
    /// The DEPEND values it was built with.
    built_with: Option<Vec<f64>>,
}

/// The tables of one mechanism's instance set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    specs: Vec<TableSpec>,
    data: Vec<TableData>,
    /// The mechanism's FUNCTION_TABLEs (shared by all its instance sets).
    pub functions: FunctionTables,
}

impl Tables {
    /// Tables from their specs, not built yet.
    pub fn new(specs: Vec<TableSpec>) -> Self {
        let data = vec![TableData::default(); specs.len()];
        Tables {
            specs,
            data,
            functions: FunctionTables::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }

    /// NEURON's `_check_<name>`: rebuilds every table whose DEPEND values
    /// changed since it was built (all of them the first time).
    pub fn check(&mut self, main: &Frame, systems: &Systems, dt: f64) -> Result<(), Fault> {
        for i in 0..self.specs.len() {
            let now: Vec<f64> = self.specs[i]
                .depend
                .iter()
                .map(|&s| lane0(main, s))
                .collect();
            if self.data[i].built_with.as_ref() == Some(&now) {
                continue;
            }
            self.build(i, main, systems, dt)?;
            self.data[i].built_with = Some(now);
        }
        Ok(())
    }

    fn build(&mut self, i: usize, main: &Frame, systems: &Systems, dt: f64) -> Result<(), Fault> {
        let spec = &self.specs[i];
        let points = spec.with + 1;
        let mut frame = Frame::new(points, main.cols.len());
        for (c, col) in frame.cols.iter_mut().enumerate() {
            col.fill(main.cols[c].first().copied().unwrap_or(0.0));
        }
        let snapshot = self.clone();
        let env = Env {
            tables: &snapshot,
            systems,
            dt,
            emitted: Default::default(),
            vectors: &[],
            netcons: Default::default(),
        };
        ir::run(&spec.bounds_ops, &mut frame, &env)?;
        let tmin = frame.get(spec.from, 0);
        let tmax = frame.get(spec.to, 0);
        let dx = (tmax - tmin) / spec.with as f64;
        let mut x = tmin;
        for v in frame.col_mut(spec.arg) {
            *v = x;
            x += dx;
        }
        ir::run(&spec.ops, &mut frame, &env)?;
        let values = spec
            .outs
            .iter()
            .map(|&c| {
                let mut row = frame.col(c).to_vec();
                row.push(row.last().copied().unwrap_or(f64::NAN));
                row
            })
            .collect();
        self.data[i] = TableData {
            tmin,
            mfac: 1.0 / dx,
            values,
            built_with: None,
        };
        Ok(())
    }

    /// Interpolates table `i` at `arg` into the columns `outs`.
    pub fn lookup(&self, i: usize, frame: &mut Frame, arg: Src, outs: &[u32], mask: Option<u32>) {
        let (Some(spec), Some(data)) = (self.specs.get(i), self.data.get(i)) else {
            return;
        };
        let n = frame.n;
        // the grid cell and fraction of every instance, found once for all outputs
        let mut cell = vec![0usize; n];
        let mut theta = vec![0.0; n];
        for k in 0..n {
            let (c, f) = locate(data.mfac * (frame.get(arg, k) - data.tmin), spec.with);
            cell[k] = c;
            theta[k] = f;
        }
        if let Some(m) = mask {
            // inactive instances keep their values: mark them with an
            // out-of-range cell
            for (c, &on) in cell.iter_mut().zip(frame.col(m)) {
                if on == 0.0 {
                    *c = usize::MAX;
                }
            }
        }
        for (row, &out) in data.values.iter().zip(outs) {
            let col = frame.col_mut(out);
            for ((o, &c), &f) in col.iter_mut().zip(&cell).zip(&theta) {
                if let (Some(&a), Some(&b)) = (row.get(c), row.get(c.wrapping_add(1))) {
                    *o = a + f * (b - a);
                }
            }
        }
    }
}

/// One argument of a FUNCTION_TABLE: `n` points evenly from `min` to `max`,
/// or `n` given points (increasing).
#[derive(Debug, Clone, PartialEq)]
pub enum TableArg {
    Range { n: usize, min: f64, max: f64 },
    Points(Vec<f64>),
}

impl TableArg {
    fn len(&self) -> usize {
        match self {
            TableArg::Range { n, .. } => *n,
            TableArg::Points(p) => p.len(),
        }
    }

    /// NEURON's `arg_index`: the grid index at or below `x` and the fraction
    /// towards the next one (0 at or beyond either end).
    fn index(&self, x: f64) -> (usize, f64) {
        match self {
            TableArg::Points(p) => {
                let last = p.len().saturating_sub(1);
                if p.is_empty() || x <= p[0] {
                    return (0, 0.0);
                }
                if x >= p[last] {
                    return (last, 0.0);
                }
                let (mut t0, mut t1) = (0, last);
                while t0 + 1 < t1 {
                    let j = (t0 + t1) / 2;
                    if p[j] <= x {
                        t0 = j;
                    } else {
                        t1 = j;
                    }
                }
                (t0, (x - p[t0]) / (p[t0 + 1] - p[t0]))
            }
            TableArg::Range { n, min, max } => {
                if x <= *min {
                    (0, 0.0)
                } else if x >= *max {
                    (n.saturating_sub(1), 0.0)
                } else if x.is_nan() {
                    (0, f64::NAN)
                } else {
                    let d = (max - min) / (*n as f64 - 1.0);
                    let x1 = (x - min) / d;
                    let j = x1 as usize;
                    (j, x1 - j as f64)
                }
            }
        }
    }
}

/// The values HOC gave a FUNCTION_TABLE (NEURON's `hoc_spec_table`).
#[derive(Debug, Clone, PartialEq)]
pub enum FunctionTable {
    /// `table_f(value)`: the function is that constant.
    Constant(f64),
    /// Values in row order over the grid of the arguments.
    Grid {
        values: Vec<f64>,
        args: Vec<TableArg>,
    },
}

impl FunctionTable {
    /// NEURON's `hoc_func_table`: linear interpolation in one and two
    /// arguments, the grid point at or below the arguments beyond that.
    fn value(&self, x: &[f64]) -> f64 {
        let (values, args) = match self {
            FunctionTable::Constant(c) => return *c,
            FunctionTable::Grid { values, args } => (values, args),
        };
        let mut j = 0;
        let mut frac = Vec::with_capacity(args.len());
        for (a, &x) in args.iter().zip(x) {
            let (i, f) = a.index(x);
            j = j * a.len() + i;
            frac.push(f);
        }
        let at = |k: usize| values.get(k).copied().unwrap_or(f64::NAN);
        let inter = |f: f64, k: usize| {
            if f > 0.0 {
                (1.0 - f) * at(k) + f * at(k + 1)
            } else {
                at(k)
            }
        };
        match args.len() {
            1 => inter(frac[0], j),
            2 => {
                let y1 = inter(frac[1], j);
                if frac[0] != 0.0 {
                    let y2 = inter(frac[1], j + args[1].len());
                    if frac[0] > 0.0 {
                        (1.0 - frac[0]) * y1 + frac[0] * y2
                    } else {
                        y1
                    }
                } else {
                    y1
                }
            }
            _ => at(j),
        }
    }

    /// The table `table_<name>(args)` gives a function of `arity`
    /// arguments: one number (a constant); two Vectors (values, then the
    /// points of the one argument); or the values (a Vector, or a pointer
    /// into one, `&vec.x[0]`) followed, for each argument, by its size and
    /// either `min, max` or a Vector of its points. Values are copied now
    /// (NEURON keeps a pointer, so it sees later changes to the Vector).
    pub fn from_hoc(arity: usize, args: &[CallArg]) -> Result<Self, String> {
        let vector = |k: usize| match args.get(k) {
            Some(CallArg::Vector(v)) => Some(v.borrow().clone()),
            _ => None,
        };
        let number = |k: usize| match args.get(k) {
            Some(CallArg::Number(x)) => Some(*x),
            _ => None,
        };
        match args {
            [] => return Err("needs a value, or Vectors of values and points".to_string()),
            [CallArg::Number(x)] => return Ok(FunctionTable::Constant(*x)),
            [CallArg::Vector(y), CallArg::Vector(x)] => {
                if arity > 1 {
                    return Err(
                        "Vector arguments allowed only for functions of one variable".to_string(),
                    );
                }
                let (y, x) = (y.borrow().clone(), x.borrow().clone());
                if y.len() != x.len() {
                    return Err("Vector arguments not same size".to_string());
                }
                return Ok(FunctionTable::Grid {
                    values: y,
                    args: vec![TableArg::Points(x)],
                });
            }
            _ => {}
        }
        let values = vector(0).ok_or("the first argument must be the values (a Vector)")?;
        let mut k = 1;
        let mut grid = Vec::with_capacity(arity);
        for dim in 0..arity {
            let n = number(k).ok_or(format!(
                "argument {}: the size of argument {}",
                k + 1,
                dim + 1
            ))?;
            k += 1;
            if n < 1.0 {
                return Err("size arg < 1 in hoc_spec_table".to_string());
            }
            let n = n as usize;
            if let Some(min) = number(k) {
                let max = number(k + 1).ok_or(format!("argument {}: a maximum", k + 2))?;
                if max < min {
                    return Err("min > max in hoc_spec_table".to_string());
                }
                grid.push(TableArg::Range { n, min, max });
                k += 2;
            } else {
                let mut points = vector(k).ok_or(format!(
                    "argument {}: a minimum and maximum, or a Vector of points",
                    k + 1
                ))?;
                if points.len() < n {
                    return Err(format!(
                        "argument {}: {} points given for size {n}",
                        k + 1,
                        points.len()
                    ));
                }
                points.truncate(n);
                grid.push(TableArg::Points(points));
                k += 1;
            }
        }
        let size: usize = grid.iter().map(TableArg::len).product();
        if values.len() < size {
            return Err(format!(
                "{} values given for a table of {size}",
                values.len()
            ));
        }
        Ok(FunctionTable::Grid { values, args: grid })
    }
}

/// The FUNCTION_TABLEs of a mechanism, in file order: their names and
/// arities (fixed at load time) and the values HOC gave them, shared by every
/// instance set of the mechanism as NEURON's are static to the mechanism.
#[derive(Debug, Clone, Default)]
pub struct FunctionTables {
    pub names: Vec<(String, usize)>,
    values: Arc<RwLock<Vec<Option<FunctionTable>>>>,
}

impl PartialEq for FunctionTables {
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names && Arc::ptr_eq(&self.values, &other.values)
    }
}

impl FunctionTables {
    /// The FUNCTION_TABLEs declared in `program`.
    pub fn declared(program: &crate::ast::Program) -> Self {
        let names: Vec<(String, usize)> = program
            .items
            .iter()
            .filter_map(|item| match item {
                Item::FunctionTable(c) => Some((c.name.name.clone(), c.params.len())),
                _ => None,
            })
            .collect();
        let values = Arc::new(RwLock::new(vec![None; names.len()]));
        FunctionTables { names, values }
    }

    /// The index of FUNCTION_TABLE `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|(n, _)| n == name)
    }

    /// `table_<name>(args)` from HOC.
    pub fn set(&self, name: &str, args: &[CallArg]) -> Result<(), String> {
        let i = self
            .index(name)
            .ok_or_else(|| format!("no FUNCTION_TABLE `{name}`"))?;
        let table = FunctionTable::from_hoc(self.names[i].1, args)?;
        let mut values = self.values.write().map_err(|_| "poisoned".to_string())?;
        values[i] = Some(table);
        Ok(())
    }

    /// `name(x...)` called from HOC (no instance needed); `Err` is NEURON's
    /// complaint.
    pub fn evaluate(&self, name: &str, x: &[f64]) -> Result<f64, String> {
        let i = self
            .index(name)
            .ok_or_else(|| format!("no FUNCTION_TABLE `{name}`"))?;
        let arity = self.names[i].1;
        if x.len() != arity {
            return Err(format!(
                "it takes {arity} arguments, {} were given",
                x.len()
            ));
        }
        let values = self.values.read().map_err(|_| "poisoned".to_string())?;
        match values.get(i) {
            Some(Some(table)) => Ok(table.value(x)),
            _ => Err("table not specified in hoc_func_table".to_string()),
        }
    }

    /// Evaluates FUNCTION_TABLE `i` at `args` for every lane of `frame`
    /// (where `mask`) into `dst`.
    pub fn lookup(
        &self,
        i: usize,
        frame: &mut Frame,
        args: &[Src],
        dst: u32,
        mask: Option<u32>,
    ) -> Result<(), Fault> {
        let values = self
            .values
            .read()
            .map_err(|_| Fault::FunctionTableUnset { table: i })?;
        let Some(Some(table)) = values.get(i) else {
            return Err(Fault::FunctionTableUnset { table: i });
        };
        let mut x = vec![0.0; args.len()];
        for k in 0..frame.n {
            if mask.is_some_and(|m| frame.get(Src::Col(m), k) == 0.0) {
                continue;
            }
            for (xi, &a) in x.iter_mut().zip(args) {
                *xi = frame.get(a, k);
            }
            let y = table.value(&x);
            frame.col_mut(dst)[k] = y;
        }
        Ok(())
    }
}

/// A call of FUNCTION_TABLE `name` in compiled code; `None` if the file
/// declares none of that name.
pub(crate) fn function_table_call(
    lower: &mut Lower<'_>,
    name: &str,
    vals: &[Src],
    mask: Option<u32>,
    span: Span,
    ops: &mut Vec<Op>,
) -> Option<Lowered<Src>> {
    let program = lower.program?;
    let (index, arity) = program
        .items
        .iter()
        .filter_map(|item| match item {
            Item::FunctionTable(c) => Some(c),
            _ => None,
        })
        .enumerate()
        .find(|(_, c)| c.name.name == name)
        .map(|(i, c)| (i, c.params.len()))?;
    if vals.len() != arity {
        return Some(Err(Diagnostic::error(
            span,
            format!("FUNCTION_TABLE `{name}` takes {arity} arguments"),
        )));
    }
    let dst = lower.register();
    ops.push(Op::FunctionTable {
        table: index,
        args: vals.to_vec(),
        dst,
        mask,
    });
    Some(Ok(Src::Col(dst)))
}

/// NEURON's cell and fraction for fractional index `xi` in a table of `with`
/// intervals. Beyond either end the fraction is 0, which gives exactly the end
/// value (rows carry a copy of their last value at `with + 1`); NaN gives NaN.
fn locate(xi: f64, with: usize) -> (usize, f64) {
    if xi.is_nan() {
        (0, f64::NAN)
    } else if xi <= 0.0 {
        (0, 0.0)
    } else if xi >= with as f64 {
        (with, 0.0)
    } else {
        let i = xi as usize;
        (i, xi - i as f64)
    }
}

fn lane0(frame: &Frame, s: Src) -> f64 {
    if frame.n == 0 {
        return match s {
            Src::K(x) => x,
            Src::Col(_) => 0.0,
        };
    }
    frame.get(s, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_clamp_at_the_ends_and_propagate_nan() {
        assert_eq!(locate(-1.0, 2), (0, 0.0));
        assert_eq!(locate(5.0, 2), (2, 0.0));
        assert_eq!(locate(0.5, 2), (0, 0.5));
        assert_eq!(locate(1.25, 2), (1, 0.25));
        assert!(locate(f64::NAN, 2).1.is_nan());
    }
}
