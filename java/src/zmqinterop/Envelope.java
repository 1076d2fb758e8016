// Envelope.java: the fancyhw envelope, topic ++ " " ++ int16 little-endian samples, and its checks.
package zmqinterop;

import java.nio.charset.StandardCharsets;

/** Encoding, and decoding the classic online_analysis.py way with the contract's reasons. */
final class Envelope {
    private Envelope() {}

    /** A decoded envelope. */
    record Decoded(String topic, short[] samples) {}

    /** topic ++ b" " ++ samples as int16 little-endian. */
    static byte[] encode(byte[] topic, short[] samples) {
        byte[] message = new byte[topic.length + 1 + samples.length * 2];
        System.arraycopy(topic, 0, message, 0, topic.length);
        message[topic.length] = ' ';
        int at = topic.length + 1;
        for (short sample : samples) {
            message[at++] = (byte) sample;
            message[at++] = (byte) (sample >> 8);
        }
        return message;
    }

    /**
     * The topic and samples of an envelope, checked in the contract's order; a malformed one
     * is exit 5 with the contract's reason, word for word. A null {@code topic} takes any
     * (printable) topic: case topics receives envelopes of several.
     */
    static Decoded decode(byte[] message, String topic, int samples) throws PeerError {
        if (message.length == 0) {
            throw PeerError.malformed("malformed envelope: empty message");
        }
        int space = 0;
        while (space < message.length && message[space] != ' ') {
            space++;
        }
        if (space == message.length) {
            throw PeerError.malformed("malformed envelope: no space separating topic and samples");
        }
        if (space == 0) {
            throw PeerError.malformed("malformed envelope: empty topic");
        }
        for (int i = 0; i < space; i++) {
            if (message[i] < 0x21 || message[i] > 0x7e) {
                throw PeerError.malformed(String.format(
                        "malformed envelope: topic is not printable ASCII (byte 0x%02x at offset %d)",
                        message[i] & 0xff, i));
            }
        }
        String name = new String(message, 0, space, StandardCharsets.US_ASCII);
        if (topic != null && !name.equals(topic)) {
            throw PeerError.malformed(
                    "malformed envelope: topic \"" + name + "\" is not the expected \"" + topic + "\"");
        }
        int payload = message.length - space - 1;
        if (payload % 2 != 0) {
            throw PeerError.malformed(
                    "malformed envelope: payload of " + payload + " bytes is not a whole number of int16 samples");
        }
        int n = payload / 2;
        if (n != samples) {
            throw PeerError.malformed("malformed envelope: expected " + samples + " samples, got " + n);
        }
        short[] values = new short[n];
        for (int i = 0, at = space + 1; i < n; i++, at += 2) {
            values[i] = (short) ((message[at] & 0xff) | message[at + 1] << 8);
        }
        return new Decoded(name, values);
    }
}
