//! The model as HOC has described it so far: sections (geometry, per-segment
//! `diam`, `cm` and `v`, inserted mechanisms with one value per segment and
//! column, ion values set by hand), point processes, NetCons and recordings.
//! This is the source of truth; the solver's `Simulation` is rebuilt from it
//! (see `build`).

use neurite_hines::IonColumn;
use neurite_hoc::sim::{NetConSource, PpId, RecordSource, SecId};
use std::cell::RefCell;
use std::rc::Rc;

/// NEURON's defaults for a new section.
pub(crate) const DEFAULT_L: f64 = 100.0;
pub(crate) const DEFAULT_DIAM: f64 = 500.0;
pub(crate) const DEFAULT_RA: f64 = 35.4;
pub(crate) const DEFAULT_V: f64 = -65.0;

/// Where a section hangs: `connect child(child_x), parent(x)`; `seq` orders
/// the connections as HOC made them (NEURON's sibling order depends on it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Parent {
    pub sec: SecId,
    pub x: f64,
    pub child_x: f64,
    pub seq: u64,
}

/// A density mechanism inserted in a section: `values[column][segment]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MechValues {
    pub name: String,
    pub values: Vec<Vec<f64>>,
}

/// Ion values set from HOC (`ena = 60` in a section): `None` keeps the default.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IonValues {
    pub ion: String,
    pub column: IonColumn,
    pub values: Vec<Option<f64>>,
}

/// One section.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sec {
    pub name: String,
    /// L (µm) as set; sections with 3-D points take theirs from the points.
    pub l: f64,
    /// L was set after the 3-D points (the points are rescaled, as NEURON does).
    pub l_after_pts: bool,
    pub nseg: usize,
    pub ra: f64,
    pub rallbranch: f64,
    pub parent: Option<Parent>,
    /// `[x, y, z, diam]` (µm).
    pub pts: Vec<[f64; 4]>,
    pub diam: Vec<f64>,
    pub cm: Vec<f64>,
    /// Membrane potential (mV) per segment, before the first build.
    pub v: Vec<f64>,
    pub mechs: Vec<MechValues>,
    pub ions: Vec<IonValues>,
}

impl Sec {
    pub fn new(name: &str) -> Sec {
        Sec {
            name: name.to_string(),
            l: DEFAULT_L,
            l_after_pts: false,
            nseg: 1,
            ra: DEFAULT_RA,
            rallbranch: 1.0,
            parent: None,
            pts: Vec::new(),
            diam: vec![DEFAULT_DIAM],
            cm: vec![1.0],
            v: vec![DEFAULT_V],
            mechs: Vec::new(),
            ions: Vec::new(),
        }
    }

    /// The segment holding `x` (0 and 1 give the end segments).
    pub fn seg(&self, x: f64) -> usize {
        seg_index(self.nseg, x)
    }

    /// NEURON's change of nseg: every new segment takes the value of the old
    /// segment containing its centre.
    pub fn set_nseg(&mut self, nseg: usize) {
        let old = self.nseg;
        let remap = |vals: &mut Vec<f64>| {
            *vals = (0..nseg)
                .map(|j| vals[seg_index(old, center(nseg, j))])
                .collect();
        };
        remap(&mut self.diam);
        remap(&mut self.cm);
        remap(&mut self.v);
        for m in &mut self.mechs {
            m.values.iter_mut().for_each(remap);
        }
        for ion in &mut self.ions {
            ion.values = (0..nseg)
                .map(|j| ion.values[seg_index(old, center(nseg, j))])
                .collect();
        }
        self.nseg = nseg;
    }

    /// NEURON's L of a section with 3-D points: the arc length accumulated in
    /// double precision from single-precision coordinate differences (as
    /// `neurite_hines::Model::pt3dadd`), never below 1e-9 µm.
    pub fn arc_length(&self) -> f64 {
        let mut arc = 0.0;
        for w in self.pts.windows(2) {
            let d = |k: usize| f64::from(w[1][k] as f32 - w[0][k] as f32);
            let (t1, t2, t3) = (d(0), d(1), d(2));
            arc += (t1 * t1 + t2 * t2 + t3 * t3).sqrt();
        }
        if arc <= 1e-9 {
            1e-9
        } else {
            arc
        }
    }

    pub fn mech(&self, name: &str) -> Option<&MechValues> {
        self.mechs.iter().find(|m| m.name == name)
    }

    pub fn mech_mut(&mut self, name: &str) -> Option<&mut MechValues> {
        self.mechs.iter_mut().find(|m| m.name == name)
    }

    /// The hand-set values of an ion column, created on first use.
    pub fn ion_mut(&mut self, ion: &str, column: IonColumn) -> &mut IonValues {
        let pos = self
            .ions
            .iter()
            .position(|i| i.ion == ion && i.column == column);
        let k = match pos {
            Some(k) => k,
            None => {
                self.ions.push(IonValues {
                    ion: ion.to_string(),
                    column,
                    values: vec![None; self.nseg],
                });
                self.ions.len() - 1
            }
        };
        &mut self.ions[k]
    }
}

/// The segment of `nseg` holding `x`.
pub(crate) fn seg_index(nseg: usize, x: f64) -> usize {
    let x = if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((x * nseg as f64) as usize).min(nseg.saturating_sub(1))
}

/// The centre of segment `j` of `nseg`.
pub(crate) fn center(nseg: usize, j: usize) -> f64 {
    (j as f64 + 0.5) / nseg as f64
}

/// A point process: its kind, location and one value per column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pp {
    pub kind: String,
    pub loc: Option<(SecId, f64)>,
    pub values: Vec<f64>,
}

/// A NetCon as HOC made it.
#[derive(Debug, Clone)]
pub(crate) struct Nc {
    pub source: NetConSource,
    pub target: Option<PpId>,
    pub weights: Vec<f64>,
    pub delay: f64,
    /// `None` until set: the source keeps its threshold (10 mV when new).
    pub threshold: Option<f64>,
    pub record: Option<Rc<RefCell<Vec<f64>>>>,
    /// `NetCon.record(tvec, idvec, id)`.
    pub record_ids: Option<SpikeIds>,
    /// When `record` or `record_ids` was set: NetCons watching the same
    /// source share NEURON's one recording slot, and the last call wins.
    pub record_seq: u64,
    /// `NetCon.active(0)` turned delivery off.
    pub inactive: bool,
    /// Its HOC object was freed: it delivers nothing (`lifetime`).
    pub freed: bool,
    /// Made with a nil source and a target: NEURON gives it a source that
    /// never fires (`valid()` is 1), lost if a source it gets later is freed.
    pub idle_source: bool,
}

/// Where `NetCon.record(tvec, idvec, id)` puts each spike of the source.
#[derive(Debug, Clone)]
pub(crate) struct SpikeIds {
    pub times: Rc<RefCell<Vec<f64>>>,
    pub ids: Rc<RefCell<Vec<f64>>>,
    pub id: f64,
}

/// `ParallelContext` variable transfers as HOC declared them, in call order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Transfers {
    /// `source_var(&var, sgid)`.
    pub sources: Vec<(u64, RecordSource)>,
    /// `target_var([pp,] &var, sgid)`.
    pub targets: Vec<(u64, RecordSource)>,
    /// `setup_transfer()` was called after the last declaration.
    pub ready: bool,
}

/// A `Vector.record`.
#[derive(Debug, Clone)]
pub(crate) struct Rec {
    pub source: RecordSource,
    pub into: Rc<RefCell<Vec<f64>>>,
}
