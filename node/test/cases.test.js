// cases.test.js: the case catalog ("Cases" in docs/peer-contract.md) between real node/peer.js
// processes: pubsub multipart, empty, topics, reconnect (the publisher killed and replaced on
// its endpoint); reqrep multipart, empty, large (64 MiB each way), heartbeat (with our own
// replier, and against a ZMTP replier that never answers a PING), reconnect (the replier
// killed and replaced while the requester is paused); --exit-with-stdin for every role; and
// --info's cases. Needs NODE_PATH to reach zeromq (see README.md).
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { after, test } = require("node:test");
const zmq = require("zeromq");
const { FakeHw, f64Bytes } = require("../lib/fakehw");
const { encode } = require("../lib/envelope");
const { run, start, startWith } = require("./peers");

const TCP = "tcp://127.0.0.1:*";
const SHORT = ["--timeout-ms", "5000"];
const IPC_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "node-peer-cases-"));
after(() => fs.rmSync(IPC_DIR, { recursive: true, force: true }));
const ipc = (name) => `ipc://${path.join(IPC_DIR, name)}`;
const withIpc = { skip: zmq.capability.ipc ? false : "this libzmq has no ipc" };

const hex = (text) => Buffer.from(text, "latin1").toString("hex");

/** The next `count` packets of `size` samples of one fakehw sequence. */
function packets(hw, count, size) {
  return Array.from({ length: count }, () => Array.from({ length: size }, () => hw.readVal()));
}

/** Kills a peer and waits for it to be gone (its endpoint is then free to take over). */
async function kill(peer) {
  peer.child.kill("SIGKILL");
  const gone = await peer.finish();
  assert.equal(gone.signal, "SIGKILL");
}

test("pubsub multipart: topic, empty frame, envelope; one frames line per message", async () => {
  const options = ["--case", "multipart", "--count", "3", "--packet-size", "2", ...SHORT];
  const publisher = start("pub", "--endpoint", TCP, "--sync", ...options);
  const got = await run("sub", "--endpoint", await publisher.ready(), ...options);
  assert.equal(got.code, 0, got.stderr);
  assert.equal((await publisher.finish()).code, 0);
  const hw = new FakeHw(12345);
  const expected = packets(hw, 3, 2).map((samples, seq) => ({
    seq,
    frames: [hex("fancyhw_data"), "", encode("fancyhw_data", samples).toString("hex")],
  }));
  assert.deepEqual(got.lines.slice(1), expected);
});

test("pubsub empty: zero bytes, then the zero-sample envelope, alternately", async () => {
  const options = ["--case", "empty", "--count", "5", ...SHORT];
  const publisher = start("pub", "--endpoint", TCP, "--sync", ...options);
  const got = await run("sub", "--endpoint", await publisher.ready(), "--subscribe", "", ...options);
  assert.equal(got.code, 0, got.stderr);
  assert.equal((await publisher.finish()).code, 0);
  const odd = hex("fancyhw_data ");
  assert.deepEqual(
    got.lines.slice(1),
    ["", odd, "", odd, ""].map((frame, seq) => ({ seq, frames: [frame] })),
  );
});

test("pubsub topics: two subscriptions, one dropped half-way, over tcp and ipc", async (t) => {
  for (const endpoint of [TCP, ...(zmq.capability.ipc ? [ipc("topics")] : [])]) {
    await t.test(endpoint, async () => {
      const count = 10;
      const options = ["--case", "topics", "--count", String(count), "--packet-size", "3", ...SHORT];
      // The publisher binds without --sync: topics waits for both subscriptions anyway.
      const publisher = start("pub", "--endpoint", endpoint, "--report-sent", ...options);
      const got = await run("sub", "--endpoint", await publisher.ready(), "--subscribe", "x", ...options);
      assert.equal(got.code, 0, got.stderr);
      const sent = await publisher.finish();
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(sent.lines.length, 1 + 2 * count); // every message of both halves was sent
      // One fakehw sequence across every message, whatever its topic.
      const all = packets(new FakeHw(12345), 2 * count, 3);
      const topicOf = (i) => ["fancyhw_data", "fancyhw_status", "other_data"][i % 3];
      const wanted = [];
      for (let i = 0; i < 2 * count; i++) {
        if ((i < count && i % 3 !== 2) || (i >= count && i % 3 === 0)) {
          wanted.push({ topic: topicOf(i), samples: all[i] });
        }
      }
      assert.equal(wanted.length, 10); // 0 1 3 4 6 7 9, then 12 15 18
      assert.deepEqual(got.lines.slice(1), wanted.map((w, seq) => ({ seq, ...w })));
    });
  }
});

test("pubsub reconnect: the subscriber survives its publisher, killed and replaced", async (t) => {
  const endpoints = [TCP, ...(zmq.capability.ipc ? [ipc("reconnect")] : [])];
  for (const endpoint of endpoints) {
    await t.test(endpoint, async () => {
      const first = start("pub", "--endpoint", endpoint, "--case", "reconnect", "--sync", "--count", "3", ...SHORT);
      const bound = await first.ready();
      const subscriber = start("sub", "--endpoint", bound, "--count", "6", ...SHORT);
      await subscriber.line((l) => l.seq === 2);
      await kill(first); // holding its socket open, sending nothing: it would not exit by itself
      const second = start("pub", "--endpoint", bound, "--sync", "--count", "3", "--seed", "7", ...SHORT);
      assert.equal(await second.ready(), bound); // the same endpoint, though its holder died on it
      const got = await subscriber.finish();
      assert.equal(got.code, 0, got.stderr);
      assert.equal((await second.finish()).code, 0);
      const samples = [...packets(new FakeHw(12345), 3, 16), ...packets(new FakeHw(7), 3, 16)];
      assert.deepEqual(got.lines.slice(1), samples.map((s, seq) => ({ seq, topic: "fancyhw_data", samples: s })));
    });
  }
});

test("pubsub reconnect: the holding publisher exits 0 once --timeout-ms has passed", async () => {
  const publisher = start("pub", "--endpoint", TCP, "--case", "reconnect", "--count", "2", "--timeout-ms", "1500");
  const got = await run("sub", "--endpoint", await publisher.ready(), "--count", "2", ...SHORT);
  assert.equal(got.code, 0, got.stderr);
  const started = Date.now();
  const held = await publisher.finish();
  assert.equal(held.code, 0, held.stderr);
  assert.ok(Date.now() - started >= 1000, "the publisher held its socket");
});

test("reqrep multipart: three frames each way, the empty one as data", async () => {
  const options = ["--case", "multipart", "--count", "2", "--len", "3", ...SHORT];
  const replier = start("rep", "--endpoint", TCP, ...options);
  const got = await run("req", "--endpoint", await replier.ready(), ...options);
  assert.equal(got.code, 0, got.stderr);
  const answered = await replier.finish();
  assert.equal(answered.code, 0, answered.stderr);
  const frames = [hex("multipart"), "", f64Bytes(12345, 3).toString("hex")];
  const lines = [0, 1].map((seq) => ({ seq, frames }));
  assert.deepEqual(got.lines.slice(1), lines);
  assert.deepEqual(answered.lines.slice(1), lines);
});

test("reqrep empty: a zero-length request and a zero-length reply", async () => {
  const options = ["--case", "empty", "--count", "3", ...SHORT];
  const replier = start("rep", "--endpoint", TCP, ...options);
  const got = await run("req", "--endpoint", await replier.ready(), ...options);
  assert.equal(got.code, 0, got.stderr);
  const answered = await replier.finish();
  assert.equal(answered.code, 0, answered.stderr);
  const lines = [0, 1, 2].map((seq) => ({ seq, frames: [""] }));
  assert.deepEqual(got.lines.slice(1), lines);
  assert.deepEqual(answered.lines.slice(1), lines);
});

test("reqrep large: 64 MiB each way, judged by the requester", async () => {
  const options = ["--case", "large", "--len", "8388608", "--count", "2", "--timeout-ms", "15000"];
  const replier = start("rep", "--endpoint", TCP, ...options);
  const got = await run("req", "--endpoint", await replier.ready(), ...options);
  assert.equal(got.code, 0, got.stderr);
  const answered = await replier.finish();
  assert.equal(answered.code, 0, answered.stderr);
  assert.deepEqual(got.lines.slice(1), [0, 1].map((seq) => ({ seq, reply_bytes: 67108864, matches: true })));
  assert.deepEqual(answered.lines.slice(1), [0, 1].map((seq) => ({ seq, verdict: "SUCCESS" })));
});

test("reqrep large: a corrupted array is answered FAILURE, which does not match (exit 1)", async () => {
  const options = ["--case", "large", "--len", "16", "--count", "1", ...SHORT];
  const replier = start("rep", "--endpoint", TCP, ...options);
  const got = await run("req", "--endpoint", await replier.ready(), "--corrupt-index", "3", ...options);
  assert.equal(got.code, 1);
  assert.deepEqual(got.lines[1], { seq: 0, reply_bytes: 7, matches: false });
  assert.equal(got.stderr, "error: reply to request 0 was 7 bytes (hex 4641494c555245), not the 128 bytes sent\n");
  assert.equal((await replier.finish()).code, 1);
});

test("reqrep heartbeat: hello across a silence longer than the heartbeat timeout", async () => {
  // The replier is asked for one request more than comes, and killed at the end: a replier
  // that exits right after its last reply races libzmq's ZMQ_RECONNECT_IVL -1 on the
  // requester's side, which turns the disconnect into a zmq_disconnect that can drop the
  // unread reply (README.md, "Findings"). That race is the case's, not what this test is for.
  const replier = start("rep", "--endpoint", TCP, "--case", "heartbeat", "--count", "3", ...SHORT);
  const endpoint = await replier.ready();
  const started = Date.now();
  const got = await run("req", "--endpoint", endpoint, "--case", "heartbeat", "--count", "2", "--silence-ms", "1000", ...SHORT);
  assert.equal(got.code, 0, got.stderr);
  assert.ok(Date.now() - started >= 1000, "the requester stayed silent");
  assert.deepEqual(got.lines.slice(1), [0, 1].map((seq) => ({ seq, reply: "world" })));
  await replier.line((l) => l.seq === 1);
  await kill(replier);
});

/**
 * A ZMTP 3.0 REP over NULL that answers `world` to every request and never answers a command
 * (no PONG): the replier whose engine ignores heartbeats. Resolves to the server, its endpoint
 * and a record of its connections.
 */
async function deafReplier() {
  const greeting = Buffer.alloc(64);
  greeting[0] = 0xff;
  greeting[9] = 0x7f;
  greeting[10] = 3; // ZMTP 3.0
  greeting.write("NULL", 12, "latin1");
  const property = (name, value) => {
    const bytes = Buffer.alloc(1 + name.length + 4 + value.length);
    bytes[0] = name.length;
    bytes.write(name, 1, "latin1");
    bytes.writeUInt32BE(value.length, 1 + name.length);
    bytes.write(value, 5 + name.length, "latin1");
    return bytes;
  };
  const body = Buffer.concat([Buffer.from("\x05READY", "latin1"), property("Socket-Type", "REP")]);
  const ready = Buffer.concat([Buffer.from([0x04, body.length]), body]);
  const world = Buffer.from([0x01, 0x00, 0x00, 0x05, ...Buffer.from("world")]);
  const record = { connections: 0, closed: 0, requests: 0, commands: [] };
  const server = net.createServer((socket) => {
    record.connections++;
    socket.on("close", () => record.closed++);
    socket.on("error", () => {});
    socket.write(Buffer.concat([greeting, ready]));
    let input = Buffer.alloc(0);
    let greeted = false;
    socket.on("data", (chunk) => {
      input = Buffer.concat([input, chunk]);
      if (!greeted) {
        if (input.length < 64) {
          return;
        }
        input = input.subarray(64);
        greeted = true;
      }
      // Frames: flags (0x01 more, 0x02 long, 0x04 command), size (1 or 8 bytes), body.
      for (;;) {
        if (input.length < 2) {
          return;
        }
        const flags = input[0];
        const long = (flags & 0x02) !== 0;
        const header = long ? 9 : 2;
        if (input.length < header) {
          return;
        }
        const size = long ? Number(input.readBigUInt64BE(1)) : input[1];
        if (input.length < header + size) {
          return;
        }
        const frame = input.subarray(header, header + size);
        input = input.subarray(header + size);
        if ((flags & 0x04) !== 0) {
          record.commands.push(frame.subarray(1, 1 + frame[0]).toString("latin1"));
        } else if ((flags & 0x01) === 0) {
          record.requests++; // the last frame of a request: the empty delimiter, then hello
          socket.write(world);
        }
      }
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, endpoint: `tcp://127.0.0.1:${server.address().port}`, record };
}

test("reqrep heartbeat: a replier that never answers a PING loses the link for good (exit 3)", async () => {
  const { server, endpoint, record } = await deafReplier();
  try {
    const got = await run(
      "req", "--endpoint", endpoint, "--case", "heartbeat", "--count", "2",
      "--heartbeat-ivl-ms", "100", "--silence-ms", "1000", "--timeout-ms", "1500",
    );
    assert.equal(got.code, 3, got.stderr);
    assert.match(got.stderr, /^error: timed out after 1500 ms (sending request 1|waiting for the reply to request 1)\n$/);
    assert.deepEqual(got.lines.slice(1), [{ seq: 0, reply: "world" }]);
    assert.ok(record.commands.includes("PING"), `commands: ${record.commands}`);
    assert.equal(record.requests, 1);
    // ZMQ_HEARTBEAT_TIMEOUT dropped the link, and ZMQ_RECONNECT_IVL -1 kept it dropped.
    assert.deepEqual([record.connections, record.closed], [1, 1]);
  } finally {
    server.close();
  }
});

test("reqrep reconnect: the replier killed and replaced while the requester is paused", async (t) => {
  const endpoints = [TCP, ...(zmq.capability.ipc ? [ipc("rr-reconnect")] : [])];
  for (const endpoint of endpoints) {
    await t.test(endpoint, async () => {
      const first = start("rep", "--endpoint", endpoint, "--case", "reconnect", "--count", "1", ...SHORT);
      const bound = await first.ready();
      const requester = startWith(
        { stdin: "pipe" },
        "req", "--endpoint", bound, "--case", "reconnect", "--pause-after", "1", "--count", "3", ...SHORT,
      );
      await requester.line((l) => l.event === "paused");
      await first.line((l) => l.seq === 0);
      await kill(first);
      const second = start("rep", "--endpoint", bound, "--case", "hello", "--count", "2", ...SHORT);
      assert.equal(await second.ready(), bound);
      requester.child.stdin.write("go\n");
      const got = await requester.finish();
      assert.equal(got.code, 0, got.stderr);
      assert.deepEqual(got.lines.slice(1), [
        { seq: 0, reply: "world" },
        { event: "paused" },
        { seq: 1, reply: "world" },
        { seq: 2, reply: "world" },
      ]);
      const answered = await second.finish();
      assert.equal(answered.code, 0, answered.stderr);
      assert.deepEqual(answered.lines.slice(1), [0, 1].map((seq) => ({ seq, verdict: "SUCCESS" })));
    });
  }
});

test("a paused requester whose stdin ends exits 6", async () => {
  const replier = start("rep", "--endpoint", TCP, "--case", "hello", "--count", "1", ...SHORT);
  const requester = startWith(
    { stdin: "pipe" },
    "req", "--endpoint", await replier.ready(), "--case", "hello", "--pause-after", "1", "--count", "2", ...SHORT,
  );
  await requester.line((l) => l.event === "paused");
  requester.child.stdin.end();
  const got = await requester.finish();
  assert.equal(got.code, 6);
  assert.equal(got.stderr, "error: stdin closed: the harness is gone\n");
  assert.equal((await replier.finish()).code, 0);
});

test("--exit-with-stdin: every role exits 6 within a second of stdin closing", async () => {
  const waiting = {
    pub: ["--sync"], // waiting for a subscription
    sub: ["--connect"],
    rep: [],
    req: ["--connect", "--case", "hello"],
    "thr-push": ["--connect", "--count", "1000", "--hwm", "1"], // blocked on a full queue
    "thr-pull": [],
    "lat-req": ["--connect"],
    "lat-rep": [],
  };
  await Promise.all(
    Object.entries(waiting).map(async ([role, options]) => {
      const endpoint = options.includes("--connect") ? "tcp://127.0.0.1:1" : TCP;
      const peer = startWith(
        { stdin: "pipe" },
        role, "--endpoint", endpoint, ...options, "--exit-with-stdin", "--timeout-ms", "60000",
      );
      await peer.ready();
      await new Promise((resolve) => setTimeout(resolve, 200)); // well into its wait
      const closed = Date.now();
      peer.child.stdin.end();
      const got = await peer.finish();
      const took = Date.now() - closed;
      assert.equal(got.code, 6, `${role}: ${got.stderr}`);
      assert.equal(got.stderr, "error: stdin closed: the harness is gone\n", role);
      assert.ok(took < 1000, `${role} took ${took} ms`);
    }),
  );
});

test("--exit-with-stdin cannot act while zeromq.js lingers at the exit: bounded by --timeout-ms", async () => {
  // The role is done and Node has shut down; zeromq.js's zmq_ctx_term (a C++ static destructor)
  // waits out ZMQ_LINGER for the message queued for nobody, and no JavaScript runs any more.
  const peer = startWith(
    { stdin: "pipe" },
    "thr-push", "--endpoint", "tcp://127.0.0.1:1", "--count", "1", "--exit-with-stdin", "--timeout-ms", "1500",
  );
  await peer.ready();
  await new Promise((resolve) => setTimeout(resolve, 200)); // lingering by now
  const closed = Date.now();
  peer.child.stdin.end();
  const got = await peer.finish();
  assert.equal(got.code, 0, got.stderr); // its exit, not the watcher's
  assert.ok(Date.now() - closed < 2500, "ended with its linger");
});

test("--exit-with-stdin: stdin at end-of-file from the start is exit 6 before any socket", async () => {
  // The test's default stdin is /dev/null: end-of-file at once.
  const got = await run("rep", "--endpoint", TCP, "--exit-with-stdin", "--timeout-ms", "60000");
  assert.equal(got.code, 6);
  assert.equal(got.stderr, "error: stdin closed: the harness is gone\n");
});

test("--exit-with-stdin: an open stdin neither delays the end nor disturbs the roles", async () => {
  const held = { stdin: "pipe" };
  const options = ["--exit-with-stdin", "--count", "3", ...SHORT];
  const publisher = startWith(held, "pub", "--endpoint", TCP, "--sync", ...options);
  const subscriber = startWith(held, "sub", "--endpoint", await publisher.ready(), ...options);
  subscriber.child.stdin.write("lines written to a watched stdin mean nothing\n");
  const replier = startWith(held, "rep", "--endpoint", TCP, "--case", "large", "--len", "1000", ...options);
  const requester = startWith(held, "req", "--endpoint", await replier.ready(), "--case", "large", "--len", "1000", ...options);
  const started = Date.now();
  const results = await Promise.all([publisher, subscriber, replier, requester].map((p) => p.finish()));
  for (const got of results) {
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stderr, "");
  }
  assert.equal(results[1].lines.length, 4);
  assert.equal(results[3].lines.length, 4);
  assert.ok(Date.now() - started < 4000, "nobody waited for stdin");
});

test("an unknown case, or one of the other pattern's, is exit 4 before any socket", async () => {
  const cases = [
    ["pub", "made-up"],
    ["sub", "array"],
    ["rep", "topics"],
    ["req", "burst"],
    ["req", "mismatch"],
  ];
  for (const [role, name] of cases) {
    const got = await run(role, "--endpoint", "tcp://127.0.0.1:1", "--case", name);
    assert.equal(got.code, 4, `${role} ${name}`);
    assert.deepEqual(got.lines, []);
    assert.equal(got.stderr, `error: case "${name}" is not implemented by this peer\n`);
  }
});

test("--info lists every case the peer plays", async () => {
  const got = await run("--info");
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(got.lines[0].cases, [
    "fancyhw", "burst", "multipart", "empty", "topics", "reconnect", "array", "hello", "large", "heartbeat",
  ]);
});
