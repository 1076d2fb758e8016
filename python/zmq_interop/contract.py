"""The peer contract (docs/peer-contract.md) in one place: exit codes, options, output lines."""

import argparse
import enum
import json
import os
import sys
import unicodedata
from typing import Any, Dict, Iterable, List, NamedTuple, NoReturn, Optional, Union

ROLES = ("pub", "sub", "rep", "req", "thr-push", "thr-pull", "lat-req", "lat-rep")
# Roles whose last act is sending: they linger (up to the timeout) for it to leave.
SENDS_LAST = ("pub", "rep", "thr-push", "lat-rep")
BINDS_BY_DEFAULT = ("pub", "rep", "thr-pull", "lat-rep")

# The contract's cases ("Cases"), in its report order (crates/contract's Case::ALL).
ALL_CASES = (
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
# The cases each role plays here; any other --case is exit 4 (check_case), not a usage error.
# The benchmark roles play none: they ignore --case, as a role ignores options not its own.
PUBSUB_CASES = ("fancyhw", "burst", "multipart", "empty", "topics", "reconnect")
REQREP_CASES = ("array", "hello", "large", "multipart", "empty", "reconnect", "heartbeat")
ROLE_CASES = {"pub": PUBSUB_CASES, "sub": PUBSUB_CASES, "rep": REQREP_CASES, "req": REQREP_CASES}
# The cases whose receivers print frames lines and so take multipart messages as data.
FRAMES_CASES = ("multipart", "empty")

# The contract's integer ranges (the `range` column of its options table), one place: the same
# in every language, whatever Python's integers could hold. Out of range is a usage error.
RANGES = {
    "--seed": (0, 4294967295),
    "--count": (1, 2147483647),
    "--packet-size": (1, 1048576),
    "--len": (1, 33554432),
    "--interval-ms": (0, 3600000),
    "--timeout-ms": (1, 3600000),
    "--size": (1, 268435456),
    "--hwm": (0, 2147483647),
    "--pause-after": (1, 2147483647),
    "--heartbeat-ivl-ms": (1, 60000),
    "--silence-ms": (0, 3600000),
}
# --topic (also non-empty) and --subscribe, in bytes.
TOPIC_BYTES = 255


class ExitCode(enum.IntEnum):
    """The exit-code table every peer shares."""

    OK = 0
    MISMATCH = 1
    USAGE = 2
    TIMEOUT = 3
    UNSUPPORTED = 4
    MALFORMED = 5
    ERROR = 6


class PeerError(Exception):
    """Ends the peer: `error: <reason>` on stderr, then exit with `code`."""

    def __init__(self, code: ExitCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def multipart(frames: int) -> PeerError:
    """Exit 5 for a multipart message where the contract expects one frame ("Unexpected
    messages" in the contract)."""
    return PeerError(ExitCode.MALFORMED, f"malformed message: {frames} frames, expected 1")


# How Rust's `{:?}` escapes a str's characters (the Rust peers word their reasons with it).
_RUST_ESCAPES = {"\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", '"': '\\"', "\\": "\\\\"}


def rust_debug(text: str) -> str:
    """`text` in double quotes as Rust's `{:?}` writes a str: \\0 \\t \\r \\n \\" \\\\ escaped;
    combining marks and what is not printable (control, format, separator, private, unassigned
    and surrogate characters, as str.isprintable() judges too) as \\u{hex}; the rest as it is."""
    shown = []
    for c in text:
        if c in _RUST_ESCAPES:
            shown.append(_RUST_ESCAPES[c])
        elif not c.isprintable() or unicodedata.category(c) in ("Mn", "Me"):
            shown.append(f"\\u{{{ord(c):x}}}")
        else:
            shown.append(c)
    return '"' + "".join(shown) + '"'


def default_case(role: str) -> str:
    """The case a role plays without --case: fancyhw for pub and sub, array otherwise."""
    return "fancyhw" if role in ("pub", "sub") else "array"


def check_case(role: str, name: str) -> None:
    """Exit 4 for a case this role does not play here (a made-up name, or another pattern's
    case): an answer a peer may not have yet, not a usage error. main() asks before any socket
    exists; the benchmark roles play no case and ignore --case."""
    cases = ROLE_CASES.get(role)
    if cases is not None and name not in cases:
        raise PeerError(
            ExitCode.UNSUPPORTED, f"case {rust_debug(name)} is not implemented by this peer"
        )


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one `error:` line and exit 2, never a usage dump: it
    raises PeerError(USAGE), which main() reports like every other failure."""

    def error(self, message: str) -> NoReturn:
        raise PeerError(ExitCode.USAGE, message)


def _integer(text: str) -> int:
    """One of the contract's integers: an optional leading + or -, then ASCII digits only (no
    `1_000`, no spaces), as the Rust and C peers read one. Its range is checked in parse()."""
    digits = text[1:] if text[:1] in ("-", "+") else text
    if not digits or not all("0" <= c <= "9" for c in digits):
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer")
    return int(text)


def _parser() -> _Parser:
    # allow_abbrev=False: `--top` is an unknown option, as it is for the Rust and C peers.
    p = _Parser(
        prog="peer.py",
        description="A zmq-interop peer (docs/peer-contract.md)",
        allow_abbrev=False,
    )
    p.add_argument("role", nargs="?", choices=ROLES)
    p.add_argument("--info", action="store_true")
    p.add_argument("--endpoint")
    side = p.add_mutually_exclusive_group()
    side.add_argument("--bind", action="store_true")
    side.add_argument("--connect", action="store_true")
    p.add_argument("--topic", default="fancyhw_data")
    p.add_argument("--subscribe")
    p.add_argument("--seed", type=_integer, default=12345)
    p.add_argument("--count", type=_integer, default=10)
    p.add_argument("--packet-size", type=_integer, default=16)
    p.add_argument("--len", type=_integer, default=131072)
    p.add_argument("--case")  # any name: see check_case
    p.add_argument("--sync", action="store_true")
    p.add_argument("--interval-ms", type=_integer, default=0)
    p.add_argument("--timeout-ms", type=_integer, default=10000)
    p.add_argument("--report-sent", action="store_true")
    p.add_argument("--raw-hex")
    p.add_argument("--corrupt-index", type=_integer)
    p.add_argument("--raw-reply-hex")
    p.add_argument("--size", type=_integer, default=16)
    p.add_argument("--hwm", type=_integer, default=0)
    p.add_argument("--pause-after", type=_integer)
    p.add_argument("--heartbeat-ivl-ms", type=_integer, default=100)
    p.add_argument("--silence-ms", type=_integer, default=1500)
    p.add_argument("--exit-with-stdin", action="store_true")
    p.add_argument("--security", choices=("null", "plain", "curve"), default="null")
    p.add_argument("--plain-user")
    p.add_argument("--plain-password-file")
    p.add_argument("--curve-keys-file")
    p.add_argument("--curve-server-key")
    p.add_argument("--zap-allow-file")
    return p


class Run(NamedTuple):
    """A role to play, validated (immutable, compared field by field)."""

    role: str
    endpoint: str
    transport: str
    bind: bool
    topic: str
    subscription: str
    seed: int
    count: int
    packet_size: int
    length: int
    case: str
    sync: bool
    interval_ms: int
    timeout_ms: int
    report_sent: bool
    raw_message: Optional[bytes]
    corrupt_index: Optional[int]
    raw_reply: Optional[bytes]
    size: int
    hwm: int
    pause_after: Optional[int]
    heartbeat_ivl_ms: int
    silence_ms: int
    exit_with_stdin: bool
    security: Any  # security.Security: the mechanism and its material, files read


def _usage(message: str) -> NoReturn:
    raise PeerError(ExitCode.USAGE, message)


def _hex(option: str, text: Optional[str]) -> Optional[bytes]:
    if text is None:
        return None
    if len(text) % 2:
        _usage(f"{option}: hex string has odd length {len(text)}")
    try:
        return bytes.fromhex(text)
    except ValueError:
        _usage(f"{option}: {text!r} is not a hex string")


def check_topic(topic: str) -> None:
    """A topic is printable ASCII, non-empty, without a space."""
    if not topic:
        _usage("--topic: topic is empty")
    if " " in topic:
        _usage(f"--topic: topic {topic!r} contains a space, which separates topic from samples")
    if not all(0x21 <= ord(c) <= 0x7E for c in topic):
        _usage(f"--topic: topic {topic!r} is not printable ASCII")


def parse(argv: List[str]) -> Optional[Run]:
    """The validated run, or None for `--info`. Raises PeerError(USAGE) for anything refused."""
    args = _parser().parse_args(argv)
    if args.info:
        return None
    if args.role is None:
        _usage(f"a role is required ({', '.join(ROLES)}), or --info")
    if args.endpoint is None:
        _usage("--endpoint is required")
    if args.endpoint.startswith("tcp://"):
        transport = "tcp"
    elif args.endpoint.startswith("ipc://") and len(args.endpoint) > len("ipc://"):
        transport = "ipc"
    else:
        _usage(f"endpoint {args.endpoint!r} is neither tcp://HOST:PORT nor ipc://PATH")
    check_topic(args.topic)
    for option, value in (("--topic", args.topic), ("--subscribe", args.subscribe)):
        # The bytes the socket is given: os.fsencode, as pubsub subscribes.
        if value is not None and len(os.fsencode(value)) > TOPIC_BYTES:
            _usage(f"{option}: {len(os.fsencode(value))} bytes is longer than {TOPIC_BYTES}")
    for option, (low, high) in RANGES.items():
        value = getattr(args, option[2:].replace("-", "_"))
        if value is not None and not low <= value <= high:
            _usage(f"{option} {value} is out of range {low}..={high}")
    if args.corrupt_index is not None and not 0 <= args.corrupt_index < args.len:
        _usage(
            f"--corrupt-index {args.corrupt_index} is past the end of an array of {args.len} values"
        )
    if args.pause_after is not None and args.exit_with_stdin:
        _usage("--pause-after and --exit-with-stdin both read stdin: give one or the other")
    bind = args.bind or (not args.connect and args.role in BINDS_BY_DEFAULT)
    from .security import read as read_security  # noqa: PLC0415 - it imports this module

    security = read_security(args, bind)
    return Run(
        role=args.role,
        endpoint=args.endpoint,
        transport=transport,
        bind=bind,
        topic=args.topic,
        subscription=args.topic if args.subscribe is None else args.subscribe,
        seed=args.seed,
        count=args.count,
        packet_size=args.packet_size,
        length=args.len,
        case=default_case(args.role) if args.case is None else args.case,
        sync=args.sync,
        interval_ms=args.interval_ms,
        timeout_ms=args.timeout_ms,
        report_sent=args.report_sent,
        raw_message=_hex("--raw-hex", args.raw_hex),
        corrupt_index=args.corrupt_index,
        raw_reply=_hex("--raw-reply-hex", args.raw_reply_hex),
        size=args.size,
        hwm=args.hwm,
        pause_after=args.pause_after,
        heartbeat_ivl_ms=args.heartbeat_ivl_ms,
        silence_ms=args.silence_ms,
        exit_with_stdin=args.exit_with_stdin,
        security=security,
    )


def error_line(reason: str) -> None:
    """The one `error: <reason>` line on stderr that the harness quotes for a failure."""
    sys.stderr.write(f"error: {reason}\n")
    sys.stderr.flush()


def emit(line: Dict[str, Any]) -> None:
    """One JSON line on stdout, flushed at once so the harness sees it."""
    sys.stdout.write(json.dumps(line, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def ready(endpoint: str) -> None:
    """The first line: the socket is up, at this (resolved) endpoint."""
    emit({"event": "ready", "endpoint": endpoint})


def frames_line(seq: int, frames: Iterable[Union[bytes, memoryview]]) -> Dict[str, Any]:
    """The frames line of a received message (cases multipart and empty): every frame in
    lowercase hex, an empty one as ""."""
    return {"seq": seq, "frames": [frame.hex() for frame in frames]}


def large_reply_line(seq: int, reply_bytes: int, matches: bool) -> Dict[str, Any]:
    """A requester's record of a reply in case large: its size, and whether it is the array
    the requester sent."""
    return {"seq": seq, "reply_bytes": reply_bytes, "matches": matches}


PAUSED = {"event": "paused"}


def reply_line(seq: int, reply: bytes) -> Dict[str, Any]:
    """A requester's record of a reply: text when printable ASCII, else hex."""
    if all(0x20 <= b <= 0x7E for b in reply):
        return {"seq": seq, "reply": reply.decode("ascii")}
    return {"seq": seq, "reply_hex": reply.hex()}
