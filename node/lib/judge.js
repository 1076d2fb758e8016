// judge.js: a replier's verdict on one request: the array case (length first, then every value
// bit for bit) or the hello case; and floats written the way the Python peer writes them.
"use strict";

const HELLO = Buffer.from("hello");
const SHOWN_BYTES = 32; // a wrong hello request is shown as at most this many bytes of hex

/**
 * A float as Python's repr() writes it: the shortest digits that round-trip (JavaScript finds
 * the same ones), in positional notation for exponents -4..15, else as 1.5e-05 / 1e+16.
 */
function floatRepr(x) {
  if (Number.isNaN(x)) {
    return "nan";
  }
  if (!Number.isFinite(x)) {
    return x > 0 ? "inf" : "-inf";
  }
  if (x === 0) {
    return Object.is(x, -0) ? "-0.0" : "0.0";
  }
  const sign = x < 0 ? "-" : "";
  const [mantissa, exponentText] = Math.abs(x).toExponential().split("e");
  const exponent = Number(exponentText);
  const digits = mantissa.replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const shown = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${shown}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  if (exponent < 0) {
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  const whole = exponent + 1;
  if (digits.length <= whole) {
    return `${sign}${digits}${"0".repeat(whole - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, whole)}.${digits.slice(whole)}`;
}

/** Case hello: the request must be exactly `hello`. */
function judgeHello(request) {
  if (request.equals(HELLO)) {
    return null;
  }
  const shown = request.subarray(0, SHOWN_BYTES).toString("hex");
  return { detail: `expected "hello", got ${request.length} bytes: ${shown}` };
}

/**
 * Case array: the request's bytes against the expected array's, length first, then value by
 * value bit for bit (so -0.0 differs from 0.0 and NaNs compare by payload).
 */
function judgeArray(request, expected) {
  if (request.length !== expected.length) {
    const values = expected.length / 8;
    return {
      detail:
        `length mismatch: expected ${expected.length} bytes (${values} float64), ` +
        `got ${request.length} bytes`,
      expected_bytes: expected.length,
      got_bytes: request.length,
    };
  }
  if (request.equals(expected)) {
    return null;
  }
  let byte = 0;
  while (request[byte] === expected[byte]) {
    byte++;
  }
  const index = Math.floor(byte / 8);
  const want = floatRepr(expected.readDoubleLE(index * 8));
  const got = floatRepr(request.readDoubleLE(index * 8));
  return { detail: `value mismatch at index ${index}: expected ${want}, got ${got}`, index };
}

/** The verdict's failure fields, or null when the request is the expected one. */
function judge(request, expected) {
  return expected === null ? judgeHello(request) : judgeArray(request, expected);
}

module.exports = { floatRepr, judge };
