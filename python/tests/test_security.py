"""The security options: Z85 against RFC 32's vector, and usage errors that name the option."""

import pytest

from zmq_interop.contract import ExitCode, PeerError, parse
from zmq_interop.security import z85_decode, z85_encode

KEY = z85_encode(bytes(range(32)))


def test_z85_matches_rfc_32():
    vector = bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
    assert z85_encode(vector) == "HelloWorld"
    assert z85_decode("HelloWorld") == vector
    assert z85_decode('Hello"orld') is None


def usage(argv):
    with pytest.raises(PeerError) as caught:
        parse(argv)
    assert caught.value.code == ExitCode.USAGE
    return caught.value.reason


def test_a_curve_client_reads_its_pair_and_checks_the_server_key(tmp_path):
    pair = tmp_path / "pair"
    pair.write_text(f"{KEY}\n{KEY}\n")
    base = ["req", "--endpoint", "tcp://127.0.0.1:5", "--security", "curve"]
    run = parse([*base, "--curve-keys-file", str(pair), "--curve-server-key", KEY])
    assert run.security.mechanism == "curve"
    assert not run.security.server
    bad = usage([*base, "--curve-keys-file", str(pair), "--curve-server-key", KEY[:39]])
    assert bad == "--curve-server-key: a Z85 key is 40 characters, not 39"
    missing = usage([*base, "--curve-keys-file", str(pair)])
    assert "needs --curve-server-key" in missing


def test_a_plain_server_needs_its_allow_list_and_never_shows_a_password(tmp_path):
    base = ["rep", "--endpoint", "tcp://127.0.0.1:*", "--security", "plain"]
    assert "needs --zap-allow-file on the binder" in usage(base)
    allow = tmp_path / "allow"
    allow.write_text("interop s3cret\n")
    run = parse([*base, "--zap-allow-file", str(allow)])
    assert run.security.allow_plain == (("interop", "s3cret"),)
    allow.write_text("no-password-here\n")
    assert "s3cret" not in usage([*base, "--zap-allow-file", str(allow)])
