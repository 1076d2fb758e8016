"""peer.py as real processes over real sockets: PUB/SUB, REQ/REP, malformed input, usage errors.

Endpoints are loopback tcp with a wildcard port (read from the binder's ready line) or ipc in a
temporary directory; every wait has a timeout, and no stderr may hold a traceback.
"""

import json
import sys

from conftest import PYTHON_DIR, peer_command, run_captured

from zmq_interop.fakehw import FakeHw, f64_array

TCP = "tcp://127.0.0.1:*"
SHORT = ("--timeout-ms", "5000")


def test_pub_sync_to_sub_over_tcp_carries_the_fakehw_sequence(peers):
    publisher = peers("pub", "--endpoint", TCP, "--sync", "--count", "3", "--report-sent", *SHORT)
    endpoint = publisher.ready()
    assert endpoint.startswith("tcp://127.0.0.1:")
    assert not endpoint.endswith(":*")
    subscriber = peers("sub", "--endpoint", endpoint, "--count", "3", *SHORT)
    got = subscriber.finish()
    assert got.code == 0, got.stderr
    sent = publisher.finish()
    assert sent.code == 0, sent.stderr
    assert sent.lines == [{"event": "sent", "seq": seq} for seq in range(3)]
    hw = FakeHw(12345)
    assert got.lines[0] == {"event": "ready", "endpoint": endpoint}
    assert got.lines[1:] == [
        {"seq": seq, "topic": "fancyhw_data", "samples": [hw.read_val() for _ in range(16)]}
        for seq in range(3)
    ]


def test_pub_sub_over_ipc_with_another_topic_seed_and_packet_size(peers, ipc_dir):
    endpoint = f"ipc://{ipc_dir / 'ps'}"
    options = ("--topic", "t1", "--seed", "4294967295", "--packet-size", "5", "--count", "2")
    publisher = peers("pub", "--endpoint", endpoint, "--sync", *options, *SHORT)
    assert publisher.ready() == endpoint
    got = peers("sub", "--endpoint", endpoint, *options, *SHORT).finish()
    assert got.code == 0, got.stderr
    assert publisher.finish().code == 0
    hw = FakeHw(4294967295)
    assert [line["samples"] for line in got.lines[1:]] == [
        [hw.read_val() for _ in range(5)] for _ in range(2)
    ]


def test_rep_and_req_over_ipc(peers, ipc_dir):
    endpoint = f"ipc://{ipc_dir / 'rr'}"
    for case, reply in (("array", "SUCCESS"), ("hello", "world")):
        replier = peers("rep", "--endpoint", endpoint, "--case", case, "--count", "2", *SHORT)
        replier.ready()
        requester = peers("req", "--endpoint", endpoint, "--case", case, "--count", "2", *SHORT)
        got = requester.finish()
        assert got.code == 0, got.stderr
        assert got.lines[1:] == [{"seq": 0, "reply": reply}, {"seq": 1, "reply": reply}]
        answered = replier.finish()
        assert answered.code == 0, answered.stderr
        assert answered.lines == [
            {"seq": 0, "verdict": "SUCCESS"},
            {"seq": 1, "verdict": "SUCCESS"},
        ]


def test_rep_and_req_over_tcp_with_the_requester_binding(peers):
    requester = peers("req", "--endpoint", TCP, "--bind", "--len", "1000", "--count", "1", *SHORT)
    endpoint = requester.ready()
    replier = peers("rep", "--endpoint", endpoint, "--connect", "--len", "1000", "--count", "1")
    assert replier.ready() == endpoint
    assert requester.finish().lines == [{"seq": 0, "reply": "SUCCESS"}]
    assert replier.finish().code == 0


def test_a_corrupted_value_is_named_by_index(peers, ipc_dir):
    endpoint = f"ipc://{ipc_dir / 'rr'}"
    replier = peers("rep", "--endpoint", endpoint, "--count", "1", *SHORT)
    replier.ready()
    requester = peers("req", "--endpoint", endpoint, "--count", "1", "--corrupt-index", "7")
    got = requester.finish()
    assert got.code == 1
    assert got.lines[1] == {"seq": 0, "reply": "FAILURE"}
    assert got.stderr.startswith("error: reply to request 0 was 'FAILURE' (hex 4641494c555245)")
    answered = replier.finish()
    assert answered.code == 1
    expected = float(f64_array(12345, 8)[7])
    assert answered.lines == [
        {
            "seq": 0,
            "verdict": "FAILURE",
            "detail": f"value mismatch at index 7: expected {expected!r}, got {expected + 1.0!r}",
            "index": 7,
        }
    ]
    assert "value mismatch at index 7" in answered.stderr
    assert answered.stderr.splitlines()[-1] == "error: 1 of 1 requests did not match"


def test_a_short_array_is_a_length_mismatch(peers):
    replier = peers("rep", "--endpoint", TCP, "--count", "1", *SHORT)
    endpoint = replier.ready()
    assert peers("req", "--endpoint", endpoint, "--count", "1", "--len", "1000").finish().code == 1
    answered = replier.finish()
    assert answered.code == 1
    verdict = answered.lines[0]
    assert (verdict["verdict"], verdict["expected_bytes"], verdict["got_bytes"]) == (
        "FAILURE",
        1048576,
        8000,
    )
    assert verdict["detail"].startswith("length mismatch: expected 1048576 bytes")


def test_an_unprintable_reply_is_shown_in_hex(peers):
    hello = ("--case", "hello", "--count", "1")
    replier = peers("rep", "--endpoint", TCP, *hello, "--raw-reply-hex", "fffe00")
    endpoint = replier.ready()
    got = peers("req", "--endpoint", endpoint, *hello).finish()
    assert got.code == 1
    assert got.lines[1] == {"seq": 0, "reply_hex": "fffe00"}
    assert "hex fffe00" in got.stderr.splitlines()[-1]
    assert replier.finish().code == 0  # the request itself was right


def test_a_malformed_envelope_exits_5_with_the_reason(peers):
    publisher = peers("pub", "--endpoint", TCP, "--sync", "--count", "1", "--raw-hex", "2001")
    endpoint = publisher.ready()
    got = peers("sub", "--endpoint", endpoint, "--count", "1", "--subscribe", "", *SHORT).finish()
    publisher.finish()
    assert got.code == 5
    assert got.stderr == "error: malformed envelope: empty topic\n"


def test_a_wrong_topic_exits_5_naming_both(peers):
    publisher = peers("pub", "--endpoint", TCP, "--sync", "--count", "1", "--topic", "fancyhw_dat")
    endpoint = publisher.ready()
    got = peers("sub", "--endpoint", endpoint, "--count", "1", "--subscribe", "", *SHORT).finish()
    publisher.finish()
    assert got.code == 5
    assert got.stderr == (
        'error: malformed envelope: topic "fancyhw_dat" is not the expected "fancyhw_data"\n'
    )


def test_usage_errors_are_one_line_and_exit_2():
    for argv in (("sub", "--count", "x"), ("pub", "--endpoint", TCP, "--top", "x"), ()):
        done = run_captured(peer_command(*argv))
        assert done.returncode == 2, argv
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith("error: ")


def test_info_is_one_json_object():
    done = run_captured(peer_command("--info"), check=True)
    [line] = done.stdout.splitlines()
    info = json.loads(line)
    assert (info["lang"], info["impl"]) == ("python", "pyzmq")
    assert "tcp" in info["transports"]
    assert info["roles"][:4] == ["pub", "sub", "rep", "req"]
    assert done.stderr == ""


def test_nobody_publishing_times_out_with_exit_3(peers, ipc_dir):
    endpoint = f"ipc://{ipc_dir / 'none'}"
    got = peers("sub", "--endpoint", endpoint, "--timeout-ms", "200", "--count", "1").finish()
    assert got.code == 3
    assert got.stderr == "error: timed out after 200 ms waiting for message 0 of 1\n"


def test_nobody_replying_times_out_with_exit_3(peers):
    replier = peers("rep", "--endpoint", TCP, "--timeout-ms", "200", "--count", "1")
    replier.ready()
    got = replier.finish()
    assert got.code == 3
    assert got.stderr == "error: timed out after 200 ms waiting for request 0 of 1\n"


def test_a_refused_bind_exits_6_at_once(peers):
    got = peers("pub", "--endpoint", "tcp://256.0.0.1:5").finish()
    assert got.code == 6
    assert got.stderr.startswith("error: zmq_bind(tcp://256.0.0.1:5) failed: ")
    assert got.lines == []


def test_pubsub_does_not_import_numpy():
    probe = "import sys, zmq_interop.cli, zmq_interop.pubsub; print('numpy' in sys.modules)"
    done = run_captured([sys.executable, "-c", probe], check=True, cwd=PYTHON_DIR)
    assert done.stdout.strip() == "False"
