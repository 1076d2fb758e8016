/* fakehw.h: the simulated "fancyhw" device, a bit-exact port of glibc's srand()/rand() (TYPE_3).
 *
 * The classic publisher reads samples from a fictitious hardware library, fancyhw_init(seed)
 * then fancyhw_read_val(), which was glibc's srand(seed) and (int16_t)rand(). This header
 * carries the same algorithm portably, so the C peers produce glibc's sequence on every
 * platform (Windows' and macOS's rand() differ). Header-only; no IO, no zmq.
 *
 * glibc: r[i] = r[i-31] + r[i-3] (mod 2^32) over a state seeded by the Park-Miller LCG; the
 * first 310 outputs are discarded; each output is the sum shifted right by one bit. */
#ifndef ZI_FAKEHW_H
#define ZI_FAKEHW_H

#include <stdint.h>

enum { FAKEHW_DEGREE = 31, FAKEHW_SEPARATION = 3, FAKEHW_DISCARDED = 310 };

/* glibc's state array with its front (fptr) and rear (rptr) positions. */
struct fakehw {
    uint32_t ring[FAKEHW_DEGREE];
    int front;
    int rear;
};

static inline uint32_t fakehw_next_word(struct fakehw *hw) {
    /* Unsigned arithmetic: the wrap-around is defined, as glibc relies on it. */
    uint32_t word = hw->ring[hw->front] + hw->ring[hw->rear];
    hw->ring[hw->front] = word;
    hw->front = (hw->front + 1) % FAKEHW_DEGREE;
    hw->rear = (hw->rear + 1) % FAKEHW_DEGREE;
    return word;
}

/* srand(seed). */
static inline void fakehw_seed(struct fakehw *hw, uint32_t seed) {
    if (seed == 0) seed = 1; /* as glibc: an all-zero state would stay zero */
    /* glibc keeps the word in an int32_t: seeds past INT32_MAX start negative. */
    int64_t word = seed <= INT32_MAX ? (int64_t)seed : (int64_t)seed - 4294967296LL;
    hw->ring[0] = seed;
    for (int i = 1; i < FAKEHW_DEGREE; i++) {
        /* 16807 * word mod (2^31 - 1) by Schrage's method; C division truncates towards zero. */
        int64_t hi = word / 127773;
        int64_t lo = word % 127773;
        word = 16807 * lo - 2836 * hi;
        if (word < 0) word += 2147483647;
        hw->ring[i] = (uint32_t)word;
    }
    hw->front = FAKEHW_SEPARATION;
    hw->rear = 0;
    for (int i = 0; i < FAKEHW_DISCARDED; i++) (void)fakehw_next_word(hw);
}

/* rand(): 0..RAND_MAX (2^31 - 1). */
static inline uint32_t fakehw_rand(struct fakehw *hw) { return fakehw_next_word(hw) >> 1; }

/* The device's sample: (int16_t)rand(), the low 16 bits read as two's complement, computed
 * without implementation-defined conversions. */
static inline int16_t fakehw_read_sample(struct fakehw *hw) {
    uint32_t low = fakehw_rand(hw) & 0xffffu;
    return low >= 0x8000u ? (int16_t)((int32_t)low - 0x10000) : (int16_t)low;
}

/* The REQ/REP array's element: rand() / 2147483648.0, exact in a double. */
static inline double fakehw_read_f64(struct fakehw *hw) { return (double)fakehw_rand(hw) / 2147483648.0; }

/* The classic library's shape: one global device. */
static struct fakehw fakehw_device;

static inline void fancyhw_init(unsigned int seed) { fakehw_seed(&fakehw_device, (uint32_t)seed); }

static inline int16_t fancyhw_read_val(void) { return fakehw_read_sample(&fakehw_device); }

#endif
