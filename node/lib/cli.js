// cli.js: the peer's main: parse, dispatch the role, and turn every failure into the contract's
// exit code and one `error:` line; never a stack trace.
"use strict";

const { ExitCode, PeerError, checkCase, emit, errorLine, parse } = require("./contract");
const { exitWhenClosed } = require("./stdin");
const { StdoutClosed } = require("./stdio");

// The module of each role group, loaded only for its roles.
const ROLE_MODULES = {
  pub: ["./pubsub", "publish"],
  sub: ["./pubsub", "subscribe"],
  rep: ["./reqrep", "reply"],
  req: ["./reqrep", "request"],
  "thr-push": ["./perf", "thr-push"],
  "thr-pull": ["./perf", "thr-pull"],
  "lat-req": ["./perf", "lat-req"],
  "lat-rep": ["./perf", "lat-rep"],
};

/** zeromq.js, or exit 6 saying why it cannot be loaded (not installed, addon refused). */
function loadInfo() {
  try {
    return require("./info");
  } catch (e) {
    const reason = e && e.message ? e.message.split("\n")[0] : String(e);
    throw new PeerError(ExitCode.ERROR, `cannot load zeromq (is NODE_PATH set to its node_modules?): ${reason}`);
  }
}

async function play(argv) {
  const run = parse(argv);
  if (run !== null) {
    checkCase(run);
    if (run.exitWithStdin) {
      exitWhenClosed();
    }
  }
  // Loaded after parsing: a usage error does not pay for zeromq, and no socket can exist yet.
  const info = loadInfo();
  if (run === null) {
    emit(info.info());
    return;
  }
  info.requireTransport(run.transport);
  info.requireMechanism(run.security.mechanism);
  const [path, name] = ROLE_MODULES[run.role];
  await require(path)[name](run);
}

/** An error no role turned into a PeerError, as the contract's failure. */
function asFailure(e) {
  if (e instanceof PeerError) {
    return e;
  }
  if (e instanceof StdoutClosed) {
    return new PeerError(ExitCode.ERROR, "stdout closed");
  }
  const name = e && e.name ? e.name : typeof e;
  const message = e && e.message ? e.message : String(e);
  return new PeerError(ExitCode.ERROR, `internal error: ${name}: ${message}`);
}

/** Runs the peer; resolves to its exit code. */
async function main(argv) {
  try {
    await play(argv);
    return ExitCode.OK;
  } catch (e) {
    const failure = asFailure(e);
    errorLine(failure.reason);
    return failure.code;
  }
}

module.exports = { asFailure, main };
