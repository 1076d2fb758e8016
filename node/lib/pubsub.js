// pubsub.js: the PUB/SUB roles: a publisher of fakehw envelopes (XPUB with --sync, waiting for
// the first subscription) and the classic subscriber, which decodes and prints each envelope.
"use strict";

const { setTimeout: sleep } = require("node:timers/promises");
const zmq = require("zeromq");
const envelope = require("./envelope");
const { ExitCode, PeerError, emit } = require("./contract");
const { FakeHw } = require("./fakehw");
const { receive, receiveFrames, send, withSocket } = require("./sockets");

const SUBSCRIBE = 1; // XPUB delivers a subscription as a message whose first byte is 1

/** Receives on the XPUB until a subscription arrives (unsubscriptions, byte 0, are skipped). */
async function waitForSubscriber(sock, run) {
  for (;;) {
    const [first] = await receiveFrames(sock, run, "a subscriber");
    if (first.length > 0 && first[0] === SUBSCRIBE) {
      return;
    }
  }
}

/** Sends --count envelopes (or --raw-hex messages), after a subscription with --sync. */
async function publish(run) {
  const Kind = run.sync ? zmq.XPublisher : zmq.Publisher;
  await withSocket(
    Kind,
    run,
    (sock) => {
      sock.sendHighWaterMark = 0; // no limit: with --sync nothing is dropped, whatever --count is
    },
    async (sock) => {
      if (run.sync) {
        await waitForSubscriber(sock, run);
      }
      const hw = new FakeHw(run.seed);
      const samples = new Array(run.packetSize);
      for (let seq = 0; seq < run.count; seq++) {
        if (seq > 0 && run.intervalMs > 0) {
          await sleep(run.intervalMs);
        }
        let message = run.rawMessage;
        if (message === null) {
          for (let i = 0; i < samples.length; i++) {
            samples[i] = hw.readVal();
          }
          message = envelope.encode(run.topic, samples);
        }
        await send(sock, run, message, `envelope ${seq}`);
        if (run.reportSent) {
          emit({ event: "sent", seq });
        }
      }
    },
  );
}

/** Receives, decodes and prints --count envelopes; a malformed one exits 5. */
async function subscribe(run) {
  await withSocket(
    zmq.Subscriber,
    run,
    (sock) => {
      sock.receiveHighWaterMark = 0;
      // Before connecting, so that the ready line means "subscribed" too. A Buffer, so the
      // prefix is the argument's exact UTF-8 bytes (an empty one subscribes to everything).
      sock.subscribe(Buffer.from(run.subscription, "utf8"));
    },
    async (sock) => {
      for (let seq = 0; seq < run.count; seq++) {
        const message = await receive(sock, run, `message ${seq} of ${run.count}`);
        let decoded;
        try {
          decoded = envelope.decode(message, run.topic, run.packetSize);
        } catch (e) {
          if (e instanceof envelope.MalformedEnvelope) {
            throw new PeerError(ExitCode.MALFORMED, e.message);
          }
          throw e;
        }
        emit({ seq, topic: decoded.topic, samples: decoded.samples });
      }
    },
  );
}

module.exports = { publish, subscribe };
