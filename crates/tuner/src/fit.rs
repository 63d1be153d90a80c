//! Least-squares fits used by the metrics: the single exponential `a·exp(-t/τ)` whose
//! τ is bmtool's `decay_time`.
//!
//! bmtool fits with `scipy.optimize.curve_fit` (unweighted least squares, unbounded,
//! MINPACK's Levenberg–Marquardt) on the samples from the peak to the first sample
//! after which the response rises again, with `t = dt·k` starting at 0 on the peak
//! and the start point `(peak, dt·n/2)`. [`fit_exponential_decay`] minimises the same
//! objective from the same start with its own Levenberg–Marquardt (analytic Jacobian,
//! Marquardt's diagonal scaling) and converges more tightly than MINPACK's defaults,
//! so both land on the same minimum to far better than the metric tolerance.

/// A fitted `amplitude·exp(-t/tau)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExpFit {
    /// The amplitude at `t = 0` (units of the data).
    pub amplitude: f64,
    /// The time constant (ms when `dt` is in ms).
    pub tau: f64,
    /// Accepted Levenberg–Marquardt steps.
    pub iterations: usize,
}

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("{points} sample(s) cannot determine 2 parameters")]
    TooFewPoints { points: usize },
    #[error("sample {index} is not finite")]
    NonFinite { index: usize },
    #[error("start point ({amplitude}, {tau}) gives a non-finite residual")]
    BadStart { amplitude: f64, tau: f64 },
    #[error("no convergence after {iterations} iterations")]
    NotConverged { iterations: usize },
}

const MAX_ITERATIONS: usize = 1000;
const XTOL: f64 = 1e-13;
const FTOL: f64 = 1e-15;

/// Fits `y[k] ≈ a·exp(-dt·k/τ)` by least squares starting from `start = (a, τ)`.
pub fn fit_exponential_decay(y: &[f64], dt: f64, start: (f64, f64)) -> Result<ExpFit, FitError> {
    if y.len() < 2 {
        return Err(FitError::TooFewPoints { points: y.len() });
    }
    if let Some(index) = y.iter().position(|v| !v.is_finite()) {
        return Err(FitError::NonFinite { index });
    }
    let t: Vec<f64> = (0..y.len()).map(|k| dt * k as f64).collect();
    let mut p = [start.0, start.1];
    let mut cost = cost_at(&t, y, p);
    if !cost.is_finite() {
        return Err(FitError::BadStart {
            amplitude: p[0],
            tau: p[1],
        });
    }
    let mut lambda = 1e-3;
    for iterations in 0..MAX_ITERATIONS {
        let (h, g) = normal_equations(&t, y, p);
        match lm_step(&t, y, p, cost, h, g, &mut lambda) {
            Step::Accepted {
                p: next,
                cost: c,
                small,
            } => {
                p = next;
                cost = c;
                if small {
                    return Ok(done(p, iterations + 1));
                }
            }
            Step::Stuck => return Ok(done(p, iterations)),
        }
    }
    Err(FitError::NotConverged {
        iterations: MAX_ITERATIONS,
    })
}

fn done(p: [f64; 2], iterations: usize) -> ExpFit {
    ExpFit {
        amplitude: p[0],
        tau: p[1],
        iterations,
    }
}

enum Step {
    Accepted { p: [f64; 2], cost: f64, small: bool },
    Stuck,
}

/// One Levenberg–Marquardt step: raises `lambda` until the cost falls.
fn lm_step(
    t: &[f64],
    y: &[f64],
    p: [f64; 2],
    cost: f64,
    h: [[f64; 2]; 2],
    g: [f64; 2],
    lambda: &mut f64,
) -> Step {
    while *lambda < 1e20 {
        if let Some(delta) = solve_damped(h, g, *lambda) {
            let next = [p[0] + delta[0], p[1] + delta[1]];
            let c = cost_at(t, y, next);
            if c.is_finite() && c <= cost {
                *lambda = (*lambda / 10.0).max(1e-15);
                let small_x = (0..2).all(|i| delta[i].abs() <= XTOL * (next[i].abs() + XTOL));
                let small_f = cost - c <= FTOL * cost || c == 0.0;
                return Step::Accepted {
                    p: next,
                    cost: c,
                    small: small_x || small_f,
                };
            }
        }
        *lambda *= 10.0;
    }
    Step::Stuck
}

/// Solves `(H + λ·diag(H))·δ = -g` for the 2×2 system.
fn solve_damped(h: [[f64; 2]; 2], g: [f64; 2], lambda: f64) -> Option<[f64; 2]> {
    let d0 = h[0][0] * (1.0 + lambda) + if h[0][0] == 0.0 { lambda } else { 0.0 };
    let d1 = h[1][1] * (1.0 + lambda) + if h[1][1] == 0.0 { lambda } else { 0.0 };
    let det = d0 * d1 - h[0][1] * h[1][0];
    if det == 0.0 || !det.is_finite() {
        return None;
    }
    let x0 = (-g[0] * d1 + g[1] * h[0][1]) / det;
    let x1 = (-g[1] * d0 + g[0] * h[1][0]) / det;
    (x0.is_finite() && x1.is_finite()).then_some([x0, x1])
}

/// `JᵀJ` and `Jᵀr` for the residuals `r = a·exp(-t/τ) - y`.
fn normal_equations(t: &[f64], y: &[f64], p: [f64; 2]) -> ([[f64; 2]; 2], [f64; 2]) {
    let (a, tau) = (p[0], p[1]);
    let mut h = [[0.0; 2]; 2];
    let mut g = [0.0; 2];
    for (&tk, &yk) in t.iter().zip(y) {
        let e = (-tk / tau).exp();
        let r = a * e - yk;
        let j = [e, a * e * tk / (tau * tau)];
        for row in 0..2 {
            g[row] += j[row] * r;
            for col in 0..2 {
                h[row][col] += j[row] * j[col];
            }
        }
    }
    (h, g)
}

/// The sum of squared residuals.
fn cost_at(t: &[f64], y: &[f64], p: [f64; 2]) -> f64 {
    t.iter()
        .zip(y)
        .map(|(&tk, &yk)| {
            let r = p[0] * (-tk / p[1]).exp() - yk;
            r * r
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_exact_exponential() {
        let y: Vec<f64> = (0..200)
            .map(|k| 3.0 * (-(k as f64) * 0.1 / 4.0).exp())
            .collect();
        let fit = fit_exponential_decay(&y, 0.1, (3.0, 10.0)).expect("fit");
        assert!((fit.tau - 4.0).abs() < 1e-9, "{fit:?}");
        assert!((fit.amplitude - 3.0).abs() < 1e-9, "{fit:?}");
    }

    #[test]
    fn two_points_fit_exactly() {
        let fit = fit_exponential_decay(&[2.0, 1.0], 1.0, (2.0, 1.0)).expect("fit");
        assert!((fit.tau - 1.0 / 2f64.ln()).abs() < 1e-9, "{fit:?}");
    }

    #[test]
    fn rejects_bad_input() {
        assert!(matches!(
            fit_exponential_decay(&[1.0], 0.1, (1.0, 1.0)),
            Err(FitError::TooFewPoints { points: 1 })
        ));
        assert!(matches!(
            fit_exponential_decay(&[1.0, f64::NAN], 0.1, (1.0, 1.0)),
            Err(FitError::NonFinite { index: 1 })
        ));
        assert!(fit_exponential_decay(&[1.0, 0.5, 0.25], 0.1, (1.0, 0.0)).is_err());
    }
}
