"""The envelope codec: round trip, and every rejection with the contract's exact reason, in the
contract's order (a message wrong in two ways gets the earlier check's reason)."""

import struct

import pytest

from zmq_interop.envelope import MalformedEnvelope, decode, encode

TOPIC = "fancyhw_data"


def test_encoding_is_topic_space_int16_little_endian():
    assert encode(b"t", [1, -2]) == b"t \x01\x00\xfe\xff"


def test_round_trip():
    samples = [-1, 0, 1, 32767, -32768, 0x2020]
    message = encode(TOPIC.encode(), samples)
    assert message == b"fancyhw_data " + struct.pack("<6h", *samples)
    assert decode(message, TOPIC, 6) == (TOPIC, tuple(samples))


def test_without_expectations_any_topic_and_count_decode():
    assert decode(b"x ") == ("x", ())
    assert decode(b"~! \x00\x80") == ("~!", (-32768,))


def test_split_is_at_the_first_space_only():
    # 0x2020 is two space bytes: they belong to the samples, not to the topic.
    message = encode(TOPIC.encode(), [0x2020, 0x0020])
    assert decode(message, TOPIC, 2) == (TOPIC, (0x2020, 0x0020))


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (b"", "malformed envelope: empty message"),
        (b"fancyhw_data", "malformed envelope: no space separating topic and samples"),
        (b"\x01\x00\xff", "malformed envelope: no space separating topic and samples"),
        (b" \x01\x00", "malformed envelope: empty topic"),
        (b" ", "malformed envelope: empty topic"),
        (
            b"fancyhw_data\xc3\xa9 \x01\x00",
            "malformed envelope: topic is not printable ASCII (byte 0xc3 at offset 12)",
        ),
        (
            b"\x7ffancyhw_data \x01",
            "malformed envelope: topic is not printable ASCII (byte 0x7f at offset 0)",
        ),
        (
            b"fancy\thw \x01\x00",
            "malformed envelope: topic is not printable ASCII (byte 0x09 at offset 5)",
        ),
        (
            b"fancyhw_dat \x01\x00",
            'malformed envelope: topic "fancyhw_dat" is not the expected "fancyhw_data"',
        ),
        (
            b"fancyhw_data_x \x01",
            'malformed envelope: topic "fancyhw_data_x" is not the expected "fancyhw_data"',
        ),
        (
            b"fancyhw_data \x01\x00\x02",
            "malformed envelope: payload of 3 bytes is not a whole number of int16 samples",
        ),
        (
            b"fancyhw_data " + bytes(7),
            "malformed envelope: payload of 7 bytes is not a whole number of int16 samples",
        ),
        (b"fancyhw_data \x01\x00", "malformed envelope: expected 16 samples, got 1"),
        (b"fancyhw_data ", "malformed envelope: expected 16 samples, got 0"),
        (b"fancyhw_data " + bytes(34), "malformed envelope: expected 16 samples, got 17"),
    ],
)
def test_rejections_have_the_contracts_reason(message, reason):
    with pytest.raises(MalformedEnvelope) as caught:
        decode(message, TOPIC, 16)
    assert str(caught.value) == reason
