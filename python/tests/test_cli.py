"""main() in this process: --info, and the failures that must become exit codes, never
tracebacks (a missing ipc transport, a stray pyzmq error, an unexpected exception)."""

import json

import pytest
import zmq

from zmq_interop import cli, info
from zmq_interop.contract import ExitCode, PeerError


def test_info_describes_the_peer(capsys):
    assert cli.main(["--info"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.endswith("\n")
    assert out.count("\n") == 1
    line = json.loads(out)
    assert line["lang"] == "python"
    assert line["impl"] == "pyzmq"
    assert line["impl_version"] == zmq.pyzmq_version()
    assert (line["engine"], line["engine_version"]) == ("libzmq", zmq.zmq_version())
    assert line["libzmq"] == zmq.zmq_version()
    assert "workarounds" not in line  # none: libzmq does all the contract asks itself
    assert list(line)[:6] == ["lang", "impl", "impl_version", "engine", "engine_version", "libzmq"]
    assert line["transports"] == (["tcp", "ipc"] if zmq.has("ipc") else ["tcp"])
    assert line["roles"] == [
        "pub",
        "sub",
        "rep",
        "req",
        "thr-push",
        "thr-pull",
        "lat-req",
        "lat-rep",
    ]
    assert line["cases"] == [
        "fancyhw",
        "burst",
        "multipart",
        "empty",
        "topics",
        "reconnect",
        "array",
        "hello",
        "large",
        "heartbeat",
    ]
    assert isinstance(line["python"], str)
    assert ("unsupported" in line) == (not zmq.has("ipc"))


def test_without_ipc_info_says_why_and_an_ipc_endpoint_exits_4(monkeypatch, capsys):
    monkeypatch.setattr(zmq, "has", lambda capability: False)
    line = info.info()
    assert line["transports"] == ["tcp"]
    reason = line["unsupported"]["ipc"]
    assert zmq.pyzmq_version() in reason
    assert zmq.zmq_version() in reason
    assert cli.main(["sub", "--endpoint", "ipc:///nonexistent/s", "--count", "1"]) == 4
    out, err = capsys.readouterr()
    assert out == ""  # refused before any socket, so no ready line
    assert err == f"error: {reason}\n"


def test_a_libzmq_without_heartbeats_refuses_the_heartbeat_requester(monkeypatch, capsys):
    monkeypatch.setattr(zmq, "zmq_version_info", lambda: (4, 1, 8))
    monkeypatch.setattr(zmq, "zmq_version", lambda: "4.1.8")
    tcp = ("--endpoint", "tcp://127.0.0.1:*")
    assert cli.main(["req", *tcp, "--case", "heartbeat"]) == 4
    out, err = capsys.readouterr()
    assert out == ""  # refused before any socket
    assert err == (
        f"error: case heartbeat: libzmq 4.1.8 (pyzmq {zmq.pyzmq_version()}) has no "
        "ZMQ_HEARTBEAT_IVL/ZMQ_HEARTBEAT_TIMEOUT (libzmq 4.2 or later has them)\n"
    )
    assert "heartbeat" in info.info()["cases"]  # its replier plays hello on any libzmq


@pytest.mark.parametrize(
    ("raised", "code", "reason"),
    [
        (PeerError(ExitCode.MALFORMED, "why"), 5, "error: why\n"),
        (zmq.Again(), 3, "error: timed out: "),
        (zmq.ZMQError(zmq.EPROTONOSUPPORT), 4, "error: "),
        (zmq.ZMQError(zmq.EINVAL), 6, "error: zmq call failed: "),
        (KeyboardInterrupt(), 130, "error: interrupted\n"),
        (BrokenPipeError(), 6, "error: stdout closed\n"),
        (ValueError("odd"), 6, "error: internal error: ValueError: odd\n"),
    ],
)
def test_every_failure_is_one_error_line_and_its_exit_code(
    monkeypatch, capsys, raised, code, reason
):
    def play(argv):
        raise raised

    monkeypatch.setattr(cli, "_play", play)
    monkeypatch.setattr(cli, "_silence_stdout", lambda: None)
    assert cli.main([]) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(reason)
    assert err.count("\n") == 1
