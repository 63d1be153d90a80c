//! Longitudinal diffusion of a mechanism's quantities along the cable
//! (NMODL's `LONGITUDINAL_DIFFUSION`), as NEURON 9.0.2's fixed step does it
//! (`long_difus_solve` with its staggered method, once per step after every
//! mechanism's states have advanced).
//!
//! The instances of one mechanism form a tree of their own, separate from the
//! voltage tree: each instance's node is joined to the nearest node that also
//! has the mechanism, found as NEURON finds it:
//! 1. the node's parent in the voltage tree, if it has the mechanism;
//! 2. otherwise (the parent is a section's zero-area end node, or a section
//!    without the mechanism) the parent's parent, if it has the mechanism;
//! 3. otherwise, or when the parent is a cell's root node, the first segment
//!    of the node's section's parent section, if it has the mechanism;
//! 4. otherwise the instance has no parent (a root of the diffusion tree).
//!
//! With `dx` = L/nseg of a node's section, the coupling of node i to its
//! parent p uses `af = 2/dx_p/(dx_i + dx_p)` and `bf = 2/dx_i/(dx_i + dx_p)`
//! (NEURON's rallbranch factor, 1 here, multiplies `af` at a section's first
//! node). Each step, for each diffused quantity, the mechanism gives per
//! instance its value c, the coefficient `D` (diffusion constant × the area
//! the quantity diffuses through, e.g. µm²/ms × µm²) and the volume per unit
//! length `V` (µm²) from its COMPARTMENT statement. The coefficient between i
//! and p is the mean `D̄ = (D_i + D_p)/2`, and backward Euler gives
//!
//! ```text
//! (c_i − c_i_old)/dt = bf_i·D̄/V_i·(c_p − c_i) + Σ_children k af_k·D̄_k/V_i·(c_k − c_i)
//! ```
//!
//! solved exactly on the tree (NEURON's `nrn_tree_solve`: elimination from the
//! last node to the first, then back substitution). With equal neighbours the
//! amount `V·dx·c` is conserved.

use crate::discretize::Discretization;
use crate::mechanism::{Mechanism, NodeContext};

/// The diffusion tree of one mechanism's instances with its fixed geometric
/// factors.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffusionTree {
    /// Instance at each tree position; positions follow node order, so a
    /// parent's position is smaller than its children's.
    instance: Vec<usize>,
    /// Parent position of each position, if any.
    parent: Vec<Option<usize>>,
    /// `2·rall/dx_p/(dx_i + dx_p)` per position (0 without parent).
    af: Vec<f64>,
    /// `2/dx_i/(dx_i + dx_p)` per position (0 without parent).
    bf: Vec<f64>,
}

/// Work arrays of one solve, kept to avoid allocating every step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiffusionWork {
    a: Vec<f64>,
    b: Vec<f64>,
    d: Vec<f64>,
    rhs: Vec<f64>,
}

impl DiffusionTree {
    /// The tree of instances placed at `nodes` (one node per instance). When
    /// two instances share a node, the later one takes part (as NEURON's map
    /// from node to instance keeps the last).
    pub fn new(disc: &Discretization, nodes: &[usize]) -> Self {
        let n = disc.len();
        let mut map: Vec<Option<usize>> = vec![None; n];
        for (k, &node) in nodes.iter().enumerate() {
            if let Some(slot) = map.get_mut(node) {
                *slot = Some(k);
            }
        }
        let mut position: Vec<Option<usize>> = vec![None; n];
        let mut tree = DiffusionTree {
            instance: Vec::new(),
            parent: Vec::new(),
            af: Vec::new(),
            bf: Vec::new(),
        };
        for node in 0..n {
            let Some(k) = map[node] else { continue };
            let parent =
                diffusion_parent(disc, &map, node).and_then(|p| position[p].map(|j| (p, j)));
            let (af, bf) = match parent {
                Some((p, _)) => {
                    let dxc = segment_length(disc, node);
                    let dxp = segment_length(disc, p);
                    // NEURON's rallbranch of the section (1) at its first node
                    let rall = 1.0;
                    (2.0 * rall / dxp / (dxc + dxp), 2.0 / dxc / (dxc + dxp))
                }
                None => (0.0, 0.0),
            };
            position[node] = Some(tree.instance.len());
            tree.instance.push(k);
            tree.parent.push(parent.map(|(_, j)| j));
            tree.af.push(af);
            tree.bf.push(bf);
        }
        tree
    }

    /// Number of instances taking part.
    pub fn len(&self) -> usize {
        self.instance.len()
    }

    /// Whether no instance takes part.
    pub fn is_empty(&self) -> bool {
        self.instance.is_empty()
    }

    /// The parent instance of each taking part, as (instance, parent instance).
    pub fn edges(&self) -> impl Iterator<Item = (usize, Option<usize>)> + '_ {
        self.instance
            .iter()
            .zip(&self.parent)
            .map(|(&k, p)| (k, p.map(|j| self.instance[j])))
    }

    /// One backward-Euler step of length `dt` (ms) for one quantity: `values`
    /// (per instance) are replaced by the solution; `coef` and `volume` are
    /// per instance as described in the module docs. Instances not in the
    /// tree keep their values.
    pub fn step(
        &self,
        dt: f64,
        values: &mut [f64],
        coef: &[f64],
        volume: &[f64],
        work: &mut DiffusionWork,
    ) {
        let n = self.len();
        let at = |col: &[f64], j: usize| col.get(self.instance[j]).copied().unwrap_or(f64::NAN);
        work.a.clear();
        work.a.resize(n, 0.0);
        work.b.clear();
        work.b.resize(n, 0.0);
        work.d.clear();
        work.d.resize(n, 0.0);
        work.rhs.clear();
        work.rhs.resize(n, 0.0);
        for j in 0..n {
            if let Some(p) = self.parent[j] {
                let mean = (at(coef, j) + at(coef, p)) / 2.0;
                work.a[j] = -self.af[j] * mean / at(volume, p);
                work.b[j] = -self.bf[j] * mean / at(volume, j);
            }
        }
        for j in 0..n {
            work.d[j] += 1.0 / dt;
            work.rhs[j] = at(values, j) / dt;
            if let Some(p) = self.parent[j] {
                work.d[j] -= work.b[j];
                work.d[p] -= work.a[j];
            }
        }
        for j in (1..n).rev() {
            if let Some(p) = self.parent[j] {
                let f = work.a[j] / work.d[j];
                work.d[p] -= f * work.b[j];
                work.rhs[p] -= f * work.rhs[j];
            }
        }
        for j in 0..n {
            if let Some(p) = self.parent[j] {
                work.rhs[j] -= work.b[j] * work.rhs[p];
            }
            work.rhs[j] /= work.d[j];
        }
        for j in 0..n {
            if let Some(x) = values.get_mut(self.instance[j]) {
                *x = work.rhs[j];
            }
        }
    }
}

/// One step of every diffused quantity of the mechanisms that have a tree
/// (`trees` pairs a mechanism's index with its tree), mechanism by mechanism,
/// quantity by quantity, as NEURON's `long_difus_solve` goes through them.
pub fn diffuse(
    mechanisms: &mut [Box<dyn Mechanism>],
    trees: &[(usize, DiffusionTree)],
    ctx: &mut NodeContext<'_>,
) {
    let mut work = DiffusionWork::default();
    for (index, tree) in trees {
        let Some(m) = mechanisms.get_mut(*index) else {
            continue;
        };
        let n = m.instance_count();
        let (mut values, mut coef, mut volume) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        for k in 0..m.diffusion_count() {
            m.diffusion_get(ctx, k, &mut values, &mut coef, &mut volume);
            tree.step(ctx.step.dt, &mut values, &coef, &volume, &mut work);
            m.diffusion_set(ctx, k, &values);
        }
    }
}

/// L/nseg of the section of `node` (a segment centre).
fn segment_length(disc: &Discretization, node: usize) -> f64 {
    let section = disc.location[node].0;
    let sn = &disc.sections[section.0];
    sn.length / (sn.nodes.len() - 1) as f64
}

/// The node a mechanism node diffuses to (see the module docs), or none.
fn diffusion_parent(disc: &Discretization, map: &[Option<usize>], node: usize) -> Option<usize> {
    let has = |i: usize| map.get(i).is_some_and(Option::is_some);
    let roots = disc.n_roots();
    if node < roots {
        return None;
    }
    let parent = disc.parent[node];
    if has(parent) {
        return Some(parent);
    }
    if parent >= roots {
        let grandparent = disc.parent[parent];
        if grandparent != parent && has(grandparent) {
            return Some(grandparent);
        }
    }
    let section = disc.location[node].0;
    let parent_section = disc.sections[section.0].parent_section?;
    let first = *disc.sections[parent_section.0].nodes.first()?;
    has(first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::morphology::{Model, SectionSpec};

    fn cable() -> crate::Result<(Model, Vec<crate::SectionId>)> {
        let mut model = Model::new();
        let spec = |name: &str, length: f64, nseg: usize| SectionSpec {
            name: name.into(),
            length,
            diam: 1.0,
            nseg,
            ..SectionSpec::default()
        };
        let a = model.add_section(spec("a", 30.0, 3))?;
        let b = model.add_section(spec("b", 20.0, 2))?;
        let c = model.add_section(spec("c", 10.0, 1))?;
        model.connect(b, 0.0, a, 1.0)?;
        model.connect(c, 0.0, a, 0.5)?;
        Ok((model, vec![a, b, c]))
    }

    #[test]
    fn parents_follow_neurons_rules() -> crate::Result<()> {
        let (model, secs) = cable()?;
        let disc = Discretization::new(&model)?;
        let mut nodes = Vec::new();
        for &s in &secs {
            nodes.extend(disc.segment_nodes(s)?);
        }
        let tree = DiffusionTree::new(&disc, &nodes);
        let edges: std::collections::HashMap<usize, Option<usize>> = tree.edges().collect();
        // a: 0,1,2; b: 3,4; c: 5
        assert_eq!(edges[&0], None);
        assert_eq!(edges[&1], Some(0));
        assert_eq!(edges[&2], Some(1));
        // b joins a's zero-area end node, so its first segment joins a's last
        assert_eq!(edges[&3], Some(2));
        assert_eq!(edges[&4], Some(3));
        // c sits on a(0.5), a segment centre
        assert_eq!(edges[&5], Some(1));
        Ok(())
    }

    #[test]
    fn amount_is_conserved_and_spreads() -> crate::Result<()> {
        let (model, secs) = cable()?;
        let disc = Discretization::new(&model)?;
        let mut nodes = Vec::new();
        let mut dx = Vec::new();
        for &s in &secs {
            let segs = disc.segment_nodes(s)?;
            let sn = disc.section(s)?;
            dx.extend(segs.iter().map(|_| sn.length / (sn.nodes.len() - 1) as f64));
            nodes.extend(segs);
        }
        let tree = DiffusionTree::new(&disc, &nodes);
        let n = nodes.len();
        let mut c = vec![0.0; n];
        c[0] = 1.0;
        let coef = vec![0.6; n];
        let volume = vec![0.8; n];
        let amount = |c: &[f64]| c.iter().zip(&dx).map(|(c, dx)| c * dx * 0.8).sum::<f64>();
        let before = amount(&c);
        let mut work = DiffusionWork::default();
        for _ in 0..400 {
            tree.step(0.025, &mut c, &coef, &volume, &mut work);
        }
        assert!((amount(&c) - before).abs() < 1e-12 * before);
        assert!(c.iter().all(|&x| x > 0.0 && x < 1.0));
        // further away, less
        assert!(c[0] > c[1] && c[1] > c[2] && c[2] > c[3] && c[3] > c[4]);
        Ok(())
    }
}
