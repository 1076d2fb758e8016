// sockets.js: what every role shares: a socket with the contract's options, bound or connected,
// with the ready line printed; receive and send with the timeout turned into exit 3, a
// multipart message into exit 5, and any other zeromq failure into exit 6 naming the call.
//
// Closing a socket is synchronous in zeromq.js; what it still holds to send leaves during the
// context's termination at the end of the process, within ZMQ_LINGER (see info.js, workarounds).
"use strict";

const zmq = require("zeromq");
const { ExitCode, PeerError, multipart, ready, timedOut } = require("./contract");
const { secure } = require("./zap");

// The ZAP handler of each open socket: closed with it (a pending receive keeps Node alive).
const zapHandlers = new WeakMap();

// ZMQ_BLOCKY off: a socket whose linger was somehow not set gets 0, not forever, so the exit
// can never hang (every socket here sets its linger explicitly; this is the safety net).
zmq.context.blocky = false;

/**
 * A zeromq.js error as the contract's failure: exit 4 for an unknown transport, else 6. The
 * errno's name is added: zeromq.js words some errors its own way (ENOENT is "No such
 * endpoint", where zmq_strerror says "No such file or directory").
 */
function callFailed(call, error) {
  const message = error && error.message ? error.message : String(error);
  const code = error && typeof error.code === "string" ? ` (${error.code})` : "";
  const reason = `${call} failed: ${message}${code}`;
  if (error && error.code === "EPROTONOSUPPORT") {
    return new PeerError(ExitCode.UNSUPPORTED, reason);
  }
  return new PeerError(ExitCode.ERROR, reason);
}

/**
 * A socket of class `Kind` with linger and timeouts set, `configure`d (role options, before
 * bind or connect as libzmq wants them), bound or connected, and the ready line printed.
 */
async function openSocket(Kind, run, configure = null) {
  let sock;
  try {
    sock = new Kind();
  } catch (e) {
    throw callFailed("zmq_socket", e);
  }
  try {
    // Senders wait (up to the timeout) for their last messages to leave; receivers have
    // nothing left to send, and must not wait on a subscription queued for a gone peer.
    sock.linger = run.sendsLast ? run.timeoutMs : 0;
    if ("receiveTimeout" in sock) {
      sock.receiveTimeout = run.timeoutMs;
    }
    if ("sendTimeout" in sock) {
      sock.sendTimeout = run.timeoutMs;
    }
    if (configure !== null) {
      configure(sock);
    }
    const zap = await secure(sock, run.security);
    if (zap !== null) {
      zapHandlers.set(sock, zap);
    }
  } catch (e) {
    await closeSocket(sock);
    // A role's own answer (exit 4: an option this engine lacks) goes through as it is.
    throw e instanceof PeerError ? e : callFailed("zmq_setsockopt", e);
  }
  let endpoint = run.endpoint;
  try {
    if (run.bind) {
      await sock.bind(run.endpoint);
      endpoint = sock.lastEndpoint; // ZMQ_LAST_ENDPOINT: the wildcard port resolved
    } else {
      sock.connect(run.endpoint);
    }
  } catch (e) {
    sock.linger = 0; // nothing was sent: nothing to wait for
    await closeSocket(sock);
    throw callFailed(`${run.bind ? "zmq_bind" : "zmq_connect"}(${run.endpoint})`, e);
  }
  try {
    ready(endpoint);
  } catch (e) {
    sock.linger = 0; // stdout is gone: the peer is failing, nothing is worth waiting for
    await closeSocket(sock);
    throw e;
  }
  return sock;
}

/** Closes a socket, then its ZAP handler if it has one. */
async function closeSocket(sock) {
  sock.close();
  const zap = zapHandlers.get(sock);
  if (zap !== undefined) {
    zapHandlers.delete(sock);
    await zap.close();
  }
}

/** Runs `body(sock)` on an open socket, and closes the socket however `body` ends. */
async function withSocket(Kind, run, configure, body) {
  const sock = await openSocket(Kind, run, configure);
  try {
    return await body(sock);
  } finally {
    await closeSocket(sock);
  }
}

/** A receive's failure: exit 3 on the timeout (EAGAIN), else exit 6. */
function receiveFailed(error, run, waitingFor) {
  return error && error.code === "EAGAIN" ? timedOut(run, waitingFor) : callFailed("zmq_msg_recv", error);
}

/** A send's failure: exit 3 on the timeout (EAGAIN), else exit 6. */
function sendFailed(error, run, what) {
  if (error && error.code === "EAGAIN") {
    return new PeerError(ExitCode.TIMEOUT, `timed out after ${run.timeoutMs} ms sending ${what}`);
  }
  return callFailed("zmq_msg_send", error);
}

/** One message, as all its frames (a zeromq.js receive reads a whole message). */
async function receiveFrames(sock, run, waitingFor) {
  try {
    return await sock.receive();
  } catch (e) {
    throw receiveFailed(e, run, waitingFor);
  }
}

/** One single-frame message; a multipart one is exit 5 (all its frames already read). */
async function receive(sock, run, waitingFor) {
  const frames = await receiveFrames(sock, run, waitingFor);
  if (frames.length !== 1) {
    throw multipart(frames.length);
  }
  return frames[0];
}

/** Sends one message; a send timeout is exit 3. */
async function send(sock, run, data, what) {
  try {
    await sock.send(data);
  } catch (e) {
    throw sendFailed(e, run, what);
  }
}

module.exports = {
  callFailed,
  openSocket,
  receive,
  receiveFailed,
  receiveFrames,
  send,
  sendFailed,
  withSocket,
};
