/* fakehw.h: the simulated "fancyhw" device, a bit-exact port of glibc's srand()/rand() (TYPE_3).
 *
 * The classic publisher reads samples from a fictitious hardware library, fancyhw_init(seed)
 * then fancyhw_read_val(), which was glibc's srand(seed) and (int16_t)rand(). This header
 * carries the same algorithm portably, so the C peers produce glibc's sequence on every
 * platform (the rand() of Windows and macOS differs). Header-only, no IO, no zmq.
 *
 * glibc's generator, for seed s (s = 0 behaves as 1):
 *   r[0] = s (as an int32), r[i] = 16807 * r[i-1] mod 2147483647 for i in 1..30 (Schrage's
 *   method, negative results fixed up), r[i] = r[i-31] for i in 31..33, then
 *   r[i] = r[i-31] + r[i-3] (mod 2^32), and the outputs are r[i] >> 1 for i >= 344: the first
 *   310 sums are discarded. Here the state is the 31-word ring glibc keeps, with its front
 *   (fptr) and rear (rptr) positions. testdata/glibc-rand.json holds glibc's own outputs;
 *   c/tests/fakehw_test.c checks this header against them.
 *
 * Core functions take the state by pointer; fancyhw_init()/fancyhw_read_val() are the classic
 * library's shape over one device per translation unit. */
#ifndef ZI_FAKEHW_H
#define ZI_FAKEHW_H

#include <stdint.h>

enum { FANCYHW_DEGREE = 31, FANCYHW_SEPARATION = 3, FANCYHW_DISCARDED = 310 };

/* glibc's state: the ring of FANCYHW_DEGREE words, the front (fptr) and rear (rptr) indices. */
struct fancyhw {
    uint32_t ring[FANCYHW_DEGREE];
    int front;
    int rear;
};

/* One step: ring[front] += ring[rear], in uint32_t so the wrap-around glibc relies on is
 * defined behaviour here. Returns the new word (before the shift). */
static inline uint32_t fancyhw_next_word(struct fancyhw *hw) {
    const uint32_t word = hw->ring[hw->front] + hw->ring[hw->rear];
    hw->ring[hw->front] = word;
    hw->front = (hw->front + 1) % FANCYHW_DEGREE;
    hw->rear = (hw->rear + 1) % FANCYHW_DEGREE;
    return word;
}

/* srand(seed). */
static inline void fancyhw_seed(struct fancyhw *hw, uint32_t seed) {
    if (seed == 0) seed = 1; /* as glibc: an all-zero state would stay zero */
    /* glibc keeps the word in an int32_t: seeds past INT32_MAX start negative. Computed in
     * int64_t, where none of the products below can overflow. */
    int64_t word = seed <= (uint32_t)INT32_MAX ? (int64_t)seed : (int64_t)seed - 4294967296LL;
    hw->ring[0] = seed;
    for (int i = 1; i < FANCYHW_DEGREE; i++) {
        /* 16807 * word mod (2^31 - 1), Schrage's method; C division truncates towards zero,
         * as glibc's does. */
        const int64_t hi = word / 127773;
        const int64_t lo = word % 127773;
        word = 16807 * lo - 2836 * hi;
        if (word < 0) word += 2147483647;
        hw->ring[i] = (uint32_t)word; /* 0..2147483646 */
    }
    hw->front = FANCYHW_SEPARATION;
    hw->rear = 0;
    for (int i = 0; i < FANCYHW_DISCARDED; i++) (void)fancyhw_next_word(hw);
}

/* rand(): 0..2147483647 (glibc's RAND_MAX). */
static inline uint32_t fancyhw_rand(struct fancyhw *hw) { return fancyhw_next_word(hw) >> 1; }

/* The device's sample: (int16_t)rand(), the low 16 bits read as two's complement, computed
 * without an implementation-defined conversion. */
static inline int16_t fancyhw_read_sample(struct fancyhw *hw) {
    const int32_t low = (int32_t)(fancyhw_rand(hw) & 0xffffu);
    return (int16_t)(low >= 0x8000 ? low - 0x10000 : low);
}

/* The REQ/REP array's element: rand() / 2^31, exact in a double (31 significant bits). */
static inline double fancyhw_read_f64(struct fancyhw *hw) {
    const uint32_t value = fancyhw_rand(hw);
    return (double)value / 2147483648.0;
}

/* The classic library's shape: one global device (one per translation unit that uses it). */
static struct fancyhw fancyhw_device;

/* srand(seed) on the global device. */
static inline void fancyhw_init(unsigned int seed) { fancyhw_seed(&fancyhw_device, (uint32_t)seed); }

/* (int16_t)rand() from the global device. */
static inline int16_t fancyhw_read_val(void) { return fancyhw_read_sample(&fancyhw_device); }

#endif
