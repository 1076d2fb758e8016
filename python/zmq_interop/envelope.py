"""The fancyhw envelope: topic, one space, then int16 little-endian samples.

Decoding is the classic online_analysis.py way: split at the first space, then
struct.unpack("<{n}h"); every malformed form gets the contract's exact reason text.
"""

import struct
from typing import List, Optional, Tuple


class MalformedEnvelope(Exception):
    """A received message that is not a fancyhw envelope; str() is the contract's reason."""


def encode(topic: bytes, samples: List[int]) -> bytes:
    """topic ++ b" " ++ samples as int16 little-endian."""
    return topic + b" " + struct.pack(f"<{len(samples)}h", *samples)


def decode(
    message: bytes, topic: Optional[str] = None, samples: Optional[int] = None
) -> Tuple[str, Tuple[int, ...]]:
    """The topic and samples of an envelope, checked in the contract's order."""
    if not message:
        raise MalformedEnvelope("malformed envelope: empty message")
    if b" " not in message:
        raise MalformedEnvelope("malformed envelope: no space separating topic and samples")
    name, data = message.split(b" ", 1)
    if not name:
        raise MalformedEnvelope("malformed envelope: empty topic")
    for offset, byte in enumerate(name):
        if not 0x21 <= byte <= 0x7E:
            raise MalformedEnvelope(
                "malformed envelope: topic is not printable ASCII "
                f"(byte 0x{byte:02x} at offset {offset})"
            )
    text = name.decode("ascii")
    if topic is not None and text != topic:
        raise MalformedEnvelope(f'malformed envelope: topic "{text}" is not the expected "{topic}"')
    if len(data) % 2:
        raise MalformedEnvelope(
            f"malformed envelope: payload of {len(data)} bytes "
            "is not a whole number of int16 samples"
        )
    n = len(data) // 2
    if samples is not None and n != samples:
        raise MalformedEnvelope(f"malformed envelope: expected {samples} samples, got {n}")
    return text, struct.unpack(f"<{n}h", data)
