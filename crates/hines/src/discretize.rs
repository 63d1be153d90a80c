//! Spatial discretisation: turns a [`Model`] into NEURON's nodes — one per
//! segment centre, a zero-area node at the far end of every section and one root
//! node per cell — numbered in NEURON's order, with their areas, axial
//! resistances and the coupling coefficients `a`/`b` of the Hines matrix.
//!
//! **Invariant:** nodes `0..n_roots` are the cells' root nodes; every other node
//! `i` has `parent[i] < i`. This is the order the Hines solver needs and the one
//! NEURON uses (roots first, then each cell breadth-first).

use std::collections::VecDeque;

use crate::error::{HinesError, Result};
use crate::geometry::{section_geometry, SectionGeometry};
use crate::matrix::HinesMatrix;
use crate::morphology::{check_x, segment_index, Model, Section, SectionId};

/// Area given to nodes without membrane (root and section-end nodes): NEURON's
/// "100 in dimensionless units", which makes their equations read in nA and µS.
pub const ZERO_AREA_NODE: f64 = 100.0;

/// A node's key before numbering: a cell's root node or node `j` of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeKey {
    Root(usize),
    Sec(usize, usize),
}

/// The nodes of one section, as indices into the discretisation's arrays.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionNodes {
    /// The node the section's connecting end is joined to.
    pub parent_node: usize,
    /// `nseg + 1` nodes from the connecting end: `nseg` segment centres, then the
    /// zero-area end node.
    pub nodes: Vec<usize>,
    /// Whether the section is connected by its 1 end (x runs against node order).
    pub reversed: bool,
    /// The section's length L (µm; from its 3-D points if it has them).
    pub length: f64,
    /// The section it is connected to, if any (NEURON's `parentsec`).
    pub parent_section: Option<SectionId>,
}

/// The discretised model: per-node columns in solver order.
#[derive(Debug, Clone, PartialEq)]
pub struct Discretization {
    /// Number of cells; nodes `0..n_roots` are their root nodes.
    pub(crate) n_roots: usize,
    /// Parent of each node; meaningful for `i >= n_roots`, where `parent[i] < i`.
    pub(crate) parent: Vec<usize>,
    /// Membrane area (µm²); [`ZERO_AREA_NODE`] for nodes without membrane.
    pub(crate) area: Vec<f64>,
    /// Inverse axial resistance to the parent node (µS); 0 for roots.
    pub(crate) rinv: Vec<f64>,
    /// Effect of node i's voltage on its parent's equation, NEURON's NODEA:
    /// `-100·rinv[i]/area[parent[i]]` (mS/cm², or µS at zero-area nodes).
    pub(crate) a: Vec<f64>,
    /// Effect of the parent's voltage on node i's equation, NEURON's NODEB:
    /// `-100·rinv[i]/area[i]` (mS/cm², or µS at zero-area nodes).
    pub(crate) b: Vec<f64>,
    /// Specific capacitance (µF/cm²); 0 for nodes without membrane.
    pub(crate) cm: Vec<f64>,
    /// Mean diameter (µm) of the segment of each node; 0 for nodes without membrane.
    pub(crate) diam: Vec<f64>,
    /// Whether the node has membrane (is a segment centre).
    pub(crate) membrane: Vec<bool>,
    /// Section and position (x) of each node, for messages and lookups.
    pub(crate) location: Vec<(SectionId, f64)>,
    /// The nodes of each section, by section index.
    pub(crate) sections: Vec<SectionNodes>,
    /// Section names by section index.
    pub(crate) names: Vec<String>,
}

impl Discretization {
    /// Discretises `model` exactly as NEURON's `setup_topology`, `nrn_area_ri`
    /// and `connection_coef` would.
    pub fn new(model: &Model) -> Result<Self> {
        let geoms = model
            .sections()
            .map(|(_, s)| section_geometry(s))
            .collect::<Result<Vec<_>>>()?;
        let secs = model.section_slice();
        let parent_keys: Vec<NodeKey> = (0..secs.len()).map(|s| parent_key(secs, s)).collect();
        let (roots, order) = section_order(secs);
        let mut disc = Discretization::empty(model, roots.len());
        let mut index_of = KeyIndex::new(secs);
        for &r in &roots {
            index_of.set(NodeKey::Root(r), disc.push_root(r));
        }
        for &s in &order {
            let parent_node = index_of.get(parent_keys[s]);
            disc.push_section(s, &secs[s], &geoms[s], parent_node, &mut index_of);
        }
        disc.connection_coefficients();
        Ok(disc)
    }

    fn empty(model: &Model, n_roots: usize) -> Self {
        Discretization {
            n_roots,
            parent: Vec::new(),
            area: Vec::new(),
            rinv: Vec::new(),
            a: Vec::new(),
            b: Vec::new(),
            cm: Vec::new(),
            diam: Vec::new(),
            membrane: Vec::new(),
            location: Vec::new(),
            sections: vec![SectionNodes::default(); model.section_count()],
            names: model
                .sections()
                .map(|(_, s)| s.name().to_string())
                .collect(),
        }
    }

    /// Number of cells; nodes `0..n_roots()` are their root nodes.
    pub fn n_roots(&self) -> usize {
        self.n_roots
    }

    /// Parent of each node; meaningful for `i >= n_roots()`, where `parent[i] < i`.
    pub fn parent(&self) -> &[usize] {
        &self.parent
    }

    /// Membrane area per node (µm²); [`ZERO_AREA_NODE`] for nodes without membrane.
    pub fn area(&self) -> &[f64] {
        &self.area
    }

    /// Inverse axial resistance to the parent node (µS) per node; 0 for roots.
    pub fn rinv(&self) -> &[f64] {
        &self.rinv
    }

    /// NEURON's NODEA per node (see the field docs).
    pub fn a(&self) -> &[f64] {
        &self.a
    }

    /// NEURON's NODEB per node (see the field docs).
    pub fn b(&self) -> &[f64] {
        &self.b
    }

    /// Specific capacitance per node (µF/cm²); 0 for nodes without membrane.
    pub fn cm(&self) -> &[f64] {
        &self.cm
    }

    /// Mean segment diameter per node (µm); 0 for nodes without membrane.
    pub fn diam(&self) -> &[f64] {
        &self.diam
    }

    /// Whether each node has membrane (is a segment centre).
    pub fn membrane(&self) -> &[bool] {
        &self.membrane
    }

    /// The nodes of a section.
    pub fn section(&self, section: SectionId) -> Result<&SectionNodes> {
        self.section_nodes(section)
    }

    /// A Hines matrix for this tree, with NEURON's coupling coefficients.
    pub fn matrix(&self) -> HinesMatrix {
        HinesMatrix::from_tree(
            self.n_roots,
            self.parent.clone(),
            self.a.clone(),
            self.b.clone(),
        )
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Whether there are no nodes (an empty model).
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    fn push_node(&mut self, parent: usize, area: f64, rinv: f64, loc: (SectionId, f64)) -> usize {
        self.parent.push(parent);
        self.area.push(area);
        self.rinv.push(rinv);
        self.cm.push(0.0);
        self.diam.push(0.0);
        self.membrane.push(false);
        self.location.push(loc);
        self.parent.len() - 1
    }

    fn push_root(&mut self, section: usize) -> usize {
        let i = self.parent.len();
        self.push_node(i, ZERO_AREA_NODE, 0.0, (SectionId(section), 0.0))
    }

    fn push_section(
        &mut self,
        s: usize,
        sec: &Section,
        geom: &SectionGeometry,
        parent_node: usize,
        index_of: &mut KeyIndex,
    ) {
        let (nseg, reversed) = (sec.spec().nseg, sec.reversed());
        let mut nodes = Vec::with_capacity(nseg + 1);
        let mut parent = parent_node;
        for j in 0..=nseg {
            let x = node_x(j, nseg, reversed);
            let area = if j < nseg {
                geom.area[j]
            } else {
                ZERO_AREA_NODE
            };
            let i = self.push_node(parent, area, geom.rinv[j], (SectionId(s), x));
            if j < nseg {
                self.cm[i] = sec.seg_cm[j];
                self.diam[i] = geom.diam[j];
                self.membrane[i] = true;
            }
            index_of.set(NodeKey::Sec(s, j), i);
            nodes.push(i);
            parent = i;
        }
        self.sections[s] = SectionNodes {
            parent_node,
            nodes,
            reversed,
            length: sec.length(),
            parent_section: sec.parent().map(|c| c.parent),
        };
    }

    /// NEURON's `connection_coef` with rall_branch = 1.
    fn connection_coefficients(&mut self) {
        let n = self.len();
        self.a = vec![0.0; n];
        self.b = vec![0.0; n];
        for i in self.n_roots..n {
            let p = self.parent[i];
            self.a[i] = -1.0e2 * self.rinv[i] / self.area[p];
            self.b[i] = -1.0e2 * self.rinv[i] / self.area[i];
        }
    }

    fn section_nodes(&self, section: SectionId) -> Result<&SectionNodes> {
        let count = self.names.len();
        self.sections
            .get(section.0)
            .ok_or(HinesError::UnknownSection {
                id: section.0,
                count,
            })
    }

    /// The node NEURON uses for `section(x)`: x = 0 and x = 1 give the end nodes
    /// (the connecting end is the parent's node), other x the segment containing x.
    pub fn node_at(&self, section: SectionId, x: f64) -> Result<usize> {
        let sn = self.section_nodes(section)?;
        check_x(&self.names[section.0], x)?;
        let nseg = sn.nodes.len() - 1;
        if x <= 0.0 || x >= 1.0 {
            let x = if sn.reversed { 1.0 - x } else { x };
            return Ok(if x == 0.0 {
                sn.parent_node
            } else {
                sn.nodes[nseg]
            });
        }
        Ok(sn.nodes[segment_index(nseg, x, sn.reversed)])
    }

    /// The segment-centre nodes of a section, in increasing x.
    pub fn segment_nodes(&self, section: SectionId) -> Result<Vec<usize>> {
        let sn = self.section_nodes(section)?;
        let mut nodes = sn.nodes[..sn.nodes.len() - 1].to_vec();
        if sn.reversed {
            nodes.reverse();
        }
        Ok(nodes)
    }

    /// Area (µm²) of the node at `section(x)`; 0 for nodes without membrane, as
    /// NEURON's `seg.area()` reports.
    pub fn area_at(&self, section: SectionId, x: f64) -> Result<f64> {
        let i = self.node_at(section, x)?;
        Ok(if self.membrane[i] { self.area[i] } else { 0.0 })
    }

    /// Axial resistance (MΩ) between the node at `section(x)` and its parent, as
    /// NEURON's `seg.ri()` reports (1e30 for a root node).
    pub fn ri_at(&self, section: SectionId, x: f64) -> Result<f64> {
        let i = self.node_at(section, x)?;
        Ok(if i < self.n_roots {
            1e30
        } else {
            1.0 / self.rinv[i]
        })
    }

    /// Name and position of a node, for messages.
    pub fn describe(&self, node: usize) -> (String, f64) {
        match self.location.get(node) {
            Some(&(s, x)) => (self.names[s.0].clone(), x),
            None => (String::from("?"), f64::NAN),
        }
    }
}

/// Position x of section node `j` (NEURON's `nrn_arc_position`).
fn node_x(j: usize, nseg: usize, reversed: bool) -> f64 {
    let x = if j == nseg {
        1.0
    } else {
        (j as f64 + 0.5) / nseg as f64
    };
    if reversed {
        1.0 - x
    } else {
        x
    }
}

/// NEURON's `nrn_parent_info`: the node a section's connecting end joins. A
/// connection at the parent's own connecting end is passed up to the grandparent.
fn parent_key(secs: &[Section], s: usize) -> NodeKey {
    let mut cur = s;
    for _ in 0..=secs.len() {
        let Some(conn) = secs[cur].parent() else {
            break;
        };
        let p = conn.parent.0;
        let psec = &secs[p];
        let orientation = if psec.reversed() { 1.0 } else { 0.0 };
        if conn.x != orientation {
            let nseg = psec.spec().nseg;
            return if conn.x == 0.0 || conn.x == 1.0 {
                NodeKey::Sec(p, nseg)
            } else {
                NodeKey::Sec(p, segment_index(nseg, conn.x, psec.reversed()))
            };
        }
        cur = p;
    }
    NodeKey::Root(cur)
}

/// Root sections in creation order, then all sections cell by cell breadth
/// first, children in NEURON's sibling order (by position on the parent measured
/// from its connecting end; among equals the latest connected first).
fn section_order(secs: &[Section]) -> (Vec<usize>, Vec<usize>) {
    let mut children: Vec<Vec<(f64, u64, usize)>> = vec![Vec::new(); secs.len()];
    let mut roots = Vec::new();
    for (i, sec) in secs.iter().enumerate() {
        match sec.parent() {
            None => roots.push(i),
            Some(c) => {
                let flip = secs[c.parent.0].reversed();
                let pos = if flip { 1.0 - c.x } else { c.x };
                children[c.parent.0].push((pos, c.seq, i));
            }
        }
    }
    for list in &mut children {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    }
    let mut order = Vec::with_capacity(secs.len());
    for &r in &roots {
        let mut queue = VecDeque::from([r]);
        while let Some(s) = queue.pop_front() {
            queue.extend(children[s].iter().map(|c| c.2));
            order.push(s);
        }
    }
    (roots, order)
}

/// Maps node keys to solver indices while numbering.
#[derive(Debug)]
struct KeyIndex {
    roots: Vec<usize>,
    secs: Vec<Vec<usize>>,
}

impl KeyIndex {
    fn new(sections: &[Section]) -> Self {
        let secs = sections
            .iter()
            .map(|s| vec![usize::MAX; s.spec().nseg + 1])
            .collect();
        KeyIndex {
            roots: vec![usize::MAX; sections.len()],
            secs,
        }
    }
    fn set(&mut self, key: NodeKey, index: usize) {
        match key {
            NodeKey::Root(s) => self.roots[s] = index,
            NodeKey::Sec(s, j) => self.secs[s][j] = index,
        }
    }
    fn get(&self, key: NodeKey) -> usize {
        match key {
            NodeKey::Root(s) => self.roots[s],
            NodeKey::Sec(s, j) => self.secs[s][j],
        }
    }
}
