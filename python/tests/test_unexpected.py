"""peer.py facing what the contract says a peer must refuse, as real processes: a multipart
message where one frame is expected (every receiving role: exit 5, a replier answering FAILURE
first), a benchmark message of another size, and a --case it does not play (exit 4).

The other side is a pyzmq socket in this test, the only way to send a multipart message: every
peer sends single frames. Every wait has a timeout; no stderr may hold a traceback.
"""

from typing import Iterator, Tuple

import pytest
import zmq
from conftest import peer_command, run_captured

TCP = "tcp://127.0.0.1:*"
SHORT = ("--timeout-ms", "5000")
TIMEOUT_MS = 10000  # for this test's own sockets


def multipart_reason(frames: int) -> str:
    return f"error: malformed message: {frames} frames, expected 1\n"


@pytest.fixture
def context() -> Iterator[zmq.Context]:
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(linger=0)


def own_socket(context: zmq.Context, kind: int) -> zmq.Socket:
    sock = context.socket(kind)
    sock.linger = 0
    sock.rcvtimeo = TIMEOUT_MS
    sock.sndtimeo = TIMEOUT_MS
    return sock


def bound(context: zmq.Context, kind: int) -> Tuple[zmq.Socket, str]:
    sock = own_socket(context, kind)
    sock.bind(TCP)
    return sock, sock.getsockopt_string(zmq.LAST_ENDPOINT)


def connected(context: zmq.Context, kind: int, endpoint: str) -> zmq.Socket:
    sock = own_socket(context, kind)
    sock.connect(endpoint)
    return sock


def test_sub_exits_5_on_a_multipart_message(peers, context):
    publisher, endpoint = bound(context, zmq.XPUB)
    subscriber = peers("sub", "--endpoint", endpoint, "--count", "1", *SHORT)
    subscriber.ready()
    assert publisher.recv() == b"\x01fancyhw_data"  # subscribed: nothing sent is lost
    publisher.send_multipart([b"fancyhw_data", b"\x01\x00"])
    got = subscriber.finish()
    assert got.code == 5
    assert got.lines[1:] == []
    assert got.stderr == multipart_reason(2)


@pytest.mark.parametrize("case", ["array", "hello"])
def test_rep_answers_failure_then_exits_5_on_a_multipart_request(peers, context, case):
    # --raw-reply-hex does not apply: a malformed request is answered FAILURE whatever it says.
    options = ("--case", case, "--count", "2", "--raw-reply-hex", "00")
    replier = peers("rep", "--endpoint", TCP, *options, *SHORT)
    requester = connected(context, zmq.REQ, replier.ready())
    requester.send_multipart([b"hello", b"", b"x"])
    assert requester.recv_multipart() == [b"FAILURE"]
    got = replier.finish()
    assert got.code == 5
    detail = "malformed message: 3 frames, expected 1"
    assert got.lines == [{"seq": 0, "verdict": "FAILURE", "detail": detail}]
    assert got.stderr == multipart_reason(3)


def test_req_exits_5_on_a_multipart_reply(peers, context):
    replier, endpoint = bound(context, zmq.REP)
    requester = peers("req", "--endpoint", endpoint, "--case", "hello", "--count", "2", *SHORT)
    assert replier.recv() == b"hello"
    replier.send_multipart([b"world", b"world"])
    got = requester.finish()
    assert got.code == 5
    assert got.lines[1:] == []  # no reply line for a malformed reply
    assert got.stderr == multipart_reason(2)


def test_thr_pull_exits_5_on_a_multipart_message_even_of_the_right_sizes(peers, context):
    puller = peers("thr-pull", "--endpoint", TCP, "--count", "2", "--size", "4", *SHORT)
    pusher = connected(context, zmq.PUSH, puller.ready())
    pusher.send_multipart([b"1234", b"5678"])
    got = puller.finish()
    assert got.code == 5
    assert got.lines[1:] == []
    assert got.stderr == multipart_reason(2)


@pytest.mark.parametrize("size", ["4", "65536"])  # both receive paths: bytes and Frames
def test_lat_rep_answers_failure_then_exits_5_on_a_multipart_message(peers, context, size):
    echo = peers("lat-rep", "--endpoint", TCP, "--count", "2", "--size", size, *SHORT)
    requester = connected(context, zmq.REQ, echo.ready())
    requester.send_multipart([bytes(int(size))] * 4)
    assert requester.recv_multipart() == [b"FAILURE"]
    got = echo.finish()
    assert got.code == 5
    assert got.stderr == multipart_reason(4)


def test_lat_rep_answers_failure_then_exits_5_on_a_message_of_another_size(peers, context):
    echo = peers("lat-rep", "--endpoint", TCP, "--count", "2", "--size", "4", *SHORT)
    requester = connected(context, zmq.REQ, echo.ready())
    requester.send(b"123")
    assert requester.recv_multipart() == [b"FAILURE"]
    got = echo.finish()
    assert got.code == 5
    assert got.stderr == "error: message of 3 bytes, expected 4\n"


@pytest.mark.parametrize("size", ["4", "65536"])
def test_lat_req_exits_5_on_a_multipart_echo(peers, context, size):
    echo, endpoint = bound(context, zmq.REP)
    requester = peers("lat-req", "--endpoint", endpoint, "--count", "2", "--size", size, *SHORT)
    request = echo.recv()
    echo.send_multipart([request, request])
    got = requester.finish()
    assert got.code == 5
    assert got.lines[1:] == []  # no result line
    assert got.stderr == multipart_reason(2)


@pytest.mark.parametrize("role", ["pub", "sub", "rep", "req"])
@pytest.mark.parametrize("name", ["nope", "", 'a "quoted" \\ name', "Array"])
def test_an_unknown_case_exits_4_before_any_socket(role, name):
    done = run_captured(peer_command(role, "--endpoint", TCP, "--case", name))
    assert done.returncode == 4
    assert done.stdout == ""  # no ready line: no socket
    shown = name.replace("\\", "\\\\").replace('"', '\\"')
    assert done.stderr == f'error: case "{shown}" is not implemented by this peer\n'


@pytest.mark.parametrize(
    ("role", "name"), [("sub", "array"), ("pub", "hello"), ("req", "topics"), ("rep", "burst")]
)
def test_a_case_of_the_other_pattern_exits_4_before_any_socket(role, name):
    done = run_captured(peer_command(role, "--endpoint", TCP, "--case", name))
    assert (done.returncode, done.stdout) == (4, "")
    assert done.stderr == f'error: case "{name}" is not implemented by this peer\n'


def test_a_role_that_plays_no_case_ignores_the_case(peers):
    puller = peers("thr-pull", "--endpoint", TCP, "--count", "2", "--case", "nope", *SHORT)
    endpoint = puller.ready()
    pusher = peers("thr-push", "--endpoint", endpoint, "--count", "2", "--case", "nope", *SHORT)
    assert pusher.finish().code == 0
    got = puller.finish()
    assert got.code == 0, got.stderr
    assert got.lines[-1]["event"] == "result"
