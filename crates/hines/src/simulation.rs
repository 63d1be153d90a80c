//! Fixed-step integration as NEURON does it: `finitialize`, the staggered
//! `fadvance` step and `run`, driving the Hines matrix and the mechanisms per the
//! timing contract documented in [`crate::mechanism`], with the event delivery
//! of [`crate::events`].

use crate::discretize::Discretization;
use crate::error::{HinesError, Result};
use crate::events::Network;
use crate::ion::{IonColumn, IonId, IonSpec, Ions};
use crate::longitudinal::{self, DiffusionTree};
use crate::matrix::HinesMatrix;
use crate::mechanism::{
    BeforeAfter, CurrentContext, Mechanism, NodeContext, Outbox, SecondOrder, SolvedContext,
    StepInfo,
};
use crate::morphology::Model;
use crate::record::{MechanismId, Probe, ProbeId, Source};
use crate::transfer::Transfer;

/// Global run settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimConfig {
    /// Time step (ms); NEURON's default is 0.025.
    pub dt: f64,
    /// Integration method; NEURON's default is 0.
    pub secondorder: SecondOrder,
    /// Temperature (°C); NEURON's default is 6.3.
    pub celsius: f64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            dt: 0.025,
            secondorder: SecondOrder::Implicit,
            celsius: 6.3,
        }
    }
}

/// A discretised model with mechanisms, state and recordings.
#[derive(Debug)]
pub struct Simulation {
    pub(crate) disc: Discretization,
    matrix: HinesMatrix,
    /// Membrane potential per node (mV).
    pub(crate) v: Vec<f64>,
    /// Time (ms).
    pub(crate) t: f64,
    config: SimConfig,
    pub(crate) mechanisms: Vec<Box<dyn Mechanism>>,
    pub(crate) ions: Ions,
    /// Event queue, NetCons and spike sources.
    pub(crate) network: Network,
    sources: Vec<Source>,
    traces: Vec<Vec<f64>>,
    /// Sample times (ms).
    times: Vec<f64>,
    /// Source → target copies done every step (gap junctions).
    pub(crate) transfers: Vec<Transfer>,
    /// The diffusion tree of each mechanism with LONGITUDINAL_DIFFUSION.
    diffusion: Vec<(usize, DiffusionTree)>,
}

impl Simulation {
    /// Discretises `model` and prepares a simulation with no mechanisms.
    pub fn new(model: &Model, config: SimConfig) -> Result<Self> {
        check_time("dt", config.dt)?;
        if !config.celsius.is_finite() {
            return Err(HinesError::InvalidCelsius {
                value: config.celsius,
            });
        }
        let disc = Discretization::new(model)?;
        let matrix = disc.matrix();
        let v = vec![-65.0; disc.len()];
        Ok(Simulation {
            disc,
            matrix,
            v,
            t: 0.0,
            config,
            mechanisms: Vec::new(),
            ions: Ions::default(),
            network: Network::default(),
            sources: Vec::new(),
            traces: Vec::new(),
            times: Vec::new(),
            transfers: Vec::new(),
            diffusion: Vec::new(),
        })
    }

    /// The discretisation (node areas, resistances, lookups).
    pub fn discretization(&self) -> &Discretization {
        &self.disc
    }

    /// Current time (ms).
    pub fn t(&self) -> f64 {
        self.t
    }

    /// Membrane potential per node (mV).
    pub fn v(&self) -> &[f64] {
        &self.v
    }

    /// Run settings.
    pub fn config(&self) -> SimConfig {
        self.config
    }

    /// Changes dt (ms) for the following steps.
    pub fn set_dt(&mut self, dt: f64) -> Result<()> {
        check_time("dt", dt)?;
        self.config.dt = dt;
        Ok(())
    }

    /// Adds an ion species (no instances yet).
    pub fn add_ion(&mut self, spec: IonSpec) -> IonId {
        self.ions.add_species(spec)
    }

    /// The instance of `ion` at `node`, created if the node has none yet; give
    /// its index to the mechanisms that use the ion there.
    pub fn ion_instance_at(&mut self, ion: IonId, node: usize) -> Result<usize> {
        let count = self.disc.len();
        if node >= count {
            return Err(HinesError::UnknownNode {
                instance: 0,
                node,
                count,
            });
        }
        self.ions.instance_at(ion, node)
    }

    /// The ion species and their columns.
    pub fn ions(&self) -> &Ions {
        &self.ions
    }

    /// The ion species, to set concentrations or reversal potentials.
    pub fn ions_mut(&mut self) -> &mut Ions {
        &mut self.ions
    }

    /// Adds a mechanism instance set; its node indices must exist.
    pub fn add_mechanism(&mut self, mechanism: Box<dyn Mechanism>) -> Result<MechanismId> {
        let count = self.disc.len();
        if let Some((instance, &node)) = mechanism
            .nodes()
            .iter()
            .enumerate()
            .find(|(_, &n)| n >= count)
        {
            return Err(HinesError::UnknownNode {
                instance,
                node,
                count,
            });
        }
        if mechanism.diffusion_count() > 0 {
            let tree = DiffusionTree::new(&self.disc, mechanism.nodes());
            self.diffusion.push((self.mechanisms.len(), tree));
        }
        self.mechanisms.push(mechanism);
        Ok(MechanismId(self.mechanisms.len() - 1))
    }

    /// The mechanism with this id.
    pub fn mechanism(&self, id: MechanismId) -> Option<&dyn Mechanism> {
        self.mechanisms.get(id.0).map(|m| m.as_ref())
    }

    /// Reads column `column` of instance `instance` of a mechanism.
    pub fn variable(&self, mechanism: MechanismId, instance: usize, column: usize) -> Result<f64> {
        self.mechanisms
            .get(mechanism.0)
            .and_then(|m| m.read(instance, column))
            .ok_or(HinesError::UnknownVariable {
                mechanism: mechanism.0,
                instance,
                column,
            })
    }

    /// Sets column `column` of instance `instance` of a mechanism (e.g. an
    /// IClamp's amp between runs).
    pub fn set_variable(
        &mut self,
        mechanism: MechanismId,
        instance: usize,
        column: usize,
        value: f64,
    ) -> Result<()> {
        let written = self
            .mechanisms
            .get_mut(mechanism.0)
            .is_some_and(|m| m.write(instance, column, value));
        if written {
            Ok(())
        } else {
            Err(HinesError::UnknownVariable {
                mechanism: mechanism.0,
                instance,
                column,
            })
        }
    }

    /// Changes the integration method for the following steps.
    pub fn set_secondorder(&mut self, secondorder: SecondOrder) {
        self.config.secondorder = secondorder;
    }

    /// Changes the temperature (°C).
    pub fn set_celsius(&mut self, celsius: f64) -> Result<()> {
        if !celsius.is_finite() {
            return Err(HinesError::InvalidCelsius { value: celsius });
        }
        self.config.celsius = celsius;
        Ok(())
    }

    /// Starts recording a probe; samples are taken from the next `finitialize`.
    pub fn record(&mut self, probe: Probe) -> Result<ProbeId> {
        let source = match probe {
            Probe::Voltage { section, x } => Source::Node(self.disc.node_at(section, x)?),
            Probe::Mechanism {
                mechanism,
                instance,
                column,
            } => {
                self.variable(mechanism, instance, column)?;
                Source::Mechanism {
                    mechanism: mechanism.0,
                    instance,
                    column,
                }
            }
            Probe::Ion {
                ion,
                section,
                x,
                column,
            } => self.ion_source(ion, section, x, column)?,
        };
        self.sources.push(source);
        self.traces.push(Vec::new());
        Ok(ProbeId(self.sources.len() - 1))
    }

    fn ion_source(
        &self,
        ion: IonId,
        section: crate::SectionId,
        x: f64,
        column: IonColumn,
    ) -> Result<Source> {
        let node = self.disc.node_at(section, x)?;
        let species = self.ions.species(ion)?;
        match species.node.iter().position(|&n| n == node) {
            Some(instance) => Ok(Source::Ion {
                ion: ion.0,
                instance,
                column,
            }),
            None => {
                let (section, x) = self.disc.describe(node);
                Err(HinesError::IonAbsent {
                    id: ion.0,
                    section,
                    x,
                })
            }
        }
    }

    /// The samples of a probe (one at `finitialize`, one per step).
    pub fn trace(&self, probe: ProbeId) -> Result<&[f64]> {
        self.traces
            .get(probe.0)
            .map(Vec::as_slice)
            .ok_or(HinesError::UnknownProbe { id: probe.0 })
    }

    /// The times (ms) of the samples.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    pub(crate) fn step_info(&self) -> StepInfo {
        StepInfo {
            t: self.t,
            dt: self.config.dt,
            celsius: self.config.celsius,
            secondorder: self.config.secondorder,
        }
    }

    /// NEURON's `finitialize(v_init)`: t = 0, v = v_init everywhere, the
    /// transfers ([`crate::transfer`]), mechanism init hooks, one evaluation of the currents, and the t = 0 sample (earlier
    /// samples are discarded).
    pub fn finitialize(&mut self, v_init: f64) -> Result<()> {
        if !v_init.is_finite() {
            return Err(self.non_finite(0, v_init));
        }
        self.t = 0.0;
        self.network.clear_events();
        self.v.fill(v_init);
        self.do_transfers()?;
        self.before_after(BeforeAfter::BeforeInitial)?;
        self.ions.init(self.config.celsius);
        self.init_mechanisms(false)?;
        self.init_mechanisms(true)?;
        self.network.reset_sources();
        self.init_netcons()?;
        self.before_after(BeforeAfter::AfterInitial)?;
        self.deliver_until(self.t)?;
        self.setup_tree_matrix()?;
        self.before_after(BeforeAfter::BeforeStep)?;
        self.times.clear();
        self.traces.iter_mut().for_each(Vec::clear);
        self.sample();
        self.deliver_until(self.t)
    }

    /// INITIAL of the mechanisms that are (or are not) artificial cells, in
    /// insertion order, with the events each sends.
    fn init_mechanisms(&mut self, artificial: bool) -> Result<()> {
        for index in 0..self.mechanisms.len() {
            if self.mechanisms[index].is_artificial() != artificial {
                continue;
            }
            let mut outbox = Outbox::new();
            let step = self.step_info();
            // POINTERs read and write their targets as INITIALs run in order
            self.pointers_in()?;
            let mut ctx = node_context(&self.disc, &self.v, step, &mut self.ions, &mut outbox);
            self.mechanisms[index].init(&mut ctx);
            self.pointers_out()?;
            self.act_on(index, self.t, None, &mut outbox)?;
        }
        Ok(())
    }

    /// Clears the matrix, lets every mechanism add its currents at the present t
    /// and v, then adds capacitance and the axial terms (NEURON's
    /// `setup_tree_matrix`).
    fn setup_tree_matrix(&mut self) -> Result<()> {
        self.matrix.clear();
        self.before_after(BeforeAfter::BeforeBreakpoint)?;
        self.pointers_in()?;
        self.ions.begin_currents(self.config.celsius);
        let step = self.step_info();
        let mut ctx = CurrentContext {
            step,
            v: &self.v,
            area: &self.disc.area,
            diam: &self.disc.diam,
            rhs: &mut self.matrix.rhs,
            d: &mut self.matrix.d,
            ions: &mut self.ions,
        };
        for m in &mut self.mechanisms {
            m.current(&mut ctx);
        }
        self.pointers_out()?;
        let cj = match self.config.secondorder {
            SecondOrder::Implicit => 1.0 / self.config.dt,
            _ => 2.0 / self.config.dt,
        };
        // v and cm come from the same discretisation as the matrix
        self.matrix.assemble(&self.v, &self.disc.cm, cj)
    }

    /// One fixed step (NEURON's `fadvance`); see the timing contract in
    /// [`crate::mechanism`].
    pub fn fadvance(&mut self) -> Result<()> {
        self.fadvance_to_record()?;
        self.deliver_after_record()
    }

    /// [`Simulation::fadvance`] up to and including the recording, without
    /// the events due by the new t: a caller that records on its own (HOC's
    /// `Vector.record`) samples here, then calls
    /// [`Simulation::deliver_after_record`], as NEURON records before them.
    pub fn fadvance_to_record(&mut self) -> Result<()> {
        self.node_hook(|m, ctx| m.deliver_events(ctx))?;
        self.check_thresholds();
        self.check_watches();
        self.deliver_until(self.t + 0.5 * self.config.dt)?;
        self.t += 0.5 * self.config.dt;
        self.setup_tree_matrix()?;
        self.matrix.solve_in_place();
        if self.config.secondorder == SecondOrder::CrankNicolsonIons {
            self.ions.second_order_correction(&self.matrix.rhs);
        }
        let solved = SolvedContext {
            step: self.step_info(),
            v: &self.v,
            dv: &self.matrix.rhs,
        };
        for m in &mut self.mechanisms {
            m.after_solve(&solved);
        }
        self.update_voltage()?;
        self.t += 0.5 * self.config.dt;
        self.do_transfers()?;
        self.node_hook(|m, ctx| m.state(ctx))?;
        self.pointers_out()?;
        self.diffuse();
        self.before_after(BeforeAfter::AfterSolve)?;
        self.before_after(BeforeAfter::BeforeStep)?;
        self.sample();
        Ok(())
    }

    /// The end of a step begun by [`Simulation::fadvance_to_record`]: the
    /// events due by t are delivered.
    pub fn deliver_after_record(&mut self) -> Result<()> {
        self.deliver_until(self.t)
    }

    /// NMODL's `BEFORE`/`AFTER` blocks of every mechanism at point `when`
    /// (NEURON's `nrn_ba`).
    /// POINTERs are read before and written through after, as around the
    /// other hooks.
    fn before_after(&mut self, when: BeforeAfter) -> Result<()> {
        self.pointers_in()?;
        self.node_hook(|m, ctx| m.before_after(when, ctx))?;
        self.pointers_out()
    }

    /// NEURON's `long_difus_solve` (fixed step): every diffused quantity of
    /// every mechanism, in order, one backward-Euler step along its tree.
    fn diffuse(&mut self) {
        if self.diffusion.is_empty() {
            return;
        }
        let step = self.step_info();
        let mut outbox = Outbox::new();
        let mut ctx = node_context(&self.disc, &self.v, step, &mut self.ions, &mut outbox);
        longitudinal::diffuse(&mut self.mechanisms, &self.diffusion, &mut ctx);
    }

    /// Calls a `NodeContext` hook of every mechanism at the present t and acts
    /// on the events each requests.
    fn node_hook(&mut self, hook: impl Fn(&mut dyn Mechanism, &mut NodeContext<'_>)) -> Result<()> {
        for index in 0..self.mechanisms.len() {
            let mut outbox = Outbox::new();
            let step = self.step_info();
            let mut ctx = node_context(&self.disc, &self.v, step, &mut self.ions, &mut outbox);
            hook(self.mechanisms[index].as_mut(), &mut ctx);
            if !outbox.is_empty() {
                self.act_on(index, self.t, None, &mut outbox)?;
            }
        }
        Ok(())
    }

    /// v += Δv, or v += 2Δv for the Crank–Nicolson variants (whose solve is
    /// over half a step: cj = 2/dt).
    fn update_voltage(&mut self) -> Result<()> {
        let factor = match self.config.secondorder {
            SecondOrder::Implicit => 1.0,
            _ => 2.0,
        };
        for (v, dv) in self.v.iter_mut().zip(&self.matrix.rhs) {
            *v += factor * dv;
        }
        match self.v.iter().position(|v| !v.is_finite()) {
            Some(node) => Err(self.non_finite(node, self.v[node])),
            None => Ok(()),
        }
    }

    fn non_finite(&self, node: usize, value: f64) -> HinesError {
        let (section, x) = self.disc.describe(node);
        HinesError::NonFiniteVoltage {
            section,
            x,
            t: self.t,
            value,
        }
    }

    /// Advances until t reaches `tstop` (ms) to within half a step, i.e.
    /// `round((tstop − t)/dt)` steps.
    pub fn run(&mut self, tstop: f64) -> Result<()> {
        if !tstop.is_finite() {
            return Err(HinesError::InvalidTime {
                what: "tstop",
                value: tstop,
            });
        }
        while self.t < tstop - 0.5 * self.config.dt {
            self.fadvance()?;
        }
        Ok(())
    }

    fn sample(&mut self) {
        self.times.push(self.t);
        for (source, trace) in self.sources.iter().zip(&mut self.traces) {
            let value = match *source {
                Source::Node(n) => self.v[n],
                Source::Mechanism {
                    mechanism,
                    instance,
                    column,
                } => self.mechanisms[mechanism]
                    .read(instance, column)
                    .unwrap_or(f64::NAN),
                Source::Ion {
                    ion,
                    instance,
                    column,
                } => self
                    .ions
                    .species(IonId(ion))
                    .ok()
                    .and_then(|s| s.get(instance, column))
                    .unwrap_or(f64::NAN),
            };
            trace.push(value);
        }
    }
}

/// The context that `init`, `deliver_events` and `state` get.
fn node_context<'a>(
    disc: &'a Discretization,
    v: &'a [f64],
    step: StepInfo,
    ions: &'a mut Ions,
    events: &'a mut Outbox,
) -> NodeContext<'a> {
    NodeContext {
        step,
        v,
        area: &disc.area,
        diam: &disc.diam,
        ions,
        events,
    }
}

fn check_time(what: &'static str, value: f64) -> Result<()> {
    if value > 0.0 && value.is_finite() {
        Ok(())
    } else {
        Err(HinesError::InvalidTime { what, value })
    }
}
