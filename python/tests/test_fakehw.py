"""fakehw against glibc's own rand() outputs (testdata/glibc-rand.json), every seed, every value:
rand(), and read_val() and read_f64() derived from them."""

import time

import numpy as np
import pytest

from zmq_interop.fakehw import _BLOCK, FakeHw, f64_array, rand_array, rand_values

ARRAY_LEN = 131072


def test_the_vectors_cover_the_edges(vectors):
    assert {0, 1, 12345, 2**31 - 1, 2**31, 2**32 - 1} <= set(vectors)
    assert all(len(values) == 1000 for values in vectors.values())


def test_rand_matches_glibc_for_every_vector(vectors):
    for seed, expected in vectors.items():
        hw = FakeHw(seed)
        assert [hw.rand() for _ in expected] == expected, f"seed {seed}"


def test_the_tight_loop_matches_glibc_for_every_vector(vectors):
    for seed, expected in vectors.items():
        assert rand_values(seed, len(expected)) == expected, f"seed {seed}"


def test_the_block_products_match_glibc_for_every_vector(vectors):
    for seed, expected in vectors.items():
        values = rand_array(seed, len(expected))
        assert values.dtype == np.uint32
        assert values.tolist() == expected, f"seed {seed}"


# 310 discarded words come first: a block ends after value _BLOCK - 310, then every _BLOCK.
EDGE = _BLOCK - 310


@pytest.mark.parametrize("n", [1, 2, 30, 31, 32, EDGE - 1, EDGE, EDGE + 1, 3 * _BLOCK + EDGE])
def test_the_block_products_match_the_word_loop_across_block_edges(n):
    for seed in (0, 12345, 2**32 - 1):
        assert rand_array(seed, n).tolist() == rand_values(seed, n), (seed, n)


def test_a_64_mib_array_is_quick_and_lean():
    # Case large: 8388608 values. The word-by-word loop took 3 s and 750 MB here.
    best = min(_timed(lambda: f64_array(12345, 8388608)) for _ in range(2))
    assert best < 2.0, f"f64_array of 64 MiB took {best:.3f} s"
    assert f64_array(12345, 8388608).nbytes == 67108864


def test_read_val_is_the_low_16_bits_as_int16(vectors):
    for seed, expected in vectors.items():
        hw = FakeHw(seed)
        want = [int(np.int64(v).astype(np.int16)) for v in expected]
        assert [hw.read_val() for _ in expected] == want, f"seed {seed}"


def test_read_f64_is_rand_over_two_to_the_31(vectors):
    for seed, expected in vectors.items():
        hw = FakeHw(seed)
        assert [hw.read_f64() for _ in expected] == [v / 2147483648.0 for v in expected]


def test_f64_array_is_read_f64_as_little_endian_float64(vectors):
    for seed, expected in vectors.items():
        values = f64_array(seed, len(expected))
        assert values.dtype.str == "<f8"
        assert values.tolist() == [v / 2147483648.0 for v in expected], f"seed {seed}"
        assert values.tobytes() == (np.array(expected, dtype="<f8") / 2147483648.0).tobytes()


def test_f64_array_of_a_whole_array_is_fast():
    best = min(_timed(lambda: f64_array(12345, ARRAY_LEN)) for _ in range(3))
    assert best < 0.2, f"f64_array of {ARRAY_LEN} values took {best:.3f} s"
    hw = FakeHw(12345)
    tail = f64_array(12345, ARRAY_LEN)[-3:]
    for _ in range(ARRAY_LEN - 3):
        hw.rand()
    assert tail.tolist() == [hw.read_f64() for _ in range(3)]


def test_seed_zero_behaves_as_seed_one():
    assert rand_values(0, 50) == rand_values(1, 50)


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started
