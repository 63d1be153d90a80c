//! Optimisers: bmtool's `SynapseOptimizer` and `GapJunctionOptimizer`, over a model
//! given as a closure (the simulation is wired in later), solved with argmin.
//!
//! Synapse: parameters are scaled by `max(|lo|, |hi|)` of their bounds (bmtool's
//! normalisation), started from the middle of the bounds (bmtool's `"middle_guess"`;
//! its default `"random"` start is not reproducible) or a given point, and the cost
//! (by default bmtool's `(induction - target)²`) is minimised. bmtool calls SciPy's SLSQP
//! with finite-difference gradients; Neurite uses argmin's Nelder–Mead, kept inside the
//! bounds (the model only ever sees clamped parameters; a quadratic penalty pushes the
//! simplex back), because metrics quantised to the time step make finite-difference
//! gradients unreliable.
//!
//! Gap junction: the conductance `g` (bmtool's "resistance") within bounds minimising
//! `(cc - target)²`, by Brent's bounded method as SciPy's `minimize_scalar(method=
//! "bounded")` (argmin's `BrentOpt`).

use argmin::core::{CostFunction, Error as ArgminError, Executor, State};
use argmin::solver::brent::BrentOpt;
use argmin::solver::neldermead::NelderMead;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Why an optimisation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptimizeError {
    #[error("parameter `{name}`: bounds [{lo}, {hi}] must be finite with lo < hi")]
    InvalidBounds { name: String, lo: f64, hi: f64 },
    #[error("no parameter to optimise")]
    NoParameters,
    #[error("start point has {got} values for {expected} parameters")]
    StartLength { expected: usize, got: usize },
    #[error("the model failed at {params}: {message}")]
    Model { params: String, message: String },
    #[error("the solver failed: {message}")]
    Solver { message: String },
}

/// bmtool's metric set (`SynapseOptimizer._calculate_metrics`): parts not run are 0.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SynapseMetrics {
    pub induction: f64,
    pub ppr: f64,
    pub recovery: f64,
    pub simple_ppr: f64,
    /// The train amplitude of largest magnitude, signed (pA; bmtool's `_find_max_amp`).
    pub max_amplitude: f64,
    pub rise_time: f64,
    pub decay_time: f64,
    pub latency: f64,
    pub half_width: f64,
    pub baseline: f64,
    pub amp: f64,
}

impl SynapseMetrics {
    /// The metric named as in bmtool's dictionary.
    pub fn get(&self, name: &str) -> Option<f64> {
        Some(match name {
            "induction" => self.induction,
            "ppr" => self.ppr,
            "recovery" => self.recovery,
            "simple_ppr" => self.simple_ppr,
            "max_amplitude" => self.max_amplitude,
            "rise_time" => self.rise_time,
            "decay_time" => self.decay_time,
            "latency" => self.latency,
            "half_width" => self.half_width,
            "baseline" => self.baseline,
            "amp" => self.amp,
            _ => return None,
        })
    }
}

/// Target values by metric name.
pub type Targets = BTreeMap<String, f64>;

/// bmtool's default cost: `(induction - targets["induction"])²` (0 without a target).
pub fn default_cost(metrics: &SynapseMetrics, targets: &Targets) -> f64 {
    targets
        .get("induction")
        .map_or(0.0, |t| (metrics.induction - t).powi(2))
}

/// The sum of squared errors over every named target (unknown names count as 0).
pub fn squared_error(metrics: &SynapseMetrics, targets: &Targets) -> f64 {
    targets
        .iter()
        .filter_map(|(name, t)| metrics.get(name).map(|m| (m - t).powi(2)))
        .sum()
}

/// One parameter and its bounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    pub name: String,
    pub lo: f64,
    pub hi: f64,
}

/// One model evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation<M> {
    pub params: BTreeMap<String, f64>,
    pub metrics: M,
    pub error: f64,
}

/// bmtool's `SynapseOptimizationResult`.
#[derive(Clone, Debug, PartialEq)]
pub struct SynapseOptimization {
    pub optimal_params: BTreeMap<String, f64>,
    pub achieved_metrics: SynapseMetrics,
    pub target_metrics: Targets,
    pub error: f64,
    pub optimization_path: Vec<Evaluation<SynapseMetrics>>,
}

/// Options of [`optimize_synapse`].
#[derive(Clone, Debug, PartialEq)]
pub struct SynapseOptions {
    /// Start in the bounds' units; `None` is bmtool's `"middle_guess"`.
    pub start: Option<Vec<f64>>,
    pub max_iters: u64,
}

impl Default for SynapseOptions {
    fn default() -> Self {
        SynapseOptions {
            start: None,
            max_iters: 200,
        }
    }
}

/// Parameter values by name.
pub type Params = BTreeMap<String, f64>;

/// A synapse model: runs the simulation with these parameters, returns the metrics.
pub type SynapseModel<'a> = dyn FnMut(&Params) -> Result<SynapseMetrics, String> + 'a;

type Model<'a> = RefCell<&'a mut SynapseModel<'a>>;

struct SynapseProblem<'a> {
    bounds: &'a [Bound],
    scales: Vec<f64>,
    model: Model<'a>,
    cost: &'a dyn Fn(&SynapseMetrics, &Targets) -> f64,
    targets: &'a Targets,
    path: RefCell<Vec<Evaluation<SynapseMetrics>>>,
    failure: RefCell<Option<OptimizeError>>,
}

impl SynapseProblem<'_> {
    /// Parameters in bound units, clamped, from a normalised point; and how far
    /// outside the normalised box the point was (squared).
    fn params(&self, x: &[f64]) -> (BTreeMap<String, f64>, f64) {
        let mut outside = 0.0;
        let mut params = BTreeMap::new();
        for ((b, s), xi) in self.bounds.iter().zip(&self.scales).zip(x) {
            let v = (xi * s).clamp(b.lo, b.hi);
            outside += (xi - v / s).powi(2);
            params.insert(b.name.clone(), v);
        }
        (params, outside)
    }

    fn evaluate(&self, params: BTreeMap<String, f64>) -> Result<f64, ArgminError> {
        let result = (self.model.borrow_mut())(&params);
        let metrics = result.map_err(|message| {
            let e = OptimizeError::Model {
                params: format!("{params:?}"),
                message,
            };
            *self.failure.borrow_mut() = Some(e.clone());
            ArgminError::msg(e.to_string())
        })?;
        let error = (self.cost)(&metrics, self.targets);
        self.path.borrow_mut().push(Evaluation {
            params,
            metrics,
            error,
        });
        Ok(error)
    }
}

impl CostFunction for SynapseProblem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    /// Never an error: argmin's Nelder–Mead unwraps the first costs, so a model failure
    /// is kept in `failure`, costs ∞, and stops further model runs.
    fn cost(&self, x: &Vec<f64>) -> Result<f64, ArgminError> {
        if self.failure.borrow().is_some() {
            return Ok(f64::INFINITY);
        }
        let (params, outside) = self.params(x);
        Ok(finite_or_inf(self.evaluate(params).ok()) + 1e3 * outside)
    }
}

/// bmtool's `SynapseOptimizer.optimize_parameters`: the parameters within `bounds`
/// that minimise `cost(model(params), targets)`. `model` runs the simulation with the
/// given synapse parameters and returns the metrics.
pub fn optimize_synapse(
    bounds: &[Bound],
    targets: &Targets,
    cost: &dyn Fn(&SynapseMetrics, &Targets) -> f64,
    options: &SynapseOptions,
    model: &mut SynapseModel<'_>,
) -> Result<SynapseOptimization, OptimizeError> {
    let scales = check_bounds(bounds)?;
    let start = start_point(bounds, options.start.as_deref())?;
    let x0: Vec<f64> = start.iter().zip(&scales).map(|(v, s)| v / s).collect();
    let problem = SynapseProblem {
        bounds,
        scales,
        model: RefCell::new(model),
        cost,
        targets,
        path: RefCell::new(Vec::new()),
        failure: RefCell::new(None),
    };
    let best = run_nelder_mead(&problem, x0, options.max_iters)?;
    let (optimal_params, _) = problem.params(&best);
    let final_error = problem.evaluate(optimal_params.clone());
    let failure = problem.failure.borrow_mut().take();
    if let Some(e) = failure {
        return Err(e);
    }
    let error = final_error.map_err(solver_error)?;
    let path = problem.path.into_inner();
    let achieved_metrics = path.last().map(|e| e.metrics).unwrap_or_default();
    Ok(SynapseOptimization {
        optimal_params,
        achieved_metrics,
        target_metrics: targets.clone(),
        error,
        optimization_path: path,
    })
}

fn run_nelder_mead(
    problem: &SynapseProblem<'_>,
    x0: Vec<f64>,
    max_iters: u64,
) -> Result<Vec<f64>, OptimizeError> {
    let simplex = initial_simplex(&x0);
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(1e-10)
        .map_err(solver_error)?;
    let run = Executor::new(ByRef(problem), solver)
        .configure(|state| state.max_iters(max_iters))
        .run();
    if let Some(e) = problem.failure.borrow_mut().take() {
        return Err(e);
    }
    let result = run.map_err(solver_error)?;
    Ok(result.state().get_best_param().cloned().unwrap_or(x0))
}

/// `x0` and one vertex a step of 0.1 (normalised) along each axis, towards the
/// inside of the box.
fn initial_simplex(x0: &[f64]) -> Vec<Vec<f64>> {
    let mut simplex = vec![x0.to_vec()];
    for i in 0..x0.len() {
        let mut v = x0.to_vec();
        v[i] += if v[i] > 0.0 { -0.1 } else { 0.1 };
        simplex.push(v);
    }
    simplex
}

fn check_bounds(bounds: &[Bound]) -> Result<Vec<f64>, OptimizeError> {
    if bounds.is_empty() {
        return Err(OptimizeError::NoParameters);
    }
    bounds
        .iter()
        .map(|b| {
            let scale = b.lo.abs().max(b.hi.abs());
            if b.lo.is_finite() && b.hi.is_finite() && b.lo < b.hi && scale > 0.0 {
                Ok(scale)
            } else {
                Err(OptimizeError::InvalidBounds {
                    name: b.name.clone(),
                    lo: b.lo,
                    hi: b.hi,
                })
            }
        })
        .collect()
}

fn start_point(bounds: &[Bound], start: Option<&[f64]>) -> Result<Vec<f64>, OptimizeError> {
    match start {
        None => Ok(bounds.iter().map(|b| (b.lo + b.hi) / 2.0).collect()),
        Some(s) if s.len() == bounds.len() => Ok(s.to_vec()),
        Some(s) => Err(OptimizeError::StartLength {
            expected: bounds.len(),
            got: s.len(),
        }),
    }
}

/// A cost argmin can order: failures and NaN become ∞.
fn finite_or_inf(cost: Option<f64>) -> f64 {
    cost.filter(|c| !c.is_nan()).unwrap_or(f64::INFINITY)
}

fn solver_error(e: ArgminError) -> OptimizeError {
    OptimizeError::Solver {
        message: e.to_string(),
    }
}

/// bmtool's `GapOptimizationResult`; `optimal_g` is what bmtool calls
/// `optimal_resistance` (a conductance in µS, see `docs/tuner.md`).
#[derive(Clone, Debug, PartialEq)]
pub struct GapOptimization {
    pub optimal_g: f64,
    pub achieved_cc: f64,
    pub target_cc: f64,
    pub error: f64,
    /// (g, cc, error) of each evaluation.
    pub optimization_path: Vec<(f64, f64, f64)>,
}

struct GapProblem<'a> {
    model: RefCell<&'a mut dyn FnMut(f64) -> Result<f64, String>>,
    target: f64,
    path: RefCell<Vec<(f64, f64, f64)>>,
    failure: RefCell<Option<OptimizeError>>,
}

impl GapProblem<'_> {
    fn evaluate(&self, g: f64) -> Result<(f64, f64), ArgminError> {
        let cc = (self.model.borrow_mut())(g).map_err(|message| {
            let e = OptimizeError::Model {
                params: format!("g = {g} uS"),
                message,
            };
            *self.failure.borrow_mut() = Some(e.clone());
            ArgminError::msg(e.to_string())
        })?;
        let error = (cc - self.target).powi(2);
        self.path.borrow_mut().push((g, cc, error));
        Ok((cc, error))
    }
}

impl CostFunction for GapProblem<'_> {
    type Param = f64;
    type Output = f64;

    /// Never an error, as [`SynapseProblem`]'s.
    fn cost(&self, g: &f64) -> Result<f64, ArgminError> {
        if self.failure.borrow().is_some() {
            return Ok(f64::INFINITY);
        }
        Ok(finite_or_inf(
            self.evaluate(*g).ok().map(|(_, error)| error),
        ))
    }
}

/// bmtool's `GapJunctionOptimizer.optimize_resistance`: the Gap conductance `g` (µS)
/// in `bounds` (bmtool's default (1e-4, 1e-2)) whose coupling coefficient
/// `model(g)` is nearest `target_cc`.
pub fn optimize_gap(
    target_cc: f64,
    bounds: (f64, f64),
    model: &mut dyn FnMut(f64) -> Result<f64, String>,
) -> Result<GapOptimization, OptimizeError> {
    let (lo, hi) = bounds;
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(OptimizeError::InvalidBounds {
            name: "g".into(),
            lo,
            hi,
        });
    }
    let problem = GapProblem {
        model: RefCell::new(model),
        target: target_cc,
        path: RefCell::new(Vec::new()),
        failure: RefCell::new(None),
    };
    let solver = BrentOpt::new(lo, hi).set_tolerance(1.48e-8, 1e-12);
    let run = Executor::new(ByRef(&problem), solver)
        .configure(|state| state.max_iters(500))
        .run();
    if let Some(e) = problem.failure.borrow_mut().take() {
        return Err(e);
    }
    let result = run.map_err(solver_error)?;
    let best = result
        .state()
        .get_best_param()
        .copied()
        .unwrap_or((lo + hi) / 2.0);
    let (cc, error) = problem.evaluate(best).map_err(solver_error)?;
    Ok(GapOptimization {
        optimal_g: best,
        achieved_cc: cc,
        target_cc,
        error,
        optimization_path: problem.path.into_inner(),
    })
}

/// A borrowed problem for argmin's executor, which owns what it is given: the
/// history and any model failure stay readable in the problem afterwards.
struct ByRef<'a, T>(&'a T);

impl<T: CostFunction> CostFunction for ByRef<'_, T> {
    type Param = T::Param;
    type Output = T::Output;

    fn cost(&self, p: &Self::Param) -> Result<Self::Output, ArgminError> {
        self.0.cost(p)
    }
}
