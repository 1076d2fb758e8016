// ContractTests.java: options (defaults, both forms, every range's ends, the usage errors), the
// unknown case, the output lines, and the text helpers (FloatRepr, rustDebug, Json).
package zmqinterop;

import java.util.Arrays;

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
            Check.equal("array", run.caseName(), "case");
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
                {"--size", 1L, 268435456L}, {"--hwm", 0L, 2147483647L},
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
            Check.isTrue(!Contract.isHello(parse("rep", "--endpoint", TCP)), "array");
            Check.isTrue(Contract.isHello(parse("rep", "--endpoint", TCP, "--case", "hello")), "hello");
            Check.fails(Contract.UNSUPPORTED, "case \"big\" is not implemented by this peer",
                    () -> Contract.isHello(parse("req", "--endpoint", TCP, "--case", "big")));
            Check.fails(Contract.UNSUPPORTED, "case \"x\\\"y\" is not implemented by this peer",
                    () -> Contract.isHello(parse("req", "--endpoint", TCP, "--case", "x\"y")));
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
            default -> run.hwm();
        };
    }
}
