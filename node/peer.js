// peer.js: the JavaScript peer, `node node/peer.js <role> [options]` or `node node/peer.js --info`
// (docs/peer-contract.md). zeromq.js is found through NODE_PATH; lib/ does the work.
"use strict";

const { errorLine } = require("./lib/contract");
const { asFailure, main } = require("./lib/cli");

// Last resort: whatever escaped is still one `error:` line and exit 6, never a stack trace.
// Here the process must stop at once, queued messages or not: it has already failed.
function fatal(e) {
  const failure = asFailure(e);
  errorLine(failure.reason);
  process.exit(failure.code);
}
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);

// process.exit() is not called on the way out: zeromq.js terminates its context, which sends
// what the closed sockets still hold (within ZMQ_LINGER), only when the process ends by itself.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
