"""What every Python role shares: a socket with the contract's options, the ready line, and
receive/send with timeouts turned into the contract's exit codes (and a multipart message, where
one frame is expected, into exit 5).

`peer_socket` owns the context and the socket: however a role ends (done, PeerError, Ctrl-C),
the socket is closed and the context terminated, and since linger is always set first,
terminating can never hang.
"""

import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional

import zmq

from .contract import SENDS_LAST, ExitCode, PeerError, Run, multipart, ready
from .zap import secure

INT_MAX = 2**31 - 1
# Frames from 64 KiB on are sent without a copy (zmq.COPY_THRESHOLD, pyzmq's own limit).
ZERO_COPY_FROM = 65536


def call(name: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Runs a zmq call; a failure ends the peer with exit 6 naming the call (exit 4 when the
    loaded libzmq does not know the endpoint's transport)."""
    try:
        return fn(*args)
    except zmq.ZMQError as e:
        if e.errno == zmq.EPROTONOSUPPORT:
            versions = f"pyzmq {zmq.pyzmq_version()}, libzmq {zmq.zmq_version()}"
            raise PeerError(ExitCode.UNSUPPORTED, f"{name} failed: {e} ({versions})") from None
        raise PeerError(ExitCode.ERROR, f"{name} failed: {e}") from None


Configure = Optional[Callable[[zmq.Socket], None]]  # a role's own options, set before bind


def _open(context: zmq.Context, kind: int, run: Run, configure: Configure, zap: list) -> zmq.Socket:
    sock = call("zmq_socket", context.socket, kind)
    try:
        # Senders wait (up to the timeout) for their last messages to leave; receivers have
        # nothing left to send, and must not wait on a subscription queued for a gone peer.
        timeout = min(run.timeout_ms, INT_MAX)  # an int option in libzmq, as the C peer clamps
        sock.linger = timeout if run.role in SENDS_LAST else 0
        sock.rcvtimeo = timeout
        sock.sndtimeo = timeout
        handler = call("the security options", secure, context, sock, run.security)
        if handler is not None:
            zap.append(handler)
        if configure is not None:
            configure(sock)
        if run.bind:
            call(f"zmq_bind({run.endpoint})", sock.bind, run.endpoint)
        else:
            call(f"zmq_connect({run.endpoint})", sock.connect, run.endpoint)
    except BaseException:
        # Nothing was sent: close at once, or the context's termination would wait for it.
        sock.close(linger=0)
        raise
    return sock


def _resolved(sock: zmq.Socket, run: Run) -> str:
    """The endpoint for the ready line: ZMQ_LAST_ENDPOINT when bound, the given one otherwise."""
    if run.bind:
        return sock.getsockopt_string(zmq.LAST_ENDPOINT)
    return run.endpoint


@contextmanager
def peer_socket(kind: int, run: Run, configure: Configure = None) -> Iterator[zmq.Socket]:
    """A socket with linger and timeouts set, `configure`d, bound or connected, with the ready
    line printed; closed and its context terminated on the way out."""
    context = zmq.Context()
    zap = []  # the ZAP handler of a server (zap.ZapHandler)
    try:
        sock = _open(context, kind, run, configure, zap)
        try:
            ready(_resolved(sock, run))
            yield sock
        finally:
            sock.close()
    finally:
        context.term()
        for handler in zap:  # ended by the termination
            handler.join()


def recv(sock: zmq.Socket, run: Run, waiting_for: str, copy: bool = True) -> Any:
    """One single-frame message (a zmq.Frame when copy=False); a timeout ends the peer with exit
    3, a multipart message with exit 5 once all its frames are read."""
    try:
        message = sock.recv(copy=copy)
        more = sock.get(zmq.RCVMORE) if copy else message.more
    except zmq.Again:
        raise PeerError(
            ExitCode.TIMEOUT, f"timed out after {run.timeout_ms} ms waiting for {waiting_for}"
        ) from None
    except zmq.ZMQError as e:
        raise PeerError(ExitCode.ERROR, f"zmq_msg_recv failed: {e}") from None
    if more:
        raise multipart(1 + drain(sock))
    return message


def recv_frames(sock: zmq.Socket, run: Run, waiting_for: str) -> list:
    """One whole message, every frame (zmq.Frames, read in place): the frames cases take a
    message of any number of frames as data. A timeout ends the peer with exit 3."""
    try:
        return sock.recv_multipart(copy=False)
    except zmq.Again:
        raise PeerError(
            ExitCode.TIMEOUT, f"timed out after {run.timeout_ms} ms waiting for {waiting_for}"
        ) from None
    except zmq.ZMQError as e:
        raise PeerError(ExitCode.ERROR, f"zmq_msg_recv failed: {e}") from None


def drain(sock: zmq.Socket) -> int:
    """Reads the rest of a multipart message (already all there: zmq delivers a message's frames
    together), returning how many frames followed."""
    frames = 0
    try:
        while True:
            frames += 1
            if not sock.recv(copy=False).more:
                return frames
    except zmq.ZMQError as e:
        raise PeerError(ExitCode.ERROR, f"zmq_msg_recv failed: {e}") from None


def send(
    sock: zmq.Socket, run: Run, data: Any, what: str, *, copy: bool = True, flags: int = 0
) -> None:
    """Sends one message (or, with zmq.SNDMORE, one frame of it); a send timeout ends the peer
    with exit 3."""
    try:
        sock.send(data, flags, copy=copy)
    except zmq.Again:
        raise PeerError(
            ExitCode.TIMEOUT, f"timed out after {run.timeout_ms} ms sending {what}"
        ) from None
    except zmq.ZMQError as e:
        raise PeerError(ExitCode.ERROR, f"zmq_msg_send failed: {e}") from None


def send_frames(sock: zmq.Socket, run: Run, frames: list, what: str) -> None:
    """Sends one message of these frames (bytes, buffers or zmq.Frames); from 64 KiB on a frame
    leaves without a copy."""
    last = len(frames) - 1
    for index, frame in enumerate(frames):
        copy = not isinstance(frame, zmq.Frame) and memoryview(frame).nbytes < ZERO_COPY_FROM
        send(sock, run, frame, what, copy=copy, flags=zmq.SNDMORE if index < last else 0)


def hold(run: Run) -> None:
    """Case reconnect's binder, its part played: keeps its socket open, sending nothing, until it
    is killed or --timeout-ms passes (then the role ends, exit 0). Not a readiness wait: the
    harness kills it long before."""
    time.sleep(run.timeout_ms / 1000)
