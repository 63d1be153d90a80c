//! NEURON's Random123 streams (`nrnran123_*`): the Philox4x32-10 counter-based
//! generator with NEURON's layout of the counter and key.
//!
//! A stream is a 4×32-bit counter `c = [seq, id3, id1, id2]` and a key
//! `[global index, 0]`; one Philox evaluation of the counter gives four 32-bit
//! words, handed out one by one (`which` = 0..3) before the sequence number is
//! incremented and the next block computed. The global index is read when a
//! block is computed, so changing it affects a stream from its next block on,
//! as in NEURON (which asks users to reset every stream's sequence after
//! changing it).

use super::global_index;

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;

fn round(c: [u32; 4], k: [u32; 2]) -> [u32; 4] {
    let p0 = u64::from(M0) * u64::from(c[0]);
    let p1 = u64::from(M1) * u64::from(c[2]);
    [
        (p1 >> 32) as u32 ^ c[1] ^ k[0],
        p1 as u32,
        (p0 >> 32) as u32 ^ c[3] ^ k[1],
        p0 as u32,
    ]
}

/// Philox4x32 with 10 rounds (Salmon et al., SC'11), as Random123 defines it.
pub fn philox4x32_10(mut ctr: [u32; 4], mut key: [u32; 2]) -> [u32; 4] {
    for i in 0..10 {
        if i > 0 {
            key[0] = key[0].wrapping_add(W0);
            key[1] = key[1].wrapping_add(W1);
        }
        ctr = round(ctr, key);
    }
    ctr
}

/// `1/(2^32 + 1)`: `dblpick` maps `u` to `(u + 1)/(2^32 + 1)`, strictly inside (0, 1).
const SHIFT32: f64 = 1.0 / 4_294_967_297.0;

/// One NEURON Random123 stream (`nrnran123_State`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran123 {
    /// `[seq, id3, id1, id2]`.
    c: [u32; 4],
    /// The current block of four words.
    r: [u32; 4],
    /// The next word of `r` to hand out (0..=3).
    which: u8,
}

impl Ran123 {
    /// `nrnran123_newstream(id1, id2, id3)`: sequence 0, word 0.
    pub fn new(id1: u32, id2: u32, id3: u32) -> Self {
        let mut s = Ran123 {
            c: [0, id3, id1, id2],
            r: [0; 4],
            which: 0,
        };
        s.set_seq(0, 0);
        s
    }

    /// `nrnran123_setseq(s, seq, which)`; a `which` outside 0..=3 becomes 0.
    pub fn set_seq(&mut self, seq: u32, which: i32) {
        self.which = if (0..=3).contains(&which) {
            which as u8
        } else {
            0
        };
        self.c[0] = seq;
        self.r = philox4x32_10(self.c, [global_index(), 0]);
    }

    /// `nrnran123_setseq(s, seq4which)`: `seq*4 + which` in one number, as
    /// HOC and `random_setseq` pass it; negative or beyond 2^40−1 means 0, and
    /// only the low 34 bits of the integer part count.
    pub fn set_seq4(&mut self, seq4which: f64) {
        let mut x = seq4which;
        if x < 0.0 || x.is_nan() {
            x = 0.0;
        }
        if x > 0xff_ffff_ffff_u64 as f64 {
            x = 0.0;
        }
        let bits = (x as u64) & 0x3_ffff_ffff;
        self.set_seq((bits >> 2) as u32, (bits & 3) as i32);
    }

    /// `nrnran123_getseq`: `(seq, which)`.
    pub fn seq(&self) -> (u32, u8) {
        (self.c[0], self.which)
    }

    /// `seq*4 + which`, as HOC's `Random.seq()` and `NMODLRandom.get_seq()` give it.
    pub fn seq4(&self) -> f64 {
        f64::from(self.c[0]) * 4.0 + f64::from(self.which)
    }

    /// `(id1, id2, id3)`.
    pub fn ids(&self) -> (u32, u32, u32) {
        (self.c[2], self.c[3], self.c[1])
    }

    /// `nrnran123_setids`: the sequence and current block are left as they are.
    pub fn set_ids(&mut self, id1: u32, id2: u32, id3: u32) {
        self.c[1] = id3;
        self.c[2] = id1;
        self.c[3] = id2;
    }

    /// `nrnran123_ipick`: the next 32-bit word.
    pub fn ipick(&mut self) -> u32 {
        let value = self.r[usize::from(self.which)];
        self.which += 1;
        if self.which > 3 {
            self.which = 0;
            self.increment();
            self.r = philox4x32_10(self.c, [global_index(), 0]);
        }
        value
    }

    /// Random123's counter increment: the carry runs into the higher words.
    fn increment(&mut self) {
        for w in &mut self.c {
            *w = w.wrapping_add(1);
            if *w != 0 {
                return;
            }
        }
    }

    /// `nrnran123_dblpick` (= `nrnran123_uniform`): `(u + 1)/(2^32 + 1)`.
    pub fn dblpick(&mut self) -> f64 {
        (f64::from(self.ipick()) + 1.0) * SHIFT32
    }

    /// `nrnran123_uniform(s, a, b)`.
    pub fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + self.dblpick() * (b - a)
    }

    /// `nrnran123_negexp(s, mean)`.
    pub fn negexp(&mut self, mean: f64) -> f64 {
        -self.dblpick().ln() * mean
    }

    /// `nrnran123_normal(s)`: the polar method, first value only (no cache).
    pub fn normal01(&mut self) -> f64 {
        let (mut u1, mut w);
        loop {
            u1 = 2.0 * self.dblpick() - 1.0;
            let u2 = 2.0 * self.dblpick() - 1.0;
            w = u1 * u1 + u2 * u2;
            if w <= 1.0 {
                break;
            }
        }
        u1 * ((-2.0 * w.ln()) / w).sqrt()
    }

    /// `nrnran123_normal(s, mu, sigma)`.
    pub fn normal(&mut self, mu: f64, sigma: f64) -> f64 {
        mu + self.normal01() * sigma
    }
}

/// `nrnran123_iran3(seq, id1, id2, id3)`: one stateless block.
pub fn iran(seq: u32, id1: u32, id2: u32, id3: u32) -> [u32; 4] {
    philox4x32_10([seq, id3, id1, id2], [global_index(), 0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn philox_known_answers() {
        // Random123's published known-answer vectors for philox4x32_10
        assert_eq!(
            philox4x32_10([0; 4], [0; 2]),
            [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8]
        );
        assert_eq!(
            philox4x32_10([u32::MAX; 4], [u32::MAX; 2]),
            [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd]
        );
        assert_eq!(
            philox4x32_10(
                [0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344],
                [0xa409_3822, 0x299f_31d0]
            ),
            [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1]
        );
    }

    #[test]
    fn words_are_handed_out_in_order_then_the_sequence_advances() {
        let mut s = Ran123::new(1, 2, 3);
        let block = philox4x32_10([0, 3, 1, 2], [0, 0]);
        let next = philox4x32_10([1, 3, 1, 2], [0, 0]);
        let got: Vec<u32> = (0..5).map(|_| s.ipick()).collect();
        assert_eq!(got[..4], block);
        assert_eq!(got[4], next[0]);
        assert_eq!(s.seq(), (1, 1));
        s.set_seq4(4.0 * 7.0 + 2.0);
        assert_eq!(s.seq(), (7, 2));
        assert_eq!(s.ipick(), philox4x32_10([7, 3, 1, 2], [0, 0])[2]);
    }
}
