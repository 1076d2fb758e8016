"""fakehw against glibc's own rand() outputs (testdata/glibc-rand.json)."""

from __future__ import annotations

from zmq_interop.fakehw import FakeHw, f64_array, rand_values


def test_rand_matches_glibc_for_every_vector(vectors):
    assert len(vectors) >= 5
    for seed, expected in vectors.items():
        hw = FakeHw(seed)
        assert [hw.rand() for _ in expected] == expected, f"seed {seed}"


def test_the_tight_loop_matches_the_streaming_generator(vectors):
    for seed, expected in vectors.items():
        assert rand_values(seed, len(expected)) == expected, f"seed {seed}"


def test_read_val_is_the_low_16_bits_as_int16(vectors):
    for seed, expected in vectors.items():
        hw = FakeHw(seed)
        want = [((v & 0xFFFF) ^ 0x8000) - 0x8000 for v in expected]
        assert [hw.read_val() for _ in expected] == want


def test_f64_array_is_rand_over_two_to_the_31(vectors):
    expected = vectors[12345]
    values = f64_array(12345, len(expected))
    assert values.dtype.str == "<f8"
    assert values.tolist() == [v / 2147483648.0 for v in expected]
    assert FakeHw(12345).read_f64() == values[0]


def test_seed_zero_behaves_as_seed_one():
    assert rand_values(0, 50) == rand_values(1, 50)
