// processes.test.js: node/peer.js as real processes over real sockets: PUB/SUB, REQ/REP and the
// benchmark roles between two of its own processes (tcp with a wildcard port, and ipc), then
// malformed input (envelopes, multipart messages sent from here with zeromq.js), usage errors,
// timeouts, an unknown case and --info. Needs NODE_PATH to reach zeromq (see README.md).
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, test } = require("node:test");
const zmq = require("zeromq");
const { FakeHw, f64Bytes } = require("../lib/fakehw");
const { floatRepr } = require("../lib/judge");
const { run, start } = require("./peers");

const TCP = "tcp://127.0.0.1:*";
const SHORT = ["--timeout-ms", "5000"];
const MALFORMED = require(path.join(__dirname, "..", "..", "crates", "harness", "tests", "data", "malformed.json"));
const IPC_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "node-peer-test-"));
after(() => fs.rmSync(IPC_DIR, { recursive: true, force: true }));
const ipc = (name) => `ipc://${path.join(IPC_DIR, name)}`;
const withIpc = { skip: zmq.capability.ipc ? false : "this libzmq has no ipc" };

function samples(seed, count, size) {
  const hw = new FakeHw(seed);
  return Array.from({ length: count }, () => Array.from({ length: size }, () => hw.readVal()));
}

test("pub --sync to sub over tcp carries the fakehw sequence", async () => {
  const publisher = start("pub", "--endpoint", TCP, "--sync", "--count", "3", "--report-sent", ...SHORT);
  const endpoint = await publisher.ready();
  assert.match(endpoint, /^tcp:\/\/127\.0\.0\.1:\d+$/);
  const got = await run("sub", "--endpoint", endpoint, "--count", "3", ...SHORT);
  assert.equal(got.code, 0, got.stderr);
  const sent = await publisher.finish();
  assert.equal(sent.code, 0, sent.stderr);
  assert.deepEqual(sent.lines.slice(1), [0, 1, 2].map((seq) => ({ event: "sent", seq })));
  assert.deepEqual(got.lines[0], { event: "ready", endpoint });
  const expected = samples(12345, 3, 16);
  assert.deepEqual(got.lines.slice(1), expected.map((s, seq) => ({ seq, topic: "fancyhw_data", samples: s })));
});

test("pub/sub over ipc, the subscriber binding, with another topic, seed and packet size", withIpc, async () => {
  const options = ["--topic", "t1", "--seed", "4294967295", "--packet-size", "5", "--count", "2", ...SHORT];
  const subscriber = start("sub", "--endpoint", ipc("ps"), "--bind", ...options);
  const endpoint = await subscriber.ready();
  assert.equal(endpoint, ipc("ps"));
  const sent = await run("pub", "--endpoint", endpoint, "--connect", "--sync", ...options);
  assert.equal(sent.code, 0, sent.stderr);
  const got = await subscriber.finish();
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(got.lines.slice(1).map((l) => l.samples), samples(4294967295, 2, 5));
});

test("rep and req over ipc, both cases", withIpc, async () => {
  for (const [kase, reply] of [["array", "SUCCESS"], ["hello", "world"]]) {
    const replier = start("rep", "--endpoint", ipc(`rr-${kase}`), "--case", kase, "--count", "2", ...SHORT);
    const endpoint = await replier.ready();
    const got = await run("req", "--endpoint", endpoint, "--case", kase, "--count", "2", ...SHORT);
    assert.equal(got.code, 0, got.stderr);
    assert.deepEqual(got.lines.slice(1), [{ seq: 0, reply }, { seq: 1, reply }]);
    const answered = await replier.finish();
    assert.equal(answered.code, 0, answered.stderr);
    assert.deepEqual(answered.lines.slice(1), [{ seq: 0, verdict: "SUCCESS" }, { seq: 1, verdict: "SUCCESS" }]);
  }
});

test("rep and req over tcp with the requester binding", async () => {
  const requester = start("req", "--endpoint", TCP, "--bind", "--len", "1000", "--count", "1", ...SHORT);
  const endpoint = await requester.ready();
  const answered = await run("rep", "--endpoint", endpoint, "--connect", "--len", "1000", "--count", "1", ...SHORT);
  assert.equal(answered.code, 0, answered.stderr);
  const got = await requester.finish();
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(got.lines.slice(1), [{ seq: 0, reply: "SUCCESS" }]);
});

test("a corrupted value is named by index; both sides exit 1", async () => {
  const replier = start("rep", "--endpoint", TCP, "--count", "1", ...SHORT);
  const endpoint = await replier.ready();
  const got = await run("req", "--endpoint", endpoint, "--count", "1", "--corrupt-index", "7", ...SHORT);
  assert.equal(got.code, 1);
  assert.deepEqual(got.lines[1], { seq: 0, reply: "FAILURE" });
  assert.equal(got.stderr, "error: reply to request 0 was 'FAILURE' (hex 4641494c555245), expected 'SUCCESS'\n");
  const answered = await replier.finish();
  assert.equal(answered.code, 1);
  const value = f64Bytes(12345, 8).readDoubleLE(56);
  const detail = `value mismatch at index 7: expected ${floatRepr(value)}, got ${floatRepr(value + 1)}`;
  assert.deepEqual(answered.lines[1], { seq: 0, verdict: "FAILURE", detail, index: 7 });
  assert.equal(answered.stderr, `request 0: ${detail}\nerror: 1 of 1 requests did not match\n`);
});

test("an unprintable reply is shown in hex and makes the requester exit 1", async () => {
  const hello = ["--case", "hello", "--count", "1", ...SHORT];
  const replier = start("rep", "--endpoint", TCP, ...hello, "--raw-reply-hex", "fffe00");
  const endpoint = await replier.ready();
  const got = await run("req", "--endpoint", endpoint, ...hello);
  assert.equal(got.code, 1);
  assert.deepEqual(got.lines[1], { seq: 0, reply_hex: "fffe00" });
  assert.equal((await replier.finish()).code, 0); // the request itself was right
});

test("thr-push to thr-pull, and lat-req to lat-rep", async () => {
  const puller = start("thr-pull", "--endpoint", TCP, "--count", "20000", "--size", "100", ...SHORT);
  const pushed = await run("thr-push", "--endpoint", await puller.ready(), "--count", "20000", "--size", "100", ...SHORT);
  assert.equal(pushed.code, 0, pushed.stderr);
  const pulled = await puller.finish();
  assert.equal(pulled.code, 0, pulled.stderr);
  const thr = pulled.lines.at(-1);
  assert.deepEqual({ ...thr, elapsed_ns: 0 }, { event: "result", kind: "thr", count: 20000, size: 100, elapsed_ns: 0 });
  assert.ok(Number.isInteger(thr.elapsed_ns) && thr.elapsed_ns > 0);

  const echo = start("lat-rep", "--endpoint", TCP, "--count", "50", "--size", "1000", ...SHORT);
  const timed = await run("lat-req", "--endpoint", await echo.ready(), "--count", "50", "--size", "1000", ...SHORT);
  assert.equal(timed.code, 0, timed.stderr);
  assert.equal((await echo.finish()).code, 0);
  const lat = timed.lines.at(-1);
  assert.equal(lat.rtt_ns.length, 50);
  assert.ok(lat.rtt_ns.every((t) => Number.isInteger(t) && t > 0));
  assert.deepEqual({ ...lat, rtt_ns: [] }, { event: "result", kind: "lat", count: 50, size: 1000, rtt_ns: [] });
});

test("thr-push with a small high-water mark still delivers exactly --count messages", async () => {
  // One message more than is sent: the puller must time out waiting for exactly that one.
  const puller = start("thr-pull", "--endpoint", TCP, "--count", "5001", "--hwm", "10", "--timeout-ms", "1500");
  const pushed = await run("thr-push", "--endpoint", await puller.ready(), "--count", "5000", "--hwm", "10", ...SHORT);
  assert.equal(pushed.code, 0, pushed.stderr);
  const pulled = await puller.finish();
  assert.equal(pulled.code, 3);
  assert.equal(pulled.stderr, "error: timed out after 1500 ms waiting for message 5000 of 5001\n");
});

test("every malformed envelope makes the subscriber exit 5 with the exact reason", async () => {
  for (const entry of MALFORMED) {
    const publisher = start("pub", "--endpoint", TCP, "--sync", "--count", "1", "--raw-hex", entry.hex, ...SHORT);
    const got = await run("sub", "--endpoint", await publisher.ready(), "--subscribe", "", "--count", "1", ...SHORT);
    await publisher.finish();
    assert.equal(got.code, 5, entry.name);
    assert.equal(got.stderr, `error: ${entry.reason}\n`, entry.name);
    assert.equal(got.lines.length, 1, entry.name); // the ready line only
  }
});

/** Runs `body` with a socket of this test process, closed however `body` ends. */
async function withOwn(Kind, body) {
  const sock = new Kind({ linger: 0 });
  if ("receiveTimeout" in sock) {
    sock.receiveTimeout = 5000;
  }
  if ("sendTimeout" in sock) {
    sock.sendTimeout = 5000;
  }
  try {
    return await body(sock);
  } finally {
    sock.close();
  }
}

const MULTIPART = "error: malformed message: 3 frames, expected 1\n";

test("a multipart message is exit 5 for sub, thr-pull and req", async () => {
  const got = await withOwn(zmq.XPublisher, async (pub) => {
    await pub.bind(TCP);
    const subscriber = start("sub", "--endpoint", pub.lastEndpoint, "--count", "2", ...SHORT);
    await subscriber.ready();
    await pub.receive(); // its subscription
    await pub.send(["fancyhw_data ", "b", "c"]);
    return subscriber.finish();
  });
  assert.deepEqual([got.code, got.stderr], [5, MULTIPART]);

  const pulled = await withOwn(zmq.Push, async (push) => {
    const puller = start("thr-pull", "--endpoint", TCP, "--count", "3", "--size", "1", ...SHORT);
    push.connect(await puller.ready());
    await push.send("x");
    await push.send(["a", "b", "c"]);
    return puller.finish();
  });
  assert.deepEqual([pulled.code, pulled.stderr], [5, MULTIPART]);

  const asked = await withOwn(zmq.Reply, async (rep) => {
    await rep.bind(TCP);
    const requester = start("req", "--endpoint", rep.lastEndpoint, "--case", "hello", "--count", "1", ...SHORT);
    await rep.receive();
    await rep.send(["world", "b", "c"]);
    return requester.finish();
  });
  assert.deepEqual([asked.code, asked.stderr], [5, MULTIPART]);
});

test("a replier answers a multipart request FAILURE first, then exits 5", async () => {
  for (const role of ["rep", "lat-rep"]) {
    const replier = start(role, "--endpoint", TCP, "--count", "1", ...SHORT);
    const frames = await withOwn(zmq.Request, async (req) => {
      req.connect(await replier.ready());
      await req.send(["a", "b", "c"]);
      return req.receive();
    });
    assert.deepEqual(frames.map(String), ["FAILURE"], role);
    const got = await replier.finish();
    assert.deepEqual([got.code, got.stderr], [5, MULTIPART], role);
    if (role === "rep") {
      const detail = "malformed message: 3 frames, expected 1";
      assert.deepEqual(got.lines.slice(1), [{ seq: 0, verdict: "FAILURE", detail }]);
    }
  }
});

test("usage errors are one line, exit 2, nothing on stdout", async () => {
  const cases = [
    [],
    ["sub"],
    ["sub", "--endpoint", "tcp://127.0.0.1:1", "--count", "0"],
    ["sub", "--endpoint", "tcp://127.0.0.1:1", "--bogus"],
    ["pub", "--endpoint", "tcp://127.0.0.1:1", "--topic", "a b"],
    ["req", "--endpoint", "tcp://127.0.0.1:1", "--len", "4", "--corrupt-index", "4"],
    ["thr-push", "--endpoint", "tcp://127.0.0.1:1", "--size", "268435457"],
  ];
  for (const args of cases) {
    const got = await run(...args);
    assert.equal(got.code, 2, args.join(" "));
    assert.deepEqual(got.lines, [], args.join(" "));
    assert.match(got.stderr, /^error: [^\n]+\n$/, args.join(" "));
  }
});

test("an unknown case is exit 4 before any socket", async () => {
  for (const role of ["rep", "req"]) {
    const got = await run(role, "--endpoint", "tcp://127.0.0.1:1", "--case", "made-up");
    assert.equal(got.code, 4);
    assert.deepEqual(got.lines, []);
    assert.equal(got.stderr, 'error: case "made-up" is not implemented by this peer\n');
  }
});

test("a receive timeout is exit 3 naming what was awaited", async () => {
  const got = await run("sub", "--endpoint", "tcp://127.0.0.1:1", "--count", "2", "--timeout-ms", "200");
  assert.equal(got.code, 3);
  assert.equal(got.stderr, "error: timed out after 200 ms waiting for message 0 of 2\n");
  const rep = await run("rep", "--endpoint", TCP, "--timeout-ms", "200");
  assert.equal(rep.code, 3);
  assert.equal(rep.stderr, "error: timed out after 200 ms waiting for request 0 of 10\n");
});

test("a refused bind is exit 6 naming the call", async () => {
  const holder = start("rep", "--endpoint", TCP, "--timeout-ms", "3000");
  const endpoint = await holder.ready();
  const got = await run("rep", "--endpoint", endpoint);
  assert.equal(got.code, 6);
  assert.match(got.stderr, /^error: zmq_bind\(tcp:\/\/127\.0\.0\.1:\d+\) failed: .*\(EADDRINUSE\)\n$/);
  holder.child.kill();
  await holder.finish();
});

test("--info describes the peer in one line", async () => {
  const got = await run("--info");
  assert.equal(got.code, 0, got.stderr);
  assert.equal(got.lines.length, 1);
  const info = got.lines[0];
  assert.equal(info.lang, "javascript");
  assert.equal(info.impl, "zeromq.js");
  assert.equal(info.impl_version, require("zeromq/package.json").version);
  assert.equal(info.engine, "libzmq");
  assert.equal(info.engine_version, zmq.version);
  assert.equal(info.libzmq, zmq.version);
  assert.equal(info.node, process.version);
  assert.ok(info.transports.includes("tcp"));
  assert.deepEqual(info.roles, ["pub", "sub", "rep", "req", "thr-push", "thr-pull", "lat-req", "lat-rep"]);
  assert.ok(Array.isArray(info.workarounds));
});
