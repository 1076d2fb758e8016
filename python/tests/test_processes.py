"""peer.py as real processes over real sockets: PUB/SUB, REQ/REP, malformed input, usage errors.

Endpoints are loopback tcp with a wildcard port (read from the binder's ready line) or ipc in
pytest's temporary directory; every wait has a timeout.
"""

from __future__ import annotations

import json
import subprocess

from conftest import peer_command, read_ready, start_peer

from zmq_interop.fakehw import FakeHw

WAIT = 30


def finish(proc: subprocess.Popen) -> tuple[int, list[dict], str]:
    out, err = proc.communicate(timeout=WAIT)
    return proc.returncode, [json.loads(line) for line in out.splitlines()], err


def test_pub_sync_to_sub_over_tcp_carries_the_fakehw_sequence():
    publisher = start_peer("pub", "--endpoint", "tcp://127.0.0.1:*", "--sync", "--count", "3")
    endpoint = read_ready(publisher)
    subscriber = start_peer("sub", "--endpoint", endpoint, "--count", "3")
    code, lines, err = finish(subscriber)
    assert code == 0, err
    assert finish(publisher)[0] == 0
    hw = FakeHw(12345)
    assert lines[0]["event"] == "ready"
    for seq, packet in enumerate(lines[1:]):
        assert packet == {
            "seq": seq,
            "topic": "fancyhw_data",
            "samples": [hw.read_val() for _ in range(16)],
        }


def test_rep_and_req_over_ipc(tmp_path):
    endpoint = f"ipc://{tmp_path / 's'}"
    for case, reply in (("array", "SUCCESS"), ("hello", "world")):
        replier = start_peer("rep", "--endpoint", endpoint, "--case", case, "--count", "2")
        read_ready(replier)
        requester = start_peer("req", "--endpoint", endpoint, "--case", case, "--count", "2")
        code, lines, err = finish(requester)
        assert code == 0, err
        assert [line.get("reply") for line in lines[1:]] == [reply, reply]
        assert finish(replier)[0] == 0


def test_a_corrupted_value_is_named_by_index(tmp_path):
    endpoint = f"ipc://{tmp_path / 's'}"
    replier = start_peer("rep", "--endpoint", endpoint, "--count", "1")
    read_ready(replier)
    requester = start_peer("req", "--endpoint", endpoint, "--count", "1", "--corrupt-index", "7")
    code, lines, _ = finish(requester)
    assert code == 1
    assert lines[1] == {"seq": 0, "reply": "FAILURE"}
    code, lines, err = finish(replier)
    assert code == 1
    assert lines[0]["index"] == 7  # its ready line was read by read_ready
    assert "value mismatch at index 7" in err
    assert "Traceback" not in err


def test_a_malformed_envelope_exits_5_with_the_reason():
    publisher = start_peer(
        "pub", "--endpoint", "tcp://127.0.0.1:*", "--sync", "--count", "1", "--raw-hex", "2001"
    )
    endpoint = read_ready(publisher)
    subscriber = start_peer("sub", "--endpoint", endpoint, "--count", "1", "--subscribe", "")
    code, _, err = finish(subscriber)
    finish(publisher)
    assert code == 5
    assert err.strip() == "error: malformed envelope: empty topic"


def test_usage_errors_are_one_line_and_exit_2():
    done = subprocess.run(
        peer_command("sub", "--count", "x"),
        check=False,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("error: ")


def test_nobody_publishing_times_out_with_exit_3(tmp_path):
    subscriber = start_peer(
        "sub", "--endpoint", f"ipc://{tmp_path / 'none'}", "--timeout-ms", "200", "--count", "1"
    )
    code, _, err = finish(subscriber)
    assert code == 3
    assert "timed out after 200 ms waiting for message 0 of 1" in err
