// peers.js: test support (not a test file): runs node/peer.js as a real process, reads its
// ready line, and collects its exit code, JSON lines and stderr, each wait with a deadline.
"use strict";

const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const path = require("node:path");
const readline = require("node:readline");

const PEER = path.join(__dirname, "..", "peer.js");
const DEADLINE_MS = 20000;

/** A running peer: `ready()` resolves to its endpoint, `finish()` to what it printed. */
function start(...args) {
  const child = spawn(process.execPath, [PEER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines = [];
  let stderr = "";
  let readyResolve;
  const ready = new Promise((resolve) => {
    readyResolve = resolve;
  });
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(JSON.parse(line));
    if (lines.length === 1) {
      readyResolve(lines[0]);
    }
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
  return {
    child,
    finish,
    async ready() {
      const line = await Promise.race([ready, exited.then(() => null)]);
      assert.ok(line !== null, `the peer exited before its ready line: ${stderr}`);
      assert.equal(line.event, "ready");
      return line.endpoint;
    },
  };
}

/** Runs a peer to its end. */
function run(...args) {
  return start(...args).finish();
}

module.exports = { run, start };
