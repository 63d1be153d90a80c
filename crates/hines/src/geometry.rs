//! Per-section geometry of NEURON's discretisation: the membrane area and the
//! axial resistance of each segment, from a uniform cylinder (L, diam) or from
//! frustums between 3-D points integrated over each half segment, reproducing
//! NEURON's `nrn_area_ri` and `diam_from_list` (see docs/semantics/cable.md).

use std::f64::consts::PI;

use crate::error::{HinesError, Result};
use crate::morphology::{Pt3d, Section};

/// Area and resistance of every node of one section, in section node order
/// (node `j < nseg` is the centre of segment `j` counted from the connecting end;
/// node `nseg` is the zero-area node at the far end).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SectionGeometry {
    /// Membrane area of each segment (µm²), `nseg` entries.
    pub area: Vec<f64>,
    /// Inverse axial resistance between each node and its parent node (µS = 1/MΩ),
    /// `nseg + 1` entries: node 0 is joined to its parent by the first half
    /// segment only; node `nseg` by the last half segment.
    pub rinv: Vec<f64>,
    /// Mean diameter of each segment (µm), `nseg` entries.
    pub diam: Vec<f64>,
}

/// Computes the geometry of a section as NEURON's `nrn_area_ri` does.
pub(crate) fn section_geometry(sec: &Section) -> Result<SectionGeometry> {
    let spec = sec.spec();
    if sec.pt3d().len() > 1 {
        Ok(frustum_geometry(sec.pt3d(), spec.ra, spec.nseg))
    } else {
        let bad = sec.seg_diam.iter().find(|d| d.is_nan() || **d <= 0.0);
        if let Some(&value) = bad {
            let section = spec.name.clone();
            return Err(HinesError::InvalidParameter {
                section,
                parameter: "diam",
                value,
            });
        }
        Ok(cylinder_geometry(sec.length(), &sec.seg_diam, spec.ra))
    }
}

/// Right circular cylinders: area = π·diam·dx; each node's resistance is the
/// right half of the previous segment plus the left half of its own.
fn cylinder_geometry(length: f64, seg_diam: &[f64], ra: f64) -> SectionGeometry {
    let nseg = seg_diam.len();
    let dx = length / nseg as f64;
    let mut area = Vec::with_capacity(nseg);
    let mut rinv = Vec::with_capacity(nseg + 1);
    let mut rright = 0.0;
    for &diam in seg_diam {
        area.push(PI * diam * dx);
        // half segment resistance in MΩ: 1e-2 converts Ω·cm·µm/µm² to MΩ
        let rleft = 1e-2 * ra * (dx / 2.0) / (PI * diam * diam / 4.0);
        rinv.push(1.0 / (rleft + rright));
        rright = rleft;
    }
    rinv.push(1.0 / rright);
    SectionGeometry {
        area,
        rinv,
        diam: seg_diam.to_vec(),
    }
}

/// Running sums of one segment, accumulated piece by piece in NEURON's order:
/// `Σ Δ/(y1·y2)` for the current half, and over the whole segment `Σ (y1+y2)·Δ`
/// and `Σ (y1+y2)·slant`, where y are diameters (µm) and Δ arc lengths (µm).
#[derive(Debug, Default)]
struct SegmentSums {
    ri: f64,
    diam: f64,
    area: f64,
}

/// The walk along the 3-D points that NEURON keeps between segments: the current
/// point index and the last integration point (arc µm, diameter µm).
#[derive(Debug)]
struct ArcWalk<'a> {
    pts: &'a [Pt3d],
    j: usize,
    x1: f64,
    y1: f64,
}

impl<'a> ArcWalk<'a> {
    fn new(pts: &'a [Pt3d]) -> Self {
        ArcWalk {
            pts,
            j: 0,
            x1: pts[0].arc,
            y1: f64::from(pts[0].d.abs()),
        }
    }

    /// Integrates from the last point reached up to arc length `sip`; returns the
    /// half segment's resistance sum and adds its diam and area sums to `sums`.
    fn integrate_to(&mut self, sums: &mut SegmentSums, sip: f64) -> f64 {
        let npt = self.pts.len();
        sums.ri = 0.0;
        loop {
            let jp = self.j + 1;
            let (pj, pjp) = (self.pts[self.j], self.pts[jp]);
            let (xj, xjp) = (pj.arc, pjp.arc);
            let (x2, y2, jnext) = if xjp > sip || jp == npt - 1 {
                let frac = if (xjp - xj).abs() < 1e-10 {
                    1.0
                } else {
                    (sip - xj) / (xjp - xj)
                };
                let y2 = (1.0 - frac) * f64::from(pj.d.abs()) + frac * f64::from(pjp.d.abs());
                (sip, y2, self.j)
            } else {
                (xjp, f64::from(pjp.d.abs()), jp)
            };
            self.add_piece(sums, x2, y2);
            if self.j == jnext {
                return sums.ri;
            }
            self.j = jnext;
        }
    }

    /// Adds the frustum from (x1, y1) to (x2, y2) and moves to its end.
    fn add_piece(&mut self, sums: &mut SegmentSums, x2: f64, y2: f64) {
        let y1 = self.y1;
        let mut delta = x2 - self.x1;
        sums.diam += (y2 + y1) * delta;
        if delta < 1e-15 {
            delta = 1e-15;
        }
        let mut temp = y2 * y1 / delta;
        if temp == 0.0 {
            temp = 1e-15;
        }
        sums.ri += 1.0 / temp;
        let half_taper = 0.5 * (y2 - y1);
        let slant = (delta * delta + half_taper * half_taper).sqrt();
        sums.area += (y2 + y1) * slant;
        self.x1 = x2;
        self.y1 = y2;
    }
}

/// Frustums between 3-D points (at least two), integrated over the two halves of
/// every segment as NEURON's `diam_from_list` does.
fn frustum_geometry(pts: &[Pt3d], ra: f64, nseg: usize) -> SectionGeometry {
    let ds = pts[pts.len() - 1].arc / nseg as f64;
    let mut walk = ArcWalk::new(pts);
    let mut area = Vec::with_capacity(nseg);
    let mut rinv = Vec::with_capacity(nseg + 1);
    let mut diam = Vec::with_capacity(nseg);
    let mut rright = 0.0;
    for inode in 0..nseg {
        let mut sums = SegmentSums::default();
        let mid = inode as f64 * ds + ds / 2.0;
        let left = walk.integrate_to(&mut sums, mid);
        let right = walk.integrate_to(&mut sums, mid + ds / 2.0);
        // MΩ: 4/π · Ra · Σ Δ/(y1·y2) · 1e-2
        let rleft = left * ra / PI * (4.0 * 0.01);
        rinv.push(1.0 / (rright + rleft));
        rright = right * ra / PI * (4.0 * 0.01);
        diam.push(sums.diam * (0.5 / ds));
        area.push(sums.area * 0.5 * PI);
    }
    rinv.push(1.0 / rright);
    SectionGeometry { area, rinv, diam }
}
