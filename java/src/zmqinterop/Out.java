// Out.java: the peer's two streams: JSON lines on stdout (flushed per line) and human lines on stderr.
package zmqinterop;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes straight to the file descriptors: no PrintStream, which would swallow a closed stdout,
 * and one write call per line, so that every line reaches the reader whole and at once.
 */
final class Out {
    private static final FileOutputStream STDOUT = new FileOutputStream(FileDescriptor.out);
    private static final FileOutputStream STDERR = new FileOutputStream(FileDescriptor.err);

    private Out() {}

    /** One JSON line on stdout; a closed stdout ends the peer (exit 6). */
    static void emit(String line) throws PeerError {
        try {
            STDOUT.write(withNewline(line));
        } catch (IOException e) {
            throw PeerError.failed("stdout closed: " + e.getMessage());
        }
    }

    /** The one `error: <reason>` line the harness quotes; a reason never spans two lines. */
    static void error(String reason) {
        note("error: " + reason.replace('\n', ' ').replace('\r', ' '));
    }

    /** A free-form human line on stderr (nothing to do if stderr itself is gone). */
    static void note(String text) {
        synchronized (STDERR) { // the engine's threads may write too (StderrGuard)
            try {
                STDERR.write(withNewline(text));
            } catch (IOException e) {
                // stderr is closed: there is nobody left to tell.
            }
        }
    }

    /** Raw bytes for stderr, for StderrGuard, under the same lock as note(). */
    static void rawStderr(byte[] bytes, int length) {
        synchronized (STDERR) {
            try {
                STDERR.write(bytes, 0, length);
            } catch (IOException e) {
                // as in note()
            }
        }
    }

    private static byte[] withNewline(String line) {
        byte[] text = line.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(text, text.length + 1);
        bytes[text.length] = '\n';
        return bytes;
    }
}
