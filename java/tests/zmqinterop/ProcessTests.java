// ProcessTests.java: the Java peer as real processes over real loopback tcp: every role paired with
// itself, malformed and multipart input, usage errors, timeouts, exit 4 for ipc and unknown cases.
package zmqinterop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import zmq.ZMQ;

final class ProcessTests {
    private static final String TCP = "tcp://127.0.0.1:*";
    private static final String TIMEOUT = "--timeout-ms=5000";

    private ProcessTests() {}

    /** The sub lines the fakehw sequence of this seed gives, as the contract prints them. */
    private static List<String> expectedPackets(long seed, String topic, int count, int packetSize) {
        FakeHw hw = new FakeHw(seed);
        List<String> lines = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            short[] samples = new short[packetSize];
            for (int i = 0; i < packetSize; i++) {
                samples[i] = hw.readVal();
            }
            lines.add(Contract.packet(seq, topic, samples));
        }
        return lines;
    }

    static void register(TestRunner runner, Path root) {
        runner.test("process: --info describes the peer and its JeroMQ", () -> {
            PeerProcess.Finished info = PeerProcess.run("--info");
            Check.equal(0, info.code(), "exit");
            Check.equal(1, info.lines().size(), "one line");
            String line = info.lines().get(0);
            Check.equal("java", Check.string(line, "lang"), "lang");
            Check.equal("jeromq", Check.string(line, "impl"), "impl");
            Check.equal("jeromq", Check.string(line, "engine"), "engine");
            Check.equal(Engine.version(), Check.string(line, "engine_version"), "engine_version");
            Check.isTrue(!Engine.version().equals("unknown"), "JeroMQ's version is read from its jar");
            Check.isTrue(line.contains("\"libzmq\":null,\"transports\":[\"tcp\"]"), "no libzmq, tcp only: " + line);
            Check.isTrue(Check.string(line, "ipc").startsWith("JeroMQ " + Engine.version() + " has no ipc"), "ipc reason");
            Check.isTrue(line.contains("\"roles\":[\"pub\",\"sub\",\"rep\",\"req\",\"thr-push\",\"thr-pull\","
                    + "\"lat-req\",\"lat-rep\"]"), "roles");
            Check.isTrue(line.contains("\"cases\":[\"fancyhw\",\"burst\",\"multipart\",\"empty\",\"topics\","
                    + "\"reconnect\",\"array\",\"hello\",\"large\",\"heartbeat\"]"),
                    "every case, heartbeat included (rep plays it whatever the engine): " + line);
            String limit = Engine.caseLimit(Case.HEARTBEAT, "req");
            Check.equal(limit != null, line.contains(",\"case_limits\":{\"heartbeat\":"
                    + Json.string(new StringBuilder(), "req: " + limit) + "},"), "case_limits: the requester's heartbeats");
            Check.equal(!Engine.resolvesWildcardPort(), line.contains("reports port 0 in ZMQ_LAST_ENDPOINT"),
                    "the wildcard workaround, before 0.5.0");
            Check.equal(Engine.shortensHandshake(), line.contains("connecting sockets get ZMQ_HANDSHAKE_IVL = 1000 ms"),
                    "the handshake workaround, from 0.4.0");
        });
        runner.test("process: pub --sync binds a wildcard port, sub receives the fakehw sequence", () -> {
            PeerProcess publisher = PeerProcess.start("pub", "--endpoint", TCP, "--sync", "--count", "3",
                    "--report-sent", TIMEOUT);
            String endpoint = publisher.ready();
            Check.isTrue(endpoint.startsWith("tcp://127.0.0.1:") && !endpoint.endsWith(":*")
                    && !endpoint.endsWith(":0"), "a resolved port: " + endpoint);
            PeerProcess.Finished sub = PeerProcess.run("sub", "--endpoint", endpoint, "--count", "3", TIMEOUT);
            Check.equal(0, sub.code(), "sub exit; " + sub.stderr());
            Check.equal(Contract.ready(endpoint), sub.lines().get(0), "sub's ready line");
            Check.equal(expectedPackets(12345, "fancyhw_data", 3, 16), sub.lines().subList(1, 4), "packets");
            PeerProcess.Finished pub = publisher.finish();
            Check.equal(0, pub.code(), "pub exit; " + pub.stderr());
            Check.equal(List.of(Contract.sent(0), Contract.sent(1), Contract.sent(2)), pub.lines().subList(1, 4), "sent");
        });
        runner.test("process: sub binds, pub connects, with another topic, seed and packet size", () -> {
            String[] options = {"--topic", "t1", "--seed", "4294967295", "--packet-size", "5", "--count", "2", TIMEOUT};
            PeerProcess subscriber = PeerProcess.start(concat(new String[] {"sub", "--bind", "--endpoint", TCP}, options));
            String endpoint = subscriber.ready();
            PeerProcess.Finished pub = PeerProcess.run(concat(
                    new String[] {"pub", "--connect", "--sync", "--interval-ms", "20", "--endpoint", endpoint}, options));
            Check.equal(0, pub.code(), "pub exit; " + pub.stderr());
            PeerProcess.Finished sub = subscriber.finish();
            Check.equal(0, sub.code(), "sub exit; " + sub.stderr());
            Check.equal(expectedPackets(4294967295L, "t1", 2, 5), sub.lines().subList(1, 3), "packets");
        });
        runner.test("process: rep and req, cases array and hello, and the requester binding", () -> {
            for (String[] c : new String[][] {{"array", "SUCCESS"}, {"hello", "world"}}) {
                PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--case", c[0], "--count", "2", TIMEOUT);
                String endpoint = replier.ready();
                PeerProcess.Finished req = PeerProcess.run("req", "--endpoint", endpoint, "--case", c[0], "--count", "2",
                        TIMEOUT);
                Check.equal(0, req.code(), "req exit; " + req.stderr());
                Check.equal(List.of(Contract.reply(0, c[1].getBytes()), Contract.reply(1, c[1].getBytes())),
                        req.lines().subList(1, 3), "replies");
                PeerProcess.Finished rep = replier.finish();
                Check.equal(0, rep.code(), "rep exit; " + rep.stderr());
                Check.equal(List.of(Contract.verdict(0, null), Contract.verdict(1, null)), rep.lines().subList(1, 3),
                        "verdicts");
            }
            PeerProcess requester = PeerProcess.start("req", "--bind", "--endpoint", TCP, "--len", "1000", "--count", "1",
                    TIMEOUT);
            String endpoint = requester.ready();
            PeerProcess.Finished rep = PeerProcess.run("rep", "--connect", "--endpoint", endpoint, "--len", "1000",
                    "--count", "1", TIMEOUT);
            Check.equal(0, rep.code(), "rep exit; " + rep.stderr());
            Check.equal(0, requester.finish().code(), "req exit");
        });
        runner.test("process: a corrupted value is named by index; both sides exit 1", () -> {
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--count", "2", TIMEOUT);
            String endpoint = replier.ready();
            PeerProcess.Finished req = PeerProcess.run("req", "--endpoint", endpoint, "--count", "2",
                    "--corrupt-index", "7", TIMEOUT);
            Check.equal(1, req.code(), "req exit");
            Check.equal(Contract.reply(0, "FAILURE".getBytes()), req.lines().get(1), "reply");
            Check.equal("reply to request 0 was \"FAILURE\" (hex 4641494c555245), expected \"SUCCESS\"", req.reason(),
                    "req's error line");
            PeerProcess.Finished rep = replier.finish();
            Check.equal(1, rep.code(), "rep exit");
            String verdict = rep.lines().get(1);
            Check.isTrue(Check.string(verdict, "detail").startsWith("value mismatch at index 7: expected 0.0477572446689"),
                    verdict);
            Check.isTrue(verdict.endsWith(",\"index\":7}"), verdict);
            Check.isTrue(rep.stderr().contains("request 0: value mismatch at index 7"), "stderr names index 7");
            Check.equal("2 of 2 requests did not match", rep.reason(), "rep's error line");
        });
        runner.test("process: a short array is a length mismatch; raw replies are shown in hex", () -> {
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--count", "1",
                    "--raw-reply-hex", "fffe00", TIMEOUT);
            String endpoint = replier.ready();
            PeerProcess.Finished req = PeerProcess.run("req", "--endpoint", endpoint, "--count", "1", "--len", "1000",
                    TIMEOUT);
            Check.equal(1, req.code(), "req exit");
            Check.equal("{\"seq\":0,\"reply_hex\":\"fffe00\"}", req.lines().get(1), "hex reply");
            Check.equal("reply to request 0 was \"\\xff\\xfe\\x00\" (hex fffe00), expected \"SUCCESS\"", req.reason(),
                    "req's error line");
            PeerProcess.Finished rep = replier.finish();
            Check.equal(1, rep.code(), "rep exit");
            Check.equal("{\"seq\":0,\"verdict\":\"FAILURE\",\"detail\":\"length mismatch: expected 1048576 bytes "
                    + "(131072 float64), got 8000 bytes\",\"expected_bytes\":1048576,\"got_bytes\":8000}",
                    rep.lines().get(1), "verdict");
        });
        runner.test("process: every malformed.json envelope makes the subscriber exit 5 with its reason", () -> {
            String json = Files.readString(root.resolve("crates/harness/tests/data/malformed.json"));
            List<String> names = Check.strings(json, "name");
            List<String> hexes = Check.strings(json, "hex");
            List<String> reasons = Check.strings(json, "reason");
            for (int i = 0; i < names.size(); i++) {
                PeerProcess publisher = PeerProcess.start("pub", "--endpoint", TCP, "--sync", "--count", "1",
                        "--raw-hex", hexes.get(i), TIMEOUT);
                String endpoint = publisher.ready();
                PeerProcess.Finished sub = PeerProcess.run("sub", "--endpoint", endpoint, "--subscribe", "", "--count",
                        "1", TIMEOUT);
                Check.equal(5, sub.code(), names.get(i) + " exit; " + sub.stderr());
                Check.equal(reasons.get(i), sub.reason(), names.get(i));
                Check.equal(1, sub.lines().size(), names.get(i) + ": only the ready line on stdout");
                Check.equal(0, publisher.finish().code(), names.get(i) + ": pub exit");
            }
        });
        runner.test("process: multipart input is exit 5; repliers answer FAILURE first", () -> {
            byte[] a = "a".getBytes(StandardCharsets.US_ASCII);
            // sub (binding) gets a 3-frame publication from an XPUB that waits for its subscription.
            PeerProcess subscriber = PeerProcess.start("sub", "--bind", "--endpoint", TCP, "--subscribe", "", TIMEOUT);
            try (RawSocket xpub = new RawSocket(ZMQ.ZMQ_XPUB, subscriber.ready())) {
                Check.equal(1, (int) xpub.recv()[0], "a subscription");
                xpub.send("fancyhw_data".getBytes(StandardCharsets.US_ASCII), a, a);
                multipart(subscriber.finish(), 3, "sub");
            }
            for (String role : new String[] {"rep", "lat-rep"}) {
                PeerProcess replier = PeerProcess.start(role, "--endpoint", TCP, TIMEOUT);
                try (RawSocket req = new RawSocket(ZMQ.ZMQ_REQ, replier.ready())) {
                    req.send(a, a);
                    Check.equal("FAILURE", new String(req.recv(), StandardCharsets.US_ASCII), role + "'s answer");
                    PeerProcess.Finished done = replier.finish();
                    multipart(done, 2, role);
                    if (role.equals("rep")) {
                        Check.equal("{\"seq\":0,\"verdict\":\"FAILURE\",\"detail\":\"malformed message: 2 frames, "
                                + "expected 1\"}", done.lines().get(1), "rep's verdict line");
                    }
                }
            }
            for (String role : new String[] {"req", "lat-req"}) {
                try (RawSocket rep = RawSocket.bound(ZMQ.ZMQ_REP)) {
                    PeerProcess requester = PeerProcess.start(role, "--endpoint", rep.endpoint(), "--case", "hello",
                            TIMEOUT);
                    requester.ready();
                    rep.recv();
                    rep.send(a, a, a, a);
                    multipart(requester.finish(), 4, role);
                }
            }
            PeerProcess puller = PeerProcess.start("thr-pull", "--endpoint", TCP, TIMEOUT);
            try (RawSocket push = new RawSocket(ZMQ.ZMQ_PUSH, puller.ready())) {
                push.send(new byte[16], new byte[16]);
                multipart(puller.finish(), 2, "thr-pull");
            }
        });
        runner.test("process: thr-push to thr-pull and lat-req to lat-rep print their results", () -> {
            PeerProcess puller = PeerProcess.start("thr-pull", "--endpoint", TCP, "--count", "5000", "--size", "64",
                    "--hwm", "1000", TIMEOUT);
            String endpoint = puller.ready();
            PeerProcess.Finished push = PeerProcess.run("thr-push", "--endpoint", endpoint, "--count", "5000", "--size",
                    "64", "--hwm", "1000", TIMEOUT);
            Check.equal(0, push.code(), "thr-push exit; " + push.stderr());
            PeerProcess.Finished pull = puller.finish();
            Check.equal(0, pull.code(), "thr-pull exit; " + pull.stderr());
            Check.isTrue(pull.lines().get(1).matches(
                    "\\{\"event\":\"result\",\"kind\":\"thr\",\"count\":5000,\"size\":64,\"elapsed_ns\":[0-9]+}"),
                    pull.lines().get(1));
            PeerProcess echo = PeerProcess.start("lat-rep", "--endpoint", TCP, "--count", "50", "--size", "100", TIMEOUT);
            endpoint = echo.ready();
            PeerProcess.Finished lat = PeerProcess.run("lat-req", "--endpoint", endpoint, "--count", "50", "--size",
                    "100", TIMEOUT);
            Check.equal(0, lat.code(), "lat-req exit; " + lat.stderr());
            String result = lat.lines().get(1);
            Check.isTrue(result.startsWith("{\"event\":\"result\",\"kind\":\"lat\",\"count\":50,\"size\":100,\"rtt_ns\":["),
                    result);
            Check.equal(50, Check.intArray(result, "rtt_ns").length, "every round trip");
            Check.equal(0, echo.finish().code(), "lat-rep exit");
        });
        runner.test("process: a message of the wrong size is exit 5 for the benchmark roles", () -> {
            PeerProcess puller = PeerProcess.start("thr-pull", "--endpoint", TCP, "--count", "2", "--size", "8", TIMEOUT);
            String endpoint = puller.ready();
            PeerProcess.run("thr-push", "--endpoint", endpoint, "--count", "2", "--size", "9", TIMEOUT);
            PeerProcess.Finished pull = puller.finish();
            Check.equal(5, pull.code(), "exit");
            Check.equal("message of 9 bytes, expected 8", pull.reason(), "reason");
        });
        runner.test("process: usage errors are exit 2, one error line, nothing on stdout", () -> {
            String[][] cases = {
                {}, {"pub"}, {"pub", "--endpoint", TCP, "--count", "0"}, {"sub", "--endpoint", TCP, "--topic", "a b"},
                {"pub", "--endpoint", TCP, "--bogus"}, {"req", "--endpoint", TCP, "--corrupt-index", "9", "--len", "9"},
                {"rep", "--endpoint", "ipc://", "--case", "nope"},
            };
            for (String[] args : cases) {
                PeerProcess.Finished done = PeerProcess.run(args);
                Check.equal(2, done.code(), "exit of " + String.join(" ", args));
                Check.equal(List.of(), done.lines(), "stdout of " + String.join(" ", args));
                Check.isTrue(done.reason() != null && done.stderr().lines().count() == 1,
                        "exactly one error line: " + done.stderr());
            }
        });
        runner.test("process: an unknown case and an ipc endpoint are exit 4 before any socket", () -> {
            PeerProcess.Finished unknown = PeerProcess.run("rep", "--endpoint", TCP, "--case", "big");
            Check.equal(4, unknown.code(), "unknown case exit");
            Check.equal("case \"big\" is not implemented by this peer", unknown.reason(), "reason");
            Check.equal(List.of(), unknown.lines(), "no ready line");
            Path dir = Files.createTempDirectory("java-peer-ipc");
            try {
                PeerProcess.Finished ipc = PeerProcess.run("sub", "--endpoint", "ipc://" + dir.resolve("x.sock"));
                Check.equal(4, ipc.code(), "ipc exit");
                Check.equal(Engine.ipcReason(), ipc.reason(), "ipc reason");
                Check.equal(List.of(), ipc.lines(), "no ready line");
                Check.isTrue(!Files.exists(dir.resolve("x.sock")), "nothing created");
            } finally {
                Files.deleteIfExists(dir);
            }
        });
        runner.test("process: a receive timeout is exit 3 naming what was awaited", () -> {
            PeerProcess.Finished sub = PeerProcess.run("sub", "--endpoint", "tcp://127.0.0.1:9", "--timeout-ms", "300");
            Check.equal(3, sub.code(), "exit");
            Check.equal("timed out after 300 ms waiting for message 0 of 10", sub.reason(), "reason");
            PeerProcess.Finished pub = PeerProcess.run("pub", "--endpoint", TCP, "--sync", "--timeout-ms", "300");
            Check.equal(3, pub.code(), "exit");
            Check.equal("timed out after 300 ms waiting for a subscriber", pub.reason(), "reason");
        });
        stderrGuard(runner);
        runner.test("process: a refused bind is exit 6 naming the call", () -> {
            PeerProcess holder = PeerProcess.start("rep", "--endpoint", TCP, "--timeout-ms", "3000", "--count", "1");
            String endpoint = holder.ready();
            PeerProcess.Finished second = PeerProcess.run("rep", "--endpoint", endpoint, "--timeout-ms", "300");
            Check.equal(6, second.code(), "exit");
            Check.isTrue(second.reason().startsWith("zmq_bind(" + endpoint + ") failed: "), second.reason());
            Check.equal(3, holder.finish().code(), "the holder times out");
        });
    }

    private static void stderrGuard(TestRunner runner) {
        runner.test("process: stack traces from other threads never reach stderr", () -> {
            PeerProcess.Finished probe = PeerProcess.startClass("zmqinterop.StderrGuardProbe").finish();
            Check.equal(0, probe.code(), "exit");
            Check.equal("java.lang.IllegalStateException: printed by the engine\n"
                    + "JeroMQ thread iothread-9 died: java.lang.IllegalArgumentException: an engine thread dies\n"
                    + "a plain line survives\n", probe.stderr(), "stderr: the exceptions' first lines only");
            Check.equal(List.of("JeroMQ thread iothread-9 died: java.lang.IllegalArgumentException: an engine thread dies"),
                    probe.lines(), "the dead thread is remembered");
        });
    }

    private static void multipart(PeerProcess.Finished done, int frames, String role) {
        Check.equal(5, done.code(), role + " exit; " + done.stderr());
        Check.equal("malformed message: " + frames + " frames, expected 1", done.reason(), role + "'s reason");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
