// StderrGuard.java: keeps Java stack traces off stderr, whoever prints them (JeroMQ's own threads).
package zmqinterop;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The contract allows no stack trace on stderr. Our own code never prints one, but JeroMQ's
 * I/O threads may: an uncaught exception there goes to the default handler, and some of its
 * code calls printStackTrace() (zmq.Poller in 0.3.6, Ctx's notification handler in 0.6.0).
 * So System.err is replaced by a line filter that drops stack frames (lines starting with a
 * tab, "Caused by:", "Suppressed:") and keeps the rest, and a thread that dies is reported in
 * one free-form line and remembered, so that a later timeout can name the real cause.
 */
final class StderrGuard extends OutputStream {
    private static volatile String threadFailure;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    private StderrGuard() {}

    /** Installs the filter and the default handler; before the first socket. */
    static void install() {
        System.setErr(new PrintStream(new StderrGuard(), true));
        // JeroMQ's mechanisms print their diagnostics with System.out.println (0.6.0's PLAIN
        // client: "PLAIN Client I: invalid handshake command" when a server answers with an
        // ERROR command); stdout is the contract's JSON lines only (Out writes them to the file
        // descriptor itself), so the engine's chatter goes to stderr, where diagnostics belong.
        System.setOut(System.err);
        Thread.setDefaultUncaughtExceptionHandler(new Thread.UncaughtExceptionHandler() {
            @Override
            public void uncaughtException(Thread thread, Throwable e) {
                String failure = "JeroMQ thread " + thread.getName() + " died: " + e;
                if (threadFailure == null) {
                    threadFailure = failure;
                }
                Out.note(failure);
            }
        });
    }

    /** The first engine thread that died, or null. */
    static String threadFailure() {
        return threadFailure;
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    private void flushLine() {
        byte[] bytes = line.toByteArray();
        line.reset();
        if (!isStackFrame(bytes)) {
            Out.rawStderr(bytes, bytes.length);
        }
    }

    private static boolean isStackFrame(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == '\t' || startsWith(bytes, "Caused by:") || startsWith(bytes, "Suppressed:");
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        if (bytes.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
