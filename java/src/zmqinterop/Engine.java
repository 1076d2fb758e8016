// Engine.java: what this JeroMQ is and can do, read at run time: its release, its transports,
// whether it resolves a wildcard port, and errno numbers in words.
package zmqinterop;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** JeroMQ facts, from the jar actually loaded (the harness compiles and runs once per jar). */
final class Engine {
    static final String NAME = "jeromq";

    private static String version;

    private Engine() {}

    /**
     * JeroMQ's release, from the pom.properties Maven put in the jar (both Debian's 0.3.6 and
     * 0.6.0 jars carry it; neither has an Implementation-Version in its manifest). The path
     * is JeroMQ's own, so no other jar on the class path can answer.
     */
    static synchronized String version() {
        if (version == null) {
            version = "unknown";
            try (InputStream in = zmq.ZMQ.class.getResourceAsStream("/META-INF/maven/org.zeromq/jeromq/pom.properties")) {
                if (in != null) {
                    Properties pom = new Properties();
                    pom.load(in);
                    version = pom.getProperty("version", "unknown");
                }
            } catch (IOException e) {
                // "unknown" it is: --info says so rather than failing.
            }
        }
        return version;
    }

    /** The libzmq release whose API and protocol JeroMQ implements (3.2.5 for 0.3.6, 4.1.7 for 0.6.0). */
    static String libzmqApi() {
        return org.zeromq.ZMQ.getVersionString();
    }

    /** Whether the release is at least major.minor.0; false when the release is unknown. */
    static boolean atLeast(int major, int minor) {
        String[] parts = version().split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether ZMQ_LAST_ENDPOINT gives the port the system chose for tcp://HOST:*. Before 0.5.0
     * JeroMQ bound port 0 and reported it back as ":0" (zmq.TcpListener.getAddress returned the
     * unresolved address; fixed by zeromq/jeromq PR #564, "Able to bind socket with dynamic
     * port and retrieve it via last endpoint", first released in 0.5.0). PeerSocket checks the
     * answer anyway, so a release that gets it wrong can never print a wrong ready line.
     */
    static boolean resolvesWildcardPort() {
        return atLeast(0, 5) || version().equals("unknown");
    }

    /** libzmq's ZMQ_HANDSHAKE_IVL; a literal, because 0.3.6 (a libzmq 3.2 port) has no such constant. */
    static final int ZMQ_HANDSHAKE_IVL = 66;
    /** The handshake limit a connecting socket gets (see shortensHandshake); JeroMQ's default is 30 s. */
    static final int HANDSHAKE_IVL_MS = 1000;

    /**
     * Whether a connecting socket's handshake limit is shortened. JeroMQ 0.6.0's I/O thread
     * sometimes never registers a freshly connected channel with its selector (zmq.poll.Poller
     * looks up the channel's key while the connecter's cancelled key is still there; described
     * in zeromq/jeromq PR #1022): the TCP connection is up but no greeting is ever exchanged,
     * until the handshake timer (ZMQ_HANDSHAKE_IVL, 30 s by default) drops it and reconnects.
     * Seen here in about 1 of 30 connections on a loaded machine, as a cell that times out.
     * With the limit at a second, such a connection is retried at once; a sound handshake takes
     * milliseconds. The option exists from 0.4.0 (the libzmq 4.1 port) on.
     */
    static boolean shortensHandshake() {
        return atLeast(0, 4);
    }

    /**
     * libzmq's ZMQ_HEARTBEAT_IVL and ZMQ_HEARTBEAT_TIMEOUT as this JeroMQ numbers them, or null
     * when it has neither. Read from zmq.ZMQ's constants at run time: 0.6.0 (a libzmq 4.1 port
     * with the ZMTP/3.1 PING and PONG commands) has them, 0.3.6 (libzmq 3.2.5, ZMTP/2.0) has no
     * heartbeats at all, and the sources must compile against both.
     */
    static int[] heartbeatOptions() {
        try {
            return new int[] {
                zmq.ZMQ.class.getField("ZMQ_HEARTBEAT_IVL").getInt(null),
                zmq.ZMQ.class.getField("ZMQ_HEARTBEAT_TIMEOUT").getInt(null),
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Why this JeroMQ cannot play {@code role}'s part of a case (a reason naming what it lacks),
     * or null when it can. Only the requester of case heartbeat needs what an engine may lack:
     * ZMQ_HEARTBEAT_IVL and ZMQ_HEARTBEAT_TIMEOUT, and ZMQ_RECONNECT_IVL = -1 (no
     * reconnection), which both releases accept and honour (zmq.Options refuses only values
     * below -1; SessionBase.reconnect does not reconnect when it is -1). The rest is there in
     * both: XPUB hands up unsubscriptions (zmq.XPub, when the last subscriber of a prefix drops
     * it), SUB sends them (zmq.XSub), multipart messages, and a listener that sets SO_REUSEADDR,
     * so that a restarted binder gets the endpoint of a killed one.
     */
    static String caseLimit(Case c, String role) {
        if (c == Case.HEARTBEAT && role.equals("req") && heartbeatOptions() == null) {
            return "JeroMQ " + version() + " (a port of libzmq " + libzmqApi()
                    + ") has no ZMQ_HEARTBEAT_IVL or ZMQ_HEARTBEAT_TIMEOUT: it has no ZMTP heartbeats (PING/PONG)";
        }
        return null;
    }

    /**
     * Why ipc:// is refused. Every JeroMQ release here fakes it (zmq.IpcAddress in 0.3.6,
     * zmq.io.net.ipc.IpcAddress in 0.6.0): the path's String.hashCode() picks a TCP port on the
     * loopback interface, so no libzmq or zmq.rs peer can ever reach it, and a cell between two
     * JeroMQ peers would pass over TCP while claiming ipc.
     */
    static String ipcReason() {
        return "JeroMQ " + version() + " has no ipc transport: it emulates ipc://PATH over TCP on a loopback port"
                + " derived from the path's hash (IpcAddress), which no other ZeroMQ engine can reach";
    }

    /** An errno as JeroMQ reports it (its own numbering, zmq.ZError), in words. */
    static String errnoText(int errno) {
        String name = switch (errno) {
            case zmq.ZError.EINTR -> "EINTR";
            case zmq.ZError.EACCESS -> "EACCES";
            case zmq.ZError.EFAULT -> "EFAULT";
            case zmq.ZError.EINVAL -> "EINVAL";
            case zmq.ZError.EAGAIN -> "EAGAIN";
            case zmq.ZError.EINPROGRESS -> "EINPROGRESS";
            case zmq.ZError.EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case zmq.ZError.ENOTSUP -> "ENOTSUP";
            case zmq.ZError.EADDRINUSE -> "EADDRINUSE";
            case zmq.ZError.EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case zmq.ZError.ENETDOWN -> "ENETDOWN";
            case zmq.ZError.ENOBUFS -> "ENOBUFS";
            case zmq.ZError.EISCONN -> "EISCONN";
            case zmq.ZError.ENOTCONN -> "ENOTCONN";
            case zmq.ZError.ECONNREFUSED -> "ECONNREFUSED";
            case zmq.ZError.EHOSTUNREACH -> "EHOSTUNREACH";
            case zmq.ZError.ENOTSOCK -> "ENOTSOCK";
            case zmq.ZError.EFSM -> "EFSM";
            case zmq.ZError.ENOCOMPATPROTO -> "ENOCOMPATPROTO";
            case zmq.ZError.ETERM -> "ETERM";
            case zmq.ZError.EMTHREAD -> "EMTHREAD";
            case zmq.ZError.EIOEXC -> "EIOEXC";
            case zmq.ZError.ESOCKET -> "ESOCKET";
            case zmq.ZError.EMFILE -> "EMFILE";
            default -> "errno " + errno;
        };
        String words;
        try {
            words = zmq.ZError.toString(errno);
        } catch (RuntimeException e) {
            words = null; // 0.6.0 throws for a number it has no message for
        }
        return words == null || words.isEmpty() ? name : words + " (" + name + ")";
    }
}
