// Check.java: the assertions the Java peer's tests use, and the little JSON reading they need.
package zmqinterop;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Assertions that throw AssertionError with both values, and hand-written JSON scraps. */
final class Check {
    private Check() {}

    static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected <" + expected + ">, got <" + actual + ">");
        }
    }

    static void isTrue(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** The body must fail with a PeerError of this code and exactly this reason. */
    static void fails(int code, String reason, TestRunner.Body body) throws Exception {
        try {
            body.run();
        } catch (PeerError e) {
            equal(code, e.code, "exit code of \"" + e.reason + "\"");
            equal(reason, e.reason, "reason");
            return;
        }
        throw new AssertionError("expected exit " + code + " (" + reason + "), but nothing failed");
    }

    /** The body must fail with a PeerError of this code; returns its reason. */
    static String failsWith(int code, TestRunner.Body body) throws Exception {
        try {
            body.run();
        } catch (PeerError e) {
            equal(code, e.code, "exit code of \"" + e.reason + "\"");
            return e.reason;
        }
        throw new AssertionError("expected exit " + code + ", but nothing failed");
    }

    /** The integers of the JSON array that follows {@code "key": } in {@code json}. */
    static long[] intArray(String json, String key) {
        int at = json.indexOf('"' + key + '"');
        isTrue(at >= 0, "no key " + key);
        int open = json.indexOf('[', at);
        int close = json.indexOf(']', open);
        String[] parts = json.substring(open + 1, close).split(",");
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Long.parseLong(parts[i].trim());
        }
        return values;
    }

    /**
     * Every JSON string value of {@code key} in {@code json}, in order, with \" and \\ undone
     * (the only escapes the project's small data files use).
     */
    static List<String> strings(String json, String key) {
        List<String> values = new ArrayList<>();
        String marker = '"' + key + '"';
        for (int at = json.indexOf(marker); at >= 0; at = json.indexOf(marker, at + 1)) {
            int i = json.indexOf('"', json.indexOf(':', at + marker.length())) + 1;
            StringBuilder value = new StringBuilder();
            for (; json.charAt(i) != '"'; i++) {
                char c = json.charAt(i);
                if (c == '\\') {
                    c = json.charAt(++i);
                    isTrue(c == '"' || c == '\\', "unexpected escape \\" + c);
                }
                value.append(c);
            }
            values.add(value.toString());
        }
        return values;
    }

    /** The string value of {@code key} in one JSON line, or null when absent. */
    static String string(String line, String key) {
        List<String> values = strings(line, key);
        return values.isEmpty() ? null : values.get(0);
    }
}
