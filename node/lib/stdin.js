// stdin.js: the contract's stdin rules ("Stdin" in docs/peer-contract.md): --exit-with-stdin
// watches stdin and ends the peer when it reaches end-of-file; --pause-after reads one line at
// the pause. The two never meet (together they are a usage error).
//
// Both read through process.stdin, the event loop's own reader: no thread blocks in read(2),
// and the role's sockets are not disturbed. The watcher's handle is unref'd, so it never keeps
// the process alive once the role is done; reading stops for good after the pause's line.
"use strict";

const { ExitCode, PeerError, STDIN_CLOSED, errorLine } = require("./contract");

/** Lets the process end without waiting for stdin (a file or dummy stream has no handle). */
function unref(stream) {
  if (typeof stream.unref === "function") {
    stream.unref();
  }
}

/**
 * --exit-with-stdin: reads stdin to its end, then ends the process at once with exit 6. The
 * harness that holds the pipe is gone then, so nothing queued is worth waiting for: this is the
 * one place process.exit() is right on purpose.
 */
function exitWhenClosed() {
  const stdin = process.stdin;
  const gone = () => {
    errorLine(STDIN_CLOSED);
    process.exit(ExitCode.ERROR);
  };
  stdin.on("data", () => {}); // lines written to a watched stdin mean nothing
  stdin.once("end", gone);
  stdin.once("error", gone); // a stdin that cannot be read any more is a closed one
  unref(stdin);
}

/**
 * --pause-after: resolves once one line has been read (a last line without its newline counts,
 * as Rust's read_line counts it); end-of-file first is exit 6. Then stdin is left alone.
 */
function waitForLine() {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let seen = false;
    const stop = () => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onError);
      stdin.pause();
      unref(stdin);
    };
    const onData = (chunk) => {
      seen = true;
      if (chunk.includes(0x0a)) {
        stop();
        resolve();
      }
    };
    const onEnd = () => {
      stop();
      if (seen) {
        resolve();
      } else {
        reject(new PeerError(ExitCode.ERROR, STDIN_CLOSED));
      }
    };
    const onError = (e) => {
      stop();
      reject(new PeerError(ExitCode.ERROR, `reading stdin failed: ${e && e.message ? e.message : String(e)}`));
    };
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.on("error", onError);
    stdin.resume();
  });
}

module.exports = { exitWhenClosed, waitForLine };
