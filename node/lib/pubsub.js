// pubsub.js: the PUB/SUB roles and their cases ("Cases" in docs/peer-contract.md): a publisher
// of fakehw envelopes (XPUB with --sync, waiting for the first subscription; as three frames,
// as empty messages, under three topics, or holding its socket for a reconnection) and the
// subscriber that decodes and prints each envelope, or prints each message's frames.
"use strict";

const { setTimeout: sleep } = require("node:timers/promises");
const zmq = require("zeromq");
const envelope = require("./envelope");
const { ExitCode, PeerError, emit, framesLine, multipart, printsFrames, topicsCounts } = require("./contract");
const { FakeHw } = require("./fakehw");
const { receiveAll } = require("./batching");
const { receive, receiveFailed, receiveFrames, send, withSocket } = require("./sockets");

const SUBSCRIBE = 1; // XPUB delivers a subscription as a message whose first byte is 1
const EMPTY = Buffer.alloc(0);

// Case topics: the subscriber's two prefixes, and the topic of message i by i mod 3.
const TOPICS_SUBSCRIPTIONS = ["fancyhw_data", "fancy"];
const TOPICS_DROPPED = "fancy"; // unsubscribed half-way
const TOPIC_OF = ["fancyhw_data", "fancyhw_status", "other_data"];

/** What an XPUB receives for a (un)subscription: byte 1 (or 0), then the prefix. */
function subscriptionMessage(flag, prefix) {
  return Buffer.concat([Buffer.from([flag]), Buffer.from(prefix, "latin1")]);
}

/** Receives on the XPUB until a subscription arrives (unsubscriptions, byte 0, are skipped). */
async function waitForSubscriber(sock, run) {
  for (;;) {
    const [first] = await receiveFrames(sock, run, "a subscriber");
    if (first.length > 0 && first[0] === SUBSCRIBE) {
      return;
    }
  }
}

/** Receives on the XPUB until every one of `wanted` has arrived; anything else is ignored. */
async function waitForAll(sock, run, wanted, waitingFor) {
  const missing = [...wanted];
  while (missing.length > 0) {
    const frames = await receiveFrames(sock, run, waitingFor);
    const at = frames.length === 1 ? missing.findIndex((m) => m.equals(frames[0])) : -1;
    if (at >= 0) {
      missing.splice(at, 1);
    }
  }
}

/** Keeps the socket open, sending nothing, until killed or --timeout-ms has passed. */
async function hold(run) {
  await sleep(run.timeoutMs);
}

/** The next --packet-size samples of the one fakehw sequence. */
function nextSamples(hw, samples) {
  for (let i = 0; i < samples.length; i++) {
    samples[i] = hw.readVal();
  }
  return samples;
}

/** Sends --count messages (2 x --count in case topics) as the case says. */
async function publish(run) {
  const kase = run.caseName;
  // topics needs the (un)subscriptions; reconnect plays fancyhw with --sync.
  const xpub = run.sync || kase === "topics" || kase === "reconnect";
  const configure = (sock) => {
    if (kase !== "burst") {
      sock.sendHighWaterMark = 0; // no limit: with --sync nothing is dropped, whatever --count is
    }
  };
  await withSocket(xpub ? zmq.XPublisher : zmq.Publisher, run, configure, async (sock) => {
    const hw = new FakeHw(run.seed);
    const samples = new Array(run.packetSize);
    // The fancyhw envelope of the next samples (or the --raw-hex bytes).
    const nextEnvelope = () => run.rawMessage ?? envelope.encode(run.topic, nextSamples(hw, samples));
    let messageOf;
    if (kase === "multipart") {
      messageOf = () => [run.topic, EMPTY, nextEnvelope()];
    } else if (kase === "empty") {
      const zeroSamples = envelope.encode(run.topic, []);
      messageOf = (seq) => (seq % 2 === 0 ? EMPTY : zeroSamples);
    } else if (kase === "topics") {
      messageOf = (seq) => envelope.encode(TOPIC_OF[seq % 3], nextSamples(hw, samples));
    } else {
      messageOf = nextEnvelope; // fancyhw, burst, reconnect
    }
    const publishRange = async (from, to) => {
      for (let seq = from; seq < to; seq++) {
        if (seq > 0 && run.intervalMs > 0) {
          await sleep(run.intervalMs);
        }
        await send(sock, run, messageOf(seq), `message ${seq}`);
        if (run.reportSent) {
          emit({ event: "sent", seq });
        }
      }
    };
    if (kase === "topics") {
      const both = TOPICS_SUBSCRIPTIONS.map((t) => subscriptionMessage(1, t));
      await waitForAll(sock, run, both, 'the subscriptions to "fancyhw_data" and "fancy"');
      await publishRange(0, run.count);
      const dropped = [subscriptionMessage(0, TOPICS_DROPPED)];
      await waitForAll(sock, run, dropped, 'the unsubscription from "fancy"');
      await publishRange(run.count, 2 * run.count);
      return;
    }
    if (xpub) {
      await waitForSubscriber(sock, run);
    }
    await publishRange(0, run.count);
    if (kase === "reconnect") {
      await hold(run);
    }
  });
}

/** One envelope decoded and checked, or exit 5 with the contract's reason. */
function decoded(message, topic, packetSize) {
  try {
    return envelope.decode(message, topic, packetSize);
  } catch (e) {
    if (e instanceof envelope.MalformedEnvelope) {
      throw new PeerError(ExitCode.MALFORMED, e.message);
    }
    throw e;
  }
}

/** Receives and prints --count messages (case topics: the counts its two halves match). */
async function subscribe(run) {
  const kase = run.caseName;
  const prefixes = kase === "topics" ? TOPICS_SUBSCRIPTIONS : [run.subscription];
  const configure = (sock) => {
    if (kase !== "burst") {
      sock.receiveHighWaterMark = 0;
    }
    // Before connecting, so that the ready line means "subscribed" too. Buffers, so each
    // prefix is the argument's exact UTF-8 bytes (an empty one subscribes to everything).
    sock.subscribe(...prefixes.map((p) => Buffer.from(p, "utf8")));
  };
  await withSocket(zmq.Subscriber, run, configure, async (sock) => {
    if (printsFrames(kase)) {
      // multipart, empty: every message whole, as data; nothing is checked here.
      for (let seq = 0; seq < run.count; seq++) {
        const frames = await receiveFrames(sock, run, `message ${seq} of ${run.count}`);
        emit(framesLine(seq, frames));
      }
      return;
    }
    if (kase === "topics") {
      // The counts are trusted, not the topics: a message that should not have come takes the
      // place of one that should, and the harness sees it.
      const { first, second } = topicsCounts(run.count);
      const total = first + second;
      const receiveRange = async (from, to) => {
        for (let seq = from; seq < to; seq++) {
          const message = await receive(sock, run, `message ${seq} of ${total}`);
          const { topic, samples } = decoded(message, null, run.packetSize);
          emit({ seq, topic, samples });
        }
      };
      await receiveRange(0, first);
      sock.unsubscribe(Buffer.from(TOPICS_DROPPED, "latin1"));
      await receiveRange(first, total);
      return;
    }
    // fancyhw, burst, reconnect: in batches of already-queued messages (batching.js), so that
    // the subscriber drains its queue about as fast as the engine fills it (case burst).
    let seq = 0;
    let stopped = false; // after a malformed message, the rest of its batch is not printed
    const check = (frames) => {
      if (stopped) {
        return;
      }
      stopped = true;
      if (frames.length !== 1) {
        throw multipart(frames.length);
      }
      const { topic, samples } = decoded(frames[0], run.topic, run.packetSize);
      emit({ seq, topic, samples });
      seq++;
      stopped = false;
    };
    const failed = (e, index) => receiveFailed(e, run, `message ${index} of ${run.count}`);
    await receiveAll(sock, run.count, run.timeoutMs, check, failed);
  });
}

module.exports = { publish, subscribe };
