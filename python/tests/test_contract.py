"""Option parsing: the contract's defaults, and usage errors as one line with exit 2."""

from __future__ import annotations

import pytest

from zmq_interop.contract import ExitCode, PeerError, parse


def test_defaults_are_the_contracts():
    run = parse(["pub", "--endpoint", "tcp://127.0.0.1:*"])
    assert run is not None
    assert (run.role, run.bind, run.transport) == ("pub", True, "tcp")
    assert (run.topic, run.subscription, run.seed, run.count) == (
        "fancyhw_data",
        "fancyhw_data",
        12345,
        10,
    )
    assert (run.packet_size, run.length, run.case, run.timeout_ms) == (16, 131072, "array", 10000)
    assert (run.size, run.hwm) == (16, 0)


def test_benchmark_roles_bind_on_the_receiving_side():
    assert parse(["thr-pull", "--endpoint", "tcp://127.0.0.1:*"]).bind
    assert not parse(["thr-push", "--endpoint", "tcp://127.0.0.1:1"]).bind
    assert parse(["lat-rep", "--endpoint", "tcp://127.0.0.1:*"]).bind
    assert not parse(["lat-req", "--endpoint", "tcp://127.0.0.1:1"]).bind


def test_equals_form_raw_bytes_and_empty_subscription():
    run = parse(["sub", "--endpoint=ipc:///tmp/x", "--subscribe", "", "--raw-hex", "00ff"])
    assert run is not None
    assert (run.bind, run.subscription, run.raw_message) == (False, "", b"\x00\xff")


def test_info_needs_nothing_else():
    assert parse(["--info"]) is None


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ([], "a role is required"),
        (["pub"], "--endpoint is required"),
        (["pub", "--endpoint", "udp://x"], "neither tcp://"),
        (["pub", "--endpoint", "ipc://x", "--topic", "a b"], "contains a space"),
        (["pub", "--endpoint", "ipc://x", "--count", "0"], "--count 0 is out of range"),
        (["pub", "--endpoint", "ipc://x", "--seed", "4294967296"], "--seed"),
        (["pub", "--endpoint", "ipc://x", "--bogus"], "--bogus"),
        (["pub", "--endpoint", "ipc://x", "--raw-hex", "abc"], "odd length"),
        (["req", "--endpoint", "ipc://x", "--len", "4", "--corrupt-index", "4"], "past the end"),
        (["pub", "--endpoint", "ipc://x", "--bind", "--connect"], "not allowed with"),
    ],
)
def test_usage_errors_name_the_problem(argv, fragment):
    with pytest.raises(PeerError) as caught:
        parse(argv)
    assert caught.value.code == ExitCode.USAGE
    assert fragment in caught.value.reason
    assert "\n" not in caught.value.reason
