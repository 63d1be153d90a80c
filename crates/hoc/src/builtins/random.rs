//! The `Random` class and the random functions of HOC, producing NEURON
//! 9.0.2's numbers: the generators and distributions are
//! `neurite_hines::random` (see `docs/semantics/random.md`).
//!
//! A `Random` object holds a [`SharedRandom`], so a mechanism given the
//! object (`syn.setRNG(r)`, NEURON's `nrn_random_arg`) draws from the same
//! stream as HOC's `r.repick()`. `new Random(seed)` is NEURON 9's default:
//! a Random123 stream with ids `(seed, 55, 0)` and `normal(0, 1)`.
//! NEURON 9 has no ACG, MLCG or Isaac64 generator any more; asking for one
//! is an error, as in NEURON.

use super::arg_num;
use crate::interp::value::{ObjData, ObjRef, Value};
use crate::interp::{fault, ArgVal, Interpreter, R};
use neurite_hines::random::{
    self, f64_to_u32, Distribution, Generator, McellRan4, Ran123, Random, SharedRandom,
};
use std::cell::RefCell;
use std::rc::Rc;

/// The HOC functions of this module (besides the class).
pub(crate) const RANDOM_FUNCS: &[&str] = &["mcell_ran4", "mcell_ran4_init", "use_mcell_ran4"];

/// A `Random` object's state: NEURON's `Rand`, shared with mechanisms.
#[derive(Debug, Clone)]
pub struct HocRandom {
    shared: SharedRandom,
}

impl HocRandom {
    /// `new Random(seed)`.
    pub fn new(seed: Option<f64>) -> HocRandom {
        HocRandom::with_size(seed, 55.0)
    }

    /// `new Random(seed, size)`: Random123 ids `(seed, size, 0)`.
    pub fn with_size(seed: Option<f64>, size: f64) -> HocRandom {
        let seed = f64_to_u32(seed.unwrap_or(0.0));
        HocRandom {
            shared: Rc::new(RefCell::new(Random::new(seed, size as u32))),
        }
    }

    /// `new Random([seed [, size]])`: size in [7, 98], as NEURON checks it.
    pub(crate) fn from_args(a: &[ArgVal]) -> R<HocRandom> {
        let seed = if a.is_empty() {
            None
        } else {
            Some(arg_num(a, 0, "Random")?)
        };
        let size = if a.len() > 1 {
            checked(a, 1, "Random", 7.0, 98.0)?
        } else {
            55.0
        };
        Ok(HocRandom::with_size(seed, size))
    }

    /// The stream, as a mechanism holding the object through a POINTER sees it.
    pub fn shared(&self) -> SharedRandom {
        Rc::clone(&self.shared)
    }
}

/// NEURON's `chkarg(i, low, high)`: a number argument within bounds.
fn checked(a: &[ArgVal], i: usize, name: &str, low: f64, high: f64) -> R<f64> {
    let x = arg_num(a, i, name)?;
    if !(low..=high).contains(&x) {
        return fault(format!(
            "Random.{name}: argument {} is {x}, outside [{low}, {high}]",
            i + 1
        ));
    }
    Ok(x)
}

const MAX_U32: f64 = 4_294_967_295.0;

/// A 32-bit id argument (0 when absent).
fn id_arg(a: &[ArgVal], i: usize, name: &str) -> R<u32> {
    if a.len() <= i {
        return Ok(0);
    }
    Ok(checked(a, i, name, 0.0, MAX_U32)? as u32)
}

/// The distribution a method chooses, if it is one.
fn distribution(a: &[ArgVal], name: &str) -> R<Option<Distribution>> {
    let n = |i: usize| arg_num(a, i, name);
    Ok(Some(match name {
        "uniform" => Distribution::uniform(n(0)?, n(1)?),
        "discunif" => Distribution::discunif(n(0)?, n(1)?),
        "normal" => Distribution::normal(n(0)?, n(1)?),
        "lognormal" => Distribution::lognormal(n(0)?, n(1)?),
        "negexp" => Distribution::NegExp { mean: n(0)? },
        "poisson" => Distribution::Poisson { mean: n(0)? },
        "binomial" => Distribution::Binomial {
            n: checked(a, 0, name, 0.0, 1e99)? as i32,
            p: checked(a, 1, name, 0.0, 1.0)?,
        },
        "geometric" => Distribution::Geometric {
            p: checked(a, 0, name, 0.0, 1.0)?,
        },
        "hypergeo" => Distribution::hypergeo(n(0)?, n(1)?),
        "erlang" => Distribution::erlang(n(0)?, n(1)?),
        "weibull" => Distribution::weibull(n(0)?, n(1)?),
        _ => return Ok(None),
    }))
}

pub(crate) fn random_method(
    it: &mut Interpreter,
    o: &ObjRef,
    name: &str,
    a: &[ArgVal],
) -> R<Value> {
    let shared = match &*o.data.borrow() {
        ObjData::Random(r) => r.shared(),
        _ => return fault("not a Random"),
    };
    if name == "play" {
        let target = match a.first().map(|x| &x.value) {
            Some(Value::SimRef(r)) => r.clone(),
            Some(Value::Ptr(p)) => {
                let (cells, index) = (p.cells.clone(), p.index);
                it.sim
                    .random_play_cell(cells, index, shared)
                    .or_else(fault)?;
                return Ok(Value::Num(0.0));
            }
            _ => return fault("Random.play: the argument must be a variable's address (&x)"),
        };
        it.sim.random_play(target, shared).or_else(fault)?;
        return Ok(Value::Num(0.0));
    }
    let mut r = shared.borrow_mut();
    if let Some(d) = distribution(a, name)? {
        return Ok(Value::Num(r.set_distribution(d)));
    }
    let v = match name {
        "repick" => r.pick(),
        "MCellRan4" => {
            let g = McellRan4::new(id_arg(a, 0, name)?, id_arg(a, 1, name)?);
            let orig = f64::from(g.orig);
            r.generator = Generator::McellRan4(g);
            orig
        }
        "Random123" => {
            let ids = (
                id_arg(a, 0, name)?,
                id_arg(a, 1, name)?,
                id_arg(a, 2, name)?,
            );
            r.generator = Generator::Ran123(Ran123::new(ids.0, ids.1, ids.2));
            0.0
        }
        "Random123_globalindex" => {
            if !a.is_empty() {
                random::set_global_index(checked(a, 0, name, 0.0, MAX_U32)? as u32);
            }
            f64::from(random::global_index())
        }
        "seq" => sequence(&mut r, a)?,
        "ACG" | "MLCG" | "Isaac64" => {
            return fault(format!(
                "Random.{name}: NEURON 9 has no {name} generator (use Random123 or MCellRan4)"
            ))
        }
        _ => return fault(format!("Random has no method {name}")),
    };
    Ok(Value::Num(v))
}

/// `seq()` / `seq(x)`: Random123's `seq*4 + which`, MCellRan4's index.
fn sequence(r: &mut Random, a: &[ArgVal]) -> R<f64> {
    match &mut r.generator {
        Generator::Ran123(s) => {
            if !a.is_empty() {
                let x = checked(a, 0, "seq", 0.0, 17_179_869_183.0)?;
                let seq = (x / 4.0) as u32;
                let which = (x - f64::from(seq) * 4.0) as i32;
                s.set_seq(seq, which);
            }
            Ok(s.seq4())
        }
        Generator::McellRan4(g) => {
            if !a.is_empty() {
                g.high = f64_to_u32(arg_num(a, 0, "seq")?);
            }
            Ok(f64::from(g.high))
        }
    }
}

/// A method of NEURON 9's `NMODLRandom` (`ns.ranvar.set_ids(1, 2, 3)`):
/// `set_ids` and `set_seq` return the object itself (so calls chain),
/// `get_ids` a new Vector of the three ids, `get_seq` and `uniform` a number.
pub(crate) fn nmodl_random_method(
    it: &mut Interpreter,
    o: &ObjRef,
    pp: usize,
    var: &str,
    name: &str,
    a: &[ArgVal],
) -> R<Value> {
    let args: Vec<f64> = match name {
        "set_ids" => (0..3)
            .map(|i| checked(a, i, name, 0.0, MAX_U32))
            .collect::<R<_>>()?,
        "set_seq" => vec![arg_num(a, 0, name)?],
        "get_ids" | "get_seq" | "uniform" => Vec::new(),
        _ => return fault(format!("NMODLRandom has no method {name}")),
    };
    let out = it.sim.pp_random(pp, var, name, &args).or_else(fault)?;
    Ok(match name {
        "set_ids" | "set_seq" => Value::Obj(Some(o.clone())),
        "get_ids" => {
            let cells = Rc::new(RefCell::new(out));
            Value::Obj(Some(super::objects::obj(
                it,
                "Vector",
                ObjData::Vector(cells),
            )))
        }
        _ => Value::Num(out.first().copied().unwrap_or(0.0)),
    })
}

impl Interpreter {
    /// `mcell_ran4(&x)`, `mcell_ran4_init([low])`, `use_mcell_ran4([on])`.
    pub(crate) fn random_builtin(&mut self, name: &str, a: &[ArgVal]) -> R<Value> {
        let v = match name {
            "mcell_ran4" => {
                let Some(Value::Ptr(p)) = a.first().map(|x| &x.value) else {
                    return fault("mcell_ran4: the argument must be a variable's address (&x)");
                };
                let mut high = f64_to_u32(p.get().unwrap_or(0.0));
                let x = random::mcell_ran4a(&mut high);
                p.set(f64::from(high));
                x
            }
            "mcell_ran4_init" => {
                let previous = random::mcell_low_index();
                if !a.is_empty() {
                    random::set_mcell_low_index(checked(a, 0, name, 0.0, MAX_U32)? as u32);
                }
                f64::from(previous)
            }
            "use_mcell_ran4" => {
                let previous = random::use_mcran4();
                if !a.is_empty() {
                    random::set_use_mcran4(checked(a, 0, name, 0.0, 1.0)? != 0.0);
                }
                f64::from(u8::from(previous))
            }
            _ => return fault(format!("{name} is not a random function")),
        };
        Ok(Value::Num(v))
    }
}
