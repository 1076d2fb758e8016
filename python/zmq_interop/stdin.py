"""The contract's stdin rules ("Stdin"): `--exit-with-stdin` watches stdin and ends the peer
when it closes; `--pause-after` reads one line at the pause. A peer reads stdin for nothing else.
"""

import os
import sys
import threading
from typing import Optional

from .contract import ExitCode, PeerError, error_line

# The reason a peer gives when stdin closes under it: the harness that held the pipe is gone.
CLOSED = "stdin closed: the harness is gone"
_CHUNK = 65536


def _watch(fd: Optional[int]) -> None:
    """Reads stdin's file descriptor (None: there was none) to its end, then ends the process."""
    try:
        if fd is not None:
            while os.read(fd, _CHUNK):
                pass  # what is written to a watched stdin means nothing
    except OSError:
        pass  # an unreadable stdin is as gone as a closed one
    error_line(CLOSED)
    os._exit(int(ExitCode.ERROR))


def _stdin_fd() -> Optional[int]:
    try:
        return sys.stdin.fileno() if sys.stdin is not None else None
    except (OSError, ValueError):  # replaced or closed
        return None


def exit_when_closed() -> threading.Thread:
    """Starts a daemon thread that reads stdin to its end, then ends the process at once with
    exit 6 and the one `error:` line, whatever the role is doing. A daemon thread never delays
    a normal exit; os._exit leaves without waiting on anything (sockets, linger, threads).

    It reads the file descriptor with os.read, not sys.stdin.buffer: a daemon thread blocked
    in BufferedReader.read holds the reader's lock, and the interpreter's shutdown, which
    closes sys.stdin, then aborts ("Fatal Python error: _enter_buffered_busy", exit 134) on
    every normal exit."""
    watcher = threading.Thread(target=_watch, args=(_stdin_fd(),), name="stdin-watcher")
    watcher.daemon = True
    watcher.start()
    return watcher


def wait_for_line() -> None:
    """Waits for one line on stdin (--pause-after); end-of-file first is exit 6."""
    if sys.stdin is None:
        raise PeerError(ExitCode.ERROR, CLOSED)
    try:
        line = sys.stdin.buffer.readline()
    except OSError as e:
        raise PeerError(ExitCode.ERROR, f"reading stdin failed: {e}") from None
    if not line:
        raise PeerError(ExitCode.ERROR, CLOSED)
