//! Ions: per-node state of each ion species (reversal potential,
//! concentrations, the current that mechanisms write and its voltage
//! derivative), owned by the solver and shared by the mechanisms that use the
//! ion, as NEURON's ion mechanisms (`na_ion`, …, `eion.cpp`) are. The solver
//! knows species only by index and charge; their names and defaults belong to
//! whoever builds the model.

use crate::error::{HinesError, Result};

/// Faraday constant (C/mol), CODATA 2018 as NEURON uses it.
pub const FARADAY: f64 = 1.602176634e-19 * 6.02214076e+23;
/// Gas constant (J/(mol·K)), CODATA 2018 as NEURON uses it.
pub const GAS_CONSTANT: f64 = 1.380649e-23 * 6.02214076e+23;

/// Identifies an ion species of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IonId(pub(crate) usize);

/// How the solver treats a species' reversal potential and concentrations
/// (NEURON's ion style bits, decided by how mechanisms use the ion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IonStyle {
    /// Reset concentrations to their initial values at `finitialize` (bit 04).
    pub init_conc: bool,
    /// Compute the reversal potential from the concentrations at `finitialize` (bit 040).
    pub init_erev: bool,
    /// Recompute the reversal potential before every current evaluation (bit 0100).
    pub advance_erev: bool,
}

impl IonStyle {
    /// NEURON's `nrn_promote`: the style implied by how the mechanisms at a node
    /// use the ion. `conc` and `rev` are the highest use of a concentration and
    /// of the reversal potential over those mechanisms: 0 unused, 1 read,
    /// 3 written. Using a concentration makes erev depend on it (level 2).
    pub fn from_use_levels(conc: u8, rev: u8) -> Self {
        let rev = if conc > 0 && rev < 2 { 2 } else { rev };
        IonStyle {
            init_conc: conc == 3,
            init_erev: conc > 0 && rev == 2,
            advance_erev: conc == 3 && rev == 2,
        }
    }

    /// NEURON's `ion_style(name, c_style, e_style, einit, eadvance, cinit)`:
    /// only the last three flags change what the solver does.
    pub fn from_flags(einit: bool, eadvance: bool, cinit: bool) -> Self {
        IonStyle {
            init_conc: cinit,
            init_erev: einit,
            advance_erev: eadvance,
        }
    }
}

/// A species and the values its instances start with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IonSpec {
    /// Valence.
    pub charge: f64,
    /// Reversal potential of new instances (mV).
    pub erev: f64,
    /// Inside concentration of new instances and at init (mM).
    pub conc_in: f64,
    /// Outside concentration of new instances and at init (mM).
    pub conc_out: f64,
    pub style: IonStyle,
}

/// Which value of an ion instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IonColumn {
    /// Reversal potential (mV).
    Erev,
    /// Inside concentration (mM).
    ConcIn,
    /// Outside concentration (mM).
    ConcOut,
    /// Total current through this species' channels (mA/cm²), outward positive.
    Current,
    /// d(current)/dv (S/cm²).
    DCurrentDv,
}

/// One species' instances, one per node that uses it, column by column.
/// Instances are created through [`crate::Simulation::ion_instance_at`]; the
/// columns can be read and written but not resized.
#[derive(Debug, Clone, PartialEq)]
pub struct IonSpecies {
    pub(crate) spec: IonSpec,
    /// Node of each instance.
    pub(crate) node: Vec<usize>,
    /// Reversal potential (mV).
    pub(crate) erev: Vec<f64>,
    /// Inside concentration (mM).
    pub(crate) conc_in: Vec<f64>,
    /// Outside concentration (mM).
    pub(crate) conc_out: Vec<f64>,
    /// Current (mA/cm²), zeroed before each current evaluation, summed by mechanisms.
    pub(crate) current: Vec<f64>,
    /// d(current)/dv (S/cm²), zeroed and summed like `current`.
    pub(crate) dcurrent_dv: Vec<f64>,
    /// Style of each instance: NEURON keeps the style per node, promoted by the
    /// mechanisms at that node only.
    pub(crate) style: Vec<IonStyle>,
}

/// NEURON's Nernst potential (mV) at `celsius` for valence `z`; ±1e6 mV when a
/// concentration is not positive, 0 for z = 0.
pub fn nernst(conc_in: f64, conc_out: f64, z: f64, celsius: f64) -> f64 {
    if z == 0.0 {
        return 0.0;
    }
    if conc_in <= 0.0 {
        1e6
    } else if conc_out <= 0.0 {
        -1e6
    } else {
        let ktf = 1000.0 * GAS_CONSTANT * (celsius + 273.15) / FARADAY;
        ktf / z * (conc_out / conc_in).ln()
    }
}

impl IonSpecies {
    fn new(spec: IonSpec) -> Self {
        IonSpecies {
            spec,
            node: Vec::new(),
            erev: Vec::new(),
            conc_in: Vec::new(),
            conc_out: Vec::new(),
            current: Vec::new(),
            dcurrent_dv: Vec::new(),
            style: Vec::new(),
        }
    }

    /// The species' charge, initial values and style.
    pub fn spec(&self) -> &IonSpec {
        &self.spec
    }

    /// Changes how the solver treats this species (NEURON's `ion_style`, or the
    /// style promoted by the mechanisms that use it).
    pub fn set_style(&mut self, style: IonStyle) {
        self.spec.style = style;
        self.style.fill(style);
    }

    /// Changes the style of one instance only (NEURON's `nrn_promote` at one
    /// node: the mechanisms elsewhere do not change how this node's ion behaves).
    pub fn set_instance_style(&mut self, instance: usize, style: IonStyle) {
        if let Some(s) = self.style.get_mut(instance) {
            *s = style;
        }
    }

    /// The style of one instance (the species' style for an unknown instance).
    pub fn instance_style(&self, instance: usize) -> IonStyle {
        self.style.get(instance).copied().unwrap_or(self.spec.style)
    }

    /// Node of each instance.
    pub fn nodes(&self) -> &[usize] {
        &self.node
    }

    /// A column over all instances (units as in [`IonColumn`]).
    pub fn column(&self, column: IonColumn) -> &[f64] {
        match column {
            IonColumn::Erev => &self.erev,
            IonColumn::ConcIn => &self.conc_in,
            IonColumn::ConcOut => &self.conc_out,
            IonColumn::Current => &self.current,
            IonColumn::DCurrentDv => &self.dcurrent_dv,
        }
    }

    /// A column over all instances, to write (e.g. concentrations in `state`).
    pub fn column_mut(&mut self, column: IonColumn) -> &mut [f64] {
        match column {
            IonColumn::Erev => &mut self.erev,
            IonColumn::ConcIn => &mut self.conc_in,
            IonColumn::ConcOut => &mut self.conc_out,
            IonColumn::Current => &mut self.current,
            IonColumn::DCurrentDv => &mut self.dcurrent_dv,
        }
    }

    /// The value of a column for an instance.
    pub fn get(&self, instance: usize, column: IonColumn) -> Option<f64> {
        self.column(column).get(instance).copied()
    }

    /// Adds a mechanism's current `i` (mA/cm²) through this species and its
    /// derivative `di_dv` (S/cm²) at an instance (NMODL's `WRITE ina`).
    pub fn add_current(&mut self, instance: usize, i: f64, di_dv: f64) {
        if let (Some(c), Some(d)) = (
            self.current.get_mut(instance),
            self.dcurrent_dv.get_mut(instance),
        ) {
            *c += i;
            *d += di_dv;
        }
    }

    /// NEURON's `ion_init`: concentrations, then reversal potentials, per
    /// instance style.
    fn init(&mut self, celsius: f64) {
        let IonSpec {
            charge,
            conc_in,
            conc_out,
            ..
        } = self.spec;
        for k in 0..self.node.len() {
            let style = self.style[k];
            if style.init_conc {
                self.conc_in[k] = conc_in;
                self.conc_out[k] = conc_out;
            }
            if style.init_erev {
                self.erev[k] = nernst(self.conc_in[k], self.conc_out[k], charge, celsius);
            }
        }
    }

    /// NEURON's `ion_cur`: zero currents and derivatives; recompute reversal
    /// potentials where the instance's style says so.
    fn begin_currents(&mut self, celsius: f64) {
        self.current.fill(0.0);
        self.dcurrent_dv.fill(0.0);
        let charge = self.spec.charge;
        for k in 0..self.node.len() {
            if self.style[k].advance_erev {
                self.erev[k] = nernst(self.conc_in[k], self.conc_out[k], charge, celsius);
            }
        }
    }
}

/// All ion species of a simulation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ions {
    species: Vec<IonSpecies>,
}

impl Ions {
    /// Adds a species with no instances.
    pub fn add_species(&mut self, spec: IonSpec) -> IonId {
        self.species.push(IonSpecies::new(spec));
        IonId(self.species.len() - 1)
    }

    /// The species with this id.
    pub fn species(&self, ion: IonId) -> Result<&IonSpecies> {
        self.species
            .get(ion.0)
            .ok_or(HinesError::UnknownIon { id: ion.0 })
    }

    /// The species with this id, to read and write its columns.
    pub fn species_mut(&mut self, ion: IonId) -> Result<&mut IonSpecies> {
        self.species
            .get_mut(ion.0)
            .ok_or(HinesError::UnknownIon { id: ion.0 })
    }

    /// The instance of `ion` at `node`, created with the species' initial
    /// values if the node has none yet (NEURON inserts `na_ion` where a
    /// mechanism using na is inserted). The caller checks `node`.
    pub(crate) fn instance_at(&mut self, ion: IonId, node: usize) -> Result<usize> {
        let sp = self.species_mut(ion)?;
        if let Some(k) = sp.node.iter().position(|&n| n == node) {
            return Ok(k);
        }
        sp.node.push(node);
        sp.erev.push(sp.spec.erev);
        sp.conc_in.push(sp.spec.conc_in);
        sp.conc_out.push(sp.spec.conc_out);
        sp.current.push(0.0);
        sp.dcurrent_dv.push(0.0);
        sp.style.push(sp.spec.style);
        Ok(sp.node.len() - 1)
    }

    /// Number of species.
    pub fn len(&self) -> usize {
        self.species.len()
    }

    /// Whether there are no species.
    pub fn is_empty(&self) -> bool {
        self.species.is_empty()
    }

    pub(crate) fn init(&mut self, celsius: f64) {
        self.species.iter_mut().for_each(|s| s.init(celsius));
    }

    pub(crate) fn begin_currents(&mut self, celsius: f64) {
        self.species
            .iter_mut()
            .for_each(|s| s.begin_currents(celsius));
    }

    /// NEURON's `second_order_cur` (secondorder = 2): current += d(current)/dv·Δv.
    pub(crate) fn second_order_correction(&mut self, dv: &[f64]) {
        for s in &mut self.species {
            for k in 0..s.node.len() {
                s.current[k] += s.dcurrent_dv[k] * dv[s.node[k]];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotion_follows_nrn_promote() {
        // hh: reads ena only
        assert_eq!(IonStyle::from_use_levels(0, 1), IonStyle::default());
        // reads cai (e.g. a calcium-activated channel): erev set at init only
        let read = IonStyle::from_use_levels(1, 0);
        assert!(!read.init_conc && read.init_erev && !read.advance_erev);
        // writes cai (a pump or buffer): everything recomputed
        let write = IonStyle::from_use_levels(3, 1);
        assert!(write.init_conc && write.init_erev && write.advance_erev);
        // writes eca: erev is the mechanism's business
        let erev = IonStyle::from_use_levels(3, 3);
        assert!(erev.init_conc && !erev.init_erev && !erev.advance_erev);
    }

    #[test]
    fn style_is_per_instance() {
        // calcium at two nodes: a pump writes cai at node 0 only, node 1 has
        // just a reader of eca and keeps its fixed eca (NEURON's per-node style)
        let mut ions = Ions::default();
        let ca = ions.add_species(IonSpec {
            charge: 2.0,
            erev: 132.4579341637009,
            conc_in: 5e-5,
            conc_out: 2.0,
            style: IonStyle::default(),
        });
        let (a, b) = (
            ions.instance_at(ca, 0).unwrap_or(9),
            ions.instance_at(ca, 1).unwrap_or(9),
        );
        let sp = ions.species_mut(ca).unwrap_or_else(|e| panic!("{e}"));
        sp.set_style(IonStyle::from_use_levels(0, 1));
        sp.set_instance_style(a, IonStyle::from_use_levels(3, 1));
        sp.column_mut(IonColumn::ConcIn).fill(1e-3);
        sp.begin_currents(6.3);
        let e = sp.column(IonColumn::Erev);
        assert_eq!(e[b], 132.4579341637009);
        assert_eq!(e[a], nernst(1e-3, 2.0, 2.0, 6.3));
        assert!(!sp.instance_style(b).advance_erev && sp.instance_style(a).advance_erev);
    }

    #[test]
    fn nernst_matches_neuron() {
        // h.nernst(15, 140, 1) at 6.3 degC in NEURON 9.0.2
        let e = nernst(15.0, 140.0, 1.0, 6.3);
        assert!((e - 53.78744207749856).abs() < 1e-12, "{e}");
        assert_eq!(nernst(0.0, 1.0, 2.0, 6.3), 1e6);
        assert_eq!(nernst(1.0, 0.0, 2.0, 6.3), -1e6);
        assert_eq!(nernst(1.0, 2.0, 0.0, 6.3), 0.0);
    }
}
