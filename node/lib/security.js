// security.js: the contract's security options (--security and its material): validated, and
// the files read, before any socket exists. Secrets come in files (command lines appear in
// reports). No zeromq here: keys are checked by a small Z85 decoder (RFC 32).
"use strict";

const fs = require("node:fs");

const Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
const PLAIN_MAX_BYTES = 255;

/** RFC 32's decoding, or null for text that is not Z85. */
function z85Decode(text) {
  if (text.length % 5 !== 0) {
    return null;
  }
  const out = Buffer.alloc((text.length / 5) * 4);
  for (let g = 0; g < text.length / 5; g++) {
    let value = 0;
    for (let k = 0; k < 5; k++) {
      const digit = Z85.indexOf(text[g * 5 + k]);
      if (digit < 0) {
        return null;
      }
      value = value * 85 + digit;
    }
    if (value >= 2 ** 32) {
      return null;
    }
    out.writeUInt32BE(value, g * 4);
  }
  return out;
}

/** RFC 32's encoding of a multiple of 4 bytes. */
function z85Encode(bytes) {
  let text = "";
  for (let g = 0; g < bytes.length / 4; g++) {
    let value = bytes.readUInt32BE(g * 4);
    let group = "";
    for (let k = 0; k < 5; k++) {
      group = Z85[value % 85] + group;
      value = Math.floor(value / 85);
    }
    text += group;
  }
  return text;
}

/** The contract's security of a run, from the scanned options; `usage` builds exit 2. */
function readSecurity(given, server, usage) {
  const mechanism = given.has("--security") ? given.get("--security") : "null";
  const get = (name) => (given.has(name) ? given.get(name) : null);
  const need = (name) => {
    if (get(name) === null) {
      const side = server ? "the binder (server)" : "the connector (client)";
      throw usage(`--security ${mechanism} needs ${name} on ${side}`);
    }
    return get(name);
  };
  const unused = (name) => {
    if (get(name) !== null) {
      throw usage(`${name} does not apply to --security ${mechanism}`);
    }
  };
  const key = (option, text) => {
    if (text.length !== 40) {
      throw usage(`${option}: a Z85 key is 40 characters, not ${text.length}`);
    }
    const bytes = z85Decode(text);
    if (bytes === null) {
      throw usage(`${option}: not a Z85 key`);
    }
    return bytes;
  };
  const printable = (text, space) =>
    text.length > 0 &&
    text.length <= PLAIN_MAX_BYTES &&
    [...text].every((c) => (c >= "!" && c <= "~") || (space && c === " "));
  const plain = (option, user, password) => {
    if (!printable(user, false)) {
      throw usage(`${option}: a user name is 1..=255 bytes of printable ASCII without space`);
    }
    if (!printable(password, true)) {
      throw usage(`${option}: a password is 1..=255 bytes of printable ASCII`);
    }
  };
  const lines = (option) => {
    const path = get(option);
    let text;
    try {
      text = fs.readFileSync(path, "latin1");
    } catch (e) {
      throw usage(`${option} ${path}: ${e.code || e.message}`);
    }
    const found = text
      .split("\n")
      .map((l) => l.replace(/\r$/, ""))
      .filter((l) => l.length > 0);
    if (found.length === 0) {
      throw usage(`${option} ${path}: the file is empty`);
    }
    return found;
  };
  if (get("--curve-server-key") !== null) {
    key("--curve-server-key", get("--curve-server-key"));
  }
  if (mechanism === "null") {
    for (const name of ["--plain-user", "--plain-password-file", "--curve-keys-file", "--curve-server-key", "--zap-allow-file"]) {
      unused(name);
    }
    return { mechanism, server: false };
  }
  if (mechanism === "plain") {
    unused("--curve-keys-file");
    unused("--curve-server-key");
    if (server) {
      need("--zap-allow-file");
      const allow = lines("--zap-allow-file").map((line) => {
        const space = line.indexOf(" ");
        if (space < 0) {
          throw usage("--zap-allow-file: a PLAIN line is `USER PASSWORD`");
        }
        const [user, password] = [line.slice(0, space), line.slice(space + 1)];
        plain("--zap-allow-file", user, password);
        return `${user} ${password}`;
      });
      return { mechanism, server: true, allow };
    }
    const user = need("--plain-user");
    need("--plain-password-file");
    const found = lines("--plain-password-file");
    if (found.length !== 1) {
      throw usage("--plain-password-file: one line, the password");
    }
    plain("--plain-user", user, found[0]);
    return { mechanism, server: false, user, password: found[0] };
  }
  unused("--plain-user");
  unused("--plain-password-file");
  need("--curve-keys-file");
  const pair = lines("--curve-keys-file");
  if (pair.length !== 2) {
    throw usage("--curve-keys-file: two lines, the public key then the secret key (Z85)");
  }
  pair.forEach((k) => key("--curve-keys-file", k));
  const [publicKey, secretKey] = pair;
  if (server) {
    unused("--curve-server-key");
    need("--zap-allow-file");
    const allow = lines("--zap-allow-file").map((k) => z85Encode(key("--zap-allow-file", k)));
    return { mechanism, server: true, publicKey, secretKey, allow };
  }
  unused("--zap-allow-file");
  const serverKey = need("--curve-server-key");
  return { mechanism, server: false, publicKey, secretKey, serverKey };
}

module.exports = { readSecurity, z85Decode, z85Encode };
