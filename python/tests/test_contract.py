"""Option parsing: the contract's defaults, both option forms, and usage errors as one line
with exit 2, before any socket exists."""

import json

import pytest

from zmq_interop.cli import main
from zmq_interop.contract import (
    ALL_CASES,
    FRAMES_CASES,
    PAUSED,
    PUBSUB_CASES,
    RANGES,
    REQREP_CASES,
    ExitCode,
    PeerError,
    check_case,
    default_case,
    frames_line,
    large_reply_line,
    multipart,
    parse,
    rust_debug,
)

TCP = "tcp://127.0.0.1:*"


def test_defaults_are_the_contracts():
    run = parse(["pub", "--endpoint", TCP])
    assert run is not None
    assert (run.role, run.endpoint, run.bind, run.transport) == ("pub", TCP, True, "tcp")
    assert (run.topic, run.subscription, run.seed, run.count) == (
        "fancyhw_data",
        "fancyhw_data",
        12345,
        10,
    )
    assert (run.packet_size, run.length, run.case, run.timeout_ms) == (16, 131072, "fancyhw", 10000)
    assert (run.sync, run.interval_ms, run.report_sent) == (False, 0, False)
    assert (run.raw_message, run.corrupt_index, run.raw_reply) == (None, None, None)
    assert (run.size, run.hwm) == (16, 0)
    assert (run.pause_after, run.heartbeat_ivl_ms, run.silence_ms) == (None, 100, 1500)
    assert run.exit_with_stdin is False


@pytest.mark.parametrize(
    ("role", "case"),
    [
        ("pub", "fancyhw"),
        ("sub", "fancyhw"),
        ("rep", "array"),
        ("req", "array"),
        ("thr-push", "array"),
        ("lat-rep", "array"),
    ],
)
def test_each_role_has_its_default_case(role, case):
    assert default_case(role) == case
    assert parse([role, "--endpoint", TCP]).case == case


def test_the_new_options_parse():
    run = parse(
        [
            "req",
            "--endpoint",
            TCP,
            "--case",
            "heartbeat",
            "--pause-after=2",
            "--heartbeat-ivl-ms",
            "250",
            "--silence-ms",
            "0",
        ]
    )
    assert (run.case, run.pause_after, run.heartbeat_ivl_ms, run.silence_ms) == (
        "heartbeat",
        2,
        250,
        0,
    )
    assert parse(["thr-pull", "--endpoint", TCP, "--exit-with-stdin"]).exit_with_stdin is True


@pytest.mark.parametrize(
    "argv",
    [
        ["--pause-after", "1", "--exit-with-stdin"],
        ["--exit-with-stdin", "--pause-after=3"],
    ],
)
def test_pause_after_with_exit_with_stdin_is_a_usage_error(argv):
    with pytest.raises(PeerError) as caught:
        parse(["req", "--endpoint", TCP, *argv])
    assert caught.value.code == ExitCode.USAGE
    assert "--pause-after and --exit-with-stdin" in caught.value.reason


@pytest.mark.parametrize(
    ("role", "binds"),
    [
        ("pub", True),
        ("sub", False),
        ("rep", True),
        ("req", False),
        ("thr-pull", True),
        ("thr-push", False),
        ("lat-rep", True),
        ("lat-req", False),
    ],
)
def test_which_side_binds(role, binds):
    assert parse([role, "--endpoint", TCP]).bind is binds
    assert parse([role, "--endpoint", TCP, "--bind"]).bind is True
    assert parse([role, "--endpoint", TCP, "--connect"]).bind is False


def test_both_option_forms_and_options_before_the_role():
    spaced = parse(["sub", "--endpoint", "ipc:///tmp/x", "--seed", "7", "--count", "3"])
    joined = parse(["--endpoint=ipc:///tmp/x", "--seed=7", "sub", "--count=3"])
    assert spaced == joined
    assert (joined.transport, joined.seed, joined.count) == ("ipc", 7, 3)


def test_an_empty_subscription_raw_bytes_and_the_seed_range():
    run = parse(["sub", "--endpoint=ipc:///tmp/x", "--subscribe", "", "--raw-hex", "00fF"])
    assert (run.bind, run.subscription, run.raw_message) == (False, "", b"\x00\xff")
    assert parse(["pub", "--endpoint", TCP, "--seed", "0"]).seed == 0
    assert parse(["pub", "--endpoint", TCP, "--seed", "4294967295"]).seed == 2**32 - 1
    assert (
        parse(["req", "--endpoint", TCP, "--len", "8", "--corrupt-index", "7"]).corrupt_index == 7
    )


def test_a_repeated_option_takes_the_last_value():
    assert parse(["pub", "--endpoint", TCP, "--count", "2", "--count", "3"]).count == 3


def test_info_needs_nothing_else():
    assert parse(["--info"]) is None


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        ([], "a role is required"),
        (["nope", "--endpoint", TCP], "argument role: invalid choice: 'nope'"),
        (["pub"], "--endpoint is required"),
        (["pub", "--endpoint"], "argument --endpoint: expected one argument"),
        (["pub", "--endpoint", "udp://x"], "neither tcp://"),
        (["pub", "--endpoint", "ipc://"], "neither tcp://"),
        (["pub", "--endpoint", TCP, "--topic", "a b"], "contains a space"),
        (["pub", "--endpoint", TCP, "--topic", ""], "topic is empty"),
        (["pub", "--endpoint", TCP, "--topic", "caf\u00e9"], "not printable ASCII"),
        (["pub", "--endpoint", TCP, "--topic", "a\tb"], "not printable ASCII"),
        (["pub", "--endpoint", TCP, "--count", "0"], "--count 0 is out of range 1..="),
        (["pub", "--endpoint", TCP, "--count", "x"], "'x' is not an integer"),
        (["pub", "--endpoint", TCP, "--count", "1_0"], "'1_0' is not an integer"),
        (["pub", "--endpoint", TCP, "--count", "2.5"], "'2.5' is not an integer"),
        (["pub", "--endpoint", TCP, "--packet-size", "0"], "--packet-size 0 is out of range"),
        (["req", "--endpoint", TCP, "--len", "0"], "--len 0 is out of range"),
        (["pub", "--endpoint", TCP, "--seed", "-1"], "--seed -1 is out of range 0..=4294967295"),
        (["pub", "--endpoint", TCP, "--seed", "4294967296"], "--seed 4294967296 is out of range"),
        (["pub", "--endpoint", TCP, "--timeout-ms", "0"], "--timeout-ms 0 is out of range"),
        (["pub", "--endpoint", TCP, "--interval-ms", "-5"], "--interval-ms -5 is out of range"),
        (["pub", "--endpoint", TCP, "--bogus"], "unrecognized arguments: --bogus"),
        (["pub", "--endpoint", TCP, "--top", "x"], "unrecognized arguments: --top"),
        (["pub", "--endpoint", TCP, "--raw-hex", "abc"], "odd length"),
        (["pub", "--endpoint", TCP, "--raw-hex", "zz"], "is not a hex string"),
        (["rep", "--endpoint", TCP, "--raw-reply-hex", "0g"], "is not a hex string"),
        (["req", "--endpoint", TCP, "--len", "4", "--corrupt-index", "4"], "past the end"),
        (["req", "--endpoint", TCP, "--corrupt-index", "-1"], "past the end"),
        (["pub", "--endpoint", TCP, "--bind", "--connect"], "not allowed with"),
        (["thr-pull", "--endpoint", TCP, "--size", "0"], "--size 0 is out of range"),
        (["thr-pull", "--endpoint", TCP, "--hwm", "-1"], "--hwm -1 is out of range"),
        (["req", "--endpoint", TCP, "--pause-after", "0"], "--pause-after 0 is out of range"),
        (["req", "--endpoint", TCP, "--pause-after"], "expected one argument"),
        (["req", "--endpoint", TCP, "--heartbeat-ivl-ms", "60001"], "out of range 1..=60000"),
        (["req", "--endpoint", TCP, "--silence-ms", "-1"], "--silence-ms -1 is out of range"),
        (["req", "--endpoint", TCP, "--exit-with-stdin=1"], "ignored explicit argument"),
        (["req", "--endpoint", TCP, "--case"], "expected one argument"),
    ],
)
def test_usage_errors_name_the_problem(argv, reason):
    with pytest.raises(PeerError) as caught:
        parse(argv)
    assert caught.value.code == ExitCode.USAGE
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason


def test_main_reports_a_usage_error_as_one_line_and_exit_2(capsys):
    assert main(["pub", "--endpoint", TCP, "--count", "0"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: --count 0 is out of range 1..=2147483647\n"


def test_the_exit_codes_are_the_contracts():
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "MISMATCH": 1,
        "USAGE": 2,
        "TIMEOUT": 3,
        "UNSUPPORTED": 4,
        "MALFORMED": 5,
        "ERROR": 6,
    }


# The contract's table, written out again: RANGES must say the same.
CONTRACT_RANGES = {
    "--count": (1, 2147483647),
    "--packet-size": (1, 1048576),
    "--len": (1, 33554432),
    "--interval-ms": (0, 3600000),
    "--timeout-ms": (1, 3600000),
    "--size": (1, 268435456),
    "--hwm": (0, 2147483647),
    "--seed": (0, 4294967295),
    "--pause-after": (1, 2147483647),
    "--heartbeat-ivl-ms": (1, 60000),
    "--silence-ms": (0, 3600000),
}
ATTRIBUTE = {"--len": "length"}


def test_the_ranges_are_the_contracts():
    assert RANGES == CONTRACT_RANGES


@pytest.mark.parametrize("option", sorted(CONTRACT_RANGES))
def test_every_range_takes_its_ends_and_refuses_one_past_them(option):
    low, high = CONTRACT_RANGES[option]
    attribute = ATTRIBUTE.get(option, option[2:].replace("-", "_"))
    for value in (low, high):
        assert getattr(parse(["pub", "--endpoint", TCP, option, str(value)]), attribute) == value
        joined = parse(["pub", "--endpoint", TCP, f"{option}=+{value}"])
        assert getattr(joined, attribute) == value
    for value in (low - 1, high + 1):
        with pytest.raises(PeerError) as caught:
            parse(["pub", "--endpoint", TCP, f"{option}={value}"])
        assert caught.value.code == ExitCode.USAGE
        assert caught.value.reason == f"{option} {value} is out of range {low}..={high}"


@pytest.mark.parametrize("text", ["-0", "+0", "0000", "+000"])
def test_a_signed_or_padded_zero_is_zero(text):
    assert parse(["pub", "--endpoint", TCP, f"--seed={text}"]).seed == 0


@pytest.mark.parametrize("text", ["", "+", "-", "1 ", " 1", "+-1", "0x10", "1e3", "\u0663", "²"])
def test_only_plain_decimal_is_an_integer(text):
    with pytest.raises(PeerError) as caught:
        parse(["pub", "--endpoint", TCP, f"--count={text}"])
    assert caught.value.code == ExitCode.USAGE
    assert f"{text!r} is not an integer" in caught.value.reason


def test_a_huge_integer_is_out_of_range_not_an_overflow():
    with pytest.raises(PeerError) as caught:
        parse(["pub", "--endpoint", TCP, "--count", "9" * 40])
    assert caught.value.reason == f"--count {'9' * 40} is out of range 1..=2147483647"


def test_topics_and_subscriptions_up_to_255_bytes():
    run = parse(["sub", "--endpoint", TCP, "--topic", "t" * 255, "--subscribe", "s" * 255])
    assert (len(run.topic), len(run.subscription)) == (255, 255)
    assert parse(["sub", "--endpoint", TCP, "--subscribe", ""]).subscription == ""
    for option, reason in (
        ("--topic", "--topic: 256 bytes is longer than 255"),
        ("--subscribe", "--subscribe: 256 bytes is longer than 255"),
    ):
        with pytest.raises(PeerError) as caught:
            parse(["sub", "--endpoint", TCP, option, "t" * 256])
        assert (caught.value.code, caught.value.reason) == (ExitCode.USAGE, reason)
    # Bytes, not characters: 128 two-byte characters are 256 bytes.
    with pytest.raises(PeerError) as caught:
        parse(["sub", "--endpoint", TCP, "--subscribe", "\u00e9" * 128])
    assert caught.value.reason == "--subscribe: 256 bytes is longer than 255"


def test_the_case_names_are_the_contracts():
    # crates/contract's Case::ALL, in its order; --info lists them so.
    assert ALL_CASES == (
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
    )
    assert PUBSUB_CASES == ("fancyhw", "burst", "multipart", "empty", "topics", "reconnect")
    assert REQREP_CASES == (
        "array",
        "hello",
        "large",
        "multipart",
        "empty",
        "reconnect",
        "heartbeat",
    )
    assert set(PUBSUB_CASES) | set(REQREP_CASES) == set(ALL_CASES)
    assert FRAMES_CASES == ("multipart", "empty")


def test_any_case_name_parses_and_only_the_played_ones_pass_check_case():
    assert parse(["req", "--endpoint", TCP, "--case", "big"]).case == "big"
    assert parse(["pub", "--endpoint", TCP, "--case="]).case == ""
    for role, cases in (("pub", PUBSUB_CASES), ("sub", PUBSUB_CASES)):
        for name in cases:
            check_case(role, name)
    for role in ("rep", "req"):
        for name in REQREP_CASES:
            check_case(role, name)
    with pytest.raises(PeerError) as caught:
        check_case("req", "big")
    assert caught.value.code == ExitCode.UNSUPPORTED
    assert caught.value.reason == 'case "big" is not implemented by this peer'


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("sub", "array"),
        ("pub", "hello"),
        ("pub", "large"),
        ("sub", "heartbeat"),
        ("req", "topics"),
        ("rep", "fancyhw"),
        ("req", "burst"),
        ("rep", "mismatch"),
        ("pub", "Fancyhw"),
    ],
)
def test_a_case_of_another_pattern_is_not_played(role, name):
    with pytest.raises(PeerError) as caught:
        check_case(role, name)
    assert caught.value.code == ExitCode.UNSUPPORTED
    assert caught.value.reason == f'case "{name}" is not implemented by this peer'


@pytest.mark.parametrize("role", ["thr-push", "thr-pull", "lat-req", "lat-rep"])
def test_the_benchmark_roles_ignore_the_case(role):
    check_case(role, "nope")


def test_the_frames_line_is_every_frame_in_lowercase_hex():
    line = frames_line(2, [b"ab", b"", b"\xff\x00", memoryview(b"\x0a\xbc")])
    assert line == {"seq": 2, "frames": ["6162", "", "ff00", "0abc"]}
    assert json.dumps(line, separators=(",", ":")) == '{"seq":2,"frames":["6162","","ff00","0abc"]}'
    assert frames_line(0, [b""]) == {"seq": 0, "frames": [""]}


def test_the_large_reply_and_paused_lines():
    assert json.dumps(large_reply_line(0, 67108864, True), separators=(",", ":")) == (
        '{"seq":0,"reply_bytes":67108864,"matches":true}'
    )
    assert large_reply_line(1, 7, False) == {"seq": 1, "reply_bytes": 7, "matches": False}
    assert json.dumps(PAUSED, separators=(",", ":")) == '{"event":"paused"}'


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("", '""'),
        ("plain name-1.0", '"plain name-1.0"'),
        ('a"b', '"a\\"b"'),
        ("a\\b", '"a\\\\b"'),
        ("it's", '"it\'s"'),
        ("\t\r\n\0", '"\\t\\r\\n\\0"'),
        ("\x01\x1b\x7f", '"\\u{1}\\u{1b}\\u{7f}"'),
        ("caf\u00e9", '"caf\u00e9"'),
        ("e\u0301", '"e\\u{301}"'),
        ("\u00a0\u200b\ud800", '"\\u{a0}\\u{200b}\\u{d800}"'),
    ],
)
def test_rust_debug_quotes_as_rusts_debug_format_does(text, shown):
    assert rust_debug(text) == shown


def test_main_reports_an_unknown_case_as_exit_4_before_any_socket(capsys):
    assert main(["rep", "--endpoint", TCP, "--case", 'x"y']) == 4
    out, err = capsys.readouterr()
    assert out == ""
    assert err == 'error: case "x\\"y" is not implemented by this peer\n'


def test_main_reports_a_usage_error_before_an_unknown_case(capsys):
    assert main(["sub", "--endpoint", TCP, "--case", "nope", "--count", "0"]) == 2
    assert capsys.readouterr().err == "error: --count 0 is out of range 1..=2147483647\n"


def test_a_multipart_message_is_exit_5_with_the_contracts_reason():
    error = multipart(3)
    assert (error.code, error.reason) == (
        ExitCode.MALFORMED,
        "malformed message: 3 frames, expected 1",
    )
