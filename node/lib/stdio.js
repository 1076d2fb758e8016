// stdio.js: whole lines to stdout and stderr, written synchronously so nothing is lost on exit.
//
// process.stdout is asynchronous when it is a pipe (the harness reads the peer through one):
// a line written just before the process ends could still sit in Node's queue. fs.writeSync
// on the file descriptor is done when it returns. process.stdout is never touched, so Node
// never switches the descriptor to non-blocking mode; should someone else have done so, a full
// pipe (EAGAIN) is waited out here instead of failing.
"use strict";

const fs = require("node:fs");

const STDOUT = 1;
const STDERR = 2;
// Atomics.wait on a private buffer: a real sleep, for the rare full non-blocking pipe.
const pause = new Int32Array(new SharedArrayBuffer(4));

/** The reader of stdout has gone away (EPIPE): the peer cannot report, exit 6. */
class StdoutClosed extends Error {}

function writeAll(fd, text) {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      if (e.code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 1);
      } else if (e.code === "EPIPE" && fd === STDOUT) {
        throw new StdoutClosed("stdout closed");
      } else {
        throw e;
      }
    }
  }
}

/** One line on stdout, complete when this returns. */
function writeOut(line) {
  writeAll(STDOUT, `${line}\n`);
}

/** One line on stderr; a stderr nobody reads is not worth failing for. */
function writeErr(line) {
  try {
    writeAll(STDERR, `${line}\n`);
  } catch {
    // Nowhere left to say it.
  }
}

module.exports = { StdoutClosed, writeErr, writeOut };
