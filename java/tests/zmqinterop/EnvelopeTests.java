// EnvelopeTests.java: the fancyhw envelope: encoding, decoding, and every malformed case of
// crates/harness/tests/data/malformed.json refused with its exact reason.
package zmqinterop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

final class EnvelopeTests {
    private EnvelopeTests() {}

    static void register(TestRunner runner, Path root) {
        runner.test("envelope: encode then decode gives the topic and samples back", () -> {
            short[] samples = {-32768, -1, 0, 1, 32767, 258};
            byte[] message = Envelope.encode("t1".getBytes(StandardCharsets.US_ASCII), samples);
            Check.equal("7431200080ffff00000100ff7f0201", Json.hex(message), "bytes (little-endian int16)");
            Envelope.Decoded decoded = Envelope.decode(message, "t1", samples.length);
            Check.equal("t1", decoded.topic(), "topic");
            Check.isTrue(java.util.Arrays.equals(samples, decoded.samples()), "samples");
        });
        runner.test("envelope: the split is at the first space; later spaces are sample bytes", () -> {
            Envelope.Decoded decoded = Envelope.decode(new byte[] {'a', ' ', ' ', ' '}, "a", 1);
            Check.equal((short) 0x2020, decoded.samples()[0], "sample");
        });
        runner.test("envelope: every malformed.json case is refused with its exact reason", () -> {
            String json = Files.readString(root.resolve("crates/harness/tests/data/malformed.json"));
            List<String> names = Check.strings(json, "name");
            List<String> hexes = Check.strings(json, "hex");
            List<String> reasons = Check.strings(json, "reason");
            Check.isTrue(names.size() >= 7 && names.size() == hexes.size() && names.size() == reasons.size(),
                    "malformed.json read: " + names);
            for (int i = 0; i < names.size(); i++) {
                byte[] message = Contract.hex("--raw-hex", hexes.get(i));
                String reason = Check.failsWith(Contract.MALFORMED,
                        () -> Envelope.decode(message, "fancyhw_data", 16));
                Check.equal(reasons.get(i), reason, names.get(i));
            }
        });
        runner.test("envelope: case topics decodes any topic, with every other check kept", () -> {
            byte[] status = Envelope.encode("fancyhw_status".getBytes(StandardCharsets.US_ASCII), new short[] {5});
            Check.equal("fancyhw_status", Envelope.decode(status, null, 1).topic(), "any topic");
            Check.fails(Contract.MALFORMED, "malformed envelope: expected 2 samples, got 1",
                    () -> Envelope.decode(status, null, 2));
            Check.fails(Contract.MALFORMED, "malformed envelope: empty topic",
                    () -> Envelope.decode(new byte[] {' ', 0, 0}, null, 1));
            Check.fails(Contract.MALFORMED, "malformed envelope: topic \"fancyhw_status\" is not the expected \"fancyhw_data\"",
                    () -> Envelope.decode(status, "fancyhw_data", 1));
            Check.equal("66616e637968775f6461746120", Json.hex(Envelope.encode(
                    "fancyhw_data".getBytes(StandardCharsets.US_ASCII), new short[0])), "zero samples: topic and space");
        });
        runner.test("envelope: a topic byte past 0x7e and a space-less topic are named by offset", () -> {
            Check.fails(Contract.MALFORMED, "malformed envelope: topic is not printable ASCII (byte 0x7f at offset 1)",
                    () -> Envelope.decode(new byte[] {'a', 0x7f, ' ', 0, 0}, "a", 1));
            Check.fails(Contract.MALFORMED, "malformed envelope: topic is not printable ASCII (byte 0x09 at offset 0)",
                    () -> Envelope.decode(new byte[] {'\t', ' ', 0, 0}, "a", 1));
        });
    }
}
