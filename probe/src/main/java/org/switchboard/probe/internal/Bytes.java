package org.switchboard.probe.internal;

/** Bytes quoted in a one-line report. */
public final class Bytes {

    private Bytes() {}

    /**
     * {@code bytes} as printable ASCII: CR, LF and TAB as {@code \r \n \t}, a backslash doubled,
     * every other control or non-ASCII byte as {@code \xNN}; cut at {@code limit} characters with
     * {@code …(N bytes)} appended.
     *
     * @param bytes the bytes, as received
     * @param limit the most characters before the cut
     * @return one line of printable ASCII
     */
    public static String escape(byte[] bytes, int limit) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (out.length() >= limit)
                return out.append("…(").append(bytes.length).append(" bytes)").toString();
            int b = bytes[i] & 0xFF;
            switch (b) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (b < 0x20 || b > 0x7E)
                        out.append(String.format("\\x%02X", b));
                    else
                        out.append((char) b);
                }
            }
        }
        return out.toString();
    }

    /**
     * Text as one line.
     *
     * @param text  a message, possibly {@code null} (an empty line)
     * @param limit the most characters before the cut
     * @return {@link #escape} of its UTF-8 bytes
     */
    public static String oneLine(String text, int limit) {
        return escape(text == null ? new byte[0] : text.getBytes(java.nio.charset.StandardCharsets.UTF_8), limit);
    }
}
