// info.js: what this peer is (--info), and exit 4 for a transport the bundled libzmq lacks.
"use strict";

const zmq = require("zeromq");
const { CASES, ExitCode, PeerError, ROLES } = require("./contract");
const { hasMechanism, missingMechanism, requireMechanism } = require("./zap");

// Read at run time from the installed package, never written down here.
const ZEROMQ_JS_VERSION = require("zeromq/package.json").version;

// Where this peer does what the binding does not do by itself, one sentence each.
const WORKAROUNDS = [
  "The peer never calls process.exit(): zeromq.js terminates its context (honouring ZMQ_LINGER) " +
    "only when Node's environment is torn down, which process.exit() skips, dropping queued " +
    "messages; sockets are closed and the process is left to end by itself with process.exitCode.",
];

/** tcp is always built into libzmq; zmq.capability knows the optional transports. */
function hasTransport(transport) {
  return transport === "tcp" || zmq.capability[transport] === true;
}

/** Why a transport is missing, naming the versions that decide it. */
function missingReason(transport) {
  return `libzmq ${zmq.version} (bundled with zeromq.js ${ZEROMQ_JS_VERSION}) was built without ${transport}`;
}

/** The --info object. */
function info() {
  const transports = ["tcp", "ipc"].filter(hasTransport);
  const line = {
    lang: "javascript",
    impl: "zeromq.js",
    impl_version: ZEROMQ_JS_VERSION,
    engine: "libzmq",
    engine_version: zmq.version,
    libzmq: zmq.version,
    transports,
    roles: [...ROLES],
    node: process.version,
  };
  const missing = ["tcp", "ipc"].filter((t) => !transports.includes(t));
  if (missing.length > 0) {
    line.unsupported = Object.fromEntries(missing.map((t) => [t, missingReason(t)]));
  }
  line.workarounds = WORKAROUNDS;
  line.cases = [...CASES];
  line.mechanisms = ["null", "plain", "curve"].filter(hasMechanism);
  const lacking = ["curve"].filter((m) => !hasMechanism(m));
  if (lacking.length > 0) {
    line.unsupported = { ...line.unsupported, ...Object.fromEntries(lacking.map((m) => [m, missingMechanism(m)])) };
  }
  return line;
}

/** Exit 4 before any socket exists when the endpoint's transport is missing. */
function requireTransport(transport) {
  if (!hasTransport(transport)) {
    throw new PeerError(ExitCode.UNSUPPORTED, missingReason(transport));
  }
}

module.exports = { info, requireMechanism, requireTransport };
