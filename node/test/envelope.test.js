// envelope.test.js: encoding and decoding the fancyhw envelope, and every malformed envelope of
// crates/harness/tests/data/malformed.json refused with its exact reason.
"use strict";

const assert = require("node:assert/strict");
const path = require("node:path");
const { test } = require("node:test");
const { MalformedEnvelope, decode, encode } = require("../lib/envelope");

const MALFORMED = require(path.join(__dirname, "..", "..", "crates", "harness", "tests", "data", "malformed.json"));

test("an envelope is topic, one space, int16 little-endian samples, and decodes back", () => {
  const bytes = encode("fancyhw_data", [1, -2, 32767, -32768]);
  assert.equal(bytes.toString("hex"), `${Buffer.from("fancyhw_data ").toString("hex")}0100feffff7f0080`);
  assert.deepEqual(decode(bytes, "fancyhw_data", 4), { topic: "fancyhw_data", samples: [1, -2, 32767, -32768] });
});

test("the expected topic and sample count are optional", () => {
  assert.deepEqual(decode(Buffer.from("t \x05\x00", "latin1")), { topic: "t", samples: [5] });
  assert.deepEqual(decode(Buffer.from("t ", "latin1"), "t", 0), { topic: "t", samples: [] });
});

test("every malformed.json entry is refused with its exact reason", () => {
  assert.ok(MALFORMED.length >= 7);
  for (const entry of MALFORMED) {
    assert.throws(
      () => decode(Buffer.from(entry.hex, "hex"), "fancyhw_data", 16),
      (e) => e instanceof MalformedEnvelope && e.message === entry.reason,
      entry.name,
    );
  }
});

test("the checks come in the contract's order", () => {
  const reason = (hex) => {
    try {
      decode(Buffer.from(hex, "hex"), "fancyhw_data", 16);
    } catch (e) {
      return e.message;
    }
    return null;
  };
  // A space in the payload still splits at the first one.
  assert.equal(reason("7420"), 'malformed envelope: topic "t" is not the expected "fancyhw_data"');
  // A non-printable byte is named before the topic is compared: tab at offset 1.
  assert.equal(reason("7409200000"), "malformed envelope: topic is not printable ASCII (byte 0x09 at offset 1)");
  // A wrong topic is named before an odd payload.
  assert.equal(reason("782001"), 'malformed envelope: topic "x" is not the expected "fancyhw_data"');
  // An odd payload is named before the sample count.
  const odd = Buffer.concat([Buffer.from("fancyhw_data "), Buffer.alloc(3)]).toString("hex");
  assert.equal(reason(odd), "malformed envelope: payload of 3 bytes is not a whole number of int16 samples");
  const short = Buffer.concat([Buffer.from("fancyhw_data "), Buffer.alloc(30)]).toString("hex");
  assert.equal(reason(short), "malformed envelope: expected 16 samples, got 15");
});
