// PeerProcess.java: one Java peer as a real process (the same java, class path and classes as the
// tests), its ready line, and how it ended: exit code, stdout lines, stderr.
package zmqinterop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A peer process; every wait is bounded, and a peer left running is killed. */
final class PeerProcess {
    private static final long WAIT_SECONDS = 30;

    /** How a peer ended. */
    record Finished(int code, List<String> lines, String stderr) {
        /** The text of the one `error:` line, or null. */
        String reason() {
            String reason = null;
            for (String line : stderr.split("\n")) {
                if (line.startsWith("error: ")) {
                    Check.isTrue(reason == null, "one error: line only, in " + stderr);
                    reason = line.substring("error: ".length());
                }
            }
            return reason;
        }
    }

    private final Process process;
    private final BufferedReader stdout;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();

    private PeerProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code java -cp <ours> zmqinterop.Peer args...}, its stdin closed. */
    static PeerProcess start(String... args) throws IOException {
        return startClass("zmqinterop.Peer", args);
    }

    /** Starts {@code java -cp <ours> mainClass args...}, its stdin closed. */
    static PeerProcess startClass(String mainClass, String... args) throws IOException {
        PeerProcess peer = startHeld(mainClass, args);
        peer.closeStdin();
        return peer;
    }

    /** Starts a peer whose stdin is a pipe the test holds (writeLine, closeStdin), as the harness does. */
    static PeerProcess startHolding(String... args) throws IOException {
        return startHeld("zmqinterop.Peer", args);
    }

    private static PeerProcess startHeld(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("java-peer-", ".stderr");
        stderr.toFile().deleteOnExit();
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new PeerProcess(process, stderr);
    }

    /** Writes one line to the peer's stdin. */
    void writeLine(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the peer's stdin (end-of-file for it). */
    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /** The next stdout line (kept for finish()), or null at the end. */
    String nextLine() throws IOException {
        String line = stdout.readLine(); // bounded: every peer under test has a timeout
        if (line != null) {
            lines.add(line);
        }
        return line;
    }

    /** Kills the peer (SIGKILL, as the harness kills a holding binder) and waits for it. */
    void kill() throws Exception {
        process.destroyForcibly();
        Check.isTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "a killed peer ends");
        Files.deleteIfExists(stderr);
    }

    /** Waits at most this long for the end; whether it ended. */
    boolean waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** The endpoint of the ready line, which must be the first line. */
    String ready() throws IOException {
        String line = stdout.readLine(); // bounded: every peer under test has a timeout
        Check.isTrue(line != null, "no ready line; stderr: " + Files.readString(stderr));
        lines.add(line);
        Check.equal("ready", Check.string(line, "event"), "first line's event in " + line);
        return Check.string(line, "endpoint");
    }

    /** Waits for the end (killing a peer that outlives the wait) and collects its output. */
    Finished finish() throws Exception {
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            lines.add(line);
        }
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("peer still running after " + WAIT_SECONDS + " s");
        }
        String errors = Files.readString(stderr);
        Files.deleteIfExists(stderr);
        // The contract: no stack trace ever reaches stderr.
        Check.isTrue(!errors.contains("\tat ") && !errors.contains("Exception in thread"),
                "a stack trace on stderr: " + errors);
        return new Finished(process.exitValue(), lines, errors);
    }

    /** Runs a peer to its end. */
    static Finished run(String... args) throws Exception {
        return start(args).finish();
    }
}
