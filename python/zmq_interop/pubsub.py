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
from .sockets import open_socket, recv, send


def publish(run: Run) -> None:
    """Sends --count envelopes (or --raw-hex messages), after a subscription with --sync."""
    context = zmq.Context()
    sock = None
    try:

        def configure(s: zmq.Socket) -> None:
            s.sndhwm = 0  # nothing dropped, whatever --count is

        sock = open_socket(context, zmq.XPUB if run.sync else zmq.PUB, run, configure)
        if run.sync:
            # XPUB delivers each subscription as a message whose first byte is 1.
            while recv(sock, run, "a subscriber")[:1] != b"\x01":
                pass
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
    finally:
        if sock is not None:
            sock.close()
        context.term()


def subscribe(run: Run) -> None:
    """Receives, decodes and prints --count envelopes; a malformed one exits 5."""
    context = zmq.Context()
    sock = None
    try:

        def configure(s: zmq.Socket) -> None:
            s.rcvhwm = 0
            s.setsockopt(zmq.SUBSCRIBE, os.fsencode(run.subscription))

        sock = open_socket(context, zmq.SUB, run, configure)
        for seq in range(run.count):
            message = recv(sock, run, f"message {seq} of {run.count}")
            try:
                topic, samples = envelope.decode(message, run.topic, run.packet_size)
            except envelope.MalformedEnvelope as e:
                raise PeerError(ExitCode.MALFORMED, str(e)) from None
            emit({"seq": seq, "topic": topic, "samples": list(samples)})
    finally:
        if sock is not None:
            sock.close()
        context.term()
