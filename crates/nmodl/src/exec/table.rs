//! TABLE: NEURON's lookup tables for FUNCTIONs and PROCEDUREs.
//!
//! A table holds the values of the callee's outputs (the PROCEDURE's listed
//! variables, or the FUNCTION's result) at `WITH + 1` points from FROM to TO.
//! It is (re)built when the values named in DEPEND change, with the grid points
//! accumulated as NEURON does (`x += dx`, not `from + i*dx`), and read by
//! linear interpolation: `xi = (x - from)/dx`; NaN propagates; `xi <= 0` gives
//! the first entry, `xi >= WITH` the last; otherwise
//! `t[i] + (xi - i)*(t[i+1] - t[i])` with `i = floor(xi)`.

use super::ir::{self, Env, Fault, Frame, Op, Src};
use super::solve::Systems;

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
}

impl Tables {
    /// Tables from their specs, not built yet.
    pub fn new(specs: Vec<TableSpec>) -> Self {
        let data = vec![TableData::default(); specs.len()];
        Tables { specs, data }
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
