// peers.js: test support (not a test file): runs node/peer.js as a real process, reads its
// ready line (or any line it waits for), and collects its exit code, JSON lines and stderr,
// each wait with a deadline.
"use strict";

const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const path = require("node:path");
const readline = require("node:readline");

const PEER = path.join(__dirname, "..", "peer.js");
const DEADLINE_MS = 20000;

/**
 * A running peer: `ready()` resolves to its endpoint, `line(predicate)` to the first line that
 * satisfies it, `finish()` to what it printed. `options.stdin` is "ignore" (the default, as
 * the harness's stdin is never read without the stdin options) or "pipe" (`child.stdin`).
 */
function startWith(options, ...args) {
  const stdin = options.stdin ?? "ignore";
  const child = spawn(process.execPath, [PEER, ...args], { stdio: [stdin, "pipe", "pipe"] });
  const lines = [];
  let stderr = "";
  let waiters = [];
  readline.createInterface({ input: child.stdout }).on("line", (text) => {
    const line = JSON.parse(text);
    lines.push(line);
    waiters = waiters.filter(({ predicate, resolve }) => {
      if (predicate(line)) {
        resolve(line);
        return false;
      }
      return true;
    });
  });
  child.stderr.setEncoding("utf8").on("data", (text) => {
    stderr += text;
  });
  const exited = new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), DEADLINE_MS);
  const finish = async () => {
    const { code, signal } = await exited;
    clearTimeout(timer);
    // Whatever happened, no stack trace may reach stderr.
    assert.doesNotMatch(stderr, /^\s+at /m, stderr);
    return { code, signal, lines, stderr };
  };
  /** The first line (already printed or still to come) that satisfies `predicate`. */
  const line = async (predicate) => {
    const seen = lines.find(predicate);
    if (seen !== undefined) {
      return seen;
    }
    const coming = new Promise((resolve) => waiters.push({ predicate, resolve }));
    const found = await Promise.race([coming, exited.then(() => null)]);
    assert.ok(found !== null, `the peer exited before the line awaited: ${stderr}`);
    return found;
  };
  return {
    child,
    finish,
    line,
    async ready() {
      const first = await line(() => true);
      assert.equal(first.event, "ready");
      return first.endpoint;
    },
  };
}

/** A running peer, its stdin /dev/null. */
function start(...args) {
  return startWith({}, ...args);
}

/** Runs a peer to its end. */
function run(...args) {
  return start(...args).finish();
}

module.exports = { run, start, startWith };
