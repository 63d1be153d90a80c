//! The distributions of HOC's `Random` class, as NEURON's copy of the GNU C++
//! library (`src/gnu/*.cpp`) computes them from a generator's doubles.

use super::Generator;

/// A distribution and its parameters (the arguments of the `Random` method
/// that chose it), with the cached second normal of the polar method.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// `uniform(a, b)`: `low + (high − low)·u` with `low = min(a, b)`.
    Uniform { low: f64, high: f64 },
    /// `discunif(a, b)` on integers (C `long` truncation of the arguments).
    DiscUnif { low: i64, high: i64 },
    /// `normal(mean, variance)`: polar method; the second value of each pair
    /// is kept and returned by the next pick.
    Normal {
        mean: f64,
        std_dev: f64,
        cached: Option<f64>,
    },
    /// `lognormal(mean, variance)`: `e^N` with N's parameters from the
    /// log-normal's mean and variance.
    LogNormal {
        mean: f64,
        std_dev: f64,
        cached: Option<f64>,
    },
    /// `negexp(mean)`: `−mean·ln u`.
    NegExp { mean: f64 },
    /// `poisson(mean)`: multiply uniforms until below `e^−mean`.
    Poisson { mean: f64 },
    /// `binomial(n, p)`: count of `n` uniforms below `p`.
    Binomial { n: i32, p: f64 },
    /// `geometric(p)`: 1 + number of uniforms below `p` in a row.
    Geometric { p: f64 },
    /// `hypergeo(mean, variance)` (GNU's hyper-exponential).
    HyperGeo { mean: f64, p: f64 },
    /// `erlang(mean, variance)`.
    Erlang { k: i32, a: f64 },
    /// `weibull(alpha, beta)`.
    Weibull { inv_alpha: f64, beta: f64 },
}

impl Distribution {
    pub fn uniform(a: f64, b: f64) -> Self {
        Distribution::Uniform {
            low: if a < b { a } else { b },
            high: if a < b { b } else { a },
        }
    }

    pub fn discunif(a: f64, b: f64) -> Self {
        let (a, b) = (a as i64, b as i64);
        Distribution::DiscUnif {
            low: a.min(b),
            high: a.max(b),
        }
    }

    pub fn normal(mean: f64, variance: f64) -> Self {
        Distribution::Normal {
            mean,
            std_dev: variance.sqrt(),
            cached: None,
        }
    }

    pub fn lognormal(mean: f64, variance: f64) -> Self {
        let m2 = mean * mean;
        Distribution::LogNormal {
            mean: (m2 / (variance + m2).sqrt()).ln(),
            std_dev: ((variance + m2) / m2).ln().sqrt(),
            cached: None,
        }
    }

    pub fn hypergeo(mean: f64, variance: f64) -> Self {
        let z = variance / (mean * mean);
        Distribution::HyperGeo {
            mean,
            p: 0.5 * (1.0 - ((z - 1.0) / (z + 1.0)).sqrt()),
        }
    }

    pub fn erlang(mean: f64, variance: f64) -> Self {
        let k = ((mean * mean) / variance + 0.5) as i32;
        let k = if k > 0 { k } else { 1 };
        Distribution::Erlang {
            k,
            a: f64::from(k) / mean,
        }
    }

    pub fn weibull(alpha: f64, beta: f64) -> Self {
        Distribution::Weibull {
            inv_alpha: 1.0 / alpha,
            beta,
        }
    }

    /// One value drawn with `g`.
    pub fn pick(&mut self, g: &mut Generator) -> f64 {
        match self {
            Distribution::Uniform { low, high } => *low + (*high - *low) * g.next_f64(),
            Distribution::DiscUnif { low, high } => {
                let delta = (*high - *low + 1) as f64;
                (*low + (delta * g.next_f64()).floor() as i64) as f64
            }
            Distribution::Normal {
                mean,
                std_dev,
                cached,
            } => polar(g, cached) * *std_dev + *mean,
            Distribution::LogNormal {
                mean,
                std_dev,
                cached,
            } => std::f64::consts::E.powf(polar(g, cached) * *std_dev + *mean),
            Distribution::NegExp { mean } => -*mean * g.next_f64().ln(),
            Distribution::Poisson { mean } => {
                let bound = (-*mean).exp();
                let mut count = 0i64;
                let mut product = 1.0;
                while product >= bound {
                    count += 1;
                    product *= g.next_f64();
                }
                (count - 1) as f64
            }
            Distribution::Binomial { n, p } => (0..*n).filter(|_| g.next_f64() < *p).count() as f64,
            Distribution::Geometric { p } => {
                let mut samples = 1.0;
                while g.next_f64() < *p {
                    samples += 1.0;
                }
                samples
            }
            Distribution::HyperGeo { mean, p } => {
                let d = if g.next_f64() > *p { 1.0 - *p } else { *p };
                -*mean * g.next_f64().ln() / (2.0 * d)
            }
            Distribution::Erlang { k, a } => {
                let mut prod = 1.0;
                for _ in 0..*k {
                    prod *= g.next_f64();
                }
                -prod.ln() / *a
            }
            Distribution::Weibull { inv_alpha, beta } => {
                (*beta * -(1.0 - g.next_f64()).ln()).powf(*inv_alpha)
            }
        }
    }
}

/// GNU's `Normal`: a standard normal from the polar method, the pair's
/// second value cached for the next call.
fn polar(g: &mut Generator, cached: &mut Option<f64>) -> f64 {
    if let Some(x) = cached.take() {
        return x;
    }
    loop {
        let v1 = 2.0 * g.next_f64() - 1.0;
        let v2 = 2.0 * g.next_f64() - 1.0;
        let w = v1 * v1 + v2 * v2;
        if w <= 1.0 {
            let y = ((-2.0 * w.ln()) / w).sqrt();
            *cached = Some(v2 * y);
            return v1 * y;
        }
    }
}
