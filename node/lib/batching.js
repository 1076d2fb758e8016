// batching.js: sending and receiving many messages without awaiting each one, for the
// throughput roles.
//
// zeromq.js answers every send() and receive() with a promise, and awaiting one per message
// costs more than the message itself. With the timeout option at 0, zeromq.js takes its
// synchronous path for every call (socket.cc: `send_timeout == 0 || ...`): the promise is
// already settled when the call returns, resolved, or rejected with EAGAIN when the queue is
// full (send) or empty (receive). So a batch of calls is issued at once, then one await lets
// all their handlers run; the batch doubles while every call succeeds. On EAGAIN the batch
// shrinks to one and a single call is awaited with the contract's timeout restored, which is
// where waiting happens (and times out, exit 3). Every message is counted once, whatever the
// order the calls succeeded in: the benchmark's contents are unspecified, only counts and
// sizes matter.
"use strict";

const MAX_BATCH = 1024;

/** Tallies the settled calls of one batch. */
class Batch {
  constructor() {
    this.done = 0;
    this.again = 0;
    this.failure = null;
    this.onDone = () => {
      this.done++;
    };
    this.onError = (e) => {
      if (e && e.code === "EAGAIN") {
        this.again++;
      } else if (this.failure === null) {
        this.failure = e;
      }
    };
  }

  reset() {
    this.done = 0;
    this.again = 0;
  }
}

/**
 * Sends `payload` `count` times. `failed(error, index)` turns a send's failure into the
 * contract's (exit 3 on the timeout).
 */
async function sendAll(sock, payload, count, timeoutMs, failed) {
  const batch = new Batch();
  let sent = 0;
  let size = 1;
  while (sent < count) {
    const n = Math.min(size, count - sent);
    batch.reset();
    sock.sendTimeout = 0;
    for (let i = 0; i < n; i++) {
      sock.send(payload).then(batch.onDone, batch.onError);
    }
    await null; // every handler above runs before this resumes: the promises were settled
    if (batch.failure !== null) {
      throw failed(batch.failure, sent + batch.done);
    }
    sent += batch.done;
    if (batch.again === 0) {
      size = Math.min(size * 2, MAX_BATCH);
    } else if (sent < count) {
      // The queue is full: wait for room, with the contract's timeout.
      size = 1;
      sock.sendTimeout = timeoutMs;
      try {
        await sock.send(payload);
      } catch (e) {
        throw failed(e, sent);
      }
      sent++;
    }
  }
  sock.sendTimeout = timeoutMs;
}

/**
 * Receives `count` messages, passing each message's frames to `check` (which throws to stop).
 * `failed(error, index)` turns a receive's failure into the contract's (exit 3 on the timeout).
 */
async function receiveAll(sock, count, timeoutMs, check, failed) {
  const batch = new Batch();
  let checkFailure = null;
  const onFrames = (frames) => {
    try {
      check(frames);
      batch.onDone();
    } catch (e) {
      if (checkFailure === null) {
        checkFailure = e;
      }
    }
  };
  let received = 0;
  let size = 1;
  while (received < count) {
    const n = Math.min(size, count - received);
    batch.reset();
    sock.receiveTimeout = 0;
    for (let i = 0; i < n; i++) {
      sock.receive().then(onFrames, batch.onError);
    }
    await null; // as in sendAll: every handler has run
    if (checkFailure !== null) {
      throw checkFailure;
    }
    if (batch.failure !== null) {
      throw failed(batch.failure, received + batch.done);
    }
    received += batch.done;
    if (batch.again === 0) {
      size = Math.min(size * 2, MAX_BATCH);
    } else if (received < count) {
      // Nothing queued: wait for the next message, with the contract's timeout.
      size = 1;
      sock.receiveTimeout = timeoutMs;
      let frames;
      try {
        frames = await sock.receive();
      } catch (e) {
        throw failed(e, received);
      }
      check(frames);
      received++;
    }
  }
  sock.receiveTimeout = timeoutMs;
}

module.exports = { receiveAll, sendAll };
