package org.switchboard.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The head of an HTTP/1.1 response, read off a buffer: enough to check a 101 (status, {@code Upgrade},
 * {@code Sec-WebSocket-Accept}); the bytes after the blank line stay in the buffer.
 *
 * @param status the status code
 * @param text   the head, status line and fields
 */
record HttpHead(int status, String text) {

    private static final int MAX_HEAD = 8192;

    /** The head if complete in {@code in} (consumed), else {@code null} with {@code in} untouched. */
    static HttpHead read(ByteBuffer in) throws ProtocolViolation {
        int start = in.position();
        int limit = in.limit();
        for (int i = start; i + 3 < limit; i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                byte[] bytes = new byte[i - start];
                in.get(bytes);
                in.position(i + 4);
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                if (!text.startsWith("HTTP/1.1 ") || text.length() < 12)
                    throw new ProtocolViolation("not an HTTP/1.1 response: " + firstLine(text));
                try {
                    return new HttpHead(Integer.parseInt(text.substring(9, 12)), text);
                } catch (NumberFormatException x) {
                    throw new ProtocolViolation("bad status line: " + firstLine(text));
                }
            }
        }
        if (limit - start > MAX_HEAD)
            throw new ProtocolViolation("response head over " + MAX_HEAD + " bytes");
        return null;
    }

    /** The value of the first field named {@code name} (case-insensitive), or {@code null}. */
    String field(String name) {
        String lower = text.toLowerCase(Locale.ROOT);
        String key = "\r\n" + name.toLowerCase(Locale.ROOT) + ":";
        int at = lower.indexOf(key);
        if (at < 0)
            return null;
        int from = at + key.length();
        int end = text.indexOf("\r\n", from);
        return text.substring(from, end < 0 ? text.length() : end).trim();
    }

    /**
     * The 101 switching to {@code protocol} if its head is complete in {@code in} (consumed), else
     * {@code null} with {@code in} untouched; any other answer is a violation.
     */
    static HttpHead readSwitchTo(ByteBuffer in, String protocol) throws ProtocolViolation {
        HttpHead head = read(in);
        return head == null ? null : head.expectSwitchTo(protocol);
    }

    /** Checks a 101 whose {@code Upgrade} is {@code protocol}. */
    private HttpHead expectSwitchTo(String protocol) throws ProtocolViolation {
        if (status != 101)
            throw new ProtocolViolation("expected 101, got " + firstLine(text));
        String upgrade = field("Upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase(protocol))
            throw new ProtocolViolation("101 with Upgrade " + upgrade + ", expected " + protocol);
        return this;
    }

    private static String firstLine(String text) {
        int eol = text.indexOf('\r');
        return eol < 0 ? text : text.substring(0, eol);
    }
}
