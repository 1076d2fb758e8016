"""The benchmark roles, the method of libzmq's perf tools in pyzmq's idiom at full speed: the
loops are kept tight (methods bound once, nothing else per message) and messages from 64 KiB
on travel without copies (copy=False), smaller ones as bytes, which is faster there."""

from __future__ import annotations

import time
from collections.abc import Callable

import zmq

from .contract import ExitCode, PeerError, Run, emit
from .sockets import peer_socket

ZERO_COPY_FROM = 65536


def _hwm(run: Run) -> Callable[[zmq.Socket], None]:
    def configure(sock: zmq.Socket) -> None:
        sock.sndhwm = run.hwm
        sock.rcvhwm = run.hwm

    return configure


def _timeout(run: Run, what: str) -> PeerError:
    return PeerError(ExitCode.TIMEOUT, f"timed out after {run.timeout_ms} ms waiting for {what}")


def _wrong_size(size: int, run: Run) -> PeerError:
    return PeerError(ExitCode.MALFORMED, f"message of {size} bytes, expected {run.size}")


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
    """Receives --count messages; reports the time from the first to the last."""
    with peer_socket(zmq.PULL, run, _hwm(run)) as sock:
        copy = run.size < ZERO_COPY_FROM
        recv = sock.recv
        size = run.size
        index = 0
        try:
            first = recv(copy=copy)
            if len(first) != size:
                raise _wrong_size(len(first), run)
            started = time.perf_counter_ns()
            for index in range(1, run.count):  # noqa: B007 - named in the timeout's reason
                message = recv(copy=copy)
                if len(message) != size:
                    raise _wrong_size(len(message), run)
            elapsed = time.perf_counter_ns() - started
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
    """Echoes --count messages."""
    with peer_socket(zmq.REP, run) as sock:
        copy = run.size < ZERO_COPY_FROM
        recv, send = sock.recv, sock.send
        try:
            for _ in range(run.count):
                send(recv(copy=copy), copy=copy)
        except zmq.Again:
            raise _timeout(run, "a round trip") from None


def lat_req(run: Run) -> None:
    """Times --count round trips."""
    with peer_socket(zmq.REQ, run) as sock:
        payload = bytes(run.size)
        copy = run.size < ZERO_COPY_FROM
        recv, send, now = sock.recv, sock.send, time.perf_counter_ns
        rtt: list[int] = []
        record = rtt.append
        try:
            for _ in range(run.count):
                started = now()
                send(payload, copy=copy)
                reply = recv(copy=copy)
                record(now() - started)
                if len(reply) != run.size:
                    raise _wrong_size(len(reply), run)
        except zmq.Again:
            raise _timeout(run, f"round trip {len(rtt)}") from None
        result = {"event": "result", "kind": "lat", "count": run.count, "size": run.size}
        emit({**result, "rtt_ns": rtt})


ROLES = {"thr-push": thr_push, "thr-pull": thr_pull, "lat-req": lat_req, "lat-rep": lat_rep}
