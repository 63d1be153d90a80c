//! NEURON's `mcell_ran4` (MCellRan4): a 64-bit hash of a 32-bit sequence index
//! (`high`, incremented by each draw) and a 32-bit stream index (`low`),
//! NEURON's `nrnRan4int`; doubles are `hash * 2^-32`, in [0, 1).

use super::{mcell_low_index, next_mcell_count};

/// `nrnRan4int(&high, low)`: the hash of `(high, low)`; `high` is incremented.
pub fn ran4_int(high: &mut u32, low: u32) -> u32 {
    let mut n = *high;
    *high = high.wrapping_add(1);
    let mut m = low;

    let mut w = n ^ 0xbaa9_6887;
    let mut v = w >> 16;
    w &= 0xffff;
    let mut u = !(v.wrapping_sub(w).wrapping_mul(v.wrapping_add(w)));
    m ^= (u.rotate_left(16) ^ 0x4b0f_3b58).wrapping_add(w.wrapping_mul(v));

    w = m ^ 0x1e17_d32c;
    v = w >> 16;
    w &= 0xffff;
    u = !(v.wrapping_sub(w).wrapping_mul(v.wrapping_add(w)));
    n ^= (u.rotate_left(16) ^ 0xe874_f0c3).wrapping_add(w.wrapping_mul(v));
    n
}

/// `nrnRan4dbl(&high, low)`: `ran4_int * 2^-32`.
pub fn ran4_dbl(high: &mut u32, low: u32) -> f64 {
    f64::from(ran4_int(high, low)) * (1.0 / 4_294_967_296.0)
}

/// `mcell_ran4a(&high)`: a double with the global low index (`mcell_ran4_init`).
pub fn mcell_ran4a(high: &mut u32) -> f64 {
    ran4_dbl(high, mcell_low_index())
}

/// HOC's `Random.MCellRan4(seed, low)` generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McellRan4 {
    /// The sequence index of the next draw.
    pub high: u32,
    /// The first `high` (what `reset` returns to).
    pub orig: u32,
    /// The stream index; 0 means the global low index at each draw.
    pub low: u32,
}

impl McellRan4 {
    /// NEURON's constructor: a seed of 0 takes the hash of a per-thread
    /// count of generators made so far, so it differs between generators.
    pub fn new(high: u32, low: u32) -> Self {
        let count = next_mcell_count();
        let mut g = McellRan4 { high, orig: 0, low };
        if high == 0 {
            g.high = count;
            g.high = g.next_u32();
        }
        g.orig = g.high;
        g
    }

    /// `asLong`.
    pub fn next_u32(&mut self) -> u32 {
        let low = if self.low == 0 {
            mcell_low_index()
        } else {
            self.low
        };
        ran4_int(&mut self.high, low)
    }

    /// `asDouble`.
    pub fn next_f64(&mut self) -> f64 {
        f64::from(self.next_u32()) * (1.0 / 4_294_967_296.0)
    }

    /// `reset`: back to the first sequence index.
    pub fn reset(&mut self) {
        self.high = self.orig;
    }
}
