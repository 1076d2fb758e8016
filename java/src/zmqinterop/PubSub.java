// PubSub.java: the PUB/SUB roles, the fakehw publisher and the classic subscriber, in every case
// of the contract's PUB/SUB catalog.
package zmqinterop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import zmq.Msg;
import zmq.ZMQ;

/** Roles pub and sub. */
final class PubSub {
    private static final byte SUBSCRIBE_MESSAGE = 1; // XPUB hands up a subscription as 0x01 ++ prefix
    private static final byte UNSUBSCRIBE_MESSAGE = 0; // and an unsubscription as 0x00 ++ prefix

    // Case topics: the two subscriptions, the prefix dropped half-way, and the topic of message i,
    // TOPICS[i % 3].
    static final String TOPIC_DATA = "fancyhw_data";
    static final String PREFIX = "fancy";
    private static final byte[][] TOPICS = {ascii(TOPIC_DATA), ascii("fancyhw_status"), ascii("other_data")};

    private PubSub() {}

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends --count messages of the case (envelopes, --raw-hex messages, three frames, empty
     * ones), after a subscription with --sync; case topics has its own order (publishTopics);
     * case reconnect then holds the socket open.
     */
    static void publish(Run run, Case played) throws PeerError, InterruptedException {
        // topics always waits for subscriptions; reconnect plays fancyhw with --sync, given or not.
        boolean xpub = run.sync() || played == Case.TOPICS || played == Case.RECONNECT;
        try (PeerSocket socket = PeerSocket.create(run, xpub ? ZMQ.ZMQ_XPUB : ZMQ.ZMQ_PUB)) {
            if (played != Case.BURST) { // burst keeps the engine's own high-water marks
                socket.option("ZMQ_SNDHWM", ZMQ.ZMQ_SNDHWM, 0); // no limit: with --sync nothing is dropped
            }
            socket.attach();
            if (played == Case.TOPICS) {
                publishTopics(run, socket);
                return;
            }
            if (xpub) {
                while (true) {
                    byte[] message = socket.recv("a subscriber", -1, "").data();
                    if (message.length > 0 && message[0] == SUBSCRIBE_MESSAGE) {
                        break;
                    }
                }
            }
            FakeHw hw = new FakeHw(run.seed());
            byte[] topic = ascii(run.topic());
            short[] samples = new short[run.packetSize()];
            for (int seq = 0; seq < run.count(); seq++) {
                if (seq > 0 && run.intervalMs() > 0) {
                    Thread.sleep(run.intervalMs());
                }
                switch (played) {
                    case MULTIPART -> socket.sendFrames(
                            List.of(topic, new byte[0], envelope(hw, topic, samples)), "message ", seq, "");
                    // Even: zero bytes; odd: the envelope of zero samples, the topic and a space.
                    case EMPTY -> socket.send(seq % 2 == 0 ? new byte[0] : Envelope.encode(topic, new short[0]),
                            "message ", seq, "");
                    default -> socket.send(run.rawMessage() != null ? run.rawMessage() : envelope(hw, topic, samples),
                            "envelope ", seq, "");
                }
                if (run.reportSent()) {
                    Out.emit(Contract.sent(seq));
                }
            }
            if (played == Case.RECONNECT) {
                socket.hold();
            }
        }
    }

    /** The next envelope of the fakehw sequence: --packet-size values of read_val(). */
    private static byte[] envelope(FakeHw hw, byte[] topic, short[] samples) {
        for (int i = 0; i < samples.length; i++) {
            samples[i] = hw.readVal();
        }
        return Envelope.encode(topic, samples);
    }

    /**
     * Case topics, on XPUB: waits for both subscriptions (fancyhw_data and fancy, in either
     * order, anything else ignored), sends messages 0 .. count-1, waits for the unsubscription
     * of fancy, sends count .. 2*count-1. Message i is an envelope of topic TOPICS[i % 3]
     * carrying the next --packet-size samples of one fakehw sequence.
     */
    private static void publishTopics(Run run, PeerSocket socket) throws PeerError, InterruptedException {
        List<byte[]> awaited = new ArrayList<>(List.of(subscription(SUBSCRIBE_MESSAGE, TOPIC_DATA),
                subscription(SUBSCRIBE_MESSAGE, PREFIX)));
        while (!awaited.isEmpty()) {
            byte[] message = socket.recv("the subscriptions to " + TOPIC_DATA + " and " + PREFIX, -1, "").data();
            awaited.removeIf(s -> Arrays.equals(s, message));
        }
        FakeHw hw = new FakeHw(run.seed());
        short[] samples = new short[run.packetSize()];
        long total = 2L * run.count(); // can pass an int
        for (long i = 0; i < total; i++) {
            if (i == run.count()) {
                byte[] unsubscription = subscription(UNSUBSCRIBE_MESSAGE, PREFIX);
                while (!Arrays.equals(unsubscription, socket.recv("the unsubscription of " + PREFIX, -1, "").data())) {
                    // anything else (a subscription sent again, say) is ignored
                }
            }
            if (i > 0 && run.intervalMs() > 0) {
                Thread.sleep(run.intervalMs());
            }
            socket.send(envelope(hw, TOPICS[(int) (i % 3)], samples), "message ", i, "");
            if (run.reportSent()) {
                Out.emit(Contract.sent(i));
            }
        }
    }

    /** What XPUB receives for a (un)subscription: the flag byte, then the prefix. */
    private static byte[] subscription(byte flag, String prefix) {
        byte[] bytes = new byte[1 + prefix.length()];
        bytes[0] = flag;
        System.arraycopy(ascii(prefix), 0, bytes, 1, prefix.length());
        return bytes;
    }

    /** Case topics, the subscriber's first half: messages i < count with i % 3 != 2. */
    static long topicsFirstHalf(long count) {
        return count - count / 3;
    }

    /** Case topics, the second half: messages count <= i < 2 * count with i % 3 == 0. */
    static long topicsSecondHalf(long count) {
        return (2 * count + 2) / 3 - (count + 2) / 3;
    }

    /**
     * Receives --count messages and prints each: a packet line per decoded envelope (a
     * malformed one is exit 5), or a frames line per whole message in cases multipart and
     * empty; case topics has its own subscriptions and counts.
     */
    static void subscribe(Run run, Case played) throws PeerError {
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_SUB)) {
            if (played != Case.BURST) {
                socket.option("ZMQ_RCVHWM", ZMQ.ZMQ_RCVHWM, 0);
            }
            // Before connecting, so that the ready line means "subscribed" too.
            if (played == Case.TOPICS) {
                socket.subscribe(ascii(TOPIC_DATA));
                socket.subscribe(ascii(PREFIX));
            } else {
                socket.subscribe(run.subscription().getBytes(StandardCharsets.UTF_8));
            }
            socket.attach();
            if (played == Case.TOPICS) {
                long first = topicsFirstHalf(run.count());
                long all = first + topicsSecondHalf(run.count());
                String ofCount = " of " + all;
                for (int seq = 0; seq < all; seq++) {
                    Msg message = socket.recv("message ", seq, ofCount);
                    Envelope.Decoded envelope = Envelope.decode(message.data(), null, run.packetSize());
                    Out.emit(Contract.packet(seq, envelope.topic(), envelope.samples()));
                    if (seq + 1 == first) {
                        socket.unsubscribe(ascii(PREFIX)); // right after the first half
                    }
                }
                return;
            }
            String ofCount = " of " + run.count();
            for (int seq = 0; seq < run.count(); seq++) {
                if (played.printsFrames()) {
                    Out.emit(Contract.frames(seq, PeerSocket.bytes(socket.recvFrames("message ", seq, ofCount))));
                    continue;
                }
                Msg message = socket.recv("message ", seq, ofCount);
                Envelope.Decoded envelope = Envelope.decode(message.data(), run.topic(), run.packetSize());
                Out.emit(Contract.packet(seq, envelope.topic(), envelope.samples()));
            }
        }
    }
}
