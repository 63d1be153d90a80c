//! Random-number streams that reproduce NEURON 9.0.2's, number for number
//! (`docs/semantics/random.md`).
//!
//! - [`Ran123`]: NEURON's Random123 streams (`nrnran123_*`, Philox4x32-10),
//!   used by NMODL `RANDOM` variables, the `nrnran123_*` VERBATIM idiom and
//!   HOC's `Random.Random123` (also the generator of a plain `new Random()`).
//! - [`McellRan4`]: HOC's `Random.MCellRan4`, and [`mcell_ran4a`].
//! - [`Random`]: HOC's `Random` object (a generator and a distribution, as
//!   NEURON's `Rand`), shared with mechanisms through [`SharedRandom`].
//! - [`Scop`]: the generator behind NMODL's `scop_random`, `normrand`,
//!   `exprand`, `poisrand` and `set_seed`.
//!
//! NEURON keeps four process-wide values here: the Random123 global index,
//! MCellRan4's global low index, the count of MCellRan4 generators made, and
//! whether `scop_random` uses MCellRan4. Neurite keeps them per thread (one
//! simulation runs on one thread), so tests running in parallel do not see
//! each other's settings.

mod dist;
mod mcran4;
mod philox;

pub use dist::Distribution;
pub use mcran4::{mcell_ran4a, ran4_dbl, ran4_int, McellRan4};
pub use philox::{iran, philox4x32_10, Ran123};

use std::cell::{Cell, RefCell};
use std::rc::Rc;

thread_local! {
    static GLOBAL_INDEX: Cell<u32> = const { Cell::new(0) };
    static MCELL_LOW: Cell<u32> = const { Cell::new(0) };
    static MCELL_COUNT: Cell<u32> = const { Cell::new(0) };
    static USE_MCRAN4: Cell<bool> = const { Cell::new(false) };
    static NEWSTREAM_COUNT: Cell<u32> = const { Cell::new(0) };
}

/// The Random123 global index (word 0 of every stream's key).
pub fn global_index() -> u32 {
    GLOBAL_INDEX.with(Cell::get)
}

/// `Random123_globalindex(i)` / `nrnran123_set_globalindex`.
pub fn set_global_index(i: u32) {
    GLOBAL_INDEX.with(|g| g.set(i));
}

/// The low index MCellRan4 generators without their own use (`mcell_ran4_init`).
pub fn mcell_low_index() -> u32 {
    MCELL_LOW.with(Cell::get)
}

/// `mcell_ran4_init(low)`; returns the previous value.
pub fn set_mcell_low_index(low: u32) -> u32 {
    MCELL_LOW.with(|c| c.replace(low))
}

fn next_mcell_count() -> u32 {
    MCELL_COUNT.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        n
    })
}

/// Whether `scop_random` uses MCellRan4 (`use_mcell_ran4(1)`).
pub fn use_mcran4() -> bool {
    USE_MCRAN4.with(Cell::get)
}

/// `use_mcell_ran4(on)`; returns the previous setting.
pub fn set_use_mcran4(on: bool) -> bool {
    USE_MCRAN4.with(|c| c.replace(on))
}

/// `nrnran123_newstream()` without ids, as NEURON makes the stream of every
/// NMODL `RANDOM` variable of every new mechanism instance: ids
/// `(1, rank = 0, n)` where `n` counts such streams made on this thread.
pub fn new_default_stream() -> Ran123 {
    let n = NEWSTREAM_COUNT.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        n
    });
    Ran123::new(1, 0, n)
}

/// Resets the count behind [`new_default_stream`] (a fresh NEURON process).
pub fn reset_default_stream_count() {
    NEWSTREAM_COUNT.with(|c| c.set(0));
}

/// The generator of a HOC `Random` object.
#[derive(Debug, Clone, PartialEq)]
pub enum Generator {
    Ran123(Ran123),
    McellRan4(McellRan4),
}

impl Generator {
    /// `asDouble`: Random123's `dblpick`, MCellRan4's `hash·2^-32`.
    pub fn next_f64(&mut self) -> f64 {
        match self {
            Generator::Ran123(s) => s.dblpick(),
            Generator::McellRan4(g) => g.next_f64(),
        }
    }

    /// `asLong`.
    pub fn next_u32(&mut self) -> u32 {
        match self {
            Generator::Ran123(s) => s.ipick(),
            Generator::McellRan4(g) => g.next_u32(),
        }
    }

    /// `reset`: Random123 to sequence 0, MCellRan4 to its first index.
    pub fn reset(&mut self) {
        match self {
            Generator::Ran123(s) => s.set_seq(0, 0),
            Generator::McellRan4(g) => g.reset(),
        }
    }
}

/// HOC's `Random` object (NEURON's `Rand`): a generator and the distribution
/// last chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Random {
    pub generator: Generator,
    pub distribution: Distribution,
}

/// A `Random` shared between HOC and the mechanisms that hold it through a
/// POINTER (NEURON's `nrn_random_arg`).
pub type SharedRandom = Rc<RefCell<Random>>;

impl Random {
    /// `new Random(seed, size)`: in NEURON 9 a Random123 stream with ids
    /// `(seed, size, 0)` (seed 0, size 55 by default) and `normal(0, 1)`.
    pub fn new(seed: u32, size: u32) -> Self {
        Random {
            generator: Generator::Ran123(Ran123::new(seed, size, 0)),
            distribution: Distribution::normal(0.0, 1.0),
        }
    }

    /// `repick()` (and `nrn_random_pick`): a value from the current distribution.
    pub fn pick(&mut self) -> f64 {
        self.distribution.pick(&mut self.generator)
    }

    /// Chooses `d` and draws one value from it (what `r.uniform(...)`,
    /// `r.normal(...)` ... do).
    pub fn set_distribution(&mut self, d: Distribution) -> f64 {
        self.distribution = d;
        self.pick()
    }

    /// The Random123 stream, if that is the generator.
    pub fn ran123(&mut self) -> Option<&mut Ran123> {
        match &mut self.generator {
            Generator::Ran123(s) => Some(s),
            Generator::McellRan4(_) => None,
        }
    }
}

/// NMODL's scop generator: one state per thread, 1 at start, set by
/// `set_seed`; a 32-bit linear congruential generator, or MCellRan4 after
/// `use_mcell_ran4(1)`.
#[derive(Debug, Clone, Copy)]
pub struct Scop;

thread_local! {
    static SCOP_VALUE: Cell<u32> = const { Cell::new(1) };
}

impl Scop {
    /// `scop_random()`: uniform on [0, 1].
    pub fn random() -> f64 {
        SCOP_VALUE.with(|v| {
            let mut value = v.get();
            let x = if use_mcran4() {
                mcell_ran4a(&mut value)
            } else {
                value = value.wrapping_mul(2_147_437_301).wrapping_add(453_816_981);
                (f64::from(value) / 4_294_967_295.0).abs()
            };
            v.set(value);
            x
        })
    }

    /// `set_seed(seed)`: the state becomes `(uint32_t) seed`.
    pub fn set_seed(seed: f64) {
        SCOP_VALUE.with(|v| v.set(f64_to_u32(seed)));
    }

    /// `exprand(mean)`.
    pub fn exprand(mean: f64) -> f64 {
        -mean * Scop::random().ln()
    }

    /// `normrand(mean, sd)`: the polar method, first value of each pair.
    pub fn normrand(mean: f64, sd: f64) -> f64 {
        let (mut v1, mut s) = (0.0, 1.0);
        while s >= 1.0 {
            v1 = 2.0 * Scop::random() - 1.0;
            let v2 = 2.0 * Scop::random() - 1.0;
            s = v1 * v1 + v2 * v2;
        }
        v1 * (-2.0 * s.ln() / s).sqrt() * sd + mean
    }

    /// `poisrand(mean)`.
    pub fn poisrand(mean: f64) -> f64 {
        let s = (-mean).exp();
        let (mut n, mut q) = (0i64, 1.0);
        while q >= s {
            q *= Scop::random();
            n += 1;
        }
        (n - 1) as f64
    }
}

/// C's conversion of a double to `uint32_t` as x86-64 compilers do it
/// (through a 64-bit integer, so negative values wrap).
pub fn f64_to_u32(x: f64) -> u32 {
    if x.is_nan() {
        return 0;
    }
    (x as i64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scop_random_is_neurons_lcg() {
        Scop::set_seed(1.0);
        let value = 1u32.wrapping_mul(2_147_437_301).wrapping_add(453_816_981);
        assert_eq!(Scop::random(), f64::from(value) / 4_294_967_295.0);
    }

    #[test]
    fn default_streams_count_up() {
        reset_default_stream_count();
        assert_eq!(new_default_stream().ids(), (1, 0, 1));
        assert_eq!(new_default_stream().ids(), (1, 0, 2));
    }
}
