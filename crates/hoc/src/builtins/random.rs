//! The `Random` class. The generators NEURON offers (`MCellRan4`,
//! `Random123`, `ACG`, `MLCG`) are accepted and seed one documented
//! generator (xorshift64*, seeded through splitmix64 from the seed and ids);
//! the streams are not NEURON's yet. Distributions: `uniform`, `normal`,
//! `lognormal`, `negexp`, `poisson`, `discunif`, `binomial`, with `repick`.

use super::arg_num;
use crate::interp::value::{ObjData, ObjRef, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};

#[derive(Debug, Clone, Copy)]
enum Dist {
    Uniform(f64, f64),
    Normal(f64, f64),
    LogNormal(f64, f64),
    NegExp(f64),
    Poisson(f64),
    DiscUnif(f64, f64),
    Binomial(f64, f64),
}

/// A `Random` object's state.
#[derive(Debug, Clone)]
pub struct HocRandom {
    state: u64,
    dist: Dist,
    seq: f64,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) | 1
}

impl HocRandom {
    pub fn new(seed: Option<f64>) -> HocRandom {
        HocRandom {
            state: splitmix(seed.unwrap_or(0.0) as u64),
            dist: Dist::Uniform(0.0, 1.0),
            seq: 0.0,
        }
    }

    fn reseed(&mut self, ids: &[f64]) {
        let mut s = 0u64;
        for v in ids {
            s = splitmix(s ^ (*v as i64 as u64));
        }
        self.state = s | 1;
        self.seq = 0.0;
    }

    fn uniform01(&mut self) -> f64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        self.seq += 1.0;
        ((x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn gauss(&mut self) -> f64 {
        let u1 = self.uniform01();
        let u2 = self.uniform01();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    fn draw(&mut self) -> f64 {
        match self.dist {
            Dist::Uniform(a, b) => a + (b - a) * self.uniform01(),
            Dist::Normal(m, var) => m + var.sqrt() * self.gauss(),
            Dist::LogNormal(m, var) => {
                let s2 = (1.0 + var / (m * m)).ln();
                (m.ln() - s2 / 2.0 + s2.sqrt() * self.gauss()).exp()
            }
            Dist::NegExp(m) => -m * self.uniform01().ln(),
            Dist::Poisson(m) => {
                let l = (-m).exp();
                let (mut k, mut p) = (0.0, 1.0);
                loop {
                    p *= self.uniform01();
                    if p <= l || k > 1e7 {
                        return k;
                    }
                    k += 1.0;
                }
            }
            Dist::DiscUnif(a, b) => (a + ((b - a + 1.0) * self.uniform01()).floor()).min(b),
            Dist::Binomial(n, p) => (0..n.max(0.0) as u64)
                .filter(|_| self.uniform01() < p)
                .count() as f64,
        }
    }
}

pub(crate) fn random_method(
    it: &mut Interpreter,
    o: &ObjRef,
    name: &str,
    a: &[ArgVal],
) -> R<Value> {
    let nums: Vec<f64> = a
        .iter()
        .map(|x| match x.value {
            Value::Num(v) => v,
            _ => 0.0,
        })
        .collect();
    let n = |i: usize| arg_num(a, i, name);
    let mut d = o.data.borrow_mut();
    let ObjData::Random(r) = &mut *d else {
        return fault("not a Random");
    };
    let dist = match name {
        "uniform" => Some(Dist::Uniform(n(0)?, n(1)?)),
        "normal" => Some(Dist::Normal(n(0)?, n(1)?)),
        "lognormal" => Some(Dist::LogNormal(n(0)?, n(1)?)),
        "negexp" => Some(Dist::NegExp(n(0)?)),
        "poisson" => Some(Dist::Poisson(n(0)?)),
        "discunif" => Some(Dist::DiscUnif(n(0)?, n(1)?)),
        "binomial" => Some(Dist::Binomial(n(0)?, n(1)?)),
        _ => None,
    };
    if let Some(dist) = dist {
        r.dist = dist;
        return Ok(Value::Num(r.draw()));
    }
    let v = match name {
        "repick" => r.draw(),
        "MCellRan4" | "Random123" | "ACG" | "MLCG" | "Isaac64" => {
            r.reseed(&nums);
            nums.first().copied().unwrap_or(0.0)
        }
        "seq" => {
            if let Some(s) = nums.first() {
                r.seq = *s;
            }
            r.seq
        }
        "set_seq" => {
            r.seq = n(0)?;
            r.seq
        }
        "Random123_globalindex" => 0.0,
        "play" => 1.0,
        _ => return fault(format!("Random has no method {name}")),
    };
    let _ = it;
    Ok(Value::Num(v))
}
