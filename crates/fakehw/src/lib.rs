//! The simulated "fancyhw" device: a bit-exact port of glibc's `srand`/`rand`.
//!
//! The story this project reproduces reads samples from a fictitious hardware library,
//! `fancyhw_init(seed)` then `fancyhw_read_val()`, which is glibc's `srand(seed)` and
//! `(int16_t)rand()`. Every peer (Rust, C, Python) carries its own port of the same
//! algorithm so that all of them, and the harness, agree on the expected data without
//! calling the platform's `rand()` (which differs on Windows and macOS).
//!
//! glibc's default generator (TYPE_3) is an additive lagged Fibonacci generator,
//! `r[i] = r[i-31] + r[i-3] (mod 2^32)`, whose 31-word state is seeded by the
//! Park–Miller "minimal standard" LCG; the first 310 outputs are discarded and each
//! output is the sum shifted right by one bit.
//!
//! Architecture invariant: this crate does no IO and knows nothing of zmq.

#![cfg_attr(not(test), no_std)]

/// Number of words in glibc's TYPE_3 state (`rand_deg`).
const DEGREE: usize = 31;
/// The short lag of the feedback (`rand_sep`).
const SEPARATION: usize = 3;
/// Outputs glibc throws away after seeding (`10 * rand_deg`).
const DISCARDED: usize = 10 * DEGREE;

/// The largest value [`Glibc::rand`] returns, glibc's `RAND_MAX`.
pub const RAND_MAX: u32 = 0x7fff_ffff;

/// glibc's `srand`/`rand` state, TYPE_3.
///
/// ```
/// let mut hw = fakehw::Glibc::new(12345);
/// assert_eq!(hw.rand(), 383100999); // what glibc's rand() gives after srand(12345)
/// ```
#[derive(Debug, Clone)]
pub struct Glibc {
    /// glibc's `state` array: the last 31 values of the feedback sequence, a ring buffer.
    ring: [u32; DEGREE],
    /// glibc's `fptr`: the oldest value, `r[i-31]`, which the next step overwrites with `r[i]`.
    front: usize,
    /// glibc's `rptr`, always `SEPARATION` places behind `front`: `r[i-3]`.
    rear: usize,
}

impl Glibc {
    /// Seeds the generator exactly as glibc's `srand(seed)` does.
    #[must_use]
    pub fn new(seed: u32) -> Self {
        // glibc keeps a zero seed from producing an all-zero state.
        let seed = if seed == 0 { 1 } else { seed };
        let mut ring = [0u32; DEGREE];
        // glibc stores the seed in an int32_t: seeds past i32::MAX start the LCG negative.
        let mut word = i64::from(seed.cast_signed());
        ring[0] = seed;
        for slot in ring.iter_mut().skip(1) {
            // 16807 * word mod (2^31 - 1) by Schrage's method, as glibc writes it; Rust's `/`
            // and `%` truncate towards zero like C's, so negative words behave identically.
            let hi = word / 127_773;
            let lo = word % 127_773;
            word = 16_807 * lo - 2_836 * hi;
            if word < 0 {
                word += 2_147_483_647;
            }
            // In range 0..2^31 here, so the conversion is exact.
            *slot = u32::try_from(word).unwrap_or_default();
        }
        let mut generator = Self { ring, front: SEPARATION, rear: 0 };
        for _ in 0..DISCARDED {
            generator.next_word();
        }
        generator
    }

    /// One step of the feedback: `r[i] = r[i-31] + r[i-3]`, wrapping like glibc's `uint32_t`.
    fn next_word(&mut self) -> u32 {
        let word = self.ring[self.front].wrapping_add(self.ring[self.rear]);
        self.ring[self.front] = word;
        self.front = (self.front + 1) % DEGREE;
        self.rear = (self.rear + 1) % DEGREE;
        word
    }

    /// The next value of glibc's `rand()`, in `0..=RAND_MAX`.
    pub fn rand(&mut self) -> u32 {
        self.next_word() >> 1
    }

    /// The fictitious hardware's sample: `(int16_t)rand()`, the low 16 bits as two's complement.
    pub fn read_val(&mut self) -> i16 {
        // Truncation is the point: this is C's conversion of int to int16_t.
        #[allow(clippy::cast_possible_truncation)]
        let low = self.rand() as u16;
        low.cast_signed()
    }

    /// The REQ/REP array's element: `rand() / 2147483648.0`, exact in every language
    /// because every value of `rand()` fits a double's mantissa.
    pub fn read_f64(&mut self) -> f64 {
        f64::from(self.rand()) / 2_147_483_648.0
    }

    /// Fills `out` with consecutive samples, as the publisher does for one packet.
    pub fn fill_samples(&mut self, out: &mut [i16]) {
        for sample in out {
            *sample = self.read_val();
        }
    }

    /// Fills `out` with consecutive array values, as the requester does for one array.
    pub fn fill_f64(&mut self, out: &mut [f64]) {
        for value in out {
            *value = self.read_f64();
        }
    }
}

#[cfg(test)]
mod tests;
