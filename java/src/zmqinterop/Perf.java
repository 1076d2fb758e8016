// Perf.java: the benchmark roles, the method of libzmq's perf tools (local_thr/remote_thr,
// local_lat/remote_lat) on JeroMQ at full speed.
package zmqinterop;

import zmq.Msg;
import zmq.ZMQ;

/**
 * Roles thr-push, thr-pull, lat-req and lat-rep. The loops allocate nothing but JeroMQ's own
 * Msg per message: one zero-filled payload is sent again and again (JeroMQ wraps the array
 * without copying and never writes to it), and received messages are checked by size only.
 */
final class Perf {
    private static final byte[] FAILURE = {'F', 'A', 'I', 'L', 'U', 'R', 'E'};

    private Perf() {}

    /** Sends --count messages of --size bytes; linger (the timeout) lets them all leave. */
    static void thrPush(Run run) throws PeerError {
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_PUSH)) {
            socket.option("ZMQ_SNDHWM", ZMQ.ZMQ_SNDHWM, run.hwm());
            socket.attach();
            byte[] payload = new byte[run.size()];
            String ofCount = " of " + run.count();
            for (int i = 0; i < run.count(); i++) {
                socket.send(payload, "message ", i, ofCount);
            }
        }
    }

    /** Receives --count messages; reports the time from the first to the last. */
    static void thrPull(Run run) throws PeerError {
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_PULL)) {
            socket.option("ZMQ_RCVHWM", ZMQ.ZMQ_RCVHWM, run.hwm());
            socket.attach();
            String ofCount = " of " + run.count();
            checkSize(socket.recv("message ", 0, ofCount), run);
            long started = System.nanoTime();
            for (int i = 1; i < run.count(); i++) {
                checkSize(socket.recv("message ", i, ofCount), run);
            }
            long elapsed = System.nanoTime() - started;
            Out.emit(Contract.throughput(run.count(), run.size(), elapsed));
        }
    }

    /** Echoes --count messages; a multipart one is answered FAILURE, then exit 5. */
    static void latRep(Run run) throws PeerError {
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_REP)) {
            socket.attach();
            String ofCount = " of " + run.count();
            for (int i = 0; i < run.count(); i++) {
                Msg message;
                try {
                    message = socket.recv("round trip ", i, ofCount);
                } catch (PeerError.Multipart e) {
                    socket.send(FAILURE, "the reply to round trip ", i, "");
                    throw e;
                }
                socket.send(message.data(), "the echo of round trip ", i, "");
            }
        }
    }

    /** Times --count round trips; prints every one. */
    static void latReq(Run run) throws PeerError {
        try (PeerSocket socket = PeerSocket.create(run, ZMQ.ZMQ_REQ)) {
            socket.attach();
            byte[] payload = new byte[run.size()];
            long[] rtt = new long[run.count()];
            String ofCount = " of " + run.count();
            for (int i = 0; i < run.count(); i++) {
                long started = System.nanoTime();
                socket.send(payload, "round trip ", i, ofCount);
                Msg echo = socket.recv("the echo of round trip ", i, ofCount);
                rtt[i] = System.nanoTime() - started;
                checkSize(echo, run);
            }
            Out.emit(Contract.latency(run.count(), run.size(), rtt));
        }
    }

    private static void checkSize(Msg message, Run run) throws PeerError {
        if (message.size() != run.size()) {
            throw PeerError.malformed("message of " + message.size() + " bytes, expected " + run.size());
        }
    }
}
