"""The envelope codec: round trip, and every rejection with the contract's exact reason."""

from __future__ import annotations

import pytest

from zmq_interop.envelope import MalformedEnvelope, decode, encode

TOPIC = "fancyhw_data"


def test_round_trip():
    message = encode(TOPIC.encode(), [-1, 0, 32767, -32768])
    assert message[:13] == b"fancyhw_data "
    assert decode(message, TOPIC, 4) == (TOPIC, (-1, 0, 32767, -32768))


def test_split_is_at_the_first_space_only():
    message = encode(TOPIC.encode(), [0x2020])
    assert decode(message, TOPIC, 1) == (TOPIC, (0x2020,))


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (b"", "malformed envelope: empty message"),
        (b"fancyhw_data", "malformed envelope: no space separating topic and samples"),
        (b" \x01\x00", "malformed envelope: empty topic"),
        (
            b"fancyhw_data\xc3\xa9 \x01\x00",
            "malformed envelope: topic is not printable ASCII (byte 0xc3 at offset 12)",
        ),
        (
            b"fancyhw_dat \x01\x00",
            'malformed envelope: topic "fancyhw_dat" is not the expected "fancyhw_data"',
        ),
        (
            b"fancyhw_data \x01\x00\x02",
            "malformed envelope: payload of 3 bytes is not a whole number of int16 samples",
        ),
        (b"fancyhw_data \x01\x00", "malformed envelope: expected 16 samples, got 1"),
    ],
)
def test_rejections_have_the_contracts_reason(message, reason):
    with pytest.raises(MalformedEnvelope) as caught:
        decode(message, TOPIC, 16)
    assert str(caught.value) == reason
