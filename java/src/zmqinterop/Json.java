// Json.java: the little JSON the peer writes by hand: string literals and hex.
package zmqinterop;

/** JSON string literals and lowercase hex, appended to a StringBuilder (no library). */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** Appends {@code text} as a JSON string literal: quote, backslash and control characters escaped. */
    static StringBuilder string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append(c); // everything else as it is; the output is written as UTF-8
            }
        }
        return out.append('"');
    }

    /** Appends bytes {@code from} (inclusive) to {@code to} (exclusive) as lowercase hex. */
    static StringBuilder hex(StringBuilder out, byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            out.append(HEX[(bytes[i] >> 4) & 0xf]).append(HEX[bytes[i] & 0xf]);
        }
        return out;
    }

    /** All of {@code bytes} as lowercase hex. */
    static String hex(byte[] bytes) {
        return hex(new StringBuilder(bytes.length * 2), bytes, 0, bytes.length).toString();
    }
}
