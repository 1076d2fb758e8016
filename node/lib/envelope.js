// envelope.js: the fancyhw envelope, `topic ++ " " ++ samples as int16 little-endian`: encoding
// it (pub) and decoding it (sub) with the contract's checks, in its order, each with its exact
// reason text.
"use strict";

const SPACE = 0x20;

/** A received message that is not a fancyhw envelope; `message` is the contract's reason. */
class MalformedEnvelope extends Error {}

/** topic ++ " " ++ samples as int16 little-endian. `topic` is printable ASCII. */
function encode(topic, samples) {
  const bytes = Buffer.allocUnsafe(topic.length + 1 + samples.length * 2);
  const offset = bytes.write(topic, 0, "latin1");
  bytes[offset] = SPACE;
  for (let i = 0; i < samples.length; i++) {
    bytes.writeInt16LE(samples[i], offset + 1 + i * 2);
  }
  return bytes;
}

/**
 * The topic and samples of an envelope, checked in the contract's order. `topic` and
 * `samples` (the expected topic and count) are optional: null skips their check.
 */
function decode(message, topic = null, samples = null) {
  if (message.length === 0) {
    throw new MalformedEnvelope("malformed envelope: empty message");
  }
  const space = message.indexOf(SPACE);
  if (space < 0) {
    throw new MalformedEnvelope("malformed envelope: no space separating topic and samples");
  }
  if (space === 0) {
    throw new MalformedEnvelope("malformed envelope: empty topic");
  }
  for (let offset = 0; offset < space; offset++) {
    const byte = message[offset];
    if (byte < 0x21 || byte > 0x7e) {
      const hex = byte.toString(16).padStart(2, "0");
      throw new MalformedEnvelope(
        `malformed envelope: topic is not printable ASCII (byte 0x${hex} at offset ${offset})`,
      );
    }
  }
  const text = message.toString("latin1", 0, space);
  if (topic !== null && text !== topic) {
    throw new MalformedEnvelope(`malformed envelope: topic "${text}" is not the expected "${topic}"`);
  }
  const payload = message.length - space - 1;
  if (payload % 2 !== 0) {
    throw new MalformedEnvelope(
      `malformed envelope: payload of ${payload} bytes is not a whole number of int16 samples`,
    );
  }
  const n = payload / 2;
  if (samples !== null && n !== samples) {
    throw new MalformedEnvelope(`malformed envelope: expected ${samples} samples, got ${n}`);
  }
  const values = new Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = message.readInt16LE(space + 1 + i * 2);
  }
  return { topic: text, samples: values };
}

module.exports = { MalformedEnvelope, decode, encode };
