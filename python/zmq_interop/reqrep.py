"""The REQ/REP roles: a requester of 1 MiB float64 arrays (or hello) and a replier that checks
them bit for bit against the array it expects for the seed, with numpy."""

from __future__ import annotations

import sys

import numpy as np
import zmq

from .contract import ExitCode, PeerError, Run, emit, reply_line
from .fakehw import f64_array
from .sockets import open_socket, recv, send

SUCCESS = b"SUCCESS"
FAILURE = b"FAILURE"


def judge(request: memoryview, expected: np.ndarray | None) -> dict:
    """The verdict fields for one request: empty on success, else the failure's details."""
    if expected is None:
        if bytes(request) == b"hello":
            return {}
        shown = bytes(request[:32]).hex()
        return {"detail": f'expected "hello", got {len(request)} bytes: {shown}'}
    if len(request) != expected.nbytes:
        return {
            "detail": (
                f"length mismatch: expected {expected.nbytes} bytes ({expected.size} float64), "
                f"got {len(request)} bytes"
            ),
            "expected_bytes": expected.nbytes,
            "got_bytes": len(request),
        }
    got = np.frombuffer(request, dtype="<f8")
    # Bit for bit: compare the words, so -0.0 != 0.0 and NaNs compare by payload.
    differs = got.view("<u8") != expected.view("<u8")
    if not differs.any():
        return {}
    index = int(np.flatnonzero(differs)[0])
    return {
        "detail": (
            f"value mismatch at index {index}: expected {float(expected[index])!r}, "
            f"got {float(got[index])!r}"
        ),
        "index": index,
    }


def reply(run: Run) -> None:
    """Answers --count requests; exit 1 at the end if any verdict was FAILURE."""
    expected = f64_array(run.seed, run.length) if run.case == "array" else None
    context = zmq.Context()
    sock = None
    failures = 0
    try:
        sock = open_socket(context, zmq.REP, run)
        for seq in range(run.count):
            frame = recv(sock, run, f"request {seq} of {run.count}", copy=False)
            verdict = judge(frame.buffer, expected)
            if run.raw_reply is not None:
                answer = run.raw_reply
            elif verdict:
                answer = FAILURE
            else:
                answer = SUCCESS if expected is not None else b"world"
            send(sock, run, answer, f"the reply to request {seq}")
            if verdict:
                failures += 1
                print(f"request {seq}: {verdict['detail']}", file=sys.stderr, flush=True)
            emit({"seq": seq, "verdict": "FAILURE" if verdict else "SUCCESS", **verdict})
    finally:
        if sock is not None:
            sock.close()
        context.term()
    if failures:
        raise PeerError(ExitCode.MISMATCH, f"{failures} of {run.count} requests did not match")


def request(run: Run) -> None:
    """Sends --count requests and prints each reply; exit 1 if any was unexpected."""
    if run.case == "array":
        values = f64_array(run.seed, run.length)
        if run.corrupt_index is not None:
            values[run.corrupt_index] += 1.0
        payload, expected = values.tobytes(), SUCCESS
    else:
        payload, expected = b"hello", b"world"
    context = zmq.Context()
    sock = None
    unexpected = None
    try:
        sock = open_socket(context, zmq.REQ, run)
        for seq in range(run.count):
            send(sock, run, payload, f"request {seq}", copy=len(payload) < 65536)
            answer = recv(sock, run, f"the reply to request {seq}")
            emit(reply_line(seq, answer))
            if answer != expected and unexpected is None:
                unexpected = (seq, answer)
    finally:
        if sock is not None:
            sock.close()
        context.term()
    if unexpected is not None:
        seq, answer = unexpected
        raise PeerError(
            ExitCode.MISMATCH,
            f"reply to request {seq} was {answer.decode('latin-1')!r} (hex {answer.hex()}), "
            f"expected {expected.decode()!r}",
        )
