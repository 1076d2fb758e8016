// PeerSocket.java: what every role shares: a JeroMQ context and socket with the contract's options,
// bound or connected, the ready line, and receive/send with the contract's exit codes.
package zmqinterop;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import zmq.Ctx;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZMQ;

/**
 * One socket and its context, on JeroMQ's low-level API (package zmq), which mirrors libzmq's
 * C API (zmq_socket, zmq_setsockopt, zmq_bind, zmq_msg_recv, errno) and is the same in 0.3.6
 * and 0.6.0, unlike the org.zeromq layer above it (no getLastEndpoint in 0.3.6, setters that
 * return void there and boolean later). Closing closes the socket, then terminates the
 * context; the linger set first bounds how long that can take.
 *
 * <p>JeroMQ reports failures both ways: a false or null return with the socket's errno set,
 * and unchecked exceptions (IllegalArgumentException for a bad address, ZError.IOException,
 * ZError.CtxTerminatedException). Every call here is wrapped so that both become one
 * PeerError naming the call.
 */
final class PeerSocket implements AutoCloseable {
    // IANA's dynamic ports, the range JeroMQ 0.3.6's own org.zeromq bind of tcp://HOST:* searches.
    private static final int DYNAMIC_FROM = 49152;
    private static final int DYNAMIC_PORTS = 65536 - DYNAMIC_FROM;
    // A wildcard bind tries this many ports before giving up: some are taken, not thousands.
    private static final int PORT_ATTEMPTS = 1000;

    private final Run run;
    private final Ctx ctx;
    /** A server's ZAP handler, ended by the context's termination. */
    private Thread zap;
    private final SocketBase socket;

    private PeerSocket(Run run, Ctx ctx, SocketBase socket) {
        this.run = run;
        this.ctx = ctx;
        this.socket = socket;
    }

    /** A socket of this type with linger and the timeouts set; not yet bound or connected. */
    static PeerSocket create(Run run, int type) throws PeerError {
        if (run.ipc()) {
            throw PeerError.unsupported(Engine.ipcReason()); // Peer checks first; this is the backstop
        }
        Ctx ctx;
        try {
            ctx = ZMQ.createContext();
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_ctx_new failed: " + e);
        }
        SocketBase socket = null;
        String failure = "";
        try {
            socket = ZMQ.socket(ctx, type);
        } catch (RuntimeException e) {
            failure = ": " + e;
        }
        if (socket == null) {
            terminate(ctx);
            throw PeerError.failed("zmq_socket failed" + failure);
        }
        PeerSocket peer = new PeerSocket(run, ctx, socket);
        try {
            // Senders wait (up to the timeout) for their last messages to leave; receivers have
            // nothing left to send and must not wait on a subscription queued for a gone peer.
            peer.option("ZMQ_LINGER", ZMQ.ZMQ_LINGER, run.sendsLast() ? run.timeoutMs() : 0);
            peer.option("ZMQ_RCVTIMEO", ZMQ.ZMQ_RCVTIMEO, run.timeoutMs());
            peer.option("ZMQ_SNDTIMEO", ZMQ.ZMQ_SNDTIMEO, run.timeoutMs());
            peer.zap = run.security().apply(ctx, socket);
            if (!run.bind() && Engine.shortensHandshake()) {
                // A connection whose handshake never starts is retried after a second, not 30 s.
                peer.option("ZMQ_HANDSHAKE_IVL", Engine.ZMQ_HANDSHAKE_IVL, Engine.HANDSHAKE_IVL_MS);
            }
        } catch (PeerError e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /**
     * Sets an int option and reads it back: 0.3.6's setter returns nothing, so reading back is
     * the one check that works on both releases.
     */
    void option(String name, int option, int value) throws PeerError {
        int got;
        try {
            ZMQ.setSocketOption(socket, option, value);
            got = ZMQ.getSocketOption(socket, option);
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_setsockopt(" + name + ") failed: " + e);
        }
        if (got != value) {
            throw PeerError.failed("zmq_setsockopt(" + name + ", " + value + ") did not take: it reads back " + got);
        }
    }

    /** ZMQ_SUBSCRIBE with this prefix. */
    void subscribe(byte[] prefix) throws PeerError {
        try {
            ZMQ.setSocketOption(socket, ZMQ.ZMQ_SUBSCRIBE, prefix);
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_setsockopt(ZMQ_SUBSCRIBE) failed: " + e);
        }
    }

    /** ZMQ_UNSUBSCRIBE of this prefix. */
    void unsubscribe(byte[] prefix) throws PeerError {
        try {
            ZMQ.setSocketOption(socket, ZMQ.ZMQ_UNSUBSCRIBE, prefix);
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_setsockopt(ZMQ_UNSUBSCRIBE) failed: " + e);
        }
    }

    /** Binds or connects as the run says, then prints the ready line. */
    void attach() throws PeerError {
        String endpoint;
        if (run.bind()) {
            endpoint = bind();
        } else {
            boolean connected;
            try {
                connected = ZMQ.connect(socket, run.endpoint());
            } catch (RuntimeException e) {
                throw PeerError.failed("zmq_connect(" + run.endpoint() + ") failed: " + e);
            }
            if (!connected) {
                throw PeerError.failed(
                        "zmq_connect(" + run.endpoint() + ") failed: " + Engine.errnoText(socket.errno()));
            }
            endpoint = run.endpoint();
        }
        Out.emit(Contract.ready(endpoint));
    }

    /** Binds; returns the endpoint for the ready line, the port resolved when it was a wildcard. */
    private String bind() throws PeerError {
        String endpoint = run.endpoint();
        boolean wildcard = endpoint.endsWith(":*");
        if (wildcard && !Engine.resolvesWildcardPort()) {
            return bindDynamicPort(endpoint.substring(0, endpoint.length() - 1));
        }
        if (!tryBind(endpoint)) {
            throw PeerError.failed("zmq_bind(" + endpoint + ") failed: " + Engine.errnoText(socket.errno()));
        }
        String resolved = lastEndpoint();
        if (wildcard && resolved.endsWith(":0")) {
            throw PeerError.failed("zmq_bind(" + endpoint + "): JeroMQ " + Engine.version()
                    + " reports port 0 in ZMQ_LAST_ENDPOINT, so the port it bound is unknown");
        }
        return resolved;
    }

    /**
     * The workaround for releases that cannot report a wildcard's port (Engine.resolvesWildcardPort):
     * bind the dynamic ports one by one until one is free, as JeroMQ 0.3.6's own org.zeromq
     * layer does for tcp://HOST:* (from 49152 up; here from a random start, so that peers
     * starting together do not all try the same ports first). A bind either succeeds or fails
     * atomically, so two peers searching at once cannot both get the same port.
     */
    private String bindDynamicPort(String prefix) throws PeerError {
        int start = new Random().nextInt(DYNAMIC_PORTS);
        int lastErrno = 0;
        for (int i = 0; i < PORT_ATTEMPTS; i++) {
            String endpoint = prefix + (DYNAMIC_FROM + (start + i) % DYNAMIC_PORTS);
            if (tryBind(endpoint)) {
                return lastEndpoint();
            }
            lastErrno = socket.errno();
            if (lastErrno != ZError.EADDRINUSE) {
                break;
            }
        }
        throw PeerError.failed("zmq_bind(" + run.endpoint() + ") failed: no dynamic port could be bound ("
                + Engine.errnoText(lastErrno) + ")");
    }

    private boolean tryBind(String endpoint) throws PeerError {
        try {
            return ZMQ.bind(socket, endpoint);
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_bind(" + endpoint + ") failed: " + e);
        }
    }

    private String lastEndpoint() throws PeerError {
        try {
            return (String) ZMQ.getSocketOptionExt(socket, ZMQ.ZMQ_LAST_ENDPOINT);
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_getsockopt(ZMQ_LAST_ENDPOINT) failed: " + e);
        }
    }

    /**
     * One single-frame message. A timeout is exit 3, worded "timed out after T ms waiting for
     * {what}{seq}{suffix}" (seq left out when negative); a multipart message is read whole, then
     * PeerError.Multipart (exit 5), which a replier catches to answer FAILURE first.
     */
    Msg recv(String what, long seq, String suffix) throws PeerError {
        Msg msg = receive(what, seq, suffix);
        if (!msg.hasMore()) {
            return msg;
        }
        int frames = 1;
        do {
            msg = receive(what, seq, suffix);
            frames++;
        } while (msg.hasMore());
        throw PeerError.multipart(frames);
    }

    /**
     * One whole message, every frame (the cases that print frames lines take multipart
     * messages as data). A timeout is exit 3, worded as for recv.
     */
    List<Msg> recvFrames(String what, long seq, String suffix) throws PeerError {
        List<Msg> frames = new ArrayList<>();
        Msg msg;
        do {
            msg = receive(what, seq, suffix);
            frames.add(msg);
        } while (msg.hasMore());
        return frames;
    }

    /** The frames' bytes (JeroMQ's Msg.data(): without a copy, except for 0.6.0's direct buffers). */
    static List<byte[]> bytes(List<Msg> frames) {
        List<byte[]> bytes = new ArrayList<>(frames.size());
        for (Msg frame : frames) {
            bytes.add(frame.data());
        }
        return bytes;
    }

    /**
     * A received message's bytes, read in place. JeroMQ 0.6.0 receives a message over 1 MiB
     * (its MSG_ALLOCATION_HEAP_THRESHOLD) into a direct buffer, which Msg.data() copies into a
     * new array: for 64 MiB the view avoids that. A heap message's data() is its own array in
     * both releases, no copy either.
     */
    static ByteBuffer contents(Msg msg) {
        ByteBuffer buffer = msg.buf();
        if (buffer.hasArray()) {
            return ByteBuffer.wrap(msg.data());
        }
        buffer.position(0); // as 0.6.0's Msg.data() reads a direct buffer: from 0, size bytes
        buffer.limit(msg.size());
        return buffer;
    }

    private Msg receive(String what, long seq, String suffix) throws PeerError {
        Msg msg;
        try {
            msg = ZMQ.recv(socket, 0);
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_msg_recv failed: " + e);
        }
        if (msg != null) {
            return msg;
        }
        int errno = socket.errno();
        if (errno == ZError.EAGAIN) {
            throw timeout("waiting for ", what, seq, suffix);
        }
        throw PeerError.failed("zmq_msg_recv failed: " + Engine.errnoText(errno));
    }

    /** Sends one frame; a send timeout is exit 3, worded "timed out after T ms sending {what}{seq}{suffix}". */
    void send(byte[] data, String what, long seq, String suffix) throws PeerError {
        send(data, false, what, seq, suffix);
    }

    /** Sends these frames as one message (JeroMQ wraps each array, no copy). */
    void sendFrames(List<byte[]> frames, String what, long seq, String suffix) throws PeerError {
        for (int i = 0; i < frames.size(); i++) {
            send(frames.get(i), i + 1 < frames.size(), what, seq, suffix);
        }
    }

    private void send(byte[] data, boolean more, String what, long seq, String suffix) throws PeerError {
        int sent;
        try {
            sent = ZMQ.send(socket, new Msg(data), more ? ZMQ.ZMQ_SNDMORE : 0);
        } catch (RuntimeException e) {
            throw PeerError.failed("zmq_msg_send failed: " + e);
        }
        if (sent >= 0) {
            return;
        }
        int errno = socket.errno();
        if (errno == ZError.EAGAIN) {
            throw timeout("sending ", what, seq, suffix);
        }
        throw PeerError.failed("zmq_msg_send failed: " + Engine.errnoText(errno));
    }

    private PeerError timeout(String doing, String what, long seq, String suffix) {
        String failure = StderrGuard.threadFailure();
        if (failure != null) {
            // Nothing arrived because the engine broke, not because the other side was silent.
            return PeerError.failed(failure);
        }
        StringBuilder reason = new StringBuilder("timed out after ").append(run.timeoutMs()).append(" ms ");
        reason.append(doing).append(what);
        if (seq >= 0) {
            reason.append(seq);
        }
        return PeerError.timeout(reason.append(suffix).toString());
    }

    /**
     * Cases reconnect: keeps the socket open, sending nothing, until the process is killed or
     * --timeout-ms has passed (a deliberate hold, not a wait for anything).
     */
    void hold() throws InterruptedException {
        Thread.sleep(run.timeoutMs());
    }

    @Override
    public void close() {
        try {
            ZMQ.close(socket);
        } catch (RuntimeException e) {
            Out.note("zmq_close: " + e);
        }
        terminate(ctx);
        if (zap != null) {
            try {
                zap.join(); // its receive failed with ETERM: it has closed its socket
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void terminate(Ctx ctx) {
        try {
            ZMQ.term(ctx);
        } catch (RuntimeException e) {
            Out.note("zmq_ctx_term: " + e);
        }
    }
}
