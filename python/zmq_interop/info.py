"""What this peer is (--info), and whether the loaded libzmq has a transport."""

from __future__ import annotations

import platform

import zmq

from .contract import ROLES, ExitCode, PeerError


def has_transport(transport: str) -> bool:
    """tcp is always built into libzmq; ipc is optional (zmq.has knows only the optional ones)."""
    return transport == "tcp" or bool(zmq.has(transport))


def missing_reason(transport: str) -> str:
    """Why a transport is missing, naming the versions that decide it."""
    return (
        f"libzmq {zmq.zmq_version()} (bundled with pyzmq {zmq.pyzmq_version()}) "
        f"was built without {transport}"
    )


def info() -> dict:
    """The --info object. The engine on the wire is the libzmq pyzmq loaded; no workarounds:
    libzmq does everything the contract asks itself."""
    transports = [t for t in ("tcp", "ipc") if has_transport(t)]
    line = {
        "lang": "python",
        "impl": "pyzmq",
        "impl_version": zmq.pyzmq_version(),
        "engine": "libzmq",
        "engine_version": zmq.zmq_version(),
        "libzmq": zmq.zmq_version(),
        "transports": transports,
        "roles": list(ROLES),
        "python": platform.python_version(),
    }
    unsupported = {t: missing_reason(t) for t in ("tcp", "ipc") if t not in transports}
    if unsupported:
        line["unsupported"] = unsupported
    return line


def require_transport(transport: str) -> None:
    """Exit 4 before any socket exists when the transport is missing."""
    if not has_transport(transport):
        raise PeerError(ExitCode.UNSUPPORTED, missing_reason(transport))
