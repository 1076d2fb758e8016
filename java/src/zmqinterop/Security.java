// Security.java: the contract's security options (docs/peer-contract.md, "Security"): the
// material read and checked before any socket, the mechanism's socket options, and the binder's
// ZAP handler (RFC 27) on a thread, which admits exactly the allow list and prints a zap line
// per request. Written against JeroMQ's low-level API by option number, so one source compiles
// against 0.3.6 (which has no mechanisms) and 0.6.0.
package zmqinterop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import zmq.Ctx;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;

/** One side's security: the binder is the server (with the ZAP handler), the connector the client. */
record Security(String mechanism, boolean server, String user, String password, byte[] publicKey,
        byte[] secretKey, byte[] serverKey, List<String> allowPlain, List<byte[]> allowCurve) {

    static final Security NULL = new Security("null", false, null, null, null, null, null, List.of(), List.of());

    // libzmq's option numbers (zmq.h); JeroMQ 0.4 and later know them, 0.3.6 does not.
    private static final int ZMQ_PLAIN_SERVER = 44;
    private static final int ZMQ_PLAIN_USERNAME = 45;
    private static final int ZMQ_PLAIN_PASSWORD = 46;
    private static final int ZMQ_CURVE_SERVER = 47;
    private static final int ZMQ_CURVE_PUBLICKEY = 48;
    private static final int ZMQ_CURVE_SECRETKEY = 49;
    private static final int ZMQ_CURVE_SERVERKEY = 50;
    private static final int ZMQ_ZAP_DOMAIN = 55;
    private static final String Z85 =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    /** Why this JeroMQ cannot play a mechanism, or null when it can. */
    static String missing(String mechanism) {
        if (mechanism.equals("null")) {
            return null;
        }
        if (!Engine.atLeast(0, 4)) {
            return "JeroMQ " + Engine.version() + " ports libzmq " + Engine.libzmqApi()
                    + " (ZMTP 2.0): it has no security mechanisms (PLAIN and CURVE came with JeroMQ 0.4)";
        }
        if (mechanism.equals("curve")) {
            try {
                Class.forName("com.neilalexander.jnacl.NaCl");
            } catch (ClassNotFoundException e) {
                return "JeroMQ " + Engine.version() + "'s CURVE needs jnacl (com.neilalexander.jnacl), which is not on"
                        + " the class path";
            }
        }
        return null;
    }

    /** Exit 4 before any socket when this JeroMQ lacks the mechanism. */
    void require() throws PeerError {
        String why = missing(mechanism);
        if (why != null) {
            throw PeerError.unsupported("--security " + mechanism + ": " + why);
        }
    }

    /** The security of a run, from its options (values, or null when absent). */
    static Security read(String mechanism, boolean server, Map<String, String> o) throws PeerError {
        if (!mechanism.equals("null") && !mechanism.equals("plain") && !mechanism.equals("curve")) {
            throw PeerError.usage("invalid value '" + mechanism + "' for '--security <MECH>': expected null, plain or curve");
        }
        String serverKeyText = o.get("--curve-server-key");
        if (serverKeyText != null) {
            key("--curve-server-key", serverKeyText);
        }
        switch (mechanism) {
            case "null" -> {
                for (String name : List.of("--plain-user", "--plain-password-file", "--curve-keys-file",
                        "--curve-server-key", "--zap-allow-file")) {
                    unused(mechanism, name, o);
                }
                return NULL;
            }
            case "plain" -> {
                unused(mechanism, "--curve-keys-file", o);
                unused(mechanism, "--curve-server-key", o);
                if (server) {
                    List<String> allow = new ArrayList<>();
                    for (String line : lines("--zap-allow-file", need(mechanism, server, "--zap-allow-file", o))) {
                        int space = line.indexOf(' ');
                        if (space < 0) {
                            throw PeerError.usage("--zap-allow-file: a PLAIN line is `USER PASSWORD`");
                        }
                        plain("--zap-allow-file", line.substring(0, space), line.substring(space + 1));
                        allow.add(line);
                    }
                    return new Security(mechanism, true, null, null, null, null, null, allow, List.of());
                }
                String user = need(mechanism, server, "--plain-user", o);
                List<String> found = lines("--plain-password-file", need(mechanism, server, "--plain-password-file", o));
                if (found.size() != 1) {
                    throw PeerError.usage("--plain-password-file: one line, the password");
                }
                plain("--plain-user", user, found.get(0));
                return new Security(mechanism, false, user, found.get(0), null, null, null, List.of(), List.of());
            }
            default -> {
                unused(mechanism, "--plain-user", o);
                unused(mechanism, "--plain-password-file", o);
                List<String> pair = lines("--curve-keys-file", need(mechanism, server, "--curve-keys-file", o));
                if (pair.size() != 2) {
                    throw PeerError.usage("--curve-keys-file: two lines, the public key then the secret key (Z85)");
                }
                byte[] pub = key("--curve-keys-file", pair.get(0));
                byte[] secret = key("--curve-keys-file", pair.get(1));
                if (server) {
                    unused(mechanism, "--curve-server-key", o);
                    List<byte[]> allow = new ArrayList<>();
                    for (String k : lines("--zap-allow-file", need(mechanism, server, "--zap-allow-file", o))) {
                        allow.add(key("--zap-allow-file", k));
                    }
                    return new Security(mechanism, true, null, null, pub, secret, null, List.of(), allow);
                }
                unused(mechanism, "--zap-allow-file", o);
                byte[] serverKey = key("--curve-server-key", need(mechanism, server, "--curve-server-key", o));
                return new Security(mechanism, false, null, null, pub, secret, serverKey, List.of(), List.of());
            }
        }
    }

    private static String need(String mechanism, boolean server, String name, Map<String, String> o) throws PeerError {
        String value = o.get(name);
        if (value == null) {
            throw PeerError.usage("--security " + mechanism + " needs " + name + " on "
                    + (server ? "the binder (server)" : "the connector (client)"));
        }
        return value;
    }

    private static void unused(String mechanism, String name, Map<String, String> o) throws PeerError {
        if (o.get(name) != null) {
            throw PeerError.usage(name + " does not apply to --security " + mechanism);
        }
    }

    private static boolean printable(String text, boolean space) {
        if (text.isEmpty() || text.length() > 255) {
            return false;
        }
        for (char c : text.toCharArray()) {
            if ((c < 0x21 || c > 0x7e) && !(space && c == ' ')) {
                return false;
            }
        }
        return true;
    }

    private static void plain(String option, String user, String password) throws PeerError {
        if (!printable(user, false)) {
            throw PeerError.usage(option + ": a user name is 1..=255 bytes of printable ASCII without space");
        }
        if (!printable(password, true)) {
            throw PeerError.usage(option + ": a password is 1..=255 bytes of printable ASCII");
        }
    }

    private static List<String> lines(String option, String path) throws PeerError {
        String text;
        try {
            text = Files.readString(Path.of(path), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            throw PeerError.usage(option + " " + path + ": " + e.getMessage());
        }
        List<String> found = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!trimmed.isEmpty()) {
                found.add(trimmed);
            }
        }
        if (found.isEmpty()) {
            throw PeerError.usage(option + " " + path + ": the file is empty");
        }
        return found;
    }

    /** A Z85 key's 32 bytes (RFC 32). */
    private static byte[] key(String option, String text) throws PeerError {
        if (text.length() != 40) {
            throw PeerError.usage(option + ": a Z85 key is 40 characters, not " + text.length());
        }
        byte[] out = new byte[32];
        for (int g = 0; g < 8; g++) {
            long value = 0;
            for (int k = 0; k < 5; k++) {
                int digit = Z85.indexOf(text.charAt(g * 5 + k));
                if (digit < 0) {
                    throw PeerError.usage(option + ": not a Z85 key");
                }
                value = value * 85 + digit;
            }
            if (value >= 1L << 32) {
                throw PeerError.usage(option + ": not a Z85 key");
            }
            for (int b = 0; b < 4; b++) {
                out[g * 4 + b] = (byte) (value >>> (24 - 8 * b));
            }
        }
        return out;
    }

    private static String z85(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length / 4 * 5);
        for (int g = 0; g < bytes.length / 4; g++) {
            long value = 0;
            for (int b = 0; b < 4; b++) {
                value = value << 8 | (bytes[g * 4 + b] & 0xff);
            }
            char[] group = new char[5];
            for (int k = 4; k >= 0; k--) {
                group[k] = Z85.charAt((int) (value % 85));
                value /= 85;
            }
            text.append(group);
        }
        return text.toString();
    }

    /**
     * Sets an option; 0.3.6's setter returns nothing (and never gets here: it has no mechanisms),
     * 0.6.0's throws on a value it refuses.
     */
    private static void set(SocketBase socket, String name, int option, Object value) throws PeerError {
        try {
            ZMQ.setSocketOption(socket, option, value);
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_setsockopt(" + name + ") failed: " + e);
        }
    }

    /** Sets the mechanism's options (before bind or connect); a server's ZAP handler is returned. */
    Thread apply(Ctx ctx, SocketBase socket) throws PeerError {
        if (mechanism.equals("null")) {
            return null;
        }
        Thread handler = null;
        if (server) {
            handler = startZap(ctx);
            set(socket, "ZMQ_ZAP_DOMAIN", ZMQ_ZAP_DOMAIN, "interop");
        }
        if (mechanism.equals("plain")) {
            if (server) {
                set(socket, "ZMQ_PLAIN_SERVER", ZMQ_PLAIN_SERVER, 1);
            } else {
                set(socket, "ZMQ_PLAIN_USERNAME", ZMQ_PLAIN_USERNAME, user);
                set(socket, "ZMQ_PLAIN_PASSWORD", ZMQ_PLAIN_PASSWORD, password);
            }
        } else if (server) {
            set(socket, "ZMQ_CURVE_SERVER", ZMQ_CURVE_SERVER, 1);
            set(socket, "ZMQ_CURVE_SECRETKEY", ZMQ_CURVE_SECRETKEY, secretKey);
        } else {
            set(socket, "ZMQ_CURVE_SERVERKEY", ZMQ_CURVE_SERVERKEY, serverKey);
            set(socket, "ZMQ_CURVE_PUBLICKEY", ZMQ_CURVE_PUBLICKEY, publicKey);
            set(socket, "ZMQ_CURVE_SECRETKEY", ZMQ_CURVE_SECRETKEY, secretKey);
        }
        return handler;
    }

    /** Binds the ZAP endpoint and answers on a thread until the context terminates. */
    private Thread startZap(Ctx ctx) throws PeerError {
        SocketBase zap = ZMQ.socket(ctx, ZMQ.ZMQ_REP);
        if (zap == null || !ZMQ.bind(zap, "inproc://zeromq.zap.01")) {
            if (zap != null) {
                ZMQ.close(zap);
            }
            throw PeerError.failed("zmq_bind(inproc://zeromq.zap.01) failed");
        }
        Thread thread = new Thread(() -> serve(zap), "zap");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void serve(SocketBase zap) {
        try {
            for (;;) {
                List<byte[]> frames = new ArrayList<>();
                Msg msg;
                do {
                    msg = ZMQ.recv(zap, 0);
                    if (msg == null) {
                        return; // ETERM: the context is terminating
                    }
                    frames.add(msg.data() == null ? new byte[0] : msg.data());
                } while (msg.hasMore());
                String mech = frames.size() > 5 ? new String(frames.get(5), StandardCharsets.ISO_8859_1) : "";
                boolean allowed = false;
                String identity = "";
                if (mechanism.equals("plain") && mech.equals("PLAIN") && frames.size() == 8) {
                    identity = new String(frames.get(6), StandardCharsets.ISO_8859_1);
                    allowed = allowPlain.contains(identity + " " + new String(frames.get(7), StandardCharsets.ISO_8859_1));
                } else if (mechanism.equals("curve") && mech.equals("CURVE") && frames.size() == 7
                        && frames.get(6).length == 32) {
                    identity = z85(frames.get(6));
                    for (byte[] k : allowCurve) {
                        allowed = allowed || Arrays.equals(k, frames.get(6));
                    }
                }
                StringBuilder line = new StringBuilder("{\"event\":\"zap\",\"mechanism\":");
                Json.string(line, mechanism).append(",\"identity\":");
                Json.string(line, identity).append(",\"allowed\":").append(allowed).append('}');
                try {
                    Out.emit(line.toString());
                } catch (PeerError e) {
                    return;
                }
                byte[] requestId = frames.size() > 1 ? frames.get(1) : new byte[0];
                byte[][] reply = {
                    "1.0".getBytes(StandardCharsets.US_ASCII), requestId,
                    (allowed ? "200" : "400").getBytes(StandardCharsets.US_ASCII),
                    (allowed ? "OK" : "not on the allow list").getBytes(StandardCharsets.US_ASCII),
                    (allowed ? "interop" : "").getBytes(StandardCharsets.US_ASCII), new byte[0],
                };
                for (int i = 0; i < reply.length; i++) {
                    if (ZMQ.send(zap, reply[i], reply[i].length, i < reply.length - 1 ? ZMQ.ZMQ_SNDMORE : 0) < 0) {
                        return;
                    }
                }
            }
        } finally {
            ZMQ.setSocketOption(zap, ZMQ.ZMQ_LINGER, 0);
            ZMQ.close(zap);
        }
    }
}
