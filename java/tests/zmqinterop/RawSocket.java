// RawSocket.java: a bare JeroMQ socket in the test process, to send what no peer role sends
// (multipart messages) to a peer process.
package zmqinterop;

import zmq.Ctx;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZMQ;

/** Connects to a peer process; receives and sends frames, each wait bounded by a timeout. */
final class RawSocket implements AutoCloseable {
    private final Ctx ctx;
    private final SocketBase socket;

    RawSocket(int type, String endpoint) {
        ctx = ZMQ.createContext();
        socket = ZMQ.socket(ctx, type);
        ZMQ.setSocketOption(socket, ZMQ.ZMQ_RCVTIMEO, 10000);
        ZMQ.setSocketOption(socket, ZMQ.ZMQ_SNDTIMEO, 10000);
        ZMQ.setSocketOption(socket, ZMQ.ZMQ_LINGER, 5000);
        Check.isTrue(ZMQ.connect(socket, endpoint), "connect " + endpoint);
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
