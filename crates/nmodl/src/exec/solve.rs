//! Implicit systems of KINETIC and LINEAR blocks, solved per instance as
//! NEURON's scopmath does.
//!
//! KINETIC (`METHOD sparse`): backward Euler, `M·Δ = rhs` with
//! `M = vol/dt·I − J` and `rhs = −vol·(s − s_old)/dt + net rate`, one row per
//! state, the CONSERVE row (each term weighted by its state's COMPARTMENT
//! volume, as nocmodl writes it) replacing the row of its last state; `s += Δ`.
//! A scheme nocmodl calls linear (first-order reactions, rates free of states)
//! takes exactly one Newton step; otherwise steps repeat until `Σ|Δ| ≤ 1e-6`
//! (at most 21), negative states clamped to 0. STEADYSTATE uses `dt = 1e9`.
//! With secondorder > 0 the step is over dt/2, then extrapolated to dt.
//! LINEAR: the coefficients are computed symbolically at load time; the system
//! is solved by Gaussian elimination with partial pivoting (`simeq`).

use super::ir::{self, Env, Fault, Frame, Op, Src};

/// NEURON's `CONVERGE`.
const CONVERGE: f64 = 1e-6;
/// NEURON's `MAXSTEPS`.
const MAXSTEPS: usize = 20;
/// NEURON's `ROUNDOFF`: smaller pivots make a system singular.
const ROUNDOFF: f64 = 1e-20;
/// The time step of a STEADYSTATE solve.
const STEADY_DT: f64 = 1e9;

/// One reaction, states given by their position in the system.
#[derive(Debug, Clone, PartialEq)]
pub struct Reaction {
    pub lhs: Vec<(usize, f64)>,
    pub rhs: Vec<(usize, f64)>,
    pub kf: Src,
    /// `None` for `->`.
    pub kb: Option<Src>,
}

/// `CONSERVE a + b + ... = total`.
#[derive(Debug, Clone, PartialEq)]
pub struct Conserve {
    /// The row it replaces.
    pub row: usize,
    pub terms: Vec<(usize, f64)>,
    pub total: Src,
}

/// A compiled KINETIC block.
#[derive(Debug, Clone, PartialEq)]
pub struct KineticSystem {
    /// State columns.
    pub states: Vec<u32>,
    /// The block's statements (rates), run before each Newton step.
    pub rate_ops: Vec<Op>,
    pub reactions: Vec<Reaction>,
    /// `~ s << (f)`: extra flux into a state.
    pub fluxes: Vec<(usize, Src)>,
    pub conserve: Vec<Conserve>,
    /// COMPARTMENT volume of each state (1 if none).
    pub volumes: Vec<Src>,
    /// nocmodl's `_linmat`: one Newton step suffices.
    pub linear: bool,
    /// Solved to steady state (INITIAL's `STEADYSTATE sparse`).
    pub steady: bool,
    /// The column of NEURON's `secondorder`.
    pub secondorder: u32,
}

/// A compiled LINEAR block: `Σ_j coef[i][j]·x_j = rhs[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearSystem {
    pub unknowns: Vec<u32>,
    pub coef_ops: Vec<Op>,
    pub rows: Vec<(Vec<(usize, Src)>, Src)>,
}

/// A DERIVATIVE block solved by `derivimplicit`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImplicitSystem {
    /// State columns.
    pub states: Vec<u32>,
    /// Where the block's statements leave each state's derivative.
    pub derivs: Vec<Src>,
    /// The block's statements.
    pub body: Vec<Op>,
    /// The column of NEURON's `secondorder`.
    pub secondorder: u32,
    /// INITIAL's `STEADYSTATE derivimplicit`: NEURON takes one implicit step
    /// of 1e-9 ms.
    pub steady: bool,
    /// A NONLINEAR block: `derivs` hold `lhs − rhs` of each equation and
    /// Newton solves them for zero (no time step).
    pub nonlinear: bool,
}

/// Every implicit system of a mechanism.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Systems {
    pub kinetic: Vec<KineticSystem>,
    pub linear: Vec<LinearSystem>,
    pub implicit: Vec<ImplicitSystem>,
}

/// Advances KINETIC system `id` over one step for every instance.
pub fn kinetic(env: &Env<'_>, id: usize, frame: &mut Frame) -> Result<(), Fault> {
    let Some(sys) = env.systems.kinetic.get(id) else {
        return Ok(());
    };
    if !sys.steady {
        return advance(env, sys, frame);
    }
    if sys.linear {
        return sparse(env, sys, frame, STEADY_DT, false);
    }
    for _ in 0..7 {
        sparse(env, sys, frame, STEADY_DT, true)?;
        if clamp_negative(sys, frame) {
            return sparse(env, sys, frame, STEADY_DT, false);
        }
    }
    Err(Fault::NoConvergence { instance: 0 })
}

/// One step; with secondorder > 0 NEURON extrapolates after it
/// (`s += dt·(s − s_old)/dt`), with dt already halved in nrn_state (the
/// state hook runs with dt/2, `Compiled::halves_state_dt`).
fn advance(env: &Env<'_>, sys: &KineticSystem, frame: &mut Frame) -> Result<(), Fault> {
    let second = frame.n > 0 && frame.get(Src::Col(sys.secondorder), 0) != 0.0;
    if !second {
        return sparse(env, sys, frame, env.dt, sys.linear);
    }
    let half = env.dt;
    let old: Vec<Vec<f64>> = sys.states.iter().map(|&c| frame.col(c).to_vec()).collect();
    sparse(env, sys, frame, half, sys.linear)?;
    for (&c, s0) in sys.states.iter().zip(&old) {
        for (x, &x0) in frame.col_mut(c).iter_mut().zip(s0) {
            let rate = (*x - x0) / half;
            *x += half * rate;
        }
    }
    Ok(())
}

/// scopmath's check after a steady-state pass: states below −1e-6 are set to 0;
/// true if none was.
fn clamp_negative(sys: &KineticSystem, frame: &mut Frame) -> bool {
    let mut ok = true;
    for &c in &sys.states {
        for x in frame.col_mut(c) {
            if *x < -1e-6 {
                *x = 0.0;
                ok = false;
            }
        }
    }
    ok
}

/// scopmath's `sparse` for all instances in lockstep.
fn sparse(
    env: &Env<'_>,
    sys: &KineticSystem,
    frame: &mut Frame,
    dt: f64,
    one_step: bool,
) -> Result<(), Fault> {
    let old: Vec<Vec<f64>> = sys.states.iter().map(|&c| frame.col(c).to_vec()).collect();
    let mut done = vec![false; frame.n];
    for iteration in 0.. {
        ir::run(&sys.rate_ops, frame, env)?;
        for (k, finished) in done.iter_mut().enumerate() {
            if *finished {
                continue;
            }
            let err = newton_step(sys, frame, &old, k, dt, one_step)?;
            *finished = one_step || err <= CONVERGE;
            if !*finished && iteration > MAXSTEPS {
                return Err(Fault::NoConvergence { instance: k });
            }
        }
        if done.iter().all(|&d| d) {
            break;
        }
    }
    ir::run(&sys.rate_ops, frame, env)
}

/// One Newton step at instance `k`; returns Σ|Δ|.
fn newton_step(
    sys: &KineticSystem,
    frame: &mut Frame,
    old: &[Vec<f64>],
    k: usize,
    dt: f64,
    one_step: bool,
) -> Result<f64, Fault> {
    let s: Vec<f64> = sys
        .states
        .iter()
        .map(|&c| frame.get(Src::Col(c), k))
        .collect();
    let (a, r) = assemble(sys, frame, old, k, dt, &s);
    let delta = gauss(a, r).ok_or(Fault::Singular {
        what: "KINETIC",
        instance: k,
    })?;
    let mut err = 0.0;
    for (i, &c) in sys.states.iter().enumerate() {
        let mut x = s[i] + delta[i];
        if !one_step && x < 0.0 {
            x = 0.0;
        }
        if let Some(slot) = frame.col_mut(c).get_mut(k) {
            *slot = x;
        }
        err += delta[i].abs();
    }
    Ok(err)
}

/// The Newton matrix and right-hand side at instance `k`, states `s`.
fn assemble(
    sys: &KineticSystem,
    frame: &Frame,
    old: &[Vec<f64>],
    k: usize,
    dt: f64,
    s: &[f64],
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let m = s.len();
    let mut a = vec![vec![0.0; m]; m];
    let mut r = vec![0.0; m];
    for i in 0..m {
        let vol = frame.get(sys.volumes[i], k);
        a[i][i] = vol / dt;
        r[i] = -(s[i] - old[i].get(k).copied().unwrap_or(0.0)) * vol / dt;
    }
    for reaction in &sys.reactions {
        add_reaction(reaction, frame, k, s, &mut a, &mut r);
    }
    for &(i, f) in &sys.fluxes {
        r[i] += frame.get(f, k);
    }
    for c in &sys.conserve {
        a[c.row].fill(0.0);
        r[c.row] = frame.get(c.total, k);
        // NEURON weights each term by its state's COMPARTMENT volume
        for &(j, coef) in &c.terms {
            let weight = coef * frame.get(sys.volumes[j], k);
            a[c.row][j] = weight;
            r[c.row] -= weight * s[j];
        }
    }
    (a, r)
}

/// Mass action: flux `kf·Π lhs^ν − kb·Π rhs^ν` and its derivatives.
fn add_reaction(
    reaction: &Reaction,
    frame: &Frame,
    k: usize,
    s: &[f64],
    a: &mut [Vec<f64>],
    r: &mut [f64],
) {
    let kf = frame.get(reaction.kf, k);
    let kb = reaction.kb.map_or(0.0, |b| frame.get(b, k));
    let forward = mass_action(kf, &reaction.lhs, s);
    let backward = mass_action(kb, &reaction.rhs, s);
    let net = forward.0 - backward.0;
    for &(i, nu) in &reaction.lhs {
        r[i] -= nu * net;
    }
    for &(i, nu) in &reaction.rhs {
        r[i] += nu * net;
    }
    for (j, d) in forward
        .1
        .iter()
        .chain(&backward.1.iter().map(|&(j, d)| (j, -d)).collect::<Vec<_>>())
    {
        for &(i, nu) in &reaction.lhs {
            a[i][*j] += nu * d;
        }
        for &(i, nu) in &reaction.rhs {
            a[i][*j] -= nu * d;
        }
    }
}

/// `rate·Π s_i^ν_i` and its partial derivatives by each state.
fn mass_action(rate: f64, terms: &[(usize, f64)], s: &[f64]) -> (f64, Vec<(usize, f64)>) {
    let value = terms
        .iter()
        .fold(rate, |acc, &(i, nu)| acc * power(s[i], nu));
    let derivs = terms
        .iter()
        .enumerate()
        .map(|(t, &(j, nu))| {
            let others = terms
                .iter()
                .enumerate()
                .filter(|&(u, _)| u != t)
                .fold(rate, |acc, (_, &(i, n))| acc * power(s[i], n));
            (j, others * nu * power(s[j], nu - 1.0))
        })
        .collect();
    (value, derivs)
}

fn power(x: f64, nu: f64) -> f64 {
    if nu == 1.0 {
        x
    } else if nu == 0.0 {
        1.0
    } else {
        x.powf(nu)
    }
}

/// Solves LINEAR system `id` for every instance.
pub fn linear(env: &Env<'_>, id: usize, frame: &mut Frame) -> Result<(), Fault> {
    let Some(sys) = env.systems.linear.get(id) else {
        return Ok(());
    };
    ir::run(&sys.coef_ops, frame, env)?;
    let m = sys.unknowns.len();
    for k in 0..frame.n {
        let mut a = vec![vec![0.0; m]; sys.rows.len()];
        let mut b = vec![0.0; sys.rows.len()];
        for (i, (coefs, rhs)) in sys.rows.iter().enumerate() {
            for &(j, c) in coefs {
                a[i][j] += frame.get(c, k);
            }
            b[i] = frame.get(*rhs, k);
        }
        let x = gauss(a, b).ok_or(Fault::Singular {
            what: "LINEAR",
            instance: k,
        })?;
        for (&c, xi) in sys.unknowns.iter().zip(x) {
            if let Some(slot) = frame.col_mut(c).get_mut(k) {
                *slot = xi;
            }
        }
    }
    Ok(())
}

/// Gaussian elimination with partial pivoting; `None` if singular or not square.
pub fn gauss(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    if a.len() != n || a.iter().any(|row| row.len() != n) {
        return None;
    }
    for j in 0..n {
        let pivot = (j..n).max_by(|&p, &q| a[p][j].abs().total_cmp(&a[q][j].abs()))?;
        if a[pivot][j].abs() < ROUNDOFF || a[pivot][j].is_nan() {
            return None;
        }
        a.swap(j, pivot);
        b.swap(j, pivot);
        for i in j + 1..n {
            let f = a[i][j] / a[j][j];
            if f != 0.0 {
                let (upper, lower) = a.split_at_mut(i);
                for (x, &y) in lower[0][j..n].iter_mut().zip(&upper[j][j..n]) {
                    *x -= f * y;
                }
                b[i] -= f * b[j];
            }
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let sum: f64 = (i + 1..n).map(|c| a[i][c] * x[c]).sum();
        x[i] = (b[i] - sum) / a[i][i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_solves_and_detects_singular() {
        let x = gauss(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]);
        let x = x.unwrap_or_default();
        assert!((x[0] - 0.8).abs() < 1e-15 && (x[1] - 1.4).abs() < 1e-15);
        assert!(gauss(vec![vec![1.0, 1.0], vec![1.0, 1.0]], vec![1.0, 2.0]).is_none());
    }
}
