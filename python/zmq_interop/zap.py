"""Security on a socket: the mechanism's options, and on the server the ZAP handler (RFC 27),
a REP socket at inproc://zeromq.zap.01 on a thread, which admits exactly the allow list and
prints a zap line for every request it answers."""

import threading
from typing import Optional

import zmq

from .contract import ExitCode, PeerError, emit
from .security import Security, z85_encode

ZAP_ENDPOINT = "inproc://zeromq.zap.01"


def has_mechanism(mechanism: str) -> bool:
    """NULL and PLAIN are always in libzmq 4; CURVE needs libsodium (or tweetnacl)."""
    return mechanism != "curve" or bool(zmq.has("curve"))


def missing_mechanism(mechanism: str) -> str:
    """Why a mechanism is missing, naming the versions that decide it."""
    return (
        f"libzmq {zmq.zmq_version()} (bundled with pyzmq {zmq.pyzmq_version()}) was built "
        f"without {mechanism.upper()} (zmq.has({mechanism!r}) is False)"
    )


def require_mechanism(mechanism: str) -> None:
    """Exit 4 before any socket exists when the loaded libzmq lacks the mechanism."""
    if not has_mechanism(mechanism):
        raise PeerError(ExitCode.UNSUPPORTED, missing_mechanism(mechanism))


class ZapHandler:
    """The ZAP handler's thread; it ends when the context terminates (its receive raises
    ContextTerminated), so `join` comes after `context.term()`."""

    def __init__(self, context: zmq.Context, security: Security) -> None:
        self.security = security
        self.socket = context.socket(zmq.REP)
        self.socket.bind(ZAP_ENDPOINT)
        self.thread = threading.Thread(target=self._serve, name="zap", daemon=True)
        self.thread.start()

    def _admits(self, frames: list) -> "tuple":
        s = self.security
        mechanism = frames[5].decode("ascii", "replace") if len(frames) > 5 else ""
        if s.mechanism == "plain" and mechanism == "PLAIN" and len(frames) == 8:
            user = frames[6].decode("ascii", "replace")
            password = frames[7].decode("ascii", "replace")
            return (user, password) in s.allow_plain, user
        if s.mechanism == "curve" and mechanism == "CURVE" and len(frames) == 7:
            key = frames[6]
            identity = z85_encode(key) if len(key) == 32 else key.hex()
            return key in s.allow_curve, identity
        return False, ""

    def _serve(self) -> None:
        try:
            while True:
                frames = self.socket.recv_multipart()
                allowed, identity = self._admits(frames)
                emit(
                    {
                        "event": "zap",
                        "mechanism": self.security.mechanism,
                        "identity": identity,
                        "allowed": allowed,
                    }
                )
                request_id = frames[1] if len(frames) > 1 else b""
                status = (b"200", b"OK") if allowed else (b"400", b"not on the allow list")
                user = b"interop" if allowed else b""
                self.socket.send_multipart([b"1.0", request_id, *status, user, b""])
        except zmq.ContextTerminated:
            pass
        finally:
            self.socket.close(linger=0)

    def join(self) -> None:
        self.thread.join()


def secure(context: zmq.Context, sock: zmq.Socket, security: Security) -> Optional[ZapHandler]:
    """Sets the mechanism's options on sock (before bind or connect); on the server, starts the
    ZAP handler first and returns it."""
    if security.mechanism == "null":
        return None
    handler = None
    if security.server:
        handler = ZapHandler(context, security)
        sock.setsockopt(zmq.ZAP_DOMAIN, b"interop")
    if security.mechanism == "plain":
        if security.server:
            sock.setsockopt(zmq.PLAIN_SERVER, 1)
        else:
            sock.setsockopt(zmq.PLAIN_USERNAME, security.user.encode("ascii"))
            sock.setsockopt(zmq.PLAIN_PASSWORD, security.password.encode("ascii"))
    elif security.server:
        sock.setsockopt(zmq.CURVE_SERVER, 1)
        sock.setsockopt(zmq.CURVE_SECRETKEY, security.secret_key.encode("ascii"))
    else:
        sock.setsockopt(zmq.CURVE_SERVERKEY, security.server_key.encode("ascii"))
        sock.setsockopt(zmq.CURVE_PUBLICKEY, security.public_key.encode("ascii"))
        sock.setsockopt(zmq.CURVE_SECRETKEY, security.secret_key.encode("ascii"))
    return handler
