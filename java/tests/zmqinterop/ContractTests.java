// ContractTests.java: options (defaults, both forms, every range's ends, the usage errors), the
// unknown case, the output lines, and the text helpers (FloatRepr, rustDebug, Json).
package zmqinterop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

final class ContractTests {
    private static final String TCP = "tcp://127.0.0.1:*";

    private ContractTests() {}

    private static Run parse(String... args) throws PeerError {
        return Contract.parse(args);
    }

    private static void usage(String reason, String... args) throws Exception {
        Check.fails(Contract.USAGE, reason, () -> parse(args));
    }

    static void register(TestRunner runner) {
        runner.test("contract: the exit codes are the contract's table", () -> {
            int[] codes = {Contract.OK, Contract.MISMATCH, Contract.USAGE, Contract.TIMEOUT, Contract.UNSUPPORTED,
                Contract.MALFORMED, Contract.ERROR};
            Check.equal("[0, 1, 2, 3, 4, 5, 6]", Arrays.toString(codes), "codes");
        });
        runner.test("contract: defaults are the contract's", () -> {
            Run run = parse("pub", "--endpoint", TCP);
            Check.equal("fancyhw_data", run.topic(), "topic");
            Check.equal("fancyhw_data", run.subscription(), "subscription");
            Check.equal(12345L, run.seed(), "seed");
            Check.equal(10, run.count(), "count");
            Check.equal(16, run.packetSize(), "packet size");
            Check.equal(131072, run.len(), "len");
            Check.equal("fancyhw", run.caseName(), "pub's case");
            Check.equal("fancyhw", parse("sub", "--endpoint", TCP).caseName(), "sub's case");
            Check.equal("array", parse("req", "--endpoint", TCP).caseName(), "req's case");
            Check.equal("array", parse("rep", "--endpoint", TCP).caseName(), "rep's case");
            Check.equal(0, run.pauseAfter(), "no pause");
            Check.equal(100, run.heartbeatIvlMs(), "heartbeat interval");
            Check.equal(1500, run.silenceMs(), "silence");
            Check.isTrue(!run.exitWithStdin(), "stdin not watched");
            Check.equal(0, run.intervalMs(), "interval");
            Check.equal(10000, run.timeoutMs(), "timeout");
            Check.equal(16, run.size(), "size");
            Check.equal(0, run.hwm(), "hwm");
            Check.equal(-1, run.corruptIndex(), "corrupt index");
            Check.isTrue(!run.sync() && !run.reportSent() && run.rawMessage() == null && run.rawReply() == null,
                    "flags off, no raw bytes");
            Check.isTrue(!run.ipc(), "tcp");
        });
        runner.test("contract: which side binds, by role and by --bind/--connect", () -> {
            for (String role : Contract.ROLES) {
                boolean binds = Arrays.asList("pub", "rep", "thr-pull", "lat-rep").contains(role);
                Check.equal(binds, parse(role, "--endpoint", TCP).bind(), role + " binds");
                Check.equal(true, parse(role, "--endpoint", TCP, "--bind").bind(), role + " --bind");
                Check.equal(false, parse(role, "--endpoint", TCP, "--connect").bind(), role + " --connect");
            }
            Check.isTrue(parse("pub", "--endpoint", TCP).sendsLast() && parse("lat-rep", "--endpoint", TCP).sendsLast()
                    && !parse("sub", "--endpoint", TCP).sendsLast() && !parse("req", "--endpoint", TCP).sendsLast(),
                    "senders linger, receivers do not");
        });
        runner.test("contract: both option forms, options before the role, the last value wins", () -> {
            Run run = parse("--count=3", "sub", "--endpoint", TCP, "--topic", "t", "--count", "4", "--subscribe=",
                    "--raw-hex=", "--case=big");
            Check.equal(4, run.count(), "count");
            Check.equal("t", run.topic(), "topic");
            Check.equal("", run.subscription(), "empty subscription");
            Check.equal(0, run.rawMessage().length, "empty raw message");
            Check.equal("big", run.caseName(), "any case parses");
            Check.isTrue(parse("pub", "--endpoint", "ipc:///tmp/x").ipc(), "ipc endpoint");
            Check.equal(null, parse("--info"), "--info");
            Check.equal(null, parse("--info", "pub", "--count", "5"), "--info with a role");
        });
        runner.test("contract: every range takes its ends and refuses one past them", () -> {
            Object[][] ranges = {
                {"--seed", 0L, 4294967295L}, {"--count", 1L, 2147483647L}, {"--packet-size", 1L, 1048576L},
                {"--len", 1L, 33554432L}, {"--interval-ms", 0L, 3600000L}, {"--timeout-ms", 1L, 3600000L},
                {"--size", 1L, 268435456L}, {"--hwm", 0L, 2147483647L}, {"--pause-after", 1L, 2147483647L},
                {"--heartbeat-ivl-ms", 1L, 60000L}, {"--silence-ms", 0L, 3600000L},
            };
            for (Object[] range : ranges) {
                String option = (String) range[0];
                long low = (Long) range[1];
                long high = (Long) range[2];
                for (long value : new long[] {low, high}) {
                    Run run = parse("pub", "--endpoint", TCP, option, Long.toString(value));
                    Check.equal(value, valueOf(run, option), option + " " + value);
                    Check.equal(value, valueOf(parse("pub", "--endpoint", TCP, option + "=+" + value), option),
                            option + "=+" + value);
                }
                for (long value : new long[] {low - 1, high + 1}) {
                    usage(option + " " + value + " is out of range " + low + "..=" + high,
                            "pub", "--endpoint", TCP, option + "=" + value);
                }
            }
        });
        runner.test("contract: only plain decimal is an integer; a huge one is out of range", () -> {
            for (String text : new String[] {"", "+", "-", "1 ", " 1", "+-1", "0x10", "1e3", "1_0", "\u0663", "\u00b2"}) {
                usage("--count: " + Contract.rustDebug(text) + " is not an integer in 1..=2147483647",
                        "pub", "--endpoint", TCP, "--count=" + text);
            }
            for (String zero : new String[] {"-0", "+0", "0000", "+000"}) {
                Check.equal(0L, parse("pub", "--endpoint", TCP, "--seed", zero).seed(), "seed " + zero);
            }
            String huge = "9".repeat(40);
            usage("--count " + huge + " is out of range 1..=2147483647", "pub", "--endpoint", TCP, "--count", huge);
        });
        runner.test("contract: topics and subscriptions, 255 bytes at most", () -> {
            Run run = parse("sub", "--endpoint", TCP, "--topic", "t".repeat(255), "--subscribe", "s".repeat(255));
            Check.equal(255, run.topic().length(), "topic");
            usage("--topic: 256 bytes is longer than 255", "sub", "--endpoint", TCP, "--topic", "t".repeat(256));
            usage("--subscribe: 256 bytes is longer than 255", "sub", "--endpoint", TCP, "--subscribe", "s".repeat(256));
            // Bytes, not characters: 128 two-byte characters are 256 bytes.
            usage("--subscribe: 256 bytes is longer than 255", "sub", "--endpoint", TCP, "--subscribe",
                    "\u00e9".repeat(128));
            usage("--topic: topic is empty", "sub", "--endpoint", TCP, "--topic", "");
            usage("--topic: topic \"a b\" contains a space, which separates topic from samples",
                    "sub", "--endpoint", TCP, "--topic", "a b");
            usage("--topic: topic is not printable ASCII (byte 0xc3 at offset 3)",
                    "sub", "--endpoint", TCP, "--topic", "caf\u00e9");
        });
        runner.test("contract: the other usage errors name the problem", () -> {
            usage("a role is required (pub, sub, rep, req, thr-push, thr-pull, lat-req, lat-rep), or --info");
            usage("invalid role 'bogus': expected pub, sub, rep, req, thr-push, thr-pull, lat-req, lat-rep",
                    "bogus", "--endpoint", TCP);
            usage("unexpected argument 'sub'", "pub", "sub", "--endpoint", TCP);
            usage("--endpoint is required", "pub");
            usage("a value is required for '--endpoint'", "pub", "--endpoint");
            usage("unexpected argument '--top'", "pub", "--endpoint", TCP, "--top", "x");
            usage("--sync takes no value", "pub", "--endpoint", TCP, "--sync=1");
            usage("--exit-with-stdin takes no value", "pub", "--endpoint", TCP, "--exit-with-stdin=1");
            Check.isTrue(parse("thr-pull", "--endpoint", TCP, "--exit-with-stdin").exitWithStdin(), "--exit-with-stdin");
            usage("--pause-after and --exit-with-stdin cannot be used together: both read stdin",
                    "req", "--endpoint", TCP, "--pause-after", "2", "--exit-with-stdin");
            usage("--pause-after and --exit-with-stdin cannot be used together: both read stdin",
                    "--exit-with-stdin", "rep", "--endpoint", TCP, "--pause-after=1");
            usage("--bind and --connect cannot be used together", "pub", "--endpoint", TCP, "--bind", "--connect");
            usage("endpoint \"udp://x\" is neither tcp://HOST:PORT nor ipc://PATH", "pub", "--endpoint", "udp://x");
            usage("endpoint \"ipc://\" is neither tcp://HOST:PORT nor ipc://PATH", "pub", "--endpoint", "ipc://");
            usage("--raw-hex: hex string has odd length 3", "pub", "--endpoint", TCP, "--raw-hex", "abc");
            usage("--raw-reply-hex: 'g' at offset 1 is not a hex digit", "rep", "--endpoint", TCP,
                    "--raw-reply-hex", "0g");
            Check.equal("00ff10ab", Json.hex(parse("pub", "--endpoint", TCP, "--raw-hex", "00FF10ab").rawMessage()),
                    "hex of either case");
        });
        runner.test("contract: --corrupt-index is 0..=L-1", () -> {
            Check.equal(4, parse("req", "--endpoint", TCP, "--corrupt-index", "4", "--len", "5").corruptIndex(), "4 of 5");
            usage("--corrupt-index 5 is past the end of an array of 5 values",
                    "req", "--endpoint", TCP, "--corrupt-index", "5", "--len", "5");
            usage("--corrupt-index 131072 is past the end of an array of 131072 values",
                    "req", "--endpoint", TCP, "--corrupt-index", "131072");
            usage("--corrupt-index -1 is out of range 0..=131071", "req", "--endpoint", TCP, "--corrupt-index", "-1");
        });
        runner.test("contract: an unknown case is exit 4 with the contract's words, Rust-quoted", () -> {
            Check.equal(Case.ARRAY, Case.of(parse("rep", "--endpoint", TCP)), "rep's default");
            Check.equal(Case.HELLO, Case.of(parse("rep", "--endpoint", TCP, "--case", "hello")), "hello");
            Check.fails(Contract.UNSUPPORTED, "case \"big\" is not implemented by this peer",
                    () -> Case.of(parse("req", "--endpoint", TCP, "--case", "big")));
            Check.fails(Contract.UNSUPPORTED, "case \"x\\\"y\" is not implemented by this peer",
                    () -> Case.of(parse("req", "--endpoint", TCP, "--case", "x\"y")));
            Check.fails(Contract.UNSUPPORTED, "case \"\" is not implemented by this peer",
                    () -> Case.of(parse("pub", "--endpoint", TCP, "--case=")));
            Check.fails(Contract.UNSUPPORTED, "case \"Fancyhw\" is not implemented by this peer",
                    () -> Case.of(parse("pub", "--endpoint", TCP, "--case", "Fancyhw")));
        });
        runner.test("cases: the catalog's names, in the contract's order, and who plays what", () -> {
            List<String> names = new ArrayList<>();
            for (Case c : Case.values()) {
                names.add(c.id);
            }
            Check.equal(List.of("fancyhw", "burst", "multipart", "empty", "topics", "reconnect", "array", "hello",
                    "large", "heartbeat"), names, "Case::ALL");
            List<String> pubSub = List.of("fancyhw", "burst", "multipart", "empty", "topics", "reconnect");
            List<String> reqRep = List.of("multipart", "empty", "reconnect", "array", "hello", "large", "heartbeat");
            for (String role : Contract.ROLES) {
                for (Case c : Case.values()) {
                    boolean plays = switch (role) {
                        case "pub", "sub" -> pubSub.contains(c.id);
                        case "req", "rep" -> reqRep.contains(c.id);
                        default -> false;
                    };
                    Check.equal(plays, c.playedBy(role), role + " plays " + c.id);
                    if (role.contains("-")) {
                        continue; // the benchmark roles have no cases: Peer never asks Case.of for them
                    }
                    Run run = parse(role, "--endpoint", TCP, "--case", c.id);
                    if (!plays) {
                        Check.fails(Contract.UNSUPPORTED, "case \"" + c.id + "\" is not implemented by this peer",
                                () -> Case.of(run));
                    } else if (Engine.caseLimit(c, role) != null) {
                        Check.fails(Contract.UNSUPPORTED, "case \"" + c.id + "\": " + Engine.caseLimit(c, role),
                                () -> Case.of(run));
                    } else {
                        Check.equal(c, Case.of(run), role + " " + c.id);
                    }
                }
            }
            Check.equal(Case.FANCYHW.id, Case.defaultFor("sub"), "sub's default");
            Check.equal(Case.ARRAY.id, Case.defaultFor("req"), "req's default");
            Check.isTrue(Case.MULTIPART.printsFrames() && Case.EMPTY.printsFrames(), "frames cases");
            for (Case c : Case.values()) {
                Check.equal(c == Case.MULTIPART || c == Case.EMPTY, c.printsFrames(), c.id + " prints frames");
            }
        });
        runner.test("cases: heartbeat is refused, with a reason, exactly where the engine has no heartbeats", () -> {
            boolean heartbeats = Engine.heartbeatOptions() != null;
            Check.equal(Engine.atLeast(0, 4), heartbeats, "ZMQ_HEARTBEAT_* exist from JeroMQ 0.4 (libzmq 4.1) on");
            String limit = Engine.caseLimit(Case.HEARTBEAT, "req");
            Check.equal(!heartbeats, limit != null, "req's heartbeat limit: " + limit);
            if (limit != null) {
                Check.equal("JeroMQ " + Engine.version() + " (a port of libzmq " + Engine.libzmqApi()
                        + ") has no ZMQ_HEARTBEAT_IVL or ZMQ_HEARTBEAT_TIMEOUT: it has no ZMTP heartbeats (PING/PONG)",
                        limit, "reason");
            } else {
                Check.equal(75, Engine.heartbeatOptions()[0], "libzmq's ZMQ_HEARTBEAT_IVL");
                Check.equal(77, Engine.heartbeatOptions()[1], "libzmq's ZMQ_HEARTBEAT_TIMEOUT");
            }
            Check.equal(null, Engine.caseLimit(Case.HEARTBEAT, "rep"), "rep plays hello, whatever the engine");
            for (Case c : Case.values()) {
                if (c != Case.HEARTBEAT) {
                    for (String role : new String[] {"pub", "sub", "req", "rep"}) {
                        Check.equal(null, Engine.caseLimit(c, role), c.id + " " + role);
                    }
                }
            }
        });
        runner.test("cases: topics' two halves, counted from --count", () -> {
            for (long count = 1; count <= 300; count++) {
                long first = 0;
                long second = 0;
                for (long i = 0; i < 2 * count; i++) {
                    if (i < count && i % 3 != 2) {
                        first++;
                    } else if (i >= count && i % 3 == 0) {
                        second++;
                    }
                }
                Check.equal(first, PubSub.topicsFirstHalf(count), "first half of " + count);
                Check.equal(second, PubSub.topicsSecondHalf(count), "second half of " + count);
            }
            Check.equal(7L, PubSub.topicsFirstHalf(10), "10: 0 1 3 4 6 7 9");
            Check.equal(3L, PubSub.topicsSecondHalf(10), "10: 12 15 18");
            long max = 2147483647L; // 2 * count passes an int: the halves are counted in longs
            Check.equal(max - max / 3, PubSub.topicsFirstHalf(max), "first half of the largest count");
            Check.equal((2 * max + 2) / 3 - (max + 2) / 3, PubSub.topicsSecondHalf(max), "second half");
        });
        runner.test("contract: rustDebug quotes as Rust's {:?} does", () -> {
            String[][] cases = {
                {"", "\"\""}, {"plain name-1.0", "\"plain name-1.0\""}, {"a\"b", "\"a\\\"b\""},
                {"a\\b", "\"a\\\\b\""}, {"it's", "\"it's\""}, {"\t\r\n\0", "\"\\t\\r\\n\\0\""},
                {"\u0001\u001b\u007f", "\"\\u{1}\\u{1b}\\u{7f}\""}, {"caf\u00e9", "\"caf\u00e9\""},
                {"e\u0301", "\"e\\u{301}\""}, {"\u00a0\u200b\ud800", "\"\\u{a0}\\u{200b}\\u{d800}\""},
                {"\ud83d\ude00", "\"\ud83d\ude00\""},
            };
            for (String[] c : cases) {
                Check.equal(c[1], Contract.rustDebug(c[0]), "rustDebug of " + Json.hex(c[0].getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
            }
        });
        runner.test("contract: output lines have the contract's shape", () -> {
            Check.equal("{\"event\":\"ready\",\"endpoint\":\"tcp://127.0.0.1:5\"}", Contract.ready("tcp://127.0.0.1:5"), "ready");
            Check.equal("{\"event\":\"sent\",\"seq\":3}", Contract.sent(3), "sent");
            Check.equal("{\"seq\":0,\"topic\":\"t\",\"samples\":[-1,2]}", Contract.packet(0, "t", new short[] {-1, 2}),
                    "packet");
            Check.equal("{\"seq\":1,\"verdict\":\"SUCCESS\"}", Contract.verdict(1, null), "success");
            Check.equal("{\"seq\":2,\"verdict\":\"FAILURE\",\"detail\":\"d\",\"index\":7}",
                    Contract.verdict(2, new Contract.Verdict("d", 7, -1, -1)), "value mismatch");
            Check.equal("{\"seq\":2,\"verdict\":\"FAILURE\",\"detail\":\"d\",\"expected_bytes\":16,\"got_bytes\":8}",
                    Contract.verdict(2, new Contract.Verdict("d", -1, 16, 8)), "length mismatch");
            Check.equal("{\"seq\":0,\"reply\":\"wor ld\"}", Contract.reply(0, "wor ld".getBytes()), "text reply");
            Check.equal("{\"seq\":1,\"reply_hex\":\"fffe00\"}", Contract.reply(1, new byte[] {-1, -2, 0}), "hex reply");
            Check.equal("{\"event\":\"result\",\"kind\":\"thr\",\"count\":3,\"size\":16,\"elapsed_ns\":10}",
                    Contract.throughput(3, 16, 10), "thr");
            Check.equal("{\"event\":\"result\",\"kind\":\"lat\",\"count\":2,\"size\":8,\"rtt_ns\":[5,6]}",
                    Contract.latency(2, 8, new long[] {5, 6}), "lat");
            Check.equal("{\"seq\":0,\"frames\":[\"66616e6379\",\"\",\"01ff\"]}", Contract.frames(0,
                    List.of("fancy".getBytes(), new byte[0], new byte[] {1, -1})), "frames");
            Check.equal("{\"seq\":3,\"frames\":[\"\"]}", Contract.frames(3, List.of(new byte[0])), "one empty frame");
            Check.equal("{\"event\":\"paused\"}", Contract.paused(), "paused");
            Check.equal("{\"seq\":0,\"reply_bytes\":67108864,\"matches\":true}", Contract.largeReply(0, 67108864, true),
                    "large reply");
            Check.equal("{\"seq\":1,\"reply_bytes\":7,\"matches\":false}", Contract.largeReply(1, 7, false),
                    "large reply that does not match");
            Check.equal("\"a\\\"b\\\\c\\u0001\\u007f\u00e9\"", Json.string(new StringBuilder(), "a\"b\\c\u0001\u007f\u00e9")
                    .toString(), "JSON escaping");
        });
        runner.test("floatrepr: the shortest round trip, written as Python's repr", () -> {
            Object[][] cases = {
                {0.39, "0.39"}, {1.39, "1.39"}, {0.047757244668900967, "0.04775724466890097"},
                {1.047757244668901, "1.047757244668901"}, {0.1, "0.1"}, {1e-05, "1e-05"}, {0.0001, "0.0001"},
                {1.5e-07, "1.5e-07"}, {123.0, "123.0"}, {1e16, "1e+16"}, {1234567890123456.0, "1234567890123456.0"},
                {-2.5, "-2.5"}, {0.0, "0.0"}, {-0.0, "-0.0"}, {Double.NaN, "nan"},
                {Double.POSITIVE_INFINITY, "inf"}, {Double.NEGATIVE_INFINITY, "-inf"}, {5e-324, "5e-324"},
                {Double.MAX_VALUE, "1.7976931348623157e+308"}, {2.2250738585072014e-308, "2.2250738585072014e-308"},
                {2.0E-3, "0.002"}, {1.0E23, "1e+23"}, {2.82879384806159E17, "2.82879384806159e+17"},
            };
            for (Object[] c : cases) {
                Check.equal(c[1], FloatRepr.of((Double) c[0]), "repr");
            }
        });
        runner.test("reqrep: judge compares lengths first, then values bit for bit", () -> {
            byte[] expected = FakeHw.f64Array(1, 4, -1);
            Check.equal(null, ReqRep.judge(expected.clone(), expected), "same array");
            Contract.Verdict length = ReqRep.judge(new byte[8], expected);
            Check.equal("length mismatch: expected 32 bytes (4 float64), got 8 bytes", length.detail(), "length");
            Check.equal(8L, length.gotBytes(), "got bytes");
            byte[] corrupt = FakeHw.f64Array(1, 4, 2);
            Contract.Verdict value = ReqRep.judge(corrupt, expected);
            Check.equal(2, value.index(), "index");
            Check.isTrue(value.detail().startsWith("value mismatch at index 2: expected 0."), value.detail());
            byte[] negativeZero = new byte[8];
            negativeZero[7] = (byte) 0x80;
            Check.equal("value mismatch at index 0: expected 0.0, got -0.0",
                    ReqRep.judge(negativeZero, new byte[8]).detail(), "-0.0 differs from 0.0");
            Check.equal(null, ReqRep.judge("hello".getBytes(), null), "hello");
            Check.equal("expected \"hello\", got 2 bytes: 6869", ReqRep.judge("hi".getBytes(), null).detail(),
                    "not hello");
            // A received message read in place: a direct buffer, as JeroMQ 0.6.0 receives one over 1 MiB.
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(corrupt.length);
            direct.put(corrupt).flip();
            Check.equal(2, ReqRep.judge(direct, expected).index(), "a direct buffer, judged in place");
            Check.equal(0, direct.position(), "judging reads, never moves the buffer");
            for (int b = 16; b < 24; b++) {
                direct.put(b, expected[b]);
            }
            Check.equal(null, ReqRep.judge(direct, expected), "the same values in a direct buffer");
        });
    }

    private static long valueOf(Run run, String option) {
        return switch (option) {
            case "--seed" -> run.seed();
            case "--count" -> run.count();
            case "--packet-size" -> run.packetSize();
            case "--len" -> run.len();
            case "--interval-ms" -> run.intervalMs();
            case "--timeout-ms" -> run.timeoutMs();
            case "--size" -> run.size();
            case "--pause-after" -> run.pauseAfter();
            case "--heartbeat-ivl-ms" -> run.heartbeatIvlMs();
            case "--silence-ms" -> run.silenceMs();
            default -> run.hwm();
        };
    }
}
