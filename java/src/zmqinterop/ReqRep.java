// ReqRep.java: the REQ/REP roles: a requester of float64 arrays (or hello) and a replier that
// checks each request bit for bit against the array it expects for the seed.
package zmqinterop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import zmq.Msg;
import zmq.ZMQ;

/** Roles rep and req. */
final class ReqRep {
    private static final byte[] SUCCESS = ascii("SUCCESS");
    private static final byte[] FAILURE = ascii("FAILURE");
    private static final byte[] HELLO = ascii("hello");
    private static final byte[] WORLD = ascii("world");
    private static final int SHOWN_BYTES = 32; // of a wrong hello request, in its verdict

    private ReqRep() {}

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Answers --count requests; exit 1 at the end if any verdict was FAILURE. */
    static void reply(Run run) throws PeerError {
        boolean hello = Contract.isHello(run); // an unknown case is exit 4, before any socket
        byte[] expected = hello ? null : FakeHw.f64Array(run.seed(), run.len(), -1);
        int failures = 0;
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_REP)) {
            socket.attach();
            String ofCount = " of " + run.count();
            for (int seq = 0; seq < run.count(); seq++) {
                Msg request;
                try {
                    request = socket.recv("request ", seq, ofCount);
                } catch (PeerError.Multipart e) {
                    // Answer first, so that the requester is not left waiting; then exit 5.
                    socket.send(FAILURE, "the reply to request ", seq, "");
                    Out.note("request " + seq + ": " + e.reason);
                    Out.emit(Contract.verdict(seq, Contract.Verdict.of(e.reason)));
                    throw e;
                }
                Contract.Verdict verdict = judge(request.data(), expected);
                byte[] answer;
                if (run.rawReply() != null) {
                    answer = run.rawReply();
                } else if (verdict != null) {
                    answer = FAILURE;
                } else {
                    answer = hello ? WORLD : SUCCESS;
                }
                socket.send(answer, "the reply to request ", seq, "");
                if (verdict != null) {
                    failures++;
                    Out.note("request " + seq + ": " + verdict.detail());
                }
                Out.emit(Contract.verdict(seq, verdict));
            }
        }
        if (failures > 0) {
            throw new PeerError(Contract.MISMATCH, failures + " of " + run.count() + " requests did not match");
        }
    }

    /** The verdict on one request: null when it is the expected one, else what was wrong. */
    static Contract.Verdict judge(byte[] request, byte[] expected) {
        if (expected == null) {
            if (Arrays.equals(request, HELLO)) {
                return null;
            }
            StringBuilder detail = new StringBuilder("expected \"hello\", got ").append(request.length).append(" bytes: ");
            Json.hex(detail, request, 0, Math.min(request.length, SHOWN_BYTES));
            return Contract.Verdict.of(detail.toString());
        }
        if (request.length != expected.length) {
            String detail = "length mismatch: expected " + expected.length + " bytes (" + expected.length / 8
                    + " float64), got " + request.length + " bytes";
            return new Contract.Verdict(detail, -1, expected.length, request.length);
        }
        // Bit for bit: bytes, so that -0.0 differs from 0.0 and NaNs compare by payload.
        int differs = Arrays.mismatch(request, expected);
        if (differs < 0) {
            return null;
        }
        int index = differs / 8;
        ByteBuffer want = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer got = ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN);
        String detail = "value mismatch at index " + index + ": expected " + FloatRepr.of(want.getDouble(index * 8))
                + ", got " + FloatRepr.of(got.getDouble(index * 8));
        return new Contract.Verdict(detail, index, -1, -1);
    }

    /** Sends --count requests and prints each reply; exit 1 if any reply was unexpected. */
    static void request(Run run) throws PeerError {
        boolean hello = Contract.isHello(run);
        byte[] payload = hello ? HELLO : FakeHw.f64Array(run.seed(), run.len(), run.corruptIndex());
        byte[] expected = hello ? WORLD : SUCCESS;
        int unexpectedSeq = -1;
        byte[] unexpected = null;
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_REQ)) {
            socket.attach();
            for (int seq = 0; seq < run.count(); seq++) {
                // The same array every time: JeroMQ sends it without copying and never writes to it.
                socket.send(payload, "request ", seq, "");
                byte[] answer = socket.recv("the reply to request ", seq, "").data();
                Out.emit(Contract.reply(seq, answer));
                if (unexpected == null && !Arrays.equals(answer, expected)) {
                    unexpectedSeq = seq;
                    unexpected = answer;
                }
            }
        }
        if (unexpected != null) {
            throw new PeerError(Contract.MISMATCH, "reply to request " + unexpectedSeq + " was " + quoted(unexpected)
                    + " (hex " + Json.hex(unexpected) + "), expected \"" + new String(expected, StandardCharsets.US_ASCII)
                    + "\"");
        }
    }

    /** Bytes in double quotes: printable ASCII as it is, anything else (and " and \) as \xNN. */
    private static String quoted(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            if (b >= 0x20 && b <= 0x7e && b != '"' && b != '\\') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b & 0xff));
            }
        }
        return out.append('"').toString();
    }
}
