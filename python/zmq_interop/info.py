"""What this peer is (--info), and whether the loaded libzmq has a transport."""

import platform
from typing import Optional

import zmq

from .contract import ALL_CASES, ROLES, ExitCode, PeerError, Run
from .zap import has_mechanism, missing_mechanism, require_mechanism

# ZMQ_HEARTBEAT_IVL and ZMQ_HEARTBEAT_TIMEOUT came with libzmq 4.2.0.
HEARTBEATS_SINCE = (4, 2, 0)


def has_transport(transport: str) -> bool:
    """tcp is always built into libzmq; ipc is optional (zmq.has knows only the optional ones)."""
    return transport == "tcp" or bool(zmq.has(transport))


def missing_reason(transport: str) -> str:
    """Why a transport is missing, naming the versions that decide it."""
    return (
        f"libzmq {zmq.zmq_version()} (bundled with pyzmq {zmq.pyzmq_version()}) "
        f"was built without {transport}"
    )


def missing_heartbeats() -> Optional[str]:
    """Why case heartbeat cannot be played with the loaded libzmq and pyzmq, or None."""
    if zmq.zmq_version_info() < HEARTBEATS_SINCE or not hasattr(zmq, "HEARTBEAT_IVL"):
        return (
            f"libzmq {zmq.zmq_version()} (pyzmq {zmq.pyzmq_version()}) has no "
            "ZMQ_HEARTBEAT_IVL/ZMQ_HEARTBEAT_TIMEOUT (libzmq 4.2 or later has them)"
        )
    return None


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
        # Every case, the union over the roles: even a libzmq without heartbeats plays case
        # heartbeat's replier (hello); only its requester is exit 4 there (require_engine).
        "cases": list(ALL_CASES),
        "mechanisms": [m for m in ("null", "plain", "curve") if has_mechanism(m)],
        "python": platform.python_version(),
    }
    unsupported = {t: missing_reason(t) for t in ("tcp", "ipc") if t not in transports}
    unsupported.update({m: missing_mechanism(m) for m in ("curve",) if not has_mechanism(m)})
    if unsupported:
        line["unsupported"] = unsupported
    return line


def require_transport(transport: str) -> None:
    """Exit 4 before any socket exists when the transport is missing."""
    if not has_transport(transport):
        raise PeerError(ExitCode.UNSUPPORTED, missing_reason(transport))


def require_engine(run: Run) -> None:
    """Exit 4 before any socket exists when the loaded libzmq cannot play the run's case or
    lacks its security mechanism."""
    require_mechanism(run.security.mechanism)
    if run.role == "req" and run.case == "heartbeat":
        lacking = missing_heartbeats()
        if lacking is not None:
            raise PeerError(ExitCode.UNSUPPORTED, f"case heartbeat: {lacking}")
