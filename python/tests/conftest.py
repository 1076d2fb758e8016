"""Shared pytest fixtures: the repository paths, glibc's vectors, and peer.py as real processes
(every one waited on with a timeout and killed at the end of its test, whatever happened)."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional

import pytest

TESTS_DIR = Path(__file__).resolve().parent
PYTHON_DIR = TESTS_DIR.parent
VECTORS = TESTS_DIR / ".." / ".." / "testdata" / "glibc-rand.json"
WAIT = 30  # seconds for any one peer; the peers' own --timeout-ms is far shorter
IPC_DIR_MAX = 80  # leaves room for a file name under the 107-byte limit
sys.path.insert(0, str(PYTHON_DIR))


@pytest.fixture(scope="session")
def vectors() -> Dict[int, List[int]]:
    """glibc's rand() outputs per seed (testdata/glibc-rand.json)."""
    data = json.loads(VECTORS.read_text())
    return {int(seed): values for seed, values in data["seeds"].items()}


def peer_command(*args: str) -> List[str]:
    """The command that runs the Python peer with these arguments."""
    return [sys.executable, str(PYTHON_DIR / "peer.py"), *args]


def run_captured(
    command: List[str], check: bool = False, **options: Any
) -> subprocess.CompletedProcess:
    """subprocess.run with stdout and stderr read as text and the usual timeout (spelled so for
    Python 3.6: capture_output and text came with 3.7)."""
    return subprocess.run(
        command,
        check=check,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=WAIT,
        **options,
    )


class Finished(NamedTuple):
    """A peer that has exited: its status, its stdout as JSON objects, its stderr."""

    code: int
    lines: List[dict]
    stderr: str


class Peer:
    """One running peer.py; stdout and stderr piped, stdin as given (None: this process's)."""

    def __init__(self, *args: str, stdin: Optional[int] = None) -> None:
        self.args = args
        self.proc = subprocess.Popen(
            peer_command(*args),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
        )

    def line(self) -> dict:
        """The next line of the peer's stdout, as JSON (the peer must not have exited first)."""
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"peer {self.args} exited early: {self.finish()}"
        return json.loads(line)

    def ready(self) -> str:
        """The endpoint from the peer's first line, its ready line."""
        event = self.line()
        assert event["event"] == "ready", event
        return event["endpoint"]

    def write(self, text: str) -> None:
        """Writes to the peer's stdin (started with stdin=subprocess.PIPE)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def finish(self) -> Finished:
        """Waits for the exit (closing a piped stdin first); whatever the status, stderr must
        hold no traceback and no interpreter abort."""
        out, err = self.proc.communicate(timeout=WAIT)
        assert "Traceback" not in err, err
        assert "Fatal Python error" not in err, err
        return Finished(self.proc.returncode, [json.loads(line) for line in out.splitlines()], err)

    def kill(self) -> None:
        """Kills the peer if it still runs, and reaps it. Its pipes are read and closed unless
        finish() did that already (Python 3.6's communicate cannot be called twice)."""
        if self.proc.poll() is None:
            self.proc.kill()
        if self.proc.stdout is not None and not self.proc.stdout.closed:
            self.proc.communicate()
        self.proc.wait()


@pytest.fixture
def peers() -> Iterator[Callable[..., Peer]]:
    """Starts peers as `peers(role, *options)`; any still running at the end are killed."""
    started: List[Peer] = []

    def start(*args: str, stdin: Optional[int] = None) -> Peer:
        peer = Peer(*args, stdin=stdin)
        started.append(peer)
        return peer

    yield start
    for peer in started:
        peer.kill()


@pytest.fixture
def ipc_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory for ipc endpoints: pytest's tmp_path, or a shorter private one when that is
    too long for the 107-byte socket path limit. Skips where libzmq has no ipc."""
    import zmq  # noqa: PLC0415 - only the tests that need ipc pay for it

    if not zmq.has("ipc"):
        pytest.skip(f"libzmq {zmq.zmq_version()} (pyzmq {zmq.pyzmq_version()}) has no ipc")
    if len(str(tmp_path)) <= IPC_DIR_MAX:
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(prefix="zi-") as path:
        yield Path(path)
