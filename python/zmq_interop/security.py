"""The contract's security options (--security and its material): validated, and the files
read, before any socket exists. Secrets come in files (command lines appear in reports). No zmq
here: the keys' Z85 is checked by a small decoder of the contract's own (RFC 32)."""

from typing import List, NamedTuple, NoReturn, Optional, Tuple

from .contract import ExitCode, PeerError

MECHANISMS = ("null", "plain", "curve")
Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
PLAIN_MAX_BYTES = 255


class Security(NamedTuple):
    """What this side does: the binder is the server (with the ZAP handler), the connector the
    client. Secrets are never printed."""

    mechanism: str = "null"
    server: bool = False
    user: Optional[str] = None  # PLAIN client
    password: Optional[str] = None  # PLAIN client
    public_key: Optional[str] = None  # CURVE, this side's pair (Z85)
    secret_key: Optional[str] = None
    server_key: Optional[str] = None  # CURVE client
    allow_plain: Tuple[Tuple[str, str], ...] = ()  # PLAIN server: (user, password)
    allow_curve: Tuple[bytes, ...] = ()  # CURVE server: client public keys, 32 bytes each


def _usage(message: str) -> NoReturn:
    raise PeerError(ExitCode.USAGE, message)


def z85_decode(text: str) -> Optional[bytes]:
    """RFC 32's decoding, or None for text that is not Z85."""
    if len(text) % 5:
        return None
    out = bytearray()
    for start in range(0, len(text), 5):
        value = 0
        for c in text[start : start + 5]:
            digit = Z85.find(c)
            if digit < 0:
                return None
            value = value * 85 + digit
        if value >= 2**32:
            return None
        out += value.to_bytes(4, "big")
    return bytes(out)


def z85_encode(data: bytes) -> str:
    """RFC 32's encoding of a multiple of 4 bytes."""
    chars = []
    for start in range(0, len(data), 4):
        value = int.from_bytes(data[start : start + 4], "big")
        group = []
        for _ in range(5):
            group.append(Z85[value % 85])
            value //= 85
        chars.extend(reversed(group))
    return "".join(chars)


def _key(option: str, text: str) -> bytes:
    if len(text) != 40:
        _usage(f"{option}: a Z85 key is 40 characters, not {len(text)}")
    key = z85_decode(text)
    if key is None:
        _usage(f"{option}: not a Z85 key")
    return key


def _plain(option: str, user: str, password: str) -> None:
    if not 0 < len(user) <= PLAIN_MAX_BYTES or not all(0x21 <= ord(c) <= 0x7E for c in user):
        _usage(f"{option}: a user name is 1..=255 bytes of printable ASCII without space")
    if not 0 < len(password) <= PLAIN_MAX_BYTES or not all(
        0x20 <= ord(c) <= 0x7E for c in password
    ):
        _usage(f"{option}: a password is 1..=255 bytes of printable ASCII")


def _lines(option: str, path: str) -> List[str]:
    try:
        with open(path, "rb") as f:
            text = f.read().decode("ascii", "replace")
    except OSError as e:
        _usage(f"{option} {path}: {e.strerror}")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        _usage(f"{option} {path}: the file is empty")
    return lines


def read(args, server: bool) -> Security:
    """The security of a run, from its parsed options; a usage error names the option."""
    mechanism = args.security

    def need(option: str, value: object) -> None:
        if value is None:
            side = "the binder (server)" if server else "the connector (client)"
            _usage(f"--security {mechanism} needs {option} on {side}")

    def unused(option: str, value: object) -> None:
        if value is not None:
            _usage(f"{option} does not apply to --security {mechanism}")

    if args.curve_server_key is not None:
        _key("--curve-server-key", args.curve_server_key)
    if mechanism == "null":
        for option in ("--plain-user", "--plain-password-file", "--curve-keys-file"):
            unused(option, getattr(args, option[2:].replace("-", "_")))
        unused("--curve-server-key", args.curve_server_key)
        unused("--zap-allow-file", args.zap_allow_file)
        return Security()
    if mechanism == "plain":
        unused("--curve-keys-file", args.curve_keys_file)
        unused("--curve-server-key", args.curve_server_key)
        if server:
            need("--zap-allow-file", args.zap_allow_file)
            allow = []
            for line in _lines("--zap-allow-file", args.zap_allow_file):
                user, space, password = line.partition(" ")
                if not space:
                    _usage("--zap-allow-file: a PLAIN line is `USER PASSWORD`")
                _plain("--zap-allow-file", user, password)
                allow.append((user, password))
            return Security("plain", True, allow_plain=tuple(allow))
        need("--plain-user", args.plain_user)
        need("--plain-password-file", args.plain_password_file)
        lines = _lines("--plain-password-file", args.plain_password_file)
        if len(lines) != 1:
            _usage("--plain-password-file: one line, the password")
        _plain("--plain-user", args.plain_user, lines[0])
        return Security("plain", False, user=args.plain_user, password=lines[0])
    unused("--plain-user", args.plain_user)
    unused("--plain-password-file", args.plain_password_file)
    need("--curve-keys-file", args.curve_keys_file)
    lines = _lines("--curve-keys-file", args.curve_keys_file)
    if len(lines) != 2:
        _usage("--curve-keys-file: two lines, the public key then the secret key (Z85)")
    for line in lines:
        _key("--curve-keys-file", line)
    public, secret = lines
    if server:
        unused("--curve-server-key", args.curve_server_key)
        need("--zap-allow-file", args.zap_allow_file)
        keys = _lines("--zap-allow-file", args.zap_allow_file)
        allow = tuple(_key("--zap-allow-file", k) for k in keys)
        return Security("curve", True, public_key=public, secret_key=secret, allow_curve=allow)
    unused("--zap-allow-file", args.zap_allow_file)
    need("--curve-server-key", args.curve_server_key)
    return Security(
        "curve", False, public_key=public, secret_key=secret, server_key=args.curve_server_key
    )
