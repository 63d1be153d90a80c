//! `GapJunctionTuner` through the simulation: two cells, a pair of `Gap` point
//! processes, a current step into cell 1, the coupling coefficient.
//!
//! bmtool links the pair with `ParallelContext.source_var`/`target_var`/
//! `setup_transfer`, and so does the runner, through the engine's ParallelContext
//! (Neurite's solver transfer, `neurite_hines::transfer`): each Gap's `vgap` becomes
//! the other cell's `v` at `sec_x` in `finitialize` (after v is set, before any
//! INITIAL block) and in every step after the voltage update, before the states
//! advance. So a user's `Gap` whose INITIAL or states read `vgap` sees the values
//! NEURON's would. Where the junction's current enters is
//! [`protocol::gap_placement`]'s (bmtool: always 0.5).

use super::synapse::check_sec_id;
use super::{hoc_name, num, ModelSources, RunnerError, Session};
use crate::catalog::catalog_for;
use crate::metrics::{coupling_coefficient, GapResistance};
use crate::optimize::{optimize_gap, GapOptimization};
use crate::protocol::{self, GapPlacement, GapStep};
use crate::settings::{validate_gap, GapGeneralSettings, GapTunerSettings};
use crate::MetricsMode;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// bmtool's default bounds of the conductance search (µS).
pub const DEFAULT_BOUNDS: (f64, f64) = (1e-4, 1e-2);

/// A gap-junction tuner: two cells from templates coupled at one place.
#[derive(Clone, Debug)]
pub struct GapJunctionTuner {
    cell1: String,
    cell2: String,
    placement: GapPlacement,
    general: GapGeneralSettings,
    spec_syn_param: BTreeMap<String, f64>,
    mode: MetricsMode,
    sources: ModelSources,
}

/// The traces of one run at conductance `g` and its coupling coefficient.
#[derive(Clone, Debug, PartialEq)]
pub struct GapRun {
    /// µS.
    pub g: f64,
    pub cc: f64,
    pub t: Vec<f64>,
    /// Soma voltages of cell 1 (stepped) and cell 2 (mV).
    pub v1: Vec<f64>,
    pub v2: Vec<f64>,
}

/// What [`GapJunctionTuner::optimize`] found.
#[derive(Clone, Debug, PartialEq)]
pub struct GapFit {
    /// The fitted conductance (µS).
    pub conductance_us: f64,
    /// `1/g` in MΩ; bmtool's number (g itself) in bmtool mode.
    pub resistance_mohm: f64,
    pub achieved_cc: f64,
    pub target_cc: f64,
    /// Every (g, cc, squared error) the search evaluated.
    pub path: Vec<(f64, f64, f64)>,
}

impl GapJunctionTuner {
    /// bmtool's constructor form: both templates, where to find them and the
    /// mechanisms; bmtool's default general settings, coupling at the soma (sec 0, 0.5).
    pub fn new(
        cell1_template: &str,
        cell2_template: &str,
        template_dir: &Path,
        mod_dir: &Path,
    ) -> Result<GapJunctionTuner, RunnerError> {
        catalog_for(Some(mod_dir), Some(template_dir), None)?;
        Ok(GapJunctionTuner {
            cell1: cell1_template.to_string(),
            cell2: cell2_template.to_string(),
            placement: GapPlacement {
                sec_id: 0,
                source_x: 0.5,
                junction_x: 0.5,
            },
            general: GapGeneralSettings::default(),
            spec_syn_param: BTreeMap::new(),
            mode: MetricsMode::Correct,
            sources: ModelSources {
                mechanisms_dir: mod_dir.to_path_buf(),
                templates: template_dir.to_path_buf(),
            },
        })
    }

    /// A tuner for `connection` (or bmtool's choice, the first) of checked settings.
    pub fn from_settings(
        settings: &GapTunerSettings,
        file: &Path,
        connection: Option<&str>,
    ) -> Result<GapJunctionTuner, RunnerError> {
        let catalog = catalog_for(
            settings.mechanisms_dir.as_deref(),
            settings.templates_dir.as_deref(),
            settings.config.as_deref(),
        )?;
        validate_gap(settings, file, &catalog)?;
        let mut chosen = settings.clone();
        if let Some(c) = connection {
            chosen.connection = Some(c.to_string());
        }
        let name = chosen.selected_connection(file)?;
        let conn = &settings.conn_type_settings[name];
        Ok(GapJunctionTuner {
            cell1: conn.cell.clone(),
            cell2: conn.cell.clone(),
            placement: protocol::gap_placement(conn, settings.metrics),
            general: settings.general_settings.clone(),
            spec_syn_param: conn.spec_syn_param.clone(),
            mode: settings.metrics,
            sources: ModelSources {
                mechanisms_dir: catalog.mechanisms_source.clone(),
                templates: catalog.templates_source.clone(),
            },
        })
    }

    /// The same tuner with other general settings and metrics mode.
    pub fn with_general(mut self, general: GapGeneralSettings, mode: MetricsMode) -> Self {
        self.general = general;
        self.mode = mode;
        self
    }

    pub fn general(&self) -> &GapGeneralSettings {
        &self.general
    }

    pub fn mode(&self) -> MetricsMode {
        self.mode
    }

    /// The templates' source (file or folder).
    pub fn templates(&self) -> &PathBuf {
        &self.sources.templates
    }

    /// bmtool's `model(g)` then `coupling_ratio()`: one run at `g` µS.
    pub fn run(&self, g: f64) -> Result<GapRun, RunnerError> {
        let step = protocol::gap_step(&self.general);
        let mut s = Session::new(&self.sources)?;
        s.exec(&self.cells_code(g)?, "building the coupled cells")?;
        check_sec_id(&mut s, self.placement.sec_id, &self.cell2)?;
        s.exec(&step_code(&step), "placing the current step")?;
        s.exec(&run_code(&self.general, &step, &self.placement), "running")?;
        let t = s.vector("ntk_t")?;
        let v1 = s.vector("ntk_v1")?;
        let v2 = s.vector("ntk_v2")?;
        let g_end = &self.general;
        let cc = coupling_coefficient(&t, &v1, &v2, g_end.tstart, g_end.tstart + g_end.tdur)?;
        Ok(GapRun { g, cc, t, v1, v2 })
    }

    /// The coupling coefficient at `g` µS.
    pub fn coupling(&self, g: f64) -> Result<f64, RunnerError> {
        Ok(self.run(g)?.cc)
    }

    /// `n` evenly spaced conductances from `lo` to `hi` (µS) and their coupling.
    pub fn sweep(&self, lo: f64, hi: f64, n: usize) -> Result<Vec<(f64, f64)>, RunnerError> {
        let step = if n > 1 {
            (hi - lo) / (n - 1) as f64
        } else {
            0.0
        };
        (0..n)
            .map(|k| {
                let g = lo + step * k as f64;
                Ok((g, self.coupling(g)?))
            })
            .collect()
    }

    /// bmtool's `GapJunctionOptimizer.optimize_resistance(target_cc)`: Brent's method
    /// over g in [`DEFAULT_BOUNDS`].
    pub fn optimize(&self, target_cc: f64) -> Result<GapFit, RunnerError> {
        self.optimize_with(target_cc, &mut |_, _| {})
    }

    /// [`GapJunctionTuner::optimize`], calling `progress(g, cc)` after each run.
    pub fn optimize_with(
        &self,
        target_cc: f64,
        progress: &mut dyn FnMut(f64, f64),
    ) -> Result<GapFit, RunnerError> {
        let mut model = |g: f64| {
            let cc = self.coupling(g).map_err(|e| e.to_string())?;
            progress(g, cc);
            Ok(cc)
        };
        let found: GapOptimization = optimize_gap(target_cc, DEFAULT_BOUNDS, &mut model)?;
        let strength = GapResistance::from_conductance(found.optimal_g, self.mode)?;
        Ok(GapFit {
            conductance_us: strength.conductance_uS,
            resistance_mohm: strength.resistance_MOhm,
            achieved_cc: found.achieved_cc,
            target_cc,
            path: found.optimization_path,
        })
    }

    /// Both cells, the Gap pair at the placement, conductance `g` and the parameters.
    fn cells_code(&self, g: f64) -> Result<String, RunnerError> {
        let c1 = hoc_name("cell", &self.cell1)?;
        let c2 = hoc_name("cell", &self.cell2)?;
        let p = &self.placement;
        let mut code = format!(
            "objref ntk_c1, ntk_c2, ntk_g1, ntk_g2, ntk_s1, ntk_s2\n\
             ntk_c1 = new {c1}()\nntk_c2 = new {c2}()\n"
        );
        for (cell, gap, sref) in [
            ("ntk_c1", "ntk_g1", "ntk_s1"),
            ("ntk_c2", "ntk_g2", "ntk_s2"),
        ] {
            code.push_str(&format!(
                "ntk_k = 0\nforsec {cell}.all {{ if (ntk_k == {}) {{ {gap} = new Gap({}) \
                 {sref} = new SectionRef() }} ntk_k += 1 }}\n",
                p.sec_id,
                num(p.junction_x)
            ));
        }
        for gap in ["ntk_g1", "ntk_g2"] {
            code.push_str(&format!("{gap}.g = {}\n", num(g)));
            for (key, value) in &self.spec_syn_param {
                if key != "g" {
                    let key = hoc_name("spec_syn_param", key)?;
                    code.push_str(&format!("{gap}.{key} = {}\n", num(*value)));
                }
            }
        }
        Ok(code)
    }
}

/// The IClamp step into cell 1's soma and the recordings.
fn step_code(step: &GapStep) -> String {
    format!(
        "objref ntk_ic, ntk_t, ntk_v1, ntk_v2\nntk_c1.soma[0] ntk_ic = new IClamp(0.5)\n\
         ntk_ic.del = {}\nntk_ic.dur = {}\nntk_ic.amp = {}\n\
         ntk_t = new Vector()\nntk_t.record(&t)\n\
         ntk_v1 = new Vector()\nntk_v1.record(&ntk_c1.soma[0].v(0.5))\n\
         ntk_v2 = new Vector()\nntk_v2.record(&ntk_c2.soma[0].v(0.5))\n",
        num(step.delay),
        num(step.dur),
        num(step.amp)
    )
}

/// The transfer ids of the pair: cell 1's voltage and cell 2's. Far above what a
/// template's own `source_var` calls are likely to use (bmtool takes a timestamp
/// modulo 10000).
const SGID_V1: u32 = 1_000_000_000;
const SGID_V2: u32 = SGID_V1 + 1;

/// The ParallelContext transfer of the pair, `finitialize(-70)`, then fixed steps
/// to `tstop`.
fn run_code(g: &GapGeneralSettings, step: &GapStep, p: &GapPlacement) -> String {
    let x = num(p.source_x);
    format!(
        "objref ntk_pc\nntk_pc = new ParallelContext()\n\
         ntk_s1.sec ntk_pc.source_var(&v({x}), {SGID_V1})\n\
         ntk_pc.target_var(ntk_g2, &ntk_g2.vgap, {SGID_V1})\n\
         ntk_s2.sec ntk_pc.source_var(&v({x}), {SGID_V2})\n\
         ntk_pc.target_var(ntk_g1, &ntk_g1.vgap, {SGID_V2})\n\
         ntk_pc.setup_transfer()\n\
         dt = {}\nsteps_per_ms = 1/dt\ncelsius = {}\ntstop = {}\n\
         finitialize({})\nwhile (t < tstop) {{ fadvance() }}\n",
        num(g.dt),
        num(g.celsius),
        num(step.tstop),
        num(step.v_init),
    )
}
