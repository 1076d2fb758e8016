// contract.test.js: the options (defaults, every range's bounds, integer syntax, topics, hex,
// sides), the exit-4 answer for an unknown case, the output lines, and floats as Python writes
// them.
"use strict";

const assert = require("node:assert/strict");
const { test } = require("node:test");
const {
  CASES,
  CASES_OF,
  ExitCode,
  PeerError,
  RANGES,
  checkCase,
  framesLine,
  parse,
  printsFrames,
  replyLine,
  rustDebug,
  topicsCounts,
} = require("../lib/contract");
const { floatRepr, judge } = require("../lib/judge");

const EP = ["--endpoint", "tcp://127.0.0.1:5555"];

/** The usage error's reason for these arguments (the test fails if there is none). */
function refused(argv) {
  try {
    parse(argv);
  } catch (e) {
    assert.ok(e instanceof PeerError, String(e));
    assert.equal(e.code, ExitCode.USAGE);
    assert.ok(!e.reason.includes("\n"));
    return e.reason;
  }
  assert.fail(`accepted: ${argv.join(" ")}`);
}

test("defaults are the contract's", () => {
  const run = parse(["sub", ...EP]);
  assert.equal(run.topic, "fancyhw_data");
  assert.equal(run.subscription, "fancyhw_data");
  assert.equal(run.seed, 12345);
  assert.equal(run.count, 10);
  assert.equal(run.packetSize, 16);
  assert.equal(run.length, 131072);
  assert.equal(run.caseName, "fancyhw");
  assert.equal(parse(["pub", ...EP]).caseName, "fancyhw");
  assert.equal(parse(["req", ...EP]).caseName, "array");
  assert.equal(parse(["rep", ...EP]).caseName, "array");
  assert.equal(parse(["thr-push", ...EP]).caseName, null);
  assert.equal(run.intervalMs, 0);
  assert.equal(run.timeoutMs, 10000);
  assert.equal(run.size, 16);
  assert.equal(run.hwm, 0);
  assert.equal(run.rawMessage, null);
  assert.equal(run.rawReply, null);
  assert.equal(run.corruptIndex, null);
  assert.equal(run.sync, false);
  assert.equal(run.reportSent, false);
  assert.equal(run.pauseAfter, null);
  assert.equal(run.heartbeatIvlMs, 100);
  assert.equal(run.silenceMs, 1500);
  assert.equal(run.exitWithStdin, false);
});

test("pub, rep, thr-pull and lat-rep bind by default; --bind and --connect override", () => {
  for (const role of ["pub", "rep", "thr-pull", "lat-rep"]) {
    assert.equal(parse([role, ...EP]).bind, true, role);
    assert.equal(parse([role, ...EP, "--connect"]).bind, false, role);
  }
  for (const role of ["sub", "req", "thr-push", "lat-req"]) {
    assert.equal(parse([role, ...EP]).bind, false, role);
    assert.equal(parse([role, ...EP, "--bind"]).bind, true, role);
  }
  assert.match(refused(["sub", ...EP, "--bind", "--connect"]), /cannot be used together/);
});

test("senders linger, receivers do not", () => {
  for (const role of ["pub", "rep", "thr-push", "lat-rep"]) {
    assert.equal(parse([role, ...EP]).sendsLast, true, role);
  }
  for (const role of ["sub", "req", "thr-pull", "lat-req"]) {
    assert.equal(parse([role, ...EP]).sendsLast, false, role);
  }
});

test("every integer option accepts its range's bounds and refuses one past each", () => {
  const field = {
    "--seed": "seed",
    "--count": "count",
    "--packet-size": "packetSize",
    "--len": "length",
    "--interval-ms": "intervalMs",
    "--timeout-ms": "timeoutMs",
    "--size": "size",
    "--hwm": "hwm",
    "--pause-after": "pauseAfter",
    "--heartbeat-ivl-ms": "heartbeatIvlMs",
    "--silence-ms": "silenceMs",
  };
  const expected = {
    "--seed": [0, 4294967295],
    "--count": [1, 2147483647],
    "--packet-size": [1, 1048576],
    "--len": [1, 33554432],
    "--interval-ms": [0, 3600000],
    "--timeout-ms": [1, 3600000],
    "--size": [1, 268435456],
    "--hwm": [0, 2147483647],
    "--pause-after": [1, 2147483647],
    "--heartbeat-ivl-ms": [1, 60000],
    "--silence-ms": [0, 3600000],
  };
  for (const [option, [low, high]] of Object.entries(expected)) {
    assert.deepEqual(RANGES[option], [BigInt(low), BigInt(high)], option);
    assert.equal(parse(["sub", ...EP, option, String(low)])[field[option]], low, option);
    assert.equal(parse(["sub", ...EP, option, String(high)])[field[option]], high, option);
    assert.match(refused(["sub", ...EP, option, String(low - 1)]), /is out of range/, option);
    assert.match(refused(["sub", ...EP, option, String(high + 1)]), /is out of range/, option);
  }
  assert.equal(
    refused(["sub", ...EP, "--count", "0"]),
    "invalid value '0' for --count: 0 is out of range 1..=2147483647",
  );
});

test("integers are plain decimal digits with an optional sign", () => {
  assert.equal(parse(["sub", ...EP, "--count", "+7"]).count, 7);
  assert.equal(parse(["sub", ...EP, "--count", "007"]).count, 7);
  assert.equal(parse(["sub", ...EP, "--hwm", "-0"]).hwm, 0);
  for (const bad of ["", " 1", "1 ", "1_0", "0x10", "1e3", "1.0", "+", "-", "ten", "１"]) {
    assert.match(refused(["sub", ...EP, "--count", bad]), /is not an integer/, JSON.stringify(bad));
  }
  // Past every integer type: compared exactly, still only out of range.
  assert.match(refused(["sub", ...EP, "--seed", "99999999999999999999999"]), /is out of range/);
});

test("options are written --name VALUE or --name=VALUE; the last of a repeat wins", () => {
  const run = parse(["sub", "--endpoint=tcp://127.0.0.1:1", "--count=3", "--count", "4", "--subscribe="]);
  assert.equal(run.endpoint, "tcp://127.0.0.1:1");
  assert.equal(run.count, 4);
  assert.equal(run.subscription, "");
  assert.match(refused(["sub", ...EP, "--sync=yes"]), /takes no value/);
  assert.match(refused(["sub", ...EP, "--count"]), /a value is required/);
  assert.match(refused(["sub", ...EP, "--cnt", "3"]), /unexpected argument '--cnt'/);
  assert.match(refused(["sub", ...EP, "--coun", "3"]), /unexpected argument/); // no abbreviations
  assert.match(refused(["sub", "pub", ...EP]), /unexpected argument 'pub'/);
  assert.match(refused(["publish", ...EP]), /invalid role 'publish'/);
});

test("a role and an endpoint are required, and the endpoint is tcp:// or ipc://PATH", () => {
  assert.match(refused([...EP]), /a role is required/);
  assert.equal(refused(["sub"]), "--endpoint is required");
  assert.match(refused(["sub", "--endpoint", "udp://x:1"]), /neither tcp/);
  assert.match(refused(["sub", "--endpoint", "ipc://"]), /neither tcp/);
  assert.equal(parse(["sub", "--endpoint", "ipc:///tmp/x"]).transport, "ipc");
  assert.equal(parse(["sub", "--endpoint", "tcp://127.0.0.1:*"]).transport, "tcp");
});

test("--info needs no role, and its integers are still checked", () => {
  assert.equal(parse(["--info"]), null);
  assert.equal(parse(["sub", "--info"]), null);
  assert.match(refused(["--info", "--count", "0"]), /out of range/);
});

test("a topic is printable ASCII, non-empty, without a space, at most 255 bytes", () => {
  assert.equal(parse(["pub", ...EP, "--topic", "a".repeat(255)]).topic.length, 255);
  assert.equal(refused(["pub", ...EP, "--topic", "a".repeat(256)]), "--topic: 256 bytes is longer than 255");
  assert.equal(refused(["pub", ...EP, "--topic", ""]), "--topic: topic is empty");
  assert.match(refused(["pub", ...EP, "--topic", "a b"]), /contains a space/);
  assert.match(refused(["pub", ...EP, "--topic", "caf\u00e9"]), /not printable ASCII/);
  assert.match(refused(["pub", ...EP, "--topic", "a\tb"]), /not printable ASCII/);
});

test("a subscription may be empty, defaults to the topic, and is at most 255 bytes", () => {
  assert.equal(parse(["sub", ...EP, "--topic", "t1"]).subscription, "t1");
  assert.equal(parse(["sub", ...EP, "--subscribe", ""]).subscription, "");
  assert.equal(parse(["sub", ...EP, "--subscribe", "x".repeat(255)]).subscription.length, 255);
  // Counted in UTF-8 bytes: 128 two-byte characters are 256 bytes.
  assert.equal(refused(["sub", ...EP, "--subscribe", "\u00e9".repeat(128)]), "--subscribe: 256 bytes is longer than 255");
});

test("--corrupt-index is 0..=L-1", () => {
  assert.equal(parse(["req", ...EP, "--len", "10", "--corrupt-index", "9"]).corruptIndex, 9);
  assert.equal(parse(["req", ...EP, "--len", "10", "--corrupt-index", "0"]).corruptIndex, 0);
  assert.equal(
    refused(["req", ...EP, "--len", "10", "--corrupt-index", "10"]),
    "--corrupt-index 10 is past the end of an array of 10 values",
  );
  assert.match(refused(["req", ...EP, "--corrupt-index", "-1"]), /out of range/);
  assert.match(refused(["req", ...EP, "--corrupt-index", "131072"]), /past the end/);
});

test("hex options: even length, hex digits, may be empty", () => {
  assert.deepEqual(parse(["pub", ...EP, "--raw-hex", "00fF7a"]).rawMessage, Buffer.from([0, 255, 0x7a]));
  assert.deepEqual(parse(["pub", ...EP, "--raw-hex", ""]).rawMessage, Buffer.alloc(0));
  assert.deepEqual(parse(["rep", ...EP, "--raw-reply-hex", "fffe00"]).rawReply, Buffer.from([0xff, 0xfe, 0]));
  assert.equal(refused(["pub", ...EP, "--raw-hex", "abc"]), "--raw-hex: hex string has odd length 3");
  assert.equal(refused(["rep", ...EP, "--raw-reply-hex", "0g"]), "--raw-reply-hex: 'g' at offset 1 is not a hex digit");
});

test("each role plays its pattern's cases; any other name is exit 4, not a usage error", () => {
  const pubsub = ["fancyhw", "burst", "multipart", "empty", "topics", "reconnect"];
  const reqrep = ["array", "hello", "large", "multipart", "empty", "reconnect", "heartbeat"];
  assert.deepEqual(CASES_OF.pub, pubsub);
  assert.deepEqual(CASES_OF.sub, pubsub);
  assert.deepEqual(CASES_OF.req, reqrep);
  assert.deepEqual(CASES_OF.rep, reqrep);
  // --info's list: the union, in the order of the Rust contract's Case::ALL.
  assert.deepEqual(CASES, [
    "fancyhw", "burst", "multipart", "empty", "topics", "reconnect", "array", "hello", "large", "heartbeat",
  ]);
  const unsupported = (role, name) =>
    assert.throws(
      () => checkCase(parse([role, ...EP, "--case", name])),
      (e) => e.code === ExitCode.UNSUPPORTED && e.reason === `case "${name}" is not implemented by this peer`,
      `${role} ${name}`,
    );
  assert.equal(parse(["rep", ...EP, "--case", "nope"]).caseName, "nope"); // not a usage error
  for (const role of ["pub", "sub", "req", "rep"]) {
    for (const name of CASES) {
      if (CASES_OF[role].includes(name)) {
        checkCase(parse([role, ...EP, "--case", name]));
      } else {
        unsupported(role, name);
      }
    }
    unsupported(role, "nope");
    unsupported(role, "mismatch"); // the harness's case, no peer's
    unsupported(role, "Hello"); // names are exact
  }
  unsupported("sub", "array");
  unsupported("req", "topics");
  // A role ignores options not its own: the benchmark roles have no case.
  checkCase(parse(["thr-push", ...EP, "--case", "nope"]));
  checkCase(parse(["lat-rep", ...EP, "--case", "array"]));
});

test("--pause-after, --heartbeat-ivl-ms, --silence-ms, --exit-with-stdin", () => {
  const run = parse(["req", ...EP, "--pause-after", "3", "--heartbeat-ivl-ms=250", "--silence-ms", "0"]);
  assert.deepEqual([run.pauseAfter, run.heartbeatIvlMs, run.silenceMs], [3, 250, 0]);
  assert.equal(parse(["sub", ...EP, "--exit-with-stdin"]).exitWithStdin, true);
  assert.match(refused(["sub", ...EP, "--exit-with-stdin=1"]), /takes no value/);
  assert.match(refused(["req", ...EP, "--pause-after"]), /a value is required/);
  // Both read stdin: a usage error, in either order, whatever the role (--info too, as clap's
  // conflicts_with refuses it there).
  for (const args of [
    ["req", ...EP, "--pause-after", "1", "--exit-with-stdin"],
    ["req", ...EP, "--exit-with-stdin", "--pause-after", "1"],
    ["pub", ...EP, "--exit-with-stdin", "--pause-after", "1"],
    ["--info", "--exit-with-stdin", "--pause-after", "1"],
  ]) {
    assert.equal(
      refused(args),
      "--pause-after and --exit-with-stdin cannot be used together: both read stdin",
      args.join(" "),
    );
  }
});

test("frames lines: every frame in lowercase hex, an empty frame as \"\"", () => {
  const frames = [Buffer.from("fancy"), Buffer.alloc(0), Buffer.from([0x01, 0xff])];
  assert.deepEqual(framesLine(0, frames), { seq: 0, frames: ["66616e6379", "", "01ff"] });
  assert.equal(JSON.stringify(framesLine(0, frames)), '{"seq":0,"frames":["66616e6379","","01ff"]}');
  assert.equal(JSON.stringify(framesLine(7, [Buffer.alloc(0)])), '{"seq":7,"frames":[""]}');
  assert.deepEqual(
    ["fancyhw", "burst", "multipart", "empty", "topics", "array", "hello", "large", "heartbeat", "reconnect"].filter(
      printsFrames,
    ),
    ["multipart", "empty"],
  );
});

test("case topics: the subscriber's two counts follow from --count", () => {
  for (let count = 1; count <= 200; count++) {
    let first = 0;
    let second = 0;
    for (let i = 0; i < 2 * count; i++) {
      if (i < count && i % 3 !== 2) {
        first++;
      } else if (i >= count && i % 3 === 0) {
        second++;
      }
    }
    assert.deepEqual(topicsCounts(count), { first, second }, `count ${count}`);
  }
  assert.deepEqual(topicsCounts(10), { first: 7, second: 3 }); // 0 1 3 4 6 7 9; 12 15 18
  // At the top of --count's range the arithmetic is still exact.
  assert.deepEqual(topicsCounts(2147483647), { first: 1431655765, second: 715827882 });
});

test("the case's name is quoted as Rust's {:?} quotes it, as the other peers do", () => {
  const cases = [
    ["", '""'],
    ["plain name-1.0", '"plain name-1.0"'],
    ['a"b', '"a\\"b"'],
    ["a\\b", '"a\\\\b"'],
    ["it's", `"it's"`],
    ["\t\r\n\0", '"\\t\\r\\n\\0"'],
    ["\x01\x1b\x7f", '"\\u{1}\\u{1b}\\u{7f}"'],
    ["caf\u00e9", '"caf\u00e9"'],
    ["e\u0301", '"e\\u{301}"'],
    ["\u00a0\u200b\ud800", '"\\u{a0}\\u{200b}\\u{d800}"'],
  ];
  for (const [text, shown] of cases) {
    assert.equal(rustDebug(text), shown, JSON.stringify(text));
  }
  assert.throws(
    () => checkCase(parse(["rep", ...EP, "--case", 'x"y'])),
    (e) => e.reason === 'case "x\\"y" is not implemented by this peer',
  );
});

test("a reply is shown as text when printable ASCII, else as hex", () => {
  assert.deepEqual(replyLine(0, Buffer.from("SUCCESS")), { seq: 0, reply: "SUCCESS" });
  assert.deepEqual(replyLine(1, Buffer.from("a b~")), { seq: 1, reply: "a b~" });
  assert.deepEqual(replyLine(2, Buffer.from([0xff, 0xfe, 0])), { seq: 2, reply_hex: "fffe00" });
  assert.deepEqual(replyLine(3, Buffer.from("tab\t")), { seq: 3, reply_hex: "74616209" });
});

test("floats in verdicts are written as Python's repr writes them", () => {
  const cases = [
    [0.39, "0.39"],
    [1.39, "1.39"],
    [1e-5, "1e-05"],
    [1.5e-5, "1.5e-05"],
    [0.0001, "0.0001"],
    [1e16, "1e+16"],
    [1e15, "1000000000000000.0"],
    [2 ** -31, "4.656612873077393e-10"],
    [-0, "-0.0"],
    [0, "0.0"],
    [NaN, "nan"],
    [-Infinity, "-inf"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
  ];
  for (const [value, text] of cases) {
    assert.equal(floatRepr(value), text, String(value));
  }
});

test("the replier's verdicts: length first, then values bit for bit, or hello", () => {
  const expected = Buffer.alloc(16);
  expected.writeDoubleLE(0.5, 0);
  expected.writeDoubleLE(0, 8);
  assert.equal(judge(Buffer.from(expected), expected), null);
  const negativeZero = Buffer.from(expected);
  negativeZero.writeDoubleLE(-0, 8);
  assert.deepEqual(judge(negativeZero, expected), {
    detail: "value mismatch at index 1: expected 0.0, got -0.0",
    index: 1,
  });
  assert.deepEqual(judge(Buffer.alloc(8), expected), {
    detail: "length mismatch: expected 16 bytes (2 float64), got 8 bytes",
    expected_bytes: 16,
    got_bytes: 8,
  });
  assert.equal(judge(Buffer.from("hello"), null), null);
  assert.deepEqual(judge(Buffer.from("hell"), null), { detail: 'expected "hello", got 4 bytes: 68656c6c' });
});
