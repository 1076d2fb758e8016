// PubSub.java: the PUB/SUB roles, the fakehw publisher and the classic subscriber.
package zmqinterop;

import java.nio.charset.StandardCharsets;
import zmq.Msg;
import zmq.ZMQ;

/** Roles pub and sub. */
final class PubSub {
    private static final byte SUBSCRIBE_MESSAGE = 1; // XPUB hands up a subscription as 0x01 ++ prefix

    private PubSub() {}

    /** Sends --count envelopes (or --raw-hex messages), after a subscription with --sync. */
    static void publish(Run run) throws PeerError, InterruptedException {
        try (PeerSocket socket = PeerSocket.create(run, run.sync() ? ZMQ.ZMQ_XPUB : ZMQ.ZMQ_PUB)) {
            socket.option("ZMQ_SNDHWM", ZMQ.ZMQ_SNDHWM, 0); // no limit: with --sync nothing is dropped
            socket.attach();
            if (run.sync()) {
                while (true) {
                    byte[] message = socket.recv("a subscriber", -1, "").data();
                    if (message.length > 0 && message[0] == SUBSCRIBE_MESSAGE) {
                        break;
                    }
                }
            }
            FakeHw hw = new FakeHw(run.seed());
            byte[] topic = run.topic().getBytes(StandardCharsets.US_ASCII);
            short[] samples = new short[run.packetSize()];
            for (int seq = 0; seq < run.count(); seq++) {
                if (seq > 0 && run.intervalMs() > 0) {
                    Thread.sleep(run.intervalMs());
                }
                byte[] message = run.rawMessage();
                if (message == null) {
                    for (int i = 0; i < samples.length; i++) {
                        samples[i] = hw.readVal();
                    }
                    message = Envelope.encode(topic, samples);
                }
                socket.send(message, "envelope ", seq, "");
                if (run.reportSent()) {
                    Out.emit(Contract.sent(seq));
                }
            }
        }
    }

    /** Receives, decodes and prints --count envelopes; a malformed one is exit 5. */
    static void subscribe(Run run) throws PeerError {
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_SUB)) {
            socket.option("ZMQ_RCVHWM", ZMQ.ZMQ_RCVHWM, 0);
            // Before connecting, so that the ready line means "subscribed" too.
            socket.subscribe(run.subscription().getBytes(StandardCharsets.UTF_8));
            socket.attach();
            String ofCount = " of " + run.count();
            for (int seq = 0; seq < run.count(); seq++) {
                Msg message = socket.recv("message ", seq, ofCount);
                Envelope.Decoded envelope = Envelope.decode(message.data(), run.topic(), run.packetSize());
                Out.emit(Contract.packet(seq, envelope.topic(), envelope.samples()));
            }
        }
    }
}
