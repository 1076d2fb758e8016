"""The simulated hardware: a bit-exact port of glibc's srand/rand (TYPE_3), as every peer has.

glibc's generator is r[i] = r[i-31] + r[i-3] (mod 2**32) over a state seeded by the Park-Miller
LCG; the first 310 outputs are discarded and each output is the sum shifted right by one.
"""

from collections import deque
from typing import List

_MASK = 0xFFFFFFFF
_DEGREE = 31
_DISCARDED = 310


def _seeded_words(seed: int) -> List[int]:
    """r[0..33]: the LCG's 31 words (seed stored as int32, like glibc) and r[31..33] = r[0..2]."""
    seed &= _MASK
    if seed == 0:
        seed = 1
    word = seed - (1 << 32) if seed >= 1 << 31 else seed
    words = [seed]
    for _ in range(1, _DEGREE):
        # Schrage's method with C's division, which truncates towards zero (Python's floors).
        hi = abs(word) // 127773 * (1 if word >= 0 else -1)
        lo = word - hi * 127773
        word = 16807 * lo - 2836 * hi
        if word < 0:
            word += 2147483647
        words.append(word)
    return words + words[:3]


class FakeHw:
    """glibc's rand() after srand(seed), and the fictitious hardware's readings of it."""

    def __init__(self, seed: int) -> None:
        # The last 31 values of the sequence: window[0] is r[i-31], window[-3] is r[i-3].
        self._window = deque(_seeded_words(seed)[3:], maxlen=_DEGREE)
        for _ in range(_DISCARDED):
            self._next_word()

    def _next_word(self) -> int:
        word = (self._window[0] + self._window[-3]) & _MASK
        self._window.append(word)
        return word

    def rand(self) -> int:
        """The next value of glibc's rand(), in 0..RAND_MAX."""
        return self._next_word() >> 1

    def read_val(self) -> int:
        """The hardware's sample: (int16_t)rand(), the low 16 bits as two's complement."""
        low = self.rand() & 0xFFFF
        return low - 0x10000 if low >= 0x8000 else low

    def read_f64(self) -> float:
        """The REQ/REP array's element: rand() / 2147483648.0 (exact in a double)."""
        return self.rand() / 2147483648.0


def rand_values(seed: int, n: int) -> List[int]:
    """The first n values of rand() after srand(seed), in one tight loop (for whole arrays)."""
    r = _seeded_words(seed)
    for i in range(34, 344 + n):
        r.append((r[i - 31] + r[i - 3]) & _MASK)
    return [x >> 1 for x in r[344:]]


# rand_array's block: how many words one matrix product computes from the 31 before them.
_BLOCK = _DEGREE * 64


def _block_coefficients(block: int):  # -> numpy.ndarray (block x 31, uint64)
    """Row j: the word r[i + j] as a sum of the 31 words r[i - 31] .. r[i - 1] times these
    coefficients, mod 2**32 (the recurrence is linear, so every later word is such a sum)."""
    import numpy as np  # noqa: PLC0415 - keeps numpy out of the PUB/SUB start-up

    rows = np.zeros((block, _DEGREE), dtype=np.uint64)
    unit = np.eye(_DEGREE, dtype=np.uint64)
    for j in range(block):
        older = unit[j] if j < _DEGREE else rows[j - _DEGREE]  # r[i + j - 31]
        newer = unit[j + _DEGREE - 3] if j < 3 else rows[j - 3]  # r[i + j - 3]
        rows[j] = (older + newer) & _MASK
    return rows


def rand_array(seed: int, n: int):  # -> numpy.ndarray (uint32)
    """rand_values(seed, n) as a numpy array, computed _BLOCK words at a time: each block is
    one product of a fixed coefficient matrix with the 31 words before it (uint64 products and
    sums wrap mod 2**64, which keeps them right mod 2**32). For a 64 MiB array this takes a
    tenth of the time of the word-by-word loop and no Python int per word."""
    import numpy as np  # noqa: PLC0415

    total = _DISCARDED + 34 + n
    words = np.empty(total, dtype=np.uint32)
    words[:34] = _seeded_words(seed)
    coefficients = _block_coefficients(_BLOCK)
    i = 34
    while i < total:
        k = min(_BLOCK, total - i)
        state = words[i - _DEGREE : i].astype(np.uint64)
        words[i : i + k] = (coefficients[:k] @ state) & _MASK
        i += k
    out = words[total - n :]
    np.right_shift(out, 1, out=out)
    return out


def f64_array(seed: int, n: int):  # -> numpy.ndarray; numpy is imported only for REQ/REP.
    """The expected REQ/REP array: x[i] = rand() / 2147483648.0, as little-endian float64."""
    values = rand_array(seed, n).astype("<f8")
    values /= 2147483648.0
    return values
