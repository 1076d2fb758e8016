"""The peer's main: parse, dispatch the role, and turn every failure into the contract's exit
code and one `error:` line; never a traceback."""

from __future__ import annotations

import sys

from .contract import ExitCode, PeerError, emit, parse


def _play(argv: list[str]) -> None:
    run = parse(argv)
    # Imported after parsing, so --help and usage errors do not pay for pyzmq.
    from . import info  # noqa: PLC0415

    if run is None:
        emit(info.info())
        return
    info.require_transport(run.transport)
    if run.role in ("pub", "sub"):
        from . import pubsub  # noqa: PLC0415

        (pubsub.publish if run.role == "pub" else pubsub.subscribe)(run)
    elif run.role in ("thr-push", "thr-pull", "lat-req", "lat-rep"):
        from . import perf  # noqa: PLC0415

        perf.ROLES[run.role](run)
    else:
        from . import reqrep  # noqa: PLC0415 - numpy is imported only for REQ/REP

        (reqrep.reply if run.role == "rep" else reqrep.request)(run)


def main(argv: list[str] | None = None) -> int:
    """Runs the peer; returns its exit code."""
    try:
        _play(sys.argv[1:] if argv is None else argv)
    except PeerError as e:
        print(f"error: {e.reason}", file=sys.stderr, flush=True)
        return int(e.code)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr, flush=True)
        return 130
    except BrokenPipeError:
        print("error: stdout closed", file=sys.stderr, flush=True)
        return int(ExitCode.ERROR)
    except Exception as e:
        print(f"error: internal error: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        return int(ExitCode.ERROR)
    return int(ExitCode.OK)
