// perf.js: the benchmark roles, the method of libzmq's perf tools (local_thr/remote_thr,
// local_lat/remote_lat) in zeromq.js's idiom: throughput sends and receives in batches of
// settled promises (batching.js), latency one awaited send and receive per round trip. Message
// contents are unspecified, as in those tools; only sizes are checked.
"use strict";

const zmq = require("zeromq");
const { ExitCode, PeerError, emit, multipart } = require("./contract");
const { receiveAll, sendAll } = require("./batching");
const { receiveFailed, send, sendFailed, withSocket } = require("./sockets");

const FAILURE = Buffer.from("FAILURE");

function wrongSize(size, run) {
  return new PeerError(ExitCode.MALFORMED, `message of ${size} bytes, expected ${run.size}`);
}

/** The one frame of a message of --size bytes; anything else is exit 5. */
function checked(frames, run) {
  if (frames.length !== 1) {
    throw multipart(frames.length);
  }
  if (frames[0].length !== run.size) {
    throw wrongSize(frames[0].length, run);
  }
  return frames[0];
}

/** Sends --count messages of --size bytes; linger lets them all leave before the exit. */
async function thrPush(run) {
  const configure = (sock) => {
    sock.sendHighWaterMark = run.hwm;
  };
  await withSocket(zmq.Push, run, configure, async (sock) => {
    const failed = (e, seq) => sendFailed(e, run, `message ${seq} of ${run.count}`);
    await sendAll(sock, Buffer.alloc(run.size), run.count, run.timeoutMs, failed);
  });
}

/** Receives --count messages; reports the time from the first to the last. */
async function thrPull(run) {
  const configure = (sock) => {
    sock.receiveHighWaterMark = run.hwm;
  };
  await withSocket(zmq.Pull, run, configure, async (sock) => {
    const check = (frames) => checked(frames, run);
    const failed = (e, seq) => receiveFailed(e, run, `message ${seq} of ${run.count}`);
    try {
      check(await sock.receive());
    } catch (e) {
      throw e instanceof PeerError ? e : failed(e, 0);
    }
    const started = process.hrtime.bigint();
    await receiveAll(sock, run.count - 1, run.timeoutMs, check, (e, seq) => failed(e, seq + 1));
    const elapsed = process.hrtime.bigint() - started;
    emit({ event: "result", kind: "thr", count: run.count, size: run.size, elapsed_ns: Number(elapsed) });
  });
}

/** Echoes --count messages; a malformed one is answered FAILURE, then exit 5. */
async function latRep(run) {
  await withSocket(zmq.Reply, run, null, async (sock) => {
    for (let seq = 0; seq < run.count; seq++) {
      let frames;
      try {
        frames = await sock.receive();
      } catch (e) {
        throw receiveFailed(e, run, `round trip ${seq}`);
      }
      let message;
      try {
        message = checked(frames, run);
      } catch (malformed) {
        // Answer first, so the requester is not left waiting for its echo.
        await send(sock, run, FAILURE, `the reply to round trip ${seq}`);
        throw malformed;
      }
      await send(sock, run, message, `the echo of round trip ${seq}`);
    }
  });
}

/** Times --count round trips and reports every one. */
async function latReq(run) {
  await withSocket(zmq.Request, run, null, async (sock) => {
    const payload = Buffer.alloc(run.size);
    const rtt = new Array(run.count);
    for (let seq = 0; seq < run.count; seq++) {
      const started = process.hrtime.bigint();
      await send(sock, run, payload, `round trip ${seq}`);
      let frames;
      try {
        frames = await sock.receive();
      } catch (e) {
        throw receiveFailed(e, run, `round trip ${seq}`);
      }
      rtt[seq] = Number(process.hrtime.bigint() - started);
      checked(frames, run);
    }
    emit({ event: "result", kind: "lat", count: run.count, size: run.size, rtt_ns: rtt });
  });
}

module.exports = {
  "lat-rep": latRep,
  "lat-req": latReq,
  "thr-pull": thrPull,
  "thr-push": thrPush,
};
