// zap.js: security on a socket: the mechanism's options, and on the server the ZAP handler
// (RFC 27), a Reply socket at inproc://zeromq.zap.01 in the same context, answering on the
// event loop: it admits exactly the allow list and prints a zap line per request.
"use strict";

const zmq = require("zeromq");
const { ExitCode, PeerError, emit } = require("./contract");
const { z85Encode } = require("./security");

/** Whether the bundled libzmq has the mechanism (NULL and PLAIN always; CURVE with libsodium). */
function hasMechanism(mechanism) {
  return mechanism !== "curve" || Boolean(zmq.capability.curve);
}

function missingMechanism(mechanism) {
  return `libzmq ${zmq.version} (bundled with zeromq.js) was built without ${mechanism.toUpperCase()}`;
}

/** Exit 4 before any socket exists when the bundled libzmq lacks the mechanism. */
function requireMechanism(mechanism) {
  if (!hasMechanism(mechanism)) {
    throw new PeerError(ExitCode.UNSUPPORTED, missingMechanism(mechanism));
  }
}

/** Whether a request is on the allow list, and who asked (never a password). */
function admits(security, frames) {
  const mechanism = frames.length > 5 ? frames[5].toString("latin1") : "";
  if (security.mechanism === "plain" && mechanism === "PLAIN" && frames.length === 8) {
    const user = frames[6].toString("latin1");
    return [security.allow.includes(`${user} ${frames[7].toString("latin1")}`), user];
  }
  if (security.mechanism === "curve" && mechanism === "CURVE" && frames.length === 7 && frames[6].length === 32) {
    const key = z85Encode(frames[6]);
    return [security.allow.includes(key), key];
  }
  return [false, ""];
}

/** Starts the ZAP handler: binds now, answers until closed. */
async function startZap(security) {
  const socket = new zmq.Reply();
  socket.linger = 0;
  await socket.bind("inproc://zeromq.zap.01");
  const serving = (async () => {
    for (;;) {
      let frames;
      try {
        frames = await socket.receive();
      } catch {
        return; // closed: the role is over
      }
      const [allowed, identity] = admits(security, frames);
      emit({ event: "zap", mechanism: security.mechanism, identity, allowed });
      const requestId = frames.length > 1 ? frames[1] : Buffer.alloc(0);
      const status = allowed ? ["200", "OK"] : ["400", "not on the allow list"];
      try {
        await socket.send(["1.0", requestId, ...status, allowed ? "interop" : "", ""]);
      } catch {
        return;
      }
    }
  })();
  return {
    close() {
      socket.close();
      return serving;
    },
  };
}

/** Sets the mechanism's options on sock (before bind or connect); a server's ZAP handler is returned. */
async function secure(sock, security) {
  if (security.mechanism === "null") {
    return null;
  }
  let handler = null;
  if (security.server) {
    handler = await startZap(security);
    sock.zapDomain = "interop";
  }
  if (security.mechanism === "plain") {
    if (security.server) {
      sock.plainServer = true;
    } else {
      sock.plainUsername = security.user;
      sock.plainPassword = security.password;
    }
  } else if (security.server) {
    sock.curveServer = true;
    sock.curveSecretKey = security.secretKey;
  } else {
    sock.curveServerKey = security.serverKey;
    sock.curvePublicKey = security.publicKey;
    sock.curveSecretKey = security.secretKey;
  }
  return handler;
}

module.exports = { hasMechanism, missingMechanism, requireMechanism, secure };
