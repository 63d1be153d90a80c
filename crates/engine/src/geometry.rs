//! The morphology of the stored sections as a `neurite-hines` [`Model`] and
//! its [`Discretization`], made afresh whenever the structure changed (it is
//! cheap next to a run) and cached until the next change. Areas, `ri`, `L` of
//! sections with 3-D points and the solver's node numbering come from here.

use crate::store::{center, Sec};
use crate::EngineError;
use neurite_hines::{Discretization, Model, SectionId, SectionSpec};
use neurite_hoc::sim::SecId;

/// A model of the live sections, with the solver id of each HOC section.
#[derive(Debug)]
pub(crate) struct Geometry {
    pub model: Model,
    pub disc: Discretization,
    /// Solver section of each HOC section (`None` for deleted ones).
    pub ids: Vec<Option<SectionId>>,
}

impl Geometry {
    pub fn new(secs: &[Option<Sec>]) -> Result<Geometry, EngineError> {
        let mut model = Model::new();
        let mut ids = Vec::with_capacity(secs.len());
        for sec in secs {
            ids.push(match sec {
                Some(s) => Some(model.add_section(spec(s))?),
                None => None,
            });
        }
        let mut links: Vec<(u64, SectionId, f64, SecId, f64)> = Vec::new();
        for (k, sec) in secs.iter().enumerate() {
            let (Some(sec), Some(child)) = (sec, ids[k]) else {
                continue;
            };
            if let Some(p) = sec.parent {
                links.push((p.seq, child, p.child_x, p.sec, p.x));
            }
        }
        links.sort_by_key(|l| l.0);
        for (_, child, child_x, parent, x) in links {
            if let Some(Some(parent)) = ids.get(parent) {
                model.connect(child, child_x, *parent, x)?;
            }
        }
        // per-segment values are stored in node order: after the orientation is known
        for (sec, id) in secs.iter().zip(&ids) {
            if let (Some(sec), Some(id)) = (sec, id) {
                segments(&mut model, *id, sec)?;
            }
        }
        let disc = Discretization::new(&model)?;
        Ok(Geometry { model, disc, ids })
    }

    /// The solver section of a HOC section.
    pub fn id(&self, sec: SecId) -> Result<SectionId, EngineError> {
        self.ids
            .get(sec)
            .copied()
            .flatten()
            .ok_or(EngineError::DeletedSection { id: sec })
    }

    /// The node of `sec(x)`.
    pub fn node(&self, sec: SecId, x: f64) -> Result<usize, EngineError> {
        Ok(self.disc.node_at(self.id(sec)?, x)?)
    }

    /// L (µm) as NEURON reports it (from the 3-D points when there are some).
    pub fn length(&self, sec: SecId) -> Result<f64, EngineError> {
        Ok(self.model.section(self.id(sec)?)?.length())
    }
}

fn spec(s: &Sec) -> SectionSpec {
    SectionSpec {
        name: s.name.clone(),
        length: s.l,
        diam: s
            .diam
            .first()
            .copied()
            .unwrap_or(crate::store::DEFAULT_DIAM),
        ra: s.ra,
        cm: s.cm.first().copied().unwrap_or(1.0),
        nseg: s.nseg,
    }
}

/// Per-segment diam and cm, 3-D points, and L set after the points.
fn segments(model: &mut Model, id: SectionId, s: &Sec) -> Result<(), EngineError> {
    for j in 0..s.nseg {
        let x = center(s.nseg, j);
        model.set_segment_diam(id, x, s.diam[j])?;
        model.set_segment_cm(id, x, s.cm[j])?;
    }
    for p in &s.pts {
        model.pt3dadd(id, p[0], p[1], p[2], p[3])?;
    }
    if s.l_after_pts && !s.pts.is_empty() {
        model.set_length(id, s.l)?;
    }
    Ok(())
}
