// fakehw.js: the simulated hardware, a bit-exact port of glibc's srand()/rand() (TYPE_3), as
// every peer has (c/fakehw.h, python/zmq_interop/fakehw.py).
//
// glibc's generator, for seed s (0 behaves as 1): r[0] = s (as an int32), r[i] = 16807 * r[i-1]
// mod 2147483647 for i in 1..30 (Schrage's method), then r[i] = r[i-31] + r[i-3] (mod 2^32);
// the first 310 sums are discarded and each output is the sum shifted right by one.
//
// JavaScript's bitwise operators work on int32: every word here is kept as an unsigned 32-bit
// value in a Uint32Array (which wraps the sum mod 2^32 on store), shifted with `>>>`, never `>>`.
"use strict";

const DEGREE = 31;
const SEPARATION = 3;
const DISCARDED = 310;
const RAND_SCALE = 2147483648.0; // 2^31: rand() / 2^31 is exact in a double

/** glibc's rand() after srand(seed), and the fictitious hardware's readings of it. */
class FakeHw {
  constructor(seed) {
    // The ring of 31 words glibc keeps, its front (fptr) and rear (rptr) positions.
    this.ring = new Uint32Array(DEGREE);
    let s = seed >>> 0;
    if (s === 0) {
      s = 1; // an all-zero state would stay zero
    }
    // glibc keeps the word in an int32: seeds past 2^31 - 1 start negative. The products
    // below stay far inside a double's 53 exact bits.
    let word = s | 0;
    this.ring[0] = s;
    for (let i = 1; i < DEGREE; i++) {
      // C's division truncates towards zero, and so do Math.trunc and JS's %.
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = 16807 * lo - 2836 * hi;
      if (word < 0) {
        word += 2147483647;
      }
      this.ring[i] = word;
    }
    this.front = SEPARATION;
    this.rear = 0;
    for (let i = 0; i < DISCARDED; i++) {
      this.nextWord();
    }
  }

  /** One step: ring[front] += ring[rear] (mod 2^32). Returns the new word, unsigned. */
  nextWord() {
    const ring = this.ring;
    const word = (ring[this.front] + ring[this.rear]) >>> 0;
    ring[this.front] = word;
    this.front = this.front === DEGREE - 1 ? 0 : this.front + 1;
    this.rear = this.rear === DEGREE - 1 ? 0 : this.rear + 1;
    return word;
  }

  /** The next value of glibc's rand(), in 0..2147483647. */
  rand() {
    return this.nextWord() >>> 1;
  }

  /** The hardware's sample: (int16_t)rand(), the low 16 bits as two's complement. */
  readVal() {
    return (this.rand() << 16) >> 16;
  }

  /** The REQ/REP array's element: rand() / 2^31. */
  readF64() {
    return this.rand() / RAND_SCALE;
  }
}

/**
 * The expected REQ/REP array as its wire bytes: `length` float64 values rand() / 2^31,
 * little-endian, with value `corruptIndex` (when not null) increased by 1.0.
 */
function f64Bytes(seed, length, corruptIndex = null) {
  const bytes = Buffer.allocUnsafe(length * 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hw = new FakeHw(seed);
  for (let i = 0; i < length; i++) {
    view.setFloat64(i * 8, hw.readF64(), true);
  }
  if (corruptIndex !== null) {
    view.setFloat64(corruptIndex * 8, view.getFloat64(corruptIndex * 8, true) + 1.0, true);
  }
  return bytes;
}

module.exports = { FakeHw, f64Bytes };
