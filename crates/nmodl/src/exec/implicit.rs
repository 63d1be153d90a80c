//! `METHOD derivimplicit`: backward Euler for a DERIVATIVE block, solved by
//! scopmath's `nrn_newton_thread` step for step, so the iterates (and thus the
//! converged values) are NEURON's.
//!
//! The residual is `F_i(s) = D_i(s) − (s_i − s_old_i)/dt`, with `D` from the
//! block's statements. While the largest relative change exceeds 0.05 the
//! Jacobian is rebuilt by central differences (increment
//! `max(|0.02·s_j|, 1e-6)`, the state perturbed by `+h`, `−2h`, `+h`),
//! otherwise the last one is reused. Each iteration solves `J·δ = −F`, sets
//! `s += δ` and stops when the largest `|δ_i/s_i|` (over `|s_i| > 1e-8`) is at
//! most 1e-6 and every `|F_i|` at most 1e-8; 50 iterations at most. The block
//! then runs once more at the solution. With secondorder > 0 NEURON adds
//! `dt·D` afterwards, and so does Neurite. `STEADYSTATE derivimplicit` in
//! INITIAL is, as in NEURON, the same step with dt = 1e-9 ms.
//!
//! All instances iterate in lockstep (the block runs over whole columns);
//! each instance follows its own sequence and stops at its own convergence.

use super::ir::{self, Env, Fault, Frame, Src};
use super::solve::{gauss, ImplicitSystem};

const MAXITERS: usize = 50;
const MAXCHANGE: f64 = 0.05;
const CONVERGE: f64 = 1e-6;
const ZERO: f64 = 1e-8;
const STEP: f64 = 1e-6;

/// Per-instance Newton state.
struct Lane {
    jacobian: Vec<Vec<f64>>,
    /// −F at the present iterate.
    value: Vec<f64>,
    change: f64,
    done: bool,
}

/// Advances system `id` over one step for every instance.
pub fn advance(env: &Env<'_>, id: usize, frame: &mut Frame) -> Result<(), Fault> {
    let Some(sys) = env.systems.implicit.get(id) else {
        return Ok(());
    };
    if sys.nonlinear {
        return solve_step(env, sys, frame);
    }
    if sys.steady {
        // NEURON's _ss_derivimplicit: the same step with dt = 1e-9
        let steady = Env {
            tables: env.tables,
            systems: env.systems,
            dt: 1e-9,
            emitted: Default::default(),
            vectors: env.vectors,
            netcons: Default::default(),
        };
        return solve_step(&steady, sys, frame);
    }
    // under secondorder > 0 nocmodl adds dt·D after the step; in nrn_state
    // dt is then already halved (the state hook runs with dt/2,
    // `Compiled::halves_state_dt`)
    solve_step(env, sys, frame)?;
    second_order(sys, frame, env.dt);
    Ok(())
}

/// One backward-Euler step of `sys` over `env.dt`, then the block once more.
fn solve_step(env: &Env<'_>, sys: &ImplicitSystem, frame: &mut Frame) -> Result<(), Fault> {
    let m = sys.states.len();
    let old: Vec<Vec<f64>> = sys.states.iter().map(|&c| frame.col(c).to_vec()).collect();
    let mut lanes: Vec<Lane> = (0..frame.n)
        .map(|_| Lane {
            jacobian: vec![vec![0.0; m]; m],
            value: vec![0.0; m],
            change: 1.0,
            done: false,
        })
        .collect();
    for count in 1..=MAXITERS {
        let rebuild: Vec<bool> = lanes
            .iter()
            .map(|l| !l.done && l.change > MAXCHANGE)
            .collect();
        if rebuild.iter().any(|&r| r) {
            jacobian(env, sys, frame, &old, &rebuild, &mut lanes)?;
        }
        newton_update(sys, frame, &mut lanes)?;
        let f = residual(env, sys, frame, &old)?;
        for (k, lane) in lanes.iter_mut().enumerate().filter(|(_, l)| !l.done) {
            lane.value = f.iter().map(|row| -row[k]).collect();
            let max_dev = lane.value.iter().fold(0.0f64, |a, v| a.max(v.abs()));
            lane.done = lane.change <= CONVERGE && max_dev <= ZERO;
            if !lane.done && count == MAXITERS {
                return Err(Fault::NoConvergence { instance: k });
            }
        }
        if lanes.iter().all(|l| l.done) {
            break;
        }
    }
    ir::run(&sys.body, frame, env)
}

/// `J·δ = −F`, `s += δ` for every unfinished instance.
fn newton_update(sys: &ImplicitSystem, frame: &mut Frame, lanes: &mut [Lane]) -> Result<(), Fault> {
    for (k, lane) in lanes.iter_mut().enumerate().filter(|(_, l)| !l.done) {
        let delta = gauss(lane.jacobian.clone(), lane.value.clone()).ok_or(Fault::Singular {
            what: "derivimplicit",
            instance: k,
        })?;
        lane.change = 0.0;
        for (&c, d) in sys.states.iter().zip(delta) {
            if let Some(x) = frame.col_mut(c).get_mut(k) {
                if x.abs() > ZERO {
                    lane.change = lane.change.max((d / *x).abs());
                }
                *x += d;
            }
        }
    }
    Ok(())
}

/// `F_i = D_i − (s_i − s_old_i)/dt` for every instance (row i, column k).
fn residual(
    env: &Env<'_>,
    sys: &ImplicitSystem,
    frame: &mut Frame,
    old: &[Vec<f64>],
) -> Result<Vec<Vec<f64>>, Fault> {
    ir::run(&sys.body, frame, env)?;
    let dt = env.dt;
    if sys.nonlinear {
        return Ok(sys
            .derivs
            .iter()
            .map(|&d| (0..frame.n).map(|k| frame.get(d, k)).collect())
            .collect());
    }
    Ok(sys
        .states
        .iter()
        .zip(&sys.derivs)
        .zip(old)
        .map(|((&c, &d), s0)| {
            (0..frame.n)
                .map(|k| frame.get(d, k) - (frame.get(Src::Col(c), k) - s0[k]) / dt)
                .collect()
        })
        .collect())
}

/// Central-difference Jacobian for the instances in `rebuild`, leaving each
/// lane's value at −F of the restored iterate.
fn jacobian(
    env: &Env<'_>,
    sys: &ImplicitSystem,
    frame: &mut Frame,
    old: &[Vec<f64>],
    rebuild: &[bool],
    lanes: &mut [Lane],
) -> Result<(), Fault> {
    for (j, &c) in sys.states.iter().enumerate() {
        let inc: Vec<f64> = frame
            .col(c)
            .iter()
            .map(|x| (0.02 * x).abs().max(STEP))
            .collect();
        let shift = |frame: &mut Frame, by: f64| {
            for (k, x) in frame.col_mut(c).iter_mut().enumerate() {
                if rebuild[k] {
                    *x += by * inc[k];
                }
            }
        };
        shift(frame, 1.0);
        let high = residual(env, sys, frame, old)?;
        shift(frame, -2.0);
        let low = residual(env, sys, frame, old)?;
        shift(frame, 1.0);
        for (k, lane) in lanes.iter_mut().enumerate().filter(|(k, _)| rebuild[*k]) {
            for i in 0..sys.states.len() {
                lane.jacobian[i][j] = (high[i][k] - low[i][k]) / (2.0 * inc[k]);
            }
        }
    }
    let f = residual(env, sys, frame, old)?;
    for (k, lane) in lanes.iter_mut().enumerate().filter(|(k, _)| rebuild[*k]) {
        lane.value = f.iter().map(|row| -row[k]).collect();
    }
    Ok(())
}

/// NEURON's `if (secondorder) s += dt*D` after derivimplicit.
fn second_order(sys: &ImplicitSystem, frame: &mut Frame, dt: f64) {
    if frame.n == 0 || frame.get(Src::Col(sys.secondorder), 0) == 0.0 {
        return;
    }
    for (&c, &d) in sys.states.iter().zip(&sys.derivs) {
        let rates: Vec<f64> = (0..frame.n).map(|k| frame.get(d, k)).collect();
        for (x, r) in frame.col_mut(c).iter_mut().zip(rates) {
            *x += dt * r;
        }
    }
}
