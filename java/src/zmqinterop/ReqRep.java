// ReqRep.java: the REQ/REP roles: a requester of float64 arrays (or hello, or frames) and a replier
// that checks each request bit for bit against the array it expects for the seed, in every case of
// the contract's REQ/REP catalog.
package zmqinterop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import zmq.Msg;
import zmq.ZMQ;

/** Roles rep and req. */
final class ReqRep {
    private static final byte[] SUCCESS = ascii("SUCCESS");
    private static final byte[] FAILURE = ascii("FAILURE");
    private static final byte[] HELLO = ascii("hello");
    private static final byte[] WORLD = ascii("world");
    private static final byte[] MULTIPART = ascii("multipart");
    private static final int SHOWN_BYTES = 32; // of a wrong hello request, in its verdict

    private ReqRep() {}

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the case's requests are hello (hello itself, reconnect, heartbeat). */
    private static boolean hello(Case played) {
        return played == Case.HELLO || played == Case.RECONNECT || played == Case.HEARTBEAT;
    }

    /**
     * Answers --count requests; exit 1 at the end if any verdict was FAILURE. Cases multipart
     * and empty print each request's frames and answer with the very same frames; case large
     * answers a matching request with the expected array itself; case reconnect then holds.
     */
    static void reply(Run run, Case played) throws PeerError, InterruptedException {
        boolean hello = hello(played);
        byte[] expected = hello || played.printsFrames() ? null : FakeHw.f64Array(run.seed(), run.len(), -1);
        int failures = 0;
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_REP)) {
            socket.attach();
            String ofCount = " of " + run.count();
            for (int seq = 0; seq < run.count(); seq++) {
                if (played.printsFrames()) {
                    List<byte[]> frames = PeerSocket.bytes(socket.recvFrames("request ", seq, ofCount));
                    Out.emit(Contract.frames(seq, frames));
                    socket.sendFrames(frames, "the reply to request ", seq, "");
                    continue;
                }
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
                Contract.Verdict verdict = judge(PeerSocket.contents(request), expected);
                request = null; // case large: 64 MiB the collector may have back before the next one
                byte[] answer;
                if (run.rawReply() != null) {
                    answer = run.rawReply();
                } else if (verdict != null) {
                    answer = FAILURE;
                } else if (played == Case.LARGE) {
                    answer = expected; // sent as it is: JeroMQ wraps the array, no copy
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
            if (played == Case.RECONNECT) {
                socket.hold();
            }
        }
        if (failures > 0) {
            throw new PeerError(Contract.MISMATCH, failures + " of " + run.count() + " requests did not match");
        }
    }

    /**
     * The verdict on one request (its bytes from position 0): null when it is the expected one,
     * else what was wrong. A null {@code expected} means hello.
     */
    static Contract.Verdict judge(ByteBuffer request, byte[] expected) {
        int size = request.remaining();
        if (expected == null) {
            if (request.equals(ByteBuffer.wrap(HELLO))) {
                return null;
            }
            byte[] shown = new byte[Math.min(size, SHOWN_BYTES)];
            request.duplicate().get(shown);
            StringBuilder detail = new StringBuilder("expected \"hello\", got ").append(size).append(" bytes: ");
            return Contract.Verdict.of(Json.hex(detail, shown, 0, shown.length).toString());
        }
        if (size != expected.length) {
            String detail = "length mismatch: expected " + expected.length + " bytes (" + expected.length / 8
                    + " float64), got " + size + " bytes";
            return new Contract.Verdict(detail, -1, expected.length, size);
        }
        // Bit for bit: bytes, so that -0.0 differs from 0.0 and NaNs compare by payload.
        int differs = ByteBuffer.wrap(expected).mismatch(request);
        if (differs < 0) {
            return null;
        }
        int index = differs / 8;
        ByteBuffer want = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer got = request.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        String detail = "value mismatch at index " + index + ": expected " + FloatRepr.of(want.getDouble(index * 8))
                + ", got " + FloatRepr.of(got.getDouble(got.position() + index * 8));
        return new Contract.Verdict(detail, index, -1, -1);
    }

    /** judge of an array of bytes. */
    static Contract.Verdict judge(byte[] request, byte[] expected) {
        return judge(ByteBuffer.wrap(request), expected);
    }

    /** The frames of one request: the array (or hello) alone, three frames, or one empty frame. */
    private static List<byte[]> requestFrames(Run run, Case played) {
        if (hello(played)) {
            return List.of(HELLO);
        }
        if (played == Case.EMPTY) {
            return List.of(new byte[0]);
        }
        byte[] array = FakeHw.f64Array(run.seed(), run.len(), run.corruptIndex());
        return played == Case.MULTIPART ? List.of(MULTIPART, new byte[0], array) : List.of(array);
    }

    /**
     * Sends --count requests and prints each reply; exit 1 if any reply was unexpected. Case
     * heartbeat sets the heartbeat options and stays silent between requests; with
     * --pause-after the requester stops after that reply until a line arrives on stdin.
     */
    static void request(Run run, Case played) throws PeerError, InterruptedException {
        List<byte[]> request = requestFrames(run, played);
        byte[] expected = hello(played) ? WORLD : SUCCESS;
        int unexpectedSeq = -1;
        byte[] unexpected = null;
        int mismatchedSeq = -1;
        long mismatchedBytes = 0;
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_REQ)) {
            if (played == Case.HEARTBEAT) {
                int[] heartbeat = Engine.heartbeatOptions(); // Case.of made sure the engine has them
                socket.option("ZMQ_HEARTBEAT_IVL", heartbeat[0], run.heartbeatIvlMs());
                socket.option("ZMQ_HEARTBEAT_TIMEOUT", heartbeat[1], 3 * run.heartbeatIvlMs());
                socket.option("ZMQ_RECONNECT_IVL", ZMQ.ZMQ_RECONNECT_IVL, -1); // a link that dies stays dead
            }
            socket.attach();
            for (int seq = 0; seq < run.count(); seq++) {
                if (played == Case.HEARTBEAT && seq > 0) {
                    Thread.sleep(run.silenceMs()); // the silence the heartbeats must carry the link across
                }
                // The same arrays every time: JeroMQ sends them without copying and never writes to them.
                socket.sendFrames(request, "request ", seq, "");
                if (played.printsFrames()) {
                    Out.emit(Contract.frames(seq, PeerSocket.bytes(socket.recvFrames("the reply to request ", seq, ""))));
                } else if (played == Case.LARGE) {
                    Msg answer = socket.recv("the reply to request ", seq, "");
                    boolean matches = PeerSocket.contents(answer).equals(ByteBuffer.wrap(request.get(0)));
                    Out.emit(Contract.largeReply(seq, answer.size(), matches));
                    if (!matches && mismatchedSeq < 0) {
                        mismatchedSeq = seq;
                        mismatchedBytes = answer.size();
                    }
                } else {
                    byte[] answer = socket.recv("the reply to request ", seq, "").data();
                    Out.emit(Contract.reply(seq, answer));
                    if (unexpected == null && !Arrays.equals(answer, expected)) {
                        unexpectedSeq = seq;
                        unexpected = answer;
                    }
                }
                if (seq + 1 == run.pauseAfter()) {
                    Out.emit(Contract.paused());
                    Stdin.waitForLine(); // end-of-file: exit 6
                }
            }
        }
        if (mismatchedSeq >= 0) {
            throw new PeerError(Contract.MISMATCH, "reply to request " + mismatchedSeq + " (" + mismatchedBytes
                    + " bytes) is not the array of " + request.get(0).length + " bytes sent");
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
