"""The REQ/REP roles: a requester of 1 MiB float64 arrays (or hello) and a replier that checks
them bit for bit against the array it expects for the seed, with numpy."""

from __future__ import annotations

import sys

import numpy as np
import zmq

from .contract import ExitCode, PeerError, Run, check_case, emit, reply_line
from .fakehw import f64_array
from .sockets import peer_socket, recv, send

SUCCESS = b"SUCCESS"
FAILURE = b"FAILURE"
HELLO = b"hello"
WORLD = b"world"
# Requests from 64 KiB on are sent without a copy (zmq.COPY_THRESHOLD, pyzmq's own limit).
ZERO_COPY_FROM = 65536


def judge(request: memoryview, expected: np.ndarray | None) -> dict:
    """The verdict fields for one request: empty on success, else the failure's details."""
    if expected is None:
        if bytes(request) == HELLO:
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
    """Answers --count requests; exit 1 at the end if any verdict was FAILURE. A multipart
    request is answered FAILURE too, then ends the run with exit 5."""
    check_case(run.case)
    expected = f64_array(run.seed, run.length) if run.case == "array" else None
    failures = 0
    with peer_socket(zmq.REP, run) as sock:
        for seq in range(run.count):
            try:
                # copy=False: the 1 MiB request is read in place, through the Frame's buffer.
                frame = recv(sock, run, f"request {seq} of {run.count}", copy=False)
            except PeerError as malformed:
                if malformed.code != ExitCode.MALFORMED:
                    raise
                # Answered first, so that the requester is not left waiting for a reply.
                send(sock, run, FAILURE, f"the reply to request {seq}")
                emit({"seq": seq, "verdict": "FAILURE", "detail": malformed.reason})
                raise
            verdict = judge(frame.buffer, expected)
            if run.raw_reply is not None:
                answer = run.raw_reply
            elif verdict:
                answer = FAILURE
            else:
                answer = SUCCESS if expected is not None else WORLD
            send(sock, run, answer, f"the reply to request {seq}")
            if verdict:
                failures += 1
                print(f"request {seq}: {verdict['detail']}", file=sys.stderr, flush=True)
            emit({"seq": seq, "verdict": "FAILURE" if verdict else "SUCCESS", **verdict})
    if failures:
        raise PeerError(ExitCode.MISMATCH, f"{failures} of {run.count} requests did not match")


def request(run: Run) -> None:
    """Sends --count requests and prints each reply; exit 1 if any was unexpected, exit 5 for
    a multipart one."""
    check_case(run.case)
    if run.case == "array":
        values = f64_array(run.seed, run.length)
        if run.corrupt_index is not None:
            values[run.corrupt_index] += 1.0
        payload, expected = values.tobytes(), SUCCESS
    else:
        payload, expected = HELLO, WORLD
    unexpected = None
    with peer_socket(zmq.REQ, run) as sock:
        for seq in range(run.count):
            send(sock, run, payload, f"request {seq}", copy=len(payload) < ZERO_COPY_FROM)
            answer = recv(sock, run, f"the reply to request {seq}")
            emit(reply_line(seq, answer))
            if answer != expected and unexpected is None:
                unexpected = (seq, answer)
    if unexpected is not None:
        seq, answer = unexpected
        raise PeerError(
            ExitCode.MISMATCH,
            f"reply to request {seq} was {answer.decode('latin-1')!r} (hex {answer.hex()}), "
            f"expected {expected.decode()!r}",
        )
