// Contract.java: the peer contract (docs/peer-contract.md) in one place for Java: exit codes,
// roles, options with their exact ranges and one-line usage errors, and the output lines.
package zmqinterop;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** The contract's exit codes, options and output lines; nothing here touches a socket. */
final class Contract {
    // Exit codes, as in the contract's table.
    static final int OK = 0;
    static final int MISMATCH = 1;
    static final int USAGE = 2;
    static final int TIMEOUT = 3;
    static final int UNSUPPORTED = 4;
    static final int MALFORMED = 5;
    static final int ERROR = 6;

    static final String[] ROLES = {"pub", "sub", "rep", "req", "thr-push", "thr-pull", "lat-req", "lat-rep"};

    // The ranges of the contract's `range` column, the same in every language.
    static final long SEED_MAX = 4294967295L;
    static final long COUNT_MAX = 2147483647L;
    static final long PACKET_SIZE_MAX = 1048576L;
    static final long LEN_MAX = 33554432L;
    static final long INTERVAL_MS_MAX = 3600000L;
    static final long TIMEOUT_MS_MAX = 3600000L;
    static final long SIZE_MAX = 268435456L;
    static final long HWM_MAX = 2147483647L;
    static final int TOPIC_BYTES_MAX = 255;
    static final long PAUSE_AFTER_MAX = 2147483647L;
    static final long HEARTBEAT_IVL_MS_MAX = 60000L;
    static final long SILENCE_MS_MAX = 3600000L;

    private static final String[] FLAGS = {"--info", "--bind", "--connect", "--sync", "--exit-with-stdin", "--report-sent"};
    private static final String[] VALUED = {
        "--endpoint", "--topic", "--subscribe", "--seed", "--count", "--packet-size", "--len", "--case",
        "--interval-ms", "--timeout-ms", "--raw-hex", "--corrupt-index", "--raw-reply-hex", "--size",
        "--pause-after", "--heartbeat-ivl-ms", "--silence-ms", "--security", "--plain-user",
        "--plain-password-file", "--curve-keys-file", "--curve-server-key", "--zap-allow-file", "--hwm",
    };


    private Contract() {}

    // ---- options ----

    /** The validated run, or null for {@code --info}. A refused command line is a usage error. */
    static Run parse(String[] args) throws PeerError {
        Given given = new Given();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                if (given.role != null) {
                    throw PeerError.usage("unexpected argument '" + arg + "'");
                }
                if (!listed(arg, ROLES)) {
                    throw PeerError.usage("invalid role '" + arg + "': expected " + String.join(", ", ROLES));
                }
                given.role = arg;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (listed(name, FLAGS)) {
                if (eq >= 0) {
                    throw PeerError.usage(name + " takes no value");
                }
                given.flag(name);
            } else if (listed(name, VALUED)) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw PeerError.usage("a value is required for '" + name + "'");
                }
                given.value(name, value);
            } else {
                throw PeerError.usage("unexpected argument '" + arg + "'");
            }
        }
        return given.validate();
    }

    private static boolean listed(String name, String[] names) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A contract integer: optional sign, then ASCII digits only, inside [min, max]. */
    static long integer(String option, String text, long min, long max) throws PeerError {
        BigInteger value = digits(option, text, min, max);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw PeerError.usage(option + " " + value + " is out of range " + min + "..=" + max);
        }
        return value.longValue();
    }

    /** The integer written in text, of any size (so that a long one is out of range, not garbage). */
    private static BigInteger digits(String option, String text, long min, long max) throws PeerError {
        int start = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
        boolean digits = text.length() > start;
        for (int i = start; i < text.length() && digits; i++) {
            char c = text.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        if (!digits) {
            throw PeerError.usage(option + ": " + rustDebug(text) + " is not an integer in " + min + "..=" + max);
        }
        return new BigInteger(text.startsWith("+") ? text.substring(1) : text);
    }

    /** Bytes given in hex: even length (possibly empty), hex digits of either case. */
    static byte[] hex(String option, String text) throws PeerError {
        if (text.length() % 2 != 0) {
            throw PeerError.usage(option + ": hex string has odd length " + text.length());
        }
        byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || text.charAt(i) > 0x7f) {
                throw PeerError.usage(option + ": '" + text.charAt(i) + "' at offset " + i + " is not a hex digit");
            }
            bytes[i / 2] = (byte) (bytes[i / 2] << 4 | digit);
        }
        return bytes;
    }

    /** A topic is 1..=255 bytes of printable ASCII without a space. */
    static void checkTopic(String topic) throws PeerError {
        byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw PeerError.usage("--topic: topic is empty");
        }
        if (topic.indexOf(' ') >= 0) {
            throw PeerError.usage("--topic: topic \"" + topic + "\" contains a space, which separates topic from samples");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0x21 || bytes[i] > 0x7e) {
                throw PeerError.usage(String.format(
                        "--topic: topic is not printable ASCII (byte 0x%02x at offset %d)", bytes[i] & 0xff, i));
            }
        }
        checkLength("--topic", bytes.length);
    }

    private static void checkLength(String option, int bytes) throws PeerError {
        if (bytes > TOPIC_BYTES_MAX) {
            throw PeerError.usage(option + ": " + bytes + " bytes is longer than " + TOPIC_BYTES_MAX);
        }
    }

    /**
     * {@code text} in double quotes as Rust's {@code {:?}} writes a str, since the Rust peers
     * word the reasons the harness compares with it: NUL, tab, CR, LF, quote and backslash as
     * backslash escapes; combining marks and what is not printable (control, format, separator,
     * private-use, unassigned and surrogate code points) as a backslash, "u{", the code point in
     * hex and "}"; everything else as it is.
     */
    static String rustDebug(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case 0 -> out.append("\\0");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c != ' ' && hidden(Character.getType(c))) {
                        out.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean hidden(int type) {
        return switch (type) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> true;
            default -> false;
        };
    }

    /** The options as given, before their cross-checks; defaults as in the contract. */
    private static final class Given {
        boolean info;
        boolean bind;
        boolean connect;
        boolean sync;
        boolean reportSent;
        boolean exitWithStdin;
        String role;
        String endpoint;
        String topic = "fancyhw_data";
        String subscription;
        long seed = 12345;
        long count = 10;
        long packetSize = 16;
        long len = 131072;
        String caseName; // null: the role's default
        long intervalMs;
        long timeoutMs = 10000;
        byte[] rawMessage;
        String corruptIndex;
        byte[] rawReply;
        long size = 16;
        long hwm;
        long pauseAfter; // 0: absent (its range starts at 1)
        long heartbeatIvlMs = 100;
        long silenceMs = 1500;
        String security = "null";
        final java.util.Map<String, String> material = new java.util.HashMap<>();

        void flag(String name) {
            switch (name) {
                case "--info" -> info = true;
                case "--bind" -> bind = true;
                case "--connect" -> connect = true;
                case "--sync" -> sync = true;
                case "--exit-with-stdin" -> exitWithStdin = true;
                default -> reportSent = true; // --report-sent, the last of FLAGS
            }
        }

        /** One option's value; a later one replaces an earlier one, as in the other peers. */
        void value(String name, String value) throws PeerError {
            switch (name) {
                case "--endpoint" -> endpoint = value;
                case "--topic" -> topic = value;
                case "--subscribe" -> subscription = value;
                case "--seed" -> seed = integer(name, value, 0, SEED_MAX);
                case "--count" -> count = integer(name, value, 1, COUNT_MAX);
                case "--packet-size" -> packetSize = integer(name, value, 1, PACKET_SIZE_MAX);
                case "--len" -> len = integer(name, value, 1, LEN_MAX);
                case "--case" -> caseName = value;
                case "--interval-ms" -> intervalMs = integer(name, value, 0, INTERVAL_MS_MAX);
                case "--timeout-ms" -> timeoutMs = integer(name, value, 1, TIMEOUT_MS_MAX);
                case "--raw-hex" -> rawMessage = hex(name, value);
                // Its range, 0..=L-1, depends on --len, which may come later: checked in validate.
                case "--corrupt-index" -> corruptIndex = value;
                case "--raw-reply-hex" -> rawReply = hex(name, value);
                case "--size" -> size = integer(name, value, 1, SIZE_MAX);
                case "--pause-after" -> pauseAfter = integer(name, value, 1, PAUSE_AFTER_MAX);
                case "--heartbeat-ivl-ms" -> heartbeatIvlMs = integer(name, value, 1, HEARTBEAT_IVL_MS_MAX);
                case "--silence-ms" -> silenceMs = integer(name, value, 0, SILENCE_MS_MAX);
                case "--security" -> security = value;
                // The mechanism's material: checked, and its files read, in validate.
                case "--plain-user", "--plain-password-file", "--curve-keys-file", "--curve-server-key",
                        "--zap-allow-file" -> material.put(name, value);
                default -> hwm = integer(name, value, 0, HWM_MAX); // --hwm, the last of VALUED
            }
        }

        Run validate() throws PeerError {
            if (info) {
                return null;
            }
            if (role == null) {
                throw PeerError.usage("a role is required (" + String.join(", ", ROLES) + "), or --info");
            }
            if (bind && connect) {
                throw PeerError.usage("--bind and --connect cannot be used together");
            }
            if (pauseAfter > 0 && exitWithStdin) {
                throw PeerError.usage("--pause-after and --exit-with-stdin cannot be used together: both read stdin");
            }
            if (endpoint == null) {
                throw PeerError.usage("--endpoint is required");
            }
            boolean ipc = endpoint.startsWith("ipc://") && endpoint.length() > "ipc://".length();
            if (!ipc && !endpoint.startsWith("tcp://")) {
                throw PeerError.usage("endpoint \"" + endpoint + "\" is neither tcp://HOST:PORT nor ipc://PATH");
            }
            checkTopic(topic);
            if (subscription == null) {
                subscription = topic;
            }
            checkLength("--subscribe", subscription.getBytes(StandardCharsets.UTF_8).length);
            int corrupt = -1;
            if (corruptIndex != null) {
                // Its range is 0..=L-1; an index from L on is worded as the other peers word it.
                BigInteger index = digits("--corrupt-index", corruptIndex, 0, len - 1);
                if (index.compareTo(BigInteger.valueOf(len)) >= 0) {
                    throw PeerError.usage(
                            "--corrupt-index " + index + " is past the end of an array of " + len + " values");
                }
                corrupt = (int) integer("--corrupt-index", corruptIndex, 0, len - 1);
            }
            boolean binds = bind || (!connect && (role.equals("pub") || role.equals("rep")
                    || role.equals("thr-pull") || role.equals("lat-rep")));
            Security secured = Security.read(security, binds, material);
            return new Run(role, endpoint, ipc, binds, topic, subscription, seed, (int) count, (int) packetSize,
                    (int) len, caseName == null ? Case.defaultFor(role) : caseName, sync, (int) intervalMs,
                    (int) timeoutMs, reportSent, rawMessage, corrupt, rawReply, (int) size, (int) hwm, (int) pauseAfter,
                    (int) heartbeatIvlMs, (int) silenceMs, exitWithStdin, secured);
        }
    }

    // ---- output lines (each without its newline; Out.emit writes and flushes it) ----

    /** The first line: the socket is up, at this (resolved) endpoint. */
    static String ready(String endpoint) {
        return Json.string(new StringBuilder("{\"event\":\"ready\",\"endpoint\":"), endpoint).append('}').toString();
    }

    /** pub with --report-sent, after each publication. */
    static String sent(long seq) {
        return "{\"event\":\"sent\",\"seq\":" + seq + "}";
    }

    /** sub, per envelope. */
    static String packet(int seq, String topic, short[] samples) {
        StringBuilder line = new StringBuilder(40 + samples.length * 7);
        line.append("{\"seq\":").append(seq).append(",\"topic\":");
        Json.string(line, topic).append(",\"samples\":[");
        for (int i = 0; i < samples.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(samples[i]);
        }
        return line.append("]}").toString();
    }

    /** rep, per request: SUCCESS, or FAILURE with its detail and the optional fields. */
    static String verdict(int seq, Verdict verdict) {
        StringBuilder line = new StringBuilder("{\"seq\":").append(seq);
        if (verdict == null) {
            return line.append(",\"verdict\":\"SUCCESS\"}").toString();
        }
        line.append(",\"verdict\":\"FAILURE\",\"detail\":");
        Json.string(line, verdict.detail());
        if (verdict.index() >= 0) {
            line.append(",\"index\":").append(verdict.index());
        }
        if (verdict.gotBytes() >= 0) {
            line.append(",\"expected_bytes\":").append(verdict.expectedBytes());
            line.append(",\"got_bytes\":").append(verdict.gotBytes());
        }
        return line.append('}').toString();
    }

    /** A replier's reason for FAILURE; index and byte counts are -1 when they do not apply. */
    record Verdict(String detail, int index, long expectedBytes, long gotBytes) {
        static Verdict of(String detail) {
            return new Verdict(detail, -1, -1, -1);
        }
    }

    /** req, per reply: the text when printable ASCII (0x20..0x7e), else its hex. */
    static String reply(int seq, byte[] reply) {
        StringBuilder line = new StringBuilder("{\"seq\":").append(seq);
        if (printable(reply)) {
            line.append(",\"reply\":");
            Json.string(line, new String(reply, StandardCharsets.US_ASCII));
        } else {
            line.append(",\"reply_hex\":\"");
            Json.hex(line, reply, 0, reply.length).append('"');
        }
        return line.append('}').toString();
    }

    /** req in case large: the reply's size, and whether it is the very array sent. */
    static String largeReply(int seq, long replyBytes, boolean matches) {
        return "{\"seq\":" + seq + ",\"reply_bytes\":" + replyBytes + ",\"matches\":" + matches + "}";
    }

    /** Cases multipart and empty (sub, rep, req), per message: every frame in lowercase hex. */
    static String frames(int seq, java.util.List<byte[]> frames) {
        long digits = 0;
        for (byte[] frame : frames) {
            digits += 2L * frame.length + 3;
        }
        StringBuilder line = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 64, 32 + digits));
        line.append("{\"seq\":").append(seq).append(",\"frames\":[");
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            Json.hex(line.append(i > 0 ? ",\"" : "\""), frame, 0, frame.length).append('"');
        }
        return line.append("]}").toString();
    }

    /** req with --pause-after, at the pause. */
    static String paused() {
        return "{\"event\":\"paused\"}";
    }

    static boolean printable(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** thr-pull's last line. */
    static String throughput(int count, int size, long elapsedNs) {
        return "{\"event\":\"result\",\"kind\":\"thr\",\"count\":" + count + ",\"size\":" + size
                + ",\"elapsed_ns\":" + elapsedNs + "}";
    }

    /** lat-req's last line, every round trip in order. */
    static String latency(int count, int size, long[] rttNs) {
        StringBuilder line = new StringBuilder(64 + rttNs.length * 8);
        line.append("{\"event\":\"result\",\"kind\":\"lat\",\"count\":").append(count);
        line.append(",\"size\":").append(size).append(",\"rtt_ns\":[");
        for (int i = 0; i < rttNs.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(rttNs[i]);
        }
        return line.append("]}").toString();
    }
}
