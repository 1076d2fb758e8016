// RawSocket.java: a bare JeroMQ socket in the test process, to send what no peer role sends
// (multipart messages) to a peer process.
package zmqinterop;

import java.util.Random;
import zmq.Ctx;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;

/** Connects to a peer process, or binds for one; receives and sends frames, each wait bounded by a timeout. */
final class RawSocket implements AutoCloseable {
    private final Ctx ctx;
    private final SocketBase socket;
    private String endpoint;

    private RawSocket(int type) {
        ctx = ZMQ.createContext();
        socket = ZMQ.socket(ctx, type);
        ZMQ.setSocketOption(socket, ZMQ.ZMQ_RCVTIMEO, 10000);
        ZMQ.setSocketOption(socket, ZMQ.ZMQ_SNDTIMEO, 10000);
        ZMQ.setSocketOption(socket, ZMQ.ZMQ_LINGER, 5000);
    }

    /** Connects to a peer at {@code endpoint}. */
    RawSocket(int type, String endpoint) {
        this(type);
        if (Engine.shortensHandshake()) {
            // The peer's own workaround (Engine.shortensHandshake): on 0.6.0 a connection whose
            // handshake never starts is retried after a second rather than stalling for 30 s.
            ZMQ.setSocketOption(socket, Engine.ZMQ_HANDSHAKE_IVL, Engine.HANDSHAKE_IVL_MS);
        }
        this.endpoint = endpoint;
        Check.isTrue(ZMQ.connect(socket, endpoint), "connect " + endpoint);
    }

    /**
     * Binds a loopback port for a peer to connect to (endpoint()). Where the peer would bind
     * and this socket connect, JeroMQ 0.6.0's connecting race (README) can drop the first
     * connection after the binding side has already queued a message into it: a binding REQ
     * loses its request that way, about one run in ten under load.
     */
    static RawSocket bound(int type) {
        RawSocket raw = new RawSocket(type);
        if (Engine.resolvesWildcardPort()) {
            Check.isTrue(ZMQ.bind(raw.socket, "tcp://127.0.0.1:*"), "bind a wildcard port");
            raw.endpoint = (String) ZMQ.getSocketOptionExt(raw.socket, ZMQ.ZMQ_LAST_ENDPOINT);
            return raw;
        }
        int start = new Random().nextInt(16384); // 0.3.6 reports port 0 for a wildcard: search
        for (int i = 0; i < 1000 && raw.endpoint == null; i++) {
            String candidate = "tcp://127.0.0.1:" + (49152 + (start + i) % 16384);
            if (ZMQ.bind(raw.socket, candidate)) {
                raw.endpoint = candidate;
            }
        }
        Check.isTrue(raw.endpoint != null, "a dynamic port bound");
        return raw;
    }

    /** Where the socket is bound or connected. */
    String endpoint() {
        return endpoint;
    }

    /** One frame. */
    byte[] recv() {
        Msg msg = ZMQ.recv(socket, 0);
        Check.isTrue(msg != null, "a frame within 10 s");
        return msg.data();
    }

    /** These frames as one multipart message. */
    void send(byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            int more = i + 1 < frames.length ? ZMQ.ZMQ_SNDMORE : 0;
            Check.isTrue(ZMQ.send(socket, new Msg(frames[i]), more) >= 0, "send frame " + i);
        }
    }

    @Override
    public void close() {
        ZMQ.close(socket);
        ZMQ.term(ctx);
    }
}
