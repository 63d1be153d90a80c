//! The Hines matrix: the tridiagonal-on-a-tree system of the cable equation and
//! its direct solution in O(n), as NEURON's `nrn_rhs`/`nrn_lhs` build it and its
//! `triang`/`bksub` solve it.
//!
//! Unknowns are the voltage changes of one (half) step. Row i reads
//! `d[i]·Δv[i] + b[i]·Δv[parent[i]] + Σ_children a[c]·Δv[c] = rhs[i]`.
//! **Invariant:** `parent[i] < i` for every non-root node `i >= n_roots`
//! (established in [`crate::discretize`]), so eliminating from the last node to the
//! first needs no fill-in.

use crate::error::{HinesError, Result};

/// Matrix storage; every column is indexed by node.
#[derive(Debug, Clone, PartialEq)]
pub struct HinesMatrix {
    n_roots: usize,
    parent: Vec<usize>,
    /// Off-diagonal: effect of node i on its parent's row (mS/cm², µS at zero-area nodes).
    a: Vec<f64>,
    /// Off-diagonal: effect of the parent on node i's row (mS/cm², µS at zero-area nodes).
    b: Vec<f64>,
    /// Diagonal (mS/cm², µS at zero-area nodes).
    pub d: Vec<f64>,
    /// Right-hand side: net current into the node (mA/cm², nA at zero-area nodes);
    /// after [`HinesMatrix::solve_in_place`], the voltage change (mV).
    pub rhs: Vec<f64>,
}

impl HinesMatrix {
    /// A matrix for a tree with `n_roots` roots first and `parent[i] < i` for the
    /// other nodes; `a` and `b` are NEURON's coupling coefficients. Checks the
    /// invariant and the lengths.
    pub fn new(n_roots: usize, parent: Vec<usize>, a: Vec<f64>, b: Vec<f64>) -> Result<Self> {
        let n = parent.len();
        if a.len() != n || b.len() != n || n_roots > n {
            return Err(HinesError::InvalidTree {
                node: n,
                parent: n_roots,
            });
        }
        if let Some(i) = (n_roots..n).find(|&i| parent[i] >= i) {
            return Err(HinesError::InvalidTree {
                node: i,
                parent: parent[i],
            });
        }
        Ok(HinesMatrix::from_tree(n_roots, parent, a, b))
    }

    /// As [`HinesMatrix::new`] for a tree already known to satisfy the invariant.
    pub(crate) fn from_tree(n_roots: usize, parent: Vec<usize>, a: Vec<f64>, b: Vec<f64>) -> Self {
        let n = parent.len();
        HinesMatrix {
            n_roots,
            parent,
            a,
            b,
            d: vec![0.0; n],
            rhs: vec![0.0; n],
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Whether the matrix has no nodes.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Zeroes `rhs` and `d` before mechanisms add their currents and conductances.
    pub fn clear(&mut self) {
        self.rhs.fill(0.0);
        self.d.fill(0.0);
    }

    /// Completes the system once mechanisms have added their terms: the
    /// capacitive term `1e-3·cj·cm` on the diagonal (cm in µF/cm², cj = 1/dt or
    /// 2/dt in 1/ms gives mS/cm²), then the axial currents (mA/cm²) on `rhs` and
    /// the axial conductances on the diagonal. `v` (mV) and `cm` need one entry
    /// per node.
    pub fn assemble(&mut self, v: &[f64], cm: &[f64], cj: f64) -> Result<()> {
        for (column, found) in [("v", v.len()), ("cm", cm.len())] {
            if found != self.len() {
                return Err(HinesError::ColumnLength {
                    column,
                    expected: self.len(),
                    found,
                });
            }
        }
        let cfac = 0.001 * cj;
        for (d, &c) in self.d.iter_mut().zip(cm) {
            if c != 0.0 {
                *d += cfac * c;
            }
        }
        for i in self.n_roots..self.len() {
            let p = self.parent[i];
            let dv = v[p] - v[i];
            self.rhs[i] -= self.b[i] * dv;
            self.rhs[p] += self.a[i] * dv;
        }
        for i in self.n_roots..self.len() {
            let p = self.parent[i];
            self.d[i] -= self.b[i];
            self.d[p] -= self.a[i];
        }
        Ok(())
    }

    /// Solves the assembled system: `rhs` becomes Δv (mV) and `d` is destroyed.
    /// Gaussian elimination from the leaves to the roots, then back substitution.
    pub fn solve_in_place(&mut self) {
        for i in (self.n_roots..self.len()).rev() {
            let p = self.parent[i];
            let f = self.a[i] / self.d[i];
            self.d[p] -= f * self.b[i];
            self.rhs[p] -= f * self.rhs[i];
        }
        for i in 0..self.n_roots.min(self.len()) {
            self.rhs[i] /= self.d[i];
        }
        for i in self.n_roots..self.len() {
            let p = self.parent[i];
            self.rhs[i] -= self.b[i] * self.rhs[p];
            self.rhs[i] /= self.d[i];
        }
    }
}
