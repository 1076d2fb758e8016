// FakeHw.java: the simulated "fancyhw" device, a bit-exact port of glibc's srand()/rand() (TYPE_3).
package zmqinterop;

/**
 * glibc's rand() after srand(seed), and the fictitious hardware's readings of it.
 *
 * <p>glibc, for seed s (0 behaves as 1): r[0] = s read as an int32, r[i] = 16807 * r[i-1] mod
 * 2147483647 for i in 1..30 (Schrage's method, negative results fixed up), then
 * r[i] = r[i-31] + r[i-3] mod 2^32; the first 310 sums are discarded and each output is the
 * sum shifted right by one. The state here is glibc's own: a ring of 31 words with a front and
 * a rear position. Java's int addition wraps modulo 2^32 exactly as glibc's uint32 sum does, and
 * {@code >>>} is the unsigned shift; Java's division truncates towards zero as C's does.
 */
final class FakeHw {
    private static final int DEGREE = 31;
    private static final int SEPARATION = 3;
    private static final int DISCARDED = 310;

    private final int[] ring = new int[DEGREE];
    private int front = SEPARATION;
    private int rear;

    /** srand(seed), seed in 0..=4294967295. */
    FakeHw(long seed) {
        long s = seed & 0xffffffffL;
        if (s == 0) {
            s = 1; // as glibc: an all-zero state would stay zero
        }
        ring[0] = (int) s;
        // glibc keeps the word in an int32: seeds past 2^31 - 1 start negative. In a long, none of
        // the products below can overflow.
        long word = (int) s;
        for (int i = 1; i < DEGREE; i++) {
            long hi = word / 127773;
            long lo = word % 127773;
            word = 16807 * lo - 2836 * hi;
            if (word < 0) {
                word += 2147483647;
            }
            ring[i] = (int) word;
        }
        for (int i = 0; i < DISCARDED; i++) {
            nextWord();
        }
    }

    /** One step: ring[front] += ring[rear] (mod 2^32); returns the new word, before the shift. */
    private int nextWord() {
        int word = ring[front] + ring[rear];
        ring[front] = word;
        front = front + 1 == DEGREE ? 0 : front + 1;
        rear = rear + 1 == DEGREE ? 0 : rear + 1;
        return word;
    }

    /** rand(): 0..=2147483647 (glibc's RAND_MAX). */
    int rand() {
        return nextWord() >>> 1;
    }

    /** The device's sample: (int16_t)rand(), the low 16 bits as two's complement. */
    short readVal() {
        return (short) rand();
    }

    /** The REQ/REP array's element: rand() / 2^31, exact in a double (31 significant bits). */
    double readF64() {
        return rand() / 2147483648.0;
    }

    /**
     * The REQ/REP array as it travels: {@code len} values of readF64() after srand(seed), as
     * little-endian float64, with value {@code corruptIndex} increased by 1.0 (none when -1).
     */
    static byte[] f64Array(long seed, int len, int corruptIndex) {
        FakeHw hw = new FakeHw(seed);
        byte[] bytes = new byte[len * 8];
        for (int i = 0; i < len; i++) {
            double value = hw.readF64();
            if (i == corruptIndex) {
                value += 1.0;
            }
            long bits = Double.doubleToRawLongBits(value);
            for (int b = 0; b < 8; b++) {
                bytes[i * 8 + b] = (byte) (bits >>> (8 * b));
            }
        }
        return bytes;
    }
}
