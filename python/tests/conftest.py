"""Shared pytest fixtures: the repository paths and a runner for peer.py as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parent.parent
REPO = PYTHON_DIR.parent
sys.path.insert(0, str(PYTHON_DIR))


@pytest.fixture(scope="session")
def vectors() -> dict[int, list[int]]:
    """glibc's rand() outputs per seed (testdata/glibc-rand.json)."""
    data = json.loads((REPO / "testdata" / "glibc-rand.json").read_text())
    return {int(seed): values for seed, values in data["seeds"].items()}


def peer_command(*args: str) -> list[str]:
    """The command that runs the Python peer with these arguments."""
    return [sys.executable, str(PYTHON_DIR / "peer.py"), *args]


def start_peer(*args: str) -> subprocess.Popen:
    """Starts a peer with piped output (the caller waits on it with a timeout)."""
    return subprocess.Popen(
        peer_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def read_ready(proc: subprocess.Popen) -> str:
    """The endpoint from a peer's first line, its ready line."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    event = json.loads(line)
    assert event["event"] == "ready", line
    return event["endpoint"]
