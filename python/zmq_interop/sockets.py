"""What every Python role shares: a socket with the contract's options, the ready line, and
receive/send with timeouts turned into the contract's exit codes."""

from __future__ import annotations

import zmq

from .contract import SENDS_LAST, ExitCode, PeerError, Run, ready


def call(name: str, fn, *args):
    """Runs a zmq call; a failure ends the peer with exit 6 naming the call."""
    try:
        return fn(*args)
    except zmq.ZMQError as e:
        raise PeerError(ExitCode.ERROR, f"{name} failed: {e}") from None


def open_socket(context: zmq.Context, kind: int, run: Run, configure=None) -> zmq.Socket:
    """A socket with linger and timeouts set, `configure`d, bound or connected; prints ready."""
    sock = call("zmq_socket", context.socket, kind)
    # Senders wait for their last messages to leave; receivers have nothing left to send.
    sock.linger = run.timeout_ms if run.role in SENDS_LAST else 0
    sock.rcvtimeo = run.timeout_ms
    sock.sndtimeo = run.timeout_ms
    if configure is not None:
        configure(sock)
    if run.bind:
        call(f"zmq_bind({run.endpoint})", sock.bind, run.endpoint)
        endpoint = sock.getsockopt_string(zmq.LAST_ENDPOINT)
    else:
        call(f"zmq_connect({run.endpoint})", sock.connect, run.endpoint)
        endpoint = run.endpoint
    ready(endpoint)
    return sock


def recv(sock: zmq.Socket, run: Run, waiting_for: str, copy: bool = True):
    """One message (a zmq.Frame when copy=False); a timeout ends the peer with exit 3."""
    try:
        return sock.recv(copy=copy)
    except zmq.Again:
        raise PeerError(
            ExitCode.TIMEOUT, f"timed out after {run.timeout_ms} ms waiting for {waiting_for}"
        ) from None
    except zmq.ZMQError as e:
        raise PeerError(ExitCode.ERROR, f"zmq_msg_recv failed: {e}") from None


def send(sock: zmq.Socket, run: Run, data: bytes, what: str, copy: bool = True) -> None:
    """Sends one message; a send timeout ends the peer with exit 3."""
    try:
        sock.send(data, copy=copy)
    except zmq.Again:
        raise PeerError(
            ExitCode.TIMEOUT, f"timed out after {run.timeout_ms} ms sending {what}"
        ) from None
    except zmq.ZMQError as e:
        raise PeerError(ExitCode.ERROR, f"zmq_msg_send failed: {e}") from None
