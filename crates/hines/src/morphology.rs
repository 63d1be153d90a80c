//! Morphology: the model as the user (later the HOC interpreter) builds it —
//! sections with their cable parameters and optional 3-D points, and the
//! connections that make them a forest of cells. Nothing here is discretised;
//! see [`crate::discretize`] for the nodes NEURON would make of it.

use serde::{Deserialize, Serialize};

use crate::error::{HinesError, Result};

/// Identifies a section of a [`Model`] (an index into it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SectionId(pub(crate) usize);

impl SectionId {
    /// The index of the section in creation order.
    pub fn index(self) -> usize {
        self.0
    }
}

/// The parameters of a new section; `Default` gives NEURON's defaults
/// (L = 100 µm, diam = 500 µm, Ra = 35.4 Ω·cm, cm = 1 µF/cm², nseg = 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionSpec {
    /// Name used in error messages and traces.
    pub name: String,
    /// Length L (µm); ignored once the section has 3-D points.
    pub length: f64,
    /// Diameter (µm) given to every segment; ignored once the section has 2 or
    /// more 3-D points. Segments can differ later ([`Model::set_segment_diam`]).
    pub diam: f64,
    /// Axial resistivity Ra (Ω·cm).
    pub ra: f64,
    /// Specific membrane capacitance (µF/cm²) given to every segment.
    pub cm: f64,
    /// Number of segments (at least 1).
    pub nseg: usize,
}

impl Default for SectionSpec {
    fn default() -> Self {
        SectionSpec {
            name: String::from("section"),
            length: 100.0,
            diam: 500.0,
            ra: 35.4,
            cm: 1.0,
            nseg: 1,
        }
    }
}

/// A 3-D point as NEURON stores it: coordinates and diameter in single precision
/// (µm), arc length from the first point in double precision (µm).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pt3d {
    pub x: f32,
    pub y: f32,
    pub z: f32,
    /// Diameter (µm).
    pub d: f32,
    /// Arc length from the section's first 3-D point (µm).
    pub arc: f64,
}

/// How a child section hangs on its parent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    pub parent: SectionId,
    /// Position on the parent, in [0, 1].
    pub x: f64,
    /// Which end of the child touches the parent: `false` for 0, `true` for 1.
    pub reversed: bool,
    /// Connection order, for NEURON's sibling order among equal positions.
    pub(crate) seq: u64,
}

/// One section of a [`Model`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub(crate) spec: SectionSpec,
    /// Diameter of each segment (µm) in node order (from the connecting end),
    /// NEURON's per-segment `diam` used when there are fewer than two 3-D points.
    pub(crate) seg_diam: Vec<f64>,
    /// Capacitance of each segment (µF/cm²) in node order, NEURON's per-segment `cm`.
    pub(crate) seg_cm: Vec<f64>,
    pub(crate) pt3d: Vec<Pt3d>,
    pub(crate) parent: Option<Connection>,
}

impl Section {
    /// The section's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }
    /// The section's parameters as last set.
    pub fn spec(&self) -> &SectionSpec {
        &self.spec
    }
    /// The diameter (µm) of the segment containing `x` (0 and 1 give the end
    /// segments), as set by L/diam; sections with 3-D points get theirs from the
    /// discretisation instead.
    pub fn segment_diam(&self, x: f64) -> Result<f64> {
        check_x(&self.spec.name, x)?;
        Ok(self.seg_diam[segment_index(self.spec.nseg, x, self.reversed())])
    }
    /// The capacitance (µF/cm²) of the segment containing `x`.
    pub fn segment_cm(&self, x: f64) -> Result<f64> {
        check_x(&self.spec.name, x)?;
        Ok(self.seg_cm[segment_index(self.spec.nseg, x, self.reversed())])
    }
    /// Its 3-D points (empty if none).
    pub fn pt3d(&self) -> &[Pt3d] {
        &self.pt3d
    }
    /// Its connection to a parent, if any.
    pub fn parent(&self) -> Option<&Connection> {
        self.parent.as_ref()
    }
    /// NEURON's L (µm): the arc length of the last 3-D point if there are 3-D
    /// points, otherwise the length set; never below 1e-9 µm.
    pub fn length(&self) -> f64 {
        let l = match self.pt3d.last() {
            Some(p) => p.arc,
            None => self.spec.length,
        };
        if l <= 1e-9 {
            1e-9
        } else {
            l
        }
    }
    /// Whether the section is connected by its 1 end (NEURON's orientation 1).
    pub(crate) fn reversed(&self) -> bool {
        self.parent.is_some_and(|c| c.reversed)
    }
}

/// A model: a forest of cells made of sections.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Model {
    sections: Vec<Section>,
    connect_seq: u64,
}

impl Model {
    /// An empty model.
    pub fn new() -> Self {
        Model::default()
    }

    /// Adds an unconnected section (a new root) and returns its id.
    pub fn add_section(&mut self, spec: SectionSpec) -> Result<SectionId> {
        validate_spec(&spec)?;
        let seg_diam = vec![spec.diam; spec.nseg];
        let seg_cm = vec![spec.cm; spec.nseg];
        self.sections.push(Section {
            spec,
            seg_diam,
            seg_cm,
            pt3d: Vec::new(),
            parent: None,
        });
        Ok(SectionId(self.sections.len() - 1))
    }

    /// All sections in creation order.
    pub fn sections(&self) -> impl Iterator<Item = (SectionId, &Section)> {
        self.sections
            .iter()
            .enumerate()
            .map(|(i, s)| (SectionId(i), s))
    }

    /// All sections, indexed by `SectionId::index`.
    pub(crate) fn section_slice(&self) -> &[Section] {
        &self.sections
    }

    /// Number of sections.
    pub fn section_count(&self) -> usize {
        self.sections.len()
    }

    /// The section with this id.
    pub fn section(&self, id: SectionId) -> Result<&Section> {
        let count = self.sections.len();
        self.sections
            .get(id.0)
            .ok_or(HinesError::UnknownSection { id: id.0, count })
    }

    fn section_mut(&mut self, id: SectionId) -> Result<&mut Section> {
        let count = self.sections.len();
        self.sections
            .get_mut(id.0)
            .ok_or(HinesError::UnknownSection { id: id.0, count })
    }

    /// Finds a section by name (the first one so named).
    pub fn find(&self, name: &str) -> Option<SectionId> {
        self.sections
            .iter()
            .position(|s| s.spec.name == name)
            .map(SectionId)
    }

    /// `connect child(child_end), parent(x)`: the child's end `child_end` (0 or 1)
    /// touches the parent at `x`. A child already connected is moved, as in NEURON.
    pub fn connect(
        &mut self,
        child: SectionId,
        child_end: f64,
        parent: SectionId,
        x: f64,
    ) -> Result<()> {
        let child_name = self.section(child)?.spec.name.clone();
        let parent_name = self.section(parent)?.spec.name.clone();
        check_x(&parent_name, x)?;
        let reversed = if child_end == 0.0 {
            false
        } else if child_end == 1.0 {
            true
        } else {
            return Err(HinesError::InvalidChildEnd {
                child: child_name,
                end: child_end,
            });
        };
        if self.is_ancestor_or_self(child, parent) {
            return Err(HinesError::WouldFormLoop {
                child: child_name,
                parent: parent_name,
            });
        }
        self.connect_seq += 1;
        let seq = self.connect_seq;
        self.section_mut(child)?.parent = Some(Connection {
            parent,
            x,
            reversed,
            seq,
        });
        Ok(())
    }

    /// Makes `child` a root again.
    pub fn disconnect(&mut self, child: SectionId) -> Result<()> {
        self.section_mut(child)?.parent = None;
        Ok(())
    }

    fn is_ancestor_or_self(&self, candidate: SectionId, of: SectionId) -> bool {
        let mut cur = Some(of);
        let mut steps = 0;
        while let Some(id) = cur {
            if id == candidate || steps > self.sections.len() {
                return true;
            }
            cur = self
                .sections
                .get(id.0)
                .and_then(|s| s.parent.map(|c| c.parent));
            steps += 1;
        }
        false
    }

    /// Sets the number of segments. Per-segment diameters carry over as NEURON's
    /// `node_realloc` moves segment values (see docs/semantics/cable.md).
    pub fn set_nseg(&mut self, id: SectionId, nseg: usize) -> Result<()> {
        let sec = self.section_mut(id)?;
        if nseg == 0 {
            return Err(HinesError::ZeroSegments {
                section: sec.spec.name.clone(),
            });
        }
        sec.seg_diam = resample_segments(&sec.seg_diam, nseg);
        sec.seg_cm = resample_segments(&sec.seg_cm, nseg);
        sec.spec.nseg = nseg;
        Ok(())
    }

    /// Sets L (µm). A section with 3-D points is stretched instead, as NEURON's
    /// `nrn_length_change` does: arc lengths scale by L/L_old and the points move
    /// along the line from the first point (stored again in single precision).
    pub fn set_length(&mut self, id: SectionId, length: f64) -> Result<()> {
        let sec = self.section_mut(id)?;
        positive(&sec.spec.name, "L", length)?;
        sec.spec.length = length;
        let (Some(first), Some(last)) = (sec.pt3d.first().copied(), sec.pt3d.last()) else {
            return Ok(());
        };
        if last.arc > 0.0 {
            let fac = length / last.arc;
            let (x0, y0, z0) = (f64::from(first.x), f64::from(first.y), f64::from(first.z));
            for p in &mut sec.pt3d {
                p.arc *= fac;
                p.x = (x0 + (f64::from(p.x) - x0) * fac) as f32;
                p.y = (y0 + (f64::from(p.y) - y0) * fac) as f32;
                p.z = (z0 + (f64::from(p.z) - z0) * fac) as f32;
            }
        }
        Ok(())
    }

    /// Sets diam (µm) of every segment. Sections with 2 or more 3-D points take
    /// diam from them (NEURON would rescale the points' diameters instead; not
    /// reproduced).
    pub fn set_diam(&mut self, id: SectionId, diam: f64) -> Result<()> {
        let sec = self.section_mut(id)?;
        positive(&sec.spec.name, "diam", diam)?;
        sec.spec.diam = diam;
        sec.seg_diam.fill(diam);
        Ok(())
    }

    /// `sec(x).diam = diam`: sets the diameter (µm) of the segment containing x
    /// (x = 0 and 1 set the end segments).
    pub fn set_segment_diam(&mut self, id: SectionId, x: f64, diam: f64) -> Result<()> {
        let sec = self.section_mut(id)?;
        positive(&sec.spec.name, "diam", diam)?;
        check_x(&sec.spec.name, x)?;
        let j = segment_index(sec.spec.nseg, x, sec.reversed());
        sec.seg_diam[j] = diam;
        Ok(())
    }

    /// Sets Ra (Ω·cm).
    pub fn set_ra(&mut self, id: SectionId, ra: f64) -> Result<()> {
        let sec = self.section_mut(id)?;
        positive(&sec.spec.name, "Ra", ra)?;
        sec.spec.ra = ra;
        Ok(())
    }

    /// Sets cm (µF/cm²) of every segment; zero is allowed.
    pub fn set_cm(&mut self, id: SectionId, cm: f64) -> Result<()> {
        let sec = self.section_mut(id)?;
        non_negative(&sec.spec.name, "cm", cm)?;
        sec.spec.cm = cm;
        sec.seg_cm.fill(cm);
        Ok(())
    }

    /// `sec(x).cm = cm`: sets the capacitance (µF/cm²) of the segment containing x
    /// (x = 0 and 1 set the end segments).
    pub fn set_segment_cm(&mut self, id: SectionId, x: f64, cm: f64) -> Result<()> {
        let sec = self.section_mut(id)?;
        non_negative(&sec.spec.name, "cm", cm)?;
        check_x(&sec.spec.name, x)?;
        let j = segment_index(sec.spec.nseg, x, sec.reversed());
        sec.seg_cm[j] = cm;
        Ok(())
    }

    /// `pt3dadd(x, y, z, d)` (µm): appends a 3-D point. As in NEURON the values
    /// are stored in single precision and the arc length is accumulated in double
    /// precision from single-precision coordinate differences.
    pub fn pt3dadd(&mut self, id: SectionId, x: f64, y: f64, z: f64, d: f64) -> Result<()> {
        let sec = self.section_mut(id)?;
        if ![x, y, z, d].iter().all(|v| v.is_finite()) || d < 0.0 {
            let section = sec.spec.name.clone();
            return Err(HinesError::InvalidPoint {
                section,
                x,
                y,
                z,
                d,
            });
        }
        let (x, y, z, d) = (x as f32, y as f32, z as f32, d as f32);
        let arc = match sec.pt3d.last() {
            None => 0.0,
            Some(p) => {
                let t1 = f64::from(x - p.x);
                let t2 = f64::from(y - p.y);
                let t3 = f64::from(z - p.z);
                p.arc + (t1 * t1 + t2 * t2 + t3 * t3).sqrt()
            }
        };
        sec.pt3d.push(Pt3d { x, y, z, d, arc });
        Ok(())
    }

    /// `pt3dclear()`: removes all 3-D points.
    pub fn pt3dclear(&mut self, id: SectionId) -> Result<()> {
        self.section_mut(id)?.pt3d.clear();
        Ok(())
    }
}

/// NEURON's `node_index`: the node-order index of the segment containing x
/// (counted from the connecting end; x = 1 gives the last segment).
pub(crate) fn segment_index(nseg: usize, x: f64, reversed: bool) -> usize {
    let mut i = (nseg as f64 * x) as usize;
    if i >= nseg {
        i = nseg - 1;
    }
    if reversed {
        nseg - i - 1
    } else {
        i
    }
}

/// Carries per-segment values from `old.len()` to `n2` segments as NEURON's
/// `node_realloc` moves nodes: when refining, each old segment goes to the new
/// segment containing its centre and the others copy the old segment containing
/// their centre; when coarsening, each new segment takes the old segment
/// containing its centre.
fn resample_segments(old: &[f64], n2: usize) -> Vec<f64> {
    let n1 = old.len();
    let from = |i2: usize| old[((n1 as f64) * ((i2 as f64 + 0.5) / n2 as f64)) as usize];
    let mut new: Vec<Option<f64>> = vec![None; n2];
    if n1 < n2 {
        for (i1, &value) in old.iter().enumerate() {
            let x = (i1 as f64 + 0.5) / n1 as f64;
            new[((n2 as f64) * x) as usize] = Some(value);
        }
    }
    new.iter()
        .enumerate()
        .map(|(i2, v)| v.unwrap_or_else(|| from(i2)))
        .collect()
}

/// Checks that `x` is a position in `[0, 1]`.
pub(crate) fn check_x(section: &str, x: f64) -> Result<()> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(HinesError::PositionOutOfRange {
            section: section.to_string(),
            x,
        })
    }
}

fn positive(section: &str, parameter: &'static str, value: f64) -> Result<()> {
    if value > 0.0 && value.is_finite() {
        Ok(())
    } else {
        Err(HinesError::InvalidParameter {
            section: section.to_string(),
            parameter,
            value,
        })
    }
}

fn non_negative(section: &str, parameter: &'static str, value: f64) -> Result<()> {
    if value >= 0.0 && value.is_finite() {
        Ok(())
    } else {
        Err(HinesError::InvalidParameter {
            section: section.to_string(),
            parameter,
            value,
        })
    }
}

fn validate_spec(spec: &SectionSpec) -> Result<()> {
    if spec.nseg == 0 {
        return Err(HinesError::ZeroSegments {
            section: spec.name.clone(),
        });
    }
    positive(&spec.name, "L", spec.length)?;
    positive(&spec.name, "diam", spec.diam)?;
    positive(&spec.name, "Ra", spec.ra)?;
    non_negative(&spec.name, "cm", spec.cm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refining_keeps_each_old_segment_at_its_centre() {
        // 2 -> 5: old centres 0.25, 0.75 land in new segments 1 and 3; the
        // others copy the old segment containing their centre (0.5 is in the 2nd)
        let v = resample_segments(&[1.0, 2.0], 5);
        assert_eq!(v, vec![1.0, 1.0, 2.0, 2.0, 2.0]);
    }

    #[test]
    fn coarsening_takes_the_segment_containing_each_new_centre() {
        let v = resample_segments(&[1.0, 2.0, 3.0, 4.0, 5.0], 3);
        assert_eq!(v, vec![1.0, 3.0, 5.0]);
    }

    #[test]
    fn segment_index_counts_from_the_connecting_end() {
        assert_eq!(segment_index(4, 0.5, false), 2);
        assert_eq!(segment_index(4, 1.0, false), 3);
        assert_eq!(segment_index(4, 0.0, true), 3);
        assert_eq!(segment_index(4, 0.6, true), 1);
    }
}
