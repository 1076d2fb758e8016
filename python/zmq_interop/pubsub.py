"""The PUB/SUB roles: a publisher of fakehw envelopes and the classic subscriber.

numpy is not imported here: a subscriber starts in the time pyzmq takes to import.
"""

from __future__ import annotations

import os
import time

import zmq

from . import envelope
from .contract import ExitCode, PeerError, Run, emit
from .fakehw import FakeHw
from .sockets import peer_socket, recv, send

SUBSCRIBE_MESSAGE = 1  # XPUB delivers a subscription as a message whose first byte is 1


def _publisher_options(sock: zmq.Socket) -> None:
    sock.sndhwm = 0  # no limit: with --sync nothing is dropped, whatever --count is


def publish(run: Run) -> None:
    """Sends --count envelopes (or --raw-hex messages), after a subscription with --sync."""
    with peer_socket(zmq.XPUB if run.sync else zmq.PUB, run, _publisher_options) as sock:
        if run.sync:
            while True:
                message = recv(sock, run, "a subscriber")
                if message[:1] == bytes([SUBSCRIBE_MESSAGE]):
                    break
        hw = FakeHw(run.seed)
        topic = run.topic.encode("ascii")
        for seq in range(run.count):
            if seq and run.interval_ms:
                time.sleep(run.interval_ms / 1000)
            if run.raw_message is not None:
                message = run.raw_message
            else:
                message = envelope.encode(topic, [hw.read_val() for _ in range(run.packet_size)])
            send(sock, run, message, f"envelope {seq}")
            if run.report_sent:
                emit({"event": "sent", "seq": seq})


def subscribe(run: Run) -> None:
    """Receives, decodes and prints --count envelopes; a malformed one exits 5."""

    def subscriber_options(sock: zmq.Socket) -> None:
        sock.rcvhwm = 0
        # Before connecting, so that the ready line means "subscribed" too.
        sock.setsockopt(zmq.SUBSCRIBE, os.fsencode(run.subscription))

    with peer_socket(zmq.SUB, run, subscriber_options) as sock:
        for seq in range(run.count):
            message = recv(sock, run, f"message {seq} of {run.count}")
            try:
                topic, samples = envelope.decode(message, run.topic, run.packet_size)
            except envelope.MalformedEnvelope as e:
                raise PeerError(ExitCode.MALFORMED, str(e)) from None
            emit({"seq": seq, "topic": topic, "samples": list(samples)})
