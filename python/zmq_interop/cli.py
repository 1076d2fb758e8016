"""The peer's main: parse, dispatch the role, and turn every failure into the contract's exit
code and one `error:` line; never a traceback."""

import os
import sys
from typing import List, Optional

from .contract import ExitCode, PeerError, check_case, emit, error_line, parse

INTERRUPTED = 130  # what a shell reports for Ctrl-C; the contract counts it as a failure


def _play(argv: List[str]) -> None:
    run = parse(argv)
    if run is not None and run.exit_with_stdin:
        from . import stdin  # noqa: PLC0415

        stdin.exit_when_closed()  # first, so that nothing after it can outlive the harness
    if run is not None:
        check_case(run.role, run.case)
    # Imported after parsing, so usage errors (and cases not played) do not pay for pyzmq.
    from . import info  # noqa: PLC0415

    if run is None:
        emit(info.info())
        return
    info.require_transport(run.transport)
    info.require_engine(run)
    if run.role in ("pub", "sub"):
        from . import pubsub  # noqa: PLC0415 - no numpy on the PUB/SUB path

        (pubsub.publish if run.role == "pub" else pubsub.subscribe)(run)
    elif run.role in ("rep", "req"):
        from . import reqrep  # noqa: PLC0415 - numpy is imported only for REQ/REP

        (reqrep.reply if run.role == "rep" else reqrep.request)(run)
    else:
        from . import perf  # noqa: PLC0415

        perf.ROLES[run.role](run)


def _zmq_failure(e: Exception) -> Optional[PeerError]:
    """A pyzmq exception that escaped the roles' own handling, as the contract's failure."""
    zmq = sys.modules.get("zmq")
    if zmq is None or not isinstance(e, zmq.ZMQError):
        return None
    if isinstance(e, zmq.Again):
        return PeerError(ExitCode.TIMEOUT, f"timed out: {e}")
    if e.errno == zmq.EPROTONOSUPPORT:
        return PeerError(
            ExitCode.UNSUPPORTED, f"{e} (pyzmq {zmq.pyzmq_version()}, libzmq {zmq.zmq_version()})"
        )
    return PeerError(ExitCode.ERROR, f"zmq call failed: {e}")


def _silence_stdout() -> None:
    """stdout's reader is gone: point stdout at devnull so the exit's flush cannot fail too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the peer; returns its exit code."""
    try:
        _play(sys.argv[1:] if argv is None else argv)
    except PeerError as e:
        error_line(e.reason)
        return int(e.code)
    except KeyboardInterrupt:
        error_line("interrupted")
        return INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        error_line("stdout closed")
        return int(ExitCode.ERROR)
    except Exception as e:
        failure = _zmq_failure(e)
        if failure is None:
            failure = PeerError(ExitCode.ERROR, f"internal error: {type(e).__name__}: {e}")
        error_line(failure.reason)
        return int(failure.code)
    return int(ExitCode.OK)
