// PeerError.java: ends the peer with one `error: <reason>` line and the contract's exit code.
package zmqinterop;

/** Thrown wherever the peer must stop; Peer.main turns it into the error line and the exit. */
class PeerError extends Exception {
    private static final long serialVersionUID = 1L;

    final int code;
    final String reason;

    PeerError(int code, String reason) {
        // No stack trace: it is never printed, and filling it in costs start-up time.
        super(reason, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    static PeerError usage(String reason) {
        return new PeerError(Contract.USAGE, reason);
    }

    static PeerError timeout(String reason) {
        return new PeerError(Contract.TIMEOUT, reason);
    }

    static PeerError unsupported(String reason) {
        return new PeerError(Contract.UNSUPPORTED, reason);
    }

    static PeerError malformed(String reason) {
        return new PeerError(Contract.MALFORMED, reason);
    }

    static PeerError failed(String reason) {
        return new PeerError(Contract.ERROR, reason);
    }

    /** A multipart message where the contract expects one frame ("Unexpected messages"). */
    static PeerError multipart(int frames) {
        return new Multipart(frames);
    }

    /** The multipart case, told apart so that a replier can answer FAILURE before exiting. */
    static final class Multipart extends PeerError {
        private static final long serialVersionUID = 1L;

        Multipart(int frames) {
            super(Contract.MALFORMED, "malformed message: " + frames + " frames, expected 1");
        }
    }
}
