// Stdin.java: the contract's stdin rules (docs/peer-contract.md, "Stdin"): --exit-with-stdin
// watches stdin and ends the peer when it closes; --pause-after reads one line at the pause.
package zmqinterop;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads fd 0 directly (not System.in, whose buffer would hold more than the one line asked for). */
final class Stdin {
    /** The reason a peer gives when stdin closes under --exit-with-stdin, or at a pause. */
    static final String CLOSED = "stdin closed: the harness is gone";

    private static final InputStream IN = new FileInputStream(FileDescriptor.in);

    private Stdin() {}

    /**
     * Starts a daemon thread that reads stdin to its end (or to a read error: stdin is gone
     * either way), then writes the error line and halts the JVM with exit 6. halt, not exit:
     * no shutdown hook runs, so nothing (JeroMQ's threads, a socket lingering in close) can
     * delay the end. A daemon thread never keeps the JVM alive, so a normal exit is not delayed.
     */
    static void exitWhenClosed() {
        Thread watcher = new Thread(() -> {
            byte[] sink = new byte[256];
            try {
                while (IN.read(sink) >= 0) {
                    // Lines written to a watched stdin mean nothing.
                }
            } catch (IOException e) {
                // A stdin that cannot be read is as gone as a closed one.
            }
            Out.error(CLOSED);
            Runtime.getRuntime().halt(Contract.ERROR);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Waits for one line (or the last bytes before end-of-file); end-of-file first is exit 6. */
    static void waitForLine() throws PeerError {
        int read = 0;
        try {
            for (int b = IN.read(); b >= 0; b = IN.read()) {
                read++;
                if (b == '\n') {
                    return;
                }
            }
        } catch (IOException e) {
            throw PeerError.failed("reading stdin failed: " + e.getMessage());
        }
        if (read == 0) {
            throw PeerError.failed(CLOSED);
        }
    }
}
