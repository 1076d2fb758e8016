// reqrep.js: the REQ/REP roles and their cases ("Cases" in docs/peer-contract.md): a requester
// of float64 arrays (or hello, three frames, an empty message; across heartbeats or a pause for
// a reconnection) and a replier that checks each request bit for bit against the array it
// expects for the seed (answering the array itself in case large), or echoes frames.
"use strict";

const { setTimeout: sleep } = require("node:timers/promises");
const zmq = require("zeromq");
const { ExitCode, PeerError, emit, framesLine, multipart, printsFrames, replyLine } = require("./contract");
const { f64Bytes } = require("./fakehw");
const { judge } = require("./judge");
const { receive, receiveFrames, send, withSocket } = require("./sockets");
const { waitForLine } = require("./stdin");
const { writeErr } = require("./stdio");

const SUCCESS = Buffer.from("SUCCESS");
const FAILURE = Buffer.from("FAILURE");
const HELLO = Buffer.from("hello");
const WORLD = Buffer.from("world");
const MULTIPART = Buffer.from("multipart");
const EMPTY = Buffer.alloc(0);
const SHOWN_BYTES = 32; // a short wrong reply in case large is shown in hex up to this size

/** Keeps the socket open, sending nothing, until killed or --timeout-ms has passed. */
async function hold(run) {
  await sleep(run.timeoutMs);
}

/** Answers --count requests as the case says; exit 1 at the end if any verdict was FAILURE. */
async function reply(run) {
  const kase = run.caseName;
  // Built once, before the socket exists (64 MiB in case large, sent back as it is).
  const expected = kase === "array" || kase === "large" ? f64Bytes(run.seed, run.length) : null;
  let failures = 0;
  await withSocket(zmq.Reply, run, null, async (sock) => {
    for (let seq = 0; seq < run.count; seq++) {
      const what = `the reply to request ${seq}`;
      const frames = await receiveFrames(sock, run, `request ${seq} of ${run.count}`);
      if (printsFrames(kase)) {
        // multipart: the very same frames back; empty: a zero-length reply. Nothing is checked.
        emit(framesLine(seq, frames));
        await send(sock, run, kase === "multipart" ? frames : EMPTY, what);
        continue;
      }
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
      } else if (kase === "large") {
        answer = expected; // the array itself back
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
    if (kase === "reconnect") {
      await hold(run);
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

/** Why a reply in case large is not the array sent, for the error line. */
function largeMismatch(seq, answer, sent) {
  if (answer.length !== sent.length) {
    const shown = answer.length <= SHOWN_BYTES ? ` (hex ${answer.toString("hex")})` : "";
    return `reply to request ${seq} was ${answer.length} bytes${shown}, not the ${sent.length} bytes sent`;
  }
  let byte = 0;
  while (answer[byte] === sent[byte]) {
    byte++;
  }
  return `reply to request ${seq} differs from the ${sent.length} bytes sent, first at byte ${byte}`;
}

/** The requester's socket options: case heartbeat's, before connecting. */
function configureRequester(run) {
  if (run.caseName !== "heartbeat") {
    return null;
  }
  // libzmq has had these since 4.2 (reconnection off, -1, since 3.x); one built without them
  // refuses the option (EINVAL): that is what this engine lacks, exit 4, not a failed call.
  const set = (sock, name, option, value) => {
    try {
      sock[name] = value;
    } catch (e) {
      if (e && e.code === "EINVAL") {
        throw new PeerError(
          ExitCode.UNSUPPORTED,
          `libzmq ${zmq.version} refuses ${option} = ${value}: case heartbeat needs ZMTP heartbeats ` +
            "and reconnection turned off",
        );
      }
      throw e;
    }
  };
  return (sock) => {
    set(sock, "heartbeatInterval", "ZMQ_HEARTBEAT_IVL", run.heartbeatIvlMs);
    set(sock, "heartbeatTimeout", "ZMQ_HEARTBEAT_TIMEOUT", 3 * run.heartbeatIvlMs);
    set(sock, "reconnectInterval", "ZMQ_RECONNECT_IVL", -1); // a link that dies stays dead
  };
}

/** The request the case sends (the same every time). */
function requestOf(run) {
  switch (run.caseName) {
    case "array":
    case "large":
      return f64Bytes(run.seed, run.length, run.corruptIndex);
    case "multipart":
      return [MULTIPART, EMPTY, f64Bytes(run.seed, run.length, run.corruptIndex)];
    case "empty":
      return EMPTY;
    default:
      return HELLO; // hello, reconnect, heartbeat
  }
}

/** Sends --count requests and prints each reply; exit 1 if any was unexpected. */
async function request(run) {
  const kase = run.caseName;
  const payload = requestOf(run);
  const expected = kase === "array" ? SUCCESS : WORLD; // for the cases that print replies
  let unexpected = null; // the error line for the first unexpected reply
  await withSocket(zmq.Request, run, configureRequester(run), async (sock) => {
    for (let seq = 0; seq < run.count; seq++) {
      if (kase === "heartbeat" && seq > 0) {
        await sleep(run.silenceMs); // the deliberate silence the heartbeats must bridge
      }
      await send(sock, run, payload, `request ${seq}`);
      const waitingFor = `the reply to request ${seq}`;
      if (printsFrames(kase)) {
        emit(framesLine(seq, await receiveFrames(sock, run, waitingFor)));
      } else {
        const answer = await receive(sock, run, waitingFor);
        if (kase === "large") {
          const matches = answer.equals(payload);
          emit({ seq, reply_bytes: answer.length, matches });
          if (!matches && unexpected === null) {
            unexpected = largeMismatch(seq, answer, payload);
          }
        } else {
          emit(replyLine(seq, answer));
          if (!answer.equals(expected) && unexpected === null) {
            unexpected =
              `reply to request ${seq} was ${quoted(answer)} (hex ${answer.toString("hex")}), ` +
              `expected ${quoted(expected)}`;
          }
        }
      }
      if (run.pauseAfter === seq + 1) {
        emit({ event: "paused" });
        await waitForLine();
      }
    }
  });
  if (unexpected !== null) {
    throw new PeerError(ExitCode.MISMATCH, unexpected);
  }
}

module.exports = { reply, request };
