"""The REQ/REP roles: a requester of 1 MiB float64 arrays (or hello) and a replier that checks
them bit for bit against the array it expects for the seed, with numpy; in every REQ/REP case of
the contract ("Cases": array, hello, large, multipart, empty, reconnect, heartbeat)."""

import sys
import time
from typing import Callable, Optional, Tuple

import numpy as np
import zmq

from .contract import (
    FRAMES_CASES,
    PAUSED,
    ExitCode,
    PeerError,
    Run,
    emit,
    frames_line,
    large_reply_line,
    reply_line,
)
from .fakehw import f64_array
from .sockets import hold, peer_socket, recv, recv_frames, send, send_frames
from .stdin import wait_for_line

SUCCESS = b"SUCCESS"
FAILURE = b"FAILURE"
HELLO = b"hello"
WORLD = b"world"
MULTIPART = b"multipart"  # case multipart's first frame
# The cases whose request and reply are the array (the others send hello, or frames).
ARRAY_CASES = ("array", "large", "multipart")


def judge(request: memoryview, expected: Optional[np.ndarray]) -> dict:
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


def _echo(run: Run) -> None:
    """The replier of the frames cases: prints each request's frames, then answers with the
    very same frames (multipart) or a zero-length reply (empty); it checks nothing."""
    with peer_socket(zmq.REP, run) as sock:
        for seq in range(run.count):
            frames = recv_frames(sock, run, f"request {seq} of {run.count}")
            emit(frames_line(seq, [frame.buffer for frame in frames]))
            answer = frames if run.case == "multipart" else [b""]
            send_frames(sock, run, answer, f"the reply to request {seq}")


def reply(run: Run) -> None:
    """Answers --count requests; exit 1 at the end if any verdict was FAILURE. A multipart
    request is answered FAILURE too, then ends the run with exit 5. Case large answers a
    matching request with the expected array itself; case reconnect then holds its socket."""
    if run.case in FRAMES_CASES:
        _echo(run)
        return
    expected = f64_array(run.seed, run.length) if run.case in ARRAY_CASES else None
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
            del frame  # a 64 MiB request is not kept while the next one arrives
            if run.raw_reply is not None:
                answer = run.raw_reply
            elif verdict:
                answer = FAILURE
            elif run.case == "large":
                answer = expected  # the array itself, sent from its own buffer (no copy)
            else:
                answer = SUCCESS if expected is not None else WORLD
            send(sock, run, answer, f"the reply to request {seq}", copy=answer is not expected)
            if verdict:
                failures += 1
                print(f"request {seq}: {verdict['detail']}", file=sys.stderr, flush=True)
            emit({"seq": seq, "verdict": "FAILURE" if verdict else "SUCCESS", **verdict})
        if run.case == "reconnect":
            hold(run)
    if failures:
        raise PeerError(ExitCode.MISMATCH, f"{failures} of {run.count} requests did not match")


def same_bytes(reply: memoryview, sent: np.ndarray) -> bool:
    """Whether a reply is byte for byte the array sent (case large), compared as 64-bit words
    in place: no copy of either."""
    if len(reply) != sent.nbytes:
        return False
    return bool(np.array_equal(np.frombuffer(reply, dtype="<u8"), sent.view("<u8")))


def _heartbeat_options(run: Run) -> Callable[[zmq.Socket], None]:
    """Case heartbeat's requester: ZMTP heartbeats every --heartbeat-ivl-ms, a link silent for
    three times that is dead, and a dead link stays dead (no reconnection)."""

    def configure(sock: zmq.Socket) -> None:
        sock.setsockopt(zmq.HEARTBEAT_IVL, run.heartbeat_ivl_ms)
        sock.setsockopt(zmq.HEARTBEAT_TIMEOUT, 3 * run.heartbeat_ivl_ms)
        try:
            sock.setsockopt(zmq.RECONNECT_IVL, -1)
        except zmq.ZMQError as e:
            raise PeerError(
                ExitCode.UNSUPPORTED,
                f"case heartbeat: libzmq {zmq.zmq_version()} refuses ZMQ_RECONNECT_IVL -1 ({e}): "
                "it cannot turn reconnection off",
            ) from None

    return configure


def _requests(run: Run) -> Tuple[Optional[np.ndarray], list]:
    """The array (cases array, large, multipart; --corrupt-index applied) and a request's
    frames, the array sent from its own buffer."""
    values = None
    if run.case in ARRAY_CASES:
        values = f64_array(run.seed, run.length)
        if run.corrupt_index is not None:
            values[run.corrupt_index] += 1.0
    if run.case == "multipart":
        return values, [MULTIPART, b"", memoryview(values).cast("B")]
    if run.case == "empty":
        return values, [b""]
    if values is not None:
        return values, [memoryview(values).cast("B")]
    return values, [HELLO]


def _take_reply(
    sock: zmq.Socket, run: Run, seq: int, values: Optional[np.ndarray]
) -> Optional[str]:
    """Receives and prints the reply to request `seq`; returns why it is not the expected one
    (None when it is, or when the case judges nothing)."""
    waiting_for = f"the reply to request {seq}"
    if run.case in FRAMES_CASES:
        frames = recv_frames(sock, run, waiting_for)
        emit(frames_line(seq, [frame.buffer for frame in frames]))
        return None
    if run.case == "large":
        frame = recv(sock, run, waiting_for, copy=False)
        matches = same_bytes(frame.buffer, values)
        emit(large_reply_line(seq, len(frame), matches))
        if matches:
            return None
        size = len(frame)
        return f"reply to request {seq} ({size} bytes) is not the {values.nbytes}-byte array sent"
    expected = SUCCESS if run.case == "array" else WORLD
    answer = recv(sock, run, waiting_for)
    emit(reply_line(seq, answer))
    if answer == expected:
        return None
    return (
        f"reply to request {seq} was {answer.decode('latin-1')!r} (hex {answer.hex()}), "
        f"expected {expected.decode()!r}"
    )


def request(run: Run) -> None:
    """Sends --count requests and prints each reply; exit 1 if any was unexpected, exit 5 for
    a multipart one (outside the frames cases). With --pause-after K it pauses after the K-th
    reply until a line arrives on stdin; case heartbeat stays silent between two requests."""
    values, payload = _requests(run)
    unexpected = None
    configure = _heartbeat_options(run) if run.case == "heartbeat" else None
    with peer_socket(zmq.REQ, run, configure) as sock:
        for seq in range(run.count):
            if seq and run.case == "heartbeat":
                time.sleep(run.silence_ms / 1000)  # the silence the heartbeats must bridge
            send_frames(sock, run, payload, f"request {seq}")
            wrong = _take_reply(sock, run, seq, values)
            if unexpected is None:
                unexpected = wrong
            if run.pause_after == seq + 1:
                emit(PAUSED)
                wait_for_line()
    if unexpected is not None:
        raise PeerError(ExitCode.MISMATCH, unexpected)
