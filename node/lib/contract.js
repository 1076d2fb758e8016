// contract.js: the peer contract (docs/peer-contract.md) in one place for the JavaScript peer:
// exit codes, the options with their exact ranges, and the output lines.
//
// Parsing needs nothing but Node itself: a usage error is reported before zeromq is loaded,
// and so before any socket can exist.
"use strict";

const { writeErr, writeOut } = require("./stdio");

const ROLES = ["pub", "sub", "rep", "req", "thr-push", "thr-pull", "lat-req", "lat-rep"];
// Roles whose last act is sending: they linger (up to the timeout) for it to leave.
const SENDS_LAST = new Set(["pub", "rep", "thr-push", "lat-rep"]);
const BINDS_BY_DEFAULT = new Set(["pub", "rep", "thr-pull", "lat-rep"]);
// The cases this peer plays ("Cases"), per pattern, in the contract's report order; any other
// name (or one of the other pattern's) is exit 4, not a usage error.
const PUBSUB_CASES = ["fancyhw", "burst", "multipart", "empty", "topics", "reconnect"];
const REQREP_CASES = ["array", "hello", "large", "multipart", "empty", "reconnect", "heartbeat"];
// The union, for --info, in the order of the Rust contract's Case::ALL.
const CASES = [...new Set([...PUBSUB_CASES, ...REQREP_CASES])];
// The roles that play a case, with the cases each plays and its default; the benchmark roles
// ignore --case, as a role ignores every option that does not apply to it.
const CASES_OF = Object.freeze({
  pub: PUBSUB_CASES,
  sub: PUBSUB_CASES,
  rep: REQREP_CASES,
  req: REQREP_CASES,
});
const DEFAULT_CASE = Object.freeze({ pub: "fancyhw", sub: "fancyhw", rep: "array", req: "array" });
// The cases that print frames lines and so take a multipart message as data.
const FRAMES_CASES = new Set(["multipart", "empty"]);
// The line a peer ends with when the harness closes its stdin (crates/contract/src/stdin.rs).
const STDIN_CLOSED = "stdin closed: the harness is gone";

/** The exit-code table every peer shares. */
const ExitCode = Object.freeze({
  OK: 0,
  MISMATCH: 1,
  USAGE: 2,
  TIMEOUT: 3,
  UNSUPPORTED: 4,
  MALFORMED: 5,
  ERROR: 6,
});

/** Ends the peer: `error: <reason>` on stderr, then exit with `code`. */
class PeerError extends Error {
  constructor(code, reason) {
    super(reason);
    this.code = code;
    this.reason = reason;
  }
}

function usage(reason) {
  return new PeerError(ExitCode.USAGE, reason);
}

// The contract's integer ranges (the `range` column), inclusive, as BigInt so that a value of
// any length is compared exactly before it becomes a Number.
const RANGES = Object.freeze({
  "--seed": [0n, 4294967295n],
  "--count": [1n, 2147483647n],
  "--packet-size": [1n, 1048576n],
  "--len": [1n, 33554432n],
  "--interval-ms": [0n, 3600000n],
  "--timeout-ms": [1n, 3600000n],
  "--size": [1n, 268435456n],
  "--hwm": [0n, 2147483647n],
  // The real bound is --len - 1, checked once --len is known; this keeps the number small.
  "--corrupt-index": [0n, 33554431n],
  "--pause-after": [1n, 2147483647n],
  "--heartbeat-ivl-ms": [1n, 60000n],
  "--silence-ms": [0n, 3600000n],
});
// --topic and --subscribe, in bytes (the topic must also be non-empty).
const TOPIC_BYTES = 255;

const DEFAULTS = Object.freeze({
  "--topic": "fancyhw_data",
  "--seed": "12345",
  "--count": "10",
  "--packet-size": "16",
  "--len": "131072",
  "--interval-ms": "0",
  "--timeout-ms": "10000",
  "--size": "16",
  "--hwm": "0",
  "--heartbeat-ivl-ms": "100",
  "--silence-ms": "1500",
});
const VALUED = new Set([
  "--endpoint",
  "--topic",
  "--subscribe",
  "--seed",
  "--count",
  "--packet-size",
  "--len",
  "--case",
  "--interval-ms",
  "--timeout-ms",
  "--raw-hex",
  "--corrupt-index",
  "--raw-reply-hex",
  "--size",
  "--hwm",
  "--pause-after",
  "--heartbeat-ivl-ms",
  "--silence-ms",
  "--security",
  "--plain-user",
  "--plain-password-file",
  "--curve-keys-file",
  "--curve-server-key",
  "--zap-allow-file",
]);
// The contract's security mechanisms (--security).
const MECHANISMS = ["null", "plain", "curve"];
const FLAGS = new Set(["--info", "--bind", "--connect", "--sync", "--report-sent", "--exit-with-stdin"]);

/** A decimal integer inside the option's range: optional sign, ASCII digits, nothing else. */
function integer(option, text) {
  const [low, high] = RANGES[option];
  if (!/^[+-]?[0-9]+$/.test(text)) {
    throw usage(`invalid value '${text}' for ${option}: ${JSON.stringify(text)} is not an integer in ${low}..=${high}`);
  }
  const value = BigInt(text);
  if (value < low || value > high) {
    throw usage(`invalid value '${text}' for ${option}: ${value} is out of range ${low}..=${high}`);
  }
  return Number(value);
}

/** Bytes given in hex (even length, may be empty). */
function hexBytes(option, text) {
  if (text.length % 2 !== 0) {
    throw usage(`${option}: hex string has odd length ${text.length}`);
  }
  const bad = text.search(/[^0-9a-fA-F]/);
  if (bad >= 0) {
    throw usage(`${option}: '${text[bad]}' at offset ${bad} is not a hex digit`);
  }
  return Buffer.from(text, "hex");
}

/** A topic is printable ASCII, non-empty, without a space, at most 255 bytes. */
function checkTopic(topic) {
  if (topic.length === 0) {
    throw usage("--topic: topic is empty");
  }
  for (let offset = 0; offset < topic.length; offset++) {
    const code = topic.charCodeAt(offset);
    if (code === 0x20) {
      throw usage(`--topic: topic ${JSON.stringify(topic)} contains a space, which separates topic from samples`);
    }
    if (code < 0x21 || code > 0x7e) {
      throw usage(`--topic: topic ${JSON.stringify(topic)} is not printable ASCII`);
    }
  }
  if (topic.length > TOPIC_BYTES) {
    throw usage(`--topic: ${topic.length} bytes is longer than ${TOPIC_BYTES}`);
  }
}

/** Reads argv into option name -> value (flags: true); the last of a repeated option wins. */
function scan(argv) {
  const given = new Map();
  let role = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      if (role !== null) {
        throw usage(`unexpected argument '${arg}'`);
      }
      if (!ROLES.includes(arg)) {
        throw usage(`invalid role '${arg}': expected ${ROLES.slice(0, -1).join(", ")} or ${ROLES.at(-1)}`);
      }
      role = arg;
      continue;
    }
    const equals = arg.indexOf("=");
    const name = equals < 0 ? arg : arg.slice(0, equals);
    if (FLAGS.has(name)) {
      if (equals >= 0) {
        throw usage(`${name} takes no value`);
      }
      given.set(name, true);
    } else if (VALUED.has(name)) {
      let value;
      if (equals >= 0) {
        value = arg.slice(equals + 1);
      } else if (i + 1 < argv.length) {
        value = argv[++i];
      } else {
        throw usage(`a value is required for '${name}'`);
      }
      given.set(name, value);
    } else {
      throw usage(`unexpected argument '${arg}'`);
    }
  }
  return { role, given };
}

function transportOf(endpoint) {
  if (endpoint.startsWith("tcp://")) {
    return "tcp";
  }
  if (endpoint.startsWith("ipc://") && endpoint.length > "ipc://".length) {
    return "ipc";
  }
  throw usage(`endpoint ${JSON.stringify(endpoint)} is neither tcp://HOST:PORT nor ipc://PATH`);
}

/**
 * The validated run, or null for `--info`. Throws PeerError(USAGE) for anything refused.
 * Every integer is checked even with --info, as the other peers' parsers do.
 */
function parse(argv) {
  const { role, given } = scan(argv);
  const option = (name) => (given.has(name) ? given.get(name) : DEFAULTS[name]);
  const numbers = {};
  for (const name of Object.keys(RANGES)) {
    const text = option(name);
    if (text !== undefined) {
      numbers[name] = integer(name, text);
    }
  }
  if (given.has("--pause-after") && given.has("--exit-with-stdin")) {
    throw usage("--pause-after and --exit-with-stdin cannot be used together: both read stdin");
  }
  if (given.has("--info")) {
    return null;
  }
  if (role === null) {
    throw usage(`a role is required (${ROLES.join(", ")}), or --info`);
  }
  if (given.has("--bind") && given.has("--connect")) {
    throw usage("--bind and --connect cannot be used together");
  }
  if (!given.has("--endpoint")) {
    throw usage("--endpoint is required");
  }
  const endpoint = given.get("--endpoint");
  const transport = transportOf(endpoint);
  const topic = option("--topic");
  checkTopic(topic);
  const subscription = given.has("--subscribe") ? given.get("--subscribe") : topic;
  const subscriptionBytes = Buffer.byteLength(subscription, "utf8");
  if (subscriptionBytes > TOPIC_BYTES) {
    throw usage(`--subscribe: ${subscriptionBytes} bytes is longer than ${TOPIC_BYTES}`);
  }
  const corruptIndex = numbers["--corrupt-index"] ?? null;
  if (corruptIndex !== null && corruptIndex >= numbers["--len"]) {
    throw usage(`--corrupt-index ${corruptIndex} is past the end of an array of ${numbers["--len"]} values`);
  }
  const mechanism = given.has("--security") ? given.get("--security") : "null";
  if (!MECHANISMS.includes(mechanism)) {
    throw usage(`invalid value '${mechanism}' for '--security <MECH>': expected null, plain or curve`);
  }
  const bind = given.has("--bind") || (!given.has("--connect") && BINDS_BY_DEFAULT.has(role));
  // Required here, not at the top: security.js is a leaf, but keeps this module's load light.
  const security = require("./security").readSecurity(given, bind, usage);
  const rawMessage = given.has("--raw-hex") ? hexBytes("--raw-hex", given.get("--raw-hex")) : null;
  const rawReply = given.has("--raw-reply-hex") ? hexBytes("--raw-reply-hex", given.get("--raw-reply-hex")) : null;
  return Object.freeze({
    role,
    endpoint,
    transport,
    bind,
    topic,
    subscription,
    seed: numbers["--seed"],
    count: numbers["--count"],
    packetSize: numbers["--packet-size"],
    length: numbers["--len"],
    caseName: given.has("--case") ? given.get("--case") : DEFAULT_CASE[role] ?? null,
    sync: given.has("--sync"),
    intervalMs: numbers["--interval-ms"],
    timeoutMs: numbers["--timeout-ms"],
    reportSent: given.has("--report-sent"),
    rawMessage,
    corruptIndex,
    rawReply,
    size: numbers["--size"],
    hwm: numbers["--hwm"],
    pauseAfter: numbers["--pause-after"] ?? null,
    heartbeatIvlMs: numbers["--heartbeat-ivl-ms"],
    silenceMs: numbers["--silence-ms"],
    exitWithStdin: given.has("--exit-with-stdin"),
    security,
    sendsLast: SENDS_LAST.has(role),
  });
}

// How Rust's `{:?}` escapes a str's characters: the Rust peers word their reasons with it, and
// the exit-4 reason must read the same in every language.
const RUST_ESCAPES = { "\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", '"': '\\"', "\\": "\\\\" };
// Not printable (control, format, surrogate, private, unassigned, separators other than the
// ASCII space), or a combining mark: shown as \u{hex}, as Rust (and the Python peer) do.
const RUST_HIDDEN = /^(?:[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Mn}\p{Me}]|(?! )\p{Zs})$/u;

/** `text` in double quotes, as Rust's `{:?}` writes a str. */
function rustDebug(text) {
  let shown = "";
  for (const c of text) {
    if (Object.hasOwn(RUST_ESCAPES, c)) {
      shown += RUST_ESCAPES[c];
    } else if (RUST_HIDDEN.test(c)) {
      shown += `\\u{${c.codePointAt(0).toString(16)}}`;
    } else {
      shown += c;
    }
  }
  return `"${shown}"`;
}

/**
 * Exit 4 for a --case this role does not play (an unknown name, or a case of the other
 * pattern), before any socket. The benchmark roles ignore --case.
 */
function checkCase(run) {
  const cases = CASES_OF[run.role];
  if (cases !== undefined && !cases.includes(run.caseName)) {
    throw new PeerError(ExitCode.UNSUPPORTED, `case ${rustDebug(run.caseName)} is not implemented by this peer`);
  }
}

/** Whether the case prints frames lines (and so takes multipart messages as data). */
function printsFrames(caseName) {
  return FRAMES_CASES.has(caseName);
}

/** Exit 5 for a multipart message where one frame is expected ("Unexpected messages"). */
function multipart(frames) {
  return new PeerError(ExitCode.MALFORMED, `malformed message: ${frames} frames, expected 1`);
}

/** Exit 3: gave up waiting for something. */
function timedOut(run, waitingFor) {
  return new PeerError(ExitCode.TIMEOUT, `timed out after ${run.timeoutMs} ms waiting for ${waitingFor}`);
}

/** The one `error: <reason>` line on stderr the harness quotes; a newline cannot split it. */
function errorLine(reason) {
  writeErr(`error: ${String(reason).replace(/[\r\n]+/g, " ")}`);
}

/** One JSON line on stdout, written through before this returns. */
function emit(line) {
  writeOut(JSON.stringify(line));
}

/** The first line: the socket is up, at this (resolved) endpoint. */
function ready(endpoint) {
  emit({ event: "ready", endpoint });
}

/** A received message, every frame in lowercase hex (an empty frame is ""). */
function framesLine(seq, frames) {
  return { seq, frames: frames.map((frame) => frame.toString("hex")) };
}

/**
 * Case topics: how many messages the subscriber expects in each half, from --count alone:
 * the first half's i < count with i mod 3 != 2, the second's count <= i < 2 count with
 * i mod 3 == 0.
 */
function topicsCounts(count) {
  // Multiples of 3 in 0..n-1: ceil(n / 3).
  const multiplesBelow = (n) => Math.floor((n + 2) / 3);
  return {
    // i < count with i mod 3 != 2: every i but 2, 5, 8, ... (floor(count / 3) of them).
    first: count - Math.floor(count / 3),
    // count <= i < 2 count with i mod 3 == 0.
    second: multiplesBelow(2 * count) - multiplesBelow(count),
  };
}

/** A requester's record of a reply: text when printable ASCII, else hex. */
function replyLine(seq, reply) {
  for (const byte of reply) {
    if (byte < 0x20 || byte > 0x7e) {
      return { seq, reply_hex: reply.toString("hex") };
    }
  }
  return { seq, reply: reply.toString("latin1") };
}

module.exports = {
  CASES,
  CASES_OF,
  ExitCode,
  PeerError,
  RANGES,
  ROLES,
  STDIN_CLOSED,
  TOPIC_BYTES,
  checkCase,
  emit,
  errorLine,
  framesLine,
  multipart,
  parse,
  printsFrames,
  ready,
  replyLine,
  rustDebug,
  timedOut,
  topicsCounts,
};
