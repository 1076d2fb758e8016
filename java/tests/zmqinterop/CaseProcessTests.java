// CaseProcessTests.java: the case catalog played by the Java peer with itself, as real processes over
// loopback tcp: multipart, empty, topics, large, heartbeat, reconnect (killing and restarting the
// binder on the same endpoint), and the stdin rules (--exit-with-stdin, --pause-after).
package zmqinterop;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

final class CaseProcessTests {
    private static final String TCP = "tcp://127.0.0.1:*";
    private static final String TIMEOUT = "--timeout-ms=5000";
    private static final String TOPIC = "fancyhw_data";

    private CaseProcessTests() {}

    /** The envelopes (bytes) of the fakehw sequence of this seed, one per topic given. */
    private static List<byte[]> envelopes(long seed, List<String> topics, int packetSize) {
        FakeHw hw = new FakeHw(seed);
        List<byte[]> envelopes = new ArrayList<>();
        for (String topic : topics) {
            short[] samples = new short[packetSize];
            for (int i = 0; i < packetSize; i++) {
                samples[i] = hw.readVal();
            }
            envelopes.add(Envelope.encode(topic.getBytes(StandardCharsets.US_ASCII), samples));
        }
        return envelopes;
    }

    /** The packet lines of these envelopes, numbered from {@code firstSeq}. */
    private static List<String> packets(List<byte[]> envelopes, int firstSeq, int packetSize) throws PeerError {
        List<String> lines = new ArrayList<>();
        for (byte[] envelope : envelopes) {
            Envelope.Decoded decoded = Envelope.decode(envelope, null, packetSize);
            lines.add(Contract.packet(firstSeq + lines.size(), decoded.topic(), decoded.samples()));
        }
        return lines;
    }

    private static List<String> repeat(String topic, int count) {
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            topics.add(topic);
        }
        return topics;
    }

    private static void exits(int code, PeerProcess.Finished done, String who) {
        Check.equal(code, done.code(), who + " exit; stderr: " + done.stderr());
    }

    static void register(TestRunner runner) {
        runner.test("process: case multipart, pub/sub: topic, empty frame, envelope; one frames line each", () -> {
            PeerProcess publisher = PeerProcess.start("pub", "--endpoint", TCP, "--case", "multipart", "--sync",
                    "--count", "3", "--packet-size", "2", TIMEOUT);
            String endpoint = publisher.ready();
            PeerProcess.Finished sub = PeerProcess.run("sub", "--endpoint", endpoint, "--case", "multipart", "--count", "3",
                    "--packet-size", "2", TIMEOUT);
            exits(0, sub, "sub");
            List<String> expected = new ArrayList<>();
            List<byte[]> envelopes = envelopes(12345, repeat(TOPIC, 3), 2);
            for (int i = 0; i < 3; i++) {
                expected.add(Contract.frames(i, List.of(TOPIC.getBytes(StandardCharsets.US_ASCII), new byte[0],
                        envelopes.get(i))));
            }
            Check.equal(expected, sub.lines().subList(1, sub.lines().size()), "frames lines");
            Check.equal("{\"seq\":0,\"frames\":[\"66616e637968775f64617461\",\"\",\"66616e637968775f646174612047a895a1\"]}",
                    sub.lines().get(1), "the first, word for word");
            exits(0, publisher.finish(), "pub");
        });
        runner.test("process: case empty, pub/sub: zero bytes, then the zero-sample envelope, alternately", () -> {
            PeerProcess publisher = PeerProcess.start("pub", "--endpoint", TCP, "--case", "empty", "--sync", "--count", "4",
                    TIMEOUT);
            String endpoint = publisher.ready();
            PeerProcess.Finished sub = PeerProcess.run("sub", "--endpoint", endpoint, "--case", "empty", "--count", "4",
                    "--subscribe", "", TIMEOUT);
            exits(0, sub, "sub");
            String zero = "{\"seq\":%d,\"frames\":[\"\"]}";
            String topicOnly = "{\"seq\":%d,\"frames\":[\"66616e637968775f6461746120\"]}";
            Check.equal(List.of(String.format(zero, 0), String.format(topicOnly, 1), String.format(zero, 2),
                    String.format(topicOnly, 3)), sub.lines().subList(1, 5), "frames lines");
            exits(0, publisher.finish(), "pub");
        });
        runner.test("process: case topics: two subscriptions, fancy dropped half-way, counts from --count", () -> {
            int count = 10;
            PeerProcess publisher = PeerProcess.start("pub", "--endpoint", TCP, "--case", "topics", "--count",
                    Integer.toString(count), "--packet-size", "3", "--report-sent", TIMEOUT);
            String endpoint = publisher.ready();
            PeerProcess.Finished sub = PeerProcess.run("sub", "--endpoint", endpoint, "--case", "topics", "--count",
                    Integer.toString(count), "--packet-size", "3", "--subscribe", "ignored", TIMEOUT);
            exits(0, sub, "sub");
            String[] names = {"fancyhw_data", "fancyhw_status", "other_data"};
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < 2 * count; i++) {
                topics.add(names[i % 3]);
            }
            List<byte[]> all = envelopes(12345, topics, 3); // one sequence across every topic
            List<byte[]> received = new ArrayList<>();
            for (int i = 0; i < 2 * count; i++) {
                if (i < count ? i % 3 != 2 : i % 3 == 0) {
                    received.add(all.get(i));
                }
            }
            Check.equal(10, received.size(), "7 of the first half, 3 of the second");
            Check.equal(packets(received, 0, 3), sub.lines().subList(1, sub.lines().size()), "packet lines");
            PeerProcess.Finished pub = publisher.finish();
            exits(0, pub, "pub");
            Check.equal(2 * count + 1, pub.lines().size(), "the publisher sent both halves: " + pub.lines());
        });
        runner.test("process: case multipart, req/rep: the same three frames both ways", () -> {
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--case", "multipart", "--count", "2",
                    "--len", "3", TIMEOUT);
            String endpoint = replier.ready();
            PeerProcess.Finished req = PeerProcess.run("req", "--endpoint", endpoint, "--case", "multipart", "--count",
                    "2", "--len", "3", TIMEOUT);
            exits(0, req, "req");
            List<byte[]> frames = List.of("multipart".getBytes(StandardCharsets.US_ASCII), new byte[0],
                    FakeHw.f64Array(12345, 3, -1));
            List<String> expected = List.of(Contract.frames(0, frames), Contract.frames(1, frames));
            Check.equal(expected, req.lines().subList(1, req.lines().size()), "req's frames lines");
            PeerProcess.Finished rep = replier.finish();
            exits(0, rep, "rep");
            Check.equal(expected, rep.lines().subList(1, rep.lines().size()), "rep's frames lines");
        });
        runner.test("process: case empty, req/rep: a zero-length request and reply", () -> {
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--case", "empty", "--count", "2", TIMEOUT);
            String endpoint = replier.ready();
            PeerProcess.Finished req = PeerProcess.run("req", "--endpoint", endpoint, "--case", "empty", "--count", "2",
                    TIMEOUT);
            exits(0, req, "req");
            List<String> expected = List.of("{\"seq\":0,\"frames\":[\"\"]}", "{\"seq\":1,\"frames\":[\"\"]}");
            Check.equal(expected, req.lines().subList(1, 3), "req's frames lines");
            PeerProcess.Finished rep = replier.finish();
            exits(0, rep, "rep");
            Check.equal(expected, rep.lines().subList(1, 3), "rep's frames lines");
        });
        runner.test("process: case large: 64 MiB each way, judged by the requester", () -> {
            String[] options = {"--case", "large", "--len", "8388608", "--count", "2", "--timeout-ms", "60000"};
            PeerProcess replier = PeerProcess.start(concat(new String[] {"rep", "--endpoint", TCP}, options));
            String endpoint = replier.ready();
            PeerProcess.Finished req = PeerProcess.run(concat(new String[] {"req", "--endpoint", endpoint}, options));
            PeerProcess.Finished rep = replier.finish();
            exits(0, rep, "rep");
            Check.equal(List.of(Contract.verdict(0, null), Contract.verdict(1, null)), rep.lines().subList(1, 3),
                    "rep's verdicts");
            Check.equal(Contract.largeReply(0, 67108864, true), req.lines().get(1), "the first reply");
            if (Engine.atLeast(0, 4)) {
                exits(0, req, "req");
                Check.equal(Contract.largeReply(1, 67108864, true), req.lines().get(2), "the last reply");
            } else {
                // Known divergence of JeroMQ 0.3.6 (README): closing the replier, linger or not, drops
                // what its engine had not yet written of the last 64 MiB reply, and a 0.3.6
                // requester delivers that cut message at its full size, the missing tail zeros.
                exits(1, req, "req");
                Check.equal(Contract.largeReply(1, 67108864, false), req.lines().get(2), "the last reply, cut");
                Check.equal("reply to request 1 (67108864 bytes) is not the array of 67108864 bytes sent", req.reason(),
                        "req's error line");
            }
        });
        runner.test("process: case large: a corrupted request is answered FAILURE, reply_bytes 7", () -> {
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--case", "large", "--len", "1000",
                    "--count", "1", TIMEOUT);
            String endpoint = replier.ready();
            PeerProcess.Finished req = PeerProcess.run("req", "--endpoint", endpoint, "--case", "large", "--len", "1000",
                    "--count", "1", "--corrupt-index", "999", TIMEOUT);
            exits(1, req, "req");
            Check.equal(Contract.largeReply(0, 7, false), req.lines().get(1), "FAILURE does not match");
            exits(1, replier.finish(), "rep");
        });
        runner.test("process: case heartbeat: silence past the heartbeat timeout, or exit 4 without heartbeats", () -> {
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--case", "heartbeat", "--count", "2",
                    TIMEOUT);
            String endpoint = replier.ready();
            long started = System.nanoTime();
            PeerProcess.Finished req = PeerProcess.run("req", "--endpoint", endpoint, "--case", "heartbeat", "--count",
                    "2", "--silence-ms", "1000", TIMEOUT);
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            String limit = Engine.caseLimit(Case.HEARTBEAT, "req");
            if (limit != null) {
                exits(4, req, "req");
                Check.equal("case \"heartbeat\": " + limit, req.reason(), "the reason names what is missing");
                Check.equal(List.of(), req.lines(), "no ready line: refused before any socket");
                replier.kill();
                return;
            }
            exits(0, req, "req");
            Check.equal(List.of(Contract.reply(0, "world".getBytes()), Contract.reply(1, "world".getBytes())),
                    req.lines().subList(1, 3), "replies across 1 s of silence (heartbeat timeout 300 ms)");
            Check.isTrue(elapsedMs >= 1000, "the silence was kept: " + elapsedMs + " ms");
            exits(0, replier.finish(), "rep");
        });
        runner.test("process: case reconnect, req/rep: a new replier on the endpoint of a killed one", () -> {
            PeerProcess first = PeerProcess.startHolding("rep", "--endpoint", TCP, "--case", "reconnect", "--count", "2",
                    "--exit-with-stdin", TIMEOUT);
            String endpoint = first.ready();
            PeerProcess requester = PeerProcess.startHolding("req", "--endpoint", endpoint, "--case", "reconnect",
                    "--count", "4", "--pause-after", "2", TIMEOUT);
            Check.equal(endpoint, requester.ready(), "req's ready line");
            Check.equal(Contract.reply(0, "world".getBytes()), requester.nextLine(), "reply 0");
            Check.equal(Contract.reply(1, "world".getBytes()), requester.nextLine(), "reply 1");
            Check.equal(Contract.paused(), requester.nextLine(), "the pause after the 2nd reply");
            first.kill(); // it was holding its socket open
            PeerProcess second = PeerProcess.start("rep", "--endpoint", endpoint, "--case", "hello", "--count", "2",
                    TIMEOUT);
            Check.equal(endpoint, second.ready(), "the same endpoint, bound again");
            requester.writeLine("go on");
            PeerProcess.Finished req = requester.finish();
            exits(0, req, "req");
            Check.equal(List.of(Contract.reply(2, "world".getBytes()), Contract.reply(3, "world".getBytes())),
                    req.lines().subList(4, 6), "replies from the second replier");
            PeerProcess.Finished rep = second.finish();
            exits(0, rep, "second rep");
            Check.equal(List.of(Contract.verdict(0, null), Contract.verdict(1, null)), rep.lines().subList(1, 3),
                    "the second replier's verdicts");
        });
        runner.test("process: case reconnect, pub/sub: the subscriber resubscribes to a new publisher", () -> {
            PeerProcess first = PeerProcess.startHolding("pub", "--endpoint", TCP, "--case", "reconnect", "--count", "3",
                    "--packet-size", "2", "--exit-with-stdin", TIMEOUT);
            String endpoint = first.ready();
            PeerProcess subscriber = PeerProcess.start("sub", "--endpoint", endpoint, "--case", "reconnect", "--count",
                    "6", "--packet-size", "2", TIMEOUT);
            subscriber.ready();
            List<String> before = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                before.add(subscriber.nextLine());
            }
            Check.equal(packets(envelopes(12345, repeat(TOPIC, 3), 2), 0, 2), before, "the first publisher's packets");
            first.kill();
            PeerProcess second = PeerProcess.start("pub", "--endpoint", endpoint, "--case", "fancyhw", "--sync", "--count",
                    "3", "--seed", "7", "--packet-size", "2", TIMEOUT);
            Check.equal(endpoint, second.ready(), "the same endpoint, bound again");
            PeerProcess.Finished sub = subscriber.finish();
            exits(0, sub, "sub");
            Check.equal(packets(envelopes(7, repeat(TOPIC, 3), 2), 3, 2), sub.lines().subList(4, 7),
                    "the second publisher's packets, numbered on");
            exits(0, second.finish(), "second pub");
        });
        runner.test("process: case reconnect: a holding binder exits 0 after --timeout-ms", () -> {
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--case", "reconnect", "--count", "1",
                    "--timeout-ms", "3000");
            String endpoint = replier.ready();
            PeerProcess.Finished req = PeerProcess.run("req", "--endpoint", endpoint, "--case", "hello", "--count", "1",
                    TIMEOUT);
            exits(0, req, "req");
            long started = System.nanoTime();
            PeerProcess.Finished rep = replier.finish();
            exits(0, rep, "rep");
            long heldMs = (System.nanoTime() - started) / 1_000_000;
            Check.isTrue(heldMs >= 1500, "it held its socket open: ended " + heldMs + " ms after the reply");
            PeerProcess publisher = PeerProcess.start("pub", "--endpoint", TCP, "--case", "reconnect", "--count", "1",
                    "--timeout-ms", "1000");
            PeerProcess.Finished sub = PeerProcess.run("sub", "--endpoint", publisher.ready(), "--count", "1", TIMEOUT);
            exits(0, sub, "sub");
            exits(0, publisher.finish(), "the holding publisher");
        });
        runner.test("process: --exit-with-stdin: exit 6 within a second of end-of-file, whatever the role", () -> {
            String[][] runs = {
                {"sub", "--endpoint", "tcp://127.0.0.1:9"}, // waiting for a message
                {"rep", "--endpoint", TCP, "--case", "reconnect"}, // waiting for a request
                {"thr-pull", "--connect", "--endpoint", "tcp://127.0.0.1:9"}, // a benchmark role
                {"lat-req", "--endpoint", "tcp://127.0.0.1:9"},
            };
            for (String[] args : runs) {
                PeerProcess peer = PeerProcess.startHolding(concat(args, new String[] {"--exit-with-stdin",
                    "--timeout-ms", "20000"}));
                peer.ready();
                peer.writeLine("lines on a watched stdin mean nothing");
                Thread.sleep(200);
                long closed = System.nanoTime();
                peer.closeStdin();
                Check.isTrue(peer.waitFor(5000), args[0] + " ended");
                long ms = (System.nanoTime() - closed) / 1_000_000;
                PeerProcess.Finished done = peer.finish();
                exits(6, done, args[0]);
                Check.equal("stdin closed: the harness is gone", done.reason(), args[0] + "'s reason");
                Check.equal(1L, done.stderr().lines().count(), args[0] + ": one stderr line: " + done.stderr());
                Check.isTrue(ms < 1000, args[0] + " ended " + ms + " ms after stdin closed");
            }
        });
        runner.test("process: --exit-with-stdin does not delay a normal end; --pause-after at end-of-file is exit 6", () -> {
            PeerProcess publisher = PeerProcess.startHolding("pub", "--endpoint", TCP, "--sync", "--count", "2",
                    "--exit-with-stdin", TIMEOUT);
            String endpoint = publisher.ready();
            PeerProcess subscriber = PeerProcess.startHolding("sub", "--endpoint", endpoint, "--count", "2",
                    "--exit-with-stdin", TIMEOUT);
            subscriber.ready();
            Check.isTrue(subscriber.waitFor(5000), "sub ends with its stdin still open");
            exits(0, subscriber.finish(), "sub");
            Check.isTrue(publisher.waitFor(5000), "pub ends with its stdin still open");
            exits(0, publisher.finish(), "pub");
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--case", "hello", "--count", "2", TIMEOUT);
            PeerProcess requester = PeerProcess.startHolding("req", "--endpoint", replier.ready(), "--case", "hello",
                    "--count", "2", "--pause-after", "1", TIMEOUT);
            requester.ready();
            requester.nextLine();
            Check.equal(Contract.paused(), requester.nextLine(), "paused");
            requester.closeStdin();
            PeerProcess.Finished req = requester.finish();
            exits(6, req, "req at the pause");
            Check.equal("stdin closed: the harness is gone", req.reason(), "reason");
            Check.equal(3, req.lines().size(), "ready, one reply, paused: " + req.lines());
            replier.kill();
        });
        runner.test("process: --pause-after K pauses after the K-th reply only, also in other cases", () -> {
            PeerProcess replier = PeerProcess.start("rep", "--endpoint", TCP, "--case", "empty", "--count", "3", TIMEOUT);
            PeerProcess requester = PeerProcess.startHolding("req", "--endpoint", replier.ready(), "--case", "empty",
                    "--count", "3", "--pause-after", "3", TIMEOUT);
            requester.ready();
            for (int i = 0; i < 3; i++) {
                Check.equal("{\"seq\":" + i + ",\"frames\":[\"\"]}", requester.nextLine(), "reply " + i);
            }
            Check.equal(Contract.paused(), requester.nextLine(), "the pause after the last reply");
            requester.writeLine("");
            PeerProcess.Finished req = requester.finish();
            exits(0, req, "req");
            Check.equal(5, req.lines().size(), "nothing after the pause: " + req.lines());
            exits(0, replier.finish(), "rep");
        });
        runner.test("process: a case the role has no part in is exit 4 before any socket", () -> {
            String[][] runs = {
                {"sub", "array"}, {"pub", "hello"}, {"pub", "large"}, {"sub", "heartbeat"}, {"req", "topics"},
                {"rep", "burst"}, {"req", "fancyhw"}, {"pub", "mismatch"}, {"rep", "no-such-case"},
            };
            for (String[] run : runs) {
                PeerProcess.Finished done = PeerProcess.run(run[0], "--endpoint", TCP, "--case", run[1]);
                exits(4, done, run[0] + " --case " + run[1]);
                Check.equal("case \"" + run[1] + "\" is not implemented by this peer", done.reason(), "reason");
                Check.equal(List.of(), done.lines(), "no ready line");
            }
            PeerProcess.Finished bench = PeerProcess.run("thr-pull", "--endpoint", "tcp://127.0.0.1:9", "--case", "x",
                    "--timeout-ms", "300");
            exits(3, bench, "a benchmark role ignores --case");
        });
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
