"""The benchmark roles, the method of libzmq's perf tools in pyzmq's idiom at full speed: the
loops are kept tight (methods bound once, nothing else per message) and messages from 64 KiB
on travel without copies (copy=False), smaller ones as bytes, which is faster there.

Every received message must be one frame (exit 5 otherwise). A Frame (copy=False) says so for
free (`more`); for bytes it takes ZMQ_RCVMORE, a pyzmq getsockopt that costs more than
receiving into a Frame does. So thr-pull, the one loop where that shows, receives every message
as a Frame, at any size; the latency roles, whose round trips dwarf either, keep bytes below
64 KiB.
"""

import time
from typing import Callable, List

import zmq

from . import sockets
from .contract import ExitCode, PeerError, Run, emit, multipart
from .sockets import drain, peer_socket

try:
    from time import perf_counter_ns
except ImportError:  # Python 3.6

    def perf_counter_ns() -> int:
        """perf_counter()'s float seconds in nanoseconds: a double resolves about a nanosecond
        of a clock that counts from boot (2**53 ns is 104 days), a few beyond that."""
        return int(time.perf_counter() * 1e9)


ZERO_COPY_FROM = 65536
FAILURE = b"FAILURE"  # lat-rep's answer to a malformed message, as the REQ/REP replier's


def _hwm(run: Run) -> Callable[[zmq.Socket], None]:
    def configure(sock: zmq.Socket) -> None:
        sock.sndhwm = run.hwm
        sock.rcvhwm = run.hwm

    return configure


def _timeout(run: Run, what: str) -> PeerError:
    return PeerError(ExitCode.TIMEOUT, f"timed out after {run.timeout_ms} ms waiting for {what}")


def _wrong_size(size: int, run: Run) -> PeerError:
    return PeerError(ExitCode.MALFORMED, f"message of {size} bytes, expected {run.size}")


def _rejected(sock: zmq.Socket, more: bool, size: int, run: Run) -> PeerError:
    """The failure for a received message that is not one frame of --size bytes: several
    frames (checked first, once all are read), else its size."""
    return multipart(1 + drain(sock)) if more else _wrong_size(size, run)


def thr_push(run: Run) -> None:
    """Sends --count messages of --size bytes; linger lets them all leave before the exit."""
    with peer_socket(zmq.PUSH, run, _hwm(run)) as sock:
        payload = bytes(run.size)
        copy = run.size < ZERO_COPY_FROM
        send = sock.send
        try:
            for _ in range(run.count):
                send(payload, copy=copy)
        except zmq.Again:
            raise PeerError(ExitCode.TIMEOUT, "timed out sending (no receiver)") from None


def thr_pull(run: Run) -> None:
    """Receives --count messages (as Frames: see above); reports the time from the first to the
    last."""
    with peer_socket(zmq.PULL, run, _hwm(run)) as sock:
        recv = sock.recv
        size = run.size
        index = 0
        try:
            first = recv(copy=False)
            if first.more or len(first) != size:
                raise _rejected(sock, first.more, len(first), run)
            started = perf_counter_ns()
            for index in range(1, run.count):  # noqa: B007 - named in the timeout's reason
                message = recv(copy=False)
                if message.more or len(message) != size:
                    raise _rejected(sock, message.more, len(message), run)
            elapsed = perf_counter_ns() - started
        except zmq.Again:
            raise _timeout(run, f"message {index} of {run.count}") from None
        emit(
            {
                "event": "result",
                "kind": "thr",
                "count": run.count,
                "size": size,
                "elapsed_ns": elapsed,
            }
        )


def lat_rep(run: Run) -> None:
    """Echoes --count messages; a malformed one is answered FAILURE, then exit 5."""
    with peer_socket(zmq.REP, run) as sock:
        copy = run.size < ZERO_COPY_FROM
        recv, send, get, size, rcvmore = sock.recv, sock.send, sock.get, run.size, zmq.RCVMORE
        try:
            for _ in range(run.count):
                message = recv(copy=copy)
                more = get(rcvmore) if copy else message.more
                if more or len(message) != size:
                    rejected = _rejected(sock, more, len(message), run)
                    # Answered first, so that the requester is not left waiting for its echo.
                    sockets.send(sock, run, FAILURE, "the reply to a malformed message")
                    raise rejected
                send(message, copy=copy)
        except zmq.Again:
            raise _timeout(run, "a round trip") from None


def lat_req(run: Run) -> None:
    """Times --count round trips; an echo that is not one frame of --size bytes is exit 5."""
    with peer_socket(zmq.REQ, run) as sock:
        payload = bytes(run.size)
        copy = run.size < ZERO_COPY_FROM
        recv, send, get, now = sock.recv, sock.send, sock.get, perf_counter_ns
        rcvmore = zmq.RCVMORE
        rtt: List[int] = []
        record = rtt.append
        try:
            for _ in range(run.count):
                started = now()
                send(payload, copy=copy)
                reply = recv(copy=copy)
                record(now() - started)
                more = get(rcvmore) if copy else reply.more
                if more or len(reply) != run.size:
                    raise _rejected(sock, more, len(reply), run)
        except zmq.Again:
            raise _timeout(run, f"round trip {len(rtt)}") from None
        result = {"event": "result", "kind": "lat", "count": run.count, "size": run.size}
        emit({**result, "rtt_ns": rtt})


ROLES = {"thr-push": thr_push, "thr-pull": thr_pull, "lat-req": lat_req, "lat-rep": lat_rep}
