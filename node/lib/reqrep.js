// reqrep.js: the REQ/REP roles: a requester of float64 arrays (or hello) and a replier that
// checks each request bit for bit against the array it expects for the seed.
"use strict";

const zmq = require("zeromq");
const { ExitCode, PeerError, emit, multipart, replyLine } = require("./contract");
const { f64Bytes } = require("./fakehw");
const { judge } = require("./judge");
const { receive, receiveFrames, send, withSocket } = require("./sockets");
const { writeErr } = require("./stdio");

const SUCCESS = Buffer.from("SUCCESS");
const FAILURE = Buffer.from("FAILURE");
const HELLO = Buffer.from("hello");
const WORLD = Buffer.from("world");

/** Answers --count requests; exit 1 at the end if any verdict was FAILURE. */
async function reply(run) {
  // Built once, before the socket exists.
  const expected = run.caseName === "array" ? f64Bytes(run.seed, run.length) : null;
  let failures = 0;
  await withSocket(zmq.Reply, run, null, async (sock) => {
    for (let seq = 0; seq < run.count; seq++) {
      const what = `the reply to request ${seq}`;
      const frames = await receiveFrames(sock, run, `request ${seq} of ${run.count}`);
      if (frames.length !== 1) {
        // Answer first, so the requester is not left waiting; then exit 5.
        const malformed = multipart(frames.length);
        await send(sock, run, FAILURE, what);
        emit({ seq, verdict: "FAILURE", detail: malformed.reason });
        throw malformed;
      }
      const failure = judge(frames[0], expected);
      let answer;
      if (run.rawReply !== null) {
        answer = run.rawReply;
      } else if (failure !== null) {
        answer = FAILURE;
      } else {
        answer = expected !== null ? SUCCESS : WORLD;
      }
      await send(sock, run, answer, what);
      if (failure !== null) {
        failures++;
        writeErr(`request ${seq}: ${failure.detail}`);
        emit({ seq, verdict: "FAILURE", ...failure });
      } else {
        emit({ seq, verdict: "SUCCESS" });
      }
    }
  });
  if (failures > 0) {
    throw new PeerError(ExitCode.MISMATCH, `${failures} of ${run.count} requests did not match`);
  }
}

/** Bytes as Python's repr of their latin-1 text would quote them, for the error line. */
function quoted(bytes) {
  let text = "";
  for (const byte of bytes) {
    if (byte === 0x27 || byte === 0x5c) {
      text += `\\${String.fromCharCode(byte)}`;
    } else if (byte >= 0x20 && byte <= 0x7e) {
      text += String.fromCharCode(byte);
    } else {
      text += `\\x${byte.toString(16).padStart(2, "0")}`;
    }
  }
  return `'${text}'`;
}

/** Sends --count requests and prints each reply; exit 1 if any was unexpected. */
async function request(run) {
  const array = run.caseName === "array";
  const payload = array ? f64Bytes(run.seed, run.length, run.corruptIndex) : HELLO;
  const expected = array ? SUCCESS : WORLD;
  let unexpected = null;
  await withSocket(zmq.Request, run, null, async (sock) => {
    for (let seq = 0; seq < run.count; seq++) {
      await send(sock, run, payload, `request ${seq}`);
      const answer = await receive(sock, run, `the reply to request ${seq}`);
      emit(replyLine(seq, answer));
      if (unexpected === null && !answer.equals(expected)) {
        unexpected = { seq, answer };
      }
    }
  });
  if (unexpected !== null) {
    const { seq, answer } = unexpected;
    throw new PeerError(
      ExitCode.MISMATCH,
      `reply to request ${seq} was ${quoted(answer)} (hex ${answer.toString("hex")}), ` +
        `expected ${quoted(expected)}`,
    );
  }
}

module.exports = { reply, request };
