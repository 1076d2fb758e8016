"""The PUB/SUB roles: a publisher of fakehw envelopes and the classic subscriber, in every PUB/SUB
case of the contract ("Cases": fancyhw, burst, multipart, empty, topics, reconnect).

numpy is not imported here: a subscriber starts in the time pyzmq takes to import.
"""

import os
import time
from typing import Callable, List, Optional, Tuple

import zmq

from . import envelope
from .contract import FRAMES_CASES, ExitCode, PeerError, Run, emit, frames_line
from .fakehw import FakeHw
from .sockets import hold, peer_socket, recv, recv_frames, send, send_frames

SUBSCRIBE_MESSAGE = 1  # XPUB delivers a subscription as a message whose first byte is 1
# Case topics: message i's topic is TOPICS[i % 3]; the subscriber subscribes to SUBSCRIPTIONS
# and drops FANCY half-way.
TOPICS = (b"fancyhw_data", b"fancyhw_status", b"other_data")
FANCY = b"fancy"
SUBSCRIPTIONS = (b"fancyhw_data", FANCY)


def topics_counts(count: int) -> Tuple[int, int]:
    """Case topics: how many messages the subscriber receives in each half. First half: the i <
    count with i % 3 != 2 (fancyhw_data and fancyhw_status match); second half, once fancy is
    dropped: the count <= i < 2 * count with i % 3 == 0 (fancyhw_data only)."""

    def residues(n: int, r: int) -> int:  # how many i in 0..n-1 have i % 3 == r
        return (n - r + 2) // 3 if n > r else 0

    return count - residues(count, 2), residues(2 * count, 0) - residues(count, 0)


def _message(run: Run, seq: int, topic: bytes, hw: FakeHw) -> List[bytes]:
    """Publication `seq` of the cases that send --count messages, as its frames."""
    if run.case == "empty":
        return [topic + b" " if seq % 2 else b""]
    if run.raw_message is not None:
        body = run.raw_message
    else:
        body = envelope.encode(topic, [hw.read_val() for _ in range(run.packet_size)])
    return [topic, b"", body] if run.case == "multipart" else [body]


def _await_subscription(
    sock: zmq.Socket, run: Run, wanted: Callable[[bytes], bool], what: str
) -> None:
    """Receives on the XPUB until a message `wanted` accepts arrives (anything else is ignored);
    a timeout is exit 3."""
    while not wanted(recv(sock, run, what)):
        pass


def _publish_topics(sock: zmq.Socket, run: Run) -> None:
    """Case topics: both subscriptions, the first half, fancy's unsubscription, the second half."""
    pending = {bytes([SUBSCRIBE_MESSAGE]) + name for name in SUBSCRIPTIONS}

    def subscribed(message: bytes) -> bool:
        pending.discard(message)
        return not pending

    _await_subscription(sock, run, subscribed, "the subscriptions fancyhw_data and fancy")
    hw = FakeHw(run.seed)
    for seq in range(2 * run.count):
        if seq == run.count:
            _await_subscription(
                sock, run, lambda m: m == b"\x00" + FANCY, "the unsubscription of fancy"
            )
        elif seq and run.interval_ms:
            time.sleep(run.interval_ms / 1000)
        samples = [hw.read_val() for _ in range(run.packet_size)]
        send(sock, run, envelope.encode(TOPICS[seq % 3], samples), f"envelope {seq}")
        if run.report_sent:
            emit({"event": "sent", "seq": seq})


def publisher_options(run: Run) -> Callable[[zmq.Socket], None]:
    """The publisher's options: no high-water mark (with --sync nothing is dropped, whatever
    --count is), except in case burst, which keeps the engine's default."""

    def configure(sock: zmq.Socket) -> None:
        if run.case != "burst":
            sock.sndhwm = 0

    return configure


def subscriber_options(run: Run) -> Callable[[zmq.Socket], None]:
    """The subscriber's options: no high-water mark but in case burst, and its subscriptions,
    set before connecting so that the ready line means "subscribed" too."""

    def configure(sock: zmq.Socket) -> None:
        if run.case != "burst":
            sock.rcvhwm = 0
        # Case topics subscribes to its two prefixes, whatever --subscribe says.
        topics = run.case == "topics"
        for prefix in SUBSCRIPTIONS if topics else (os.fsencode(run.subscription),):
            sock.setsockopt(zmq.SUBSCRIBE, prefix)

    return configure


def publish(run: Run) -> None:
    """Sends --count messages of the case (envelopes, or --raw-hex messages), after a
    subscription with --sync; case topics sends two halves, case reconnect then holds."""
    case = run.case
    # topics always uses XPUB; reconnect plays fancyhw with --sync, whether or not it was given.
    xpub = run.sync or case in ("topics", "reconnect")
    with peer_socket(zmq.XPUB if xpub else zmq.PUB, run, publisher_options(run)) as sock:
        if case == "topics":
            _publish_topics(sock, run)
            return
        if xpub:
            _await_subscription(
                sock, run, lambda m: m[:1] == bytes([SUBSCRIBE_MESSAGE]), "a subscriber"
            )
        hw = FakeHw(run.seed)
        topic = run.topic.encode("ascii")
        for seq in range(run.count):
            if seq and run.interval_ms:
                time.sleep(run.interval_ms / 1000)
            send_frames(sock, run, _message(run, seq, topic, hw), f"envelope {seq}")
            if run.report_sent:
                emit({"event": "sent", "seq": seq})
        if case == "reconnect":
            hold(run)


def _packet(sock: zmq.Socket, run: Run, seq: int, total: int, topic: Optional[str]) -> None:
    """Receives, decodes and prints one envelope; a malformed one is exit 5."""
    message = recv(sock, run, f"message {seq} of {total}")
    try:
        name, samples = envelope.decode(message, topic, run.packet_size)
    except envelope.MalformedEnvelope as e:
        raise PeerError(ExitCode.MALFORMED, str(e)) from None
    emit({"seq": seq, "topic": name, "samples": list(samples)})


def subscribe(run: Run) -> None:
    """Receives --count messages and prints each: decoded envelopes (exit 5 for a malformed
    one), or frames lines in the frames cases; case topics receives two halves."""
    case = run.case
    with peer_socket(zmq.SUB, run, subscriber_options(run)) as sock:
        if case in FRAMES_CASES:
            for seq in range(run.count):
                frames = recv_frames(sock, run, f"message {seq} of {run.count}")
                emit(frames_line(seq, [frame.buffer for frame in frames]))
        elif case == "topics":
            first, second = topics_counts(run.count)
            for seq in range(first):
                _packet(sock, run, seq, first + second, None)
            sock.setsockopt(zmq.UNSUBSCRIBE, FANCY)  # trusts the count: the first half is in
            for seq in range(first, first + second):
                _packet(sock, run, seq, first + second, None)
        else:
            for seq in range(run.count):
                _packet(sock, run, seq, run.count, run.topic)
