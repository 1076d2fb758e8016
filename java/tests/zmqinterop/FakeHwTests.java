// FakeHwTests.java: FakeHw against glibc's own rand() outputs (testdata/glibc-rand.json), bit for bit.
package zmqinterop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

final class FakeHwTests {
    private FakeHwTests() {}

    static void register(TestRunner runner, Path root) {
        runner.test("fakehw: rand() is glibc's for every seed of testdata/glibc-rand.json", () -> {
            Map<Long, long[]> vectors = vectors(root);
            Check.isTrue(vectors.keySet().containsAll(java.util.List.of(0L, 1L, 2147483648L, 4294967295L)),
                    "the vectors cover seed 0, 1 and the int32 sign boundary: " + vectors.keySet());
            for (Map.Entry<Long, long[]> seed : vectors.entrySet()) {
                FakeHw hw = new FakeHw(seed.getKey());
                long[] expected = seed.getValue();
                Check.equal(1000, expected.length, "values for seed " + seed.getKey());
                for (int i = 0; i < expected.length; i++) {
                    Check.equal(expected[i], (long) hw.rand(), "rand() #" + i + " after srand(" + seed.getKey() + ")");
                }
            }
        });
        runner.test("fakehw: readVal is (int16_t)rand() and readF64 is rand() / 2^31", () -> {
            long[] expected = vectors(root).get(12345L);
            FakeHw samples = new FakeHw(12345);
            FakeHw floats = new FakeHw(12345);
            for (long value : expected) {
                Check.equal((int) (short) (value & 0xffff), (int) samples.readVal(), "sample of " + value);
                Check.equal(value / 2147483648.0, floats.readF64(), "float of " + value);
            }
        });
        runner.test("fakehw: the samples of the first envelope of seed 12345 are the other peers'", () -> {
            // The first values every peer prints for the default seed (see the C and Python peers).
            short[] first = {-22457, -24171, 7149, -12485, -32159, 25040, 449, -5938};
            FakeHw hw = new FakeHw(12345);
            for (short value : first) {
                Check.equal(value, hw.readVal(), "sample");
            }
        });
        runner.test("fakehw: f64Array is the little-endian readF64 sequence, corrupted at one index", () -> {
            long[] expected = vectors(root).get(42L);
            ByteBuffer plain = ByteBuffer.wrap(FakeHw.f64Array(42, 100, -1)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer corrupt = ByteBuffer.wrap(FakeHw.f64Array(42, 100, 7)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 100; i++) {
                double value = expected[i] / 2147483648.0;
                Check.equal(value, plain.getDouble(i * 8), "x[" + i + "]");
                Check.equal(i == 7 ? value + 1.0 : value, corrupt.getDouble(i * 8), "corrupted x[" + i + "]");
            }
        });
    }

    /** seed -> glibc's first values, read by hand from the JSON file. */
    private static Map<Long, long[]> vectors(Path root) throws Exception {
        String json = Files.readString(root.resolve("testdata/glibc-rand.json"));
        Map<Long, long[]> vectors = new LinkedHashMap<>();
        int at = json.indexOf('{', json.indexOf("\"seeds\""));
        while (true) {
            int keyStart = json.indexOf('"', at + 1);
            int close = json.indexOf('}', at + 1);
            if (keyStart < 0 || close >= 0 && close < keyStart) {
                break;
            }
            int keyEnd = json.indexOf('"', keyStart + 1);
            String key = json.substring(keyStart + 1, keyEnd);
            vectors.put(Long.parseLong(key), Check.intArray(json.substring(keyStart), key));
            at = json.indexOf(']', keyEnd);
        }
        return vectors;
    }
}
